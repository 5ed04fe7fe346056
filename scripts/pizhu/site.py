"""Whole-corpus pages: the speeches index and the home page (Markdown, in memory).

All source text goes through render.render_inline (the only escaping); the rest of the
text on these pages is ours.
"""

from __future__ import annotations

from collections.abc import Sequence

from .model import Speech
from .render import display_title, format_date, render_inline

SITE_NAME = "讲话学习"
SPEECHES_INDEX = "speeches/index.md"
HOME = "index.md"
EMPTY_CELL = "—"
HOME_LIST_LENGTH = 10  # speeches listed on the home page, newest first


def speech_page(speech: Speech) -> str:
    """Docs-relative path of a speech page."""
    return f"speeches/{speech.slug}.md"


def sort_speeches(speeches: Sequence[Speech]) -> list[Speech]:
    """Newest first; undated speeches last; ties by title, then slug (deterministic).

    Dates are ISO prefixes (YYYY, YYYY-MM, YYYY-MM-DD), so string order is date order
    within a precision; a full date sorts before the bare year it belongs to.
    """
    dated = sorted(
        (s for s in speeches if s.date),
        key=lambda s: (_negate(s.date or ""), display_title(s), s.slug),
    )
    undated = sorted((s for s in speeches if not s.date), key=lambda s: (display_title(s), s.slug))
    return dated + undated


def _negate(date: str) -> tuple[int, ...]:
    """A sort key that orders ISO date prefixes newest first."""
    # The trailing 0 puts "2021" after every "2021-MM…" (all negative).
    return (*(-int(part) for part in date.split("-") if part.isdigit()), 0)


def _cell(text: str | None) -> str:
    return render_inline(text) if text else EMPTY_CELL


def render_speeches_index(speeches: Sequence[Speech]) -> str:
    """docs/speeches/index.md: one table row per speech."""
    ordered = sort_speeches(speeches)
    lines = [
        "---",
        "title: 讲话目录",
        "---",
        "# 讲话目录",
        "",
        f"共 {len(ordered)} 篇，按日期从新到旧排列。点击标题阅读全文。",
        "{: .pz-lead }",
        "",
    ]
    if not ordered:
        lines += ["还没有收录讲话。把讲话的 .txt 文件放进 `sources/` 目录后重新生成即可。", ""]
        return "\n".join(lines)
    # md_in_html: attr_list cannot put a class on a table.
    lines += ['<div class="pz-index" markdown>', ""]
    lines += ["| 标题 | 讲话人 | 场合 | 日期 | 字数 |", "| --- | --- | --- | --- | ---: |"]
    for speech in ordered:
        title = f"[{render_inline(display_title(speech))}]({speech.slug}.md)"
        row = [
            title,
            _cell(speech.speaker),
            _cell(speech.occasion),
            format_date(speech.date) or EMPTY_CELL,
            f"{speech.char_count:,}",
        ]
        lines.append("| " + " | ".join(row) + " |")
    lines += ["", "</div>", ""]
    return "\n".join(lines)


def render_home(speeches: Sequence[Speech]) -> str:
    """docs/index.md: what the site is, how to use it, and what it holds."""
    total_chars = sum(s.char_count for s in speeches)
    truncated = sum(1 for s in speeches if s.truncated)
    shown = sort_speeches(speeches)[:HOME_LIST_LENGTH]
    lines = [
        "---",
        f"title: {SITE_NAME}",
        "---",
        f"# {SITE_NAME}",
        "",
        "本站收录从网上文档整理的讲话稿（党课、工作会议讲话等），供学习、研讨和引用。"
        "原始文本中的广告、网址、付费提示、水印等非讲话内容已自动去除，"
        "每篇文末的「整理说明」列出了删除的位置和原因。",
        "{: .pz-lead }",
        "",
        "## 收录情况",
        "",
        f"- 讲话 **{len(speeches)}** 篇，正文共 **{total_chars:,}** 字",
    ]
    if truncated:
        lines.append(f"- 其中 {truncated} 篇原文不完整，页面顶部有提示")
    lines += ["- [查看全部讲话 →](speeches/index.md)", ""]
    if shown:
        lines += ["## 讲话", ""]
        for speech in shown:
            date = format_date(speech.date)
            suffix = f"（{date}）" if date else ""
            lines.append(
                f"- [{render_inline(display_title(speech))}]({speech_page(speech)}){suffix}"
            )
        if len(speeches) > len(shown):
            lines.append(f"- [全部 {len(speeches)} 篇 →]({SPEECHES_INDEX})")
        lines.append("")
    lines += [
        "## 使用方法",
        "",
        "**阅读**：每篇讲话标题下有讲话人、场合、日期、字数和阅读时间。"
        "右侧（手机上在左上角菜单里）是小标题目录。",
        "",
        "**引用**：正文每段左侧有灰色段落编号。开会讨论时可以说“第 12 段”；"
        "点击编号，地址栏里的链接就直接指向这一段，可以复制发给别人。",
        "",
        "**检索**：用页面顶部的搜索框查找词语，例如“枫桥经验”“从严治警”。"
        "搜索结果会高亮显示匹配的词。",
        "",
        "**离线**：整个网站文件夹可以拷贝到电脑或U盘上，双击其中的 index.html 即可阅读，"
        "不需要联网；网站也不会从外部网站加载任何内容。",
        "",
        "**打印**：直接用浏览器打印即可，导航栏和搜索框不会打印出来，段落编号会保留，便于对照。",
        "",
        "原文中被隐去的人名、地名（如 XX、××）以浅色底纹标出。",
        "",
    ]
    return "\n".join(lines)
