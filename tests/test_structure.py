"""The structure stage (structure.py, title_block.py, rejoin.py, lines.py): title block,
metadata, headings, re-joined paragraphs, truncation.

The cases are data: one YAML file per case in tests/cases/structure/. ``lines`` is the
source text; lines named in ``removed`` (line number -> reason) were removed by the
cleaner, every other line reaches structure() as a kept SourceLine (blank lines as "").
So these tests build ``Cleaned`` directly and do not depend on clean.py.

``expect`` lists the metadata (a key left out means None / False: rules must not fire),
the blocks (``h2``/``h3``/``p``: text, optional ``line``) and optionally the full removal
log (``[line, reason, text]``). ``xfail`` marks a known limitation, strictly.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import CASES, ROOT
from pizhu.chars import REDACTION_CLASS, is_han
from pizhu.errors import PizhuError
from pizhu.lines import display_width, heading_level
from pizhu.model import Block, Cleaned, Removal, SourceLine
from pizhu.rejoin import detect_wrap, ends_with_redaction_run
from pizhu.structure import structure
from pizhu.title_block import (
    REPEATED_TITLE_RULE,
    is_decorated_title,
    name_title_repeats,
    parse_date,
    parse_speaker_line,
    parse_speech_title,
    parse_subtitle,
)
from pizhu.yamlutil import load_yaml_file

CASE_DIR = CASES / "structure"
META_KEYS = ("title", "subtitle", "speaker", "occasion", "date")
KNOWN_CASE_KEYS = {
    "name",
    "comment",
    "lines",
    "removed",
    "hard_breaks",
    "captured",
    "truncation_markers",
    "end_marks",
    "expect",
    "xfail",
}


def cleaned_from_text(
    text: str,
    *,
    removed: dict[int, str] | None = None,
    hard_breaks: tuple[int, ...] = (),
    captured: tuple[tuple[str, str], ...] = (),
    truncation_markers: tuple[int, ...] = (),
    end_marks: tuple[int, ...] = (),
) -> Cleaned:
    """Turn a multi-line string into what clean() would return for it.

    Line numbers start at 1. Lines in ``removed`` become Removal records (text stripped,
    as the team convention says); marker lines not listed there are removed too.
    """
    removed = dict(removed or {})
    for number in truncation_markers:
        removed.setdefault(number, "付费提示")
    for number in end_marks:
        removed.setdefault(number, "结束标记")
    kept: list[SourceLine] = []
    removals: list[Removal] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if number in removed:
            removals.append(Removal(number, line.strip(), removed[number]))
        else:
            kept.append(SourceLine(number, line, number in hard_breaks))
    return Cleaned(
        lines=tuple(kept),
        removed=tuple(removals),
        captured=captured,
        truncation_markers=truncation_markers,
        end_marks=end_marks,
    )


def block_from_expect(item: dict) -> tuple[str, int | None, str, int | None]:
    ((key, text),) = ((k, v) for k, v in item.items() if k != "line")
    kind, level = {"h2": ("heading", 2), "h3": ("heading", 3), "p": ("paragraph", None)}[key]
    return kind, level, text, item.get("line")


def load_cases(*, with_xfail: bool = True) -> list:
    params = []
    for path in sorted(CASE_DIR.glob("*.yml")):
        case = load_yaml_file(path, PizhuError)
        unknown = set(case) - KNOWN_CASE_KEYS
        assert not unknown, f"{path.name}: unknown keys {unknown}"
        assert case["name"] == path.stem, f"{path.name}: name must be the file stem"
        marks = []
        if with_xfail and case.get("xfail"):
            marks.append(pytest.mark.xfail(reason=case["xfail"], strict=True))
        params.append(pytest.param(case, id=case["name"], marks=marks))
    return params


CASES_ = load_cases()


def run_case(case: dict):
    cleaned = cleaned_from_text(
        case["lines"].rstrip("\n"),
        removed=case.get("removed"),
        hard_breaks=tuple(case.get("hard_breaks", ())),
        captured=tuple(tuple(c) for c in case.get("captured", ())),
        truncation_markers=tuple(case.get("truncation_markers", ())),
        end_marks=tuple(case.get("end_marks", ())),
    )
    return cleaned, structure(cleaned, slug=case["name"], source_name=f"{case['name']}.txt")


@pytest.mark.parametrize("case", CASES_)
def test_case(case):
    _, speech = run_case(case)
    expect = case["expect"]
    got_meta = {key: getattr(speech, key) for key in META_KEYS}
    want_meta = {key: expect.get(key) for key in META_KEYS}
    if want_meta["date"] is not None:
        want_meta["date"] = str(want_meta["date"])  # YAML reads 2021-06-28 as a date
    assert got_meta == want_meta, case["comment"]
    assert speech.truncated is bool(expect.get("truncated", False)), case["comment"]
    got_blocks = [(b.kind, b.level, b.text) for b in speech.blocks]
    want = [block_from_expect(item) for item in expect["blocks"]]
    assert got_blocks == [w[:3] for w in want], case["comment"]
    for block, (*_, line) in zip(speech.blocks, want, strict=True):
        if line is not None:
            assert block.line == line, f"{block.text}: line"
    if "removed" in expect:
        got_removed = [[r.line, r.reason, r.text] for r in speech.removed]
        assert got_removed == expect["removed"], case["comment"]


def han(text: str) -> str:
    return "".join(c for c in text if is_han(c))


@pytest.mark.parametrize("case", load_cases(with_xfail=False))
def test_nothing_is_lost(case):
    """Every Chinese character of a kept line reaches the title, subtitle or a block,
    except date and speaker lines (they become metadata: a name alone on its line too) and
    logged removals."""
    cleaned, speech = run_case(case)
    texts = {line.number: line.text.strip() for line in cleaned.lines}
    # Lines removed whole; a removed fragment (a file name's ".docx_第1页") leaves the rest
    # of its line to be shown.
    whole = {r.line for r in speech.removed if texts.get(r.line, r.text) == r.text}
    fragments = "".join(r.text for r in speech.removed if r.line not in whole)
    source = "".join(
        line.text
        for line in cleaned.lines
        if line.number not in whole
        and not parse_date(line.text)
        and not parse_speaker_line(line.text)
        and not (speech.speaker and "".join(line.text.split()) == "".join(speech.speaker.split()))
    )
    # A title taken from a captured (removed) footer is not kept text.
    captured = {text for _, text in cleaned.captured}
    title = "" if speech.title in captured else speech.title or ""
    shown = "".join([title, speech.subtitle or "", *(b.text for b in speech.blocks), fragments])
    assert sorted(han(shown)) == sorted(han(source))


def test_there_are_enough_cases():
    assert len(CASES_) >= 30


def test_removals_are_merged_in_source_order():
    cleaned = cleaned_from_text(
        "标题\n\n广告\n标题\n正文第一段。",
        removed={3: "广告"},
    )
    speech = structure(cleaned, slug="x")
    assert [(r.line, r.reason, r.rule) for r in speech.removed] == [
        (3, "广告", ""),
        (4, "重复标题", "repeated-title"),
    ]


def test_split_source_line_keeps_its_other_part():
    """clean() may split one source line into several SourceLines with the same number
    (at "</p><p>"). A repeated title in one part must not take the other part with it."""
    cleaned = Cleaned(
        lines=(
            SourceLine(1, "讲话稿"),
            SourceLine(2, "讲话稿", hard_break=True),
            SourceLine(2, "同志们，今天开会。", hard_break=True),
            SourceLine(3, "会议很重要。"),
        ),
        removed=(Removal(2, "</p><p>", "HTML标签", "html-tag"),),
    )
    speech = structure(cleaned, slug="x")
    assert [b.text for b in speech.blocks] == ["同志们，今天开会。", "会议很重要。"]
    # (The order of two removals on one line is the cleaner's business: only it knows
    # the positions.)
    assert sorted((r.line, r.reason, r.text) for r in speech.removed) == [
        (2, "HTML标签", "</p><p>"),
        (2, "重复标题", "讲话稿"),
    ]


def test_metadata_passes_through():
    speech = structure(
        cleaned_from_text("标题\n正文。"), slug="s", source_name="a.txt", encoding="gbk"
    )
    assert (speech.slug, speech.source_name, speech.encoding) == ("s", "a.txt", "gbk")


def test_empty_input_gives_an_empty_speech():
    speech = structure(cleaned_from_text("\n\n"), slug="x")
    assert speech.title is None and speech.blocks == () and speech.truncated is False


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("一、问题导向", 2),
        ("十二、附则", 2),
        ("二十、其他", 2),
        ("（一）抓好理论学习", 3),
        ("(三)心思要细", 3),
        ("一是深悟初心", None),
        ("二要有深厚的为民情怀", None),
        ("首先，派出所是平安建设的基石", None),
        ("1．加强学习", None),
        ("1.加强学习", None),
        ("（1）加强学习", None),
        ("同志们：", None),
        ("一、", 2),
        ("百、不是编号", None),
    ],
)
def test_heading_level(text, level):
    assert heading_level(text) == level


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("（2021年6月28日）", "2021-06-28"),
        ("2021年6月28日", "2021-06-28"),
        ("2021年6月", "2021-06"),
        ("2021年", "2021"),
        ("二〇二一年六月二十八日", "2021-06-28"),
        ("二○二三年十二月三十一日", "2023-12-31"),
        ("（二〇二〇年十月）", "2020-10"),
        ("2021.6.28", "2021-06-28"),
        ("2021-06-28", "2021-06-28"),
        ("(2021年6月28日)", "2021-06-28"),
        ("2021年6月28号", "2021-06-28"),
        ("2021年13月1日", None),
        ("2021年2月30日", None),
        ("2021.6", None),
        ("2021.28.6", None),
        ("6月28日", None),
        ("2021年6月28日上午在全市会议上", None),
        ("12345", None),
    ],
)
def test_parse_date(text, date):
    assert parse_date(text) == date


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("省公安厅党委委员、副厅长  张XX", "省公安厅党委委员、副厅长 张XX"),
        ("市委常委、政法委书记\u3000王某某", "市委常委、政法委书记 王某某"),
        ("市公安局局长 XXX", "市公安局局长 XXX"),
        ("主讲人：李×× ", "李××"),
        ("守正出新  担当使命", None),
        ("牢记嘱托  砥砺前行", None),
        ("市公安局局长", None),
        ("这是一句话 很长很长", None),
    ],
)
def test_parse_speaker_line(text, speaker):
    assert parse_speaker_line(text) == speaker


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        (
            "市局机关党委书记在全市公安政治工作会议上的讲话",
            ("市局机关党委书记", "全市公安政治工作会议"),
        ),
        ("在全市XX思政工作会议上的讲话", (None, "全市XX思政工作会议")),
        (
            "副市长、公安局长在全市派出所所长培训班上的授课",
            ("副市长、公安局长", "全市派出所所长培训班"),
        ),
        ("张XX同志在全市政法工作会议上的总结讲话", ("张XX", "全市政法工作会议")),
        ("局长在全局党员大会上的专题党课", ("局长", "全局党员大会")),
        ("在市委理论学习中心组学习会上的发言（摘要）", (None, "市委理论学习中心组学习会")),
        ("在全市公安工作会议上的讲话精神要认真传达", (None, None)),
        ("专题党课：忠实履行职能服务高质量发展", (None, None)),
        ("在全市会议中的讲话", (None, None)),
        ("学习总书记在庆祝建党100周年大会上的重要讲话", (None, None)),
        ("关于在全市开展XX活动的讲话", (None, None)),
    ],
)
def test_parse_speech_title(text, facts):
    assert parse_speech_title(text) == facts


@pytest.mark.parametrize(
    ("text", "subtitle"),
    [
        ("——在全市XX思政工作会议上的讲话", "在全市XX思政工作会议上的讲话"),
        ("—— 在全市会议上的讲话", "在全市会议上的讲话"),
        ("--在全市会议上的讲话", "在全市会议上的讲话"),
        ("- 3 -", None),
        ("——", None),
        ("在全市会议上的讲话", None),
    ],
)
def test_parse_subtitle(text, subtitle):
    assert parse_subtitle(text) == subtitle


def test_detect_wrap_ignores_the_bundled_corpus_shape():
    """One paragraph per line (the bundled sources) is not a wrapped copy."""
    lines = [
        SourceLine(i, t)
        for i, t in enumerate(["标题", "正文很长很长。" * 10, "一、标题", "正文。"], 1)
    ]
    assert detect_wrap(lines) is None


def test_blocks_are_blocks():
    speech = structure(cleaned_from_text("标题\n一、问题导向。正文。"), slug="x")
    assert speech.blocks == (
        Block("heading", "一、问题导向", 2, 2),
        Block("paragraph", "正文。", None, 2),
    )


def test_case_files_live_in_tests_cases():
    assert Path(CASE_DIR).is_relative_to(ROOT)


# --- Round trip: the bundled speeches, hard-wrapped as a PDF copy would be ----------------

EXPECTED = sorted((ROOT / "tests" / "expected").glob("*.json"))


def wrap_as_pdf(blocks: list[dict], width: int) -> list[str]:
    """Lay the blocks out like a PDF pasted as text: paragraphs indented with two U+3000
    and broken at ``width`` columns, headings on their own line."""
    lines: list[str] = []
    for block in blocks:
        if block["kind"] == "heading":
            lines.append(block["text"])
            continue
        text, line = block["text"], "\u3000\u3000"
        for char in text:
            if display_width(line + char) > width:
                lines.append(line)
                line = ""
            line += char
        lines.append(line)
    return lines


@pytest.mark.parametrize("path", EXPECTED, ids=[p.stem for p in EXPECTED])
@pytest.mark.parametrize("width", [28, 40, 58, 80])
@pytest.mark.parametrize("layout", ["plain", "page-markers", "double-spaced"])
def test_wrapped_copy_of_a_bundled_speech_is_rejoined(path, width, layout):
    """The hand-checked blocks of each bundled speech, wrapped at several widths (with
    removed page markers, or a blank line after every line), come back block for block."""
    want = json.loads(path.read_text(encoding="utf-8"))
    source: list[str] = [want["title"], ""]
    for index, line in enumerate(wrap_as_pdf(want["blocks"], width)):
        source.append(line)
        if layout == "double-spaced":
            source.append("")
        if layout == "page-markers" and index % 13 == 12:
            source.extend(["", f"- {index // 13 + 1} -", ""])
    markers = {
        n: "页码" for n, text in enumerate(source, start=1) if re.fullmatch(r"- \d+ -", text)
    }
    speech = structure(cleaned_from_text("\n".join(source), removed=markers), slug=path.stem)
    assert speech.title == want["title"]
    assert [b.to_json() for b in speech.blocks] == want["blocks"]


@pytest.mark.parametrize("path", EXPECTED, ids=[p.stem for p in EXPECTED])
@pytest.mark.parametrize("separator", ["\n", "\n\n"])
def test_clean_copy_of_a_bundled_speech_is_unchanged(path, separator):
    """One block per line (optionally blank-line separated): nothing joined or split."""
    want = json.loads(path.read_text(encoding="utf-8"))
    source = separator.join([want["title"], *(b["text"] for b in want["blocks"])])
    speech = structure(cleaned_from_text(source), slug=path.stem)
    assert speech.title == want["title"]
    assert [b.to_json() for b in speech.blocks] == want["blocks"]
    assert speech.truncated is want["truncated"]


TITLE = "专题党课：从党史中汲取智慧和力量全力推进乡村振兴"


@pytest.mark.parametrize(
    ("text", "repeat"),
    [
        (TITLE, True),
        ("2022年度专题党课：从党史中汲取智慧和力量全力推进乡村振兴(精选文档)", True),  # 范文网
        ("关于专题党课：从党史中汲取智慧和力量全力推进乡村振兴(精选2篇)", True),
        ("专题党课：从党史中汲取智慧和力量全力推进乡村振兴范文", True),
        # Site text that quotes the title is not a repeat of it: it keeps its own reason.
        (
            "下面是小编为大家整理的专题党课：从党史中汲取智慧和力量全力推进乡村振兴，供大家参考。",
            False,
        ),
        (
            "您的当前位置：77范文网 > 范文大全 > 专题党课：从党史中汲取智慧和力量全力推进乡村振兴",
            False,
        ),
        ("专题党课：从党史中汲取智慧和力量全力推进乡村振兴已关闭评论", False),
        ("下载文档", False),
        ("专题党课：从党史中汲取智慧", False),  # part of the title only
    ],
)
def test_a_decorated_title_is_a_repeat(text, repeat):
    assert is_decorated_title(text, TITLE) is repeat


def test_a_removed_repeat_of_the_title_is_logged_as_one_and_nothing_else_changes():
    download = Removal(4, f"2022年度{TITLE}(精选文档)", "下载提示", "download-notice")
    renamed = name_title_repeats(download, TITLE)
    assert (renamed.line, renamed.text, renamed.reason, renamed.rule) == (
        4,
        download.text,
        "重复标题",
        REPEATED_TITLE_RULE,
    )
    for kept in (
        Removal(2, "下载文档", "下载提示", "download-notice"),
        Removal(1, "篇一：" + TITLE, "标题前缀", "collection-item-prefix"),
    ):
        assert name_title_repeats(kept, TITLE) == kept
    assert name_title_repeats(download, None) == download  # no title: nothing to repeat


def test_a_gap_the_site_hid_makes_the_copy_incomplete_and_is_named_on_the_page(to_html):
    from pizhu.clean import clean
    from pizhu.speech_layout import GAP_NOTICE, TRUNCATED_END, TRUNCATED_NOTICE, render_speech

    text = (
        "关于做好安全工作的讲话\n一是要提高政治站位，切实增强做好工作的责任感。\n"
        "此处隐藏5120个字。VIP会员可见\n三是要强化督导检查，确保各项任务落到实处。\n"
    )
    speech = structure(clean(text), slug="x")
    assert speech.gaps == (3,) and speech.truncated
    assert [b.text for b in speech.blocks][-1] == "三是要强化督导检查，确保各项任务落到实处。"
    page = to_html(render_speech(speech))
    assert GAP_NOTICE.format(lines="3") in page
    assert TRUNCATED_NOTICE not in page and TRUNCATED_END not in page  # the end is complete
    # A speech without the marker has no gap.
    plain = structure(clean(text.replace("此处隐藏5120个字。VIP会员可见\n", "")), slug="x")
    assert plain.gaps == () and not plain.truncated


def test_the_title_key_keeps_exactly_chinese_letters_and_digits():
    """title_block._NOT_IN_TITLE_KEY (one regex pass) keeps what the per-character rule
    keeps, is_han(c) or c.isalnum(), at every code point."""
    from pizhu.title_block import _NOT_IN_TITLE_KEY

    differ = [
        hex(code)
        for code in range(0x110000)
        if (_NOT_IN_TITLE_KEY.match(chr(code)) is None)
        != (is_han(chr(code)) or chr(code).isalnum())
    ]
    assert differ == []


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.text(alphabet="XＸ×＊*xWa1中 ", max_size=12))
def test_a_redaction_run_at_the_end_is_read_from_the_end(text):
    """rejoin.ends_with_redaction_run (read backwards: joining a long paragraph stays
    linear) says what the regex it replaced says."""
    reference = re.compile("(?:^|[^A-Za-z0-9])[" + REDACTION_CLASS + "]+$")
    assert ends_with_redaction_run(text) == bool(reference.search(text))
