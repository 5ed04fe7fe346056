"""Guarantees of the cleaner as properties (hypothesis), on generated copies.

The copies are made of real material: sentences, headings and titles of the five bundled
speeches (their hand-checked expected output), the noise lines of the rules' and the
title furniture's examples, blank lines, hard wrapping at a random width, indentation and
ASCII punctuation. Two guarantees must hold on every one:

* Conservation: every Chinese character of the decoded source is shown (title, subtitle,
  speaker, occasion, a block) or logged in the removal list. A date line becomes the
  ISO date of the metadata, so a date stands for its 年月日 and its Chinese numerals.
* Idempotence: cleaning a cleaned speech, rendered back to plain text (title, subtitle,
  headings and paragraphs separated by blank lines), removes and changes nothing.

Failures found this way are kept as data cases in tests/cases/clean/ and
tests/cases/structure/; the examples here are derandomized so a run is reproducible.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from pizhu.chars import is_han
from pizhu.lines import display_width
from pizhu.model import Speech
from pizhu.pipeline import process
from pizhu.rules import LINE, RULES, SECTION, TITLE_FURNITURE

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = [
    json.loads(path.read_text(encoding="utf-8"))
    for path in sorted((ROOT / "tests" / "expected").glob("*.json"))
]


def _sentences(text: str) -> list[str]:
    return [s for s in re.findall(r"[^。！？]+[。！？]?", text) if s.strip()]


SENTENCES = sorted(
    {
        sentence
        for speech in EXPECTED
        for block in speech["blocks"]
        if block["kind"] == "paragraph"
        for sentence in _sentences(block["text"])
    }
)
HEADINGS = sorted(
    {
        block["text"]
        for speech in EXPECTED
        for block in speech["blocks"]
        if block["kind"] == "heading"
    }
)
TITLES = sorted({speech["title"] for speech in EXPECTED if speech["title"]})
SUBTITLES = sorted({"——" + speech["subtitle"] for speech in EXPECTED if speech["subtitle"]})
# Whole lines of noise: the examples of the line rules (the inline and prefix rules'
# examples are speech with noise in it) and of the sure title furniture.
NOISE = sorted(
    {example for rule in RULES if rule.scope in (LINE, SECTION) for example in rule.examples}
    | {example for f in TITLE_FURNITURE if f.sure for example in f.examples}
)
ASCII_MARKS = str.maketrans({"，": ",", "：": ":", "；": ";", "！": "!", "？": "?"})

SETTINGS = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _wrap(text: str, width: int) -> list[str]:
    """Break a paragraph at ``width`` display columns, as a PDF pasted as text is."""
    lines, line = [], ""
    for char in text:
        if line and display_width(line + char) > width:
            lines.append(line)
            line = ""
        line += char
    return [*lines, line]


@st.composite
def paragraphs(draw: st.DrawFn, layout: dict[str, object]) -> list[str]:
    size = 2 if layout["width"] else 1
    text = "".join(draw(st.lists(st.sampled_from(SENTENCES), min_size=size, max_size=3)))
    if draw(st.integers(0, 3)) == 0:
        text = text.translate(ASCII_MARKS)
    text = str(layout["indent"]) + text
    if not layout["width"]:
        return [text]
    lines = _wrap(text, int(layout["width"]))  # type: ignore[call-overload]
    if layout["markers"] and len(lines) > 2:  # a page ended inside the paragraph
        at = draw(st.integers(1, len(lines) - 1))
        lines[at:at] = ["", f"- {draw(st.integers(1, 30))} -", ""]
    return lines


@st.composite
def copies(draw: st.DrawFn) -> str:
    """A speech as a site might serve it: noise, a title block, a body with noise in it.

    One layout per copy, as a real one has: one paragraph per line, or hard-wrapped at a
    width (a PDF pasted as text, maybe with page numbers where a page ended); paragraphs
    indented with U+3000 or not. A wrapped copy
    has three paragraphs at least: the wrap width is measured on its lines, and a copy of
    two or three short lines is a known limit (structure/xfail-short-wrapped-paragraph).
    """
    layout = {
        "width": draw(st.one_of(st.just(0), st.integers(28, 80))),
        "indent": draw(st.sampled_from(("", "\u3000\u3000"))),
        "markers": draw(st.booleans()),  # page numbers between the lines of a page break
    }
    lines: list[str] = []
    lines += draw(st.lists(st.sampled_from(NOISE), max_size=3))
    if draw(st.integers(0, 4)) > 0:
        lines.append(draw(st.sampled_from(TITLES)))
        if draw(st.booleans()):
            lines.append(draw(st.sampled_from(SUBTITLES)))
    others = st.sampled_from(("paragraph", "heading", "noise", "blank"))
    least = 3 if layout["width"] else 1
    kinds = ["paragraph"] * least + draw(st.lists(others, max_size=6))
    for kind in draw(st.permutations(kinds)):
        if kind == "paragraph":
            lines += draw(paragraphs(layout))
        elif kind == "heading":
            lines.append(draw(st.sampled_from(HEADINGS)))
        elif kind == "noise":
            lines.append(draw(st.sampled_from(NOISE)))
        else:
            lines.append("")
    lines += draw(st.lists(st.sampled_from(NOISE), max_size=3))
    return "\n".join(lines) + "\n"


def _han(text: str) -> Counter[str]:
    return Counter(c for c in text if is_han(c))


# What an ISO date in the metadata stands for: the 年月日 (号) and numerals of its line.
DATE_CHARACTERS = "年月日号〇零○一二三四五六七八九十"


def missing_han(source: str, speech: Speech) -> Counter[str]:
    """Chinese characters of ``source`` that are neither shown nor logged."""
    shown = "".join(
        [
            speech.title or "",
            speech.subtitle or "",
            speech.speaker or "",
            speech.occasion or "",
            *(block.text for block in speech.blocks),
            *(removal.text for removal in speech.removed),
        ]
    )
    accounted = _han(shown)
    if speech.date:
        for char in DATE_CHARACTERS:
            accounted[char] += source.count(char)
    return _han(source) - accounted


def as_plain_text(speech: Speech) -> str:
    """A cleaned speech written back as a clean copy: title, subtitle, blocks."""
    parts = []
    if speech.title:
        parts.append(speech.title)
    if speech.subtitle:
        parts.append("——" + speech.subtitle)
    parts += [block.text for block in speech.blocks]
    return "\n\n".join(parts) + "\n"


def _process(text: str) -> Speech:
    return process(text.encode("utf-8"), name="copy.txt", slug="copy")


@SETTINGS
@given(copies())
def test_conservation(source: str) -> None:
    speech = _process(source)
    assert not missing_han(source, speech)


@SETTINGS
@given(copies())
def test_idempotence(source: str) -> None:
    first = _process(source)
    plain = as_plain_text(first)
    assume(plain.strip())  # all noise: nothing left to clean again
    second = _process(plain)
    assert second.removed == ()
    assert (second.title, second.subtitle) == (first.title, first.subtitle)
    assert [b.to_json() for b in second.blocks] == [b.to_json() for b in first.blocks]


def test_the_bundled_sources_conserve_every_character() -> None:
    for path in sorted((ROOT / "sources").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert not missing_han(text, _process(text)), path.name


def test_the_properties_can_fail() -> None:
    speech = _process("在全市公安工作会议上的讲话\n同志们，今天开会，主要任务是部署工作。\n")
    dropped = Speech(slug="copy", title=speech.title, blocks=speech.blocks[:0])
    assert missing_han("同志们，今天开会。", dropped)
    assert as_plain_text(speech).startswith("在全市公安工作会议上的讲话\n\n同志们")


# Keep hypothesis' own example decorator imported for the found cases below.
_ = example
