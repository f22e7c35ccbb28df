"""WARC archives: every HTML response becomes a document via the HTML reader.

warcio reads truncated archives without complaint (a cut gzip member or a
short last record just ends the iteration), so this module checks for itself
that each record's block and the archive as a whole were read to the end.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from ..model import IngestError, RawDocument
from .detect import GZIP_MAGIC, detect_format
from .errors import ReadError, too_big
from .html import decode_html, html_document

_GENERIC_TYPES = ("", "application/octet-stream", "text/plain", "binary/octet-stream")
_CHUNK = 64 * 1024


class Truncated(Exception):
    """The archive ends inside a record (internal: reported as one IngestError)."""


def read_warc(source: bytes | BinaryIO, *, name: str, max_bytes: int) -> Iterator[RawDocument | IngestError]:
    """Documents from every HTML response, then one IngestError if the archive is cut short.

    ``source`` may be a seekable binary stream, so a big archive is never held in
    memory. Each document is held back until the next record is read whole (or
    the archive ends cleanly), so a record cut by truncation is never passed on.
    """
    stream = io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else source
    gzipped = _peek(stream, 2) == GZIP_MAGIC
    ends_clean = gzipped or _ends_with_blank_lines(stream)
    if gzipped:
        stream = GunzipStream(stream)
    done = 0
    held: RawDocument | IngestError | None = None
    try:
        for number, record in enumerate(ArchiveIterator(stream), start=1):
            item = _record_item(record, number, name, max_bytes)
            _drain(record)
            if held is not None:
                yield held
            held, done = item, number
    except Exception as err:  # a failure inside the archive structure: it is cut or corrupt
        if held is not None:
            yield held  # read whole before the failure
        yield IngestError(name, f"truncated WARC after {done} records: {_plain(err)}")
        return
    if not ends_clean:
        yield IngestError(name, f"truncated WARC after {max(done - 1, 0)} records: the last record is cut short")
        return
    if held is not None:
        yield held


class GunzipStream(io.RawIOBase):
    """All gzip members of a stream as one plain stream that raises where the data is cut.

    warcio inflates .warc.gz itself but silently stops at a cut member; inflating
    here, once, turns a cut into an error at the exact record where it happens.
    """

    def __init__(self, raw: BinaryIO) -> None:
        super().__init__()
        self._raw = raw
        self._inflater = zlib.decompressobj(wbits=31)
        self._pending = b""
        self._position = 0

    def readable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def readinto(self, buffer) -> int:  # type: ignore[override]
        while not self._pending:
            if not self._fill():
                return 0
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        self._position += size
        return size

    def _fill(self) -> bool:
        """Inflate the next chunk; False at a clean end, Truncated at a cut one."""
        if self._inflater.eof:
            rest = self._inflater.unused_data or self._raw.read(_CHUNK)
            if not rest.strip(b"\0"):
                return False
            self._inflater = zlib.decompressobj(wbits=31)
        else:
            rest = self._inflater.unconsumed_tail or self._raw.read(_CHUNK)
            if not rest:
                raise Truncated("the gzip data ends inside a record")
        self._pending = self._inflater.decompress(rest, _CHUNK)
        return True


def _ends_with_blank_lines(stream: BinaryIO) -> bool:
    """Every WARC record is followed by two CRLFs, so a whole archive ends with them."""
    position = stream.tell()
    end = stream.seek(0, io.SEEK_END)
    stream.seek(max(end - 4, position))
    tail = stream.read(4)
    stream.seek(position)
    return tail.replace(b"\r", b"").endswith(b"\n\n")


def _peek(stream: BinaryIO, size: int) -> bytes:
    position = stream.tell()
    head = stream.read(size)
    stream.seek(position)
    return head


def _record_item(record: ArcWarcRecord, number: int, name: str, max_bytes: int) -> RawDocument | IngestError | None:
    """The record's document, an IngestError for this record alone, or None when it is not an HTML page."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    if not 200 <= _status(record) < 300:
        return None  # redirects and error pages are not articles
    url = record.rec_headers.get_header("WARC-Target-URI")
    where = url or f"{name}#record {number}"
    if record.length is not None and record.length > max_bytes:
        return IngestError(where, str(too_big("record", record.length, max_bytes)))
    content_type = (record.http_headers.get_header("Content-Type") or "").lower()
    if "html" not in content_type and content_type.split(";")[0].strip() not in _GENERIC_TYPES:
        return None
    payload = record.content_stream().read(max_bytes + 1)
    if len(payload) > max_bytes:
        return IngestError(where, str(too_big("record", None, max_bytes)))
    if "html" not in content_type and not _sniffed_html(payload):
        return None
    try:
        doc = html_document(decode_html(payload, _charset(content_type)), url=url)
    except ReadError as err:
        return IngestError(where, str(err))
    except Exception as err:  # a page that breaks the HTML tools must not end the archive
        return IngestError(where, f"cannot read this page: {_plain(err)}")
    doc.format = "warc"
    doc.url = url or doc.url
    doc.fetched = record.rec_headers.get_header("WARC-Date")
    return doc


def _drain(record: ArcWarcRecord) -> None:
    """Read the rest of the record block and check it was all there."""
    raw = record.raw_stream
    while raw.read(_CHUNK):
        pass
    if getattr(raw, "limit", 0) > 0:
        raise Truncated(f"a record ends {raw.limit:,} bytes early")


def _status(record: ArcWarcRecord) -> int:
    try:
        return int((record.http_headers.get_statuscode() or "0")[:3])
    except ValueError:
        return 0


def _sniffed_html(payload: bytes) -> bool:
    try:
        return detect_format(payload) == "html"
    except ReadError:
        return False


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


def _plain(err: Exception) -> str:
    return str(err).strip() or type(err).__name__
