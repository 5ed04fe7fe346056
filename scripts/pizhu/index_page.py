"""speeches/index.md: every speech in one table, newest first; pizhu-index.js adds
sorting and filters (the table works without it)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from .model import Speech
from .occurrences import ConceptIndex
from .render import (
    display_title,
    escape_html,
    format_date,
    html_href,
    render_inline,
    render_inline_html,
)
from .site import (
    CONCEPT_MAP,
    CONCEPT_MAP_TITLE,
    EMPTY_CELL,
    one_line,
    sort_speeches,
    year_of,
)
from .speech_layout import fragment_placeholder

# --- the speeches index: a plain table; pizhu-index.js adds sorting and filters ------------

# Column headers and how pizhu-index.js sorts each column (text: pinyin order of the
# cell; date: the row's data-pz-date, undated last; number: the row's data-pz-chars).
INDEX_COLUMNS = (
    ("标题", "text"),
    ("讲话人", "text"),
    ("场合", "text"),
    ("日期", "date"),
    ("字数", "number"),
)
FILTER_ALL = "全部"
FILTER_EMPTY = "没有符合条件的讲话。"


def _counted(values: Iterable[str]) -> list[tuple[str, int]]:
    """Distinct non-empty values, most frequent first, then in code point order."""
    counts = Counter(v for v in values if v)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _select(name: str, label: str, options: Sequence[tuple[str, str]]) -> str:
    """A labelled <select> whose first option (value "") means "no filter"; "" when there
    is nothing to choose (no speech is dated, none names its speaker …)."""
    if not options:
        return ""
    items = [f'<option value="">{FILTER_ALL}</option>']
    items += [
        f'<option value="{escape_html(value)}">{escape_html(text)}</option>'
        for value, text in options
    ]
    return (
        f'<label class="pz-filter__field"><span class="pz-filter__label">{label}</span>'
        f'<select name="{name}" data-pz-filter="{name}">{"".join(items)}</select></label>'
    )


def render_index_filters(ordered: Sequence[Speech], index: ConceptIndex | None) -> str:
    """The filter form above the speeches table (raw HTML, one block).

    It is ``hidden``: pizhu-index.js shows it and does the filtering, so without
    JavaScript the page is just the table. Options are built here, from the same data as
    the rows' ``data-pz-*`` attributes, so a value always matches its rows.
    """
    years = sorted({year_of(s) for s in ordered if year_of(s)}, reverse=True)
    fields = [_select("year", "年份", [(y, f"{y}年") for y in years])]
    speakers = _counted(one_line(s.speaker) for s in ordered)
    occasions = _counted(one_line(s.occasion) for s in ordered)
    fields.append(_select("speaker", "讲话人", [(v, f"{v}（{n}）") for v, n in speakers]))
    fields.append(_select("occasion", "场合", [(v, f"{v}（{n}）") for v, n in occasions]))
    if index is not None:
        used = [(term, index.totals(term.id)[0]) for term in index.glossary]
        used = sorted(
            ((term, n) for term, n in used if n),
            key=lambda item: -item[1],  # stable: glossary order among ties
        )
        fields.append(
            _select("concept", "概念", [(term.id, f"{term.term}（{n}）") for term, n in used])
        )
    fields.append(
        '<label class="pz-filter__field pz-filter__field--text">'
        '<span class="pz-filter__label">查找</span>'
        '<input type="search" name="text" data-pz-filter="text" autocomplete="off" '
        'placeholder="标题、讲话人、场合"></label>'
    )
    return "".join(
        [
            '<form class="pz-filter pz-search-exclude" data-search-exclude hidden>',
            *fields,
            '<p class="pz-filter__status"><output class="pz-filter__count" aria-live="polite">'
            '</output><button type="reset" class="pz-filter__reset">清除筛选</button></p>',
            "</form>",
        ]
    )


def _index_row(speech: Speech, index: ConceptIndex | None, as_html: bool = False) -> str:
    """One table row; its data-pz-* attributes are what pizhu-index.js filters and sorts on.
    ``as_html``: finished HTML (else md_in_html Markdown)."""
    concepts = sorted({o.term_id for o in index.in_speech(speech.slug)}) if index else []
    data = {
        "year": year_of(speech),
        "speaker": one_line(speech.speaker),
        "occasion": one_line(speech.occasion),
        "date": speech.date or "",
        "chars": str(speech.char_count),
        "concepts": " ".join(concepts),
    }
    attributes = " ".join(f'data-pz-{k}="{escape_html(v)}"' for k, v in data.items())
    href = f"{speech.slug}.md"
    if as_html:
        title = f'<a href="{html_href(href)}">{render_inline_html(display_title(speech))}</a>'
    else:
        title = f"[{render_inline(display_title(speech))}]({href})"
    counts = editorial_counts(speech)
    if counts:
        title += f' <span class="pz-count pz-editorial-count">{counts}</span>'
    return "\n".join(
        [
            f"<tr {attributes}>" if as_html else f'<tr markdown="block" {attributes}>',
            f"<td>{title}</td>" if as_html else f'<td markdown="span">{title}</td>',
            _text_td(speech.speaker, as_html),
            _text_td(speech.occasion, as_html),
            f'<td class="pz-nowrap{"" if speech.date else " pz-empty"}">'
            f"{escape_html(format_date(speech.date) or EMPTY_CELL)}</td>",
            f'<td class="pz-num">{speech.char_count:,}</td>',
            "</tr>",
        ]
    )


def editorial_counts(speech: Speech) -> str:
    """ "批注 3 · 金句 5" for a speech's row in the index ("" when it has neither)."""
    parts = []
    if speech.annotations:
        parts.append(f"批注 {len(speech.annotations)}")
    if speech.key_sentences:
        parts.append(f"金句 {len(speech.key_sentences)}")
    return " · ".join(parts)


def _text_td(text: str | None, as_html: bool = False) -> str:
    """A cell of source text (inline Markdown, or finished HTML), or "—" marked
    ``pz-empty`` (phones hide it)."""
    if not one_line(text):
        return f'<td class="pz-empty">{EMPTY_CELL}</td>'
    if as_html:
        return f"<td>{render_inline_html(one_line(text))}</td>"
    return f'<td markdown="span">{render_inline(one_line(text))}</td>'


def render_speeches_index(
    speeches: Sequence[Speech],
    index: ConceptIndex | None = None,
    fragments: list[str] | None = None,
) -> str:
    """docs/speeches/index.md: one table row per speech, newest first.

    The table is HTML written through md_in_html (rows need data attributes, which a
    Markdown table cannot carry); titles, speakers and occasions are inline Markdown
    (``markdown="span"``), so they are escaped by render_inline and the title links are
    ``.md`` links that MkDocs checks and rewrites like any other. With ``fragments`` the
    table is finished HTML (see generate.render_pages): at 1,000 speeches it is over a
    megabyte that Python-Markdown would otherwise parse on every build.
    """
    ordered = sort_speeches(speeches)
    lines = [
        "---",
        "title: 讲话目录",
        "---",
        "# 讲话目录",
        "",
    ]
    if not ordered:
        lines += [
            "还没有收录讲话。把讲话的 .txt 文件放进 `sources/` 目录后重新生成即可。",
            "{: .pz-lead }",
            "",
        ]
        return "\n".join(lines)
    lines += [
        f"共 {len(ordered)} 篇，按日期从新到旧排列。点击标题阅读全文；"
        "点击表头可按该列排序，表格上方可按年份、讲话人、场合和概念筛选。"
        f"也可以[按标签浏览](tags.md)或查看[{CONCEPT_MAP_TITLE}](../{CONCEPT_MAP})。",
        "{: .pz-lead }",
        "",
        render_index_filters(ordered, index),
        "",
    ]
    if fragments is None:
        lines += _table_markdown(ordered, index)
    else:
        lines += [fragment_placeholder(len(fragments)), ""]
        fragments.append(_table_html(ordered, index))
    lines += [f'<p class="pz-filter-empty" hidden>{FILTER_EMPTY}</p>', ""]
    return "\n".join(lines)


def _header_row(as_html: bool = False) -> str:
    """The header row (finished HTML as Python-Markdown lays it out: a cell a line)."""
    cells = [
        f'<th scope="col" data-pz-sort="{kind}"'
        + (' class="pz-num"' if kind == "number" else "")
        + f">{label}</th>"
        for label, kind in INDEX_COLUMNS
    ]
    return "\n".join(["<tr>", *cells, "</tr>"]) if as_html else "<tr>" + "".join(cells) + "</tr>"


def _table_markdown(ordered: Sequence[Speech], index: ConceptIndex | None) -> list[str]:
    return [
        '<div class="pz-index" markdown>',
        "",
        '<table markdown="block">',
        "<thead>",
        _header_row(),
        "</thead>",
        '<tbody markdown="block">',
        *(_index_row(speech, index) for speech in ordered),
        "</tbody>",
        "</table>",
        "",
        "</div>",
        "",
    ]


def _table_html(ordered: Sequence[Speech], index: ConceptIndex | None) -> str:
    """The same table as finished HTML, as Python-Markdown makes it of the Markdown."""
    return "\n".join(
        [
            '<div class="pz-index">',
            "<table>",
            "<thead>",
            _header_row(as_html=True),
            "</thead>",
            "<tbody>",
            *(_index_row(speech, index, as_html=True) for speech in ordered),
            "</tbody>",
            "</table>",
            "</div>",
        ]
    )
