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


def file_error(
    error: OSError, path: str | Path, kind: type[PizhuError] = PizhuError, *, action: str = "read"
) -> PizhuError:
    """An OSError on a user's file (no permission, a folder in its place, a disk error) as
    one line naming the file, instead of a traceback.

    >>> str(file_error(PermissionError(13, "Permission denied"), "sources/x.txt"))
    'sources/x.txt: cannot read the file (Permission denied); give yourself permission to read it (chmod u+r sources/x.txt)'
    """
    reason = error.strerror or type(error).__name__
    if isinstance(error, PermissionError):
        mode = {"read": "u+r", "write": "u+w"}.get(action, "u+rw")
        hint = f"give yourself permission to {action} it (chmod {mode} {path})"
    elif isinstance(error, IsADirectoryError):
        hint = "a folder has the file's name; rename or remove the folder"
    elif isinstance(error, FileNotFoundError):
        hint = "the file went away while building; run the build again"
    else:
        hint = "check the disk and the file, then build again"
    return kind(f"cannot {action} the file ({reason})", path=path, hint=hint)
