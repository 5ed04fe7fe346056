"""Which pages a ``mkdocs serve --dirty`` build renders again (``make serve``).

A dirty build renders only the pages whose file says ``is_modified()``. For a file in
docs/ MkDocs compares times (its page in site/ is older than it); a generated page is
always "modified". Pizhu makes the choice exact, so a dirty build gives the site a clean
build would:

- a generated page is rendered when its Markdown or its fragments differ from what the
  last build rendered (:func:`page_digest`);
- everything is rendered, into an emptied site/, when something that other pages show
  changed (:func:`site_shape`): the set of pages, a page's front matter or title (its
  tags are listed on the tags page, its title in the navigation), a page that lists tags,
  a hand-written file, mkdocs.yml or the theme's overrides, or the error banner that
  serve puts on every page;
- a page that lists tags is read every build even when it is not rendered (Material's
  tags plugin collects its listings while reading, and the tag links of every rendered
  page come from them): :data:`TAGS_LISTING`.

Pure: the hook (scripts/mkdocs_hook.py) gathers the inputs and keeps the results.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

# A page with one of these is a tags listing (Material's tags plugin, speeches/tags.md).
TAGS_LISTING = "<!-- material/tags"
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
_TITLE = re.compile(r"^# .*$", re.MULTILINE)


def page_digest(content: str, fragments: Sequence[str] = ()) -> bytes:
    """What a generated page renders from: its Markdown and its fragments."""
    digest = hashlib.blake2b(digest_size=16)
    for part in (content, *fragments):
        data = part.encode("utf-8")
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.digest()


def lists_tags(content: str) -> bool:
    return TAGS_LISTING in content


def _what_others_show(content: str) -> str:
    """The part of a page other pages show: its front matter (title, tags) and title; all
    of it for a tags listing."""
    if lists_tags(content):
        return content
    front = _FRONT_MATTER.match(content)
    title = _TITLE.search(content)
    return (front.group(0) if front else "") + (title.group(0) if title else "")


def file_stamps(paths: Iterable[Path]) -> list[str]:
    """Each file under ``paths`` (files or folders) as "path size mtime": a change to any
    of them, or a file added or removed, changes the list."""
    stamps = []
    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            try:
                stat = file.stat()
            except OSError:
                continue
            stamps.append(f"{file.as_posix()} {stat.st_size} {stat.st_mtime_ns}")
    return stamps


def site_shape(pages: Mapping[str, str], stamps: Sequence[str], error: str | None) -> bytes:
    """A digest of what every page depends on (see the module): when it changes, a dirty
    build renders everything."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(pages):
        digest.update(f"\0page\0{path}\0{_what_others_show(pages[path])}".encode())
    for stamp in stamps:
        digest.update(f"\0file\0{stamp}".encode())
    digest.update(f"\0error\0{error or ''}".encode())
    return digest.digest()
