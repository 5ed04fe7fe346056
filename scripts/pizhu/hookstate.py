"""What the MkDocs hook keeps from one build to the next under ``mkdocs serve``.

MkDocs loads a hook module anew with every configuration (serve reloads it on each
rebuild); this module is imported once, so the last good pages survive a build that
fails on a user's mistake.
"""

from __future__ import annotations

serving = False  # the command is ``mkdocs serve``
last_pages: dict[str, str] | None = None  # the pages of the last build without an error
pages: dict[str, str] | None = None  # the pages of the build under way
# Their paragraphs as finished HTML, by page (generate.render_pages' ``fragments``).
last_fragments: dict[str, list[str]] | None = None
fragments: dict[str, list[str]] | None = None
error: str | None = None  # the error the current build shows instead of stopping
