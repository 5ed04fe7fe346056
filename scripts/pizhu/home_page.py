"""index.md, the home page: what the site holds (speeches, notes, concepts and the most used
ones), the newest speeches, and how to read, search, cite, use it offline and print it.

The page's prose is a Markdown template (templates/home.md, ``${name}`` placeholders,
string.Template); the parts computed from the corpus are made here, source text through
render.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from string import Template

from .glossary import Term
from .model import Speech
from .occurrences import ConceptIndex
from .render import display_title, format_date, render_inline
from .site import (
    CONCEPT_MAP,
    CONCEPT_MAP_TITLE,
    GLOSSARY_TITLE,
    HOME_LIST_LENGTH,
    HOME_TOP_CONCEPTS,
    KEYS_PAGE,
    SITE_NAME,
    SPEECHES_INDEX,
    TAGS_PAGE,
    TAGS_TITLE,
    sort_speeches,
    speech_page,
    term_page,
)

TEMPLATE = Path(__file__).with_name("templates") / "home.md"


def holdings(speeches: Sequence[Speech], index: ConceptIndex | None) -> list[str]:
    """The 收录情况 list: speeches and characters, notes and key sentences, concepts."""
    total_chars = sum(s.char_count for s in speeches)
    truncated = sum(1 for s in speeches if s.truncated)
    lines = [f"- 讲话 **{len(speeches)}** 篇，正文共 **{total_chars:,}** 字"]
    if truncated:
        lines.append(f"- 其中 {truncated} 篇原文不完整，页面顶部有提示")
    notes = sum(len(s.annotations) for s in speeches)
    keys = sum(len(s.key_sentences) for s in speeches)
    if notes or keys:
        lines.append(
            f"- 编者批注 **{notes}** 条，[金句]({KEYS_PAGE}) **{keys}** 句"
            "（正文中以浅色底纹和下划线标出）"
        )
    if index is not None and len(index.glossary):
        usage = [index.totals(term.id) for term in index.glossary]
        used = [count for _, count in usage if count]
        lines.append(
            f"- 概念 **{len(index.glossary)}** 个，其中 **{len(used)}** 个在讲话中出现，"
            f"共 **{sum(used):,}** 处"
        )
    return lines


def top_concepts(index: ConceptIndex | None) -> list[str]:
    """最常用的概念: most occurrences first; ties: more speeches, then glossary order."""
    if index is None or not len(index.glossary):
        return []
    usage: list[tuple[Term, int, int]] = [(term, *index.totals(term.id)) for term in index.glossary]
    used = [item for item in usage if item[2]]
    top = sorted(used, key=lambda item: (-item[2], -item[1]))[:HOME_TOP_CONCEPTS]
    if not top:
        return []
    lines = ["## 最常用的概念", "", '<div class="pz-chips" markdown>', ""]
    for term, in_speeches, count in top:
        lines.append(
            f"- [{render_inline(term.term)}]({term_page(term.id)}) "
            f'<span class="pz-count">{in_speeches} 篇 · {count} 次</span>'
        )
    lines += ["", "</div>", "", f"全部概念见[{GLOSSARY_TITLE}](glossary/index.md)页。", ""]
    return lines


def newest(speeches: Sequence[Speech]) -> list[str]:
    """最新讲话: the newest HOME_LIST_LENGTH speeches and a link to all of them."""
    shown = sort_speeches(speeches)[:HOME_LIST_LENGTH]
    if not shown:
        return []
    lines = ["## 最新讲话", ""]
    for speech in shown:
        date = format_date(speech.date)
        suffix = f"（{date}）" if date else ""
        lines.append(f"- [{render_inline(display_title(speech))}]({speech_page(speech)}){suffix}")
    lines += [f"- [全部 {len(speeches)} 篇 →]({SPEECHES_INDEX})", ""]
    return lines


def render_home(speeches: Sequence[Speech], index: ConceptIndex | None = None) -> str:
    """The Markdown of index.md."""

    def block(lines: list[str]) -> str:
        return "".join(f"{line}\n" for line in lines)

    return Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        site_name=SITE_NAME,
        holdings="\n".join(holdings(speeches, index)),
        tags_title=TAGS_TITLE,
        tags_page=TAGS_PAGE,
        concept_map_title=CONCEPT_MAP_TITLE,
        concept_map=CONCEPT_MAP,
        glossary_title=GLOSSARY_TITLE,
        top_concepts=block(top_concepts(index)),
        newest=block(newest(speeches)),
    )
