"""编者批注 and 金句 in the real site (``mkdocs build --strict`` of the bundled corpus and of
small projects): every note and key sentence on its page at its paragraph, the lists,
the 金句 page, counts, search, hostile notes shown literally, and a broken quote that
stops the build with ``sources/x.yml:LINE`` and leaves the previous output as it was.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, Built, copy_project, html_text, mkdocs_build, run_mkdocs, speech_words
from pizhu.editorial import note_id
from pizhu.model import TITLE_BLOCK
from pizhu.search_files import read_index

BUILD_PY = ROOT / "scripts" / "build.py"
SPEECH = ROOT / "sources" / "paichusuo-suozhang-peixunban.txt"


def inner(page: str, start: str) -> str:
    """The inner HTML of the first element whose start tag matches the regex ``start``,
    up to its matching end tag (elements of the same name may nest inside it)."""
    match = re.search(start, page)
    assert match, start
    name = re.match(r"<(\w+)", match.group(0)).group(1)
    depth, position = 1, match.end()
    for tag in re.finditer(rf"<(/?){name}\b[^>]*>", page[position:]):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return page[position : position + tag.start()]
    raise AssertionError(f"{start} is not closed")


def element(page: str, element_id: str) -> str:
    """The inner HTML of the element with this id."""
    return inner(page, rf'<\w+[^>]* id="{element_id}"[^>]*>')


def where(page: str, item) -> str:
    """The paragraph of a note or key sentence, or the line of notes after its heading."""
    if item.paragraph is not None:
        return paragraph(page, item.paragraph)
    notes = re.findall(r'<p class="pz-heading-notes">.*?</p>', page, re.S)
    found = [n for n in notes if f'id="{note_id(item.number)}"' in n]
    assert found, item
    return found[0]


def paragraph(page: str, number: int) -> str:
    return element(page, f"p-{number}")


def test_every_note_is_at_its_paragraph(bundled: Built):
    noted = 0
    for speech in bundled.speeches:
        page = bundled.page(speech.slug)
        assert len(speech.annotations) >= 3, speech.slug
        for annotation in speech.annotations:
            number = annotation.number
            marked = inner(page, rf'<span class="pz-anno" data-pz-anno="{number}">')
            assert html_text(marked) == html_text(annotation.quote), (speech.slug, number)
            place = where(page, annotation)
            assert f'<a class="pz-anno-ref" id="{note_id(number)}-ref"' in place
            note = element(place, note_id(number))
            assert html_text(note) == f"注{number} {' '.join(annotation.note.split())}"
            if annotation.paragraph is not None:
                assert marked in place
            noted += 1
    assert noted >= 15


def test_every_key_sentence_is_marked_at_its_paragraph_and_listed_at_the_top(bundled: Built):
    for speech in bundled.speeches:
        page = bundled.page(speech.slug)
        assert 3 <= len(speech.key_sentences) <= 6, speech.slug
        top = page.split('class="admonition quote pz-keys', 1)[1].split("</div>", 1)[0]
        for number, key in enumerate(speech.key_sentences, 1):
            marked = element(paragraph(page, key.paragraph), f"key-{number}")
            assert html_text(speech_words(marked)) == html_text(key.text)
            assert f'href="#p-{key.paragraph}"' in top
            assert html_text(key.text.replace("“", "‘").replace("”", "’")) in html_text(top)


def test_the_notes_list_and_the_print_footnotes(bundled: Built):
    for speech in bundled.speeches:
        page = bundled.page(speech.slug)
        listing = page.split('<details class="note pz-annos', 1)[1].split("</details>", 1)[0]
        assert f"编者批注（{len(speech.annotations)} 条）" in listing
        footnotes = page.split('class="pz-anno-footnotes', 1)[1].split("</div>", 1)[0]
        for annotation in speech.annotations:
            if annotation.paragraph is None:
                assert f'href="#{note_id(annotation.number)}-ref"' in listing
                assert "小标题" in html_text(listing)
            else:
                assert f'href="#p-{annotation.paragraph}"' in listing
                assert f"第 {annotation.paragraph} 段" in html_text(listing)
            assert annotation.note in html_text(listing)
            assert f"注{annotation.number}" in html_text(footnotes)
            assert annotation.note in html_text(footnotes)


def test_the_speech_text_is_unchanged_by_the_notes(bundled: Built):
    """What a reader copies, highlights or searches is the speech: without the notes
    (data-pz-skip) each paragraph is exactly its text."""
    for speech in bundled.speeches:
        page = bundled.page(speech.slug)
        paragraphs = [b for b in speech.blocks if b.kind == "paragraph"]
        for annotation in speech.annotations:
            if annotation.paragraph is None:
                continue
            block = speech.blocks[annotation.block]
            text = html_text(speech_words(paragraph(page, annotation.paragraph)))
            assert text == f"{annotation.paragraph} {' '.join(block.text.split())}"
            assert block in paragraphs


def test_key_sentences_page_lists_every_key_sentence_newest_speech_first(bundled: Built):
    page = (bundled.site / "key-sentences.html").read_text(encoding="utf-8")
    nav = (bundled.site / "index.html").read_text(encoding="utf-8")
    assert 'href="key-sentences.html"' in nav
    groups = re.findall(r'<div class="pz-keys-group">(.*?)</ul>', page, re.S)
    with_keys = [s for s in bundled.speeches if s.key_sentences]
    assert len(groups) == len(with_keys)
    dates = []
    for group in groups:
        slug = re.search(r'href="speeches/([\w-]+)\.html"', group).group(1)
        speech = next(s for s in with_keys if s.slug == slug)
        dates.append(speech.date or "")
        items = re.findall(r"<li data-pz-concepts=\"([^\"]*)\">(.*?)</li>", group, re.S)
        assert len(items) == len(speech.key_sentences), slug
        for (concepts, item), key in zip(items, speech.key_sentences, strict=True):
            assert f'href="speeches/{slug}.html#p-{key.paragraph}"' in item
            assert html_text(key.text.replace("“", "‘").replace("”", "’")) in html_text(item)
            for term_id in concepts.split():
                assert (bundled.site / "glossary" / f"{term_id}.html").is_file()
    assert dates == sorted(dates, reverse=True)
    assert "data-pz-keys-filter" in page
    total = sum(len(s.key_sentences) for s in bundled.speeches)
    assert f"<strong>{total}</strong> 句金句" in page


def test_counts_on_the_home_page_and_in_the_speeches_index(bundled: Built):
    notes = sum(len(s.annotations) for s in bundled.speeches)
    keys = sum(len(s.key_sentences) for s in bundled.speeches)
    home = html_text((bundled.site / "index.html").read_text(encoding="utf-8"))
    assert f"编者批注 {notes} 条，金句 {keys} 句" in home
    index = (bundled.site / "speeches" / "index.html").read_text(encoding="utf-8")
    for speech in bundled.speeches:
        row = index.split(f'href="{speech.slug}.html"', 1)[1].split("</td>", 1)[0]
        expected = f"批注 {len(speech.annotations)} · 金句 {len(speech.key_sentences)}"
        assert expected in html_text(row), speech.slug


def test_notes_are_found_by_search_at_their_paragraph(bundled: Built):
    documents = read_index(bundled.site)
    by_location = {doc["location"]: doc["text"] for doc in documents}
    for speech in bundled.speeches:
        for annotation in speech.annotations:
            if annotation.paragraph is None:
                continue  # a heading's note is text of its section
            location = f"speeches/{speech.slug}.html#p-{annotation.paragraph}"
            lines = by_location[location].split("\n")
            assert lines[0] == " ".join(speech.blocks[annotation.block].text.split())
            assert " ".join(annotation.note.split()) in lines[1:], location
    # The 金句 page is not a second hit for every sentence.
    assert not any(doc["location"].startswith("key-sentences.html") for doc in documents)


HOSTILE_NOTE = "<script>alert(1)</script> *强调* [链接](http://evil.example) &amp; | a | # 标题"
HOSTILE_SIDECAR = f"""\
annotations:
  - quote: 兵头将尾
    note: '{HOSTILE_NOTE}'
  - quote: "群众看公安，关键看派出所"
    note: "  <b>粗</b>  {{: .x }} ``代码``"
key_sentences:
  - 基础不牢，地动山摇
"""


def small_project(tmp_path: Path, sidecar: str) -> Path:
    """One bundled speech with the given sidecar, the project's machinery around it."""
    sources = tmp_path / "in"
    sources.mkdir(parents=True)
    shutil.copy2(SPEECH, sources / SPEECH.name)
    (sources / f"{SPEECH.stem}.yml").write_text(sidecar, encoding="utf-8")
    project = tmp_path / "project"
    copy_project(project, sources)
    return project


def test_hostile_notes_are_shown_literally(tmp_path):
    built = mkdocs_build(small_project(tmp_path, HOSTILE_SIDECAR))
    page = built.page(SPEECH.stem)
    assert "<script>alert" not in page and "<b>粗</b>" not in page
    assert 'href="http://evil.example"' not in page
    notes = {html_text(element(page, note_id(n)))[3:] for n in (1, 2)}  # after "注N "
    assert notes == {" ".join(HOSTILE_NOTE.split()), "<b>粗</b> {: .x } ``代码``"}


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_a_broken_quote_stops_the_build_and_keeps_the_previous_output(tmp_path):
    project = small_project(tmp_path, HOSTILE_SIDECAR)
    assert run_mkdocs(project).returncode == 0
    build = [sys.executable, str(BUILD_PY), "build", "--root", str(project)]
    assert subprocess.run(build, capture_output=True, check=False).returncode == 0
    site, docs = _snapshot(project / "site"), _snapshot(project / "docs")
    broken = HOSTILE_SIDECAR.replace("兵头将尾", "兵头将帅")
    (project / "sources" / f"{SPEECH.stem}.yml").write_text(broken, encoding="utf-8")
    for command in (build, None):
        result = (
            run_mkdocs(project)
            if command is None
            else subprocess.run(command, capture_output=True, text=True, check=False)
        )
        assert result.returncode != 0
        output = result.stdout + result.stderr
        assert f"sources/{SPEECH.stem}.yml:2:" in output, output
        assert "'兵头将帅' is not in the speech" in output, output
        assert "第6段 '“兵头将'" in output, output  # the closest passage
    assert _snapshot(project / "site") == site
    assert _snapshot(project / "docs") == docs


def test_a_note_on_the_title_or_a_heading_keeps_its_anchor(tmp_path):
    from pizhu.generate import load_speeches

    project = small_project(tmp_path, "key_sentences: []\n")
    speech = load_speeches(project)[0]
    heading = next(b for b in speech.blocks if b.kind == "heading")
    sidecar = (
        f"annotations:\n  - quote: {speech.title}\n    note: 题注。\n"
        f"  - quote: {heading.text[-4:]}\n    note: 小标题注。\n"
    )
    (project / "sources" / f"{SPEECH.stem}.yml").write_text(sidecar, encoding="utf-8")
    plain = small_project(tmp_path / "plain", "key_sentences: []\n")
    page, before = mkdocs_build(project).page(SPEECH.stem), mkdocs_build(plain).page(SPEECH.stem)
    heading_ids = re.compile(r'<h[23] id="([^"]+)"')
    assert heading_ids.findall(page) == heading_ids.findall(before)
    toc = re.compile(r'<nav class="md-nav md-nav--secondary".*?</nav>', re.S)
    assert html_text(toc.search(page).group(0)) == html_text(toc.search(before).group(0))
    notes = re.findall(r'<p class="pz-heading-notes">(.*?)</p>', page, re.S)
    assert [html_text(speech_words(n)) for n in notes] == ["", ""]
    assert "题注。" in html_text(notes[0]) and "小标题注。" in html_text(notes[1])
    assert TITLE_BLOCK == -1  # the title is a place a quote can be (annotate.py)
