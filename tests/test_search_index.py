"""Unit tests of pizhu.search_index: built HTML -> Pizhu's search index, and its files."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest

from pizhu.search_index import (
    DEFAULT_SEPARATOR,
    INDEX_FORMAT,
    build_index,
    index_json,
    index_script,
    write_index,
)
from pizhu.yamlutil import load_yaml_file

CASES_FILE = Path(__file__).parent / "cases" / "search_index" / "cases.yml"
CASES = load_yaml_file(CASES_FILE)


def _case_params() -> list[Any]:
    params = []
    for case in CASES:
        marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if "xfail" in case else []
        params.append(pytest.param(case, id=case["name"], marks=marks))
    return params


@pytest.mark.parametrize("case", _case_params())
def test_page_documents(case: dict[str, Any]) -> None:
    location = case.get("location", "x.html")
    index = build_index([(location, case["html"])], dict(case.get("config") or {}))
    assert index["docs"] == [dict(doc) for doc in case["docs"]]


def test_pages_follow_each_other_in_the_given_order() -> None:
    index = build_index([("b.html", "<h1>乙</h1>"), ("a.html", "<h1>甲</h1>")], {})
    assert [doc["location"] for doc in index["docs"]] == ["b.html", "a.html"]


def test_config_has_materials_shape() -> None:
    index = build_index([], {})
    assert index == {
        "config": {
            "lang": ["zh"],
            "separator": DEFAULT_SEPARATOR,
            "pipeline": [],
            "fields": {},
            "pizhu": INDEX_FORMAT,
        },
        "docs": [],
    }
    custom = build_index([], {"lang": ["zh", "en"], "separator": "[\\s]+", "other": 1})
    assert custom["config"]["lang"] == ["zh", "en"]
    assert custom["config"]["separator"] == "[\\s]+"
    assert "other" not in custom["config"]


def test_json_keeps_cjk_unescaped_and_compact() -> None:
    text = index_json(build_index([("a.html", "<h1>三会一课</h1>")], {}))
    assert "三会一课" in text
    assert "\\u" not in text.replace("\\u200b", "").replace("\\u3000", "")
    assert ", " not in text and ": " not in text


def test_script_defines_index_and_escapes_js_line_terminators() -> None:
    index = build_index([("a.html", "<h1>甲</h1><p>一\u2028二\u2029三</p>")], {})
    script = index_script(index)
    assert script.startswith("var __index = {") and script.endswith("};\n")
    assert "\u2028" not in script and "\u2029" not in script
    assert json.loads(script[len("var __index = ") : -2]) == index


def _material_page(title: str, body: str) -> str:
    return (
        "<!doctype html><html><head><title>t</title></head><body>"
        '<nav class="md-nav">导航里的维护</nav>'
        f'<article class="md-content__inner md-typeset"><h1>{title}</h1>{body}</article>'
        "</body></html>"
    )


@pytest.fixture
def site(tmp_path: Path) -> Path:
    pages = {
        "index.html": _material_page("首页", "<p>欢迎</p>"),
        "speeches/a.html": _material_page("讲话", '<p id="p-1">两个维护</p>'),
        "private.html": _material_page("草稿", "<p>不公开</p>"),
        "404.html": _material_page("404", "<p>找不到</p>"),
        "redirect.html": '<meta http-equiv="refresh" content="0; url=index.html">',
    }
    for name, text in pages.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_write_index_writes_json_and_script(site: Path) -> None:
    index = write_index(site)
    written = json.loads((site / "search" / "search_index.json").read_text("utf-8"))
    script = (site / "search" / "search_index.js").read_text("utf-8")
    assert written == index
    assert script == index_script(index)
    assert [doc["location"] for doc in index["docs"]] == [
        "index.html",
        "private.html",
        "speeches/a.html",
        "speeches/a.html#p-1",
    ]
    assert "导航里的维护" not in json.dumps(index, ensure_ascii=False)
    for name in ("search_index.json", "search_index.js"):
        mode = stat.S_IMODE((site / "search" / name).stat().st_mode)
        assert mode & 0o444 == 0o444, oct(mode)  # readable by the web server


def test_write_index_is_deterministic(site: Path) -> None:
    write_index(site)
    first = (site / "search" / "search_index.json").read_bytes()
    write_index(site)  # now it reads its own index: must not change anything
    assert (site / "search" / "search_index.json").read_bytes() == first


def test_write_index_leaves_out_pages_materials_search_excluded(site: Path) -> None:
    # Material's plugin honours `search: exclude: true` front matter; its index lists the
    # pages it kept (the home page as "" with directory URLs).
    material = {
        "config": {"lang": ["zh"], "separator": "[\\s]+", "pipeline": [], "fields": {}},
        "docs": [
            {"location": "", "title": "首页", "text": "欢迎"},
            {"location": "speeches/a.html", "title": "讲话", "text": ""},
            {"location": "speeches/a.html#p-1", "title": "讲话", "text": "两个维护"},
        ],
    }
    (site / "search").mkdir()
    (site / "search" / "search_index.json").write_text(json.dumps(material), encoding="utf-8")
    index = write_index(site)
    assert [doc["location"] for doc in index["docs"]] == [
        "index.html",
        "speeches/a.html",
        "speeches/a.html#p-1",
    ]


def test_main_html_config_block_matches_installed_material():
    """overrides/main.html copies Material's {% block config %} with only the worker URL
    changed; a Material upgrade that changes the block must be noticed here."""
    import re
    from pathlib import Path

    import material

    base = (Path(material.__file__).parent / "templates" / "base.html").read_text("utf-8")
    theirs = re.search(r"\{% block config %\}.*?\{% endblock %\}", base, re.S).group(0)
    repo = Path(__file__).resolve().parents[1]
    ours = re.search(
        r"\{% block config %\}.*?\{% endblock %\}",
        (repo / "overrides" / "main.html").read_text("utf-8"),
        re.S,
    ).group(0)
    expected = re.sub(
        r'"search": "assets/javascripts/workers/search\.[0-9a-f]+\.min\.js" \| url',
        '"search": "assets/javascripts/pizhu-search-worker.js" | url',
        theirs,
    )
    assert ours == expected
