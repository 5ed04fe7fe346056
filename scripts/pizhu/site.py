"""Whole-corpus pages (Markdown, in memory): the home page, the speeches index (sortable and
filterable by pizhu-index.js), each speech page with its concepts linked and its tags, the
tags page, the concept map (speeches × concepts), the glossary index and one page per
concept.

All source text goes through render.py (the only escaping); the rest of the text on these
pages is ours, except a glossary entry's ``definition``, which an editor writes in Markdown
and is trusted as such. Every number about concepts comes from one
:class:`~pizhu.occurrences.ConceptIndex`, so links, counts and lists always agree.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from .editorial import Editorial
from .glossary import Glossary, Term
from .model import Block, Speech
from .occurrences import ConceptIndex, Occurrence
from .render import (
    ConceptLine,
    Mark,
    RelatedLine,
    display_title,
    escape_attribute,
    escape_html,
    escape_tag,
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
CONCEPT_MAP = "concepts.md"
CONCEPT_MAP_TITLE = "概念地图"
KEYS_PAGE = "key-sentences.md"  # keys_page.py writes it
TAGS_PAGE = "speeches/tags.md"
TAGS_TITLE = "按标签浏览"
# Slugs a speech must not have: its page would overwrite speeches/index.md or tags.md.
RESERVED_SLUGS = ("index", "tags")
EMPTY_CELL = "—"
HOME_LIST_LENGTH = 10  # speeches listed on the home page, newest first
HOME_TOP_CONCEPTS = 10  # most used concepts listed on the home page

GLOSSARY_DIR = "glossary"
GLOSSARY_INDEX = f"{GLOSSARY_DIR}/index.md"
GLOSSARY_TITLE = "概念"
TERM_CLASS = "pz-term"  # a concept linked in a speech paragraph (pizhu-terms.js, pizhu.css)
CONTEXT_WIDTH = 20  # characters of context either side of an occurrence on a term page
CONTEXTS_PER_SPEECH = 3  # occurrences of a speech shown with their context on a term page
SPEECHES_WITH_CONTEXTS = 30  # speeches (newest first) whose occurrences get contexts
NEVER_USED = "未出现"


def speech_page(speech: Speech) -> str:
    """Docs-relative path of a speech page."""
    return f"speeches/{speech.slug}.md"


def term_page(term_id: str) -> str:
    """Docs-relative path of a concept's page."""
    return f"{GLOSSARY_DIR}/{term_id}.md"


def speech_anchor(slug: str) -> str:
    """The anchor of one speech's section on a concept's page (the concept map links it)."""
    return f"s-{slug}"


def year_of(speech: Speech) -> str:
    """ "2021" for a speech dated 2021, 2021-06 or 2021-06-28; "" when undated."""
    return speech.date[:4] if speech.date and speech.date[:4].isdigit() else ""


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


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


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
    speakers = _counted(_clean(s.speaker) for s in ordered)
    occasions = _counted(_clean(s.occasion) for s in ordered)
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


def _index_row(speech: Speech, index: ConceptIndex | None) -> str:
    """One table row; its data-pz-* attributes are what pizhu-index.js filters and sorts on."""
    concepts = sorted({o.term_id for o in index.in_speech(speech.slug)}) if index else []
    data = {
        "year": year_of(speech),
        "speaker": _clean(speech.speaker),
        "occasion": _clean(speech.occasion),
        "date": speech.date or "",
        "chars": str(speech.char_count),
        "concepts": " ".join(concepts),
    }
    attributes = " ".join(f'data-pz-{k}="{escape_html(v)}"' for k, v in data.items())
    title = f"[{render_inline(display_title(speech))}]({speech.slug}.md)"
    counts = editorial_counts(speech)
    if counts:
        title += f' <span class="pz-count pz-editorial-count">{counts}</span>'
    return "\n".join(
        [
            f'<tr markdown="block" {attributes}>',
            f'<td markdown="span">{title}</td>',
            _text_td(speech.speaker),
            _text_td(speech.occasion),
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


def _text_td(text: str | None) -> str:
    """A cell of source text (inline Markdown), or "—" marked ``pz-empty`` (phones hide it)."""
    if not _clean(text):
        return f'<td class="pz-empty">{EMPTY_CELL}</td>'
    return f'<td markdown="span">{render_inline(_clean(text))}</td>'


def render_speeches_index(speeches: Sequence[Speech], index: ConceptIndex | None = None) -> str:
    """docs/speeches/index.md: one table row per speech, newest first.

    The table is HTML written through md_in_html (rows need data attributes, which a
    Markdown table cannot carry); titles, speakers and occasions are inline Markdown
    (``markdown="span"``), so they are escaped by render_inline and the title links are
    ``.md`` links that MkDocs checks and rewrites like any other.
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
        '<div class="pz-index" markdown>',
        "",
        '<table markdown="block">',
        "<thead>",
        "<tr>"
        + "".join(
            f'<th scope="col" data-pz-sort="{kind}"'
            + (' class="pz-num"' if kind == "number" else "")
            + f">{label}</th>"
            for label, kind in INDEX_COLUMNS
        )
        + "</tr>",
        "</thead>",
        '<tbody markdown="block">',
    ]
    lines += [_index_row(speech, index) for speech in ordered]
    lines += [
        "</tbody>",
        "</table>",
        "",
        "</div>",
        "",
        f'<p class="pz-filter-empty" hidden>{FILTER_EMPTY}</p>',
        "",
    ]
    return "\n".join(lines)


def render_home(speeches: Sequence[Speech], index: ConceptIndex | None = None) -> str:
    """docs/index.md: what the site holds (speeches, concepts, the most used ones), the
    newest speeches, and how to read, search, cite, use it offline and print it."""
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
    notes = sum(len(s.annotations) for s in speeches)
    keys = sum(len(s.key_sentences) for s in speeches)
    if notes or keys:
        lines.append(
            f"- 编者批注 **{notes}** 条，[金句]({KEYS_PAGE}) **{keys}** 句"
            "（正文中以浅色底纹和下划线标出）"
        )
    top: list[tuple[Term, int, int]] = []
    if index is not None and len(index.glossary):
        usage = [(term, *index.totals(term.id)) for term in index.glossary]
        used = [item for item in usage if item[2]]
        occurrences = sum(item[2] for item in used)
        lines.append(
            f"- 概念 **{len(index.glossary)}** 个，其中 **{len(used)}** 个在讲话中出现，"
            f"共 **{occurrences:,}** 处"
        )
        # Most occurrences first; ties: more speeches, then glossary order (stable sort).
        top = sorted(used, key=lambda item: (-item[2], -item[1]))[:HOME_TOP_CONCEPTS]
    lines += [
        "",
        "**找讲话**：[讲话目录](speeches/index.md)可按标题、讲话人、场合、日期、字数排序，"
        f"按年份、讲话人、场合和概念筛选；[{TAGS_TITLE}]({TAGS_PAGE})按年份、讲话人、场合、"
        f"主要概念归类；[{CONCEPT_MAP_TITLE}]({CONCEPT_MAP})一张表列出每篇讲话用了哪些概念、"
        "各用了几次。",
        "",
    ]
    if top:
        lines += ["## 最常用的概念", "", '<div class="pz-chips" markdown>', ""]
        for term, in_speeches, count in top:
            lines.append(
                f"- [{render_inline(term.term)}]({term_page(term.id)}) "
                f'<span class="pz-count">{in_speeches} 篇 · {count} 次</span>'
            )
        lines += ["", "</div>", ""]
        lines += [f"全部概念见[{GLOSSARY_TITLE}](glossary/index.md)页。", ""]
    if shown:
        lines += ["## 最新讲话", ""]
        for speech in shown:
            date = format_date(speech.date)
            suffix = f"（{date}）" if date else ""
            lines.append(
                f"- [{render_inline(display_title(speech))}]({speech_page(speech)}){suffix}"
            )
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
        f"页中列出它在每篇讲话中出现的位置。全部概念见[{GLOSSARY_TITLE}](glossary/index.md)页。",
        "",
        "**离线**：整个网站不需要联网，也不会从外部网站加载任何内容。"
        "拿到网站压缩包（如 pizhu-site.zip）后，解压到电脑或U盘上的任意文件夹，"
        "双击其中的 index.html 即可阅读，搜索、概念简介和各页链接都能用；"
        "压缩包里的「使用说明.txt」有详细步骤。网站也可以放在单位内网的任意网址下使用。",
        "",
        "**打印**：在讲话页面按 Ctrl+P（手机上用浏览器菜单里的“打印”或“分享 → 打印”），"
        "可以直接打印或另存为 PDF。打印稿只有标题、讲话人、场合、日期、来源文件和正文，"
        "导航栏、搜索框和页脚不会打印出来；段落编号保留，便于对照；"
        "文中概念的简介作为注释附在文末。",
        "",
        "原文中被隐去的人名、地名（如 XX、××）以浅色底纹标出。",
        "",
    ]
    return "\n".join(lines)


def term_mark(occurrence: Occurrence, term: Term, *, first: bool = True) -> Mark:
    """The link of one concept occurrence in a speech paragraph (see pizhu-terms.js).

    Only the first link of a concept on a page carries its name and summary; the others
    are plain links that pizhu-terms.js completes from it (a concept used 40 times would
    otherwise repeat its summary 40 times in the page)."""
    if not first:
        return Mark(
            occurrence.start, occurrence.end, f"../{term_page(term.id)}", css_class=TERM_CLASS
        )
    return concept_mark(occurrence.start, occurrence.end, term)


def concept_mark(start: int, end: int, term: Term) -> Mark:
    """A link to a concept's page from a speech page, with its summary as the tooltip."""
    return Mark(
        start,
        end,
        f"../{term_page(term.id)}",
        css_class=TERM_CLASS,
        data=(("data-pz-tip", term.summary), ("data-pz-term", term.term)),
    )


def note_marks(text: str, index: ConceptIndex) -> list[Mark]:
    """Concept links in an editor's note, as in the speech (not counted as occurrences)."""
    if index.linker is None:
        return []
    return [
        concept_mark(hit.start, hit.end, index.terms[hit.term_id])
        for hit in index.linker.find(text)
    ]


# --- tags (Material's tags plugin) -----------------------------------------------------

# Kinds of tags, in the order of the tags page. A name that is of two kinds (a sidecar tag
# that is also a concept) is listed once, under the first kind in TAG_PRIORITY.
TAG_CONCEPT = "概念"
TAG_SPEAKER = "讲话人"
TAG_OCCASION = "场合"
TAG_YEAR = "年份"
TAG_EDITOR = "其他标签"
TAG_KINDS = (TAG_CONCEPT, TAG_SPEAKER, TAG_OCCASION, TAG_YEAR, TAG_EDITOR)
TAG_PRIORITY = (TAG_CONCEPT, TAG_YEAR, TAG_SPEAKER, TAG_OCCASION, TAG_EDITOR)
# A speech is tagged with its most frequent concepts only: a concept said once in passing
# would make every tag list a copy of 本文涉及概念.
TAG_CONCEPT_LIMIT = 5
TAG_CONCEPT_MIN_COUNT = 2
TAGS_MARKER = "material/tags"  # the tags plugin's listing directive (listings_directive)


def speech_tag_kinds(speech: Speech, index: ConceptIndex | None) -> list[tuple[str, str]]:
    """(kind, tag name) of one speech, in display order: year, speaker, occasion, the
    sidecar's tags, then up to TAG_CONCEPT_LIMIT concepts it uses at least
    TAG_CONCEPT_MIN_COUNT times. Names are plain text (escaped when written)."""
    found: list[tuple[str, str]] = []
    if year_of(speech):
        found.append((TAG_YEAR, f"{year_of(speech)}年"))
    if _clean(speech.speaker):
        found.append((TAG_SPEAKER, _clean(speech.speaker)))
    if _clean(speech.occasion):
        found.append((TAG_OCCASION, _clean(speech.occasion)))
    found += [(TAG_EDITOR, _clean(tag)) for tag in speech.tags if _clean(tag)]
    if index is not None:
        counts = [tc for tc in index.term_counts(speech.slug) if tc.count >= TAG_CONCEPT_MIN_COUNT]
        found += [(TAG_CONCEPT, tc.term.term) for tc in counts[:TAG_CONCEPT_LIMIT]]
    unique: dict[str, str] = {}
    for kind, name in found:
        unique.setdefault(name, kind)
    return [(kind, name) for name, kind in unique.items()]


def speech_tags(speech: Speech, index: ConceptIndex | None) -> list[str]:
    """The tags of a speech page's front matter (escaped for the theme)."""
    return [escape_tag(name) for _, name in speech_tag_kinds(speech, index)]


def tag_groups(
    speeches: Sequence[Speech], index: ConceptIndex | None
) -> list[tuple[str, list[str]]]:
    """(kind, tag names) for the tags page: every tag of every speech exactly once."""
    kinds: dict[str, set[str]] = {}
    for speech in speeches:
        for kind, name in speech_tag_kinds(speech, index):
            kinds.setdefault(name, set()).add(kind)
    groups: dict[str, list[str]] = {kind: [] for kind in TAG_KINDS}
    for name, found in kinds.items():
        groups[next(k for k in TAG_PRIORITY if k in found)].append(name)
    return [(kind, sorted(names)) for kind, names in groups.items() if names]


def render_tags_page(speeches: Sequence[Speech], index: ConceptIndex | None) -> str:
    """docs/speeches/tags.md: the tags plugin's listings, one per kind of tag.

    Each listing is a ``<!-- material/tags { include: [...] } -->`` directive naming its
    tags, so the page reads 概念 / 讲话人 / 场合 / 年份 instead of one long list. The names
    are escaped like the pages' own tags (the plugin compares them exactly), written as
    JSON strings (valid YAML); an escaped name cannot contain ``-->``.
    """
    lines = [
        # Out of search: a phrase would find the tag names here as well as in the speeches.
        title_front_matter(TAGS_TITLE, search_exclude=True) + f"# {TAGS_TITLE}",
        "",
    ]
    groups = tag_groups(speeches, index)
    if not groups:
        lines += ["还没有收录讲话。", "{: .pz-lead }", ""]
        return "\n".join(lines)
    lines += [
        "每篇讲话按主要概念、讲话人、场合、年份和编辑加的标签归类；讲话页标题上方的标签也链接到这里。"
        "概念标签只给讲话中出现两次以上的概念（每篇最多 "
        f"{TAG_CONCEPT_LIMIT} 个），全部出现位置见[{CONCEPT_MAP_TITLE}](../{CONCEPT_MAP})。",
        "{: .pz-lead }",
        "",
    ]
    for kind, names in groups:
        include = json.dumps([escape_tag(name) for name in names], ensure_ascii=False)
        lines += [f"## {kind}", "", f"<!-- {TAGS_MARKER} {{ include: {include} }} -->", ""]
    return "\n".join(lines)


# --- speech pages with their concepts ----------------------------------------------------


def render_speech_page(speech: Speech, index: ConceptIndex | None) -> str:
    """A speech page: every concept in a paragraph linked, its concepts and related speeches
    at the end, its tags in the front matter. Headings are never linked (their occurrences
    still count)."""
    tags = speech_tags(speech, index)
    if index is None:
        return render_speech(speech, tags=tags, layers=Editorial(speech))
    layers = Editorial(speech, link=lambda text: note_marks(text, index))
    by_block: dict[int, list[Occurrence]] = {}
    for occurrence in index.in_speech(speech.slug):
        by_block.setdefault(occurrence.block, []).append(occurrence)

    described: set[str] = set()  # concepts whose summary is on the page already

    def marks(block_index: int, block: Block) -> list[Mark]:
        if block.kind != "paragraph":
            return []
        found = []
        for o in by_block.get(block_index, ()):
            found.append(term_mark(o, index.terms[o.term_id], first=o.term_id not in described))
            described.add(o.term_id)
        return found

    concepts = [
        ConceptLine(tc.term.term, f"../{term_page(tc.term.id)}", tc.count, tc.term.summary)
        for tc in index.term_counts(speech.slug)
    ]
    related = [
        RelatedLine(display_title(r.speech), f"{r.speech.slug}.md", r.shared)
        for r in index.related(speech.slug)
    ]
    return render_speech(
        speech, marks, concepts=concepts, related=related, tags=tags, layers=layers
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


def render_concept_map(speeches: Sequence[Speech], index: ConceptIndex | None) -> str:
    """docs/concepts.md: which speech uses which concept how often.

    One row per speech (newest first, its title in a sticky first column), one column per
    concept (names written vertically), each non-empty cell the number of occurrences on a
    background as dark as the count (classes ``pz-heat-1`` … ``pz-heat-5``), linked to the
    speech's section on the concept's page (``glossary/<id>.md#s-<slug>``, checked by
    MkDocs like any other anchor). HTML through md_in_html, so the links are ``.md``
    links; kept out of search (it is numbers and names found elsewhere).
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
        '<div class="pz-map-scroll" markdown="block" tabindex="0" role="region" '
        f'aria-label="{CONCEPT_MAP_TITLE}">',
        "",
        '<table class="pz-map" markdown="block">',
        '<thead markdown="block">',
        '<tr markdown="block">',
        '<th class="pz-map-corner" scope="col">讲话</th>',
    ]
    for term in shown:
        in_speeches, count = index.totals(term.id)
        tip = escape_attribute(f"{term.term}：{in_speeches} 篇讲话 · {count} 次")
        lines.append(
            f'<th scope="col" markdown="span">'
            f'[{render_inline(term.term)}]({term_page(term.id)} "{tip}")</th>'
        )
    lines += ["</tr>", "</thead>", '<tbody markdown="block">']
    for speech in ordered:
        counts = {tc.term.id: tc.count for tc in index.term_counts(speech.slug)}
        title = render_inline(display_title(speech))
        year = year_of(speech)
        date = f' <span class="pz-map-year">{year}</span>' if year else ""
        lines += [
            '<tr markdown="block">',
            # The title may be cut to two lines (pizhu.css): the whole of it on hover.
            f'<th scope="row" markdown="span">[{title}]({speech_page(speech)} '
            f'"{escape_attribute(display_title(speech))}"){date}</th>',
        ]
        for term in shown:
            count = counts.get(term.id, 0)
            if not count:
                lines.append("<td></td>")
                continue
            # No title on the cell: the row and column headers (th scope) say what it is,
            # and at 1,000 speeches a title per cell would double the page.
            href = f"{term_page(term.id)}#{speech_anchor(speech.slug)}"
            lines.append(
                f'<td class="pz-heat-{heat_level(count)}" markdown="span">[{count}]({href})</td>'
            )
        lines.append("</tr>")
    lines += ["</tbody>", "</table>", "", "</div>", ""]
    rest = columns[MAP_COLUMN_LIMIT:]
    if rest:
        links = "、".join(f"[{render_inline(t.term)}]({term_page(t.id)})" for t in rest)
        lines += [f"另有 {len(rest)} 个概念出现较少，表中未列出：{links}。", ""]
    return "\n".join(lines)
