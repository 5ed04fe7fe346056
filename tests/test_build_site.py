"""The real thing: `mkdocs build --strict` on the bundled corpus and on a hostile corpus,
then checks on the built HTML (not on the Markdown): nothing lost, nothing leaked,
hostile text shown literally, no external host, ASCII file names.

Each corpus is built once per session in a temporary copy of the project (fixtures
``bundled`` and ``hostile`` in conftest.py).
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, Built, copy_project, html_text, run_mkdocs, speech_words

pytestmark = pytest.mark.build

# Noise of the bundled sources' sites that must never reach the site (anywhere in site/,
# including the search index).
NOISE = (
    "206157060",  # QQ number in an ad
    "wsx2023",  # document password
    "bibiwenku",  # source site
    "##paid",  # paywall markers
    "酷乐文行",  # source site name in ads
    "微信扫一扫",
    "举报倒卖",
)
# Hostile lines that are speech text and must be shown literally on the page.
HOSTILE_LITERALS = (
    "# 标题不是标题",
    "1. 列表不是列表",
    "> 引用不是引用",
    "| a | b |",
    "*强调*",
    "_下划线_",
    "`反引号`",
    "==高亮==",
    "~~删除~~",
    ":smile:",
    "A&B 公司",
    "a < b > c",
    "缩进四格的文字也不是代码",
    "Key: value",
)
# URLs that may appear in the built site. Everything else is an error.
# - XML namespaces in SVG icons and the sitemap: identifiers, never fetched.
# (w3.org/ns/anno.jsonld: the JSON-LD @context that names an exported W3C Web Annotation;
# pizhu-notes-core.js writes it into the reader's export file, nothing fetches it.)
NAMESPACE_URL_RE = re.compile(
    r"^http://www\.(?:w3\.org/(?:2000/svg|1999/xlink|1999/xhtml|ns/anno\.jsonld)"
    r"|sitemaps\.org/schemas/sitemap/0\.9)$"
)
# - URLs in Material's JavaScript that are never fetched by this site, with the reason.
#   (Comments and source maps are not checked: browsers do not load them.)
THEME_JS_URLS = {
    # loaded only by browsers without ResizeObserver (Chrome < 64, Safari < 13.1), and never
    # here: overrides/main.html defines one before the bundle runs (test_no_outside_requests)
    "https://unpkg.com/resize-observer-polyfill": "bundle",
    # loaded only when a page contains a Mermaid diagram (asserted below: none does)
    "https://unpkg.com/mermaid@11/dist/mermaid.min.js": "bundle",
    # repository facts, only with repo_url (asserted below: not configured)
    "https://api.github.com/repos/${e}/${t}": "bundle",
    "https://api.github.com/users/${e}": "bundle",
    "https://${e}/api/v4/projects/${encodeURIComponent(t": "bundle",
    # text of a console warning in the search worker
    "https://bit.ly/2s3ChXG": "search",
    # text of error messages in the Thai segmenter (lunr "th"), not loaded for zh
    "https://github.com/isaacs/node-glob/issues/167": "wordcut",
}
URL_RE = re.compile(r"https?://[^\s\"'<>)`\\]+")
TEXT_SUFFIXES = {".html", ".js", ".css", ".json", ".xml", ".txt", ".svg", ".map"}


@pytest.fixture(params=["bundled", "hostile"])
def built(request) -> Built:
    return request.getfixturevalue(request.param)


def article(page: str) -> str:
    match = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', page, re.S)
    assert match, "no article in page"
    return match.group(1)


def strip_headerlinks(fragment: str) -> str:
    return re.sub(r'<a class="headerlink"[^>]*>.*?</a>', "", fragment)


def visible(text: str) -> str:
    return " ".join(text.split())


def test_build_is_clean(built):
    assert "WARNING" not in built.log
    assert "ERROR" not in built.log
    assert built.speeches, "the corpus has speeches"


def speech_body(page: str) -> str:
    """The article without the sections that end it (本文涉及概念, 相关讲话)."""
    return article(page).split('<div class="pz-concepts')[0]


def test_every_paragraph_and_heading_is_on_its_page(built):
    for speech in built.speeches:
        content = speech_body(built.page(speech.slug))
        paragraphs = re.findall(r'<p class="pz-p" id="p-(\d+)">(.*?)</p>', content, re.S)
        expected = [b.text for b in speech.blocks if b.kind == "paragraph"]
        assert [int(n) for n, _ in paragraphs] == list(range(1, len(expected) + 1)), speech.slug
        for (number, inner), text in zip(paragraphs, expected, strict=True):
            shown = html_text(speech_words(inner))
            assert shown == f"{number} {visible(text)}", (speech.slug, number)
        headings = re.findall(r"<h([23])[^>]*>(.*?)</h\1>", content, re.S)
        expected_headings = [(str(b.level), b.text) for b in speech.blocks if b.kind == "heading"]
        assert [(level, html_text(strip_headerlinks(inner))) for level, inner in headings] == [
            (level, visible(text)) for level, text in expected_headings
        ], speech.slug


def test_title_is_shown_literally(built):
    for speech in built.speeches:
        page = built.page(speech.slug)
        h1 = re.search(r"<h1[^>]*>(.*?)</h1>", article(page), re.S).group(1)
        title = visible(speech.title or "（无标题）")
        assert html_text(strip_headerlinks(h1)) == title
        head_title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
        assert "<" not in head_title
        assert html.unescape(head_title) == f"{title} - 讲话学习"


def test_speech_index_lists_every_speech(built):
    index = (built.site / "speeches" / "index.html").read_text(encoding="utf-8")
    for speech in built.speeches:
        assert f'href="{speech.slug}.html"' in index
    home = (built.site / "index.html").read_text(encoding="utf-8")
    assert f"讲话 <strong>{len(built.speeches)}</strong> 篇" in home


def test_removed_text_is_not_on_the_page(built):
    """A removed piece is not on its speech's page (unless the speech says it elsewhere)."""
    for speech in built.speeches:
        kept = " ".join(
            filter(
                None,
                [
                    speech.title,
                    speech.subtitle,
                    speech.speaker,
                    speech.occasion,
                    speech.notes,
                    *(b.text for b in speech.blocks),
                ],
            )
        )
        page = html_text(article(built.page(speech.slug)))
        for removal in speech.removed:
            # Short fragments (a stray "）") can occur anywhere; long ones must not.
            if len(removal.text) >= 6 and removal.text not in kept:
                assert removal.text not in page, (speech.slug, removal)


def test_no_noise_anywhere_in_the_site(bundled):
    corpus = site_text(bundled.site)
    for noise in NOISE:
        assert noise not in corpus, noise
    for path in site_files(bundled.site):
        data = path.read_text(encoding="utf-8", errors="replace")
        for noise in NOISE:
            assert noise not in data, (path, noise)


def test_hostile_text_is_shown_literally(hostile):
    speech = next(s for s in hostile.speeches if s.slug == "hostile-markup")
    text = html_text(article(hostile.page(speech.slug)))
    pipeline_text = " ".join([speech.title or "", *(b.text for b in speech.blocks)])
    for literal in HOSTILE_LITERALS:
        assert literal in pipeline_text, f"the pipeline lost {literal!r}"
        assert literal in text, literal


def test_no_markup_from_the_source(hostile):
    for speech in hostile.speeches:
        page = hostile.page(speech.slug)
        content = article(page)
        assert "<script" not in content
        assert "<img" not in content
        assert "<b>" not in content
        assert not re.search(r"<[^>]*\son\w+\s*=", content), "event handler attribute"
        assert "javascript:" not in " ".join(re.findall(r'href="([^"]*)"', page))
        for script in re.findall(r"<script[^>]*>(.*?)</script>", page, re.S):
            assert "alert" not in script


def test_hostile_sidecar_metadata_and_notes_are_literal(hostile):
    speech = next(s for s in hostile.speeches if s.slug == "hostile-sidecar")
    content = article(hostile.page(speech.slug))
    if speech.speaker:
        assert visible(speech.speaker) in html_text(content)
    if speech.notes:
        note = re.search(r'<div class="admonition note">(.*?)</div>', content, re.S).group(1)
        for line in speech.notes.splitlines():
            if line.strip():
                assert visible(line) in html_text(note)
    index = (hostile.site / "speeches" / "index.html").read_text(encoding="utf-8")
    assert "javascript:" not in " ".join(re.findall(r'href="([^"]*)"', index))
    assert "<b>" not in article(index)
    if speech.occasion:
        assert visible(speech.occasion) in html_text(article(index))


def strip_comments(path: Path, data: str) -> str:
    """JavaScript/CSS without comments (license headers, references in the source)."""
    data = re.sub(r"/\*.*?\*/", "", data, flags=re.S)
    # license comments inside the SVG icons of CSS data: URIs ("\3c !--! Font Awesome …")
    data = re.sub(r"(?:<|\\3c\s?)!--.*?--(?:>|\\3e\s?)", "", data, flags=re.S)
    if path.suffix == ".js" and not path.name.endswith(".min.js"):
        data = re.sub(r"(?m)(?:^|\s)//.*$", "", data)
    return data


def test_no_external_urls(built):
    offenders = []
    for path in site_files(built.site):
        if path.suffix == ".map":
            continue  # source maps are read by developer tools only
        data = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix in {".js", ".css"}:
            data = strip_comments(path, data)
        for url in URL_RE.findall(data):
            if NAMESPACE_URL_RE.match(url):
                continue
            if path.suffix == ".js" and THEME_JS_URLS.get(url, "\0") in path.name:
                continue
            offenders.append((path.relative_to(built.site).as_posix(), url))
        if path.suffix == ".html":
            # protocol-relative addresses ("//host/x.js") in attributes
            offenders += [
                (path.name, url) for url in re.findall(r'(?:src|href|action)="(//[^"]*)"', data)
            ]
    assert offenders == []


def test_conditions_of_allowed_theme_urls_hold(built):
    """The theme URLs above stay unused only while no page needs them."""
    config = (built.project / "mkdocs.yml").read_text(encoding="utf-8")
    assert "repo_url" not in config
    for path in built.site.rglob("*.html"):
        page = path.read_text(encoding="utf-8")
        assert 'class="mermaid"' not in page, path
        assert 'class="md-source"' not in page, path


def test_site_file_names_are_ascii(built):
    for path in built.site.rglob("*"):
        name = path.relative_to(built.site).as_posix()
        assert name.isascii(), name


def test_the_theme_files_the_site_never_loads_are_left_out(built):
    """material.UNUSED_THEME_FILES: no lunr, no Material search worker, no source map; and
    nothing the site loads is among them (every script and stylesheet a page names exists)."""
    from pizhu.material import unused_theme_file

    names = [p.relative_to(built.site).as_posix() for p in built.site.rglob("*") if p.is_file()]
    assert [name for name in names if unused_theme_file(name)] == []
    assert "assets/javascripts/pizhu-search-worker.js" in names
    for page in built.site.rglob("*.html"):
        for address in re.findall(
            r'<(?:script|link)[^>]*?(?:src|href)="([^"#?]+)', page.read_text("utf-8")
        ):
            if "://" in address or not address.endswith((".js", ".css")):
                continue
            assert (page.parent / address).resolve().is_file(), (page.name, address)


def test_unused_theme_files_are_named_by_path():
    from pizhu.material import unused_theme_file

    for name in (
        "assets/javascripts/lunr/min/lunr.zh.min.js",
        "assets/javascripts/lunr/wordcut.js",
        "assets/javascripts/workers/search.a7633da7.min.js",
        "assets/javascripts/bundle.a5f9d56c.min.js.map",
        "assets/stylesheets/main.57a0d79d.min.css.map",
    ):
        assert unused_theme_file(name), name
    for name in (
        "assets/javascripts/bundle.a5f9d56c.min.js",
        "assets/javascripts/pizhu-search-worker.js",
        "assets/stylesheets/main.57a0d79d.min.css",
        "speeches/lunr.html",
        "sitemap.xml",
    ):
        assert unused_theme_file(name) is None, name


# --- helpers --------------------------------------------------------------------------


def site_files(site: Path) -> list[Path]:
    return [p for p in sorted(site.rglob("*")) if p.is_file() and p.suffix in TEXT_SUFFIXES]


def site_text(site: Path) -> str:
    """All visible text of the site: HTML pages (tags stripped) and the search index."""
    parts = [html_text(p.read_text(encoding="utf-8")) for p in sorted(site.rglob("*.html"))]
    from pizhu.search_files import read_index

    for doc in read_index(site):
        parts += [html_text(doc.get("title", "")), html_text(doc.get("text", ""))]
    return "\n".join(parts).replace("\u200b", "")


def test_bad_source_fails_the_build_with_the_message(tmp_path):
    """A user's mistake stops `mkdocs build` with pizhu's one-line message, no traceback."""
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "empty.txt").write_bytes(b"")
    project = tmp_path / "project"
    copy_project(project, sources)
    result = run_mkdocs(project)
    log = result.stdout + result.stderr
    assert result.returncode == 1
    assert "Traceback" not in log
    assert re.search(r"ERROR\s+-\s+sources/empty\.txt: .+; .+", log), log
    assert not (project / "docs" / "speeches").exists()


# --- an editor's mistake stops `mkdocs build` before site/ is touched -----------------------

LINKED_GLOSSARY = """\
si-feng:
  term: 四风
  category: 纪律作风
  summary: 形式主义、官僚主义、享乐主义和奢靡之风。
  definition: |
    反对“四风”。

    见[四种形态](si-zhong-xingtai.md)。
"""
FIRST_SPEECH = sorted((ROOT / "sources").glob("*.txt"))[0]
MKDOCS_MISTAKES = {
    "definition-link": (
        {"glossary.yml": LINKED_GLOSSARY},
        "glossary.yml:8: the definition of 'si-feng' links to 'si-zhong-xingtai.md', which is"
        " not a page of the site (glossary/si-zhong-xingtai.md); link a concept as"
        " other-id.md, a speech as ../speeches/<file name>.md, a page of docs/ as ../about.md",
    ),
    "sidecar-keep": (
        {f"sources/{FIRST_SPEECH.stem}.yml": "title: 标题\nkeep: [9999]\n"},
        f"sources/{FIRST_SPEECH.stem}.yml:2: keep: line 9999 is past the end of"
        f" sources/{FIRST_SPEECH.name} (",
    ),
    "unreadable-glossary": (
        {"glossary.yml": None},
        "glossary.yml: cannot read the file (Permission denied); give yourself permission to"
        " read it (chmod u+r glossary.yml)",
    ),
}


@pytest.mark.parametrize("mistake", MKDOCS_MISTAKES)
def test_mistake_stops_mkdocs_before_the_site_is_touched(tmp_path, mistake):
    files, message = MKDOCS_MISTAKES[mistake]
    sources = tmp_path / "sources"
    sources.mkdir()
    shutil.copy2(FIRST_SPEECH, sources / FIRST_SPEECH.name)
    project = tmp_path / "project"
    copy_project(project, sources)
    for name, text in files.items():
        if text is None:
            (project / name).chmod(0)
        else:
            (project / name).write_text(text, encoding="utf-8")
    (project / "site").mkdir()
    (project / "site" / "index.html").write_text("the last good site", encoding="utf-8")
    result = run_mkdocs(project, unprivileged=True)
    log = result.stdout + result.stderr
    assert result.returncode == 1
    assert "Traceback" not in log
    errors = [line for line in log.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1, log
    assert re.sub(r"^ERROR\s+-\s+", "", errors[0]).startswith(message), errors[0]
    assert str(tmp_path) not in errors[0]
    assert sorted(p.name for p in (project / "site").iterdir()) == ["index.html"]
    assert (project / "site" / "index.html").read_text(encoding="utf-8") == "the last good site"
    assert not (project / "docs" / "speeches").exists()
