"""pizhu.material: what Pizhu assumes about Material for MkDocs on the build side."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pizhu import material

ROOT = Path(__file__).resolve().parents[1]


CONFIG_BLOCK = (
    '\n  <script id="__config" type="application/json">{"annotate": null, "base": "..", '
    '"search": "../assets/javascripts/workers/search.a7633da7.min.js", "tags": null, '
    '"translations": {"search.result.none": "\\u6ca1\\u6709"}, "version": null}</script>\n'
)


def test_use_search_worker_changes_only_the_worker() -> None:
    patched = material.use_search_worker(
        CONFIG_BLOCK, "../assets/javascripts/pizhu-search-worker.js"
    )
    assert patched == CONFIG_BLOCK.replace(
        "workers/search.a7633da7.min.js", "pizhu-search-worker.js"
    )


@pytest.mark.parametrize(
    "block",
    [
        "<script>var x = 1;</script>",
        CONFIG_BLOCK.replace(
            '"search": "../assets/javascripts/workers/search.a7633da7.min.js", ', ""
        ),
        CONFIG_BLOCK.replace("workers/search.a7633da7.min.js", "lunr.js"),
    ],
    ids=["no config script", "no search key", "another worker"],
)
def test_use_search_worker_refuses_a_config_it_does_not_know(block: str) -> None:
    with pytest.raises(material.MaterialChanged):
        material.use_search_worker(block, "pizhu-search-worker.js")


def test_materials_config_block_is_patched_not_copied() -> None:
    main = (ROOT / "overrides" / "main.html").read_text("utf-8")
    block = re.search(r"\{% block config %\}(.*?)\{% endblock %\}", main, re.S).group(1)
    assert "super()" in block and "pizhu_search_worker" in block
    assert "translations" not in block  # nothing of Material's block is copied


def test_materials_search_plugin_keeps_its_ui_but_indexes_nothing() -> None:
    """The real mkdocs.yml: after on_config, Material's search plugin is still there (its
    template shows the search box) but its indexing handlers are not registered."""
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    plugin = config.plugins[material.SEARCH_PLUGIN]
    assert plugin.on_page_context in config.plugins.events["page_context"]
    config = config.plugins.on_config(config)
    assert material.SEARCH_PLUGIN in config.plugins and plugin.config.enabled
    for event in material.SEARCH_INDEXING_EVENTS:
        assert getattr(plugin, f"on_{event}") not in config.plugins.events[event], event
