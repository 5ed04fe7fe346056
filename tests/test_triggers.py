"""Literal triggers (triggers.py): a rule's pattern is skipped on a line without any of the
strings every match must contain. The triggers are an optimisation and must never change
what the cleaner does: each is checked against its pattern here, on the rules' examples,
on generated text, and by cleaning every case with and without triggers.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pizhu import clean as clean_module
from pizhu.char_frequency import COMMON_CHARS
from pizhu.clean import clean
from pizhu.decode import decode
from pizhu.rules import INLINE, PREFIX, RULES, Rule
from pizhu.triggers import FOLD_EXTRA, Prefilter, fold, key_char, required_literals
from pizhu.yamlutil import load_yaml_file

ROOT = Path(__file__).resolve().parent.parent

# (pattern, the strings it requires or None) — what required_literals reads off a tree.
LITERAL_CASES = [
    (r"QQ\d+", {"qq"}),
    (r"(?:加)?(?:QQ|微信号?)\s*\d{5,}", {"qq", "微信"}),
    (r"阅读全文", {"阅读全文"}),
    (r"点击(?:阅读|查看)全文内容", {"全文内容"}),  # the longest fixed run wins
    (r"[（(]全文完[）)]", {"全文完"}),
    (r"[Xx]{2}", {"x"}),  # a class of one letter in two cases is that letter
    (r"(?:http|www)+\.", {"http", "www"}),  # a repeat of at least one
    (r"(?:http)?\.com", {".com"}),  # an optional group requires nothing
    (r"(?<=下载地)址", {"下载地"}),  # the text of a lookbehind is in the line too
    (r"(?<!下载)地址", {"地址"}),  # a negative one does not
    (r"[^。]{0,20}$", None),
    (r"\d+", None),
    (r"a|.", None),  # one branch that requires nothing: the whole requires nothing
    (r"Ｑ", None),  # a cased full-width letter is not usable (folding could change it)
]


@pytest.mark.parametrize(("pattern", "expected"), LITERAL_CASES)
def test_required_literals(pattern: str, expected: set[str] | None) -> None:
    need = required_literals(re.compile(pattern, re.IGNORECASE))
    assert (None if need is None else set(need)) == expected


def test_fold_extra_is_every_non_ascii_character_an_ascii_letter_matches() -> None:
    every = "".join(chr(i) for i in range(sys.maxunicode + 1) if not 0xD800 <= i <= 0xDFFF)
    found = {
        m.group(): m.group().lower()
        for m in re.finditer("[a-z]", every, re.IGNORECASE)
        if not m.group().isascii()
    }
    assert set(found) == set(FOLD_EXTRA)
    for char, letter in FOLD_EXTRA.items():
        assert re.fullmatch(letter, char, re.IGNORECASE)
        assert fold(char) == letter


def _matches(rule: Rule, text: str) -> bool:
    if rule.scope == PREFIX:
        return rule.pattern.match(text, len(text) - len(text.lstrip())) is not None
    if rule.scope == INLINE:
        return rule.pattern.search(text) is not None
    return rule.pattern.search(text.strip()) is not None


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.name)
def test_every_example_passes_its_rules_trigger(rule: Rule) -> None:
    for example in rule.examples:
        for text in (example, example.upper(), example.lower(), f"同志们，{example}。"):
            if _matches(rule, text) and rule.trigger is not None:
                assert rule.trigger(fold(text)), (rule.name, text)


def test_most_rules_have_a_trigger() -> None:
    """The optimisation is only worth it while nearly every rule has one."""
    without = [rule.name for rule in RULES if rule.trigger is None]
    assert len(without) <= 6, without


def test_a_line_of_speech_fires_few_triggers() -> None:
    line = fold("全市公安机关要毫不动摇地坚持全面深化改革，大力实施改革强警、科技兴警战略。")
    fired = [rule.name for rule in RULES if rule.trigger is not None and rule.trigger(line)]
    assert len(fired) <= 3, fired


# Generated text: pieces of the rules' examples, changed by a character here and there, in
# speech text. Wherever a pattern matches, its trigger must hold.
_PIECES = sorted({example for rule in RULES for example in rule.examples})
_SPEECH = "同志们：我们要坚持全面从严治党，下载地址：QQ群，阅读全文 http://www.x.com（全文完）"


@st.composite
def _texts(draw: st.DrawFn) -> str:
    example = draw(st.sampled_from(_PIECES))
    chars = list(example)
    for _ in range(draw(st.integers(0, 3))):
        if not chars:
            break
        at = draw(st.integers(0, len(chars) - 1))
        action = draw(st.sampled_from(["drop", "swapcase", "insert"]))
        if action == "drop":
            del chars[at]
        elif action == "swapcase":
            chars[at] = chars[at].swapcase()
        else:
            chars.insert(at, draw(st.sampled_from(_SPEECH)))
    before = draw(st.text(alphabet=_SPEECH, max_size=12))
    after = draw(st.text(alphabet=_SPEECH, max_size=12))
    return before + "".join(chars) + after


@settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(_texts())
def test_no_pattern_matches_where_its_trigger_does_not_hold(text: str) -> None:
    folded = fold(text)
    may = _PREFILTER.candidates(folded)
    for number, rule in enumerate(RULES):
        if rule.trigger is not None and not rule.trigger(folded):
            assert not _matches(rule, text), (rule.name, text)
        if not may >> number & 1:  # the prefilter rules it out: so must the trigger
            assert not _matches(rule, text), (rule.name, text)
            assert rule.trigger is not None and not rule.trigger(folded), (rule.name, text)


_PREFILTER = Prefilter([rule.pattern for rule in RULES])


def test_key_char_is_the_least_common_character() -> None:
    assert key_char("在群里") == "群"  # 在 and 里 are among the most common
    assert key_char("qq") == "q"  # a Latin letter is rarer than any listed character
    assert key_char("(c)") == "c"  # punctuation is common
    assert len(set(COMMON_CHARS)) == len(COMMON_CHARS)


def test_prefilter_finds_each_literal_by_its_key_character() -> None:
    prefilter = Prefilter([re.compile(p, re.I) for p in (r"QQ\d+", r"阅读全文", r"[^。]{0,20}$")])
    assert prefilter.candidates(fold("同志们好")) == 0b100  # (no literal: always a candidate)
    assert prefilter.candidates(fold("加QQ12345")) == 0b101
    assert prefilter.candidates(fold("点击阅读全文")) == 0b110
    assert prefilter.candidates(key_char("阅读全文")) == 0b110  # its key character alone will do
    assert Prefilter([]).candidates("任何文字") == 0


def test_a_line_of_speech_passes_few_rules_through_the_prefilter() -> None:
    """The key characters are rare ones: an ordinary sentence has few of them (a test that
    fails if the prefilter picked common characters, which would make it useless)."""
    line = fold("全市公安机关要毫不动摇地坚持全面深化改革，大力实施改革强警、科技兴警战略。")
    may = _PREFILTER.candidates(line)
    passed = [rule.name for number, rule in enumerate(RULES) if may >> number & 1]
    assert len(passed) <= 10, passed


@contextmanager
def _without_triggers() -> Iterator[None]:
    saved = [rule.trigger for rule in RULES]
    prefilter = clean_module._PREFILTER
    for rule in RULES:
        object.__setattr__(rule, "trigger", None)
    clean_module._PREFILTER = Prefilter([re.compile("")] * len(prefilter.patterns))
    try:
        yield
    finally:
        clean_module._PREFILTER = prefilter
        for rule, trigger in zip(RULES, saved, strict=True):
            object.__setattr__(rule, "trigger", trigger)


def _case_texts() -> Iterator[tuple[str, str]]:
    for path in sorted((ROOT / "tests" / "cases" / "clean").glob("*.yml")):
        for case in load_yaml_file(path):
            yield f"{path.name}:{case['name']}", case["input"]
    for folder in ("sources", "tests/cases/documents", "tests/cases/clean/documents"):
        for path in sorted((ROOT / folder).glob("*.txt")):
            yield str(path.relative_to(ROOT)), decode(path.read_bytes(), path.name).text


def test_cleaning_with_triggers_equals_cleaning_without() -> None:
    texts = list(_case_texts())
    assert len(texts) > 150
    fast = [clean(text) for _, text in texts]
    with _without_triggers():
        assert all(rule.trigger is None for rule in RULES)
        assert clean_module._PREFILTER.candidates("") == clean_module._PREFILTER.everything
        slow = [clean(text) for _, text in texts]
    for (name, _), got, want in zip(texts, fast, slow, strict=True):
        assert got == want, name
