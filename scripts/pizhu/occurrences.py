"""Where every glossary concept occurs in the corpus: the linker run once over every block.

This is the one source of the numbers the site shows, so they always agree: the links in a
speech page, its 本文涉及概念 counts, the 相关讲话 list, the term pages' 出现于 lists and the
glossary index are all read from one :class:`ConceptIndex`.

What counts as an occurrence: every hit of :class:`~pizhu.link.Linker` (leftmost-longest,
non-overlapping) in every block of ``Speech.blocks``, headings included. The title and
subtitle are not blocks and are not counted. A paragraph occurrence is linked in place; a
heading is never linked (a link inside a heading would fight the heading's own permalink),
but its occurrences count, and the term page sends the reader to the paragraph that
follows the heading (the first paragraph of its section) — or, for a heading at the very
end of a truncated text, to the paragraph before it.

Pure: speeches and a glossary in, plain data out.
"""

from __future__ import annotations

import heapq
import operator
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from .glossary import Glossary, Term
from .link import Linker
from .model import Speech

RELATED_LIMIT = 5  # speeches listed under 相关讲话


class Occurrence(NamedTuple):  # (a tuple: a 2,000-term glossary finds half a million a build)
    """One occurrence of a concept in one block of one speech.

    ``speech.blocks[block].text[start:end] == surface``. ``paragraph`` is the 1-based
    number of the paragraph the occurrence is in, or ``None`` in a heading. ``target`` is
    the paragraph number a link to this occurrence points at (for a heading, the
    paragraph after it; ``None`` only when the speech has no paragraph at all).
    """

    term_id: str
    slug: str
    block: int
    start: int
    end: int
    surface: str
    paragraph: int | None
    target: int | None

    @property
    def in_heading(self) -> bool:
        return self.paragraph is None


_TERM_ID = operator.attrgetter("term_id")  # (in C)


class TermCount(NamedTuple):
    """How often one concept occurs in one speech (headings included). (A NamedTuple: a
    2,000-term glossary makes half a million.)"""

    term: Term
    count: int


@dataclass(frozen=True)
class RelatedSpeech:
    """Another speech and the number of distinct concepts it shares with this one."""

    speech: Speech
    shared: int


@dataclass(frozen=True)
class ConceptIndex:
    """Every occurrence of every concept, by speech and by term.

    ``speeches`` keep the order they were given in; that order breaks ties (pass them in
    the site's order so that ties read as the speeches index does). Build it with
    :func:`build_index`, which fills the lookup tables once (the site asks for every term
    of every speech: at 1,000 speeches and 2,000 terms a scan per question would not do).
    """

    glossary: Glossary
    speeches: tuple[Speech, ...]
    by_speech: Mapping[str, tuple[Occurrence, ...]]  # slug -> occurrences in text order
    by_term: Mapping[str, Mapping[str, tuple[Occurrence, ...]]]  # id -> slug -> occurrences
    terms: Mapping[str, Term]  # id -> entry
    linker: Linker | None = None  # what found them (links the editor's notes too)

    @cached_property
    def _positions(self) -> dict[str, int]:
        return {speech.slug: position for position, speech in enumerate(self.speeches)}

    @cached_property
    def _term_positions(self) -> dict[str, tuple[int, ...]]:
        """term id -> positions of the speeches it occurs in."""
        positions = self._positions
        return {
            term_id: tuple(positions[slug] for slug in groups)
            for term_id, groups in self.by_term.items()
        }

    @cached_property
    def _term_order(self) -> dict[str, int]:
        return {term_id: position for position, term_id in enumerate(self.terms)}

    def speech(self, slug: str) -> Speech:
        return self.speeches[self._positions[slug]]

    def in_speech(self, slug: str) -> tuple[Occurrence, ...]:
        return self.by_speech.get(slug, ())

    def of_term(self, term_id: str) -> Mapping[str, tuple[Occurrence, ...]]:
        """slug -> the term's occurrences in that speech, speeches in index order, none empty."""
        return self.by_term.get(term_id, {})

    @cached_property
    def _term_counts(self) -> dict[str, tuple[TermCount, ...]]:
        return {}  # slug -> term_counts, filled as the pages ask (four pages list them)

    def term_counts(self, slug: str) -> tuple[TermCount, ...]:
        """The concepts of one speech: most frequent first, ties in glossary order."""
        found = self._term_counts.get(slug)
        if found is None:
            found = self._term_counts[slug] = self._count_terms(slug)
        return found

    def _count_terms(self, slug: str) -> tuple[TermCount, ...]:
        counts = Counter(map(_TERM_ID, self.in_speech(slug)))
        order, terms = self._term_order, self.terms
        ranked = sorted(counts, key=lambda term_id: (-counts[term_id], order[term_id]))
        return tuple(TermCount(terms[term_id], counts[term_id]) for term_id in ranked)

    def totals(self, term_id: str) -> tuple[int, int]:
        """(speeches, occurrences) of one concept in the whole corpus."""
        groups = self.of_term(term_id)
        return len(groups), sum(len(hits) for hits in groups.values())

    @cached_property
    def _concept_bits(self) -> tuple[int, ...]:
        """Per speech (by position), its distinct concepts as the bits of one int."""
        order = self._term_order
        return tuple(
            sum(1 << order[term_id] for term_id in {o.term_id for o in self.in_speech(s.slug)})
            for s in self.speeches
        )

    def related(self, slug: str, limit: int = RELATED_LIMIT) -> list[RelatedSpeech]:
        """Speeches sharing the most distinct concepts with ``slug`` (at least one).

        Counted one of two ways, whichever is less work for this speech: through each of
        its concepts' speeches (few concepts, or rare ones), or, with hundreds of common
        concepts (a large glossary), as the bits two speeches have in common, one AND
        per speech. Both give the same counts (tests/test_occurrences.py)."""
        mine = {o.term_id for o in self.in_speech(slug)}
        me = self._positions.get(slug, -1)
        positions = self._term_positions
        if sum(len(positions[term_id]) for term_id in mine) <= 2 * len(self.speeches):
            best = self._related_by_concepts(mine, me, limit)
        else:
            best = self._related_by_bits(me, limit)
        return [RelatedSpeech(self.speeches[position], count) for position, count in best]

    def _related_by_concepts(self, mine: set[str], me: int, limit: int) -> list[tuple[int, int]]:
        """(position, shared concepts) of the ``limit`` speeches sharing the most with the
        speech at ``me``, ties in position order, counted through each of its concepts."""
        shared: Counter[int] = Counter()
        for term_id in mine:
            shared.update(self._term_positions[term_id])  # C speed: a hot loop at scale
        shared.pop(me, None)
        # The most shared first, then by position: the `limit` least (-count, position).
        best = heapq.nsmallest(limit, [(-count, position) for position, count in shared.items()])
        return [(position, -count) for count, position in best]

    def _related_by_bits(self, me: int, limit: int) -> list[tuple[int, int]]:
        """The same as _related_by_concepts, counted as the bits two speeches share: one AND
        and one bit count per speech, and the ranking, all in C loops (1,000 speeches: a
        million pairs)."""
        bits = self._concept_bits
        if me < 0:  # (not a speech of the index: it has no concepts)
            return []
        counts = list(map(int.bit_count, map(bits[me].__and__, bits)))
        counts[me] = 0
        # sorted is stable with reverse=True too: equal counts stay in position order.
        best = sorted(range(len(counts)), key=counts.__getitem__, reverse=True)[:limit]
        return [(position, counts[position]) for position in best if counts[position]]


def find_occurrences(speech: Speech, linker: Linker) -> tuple[Occurrence, ...]:
    """Every concept occurrence in the blocks of one speech, in text order."""
    numbers: list[int | None] = []  # paragraph number of each block (None: heading)
    number = 0
    for block in speech.blocks:
        if block.kind == "paragraph":
            number += 1
            numbers.append(number)
        else:
            numbers.append(None)
    found: list[Occurrence] = []
    for index, block in enumerate(speech.blocks):
        paragraph = numbers[index]
        target = paragraph if paragraph is not None else _heading_target(numbers, index)
        for start, end, term_id, surface in linker.spans(block.text):
            found.append(
                Occurrence(term_id, speech.slug, index, start, end, surface, paragraph, target)
            )
    return tuple(found)


def _heading_target(numbers: Sequence[int | None], index: int) -> int | None:
    """The paragraph a heading's occurrence points at: the next one, else the previous one."""
    following = [n for n in numbers[index + 1 :] if n is not None]
    if following:
        return following[0]
    preceding = [n for n in numbers[:index] if n is not None]
    return preceding[-1] if preceding else None


def build_index(
    speeches: Sequence[Speech],
    glossary: Glossary,
    *,
    linker: Linker | None = None,
    find: Callable[[Speech, Linker], tuple[Occurrence, ...]] = find_occurrences,
) -> ConceptIndex:
    """Run the glossary's linker over every block of every speech, once.

    ``linker`` (the glossary's, made here when not given) and ``find`` let a caller keep
    them between builds (memo.py); both must be what their defaults would compute."""
    linker = Linker(glossary) if linker is None else linker
    by_speech = {speech.slug: find(speech, linker) for speech in speeches}
    by_term: dict[str, dict[str, list[Occurrence]]] = {term.id: {} for term in glossary}
    for speech in speeches:
        for occurrence in by_speech[speech.slug]:
            by_term[occurrence.term_id].setdefault(speech.slug, []).append(occurrence)
    return ConceptIndex(
        glossary,
        tuple(speeches),
        by_speech,
        {
            term_id: {slug: tuple(hits) for slug, hits in groups.items()}
            for term_id, groups in by_term.items()
        },
        {term.id: term for term in glossary},
        linker,
    )
