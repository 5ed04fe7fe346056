"""annotate.py: the editor's quotes (annotations, key_sentences) found in the cleaned
speech, and every problem named with its sidecar line and fix.

Cases are data: tests/cases/annotations/*.yml (see the README there). Each case runs the
real pipeline on ``sources/x.txt`` with ``sources/x.yml``: the build path
(``pipeline.process``, which stops at the first problem) and the path of
``build.py check`` (``read_sidecar`` + ``quote_problems``, every problem).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from conftest import CASES
from pizhu.annotate import fold_quote, quote_problems
from pizhu.errors import PizhuError, SourceError
from pizhu.model import TITLE_BLOCK
from pizhu.pipeline import process
from pizhu.sidecar import read_sidecar
from pizhu.yamlutil import load_yaml_file

CASE_DIR = CASES / "annotations"
DEFAULT_SOURCE = (CASE_DIR / "_source.txt").read_text(encoding="utf-8")
CASES_BY_FILE = {
    path.stem: load_yaml_file(path, PizhuError) for path in sorted(CASE_DIR.glob("*.yml"))
}
ALL_CASES = [(stem, case) for stem, cases in CASES_BY_FILE.items() for case in cases]


def test_every_kind_of_case_is_there():
    """The contract's kinds: found, normalised, spanning a term, ambiguous, missing, nth."""
    assert {"found", "normalised", "spanning", "ambiguous", "missing", "nth"} <= set(CASES_BY_FILE)


def where(speech, block: int) -> str:
    if block == TITLE_BLOCK:
        return "标题"
    if speech.blocks[block].kind == "heading":
        return "小标题"
    number = sum(1 for b in speech.blocks[: block + 1] if b.kind == "paragraph")
    return f"第{number}段"


def run_case(case: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    Path("sources").mkdir()
    source = case.get("source", DEFAULT_SOURCE)
    Path("sources/x.txt").write_text(source, encoding="utf-8")
    Path("sources/x.yml").write_text(case["sidecar"], encoding="utf-8")
    return source.encode("utf-8"), read_sidecar(Path("sources/x.yml"), "sources/x.yml")


@pytest.mark.parametrize(
    ("stem", "case"), ALL_CASES, ids=[f"{stem}-{case['name']}" for stem, case in ALL_CASES]
)
def test_case(stem, case, tmp_path, monkeypatch):
    data, (sidecar, problems) = run_case(case, tmp_path, monkeypatch)
    if not problems:
        plain = dataclasses.replace(sidecar, annotations=(), key_sentences=())
        speech = process(data, name="sources/x.txt", slug="x", sidecar=plain)
        problems = quote_problems(speech, sidecar)
    if "messages" in case:
        assert [str(p) for p in problems] == case["messages"]
        if not read_sidecar(Path("sources/x.yml"), "sources/x.yml")[1]:
            # The build stops at the first one.
            with pytest.raises(SourceError) as info:
                process(data, name="sources/x.txt", slug="x", sidecar=sidecar)
            assert str(info.value) == case["messages"][0]
        return
    assert problems == []
    speech = process(data, name="sources/x.txt", slug="x", sidecar=sidecar)
    title = " ".join((speech.title or "").split())

    def text_of(block: int) -> str:
        return title if block == TITLE_BLOCK else speech.blocks[block].text

    got = [
        {
            "number": a.number,
            "where": where(speech, a.block),
            "quote": text_of(a.block)[a.start : a.end],
            "note": a.note,
        }
        for a in speech.annotations
    ]
    assert got == case.get("annotations", [])
    assert [a.quote for a in speech.annotations] == [g["quote"] for g in got]
    keys = [
        {"where": where(speech, k.block), "quote": text_of(k.block)[k.start : k.end]}
        for k in speech.key_sentences
    ]
    assert keys == case.get("key_sentences", [])
    for item in (*speech.annotations, *speech.key_sentences):
        if item.paragraph is not None:
            assert where(speech, item.block) == f"第{item.paragraph}段"


def test_a_speech_without_sidecar_items_is_unchanged():
    speech = process(DEFAULT_SOURCE.encode(), name="sources/x.txt", slug="x")
    assert speech.annotations == () and speech.key_sentences == ()


def test_folding_ignores_only_what_does_not_matter():
    assert fold_quote('牢记"四句话、十六字"') == fold_quote("牢记“四句话、十六字”")
    assert fold_quote("严管 就是厚爱") == fold_quote("严管就是厚爱")
    assert fold_quote("严管就是厚爱。") != fold_quote("严管就是厚爱，")
    assert fold_quote("严管就是厚爱") != fold_quote("严管就是关爱")
