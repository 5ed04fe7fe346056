"""The plain data that flows between the stages. No behaviour beyond (de)serialisation."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

BlockKind = Literal["heading", "paragraph"]


@dataclass(frozen=True)
class SourceLine:
    """A line of the decoded source that survived cleaning.

    ``number`` is the 1-based line number in the decoded source (after line-end
    normalisation), so removals and kept text can be traced back to the file.
    ``hard_break`` says an explicit paragraph end (``</p>``, ``<br>``) followed this text
    in the source, so the re-joining of wrapped lines must not continue across it.
    Blank lines are kept (text ``""``): they separate paragraphs.
    """

    number: int
    text: str
    hard_break: bool = False


@dataclass(frozen=True)
class Removal:
    """One piece of text the cleaner removed, and why (the 整理说明 record)."""

    line: int
    text: str
    reason: str  # Chinese, shown to readers and editors
    rule: str = ""  # the rule's name (ASCII), for tests and debugging

    def to_json(self) -> dict[str, Any]:
        return {"line": self.line, "text": self.text, "reason": self.reason}


@dataclass(frozen=True)
class Cleaned:
    """What clean() returns: the kept lines, the removal log, and facts for later stages."""

    lines: tuple[SourceLine, ...]
    removed: tuple[Removal, ...]
    # Metadata text found inside removed noise, e.g. the title in a "本文标题:…" footer:
    # (rule name, captured text) pairs, in source order.
    captured: tuple[tuple[str, str], ...] = ()
    # Source line numbers of removed markers that mean "the text stops here"
    # (paywall prompts, "阅读全文>>" …). structure() sets `truncated` when one of them
    # comes after the last kept text.
    truncation_markers: tuple[int, ...] = ()
    # Source line numbers of end marks ("（全文完）"): the speech is complete up to there.
    end_marks: tuple[int, ...] = ()
    # Source line numbers of markers that say text was hidden there ("此处隐藏5120个字").
    gaps: tuple[int, ...] = ()


@dataclass(frozen=True)
class Block:
    """A heading (level 2 or 3) or a paragraph of the speech body."""

    kind: BlockKind
    text: str
    level: int | None = None
    line: int = 0  # source line where the block starts

    def to_json(self) -> dict[str, Any]:
        if self.kind == "heading":
            return {"kind": "heading", "level": self.level, "text": self.text}
        return {"kind": "paragraph", "text": self.text}


# Where an annotation or key sentence sits: the index of its block in ``Speech.blocks``,
# or TITLE_BLOCK for the title (its text with whitespace collapsed, as the page shows it).
TITLE_BLOCK = -1


@dataclass(frozen=True)
class QuoteSpec:
    """An ``annotations`` or ``key_sentences`` item of a sidecar, as the editor wrote it.

    ``quote`` is words of the speech (matched after punctuation normalisation, see
    annotate.py); ``nth`` picks one occurrence when the words occur more than once;
    ``note`` is the editor's note (plain text; empty for a key sentence); ``line`` is the
    sidecar line of the item, for messages.
    """

    quote: str
    note: str = ""
    nth: int | None = None
    line: int = 0


@dataclass(frozen=True)
class Annotation:
    """An editor's note anchored to words of the speech: ``text[start:end]`` of the block
    ``block`` (or the title). ``number`` is its 注N, counted in text order from 1;
    ``paragraph`` the number of its paragraph (None in a heading or the title)."""

    number: int
    block: int
    start: int
    end: int
    quote: str  # the words as they stand in the speech
    note: str
    paragraph: int | None = None
    line: int = 0  # sidecar line


@dataclass(frozen=True)
class KeySentence:
    """A 金句: ``text[start:end]`` of block ``block`` (or the title), in text order."""

    block: int
    start: int
    end: int
    text: str  # as it stands in the speech
    paragraph: int | None = None
    line: int = 0  # sidecar line


@dataclass(frozen=True)
class Speech:
    """A cleaned, structured speech: the output of the text pipeline."""

    slug: str
    title: str | None
    subtitle: str | None = None
    speaker: str | None = None
    occasion: str | None = None
    date: str | None = None  # YYYY-MM-DD, YYYY-MM or YYYY
    truncated: bool = False  # the copy is incomplete: cut off at the end, or gaps
    blocks: tuple[Block, ...] = ()
    removed: tuple[Removal, ...] = ()
    tags: tuple[str, ...] = ()
    notes: str | None = None  # editorial note from the sidecar (plain text)
    source_name: str = ""  # file name in sources/
    encoding: str = ""  # what decode() found
    # The editor's notes and key sentences from the sidecar, found in the text
    # (annotate.py), in text order: title, then the blocks.
    annotations: tuple[Annotation, ...] = ()
    key_sentences: tuple[KeySentence, ...] = ()
    # Source lines where the site hid part of the speech (a gap: ``truncated`` is set).
    gaps: tuple[int, ...] = ()

    @property
    def paragraphs(self) -> tuple[Block, ...]:
        return tuple(b for b in self.blocks if b.kind == "paragraph")

    @cached_property  # (four pages show it)
    def char_count(self) -> int:
        """Characters of body text (headings and paragraphs, no whitespace)."""
        return sum(len("".join(b.text.split())) for b in self.blocks)

    def to_json(self) -> dict[str, Any]:
        """The CLI contract of ``build.py clean FILE --json``."""
        return {
            "title": self.title,
            "subtitle": self.subtitle,
            "speaker": self.speaker,
            "occasion": self.occasion,
            "date": self.date,
            "truncated": self.truncated,
            "blocks": [b.to_json() for b in self.blocks],
            "removed": [r.to_json() for r in self.removed],
        }


@dataclass(frozen=True)
class Sidecar:
    """Editorial overrides from ``sources/<name>.yml``. ``None`` means "not given"."""

    title: str | None = None
    subtitle: str | None = None
    speaker: str | None = None
    occasion: str | None = None
    date: str | None = None
    tags: tuple[str, ...] | None = None
    # Lines to force-keep / force-drop: a 1-based source line number or the exact
    # (stripped) text of the line.
    keep: tuple[int | str, ...] = ()
    drop: tuple[int | str, ...] = ()
    notes: str | None = None
    # The editor's notes and key sentences (annotate.py finds them in the speech).
    annotations: tuple[QuoteSpec, ...] = ()
    key_sentences: tuple[QuoteSpec, ...] = ()
    path: str = ""
    field_lines: dict[str, int] = field(default_factory=dict)
    # The sidecar line of each item of a list field ("keep" -> (4, 5)), for messages.
    item_lines: dict[str, tuple[int, ...]] = field(default_factory=dict)
