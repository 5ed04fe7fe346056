"""concepts.md: the concept map, speeches × concepts, each cell the number of occurrences."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .glossary import Term
from .model import Speech
from .occurrences import ConceptIndex
from .render import (
    display_title,
    escape_attribute,
    escape_html,
    html_href,
    render_inline,
    render_inline_html,
    title_front_matter,
)
from .site import (
    CONCEPT_MAP_TITLE,
    sort_speeches,
    speech_anchor,
    speech_page,
    term_page,
    year_of,
)
from .speech_layout import Fragment, late_fragment

# --- the concept map: speeches × concepts ------------------------------------------------

MAP_COLUMN_LIMIT = 60  # concepts shown as columns (the most used); the rest are listed
# Upper bounds of the colour steps of a cell (occurrences of a concept in a speech);
# a count above the last bound gets the darkest step.
HEAT_STEPS = (1, 2, 4, 8)
HEAT_LABELS = ("1 次", "2 次", "3–4 次", "5–8 次", "9 次以上")


def heat_level(count: int) -> int:
    """The colour step of a cell: 1 (one occurrence) … 5 (nine or more)."""
    for level, bound in enumerate(HEAT_STEPS, start=1):
        if count <= bound:
            return level
    return len(HEAT_STEPS) + 1


def map_columns(index: ConceptIndex) -> list[Term]:
    """The concepts of the map: those used at all, in the most speeches first, then the
    most occurrences, then glossary order."""
    usage = [(term, *index.totals(term.id)) for term in index.glossary]
    used = [item for item in usage if item[2]]
    used.sort(key=lambda item: (-item[1], -item[2]))  # stable: glossary order among ties
    return [term for term, _, _ in used]


def render_concept_map(
    speeches: Sequence[Speech], index: ConceptIndex | None, fragments: list[Fragment] | None = None
) -> str:
    """docs/concepts.md: which speech uses which concept how often.

    One row per speech (newest first, its title in a sticky first column), one column per
    concept (names written vertically), each non-empty cell the number of occurrences on a
    background as dark as the count (classes ``pz-heat-1`` … ``pz-heat-5``), linked to the
    speech's section on the concept's page (``glossary/<id>.md#s-<slug>``, checked by
    MkDocs like any other anchor). HTML through md_in_html, so the links are ``.md``
    links; kept out of search (it is numbers and names found elsewhere). With
    ``fragments`` the table is finished HTML (see generate.render_pages).
    """
    lines = [
        title_front_matter(CONCEPT_MAP_TITLE, search_exclude=True, hide=("toc",))
        + f"# {CONCEPT_MAP_TITLE}",
        "",
    ]
    columns = map_columns(index) if index is not None else []
    ordered = sort_speeches(speeches)
    if not columns or not ordered:
        lines += [
            "还没有可以显示的内容：需要 `sources/` 中的讲话和 `glossary.yml` 中的概念，"
            "并且至少有一个概念在讲话中出现。",
            "{: .pz-lead }",
            "",
        ]
        return "\n".join(lines)
    assert index is not None
    shown = columns[:MAP_COLUMN_LIMIT]
    lines += [
        f"每行一篇讲话（{len(ordered)} 篇，按日期从新到旧），每列一个概念"
        f"（{len(shown)} 个，按出现的讲话篇数从多到少）。格子里的数字是这个概念在这篇讲话中"
        "出现的次数（包括小标题），颜色越深次数越多；点数字查看每一处出现的原文。"
        "手机上可以左右滑动表格，讲话标题固定在左侧。",
        "{: .pz-lead }",
        "",
        '<p class="pz-map-legend">'
        + "".join(
            f'<span class="pz-heat-{level}">{label}</span>'
            for level, label in enumerate(HEAT_LABELS, start=1)
        )
        + "</p>",
        "",
    ]
    if fragments is None:
        lines += _table_markdown(shown, ordered, index)
    else:
        lines += late_fragment(fragments, _table_html(shown, ordered, index))
    rest = columns[MAP_COLUMN_LIMIT:]
    if rest:
        links = "、".join(f"[{render_inline(t.term)}]({term_page(t.id)})" for t in rest)
        lines += [f"另有 {len(rest)} 个概念出现较少，表中未列出：{links}。", ""]
    return "\n".join(lines)


@dataclass(frozen=True)
class _Row:
    """One row of the map: a speech, its year ("" if none), and per column the concept and
    the number of its occurrences in the speech (0: an empty cell)."""

    speech: Speech
    year: str
    cells: tuple[tuple[Term, int], ...]

    @property
    def title(self) -> str:
        return display_title(self.speech)

    def cell_target(self, term: Term) -> str:
        """The speech's section on the concept's page (docs-relative Markdown)."""
        return f"{term_page(term.id)}#{speech_anchor(self.speech.slug)}"


def _column_tip(term: Term, index: ConceptIndex) -> str:
    in_speeches, count = index.totals(term.id)
    return f"{term.term}：{in_speeches} 篇讲话 · {count} 次"


def _rows(shown: Sequence[Term], ordered: Sequence[Speech], index: ConceptIndex) -> list[_Row]:
    rows = []
    for speech in ordered:
        counts = {tc.term.id: tc.count for tc in index.term_counts(speech.slug)}
        cells = tuple((term, counts.get(term.id, 0)) for term in shown)
        rows.append(_Row(speech, year_of(speech), cells))
    return rows


def _year(row: _Row) -> str:
    return f' <span class="pz-map-year">{row.year}</span>' if row.year else ""


def _table_markdown(
    shown: Sequence[Term], ordered: Sequence[Speech], index: ConceptIndex
) -> list[str]:
    """The map as HTML through md_in_html (``build.py build``'s Markdown), ``.md`` links."""
    lines = [
        '<div class="pz-map-scroll" markdown="block" tabindex="0" role="region" '
        f'aria-label="{CONCEPT_MAP_TITLE}">',
        "",
        '<table class="pz-map" markdown="block">',
        '<thead markdown="block">',
        '<tr markdown="block">',
        '<th class="pz-map-corner" scope="col">讲话</th>',
    ]
    for term in shown:
        tip = escape_attribute(_column_tip(term, index))
        lines.append(
            f'<th scope="col" markdown="span">'
            f'[{render_inline(term.term)}]({term_page(term.id)} "{tip}")</th>'
        )
    lines += ["</tr>", "</thead>", '<tbody markdown="block">']
    for row in _rows(shown, ordered, index):
        lines += [
            '<tr markdown="block">',
            # The title may be cut to two lines (pizhu.css): the whole of it on hover.
            f'<th scope="row" markdown="span">[{render_inline(row.title)}]'
            f'({speech_page(row.speech)} "{escape_attribute(row.title)}"){_year(row)}</th>',
        ]
        # No title on a cell: the row and column headers (th scope) say what it is, and at
        # 1,000 speeches a title per cell would double the page.
        lines += [
            f'<td class="pz-heat-{heat_level(count)}" markdown="span">'
            f"[{count}]({row.cell_target(term)})</td>"
            if count
            else "<td></td>"
            for term, count in row.cells
        ]
        lines.append("</tr>")
    return [*lines, "</tbody>", "</table>", "", "</div>", ""]


def _table_html(shown: Sequence[Term], ordered: Sequence[Speech], index: ConceptIndex) -> str:
    """:func:`_table_markdown` as the HTML Python-Markdown makes of it (at 1,000 speeches
    the map is 60,000 cells: too many for Python-Markdown to walk)."""
    lines = [
        f'<div aria-label="{CONCEPT_MAP_TITLE}" class="pz-map-scroll" role="region" tabindex="0">',
        '<table class="pz-map">',
        "<thead>",
        "<tr>",
        '<th class="pz-map-corner" scope="col">讲话</th>',
    ]
    for term in shown:
        lines.append(
            f'<th scope="col"><a href="{html_href(term_page(term.id))}" '
            f'title="{escape_html(_column_tip(term, index))}">'
            f"{render_inline_html(term.term)}</a></th>"
        )
    lines += ["</tr>", "</thead>", "<tbody>"]
    for row in _rows(shown, ordered, index):
        lines += [
            "<tr>",
            f'<th scope="row"><a href="{html_href(speech_page(row.speech))}" '
            f'title="{escape_html(row.title)}">{render_inline_html(row.title)}</a>{_year(row)}</th>',
        ]
        lines += [
            f'<td class="pz-heat-{heat_level(count)}">'
            f'<a href="{html_href(row.cell_target(term))}">{count}</a></td>'
            if count
            else "<td></td>"
            for term, count in row.cells
        ]
        lines.append("</tr>")
    return "\n".join([*lines, "</tbody>", "</table>", "</div>"])
