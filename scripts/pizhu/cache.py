"""A cache of the text pipeline's result per source, on disk (``.cache/pizhu/`` in the
project; ``make clean`` removes it).

The key is a hash of everything the result depends on: the source's bytes, its sidecar's
bytes, its name and slug, and the code (every module of this package), so an edit of any
of them misses and nothing stale is ever used. An entry that cannot be read (a partial
write, a different Python) is a miss. Entries are written atomically.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
from functools import cache
from pathlib import Path

from .atomic import write_atomic
from .model import Speech

CACHE_DIR = Path(".cache") / "pizhu" / "speeches"
FORMAT = b"pizhu-speech-1"


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


def load(root: Path, key: str) -> Speech | None:
    """The cached speech for ``key``, or None (missing or unreadable)."""
    path = root / CACHE_DIR / f"{key}.pickle"
    try:
        speech = pickle.loads(path.read_bytes())
    except Exception:  # any unreadable entry is a miss, never an error
        return None
    return speech if isinstance(speech, Speech) else None


def store(root: Path, key: str, speech: Speech) -> None:
    """Keep ``speech`` for ``key``; a cache that cannot be written is not an error."""
    with contextlib.suppress(OSError):
        write_atomic(root / CACHE_DIR / f"{key}.pickle", pickle.dumps(speech, protocol=5))
