"""punctuation.py: the cases are data (tests/cases/punctuation/*.yml).

Each case has ``input``, ``expected`` and ``comment``; ``fixer`` names a single function
of pizhu.punctuation (default: normalize); ``xfail`` marks a known limitation (strict, so
fixing it is noticed).
"""

from __future__ import annotations

import pytest

from conftest import CASES
from pizhu import punctuation
from pizhu.errors import PizhuError
from pizhu.yamlutil import load_yaml_file


def load_cases(*, with_xfail: bool) -> list:
    params = []
    for path in sorted((CASES / "punctuation").glob("*.yml")):
        for index, case in enumerate(load_yaml_file(path, PizhuError), start=1):
            marks = []
            if with_xfail and case.get("xfail"):
                marks.append(pytest.mark.xfail(reason=case["xfail"], strict=True))
            params.append(pytest.param(case, id=f"{path.stem}-{index}", marks=marks))
    return params


CASES_ = load_cases(with_xfail=True)


@pytest.mark.parametrize("case", CASES_)
def test_case(case):
    fixer = getattr(punctuation, case.get("fixer", "normalize"))
    assert fixer(case["input"]) == case["expected"], case["comment"]


@pytest.mark.parametrize("case", load_cases(with_xfail=False))
def test_normalize_is_idempotent(case):
    once = punctuation.normalize(case["input"])
    assert punctuation.normalize(once) == once


def test_cases_were_found():
    assert len(CASES_) >= 40


def test_explained_names_the_fixers_that_ran():
    text, steps = punctuation.normalize_explained('  讲,"好"')
    assert text == "讲，“好”"
    assert steps == ["collapse_whitespace", "pair_ascii_quotes", "fullwidth_marks"]


def test_fixers_keep_every_chinese_character():
    text = '同志们:大家好!(一)思想要正,"发现问题"。'
    out = punctuation.normalize(text)
    assert [c for c in out if punctuation.is_han(c)] == [c for c in text if punctuation.is_han(c)]


def test_no_whitespace_character_but_the_space_is_printable():
    """collapse_whitespace's shortcut: a printable text without a space has nothing to do."""
    from pizhu.chars import WHITESPACE

    assert [char for char in WHITESPACE if char != " " and char.isprintable()] == []
