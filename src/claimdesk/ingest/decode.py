"""Bytes to text, the one place characters are decided.

Offsets in every later stage point into the string returned here, so the only
change made to the decoded characters is the newline normalisation, once.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from .errors import ReadError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")

# Browsers (WHATWG Encoding) read these labels as windows-1252; pages rely on it.
_AS_CP1252 = {"ascii", "latin_1", "iso8859_1"}


def decode(data: bytes, declared: str | None = None) -> str:
    """Decode with the evidence in order of trust: BOM, valid UTF-8, the declared charset, a guess."""
    return normalize_newlines(_decode(data, declared))


def without_lone_surrogates(text: str) -> str:
    """Lone surrogates (JSON may spell them, "\\ud800") become U+FFFD, as undecodable bytes do:
    such a string cannot be written as UTF-8, so the store, a terminal or a JSON dump would refuse it."""
    return _LONE_SURROGATE.sub("\ufffd", text)


def normalize_newlines(text: str) -> str:
    """CRLF and CR become LF: the single normalisation allowed before offsets exist."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """The encoding a byte-order mark announces and the mark's length, if there is one."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return None


def codec_name(label: str | None) -> str | None:
    """A Python codec for a charset label, or None when the label is unknown or empty."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except (LookupError, ValueError):
        return None
    return "cp1252" if name.replace("-", "_") in _AS_CP1252 else name


def _decode(data: bytes, declared: str | None) -> str:
    bom = bom_encoding(data)
    if bom:
        return data[bom[1] :].decode(bom[0], errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    codec = codec_name(declared)
    if codec and codec != "utf-8":
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            pass
    return _guess(data)


def _guess(data: bytes) -> str:
    """charset_normalizer's best guess, preferring windows-1252 when it is as good a fit.

    Short Western text fits many single-byte code pages equally well, and the
    detector then picks an arbitrary one (cp1125 for "Café “x”"); windows-1252 is
    by far the most common real encoding behind a wrong utf-8 label.
    """
    matches = list(from_bytes(data))
    if not matches:
        raise ReadError("cannot decode: not UTF-8 and no charset detected")
    best = matches[0]
    for match in matches:
        if match.chaos <= best.chaos + 0.02 and "cp1252" in match.could_be_from_charset:
            try:
                return data.decode("cp1252")
            except UnicodeDecodeError:
                break
    return str(best)
