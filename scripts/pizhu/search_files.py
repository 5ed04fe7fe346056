"""The search index's I/O edge: write the files of search_index.build_index, read them back.

The MkDocs hook collects pages while MkDocs renders them (``on_page_content``) and calls
:func:`write_index` in ``on_post_build``. Shards from an earlier build that the new
manifest does not list are deleted, so a site folder never carries stale text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .atomic import write_atomic
from .search_index import (
    MANIFEST_JSON,
    MANIFEST_SCRIPT,
    SHARD_PREFIX,
    SHARD_SUFFIX,
    read_documents,
)

#: The index's folder in the site (Material reads its manifest from there).
SEARCH_DIR = "search"


def write_index(site_dir: str | Path, files: dict[str, str]) -> None:
    """Write the index files into ``site_dir/search/``: shards first, the manifest last,
    so a reader never gets a manifest whose shards are missing."""
    folder = Path(site_dir) / SEARCH_DIR
    shards = {name for name in files if name not in (MANIFEST_JSON, MANIFEST_SCRIPT)}
    for name in sorted(shards):
        write_atomic(folder / name, files[name].encode("utf-8"))
    for name in (MANIFEST_JSON, MANIFEST_SCRIPT):
        write_atomic(folder / name, files[name].encode("utf-8"))
    for stale in folder.glob(f"{SHARD_PREFIX}*{SHARD_SUFFIX}"):
        if stale.name not in shards:
            stale.unlink()


def index_files(site_dir: str | Path) -> dict[str, str]:
    """The written index files of a built site, by name (manifest and shards)."""
    folder = Path(site_dir) / SEARCH_DIR
    files = {
        path.name: path.read_text(encoding="utf-8")
        for path in folder.glob(f"{SHARD_PREFIX}*{SHARD_SUFFIX}")
    }
    for name in (MANIFEST_JSON, MANIFEST_SCRIPT):
        files[name] = (folder / name).read_text(encoding="utf-8")
    return files


def read_index(site_dir: str | Path) -> list[dict[str, Any]]:
    """Every document of a built site's index (``{"location", "title", "text"}``)."""
    return read_documents(index_files(site_dir))


def index_bytes(site_dir: str | Path) -> dict[str, int]:
    """What a reader's browser loads to search: the manifest (the larger of its two
    forms) and all shards, in bytes."""
    folder = Path(site_dir) / SEARCH_DIR
    manifest = max((folder / name).stat().st_size for name in (MANIFEST_JSON, MANIFEST_SCRIPT))
    shards = sum(path.stat().st_size for path in folder.glob(f"{SHARD_PREFIX}*{SHARD_SUFFIX}"))
    return {"manifest": manifest, "shards": shards, "total": manifest + shards}
