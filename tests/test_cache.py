"""The caches (pizhu/cache.py): per source, a hit gives exactly what the pipeline gives, an
edit misses for that source only, a broken entry is a miss; for the whole generation, an
unchanged project is one load, and any change of an input misses."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

from conftest import ROOT
from pizhu import cache
from pizhu.generate import find_sources, generate_pages
from pizhu.speech_layout import Fragment


def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(ROOT / "sources", root / "sources")
    shutil.copy2(ROOT / "glossary.yml", root / "glossary.yml")
    (root / "docs").mkdir()
    return root


def entries(root: Path) -> set[str]:
    """The keys in the project's per-source cache file."""
    path = root / cache.SPEECHES_FILE
    return set(pickle.loads(path.read_bytes())) if path.exists() else set()


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
    # an edited source: one new entry in place of its old one, its page changes, the
    # others are read back
    edited = sources[0].path
    drop_site_entries(root)  # below: the per-source cache alone
    edited.write_bytes(edited.read_bytes() + "\n新加的一段话。\n".encode(encoding_of(edited)))
    before = entries(root)
    after_edit = generate_pages(root)
    assert len(entries(root) - before) == 1 and len(before - entries(root)) == 1
    assert len(entries(root)) == len(sources)
    assert after_edit == generate_pages(root, use_cache=False)
    assert "新加的一段话" in after_edit[f"speeches/{sources[0].slug}.md"]
    # an edited sidecar misses too
    sidecar = sources[1].path.with_suffix(".yml")
    sidecar.write_bytes(sidecar.read_bytes() + b"\n# a comment\n")
    before = entries(root)
    drop_site_entries(root)
    generate_pages(root)
    assert len(entries(root) - before) == 1 and len(entries(root)) == len(sources)
    # a deleted source's entry goes with the next write
    for path in (sources[2].path, sources[2].path.with_suffix(".yml")):
        path.unlink(missing_ok=True)
    sources[0].path.write_bytes(sources[0].path.read_bytes() + b"\n")
    drop_site_entries(root)
    generate_pages(root)
    assert len(entries(root)) == len(sources) - 1


def test_an_unchanged_corpus_does_not_rewrite_the_cache_file(tmp_path):
    root = project(tmp_path)
    generate_pages(root)
    path = root / cache.SPEECHES_FILE
    inode = path.stat().st_ino  # (a write replaces the file: a new inode)
    drop_site_entries(root)
    generate_pages(root)
    assert path.stat().st_ino == inode
    source = find_sources(root)[0].path
    source.write_bytes(source.read_bytes() + b"\n")
    generate_pages(root)
    assert path.stat().st_ino != inode


def made(fragments: dict[str, list[Fragment]]) -> dict[str, list[str]]:
    return {uri: [str(fragment) for fragment in found] for uri, found in fragments.items()}


def drop_site_entries(root: Path) -> None:
    for mode in ("markdown", "fragments"):
        (root / str(cache.SITE_CACHE).format(mode=mode)).unlink(missing_ok=True)


def test_an_unchanged_project_is_one_load_and_every_input_change_misses(tmp_path):
    root = project(tmp_path)
    plain = generate_pages(root, use_cache=False)
    assert generate_pages(root) == plain
    # Nothing changed: the pages come from the site entry alone (the per-source cache,
    # emptied here, is neither read nor written).
    (root / cache.SPEECHES_FILE).write_bytes(b"")
    assert generate_pages(root) == plain
    assert not (root / cache.SPEECHES_FILE).read_bytes()
    # The hook's pages are not kept whole (their late fragments are made as MkDocs writes
    # each page), but come out the same from the per-source entries.
    fragments: dict[str, list[Fragment]] = {}
    hook_pages = generate_pages(root, fragments=fragments)
    again: dict[str, list[Fragment]] = {}
    assert generate_pages(root, fragments=again) == hook_pages
    assert made(again) == made(fragments) and any(fragments.values()) and hook_pages != plain
    assert not (root / str(cache.SITE_CACHE).format(mode="fragments")).exists()
    # Every input misses: the glossary, a hand-written page, a sidecar, a source's name.
    glossary = root / "glossary.yml"
    glossary.write_text(
        glossary.read_text(encoding="utf-8").replace("枫桥经验", "枫桥经验X", 1), encoding="utf-8"
    )
    changed = generate_pages(root)
    assert changed != plain and changed == generate_pages(root, use_cache=False)
    # A new hand-written page changes no generated page, but definitions may link to it:
    # a miss, seen as a new entry (its key is stored with it).
    entry = root / str(cache.SITE_CACHE).format(mode="markdown")
    stored = entry.read_bytes()
    (root / "docs" / "extra.md").write_text("# 另一页\n", encoding="utf-8")
    assert generate_pages(root) == changed and entry.read_bytes() != stored
    source = find_sources(root)[0].path
    for path in (source, source.with_suffix(".yml")):
        if path.exists():
            path.rename(path.with_name("zz-" + path.name))
    renamed = generate_pages(root)
    assert renamed == generate_pages(root, use_cache=False)
    assert any(path.startswith("speeches/zz-") for path in renamed)


def test_a_broken_site_entry_is_a_miss(tmp_path):
    root = project(tmp_path)
    plain = generate_pages(root)
    entry = root / str(cache.SITE_CACHE).format(mode="markdown")
    for broken in (b"", b"not a pickle", pickle.dumps(("another key", ({}, None)))):
        entry.write_bytes(broken)
        assert generate_pages(root) == plain


def encoding_of(path: Path) -> str:
    from pizhu.decode import decode

    found = decode(path.read_bytes(), path.name).encoding
    return "utf-16-le" if found.startswith("utf-16") else found


def test_a_broken_or_foreign_cache_file_or_entry_is_a_miss(tmp_path):
    root = project(tmp_path)
    plain = generate_pages(root, use_cache=False)
    generate_pages(root)
    path = root / cache.SPEECHES_FILE
    keys = sorted(entries(root))
    foreign = {keys[0]: "not a speech", keys[1]: None}
    for broken in (b"not a pickle", b"", pickle.dumps(["a list"]), pickle.dumps(foreign)):
        path.write_bytes(broken)
        drop_site_entries(root)
        assert generate_pages(root) == plain
        assert entries(root) == set(keys)  # written anew, whole


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
