"""render.py: escaping (the only place that escapes) and the speech page layout.

The escaping cases are data (tests/cases/render/literal.yml). Each case goes through
the same Markdown extensions as the site (read from mkdocs.yml); the real MkDocs build
is checked again in test_build_site.py.
"""

from __future__ import annotations

import itertools
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from conftest import CASES, concept_mark, html_text, squash, unmark
from pizhu.model import Block, Removal, Speech
from pizhu.render import (
    REDACTION_RE,
    REDACTION_TOOLTIP,
    Mark,
    escape_attr_list_value,
    escape_html,
    escape_tag,
    escape_text,
    format_date,
    render_context,
    render_inline,
)
from pizhu.speech_layout import (
    CONCEPTS_TITLE,
    RELATED_NONE,
    RELATED_TITLE,
    SPEECH_SEARCH_BOOST,
    TRUNCATED_NOTICE,
    ConceptLine,
    RelatedLine,
    reading_minutes,
    render_speech,
)

LITERAL_CASES = yaml.safe_load((CASES / "render" / "literal.yml").read_text(encoding="utf-8"))
MARK_CASES = yaml.safe_load((CASES / "render" / "marks.yml").read_text(encoding="utf-8"))
TAG_RE = re.compile(r"<(/?)([a-zA-Z0-9]+)([^>]*)>")
REDACT_RE = re.compile(r'<span class="pz-redact" title="原文隐去">(.*?)</span>')


def visible(text: str) -> str:
    return " ".join(text.split())


def tags_of(fragment: str) -> list[str]:
    return [m.group(2) + m.group(3) for m in TAG_RE.finditer(fragment) if not m.group(1)]


@pytest.mark.parametrize("case", LITERAL_CASES, ids=[c["name"] for c in LITERAL_CASES])
def test_inline_text_shows_literally(case, to_html):
    out = to_html(render_inline(case["text"]))
    assert html_text(out) == visible(case["text"])
    redactions = REDACT_RE.findall(out)
    assert redactions == case.get("redactions", redactions)
    # No markup but the paragraph and the redaction marker.
    allowed = {"p", f'span class="pz-redact" title="{REDACTION_TOOLTIP}"'}
    assert set(tags_of(out)) <= allowed, out


@pytest.mark.parametrize("case", LITERAL_CASES, ids=[c["name"] for c in LITERAL_CASES])
def test_text_shows_literally_as_paragraph_and_heading(case, to_html):
    speech = Speech(
        slug="x",
        title=case["text"],
        subtitle=case["text"],
        speaker=case["text"],
        blocks=(
            Block("heading", case["text"], 2),
            Block("paragraph", case["text"]),
            Block("heading", case["text"], 3),
            Block("paragraph", "尾段。"),
        ),
    )
    page = render_speech(speech)
    body = page.split("---\n", 2)[2]  # after the front matter
    out = to_html(body)
    expected = visible(case["text"])
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", out).group(1)
    h2 = re.search(r"<h2[^>]*>(.*?)</h2>", out).group(1)
    h3 = re.search(r"<h3[^>]*>(.*?)</h3>", out).group(1)
    p1 = re.search(r'<p class="pz-p" id="p-1">(.*?)</p>', out).group(1)
    for fragment in (h1, h2, h3):
        assert html_text(re.sub(r'<a class="headerlink".*?</a>', "", fragment)) == expected
    assert html_text(p1) == f"1 {expected}"
    assert 'id="p-2"' in out
    assert "<script" not in out
    assert "<img" not in out
    assert not re.search(r"<[^>]*\son\w+\s*=", out), "an event handler attribute"


def test_front_matter_is_first_and_escapes_title_for_the_theme():
    speech = Speech(slug="x", title='Key: value <script>alert(1)</script> & "q"')
    page = render_speech(speech)
    assert page.startswith("---\n")
    front, _ = page[4:].split("---\n", 1)
    meta = yaml.safe_load(front)
    # Material prints page.meta.title into <title> and the nav without escaping.
    assert meta == {
        "title": 'Key: value &lt;script&gt;alert(1)&lt;/script&gt; &amp; "q"',
        # Speeches rank above pages that only mention a phrase (see pizhu-search-worker.js).
        "search": {"boost": SPEECH_SEARCH_BOOST},
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1. <b>", "1\\. &lt;b&gt;"),
        ("# x", "\\# x"),
        ("=x", "&#61;x"),
        ("a=b", "a=b"),
        ("??? x", "&#63;?? x"),
        ("  lead  and   inner  ", "lead and inner"),
        ("\\", "\\\\"),
        ("a|b", "a\\|b"),
    ],
)
def test_escape_text(text, expected):
    assert escape_text(text) == expected


def speech_fixture(**changes) -> Speech:
    values = dict(
        slug="demo",
        title="在全市XX工作会议上的讲话",
        subtitle="守正创新 担当作为",
        speaker="张XX",
        occasion="全市XX工作会议",
        date="2021-06-28",
        blocks=(
            Block("paragraph", "同志们："),
            Block("heading", "一、提高政治站位", 2),
            Block("paragraph", "第一段。" * 100),
            Block("heading", "（一）坚持问题导向", 3),
            Block("paragraph", "第二段。"),
        ),
        removed=(
            Removal(1, "仅供学习 禁止外传", "广告", "ad"),
            Removal(2, "酷乐文行", "广告", "ad"),
            Removal(3, "现在订阅立享", "广告", "ad"),
            Removal(9, "本文档编辑密码：wsx2023", "文档密码", "password"),
            Removal(12, "酷乐文行整理，咨询QQ206157060", "整理者署名", "signature"),
            Removal(40, "##paidend##", "付费标记", "paid"),
            Removal(41, "链接地址:http://www.bibiwenku.com/x.html", "网址", "url"),
        ),
        source_name="sources/demo.txt",
    )
    values.update(changes)
    return Speech(**values)


def test_speech_page_layout(to_html):
    speech = speech_fixture()
    page = render_speech(speech)
    out = to_html(page.split("---\n", 2)[2])
    assert re.findall(r'<p class="pz-p" id="(p-\d+)">', out) == ["p-1", "p-2", "p-3"]
    assert re.findall(r'<a class="pz-pn" href="#(p-\d+)">(\d+)</a>', out) == [
        ("p-1", "1"),
        ("p-2", "2"),
        ("p-3", "3"),
    ]
    assert re.search(r"<h2[^>]*>一、提高政治站位", out)
    assert re.search(r"<h3[^>]*>（一）坚持问题导向", out)
    text = html_text(out)
    assert "——守正创新 担当作为" in text
    assert "讲话人 张XX 场合 全市XX工作会议 日期 2021年6月28日" in text
    assert f"字数 {speech.char_count:,}" in text
    assert f"阅读时间 约 {reading_minutes(speech.char_count)} 分钟" in text
    assert "原文不完整" not in text


def test_removal_notes_show_lines_reasons_and_sizes_but_never_the_text(to_html):
    speech = speech_fixture()
    page = render_speech(speech)
    for removal in speech.removed:
        assert removal.text not in page
    for secret in ("wsx2023", "206157060", "bibiwenku", "http", "paid", "酷乐文行"):
        assert secret not in page
    out = to_html(page.split("---\n", 2)[2])
    details = re.search(r'<details class="note">(.*?)</details>', out, re.S).group(1)
    assert "<summary>整理说明：删除 7 处" in details
    rows = [html_text(r) for r in re.findall(r"<tr>(.*?)</tr>", details, re.S)[1:]]
    assert rows == [
        "广告 1–3 3 19",
        "文档密码 9 1 15",
        "整理者署名 12 1 20",
        "付费标记 40 1 11",
        "网址 41 1 36",
    ]
    assert "python scripts/build.py clean sources/demo.txt" in html_text(details)


def test_no_removals_still_says_so():
    page = render_speech(speech_fixture(removed=()))
    assert "没有删除任何内容" in page
    assert "python scripts/build.py clean sources/demo.txt" in page


def test_truncated_speech_has_a_visible_notice(to_html):
    out = to_html(render_speech(speech_fixture(truncated=True)))
    assert '<div class="admonition warning">' in out
    assert TRUNCATED_NOTICE in html_text(out)
    assert html_text(out).index(TRUNCATED_NOTICE) < html_text(out).index("同志们")


def test_editorial_note_is_an_escaped_admonition(to_html):
    notes = "本文据内部材料整理。\n\n<b>注意</b>：# 不是标题\n*不是强调*"
    out = to_html(render_speech(speech_fixture(notes=notes)))
    note = re.search(r'<div class="admonition note">(.*?)</div>', out, re.S).group(1)
    assert "编者按" in note
    assert html_text(note).endswith("本文据内部材料整理。 <b>注意</b>：# 不是标题 *不是强调*")
    assert "<b>" not in note


def test_missing_metadata_is_left_out(to_html):
    speech = Speech(slug="x", title=None, blocks=(Block("paragraph", "正文。"),))
    text = html_text(to_html(render_speech(speech).split("---\n", 2)[2]))
    assert text.startswith("（无标题）")
    assert "讲话人" not in text
    assert "日期" not in text
    assert "字数 3" in text


def test_every_paragraph_reaches_the_page(to_html):
    speech = speech_fixture()
    text = squash(html_text(to_html(render_speech(speech))))
    for block in speech.blocks:
        assert squash(block.text) in text


def test_rendering_is_deterministic():
    assert render_speech(speech_fixture()) == render_speech(speech_fixture())


@pytest.mark.parametrize(
    ("date", "expected"),
    [("2021-06-28", "2021年6月28日"), ("2021-06", "2021年6月"), ("2021", "2021年"), (None, None)],
)
def test_format_date(date, expected):
    assert format_date(date) == expected


@pytest.mark.parametrize(("chars", "minutes"), [(0, 1), (1, 1), (400, 1), (401, 2), (8000, 20)])
def test_reading_minutes(chars, minutes):
    assert reading_minutes(chars) == minutes


# --- the inline API for glossary links ------------------------------------------------


def test_marks_become_links_with_tooltips(to_html):
    text = "坚持和发展新时代“枫桥经验”，*不是*强调"
    start = text.index("枫桥经验")
    mark = Mark(start, start + 4, "../glossary/fengqiao.md", '基层治理 "经验" & <b>', "pz-term")
    out = to_html(render_inline(text, [mark]))
    link = re.search(r"<a [^>]*>枫桥经验</a>", out).group(0)
    assert 'href="../glossary/fengqiao.md"' in link
    assert 'class="pz-term"' in link
    assert 'title="基层治理 &quot;经验&quot; &amp; &lt;b&gt;"' in link
    assert html_text(out) == text


def test_marked_text_is_escaped_and_redactions_kept(to_html):
    text = "[注]XX*局*"
    out = to_html(render_inline(text, [Mark(0, len(text), "#p-1")]))
    assert html_text(out) == text
    assert "pz-redact" in out


@pytest.mark.parametrize(
    "mark",
    [
        dict(start=0, end=0, href="#x"),
        dict(start=3, end=2, href="#x"),
        dict(start=0, end=1, href="javascript:alert(1)"),
        dict(start=0, end=1, href='x.md" onclick="y'),
        dict(start=0, end=1, href="http://example.com/"),
        dict(start=0, end=1, href="#x", css_class="a }{: onclick=x"),
    ],
)
def test_unsafe_or_empty_marks_are_refused(mark):
    with pytest.raises(ValueError):
        Mark(**mark)


def test_overlapping_marks_are_refused():
    with pytest.raises(ValueError, match="overlapping"):
        render_inline("枫桥经验", [Mark(0, 3, "#a"), Mark(2, 4, "#b")])


def test_mark_outside_text_is_refused():
    with pytest.raises(ValueError, match="outside"):
        render_inline("短", [Mark(0, 5, "#a")])


def test_case_file_is_where_the_docstring_says():
    assert Path(CASES / "render" / "literal.yml").is_file()


# --- concept marks next to hostile text (tests/cases/render/marks.yml) --------------------

HOSTILE_SUMMARY = 'a "*b*" {c} <script>x</script> & \\ `d` [e](f) | #g :h: \x02'


class Anchors(HTMLParser):
    """Every <a>: its attributes (decoded) and its visible text; every other start tag."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[dict[str, str | None], str]] = []
        self.other_tags: list[str] = []
        self._open: list[list[str]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links.append((dict(attrs), ""))
            self._open.append([])
        else:
            self.other_tags.append(tag + "".join(f" {k}={v}" for k, v in attrs))

    def handle_endtag(self, tag):
        if tag == "a":
            attrs, _ = self.links[-1]
            self.links[-1] = (attrs, "".join(self._open.pop()))

    def handle_data(self, data):
        for parts in self._open:
            parts.append(data)


@pytest.mark.parametrize("case", MARK_CASES, ids=[c["name"] for c in MARK_CASES])
def test_marks_next_to_hostile_text(case, to_html):
    text, spans = unmark(case["text"])
    out = to_html(render_inline(text, [concept_mark(*span) for span in spans]))
    assert html_text(out) == visible(text)
    parsed = Anchors()
    parsed.feed(out)
    assert [label for _, label in parsed.links] == [text[a:b] for a, b in spans]
    for attrs, _ in parsed.links:
        assert attrs == {
            "class": "pz-term",
            "data-pz-tip": "基层治理经验。",
            "data-pz-term": "四风",
            "href": "../glossary/si-feng.md",
        }
    allowed = {"p", f"span class=pz-redact title={REDACTION_TOOLTIP}"}
    assert set(parsed.other_tags) <= allowed, out


@pytest.mark.parametrize("case", MARK_CASES, ids=[c["name"] for c in MARK_CASES])
def test_marks_next_to_hostile_text_in_a_paragraph(case, to_html):
    """The same inside a numbered paragraph (its attr_list line follows the marks)."""
    text, spans = unmark(case["text"])
    speech = Speech(slug="x", title="标题", blocks=(Block("paragraph", text),))
    out = to_html(render_speech(speech, lambda i, b: [concept_mark(*s) for s in spans]))
    paragraph = re.search(r'<p class="pz-p" id="p-1">(.*?)</p>', out, re.S).group(1)
    assert html_text(paragraph) == f"1 {visible(text)}"
    assert len(re.findall(r'<a class="pz-term"', paragraph)) == len(spans)


def test_hostile_data_attribute_values_reach_the_browser_unchanged(to_html):
    out = to_html(render_inline("反对四风。", [concept_mark(2, 4, HOSTILE_SUMMARY)]))
    parsed = Anchors()
    parsed.feed(out)
    ((attrs, label),) = parsed.links
    assert label == "四风"
    # whitespace collapsed and control characters dropped, nothing else changed
    assert attrs["data-pz-tip"] == HOSTILE_SUMMARY.replace("\x02", "").strip()
    assert parsed.other_tags == ["p"]
    assert html_text(out) == "反对四风。"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("基层治理", "基层治理"),
        ('a "b"', "a &#34;b&#34;"),
        ("*x* {y}", "&#42;x&#42; &#123;y&#125;"),
        ("  two\n lines\t", "two lines"),
        ("<&>", "&#60;&#38;&#62;"),
    ],
)
def test_escape_attr_list_value(text, expected):
    assert escape_attr_list_value(text) == expected


@pytest.mark.parametrize("name", ["onclick", "data-", "data-X", "data-a b", 'data-a"', "href"])
def test_unsafe_data_attribute_names_are_refused(name):
    with pytest.raises(ValueError, match="unsafe mark attribute"):
        Mark(0, 1, "#x", data=((name, "v"),))


# --- occurrence context (term pages) -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span", "width", "visible_text", "marked"),
    [
        ("坚持和发展新时代枫桥经验。", (8, 12), 3, "…新时代枫桥经验。", "枫桥经验"),
        ("枫桥经验", (0, 4), 20, "枫桥经验", "枫桥经验"),
        ("# 四风 <b>&amp;</b> *x*", (2, 4), 20, "# 四风 <b>&amp;</b> *x*", "四风"),
        ("=四风=", (1, 3), 20, "=四风=", "四风"),
        ("XX局反对四风，××同志", (5, 7), 20, "XX局反对四风，××同志", "四风"),
        ("0123456789四风0123456789", (10, 12), 2, "…89四风01…", "四风"),
    ],
)
def test_context_is_escaped_with_the_term_highlighted(
    text, span, width, visible_text, marked, to_html
):
    out = to_html(f"- [第 1 段](#p-1) {render_context(text, *span, width)}")
    item = re.search(r"<li>(.*?)</li>", out, re.S).group(1)
    assert html_text(item) == f"第 1 段 {visible_text}"
    assert re.findall(r"<mark>(.*?)</mark>", item) == [marked]
    assert "<b>" not in item and "<em>" not in item and "<h1" not in out


def test_context_span_must_be_in_the_text():
    with pytest.raises(ValueError):
        render_context("短", 0, 2, 20)


# --- the end of a speech page: its concepts and related speeches ---------------------------


def test_concepts_and_related_end_the_page(to_html):
    concepts = [
        ConceptLine("四风", "../glossary/si-feng.md", 3, 'summary *not* <b>bold</b> "q"'),
        ConceptLine("两个维护", "../glossary/liang-ge-weihu.md", 1, "另一句。"),
    ]
    related = [RelatedLine("标题 <b>|</b> [x](y)", "other.md", 2)]
    page = render_speech(speech_fixture(), concepts=concepts, related=related)
    out = to_html(page.split("---\n", 2)[2])
    tail = out.split("整理说明", 1)[1]  # after the removal notes: the page ends with them
    concepts_html = re.search(r'<div class="pz-concepts[^"]*"[^>]*>(.*?)</div>', tail, re.S)
    assert concepts_html, "本文涉及概念 comes after 整理说明"
    items = re.findall(r"<li>(.*?)</li>", concepts_html.group(1), re.S)
    assert [html_text(i) for i in items] == [
        '四风 3 次summary *not* <b>bold</b> "q"',
        "两个维护 1 次另一句。",
    ]
    assert 'href="../glossary/si-feng.md"' in items[0]
    assert f">{CONCEPTS_TITLE}<" in re.sub(r'<a class="headerlink".*?</a>', "", out)
    related_html = re.search(r'<div class="pz-related[^"]*"[^>]*>(.*?)</div>', tail, re.S)
    assert RELATED_TITLE in related_html.group(1)
    assert html_text(re.search(r"<li>(.*?)</li>", related_html.group(1)).group(1)) == (
        "标题 <b>|</b> [x](y) 共同概念 2 个"
    )
    assert "<b>" not in out
    # Both sections stay out of Material's search index.
    assert len(re.findall(r"<div [^>]*data-search-exclude", out)) == 2


def test_no_concepts_no_sections():
    page = render_speech(speech_fixture(), concepts=[], related=[])
    assert CONCEPTS_TITLE not in page and RELATED_TITLE not in page


def test_related_none_says_so():
    concepts = [ConceptLine("四风", "../glossary/si-feng.md", 1, "x")]
    page = render_speech(speech_fixture(), concepts=concepts, related=[])
    assert RELATED_NONE in page


@pytest.mark.parametrize("href", ["javascript:x", "http://x/", 'a.md" onclick="x'])
def test_unsafe_concept_and_related_hrefs_are_refused(href):
    with pytest.raises(ValueError):
        ConceptLine("四风", href, 1, "x")
    with pytest.raises(ValueError):
        RelatedLine("标题", href, 1)


def test_page_with_concepts_is_deterministic_and_ends_with_a_newline():
    concepts = [ConceptLine("四风", "../glossary/si-feng.md", 1, "x")]
    first = render_speech(speech_fixture(), concepts=concepts, related=[])
    assert first == render_speech(speech_fixture(), concepts=concepts, related=[])
    assert first.endswith("\n") and not first.endswith("\n\n\n")


# --- print and tags -------------------------------------------------------------------


def test_meta_line_names_the_source_in_print_only_and_hides_reading_time_there(to_html):
    speech = speech_fixture(source_name="sources/2021-dangke.txt")
    out = to_html(render_speech(speech).split("---\n", 2)[2])
    meta = re.search(r'<p class="pz-meta">(.*?)</p>', out, re.S).group(1)
    items = re.findall(r'<span class="([^"]*)"><span class="pz-meta-label">([^<]*)</span>', meta)
    assert [label for _, label in items] == ["讲话人", "场合", "日期", "字数", "阅读时间", "来源"]
    classes = dict((label, css) for css, label in items)
    assert classes["阅读时间"] == "pz-meta-item pz-screen-only"
    assert classes["来源"] == "pz-meta-item pz-print-only pz-search-exclude"
    assert "整理自 sources/2021-dangke.txt" in html_text(meta)
    # a speech without a known file names its slug
    bare = to_html(render_speech(speech_fixture(source_name="")).split("---\n", 2)[2])
    assert "整理自 sources/demo.txt" in html_text(bare)


def test_front_matter_carries_escaped_tags():
    page = render_speech(speech_fixture(), tags=[escape_tag("<b>张XX</b> &  李某某"), "2021年"])
    meta = yaml.safe_load(page[4:].split("---\n", 1)[0])
    assert meta["tags"] == ["&lt;b&gt;张XX&lt;/b&gt; &amp; 李某某", "2021年"]
    assert "tags" not in yaml.safe_load(render_speech(speech_fixture())[4:].split("---\n", 1)[0])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('<b> & "x"', "&lt;b&gt; &amp; &quot;x&quot;"),
        ("a\n\tb\x00", "a b"),
        ("'", "&#x27;"),
    ],
)
def test_escape_html(text, expected):
    assert escape_html(text) == expected


# REDACTION_RE as first written: each branch with its test of the character before. The
# faster form (every branch starts with a fixed character) must find the same redactions.
_REDACTION_SPEC = re.compile(
    r"""
    (?<![A-Za-z0-9])X{1,4}(?![A-Za-z0-9]|-[A-Za-z]|光|射线)
    | (?<![A-Za-z0-9])x{2,4}(?![A-Za-z0-9])
    | [×Ｘ]{2,}
    | 某某
    """,
    re.VERBOSE,
)


def test_redactions_are_found_as_the_plain_pattern_finds_them():
    alphabet = "Xx×Ｘ某a1-光射线中"
    for size in range(1, 5):
        for chars in itertools.product(alphabet, repeat=size):
            text = "".join(chars)
            want = [m.span() for m in _REDACTION_SPEC.finditer(text)]
            assert [m.span() for m in REDACTION_RE.finditer(text)] == want, text
    for text in (
        "XX同志",
        "XML",
        "X光片",
        "X-ray",
        "5X",
        "××姓党",
        "ＸＸ×市",
        "某某某",
        "xxx",
        "Xi",
    ):
        want = [m.group() for m in _REDACTION_SPEC.finditer(text)]
        assert [m.group() for m in REDACTION_RE.finditer(text)] == want, text
