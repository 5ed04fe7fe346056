"""The synthetic corpus of the benchmark (``scripts/bench.py``), written as two projects.

N dirty raw speeches of about 8,000 characters each, made from the sentences of the bundled
speeches (cleaned by the real pipeline), half of them GB18030, with site noise mixed in (a
document password, QQ groups, page numbers, share prompts, breadcrumbs), and a glossary: the
real ``glossary.yml``, or the real one plus synthetic concepts up to T terms (phrases cut from
the corpus itself, so they occur often: the worst case).

The same text, without the noise, is also written as plain Markdown pages for the baseline:
bare Material for MkDocs with ``search: lang: zh`` (jieba installed), as the issue measured it.

Nothing here measures anything; everything is deterministic for a given seed.
"""

from __future__ import annotations

import random
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "scripts") not in sys.path:
    sys.path.insert(0, str(ROOT / "scripts"))

SPEECH_CHARS = 8000
NOISE = [
    "本文档编辑密码：bench2024",
    "会员群：12345678  免费QQ群：87654321",
    "第2页/共5页",
    "- 7 -",
    "微信扫一扫在手机阅读、分享本文",
    "阅读全文>>",
    "当前位置：首页 > 范文大全 > 讲话稿",
]
CN_NUMBERS = "一二三四五六七八九十"
#: The project files a Pizhu site needs besides sources/ and glossary.yml.
PROJECT_FILES = ("mkdocs.yml",)
PROJECT_DIRS = ("scripts", "overrides", "docs")

MATERIAL_MKDOCS_YML = """\
# Bare Material for MkDocs: the baseline of scripts/bench.py (the same speeches as plain
# Markdown; Chinese search segmented by jieba, as Material does when jieba is installed).
site_name: 讲话学习
theme:
  name: material
  language: zh
plugins:
  - search:
      lang: zh
"""


@dataclass(frozen=True)
class Synthetic:
    """One synthetic speech: the raw source as collected, and its text as plain Markdown."""

    slug: str
    raw: str
    markdown: str
    chars: int


def seed_sentences() -> list[str]:
    """Sentences of the bundled speeches (cleaned), the material for synthetic ones."""
    from pizhu.generate import load_speeches

    found: list[str] = []
    for speech in load_speeches(ROOT):
        for block in speech.paragraphs:
            found.extend(s + "。" for s in block.text.split("。") if len(s) > 8)
    if not found:
        raise SystemExit("sources/*.txt: no sentences found; the benchmark needs sample text")
    return found


def synthetic_speech(rng: random.Random, pool: list[str], number: int) -> Synthetic:
    title = f"合成讲话第{number}号：在全市第{number}次工作会议上的讲话"
    raw = [title, "同志们："]
    markdown = [f"# {title}", "同志们："]
    chars, section = 0, 0
    while chars < SPEECH_CHARS:
        if chars >= section * 2000:
            heading = f"{CN_NUMBERS[section % 10]}、第{section + 1}部分工作要求"
            raw.append(heading)
            markdown.append(f"## {heading}")
            section += 1
        paragraph = "".join(rng.choice(pool) for _ in range(rng.randint(3, 7)))
        raw.append(paragraph)
        markdown.append(paragraph)
        chars += len(paragraph)
        if rng.random() < 0.1:
            raw.append(rng.choice(NOISE))
    raw.append("谢谢大家！")
    markdown.append("谢谢大家！")
    return Synthetic(
        slug=f"bench-{number:05d}",
        raw="\n".join(raw) + "\n",
        markdown="\n\n".join(markdown) + "\n",
        chars=chars,
    )


def glossary_size(text: str) -> int:
    return text.count("\n  term: ")


def synthetic_glossary(rng: random.Random, pool: list[str], terms: int) -> str:
    """The real glossary plus synthetic entries (phrases cut from the corpus) up to ``terms``."""
    text = (ROOT / "glossary.yml").read_text(encoding="utf-8")
    taken = {t for t in re.findall(r"[\u4e00-\u9fff“”、，]{2,}", text) if len(t) >= 4}
    extra: list[str] = []
    count = glossary_size(text)
    seen: set[str] = set()
    while count + len(extra) < terms:
        sentence = rng.choice(pool)
        start = rng.randrange(max(1, len(sentence) - 8))
        phrase = sentence[start : start + rng.randint(4, 7)]
        if not re.fullmatch(r"[\u4e00-\u9fff]{4,7}", phrase) or phrase in seen:
            continue
        if any(phrase in t or t in phrase for t in taken):
            continue
        seen.add(phrase)
        extra.append(
            f"syn-{len(extra):05d}:\n  term: {phrase}\n  category: 政治理论\n"
            f"  summary: 合成概念{len(extra)}。\n  definition: 合成概念，仅用于性能测试。\n"
        )
    if not extra:
        return text
    return text.rstrip("\n") + "\n\n" + "\n".join(extra)


@dataclass(frozen=True)
class Corpus:
    """N synthetic speeches and the glossaries of the benchmark, kept in memory."""

    speeches: list[Synthetic]
    glossary: str  # the real glossary.yml
    large_glossary: str  # the real one plus synthetic concepts

    @property
    def chars(self) -> int:
        return sum(s.chars for s in self.speeches)


def make_corpus(n: int, terms: int, seed: int = 1) -> Corpus:
    rng = random.Random(seed)
    pool = seed_sentences()
    speeches = [synthetic_speech(rng, pool, i + 1) for i in range(n)]
    glossary = (ROOT / "glossary.yml").read_text(encoding="utf-8")
    return Corpus(speeches, glossary, synthetic_glossary(rng, pool, terms))


def _ignore_generated(folder: str, names: list[str]) -> set[str]:
    """Leave out generated pages and caches when copying the project's docs/ and code."""
    from pizhu.generate import GENERATED_DIRS, GENERATED_FILES

    skip = {"__pycache__"}
    if Path(folder).resolve() == (ROOT / "docs").resolve():
        skip |= set(GENERATED_DIRS) | set(GENERATED_FILES)
    if Path(folder).resolve() == (ROOT / "docs" / "assets").resolve():
        skip.add("generated")
    return skip & set(names)


def write_pizhu_project(dest: Path, corpus: Corpus, *, large_glossary: bool = False) -> Path:
    """A Pizhu project at ``dest``: this project's site machinery, the synthetic sources/
    (odd-numbered speeches in GB18030) and a glossary; no generated pages."""
    dest.mkdir(parents=True)
    for name in PROJECT_FILES:
        shutil.copy2(ROOT / name, dest / name)
    for folder in PROJECT_DIRS:
        shutil.copytree(ROOT / folder, dest / folder, ignore=_ignore_generated)
    sources = dest / "sources"
    sources.mkdir()
    for i, speech in enumerate(corpus.speeches):
        data = speech.raw.encode("gb18030") if i % 2 else speech.raw.encode("utf-8")
        (sources / f"{speech.slug}.txt").write_bytes(data)
    glossary = corpus.large_glossary if large_glossary else corpus.glossary
    (dest / "glossary.yml").write_text(glossary, encoding="utf-8")
    return dest


def write_material_project(dest: Path, corpus: Corpus) -> Path:
    """The baseline project: the same speeches as plain Markdown pages, bare Material."""
    docs = dest / "docs" / "speeches"
    docs.mkdir(parents=True)
    (dest / "mkdocs.yml").write_text(MATERIAL_MKDOCS_YML, encoding="utf-8")
    (dest / "docs" / "index.md").write_text("# 讲话学习\n\n合成讲话。\n", encoding="utf-8")
    for speech in corpus.speeches:
        (docs / f"{speech.slug}.md").write_text(speech.markdown, encoding="utf-8")
    return dest
