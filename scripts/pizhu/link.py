"""Find glossary concepts in running Chinese text, all terms in one pass.

Chinese has no word boundaries, so a concept is found wherever one of its surface forms
(term or alias) occurs: inside a sentence, inside “…” quotes, next to Markdown or HTML
residue. Matches are leftmost-longest and never overlap: scanning left to right, the
earliest match wins, and among matches starting at the same place the longest one
(全面从严治党 rather than 从严治党). The text itself is never changed; the caller gets
offsets into it and decides how to render them.

A form is also found as speakers write it (variants.py): with quotation marks or spaces
inside (两个“维护”), a list with other separators, 和, no separator or its items in
another order (对党忠诚，服务人民，执法公正和纪律严明), a redaction where the form has a
name (XX法治思想). Two guards keep links honest: a match that would cut a coordination
in two (全面从严治党治警: 治党 and 治警 share 全面从严) is not taken, and a list's items must
stand side by side, so the items of two sentences never make one match.

Design: one Aho-Corasick automaton (or, for a small glossary, one regex) over every plain
form and every list item, written in plain Python, run over the text's view (quotes and
spaces dropped, separators unified, redactions as one wildcard; see variants.view_of).
The automaton reads each character once, whatever the number of terms, and reports every
form ending there. List items found side by side are chained into list matches (few:
only items of list-type forms take part); then the leftmost-longest, non-overlapping
matches are picked and mapped back to spans of the original text, widened over a quote
mark the span would otherwise leave unpaired.

Measured on the data tests/test_link.py::benchmark generates (synthetic terms and
8,000-character speeches drawn from the character frequencies of the bundled corpus,
CPython 3.11), per 800,000 characters of text:

    terms   this automaton   one trie-shaped regex   flat alternation, longest first
       50       0.08 s             0.013 s                  0.013 s
      200       0.10 s             0.08 s                   0.10 s
     2000       0.13 s             1.5 s                    2.1 s

The regex engine tries the alternatives at a position one after another, so its cost
grows with the number of distinct first characters; the automaton costs one dict lookup
per character whatever the glossary size. So both are kept, and the glossary picks
(REGEX_FIRST_CHARS): a small one (the bundled glossary, a department's few hundred
concepts) is found by one trie-shaped regex that Python steps through once per start of a
key; a large one by the automaton. Both report the same keys (tests/test_link.py runs
every case and the reference comparisons on both). No third-party package is needed.

The variants cost about an eighth more: the linking stage of scripts/bench.py (1,000
speeches of 8,200 characters, 2,000 terms, ~510 occurrences per speech), CPU time, best
of three on a busy 2-core machine: 11.1 s with exact forms only, 12.6 s with variants
(building the view ~0.9 s, chaining list items ~0.3 s).
"""

from __future__ import annotations

import re
import sys
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from .glossary import Glossary
from .variants import (
    LINK_QUOTE_PAIRS,
    LINK_SYMMETRIC_QUOTES,
    LIST_CONJUNCTION,
    LIST_MARK,
    WILDCARD,
    Pattern,
    balance_quotes,
    compile_form,
    cuts_coordination,
    view_of,
)

# What may stand between two items of a list in the view (besides nothing at all).
_JOINERS = LIST_MARK + LIST_CONJUNCTION
#: Which engine finds the keys (see _keys_by_regex); "auto" picks by REGEX_FIRST_CHARS.
Engine = Literal["auto", "automaton", "regex"]
#: Up to this many distinct first characters of keys, the regex engine finds them; above
#: it, the automaton. Measured on 8,000 blocks of the bench corpus (CPU, 2-core machine):
#: first characters 56: automaton 0.18 s, regex 0.05 s; 92: 0.23 / 0.10; 150: 0.25 /
#: 0.22; 213: 0.26 / 0.37; 371: 0.29 / 1.50 (the regex engine tries the branches of a
#: position one after another, the automaton makes one dict lookup per character).
REGEX_FIRST_CHARS = 150


@dataclass(frozen=True, slots=True)
class Hit:
    """One occurrence of a concept: ``text[start:end] == surface``."""

    start: int
    end: int
    term_id: str
    surface: str


class Linker:
    """A matcher for every form of every term of a glossary, built once, used per block.

    >>> linker = Linker.from_forms({"从严治党": "a", "全面从严治党": "b", "四风": "c"})
    >>> [(h.surface, h.term_id) for h in linker.find("坚持全面从严治党，反对“四风”。")]
    [('全面从严治党', 'b'), ('四风', 'c')]
    >>> [h.surface for h in linker.find("纠治“四”风，全面从严治党治警")]
    ['“四”风']
    """

    def __init__(self, glossary: Glossary, engine: Engine = "auto") -> None:
        self._build(glossary.forms(), engine)

    @classmethod
    def from_forms(cls, forms: Mapping[str, str], engine: Engine = "auto") -> Linker:
        """Build from ``surface form -> term id`` directly (tests, benchmarks)."""
        linker = cls.__new__(cls)
        linker._build(forms, engine)
        return linker

    def _build(self, forms: Mapping[str, str], engine: Engine) -> None:
        if any(not form for form in forms):
            raise ValueError("a surface form must not be empty")
        self._patterns = _patterns(forms)
        self._term_ids = [pattern.term_id for pattern in self._patterns]
        self._quoted_only = {n for n, pattern in enumerate(self._patterns) if pattern.quoted_only}
        # Every string the automaton looks for, and what finding it means, as codes: a
        # code >= 0 is the number of the plain pattern the string is the whole of; a code
        # < 0 (-1 - key) says the string is an item of list patterns (_items[key]: pattern
        # number -> positions of the string among that pattern's items).
        keys: dict[str, list[int]] = {}
        items: list[dict[int, list[int]]] = []
        for number, pattern in enumerate(self._patterns):
            for position, item in enumerate(pattern.items):
                codes = keys.setdefault(item, [])
                if not pattern.is_list:
                    codes.append(number)
                    continue
                if not codes or codes[-1] >= 0:
                    codes.append(-1 - len(items))
                    items.append({})
                items[-1 - codes[-1]].setdefault(number, []).append(position)
        self._items = [{n: tuple(p) for n, p in by.items()} for by in items]
        if engine == "auto":
            small = len({key[0] for key in keys}) <= REGEX_FIRST_CHARS
            engine = "regex" if small else "automaton"
        self.engine = engine
        # Only the chosen engine is built. The automaton: see _automaton. The regex: one
        # trie-shaped pattern finds the longest key at each start; the keys that are
        # prefixes of it (its own included) are what else starts there.
        self._goto, self._fail, self._ends = (
            _automaton(keys) if engine == "automaton" else ([], [], [])
        )
        self._regex = _trie_regex(keys) if engine == "regex" else None
        self._prefixes = {
            key: tuple((len(k), code) for k in _prefixes_in(key, keys) for code in keys[k])
            for key in (keys if engine == "regex" else ())
        }

    def find(self, text: str) -> list[Hit]:
        """All leftmost-longest, non-overlapping occurrences of any form, in text order."""
        return [Hit(*span) for span in self.spans(text)]

    def spans(self, text: str) -> list[tuple[int, int, str, str]]:
        """:meth:`find` as plain tuples (start, end, term id, surface): no object per hit,
        for callers that make their own (a 2,000-term glossary finds half a million)."""
        view = view_of(text)
        seen = view.text
        found = self._keys_by_regex(seen) if self._regex else self._keys_by_automaton(seen)
        if not found:
            return []
        if self._items:
            items_at: dict[int, list[tuple[int, int]]] = {}  # start -> (end, key)
            for start, end, code in found:
                if code < 0:
                    items_at.setdefault(start, []).append((-end, -1 - code))
            if items_at:
                self._chain(seen, items_at, found)
        # Leftmost first; at the same start, longest first; skip whatever overlaps a pick.
        found.sort()
        hits: list[tuple[int, int, str, str]] = []
        term_ids, quoted_only, size = self._term_ids, self._quoted_only, len(seen) - 1
        identity, wild_ends = view.identity, view.wild_ends
        starts, origins, pieces, piece = view.starts, view.origins, len(view.starts), 0
        position = 0  # in the view
        floor = 0  # in the text: the end of the last hit
        for start, end, code in found:
            end = -end
            if start < position or code < 0:
                continue
            # (the first test is cuts_coordination's cheapest part, inlined: a hot loop)
            if end < size and seen[end] == seen[end - 2] and cuts_coordination(seen, end):
                continue
            if identity:
                first, last = start, end
            else:  # view.span, walking the pieces forward with the matches
                while piece + 1 < pieces and starts[piece + 1] <= start:
                    piece += 1
                tail = piece
                while tail + 1 < pieces and starts[tail + 1] < end:
                    tail += 1
                first = origins[piece] + start - starts[piece]
                last = wild_ends.get(end - 1) or origins[tail] + end - starts[tail]
            if code in quoted_only and not _quoted(text, first, last):
                continue
            if last - first != end - start:  # something dropped inside: maybe a quote
                first, last = balance_quotes(text, first, last, floor)
            # (interned: the same few surfaces recur millions of times in a large corpus)
            hits.append((first, last, term_ids[code], sys.intern(text[first:last])))
            position, floor = end, last
        return hits

    def _keys_by_automaton(self, seen: str) -> list[tuple[int, int, int]]:
        """Every key occurrence in ``seen`` as (start, -end, code)."""
        goto, fail, ends = self._goto, self._fail, self._ends
        stops: list[tuple[int, int]] = []  # (end, state) where some key ends
        state = 0
        for stop, char in enumerate(seen, 1):
            while state and char not in goto[state]:
                state = fail[state]
            state = goto[state].get(char, 0)
            if ends[state]:
                stops.append((stop, state))
        # (start, -end, code) in the view: sorted as it is, leftmost first and at the
        # same start longest first (a key function would cost a call per match).
        return [
            (stop - length, -stop, code) for stop, state in stops for length, code in ends[state]
        ]

    def _keys_by_regex(self, seen: str) -> list[tuple[int, int, int]]:
        """The same as _keys_by_automaton, found by the regex engine in C: the longest
        key at the next start, then the shorter keys it begins with, then on from the next
        character (keys overlap). Python runs once per start of a key, not per character."""
        search, prefixes = self._regex.search, self._prefixes
        found: list[tuple[int, int, int]] = []
        match = search(seen)
        while match is not None:
            start = match.start()
            found.extend((start, -start - length, code) for length, code in prefixes[match[0]])
            match = search(seen, start + 1)
        return found

    def _chain(
        self,
        seen: str,
        items_at: dict[int, list[tuple[int, int]]],
        found: list[tuple[int, int, int]],
    ) -> None:
        """Add to ``found`` the list matches: every item of a list pattern once, side by side.

        Between two items the view has a list mark, 和, or nothing. A plain list takes its
        items in any order; any other list in its own order. Only items of list patterns
        are looked at, so this costs next to nothing on text without them.
        """
        patterns, items = self._patterns, self._items
        size = len(seen)

        def extend(number: int, count: int, used: int, end: int, start: int) -> None:
            pattern = patterns[number]
            if count == len(pattern.items):
                found.append((start, -end, number))
                return
            following = (end, end + 1) if end < size and seen[end] in _JOINERS else (end,)
            for at in following:
                for item_end, key in items_at.get(at, ()):
                    for position in items[key].get(number, ()):
                        if used >> position & 1 or (not pattern.any_order and position != count):
                            continue
                        extend(number, count + 1, used | 1 << position, item_end, start)

        for start, entries in items_at.items():
            for end, key in entries:
                for number, positions in items[key].items():
                    for position in positions:
                        if patterns[number].any_order or position == 0:
                            extend(number, 1, 1 << position, end, start)


def _patterns(forms: Mapping[str, str]) -> list[Pattern]:
    """Every pattern of every form, in glossary order, each way of matching once.

    Two terms matching the same text: the first in glossary order keeps it (glossary.py
    refuses such forms), except a redaction that could stand for either name, which
    stands for neither.
    """
    chosen: dict[tuple[tuple[str, ...], bool], Pattern] = {}
    ambiguous: set[tuple[tuple[str, ...], bool]] = set()
    for form, term_id in forms.items():
        for pattern in compile_form(form, term_id):
            items = tuple(sorted(pattern.items)) if pattern.any_order else pattern.items
            canonical = (items, pattern.any_order)
            if canonical not in chosen:
                chosen[canonical] = pattern
            elif chosen[canonical].term_id != term_id and any(WILDCARD in i for i in items):
                ambiguous.add(canonical)
    return [pattern for key, pattern in chosen.items() if key not in ambiguous]


def _automaton(
    keys: Mapping[str, list[int]],
) -> tuple[list[dict[str, int]], list[int], list[tuple[tuple[int, int], ...]]]:
    """The Aho-Corasick automaton of ``keys`` (key -> codes): (goto, fail, ends).

    State 0 is the root. goto[state][char] -> next state (the trie edges); fail[state] ->
    the state for the longest proper suffix that is also a trie path; ends[state] ->
    (length, code) of the keys that end when this state is reached.
    """
    goto: list[dict[str, int]] = [{}]
    ends: list[tuple[tuple[int, int], ...]] = [()]
    for key in sorted(keys):  # sorted: the same automaton on every run
        state = 0
        for char in key:
            following = goto[state].get(char)
            if following is None:
                following = len(goto)
                goto[state][char] = following
                goto.append({})
                ends.append(())
            state = following
        ends[state] = tuple((len(key), code) for code in keys[key])
    fail = [0] * len(goto)
    queue = deque(goto[0].values())  # depth 1 fails to the root
    while queue:
        state = queue.popleft()
        for char, child in goto[state].items():
            queue.append(child)
            fallback = fail[state]
            while fallback and char not in goto[fallback]:
                fallback = fail[fallback]
            target = goto[fallback].get(char, 0)
            fail[child] = target if target != child else 0
            ends[child] = ends[child] + ends[fail[child]]
    return goto, fail, ends


def _prefixes_in(key: str, keys: Mapping[str, object]) -> list[str]:
    """The keys that ``key`` starts with, itself included."""
    return [key[:n] for n in range(1, len(key) + 1) if key[:n] in keys]


def _trie_regex(keys: Iterable[str]) -> re.Pattern[str]:
    """One pattern matching, at any position, the longest of ``keys`` that starts there."""
    trie: dict[str, dict] = {}
    for key in keys:
        node = trie
        for char in key:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict[str, dict]) -> str:
        branches = [
            re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return re.compile(pattern(trie) or "(?!)")  # (no keys: a pattern that never matches)


def _quoted(text: str, start: int, end: int) -> bool:
    """Is ``text[start:end]`` exactly a quoted phrase (“××姓党”)?"""
    if start == 0 or end >= len(text):
        return False
    before, after = text[start - 1], text[end]
    return LINK_QUOTE_PAIRS.get(before) == after or before == after in LINK_SYMMETRIC_QUOTES
