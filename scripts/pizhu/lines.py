"""What a line of speech text is: where sentences end, how wide a line is laid out, its
indentation, whether it is a numbered heading (with a paragraph glued to it) or a greeting.

The vocabulary the structure stage's steps share (title_block.py, rejoin.py,
structure.py); characters themselves are defined in chars.py.
"""

from __future__ import annotations

import re
import unicodedata

from .chars import (
    CLAUSE_END_MARKS,
    CLOSING_QUOTES,
    HEADING_LEVEL_2,
    HEADING_LEVEL_3,
    SENTENCE_END_MARKS,
    WHITESPACE,
)
from .punctuation import collapse_whitespace

# --- Vocabulary -------------------------------------------------------------------------

# A paragraph that ends with one of these is complete (truncation check): a sentence
# end, an ellipsis, a closing quote or bracket, an ASCII full stop or quote.
SENTENCE_END = SENTENCE_END_MARKS + "…" + CLOSING_QUOTES + '）》】.")'
# After one of these a line is never continued by the next (re-joining): sentence ends,
# plus a colon ("同志们：", "主要体现在五个方面：") and a semicolon (list items).
NO_JOIN_END = SENTENCE_END + "：:" + CLAUSE_END_MARKS
# A line that ends with one of these clearly stops mid-sentence.
MID_SENTENCE_END = "，、,（(“《—-"
# No paragraph starts with one of these: a line that does was broken just before it.
CONTINUATION_START = "，。、；：？！）》」』”’,.;:?!)"

# A glued heading is split at the first "。" only if the part before it is this short;
# a longer first sentence means the line is a numbered paragraph.
HEADING_SPLIT_MAX = 40
# A section-numbered line without "。" longer than this is a paragraph, not a heading.
HEADING_MAX = 60

# Greeting lines: never a title, never a title continuation, never joined onto.
SALUTATION = re.compile(r"^(?:同志们|各位(?:领导|同志|同事|来宾|代表|学员)|尊敬的|大家好)")


# --- Small predicates -------------------------------------------------------------------


def display_width(text: str) -> int:
    """Width in columns of a line as laid out, indentation included: CJK characters and
    U+3000 count 2, others 1 (what a PDF filled when it wrapped the line). Characters of
    ambiguous width (“ ” … —) are set full-width in Chinese text, so they count 2."""
    text = text.rstrip(WHITESPACE).replace("\t", "    ")
    return sum(2 if unicodedata.east_asian_width(c) in "WFA" else 1 for c in text)


def indentation(text: str) -> int:
    """Width of the leading whitespace: U+3000 counts 2, a tab 4, a space 1."""
    width = 0
    for c in text:
        if c not in WHITESPACE:
            break
        width += 2 if c == "\u3000" else 4 if c == "\t" else 1
    return width


def heading_level(text: str) -> int | None:
    """2 for "一、…", 3 for "（一）…"/"(一)…", else None ("一是…" is not a heading)."""
    text = collapse_whitespace(text)
    if HEADING_LEVEL_2.match(text):
        return 2
    if HEADING_LEVEL_3.match(text):
        return 3
    return None


def is_salutation(text: str) -> bool:
    return bool(SALUTATION.match(collapse_whitespace(text)))


def ends_with(text: str, marks: str) -> bool:
    text = collapse_whitespace(text)
    return bool(text) and text[-1] in marks


# --- Heading lines ------------------------------------------------------------------------

_BRACKETS = ("“”", "（）", "《》", "【】", "「」", "『』")


def _balanced(text: str) -> bool:
    return all(text.count(pair[0]) == text.count(pair[1]) for pair in _BRACKETS)


def is_bare_heading(text: str) -> bool:
    """A heading line with no paragraph glued to it (a glued one is laid out as text)."""
    parts = split_heading(collapse_whitespace(text))
    return parts is not None and not parts[1]


def split_heading(text: str) -> tuple[str, str] | None:
    """A numbered line read as a heading: (heading, the paragraph glued to it or ""); None
    for a paragraph (no number, a long first sentence, a long line without "。")."""
    if heading_level(text) is None:
        return None
    if "。" in text:
        heading, _, rest = text.partition("。")
        if len(heading) <= HEADING_SPLIT_MAX and _balanced(heading):
            return heading, rest.strip()
        return None
    if len(text) > HEADING_MAX:
        return None
    return text, ""
