"""Exact-phrase search in a real browser, over HTTP and from file:// with the network cut.

The module builds its own small MkDocs + Material site under a temporary directory with
the real search machinery (overrides/, scripts/mkdocs_search_hook.py) and none of the
page generator, so it does not depend on the rest of Pizhu's site. Set PIZHU_SEARCH_SITE to a built site directory to run
the same checks against it: the expected pages for each phrase are then computed from the
built HTML by a crude, independent text extraction (not by scripts/pizhu/search_index.py).

Chromium is Debian's /usr/bin/chromium, never a downloaded browser. Without it the tests
skip, or fail when CI=true.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.build]

REPO = Path(__file__).resolve().parent.parent
WORKER = "assets/javascripts/pizhu-search-worker.js"
SHIM = "assets/javascripts/pizhu-file-worker.js"

#: Material's zh strings in the result meta line.
PLACEHOLDER = "键入以开始搜索"
INITIALISING = "正在初始化搜索引擎"
NONE_FOUND = "没有找到符合条件的结果"

#: Required: results within this many milliseconds of the key that completes the query.
RESULT_BUDGET_MS = 300
#: Pages the result list draws at a time (pizhu-search-results.js BATCH).
BATCH = 20

# --------------------------------------------------------------------------- fixture site

SPEECH_A = """\
# 在全市派出所所长培训班上的讲话

（2021年6月28日）

同志们：今天我们围绕坚决做到两个维护，讲一讲基层党组织如何落实三会一课制度。
{: #p-1 }

## 一、坚持问题导向 {: #yi }

派出所是维护稳定的第一线。每个支部都要按时召开支部党员大会，这就是三会一课的要求。
{: #p-2 }

我们要一个一个问题地解决，一次一次地推动落实。
{: #p-3 }
"""

SPEECH_B = """\
# 坚持和发展新时代枫桥经验

要坚持和发展新时代枫桥经验，把矛盾纠纷做到发现在早、处置在小。
{: #p-1 }

## 一、维护社会稳定 {: #yi }

基层派出所要主动作为，对苗头性问题早发现、早处置。
{: #p-2 }
"""

SPEECH_C = """\
# 从严治警

严管就是厚爱，宽松软是害。三会要开好，一课要讲好，一次不能少，一个不能漏。
{: #p-1 }

有的同志把“a<b & c”这样的符号当成玩笑，这不是小事。要维持好纪律。
{: #p-2 }
"""

GLOSSARY_SANHUI = """\
# 三会一课

三会一课制度是党的组织生活的基本制度：定期召开支部党员大会、支部委员会、党小组会，按时上好党课。

## 出现在 {: #chuxian }

- [在全市派出所所长培训班上的讲话](../speeches/a.md)
"""

GLOSSARY_FENGQIAO = """\
# 枫桥经验

发动和依靠群众，坚持矛盾不上交，就地解决。

## 出现在 {: #chuxian }

- [坚持和发展新时代枫桥经验](../speeches/b.md)
"""

HOME = """\
# 学习资料

这里收录讲话和概念。
"""

DOCS = {
    "index.md": HOME,
    "speeches/a.md": SPEECH_A,
    "speeches/b.md": SPEECH_B,
    "speeches/c.md": SPEECH_C,
    "glossary/sanhui-yike.md": GLOSSARY_SANHUI,
    "glossary/fengqiao-jingyan.md": GLOSSARY_FENGQIAO,
}

A, B, C = "speeches/a.html", "speeches/b.html", "speeches/c.html"
SANHUI, FENGQIAO = "glossary/sanhui-yike.html", "glossary/fengqiao-jingyan.html"

#: Phrase -> the pages that contain it (the whole truth for the fixture site).
FIXTURE_EXPECTED = {
    "维护": {A, B},
    "枫桥": {B, FENGQIAO},
    "三会一课": {A, SANHUI},  # C has 三会 … 一课 … 一次 … 一个: lunr's noise
    "三会一课制度": {A, SANHUI},  # an alias in the glossary entry
    "严管就是厚爱": {C},
    "发现在早、处置在小": {B},
    "严管 厚爱": {C},  # two words: both in the same page
    "问题导向": {A},  # a section heading
    "a<b": {C},  # text that looks like HTML stays text
    "量子纠缠": set(),
}

MKDOCS_YML = """\
site_name: 批注测试
use_directory_urls: false
theme:
  name: material
  language: zh
  custom_dir: overrides
  font: false
  features:
    - search.highlight
plugins:
  - search
hooks:
  - scripts/mkdocs_search_hook.py
markdown_extensions:
  - attr_list
  - toc:
      permalink: true
extra:
  generator: false
nav:
  - index.md
  - 讲话:
      - speeches/a.md
      - speeches/b.md
      - speeches/c.md
  - 概念:
      - glossary/sanhui-yike.md
      - glossary/fengqiao-jingyan.md
"""


def copy_search_machinery(root: Path) -> None:
    """The project's theme overrides and search hook (with the pizhu package) into root."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(REPO / "overrides", root / "overrides", ignore=ignore)
    (root / "scripts").mkdir()
    shutil.copy2(REPO / "scripts" / "mkdocs_search_hook.py", root / "scripts")
    shutil.copytree(REPO / "scripts" / "pizhu", root / "scripts" / "pizhu", ignore=ignore)


def build_site(root: Path, docs: dict[str, str], mkdocs_yml: str = MKDOCS_YML) -> Path:
    """``mkdocs build --strict`` of these pages with Pizhu's search; returns the site."""
    for name, text in docs.items():
        path = root / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    copy_search_machinery(root)
    (root / "mkdocs.yml").write_text(mkdocs_yml, encoding="utf-8")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", "site"],
        cwd=root,
        env=env,
        check=True,
    )
    return root / "site"


def build_fixture_site(root: Path) -> Path:
    return build_site(root, DOCS)


# --------------------------------------------------------------------------- real site


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).lower())


class _ArticleLines(HTMLParser):
    """The lines of text of a page's article, minus what is not indexed (the test's oracle).

    Deliberately small and separate from scripts/pizhu/search_index.py: a line per block
    element; permalinks, paragraph numbers, footnote numbers, scripts and elements marked
    data-search-exclude / pz-search-exclude are dropped.
    """

    SKIP_CLASSES = frozenset({"headerlink", "pz-pn", "footnote-ref", "footnote-backref"})
    SKIP_MARKS = frozenset({"pz-search-exclude"})
    BLOCKS = frozenset(
        {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "div", "td", "th", "tr", "pre"}
        | {"blockquote", "dd", "dt", "ul", "ol", "table", "br", "hr"}
    )
    VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "wbr", "col", "area"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.inside = 0  # depth of the article in the stack, 0 = not inside
        self.skip = 0  # depth of the outermost skipped element, 0 = not skipping
        self.lines: list[str] = [""]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        classes = set((values.get("class") or "").split())
        if tag not in self.VOID:
            self.stack.append(tag)
        if not self.inside and tag == "article" and "md-content__inner" in classes:
            self.inside = len(self.stack)
        elif (
            self.inside > 0
            and not self.skip
            and tag not in self.VOID
            and (
                tag in ("script", "style")
                or classes & (self.SKIP_CLASSES | self.SKIP_MARKS)
                or "data-search-exclude" in values
            )
        ):
            self.skip = len(self.stack)
        if tag in self.BLOCKS:
            self.lines.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BLOCKS:
            self.lines.append("")
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass
        if self.skip > len(self.stack):
            self.skip = 0
        if self.inside > len(self.stack):
            self.inside = -1  # done: one article per page

    def handle_data(self, data: str) -> None:
        if self.inside > 0 and not self.skip:
            self.lines[-1] += data


def expected_from_site(site: Path, phrases: list[str]) -> dict[str, set[str]]:
    """Pages whose article text contains every word of the phrase (each within one block)."""
    texts = {}
    for path in sorted(site.rglob("*.html")):
        if path.name == "404.html":
            continue
        parser = _ArticleLines()
        parser.feed(path.read_text("utf-8"))
        if parser.inside:  # -1 after the article, 0 when there is none
            texts[path.relative_to(site).as_posix()] = [_squeeze(line) for line in parser.lines]
    return {
        phrase: {
            location
            for location, lines in texts.items()
            if all(any(_squeeze(w) in line for line in lines) for w in phrase.split())
        }
        for phrase in phrases
    }


# --------------------------------------------------------------------------- fixtures


@dataclass
class Site:
    directory: Path
    expected: dict[str, set[str]]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    given = os.environ.get("PIZHU_SEARCH_SITE")
    if given:
        directory = Path(given).resolve()
        phrases = os.environ.get("PIZHU_SEARCH_PHRASES", "维护 枫桥 三会一课 量子纠缠").split()
        return Site(directory, expected_from_site(directory, phrases))
    directory = build_fixture_site(tmp_path_factory.mktemp("search-site"))
    return Site(directory, FIXTURE_EXPECTED)


@pytest.fixture(scope="module")
def http_base(site: Site) -> Iterator[str]:
    handler = partial(_QuietHandler, directory=str(site.directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(params=["http", "file"])
def transport(request: pytest.FixtureRequest, site: Site) -> str:
    if request.param == "http":
        return request.getfixturevalue("http_base")
    return site.directory.as_uri() + "/"


@dataclass
class Tab:
    """A browser tab on the site, with every request outside the site aborted and recorded."""

    page: Any
    base: str
    foreign_requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture
def tab(browser: Any, transport: str) -> Iterator[Tab]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = Tab(context.new_page(), transport)
    tab.page.on("pageerror", lambda error: tab.errors.append(str(error)))

    def guard(route: Any, request: Any) -> None:
        if request.url.startswith(transport) or request.url.startswith("data:"):
            route.continue_()
        else:
            tab.foreign_requests.append(request.url)
            route.abort()

    tab.page.route("**/*", guard)
    tab.page.add_init_script(_RECORD_RESULTS)
    yield tab
    context.close()


# --------------------------------------------------------------------------- helpers

# Keeps every answer the search worker sends to Pizhu's result list ("pizhu:pages": every
# matching page; the list draws them in batches). Wraps whatever window.Worker is, also
# after the file:// shim and the result list replace it; answers are kept by number, so a
# worker wrapped twice records each once.
_RECORD_RESULTS = """(() => {
  window.__pizhuPages = {};
  const wrap = Base => class extends Base {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", ev => {
        if (ev.data && ev.data.type === "pizhu:pages") window.__pizhuPages[ev.data.data.seq] = ev.data.data;
      });
    }
  };
  let current = typeof Worker === "function" ? wrap(Worker) : undefined;
  Object.defineProperty(window, "Worker", {
    configurable: true,
    get() { return current; },
    set(value) { current = wrap(value); }
  });
})();"""

_LAST_PAGES = """() => {
  const seqs = Object.keys(window.__pizhuPages).map(Number);
  return window.__pizhuPages[Math.max(...seqs)];
}"""

_MEASURE = """() => {
  const meta = document.querySelector(".md-search-result__meta");
  window.__pizhuTiming = {keyup: 0, result: 0};
  document.addEventListener("keyup", () => { window.__pizhuTiming.keyup = performance.now(); },
                            {capture: true, once: true});
  new MutationObserver((_, observer) => {
    window.__pizhuTiming.result = performance.now();
    observer.disconnect();
  }).observe(meta, {childList: true, characterData: true, subtree: true});
}"""

#: The page link of each drawn result (the first link of a result item).
DRAWN = ".md-search-result__item > .md-search-result__link:first-child"


@dataclass
class Results:
    meta: str  # the line above the list: "2 个符合条件的结果"
    pages: list[str]  # every page the worker found
    shown: list[str]  # the pages drawn so far, in the list's order
    elapsed_ms: float  # keyup -> result count shown


def open_search(tab: Tab, start: str = "index.html") -> None:
    """Open a page and its search dialog; wait until the index is ready."""
    page = tab.page
    page.goto(tab.base + start)
    if (page.viewport_size or {}).get("width", 1280) >= 960:  # Material's 60em
        page.click(".md-search__input")
    else:  # a phone: the search icon in the header opens the dialog
        page.click("label.md-header__button[for=__search]")
    # READY: the result list shows the placeholder.
    page.wait_for_function(
        f"document.querySelector('.md-search-result__meta').textContent === '{PLACEHOLDER}'",
        timeout=30_000,
    )


def search(tab: Tab, query: str, start: str = "index.html") -> Results:
    """Open a page, type the query as a reader would, return what the list shows."""
    open_search(tab, start)
    page = tab.page
    page.evaluate(_MEASURE)
    # IME-like insertion has no key events; Material reacts to keyup, so press a key.
    page.keyboard.insert_text(query)
    page.keyboard.press("End")
    page.wait_for_function(
        f"!['{PLACEHOLDER}', '{INITIALISING}'].includes("
        "document.querySelector('.md-search-result__meta').textContent)"
        # (and the whole answer: shards still loading give the answer so far first)
        " && !document.querySelector('.md-search-result__meta').hasAttribute('data-pz-loading')"
    )
    timing = page.evaluate("window.__pizhuTiming")
    answer = page.evaluate(_LAST_PAGES)
    assert answer["query"] == query, "the list shows another query's results"
    if answer["pages"]:
        page.wait_for_selector(DRAWN)
    return Results(
        tab.page.locator(".md-search-result__meta").text_content(),
        [entry[4] for entry in answer["pages"]],
        drawn(tab),
        timing["result"] - timing["keyup"],
    )


def drawn(tab: Tab) -> list[str]:
    links = tab.page.eval_on_selector_all(DRAWN, "links => links.map(a => a.href)")
    return [_site_path(tab.base, link) for link in links]


def _site_path(base: str, url: str) -> str:
    assert url.startswith(base), f"result {url} is outside the site {base}"
    return url[len(base) :].split("#")[0].split("?")[0]


# --------------------------------------------------------------------------- tests


def phrases() -> list[str]:
    if os.environ.get("PIZHU_SEARCH_SITE"):
        return os.environ.get("PIZHU_SEARCH_PHRASES", "维护 枫桥 三会一课 量子纠缠").split()
    return list(FIXTURE_EXPECTED)


@pytest.mark.parametrize("phrase", phrases())
def test_phrase_finds_exactly_the_pages_that_contain_it(tab: Tab, site: Site, phrase: str) -> None:
    results = search(tab, phrase)
    expected = site.expected[phrase]
    assert sorted(set(results.pages)) == sorted(expected), results.meta
    assert len(results.pages) == len(expected), "a page is listed twice"
    if len(expected) <= BATCH:
        assert sorted(results.shown) == sorted(expected)  # one batch draws them all
    else:
        assert len(results.shown) >= BATCH and set(results.shown) <= expected
    if not expected:
        assert results.meta == NONE_FOUND
    elif len(expected) == 1:
        assert results.meta == "找到 1 个符合条件的结果"
    else:
        assert results.meta.startswith(f"{len(expected)} 个符合条件的结果")
    assert results.elapsed_ms < RESULT_BUDGET_MS, f"{results.elapsed_ms:.0f} ms"
    assert tab.foreign_requests == []
    assert tab.errors == []


def test_search_works_from_a_page_in_a_subdirectory(tab: Tab, site: Site) -> None:
    # The worker URL and the index are relative to the page: ../assets/…, ../search/…
    start = next(
        location for location in sorted(set().union(*site.expected.values())) if "/" in location
    )
    phrase = phrases()[0]
    results = search(tab, phrase, start=start)
    assert sorted(results.pages) == sorted(site.expected[phrase])
    assert sorted(results.shown) == sorted(site.expected[phrase])
    assert tab.foreign_requests == []


def test_snippet_marks_the_phrase_in_its_paragraph(tab: Tab, site: Site) -> None:
    phrase = "三会一课" if not os.environ.get("PIZHU_SEARCH_SITE") else phrases()[0]
    search(tab, phrase)
    marks = tab.page.eval_on_selector_all(
        ".md-search-result__article mark", "marks => marks.map(m => m.textContent)"
    )
    assert marks, "no <mark> in the results"
    assert all(_squeeze(mark) == _squeeze(phrase) for mark in marks), marks
    # A paragraph result shows the text around the phrase, not just the phrase.
    teaser = tab.page.locator(
        ".md-search-result__link:not(:first-child) article p"
    ).first.text_content()
    assert phrase in teaser.replace(" ", "")
    assert len(teaser) > len(phrase) + 4


def test_text_that_looks_like_html_is_shown_as_text(tab: Tab, site: Site) -> None:
    if os.environ.get("PIZHU_SEARCH_SITE"):
        pytest.skip("fixture content")
    search(tab, "a<b")
    teaser = tab.page.locator(".md-search-result__link:not(:first-child) article p").first
    assert "a<b & c" in teaser.text_content()
    assert teaser.locator("b").count() == 0


def test_one_character_searches_titles_only(tab: Tab, site: Site) -> None:
    if os.environ.get("PIZHU_SEARCH_SITE"):
        pytest.skip("fixture content")
    results = search(tab, "枫")  # in B's text and title, and in the glossary title
    assert sorted(results.pages) == sorted({B, FENGQIAO})
    results = search(tab, "维")  # in several texts, in no page title
    assert results.pages == []


def test_clicking_a_paragraph_result_lands_on_the_paragraph(tab: Tab, site: Site) -> None:
    phrase = "发现在早、处置在小" if not os.environ.get("PIZHU_SEARCH_SITE") else phrases()[0]
    search(tab, phrase)
    child = tab.page.locator(".md-search-result__item a[href*='#p-']").first
    href = child.get_attribute("href")
    anchor = href.split("#")[1]
    assert re.fullmatch(r"p-\d+", anchor), href
    child.click()
    tab.page.wait_for_url(re.compile(f"#{anchor}$"))
    target = tab.page.locator(f"[id='{anchor}']")
    assert _squeeze(phrase) in _squeeze(target.text_content())
    if "?h=" in tab.page.url:  # feature search.highlight: Material marks the phrase
        marks = target.locator("mark[data-md-highlight]").all_text_contents()
        assert marks and all(_squeeze(mark) == _squeeze(phrase) for mark in marks), marks
    assert target.evaluate(
        "el => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }"
    )
    assert tab.foreign_requests == []


def test_enter_opens_the_best_result_of_the_first_page(tab: Tab, site: Site) -> None:
    phrase = "发现在早、处置在小" if not os.environ.get("PIZHU_SEARCH_SITE") else phrases()[0]
    results = search(tab, phrase)
    tab.page.keyboard.press("Enter")
    tab.page.wait_for_url(re.compile(re.escape(tab.base + results.shown[0]) + r"([?#].*)?$"))
    assert tab.foreign_requests == []


def test_arrow_keys_walk_the_results_as_in_material(tab: Tab, site: Site) -> None:
    if os.environ.get("PIZHU_SEARCH_SITE"):
        pytest.skip("fixture content")
    results = search(tab, "维护")
    tab.page.keyboard.press("ArrowDown")
    first = tab.page.evaluate("document.activeElement.href")
    assert _site_path(tab.base, first) == results.shown[0]
    tab.page.keyboard.press("ArrowDown")
    second = tab.page.evaluate("document.activeElement.href")
    assert second != first and "#" in second  # the page's best paragraph


# --------------------------------------------------------------------------- the worker alone
# The worker's matching and answers, driven directly (no Material, no result list): an
# index written by the real build code, the worker loaded from file:// in a blank page.

WORKER_HARNESS = """async ({queries, manifest}) => {
  const url = document.querySelector("script[src]").src;
  const handle = window.pizhuWorkerFactories[url](message => {
    inbox.push(message);
    waiting.splice(0).forEach(wake => wake());
  });
  const inbox = [], waiting = [];
  const next = async (...types) => {
    for (;;) {
      const i = inbox.findIndex(m => types.includes(m.type));
      if (i !== -1) return inbox.splice(i, 1)[0];
      await new Promise(wake => waiting.push(wake));
    }
  };
  handle({type: 0, data: {config: manifest.config, docs: manifest.docs, options: {}}});
  const ready = await next(1, "pizhu:failed");
  const results = {};
  if (ready.type !== 1) return {ready, results};
  for (const q of queries) {
    handle({type: 2, data: q});
    const answer = (await next("pizhu:pages")).data;
    handle({type: "pizhu:items?",
            data: {seq: answer.seq, request: 7, pages: answer.pages.map(p => p[0])}});
    const items = (await next("pizhu:items")).data;
    results[q] = {pages: answer.pages, words: answer.words, groups: items.groups,
                  request: items.request};
  }
  return {ready, results};
}"""


def run_worker(browser: Any, search_dir: Path, queries: list[str], tmp: Path) -> dict[str, Any]:
    """The worker on the index in ``search_dir``: {query: {pages, words, groups}}."""
    root = tmp / "worker-site"
    shutil.copytree(search_dir, root / "search")
    (root / "assets" / "javascripts").mkdir(parents=True)
    shutil.copy2(REPO / "overrides" / WORKER, root / WORKER)
    (root / "harness.html").write_text(
        f"<!doctype html><meta charset='utf-8'><title>worker</title><script src='{WORKER}'></script>",
        encoding="utf-8",
    )
    manifest = json.loads((root / "search" / "search_index.json").read_text("utf-8"))
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.route(
        "**/*",
        lambda route, request: (
            route.continue_() if request.url.startswith("file:") else route.abort()
        ),
    )
    page.goto((root / "harness.html").as_uri())
    answer = page.evaluate(WORKER_HARNESS, {"queries": queries, "manifest": manifest})
    context.close()
    assert errors == []
    assert answer["ready"]["type"] == 1, answer["ready"]
    return answer["results"]


def _pages(*pages: tuple[str, tuple[tuple[str, str | None, str], ...], float]) -> list:
    from pizhu.search_html import Document
    from pizhu.search_index import IndexedPage

    return [
        IndexedPage(location, tuple(Document(*doc) for doc in docs), boost)
        for location, docs, boost in pages
    ]


WORKER_PAGES = _pages(
    (
        "a.html",
        (("", "三会一课", "三会一课是基本制度。"), ("chuxian", "出现在", "第一篇讲话")),
        1,
    ),
    (
        "b.html",
        (
            ("", "讲话", "（2021年）"),
            ("p-1", None, "落实三会 一课制度，ＱＱ群不是Qq群。"),
            ("yi", "一、维护稳定", ""),
            ("p-2", None, "严管就是厚爱。"),
            ("p-3", None, "发现在早、处置在小。𠮷野家维护。"),
            ("p-4", None, "维护。维护。"),
            ("p-5", None, "维护稳定" + "长" * 100 + "维护"),
        ),
        1,
    ),
    ("c.html", (("", "<b>标题</b>", "维\n护；a<b & c"),), 1),
    ("d.html", (("", "另一篇讲话", ""), ("p-1", None, "维护一次。")), 4),
)


@pytest.fixture(scope="module")
def worker_results(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from pizhu.search_files import write_index
    from pizhu.search_index import build_index

    tmp = tmp_path_factory.mktemp("worker")
    write_index(tmp / "site", build_index(WORKER_PAGES))
    queries = [
        "三会一课",
        "维护",
        "qq群",
        "严管 厚爱",
        "厚爱 稳定",
        '"发现在早、处置在小"',
        "“严管就是厚爱”",
        "𠮷野家",
        "三",
        "维",
        "会 课",
        "维 护",
        "a<b",
        "<b>",
        "量子纠缠",
        "   ",
    ]
    return run_worker(browser, tmp / "site" / "search", queries, tmp)


def _groups(answer: dict[str, Any]) -> list[list[str]]:
    return [[g["location"]] + [c["location"] for c in g["children"]] for g in answer["groups"]]


def test_worker_answers_every_page_with_hits_boost_and_date(worker_results: dict[str, Any]):
    answer = worker_results["三会一课"]
    assert [p[1:] for p in answer["pages"]] == [[2, 1, "", "a.html", 1], [1, 1, "", "b.html", 0]]
    assert answer["words"] == ["三会一课"] and answer["request"] == 7
    assert _groups(answer) == [["a.html"], ["b.html", "b.html#p-1"]]  # title hit: 2 hits
    group = answer["groups"][1]
    (paragraph,) = group["children"]
    assert paragraph["title"] == "讲话"  # before any heading: the page title
    assert paragraph["text"] == "<p>落实<mark>三会 一课</mark>制度，ＱＱ群不是Qq群。</p>"
    assert group["teaser"] == ""  # the page's own text has no match
    head = answer["groups"][0]
    assert head["title"] == "<mark>三会一课</mark>"
    assert head["teaser"] == "<p><mark>三会一课</mark>是基本制度。</p>"


def test_worker_puts_boosted_pages_first_then_most_hits(worker_results: dict[str, Any]):
    pages = worker_results["维护"]["pages"]
    # d.html has one hit but a boost (a speech); c.html has 维 and 护 in two blocks: no match
    assert [(p[4], p[1]) for p in pages] == [("d.html", 1), ("b.html", 6)]


def test_worker_orders_children_by_score(worker_results: dict[str, Any]) -> None:
    group = worker_results["维护"]["groups"][1]
    assert [c["location"] for c in group["children"]] == [
        "b.html#yi",  # a heading hit: 10
        "b.html#p-4",  # 2
        "b.html#p-5",  # 2
        "b.html#p-3",  # 1
    ]
    children = group["children"]
    assert children[1]["title"] == "一、<mark>维护</mark>稳定"  # inherited section title
    long = children[2]["text"]
    assert long.startswith("<p><mark>维护</mark>稳定长") and long.endswith("长…</p>")
    assert long.count("长") == 40 - len("稳定")  # 40 characters after the first match


def test_worker_folds_width_case_and_whitespace(worker_results: dict[str, Any]) -> None:
    assert _groups(worker_results["qq群"]) == [["b.html", "b.html#p-1"]]
    text = worker_results["qq群"]["groups"][0]["children"][0]["text"]
    assert "<mark>ＱＱ群</mark>" in text and "<mark>Qq群</mark>" in text
    assert worker_results["qq群"]["pages"][0][1] == 2


def test_worker_words_must_all_occur_in_one_page(worker_results: dict[str, Any]) -> None:
    assert _groups(worker_results["严管 厚爱"]) == [["b.html", "b.html#p-2"]]
    # In one page, not necessarily one paragraph:
    assert _groups(worker_results["厚爱 稳定"]) == [
        ["b.html", "b.html#yi", "b.html#p-2", "b.html#p-5"]  # ties: page order
    ]


def test_worker_quoted_phrase_and_astral_characters(worker_results: dict[str, Any]) -> None:
    assert _groups(worker_results['"发现在早、处置在小"']) == [["b.html", "b.html#p-3"]]
    assert worker_results["“严管就是厚爱”"]["pages"] == []  # Chinese quotes are text
    assert worker_results["𠮷野家"]["groups"][0]["children"][0]["text"].startswith(
        "<p>发现在早、处置在小。<mark>𠮷野家</mark>"
    )


def test_worker_one_character_searches_page_titles_only(worker_results: dict[str, Any]) -> None:
    assert _groups(worker_results["三"]) == [["a.html"]]
    (group,) = worker_results["三"]["groups"]
    assert group["title"] == "<mark>三</mark>会一课"
    assert group["teaser"] == "<p>三会一课是基本制度。</p>"  # no marks
    assert worker_results["维"]["pages"] == []
    assert _groups(worker_results["会 课"]) == [["a.html"]]  # every word in one title
    assert worker_results["维 护"]["pages"] == []


def test_worker_escapes_text_and_titles(worker_results: dict[str, Any]) -> None:
    (group,) = worker_results["a<b"]["groups"]
    assert group["title"] == "&lt;b&gt;标题&lt;/b&gt;"
    assert group["teaser"] == "<p>维 护；<mark>a&lt;b</mark> &amp; c</p>"
    assert _groups(worker_results["<b>"]) == [["c.html"]]


def test_worker_finds_nothing_for_absent_or_empty_queries(worker_results: dict[str, Any]) -> None:
    assert worker_results["量子纠缠"]["pages"] == []
    assert worker_results["   "]["pages"] == [] and worker_results["   "]["groups"] == []


def test_worker_reports_an_index_it_cannot_read(browser: Any, tmp_path: Path) -> None:
    from pizhu.search_files import write_index
    from pizhu.search_index import build_index

    write_index(tmp_path / "site", build_index(WORKER_PAGES))
    for shard in (tmp_path / "site" / "search").glob("pizhu-*.js"):
        shard.unlink()  # a copy of the site without its shards
    root = tmp_path / "worker-site"
    shutil.copytree(tmp_path / "site" / "search", root / "search")
    (root / "assets" / "javascripts").mkdir(parents=True)
    shutil.copy2(REPO / "overrides" / WORKER, root / WORKER)
    (root / "harness.html").write_text(
        f"<!doctype html><meta charset='utf-8'><title>w</title><script src='{WORKER}'></script>",
        encoding="utf-8",
    )
    manifest = json.loads((root / "search" / "search_index.json").read_text("utf-8"))
    context = browser.new_context()
    page = context.new_page()
    page.goto((root / "harness.html").as_uri())
    answer = page.evaluate(WORKER_HARNESS, {"queries": [], "manifest": manifest})
    context.close()
    assert answer["ready"]["type"] == "pizhu:failed"
    assert "cannot load" in answer["ready"]["data"]["message"]
