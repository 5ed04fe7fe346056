"""Benchmark Pizhu's exact-phrase search on a synthetic corpus: payload size and speed.

Builds N synthetic speeches of about 8,000 characters (sentences of the speeches in
sources/, shuffled with a fixed seed) as Material-shaped HTML pages, indexes them with
pizhu.search_index, and drives the real worker in Debian's Chromium, over HTTP (a real Web
Worker, fetch + JSON) and from file:// (our same-page shim, search_index.js by <script>).

Example:

    .venv/bin/python scripts/bench_search.py            # N = 100 and 1,000
    .venv/bin/python scripts/bench_search.py -n 300 --keep /tmp/bench

Columns: index = search_index.json bytes (js = search_index.js), build = Python indexing
time, load = index fetched and parsed, setup = SETUP -> READY (incl. structured clone over
HTTP), first = page start -> first RESULT (what a reader waits for after opening search),
then one column per query: time from QUERY to RESULT in ms (pages found).
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import re
import shutil
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from pizhu.search_index import build_index, index_json, index_script  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SPEECH_CHARS = 8000
QUERIES = ["维护", "派出所", "我们", "三会一课", "严管就是厚爱", "枫桥 维护", "量子纠缠", "党"]
GLOSSARY = ["三会一课", "枫桥经验", "两个维护", "四种形态", "严管就是厚爱", "发现在早、处置在小"]
HEADINGS = "一二三四五六七八九十"

HARNESS = """<!doctype html><meta charset="utf-8"><title>bench</title>
<script src="pizhu-file-worker.js"></script>
<script>
const T0 = performance.now();
const queries = QUERIES;
const out = {};
function loadIndex() {
  if (location.protocol === "file:") {
    return new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = "search/search_index.js";
      s.onload = () => resolve(__index);
      s.onerror = reject;
      document.head.appendChild(s);
    });
  }
  return fetch("search/search_index.json").then(r => r.json());
}
window.bench = (async () => {
  const index = await loadIndex();
  out.load = performance.now() - T0;
  const worker = new Worker("pizhu-search-worker.js");
  const next = () => new Promise(resolve => worker.addEventListener(
    "message", ev => resolve(ev.data), {once: true}));
  let t = performance.now();
  worker.postMessage({type: 0, data: {config: index.config, docs: index.docs,
                                      options: {suggest: false}}});
  await next();
  out.setup = performance.now() - t;
  out.queries = [];
  for (const q of queries) {
    t = performance.now();
    worker.postMessage({type: 2, data: q});
    const msg = await next();
    const ms = performance.now() - t;
    if (!out.first) out.first = performance.now() - T0;
    out.queries.push({q, ms, pages: msg.data.items.length,
                      docs: msg.data.items.reduce((n, g) => n + g.length, 0),
                      bytes: JSON.stringify(msg.data).length});
  }
  return out;
})();
</script>"""


def sentences() -> list[str]:
    """Sentences of the sources (raw, noise and all: it is only filler)."""
    found: list[str] = []
    for path in sorted((ROOT / "sources").glob("*.txt")):
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("gb18030", errors="replace")
        found.extend(s for s in re.findall(r"[^。！？\n]+[。！？]", text) if len(s) > 8)
    if not found:
        raise SystemExit("sources/*.txt: no sentences found; the benchmark needs sample text")
    return found


def speech_html(number: int, pool: list[str], rng: random.Random) -> str:
    body: list[str] = []
    size = 0
    paragraph = 0
    section = 0
    while size < SPEECH_CHARS:
        if paragraph % 8 == 0:
            heading = f"{HEADINGS[section % 10]}、{rng.choice(pool)[:16]}"
            body.append(f'<h2 id="s{section}">{heading}</h2>')
            section += 1
        paragraph += 1
        text = "".join(rng.choice(pool) for _ in range(rng.randint(2, 6)))
        if rng.random() < 0.05:
            text += rng.choice(GLOSSARY) + "。"
        body.append(f'<p id="p-{paragraph}">{text}</p>')
        size += len(text)
    title = f"第{number}次会议上的讲话"
    return (
        f"<html><head><title>{title}</title></head><body>"
        f'<article class="md-content__inner md-typeset"><h1>{title}</h1>'
        f"<p>（2021年6月{number % 28 + 1}日）</p>" + "".join(body) + "</article></body></html>"
    )


def glossary_html(term: str) -> str:
    return (
        f'<article class="md-content__inner md-typeset"><h1>{term}</h1><p>{term}是一个概念。</p>'
        f'<h2 id="chuxian">出现在</h2><ul><li>第1次会议上的讲话</li></ul></article>'
    )


def make_corpus(count: int, directory: Path) -> tuple[int, int, float]:
    """Write the index and the harness into directory; return (json, js bytes, build s)."""
    rng = random.Random(count)
    pool = sentences()
    pages = [(f"speeches/s{n:04d}.html", speech_html(n, pool, rng)) for n in range(count)]
    pages += [(f"glossary/g{n}.html", glossary_html(t)) for n, t in enumerate(GLOSSARY)]
    started = time.perf_counter()
    index = build_index(pages, {})
    build = time.perf_counter() - started
    search = directory / "search"
    search.mkdir(parents=True)
    (search / "search_index.json").write_text(index_json(index), encoding="utf-8")
    (search / "search_index.js").write_text(index_script(index), encoding="utf-8")
    scripts = ROOT / "overrides" / "assets" / "javascripts"
    for name in ("pizhu-search-worker.js", "pizhu-file-worker.js"):
        shutil.copy(scripts / name, directory / name)
    (directory / "bench.html").write_text(
        HARNESS.replace("QUERIES", json.dumps(QUERIES, ensure_ascii=False)), encoding="utf-8"
    )
    return (
        (search / "search_index.json").stat().st_size,
        (search / "search_index.js").stat().st_size,
        build,
    )


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def measure(directory: Path, browser: object, runs: int) -> dict[str, dict]:
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(directory))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    results: dict[str, dict] = {}
    try:
        for transport, url in (
            ("http", f"http://127.0.0.1:{server.server_address[1]}/bench.html"),
            ("file", (directory / "bench.html").as_uri()),
        ):
            best: dict | None = None
            for _ in range(runs):
                context = browser.new_context()  # type: ignore[attr-defined]
                page = context.new_page()
                page.route(
                    "**/*",
                    lambda route, request, url=url: (
                        route.continue_()
                        if request.url.startswith(url.rsplit("/", 1)[0])
                        else route.abort()
                    ),
                )
                page.goto(url)
                run = page.evaluate("window.bench")
                context.close()
                if best is None or run["first"] < best["first"]:
                    best = run
            results[transport] = best or {}
    finally:
        server.shutdown()
        server.server_close()
    return results


UI_MEASURE = """() => { window.__uiPending = new Promise(resolve => {
  const meta = document.querySelector(".md-search-result__meta");
  let start = 0;
  document.addEventListener("keyup", () => { start = performance.now(); },
                            {capture: true, once: true});
  new MutationObserver((_, observer) => {
    observer.disconnect();
    const rendered = performance.now() - start;
    resolve({rendered, meta: meta.textContent});
  }).observe(meta, {childList: true, characterData: true, subtree: true});
}); }"""


def measure_ui(site: Path, browser: object) -> dict[str, dict]:
    """Keypress -> results drawn by Material, on a built site wired with our worker."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    results: dict[str, dict] = {}
    try:
        for transport, base in (
            ("http", f"http://127.0.0.1:{server.server_address[1]}/"),
            ("file", site.as_uri() + "/"),
        ):
            context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
            page = context.new_page()
            page.route(
                "**/*",
                lambda route, request, base=base: (
                    route.continue_() if request.url.startswith(base) else route.abort()
                ),
            )
            cells: dict[str, object] = {}
            for number, query in enumerate(QUERIES):
                page.goto(base + "index.html")
                started = time.perf_counter()
                page.click(".md-search__input")
                page.wait_for_function(
                    "document.querySelector('.md-search-result__meta').textContent"
                    " === '键入以开始搜索'",
                    timeout=60_000,
                )
                if number == 0:
                    cells["ready"] = (time.perf_counter() - started) * 1000
                page.evaluate(UI_MEASURE)
                page.keyboard.insert_text(query)
                page.keyboard.press("End")
                cells[query] = page.evaluate("window.__uiPending")
            results[transport] = cells
            context.close()
    finally:
        server.shutdown()
        server.server_close()
    return results


def open_to_first_result(site: Path, query: str, runs: int = 3) -> dict[str, object]:
    """The interface scripts/bench.py uses (keep it when the internals change): a built site
    opened from file:// in Chromium, nothing outside it loadable; each run opens index.html,
    clicks the search box, waits for READY, types ``query`` and waits for the first result
    drawn. Returns ``seconds`` (each run: open -> first result), ``meta`` (Material's result
    line of the last run) and ``loaded`` (bytes of the files under search/ the page loaded).
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
    parser.add_argument("--runs", type=int, default=3, help="page loads per cell (best kept)")
    parser.add_argument("--keep", type=Path, help="write the corpora here and keep them")
    parser.add_argument(
        "--site",
        type=Path,
        help="a built site wired with our worker: also time Material's UI on a copy of it "
        "whose index is replaced by the synthetic one",
    )
    args = parser.parse_args(argv)
    counts = args.n or [100, 1000]

    from playwright.sync_api import sync_playwright

    base = args.keep or Path(tempfile.mkdtemp(prefix="pizhu-bench-"))
    rows = []
    ui_rows: list[tuple[int, str, dict]] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for count in counts:
            directory = base / f"n{count}"
            if directory.exists():
                shutil.rmtree(directory)
            directory.mkdir(parents=True)
            json_bytes, js_bytes, build = make_corpus(count, directory)
            for transport, run in measure(directory, browser, args.runs).items():
                rows.append((count, transport, json_bytes, js_bytes, build, run))
            if args.site:
                copy = directory / "site"
                shutil.copytree(args.site, copy)
                shutil.copytree(directory / "search", copy / "search", dirs_exist_ok=True)
                for transport, cells in measure_ui(copy, browser).items():
                    ui_rows.append((count, transport, cells))
        browser.close()
    if not args.keep:
        shutil.rmtree(base)

    header = ["N", "via", "index MB", "js MB", "build s", "load ms", "setup ms", "first ms"]
    header += [q for q in QUERIES]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for count, transport, json_bytes, js_bytes, build, run in rows:
        cells = [
            f"{count:,}",
            transport,
            f"{json_bytes / 1e6:.1f}",
            f"{js_bytes / 1e6:.1f}",
            f"{build:.1f}",
            f"{run['load']:.0f}",
            f"{run['setup']:.0f}",
            f"{run['first']:.0f}",
        ]
        cells += [f"{q['ms']:.0f} ({q['pages']})" for q in run["queries"]]
        print("| " + " | ".join(cells) + " |")
    if ui_rows:
        print("\nMaterial's UI (keyup -> result list drawn, ms; ready = click -> READY):")
        header = ["N", "via", "ready ms", *QUERIES]
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for count, transport, cells in ui_rows:
            row = [f"{count:,}", transport, f"{cells['ready']:.0f}"]
            row += [f"{cells[q]['rendered']:.0f}" for q in QUERIES]
            print("| " + " | ".join(row) + " |")
    largest = max(
        (q for *_, run in rows for q in run["queries"]), key=lambda q: q["bytes"], default=None
    )
    if largest:
        print(
            f"\nlargest result: {largest['q']!r}, {largest['pages']} pages, "
            f"{largest['docs']} items, {largest['bytes'] / 1e6:.1f} MB as JSON"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
