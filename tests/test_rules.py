"""rules.py as data: every alternative of every rule is exercised, patterns are built safely.

A rule's pattern is a list of alternatives ("A | B | C"). An alternative that none of
the rule's examples reaches is untested, and may be dead: ``ad-slogan`` was built with an
f-string, so its ``{0, 10}`` quantifier became the literal text "(0, 10)" and the branch
"欢迎来到…网" could never match, unnoticed. Here each alternative is compiled on its own
(Python's own regex parser gives the branch structure) and must match one example.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from pizhu import rules
from pizhu.rules import RULES, TITLE_FURNITURE, Furniture, Rule, furniture_of

try:  # Python 3.11+: the regex parser and compiler behind re.compile
    from re import _compiler as sre_compile  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_compile  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

BRANCH = sre_parse.BRANCH
SUBPATTERN = sre_parse.SUBPATTERN


def _is_word(branch) -> bool:
    """A branch of nothing but literal characters (in any case, "号" optional): one word
    of a word list such as "(?:QQ|微信号?|V信)"."""
    for op, av in branch:
        if op is sre_parse.IN:
            if not all(member_op is sre_parse.LITERAL for member_op, _ in av):
                return False
        elif op is sre_parse.MAX_REPEAT:
            low, high, item = av
            if (low, high) != (0, 1) or not _is_word(item):
                return False
        elif op is not sre_parse.LITERAL:
            return False
    return True


def _branch_site(items: list) -> tuple[list, int] | None:
    """Where the outermost alternation of a parsed pattern is: (item list, index).

    The parser already merges a non-capturing group into its parent, so "^DECOR(?:A|B)$"
    has its BRANCH at the top level; a capturing group is looked into when it is the only
    one. A word list ("\\[(?:图片|视频|音频)\\]") is vocabulary, not alternatives that
    each need an example: the first alternation that is not only words counts.
    """
    while True:
        for index, (op, av) in enumerate(items):
            if op is BRANCH and not all(_is_word(branch) for branch in av[1]):
                return items, index
        groups = [av for op, av in items if op is SUBPATTERN]
        if len(groups) != 1:
            return None
        items = groups[0][-1].data  # (group, add_flags, del_flags, subpattern)


def alternatives(pattern: re.Pattern[str]) -> list[re.Pattern[str]]:
    """One compiled pattern per outermost alternative of ``pattern`` (itself if none)."""
    tree = sre_parse.parse(pattern.pattern, pattern.flags)
    site = _branch_site(tree.data)
    if site is None:
        return [pattern]
    items, index = site
    count = len(items[index][1][1])
    compiled = []
    for choice in range(count):
        variant = sre_parse.parse(pattern.pattern, pattern.flags)  # a fresh tree to edit
        variant_items, variant_index = _branch_site(variant.data)  # type: ignore[misc]
        op, (unused, branches) = variant_items[variant_index]
        variant_items[variant_index] = (op, (unused, [branches[choice]]))
        compiled.append(sre_compile.compile(variant, pattern.flags))
    return compiled


def _matches(rule: Rule, alternative: re.Pattern[str], example: str) -> bool:
    return alternative.search(example.strip()) is not None


RULE_ALTERNATIVES = [
    pytest.param(rule, index, alternative, id=f"{rule.name}#{index + 1}")
    for rule in RULES
    for index, alternative in enumerate(alternatives(rule.pattern))
]


@pytest.mark.parametrize(("rule", "index", "alternative"), RULE_ALTERNATIVES)
def test_every_alternative_is_exercised_by_an_example(
    rule: Rule, index: int, alternative: re.Pattern[str]
) -> None:
    assert any(_matches(rule, alternative, example) for example in rule.examples), (
        f"rule {rule.name}: alternative {index + 1} matches none of its examples; "
        "add a real-looking example line for it (or remove the branch if it is dead)"
    )


FURNITURE_ALTERNATIVES = [
    pytest.param(furniture, index, alternative, id=f"{furniture.name}#{index + 1}")
    for furniture in TITLE_FURNITURE
    for index, alternative in enumerate(alternatives(furniture.pattern))
]


@pytest.mark.parametrize(("furniture", "index", "alternative"), FURNITURE_ALTERNATIVES)
def test_every_furniture_alternative_is_exercised(
    furniture: Furniture, index: int, alternative: re.Pattern[str]
) -> None:
    assert any(alternative.search(example) for example in furniture.examples), (
        f"furniture {furniture.name}: alternative {index + 1} matches none of its examples"
    )


@pytest.mark.parametrize(
    ("furniture", "example"),
    [pytest.param(f, e, id=f"{f.name}:{e[:10]}") for f in TITLE_FURNITURE for e in f.examples],
)
def test_furniture_example_is_named_by_its_entry(furniture: Furniture, example: str) -> None:
    assert furniture_of(example) is furniture


@pytest.mark.parametrize(
    "title",
    [
        "在全市公安工作会议上的讲话",
        "专题党课：忠实履行职能服务高质量发展",
        "守正出新 担当使命",
        "织密社会治安防控网",
        "全面提升履职能力筑牢平安建设根基",
        "有关元至四月份工作述评会主持词范文",
        "市局机关党委书记在全市公安政治工作会议上的讲话",
        "2023年5月6日在全市会议上的讲话",
        "XX市公安局",
        # near the furniture added for 范文 and blog pages (已关闭评论, 所属分类:, A+)
        "关于评论已关闭问题的整改报告",
        "所属分类管理工作会议上的讲话",
        "A+级景区创建工作推进会上的讲话",
        "常用警械使用规范培训会上的讲话",
    ],
)
def test_titles_are_not_sure_furniture(title: str) -> None:
    furniture = furniture_of(title)
    assert furniture is None or not furniture.sure, furniture


def test_removal_names_are_unique() -> None:
    """The removal log names the rule or furniture that removed a line: one meaning each."""
    from pizhu import rules

    special = {
        rules.HTML_TAG_RULE,
        rules.EDITOR_DROP_RULE,
        rules.AD_BLOCK_RULE,
        rules.FOOTER_BLOCK_RULE,
        rules.RUNNING_HEADER_RULE,
        rules.HEAD_FURNITURE_RULE,
    }
    names = [r.name for r in RULES] + [f.name for f in TITLE_FURNITURE] + sorted(special)
    assert len(names) == len(set(names))


def test_alternatives_are_found_inside_a_lone_group() -> None:
    pattern = re.compile(r"^\s*(?:ab|cd|e+f)\s*$")
    got = [p for p in alternatives(pattern)]
    assert len(got) == 3
    assert [bool(p.search("ab")) for p in got] == [True, False, False]
    assert [bool(p.search("eef")) for p in got] == [False, False, True]


def test_a_pattern_without_alternatives_is_its_own_alternative() -> None:
    pattern = re.compile(r"^abc$")
    assert alternatives(pattern) == [pattern]


def test_the_tuple_bug_is_caught() -> None:
    """What an f-string makes of "{0, 10}": a branch that needs the text "(0, 10)"."""
    lo, hi = 0, 10
    broken = re.compile(f"欢迎光临|欢迎来到[^。]{lo, hi}网")
    examples = ("欢迎光临", "欢迎来到第一范文网")
    exercised = [any(p.search(e) for e in examples) for p in alternatives(broken)]
    assert exercised == [True, False]


# --- How patterns are written -------------------------------------------------------------


def _is_pattern_call(node: ast.Call) -> bool:
    func = node.func
    name = (
        func.id
        if isinstance(func, ast.Name)
        else func.attr
        if isinstance(func, ast.Attribute)
        else ""
    )
    return name in {"_re", "compile"}


def test_no_rule_pattern_is_built_with_an_f_string() -> None:
    """Patterns are joined from named pieces with "+", so a "{m,n}" quantifier is never
    read by Python as an expression."""
    source = Path(rules.__file__).read_text(encoding="utf-8")
    offenders = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _is_pattern_call(node):
            for argument in ast.walk(node):
                if isinstance(argument, ast.JoinedStr):
                    offenders.append(argument.lineno)
    assert not offenders, f"rules.py lines {sorted(set(offenders))}: f-string in a pattern"


def _verbose_comments(pattern: str) -> list[str]:
    """The comments ("# …" to the end of the line) of a verbose pattern."""
    comments, index, in_class = [], 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if pattern[index + 1 : index + 2] == "]":
                index += 1
        elif char == "#":
            end = pattern.find("\n", index)
            end = len(pattern) if end < 0 else end
            comments.append(pattern[index:end])
            index = end
        index += 1
    return comments


_PATTERN_SYNTAX = re.compile(r"\(\?|\\[sdSwWbB]|\[\^|\{\d+,\d*\}|\)[?*+]")


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.name)
def test_no_comment_swallows_pattern_text(rule: Rule) -> None:
    """In a verbose pattern "#" comments out the rest of the line, so a piece joined
    after a comment without a line break is silently lost."""
    if not rule.pattern.flags & re.VERBOSE:
        return
    for comment in _verbose_comments(rule.pattern.pattern):
        assert not _PATTERN_SYNTAX.search(comment), f"{rule.name}: pattern text in {comment!r}"


def test_the_swallowing_check_can_fail() -> None:
    swallowed = r"(?:a|b)  # a or b" + r"(?:c|d)\s*$"
    assert any(_PATTERN_SYNTAX.search(c) for c in _verbose_comments(swallowed))
    assert _verbose_comments(r"[#]\#x  # note") == ["# note"]


def test_every_example_is_a_single_line() -> None:
    for rule in RULES:
        for example in rule.examples:
            assert "\n" not in example and example.strip(), (rule.name, example)


@pytest.mark.parametrize(
    "line",
    ["a" * 5000, "1" * 5000, "文" * 5000 + ".docx", "2023-05-06 " * 500, "| 范文" * 2000],
    ids=lambda line: f"{line[:6]!r}x{len(line)}",
)
def test_furniture_patterns_do_not_backtrack(line: str) -> None:
    """furniture_of() runs on every content line (running headers) and every head line."""
    import time

    start = time.perf_counter()
    furniture_of(line)
    assert time.perf_counter() - start < 1.0
