"""ingest: any input (file, folder, stdin, URL) to RawDocuments.

The dispatcher sniffs the format from the bytes and hands them to one reader
per format. It never raises for bad input: whatever goes wrong becomes an
IngestError naming the input and the cause, and the batch goes on.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from ..model import IngestError, RawDocument
from .budget import ENV_READ_SECONDS, read_seconds, within_budget
from .detect import GZIP_MAGIC, HEAD_BYTES, detect_format, gunzip, gunzip_head
from .errors import ENV_MAX_BYTES, ReadError, too_big
from .feeds import read_feed, read_json_feed
from .files import open_regular, printable_name
from .fetch import charset_of, is_http_url
from .fetch import fetch as fetch_url
from .html import host, read_html, visible_text
from .jsonl import read_jsonl
from .text import read_text
from .warc import Place, read_warc, read_warc_places

__all__ = [
    "DEFAULT_MAX_BYTES",
    "ENV_READ_SECONDS",
    "ReadError",
    "detect_format",
    "entry_page",
    "expand_inputs",
    "fetch_url",
    "linked_page",
    "max_bytes_limit",
    "read_bytes",
    "read_input",
    "read_seconds",
    "read_warc_stream",
    "visible_text",
]

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
Item = RawDocument | IngestError
_FEED_FORMATS = ("rss", "atom", "jsonfeed")


def max_bytes_limit(max_bytes: int | None = None) -> int:
    """The size limit: the argument, else CLAIMDESK_MAX_BYTES, else DEFAULT_MAX_BYTES."""
    if max_bytes is not None:
        return max_bytes
    value = os.environ.get(ENV_MAX_BYTES, "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else DEFAULT_MAX_BYTES


def expand_inputs(inputs: Iterable[str]) -> list[str]:
    """Files as given, folders recursively (sorted, skipping hidden files/dirs), '-' for stdin, http(s) URLs kept as is.
    A path that does not exist is kept too (read_input reports it as an IngestError)."""
    expanded: list[str] = []
    for name in inputs:
        if name != "-" and not is_http_url(name) and os.path.isdir(name):
            expanded.extend(_folder_files(name))
        else:
            expanded.append(name)
    return expanded


def _folder_files(folder: str) -> list[str]:
    """Visible files under folder in sorted path order; hidden names are tool state, not inputs."""
    found: list[tuple[tuple[str, ...], str]] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for filename in filenames:
            if not filename.startswith("."):
                path = os.path.join(dirpath, filename)
                found.append((Path(os.path.relpath(path, folder)).parts, path))
    return [path for _, path in sorted(found)]


def read_input(
    name: str, *, fetch: bool = False, max_bytes: int | None = None, stdin: BinaryIO | None = None
) -> Iterator[RawDocument | IngestError]:
    """Read one input (file path, '-' or URL) and yield every document in it, and an IngestError for each
    part that failed. It never raises for bad input: every exception from a reader becomes an IngestError
    naming the input (path, path:line N for JSONL, path#record N or the record URL for WARC) and the cause in
    plain words. A URL without fetch=True yields an IngestError saying to pass --fetch.

    Names are reported as ``printable_name`` shows them (a file is still opened by its real name), and
    reading each file, page or stdin's bytes has a time budget (``read_seconds``, see budget.py)."""
    limit = max_bytes_limit(max_bytes)
    if is_http_url(name):
        items = _read_url(name, fetch=fetch, max_bytes=limit)
    elif name == "-":
        items = _read_stdin(stdin, max_bytes=limit)
    else:
        items = _read_path(name, max_bytes=limit)
    if fetch:
        items = _with_entry_pages(items, max_bytes=limit)
    try:
        for item in items:
            yield _printable(item)
    except Exception as err:  # last line of defence: one input never ends the batch
        yield IngestError(printable_name(name), f"cannot read: {type(err).__name__}: {err}")


def _printable(item: Item) -> Item:
    """The names an item carries, printable whatever a reader put there (a WARC's record URL, a
    feed's outlet as scope): they end up in SQLite, on terminals and in logs."""
    if isinstance(item, IngestError):
        shown = printable_name(item.input)
        return item if shown == item.input else dataclasses.replace(item, input=shown)
    item.path = printable_name(item.path) if item.path else item.path
    item.scope = printable_name(item.scope) if item.scope else item.scope
    return item


def read_bytes(
    data: bytes,
    *,
    path: str | None = None,
    url: str | None = None,
    fetched: str | None = None,
    max_bytes: int | None = None,
    charset: str | None = None,
) -> Iterator[RawDocument | IngestError]:
    """Detect the format of data and dispatch to the reader (used by read_input, by fetched URLs and by tests).

    ``charset`` is a declared charset (the HTTP header's) used when the bytes are not UTF-8.
    """
    path = printable_name(path) if path else path
    name = path or url or "<bytes>"
    limit = max_bytes_limit(max_bytes)
    try:
        data, fmt = _unwrap(data, limit, what="file" if path not in (None, "-") else "input")
        items = _dispatch(fmt, data, name=name, url=url, charset=charset, max_bytes=limit)
        for item in _or_nothing_found(items, name, fmt):
            yield _finish(item, name=name, path=path, url=url, fetched=fetched)
    except ReadError as err:
        yield IngestError(name, str(err))
    except Exception as err:  # a reader bug or a library choking on odd input: report, never crash the batch
        yield IngestError(name, f"cannot read: {type(err).__name__}: {err}")


_NOTHING_FOUND = {
    "warc": "no complete HTML response record in this WARC (is it cut short, or holds it no pages?)",
}


def _or_nothing_found(items: Iterable[Item], name: str, fmt: str) -> Iterator[Item]:
    """The items, or an error saying nothing was found: an input never vanishes without a word."""
    produced = False
    for item in items:
        produced = True
        yield item
    if not produced:
        yield IngestError(name, _NOTHING_FOUND.get(fmt, f"no documents found in this {fmt} input"))


def _unwrap(data: bytes, limit: int, *, what: str) -> tuple[bytes, str]:
    """The bytes a reader should get and their format, within the size limit.

    A WARC is exempt from the whole-input limit (it applies per record there) and
    stays gzipped (read member by member); other gzip data is inflated, stopping
    at the limit.
    """
    fmt = detect_format(data)
    if fmt == "warc":
        return data, fmt
    if len(data) > limit:
        raise too_big(what, len(data), limit)
    if data.startswith(GZIP_MAGIC):
        data = gunzip(data, limit)
        fmt = detect_format(data)
    return data, fmt


def _dispatch(fmt: str, data: bytes, *, name: str, url: str | None, charset: str | None, max_bytes: int) -> Iterator[Item]:
    """The one place that knows which reader handles which format."""
    if fmt == "warc":
        return read_warc(data, name=name, max_bytes=max_bytes)
    if fmt == "html":
        return read_html(data, url=url, charset=charset)
    if fmt in ("rss", "atom", "rdf"):
        return read_feed(data, kind=fmt, name=name, url=url)
    if fmt == "jsonfeed":
        return read_json_feed(data, name=name)
    if fmt == "jsonl":
        return read_jsonl(data, name=name, charset=charset)
    if fmt == "sitemap":
        raise ReadError("this is a sitemap: a list of links with no text of its own; "
                        "follow it with 'claimdesk sources add URL' to read its pages")
    return read_text(data, url=url, charset=charset)


def _finish(item: Item, *, name: str, path: str | None, url: str | None, fetched: str | None) -> Item:
    """Fill what every document must carry: path, fetch time, scope; refuse an empty text."""
    if isinstance(item, IngestError):
        return item
    if not item.text.strip():
        return IngestError(item.url or name, "no text in this document")
    item.path = path
    item.fetched = item.fetched or fetched
    item.scope = item.scope or _scope(item, path, url)
    return item


def _scope(doc: RawDocument, path: str | None, url: str | None) -> str | None:
    """What site chrome is learned across: the outlet, else the file's folder, else the host."""
    if doc.outlet:
        return doc.outlet
    if path and path != "-":
        return str(Path(path).parent)
    return host(doc.url or url)


def _budgeted(items: Iterable[Item], name: str) -> Iterator[Item]:
    """The items within the read budget; an archive's budget restarts per record (as its size limit does)."""
    return within_budget(items, name, read_seconds(), restart=_is_archive_record)


def _is_archive_record(item: Item) -> bool:
    return isinstance(item, RawDocument) and item.format == "warc"


def _read_path(path: str, *, max_bytes: int) -> Iterator[Item]:
    """A file (a folder is read file by file, each with its own time budget)."""
    if os.path.isdir(path):
        for file in _folder_files(path):
            yield from _budgeted(_read_file(file, max_bytes=max_bytes), printable_name(file))
        return
    yield from _budgeted(_read_file(path, max_bytes=max_bytes), printable_name(path))


def _read_file(path: str, *, max_bytes: int) -> Iterator[Item]:
    """One file, opened by its real name and named by its printable one; only regular files are opened.
    WARC files are streamed, everything else read whole."""
    shown = printable_name(path)
    try:
        with open_regular(path) as handle:
            if _is_warc_stream(handle):
                yield from (item for item, _ in _warc_items(handle, shown, max_bytes))
                return
            size = os.fstat(handle.fileno()).st_size
            if size > max_bytes:
                raise too_big("file", size, max_bytes)
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        yield IngestError(shown, "no such file")
        return
    except PermissionError:
        yield IngestError(shown, "cannot read: permission denied")
        return
    except ReadError as err:
        yield IngestError(shown, str(err))
        return
    except OSError as err:
        yield IngestError(shown, f"cannot read: {err.strerror or err}")
        return
    yield from read_bytes(data, path=shown, max_bytes=max_bytes)


def _warc_items(handle: BinaryIO, shown: str, max_bytes: int) -> Iterator[tuple[Item, Place | None]]:
    """A WARC file's items as ``read_input`` gives them (before its time budget), each with its
    record's place (``warc.Place``, None for an error about the archive as a whole)."""
    produced = False
    for item, place in read_warc_places(handle, name=shown, max_bytes=max_bytes):
        produced = True
        yield _finish(item, name=shown, path=shown, url=None, fetched=None), place
    if not produced:
        yield IngestError(shown, _NOTHING_FOUND["warc"]), None


def read_warc_stream(handle: BinaryIO, name: str, *, max_bytes: int | None = None) -> Iterator[tuple[Item, Place | None]]:
    """A WARC archive already opened (from any file system: ``claimdesk spark analyze`` opens
    ``hdfs://`` or ``s3a://`` paths itself), read exactly as ``read_input`` reads a WARC file
    named ``name``: the same documents and errors, under the same size limit and time budget,
    each with its record's ``warc.Place``."""
    shown = printable_name(name)
    limit = max_bytes_limit(max_bytes)
    pairs = within_budget(_warc_items(handle, shown, limit), shown, read_seconds(),
                          restart=lambda pair: _is_archive_record(pair[0]))
    for pair in pairs:
        item, place = pair if isinstance(pair, tuple) else (pair, None)  # the budget's own error is bare
        yield _printable(item), place


def _is_warc_stream(handle: BinaryIO) -> bool:
    """Peek at a file: a WARC (plain or gzip) is read as a stream, record by record."""
    head = handle.read(HEAD_BYTES)
    handle.seek(0)
    try:
        if head.startswith(GZIP_MAGIC):
            head = gunzip_head(head, 16)
        return head.startswith((b"WARC/1.", b"WARC/0."))
    except ReadError:
        return False


def _read_stdin(stdin: BinaryIO | None, *, max_bytes: int) -> Iterator[Item]:
    source = stdin if stdin is not None else sys.stdin.buffer
    try:
        data = source.read(max_bytes + 1)
    except OSError as err:
        yield IngestError("-", f"cannot read standard input: {err}")
        return
    yield from _budgeted(read_bytes(data, path="-", max_bytes=max_bytes), "-")  # waiting for the pipe is not reading


def _read_url(url: str, *, fetch: bool, max_bytes: int) -> Iterator[Item]:
    if not fetch:
        yield IngestError(url, "this is a URL; pass --fetch to download it")
        return
    try:
        data, final_url, fetched, content_type = fetch_url(url, max_bytes=max_bytes)
    except ReadError as err:
        yield IngestError(url, str(err))
        return
    pages = read_bytes(data, url=final_url, fetched=fetched, max_bytes=max_bytes, charset=charset_of(content_type))
    yield from _budgeted(pages, final_url)  # the download has its own timeout


def _with_entry_pages(items: Iterable[Item], *, max_bytes: int) -> Iterator[Item]:
    """With --fetch, each feed entry's page replaces the entry; on failure the entry stays, with a note."""
    for item in items:
        if isinstance(item, RawDocument) and item.format in _FEED_FORMATS and item.url:
            yield from entry_page(item, max_bytes=max_bytes)
        else:
            yield item


Fetcher = Callable[..., tuple[bytes, str, str, "str | None"]]


def entry_page(entry: RawDocument, *, max_bytes: int, fetch: Fetcher | None = None) -> Iterator[Item]:
    """The page an entry links to, in place of the entry (its outlet, date, language and author
    filling what the page lacks); when it cannot be had, an error saying why and the entry itself.
    ``fetch(url, max_bytes=...)`` downloads (default: ``fetch.fetch``; the poller passes its own,
    polite one)."""
    try:
        page = linked_page(entry.url or "", max_bytes=max_bytes, fetch=fetch)
    except ReadError as err:
        yield IngestError(entry.url or "", f"could not fetch the entry page ({err}); kept the feed text")
        yield entry
        return
    page.path = entry.path
    page.outlet = page.outlet or entry.outlet
    page.published = page.published or entry.published
    page.language = page.language or entry.language
    page.author = page.author or entry.author
    page.scope = page.outlet or entry.scope
    yield page


def linked_page(url: str, *, max_bytes: int, fetch: Fetcher | None = None) -> RawDocument:
    """The HTML page at ``url`` as a document, or ReadError saying why not."""
    data, final_url, fetched, content_type = (fetch or fetch_url)(url, max_bytes=max_bytes)
    read = read_bytes(data, url=final_url, fetched=fetched, max_bytes=max_bytes, charset=charset_of(content_type))
    pages = list(_budgeted(read, final_url))
    page = next((p for p in pages if isinstance(p, RawDocument) and p.format == "html"), None)
    if page is None:
        raise ReadError(next((str(p.cause) for p in pages if isinstance(p, IngestError)), "the link is not an HTML page"))
    return page
