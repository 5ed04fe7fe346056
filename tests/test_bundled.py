"""The bundled speeches through the real CLI, against the hand-checked expected output.

tests/expected/<stem>.json was written by reading each raw speech sentence by sentence
(see tests/expected/README.md), independently of the code. If this fails, decide which
side is wrong; never regenerate the expected files from the pipeline's output.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = sorted((ROOT / "tests" / "expected").glob("*.json"))


def test_every_bundled_speech_has_an_expected_output():
    sources = sorted(p.stem for p in (ROOT / "sources").glob("*.txt"))
    assert [p.stem for p in EXPECTED] == sources


@pytest.mark.parametrize("path", EXPECTED, ids=[p.stem for p in EXPECTED])
def test_clean_json_equals_the_hand_checked_output(path: Path):
    result = subprocess.run(
        [sys.executable, "scripts/build.py", "clean", f"sources/{path.stem}.txt", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout)
    want = json.loads(path.read_text(encoding="utf-8"))
    assert list(got) == list(want)  # the contract's keys, in order
    for key in ("title", "subtitle", "speaker", "occasion", "date", "truncated"):
        assert got[key] == want[key], key
    assert got["blocks"] == want["blocks"]
    assert got["removed"] == want["removed"]
