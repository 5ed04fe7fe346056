"""Pack the built site into one zip for readers without a server or a network.

``make bundle`` builds the site (``mkdocs build --strict``) and runs this script:

    python scripts/bundle.py site dist/pizhu-site.zip

The zip holds the site's files at its top level, next to a short 使用说明.txt (how to
open, search and print, and that nothing needs the internet). Unzipped anywhere, the
site opens by double-clicking index.html (file://): all links are relative and end in
.html (``use_directory_urls: false``), and nothing is loaded from elsewhere.

The zip is deterministic: entries sorted, every timestamp the same (1980-01-01, or
``SOURCE_DATE_EPOCH`` if set), permissions fixed, so the same site gives the same bytes.
The sitemaps are left out (they carry the build date, and nothing offline reads them),
and so would be a 404.html (overrides/404.html keeps MkDocs from writing one).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

README_NAME = "使用说明.txt"
# Files of the built site that are not put in the zip (paths relative to the site).
LEFT_OUT = frozenset({"sitemap.xml", "sitemap.xml.gz", "404.html"})
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry
FILE_MODE = 0o644

# Plain text for Windows users: CRLF line ends and a UTF-8 byte order mark, so Notepad on
# any Windows version shows the Chinese correctly.
README = """\
讲话学习（离线版）使用说明

这个压缩包是一个完整的学习网站。打开、搜索、打印都不需要联网，网站也不会连接任何外部网站。

一、打开
1. 先解压：在压缩包上点右键，选“全部解压缩”（或“解压到当前文件夹”），放到电脑或U盘上的任意位置。
   不要在压缩软件的窗口里直接双击网页，那样其他页面和样式会找不到。
2. 打开解压后的文件夹，双击 index.html，就会用浏览器打开首页。
   推荐使用较新版本的 Edge、Chrome、Firefox，或 360 等浏览器的“极速模式”。
3. 以后可以在 index.html 上点右键，选“发送到 → 桌面快捷方式”，方便下次打开。

二、查找
- 讲话目录：点表头可按标题、讲话人、场合、日期、字数排序；表格上方可按年份、讲话人、场合、概念筛选。
- 搜索：在页面顶部的搜索框输入词语，例如“枫桥经验”，结果中会标出这个词。
- 概念：正文中带虚线下划线的词是常见概念，鼠标指向（手机上点一下）会显示简介，再点一次打开解释页。
- 概念地图：一张表列出每篇讲话用了哪些概念、各用了几次，点数字可以看到原文。
- 按标签浏览：按年份、讲话人、场合和主要概念归类。

三、打印
在讲话页面按 Ctrl+P，选打印机直接打印，或选“另存为 PDF”保存。
打印稿只有标题、讲话人、场合、日期、来源文件和正文，不含导航栏、搜索框和页脚；
段落编号会保留，便于开会时对照（“第 12 段”）；文中概念的简介作为注释附在文末。
较新的浏览器会在每页底部印上页码；这时可以在打印设置的“更多设置”里取消“页眉和页脚”，版面更干净。

四、我的批注
在讲话页面选中文字，可以划线、写批注，或“复制引用”（带标题、讲话人和段落号）。
批注只保存在这台电脑的这个浏览器里，不会发送到任何地方；顶部导航的“我的批注”页汇总全部批注，
可以导出成学习笔记、打印，或“导出 JSON”备份后在另一台电脑上导入。
批注跟着网站所在的文件夹：换了文件夹或换了电脑，请先导出再导入。

五、复制和内网
整个文件夹可以直接复制给别人，或拷到没有网络的电脑上使用。
也可以把文件夹里的全部文件放到单位内网网站的任意目录下（例如 http://内网地址/xuexi/），不需要任何设置。
"""


def zip_time() -> tuple[int, int, int, int, int, int]:
    """The timestamp of every entry: SOURCE_DATE_EPOCH if set (and after 1980), else 1980."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        stamp = time.gmtime(int(epoch))[:6]
        if stamp >= ZIP_EPOCH:
            return stamp  # type: ignore[return-value]
    return ZIP_EPOCH


def readme_bytes(text: str = README) -> bytes:
    """使用说明.txt as Windows expects it: CRLF line ends, UTF-8 with a byte order mark."""
    return "\ufeff".encode() + text.replace("\r\n", "\n").replace("\n", "\r\n").encode()


def site_entries(site: Path) -> list[tuple[str, Path]]:
    """(name in the zip, file) for every file of the built site, sorted by name."""
    entries = [
        (path.relative_to(site).as_posix(), path)
        for path in site.rglob("*")
        if path.is_file() and path.relative_to(site).as_posix() not in LEFT_OUT
    ]
    return sorted(entries)


def _entry(name: str, stamp: tuple[int, int, int, int, int, int]) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.create_system = 3  # Unix, so that the permissions below are read
    info.external_attr = (0o100000 | FILE_MODE) << 16  # a regular file, rw-r--r--
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def write_bundle(site: Path, out: Path, extra: Iterable[tuple[str, bytes]] = ()) -> Path:
    """Write the zip of ``site`` (a built site folder) and ``extra`` files to ``out``.

    Written to a temporary file first and renamed, so a failure leaves no half zip.
    Names outside ASCII in the site itself are refused: they break on some unzip tools
    and in addresses (使用说明.txt is stored with the zip's UTF-8 flag).
    """
    site = Path(site)
    if not (site / "index.html").is_file():
        raise SystemExit(f"{site}: no index.html here; build the site first (make site)")
    entries = site_entries(site)
    bad = [name for name, _ in entries if not name.isascii()]
    if bad:
        raise SystemExit(f"{site}/{bad[0]}: file names in the site must be ASCII")
    stamp = zip_time()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial")
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
            for name, data in sorted(extra):
                z.writestr(_entry(name, stamp), data)
            for name, path in entries:
                z.writestr(_entry(name, stamp), path.read_bytes())
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return out


def bundle(site: Path, out: Path) -> Path:
    """The reader's zip: the site and 使用说明.txt at the top level."""
    return write_bundle(site, out, [(README_NAME, readme_bytes())])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="bundle.py",
        description="Pack a built site (mkdocs build) into a zip that opens from disk.",
        epilog="example:\n  python scripts/bundle.py site dist/pizhu-site.zip",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("site", type=Path, help="the built site folder, e.g. site")
    parser.add_argument("out", type=Path, help="the zip to write, e.g. dist/pizhu-site.zip")
    args = parser.parse_args(argv)
    out = bundle(args.site, args.out)
    size = out.stat().st_size
    with zipfile.ZipFile(out) as z:
        count = len(z.infolist())
    print(f"{out}: {count} files, {size / 1_000_000:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
