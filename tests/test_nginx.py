"""Intranet host: the built site under a sub-path of a plain static server.

A real nginx (Debian's /usr/sbin/nginx) is started by the test with its own configuration
in a temporary folder (listening on 127.0.0.1 on a free port, pid file and logs there too)
and serves a root that holds the built site as xuexi/. Pages and assets are fetched under
/xuexi/, and the home page, the speeches index and a speech are opened in Chromium: they
render with the site's stylesheet and scripts, and no request fails or leaves the server.

The site needs no site_url and has only relative addresses (checked on every HTML file
without nginx), and writes no 404.html (MkDocs would give it addresses from the server
root). The server is configured with the README's nginx snippet, which sends a missing
address under /xuexi/ to the home page. Without nginx the server tests are skipped, except
on CI (CI=true), where they fail.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import textwrap
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from mkdocs.utils.yaml import yaml_load

from conftest import ROOT, Built
from test_browser import RequestLog

NGINX = "/usr/sbin/nginx"
MIME_TYPES = Path("/etc/nginx/mime.types")
PREFIX = "xuexi"
# The custom primary colour of pizhu.css (#8f2a2a): the header has it only if the
# stylesheet loaded.
PRIMARY = "rgb(143, 42, 42)"

CONFIG = """\
daemon off;
master_process off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{
    worker_connections 64;
}}
http {{
    include {mime_types};
    default_type application/octet-stream;
    charset utf-8;
    charset_types text/css text/plain application/javascript application/json;
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        location / {{
        }}
{readme_snippet}
    }}
}}
"""


def readme_snippet() -> str:
    """The nginx snippet of the README (Chinese section), for the sub-path /xuexi/."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```nginx\n(.*?)```", text, re.S)
    assert len(blocks) == 1, "the README has one nginx snippet"
    snippet = textwrap.dedent(blocks[0])
    assert f"/{PREFIX}/" in snippet
    return textwrap.indent(snippet, " " * 8)


# --- without a server: relative addresses only ------------------------------------------

ABSOLUTE_PATH_RE = re.compile(r'\s(?:href|src|action|srcset|poster|data)="/(?!/)')


def test_site_url_is_not_set():
    with (ROOT / "mkdocs.yml").open("rb") as handle:
        config = yaml_load(handle)
    assert config.get("site_url") is None


@pytest.mark.parametrize("corpus", ["bundled", "hostile"])
def test_no_absolute_path_addresses(request, corpus: str):
    built: Built = request.getfixturevalue(corpus)
    pages = sorted(built.site.rglob("*.html"))
    assert pages
    offenders = []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        name = page.relative_to(built.site).as_posix()
        offenders += [(name, m.group(0)) for m in ABSOLUTE_PATH_RE.finditer(text)]
        if 'rel="canonical"' in text or "<base " in text:
            offenders.append((name, "canonical or base"))
    assert offenders == []


def test_no_404_page_with_addresses_from_the_server_root(bundled: Built):
    """MkDocs' 404.html starts its addresses with "/": unstyled under /xuexi/, links that
    leave the site. overrides/404.html renders empty, so MkDocs writes none."""
    assert not (bundled.site / "404.html").exists()
    assert sorted(p.name for p in bundled.site.glob("*.html") if "404" in p.name) == []


# --- nginx ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"nginx exited: {log.read_text(errors='replace')}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError("nginx did not start listening")


@pytest.fixture(scope="module")
def nginx(bundled: Built, tmp_path_factory) -> Iterator[str]:
    """nginx serving the built site at /xuexi/; yields the site's base URL."""
    if not (os.access(NGINX, os.X_OK) and MIME_TYPES.is_file()):
        message = f"{NGINX} is missing (apt-get install nginx)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    tmp = tmp_path_factory.mktemp("nginx")
    root = tmp / "www"
    shutil.copytree(bundled.site, root / PREFIX)
    port = free_port()
    config = tmp / "nginx.conf"
    config.write_text(
        CONFIG.format(
            tmp=tmp,
            root=root,
            port=port,
            mime_types=MIME_TYPES,
            readme_snippet=readme_snippet(),
        ),
        encoding="utf-8",
    )
    log = tmp / "error.log"
    process = subprocess.Popen(
        [NGINX, "-e", str(log), "-p", str(tmp), "-c", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port, process, log)
        yield f"http://127.0.0.1:{port}/{PREFIX}/"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    assert "[emerg]" not in log.read_text(errors="replace")


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, "", b""


def test_pages_and_assets_under_the_sub_path(nginx: str, bundled: Built):
    status, kind, body = fetch(nginx)
    assert (status, kind.split(";")[0]) == (200, "text/html")
    assert body == (bundled.site / "index.html").read_bytes()
    paths = ["speeches/index.html", "speeches/tags.html", "concepts.html", "glossary/index.html"]
    paths += [f"speeches/{s.slug}.html" for s in bundled.speeches]
    page = (bundled.site / "index.html").read_text(encoding="utf-8")
    assets = re.findall(r'(?:href|src)="((?:assets|search)/[^"#?]+)"', page)
    assert any(a.endswith(".css") for a in assets) and any(a.endswith(".js") for a in assets)
    for path in paths + assets:
        status, kind, body = fetch(nginx + path)
        assert status == 200, path
        assert body == (bundled.site / path).read_bytes(), path
        expected = {".html": "text/html", ".css": "text/css", ".js": "application/javascript"}
        suffix = Path(path).suffix
        if suffix in expected:
            assert kind.split(";")[0] == expected[suffix], (path, kind)
    # the server root is not the site: nothing depends on being at /
    assert fetch(nginx.replace(f"/{PREFIX}/", "/index.html"))[0] == 404


@pytest.mark.parametrize("missing", ["nope.html", "speeches/nope.html", "a/b/c/", "404.html"])
def test_a_missing_address_goes_to_the_home_page(nginx: str, bundled: Built, missing: str):
    """The README's snippet: a missing address under the sub-path redirects (302) to the
    home page, which then loads at its own address, so its relative addresses hold."""
    request = urllib.request.Request(nginx + missing)
    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as caught:
        opener.open(request, timeout=10)
    assert caught.value.code == 302
    assert caught.value.headers["Location"] == nginx
    assert fetch(nginx + missing)[2] == (bundled.site / "index.html").read_bytes()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.browser
def test_pages_render_in_chromium_under_the_sub_path(browser, nginx: str, bundled: Built):
    origin = nginx.split(f"/{PREFIX}/")[0]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    log = RequestLog(context, origin)
    failed: list[str] = []
    context.on("requestfailed", lambda request: failed.append(request.url))
    context.on(
        "response",
        lambda response: (
            failed.append(f"{response.status} {response.url}") if response.status >= 400 else None
        ),
    )
    try:
        page = context.new_page()
        speech = bundled.speeches[0]
        paths = ("", "speeches/index.html", f"speeches/{speech.slug}.html", "concepts.html")
        for path in (*paths, "speeches/no-such-speech.html"):  # the last: to the home page
            page.goto(nginx + path, wait_until="load")
            page.wait_for_load_state("networkidle")
            assert page.locator("article h1").first.is_visible(), path
            header = page.evaluate(
                "getComputedStyle(document.querySelector('.md-header')).backgroundColor"
            )
            assert header == PRIMARY, (path, header)
        page.goto(nginx + "speeches/index.html", wait_until="load")
        page.locator("form.pz-filter").wait_for(state="visible", timeout=2000)  # script ran
        page.locator("article table a").first.click()
        page.wait_for_load_state("load")
        assert page.url.startswith(nginx + "speeches/") and page.url.endswith(".html")
        assert page.locator("article a.pz-pn").first.is_visible()
        assert log.all, "the request log works"
        assert all(url.startswith(nginx) for url in log.all), log.all
        assert log.outside == [], log.outside
        assert failed == [], failed
    finally:
        context.close()
