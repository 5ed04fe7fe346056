"""occurrences.py: the linker over every block of every speech, and the numbers read from it."""

from __future__ import annotations

import pytest

from conftest import ROOT
from pizhu.generate import load_speeches
from pizhu.glossary import load_glossary, parse_glossary
from pizhu.link import Linker
from pizhu.model import Block, Speech
from pizhu.occurrences import RELATED_LIMIT, build_index, find_occurrences

GLOSSARY = parse_glossary(
    "\n".join(
        f"{term_id}:\n  term: {term}\n  category: 政治理论\n  summary: {term}的简介。\n"
        f"  definition: {term}的定义。\n"
        + (f"  aliases: [{', '.join(aliases)}]\n" if aliases else "")
        for term_id, term, aliases in [
            ("a", "两个维护", ["“两个维护”制度"]),
            ("b", "四个意识", []),
            ("c", "四风", []),
            ("d", "三会一课", []),
            ("e", "枫桥经验", []),
        ]
    )
)


def speech(slug: str, *blocks: str | tuple[str, int]) -> Speech:
    """Blocks: a string is a paragraph, (text, level) a heading."""
    made = tuple(
        Block("heading", b[0], b[1]) if isinstance(b, tuple) else Block("paragraph", b)
        for b in blocks
    )
    return Speech(slug=slug, title=slug, blocks=made)


def test_paragraph_numbers_and_heading_targets():
    s = speech(
        "x",
        ("一、四风问题", 2),  # before the first paragraph: points at paragraph 1
        "反对四风，做到两个维护。",
        ("（一）四个意识", 3),
        ("（二）四风", 3),  # two headings in a row: both point at the next paragraph
        "增强四个意识。",
        ("三、三会一课", 2),  # the last block: points back at the last paragraph
    )
    found = find_occurrences(s, Linker(GLOSSARY))
    assert [(o.surface, o.block, o.paragraph, o.target) for o in found] == [
        ("四风", 0, None, 1),
        ("四风", 1, 1, 1),
        ("两个维护", 1, 1, 1),
        ("四个意识", 2, None, 2),
        ("四风", 3, None, 2),
        ("四个意识", 4, 2, 2),
        ("三会一课", 5, None, 2),
    ]
    assert [o.in_heading for o in found] == [True, False, False, True, True, False, True]
    for o in found:
        assert s.blocks[o.block].text[o.start : o.end] == o.surface


def test_a_speech_of_headings_only_has_no_target():
    found = find_occurrences(speech("x", ("一、四风", 2)), Linker(GLOSSARY))
    assert [(o.paragraph, o.target) for o in found] == [(None, None)]


def test_alias_counts_for_its_term_and_longest_match_wins():
    found = find_occurrences(speech("x", "落实“两个维护”制度和两个维护。"), Linker(GLOSSARY))
    assert [(o.term_id, o.surface) for o in found] == [("a", "“两个维护”制度"), ("a", "两个维护")]


def test_term_counts_most_frequent_first_then_glossary_order():
    index = build_index([speech("x", "枫桥经验，四风，四风，四个意识，两个维护。")], GLOSSARY)
    assert [(tc.term.id, tc.count) for tc in index.term_counts("x")] == [
        ("c", 2),
        ("a", 1),
        ("b", 1),
        ("e", 1),
    ]


def test_headings_count_everywhere():
    index = build_index([speech("x", ("一、四风", 2), "反对四风。")], GLOSSARY)
    assert [(tc.term.id, tc.count) for tc in index.term_counts("x")] == [("c", 2)]
    assert index.totals("c") == (1, 2)
    assert len(index.of_term("c")["x"]) == 2


def test_of_term_in_speech_order_and_totals():
    speeches = [speech("new", "四风。"), speech("none", "没有。"), speech("old", "四风，四风。")]
    index = build_index(speeches, GLOSSARY)
    assert list(index.of_term("c")) == ["new", "old"]
    assert index.totals("c") == (2, 3)
    assert index.totals("e") == (0, 0)
    assert index.of_term("e") == {}
    assert index.in_speech("missing") == ()


def test_related_by_shared_concepts_ties_in_speech_order():
    speeches = [
        speech("me", "两个维护、四个意识、四风、三会一课。"),
        speech("one", "四风，四风，四风。"),  # shares 1 (however often)
        speech("three", "两个维护、四个意识、四风。"),  # shares 3
        speech("none", "枫桥经验。"),  # shares nothing: not listed
        speech("two-a", "两个维护、四风。"),  # shares 2
        speech("two-b", "四个意识、三会一课。"),  # shares 2, after two-a in speech order
    ]
    index = build_index(speeches, GLOSSARY)
    assert [(r.speech.slug, r.shared) for r in index.related("me")] == [
        ("three", 3),
        ("two-a", 2),
        ("two-b", 2),
        ("one", 1),
    ]
    assert [r.speech.slug for r in index.related("none")] == []
    assert index.related("me", limit=2)[-1].speech.slug == "two-a"


def test_related_counts_and_ranks_the_same_both_ways(bundled_index):
    """related() counts shared concepts through each concept's speeches or by the bits two
    speeches have in common, whichever is less work: the ranked lists must be the same, at
    every limit (ties in position order; no speech that shares nothing)."""
    for index in (bundled_index, build_index(SHARING, GLOSSARY)):
        size = len(index.speeches)
        for position, s in enumerate(index.speeches):
            mine = {o.term_id for o in index.in_speech(s.slug)}
            for limit in range(1, size + 1):
                by_concepts = index._related_by_concepts(mine, position, limit)
                assert by_concepts == index._related_by_bits(position, limit), (s.slug, limit)
        assert any(index._related_by_bits(p, size) for p in range(size))
        ties = [index._related_by_bits(p, size) for p in range(size)]
        assert any(len({count for _, count in found}) < len(found) for found in ties)


SHARING = [
    speech("a", "两个维护、四个意识、四风、三会一课。"),
    speech("b", "四风，四风。两个维护。"),
    speech("c", "枫桥经验。"),
    speech("d", "三会一课、四个意识、枫桥经验。"),
]


def test_related_is_limited():
    speeches = [speech(f"s{i}", "四风。") for i in range(RELATED_LIMIT + 3)]
    assert len(build_index(speeches, GLOSSARY).related("s0")) == RELATED_LIMIT


@pytest.fixture(scope="module")
def bundled_index():
    return build_index(load_speeches(ROOT), load_glossary(ROOT / "glossary.yml"))


def test_bundled_counts_equal_the_linker_over_the_blocks(bundled_index):
    linker = Linker(bundled_index.glossary)
    for s in bundled_index.speeches:
        expected = sum(len(linker.find(block.text)) for block in s.blocks)
        assert len(bundled_index.in_speech(s.slug)) == expected, s.slug
        assert sum(tc.count for tc in bundled_index.term_counts(s.slug)) == expected
    for term in bundled_index.glossary:
        _, total = bundled_index.totals(term.id)
        assert total == sum(
            1
            for s in bundled_index.speeches
            for o in bundled_index.in_speech(s.slug)
            if o.term_id == term.id
        )
