"""A speech page with its concepts linked, its tags, the editor's notes and key
sentences, the concepts it uses and related speeches."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from .editorial import Editorial
from .glossary import Term
from .model import Block, Speech
from .occurrences import ConceptIndex, Occurrence, RelatedSpeech
from .render import Mark, display_title
from .site import (
    TERM_CLASS,
    term_page,
)
from .speech_layout import ConceptLine, Fragment, RelatedLine, render_speech
from .tags_page import speech_tags


def term_mark(occurrence: Occurrence, term: Term, *, first: bool = True) -> Mark:
    """The link of one concept occurrence in a speech paragraph (see pizhu-terms.js).

    Only the first link of a concept on a page carries its name and summary; the others
    are plain links that pizhu-terms.js completes from it (a concept used 40 times would
    otherwise repeat its summary 40 times in the page)."""
    if not first:
        return Mark(occurrence.start, occurrence.end, concept_href(term.id), css_class=TERM_CLASS)
    return concept_mark(occurrence.start, occurrence.end, term)


def concept_href(term_id: str) -> str:
    """A concept's page, from a speech page."""
    return f"../{term_page(term_id)}"


def concept_mark(start: int, end: int, term: Term) -> Mark:
    """A link to a concept's page from a speech page, with its summary as the tooltip."""
    href, data = _concept_link(term.id, term.summary, term.term)
    return Mark(start, end, href, css_class=TERM_CLASS, data=data)


@functools.lru_cache(maxsize=1 << 14)  # the same for every link to the concept
def _concept_link(term_id: str, summary: str, name: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    return concept_href(term_id), (("data-pz-tip", summary), ("data-pz-term", name))


def note_marks(text: str, index: ConceptIndex) -> list[Mark]:
    """Concept links in an editor's note, as in the speech (not counted as occurrences)."""
    if index.linker is None:
        return []
    return [
        concept_mark(hit.start, hit.end, index.terms[hit.term_id])
        for hit in index.linker.find(text)
    ]


# --- speech pages with their concepts ----------------------------------------------------


@dataclass(frozen=True)
class SpeechPageInputs:
    """What a speech page shows from outside the speech itself, other than the glossary:
    its tags, its concepts with their counts, and the related speeches. With the speech
    and the glossary, these are all a page's inputs (memo.py keys pages by them)."""

    tags: tuple[str, ...]
    concepts: tuple[ConceptLine, ...]
    related: tuple[RelatedLine, ...]


def speech_page_inputs(
    speech: Speech, index: ConceptIndex | None, related: Sequence[RelatedSpeech] | None = None
) -> SpeechPageInputs:
    """``related``: what ``index.related(speech.slug)`` gives (computed when not given)."""
    tags = tuple(speech_tags(speech, index))
    if index is None:
        return SpeechPageInputs(tags, (), ())
    concepts = tuple(
        _concept_line(tc.term.id, tc.term.term, tc.term.summary, tc.count)
        for tc in index.term_counts(speech.slug)
    )
    related = tuple(
        RelatedLine(display_title(r.speech), f"{r.speech.slug}.md", r.shared)
        for r in (index.related(speech.slug) if related is None else related)
    )
    return SpeechPageInputs(tags, concepts, related)


@functools.lru_cache(maxsize=1 << 16)  # a concept with a count recurs across speeches
def _concept_line(term_id: str, term: str, summary: str, count: int) -> ConceptLine:
    return ConceptLine(term, concept_href(term_id), count, summary)


def render_speech_page(
    speech: Speech,
    index: ConceptIndex | None,
    fragments: list[Fragment] | None = None,
    inputs: SpeechPageInputs | None = None,
) -> str:
    """A speech page: every concept in a paragraph linked, its concepts and related speeches
    at the end, its tags in the front matter. Headings are never linked (their occurrences
    still count). ``fragments``: see speech_layout.render_speech. ``inputs``: what
    :func:`speech_page_inputs` gives (computed when not given)."""
    if inputs is None:
        inputs = speech_page_inputs(speech, index)
    tags = list(inputs.tags)
    if index is None:
        return render_speech(speech, tags=tags, layers=Editorial(speech), fragments=fragments)
    layers = Editorial(speech, link=lambda text: note_marks(text, index))
    by_block: dict[int, list[Occurrence]] = {}
    for occurrence in index.in_speech(speech.slug):
        by_block.setdefault(occurrence.block, []).append(occurrence)

    described: set[str] = set()  # concepts whose summary is on the page already

    def marks(block_index: int, block: Block) -> list[Mark]:
        if block.kind != "paragraph":
            return []
        found = []
        for o in by_block.get(block_index, ()):
            found.append(term_mark(o, index.terms[o.term_id], first=o.term_id not in described))
            described.add(o.term_id)
        return found

    return render_speech(
        speech,
        marks,
        concepts=list(inputs.concepts),
        related=list(inputs.related),
        tags=tags,
        layers=layers,
        fragments=fragments,
    )
