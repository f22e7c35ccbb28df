"""Files as they come: names that are not text, and things in a folder that are not files.

A POSIX file name is bytes. Python hands undecodable bytes over as lone
surrogates ("surrogateescape"), which open() accepts but SQLite, terminals and
JSON refuse; so the file is opened by its real name and only ever *shown* by
:func:`printable_name`. A named pipe or device in a folder must never be
opened: opening a FIFO blocks until someone writes to it, and reading a device
never ends.
"""

from __future__ import annotations

import os
import stat
import unicodedata
from typing import BinaryIO

from .errors import ReadError

# What each non-regular file type is called in the error a person reads.
_SPECIAL = (
    (stat.S_ISFIFO, "named pipe"),
    (stat.S_ISCHR, "character device"),
    (stat.S_ISBLK, "block device"),
    (stat.S_ISSOCK, "socket"),
    (stat.S_ISDIR, "folder"),
)
# Characters that make a name unreadable or misleading in one line of text: controls, lone
# surrogates (undecodable bytes), and line/paragraph separators.
_UNPRINTABLE = frozenset(("Cc", "Cs", "Zl", "Zp"))


def printable_name(name: str) -> str:
    """The name as valid, printable UTF-8 that still shows which file it is.

    Undecodable bytes appear as ``\\xff`` (the bytes the surrogates stand for), control characters
    as ``\\n`` / ``\\x1b``; an ordinary name is returned unchanged. Idempotent.
    """
    if name.isprintable():
        return name
    return "".join(_escaped(char) for char in name)


def _escaped(char: str) -> str:
    if unicodedata.category(char) not in _UNPRINTABLE:
        return char
    if 0xDC80 <= ord(char) <= 0xDCFF:  # surrogateescape: the original byte
        return f"\\x{ord(char) - 0xDC00:02x}"
    return char.encode("unicode_escape").decode("ascii")


def special_kind(mode: int) -> str | None:
    """What a non-regular file is ("named pipe", "socket", ...), or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((kind for test, kind in _SPECIAL if test(mode)), "special file")


def open_regular(path: str) -> BinaryIO:
    """Open a regular file for reading; ReadError, without opening it, for anything else.

    The type is checked before open() (opening a FIFO would block) and again on the open
    handle, so a file swapped for a pipe in between is still caught; O_NONBLOCK keeps even
    that open from blocking and does nothing to reads from a regular file.
    """
    _refuse_special(os.stat(path).st_mode)
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        _refuse_special(os.fstat(descriptor).st_mode)
        _blocking(descriptor)
    except BaseException:
        os.close(descriptor)
        raise
    return os.fdopen(descriptor, "rb")


def _refuse_special(mode: int) -> None:
    kind = special_kind(mode)
    if kind:
        raise ReadError(f"not a regular file: {kind}")


def _blocking(descriptor: int) -> None:
    """Back to ordinary reads once the file is known to be regular."""
    if hasattr(os, "set_blocking"):
        os.set_blocking(descriptor, True)
