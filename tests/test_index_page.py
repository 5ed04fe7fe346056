"""The speeches index in a real browser: pizhu-index.js sorts by a column (header click or
the 排序 menu) and filters by year, speaker, occasion, concept and text; without
JavaScript it is a plain table with every speech. Every request stays on the local
server (the served bundled site of test_browser.py)."""

from __future__ import annotations

import pytest

from conftest import ARTIFACTS, Built
from pizhu.generate import concept_index, load_project_glossary
from pizhu.render import display_title
from pizhu.site import sort_speeches
from test_browser import open_page, server  # noqa: F401 - pytest fixtures

pytestmark = pytest.mark.browser

ROWS = "article .pz-index tbody tr"


def visible_rows(page) -> list[dict[str, str]]:
    """The rows shown, in order: their title (the link; the cell also counts the
    editor's notes and key sentences) and data attributes."""
    return page.evaluate(
        """(selector) => Array.from(document.querySelectorAll(selector))
             .filter(row => !row.hidden)
             .map(row => Object.assign({title: row.cells[0].querySelector('a').textContent.trim()}, row.dataset))""",
        ROWS,
    )


def titles(rows: list[dict[str, str]]) -> list[str]:
    return [row["title"] for row in rows]


@pytest.fixture
def index_page(browser, server):
    context, page, log = open_page(browser, f"{server}/speeches/index.html", server)
    page.locator("form.pz-filter").wait_for(state="visible", timeout=2000)
    yield page
    assert log.outside == [], log.outside
    context.close()


def test_starts_newest_first_with_every_speech(index_page, bundled: Built):
    expected = [" ".join(display_title(s).split()) for s in sort_speeches(bundled.speeches)]
    assert titles(visible_rows(index_page)) == expected
    assert index_page.locator(".pz-filter__count").inner_text() == f"共 {len(expected)} 篇"
    date_header = index_page.locator("article .pz-index th", has_text="日期")
    assert date_header.get_attribute("aria-sort") == "descending"


def test_header_click_sorts_and_a_second_click_reverses(index_page, bundled: Built):
    by_size = sorted(bundled.speeches, key=lambda s: -s.char_count)
    expected = [" ".join(display_title(s).split()) for s in by_size]
    header = index_page.locator("article .pz-index th", has_text="字数")
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    assert titles(visible_rows(index_page)) == expected
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    assert titles(visible_rows(index_page)) == expected[::-1]
    # the keyboard works too: the header is a button
    title_header = index_page.locator("article .pz-index th", has_text="标题")
    title_header.locator("button").focus()
    index_page.keyboard.press("Enter")
    assert title_header.get_attribute("aria-sort") == "ascending"
    assert header.get_attribute("aria-sort") is None
    shown = titles(visible_rows(index_page))
    in_pinyin = index_page.evaluate(
        "(t) => t.slice().sort(new Intl.Collator('zh-Hans-CN-u-co-pinyin').compare)", shown
    )
    assert shown == in_pinyin
    assert index_page.locator("select[name=sort]").input_value().endswith(":ascending")


def test_sort_menu_sorts_and_empty_values_stay_last(index_page, bundled: Built):
    menu = index_page.locator("select[name=sort]")
    speaker_column = "1"
    for direction in ("ascending", "descending"):
        menu.select_option(f"{speaker_column}:{direction}")
        speakers = [row.get("pzSpeaker", "") for row in visible_rows(index_page)]
        named = [s for s in speakers if s]
        assert speakers == named + [""] * (len(speakers) - len(named)), direction
        ordered = index_page.evaluate(
            "(t) => t.slice().sort(new Intl.Collator('zh-Hans-CN-u-co-pinyin').compare)", named
        )
        assert named == (ordered if direction == "ascending" else ordered[::-1])


def test_concept_filter_shows_exactly_the_speeches_using_it(index_page, bundled: Built):
    index = concept_index(bundled.speeches, load_project_glossary(bundled.project))
    assert index is not None
    options = index_page.locator("select[name=concept] option").evaluate_all(
        "options => options.map(o => o.value).filter(Boolean)"
    )
    assert options
    for term_id in (options[0], options[-1]):
        index_page.select_option("select[name=concept]", term_id)
        expected = {slug for slug in index.of_term(term_id)}
        shown = index_page.evaluate(
            """(selector) => Array.from(document.querySelectorAll(selector))
                 .filter(row => !row.hidden)
                 .map(row => row.cells[0].querySelector('a').getAttribute('href'))""",
            ROWS,
        )
        assert {href.removesuffix(".html") for href in shown} == expected, term_id
        count = index_page.locator(".pz-filter__count").inner_text()
        assert count == f"显示 {len(expected)} / {len(bundled.speeches)} 篇"


def test_filters_combine_and_reset(index_page, bundled: Built):
    speakers = [s for s in bundled.speeches if s.speaker]
    assert speakers, "some bundled speech names its speaker"
    speaker = " ".join(speakers[0].speaker.split())
    index_page.select_option("select[name=speaker]", speaker)
    rows = visible_rows(index_page)
    assert rows and all(row["pzSpeaker"] == speaker for row in rows)
    # text filter: every word must be in the row
    title = " ".join(display_title(speakers[0]).split())
    index_page.fill("input[name=text]", f"{title[2:6]} {speaker[:2]}")
    assert titles(visible_rows(index_page)) == [title]
    index_page.fill("input[name=text]", "这句话不会出现在任何标题里")
    assert visible_rows(index_page) == []
    assert index_page.locator(".pz-filter-empty").is_visible()
    index_page.locator("button.pz-filter__reset").click()
    index_page.wait_for_timeout(50)
    assert len(visible_rows(index_page)) == len(bundled.speeches)
    assert not index_page.locator(".pz-filter-empty").is_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    index_page.screenshot(path=str(ARTIFACTS / "speeches-index-filters-1280.png"))


def test_without_javascript_it_is_a_plain_table(browser, server, bundled: Built):
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(f"{server}/speeches/index.html", wait_until="load")
        assert not page.locator("form.pz-filter").is_visible()
        assert page.locator(ROWS).count() == len(bundled.speeches)
        for i in range(len(bundled.speeches)):
            assert page.locator(ROWS).nth(i).is_visible()
        assert page.locator("article .pz-index thead").is_visible()
    finally:
        context.close()


def test_year_and_hostile_values_filter_exactly(browser, hostile: Built):
    """The hostile corpus: a dated speech (year filter) and a speaker with markup, quotes
    and an ampersand, which must match its row exactly and show as text."""
    dated = [s for s in hostile.speeches if s.date]
    named = [s for s in hostile.speeches if s.speaker and "<" in s.speaker]
    assert dated and named
    context = browser.new_context(locale="zh-CN")
    try:
        page = context.new_page()
        page.goto((hostile.site / "speeches" / "index.html").as_uri(), wait_until="load")
        page.locator("form.pz-filter").wait_for(state="visible", timeout=2000)
        year = dated[0].date[:4]
        page.select_option("select[name=year]", year)
        rows = visible_rows(page)
        assert [row["pzYear"] for row in rows] == [year] * sum(s.date[:4] == year for s in dated)
        page.select_option("select[name=year]", "")
        speaker = " ".join(named[0].speaker.split())
        option = page.locator("select[name=speaker] option", has_text=speaker)
        assert option.count() == 1  # shown literally, markup and all
        page.select_option("select[name=speaker]", speaker)
        assert [row["pzSpeaker"] for row in visible_rows(page)] == [speaker]
        assert page.locator("article b").count() == 0
    finally:
        context.close()
