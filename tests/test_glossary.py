"""glossary.py: strict loading of glossary.yml.

Every error kind is a data file in tests/cases/glossary/ with the YAML text and the exact
one-line message (file, line, problem, fix) the user must see.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pizhu.errors import GlossaryError
from pizhu.glossary import (
    CATEGORIES,
    SUMMARY_TARGET,
    Glossary,
    Term,
    load_glossary,
    parse_glossary,
)

ROOT = Path(__file__).resolve().parent.parent
CASES = sorted((ROOT / "tests" / "cases" / "glossary").glob("*.yml"))
GLOSSARY = ROOT / "glossary.yml"


def _case(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


ERROR_CASES = [p for p in CASES if "error" in _case(p)]
VALID_CASES = [p for p in CASES if "error" not in _case(p)]


@pytest.mark.parametrize("path", ERROR_CASES, ids=[p.stem for p in ERROR_CASES])
def test_error_message(path: Path) -> None:
    case = _case(path)
    with pytest.raises(GlossaryError) as caught:
        parse_glossary(case["glossary"], "glossary.yml")
    assert str(caught.value) == case["error"], case["description"]


@pytest.mark.parametrize("path", VALID_CASES, ids=[p.stem for p in VALID_CASES])
def test_valid_glossary(path: Path) -> None:
    case = _case(path)
    glossary = parse_glossary(case["glossary"], "glossary.yml")
    assert glossary.forms() == case["forms"]
    assert list(glossary.forms()) == list(case["forms"])  # file order


def test_error_cases_cover_every_kind() -> None:
    # Guards against a case file silently turning valid (then it would test nothing).
    assert len(ERROR_CASES) >= 25
    assert len(VALID_CASES) >= 1


def test_parsed_entry_fields() -> None:
    case = _case(ROOT / "tests" / "cases" / "glossary" / "valid.yml")
    glossary = parse_glossary(case["glossary"], "glossary.yml")
    first, second = glossary.terms
    assert first == Term(
        id="quanmian-congyan-zhidang",
        term="全面从严治党",
        aliases=("从严治党",),
        category="党的建设",
        summary="管党治党的方针。",
        definition="党的十八大以来的管党治党方针。\n\n第二段。\n",
        related=("cong-yan-zhi-jing",),
        source=None,
        line=2,
    )
    assert second.summary == "对队伍严格管理。"  # surrounding spaces stripped
    assert second.aliases == () and second.related == ()
    assert second.source == "全国公安工作会议（2019年5月）"
    assert glossary.by_id("cong-yan-zhi-jing") is second
    with pytest.raises(KeyError):
        glossary.by_id("si-feng")


def test_load_glossary_names_the_real_path(tmp_path: Path) -> None:
    path = tmp_path / "glossary.yml"
    path.write_text("si-feng: [四风]\n", encoding="utf-8")
    with pytest.raises(GlossaryError) as caught:
        load_glossary(path)
    assert str(caught.value) == (
        f"{path}:1: entry 'si-feng' must be a mapping of fields, not a list; "
        "indent its fields (term, category, summary, definition …) under the id"
    )


def test_load_glossary_rejects_non_utf8_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "glossary.yml"
    path.write_bytes("# 概念表\nsi-feng:\n  term: 四风\n".encode())
    path.write_bytes(path.read_bytes() + "  summary: 作风问题。\n".encode("gb18030"))
    with pytest.raises(GlossaryError) as caught:
        load_glossary(path, "glossary.yml")
    assert str(caught.value) == (
        "glossary.yml:4: not UTF-8 (first bad byte 0xd7 at byte offset 47); save the file as UTF-8"
    )


# --- the bundled glossary --------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled() -> Glossary:
    return load_glossary(GLOSSARY)


def test_bundled_glossary_loads(bundled: Glossary) -> None:
    assert len(bundled) >= 30
    assert bundled.path == str(GLOSSARY)


def test_bundled_summaries_are_short(bundled: Glossary) -> None:
    too_long = [(t.id, len(t.summary)) for t in bundled if len(t.summary) > SUMMARY_TARGET]
    assert too_long == []


def test_bundled_glossary_uses_every_category(bundled: Glossary) -> None:
    assert list(bundled.categories()) == list(CATEGORIES)


@pytest.mark.parametrize(
    ("form", "term_id"),
    [
        ("四句话、十六字", "si-ju-hua-shiliu-zi"),
        ("对党忠诚、服务人民、执法公正、纪律严明", "si-ju-hua-shiliu-zi"),
        ("政治过硬、业务过硬、责任过硬、纪律过硬、作风过硬", "wu-ge-guoying"),
        ("不忘初心，牢记使命", "buwang-chuxin-laoji-shiming"),
        ("“不忘初心、牢记使命”主题教育", "buwang-chuxin-zhuti-jiaoyu"),
        ("从严治党", "quanmian-congyan-zhidang"),
        ("从严治警", "cong-yan-zhi-jing"),
        ("枫桥经验", "fengqiao-jingyan"),
    ],
)
def test_bundled_forms(bundled: Glossary, form: str, term_id: str) -> None:
    assert bundled.forms()[form] == term_id


def test_bundled_definitions_are_plain_chinese_text(bundled: Glossary) -> None:
    # The summary is a plain-text tooltip: no Markdown, no HTML.
    for term in bundled:
        assert not any(mark in term.summary for mark in "*_[]<>`#|"), term.id
        assert term.definition.strip(), term.id
