"""Punctuation and whitespace normalisation for Chinese text copied off the web.

Speeches copied from document-sharing sites mix ASCII punctuation into Chinese text
("同志们:", "大家好!今天,我们", ``"发现问题就是成绩"``). Readers expect fullwidth
punctuation, but ASCII marks that belong to numbers, versions and Latin words must stay
("1,000", "12:30", "v1.2", "COVID-19", "A:B").

Like ftfy's fixers, every rule is a pure ``str -> str`` function with a docstring, and
:func:`normalize` applies them in a fixed, documented order. The deciding question of
every rule is the same: *is this mark in Chinese context?* — see :func:`is_chinese_context`.
"""

from __future__ import annotations

import functools
import itertools
import re

from .chars import (
    CHINESE_PUNCTUATION,
    CJK_PUNCTUATION_CLASS,
    FULLWIDTH_PUNCTUATION_CLASS,
    HAN_CLASS,
    REDACTION_LETTERS,
    WHITESPACE,
)
from .chars import is_han as is_han  # re-exported: callers ask punctuation "is this Chinese?"

_WS_RUN = re.compile(f"[{WHITESPACE}]+")

# ASCII marks that become their fullwidth form in Chinese context.
ASCII_TO_FULLWIDTH = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？"}
OPEN_PAREN, CLOSE_PAREN = "（", "）"
OPEN_QUOTE, CLOSE_QUOTE = "“", "”"

# Chinese ideographs, the CJK symbols and punctuation block (not U+3000, the ideographic
# space), fullwidth punctuation, and the marks in CHINESE_PUNCTUATION (a space next to
# one of those is never wanted).
_CHINESE_CHARS = HAN_CLASS + CJK_PUNCTUATION_CLASS + FULLWIDTH_PUNCTUATION_CLASS
_CHINESE_RUN = re.compile(f"[{_CHINESE_CHARS}{re.escape(CHINESE_PUNCTUATION)}]+")


def is_chinese_char(char: str) -> bool:
    """A Chinese ideograph or a Chinese (fullwidth) punctuation mark.

    >>> is_chinese_char("讲"), is_chinese_char("，"), is_chinese_char("A")
    (True, True, False)
    """
    return bool(char) and _CHINESE_RUN.fullmatch(char) is not None


def _neighbour(text: str, index: int, step: int) -> int:
    """Index of the nearest non-space character from ``index`` in direction ``step``."""
    i = index + step
    while 0 <= i < len(text) and text[i] in WHITESPACE:
        i += step
    return i if 0 <= i < len(text) else -1


def is_chinese_context(text: str, index: int) -> bool:
    """Is ``text[index]`` a Chinese character, or a redaction letter inside Chinese text?

    A run of redaction letters ("XX", "××") counts as Chinese when a Chinese character
    touches the run on either side: ``由XX,XX负责`` has the comma in Chinese context,
    ``A:B`` does not.
    """
    if index < 0 or index >= len(text):
        return False
    char = text[index]
    if is_chinese_char(char):
        return True
    if char not in REDACTION_LETTERS:
        return False
    start = index
    while start > 0 and text[start - 1] in REDACTION_LETTERS:
        start -= 1
    end = index
    while end + 1 < len(text) and text[end + 1] in REDACTION_LETTERS:
        end += 1
    before = text[start - 1] if start > 0 else ""
    after = text[end + 1] if end + 1 < len(text) else ""
    return is_chinese_char(before) or is_chinese_char(after)


def chinese_mask(text: str) -> list[bool]:
    """:func:`is_chinese_context` for every index of ``text``, in one linear pass."""
    mask = [False] * len(text)
    for run in _CHINESE_RUN.finditer(text):
        mask[run.start() : run.end()] = [True] * (run.end() - run.start())
    i, n = 0, len(text)
    while i < n:
        if text[i] not in REDACTION_LETTERS:
            i += 1
            continue
        j = i
        while j < n and text[j] in REDACTION_LETTERS:
            j += 1
        inside = (i > 0 and mask[i - 1]) or (j < n and mask[j])
        for k in range(i, j):
            mask[k] = inside
        i = j
    return mask


class _Context:
    """Answers "is there Chinese at/inside …?" for one text in constant time, so long
    paragraphs full of quotes or parentheses stay linear."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.mask = chinese_mask(text)
        self.prefix = [0, *itertools.accumulate(self.mask)]

    def at(self, index: int) -> bool:
        return 0 <= index < len(self.mask) and self.mask[index]

    def inside(self, start: int, end: int) -> bool:
        """Any Chinese strictly between ``start`` and ``end``?"""
        return self.prefix[end] - self.prefix[start + 1] > 0 if end > start + 1 else False

    def touches(self, open_i: int, close_i: int) -> bool:
        """Chinese inside the pair or right outside it (past spaces)?"""
        return (
            self.inside(open_i, close_i)
            or self.at(_neighbour(self.text, open_i, -1))
            or self.at(_neighbour(self.text, close_i, 1))
        )


@functools.lru_cache(maxsize=4096)  # (the structure stage asks several times per line)
def collapse_whitespace(text: str) -> str:
    """Drop leading indentation and trailing whitespace; collapse inner runs to one space.

    >>> collapse_whitespace("\\u3000\\u3000守正出新  担当使命 \\t")
    '守正出新 担当使命'
    """
    if " " not in text and text.isprintable():  # (no WHITESPACE character is printable)
        return text
    return _WS_RUN.sub(" ", text).strip(" ")


def pair_ascii_quotes(text: str) -> str:
    """Turn ASCII double quotes into “…” when a pair encloses or touches Chinese text.

    Quotes are paired in order (1st with 2nd, 3rd with 4th …), as a typist would have
    meant them. A pair converts when its content has a Chinese character or a character
    next to it outside is Chinese. An unpaired last quote is left as it is: we cannot
    tell whether it opens or closes.

    >>> pair_ascii_quotes('讲,"发现问题就是成绩","问题解决之日才是工作到位之时"。')
    '讲,“发现问题就是成绩”,“问题解决之日才是工作到位之时”。'
    >>> pair_ascii_quotes('He said "hello".')
    'He said "hello".'
    """
    if text.count('"') < 2:  # (most texts: a C-speed answer before the walk)
        return text
    positions = [i for i, c in enumerate(text) if c == '"']
    chars = list(text)
    context = _Context(text)
    for open_i, close_i in zip(positions[0::2], positions[1::2], strict=False):
        if context.touches(open_i, close_i):
            chars[open_i] = OPEN_QUOTE
            chars[close_i] = CLOSE_QUOTE
    return "".join(chars)


def fullwidth_parentheses(text: str) -> str:
    """Turn ASCII ( ) into （ ） when the pair's content or a neighbour is Chinese.

    Parentheses are matched as pairs (nesting allowed) and converted together, so the
    result never mixes "（…)". An unmatched one converts when a neighbour is Chinese.

    >>> fullwidth_parentheses("(一)思想要正")
    '（一）思想要正'
    >>> fullwidth_parentheses("COVID-19 (2020)")
    'COVID-19 (2020)'
    """
    if "(" not in text and ")" not in text:
        return text
    chars = list(text)
    stack: list[int] = []
    pairs: list[tuple[int, int]] = []
    unmatched: list[int] = []
    for i, c in enumerate(text):
        if c == "(":
            stack.append(i)
        elif c == ")":
            if stack:
                pairs.append((stack.pop(), i))
            else:
                unmatched.append(i)
    unmatched.extend(stack)
    context = _Context(text)
    for open_i, close_i in pairs:
        if context.touches(open_i, close_i):
            chars[open_i] = OPEN_PAREN
            chars[close_i] = CLOSE_PAREN
    for i in unmatched:
        if context.at(_neighbour(text, i, -1)) or context.at(_neighbour(text, i, 1)):
            chars[i] = OPEN_PAREN if text[i] == "(" else CLOSE_PAREN
    return "".join(chars)


# Any of the ASCII marks fullwidth_marks may turn (a C-speed test before the per-character loop).
_ASCII_MARK_RE = re.compile("[" + re.escape("".join(ASCII_TO_FULLWIDTH)) + "]")


def fullwidth_marks(text: str) -> str:
    """Turn ASCII , : ; ! ? into ，：；！？ when a Chinese character is next to them.

    "Next to" looks past spaces on either side. A mark between two digits stays
    ("1,000", "12:30"), and so does a mark between Latin letters ("A:B").

    >>> fullwidth_marks("同志们:大家好!今天,我们在1,000人中")
    '同志们：大家好！今天，我们在1,000人中'
    """
    if not _ASCII_MARK_RE.search(text):
        return text
    chars = list(text)
    context = _Context(text)
    for i, c in enumerate(text):
        if c not in ASCII_TO_FULLWIDTH:
            continue
        left = _neighbour(text, i, -1)
        right = _neighbour(text, i, 1)
        if left >= 0 and right >= 0 and text[left].isdigit() and text[right].isdigit():
            continue  # a number: 1,000 / 12:30
        # A mark converted just before counts as Chinese, so "好!?" becomes "好！？".
        left_converted = left >= 0 and chars[left] != text[left]
        if left_converted or context.at(left) or context.at(right):
            chars[i] = ASCII_TO_FULLWIDTH[c]
    return "".join(chars)


_SPACE_BEFORE_CHINESE_PUNCT = re.compile(f" +(?=[{re.escape(CHINESE_PUNCTUATION)}])")
_SPACE_AFTER_CHINESE_PUNCT = re.compile(f"(?<=[{re.escape(CHINESE_PUNCTUATION)}]) +")


def tighten_fullwidth_spacing(text: str) -> str:
    """Remove spaces next to fullwidth punctuation, which carries its own spacing.

    >>> tighten_fullwidth_spacing("同志们 ： 大家好")
    '同志们：大家好'
    """
    if " " not in text:  # (most paragraphs: no pattern can match)
        return text
    text = _SPACE_BEFORE_CHINESE_PUNCT.sub("", text)
    return _SPACE_AFTER_CHINESE_PUNCT.sub("", text)


# A number (Arabic digits, maybe with a decimal point, thousands commas or %) between two
# Chinese characters, with a space on one side or both: "我 2015 年", "近 200 个".
_SPACED_NUMBER = re.compile(f"(?<=[{HAN_CLASS}])( ?)([0-9][0-9.,]*%?)( ?)(?=[{HAN_CLASS}])")


def tighten_number_spacing(text: str) -> str:
    """Remove the spaces around a number inside Chinese text.

    PDF text layers and document sites set Arabic numerals apart with spaces ("我 2015
    年在××区", "近 200 个村庄"); Chinese official texts write them without ("2015年",
    "200个"). Only a number with a Chinese character on both sides changes: a numbered
    item at the start of a line ("1 坚持…") and Latin words ("COVID-19 疫情") stay.

    >>> tighten_number_spacing("前面几张图展现的是我 2015 年在××区，有近300 家企业")
    '前面几张图展现的是我2015年在××区，有近300家企业'
    >>> tighten_number_spacing("1 坚持党的领导，COVID-19 疫情")
    '1 坚持党的领导，COVID-19 疫情'
    """
    if " " not in text:
        return text
    return _SPACED_NUMBER.sub(r"\2", text)


# The order matters: whitespace first (so neighbours are found), quotes before marks (so
# the comma in ``","`` sees the “ ” around it), spacing last.
FIXERS = (
    collapse_whitespace,
    pair_ascii_quotes,
    fullwidth_parentheses,
    fullwidth_marks,
    tighten_fullwidth_spacing,
    tighten_number_spacing,
)


def normalize(text: str) -> str:
    """Apply every fixer in :data:`FIXERS` to one title, heading or paragraph.

    >>> normalize('  XX局长讲,"发现问题就是成绩","问题解决之日才是工作到位之时"。')
    'XX局长讲，“发现问题就是成绩”，“问题解决之日才是工作到位之时”。'
    """
    for fixer in FIXERS:
        text = fixer(text)
    return text


def normalize_explained(text: str) -> tuple[str, list[str]]:
    """Like :func:`normalize`, and also name the fixers that changed something."""
    steps: list[str] = []
    for fixer in FIXERS:
        fixed = fixer(text)
        if fixed != text:
            steps.append(fixer.__name__)
        text = fixed
    return text, steps
