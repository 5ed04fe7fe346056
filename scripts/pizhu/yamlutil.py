"""Strict YAML loading for user files (glossary.yml, sources/*.yml).

PyYAML silently keeps the last of two duplicate keys and forgets where things were. Like
mkdocs' config loading, we refuse duplicates and keep line numbers so every message can
name ``file:line``.

Mappings come back as :class:`LineDict` and sequences as :class:`LineList`; both are the
plain builtin types plus ``.line`` (1-based line of the node) and ``.lines`` (key or index
-> 1-based line of that key or item).

A merge key (``<<: *base``) copies another mapping's keys; everything copied carries the
line of the ``<<`` (a mistake in the copy is reported where the copy is, not at the
original), and a key written next to the ``<<`` overrides the copied one, as YAML says.
Likewise a value given as an alias (``aliases: *a``) carries the line of its key.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .errors import PizhuError, file_error


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


_MERGE_TAG = "tag:yaml.org,2002:merge"
# A key node, its value node, and the line it is reported at when it was copied from
# elsewhere by a merge key (None: written here).
_Entry = tuple[yaml.Node, yaml.Node, int | None]


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> LineDict:
    merged, written = _merge_and_written(node, frozenset({id(node)}))
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.lines = {}
    for key_node, value_node, copy_line in merged:  # later entries win: YAML's precedence
        key = _construct_key(loader, key_node)
        value = loader.construct_object(value_node, deep=True)
        if copy_line is None:
            result[key] = value
            result.lines[key] = key_node.start_mark.line + 1
        else:
            result[key] = _relocated(value, copy_line)
            result.lines[key] = copy_line
    first_line: dict[Any, int] = {}
    for key_node, value_node, _ in written:
        key = _construct_key(loader, key_node)
        if key in first_line:
            raise _DuplicateKey(
                None,
                None,
                f"duplicate key '{key}' (first at line {first_line[key]})",
                key_node.start_mark,
            )
        line = first_line[key] = key_node.start_mark.line + 1
        # An alias (key: *name) is the anchored node again: its lines would be the anchor's.
        alias = value_node in loader.constructed_objects
        value = loader.construct_object(value_node, deep=True)
        result[key] = _relocated(value, line) if alias else value
        result.lines[key] = line
    return result


def _construct_key(loader: _StrictLoader, key_node: yaml.Node) -> Any:
    key = loader.construct_object(key_node, deep=True)
    try:
        hash(key)
    except TypeError as exc:
        raise yaml.constructor.ConstructorError(
            None, None, "a mapping key must be a plain value", key_node.start_mark
        ) from exc
    return key


def _merge_and_written(
    node: yaml.MappingNode, seen: frozenset[int]
) -> tuple[list[_Entry], list[_Entry]]:
    """A mapping's entries brought in by ``<<`` (lowest precedence first) and the entries
    written in it.

    Unlike PyYAML's flatten_mapping this does not rewrite the nodes (an anchored mapping
    keeps its own entries for its own construction) and keeps the two kinds apart, so that
    only keys written twice are duplicates. A mapping merged through an alias (``<<: *a``,
    defined earlier) is a copy, reported at the ``<<``; one written in place after the
    ``<<`` keeps its own lines.
    """
    merged: list[_Entry] = []
    written: list[_Entry] = []
    for key_node, value_node in node.value:
        if key_node.tag != _MERGE_TAG:
            written.append((key_node, value_node, None))
            continue
        if isinstance(value_node, yaml.MappingNode):
            sources = [value_node]
        elif isinstance(value_node, yaml.SequenceNode) and all(
            isinstance(item, yaml.MappingNode) for item in value_node.value
        ):
            sources = list(value_node.value)
        else:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                "'<<' must be followed by an alias of a mapping (<<: *name) or a list of them",
                value_node.start_mark,
            )
        merge_line = key_node.start_mark.line + 1
        for source in reversed(sources):  # the first mapping listed wins, so it comes last
            if id(source) in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, "'<<' copies the mapping it is in", key_node.start_mark
                )
            copied = source.start_mark.index < key_node.start_mark.index
            inner_merged, inner_written = _merge_and_written(source, seen | {id(source)})
            for inner_key, inner_value, inner_line in inner_merged + inner_written:
                line = merge_line if copied else inner_line
                merged.append((inner_key, inner_value, line))
    return merged, written


def _relocated(value: Any, line: int) -> Any:
    """A copy of ``value`` whose lines are all ``line`` (PyYAML shares one object between
    an anchor and its aliases, so the original keeps its own lines)."""
    if isinstance(value, LineDict):
        copy = LineDict((key, _relocated(item, line)) for key, item in value.items())
        copy.lines = dict.fromkeys(value, line)
    elif isinstance(value, LineList):
        copy = LineList(_relocated(item, line) for item in value)
        copy.lines = dict.fromkeys(range(len(value)), line)
    else:
        return value
    copy.line = line
    return copy


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
    shown = name or path
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise file_error(exc, shown, error) from None
    bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    try:
        return data[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = bom + exc.start
        raise error(
            f"not UTF-8 (first bad byte 0x{data[offset]:02x} at byte offset {offset})",
            path=shown,
            line=len(_LINE_ENDS.findall(data, 0, offset)) + 1,
            hint="save the file as UTF-8",
        ) from None


# How YAML counts lines in a byte string.
_LINE_ENDS = re.compile(rb"\r\n|\r|\n")


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
