"""Tags of speech pages (Material's tags plugin) and speeches/tags.md, which lists them."""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence

from .model import Speech
from .occurrences import ConceptIndex
from .render import (
    escape_tag,
    title_front_matter,
)
from .site import (
    CONCEPT_MAP,
    CONCEPT_MAP_TITLE,
    TAGS_TITLE,
    one_line,
    year_of,
)

# --- tags (Material's tags plugin) -----------------------------------------------------

# Kinds of tags, in the order of the tags page. A name that is of two kinds (a sidecar tag
# that is also a concept) is listed once, under the first kind in TAG_PRIORITY.
TAG_CONCEPT = "概念"
TAG_SPEAKER = "讲话人"
TAG_OCCASION = "场合"
TAG_YEAR = "年份"
TAG_EDITOR = "其他标签"
TAG_KINDS = (TAG_CONCEPT, TAG_SPEAKER, TAG_OCCASION, TAG_YEAR, TAG_EDITOR)
TAG_PRIORITY = (TAG_CONCEPT, TAG_YEAR, TAG_SPEAKER, TAG_OCCASION, TAG_EDITOR)
# A speech is tagged with its most frequent concepts only: a concept said once in passing
# would make every tag list a copy of 本文涉及概念.
TAG_CONCEPT_LIMIT = 5
TAG_CONCEPT_MIN_COUNT = 2
TAGS_MARKER = "material/tags"  # the tags plugin's listing directive (listings_directive)


def speech_tag_kinds(speech: Speech, index: ConceptIndex | None) -> list[tuple[str, str]]:
    """(kind, tag name) of one speech, in display order: year, speaker, occasion, the
    sidecar's tags, then up to TAG_CONCEPT_LIMIT concepts it uses at least
    TAG_CONCEPT_MIN_COUNT times. Names are plain text (escaped when written)."""
    found: list[tuple[str, str]] = []
    if year_of(speech):
        found.append((TAG_YEAR, f"{year_of(speech)}年"))
    if one_line(speech.speaker):
        found.append((TAG_SPEAKER, one_line(speech.speaker)))
    if one_line(speech.occasion):
        found.append((TAG_OCCASION, one_line(speech.occasion)))
    found += [(TAG_EDITOR, one_line(tag)) for tag in speech.tags if one_line(tag)]
    if index is not None:  # (most frequent first: those used often enough are a prefix)
        counts = index.term_counts(speech.slug)[:TAG_CONCEPT_LIMIT]
        found += [
            (TAG_CONCEPT, tc.term.term)
            for tc in itertools.takewhile(lambda tc: tc.count >= TAG_CONCEPT_MIN_COUNT, counts)
        ]
    unique: dict[str, str] = {}
    for kind, name in found:
        unique.setdefault(name, kind)
    return [(kind, name) for name, kind in unique.items()]


def speech_tags(speech: Speech, index: ConceptIndex | None) -> list[str]:
    """The tags of a speech page's front matter (escaped for the theme)."""
    return [escape_tag(name) for _, name in speech_tag_kinds(speech, index)]


def tag_groups(
    speeches: Sequence[Speech], index: ConceptIndex | None
) -> list[tuple[str, list[str]]]:
    """(kind, tag names) for the tags page: every tag of every speech exactly once."""
    kinds: dict[str, set[str]] = {}
    for speech in speeches:
        for kind, name in speech_tag_kinds(speech, index):
            kinds.setdefault(name, set()).add(kind)
    groups: dict[str, list[str]] = {kind: [] for kind in TAG_KINDS}
    for name, found in kinds.items():
        groups[next(k for k in TAG_PRIORITY if k in found)].append(name)
    return [(kind, sorted(names)) for kind, names in groups.items() if names]


def render_tags_page(speeches: Sequence[Speech], index: ConceptIndex | None) -> str:
    """docs/speeches/tags.md: the tags plugin's listings, one per kind of tag.

    Each listing is a ``<!-- material/tags { include: [...] } -->`` directive naming its
    tags, so the page reads 概念 / 讲话人 / 场合 / 年份 instead of one long list. The names
    are escaped like the pages' own tags (the plugin compares them exactly), written as
    JSON strings (valid YAML); an escaped name cannot contain ``-->``.
    """
    lines = [
        # Out of search: a phrase would find the tag names here as well as in the speeches.
        title_front_matter(TAGS_TITLE, search_exclude=True) + f"# {TAGS_TITLE}",
        "",
    ]
    groups = tag_groups(speeches, index)
    if not groups:
        lines += ["还没有收录讲话。", "{: .pz-lead }", ""]
        return "\n".join(lines)
    lines += [
        "每篇讲话按主要概念、讲话人、场合、年份和编辑加的标签归类；讲话页标题上方的标签也链接到这里。"
        "概念标签只给讲话中出现两次以上的概念（每篇最多 "
        f"{TAG_CONCEPT_LIMIT} 个），全部出现位置见[{CONCEPT_MAP_TITLE}](../{CONCEPT_MAP})。",
        "{: .pz-lead }",
        "",
    ]
    for kind, names in groups:
        include = json.dumps([escape_tag(name) for name in names], ensure_ascii=False)
        lines += [f"## {kind}", "", f"<!-- {TAGS_MARKER} {{ include: {include} }} -->", ""]
    return "\n".join(lines)
