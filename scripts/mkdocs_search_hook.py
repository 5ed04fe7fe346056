"""MkDocs hook for Pizhu's search (``hooks:`` in mkdocs.yml): a thin adapter to pizhu.

Material's search box, dialog and keyboard handling stay; Material's indexing does not run
(pizhu/material.py); Pizhu indexes each page from what MkDocs already has, as it renders
it, and writes its own index after the build (pizhu/search_index.py, search_files.py).
A separate hook from the page generator's, so that a site without Pizhu's pages (the
search tests' fixture site) gets exactly the same search.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pizhu import hookstate, material
from pizhu.search_files import write_index
from pizhu.search_index import IndexedPage, build_index, indexed_page

# What the builds collect, by page URL, in hookstate (MkDocs loads a hook anew with every
# configuration): one build's pages; under ``mkdocs serve --dirty`` also the pages it did
# not render again, as the last build that rendered them indexed them.
_current: set[str] = set()  # this build's page URLs (build_index orders the pages itself)


def on_config(config, **kwargs):
    """Keep Material's search UI, but not its indexing."""
    material.detach_search_indexing(config.plugins)
    return config


def on_startup(command, dirty, **kwargs) -> None:
    hookstate.search_pages.clear()
    hookstate.search_characters.clear()
    hookstate.search_keeps = command == "serve" and bool(dirty)


def on_pre_build(config, **kwargs) -> None:
    if not hookstate.search_keeps:  # (a dirty build keeps the pages it does not render)
        hookstate.search_pages.clear()


def on_files(files, config, **kwargs):
    """Leave out the theme's files that this search makes unused (material.py); files
    from docs/ are the author's and always go."""
    docs = Path(config.docs_dir).resolve()
    for file in list(files):
        from_theme = file.src_dir is not None and Path(file.src_dir).resolve() != docs
        if from_theme and material.unused_theme_file(file.dest_uri):
            files.remove(file)
    return files


def on_env(env, config, files, **kwargs):
    """``pizhu_search_worker``: overrides/main.html swaps Material's worker with it."""
    env.filters["pizhu_search_worker"] = material.use_search_worker
    _current.clear()
    _current.update(file.url for file in files if file.is_documentation_page())
    return env


@event_priority(-100)  # index the content as the other plugins leave it
def on_page_content(html, page, config, files, **kwargs):
    """Index the page from its URL, rendered content, title and front matter."""
    indexed = indexed_page(page.url, html, title=page.title or "", meta=page.meta)
    _replace(page.url, indexed)
    return html


def _replace(url: str, indexed: IndexedPage | None) -> None:
    """Keep ``indexed`` as the page at ``url`` (None: no page there); under serve --dirty,
    keep the characters' counts of all kept pages up to date with it."""
    kept, counts = hookstate.search_pages, hookstate.search_characters
    old = kept.pop(url, None)
    if hookstate.search_keeps and old is not None:
        counts.subtract(old.characters())
    if indexed is not None:
        kept[url] = indexed
        if hookstate.search_keeps:
            counts.update(indexed.characters())


def on_post_build(config, **kwargs) -> None:
    """Write the index into the site's search/ folder: every page of this build."""
    for url in set(hookstate.search_pages) - _current:
        _replace(url, None)  # (a page no longer in the site)
    pages = list(hookstate.search_pages.values())
    # (+counts: without the characters of pages gone or changed, now counted 0)
    counts = +hookstate.search_characters if hookstate.search_keeps else None
    write_index(Path(config.site_dir), build_index(pages, characters=counts))
