"""Bytes -> text: find the encoding, drop the BOM, normalise line ends. Nothing else.

Speeches come off Windows machines and Chinese document sites, so a file is UTF-8 (with or
without a BOM), UTF-16 (what Notepad calls "Unicode"; with a BOM, or without one from other
tools), or GB18030/GBK (what Notepad calls "ANSI" on a Chinese Windows). Decoding is strict:
we would rather stop with a message that names the line and the fix than pass mojibake to
the reader, and that holds line by line (a GB18030 file with one pasted UTF-8 line is
refused at that line).

The size limits are checked first, before any expensive work: a speech is rarely over
100,000 characters, and a file far beyond that is the wrong file (a whole book, a
database dump), which would take minutes to build into a page no browser opens.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .chars import HAN, HAN_CLASS, HAN_RUN, count_han
from .errors import SourceError

HINT_PLAIN_TEXT = "save the speech as plain text (.txt, UTF-8)"
HINT_SAVE_UTF8 = "save the file as UTF-8"
HINT_EMPTY = "add the speech text or delete the file"
HINT_MIXED = "paste that line again in your editor and save the whole file as UTF-8"

# Limits (README "新增一篇讲话"): a speech is rarely over 100,000 characters. Python-Markdown
# slows down more than linearly on one very long paragraph, so a line has its own limit.
MAX_SOURCE_BYTES = 1_000_000
MAX_SOURCE_CHARS = 200_000
MAX_LINE_CHARS = 20_000
HINT_TOO_BIG = "check that it is the right file, and put each speech in a file of its own"

# Byte order marks, longest first (a UTF-32 LE BOM starts with the UTF-16 LE one).
_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xfe\x00\x00", ""),  # UTF-32 LE: not supported, reported as binary
    (b"\x00\x00\xfe\xff", ""),  # UTF-32 BE: likewise
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

# Files that people rename to .txt: images, Word/zip archives, PDFs, old .doc (OLE).
_BINARY_MAGIC: tuple[bytes, ...] = (
    b"\x89PNG",
    b"PK\x03\x04",
    b"%PDF",
    b"GIF8",
    b"\xff\xd8\xff",
    b"\xd0\xcf\x11\xe0",
    b"{\\rtf",
    b"Rar!",
    b"7z\xbc\xaf",
    b"\x1f\x8b",
)

_LINE_END_BYTES = re.compile(rb"\r\n|\r|\n")
# C0 controls that never occur in a typed speech (tab, LF, VT, FF, CR and ESC are allowed).
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
# Share of control characters above which a file is binary, not text with a stray byte.
_MAX_CONTROL_SHARE = 0.01

# What Chinese text decoded from GB18030 is made of: CJK ideographs, CJK and fullwidth
# punctuation, ASCII. Mojibake from Big5, Shift-JIS or Latin-1 bytes falls outside
# GB2312's common ideographs or into rare blocks.
_MIN_CHINESE_SHARE = 0.95
_MIN_COMMON_HAN_SHARE = 0.9


@dataclass(frozen=True)
class Decoded:
    """The text of a source file and the encoding it was found in."""

    text: str
    encoding: str  # "utf-8", "utf-8-sig", "utf-16-le", "utf-16-be" or "gb18030"


def decode(data: bytes, name: str) -> Decoded:
    """Decode the raw bytes of a speech; raise SourceError naming ``name`` if we cannot.

    >>> decode("同志们：\\r\\n".encode("gb18030"), "x.txt")
    Decoded(text='同志们：\\n', encoding='gb18030')
    """
    check_size(len(data), name)
    if not data.strip(b" \t\r\n\x0b\x0c"):
        raise SourceError("file is empty", path=name, hint=HINT_EMPTY)

    bom_encoding = _bom_encoding(data)
    if bom_encoding == "":
        raise _binary(name)
    if bom_encoding is not None:
        text = _decode_with_bom(data, bom_encoding, name)
        encoding = bom_encoding
    else:
        if data.startswith(_BINARY_MAGIC):
            raise _binary(name)
        found = _decode_utf16_without_bom(data, name) if b"\x00" in data else None
        if found is None and _looks_binary(data):
            raise _binary(name)
        text, encoding = found or _decode_without_bom(data, name)

    text = normalise_line_ends(text)
    if _control_share(text) > _MAX_CONTROL_SHARE:
        raise _binary(name)
    if not text.strip():
        raise SourceError("file is empty", path=name, hint=HINT_EMPTY)
    _check_length(text, name)
    return Decoded(text, encoding)


def check_size(size: int, name: str) -> None:
    """Refuse a file of ``size`` bytes that is far too big for a speech (before reading it)."""
    if size > MAX_SOURCE_BYTES:
        raise SourceError(
            f"the file is {size:,} bytes, too big for a speech (at most {MAX_SOURCE_BYTES:,}"
            " bytes; a speech is rarely over 100,000 characters)",
            path=name,
            hint=HINT_TOO_BIG,
        )


def _check_length(text: str, name: str) -> None:
    if len(text) > MAX_SOURCE_CHARS:
        raise SourceError(
            f"the text is {len(text):,} characters, too long for a speech (at most"
            f" {MAX_SOURCE_CHARS:,}; a speech is rarely over 100,000)",
            path=name,
            hint=HINT_TOO_BIG,
        )
    for number, line in enumerate(text.split("\n"), 1):
        if len(line) > MAX_LINE_CHARS:
            raise SourceError(
                f"the line is {len(line):,} characters long (at most {MAX_LINE_CHARS:,})",
                path=name,
                line=number,
                hint="put each paragraph on a line of its own",
            )


def normalise_line_ends(text: str) -> str:
    """CRLF and lone CR become LF (line numbers everywhere count LF-separated lines)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _bom_encoding(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def _binary(name: str) -> SourceError:
    return SourceError("looks like a binary file, not text", path=name, hint=HINT_PLAIN_TEXT)


def _looks_binary(data: bytes) -> bool:
    if data.startswith(_BINARY_MAGIC) or b"\x00" in data:
        return True
    head = data[:8192]
    controls = len(head.translate(None, _NOT_BINARY_CONTROLS))
    return controls > max(2, len(head) * _MAX_CONTROL_SHARE)


# Every byte but the controls _looks_binary counts (deleted, so the count is done in C).
_NOT_BINARY_CONTROLS = bytes(b for b in range(256) if b >= 0x20 or b in b"\t\n\x0b\x0c\r\x1b")


def _control_share(text: str) -> float:
    return len(_CONTROL_CHARS.findall(text)) / max(1, len(text))


def _line_of_offset(data: bytes, offset: int) -> int:
    """1-based line of a byte offset, counting CRLF, CR and LF as one line end each."""
    return len(_LINE_END_BYTES.findall(data, 0, offset)) + 1


def _decode_with_bom(data: bytes, encoding: str, name: str) -> str:
    bom_length = 3 if encoding == "utf-8-sig" else 2
    body = data[bom_length:]
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    try:
        return body.decode(codec)
    except UnicodeDecodeError as exc:
        offset = bom_length + exc.start
        label = encoding.upper().replace("-SIG", "")
        if codec == "utf-8":
            line = _line_of_offset(data, offset)
        else:
            line = _utf16_line_of_offset(body, codec, exc.start)
        raise SourceError(
            f"not valid {label} text (first bad byte 0x{data[offset]:02x} at byte offset {offset})",
            path=name,
            line=line,
            hint=HINT_SAVE_UTF8,
        ) from None


def _utf16_line_of_offset(body: bytes, codec: str, offset: int) -> int:
    """1-based line of a byte offset in UTF-16 text (its line ends are 2 bytes)."""
    good = body[: offset - offset % 2].decode(codec, errors="replace")
    return len(re.findall(r"\r\n|\r|\n", good)) + 1


def _decode_utf16_without_bom(data: bytes, name: str) -> tuple[str, str] | None:
    """UTF-16 text that has no byte order mark, or None if ``data`` is not that.

    Some editors and converters save "Unicode" without the BOM. Every ASCII character (line
    ends, digits, punctuation) then has a zero byte on one side, so zero bytes gather at odd
    offsets (little-endian) or even ones (big-endian); the byte order with more of them is
    tried first, and the text must read as Chinese (or as plain ASCII text). Zero bytes in
    that pattern that do not decode are reported as UTF-16, not as a binary file.
    """
    even, odd = data[0::2].count(0), data[1::2].count(0)
    orders = ("utf-16-le", "utf-16-be") if odd >= even else ("utf-16-be", "utf-16-le")
    for codec in orders:
        label = f"{codec.upper()} text without a byte order mark"
        text = data.decode(codec, errors="replace")
        if _control_share(text) > _MAX_CONTROL_SHARE or not (
            looks_chinese(text) or _looks_like_ascii_text(text)
        ):
            continue
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError as exc:  # reads as text, but damaged or cut off
            raise SourceError(
                f"looks like {label}, but is not valid UTF-16 (first bad byte"
                f" 0x{data[exc.start]:02x} at byte offset {exc.start})",
                path=name,
                line=_utf16_line_of_offset(data, codec, exc.start),
                hint=HINT_SAVE_UTF8,
            ) from None
    if max(even, odd) < 4 or min(even, odd) * 4 > max(even, odd):
        return None  # no UTF-16 pattern: binary, or another encoding
    raise SourceError(
        f"looks like {orders[0].upper()} text without a byte order mark (zero bytes at every"
        " other position), but read that way it is not Chinese text",
        path=name,
        hint=HINT_SAVE_UTF8,
    )


def _looks_like_ascii_text(text: str) -> bool:
    chars = [c for c in text if not c.isspace()]
    printable = sum(1 for c in chars if " " < c < "\x7f")
    return bool(chars) and printable / len(chars) >= _MIN_CHINESE_SHARE


def _decode_without_bom(data: bytes, name: str) -> tuple[str, str]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    else:
        if _is_double_encoded(text):
            raise SourceError(
                "looks like garbled text (Chinese UTF-8 that was read as Latin-1 and saved again)",
                path=name,
                hint="open the original file and save it as UTF-8",
            )
        return text, "utf-8"
    _check_one_encoding(data, name)
    offset = utf8_error.start
    where = f"first bad byte 0x{data[offset]:02x} at byte offset {offset}"
    line = _line_of_offset(data, offset)
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as gb18030_error:
        found = _decode_utf16_without_bom(data, name)
        if found:
            return found
        # The reading that got further is the file's encoding; where it fails is the bad
        # line (a GB18030 file with one damaged character fails UTF-8 at its first line).
        offset = max(offset, gb18030_error.start)
        where = f"first bad byte 0x{data[offset]:02x} at byte offset {offset}"
        line = _line_of_offset(data, offset)
        raise SourceError(
            f"not valid UTF-8 or GB18030 text ({where})",
            path=name,
            line=line,
            hint=HINT_SAVE_UTF8,
        ) from None
    if not looks_chinese(text):
        found = _decode_utf16_without_bom(data, name)
        if found:
            return found
        raise SourceError(
            f"not valid UTF-8 ({where}), and read as GB18030 it does not look like Chinese text",
            path=name,
            line=line,
            hint=HINT_SAVE_UTF8,
        )
    return text, "gb18030"


def _check_one_encoding(data: bytes, name: str) -> None:
    """Refuse a file whose lines are in two encodings: Chinese UTF-8 lines next to lines
    that are not UTF-8 (a UTF-8 paragraph pasted into a GB18030 file, or the reverse).

    Read whole, such a file decodes as GB18030 and the UTF-8 lines come out as mojibake
    ("全面" as "鍏ㄩ潰"), so each line is judged on its own. The encoding of fewer bytes is
    the mistake; the message names its first line. GB18030 and UTF-8 never use the bytes
    of CR and LF inside a character, so splitting the bytes at line ends is safe.
    """
    utf8: list[int] = []
    other: list[tuple[int, int]] = []  # line number, offset of the first bad byte
    utf8_bytes = other_bytes = 0
    for number, raw in enumerate(_LINE_END_BYTES.split(data), 1):
        if raw.isascii():
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            other.append((number, exc.start))
            other_bytes += len(raw)
            continue
        if count_han(line) >= 2 and looks_chinese(line):
            utf8.append(number)
            utf8_bytes += len(raw)
    if not utf8 or not other:
        return
    lines = _LINE_END_BYTES.split(data)
    if utf8_bytes < other_bytes:
        number = utf8[0]
        shown = "".join(lines[number - 1].decode("gb18030", errors="replace").split())[:6]
        raise SourceError(
            "this line is UTF-8 but the rest of the file is in another encoding"
            f" (GB18030 or GBK), where it would show as “{shown}…”",
            path=name,
            line=number,
            hint=HINT_MIXED,
        )
    number, start = other[0]
    raise SourceError(
        f"this line is not UTF-8 (first bad byte 0x{lines[number - 1][start]:02x}) but the"
        " rest of the file is",
        path=name,
        line=number,
        hint=HINT_MIXED,
    )


def _is_double_encoded(text: str) -> bool:
    """True for the classic mojibake "å®ˆæ­£": Chinese UTF-8 bytes shown as Windows-1252.

    Each ideograph is three UTF-8 bytes, a lead byte 0xE3-0xE9 and two continuation bytes
    0x80-0xBF, which Windows-1252 shows as "ä" … "é" followed by two symbols or accented
    letters (or U+FFFD where 1252 has no character). Real text with no Chinese at all but
    several such triples is that mojibake.
    """
    if HAN.search(text):
        return False
    return len(_MOJIBAKE_TRIPLE.findall(text)) >= 3


# Continuation bytes 0x80-0xBF as Windows-1252 shows them, and as Latin-1 does.
_CP1252_CONTINUATIONS = "".join(
    sorted(
        set(bytes(range(0x80, 0xC0)).decode("cp1252", errors="ignore"))
        | set(bytes(range(0x80, 0xC0)).decode("latin-1"))
    )
)
_MOJIBAKE_TRIPLE = re.compile("[\u00e3-\u00e9][" + re.escape(_CP1252_CONTINUATIONS) + "\ufffd]{2}")


def looks_chinese(text: str) -> bool:
    """True if ``text`` reads like Chinese: CJK, CJK punctuation and ASCII, common ideographs.

    A guard against mojibake: bytes in another legacy encoding (Big5, Shift-JIS, Latin-1)
    often happen to be valid GB18030 but come out as rare ideographs and symbols.
    Counted with regexes and codecs (a per-character Python loop was the decode hot spot).
    """
    chars = "".join(text.split())  # (str.split's whitespace is re's \s; 3 times faster)
    if not chars:
        return False
    han = "".join(HAN_RUN.findall(chars))  # (runs, not characters: 10 times faster)
    if not han:
        return False
    rest = _NEITHER_HAN_NOR_PLAUSIBLE_RE.findall(chars)
    implausible = sum(1 for c in rest if not _is_plausible_non_han(c))
    if (len(chars) - implausible) / len(chars) < _MIN_CHINESE_SHARE:
        return False
    # The common ideographs are those of GB2312, two bytes each there; the rest is dropped.
    common = len(han.encode("gb2312", errors="ignore")) // 2
    return common / len(han) >= _MIN_COMMON_HAN_SHARE


# The common cases of _is_plausible_non_han as one character class (the rest is checked
# character by character: only symbols are left by then) ...
_PLAUSIBLE_NON_HAN = (
    "\x21-\x7e\u3000-\u303f\uff01-\uff5e\u2010-\u2027\u00b7\u00d7\u2030\u2103"
    "\u2116\u2460-\u24ff\u2160-\u217f"
)
# ... and the characters that are neither that nor Chinese, found in one pass.
_NEITHER_HAN_NOR_PLAUSIBLE_RE = re.compile(f"[^{HAN_CLASS}{_PLAUSIBLE_NON_HAN}]")


def _is_plausible_non_han(char: str) -> bool:
    code = ord(char)
    if 0x20 < code < 0x7F:  # ASCII printable
        return True
    if 0x3000 <= code <= 0x303F or 0xFF01 <= code <= 0xFF5E:  # CJK / fullwidth punctuation
        return True
    if 0x2010 <= code <= 0x2027 or code in (0x00B7, 0x00D7, 0x2030, 0x2103, 0x2116):
        return True  # dashes, quotes, ellipsis, middle dot, ×, ‰, ℃, №
    if 0x2460 <= code <= 0x24FF or 0x2160 <= code <= 0x217F:  # ①, Ⅰ
        return True
    # Geometric shapes and arrows that ad banners use (★, ■, →) are still "text".
    return unicodedata.category(char) == "So" and (0x2190 <= code <= 0x27BF)
