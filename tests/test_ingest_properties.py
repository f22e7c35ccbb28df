"""Property: read_bytes never raises, whatever the bytes, and only yields documents with text or named errors."""

from __future__ import annotations

import gzip
import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from claimdesk.ingest import read_bytes
from claimdesk.model import IngestError, RawDocument

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MARKUP = ["<p>", "</p>", "<br>", "<div>", "<script>", "</script>", "<!--", "-->", "&amp;", "&#0;", "&", "<", ">",
          "]]>", "<![CDATA[", "\r\n", "\n", "\x00", "\ufeff", "WARC/1.0", "{", "}", '"', "\u201c"]
words = st.lists(st.one_of(st.text(max_size=30), st.sampled_from(MARKUP)), max_size=12).map("".join)


def check(data: bytes) -> None:
    """The contract every input must keep."""
    for item in read_bytes(data, path="corpus/input", max_bytes=1_000_000):
        assert isinstance(item, (RawDocument, IngestError))
        if isinstance(item, RawDocument):
            assert item.text.strip()
            assert item.path == "corpus/input" and item.format and item.scope
        else:
            assert item.input and item.cause


def html(title: str, body: str) -> bytes:
    return f"<!doctype html><html lang='en'><head><title>{title}</title></head><body><article><p>{body}</p></article></body></html>".encode()


def rss(title: str, body: str) -> bytes:
    return (
        f"<?xml version='1.0'?><rss version='2.0'><channel><title>{title}</title>"
        f"<item><title>{title}</title><link>http://x.example/{len(body)}</link><description>{body}</description></item></channel></rss>"
    ).encode()


def atom(title: str, body: str) -> bytes:
    return (
        "<feed xmlns='http://www.w3.org/2005/Atom'>"
        f"<title>{title}</title><entry><title>{title}</title><content type='html'>{body}</content></entry></feed>"
    ).encode()


def jsonl(title: str, body: str) -> bytes:
    lines = [json.dumps({"title": title, "text": body}), json.dumps({"html": body}), body, json.dumps({"text": title})]
    return "\n".join(lines).encode()


def jsonfeed(title: str, body: str) -> bytes:
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": title,
                       "items": [{"id": "1", "title": title, "content_html": body}, {"id": "2"}]}).encode()


def warc(title: str, body: str, gz: bool = False) -> bytes:
    """Deterministic (fixed record ids and dates) so hypothesis can replay an example."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gz)
    for number, (url, payload) in enumerate((("http://x.example/a", html(title, body)), ("http://x.example/b", body.encode()))):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        fixed = {"WARC-Record-ID": f"<urn:uuid:00000000-0000-0000-0000-00000000000{number}>", "WARC-Date": "2024-01-01T00:00:00Z"}
        record = writer.create_warc_record(url, "response", payload=io.BytesIO(payload), http_headers=headers, warc_headers_dict=fixed)
        writer.write_record(record)
    return out.getvalue()


SKELETONS = [html, rss, atom, jsonl, jsonfeed, warc, lambda t, b: warc(t, b, gz=True), lambda t, b: f"{t}\n\n{b}".encode()]


@st.composite
def near_valid(draw) -> bytes:
    """A valid skeleton of some format with random text, then maybe cut, flipped or gzipped."""
    make = draw(st.sampled_from(SKELETONS))
    data = bytearray(make(draw(words), draw(words)))
    if data and draw(st.booleans()):
        del data[draw(st.integers(0, len(data) - 1)):]
    for _ in range(draw(st.integers(0, 3))):
        if data:
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    if draw(st.integers(0, 5)) == 0:
        data = bytearray(gzip.compress(bytes(data), mtime=0))
    return bytes(data)


@SETTINGS
@given(st.binary(max_size=4096))
def test_random_bytes_never_raise(data):
    check(data)


@SETTINGS
@given(near_valid())
def test_near_valid_documents_never_raise(data):
    check(data)


@SETTINGS
@given(st.sampled_from(SKELETONS), words, words)
def test_valid_skeletons_never_raise(make, title, body):
    check(make(title, body))
