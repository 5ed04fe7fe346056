"""sidecar.py: loading and validating sources/<name>.yml, applying it to a Speech.

Error cases are data (tests/cases/sidecar/errors.yml) with the exact one-line message,
as mkdocs' own tests assert config errors.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CASES
from pizhu.errors import PizhuError, SourceError
from pizhu.model import Block, Sidecar, Speech
from pizhu.pipeline import process
from pizhu.sidecar import KNOWN_KEYS, apply_sidecar, load_sidecar
from pizhu.yamlutil import load_yaml_file

ERROR_CASES = load_yaml_file(CASES / "sidecar" / "errors.yml", PizhuError)
VALID_CASES = load_yaml_file(CASES / "sidecar" / "valid.yml", PizhuError)
SELECTOR_CASES = load_yaml_file(CASES / "sidecar" / "selectors.yml", PizhuError)


def write_sidecar(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> Path:
    """Write sources/x.yml under a temporary project root and return the relative path,
    so messages read "sources/x.yml:3: …" as the CLI prints them."""
    monkeypatch.chdir(tmp_path)
    path = Path("sources") / "x.yml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("case", ERROR_CASES, ids=[c["name"] for c in ERROR_CASES])
def test_error_message(case, tmp_path, monkeypatch):
    path = write_sidecar(tmp_path, monkeypatch, case["yaml"])
    with pytest.raises(SourceError) as info:
        load_sidecar(path)
    assert str(info.value) == case["message"]


@pytest.mark.parametrize("case", VALID_CASES, ids=[c["name"] for c in VALID_CASES])
def test_valid(case, tmp_path, monkeypatch):
    path = write_sidecar(tmp_path, monkeypatch, case["yaml"])
    sidecar = load_sidecar(path)
    expect = dict(case["expect"])
    for key in ("tags", "keep", "drop"):
        if key in expect:
            expect[key] = tuple(expect[key])
    want = Sidecar(**expect, path=str(path))
    got = {f: getattr(sidecar, f) for f in KNOWN_KEYS}
    assert got == {f: getattr(want, f) for f in KNOWN_KEYS}
    assert sidecar.path == "sources/x.yml"


@pytest.mark.parametrize("case", SELECTOR_CASES, ids=[c["name"] for c in SELECTOR_CASES])
def test_keep_and_drop_entries_must_match_a_line(case, tmp_path, monkeypatch):
    sidecar = load_sidecar(write_sidecar(tmp_path, monkeypatch, case["yaml"]))
    data = case["source"].encode()
    if case["message"] is None:
        speech = process(data, name="sources/x.txt", slug="x", sidecar=sidecar)
        assert speech.title == "讲话标题"
        return
    with pytest.raises(SourceError) as info:
        process(data, name="sources/x.txt", slug="x", sidecar=sidecar)
    assert str(info.value) == case["message"]


def test_item_lines_are_kept(tmp_path, monkeypatch):
    path = write_sidecar(tmp_path, monkeypatch, "keep: [1, 2]\ndrop:\n  - 3\n\n  - 四\n")
    assert load_sidecar(path).item_lines == {"keep": (1, 1), "drop": (3, 5)}


def test_field_lines_are_kept(tmp_path, monkeypatch):
    path = write_sidecar(tmp_path, monkeypatch, "# note\ntitle: 甲\n\ndate: 2021\n")
    assert load_sidecar(path).field_lines == {"title": 2, "date": 4}


def test_bom_is_accepted(tmp_path, monkeypatch):
    path = write_sidecar(tmp_path, monkeypatch, "\ufefftitle: 甲\n")
    assert load_sidecar(path).title == "甲"


def test_not_utf8(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = Path("x.yml")
    path.write_bytes("title: 守正出新\n".encode("gbk"))
    with pytest.raises(SourceError) as info:
        load_sidecar(path)
    assert str(info.value) == (
        "x.yml:1: not UTF-8 (first bad byte 0xca at byte offset 7); save the file as UTF-8"
    )


SPEECH = Speech(
    slug="s",
    title="原标题",
    subtitle="原副标题",
    speaker="原讲话人",
    occasion="原场合",
    date="2020",
    truncated=True,
    blocks=(Block("paragraph", "正文。", None, 2),),
    tags=("旧",),
    source_name="s.txt",
    encoding="utf-8",
)


def test_apply_overrides_given_fields_only():
    sidecar = Sidecar(title="新标题", date="2021-06-28", tags=("党课",), notes="说明")
    out = apply_sidecar(SPEECH, sidecar)
    assert (out.title, out.date, out.tags, out.notes) == ("新标题", "2021-06-28", ("党课",), "说明")
    assert (out.subtitle, out.speaker, out.occasion) == ("原副标题", "原讲话人", "原场合")
    assert (out.truncated, out.blocks, out.source_name) == (True, SPEECH.blocks, "s.txt")


def test_apply_empty_sidecar_changes_nothing():
    assert apply_sidecar(SPEECH, Sidecar()) == SPEECH


def test_apply_empty_tags_clears_tags():
    assert apply_sidecar(SPEECH, Sidecar(tags=())).tags == ()


def test_apply_after_load(tmp_path, monkeypatch):
    path = write_sidecar(tmp_path, monkeypatch, "speaker: 张XX\noccasion: 全市会议\n")
    out = apply_sidecar(SPEECH, load_sidecar(path))
    assert (out.title, out.speaker, out.occasion) == ("原标题", "张XX", "全市会议")
