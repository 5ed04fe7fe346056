"""``build.py check``: every problem of the editor's files, without building.

The build stops at the first problem (nothing half-written); an editor fixing a sidecar
wants them all at once. This reads the same files with the same validators as the build,
but collects: the listing of sources/ (file names, pairs of files), every sidecar (each key
and item on its own), each speech's keep/drop lines and its annotation and key-sentence
quotes, and glossary.yml (each entry on its own, and the links of its definitions).

Every problem is a :class:`~pizhu.errors.PizhuError`, printed as
``file:line: message; fix``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .annotate import quote_problems
from .clean import clean
from .decode import check_size, decode
from .errors import GlossaryError, PizhuError, SourceError, file_error
from .generate import GLOSSARY_FILE, SOURCES_DIR, Source, find_sources, site_files
from .glossary import definition_link_problems, glossary_problems
from .sidecar import apply_sidecar, line_selector_problems, read_sidecar
from .structure import structure
from .yamlutil import read_yaml_source


@dataclass(frozen=True)
class CheckReport:
    """What ``check`` found: every problem, and what was read."""

    problems: tuple[PizhuError, ...]
    speeches: int
    sidecars: int
    annotations: int
    key_sentences: int
    glossary_terms: int | None  # None: no glossary.yml


def check_source(source: Source) -> tuple[list[PizhuError], int, int]:
    """Every problem of one speech and its sidecar, and its numbers of notes and key
    sentences that were found in the text."""
    problems: list[PizhuError] = []
    sidecar = None
    if source.sidecar is not None:
        sidecar, sidecar_problems = read_sidecar(
            source.sidecar, f"{SOURCES_DIR}/{source.sidecar.name}"
        )
        problems += sidecar_problems
    try:
        check_size(source.path.stat().st_size, source.name)
        data = source.path.read_bytes()
    except OSError as error:
        return [*problems, file_error(error, source.name, SourceError)], 0, 0
    except PizhuError as error:
        return [*problems, error], 0, 0
    try:
        decoded = decode(data, source.name)
    except PizhuError as error:
        return [*problems, error], 0, 0
    keep: tuple = ()
    drop: tuple = ()
    if sidecar is not None:
        selector_problems = line_selector_problems(sidecar, decoded.text, source.name)
        problems += selector_problems
        if not selector_problems:
            keep, drop = sidecar.keep, sidecar.drop
    try:
        cleaned = clean(decoded.text, keep=keep, drop=drop)
        speech = structure(
            cleaned, slug=source.slug, source_name=source.name, encoding=decoded.encoding
        )
    except PizhuError as error:
        return [*problems, error], 0, 0
    if sidecar is None:
        return problems, 0, 0
    speech = apply_sidecar(speech, sidecar)
    found = quote_problems(speech, sidecar)
    problems += found
    quoted_lines = {problem.line for problem in found}
    notes = sum(1 for spec in sidecar.annotations if spec.line not in quoted_lines)
    keys = sum(1 for spec in sidecar.key_sentences if spec.line not in quoted_lines)
    return problems, notes, keys


def check_project(root: Path, docs_dir: Path | None = None) -> CheckReport:
    """Every problem of ``root``'s sources/ and glossary.yml, in file order."""
    root = Path(root)
    problems: list[PizhuError] = []
    try:
        sources = find_sources(root, problems)
    except PizhuError as error:  # sources/ cannot be listed at all
        problems.append(error)
        sources = []
    notes = keys = 0
    for source in sources:
        found, source_notes, source_keys = check_source(source)
        problems += found
        notes += source_notes
        keys += source_keys
    terms = None
    path = root / GLOSSARY_FILE
    if path.exists():
        try:
            text = read_yaml_source(path, GlossaryError, GLOSSARY_FILE)
        except GlossaryError as error:
            problems.append(error)
        else:
            glossary, found = glossary_problems(text, GLOSSARY_FILE)
            problems += found
            if glossary is not None:
                terms = len(glossary)
                docs = Path(docs_dir) if docs_dir is not None else root / "docs"
                problems += definition_link_problems(glossary, site_files(docs, glossary, sources))
    return CheckReport(
        problems=tuple(problems),
        speeches=len(sources),
        sidecars=sum(1 for s in sources if s.sidecar is not None),
        annotations=notes,
        key_sentences=keys,
        glossary_terms=terms,
    )
