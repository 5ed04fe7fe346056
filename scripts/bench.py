"""Benchmark Pizhu against the goals of issue 9, with bare Material as the baseline.

``make bench`` (N = 100 and 1,000) and ``make bench-quick`` (N = 100) run this script.
Speed and memory goals live here, not in timed tests: a test suite on a busy 2-core machine
is no place for stopwatches.

For each N it writes a synthetic corpus (``bench_corpus.py``: N dirty speeches of ~8,000
characters, half GB18030, with site noise) as a Pizhu project, and the same text as plain
Markdown for bare Material (``search: lang: zh``, jieba installed), then measures in child
processes (``bench_site.py``; CPU = user + system time of the child, peak = its max RSS):

- the full ``mkdocs build --strict`` of both, from a fresh project (CPU time ratio);
- Pizhu's own generation, ``scripts/build.py build``: cold (fresh project, no generated
  pages, empty cache) and again with nothing changed;
- ``mkdocs serve``: one source edited, seconds until the served page shows the edit, and
  how many builds serve ran for it;
- peak memory of the Pizhu build, and the size of both sites;
- search from file:// in Debian's Chromium (``bench_search.site_open_to_first_result``): open
  index.html -> first result drawn, and the bytes of search/ files the page loaded;
- the large-glossary case: the same corpus with T synthetic glossary terms (default 2,000).

CPU times vary by ±15% between runs on a shared machine, and noise only adds time: the
builds and the cold generation run ``--repeat`` times (default 2), each from a fresh
project, and the least CPU counts; the large-glossary build runs again only when it was
stopped at its limit. The table shows every run.

It prints one table (goal, measured, ratio to Material, ✓/✗) and exits 1 on any miss.

Examples:

    .venv/bin/python scripts/bench.py -n 100                 # make bench-quick
    .venv/bin/python scripts/bench.py -n 100 -n 1000         # make bench
    .venv/bin/python scripts/bench.py -n 300 --keep /tmp/b   # keep the projects and sites
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from bench_corpus import (  # noqa: E402
    Corpus,
    glossary_size,
    make_corpus,
    write_material_project,
    write_pizhu_project,
)
from bench_site import Run, generate, mkdocs_build, serve_edit, tree_size  # noqa: E402

MB = 2**20
CHROMIUM = Path("/usr/bin/chromium")
#: A phrase of the seed speeches, so that every synthetic corpus finds it.
SEARCH_QUERY = "全面从严治党"
#: Generous limits: a run past them is stopped and counted as a miss.
BUILD_TIMEOUT = 3600.0
SERVE_TIMEOUT = 600.0


@dataclass(frozen=True)
class Goal:
    """A goal of issue 9: ``value <= limit`` holds."""

    what: str
    text: str
    limit: float


GOALS = {
    "build": Goal("full `mkdocs build --strict`, CPU", "≤ 0.50× Material", 0.5),
    "cold": Goal("Pizhu's generation, cold (CPU)", "≤ 5 s", 5.0),
    "warm": Goal("Pizhu's generation, nothing changed (CPU)", "≤ 1 s", 1.0),
    "serve": Goal("`mkdocs serve`: source saved → page updated", "≤ 10 s, 1 build", 10.0),
    "peak": Goal("peak memory of the build", "≤ 400 MB", 400.0),
    "size": Goal("site size", "≤ 0.35× Material", 0.35),
    "index": Goal("search index loaded from file://", "≤ 15 MB", 15.0),
    "search": Goal("search from file://: open → first result", "≤ 1 s", 1.0),
    "large": Goal("T-term glossary: build CPU vs the real glossary's", "≤ 2×", 2.0),
    "large_peak": Goal("T-term glossary: peak memory", "≤ 1 GB", 1024.0),
}


@dataclass(frozen=True)
class Row:
    goal: Goal
    measured: str
    vs_material: str
    ok: bool | None  # None: not known (the run was stopped before it could tell)


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def cpu(run: Run) -> str:
    return f"{run.cpu:.1f} s CPU (wall {run.wall:.1f} s)"


def check_build(run: Run, what: str) -> None:
    if run.returncode != 0:
        tail = "\n".join(run.log.splitlines()[-30:])
        raise SystemExit(f"{what} failed (exit {run.returncode}):\n{tail}")


def best_of(times: int, measure: Callable[[int], Run]) -> tuple[Run, str]:
    """The run with the least CPU of ``times`` (``measure(i)`` for i = 0, 1, …), and how
    the runs went ("best of 18.6, 19.4 s" when there are several).

    A CPU time on a shared 2-core machine varies by ±15% from run to run, and noise only
    ever adds time, so the least of a few runs is the figure to compare (as timeit does)."""
    found = [measure(i) for i in range(times)]
    best = min(found, key=lambda run: run.cpu)
    if times == 1:
        return best, ""
    return best, f"best of {', '.join(f'{run.cpu:.1f}' for run in found)} s"


def bench_n(
    n: int, terms: int, seed: int, work: Path, runs: int, full: bool, repeat: int = 1
) -> tuple[str, list[Row]]:
    """Every measurement for one N; returns a line about the corpus and the table rows."""
    progress(f"N={n:,}: writing the synthetic corpus")
    corpus: Corpus = make_corpus(n, terms, seed)
    base_terms = glossary_size(corpus.glossary)
    large_terms = glossary_size(corpus.large_glossary)
    about = (
        f"N={n:,}: {corpus.chars:,} characters in {n:,} speeches (half GB18030, site noise), "
        f"glossary {base_terms} terms (large case: T={large_terms:,})"
    )
    rows: list[Row] = []

    # Every build from a fresh project (no site/, no cache), best of ``repeat``.
    def material_build(i: int) -> Run:
        progress(f"N={n:,}: bare Material: mkdocs build --strict ({i + 1}/{repeat})")
        project = write_material_project(work / f"material-{i}", corpus)
        run = mkdocs_build(project, timeout=BUILD_TIMEOUT)
        check_build(run, "bare Material's build")
        progress(f"N={n:,}: bare Material: {cpu(run)}, {run.peak_mb:.0f} MB")
        return run

    material, material_runs = best_of(repeat, material_build)
    material_project = work / "material-0"
    material_site = tree_size(material_project / "site")
    material_index = (material_project / "site" / "search" / "search_index.json").stat().st_size
    progress(f"N={n:,}: bare Material: {cpu(material)}, {material.peak_mb:.0f} MB")

    def pizhu_build(i: int) -> Run:
        progress(f"N={n:,}: Pizhu: mkdocs build --strict ({i + 1}/{repeat})")
        run = mkdocs_build(write_pizhu_project(work / f"pizhu-{i}", corpus), timeout=BUILD_TIMEOUT)
        check_build(run, "Pizhu's build")
        progress(f"N={n:,}: Pizhu: {cpu(run)}, {run.peak_mb:.0f} MB")
        return run

    pizhu, pizhu_runs = best_of(repeat, pizhu_build)
    pizhu_project = work / "pizhu-0"
    pizhu_site = tree_size(pizhu_project / "site")
    ratio = pizhu.cpu / material.cpu
    how = f" ({pizhu_runs}; Material {material_runs})" if repeat > 1 else ""
    rows.append(
        Row(
            GOALS["build"],
            f"{cpu(pizhu)}; Material {cpu(material)}{how}",
            f"{ratio:.2f}×",
            ratio <= GOALS["build"].limit,
        )
    )

    progress(f"N={n:,}: Pizhu's generation, cold and with nothing changed")

    def cold_generation(i: int) -> Run:
        project = write_pizhu_project(work / f"generate-{i}", corpus)
        run = generate(project, timeout=BUILD_TIMEOUT, log_name=".bench-cold.log")
        check_build(run, "scripts/build.py build")
        return run

    cold, cold_runs = best_of(repeat, cold_generation)
    generation = work / "generate-0"
    warm = generate(generation, timeout=BUILD_TIMEOUT, log_name=".bench-warm.log")
    check_build(warm, "scripts/build.py build (again)")
    for key, run, how in (("cold", cold, cold_runs), ("warm", warm, "")):
        text = f"{cpu(run)} ({how})" if how else cpu(run)
        rows.append(Row(GOALS[key], text, "—", run.cpu <= GOALS[key].limit))

    speech = corpus.speeches[0]
    marker = f"这是保存后新增的一句话，修改编号为{seed}{n}{int(time.time()) % 100000}。"
    progress(f"N={n:,}: mkdocs serve, one source edited")
    edited = serve_edit(
        generation,
        generation / "sources" / f"{speech.slug}.txt",
        f"speeches/{speech.slug}.html",
        ("谢谢大家！", marker + "\n谢谢大家！"),
        marker,
        timeout=max(SERVE_TIMEOUT, 3 * pizhu.wall),
    )
    if edited.seconds is None:
        serve_text = f"not updated within {max(SERVE_TIMEOUT, 3 * pizhu.wall):.0f} s"
        serve_ok = False
    else:
        more = "+" if edited.builds >= 2 else ""
        serve_text = f"{edited.seconds:.1f} s, {edited.builds}{more} builds"
        serve_ok = edited.seconds <= GOALS["serve"].limit and edited.builds == 1
    rows.append(Row(GOALS["serve"], serve_text, "—", serve_ok))
    progress(f"N={n:,}: serve: {serve_text} (first build {edited.first_build:.0f} s)")

    rows.append(
        Row(
            GOALS["peak"],
            f"{pizhu.peak_mb:.0f} MB",
            f"{pizhu.peak_mb / material.peak_mb:.2f}× ({material.peak_mb:.0f} MB)",
            pizhu.peak_mb <= GOALS["peak"].limit,
        )
    )
    size_ratio = pizhu_site / material_site
    rows.append(
        Row(
            GOALS["size"],
            f"{pizhu_site / MB:.1f} MB",
            f"{size_ratio:.2f}× ({material_site / MB:.1f} MB)",
            size_ratio <= GOALS["size"].limit,
        )
    )

    rows += search_rows(pizhu_project / "site", material_index, runs, n)

    limit = None if full else GOALS["large"].limit * pizhu.cpu
    tries: list[Run] = []
    for i in range(repeat):  # again only while the builds so far were stopped at the limit
        progress(
            f"N={n:,}: Pizhu with {large_terms:,} glossary terms: mkdocs build --strict "
            f"({i + 1}/{repeat})"
        )
        project = write_pizhu_project(work / f"large-{i}", corpus, large_glossary=True)
        run = mkdocs_build(project, timeout=BUILD_TIMEOUT, cpu_limit=limit)
        if not run.stopped:
            check_build(run, f"Pizhu's build with {large_terms:,} terms")
        progress(f"N={n:,}: {large_terms:,} terms: {cpu(run)}, {run.peak_mb:.0f} MB")
        tries.append(run)
        if not run.stopped:
            break
    finished = [run for run in tries if not run.stopped]
    large = min(finished or tries, key=lambda run: run.cpu)
    large_ratio = large.cpu / pizhu.cpu
    over = "> " if large.stopped else ""
    stopped = " (stopped there: a miss; --full runs it to the end)" if large.stopped else ""
    if len(tries) > 1:
        stopped += f" ({len(tries)} tries: {', '.join(f'{run.cpu:.1f}' for run in tries)} s)"
    rows.append(
        Row(
            GOALS["large"],
            f"{over}{large.cpu:.1f} s CPU = {over}{large_ratio:.2f}× {pizhu.cpu:.1f} s{stopped}",
            f"{over}{large.cpu / material.cpu:.2f}×",
            not large.stopped and large_ratio <= GOALS["large"].limit,
        )
    )
    peak_ok = large.peak_mb <= GOALS["large_peak"].limit
    rows.append(
        Row(
            GOALS["large_peak"],
            f"{'≥ ' if large.stopped else ''}{large.peak_mb:.0f} MB",
            f"{large.peak_mb / material.peak_mb:.2f}×",
            # A stopped build may not have reached its peak: unknown unless already over.
            None if large.stopped and peak_ok else peak_ok,
        )
    )
    return about, rows


def search_rows(site: Path, material_index: int, runs: int, n: int) -> list[Row]:
    """Open -> first result from file:// in Chromium, and what the page loaded to get there."""
    if not CHROMIUM.exists():
        missing = f"not measured: {CHROMIUM} is missing"
        return [Row(GOALS["index"], missing, "—", False), Row(GOALS["search"], missing, "—", False)]
    from bench_search import site_open_to_first_result

    progress(f"N={n:,}: search from file:// in Chromium ({runs} runs)")
    found = site_open_to_first_result(site, SEARCH_QUERY, runs=runs)
    seconds = list(found["seconds"])  # type: ignore[call-overload]
    loaded = int(found["loaded"])  # type: ignore[call-overload]
    median = statistics.median(seconds)
    each = ", ".join(f"{s:.2f}" for s in seconds)
    progress(f"N={n:,}: search: {each} s; {found['meta']}; {loaded / MB:.1f} MB loaded")
    return [
        Row(
            GOALS["index"],
            f"{loaded / MB:.1f} MB",
            f"{loaded / material_index:.2f}× ({material_index / MB:.1f} MB json)",
            loaded / MB <= GOALS["index"].limit,
        ),
        Row(
            GOALS["search"],
            f"{median:.2f} s (median of {each}; “{SEARCH_QUERY}”: {found['meta']})",
            "—",
            median <= GOALS["search"].limit,
        ),
    ]


def table(results: list[tuple[int, str, list[Row]]], terms: int) -> str:
    lines = ["| N | | goal | measured | vs Material | |", "|---|---|---|---|---|---|"]
    for n, _, rows in results:
        for row in rows:
            what = row.goal.what.replace("T-term", f"{terms:,}-term")
            mark = {True: "✓", False: "✗", None: "?"}[row.ok]
            lines.append(
                f"| {n:,} | {what} | {row.goal.text} | {row.measured} | {row.vs_material} "
                f"| {mark} |"
            )
    return "\n".join(lines)


def run(
    counts: list[int],
    terms: int,
    seed: int,
    keep: Path | None,
    runs: int,
    full: bool,
    repeat: int = 1,
) -> int:
    base = keep or Path(tempfile.mkdtemp(prefix="pizhu-bench-"))
    load = os.getloadavg()[0]
    started = time.perf_counter()
    results: list[tuple[int, str, list[Row]]] = []
    try:
        for n in counts:
            work = base / f"n{n}"
            if work.exists():
                shutil.rmtree(work)
            about, rows = bench_n(n, terms, seed, work, runs, full, repeat)
            results.append((n, about, rows))
            if not keep:
                shutil.rmtree(work, ignore_errors=True)
    finally:
        if not keep:
            shutil.rmtree(base, ignore_errors=True)
    print()
    for _, about, _ in results:
        print(about)
    print(
        f"{os.cpu_count()} CPUs, load average {load:.1f} at start, "
        f"{os.getloadavg()[0]:.1f} at the end; {time.perf_counter() - started:.0f} s in all"
    )
    print()
    print(table(results, terms))
    missed = sum(row.ok is False for _, _, rows in results for row in rows)
    print(f"\n{missed} goal(s) missed" if missed else "\nevery goal met")
    return 1 if missed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("Examples:")[1],
    )
    parser.add_argument(
        "-n", dest="counts", type=int, action="append", help="speeches (repeatable; default 100)"
    )
    parser.add_argument("--terms", type=int, default=2000, help="large glossary (default 2,000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3, help="search page loads (median kept)")
    parser.add_argument("--keep", type=Path, help="write the projects here and keep them")
    parser.add_argument(
        "--repeat",
        type=int,
        default=2,
        help="builds and cold generations measured this many times, each from a fresh "
        "project, the least CPU kept (default 2; the large-glossary build is tried again "
        "only when it was stopped at its limit)",
    )
    parser.add_argument(
        "--full",
        action="store_true",
        help="run the large-glossary build to the end (by default it is stopped once its CPU "
        "time is past the goal: a miss either way)",
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return run(
        args.counts or [100], args.terms, args.seed, args.keep, args.runs, args.full, args.repeat
    )


if __name__ == "__main__":
    sys.exit(main())
