"""clean(): the cleaning rules over cases kept as data.

* tests/cases/clean/<kind>.yml — one file per kind of noise: positive cases in several
  forms and negative cases (speech text that looks like noise). Each case lists exactly
  what is removed (line, text, reason) and exactly which non-blank lines are kept.
  ``xfail: "why"`` marks a known limitation (strict: fixing it is noticed).
* tests/cases/clean/documents/*.txt — whole invented speeches as other sites serve them,
  with the expected result in <name>.expected.yml next to each (not <name>.yml: that
  name is an editor sidecar); they go through decode() first.
* The five bundled sources (sources/*.txt), with the removals we know they need.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

import pytest

from pizhu.clean import FLATTENED_BREAK, clean, is_prose
from pizhu.decode import decode
from pizhu.model import Cleaned
from pizhu.rules import (
    AD,
    AD_BLOCK_RULE,
    EDITOR_DROP_RULE,
    FOOTER_BLOCK_RULE,
    HTML_TAG_RULE,
    INLINE,
    PREFIX,
    REASONS,
    RULES,
    SECTION,
    rule_named,
)
from pizhu.yamlutil import load_yaml_file

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases" / "clean"
DOCUMENTS = CASES / "documents"
SOURCES = ROOT / "sources"

CASE_KEYS = {
    "name",
    "comment",
    "input",
    "removed",
    "kept",
    "keep",
    "drop",
    "captured",
    "truncation_markers",
    "end_marks",
    "lines",
    "xfail",
}
DOCUMENT_KEYS = {
    "comment",
    "encoding",
    "removed",
    "kept",
    "captured",
    "truncation_markers",
    "end_marks",
    "xfail",
}


# --- Loading the cases --------------------------------------------------------------------


def _load_cases() -> list[Any]:
    params = []
    for path in sorted(CASES.glob("*.yml")):
        cases = load_yaml_file(path)
        assert isinstance(cases, list), f"{path.name}: a list of cases"
        for case in cases:
            unknown = set(case) - CASE_KEYS
            assert not unknown, f"{path.name}:{case.line}: unknown keys {sorted(unknown)}"
            marks = []
            if "xfail" in case:
                marks.append(pytest.mark.xfail(reason=case["xfail"], strict=True))
            params.append(pytest.param(case, id=f"{path.stem}/{case['name']}", marks=marks))
    return params


def _load_documents() -> list[Any]:
    params = []
    for path in sorted(DOCUMENTS.glob("*.txt")):
        expected = load_yaml_file(path.with_suffix(".expected.yml"))
        unknown = set(expected) - DOCUMENT_KEYS
        assert not unknown, f"{path.name}: unknown keys {sorted(unknown)}"
        marks = []
        if "xfail" in expected:
            marks.append(pytest.mark.xfail(reason=expected["xfail"], strict=True))
        params.append(pytest.param(path, expected, id=path.stem, marks=marks))
    return params


CASE_PARAMS = _load_cases()
DOCUMENT_PARAMS = _load_documents()


def removed_of(cleaned: Cleaned, with_rule: bool = False) -> list[dict[str, Any]]:
    result = []
    for removal in cleaned.removed:
        entry = removal.to_json()
        if with_rule:
            entry["rule"] = removal.rule
        result.append(entry)
    return result


def kept_of(cleaned: Cleaned) -> list[str]:
    return [line.text for line in cleaned.lines if line.text.strip()]


def check_expected(cleaned: Cleaned, expected: dict[str, Any]) -> None:
    """Compare a clean() result with the expectations of a case or a document."""
    want_removed = [dict(entry) for entry in expected.get("removed") or []]
    with_rule = any("rule" in entry for entry in want_removed)
    got_removed = removed_of(cleaned, with_rule=with_rule)
    if with_rule:  # entries without a rule accept any rule
        for got, want in zip(got_removed, want_removed, strict=False):
            if "rule" not in want:
                got.pop("rule", None)
    assert got_removed == want_removed
    assert kept_of(cleaned) == list(expected.get("kept") or [])
    if "captured" in expected:
        assert [list(pair) for pair in cleaned.captured] == expected["captured"]
    if "truncation_markers" in expected:
        assert list(cleaned.truncation_markers) == expected["truncation_markers"]
    if "end_marks" in expected:
        assert list(cleaned.end_marks) == expected["end_marks"]
    if "lines" in expected:
        got_lines = [
            [line.number, line.text, line.hard_break] for line in cleaned.lines if line.text
        ]
        assert got_lines == expected["lines"]


# --- The case files -------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASE_PARAMS)
def test_case(case: dict[str, Any]) -> None:
    cleaned = clean(case["input"], keep=case.get("keep", ()), drop=case.get("drop", ()))
    check_expected(cleaned, case)


@pytest.mark.parametrize(("path", "expected"), DOCUMENT_PARAMS)
def test_document(path: Path, expected: dict[str, Any]) -> None:
    decoded = decode(path.read_bytes(), path.name)
    if "encoding" in expected:
        assert decoded.encoding == expected["encoding"]
    check_expected(clean(decoded.text), expected)


def test_there_are_enough_cases() -> None:
    positive = sum(1 for p in CASE_PARAMS if p.values[0].get("removed"))
    negative = sum(1 for p in CASE_PARAMS if not p.values[0].get("removed"))
    assert positive >= 60 and negative >= 30
    assert len(DOCUMENT_PARAMS) >= 6


def test_every_case_file_has_negative_cases() -> None:
    for path in sorted(CASES.glob("*.yml")):
        cases = load_yaml_file(path)
        assert any(not case.get("removed") for case in cases), f"{path.name}: no negative case"


def test_every_rule_fires_in_some_case() -> None:
    fired: set[str] = set()
    for param in CASE_PARAMS:
        case = param.values[0]
        if "xfail" in case:
            continue
        cleaned = clean(case["input"], keep=case.get("keep", ()), drop=case.get("drop", ()))
        fired.update(removal.rule for removal in cleaned.removed)
    names = {rule.name for rule in RULES}
    names |= {AD_BLOCK_RULE, FOOTER_BLOCK_RULE, HTML_TAG_RULE, EDITOR_DROP_RULE}
    assert names - fired == set()


# --- The rules file itself --------------------------------------------------------------------

BODY = "同志们，今天我们召开全市公安工作会议，主要任务是总结去年工作、部署今年任务。"


@pytest.mark.parametrize(
    ("rule_name", "example"),
    [pytest.param(r.name, e, id=f"{r.name}:{e[:12]}") for r in RULES for e in r.examples],
)
def test_rule_example_is_removed_by_its_rule(rule_name: str, example: str) -> None:
    """Each rule's documented examples are removed by that very rule.

    The example is the last line after a paragraph of speech, so the zone rules (tail)
    apply too; a SECTION marker is followed by a list item.
    """
    rule = rule_named(rule_name)
    text = f"在全市公安工作会议上的讲话\n{BODY}\n{example}\n"
    if rule.scope == SECTION:
        text += "在全市XX工作会议上的讲话\n"
    cleaned = clean(text)
    fired = [r for r in cleaned.removed if r.line == 3 and r.rule == rule_name]
    assert fired, [(r.line, r.rule, r.text) for r in cleaned.removed]
    if rule.scope not in (PREFIX, INLINE):
        assert 3 not in {line.number for line in cleaned.lines}


def test_rules_are_well_formed() -> None:
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names))
    assert {rule.reason for rule in RULES} <= set(REASONS)
    assert len(REASONS) == 26 and len(set(REASONS)) == 26


def test_is_prose() -> None:
    assert is_prose(BODY)
    assert not is_prose("在巩固深化“不忘初心、牢记使命”主题教育成果座谈会上的讲话")
    assert not is_prose("同志们：")
    assert not is_prose(
        "var _hmt = _hmt || []; (function() { var hm = document.createElement('script'); })();"
    )


# --- keep / drop ------------------------------------------------------------------------------


def test_keep_by_number_and_text_leaves_lines_untouched() -> None:
    text = f"{BODY}\n联系客服\n(材料)市局工作会议\n"
    cleaned = clean(text, keep=(2, "(材料)市局工作会议"))
    assert kept_of(cleaned) == [BODY, "联系客服", "(材料)市局工作会议"]
    assert cleaned.removed == ()


def test_drop_wins_over_keep() -> None:
    cleaned = clean(f"{BODY}\n附件：略\n", keep=(2,), drop=("附件：略",))
    assert [(r.line, r.text, r.reason, r.rule) for r in cleaned.removed] == [
        (2, "附件：略", "编辑指定删除", EDITOR_DROP_RULE)
    ]


# --- Structure-facing contract -----------------------------------------------------------------


def test_blank_lines_are_kept_and_numbers_are_source_lines() -> None:
    cleaned = clean(f"标题\n\n联系客服\n{BODY}\n\n{BODY}")
    assert [(line.number, line.text) for line in cleaned.lines] == [
        (1, "标题"),
        (2, ""),
        (4, BODY),
        (5, ""),
        (6, BODY),
    ]


def test_indentation_and_spacing_are_left_to_structure() -> None:
    line = "\u3000\u3000同志们 ,今天  我们开会!  "
    cleaned = clean(f"{line}\n{BODY}")
    assert cleaned.lines[0].text == line


def test_empty_text() -> None:
    assert clean("") == Cleaned(lines=(), removed=())


def test_crlf_is_not_clean_s_job_but_does_not_break_it() -> None:
    # decode() normalises line ends; clean() only splits at "\n".
    cleaned = clean("联系客服\n" + BODY)
    assert kept_of(cleaned) == [BODY]
    assert cleaned.removed[0].reason == AD


# --- The bundled sources ------------------------------------------------------------------------


def _clean_source(name: str) -> Cleaned:
    path = SOURCES / name
    return clean(decode(path.read_bytes(), path.name).text)


def _removed_lines(cleaned: Cleaned) -> dict[int, list[tuple[str, str]]]:
    result: dict[int, list[tuple[str, str]]] = {}
    for removal in cleaned.removed:
        result.setdefault(removal.line, []).append((removal.text, removal.reason))
    return result


def test_source_2023_dangke_paid_markers_and_password() -> None:
    cleaned = _clean_source("2023-dangke-zhongshi-lvxing-zhineng.txt")
    assert removed_of(cleaned) == [
        {"line": 7, "text": "##paidbegin##", "reason": "付费标记"},
        {"line": 30, "text": "本文档编辑密码：wsx2023", "reason": "文档密码"},
        {"line": 32, "text": "##paidend##", "reason": "付费标记"},
    ]
    line7 = next(line for line in cleaned.lines if line.number == 7)
    assert line7.text == "三、突出目标导向，切实提升警务工作层次质量"


def test_source_shiju_title_prefix_byline_summary_junk() -> None:
    cleaned = _clean_source("shiju-gongan-zhengzhi-gongzuo-huiyi.txt")
    removed = _removed_lines(cleaned)
    assert sorted(removed) == [1, 3, 5, 30, 31]
    assert removed[1] == [("(材料)", "标题前缀")]
    assert removed[3] == [("云海 分享 时间:", "发布信息")]
    assert removed[5][0][1] == "网站摘要"
    assert removed[30] == [("47 3748756", "残留字符")]
    assert removed[31] == [('");', "残留字符")]
    assert cleaned.lines[0].text == "市局机关党委书记在全市公安政治工作会议上的讲话"
    # The repeated title (line 8) is structure()'s to remove, not ours.
    assert any(line.number == 8 for line in cleaned.lines)


def test_source_paichusuo_footer() -> None:
    cleaned = _clean_source("paichusuo-suozhang-peixunban.txt")
    assert removed_of(cleaned) == [
        {"line": 24, "text": "微信扫一扫在手机阅读、分享本文", "reason": "分享提示"},
        {
            "line": 25,
            "text": "本文标题:副市长、公安局长在全市派出所所长培训班上的授课",
            "reason": "页脚标题",
        },
        {
            "line": 26,
            "text": "链接地址:http://www.bibiwenku.com//index/article/detail/detail_id/426364.html",
            "reason": "网址",
        },
        {"line": 27, "text": "版权声明", "reason": "版权声明"},
        {
            "line": 28,
            "text": "作者原创,不允许二次传播,一经发现收回会员权益,追究法律责任。",
            "reason": "版权声明",
        },
        {"line": 29, "text": "微信订阅号", "reason": "广告"},
        {"line": 30, "text": "联系客服", "reason": "广告"},
    ]
    assert cleaned.captured == (("footer-title", "副市长、公安局长在全市派出所所长培训班上的授课"),)
    # The final heading survives (the speech is cut off after it: structure's business).
    assert kept_of(cleaned)[-1] == "(三)心思要细:树立精细作业之风,追求工作落实落地之效"


def test_source_buwang_ad_block_and_credit_lines() -> None:
    cleaned = _clean_source("buwang-chuxin-chengguo-zuotanhui.txt")
    removed = _removed_lines(cleaned)
    assert sorted(removed) == [1, 2, 3, 4, 5, 7, 8, 9, 18, 35]
    assert {reason for line in (1, 2, 3, 4, 5) for _, reason in removed[line]} == {"广告"}
    assert removed[7] == [("【打击倒卖活动】", "会员推广")]  # the header of the notice below
    assert removed[8] == [("举报倒卖会员资料的人，举报成功免费赠送一年会员材料！", "会员推广")]
    assert removed[9][0][1] == "会员推广"
    assert removed[18] == removed[35] == [("酷乐文行整理，咨询QQ206157060", "整理者署名")]
    kept = kept_of(cleaned)
    assert kept[:2] == ["在巩固深化“不忘初心、牢记使命”主题教育成果座谈会上的讲话", "同志们："]
    assert kept[-1] == "我就讲这么多，谢谢大家！"


def test_source_2020_sizheng_is_clean() -> None:
    cleaned = _clean_source("2020-sizheng-gongzuo-huiyi.txt")
    assert cleaned.removed == ()
    raw = (SOURCES / "2020-sizheng-gongzuo-huiyi.txt").read_text(encoding="utf-8")
    assert kept_of(cleaned) == [line for line in raw.split("\n") if line.strip()]


@pytest.mark.parametrize("name", sorted(p.name for p in SOURCES.glob("*.txt")))
def test_no_leak_in_any_bundled_source(name: str) -> None:
    cleaned = _clean_source(name)
    for line in cleaned.lines:
        for needle in ("QQ", "http", "www.", "密码：", "##paid"):
            assert needle not in line.text, (line.number, needle)


@pytest.mark.parametrize("name", sorted(p.name for p in SOURCES.glob("*.txt")))
def test_nothing_lost_in_any_bundled_source(name: str) -> None:
    """Every character of the source is either kept or in the removal log."""
    path = SOURCES / name
    text = decode(path.read_bytes(), name).text
    cleaned = clean(text)
    kept = "".join(line.text for line in cleaned.lines)
    removed = "".join(r.text for r in cleaned.removed)
    assert sorted("".join(text.split())) == sorted("".join((kept + removed).split()))


# --- Robustness ------------------------------------------------------------------------------

PATHOLOGICAL = [
    "1" * 5000,
    "#" * 5000 + "paid",
    "-" * 5000 + "7",
    "—" * 5000 + "全文完",
    " " * 5000 + "QQ",
    "\u3000 " * 3000 + "页",
    "QQ1" * 2000,
    "<p " + "a " * 3000,
    "<" * 5000,
    "&" * 5000 + ";",
    "【来源：" + "文" * 5000,
    "http://" + "a." * 3000,
    "首页" + " > x" * 2000,
    "上一页 " + "1 " * 3000 + "x",
    "更多" + "请访问" * 2000,
    "a=" * 3000,
    "（" * 5000,
]


@pytest.mark.parametrize("line", PATHOLOGICAL, ids=lambda line: f"{line[:6]!r}x{len(line)}")
def test_no_catastrophic_backtracking(line: str) -> None:
    """Hostile or broken input must not make a rule backtrack for minutes."""
    import time

    start = time.perf_counter()
    clean(f"{BODY}\n{line}\n{BODY}\n{line}")
    assert time.perf_counter() - start < 2.0


def test_flattened_breaks_are_runs_of_two_spaces_between_non_spaces():
    """FLATTENED_BREAK, written for speed, finds what its plain form finds: every string of
    up to 7 of the characters that matter."""
    plain = re.compile(r"(?<=\S)[ \u3000\u00a0]{2,}(?=\S)")
    for size in range(1, 8):
        for chars in itertools.product(["中", " ", "\u3000", "\u00a0", "\t"], repeat=size):
            text = "".join(chars)
            want = [m.span() for m in plain.finditer(text)]
            assert [m.span() for m in FLATTENED_BREAK.finditer(text)] == want, repr(text)
