"""MkDocs hook (``hooks:`` in mkdocs.yml): a thin adapter from MkDocs events to pizhu.

The work lives in pizhu.generate, so ``scripts/build.py build`` and ``mkdocs build``
run the very same code; the generator knows nothing about MkDocs.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pizhu.errors import PizhuError, file_error
from pizhu.generate import SOURCES_DIR, build_docs

GLOSSARY_FILE = "glossary.yml"


def _project_root(config) -> Path:
    return Path(config.config_file_path).resolve().parent


def on_pre_build(config, **kwargs) -> None:
    """Regenerate docs/ from sources/ before MkDocs collects the pages."""
    root = _project_root(config)
    try:
        build_docs(root, Path(config.docs_dir))
    except PizhuError as error:  # a user's mistake: pizhu's one-line message, no traceback
        raise PluginError(str(error)) from None
    except OSError as error:  # the pipeline names its own files; this is the last resort
        name = Path(error.filename or ".").resolve()
        shown = name.relative_to(root).as_posix() if name.is_relative_to(root) else str(name)
        raise PluginError(str(file_error(error, shown, action="use"))) from None


def on_serve(server, config, builder, **kwargs):
    """Rebuild when a source or the glossary changes (docs/ is watched already)."""
    root = _project_root(config)
    for path in (root / SOURCES_DIR, root / GLOSSARY_FILE):
        if path.exists():
            server.watch(str(path))
    return server
