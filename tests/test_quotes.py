"""quotes.py and ``build.py quotes``: candidate key sentences by rules with reasons.

Sentence cases are data (tests/cases/quotes/sentences.yml), negatives included. A small
speech (tests/cases/quotes/speech.txt) checks what is never proposed (title, headings,
list items, greetings) and that the printed YAML pastes into a sidecar as it is: every
suggestion is then found exactly once by the build.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import CASES, ROOT
from pizhu.errors import PizhuError
from pizhu.pipeline import process
from pizhu.quotes import RULES, rules_for, run_in_headings, sentences, suggest
from pizhu.sidecar import load_sidecar
from pizhu.yamlutil import load_yaml_file

SENTENCES = load_yaml_file(CASES / "quotes" / "sentences.yml", PizhuError)
SPEECH = (CASES / "quotes" / "speech.txt").read_bytes()


@pytest.mark.parametrize("case", SENTENCES, ids=[c["sentence"][:14] for c in SENTENCES])
def test_sentence(case):
    assert [rule.name for rule in rules_for(case["sentence"])] == case["rules"]


def test_every_rule_has_a_positive_and_a_reason():
    named = {name for case in SENTENCES for name in case["rules"]}
    assert named == {rule.name for rule in RULES}
    assert all(rule.reason and rule.weight > 0 for rule in RULES)
    assert any(not case["rules"] for case in SENTENCES)


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build.py"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_speech_suggestions_never_title_heading_list_or_greeting():
    speech = process(SPEECH, name="sources/x.txt", slug="x")
    found = suggest(speech, limit=None)
    sentences = [c.sentence for c in found]
    assert "群众看公安，关键看派出所。" in sentences
    assert "这不是抽象的口号，而是要具体落实到行动上。" in sentences
    assert not any(s.startswith(("一是", "二是", "主要", "我就讲", "同志们")) for s in sentences)
    # The antithesis occurs in the title, a heading, a list item and twice in paragraphs;
    # only the paragraph sentences are proposed, each with its nth.
    repeated = [c for c in found if c.sentence == "严管就是厚爱，宽松软就是害。"]
    assert [(c.paragraph, c.nth) for c in repeated] == [(2, 1), (5, 3)]
    assert found[0].sentence == "严管就是厚爱，宽松软就是害。"  # highest score first
    assert all(c.reasons for c in found)


def test_printed_yaml_pastes_into_the_sidecar(tmp_path):
    project = tmp_path / "project"
    (project / "sources").mkdir(parents=True)
    (project / "sources" / "x.txt").write_bytes(SPEECH)
    result = run("quotes", "sources/x.txt", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "第5段 · " in result.stdout and "对比：" in result.stdout
    document = yaml.safe_load(result.stdout)
    assert len(document["key_sentences"]) >= 3
    (project / "sources" / "x.yml").write_text(result.stdout, encoding="utf-8")
    sidecar = load_sidecar(project / "sources" / "x.yml", "sources/x.yml")
    speech = process(SPEECH, name="sources/x.txt", slug="x", sidecar=sidecar)
    assert len(speech.key_sentences) == len(document["key_sentences"])
    # Chosen sentences are not proposed again.
    again = run("quotes", "sources/x.txt", cwd=project)
    assert "key_sentences:" not in again.stdout, again.stdout


def test_all_prints_one_document_per_speech(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(ROOT / "sources", project / "sources")
    shutil.copy2(ROOT / "glossary.yml", project / "glossary.yml")
    result = run("quotes", "--all", "--root", str(project), "--limit", "3")
    assert result.returncode == 0, result.stderr
    documents = result.stdout.split("---\n")
    assert len(documents) == len(list((project / "sources").glob("*.txt")))
    for document in documents:
        parsed = yaml.safe_load(document)
        assert parsed is None or len(parsed["key_sentences"]) <= 3


def test_file_or_all_not_both():
    result = run("quotes")
    assert result.returncode == 1
    assert (
        result.stderr.strip() == "give one speech file or --all; e.g. build.py quotes sources/x.txt"
    )


def test_run_in_headings_are_not_suggested():
    """Paragraphs that open with short sentences of one shape (a list whose numbers the
    speaker left out) open with headings, not key sentences; one such paragraph alone,
    or openings of different shapes, are ordinary text."""
    run = [
        "坚定政治立场，做到“两个维护”。必须深刻领悟其意义。",
        "严守纪律规矩，永葆清廉本色。派出所所长手中掌握着一定的权力。",
        "履行“一岗双责”，带出过硬队伍。所长不仅要管好自己，更要管好带好队伍。",
        "群众看公安，关键看派出所。这是大家常说的话。",
    ]
    assert run_in_headings(run) == {0, 1, 2, 3}
    assert run_in_headings(run[:2]) == set()  # two in a row are not yet a list
    assert run_in_headings([run[0], "今天我们开会。", run[1], run[2]]) == set()
    assert run_in_headings(["群众看公安，关键看派出所。这是常说的话。", *run[:1]]) == set()
    mixed = [
        "基础不牢，地动山摇。这是规律。",
        "严管就是厚爱，宽松软就是害。这一点要记牢。",
        "打铁必须自身硬。这是永恒的课题。",
    ]
    assert run_in_headings(mixed) == set()  # shapes differ (4+4, 6+5, one clause)
    text = "\n".join(["标题", *run]).encode()
    speech = process(text, name="sources/x.txt", slug="x")
    suggested = {c.sentence for c in suggest(speech, limit=None)}
    assert not suggested & {sentences(p)[0] for p in run}
    assert "所长不仅要管好自己，更要管好带好队伍。" in suggested
