"""The ways one glossary form is written in speeches, and the text view the linker reads.

Speakers and copyists write the same words in several ways. The linker accepts these as
one occurrence of a form (issue 8 §3), and nothing looser:

* quotation marks inside the words: 两个“维护”, 一岗“双责”, 新时代「枫桥经验」 — every quote
  style (“” ‘’ 「」 『』 ﹁﹂ ﹃﹄ 〝〞 ") is ignored while matching;
* spaces inside the words: 两个 维护 (never a line break);
* a list-type form (its own text has items separated by 、，；) with its items separated by
  any of 、，；,; or 和 or nothing (对党忠诚，服务人民，执法公正和纪律严明; 对党忠诚 服务人民 …),
  and, when the form is a plain list (no quotation marks in it), its items in any order;
* a redaction mark (XX, ××, X, 某某, ○○) where the form has a name (see REDACTED_NAMES):
  XX法治思想 for 习近平法治思想, “××姓党” for 公安姓党.

How: the text is read through a *view* (:func:`view_of`): quotes and spaces dropped, every
list separator written as 、, every redaction run as one WILDCARD character, with an
offset map back to the original. Forms are compiled the same way (:func:`compile_form`)
into a :class:`Pattern`: a plain string the automaton finds as it is, or, for a list, its
items, which link.py finds one by one and chains together when they stand side by side.
The original text is never changed; a hit is reported as a span of the original text.

The character vocabulary below is local to linking and kept small; it is meant to merge
into the shared vocabulary module (what a Chinese character is, redaction marks).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import accumulate

from .chars import is_han as _is_han

# --- character vocabulary (local to linking) ----------------------------------------------

# Opening quote -> closing quote. Ignored inside a form; a link never leaves one unpaired.
LINK_QUOTE_PAIRS: dict[str, str] = {
    "“": "”",
    "‘": "’",
    "「": "」",
    "『": "』",
    "﹁": "﹂",
    "﹃": "﹄",
    "〝": "〞",
}
# Quotes that open and close alike. The ASCII apostrophe is left out: it is English text.
LINK_SYMMETRIC_QUOTES = '"'
LINK_QUOTES = "".join(LINK_QUOTE_PAIRS) + "".join(LINK_QUOTE_PAIRS.values()) + '"'

# Marks between the items of a list. In the view every one of them is LIST_MARK.
LIST_SEPARATORS = "、，；,;､"
LIST_MARK = "、"
# The word that may join two items (A、B和C). Only between items, never inside a word:
# the items on both sides must be found whole.
LIST_CONJUNCTION = "和"

# A redaction run in a copied speech: "XX", "X", "××", "ＸＸ", "某某", "○○". Latin X only
# outside Latin words and numbers ("XML", "5X", "X光" stay). Same shape as
# render.REDACTION_RE, plus "○○".
# (Each branch starts with its letter, the lookbehind after it: with the lookahead in
# _SPECIAL the regex engine skips other characters fast.)
LINK_REDACTION = r"""
    X(?<![A-Za-z0-9]X)X{0,3}(?![A-Za-z0-9]|-[A-Za-z]|光|射线)
    | x(?<![A-Za-z0-9]x)x{1,3}(?![A-Za-z0-9])
    | [×Ｘ]{2,}
    | 某某
    | ○{2,}
"""
_REDACTION_LETTERS = "Xx×Ｘ某○"  # the first characters of LINK_REDACTION's branches

# One view character stands for a whole redaction run. NUL never reaches the view from
# the text itself (it is written as U+FFFD there).
WILDCARD = "\x00"

# Items shorter than this are too common to be found on their own ("党、政"): such a form
# is matched as written (any list separator, but no 和, no empty slot, no reordering).
MIN_ITEM = 2
# Longer lists keep their order: chaining items in any order explores up to n! ways where
# items nest, and nobody recites ten items in a new order (六大纪律 has six).
MAX_REORDERED_ITEMS = 8


# --- names a redaction may stand for ------------------------------------------------------


@dataclass(frozen=True)
class RedactedName:
    """A name that copies of speeches blank out, and where a redaction may stand for it.

    ``min_rest``: the form without the name must keep at least this many characters, so
    that the rest alone says which concept is meant (XX法治思想 yes, XX理论 no).
    ``quoted_only``: the redacted form is only taken when it is exactly a quoted phrase
    (“××姓党”), because the same mark also hides place names (XX铁军警队, 智慧XX).
    """

    name: str
    min_rest: int
    quoted_only: bool
    reason: str


_LEADER = "a leader's name, which document-sharing sites often blank out"
REDACTED_NAMES: tuple[RedactedName, ...] = (
    RedactedName("习近平", 4, False, _LEADER),
    RedactedName("毛泽东", 4, False, _LEADER),
    RedactedName("邓小平", 4, False, _LEADER),
    RedactedName("江泽民", 4, False, _LEADER),
    RedactedName("胡锦涛", 4, False, _LEADER),
    RedactedName(
        "公安",
        2,
        True,
        "police texts on sharing sites blank the institution (XX机关, XX部, ××姓党); "
        "the same marks hide place names, hence quoted phrases only",
    ),
)


# --- the view -----------------------------------------------------------------------------

# Separators other than LIST_MARK, replaced one by one: str.replace is C-speed, whereas
# str.translate with a table of non-ASCII characters costs about 20 times as much here.
_OTHER_SEPARATORS = LIST_SEPARATORS.replace(LIST_MARK, "")
# Spaces other than line breaks (a speech never joins lines, so neither does the linker).
_SPACES = " \t\r\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_QUOTE_CLASS = re.escape(LINK_QUOTES)
_DROP = re.compile(rf"[{_QUOTE_CLASS}{_SPACES}]+")
# Runs the view leaves out (quotes, spaces) or shortens (redactions); used only when a
# redaction letter occurs at all. The lookahead lets the engine skip to candidates.
_SPECIAL = re.compile(
    rf"""(?=[{_QUOTE_CLASS}{_SPACES}{_REDACTION_LETTERS}])
    (?:(?P<drop>[{_QUOTE_CLASS}{_SPACES}]+)|(?P<redaction>{LINK_REDACTION}))""",
    re.VERBOSE,
)
_REDACTION_HINT = re.compile(f"[{_REDACTION_LETTERS}]")
_QUOTE_MARK = re.compile(f"[{_QUOTE_CLASS}]")


@dataclass(frozen=True)
class TextView:
    """``text`` as the linker reads it, and the way back to the original.

    The view is made of pieces copied one to one from the original; ``starts[i]`` is where
    piece i begins in the view and ``origins[i]`` where it begins in the original. A
    WILDCARD ends its piece; ``wild_ends`` maps its view index to the end of the
    redaction run it stands for in the original.
    """

    text: str
    starts: tuple[int, ...] = (0,)
    origins: tuple[int, ...] = (0,)
    wild_ends: Mapping[int, int] = field(default_factory=dict)

    @property
    def identity(self) -> bool:
        """Is the view the text itself, character for character (nothing dropped)?"""
        return len(self.starts) == 1

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of ``text[start:end]`` (from its first to its last character)."""
        first = bisect_right(self.starts, start) - 1
        tail = bisect_right(self.starts, end - 1) - 1
        last = self.wild_ends.get(end - 1) or self.origins[tail] + end - self.starts[tail]
        return self.origins[first] + start - self.starts[first], last


def view_of(text: str) -> TextView:
    """The view of ``text``: quotes and spaces dropped, separators as 、, redactions as one
    WILDCARD each. Linear, and mostly C-speed.

    >>> view = view_of("两个“维护”，XX法治思想")
    >>> view.text == "两个维护、" + WILDCARD + "法治思想"
    True
    >>> view.span(0, 4), view.span(5, 10)
    ((0, 5), (7, 13))
    """
    translated = text
    for mark in _OTHER_SEPARATORS:
        if mark in translated:
            translated = translated.replace(mark, LIST_MARK)
    if WILDCARD in translated:
        translated = translated.replace(WILDCARD, "\ufffd")
    if _REDACTION_HINT.search(translated) is None:
        return _dropped_view(translated)
    parts: list[str] = []
    starts: list[int] = [0]
    origins: list[int] = [0]
    wild_ends: dict[int, int] = {}
    length = 0  # of the view so far
    position = 0  # in the original
    for match in _SPECIAL.finditer(translated):
        kept = translated[position : match.start()]
        parts.append(kept)
        length += len(kept)
        if match.lastgroup == "redaction":
            wild_ends[length] = match.end()
            parts.append(WILDCARD)
            length += 1
        position = match.end()
        starts.append(length)
        origins.append(position)
    parts.append(translated[position:])
    return TextView("".join(parts), tuple(starts), tuple(origins), wild_ends)


def _dropped_view(text: str) -> TextView:
    """The view of a text without redactions: only quotes and spaces dropped.

    The common case, so done in C: split at the dropped runs, piece starts and origins
    added up with accumulate (a Python loop over the runs costs three times as much).
    """
    kept = _DROP.split(text)
    if len(kept) == 1:
        return TextView(text)
    lengths = list(map(len, kept))
    runs = [0] * (2 * len(kept) - 1)  # kept, dropped, kept, dropped, …, kept
    runs[0::2] = lengths
    runs[1::2] = map(len, _DROP.findall(text))
    starts = (0, *accumulate(lengths[:-1]))
    origins = (0, *accumulate(runs[:-1]))[2::2]
    return TextView("".join(kept), starts, (0, *origins))


def balance_quotes(text: str, start: int, end: int, floor: int = 0) -> tuple[int, int]:
    """Widen ``text[start:end]`` over the quote marks that pair with unpaired ones inside.

    两个“维护 becomes 两个“维护”; 不忘初心、牢记使命”主题教育 takes the “ before it. Never
    below ``floor`` (the end of the previous hit). Quotes that cannot be paired stay as
    the text has them.

    >>> balance_quotes("坚决做到两个“维护”。", 4, 9)
    (4, 10)
    """
    if _QUOTE_MARK.search(text, start, end) is None:
        return start, end
    closers: list[str] = []  # closing marks inside with no opening mark inside, in order
    openers: list[str] = []  # opening marks inside still open at the end
    symmetric = 0
    for char in text[start:end]:
        if char in LINK_QUOTE_PAIRS:
            openers.append(char)
        elif char in LINK_SYMMETRIC_QUOTES:
            symmetric += 1
        elif char in LINK_QUOTES:  # a closing mark
            if openers and LINK_QUOTE_PAIRS[openers[-1]] == char:
                openers.pop()
            elif not openers:
                closers.append(char)
    for closer in closers:
        if start > floor and LINK_QUOTE_PAIRS.get(text[start - 1]) == closer:
            start -= 1
        else:
            break
    for opener in reversed(openers):
        if end < len(text) and text[end] == LINK_QUOTE_PAIRS[opener]:
            end += 1
        else:
            break
    if symmetric % 2:
        if end < len(text) and text[end] in LINK_SYMMETRIC_QUOTES:
            end += 1
        elif start > floor and text[start - 1] in LINK_SYMMETRIC_QUOTES:
            start -= 1
    return start, end


# --- forms --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    """One way a form of a term is found.

    ``items`` are view strings. One item: the automaton finds it as it is. Several: a list,
    found item by item; between two items the view may have LIST_MARK, LIST_CONJUNCTION or
    nothing; ``any_order`` lets the items come in any order. ``quoted_only``: take a match
    only when the text has it exactly between quotes.
    """

    term_id: str
    items: tuple[str, ...]
    any_order: bool = False
    quoted_only: bool = False

    @property
    def is_list(self) -> bool:
        return len(self.items) > 1


def list_items(form: str) -> tuple[tuple[str, ...], bool]:
    """The items of a form's view and whether it is a plain list (items may be reordered).

    A form is list-type when its own text separates items with 、，；; a plain list has no
    quotation marks (in “不忘初心、牢记使命”主题教育 only the quoted part is a list, so its
    order is kept). In a plain list, 和 before the last item separates it too
    (形式主义、官僚主义、享乐主义和奢靡之风 has four items).

    >>> list_items("获得感、幸福感和安全感")
    (('获得感', '幸福感', '安全感'), True)
    >>> list_items("“不忘初心、牢记使命”主题教育")
    (('不忘初心', '牢记使命主题教育'), False)
    >>> list_items("四风")
    (('四风',), False)
    """
    items = [item for item in view_of(form).text.split(LIST_MARK) if item]
    plain = len(items) > 1 and not any(char in LINK_QUOTES for char in form)
    if plain:
        head, joined, last = items[-1].rpartition(LIST_CONJUNCTION)
        if joined and len(head) >= MIN_ITEM and len(last) >= MIN_ITEM:
            items[-1:] = [head, last]
    return tuple(items), plain


def compile_form(form: str, term_id: str) -> list[Pattern]:
    """The patterns one glossary form is found by: the form itself, then its redacted names.

    >>> [p.items for p in compile_form("习近平法治思想", "x")]
    [('习近平法治思想',), ('\\x00法治思想',)]
    >>> compile_form("两手抓，两手都要硬", "y")[0]
    Pattern(term_id='y', items=('两手抓', '两手都要硬'), any_order=True, quoted_only=False)
    """
    items, plain = list_items(form)
    if len(items) > 1 and min(map(len, items)) < MIN_ITEM:
        items, plain = (LIST_MARK.join(items),), False  # as written, separators aside
    any_order = plain and 1 < len(items) <= MAX_REORDERED_ITEMS
    patterns = [Pattern(term_id, items, any_order=any_order)]
    rest = sum(map(len, items))
    for name in REDACTED_NAMES:
        if rest - len(name.name) < name.min_rest:
            continue
        for index, item in enumerate(items):
            position = item.find(name.name)
            while position >= 0:
                redacted = item[:position] + WILDCARD + item[position + len(name.name) :]
                patterns.append(
                    Pattern(
                        term_id,
                        (*items[:index], redacted, *items[index + 1 :]),
                        any_order=any_order,
                        quoted_only=name.quoted_only,
                    )
                )
                position = item.find(name.name, position + 1)
    return patterns


def form_key(form: str) -> str:
    """What a form matches, as one string: two forms with the same key find the same text.

    Used by glossary.py to refuse two entries whose forms differ only in quotes, spaces,
    separators or the order of list items.

    >>> form_key("两手抓，两手都要硬") == form_key("两手都要硬、两手抓")
    True
    """
    pattern = compile_form(form, "")[0]
    return LIST_MARK.join(sorted(pattern.items) if pattern.any_order else pattern.items)


# --- a longer phrase that is not a concept ------------------------------------------------


def cuts_coordination(view: str, end: int) -> bool:
    """Does a match ending at ``end`` cut a coordination "V O1 V O2" in two?

    全面从严治党治警 shares 全面从严 between 治党 and 治警: a link on 全面从严治党 would be half
    of the phrase. Same verb, different objects, four Chinese characters in a row.

    >>> cuts_coordination("全面从严治党治警", 6), cuts_coordination("全面从严治党，治警", 6)
    (True, False)
    """
    if end < 2 or end + 2 > len(view):
        return False
    verb, obj, verb2, obj2 = view[end - 2 : end + 2]
    return verb == verb2 and obj != obj2 and all(map(_is_han, (verb, obj, obj2)))
