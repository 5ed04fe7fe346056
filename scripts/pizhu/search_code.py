"""The search index's text code: Chinese text as printable ASCII, about 1.5 bytes a character.

Why: the index must open fast from disk, where the only way in is a ``<script>`` tag.
Browsers read a script full of Chinese (3 bytes a character in UTF-8) at about a third of
the speed of an ASCII one, and at 1,000 speeches the plain text alone is 24 MB. Deflate
would need ``DecompressionStream`` (missing on older phones) and base64 around it; this
code needs a lookup table.

How: every character of the indexed text (a Unicode code point) is a *symbol*; symbols are
ranked by how often they occur. ``CODE_CHARS`` are the 93 printable ASCII characters that
need no escape inside a JSON or JavaScript string (all but ``"`` and ``\\``). The first
``singles`` code characters stand for the most frequent symbols, one character each; the
next ``pairs`` code characters start two-character codes (lead + any code character), the
remaining ones start three-character codes. :meth:`CharCode.fit` picks the split that
makes the text shortest. Decoding is a table lookup
(``overrides/assets/javascripts/pizhu-search-worker.js``, ``CharCode`` there); the code is
prefix-free, so a string decodes without separators.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

#: The code's characters, in order: printable ASCII except the quote and the backslash.
CODE_CHARS = "".join(chr(c) for c in range(0x20, 0x7F) if chr(c) not in '"\\')
BASE = len(CODE_CHARS)  # 93
_VALUE = {char: value for value, char in enumerate(CODE_CHARS)}


class _Codes(dict[int, str]):
    """Code point -> code, for str.translate, which leaves a character it does not find as
    it is; this table refuses it instead. (Checking the text against the alphabet first
    read every character once more: a quarter of a second at 1,000 speeches.)"""

    def __missing__(self, key: int) -> str:
        raise ValueError(chr(key))


@dataclass(frozen=True)
class CharCode:
    """A prefix-free code from symbols (characters) to strings of ``CODE_CHARS``.

    ``alphabet`` lists the symbols, most frequent first. Symbol ``r`` (its rank) is coded:
    ``r < singles``: one character; then ``pairs * BASE`` two-character codes; then
    three-character codes for the rest.

    >>> code = CharCode.fit(["三会一课", "一课"])
    >>> code.decode(code.encode("课一会三")) == "课一会三"
    True
    """

    alphabet: str
    singles: int
    pairs: int
    _codes: dict[int, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.alphabet) > self.capacity:
            raise ValueError(f"{len(self.alphabet)} symbols do not fit the code {self}")
        codes = _Codes((ord(symbol), self._code(rank)) for rank, symbol in enumerate(self.alphabet))
        object.__setattr__(self, "_codes", codes)

    @property
    def triples(self) -> int:
        """Lead characters of three-character codes."""
        return BASE - self.singles - self.pairs

    @property
    def capacity(self) -> int:
        return self.singles + self.pairs * BASE + self.triples * BASE * BASE

    @classmethod
    def fit(cls, texts: Iterable[str]) -> CharCode:
        """The shortest code for these texts (ties: fewer multi-character leads)."""
        return cls.fit_counts(Counter("".join(texts)))

    @classmethod
    def fit_counts(cls, counts: Mapping[str, int]) -> CharCode:
        """:meth:`fit` from how often each character occurs."""
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        alphabet = "".join(symbol for symbol, _ in ranked)
        frequencies = [count for _, count in ranked]
        prefix = [0]
        for count in frequencies:
            prefix.append(prefix[-1] + count)
        total, size = prefix[-1], len(frequencies)

        best: tuple[int, int, int] | None = None  # (length, singles, pairs)
        for singles in range(BASE, -1, -1):
            for pairs in range(BASE - singles + 1):
                triples = BASE - singles - pairs
                two_end = min(size, singles + pairs * BASE)
                if triples == 0 and two_end < size:
                    continue
                one = prefix[min(size, singles)]
                two = prefix[two_end] - one
                length = one + 2 * two + 3 * (total - one - two)
                if best is None or length < best[0]:
                    best = (length, singles, pairs)
                if two_end >= size:
                    break  # more pair leads cannot make it shorter
        assert best is not None
        return cls(alphabet, best[1], best[2])

    def _code(self, rank: int) -> str:
        if rank < self.singles:
            return CODE_CHARS[rank]
        rank -= self.singles
        if rank < self.pairs * BASE:
            lead, low = divmod(rank, BASE)
            return CODE_CHARS[self.singles + lead] + CODE_CHARS[low]
        rank -= self.pairs * BASE
        lead, rest = divmod(rank, BASE * BASE)
        middle, low = divmod(rest, BASE)
        return CODE_CHARS[self.singles + self.pairs + lead] + CODE_CHARS[middle] + CODE_CHARS[low]

    def encode(self, text: str) -> str:
        """``text`` coded; every character of it must be in the alphabet (ValueError)."""
        try:
            return text.translate(self._codes)  # (_Codes refuses a character not in it)
        except ValueError:
            missing = "".join(sorted({char for char in text if ord(char) not in self._codes}))
            raise ValueError(f"not in the code's alphabet: {missing!r}") from None

    def decode(self, coded: str) -> str:
        """The text of a coded string (for tests and tools; the browser decodes in JS)."""
        out: list[str] = []
        i, n = 0, len(coded)
        pair_end = self.singles + self.pairs
        while i < n:
            value = _VALUE[coded[i]]
            if value < self.singles:
                rank, i = value, i + 1
            elif value < pair_end:
                rank = self.singles + (value - self.singles) * BASE + _VALUE[coded[i + 1]]
                i += 2
            else:
                rank = (
                    self.singles
                    + self.pairs * BASE
                    + (value - pair_end) * BASE * BASE
                    + _VALUE[coded[i + 1]] * BASE
                    + _VALUE[coded[i + 2]]
                )
                i += 3
            out.append(self.alphabet[rank])
        return "".join(out)

    def to_json(self) -> dict[str, Any]:
        return {"alphabet": self.alphabet, "singles": self.singles, "pairs": self.pairs}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CharCode:
        return cls(str(data["alphabet"]), int(data["singles"]), int(data["pairs"]))
