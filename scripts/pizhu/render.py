"""The escaping kernel: text -> inline Markdown. The ONLY place where text is escaped;
every page (speech_layout.py, the page modules) composes what it returns.

Source text is hostile (HTML residue, Markdown look-alikes, attr_list braces, link
reference definitions). Nothing in it may become markup: every character that
Python-Markdown or one of our extensions (see mkdocs.yml) could interpret is escaped
here, and every line we emit starts with our own markup, never with source text.

What held when probed against the real build (tests/test_build_site.py re-checks it):

* a backslash before each of Python-Markdown's escapable characters (``ESCAPED_CHARS``
  plus ``|`` from the tables extension);
* ``&amp;`` / ``&lt;`` / ``&gt;`` for ``&`` ``<`` ``>`` (no raw HTML, no entities, no
  autolinks, no block quotes);
* a numeric entity for a character that starts a block construct only at the start of
  a line and has no backslash escape (``=`` setext underline, ``?`` pymdownx.details,
  ``:`` and ``~`` for safety);
* no leading spaces (indented code), whitespace collapsed to single spaces.

Pages also carry small pieces of our own markup: a paragraph number link
``[12](#p-12){ .pz-pn }`` at the start of each paragraph and ``{: #p-12 .pz-p }`` on the
paragraph's last line (attr_list), so a paragraph can be cited in a meeting ("第 12 段");
glossary concepts become links ``[枫桥经验](../glossary/x.md){ .pz-term data-pz-tip="…" }``
(see :class:`Mark`); the editor's notes and key sentences wrap words (:class:`Wrap`).

Attribute values written through attr_list (``data-…="…"``) are inline-processed by
Python-Markdown before attr_list reads them, so a ``*`` there would become ``<em>``;
:func:`escape_attr_list_value` writes every ASCII character other than a letter, a digit
or a space as a numeric entity, which no Markdown pattern touches.
"""

from __future__ import annotations

import functools
import html
import json
import operator
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .model import Speech

# --- site text (Chinese) -------------------------------------------------------------

UNTITLED = "（无标题）"
REDACTION_TOOLTIP = "原文隐去"
PRINT_ONLY_CLASS = "pz-print-only"  # hidden on screen, shown in print (pizhu.css)
SCREEN_ONLY_CLASS = "pz-screen-only"  # shown on screen, not printed (pizhu.css)
SEARCH_EXCLUDE_CLASS = "pz-search-exclude"  # left out of the search index

# --- escaping ------------------------------------------------------------------------

# Python-Markdown's ESCAPED_CHARS (with the tables extension's "|"): a backslash makes
# each of them literal. "<", ">" and "&" become entities instead.
_BACKSLASH_CHARS = frozenset("\\`*_{}[]()#+-.!|")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# Characters that start a block construct at the start of a line and have no
# backslash escape: "=" (setext heading underline), "?" (pymdownx.details "???"),
# ":" and "~" (definition lists / fences if such extensions are ever enabled).
_LINE_START_ENTITIES = {"=": "&#61;", "?": "&#63;", ":": "&#58;", "~": "&#126;"}

# Redactions in the source (names and places blanked out): XX, X, XXX, ××, ＸＸ, 某某.
# Latin X only when not part of a Latin word or a number ("XML", "5X", "Xi" stay).
# Every branch starts with a fixed character (the test of the character before an X comes
# after it, as a lookbehind over both), so the engine looks only at X, x, ×, Ｘ and 某:
# eight times faster than trying every position (the same matches: tests/test_render.py).
REDACTION_RE = re.compile(
    r"""
    X(?<![A-Za-z0-9]X)X{0,3}                 # X, XX, XXX, XXXX, not after a letter or digit
        (?![A-Za-z0-9]|-[A-Za-z]|光|射线)     # ... but not XML, X-ray, X光
    | x(?<![A-Za-z0-9]x)x{1,3}(?![A-Za-z0-9])  # xx (lower case only when doubled)
    | ×[×Ｘ]+ | Ｘ[×Ｘ]+                      # ××, ＸＸ
    | 某某
    """,
    re.VERBOSE,
)
WHITESPACE_RE = re.compile(r"\s+")
# One str.translate table for escape_text (a per-character loop was the render hot spot).
_TEXT_TABLE = str.maketrans({**{ch: "\\" + ch for ch in _BACKSLASH_CHARS}, **_ENTITIES})
# Any character _TEXT_TABLE changes: Chinese text mostly has none, and str.translate of a
# non-ASCII string costs a dict lookup per character even then.
_TEXT_SPECIAL_RE = re.compile("[" + re.escape("".join(_BACKSLASH_CHARS) + "".join(_ENTITIES)) + "]")


def _translate_text(text: str) -> str:
    return text.translate(_TEXT_TABLE) if _TEXT_SPECIAL_RE.search(text) else text


_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
# Control characters that are not whitespace: invisible, and Python-Markdown deletes STX and
# ETX (its placeholder markers), so they are dropped before escaping (whitespace collapses).
_INVISIBLE_RE = re.compile(r"[\x00-\x08\x0e-\x1b\x7f]")


def escape_text(text: str) -> str:
    """Escape plain text so that Python-Markdown shows it literally, on one line.

    >>> escape_text("1. <b> & *x*")
    '1\\\\. &lt;b&gt; &amp; \\\\*x\\\\*'
    """
    text = _translate_text(WHITESPACE_RE.sub(" ", _INVISIBLE_RE.sub("", text)).strip())
    if text and text[0] in _LINE_START_ENTITIES:
        text = _LINE_START_ENTITIES[text[0]] + text[1:]
    return text


def escape_attribute(text: str) -> str:
    """Escape text for a quoted link title or HTML attribute value (one line)."""
    text = WHITESPACE_RE.sub(" ", text).strip()
    return html.escape(text, quote=True).replace("\\", "&#92;")


# Every ASCII character but letters, digits and spaces -> a numeric entity.
_ATTR_LIST_TABLE = str.maketrans(
    {chr(i): f"&#{i};" for i in range(128) if not (chr(i).isalnum() or chr(i) == " ")}
)


def escape_html(text: str) -> str:
    """Escape text for raw HTML that we write ourselves (element content or a double-quoted
    attribute value), on one line: ``&``, ``<``, ``>`` and both quotes become entities.

    Raw HTML blocks are not Markdown, so nothing else is special there.

    >>> escape_html('<b> & "x"')
    '&lt;b&gt; &amp; &quot;x&quot;'
    """
    text = _CONTROL_RE.sub("", WHITESPACE_RE.sub(" ", text)).strip()
    return html.escape(text, quote=True)


def escape_html_lines(text: str) -> str:
    """:func:`escape_html` that keeps the text's line breaks (a message shown with
    ``white-space: pre-wrap``, such as serve's error banner).

    >>> escape_html_lines("sources/x.yml:2: <找不到>\\n  最接近的：“a”")
    'sources/x.yml:2: &lt;找不到&gt;\\n  最接近的：“a”'
    """
    lines = (_CONTROL_RE.sub("", line) for line in text.strip("\n").split("\n"))
    return "\n".join(html.escape(line, quote=True) for line in lines)


def escape_attr_list_value(text: str) -> str:
    """Escape text for a quoted value in an attr_list (``{ data-x="…" }``), on one line.

    Every ASCII character but letters, digits and spaces becomes a numeric entity, so no
    inline Markdown pattern (emphasis, links, code, escapes) and no quote or brace can act
    on it; the browser shows the original text.

    >>> escape_attr_list_value('a "*b*" {c}')
    'a &#34;&#42;b&#42;&#34; &#123;c&#125;'
    """
    text = WHITESPACE_RE.sub(" ", _CONTROL_RE.sub("", text)).strip()
    return text.translate(_ATTR_LIST_TABLE)


def _redaction_span(match: re.Match[str]) -> str:
    return (
        f'<span class="pz-redact" title="{REDACTION_TOOLTIP}">{escape_text(match.group(0))}</span>'
    )


# --- inline API (glossary linking builds on this) ------------------------------------

SAFE_HREF_RE = re.compile(r"^(?:#[\w-]+|[A-Za-z0-9_./-]+(?:#[\w-]+)?)$")
_SAFE_CLASS_RE = re.compile(r"^[A-Za-z][\w-]*$")
_SAFE_DATA_NAME_RE = re.compile(r"^data-[a-z][a-z0-9-]*$")


@dataclass(frozen=True)
class Mark:
    """Wrap ``text[start:end]`` in a link (e.g. a glossary concept).

    ``href`` is docs-relative Markdown (``../glossary/fengqiao.md#x``) or a ``#fragment``;
    ``tooltip`` becomes the link title (Material shows it with ``content.tooltips``);
    ``data`` are ``data-*`` attributes, e.g. ``(("data-pz-tip", "基层治理经验"),)``, which
    pizhu-terms.js reads to show its own tooltip (Material ignores links without a title).
    """

    start: int
    end: int
    href: str
    tooltip: str = ""
    css_class: str = ""
    data: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(f"empty or negative mark span {self.start}..{self.end}")
        _check_mark_markup(self.href, self.css_class, self.data)


@functools.lru_cache(maxsize=1 << 14)  # (a concept's link is made thousands of times)
def _check_mark_markup(href: str, css_class: str, data: tuple[tuple[str, str], ...]) -> None:
    """Refuse a mark whose href, class or attribute names could break out of the markup
    (cached: only a mark that passes returns, so only passes are remembered)."""
    if not SAFE_HREF_RE.match(href):
        raise ValueError(f"unsafe mark href {href!r}")
    if css_class and not all(_SAFE_CLASS_RE.match(c) for c in css_class.split()):
        raise ValueError(f"unsafe mark class {css_class!r}")
    for name, _value in data:
        if not _SAFE_DATA_NAME_RE.match(name):
            raise ValueError(f"unsafe mark attribute {name!r}")


@dataclass(frozen=True)
class Wrap:
    """Wrap ``text[start:end]`` in our own inline HTML (an editor's note, a key sentence).

    Unlike a :class:`Mark`, a wrap may contain marks (a quote that spans a concept link)
    and other wraps (a note's words inside a key sentence). ``open_html`` and
    ``close_html`` are our markup, never source text (build them with :func:`escape_html`);
    when two wraps cross, the later one is closed and re-opened around the boundary, so a
    wrap may appear as several elements. ``after`` (inline Markdown made by this module's
    functions) follows the last of them: a note's number and the note; ``after_html`` is
    the same as finished HTML, for :func:`render_inline_html`.
    """

    start: int
    end: int
    open_html: str
    close_html: str
    after: str = ""
    after_html: str = ""

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(f"empty or negative wrap span {self.start}..{self.end}")
        if not (self.open_html.startswith("<") and self.close_html.startswith("</")):
            raise ValueError(f"a wrap is an element: {self.open_html!r} {self.close_html!r}")


def crossing(mark: Mark, wraps: Iterable[Wrap]) -> bool:
    """Whether a wrap starts or ends strictly inside ``mark`` (a link cannot hold half a
    wrap: such a link is left out, the concept is linked at its other occurrences)."""
    return any(
        mark.start < wrap.start < mark.end or mark.start < wrap.end < mark.end for wrap in wraps
    )


def render_inline(text: str, marks: Iterable[Mark] = (), wraps: Sequence[Wrap] = ()) -> str:
    """Render one line of source text as inline Markdown: escaped, with marked spans linked.

    Redactions (XX, ××, 某某 …) are wrapped in a ``pz-redact`` span. Marks must not
    overlap and must lie within ``text``; they are applied in order of ``start``.
    ``wraps`` (see :class:`Wrap`) may hold whole marks; a mark they cut is an error
    (drop it first, see :func:`crossing`). Whitespace is collapsed, so callers should
    pass text already normalised.

    >>> render_inline("学习枫桥经验", [Mark(2, 6, "../glossary/x.md", "基层治理")])
    '学习[枫桥经验](../glossary/x.md "基层治理")'
    >>> render_inline("学习枫桥经验", wraps=[Wrap(0, 2, '<b class="k">', "</b>", "¹")])
    '<b class="k">学习</b>¹枫桥经验'
    """
    return _render_spans(text, marks, wraps, _MARKDOWN)


def render_inline_html(text: str, marks: Iterable[Mark] = (), wraps: Sequence[Wrap] = ()) -> str:
    """:func:`render_inline` as finished HTML, the same element for element as
    Python-Markdown makes of render_inline's Markdown on the site (attributes in its
    order, ``x.md`` links as MkDocs writes them with ``use_directory_urls: false``).

    For text that goes to the page without Python-Markdown (a speech's paragraphs, see
    speech_layout.render_paragraph_html): escaped for HTML, never for Markdown.

    >>> render_inline_html("学习<枫桥经验>", [Mark(3, 7, "../glossary/x.md", "基层治理")])
    '学习&lt;<a href="../glossary/x.html" title="基层治理">枫桥经验</a>&gt;'
    """
    return _render_spans(text, marks, wraps, _HTML)


def _render_spans(text: str, marks: Iterable[Mark], wraps: Sequence[Wrap], flavor: _Flavor) -> str:
    """render_inline and render_inline_html: one walk over pieces, marks and wraps."""
    if not wraps:  # most paragraphs: no editor's note or key sentence in them
        return _render_marks(text, marks, flavor)
    return _render_wrapped(text, marks, wraps, flavor)


def _render_marks(text: str, marks: Iterable[Mark], flavor: _Flavor) -> str:
    """_render_wrapped without wraps: the pieces between the marks, and the marks."""
    ordered = sorted(marks, key=_mark_order)
    _check_marks(text, ordered)
    if not (_PIECE_WORK_RE.search(text) or flavor.special.search(text)):
        return _render_plain_marks(text, ordered, flavor)
    parts: list[str] = []
    pos = 0
    for mark in ordered:
        parts.append(flavor.piece(text[pos : mark.start], first=pos == 0))
        parts.append(flavor.mark(text, mark))
        pos = mark.end
    if pos < len(text):
        parts.append(flavor.piece(text[pos:], first=pos == 0))
    return "".join(parts).strip()


_mark_order = operator.attrgetter("start", "end")  # (C speed: half a million marks a build)


def _render_plain_marks(text: str, ordered: Sequence[Mark], flavor: _Flavor) -> str:
    """_render_marks for a line that escaping leaves as it is, most lines of a speech: no
    whitespace, nothing invisible, no redaction, nothing the flavor escapes. Its pieces
    and link labels are its own slices; only a first character that starts Markdown
    syntax at the start of a line still becomes its entity."""
    parts: list[str] = []
    pos = 0
    for mark in ordered:
        parts.append(text[pos : mark.start])
        parts.append(flavor.plain_mark(text[mark.start : mark.end], mark))
        pos = mark.end
    parts.append(text[pos:])
    if flavor.line_start and parts[0] and parts[0][0] in _LINE_START_ENTITIES:
        parts[0] = _LINE_START_ENTITIES[parts[0][0]] + parts[0][1:]
    return "".join(parts)


def _check_marks(text: str, ordered: Sequence[Mark]) -> None:
    """Refuse marks (in text order) that overlap or run past the end of ``text``."""
    pos = 0
    for mark in ordered:
        if mark.start < pos:
            raise ValueError(f"overlapping marks at {mark.start}")
        pos = mark.end
        if mark.end > len(text):
            raise ValueError(f"mark {mark.start}..{mark.end} outside text of {len(text)}")


def _render_wrapped(
    text: str, marks: Iterable[Mark], wraps: Sequence[Wrap], flavor: _Flavor
) -> str:
    """The general walk: pieces, marks, and wraps opened, closed and re-opened."""
    ordered = sorted(marks, key=_mark_order)
    for wrap in wraps:
        if wrap.end > len(text):
            raise ValueError(f"wrap {wrap.start}..{wrap.end} outside text of {len(text)}")
    if any(crossing(mark, wraps) for mark in ordered):
        raise ValueError("a wrap cuts a mark")
    _check_marks(text, ordered)
    stops = sorted({0, len(text)} | {w.start for w in wraps} | {w.end for w in wraps})
    parts: list[str] = []
    pos = 0
    opened: list[Wrap] = []  # open wraps, outermost first
    # Wraps in the order they open: earlier first, then the longer one outside.
    pending = sorted(wraps, key=lambda w: (w.start, -w.end))
    marks_left = list(ordered)
    for stop in stops:
        # Text up to this stop: plain pieces and whole marks.
        while pos < stop:
            if marks_left and marks_left[0].start < stop:
                mark = marks_left.pop(0)
                parts.append(flavor.piece(text[pos : mark.start], first=pos == 0))
                parts.append(flavor.mark(text, mark))
                pos = mark.end
            else:
                parts.append(flavor.piece(text[pos:stop], first=pos == 0))
                pos = stop
        # Close what ends here (innermost first; a crossing wrap above is re-opened).
        ending = [w for w in opened if w.end == stop]
        if ending:
            reopen: list[Wrap] = []
            while ending:
                wrap = opened.pop()
                parts.append(wrap.close_html)
                if wrap.end == stop:
                    ending.remove(wrap)
                    parts.append(wrap.after_html if flavor is _HTML else wrap.after)
                else:
                    reopen.append(wrap)
            for wrap in reversed(reopen):
                parts.append(wrap.open_html)
                opened.append(wrap)
        while pending and pending[0].start == stop:
            wrap = pending.pop(0)
            parts.append(wrap.open_html)
            opened.append(wrap)
    return "".join(parts).strip()


def _render_mark(text: str, mark: Mark) -> str:
    label = _escape_piece(text[mark.start : mark.end], first=False).strip()
    return _render_plain_mark(label, mark)


def _render_plain_mark(label: str, mark: Mark) -> str:
    """A mark whose label is escaped already (or needs no escaping)."""
    return f"[{label}]{_link_tail(mark.href, mark.tooltip, mark.css_class, mark.data)}"


@functools.lru_cache(maxsize=4096)
def _link_tail(href: str, tooltip: str, css_class: str, data: tuple[tuple[str, str], ...]) -> str:
    """``(href "title"){ .class data-x="…" }`` of a mark (cached: a concept's link is the
    same on every page)."""
    title = f' "{escape_attribute(tooltip)}"' if tooltip else ""
    items = [f".{name}" for name in css_class.split()]
    items += [f'{name}="{escape_attr_list_value(value)}"' for name, value in data]
    attributes = f"{{ {' '.join(items)} }}" if items else ""
    return f"({href}{title}){attributes}"


def render_context(text: str, start: int, end: int, width: int, *, as_html: bool = False) -> str:
    """``text[start:end]`` in ``<mark>`` with up to ``width`` characters either side.

    For the 出现于 lists: the context is source text, escaped like any other; "…" shows
    where the context was cut.

    >>> render_context("坚持和发展新时代枫桥经验。", 8, 12, 3)
    '…新时代<mark>枫桥经验</mark>。'

    ``as_html``: finished HTML (a list that bypasses Python-Markdown), not Markdown.
    """
    piece = _escape_piece_html if as_html else _escape_piece
    if not 0 <= start < end <= len(text):
        raise ValueError(f"span {start}..{end} outside text of {len(text)}")
    left = max(0, start - width)
    right = min(len(text), end + width)
    before = ("…" if left > 0 else "") + text[left:start]
    after = text[end:right] + ("…" if right < len(text) else "")
    return (
        piece(before, first=True)
        + f"<mark>{piece(text[start:end], first=False).strip()}</mark>"
        + piece(after, first=False)
    ).strip()


def _escape_piece(text: str, *, first: bool) -> str:
    """Escape one unmarked piece of a line, keeping boundary spaces, with redactions."""
    if text and not _PIECE_WORK_RE.search(text):  # most pieces: only characters to escape
        escaped = _translate_text(text)
        if first and escaped[0] in _LINE_START_ENTITIES:
            escaped = _LINE_START_ENTITIES[escaped[0]] + escaped[1:]
        return escaped
    return _with_redactions(text, first, _escape_run)


def _with_redactions(text: str, first: bool, run: Callable[..., str]) -> str:
    """``text`` with whitespace collapsed (boundary spaces kept, leading ones dropped at the
    start of a line), each redaction in its span and the runs between written by ``run``
    (Markdown or HTML escaping)."""
    if not text:
        return ""
    collapsed = WHITESPACE_RE.sub(" ", _INVISIBLE_RE.sub("", text))
    if first:
        collapsed = collapsed.lstrip()
    parts: list[str] = []
    pos = 0
    for match in REDACTION_RE.finditer(collapsed):
        parts.append(run(collapsed[pos : match.start()], first=first and pos == 0))
        parts.append(_redaction_span(match))
        pos = match.end()
    parts.append(run(collapsed[pos:], first=first and pos == 0))
    return "".join(parts)


def _escape_run(text: str, *, first: bool) -> str:
    """Escape a run of text that contains no redaction; spaces at the ends are kept.

    ``text`` comes from _with_redactions: whitespace collapsed to single spaces, nothing
    invisible, so escaping is only the translation (escape_text would collapse again)."""
    if not text:
        return ""
    core = text.strip(" ")
    lead = " " if text[0] == " " else ""
    trail = " " if text[-1] == " " and core else ""
    if not core:
        return " "
    escaped = _translate_text(core)
    if first and core[0] in _LINE_START_ENTITIES:
        # Only the very start of a line needs the entity; mid-line it is just a character.
        escaped = _LINE_START_ENTITIES[core[0]] + escaped[1:]
    return lead + escaped + trail


# What _escape_piece_html must do more than escape: whitespace, invisible characters, and
# the characters a redaction starts with (REDACTION_RE: X, x, ×, Ｘ, 某).
_PIECE_WORK_RE = re.compile(r"[\s\x00-\x1f\x7fXx×Ｘ某]")


def _escape_piece_html(text: str, *, first: bool) -> str:
    """An unmarked piece of a line as HTML text: whitespace collapsed (boundary spaces kept),
    ``&`` ``<`` ``>`` as entities, redactions in their span."""
    if text and not _PIECE_WORK_RE.search(text):  # most pieces: nothing to collapse or mark
        # (and most have nothing to escape either: one search instead of three replaces)
        return html.escape(text, quote=False) if _HTML_SPECIAL_RE.search(text) else text
    return _with_redactions(text, first, _escape_run_html)


_HTML_SPECIAL_RE = re.compile("[&<>]")  # what html.escape(quote=False) changes


def _escape_run_html(text: str, *, first: bool) -> str:
    return html.escape(text, quote=False)


@functools.lru_cache(maxsize=1 << 16)  # a term page links the same paragraphs as the next
def html_href(href: str) -> str:
    """A docs-relative Markdown link target as MkDocs writes it into the page:
    ``../glossary/x.md#y`` -> ``../glossary/x.html#y`` (mkdocs.yml has
    ``use_directory_urls: false``; test_render checks that it still does)."""
    path, hash_, fragment = href.partition("#")
    if path.endswith(".md"):
        path = path[: -len(".md")] + ".html"
    return path + hash_ + fragment


def _render_mark_html(text: str, mark: Mark) -> str:
    label = _escape_piece_html(text[mark.start : mark.end], first=False).strip()
    return _render_plain_mark_html(label, mark)


def _render_plain_mark_html(label: str, mark: Mark) -> str:
    return f"{_open_link(mark.href, mark.css_class, mark.tooltip, mark.data)}{label}</a>"


@functools.lru_cache(maxsize=4096)
def _open_link(href: str, css_class: str, tooltip: str, data: tuple[tuple[str, str], ...]) -> str:
    """``<a …>`` of a mark (cached: a concept's link is the same on every page)."""
    attributes = [("href", html_href(href))]
    if css_class:
        attributes.append(("class", css_class))
    if tooltip:
        attributes.append(("title", tooltip))
    attributes += list(data)
    # Python-Markdown's serializer writes attributes sorted by name.
    shown = " ".join(
        f'{name}="{html.escape(WHITESPACE_RE.sub(" ", _CONTROL_RE.sub("", value)).strip())}"'
        for name, value in sorted(attributes)
    )
    return f"<a {shown}>"


@dataclass(frozen=True)
class _Flavor:
    """How :func:`_render_spans` writes a plain piece and a mark."""

    piece: Callable[..., str]
    mark: Callable[[str, Mark], str]
    # For a line with nothing to escape (_render_plain_marks): what the flavor escapes, a
    # mark from its label as it is, and whether a line's first character may need its
    # entity (Markdown only: an HTML paragraph starts nothing).
    special: re.Pattern[str]
    plain_mark: Callable[[str, Mark], str]
    line_start: bool


_MARKDOWN = _Flavor(
    _escape_piece, _render_mark, _TEXT_SPECIAL_RE, _render_plain_mark, line_start=True
)
_HTML = _Flavor(
    _escape_piece_html,
    _render_mark_html,
    _HTML_SPECIAL_RE,
    _render_plain_mark_html,
    line_start=False,
)


# --- page pieces ---------------------------------------------------------------------


def format_date(date: str | None) -> str | None:
    """'2021-06-28' -> '2021年6月28日'; '2021-06' -> '2021年6月'; '2021' -> '2021年'."""
    if not date:
        return None
    parts = date.split("-")
    units = ("年", "月", "日")
    try:
        return "".join(f"{int(p)}{u}" for p, u in zip(parts, units, strict=False))
    except ValueError:
        return date


def escape_tag(tag: str) -> str:
    """A tag as it goes into front matter: whitespace collapsed, HTML-escaped.

    The tags plugin prints the name into each page's tag list, the tags page's headings and
    its table of contents without escaping; escaped here, every one of them shows the
    text literally (``<b>`` stays visible, never becomes markup).
    """
    return html.escape(_CONTROL_RE.sub("", WHITESPACE_RE.sub(" ", tag)).strip(), quote=False)


def title_front_matter(
    title: str,
    *,
    tags: Sequence[str] = (),
    search_exclude: bool = False,
    search_boost: float | None = None,
    hide: Sequence[str] = (),
    date: str | None = None,
) -> str:
    """Front matter: the title (HTML-escaped for the theme, see front_matter), the page's
    ``tags`` (already made with :func:`escape_tag`), for pages that are only lists of
    links (the concept map) ``search: {exclude: true}``, and Material's ``hide`` (e.g.
    ``toc``: a wide table needs the table of contents' column)."""
    meta: dict[str, object] = {
        "title": html.escape(
            WHITESPACE_RE.sub(" ", _INVISIBLE_RE.sub("", title)).strip(), quote=False
        )
    }
    if tags:
        meta["tags"] = list(tags)
    if search_exclude:
        meta["search"] = {"exclude": True}
    elif search_boost is not None:
        meta["search"] = {"boost": search_boost}
    if hide:
        meta["hide"] = list(hide)
    if date:
        meta["date"] = date  # a string: quoted, so YAML keeps it one
    return (
        "---\n" + "".join(f"{key}: {yaml_value(value)}\n" for key, value in meta.items()) + "---\n"
    )


# What YAML 1.1 (PyYAML) would not read back as written inside a double-quoted scalar,
# beyond what JSON escapes: DEL and the C1 controls (refused; NEL is folded to a space),
# the byte order mark and non-characters; also LS and PS, which YAML 1.1 counts as line
# breaks (PyYAML keeps them, other readers may not). A lone surrogate
# (only a sidecar's "\\ud800" makes one) cannot be written at all: it becomes U+FFFD.
_YAML_UNSAFE_RE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def yaml_value(value: object) -> str:
    """``value`` (str, bool, int, float, or lists and dicts of them) as one line of YAML
    that PyYAML reads back equal: JSON, which YAML's flow style reads, with every string
    double-quoted and the few characters YAML reads otherwise than JSON escaped.

    (yaml.safe_dump gives the same data in about thirty times the time: a page's front
    matter is made for every page of every build.)

    >>> yaml_value({"boost": 4}), yaml_value(["“两个维护”", "a: b"])
    ('{"boost": 4}', '["“两个维护”", "a: b"]')
    """
    text = _SURROGATE_RE.sub("\ufffd", json.dumps(value, ensure_ascii=False))
    return _YAML_UNSAFE_RE.sub(lambda match: f"\\u{ord(match[0]):04x}", text)


def display_title(speech: Speech) -> str:
    return display_title_of(speech.title)


def display_title_of(title: str | None) -> str:
    """A title as pages show it: one line, or 无标题 when there is none."""
    return WHITESPACE_RE.sub(" ", title or "").strip() or UNTITLED


def paragraph_anchor(number: int) -> str:
    """The stable anchor of the ``number``-th paragraph (1-based)."""
    return f"p-{number}"


def admonition(kind: str, title: str, body_lines: Sequence[str], *, collapsed: bool = False) -> str:
    opener = "???" if collapsed else "!!!"
    lines = [f'{opener} {kind} "{escape_attribute(title)}"', ""]
    for line in body_lines:
        lines.append(f"    {line}" if line else "")
    return "\n".join(lines).rstrip() + "\n"
