"""generate.py: glossary.yml + sources/ -> pages in memory -> docs/, deterministic and
all-or-nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from mkdocs.utils.meta import get_data

from conftest import ROOT
from pizhu.errors import GlossaryError, PizhuError, SourceError
from pizhu.generate import (
    build_docs,
    find_sources,
    generate_pages,
    load_project_glossary,
    slug_for,
    write_pages,
)
from pizhu.glossary import load_glossary

BUNDLED = sorted((ROOT / "sources").glob("*.txt"))
TERM_IDS = [term.id for term in load_glossary(ROOT / "glossary.yml")]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the bundled corpus and glossary with one hand-written page in docs/."""
    shutil.copytree(ROOT / "sources", tmp_path / "sources")
    shutil.copy2(ROOT / "glossary.yml", tmp_path / "glossary.yml")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "about.md").write_text("# 关于\n", encoding="utf-8")
    return tmp_path


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``folder``: content and modification time."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_pages_for_every_source_plus_indexes(project):
    pages = generate_pages(project)
    expected = {f"speeches/{p.stem}.md" for p in BUNDLED} | {"speeches/index.md", "index.md"}
    expected |= {"speeches/tags.md", "concepts.md", "key-sentences.md"}
    expected |= {"glossary/index.md"} | {f"glossary/{term_id}.md" for term_id in TERM_IDS}
    assert set(pages) == expected
    assert list(pages) == sorted(pages)
    for path, content in pages.items():
        assert content.startswith("---\n"), path
        assert content.endswith("\n"), path
        assert "\r" not in content


def test_generation_is_deterministic(project, tmp_path):
    first = generate_pages(project)
    second = generate_pages(project)
    assert first == second
    write_pages(tmp_path / "a", first)
    write_pages(tmp_path / "b", second)
    assert {k: v[0] for k, v in snapshot(tmp_path / "a").items()} == {
        k: v[0] for k, v in snapshot(tmp_path / "b").items()
    }


def test_no_timestamps_or_absolute_paths_in_pages(project):
    for content in generate_pages(project).values():
        assert str(project) not in content
        assert str(ROOT) not in content


def test_unchanged_pages_are_not_rewritten(project):
    docs = project / "docs"
    first = build_docs(project)
    assert first.written and not first.unchanged
    before = snapshot(docs)
    second = build_docs(project)
    assert second.written == ()
    assert second.deleted == ()
    assert set(second.unchanged) == set(first.written)
    assert snapshot(docs) == before


def test_only_the_changed_page_is_rewritten(project):
    build_docs(project)
    source = project / "sources" / BUNDLED[0].name
    source.write_bytes(source.read_bytes() + "\n补充的一段话。\n".encode())
    result = build_docs(project)
    assert f"speeches/{BUNDLED[0].stem}.md" in result.written
    assert "index.md" in result.written or "speeches/index.md" in result.written
    assert len(result.written) <= 3


def test_a_new_paragraph_with_a_concept_rewrites_only_the_pages_it_touches(project):
    build_docs(project)
    source = project / "sources" / BUNDLED[0].name
    source.write_bytes(source.read_bytes() + "\n要坚持和发展新时代枫桥经验。\n".encode())
    result = build_docs(project)
    touched = {path for path in result.written if path.startswith("glossary/")}
    assert "glossary/fengqiao-jingyan.md" in touched
    assert "glossary/index.md" in touched  # its counts changed
    assert touched <= {"glossary/fengqiao-jingyan.md", "glossary/index.md"}


def test_stale_generated_pages_are_deleted_and_handwritten_kept(project):
    docs = project / "docs"
    build_docs(project)
    (docs / "speeches" / "old-speech.md").write_text("stale", encoding="utf-8")
    (docs / "glossary" / "old-term.md").write_text("stale", encoding="utf-8")
    (project / "sources" / BUNDLED[0].name).unlink()
    (project / "sources" / BUNDLED[0].with_suffix(".yml").name).unlink(missing_ok=True)
    result = build_docs(project)
    assert set(result.deleted) == {
        "speeches/old-speech.md",
        "glossary/old-term.md",
        f"speeches/{BUNDLED[0].stem}.md",
    }
    (project / "glossary.yml").unlink()
    result = build_docs(project)
    assert {f"glossary/{term_id}.md" for term_id in TERM_IDS} <= set(result.deleted)
    assert sorted(p.name for p in (docs / "glossary").iterdir()) == ["index.md"]
    assert (docs / "about.md").read_text(encoding="utf-8") == "# 关于\n"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("empty.txt", b""),
        ("binary.txt", bytes(range(256)) * 4),
        ("讲话稿.txt", "同志们：今天开会。".encode()),
    ],
)
def test_an_error_leaves_docs_untouched(project, name, data):
    docs = project / "docs"
    build_docs(project)
    before = snapshot(docs)
    # A change that would rewrite pages if generation went ahead.
    first = project / "sources" / BUNDLED[0].name
    first.write_bytes(first.read_bytes() + "\n新的一段。\n".encode())
    (project / "sources" / name).write_bytes(data)
    with pytest.raises(PizhuError) as error:
        build_docs(project)
    assert f"sources/{name}" in str(error.value)
    assert snapshot(docs) == before


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "a:\n  term: 四风\n  category: 纪律作风\n  summary: x\n  definition: y\n"
            "b:\n  term: 两个维护\n  aliases: [四风]\n  category: 政治理论\n"
            "  summary: x\n  definition: y\n",
            "glossary.yml:8: alias '四风' is already used by entry 'a' (line 2); remove one of them",
        ),
        ("a: [1, 2]\n", "glossary.yml:1: entry 'a' must be a mapping of fields, not a list;"),
        ("a:\n  term: x\n  term: y\n", "glossary.yml:3: "),
    ],
)
def test_a_glossary_error_leaves_docs_untouched(project, text, message):
    docs = project / "docs"
    build_docs(project)
    before = snapshot(docs)
    first = project / "sources" / BUNDLED[0].name
    first.write_bytes(first.read_bytes() + "\n新的一段。\n".encode())
    (project / "glossary.yml").write_text(text, encoding="utf-8")
    with pytest.raises(GlossaryError) as error:
        build_docs(project)
    assert str(error.value).startswith(message)
    assert snapshot(docs) == before


def test_glossary_not_utf8_is_an_error(project):
    (project / "glossary.yml").write_bytes("\n\n四风:".encode("gb18030"))
    with pytest.raises(GlossaryError) as error:
        load_project_glossary(project)
    assert str(error.value) == (
        "glossary.yml:3: not UTF-8 (first bad byte 0xcb at byte offset 2); save the file as UTF-8"
    )


def test_non_ascii_file_name_says_to_rename(project):
    (project / "sources" / "党课讲稿.txt").write_text("同志们：", encoding="utf-8")
    with pytest.raises(SourceError) as error:
        find_sources(project)
    message = str(error.value)
    assert message.startswith("sources/党课讲稿.txt: ")
    assert "ASCII" in message
    assert "rename" in message


@pytest.mark.parametrize("name", ["index.txt", "Tags.txt"])
def test_a_slug_taken_by_a_site_page_is_an_error(project, name):
    (project / "sources" / name).write_text("同志们：", encoding="utf-8")
    with pytest.raises(SourceError) as error:
        find_sources(project)
    assert str(error.value).startswith(f"sources/{name}: the page address ")
    assert "rename" in str(error.value)


def test_duplicate_slugs_are_an_error(project):
    (project / "sources" / "dang_ke.txt").write_text("同志们：", encoding="utf-8")
    (project / "sources" / "dang-ke.txt").write_text("同志们：", encoding="utf-8")
    with pytest.raises(SourceError, match="same page address 'dang-ke'"):
        find_sources(project)


def test_sidecar_without_speech_is_an_error(project):
    (project / "sources" / "missing.yml").write_text("speaker: 张三\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"sources/missing.yml: sidecar has no speech file"):
        find_sources(project)


@pytest.mark.parametrize(
    ("stem", "slug"),
    [("2021-dangke", "2021-dangke"), ("Dang_Ke 2021", "dang-ke-2021"), ("abc", "abc")],
)
def test_slugs(stem, slug):
    assert slug_for(Path(f"sources/{stem}.txt")) == slug


@pytest.mark.parametrize("stem", ["讲话", "café", "-x", "a--b", "a.b", ""])
def test_bad_slugs(stem):
    with pytest.raises(SourceError):
        slug_for(Path(f"sources/{stem}.txt"))


def test_write_pages_refuses_handwritten_paths(tmp_path):
    for path in ("about.md", "../x.md", "speeches/../about.md", "assets/x.css"):
        with pytest.raises(ValueError):
            write_pages(tmp_path, {path: "x"})


def test_no_sources_gives_empty_index(tmp_path):
    pages = generate_pages(tmp_path)
    assert set(pages) == {
        "index.md",
        "speeches/index.md",
        "speeches/tags.md",
        "glossary/index.md",
        "concepts.md",
        "key-sentences.md",
    }
    assert "还没有收录讲话" in pages["speeches/index.md"]
    assert "还没有标注金句" in pages["key-sentences.md"]
    assert "还没有收录讲话" in pages["speeches/tags.md"]
    # The navigation always has its pages, even before there is a glossary.
    assert "glossary.yml" in pages["glossary/index.md"]
    assert "glossary.yml" in pages["concepts.md"]


# --- files in sources/ that are not speeches, and other cases of suffix ---------------------


def test_hidden_files_are_ignored(project):
    before = [s.name for s in find_sources(project)]
    sources = project / "sources"
    # What a Mac leaves on a USB stick: AppleDouble companions (binary) and .DS_Store.
    (sources / f"._{BUNDLED[0].name}").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X")
    (sources / "._notes.yml").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X")
    (sources / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (sources / ".draft.txt.swp").write_bytes(b"b0VIM 8.2")
    assert [s.name for s in find_sources(project)] == before
    build_docs(project)


def test_upper_case_suffixes_are_speeches_and_sidecars(project):
    (project / "sources" / "NOTES-2021.TXT").write_bytes(BUNDLED[0].read_bytes())
    (project / "sources" / "NOTES-2021.YML").write_text("title: 大写后缀\n", encoding="utf-8")
    found = {s.name: s for s in find_sources(project)}
    source = found["sources/NOTES-2021.TXT"]
    assert source.slug == "notes-2021"
    assert source.sidecar == project / "sources" / "NOTES-2021.YML"
    pages = generate_pages(project)
    assert get_data(pages["speeches/notes-2021.md"])[1]["title"] == "大写后缀"


def test_two_sidecars_for_one_speech_are_an_error(project):
    stem = BUNDLED[0].stem
    (project / "sources" / f"{stem}.yml").write_text("title: 甲\n", encoding="utf-8")
    (project / "sources" / f"{stem}.YML").write_text("title: 乙\n", encoding="utf-8")
    with pytest.raises(SourceError) as error:
        find_sources(project)
    assert str(error.value) == (
        f"sources/{stem}.yml: a second sidecar for {stem} (the first is sources/{stem}.YML);"
        " merge the two into one file and delete the other"
    )


# --- links in glossary definitions are checked when glossary.yml is loaded ------------------

LINKED_GLOSSARY = """\
si-feng:
  term: 四风
  category: 纪律作风
  summary: 形式主义、官僚主义、享乐主义和奢靡之风。
  definition: |
    反对“四风”。

    见{link}。
"""


@pytest.mark.parametrize(
    "link",
    [
        "[四风](si-feng.md)",
        "[概念](index.md#纪律作风)",
        "[关于](../about.md)",
        "[目录](../speeches/index.md)",
        f"[讲话](../speeches/{BUNDLED[0].stem}.md#p-3)",
        "[本页](#top)",
        "![图](../assets/stylesheets/x.css)",
    ],
)
def test_definition_links_to_pages_of_the_site(project, link):
    (project / "docs" / "assets" / "stylesheets").mkdir(parents=True)
    (project / "docs" / "assets" / "stylesheets" / "x.css").write_text("", encoding="utf-8")
    (project / "glossary.yml").write_text(LINKED_GLOSSARY.format(link=link), encoding="utf-8")
    assert len(load_project_glossary(project)) == 1


@pytest.mark.parametrize(
    ("link", "message"),
    [
        (
            "[四种形态](si-zhong-xingtai.md)",
            "glossary.yml:8: the definition of 'si-feng' links to 'si-zhong-xingtai.md', which is"
            " not a page of the site (glossary/si-zhong-xingtai.md); link a concept as"
            " other-id.md, a speech as ../speeches/<file name>.md, a page of docs/ as ../about.md",
        ),
        (
            "[四风](si-fen.md)",
            "glossary.yml:8: the definition of 'si-feng' links to 'si-fen.md', which is not a"
            " page of the site (glossary/si-fen.md); did you mean 'si-feng.md'?",
        ),
        (
            "[关于](about.md)",
            "glossary.yml:8: the definition of 'si-feng' links to 'about.md', which is not a"
            " page of the site (glossary/about.md); did you mean '../about.md'?",
        ),
    ],
)
def test_definition_link_to_a_missing_page(project, link, message):
    docs = project / "docs"
    build_docs(project)
    before = snapshot(docs)
    (project / "glossary.yml").write_text(LINKED_GLOSSARY.format(link=link), encoding="utf-8")
    with pytest.raises(GlossaryError) as error:
        build_docs(project)
    assert str(error.value) == message
    assert snapshot(docs) == before
