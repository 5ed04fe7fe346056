"""Offline from disk: the reader's zip (scripts/bundle.py) and the unzipped site opened
from file:// in Chromium with every request that is not a file blocked and recorded.

From index.html every page reachable through a link is opened: each renders (its title
is visible, no request fails, nothing leaves the disk), and each link within the site
points at an existing .html file (never a folder) and at an existing anchor in it.
Concept tooltips work there too. (Search from file:// is tested in test_search_*.py.)
"""

from __future__ import annotations

import html
import re
import zipfile
from collections import deque
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import pytest

import bundle
from conftest import Built

README = bundle.README_NAME
ID_RE = re.compile(r'\sid="([^"]+)"')


# --- the zip ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundle_zip(bundled: Built, tmp_path_factory) -> Path:
    return bundle.bundle(bundled.site, tmp_path_factory.mktemp("dist") / "pizhu-site.zip")


@pytest.fixture(scope="module")
def unzipped(bundle_zip: Path, tmp_path_factory) -> Path:
    """The zip unpacked into a folder with a Chinese name and a space (as a user might)."""
    target = tmp_path_factory.mktemp("unzipped") / "学习资料 2024"
    with zipfile.ZipFile(bundle_zip) as archive:
        archive.extractall(target)
    return target


def test_zip_holds_the_site_and_the_readme_at_the_top(bundle_zip: Path, bundled: Built):
    with zipfile.ZipFile(bundle_zip) as archive:
        names = archive.namelist()
        infos = archive.infolist()
    assert names[0] == README
    assert names[1:] == sorted(names[1:])
    assert "index.html" in names and "speeches/index.html" in names
    site = sorted(
        p.relative_to(bundled.site).as_posix() for p in bundled.site.rglob("*") if p.is_file()
    )
    assert sorted(n for n in names if n != README) == [n for n in site if n not in bundle.LEFT_OUT]
    for info in infos:
        assert info.date_time == bundle.ZIP_EPOCH, info.filename
        assert not info.is_dir()
    readme = next(i for i in infos if i.filename == README)
    assert readme.flag_bits & 0x800, "a UTF-8 name is flagged as such (Windows unzip)"


def test_site_file_names_in_the_zip_are_ascii(bundle_zip: Path):
    with zipfile.ZipFile(bundle_zip) as archive:
        names = [n for n in archive.namelist() if n != README]
    assert names
    assert [n for n in names if not n.isascii() or " " in n] == []


def test_readme_is_windows_text_that_says_how_to_open_search_and_print(bundle_zip: Path):
    with zipfile.ZipFile(bundle_zip) as archive:
        data = archive.read(README)
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte order mark for Notepad"
    text = data[3:].decode("utf-8")
    assert "\n" not in text.replace("\r\n", "")
    assert text.endswith("\r\n")
    for needed in ("解压", "index.html", "搜索", "打印", "Ctrl+P", "不需要联网"):
        assert needed in text, needed
    assert not re.search(r"https?://(?!内网地址)", text), "no address outside the intranet"


def test_zip_is_deterministic(bundled: Built, bundle_zip: Path, tmp_path: Path):
    again = bundle.bundle(bundled.site, tmp_path / "again.zip")
    assert again.read_bytes() == bundle_zip.read_bytes()


def test_bundle_refuses_a_folder_without_a_site(tmp_path: Path):
    with pytest.raises(SystemExit, match=r"no index\.html"):
        bundle.bundle(tmp_path, tmp_path / "x.zip")
    assert not (tmp_path / "x.zip").exists()


def test_bundle_command_line(bundled: Built, tmp_path: Path, capsys):
    assert bundle.main([str(bundled.site), str(tmp_path / "out" / "site.zip")]) == 0
    assert "files" in capsys.readouterr().out
    assert zipfile.is_zipfile(tmp_path / "out" / "site.zip")


# --- file:// with the network blocked ------------------------------------------------------


class FileOnly:
    """Blocks every request that is not a file (or data:/blob:) and records it; records
    failed file requests too (a missing stylesheet, script or image). A request the
    browser cancelled (the page was left or closed before the favicon came) is not a
    failure of the site."""

    def __init__(self, context) -> None:
        self.blocked: list[str] = []
        self.failed: list[str] = []
        context.route("**/*", self._route)
        context.on("requestfailed", self._failed)

    def _route(self, route) -> None:
        url = route.request.url
        if urlsplit(url).scheme in {"file", "data", "blob", "about"}:
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def _failed(self, request) -> None:
        if request.url not in self.blocked and request.failure != "net::ERR_ABORTED":
            self.failed.append(request.url)


def file_context(browser, width: int = 1280):
    context = browser.new_context(
        viewport={"width": width, "height": 900},
        locale="zh-CN",
        service_workers="block",
    )
    return context, FileOnly(context)


def ids_of(path: Path, cache: dict[Path, set[str]]) -> set[str]:
    if path not in cache:
        text = path.read_text(encoding="utf-8")
        cache[path] = {html.unescape(i) for i in ID_RE.findall(text)}
    return cache[path]


def test_every_page_renders_and_every_link_resolves_from_disk(browser, unzipped: Path):
    root = unzipped.resolve()
    context, network = file_context(browser)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    start = (root / "index.html").as_uri()
    queue, seen = deque([start]), {start}
    ids: dict[Path, set[str]] = {}
    problems: list[str] = []
    visited = 0
    try:
        while queue:
            url = queue.popleft()
            page.goto(url, wait_until="load")
            visited += 1
            here = Path(url2pathname(urlsplit(url).path))
            name = here.relative_to(root).as_posix()
            if not page.locator("article h1").first.is_visible():
                problems.append(f"{name}: no visible title")
            if page.evaluate("getComputedStyle(document.body).fontFamily").startswith('"Times'):
                problems.append(f"{name}: no stylesheet")
            links = page.evaluate(
                "Array.from(document.querySelectorAll('a[href]'),"
                " a => [a.getAttribute('href'), a.href])"
            )
            for raw, resolved in links:
                parts = urlsplit(resolved)
                if parts.scheme != "file":
                    problems.append(f"{name}: link out of the site: {raw}")
                    continue
                if raw.startswith("/"):
                    problems.append(f"{name}: absolute link {raw}")
                target = Path(url2pathname(parts.path))
                if raw.startswith("#"):
                    target = here
                elif raw.split("#")[0].endswith("/") or target.is_dir():
                    problems.append(f"{name}: link to a folder: {raw}")
                    continue
                if not target.is_file():
                    problems.append(f"{name}: broken link {raw}")
                    continue
                if root not in target.resolve().parents:
                    problems.append(f"{name}: link leaves the site: {raw}")
                    continue
                if parts.fragment and target.suffix == ".html":
                    fragment = unquote(parts.fragment)
                    if fragment not in ids_of(target, ids):
                        problems.append(f"{name}: missing anchor {raw}")
                if target.suffix == ".html":
                    page_url = target.as_uri()
                    if page_url not in seen:
                        seen.add(page_url)
                        queue.append(page_url)
    finally:
        context.close()
    assert problems == []
    assert network.blocked == [], network.blocked
    assert network.failed == [], network.failed
    assert errors == [], errors
    every_page = {p.resolve() for p in root.rglob("*.html")}
    reached = {Path(url2pathname(urlsplit(u).path)) for u in seen}
    assert every_page - reached == set(), "pages no link leads to"
    assert visited == len(seen) > 20


def test_tooltips_and_index_script_work_from_disk(browser, unzipped: Path, bundled: Built):
    slug = max(
        bundled.speeches,
        key=lambda s: (
            (unzipped / "speeches" / f"{s.slug}.html")
            .read_text(encoding="utf-8")
            .count('class="pz-term"')
        ),
    ).slug
    context, network = file_context(browser)
    page = context.new_page()
    try:
        page.goto((unzipped / "speeches" / f"{slug}.html").as_uri(), wait_until="load")
        term = page.locator("article a.pz-term").first
        term.hover()
        page.locator("#pz-tip").wait_for(state="visible", timeout=2000)
        assert term.get_attribute("data-pz-tip") in page.locator("#pz-tip").inner_text()
        page.goto((unzipped / "speeches" / "index.html").as_uri(), wait_until="load")
        page.locator("form.pz-filter").wait_for(state="visible", timeout=2000)
        assert network.blocked == [] and network.failed == []
    finally:
        context.close()
