"""The markers ``browser``, ``build`` and ``nginx`` are applied by what a test uses
(conftest.py, ``pytest_collection_modifyitems``), so ``pytest -m "not browser"`` skips every
browser test and ``-m "not build"`` every real mkdocs build.

Two checks: small test files with every way of needing a marker, collected by pytest with
this conftest; and the real suite, collected with the three markers deselected.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

MARKERS_INI = """\
[pytest]
addopts = --strict-markers
markers =
    browser: x
    build: x
    nginx: x
"""

NEEDS = """
import subprocess
import sys

import pytest

from conftest import run_mkdocs


@pytest.fixture
def site(bundled):
    return bundled.site


@pytest.fixture
def nginx():
    yield "http://127.0.0.1:1/"


def start_mkdocs(folder):
    subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=folder, check=True)


@pytest.fixture
def fixture_site(tmp_path):
    start_mkdocs(tmp_path)


def test_plain(tmp_path):
    assert tmp_path


def test_browser(browser):
    pass


def test_through_a_fixture(site):
    pass


def test_hostile(hostile):
    pass


@pytest.mark.parametrize("corpus", ["bundled", "hostile"])
def test_fixture_named_by_a_parameter(request, corpus):
    request.getfixturevalue(corpus)


def test_calls_run_mkdocs(tmp_path):
    assert run_mkdocs(tmp_path).returncode == 0


def test_helper_runs_mkdocs(fixture_site):
    pass


def test_nginx(nginx, browser):
    pass


def test_playwright():
    from playwright.sync_api import sync_playwright

    with sync_playwright():
        pass


def test_uses_a_lambda():
    build = lambda: run_mkdocs(".")  # noqa: E731
    assert build
"""

OVERRIDES = '''
import pytest


@pytest.fixture
def bundled():
    """Not the built site: this module's own fixture of that name."""
    return {"terms": 3}


def test_own_bundled(bundled):
    assert bundled["terms"] == 3
'''

EXPECTED = {
    "browser": {"test_browser", "test_nginx", "test_playwright"},
    "build": {
        "test_through_a_fixture",
        "test_hostile",
        "test_fixture_named_by_a_parameter[bundled]",
        "test_fixture_named_by_a_parameter[hostile]",
        "test_calls_run_mkdocs",
        "test_helper_runs_mkdocs",
        "test_uses_a_lambda",
    },
    "nginx": {"test_nginx"},
}
ALL = {
    "test_plain",
    "test_own_bundled",
    *EXPECTED["browser"],
    *EXPECTED["build"],
}


def collected(pytester: pytest.Pytester, expression: str) -> set[str]:
    result = pytester.runpytest_subprocess("--collect-only", "-q", "-m", expression)
    assert result.ret in (0, 5), result.stdout.str()  # 5: nothing selected
    return {
        line.split("::", 1)[1]
        for line in result.stdout.lines
        if "::" in line and not line.startswith(" ")
    }


@pytest.fixture
def needs(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeconftest((ROOT / "tests" / "conftest.py").read_text(encoding="utf-8"))
    pytester.makeini(MARKERS_INI)
    pytester.makepyfile(test_needs=NEEDS, test_overrides=OVERRIDES)
    return pytester


@pytest.mark.parametrize("marker", sorted(EXPECTED))
def test_each_way_of_needing_a_marker_applies_it(needs: pytest.Pytester, marker: str):
    assert collected(needs, marker) == EXPECTED[marker]
    assert collected(needs, f"not {marker}") == ALL - EXPECTED[marker]


# A plugin for the collection of the real suite: what each selected and each deselected
# test uses (fixtures of conftest.py by name, nginx wherever defined, string parameters).
DUMP_PLUGIN = """
import inspect
import json
import os

CONFTEST = {"browser", "bundled", "hostile"}
seen = {"selected": [], "deselected": []}


def uses(item):
    info = item._fixtureinfo.name2fixturedefs
    names = {
        name
        for name in item.fixturenames
        if name not in CONFTEST
        or (name in info and inspect.unwrap(info[name][-1].func).__module__ == "conftest")
    }
    callspec = getattr(item, "callspec", None)
    if callspec is not None:
        names |= {v for v in callspec.params.values() if isinstance(v, str)}
    return sorted(names & (CONFTEST | {"nginx"}))


def pytest_deselected(items):
    seen["deselected"] += [
        {"id": item.nodeid, "markers": sorted({m.name for m in item.iter_markers()})}
        for item in items
    ]


def pytest_collection_finish(session):
    seen["selected"] = [{"id": item.nodeid, "uses": uses(item)} for item in session.items]
    with open(os.environ["PIZHU_MARKER_DUMP"], "w", encoding="utf-8") as out:
        json.dump(seen, out)
"""


def test_the_real_suite_without_browser_build_and_nginx_uses_none_of_them(tmp_path: Path):
    (tmp_path / "pizhu_marker_dump.py").write_text(DUMP_PLUGIN, encoding="utf-8")
    dump = tmp_path / "dump.json"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")]),
        "PIZHU_MARKER_DUMP": str(dump),
    }
    command = [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"]
    result = subprocess.run(
        [*command, "-p", "pizhu_marker_dump", "-m", "not browser and not build and not nginx"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    seen = json.loads(dump.read_text(encoding="utf-8"))
    assert len(seen["selected"]) > 100
    using = [item for item in seen["selected"] if item["uses"]]
    assert using == [], "these tests need a marker they do not have"
    deselected = {item["id"].split("::")[0] for item in seen["deselected"]}
    for module in ("test_browser.py", "test_build_site.py", "test_nginx.py", "test_serve.py"):
        assert f"tests/{module}" in deselected
    for item in seen["deselected"]:
        assert {"browser", "build", "nginx"} & set(item["markers"]), item["id"]
