"""Suggest key sentences (金句) for an editor: the sentences people quote in a 发言 or a
心得体会 have a recognisable shape. Each shape is a named rule with the reason the editor
sees; a sentence's score is the sum of its rules' weights (shorter sentences first among
equals). ``build.py quotes`` prints the best ones as YAML to paste under ``key_sentences``.

It proposes; the editor decides. Only paragraphs are read (never the title or headings);
a sentence that starts like an item of a list (一是, 第二, （三）, 4.) or leads into one
(ends with ：), and a sentence longer than MAX_LENGTH, is never proposed. Nor is a run-in
heading: the first sentence of LEAD_RUN or more paragraphs in a row that all open with a
short sentence of the same shape (坚定政治立场，做到“两个维护”。 / 严守纪律规矩，永葆清廉本色。
/ …): a list of points whose numbers the speaker left out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import yaml

from .annotate import SpeechText, fold_quote
from .model import Speech

MIN_LENGTH = 6  # characters of a candidate, punctuation not counted
MAX_LENGTH = 60
SHORT_LENGTH = 30  # a candidate this short or shorter ranks first among equals
DEFAULT_LIMIT = 8  # candidates printed per speech
LEAD_RUN = 3  # paragraphs in a row opening alike make their openings run-in headings
LEAD_LENGTH = 16  # an opening sentence this short or shorter may be a run-in heading

_PUNCTUATION = re.compile(r"[\s，。；：、！？“”‘’（）《》「」『』…—,.;:!?\"'()]")
# A sentence ends at 。！？ (with a closing quote that follows them).
_SENTENCE = re.compile(r"[^。！？]+(?:[。！？]+[”’」』]?|$)")
_CLAUSE_SPLIT = re.compile(r"[，；、]")
# A sentence that is an item of a list, or introduces one.
_LIST_ITEM = re.compile(
    r"""^(?:
        [一二三四五六七八九十]+(?:是|要|、)      # 一是 二要 三、
      | 第[一二三四五六七八九十]+[，、是]?        # 第一，第二是
      | [（(][一二三四五六七八九十\d]+[）)]     # （三） (4)
      | \d+[.、．]                           # 4. 4、
      | 其[一二三四五六七八九十]               # 其一
      | 首先 | 其次 | 再次 | 最后
    )""",
    re.VERBOSE,
)
# Greetings and the speaker's own framing: never a key sentence however they are shaped.
_FORMULA = re.compile(r"同志们|谢谢大家|我就讲这些|下面，?我|讲几点意见|讲几点看法|借此机会")


# A sentence that lists things: "包括……", "……等。".
_ENUMERATION = re.compile(r"包括|等[。；]?$|等等")


def text_length(text: str) -> int:
    """Characters that count: punctuation and spaces left out."""
    return len(_PUNCTUATION.sub("", text))


def _clauses(sentence: str) -> list[str]:
    return [part.strip() for part in _CLAUSE_SPLIT.split(sentence.rstrip("。！？”’"))]


def has_parallel_clauses(sentence: str) -> bool:
    """Three or more clauses in a row that start alike: the same first two characters
    (以案为鉴、以案促改、以案促治; the first may have a lead-in: 要以案为鉴), or, between ，or ；, the same first character
    (要…，要…，要…). Items of an enumeration (一是…，二是…) start differently, and a
    list of things (包括…、…、…等) is an enumeration, not a parallel."""
    if _ENUMERATION.search(sentence):
        return False
    parts = re.split(r"([，；、])", sentence.rstrip("。！？”’"))
    clauses = parts[0::2]
    separators = parts[1::2]
    run = 1
    for i in range(1, len(clauses)):
        before, here = clauses[i - 1].strip(), clauses[i].strip()
        if len(before) < 2 or len(here) < 2:
            run = 1
            continue
        # The first clause of a run may carry a lead-in word (要以案为鉴、以案促改).
        same = here[:2] in (before[:4] if run == 1 else before[:2])
        if not same and separators[i - 1] != "、" and text_length(here) >= 3:
            same = before[0] == here[0] and not here[0].isdigit()
        run = run + 1 if same else 1
        if run >= 3:
            return True
    return False


def is_balanced_pair(sentence: str) -> bool:
    """Two short clauses of (nearly) the same length, 4 to 9 characters each:
    严管就是厚爱，宽松软就是害; 群众看公安，关键看派出所."""
    clauses = [c for c in _clauses(sentence) if c]
    if len(clauses) != 2:
        return False
    a, b = (text_length(c) for c in clauses)
    return 4 <= a <= 9 and 4 <= b <= 9 and abs(a - b) <= 1


@dataclass(frozen=True)
class QuoteRule:
    """One shape of a quotable sentence: a regular expression or a test, the reason the
    editor reads, and how much it counts."""

    name: str
    reason: str
    weight: int
    pattern: str | None = None
    test: Callable[[str], bool] | None = None
    length: tuple[int, int] | None = None  # only sentences of this length (text_length)

    def applies(self, sentence: str) -> bool:
        if self.length is not None:
            low, high = self.length
            if not low <= text_length(sentence) <= high:
                return False
        if self.pattern is not None and not re.search(self.pattern, sentence, re.VERBOSE):
            return False
        return self.test is None or self.test(sentence)


RULES: tuple[QuoteRule, ...] = (
    QuoteRule(
        "antithesis",
        "对举：X就是Y，Z就是W",
        3,
        pattern=r"就是[^，。；！？]{1,14}[，；]\s*[^，。；！？]{1,14}就是",
    ),
    QuoteRule(
        "contrast",
        "对比：不是……而是……（不仅……更……）",
        2,
        pattern=r"(?:不是|不在于|不仅|不能只)[^。！？]{1,24}[，；]\s*(?:而是|而在于|更是|更要)",
    ),
    QuoteRule("parallel", "排比：三个以上句式相同的分句", 2, test=has_parallel_clauses),
    QuoteRule(
        "leader-quote",
        "引用领导原话（“……”）",
        2,
        pattern=r"""(?:强调|指出|要求|告诫|提出|讲过|说过|曾说|指示|所说)
                    [：:，,]?\s*“[^”]{6,60}”""",
    ),
    QuoteRule(
        "balanced-pair",
        "警句：前后两半字数相当的短句",
        2,
        test=is_balanced_pair,
        length=(8, 24),
    ),
    QuoteRule(
        "maxim",
        "警句：含“必须、才能、始终、关键在于”等的短句",
        1,
        pattern=r"必须|才能|才是|始终|永远|只有|根本在于|关键在于|关键看",
        length=(MIN_LENGTH, 16),
    ),
)


@dataclass(frozen=True)
class Candidate:
    """A suggested key sentence: where it is, why, and how it ranks."""

    sentence: str
    paragraph: int
    rules: tuple[str, ...]
    reasons: tuple[str, ...]
    score: int
    nth: int | None = None  # set when the sentence occurs more than once


def sentences(paragraph: str) -> list[str]:
    """The sentences of a paragraph, each with its end mark (and closing quote)."""
    return [match.group(0).strip() for match in _SENTENCE.finditer(paragraph) if match.group(0)]


def is_excluded(sentence: str) -> bool:
    """Never proposed: list items and what introduces them, greetings and the speaker's
    framing, sentences too short or too long."""
    length = text_length(sentence)
    return (
        bool(_LIST_ITEM.match(sentence))
        or bool(_FORMULA.search(sentence))
        or sentence.rstrip().endswith(("：", ":"))
        or not MIN_LENGTH <= length <= MAX_LENGTH
    )


def _lead_shape(paragraph: str) -> tuple[int, ...] | None:
    """The shape of a paragraph's opening sentence when it could be a run-in heading (a
    short sentence of two or three clauses, followed by more text): its clause lengths."""
    found = sentences(paragraph)
    if len(found) < 2 or text_length(found[0]) > LEAD_LENGTH:
        return None
    clauses = [c for c in _clauses(found[0]) if c]
    return tuple(text_length(c) for c in clauses) if 2 <= len(clauses) <= 3 else None


def run_in_headings(paragraphs: Sequence[str]) -> set[int]:
    """Indexes (into ``paragraphs``) whose opening sentence is a run-in heading: LEAD_RUN
    or more consecutive paragraphs open with short sentences with as many clauses, of
    lengths within one character of each other."""

    def alike(a: tuple[int, ...] | None, b: tuple[int, ...] | None) -> bool:
        return (
            a is not None
            and b is not None
            and len(a) == len(b)
            and all(abs(x - y) <= 1 for x, y in zip(a, b, strict=True))
        )

    shapes = [_lead_shape(p) for p in paragraphs]
    found: set[int] = set()
    start = 0
    for i in range(1, len(shapes) + 1):
        if i < len(shapes) and alike(shapes[i - 1], shapes[i]):
            continue
        if i - start >= LEAD_RUN and shapes[start] is not None:
            found.update(range(start, i))
        start = i
    return found


def rules_for(sentence: str, rules: Sequence[QuoteRule] = RULES) -> list[QuoteRule]:
    """The rules a sentence meets ([] for an excluded sentence)."""
    if is_excluded(sentence):
        return []
    return [rule for rule in rules if rule.applies(sentence)]


def yaml_scalar(text: str) -> str:
    """``text`` as a YAML scalar on one line: plain when YAML reads it back unchanged,
    else double-quoted (JSON's escaping is YAML's).

    >>> yaml_scalar("严管就是厚爱，宽松软就是害。"), yaml_scalar("要求：“严”")
    ('严管就是厚爱，宽松软就是害。', '"要求：“严”"')
    """
    try:
        plain = yaml.safe_load(f"- {text}") == [text]
    except yaml.YAMLError:
        plain = False
    return (
        text
        if plain and ": " not in text and "：" not in text
        else json.dumps(text, ensure_ascii=False)
    )


def format_suggestions(candidates: Sequence[Candidate], source: str, sidecar: str) -> str:
    """The candidates as a YAML document ready to paste into the sidecar: one item per
    sentence with where it is and why as a comment."""
    out = [
        f"# 候选金句：{source}（{len(candidates)} 句，按得分从高到低）",
        f"# 选 3–6 句粘贴到 {sidecar} 的 key_sentences 下；每句后面是段落和入选理由。",
    ]
    if not candidates:
        out.append("# 没有找到符合规则的句子。")
        return "\n".join(out) + "\n"
    out.append("key_sentences:")
    for candidate in candidates:
        why = f"# 第{candidate.paragraph}段 · " + "；".join(candidate.reasons)
        quote = yaml_scalar(candidate.sentence)
        if candidate.nth is not None:
            out.append(
                f"  - {{quote: {json.dumps(candidate.sentence, ensure_ascii=False)},"
                f" nth: {candidate.nth}}}  {why}"
            )
        else:
            out.append(f"  - {quote}  {why}")
    return "\n".join(out) + "\n"


def suggest(
    speech: Speech, *, limit: int | None = DEFAULT_LIMIT, rules: Sequence[QuoteRule] = RULES
) -> list[Candidate]:
    """Candidate key sentences of a speech, best first; the speech's own key_sentences
    are left out. Ties: shorter first, then text order."""
    text = SpeechText(speech)
    chosen = {fold_quote(k.text) for k in speech.key_sentences}
    found: list[tuple[tuple, Candidate]] = []
    position = 0
    paragraphs = [block.text for block in speech.blocks if block.kind == "paragraph"]
    headings = run_in_headings(paragraphs)
    for number, paragraph in enumerate(paragraphs, 1):
        for index, sentence in enumerate(sentences(paragraph)):
            position += 1
            if index == 0 and number - 1 in headings:
                continue
            met = rules_for(sentence, rules)
            if not met:
                continue
            folded = fold_quote(sentence)
            if any(folded in c or c in folded for c in chosen):
                continue
            places = text.find(folded)
            nth = None
            if len(places) > 1:
                here = [p for p in places if text.paragraphs.get(p.block) == number]
                nth = places.index(here[0]) + 1 if here else None
            score = sum(rule.weight for rule in met)
            short = text_length(sentence) <= SHORT_LENGTH
            candidate = Candidate(
                sentence=sentence,
                paragraph=number,
                rules=tuple(rule.name for rule in met),
                reasons=tuple(rule.reason for rule in met),
                score=score,
                nth=nth,
            )
            found.append(((-score, not short, position), candidate))
    found.sort(key=lambda item: item[0])
    ranked = [candidate for _, candidate in found]
    return ranked if limit is None else ranked[:limit]
