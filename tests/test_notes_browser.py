"""我的批注 in a real browser: Debian's Chromium driven by Playwright with real pointer
events (mouse down, move, up to select words; taps on a phone).

From the reader's zip unzipped into folders (file://, every other request blocked) and
over HTTP from 127.0.0.1: highlight and write a note, reload; export JSON and import it
into a fresh profile; two unzipped copies keep separate notes; 复制引用 with the Clipboard
API and with its fallback; a malformed import changes nothing; keyboard and phone use;
the printed PDF carries the notes; storage refused or full is said and the page works.
Screenshots go to tests/.artifacts/notes-*.png. Rebuilding the site under notes is
tests/test_notes_rebuild.py.
"""

from __future__ import annotations

import json
import re
import subprocess
import zipfile
from pathlib import Path

import pytest

import bundle
from conftest import ARTIFACTS, Built
from notes_helpers import (
    PAGE_HELPERS,
    drag_select,
    editor,
    highlight,
    long_paragraphs,
    marked,
    note_ids,
    paragraph_text,
    stored,
    stored_raw,
    toolbar,
    words_in,
    write_note,
)
from pizhu.render import display_title, format_date
from pizhu.site import sort_speeches
from test_browser import RequestLog, server  # noqa: F401 - pytest fixtures
from test_offline import file_context
from test_print import poppler

pytestmark = pytest.mark.browser


# --- sites --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def notes_zip(bundled: Built, tmp_path_factory) -> Path:
    return bundle.bundle(bundled.site, tmp_path_factory.mktemp("notes-dist") / "pizhu-site.zip")


def unzip(archive: Path, target: Path) -> Path:
    with zipfile.ZipFile(archive) as handle:
        handle.extractall(target)
    return target


@pytest.fixture(scope="module")
def folder_a(notes_zip: Path, tmp_path_factory) -> Path:
    """The zip unzipped into a folder with a Chinese name and a space."""
    return unzip(notes_zip, tmp_path_factory.mktemp("notes-a") / "学习资料 甲")


@pytest.fixture(scope="module")
def folder_b(notes_zip: Path, tmp_path_factory) -> Path:
    """The same zip unzipped a second time, elsewhere."""
    return unzip(notes_zip, tmp_path_factory.mktemp("notes-b") / "学习资料 乙")


@pytest.fixture(scope="module")
def speech(bundled: Built):
    """The speech with most paragraphs that has a speaker (its citation has one)."""
    candidates = [s for s in bundled.speeches if s.speaker] or bundled.speeches
    return max(candidates, key=lambda s: len(s.paragraphs))


def speech_url(folder: Path, slug: str) -> str:
    return (folder / "speeches" / f"{slug}.html").as_uri()


class Browsing:
    """A fresh browser profile (context) with a page; its page errors, and the requests
    that tried to leave the site, are checked when it closes."""

    def __init__(self, browser, origin: str | None = None, **options) -> None:
        if origin is None:
            self.context, self.network = file_context(browser, options.pop("width", 1280))
        else:
            width = options.pop("width", 1280)
            self.context = browser.new_context(
                viewport={"width": width, "height": options.pop("height", 900)},
                locale="zh-CN",
                service_workers="block",
                accept_downloads=True,
                **options,
            )
            self.network = RequestLog(self.context, origin)
        self.context.add_init_script(PAGE_HELPERS)
        self.errors: list[str] = []
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(f"{error}\n{error.stack}"))

    def open(self, url: str):
        self.page.goto(url, wait_until="load")
        return self.page

    def close(self) -> None:
        self.context.close()
        if hasattr(self.network, "blocked"):
            assert self.network.blocked == [] and self.network.failed == []
        else:
            assert self.network.outside == []
        assert self.errors == []


@pytest.fixture
def disk(browser):
    sessions: list[Browsing] = []

    def start(**options) -> Browsing:
        session = Browsing(browser, None, **options)
        sessions.append(session)
        return session

    yield start
    for session in sessions:
        session.close()


@pytest.fixture
def web(browser, server):
    sessions: list[Browsing] = []

    def start(**options) -> Browsing:
        session = Browsing(browser, server, **options)
        sessions.append(session)
        return session

    yield start, server
    for session in sessions:
        session.close()


def shoot(page, name: str, **options) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"notes-{name}.png"), **options)


def citation(speech, words: str, first: int, last: int | None = None) -> str:
    parts = [f"《{display_title(speech)}》"]
    if speech.speaker:
        parts.append(speech.speaker)
    if speech.date:
        parts.append(format_date(speech.date))
    parts.append(f"第{first}段" if not last or last == first else f"第{first}至{last}段")
    return f"“{words}”（{'，'.join(parts)}）"


def number_of(para: str) -> int:
    return int(para.removeprefix("p-"))


# --- highlight, note, reload ---------------------------------------------------------------------


def test_highlight_and_note_stay_after_reload_from_disk(disk, folder_a: Path, speech):
    session = disk()
    page = session.open(speech_url(folder_a, speech.slug))
    first, second = long_paragraphs(page)[:2]
    green = words_in(page, first, 4, 9)
    noted = words_in(page, second, 10, 12)
    green_id = highlight(page, green, "green")
    note_id = write_note(page, noted, "开会时引用这一句。")
    assert marked(page) == {green_id: (green.text, first), note_id: (noted.text, second)}
    page.reload(wait_until="load")
    assert marked(page) == {green_id: (green.text, first), note_id: (noted.text, second)}
    assert "pz-hl--green" in page.locator(f'mark[data-pz-note="{green_id}"]').first.get_attribute(
        "class"
    )
    # the note's number follows its words, and its text is in the editor
    assert page.locator(f'mark[data-pz-note="{note_id}"]').last.get_attribute("data-pz-n") == "1"
    page.locator(f'mark[data-pz-note="{note_id}"]').first.click()
    assert editor(page).locator("textarea").input_value() == "开会时引用这一句。"
    bar = page.locator(".pz-notes-bar")
    assert "2 条" in bar.inner_text()
    page.keyboard.press("Escape")
    assert editor(page).is_hidden()


def test_toolbar_screenshots_and_notes_page(web, speech):
    """Screenshots at 1280 and 390 pixels: the toolbar open over a selection, the editor,
    the notes page (people look at these in tests/.artifacts/)."""
    start, server = web
    session = start()
    page = session.open(f"{server}/speeches/{speech.slug}.html")
    paragraph = long_paragraphs(page)[1]
    write_note(page, words_in(page, paragraph, 3, 10), "要点：抓基层、打基础。")
    drag_select(page, words_in(page, long_paragraphs(page)[2], 2, 14))
    shoot(page, "toolbar-1280")
    page.keyboard.press("Escape")
    page.locator("mark[data-pz-note]").first.click()
    editor(page).wait_for(state="visible")
    shoot(page, "editor-1280")
    page.goto(f"{server}/notes.html")
    page.locator(".pz-note").first.wait_for()
    shoot(page, "page-1280", full_page=True)


def test_highlights_leave_text_links_and_redactions_as_they_were(disk, folder_a: Path, bundled):
    """Words across a concept link and a redaction mark: marks go inside them, the text,
    the links and the redactions are unchanged; deleting the note restores the paragraph."""
    session = disk()
    for candidate in bundled.speeches:
        page = session.open(speech_url(folder_a, candidate.slug))
        found = page.evaluate(
            """() => {
              for (const p of document.querySelectorAll('article p.pz-p[id]')) {
                const link = p.querySelector('a.pz-term'), redact = p.querySelector('.pz-redact');
                if (link && redact) return [p.id, link.textContent, redact.textContent];
              }
              return null;
            }"""
        )
        if found:
            break
    else:
        pytest.skip("no paragraph has both a concept and a redaction")
    para, term, redaction = found
    before = page.evaluate("(id) => document.getElementById(id).outerHTML", para)
    text = paragraph_text(page, para)
    spans = [text.index(term), text.index(term) + len(term)]
    spans += [text.index(redaction), text.index(redaction) + len(redaction)]
    start, end = max(1, min(spans) - 3), min(len(text.rstrip()), max(spans) + 3)
    while text[start].isspace():
        start += 1
    words = words_in(page, para, start, end - start)
    note = highlight(page, words)
    check = page.evaluate(
        """(id) => {
          const p = document.getElementById(id);
          return {
            text: p.textContent,
            links: Array.from(p.querySelectorAll('a'), a => [a.className, a.getAttribute('href'),
              a.dataset.pzTip || '', a.textContent]),
            redactions: Array.from(p.querySelectorAll('.pz-redact'), s => [s.className, s.textContent]),
            marksInLinks: p.querySelectorAll('a.pz-term mark[data-pz-note]').length,
            marksInRedactions: p.querySelectorAll('.pz-redact mark[data-pz-note]').length,
            linksInMarks: p.querySelectorAll('mark a, mark .pz-redact').length,
          };
        }""",
        para,
    )
    page.evaluate(
        """(html) => { const t = document.createElement('template'); t.innerHTML = html;
             window.__before = t.content.firstChild; }""",
        before,
    )
    original = page.evaluate(
        """() => { const p = window.__before; return {
             text: p.textContent,
             links: Array.from(p.querySelectorAll('a'), a => [a.className, a.getAttribute('href'),
               a.dataset.pzTip || '', a.textContent]),
             redactions: Array.from(p.querySelectorAll('.pz-redact'), s => [s.className, s.textContent]),
           }; }"""
    )
    assert check["text"] == original["text"]
    assert check["links"] == original["links"]
    assert check["redactions"] == original["redactions"]
    assert check["marksInLinks"] >= 1 and check["marksInRedactions"] >= 1
    assert check["linksInMarks"] == 0
    assert marked(page)[note][0] == words.text
    # clicking the highlight (even inside a concept link) opens it; 删除 removes it
    page.locator(f'mark[data-pz-note="{note}"]').first.click()
    editor(page).get_by_role("button", name="删除").click()
    assert page.locator("mark[data-pz-note]").count() == 0
    assert page.evaluate("(id) => document.getElementById(id).outerHTML", para) == before
    assert stored(page) == []
    page.locator(".pz-toast").get_by_role("button", name="撤销").click()
    assert marked(page)[note][0] == words.text


def test_a_highlight_across_an_editors_note_leaves_the_note_as_it_was(disk, folder_a, bundled):
    """Words across the editor's marked quote, its number and its note (编者批注): the
    reader's highlight holds the speech's words only, the editor's elements are unchanged,
    and the highlight comes back after a reload."""
    speech = next(s for s in bundled.speeches if any(a.paragraph for a in s.annotations))
    annotation = next(a for a in speech.annotations if a.paragraph is not None)
    session = disk()
    page = session.open(speech_url(folder_a, speech.slug))
    para = f"p-{annotation.paragraph}"
    editorial = (
        "(id) => Array.from(document.getElementById(id).querySelectorAll("
        "'.pz-anno-ref, .pz-anno-note'), e => e.outerHTML)"
    )
    before = page.evaluate(editorial, para)
    text = paragraph_text(page, para)  # the speech's words, as pizhu-notes-core.js reads them
    start = max(0, text.index(annotation.quote) - 2)
    words = words_in(page, para, start, len(annotation.quote) + 4)  # over 注N and the note
    note = highlight(page, words)
    assert marked(page)[note][0] == words.text
    assert page.evaluate(editorial, para) == before
    assert page.locator(".pz-anno-note mark, .pz-anno-ref mark").count() == 0
    page.reload(wait_until="load")
    page.wait_for_selector(f'mark[data-pz-note="{note}"]', state="attached")
    assert marked(page)[note][0] == words.text


def test_overlapping_highlights_nest_and_both_open(disk, folder_a: Path, speech):
    session = disk()
    page = session.open(speech_url(folder_a, speech.slug))
    para = long_paragraphs(page)[0]
    outer = highlight(page, words_in(page, para, 3, 16), "blue")
    inner = highlight(page, words_in(page, para, 8, 14), "yellow")
    found = marked(page)
    assert len(found[outer][0]) == 16 and len(found[inner][0]) == 14
    assert page.locator(f'mark[data-pz-note="{outer}"] mark[data-pz-note="{inner}"]').count() >= 1
    page.reload(wait_until="load")
    assert marked(page) == found


def test_highlight_and_note_over_http_stay_after_reload(web, speech):
    start, server = web
    session = start()
    page = session.open(f"{server}/speeches/{speech.slug}.html")
    para = long_paragraphs(page)[-1]
    words = words_in(page, para, 2, 8)
    note = write_note(page, words, "HTTP 上的批注")
    page.reload(wait_until="load")
    assert marked(page) == {note: (words.text, para)}
    page.goto(f"{server}/notes.html")
    assert "HTTP 上的批注" in page.locator(".pz-notes-list").inner_text()


# --- keyboard -------------------------------------------------------------------------------------


def test_keyboard_marks_a_paragraph_and_edits_the_note(disk, folder_a: Path, speech):
    session = disk()
    page = session.open(speech_url(folder_a, speech.slug))
    para = long_paragraphs(page)[0]
    page.locator(f"#{para} a.pz-pn").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == f"#{para}"
    # The focus moves into the toolbar once the link has moved to its paragraph (a task later).
    page.wait_for_function("document.activeElement.closest('.pz-nt') !== null", timeout=5000)
    page.keyboard.press("ArrowRight")  # yellow -> green
    assert page.evaluate("document.activeElement.dataset.color") == "green"
    page.keyboard.press("Enter")
    ((note, (words, where)),) = marked(page).items()
    assert where == para and words == paragraph_text(page, para).strip()
    assert page.evaluate("document.activeElement.dataset.pzNote") == note
    page.keyboard.press("Enter")
    assert editor(page).is_visible()
    assert page.evaluate("document.activeElement.tagName") == "TEXTAREA"
    page.keyboard.type("整段都是重点")
    page.keyboard.press("Escape")
    assert editor(page).is_hidden()
    assert page.evaluate("document.activeElement.dataset.pzNote") == note
    assert stored(page)[0]["text"] == "整段都是重点"
    # a selection, then Tab into the toolbar, Escape out of it
    drag_select(page, words_in(page, long_paragraphs(page)[1], 2, 6))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.pz-nt') !== null")
    page.keyboard.press("Escape")
    assert toolbar(page).is_hidden()


# --- 复制引用 ------------------------------------------------------------------------------------


def test_copy_citation_puts_the_quote_with_its_source_on_the_clipboard(web, speech):
    start, server = web
    session = start()
    session.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    page = session.open(f"{server}/speeches/{speech.slug}.html")
    para = long_paragraphs(page)[1]
    words = words_in(page, para, 5, 11)
    drag_select(page, words)
    toolbar(page).get_by_role("button", name="复制引用").click()
    page.locator(".pz-toast").wait_for(state="visible")
    expected = citation(speech, words.text, number_of(para))
    assert page.evaluate("navigator.clipboard.readText()") == expected
    # from a paragraph number: the whole paragraph
    page.locator(f"#{para} a.pz-pn").click()
    toolbar(page).get_by_role("button", name="复制引用").click()
    whole = citation(speech, paragraph_text(page, para).strip(), number_of(para))
    page.wait_for_function("(t) => navigator.clipboard.readText().then(x => x === t)", arg=whole)
    # from a note's editor
    note = highlight(page, words)
    page.locator(f'mark[data-pz-note="{note}"]').first.click()
    editor(page).get_by_role("button", name="复制引用").click()
    page.wait_for_function("(t) => navigator.clipboard.readText().then(x => x === t)", arg=expected)


REFUSE_CLIPBOARD = """
Object.defineProperty(Navigator.prototype, 'clipboard', {get() { return {
  writeText: () => Promise.reject(new DOMException('refused', 'NotAllowedError')) }; }});
window.__copied = [];
document.addEventListener('copy', () => window.__copied.push(String(getSelection())), true);
"""


def test_copy_citation_falls_back_when_the_clipboard_api_is_refused(disk, folder_a, speech):
    session = disk()
    session.context.add_init_script(REFUSE_CLIPBOARD)
    page = session.open(speech_url(folder_a, speech.slug))
    para = long_paragraphs(page)[2]
    words = words_in(page, para, 1, 9)
    drag_select(page, words)
    toolbar(page).get_by_role("button", name="复制引用").click()
    page.wait_for_function("window.__copied.length > 0")
    assert page.evaluate("window.__copied") == [citation(speech, words.text, number_of(para))]
    assert "已复制引用" in page.locator(".pz-toast").inner_text()


# --- export, import --------------------------------------------------------------------------------


def export(page, name: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile(name)).click()
    return Path(info.value.path()).read_bytes()


def test_export_json_and_import_it_into_a_fresh_profile(disk, folder_a, folder_b, speech, tmp_path):
    session = disk()
    page = session.open(speech_url(folder_a, speech.slug))
    first, second = long_paragraphs(page)[:2]
    bare = highlight(page, words_in(page, first, 2, 7), "blue")
    noted = write_note(page, words_in(page, second, 6, 10), "带到另一台电脑")
    before = marked(page)
    page.goto((folder_a / "notes.html").as_uri())
    data = json.loads(export(page, "导出 JSON").decode("utf-8"))
    assert isinstance(data, list) and len(data) == 2
    by_id = {item["id"]: item for item in data}
    for note_id, (words, para) in before.items():
        item = by_id[f"urn:uuid:{note_id}"]
        assert item["type"] == "Annotation"
        assert item["target"]["source"] == f"speeches/{speech.slug}.html"
        quote, fragment = item["target"]["selector"]
        assert quote["type"] == "TextQuoteSelector" and quote["exact"] == words
        assert quote["prefix"] and quote["suffix"]
        assert fragment == {"type": "FragmentSelector", "value": para}
        assert item["created"] and item["modified"] and item["color"]
    assert "body" not in by_id[f"urn:uuid:{bare}"]
    assert by_id[f"urn:uuid:{noted}"]["body"] == {
        "type": "TextualBody",
        "value": "带到另一台电脑",
        "format": "text/plain",
        "language": "zh",
        "purpose": "commenting",
    }
    assert by_id[f"urn:uuid:{noted}"]["motivation"] == "commenting"
    assert by_id[f"urn:uuid:{bare}"]["color"] == "blue"
    backup = tmp_path / "backup.json"
    backup.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    # another computer: a fresh profile, the other copy of the zip
    other = disk()
    page = other.open((folder_b / "notes.html").as_uri())
    assert "还没有批注" in page.locator(".pz-notes-list").inner_text()
    page.locator("input[type=file]").set_input_files(str(backup))
    page.get_by_text("导入完成：新增 2 条").wait_for()
    page.goto(speech_url(folder_b, speech.slug))
    assert marked(page) == before
    # importing the same file again adds nothing
    page.goto((folder_b / "notes.html").as_uri())
    page.locator("input[type=file]").set_input_files(str(backup))
    page.get_by_text("2 条已经有了").wait_for()
    assert len(stored(page)) == 2


MALFORMED = {
    "not-json.json": "这不是 JSON {",
    "object.json": '{"type": "Annotation"}',
    "no-exact.json": '[{"type": "Annotation", "id": "urn:uuid:12345678-aaaa",'
    ' "target": {"source": "speeches/x.html", "selector": []}}]',
    "bad-source.json": '[{"type": "Annotation", "id": "urn:uuid:12345678-aaaa", "target":'
    ' {"source": "https://example.invalid/x.html", "selector":'
    ' {"type": "TextQuoteSelector", "exact": "字"}}}]',
    "second-bad.json": '[{"type": "Annotation", "id": "urn:uuid:12345678-aaaa", "target":'
    ' {"source": "speeches/x.html", "selector": {"type": "TextQuoteSelector", "exact": "字"}}},'
    ' {"type": "Note"}]',
}


def test_a_malformed_import_changes_nothing(disk, folder_a, speech, tmp_path):
    session = disk()
    page = session.open(speech_url(folder_a, speech.slug))
    highlight(page, words_in(page, long_paragraphs(page)[0], 1, 5))
    page.goto((folder_a / "notes.html").as_uri())
    before = stored_raw(page)
    listing = page.locator(".pz-notes-list").inner_text()
    for name, text in MALFORMED.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        page.locator("input[type=file]").set_input_files(str(path))
        message = page.locator(".pz-notes-import__message[role=alert]")
        message.wait_for(state="visible")
        assert message.inner_text().startswith("没有导入任何批注："), name
        assert stored_raw(page) == before, name
        assert page.locator(".pz-notes-list").inner_text() == listing, name
        page.locator("input[type=file]").set_input_files([])
    assert "第 2 条" in page.locator(".pz-notes-import__message").inner_text()


def test_study_notes_as_markdown_and_windows_text(disk, folder_a, speech):
    session = disk()
    page = session.open(speech_url(folder_a, speech.slug))
    para = long_paragraphs(page)[0]
    words = words_in(page, para, 3, 8)
    write_note(page, words, "第一条体会\n第二行 *不是强调*")
    page.goto((folder_a / "notes.html").as_uri())
    md = export(page, r"学习笔记（\.md）").decode("utf-8")
    expected = citation(speech, words.text, number_of(para))
    assert md.startswith("# 我的批注")
    assert f"## {display_title(speech)}" in md.replace("\\", "")
    assert expected in md.replace("\\", "")
    assert "\\*不是强调\\*" in md
    raw = export(page, r"导出文本（\.txt）")
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw[3:].decode("utf-8")
    assert "\n" not in text.replace("\r\n", "")
    assert expected in text and "批注：第一条体会\r\n   第二行 *不是强调*" in text


# --- the notes page ---------------------------------------------------------------------------------

SEED = """(notes) => window.PizhuNotes.store.update((list) => { list.push(...notes); })"""


def seeded(speeches, colors=("yellow", "green", "blue")) -> list[dict]:
    """Notes on several speeches, paragraphs out of order, as the speech pages store them."""
    notes = []
    for index, speech in enumerate(speeches):
        for k, number in enumerate((3, 1, 2)):
            notes.append(
                {
                    "id": f"seed{index:02d}{k:02d}-0000-4000-8000-000000000000",
                    "source": f"speeches/{speech.slug}.html",
                    "exact": f"第{index}篇第{number}处的话",
                    "prefix": "",
                    "suffix": "",
                    "para": f"p-{number}",
                    "offset": 0,
                    "color": colors[(index + k) % len(colors)],
                    "text": "有批注" if k == 0 else "",
                    "created": "2024-05-01T08:00:00.000Z",
                    "modified": "2024-05-01T08:00:00.000Z",
                    "title": display_title(speech),
                    "speaker": speech.speaker or "",
                    "date": speech.date or "",
                }
            )
    return notes


def test_notes_page_groups_in_site_order_filters_and_counts(disk, folder_a, bundled):
    session = disk()
    page = session.open((folder_a / "notes.html").as_uri())
    assert page.locator("nav.md-nav a", has_text="我的批注").count() >= 1
    assert "不会发送到任何地方" in page.locator("article").inner_text()
    shuffled = list(reversed(bundled.speeches))
    page.evaluate(SEED, seeded(shuffled))
    titles = page.locator(".pz-notes-group__title").all_inner_texts()
    assert titles == [display_title(s) for s in sort_speeches(bundled.speeches)]
    first_group = page.locator(".pz-notes-group").first
    paragraphs = first_group.locator(".pz-note__para").all_inner_texts()
    assert paragraphs == ["第1段", "第2段", "第3段"]
    assert first_group.locator(".pz-note__para").first.get_attribute("href").endswith("#p-1")
    total = 3 * len(bundled.speeches)
    assert page.locator(".pz-notes-summary").inner_text().startswith(f"共 {total} 条")
    counts = {
        color: sum(n["color"] == color for n in seeded(shuffled))
        for color in ("yellow", "green", "blue")
    }
    page.locator(".pz-notes-filter__color--green input").check()
    assert page.locator(".pz-note").count() == counts["green"]
    assert f"（{counts['green']}）" in page.locator(".pz-notes-filter__color--green").inner_text()
    page.locator(".pz-notes-filter__colors input[value='']").check()
    page.get_by_role("searchbox").fill("第0篇第2处")
    assert page.locator(".pz-note").count() == 1
    assert "当前显示 1 条" in page.locator(".pz-notes-summary").inner_text()
    page.get_by_role("searchbox").fill("")
    # deleting from the list, and undoing it
    page.locator(".pz-note__delete").first.click()
    assert page.locator(".pz-note").count() == total - 1
    page.get_by_role("button", name="撤销").click()
    assert page.locator(".pz-note").count() == total


# --- per site -------------------------------------------------------------------------------------


def test_two_unzipped_copies_keep_separate_notes(disk, folder_a, folder_b, speech):
    session = disk()  # one profile: every file:// page shares one origin in Chromium
    page = session.open(speech_url(folder_a, speech.slug))
    page.evaluate("localStorage.clear()")
    page.reload(wait_until="load")
    note = highlight(page, words_in(page, long_paragraphs(page)[0], 2, 6))
    page.goto(speech_url(folder_b, speech.slug))
    assert note_ids(page) == []
    page.goto((folder_b / "notes.html").as_uri())
    assert "还没有批注" in page.locator(".pz-notes-list").inner_text()
    # copy B's page offers to bring in the notes left under A's folder (explicitly)
    assert "另一份网站副本" in page.locator(".pz-notes-others").inner_text()
    page.goto(speech_url(folder_a, speech.slug))
    assert note_ids(page) == [note]
    keys = [k for k in stored_raw(page) if k.startswith("pizhu-notes:v1:")]
    assert keys == ["pizhu-notes:v1:" + folder_a.resolve().as_uri() + "/"]


# --- phone ----------------------------------------------------------------------------------------


def test_phone_touch_selection_highlight_and_note(web, speech):
    start, server = web
    session = start(width=390, height=844, is_mobile=True, has_touch=True, device_scale_factor=2)
    page = session.open(f"{server}/speeches/{speech.slug}.html")
    para = long_paragraphs(page)[1]
    words = words_in(page, para, 4, 8)
    page.evaluate("(id) => document.getElementById(id).scrollIntoView({block: 'center'})", para)
    point = page.evaluate("([id, at]) => window.__pzPoint(id, at)", [para, words.start])
    page.touchscreen.tap(point["left"] + 2, point["y"])  # a tap on the words first
    # a long press selects: the selection API stands in for it
    page.evaluate("([id, a, b]) => window.__pzSelect(id, a, b)", [para, words.start, words.end])
    toolbar(page).wait_for(state="visible")
    box = toolbar(page).bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    shoot(page, "toolbar-390")
    swatch = toolbar(page).locator("button[data-color=blue]").bounding_box()
    page.touchscreen.tap(swatch["x"] + swatch["width"] / 2, swatch["y"] + swatch["height"] / 2)
    page.wait_for_selector("mark[data-pz-note]")
    ((note, (text, where)),) = marked(page).items()
    assert (text, where) == (words.text, para)
    mark = page.locator(f'mark[data-pz-note="{note}"]').first.bounding_box()
    page.touchscreen.tap(mark["x"] + mark["width"] / 2, mark["y"] + mark["height"] / 2)
    editor(page).wait_for(state="visible")
    box = editor(page).bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    page.keyboard.type("手机上写的批注")
    shoot(page, "editor-390")
    done = editor(page).get_by_role("button", name="完成").bounding_box()
    page.touchscreen.tap(done["x"] + done["width"] / 2, done["y"] + done["height"] / 2)
    editor(page).wait_for(state="hidden")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.goto(f"{server}/notes.html")
    assert "手机上写的批注" in page.locator(".pz-notes-list").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(page, "page-390", full_page=True)


# --- print ----------------------------------------------------------------------------------------


def pdf_text(page, path: Path) -> str:
    page.pdf(path=str(path), format="A4")
    return subprocess.run(
        [poppler("pdftotext"), "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_printed_speech_has_the_notes_as_footnotes_unless_switched_off(
    disk, folder_a, speech, tmp_path
):
    session = disk()
    page = session.open(speech_url(folder_a, speech.slug))
    para = long_paragraphs(page)[0]
    words = words_in(page, para, 2, 6)
    write_note(page, words, "打印出来带去开会")
    text = "".join(pdf_text(page, tmp_path / "with.pdf").split())
    assert "打印出来带去开会" in text
    assert "我的批注" in text
    assert f"“{words.text}”（第{number_of(para)}段）" in text
    page.get_by_label("打印时包含我的批注").uncheck()
    page.reload(wait_until="load")
    assert not page.get_by_label("打印时包含我的批注").is_checked()
    text = "".join(pdf_text(page, tmp_path / "without.pdf").split())
    assert "打印出来带去开会" not in text
    assert "我的批注" not in text


# --- storage refused or full --------------------------------------------------------------------------

NO_STORAGE = """
Object.defineProperty(window, 'localStorage', {get() {
  throw new DOMException('The operation is insecure.', 'SecurityError'); }});
"""
FULL_STORAGE = """
const setItem = Storage.prototype.setItem;
Storage.prototype.setItem = function (key, value) {
  if (key.startsWith('pizhu-notes:v1:') && !key.endsWith('probe'))
    throw new DOMException('full', 'QuotaExceededError');
  return setItem.call(this, key, value);
};
"""


@pytest.mark.parametrize(
    ("script", "says"), [(NO_STORAGE, "不允许本站保存数据"), (FULL_STORAGE, "存储空间已满")]
)
def test_storage_refused_or_full_is_said_and_the_page_works(disk, folder_a, speech, script, says):
    session = disk()
    session.context.add_init_script(script)
    page = session.open(speech_url(folder_a, speech.slug))
    words = words_in(page, long_paragraphs(page)[0], 2, 6)
    note = highlight(page, words)  # shown for this visit
    assert marked(page)[note][0] == words.text
    assert says in page.locator(".pz-notes-bar [role=alert]").inner_text()
    page.goto((folder_a / "notes.html").as_uri())
    page.locator(".pz-notes-summary").wait_for()
    if script is NO_STORAGE:
        assert says in page.locator(".pz-notes-problem").inner_text()
        # Material's own scripts (its inline head script, its bundle) fail without storage;
        # ours must not.
        session.errors[:] = [error for error in session.errors if "pizhu" in error]


# --- two sites on one host, each under a sub-path --------------------------------------------------


@pytest.fixture(scope="module")
def two_sites(bundled: Built, tmp_path_factory):
    """Two copies of the site on one HTTP host, at /xuexi/ and /xuexi2/ (an intranet)."""
    import functools
    import http.server
    import shutil
    import threading

    from test_browser import QuietHandler

    host = tmp_path_factory.mktemp("notes-host")
    for name in ("xuexi", "xuexi2"):
        shutil.copytree(bundled.site, host / name)
    handler = functools.partial(QuietHandler, directory=str(host))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_two_sites_on_one_host_under_sub_paths_keep_separate_notes(browser, two_sites, speech):
    session = Browsing(browser, two_sites)
    try:
        page = session.open(f"{two_sites}/xuexi/speeches/{speech.slug}.html")
        words = words_in(page, long_paragraphs(page)[0], 3, 7)
        note = write_note(page, words, "内网子路径上的批注")
        page.goto(f"{two_sites}/xuexi2/speeches/{speech.slug}.html")
        assert note_ids(page) == []
        page.goto(f"{two_sites}/xuexi2/notes.html")
        assert "还没有批注" in page.locator(".pz-notes-list").inner_text()
        page.goto(f"{two_sites}/xuexi/notes.html")
        assert "内网子路径上的批注" in page.locator(".pz-notes-list").inner_text()
        link = page.locator(".pz-note__para").first
        assert link.get_attribute("href").startswith(f"{two_sites}/xuexi/speeches/")
        link.click()
        page.wait_for_load_state("load")
        assert marked(page) == {note: (words.text, words.para)}
        keys = [k for k in stored_raw(page) if k.startswith("pizhu-notes:v1:")]
        assert keys == [f"pizhu-notes:v1:{two_sites}/xuexi/"]
    finally:
        session.close()
