"""The command line: exit codes, the JSON contract, and one-line errors without traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, WITHOUT_ROOT_READ
from pizhu import cli
from pizhu.cli import VERBS, main

BUILD_PY = ROOT / "scripts" / "build.py"
SPEECH = sorted((ROOT / "sources").glob("*.txt"))[0]
JSON_KEYS = {"title", "subtitle", "speaker", "occasion", "date", "truncated", "blocks", "removed"}


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run scripts/build.py the way a user does (a fresh interpreter)."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, str(BUILD_PY), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
    )


def test_clean_json_contract():
    result = run("clean", str(SPEECH), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == JSON_KEYS
    for key in ("title", "subtitle", "speaker", "occasion", "date"):
        assert data[key] is None or isinstance(data[key], str), key
    assert isinstance(data["truncated"], bool)
    assert data["blocks"], "a bundled speech has text"
    for block in data["blocks"]:
        if block["kind"] == "heading":
            assert set(block) == {"kind", "level", "text"}
            assert block["level"] in (2, 3)
        else:
            assert set(block) == {"kind", "text"}
            assert block["kind"] == "paragraph"
        assert isinstance(block["text"], str) and block["text"]
    for removal in data["removed"]:
        assert set(removal) == {"line", "text", "reason"}
        assert isinstance(removal["line"], int) and removal["line"] >= 1
        assert isinstance(removal["text"], str)
        assert isinstance(removal["reason"], str)
    # ensure_ascii=False: Chinese is readable, not \\u escaped
    assert "\\u" not in result.stdout
    assert result.stdout.startswith("{\n  ")


def test_clean_text_shows_blocks_and_removals_with_text(capsys):
    assert main(["clean", str(SPEECH)]) == 0
    out = capsys.readouterr().out
    data = json.loads(run("clean", str(SPEECH), "--json").stdout)
    assert out.startswith("标题：")
    for block in data["blocks"]:
        assert block["text"] in out
    for removal in data["removed"]:
        assert f"第 {removal['line']} 行  {removal['reason']}  「{removal['text']}」" in out


@pytest.mark.parametrize(
    ("name", "data"),
    [("empty.txt", b""), ("blank.txt", b"\n \n\t\n"), ("binary.txt", bytes(range(256)) * 8)],
)
def test_clean_bad_file_is_one_line_error(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    result = run("clean", str(path))
    assert result.returncode == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"{path}: ")
    assert "; " in lines[0], "the message ends with what to do"


def test_clean_missing_file(tmp_path):
    result = run("clean", str(tmp_path / "nope.txt"))
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        == f"{tmp_path / 'nope.txt'}: no such file; check the path, e.g. sources/x.txt"
    )


def test_clean_works_on_non_ascii_names(tmp_path):
    path = tmp_path / "讲话稿.txt"
    path.write_bytes(SPEECH.read_bytes())
    assert run("clean", str(path), "--json").returncode == 0


def test_build_writes_docs(tmp_path):
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / SPEECH.name).write_bytes(SPEECH.read_bytes())
    result = run("build", "--root", str(tmp_path))
    assert result.returncode == 0, result.stderr
    # the speech, the speeches index, the tags page, the home page, the (empty) glossary
    # index, the (empty) concept map and the (empty) 金句 page
    assert "7 written" in result.stdout
    assert (tmp_path / "docs" / "speeches" / f"{SPEECH.stem}.md").is_file()
    again = run("build", "--root", str(tmp_path))
    assert "0 written" in again.stdout and "7 unchanged" in again.stdout


def test_build_glossary_error_is_one_line_and_nothing_written(tmp_path):
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / SPEECH.name).write_bytes(SPEECH.read_bytes())
    (tmp_path / "glossary.yml").write_text(
        "si-feng:\n  term: 四风\n  category: 作风\n  summary: x\n  definition: y\n",
        encoding="utf-8",
    )
    result = run("build", "--root", str(tmp_path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "glossary.yml:3: category '作风' of entry 'si-feng' is not one of the fixed "
        "categories; use one of 政治理论, 党的建设, 纪律作风, 公安工作, 队伍建设"
    ]
    assert not (tmp_path / "docs").exists()


def test_build_error_exit_1_and_nothing_written(tmp_path):
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / SPEECH.name).write_bytes(SPEECH.read_bytes())
    (tmp_path / "sources" / "讲话.txt").write_text("同志们：", encoding="utf-8")
    result = run("build", "--root", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr.startswith("sources/讲话.txt: ")
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "docs").exists()


@pytest.mark.parametrize("verb", sorted(VERBS))
def test_every_verb_has_help_with_an_example(verb):
    result = run(verb, "--help")
    assert result.returncode == 0
    assert "example:" in result.stdout
    assert "python scripts/build.py " + verb in result.stdout


def test_no_verb_is_a_usage_error():
    result = run()
    assert result.returncode == 2
    assert "usage:" in result.stderr


# --- terms --------------------------------------------------------------------------------

TERMS_SPEECH = """在全市XX工作会议上的讲话
同志们：
我们要树立“一线思维”，坚持“一线思维”，把“一线思维”落到实处。
要坚决做到两个维护，落实“三会一课”。
"""


def terms_project(tmp_path: Path, glossary: str | None) -> Path:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "a.txt").write_text(TERMS_SPEECH, encoding="utf-8")
    if glossary is not None:
        (tmp_path / "glossary.yml").write_text(glossary, encoding="utf-8")
    return tmp_path


def test_terms_lists_candidates_not_in_the_glossary(tmp_path):
    glossary = (
        "liang-ge-weihu:\n  term: 两个维护\n  category: 政治理论\n  summary: x\n  definition: y\n"
    )
    result = run("terms", "--root", str(terms_project(tmp_path, glossary)))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "候选概念 1 个（1 篇讲话；已在 glossary.yml 中的不列出）"
    assert lines[3].split() == ["3", "1", "一线思维"]
    assert lines[4].strip() == "讲话：a"
    assert lines[5].strip().startswith("例句：")
    assert "“一线思维”" in lines[5]
    assert "两个维护" not in result.stdout  # already in the glossary


def test_terms_without_glossary_and_thresholds(tmp_path):
    project = terms_project(tmp_path, None)
    result = run("terms", "--root", str(project), "--min-count", "1")
    assert result.returncode == 0, result.stderr
    phrases = [line.split()[2] for line in result.stdout.splitlines()[3::3]]
    assert phrases[0] == "一线思维"  # most frequent first
    assert {"两个维护", "三会一课"} <= set(phrases)


def test_terms_on_the_bundled_corpus_is_sorted_by_count():
    result = run("terms")
    assert result.returncode == 0, result.stderr
    counts = [int(line.split()[0]) for line in result.stdout.splitlines()[3::3]]
    assert counts == sorted(counts, reverse=True)


def test_terms_glossary_error(tmp_path):
    result = run("terms", "--root", str(terms_project(tmp_path, "x: 1\n")))
    assert result.returncode == 1
    assert result.stderr.startswith("glossary.yml:1: entry 'x' must be a mapping")


# --- every message names files relative to the project -----------------------------------

GLOSSARY_ENTRY = (
    "si-feng:\n  term: 四风\n  category: 纪律作风\n  summary: 作风问题。\n  definition: |\n"
    "    反对四风。\n"
)


def project_with(tmp_path: Path, files: dict[str, bytes]) -> Path:
    """A project in ``tmp_path`` (an absolute path) with one good speech plus ``files``."""
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / SPEECH.name).write_bytes(SPEECH.read_bytes())
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    return tmp_path


MISTAKES = {
    "bad-source": (
        {"sources/x.txt": b"\x89PNG\r\n\x1a\n\x00\x00"},
        "sources/x.txt: looks like a binary file, not text; ",
    ),
    "bad-sidecar": (
        {f"sources/{SPEECH.stem}.yml": b"title: x\ntitel: y\n"},
        f"sources/{SPEECH.stem}.yml:2: unknown key 'titel'; ",
    ),
    "sidecar-not-utf8": (
        {f"sources/{SPEECH.stem}.yml": "title: 标题\n".encode("gb18030")},
        f"sources/{SPEECH.stem}.yml:1: not UTF-8 (first bad byte 0xb1 at byte offset 7); ",
    ),
    "keep-matches-nothing": (
        {f"sources/{SPEECH.stem}.yml": "keep:\n  - 没有这一行\n".encode()},
        f"sources/{SPEECH.stem}.yml:2: keep: no line of sources/{SPEECH.name} is '没有这一行'; ",
    ),
    "glossary": (
        {"glossary.yml": GLOSSARY_ENTRY.replace("纪律作风", "作风").encode()},
        "glossary.yml:3: category '作风' of entry 'si-feng' is not one of the fixed categories; ",
    ),
    "glossary-not-utf8": (
        {"glossary.yml": "# 概念\n".encode() + GLOSSARY_ENTRY.encode("gb18030")},
        "glossary.yml:3: not UTF-8 (first bad byte 0xcb at byte offset 26); ",
    ),
    "glossary-link": (
        {"glossary.yml": (GLOSSARY_ENTRY + "    见[四种形态](si-zhong-xingtai.md)。\n").encode()},
        "glossary.yml:7: the definition of 'si-feng' links to 'si-zhong-xingtai.md', ",
    ),
}


@pytest.mark.parametrize("mistake", MISTAKES)
def test_errors_name_files_relative_to_the_project(tmp_path, mistake):
    files, start = MISTAKES[mistake]
    root = project_with(tmp_path, files)
    result = run("build", "--root", str(root))  # an absolute root, run from elsewhere
    assert result.returncode == 1
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(start), line
    assert str(tmp_path) not in line and "Traceback" not in result.stderr
    assert not (root / "docs").exists()


def test_clean_names_a_project_file_relative_to_the_project():
    for given in (SPEECH, SPEECH.relative_to(ROOT)):
        assert cli.shown_name(given) == f"sources/{SPEECH.name}"
    assert cli.shown_name(Path("/elsewhere/x.txt")) == "/elsewhere/x.txt"


# --- unreadable files: one line, the file, the fix ------------------------------------------


def unprivileged(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """``run`` without root's power to read any file: as root, drop the capabilities that
    bypass file permissions (util-linux setpriv), so chmod 000 means what it says."""
    if os.geteuid() != 0:
        return run(*args, cwd=cwd)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [*WITHOUT_ROOT_READ, sys.executable, str(BUILD_PY), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
    )


@pytest.mark.parametrize(
    "name", [f"sources/{SPEECH.name}", f"sources/{SPEECH.stem}.yml", "glossary.yml"]
)
def test_unreadable_file_is_one_line_error(tmp_path, name):
    root = project_with(
        tmp_path, {f"sources/{SPEECH.stem}.yml": b"title: x\n", "glossary.yml": b"{}\n"}
    )
    (root / name).chmod(0)
    result = unprivileged("build", "--root", str(root))
    assert result.returncode == 1, result.stdout
    assert result.stderr.splitlines() == [
        f"{name}: cannot read the file (Permission denied); give yourself permission to read it"
        f" (chmod u+r {name})"
    ]
    assert not (root / "docs").exists()


def test_clean_unreadable_file(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(SPEECH.read_bytes())
    path.chmod(0)
    result = unprivileged("clean", str(path))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{path}: cannot read the file (Permission denied); give yourself permission to read it"
        f" (chmod u+r {path})"
    ]


def test_docs_that_cannot_be_written_is_one_line_error(tmp_path):
    root = project_with(tmp_path, {})
    (root / "docs").mkdir(mode=0o555)
    result = unprivileged("build", "--root", str(root))
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("docs/concepts.md: cannot write the file (Permission denied); "), line


# --- work stays linear: sources far too big are refused before any work ------------------


def test_huge_sources_are_refused_before_any_work(tmp_path):
    """50 MB (a sparse file: refused from its size, never read), 10 MB without a line
    break, and 900 KB in one line: each is one line naming the file and the limit."""
    cases = {
        "sources/big.txt": 50_000_000,
        "sources/one-line.txt": "同志们今天开会".encode() * (10_000_000 // 21),
        "sources/long-line.txt": b"x" * 900_000,
    }
    expected = {
        "sources/big.txt": "sources/big.txt: the file is 50,000,000 bytes, too big for a speech",
        "sources/one-line.txt": "sources/one-line.txt: the file is 9,999,990 bytes, too big",
        "sources/long-line.txt": "sources/long-line.txt: the text is 900,000 characters, too"
        " long for a speech (at most 200,000; a speech is rarely over 100,000); ",
    }
    for name, data in cases.items():
        root = tmp_path / name.split("/")[1]
        (root / "sources").mkdir(parents=True)
        if isinstance(data, int):
            with (root / name).open("wb") as sparse:
                sparse.truncate(data)
        else:
            (root / name).write_bytes(data)
        result = run("build", "--root", str(root))
        assert result.returncode == 1
        (line,) = result.stderr.splitlines()
        assert line.startswith(expected[name]), line
        assert not (root / "docs").exists()


def test_clean_applies_an_upper_case_sidecar(tmp_path):
    (tmp_path / "SPEECH.TXT").write_bytes(SPEECH.read_bytes())
    (tmp_path / "SPEECH.YML").write_text("title: 大写后缀的附注\n", encoding="utf-8")
    (tmp_path / "._SPEECH.YML").write_bytes(b"\x00\x05\x16\x07Mac OS X")
    result = run("clean", str(tmp_path / "SPEECH.TXT"), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["title"] == "大写后缀的附注"
