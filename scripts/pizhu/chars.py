"""The character vocabulary every stage shares: one definition of each, used everywhere.

What is a Chinese character, which marks end a sentence, what a numbered heading looks
like, which letters redact a name. decode, punctuation, clean, rules, structure and terms
used to define these separately, with different ranges (a compatibility ideograph or
"〇" was Chinese to one stage and not to the next); they now all import them from here.

Each set comes in the form its users need: a string of characters (``in`` tests,
``str.strip``), the body of a regex character class (``"[" + HAN_CLASS + "]"``, for
patterns that embed it), or a compiled pattern. Patterns here are built by plain
concatenation, never by f-string interpolation (a ``{0, 10}`` quantifier in an f-string
silently becomes the text ``(0, 10)``).
"""

from __future__ import annotations

import re

# --- Han characters ---------------------------------------------------------------------
# CJK Unified Ideographs, Extension A, the compatibility ideographs, Extensions B-H
# (planes 2 and 3), and 〇 (U+3007, the ideographic zero of dates such as 二〇二一年).
HAN_RANGES: tuple[tuple[int, int], ...] = (
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x3FFFF),
    (0x3007, 0x3007),
)
HAN_CLASS = "".join(
    chr(low) if low == high else chr(low) + "-" + chr(high) for low, high in HAN_RANGES
)
HAN = re.compile("[" + HAN_CLASS + "]")
HAN_RUN = re.compile("[" + HAN_CLASS + "]+")


def is_han(char: str) -> bool:
    """A Chinese ideograph (any CJK block, compatibility ideographs, 〇).

    >>> is_han("讲"), is_han("〇"), is_han("，"), is_han("X")
    (True, True, False, False)
    """
    code = ord(char)
    return any(low <= code <= high for low, high in HAN_RANGES)


def count_han(text: str, enough: int | None = None) -> int:
    """How many Chinese ideographs ``text`` has; with ``enough``, counting stops there (a
    caller that only asks "at least so many?" need not read a long paragraph to its end).

    >>> count_han("坚持和发展新时代枫桥经验 2023"), count_han("坚持和发展新时代", enough=3)
    (12, 3)
    """
    if enough is None:  # (runs, not characters: ten times faster than HAN.findall)
        return sum(map(len, HAN_RUN.findall(text)))
    found = 0
    for run in HAN_RUN.finditer(text):
        found += run.end() - run.start()
        if found >= enough:
            return enough
    return found


# --- Punctuation --------------------------------------------------------------------------
# The CJK Symbols and Punctuation block without U+3000 (the ideographic space is
# whitespace), and the fullwidth punctuation of the Halfwidth and Fullwidth Forms block
# (not its fullwidth letters and digits).
CJK_PUNCTUATION_CLASS = "\u3001-\u303f"
FULLWIDTH_PUNCTUATION_CLASS = "\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
# The whole Halfwidth and Fullwidth Forms block (fullwidth letters and digits too).
FULLWIDTH_FORMS_CLASS = "\uff00-\uffef"
# Marks of Chinese text outside those blocks, and the usual ones inside them.
CHINESE_PUNCTUATION = "，。、；：！？（）【】《》〈〉「」『』“”‘’…—～·〔〕"

# A sentence ends with one of these (fullwidth or ASCII) ...
SENTENCE_END_MARKS = "。！？!?"
# ... a clause of a list with one of these ...
CLAUSE_END_MARKS = "；;"
# ... and closing quotes and brackets may follow the end mark: “…。” （…。）
CLOSING_QUOTES = "”’」』"
CLOSING_BRACKETS = "）)》】〕〗"

# A line with a sentence or clause mark in it; an ASCII "." counts after a Chinese
# character ("要坚持问题导向." in a copy typed with ASCII punctuation), not in "v1.2" or
# before a file's extension ("讲话.docx").
HAS_SENTENCE_MARK = re.compile(
    "[" + SENTENCE_END_MARKS + CLAUSE_END_MARKS + "]|(?<=[" + HAN_CLASS + r"])\.(?![A-Za-z0-9])"
)
# A line that ends a sentence: the end mark, then at most closing quotes or brackets.
ENDS_SENTENCE = re.compile(
    "[" + SENTENCE_END_MARKS + r"]\s*[" + CLOSING_QUOTES + CLOSING_BRACKETS + r"]?\s*$"
)


def has_sentence_end(text: str) -> bool:
    """Is there a sentence end mark (。！？!?) anywhere in ``text``?"""
    return any(mark in text for mark in SENTENCE_END_MARKS)


# --- Whitespace ----------------------------------------------------------------------------
# Horizontal whitespace that can indent or pad a line: ASCII space, tab, the ideographic
# space U+3000 that Chinese word processors use for paragraph indentation, NBSP and the
# other Unicode spaces (U+2000-U+200B), and a stray form feed or vertical tab.
WHITESPACE = (
    " \t\u3000\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u200b\u202f\u205f\f\v"
)
# Invisible characters copied along with text (zero-width spaces and joiners, BOM).
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"

# --- Redactions ----------------------------------------------------------------------------
# Letters used to redact names and places ("XX局长", "××机关", "X县局", "＊＊"). They are
# Latin (or the multiplication sign), but next to Chinese they are part of the Chinese text.
REDACTION_LETTERS = "XＸ×＊*"
REDACTION_CLASS = re.escape(REDACTION_LETTERS)

# --- Numbered headings ---------------------------------------------------------------------
# Chinese numerals for section numbers: 一 … 九, 十, 十一 … 九十九.
SECTION_NUMBER = "(?:[一二三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九])"
# "一、…" is a level-2 heading, "（一）…"/"(一)…" a level-3 one (the text keeps its number).
HEADING_LEVEL_2 = re.compile("^" + SECTION_NUMBER + "、")
HEADING_LEVEL_3 = re.compile(r"^[（(]\s*" + SECTION_NUMBER + r"\s*[）)]")
NUMBERED_HEADING = re.compile(
    "^(?:" + SECTION_NUMBER + "、|" + r"[（(]\s*" + SECTION_NUMBER + r"\s*[）)])"
)
# A list bullet at the start of a line, as a Word export or a web page writes one: "• ",
# "●", "* ", "- ". "*" and the dashes only with a space after them ("**市" is a redaction,
# "——" opens a subtitle); not "○" or "□" (redactions too: "○○同志").
LIST_BULLET = re.compile(r"^\s*(?:[•●◦▪■◆◇➢►▶√✓·]\s*|[*＊\-–—－]\s+)(?=\S)")
# Item numbers of a list in the speech: "1．", "1.", "1、", "（1）".
ITEM_NUMBER = re.compile(r"^(?:[0-9０-９]{1,2}[．.、]|[（(][0-9０-９]{1,2}[）)])")
