"""Literal triggers: strings of which every match of a pattern must contain one.

Every cleaning rule is tried on every line of every speech, and nearly every line is speech
text that no rule claims: at 1,000 speeches that was most of the cleaner's time. A pattern
like ``(?:QQ|扣扣|微信号?)\\s*…`` cannot match a line that contains none of ``qq``, ``扣扣``,
``微信``; :func:`required_literals` reads those strings off the pattern's syntax tree, and
:func:`trigger` turns them into a cheap test that runs before the pattern.

The test is a necessary condition, never a guess: it is computed from the pattern itself, so
a rule's author writes nothing extra and cannot get it wrong. When the tree gives no such
strings (a pattern that can match anything, e.g. ``[^。]{0,20}$``), there is no trigger and
the pattern is always tried. Lines and literals are compared case-folded (:func:`fold`), as
the rules are case-insensitive.

This reads ``re._parser`` (``sre_parse``), CPython's own parser, stable since 3.11; the
tests check the triggers against every rule's examples and against the rules themselves.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from re import _constants as c  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]

from .char_frequency import COMMON_CHARS

Need = frozenset[str] | None  # None: nothing is required (the pattern may match anything)

#: Non-ASCII characters that a case-insensitive ASCII letter matches (beyond str.lower):
#: Turkish dotted and dotless i, the long s, the Kelvin sign. tests/test_triggers.py checks
#: this against every code point.
FOLD_EXTRA = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}
_FOLD_EXTRA_TABLE = str.maketrans(FOLD_EXTRA)
_FOLD_EXTRA_RE = re.compile("[" + "".join(FOLD_EXTRA) + "]")
#: A character class with more members than this is no use as a trigger.
MAX_CLASS = 16


def fold(text: str) -> str:
    """``text`` as the triggers see it: lower case, and the letters of :data:`FOLD_EXTRA`
    as the ASCII letters that they match.

    >>> fold("QQ号 \u017f\u212a")
    'qq号 sk'
    """
    if _FOLD_EXTRA_RE.search(text):
        text = text.translate(_FOLD_EXTRA_TABLE)
    return text.lower()


def _usable(char: str) -> bool:
    """A character a trigger may contain: ASCII (folded by :func:`fold`) or without case
    (Chinese, digits, punctuation), so that folding never changes whether it is there."""
    return char.isascii() or (char.lower() == char == char.upper())


@functools.cache  # (a rule's trigger and the cleaner's Prefilter both ask)
def required_literals(pattern: re.Pattern[str]) -> Need:
    """Strings (folded) of which every match of ``pattern`` contains at least one; None
    when the pattern need not contain any fixed string.

    >>> sorted(required_literals(re.compile(r"(?:加)?(?:QQ|微信号?)\\s*\\d{5,}", re.I)))
    ['qq', '微信']
    >>> required_literals(re.compile(r"[^。]{0,20}$")) is None
    True
    """
    return _sequence(_parser.parse(pattern.pattern, pattern.flags))


def _sequence(items: Iterable[tuple[object, object]]) -> Need:
    """Of the items in a row, the best requirement: a run of fixed characters, or one
    item's (a group, a branch, a repeat of at least one)."""
    candidates: list[frozenset[str]] = []
    run: list[str] = []
    for op, av in items:
        char = _fixed_char(op, av)
        if char is not None:
            run.append(char)
            continue
        if run:
            candidates.append(frozenset({"".join(run)}))
            run = []
        need = _item(op, av)
        if need is not None:
            candidates.append(need)
    if run:
        candidates.append(frozenset({"".join(run)}))
    if not candidates:
        return None
    # The most selective: the longest shortest string, then the fewest strings.
    return max(candidates, key=lambda need: (min(map(len, need)), -len(need)))


def _fixed_char(op: object, av: object) -> str | None:
    """The one character this item matches, folded, if it is a usable one."""
    if op is c.LITERAL:
        char = chr(av)  # type: ignore[arg-type]
        return char.lower() if _usable(char) else None
    if op is c.IN:
        chars = _class_chars(av)  # type: ignore[arg-type]
        if chars is not None and len(chars) == 1:
            return next(iter(chars))
    return None


def _class_chars(members: list[tuple[object, object]]) -> frozenset[str] | None:
    """The characters of a small, positive class, folded; None for any other class."""
    chars: set[str] = set()
    for op, av in members:
        if op is c.LITERAL:
            found = [chr(av)]  # type: ignore[arg-type]
        elif op is c.RANGE:
            low, high = av  # type: ignore[misc]
            if high - low >= MAX_CLASS:
                return None
            found = [chr(code) for code in range(low, high + 1)]
        else:  # NEGATE, CATEGORY (\d, \s …): too many characters
            return None
        if not all(_usable(char) for char in found):
            return None
        chars.update(char.lower() for char in found)
        if len(chars) > MAX_CLASS:
            return None
    return frozenset(chars) or None


def _item(op: object, av: object) -> Need:
    if op is c.SUBPATTERN:
        return _sequence(av[-1])  # type: ignore[index]
    if op is c.ATOMIC_GROUP:
        return _sequence(av)  # type: ignore[arg-type]
    if op is c.BRANCH:
        needs = [_sequence(branch) for branch in av[1]]  # type: ignore[index]
        if any(need is None for need in needs):
            return None
        return frozenset().union(*needs)  # type: ignore[arg-type]
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        low, _high, body = av  # type: ignore[misc]
        return _sequence(body) if low >= 1 else None
    if op is c.ASSERT:  # a positive lookaround: its text is in the string too
        return _sequence(av[1])  # type: ignore[index]
    if op is c.IN:
        return _class_chars(av)  # type: ignore[arg-type]
    # ANY, NOT_LITERAL, AT, ASSERT_NOT, GROUPREF …: nothing fixed
    return None


def trigger(pattern: re.Pattern[str]) -> Callable[[str], bool] | None:
    """A test on a folded string that is false only where ``pattern`` cannot match; None
    when there is no such test (always try the pattern)."""
    need = required_literals(pattern)
    if need is None:
        return None
    if len(need) == 1:
        (literal,) = need
        return lambda text: literal in text
    # Longest first only for readability of the pattern: any alternative found will do.
    alternatives = sorted(need, key=lambda text: (-len(text), text))
    search = re.compile("|".join(map(re.escape, alternatives))).search
    return lambda text: search(text) is not None


# How common a character is: its place in COMMON_CHARS; a character not listed (a Latin
# letter, a rare ideograph) is rarer than any listed one.
_COMMONNESS = {char: len(COMMON_CHARS) - place for place, char in enumerate(COMMON_CHARS)}


def key_char(literal: str) -> str:
    """The character of ``literal`` to look for: its least common one (ties: the first).

    >>> key_char("在群里"), key_char("qq")
    ('群', 'q')
    """
    return min(literal, key=lambda char: _COMMONNESS.get(char, 0))


class Prefilter:
    """Which of many patterns may match a text, from one scan of the (folded) text.

    A trigger is one search per pattern and line, and most lines are speech that no rule
    claims: at 1,000 speeches the triggers were a third of the cleaner's time. Each string a
    pattern requires (:func:`required_literals`) has a key character (:func:`key_char`); a
    text without any of a pattern's key characters contains none of its strings, so the
    pattern cannot match it. One character class finds the key characters of every pattern
    in a line, and their bits say which patterns are worth trying. The test is exact (the
    patterns' own triggers then decide); only how much it rules out depends on how rare the
    key characters are.

    >>> prefilter = Prefilter([re.compile("QQ群", re.I), re.compile("阅读全文")])
    >>> bin(prefilter.candidates(fold("加QQ群"))), bin(prefilter.candidates("同志们好"))
    ('0b1', '0b0')
    """

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        self.patterns = tuple(patterns)
        #: Every pattern: what candidates() gives for a text that has every key character.
        self.everything = (1 << len(self.patterns)) - 1
        self._always = 0  # patterns that need no string: always candidates
        self._bits: dict[str, int] = {}  # key character -> the patterns it stands for
        for number, pattern in enumerate(self.patterns):
            need = required_literals(pattern)
            if need is None:
                self._always |= 1 << number
                continue
            for literal in need:
                char = key_char(literal)
                self._bits[char] = self._bits.get(char, 0) | 1 << number
        chars = "".join(sorted(self._bits))
        self._find = re.compile(f"[{re.escape(chars)}]").findall if chars else None

    def candidates(self, folded: str) -> int:
        """Bit ``n`` set: pattern ``n`` may match ``folded`` (a :func:`fold` ed text)."""
        may = self._always
        if self._find is not None:
            bits = self._bits
            for char in set(self._find(folded)):
                may |= bits[char]
        return may
