"""Escaping as a property (hypothesis): any string through the renderer shows exactly as
text in the HTML that Python-Markdown makes of it (configured as mkdocs.yml configures it),
and the renderer's elements are the only elements.

The strings mix what Markdown, HTML, attr_list, admonitions and tables read as syntax with
Chinese text, redactions and arbitrary Unicode. "Exactly" is what the page promises: the
text with its runs of whitespace shown as one space (HTML shows them so anyway), and
without invisible control characters.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from conftest import html_text
from pizhu.model import Block, Speech
from pizhu.render import (
    REDACTION_TOOLTIP,
    Mark,
    Wrap,
    _escape_piece,
    _escape_run,
    _with_redactions,
    render_inline,
)
from pizhu.speech_layout import render_paragraph, render_speech

SYNTAX = [*"\\`*_{}[]()#+-.!|<>&\"':=?~^$%@;/", " ", "  ", "\t", "\u3000", "\n", "\r", "\x02"]
WORDS = ["同志们", "学习", "“", "”", "，", "。", "XX", "××", "某某", "X", "abc", "1", "1.", "&amp;"]
WORDS += ["<b>", "<!--", "-->", "[x](y)", "{: .c }", "!!! note", "| a |", "    ", "***", "---"]
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

INVISIBLE_RE = re.compile(r"[\x00-\x08\x0e-\x1b\x7f]")


def shown(text: str) -> str:
    """What the page must show: the text, whitespace runs as one space (as HTML shows
    them), without the control characters that are not whitespace (invisible anyway)."""
    return " ".join(INVISIBLE_RE.sub("", text).split())


texts = st.one_of(
    st.lists(st.sampled_from(SYNTAX + WORDS), min_size=1, max_size=25).map("".join),
    st.text(min_size=1, max_size=40),
).filter(shown)  # the pipeline makes no block without visible text

REDACTION = ("span", (("class", "pz-redact"), ("title", REDACTION_TOOLTIP)))


class Elements(HTMLParser):
    """Start tags with their attributes, in order (heading ids blanked: they come from the
    text by design, as anchors)."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, tuple[tuple[str, str | None], ...]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if re.fullmatch(r"h[1-6]", tag):
            attrs = [(k, "" if k == "id" else v) for k, v in attrs]
        if tag == "a" and ("class", "headerlink") in attrs:
            attrs = [(k, "" if k == "href" else v) for k, v in attrs]
        self.found.append((tag, tuple(sorted(attrs))))

    def without_redactions(self) -> Counter:
        return Counter(element for element in self.found if element != REDACTION)


@SETTINGS
@given(texts)
@example("\x02klzzwxh:0\x03")  # Python-Markdown's placeholder markers
@example("a\\\nb")
def test_any_text_shows_literally_in_a_paragraph(to_html, text):
    out = to_html(render_paragraph(1, text))
    assert html_text(out) == f"1 {shown(text)}"
    elements = Elements(out).without_redactions()
    assert elements == Counter(
        [("p", (("class", "pz-p"), ("id", "p-1"))), ("a", (("class", "pz-pn"), ("href", "#p-1")))]
    ), out


@SETTINGS
@given(texts)
def test_any_text_shows_literally_inline(to_html, text):
    out = to_html(render_inline(text))
    assert html_text(out) == shown(text)
    assert Elements(out).without_redactions() <= Counter([("p", ())]), out


BASELINE = "正文"


def page_of(text: str) -> Speech:
    return Speech(
        slug="x",
        title=text,
        subtitle=text,
        speaker=text,
        occasion=text,
        notes=text,
        blocks=(
            Block("heading", text, 2, 3),
            Block("paragraph", text, None, 4),
            Block("heading", text, 3, 5),
            Block("paragraph", "尾段。", None, 6),
        ),
    )


def body_html(to_html, speech: Speech) -> str:
    """The page's HTML after the front matter, split off as MkDocs does it; the front
    matter's title (HTML-escaped for the theme) must be the text too."""
    markdown, meta = get_data(render_speech(speech))
    assert html.unescape(meta["title"]) == shown(speech.title or "")
    return to_html(markdown)


@SETTINGS
@given(texts)
@example("\\---")
@example("---")
def test_any_text_shows_literally_as_title_heading_and_note(to_html, text):
    out = body_html(to_html, page_of(text))
    expected = shown(text)
    for tag in ("h1", "h2", "h3"):
        fragment = re.search(rf"<{tag}[^>]*>(.*?)</{tag}>", out, re.S).group(1)
        assert html_text(re.sub(r'<a class="headerlink".*?</a>', "", fragment)) == expected
    note = re.search(r'<div class="admonition note">(.*?)</div>', out, re.S).group(1)
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    assert html_text(note) == " ".join(["编者按", *map(shown, paragraphs)])
    # The same elements as a page whose every text is plain Chinese (but for redactions
    # and the note's paragraph count).
    note_paragraphs = Counter({("p", ()): len(paragraphs) - 1})
    baseline = Elements(body_html(to_html, page_of(BASELINE))).without_redactions()
    assert Elements(out).without_redactions() == baseline + note_paragraphs


@st.composite
def wrapped_texts(draw):
    """A text and up to three wraps over it (nested, crossing or apart, anywhere)."""
    text = draw(texts)
    spans = draw(
        st.lists(
            st.tuples(st.integers(0, len(text) - 1), st.integers(1, len(text))).filter(
                lambda span: span[0] < span[1]
            ),
            max_size=3,
        )
    )
    return text, spans


@SETTINGS
@given(wrapped_texts())
@example(("严管就是厚爱，宽松软就是害", [(0, 6), (4, 13)]))
@example(("<b>&amp; [x](y)", [(0, 3), (3, 15)]))
def test_wrapped_text_shows_literally(to_html, case):
    """Editor's notes and key sentences wrap words in our elements: the text still shows
    exactly, each wrap's element is there (crossing wraps split into pieces), and its
    ``after`` follows once."""
    text, spans = case
    wraps = [
        Wrap(s, e, f'<span class="w{i}">', "</span>", f"¹{i}") for i, (s, e) in enumerate(spans)
    ]
    out = to_html(render_inline(text, wraps=wraps))
    shown_text = html_text(out)
    for i in range(len(wraps)):
        assert shown_text.count(f"¹{i}") == 1
        assert f'class="w{i}"' in out
    assert re.sub(r"¹\d", "", shown_text).replace(" ", "") == shown(text).replace(" ", "")
    elements = Elements(out).without_redactions()
    assert {tag for tag, _ in elements} <= {"p", "span"}, out


@SETTINGS
@given(texts, st.booleans(), st.booleans())
@example("=a", True, False)
@example(":a", False, False)
@example("a*b", True, False)
@example("a&b", True, True)
@example("<b>", False, True)
@example("同志们", True, True)
def test_a_piece_without_work_escapes_as_the_general_path_does(text, first, as_html):
    """_escape_piece's and _escape_piece_html's shortcuts (nothing to collapse or mark;
    for HTML, nothing to escape either) write what the general path writes (redactions,
    whitespace, line-start entities)."""
    from pizhu.render import _escape_piece_html, _escape_run_html

    piece, run = (_escape_piece_html, _escape_run_html) if as_html else (_escape_piece, _escape_run)
    assert piece(text, first=first) == _with_redactions(text, first, run)


@SETTINGS
@given(st.lists(st.sampled_from([*SYNTAX, *WORDS, "\u00e9", "\U00020000"])).map("".join))
def test_translating_only_text_with_special_characters_changes_nothing(text):
    # _translate_text skips str.translate when no character of its table occurs.
    from pizhu.render import _TEXT_TABLE, _translate_text

    assert _translate_text(text) == text.translate(_TEXT_TABLE)


_SCALARS = st.one_of(
    st.text(),  # any code point, lone surrogates and YAML's own line breaks included
    st.lists(st.sampled_from([*SYNTAX, *WORDS, "\x85", "\u2028", "\ufeff", "\uffff"])).map("".join),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.sampled_from([0.5, 1.0, 4.0, 2.25]),
)


@SETTINGS
@given(
    st.one_of(
        _SCALARS,
        st.lists(_SCALARS, max_size=4),
        st.dictionaries(st.sampled_from(["exclude", "boost"]), _SCALARS, max_size=2),
    )
)
@example("null")
@example("2021-06-28")
@example("a: b # c")
@example("- x")
def test_front_matter_values_read_back_as_written(value):
    """yaml_value writes what PyYAML (as MkDocs reads front matter) reads back equal."""
    from pizhu.render import yaml_value

    line = yaml_value(value)
    assert "\n" not in line
    page = f"---\nkey: {line}\n---\n# x\n"
    assert get_data(page)[1] == {"key": value}
    page.encode("utf-8")  # writable as the page is written


def test_a_lone_surrogate_in_front_matter_is_written_as_the_replacement_character():
    from pizhu.render import yaml_value

    line = yaml_value("a\ud800b")
    assert get_data(f"---\nkey: {line}\n---\n")[1] == {"key": "a\ufffdb"}


@st.composite
def _marked(draw):
    """A text and marks on it: mostly apart, sometimes overlapping or past its end."""
    text = draw(st.lists(st.sampled_from([*SYNTAX, *WORDS]), max_size=12).map("".join))
    marks = []
    for _ in range(draw(st.integers(0, 4))):
        start = draw(st.integers(0, len(text) + 1))
        end = draw(st.integers(start + 1, len(text) + 2))
        marks.append(Mark(start, end, "../glossary/x.md", draw(st.sampled_from(["", "提示"]))))
    return text, draw(st.permutations(marks))


@SETTINGS
@given(_marked(), st.booleans())
@example(("=a", []), False)  # a line-start character at the very start only
@example((" :a", [Mark(0, 1, "x.md")]), False)
@example(("ab", [Mark(1, 2, "x.md"), Mark(0, 2, "x.md")]), True)
def test_marks_without_wraps_render_as_the_general_walk_does(case, as_html):
    """_render_spans' shortcut for a text without wraps writes what the general walk
    writes, and refuses what it refuses (overlapping marks, marks past the text)."""
    from pizhu.render import _HTML, _MARKDOWN, _render_marks, _render_wrapped

    text, marks = case
    flavor = _HTML if as_html else _MARKDOWN
    try:
        expected = _render_wrapped(text, marks, (), flavor)
    except ValueError:
        with pytest.raises(ValueError):
            _render_marks(text, marks, flavor)
        return
    assert _render_marks(text, marks, flavor) == expected
