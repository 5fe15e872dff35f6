"""A set of character spans that answers "does this span overlap any of them?" in log time.

Mention extractors keep a match only where no earlier match stands; a page of many thousand
figures must not compare every match with every other one.
"""
from __future__ import annotations

import bisect
from collections.abc import Iterable


class Spans:
    """Half-open spans (start, end); overlapping or nested spans are allowed."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._spans = sorted(spans)
        self._index()

    def _index(self) -> None:
        self._starts = [s for s, _ in self._spans]
        self._reach: list[int] = []              # furthest end among the spans up to each index
        furthest = -1
        for _, e in self._spans:
            furthest = max(furthest, e)
            self._reach.append(furthest)

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self._starts, end)   # spans starting before `end`
        return i > 0 and self._reach[i - 1] > start

    def update(self, spans: Iterable[tuple[int, int]]) -> None:
        """Add spans (one re-index per call: add a kind's matches at once, not one by one)."""
        self._spans = sorted([*self._spans, *spans])
        self._index()
