"""Caches on disk (``.cache/pizhu/`` in the project; ``make clean`` removes it): the text
pipeline's result per source, and, for ``build.py build``, what it wrote to docs/ for the
inputs it read (an unchanged corpus costs reading and hashing its files and a look at
docs/).

The key is a hash of everything the result depends on: the source's bytes, its sidecar's
bytes, its name and slug, and the code (every module of this package), so an edit of any
of them misses and nothing stale is ever used. An entry that cannot be read (a partial
write, a different Python) is a miss. Files are written atomically.

The per-source results are one file, not one per source: creating a file costs far more
than writing its bytes (0.55 ms each on the test machine, so 0.55 s for 1,000 speeches,
against 15 ms to write the same 28 MB as one file), and one file holds exactly the
entries the last generation used, so the entries of edited or deleted sources do not pile
up.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
import shutil
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from .atomic import write_atomic
from .model import Speech

SPEECHES_FILE = Path(".cache") / "pizhu" / "speeches.pickle"
FORMAT = b"pizhu-speech-2"
# What earlier versions kept in .cache/pizhu/ and nothing reads now: a file per source,
# and every page of the last generation (67 MB at 1,000 speeches). Removed at the next
# write of the cache.
OBSOLETE = (
    Path(".cache") / "pizhu" / "speeches",
    Path(".cache") / "pizhu" / "site-markdown.pickle",
    Path(".cache") / "pizhu" / "site-fragments.pickle",
)


def remove_obsolete(root: Path) -> None:
    """Delete what earlier versions cached (OBSOLETE); what cannot be deleted stays."""
    for relative in OBSOLETE:
        path = Path(root) / relative
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        elif path.exists():
            with contextlib.suppress(OSError):
                path.unlink()


@cache
def code_version() -> str:
    """A hash of this package's code: a change to any module is a new cache."""
    digest = hashlib.sha256(FORMAT)
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".md", ".yml"):
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_key(data: bytes, sidecar: bytes | None, name: str, slug: str) -> str:
    digest = hashlib.sha256(code_version().encode())
    for part in (name.encode(), slug.encode(), data, b"\0" if sidecar is None else sidecar):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


class SpeechStore:
    """The per-source cache of one project: key -> :class:`~pizhu.model.Speech`, kept in
    ``.cache/pizhu/speeches.pickle``.

    The file is read at the first :meth:`get`. Every speech a generation uses is
    :meth:`keep`-ed, and :meth:`save` writes those, and only those, if any of them was not
    in the file: an unchanged corpus writes nothing, an edit rewrites the file without the
    edited source's old entry.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.path = self.root / SPEECHES_FILE
        self._stored: dict[str, Speech] | None = None  # the file's entries, once read
        self._kept: dict[str, Speech] = {}
        self._new = False  # a kept speech that the file does not have

    def _entries(self) -> dict[str, Speech]:
        if self._stored is None:
            try:
                found = pickle.loads(self.path.read_bytes())
            except Exception:  # missing, partial, from another Python or code: all miss
                found = None
            self._stored = found if isinstance(found, dict) else {}
        return self._stored

    def start(self) -> None:
        """Begin a generation: forget what a generation that failed half-way kept."""
        self._kept, self._new = {}, False

    def get(self, key: str) -> Speech | None:
        """The cached speech for ``key``, or None."""
        speech = self._entries().get(key)
        return speech if isinstance(speech, Speech) else None

    def keep(self, key: str, speech: Speech) -> None:
        """``speech`` is this generation's for ``key`` (found here, in a memo, or made)."""
        self._kept[key] = speech
        if not self._new and key not in self._entries():
            self._new = True

    def save(self) -> None:
        """Write the kept speeches if the file lacks any. A cache that cannot be written is
        not an error."""
        kept, new = self._kept, self._new
        self.start()
        if not new:
            return
        with contextlib.suppress(OSError):
            write_atomic(self.path, pickle.dumps(kept, protocol=5))
        self._stored = kept
        remove_obsolete(self.root)


# --- the whole generation, when nothing changed -------------------------------------------

SITE_CACHE = Path(".cache") / "pizhu" / "docs-written.pickle"


def inputs_key(parts: Iterable[bytes]) -> str:
    """A hash of every input of the generation (each part length-prefixed) and the code."""
    digest = hashlib.sha256(code_version().encode())
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def load_site(root: Path, key: str) -> Any | None:
    """What the last ``build.py build`` kept about the pages it wrote, if their inputs had
    ``key``, else None. One entry: the last generation is all the next one can reuse."""
    path = root / SITE_CACHE
    try:
        stored_key, value = pickle.loads(path.read_bytes())
    except Exception:  # missing, partial or from another Python: a miss
        return None
    return value if stored_key == key else None


def store_site(root: Path, key: str, value: Any) -> None:
    with contextlib.suppress(OSError):
        write_atomic(root / SITE_CACHE, pickle.dumps((key, value), protocol=5))
