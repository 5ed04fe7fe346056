"""Shared fixtures: project paths, a Markdown converter configured like mkdocs.yml,
helpers to read rendered HTML as text, and real MkDocs builds of two corpora (the
bundled sources/ and the hostile fixture), each built once per session."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import markdown
import pytest
from mkdocs.utils.yaml import yaml_load

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
