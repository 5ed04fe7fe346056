"""The glossary index and one page per concept: definition, aliases, related concepts,
source, and where it occurs in the speeches."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from .glossary import Glossary, Term
from .model import Speech
from .occurrences import ConceptIndex, Occurrence
from .render import (
    display_title_of,
    format_date,
    html_href,
    paragraph_anchor,
    render_context,
    render_inline,
    render_inline_html,
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
    speech_page_of,
    term_page,
)
from .speech_layout import Fragment, LateFragment, late_fragment

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
    return _paragraph_label(occurrence.paragraph)


def _paragraph_label(paragraph: int | None) -> str:
    return "小标题" if paragraph is None else f"第 {paragraph} 段"


def _in_headings(groups: Mapping[str, tuple[Occurrence, ...]]) -> str:
    """ "（其中小标题中 2 次）" when some occurrences are in headings, else ""."""
    count = sum(1 for hits in groups.values() for o in hits if o.in_heading)
    return f"（其中小标题中 {count} 次）" if count else ""


def _occurrence_href(speech: Speech, occurrence: Occurrence) -> str:
    return _target_href(speech.slug, occurrence.target)


def _target_href(slug: str, target: int | None) -> str:
    """The link to a paragraph of the speech ``slug`` (to the page when there is none)."""
    page = f"../{speech_page_of(slug)}"
    if target is None:
        return page
    return f"{page}#{paragraph_anchor(target)}"


class _SpeechOccurrences(NamedTuple):  # (a tuple: 378,000 a build at 2,000 terms)
    """What a term page lists for one speech: its line, the occurrences shown with the
    words around them, and the paragraphs of the others (paragraph, link target, how
    many)."""

    speech: Speech
    count: int
    shown: tuple[Occurrence, ...]
    more: tuple[tuple[int | None, int | None, int], ...]
    more_total: int


def _speech_occurrences(index: ConceptIndex, term_id: str) -> list[_SpeechOccurrences]:
    """Every speech with the term, newest first; contexts for the first
    CONTEXTS_PER_SPEECH occurrences of the first SPEECHES_WITH_CONTEXTS speeches."""
    found = []
    for position, (slug, hits) in enumerate(index.of_term(term_id).items()):
        speech = index.speech(slug)
        # Two more are cheaper shown than listed ("另有 1 处" would only hide one).
        shown = len(hits) if len(hits) <= CONTEXTS_PER_SPEECH + 2 else CONTEXTS_PER_SPEECH
        shown = shown if position < SPEECHES_WITH_CONTEXTS else 0
        # (label and link once per paragraph: the label is the paragraph's, the link its
        # target's; a concept said in every paragraph of 1,000 speeches is 30,000 of them)
        per_target: dict[tuple[int | None, int | None], int] = {}
        for o in hits[shown:]:  # (a loop: a Counter per speech and concept costs more)
            key = (o.paragraph, o.target)
            per_target[key] = per_target.get(key, 0) + 1
        more = tuple((paragraph, target, n) for (paragraph, target), n in per_target.items())
        found.append(_SpeechOccurrences(speech, len(hits), hits[:shown], more, len(hits) - shown))
    return found


def _context(speech: Speech, occurrence: Occurrence, *, as_html: bool) -> str:
    text = speech.blocks[occurrence.block].text
    return render_context(text, occurrence.start, occurrence.end, CONTEXT_WIDTH, as_html=as_html)


def _more_lead(item: _SpeechOccurrences) -> str:
    return "" if not item.shown else f"另有 {item.more_total} 处："


def _occurrences_markdown(found: Sequence[_SpeechOccurrences]) -> list[str]:
    lines = ['<div class="pz-occurrences pz-search-exclude" markdown data-search-exclude>', ""]
    for item in found:
        speech = item.speech
        lines += [
            f'{_speech_lead(speech, as_html=False)}<span class="pz-count">{item.count} 处</span>',
            f"{{: #{speech_anchor(speech.slug)} .pz-occurrence-speech }}",
            "",
        ]
        for occurrence in item.shown:
            lines.append(
                f"- [{_occurrence_label(occurrence)}]({_occurrence_href(speech, occurrence)})"
                f"{{ .pz-occurrence-link }} {_context(speech, occurrence, as_html=False)}"
            )
        if item.more:
            links = _more_links(speech, item.more, as_html=False)
            lines.append(f"- {_more_lead(item)}{links}\n{{: .pz-occurrence-more }}")
        lines.append("")
    return [*lines, "</div>", ""]


def _speech_lead(speech: Speech, *, as_html: bool) -> str:
    """A speech's line on a term page up to its count: linked title and date."""
    return _speech_lead_of(speech.slug, speech.title, speech.date, as_html)


@functools.lru_cache(maxsize=1 << 14)  # each speech's line, on every one of its concepts' pages
def _speech_lead_of(slug: str, raw_title: str | None, date: str | None, as_html: bool) -> str:
    title = display_title_of(raw_title)
    shown = format_date(date)
    suffix = f"（{shown}）" if shown else ""
    page = _target_href(slug, None)
    if not as_html:
        return f"[{render_inline(title)}]({page}){suffix} "
    return (
        f'<p class="pz-occurrence-speech" id="{speech_anchor(slug)}">'
        f'<a href="{html_href(page)}">{render_inline_html(title)}</a>{suffix} '
    )


def _more_links(
    speech: Speech, more: Sequence[tuple[int | None, int | None, int]], *, as_html: bool
) -> str:
    """The paragraphs of a speech's other occurrences, each linked, with how many."""
    slug = speech.slug
    return "、".join(
        _paragraph_link(slug, paragraph, target, as_html) + (f"（{n} 处）" if n > 1 else "")
        for paragraph, target, n in more
    )


@functools.lru_cache(maxsize=1 << 17)  # a paragraph's link, on the page of each of its concepts
def _paragraph_link(slug: str, paragraph: int | None, target: int | None, as_html: bool) -> str:
    label = _paragraph_label(paragraph)
    href = _target_href(slug, target)
    if as_html:
        return f'<a class="pz-occurrence-link" href="{html_href(href)}">{label}</a>'
    return f"[{label}]({href}){{ .pz-occurrence-link }}"


def _occurrences_html(found: Sequence[_SpeechOccurrences]) -> str:
    """:func:`_occurrences_markdown` as the HTML Python-Markdown makes of it (a term page
    of a concept used in hundreds of speeches is mostly this list)."""
    lines = [
        '<div class="pz-occurrences pz-search-exclude" data-search-exclude="data-search-exclude">'
    ]
    for item in found:
        speech = item.speech
        lines.append(
            f'{_speech_lead(speech, as_html=True)}<span class="pz-count">{item.count} 处</span></p>'
        )
        items = [
            f'<li><a class="pz-occurrence-link" '
            f'href="{html_href(_occurrence_href(speech, occurrence))}">'
            f"{_occurrence_label(occurrence)}</a> {_context(speech, occurrence, as_html=True)}</li>"
            for occurrence in item.shown
        ]
        if item.more:
            links = _more_links(speech, item.more, as_html=True)
            items.append(f'<li class="pz-occurrence-more">{_more_lead(item)}{links}</li>')
        if items:
            lines += ["<ul>", *items, "</ul>"]
    lines.append("</div>")
    return "\n".join(lines)


def render_term_page(
    term: Term, index: ConceptIndex, fragments: list[Fragment] | None = None
) -> str:
    """docs/glossary/<id>.md: definition, aliases, related concepts, source, and where
    it occurs: every speech, every paragraph linked; the words around it for the first
    CONTEXTS_PER_SPEECH occurrences of the first SPEECHES_WITH_CONTEXTS speeches (a
    concept said 5,000 times in 1,000 speeches gives a page that opens, not 1 MB).
    ``fragments``: the list of occurrences as finished HTML, a placeholder in its place
    (see speech_layout.render_speech)."""
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
        ]
        found = _speech_occurrences(index, term.id)
        if fragments is None:
            lines += _occurrences_markdown(found)
        else:
            ids = frozenset(speech_anchor(item.speech.slug) for item in found)
            make = functools.partial(_occurrences_html, found)
            lines += late_fragment(fragments, LateFragment(make, ids))
    return "\n".join(lines)


def render_glossary_pages(
    index: ConceptIndex | None, fragments: dict[str, list[Fragment]] | None = None
) -> dict[str, str]:
    """The glossary index and one page per concept (docs-relative path -> Markdown);
    ``fragments`` as in generate.render_pages."""
    pages = {GLOSSARY_INDEX: render_glossary_index(index)}
    if index is not None:
        for term in index.glossary:
            path = term_page(term.id)
            found = None if fragments is None else fragments.setdefault(path, [])
            pages[path] = render_term_page(term, index, found)
    return pages
