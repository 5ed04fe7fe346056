"""MkDocs hook (``hooks:`` in mkdocs.yml): a thin adapter from MkDocs events to pizhu.

The work lives in pizhu.generate, so ``scripts/build.py build`` and ``mkdocs build``
run the very same code; the generator knows nothing about MkDocs.

The generated pages reach MkDocs as virtual files (``File.generated``, MkDocs 1.6), never
through docs/: nothing is written into the folder ``mkdocs serve`` watches, so an edit
costs one build, and a page left in docs/ by ``build.py build`` is replaced by the
current one. Under ``mkdocs serve`` a mistake in a source, a sidecar or the glossary does
not stop the server: the last good pages stay and every page shows the error (file:line,
problem, fix) until it is fixed. ``mkdocs build`` fails on it as before.

``make serve`` runs ``mkdocs serve --dirty``: after an edit only the pages it changed are
rendered again (pizhu/rebuilds.py decides which, and when everything must be), and the
generation keeps its per-page results in memory between builds (pizhu/memo.py).
"""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path

from mkdocs import utils
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pizhu import hookstate
from pizhu.errors import PizhuError, file_error
from pizhu.generate import SOURCES_DIR, generate_pages, is_generated
from pizhu.memo import Memo
from pizhu.rebuilds import file_stamps, lists_tags, page_digest, site_shape
from pizhu.render import escape_html_lines
from pizhu.speech_layout import FRAGMENT_PLACEHOLDER_RE, LateFragment

log = logging.getLogger("mkdocs.plugins.pizhu")
GLOSSARY_FILE = "glossary.yml"
ERROR_TITLE = "网站没有更新：源文件有错误"
ERROR_HINT = "改正后保存，页面会自动刷新。下面仍是上一次成功生成的内容。"
_BODY_RE = re.compile(r"<body[^>]*>")
# An id attribute of one of our tags (source text never has an unescaped "<").
_ID_RE = re.compile(r'<[a-z][^<>]*?\sid="([^"<>]+)"')
# A fragment's placeholder and the blank line after it, if any.
_PLACEHOLDER_AND_BLANK_RE = re.compile(FRAGMENT_PLACEHOLDER_RE.pattern + r"(\n\n)?")


def _project_root(config) -> Path:
    return Path(config.config_file_path).resolve().parent


# MkDocs warns before every dirty build that its pages may be stale; Pizhu's are not
# (rebuilds.py), so under ``make serve`` the warning would only alarm the editor.
DIRTY_WARNING = "A 'dirty' build is being performed"


class _QuietDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(DIRTY_WARNING)


def on_startup(command, dirty, **kwargs) -> None:
    """Remember whether this is ``mkdocs serve`` (the only command that keeps going), and
    whether its builds are dirty (only changed pages rendered)."""
    hookstate.serving = command == "serve"
    hookstate.dirty = hookstate.serving and bool(dirty)
    if hookstate.serving:
        hookstate.memo = Memo()
    if hookstate.dirty:
        logging.getLogger("mkdocs.commands.build").addFilter(_QuietDirtyWarning())


class GeneratedPage(File):
    """A generated page that says whether a dirty build must render it (rebuilds.py)."""

    render = True  # changed since the last build rendered it (always, outside serve --dirty)
    read_always = False  # a tags listing: read while MkDocs reads pages, even when unchanged

    def is_modified(self) -> bool:
        return self.render or (self.read_always and hookstate.reading)


def _generate(config) -> tuple[dict[str, str], dict[str, list[str]]]:
    root = _project_root(config)
    fragments: dict[str, list[str]] = {}
    memo = hookstate.memo
    try:
        pages = generate_pages(root, Path(config.docs_dir), fragments=fragments, memo=memo)
        return pages, fragments
    except PizhuError as error:  # a user's mistake: pizhu's one-line message, no traceback
        message = str(error)
    except OSError as error:  # the pipeline names its own files; this is the last resort
        name = Path(error.filename or ".").resolve()
        shown = name.relative_to(root).as_posix() if name.is_relative_to(root) else str(name)
        message = str(file_error(error, shown, action="use"))
    if hookstate.serving and hookstate.last_pages is not None:
        hookstate.error = message
        return hookstate.last_pages, hookstate.last_fragments or {}
    raise PluginError(message)


def on_pre_build(config, **kwargs) -> None:
    """Generate every page before MkDocs cleans site/: a mistake stops the build while the
    last good site is still there."""
    hookstate.error = None
    hookstate.pages, hookstate.fragments = _generate(config)
    if hookstate.serving:  # serve compares and keeps them: made now (LateFragment)
        hookstate.fragments = {
            uri: [str(fragment) for fragment in found] for uri, found in hookstate.fragments.items()
        }
    if hookstate.memo is not None:
        hookstate.memo.end_build()
    if hookstate.error is None:
        hookstate.last_pages, hookstate.last_fragments = hookstate.pages, hookstate.fragments
    if hookstate.dirty:
        _plan_dirty_build(config)


def _plan_dirty_build(config) -> None:
    """Which generated pages this dirty build renders (rebuilds.py): the changed ones, or
    all of them, into an emptied site/, when the site's shape changed."""
    pages, fragments = hookstate.pages or {}, hookstate.fragments or {}
    hookstate.digests = {uri: page_digest(pages[uri], fragments.get(uri, ())) for uri in pages}
    watched = [Path(config.docs_dir), Path(config.config_file_path)]
    if config.theme.custom_dir:
        watched.append(Path(config.theme.custom_dir))
    shape = site_shape(pages, file_stamps(watched), hookstate.error)
    if shape != hookstate.shape:
        utils.clean_directory(config.site_dir)  # a full build: hand-written pages too
        hookstate.rendered = {}
    hookstate.shape = shape
    hookstate.reading = True


def on_files(files, config, **kwargs):
    """Add the generated pages as virtual files (they win over stale copies in docs/)."""
    for file in list(files):
        if is_generated(file.src_uri):
            files.remove(file)
    pages = hookstate.pages or {}
    changed = 0
    for src_uri, content in pages.items():
        page = GeneratedPage.generated(config, src_uri, content=content)
        if hookstate.dirty:
            page.render = hookstate.rendered.get(src_uri) != hookstate.digests[src_uri]
            page.read_always = lists_tags(content)
            changed += page.render
        files.append(page)
    if hookstate.dirty and hookstate.rendered:  # (after a full build nothing to say)
        log.info("Pizhu: %d/%d 个生成的页面有变化，只重新渲染这些页面", changed, len(pages))
    return files


def on_env(env, config, files, **kwargs):
    """MkDocs has read every page it will render: from here on, only those render."""
    hookstate.reading = False
    return env


def on_page_content(html, page, config, files, **kwargs):
    """Put a page's searched fragments, finished HTML from the generator, in place of their
    placeholders (Python-Markdown never parses them; the search hook, next, reads them),
    and tell MkDocs the anchors of all its fragments, so links to ``#p-12`` from other
    pages are still checked. The other fragments wait for on_post_page."""
    found = (hookstate.fragments or {}).get(page.file.src_uri)
    if not found:
        return html
    ids = set()
    for fragment in found:
        if isinstance(fragment, LateFragment):  # made in on_post_page; it knows its ids
            ids.update(fragment.ids)
        elif 'id="' in fragment:  # (most fragments have none: the regex is slow on them)
            ids.update(_ID_RE.findall(fragment))
    html = _put_searched(html, found)
    if page.present_anchor_ids is not None:
        page.present_anchor_ids |= ids
    return html


def _put_searched(html: str, found: list) -> str:
    """Each searched fragment in place of its placeholder, in one pass over the page (a
    replace per fragment read a speech page's HTML once per fragment); a late placeholder
    stays, without the blank line after it (it goes now, as a fragment's does). Python-
    Markdown ends a raw HTML block with a blank line, a paragraph does not."""
    placed: set[str] = set()

    def put(match: re.Match[str]) -> str:
        number, late, blank = int(match[1]), match[2] is not None, match[3] is not None
        placeholder = match[0][:-2] if blank else match[0]
        if placeholder in placed or number >= len(found):  # (each is in the page once)
            return match[0]
        if not late and isinstance(found[number], LateFragment):  # (it has a late one)
            return match[0]
        placed.add(placeholder)
        return (placeholder if late else found[number]) + ("\n" if blank else "")

    return _PLACEHOLDER_AND_BLANK_RE.sub(put, html)


def _put_late(output: str, page) -> str:
    """The fragments search leaves out, into the finished page, in one pass. Used once:
    only serve keeps them (the last good pages, should the next build fail)."""
    fragments = hookstate.fragments or {}
    uri = page.file.src_uri
    found = fragments.get(uri) if hookstate.serving else fragments.pop(uri, None)
    if not found:
        return output
    placed: set[int] = set()

    def put(match: re.Match[str]) -> str:
        number = int(match[1])
        if match[2] is None or number >= len(found) or number in placed:
            return match[0]
        placed.add(number)
        return str(found[number])

    return FRAGMENT_PLACEHOLDER_RE.sub(put, output)


def on_post_page(output, page, config, **kwargs):
    """The late fragments; under serve, while an input is wrong, the error at the top of
    every page."""
    output = _put_late(output, page)
    if not hookstate.error:
        return output
    banner = (
        '<div class="pz-build-error" role="alert">'
        f"<strong>{ERROR_TITLE}</strong><code>{escape_html_lines(hookstate.error)}</code>"
        f"<span>{ERROR_HINT}</span></div>"
    )
    return _BODY_RE.sub(lambda match: match.group(0) + banner, output, count=1)


def on_post_build(config, **kwargs) -> None:
    """The pages this build rendered are now in site/ (a dirty build's baseline)."""
    if hookstate.dirty:
        hookstate.rendered = dict(hookstate.digests)


def on_build_error(error, **kwargs) -> None:
    """A build that failed half-way: the next one renders everything."""
    hookstate.shape = None
    hookstate.rendered = {}


def on_serve(server, config, builder, **kwargs):
    """Rebuild when a source or the glossary changes (docs/ is watched already)."""
    root = _project_root(config)
    for path in (root / SOURCES_DIR, root / GLOSSARY_FILE):
        if path.exists():
            server.watch(str(path))
    return server
