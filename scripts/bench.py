"""Benchmark the Pizhu pipeline on a synthetic corpus, against stated targets.

Speed and memory targets live here, not in timed tests: a test suite on a busy 2-core
machine is no place for stopwatches. This script builds a synthetic project (N dirty raw
speeches of about 8,000 characters made from the bundled speeches' sentences, half of them
GB18030, with site noise mixed in; the real glossary plus synthetic concepts up to T terms),
then times each stage and records peak memory. With --mkdocs it also runs the real
``mkdocs build --strict`` of that project.

Examples:

    .venv/bin/python scripts/bench.py                    # N=100, T=2,000
    .venv/bin/python scripts/bench.py -n 1000 --terms 2000
    .venv/bin/python scripts/bench.py -n 100 --mkdocs    # also the real site build

Exit status 1 when a target is missed (each row says which).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from pizhu.decode import MAX_LINE_CHARS, MAX_SOURCE_CHARS  # noqa: E402
from pizhu.generate import (  # noqa: E402
    concept_index,
    load_project_glossary,
    load_speeches,
    render_pages,
)
from pizhu.pipeline import process  # noqa: E402
from pizhu.search_files import index_bytes  # noqa: E402

SPEECH_CHARS = 8000
NOISE = [
    "本文档编辑密码：bench2024",
    "会员群：12345678  免费QQ群：87654321",
    "第2页/共5页",
    "- 7 -",
    "微信扫一扫在手机阅读、分享本文",
    "阅读全文>>",
    "当前位置：首页 > 范文大全 > 讲话稿",
]
CN_NUMBERS = "一二三四五六七八九十"

#: Targets per stage. Seconds scale with N (per 1,000 speeches) unless marked "fixed".
TARGETS = {
    "pipeline (decode, clean, structure)": ("s/1000", 60.0),
    "glossary load": ("fixed s", 2.0),
    "linking (all terms, one pass)": ("s/1000", 15.0),
    # At the synthetic worst case (~500 linked occurrences per speech, over 15x the real site).
    "render all pages": ("s/1000", 60.0),
    "peak memory (RSS)": ("MB/1000", 1500.0),
    "mkdocs build --strict": ("s/1000", 240.0),
    "mkdocs peak RSS": ("MB/1000", 2500.0),
    # One source at decode's size limits (the largest a build accepts), and how the time
    # grows from half that size: about 2x when the work is linear.
    "one speech at the size limit": ("fixed s", 5.0),
    "  time at the limit / at half": ("fixed x", 2.6),
    "one speech of lines at the line limit": ("fixed s", 5.0),
    "  time at the line limit / at half": ("fixed x", 2.6),
}


def sentences() -> list[str]:
    """Sentences of the bundled speeches (cleaned), the material for synthetic ones."""
    found: list[str] = []
    for speech in load_speeches(ROOT):
        for block in speech.paragraphs:
            found.extend(s + "。" for s in block.text.split("。") if len(s) > 8)
    return found


def synthetic_speech(rng: random.Random, pool: list[str], number: int) -> str:
    lines = [f"合成讲话第{number}号：在全市第{number}次工作会议上的讲话", "同志们："]
    chars, section = 0, 0
    while chars < SPEECH_CHARS:
        if chars >= section * 2000:
            lines.append(f"{CN_NUMBERS[section % 10]}、第{section + 1}部分工作要求")
            section += 1
        paragraph = "".join(rng.choice(pool) for _ in range(rng.randint(3, 7)))
        lines.append(paragraph)
        chars += len(paragraph)
        if rng.random() < 0.1:
            lines.append(rng.choice(NOISE))
    lines.append("谢谢大家！")
    return "\n".join(lines) + "\n"


def synthetic_glossary(rng: random.Random, pool: list[str], terms: int) -> str:
    """The real glossary plus synthetic entries (phrases cut from the corpus) up to ``terms``."""
    text = (ROOT / "glossary.yml").read_text(encoding="utf-8")
    taken = set(re.findall(r"[\u4e00-\u9fff“”、，]{2,}", text))
    extra: list[str] = []
    count = text.count("\n  term: ") or len(re.findall(r"^[a-z0-9-]+:\s*$", text, re.M))
    seen: set[str] = set()
    while count + len(extra) < terms:
        sentence = rng.choice(pool)
        start = rng.randrange(max(1, len(sentence) - 8))
        phrase = sentence[start : start + rng.randint(4, 7)]
        if not re.fullmatch(r"[\u4e00-\u9fff]{4,7}", phrase) or phrase in seen:
            continue
        if any(phrase in t or t in phrase for t in taken if len(t) >= 4):
            continue
        seen.add(phrase)
        extra.append(
            f"syn-{len(extra):05d}:\n  term: {phrase}\n  category: 政治理论\n"
            f"  summary: 合成概念{len(extra)}。\n  definition: 合成概念，仅用于性能测试。\n"
        )
    return text.rstrip("\n") + "\n\n" + "\n".join(extra)


def make_project(dest: Path, n: int, terms: int, seed: int) -> None:
    rng = random.Random(seed)
    pool = sentences()
    (dest / "sources").mkdir(parents=True)
    for i in range(n):
        raw = synthetic_speech(rng, pool, i + 1)
        data = raw.encode("gb18030") if i % 2 else raw.encode("utf-8")
        (dest / "sources" / f"bench-{i + 1:05d}.txt").write_bytes(data)
    (dest / "glossary.yml").write_text(synthetic_glossary(rng, pool, terms), encoding="utf-8")


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


def linear_work(pool: list[str], glossary: Any) -> list[tuple[str, float, str]]:
    """Decode, clean, structure and render one speech at the size limits and at half."""

    def work(chars: int, line_chars: int) -> float:
        data = limit_speech(pool, chars, line_chars)
        return timed(lambda: render_pages([process(data, name="x.txt", slug="x")], glossary))[1]

    rows: list[tuple[str, float, str]] = []
    for label, line_chars in (("", 400), ("of lines at the line limit", MAX_LINE_CHARS)):
        full = work(MAX_SOURCE_CHARS - 1000, line_chars)
        half = work(MAX_SOURCE_CHARS // 2 - 500, line_chars // 2 if label else line_chars)
        name = f"one speech {label or 'at the size limit'}"
        rows += [(name, full, "s"), (TARGET_RATIO_ROWS[bool(label)], full / half, "x")]
    return rows


TARGET_RATIO_ROWS = ("  time at the limit / at half", "  time at the line limit / at half")


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def run(n: int, terms: int, seed: int, with_mkdocs: bool, keep: Path | None) -> int:
    work = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="pizhu-bench-"))
    if work.exists() and keep:
        shutil.rmtree(work)
    make_project(work, n, terms, seed)
    rows: list[tuple[str, float, str]] = []

    speeches, t_pipeline = timed(lambda: load_speeches(work))
    glossary, t_glossary = timed(lambda: load_project_glossary(work))
    index, t_link = timed(lambda: concept_index(speeches, glossary))
    hits = sum(len(found) for found in index.by_speech.values()) if index else 0
    pages, t_render = timed(lambda: render_pages(speeches, glossary))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    rows += [
        ("pipeline (decode, clean, structure)", t_pipeline, "s"),
        ("glossary load", t_glossary, "s"),
        ("linking (all terms, one pass)", t_link, "s"),
        ("render all pages", t_render, "s"),
        ("peak memory (RSS)", peak / 2**20, "MB"),
    ]
    rows += linear_work(sentences(), load_project_glossary(ROOT))
    print(
        f"corpus: {n} speeches, {sum(s.char_count for s in speeches):,} characters, "
        f"{len(glossary.terms) if glossary else 0:,} glossary terms, {len(pages):,} pages, "
        f"{hits:,} concept occurrences ({hits / max(n, 1):,.0f} per speech; the bundled "
        "site has about 30: the synthetic terms are cut from the corpus itself, a worst case)"
    )

    if with_mkdocs:
        for name in ("mkdocs.yml",):
            shutil.copy2(ROOT / name, work / name)
        for folder in ("scripts", "overrides", "docs"):
            shutil.copytree(
                ROOT / folder,
                work / folder,
                ignore=shutil.ignore_patterns("__pycache__", "speeches", "glossary", "index.md"),
            )
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        result, t_build = timed(
            lambda: subprocess.run(
                [sys.executable, "-m", "mkdocs", "build", "--strict", "-q"],
                cwd=work,
                env=env,
                capture_output=True,
                text=True,
            )
        )
        if result.returncode != 0:
            print(result.stdout + result.stderr)
            return 1
        rss = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
        size = sum(f.stat().st_size for f in (work / "site").rglob("*") if f.is_file())
        index = index_bytes(work / "site")["total"]  # manifest + shards
        rows += [("mkdocs build --strict", t_build, "s"), ("mkdocs peak RSS", rss, "MB")]
        print(f"site: {size / 2**20:.1f} MB, search index {index / 2**20:.1f} MB")

    failed = 0
    print(f"\n{'stage':40} {'measured':>12} {'target':>12}")
    for name, value, unit in rows:
        kind, per_thousand = TARGETS[name]
        target = per_thousand if kind.startswith("fixed") else per_thousand * max(n, 100) / 1000
        ok = value <= target
        failed += not ok
        mark = "" if ok else "  MISSED"
        print(f"{name:40} {value:10.2f} {unit:<2}{target:10.2f} {unit:<2}{mark}")
    if not keep:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--speeches", type=int, default=100)
    parser.add_argument("--terms", type=int, default=2000, help="glossary size (default 2,000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mkdocs", action="store_true", help="also run mkdocs build --strict")
    parser.add_argument("--keep", type=Path, help="build the project here and keep it")
    args = parser.parse_args(argv)
    return run(args.speeches, args.terms, args.seed, args.mkdocs, args.keep)


if __name__ == "__main__":
    sys.exit(main())
