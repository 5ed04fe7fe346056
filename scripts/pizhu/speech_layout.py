"""The Markdown page of one speech: title block (front matter, title, subtitle, speaker,
occasion, date, size, source), notices (truncated, 编者按), numbered paragraphs and headings
with their links and wraps, the editor's layers (editorial.py), 整理说明, and at the end the
concepts it uses and related speeches.

Every piece of source text goes through render.py's escaping kernel; this module only
arranges what it returns.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Protocol

from .model import TITLE_BLOCK, Block, Removal, Speech
from .render import (
    PRINT_ONLY_CLASS,
    SAFE_HREF_RE,
    SCREEN_ONLY_CLASS,
    SEARCH_EXCLUDE_CLASS,
    UNTITLED,
    WHITESPACE_RE,
    Mark,
    Wrap,
    admonition,
    crossing,
    display_title,
    escape_html,
    escape_text,
    format_date,
    html_href,
    paragraph_anchor,
    render_inline,
    render_inline_html,
    title_front_matter,
)

TRUNCATED_TITLE = "原文不完整"
TRUNCATED_NOTICE = (
    "原文在结尾处中断，后面的内容缺失；本页只收录了现存部分，引用时请注意上下文可能不全。"
)
TRUNCATED_END = "（原文到此中断）"
GAP_NOTICE = (
    "原文中有一部分内容被来源网站隐藏（原文第 {lines} 行处），本页只收录了现存部分；"
    "引用时请注意上下文可能不全。"
)
NOTES_TITLE = "编者按"
REMOVALS_TITLE = "整理说明"
REMOVALS_INTRO = (
    "本页由原始文本自动整理：去掉了广告、网址、付费提示等非讲话内容，"
    "下表列出每一处删除的行号、原因和字数（不显示删除的内容）。"
)
REMOVALS_NONE = "本页由原始文本自动整理，没有删除任何内容。"
REMOVALS_EDITOR_HINT = (
    "编辑可运行 `python scripts/build.py clean sources/{source}` 查看删除内容的全文。"
)
CONCEPTS_TITLE = "本文涉及概念"
CONCEPTS_INTRO = "正文中带虚线下划线的词语是下列概念，指向或点按可看简介，再点一次打开解释页。"
RELATED_TITLE = "相关讲话"
RELATED_INTRO = "与本文涉及相同概念最多的讲话："
RELATED_NONE = "其他讲话都没有涉及本文的概念。"
READING_SPEED = 400  # Chinese characters per minute, a calm reading pace
META_SEPARATOR = " "
# On paper the page must say where its text comes from (the screen has the site around it).
SOURCE_LABEL = "来源"
SOURCE_TEMPLATE = "整理自 {source}"
READING_TIME_LABEL = "阅读时间"  # meaningless on paper
# Readers search for what was said: a speech that uses a phrase ranks above glossary pages
# that only mention it (Material's front matter ``search: boost``, kept in our index).
SPEECH_SEARCH_BOOST = 4


def reading_minutes(chars: int) -> int:
    """Minutes to read ``chars`` Chinese characters at READING_SPEED (at least 1)."""
    return max(1, math.ceil(chars / READING_SPEED))


def source_line(speech: Speech) -> str:
    """ "整理自 sources/x.txt": where a printed copy's text comes from."""
    name = PurePosixPath(speech.source_name).name or f"{speech.slug}.txt"
    return SOURCE_TEMPLATE.format(source=f"sources/{name}")


def meta_items(speech: Speech) -> list[tuple[str, str]]:
    """The metadata shown under the title, as (label, plain text) pairs."""
    items: list[tuple[str, str]] = []
    if speech.speaker:
        items.append(("讲话人", speech.speaker))
    if speech.occasion:
        items.append(("场合", speech.occasion))
    date = format_date(speech.date)
    if date:
        items.append(("日期", date))
    chars = speech.char_count
    items.append(("字数", f"{chars:,}"))
    items.append((READING_TIME_LABEL, f"约 {reading_minutes(chars)} 分钟"))
    return items


def front_matter(speech: Speech, tags: Sequence[str] = ()) -> str:
    """YAML front matter, always first in the page.

    Material puts ``page.meta.title`` into ``<title>``, the header and the navigation
    without escaping, so the title is HTML-escaped here; so are the ``tags`` (Material's
    tags plugin prints them unescaped too, see :func:`escape_tag`). Emitting front matter
    also keeps Python-Markdown's meta handling away from a ``Key: value`` first line.
    ``date`` (``YYYY[-MM[-DD]]``) lets search results be ordered by date.
    """
    return title_front_matter(
        display_title(speech), tags=tags, search_boost=SPEECH_SEARCH_BOOST, date=speech.date
    )


def render_paragraph(
    number: int, text: str, marks: Sequence[Mark] = (), wraps: Sequence[Wrap] = ()
) -> str:
    """One paragraph: a small number link at the start, attributes on the last line."""
    anchor = paragraph_anchor(number)
    body = render_inline(text, marks, wraps)
    return f"[{number}](#{anchor}){{ .pz-pn }} {body}\n{{: #{anchor} .pz-p }}"


def render_paragraph_html(
    number: int, text: str, marks: Sequence[Mark] = (), wraps: Sequence[Wrap] = ()
) -> str:
    """:func:`render_paragraph` as finished HTML: what Python-Markdown makes of it."""
    anchor = paragraph_anchor(number)
    body = render_inline_html(text, marks, wraps)
    return (
        f'<p class="pz-p" id="{anchor}"><a class="pz-pn" href="#{anchor}">{number}</a> {body}</p>'
    )


def fragment_placeholder(number: int, *, searched: bool = True) -> str:
    """The line that stands for the ``number``-th HTML fragment of a page (an HTML comment:
    Python-Markdown passes it through untouched, and source text, whose ``<`` is always
    escaped, can never produce one). A fragment the search leaves out (``searched=False``:
    lists of links, 本文涉及概念, a concept's occurrences) is put in only after the search
    index has read the page, which then never walks it."""
    return (
        f"<!-- pizhu-fragment {number} -->"
        if searched
        else f"<!-- pizhu-fragment {number} late -->"
    )


#: Any :func:`fragment_placeholder`: (its number, `` late`` or None).
FRAGMENT_PLACEHOLDER_RE = re.compile(r"<!-- pizhu-fragment (\d+)( late)? -->")


@dataclass(frozen=True)
class LateFragment:
    """A fragment the search leaves out, made only when its page is written.

    MkDocs holds every page's HTML from reading to writing; the long lists that go in last
    (本文涉及概念, a concept's occurrences) are made one page at a time instead: with 2,000
    concepts at 1,000 speeches they are 200 million characters. ``ids`` are the anchors
    the fragment will have (MkDocs checks links to them before it is made)."""

    make: Callable[[], str]
    ids: frozenset[str] = frozenset()

    def __str__(self) -> str:
        return self.make()


Fragment = str | LateFragment


def render_heading(block: Block, marks: Sequence[Mark] = (), wraps: Sequence[Wrap] = ()) -> str:
    level = block.level if block.level in (2, 3) else 2
    return f"{'#' * level} {render_inline(block.text, marks, wraps)}"


def _number_ranges(numbers: Iterable[int]) -> str:
    """[1, 2, 3, 7, 9, 10] -> '1–3、7、9–10'."""
    unique = sorted(set(numbers))
    ranges: list[str] = []
    i = 0
    while i < len(unique):
        j = i
        while j + 1 < len(unique) and unique[j + 1] == unique[j] + 1:
            j += 1
        ranges.append(str(unique[i]) if i == j else f"{unique[i]}–{unique[j]}")
        i = j + 1
    return "、".join(ranges)


def removal_groups(removed: Sequence[Removal]) -> list[tuple[str, list[Removal]]]:
    """Removals grouped by reason, groups in order of first appearance in the source."""
    groups: dict[str, list[Removal]] = {}
    for removal in sorted(removed, key=lambda r: r.line):
        groups.setdefault(removal.reason, []).append(removal)
    return list(groups.items())


# The 整理说明 table's columns; the last two (numbers) are right-aligned.
REMOVALS_COLUMNS = ("原因", "原文行号", "处数", "字数")


@dataclass(frozen=True)
class _Removals:
    """What the 整理说明 says, for both of its writers."""

    title: str
    rows: tuple[tuple[str, str, str, str], ...]  # per reason: reason, lines, count, chars
    hint: str  # REMOVALS_EDITOR_HINT for the speech's source (the command in `…`)


def _removals(speech: Speech) -> _Removals:
    source = PurePosixPath(speech.source_name).name or f"{speech.slug}.txt"
    hint = REMOVALS_EDITOR_HINT.format(source=source)
    if not speech.removed:
        return _Removals(REMOVALS_TITLE, (), hint)
    total_chars = sum(len(r.text) for r in speech.removed)
    rows = tuple(
        (
            reason,
            _number_ranges(r.line for r in items),
            str(len(items)),
            f"{sum(len(r.text) for r in items):,}",
        )
        for reason, items in removal_groups(speech.removed)
    )
    title = f"{REMOVALS_TITLE}：删除 {len(speech.removed)} 处，共 {total_chars:,} 字"
    return _Removals(title, rows, hint)


def render_removals(speech: Speech) -> str:
    """The collapsed 整理说明: line numbers, reasons and sizes — never the removed text.

    The removed text is ads, QQ numbers, passwords and URLs of the source sites; it
    must not reach the site. Editors see it with ``build.py clean``.
    """
    removals = _removals(speech)
    if not removals.rows:
        body = [REMOVALS_NONE, "", removals.hint]
        return admonition("note", removals.title, body, collapsed=True)
    body = [
        REMOVALS_INTRO,
        "",
        "| " + " | ".join(REMOVALS_COLUMNS) + " |",
        "| --- | --- | ---: | ---: |",
        *(
            f"| {escape_text(reason)} | {lines} | {count} | {chars} |"
            for reason, lines, count, chars in removals.rows
        ),
        "",
        removals.hint,
    ]
    return admonition("note", removals.title, body, collapsed=True)


def render_removals_html(speech: Speech) -> str:
    """:func:`render_removals` as finished HTML, as Python-Markdown makes it of that
    Markdown (a collapsed note is pymdownx.details' ``<details>``; the table's number
    columns are right-aligned)."""
    removals = _removals(speech)
    before, code, after = removals.hint.split("`")
    # (escape_html trims a piece's ends; the spaces around the code are the sentence's)
    hint = f"<p>{escape_html(before)} <code>{escape_html(code)}</code> {escape_html(after)}</p>"
    head = ['<details class="note">', f"<summary>{escape_html(removals.title)}</summary>"]
    if not removals.rows:
        return "\n".join([*head, f"<p>{escape_html(REMOVALS_NONE)}</p>", hint, "</details>"])
    aligns = ("", "", ' style="text-align: right;"', ' style="text-align: right;"')

    def row(cells: Sequence[str], tag: str) -> list[str]:
        return [
            "<tr>",
            *(f"<{tag}{a}>{c}</{tag}>" for a, c in zip(aligns, cells, strict=True)),
            "</tr>",
        ]

    return "\n".join(
        [
            *head,
            f"<p>{escape_html(REMOVALS_INTRO)}</p>",
            "<table>",
            "<thead>",
            *row(REMOVALS_COLUMNS, "th"),
            "</thead>",
            "<tbody>",
            *(
                line
                for reason, *numbers in removals.rows
                for line in row([escape_html(reason), *numbers], "td")
            ),
            "</tbody>",
            "</table>",
            hint,
            "</details>",
        ]
    )


@dataclass(frozen=True)
class ConceptLine:
    """One concept under 本文涉及概念: its page, how often the speech uses it, its summary."""

    term: str
    href: str  # docs-relative from the speech page, e.g. ../glossary/x.md
    count: int
    summary: str

    def __post_init__(self) -> None:
        if not SAFE_HREF_RE.match(self.href):
            raise ValueError(f"unsafe concept href {self.href!r}")


@dataclass(frozen=True)
class RelatedLine:
    """One speech under 相关讲话 and the number of concepts it shares with this one."""

    title: str
    href: str
    shared: int

    def __post_init__(self) -> None:
        if not SAFE_HREF_RE.match(self.href):
            raise ValueError(f"unsafe related href {self.href!r}")


def _concept_mark(line: ConceptLine) -> Mark:
    return Mark(
        0,
        len(line.term),
        line.href,
        css_class="pz-concept",
        data=(("data-pz-tip", line.summary), ("data-pz-term", line.term)),
    )


def late_fragment(fragments: list[Fragment], fragment: Fragment) -> list[str]:
    """Markdown lines standing for ``fragment``, HTML the search leaves out, which goes to
    ``fragments`` (put in after the search index has read the page)."""
    placeholder = fragment_placeholder(len(fragments), searched=False)
    fragments.append(fragment)
    return [placeholder, ""]


def render_concepts(
    concepts: Sequence[ConceptLine], fragments: list[Fragment] | None = None
) -> str:
    """本文涉及概念: chips on screen (term and count); in print, a list with each summary.

    Kept out of the search index (``data-search-exclude``): every speech would otherwise
    match the name of every concept it uses a second time. With ``fragments`` the intro
    and the list are finished HTML (see :func:`render_speech`).
    """
    lines = [
        '<div class="pz-concepts pz-search-exclude" markdown data-search-exclude>',
        "",
        f"## {CONCEPTS_TITLE}",
        "",
    ]
    if fragments is not None:

        def make() -> str:
            items = [_concept_item(line, as_html=True) for line in concepts]
            intro = f'<p class="pz-concepts-intro">{CONCEPTS_INTRO}</p>'
            return "\n".join([intro, "<ul>", *items, "</ul>"])

        lines += late_fragment(fragments, LateFragment(make))
        return "\n".join([*lines, "</div>", ""])
    lines += [CONCEPTS_INTRO, "{: .pz-concepts-intro }", ""]
    lines += [_concept_item(line, as_html=False) for line in concepts]
    lines += ["", "</div>", ""]
    return "\n".join(lines)


def _concept_item(line: ConceptLine, *, as_html: bool) -> str:
    """One concept's chip: a list item (Markdown, or finished HTML) with its count."""
    return _concept_chip(line.term, line.href, line.summary, as_html).format(count=line.count)


# Escapes braces for str.format: a chip is a template with the count as its one field.
_FORMAT_BRACES = str.maketrans({"{": "{{", "}": "}}"})


@functools.lru_cache(maxsize=4096)
def _concept_chip(term: str, href: str, summary: str, as_html: bool) -> str:
    """A concept's chip as a str.format template for its count: the same on every page
    but for the count, so it is cached (a 2,000-term glossary lists hundreds a speech)."""
    inline = render_inline_html if as_html else render_inline
    link = inline(term, [_concept_mark(ConceptLine(term, href, 0, summary))])
    chip = (
        f"{link.translate(_FORMAT_BRACES)} "
        '<span class="pz-count">{count} 次</span>'
        f'<span class="pz-summary">{inline(summary).translate(_FORMAT_BRACES)}</span>'
    )
    return f"<li>{chip}</li>" if as_html else f"- {chip}"


def _related_title(line: RelatedLine) -> str:
    return WHITESPACE_RE.sub(" ", line.title).strip() or UNTITLED


def render_related(related: Sequence[RelatedLine], fragments: list[Fragment] | None = None) -> str:
    """相关讲话: the speeches sharing the most concepts, with the number shared."""
    lines = [
        '<div class="pz-related pz-search-exclude" markdown data-search-exclude>',
        "",
        f"## {RELATED_TITLE}",
        "",
    ]
    if not related:
        lines += [RELATED_NONE, ""]
    elif fragments is not None:
        items = [
            f'<li><a href="{html_href(line.href)}">{render_inline_html(_related_title(line))}</a> '
            f'<span class="pz-count">共同概念 {line.shared} 个</span></li>'
            for line in related
        ]
        html = "\n".join([f"<p>{RELATED_INTRO}</p>", "<ul>", *items, "</ul>"])
        lines += late_fragment(fragments, html)
    else:
        lines += [RELATED_INTRO, ""]
        for line in related:
            title = render_inline(_related_title(line))
            lines.append(
                f'- [{title}]({line.href}) <span class="pz-count">共同概念 {line.shared} 个</span>'
            )
        lines.append("")
    lines += ["</div>", ""]
    return "\n".join(lines)


BlockMarks = Callable[[int, Block], Sequence[Mark]]


class Layers(Protocol):
    """What a page adds to the speech's own text (editorial.Editorial: the editor's notes
    and key sentences). ``block`` is an index into ``speech.blocks`` or TITLE_BLOCK."""

    def wraps(self, block: int) -> Sequence[Wrap]: ...

    def after_block(self, block: int) -> str: ...

    def top(self) -> str: ...

    def bottom(self) -> str: ...


def render_speech(
    speech: Speech,
    marks: BlockMarks | None = None,
    *,
    concepts: Sequence[ConceptLine] = (),
    related: Sequence[RelatedLine] | None = None,
    tags: Sequence[str] = (),
    layers: Layers | None = None,
    fragments: list[Fragment] | None = None,
) -> str:
    """The Markdown page of one speech.

    With ``fragments`` (a list to fill), each run of paragraphs is rendered as finished
    HTML (:func:`render_paragraph_html`) and appended to it, and the page has a
    :func:`fragment_placeholder` line in its place: the MkDocs hook puts the HTML into
    the page after Python-Markdown, which then never parses the bulk of the page. Without
    it the page is Markdown throughout (``build.py build``, for other builders); both
    make the same HTML (tests/test_fragments.py).

    ``marks(index, block)`` may return links to add to a block's text (index into
    ``speech.blocks``); the glossary linker uses it. ``concepts`` and ``related`` end
    the page (本文涉及概念, 相关讲话); both are left out when the speech uses no concept.
    ``tags`` go into the front matter for Material's tags plugin (see :func:`escape_tag`).

    The line under the title gives speaker, occasion, date and size; in print it also
    names the source file (整理自 sources/x.txt), so a paper copy says where it is from.

    ``layers`` wrap words of the title and the blocks (a mark a wrap would cut is left
    out, see :func:`crossing`) and add text after a heading, near the top and at the end.
    """

    def block_marks(index: int, block: Block) -> tuple[Sequence[Mark], Sequence[Wrap]]:
        found = marks(index, block) if marks else ()
        if layers is None:
            return found, ()
        wraps = layers.wraps(index)
        return [m for m in found if not crossing(m, wraps)], wraps

    title = display_title(speech)
    title_wraps = layers.wraps(TITLE_BLOCK) if layers and (speech.title or "").strip() else ()
    out: list[str] = [
        front_matter(speech, tags),
        f"# {render_inline(title, wraps=title_wraps)}",
        "",
    ]
    if title_wraps and layers is not None and (after := layers.after_block(TITLE_BLOCK)):
        out += [after, ""]
    if speech.subtitle:
        out += [f"——{render_inline(speech.subtitle)}", "{: .pz-subtitle }", ""]
    # (inline Markdown, or finished HTML with fragments: it is on every speech page)
    inline = render_inline if fragments is None else render_inline_html
    items = []
    for label, text in meta_items(speech):
        css = "pz-meta-item" + (f" {SCREEN_ONLY_CLASS}" if label == READING_TIME_LABEL else "")
        items.append(
            f'<span class="{css}"><span class="pz-meta-label">{label}</span> {inline(text)}</span>'
        )
    items.append(
        f'<span class="pz-meta-item {PRINT_ONLY_CLASS} {SEARCH_EXCLUDE_CLASS}">'
        f'<span class="pz-meta-label">{SOURCE_LABEL}</span> '
        f"{inline(source_line(speech))}</span>"
    )
    if fragments is None:
        out += [META_SEPARATOR.join(items), "{: .pz-meta }", ""]
    else:
        out += [fragment_placeholder(len(fragments)), ""]
        fragments.append(f'<p class="pz-meta">{META_SEPARATOR.join(items)}</p>')
    if speech.truncated:
        notice = (
            GAP_NOTICE.format(lines="、".join(map(str, speech.gaps)))
            if speech.gaps
            else TRUNCATED_NOTICE
        )
        out += [admonition("warning", TRUNCATED_TITLE, [notice]), ""]
    if speech.notes:
        notes = [render_inline(p) for p in re.split(r"\n\s*\n", speech.notes) if p.strip()]
        body: list[str] = []
        for paragraph in notes:
            body += [paragraph, ""]
        out += [admonition("note", NOTES_TITLE, body), ""]
    if layers is not None and (top := layers.top()):
        out += [top, ""]
    number = 0
    run: list[str] = []  # HTML paragraphs since the last heading (with fragments)

    def end_run() -> None:
        if run and fragments is not None:
            out.extend([fragment_placeholder(len(fragments)), ""])
            fragments.append("\n".join(run))
            run.clear()

    for index, block in enumerate(speech.blocks):
        found, wraps = block_marks(index, block)
        if block.kind == "heading":
            end_run()
            out += [render_heading(block, found, wraps), ""]
            if layers is not None and (after := layers.after_block(index)):
                out += [after, ""]
        elif fragments is not None:
            number += 1
            run.append(render_paragraph_html(number, block.text, found, wraps))
        else:
            number += 1
            out += [render_paragraph(number, block.text, found, wraps), ""]
    end_run()
    if speech.truncated and not speech.gaps:  # (with a gap, the end may be complete)
        out += [TRUNCATED_END, "{: .pz-truncated }", ""]
    if layers is not None and (bottom := layers.bottom()):
        out += [bottom, ""]
    if fragments is None:
        out.append(render_removals(speech))
    else:
        out.append(fragment_placeholder(len(fragments)))
        fragments.append(render_removals_html(speech))
    if concepts:
        out += ["", render_concepts(concepts, fragments)]
        if related is not None:
            out += [render_related(related, fragments)]
    return "\n".join(out)
