"""Every matching page reachable, in the reader's order: the result list in Chromium.

Material's own list drew 10 results, then 4 more per "reached the bottom" event, and a
wheel step that landed at the new bottom again never produced another: with 25 pages
matching, 14 could be reached. Here a generated site has more matching pages than one
screen and one batch of the list hold (64 speeches and 8 other pages), with dates and
numbers of hits that order them differently; the list is scrolled to its end with the
mouse wheel, in small and large steps, over HTTP and from file://, on a desktop and a
phone screen, in both orders the reader can choose.
"""

from __future__ import annotations

import datetime
import json
import re
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from pizhu.search_files import read_index, write_index
from pizhu.search_html import Document
from pizhu.search_index import IndexedPage, build_index
from test_search_browser import (
    _RECORD_RESULTS,
    BATCH,
    DRAWN,
    MKDOCS_YML,
    Tab,
    _QuietHandler,
    _site_path,
    build_site,
    open_search,
    search,
    tab,  # noqa: F401 - a fixture; its `transport` is this module's
)

pytestmark = [pytest.mark.browser, pytest.mark.build]

PHRASE = "基层治理"
SPEECHES = 64
OTHERS = 8
WHEEL_STEPS = [120, 900, 4000, 300]  # pixels: a notch, a flick, a fling, a page


@dataclass(frozen=True)
class Speech:
    location: str
    hits: int
    date: str  # "" when undated


def _speech(number: int) -> tuple[str, Speech | None]:
    """A speech page: the phrase 1-7 times (none for every 8th), a date or none."""
    day = datetime.date(2012, 1, 1) + datetime.timedelta(days=(number * 97) % 3000)
    if number % 11 == 5:
        date = ""
    elif number % 13 == 7:
        date = day.isoformat()[:7]
    else:
        date = day.isoformat()
    hits = 0 if number % 8 == 3 else 1 + (number * 5) % 7
    paragraphs = []
    for p in range(1, 9):
        text = f"第{number}篇第{p}段，要把工作做实做细，坚持问题导向。"
        if p <= hits:
            text = f"加强{PHRASE}，" + text
        paragraphs.append(f"{text}\n{{: #p-{p} }}")
    front = f"---\ntitle: 第{number}次会议上的讲话\nsearch:\n  boost: 4\n"
    front += f"date: '{date}'\n---\n" if date else "---\n"
    text = front + f"\n# 第{number}次会议上的讲话\n\n" + "\n\n".join(paragraphs) + "\n"
    location = f"speeches/s{number:03d}.html"
    return text, Speech(location, hits, date) if hits else None


def _other(number: int) -> tuple[str, Speech]:
    hits = 1 + number % 3
    text = f"# 概念{number}\n\n" + "\n\n".join(
        f"{PHRASE}是概念{number}的说明。" for _ in range(hits)
    )
    return text + "\n", Speech(f"glossary/g{number}.html", hits, "")


def corpus() -> tuple[dict[str, str], list[Speech], list[Speech]]:
    docs = {"index.md": "# 首页\n\n这是首页。\n"}
    speeches, others = [], []
    number = 0
    while len(speeches) < SPEECHES:
        text, speech = _speech(number)
        docs[f"speeches/s{number:03d}.md"] = text
        if speech:
            speeches.append(speech)
        number += 1
    for n in range(OTHERS):
        text, other = _other(n)
        docs[f"glossary/g{n}.md"] = text
        others.append(other)
    return docs, speeches, others


def by_hits(pages: list[Speech]) -> list[str]:
    """The list's order 按出现次数: most hits, then newest, then site order."""
    ordered = sorted(pages, key=lambda page: page.location)
    ordered.sort(key=lambda page: page.date, reverse=True)  # undated ("") last
    ordered.sort(key=lambda page: page.hits, reverse=True)
    return [page.location for page in ordered]


def by_date(pages: list[Speech]) -> list[str]:
    """The list's order 按日期: newest first, undated last, then most hits, site order."""
    ordered = sorted(pages, key=lambda page: page.location)
    ordered.sort(key=lambda page: page.hits, reverse=True)
    ordered.sort(key=lambda page: page.date, reverse=True)
    return [page.location for page in ordered]


@dataclass
class Corpus:
    site: Path
    speeches: list[Speech]
    others: list[Speech]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    docs, speeches, others = corpus()
    yml = MKDOCS_YML.split("\nnav:")[0] + "\n"  # no nav: every page is listed by MkDocs
    site = build_site(tmp_path_factory.mktemp("many-results"), docs, yml)
    return Corpus(site, speeches, others)


@pytest.fixture(scope="module")
def http_base(generated: Corpus) -> Iterator[str]:
    handler = partial(_QuietHandler, directory=str(generated.site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(params=["http", "file"])
def transport(request: pytest.FixtureRequest, generated: Corpus) -> str:
    if request.param == "http":
        return request.getfixturevalue("http_base")
    return generated.site.as_uri() + "/"


def scroll_to_the_end(tab: Tab, expected: int) -> list[str]:
    """Wheel down over the result list until nothing more is drawn; the pages drawn."""
    page = tab.page
    box = page.locator(".md-search__scrollwrap").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    seen, still = -1, 0
    for step in range(400):
        page.mouse.wheel(0, WHEEL_STEPS[step % len(WHEEL_STEPS)])
        page.wait_for_timeout(30)
        count = page.locator(DRAWN).count()
        at_bottom = page.evaluate(
            "(() => { const s = document.querySelector('.md-search__scrollwrap');"
            " return s.scrollTop + s.clientHeight >= s.scrollHeight - 2; })()"
        )
        still = still + 1 if (count == seen and at_bottom) else 0
        seen = count
        if still >= 8:
            break
    links = page.eval_on_selector_all(DRAWN, "links => links.map(a => a.href)")
    assert len(links) == expected, f"{len(links)} of {expected} reachable"
    return [_site_path(tab.base, link) for link in links]


def facts(tab: Tab) -> list[str]:
    return tab.page.eval_on_selector_all(
        ".md-search-result__item .pz-search-page .pz-search-facts",
        "nodes => nodes.map(n => n.textContent)",
    )


def _chinese_date(date: str) -> str:
    parts = date.split("-")
    return f"{parts[0]}年" + "".join(
        f"{int(part)}{unit}" for part, unit in zip(parts[1:], "月日", strict=False)
    )


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_every_matching_page_is_reachable_with_the_mouse_wheel(
    browser: Any, transport: str, generated: Corpus, screen: str
) -> None:
    viewport = (
        {"width": 1280, "height": 900}
        if screen == "desktop"
        else {
            "width": 390,
            "height": 844,
        }
    )
    context = browser.new_context(viewport=viewport)
    tab = Tab(context.new_page(), transport)
    tab.page.on("pageerror", lambda error: tab.errors.append(str(error)))
    tab.page.add_init_script(_RECORD_RESULTS)
    tab.page.route(
        "**/*",
        lambda route, request: (
            route.continue_()
            if request.url.startswith(transport)
            else (tab.foreign_requests.append(request.url), route.abort())
        ),
    )
    total = SPEECHES + OTHERS
    try:
        results = search(tab, PHRASE)
        assert results.meta == f"{total} 个符合条件的结果，其中讲话 {SPEECHES} 篇"
        assert len(results.shown) == BATCH < total  # more than one batch …
        drawn = scroll_to_the_end(tab, total)  # … and more than one screen
        assert drawn == by_hits(generated.speeches) + by_hits(generated.others)
        hits = {page.location: page for page in generated.speeches + generated.others}
        expected_facts = []
        for location in drawn:
            page = hits[location]
            parts = [_chinese_date(page.date)] if page.date else []
            expected_facts.append(" · ".join([*parts, f"出现 {page.hits} 次"]))
        assert facts(tab) == expected_facts

        tab.page.get_by_label("按日期").click()  # the reader's choice, with the mouse
        tab.page.wait_for_function(
            "document.querySelectorAll('.md-search-result__item').length <= 20"
        )
        assert tab.page.locator(".md-search-result__meta").text_content() == results.meta
        assert tab.page.evaluate("document.querySelector('.md-search__scrollwrap').scrollTop") == 0
        drawn = scroll_to_the_end(tab, total)
        assert drawn == by_date(generated.speeches) + by_hits(generated.others)
        assert tab.errors == [] and tab.foreign_requests == []
    finally:
        context.close()


def test_the_sort_choice_works_from_the_keyboard(tab: Tab, generated: Corpus) -> None:
    """Tab from the search box reaches the choice (Material would close the search), the
    arrow keys change it, Tab goes back to the box, Escape still closes the search."""
    search(tab, PHRASE)
    page = tab.page
    group = page.locator("fieldset.pz-search-sort")
    assert group.is_visible()
    assert group.locator("legend").text_content() == "排序（讲话在前）"
    assert page.get_by_label("按出现次数").is_checked()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.value") == "hits"
    page.keyboard.press("ArrowRight")
    assert page.get_by_label("按日期").is_checked()
    assert page.evaluate("document.activeElement.value") == "date"
    assert page.evaluate("document.getElementById('__search').checked"), "search closed"
    newest = by_date(generated.speeches)[0]
    page.wait_for_function(
        # (null-safe: while the list is redrawn there is no first result for a moment)
        f"(document.querySelector('{DRAWN}')?.href || '').split('?')[0].endsWith('{newest}')",
        timeout=5000,
    )
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.dataset.mdComponent") == "search-query"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.mdComponent") == "search-query"
    assert page.evaluate("document.getElementById('__search').checked"), "search closed"
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('__search').checked")


def test_the_choice_is_only_offered_when_there_is_something_to_order(tab: Tab) -> None:
    open_search(tab)
    assert tab.page.locator("fieldset.pz-search-sort").is_hidden()
    tab.page.keyboard.insert_text("概念3的说明")  # one page, not a speech
    tab.page.keyboard.press("End")
    tab.page.wait_for_function(
        "document.querySelector('.md-search-result__meta').textContent === '找到 1 个符合条件的结果'"
    )
    assert tab.page.locator("fieldset.pz-search-sort").is_hidden()
    assert re.fullmatch(r"出现 1 次", facts(tab)[0])


# --------------------------------------------------------------------------- while loading


def reshard(site: Path, shards: int) -> list[str]:
    """Write the site's index again in about ``shards`` shards (the same documents);
    return the shard files in the manifest's order."""
    documents = read_index(site)
    characters = sum(len(d["text"]) + len(d.get("title") or "") for d in documents) // shards
    pages: list[tuple[str, float, str | None, list[Document]]] = []
    for document in documents:
        location, _, anchor = document["location"].partition("#")
        if not anchor:
            first = Document("", document["title"], document["text"])
            pages.append((location, document["boost"], document["date"] or None, [first]))
        else:
            pages[-1][3].append(Document(anchor, document.get("title"), document["text"]))
    indexed = [IndexedPage(loc, tuple(docs), boost, date) for loc, boost, date, docs in pages]
    write_index(site, build_index(indexed, shard_characters=characters))
    assert read_index(site) == documents
    manifest = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    return [shard["file"] for shard in manifest["config"]["pizhu"]["shards"]]


class _SlowShards(_QuietHandler):
    """Serves every shard but the first ``delay`` seconds late (a slow disk or network)."""

    fast: str = ""
    delay: float = 0.0

    def do_GET(self) -> None:
        name = self.path.rsplit("/", 1)[-1].split("?")[0]
        if name.startswith("pizhu-") and name != self.fast:
            time.sleep(self.delay)
        super().do_GET()


# Counts the moments the result list is empty after results were drawn for the query.
_COUNT_BLANKS = """(() => {
  window.__blanks = 0;
  let drawn = false;
  new MutationObserver(() => {
    const list = document.querySelector(".md-search-result__list");
    if (!list) return;
    if (list.children.length) drawn = true;
    else if (drawn) window.__blanks += 1;
  }).observe(document, {childList: true, subtree: true});
})();"""


def test_results_come_while_the_index_loads_and_end_whole(
    browser: Any, generated: Corpus, tmp_path: Path
) -> None:
    """The first shard makes the box usable: results from it are drawn at once, the line
    says more are coming, and when the last shard is in the answer is whole (the count
    right, every page reachable). Over HTTP, where a real worker loads the shards."""
    site = tmp_path / "site"
    shutil.copytree(generated.site, site)
    shards = reshard(site, 4)
    assert 3 <= len(shards) <= 8
    handler = type("Slow", (_SlowShards,), {"fast": shards[0], "delay": 1.0})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = Tab(context.new_page(), base)
    tab.page.on("pageerror", lambda error: tab.errors.append(str(error)))
    tab.page.add_init_script(_COUNT_BLANKS)
    total = SPEECHES + OTHERS
    try:
        open_search(tab)
        tab.page.keyboard.insert_text(PHRASE)
        tab.page.keyboard.press("End")
        tab.page.wait_for_selector(DRAWN, timeout=30_000)
        meta = tab.page.locator(".md-search-result__meta")
        loading = meta.get_attribute("data-pz-loading")
        assert loading is not None and loading.endswith(f"/{len(shards)}")
        assert "正在载入索引" in (meta.text_content() or "")
        tab.page.wait_for_function(
            "!document.querySelector('.md-search-result__meta').hasAttribute('data-pz-loading')",
            timeout=60_000,
        )
        assert meta.text_content() == f"{total} 个符合条件的结果，其中讲话 {SPEECHES} 篇"
        # A fuller answer replaced the list drawn so far without a blank in between.
        assert tab.page.evaluate("window.__blanks") == 0
        drawn = scroll_to_the_end(tab, total)
        assert drawn == by_hits(generated.speeches) + by_hits(generated.others)
        assert tab.errors == []
    finally:
        context.close()
        server.shutdown()
        server.server_close()
