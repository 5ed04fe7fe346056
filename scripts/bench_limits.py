"""Work stays linear: one speech at decode's size limits, timed against half that size.

decode.py refuses a source over MAX_SOURCE_CHARS characters or with a line over
MAX_LINE_CHARS (issue 8 §5); this checks that what it accepts costs time proportional to
its size: the pipeline and the page render of one speech at the limit take about twice
as long as at half the limit (goal ≤ 2.6×), and at most 5 s. Part of ``make bench``.

    .venv/bin/python scripts/bench_limits.py

Exit status 1 when a goal is missed.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from bench_corpus import NOISE, seed_sentences  # noqa: E402
from pizhu.decode import MAX_LINE_CHARS, MAX_SOURCE_CHARS  # noqa: E402
from pizhu.generate import load_project_glossary, render_pages  # noqa: E402
from pizhu.pipeline import process  # noqa: E402

GOAL_SECONDS = 5.0
GOAL_RATIO = 2.6  # time at the limit / time at half the limit; 2.0 when exactly linear
RUNS = 3  # timings per size; the fastest counts


def limit_speech(pool: list[str], chars: int, line_chars: int) -> bytes:
    """A speech of ``chars`` characters in lines of ``line_chars`` (site noise included)."""
    rng = random.Random(chars + line_chars)
    lines, total, line = ["合成讲话：在全市工作会议上的讲话", "同志们："], 40, ""
    while total < chars:
        line += rng.choice(pool)
        if len(line) >= line_chars or total + len(line) >= chars:
            line = line[: min(line_chars, chars - total)]
            lines.append(line if rng.random() > 0.05 else rng.choice(NOISE))
            total += len(lines[-1]) + 1
            line = ""
    return "\n".join(lines).encode()


def main() -> int:
    pool = seed_sentences()
    glossary = load_project_glossary(ROOT)

    def seconds(chars: int, line_chars: int) -> float:
        """The best of RUNS: one timing of a second's work on a busy 2-core machine varies
        by a fifth, enough to move the ratio across its goal."""
        data = limit_speech(pool, chars, line_chars)
        best = float("inf")
        for _ in range(RUNS):
            start = time.perf_counter()
            render_pages([process(data, name="x.txt", slug="x")], glossary)
            best = min(best, time.perf_counter() - start)
        return best

    missed = 0
    print(f"{'one speech':34} {'at limit':>9} {'at half':>9} {'ratio':>7}  goal")
    for label, line_chars in (
        ("at the size limit", 400),
        ("lines at the line limit", MAX_LINE_CHARS),
    ):
        full = seconds(MAX_SOURCE_CHARS - 1000, line_chars)
        half = seconds(
            MAX_SOURCE_CHARS // 2 - 500,
            line_chars // 2 if line_chars == MAX_LINE_CHARS else line_chars,
        )
        ok = full <= GOAL_SECONDS and full / half <= GOAL_RATIO
        missed += not ok
        print(
            f"{label:34} {full:8.2f}s {half:8.2f}s {full / half:6.2f}×  "
            f"≤ {GOAL_SECONDS:.0f} s, ≤ {GOAL_RATIO}× {'✓' if ok else '✗ MISSED'}"
        )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
