"""Cleaned lines -> a structured Speech: title block, metadata, headings, paragraphs.

The stage runs in four steps, each a small function over plain data:

1. :func:`title_block.read_head` — the title block at the top: title (one line, or two
   joined with a space), a "——…" subtitle, and in any order a date line and a speaker
   line. The title is the head line that looks most like one where a title stands
   (:func:`title_block.choose_title`); site furniture above it (a file name, a posting
   date, a running header) is logged.
2. :func:`title_block.speech_facts` — speaker and occasion from "X在Y上的讲话" in the
   title, the subtitle, or a removed "本文标题:…" footer the cleaner captured.
3. :func:`rejoin.join_wrapped` — physical lines -> logical paragraphs. PDF copies break
   paragraphs at a fixed width (and around removed page markers); clean copies have one
   paragraph per line and must come through unchanged.
4. :func:`to_blocks` (here) — each logical line becomes a heading ("一、…" level 2,
   "（一）…" level 3; a heading glued to its paragraph is split at the first "。") or a
   paragraph.

What a line is (sentence ends, width, indentation, numbered headings) is in lines.py,
shared by the steps. Punctuation and whitespace are normalised by
:mod:`pizhu.punctuation` on every title, subtitle, heading and paragraph. Redactions
("XX", "××", "某某") are kept as written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .lines import SENTENCE_END, ends_with, heading_level, split_heading
from .model import Block, Cleaned, Speech
from .punctuation import normalize
from .rejoin import LogicalLine, detect_wrap, join_wrapped
from .title_block import (
    find_repeated_title,
    name_title_repeats,
    parse_date,
    parse_speaker_line,
    read_head,
    speech_facts,
)

# --- Step 4: headings and paragraphs ----------------------------------------------------


def to_blocks(line: LogicalLine) -> list[Block]:
    """One logical line -> a heading, a heading plus its glued paragraph, or a paragraph."""
    text = normalize(line.text)
    if not text:
        return []
    parts = split_heading(text)
    if parts is None:
        return [Block("paragraph", text, None, line.number)]
    heading, rest = parts
    blocks = [Block("heading", heading, heading_level(text), line.number)]
    if rest:
        blocks.append(Block("paragraph", rest, None, line.number))
    return blocks


@dataclass(frozen=True)
class Closing:
    """A signature under the speech: its speaker and date lines (metadata, not text)."""

    speaker: str | None = None
    date: str | None = None


def split_closing(logical: list[LogicalLine]) -> tuple[list[LogicalLine], Closing]:
    """Take a closing signature off the end of the body: official texts often end with the
    date ("2023年5月") and sometimes the speaker's line. They are metadata, like the same
    lines under the title; as paragraphs they would make the speech look cut off."""
    speaker = date = None
    end = len(logical)
    while end > 1 and end > len(logical) - 2:
        text = logical[end - 1].text.strip()
        if (found := parse_date(text)) and date in (None, found):  # (the same date twice)
            date = found
        elif speaker is None and (found := parse_speaker_line(text)):
            speaker = found
        else:
            break
        end -= 1
    return logical[:end], Closing(speaker=speaker, date=date)


def is_truncated(blocks: Sequence[Block], cleaned: Cleaned, last_text_line: int) -> bool:
    """Does the speech stop before its end?

    An end mark after the text ("（全文完）") says it is complete. Otherwise a paywall or
    "阅读全文" marker after the text, a final heading with nothing under it, or a last
    paragraph without closing punctuation means the copy was cut off.
    """
    if any(n > last_text_line for n in cleaned.end_marks):
        return False
    if any(n > last_text_line for n in cleaned.truncation_markers):
        return True
    if not blocks:
        return False
    last = blocks[-1]
    return last.kind == "heading" or not ends_with(last.text, SENTENCE_END)


# --- The stage --------------------------------------------------------------------------


def structure(cleaned: Cleaned, *, slug: str, source_name: str = "", encoding: str = "") -> Speech:
    """Turn the cleaner's kept lines into a Speech (title, metadata, blocks, removal log)."""
    lines = cleaned.lines
    wrap = detect_wrap(lines)
    head = read_head(lines, wrap)
    body = lines[head.body_start :]
    if wrap is None:
        # A title or subtitle line set wider than the body hides a wrapped body.
        wrap = detect_wrap(body)
    repeated = find_repeated_title(head, body)
    kept_body = [line for index, line in enumerate(body) if index not in repeated]
    kept_numbers = {line.number for line in kept_body if line.text.strip()}
    # Source lines with nothing left on them: what the cleaner removed, and the repeats.
    removed_numbers = {r.line for r in cleaned.removed} | {
        r.line for r in repeated.values() if r.line not in kept_numbers
    }
    logical = join_wrapped(kept_body, removed_numbers, wrap)
    logical, closing = split_closing(logical)
    blocks = tuple(block for line in logical for block in to_blocks(line))
    speaker, occasion, date = speech_facts(head, cleaned.captured)
    speaker = speaker or closing.speaker
    date = date or closing.date
    text_lines = [*lines[: head.body_start], *kept_body]
    last_text_line = max((line.number for line in text_lines if line.text.strip()), default=0)
    removed = tuple(
        sorted(
            (
                name_title_repeats(r, head.title)
                for r in (*cleaned.removed, *head.removed, *repeated.values())
            ),
            key=lambda r: r.line,
        )
    )
    # No title line in the text: the site's own "本文标题:…" footer is the best title left.
    footer_titles = [normalize(text) for name, text in cleaned.captured if "title" in name]
    title = head.title or (footer_titles[0] if footer_titles else None)
    return Speech(
        slug=slug,
        title=title,
        subtitle=head.subtitle,
        speaker=speaker,
        occasion=occasion,
        date=date,
        truncated=bool(cleaned.gaps) or is_truncated(blocks, cleaned, last_text_line),
        gaps=cleaned.gaps,
        blocks=blocks,
        removed=removed,
        source_name=source_name,
        encoding=encoding,
    )
