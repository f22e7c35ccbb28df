"""A time budget per input: the safety net under every reader.

The readers are made linear on hostile input where the cause is known (see
html.py, feeds.py), but a library can still meet a page it takes minutes over.
The budget bounds that: the time spent *inside the reader* (each ``next()`` on
its items, never the time the consumer spends on what it got) is added up per
input, and when it passes the budget the reader is abandoned with an
IngestError and the batch goes on.

The clock is SIGALRM (``signal.setitimer``): it interrupts pure-Python work
wherever it is. Limits, by design:

- Signals can only be handled in the main thread, so in any other thread (a web
  worker, a thread pool) and on platforms without SIGALRM there is no timer and
  the items pass through untouched.
- A single long call into C (one lxml parse) is interrupted only when it returns.
- A handler or itimer set by the caller is put back as it was (the itimer with
  the time it has left).
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from ..model import IngestError, RawDocument

ENV_READ_SECONDS = "CLAIMDESK_READ_SECONDS"
DEFAULT_READ_SECONDS = 30.0

Item = RawDocument | IngestError


class _OverBudget(BaseException):
    """Raised by the alarm inside a reader. A BaseException, so a reader's own
    ``except Exception`` (which turns failures into IngestErrors) cannot swallow it."""


def read_seconds() -> float:
    """The per-input budget: CLAIMDESK_READ_SECONDS when it is a positive number, else 30 s."""
    try:
        value = float(os.environ.get(ENV_READ_SECONDS, ""))
    except ValueError:
        return DEFAULT_READ_SECONDS
    return value if value > 0 and value != float("inf") else DEFAULT_READ_SECONDS


def can_time() -> bool:
    """Whether an alarm can interrupt a reader here (main thread, SIGALRM and setitimer exist)."""
    return (
        hasattr(signal, "SIGALRM")
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )


def within_budget(
    items: Iterable[Item], name: str, seconds: float, *, restart: Callable[[Item], bool] | None = None
) -> Iterator[Item]:
    """The items, until the reader has spent ``seconds`` producing them; then one IngestError.

    ``restart(item)``: true when the count starts again after this item (a record of an archive,
    which is streamed record by record and exempt from the whole-input size limit for the same reason).
    """
    iterator = iter(items)
    if not can_time():
        yield from iterator
        return
    spent = 0.0
    while True:
        started = time.monotonic()
        try:
            with _alarm(seconds - spent):
                item = next(iterator)
        except StopIteration:
            return
        except _OverBudget:
            _close(iterator)
            yield IngestError(name, f"took longer than {seconds:g} s to read; skipped")
            return
        spent = 0.0 if restart is not None and restart(item) else spent + time.monotonic() - started
        yield item


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    """Raise _OverBudget in this block after ``seconds``; the caller's handler and itimer are restored."""
    armed = True

    def on_alarm(signum, frame) -> None:
        if armed:  # a late signal after the block ends is ignored, never raised into the consumer
            raise _OverBudget

    if seconds <= 0:
        raise _OverBudget
    previous = signal.signal(signal.SIGALRM, on_alarm)
    started = time.monotonic()
    outer_delay, outer_interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_delay > 0:  # the caller's own alarm, with the time it has left
            left = outer_delay - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 1e-6), outer_interval)


def _close(iterator: Iterator[Item]) -> None:
    """Abandon the reader: run its cleanup (open files), ignoring what a half-run reader raises."""
    close = getattr(iterator, "close", None)
    if close is None:
        return
    try:
        close()
    except Exception:
        pass
