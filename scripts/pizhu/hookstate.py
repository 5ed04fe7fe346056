"""What the MkDocs hook keeps from one build to the next under ``mkdocs serve``.

MkDocs loads a hook module anew with every configuration (serve reloads it on each
rebuild); this module is imported once, so the last good pages survive a build that
fails on a user's mistake.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from .memo import Memo

serving = False  # the command is ``mkdocs serve``
last_pages: dict[str, str] | None = None  # the pages of the last build without an error
pages: dict[str, str] | None = None  # the pages of the build under way
# Their paragraphs as finished HTML, by page (generate.render_pages' ``fragments``).
last_fragments: dict[str, list[str]] | None = None
fragments: dict[str, list[str]] | None = None
error: str | None = None  # the error the current build shows instead of stopping
memo: Memo | None = None  # serve: the generation's results kept between builds

# ``mkdocs serve --dirty`` (make serve): see rebuilds.py.
dirty = False
shape: bytes | None = None  # the site's shape at the last build (None: render everything)
digests: dict[str, bytes] = {}  # generated page -> digest, this build
rendered: dict[str, bytes] = {}  # generated page -> digest, as last rendered into site/
reading = False  # MkDocs is reading pages (before on_env): tags listings are read always
# Pizhu's search index entries by page URL (mkdocs_search_hook.py); under
# ``serve --dirty`` (search_keeps) kept for the pages a build does not render again.
search_pages: dict[str, Any] = {}
search_keeps = False
search_characters: Counter[str] = Counter()  # serve --dirty: the kept pages' characters
