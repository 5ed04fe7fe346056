"""Apply the cleaning rules (rules.py) to a decoded speech and keep the removal log.

Pure: text in, :class:`~pizhu.model.Cleaned` out. Like ftfy's ``fix_and_explain``, every
removal names the rule that made it, so a surprising removal can be traced to one entry
in rules.py and one test case.

The passes, in order:

1. HTML residue: tags, comments and script/style blocks are cut out (HTML标签); tags that
   end or start a paragraph split the line (the part before gets ``hard_break``); then
   entities are decoded, so "&lt;p&gt;" ends up as the text "<p>".
2. The rules, line by line (LINE/SECTION, then PREFIX and INLINE), with sections of
   related-article lists followed to their end.
3. The head and tail zones (before the first / after the last line of prose): the zone
   rules, then the ad-block and footer-block heuristics.

Kept text is returned as it was, minus the removed fragments: no stripping, no
punctuation changes (structure.py does that), so indentation survives for structure().
"""

from __future__ import annotations

import html
import itertools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from .chars import CLAUSE_END_MARKS, HAN, LIST_BULLET, ZERO_WIDTH, count_han
from .model import Cleaned, Removal, SourceLine
from .rules import (
    AD,
    AD_BLOCK_REASONS,
    AD_BLOCK_RULE,
    ANYWHERE,
    EDGES,
    EDITOR_DROP,
    EDITOR_DROP_RULE,
    FOOTER_BLOCK_RULE,
    FOOTER_HEADING,
    HTML_BLOCK_PATTERN,
    HTML_BREAK_ELEMENTS,
    HTML_ELEMENTS,
    HTML_ENTITY_PATTERN,
    HTML_TAG,
    HTML_TAG_PATTERN,
    HTML_TAG_RULE,
    INLINE,
    LINE,
    PAGE_NUMBER,
    PREFIX,
    PROSE_LONG_HAN,
    PROSE_MARK,
    PROSE_MIN_HAN,
    RULES,
    RUNNING_HEADER,
    RUNNING_HEADER_MIN_REPEATS,
    RUNNING_HEADER_RULE,
    SECTION,
    SENTENCE_END,
    SHORT_LINE_CHARS,
    SPEECH_LINE,
    TAIL,
    TITLE_LIKE,
    Rule,
    Zone,
    furniture_of,
)
from .triggers import Prefilter, fold

# The rules of each scope, in their order (a rule's trigger is tried before its pattern).
_LINE_RULES = tuple(rule for rule in RULES if rule.scope in (LINE, SECTION))
_PREFIX_RULES = tuple(rule for rule in RULES if rule.scope == PREFIX)
_INLINE_RULES = tuple(rule for rule in RULES if rule.scope == INLINE)
# Which rules a line's characters leave worth trying, before their triggers (triggers.py):
# one scan of the line for all of them. Bits: the line rules, then prefix, then inline.
_PREFILTER = Prefilter([rule.pattern for rule in (*_LINE_RULES, *_PREFIX_RULES, *_INLINE_RULES)])
_PREFIX_BIT = len(_LINE_RULES)
_INLINE_BIT = _PREFIX_BIT + len(_PREFIX_RULES)
_EVERY_RULE = -1  # (every bit set: no prefilter)

# --- Small predicates --------------------------------------------------------------------

# A line ending with a clause mark is a clause of a list in the speech ("坚持人民至上；").
ENDS_CLAUSE = re.compile("[" + CLAUSE_END_MARKS + r"]\s*$")
# A line ending with one of these is a link ("办公文档>", "更多»").
LINK_ENDS = ">＞»›→"


def strip_line(text: str) -> str:
    """Whitespace (including U+3000 and NBSP) and zero-width characters off both ends."""
    return text.strip().strip(ZERO_WIDTH).strip()


def is_prose(text: str) -> bool:
    """True for a line of the speech body: a sentence of some length, or a long line."""
    han = count_han(text, enough=PROSE_LONG_HAN)
    return (han >= PROSE_MIN_HAN and PROSE_MARK.search(text) is not None) or (han >= PROSE_LONG_HAN)


def _visible_length(text: str) -> int:
    return len("".join(text.split()))  # (str.split drops every kind of whitespace)


def is_list_item(text: str) -> bool:
    """A bulleted item of the speech ("* 坚持人民至上；", "• 坚持问题导向"): a bullet, then
    Chinese text that is not a link ("• 办公文档>" is a site's category link)."""
    match = LIST_BULLET.match(text)
    if not match:
        return False
    rest = text[match.end() :].strip()
    return HAN.search(rest) is not None and rest[-1] not in LINK_ENDS


def is_short_filler(text: str) -> bool:
    """A short line that may belong to an ad block: no sentence or clause end, not a title,
    a heading or a bulleted item of the speech."""
    return (
        _visible_length(text) < SHORT_LINE_CHARS
        and not SENTENCE_END.search(text)
        and not ENDS_CLAUSE.search(text)
        and not TITLE_LIKE.search(text)
        and not is_list_item(text)
    )


# --- Text with a map back to source columns ---------------------------------------------


@dataclass
class _Text:
    """A piece of a source line plus, for each character, its column in the raw line."""

    chars: str
    columns: list[int]

    def cut(self, start: int, end: int) -> None:
        self.chars = self.chars[:start] + self.chars[end:]
        del self.columns[start:end]

    def column(self, index: int) -> int:
        if not self.columns:
            return 0
        return self.columns[min(index, len(self.columns) - 1)]

    def first_visible_column(self) -> int:
        for index, char in enumerate(self.chars):
            if not char.isspace() and char not in ZERO_WIDTH:
                return self.column(index)
        return self.column(0)


# --- Items: one per kept/removed piece of a line -------------------------------------------

_BLANK, _CONTENT, _KEPT, _NOISE, _GAP = "blank", "content", "kept", "noise", "gap"


@dataclass
class _Item:
    line: int
    status: str
    text: _Text
    break_after: bool = False  # an HTML paragraph end followed this piece
    rule: Rule | None = None  # the rule that removed the whole piece
    removals: list[tuple[int, Removal]] = field(default_factory=list)  # (column, removal)

    def stripped(self) -> str:
        return strip_line(self.text.chars)

    def remove_whole(self, reason: str, rule_name: str, rule: Rule | None = None) -> None:
        text = self.stripped()
        if text:
            self.removals.append(
                (self.text.first_visible_column(), Removal(self.line, text, reason, rule_name))
            )
        self.status = _NOISE
        self.rule = rule


@dataclass
class _Facts:
    captured: list[tuple[str, str]] = field(default_factory=list)
    truncation_markers: set[int] = field(default_factory=set)
    end_marks: set[int] = field(default_factory=set)
    gaps: set[int] = field(default_factory=set)

    def note(self, rule: Rule, line: int, match: re.Match[str] | None = None) -> None:
        if rule.truncates:
            self.truncation_markers.add(line)
        if rule.hides_text:
            self.gaps.add(line)
        if rule.end_mark:
            self.end_marks.add(line)
        if rule.capture and match is not None:
            value = strip_line(match.group(rule.capture) or "")
            if value:
                self.captured.append((rule.name, value))


# --- The public function ---------------------------------------------------------------------


def clean(text: str, *, keep: Iterable[int | str] = (), drop: Iterable[int | str] = ()) -> Cleaned:
    """Remove the noise from a decoded speech; return the kept lines and the removal log.

    ``keep`` and ``drop`` come from the editor's sidecar: 1-based line numbers or exact
    (stripped) line texts. A kept line is left entirely untouched; a dropped line is
    removed with reason 编辑指定删除. A line named in both is dropped.

    >>> cleaned = clean("(材料)在全市XX会议上的讲话\\n酷乐文行整理，咨询QQ206157060\\n同志们：")
    >>> [line.text for line in cleaned.lines]
    ['在全市XX会议上的讲话', '同志们：']
    >>> [(r.line, r.text, r.reason) for r in cleaned.removed]
    [(1, '(材料)', '标题前缀'), (2, '酷乐文行整理，咨询QQ206157060', '整理者署名')]
    """
    raw_lines = text.split("\n") if text else []
    if text.endswith("\n"):
        raw_lines.pop()
    keep_numbers, keep_texts = _split_selectors(keep)
    drop_numbers, drop_texts = _split_selectors(drop)

    def selected(number: int, raw: str, numbers: set[int], texts: set[str]) -> bool:
        return number in numbers or (bool(texts) and raw.strip() in texts)

    facts = _Facts()
    html_spans = _html_spans(text)
    line_starts = _line_starts(raw_lines)
    items: list[_Item] = []
    for index, raw in enumerate(raw_lines):
        number = index + 1
        if selected(number, raw, drop_numbers, drop_texts):
            item = _Item(number, _NOISE, _Text(raw, list(range(len(raw)))))
            if item.stripped():
                item.remove_whole(EDITOR_DROP, EDITOR_DROP_RULE)
                items.append(item)
            else:
                items.append(_Item(number, _BLANK, _Text("", [])))
        elif selected(number, raw, keep_numbers, keep_texts):
            items.append(_Item(number, _KEPT, _Text(raw, list(range(len(raw))))))
        elif not strip_line(raw):
            items.append(_Item(number, _BLANK, _Text("", [])))
        else:
            start = line_starts[index]
            spans = _spans_in_line(html_spans, start, start + len(raw))
            for item in _split_html(number, raw, spans):
                items.extend(_split_flattened(item))

    _apply_rules(items, facts)
    _apply_zones(items, facts)
    _remove_running_headers(items)
    return _assemble(items, facts)


def _split_selectors(selectors: Iterable[int | str]) -> tuple[set[int], set[str]]:
    numbers: set[int] = set()
    texts: set[str] = set()
    for selector in selectors:
        if isinstance(selector, bool):
            continue
        if isinstance(selector, int):
            numbers.add(selector)
        elif isinstance(selector, str) and selector.strip():
            texts.add(selector.strip())
    return numbers, texts


def _line_starts(raw_lines: list[str]) -> list[int]:
    starts, offset = [], 0
    for raw in raw_lines:
        starts.append(offset)
        offset += len(raw) + 1
    return starts


# --- Pass 1: HTML residue --------------------------------------------------------------------

_REMOVE, _BREAK = "remove", "break"


def _html_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of HTML residue in the whole text, in order.

    Script/style blocks and comments may span lines; tags may not.
    """
    if "<" not in text:
        return []
    spans: list[tuple[int, int, str]] = []
    position = 0
    blocks = list(HTML_BLOCK_PATTERN.finditer(text))
    for block in [*blocks, None]:
        stop = block.start() if block else len(text)
        for tag in HTML_TAG_PATTERN.finditer(text, position, stop):
            name = (tag.group("name") or "").lower()
            if name and name not in HTML_ELEMENTS and ":" not in name:
                continue  # "<中华人民共和国…>" or "<Python>": text, not a tag
            kind = _BREAK if name in HTML_BREAK_ELEMENTS else _REMOVE
            spans.append((tag.start(), tag.end(), kind))
        if block:
            spans.append((block.start(), block.end(), _REMOVE))
            position = block.end()
    return spans


def _spans_in_line(
    spans: list[tuple[int, int, str]], start: int, end: int
) -> list[tuple[int, int, str]]:
    """The spans (or the parts of multi-line spans) inside one line, in line columns."""
    result = []
    for span_start, span_end, kind in spans:
        if span_end <= start or span_start >= end:
            if span_start > end:
                break
            continue
        result.append((max(span_start, start) - start, min(span_end, end) - start, kind))
    return result


def _split_html(number: int, raw: str, spans: list[tuple[int, int, str]]) -> list[_Item]:
    """Cut HTML out of one line, split it at paragraph ends, decode entities."""
    items: list[_Item] = []
    removals = _tag_removals(number, raw, spans)
    current = _Text("", [])
    cursor = 0

    def close(break_after: bool) -> None:
        nonlocal current
        if strip_line(current.chars):
            items.append(_Item(number, _CONTENT, _decode_entities(current), break_after))
        elif break_after:
            items.append(_Item(number, _GAP, _Text("", []), True))
        current = _Text("", [])

    for span_start, span_end, kind in spans:
        current.chars += raw[cursor:span_start]
        current.columns.extend(range(cursor, span_start))
        cursor = max(cursor, span_end)
        if kind == _BREAK:
            close(True)
    current.chars += raw[cursor:]
    current.columns.extend(range(cursor, len(raw)))
    close(False)

    if not items:  # the line was nothing but HTML
        items.append(_Item(number, _GAP, _Text("", [])))
    items[0].removals.extend(removals)
    return items


# A preview site's 文档简介 is the whole text on one line, its paragraphs (and title and
# headings) set apart by runs of spaces: "…正当时  同志们：  “七一”前夕…  一、…是什么   在革命…".
# Such a line is split at the runs, one paragraph each, when it is long, has at least
# FLATTENED_MIN_BREAKS runs, and two in three of them follow the end of a sentence or a
# clause ("。", "：") or a numbered heading, or come before one: a paragraph that merely
# has two spaces somewhere, or a list of names and posts, stays one line.
FLATTENED_MIN_CHARS = 200
FLATTENED_MIN_BREAKS = 3
# (Two or more spaces between two non-spaces. The test of the character before the run
# comes after its first space, so the engine looks only at spaces: three to five times
# faster on long lines than a lookbehind at every position; tests/test_clean.py.)
FLATTENED_BREAK = re.compile(r"[ \u3000\u00a0](?<=\S[ \u3000\u00a0])[ \u3000\u00a0]+(?=\S)")
FLATTENED_PARAGRAPH_END = "。！？：:”…"


def _split_flattened(item: _Item) -> list[_Item]:
    """A line of flattened paragraphs (see FLATTENED_BREAK) as one item per paragraph,
    each ending in a hard break; any other item as it is."""
    chars = item.text.chars
    if item.status != _CONTENT or len(chars) < FLATTENED_MIN_CHARS:
        return [item]
    breaks = list(FLATTENED_BREAK.finditer(chars))
    if len(breaks) < FLATTENED_MIN_BREAKS:
        return [item]
    starts = [0, *(run.end() for run in breaks)]

    def is_heading(start: int) -> bool:  # (FOOTER_HEADING's ^ matches a slice's start)
        return FOOTER_HEADING.match(chars[start : start + 12]) is not None

    ends = sum(
        1
        for number, run in enumerate(breaks)
        if chars[run.start() - 1] in FLATTENED_PARAGRAPH_END
        or is_heading(starts[number])  # after a numbered heading
        or is_heading(run.end())  # before one
    )
    if 3 * ends < 2 * len(breaks):
        return [item]
    pieces: list[_Item] = []
    start = 0
    for run in [*breaks, None]:
        end = len(chars) if run is None else run.start()
        text = _Text(chars[start:end], item.text.columns[start:end])
        last = run is None
        piece = _Item(item.line, _CONTENT, text, item.break_after if last else True)
        pieces.append(piece)
        if run is not None:
            start = run.end()
    pieces[0].removals.extend(item.removals)
    return pieces


def _tag_removals(number: int, raw: str, spans: list[tuple[int, int, str]]) -> list:
    """One HTML标签 removal per run of adjacent tags (only whitespace between them)."""
    runs: list[list[int]] = []
    for span_start, span_end, _kind in spans:
        if runs and not raw[runs[-1][1] : span_start].strip():
            runs[-1][1] = span_end
        else:
            runs.append([span_start, span_end])
    result = []
    for run_start, run_end in runs:
        fragment = raw[run_start:run_end].strip()
        if fragment:
            result.append((run_start, Removal(number, fragment, HTML_TAG, HTML_TAG_RULE)))
    return result


def _decode_entities(piece: _Text) -> _Text:
    """Decode "&nbsp;", "&ldquo;", "&#12345;", "&#x4e2d;", "&amp;" … (those with a ";")."""
    if "&" not in piece.chars:
        return piece
    chars: list[str] = []
    columns: list[int] = []
    cursor = 0
    for match in HTML_ENTITY_PATTERN.finditer(piece.chars):
        chars.append(piece.chars[cursor : match.start()])
        columns.extend(piece.columns[cursor : match.start()])
        decoded = html.unescape(match.group())
        if decoded == match.group():  # not an entity html knows: leave it as written
            chars.append(decoded)
            columns.extend(piece.columns[match.start() : match.end()])
        else:
            decoded = "".join(" " if c.isspace() else c for c in decoded)
            chars.append(decoded)
            columns.extend([piece.columns[match.start()]] * len(decoded))
        cursor = match.end()
    chars.append(piece.chars[cursor:])
    columns.extend(piece.columns[cursor:])
    return _Text("".join(chars), columns)


# --- Pass 2: the rules ---------------------------------------------------------------------


def _line_rule(
    text: str, *, zones: tuple[Zone, ...], folded: str | None = None, may: int = _EVERY_RULE
) -> tuple[Rule, re.Match[str]] | None:
    """The first LINE/SECTION rule (of the given zones) that claims a stripped line.
    ``folded``: the folded text of the line before stripping, if the caller has it (a
    trigger found in the stripped line is found in it too); ``may``: the prefilter's
    candidates for it."""
    speech_line = None
    if folded is None:
        folded = fold(text)
    for number, rule in enumerate(_LINE_RULES):
        if not may >> number & 1:
            continue
        if rule.zone not in zones:
            continue
        if rule.max_chars is not None and len(text) > rule.max_chars:
            continue
        if rule.trigger is not None and not rule.trigger(folded):
            continue
        if rule.spare_speech_lines:
            if speech_line is None:
                speech_line = SPEECH_LINE.search(text) is not None
            if speech_line:
                continue
        match = rule.pattern.search(text)
        if match:
            return rule, match
    return None


def _apply_rules(items: list[_Item], facts: _Facts) -> None:
    section: Rule | None = None
    blank_since_marker = False
    for item in items:
        if item.status == _BLANK:
            blank_since_marker = True
            continue
        if item.status == _KEPT:
            section = None
            continue
        if item.status != _CONTENT:
            continue
        if section is not None:
            text = item.stripped()
            claimed = _line_rule(text, zones=(ANYWHERE,))
            heading = blank_since_marker and (
                FOOTER_HEADING.search(text) or TITLE_LIKE.search(text)
            )
            # A listed title has Chinese in it and no full stop; prose, a sentence, a
            # heading after a blank line, or a line another rule claims ends the list.
            sentence = SENTENCE_END.search(text) is not None
            if is_prose(text) or sentence or claimed or heading or not HAN.search(text):
                section = None
            else:
                item.remove_whole(section.reason, section.name, section)
                continue
        opened = _apply_line_rules(item, facts)
        if opened is not None:
            section, blank_since_marker = opened, False


def _apply_line_rules(item: _Item, facts: _Facts) -> Rule | None:
    """LINE/SECTION rules, then PREFIX and INLINE ones; return a SECTION rule it opened."""
    for _round in range(4):
        text = item.stripped()
        if not text:
            item.status = _NOISE  # nothing left after prefix/inline removals
            return None
        folded = fold(item.text.chars)  # (once for the three kinds of rules)
        may = _PREFILTER.candidates(folded)
        found = _line_rule(text, zones=(ANYWHERE,), folded=folded, may=may)
        if found:
            rule, match = found
            facts.note(rule, item.line, match)
            item.remove_whole(rule.reason, rule.name, rule)
            return rule if rule.scope == SECTION else None
        prefixed = _apply_prefix_rules(item, facts, folded, may)
        if prefixed:
            folded = fold(item.text.chars)
            may = _PREFILTER.candidates(folded)
        if not (_apply_inline_rules(item, facts, folded, may) | prefixed):
            return None
    return None


def _apply_prefix_rules(item: _Item, facts: _Facts, folded: str, may: int) -> bool:
    """``folded``: the item's text folded (triggers.fold); ``may``: its candidates."""
    changed = False
    for number, rule in enumerate(_PREFIX_RULES, _PREFIX_BIT):
        if not may >> number & 1:
            continue
        piece = item.text
        if rule.trigger is not None and not rule.trigger(folded):
            continue
        indent = len(piece.chars) - len(piece.chars.lstrip())
        match = rule.pattern.match(piece.chars, indent)
        if match and match.end() > match.start() and piece.chars[match.end() :].strip():
            _cut(item, match, rule, facts)
            folded = fold(piece.chars)
            may = _PREFILTER.candidates(folded)  # (a cut can join two pieces into a string)
            changed = True
    return changed


def _apply_inline_rules(item: _Item, facts: _Facts, folded: str, may: int) -> bool:
    """``folded``: the item's text folded (triggers.fold); ``may``: its candidates."""
    changed = False
    for number, rule in enumerate(_INLINE_RULES, _INLINE_BIT):
        if not may >> number & 1:
            continue
        if rule.trigger is not None and not rule.trigger(folded):
            continue
        piece = item.text
        matches = [m for m in rule.pattern.finditer(piece.chars) if strip_line(m.group())]
        for match in reversed(matches):  # from the right: earlier offsets stay valid
            _cut(item, match, rule, facts)
            changed = True
        if matches:
            folded = fold(item.text.chars)
            may = _PREFILTER.candidates(folded)
    return changed


def _cut(item: _Item, match: re.Match[str], rule: Rule, facts: _Facts) -> None:
    """Remove a matched fragment from the piece and log it at its source column."""
    piece = item.text
    fragment = strip_line(match.group())
    item.removals.append(
        (piece.column(match.start()), Removal(item.line, fragment, rule.reason, rule.name))
    )
    facts.note(rule, item.line, match)
    piece.cut(match.start(), match.end())


# --- Pass 3: head and tail zones ---------------------------------------------------------------


def _apply_zones(items: list[_Item], facts: _Facts) -> None:
    body = [
        index
        for index, item in enumerate(items)
        if item.status in (_CONTENT, _KEPT) and is_prose(item.text.chars)
    ]
    if not body:
        return  # no prose at all: we cannot tell the edges from the body, so leave it
    first, last = body[0], body[-1]
    head = range(0, first)
    tail = range(last + 1, len(items))

    for zone_range, zones in ((head, (EDGES,)), (tail, (EDGES, TAIL))):
        for index in zone_range:
            item = items[index]
            if item.status != _CONTENT:
                continue
            found = _line_rule(item.stripped(), zones=zones)
            if found:
                rule, match = found
                facts.note(rule, item.line, match)
                item.remove_whole(rule.reason, rule.name, rule)

    for zone_range in (head, tail):
        _remove_ad_blocks(items, zone_range)
    _remove_footer_block(items, tail)


def _remove_ad_blocks(items: list[_Item], zone: range) -> None:
    """Short lines sandwiched between two removed lines are part of the same ad block.

    Lines the editor dropped are not site noise and bound no block. A line glued (no blank
    line) to the removed line on one side only, e.g. the header "【打击倒卖活动】" above a
    membership notice, takes that line's reason if it is an ad kind (AD_BLOCK_REASONS).
    """
    noise = [
        index
        for index in zone
        if items[index].status == _NOISE
        and items[index].removals
        and items[index].removals[-1][1].rule != EDITOR_DROP_RULE
    ]
    for left, right in itertools.pairwise(noise):
        between = range(left + 1, right)
        content = [index for index in between if items[index].status == _CONTENT]
        if not content or any(items[index].status == _KEPT for index in between):
            continue
        if not all(is_short_filler(items[index].stripped()) for index in content):
            continue
        for index in content:
            blank_before = any(items[k].status == _BLANK for k in range(left + 1, index))
            blank_after = any(items[k].status == _BLANK for k in range(index + 1, right))
            neighbour = items[right] if blank_before and not blank_after else items[left]
            reason = neighbour.removals[-1][1].reason
            items[index].remove_whole(reason if reason in AD_BLOCK_REASONS else AD, AD_BLOCK_RULE)


def _remove_footer_block(items: list[_Item], tail: range) -> None:
    """After a footer line in the tail zone, the short lines that follow are footer too."""
    opened = False
    for index in tail:
        item = items[index]
        if item.status == _NOISE and item.rule is not None and item.rule.footer:
            opened = True
        elif opened and item.status == _KEPT:
            return
        elif opened and item.status == _CONTENT:
            text = item.stripped()
            if (
                _visible_length(text) >= SHORT_LINE_CHARS
                or SENTENCE_END.search(text)
                or FOOTER_HEADING.search(text)
            ):
                return
            item.remove_whole(AD, FOOTER_BLOCK_RULE)


_INNER_PUNCTUATION = re.compile(r"[，。、；：！？,.;:!?“”\"]")


def _is_sure_furniture(text: str) -> bool:
    furniture = furniture_of(text)
    return furniture is not None and furniture.sure


def _remove_running_headers(items: list[_Item]) -> None:
    """A short bare line (no punctuation, not a heading or title) that recurs at least
    RUNNING_HEADER_MIN_REPEATS times is a PDF's running header or footer; so is one that
    recurs at least twice and only ever at a page's edge (the first or last line of the
    copy, or next to a removed page number), even the first line of all.

    Otherwise the first content line that is no site furniture is the title candidate and
    is left alone: structure() logs its repeats as 重复标题. An editor can keep a line that
    really recurs with the sidecar.
    """
    content = [item for item in items if item.status == _CONTENT]
    # (Site furniture above the title, "行政 导航", is no title candidate.)
    lines = (item.stripped() for item in content)
    title = next((text for text in lines if not _is_sure_furniture(text)), None)  # the first
    counts = Counter(item.stripped() for item in content)
    edges = _page_edges(items)
    at_edges = Counter(items[i].stripped() for i in edges)
    for item in content:
        text = item.stripped()
        if counts[text] < 2 or not (  # (most lines come once: the cheap test first)
            is_short_filler(text)
            and not FOOTER_HEADING.search(text)
            and not _INNER_PUNCTUATION.search(text)
        ):
            continue
        paged = counts[text] >= 2 and at_edges[text] == counts[text]
        if paged or (counts[text] >= RUNNING_HEADER_MIN_REPEATS and text != title):
            item.remove_whole(RUNNING_HEADER, RUNNING_HEADER_RULE)


def _page_edges(items: list[_Item]) -> set[int]:
    """Indexes of the content lines at a page's edge: the first and last of the copy, and
    those next to a removed page number (blank lines between). None without page numbers:
    then nothing says where a page ends."""
    kept = [i for i, item in enumerate(items) if item.status == _CONTENT]
    markers = [
        i
        for i, item in enumerate(items)
        if item.rule is not None and item.rule.reason == PAGE_NUMBER
    ]
    if not kept or not markers:
        return set()
    edges = {kept[0], kept[-1]}
    for marker in markers:
        for step in (-1, 1):
            i = marker + step
            while 0 <= i < len(items) and items[i].status == _BLANK:
                i += step
            if 0 <= i < len(items) and items[i].status == _CONTENT:
                edges.add(i)
    return edges


# --- Assembly ------------------------------------------------------------------------------------


def _assemble(items: list[_Item], facts: _Facts) -> Cleaned:
    lines: list[SourceLine] = []
    removals: list[tuple[int, int, int, Removal]] = []
    for order, item in enumerate(items):
        for column, removal in item.removals:
            removals.append((removal.line, column, order, removal))
        if item.status == _BLANK:
            lines.append(SourceLine(item.line, ""))
        elif item.status in (_CONTENT, _KEPT):
            lines.append(SourceLine(item.line, item.text.chars, item.break_after))
        elif item.break_after and lines and lines[-1].text.strip():
            lines[-1] = replace(lines[-1], hard_break=True)
    removals.sort(key=lambda entry: entry[:3])
    return Cleaned(
        lines=tuple(lines),
        removed=tuple(entry[3] for entry in removals),
        captured=tuple(facts.captured),
        truncation_markers=tuple(sorted(facts.truncation_markers)),
        end_marks=tuple(sorted(facts.end_marks)),
        gaps=tuple(sorted(facts.gaps)),
    )
