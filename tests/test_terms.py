"""terms.py: suggesting new glossary entries from quoted phrases and numbered formulas."""

from __future__ import annotations

import pytest

from pizhu.glossary import parse_glossary
from pizhu.model import Block, Speech
from pizhu.terms import Candidate, candidates

GLOSSARY = parse_glossary(
    """\
si-ge-yishi:
  term: 四个意识
  aliases: [政治意识、大局意识、核心意识、看齐意识]
  category: 政治理论
  summary: 四种意识。
  definition: 见正文。
""",
    "glossary.yml",
)


def phrases(texts: dict[str, str], **options) -> list[tuple[str, int, tuple[str, ...]]]:
    return [(c.phrase, c.count, c.speeches) for c in candidates(texts, **options)]


# (description, texts, expected (phrase, count, speeches), in order)
CASES = [
    (
        "a quoted phrase in two speeches",
        {"a": "牢固树立“严管就是厚爱”的理念。", "b": "坚持“严管就是厚爱”。"},
        [("严管就是厚爱", 2, ("a", "b"))],
    ),
    (
        "a quoted phrase once in one speech is not enough",
        {"a": "要有“本领恐慌”的危机感。", "b": "其他内容。"},
        [],
    ),
    (
        "three times in one speech is enough",
        {"a": "“全量清”……“全量清”……“全量清”。"},
        [("全量清", 3, ("a",))],
    ),
    (
        "twice in one speech is not",
        {"a": "“全量清”……“全量清”。"},
        [],
    ),
    (
        "a long phrase is counted wherever it occurs, quoted or not",
        {"a": "营造“风清气正”的氛围。", "b": "风清气正，干事创业；风清气正。"},
        [("风清气正", 3, ("a", "b"))],
    ),
    (
        "a short quoted word is counted only where it is quoted",
        {"a": "变“平安”为“长安”。平安平安平安。", "b": "守护平安。"},
        [],
    ),
    (
        "a numbered formula without quotes",
        {"a": "做到两个维护，", "b": "坚决做到两个维护。"},
        [("两个维护", 2, ("a", "b"))],
    ),
    (
        "a formula with a three-character counted word",
        {"a": "锚定“四个铁一般”的目标", "b": "打造四个铁一般。"},
        [("四个铁一般", 2, ("a", "b"))],
    ),
    (
        "a quoted three-character formula is counted once per occurrence, not twice",
        {"a": "锻造“七个要”的本领", "b": "做到“七个要”。"},
        [("七个要", 2, ("a", "b"))],
    ),
    (
        "a formula followed by a suffix word such as 要求 or 制度",
        {"a": "围绕五个过硬要求，", "b": "落实五个过硬目标。"},
        [("五个过硬", 2, ("a", "b"))],
    ),
    (
        "a quantity with a plain counted noun is not a formula",
        {"a": "体现在两个方面：", "b": "抓好两个方面。", "c": "两个小时。"},
        [],
    ),
    (
        "an ordinal is not a formula",
        {"a": "这是第四个会议，", "b": "第四个会议。"},
        [],
    ),
    (
        "a paired formula standing on its own",
        {"a": "推进“两学一做”学习教育", "b": "，三超一疲劳、两学一做。"},
        [("两学一做", 2, ("a", "b"))],
    ),
    (
        "a paired formula followed by 制度",
        {"a": "坚持，三会一课制度。", "b": "落实“三会一课”制度"},
        [("三会一课", 2, ("a", "b"))],
    ),
    (
        "numbers inside a longer run are not a paired formula",
        {"a": "党的十九大、十九届二中、三中全会", "b": "、十九届二中、"},
        [],
    ),
    (
        "ASCII quotes count as quotes",
        {"a": 'XX局长讲,"发现问题就是成绩"', "b": '"发现问题就是成绩"。'},
        [("发现问题就是成绩", 2, ("a", "b"))],
    ),
    (
        "a quoted sentence is not a phrase",
        {"a": "“要幸福就要奋斗。”", "b": "“要幸福就要奋斗。”"},
        [],
    ),
    (
        "a quotation longer than 12 characters is not a phrase",
        {
            "a": "“把人民拥护不拥护作为衡量一切工作得失的标准”",
            "b": "“把人民拥护不拥护作为衡量一切工作得失的标准”",
        },
        [],
    ),
    (
        "quotes around Latin text only are not a phrase",
        {"a": "“OK”", "b": "“OK”"},
        [],
    ),
    (
        "most frequent first, ties by phrase (code point order: 乙 U+4E59 before 甲 U+7532)",
        {
            "a": "“乙乙乙乙”“甲甲甲甲”“丙丙丙丙”“丙丙丙丙”",
            "b": "“乙乙乙乙”“甲甲甲甲”“丙丙丙丙”",
        },
        [
            ("丙丙丙丙", 3, ("a", "b")),
            ("乙乙乙乙", 2, ("a", "b")),
            ("甲甲甲甲", 2, ("a", "b")),
        ],
    ),
]


@pytest.mark.parametrize(("texts", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_candidates(texts: dict[str, str], expected: list) -> None:
    assert phrases(texts) == expected


def test_terms_already_in_the_glossary_are_left_out() -> None:
    texts = {
        "a": "增强“四个意识”，牢固树立政治意识、大局意识、核心意识、看齐意识。坚定“四个自信”。",
        "b": "树立四个意识，坚定四个自信，",
    }
    assert [c.phrase for c in candidates(texts, GLOSSARY)] == ["四个自信"]
    assert [c.phrase for c in candidates(texts)] == ["四个意识", "四个自信"]


def test_thresholds_can_be_changed() -> None:
    texts = {"a": "要有“本领恐慌”的危机感。"}
    assert phrases(texts, min_count=1) == [("本领恐慌", 1, ("a",))]


def test_example_shows_the_first_occurrence_with_context() -> None:
    text = "一" * 30 + "坚持“严管就是厚爱”的理念\n要求" + "二" * 30
    (found,) = candidates({"a": text, "b": "“严管就是厚爱”"})
    assert found == Candidate(
        phrase="严管就是厚爱",
        count=2,
        speeches=("a", "b"),
        example="…" + "一" * 17 + "坚持“严管就是厚爱”的理念 要求" + "二" * 13 + "…",
    )


def test_example_at_the_edges_of_a_short_text() -> None:
    (found,) = candidates({"a": "“两学一做”", "b": "“两学一做”"})
    assert found.example == "“两学一做”"


def test_accepts_speeches() -> None:
    speeches = [
        Speech(slug="s1", title="讲话", blocks=(Block("paragraph", "做到“两个维护”。"),)),
        Speech(slug="s2", title="党课", blocks=(Block("heading", "一、做到两个维护", 2),)),
    ]
    assert [(c.phrase, c.speeches) for c in candidates(speeches)] == [("两个维护", ("s1", "s2"))]


def test_no_texts() -> None:
    assert candidates({}) == []
