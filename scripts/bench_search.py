"""Benchmark Pizhu's search against its goals: index payload, open -> first result, reach.

A synthetic corpus of N speeches of about 8,000 characters (the bundled speeches' cleaned
sentences, shuffled with a fixed seed; a speech page's markup as Pizhu renders it, with a
date and the speech boost) plus a few concept pages is indexed with the real build code
(pizhu.search_index), and the index is put into a small site built with the real
``mkdocs build`` and Pizhu's theme and search hook. Debian's Chromium then opens that site
from file:// (and over HTTP) and searches as a reader does.

Goals (at every N measured; the issue states them for N = 1,000):

* payload: what a browser loads to search (manifest + shards) <= 15 MB;
* open -> first result from file://: the search box clicked and a phrase typed at once;
  milliseconds from the box getting the focus until the first result is drawn <= 1,000
  (from file:// the index starts loading then);
* reach: every page that matches a phrase found in about half of the speeches can be
  reached in the result list by scrolling it with the mouse wheel.

Also reported: the same over HTTP (where the index loads with the page), the time from
navigation start to the first result (page load included), READY (the index loaded and
unpacked, from the focus), and per query the time from the key that completes it to the
result count shown.

Examples:

    .venv/bin/python scripts/bench_search.py              # N = 100 and 1,000
    .venv/bin/python scripts/bench_search.py -n 10000 --runs 1 --no-reach

From Python: ``measure([100, 1000])`` returns one ``SearchBench`` per N. Exit status 1
when a goal is missed.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from html import escape
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from pizhu.search_files import index_bytes, write_index  # noqa: E402
from pizhu.search_index import IndexedPage, build_index, indexed_page  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

GOAL_PAYLOAD_MB = 15.0
GOAL_FIRST_RESULT_MS = 1000.0

SPEECH_CHARS = 8000
SPEECH_BOOST = 4  # render.SPEECH_SEARCH_BOOST
#: Phrases of the concept pages, one in about 5 % of the paragraphs each.
CONCEPTS = ["三会一课", "枫桥经验", "两个维护", "四种形态", "严管就是厚爱", "发现在早、处置在小"]
#: Phrase of the reach check: in about half of the speeches (issue 9: 563 of 1,000).
REACH_PHRASE = "基层治理"
REACH_SHARE = 0.56
#: Queries timed once the index is loaded (a common word, phrases, two words, nothing).
QUERIES = ["维护", "我们", "三会一课", "严管就是厚爱", "枫桥 维护", "量子纠缠", REACH_PHRASE]
HEADINGS = "一二三四五六七八九十"

SHELL_YML = """\
site_name: 检索基准
use_directory_urls: false
theme:
  name: material
  custom_dir: overrides
  language: zh
  font: false
  features:
    - search.highlight
plugins:
  - search
hooks:
  - scripts/mkdocs_search_hook.py
extra:
  generator: false
"""


# --------------------------------------------------------------------------- corpus


def sentences() -> list[str]:
    """Sentences of the bundled speeches (cleaned), the material for synthetic ones."""
    from pizhu.generate import load_speeches

    found: list[str] = []
    for speech in load_speeches(ROOT):
        for block in speech.paragraphs:
            found.extend(s + "。" for s in block.text.split("。") if len(s) > 8)
    if not found:
        raise SystemExit("sources/: no sentences found; the benchmark needs sample text")
    return found


def speech_content(number: int, pool: list[str], rng: random.Random, reach: bool) -> str:
    """A speech page's content HTML as Pizhu renders it (title, meta line, numbered
    paragraphs, sections every 8 paragraphs)."""
    title = escape(f"在第{number}次工作会议上的讲话")
    body = [f'<h1 id="t">{title}</h1>', '<p class="pz-meta">讲话人 某某 场合 工作会议</p>']
    size = paragraph = section = 0
    while size < SPEECH_CHARS:
        if paragraph % 8 == 0:
            heading = escape(f"{HEADINGS[section % 10]}、{rng.choice(pool)[:16]}")
            body.append(f'<h2 id="s{section}">{heading}</h2>')
            section += 1
        paragraph += 1
        text = "".join(rng.choice(pool) for _ in range(rng.randint(2, 6)))
        if rng.random() < 0.05:
            text += rng.choice(CONCEPTS) + "。"
        if reach and paragraph == 3:
            text += f"推进{REACH_PHRASE}现代化。"
        body.append(
            f'<p class="pz-p" id="p-{paragraph}"><a class="pz-pn" href="#p-{paragraph}">'
            f"{paragraph}</a> {escape(text)}</p>"
        )
        size += len(text)
    return "\n".join(body)


def concept_content(term: str) -> str:
    return (
        f"<h1>{escape(term)}</h1><p>{escape(term)}是一个概念。</p>"
        f'<h2 id="chuxian">出现于</h2><div class="pz-occurrences pz-search-exclude">'
        "<p>第1次会议上的讲话</p></div>"
    )


def corpus(count: int, seed: int = 1) -> list[IndexedPage]:
    """The synthetic site's pages, as the search hook collects them."""
    rng = random.Random(seed)
    pool = sentences()
    pages: list[IndexedPage] = []
    for number in range(count):
        day = datetime.date(2015, 1, 1) + datetime.timedelta(days=rng.randrange(3650))
        content = speech_content(number, pool, rng, rng.random() < REACH_SHARE)
        meta = {"search": {"boost": SPEECH_BOOST}, "date": day.isoformat()}
        page = indexed_page(f"speeches/s{number:05d}.html", content, meta=meta)
        assert page is not None
        pages.append(page)
    for number, term in enumerate(CONCEPTS):
        page = indexed_page(f"glossary/g{number}.html", concept_content(term), meta={})
        assert page is not None
        pages.append(page)
    return pages


def shell_site(directory: Path) -> Path:
    """A small site with Pizhu's theme overrides and search hook, built with mkdocs."""
    project = directory / "shell"
    if project.exists():
        shutil.rmtree(project)
    (project / "docs").mkdir(parents=True)
    (project / "docs" / "index.md").write_text("# 检索基准\n\n这一页只用来打开检索。\n", "utf-8")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "overrides", project / "overrides", ignore=ignore)
    (project / "scripts").mkdir()
    shutil.copy2(ROOT / "scripts" / "mkdocs_search_hook.py", project / "scripts")
    shutil.copytree(ROOT / "scripts" / "pizhu", project / "scripts" / "pizhu", ignore=ignore)
    (project / "mkdocs.yml").write_text(SHELL_YML, encoding="utf-8")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q"],
        cwd=project,
        env=env,
        check=True,
    )
    return project / "site"


# --------------------------------------------------------------------------- browser


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


# Run at navigation start: when the search box is first focused (the reader opens the
# search), when the index is READY and when the first result is drawn, in milliseconds
# since navigation start.
_CLOCK = """(() => {
  window.__bench = {open: 0, first: 0, ready: 0, whole: 0};
  document.addEventListener("focusin", ev => {
    if (!window.__bench.open && ev.target.matches && ev.target.matches(".md-search__input"))
      window.__bench.open = performance.now();
  }, true);
  new MutationObserver((_, observer) => {
    if (!window.__bench.first && document.querySelector(".md-search-result__item"))
      window.__bench.first = performance.now();
    const meta = document.querySelector(".md-search-result__meta");
    // the whole answer: every shard in (no "loading" mark), results counted
    if (window.__bench.first && meta && !meta.hasAttribute("data-pz-loading")) {
      window.__bench.whole = performance.now();
      observer.disconnect();
    }
  }).observe(document, {childList: true, subtree: true, attributes: true});
  const Base = window.Worker;
  let current = Base;
  Object.defineProperty(window, "Worker", {configurable: true, get() { return current; },
    set(value) { current = class extends value { constructor(...args) { super(...args);
      this.addEventListener("message", ev => {
        if (ev.data && ev.data.type === 1 && !window.__bench.ready)
          window.__bench.ready = performance.now();
      }); } }; }});
})();"""

_QUERY_CLOCK = """() => {
  const meta = document.querySelector(".md-search-result__meta");
  window.__query = {keyup: 0, shown: 0};
  document.addEventListener("keyup", () => { window.__query.keyup = performance.now(); },
                            {capture: true, once: true});
  new MutationObserver((_, observer) => {
    window.__query.shown = performance.now();
    observer.disconnect();
  }).observe(meta, {childList: true, characterData: true, subtree: true});
}"""

PLACEHOLDER = "键入以开始搜索"
#: The result line while shards are still loading (pizhu-search-results.js): the answer
#: so far; a later one replaces it.
WHOLE = (
    "(() => { const m = document.querySelector('.md-search-result__meta');"
    " return !m.hasAttribute('data-pz-loading') && m.textContent !== '%s'; })()"
)


def _new_page(browser: Any, base: str, width: int = 1280, height: int = 900) -> tuple[Any, Any]:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.route(
        "**/*",
        lambda route, request: route.continue_() if request.url.startswith(base) else route.abort(),
    )
    return context, page


def open_to_first_result(browser: Any, base: str, phrase: str) -> dict[str, float]:
    """Open the home page, click the search box and type the phrase at once."""
    context, page = _new_page(browser, base)
    try:
        page.add_init_script(_CLOCK)
        page.goto(base + "index.html", wait_until="domcontentloaded")
        page.click(".md-search__input")
        page.keyboard.insert_text(phrase)
        page.keyboard.press("End")
        page.wait_for_function("window.__bench.whole > 0", timeout=120_000)
        return page.evaluate("window.__bench")
    finally:
        context.close()


def query_times(browser: Any, base: str, queries: list[str]) -> dict[str, float]:
    """Key that completes a query -> result count shown, with the index loaded."""
    context, page = _new_page(browser, base)
    times: dict[str, float] = {}
    try:
        page.goto(base + "index.html")
        page.click(".md-search__input")
        page.wait_for_function(
            f"document.querySelector('.md-search-result__meta').textContent === '{PLACEHOLDER}'",
            timeout=120_000,
        )
        # The first answer once every shard is in (READY comes with the first shard).
        page.keyboard.insert_text(queries[0])
        page.keyboard.press("End")
        page.wait_for_function(WHOLE % PLACEHOLDER, timeout=120_000)
        for query in queries:
            page.fill(".md-search__input", "")
            page.keyboard.press("End")
            page.wait_for_function(
                f"document.querySelector('.md-search-result__meta').textContent === '{PLACEHOLDER}'"
            )
            page.evaluate(_QUERY_CLOCK)
            page.keyboard.insert_text(query)
            page.keyboard.press("End")
            page.wait_for_function("window.__query.shown > 0 && window.__query.keyup > 0")
            clock = page.evaluate("window.__query")
            times[query] = clock["shown"] - clock["keyup"]
    finally:
        context.close()
    return times


def reach(browser: Any, base: str, phrase: str) -> tuple[int, int]:
    """(pages reached by scrolling the list to its end with the mouse wheel, count shown)."""
    context, page = _new_page(browser, base)
    try:
        page.goto(base + "index.html")
        page.click(".md-search__input")
        page.wait_for_function(
            f"document.querySelector('.md-search-result__meta').textContent === '{PLACEHOLDER}'",
            timeout=120_000,
        )
        page.keyboard.insert_text(phrase)
        page.keyboard.press("End")
        page.wait_for_selector(".md-search-result__item", timeout=60_000)
        page.wait_for_function(WHOLE % PLACEHOLDER, timeout=120_000)  # the whole count
        meta = page.locator(".md-search-result__meta").text_content() or ""
        shown = int(meta.split(" ", 1)[0]) if meta[:1].isdigit() else 1
        box = page.locator(".md-search__scrollwrap").bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        selector = ".md-search-result__item > .md-search-result__link:first-child"
        seen, still = -1, 0
        for step in range(20 * shown + 100):
            page.mouse.wheel(0, (120, 900, 4000)[step % 3])
            page.wait_for_timeout(20)
            count = page.locator(selector).count()
            still = still + 1 if count == seen else 0
            seen = count
            if count >= shown or still >= 40:
                break
        return seen, shown
    finally:
        context.close()


# --------------------------------------------------------------------------- runs


@dataclass
class SearchBench:
    """The numbers of one corpus size."""

    speeches: int
    pages: int
    characters: int
    payload_bytes: int  # manifest + shards: what a browser loads to search
    shards: int
    index_seconds: float  # Python: content HTML -> index files
    first_result_ms: dict[str, float] = field(default_factory=dict)  # focus -> drawn
    page_first_ms: dict[str, float] = field(default_factory=dict)  # navigation -> drawn
    ready_ms: dict[str, float] = field(default_factory=dict)  # focus -> READY
    whole_ms: dict[str, float] = field(default_factory=dict)  # focus -> the whole answer
    query_ms: dict[str, float] = field(default_factory=dict)  # file://
    reached: tuple[int, int] | None = None  # (reached, matching) for REACH_PHRASE

    @property
    def payload_mb(self) -> float:
        return self.payload_bytes / 1e6

    def misses(self) -> list[str]:
        found = []
        if self.payload_mb > GOAL_PAYLOAD_MB:
            found.append(f"payload {self.payload_mb:.1f} MB > {GOAL_PAYLOAD_MB:.0f} MB")
        first = self.first_result_ms.get("file")
        if first is not None and first > GOAL_FIRST_RESULT_MS:
            found.append(
                f"file:// open -> first result {first:.0f} ms > {GOAL_FIRST_RESULT_MS:.0f}"
            )
        if self.reached is not None and self.reached[0] != self.reached[1]:
            found.append(f"reached {self.reached[0]} of {self.reached[1]} results")
        return found


def _serve(directory: Path) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(directory))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def measure(
    counts: list[int] | tuple[int, ...] = (100, 1000),
    *,
    runs: int = 3,
    with_reach: bool = True,
    keep: Path | None = None,
) -> list[SearchBench]:
    """Index, open and search a synthetic corpus of each size; the median of ``runs``."""
    from playwright.sync_api import sync_playwright

    base = keep or Path(tempfile.mkdtemp(prefix="pizhu-search-bench-"))
    results: list[SearchBench] = []
    try:
        shell = shell_site(base)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for count in counts:
                pages = corpus(count)
                started = time.perf_counter()
                files = build_index(pages)
                seconds = time.perf_counter() - started
                site = base / f"n{count}"
                if site.exists():
                    shutil.rmtree(site)
                shutil.copytree(shell, site)
                write_index(site, files)
                row = SearchBench(
                    speeches=count,
                    pages=len(pages),
                    characters=sum(len(d.text) for p in pages for d in p.documents),
                    payload_bytes=index_bytes(site)["total"],
                    shards=len(files) - 2,
                    index_seconds=seconds,
                )
                server, http = _serve(site)
                try:
                    for transport, url in (("file", site.as_uri() + "/"), ("http", http)):
                        clocks = [
                            open_to_first_result(browser, url, "三会一课") for _ in range(runs)
                        ]
                        row.first_result_ms[transport] = statistics.median(
                            c["first"] - c["open"] for c in clocks
                        )
                        row.page_first_ms[transport] = statistics.median(c["first"] for c in clocks)
                        row.ready_ms[transport] = statistics.median(
                            max(0.0, c["ready"] - c["open"]) for c in clocks
                        )
                        row.whole_ms[transport] = statistics.median(
                            c["whole"] - c["open"] for c in clocks
                        )
                    row.query_ms = query_times(browser, site.as_uri() + "/", QUERIES)
                    if with_reach:
                        row.reached = reach(browser, site.as_uri() + "/", REACH_PHRASE)
                finally:
                    server.shutdown()
                    server.server_close()
                results.append(row)
            browser.close()
    finally:
        if not keep:
            shutil.rmtree(base, ignore_errors=True)
    return results


def report(rows: list[SearchBench]) -> str:
    lines = [
        f"goals: payload <= {GOAL_PAYLOAD_MB:.0f} MB; file:// open -> first result <= "
        f"{GOAL_FIRST_RESULT_MS:.0f} ms; every result of {REACH_PHRASE!r} reachable",
        "",
        "| N | characters | payload MB (shards) | index s | file:// open→first ms | ready ms |"
        " whole ms | page→first ms | HTTP open→first ms | page→first ms | reached | goals |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        reached = f"{row.reached[0]}/{row.reached[1]}" if row.reached else "-"
        misses = row.misses()
        lines.append(
            f"| {row.speeches:,} | {row.characters:,} | {row.payload_mb:.1f} ({row.shards}) "
            f"| {row.index_seconds:.1f} | {row.first_result_ms['file']:.0f} "
            f"| {row.ready_ms['file']:.0f} | {row.whole_ms['file']:.0f} "
            f"| {row.page_first_ms['file']:.0f} "
            f"| {row.first_result_ms['http']:.0f} | {row.page_first_ms['http']:.0f} | {reached} "
            f"| {'ok' if not misses else 'MISSED: ' + '; '.join(misses)} |"
        )
    lines += ["", "per query, file:// (key -> result count shown, ms):", ""]
    lines.append("| N | " + " | ".join(QUERIES) + " |")
    lines.append("|---|" + "---|" * len(QUERIES))
    for row in rows:
        lines.append(
            f"| {row.speeches:,} | " + " | ".join(f"{row.query_ms[q]:.0f}" for q in QUERIES) + " |"
        )
    return "\n".join(lines)


def site_open_to_first_result(site: Path, query: str, runs: int = 3) -> dict[str, object]:
    """The interface scripts/bench.py uses (keep it when the internals change): a built site
    opened from file:// in Chromium, nothing outside it loadable; each run opens index.html,
    clicks the search box, waits for READY, types ``query`` and waits for the first result
    drawn. Returns ``seconds`` (each run: open -> first result), ``meta`` (the result line
    of the last run's whole answer) and ``loaded`` (bytes of the files under search/ the
    page loaded: the whole index, as the runs wait for the whole answer).
    """
    from playwright.sync_api import sync_playwright

    base = site.resolve().as_uri() + "/"
    placeholder = "键入以开始搜索"  # Material's zh text once the worker is READY
    seconds: list[float] = []
    loaded: set[str] = set()
    meta = ""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.route(
                "**/*",
                lambda route, request: (
                    route.continue_() if request.url.startswith(base) else route.abort()
                ),
            )
            page.on("request", lambda request: loaded.add(request.url))
            started = time.perf_counter()
            page.goto(base + "index.html")
            page.click(".md-search__input")
            page.wait_for_function(
                "document.querySelector('.md-search-result__meta').textContent"
                f" === '{placeholder}'",
                timeout=120_000,
            )
            page.keyboard.insert_text(query)
            page.keyboard.press("End")  # Material reacts to keyup
            page.wait_for_selector(".md-search-result__item", timeout=120_000)
            seconds.append(time.perf_counter() - started)
            # The whole answer (results come while the index loads): its count, and every
            # shard loaded, so that ``loaded`` is the whole index.
            page.wait_for_function(WHOLE % placeholder, timeout=120_000)
            meta = page.text_content(".md-search-result__meta") or ""
            context.close()
        browser.close()
    index = [
        site / url[len(base) :].split("?")[0] for url in loaded if url.startswith(base + "search/")
    ]
    return {
        "seconds": seconds,
        "meta": meta,
        "loaded": sum(path.stat().st_size for path in index if path.is_file()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, action="append", help="speeches (repeatable)")
    parser.add_argument("--runs", type=int, default=3, help="page loads per cell (median)")
    parser.add_argument("--no-reach", action="store_true", help="skip the scrolling check")
    parser.add_argument("--keep", type=Path, help="write the sites here and keep them")
    args = parser.parse_args(argv)
    rows = measure(
        args.n or [100, 1000], runs=args.runs, with_reach=not args.no_reach, keep=args.keep
    )
    print(report(rows))
    return 1 if any(row.misses() for row in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
