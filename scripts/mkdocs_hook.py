"""MkDocs hook (``hooks:`` in mkdocs.yml): a thin adapter from MkDocs events to pizhu.

The work lives in pizhu.generate, so ``scripts/build.py build`` and ``mkdocs build``
run the very same code; the generator knows nothing about MkDocs.

The generated pages reach MkDocs as virtual files (``File.generated``, MkDocs 1.6), never
through docs/: nothing is written into the folder ``mkdocs serve`` watches, so an edit
costs one build, and a page left in docs/ by ``build.py build`` is replaced by the
current one. Under ``mkdocs serve`` a mistake in a source, a sidecar or the glossary does
not stop the server: the last good pages stay and every page shows the error (file:line,
problem, fix) until it is fixed. ``mkdocs build`` fails on it as before.
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pizhu import hookstate
from pizhu.errors import PizhuError, file_error
from pizhu.generate import SOURCES_DIR, generate_pages, is_generated
from pizhu.speech_layout import fragment_placeholder

GLOSSARY_FILE = "glossary.yml"
ERROR_TITLE = "网站没有更新：源文件有错误"
ERROR_HINT = "改正后保存，页面会自动刷新。下面仍是上一次成功生成的内容。"
_BODY_RE = re.compile(r"<body[^>]*>")
# An id attribute of one of our tags (source text never has an unescaped "<").
_ID_RE = re.compile(r'<[a-z][^<>]*?\sid="([^"<>]+)"')


def _project_root(config) -> Path:
    return Path(config.config_file_path).resolve().parent


def on_startup(command, dirty, **kwargs) -> None:
    """Remember whether this is ``mkdocs serve`` (the only command that keeps going)."""
    hookstate.serving = command == "serve"


def _generate(config) -> tuple[dict[str, str], dict[str, list[str]]]:
    root = _project_root(config)
    fragments: dict[str, list[str]] = {}
    try:
        return generate_pages(root, Path(config.docs_dir), fragments=fragments), fragments
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
    if hookstate.error is None:
        hookstate.last_pages, hookstate.last_fragments = hookstate.pages, hookstate.fragments


def on_files(files, config, **kwargs):
    """Add the generated pages as virtual files (they win over stale copies in docs/)."""
    for file in list(files):
        if is_generated(file.src_uri):
            files.remove(file)
    for src_uri, content in (hookstate.pages or {}).items():
        files.append(File.generated(config, src_uri, content=content))
    return files


def on_page_content(html, page, config, files, **kwargs):
    """Put a page's searched fragments, finished HTML from the generator, in place of their
    placeholders (Python-Markdown never parses them; the search hook, next, reads them),
    and tell MkDocs the anchors of all its fragments, so links to ``#p-12`` from other
    pages are still checked. The other fragments wait for on_post_page."""
    found = (hookstate.fragments or {}).get(page.file.src_uri)
    if not found:
        return html
    ids = set()
    for number, fragment in enumerate(found):
        html = _put(html, fragment_placeholder(number), fragment)
        late = fragment_placeholder(number, searched=False)
        html = _put(html, late, late)  # (its blank line goes now, as a fragment's would)
        ids.update(_ID_RE.findall(fragment))
    if page.present_anchor_ids is not None:
        page.present_anchor_ids |= ids
    return html


def _put(html: str, placeholder: str, fragment: str) -> str:
    # Python-Markdown ends a raw HTML block with a blank line; a paragraph does not.
    if placeholder + "\n\n" in html:
        return html.replace(placeholder + "\n\n", fragment + "\n", 1)
    return html.replace(placeholder, fragment, 1)


def _put_late(output: str, page) -> str:
    """The fragments search leaves out, into the finished page. Used once: only serve keeps
    them (the last good pages, should the next build fail)."""
    fragments = hookstate.fragments or {}
    uri = page.file.src_uri
    found = fragments.get(uri) if hookstate.serving else fragments.pop(uri, None)
    for number, fragment in enumerate(found or ()):
        output = output.replace(fragment_placeholder(number, searched=False), fragment, 1)
    return output


def on_post_page(output, page, config, **kwargs):
    """The late fragments; under serve, while an input is wrong, the error at the top of
    every page."""
    output = _put_late(output, page)
    if not hookstate.error:
        return output
    banner = (
        '<div class="pz-build-error" role="alert">'
        f"<strong>{ERROR_TITLE}</strong><code>{html.escape(hookstate.error)}</code>"
        f"<span>{ERROR_HINT}</span></div>"
    )
    return _BODY_RE.sub(lambda match: match.group(0) + banner, output, count=1)


def on_serve(server, config, builder, **kwargs):
    """Rebuild when a source or the glossary changes (docs/ is watched already)."""
    root = _project_root(config)
    for path in (root / SOURCES_DIR, root / GLOSSARY_FILE):
        if path.exists():
            server.watch(str(path))
    return server
