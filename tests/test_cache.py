"""The caches (pizhu/cache.py): per source, a hit gives exactly what the pipeline gives, an
edit misses for that source only, a broken entry is a miss; for ``build.py build``, an
unchanged project with docs/ as it was written generates nothing, and any change of an
input or of a written page misses."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from pizhu import cache
from pizhu.errors import PizhuError
from pizhu.generate import build_docs, find_sources, generate_pages, load_speeches
from pizhu.memo import Memo
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
    generate_pages(root)
    assert len(entries(root) - before) == 1 and len(entries(root)) == len(sources)
    # a deleted source's entry goes with the next write
    for path in (sources[2].path, sources[2].path.with_suffix(".yml")):
        path.unlink(missing_ok=True)
    sources[0].path.write_bytes(sources[0].path.read_bytes() + b"\n")
    generate_pages(root)
    assert len(entries(root)) == len(sources) - 1


def made(fragments: dict[str, list[Fragment]]) -> dict[str, list[str]]:
    return {uri: [str(fragment) for fragment in found] for uri, found in fragments.items()}


def test_the_hooks_pages_come_out_the_same_from_the_cache(tmp_path):
    root = project(tmp_path)
    fragments: dict[str, list[Fragment]] = {}
    hook_pages = generate_pages(root, fragments=fragments)
    again: dict[str, list[Fragment]] = {}
    assert generate_pages(root, fragments=again) == hook_pages
    assert made(again) == made(fragments) and any(fragments.values())
    assert hook_pages != generate_pages(root)


def test_an_unchanged_corpus_does_not_rewrite_the_cache_file(tmp_path):
    root = project(tmp_path)
    generate_pages(root)
    path = root / cache.SPEECHES_FILE
    inode = path.stat().st_ino  # (a write replaces the file: a new inode)
    generate_pages(root)
    assert path.stat().st_ino == inode
    source = find_sources(root)[0].path
    source.write_bytes(source.read_bytes() + b"\n")
    generate_pages(root)
    assert path.stat().st_ino != inode


def docs_of(root: Path) -> dict[str, bytes]:
    docs = root / "docs"
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in docs.rglob("*") if p.is_file()}


def test_an_unchanged_project_generates_nothing_and_every_input_change_misses(tmp_path):
    root = project(tmp_path)
    first = build_docs(root)
    assert first.written and not first.unchanged
    written = docs_of(root)
    # Nothing changed: nothing is generated (the per-source cache, emptied here, is not
    # read) and every page is reported unchanged.
    (root / cache.SPEECHES_FILE).write_bytes(b"")
    again = build_docs(root)
    assert again.unchanged == first.written and not again.written and not again.deleted
    assert not (root / cache.SPEECHES_FILE).read_bytes() and docs_of(root) == written
    # A page changed or deleted in docs/ by hand: generated again, and put back.
    page = root / "docs" / first.written[0]
    page.write_bytes(page.read_bytes() + b"x")
    (root / "docs" / first.written[1]).unlink()
    repaired = build_docs(root)
    assert set(repaired.written) == set(first.written[:2]) and docs_of(root) == written
    # Every input misses: the glossary, a hand-written page, a sidecar, a source's name.
    glossary = root / "glossary.yml"
    glossary.write_text(
        glossary.read_text(encoding="utf-8").replace("枫桥经验", "枫桥经验X", 1), encoding="utf-8"
    )
    assert build_docs(root).written
    changed = docs_of(root)
    assert changed != written
    assert {k: v.decode() for k, v in changed.items() if k in generated(root)} == generated(root)
    # A new hand-written page changes no generated page, but definitions may link to it:
    # a miss, seen as the entry written anew.
    entry = root / cache.SITE_CACHE
    stored = entry.read_bytes()
    (root / "docs" / "extra.md").write_text("# 另一页\n", encoding="utf-8")
    assert not build_docs(root).written and entry.read_bytes() != stored
    stored = entry.read_bytes()
    source = find_sources(root)[0].path
    sidecar = source.with_suffix(".yml")
    if sidecar.exists():
        sidecar.write_bytes(sidecar.read_bytes() + b"\n# a comment\n")
        build_docs(root)
        assert entry.read_bytes() != stored
    for path in (source, sidecar):
        if path.exists():
            path.rename(path.with_name("zz-" + path.name))
    renamed = build_docs(root)
    assert any(path.startswith("speeches/zz-") for path in renamed.written)
    assert renamed.deleted and docs_of(root).keys() >= generated(root).keys()


def generated(root: Path) -> dict[str, str]:
    return generate_pages(root, use_cache=False)


def test_a_broken_site_entry_is_a_miss(tmp_path):
    root = project(tmp_path)
    build_docs(root)
    written = docs_of(root)
    entry = root / cache.SITE_CACHE
    page = root / "docs" / f"speeches/{find_sources(root)[0].slug}.md"
    for broken in (b"", b"not a pickle", pickle.dumps(("another key", {})), pickle.dumps(1)):
        entry.write_bytes(broken)
        page.unlink()  # (a hit would not notice: the entry is broken)
        result = build_docs(root)
        assert docs_of(root) == written and result.written and not result.deleted


def test_a_broken_or_foreign_cache_file_or_entry_is_a_miss(tmp_path):
    root = project(tmp_path)
    plain = generate_pages(root, use_cache=False)
    generate_pages(root)
    path = root / cache.SPEECHES_FILE
    keys = sorted(entries(root))
    foreign = {keys[0]: "not a speech", keys[1]: None}
    for broken in (b"not a pickle", b"", pickle.dumps(["a list"]), pickle.dumps(foreign)):
        path.write_bytes(broken)
        assert generate_pages(root) == plain
        assert entries(root) == set(keys)  # written anew, whole


def encoding_of(path: Path) -> str:
    from pizhu.decode import decode

    found = decode(path.read_bytes(), path.name).encoding
    return "utf-16-le" if found.startswith("utf-16") else found


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


def test_a_generation_that_failed_half_way_leaves_nothing_in_the_next_write(tmp_path):
    """Under serve one store lives through every build: what a build that stopped at a bad
    source had kept is not written by the next one."""
    root = project(tmp_path)
    memo = Memo()
    sources = find_sources(root)
    first, last = sources[0].path, sources[-1].path
    good = last.read_bytes()
    last.write_bytes(b"")  # an empty source stops the generation at the last speech
    with pytest.raises(PizhuError):
        load_speeches(root, use_cache=True, memo=memo)
    memo.end_build()
    assert entries(root) == set()  # nothing saved by the failed build
    for path in (first, first.with_suffix(".yml")):
        path.unlink(missing_ok=True)
    last.write_bytes(good)
    speeches = load_speeches(root, use_cache=True, memo=memo)
    assert len(entries(root)) == len(speeches) == len(sources) - 1


def test_what_earlier_versions_cached_goes_at_the_next_write(tmp_path):
    root = project(tmp_path)
    old = root / ".cache" / "pizhu"
    (old / "speeches").mkdir(parents=True)
    (old / "speeches" / "0123.pickle").write_bytes(b"an entry of the old layout")
    (old / "site-markdown.pickle").write_bytes(b"every page, kept whole")
    kept = old / "unrelated.txt"  # (not ours to delete)
    kept.write_text("x", encoding="utf-8")
    generate_pages(root)
    assert not (old / "speeches").exists() and not (old / "site-markdown.pickle").exists()
    assert kept.exists() and (root / cache.SPEECHES_FILE).is_file()
