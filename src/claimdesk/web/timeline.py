"""A timeline of claims as server-rendered SVG geometry: one dot per month with claims,
its area growing with their number; claims *by* a person on one row, *about* them
on another. The template draws it (text escaped there); no script, no chart library."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from claimdesk.store.queries import TimelinePoint

WIDTH, HEIGHT = 720, 130
LEFT, RIGHT = 70, 20
ROWS = {"by": 45, "about": 90}
MAX_RADIUS = 14.0


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    r: float
    row: str  # "by" or "about"
    label: str  # e.g. "2023-12-19: 3 claims by"


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    dots: list[Dot]
    ticks: list[Tick]
    rows: dict[str, float]
    undated: int  # claims in articles without a date (not on the chart)
    left: int
    right: int


def _day(value: str | None) -> date | None:
    """A published date as a day; a month or year alone counts as its first day."""
    if not value:
        return None
    parts = value[:10].split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else 1
        day = int(parts[2]) if len(parts) > 2 else 1
        return date(year, month, day)
    except (ValueError, IndexError):
        return None


def chart(points: list[TimelinePoint]) -> Chart | None:
    """The chart's geometry, or None when no claim has a dated article."""
    dated, undated = [], 0
    for p in points:  # each date parsed once (a most quoted person has a point per month for years)
        d = _day(p.date)
        if d is None:
            undated += p.by + p.about
        else:
            dated.append((d, p))  # dates as given (months from the store)
    if not dated:
        return None
    first, last = min(d for d, _ in dated), max(d for d, _ in dated)
    span_days = max((last - first).days, 1)
    inner = WIDTH - LEFT - RIGHT
    most = max(max(p.by, p.about) for _, p in dated)

    def x_of(day: date) -> float:
        if first == last:
            return LEFT + inner / 2
        return round(LEFT + inner * (day - first).days / span_days, 1)

    def r_of(n: int) -> float:
        return round(max(2.5, MAX_RADIUS * math.sqrt(n / most)), 1)

    dots = []
    by_y, about_y = ROWS["by"], ROWS["about"]
    for day, point in dated:
        if point.by or point.about:
            x = x_of(day)
            if point.by:
                dots.append(Dot(x, by_y, r_of(point.by), "by", f"{point.date}: {point.by} {'claim' if point.by == 1 else 'claims'} by"))
            if point.about:
                dots.append(Dot(x, about_y, r_of(point.about), "about",
                                f"{point.date}: {point.about} {'claim' if point.about == 1 else 'claims'} about"))
    shown = {d: p.date for d, p in dated}
    ticks = [Tick(x_of(first), shown[first])]
    if last != first:
        ticks.append(Tick(x_of(last), shown[last]))
        for year in range(first.year + 1, last.year + 1):
            boundary = date(year, 1, 1)
            if (boundary - first).days > span_days * 0.12 and (last - boundary).days > span_days * 0.12:
                ticks.append(Tick(x_of(boundary), str(year)))
    return Chart(WIDTH, HEIGHT, dots, sorted(ticks, key=lambda t: t.x), dict(ROWS), undated, LEFT, RIGHT)
