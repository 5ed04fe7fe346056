"""Whole-corpus pages (Markdown, in memory): the speeches index, the home page, each
speech page with its concepts linked, the glossary index and one page per concept.

All source text goes through render.py (the only escaping); the rest of the text on these
pages is ours, except a glossary entry's ``definition``, which an editor writes in Markdown
and is trusted as such. Every number about concepts comes from one
:class:`~pizhu.occurrences.ConceptIndex`, so links, counts and lists always agree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .glossary import Glossary, Term
from .model import Block, Speech
from .occurrences import ConceptIndex, Occurrence
from .render import (
    ConceptLine,
    Mark,
    RelatedLine,
    display_title,
    format_date,
    paragraph_anchor,
    render_context,
    render_inline,
    render_speech,
    title_front_matter,
)

SITE_NAME = "讲话学习"
SPEECHES_INDEX = "speeches/index.md"
HOME = "index.md"
EMPTY_CELL = "—"
HOME_LIST_LENGTH = 10  # speeches listed on the home page, newest first

GLOSSARY_DIR = "glossary"
GLOSSARY_INDEX = f"{GLOSSARY_DIR}/index.md"
GLOSSARY_TITLE = "概念"
TERM_CLASS = "pz-term"  # a concept linked in a speech paragraph (pizhu-terms.js, pizhu.css)
CONTEXT_WIDTH = 20  # characters of context either side of an occurrence on a term page
NEVER_USED = "未出现"


def speech_page(speech: Speech) -> str:
    """Docs-relative path of a speech page."""
    return f"speeches/{speech.slug}.md"


def term_page(term_id: str) -> str:
    """Docs-relative path of a concept's page."""
    return f"{GLOSSARY_DIR}/{term_id}.md"


def sort_speeches(speeches: Sequence[Speech]) -> list[Speech]:
    """Newest first; undated speeches last; ties by title, then slug (deterministic).

    Dates are ISO prefixes (YYYY, YYYY-MM, YYYY-MM-DD), so string order is date order
    within a precision; a full date sorts before the bare year it belongs to.
    """
    dated = sorted(
        (s for s in speeches if s.date),
        key=lambda s: (_negate(s.date or ""), display_title(s), s.slug),
    )
    undated = sorted((s for s in speeches if not s.date), key=lambda s: (display_title(s), s.slug))
    return dated + undated


def _negate(date: str) -> tuple[int, ...]:
    """A sort key that orders ISO date prefixes newest first."""
    # The trailing 0 puts "2021" after every "2021-MM…" (all negative).
    return (*(-int(part) for part in date.split("-") if part.isdigit()), 0)


def _cell(text: str | None) -> str:
    return render_inline(text) if text else EMPTY_CELL


def render_speeches_index(speeches: Sequence[Speech]) -> str:
    """docs/speeches/index.md: one table row per speech."""
    ordered = sort_speeches(speeches)
    lines = [
        "---",
        "title: 讲话目录",
        "---",
        "# 讲话目录",
        "",
        f"共 {len(ordered)} 篇，按日期从新到旧排列。点击标题阅读全文。",
        "{: .pz-lead }",
        "",
    ]
    if not ordered:
        lines += ["还没有收录讲话。把讲话的 .txt 文件放进 `sources/` 目录后重新生成即可。", ""]
        return "\n".join(lines)
    # md_in_html: attr_list cannot put a class on a table.
    lines += ['<div class="pz-index" markdown>', ""]
    lines += ["| 标题 | 讲话人 | 场合 | 日期 | 字数 |", "| --- | --- | --- | --- | ---: |"]
    for speech in ordered:
        title = f"[{render_inline(display_title(speech))}]({speech.slug}.md)"
        row = [
            title,
            _cell(speech.speaker),
            _cell(speech.occasion),
            format_date(speech.date) or EMPTY_CELL,
            f"{speech.char_count:,}",
        ]
        lines.append("| " + " | ".join(row) + " |")
    lines += ["", "</div>", ""]
    return "\n".join(lines)


def render_home(speeches: Sequence[Speech]) -> str:
    """docs/index.md: what the site is, how to use it, and what it holds."""
    total_chars = sum(s.char_count for s in speeches)
    truncated = sum(1 for s in speeches if s.truncated)
    shown = sort_speeches(speeches)[:HOME_LIST_LENGTH]
    lines = [
        "---",
        f"title: {SITE_NAME}",
        "---",
        f"# {SITE_NAME}",
        "",
        "本站收录从网上文档整理的讲话稿（党课、工作会议讲话等），供学习、研讨和引用。"
        "原始文本中的广告、网址、付费提示、水印等非讲话内容已自动去除，"
        "每篇文末的「整理说明」列出了删除的位置和原因。",
        "{: .pz-lead }",
        "",
        "## 收录情况",
        "",
        f"- 讲话 **{len(speeches)}** 篇，正文共 **{total_chars:,}** 字",
    ]
    if truncated:
        lines.append(f"- 其中 {truncated} 篇原文不完整，页面顶部有提示")
    lines += ["- [查看全部讲话 →](speeches/index.md)", ""]
    if shown:
        lines += ["## 讲话", ""]
        for speech in shown:
            date = format_date(speech.date)
            suffix = f"（{date}）" if date else ""
            lines.append(
                f"- [{render_inline(display_title(speech))}]({speech_page(speech)}){suffix}"
            )
        if len(speeches) > len(shown):
            lines.append(f"- [全部 {len(speeches)} 篇 →]({SPEECHES_INDEX})")
        lines.append("")
    lines += [
        "## 使用方法",
        "",
        "**阅读**：每篇讲话标题下有讲话人、场合、日期、字数和阅读时间。"
        "右侧（手机上在左上角菜单里）是小标题目录。",
        "",
        "**引用**：正文每段左侧有灰色段落编号。开会讨论时可以说“第 12 段”；"
        "点击编号，地址栏里的链接就直接指向这一段，可以复制发给别人。",
        "",
        "**检索**：用页面顶部的搜索框查找词语，例如“枫桥经验”“从严治警”。"
        "搜索结果会高亮显示匹配的词。",
        "",
        "**概念**：正文中带虚线下划线的词语（如“两个维护”“三会一课”）是常见概念。"
        "鼠标指向、用键盘选中或在手机上点一下，会显示一句话简介；再点一次打开解释页，"
        "页中列出它在每篇讲话中出现的位置。全部概念见[概念](glossary/index.md)页。",
        "",
        "**离线**：整个网站文件夹可以拷贝到电脑或U盘上，双击其中的 index.html 即可阅读，"
        "不需要联网；网站也不会从外部网站加载任何内容。",
        "",
        "**打印**：直接用浏览器打印即可，导航栏和搜索框不会打印出来，段落编号会保留，便于对照。",
        "",
        "原文中被隐去的人名、地名（如 XX、××）以浅色底纹标出。",
        "",
    ]
    return "\n".join(lines)


# --- speech pages with their concepts ----------------------------------------------------


def term_mark(occurrence: Occurrence, term: Term) -> Mark:
    """The link of one concept occurrence in a speech paragraph (see pizhu-terms.js)."""
    return Mark(
        occurrence.start,
        occurrence.end,
        f"../{term_page(term.id)}",
        css_class=TERM_CLASS,
        data=(("data-pz-tip", term.summary), ("data-pz-term", term.term)),
    )


def render_speech_page(speech: Speech, index: ConceptIndex | None) -> str:
    """A speech page: every concept in a paragraph linked, its concepts and related speeches
    at the end. Headings are never linked (their occurrences still count)."""
    if index is None:
        return render_speech(speech)
    by_block: dict[int, list[Occurrence]] = {}
    for occurrence in index.in_speech(speech.slug):
        by_block.setdefault(occurrence.block, []).append(occurrence)

    def marks(block_index: int, block: Block) -> list[Mark]:
        if block.kind != "paragraph":
            return []
        return [term_mark(o, index.terms[o.term_id]) for o in by_block.get(block_index, ())]

    concepts = [
        ConceptLine(tc.term.term, f"../{term_page(tc.term.id)}", tc.count, tc.term.summary)
        for tc in index.term_counts(speech.slug)
    ]
    related = [
        RelatedLine(display_title(r.speech), f"{r.speech.slug}.md", r.shared)
        for r in index.related(speech.slug)
    ]
    return render_speech(speech, marks, concepts=concepts, related=related)


# --- glossary pages ----------------------------------------------------------------------


def _usage(speeches: int, occurrences: int) -> str:
    return f"{speeches} 篇 · {occurrences} 次" if occurrences else NEVER_USED


def render_glossary_index(index: ConceptIndex | None) -> str:
    """docs/glossary/index.md: every concept by category, with its summary and usage."""
    lines = [title_front_matter(GLOSSARY_TITLE) + f"# {GLOSSARY_TITLE}", ""]
    glossary = index.glossary if index is not None else Glossary(())
    if not len(glossary):
        lines += [
            "还没有概念表。在项目根目录的 `glossary.yml` 中添加概念后重新生成，"
            "讲话中出现的概念就会自动链接到这里。",
            "",
        ]
        return "\n".join(lines)
    assert index is not None
    used = sum(1 for term in glossary if index.totals(term.id)[1])
    lines += [
        f"讲话中常见的 {len(glossary)} 个概念（{used} 个在本站讲话中出现），按类别排列。"
        "讲话正文中带虚线下划线的词语就是这些概念：鼠标指向、用键盘选中或在手机上点一下，"
        "会显示简介；再点一次打开它的解释页，页中列出它在每篇讲话中出现的位置。",
        "{: .pz-lead }",
        "",
    ]
    for category, terms in glossary.categories().items():
        lines += [f"## {category}", "", '<div class="pz-glossary" markdown>', ""]
        lines += ["| 概念 | 简介 | 出现 |", "| --- | --- | --- |"]
        for term in terms:
            link = f"[{render_inline(term.term)}]({term.id}.md)"
            usage = _usage(*index.totals(term.id))
            lines.append(f"| {link} | {render_inline(term.summary)} | {usage} |")
        lines += ["", "</div>", ""]
    return "\n".join(lines)


def _occurrence_label(occurrence: Occurrence) -> str:
    """ "第 12 段", or "小标题" for a heading (its link leads to the paragraph after it)."""
    return "小标题" if occurrence.in_heading else f"第 {occurrence.paragraph} 段"


def _in_headings(groups: Mapping[str, tuple[Occurrence, ...]]) -> str:
    """ "（其中小标题中 2 次）" when some occurrences are in headings, else ""."""
    count = sum(1 for hits in groups.values() for o in hits if o.in_heading)
    return f"（其中小标题中 {count} 次）" if count else ""


def _occurrence_href(speech: Speech, occurrence: Occurrence) -> str:
    page = f"../{speech_page(speech)}"
    if occurrence.target is None:
        return page
    return f"{page}#{paragraph_anchor(occurrence.target)}"


def render_term_page(term: Term, index: ConceptIndex) -> str:
    """docs/glossary/<id>.md: definition, aliases, related concepts, source, and every
    occurrence in every speech with its context, linked to the paragraph."""
    groups = index.of_term(term.id)
    total = sum(len(hits) for hits in groups.values())
    lines = [title_front_matter(term.term) + f"# {render_inline(term.term)}", ""]
    facts = [
        '<span class="pz-meta-item"><span class="pz-meta-label">类别</span> '
        f"{render_inline(term.category)}</span>"
    ]
    if term.aliases:
        aliases = "、".join(render_inline(alias) for alias in term.aliases)
        facts.append(
            f'<span class="pz-meta-item"><span class="pz-meta-label">又称</span> {aliases}</span>'
        )
    facts.append(
        '<span class="pz-meta-item"><span class="pz-meta-label">出现</span> '
        + (f"{len(groups)} 篇讲话 · {total} 次" if total else NEVER_USED)
        + "</span>"
    )
    lines += [" ".join(facts), "{: .pz-meta }", ""]
    lines += [render_inline(term.summary), "{: .pz-summary-lead }", ""]
    lines += [term.definition.strip(), ""]
    if term.related:
        related = "、".join(f"[{render_inline(index.terms[r].term)}]({r}.md)" for r in term.related)
        lines += [f"**相关概念**：{related}", "{: .pz-term-facts }", ""]
    if term.source:
        lines += [f"**出处**：{render_inline(term.source)}", "{: .pz-term-facts }", ""]
    lines += ["## 出现于", ""]
    if not groups:
        lines += [
            "本站收录的讲话中还没有出现这个概念（包括它的其他说法）。",
            "{: .pz-lead }",
            "",
        ]
    else:
        lines += [
            f"在 {len(groups)} 篇讲话中出现 {total} 次{_in_headings(groups)}，"
            "按讲话日期从新到旧排列。点击段落编号可跳到原文中的那一段。",
            "{: .pz-lead }",
            "",
            '<div class="pz-occurrences pz-search-exclude" markdown data-search-exclude>',
            "",
        ]
        speeches = {speech.slug: speech for speech in index.speeches}
        for slug in [s.slug for s in sort_speeches(index.speeches) if s.slug in groups]:
            speech = speeches[slug]
            hits = groups[slug]
            title = render_inline(display_title(speech))
            date = format_date(speech.date)
            suffix = f"（{date}）" if date else ""
            lines += [
                f"[{title}](../{speech_page(speech)}){suffix} "
                f'<span class="pz-count">{len(hits)} 处</span>',
                "{: .pz-occurrence-speech }",
                "",
            ]
            for occurrence in hits:
                text = speech.blocks[occurrence.block].text
                context = render_context(text, occurrence.start, occurrence.end, CONTEXT_WIDTH)
                lines.append(
                    f"- [{_occurrence_label(occurrence)}]({_occurrence_href(speech, occurrence)})"
                    f"{{ .pz-occurrence-link }} {context}"
                )
            lines.append("")
        lines += ["</div>", ""]
    return "\n".join(lines)


def render_glossary_pages(index: ConceptIndex | None) -> dict[str, str]:
    """The glossary index and one page per concept (docs-relative path -> Markdown)."""
    pages = {GLOSSARY_INDEX: render_glossary_index(index)}
    if index is not None:
        for term in index.glossary:
            pages[term_page(term.id)] = render_term_page(term, index)
    return pages
