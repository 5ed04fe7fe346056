"""Determinism as a property: the same inputs give byte-identical generated pages, whoever
builds them (``scripts/build.py build`` or the MkDocs hook), wherever, in whatever hash
seed (set and dict orders), and in whatever order the files were created.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, Built
from pizhu.generate import GENERATED_DIRS, GENERATED_FILES, generate_pages, load_speeches

BUILD_PY = ROOT / "scripts" / "build.py"


def generated(docs: Path) -> dict[str, bytes]:
    """The generated files under ``docs`` (path -> bytes)."""
    files = {}
    for path in sorted(docs.rglob("*")):
        relative = path.relative_to(docs).as_posix()
        top = relative.split("/", 1)[0]
        if path.is_file() and (relative in GENERATED_FILES or top in GENERATED_DIRS):
            files[relative] = path.read_bytes()
    return files


def cli_build(root: Path, docs: Path, *, seed: str, cwd: Path) -> dict[str, bytes]:
    """``build.py build`` in a fresh interpreter with PYTHONHASHSEED=seed; the pages."""
    if not docs.exists():  # hand-written docs: definitions may link to them
        shutil.copytree(root / "docs", docs, ignore=shutil.ignore_patterns(*GENERATED_DIRS))
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONIOENCODING": "utf-8"}
    command = [sys.executable, str(BUILD_PY), "build", "--root", str(root), "--docs", str(docs)]
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return generated(docs)


def test_two_builds_of_the_bundled_corpus_are_byte_identical(tmp_path, bundled: Built):
    first = cli_build(ROOT, tmp_path / "a", seed="1", cwd=ROOT)
    second = cli_build(ROOT, tmp_path / "b", seed="4242", cwd=tmp_path)
    assert first and first == second
    # MkDocs' build (the hook) of a copy of the same inputs wrote nothing into docs/ (its
    # pages are virtual files) and generates the very same pages.
    assert generated(bundled.project / "docs") == {}
    pages = generate_pages(bundled.project)
    assert {path: text.encode("utf-8") for path, text in pages.items()} == first


# --- random corpora ---------------------------------------------------------------------------

SENTENCES = sorted(
    {
        sentence + "。"
        for speech in load_speeches(ROOT)
        for block in speech.paragraphs
        for sentence in block.text.split("。")
        if len(sentence) > 6
    }
)
NOISE = ["本文档编辑密码：wsx2023", "第2页/共5页", "- 7 -", "微信扫一扫在手机阅读、分享本文"]
HEADINGS = ["一、提高政治站位", "（一）坚持党建引领", "二、狠抓队伍建设", "（二）枫桥经验"]

lines = st.one_of(
    st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=4).map("".join),
    st.sampled_from(NOISE + HEADINGS + ["", "同志们："]),
)
speeches = st.builds(
    lambda title, body, encoding, tags: (title + "\n" + "\n".join(body) + "\n", encoding, tags),
    st.sampled_from(["在全市公安工作会议上的讲话", "守正出新 担当使命", "党课讲稿"]),
    st.lists(lines, min_size=3, max_size=12),
    st.sampled_from(["utf-8", "gb18030", "utf-16"]),
    st.none() | st.lists(st.sampled_from(["政治工作", "队伍建设", "党课"]), unique=True),
)
corpora = st.dictionaries(
    st.from_regex(r"[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4})?", fullmatch=True).filter(
        lambda slug: slug not in ("index", "tags")
    ),
    speeches,
    min_size=1,
    max_size=3,
)


def write_corpus(root: Path, corpus: dict, *, reverse: bool) -> None:
    (root / "sources").mkdir(parents=True)
    shutil.copy2(ROOT / "glossary.yml", root / "glossary.yml")
    shutil.copytree(ROOT / "docs", root / "docs", ignore=shutil.ignore_patterns(*GENERATED_DIRS))
    for slug, (text, encoding, tags) in sorted(corpus.items(), reverse=reverse):
        (root / "sources" / f"{slug}.txt").write_bytes(text.encode(encoding))
        if tags is not None:
            (root / "sources" / f"{slug}.yml").write_text(f"tags: {tags}\n", encoding="utf-8")


@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck))
@given(corpora)
def test_any_corpus_builds_byte_identically(tmp_path_factory, corpus):
    first, second = tmp_path_factory.mktemp("a"), tmp_path_factory.mktemp("b")
    write_corpus(first, corpus, reverse=False)
    write_corpus(second, corpus, reverse=True)  # other creation order, other folder
    assert generate_pages(first) == generate_pages(second)
    pages = cli_build(first, first / "docs", seed="1", cwd=first)
    assert pages == cli_build(second, second / "docs", seed="777", cwd=ROOT)
    assert len(pages) >= len(corpus) + 4
