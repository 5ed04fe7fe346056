"""The glossary on the site: concept links in speeches, the glossary index, the term pages.

Two levels:

* the Markdown the generator writes (fast; small speeches and glossaries made here, and a
  tmp project into which a new raw speech is dropped);
* the real ``mkdocs build --strict`` of the bundled and the hostile corpus (fixtures in
  conftest.py), where every number on the built pages is checked against the Linker run
  independently over the cleaned blocks: links per speech and per term, the term pages'
  counts, the glossary index, and that every 出现于 link lands on an existing paragraph
  that contains the term.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOT, Built, copy_project, html_text, run_mkdocs, speech_words
from pizhu.generate import build_docs, generate_pages, render_pages
from pizhu.glossary import CATEGORIES, Glossary, load_glossary, parse_glossary
from pizhu.glossary_pages import render_glossary_index
from pizhu.link import Linker
from pizhu.model import Block, Speech
from pizhu.site import CONTEXTS_PER_SPEECH, SPEECHES_WITH_CONTEXTS

# --- Markdown level --------------------------------------------------------------------

SMALL_GLOSSARY = """\
si-feng:
  term: 四风
  aliases: [形式主义、官僚主义、享乐主义和奢靡之风]
  category: 纪律作风
  summary: 形式主义、官僚主义、享乐主义和奢靡之风。
  definition: |
    **四风**是指……

    - 第一条
    - 第二条
  related: [liang-ge-weihu]
  source: 党的群众路线教育实践活动（2013年）
liang-ge-weihu:
  term: 两个维护
  category: 政治理论
  summary: 坚决维护核心地位，坚决维护集中统一领导。
  definition: 见正文。
wei-yong:
  term: 从未出现的概念
  category: 公安工作
  summary: 没有讲话提到它。
  definition: 说明。
"""


def small_speeches() -> list[Speech]:
    return [
        Speech(
            slug="a",
            title="反对四风的讲话",
            date="2021-06-28",
            blocks=(
                Block("paragraph", "同志们：<b>反对四风</b>，*做到*两个维护。"),
                Block("heading", "一、整治四风", 2),
                Block("paragraph", "# 四风问题要整治，形式主义、官僚主义、享乐主义和奢靡之风。"),
            ),
        ),
        Speech(
            slug="b",
            title="另一篇",
            date="2020",
            blocks=(Block("paragraph", "做到两个维护。"),),
        ),
    ]


@pytest.fixture(scope="module")
def small_pages() -> dict[str, str]:
    return render_pages(small_speeches(), parse_glossary(SMALL_GLOSSARY))


def body(page: str) -> str:
    return page.split("---\n", 2)[2]


def test_glossary_pages_exist_for_every_term(small_pages):
    assert {p for p in small_pages if p.startswith("glossary/")} == {
        "glossary/index.md",
        "glossary/si-feng.md",
        "glossary/liang-ge-weihu.md",
        "glossary/wei-yong.md",
    }


def test_glossary_index_groups_by_category_in_fixed_order(small_pages, to_html):
    out = to_html(body(small_pages["glossary/index.md"]))
    headings = [html_text(h) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", out)]
    headings = [h.replace("¶", "").strip() for h in headings]
    assert headings == [c for c in CATEGORIES if c in {"纪律作风", "政治理论", "公安工作"}]
    rows = [html_text(r) for r in re.findall(r"<tr>(.*?)</tr>", out, re.S) if "<td" in r]
    assert rows == [
        "两个维护 坚决维护核心地位，坚决维护集中统一领导。 2 篇 · 2 次",
        "四风 形式主义、官僚主义、享乐主义和奢靡之风。 1 篇 · 4 次",
        "从未出现的概念 没有讲话提到它。 未出现",
    ]
    assert 'href="si-feng.md"' in out and 'href="wei-yong.md"' in out


def test_term_page(small_pages, to_html):
    out = to_html(body(small_pages["glossary/si-feng.md"]))
    text = html_text(out)
    assert "类别 纪律作风" in text
    assert "又称 形式主义、官僚主义、享乐主义和奢靡之风" in text
    assert "出现 1 篇讲话 · 4 次" in text
    # the definition is the editor's Markdown, rendered
    assert "<strong>四风</strong>是指" in out
    assert "<li>第一条</li>" in out
    assert 'href="liang-ge-weihu.md">两个维护</a>' in out
    assert "出处：党的群众路线教育实践活动（2013年）" in text
    occurrences = re.search(r'<div class="pz-occurrences[^>]*>(.*)</div>', out, re.S).group(1)
    assert 'href="../speeches/a.md">反对四风的讲话</a>' in occurrences
    assert "4 处" in html_text(occurrences)
    items = re.findall(r"<li>(.*?)</li>", occurrences, re.S)
    assert [re.search(r'href="([^"]+)"', i).group(1) for i in items] == [
        "../speeches/a.md#p-1",
        "../speeches/a.md#p-2",  # the heading's occurrence: the paragraph after it
        "../speeches/a.md#p-2",
        "../speeches/a.md#p-2",  # the alias
    ]
    labels = [html_text(re.search(r"<a [^>]*>(.*?)</a>", i).group(1)) for i in items]
    assert labels == ["第 1 段", "小标题", "第 2 段", "第 2 段"]
    # the context is source text: escaped, the occurrence highlighted
    assert html_text(items[0]) == "第 1 段 同志们：<b>反对四风</b>，*做到*两个维护。"
    assert "<b>" not in occurrences and "<em>" not in occurrences and "<h1" not in occurrences
    assert [re.findall(r"<mark>(.*?)</mark>", i) for i in items] == [
        ["四风"],
        ["四风"],
        ["四风"],
        ["形式主义、官僚主义、享乐主义和奢靡之风"],
    ]
    assert "其中小标题中 1 次" in text


def test_term_without_occurrences_says_so(small_pages, to_html):
    text = html_text(to_html(body(small_pages["glossary/wei-yong.md"])))
    assert "出现 未出现" in text
    assert "还没有出现这个概念" in text
    assert "pz-occurrences" not in small_pages["glossary/wei-yong.md"]


def test_speech_page_links_paragraphs_not_headings(small_pages, to_html):
    out = to_html(body(small_pages["speeches/a.md"]))
    links = re.findall(r'<a class="pz-term"[^>]*href="([^"]+)"[^>]*>(.*?)</a>', out)
    assert links == [
        ("../glossary/si-feng.md", "四风"),
        ("../glossary/liang-ge-weihu.md", "两个维护"),
        ("../glossary/si-feng.md", "四风"),
        ("../glossary/si-feng.md", "形式主义、官僚主义、享乐主义和奢靡之风"),
    ]
    heading = re.search(r"<h2[^>]*>(.*?)</h2>", out).group(1)
    assert "pz-term" not in heading
    concepts = re.search(r'<div class="pz-concepts[^>]*>(.*?)</div>', out, re.S).group(1)
    assert [html_text(li).split(" ")[:2] for li in re.findall(r"<li>(.*?)</li>", concepts)] == [
        ["四风", "4"],  # the heading counts
        ["两个维护", "1"],
    ]
    related = re.search(r'<div class="pz-related[^>]*>(.*?)</div>', out, re.S).group(1)
    assert html_text(related).endswith("另一篇 共同概念 1 个")


def test_without_glossary_no_links_and_an_explaining_index(to_html):
    pages = render_pages(small_speeches(), None)
    assert "pz-term" not in pages["speeches/a.md"]
    assert "本文涉及概念" not in pages["speeches/a.md"]
    assert set(p for p in pages if p.startswith("glossary/")) == {"glossary/index.md"}
    assert "glossary.yml" in html_text(to_html(body(pages["glossary/index.md"])))
    assert render_glossary_index(None) == render_pages([], Glossary(()))["glossary/index.md"]


# --- a new raw speech is linked with no change to code or glossary -------------------------

NEW_SPEECH = """\
在全市派出所工作会议上的讲话
（2024年3月1日）
本文档编辑密码：abc123
同志们：
今天我们讨论如何坚持和发展新时代“枫桥经验”，做到两个维护。
一、坚持枫桥经验
要把枫桥经验落到实处。更多资料请访问 http://www.example-wenku.com/x.html
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "sources", tmp_path / "sources")
    shutil.copy2(ROOT / "glossary.yml", tmp_path / "glossary.yml")
    return tmp_path


def test_a_new_raw_speech_is_linked_and_listed(project, to_html):
    before = generate_pages(project)
    (project / "sources" / "2024-new-speech.txt").write_text(NEW_SPEECH, encoding="gb18030")
    after = generate_pages(project)
    page = to_html(body(after["speeches/2024-new-speech.md"]))
    assert re.findall(r'<a class="pz-term"[^>]*href="([^"]+)"', page) == [
        "../glossary/fengqiao-jingyan.md",
        "../glossary/liang-ge-weihu.md",
        "../glossary/fengqiao-jingyan.md",
    ]
    term_page = to_html(body(after["glossary/fengqiao-jingyan.md"]))
    group = re.search(
        r'<p class="pz-occurrence-speech" id="s-2024-new-speech">'
        r'<a href="../speeches/2024-new-speech.md">(.*?)</p>\s*'
        r"<ul>(.*?)</ul>",
        term_page,
        re.S,
    )
    assert group, "the new speech is on the term page"
    assert "3 处" in html_text(group.group(1))  # 2 paragraphs + 1 heading
    assert re.findall(r'href="([^"]+)"', group.group(2)) == [
        "../speeches/2024-new-speech.md#p-2",
        "../speeches/2024-new-speech.md#p-3",
        "../speeches/2024-new-speech.md#p-3",
    ]
    usage = r"出现 (\d+) 篇讲话 · (\d+) 次"
    old_total = re.search(usage, html_text(to_html(body(before["glossary/fengqiao-jingyan.md"]))))
    new_total = re.search(usage, html_text(term_page))
    assert int(new_total.group(1)) == int(old_total.group(1)) + 1
    assert int(new_total.group(2)) == int(old_total.group(2)) + 3
    # the noise of the new source is gone, as for any speech
    for noise in ("abc123", "example-wenku", "http"):
        assert noise not in "".join(after.values())


def test_generation_with_glossary_is_byte_identical(project, tmp_path):
    build_docs(project)
    first = {p: p.read_bytes() for p in sorted((project / "docs").rglob("*.md"))}
    result = build_docs(project)
    assert result.written == ()
    assert {p: p.read_bytes() for p in sorted((project / "docs").rglob("*.md"))} == first
    assert generate_pages(project) == generate_pages(project)


# --- the real build ------------------------------------------------------------------------


class Page(HTMLParser):
    """The parts of a built page these tests read: paragraphs by id with their text, and
    every link with its class, href, text and the paragraph it is in."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: dict[str, str] = {}
        self.ids: set[str] = set()
        self.links: list[dict[str, str]] = []
        self._paragraph: str | None = None
        self._link: dict[str, str] | None = None
        self._in_article = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "article":
            self._in_article = True
        if tag == "p" and re.fullmatch(r"p-\d+", attributes.get("id", "")):
            self._paragraph = attributes["id"]
            self.paragraphs[self._paragraph] = ""
        if tag == "a" and self._in_article:
            self._link = {
                "class": attributes.get("class", ""),
                "href": attributes.get("href", ""),
                "tip": attributes.get("data-pz-tip", ""),
                "text": "",
                "paragraph": self._paragraph or "",
            }
            self.links.append(self._link)

    def handle_endtag(self, tag):
        if tag == "p":
            self._paragraph = None
        if tag == "a":
            self._link = None
        if tag == "article":
            self._in_article = False

    def handle_data(self, data):
        if self._paragraph is not None:
            self.paragraphs[self._paragraph] += data
        if self._link is not None:
            self._link["text"] += data


def built_page(built: Built, relative: str) -> str:
    return (built.site / relative).read_text(encoding="utf-8")


@pytest.fixture(params=["bundled", "hostile"])
def built(request) -> Built:
    return request.getfixturevalue(request.param)


@pytest.fixture
def glossary(built) -> Glossary:
    return load_glossary(built.project / "glossary.yml")


def expected_occurrences(speech: Speech, linker: Linker) -> tuple[Counter, Counter]:
    """(term id -> hits in paragraphs, term id -> hits in all blocks), by the Linker alone."""
    paragraphs: Counter = Counter()
    everywhere: Counter = Counter()
    for block in speech.blocks:
        for hit in linker.find(block.text):
            everywhere[hit.term_id] += 1
            if block.kind == "paragraph":
                paragraphs[hit.term_id] += 1
    return paragraphs, everywhere


@pytest.mark.build
def test_links_per_speech_and_term_equal_the_linker(built, glossary):
    linker = Linker(glossary)
    summaries = {term.id: term.summary for term in glossary}
    linked_somewhere = 0
    for speech in built.speeches:
        # The speech's own links: not those in the editor's notes (data-pz-skip).
        page = Page(speech_words(built_page(built, f"speeches/{speech.slug}.html")))
        links = [link for link in page.links if link["class"] == "pz-term"]
        found = Counter(
            re.fullmatch(r"\.\./glossary/(.+)\.html", a["href"]).group(1) for a in links
        )
        expected, _ = expected_occurrences(speech, linker)
        assert found == expected, speech.slug
        # per paragraph too: each link is inside the paragraph whose text has the hit
        paragraphs = [b for b in speech.blocks if b.kind == "paragraph"]
        for number, block in enumerate(paragraphs, 1):
            in_page = [(a["href"], a["text"]) for a in links if a["paragraph"] == f"p-{number}"]
            assert in_page == [
                (f"../glossary/{h.term_id}.html", h.surface) for h in linker.find(block.text)
            ], (speech.slug, number)
        # The first link of a concept carries its summary; the others get it from there
        # (pizhu-terms.js), so a page does not repeat it with every occurrence.
        seen: set[str] = set()
        for link in links:
            term_id = link["href"][len("../glossary/") : -len(".html")]
            assert link["tip"] == ("" if term_id in seen else summaries[term_id]), link
            seen.add(term_id)
        linked_somewhere += len(links)
    assert linked_somewhere, "the corpus links some concepts"


@pytest.mark.build
def test_concept_list_on_each_speech_page(built, glossary):
    linker = Linker(glossary)
    order = {term.id: i for i, term in enumerate(glossary)}
    for speech in built.speeches:
        html = built_page(built, f"speeches/{speech.slug}.html")
        _, everywhere = expected_occurrences(speech, linker)
        block = re.search(r'<div class="pz-concepts[^>]*>(.*?)</div>', html, re.S)
        if not everywhere:
            assert block is None, speech.slug
            continue
        items = re.findall(r"<li>(.*?)</li>", block.group(1), re.S)
        listed = [
            (
                re.search(r'href="\.\./glossary/([^"]+)\.html"', item).group(1),
                int(re.search(r'<span class="pz-count">(\d+) 次</span>', item).group(1)),
            )
            for item in items
        ]
        assert listed == sorted(everywhere.items(), key=lambda kv: (-kv[1], order[kv[0]]))


def occurrences_listed(items: str) -> int:
    """Occurrences in one speech's list on a term page: an item with its context each, and
    the paragraphs of a 另有 … item (with （N 处） when a paragraph has several)."""
    count = len(re.findall(r"<li>", items))
    for more in re.findall(r'<li class="pz-occurrence-more">(.*?)</li>', items, re.S):
        for _, times in re.findall(r"(</a>)(?:（(\d+) 处）)?", more):
            count += int(times or 1)
    return count


def test_term_page_lists_many_occurrences_compactly(to_html):
    """A concept said many times in many speeches: contexts for the first few occurrences
    of the newest speeches, every other paragraph still one link away."""
    paragraphs = [f"第{i}次讲到四风，还有四风。" for i in range(1, 9)]
    speeches = [
        Speech(
            slug=f"s{n:02d}",
            title=f"讲话{n}",
            date=f"2020-01-{n + 1:02d}",
            blocks=tuple(Block("paragraph", text, None, i) for i, text in enumerate(paragraphs)),
        )
        for n in range(SPEECHES_WITH_CONTEXTS + 2)
    ]
    page = render_pages(speeches, parse_glossary(SMALL_GLOSSARY))["glossary/si-feng.md"]
    out = to_html(body(page))
    groups = re.findall(r'class="pz-occurrence-speech".*?</p>\s*<ul>(.*?)</ul>', out, re.S)
    assert len(groups) == len(speeches)
    assert all(occurrences_listed(items) == 16 for items in groups)
    newest, oldest = groups[0], groups[-1]
    assert len(re.findall(r"<mark>", newest)) == CONTEXTS_PER_SPEECH
    assert "另有 13 处：" in html_text(newest) and "（2 处）" in html_text(newest)
    assert "<mark>" not in oldest and "第 8 段（2 处）" in html_text(oldest)


@pytest.mark.build
def test_term_pages_count_what_the_linker_finds(built, glossary):
    linker = Linker(glossary)
    per_speech = {s.slug: expected_occurrences(s, linker)[1] for s in built.speeches}
    for term in glossary:
        html = built_page(built, f"glossary/{term.id}.html")
        expected = {slug: c[term.id] for slug, c in per_speech.items() if c[term.id]}
        groups = re.findall(
            r'<p class="pz-occurrence-speech" id="s-[^"]+"><a href="\.\./speeches/([^"]+)\.html">.*?'
            r'<span class="pz-count">(\d+) 处</span></p>\s*<ul>(.*?)</ul>',
            html,
            re.S,
        )
        assert {slug: int(n) for slug, n, _ in groups} == expected, term.id
        for slug, n, items in groups:
            assert occurrences_listed(items) == int(n), (term.id, slug)
        total = sum(expected.values())
        meta = html_text(re.search(r'<p class="pz-meta">(.*?)</p>', html, re.S).group(1))
        if total:
            assert f"出现 {len(expected)} 篇讲话 · {total} 次" in meta, term.id
        else:
            assert "出现 未出现" in meta
            assert "还没有出现这个概念" in html_text(html)


@pytest.mark.build
def test_glossary_index_lists_every_term_with_its_numbers(built, glossary):
    linker = Linker(glossary)
    per_speech = [expected_occurrences(s, linker)[1] for s in built.speeches]
    html = built_page(built, "glossary/index.html")
    rows = {
        href: html_text(row)
        for row in re.findall(r"<tr>(.*?)</tr>", html, re.S)
        for href in re.findall(r'<a href="([^"]+)\.html"', row)
    }
    assert set(rows) == {term.id for term in glossary}
    for term in glossary:
        speeches = sum(1 for c in per_speech if c[term.id])
        total = sum(c[term.id] for c in per_speech)
        usage = f"{speeches} 篇 · {total} 次" if total else "未出现"
        assert rows[term.id] == f"{term.term} {term.summary} {usage}", term.id
    # in category order
    positions = [html.index(f'href="{term.id}.html"') for term in glossary]
    by_category = sorted(glossary, key=lambda t: CATEGORIES.index(t.category))
    assert [html.index(f'href="{t.id}.html"') for t in by_category] == sorted(positions)
    # and reachable from every page's navigation
    home = built_page(built, "index.html")
    assert re.search(r'href="glossary/index.html" class="md-nav__link">\s*<span[^>]*>\s*概念', home)


@pytest.mark.build
def test_every_occurrence_link_lands_on_a_paragraph_with_the_term(built, glossary):
    linker = Linker(glossary)
    speeches = {s.slug: s for s in built.speeches}
    pages: dict[str, Page] = {}
    checked = 0
    for term in glossary:
        html = built_page(built, f"glossary/{term.id}.html")
        block = re.search(r'<div class="pz-occurrences[^>]*>(.*)</div>', html, re.S)
        if block is None:
            continue
        for href, label in re.findall(
            r'<a class="pz-occurrence-link" href="([^"]+)">(.*?)</a>', block.group(1)
        ):
            match = re.fullmatch(r"\.\./speeches/([^#]+)\.html#(p-(\d+))", href)
            assert match, href
            slug, anchor, number = match.group(1), match.group(2), int(match.group(3))
            page = pages.setdefault(slug, Page(built_page(built, f"speeches/{slug}.html")))
            assert anchor in page.ids, href
            if label.startswith("第"):
                assert label == f"第 {number} 段"
                # the paragraph shows the words the linker found for the term there
                # (a form of the term, or a variant of one: 两个“维护”, ××姓党)
                block = speeches[slug].paragraphs[number - 1].text
                surfaces = {h.surface for h in linker.find(block) if h.term_id == term.id}
                assert any(s in page.paragraphs[anchor] for s in surfaces), href
            else:
                # a heading's occurrence leads to the paragraph after it (or before it
                # at the very end of a truncated text)
                assert label == "小标题"
                assert number <= len(speeches[slug].paragraphs)
            checked += 1
    assert checked


@pytest.mark.build
def test_terms_script_is_local_and_on_every_speech_page(built):
    script = built.site / "assets" / "javascripts" / "pizhu-terms.js"
    assert script.is_file()
    for speech in built.speeches:
        html = built_page(built, f"speeches/{speech.slug}.html")
        assert '<script src="../assets/javascripts/pizhu-terms.js"></script>' in html


@pytest.mark.build
def test_concept_sections_stay_out_of_the_search_index(bundled):
    from pizhu.search_files import read_index

    for doc in read_index(bundled.site):
        assert "本文涉及概念" not in doc.get("title", "").replace("\u200b", "")
        assert "相关讲话" not in doc.get("title", "").replace("\u200b", "")
        assert "共同概念" not in doc["text"].replace("\u200b", "")


@pytest.mark.build
def test_glossary_error_fails_mkdocs_build_before_writing(tmp_path):
    project = tmp_path / "project"
    copy_project(project, ROOT / "sources")
    glossary = (project / "glossary.yml").read_text(encoding="utf-8")
    # the same alias for a second entry: a user's mistake with a file:line message
    (project / "glossary.yml").write_text(
        glossary + "\nzai-ci:\n  term: 再次\n  aliases: [四风]\n  category: 纪律作风\n"
        "  summary: x\n  definition: y\n",
        encoding="utf-8",
    )
    result = run_mkdocs(project)
    log = result.stdout + result.stderr
    assert result.returncode == 1
    assert "Traceback" not in log
    line = len(glossary.splitlines()) + 4
    assert re.search(
        rf"ERROR\s+-\s+glossary\.yml:{line}: alias '四风' is already used by entry 'si-feng' "
        r"\(line \d+\); remove one of them",
        log,
    ), log
    assert not (project / "docs" / "speeches").exists()
    assert not (project / "docs" / "glossary").exists()
