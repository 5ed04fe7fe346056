"""The per-source cache of the text pipeline (pizhu/cache.py): a hit gives exactly what the
pipeline gives, an edit misses for that source only, a broken entry is a miss."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import ROOT
from pizhu import cache
from pizhu.generate import find_sources, generate_pages


def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(ROOT / "sources", root / "sources")
    shutil.copy2(ROOT / "glossary.yml", root / "glossary.yml")
    (root / "docs").mkdir()
    return root


def entries(root: Path) -> set[str]:
    folder = root / cache.CACHE_DIR
    return {p.name for p in folder.iterdir()} if folder.is_dir() else set()


def test_cached_pages_are_the_pipelines_and_an_edit_misses_for_its_source_only(tmp_path):
    root = project(tmp_path)
    plain = generate_pages(root, use_cache=False)
    assert entries(root) == set()
    first = generate_pages(root)
    sources = find_sources(root)
    assert len(entries(root)) == len(sources)
    assert first == plain
    again = generate_pages(root)
    assert again == plain and len(entries(root)) == len(sources)
    # an edited source: one new entry, its page changes, the others are read back
    edited = sources[0].path
    edited.write_bytes(edited.read_bytes() + "\n新加的一段话。\n".encode(encoding_of(edited)))
    before = entries(root)
    after_edit = generate_pages(root)
    assert len(entries(root) - before) == 1
    assert after_edit == generate_pages(root, use_cache=False)
    assert "新加的一段话" in after_edit[f"speeches/{sources[0].slug}.md"]
    # an edited sidecar misses too
    sidecar = sources[1].path.with_suffix(".yml")
    sidecar.write_bytes(sidecar.read_bytes() + b"\n# a comment\n")
    before = entries(root)
    generate_pages(root)
    assert len(entries(root) - before) == 1


def encoding_of(path: Path) -> str:
    from pizhu.decode import decode

    found = decode(path.read_bytes(), path.name).encoding
    return "utf-16-le" if found.startswith("utf-16") else found


def test_a_broken_or_foreign_entry_is_a_miss(tmp_path):
    root = project(tmp_path)
    plain = generate_pages(root, use_cache=False)
    generate_pages(root)
    folder = root / cache.CACHE_DIR
    names = sorted(entries(root))
    (folder / names[0]).write_bytes(b"not a pickle")
    (folder / names[1]).write_bytes(b"")
    assert generate_pages(root) == plain
    assert (folder / names[0]).read_bytes() != b"not a pickle"  # written anew


def test_the_key_covers_bytes_sidecar_name_slug_and_code():
    base = cache.cache_key(b"text", b"sidecar", "sources/a.txt", "a")
    assert base == cache.cache_key(b"text", b"sidecar", "sources/a.txt", "a")
    others = {
        cache.cache_key(b"text2", b"sidecar", "sources/a.txt", "a"),
        cache.cache_key(b"text", None, "sources/a.txt", "a"),
        cache.cache_key(b"text", b"", "sources/a.txt", "a"),
        cache.cache_key(b"text", b"sidecar", "sources/b.txt", "a"),
        cache.cache_key(b"text", b"sidecar", "sources/a.txt", "b"),
    }
    assert base not in others and len(others) == 5
    assert len(cache.code_version()) == 64
