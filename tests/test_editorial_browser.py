"""编者批注 and 金句 as a reader sees them, in Debian's Chromium from file:// (the bundled
site): the note in the margin beside its paragraph at 1280 px; at 390 px a tap on 注N opens
it and Esc closes it; by keyboard, focus on 注N shows it; the 金句 page's concept filter;
on paper (PDF, pdftotext) the notes are numbered footnotes.
"""

from __future__ import annotations

import subprocess

import pytest

from conftest import ARTIFACTS, Built, squash
from pizhu.editorial import note_id, quoted
from test_offline import file_context
from test_print import poppler

SLUG = "2020-sizheng-gongzuo-huiyi"


def speech_url(bundled: Built, slug: str = SLUG) -> str:
    return (bundled.site / "speeches" / f"{slug}.html").as_uri()


def first_paragraph_note(bundled: Built, slug: str = SLUG):
    speech = next(s for s in bundled.speeches if s.slug == slug)
    return next(a for a in speech.annotations if a.paragraph is not None)


def box(page, selector: str) -> dict:
    return page.eval_on_selector(
        selector,
        "e => { const r = e.getBoundingClientRect();"
        " return {left: r.left, right: r.right, top: r.top, bottom: r.bottom,"
        " width: r.width, height: r.height}; }",
    )


def test_margin_note_beside_its_paragraph_at_1280(browser, bundled: Built):
    context, network = file_context(browser, width=1280)
    try:
        page = context.new_page()
        for speech in bundled.speeches:
            page.goto(speech_url(bundled, speech.slug))
            for annotation in speech.annotations:
                if annotation.paragraph is None:
                    continue
                note = f"#{note_id(annotation.number)}"
                paragraph = f"#p-{annotation.paragraph}"
                page.locator(paragraph).scroll_into_view_if_needed()
                assert page.locator(note).is_visible(), (speech.slug, annotation.number)
                n, p = box(page, note), box(page, paragraph)
                assert n["left"] >= p["right"] - 1, (speech.slug, annotation.number, n, p)
                assert n["right"] <= 1280
                assert n["width"] >= 150  # readable, not squeezed
                assert p["top"] - 1 <= n["top"] <= p["bottom"], (speech.slug, n, p)
                assert p["width"] >= 400  # the text keeps a readable measure
        page.screenshot(path=str(ARTIFACTS / "editorial-margin-1280.png"))
    finally:
        context.close()
    assert network.blocked == [] and network.failed == []


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
    )
    yield context.new_page()
    context.close()


def test_tap_opens_the_note_and_esc_closes_it_at_390(phone_page, bundled: Built):
    page = phone_page
    page.goto(speech_url(bundled))
    annotation = first_paragraph_note(bundled)
    note = page.locator(f"#{note_id(annotation.number)}")
    ref = page.locator(f"#{note_id(annotation.number)}-ref")
    assert not note.is_visible()
    ref.scroll_into_view_if_needed()
    ref.tap()
    assert note.is_visible()
    assert ref.get_attribute("aria-expanded") == "true"
    assert annotation.note.split("；")[0][-6:] in note.inner_text()
    n = box(page, f"#{note_id(annotation.number)}")
    assert n["left"] >= 0 and n["right"] <= 390  # on the screen, not in a margin
    page.screenshot(path=str(ARTIFACTS / "editorial-popover-390.png"))
    page.keyboard.press("Escape")
    assert not note.is_visible()
    assert ref.get_attribute("aria-expanded") == "false"
    ref.tap()
    assert note.is_visible()
    page.locator("h1").tap()  # a tap elsewhere closes it too
    assert not note.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_keyboard_focus_on_the_number_shows_the_note(browser, bundled: Built):
    context, _ = file_context(browser, width=900)
    try:
        page = context.new_page()
        page.goto(speech_url(bundled))
        annotation = first_paragraph_note(bundled)
        ref_id = f"{note_id(annotation.number)}-ref"
        note = page.locator(f"#{note_id(annotation.number)}")
        assert not note.is_visible()
        # Focus the link before the number, then Tab as a keyboard user would.
        page.evaluate(
            """id => { const links = [...document.querySelectorAll("a[href]")];
                links[links.indexOf(document.getElementById(id)) - 1].focus(); }""",
            ref_id,
        )
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == ref_id
        assert note.is_visible()
        assert page.get_attribute(f"#{ref_id}", "aria-describedby") == note_id(annotation.number)
        page.keyboard.press("Escape")
        assert not note.is_visible()
        assert page.evaluate("document.activeElement.id") == ref_id
    finally:
        context.close()


def test_key_sentences_page_filters_by_concept(browser, bundled: Built):
    context, network = file_context(browser)
    try:
        page = context.new_page()
        page.goto((bundled.site / "key-sentences.html").as_uri())
        items = page.locator("li[data-pz-concepts]")
        total = items.count()
        assert total == sum(len(s.key_sentences) for s in bundled.speeches)
        select = page.locator("select[data-pz-keys-filter]")
        assert select.is_visible()
        value = select.locator("option").nth(1).get_attribute("value")
        select.select_option(value)
        shown = [i for i in range(total) if items.nth(i).is_visible()]
        assert 0 < len(shown) < total
        for i in range(total):
            has = value in (items.nth(i).get_attribute("data-pz-concepts") or "").split()
            assert items.nth(i).is_visible() == has
        assert f"找到 {len(shown)} 句" in page.locator(".pz-filter__count").inner_text()
        select.select_option("")
        assert all(items.nth(i).is_visible() for i in range(total))
        # Each entry's link leads to its paragraph, which holds the sentence.
        link = items.nth(0).locator("a").last
        link.click()
        page.wait_for_load_state("load")
        assert "#p-" in page.url
        anchor = page.url.rsplit("#", 1)[1]
        assert page.locator(f"#{anchor} .pz-key").count() >= 1
    finally:
        context.close()
    assert network.blocked == [] and network.failed == []


def test_printed_speech_has_the_notes_as_footnotes(browser, bundled: Built, tmp_path):
    pdftotext = poppler("pdftotext")
    context, _ = file_context(browser)
    try:
        page = context.new_page()
        for speech in bundled.speeches:
            page.goto(speech_url(bundled, speech.slug))
            pdf = tmp_path / f"{speech.slug}.pdf"
            page.pdf(path=str(pdf), format="A4")
            text = subprocess.run(
                [pdftotext, "-enc", "UTF-8", str(pdf), "-"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            flat = squash(text)
            assert "编者批注" in flat
            end = flat.index(squash(speech.blocks[-1].text)[-8:])
            for annotation in speech.annotations:
                # At the end as a footnote, not beside the text.
                assert flat.index(squash(annotation.note)) > end, (speech.slug, annotation.number)
                footnote = squash(f"注{annotation.number}{quoted(annotation.quote)}")
                assert flat.find(footnote, end) > end, (speech.slug, footnote)
                assert squash(f"注{annotation.number}") in flat[:end]  # the number stays
    finally:
        context.close()
