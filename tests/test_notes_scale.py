"""500 notes on one speech page all come back after a reload (scripts/bench_notes.py
measures how long that takes; no timing is asserted here)."""

from __future__ import annotations

import pytest

import bench_notes
from conftest import Built

pytestmark = pytest.mark.browser


def test_five_hundred_notes_are_all_placed_again(browser, bundled: Built):
    result = bench_notes.measure(browser, bundled.site, notes=500, runs=1)
    assert result["placed"] == 500
    assert result["restore_ms"][0] > 0


def test_script_sizes_are_reported(bundled: Built):
    sizes = bench_notes.script_sizes(bundled.site)
    assert [name for name, _, _ in sizes] == list(bench_notes.SCRIPTS)
    assert all(0 < packed < raw for _, raw, packed in sizes)
