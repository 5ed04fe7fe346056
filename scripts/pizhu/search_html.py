"""A page's content HTML -> the documents of Pizhu's search index (no I/O).

The MkDocs hook calls :func:`page_documents` in ``on_page_content`` with ``page.content``:
the HTML that Python-Markdown made of the page, before the theme wraps navigation around
it. One page gives:

* the **page** document (anchor ``""``): the page title (the first ``<h1>``, else the
  title MkDocs knows) and the page's introduction: every text before the first section
  heading that is not in an anchored paragraph;
* one **paragraph** document per anchored paragraph (``<p id="p-12">``, the speech body):
  no title of its own, the result list shows the title of the section it is in;
* one **section** document per ``<h2>``/``<h3>`` with an id: the heading as title and the
  section's text that is not in anchored paragraphs. Deeper headings stay in the text.

Left out: permalinks, footnote numbers, the paragraph number links, scripts and form
controls, and (as in Material's search) any element with ``data-search-exclude`` or class
``pz-search-exclude``; a heading with one takes its whole section along.

``text`` is plain text (tags stripped, entities decoded), ``"\\n"`` between blocks, so a
phrase never matches across two list items, table cells or paragraphs.

The markup is read with a small tokenizer instead of ``html.parser``: the input is
generated (Python-Markdown's serializer, the site's own templates), and at 1,000
speeches a full HTML parser costs several seconds per build. Unclosed and stray tags are
tolerated the way a browser would: a block start closes an open ``<p>``, an end tag
without a start is ignored.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from html import unescape
from types import MappingProxyType

#: Ids of the paragraphs of a speech (render.py: ``text\n{: #p-12 }``).
PARAGRAPH_ID = re.compile(r"p-\d+")

#: Headings that start a section document; deeper headings stay in their section's text.
SECTION_TAGS = frozenset({"h2", "h3"})

#: Class that keeps an element (with a heading: its section) out of the index. Material's
#: ``data-search-exclude`` is honoured too; generated blocks carry both.
EXCLUDE_CLASS = "pz-search-exclude"
EXCLUDE_ATTRIBUTE = "data-search-exclude"

# Chrome inside the content that is not text of the page: permalink "¶", footnote
# back-references "↩", footnote reference numbers (维护¹稳定 must still match 维护稳定),
# Material's edit/view buttons and "last updated" line, and our paragraph number link at
# the start of each paragraph (render.py: "[12](#p-12){ .pz-pn }": paragraph 3 starting
# "0年来" would otherwise match 30年来).
SKIP_CLASSES = frozenset(
    {
        "headerlink",
        "footnote-backref",
        "footnote-ref",
        "md-content__button",
        "md-source-file",
        "pz-pn",
        "pz-anno-ref",
        "pz-anno-note__n",
    }
)
#: Text of a paragraph that is not its running text (an editor's note inside it,
#: editorial.py): indexed with the paragraph, after its text and apart from it, so a
#: phrase of the speech still matches across the note and the note leads to its paragraph.
ASIDE_CLASSES = frozenset({"pz-anno-note"})
SKIP_TAGS = frozenset(
    {"script", "style", "template", "noscript", "svg", "button", "input", "select", "textarea"}
)
# Their content is raw text up to the end tag (no markup inside).
_RAW_TEXT_TAGS = frozenset({"script", "style", "textarea", "title"})
_VOID_TAGS = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }
)
# Elements whose boundaries separate text: no phrase matches across them.
BLOCK_TAGS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "caption",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    }
)

# A tag, a comment, a doctype or a processing instruction. Quoted attribute values may
# contain ">".
_MARKUP = re.compile(
    r"""<(?:
        (?P<end>/)?(?P<tag>[A-Za-z][A-Za-z0-9:-]*)
            (?P<attrs>(?:[^>"']|"[^"]*"|'[^']*')*)>
        | !--.*?(?:-->|\Z)
        | [!?][^>]*(?:>|\Z)
    )""",
    re.VERBOSE | re.DOTALL,
)
_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_RAW_TEXT_END = {tag: re.compile(f"</{tag}", re.IGNORECASE) for tag in _RAW_TEXT_TAGS}
_BREAK = "\x00"  # a block boundary while collecting text; becomes "\n"
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Document:
    """One searchable unit of a page.

    ``anchor`` is ``""`` for the page itself, else the element id the result links to.
    ``title`` is the page title (page), the heading (section) or None (a paragraph: the
    result list shows the title of its section).
    """

    anchor: str
    title: str | None
    text: str


def plain_text(parts: list[str]) -> str:
    """Collected text -> plain text: one line per block, inner whitespace collapsed."""
    lines = (_SPACE.sub(" ", line).strip() for line in "".join(parts).split(_BREAK))
    return "\n".join(line for line in lines if line)


@functools.lru_cache(maxsize=8192)
def _attributes(raw: str) -> Mapping[str, str]:
    """An element's attributes (cached, read-only: a concept link's or a redaction's are
    the same hundreds of times)."""
    found: dict[str, str] = {}
    for match in _ATTRIBUTE.finditer(raw):
        name = match.group(1).lower()
        value = next((v for v in match.group(2, 3, 4) if v is not None), "")
        found.setdefault(name, unescape(value) if "&" in value else value)
    return MappingProxyType(found)


class _Section:
    """A document being collected: its anchor, title and text parts."""

    __slots__ = ("anchor", "asides", "parts", "title")

    def __init__(self, anchor: str, title: str | None) -> None:
        self.anchor = anchor
        self.title = title
        self.parts: list[str] = []
        self.asides: list[str] = []  # text set apart (ASIDE_CLASSES), after the text

    def document(self) -> Document:
        return Document(self.anchor, self.title, plain_text([*self.parts, _BREAK, *self.asides]))


# What to do when an open element closes.
_INLINE, _BLOCK, _SKIP, _PARAGRAPH, _TITLE, _HEADING, _ASIDE = range(7)


class _Walker:
    """Splits one page's content into page, section and paragraph documents."""

    def __init__(self, paragraph_id: re.Pattern[str]) -> None:
        self.paragraph_id = paragraph_id
        self.page = _Section("", None)
        self.sections: list[_Section] = [self.page]
        self.section = self.page  # where text outside anchored paragraphs goes
        self.sink = self.page.parts
        self.outer: list[list[str]] = []  # sinks to return to (paragraphs, titles)
        self.excluding = False  # inside a section whose heading is excluded
        self.stack: list[tuple[str, int]] = []  # open elements: (tag, what to do at close)
        self.skipping = 0  # depth in the stack of the outermost skipped element, or 0
        self.title_found = False
        self.heading: _Section | None = None  # section whose heading text is being read
        self.paragraph: _Section | None = None  # the anchored paragraph being read

    # -- tokens -------------------------------------------------------------------------

    def feed(self, html: str) -> None:
        position = 0
        while (match := _MARKUP.search(html, position)) is not None:
            if match.start() > position and not self.skipping:
                self.text(html[position : match.start()])
            position = match.end()
            tag = match.group("tag")
            if tag is None:
                continue  # comment, doctype, processing instruction
            tag = tag.lower()
            if match.group("end"):
                self.end(tag)
                continue
            self.start(tag, match.group("attrs"))
            if tag in _RAW_TEXT_TAGS:
                close = _RAW_TEXT_END[tag].search(html, position)
                position = len(html) if close is None else close.start()
        if position < len(html) and not self.skipping:
            self.text(html[position:])

    def text(self, data: str) -> None:
        self.sink.append(unescape(data) if "&" in data else data)

    def start(self, tag: str, raw_attributes: str) -> None:
        void = tag in _VOID_TAGS or raw_attributes.rstrip().endswith("/")
        if self.skipping:
            if not void:
                self.stack.append((tag, _SKIP))
            return
        attrs = _attributes(raw_attributes) if raw_attributes.strip() else {}
        if tag in BLOCK_TAGS:
            self.close_paragraph()
        classes = set(attrs.get("class", "").split())
        excluded = EXCLUDE_ATTRIBUTE in attrs or EXCLUDE_CLASS in classes
        element_id = attrs.get("id", "")
        block = tag in BLOCK_TAGS
        if tag in SECTION_TAGS and element_id:
            # As in Material, an excluded heading excludes its whole section.
            self.section = _Section(element_id, "")
            self.excluding = excluded
            if not excluded:
                self.sections.append(self.section)
            self.sink = self.section.parts
            action = _HEADING
        elif tag in SKIP_TAGS or classes & SKIP_CLASSES or excluded:
            action = _SKIP
        elif tag == "h1" and not self.title_found:
            self.title_found = True
            action = _TITLE
        elif self.paragraph_id.fullmatch(element_id):
            paragraph = _Section(element_id, None)
            if not self.excluding:
                self.sections.append(paragraph)
            self.sink.append(_BREAK)  # the paragraph splits the text around it
            action = _PARAGRAPH
            self.outer.append(self.sink)
            self.sink = paragraph.parts
            self.paragraph = paragraph
        elif classes & ASIDE_CLASSES:
            owner = self.paragraph or self.section
            self.outer.append(self.sink)
            self.sink = owner.asides
            self.sink.append(_BREAK)
            action = _ASIDE
        else:
            action = _BLOCK if block else _INLINE
            if block:
                self.sink.append(_BREAK)
        if void:
            if action == _BLOCK:
                self.sink.append(_BREAK)
            return
        if action in (_TITLE, _HEADING):
            self.outer.append(self.sink)
            self.sink = []
        self.stack.append((tag, action))
        if action == _SKIP:
            self.skipping = len(self.stack)

    def end(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                while len(self.stack) > depth:
                    self.close()
                return

    def close_paragraph(self) -> None:
        """A block start closes an open <p> (and what is open inside it), as in a browser."""
        for depth in range(len(self.stack) - 1, -1, -1):
            tag = self.stack[depth][0]
            if tag == "p":
                while len(self.stack) > depth:
                    self.close()
                return
            if tag in BLOCK_TAGS:
                return

    def close(self) -> None:
        _tag, action = self.stack.pop()
        if self.skipping > len(self.stack):
            self.skipping = 0
            return
        if action == _BLOCK:
            self.sink.append(_BREAK)
        elif action == _PARAGRAPH:
            self.sink = self.outer.pop()
            self.sink.append(_BREAK)
            self.paragraph = None
        elif action == _ASIDE:
            self.sink.append(_BREAK)
            self.sink = self.outer.pop()
        elif action in (_TITLE, _HEADING):
            title = plain_text(self.sink).replace("\n", " ")
            self.sink = self.outer.pop()
            if action == _TITLE:
                self.page.title = title
                self.sink.append(_BREAK)
            else:
                self.section.title = title
                self.sink = self.section.parts

    def finish(self) -> list[Document]:
        while self.stack:
            self.close()
        return [section.document() for section in self.sections]


# The inline elements a speech page has hundreds of (a concept link, a redaction), as the
# generator writes them: nothing in the index depends on them but their text, so they are
# unwrapped at C speed before the walk (tests/test_search_index.py: the same documents).
_UNWRAP = (
    re.compile(r'<span class="pz-redact"[^<>]*>([^<]*)</span>'),
    re.compile(r'<a class="pz-term"[^<>]*>([^<]*)</a>'),
)


def unwrap_inline(content: str) -> str:
    """``content`` without the tags of concept links and redactions, their text kept.

    >>> unwrap_inline('<p>学习<a class="pz-term" href="x.html"><span class="pz-redact">XX</span>思想</a></p>')
    '<p>学习XX思想</p>'
    """
    for pattern in _UNWRAP:
        content = pattern.sub(r"\1", content)
    return content


def page_documents(
    content: str,
    *,
    title: str = "",
    paragraph_id: re.Pattern[str] = PARAGRAPH_ID,
    unwrap: bool = True,
) -> list[Document]:
    """The documents of one page's content HTML; the first is the page itself.

    ``title`` is used when the content has no ``<h1>`` (Material then shows
    ``page.title`` as the heading). ``unwrap=False``: walk every tag (the tests compare).

    >>> [d.anchor for d in page_documents('<h1>标题</h1><p id="p-1">三会一课</p>')]
    ['', 'p-1']
    """
    walker = _Walker(paragraph_id)
    walker.feed(unwrap_inline(content) if unwrap else content)
    documents = walker.finish()
    if not walker.title_found or not documents[0].title:
        page = documents[0]
        documents[0] = Document(page.anchor, _SPACE.sub(" ", title).strip(), page.text)
    return documents
