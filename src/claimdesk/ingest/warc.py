"""WARC archives: every HTML response becomes a document via the HTML reader.

warcio reads truncated archives without complaint (a cut gzip member or a
short last record just ends the iteration), so this module checks for itself
that each record's block and the archive as a whole were read to the end.
"""

from __future__ import annotations

import io
import zlib
from bisect import bisect_left
from dataclasses import dataclass
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
_BLANK_LINES = 4  # the CRLF CRLF after each record


class Truncated(Exception):
    """The archive ends inside a record (internal: reported as one IngestError)."""


@dataclass(frozen=True)
class Place:
    """Where a record lies in its archive, and what its WARC headers say of it (the
    provenance ``claimdesk spark analyze`` keeps beside each row).

    ``offset`` and ``length`` count bytes of the file as stored when each record is its own
    gzip member (as WARC 1.1 recommends and CC-NEWS writes them: a range request for them
    fetches the record alone) or the file is not gzipped, ``in_file`` True; bytes of the
    inflated stream for a file gzipped whole, ``in_file`` False."""

    offset: int
    length: int
    target_uri: str | None = None
    date: str | None = None
    record_id: str | None = None
    in_file: bool = True


def read_warc(source: bytes | BinaryIO, *, name: str, max_bytes: int) -> Iterator[RawDocument | IngestError]:
    """Documents from every HTML response, then one IngestError if the archive is cut short.

    ``source`` may be a seekable binary stream, so a big archive is never held in
    memory. Each document is held back until the next record is read whole (or
    the archive ends cleanly), so a record cut by truncation is never passed on.
    """
    return (item for item, _ in read_warc_places(source, name=name, max_bytes=max_bytes))


def read_warc_places(source: bytes | BinaryIO, *, name: str,
                     max_bytes: int) -> Iterator[tuple[RawDocument | IngestError, Place | None]]:
    """What ``read_warc`` yields, each item with its record's ``Place`` (None for an error
    about the archive as a whole: cut short, or corrupt)."""
    stream = io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else source
    gzipped = _peek(stream, 2) == GZIP_MAGIC
    ends_clean = gzipped or _ends_with_blank_lines(stream)
    if gzipped:
        stream = GunzipStream(stream)
    done = 0
    held: tuple[RawDocument | IngestError, tuple] | None = None
    try:
        records = ArchiveIterator(stream)
        for number, record in enumerate(records, start=1):
            item = _record_item(record, number, name, max_bytes)
            _drain(record)
            where = (records.get_record_offset(), records.get_record_length(), record.rec_headers)
            if held is not None:
                yield held[0], _place(stream, *held[1])
            held, done = ((item, where) if item is not None else None), number
    except Exception as err:  # a failure inside the archive structure: it is cut or corrupt
        if held is not None:
            yield held[0], _place(stream, *held[1])  # read whole before the failure
        yield IngestError(name, f"truncated WARC after {done} records: {_plain(err)}"), None
        return
    if not ends_clean:
        yield IngestError(name, f"truncated WARC after {max(done - 1, 0)} records: the last record is cut short"), None
        return
    if held is not None:
        yield held[0], _place(stream, *held[1])


def _place(stream: BinaryIO, offset: int, length: int, headers) -> Place:
    """The record's place: in the stored file's bytes where it can be (``Place``)."""
    in_file = True
    if isinstance(stream, GunzipStream):
        offset, length, in_file = stream.stored_range(offset, length)
    return Place(offset, length, headers.get_header("WARC-Target-URI"), headers.get_header("WARC-Date"),
                 headers.get_header("WARC-Record-ID"), in_file)


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
        self._read = 0  # bytes read from the stored file
        # where each gzip member starts: inflated offset -> stored offset (the last pair is the end)
        self._starts: list[int] = [0]
        self._stored: list[int] = [0]

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

    def _read_raw(self) -> bytes:
        data = self._raw.read(_CHUNK)
        self._read += len(data)
        return data

    def stored_range(self, offset: int, length: int) -> tuple[int, int, bool]:
        """A range of the inflated stream as a range of the stored file, when it is one gzip
        member (offset, length, True); else as given (offset, length, False). The range may
        leave out the blank lines that end the record, inside the member."""
        first = bisect_left(self._starts, offset)
        last = bisect_left(self._starts, offset + length)
        if (first < len(self._starts) and self._starts[first] == offset and last == first + 1
                and last < len(self._starts) and self._starts[last] - (offset + length) <= _BLANK_LINES):
            return self._stored[first], self._stored[last] - self._stored[first], True
        return offset, length, False

    def _fill(self) -> bool:
        """Inflate the next chunk; False at a clean end, Truncated at a cut one."""
        if self._inflater.eof:
            rest = self._inflater.unused_data or self._read_raw()
            self._starts.append(self._position)
            self._stored.append(self._read - len(rest))
            if not rest.strip(b"\0"):
                return False
            self._inflater = zlib.decompressobj(wbits=31)
        else:
            rest = self._inflater.unconsumed_tail or self._read_raw()
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
