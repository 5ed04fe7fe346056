"""The exception hierarchy: every user-facing problem names the file, the line and the fix.

Modelled on mkdocs.exceptions: one base class, a few subclasses, and a CLI that prints the
message (no traceback) and exits 1.
"""

from __future__ import annotations

from pathlib import Path


class PizhuError(Exception):
    """A problem in the user's input that they can fix.

    str(error) is one line: ``<file>:<line>: <what is wrong>; <what to do>``.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = self.path + (f":{self.line}" if self.line is not None else "") + ": "
        text = where + self.message
        if self.hint:
            text += "; " + self.hint
        return text


class SourceError(PizhuError):
    """A source speech cannot be read (binary, undecodable, empty) or its sidecar is wrong."""


class GlossaryError(PizhuError):
    """glossary.yml is malformed, or its entries clash."""
