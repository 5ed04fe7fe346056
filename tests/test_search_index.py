"""Unit tests of Pizhu's search index on the build side: page content HTML -> documents
(search_html), the manifest and shards (search_index), and their files (search_files).
The text code is tested in test_search_code.py, the Material glue in test_material.py."""

from __future__ import annotations

import datetime
import json
import re
import stat
from pathlib import Path
from typing import Any

import pytest

from pizhu.search_files import index_bytes, index_files, read_index, write_index
from pizhu.search_html import Document, page_documents, unwrap_inline
from pizhu.search_index import (
    DEFAULT_SEPARATOR,
    INDEX_FORMAT,
    MANIFEST_JSON,
    MANIFEST_SCRIPT,
    SHARD_CALLBACK,
    IndexedPage,
    build_index,
    indexed_page,
    read_documents,
)
from pizhu.yamlutil import load_yaml_file

ROOT = Path(__file__).resolve().parents[1]
CASES_FILE = Path(__file__).parent / "cases" / "search_index" / "cases.yml"
CASES = load_yaml_file(CASES_FILE)


def _case_params() -> list[Any]:
    params = []
    for case in CASES:
        marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if "xfail" in case else []
        params.append(pytest.param(case, id=case["name"], marks=marks))
    return params


def _without_ranking(documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in doc.items() if k not in ("boost", "date")} for doc in documents]


# --------------------------------------------------------------------------- documents


@pytest.mark.parametrize("case", _case_params())
def test_page_documents(case: dict[str, Any]) -> None:
    """Each case goes the whole way: content HTML -> index files -> documents read back."""
    location = case.get("location", "x.html")
    config = dict(case.get("config") or {})
    paragraph_id = re.compile(config.get("paragraph_id", r"p-\d+"))
    page = indexed_page(location, case["html"], title=case.get("title", ""), meta={})
    page = (
        page
        if paragraph_id.pattern == r"p-\d+"
        else indexed_page(
            location, case["html"], title=case.get("title", ""), paragraph_id=paragraph_id
        )
    )
    documents = read_documents(build_index([page]))
    assert _without_ranking(documents) == [dict(doc) for doc in case["docs"]]


def test_front_matter_search_exclude_leaves_the_page_out() -> None:
    meta = {"search": {"exclude": True}}
    assert indexed_page("x.html", "<h1>标题</h1>", meta=meta) is None
    assert indexed_page("x.html", "<h1>标题</h1>", meta={"search": {"exclude": False}})


@pytest.mark.parametrize(
    ("meta", "boost", "date"),
    [
        ({}, 1, None),
        ({"search": {"boost": 4}}, 4, None),
        ({"search": {"boost": 2.5}, "date": "2021-06-28"}, 2.5, "2021-06-28"),
        ({"search": {"boost": "high"}, "date": "2021-06"}, 1, "2021-06"),
        ({"search": {"boost": -1}, "date": "2021"}, 1, "2021"),
        ({"search": {"boost": True}, "date": datetime.date(2021, 6, 28)}, 1, "2021-06-28"),
        ({"date": "去年"}, 1, None),
        ({"date": "2021-6-28"}, 1, None),
        ({"search": None, "date": 2021}, 1, None),
    ],
)
def test_boost_and_date_come_from_front_matter(meta: dict, boost: float, date: str | None):
    page = indexed_page("x.html", "<h1>标题</h1>", meta=meta)
    assert (page.boost, page.date) == (boost, date)
    documents = read_documents(build_index([page]))
    assert (documents[0]["boost"], documents[0]["date"]) == (boost, date)


def test_tags_are_lines_of_the_page_document() -> None:
    """Material shows a page's tags above its content: they are searchable text."""
    meta = {"tags": ["严管就是厚爱", "A &amp; B", "  "], "search": {"boost": 4}}
    page = indexed_page("x.html", "<h1>标题</h1><p>引言</p><p id='p-1'>正文</p>", meta=meta)
    assert page.documents[0].text == "严管就是厚爱\nA & B\n引言"
    assert indexed_page("y.html", "<h1>标题</h1>", meta=meta).documents[0].text == (
        "严管就是厚爱\nA & B"
    )


# --------------------------------------------------------------------------- index files


def _page(location: str, text: str, **kwargs: Any) -> IndexedPage:
    return IndexedPage(
        location,
        (Document("", location.upper(), ""), Document("p-1", None, text)),
        **kwargs,
    )


def test_manifest_has_materials_shape_and_points_at_the_shards() -> None:
    files = build_index([_page("a.html", "三会一课")])
    manifest = json.loads(files[MANIFEST_JSON])
    assert manifest["docs"] == []
    config = manifest["config"]
    assert config["lang"] == ["zh"] and config["separator"] == DEFAULT_SEPARATOR
    assert config["pipeline"] == [] and config["fields"] == {}
    pizhu = config["pizhu"]
    assert pizhu["format"] == INDEX_FORMAT
    assert (pizhu["pages"], pizhu["documents"], pizhu["characters"]) == (1, 2, 4)
    (name,) = [n for n in files if n.startswith("pizhu-")]
    assert pizhu["shards"] == [{"file": name, "pages": 1, "documents": 2}]
    assert sorted(files) == sorted([MANIFEST_JSON, MANIFEST_SCRIPT, name])
    script = files[MANIFEST_SCRIPT]
    assert script.startswith("var __index = {") and script.endswith("};\n")
    assert json.loads(script[len("var __index = ") : -2]) == manifest
    custom = json.loads(build_index([], lang=["zh", "en"], separator="[\\s]+")[MANIFEST_JSON])
    assert custom["config"]["lang"] == ["zh", "en"] and custom["config"]["separator"] == "[\\s]+"
    assert custom["config"]["pizhu"]["shards"] == []


def test_manifest_script_escapes_javascript_line_terminators() -> None:
    files = build_index([_page("a.html", "一\u2028二\u2029三")])
    assert "\u2028" not in files[MANIFEST_SCRIPT] and "\u2029" not in files[MANIFEST_SCRIPT]
    assert read_documents(files)[1]["text"] == "一\u2028二\u2029三"


def test_shards_are_ascii_calls_named_by_their_content() -> None:
    files = build_index([_page("a.html", "三会一课“两个维护”<b>&'\"\\"), _page("b.html", "量")])
    shards = [name for name in files if name.startswith("pizhu-")]
    assert len(shards) == 1
    (name,) = shards
    script = files[name]
    assert re.fullmatch(r"pizhu-[0-9a-f]{12}\.js", name)
    assert script.isascii()
    assert script.startswith(f"{SHARD_CALLBACK}({{") and script.endswith("});\n")
    assert (
        build_index([_page("a.html", "三会一课“两个维护”<b>&'\"\\"), _page("b.html", "量")])[name]
        == script
    )


def test_pages_are_split_into_shards_whole_and_in_location_order() -> None:
    pages = [_page(f"speeches/{n:02d}.html", "维护稳定" * 25 + str(n)) for n in range(30)]
    files = build_index(list(reversed(pages)), shard_characters=250)
    manifest = json.loads(files[MANIFEST_JSON])
    assert len(manifest["config"]["pizhu"]["shards"]) == 10  # three pages of ~100 each
    documents = read_documents(files)
    assert [d["location"] for d in documents if "#" not in d["location"]] == [
        page.location for page in pages
    ]
    assert documents == read_documents(build_index(pages, shard_characters=250))


def test_anchors_titles_and_paragraph_numbers_read_back() -> None:
    page = IndexedPage(
        "glossary/x.html",
        (
            Document("", "枫桥经验", "引言"),
            Document("一问题导向", "一、问题导向", ""),
            Document("p-12", None, "第十二段"),
            Document("p-012", None, "不是段落编号的写法"),
            Document("fn:1", None, "脚注"),
        ),
        boost=4,
        date="2021-06-28",
    )
    assert read_documents(build_index([page])) == [
        {
            "location": "glossary/x.html",
            "title": "枫桥经验",
            "text": "引言",
            "boost": 4,
            "date": "2021-06-28",
        },
        {"location": "glossary/x.html#一问题导向", "title": "一、问题导向", "text": ""},
        {"location": "glossary/x.html#p-12", "text": "第十二段"},
        {"location": "glossary/x.html#p-012", "text": "不是段落编号的写法"},
        {"location": "glossary/x.html#fn:1", "text": "脚注"},
    ]


def test_control_characters_never_reach_the_index() -> None:
    page = IndexedPage("a.html", (Document("", "标\x00题", "一\x00二\x07三\n四"),))
    (document,) = read_documents(build_index([page]))
    assert (document["title"], document["text"]) == ("标题", "一二三\n四")


def test_an_older_index_format_is_refused() -> None:
    files = build_index([_page("a.html", "三会一课")])
    manifest = json.loads(files[MANIFEST_JSON])
    manifest["config"]["pizhu"]["format"] = 1
    with pytest.raises(ValueError, match="format 1"):
        read_documents({**files, MANIFEST_JSON: json.dumps(manifest)})


# --------------------------------------------------------------------------- I/O


def test_write_index_writes_readable_files_and_removes_stale_shards(tmp_path: Path) -> None:
    stale = tmp_path / "search" / "pizhu-000000000000.js"
    stale.parent.mkdir()
    stale.write_text("pizhuSearchShard({});\n", encoding="utf-8")
    other = tmp_path / "search" / "notes.txt"
    other.write_text("keep", encoding="utf-8")
    files = build_index([_page("a.html", "三会一课"), _page("b.html", "两个维护")])
    write_index(tmp_path, files)
    assert not stale.exists() and other.exists()
    assert index_files(tmp_path) == files
    for name in files:
        mode = stat.S_IMODE((tmp_path / "search" / name).stat().st_mode)
        assert mode & 0o444 == 0o444, oct(mode)  # readable by the web server
    assert [d["text"] for d in read_index(tmp_path) if "#" in d["location"]] == [
        "三会一课",
        "两个维护",
    ]
    sizes = index_bytes(tmp_path)
    assert sizes["total"] == sizes["manifest"] + sizes["shards"]
    assert sizes["shards"] == sum(
        len(text.encode()) for name, text in files.items() if name.startswith("pizhu-")
    )


def _speech_contents() -> list[str]:
    """The searched HTML of each bundled speech page, as the hook puts it together."""
    from pizhu.generate import generate_pages
    from pizhu.speech_layout import LateFragment

    fragments: dict = {}
    generate_pages(ROOT, fragments=fragments, use_cache=False)
    return [
        "\n".join(f for f in found if not isinstance(f, LateFragment))
        for uri, found in sorted(fragments.items())
        if uri.startswith("speeches/")
    ]


def test_unwrapping_inline_tags_gives_the_same_documents() -> None:
    """page_documents unwraps concept links and redactions before it walks the tags: the
    documents must be those of the full walk, on every bundled speech and every case."""
    contents = [*_speech_contents(), *(case["html"] for case in CASES)]
    contents.append('<p id="p-1">学习<a class="pz-term" href="x.html">&lt;a&amp;b&gt;</a>。</p>')
    unwrapped = 0
    for content in contents:
        assert page_documents(content) == page_documents(content, unwrap=False)
        unwrapped += unwrap_inline(content) != content
    assert unwrapped >= 5  # the bundled speeches have concept links and redactions
