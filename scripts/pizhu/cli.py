"""The command line (``python scripts/build.py VERB``): argument parsing only.

Each verb is a function whose docstring is its ``--help`` (with an example); the work
lives in the library, so every verb is usable from Python too. A PizhuError (a mistake
in the user's input) is printed as one line on stderr with exit status 1, no traceback.
"""

from __future__ import annotations

import argparse
import inspect
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .check import check_project
from .decode import check_size
from .errors import PizhuError, SourceError, file_error
from .generate import build_docs, load_project_glossary, load_speeches, sidecar_of, slug_for
from .model import Speech
from .pipeline import process
from .quotes import DEFAULT_LIMIT, format_suggestions, suggest
from .render import format_date
from .sidecar import load_sidecar
from .terms import Candidate, candidates

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Verb:
    name: str
    run: Callable[[argparse.Namespace], int]
    arguments: list[tuple[tuple[str, ...], dict[str, Any]]] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return (self.run.__doc__ or "").strip().splitlines()[0]


VERBS: dict[str, Verb] = {}


def verb(name: str, *arguments: tuple[tuple[str, ...], dict[str, Any]]):
    """Register a function as a CLI verb; ``arguments`` are add_argument() calls."""

    def register(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
        VERBS[name] = Verb(name, run, list(arguments))
        return run

    return register


def arg(*names: str, **options: Any) -> tuple[tuple[str, ...], dict[str, Any]]:
    return names, options


# --- clean -----------------------------------------------------------------------------


def shown_name(path: Path) -> str:
    """How messages name a file the user gave: relative to the project when it is in it
    (``sources/x.txt``), else as the user wrote it."""
    try:
        return Path(path).resolve().relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return str(path)


def clean_file(path: Path) -> Speech:
    """Run the text pipeline on one file (and its sidecar ``<stem>.yml`` if present)."""
    name = shown_name(path)
    if not path.is_file():
        raise SourceError("no such file", path=name, hint="check the path, e.g. sources/x.txt")
    try:
        slug = slug_for(path, name)
    except SourceError:
        slug = "speech"  # cleaning works on any name; only the site needs ASCII slugs
    sidecar_path = sidecar_of(path)
    sidecar = load_sidecar(sidecar_path, shown_name(sidecar_path)) if sidecar_path else None
    try:
        check_size(path.stat().st_size, name)
        data = path.read_bytes()
    except OSError as error:
        raise file_error(error, name, SourceError) from None
    return process(data, name=name, slug=slug, sidecar=sidecar)


def format_cleaned(speech: Speech) -> str:
    """Human-readable cleaned text for editors, including the removed text."""
    out: list[str] = [f"标题：{speech.title or '（无）'}"]
    if speech.subtitle:
        out.append(f"副标题：{speech.subtitle}")
    facts = [
        ("讲话人", speech.speaker),
        ("场合", speech.occasion),
        ("日期", format_date(speech.date)),
        ("编码", speech.encoding or None),
    ]
    out += [f"{label}：{value}" for label, value in facts if value]
    out.append(f"字数：{speech.char_count}　段落：{len(speech.paragraphs)}")
    if speech.truncated:
        out.append("原文不完整：是")
    out.append("")
    number = 0
    for block in speech.blocks:
        if block.kind == "heading":
            out += ["", f"{'#' * (block.level or 2)} {block.text}", ""]
        else:
            number += 1
            out.append(f"[{number}] {block.text}")
    out += ["", f"删除 {len(speech.removed)} 处："]
    for removal in speech.removed:
        out.append(f"  第 {removal.line} 行  {removal.reason}  「{removal.text}」")
    return "\n".join(out) + "\n"


@verb(
    "clean",
    arg("file", type=Path, help="a speech text file, e.g. sources/x.txt"),
    arg("--json", action="store_true", help="print the cleaned speech as JSON"),
)
def run_clean(args: argparse.Namespace) -> int:
    """Clean one speech and print it, with every removed line and why.

    Shows title, metadata, headings, numbered paragraphs and the removal log (line,
    reason and the removed text itself — for editors; the site never shows it).
    A sidecar sources/<name>.yml next to the file is applied.

    example:
      python scripts/build.py clean sources/paichusuo-suozhang-peixunban.txt
      python scripts/build.py clean sources/x.txt --json > x.json
    """
    speech = clean_file(args.file)
    if args.json:
        sys.stdout.write(json.dumps(speech.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(format_cleaned(speech))
    return 0


# --- build -----------------------------------------------------------------------------


@verb(
    "build",
    arg("--root", type=Path, default=PROJECT_ROOT, help="project folder (default: this one)"),
    arg("--docs", type=Path, default=None, help="docs folder to write (default: ROOT/docs)"),
)
def run_build(args: argparse.Namespace) -> int:
    """Generate the site's Markdown pages in docs/ from sources/.

    Writes docs/index.md, docs/speeches/*.md and docs/glossary/*.md (from
    glossary.yml), changing only files whose content changed and deleting pages whose
    source is gone. If any source or the glossary has a problem, nothing is written.
    (`make site` / `mkdocs build` run this automatically.)

    example:
      python scripts/build.py build
    """
    result = build_docs(args.root, args.docs)
    print(f"docs: {result.summary()}")
    return 0


# --- terms -----------------------------------------------------------------------------


def find_candidates(
    root: Path, *, min_speeches: int = 2, min_count: int = 3
) -> tuple[list[Candidate], int]:
    """Glossary candidates over the cleaned speeches of ``root/sources`` and the number of
    speeches read. Phrases already in ``root/glossary.yml`` are left out."""
    speeches = load_speeches(root)
    glossary = load_project_glossary(root)
    found = candidates(speeches, glossary, min_speeches=min_speeches, min_count=min_count)
    return found, len(speeches)


def format_candidates(found: list[Candidate], speeches: int) -> str:
    """One block per candidate: count, number of speeches, phrase; then where and an example."""
    out = [f"候选概念 {len(found)} 个（{speeches} 篇讲话；已在 glossary.yml 中的不列出）", ""]
    if found:
        out += ["次数  篇数  短语"]
    for candidate in found:
        out.append(f"{candidate.count:>4}  {len(candidate.speeches):>4}  {candidate.phrase}")
        out.append(f"            讲话：{', '.join(candidate.speeches)}")
        out.append(f"            例句：{candidate.example}")
    return "\n".join(out) + "\n"


@verb(
    "terms",
    arg("--root", type=Path, default=PROJECT_ROOT, help="project folder (default: this one)"),
    arg("--min-speeches", type=int, default=2, metavar="N", help="in at least N speeches (2)"),
    arg("--min-count", type=int, default=3, metavar="N", help="or at least N times in all (3)"),
)
def run_terms(args: argparse.Namespace) -> int:
    """Suggest new glossary entries: phrases the speeches mark as key formulations.

    Reads every speech in sources/ (cleaned, as on the site) and lists quoted phrases
    (“四个意识”) and numbered formulas (两个维护, 两学一做) that occur in at least two
    speeches or at least three times and are not yet a term or alias in glossary.yml:
    count, number of speeches, phrase, the speeches (by file name) and the first
    occurrence with some context. Most frequent first. It proposes; an editor decides,
    and adds an entry to glossary.yml by hand.

    example:
      python scripts/build.py terms
      python scripts/build.py terms --root . --min-speeches 3
    """
    found, speeches = find_candidates(
        args.root, min_speeches=args.min_speeches, min_count=args.min_count
    )
    sys.stdout.write(format_candidates(found, speeches))
    return 0


# --- quotes ----------------------------------------------------------------------------


@verb(
    "quotes",
    arg("file", type=Path, nargs="?", help="a speech text file, e.g. sources/x.txt"),
    arg("--all", action="store_true", help="every speech in sources/"),
    arg(
        "--root",
        type=Path,
        default=PROJECT_ROOT,
        help="project folder for --all (default: this one)",
    ),
    arg(
        "--limit",
        type=int,
        default=DEFAULT_LIMIT,
        metavar="N",
        help=f"at most N per speech ({DEFAULT_LIMIT})",
    ),
)
def run_quotes(args: argparse.Namespace) -> int:
    """Suggest key sentences (金句) for a speech, as YAML to paste into its sidecar.

    Reads the cleaned speech (as on the site) and ranks its sentences by rules, each with
    its reason: antithesis (X就是Y，Z就是W), contrast (不是……而是……), three or more
    parallel clauses, a leader's words quoted (“……”), short balanced or maxim-like
    sentences. Never proposes headings, list items or sentences already chosen. Each line
    gives the paragraph and the reasons as a YAML comment; a sentence that occurs more
    than once comes with its nth. It proposes; the editor picks 3-6.

    example:
      python scripts/build.py quotes sources/paichusuo-suozhang-peixunban.txt
      python scripts/build.py quotes --all --limit 5
    """
    if args.all == (args.file is not None):
        raise PizhuError("give one speech file or --all", hint="e.g. build.py quotes sources/x.txt")
    speeches = [clean_file(args.file)] if args.file is not None else load_speeches(args.root)
    documents = []
    for speech in speeches:
        source = speech.source_name
        sidecar = source.rsplit(".", 1)[0] + ".yml"
        documents.append(format_suggestions(suggest(speech, limit=args.limit), source, sidecar))
    sys.stdout.write("---\n".join(documents))
    return 0


# --- check -----------------------------------------------------------------------------


@verb(
    "check",
    arg("--root", type=Path, default=PROJECT_ROOT, help="project folder (default: this one)"),
)
def run_check(args: argparse.Namespace) -> int:
    """Check every sidecar and glossary.yml without building; list every problem.

    Reads sources/ (file names, sidecars: every key and item, keep/drop lines, the quotes
    of annotations and key_sentences in the cleaned speech) and glossary.yml (every entry,
    the links in definitions). Prints each problem as 'file:line: message; fix' (all of
    them, not only the first, which is where the build would stop) and exits 1 when there
    is any; else a one-line summary and exit 0.

    example:
      python scripts/build.py check
    """
    report = check_project(args.root)
    for problem in report.problems:
        print(str(problem), file=sys.stderr)
    glossary = (
        f"glossary.yml {report.glossary_terms} 个概念"
        if report.glossary_terms is not None
        else "没有 glossary.yml"
    )
    summary = (
        f"{report.speeches} 篇讲话（{report.sidecars} 个 sidecar，批注 {report.annotations} 条，"
        f"金句 {report.key_sentences} 句），{glossary}"
    )
    if report.problems:
        print(f"{len(report.problems)} 个问题；{summary}", file=sys.stderr)
        return 1
    print(f"没有问题：{summary}")
    return 0


# --- entry point -------------------------------------------------------------------------


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Pizhu (批注): turn raw speeches in sources/ into a study site.",
    )
    subparsers = parser.add_subparsers(dest="verb", metavar="VERB", required=True)
    for name, item in VERBS.items():
        sub = subparsers.add_parser(
            name,
            help=item.summary,
            description=inspect.cleandoc(item.run.__doc__ or ""),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        for names, options in item.arguments:
            sub.add_argument(*names, **options)
        sub.set_defaults(run=item.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        return args.run(args)
    except PizhuError as error:
        print(str(error), file=sys.stderr)
        return 1
    except OSError as error:  # a file the library did not expect to fail: still one line
        name = shown_name(Path(error.filename)) if error.filename else "pizhu"
        print(str(file_error(error, name, action="use")), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
