"""Results kept between the builds of one process, so that ``mkdocs serve`` re-renders
only what an edit changed.

The disk caches (cache.py) make an unchanged project cheap. An edit misses them: one
source changed, and the whole generation would run again, 1,000 speech pages rendered to
show one. A :class:`Memo` keeps, while the process runs, each pure step's result under a
key made of **all** of its inputs, as values: the speech itself (a frozen dataclass,
compared by value), the glossary, and whatever else the step reads (its tags, its
concepts, its related speeches). A step whose inputs are equal to last time's gives last
time's result; nothing is keyed by a name or a time, so nothing stale can be used.

Only the entries one build used are kept for the next (``end_build``): memory stays one
build's worth, however long serve runs.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class Memo:
    """A key -> result store for the builds of one process (see the module)."""

    def __init__(self) -> None:
        self._last: dict[Hashable, Any] = {}  # what the previous build used
        self._now: dict[Hashable, Any] = {}  # what this build has used so far
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The result kept for ``key``, else ``compute()`` (kept for the next build)."""
        if key in self._now:
            self.hits += 1
            return self._now[key]
        if key in self._last:
            self.hits += 1
            value = self._last[key]
        else:
            self.misses += 1
            value = compute()
        self._now[key] = value
        return value

    def end_build(self) -> None:
        """Keep what this build used, drop the rest; count afresh."""
        self._last, self._now = self._now, {}
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._last) + len(self._now)
