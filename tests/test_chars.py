"""chars.py: the one character vocabulary (Han, sentence ends, headings, redactions)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pizhu import chars, clean, decode, lines, punctuation, rejoin, rules, terms, title_block
from pizhu.chars import (
    ENDS_SENTENCE,
    HAN,
    HAS_SENTENCE_MARK,
    HEADING_LEVEL_2,
    HEADING_LEVEL_3,
    LIST_BULLET,
    NUMBERED_HEADING,
    count_han,
    has_sentence_end,
    is_han,
)

PACKAGE = Path(chars.__file__).resolve().parent


@pytest.mark.parametrize(
    ("char", "han"),
    [
        ("讲", True),
        ("〇", True),  # 二〇二一年
        ("㐀", True),  # U+3400, Extension A
        ("䶿", True),  # U+4DBF
        ("鿿", True),  # U+9FFF
        ("豈", True),  # U+F900, a compatibility ideograph
        ("𠀀", True),  # U+20000, Extension B
        ("𰀀", True),  # U+30000, Extension G
        ("，", False),
        ("。", False),
        ("\u3000", False),
        ("X", False),
        ("×", False),
        ("Ａ", False),
        ("ㄅ", False),  # bopomofo is not Han
        ("あ", False),
    ],
)
def test_is_han(char: str, han: bool) -> None:
    assert is_han(char) is han
    assert bool(HAN.fullmatch(char)) is han


def test_the_regex_and_the_function_agree_on_every_bmp_character() -> None:
    for code in range(0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        assert bool(HAN.fullmatch(char)) is is_han(char), hex(code)


def test_count_han() -> None:
    assert count_han("二〇二一年6月，XX局长讲话。") == 10


@pytest.mark.parametrize(
    ("text", "ends"),
    [
        ("要坚持问题导向。", True),
        ("谢谢大家！", True),
        ("“发现问题就是成绩。”", True),
        ("（全文完。）", True),
        ("大家好!", True),
        ("要坚持问题导向，", False),
        ("主要体现在五个方面：", False),
        ("一、问题导向", False),
        ("坚持人民至上；", False),
    ],
)
def test_ends_sentence(text: str, ends: bool) -> None:
    assert bool(ENDS_SENTENCE.search(text)) is ends


@pytest.mark.parametrize(
    ("text", "mark"),
    [
        ("要坚持问题导向。不断提高", True),
        ("坚持人民至上；坚持自信自立", True),
        ("要坚持问题导向.", True),  # an ASCII full stop after Chinese
        ("版本 v1.2", False),
        ("在全市公安工作会议上的讲话.DOC", False),  # found by the idempotence property
        ("www.example.com", False),
        ("在全市公安工作会议上的讲话", False),
    ],
)
def test_has_sentence_mark(text: str, mark: bool) -> None:
    assert bool(HAS_SENTENCE_MARK.search(text)) is mark
    assert has_sentence_end(text) is any(c in "。！？!?" for c in text)


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("一、问题导向", 2),
        ("十二、附则", 2),
        ("九十九、其他", 2),
        ("（一）抓好理论学习", 3),
        ("(三)心思要细", 3),
        ("（ 二 ）加强管理", 3),
        ("一是深悟初心", None),
        ("百、不是编号", None),
        ("1．加强学习", None),
        ("（1）加强学习", None),
        ("第一，", None),
    ],
)
def test_numbered_headings(text: str, level: int | None) -> None:
    got = 2 if HEADING_LEVEL_2.match(text) else 3 if HEADING_LEVEL_3.match(text) else None
    assert got == level
    assert bool(NUMBERED_HEADING.match(text)) is (level is not None)


@pytest.mark.parametrize(
    ("text", "bullet"),
    [
        ("* 要坚持以人民为中心。", True),
        ("• 坚持问题导向", True),
        ("●坚持系统观念", True),
        ("- 坚持守正创新", True),
        ("**市公安局在全市会议上的讲话", False),  # a redaction
        ("○○同志在会上的讲话", False),
        ("——在全市XX工作会议上的讲话", False),  # a subtitle
        ("-3-", False),
        ("坚持人民至上", False),
    ],
)
def test_list_bullet(text: str, bullet: bool) -> None:
    assert bool(LIST_BULLET.match(text)) is bullet


def test_every_stage_uses_the_one_vocabulary() -> None:
    assert punctuation.is_han is is_han
    assert decode.HAN is HAN
    assert title_block.is_han is is_han
    assert lines.HEADING_LEVEL_2 is HEADING_LEVEL_2
    assert lines.HEADING_LEVEL_3 is HEADING_LEVEL_3
    assert lines.WHITESPACE == rejoin.WHITESPACE == chars.WHITESPACE
    assert rules.FOOTER_HEADING is NUMBERED_HEADING
    assert rules.SENTENCE_END is ENDS_SENTENCE
    assert rules.SENTENCE_MARK is HAS_SENTENCE_MARK
    assert clean.HAN is HAN
    assert terms.HAN is HAN


# Spellings of a Han range that mean a module has its own definition again.
_RANGE_LITERALS = re.compile(r"\\u4e00|\\u9fff|\\u3400|0x4E00|0x9FFF|一-龥|\\u4E00", re.I)


@pytest.mark.parametrize(
    "path",
    sorted(p for p in PACKAGE.glob("*.py") if p.name != "chars.py"),
    ids=lambda p: p.name,
)
def test_no_module_defines_its_own_han_range(path: Path) -> None:
    hits = [
        number
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if _RANGE_LITERALS.search(line)
    ]
    assert not hits, f"{path.name}:{hits}: use pizhu.chars (HAN_CLASS, is_han, HAN)"
