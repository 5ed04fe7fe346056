"""Exact-phrase search on the real bundled site (issues #4 and #5), in Debian's Chromium.

tests/test_search_browser.py checks the search machinery on a small fixture site; this
module checks the product: the bundled speeches and glossary, built with the real
``mkdocs build --strict`` (conftest's ``bundled``), over HTTP and from file:// with every
request outside the site blocked.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from pizhu.glossary import load_glossary
from pizhu.search_files import read_index
from test_nginx import nginx  # noqa: F401 - a fixture: the built site under /xuexi/
from test_search_browser import (
    NONE_FOUND,
    RESULT_BUDGET_MS,
    Tab,
    _QuietHandler,
    expected_from_site,
    run_worker,
    search,
    tab,  # noqa: F401 - a fixture; its `transport` is this module's
)

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent

#: Phrases a reader heard in a meeting (from the issue), and one that occurs nowhere.
PHRASES = ["维护", "枫桥", "三会一课", "严管就是厚爱", "发现在早、处置在小", "两个维护", "量子纠缠"]


@pytest.fixture(scope="module")
def site_dir(bundled) -> Path:
    return bundled.site


@pytest.fixture(scope="module")
def http_base(site_dir: Path) -> Iterator[str]:
    handler = partial(_QuietHandler, directory=str(site_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(params=["http", "file"])
def transport(request: pytest.FixtureRequest, site_dir: Path) -> str:
    if request.param == "http":
        return request.getfixturevalue("http_base")
    return site_dir.as_uri() + "/"


#: Pages kept out of search on purpose (front matter ``search: exclude: true``): the
#: concept map, the tags page and the 金句 page only repeat what the speeches and term
#: pages say (a key sentence is found at its paragraph).
EXCLUDED = {"concepts.html", "speeches/tags.html", "key-sentences.html"}


@pytest.fixture(scope="module")
def expected(site_dir: Path) -> dict[str, set[str]]:
    found = expected_from_site(site_dir, PHRASES)
    return {phrase: pages - EXCLUDED for phrase, pages in found.items()}


def test_only_the_intended_pages_are_left_out_of_the_index(site_dir: Path) -> None:
    indexed = {doc["location"].split("#")[0] for doc in read_index(site_dir)}
    pages = {
        path.relative_to(site_dir).as_posix()
        for path in site_dir.rglob("*.html")
        if path.name != "404.html"
    }
    assert pages - indexed == EXCLUDED


@pytest.mark.parametrize("phrase", PHRASES)
def test_phrase_finds_exactly_the_speeches_that_contain_it(
    tab: Tab, expected: dict[str, set[str]], phrase: str
) -> None:
    results = search(tab, phrase, start="speeches/index.html")
    assert sorted(set(results.pages)) == sorted(expected[phrase]), results.meta
    assert sorted(results.shown) == sorted(expected[phrase])  # all drawn: fewer than a batch
    if phrase == "量子纠缠":
        assert results.meta == NONE_FOUND
    else:
        assert any(page.startswith("speeches/") for page in results.pages)
    assert results.elapsed_ms < RESULT_BUDGET_MS, f"{results.elapsed_ms:.0f} ms"
    assert tab.foreign_requests == []
    assert tab.errors == []


def test_result_marks_the_phrase_in_its_paragraph(tab: Tab) -> None:
    search(tab, "严管就是厚爱")
    snippet = tab.page.locator(".md-search-result__article mark").first
    assert snippet.text_content() == "严管就是厚爱"


def test_every_glossary_form_finds_its_term_page_and_speeches(
    browser: Any, site_dir: Path, tmp_path: Path
) -> None:
    """Each term and alias, searched as a phrase, finds its own term page and exactly the
    pages whose text contains it (the worker on the site's own index)."""
    glossary = load_glossary(REPO / "glossary.yml")
    forms = {form: term.id for term in glossary.terms for form in (term.term, *term.aliases)}
    want = {
        form: pages - EXCLUDED for form, pages in expected_from_site(site_dir, list(forms)).items()
    }
    answers = run_worker(browser, site_dir / "search", list(forms), tmp_path)
    problems = []
    for form, term_id in forms.items():
        found = {entry[4] for entry in answers[form]["pages"]}
        if found != want[form]:
            problems.append(f"{form}: extra {found - want[form]}, missing {want[form] - found}")
        if f"glossary/{term_id}.html" not in found:
            problems.append(f"{form}: not found on glossary/{term_id}.html")
    assert problems == []


def test_speeches_rank_above_pages_that_only_mention_the_phrase(tab: Tab) -> None:
    """严管就是厚爱: every speech that uses it, then the other pages: first its own term
    page (the phrase is its title and its subject), then the pages that merely mention it
    (related lists, the glossary index)."""
    results = search(tab, "严管就是厚爱")
    pages = results.shown
    kinds = ["speech" if page.startswith("speeches/") else "other" for page in pages]
    assert kinds == sorted(kinds, key=lambda kind: kind != "speech"), pages
    assert "speech" in kinds and "other" in kinds
    assert pages[kinds.index("other")] == "glossary/yan-guan-jiushi-houai.html"


def test_results_show_the_hits_of_each_page(tab: Tab) -> None:
    results = search(tab, "维护")
    facts = tab.page.eval_on_selector_all(
        ".md-search-result__item .pz-search-page .pz-search-facts",
        "nodes => nodes.map(n => n.textContent)",
    )
    assert len(facts) == len(results.shown)
    hits = [int(re.fullmatch(r"(?:\d{4}年\S* · )?出现 (\d+) 次", fact).group(1)) for fact in facts]
    speeches = [
        n for n, page in zip(hits, results.shown, strict=True) if page.startswith("speeches/")
    ]
    assert speeches == sorted(speeches, reverse=True)  # 按出现次数, the default


def test_the_config_names_pizhus_worker_and_keeps_materials_keys(site_dir: Path) -> None:
    import material

    page = (site_dir / "speeches" / "index.html").read_text("utf-8")
    config = json.loads(
        re.search(r'<script id="__config" type="application/json">(.*?)</script>', page).group(1)
    )
    assert config["search"] == "../assets/javascripts/pizhu-search-worker.js"
    base = (Path(material.__file__).parent / "templates" / "base.html").read_text("utf-8")
    block = re.search(r"\{% block config %\}.*?\{% endblock %\}", base, re.S).group(0)
    keys = set(re.findall(r'^\s*"(\w+)":', block, re.M))
    assert keys == set(config), "Material's __config keys"
    assert config["translations"]["search.result.none"] == NONE_FOUND


def test_search_works_under_an_intranet_sub_path(browser: Any, nginx: str) -> None:
    """The worker finds its shards relative to itself: /xuexi/assets/… → /xuexi/search/."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = Tab(context.new_page(), nginx)
    tab.page.on("pageerror", lambda error: tab.errors.append(str(error)))
    from test_search_browser import _RECORD_RESULTS

    tab.page.add_init_script(_RECORD_RESULTS)
    failed: list[str] = []
    context.on(
        "response",
        lambda response: failed.append(response.url) if response.status >= 400 else None,
    )
    try:
        results = search(tab, "三会一课", start="speeches/index.html")
        assert results.pages and all(not page.startswith("/") for page in results.pages)
        assert sorted(results.shown) == sorted(results.pages)
        assert failed == [] and tab.errors == []
    finally:
        context.close()
