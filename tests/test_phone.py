"""A 390-pixel-wide phone: the home page, the speeches index, a speech, the tags page and
the concept map fit the screen (no sideways scrolling of the page), the text is large
enough, the index is a list of cards with its filters, and the concept map scrolls inside
its own box with the titles fixed on the left. Screenshots go to tests/.artifacts/phone-*.
"""

from __future__ import annotations

import pytest

from conftest import ARTIFACTS, Built
from test_browser import RequestLog, server  # noqa: F401 - pytest fixtures

pytestmark = pytest.mark.browser

WIDTH = 390
MIN_TEXT_PX = 15  # body text on a phone


@pytest.fixture
def phone(browser, server):
    context = browser.new_context(
        viewport={"width": WIDTH, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
    )
    log = RequestLog(context, server)
    page = context.new_page()

    def open(path: str):
        page.goto(f"{server}/{path}", wait_until="load")
        page.wait_for_load_state("networkidle")
        return page

    yield open
    assert log.outside == [], log.outside
    context.close()


def page_overflow(page) -> int:
    """How many pixels the page is wider than the screen (0: no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def shoot(page, name: str, full_page: bool = False) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"phone-{name}.png"), full_page=full_page)


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("index.html", "home"),
        ("speeches/index.html", "speeches-index"),
        ("speeches/tags.html", "tags"),
        ("concepts.html", "concept-map"),
        ("glossary/index.html", "glossary"),
    ],
)
def test_pages_fit_the_screen(phone, path: str, name: str):
    page = phone(path)
    assert page.locator("article h1").is_visible()
    assert page_overflow(page) <= 0, path
    size = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('article p')).fontSize)"
    )
    assert size >= MIN_TEXT_PX - 3, (path, size)  # leads are a little smaller than body text
    shoot(page, name, full_page=True)


def test_speech_fits_and_reads(phone, bundled: Built):
    speech = max(bundled.speeches, key=lambda s: len(s.blocks))
    page = phone(f"speeches/{speech.slug}.html")
    assert page_overflow(page) <= 0
    size = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('article p.pz-p')).fontSize)"
    )
    assert size >= MIN_TEXT_PX
    # paragraph numbers sit inside the screen, left of the text
    number = page.locator("article a.pz-pn").first.bounding_box()
    text = page.locator("article p.pz-p").first.bounding_box()
    assert 0 <= number["x"] < text["x"] + 40
    tags = page.locator("article .md-tags")
    if tags.count():
        box = tags.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH
    shoot(page, "speech")


def test_speeches_index_is_cards_with_filters(phone, bundled: Built):
    page = phone("speeches/index.html")
    assert page.locator("form.pz-filter").is_visible()
    assert page.locator("select[name=sort]").is_visible()
    assert not page.locator("article .pz-index thead").is_visible()
    rows = page.locator("article .pz-index tbody tr")
    assert rows.count() == len(bundled.speeches)
    for i in range(rows.count()):
        box = rows.nth(i).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH + 1
    # an unknown value ("—") is not shown on a card
    empty = page.locator("article .pz-index td.pz-empty")
    for i in range(empty.count()):
        assert not empty.nth(i).is_visible()
    page.select_option(
        "select[name=sort]", index=page.locator("select[name=sort] option").count() - 1
    )
    shoot(page, "speeches-index-sorted")


def test_concept_map_scrolls_inside_its_box_with_titles_fixed(phone):
    page = phone("concepts.html")
    box = page.locator(".pz-map-scroll")
    sizes = box.evaluate("b => [b.scrollWidth, b.clientWidth]")
    assert sizes[0] > sizes[1], "more concepts than fit: the box scrolls"
    assert page_overflow(page) <= 0
    title = page.locator("table.pz-map tbody th").first
    before = title.bounding_box()["x"]
    box.evaluate("b => { b.scrollLeft = 300; }")
    page.wait_for_timeout(100)
    assert abs(title.bounding_box()["x"] - before) < 1, "the title column stays"
    first_cell = page.locator("table.pz-map tbody td").first.bounding_box()
    assert first_cell["x"] < before, "the cells moved under it"
    shoot(page, "concept-map-scrolled")
