"""我的批注 after the site is rebuilt from changed sources, in the same folder (file://).

A small project with one speech is built, notes are made with the mouse, then the source
changes and the same folder is rebuilt: a paragraph inserted before the notes (every
paragraph after it renumbered) and words edited next to the quotes — the notes re-attach
to their words, and a quote said three times lands on the right one; then the quoted
words themselves are changed — that note is kept and listed as 未能定位 with its quote.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, run_mkdocs
from notes_helpers import PAGE_HELPERS, highlight, marked, paragraph_text, words_in, write_note
from test_offline import file_context

pytestmark = [pytest.mark.browser, pytest.mark.build]

SLUG = "jiceng-xuexi"
TITLE = "在全局学习工作推进会上的讲话"
FIRST = [
    TITLE,
    "",
    "同志们：",
    "",
    "今天我们召开这次会议，主要任务是总结前一阶段的学习情况，部署下一步工作。",
    "",
    "第一，要把学习抓在经常。学习不是一阵子的事情，而是一辈子的功课。"
    "各单位要把学习计划落到每一周，做到有安排、有检查、有讲评。",
    "",
    "第二，要把学习联系实际。学习的目的全在于运用，要结合本单位的实际问题开展讨论，防止学用脱节。",
    "",
    "第三，要把学习成果转化为工作成效。年底要对照年初的计划逐项检查，看看解决了哪些实际问题。",
    "",
]
QUOTE = "学习不是一阵子的事情，而是一辈子的功课"
INSERTED = "在讲具体要求之前，先通报一下上个月各单位学习检查的情况，总体是好的。"


def second_version() -> list[str]:
    """A paragraph inserted before the notes; words next to both quotes edited."""
    lines = list(FIRST)
    lines.insert(6, INSERTED)
    lines.insert(7, "")
    lines[8] = (
        lines[8]
        .replace("要把学习抓在经常。", "要把学习抓在平常。")
        .replace("各单位要把学习计划落到每一周", "各部门要把学习计划落实到每一周")
    )
    lines[10] = lines[10].replace("联系实际。学习的目的", "联系工作实际。学习的根本目的")
    return lines


def third_version() -> list[str]:
    """The quoted words themselves changed."""
    lines = second_version()
    lines[8] = lines[8].replace(QUOTE, "学习不是一时的任务，而是长期的功课")
    return lines


def write_source(project: Path, lines: list[str]) -> None:
    (project / "sources" / f"{SLUG}.txt").write_text("\n".join(lines), encoding="utf-8")


def build(project: Path) -> None:
    result = run_mkdocs(project)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    sources = tmp_path_factory.mktemp("notes-sources")
    (sources / f"{SLUG}.txt").write_text("\n".join(FIRST), encoding="utf-8")
    project = tmp_path_factory.mktemp("notes-rebuild") / "站点"
    copy_project(project, sources)
    build(project)
    return project


def paragraph_with(page, words: str) -> list[str]:
    return page.evaluate(
        """(w) => Array.from(document.querySelectorAll('article p.pz-p[id]'))
             .filter(p => window.__pzText(p.id).includes(w)).map(p => p.id)""",
        words,
    )


def test_notes_reattach_after_rebuilds_and_lost_words_are_kept(browser, project: Path):
    assert ROOT.is_dir()
    context, network = file_context(browser)
    context.add_init_script(PAGE_HELPERS)
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    url = (project / "site" / "speeches" / f"{SLUG}.html").as_uri()
    notes_url = (project / "site" / "notes.html").as_uri()
    try:
        page.goto(url)
        # a note on a sentence, and a highlight on words said in three paragraphs
        (quote_para,) = paragraph_with(page, QUOTE)
        assert quote_para == "p-3"
        text = paragraph_text(page, quote_para)
        noted = write_note(
            page, words_in(page, quote_para, text.index(QUOTE), len(QUOTE)), "学习要常态化"
        )
        assert len(paragraph_with(page, "要把学习")) == 3
        second = paragraph_with(page, "联系实际")[0]
        text = paragraph_text(page, second)
        bare = highlight(page, words_in(page, second, text.index("要把学习"), 4), "green")
        assert marked(page) == {noted: (QUOTE, "p-3"), bare: ("要把学习", "p-4")}

        # rebuilt: a paragraph inserted before, words edited around both quotes
        write_source(project, second_version())
        build(project)
        page.reload(wait_until="load")
        assert paragraph_with(page, INSERTED) == ["p-3"]
        assert marked(page) == {noted: (QUOTE, "p-4"), bare: ("要把学习", "p-5")}
        assert "未能定位" not in page.locator(".pz-notes-bar").inner_text()
        page.goto(notes_url)
        assert page.locator(".pz-note__para").all_inner_texts() == ["第4段", "第5段"]

        # rebuilt: the quoted words changed; the note is kept and said to be lost
        write_source(project, third_version())
        build(project)
        page.goto(url)
        assert marked(page) == {bare: ("要把学习", "p-5")}
        assert "1 条未能定位" in page.locator(".pz-notes-bar").inner_text()
        page.goto(notes_url)
        lost = page.locator(".pz-note--lost")
        assert lost.count() == 1
        assert QUOTE in lost.inner_text() and "学习要常态化" in lost.inner_text()
        assert "未能定位" in lost.inner_text()
        assert "1 条未能定位" in page.locator(".pz-notes-summary").inner_text()
        with page.expect_download() as info:
            page.get_by_role("button", name=re.compile("导出 JSON")).click()
        exported = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
        assert {item["target"]["selector"][0]["exact"] for item in exported} == {QUOTE, "要把学习"}
    finally:
        context.close()
    assert network.blocked == [] and network.failed == []
    assert errors == []
