"""The glossary index and one page per concept: definition, aliases, related concepts,
source, and where it occurs in the speeches."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .glossary import Glossary, Term
from .model import Speech
from .occurrences import ConceptIndex, Occurrence
from .render import (
    display_title,
    format_date,
    paragraph_anchor,
    render_context,
    render_inline,
    title_front_matter,
)
from .site import (
    CONTEXT_WIDTH,
    CONTEXTS_PER_SPEECH,
    GLOSSARY_INDEX,
    GLOSSARY_TITLE,
    NEVER_USED,
    SPEECHES_WITH_CONTEXTS,
    speech_anchor,
    speech_page,
    term_page,
)

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


def _more_occurrences(speech: Speech, hits: Sequence[Occurrence], *, first: bool) -> str:
    """One list item linking the paragraphs of the occurrences not shown with a context,
    each paragraph once, with its number of occurrences when there are several."""
    per_target: dict[tuple[str, str], int] = {}
    for occurrence in hits:
        key = (_occurrence_label(occurrence), _occurrence_href(speech, occurrence))
        per_target[key] = per_target.get(key, 0) + 1
    links = "、".join(
        f"[{label}]({href}){{ .pz-occurrence-link }}" + (f"（{n} 处）" if n > 1 else "")
        for (label, href), n in per_target.items()
    )
    lead = "" if first else f"另有 {len(hits)} 处："
    return f"- {lead}{links}\n{{: .pz-occurrence-more }}"


def render_term_page(term: Term, index: ConceptIndex) -> str:
    """docs/glossary/<id>.md: definition, aliases, related concepts, source, and where
    it occurs: every speech, every paragraph linked; the words around it for the first
    CONTEXTS_PER_SPEECH occurrences of the first SPEECHES_WITH_CONTEXTS speeches (a
    concept said 5,000 times in 1,000 speeches gives a page that opens, not 1 MB)."""
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
        for position, (slug, hits) in enumerate(groups.items()):  # site order: newest first
            speech = index.speech(slug)
            title = render_inline(display_title(speech))
            date = format_date(speech.date)
            suffix = f"（{date}）" if date else ""
            lines += [
                f"[{title}](../{speech_page(speech)}){suffix} "
                f'<span class="pz-count">{len(hits)} 处</span>',
                f"{{: #{speech_anchor(slug)} .pz-occurrence-speech }}",
                "",
            ]
            # Two more are cheaper shown than listed ("另有 1 处" would only hide one).
            shown = len(hits) if len(hits) <= CONTEXTS_PER_SPEECH + 2 else CONTEXTS_PER_SPEECH
            shown = shown if position < SPEECHES_WITH_CONTEXTS else 0
            for occurrence in hits[:shown]:
                text = speech.blocks[occurrence.block].text
                context = render_context(text, occurrence.start, occurrence.end, CONTEXT_WIDTH)
                lines.append(
                    f"- [{_occurrence_label(occurrence)}]({_occurrence_href(speech, occurrence)})"
                    f"{{ .pz-occurrence-link }} {context}"
                )
            if hits[shown:]:
                lines.append(_more_occurrences(speech, hits[shown:], first=not shown))
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
