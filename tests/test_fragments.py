"""Speech paragraphs reach the site as finished HTML (render_inline_html,
speech_layout.render_paragraph_html), not through Python-Markdown. The HTML must be what
Python-Markdown makes of the Markdown paragraph that ``build.py build`` writes for other
builders, for every hostile text: checked here case by case, as a property, and on whole
built sites (the hook's pages against MkDocs building the written Markdown without it).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CASES, ROOT, concept_mark, copy_project, run_mkdocs, unmark
from pizhu.editorial import note_markup
from pizhu.model import Annotation
from pizhu.render import Mark, Wrap, html_href
from pizhu.speech_layout import render_paragraph, render_paragraph_html

LITERAL_CASES = yaml.safe_load((CASES / "render" / "literal.yml").read_text(encoding="utf-8"))
MARK_CASES = yaml.safe_load((CASES / "render" / "marks.yml").read_text(encoding="utf-8"))
# MkDocs turns a page's x.md links into x.html (use_directory_urls: false); the to_html
# fixture is Python-Markdown alone.
MD_LINK_RE = re.compile(r'href="([^"#]*)\.md(#[^"]*)?"')


def as_mkdocs_writes_it(html: str) -> str:
    return MD_LINK_RE.sub(lambda m: f'href="{m.group(1)}.html{m.group(2) or ""}"', html)


class Events(HTMLParser):
    """A page as the browser builds it: tags with their attributes, and text with every
    entity resolved (``&#61;`` and ``=`` are the same character; ``&lt;b&gt;`` is text,
    ``<b>`` a tag)."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.events.append(("start", tag, sorted(attrs)))

    def handle_endtag(self, tag):
        self.events.append(("end", tag))

    def handle_data(self, data):
        if self.events and self.events[-1][0] == "text":
            data = self.events.pop()[1] + data
        self.events.append(("text", data))

    def handle_comment(self, data):
        self.events.append(("comment", data))


def same_page(one: str, other: str) -> bool:
    return Events(one).events == Events(other).events


def assert_same(to_html, text: str, marks=(), wraps=()) -> None:
    markdown = as_mkdocs_writes_it(to_html(render_paragraph(7, text, marks, wraps)))
    html = render_paragraph_html(7, text, marks, wraps)
    assert Events(html).events == Events(markdown).events, (html, markdown)


@pytest.mark.parametrize("case", LITERAL_CASES, ids=[c["name"] for c in LITERAL_CASES])
def test_hostile_text_gives_the_same_html(case, to_html):
    if not case["text"].strip():
        pytest.skip("an empty paragraph never reaches the layout")
    assert_same(to_html, case["text"])


@pytest.mark.parametrize("case", MARK_CASES, ids=[c["name"] for c in MARK_CASES])
def test_concept_links_next_to_hostile_text_give_the_same_html(case, to_html):
    text, spans = unmark(case["text"])
    assert_same(to_html, text, [concept_mark(*span) for span in spans])


def test_hostile_tooltips_and_notes_give_the_same_html(to_html):
    text = "坚持<b>发展</b> & “枫桥经验”，*反对*四风 [x](javascript:y) 2021年。"
    tip = '<script>alert("x")</script> & *a* {b} \\ [c](d) 某某'
    start = text.index("枫桥经验")
    note = Annotation(
        block=0, start=0, end=4, quote=text[:4], note="注意<i>四风</i> & *XX* [y](z)", number=3
    )
    marks = [
        concept_mark(start, start + 4, tip),
        Mark(text.index("四风"), text.index("四风") + 2, "#p-2"),
    ]
    wraps = [
        Wrap(
            0,
            4,
            '<span class="pz-anno">',
            "</span>",
            note_markup(note),
            note_markup(note, as_html=True),
        ),
        Wrap(start - 1, start + 6, '<span class="pz-key" id="key-1">', "</span>"),
    ]
    assert_same(to_html, text, marks, wraps)


def test_html_href_follows_use_directory_urls_false():
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert re.search(r"^use_directory_urls: false$", config, re.M)
    assert html_href("../glossary/x.md#y") == "../glossary/x.html#y"
    assert html_href("#p-3") == "#p-3"
    assert html_href("index.md") == "index.html"


HOSTILE_ALPHABET = st.sampled_from(
    [*"讲话枫桥经验四风XX某某 \t\u3000<>&\"'*_`#|[](){}!\\:=?~-+.1、。“”", "\u200b", "\x01"]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(HOSTILE_ALPHABET, min_size=1, max_size=40), st.data())
def test_any_text_with_any_marks_gives_the_same_html(to_html, chars, data):
    text = "".join(chars)
    if not text.strip():
        return
    cuts = sorted(data.draw(st.sets(st.integers(0, len(text)), max_size=6)))
    marks = [
        concept_mark(a, b)
        for a, b in zip(cuts[::2], cuts[1::2], strict=False)
        if b > a and text[a:b].strip() and not text[a].isspace() and not text[b - 1].isspace()
    ]
    assert_same(to_html, text, marks)


@pytest.mark.parametrize("sources", ["sources", "tests/fixtures/hostile/sources"])
def test_site_from_written_markdown_equals_the_hooks_site(sources, tmp_path):
    """What other builders get (``build.py build``'s Markdown, built by MkDocs without the
    hook) and the hook's site (paragraphs as finished HTML) are the same pages."""
    hook = tmp_path / "hook"
    plain = tmp_path / "plain"
    for project in (hook, plain):
        copy_project(project, ROOT / sources)
    generated = subprocess.run(
        [sys.executable, "scripts/build.py", "build"], cwd=plain, capture_output=True, text=True
    )
    assert generated.returncode == 0, generated.stderr
    config = plain / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  - scripts/mkdocs_hook.py\n" in text
    config.write_text(text.replace("  - scripts/mkdocs_hook.py\n", ""), encoding="utf-8")
    for project in (hook, plain):
        result = run_mkdocs(project)
        assert result.returncode == 0, result.stdout + result.stderr
    pages = sorted(p.relative_to(hook / "site") for p in (hook / "site").rglob("*.html"))
    assert pages == sorted(p.relative_to(plain / "site") for p in (plain / "site").rglob("*.html"))
    speeches = [
        p for p in pages if p.parts[0] == "speeches" and "pz-p" in (hook / "site" / p).read_text()
    ]
    assert speeches
    for page in pages:
        built = (hook / "site" / page).read_text(encoding="utf-8")
        assert same_page(built, (plain / "site" / page).read_text(encoding="utf-8")), page
    shutil.rmtree(tmp_path)
