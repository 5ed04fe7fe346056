"""Strict YAML loading for user files (glossary.yml, sources/*.yml).

PyYAML silently keeps the last of two duplicate keys and forgets where things were. Like
mkdocs' config loading, we refuse duplicates and keep line numbers so every message can
name ``file:line``.

Mappings come back as :class:`LineDict` and sequences as :class:`LineList`; both are the
plain builtin types plus ``.line`` (1-based line of the node) and ``.lines`` (key or index
-> 1-based line of that key or item).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import PizhuError


class LineDict(dict):
    """A dict that remembers the line of itself and of each key."""

    line: int = 0
    lines: dict[Any, int]


class LineList(list):
    """A list that remembers the line of itself and of each item."""

    line: int = 0
    lines: dict[int, int]


class _DuplicateKey(yaml.MarkedYAMLError):
    pass


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that rejects duplicate keys and records line numbers."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError as exc:
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value", key_node.start_mark
            ) from exc
        if key in result:
            raise _DuplicateKey(
                None,
                None,
                f"duplicate key '{key}' (first at line {result.lines[key]})",
                key_node.start_mark,
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _StrictLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.lines = {i: child.start_mark.line + 1 for i, child in enumerate(node.value)}
    return result


def _construct_timestamp(loader: _StrictLoader, node: yaml.ScalarNode) -> Any:
    """A YAML date, or the raw text when the date is impossible (2021-13-01).

    PyYAML raises a bare ValueError (no file, no line) for such a date; returning the text
    lets the field's validator report it with its own line and hint.
    """
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return node.value


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load_yaml_text(text: str, path: str | Path, error: type[PizhuError] = PizhuError) -> Any:
    """Parse YAML text strictly; raise ``error`` naming ``path:line`` on any problem.

    >>> load_yaml_text("a: 1\\n", "x.yml")["a"]
    1
    """
    try:
        return yaml.load(text, Loader=_StrictLoader)  # a SafeLoader subclass
    except _DuplicateKey as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise error(
            exc.problem or "duplicate key",
            path=path,
            line=line,
            hint="remove or rename one of them",
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        raise error(
            f"YAML syntax error: {problem}",
            path=path,
            line=line,
            hint="fix the YAML at that line (check indentation, colons and quotes)",
        ) from None
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        raise error(f"YAML error: {exc}", path=path, hint="fix the YAML") from None


def read_yaml_source(
    path: Path, error: type[PizhuError] = PizhuError, name: str | Path | None = None
) -> str:
    """The text of a user's UTF-8 file (BOM allowed); ``name`` is how messages call it."""
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(
            f"not UTF-8 (byte {exc.start})", path=name or path, hint="save the file as UTF-8"
        ) from None


def load_yaml_file(path: Path, error: type[PizhuError] = PizhuError) -> Any:
    """Read a UTF-8 YAML file strictly (see :func:`load_yaml_text`)."""
    return load_yaml_text(read_yaml_source(path, error), path, error)


def line_of(node: Any, key: Any = None, default: int | None = None) -> int | None:
    """The 1-based line of ``node`` (or of ``node[key]``) if known."""
    if key is not None:
        lines = getattr(node, "lines", None)
        if lines and key in lines:
            return lines[key]
    return getattr(node, "line", default) or default
