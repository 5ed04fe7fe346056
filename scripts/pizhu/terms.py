"""Suggest phrases that could become glossary entries (growing glossary.yml).

Speeches mark their key formulations in two recognisable ways:

* quotation marks: “四个意识”, “三会一课”, “严管就是厚爱” (2–12 characters);
* numbered formulas: 两个维护, 四个意识, 五个过硬 (“X个Y”), and paired ones such as
  两学一做, 三超一疲劳, 四同四责 (numeral, word, numeral, word).

A phrase is suggested when it occurs in at least two speeches or at least three times,
and is not already a term or alias of the glossary. This is a pure function; the
``terms`` verb of the CLI prints its result for an editor to review — it proposes, a
person decides (many quoted phrases are slogans, not concepts).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .chars import HAN, HAN_CLASS, has_sentence_end
from .glossary import Glossary
from .model import Speech

_CJK = HAN_CLASS
_NUMERALS = "两三四五六七八九十"  # "一个" is too common to mean a formula
_ANY_NUMERAL = "一二两三四五六七八九十"

# Words that may follow a formula without breaking it: "“三会一课”制度", "五个过硬要求".
FORMULA_SUFFIXES: tuple[str, ...] = ("制度", "要求", "目标", "活动", "学习教育", "工作", "模式")

# "X个Y" where Y is a plain counted noun is a quantity, not a formula (“两个方面”).
COUNTED_NOUN_STOPLIST: frozenset[str] = frozenset(
    {
        "方面",
        "问题",
        "小时",
        "月",
        "星期",
        "阶段",
        "层面",
        "环节",
        "部门",
        "单位",
        "人",
        "地方",
        "领域",
        "批次",
        "季度",
        "年度",
        "百分点",
    }
)

_SUFFIX_LOOKAHEAD = "|".join(FORMULA_SUFFIXES)

# Quoted phrases. ASCII quotes are paired left to right (the structure stage turns them
# into “…”, but raw texts may still have them).
QUOTED = re.compile(
    r"""“([^“”\n]{2,12})”
      | 「([^「」\n]{2,12})」
      | 『([^『』\n]{2,12})』
      | "([^"\n]{2,12})"
    """,
    re.VERBOSE,
)

# 两个维护, 四个铁一般: a numeral not part of a larger number or an ordinal (第四个),
# "个", one to three characters, then punctuation, the end, or a formula suffix.
COUNTED_FORMULA = re.compile(
    rf"""(?<![第几这那每{_ANY_NUMERAL}百千万\d])
         [{_NUMERALS}]个[{_CJK}]{{1,3}}?
         (?=[^{_CJK}]|$|{_SUFFIX_LOOKAHEAD})
    """,
    re.VERBOSE,
)

# 两学一做, 三超一疲劳, 四同四责: standing on its own (not inside a longer run of
# characters such as 十九届二中全会), followed by punctuation, the end, or a suffix.
_WORD_CHAR = rf"(?:(?![{_ANY_NUMERAL}])[{_CJK}])"  # a character that is not a numeral
PAIRED_FORMULA = re.compile(
    rf"""(?<![{_CJK}])
         [{_ANY_NUMERAL}]{_WORD_CHAR}{{1,2}}?[{_ANY_NUMERAL}]{_WORD_CHAR}{{1,2}}?
         (?=[^{_CJK}]|$|{_SUFFIX_LOOKAHEAD})
    """,
    re.VERBOSE,
)

_WHITESPACE = re.compile(r"\s+")

_QUOTE_PAIRS = frozenset({"“”", "「」", "『』", '""'})

# Phrases at least this long are distinctive enough to count wherever they occur.
DISTINCTIVE_LENGTH = 4

EXAMPLE_CONTEXT = 20  # characters of context on either side of the example


@dataclass(frozen=True)
class Candidate:
    """A phrase worth considering for the glossary."""

    phrase: str
    count: int  # occurrences in all texts (quoted or not)
    speeches: tuple[str, ...]  # names of the texts it occurs in, in input order
    example: str  # the first occurrence with some context


def candidates(
    texts: Mapping[str, str] | Iterable[Speech],
    glossary: Glossary | None = None,
    *,
    min_speeches: int = 2,
    min_count: int = 3,
) -> list[Candidate]:
    """Quoted phrases and numbered formulas not yet in the glossary, most frequent first.

    ``texts`` maps a speech name to its text, or is a sequence of Speech (named by slug).
    A phrase of DISTINCTIVE_LENGTH characters or more is counted wherever it occurs; a
    shorter one (平安, 窗口) only where it is quoted or written as a formula, because
    ordinary words of two or three characters occur everywhere. Ties in frequency are
    ordered by phrase.

    >>> [c.phrase for c in candidates({"a": "增强“四个意识”。", "b": "树立四个意识，"})]
    ['四个意识']
    """
    named = _named_texts(texts)
    known = set(glossary.forms()) if glossary is not None else set()
    marked = {name: _phrases(text) for name, text in named.items()}
    phrases = set().union(*marked.values()) - known if marked else set()
    found = []
    for phrase in phrases:
        counts = []
        for name, text in named.items():
            if len(phrase) >= DISTINCTIVE_LENGTH:
                counts.append((name, text.count(phrase)))
            else:
                counts.append((name, marked[name][phrase]))
        where = tuple(name for name, count in counts if count)
        total = sum(count for _, count in counts)
        if len(where) >= min_speeches or total >= min_count:
            found.append(Candidate(phrase, total, where, _example(named[where[0]], phrase)))
    found.sort(key=lambda candidate: (-candidate.count, candidate.phrase))
    return found


def _named_texts(texts: Mapping[str, str] | Iterable[Speech]) -> dict[str, str]:
    if isinstance(texts, Mapping):
        return dict(texts)
    named = {}
    for speech in texts:
        lines = [speech.title or "", *(block.text for block in speech.blocks)]
        named[speech.slug] = "\n".join(lines)
    return named


def _phrases(text: str) -> Counter[str]:
    """Every quoted phrase and numbered formula in one text, with how often it is marked."""
    found: Counter[str] = Counter()
    for match in QUOTED.finditer(text):
        phrase = next(group for group in match.groups() if group is not None).strip()
        if 2 <= len(phrase) <= 12 and HAN.search(phrase) and not has_sentence_end(phrase):
            found[phrase] += 1
    for match in COUNTED_FORMULA.finditer(text):
        if _counted_noun(match.group()) not in COUNTED_NOUN_STOPLIST and not _quoted(text, match):
            found[match.group()] += 1
    for match in PAIRED_FORMULA.finditer(text):
        if not _quoted(text, match):
            found[match.group()] += 1
    return found


def _counted_noun(formula: str) -> str:
    return formula.split("个", 1)[1]


def _quoted(text: str, match: re.Match[str]) -> bool:
    """Whether a formula match is exactly a quoted phrase (already counted as one)."""
    before = text[match.start() - 1 : match.start()]
    after = text[match.end() : match.end() + 1]
    return before + after in _QUOTE_PAIRS


def _example(text: str, phrase: str) -> str:
    """The first occurrence of ``phrase`` with context, on one line."""
    index = text.index(phrase)
    start = max(0, index - EXAMPLE_CONTEXT)
    end = min(len(text), index + len(phrase) + EXAMPLE_CONTEXT)
    snippet = _WHITESPACE.sub(" ", text[start:end]).strip()
    return ("…" if start > 0 else "") + snippet + ("…" if end < len(text) else "")
