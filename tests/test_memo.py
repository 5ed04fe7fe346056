"""The in-memory results of ``mkdocs serve`` (pizhu/memo.py): a build whose inputs are
last build's renders nothing again, an edit renders only what depends on it, and the pages
are always exactly those of a build without the memo."""

from __future__ import annotations

import dataclasses

from conftest import ROOT
from pizhu.generate import find_sources, generate_pages, load_speech
from pizhu.memo import Memo
from pizhu.speech_layout import Fragment
from test_cache import encoding_of, project


def test_a_key_equal_by_value_hits_and_unused_entries_go():
    memo = Memo()
    calls = []

    def compute(name):
        return lambda: calls.append(name) or name.upper()

    assert memo.get(("k", "a"), compute("a")) == "A"
    assert memo.get(("k", "b"), compute("b")) == "B"
    memo.end_build()
    # the next build uses only "a": a hit, kept; "b" unused goes after end_build
    assert memo.get(("k", "a"), compute("a")) == "A"
    assert (memo.hits, memo.misses) == (1, 0)
    memo.end_build()
    assert memo.get(("k", "b"), compute("b")) == "B"
    assert calls == ["a", "b", "b"]


def test_a_speech_is_a_key_by_value():
    source = find_sources(ROOT)[0]
    one, two = load_speech(source), load_speech(source)
    assert one is not two and one == two
    memo = Memo()
    memo.get(("page", one), lambda: "page")
    assert memo.get(("page", two), lambda: "other") == "page"
    edited = dataclasses.replace(two, title="另一个标题")
    assert memo.get(("page", edited), lambda: "other") == "other"


def made(fragments: dict[str, list[Fragment]]) -> dict[str, list[str]]:
    """Late fragments made, as the hook makes them when it writes a page."""
    return {uri: [str(fragment) for fragment in found] for uri, found in fragments.items()}


def test_with_the_memo_an_edit_renders_its_speech_again_and_the_pages_are_exact(tmp_path):
    root = project(tmp_path)
    memo = Memo()

    def build() -> tuple[dict[str, str], dict[str, list[str]], int]:
        fragments: dict[str, list[Fragment]] = {}
        pages = generate_pages(root, fragments=fragments, memo=memo)
        misses = memo.misses
        memo.end_build()
        return pages, made(fragments), misses

    def plain() -> tuple[dict[str, str], dict[str, list[str]]]:
        fragments: dict[str, list[Fragment]] = {}
        return generate_pages(root, fragments=fragments, use_cache=False), made(fragments)

    sources = find_sources(root)
    pages, fragments, misses = build()
    assert (pages, fragments) == plain()
    assert misses >= 3 * len(sources)  # each speech, its occurrences, its page (+ linker)
    pages, fragments, misses = build()  # nothing changed: nothing computed again
    assert misses == 0 and (pages, fragments) == plain()
    edited = sources[0].path
    edited.write_bytes(edited.read_bytes() + "\n新加的一段话。\n".encode(encoding_of(edited)))
    pages, fragments, misses = build()
    # the speech, its occurrences, its page: and no other speech page (unless its related
    # speeches changed, which a sentence without a concept cannot do)
    assert misses == 3
    assert (pages, fragments) == plain()
    assert "新加的一段话" in "".join(fragments[f"speeches/{sources[0].slug}.md"])
