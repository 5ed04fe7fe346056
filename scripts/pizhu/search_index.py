"""Our own search index: exact-phrase search over the built site, from file:// too.

Material's built-in search (lunr + jieba) splits a query such as 三会一课 into 三会 + 一 and
returns pages that do not contain the phrase. Readers search phrases they heard in a meeting,
so Pizhu replaces Material's search worker (overrides/assets/javascripts/pizhu-search-worker.js)
with a plain substring search, and this module writes the index that worker reads.

The index keeps Material's ``SearchIndex`` shape, ``{"config": {...}, "docs": [...]}``, so
Material's bundle loads it unchanged (``search/search_index.json`` over HTTP,
``search/search_index.js`` = ``var __index = …;`` from file://). The documents differ:

* one **page** document per page, ``{"location": "x.html", "title", "text"}``: the group
  parent in the result list. ``text`` is the page's introduction (everything before the
  first section heading that is not an anchored paragraph), in full, because it is searched.
* one **paragraph** document per anchored paragraph (``<p id="p-12">``, the speech body):
  ``{"location": "x.html#p-12", "text"}``. It has no ``title``: the worker shows the title of
  the section it is in (or the page title) and does not search it, so a heading is counted
  once, not once per paragraph, and the index does not repeat it (about 20 % smaller).
* one **section** document per ``<h2>``/``<h3>`` with an id: ``{"location": "x.html#id",
  "title": heading text, "text": the section's text that is not in anchored paragraphs}``.

Left out: permalinks, footnote numbers, scripts, and (as in Material) any element with
``data-search-exclude`` or class ``pz-search-exclude``, a heading with it taking its whole
section along; pages Material's own search excluded (``search: exclude: true``) and
``404.html``.

``text`` is plain text (tags stripped, entities decoded; the worker escapes it), with ``"\\n"``
between blocks so that a phrase never matches across two list items or table cells. The JSON
is written with ``ensure_ascii=False``: Material's index escapes every CJK character as
``\\uXXXX`` and is twice the size of its text.

``build_index`` is pure; ``write_index`` is the I/O edge, called from the MkDocs hook's
``on_post_build`` (after Material's search plugin, which it overwrites).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from .atomic import write_atomic

#: Version of the document layout above; the worker checks nothing, tests and tools may.
INDEX_FORMAT = 1

#: The part of a built page that is indexed (Material's ``partials/content.html``).
CONTENT_CLASS = "md-content__inner"

#: Ids of the paragraphs of a speech, rendered from ``text\n{: #p-12 }``.
PARAGRAPH_ID = re.compile(r"p-\d+")

#: Headings that start a section document; deeper headings stay in their section's text.
SECTION_TAGS = frozenset({"h2", "h3"})

#: Separator handed to Material's page highlighter (``?h=`` after a result click, feature
#: ``search.highlight``): whitespace only, so a phrase with punctuation stays one phrase.
DEFAULT_SEPARATOR = r"[\s\u200b\u3000\-]+"

DEFAULT_LANG = ("zh",)

#: Class that keeps an element (with a heading: its section) out of the index. Material's
#: ``data-search-exclude`` works only when it has no value: Material deletes the attribute
#: with a value (which is what ``<div markdown data-search-exclude>`` becomes) from the
#: page before writing it, so generated blocks carry this class as well.
EXCLUDE_CLASS = "pz-search-exclude"

#: Pages never indexed (Material's search leaves them out too).
EXCLUDED_PAGES = frozenset({"404.html"})

# Chrome inside the article that is not text of the page: permalink "¶", footnote
# back-references "↩", footnote reference numbers (维护¹稳定 must still match 维护稳定),
# Material's edit/view buttons and its "last updated" line, and our paragraph number link
# at the start of each paragraph (render.py: "[12](#p-12){ .pz-pn }"; kept, paragraph 3
# starting "0年来" would match 30年来).
_SKIP_CLASSES = frozenset(
    {
        "headerlink",
        "footnote-backref",
        "footnote-ref",
        "md-content__button",
        "md-source-file",
        "pz-pn",
    }
)
_SKIP_TAGS = frozenset(
    {"script", "style", "template", "noscript", "svg", "button", "input", "select", "textarea"}
)
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
_BLOCK_TAGS = frozenset(
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
_BREAK = "\x00"  # block boundary while collecting text; becomes "\n"
_SPACE = re.compile(r"\s+")
_TAGS = re.compile(r"<[^>]*>")


# --------------------------------------------------------------------------- HTML tree


@dataclass
class _Element:
    tag: str
    attrs: dict[str, str]
    children: list[_Element | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())


class _TreeBuilder(HTMLParser):
    """A tolerant tree of the (well-formed, generated) HTML; entities are decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Element("#root", {})
        self._stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self._close_paragraph()
        element = _Element(tag, {name: value or "" for name, value in attrs})
        self._stack[-1].children.append(element)
        if tag not in _VOID_TAGS:
            self._stack.append(element)

    def _close_paragraph(self) -> None:
        """A block start closes an open <p> (and what is open inside it), as in a browser."""
        for depth in range(len(self._stack) - 1, 0, -1):
            tag = self._stack[depth].tag
            if tag == "p":
                del self._stack[depth:]
                return
            if tag in _BLOCK_TAGS:
                return

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._stack[-1].children.append(_Element(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self._stack) - 1, 0, -1):
            if self._stack[depth].tag == tag:
                del self._stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self._stack[-1].children.append(data)


def _parse(html: str) -> _Element:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def _find(element: _Element, predicate: Any) -> _Element | None:
    """The first element (document order) that satisfies predicate."""
    pending: list[_Element] = [element]
    while pending:
        current = pending.pop()
        if predicate(current):
            return current
        pending.extend(
            reversed([child for child in current.children if isinstance(child, _Element)])
        )
    return None


def _plain(parts: Iterable[str]) -> str:
    """Collected text -> plain text: one line per block, inner whitespace collapsed."""
    lines = (_SPACE.sub(" ", line).strip() for line in "".join(parts).split(_BREAK))
    return "\n".join(line for line in lines if line)


# --------------------------------------------------------------------------- documents


@dataclass
class _Doc:
    location: str
    title: str | None  # None: a paragraph, shown under its section's title
    parts: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, str]:
        doc = {"location": self.location}
        if self.title is not None:
            doc["title"] = self.title
        doc["text"] = _plain(self.parts)
        return doc


class _PageWalker:
    """Splits one page's content into page, section and paragraph documents."""

    def __init__(self, location: str, paragraph_id: re.Pattern[str]) -> None:
        self.location = location
        self.paragraph_id = paragraph_id
        self.page = _Doc(location, "")
        self.docs: list[_Doc] = [self.page]
        self.section = self.page  # where text outside anchored paragraphs goes
        self.sink = self.page.parts
        self.title_found = False
        self.excluding = False  # inside a section whose heading is data-search-exclude

    def walk(self, element: _Element) -> None:
        for child in element.children:
            if isinstance(child, str):
                self.sink.append(child)
            else:
                self.visit(child)

    def visit(self, element: _Element) -> None:
        element_id = element.attrs.get("id", "")
        excluded = "data-search-exclude" in element.attrs or EXCLUDE_CLASS in element.classes
        if element.tag in SECTION_TAGS and element_id:
            # As in Material, an excluded heading excludes its whole section.
            self.section = _Doc(f"{self.location}#{element_id}", self.text_of(element))
            self.excluding = excluded
            if not excluded:
                self.docs.append(self.section)
            self.sink = self.section.parts
        elif element.tag in _SKIP_TAGS or element.classes & _SKIP_CLASSES or excluded:
            return
        elif element.tag == "h1" and not self.title_found:
            self.title_found = True
            self.page.title = self.text_of(element)
        elif self.paragraph_id.fullmatch(element_id):
            paragraph = _Doc(f"{self.location}#{element_id}", None)
            if not self.excluding:
                self.docs.append(paragraph)
            self.sink.append(_BREAK)  # the paragraph splits the text around it
            outer, self.sink = self.sink, paragraph.parts
            self.walk(element)
            self.sink = outer
            self.sink.append(_BREAK)
        else:
            block = element.tag in _BLOCK_TAGS
            if block:
                self.sink.append(_BREAK)
            self.walk(element)
            if block:
                self.sink.append(_BREAK)

    def text_of(self, element: _Element) -> str:
        outer, self.sink = self.sink, []
        self.walk(element)
        text, self.sink = _plain(self.sink).replace("\n", " "), outer
        return text


_ARTICLE_START = re.compile(r"<article\b[^>]*\bclass=\"[^\"]*\b" + CONTENT_CLASS + r"\b[^>]*>")
_ARTICLE_TAG = re.compile(r"<(/?)article\b", re.IGNORECASE)
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def _content_html(html: str) -> str:
    """The article of a built page, cut out before parsing.

    Every built page carries the whole navigation (at 1,000 speeches that is most of its
    bytes), so parsing only the article keeps indexing linear in the size of the corpus.
    A page without Material's article (a fragment, a test) is returned whole.
    """
    start = _ARTICLE_START.search(html)
    if start is None:
        return html
    depth = 1
    for tag in _ARTICLE_TAG.finditer(html, start.end()):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return html[start.start() : tag.end()] + ">"
    return html[start.start() :]


def _page_docs(location: str, html: str, paragraph_id: re.Pattern[str]) -> list[dict[str, str]]:
    root = _parse(_content_html(html))
    content = (
        _find(root, lambda el: el.tag == "article" and CONTENT_CLASS in el.classes)
        or _find(root, lambda el: el.tag == "body")
        or root
    )
    walker = _PageWalker(location, paragraph_id)
    walker.walk(content)
    if not walker.title_found:
        head_title = _TITLE.search(html)
        title = _plain([unescape(_TAGS.sub("", head_title.group(1)))]) if head_title else ""
        walker.page.title = title.replace("\n", " ") or location
    return [doc.to_json() for doc in walker.docs]


def build_index(pages: Sequence[tuple[str, str]], config: dict[str, Any]) -> dict[str, Any]:
    """Turn built pages into Pizhu's search index (Material's ``SearchIndex`` shape).

    ``pages`` are ``(location, html)`` pairs in the order results should break ties, with
    ``location`` relative to the site root (``"speeches/x.html"``) and ``html`` either a
    whole built page (only ``<article class="md-content__inner">`` is read) or a fragment.
    ``config`` may set ``lang`` (list of codes, default ``["zh"]``), ``separator`` (regex for
    Material's page highlighter) and ``paragraph_id`` (regex for paragraph anchors, default
    ``p-\\d+``); other keys are ignored.

    >>> index = build_index([("a.html", '<h1>标题</h1><p id="p-1">三会一课</p>')], {})
    >>> index["docs"]
    [{'location': 'a.html', 'title': '标题', 'text': ''}, {'location': 'a.html#p-1', 'text': '三会一课'}]
    """
    paragraph_id = re.compile(config.get("paragraph_id", PARAGRAPH_ID.pattern))
    docs: list[dict[str, str]] = []
    for location, html in pages:
        docs.extend(_page_docs(location, html, paragraph_id))
    return {
        "config": {
            "lang": list(config.get("lang") or DEFAULT_LANG),
            "separator": config.get("separator") or DEFAULT_SEPARATOR,
            "pipeline": [],
            "fields": {},
            "pizhu": INDEX_FORMAT,
        },
        "docs": docs,
    }


# --------------------------------------------------------------------------- I/O edge


def index_json(index: dict[str, Any]) -> str:
    """The index as compact JSON, CJK unescaped (a third of the bytes of ``\\uXXXX``)."""
    return json.dumps(index, ensure_ascii=False, separators=(",", ":"))


def index_script(index: dict[str, Any]) -> str:
    """``search_index.js`` for file://: Material's bundle loads it and reads ``__index``.

    U+2028/U+2029 are legal in JSON strings but ended a line in JavaScript before ES2019.
    """
    data = index_json(index).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"var __index = {data};\n"


def _material_index(search_dir: Path) -> dict[str, Any] | None:
    """The index Material's search plugin wrote, or None (plugin off, or already ours)."""
    try:
        data = json.loads((search_dir / "search_index.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("config"), dict):
        return None
    return None if "pizhu" in data["config"] else data


def _material_locations(material: dict[str, Any] | None) -> set[str] | None:
    """Pages Material's search plugin indexed (it honours ``search: exclude: true``).

    None when unknown: no index from Material, or one without documents.
    """
    if material is None or not material.get("docs"):
        return None
    return {str(doc.get("location", "")).split("#")[0] for doc in material["docs"]}


def collect_pages(site_dir: Path, material: dict[str, Any] | None = None) -> list[tuple[str, str]]:
    """The built pages to index, in a stable order: (site-relative location, html).

    ``material`` is Material's own index, if any: pages it left out are left out.
    """
    indexed = _material_locations(material)
    pages: list[tuple[str, str]] = []
    for path in sorted(site_dir.rglob("*.html")):
        location = path.relative_to(site_dir).as_posix()
        if location in EXCLUDED_PAGES or location.startswith("search/"):
            continue
        if indexed is not None and not ({location, _home_alias(location)} & indexed):
            continue
        html = path.read_text(encoding="utf-8")
        if CONTENT_CLASS not in html:
            continue  # a redirect or a bare HTML file, not a Material page
        pages.append((location, html))
    return pages


def _copy_boosts(index: dict[str, Any], material: dict[str, Any] | None) -> None:
    """Carry each page's ``search: boost`` (front matter, in Material's index) over to our
    page docs; the worker ranks pages by it."""
    if not material:
        return
    boosts = {
        str(doc.get("location", "")): doc["boost"]
        for doc in material.get("docs", [])
        if "#" not in str(doc.get("location", "")) and doc.get("boost")
    }
    for doc in index["docs"]:
        location = doc["location"]
        boost = boosts.get(location, boosts.get(_home_alias(location)))
        if "#" not in location and boost:
            doc["boost"] = boost


def _home_alias(location: str) -> str:
    """How Material names a page in its index with directory URLs (``a/index.html`` -> ``a/``)."""
    if location == "index.html":
        return ""
    if location.endswith("/index.html"):
        return location[: -len("index.html")]
    return location


def write_index(site_dir: str | Path, config: dict[str, Any] | None = None) -> dict[str, Any]:
    """Index the built site and write ``search/search_index.json`` and ``search_index.js``.

    Call it in ``on_post_build`` after Material's search plugin (hook priority -100): it reads
    Material's index only to learn which pages are excluded, then replaces it. ``config`` is
    passed to ``build_index``. Returns the index.
    """
    site = Path(site_dir)
    material = _material_index(site / "search")
    pages = collect_pages(site, material)
    index = build_index(pages, dict(config or {}))
    _copy_boosts(index, material)
    write_atomic(site / "search" / "search_index.json", index_json(index).encode("utf-8"))
    write_atomic(site / "search" / "search_index.js", index_script(index).encode("utf-8"))
    return index
