"""What Pizhu assumes about Material for MkDocs on the build side, in one place.

Pizhu keeps Material's search box, dialog and keyboard handling but searches with its own
worker (overrides/assets/javascripts/pizhu-search-worker.js; the browser-side assumptions
are in the PROTOCOL table there). On the build side that takes two things:

* Material's ``search`` plugin must stay in ``mkdocs.yml``: the header template shows the
  search box only when ``material/search`` is a plugin and enabled. But its indexing (an
  HTML parse and a jieba segmentation of every page, over a third of a 1,000-speech build)
  would be thrown away, so :func:`detach_search_indexing` unregisters the two handlers that
  do it.
* Material's ``{% block config %}`` names its lunr worker in the ``__config`` JSON;
  ``overrides/main.html`` renders the block with ``super()`` and passes it through
  :func:`use_search_worker` (a Jinja filter the hook registers), which swaps that one key.
* The theme's files that the site then never loads are not copied into it
  (:data:`UNUSED_THEME_FILES`): a reader's copy or zip carries only what it uses.
"""

from __future__ import annotations

import json
import re
from typing import Any

from markupsafe import Markup

#: The name MkDocs gives Material's search plugin (``- search`` in mkdocs.yml).
SEARCH_PLUGIN = "material/search"
#: Its handlers that index pages and write search/search_index.json.
SEARCH_INDEXING_EVENTS = ("page_context", "post_build")

#: The script element whose JSON Material's bundle reads its configuration from.
_CONFIG_SCRIPT = re.compile(
    r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.DOTALL
)
#: The key naming the search worker, and the file name of Material's own worker.
_WORKER_KEY = "search"
_MATERIAL_WORKER = re.compile(r"(?:^|/)assets/javascripts/workers/search\.[0-9a-f]+\.min\.js$")


#: Theme files the site never loads, each with the reason (matched against the file's
#: path in site/). About 2.3 MB of a site's copy: at 100 speeches, a sixth of it.
UNUSED_THEME_FILES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"^assets/javascripts/lunr/"),
        "lunr and its language and segmenter files: only Material's worker loads them",
    ),
    (_MATERIAL_WORKER, "Material's search worker: the site runs Pizhu's (use_search_worker)"),
    (
        re.compile(r"^assets/(?:javascripts|stylesheets)/.*\.map$"),
        "source maps: only a browser's developer tools fetch them",
    ),
)


def unused_theme_file(dest_uri: str) -> str | None:
    """Why the theme file that would be written at ``dest_uri`` is left out, or None."""
    for pattern, reason in UNUSED_THEME_FILES:
        if pattern.search(dest_uri):
            return reason
    return None


class MaterialChanged(RuntimeError):
    """Material's templates no longer look the way this module expects."""


def detach_search_indexing(plugins: Any) -> bool:
    """Keep Material's search plugin for its UI but stop it from indexing pages.

    ``plugins`` is MkDocs' ``config.plugins`` (a ``PluginCollection``). Returns whether
    the plugin is configured at all.
    """
    plugin = plugins.get(SEARCH_PLUGIN)
    if plugin is None:
        return False
    for event in SEARCH_INDEXING_EVENTS:
        handler = getattr(plugin, f"on_{event}")
        handlers = plugins.events[event]
        if handler in handlers:
            handlers.remove(handler)
    return True


def use_search_worker(config_block: str, worker_url: str) -> Markup:
    """Material's rendered ``{% block config %}`` with ``worker_url`` as its search worker.

    Raises :class:`MaterialChanged` when the block has no ``__config`` script or its
    ``search`` entry is not Material's worker: better a failed build than a site whose
    search silently runs Material's lunr worker against Pizhu's index.
    """
    found = _CONFIG_SCRIPT.search(config_block)
    if found is None:
        raise MaterialChanged('Material\'s config block has no <script id="__config">')
    config = json.loads(found.group(2))
    current = config.get(_WORKER_KEY)
    if not isinstance(current, str) or not _MATERIAL_WORKER.search(current):
        raise MaterialChanged(f"Material's __config names no search worker: {current!r}")
    old = f'"{_WORKER_KEY}": {json.dumps(current)}'
    new = f'"{_WORKER_KEY}": {json.dumps(worker_url)}'
    if found.group(2).count(old) != 1:
        raise MaterialChanged(f"Material's __config does not hold {old} exactly once")
    patched = found.group(2).replace(old, new)
    start, end = found.span(2)
    return Markup(config_block[:start] + patched + config_block[end:])
