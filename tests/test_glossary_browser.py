"""Concept tooltips and 出现于 links in a real browser (Debian's Chromium via Playwright).

Reuses the served bundled site and the browser of test_browser.py: every request is
logged and anything not to the local server fails. Screenshots for people to look at go
to tests/.artifacts/ (glossary-*.png, term-*.png, speech-terms-*.png).
"""

from __future__ import annotations

import pytest

from conftest import ARTIFACTS, Built
from pizhu.glossary import load_glossary
from test_browser import open_page, server  # noqa: F401 - pytest fixtures

pytestmark = pytest.mark.browser

TIP = "#pz-tip"


def speech_with_terms(bundled: Built):
    """The speech with the most concept links (stable across runs) and its page path."""
    best = max(
        bundled.speeches,
        key=lambda s: (
            (bundled.site / "speeches" / f"{s.slug}.html")
            .read_text(encoding="utf-8")
            .count('class="pz-term"'),
            s.slug,
        ),
    )
    return best, f"speeches/{best.slug}.html"


def first_term_after_number(page):
    """A term that is the first link after its paragraph's number link, and that number."""
    handle = page.evaluate_handle(
        """() => {
          for (const p of document.querySelectorAll('article p.pz-p')) {
            const links = p.querySelectorAll('a');
            if (links.length > 1 && links[0].classList.contains('pz-pn')
                && links[1].classList.contains('pz-term')) return p.id;
          }
          return null;
        }"""
    )
    paragraph_id = handle.json_value()
    assert paragraph_id, "a paragraph whose first link is a concept"
    paragraph = page.locator(f"#{paragraph_id}")
    return paragraph.locator("a.pz-pn"), paragraph.locator("a.pz-term").first


def described(term, name: str) -> str:
    """The concept's name or summary as the tooltip shows it: from the link, or from the
    first link to the same page (only that one carries them)."""
    return term.evaluate(
        """(a, name) => a.getAttribute(name) ?? Array.from(document.querySelectorAll('a[' + name + ']'))
             .find((b) => b.getAttribute('href') === a.getAttribute('href')).getAttribute(name)""",
        name,
    )


def tip_text(page) -> str:
    return page.locator(TIP).inner_text()


def test_a_later_occurrence_shows_the_summary_of_the_first(browser, server, bundled):
    """Only a concept's first link carries its summary; hovering a later one shows it too."""
    _, path = speech_with_terms(bundled)
    context, page, log = open_page(browser, f"{server}/{path}", server)
    try:
        later = page.locator("article a.pz-term:not([data-pz-tip])").first
        assert later.count() == 1, "the speech uses some concept twice"
        summary = described(later, "data-pz-tip")
        later.scroll_into_view_if_needed()
        later.hover()
        page.locator(TIP).wait_for(state="visible", timeout=2000)
        assert summary and summary in tip_text(page)
        assert described(later, "data-pz-term") in tip_text(page)
        assert log.outside == [], log.outside
    finally:
        context.close()


def test_hover_shows_the_summary(browser, server, bundled):
    _, path = speech_with_terms(bundled)
    context, page, log = open_page(browser, f"{server}/{path}", server)
    try:
        term = page.locator("article a.pz-term").nth(2)
        summary = described(term, "data-pz-tip")
        assert summary
        assert term.get_attribute("title") is None  # Material's tooltips stay away
        term.hover()
        page.locator(TIP).wait_for(state="visible", timeout=2000)
        assert summary in tip_text(page)
        assert described(term, "data-pz-term") in tip_text(page)
        assert term.get_attribute("aria-describedby") == "pz-tip"
        # the tooltip is below or above the term, not on it, and inside the window
        tip_box = page.locator(TIP).bounding_box()
        term_box = term.bounding_box()
        assert tip_box["y"] >= term_box["y"] + term_box["height"] or (
            tip_box["y"] + tip_box["height"] <= term_box["y"]
        )
        assert tip_box["x"] >= 0 and tip_box["x"] + tip_box["width"] <= 1280
        # moving onto the tooltip keeps it (it can be read); moving away hides it
        page.mouse.move(tip_box["x"] + 10, tip_box["y"] + 10, steps=5)
        page.wait_for_timeout(500)
        assert page.locator(TIP).is_visible()
        page.mouse.move(5, 890)
        page.locator(TIP).wait_for(state="hidden", timeout=2000)
        assert term.get_attribute("aria-describedby") is None
        assert page.url == f"{server}/{path}"
        assert log.outside == [], log.outside
    finally:
        context.close()


def test_keyboard_focus_shows_the_summary_and_escape_hides_it(browser, server, bundled):
    _, path = speech_with_terms(bundled)
    context, page, log = open_page(browser, f"{server}/{path}", server)
    try:
        number, term = first_term_after_number(page)
        number.focus()
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.classList.contains('pz-term')")
        assert page.evaluate("document.activeElement.matches(':focus-visible')")
        page.locator(TIP).wait_for(state="visible", timeout=2000)
        assert described(term, "data-pz-tip") in tip_text(page)
        assert "回车" in tip_text(page)
        # a visible focus ring
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none"
        page.keyboard.press("Escape")
        page.locator(TIP).wait_for(state="hidden", timeout=2000)
        assert page.evaluate("document.activeElement.classList.contains('pz-term')")
        # Tab to the next concept shows its summary; Enter follows the link
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")
        page.locator(TIP).wait_for(state="visible", timeout=2000)
        href = term.get_attribute("href")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url.endswith(href.replace("../", "/"))
        assert log.outside == [], log.outside
    finally:
        context.close()


def open_phone(browser, url: str, origin: str | None):
    return open_page(
        browser,
        url,
        origin,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )


def test_tap_shows_the_summary_first_and_follows_the_link_second(browser, server, bundled):
    _, path = speech_with_terms(bundled)
    url = f"{server}/{path}"
    context, page, log = open_phone(browser, url, server)
    try:
        term = page.locator("article a.pz-term").nth(1)
        term.scroll_into_view_if_needed()
        term.tap()
        page.locator(TIP).wait_for(state="visible", timeout=2000)
        page.wait_for_timeout(500)
        assert page.url == url, "the first tap does not navigate"
        assert described(term, "data-pz-tip") in tip_text(page)
        assert "再点一次" in tip_text(page)
        tip_box = page.locator(TIP).bounding_box()
        assert tip_box["x"] >= 0 and tip_box["x"] + tip_box["width"] <= 390
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "speech-terms-tap-390.png"))
        # a tap elsewhere hides it
        page.locator("article h1").tap()
        page.locator(TIP).wait_for(state="hidden", timeout=2000)
        # tap, then tap the term again: its page opens
        term.tap()
        page.locator(TIP).wait_for(state="visible", timeout=2000)
        href = term.get_attribute("href")
        with page.expect_navigation():
            term.tap()
        assert page.url.endswith(href.replace("../", "/"))
        # tap, then tap the tooltip: the page opens too
        page.go_back(wait_until="load")
        term = page.locator("article a.pz-term").nth(1)
        term.tap()
        page.locator(TIP).wait_for(state="visible", timeout=2000)
        with page.expect_navigation():
            page.locator(TIP).tap()
        assert page.url.endswith(href.replace("../", "/"))
        assert log.outside == [], log.outside
    finally:
        context.close()


def test_occurrence_link_lands_on_the_paragraph(browser, server, bundled):
    glossary = load_glossary(bundled.project / "glossary.yml")
    context, page, log = open_page(browser, f"{server}/glossary/index.html", server)
    try:
        checked = 0
        for term in glossary:
            page.goto(f"{server}/glossary/{term.id}.html", wait_until="load")
            links = page.locator("article a.pz-occurrence-link", has_text="段")
            if links.count() == 0:
                continue
            # the last one: usually far down its speech, so following it must scroll
            link = links.last
            target = link.get_attribute("href")
            anchor = target.split("#", 1)[1]
            with page.expect_navigation():
                link.click()
            assert page.url.endswith(target.replace("../", "/"))
            assert page.evaluate("document.querySelector(':target').id") == anchor
            paragraph = page.locator(f"#{anchor}")
            text = paragraph.inner_text()
            assert any(form in text for form in term.forms), (term.id, anchor)
            box = paragraph.bounding_box()
            header = page.locator("header.md-header").bounding_box()
            assert box["y"] >= header["y"] + header["height"] - 1, "hidden under the header"
            assert box["y"] < page.viewport_size["height"] / 2, "scrolled into view"
            checked += 1
            if checked == 5:
                break
        assert checked == 5
        assert log.outside == [], log.outside
    finally:
        context.close()


def test_tooltips_work_from_file_urls(browser, bundled):
    _, path = speech_with_terms(bundled)
    context, page, log = open_page(browser, (bundled.site / path).as_uri(), None)
    try:
        page.locator("article a.pz-term").first.hover()
        page.locator(TIP).wait_for(state="visible", timeout=2000)
        assert log.outside == [], log.outside
    finally:
        context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots(browser, server, bundled, width):
    """Pictures of the glossary for people to look at (tests/.artifacts/)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    _, path = speech_with_terms(bundled)
    context, page, log = open_page(browser, f"{server}/{path}", server, width)
    try:
        term = page.locator("article a.pz-term").nth(3)
        term.scroll_into_view_if_needed()
        page.mouse.wheel(0, -200)
        page.wait_for_timeout(200)
        term.hover()
        page.locator(TIP).wait_for(state="visible", timeout=2000)
        page.screenshot(path=str(ARTIFACTS / f"speech-terms-{width}.png"))
        page.locator("article .pz-concepts").scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / f"speech-concepts-{width}.png"))
        page.goto(f"{server}/glossary/index.html", wait_until="load")
        page.screenshot(path=str(ARTIFACTS / f"glossary-{width}.png"))
        href = page.locator("article .pz-glossary a").first.get_attribute("href")
        page.goto(f"{server}/glossary/{href}", wait_until="load")
        page.screenshot(path=str(ARTIFACTS / f"term-{width}.png"), full_page=True)
        assert log.outside == [], log.outside
    finally:
        context.close()


def test_dark_mode_screenshot(browser, server, bundled):
    _, path = speech_with_terms(bundled)
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, color_scheme="dark", locale="zh-CN"
    )
    try:
        page = context.new_page()
        page.goto(f"{server}/{path}", wait_until="load")
        assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
        term = page.locator("article a.pz-term").nth(3)
        term.hover()
        page.locator(TIP).wait_for(state="visible", timeout=2000)
        colours = page.evaluate(
            """() => {
              const tip = getComputedStyle(document.querySelector('#pz-tip'));
              const term = getComputedStyle(document.querySelector('article a.pz-term'));
              const text = getComputedStyle(document.querySelector('article p.pz-p'));
              return [tip.backgroundColor, tip.color, term.color, text.color];
            }"""
        )
        tip_background, tip_text_colour, term_colour, text_colour = colours
        assert tip_background != tip_text_colour
        assert term_colour == text_colour, "a concept has the text colour, not the link colour"
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "speech-terms-dark-1280.png"))
    finally:
        context.close()


def test_print_shows_the_summaries_of_the_concepts_used(browser, server, bundled):
    """In print the concept list becomes notes with each summary; no tooltip, no related."""
    _, path = speech_with_terms(bundled)
    context, page, log = open_page(browser, f"{server}/{path}", server)
    try:
        page.locator("article a.pz-term").first.hover()
        page.locator(TIP).wait_for(state="visible", timeout=2000)
        page.emulate_media(media="print")
        summaries = page.locator("article .pz-concepts .pz-summary")
        assert summaries.count() > 0
        for i in range(summaries.count()):
            assert summaries.nth(i).is_visible()
        assert not page.locator(TIP).is_visible()
        assert not page.locator("article .pz-related").is_visible()
        decoration = page.evaluate(
            "getComputedStyle(document.querySelector('article a.pz-term')).textDecorationLine"
        )
        assert decoration == "none"
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.pdf(path=str(ARTIFACTS / "speech-print.pdf"), format="A4")
        page.emulate_media(media="screen")
        assert not summaries.first.is_visible()  # on screen: chips, no summaries
        assert log.outside == [], log.outside
    finally:
        context.close()
