"""The title block at the top of a speech (step 1 of structure.py) and the facts it gives.

- :func:`read_head`: title (one line, or two joined with a space), a "——…" subtitle, and
  in any order a date line and a speaker line. The title is the head line that looks most
  like one where a title stands (:func:`choose_title`); site furniture above it (a file
  name, a posting date, a running header) is logged.
- :func:`speech_facts`: speaker and occasion from "X在Y上的讲话" in the title, the
  subtitle, or a removed "本文标题:…" footer the cleaner captured.
- :func:`find_repeated_title`: the title printed again in the body, maybe with a site's
  decoration ("…(精选文档)").
- The parsers of a title block's lines: :func:`parse_date`, :func:`parse_speaker_line`,
  :func:`parse_subtitle`, :func:`parse_speech_title`, :func:`is_bare_name`.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from .chars import (
    HAN_CLASS,
    LIST_BULLET,
    REDACTION_CLASS,
    REDACTION_LETTERS,
    WHITESPACE,
    count_han,
    has_sentence_end,
    is_han,
)
from .lines import NO_JOIN_END, ends_with, heading_level, is_salutation
from .model import Removal, SourceLine
from .punctuation import collapse_whitespace, normalize
from .rejoin import ITEM_START, WrapInfo, joiner
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

# --- Parsers of title-block lines --------------------------------------------------------


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


# What a title key leaves out: every character that is neither Chinese (chars.HAN_CLASS)
# nor a letter or digit (``\w`` without "_" is exactly str.isalnum); one C-speed pass (the
# key is taken of every short body line).
_NOT_IN_TITLE_KEY = re.compile(f"[^{HAN_CLASS}\\w]|_")


def _title_key(text: str) -> str:
    """Text compared when looking for a repeated title: punctuation and spaces ignored."""
    return _NOT_IN_TITLE_KEY.sub("", normalize(text))


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
    keys: set[str] = set()  # of the lines found: a line that repeats one is no body
    for index in range(start, len(lines)):
        text = lines[index].text
        if not text.strip():
            continue
        sure = _is_sure_furniture(text)  # "欢迎来到XX! | 帮助中心" is no sentence of the body
        if (
            not sure
            and not _repeats_with_next(lines, index, keys)
            and (_looks_like_body(text) or _is_sentence(text) or ITEM_START.match(text.strip()))
        ):
            break
        keys.add(_title_key(text))
        found.append(index)
        if len(found) == HEAD_MAX_LINES:
            break
    return found


def _repeats_with_next(lines: Sequence[SourceLine], index: int, keys: set[str]) -> bool:
    """Is this line, alone or with the next one, a line above it again? A document's own
    title, maybe wrapped, under the site's copy of it without punctuation: "“党课开讲了”微党课
    ——保持农村党员先进性，争做乡村发" + "展急先锋" under "党课开讲了微党课保持农村党员先进性
    争做乡村发展急先锋"."""
    texts = [lines[index].text]
    if index + 1 < len(lines) and lines[index + 1].text.strip():
        texts.append(lines[index].text + lines[index + 1].text)
    return any(len(key) >= DECORATED_TITLE_MIN and key in keys for key in map(_title_key, texts))


def _candidate_key(lines: Sequence[SourceLine], candidate: _Candidate) -> str:
    """The title key of a candidate's lines (a wrapped title is one title)."""
    return _title_key("".join(lines[k].text for k in range(candidate.start, candidate.end)))


def _candidate_length(lines: Sequence[SourceLine], candidate: _Candidate) -> int:
    return sum(
        len(collapse_whitespace(lines[k].text)) for k in range(candidate.start, candidate.end)
    )


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
        key = _candidate_key(lines, candidate)
        best_points[key] = max(best_points.get(key, 0), candidate.points)

    def points(candidate: _Candidate) -> int:
        return best_points[_candidate_key(lines, candidate)]

    best = max(candidates, key=lambda c: (points(c), -c.start))
    # Of two copies, the one that kept the title's punctuation is the document's own (a
    # site's page title drops it, never adds it); the other is its repeat.
    best_key = _candidate_key(lines, best)
    copies = [c for c in candidates if _candidate_key(lines, c) == best_key]
    best = max(copies, key=lambda c: (_candidate_length(lines, c), -c.start))
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
    unnamed = [
        i
        for i in removed
        if not _is_sure_furniture(lines[i].text) and _title_key(lines[i].text) != best_key
    ]
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
            title += (joiner(title, second) if broken else " ") + second
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
        elif head.title is not None and _title_key(text) == _title_key(head.title):
            # The title again right under itself (a page title over the document's): a
            # repeat, and the subtitle, date or speaker lines may still follow.
            head.removed.append(
                Removal(
                    lines[j].number, text.strip(WHITESPACE), REPEATED_TITLE, REPEATED_TITLE_RULE
                )
            )
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
