"""Helpers for the 我的批注 browser tests: select words with real pointer events, use the
toolbar and the editor, read the highlights and what the browser has stored."""

from __future__ import annotations

import json
from dataclasses import dataclass

# Installed into every page of a test context: where a character of a paragraph is on the
# screen, and a paragraph's own text (without its number), both as pizhu-notes-core.js
# counts them.
PAGE_HELPERS = """
window.__pzText = (id) => {
  const p = document.getElementById(id);
  const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => n.parentElement.closest('.pz-pn, [data-pz-skip]') ? 2 : 1,
  });
  let text = '', n;
  while ((n = walker.nextNode())) text += n.data;
  return text;
};
window.__pzPoint = (id, offset) => {
  const p = document.getElementById(id);
  const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => n.parentElement.closest('.pz-pn, [data-pz-skip]') ? 2 : 1,
  });
  let at = 0, n;
  while ((n = walker.nextNode())) {
    if (offset < at + n.data.length) {
      const r = document.createRange();
      r.setStart(n, offset - at);
      r.setEnd(n, offset - at + 1);
      const b = r.getBoundingClientRect();
      return {left: b.left, right: b.right, y: b.top + b.height / 2};
    }
    at += n.data.length;
  }
  return null;
};
window.__pzSelect = (id, start, end) => {
  const p = document.getElementById(id);
  const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => n.parentElement.closest('.pz-pn, [data-pz-skip]') ? 2 : 1,
  });
  const range = document.createRange();
  let at = 0, n;
  while ((n = walker.nextNode())) {
    if (start >= at && start < at + n.data.length) range.setStart(n, start - at);
    if (end > at && end <= at + n.data.length) { range.setEnd(n, end - at); break; }
    at += n.data.length;
  }
  const selection = getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
};
"""


@dataclass
class Words:
    """Words of one paragraph: its id, their offsets in its text, the words themselves."""

    para: str
    start: int
    end: int
    text: str


def paragraph_text(page, para: str) -> str:
    return page.evaluate("(id) => window.__pzText(id)", para)


def words_in(page, para: str, start: int, length: int) -> Words:
    """``length`` characters from ``start`` of the paragraph's text (after its number's
    space), moved on past white space."""
    text = paragraph_text(page, para)
    while text[start].isspace():
        start += 1
    end = start + length
    assert end <= len(text.rstrip()), (para, text)
    return Words(para, start, end, text[start:end])


# The selected words as the notes read them: without the paragraph number and what the page
# marks data-pz-skip (an editor's note and its number inside the paragraph).
SELECTED_WORDS = """() => {
  const selection = getSelection();
  if (!selection.rangeCount) return '';
  const copy = selection.getRangeAt(0).cloneContents();
  copy.querySelectorAll('.pz-pn, [data-pz-skip]').forEach((e) => e.remove());
  return copy.textContent;
}"""


def drag_select(page, words: Words) -> None:
    """Select ``words`` the way a reader does: press the mouse before the first character,
    move to the last one, release."""
    page.evaluate(
        "(id) => document.getElementById(id).scrollIntoView({block: 'center'})", words.para
    )
    first = page.evaluate("([id, at]) => window.__pzPoint(id, at)", [words.para, words.start])
    last = page.evaluate("([id, at]) => window.__pzPoint(id, at)", [words.para, words.end - 1])
    page.mouse.move(first["left"] + 1, first["y"])
    page.mouse.down()
    page.mouse.move((first["left"] + last["right"]) / 2, (first["y"] + last["y"]) / 2, steps=3)
    page.mouse.move(last["right"] - 1, last["y"], steps=3)
    page.mouse.up()
    assert page.evaluate(SELECTED_WORDS) == words.text
    toolbar(page).wait_for(state="visible", timeout=3000)


def toolbar(page):
    return page.locator(".pz-nt")


def editor(page):
    return page.locator(".pz-ne")


def highlight(page, words: Words, color: str = "yellow") -> str:
    """Select the words, press a colour; the new note's id."""
    before = set(note_ids(page))
    drag_select(page, words)
    toolbar(page).locator(f"button[data-color={color}]").click()
    page.wait_for_function(
        "(n) => new Set(Array.from(document.querySelectorAll('mark[data-pz-note]'),"
        " m => m.dataset.pzNote)).size > n",
        arg=len(before),
    )
    (new,) = set(note_ids(page)) - before
    return new


def write_note(page, words: Words, text: str) -> str:
    """Select the words, press 写批注, type the note, close the editor with Escape."""
    before = set(note_ids(page))
    drag_select(page, words)
    toolbar(page).get_by_role("button", name="写批注").click()
    editor(page).wait_for(state="visible")
    page.keyboard.type(text)
    page.keyboard.press("Escape")
    editor(page).wait_for(state="hidden")
    (new,) = set(note_ids(page)) - before
    return new


def note_ids(page) -> list[str]:
    return page.evaluate(
        "Array.from(new Set(Array.from(document.querySelectorAll('mark[data-pz-note]'),"
        " m => m.dataset.pzNote)))"
    )


def marked(page) -> dict[str, tuple[str, str]]:
    """note id -> (the highlighted words, the id of the paragraph they start in)."""
    return {
        key: tuple(value)
        for key, value in page.evaluate(
            """() => {
              const out = {};
              for (const m of document.querySelectorAll('mark[data-pz-note]')) {
                const id = m.dataset.pzNote;
                out[id] = out[id] || ['', m.closest('p.pz-p').id];
                out[id][0] += m.textContent;
              }
              return out;
            }"""
        ).items()
    }


def stored(page) -> list[dict]:
    """The notes this site keeps in the page's localStorage (pizhu-notes-core.js format)."""
    raw = page.evaluate("() => localStorage.getItem('pizhu-notes:v1:' + window.PizhuNotes.ROOT)")
    return json.loads(raw)["notes"] if raw else []


def stored_raw(page) -> dict[str, str]:
    """Every key and value of the page's localStorage."""
    return page.evaluate(
        "() => Object.fromEntries(Array.from({length: localStorage.length},"
        " (_, i) => [localStorage.key(i), localStorage.getItem(localStorage.key(i))]))"
    )


def long_paragraphs(page, minimum: int = 60) -> list[str]:
    """Ids of the speech's paragraphs with at least ``minimum`` characters of text."""
    return page.evaluate(
        """(minimum) => Array.from(document.querySelectorAll('article p.pz-p[id]'))
             .filter(p => window.__pzText(p.id).trim().length >= minimum).map(p => p.id)""",
        minimum,
    )
