"""A one-line trend of a series: one bar per value, a gap where a value is missing."""

from __future__ import annotations

from typing import Sequence

BARS = "▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[float | None], lo: float | None = None, hi: float | None = None) -> str:
    """Return one bar per value scaled between `lo` and `hi` (default: the values' own range); None is a space.

    A flat series is drawn at mid height, so a steady 92% reads as steady rather than as "at the bottom".
    """
    known = [v for v in values if v is not None]
    if not known:
        return " " * len(values)
    low = min(known) if lo is None else lo
    high = max(known) if hi is None else hi
    span = high - low
    top = len(BARS) - 1

    def bar(v: float) -> str:
        if span <= 0:
            return BARS[top // 2]
        index = round((min(max(v, low), high) - low) / span * top)
        return BARS[index]

    return "".join(" " if v is None else bar(v) for v in values)
