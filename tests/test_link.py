"""link.py: one-pass, leftmost-longest matching of every glossary form.

Cases are data (tests/cases/link/*.yml). Each case is one string with the expected hits
marked inline as ``⟦surface|term-id⟧`` (or ``⟦surface⟧`` when the surface names its
entry unambiguously); the linker sees the string without the markers. A case with
``xfail: why`` documents a known limitation (strict: fixing it is noticed).

``benchmark()`` at the bottom measures the linker on synthetic data; run it with
``.venv/bin/python tests/test_link.py [terms] [speeches] [chars]``.
"""

from __future__ import annotations

import itertools
import random
import re
import sys
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from pizhu.glossary import load_glossary
from pizhu.link import Hit, Linker, _patterns, _quoted
from pizhu.variants import balance_quotes, cuts_coordination, view_of

ROOT = Path(__file__).resolve().parent.parent
CASE_FILES = sorted((ROOT / "tests" / "cases" / "link").glob("*.yml"))
MARK = re.compile(r"⟦([^⟦⟧|]+)(?:\|([a-z0-9-]+))?⟧")


def _forms(case_file: dict) -> dict[str, str]:
    if case_file.get("glossary") == "bundled":
        return load_glossary(ROOT / "glossary.yml").forms()
    return {form: term_id for term_id, forms in case_file["terms"].items() for form in forms}


def _unmark(marked: str, forms: dict[str, str]) -> tuple[str, list[Hit]]:
    """The plain text and the hits the markers stand for."""
    text_parts: list[str] = []
    hits: list[Hit] = []
    position = 0
    length = 0
    for match in MARK.finditer(marked):
        before = marked[position : match.start()]
        text_parts.append(before)
        length += len(before)
        surface, term_id = match.group(1), match.group(2) or forms[match.group(1)]
        hits.append(Hit(length, length + len(surface), term_id, surface))
        text_parts.append(surface)
        length += len(surface)
        position = match.end()
    text_parts.append(marked[position:])
    return "".join(text_parts), hits


def _cases() -> list:
    params = []
    for path in CASE_FILES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            marks = (
                [pytest.mark.xfail(reason=case["xfail"], strict=True)] if "xfail" in case else []
            )
            params.append(pytest.param(data, case, id=f"{path.stem}: {case['name']}", marks=marks))
    return params


#: Both ways of finding the keys (link.REGEX_FIRST_CHARS picks one by glossary size);
#: every case and every comparison with the reference runs on each.
ENGINES = pytest.mark.parametrize("engine", ["automaton", "regex"])


@pytest.fixture(scope="module")
def linkers() -> dict[tuple[int, str], Linker]:
    return {}


@ENGINES
@pytest.mark.parametrize(("case_file", "case"), _cases())
def test_link_case(
    case_file: dict, case: dict, engine: str, linkers: dict[tuple[int, str], Linker]
) -> None:
    forms = _forms(case_file)
    key = (id(case_file), engine)
    linker = linkers.setdefault(key, Linker.from_forms(forms, engine))  # type: ignore[arg-type]
    text, expected = _unmark(case["marked"], forms)
    hits = linker.find(text)
    assert hits == expected
    assert all(text[h.start : h.end] == h.surface for h in hits)  # offsets point at the text


def test_linker_from_glossary_equals_linker_from_forms() -> None:
    glossary = load_glossary(ROOT / "glossary.yml")
    text = "增强“四个意识”、坚定“四个自信”、做到“两个维护”，坚持全面从严治党治警"
    assert Linker(glossary).find(text) == Linker.from_forms(glossary.forms()).find(text)


def test_empty_glossary_finds_nothing() -> None:
    assert Linker.from_forms({}).find("四风") == []


def test_empty_form_is_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        Linker.from_forms({"": "x"})


def _reference(forms: dict[str, str], text: str) -> list[Hit]:
    """Obviously correct (and slow) matching, for comparison with the automaton.

    Every pattern is spelt out as every string it stands for in the view (each order of a
    plain list, each joiner between items); then leftmost-longest by brute force, with the
    same guards, mapped back to the text.
    """
    spelt: list[tuple[str, int]] = []  # (view string, pattern number)
    patterns = _patterns(forms)
    for number, pattern in enumerate(patterns):
        orders = itertools.permutations(pattern.items) if pattern.any_order else [pattern.items]
        for order in orders:
            for joiners in itertools.product(("、", "和", ""), repeat=len(order) - 1):
                pairs = zip(order, (*joiners, ""), strict=True)
                spelt.append(("".join(itertools.chain(*pairs)), number))
    view = view_of(text)
    seen = view.text
    hits, position, floor = [], 0, 0
    while position < len(seen):
        best = None
        for string, number in spelt:
            end = position + len(string)
            if not seen.startswith(string, position) or cuts_coordination(seen, end):
                continue
            first, last = view.span(position, end)
            if patterns[number].quoted_only and not _quoted(text, first, last):
                continue
            if best is None or (len(string), -number) > (best[0], -best[1]):
                best = (len(string), number, first, last)
        if best is None:
            position += 1
            continue
        length, number, first, last = best
        first, last = balance_quotes(text, first, last, floor)
        hits.append(Hit(first, last, patterns[number].term_id, text[first:last]))
        position, floor = position + length, last
    return hits


@ENGINES
@pytest.mark.parametrize("seed", range(30))
def test_matches_reference_on_random_overlapping_forms(seed: int, engine: str) -> None:
    # A tiny alphabet makes forms overlap, share prefixes and suffixes, and nest; some
    # forms are lists; the text has quotes, spaces, separators, 和 and redactions.
    rng = random.Random(seed)
    alphabet = "四个风两维护"
    forms = {}
    for index in range(rng.randint(1, 12)):
        form = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 5)))
        if rng.random() < 0.3:
            items = rng.randint(2, 3)
            form = "、".join(
                "".join(rng.choice(alphabet) for _ in range(rng.randint(2, 3)))
                for _ in range(items)
            )
        forms.setdefault(form, f"t{index}")
    linker = Linker.from_forms(forms, engine)  # type: ignore[arg-type]
    noise = ["，", "、", "和", " ", "“", "”", "XX"]
    for _ in range(20):
        text = "".join(
            rng.choice(alphabet) if rng.random() < 0.8 else rng.choice(noise)
            for _ in range(rng.randint(0, 40))
        )
        assert linker.find(text) == _reference(forms, text), (forms, text)


_PROPERTY_FORMS = {
    "两个维护": "a",
    "四风": "b",
    "维护四风": "c",
    "对党忠诚、服务人民、执法公正": "d",
    "习近平法治思想": "e",
    "公安姓党": "f",
    "全面从严治党": "g",
}
# Pieces of speeches and of their noise: forms, halves of forms and of variants, list
# items, quotes of several styles, spaces, separators, 和, redactions, a line break. Few
# enough that they meet often (a quote inside a form, a coordination after one).
_PIECES = st.sampled_from(
    [
        *("两个", "维护", "四", "风", "两个“维护", "“四”", "对党忠诚", "服务人民", "执法公正"),
        *("XX法治思想", "习近平", "法治思想", "××姓党", "公安", "姓党", "全面从严治党", "治警"),
        *("“", "”", "「", "」", '"', " ", "，", "、", "和", "。", "\n"),
    ]
)


@ENGINES
@settings(max_examples=300, deadline=None)
@given(text=st.lists(_PIECES, min_size=1, max_size=30).map("".join))
def test_property_hits_are_exact_spans_and_match_the_reference(text: str, engine: str) -> None:
    hits = Linker.from_forms(_PROPERTY_FORMS, engine).find(text)  # type: ignore[arg-type]
    assert hits == _reference(_PROPERTY_FORMS, text)
    position = 0
    for hit in hits:
        assert position <= hit.start < hit.end and text[hit.start : hit.end] == hit.surface
        assert not hit.surface[0].isspace() and not hit.surface[-1].isspace()
        assert "\n" not in hit.surface
        position = hit.end


def test_benchmark_smoke() -> None:
    # Not a timing test: checks the benchmark still runs and agrees with the reference.
    result = benchmark(terms=40, speeches=5, chars=2000, check=True)
    assert result["chars"] == 10_000 and result["hits"] > 0


# --- benchmark (not a test) -------------------------------------------------------------


def benchmark(
    terms: int = 2000, speeches: int = 100, chars: int = 8000, *, check: bool = False
) -> dict[str, float]:
    """Time Linker on synthetic data: ``terms`` forms, ``speeches`` texts of ``chars`` chars.

    Terms and texts are drawn from the character frequencies of the bundled speeches, so
    common first characters (两, 四, 党 …) occur as often as in real text. Deterministic.
    """
    rng = random.Random(20240501)
    pool = [
        c
        for path in sorted((ROOT / "sources").glob("*.txt"))
        for c in path.read_text(encoding="utf-8")
        if "\u4e00" <= c <= "\u9fff"
    ] or [chr(0x4E00 + i) for i in range(3000)]
    lengths = [2, 3, 4, 4, 4, 4, 5, 6, 6, 8, 10, 12]
    forms: dict[str, str] = {}
    while len(forms) < terms:
        form = "".join(rng.choice(pool) for _ in range(rng.choice(lengths)))
        forms.setdefault(form, f"term-{len(forms)}")
    names = sorted(forms)

    def speech() -> str:
        parts, size = [], 0
        while size < chars:
            if rng.random() < 0.02:
                part = rng.choice(names)
            else:
                part = "".join(rng.choice(pool) for _ in range(rng.randint(5, 30)))
                part += rng.choice("，。、“”")
            parts.append(part)
            size += len(part)
        return "".join(parts)[:chars]

    texts = [speech() for _ in range(speeches)]
    started = time.perf_counter()
    linker = Linker.from_forms(forms)
    built = time.perf_counter()
    found = [linker.find(text) for text in texts]
    scanned = time.perf_counter()
    if check:
        for text, hits in zip(texts, found, strict=True):
            assert hits == _reference(forms, text)
    return {
        "terms": terms,
        "chars": sum(map(len, texts)),
        "hits": sum(map(len, found)),
        "build_seconds": round(built - started, 3),
        "scan_seconds": round(scanned - built, 3),
    }


if __name__ == "__main__":
    print(benchmark(*(int(arg) for arg in sys.argv[1:4])))


def test_the_glossary_picks_the_engine_by_first_characters() -> None:
    from pizhu.link import REGEX_FIRST_CHARS

    small = {f"{chr(0x4E00 + n)}治": "t" for n in range(REGEX_FIRST_CHARS)}
    large = {f"{chr(0x4E00 + n)}治": "t" for n in range(REGEX_FIRST_CHARS + 1)}
    assert Linker.from_forms(small).engine == "regex"
    assert Linker.from_forms(large).engine == "automaton"
    assert Linker(load_glossary(ROOT / "glossary.yml")).engine == "regex"
