"""Whole copies of kinds of pages the cleaner was not built on, through the real CLI.

tests/cases/documents/<name>.txt is a copy exactly as a person would get it (WeChat
reader mode, document-preview sites, PDF text, a 360doc page, a Word plain-text export,
范文 pages, and clean controls), in its own encoding and line ends. <name>.json is what
``build.py clean FILE --json`` must print, written by reading the copy line by line
(tests/cases/documents/README.md records the evidence and every judgement call). If a
document fails, decide which side is wrong; never regenerate the JSON from the pipeline.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases" / "documents"
DOCUMENTS = sorted(CASES.glob("*.txt"))
KNOWN_FAILURES = yaml.safe_load((CASES / "known-failures.yml").read_text(encoding="utf-8")) or {}
FIELDS = ("title", "subtitle", "speaker", "occasion", "date", "truncated", "blocks", "removed")


def test_every_document_has_an_expected_output():
    texts = sorted(p.stem for p in DOCUMENTS)
    expected = sorted(p.stem for p in CASES.glob("*.json"))
    assert texts == expected
    assert len(texts) >= 10


def test_documents_cover_clean_controls_and_encodings():
    """At least two clean controls, and the bytes vary: BOMs, UTF-16, CRLF, GB18030."""
    stems = [p.stem for p in DOCUMENTS]
    assert sum(s.startswith("clean-") for s in stems) >= 2
    raw = [p.read_bytes() for p in DOCUMENTS]
    assert any(b.startswith(b"\xff\xfe") for b in raw)
    assert any(b.startswith(b"\xef\xbb\xbf") for b in raw)
    assert any(b"\r\n" in b for b in raw)
    not_utf8 = 0
    for b in raw:
        try:
            b.decode("utf-8")
        except UnicodeDecodeError:
            not_utf8 += 1
    assert not_utf8 >= 2  # GB18030 copies


def _documents() -> list:
    """Every document; those in known-failures.yml as strict xfails (fixing one is noticed)."""
    return [
        pytest.param(
            p,
            id=p.stem,
            marks=[pytest.mark.xfail(reason=KNOWN_FAILURES[p.stem], strict=True)]
            if p.stem in KNOWN_FAILURES
            else [],
        )
        for p in DOCUMENTS
    ]


def test_known_failures_name_real_documents():
    assert set(KNOWN_FAILURES) <= {p.stem for p in DOCUMENTS}


@pytest.mark.parametrize("path", _documents())
def test_clean_json_equals_the_expected_output(path: Path):
    result = subprocess.run(
        [sys.executable, "scripts/build.py", "clean", str(path.relative_to(ROOT)), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout)
    want = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    assert list(got) == list(FIELDS)  # the contract's keys, in order
    assert list(want) == list(FIELDS)
    assert got == want


@pytest.mark.parametrize(
    "path",
    [p for p in DOCUMENTS if p.stem.startswith("clean-")],
    ids=[p.stem for p in DOCUMENTS if p.stem.startswith("clean-")],
)
def test_clean_control_oracle_removes_nothing(path: Path):
    """A clean control keeps every line: its oracle must not list a removal."""
    want = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    assert want["removed"] == []
