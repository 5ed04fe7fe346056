"""site.py: the speeches index and the home page."""

from __future__ import annotations

import re

import pytest

from conftest import html_text
from pizhu.model import Block, Speech
from pizhu.site import render_home, render_speeches_index, sort_speeches


def speech(slug: str, title: str | None, date: str | None = None, **more) -> Speech:
    return Speech(slug=slug, title=title, date=date, blocks=(Block("paragraph", "正文。"),), **more)


def test_sorted_by_date_newest_first_then_title_undated_last():
    speeches = [
        speech("a", "乙", None),
        speech("b", "甲", "2020-05-01"),
        speech("c", "丙", "2021"),
        speech("d", "甲", "2021-03"),
        speech("e", "乙", "2021-03"),
        speech("f", "丁", "2021-03-02"),
        speech("g", "甲", None),
    ]
    # Ties are broken by title in code point order (乙 U+4E59 < 甲 U+7532): deterministic,
    # though not pinyin order.
    assert [s.slug for s in sort_speeches(speeches)] == ["f", "e", "d", "c", "b", "a", "g"]


def test_index_table_rows_link_every_speech_and_escape_cells(to_html):
    speeches = [
        speech(
            "x-1", "标题 | 带竖线 <b>", "2021-06-28", speaker="张XX", occasion="[会](javascript:x)"
        ),
        speech("x-2", None),
    ]
    out = to_html(render_speeches_index(speeches).split("---\n", 2)[2])
    rows = re.findall(r"<tr>(.*?)</tr>", out, re.S)[1:]
    assert len(rows) == 2
    cells = [html_text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", rows[0], re.S)]
    assert cells == ["标题 | 带竖线 <b>", "张XX", "[会](javascript:x)", "2021年6月28日", "3"]
    assert 'href="x-1.md"' in rows[0]
    assert "javascript" not in " ".join(re.findall(r'href="([^"]*)"', out))
    assert html_text(rows[1]).startswith("（无标题） — — —")


def test_empty_index_explains_what_to_do():
    assert "sources/" in render_speeches_index([])


@pytest.mark.parametrize("count", [0, 3, 12])
def test_home_page_counts_and_links(count, to_html):
    speeches = [speech(f"s-{i:02d}", f"讲话{i:02d}", f"2020-01-{i + 1:02d}") for i in range(count)]
    out = to_html(render_home(speeches).split("---\n", 2)[2])
    text = html_text(out)
    assert f"讲话 {count} 篇，正文共 {3 * count} 字" in text
    assert 'href="speeches/index.md"' in out
    listed = re.findall(r'href="speeches/(s-\d+)\.md"', out)
    assert listed == [f"s-{i:02d}" for i in reversed(range(count))][:10]
    for word in ("阅读", "检索", "概念", "离线", "打印"):
        assert f"{word}：" in text
    assert 'href="glossary/index.md"' in out
