"""Physical lines -> logical paragraphs (step 3 of structure.py).

PDF copies break paragraphs at a fixed width (and around removed page markers); clean
copies have one paragraph per line and must come through unchanged. :func:`detect_wrap`
tells the two apart and measures the width, :func:`join_wrapped` re-joins.
"""

from __future__ import annotations

import itertools
import re
import string
from collections.abc import Sequence
from dataclasses import dataclass

from .chars import (
    REDACTION_CLASS,
    REDACTION_LETTERS,
    WHITESPACE,
)
from .lines import (
    CONTINUATION_START,
    MID_SENTENCE_END,
    NO_JOIN_END,
    display_width,
    ends_with,
    heading_level,
    indentation,
    is_bare_heading,
    is_salutation,
    split_heading,
)
from .model import SourceLine
from .punctuation import collapse_whitespace

# Item starts that begin a new paragraph in a clean copy ("一是…", "1．…", "首先，…").
ITEM_START = re.compile(
    r"""^(?:
        [一二三四五六七八九十]+[是要来]          # 一是 / 二要 / 三来
      | 第[一二三四五六七八九十]+[，,、是]        # 第一，/ 第二是
      | (?:首先|其次|再次|最后|另外|此外)[，,]    # 首先，
      | [0-9０-９]{1,2}[．.、]                  # 1．/ 1. / 1、
      | [（(][0-9０-９]{1,2}[）)]               # （1）
    )""",
    re.VERBOSE,
)

# In a clean (unwrapped) copy, a line without closing punctuation this long is broken;
# across a removed page marker, this long.
LONG_LINE = 40
MARKER_BROKEN_LINE = 20


# --- Step 3: re-joining wrapped lines ---------------------------------------------------


@dataclass(frozen=True)
class WrapInfo:
    """A hard-wrapped copy: the width its lines were broken at, in display columns."""

    width: int
    indents_paragraphs: bool  # paragraph starts are indented, continuation lines are not
    # Columns a paragraph's first line falls short of the width when the copy lost its
    # indentation (pdftotext without -layout drops the two leading spaces): 0 if not.
    lost_indent: int = 0

    def is_full(self, text: str) -> bool:
        """Does this line run (nearly) to the wrap width?"""
        return display_width(text) >= 0.8 * self.width

    def is_exact(self, text: str, starts_paragraph: bool = False) -> bool:
        """Does this line fill the wrap width, give or take one Chinese character? A
        paragraph's first line fills it short of the indentation the copy lost."""
        lost = self.lost_indent if starts_paragraph else 0
        return display_width(text) >= self.width - lost - 2


def detect_wrap(lines: Sequence[SourceLine]) -> WrapInfo | None:
    """Is this a hard-wrapped copy (a PDF pasted as text)? If so, at what width?

    In such a copy most lines that do not end a sentence have about the same width, and
    almost no line is wider than that: the width the PDF broke lines at. In a clean copy
    (one paragraph per line) lines without closing punctuation are rare headings of all
    sizes, and paragraphs are far wider than any of them.
    """
    texts = [line.text for line in lines if line.text.strip() and not is_bare_heading(line.text)]
    open_widths = sorted(display_width(t) for t in texts if not ends_with(t, NO_JOIN_END))
    if len(open_widths) < 3:
        return None

    def near(w: int) -> int:
        return sum(1 for x in open_widths if 0.85 * w <= x <= 1.1 * w + 2)

    # The wrap width is the densest cluster of open-line widths (ties: the wider). Open
    # lines narrower than it (a title, a speaker or date line, a short heading) say
    # nothing against wrapping; only the ones at least that wide are weighed.
    width = max(open_widths, key=lambda w: (near(w), w))
    if width < 20:
        return None
    at_least = sum(1 for x in open_widths if x >= 0.85 * width)
    if near(width) < max(3, 0.6 * at_least):
        return None
    wider = sum(1 for t in texts if display_width(t) > 1.15 * width + 2)
    if wider > 0.1 * len(texts):
        return None
    indented = indents_paragraphs(lines)
    lost = 0 if indented else lost_indentation(lines, width)
    return WrapInfo(width=width, indents_paragraphs=indented, lost_indent=lost)


# A first line of a paragraph this many columns short of the wrap width lost its
# indentation (two Chinese characters, give or take one column).
LOST_INDENT_RANGE = range(3, 6)


def lost_indentation(lines: Sequence[SourceLine], width: int) -> int:
    """Columns the copy's paragraph starts lost, or 0.

    A paragraph start (the line after a short one that ends a sentence or a clause) that
    does not end a sentence itself goes on in the next line: it is a full line of its
    paragraph. When every such line (two at least) falls short of the width by the same
    two characters, the paragraphs were indented and the copy dropped the indentation.
    (A line after a nearly full one is left out: that one may be such a line itself.)
    """
    texts = [line.text for line in lines if line.text.strip()]
    shortfalls = [
        width - display_width(text)
        for before, text in itertools.pairwise(texts)
        if ends_with(before, NO_JOIN_END)
        and display_width(before) < width - 2 * max(LOST_INDENT_RANGE)
        and not ends_with(text, NO_JOIN_END)
        and display_width(text) >= 0.8 * width
    ]
    if len(shortfalls) < 2 or any(s not in LOST_INDENT_RANGE for s in shortfalls):
        return 0
    return round(sum(shortfalls) / len(shortfalls))


def indents_paragraphs(lines: Sequence[SourceLine]) -> bool:
    """Are paragraph starts indented and other lines flush (a PDF's hard-wrapped text)?"""
    indented = [line for line in lines if line.text.strip() and indentation(line.text) > 0]
    flush = [line for line in lines if line.text.strip() and indentation(line.text) == 0]
    return len(indented) >= 2 and len(flush) >= len(indented)


_REDACTION_RUN_START = re.compile("^[" + REDACTION_CLASS + "]+(?:$|[^A-Za-z0-9])")
_ASCII_ALNUM = frozenset(string.ascii_letters + string.digits)


def ends_with_redaction_run(text: str) -> bool:
    """Does ``text`` end with a run of redaction letters that is not the end of a Latin word
    or number ("全市XX" yes, "WX" no)? Read from the end: ``text`` is the paragraph joined so
    far, and a search from its start made joining a long paragraph quadratic.

    >>> ends_with_redaction_run("全市XX"), ends_with_redaction_run("XX"), ends_with_redaction_run("WX")
    (True, True, False)
    """
    start = len(text)
    while start and text[start - 1] in REDACTION_LETTERS:
        start -= 1
    if start == len(text):
        return False
    if start == 0 or text[start - 1] not in _ASCII_ALNUM:
        return True
    # "1*X": a redaction letter that is no Latin letter ("*", "×") may stand before the rest
    return any(char not in _ASCII_ALNUM for char in text[start : len(text) - 1])


def joiner(left: str, right: str) -> str:
    """No space between Chinese halves; one space between Latin words ("Smart" "Police").

    A redaction broken across lines ("全市X" + "X机关") is Chinese text, not two words.
    """
    if not left or not right:
        return ""
    if ends_with_redaction_run(left) and _REDACTION_RUN_START.match(right):
        return ""
    a, b = left[-1], right[0]
    latin_left = a.isascii() and (a.isalnum() or a in ",.;:!?)")
    latin_right = b.isascii() and b.isalnum()
    if latin_left and latin_right and not (a.isdigit() and b.isdigit()):
        return " "
    return ""


@dataclass
class LogicalLine:
    """One paragraph-to-be: the text of one or more joined source lines."""

    number: int  # source line where it starts
    text: str
    last: SourceLine  # the last physical line joined in


def is_double_spaced(lines: Sequence[SourceLine]) -> bool:
    """Is (nearly) every text line followed by one blank line? Then blank lines say
    nothing about paragraphs (some sites paste PDF text that way)."""
    texts = [i for i, line in enumerate(lines) if line.text.strip()]
    if len(texts) < 4:
        return False
    spaced = sum(
        1
        for i, j in itertools.pairwise(texts)
        if j == i + 2 and lines[j].number == lines[i].number + 2
    )
    return spaced >= 0.8 * (len(texts) - 1)


def _gap(
    a: SourceLine,
    b: SourceLine,
    blank_numbers: set[int],
    removed_numbers: set[int],
    blank_is_break: bool = True,
) -> str | None:
    """What lies between lines A and B: "none", "marker" (removed lines, maybe with blank
    lines around them), or None when a blank line alone (a paragraph break) or a kept
    line separates them."""
    gap = range(a.number + 1, b.number)
    if not gap:
        return "none"
    if any(n not in blank_numbers and n not in removed_numbers for n in gap):
        return None
    if any(n in removed_numbers for n in gap):
        return "marker"
    return None if blank_is_break or len(gap) > 1 else "none"


def _should_join(
    a: SourceLine,
    b: SourceLine,
    wrap: WrapInfo | None,
    gap: str,
    indented: bool = False,
    a_starts: bool = False,
) -> bool:
    """Does physical line B continue the paragraph that line A is part of? (``a_starts``:
    A is the first line of its paragraph.)"""
    a_text, b_text = collapse_whitespace(a.text), collapse_whitespace(b.text)
    if a.hard_break or not a_text or not b_text:
        return False
    if heading_level(b_text) is not None or is_salutation(b_text):
        return False
    if b_text[0] in CONTINUATION_START:
        return True  # no paragraph starts with "，" or "》": the line was broken before it
    # A heading with its paragraph glued on ("（一）…。各级公安机关要…") ends like that
    # paragraph: its rest may be cut off mid-word and go on in the next line.
    a_parts = split_heading(a_text)
    a_heading = a_parts is not None and not a_parts[1]
    if wrap is None:
        if a_heading or ends_with(a_text, NO_JOIN_END):
            return False
        if ends_with(a_text, MID_SENTENCE_END):
            return True
        if ITEM_START.match(b_text):
            return False
        if indented and indentation(a.text) > 0 and indentation(b.text) == 0:
            return True  # an indented paragraph start, its wrapped rest flush (too few
            # lines to measure the wrap width)
        # A clean copy: only a long line is broken, and a line broken by a removed page
        # marker needs less proof (the marker explains the break).
        return len(a_text) >= (MARKER_BROKEN_LINE if gap == "marker" else LONG_LINE)
    # A wrapped copy.
    if indentation(b.text) > indentation(a.text):
        return False  # an indented line starts a paragraph
    if a_heading:
        # A heading that runs to the wrap width goes on in the next line, unless that
        # line is a paragraph: indented (above), or in a copy without indentation, a
        # full line or one with a sentence in it.
        if not wrap.is_full(a.text):
            return False
        return wrap.indents_paragraphs or (not wrap.is_full(b.text) and "。" not in b_text)
    if ends_with(a_text, NO_JOIN_END):
        # A line that runs to the wrap width and ends a sentence: the PDF most likely
        # broke the line right after the "。" (a paragraph rarely fills its last line
        # exactly). With indentation the next line says it for sure.
        if wrap.indents_paragraphs:
            return wrap.is_full(a.text) and indentation(b.text) == 0
        # Without indentation, "一是…"/"首先，…" after a full stop starts a paragraph.
        return wrap.is_exact(a.text, a_starts) and not ITEM_START.match(b_text)
    return ends_with(a_text, MID_SENTENCE_END) or wrap.is_full(a.text)


def join_wrapped(
    lines: Sequence[SourceLine],
    removed_numbers: set[int],
    wrap: WrapInfo | None,
) -> list[LogicalLine]:
    """Physical lines -> logical lines (paragraphs and headings, text not yet normalised).

    ``lines`` are the body lines (blank lines included); ``removed_numbers`` the source
    lines the cleaner (or the repeated-title check) removed, so that a paragraph broken by
    a page marker is joined across it.
    """
    blank_numbers = {line.number for line in lines if not line.text.strip()}
    indented = indents_paragraphs(lines)
    # In a wrapped copy pasted double-spaced, a single blank line is no paragraph break.
    blank_is_break = wrap is None or not is_double_spaced(lines)
    logical: list[LogicalLine] = []
    current: LogicalLine | None = None
    for line in lines:
        if not line.text.strip():
            continue
        gap = (
            _gap(current.last, line, blank_numbers, removed_numbers, blank_is_break)
            if current
            else None
        )
        if (
            current is not None
            and gap is not None
            and _should_join(
                current.last,
                line,
                wrap,
                gap,
                indented,
                a_starts=current.last.number == current.number,
            )
        ):
            left = current.text.rstrip(WHITESPACE)
            right = line.text.strip(WHITESPACE)
            current.text = left + joiner(left, right) + right
            current.last = line
            continue
        current = LogicalLine(number=line.number, text=line.text, last=line)
        logical.append(current)
    return logical
