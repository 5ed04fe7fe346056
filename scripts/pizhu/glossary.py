"""Load and validate glossary.yml: the concepts (枫桥经验, 四种形态, 两个维护 …) the site explains.

The file is user input, so it is validated like a config file (see mkdocs' config options):
known fields only, types checked, duplicate keys refused, and every message names
``file:line`` and the fix, e.g.::

    glossary.yml:41: alias '从严治警' is already used by entry 'cong-yan-zhi-dang' (line 12); remove one of them

Shape of one entry (the key is the term id; it becomes the page URL)::

    si-feng:
      term: 四风
      aliases: [形式主义、官僚主义、享乐主义和奢靡之风]
      category: 纪律作风
      summary: 形式主义、官僚主义、享乐主义和奢靡之风。     # one line, for tooltips
      definition: |                                         # Markdown
        …
      related: [si-zhong-xingtai]
      source: …                                             # optional

A surface form (a term or one of its aliases) may belong to one entry only, so that
link.py can map every match to exactly one page.

A definition may link to other pages of the site, relative to the concept's page
(``si-zhong-xingtai.md``, ``../about.md``); never outside the site (it is read without
internet). Such links are checked when the file is loaded (:func:`check_definition_links`
with the site's files), not by MkDocs after site/ has been overwritten.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import markdown

from .errors import GlossaryError
from .variants import form_key
from .yamlutil import line_of, load_yaml_text, read_yaml_source

# The fixed set of categories; the site groups term pages by them, in this order.
CATEGORIES: tuple[str, ...] = ("政治理论", "党的建设", "纪律作风", "公安工作", "队伍建设")

# Field name -> (expected Python type, required?). Order is the order messages list them.
FIELDS: dict[str, tuple[type, bool]] = {
    "term": (str, True),
    "aliases": (list, False),
    "category": (str, True),
    "summary": (str, True),
    "definition": (str, True),
    "related": (list, False),
    "source": (str, False),
}

# Hard limit enforced when loading; the bundled glossary keeps to SUMMARY_TARGET (a test
# checks it) so tooltips stay one line on a phone.
SUMMARY_MAX = 80
SUMMARY_TARGET = 60

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# What to write when a required field is missing.
_MISSING_HINTS = {
    "term": "add the canonical form of the concept, e.g. term: 四风",
    "category": "add one of " + ", ".join(CATEGORIES),
    "summary": f"add a one-line summary (at most {SUMMARY_TARGET} characters) for tooltips",
    "definition": "add a few neutral sentences of Markdown",
}


@dataclass(frozen=True)
class Term:
    """One glossary entry. ``line`` is the line of its id in glossary.yml."""

    id: str
    term: str
    aliases: tuple[str, ...]
    category: str
    summary: str
    definition: str
    related: tuple[str, ...] = ()
    source: str | None = None
    line: int = 0

    @property
    def forms(self) -> tuple[str, ...]:
        """The canonical form first, then the aliases."""
        return (self.term, *self.aliases)


@dataclass(frozen=True)
class DefinitionLink:
    """A link or image address in an entry's definition, and the line it is written on."""

    term_id: str
    target: str
    line: int


@dataclass(frozen=True)
class Glossary:
    """All entries, in file order."""

    terms: tuple[Term, ...]
    path: str = ""
    links: tuple[DefinitionLink, ...] = ()

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms)

    def __len__(self) -> int:
        return len(self.terms)

    def by_id(self, term_id: str) -> Term:
        """The entry with this id (KeyError if there is none)."""
        for term in self.terms:
            if term.id == term_id:
                return term
        raise KeyError(term_id)

    def forms(self) -> dict[str, str]:
        """Every surface form (term and aliases) -> the id of its entry, in file order."""
        return {form: term.id for term in self.terms for form in term.forms}

    def categories(self) -> dict[str, tuple[Term, ...]]:
        """Category -> its entries, in the order of CATEGORIES (empty ones left out)."""
        grouped = {name: tuple(t for t in self.terms if t.category == name) for name in CATEGORIES}
        return {name: terms for name, terms in grouped.items() if terms}


def load_glossary(path: Path, name: str | None = None) -> Glossary:
    """Read and validate a glossary file; raise GlossaryError naming ``file:line``.

    ``name`` is how messages call the file (default: ``path`` as given).
    """
    shown = name or str(path)
    return parse_glossary(read_yaml_source(path, GlossaryError, shown), shown)


def glossary_problems(
    text: str, path: str | Path = "glossary.yml"
) -> tuple[Glossary | None, list[GlossaryError]]:
    """Every problem of a glossary file (``build.py check``), and the glossary made of its
    right entries (None when the file cannot be read as a glossary at all).

    The validator stops at the first problem; the entry it is in is set aside and the rest
    validated again, until no problem is left. Entries that relate to one set aside are
    not blamed for it.
    """
    try:
        data = load_yaml_text(text, path, GlossaryError)
    except GlossaryError as error:
        return None, [error]
    problems: list[GlossaryError] = []
    set_aside: set[str] = set()
    while True:
        validator = _Validator(str(path), text)
        validator.known_ids = set_aside
        try:
            return validator.build(data), problems
        except GlossaryError as error:
            problems.append(error)
            key = _entry_at(data, error.line)
            if key is None or not isinstance(data, dict) or len(data) <= 1:
                return None, problems
            set_aside.add(str(key))
            rest = type(data)((k, v) for k, v in data.items() if k != key)
            rest.line, rest.lines = data.line, {k: n for k, n in data.lines.items() if k != key}
            data = rest


def _entry_at(data: Any, line: int | None) -> Any:
    """The top-level key of the entry that contains ``line`` (None: not in an entry)."""
    if not isinstance(data, dict) or line is None or not getattr(data, "lines", None):
        return None
    found = None
    for key, start in sorted(data.lines.items(), key=lambda item: item[1]):
        if start <= line:
            found = key
    return found


def parse_glossary(text: str, path: str | Path = "glossary.yml") -> Glossary:
    """Validate glossary YAML given as text (``path`` is only used in messages).

    >>> g = parse_glossary("si-feng:\\n  term: 四风\\n  category: 纪律作风\\n"
    ...                    "  summary: 形式主义等。\\n  definition: 见正文。\\n")
    >>> g.forms()
    {'四风': 'si-feng'}
    """
    data = load_yaml_text(text, path, GlossaryError)
    return _Validator(str(path), text).build(data)


# --- validation ---------------------------------------------------------------------------


def _type_name(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__  # pragma: no cover - dates etc. are caught as "not a string"


class _Validator:
    """Walks the parsed YAML once, in file order, and raises at the first problem."""

    def __init__(self, path: str, text: str = "") -> None:
        self.path = path
        self.text_lines = text.splitlines()
        # surface form -> (entry id, line where that form is written)
        self.owners: dict[str, tuple[str, int]] = {}
        # variants.form_key of a form -> (entry id, line, the form as written there)
        self.variants: dict[str, tuple[str, int, str]] = {}
        # Ids of entries left out because they are wrong (glossary_problems): other
        # entries may still relate to them.
        self.known_ids: set[str] = set()

    def fail(self, message: str, line: int | None, hint: str) -> GlossaryError:
        return GlossaryError(message, path=self.path, line=line, hint=hint)

    def build(self, data: Any) -> Glossary:
        if data is None:
            raise self.fail("the glossary is empty", 1, "add at least one entry")
        if not isinstance(data, dict):
            raise self.fail(
                f"the glossary must be a mapping of term ids to entries, not {_type_name(data)}",
                line_of(data, default=1),
                "write one 'some-id:' key per concept at the top level",
            )
        terms = [self.entry(key, value, _line(data, key, 1)) for key, value in data.items()]
        ids = {term.id for term in terms} | self.known_ids
        for term, (key, value) in zip(terms, data.items(), strict=True):
            self.check_related(term, value.get("related") or [], ids, key)
        ends = [term.line for term in terms[1:]] + [len(self.text_lines) + 1] if terms else []
        links: list[DefinitionLink] = []
        for term, end, value in zip(terms, ends, data.values(), strict=True):
            links += self.links(term, _line(value, "definition", term.line), end)
        return Glossary(terms=tuple(terms), path=self.path, links=tuple(links))

    def links(self, term: Term, start: int, end: int) -> list[DefinitionLink]:
        """The link addresses in ``term``'s definition, each with the line it is on (the
        first line from the definition's key to the next entry that contains it)."""
        found = []
        for target in definition_targets(term.definition):
            line = next(
                (
                    number
                    for number in range(start, min(end, len(self.text_lines) + 1))
                    if target in self.text_lines[number - 1]
                ),
                start,
            )
            link = DefinitionLink(term.id, target, line)
            problem = _outside_problem(target)
            if problem:
                raise self.fail(f"the definition of '{term.id}' {problem[0]}", line, problem[1])
            found.append(link)
        return found

    def entry(self, key: Any, value: Any, line: int) -> Term:
        if not isinstance(key, str) or not ID_PATTERN.match(key):
            raise self.fail(
                f"term id '{key}' is not a lowercase ASCII id",
                line,
                "use kebab-case pinyin such as 'fengqiao-jingyan' (it becomes the page URL)",
            )
        if not isinstance(value, dict):
            raise self.fail(
                f"entry '{key}' must be a mapping of fields, not {_type_name(value)}",
                line,
                "indent its fields (term, category, summary, definition …) under the id",
            )
        for name in value:
            if name not in FIELDS:
                raise self.fail(
                    f"unknown field '{name}' in entry '{key}'",
                    _line(value, name, line),
                    _unknown_field_hint(str(name)),
                )
        for name, (kind, required) in FIELDS.items():
            field_line = _line(value, name, line)
            given = value.get(name)
            if given is None or (isinstance(given, str) and not given.strip()):
                if required:
                    raise self.fail(
                        f"entry '{key}' has no {name}", field_line, _MISSING_HINTS[name]
                    )
                continue
            if not isinstance(value[name], kind):
                want = "a list of strings" if kind is list else "a string"
                raise self.fail(
                    f"field '{name}' of entry '{key}' must be {want}, not {_type_name(value[name])}",
                    field_line,
                    "write it as a YAML list ([a, b] or one '- a' per line)"
                    if kind is list
                    else "quote the value",
                )
        term = self.form(value["term"], key, _line(value, "term", line), "term")
        aliases = self.string_list(value, "aliases", key, line)
        aliases = tuple(self.form(alias, key, alias_line, "alias") for alias, alias_line in aliases)
        category = value["category"].strip()
        if category not in CATEGORIES:
            raise self.fail(
                f"category '{category}' of entry '{key}' is not one of the fixed categories",
                _line(value, "category", line),
                "use one of " + ", ".join(CATEGORIES),
            )
        summary = value["summary"].strip()
        summary_line = _line(value, "summary", line)
        if "\n" in summary:
            raise self.fail(
                f"summary of entry '{key}' has more than one line",
                summary_line,
                "keep it to one line and put the details in 'definition'",
            )
        if len(summary) > SUMMARY_MAX:
            raise self.fail(
                f"summary of entry '{key}' is {len(summary)} characters long "
                f"(at most {SUMMARY_MAX})",
                summary_line,
                "shorten it; it is shown in tooltips",
            )
        related = tuple(item for item, _ in self.string_list(value, "related", key, line))
        source = value.get("source")
        return Term(
            id=key,
            term=term,
            aliases=aliases,
            category=category,
            summary=summary,
            definition=value["definition"].strip() + "\n",
            related=related,
            source=source.strip() if source else None,
            line=line,
        )

    def string_list(self, value: dict, name: str, key: str, line: int) -> list[tuple[str, int]]:
        """The items of a list field with their lines; every item must be a string."""
        items = value.get(name) or []
        result = []
        for index, item in enumerate(items):
            item_line = _line(items, index, line)
            if not isinstance(item, str):
                raise self.fail(
                    f"an item of '{name}' in entry '{key}' is {_type_name(item)}, not a string",
                    item_line,
                    "quote it or remove it" if item is not None else "fill it in or remove it",
                )
            result.append((item, item_line))
        return result

    def form(self, text: str, key: str, line: int, kind: str) -> str:
        """Register one surface form; it must be non-empty and used by one entry only.

        Two entries may not share a form even written differently (quotes, spaces, list
        separators or the order of list items: link.py finds both in the same text).
        """
        form = text.strip()
        if not form:
            raise self.fail(f"entry '{key}' has an empty {kind}", line, "fill it in or remove it")
        if form in self.owners:
            owner, owner_line = self.owners[form]
            raise self.fail(
                f"{kind} '{form}' is already used by entry '{owner}' (line {owner_line})",
                line,
                "remove one of them",
            )
        variant = form_key(form)
        if variant in self.variants and self.variants[variant][0] != key:
            owner, owner_line, written = self.variants[variant]
            raise self.fail(
                f"{kind} '{form}' is the same words as '{written}' of entry '{owner}' "
                f"(line {owner_line}); the linker finds both in the same text",
                line,
                "remove one of them",
            )
        self.owners[form] = (key, line)
        self.variants.setdefault(variant, (key, line, form))
        return form

    def check_related(self, term: Term, items: list, ids: set[str], key: str) -> None:
        seen: set[str] = set()
        for index, related in enumerate(term.related):
            related_line = _line(items, index, term.line)
            if related == term.id:
                raise self.fail(
                    f"entry '{key}' lists itself in 'related'", related_line, "remove it"
                )
            if related not in ids:
                close = difflib.get_close_matches(related, sorted(ids), n=1)
                raise self.fail(
                    f"entry '{key}' relates to '{related}', which is not in the glossary",
                    related_line,
                    f"did you mean '{close[0]}'?" if close else "add that entry or fix the id",
                )
            if related in seen:
                raise self.fail(
                    f"entry '{key}' lists '{related}' twice in 'related'",
                    related_line,
                    "remove one of them",
                )
            seen.add(related)


def _line(node: Any, key: Any, default: int) -> int:
    """The line of ``node[key]`` if the loader recorded it, else ``default``."""
    return getattr(node, "lines", {}).get(key, default)


def _unknown_field_hint(name: str) -> str:
    allowed = ", ".join(FIELDS)
    close = difflib.get_close_matches(name, list(FIELDS), n=1)
    if close:
        return f"did you mean '{close[0]}'? (allowed: {allowed})"
    return f"allowed fields are {allowed}"


# --- links in definitions -------------------------------------------------------------------

# Where a page of the concept lives, relative to docs/ (site.term_page).
_TERM_DIR = "glossary"
_LINK_HINT = (
    "link a concept as other-id.md, a speech as ../speeches/<file name>.md,"
    " a page of docs/ as ../about.md"
)


class _AddressCollector(HTMLParser):
    """Every href/src address in an HTML fragment (links, images, raw HTML alike)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.targets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.targets += [v for k, v in attrs if k in ("href", "src") and v is not None]


def definition_targets(definition: str) -> list[str]:
    """The addresses a definition links to, as Python-Markdown (and so MkDocs) sees them:
    inline and reference links, images, autolinks and raw HTML; not text in code spans.

    >>> definition_targets("见[四种形态](si-zhong-xingtai.md)和`[x](y.md)`。")
    ['si-zhong-xingtai.md']
    """
    if "[" not in definition and "<" not in definition:
        return []  # no link syntax at all: most definitions, and no conversion to pay for
    collector = _AddressCollector()
    collector.feed(markdown.markdown(definition))
    collector.close()
    return [target for target in collector.targets if target.strip()]


def _outside_problem(target: str) -> tuple[str, str] | None:
    """(what is wrong, what to do) when ``target`` leaves the site, else None."""
    parts = urlsplit(target.strip())
    if parts.scheme or parts.netloc:
        return (
            f"links outside the site ('{target}')",
            "the site is read without internet: remove the link and name the source in 'source'",
        )
    if parts.path.startswith("/"):
        return (
            f"links to '{target}' from the server root",
            "write the address relative to the concept's page, e.g. ../about.md",
        )
    if parts.path and posixpath.normpath(posixpath.join(_TERM_DIR, unquote(parts.path))).startswith(
        "../"
    ):
        return (f"links to '{target}', outside docs/", _LINK_HINT)
    return None


def check_definition_links(glossary: Glossary, site_files: Collection[str]) -> None:
    """Every relative address in a definition must be a file of the site (``site_files``:
    docs-relative paths of the generated pages and the hand-written docs)."""
    for problem in definition_link_problems(glossary, site_files):
        raise problem


def definition_link_problems(
    glossary: Glossary, site_files: Collection[str]
) -> list[GlossaryError]:
    """Every definition link that leads to no file of the site (see
    :func:`check_definition_links`), in file order."""
    problems: list[GlossaryError] = []
    for link in glossary.links:
        path = urlsplit(link.target.strip()).path
        if not path:
            continue  # "#anchor" on the same page
        resolved = posixpath.normpath(posixpath.join(_TERM_DIR, unquote(path)))
        if resolved in site_files:
            continue
        # The same file in another folder (about.md for ../about.md), else a near spelling.
        name = posixpath.basename(resolved)
        close = [f for f in sorted(site_files) if posixpath.basename(f) == name]
        close = close or difflib.get_close_matches(resolved, sorted(site_files), 1, 0.85)
        hint = f"did you mean '{posixpath.relpath(close[0], _TERM_DIR)}'?" if close else _LINK_HINT
        problems.append(
            GlossaryError(
                f"the definition of '{link.term_id}' links to '{link.target}',"
                f" which is not a page of the site ({resolved})",
                path=glossary.path,
                line=link.line,
                hint=hint,
            )
        )
    return problems
