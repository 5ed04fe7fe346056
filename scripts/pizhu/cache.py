"""Caches on disk (``.cache/pizhu/`` in the project; ``make clean`` removes it): the text
pipeline's result per source, and the whole generation's pages for the inputs they came
from (an unchanged corpus costs reading and hashing its files, then one load).

The key is a hash of everything the result depends on: the source's bytes, its sidecar's
bytes, its name and slug, and the code (every module of this package), so an edit of any
of them misses and nothing stale is ever used. An entry that cannot be read (a partial
write, a different Python) is a miss. Entries are written atomically.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

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


# --- the whole generation, when nothing changed -------------------------------------------

SITE_CACHE = Path(".cache") / "pizhu" / "site-{mode}.pickle"


def inputs_key(parts: Iterable[bytes]) -> str:
    """A hash of every input of the generation (each part length-prefixed) and the code."""
    digest = hashlib.sha256(code_version().encode())
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def load_site(root: Path, mode: str, key: str) -> Any | None:
    """The pages generated last time in ``mode`` if their inputs had ``key``, else None.

    One entry per mode (only Markdown, for ``build.py build``, is kept: see
    generate.generate_pages): the previous generation is all an editor's next build can
    reuse, so the cache stays one corpus's size."""
    path = root / str(SITE_CACHE).format(mode=mode)
    try:
        stored_key, value = pickle.loads(path.read_bytes())
    except Exception:  # missing, partial or from another Python: a miss
        return None
    return value if stored_key == key else None


def store_site(root: Path, mode: str, key: str, value: Any) -> None:
    with contextlib.suppress(OSError):
        path = root / str(SITE_CACHE).format(mode=mode)
        write_atomic(path, pickle.dumps((key, value), protocol=5))
