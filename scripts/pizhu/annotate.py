"""Find the editor's quotes (``annotations`` and ``key_sentences`` of a sidecar) in the
cleaned speech: title, headings and paragraphs, each block on its own.

An editor copies words from a printout, a PDF or the page, so the quote and the speech
may differ in what does not matter to a reader:

* punctuation: the quote goes through the cleaner's own normalisation
  (punctuation.normalize: ASCII ``,:;!?()`` and ``"…"`` in Chinese context become
  fullwidth), then both sides are *folded* character by character: Unicode compatibility
  forms (NFKC: fullwidth Latin and digits, fullwidth and ASCII punctuation alike), every
  double quote style as one, every single quote style as one, the redaction letters
  (X, ×, Ｘ) as one, lower case;
* white space: dropped on both sides (a stray space in the sidecar, a space the speech
  keeps between a number and a word).

Folding maps every character of the speech to at most one character, so a match maps
back to an exact span of the block's text; a quote may span a glossary concept or a
redaction mark (the page renders such marks inside the quote's mark).

A quote that is not found, found more than once without ``nth``, or with an ``nth`` past
the number of occurrences is a :class:`~pizhu.errors.SourceError` naming the sidecar
line, the quote, the closest passages of the speech (difflib) and the fix. Nothing is
dropped silently. :func:`annotate` raises the first problem (the build stops before any
page is written); :func:`quote_problems` returns all of them (``build.py check``).
"""

from __future__ import annotations

import dataclasses
import difflib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from .errors import SourceError
from .model import TITLE_BLOCK, Annotation, KeySentence, QuoteSpec, Sidecar, Speech
from .punctuation import normalize

# Characters folded to one representative before matching (after NFKC).
_FOLD = {
    **dict.fromkeys("“”„‟″「」『』〝〞＂", '"'),
    **dict.fromkeys("‘’‚‛′＇", "'"),
    **dict.fromkeys("×xＸ", "X"),  # redaction marks (NFKC already maps Ｘ to X)
    "—": "-",
    "–": "-",
    "―": "-",
    "…": ".",
    "·": ".",
    "・": ".",
}
CLOSEST_LIMIT = 3  # passages named in a "not found" message
CLOSEST_CUTOFF = 0.5  # similarity (difflib ratio) below which a passage is not named
CLOSEST_SHOWN = 40  # characters of a passage shown in a message
CLEAN_HINT = "see the speech as the site has it with: python scripts/build.py clean {source}"


def fold_char(char: str) -> str:
    """One character as the matcher compares it ("" for white space).

    >>> [fold_char(c) for c in "，, “ Ｘ×A"]
    [',', ',', '', '"', '', 'x', 'x', 'a']
    """
    if char.isspace():
        return ""
    folded = unicodedata.normalize("NFKC", char)
    if len(folded) != 1:
        folded = char
    folded = _FOLD.get(folded, folded)
    return folded.lower() if folded.isascii() else folded


@dataclass(frozen=True)
class Folded:
    """A text folded for matching, with the index in the original of each character."""

    text: str
    positions: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of ``self.text[start:end]`` (end > start)."""
        return self.positions[start], self.positions[end - 1] + 1


def fold(text: str) -> Folded:
    chars: list[str] = []
    positions: list[int] = []
    for index, char in enumerate(text):
        folded = fold_char(char)
        if folded:
            chars.append(folded)
            positions.append(index)
    return Folded("".join(chars), tuple(positions))


def fold_quote(quote: str) -> str:
    """The quote as the matcher looks for it: the cleaner's punctuation normalisation,
    then folded like the speech.

    >>> fold_quote('严管就是厚爱,宽松软就是害') == fold_quote("严管就是厚爱， 宽松软就是害")
    True
    """
    return fold(normalize(quote)).text


@dataclass(frozen=True)
class Place:
    """Where a quote was found: block (TITLE_BLOCK for the title) and span in its text."""

    block: int
    start: int
    end: int


class SpeechText:
    """The searchable blocks of a speech: the title (whitespace collapsed, as the page
    shows it) and every heading and paragraph, each folded once."""

    def __init__(self, speech: Speech) -> None:
        self.speech = speech
        self.title = " ".join((speech.title or "").split())
        self.blocks: list[tuple[int, str]] = []
        if self.title:
            self.blocks.append((TITLE_BLOCK, self.title))
        self.blocks += [(index, block.text) for index, block in enumerate(speech.blocks)]
        self.folded = [(index, fold(text)) for index, text in self.blocks]
        self.paragraphs: dict[int, int] = {}
        number = 0
        for index, block in enumerate(speech.blocks):
            if block.kind == "paragraph":
                number += 1
                self.paragraphs[index] = number

    def text(self, block: int) -> str:
        return self.title if block == TITLE_BLOCK else self.speech.blocks[block].text

    def find(self, folded_quote: str) -> list[Place]:
        """Every occurrence of the (folded) quote, in text order; occurrences may overlap
        (a quote of 哈哈 in 哈哈哈 occurs twice)."""
        places: list[Place] = []
        if not folded_quote:
            return places
        for block, folded in self.folded:
            start = folded.text.find(folded_quote)
            while start >= 0:
                places.append(Place(block, *folded.span(start, start + len(folded_quote))))
                start = folded.text.find(folded_quote, start + 1)
        return places

    def where(self, block: int) -> str:
        """A block as a reader counts it: 标题, 小标题, 第N段."""
        if block == TITLE_BLOCK:
            return "标题"
        if block in self.paragraphs:
            return f"第{self.paragraphs[block]}段"
        return f"小标题“{_shorten(self.speech.blocks[block].text, 12)}”"

    def closest(self, folded_quote: str, limit: int = CLOSEST_LIMIT) -> list[tuple[float, Place]]:
        """The passages most like the quote (windows of the quote's length, difflib's
        ratio at least CLOSEST_CUTOFF), best first, at most one per block."""
        size = len(folded_quote)
        if not size:
            return []
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(folded_quote)  # seq2 is the one difflib indexes: once
        best: dict[int, tuple[float, Place]] = {}
        for block, folded in self.folded:
            text = folded.text
            for start in range(max(1, len(text) - size + 1)):
                window = text[start : start + size]
                if not window:
                    continue
                matcher.set_seq1(window)
                if matcher.real_quick_ratio() < CLOSEST_CUTOFF:
                    continue
                if matcher.quick_ratio() < CLOSEST_CUTOFF:
                    continue
                ratio = matcher.ratio()
                if ratio >= CLOSEST_CUTOFF and ratio > best.get(block, (0.0, None))[0]:
                    best[block] = (ratio, Place(block, *folded.span(start, start + len(window))))
        ranked = sorted(best.values(), key=lambda item: (-item[0], item[1].block))
        return ranked[:limit]


def _shorten(text: str, width: int = CLOSEST_SHOWN) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _kinds(spec: QuoteSpec, annotation: bool) -> str:
    return f"annotation quote '{spec.quote}'" if annotation else f"key sentence '{spec.quote}'"


def _places_list(text: SpeechText, places: Sequence[Place]) -> str:
    shown = [text.where(p.block) for p in places[:6]]
    return "、".join(shown) + ("…" if len(places) > 6 else "")


def _locate(
    text: SpeechText, spec: QuoteSpec, annotation: bool, sidecar: Sidecar
) -> Place | SourceError:
    """The one place ``spec`` names, or the problem that it names none or several."""
    what = _kinds(spec, annotation)
    folded = fold_quote(spec.quote)
    places = text.find(folded)
    source = text.speech.source_name or "sources/<name>.txt"

    def error(message: str, hint: str) -> SourceError:
        return SourceError(message, path=sidecar.path, line=spec.line or None, hint=hint)

    if not places:
        near = text.closest(folded)
        if near:
            passages = ", ".join(
                f"{text.where(place.block)} '{_shorten(text.text(place.block)[place.start : place.end])}'"
                f" ({ratio:.0%})"
                for ratio, place in near
            )
            found = f"the closest passages are {passages}"
        else:
            found = "no passage of the speech is close to it"
        return error(
            f"{what} is not in the speech ({found})",
            "copy the words exactly as they stand in the speech; "
            + CLEAN_HINT.format(source=source),
        )
    if spec.nth is None:
        if len(places) == 1:
            return places[0]
        return error(
            f"{what} occurs {len(places)} times ({_places_list(text, places)})",
            f"add 'nth: N' (1 to {len(places)}) under the quote to pick one, "
            "or quote more words so that they occur once",
        )
    if spec.nth > len(places):
        times = "once" if len(places) == 1 else f"{len(places)} times"
        return error(
            f"{what} has nth: {spec.nth} but occurs {times} ({_places_list(text, places)})",
            f"give nth from 1 to {len(places)}" if len(places) > 1 else "remove 'nth'",
        )
    return places[spec.nth - 1]


def _order(place: Place) -> tuple[int, int, int]:
    return (place.block, place.start, -place.end)


def resolve(speech: Speech, sidecar: Sidecar) -> tuple[Speech, list[SourceError]]:
    """The speech with the sidecar's annotations and key sentences found in it, and every
    problem (in sidecar order within each list). Items with a problem are left out of the
    speech; callers that build a site stop at the first problem (:func:`annotate`)."""
    if not sidecar.annotations and not sidecar.key_sentences:
        return speech, []
    text = SpeechText(speech)
    problems: list[SourceError] = []
    found_notes: list[tuple[Place, QuoteSpec]] = []
    seen_notes: dict[Place, QuoteSpec] = {}
    for spec in sidecar.annotations:
        place = _locate(text, spec, True, sidecar)
        if isinstance(place, SourceError):
            problems.append(place)
            continue
        if place in seen_notes:
            first = seen_notes[place]
            problems.append(
                SourceError(
                    f"annotation quote '{spec.quote}' marks the same words as the annotation"
                    f" at line {first.line}",
                    path=sidecar.path,
                    line=spec.line or None,
                    hint="merge the two notes into one",
                )
            )
            continue
        seen_notes[place] = spec
        found_notes.append((place, spec))
    found_keys: list[tuple[Place, QuoteSpec]] = []
    for spec in sidecar.key_sentences:
        place = _locate(text, spec, False, sidecar)
        if isinstance(place, SourceError):
            problems.append(place)
            continue
        clash = next(
            (
                other
                for other_place, other in found_keys
                if other_place.block == place.block
                and other_place.start < place.end
                and place.start < other_place.end
            ),
            None,
        )
        if clash is not None:
            problems.append(
                SourceError(
                    f"key sentence '{spec.quote}' overlaps the key sentence at line {clash.line}"
                    f" ('{clash.quote}')",
                    path=sidecar.path,
                    line=spec.line or None,
                    hint="list each sentence once",
                )
            )
            continue
        found_keys.append((place, spec))
    found_notes.sort(key=lambda item: _order(item[0]))
    found_keys.sort(key=lambda item: _order(item[0]))
    annotations = tuple(
        Annotation(
            number=number,
            block=place.block,
            start=place.start,
            end=place.end,
            quote=text.text(place.block)[place.start : place.end],
            note=spec.note,
            paragraph=text.paragraphs.get(place.block),
            line=spec.line,
        )
        for number, (place, spec) in enumerate(found_notes, start=1)
    )
    keys = tuple(
        KeySentence(
            block=place.block,
            start=place.start,
            end=place.end,
            text=text.text(place.block)[place.start : place.end],
            paragraph=text.paragraphs.get(place.block),
            line=spec.line,
        )
        for place, spec in found_keys
    )
    resolved = dataclasses.replace(speech, annotations=annotations, key_sentences=keys)
    return resolved, problems


def annotate(speech: Speech, sidecar: Sidecar) -> Speech:
    """The speech with its annotations and key sentences; raise the first problem."""
    resolved, problems = resolve(speech, sidecar)
    if problems:
        raise problems[0]
    return resolved


def quote_problems(speech: Speech, sidecar: Sidecar) -> list[SourceError]:
    """Every annotation and key sentence of ``sidecar`` that does not name one place."""
    return resolve(speech, sidecar)[1]
