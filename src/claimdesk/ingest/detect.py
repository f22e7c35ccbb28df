"""Which reader a byte string needs, decided from its content, not its name.

Files arrive misnamed (an HTML page saved as .txt, a feed served as .html), so
the extension is never trusted; the first bytes are.
"""

from __future__ import annotations

import json
import re
import zlib

from .decode import bom_encoding
from .errors import ReadError, too_big

FORMATS = ("warc", "html", "rss", "atom", "rdf", "jsonfeed", "jsonl", "sitemap", "text")
GZIP_MAGIC = b"\x1f\x8b"
HEAD_BYTES = 64 * 1024

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\x7fELF", "ELF executable"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\x28\xb5\x2f\xfd", "zstd archive"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"OggS\x00", "Ogg media"),
    (b"ID3\x02", "MP3 audio"),
    (b"ID3\x03", "MP3 audio"),
    (b"ID3\x04", "MP3 audio"),
    (b"wOFF", "WOFF font"),
    (b"wOF2", "WOFF2 font"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"\xca\xfe\xba\xbe", "Java class or Mach-O binary"),
    (b"\xcf\xfa\xed\xfe", "Mach-O executable"),
    (b"\x00asm", "WebAssembly module"),
)
_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\v\f\r\x1b") + b"\x7f"
_PROLOG_PART = re.compile(r"\s+|<\?.*?\?>|<!--.*?-->", re.S)
_DOCTYPE = re.compile(r"<!doctype", re.I)
_DOCTYPE_STOP = re.compile(r"[\"'\[>]")
_SUBSET_STOP = re.compile(r"[\"'\]]|<!--")
_DOCTYPE_HTML = re.compile(r"<!doctype\s+html", re.I)
_DOCTYPE_NAME = re.compile(r"<!doctype\s+([A-Za-z][\w:.-]*)", re.I)
_FIRST_TAG = re.compile(r"<([A-Za-z][\w:.-]*)")
_HTML_TAGS = frozenset(
    "html head body div p span a title meta link script style article section header footer nav main "
    "h1 h2 h3 h4 h5 h6 table ul ol li br img form iframe noscript base center font b i strong em".split()
)
_HTML_ANYWHERE = re.compile(r"<(?:html|head|body|div|p|br|article|title)[\s/>]", re.I)
_JSONL_LINES = 5
_JSONFEED_VERSION = re.compile(r'"version"\s*:\s*"https?://jsonfeed\.org/', re.I)


def detect_format(data: bytes) -> str:
    """One of FORMATS; ReadError for empty or binary input. gzip is looked through."""
    if not data:
        raise ReadError("empty file")
    if data.startswith(GZIP_MAGIC):
        inner = gunzip_head(data)
        if inner.startswith(GZIP_MAGIC):
            raise ReadError("binary file (gzip inside gzip), not text")
        return detect_format(inner)
    signature = signature_kind(data)
    if signature:
        raise ReadError(f"binary file ({signature}), not text")
    head = head_text(data)
    stripped = head.lstrip()
    json_format = _json_format(stripped, data) if stripped.startswith("{") else "text"
    if json_format != "text":
        return json_format  # judged record by record: a NUL byte or bad bytes spoil only their own line
    check_binary(data)
    if data.startswith((b"WARC/1.", b"WARC/0.")):
        return "warc"
    if stripped.startswith("<"):
        return _markup_format(stripped)
    return "text"


def check_binary(data: bytes) -> None:
    """Refuse data that is not text: known file signatures, NUL bytes, mostly control bytes."""
    kind = binary_kind(data)
    if kind:
        raise ReadError(f"binary file ({kind}), not text")


def binary_kind(data: bytes) -> str | None:
    """What kind of binary data this looks like, or None when it may be text."""
    return signature_kind(data) or _content_kind(data)


def signature_kind(data: bytes) -> str | None:
    """The file type a known binary signature announces, or None."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data[4:8] == b"ftyp":
        return "MP4/QuickTime media"
    if data.startswith(b"RIFF") and data[8:12] in (b"WAVE", b"WEBP", b"AVI "):
        return "RIFF media"
    return None


def _content_kind(data: bytes) -> str | None:
    """Binary judged from the bytes themselves: NUL bytes or mostly control bytes near the start."""
    bom = bom_encoding(data)
    if bom and bom[0].startswith(("utf-16", "utf-32")):
        return None  # NUL bytes are normal in UTF-16/32 text
    sample = data[:8192]
    if b"\x00" in sample:
        return "contains NUL bytes"
    controls = len(sample) - len(sample.translate(None, _CONTROL))
    if controls > 0.05 * len(sample):
        return "mostly control characters"
    return None


def head_text(data: bytes, size: int = HEAD_BYTES) -> str:
    """The start of data as text for sniffing (lossy: only markup and JSON shape matter here)."""
    bom = bom_encoding(data)
    encoding, skip = bom if bom else ("utf-8", 0)
    return data[skip : skip + size].decode(encoding, errors="replace").lstrip("\ufeff")


def prolog(head: str) -> tuple[int, int | None]:
    """Where the XML/HTML prolog ends (whitespace, processing instructions, comments, the DOCTYPE with
    an internal subset whose entity values may hold '>', the billion-laughs shape) and where its
    DOCTYPE starts (None without one). A DOCTYPE still open at the end of ``head`` ends the prolog."""
    position, doctype_at = 0, None
    while position < len(head):
        part = _PROLOG_PART.match(head, position)
        if part and part.end() > position:
            position = part.end()
            continue
        if not _DOCTYPE.match(head, position):
            break
        doctype_at = position
        end, _ = doctype_parts(head, position)
        if end is None:
            break
        position = end
    return position, doctype_at


def doctype_parts(text: str, start: int) -> tuple[int | None, tuple[int, int] | None]:
    """The end of the DOCTYPE declaration at ``start`` (None when it never closes) and the span of its
    internal subset ``[...]`` if it has one. Steps over quoted strings and, inside the subset, over
    comments and quoted entity values, which may hold '>' or ']'. Linear: every scan resumes where
    the last one stopped."""
    position = start + len("<!doctype")
    subset = None
    while (stop := _DOCTYPE_STOP.search(text, position)) is not None:
        char = stop.group()
        if char == ">":
            return stop.end(), subset
        if char == "[" and subset is None:
            end = internal_subset_end(text, stop.end())
            if end is None:
                return None, None
            subset = (stop.start(), end)
            position = end
            continue
        close = text.find(char, stop.end()) if char in "\"'" else stop.start()
        if close < 0:
            return None, subset
        position = close + 1
    return None, subset


def internal_subset_end(text: str, start: int) -> int | None:
    """The position just after the ']' closing an internal subset whose body starts at ``start``."""
    position = start
    while (stop := _SUBSET_STOP.search(text, position)) is not None:
        token = stop.group()
        if token == "]":
            return stop.end()
        close = text.find("-->" if token == "<!--" else token, stop.end())
        if close < 0:
            return None
        position = close + (3 if token == "<!--" else 1)
    return None


def _markup_format(head: str) -> str:
    end, doctype_at = prolog(head)
    if doctype_at is not None and _DOCTYPE_HTML.match(head, doctype_at):
        return "html"
    tag = _FIRST_TAG.match(head, end)
    if tag is None and doctype_at == end:  # a DOCTYPE too long to see past: its name is the root's name
        tag = _DOCTYPE_NAME.match(head, doctype_at)
    name = tag.group(1).lower() if tag else ""
    if name == "rss":
        return "rss"
    if name == "feed" or name.endswith(":feed"):
        return "atom"
    if name == "rdf" or name.endswith(":rdf"):
        return "rdf"
    if name.rpartition(":")[2] in ("urlset", "sitemapindex"):
        return "sitemap"
    if name in _HTML_TAGS or _HTML_ANYWHERE.search(head, 0, 4096):
        return "html"
    return "text"


def _json_format(head: str, data: bytes) -> str:
    if _JSONFEED_VERSION.search(head, 0, 4096):
        return "jsonfeed"
    lines = head.split("\n", _JSONL_LINES)[:_JSONL_LINES]
    if len(lines) == 1 and len(data) > HEAD_BYTES:  # a first record longer than the head (a page's HTML)
        return _long_line_format(head_text(data, len(data)).split("\n", 1)[0])
    if any(_is_json_object(line.strip()) for line in lines):
        return "jsonl"  # one of the first lines is a record: a broken first record must not hide the rest
    whole = _parse_json(data)
    if isinstance(whole, dict) and "jsonfeed.org" in str(whole.get("version", "")):
        return "jsonfeed"
    return "text"


def _long_line_format(line: str) -> str:
    """A first line too long for the head, read whole: a JSON Feed on one line, a JSONL record, or text."""
    try:
        record = json.loads(line)
    except ValueError:
        return "text"
    if not isinstance(record, dict):
        return "text"
    return "jsonfeed" if "jsonfeed.org" in str(record.get("version", "")) else "jsonl"


def _is_json_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False


def _parse_json(data: bytes) -> object:
    try:
        return json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return None


def gunzip_head(data: bytes, size: int = HEAD_BYTES) -> bytes:
    """The first bytes inside gzip data, enough to detect the format without inflating it all."""
    inflater = zlib.decompressobj(wbits=31)
    try:
        head = inflater.decompress(data, size)
    except zlib.error as err:
        raise ReadError(f"broken gzip data: {err}") from None
    if not head and not inflater.eof:  # cut inside the header or the first block, not an empty file
        raise ReadError(f"truncated gzip data: its {len(data):,} bytes end before any content")
    return head


def gunzip(data: bytes, max_bytes: int) -> bytes:
    """Inflate every gzip member, stopping as soon as the output passes max_bytes (gzip bombs)."""
    out = bytearray()
    rest = data
    while rest.startswith(GZIP_MAGIC):
        inflater = zlib.decompressobj(wbits=31)
        chunk = rest
        try:
            while True:
                out += inflater.decompress(chunk, max_bytes + 1 - len(out))
                if len(out) > max_bytes:
                    raise too_big("decompressed data", None, max_bytes)
                if inflater.eof or not inflater.unconsumed_tail:
                    break
                chunk = inflater.unconsumed_tail
        except zlib.error as err:
            raise ReadError(f"broken gzip data: {err}") from None
        if not inflater.eof:
            raise ReadError(f"truncated gzip data after {len(out):,} bytes")
        rest = inflater.unused_data
    return bytes(out)
