"""Shared fixtures: project paths, a Markdown converter configured like mkdocs.yml,
helpers to read rendered HTML as text, and real MkDocs builds of two corpora (the
bundled sources/ and the hostile fixture), each built once per session.

Tests are marked ``browser``, ``build`` and ``nginx`` by what they use (see
``needed_markers``), so ``pytest -m "not browser and not build"`` runs the fast part."""

from __future__ import annotations

import html
import inspect
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from mkdocs.utils.yaml import yaml_load

pytest_plugins = ["pytester"]  # tests/test_markers.py runs pytest on small test files

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "cases"
FIXTURES = ROOT / "tests" / "fixtures"
ARTIFACTS = ROOT / "tests" / ".artifacts"

_BLOCK_TAG_RE = re.compile(
    r"</?(?:p|h[1-6]|li|ul|ol|td|th|tr|table|thead|tbody|div|details|summary|br|hr|nav|"
    r"header|footer|article|main|section|aside|label|form|input|button|title)\b[^>]*>",
    re.IGNORECASE,
)
_TAG_RE = re.compile(r"<[^>]*>")


def markdown_extensions() -> tuple[list[str], dict[str, dict]]:
    """The markdown_extensions of mkdocs.yml, as Python-Markdown arguments."""
    with (ROOT / "mkdocs.yml").open("rb") as handle:
        config = yaml_load(handle)
    names: list[str] = []
    configs: dict[str, dict] = {}
    for item in config["markdown_extensions"]:
        if isinstance(item, str):
            names.append(item)
        else:
            ((name, options),) = item.items()
            names.append(name)
            configs[name] = options or {}
    return names, configs


def html_text(fragment: str) -> str:
    """Visible text of an HTML fragment: tags stripped, entities decoded, spaces collapsed.

    Block-level tags separate words; inline tags (a, span, code …) do not.
    """
    text = _TAG_RE.sub("", _BLOCK_TAG_RE.sub(" ", fragment))
    return " ".join(html.unescape(text).split())


class _Unskipped(HTMLParser):
    """Re-serialises HTML without the elements marked ``data-pz-skip`` (and all they hold)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.depth = 0  # open elements inside a skipped one (0: not skipping)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth or any(name == "data-pz-skip" for name, _ in attrs):
            self.depth += 1
        else:
            self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1
        else:
            self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self.depth:
            self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        self.handle_data(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.handle_data(f"&#{name};")


def speech_words(fragment: str) -> str:
    """An HTML fragment without what the page adds inside the speech's text and marks
    ``data-pz-skip`` (an editor's note and its number, editorial.py): the speech's words."""
    parser = _Unskipped()
    parser.feed(fragment)
    parser.close()
    return "".join(parser.out)


def squash(text: str) -> str:
    """Text with all whitespace removed, for comparing text across markup boundaries."""
    return "".join(text.split())


@pytest.fixture(scope="session")
def to_html() -> Callable[[str], str]:
    """Convert Markdown exactly as the site build does (same extensions and options)."""
    names, configs = markdown_extensions()
    md = markdown.Markdown(extensions=names, extension_configs=configs)

    def convert(text: str) -> str:
        md.reset()
        return md.convert(text)

    return convert


# --- marked text for the escaping tests (test_render.py, test_fragments.py) -------------

SPAN_RE = re.compile(r"⟦([^⟦⟧]+)⟧")


def unmark(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """The text without ⟦⟧ and the spans they marked."""
    text, spans, position = "", [], 0
    for match in SPAN_RE.finditer(marked):
        text += marked[position : match.start()]
        spans.append((len(text), len(text) + len(match.group(1))))
        text += match.group(1)
        position = match.end()
    return text + marked[position:], spans


def concept_mark(start: int, end: int, summary: str = "基层治理经验。"):
    """A concept link as a speech page makes one (class, summary and name as data)."""
    from pizhu.render import Mark

    return Mark(
        start,
        end,
        "../glossary/si-feng.md",
        css_class="pz-term",
        data=(("data-pz-tip", summary), ("data-pz-term", "四风")),
    )


# --- real site builds (used by test_build_site.py and test_browser.py) ---------------


@dataclass
class Built:
    project: Path
    site: Path
    log: str
    speeches: list  # list[Speech] from the real pipeline

    def page(self, slug: str) -> str:
        return (self.site / "speeches" / f"{slug}.html").read_text(encoding="utf-8")


def copy_project(dest: Path, sources: Path) -> None:
    """The project's site machinery with ``sources`` as its sources/ and no generated pages."""
    dest.mkdir(parents=True)
    shutil.copy2(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    if (ROOT / "glossary.yml").is_file():
        shutil.copy2(ROOT / "glossary.yml", dest / "glossary.yml")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "scripts", dest / "scripts", ignore=ignore)
    shutil.copytree(ROOT / "overrides", dest / "overrides", ignore=ignore)
    from pizhu.generate import GENERATED_DIRS, GENERATED_FILES

    generated = set(GENERATED_DIRS) | set(GENERATED_FILES) | {"assets/generated"}

    def skip_generated(folder: str, names: list[str]) -> set[str]:
        relative = Path(folder).relative_to(ROOT / "docs").as_posix()
        return {
            name
            for name in names
            if (name if relative == "." else f"{relative}/{name}") in generated
        }

    shutil.copytree(ROOT / "docs", dest / "docs", ignore=skip_generated)
    shutil.copytree(sources, dest / "sources", ignore=ignore)


# As root, chmod 000 does not stop reading; without these capabilities (util-linux
# setpriv drops them for the child) it does, as it does for an ordinary user.
WITHOUT_ROOT_READ = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]


def run_mkdocs(project: Path, *, unprivileged: bool = False) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` of ``project`` in a fresh interpreter (the venv's Python);
    ``unprivileged``: as root, without root's power to read any file."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    prefix = WITHOUT_ROOT_READ if unprivileged and os.geteuid() == 0 else []
    config = str(project / "mkdocs.yml")
    return subprocess.run(
        [*prefix, sys.executable, "-m", "mkdocs", "build", "--strict", "-f", config],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


def mkdocs_build(project: Path) -> Built:
    result = run_mkdocs(project)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log

    from pizhu.generate import load_speeches  # the real pipeline, imported when used

    return Built(project, project / "site", log, load_speeches(project))


@pytest.fixture(scope="session")
def bundled(tmp_path_factory) -> Built:
    project = tmp_path_factory.mktemp("bundled") / "project"
    copy_project(project, ROOT / "sources")
    return mkdocs_build(project)


@pytest.fixture(scope="session")
def hostile(tmp_path_factory) -> Built:
    project = tmp_path_factory.mktemp("hostile") / "project"
    copy_project(project, FIXTURES / "hostile" / "sources")
    return mkdocs_build(project)


# --- Debian's Chromium, driven by Playwright (never a downloaded browser) ---------------

CHROMIUM = Path("/usr/bin/chromium")
# As root, in a sandbox, on a machine with no network: no sandbox, no GPU, and none of
# Chromium's own background connections (they would be refused, many at a time).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run. Missing: a failure in CI, else a skip."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


# --- markers, applied by what a test uses ------------------------------------------------

#: A test needs the marker when it uses one of these fixtures (directly or through other
#: fixtures), or when one of its parameters names one (a fixture taken with
#: ``request.getfixturevalue(param)``, as the ``built`` fixtures do).
MARKER_FIXTURES = {
    "browser": frozenset({"browser"}),
    "build": frozenset({"bundled", "hostile"}),
    "nginx": frozenset({"nginx"}),
}
#: ... or when the test, one of its fixtures, or a function of their module they call
#: refers to one of these names.
MARKER_CALLS = {
    "browser": frozenset({"sync_playwright"}),
    "build": frozenset({"run_mkdocs", "mkdocs_build"}),
}
#: A command line ``[..., "mkdocs", "build" | "serve", ...]`` in such code is a build too.
MKDOCS_COMMANDS = frozenset({"build", "serve"})


def _code_objects(code) -> Iterator:
    """A code object and those nested in it (lambdas, inner functions, comprehensions)."""
    yield code
    for const in code.co_consts:
        if inspect.iscode(const):
            yield from _code_objects(const)


_CALLED: dict[Callable, frozenset[str]] = {}


def _markers_called(function: Callable, _stack: frozenset = frozenset()) -> frozenset[str]:
    """Markers that ``function``'s code calls for, following calls to functions of its module
    (so a fixture that calls a helper which runs ``mkdocs build`` counts)."""
    function = inspect.unwrap(function)
    if function in _CALLED:
        return _CALLED[function]
    code = getattr(function, "__code__", None)
    if code is None:
        return frozenset()
    stack = _stack | {function}
    found: set[str] = set()
    for nested in _code_objects(code):
        names = set(nested.co_names)
        strings = {c for c in nested.co_consts if isinstance(c, str)}
        found |= {marker for marker, calls in MARKER_CALLS.items() if names & calls}
        if "mkdocs" in strings and strings & MKDOCS_COMMANDS:
            found.add("build")
        for name in names:
            target = function.__globals__.get(name)
            if (
                inspect.isfunction(target)
                and target.__module__ == function.__module__
                and target not in stack
            ):
                found |= _markers_called(target, stack)
    if not _stack:  # only complete answers are kept (not those cut short by recursion)
        _CALLED[function] = frozenset(found)
    return frozenset(found)


def needed_markers(item: pytest.Item) -> set[str]:
    """The markers ``item`` needs, by the fixtures, parameters and calls it uses."""
    names = set(getattr(item, "fixturenames", ()))
    callspec = getattr(item, "callspec", None)
    if callspec is not None:
        names |= {value for value in callspec.params.values() if isinstance(value, str)}
    info = getattr(item, "_fixtureinfo", None)  # pytest keeps the fixture closure here
    definitions = info.name2fixturedefs if info is not None else {}

    def meant(name: str) -> bool:
        """A module may define its own fixture of the same name (test_glossary.py's
        ``bundled`` is the bundled glossary): only this file's fixtures count by name."""
        active = definitions.get(name)
        if not active or not callable(globals().get(name)):
            return True
        return inspect.unwrap(active[-1].func).__module__ == __name__

    found = {
        marker
        for marker, fixtures in MARKER_FIXTURES.items()
        if any(meant(name) for name in names & fixtures)
    }
    functions = [item.function] if isinstance(item, pytest.Function) else []
    for name in names & set(definitions):
        # The active definition, and the ones it overrides only if it requests them.
        for definition in reversed(definitions[name]):
            functions.append(definition.func)
            if name not in definition.argnames:
                break
    for function in functions:
        found |= _markers_called(function)
    return found


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        for marker in sorted(needed_markers(item)):
            if item.get_closest_marker(marker) is None:
                item.add_marker(marker)
