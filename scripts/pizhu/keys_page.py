"""key-sentences.md: every 金句 of the site, grouped by speech (newest first), each linked to
its paragraph, filterable by the concepts it contains (no I/O).

The filter is a ``<select>`` that pizhu-annotations.js shows and applies (``hidden``
without JavaScript: the page is then the full list). A sentence's concepts are the
glossary occurrences inside it (occurrences.py), so the filter agrees with the links.
The page is left out of the search index: the sentences are found on their speech page,
at their paragraph.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from .editorial import key_id, quoted
from .index_page import FILTER_ALL
from .model import TITLE_BLOCK, KeySentence, Speech
from .occurrences import ConceptIndex
from .render import display_title, escape_html, format_date, paragraph_anchor, render_inline
from .site import sort_speeches, speech_page

KEYS_PAGE_TITLE = "金句"
KEYS_NONE = (
    "还没有标注金句。编者在讲话的附加文件（`sources/<讲话>.yml`）的 `key_sentences` 下"
    "写出句子即可；`python scripts/build.py quotes 文件` 可给出候选句。"
)
KEYS_EMPTY_FILTER = "没有含这个概念的金句。"


def sentence_concepts(speech: Speech, key: KeySentence, index: ConceptIndex | None) -> list[str]:
    """Ids of the concepts that occur inside a key sentence, in text order, once each."""
    if index is None:
        return []
    found = [
        o.term_id
        for o in index.in_speech(speech.slug)
        if o.block == key.block and key.start <= o.start and o.end <= key.end
    ]
    return list(dict.fromkeys(found))


def _target(speech: Speech, key: KeySentence, number: int) -> str:
    anchor = paragraph_anchor(key.paragraph) if key.paragraph is not None else key_id(number)
    return f"{speech_page(speech)}#{anchor}"


def _where(key: KeySentence) -> str:
    if key.paragraph is not None:
        return f"第 {key.paragraph} 段"
    return "标题" if key.block == TITLE_BLOCK else "小标题"


def render_keys_page(speeches: Sequence[Speech], index: ConceptIndex | None) -> str:
    """The Markdown of key-sentences.md."""
    ordered = [s for s in sort_speeches(speeches) if s.key_sentences]
    total = sum(len(s.key_sentences) for s in ordered)
    lines = [
        "---",
        f"title: {KEYS_PAGE_TITLE}",
        "search:",
        "  exclude: true",
        "---",
        f"# {KEYS_PAGE_TITLE}",
        "",
    ]
    if not ordered:
        return "\n".join([*lines, KEYS_NONE, "{: .pz-lead }", ""])
    lines += [
        f"{len(ordered)} 篇讲话中的 **{total}** 句金句，按讲话从新到旧排列；"
        "点击段落号回到讲话中的原处。",
        "{: .pz-lead }",
        "",
    ]
    per_sentence: dict[tuple[str, int], list[str]] = {}
    usage: Counter[str] = Counter()
    for speech in ordered:
        for number, key in enumerate(speech.key_sentences, 1):
            concepts = sentence_concepts(speech, key, index)
            per_sentence[speech.slug, number] = concepts
            usage.update(concepts)
    if index is not None and usage:
        ranked = sorted(usage, key=lambda term_id: -usage[term_id])  # stable: first seen
        options = [f'<option value="">{FILTER_ALL}</option>'] + [
            f'<option value="{escape_html(term_id)}">'
            f"{escape_html(index.terms[term_id].term)}（{usage[term_id]}）</option>"
            for term_id in ranked
        ]
        lines += [
            '<form class="pz-filter pz-keys-filter" data-search-exclude hidden>'
            '<label class="pz-filter__field"><span class="pz-filter__label">概念</span>'
            f'<select name="concept" data-pz-keys-filter>{"".join(options)}</select></label>'
            '<p class="pz-filter__status"><output class="pz-filter__count" aria-live="polite">'
            "</output></p></form>",
            "",
            f'<p class="pz-filter-empty" hidden>{KEYS_EMPTY_FILTER}</p>',
            "",
        ]
    for speech in ordered:
        meta = [m for m in (speech.speaker, format_date(speech.date)) if m]
        lines += [
            '<div class="pz-keys-group" markdown>',
            "",
            f"## [{render_inline(display_title(speech))}]({speech_page(speech)})",
            "",
        ]
        if meta:
            lines += [render_inline(" · ".join(meta)), "{: .pz-keys-meta }", ""]
        lines.append('<ul class="pz-keys-list" markdown="block">')
        for number, key in enumerate(speech.key_sentences, 1):
            concepts = escape_html(" ".join(per_sentence[speech.slug, number]))
            lines.append(
                f'<li markdown="span" data-pz-concepts="{concepts}">{render_inline(quoted(key.text))}　'
                f"[{_where(key)}]({_target(speech, key, number)})</li>"
            )
        lines += ["</ul>", "", "</div>", ""]
    return "\n".join(lines)
