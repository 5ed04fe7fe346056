"""The built site in a real browser: Debian's Chromium driven by Playwright.

Never a downloaded browser: /usr/bin/chromium or nothing (skipped locally, a failure on
CI). The site is served from 127.0.0.1 by a thread in this process, and every request
the page makes is logged: anything not to that server fails the test. Screenshots go to
tests/.artifacts/ for humans to look at.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from conftest import ARTIFACTS, Built

pytestmark = pytest.mark.browser

LOCAL_SCHEMES = {"data", "blob", "about"}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server(bundled: Built) -> Iterator[str]:
    """Serve the built site on 127.0.0.1 (a free port) for the module's tests."""
    handler = functools.partial(QuietHandler, directory=str(bundled.site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


class RequestLog:
    """Every request of a browser context; requests that leave ``origin`` are blocked."""

    def __init__(self, context, origin: str | None) -> None:
        self.origin = origin
        self.all: list[str] = []
        self.outside: list[str] = []
        context.on("request", lambda request: self._record(request.url))
        if origin is not None:
            context.route("**/*", self._route)

    def is_local(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme in LOCAL_SCHEMES:
            return True
        if self.origin is None:
            return parts.scheme == "file"
        return f"{parts.scheme}://{parts.netloc}" == self.origin

    def _record(self, url: str) -> None:
        self.all.append(url)
        if not self.is_local(url):
            self.outside.append(url)

    def _route(self, route) -> None:
        if self.is_local(route.request.url):
            route.continue_()
        else:
            route.abort()


def open_page(browser, url: str, origin: str | None, width: int = 1280, **options):
    """A new context and page on ``url``, loaded; ``options`` go to the context
    (e.g. a phone's viewport, is_mobile, has_touch)."""
    context = browser.new_context(
        **{
            "viewport": {"width": width, "height": 900},
            "device_scale_factor": 1,
            "locale": "zh-CN",
            "service_workers": "block",
            **options,
        }
    )
    log = RequestLog(context, origin)
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    return context, page, log


def test_speech_page_shows_title_and_numbers_and_stays_local(browser, server, bundled):
    speech = bundled.speeches[0]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        context, page, log = open_page(
            browser, f"{server}/speeches/{speech.slug}.html", server, width
        )
        try:
            title = page.locator("article h1")
            assert title.is_visible()
            assert title.inner_text().replace("¶", "").strip() == " ".join(
                (speech.title or "（无标题）").split()
            )
            first_number = page.locator("article a.pz-pn").first
            assert first_number.is_visible()
            assert first_number.inner_text() == "1"
            assert page.locator("article p.pz-p").count() == len(speech.paragraphs)
            page.screenshot(path=str(ARTIFACTS / f"speech-{width}.png"), full_page=False)
            assert log.outside == [], log.outside
            assert log.all, "the request log works"
        finally:
            context.close()


def test_paragraph_link_targets_the_paragraph(browser, server, bundled):
    speech = bundled.speeches[0]
    context, page, log = open_page(browser, f"{server}/speeches/{speech.slug}.html", server)
    try:
        page.locator("article a.pz-pn", has_text="2").first.click()
        assert page.evaluate("location.hash") == "#p-2"
        assert page.evaluate("document.querySelector(':target').id") == "p-2"
        assert log.outside == []
    finally:
        context.close()


def test_home_and_index_pages_stay_local(browser, server, bundled):
    for path in ("index.html", "speeches/index.html", "about.html"):
        context, page, log = open_page(browser, f"{server}/{path}", server)
        try:
            assert page.locator("article h1").is_visible()
            assert log.outside == [], (path, log.outside)
        finally:
            context.close()
    context, page, log = open_page(browser, f"{server}/speeches/index.html", server)
    try:
        links = page.locator("article table a")
        assert links.count() == len(bundled.speeches)
        page.screenshot(path=str(ARTIFACTS / "speeches-index-1280.png"))
    finally:
        context.close()


def test_offline_from_file_urls(browser, bundled):
    """Opened from the file system (a copied site folder): readable, nothing fetched."""
    speech = bundled.speeches[0]
    url = (bundled.site / "speeches" / f"{speech.slug}.html").as_uri()
    context, page, log = open_page(browser, url, None)
    try:
        assert page.locator("article h1").is_visible()
        page.locator("article a.pz-pn").first.wait_for()
        # relative links work without a server (use_directory_urls: false)
        page.goto((bundled.site / "speeches" / "index.html").as_uri(), wait_until="load")
        page.locator("article table a").first.click()
        page.wait_for_load_state("load")
        assert page.url.startswith("file://") and page.url.endswith(".html")
        assert log.outside == [], log.outside
    finally:
        context.close()
