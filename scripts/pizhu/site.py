"""Where things are on the site and the order of speeches: page paths, anchors, titles,
and the vocabulary the page modules share. The pages themselves (Markdown, in memory):
home_page, index_page (the speeches index), speech_pages, tags_page, glossary_pages,
concept_map, keys_page (金句).

All source text goes through render.py (the only escaping); the rest of the text on these
pages is ours, except a glossary entry's ``definition``, which an editor writes in Markdown
and is trusted as such. Every number about concepts comes from one
:class:`~pizhu.occurrences.ConceptIndex`, so links, counts and lists always agree.
"""

from __future__ import annotations

from collections.abc import Sequence

from .model import Speech
from .render import (
    display_title,
)

SITE_NAME = "讲话学习"
SPEECHES_INDEX = "speeches/index.md"
HOME = "index.md"
CONCEPT_MAP = "concepts.md"
CONCEPT_MAP_TITLE = "概念地图"
KEYS_PAGE = "key-sentences.md"  # keys_page.py writes it
TAGS_PAGE = "speeches/tags.md"
TAGS_TITLE = "按标签浏览"
# Slugs a speech must not have: its page would overwrite speeches/index.md or tags.md.
RESERVED_SLUGS = ("index", "tags")
EMPTY_CELL = "—"
HOME_LIST_LENGTH = 10  # speeches listed on the home page, newest first
HOME_TOP_CONCEPTS = 10  # most used concepts listed on the home page

GLOSSARY_DIR = "glossary"
GLOSSARY_INDEX = f"{GLOSSARY_DIR}/index.md"
GLOSSARY_TITLE = "概念"
TERM_CLASS = "pz-term"  # a concept linked in a speech paragraph (pizhu-terms.js, pizhu.css)
CONTEXT_WIDTH = 20  # characters of context either side of an occurrence on a term page
CONTEXTS_PER_SPEECH = 3  # occurrences of a speech shown with their context on a term page
SPEECHES_WITH_CONTEXTS = 30  # speeches (newest first) whose occurrences get contexts
NEVER_USED = "未出现"


def speech_page(speech: Speech) -> str:
    """Docs-relative path of a speech page."""
    return speech_page_of(speech.slug)


def speech_page_of(slug: str) -> str:
    """Docs-relative path of the page of the speech ``slug``."""
    return f"speeches/{slug}.md"


def term_page(term_id: str) -> str:
    """Docs-relative path of a concept's page."""
    return f"{GLOSSARY_DIR}/{term_id}.md"


def speech_anchor(slug: str) -> str:
    """The anchor of one speech's section on a concept's page (the concept map links it)."""
    return f"s-{slug}"


def year_of(speech: Speech) -> str:
    """ "2021" for a speech dated 2021, 2021-06 or 2021-06-28; "" when undated."""
    return speech.date[:4] if speech.date and speech.date[:4].isdigit() else ""


def sort_speeches(speeches: Sequence[Speech]) -> list[Speech]:
    """Newest first; undated speeches last; ties by title, then slug (deterministic).

    Dates are ISO prefixes (YYYY, YYYY-MM, YYYY-MM-DD), so string order is date order
    within a precision; a full date sorts before the bare year it belongs to.
    """
    dated = sorted(
        (s for s in speeches if s.date),
        key=lambda s: (_negate(s.date or ""), display_title(s), s.slug),
    )
    undated = sorted((s for s in speeches if not s.date), key=lambda s: (display_title(s), s.slug))
    return dated + undated


def _negate(date: str) -> tuple[int, ...]:
    """A sort key that orders ISO date prefixes newest first."""
    # The trailing 0 puts "2021" after every "2021-MM…" (all negative).
    return (*(-int(part) for part in date.split("-") if part.isdigit()), 0)


def one_line(text: str | None) -> str:
    """Source text on one line, its runs of white space as one space ("" for None)."""
    return " ".join((text or "").split())
