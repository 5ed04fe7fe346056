"""No page of the site ever asks for anything outside it, not even in an old browser.

Material's bundle loads a ResizeObserver polyfill from https://unpkg.com when the browser
has none (Chrome < 64, Safari < 13.1). overrides/main.html defines a local stand-in before
the bundle runs. Checked three ways: in the built HTML (the stand-in precedes the bundle on
every page), over every address in the built pages and stylesheets (all inside the site),
and in Debian's Chromium with ``window.ResizeObserver`` deleted before any script runs
(zero requests outside the site; and, as a control, the request Material makes when the
stand-in cannot take effect, so the check can fail).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import Built
from test_browser import RequestLog, server  # noqa: F401  (the fixture)

BUNDLE_RE = re.compile(r'<script src="[^"]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js"')
STAND_IN = 'if (typeof window.ResizeObserver === "undefined") {'
POLYFILL = "https://unpkg.com/resize-observer-polyfill"
# Attributes that make a browser fetch or navigate (HTML's URL-valued attributes).
URL_ATTRIBUTES = {"href", "src", "srcset", "action", "formaction", "poster", "data", "cite"}
CSS_URL_RE = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""")
LOCAL_SCHEMES = {"", "data", "blob", "about", "javascript"}


@pytest.fixture(params=["bundled", "hostile"])
def built(request) -> Built:
    return request.getfixturevalue(request.param)


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_page_defines_resize_observer_before_the_bundle(built: Built):
    for page in pages(built.site):
        text = page.read_text(encoding="utf-8")
        bundle = BUNDLE_RE.search(text)
        assert bundle, page
        assert 0 <= text.find(STAND_IN) < bundle.start(), page


def test_the_polyfill_address_is_only_in_materials_bundle(built: Built):
    """The one place the address is: the bundle's branch the stand-in makes unreachable."""
    holders = [
        p.relative_to(built.site).as_posix()
        for p in sorted(built.site.rglob("*"))
        if p.is_file() and p.suffix != ".map" and POLYFILL.encode() in p.read_bytes()
    ]
    assert len(holders) == 1 and re.fullmatch(
        r"assets/javascripts/bundle\.\w+\.min\.js", holders[0]
    )
    assert f'typeof ResizeObserver=="undefined"?_t("{POLYFILL}")' in (
        built.site / holders[0]
    ).read_text(encoding="utf-8"), "Material changed how it loads the polyfill: check again"


class _Addresses(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "srcset":
                self.found += [part.split()[0] for part in value.split(",") if part.strip()]
            elif name in URL_ATTRIBUTES:
                self.found.append(value)
            elif name == "style":
                self.found += [a or b for a, b in CSS_URL_RE.findall(value)]
            elif name == "content" and "url=" in value.lower():  # <meta http-equiv=refresh>
                self.found.append(value.split("=", 1)[1].strip())


def is_outside(address: str) -> bool:
    parts = urlsplit(address.strip())
    return parts.scheme.lower() not in LOCAL_SCHEMES or bool(parts.netloc)


def test_no_page_or_stylesheet_addresses_anything_outside_the_site(built: Built):
    """Every address a page or a stylesheet gives (attributes, inline styles, CSS url() and
    @import) is inside the site; URLs in plain text content are not addresses."""
    offenders = []
    for page in pages(built.site):
        parser = _Addresses()
        parser.feed(page.read_text(encoding="utf-8"))
        for tag_text in re.findall(r"<style[^>]*>(.*?)</style>", page.read_text("utf-8"), re.S):
            parser.found += [a or b for a, b in CSS_URL_RE.findall(tag_text)]
        name = page.relative_to(built.site).as_posix()
        offenders += [(name, a) for a in parser.found if is_outside(a)]
    for sheet in sorted(built.site.rglob("*.css")):
        text = re.sub(r"/\*.*?\*/", "", sheet.read_text(encoding="utf-8"), flags=re.S)
        name = sheet.relative_to(built.site).as_posix()
        offenders += [(name, a or b) for a, b in CSS_URL_RE.findall(text) if is_outside(a or b)]
    assert offenders == []


def test_the_check_finds_outside_addresses():
    parser = _Addresses()
    parser.feed(
        '<img srcset="a.png 1x, https://x.example/b.png 2x"><div style="background:'
        ' url(//cdn.example/c.png)"></div><meta http-equiv="refresh" content="0;'
        ' url=http://x.example/"><a href="../speeches/x.html#p-1">x</a>'
    )
    assert [a for a in parser.found if is_outside(a)] == [
        "https://x.example/b.png",
        "//cdn.example/c.png",
        "http://x.example/",
    ]


# --- in Chromium, as an old browser without ResizeObserver ----------------------------------

NO_RESIZE_OBSERVER = "delete window.ResizeObserver;"
# The control: ResizeObserver stays undefined whatever the page assigns, as if the stand-in
# were missing; Material must then ask unpkg.com, and the request log must see it.
STAND_IN_DEFEATED = (
    "delete window.ResizeObserver;"
    "Object.defineProperty(window, 'ResizeObserver',"
    " {configurable: true, get: function () { return undefined; }, set: function () {}});"
)


def visit(browser, server: str, built: Built, init_script: str) -> tuple[list[str], list[str]]:
    """Open the main kinds of pages; return the requests outside the site and page errors."""
    speech = built.speeches[0]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.add_init_script(init_script)
    log = RequestLog(context, server)
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        for path in ("index.html", f"speeches/{speech.slug}.html", "glossary/index.html"):
            page.goto(f"{server}/{path}", wait_until="load")
            page.wait_for_load_state("networkidle")
            assert page.evaluate("typeof window.ResizeObserver") in ("function", "undefined")
        assert log.all
        return log.outside, errors
    finally:
        context.close()


@pytest.mark.browser
def test_no_request_outside_the_site_without_resize_observer(browser, server, bundled: Built):
    outside, errors = visit(browser, server, bundled, NO_RESIZE_OBSERVER)
    assert outside == []
    assert errors == []


@pytest.mark.browser
def test_control_without_the_stand_in_material_asks_unpkg(browser, server, bundled: Built):
    outside, _ = visit(browser, server, bundled, STAND_IN_DEFEATED)
    assert outside and all(url.startswith(POLYFILL) for url in outside), outside


@pytest.mark.browser
def test_the_stand_in_keeps_materials_layout_working(browser, server, bundled: Built):
    """With the stand-in, Material's size-driven parts run: the header shadow and the
    back-to-top button appear after scrolling a long speech."""
    speech = max(bundled.speeches, key=lambda s: s.char_count)
    context = browser.new_context(viewport={"width": 1280, "height": 700}, locale="zh-CN")
    context.add_init_script(NO_RESIZE_OBSERVER)
    RequestLog(context, server)
    try:
        page = context.new_page()
        page.goto(f"{server}/speeches/{speech.slug}.html", wait_until="load")
        assert page.evaluate("window.ResizeObserver.toString()").find("targets") > 0
        page.mouse.wheel(0, 3000)
        page.wait_for_timeout(300)
        page.mouse.wheel(0, -200)  # navigation.top shows the button when scrolling up
        page.locator(".md-top").wait_for(state="visible", timeout=3000)
        assert page.locator(".md-header--shadow").count() == 1
    finally:
        context.close()
