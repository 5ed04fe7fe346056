"""The I/O edge: read sources/, run the pipeline, render every page in memory, write docs/.

Used by ``scripts/build.py build`` and by the MkDocs hook, so both run the same code.

Two steps, so that a mistake in any input leaves docs/ untouched:

1. :func:`generate_pages` reads and renders everything in memory and raises
   :class:`~pizhu.errors.PizhuError` on the first problem;
2. :func:`write_pages` writes only the files whose content changed (``mkdocs serve``
   watches docs/; rewriting unchanged files would make it rebuild forever) and deletes
   generated files that no longer have a source.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from . import cache
from .atomic import write_atomic
from .concept_map import render_concept_map
from .decode import check_size
from .errors import GlossaryError, PizhuError, SourceError, file_error
from .glossary import Glossary, check_definition_links, parse_glossary
from .glossary_pages import render_glossary_pages
from .home_page import render_home
from .index_page import render_speeches_index
from .keys_page import render_keys_page
from .link import Linker
from .memo import Memo
from .model import Speech
from .occurrences import (
    ConceptIndex,
    Occurrence,
    RelatedSpeech,
    build_index,
    find_occurrences,
)
from .pipeline import process
from .sidecar import load_sidecar
from .site import (
    CONCEPT_MAP,
    GLOSSARY_INDEX,
    HOME,
    KEYS_PAGE,
    RESERVED_SLUGS,
    SPEECHES_INDEX,
    TAGS_PAGE,
    sort_speeches,
    speech_page,
    term_page,
)
from .speech_layout import Fragment
from .speech_pages import render_speech_page, speech_page_inputs
from .tags_page import render_tags_page
from .yamlutil import read_yaml_source

log = logging.getLogger("mkdocs.plugins.pizhu")
SOURCES_DIR = "sources"
SPEECHES_DIR = "speeches"
GLOSSARY_FILE = "glossary.yml"
SOURCE_SUFFIX = ".txt"
SIDECAR_SUFFIX = ".yml"
# Everything under these docs/ folders, and these docs/ files, is generated (and
# gitignored); nothing else in docs/ is ever written or deleted.
GENERATED_DIRS = (SPEECHES_DIR, "glossary")
GENERATED_FILES = (HOME, CONCEPT_MAP, KEYS_PAGE)

SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class Source:
    """A speech file in sources/ and its optional sidecar."""

    path: Path
    name: str  # as shown in messages: "sources/x.txt"
    slug: str
    sidecar: Path | None


@dataclass(frozen=True)
class WriteResult:
    written: tuple[str, ...]
    deleted: tuple[str, ...]
    unchanged: tuple[str, ...]

    def summary(self) -> str:
        return (
            f"{len(self.written)} written, {len(self.deleted)} deleted, "
            f"{len(self.unchanged)} unchanged"
        )


def slug_for(path: Path, name: str | None = None) -> str:
    """The page slug of a source file: its stem, lower-cased, "_" and spaces as "-".

    Slugs become file names and addresses of the offline site, so they must be ASCII.
    """
    slug = re.sub(r"[_\s]+", "-", path.stem.strip().lower())
    if not SLUG_RE.fullmatch(slug):
        raise SourceError(
            "the file name must use only ASCII letters, digits and '-' "
            "(it becomes the page address)",
            path=name or str(path),
            hint="rename it in pinyin or English, e.g. sources/2021-dangke-zhongshi.txt",
        )
    return slug


def is_ignored(path: Path) -> bool:
    """Hidden files in sources/ are not the editor's: macOS's "._x.txt" (AppleDouble
    metadata a Mac writes on USB sticks and network shares), ".DS_Store", editors' ".x.swp"."""
    return path.name.startswith(".")


def _listing(folder: Path) -> list[Path]:
    try:
        return sorted(path for path in folder.iterdir() if not is_ignored(path))
    except OSError as error:
        raise file_error(error, SOURCES_DIR, SourceError) from None


def _has_suffix(path: Path, suffix: str) -> bool:
    """Suffixes in any case: Windows and old tools write "X.TXT"."""
    return path.suffix.lower() == suffix and path.is_file()


def sidecar_of(path: Path) -> Path | None:
    """The sidecar next to a speech file: same stem, ``.yml`` in any case."""
    try:
        siblings = _listing(path.parent)
    except PizhuError:
        return None
    found = [p for p in siblings if p.stem == path.stem and _has_suffix(p, SIDECAR_SUFFIX)]
    return found[0] if found else None


def find_sources(root: Path, problems: list[PizhuError] | None = None) -> list[Source]:
    """The speech files in ``root/sources``, sorted, with validated slugs.

    A speech is ``<name>.txt`` (``.TXT`` too), its sidecar ``<name>.yml`` (``.YML`` too);
    hidden files are ignored (:func:`is_ignored`). The first problem (a bad file name, two
    files for one page, a sidecar without its speech) is raised, or, when ``problems`` is
    a list, appended to it and the file left out (``build.py check`` lists them all).
    """

    def fail(error: PizhuError) -> None:
        if problems is None:
            raise error
        problems.append(error)

    folder = root / SOURCES_DIR
    if not folder.is_dir():
        return []
    listing = _listing(folder)
    sidecars: dict[str, Path] = {}
    for path in listing:
        if not _has_suffix(path, SIDECAR_SUFFIX):
            continue
        if path.stem in sidecars:
            fail(
                SourceError(
                    f"a second sidecar for {path.stem} (the first is"
                    f" {SOURCES_DIR}/{sidecars[path.stem].name})",
                    path=f"{SOURCES_DIR}/{path.name}",
                    hint="merge the two into one file and delete the other",
                )
            )
            continue
        sidecars[path.stem] = path
    sources: list[Source] = []
    by_slug: dict[str, Source] = {}
    for path in listing:
        if not _has_suffix(path, SOURCE_SUFFIX):
            continue
        name = f"{SOURCES_DIR}/{path.name}"
        try:
            slug = slug_for(path, name)
        except SourceError as error:
            fail(error)
            sidecars.pop(path.stem, None)
            continue
        if slug in RESERVED_SLUGS:
            fail(
                SourceError(
                    f"the page address '{slug}' is taken by a page of the site",
                    path=name,
                    hint="rename the file, e.g. add the year: sources/2021-" + path.name,
                )
            )
            sidecars.pop(path.stem, None)
            continue
        if slug in by_slug:
            fail(
                SourceError(
                    f"gives the same page address '{slug}' as {by_slug[slug].name}",
                    path=name,
                    hint="rename one of the two files",
                )
            )
            sidecars.pop(path.stem, None)
            continue
        source = Source(path, name, slug, sidecars.pop(path.stem, None))
        by_slug[slug] = source
        sources.append(source)
    for stem, path in sorted(sidecars.items()):
        fail(
            SourceError(
                f"sidecar has no speech file {stem}{SOURCE_SUFFIX} next to it",
                path=f"{SOURCES_DIR}/{path.name}",
                hint="rename it to match its .txt file, or delete it",
            )
        )
    return sources


def load_speech(
    source: Source, store: cache.SpeechStore | None = None, memo: Memo | None = None
) -> Speech:
    """Read one source (and its sidecar) and run the text pipeline.

    With ``store`` (the project's cache), a result cached for the same bytes, sidecar and
    code is used instead (cache.py), and the result is kept for the store's next save;
    with ``memo`` too, the speech is kept in memory by the same key (mkdocs serve: no
    load per build).
    """
    try:
        check_size(source.path.stat().st_size, source.name)  # before reading 50 MB
        data = source.path.read_bytes()
    except OSError as error:
        raise file_error(error, source.name, SourceError) from None
    if store is None:
        return _process(source, data)
    key = cache.cache_key(data, _sidecar_bytes(source), source.name, source.slug)

    def load() -> Speech:
        return store.get(key) or _process(source, data)

    speech = load() if memo is None else memo.get(("speech", key), load)
    store.keep(key, speech)
    return speech


def _process(source: Source, data: bytes) -> Speech:
    sidecar = None
    if source.sidecar:
        sidecar = load_sidecar(source.sidecar, f"{SOURCES_DIR}/{source.sidecar.name}")
    return process(data, name=source.name, slug=source.slug, sidecar=sidecar)


PROGRESS_FROM = 200  # speeches: fewer build in a few seconds, without a word
PROGRESS_STEPS = 10  # lines for a long build


def progress(done: int, total: int) -> None:
    """One line per tenth of a long corpus (the log of a 1,000-speech build stays short)."""
    step = max(1, total // PROGRESS_STEPS)
    if total >= PROGRESS_FROM and (done % step == 0 or done == total):
        log.info("Pizhu: %d/%d 篇讲话已整理", done, total)


def _sidecar_bytes(source: Source) -> bytes | None:
    if source.sidecar is None:
        return None
    try:
        return source.sidecar.read_bytes()
    except OSError as error:
        raise file_error(error, f"{SOURCES_DIR}/{source.sidecar.name}", SourceError) from None


def load_speeches(
    root: Path,
    sources: list[Source] | None = None,
    *,
    use_cache: bool = False,
    memo: Memo | None = None,
) -> list[Speech]:
    """Every speech of the project; ``use_cache``: through the per-source cache (and
    ``memo``, see :func:`load_speech`)."""
    found = find_sources(root) if sources is None else sources
    store = None
    if use_cache:
        # (serve: one store for the process, so the file is read once)
        store = (
            cache.SpeechStore(root)
            if memo is None
            else memo.get(
                ("speech-store", str(Path(root).resolve())), lambda: cache.SpeechStore(root)
            )
        )
        store.start()
    speeches = []
    for done, source in enumerate(found, 1):
        misses = memo.misses if memo is not None else 0
        speeches.append(load_speech(source, store, memo))
        if memo is None or memo.misses > misses:  # (serve: silent for what it kept)
            progress(done, len(found))
    if store is not None:
        store.save()
    return speeches


def load_project_glossary(
    root: Path, docs_dir: Path | None = None, sources: list[Source] | None = None
) -> Glossary | None:
    """``root/glossary.yml`` validated (GlossaryError names file:line), or None if absent.

    Messages name the file as ``glossary.yml``, relative to the project, like sources/.
    Links in definitions must lead to a page of the site (checked here, before any page
    is written, rather than by MkDocs after site/ has been overwritten).
    """
    root = Path(root)
    path = root / GLOSSARY_FILE
    if not path.exists():
        return None
    glossary = parse_glossary(read_yaml_source(path, GlossaryError, GLOSSARY_FILE), GLOSSARY_FILE)
    if sources is None:
        sources = find_sources(root)
    docs = Path(docs_dir) if docs_dir is not None else root / "docs"
    check_definition_links(glossary, site_files(docs, glossary, sources))
    return glossary


def site_files(docs_dir: Path, glossary: Glossary, sources: list[Source]) -> set[str]:
    """Every docs-relative file the site will have: the generated pages (from the glossary
    ids and the source slugs, before any speech is processed) and the hand-written docs."""
    files = {HOME, CONCEPT_MAP, SPEECHES_INDEX, TAGS_PAGE, GLOSSARY_INDEX, KEYS_PAGE}
    files |= {term_page(term.id) for term in glossary}
    files |= {f"{SPEECHES_DIR}/{source.slug}.md" for source in sources}
    return files | hand_written_files(docs_dir)


def hand_written_files(docs_dir: Path) -> set[str]:
    """The docs-relative files of ``docs_dir`` that the generator does not own."""
    if not docs_dir.is_dir():
        return set()
    relative = (
        path.relative_to(docs_dir).as_posix() for path in docs_dir.rglob("*") if path.is_file()
    )
    return {name for name in relative if not is_generated(name)}


def concept_index(
    speeches: list[Speech], glossary: Glossary | None, memo: Memo | None = None
) -> ConceptIndex | None:
    """Where each concept occurs; speeches in the site's order (newest first). With
    ``memo``, the linker and each speech's occurrences are kept between builds."""
    if glossary is None:
        return None
    ordered = sort_speeches(speeches)
    if memo is None:
        return build_index(ordered, glossary)
    linker = memo.get(("linker", glossary), lambda: Linker(glossary))

    def find(speech: Speech, linker: Linker) -> tuple[Occurrence, ...]:
        # (the linker is kept by glossary, so the same object stands for the same one)
        return memo.get(("occurrences", speech, linker), lambda: find_occurrences(speech, linker))

    return build_index(ordered, glossary, linker=linker, find=find)


Fragments = dict[str, list[Fragment]]


def render_pages(
    speeches: list[Speech],
    glossary: Glossary | None = None,
    fragments: Fragments | None = None,
    memo: Memo | None = None,
) -> dict[str, str]:
    """Every generated page, docs-relative path -> Markdown. Pure but for ``fragments``:
    when given (the MkDocs hook), it receives each speech page's paragraphs as finished
    HTML, and those pages have placeholders in their place (speech_layout.render_speech).
    ``memo`` (mkdocs serve): a speech page whose inputs are those of the last build is
    not rendered again."""
    index = concept_index(speeches, glossary, memo)
    related = _related_table(index, memo)
    pages = {}
    for speech in speeches:
        path = speech_page(speech)
        found_related = None if related is None else related[speech.slug]
        pages[path], found = _speech_page(speech, index, fragments is not None, memo, found_related)
        if fragments is not None:
            fragments[path] = list(found)
    index_fragments = None if fragments is None else fragments.setdefault(SPEECHES_INDEX, [])
    pages[SPEECHES_INDEX] = render_speeches_index(speeches, index, index_fragments)
    pages[TAGS_PAGE] = render_tags_page(speeches, index)
    pages[HOME] = render_home(speeches, index)
    map_fragments = None if fragments is None else fragments.setdefault(CONCEPT_MAP, [])
    pages[CONCEPT_MAP] = render_concept_map(speeches, index, map_fragments)
    pages[KEYS_PAGE] = render_keys_page(speeches, index)
    pages.update(render_glossary_pages(index, fragments))
    return dict(sorted(pages.items()))


def _related_table(
    index: ConceptIndex | None, memo: Memo | None
) -> dict[str, list[RelatedSpeech]] | None:
    """Every speech's related speeches, through ``memo``: they depend only on which
    concepts each speech has and on the speeches' order, so an edit that changes neither
    (most edits) does not count them again (at 1,000 speeches, 10 million counts)."""
    if memo is None or index is None:
        return None
    signature = tuple(
        (s.slug, frozenset(o.term_id for o in index.in_speech(s.slug))) for s in index.speeches
    )

    def count() -> dict[str, tuple[tuple[str, int], ...]]:
        return {
            s.slug: tuple((r.speech.slug, r.shared) for r in index.related(s.slug))
            for s in index.speeches
        }

    table = memo.get(("related", signature), count)
    return {
        slug: [RelatedSpeech(index.speech(other), shared) for other, shared in found]
        for slug, found in table.items()
    }


def _speech_page(
    speech: Speech,
    index: ConceptIndex | None,
    as_fragments: bool,
    memo: Memo | None,
    related: list[RelatedSpeech] | None = None,
) -> tuple[str, tuple[Fragment, ...]]:
    """One speech page and its fragments; through ``memo``, keyed by all its inputs."""
    inputs = speech_page_inputs(speech, index, related)

    def render() -> tuple[str, tuple[Fragment, ...]]:
        found: list[Fragment] | None = [] if as_fragments else None
        page = render_speech_page(speech, index, found, inputs)
        return page, tuple(found or ())

    if memo is None:
        return render()
    # The glossary is in the key as its linker (kept by glossary: one object per glossary).
    linker = None if index is None else index.linker
    return memo.get(("speech-page", speech, linker, inputs, as_fragments), render)


def generate_pages(
    root: Path,
    docs_dir: Path | None = None,
    *,
    use_cache: bool = True,
    fragments: Fragments | None = None,
    memo: Memo | None = None,
    sources: list[Source] | None = None,
) -> dict[str, str]:
    """Read ``root/glossary.yml`` and ``root/sources`` and render all pages in memory.

    Raises PizhuError (GlossaryError, SourceError) before anything is written if any
    input is wrong. ``docs_dir`` (default ``root/docs``) is where definitions may link.
    ``fragments``, ``memo``: see :func:`render_pages` (``memo`` also keeps each source's
    speech by the hash of its inputs). ``sources``: what :func:`find_sources` gives, if
    the caller has it.
    """
    root = Path(root)
    sources = find_sources(root) if sources is None else sources
    glossary = load_project_glossary(root, docs_dir, sources)
    speeches = load_speeches(root, sources, use_cache=use_cache, memo=memo)
    return render_pages(speeches, glossary, fragments, memo)


def _inputs(root: Path, docs_dir: Path | None, sources: list[Source]) -> Iterator[bytes]:
    """Everything generate_pages reads: the glossary, the names of the hand-written docs
    (definitions may link to them), and each source's name, slug, bytes and sidecar."""
    glossary = root / GLOSSARY_FILE
    try:
        yield glossary.read_bytes() if glossary.exists() else b"\0no glossary"
        docs = Path(docs_dir) if docs_dir is not None else root / "docs"
        yield "\n".join(sorted(hand_written_files(docs))).encode()
        for source in sources:
            yield f"{source.name}\0{source.slug}".encode()
            yield source.path.read_bytes()
            yield _sidecar_bytes(source) or b"\0no sidecar"
    except OSError:  # unreadable now: let the real run name the file
        yield os.urandom(16)


def is_generated(relative: str) -> bool:
    """Whether a docs-relative path is one of the pages the generator owns."""
    return relative in GENERATED_FILES or relative.split("/", 1)[0] in GENERATED_DIRS


def write_pages(docs_dir: Path, pages: Mapping[str, str]) -> WriteResult:
    """Bring the generated part of ``docs_dir`` in line with ``pages``.

    Writes only changed files (atomically), deletes generated files not in ``pages``,
    and never touches hand-written docs.
    """
    docs_dir = Path(docs_dir)
    for relative in pages:
        if not is_generated(relative) or ".." in relative.split("/"):
            raise ValueError(f"refusing to write {relative!r}: not a generated page")
    written: list[str] = []
    unchanged: list[str] = []
    for relative, content in sorted(pages.items()):
        target = docs_dir / relative
        data = content.encode("utf-8")
        if target.is_file() and target.read_bytes() == data:
            unchanged.append(relative)
            continue
        try:
            write_atomic(target, data)
        except OSError as error:
            raise file_error(error, f"{docs_dir.name}/{relative}", action="write") from None
        written.append(relative)
    deleted = _delete_stale(docs_dir, pages)
    return WriteResult(tuple(written), tuple(deleted), tuple(unchanged))


def _delete_stale(docs_dir: Path, pages: Mapping[str, str]) -> list[str]:
    deleted: list[str] = []
    for relative in GENERATED_FILES:
        if relative not in pages and (docs_dir / relative).is_file():
            (docs_dir / relative).unlink()
            deleted.append(relative)
    for folder in GENERATED_DIRS:
        base = docs_dir / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*"), reverse=True):
            relative = path.relative_to(docs_dir).as_posix()
            if path.is_file() and relative not in pages:
                path.unlink()
                deleted.append(relative)
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
        if not any(base.iterdir()):
            base.rmdir()
    return sorted(deleted)


def build_docs(root: Path, docs_dir: Path | None = None) -> WriteResult:
    """Generate and write all pages for the project at ``root`` (docs/ by default).

    When every input is what the last run read (cache.inputs_key) and each page it wrote
    is still in docs/ as it left it (same size and modification time), nothing is
    generated: an unchanged project costs hashing its inputs and a look at docs/.
    """
    root = Path(root)
    docs_dir = Path(docs_dir) if docs_dir is not None else root / "docs"
    sources = find_sources(root)
    key = cache.inputs_key(_inputs(root, docs_dir, sources))
    stamps = cache.load_site(root, key)
    if isinstance(stamps, dict) and stamps and _stamps(docs_dir, stamps) == stamps:
        deleted = _delete_stale(docs_dir, stamps)
        return WriteResult((), tuple(deleted), tuple(sorted(stamps)))
    pages = generate_pages(root, docs_dir, sources=sources)
    result = write_pages(docs_dir, pages)
    cache.store_site(root, key, _stamps(docs_dir, pages))
    return result


def _stamps(docs_dir: Path, pages: Iterable[str]) -> dict[str, tuple[int, int] | None]:
    """Each page's file in ``docs_dir``: (size, modification time in ns), None if absent."""
    stamps: dict[str, tuple[int, int] | None] = {}
    for relative in pages:
        try:
            found = (docs_dir / relative).stat()
        except OSError:
            stamps[relative] = None
            continue
        stamps[relative] = (found.st_size, found.st_mtime_ns)
    return stamps
