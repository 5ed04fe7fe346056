"""Measure 我的批注: how long a speech page takes to restore many notes, and how much
JavaScript the feature adds.

    python scripts/bench_notes.py site -n 500

Opens the longest speech of a built site from file:// in Debian's Chromium, stores ``n``
notes spread over its paragraphs (made by the page's own pizhu-notes-core.js, as a reader's
selections would be), reloads the page a few times and reports the time pizhu-notes.js
took to place and wrap them all (the data-pz-notes-restore-ms it records), and that all
of them were placed. Then the size of the three scripts, raw and gzipped. A measurement,
not a test: no target is asserted here (tests/test_notes_scale.py checks that 500 notes
are all placed).
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path

SCRIPTS = ("pizhu-notes-core.js", "pizhu-notes.js", "pizhu-notes-page.js")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# Notes over the page's paragraphs, 4 to 20 characters long, spread evenly; the same ones
# every run.
SEED = """(n) => {
  const N = window.PizhuNotes;
  const model = new N.TextModel(document.querySelectorAll('article p.pz-p[id]'));
  const paras = model.paras.filter(p => p.text.trim().length > 24);
  const notes = [];
  for (let i = 0; i < n; i++) {
    const para = paras[i % paras.length];
    const room = para.text.length - 22;
    const start = para.start + 1 + ((i * 37) % room);
    const end = start + 4 + (i % 17);
    const where = model.describe(start, end);
    const time = new Date(Date.UTC(2024, 0, 1, 0, 0, i)).toISOString();
    notes.push({id: 'bench-' + String(i).padStart(6, '0'), source: N.pagePath(),
      exact: where.exact, prefix: where.prefix, suffix: where.suffix, para: where.para,
      offset: where.offset, color: N.COLORS[i % 3], text: i % 2 ? '第' + i + '条批注' : '',
      created: time, modified: time});
  }
  N.store.update(list => { list.length = 0; list.push(...notes); });
  return notes.length;
}"""


def longest_speech(site: Path) -> Path:
    pages = sorted((site / "speeches").glob("*.html"))
    pages = [p for p in pages if p.name not in {"index.html", "tags.html"}]
    if not pages:
        raise SystemExit(f"{site}: no speech pages; build the site first (make site)")
    return max(pages, key=lambda p: p.read_text(encoding="utf-8").count('class="pz-p"'))


def measure(browser, site: Path, notes: int = 500, runs: int = 5) -> dict:
    """{'page', 'notes', 'placed', 'restore_ms': [...]} for the longest speech of ``site``."""
    page_path = longest_speech(site)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    try:
        page = context.new_page()
        page.goto(page_path.as_uri(), wait_until="load")
        page.evaluate(SEED, notes)
        times: list[float] = []
        placed = 0
        for _ in range(runs):
            page.reload(wait_until="load")
            times.append(float(page.get_attribute("html", "data-pz-notes-restore-ms")))
            placed = page.evaluate(
                "new Set(Array.from(document.querySelectorAll('mark[data-pz-note]'),"
                " m => m.dataset.pzNote)).size"
            )
        page.evaluate("localStorage.clear()")
    finally:
        context.close()
    return {"page": page_path.name, "notes": notes, "placed": placed, "restore_ms": times}


def script_sizes(site: Path) -> list[tuple[str, int, int]]:
    """(name, bytes, gzipped bytes) of each script of the feature in the built site."""
    out = []
    for name in SCRIPTS:
        data = (site / "assets" / "javascripts" / name).read_bytes()
        out.append((name, len(data), len(gzip.compress(data, compresslevel=9, mtime=0))))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench_notes.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, nargs="?", default=Path("site"), help="a built site")
    parser.add_argument("-n", "--notes", type=int, default=500, help="notes on the page")
    parser.add_argument("--runs", type=int, default=5, help="reloads to time")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            result = measure(browser, args.site, args.notes, args.runs)
        finally:
            browser.close()
    times = result["restore_ms"]
    print(f"page: speeches/{result['page']}")
    print(f"notes placed: {result['placed']} of {result['notes']}")
    print(
        f"restore: median {statistics.median(times):.1f} ms, "
        f"min {min(times):.1f}, max {max(times):.1f} ({len(times)} reloads)"
    )
    total = [0, 0]
    for name, raw, packed in script_sizes(args.site):
        total[0] += raw
        total[1] += packed
        print(f"{name:24} {raw / 1024:6.1f} KB raw {packed / 1024:6.1f} KB gzip")
    print(f"{'together':24} {total[0] / 1024:6.1f} KB raw {total[1] / 1024:6.1f} KB gzip")
    return 0


if __name__ == "__main__":
    sys.exit(main())
