"""The one exception readers raise, and the size wording they share.

Readers raise :class:`ReadError` with a message a person can act on; the
dispatcher turns it into an :class:`~claimdesk.model.IngestError` so a batch
never stops on one bad input.
"""

from __future__ import annotations

ENV_MAX_BYTES = "CLAIMDESK_MAX_BYTES"


class ReadError(Exception):
    """An input (or part of one) cannot be read; the message says why in plain words."""


def format_size(n: int) -> str:
    """Sizes in MB as people quote them, small ones in bytes so tiny limits still read well."""
    if n >= 100 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    return f"{n:,} bytes"


def too_big(what: str, size: int | None, limit: int) -> ReadError:
    """The over-the-limit error, naming the setting that raises the limit."""
    if size is None:
        return ReadError(f"{what} is over the {format_size(limit)} limit ({ENV_MAX_BYTES})")
    return ReadError(f"{what} is {format_size(size)}, over the {format_size(limit)} limit ({ENV_MAX_BYTES})")
