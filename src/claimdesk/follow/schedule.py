"""When to poll a source again: pure functions of what its polls have seen.

The interval follows the source's publishing rate: a poll is due about when ``FRACTION``
of a new entry is expected, within the bounds (10 minutes to a day by default). So a
wire publishing every few minutes is polled every 10 minutes, a source publishing hourly
every 24 minutes (an entry waits 12 minutes on average, 23 at the 95th percentile), and
a blog that posts weekly once a day. The rate is the larger of the last day's and the
last week's: a source that wakes up is followed at once, one that goes quiet is let go
slowly. A fixed interval (``sources add --every``) overrides all of it but the back-off.

Failures back off exponentially from the interval, capped; a ``Retry-After`` (429, 503)
is honoured whatever the interval says, up to a week.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

MINUTE, HOUR, DAY = 60, 3600, 86400
FRACTION = 0.4  # of the expected time between entries: the interval
WINDOWS = (DAY, 7 * DAY)  # the rate is the larger of these windows' rates
MIN_SPAN = HOUR  # a burst of entries in the last minutes does not make a rate of hundreds an hour
RETRY_AFTER_CAP = 7 * DAY


@dataclass(frozen=True)
class Bounds:
    shortest: int = 10 * MINUTE
    longest: int = DAY
    backoff_cap: int = DAY


def publishing_rate(times: Iterable[float], now: float) -> float:
    """Entries per second, the larger of each window's: the gaps between the entries dated within
    it (one fewer than the entries) over the time from the oldest of them to now (at least MIN_SPAN).
    A feed lists only its latest entries, so the oldest one listed starts what is known; one entry
    alone says nothing of a rate."""
    dated = [min(t, now) for t in times]
    rates = [0.0]
    for window in WINDOWS:
        recent = [t for t in dated if t >= now - window]
        if len(recent) >= 2:
            rates.append((len(recent) - 1) / max(now - min(recent), MIN_SPAN))
    return max(rates)


def interval(rate: float, bounds: Bounds = Bounds(), every: int | None = None) -> int:
    """Seconds to the next poll of a source publishing ``rate`` entries a second."""
    if every is not None:
        return every
    wanted = FRACTION / rate if rate > 0 else bounds.longest
    return int(min(max(wanted, bounds.shortest), bounds.longest))


def backoff(normal: int, failures: int, bounds: Bounds = Bounds()) -> int:
    """Seconds to wait after the ``failures``-th failure in a row: the interval doubled each time, capped."""
    return int(min(normal * 2 ** max(failures, 0), max(bounds.backoff_cap, normal)))


def retry_after(value: str | None, now: float) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait (delta-seconds or an HTTP date), capped at a
    week; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(min(int(value), RETRY_AFTER_CAP))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return min(max(when.timestamp() - now, 0.0), RETRY_AFTER_CAP)


def epoch(value: str | None) -> float | None:
    """An ISO 8601 date or time (as the readers give ``published``) as epoch seconds; a date is
    its midnight UTC, a time without an offset is UTC. None when there is none."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.timestamp()


def human(seconds: float) -> str:
    """``24m``, ``3h``, ``1d 2h``: an interval as the CLI and the desk show it."""
    seconds = int(round(seconds))
    if seconds < MINUTE:
        return f"{seconds}s"
    if seconds < HOUR:
        return f"{seconds // MINUTE}m"
    if seconds < DAY:
        hours, minutes = divmod(seconds // MINUTE, 60)
        return f"{hours}h" + (f" {minutes}m" if minutes else "")
    days, hours = divmod(seconds // HOUR, 24)
    return f"{days}d" + (f" {hours}h" if hours else "")


def parse_every(text: str) -> int:
    """``15m``, ``2h``, ``1d``, ``90s`` or plain seconds as seconds; ValueError otherwise."""
    text = text.strip().lower()
    units = {"s": 1, "m": MINUTE, "h": HOUR, "d": DAY}
    number, unit = (text[:-1], text[-1]) if text and text[-1] in units else (text, "s")
    if not number.isdigit() or int(number) <= 0:
        raise ValueError(f"{text!r} is not an interval: write 15m, 2h, 1d or a number of seconds")
    return int(number) * units[unit]
