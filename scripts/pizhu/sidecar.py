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

``keep``/``drop`` are applied by clean() (pipeline.py passes them on), after
:func:`check_line_selectors` has made sure each of them names a line of the speech;
:func:`apply_sidecar` applies the metadata.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import re
from pathlib import Path
from typing import Any

from .errors import SourceError
from .model import Sidecar, Speech
from .yamlutil import line_of, load_yaml_text, read_yaml_source

TEXT_KEYS = ("title", "subtitle", "speaker", "occasion", "notes")
KNOWN_KEYS = ("title", "subtitle", "speaker", "occasion", "date", "tags", "keep", "drop", "notes")
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
            }[key]
            raise self.fail(
                f"'{key}' must be a list, not {_kind(value)}", self.line(key), f"e.g. {example}"
            )
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


def load_sidecar(path: Path, name: str | None = None) -> Sidecar:
    """Read and validate a sidecar file; raise SourceError naming file:line on a mistake.

    ``name`` is how messages call the file (``sources/x.yml``; default: ``path`` as given).

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.yml"
    >>> _ = p.write_text("title: 守正出新\\ndate: 2021-06-28\\n", encoding="utf-8")
    >>> load_sidecar(p, "sources/x.yml").date
    '2021-06-28'
    """
    shown = name or str(path)
    data = load_yaml_text(read_yaml_source(Path(path), SourceError, shown), shown, SourceError)
    if data is None:
        return Sidecar(path=shown)
    if not isinstance(data, dict):
        raise SourceError(
            f"a sidecar must be a mapping of keys, not {_kind(data)}",
            path=path,
            line=line_of(data, default=1),
            hint="known keys are: " + ", ".join(KNOWN_KEYS),
        )
    check = _Checker(shown, data)
    for key in data:
        if key not in KNOWN_KEYS:
            raise check.fail(
                f"unknown key '{key}'", check.line(key), "known keys are: " + ", ".join(KNOWN_KEYS)
            )
    fields: dict[str, Any] = {key: check.text(key) for key in TEXT_KEYS if key in data}
    if "date" in data:
        fields["date"] = check.date()
    if "tags" in data:
        fields["tags"] = check.tags()
    for key in ("keep", "drop"):
        if key in data:
            fields[key] = check.lines(key)
    both = set(fields.get("keep", ())) & set(fields.get("drop", ()))
    if both:
        item = sorted(both, key=str)[0]
        shown = item if isinstance(item, int) else f"'{item}'"
        raise check.fail(
            f"{'line' if isinstance(item, int) else 'text'} {shown} is in both keep and drop",
            check.line("drop"),
            "remove it from one of them",
        )
    field_lines = {key: check.line(key) or 0 for key in data}
    item_lines = {key: tuple(lines) for key, lines in check.item_lines.items()}
    return Sidecar(**fields, path=shown, field_lines=field_lines, item_lines=item_lines)


def check_line_selectors(sidecar: Sidecar, text: str, source_name: str) -> None:
    """Every ``keep``/``drop`` entry must name a line of the decoded speech ``text``.

    An entry that matches nothing is a typo, or a line number from before the source was
    edited; ignoring it would silently keep the noise (or drop the sentence) the editor
    meant to handle. Lines are counted as clean() and ``build.py clean`` count them.
    """
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
            raise SourceError(f"{key}: {problem}", path=sidecar.path, line=line, hint=hint)


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
