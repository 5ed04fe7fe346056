"""The concept map (concepts.html) of the built bundled site: every non-empty cell says how
often a concept occurs in a speech, agrees with the concept's page, and links to an anchor
that exists there (the speech's section of 出现于); in the browser a click lands on it."""

from __future__ import annotations

import html
import re

import pytest

from conftest import ARTIFACTS, Built, html_text
from pizhu.concept_map import MAP_COLUMN_LIMIT, heat_level, map_columns
from pizhu.generate import concept_index, load_project_glossary
from pizhu.site import speech_anchor
from test_browser import open_page, server  # noqa: F401 - pytest fixtures

CELL_RE = re.compile(
    r'<td class="pz-heat-(\d)"><a href="glossary/([\w-]+)\.html#([\w-]+)"[^>]*>(\d+)</a></td>'
)


@pytest.fixture(scope="module")
def concept_map(bundled: Built) -> str:
    return (bundled.site / "concepts.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def index(bundled: Built):
    found = concept_index(bundled.speeches, load_project_glossary(bundled.project))
    assert found is not None
    return found


def rows(page: str) -> list[tuple[str, str]]:
    """(speech slug, row HTML) of each body row."""
    body = re.search(r"<tbody>(.*?)</tbody>", page, re.S).group(1)
    found = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        slug = re.search(r'<th scope="row"><a href="speeches/([\w-]+)\.html"', row).group(1)
        found.append((slug, row))
    return found


@pytest.mark.build
def test_the_map_is_in_the_navigation_and_out_of_search(bundled: Built, concept_map: str):
    home = (bundled.site / "index.html").read_text(encoding="utf-8")
    assert 'href="concepts.html"' in home
    assert re.search(
        r'<a href="concepts.html" class="md-nav__link">\s*<span[^>]*>\s*概念地图', home
    )
    from pizhu.search_files import read_index

    locations = [doc["location"] for doc in read_index(bundled.site)]
    assert locations and not [loc for loc in locations if loc.startswith("concepts.html")]


@pytest.mark.build
def test_every_cell_agrees_with_the_index_and_links_to_an_existing_anchor(
    bundled: Built, concept_map: str, index
):
    used = [t.id for t in map_columns(index)]
    columns = used[:MAP_COLUMN_LIMIT]  # the most used; the rest are listed under the table
    header = re.search(r"<thead>(.*?)</thead>", concept_map, re.S).group(1)
    assert re.findall(r'href="glossary/([\w-]+)\.html"', header) == columns
    rest = concept_map[concept_map.index("</table>") :]
    assert all(f'href="glossary/{term_id}.html"' in rest for term_id in used[len(columns) :])
    found = rows(concept_map)
    assert [slug for slug, _ in found] == [s.slug for s in index.speeches]
    checked = 0
    for slug, row in found:
        counts = {tc.term.id: tc.count for tc in index.term_counts(slug)}
        cells = re.findall(r"<td[^>]*>.*?</td>", row, re.S)
        assert len(cells) == len(columns)
        for term_id, cell in zip(columns, cells, strict=True):
            count = counts.get(term_id, 0)
            if not count:
                assert cell == "<td></td>", (slug, term_id)
                continue
            match = CELL_RE.fullmatch(cell)
            assert match, cell
            level, target, anchor, shown = match.groups()
            assert (target, anchor, int(shown), int(level)) == (
                term_id,
                speech_anchor(slug),
                count,
                heat_level(count),
            )
            term_page = (bundled.site / "glossary" / f"{target}.html").read_text(encoding="utf-8")
            section = re.search(
                rf'<p class="pz-occurrence-speech" id="{anchor}">(.*?)</p>', term_page, re.S
            )
            assert section, (target, anchor)
            assert f'href="../speeches/{slug}.html"' in section.group(1)
            assert f"{count} 处" in html_text(section.group(1))
            checked += 1
    pairs = {(o.slug, o.term_id) for s in index.speeches for o in index.in_speech(s.slug)}
    assert checked == len({(slug, t) for slug, t in pairs if t in columns}) > 0


@pytest.mark.browser
def test_a_click_on_a_cell_lands_on_the_speech_section(browser, server, bundled: Built):
    context, page, log = open_page(browser, f"{server}/concepts.html", server)
    try:
        cell = page.locator("table.pz-map td a").first
        href = html.unescape(cell.get_attribute("href"))
        cell.click()
        page.wait_for_load_state("load")
        assert page.url == f"{server}/{href}"
        target = page.evaluate("document.querySelector(':target').className")
        assert target == "pz-occurrence-speech"
        assert page.locator(":target").is_visible()
        assert log.outside == [], log.outside
    finally:
        context.close()


@pytest.mark.browser
def test_desktop_screenshot(browser, server):
    context, page, log = open_page(browser, f"{server}/concepts.html", server)
    try:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "concept-map-1280.png"))
        # the map uses the page's width: no table of contents beside it
        width = page.evaluate("document.querySelector('.pz-map-scroll').clientWidth")
        assert width > 800
        assert log.outside == []
    finally:
        context.close()
