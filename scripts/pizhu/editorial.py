"""The editor's notes (编者批注) and key sentences (金句) on a speech page (no I/O).

annotate.py has found them in the speech; here they become markup:

* in the text, the quoted words carry a quiet mark (``span.pz-anno``) followed by the
  note's number (``注N``, a link to the note) and the note itself (``span.pz-anno-note``,
  ``role="note"``): on a wide screen it stands in the margin beside its paragraph, on a
  phone it opens from its number (pizhu.css, pizhu-annotations.js). A key sentence
  carries its own mark (``span.pz-key``). Numbers and notes are ``data-pz-skip``: the
  reader's highlights and 复制引用 see only the speech's words (pizhu-notes-core.js), and
  the search index keeps the note apart from the paragraph's running text
  (search_html.py), so a phrase of the speech still matches across a note;
* a note on words of the title or a heading stands in a line of its own after it (a
  heading's text, and so its anchor and its line in the table of contents, stay the
  speech's words);
* near the top, the 金句 of the speech, each with a link to its paragraph; at the end, the
  collapsed 编者批注 list (number, paragraph, quote, note) and, on paper only, the notes
  as numbered footnotes.

Notes are plain text: escaped like the speech (render.py), glossary concepts linked.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .model import TITLE_BLOCK, Annotation, KeySentence, Speech
from .render import (
    PRINT_ONLY_CLASS,
    SEARCH_EXCLUDE_CLASS,
    Mark,
    Wrap,
    admonition,
    paragraph_anchor,
    render_inline,
    render_inline_html,
)

KEYS_TITLE = "金句"
NOTES_LIST_TITLE = "编者批注"
FOOTNOTES_TITLE = "编者批注"
NOTE_LABEL = "注{number}"
PARAGRAPH_LABEL = "第 {number} 段"
IN_TITLE_LABEL = "标题"
IN_HEADING_LABEL = "小标题"

ANNO_CLASS = "pz-anno"
KEY_CLASS = "pz-key"
NOTE_CLASS = "pz-anno-note"
REF_CLASS = "pz-anno-ref"

#: Glossary links for a text (a note): the site passes the linker's marks.
LinkNote = Callable[[str], Sequence[Mark]]


def note_id(number: int) -> str:
    return f"anno-{number}"


def key_id(number: int) -> str:
    """Key sentences are numbered in text order from 1, like notes."""
    return f"key-{number}"


def _no_links(text: str) -> Sequence[Mark]:
    return ()


def note_markup(
    annotation: Annotation, link: LinkNote = _no_links, *, as_html: bool = False
) -> str:
    """The note's number (a link that opens it) and the note, as inline Markdown (or, with
    ``as_html``, as finished HTML for a paragraph that bypasses Python-Markdown)."""
    number = annotation.number
    inline = render_inline_html if as_html else render_inline
    label = NOTE_LABEL.format(number=number)
    target = note_id(number)
    return (
        f'<a class="{REF_CLASS}" id="{target}-ref" href="#{target}" '
        f'aria-describedby="{target}" data-pz-skip="">'
        f"<sup>{label}</sup></a>"
        f'<span class="{NOTE_CLASS}" id="{target}" role="note" data-pz-skip="">'
        f'<span class="pz-anno-note__n">{label}</span> '
        f"{inline(annotation.note, link(annotation.note))}</span>"
    )


@dataclass(frozen=True)
class Editorial:
    """A speech's notes and key sentences, ready for render.render_speech."""

    speech: Speech
    link: LinkNote = _no_links

    def wraps(self, block: int) -> list[Wrap]:
        """The wraps of one block (or TITLE_BLOCK). In a paragraph a note's wrap brings
        its number and note along; in the title or a heading only the mark (see
        :meth:`after_block`)."""
        inline = block != TITLE_BLOCK and self.speech.blocks[block].kind == "paragraph"
        found: list[Wrap] = []
        for annotation in self.speech.annotations:
            if annotation.block == block:
                found.append(
                    Wrap(
                        annotation.start,
                        annotation.end,
                        f'<span class="{ANNO_CLASS}" data-pz-anno="{annotation.number}">',
                        "</span>",
                        note_markup(annotation, self.link) if inline else "",
                        note_markup(annotation, self.link, as_html=True) if inline else "",
                    )
                )
        for number, key in enumerate(self.speech.key_sentences, 1):
            if key.block == block:
                found.append(
                    Wrap(
                        key.start,
                        key.end,
                        f'<span class="{KEY_CLASS}" id="{key_id(number)}">',
                        "</span>",
                    )
                )
        return found

    def after_block(self, block: int) -> str:
        """The notes on words of the title or a heading: a line after it ("" if none)."""
        if block != TITLE_BLOCK and self.speech.blocks[block].kind == "paragraph":
            return ""
        notes = [a for a in self.speech.annotations if a.block == block]
        if not notes:
            return ""
        return " ".join(note_markup(a, self.link) for a in notes) + "\n{: .pz-heading-notes }"

    def top(self) -> str:
        """金句 near the top of the speech, each linked to where it stands ("" if none)."""
        if not self.speech.key_sentences:
            return ""
        items = [
            f"- {render_inline(quoted(key.text))}　[{_where(key)}](#{_key_target(key, number)})"
            for number, key in enumerate(self.speech.key_sentences, 1)
        ]
        return admonition(f"quote pz-keys {SEARCH_EXCLUDE_CLASS}", KEYS_TITLE, items)

    def bottom(self) -> str:
        """The collapsed 编者批注 list and the print-only footnotes ("" if no note)."""
        notes = self.speech.annotations
        if not notes:
            return ""
        items = [
            f"- **{NOTE_LABEL.format(number=a.number)}**　[{_where(a)}](#{_note_target(a)})　"
            f"{render_inline(quoted(a.quote))}　{render_inline(a.note)}"
            for a in notes
        ]
        listing = admonition(
            f"note pz-annos {SEARCH_EXCLUDE_CLASS}",
            f"{NOTES_LIST_TITLE}（{len(notes)} 条）",
            items,
            collapsed=True,
        )
        footnotes = [
            f'<div class="pz-anno-footnotes {PRINT_ONLY_CLASS} {SEARCH_EXCLUDE_CLASS}" markdown '
            "data-search-exclude>",
            "",
            f"**{FOOTNOTES_TITLE}**",
            "",
        ]
        footnotes += [
            f"- {NOTE_LABEL.format(number=a.number)}　{render_inline(quoted(a.quote))}"
            f"（{_where(a)}）　{render_inline(a.note)}"
            for a in notes
        ]
        footnotes += ["", "</div>", ""]
        return listing + "\n" + "\n".join(footnotes)


def quoted(text: str) -> str:
    """Words set in “…”, their own double quotes turned single (‘…’) as Chinese nests them.

    >>> quoted("根本标准就是“是否安全”")
    '“根本标准就是‘是否安全’”'
    """
    return "“" + text.replace("“", "‘").replace("”", "’") + "”"


def _where(item: Annotation | KeySentence) -> str:
    if item.paragraph is not None:
        return PARAGRAPH_LABEL.format(number=item.paragraph)
    return IN_TITLE_LABEL if item.block == TITLE_BLOCK else IN_HEADING_LABEL


def _note_target(annotation: Annotation) -> str:
    if annotation.paragraph is not None:
        return paragraph_anchor(annotation.paragraph)
    return f"{note_id(annotation.number)}-ref"


def _key_target(key: KeySentence, number: int) -> str:
    return paragraph_anchor(key.paragraph) if key.paragraph is not None else key_id(number)
