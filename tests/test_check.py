"""``build.py check``: every problem of the sidecars and glossary.yml, without building.

A copy of the project with mistakes in two sidecars, a bad file name, an orphan sidecar
and two wrong glossary entries: check lists every one as ``file:line: message; fix``, in
file order, exits 1, and writes nothing. The bundled project has none.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT
from pizhu.check import check_project

SPEECH = "讲话标题\n同志们：\n严管就是厚爱，宽松软就是害。我们要牢记“四句话、十六字”的总要求。\n一、坚持从严治警\n落实“四句话、十六字”。\n"

BROKEN_GLOSSARY = """
broken-one:
  term: 坏条目一
  category: 不存在的类别
  summary: 一。
  definition: 一。
broken-two:
  term: 坏条目二
  category: 队伍建设
  summary: 二。
  definition: 见[不存在的页面](nowhere.md)。
  related: [broken-one]
"""


def make_project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    sources = project / "sources"
    sources.mkdir(parents=True)
    shutil.copy2(ROOT / "glossary.yml", project / "glossary.yml")
    (sources / "a.txt").write_text(SPEECH, encoding="utf-8")
    (sources / "a.yml").write_text(
        "titel: 讲话标题\n"
        "keep: [99]\n"
        "annotations:\n"
        "  - quote: 严管就是关爱\n"
        "    note: 错了一个字。\n"
        "  - quote: 四句话、十六字\n"
        "    note: 出现两次。\n"
        "  - 严管就是厚爱\n"
        "key_sentences:\n"
        "  - 严管就是厚爱，宽松软就是害\n"
        "  - 全面从严治党永远在路上\n",
        encoding="utf-8",
    )
    (sources / "b.txt").write_text(SPEECH, encoding="utf-8")
    (sources / "b.yml").write_text(
        "date: 2021/6/28\nkey_sentences: [坚持从严治警]\n", encoding="utf-8"
    )
    (sources / "讲话.txt").write_text(SPEECH, encoding="utf-8")
    (sources / "orphan.yml").write_text("title: 无\n", encoding="utf-8")
    with (project / "glossary.yml").open("a", encoding="utf-8") as handle:
        handle.write(BROKEN_GLOSSARY)
    return project


def glossary_line(project: Path, text: str) -> int:
    lines = (project / "glossary.yml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.strip().startswith(text))


CLOSEST = (
    "the closest passages are 第2段 '严管就是厚爱' (83%)); copy the words exactly as they stand"
    " in the speech; see the speech as the site has it with: python scripts/build.py clean"
    " sources/a.txt"
)


def expected(project: Path) -> list[str]:
    category = glossary_line(project, "category: 不存在的类别")
    link = glossary_line(project, "definition: 见[不存在的页面]")
    return [
        "sources/讲话.txt: the file name must use only ASCII letters, digits and '-' (it"
        " becomes the page address); rename it in pinyin or English, e.g."
        " sources/2021-dangke-zhongshi.txt",
        "sources/orphan.yml: sidecar has no speech file orphan.txt next to it; rename it to"
        " match its .txt file, or delete it",
        "sources/a.yml:1: unknown key 'titel'; known keys are: title, subtitle, speaker,"
        " occasion, date, tags, keep, drop, notes, annotations, key_sentences",
        "sources/a.yml:8: an annotation must be a mapping of quote and note, not text; write"
        " '- quote: …' (words of the speech) and 'note: …' under it",
        "sources/a.yml:2: keep: line 99 is past the end of sources/a.txt (5 lines); give a"
        " line number as 'build.py clean' shows it, or remove the entry",
        f"sources/a.yml:4: annotation quote '严管就是关爱' is not in the speech ({CLOSEST}",
        "sources/a.yml:6: annotation quote '四句话、十六字' occurs 2 times (第2段、第3段); add"
        " 'nth: N' (1 to 2) under the quote to pick one, or quote more words so that they"
        " occur once",
        "sources/a.yml:11: key sentence '全面从严治党永远在路上' is not in the speech (no passage"
        " of the speech is close to it); copy the words exactly as they stand in the speech;"
        " see the speech as the site has it with: python scripts/build.py clean sources/a.txt",
        "sources/b.yml:1: bad date '2021/6/28'; write YYYY-MM-DD, YYYY-MM or YYYY, e.g."
        " date: 2021-06-28",
        f"glossary.yml:{category}: category '不存在的类别' of entry 'broken-one' is not one of"
        " the fixed categories; use one of 政治理论, 党的建设, 纪律作风, 公安工作, 队伍建设",
        f"glossary.yml:{link}: the definition of 'broken-two' links to 'nowhere.md', which is"
        " not a page of the site (glossary/nowhere.md); link a concept as other-id.md, a"
        " speech as ../speeches/<file name>.md, a page of docs/ as ../about.md",
    ]


def test_every_problem_in_file_order(tmp_path):
    project = make_project(tmp_path)
    report = check_project(project)
    assert [str(p) for p in report.problems] == expected(project)
    assert report.speeches == 2 and report.sidecars == 2
    assert (report.annotations, report.key_sentences) == (0, 2)


def test_cli_lists_them_on_stderr_exits_1_and_writes_nothing(tmp_path):
    project = make_project(tmp_path)
    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build.py"), "check", "--root", str(project)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines[:-1] == expected(project)
    assert lines[-1].startswith("11 个问题；")
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before


def test_the_bundled_project_has_no_problem():
    report = check_project(ROOT)
    assert report.problems == ()
    assert report.speeches == 5
