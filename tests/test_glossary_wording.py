"""The bundled glossary keeps the standard wording (提法) of its key entries.

The expected wording is data (tests/cases/glossary-wording.yml), checked against
authoritative texts (notes/glossary-sources.md). Besides the pinned entries, every entry
must explain itself: its summary says more than the words it is linked from, and its
related links go both ways.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from pizhu.glossary import Glossary, load_glossary

ROOT = Path(__file__).resolve().parent.parent
CASES = yaml.safe_load((ROOT / "tests" / "cases" / "glossary-wording.yml").read_text("utf-8"))
HAN = re.compile(r"[\u3400-\u9fff]")
# What a summary that names its origin mentions: a year, a document, a meeting, the charter.
ORIGIN = re.compile(
    r"\d{4}年|《|十[八九]大|二十大|十[八九]届|党章|报告|会议|会上|条例|准则|决议|规定|训词"
)


def squash(text: str) -> str:
    """Text without whitespace: definitions are wrapped over lines."""
    return "".join(text.split())


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossary(ROOT / "glossary.yml")


@pytest.mark.parametrize("term_id", list(CASES["entries"]))
def test_standard_wording(glossary: Glossary, term_id: str) -> None:
    expected = CASES["entries"][term_id]
    term = glossary.by_id(term_id)
    fields = {"term": term.term, "summary": term.summary, "definition": term.definition}
    for name, text in fields.items():
        if name in expected:
            assert text == expected[name], (term_id, name)
        for item in expected.get(f"{name}_contains", []):
            assert squash(item) in squash(text), (term_id, name, item)
        for item in expected.get(f"{name}_lacks", []):
            assert squash(item) not in squash(text), (term_id, name, item)
        position = 0
        for item in expected.get(f"{name}_in_order", []):
            found = squash(text).find(squash(item), position)
            assert found >= 0, (term_id, name, item)
            position = found + len(squash(item))
    assert not set(expected.get("aliases_lack", [])) & set(term.aliases), term_id
    assert set(expected.get("aliases_contain", [])) <= set(term.aliases), term_id


def test_the_wording_cases_can_fail() -> None:
    # Every pinned entry checks something (a typo in a key would silently check nothing).
    checks = re.compile(r"^(term|summary|definition)(_contains|_lacks|_in_order)?$|^aliases_")
    for term_id, expected in CASES["entries"].items():
        assert expected and all(checks.match(key) for key in expected), term_id


@pytest.mark.parametrize("word", CASES["unrelated_words"])
def test_no_form_inside_an_unrelated_word(glossary: Glossary, word: str) -> None:
    assert [form for form in glossary.forms() if form in word] == []


def test_every_summary_says_more_than_its_forms(glossary: Glossary) -> None:
    repeating = []
    for term in glossary:
        rest = term.summary
        for form in sorted(term.forms, key=len, reverse=True):
            rest = rest.replace(form, "")
        if len(HAN.findall(rest)) < 6:
            repeating.append((term.id, term.summary))
    assert repeating == []


@pytest.mark.parametrize("term_id", CASES["explained"])
def test_summaries_found_empty_now_give_content_and_origin(glossary: Glossary, term_id: str):
    summary = glossary.by_id(term_id).summary
    assert ORIGIN.search(summary), summary


def test_related_links_go_both_ways(glossary: Glossary) -> None:
    one_way = [
        (term.id, other)
        for term in glossary
        for other in term.related
        if term.id not in glossary.by_id(other).related
    ]
    assert one_way == []
