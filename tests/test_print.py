"""Print: a speech page printed to PDF by Chromium (page.pdf, A4) is a clean study copy.

The PDF's text (pdftotext, poppler-utils) has the title, the source line, the numbered
paragraphs and the concept summaries as notes at the end, and none of the screen's
header, navigation, search, tags or footer; no page ends with a heading. The first pages
are also rendered to PNG (pdftoppm) in tests/.artifacts/ for people to look at.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ARTIFACTS, Built, squash
from pizhu.generate import concept_index, load_project_glossary
from pizhu.render import display_title
from pizhu.speech_layout import source_line
from test_offline import file_context

pytestmark = pytest.mark.browser

# Text of the screen around the article (header, navigation, search, footer, tags,
# table of contents, reading time, related speeches, the collapsed 整理说明).
SCREEN_ONLY = (
    "讲话学习",
    "搜索",
    "讲话目录",
    "按标签浏览",
    "概念地图",
    "关于本站",
    "上一页",
    "下一页",
    "目录",
    "阅读时间",
    "相关讲话",
    "整理说明",
    "¶",
)
# Body text between 11 and 12 points (CSS pixels: 1pt = 4/3 px).
BODY_SIZE_PX = (11 * 4 / 3, 12 * 4 / 3)


def poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        message = f"{tool} is missing (apt-get install poppler-utils)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="module")
def printed(browser, bundled: Built, tmp_path_factory) -> dict[str, tuple[Path, list[str]]]:
    """slug -> (PDF, text of each page), every bundled speech printed from file://."""
    pdftotext = poppler("pdftotext")
    folder = tmp_path_factory.mktemp("print")
    context, network = file_context(browser)
    out: dict[str, tuple[Path, list[str]]] = {}
    try:
        page = context.new_page()
        for speech in bundled.speeches:
            page.goto((bundled.site / "speeches" / f"{speech.slug}.html").as_uri())
            pdf = folder / f"{speech.slug}.pdf"
            page.pdf(path=str(pdf), format="A4")
            text = subprocess.run(
                [pdftotext, "-enc", "UTF-8", str(pdf), "-"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            out[speech.slug] = (pdf, text.split("\f")[:-1] or [text])
    finally:
        context.close()
    assert network.blocked == [] and network.failed == []
    return out


def test_pdf_has_title_source_paragraph_numbers_and_notes(printed, bundled: Built):
    index = concept_index(bundled.speeches, load_project_glossary(bundled.project))
    assert index is not None
    for speech in bundled.speeches:
        pdf, pages = printed[speech.slug]
        assert pdf.read_bytes().startswith(b"%PDF")
        text = "\n".join(pages)
        flat = squash(text)
        assert squash(display_title(speech)) in squash(pages[0]), speech.slug
        assert squash(source_line(speech)) in squash(pages[0]), speech.slug
        assert f"sources/{speech.source_name.split('/')[-1]}" in text
        paragraphs = [b.text for b in speech.blocks if b.kind == "paragraph"]
        for number in (1, len(paragraphs)):
            start = squash(paragraphs[number - 1])[:6]
            assert re.search(rf"(?m)^{number} ?{re.escape(start[:1])}", text), (speech.slug, number)
            assert start in flat
        counts = index.term_counts(speech.slug)
        assert counts, "every bundled speech uses some concept"
        for term_count in counts:
            note = squash(f"{term_count.term.term}{term_count.count}次：{term_count.term.summary}")
            assert note in flat, (speech.slug, term_count.term.id)


def test_pdf_has_nothing_of_the_screen_around_the_text(printed, bundled: Built):
    for speech in bundled.speeches:
        _, pages = printed[speech.slug]
        text = "\n".join(pages)
        body = squash(" ".join(b.text for b in speech.blocks) + (speech.title or ""))
        for word in SCREEN_ONLY:
            if word not in body:  # a speech may say 目录 itself
                assert word not in text, (speech.slug, word)


def test_no_page_ends_with_a_heading(printed, bundled: Built):
    for speech in bundled.speeches:
        headings = [squash(b.text) for b in speech.blocks if b.kind == "heading"]
        _, pages = printed[speech.slug]
        for number, page in enumerate(pages[:-1], start=1):
            lines = [squash(line) for line in page.splitlines() if line.strip()]
            last = [line for line in lines if not re.fullmatch(r"\d+/\d+", line)][-1]
            assert not any(last in heading for heading in headings if len(last) >= 2), (
                speech.slug,
                number,
                last,
            )


def test_print_styles(browser, bundled: Built):
    speech = max(bundled.speeches, key=lambda s: sum(b.kind == "heading" for b in s.blocks))
    context, _ = file_context(browser)
    try:
        page = context.new_page()
        page.goto((bundled.site / "speeches" / f"{speech.slug}.html").as_uri())
        assert not page.locator("article .pz-print-only").first.is_visible()
        page.emulate_media(media="print")
        style = page.evaluate(
            """() => {
              const p = getComputedStyle(document.querySelector('article p.pz-p'));
              const h = getComputedStyle(document.querySelector('article h2'));
              return {size: parseFloat(p.fontSize), breakAfter: h.breakAfter};
            }"""
        )
        assert BODY_SIZE_PX[0] <= style["size"] <= BODY_SIZE_PX[1], style
        assert style["breakAfter"] == "avoid"
        assert page.locator("article .pz-print-only").first.is_visible()
        for hidden in (".md-header", ".md-sidebar--primary", ".md-footer", ".md-tags"):
            locator = page.locator(hidden).first
            assert locator.count() == 0 or not locator.is_visible(), hidden
        assert page.locator("article a.pz-pn").first.is_visible()
    finally:
        context.close()


def test_pdf_pages_as_pictures(printed, bundled: Built):
    """The first two pages and the last page of one speech, as PNG for people to look at."""
    pdftoppm = poppler("pdftoppm")
    speech = max(bundled.speeches, key=lambda s: s.char_count)
    pdf, pages = printed[speech.slug]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("print-page-*.png"):
        old.unlink()
    root = str(ARTIFACTS / "print-page")
    for first, last in ((1, 2), (len(pages), len(pages))):
        command = [pdftoppm, "-r", "60", "-png", "-f", str(first), "-l", str(last), str(pdf), root]
        subprocess.run(command, check=True)
    assert len(list(ARTIFACTS.glob("print-page-*.png"))) >= min(3, len(pages))
