"""Which pages a dirty build of ``make serve`` renders again (pizhu/rebuilds.py). The whole
behaviour, against a clean build, is in test_serve.py; here the rules, one by one."""

from __future__ import annotations

import os

import pytest

from pizhu.rebuilds import file_stamps, lists_tags, page_digest, site_shape

SPEECH = "---\ntitle: 讲话\ntags:\n- 枫桥经验\n---\n\n# 讲话\n\n第一段。\n"
TAGS = '# 按标签浏览\n\n<!-- material/tags { include: ["枫桥经验"] } -->\n'
PAGES = {"speeches/a.md": SPEECH, "speeches/tags.md": TAGS, "index.md": "# 首页\n"}


def shape(pages=PAGES, stamps=(), error=None) -> bytes:
    return site_shape(pages, list(stamps), error)


def test_a_change_in_a_page_body_keeps_the_shape():
    body = dict(PAGES, **{"speeches/a.md": SPEECH.replace("第一段。", "第一段改了。")})
    assert shape(body) == shape()
    assert page_digest(body["speeches/a.md"]) != page_digest(SPEECH)


@pytest.mark.parametrize(
    ("what", "pages"),
    [
        ("a tag", dict(PAGES, **{"speeches/a.md": SPEECH.replace("- 枫桥经验", "- 三会一课")})),
        ("a title", dict(PAGES, **{"speeches/a.md": SPEECH.replace("# 讲话", "# 另一篇")})),
        ("a page added", dict(PAGES, **{"speeches/b.md": SPEECH})),
        ("a page removed", {k: v for k, v in PAGES.items() if k != "index.md"}),
        ("the tags listing", dict(PAGES, **{"speeches/tags.md": TAGS + "\n更多\n"})),
    ],
)
def test_what_other_pages_show_changes_the_shape(what, pages):
    assert shape(pages) != shape(), what


def test_a_file_stamp_or_the_error_changes_the_shape(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "about.md").write_text("# 关于\n", encoding="utf-8")
    before = file_stamps([docs, tmp_path / "mkdocs.yml"])  # (a missing file: no stamp)
    assert shape(stamps=before) == shape(stamps=file_stamps([docs]))
    stat = (docs / "about.md").stat()
    os.utime(docs / "about.md", ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert shape(stamps=file_stamps([docs])) != shape(stamps=before)
    (docs / "new.md").write_text("# 新\n", encoding="utf-8")
    assert len(file_stamps([docs])) == 2
    assert shape(error="sources/x.yml:2: …") != shape()


def test_fragments_are_part_of_a_pages_digest_and_only_listings_list_tags():
    assert page_digest(SPEECH, ["<p>一</p>"]) != page_digest(SPEECH, ["<p>二</p>"])
    assert page_digest("ab", ["c"]) != page_digest("a", ["bc"])
    assert lists_tags(TAGS) and not lists_tags(SPEECH)
