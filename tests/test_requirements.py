"""requirements.txt (the site build: `make serve`, `make site`) and requirements-test.txt
(tests, lint, bench: on top of it): every package pinned with ==, every dependency of a
pinned package pinned in the same set, no test tool in the site's set, and the site's code
importing nothing the site's set does not install. Checked against the installed
packages' own metadata (the venv `make test` built from these files)."""

from __future__ import annotations

import ast
import importlib.metadata as metadata
import re
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from conftest import ROOT

SITE = ROOT / "requirements.txt"
TEST = ROOT / "requirements-test.txt"
TEST_TOOLS = {"playwright", "pytest", "ruff", "hypothesis", "jieba", "greenlet"}
#: The code a site build runs (the MkDocs hook, the pipeline, the CLI and the zip).
SITE_CODE = ["scripts/mkdocs_hook.py", "scripts/build.py", "scripts/bundle.py", "scripts/pizhu"]
PIN_RE = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([A-Za-z0-9.+!-]+)$")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(path: Path) -> dict[str, str]:
    """name -> version of a requirements file, following ``-r`` includes."""
    found: dict[str, str] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("-r "):
            found.update(pins(path.parent / line[3:].strip()))
            continue
        match = PIN_RE.match(line)
        assert match, f"{path.name}:{number}: {raw!r} is not pinned as name==version"
        found[canonical(match[1])] = match[2]
    return found


def dependencies(name: str) -> set[str]:
    """What the installed distribution ``name`` requires here (markers evaluated)."""
    needed: set[str] = set()
    for text in metadata.distribution(name).requires or []:
        requirement = Requirement(text)
        if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
            needed.add(canonical(requirement.name))
    return needed


@pytest.mark.parametrize("path", [SITE, TEST], ids=lambda p: p.name)
def test_every_dependency_is_pinned_and_installed_at_its_pin(path: Path):
    pinned = pins(path)
    for name, version in pinned.items():
        assert metadata.version(name) == version, f"{name}: installed != pinned {version}"
        missing = dependencies(name) - set(pinned)
        assert not missing, f"{path.name}: {name} needs {sorted(missing)}, not pinned there"


def test_the_site_build_installs_no_test_tools_and_the_test_side_adds_them():
    site, test = pins(SITE), pins(TEST)
    assert not TEST_TOOLS & set(site)
    assert set(test) >= TEST_TOOLS
    assert test.items() >= site.items()  # the same pins, never a second version


def test_the_site_code_imports_only_what_requirements_txt_installs():
    site = set(pins(SITE))
    providers = metadata.packages_distributions()
    files = [
        path
        for entry in SITE_CODE
        for path in ([ROOT / entry] if entry.endswith(".py") else (ROOT / entry).rglob("*.py"))
    ]
    local = {"pizhu", *(p.stem for p in (ROOT / "scripts").glob("*.py"))}
    outside: dict[str, str] = {}
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top in sys.stdlib_module_names or top in local:
                    continue
                if not {canonical(d) for d in providers.get(top, [])} & site:
                    outside[top] = path.relative_to(ROOT).as_posix()
    assert outside == {}, "imported by the site build but not in requirements.txt"
