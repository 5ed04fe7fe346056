"""The README's first command, `make serve`, on a fresh copy of the project: it builds the
site from the bundled corpus and serves the real pages over HTTP.

The copy holds the tracked files only (`git ls-files`: no generated pages, no site/, no
caches), as a fresh clone would. The server is stopped at the end (its whole process
group), and every wait is bounded.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT, html_text, speech_words, squash

pytestmark = pytest.mark.build

#: Seconds for `make serve` to build the bundled site and answer (a busy 2-core machine).
START_TIMEOUT = 300
#: The stamps of the Makefile that say "requirements installed" (see shadow_venv).
STAMPS = (".requirements-installed", ".requirements-test-installed")


def tracked_files() -> list[str]:
    result = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=False, timeout=60
    )
    if result.returncode != 0:
        pytest.skip("not a git checkout: `git ls-files` cannot list the project's files")
    return [name for name in result.stdout.decode("utf-8").split("\0") if name]


def shadow_venv(copy: Path) -> None:
    """Give the copy the virtualenv running these tests, without reinstalling anything.

    `make serve` installs requirements.txt into .venv unless .venv's stamp is newer than
    requirements.txt. Creating a venv here would take minutes and need the network, and
    touching the stamp inside the real venv would tell the real project its venv is up to
    date when it may not be. So .venv in the copy is a real folder of symlinks to the real
    venv's entries (bin, lib, pyvenv.cfg …: Python finds its prefix, hence site-packages,
    through them) plus its own stamps, touched after the copy's requirements files were
    written: make sees them current and installs nothing.
    """
    venv = Path(sys.prefix)
    if venv == Path(sys.base_prefix):
        pytest.skip("the tests are not running in a virtualenv (make test creates .venv)")
    shadow = copy / ".venv"
    shadow.mkdir()
    for entry in venv.iterdir():
        if not entry.name.startswith("."):
            (shadow / entry.name).symlink_to(entry)
    for stamp in STAMPS:
        (shadow / stamp).touch()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> tuple[int, str] | None:
    """Status and text of ``url``, or None while nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


@dataclass
class Served:
    copy: Path
    base: str
    log: Path


def user_env() -> dict[str, str]:
    """The environment of a user's shell: none of the outer make's variables (`make test`
    runs this test), which would make the inner make a sub-make of it."""
    drop = {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"}
    return {key: value for key, value in os.environ.items() if key not in drop}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    copy = tmp_path_factory.mktemp("fresh") / "pizhu"
    for name in tracked_files():
        source = ROOT / name
        if source.is_file():  # tracked but deleted in the work tree: not in a fresh copy
            target = copy / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    shadow_venv(copy)
    port = free_port()
    host = f"127.0.0.1:{port}"
    plan = subprocess.run(
        ["make", "-n", "serve", f"HOST={host}"],
        cwd=copy,
        env=user_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert plan.returncode == 0, plan.stdout + plan.stderr
    assert "pip install" not in plan.stdout, f"make would reinstall:\n{plan.stdout}"

    log = copy.parent / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            ["make", "serve", f"HOST={host}"],
            cwd=copy,
            env=user_env(),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: make, and mkdocs under it
        )
    try:
        base = f"http://{host}/"
        deadline = time.monotonic() + START_TIMEOUT
        while fetch(base) is None:
            text = log.read_text(encoding="utf-8", errors="replace")
            assert process.poll() is None, f"make serve exited {process.returncode}:\n{text}"
            assert time.monotonic() < deadline, f"nothing served in {START_TIMEOUT} s:\n{text}"
            time.sleep(0.5)
        yield Served(copy, base, log)
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    """Ctrl-C to the group (mkdocs serve removes its temporary site), then kill what is left."""
    with contextlib.suppress(ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=30)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def test_home_page_is_the_real_site(served: Served):
    status, page = fetch(served.base) or (0, "")
    assert status == 200
    assert re.search(r"<title>[^<]*讲话学习</title>", page)  # site_name of mkdocs.yml
    assert 'href="speeches/index.html"' in page
    assert "livereload" in page  # mkdocs serve's dev server, not some other one


def test_the_speeches_index_links_every_source(served: Served):
    status, page = fetch(f"{served.base}speeches/index.html") or (0, "")
    assert status == 200
    slugs = {path.stem for path in (served.copy / "sources").glob("*.txt")}
    assert slugs
    for slug in slugs:
        assert f'href="{slug}.html' in page, slug


def test_a_speech_page_shows_its_speech(served: Served):
    from pizhu.generate import find_sources, load_speech  # the same code as the copy's

    source = find_sources(served.copy)[0]
    speech = load_speech(source)
    status, page = fetch(f"{served.base}speeches/{source.slug}.html") or (0, "")
    assert status == 200
    text = squash(html_text(speech_words(page)))  # without the editor's notes
    assert squash(speech.title) in text
    for paragraph in speech.paragraphs[:3]:
        assert squash(paragraph.text) in text


def test_an_unknown_page_is_404(served: Served):
    assert (fetch(f"{served.base}speeches/no-such-speech.html") or (0, ""))[0] == 404


def test_make_installed_nothing(served: Served):
    log = served.log.read_text(encoding="utf-8", errors="replace")
    assert "pip install" not in log
    assert "mkdocs serve --dirty --dev-addr" in log


def wait_for(condition, what: str, served: Served, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        log = served.log.read_text(encoding="utf-8", errors="replace")
        assert time.monotonic() < deadline, f"{what} not within {timeout} s:\n{log[-3000:]}"
        time.sleep(0.5)


def builds(served: Served) -> int:
    return served.log.read_text(encoding="utf-8", errors="replace").count("Building documentation")


def speech_text(served: Served, slug: str) -> str:
    answer = fetch(f"{served.base}speeches/{slug}.html")
    return answer[1] if answer and answer[0] == 200 else ""


def test_an_edited_source_is_on_its_page_after_one_build(served: Served):
    """The hook writes nothing into the watched docs/: one save, one build."""
    from pizhu.generate import find_sources

    source = next(
        s for s in find_sources(served.copy) if not source_encoding(s.path).startswith("utf-16")
    )
    before = builds(served)
    added = "本段是测试时新加的一段话，用来确认页面已经更新。"
    with source.path.open("ab") as out:
        out.write(("\n" + added + "\n").encode(source_encoding(source.path)))
    wait_for(lambda: added in speech_text(served, source.slug), "the new paragraph", served)
    # Long enough for a second build, if the first triggered one, to have started.
    time.sleep(10)
    assert builds(served) == before + 1
    assert not (served.copy / "docs" / "speeches").exists()


def source_encoding(path: Path) -> str:
    from pizhu.decode import decode

    return decode(path.read_bytes(), path.name).encoding


def test_a_wrong_sidecar_keeps_the_pages_and_shows_the_error_until_fixed(served: Served):
    from pizhu.generate import find_sources, load_speech

    source = find_sources(served.copy)[-1]
    sidecar = source.path.with_suffix(".yml")
    original = sidecar.read_bytes() if sidecar.exists() else None
    sidecar.write_text(
        "annotations:\n  - quote: 这句话不在讲话里\n    note: 错\n", encoding="utf-8"
    )
    try:
        wait_for(
            lambda: "pz-build-error" in (fetch(served.base) or (0, ""))[1],
            "the error banner",
            served,
        )
        for page in ("", f"speeches/{source.slug}.html", "glossary/index.html"):
            status, text = fetch(served.base + page) or (0, "")
            assert status == 200
            banner = re.search(r'<div class="pz-build-error" role="alert">(.*?)</div>', text, re.S)
            assert banner, page
            assert f"sources/{sidecar.name}:2: annotation quote" in html_text(banner.group(1))
        # the last good pages are still there: another speech, with its text
        other = find_sources(served.copy)[0]
        text = squash(html_text(speech_words(speech_text(served, other.slug))))
        assert squash(load_speech(other).paragraphs[0].text) in text
    finally:
        if original is None:
            sidecar.unlink()
        else:
            sidecar.write_bytes(original)
    wait_for(
        lambda: "pz-build-error" not in (fetch(served.base) or (0, "pz-build-error"))[1],
        "the banner to go",
        served,
    )


# Serve's own additions to a page: the canonical address and the live-reload script.
_SERVE_ADDITIONS = re.compile(
    r'<link rel="canonical" href="[^"]*">|<script>[^<]*livereload\([^<]*</script>'
)


def as_built(page: str) -> str:
    """A page without serve's additions, whitespace ignored (they leave blank lines)."""
    return re.sub(r"\s+", "", _SERVE_ADDITIONS.sub("", page))


def fetch_bytes(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def test_a_dirty_build_renders_only_what_changed_and_serves_the_clean_builds_site(
    served: Served, tmp_path: Path
):
    """`make serve` runs `mkdocs serve --dirty` (pizhu/rebuilds.py): after a sentence is
    added to one speech, only the pages it changes are rendered, and every page and every
    search file served is what a clean `mkdocs build` of the same project gives."""
    from pizhu.generate import find_sources

    # (another source than the one test_an_edited_source… edits)
    source = [s for s in find_sources(served.copy) if "16" not in source_encoding(s.path)][1]
    added = "这是脏构建测试时加的一句话。"
    before = builds(served)
    with source.path.open("ab") as out:
        out.write(("\n" + added + "\n").encode(source_encoding(source.path)))
    wait_for(lambda: added in speech_text(served, source.slug), "the new sentence", served)
    wait_for(lambda: build_finished(served), "the build's end", served)
    assert builds(served) == before + 1
    changed = re.findall(r"Pizhu: (\d+)/(\d+) 个生成的页面有变化", last_build(served))
    assert changed, last_build(served)
    rendered, pages = map(int, changed[-1])
    # the speech, the speeches index and the home page (its word count); not the others
    assert 1 <= rendered <= 3 < pages

    assert served_pages_are_the_clean_builds(served, tmp_path / "site") > pages


def test_a_new_source_and_its_removal_render_everything_again(served: Served, tmp_path: Path):
    """A new speech changes what other pages show (the index, tags, related speeches): the
    dirty build renders everything into an emptied site/. Removed again, its page is gone
    (not left behind from the last build) and the site is the clean build's again."""
    from pizhu.generate import find_sources

    model = find_sources(served.copy)[0]
    new = model.path.with_name("zz-dirty-new-speech.txt")
    new.write_bytes(model.path.read_bytes())
    try:
        wait_for(
            lambda: (
                "zz-dirty-new-speech" in (fetch(served.base + "speeches/index.html") or (0, ""))[1]
            ),
            "the new speech in the index",
            served,
        )
        wait_for(lambda: build_finished(served), "the build's end", served)
        assert "个生成的页面有变化" not in last_build(served)  # (a full build says nothing)
        served_pages_are_the_clean_builds(served, tmp_path / "with")
    finally:
        new.unlink()
    wait_for(
        lambda: (fetch(served.base + "speeches/zz-dirty-new-speech.html") or (0, ""))[0] == 404,
        "the removed speech's page to go",
        served,
    )
    wait_for(lambda: build_finished(served), "the build's end", served)
    served_pages_are_the_clean_builds(served, tmp_path / "without")


def served_pages_are_the_clean_builds(served: Served, site: Path) -> int:
    """Every page and search file of a clean build of the copy is served as it is (less
    serve's own additions); returns how many files were compared."""
    clean = run_clean_build(served.copy, site)
    checked = 0
    for path in sorted(clean.rglob("*")):
        relative = path.relative_to(clean).as_posix()
        if not path.is_file() or relative.startswith("sitemap.xml"):
            continue  # (the sitemap names the serve address)
        if not (relative.endswith(".html") or relative.startswith("search/")):
            continue  # theme assets: copied, not rendered
        body = fetch_bytes(served.base + relative)
        assert body is not None, relative
        if relative.endswith(".html"):
            assert as_built(body.decode("utf-8")) == as_built(path.read_text("utf-8")), relative
        else:
            assert body == path.read_bytes(), relative
        checked += 1
    return checked


def build_finished(served: Served) -> bool:
    """Has the last build ended? Serve reloads the browsers after each build. (Not
    "Documentation built in 0.97 seconds": MkDocs' DuplicateFilter drops that line when a
    build takes as long as an earlier one did.)"""
    return "Reloading browsers" in last_build(served)


def last_build(served: Served) -> str:
    log = served.log.read_text(encoding="utf-8", errors="replace")
    return log[log.rindex("Building documentation") :]


def run_clean_build(project: Path, site: Path) -> Path:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
        cwd=project,
        capture_output=True,
        text=True,
        env={**user_env(), "NO_MKDOCS_2_WARNING": "1"},
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return site
