"""Cleaned lines -> a structured Speech: title block, metadata, headings, paragraphs.

The stage runs in four steps, each a small function over plain data:

1. :func:`read_head` — the title block at the top: title (one line, or two joined with a
   space), a "——…" subtitle, and in any order a date line and a speaker line. The title
   is the head line that looks most like one where a title stands (:func:`choose_title`);
   site furniture above it (a file name, a posting date, a running header) is logged.
2. :func:`speech_facts` — speaker and occasion from "X在Y上的讲话" in the title, the
   subtitle, or a removed "本文标题:…" footer the cleaner captured.
3. :func:`join_wrapped` — physical lines -> logical paragraphs. PDF copies break
   paragraphs at a fixed width (and around removed page markers); clean copies have one
   paragraph per line and must come through unchanged.
4. :func:`to_blocks` — each logical line becomes a heading ("一、…" level 2, "（一）…"
   level 3; a heading glued to its paragraph is split at the first "。") or a paragraph.

Punctuation and whitespace are normalised by :mod:`pizhu.punctuation` on every title,
subtitle, heading and paragraph. Redactions ("XX", "××", "某某") are kept as written.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from .chars import (
    CLAUSE_END_MARKS,
    CLOSING_QUOTES,
    HAN_CLASS,
    HEADING_LEVEL_2,
    HEADING_LEVEL_3,
    LIST_BULLET,
    REDACTION_CLASS,
    REDACTION_LETTERS,
    SENTENCE_END_MARKS,
    WHITESPACE,
    count_han,
    has_sentence_end,
    is_han,
)
from .model import Block, Cleaned, Removal, SourceLine, Speech
from .punctuation import collapse_whitespace, normalize
from .rules import (
    DOWNLOAD,
    FILE_NAME,
    HEAD_FURNITURE_REASON,
    HEAD_FURNITURE_RULE,
    REPEATED_TITLE,
    TITLE_PREFIX,
    furniture_of,
)

# --- Vocabulary -------------------------------------------------------------------------

REPEATED_TITLE_RULE = "repeated-title"

# A paragraph that ends with one of these is complete (truncation check): a sentence
# end, an ellipsis, a closing quote or bracket, an ASCII full stop or quote.
SENTENCE_END = SENTENCE_END_MARKS + "…" + CLOSING_QUOTES + '）》】.")'
# After one of these a line is never continued by the next (re-joining): sentence ends,
# plus a colon ("同志们：", "主要体现在五个方面：") and a semicolon (list items).
NO_JOIN_END = SENTENCE_END + "：:" + CLAUSE_END_MARKS
# A line that ends with one of these clearly stops mid-sentence.
MID_SENTENCE_END = "，、,（(“《—-"
# No paragraph starts with one of these: a line that does was broken just before it.
CONTINUATION_START = "，。、；：？！）》」』”’,.;:?!)"

# A glued heading is split at the first "。" only if the part before it is this short;
# a longer first sentence means the line is a numbered paragraph.
HEADING_SPLIT_MAX = 40
# A section-numbered line without "。" longer than this is a paragraph, not a heading.
HEADING_MAX = 60

# Greeting lines: never a title, never a title continuation, never joined onto.
SALUTATION = re.compile(r"^(?:同志们|各位(?:领导|同志|同事|来宾|代表|学员)|尊敬的|大家好)")

# Item starts that begin a new paragraph in a clean copy ("一是…", "1．…", "首先，…").
ITEM_START = re.compile(
    r"""^(?:
        [一二三四五六七八九十]+[是要来]          # 一是 / 二要 / 三来
      | 第[一二三四五六七八九十]+[，,、是]        # 第一，/ 第二是
      | (?:首先|其次|再次|最后|另外|此外)[，,]    # 首先，
      | [0-9０-９]{1,2}[．.、]                  # 1．/ 1. / 1、
      | [（(][0-9０-９]{1,2}[）)]               # （1）
    )""",
    re.VERBOSE,
)

# The kinds of speech text a title names: "…上的讲话", "…上的专题党课", "…上的讲话提纲".
SPEECH_KIND = r"(?:讲话|发言|报告|致辞|授课|讲课|党课|讲稿|主持词|演讲|讲评|辅导)"
SPEECH_TITLE = re.compile(
    rf"""^
    (?:(?P<speaker>[^在，。；！？,;!?—\-]{{1,40}}?)\s*[:：]?\s*)?  # 市局机关党委书记
    在\s*(?P<occasion>.+?)\s*上的
    [{HAN_CLASS}]{{0,4}}?{SPEECH_KIND}                     # (总结/重要/专题)讲话
    (?:稿|提纲|要点|摘要)?
    (?:\s*[（(][^（）()]*[）)])?                               # (摘要) / (2021年6月28日)
    $""",
    re.VERBOSE,
)

# "学习/贯彻/关于…在Y上的讲话" names another speech that this text studies.
STUDY_VERBS = re.compile(r"^(?:学习|贯彻|落实|传达|深入|认真|关于|解读|领会|重温|谈谈|浅谈)")

SUBTITLE = re.compile(r"^(?:——|—|--|－－|──|─|-)+\s*(?P<text>\S.*)$")

# Dates: "2021年6月28日", "（2021年6月）", "二〇二一年六月二十八日", "2021.6.28".
CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "o": 0}
CN_DIGITS.update({c: i for i, c in enumerate("一二三四五六七八九", start=1)})
_CN_YEAR = "[〇零○ＯOo一二三四五六七八九]{4}"
_CN_SMALL = "[一二三四五六七八九十]{1,3}"
DATE_CHINESE = re.compile(
    rf"""^(?P<year>\d{{4}}|{_CN_YEAR})\s*年
    (?:\s*(?P<month>\d{{1,2}}|{_CN_SMALL})\s*月
      (?:\s*(?P<day>\d{{1,2}}|{_CN_SMALL})\s*[日号])?
    )?$""",
    re.VERBOSE,
)
DATE_NUMERIC = re.compile(
    r"^(?P<year>\d{4})\s*([.．/\-])\s*(?P<month>\d{1,2})\s*\2\s*(?P<day>\d{1,2})$"
)

# A speaker line under the title: "省公安厅党委委员、副厅长  张XX" (position + space +
# name) or "主讲人：张XX". The position must end like a post (长, 书记, 主任 …) so that a
# title line such as "守正出新  担当使命" is not mistaken for one.
_NAME = (
    "(?:[" + HAN_CLASS + r"](?:\s?[" + HAN_CLASS + REDACTION_CLASS + "]){1,3}"
    "|[" + REDACTION_CLASS + "]{2,3})"
)
SPEAKER_LINE = re.compile(
    rf"""^(?P<position>[{HAN_CLASS}{REDACTION_CLASS}、（）()]{{2,40}}?
        (?:长|书记|主任|委员|主席|政委|员|官|师|记|理|代表|干部|专员))
      [\s]+(?P<name>{_NAME})(?:同志)?$""",
    re.VERBOSE,
)
# A name alone on its line under the title (and date), as published speeches set it:
# "习近平", "张XX". Words that are short lines of their own in a speech are not names.
BARE_NAME = re.compile(rf"^{_NAME}(?:同志)?$")
NOT_NAMES = frozenset(
    {"引言", "前言", "序言", "导语", "结语", "结束语", "开场白", "正文", "附件", "同志们", "朋友们"}
)
SPEAKER_LABEL = re.compile(
    r"^(?:主讲人|讲话人|发言人|报告人|授课人|主讲)\s*[:：]\s*(?P<name>\S.{0,30})$"
)

# A title continuation line is at most this long and has no sentence punctuation.
TITLE_CONTINUATION_MAX = 30
TITLE_SENTENCE_MARKS = "。，；：！？,;:!?"
# A first line longer than this with a sentence end in it is body text, not a title.
TITLE_PARAGRAPH_MIN = 50
# In a clean (unwrapped) copy, a line without closing punctuation this long is broken;
# across a removed page marker, this long.
LONG_LINE = 40
MARKER_BROKEN_LINE = 20


# --- Small predicates -------------------------------------------------------------------


def display_width(text: str) -> int:
    """Width in columns of a line as laid out, indentation included: CJK characters and
    U+3000 count 2, others 1 (what a PDF filled when it wrapped the line). Characters of
    ambiguous width (“ ” … —) are set full-width in Chinese text, so they count 2."""
    text = text.rstrip(WHITESPACE).replace("\t", "    ")
    return sum(2 if unicodedata.east_asian_width(c) in "WFA" else 1 for c in text)


def indentation(text: str) -> int:
    """Width of the leading whitespace: U+3000 counts 2, a tab 4, a space 1."""
    width = 0
    for c in text:
        if c not in WHITESPACE:
            break
        width += 2 if c == "\u3000" else 4 if c == "\t" else 1
    return width


def heading_level(text: str) -> int | None:
    """2 for "一、…", 3 for "（一）…"/"(一)…", else None ("一是…" is not a heading)."""
    text = collapse_whitespace(text)
    if HEADING_LEVEL_2.match(text):
        return 2
    if HEADING_LEVEL_3.match(text):
        return 3
    return None


def is_salutation(text: str) -> bool:
    return bool(SALUTATION.match(collapse_whitespace(text)))


def ends_with(text: str, marks: str) -> bool:
    text = collapse_whitespace(text)
    return bool(text) and text[-1] in marks


def _cn_small_number(text: str) -> int:
    """Chinese numerals up to 99 ("六" 6, "十二" 12, "二十八" 28); digits as digits."""
    if text.isdigit():
        return int(text)
    if "十" not in text:
        return CN_DIGITS.get(text, -1) if len(text) == 1 else -1
    tens, _, units = text.partition("十")
    value = (CN_DIGITS.get(tens, -100) if tens else 1) * 10
    if units:
        value += CN_DIGITS.get(units, -100) if len(units) == 1 else -100
    return value


def parse_date(text: str) -> str | None:
    """A whole line that is only a date -> "YYYY-MM-DD", "YYYY-MM" or "YYYY".

    Parentheses around the date are allowed. Invalid dates (2021年13月) give None.

    >>> parse_date("（2021年6月28日）"), parse_date("二〇二一年六月"), parse_date("2021.6.28")
    ('2021-06-28', '2021-06', '2021-06-28')
    """
    text = collapse_whitespace(text)
    text = re.sub(r"^[（(〔\[]\s*(.*?)\s*[）)〕\]]$", r"\1", text)
    match = DATE_CHINESE.match(text) or DATE_NUMERIC.match(text)
    if not match:
        return None
    raw_year = match["year"]
    year = (
        int(raw_year) if raw_year.isdigit() else int("".join(str(CN_DIGITS[c]) for c in raw_year))
    )
    month = _cn_small_number(match["month"]) if match["month"] else None
    day = _cn_small_number(match["day"]) if match["day"] else None
    try:
        _dt.date(year, month or 1, day or 1)
    except ValueError:
        return None
    if not 1900 <= year <= 2100:
        return None
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def parse_speaker_line(text: str) -> str | None:
    """The speaker named by a line like "省公安厅党委委员、副厅长  张XX", else None."""
    text = collapse_whitespace(text)
    label = SPEAKER_LABEL.match(text)
    if label:
        return normalize(label["name"])
    match = SPEAKER_LINE.match(text)
    if match:
        return normalize(f"{match['position']} {match['name']}")
    return None


def _next_is_date(lines, start: int, furniture) -> bool:
    """Whether the next line with text from ``start`` (past logged furniture) is a date."""
    for k in range(start, len(lines)):
        if lines[k].text.strip() and k not in furniture:
            return parse_date(lines[k].text) is not None
    return False


def is_bare_name(text: str) -> bool:
    """A line that is a person's name alone ("习近平", "张 XX"), not a word like 引言."""
    text = collapse_whitespace(text)
    return bool(BARE_NAME.match(text)) and text.removesuffix("同志") not in NOT_NAMES


def parse_subtitle(text: str) -> str | None:
    """The text of a subtitle line ("——在…上的讲话" without the dashes), else None."""
    match = SUBTITLE.match(collapse_whitespace(text))
    if not match or not any(is_han(c) for c in match["text"]):
        return None  # "- 3 -" is a page number, not a subtitle
    return normalize(match["text"])


def parse_speech_title(text: str) -> tuple[str | None, str | None]:
    """(speaker, occasion) from "X在Y上的讲话"; each None when absent.

    >>> parse_speech_title("市局机关党委书记在全市公安政治工作会议上的讲话")
    ('市局机关党委书记', '全市公安政治工作会议')
    >>> parse_speech_title("在全市XX思政工作会议上的讲话")
    (None, '全市XX思政工作会议')
    """
    match = SPEECH_TITLE.match(normalize(text))
    if not match:
        return None, None
    speaker = match["speaker"]
    if speaker and STUDY_VERBS.match(speaker):
        return None, None  # "学习…在…上的讲话": about another speech, not this one
    if speaker:
        speaker = re.sub(r"同志$", "", speaker.strip()).strip() or None
    return speaker, match["occasion"]


def _title_key(text: str) -> str:
    """Text compared when looking for a repeated title: punctuation and spaces ignored."""
    return "".join(c for c in normalize(text) if is_han(c) or c.isalnum())


# --- Step 1: the title block ------------------------------------------------------------


@dataclass
class Head:
    """What the top of the text says about the speech, and where the body starts."""

    title: str | None = None
    subtitle: str | None = None
    speaker: str | None = None
    date: str | None = None
    body_start: int = 0  # index into the kept lines
    title_lines: list[str] = field(default_factory=list)  # raw text of the title line(s)
    subtitle_line: str | None = None
    # Site furniture in the head (above the title, or between it and its repeat), logged.
    removed: list[Removal] = field(default_factory=list)


def _is_title_continuation(text: str, title: str) -> bool:
    text = collapse_whitespace(text)
    han = sum(1 for c in text if is_han(c))
    return (
        0 < len(text) <= TITLE_CONTINUATION_MAX
        and han * 2 >= len(text)  # mostly Chinese: not "2021.13.5" or a code
        and not any(c in TITLE_SENTENCE_MARKS for c in text)
        and heading_level(text) is None
        and not is_salutation(text)
        and parse_date(text) is None
        and parse_speaker_line(text) is None
        and parse_subtitle(text) is None
        and parse_speech_title(text) == (None, None)
        and _title_key(text) != _title_key(title)
        and not ITEM_START.match(text)
        and not _is_sure_furniture(text)
    )


# A theme line of two parallel phrases under a title ("坚决扛起光荣旗帜，忠诚践行训词精神",
# "牢记使命，砥砺前行"): Chinese only, one comma, 4-12 characters each side.
SLOGAN = re.compile("^[" + HAN_CLASS + "]{4,12}[，,][" + HAN_CLASS + "]{4,12}$")


def _is_slogan_under_title(lines: Sequence[SourceLine], index: int, title: str) -> bool:
    """A slogan line (SLOGAN) right under the title is the title's second line when what
    follows starts a speech: a salutation ("同志们："), a heading, or a date, speaker or
    subtitle line. (A hard-wrapped first line of prose has more prose after it.)"""
    text = collapse_whitespace(lines[index].text)
    if not SLOGAN.match(text) or _title_key(text) == _title_key(title):
        return False
    following = next((line.text for line in lines[index + 1 :] if line.text.strip()), None)
    if following is None:
        return False
    following = collapse_whitespace(following)
    return (
        is_salutation(following)
        or heading_level(following) is not None
        or parse_date(following) is not None
        or parse_speaker_line(following) is not None
        or parse_subtitle(following) is not None
    )


def _is_prose(text: str) -> bool:
    """A sentence, or a long line with a comma: speech, never a line of site furniture."""
    text = collapse_whitespace(text)
    return has_sentence_end(text) or (count_han(text) > FURNITURE_MAX_HAN and "，" in text)


# Site furniture under a title is a short line ("2020-03-09 来源：学习时报").
FURNITURE_MAX_HAN = 30


def _looks_like_body(text: str) -> bool:
    text = collapse_whitespace(text)
    return (
        heading_level(text) is not None
        or (has_sentence_end(text) and count_han(text) >= HEAD_SENTENCE_HAN)  # a sentence
        or is_salutation(text)
        or LIST_BULLET.match(text) is not None  # "* 要坚持…": an item of a list
        or (len(text) > TITLE_PARAGRAPH_MIN and has_sentence_end(text))
        or len(text) > 2 * TITLE_PARAGRAPH_MIN
        or ends_with(text, "，、,")
    )


# --- Step 1a: which line is the title ------------------------------------------------------
# Copies put site furniture above the title: a navigation line, the site's slogan, the
# file name, a running header, the date it was posted (rules.TITLE_FURNITURE). So the
# title is not simply the first line left: each title-shaped line of the head (the lines
# above the body) earns points for what it says and where it stands, and the best one is
# the title. The lines above it are furniture, logged with the reason rules.furniture_of()
# gives (else HEAD_FURNITURE_REASON) — but only when each of them is named furniture, or the
# chosen title says it is a speech and beats the first line; otherwise the first line stays
# the title, as in any clean copy.
TITLE_POINTS_SPEECH_TITLE = 4  # the line reads "X在Y上的讲话"
TITLE_POINTS_TITLE_WORD = 2  # it names a kind of speech text (TITLE_WORDS)
TITLE_POINTS_ABOVE_META = 2  # a subtitle, date or speaker line stands right under it
TITLE_POINTS_ABOVE_BODY = 1  # the body starts right under it
TITLE_POINTS_SIZE = 1  # it has TITLE_SIZE_HAN Chinese characters
TITLE_WORDS = re.compile(SPEECH_KIND + "|讲稿|会议|座谈|动员|部署|专题|提纲")
TITLE_SIZE_HAN = range(6, 41)
TITLE_MIN_HAN = 4  # fewer (a name, "正文") is no title
HEAD_MAX_LINES = 12  # head lines looked at
# A head line with a sentence or clause mark and this many Chinese characters is a
# sentence: the body starts there (a wrapped paragraph's first line), never furniture.
HEAD_SENTENCE_HAN = 8
HEAD_SENTENCE_MARKS = "。！？；，!?;,"


@dataclass(frozen=True)
class _Candidate:
    start: int  # index of its first line
    end: int  # index after its last line (a continuation line included)
    points: int
    says_speech: bool  # speech-title shape, a title word, or metadata under it


def _is_meta(text: str) -> bool:
    return bool(parse_date(text) or parse_speaker_line(text) or parse_subtitle(text))


def _is_sentence(text: str) -> bool:
    return any(c in HEAD_SENTENCE_MARKS for c in text) and count_han(text) >= HEAD_SENTENCE_HAN


def _head_indexes(lines: Sequence[SourceLine], start: int) -> list[int]:
    """The non-blank lines from ``start`` up to the first line of the body."""
    found: list[int] = []
    for index in range(start, len(lines)):
        text = lines[index].text
        if not text.strip():
            continue
        sure = _is_sure_furniture(text)  # "欢迎来到XX! | 帮助中心" is no sentence of the body
        if not sure and (
            _looks_like_body(text) or _is_sentence(text) or ITEM_START.match(text.strip())
        ):
            break
        found.append(index)
        if len(found) == HEAD_MAX_LINES:
            break
    return found


def _title_shaped(text: str) -> bool:
    text = collapse_whitespace(text)
    chinese = sum(1 for c in text if is_han(c) or c in REDACTION_LETTERS)
    return (
        count_han(text) >= TITLE_MIN_HAN
        and chinese * 2 >= len(text.replace(" ", ""))
        and not has_sentence_end(text)
        and heading_level(text) is None
        and not is_salutation(text)
        and not _is_meta(text)
        and not _is_sure_furniture(text)
    )


def _is_plain_subtitle(text: str) -> bool:
    """ "在…上的讲话" without a speaker: under a title it is a subtitle without dashes."""
    speaker, occasion = parse_speech_title(text)
    return occasion is not None and not speaker and collapse_whitespace(text).startswith("在")


def _is_sure_furniture(text: str) -> bool:
    furniture = furniture_of(text)
    return furniture is not None and furniture.sure


def _stands_above_meta(text: str) -> bool:
    """A subtitle, date or speaker line, or "在…上的讲话" as a subtitle without dashes."""
    return _is_meta(text) or _is_plain_subtitle(text)


def _candidates(lines: Sequence[SourceLine], head: list[int]) -> list[_Candidate]:
    in_head = set(head)
    found: list[_Candidate] = []
    taken: set[int] = set()
    for position, index in enumerate(head):
        text = lines[index].text
        if index in taken or not _title_shaped(text):
            continue
        end = index + 1
        first = collapse_whitespace(text)
        if (
            end in in_head
            and furniture_of(first) is None  # a site's category takes no second line
            and parse_speech_title(first) == (None, None)
            and _is_title_continuation(lines[end].text, first)
        ):
            taken.add(end)
            end += 1
        whole = " ".join(collapse_whitespace(lines[k].text) for k in range(index, end))
        points = 0
        is_speech_title = parse_speech_title(first)[1] is not None
        has_title_word = TITLE_WORDS.search(whole) is not None
        points += TITLE_POINTS_SPEECH_TITLE if is_speech_title else 0
        points += TITLE_POINTS_TITLE_WORD if has_title_word else 0
        points += TITLE_POINTS_SIZE if count_han(whole) in TITLE_SIZE_HAN else 0
        below = [k for k in head[position + 1 :] if k >= end]
        above_meta = bool(below) and _stands_above_meta(lines[below[0]].text)
        if not below:
            points += TITLE_POINTS_ABOVE_BODY
        elif above_meta:
            points += TITLE_POINTS_ABOVE_META
        # It says it is a speech's title: by its words, or by the subtitle, date or
        # speaker line under it.
        says_speech = is_speech_title or has_title_word or above_meta
        found.append(_Candidate(index, end, points, says_speech))
    return found


def _furniture_removal(line: SourceLine) -> Removal:
    text = line.text.strip(WHITESPACE)
    furniture = furniture_of(text)
    if furniture is None:
        return Removal(line.number, text, HEAD_FURNITURE_REASON, HEAD_FURNITURE_RULE)
    return Removal(line.number, text, furniture.reason, furniture.name)


def choose_title(
    lines: Sequence[SourceLine], start: int
) -> tuple[int | None, dict[int, Removal], dict[int, str]]:
    """Which head line is the title (None: keep the first line, as a clean copy has it),
    the furniture to log (by line index), and metadata lines above the title ("speaker" or
    "date", by index)."""
    head = _head_indexes(lines, start)
    candidates = _candidates(lines, head)
    if not candidates:
        # No title-shaped line: named furniture at the top is still furniture, except a
        # file name, the only title there is ("讲话稿.docx" gives "讲话稿").
        sure = [
            i for i in head if _is_sure_furniture(lines[i].text) and not _is_meta(lines[i].text)
        ]
        named = next((i for i in sure if FILE_NAME.match(lines[i].text.strip())), None)
        removed = {i: _furniture_removal(lines[i]) for i in sure if i != named}
        return named, removed, {}
    # A title printed twice (page title + document title) is one title: each copy counts
    # with the better points of the two, and the first copy is the title.
    best_points: dict[str, int] = {}
    for candidate in candidates:
        key = _title_key(lines[candidate.start].text)
        best_points[key] = max(best_points.get(key, 0), candidate.points)

    def points(candidate: _Candidate) -> int:
        return best_points[_title_key(lines[candidate.start].text)]

    best = max(candidates, key=lambda c: (points(c), -c.start))
    # "在…上的讲话" right under a title-shaped line is that title's subtitle (see read_head):
    # "凝心聚力 再创佳绩 / 在全局年度总结表彰大会上的讲话".
    previous = [
        c for c in candidates if c.start < best.start and furniture_of(lines[c.start].text) is None
    ]
    if previous and _is_plain_subtitle(lines[best.start].text):
        above = [index for index in head if index < best.start]
        if above and above[-1] < previous[-1].end:
            best = previous[-1]
    above = [index for index in head if index < best.start]
    removed: dict[int, Removal] = {}
    meta: dict[int, str] = {}
    for index in above:
        text = lines[index].text
        furniture = furniture_of(text)
        if furniture is None and parse_speaker_line(text):
            meta[index] = "speaker"
        elif furniture is None and parse_date(text):
            meta[index] = "date"
        else:
            removed[index] = _furniture_removal(lines[index])
    unnamed = [i for i in removed if not _is_sure_furniture(lines[i].text)]
    first = candidates[0]
    if unnamed and not (
        best.says_speech
        and points(best) > (points(first) if first.start < best.start else -1)
        and not any(has_sentence_end(lines[i].text) for i in unnamed)
    ):
        return None, {}, {}
    # Furniture between the title and its repeat (the site's page title, the poster's
    # name, then the document's own title): the repeat itself is structure()'s.
    key = _title_key(lines[best.start].text)
    after = [index for index in head if index >= best.end]
    repeat = next((i for i in after if _title_key(lines[i].text) == key), None)
    if repeat is not None:
        # (A date there is the day the page was posted; a subtitle or speaker line stays.)
        between = [
            i
            for i in after
            if i < repeat
            and (_is_sure_furniture(lines[i].text) or not _stands_above_meta(lines[i].text))
        ]
        for index in between:
            removed[index] = _furniture_removal(lines[index])
    return best.start, removed, meta


def read_head(lines: Sequence[SourceLine], wrap: WrapInfo | None = None) -> Head:
    """Find the title block at the top of the kept lines.

    The title is the head line that looks most like one (see :func:`choose_title`);
    site furniture above it is logged. The first non-blank line is the title unless it
    reads as body text (a long sentence, a heading, "同志们："). A short line directly
    under the title continues it; then a "——" subtitle, a date line and a speaker line
    may follow in any order.
    """
    head = Head()
    i = 0
    while i < len(lines) and not lines[i].text.strip():
        i += 1
    if i == len(lines):
        head.body_start = i
        return head
    first = lines[i].text
    # In a wrapped copy a first line that runs to the wrap width with sentence
    # punctuation in it is the start of the body (a full-width title has none).
    wrapped_first = (
        wrap is not None
        and wrap.is_full(first)
        and any(c in "，。；！？,;!?" for c in first)
        and not ends_with(first, NO_JOIN_END)
        and i + 1 < len(lines)
        and lines[i + 1].text.strip()
    )
    if _looks_like_body(first) or wrapped_first:
        head.body_start = i
        return head
    title_at, furniture, meta_above = choose_title(lines, i)
    head.removed = [furniture[index] for index in sorted(furniture)]
    for index, kind in meta_above.items():
        if kind == "speaker":
            head.speaker = parse_speaker_line(lines[index].text)
        else:
            head.date = parse_date(lines[index].text)
    if title_at is not None:
        i = title_at
    else:  # the first line that is not logged furniture, unless the body starts there
        while i < len(lines) and (i in furniture or not lines[i].text.strip()):
            i += 1
        if i == len(lines) or _looks_like_body(lines[i].text):
            head.body_start = i
            return head
    first = lines[i].text
    is_meta = _is_meta(first) and title_at is None
    if not is_meta:
        head.title_lines = [first]
        title = collapse_whitespace(first)
        file_name = FILE_NAME.match(title)
        if file_name:  # the only title there is: the file's name, without its extension
            title = file_name["stem"]
            head.removed.append(
                Removal(lines[i].number, file_name["extension"], DOWNLOAD, "file-name")
            )
        elif suffix := SITE_TITLE_SUFFIX.search(title):  # "…的讲话范文": the site's label
            title = title[: suffix.start("label")]
            head.removed.append(
                Removal(lines[i].number, suffix["label"], TITLE_PREFIX, "title-suffix")
            )
        i += 1
        # A continuation must sit directly under the title (no blank line between).
        title_is_complete = parse_speech_title(title) != (None, None)
        if (
            i < len(lines)
            and lines[i].text.strip()
            and not title_is_complete
            and (
                _is_title_continuation(lines[i].text, title)
                or _is_slogan_under_title(lines, i, title)
            )
        ):
            head.title_lines.append(lines[i].text)
            second = collapse_whitespace(lines[i].text)
            # Two title lines are joined with a space, unless a wrapped copy broke one
            # long title line at the wrap width.
            broken = wrap is not None and wrap.is_full(first)
            title += (_joiner(title, second) if broken else " ") + second
            i += 1
        head.title = normalize(title)
    # Metadata lines in any order, blank lines (and logged furniture) allowed between them.
    while True:
        j = i
        while j < len(lines) and (not lines[j].text.strip() or j in furniture):
            j += 1
        if j == len(lines):
            break
        text = lines[j].text
        subtitle = parse_subtitle(text)
        date = parse_date(text)
        speaker = parse_speaker_line(text)
        if subtitle and head.subtitle is None and head.title is not None:
            head.subtitle, head.subtitle_line = subtitle, text
        elif date and head.date in (None, date):  # (the same date twice: the page's too)
            head.date = date
        elif speaker and head.speaker is None:
            head.speaker = speaker
        elif (
            head.title is not None
            and head.speaker is None
            and is_bare_name(text)
            and (head.date is not None or _next_is_date(lines, j + 1, furniture))
        ):
            # Title, date and the name alone, as a published speech is set; without the
            # date beside it a name under a title is an essay's author (text).
            head.speaker = normalize(collapse_whitespace(text).removesuffix("同志"))
        elif (
            head.title is not None
            and head.subtitle is None
            and len(text) <= 2 * TITLE_PARAGRAPH_MIN
            and parse_speech_title(text)[1] is not None
            and not parse_speech_title(text)[0]
            and collapse_whitespace(text).startswith("在")
        ):
            # "在…上的讲话" on its own line under a title is a subtitle without dashes.
            head.subtitle, head.subtitle_line = normalize(text), text
        elif head.title is not None and not _is_prose(text) and _is_sure_furniture(text):
            # The site's line under the title ("2020-03-09 来源：学习时报"): logged. (A
            # paragraph that mentions 内部资料 is the speech: furniture is a short line.)
            head.removed.append(_furniture_removal(lines[j]))
        else:
            i = j  # (past the blank lines and the logged furniture)
            break
        i = j + 1
    head.body_start = i
    return head


# --- Step 2: speaker and occasion -------------------------------------------------------

_TRAILING_DATE = re.compile(r"[（(](?P<date>[^（）()]{4,20})[）)]$")


def speech_facts(
    head: Head, captured: Sequence[tuple[str, str]]
) -> tuple[str | None, str | None, str | None]:
    """(speaker, occasion, date) from the title, the subtitle, then captured footer titles.

    A speaker line under the title wins over the "X" of "X在Y上的讲话" (it names the
    person); each fact is taken from the first place that has it.
    """
    candidates: list[str] = []
    if head.title:
        candidates.append(head.title)
        # "守正出新——在…上的讲话" on one line: the part after the dashes.
        candidates.extend(part for part in re.split(r"——|--", head.title)[1:] if part)
    if head.subtitle:
        candidates.append(head.subtitle)
    candidates.extend(text for name, text in captured if "title" in name)
    speaker, occasion, date = head.speaker, None, head.date
    for text in candidates:
        found_speaker, found_occasion = parse_speech_title(text)
        speaker = speaker or found_speaker
        occasion = occasion or found_occasion
        if date is None:
            trailing = _TRAILING_DATE.search(normalize(text))
            if trailing:
                date = parse_date(trailing["date"])
    return speaker, occasion, date


# --- Step 3: re-joining wrapped lines ---------------------------------------------------


@dataclass(frozen=True)
class WrapInfo:
    """A hard-wrapped copy: the width its lines were broken at, in display columns."""

    width: int
    indents_paragraphs: bool  # paragraph starts are indented, continuation lines are not

    def is_full(self, text: str) -> bool:
        """Does this line run (nearly) to the wrap width?"""
        return display_width(text) >= 0.8 * self.width

    def is_exact(self, text: str) -> bool:
        """Does this line fill the wrap width, give or take one Chinese character?"""
        return display_width(text) >= self.width - 2


def detect_wrap(lines: Sequence[SourceLine]) -> WrapInfo | None:
    """Is this a hard-wrapped copy (a PDF pasted as text)? If so, at what width?

    In such a copy most lines that do not end a sentence have about the same width, and
    almost no line is wider than that: the width the PDF broke lines at. In a clean copy
    (one paragraph per line) lines without closing punctuation are rare headings of all
    sizes, and paragraphs are far wider than any of them.
    """
    texts = [line.text for line in lines if line.text.strip() and not _is_bare_heading(line.text)]
    open_widths = sorted(display_width(t) for t in texts if not ends_with(t, NO_JOIN_END))
    if len(open_widths) < 3:
        return None

    def near(w: int) -> int:
        return sum(1 for x in open_widths if 0.85 * w <= x <= 1.1 * w + 2)

    # The wrap width is the densest cluster of open-line widths (ties: the wider). Open
    # lines narrower than it (a title, a speaker or date line, a short heading) say
    # nothing against wrapping; only the ones at least that wide are weighed.
    width = max(open_widths, key=lambda w: (near(w), w))
    if width < 20:
        return None
    at_least = sum(1 for x in open_widths if x >= 0.85 * width)
    if near(width) < max(3, 0.6 * at_least):
        return None
    wider = sum(1 for t in texts if display_width(t) > 1.15 * width + 2)
    if wider > 0.1 * len(texts):
        return None
    return WrapInfo(width=width, indents_paragraphs=indents_paragraphs(lines))


def indents_paragraphs(lines: Sequence[SourceLine]) -> bool:
    """Are paragraph starts indented and other lines flush (a PDF's hard-wrapped text)?"""
    indented = [line for line in lines if line.text.strip() and indentation(line.text) > 0]
    flush = [line for line in lines if line.text.strip() and indentation(line.text) == 0]
    return len(indented) >= 2 and len(flush) >= len(indented)


_REDACTION_RUN_END = re.compile("(?:^|[^A-Za-z0-9])[" + REDACTION_CLASS + "]+$")
_REDACTION_RUN_START = re.compile("^[" + REDACTION_CLASS + "]+(?:$|[^A-Za-z0-9])")


def _joiner(left: str, right: str) -> str:
    """No space between Chinese halves; one space between Latin words ("Smart" "Police").

    A redaction broken across lines ("全市X" + "X机关") is Chinese text, not two words.
    """
    if not left or not right:
        return ""
    if _REDACTION_RUN_END.search(left) and _REDACTION_RUN_START.match(right):
        return ""
    a, b = left[-1], right[0]
    latin_left = a.isascii() and (a.isalnum() or a in ",.;:!?)")
    latin_right = b.isascii() and b.isalnum()
    if latin_left and latin_right and not (a.isdigit() and b.isdigit()):
        return " "
    return ""


@dataclass
class LogicalLine:
    """One paragraph-to-be: the text of one or more joined source lines."""

    number: int  # source line where it starts
    text: str
    last: SourceLine  # the last physical line joined in


def is_double_spaced(lines: Sequence[SourceLine]) -> bool:
    """Is (nearly) every text line followed by one blank line? Then blank lines say
    nothing about paragraphs (some sites paste PDF text that way)."""
    texts = [i for i, line in enumerate(lines) if line.text.strip()]
    if len(texts) < 4:
        return False
    spaced = sum(
        1
        for i, j in itertools.pairwise(texts)
        if j == i + 2 and lines[j].number == lines[i].number + 2
    )
    return spaced >= 0.8 * (len(texts) - 1)


def _gap(
    a: SourceLine,
    b: SourceLine,
    blank_numbers: set[int],
    removed_numbers: set[int],
    blank_is_break: bool = True,
) -> str | None:
    """What lies between lines A and B: "none", "marker" (removed lines, maybe with blank
    lines around them), or None when a blank line alone (a paragraph break) or a kept
    line separates them."""
    gap = range(a.number + 1, b.number)
    if not gap:
        return "none"
    if any(n not in blank_numbers and n not in removed_numbers for n in gap):
        return None
    if any(n in removed_numbers for n in gap):
        return "marker"
    return None if blank_is_break or len(gap) > 1 else "none"


def _should_join(
    a: SourceLine, b: SourceLine, wrap: WrapInfo | None, gap: str, indented: bool = False
) -> bool:
    """Does physical line B continue the paragraph that line A is part of?"""
    a_text, b_text = collapse_whitespace(a.text), collapse_whitespace(b.text)
    if a.hard_break or not a_text or not b_text:
        return False
    if heading_level(b_text) is not None or is_salutation(b_text):
        return False
    if b_text[0] in CONTINUATION_START:
        return True  # no paragraph starts with "，" or "》": the line was broken before it
    # A heading with its paragraph glued on ("（一）…。各级公安机关要…") ends like that
    # paragraph: its rest may be cut off mid-word and go on in the next line.
    a_parts = split_heading(a_text)
    a_heading = a_parts is not None and not a_parts[1]
    if wrap is None:
        if a_heading or ends_with(a_text, NO_JOIN_END):
            return False
        if ends_with(a_text, MID_SENTENCE_END):
            return True
        if ITEM_START.match(b_text):
            return False
        if indented and indentation(a.text) > 0 and indentation(b.text) == 0:
            return True  # an indented paragraph start, its wrapped rest flush (too few
            # lines to measure the wrap width)
        # A clean copy: only a long line is broken, and a line broken by a removed page
        # marker needs less proof (the marker explains the break).
        return len(a_text) >= (MARKER_BROKEN_LINE if gap == "marker" else LONG_LINE)
    # A wrapped copy.
    if indentation(b.text) > indentation(a.text):
        return False  # an indented line starts a paragraph
    if a_heading:
        # A heading that runs to the wrap width goes on in the next line, unless that
        # line is a paragraph: indented (above), or in a copy without indentation, a
        # full line or one with a sentence in it.
        if not wrap.is_full(a.text):
            return False
        return wrap.indents_paragraphs or (not wrap.is_full(b.text) and "。" not in b_text)
    if ends_with(a_text, NO_JOIN_END):
        # A line that runs to the wrap width and ends a sentence: the PDF most likely
        # broke the line right after the "。" (a paragraph rarely fills its last line
        # exactly). With indentation the next line says it for sure.
        if wrap.indents_paragraphs:
            return wrap.is_full(a.text) and indentation(b.text) == 0
        # Without indentation, "一是…"/"首先，…" after a full stop starts a paragraph.
        return wrap.is_exact(a.text) and not ITEM_START.match(b_text)
    return ends_with(a_text, MID_SENTENCE_END) or wrap.is_full(a.text)


def join_wrapped(
    lines: Sequence[SourceLine],
    removed_numbers: set[int],
    wrap: WrapInfo | None,
) -> list[LogicalLine]:
    """Physical lines -> logical lines (paragraphs and headings, text not yet normalised).

    ``lines`` are the body lines (blank lines included); ``removed_numbers`` the source
    lines the cleaner (or the repeated-title check) removed, so that a paragraph broken by
    a page marker is joined across it.
    """
    blank_numbers = {line.number for line in lines if not line.text.strip()}
    indented = indents_paragraphs(lines)
    # In a wrapped copy pasted double-spaced, a single blank line is no paragraph break.
    blank_is_break = wrap is None or not is_double_spaced(lines)
    logical: list[LogicalLine] = []
    current: LogicalLine | None = None
    for line in lines:
        if not line.text.strip():
            continue
        gap = (
            _gap(current.last, line, blank_numbers, removed_numbers, blank_is_break)
            if current
            else None
        )
        if (
            current is not None
            and gap is not None
            and _should_join(current.last, line, wrap, gap, indented)
        ):
            left = current.text.rstrip(WHITESPACE)
            right = line.text.strip(WHITESPACE)
            current.text = left + _joiner(left, right) + right
            current.last = line
            continue
        current = LogicalLine(number=line.number, text=line.text, last=line)
        logical.append(current)
    return logical


# --- Step 4: headings and paragraphs ----------------------------------------------------

_BRACKETS = ("“”", "（）", "《》", "【】", "「」", "『』")


def _balanced(text: str) -> bool:
    return all(text.count(pair[0]) == text.count(pair[1]) for pair in _BRACKETS)


def _is_bare_heading(text: str) -> bool:
    """A heading line with no paragraph glued to it (a glued one is laid out as text)."""
    parts = split_heading(collapse_whitespace(text))
    return parts is not None and not parts[1]


def split_heading(text: str) -> tuple[str, str] | None:
    """A numbered line read as a heading: (heading, the paragraph glued to it or ""); None
    for a paragraph (no number, a long first sentence, a long line without "。")."""
    if heading_level(text) is None:
        return None
    if "。" in text:
        heading, _, rest = text.partition("。")
        if len(heading) <= HEADING_SPLIT_MAX and _balanced(heading):
            return heading, rest.strip()
        return None
    if len(text) > HEADING_MAX:
        return None
    return text, ""


def to_blocks(line: LogicalLine) -> list[Block]:
    """One logical line -> a heading, a heading plus its glued paragraph, or a paragraph."""
    text = normalize(line.text)
    if not text:
        return []
    parts = split_heading(text)
    if parts is None:
        return [Block("paragraph", text, None, line.number)]
    heading, rest = parts
    blocks = [Block("heading", heading, heading_level(text), line.number)]
    if rest:
        blocks.append(Block("paragraph", rest, None, line.number))
    return blocks


# --- Repeated title and truncation ------------------------------------------------------


def find_repeated_title(head: Head, body: Sequence[SourceLine]) -> dict[int, Removal]:
    """Body lines that repeat the title (the whole title or its first line), by index.

    Copies often print the title twice (page title + document title). The lines right
    after a repeat that repeat the title's second line or the subtitle go too. (Indexes,
    not line numbers: the cleaner may split one source line into several.)
    """
    if head.title is None:
        return {}
    title_key = _title_key(head.title)
    keys = {title_key, _title_key(head.title_lines[0])}
    follow = {_title_key(text) for text in head.title_lines[1:]}
    if head.subtitle_line:
        follow.add(_title_key(head.subtitle_line))
    keys.discard("")
    follow.discard("")
    removals: dict[int, Removal] = {}
    in_repeat = False
    longest = 2 * max(len(head.title), *(len(text) for text in head.title_lines)) + 10
    for index, line in enumerate(body):
        if not line.text.strip():
            continue
        key = _title_key(line.text) if len(line.text) <= longest else ""
        if key in keys or _is_decorated_key(key, title_key) or (in_repeat and key in follow):
            removals[index] = Removal(
                line.number,
                line.text.strip(WHITESPACE),
                REPEATED_TITLE,
                REPEATED_TITLE_RULE,
            )
            in_repeat = True
        else:
            in_repeat = False
    return removals


# A 范文 site's label after a speech's title: "…工作推进会议上的讲话范文" is the speech
# "…上的讲话" filed under 范文 (model texts). Only after a word that ends a speech title.
SITE_TITLE_SUFFIX = re.compile(
    r"(?:讲话|发言|致辞|讲稿|党课|报告|主持词)(?P<label>范文(?:大全|精选)?|[(（]精选文档[)）])$"
)

# What sites add to a title they print again above or around the real one (after
# _title_key, which drops brackets and punctuation): "关于…", "2022年度…", "…(精选文档)",
# "…(精选2篇)", "…范文", "…word版".
TITLE_DECORATION = re.compile(
    r"(?:关于|\d{4}年度?|精选|优秀|最新|热门|\d+篇|文档|范文|大全|word版?|doc|通用版|完整版|全文)*",
    re.IGNORECASE,
)


DECORATED_TITLE_MIN = 8  # characters of the title's key


def is_decorated_title(text: str, title: str) -> bool:
    """Is ``text`` the title again, maybe with a site's decoration (TITLE_DECORATION)?

    >>> is_decorated_title("2022年度专题党课：从严治警(精选文档)", "专题党课：从严治警")
    True
    >>> is_decorated_title("下面是小编为大家整理的专题党课：从严治警，供大家参考。", "专题党课：从严治警")
    False
    """
    return _is_decorated_key(_title_key(text), _title_key(title))


def _is_decorated_key(line: str, key: str) -> bool:
    """:func:`is_decorated_title` on _title_key values (a caller with many lines keys the
    title once)."""
    if len(key) < DECORATED_TITLE_MIN or key not in line:
        return False  # (a short title, "讲话稿", is too common to be recognised in a line)
    return TITLE_DECORATION.fullmatch(line.replace(key, "", 1)) is not None


def name_title_repeats(removal: Removal, title: str | None) -> Removal:
    """A removed line that is the title again (plus a site's decoration) is logged as a
    repeat of the title, whichever rule removed it: "…(精选文档)" is a repeated title, not a
    download notice. Only the reason changes; nothing more is removed."""
    if (
        title is None
        or removal.reason in (REPEATED_TITLE, TITLE_PREFIX)
        or not is_decorated_title(removal.text, title)
    ):
        return removal
    return replace(removal, reason=REPEATED_TITLE, rule=REPEATED_TITLE_RULE)


@dataclass(frozen=True)
class Closing:
    """A signature under the speech: its speaker and date lines (metadata, not text)."""

    speaker: str | None = None
    date: str | None = None


def split_closing(logical: list[LogicalLine]) -> tuple[list[LogicalLine], Closing]:
    """Take a closing signature off the end of the body: official texts often end with the
    date ("2023年5月") and sometimes the speaker's line. They are metadata, like the same
    lines under the title; as paragraphs they would make the speech look cut off."""
    speaker = date = None
    end = len(logical)
    while end > 1 and end > len(logical) - 2:
        text = logical[end - 1].text.strip()
        if (found := parse_date(text)) and date in (None, found):  # (the same date twice)
            date = found
        elif speaker is None and (found := parse_speaker_line(text)):
            speaker = found
        else:
            break
        end -= 1
    return logical[:end], Closing(speaker=speaker, date=date)


def is_truncated(blocks: Sequence[Block], cleaned: Cleaned, last_text_line: int) -> bool:
    """Does the speech stop before its end?

    An end mark after the text ("（全文完）") says it is complete. Otherwise a paywall or
    "阅读全文" marker after the text, a final heading with nothing under it, or a last
    paragraph without closing punctuation means the copy was cut off.
    """
    if any(n > last_text_line for n in cleaned.end_marks):
        return False
    if any(n > last_text_line for n in cleaned.truncation_markers):
        return True
    if not blocks:
        return False
    last = blocks[-1]
    return last.kind == "heading" or not ends_with(last.text, SENTENCE_END)


# --- The stage --------------------------------------------------------------------------


def structure(cleaned: Cleaned, *, slug: str, source_name: str = "", encoding: str = "") -> Speech:
    """Turn the cleaner's kept lines into a Speech (title, metadata, blocks, removal log)."""
    lines = cleaned.lines
    wrap = detect_wrap(lines)
    head = read_head(lines, wrap)
    body = lines[head.body_start :]
    if wrap is None:
        # A title or subtitle line set wider than the body hides a wrapped body.
        wrap = detect_wrap(body)
    repeated = find_repeated_title(head, body)
    kept_body = [line for index, line in enumerate(body) if index not in repeated]
    kept_numbers = {line.number for line in kept_body if line.text.strip()}
    # Source lines with nothing left on them: what the cleaner removed, and the repeats.
    removed_numbers = {r.line for r in cleaned.removed} | {
        r.line for r in repeated.values() if r.line not in kept_numbers
    }
    logical = join_wrapped(kept_body, removed_numbers, wrap)
    logical, closing = split_closing(logical)
    blocks = tuple(block for line in logical for block in to_blocks(line))
    speaker, occasion, date = speech_facts(head, cleaned.captured)
    speaker = speaker or closing.speaker
    date = date or closing.date
    text_lines = [*lines[: head.body_start], *kept_body]
    last_text_line = max((line.number for line in text_lines if line.text.strip()), default=0)
    removed = tuple(
        sorted(
            (
                name_title_repeats(r, head.title)
                for r in (*cleaned.removed, *head.removed, *repeated.values())
            ),
            key=lambda r: r.line,
        )
    )
    # No title line in the text: the site's own "本文标题:…" footer is the best title left.
    footer_titles = [normalize(text) for name, text in cleaned.captured if "title" in name]
    title = head.title or (footer_titles[0] if footer_titles else None)
    return Speech(
        slug=slug,
        title=title,
        subtitle=head.subtitle,
        speaker=speaker,
        occasion=occasion,
        date=date,
        truncated=bool(cleaned.gaps) or is_truncated(blocks, cleaned, last_text_line),
        gaps=cleaned.gaps,
        blocks=blocks,
        removed=removed,
        source_name=source_name,
        encoding=encoding,
    )
