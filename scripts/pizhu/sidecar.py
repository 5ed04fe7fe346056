"""Editorial sidecars: ``sources/<name>.yml`` next to a speech overrides what the
pipeline guessed (title, speaker, date …) and forces lines in or out.

Validated like mkdocs validates its config: known keys only, each with a type, every
message naming ``file:line`` and the fix. Example::

    title: 守正出新 担当使命
    speaker: 省公安厅党委委员、副厅长 张XX
    date: 2021-06-28          # or 2021-06, or 2021
    tags: [政治工作, 队伍建设]
    keep: [12, "分享经验"]     # source line numbers or exact line texts
    drop: ["仅供学习"]
    notes: 原文第 3 页缺失。
    annotations:                # the editor's notes, anchored to words of the speech
      - quote: 严管就是厚爱
        note: 本文第三部分展开论述了这一要求，参见第 9 段。
      - quote: 四句话、十六字
        nth: 2                  # only when the words occur more than once
        note: 即“对党忠诚、服务人民、执法公正、纪律严明”。
    key_sentences:              # 金句: whole sentences, or a part of one that occurs once
      - 严管就是厚爱，宽松软就是害
      - {quote: 打铁必须自身硬, nth: 2}

``keep``/``drop`` are applied by clean() (pipeline.py passes them on), after
:func:`check_line_selectors` has made sure each of them names a line of the speech;
:func:`apply_sidecar` applies the metadata; annotate.py finds the quotes of
``annotations`` and ``key_sentences`` in the cleaned speech.

:func:`read_sidecar` validates every key and item and returns every problem it finds
(``build.py check`` lists them all); :func:`load_sidecar` raises the first.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import re
from pathlib import Path
from typing import Any

from .errors import SourceError
from .model import QuoteSpec, Sidecar, Speech
from .yamlutil import line_of, load_yaml_text, read_yaml_source

TEXT_KEYS = ("title", "subtitle", "speaker", "occasion", "notes")
KNOWN_KEYS = (
    "title",
    "subtitle",
    "speaker",
    "occasion",
    "date",
    "tags",
    "keep",
    "drop",
    "notes",
    "annotations",
    "key_sentences",
)
ANNOTATION_KEYS = ("quote", "note", "nth")
KEY_SENTENCE_KEYS = ("quote", "nth")
NTH_HINT = "give a whole number from 1, e.g. nth: 2 for the second time the words occur"
DATE_FORMAT = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$")
DATE_HINT = "write YYYY-MM-DD, YYYY-MM or YYYY, e.g. date: 2021-06-28"


def _kind(value: Any) -> str:
    """How a YAML value reads to the person who wrote it."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, _dt.date):
        return "a date"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "text"


class _Checker:
    """Validation helpers that raise SourceError naming the sidecar and the line."""

    def __init__(self, path: str, data: dict) -> None:
        self.path = path
        self.data = data
        self.item_lines: dict[str, list[int]] = {}

    def fail(self, message: str, line: int | None, hint: str | None = None) -> SourceError:
        return SourceError(message, path=self.path, line=line, hint=hint)

    def line(self, key: str) -> int | None:
        return line_of(self.data, key)

    def text(self, key: str) -> str:
        value = self.data[key]
        if value is None:
            raise self.fail(f"'{key}' is empty", self.line(key), "give a value or remove the key")
        if not isinstance(value, str):
            raise self.fail(
                f"'{key}' must be text, not {_kind(value)}",
                self.line(key),
                f'write it as {key}: "…"',
            )
        value = value.strip()
        if not value:
            raise self.fail(f"'{key}' is empty", self.line(key), "give a value or remove the key")
        return value

    def date(self) -> str:
        value = self.data["date"]
        line = self.line("date")
        if isinstance(value, _dt.datetime):
            raise self.fail(f"date '{value}' has a time of day", line, DATE_HINT)
        if isinstance(value, _dt.date):
            return value.isoformat()
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)  # date: 2021
        if not isinstance(value, str):
            raise self.fail(f"'date' must be a date, not {_kind(value)}", line, DATE_HINT)
        match = DATE_FORMAT.match(value.strip())
        if match:
            try:
                _dt.date(int(match["year"]), int(match["month"] or 1), int(match["day"] or 1))
            except ValueError:
                match = None
        if not match:
            raise self.fail(f"bad date '{value}'", line, DATE_HINT)
        return value.strip()

    def items(self, key: str) -> list[tuple[Any, int | None]]:
        value = self.data[key]
        if not isinstance(value, list):
            example = {
                "tags": "tags: [政治工作, 队伍建设]",
                "keep": 'keep: [12, "分享经验"]',
                "drop": 'drop: [3, "仅供学习 禁止外传"]',
                "annotations": "write one '- quote: …' per note, with 'note: …' under it",
                "key_sentences": "write one '- …' per sentence, as it stands in the speech",
            }[key]
            hint = example if key in ("annotations", "key_sentences") else f"e.g. {example}"
            raise self.fail(f"'{key}' must be a list, not {_kind(value)}", self.line(key), hint)
        return [(item, line_of(value, i, self.line(key))) for i, item in enumerate(value)]

    def tags(self) -> tuple[str, ...]:
        tags: list[str] = []
        first_line: dict[str, int | None] = {}
        for item, line in self.items("tags"):
            if not isinstance(item, str) or not item.strip():
                raise self.fail(
                    f"a tag must be text, not {_kind(item) if item != '' else 'empty text'}",
                    line,
                    "write each tag as text, e.g. tags: [政治工作, 队伍建设]",
                )
            tag = item.strip()
            if tag in first_line:
                raise self.fail(
                    f"tag '{tag}' is listed twice (first at line {first_line[tag]})",
                    line,
                    "remove one of them",
                )
            first_line[tag] = line
            tags.append(tag)
        return tuple(tags)

    def lines(self, key: str) -> tuple[int | str, ...]:
        result: list[int | str] = []
        for item, line in self.items(key):
            self.item_lines.setdefault(key, []).append(line or 0)
            if isinstance(item, bool) or not isinstance(item, int | str):
                raise self.fail(
                    f"'{key}' items must be line numbers or line texts, not {_kind(item)}",
                    line,
                    f'write a line number (12) or the exact text of the line ("…") under {key}',
                )
            if isinstance(item, int) and item < 1:
                raise self.fail(
                    f"line number {item} in '{key}' is not a line", line, "lines are counted from 1"
                )
            if isinstance(item, str):
                item = item.strip()
                if not item:
                    raise self.fail(
                        f"empty text in '{key}'", line, "give the exact text of the line"
                    )
            result.append(item)
        return tuple(result)

    def quote_items(self, key: str, problems: list[SourceError]) -> tuple[QuoteSpec, ...]:
        """The items of ``annotations`` (mappings: quote, note, nth) or ``key_sentences``
        (text, or a mapping: quote, nth). A wrong item is a problem; the others are kept."""
        specs: list[QuoteSpec] = []
        for item, line in self.items(key):
            try:
                specs.append(self.quote_item(key, item, line or 0))
            except SourceError as error:
                problems.append(error)
        return tuple(specs)

    def quote_item(self, key: str, item: Any, line: int) -> QuoteSpec:
        annotation = key == "annotations"
        what = "an annotation" if annotation else "a key sentence"
        if not annotation and isinstance(item, str):
            return QuoteSpec(self.quote_text(item, line, what), line=line)
        if not isinstance(item, dict):
            if annotation:
                hint = "write '- quote: …' (words of the speech) and 'note: …' under it"
                raise self.fail(
                    f"an annotation must be a mapping of quote and note, not {_kind(item)}",
                    line,
                    hint,
                )
            raise self.fail(
                f"a key sentence must be text, not {_kind(item)}",
                line,
                "write the sentence as it stands in the speech, e.g. - 严管就是厚爱",
            )
        allowed = ANNOTATION_KEYS if annotation else KEY_SENTENCE_KEYS
        for name in item:
            if name not in allowed:
                raise self.fail(
                    f"unknown key '{name}' in {what}",
                    line_of(item, name, line),
                    f"{what} has {', '.join(allowed)}"
                    + (" (nth only when the words occur more than once)" if annotation else ""),
                )
        if "quote" not in item:
            raise self.fail(
                f"{what} has no 'quote'",
                line,
                "add quote: the words of the speech"
                + (" that the note explains" if annotation else ""),
            )
        quote_line = line_of(item, "quote", line) or line
        quote = self.quote_text(item["quote"], quote_line, what)
        note = ""
        if annotation:
            if item.get("note") is None or (
                isinstance(item["note"], str) and not item["note"].strip()
            ):
                raise self.fail(
                    f"the annotation of '{quote}' has no note",
                    line_of(item, "note", line) or line,
                    "write note: … under the quote, or remove the annotation",
                )
            if not isinstance(item["note"], str):
                raise self.fail(
                    f"the note of '{quote}' must be text, not {_kind(item['note'])}",
                    line_of(item, "note", line),
                    'write it as note: "…"',
                )
            note = item["note"].strip()
        nth = None
        if "nth" in item:
            nth = item["nth"]
            if isinstance(nth, bool) or not isinstance(nth, int) or nth < 1:
                shown = f"{nth}" if isinstance(nth, int) and not isinstance(nth, bool) else None
                raise self.fail(
                    f"'nth' of '{quote}' must be a whole number from 1, not "
                    + (shown if shown is not None else _kind(nth)),
                    line_of(item, "nth", line),
                    NTH_HINT,
                )
        return QuoteSpec(quote, note=note, nth=nth, line=quote_line)

    def quote_text(self, value: Any, line: int, what: str) -> str:
        if not isinstance(value, str):
            raise self.fail(
                f"the quote of {what} must be text, not {_kind(value)}",
                line,
                'write the words as they stand in the speech, e.g. quote: "…"',
            )
        if not value.strip():
            raise self.fail(
                f"the quote of {what} is empty",
                line,
                "write the words as they stand in the speech, or remove the item",
            )
        return " ".join(value.split())


def load_sidecar(path: Path, name: str | None = None) -> Sidecar:
    """Read and validate a sidecar file; raise SourceError naming file:line on a mistake.

    ``name`` is how messages call the file (``sources/x.yml``; default: ``path`` as given).

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.yml"
    >>> _ = p.write_text("title: 守正出新\\ndate: 2021-06-28\\n", encoding="utf-8")
    >>> load_sidecar(p, "sources/x.yml").date
    '2021-06-28'
    """
    sidecar, problems = read_sidecar(path, name)
    if problems:
        raise problems[0]
    return sidecar


def read_sidecar(path: Path, name: str | None = None) -> tuple[Sidecar, list[SourceError]]:
    """Read and validate a sidecar file: the sidecar made of its valid keys, and every
    problem found (in file order within each check; empty when the file is right).

    A YAML syntax error or a file that is not a mapping is one problem (nothing else can
    be read then).
    """
    shown = name or str(path)
    try:
        data = load_yaml_text(read_yaml_source(Path(path), SourceError, shown), shown, SourceError)
    except SourceError as error:
        return Sidecar(path=shown), [error]
    if data is None:
        return Sidecar(path=shown), []
    if not isinstance(data, dict):
        error = SourceError(
            f"a sidecar must be a mapping of keys, not {_kind(data)}",
            path=shown,
            line=line_of(data, default=1),
            hint="known keys are: " + ", ".join(KNOWN_KEYS),
        )
        return Sidecar(path=shown), [error]
    check = _Checker(shown, data)
    problems: list[SourceError] = []
    for key in data:
        if key not in KNOWN_KEYS:
            problems.append(
                check.fail(
                    f"unknown key '{key}'",
                    check.line(key),
                    "known keys are: " + ", ".join(KNOWN_KEYS),
                )
            )

    fields: dict[str, Any] = {}

    def take(key: str, read) -> None:
        if key in data:
            try:
                fields[key] = read()
            except SourceError as error:
                problems.append(error)

    for key in TEXT_KEYS:
        take(key, lambda key=key: check.text(key))
    take("date", check.date)
    take("tags", check.tags)
    for key in ("keep", "drop"):
        take(key, lambda key=key: check.lines(key))
    both = set(fields.get("keep", ())) & set(fields.get("drop", ()))
    if both:
        item = sorted(both, key=str)[0]
        shown_item = item if isinstance(item, int) else f"'{item}'"
        problems.append(
            check.fail(
                f"{'line' if isinstance(item, int) else 'text'} {shown_item} is in both keep"
                " and drop",
                check.line("drop"),
                "remove it from one of them",
            )
        )
        fields.pop("keep"), fields.pop("drop")
    for key in ("annotations", "key_sentences"):
        take(key, lambda key=key: check.quote_items(key, problems))
    field_lines = {key: check.line(key) or 0 for key in data}
    item_lines = {key: tuple(lines) for key, lines in check.item_lines.items()}
    sidecar = Sidecar(**fields, path=shown, field_lines=field_lines, item_lines=item_lines)
    return sidecar, problems


def check_line_selectors(sidecar: Sidecar, text: str, source_name: str) -> None:
    """Every ``keep``/``drop`` entry must name a line of the decoded speech ``text``.

    An entry that matches nothing is a typo, or a line number from before the source was
    edited; ignoring it would silently keep the noise (or drop the sentence) the editor
    meant to handle. Lines are counted as clean() and ``build.py clean`` count them.
    """
    for problem in line_selector_problems(sidecar, text, source_name):
        raise problem


def line_selector_problems(sidecar: Sidecar, text: str, source_name: str) -> list[SourceError]:
    """Every ``keep``/``drop`` entry that names no line of ``text`` (see
    :func:`check_line_selectors`), in sidecar order."""
    problems: list[SourceError] = []
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    texts = {line.strip() for line in lines}
    for key in ("keep", "drop"):
        item_lines = sidecar.item_lines.get(key, ())
        for index, item in enumerate(getattr(sidecar, key)):
            line = item_lines[index] if index < len(item_lines) else sidecar.field_lines.get(key)
            if isinstance(item, int) and item > len(lines):
                problem = f"line {item} is past the end of {source_name} ({len(lines)} lines)"
                hint = "give a line number as 'build.py clean' shows it, or remove the entry"
            elif isinstance(item, int) and not lines[item - 1].strip():
                problem = f"line {item} of {source_name} is blank"
                hint = "give the number of a line with text, or remove the entry"
            elif isinstance(item, str) and item not in texts:
                problem = f"no line of {source_name} is '{item}'"
                hint = "copy the whole line exactly as it is in the source, or remove the entry"
            else:
                continue
            problems.append(
                SourceError(f"{key}: {problem}", path=sidecar.path, line=line, hint=hint)
            )
    return problems


def apply_sidecar(speech: Speech, sidecar: Sidecar) -> Speech:
    """The speech with the sidecar's metadata (title, subtitle, speaker, occasion, date,
    tags, notes) replacing what the pipeline found. Fields the sidecar does not give stay.
    """
    overrides: dict[str, Any] = {}
    for key in ("title", "subtitle", "speaker", "occasion", "date", "notes"):
        value = getattr(sidecar, key)
        if value is not None:
            overrides[key] = value
    if sidecar.tags is not None:
        overrides["tags"] = tuple(sidecar.tags)
    return dataclasses.replace(speech, **overrides) if overrides else speech
