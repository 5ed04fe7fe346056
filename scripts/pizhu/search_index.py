"""Pizhu's search index: the site's pages -> a small manifest and coded shards (no I/O).

Material's built-in search (lunr + jieba) splits a query such as 三会一课 into 三会 + 一 and
returns pages that do not contain the phrase. Readers search phrases they heard in a meeting,
so Pizhu replaces Material's search worker (overrides/assets/javascripts/pizhu-search-worker.js)
with a plain substring search over the whole text; this module lays out the data it reads.

Files (all under ``search/`` of the site; search_files.py writes them):

``search_index.json`` / ``search_index.js``
    The *manifest*, in the shape of Material's ``SearchIndex`` (``{"config", "docs"}``),
    because Material's bundle loads it (JSON over HTTP, ``var __index = …`` from file://)
    and hands it to the worker. ``docs`` is empty; ``config.pizhu`` says where the text is:
    ``{"format", "code": CharCode, "shards": [{"file", "pages", "documents"}], "pages",
    "documents", "characters"}`` (with the counts the worker places each shard as soon as
    it arrives). It stays small: Material loads it on every page (its highlighter needs
    ``config.separator``).
``pizhu-<hash>.js``
    A *shard*: the pages of about ``SHARD_CHARACTERS`` characters of text, as one call
    ``pizhuSearchShard({"format", "pages", "text"});`` in printable ASCII, so a browser
    reads it fast from disk (search_code.py says why). The worker loads every shard when
    Material sets it up: with ``importScripts`` in a real worker, with ``<script>`` tags from
    file://. Names are content hashes: a cached shard is never stale.

A shard's ``pages`` are ``[location, boost, date, title, members]``; ``title`` and every
anchor and title in ``members`` are coded. ``members`` are the page's documents after the
page itself: an integer ``n`` is the paragraph ``p-n``, a string is a paragraph with that
anchor, ``[anchor, title]`` is a section. ``text`` is the coded text of every document of
every page, in order, each followed by ``DOC_END``; ``"\\n"`` separates blocks within one.

``boost`` is the page's ``search: boost`` (front matter; speeches have one): results list
pages with a higher boost first. ``date`` (front matter ``date``, ``YYYY[-MM[-DD]]``) orders
results "by date".
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import unescape
from typing import Any

from .search_code import CharCode
from .search_html import PARAGRAPH_ID, Document, page_documents

#: Version of the layout above; the worker refuses other versions.
INDEX_FORMAT = 2

#: Text per shard. Shards load in parallel; each is about 1.5 bytes per character.
SHARD_CHARACTERS = 1_000_000

MANIFEST_JSON = "search_index.json"
MANIFEST_SCRIPT = "search_index.js"
SHARD_PREFIX = "pizhu-"
SHARD_SUFFIX = ".js"
#: The function a shard calls (the worker defines it on its global object).
SHARD_CALLBACK = "pizhuSearchShard"

#: Ends every document in a shard's text (never part of a page's text).
DOC_END = "\x00"

#: Separator handed to Material's page highlighter (``?h=`` after a result click, feature
#: ``search.highlight``): whitespace only, so a phrase with punctuation stays one phrase.
DEFAULT_SEPARATOR = r"[\s\u200b\u3000\-]+"
DEFAULT_LANG = ("zh",)

_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class IndexedPage:
    """One page of the index: its documents (the first is the page itself) and ranking."""

    location: str
    documents: tuple[Document, ...]
    boost: float = 1.0
    date: str | None = None

    @property
    def title(self) -> str:
        return self.documents[0].title or self.location

    def characters(self) -> Counter[str]:
        """How often each character of the page's strings occurs (what the code is fit to)."""
        return Counter("".join(_strings(self)))


def indexed_page(
    location: str,
    content: str,
    *,
    title: str = "",
    meta: Mapping[str, Any] | None = None,
    paragraph_id: re.Pattern[str] = PARAGRAPH_ID,
) -> IndexedPage | None:
    """A page as MkDocs has it (``page.url``, ``page.content``, ``page.title``,
    ``page.meta``) -> its index entry, or None when front matter says ``search: exclude``.

    ``title`` is used when the content has no ``<h1>``; it is HTML as MkDocs keeps it
    (Pizhu's front matter titles are escaped), so entities are decoded. The page's
    ``tags`` are shown above its content (Material's tags plugin), so they are the first
    lines of the page document: a speech tagged 严管就是厚爱 is found by that phrase.
    """
    meta = meta or {}
    search = meta.get("search") if isinstance(meta.get("search"), Mapping) else {}
    if search.get("exclude"):
        return None
    documents = page_documents(content, title=unescape(title), paragraph_id=paragraph_id)
    tags = meta.get("tags")
    if isinstance(tags, list) and tags:
        lines = [_SPACE.sub(" ", unescape(str(tag))).strip() for tag in tags]
        page = documents[0]
        text = "\n".join([line for line in lines if line] + ([page.text] if page.text else []))
        documents[0] = Document(page.anchor, page.title, text)
    boost = search.get("boost", 1)
    if isinstance(boost, bool) or not isinstance(boost, int | float) or boost <= 0:
        boost = 1
    return IndexedPage(location, tuple(documents), boost, _date(meta.get("date")))


def _date(value: object) -> str | None:
    if isinstance(value, datetime.date):
        return value.isoformat()[:10]
    if isinstance(value, str) and _DATE.fullmatch(value.strip()):
        return value.strip()
    return None


# --------------------------------------------------------------------------- layout


def _clean(text: str) -> str:
    """No control characters in the index but "\\n" (DOC_END must stay unambiguous)."""
    return _CONTROL.sub("", text)


def _member(document: Document, code: CharCode) -> int | str | list[str]:
    if document.title is not None:
        return [code.encode(document.anchor), code.encode(_clean(document.title))]
    if document.anchor.startswith("p-") and document.anchor[2:].isdigit():
        number = int(document.anchor[2:])
        if f"p-{number}" == document.anchor:
            return number
    return code.encode(document.anchor)


def _strings(page: IndexedPage) -> Iterable[str]:
    """Every string of a page that the code must cover."""
    yield _clean(page.title)
    for document in page.documents:
        yield _clean(document.text)
        yield document.anchor
        if document.title is not None:
            yield _clean(document.title)
    yield DOC_END


def _shard_script(data: dict[str, Any]) -> str:
    return f"{SHARD_CALLBACK}({json.dumps(data, separators=(',', ':'))});\n"


def _manifest_script(manifest: dict[str, Any]) -> str:
    """``search_index.js`` for file://: Material's bundle loads it and reads ``__index``.

    U+2028/U+2029 are legal in JSON strings but ended a line in JavaScript before ES2019.
    """
    data = manifest_json(manifest).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"var __index = {data};\n"


def manifest_json(manifest: dict[str, Any]) -> str:
    return json.dumps(manifest, ensure_ascii=False, separators=(",", ":"))


def build_index(
    pages: Sequence[IndexedPage],
    *,
    lang: Sequence[str] = DEFAULT_LANG,
    separator: str = DEFAULT_SEPARATOR,
    shard_characters: int = SHARD_CHARACTERS,
    characters: Mapping[str, int] | None = None,
) -> dict[str, str]:
    """The index files, ``{file name under search/: content}``, for these pages.

    Pages are ordered by location, so the files do not depend on the order MkDocs built
    the pages in. ``lang`` and ``separator`` go to Material (its page highlighter).
    ``characters``: the sum of the pages' :meth:`IndexedPage.characters`, when the caller
    keeps it (serve: counted again only for the pages an edit changed).

    >>> from pizhu.search_html import Document
    >>> files = build_index([IndexedPage("a.html", (Document("", "标题", "三会一课"),))])
    >>> sorted(files)[-2:]
    ['search_index.js', 'search_index.json']
    """
    ordered = sorted(pages, key=lambda page: page.location)
    code = (
        CharCode.fit(text for page in ordered for text in _strings(page))
        if characters is None
        else CharCode.fit_counts(characters)
    )

    shards: list[list[IndexedPage]] = [[]]
    size = 0
    for page in ordered:
        if shards[-1] and size >= shard_characters:
            shards.append([])
            size = 0
        shards[-1].append(page)
        size += sum(len(document.text) for document in page.documents)

    files: dict[str, str] = {}
    layout: list[dict[str, Any]] = []
    characters = 0
    for shard in shards:
        if not shard:
            continue
        texts = [_clean(document.text) for page in shard for document in page.documents]
        characters += sum(len(text) for text in texts)
        data = {
            "format": INDEX_FORMAT,
            "pages": [
                [
                    page.location,
                    page.boost,
                    page.date,
                    code.encode(_clean(page.title)),
                    [_member(document, code) for document in page.documents[1:]],
                ]
                for page in shard
            ],
            "text": code.encode("".join(text + DOC_END for text in texts)),
        }
        script = _shard_script(data)
        name = f"{SHARD_PREFIX}{hashlib.sha256(script.encode()).hexdigest()[:12]}{SHARD_SUFFIX}"
        files[name] = script
        documents = sum(len(page.documents) for page in shard)
        layout.append({"file": name, "pages": len(shard), "documents": documents})

    manifest = {
        "config": {
            "lang": list(lang),
            "separator": separator,
            "pipeline": [],
            "fields": {},
            "pizhu": {
                "format": INDEX_FORMAT,
                "code": code.to_json(),
                "shards": layout,
                "pages": len(ordered),
                "documents": sum(len(page.documents) for page in ordered),
                "characters": characters,
            },
        },
        "docs": [],
    }
    files[MANIFEST_JSON] = manifest_json(manifest)
    files[MANIFEST_SCRIPT] = _manifest_script(manifest)
    return files


# --------------------------------------------------------------------------- reading back


def read_documents(files: Mapping[str, str]) -> list[dict[str, Any]]:
    """The documents of written index files, in Material's shape, for tests and tools.

    Each is ``{"location", "title" (pages and sections), "text"}``; page documents also
    carry ``"boost"`` and ``"date"``.
    """
    manifest = json.loads(files[MANIFEST_JSON])
    pizhu = manifest["config"]["pizhu"]
    if pizhu.get("format") != INDEX_FORMAT:
        raise ValueError(f"search index format {pizhu.get('format')}, expected {INDEX_FORMAT}")
    code = CharCode.from_json(pizhu["code"])
    documents: list[dict[str, Any]] = []
    for shard in pizhu["shards"]:
        name = shard["file"]
        script = files[name]
        prefix = f"{SHARD_CALLBACK}("
        if not script.startswith(prefix) or not script.endswith(");\n"):
            raise ValueError(f"{name}: not a Pizhu search shard")
        data = json.loads(script[len(prefix) : -3])
        texts = code.decode(data["text"]).split(DOC_END)
        position = 0
        for location, boost, date, title, members in data["pages"]:
            documents.append(
                {
                    "location": location,
                    "title": code.decode(title),
                    "text": texts[position],
                    "boost": boost,
                    "date": date,
                }
            )
            position += 1
            for member in members:
                if isinstance(member, int):
                    document = {"location": f"{location}#p-{member}"}
                elif isinstance(member, str):
                    document = {"location": f"{location}#{code.decode(member)}"}
                else:
                    anchor, section_title = member
                    document = {
                        "location": f"{location}#{code.decode(anchor)}",
                        "title": code.decode(section_title),
                    }
                document["text"] = texts[position]
                position += 1
                documents.append(document)
    return documents
