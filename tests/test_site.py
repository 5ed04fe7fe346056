"""site.py: the speeches index, the home page, tags, the tags page and the concept map
(on the Markdown, converted like the site; the real build is checked in test_build_site.py
and the browser tests)."""

from __future__ import annotations

import html
import json
import re

import pytest
import yaml

from conftest import html_text
from pizhu.concept_map import (
    HEAT_LABELS,
    MAP_COLUMN_LIMIT,
    heat_level,
    map_columns,
    render_concept_map,
)
from pizhu.glossary import parse_glossary
from pizhu.home_page import render_home
from pizhu.index_page import render_speeches_index
from pizhu.model import Block, Speech
from pizhu.occurrences import build_index
from pizhu.site import CONCEPT_MAP_TITLE, sort_speeches, speech_anchor
from pizhu.speech_pages import render_speech_page
from pizhu.tags_page import (
    TAG_CONCEPT,
    TAG_OCCASION,
    TAG_SPEAKER,
    TAG_YEAR,
    render_tags_page,
    speech_tag_kinds,
    speech_tags,
    tag_groups,
)

TERMS = [
    ("a", "两个维护"),
    ("b", "四个意识"),
    ("c", "四风"),
    ("d", "三会一课"),
    ("e", "枫桥经验"),
]
GLOSSARY = parse_glossary(
    "\n".join(
        f"{term_id}:\n  term: {term}\n  category: 政治理论\n  summary: {term}的简介。\n"
        f"  definition: {term}的定义。\n"
        for term_id, term in TERMS
    )
)


def speech(slug: str, title: str | None, date: str | None = None, **more) -> Speech:
    blocks = more.pop("blocks", (Block("paragraph", "正文。"),))
    return Speech(slug=slug, title=title, date=date, blocks=blocks, **more)


def body(markdown: str) -> str:
    """The Markdown after the front matter."""
    return markdown.split("---\n", 2)[2]


def front(markdown: str) -> dict:
    return yaml.safe_load(markdown.split("---\n", 2)[1])


def corpus() -> list[Speech]:
    return [
        speech(
            "s-1",
            "做到两个维护",
            "2021-06-28",
            speaker="张XX",
            occasion="全市XX工作会议",
            tags=("党课",),
            blocks=(
                Block("heading", "一、两个维护", 2),
                Block("paragraph", "坚决做到两个维护，增强四个意识，两个维护是根本。"),
                Block("paragraph", "反对四风。"),
            ),
        ),
        speech(
            "s-2",
            "枫桥经验",
            "2020",
            speaker="李XX",
            occasion="全市XX工作会议",
            blocks=(Block("paragraph", "坚持枫桥经验，枫桥经验，四个意识，四个意识，两个维护。"),),
        ),
        speech("s-3", "没有概念的讲话", None, blocks=(Block("paragraph", "同志们好。"),)),
    ]


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


# --- the speeches index ------------------------------------------------------------------


def index_rows(out: str) -> list[tuple[dict[str, str], str]]:
    """(data-pz-* attributes, row HTML) of each body row."""
    rows = []
    for attrs, inner in re.findall(r"<tr ([^>]*data-pz-[^>]*)>(.*?)</tr>", out, re.S):
        data = {k: html.unescape(v) for k, v in re.findall(r'data-pz-(\w+)="([^"]*)"', attrs)}
        rows.append((data, inner))
    return rows


def test_index_table_rows_link_every_speech_and_escape_cells(to_html):
    speeches = [
        speech(
            "x-1",
            "标题 | 带竖线 <b>",
            "2021-06-28",
            speaker='张XX "<i>"',
            occasion="[会](javascript:x)",
        ),
        speech("x-2", None),
    ]
    out = to_html(body(render_speeches_index(speeches)))
    rows = index_rows(out)
    assert len(rows) == 2
    data, inner = rows[0]
    cells = [html_text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", inner, re.S)]
    assert cells == ["标题 | 带竖线 <b>", '张XX "<i>"', "[会](javascript:x)", "2021年6月28日", "3"]
    assert 'href="x-1.md"' in inner
    assert data == {
        "year": "2021",
        "speaker": '张XX "<i>"',
        "occasion": "[会](javascript:x)",
        "date": "2021-06-28",
        "chars": "3",
        "concepts": "",
    }
    assert "javascript" not in " ".join(re.findall(r'href="([^"]*)"', out))
    assert "<b>" not in out and "<i>" not in out
    assert html_text(rows[1][1]).startswith("（无标题） — — —")
    assert 'class="pz-empty"' in rows[1][1]


def test_index_rows_carry_the_concepts_and_the_filters_offer_them(to_html):
    speeches = corpus()
    index = build_index(sort_speeches(speeches), GLOSSARY)
    out = to_html(body(render_speeches_index(speeches, index)))
    rows = {data["concepts"]: data for data, _ in index_rows(out)}
    assert set(rows) == {"a b c", "a b e", ""}
    form = re.search(r"<form[^>]*>.*?</form>", out, re.S).group(0)
    assert " hidden" in form.split(">")[0]  # pizhu-index.js shows it
    assert "data-search-exclude" in form.split(">")[0]
    options = dict(re.findall(r'<option value="([^"]+)">([^<]*)</option>', form))
    # every filter value is a value some row has
    assert {"2021", "2020"} <= set(options)
    assert options["a"] == "两个维护（2）" and options["e"] == "枫桥经验（1）"
    assert "d" not in options  # a concept no speech uses is not offered
    assert options["全市XX工作会议"] == "全市XX工作会议（2）"
    filters = re.findall(r'data-pz-filter="(\w+)"', form)
    assert filters == ["year", "speaker", "occasion", "concept", "text"]
    headers = re.findall(r'<th [^>]*data-pz-sort="(\w+)"[^>]*>([^<]*)</th>', out)
    assert [label for _, label in headers] == ["标题", "讲话人", "场合", "日期", "字数"]
    assert [kind for kind, _ in headers] == ["text", "text", "text", "date", "number"]


def test_index_without_dates_has_no_year_filter(to_html):
    out = to_html(body(render_speeches_index([speech("x", "讲话")])))
    assert 'data-pz-filter="year"' not in out
    assert 'data-pz-filter="text"' in out


def test_empty_index_explains_what_to_do():
    assert "sources/" in render_speeches_index([])


# --- the home page -----------------------------------------------------------------------


@pytest.mark.parametrize("count", [0, 3, 12])
def test_home_page_counts_and_links(count, to_html):
    speeches = [speech(f"s-{i:02d}", f"讲话{i:02d}", f"2020-01-{i + 1:02d}") for i in range(count)]
    out = to_html(body(render_home(speeches)))
    text = html_text(out)
    assert f"讲话 {count} 篇，正文共 {3 * count} 字" in text
    assert 'href="speeches/index.md"' in out
    listed = re.findall(r'href="speeches/(s-\d+)\.md"', out)
    assert listed == [f"s-{i:02d}" for i in reversed(range(count))][:10]
    for word in ("阅读", "检索", "概念", "离线", "打印", "找讲话"):
        assert f"{word}：" in text
    for page in ("glossary/index.md", "concepts.md", "speeches/tags.md"):
        assert f'href="{page}"' in out
    assert "index.html" in text and "Ctrl+P" in text


def test_home_page_counts_concepts_and_lists_the_most_used(to_html):
    speeches = corpus()
    index = build_index(sort_speeches(speeches), GLOSSARY)
    out = to_html(body(render_home(speeches, index)))
    text = html_text(out)
    # 两个维护 4 (one in a heading), 四个意识 3, 枫桥经验 2, 四风 1; 三会一课 never
    assert "概念 5 个，其中 4 个在讲话中出现，共 10 处" in text
    top = re.findall(
        r'<a href="glossary/(\w)\.md">([^<]*)</a> <span class="pz-count">([^<]*)<', out
    )
    assert top == [
        ("a", "两个维护", "2 篇 · 4 次"),
        ("b", "四个意识", "2 篇 · 3 次"),
        ("e", "枫桥经验", "1 篇 · 2 次"),
        ("c", "四风", "1 篇 · 1 次"),
    ]


# --- tags --------------------------------------------------------------------------------


def test_speech_tags_year_speaker_occasion_sidecar_and_frequent_concepts():
    speeches = corpus()
    index = build_index(sort_speeches(speeches), GLOSSARY)
    first, second, third = speeches
    # s-1: 两个维护 3 times (heading included), 四个意识 and 四风 once: too few to be tags
    assert speech_tag_kinds(first, index) == [
        (TAG_YEAR, "2021年"),
        (TAG_SPEAKER, "张XX"),
        (TAG_OCCASION, "全市XX工作会议"),
        ("其他标签", "党课"),
        (TAG_CONCEPT, "两个维护"),
    ]
    assert [name for _, name in speech_tag_kinds(second, index)] == [
        "2020年",
        "李XX",
        "全市XX工作会议",
        "四个意识",  # 2 times, as often as 枫桥经验: glossary order
        "枫桥经验",
    ]
    assert speech_tag_kinds(third, index) == []
    page = render_speech_page(first, index)
    assert front(page)["tags"] == ["2021年", "张XX", "全市XX工作会议", "党课", "两个维护"]
    assert "tags" not in front(render_speech_page(third, index))


def test_tags_are_escaped_for_the_theme():
    hostile = speech("x", "讲话", speaker="<b>张XX</b> & 李某某", tags=("a  <i>b</i>",))
    assert speech_tags(hostile, None) == [
        "&lt;b&gt;张XX&lt;/b&gt; &amp; 李某某",
        "a &lt;i&gt;b&lt;/i&gt;",
    ]


def test_a_name_of_two_kinds_is_listed_once():
    speeches = corpus()
    speeches[2] = speech("s-3", "讲话", tags=("枫桥经验", "2020年"))
    index = build_index(sort_speeches(speeches), GLOSSARY)
    groups = dict(tag_groups(speeches, index))
    names = [name for names in groups.values() for name in names]
    assert len(names) == len(set(names))
    assert "枫桥经验" in groups[TAG_CONCEPT]
    assert "2020年" in groups[TAG_YEAR]
    assert groups["其他标签"] == ["党课"]


def test_tags_page_has_one_listing_per_kind_naming_its_tags():
    speeches = corpus()
    speeches[0] = speech("s-1", "讲话", speaker='<b>"张"</b> -->', date="2021")
    index = build_index(sort_speeches(speeches), GLOSSARY)
    page = render_tags_page(speeches, index)
    listings = re.findall(r"^## (\S+)\n\n<!-- material/tags (\{.*\}) -->$", body(page), re.M)
    assert [kind for kind, _ in listings] == ["概念", "讲话人", "场合", "年份"]
    included = {kind: yaml.safe_load(config)["include"] for kind, config in listings}
    assert included["讲话人"] == sorted(['&lt;b&gt;"张"&lt;/b&gt; --&gt;', "李XX"])
    # exactly the names the pages carry
    page_tags = {t for s in speeches for t in speech_tags(s, index)}
    assert page_tags == {t for names in included.values() for t in names}
    assert body(page).count("-->") == len(listings)


# --- the concept map ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "level"), [(1, 1), (2, 2), (3, 3), (4, 3), (5, 4), (8, 4), (9, 5), (40, 5)]
)
def test_heat_levels(count, level):
    assert heat_level(count) == level
    assert len(HEAT_LABELS) == 5


def test_concept_map_cells_count_and_link_to_the_speech_section(to_html):
    speeches = corpus()
    index = build_index(sort_speeches(speeches), GLOSSARY)
    page = render_concept_map(speeches, index)
    assert front(page) == {
        "title": CONCEPT_MAP_TITLE,
        "search": {"exclude": True},
        "hide": ["toc"],
    }
    out = to_html(body(page))
    header = re.search(r"<thead>(.*?)</thead>", out, re.S).group(1)
    columns = re.findall(r'href="glossary/(\w)\.md"', header)
    # in most speeches first, then most occurrences, then glossary order
    assert columns == ["a", "b", "e", "c"] == [t.id for t in map_columns(index)]
    rows = re.findall(
        r"<tr>(.*?)</tr>", re.search(r"<tbody>(.*?)</tbody>", out, re.S).group(1), re.S
    )
    assert len(rows) == 3
    first = rows[0]
    assert 'href="speeches/s-1.md"' in first
    cells = re.findall(r"<td([^>]*)>(.*?)</td>", first, re.S)
    assert [html_text(inner) for _, inner in cells] == ["3", "1", "", "1"]
    assert cells[0][0] == ' class="pz-heat-3"'
    assert cells[2][0] == ""
    assert f'href="glossary/a.md#{speech_anchor("s-1")}"' in cells[0][1]
    assert all("<a" not in inner for inner in re.findall(r"<td[^>]*>(.*?)</td>", rows[2]))


def test_concept_map_keeps_the_most_used_columns_and_lists_the_rest(to_html):
    many = parse_glossary(
        "\n".join(
            f"t{i}:\n  term: 概念{i:03d}号\n  category: 政治理论\n  summary: 简介。\n"
            "  definition: 定义。\n"
            for i in range(MAP_COLUMN_LIMIT + 3)
        )
    )
    text = "，".join(f"概念{i:03d}号" for i in range(MAP_COLUMN_LIMIT + 3))
    speeches = [speech("x", "讲话", blocks=(Block("paragraph", text + "。"),))]
    out = to_html(body(render_concept_map(speeches, build_index(speeches, many))))
    header = re.search(r"<thead>(.*?)</thead>", out, re.S).group(1)
    assert len(re.findall(r"<th scope=\"col\"><a", header)) == MAP_COLUMN_LIMIT
    assert "另有 3 个概念出现较少" in html_text(out)


def test_concept_map_without_concepts_explains(to_html):
    assert "glossary.yml" in render_concept_map(corpus(), None)
    index = build_index([], GLOSSARY)
    assert "glossary.yml" in render_concept_map([], index)


def test_hostile_titles_in_the_map_and_tags_page_stay_text(to_html):
    speeches = corpus()
    speeches[0] = Speech(
        slug="s-1",
        title='<script>alert(1)</script> [x](javascript:y) *强调* "q"',
        speaker="</b>",
        blocks=speeches[0].blocks,
    )
    index = build_index(sort_speeches(speeches), GLOSSARY)
    out = to_html(body(render_concept_map(speeches, index)))
    assert "<script" not in out and "<em>" not in out
    assert not [href for href in re.findall(r'href="([^"]*)"', out) if ":" in href]
    assert '<script>alert(1)</script> [x](javascript:y) *强调* "q"' in html_text(out)
    tags = body(render_tags_page(speeches, index))
    config = re.search(r"## 讲话人\n\n<!-- material/tags (\{.*\}) -->", tags).group(1)
    assert json.loads(config.replace("include:", '"include":')) == {
        "include": ["&lt;/b&gt;", "李XX"]
    }
