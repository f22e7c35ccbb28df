"""ingest: every format, every failure named, detection from content, fetching from a local server."""

from __future__ import annotations

import gzip
import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from claimdesk.ingest import (
    DEFAULT_MAX_BYTES,
    ReadError,
    detect_format,
    expand_inputs,
    max_bytes_limit,
    read_bytes,
    read_input,
    visible_text,
)
from claimdesk.ingest.decode import decode
from claimdesk.model import IngestError, RawDocument

BODY = (
    "The deputy claimed that some mines had been laid after the ceasefire, according to Turan. "
    "He said the peacekeepers had not reported it, and the ministry has not commented so far. "
)


def page(title: str = "Peacekeepers leave Karabakh", *, h1: str | None = None, extra: str = "") -> str:
    """A news page with metadata, chrome and an article of several paragraphs."""
    heading = f"<h1>{h1}</h1>" if h1 else ""
    paragraphs = "".join(f"<p>{BODY} Paragraph {i}.</p>" for i in range(4))
    return (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
        f"<title>{title} | Example Times</title>"
        '<meta name="author" content="Jane Roe">'
        '<meta property="og:site_name" content="Example Times">'
        '<meta property="article:published_time" content="2023-12-20T09:30:00Z">'
        '<link rel="canonical" href="https://example.com/news/peacekeepers">'
        "</head><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article>{heading}{paragraphs}{extra}</article>"
        "<footer>Copyright Example Times</footer><script>var tracking = 1;</script></body></html>"
    )


def split(items: Iterator[RawDocument | IngestError]) -> tuple[list[RawDocument], list[IngestError]]:
    items = list(items)
    assert all(isinstance(i, (RawDocument, IngestError)) for i in items)
    return [i for i in items if isinstance(i, RawDocument)], [i for i in items if isinstance(i, IngestError)]


def only_doc(items: Iterator[RawDocument | IngestError]) -> RawDocument:
    docs, errors = split(items)
    assert not errors, errors
    assert len(docs) == 1, docs
    return docs[0]


def only_error(items: Iterator[RawDocument | IngestError]) -> IngestError:
    docs, errors = split(items)
    assert not docs, docs
    assert len(errors) == 1, errors
    return errors[0]


# --- text -------------------------------------------------------------------------------------------


def test_text_dump_is_kept_as_decoded_with_newlines_normalised(tmp_path):
    path = tmp_path / "dump.txt"
    path.write_bytes(b"Headline of another story\r\n\r\nBody line one.\rBody line two.\n")
    doc = only_doc(read_input(str(path)))
    assert doc.text == "Headline of another story\n\nBody line one.\nBody line two.\n"
    assert doc.format == "text"
    assert doc.path == str(path)
    assert doc.scope == str(tmp_path)
    assert doc.title is None  # the cleaner picks the title
    assert len(doc.id) == 64


# --- HTML -------------------------------------------------------------------------------------------


def test_html_page_metadata_and_body():
    doc = only_doc(read_bytes(page(h1="Peacekeepers leave Karabakh").encode(), path="saved/page.html"))
    assert doc.format == "html"
    assert doc.title == "Peacekeepers leave Karabakh"
    assert doc.published == "2023-12-20"
    assert doc.author == "Jane Roe"
    assert doc.outlet == "Example Times"
    assert doc.scope == "Example Times"
    assert doc.language == "en"
    assert doc.url == "https://example.com/news/peacekeepers"
    assert "The deputy claimed that some mines" in doc.text
    assert "Paragraph 3." in doc.text
    assert "tracking" not in doc.text and "Copyright" not in doc.text
    assert doc.text.count("Peacekeepers leave Karabakh") == 1  # body already starts with the title


def test_html_title_becomes_first_line_when_body_lacks_it():
    doc = only_doc(read_bytes(page().encode(), url="https://example.com/a"))
    first, blank, rest = doc.text.split("\n", 2)
    assert (first, blank) == ("Peacekeepers leave Karabakh", "")
    assert rest.startswith("The deputy claimed")
    assert doc.url == "https://example.com/a"  # the argument outranks the canonical link


def test_html_mislabelled_charset_is_decoded_right():
    html = page(extra="<p>\u201cWe will not retreat,\u201d said the caf\u00e9 owner \u2014 it\u2019s final.</p>")
    data = html.encode("cp1252")
    assert b'charset="utf-8"' in data
    doc = only_doc(read_bytes(data, path="p.html"))
    assert "\u201cWe will not retreat,\u201d said the caf\u00e9 owner \u2014 it\u2019s final." in doc.text


def test_html_declared_charset_is_used_when_not_utf8():
    html = "<html><head><meta charset='windows-1251'><title>Новости</title></head><body><p>Привет, мир! Это новости дня.</p></body></html>"
    doc = only_doc(read_bytes(html.encode("cp1251"), path="ru.html"))
    assert "Привет, мир! Это новости дня." in doc.text


def test_gzipped_html(tmp_path):
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(page().encode()))
    doc = only_doc(read_input(str(path)))
    assert doc.format == "html" and doc.title == "Peacekeepers leave Karabakh"


def test_html_without_main_text_falls_back_to_visible_text():
    html = "<html><head><title>Tiny</title></head><body><div>One short line</div><div>Another</div></body></html>"
    doc = only_doc(read_bytes(html.encode(), path="tiny.html"))
    assert doc.text.startswith("Tiny\n\n")
    assert "One short line" in doc.text and "Another" in doc.text


def test_extracted_says_whether_an_extractor_chose_the_text(monkeypatch):
    """The cleaner trusts a chosen text's layout; a whole-page fallback or a dump gets the full rules."""
    import trafilatura

    chosen = only_doc(read_bytes(page("First story").encode(), path="a.html"))
    with monkeypatch.context() as nothing_found:
        nothing_found.setattr(trafilatura, "bare_extraction", lambda *a, **k: None)
        fallback = only_doc(read_bytes(page("Third story").encode(), path="c.html"))
    record = json.dumps({"html": page("Second story"), "url": "https://a.example/2"})
    from_jsonl = only_doc(read_bytes(record.encode() + b"\n", path="export.jsonl"))
    dump = only_doc(read_bytes(b"Title\n\nSome text of a page.\n", path="dump.txt"))
    assert (chosen.extracted, fallback.extracted, from_jsonl.extracted, dump.extracted) == (True, False, True, False)
    assert from_jsonl.format == "jsonl"


def test_malformed_html_does_not_crash():
    html = "<html><body><p>Unclosed <b>bold <i>and <div>mess</p></span>" + "<td>cell" * 50 + "</html"
    docs, errors = split(read_bytes(html.encode(), path="bad.html"))
    assert docs or errors
    assert all(d.text.strip() for d in docs)


def test_visible_text_lines_and_hidden_parts():
    html = (
        "<div>First   block<br>after break</div><script>x()</script><style>p{}</style>"
        "<p>Second <b>block</b><!-- note --> end</p><ul><li>one</li><li>two</li></ul>"
        "<div hidden>secret</div><template>tpl</template>tail text"
    )
    assert visible_text(html) == "First block\nafter break\nSecond block end\none\ntwo\ntail text"
    assert visible_text("") == ""
    assert visible_text("   ") == ""


# --- WARC -------------------------------------------------------------------------------------------


def warc_bytes(pages: list[tuple[str, str, bytes]], *, gz: bool) -> bytes:
    """A WARC with one response record per (url, content type, body)."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gz)
    for url, content_type, body in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), http_headers=headers,
            warc_headers_dict={"WARC-Date": "2024-01-05T10:00:00Z"},
        )
        writer.write_record(record)
    return out.getvalue()


WARC_PAGES = [
    ("https://a.example/one", "text/html; charset=utf-8", page("First story").encode()),
    ("https://a.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40),
    ("https://b.example/two", "text/html", page("Second story").encode()),
]


@pytest.mark.parametrize("gz", [False, True])
def test_warc_html_responses_become_documents(tmp_path, gz):
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    path.write_bytes(warc_bytes(WARC_PAGES, gz=gz))
    docs, errors = split(read_input(str(path)))
    assert not errors
    assert [d.url for d in docs] == ["https://a.example/one", "https://b.example/two"]
    assert [d.title for d in docs] == ["First story", "Second story"]
    assert all(d.format == "warc" and d.fetched == "2024-01-05T10:00:00Z" and d.path == str(path) for d in docs)


def test_truncated_warc_gz_yields_documents_before_the_cut_and_one_error():
    data = warc_bytes([(f"https://a.example/{i}", "text/html", page(f"Story {i}").encode()) for i in range(3)], gz=True)
    cut = data[: len(data) * 5 // 6]
    docs, errors = split(read_bytes(cut, path="cut.warc.gz"))
    assert [d.url for d in docs] == ["https://a.example/0", "https://a.example/1"]
    assert len(errors) == 1
    assert errors[0].input == "cut.warc.gz"
    assert errors[0].cause.startswith("truncated WARC after 2 records")


def test_truncated_plain_warc_drops_the_cut_record():
    data = warc_bytes([(f"https://a.example/{i}", "text/html", page(f"Story {i}").encode()) for i in range(3)], gz=False)
    docs, errors = split(read_bytes(data[: len(data) - 300], path="cut.warc"))
    assert [d.url for d in docs] == ["https://a.example/0", "https://a.example/1"]
    assert [e.cause.split(":")[0] for e in errors] == ["truncated WARC after 2 records"]


@pytest.mark.parametrize("gz", [False, True])
def test_warc_cut_inside_its_first_record_is_an_error_not_silence(tmp_path, gz):
    data = warc_bytes([("https://a.example/0", "text/html", page("Story 0").encode())], gz=gz)
    path = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
    path.write_bytes(data[: len(data) // 3])
    docs, errors = split(read_input(str(path)))
    assert docs == []
    assert len(errors) == 1 and errors[0].input == str(path)


def test_warc_record_over_the_limit_is_skipped_with_an_error():
    small = "<p>" + "Short page text. " * 5 + "</p>"
    data = warc_bytes(
        [("https://a.example/big", "text/html", page().encode()), ("https://a.example/small", "text/html", small.encode())],
        gz=False,
    )
    docs, errors = split(read_bytes(data, path="x.warc", max_bytes=len(data) - 10))
    docs_small, errors_small = split(read_bytes(data, path="x.warc", max_bytes=1000))
    assert [d.url for d in docs] == ["https://a.example/big", "https://a.example/small"] and not errors
    assert [d.url for d in docs_small] == ["https://a.example/small"]
    assert [e.input for e in errors_small] == ["https://a.example/big"]
    assert "over the 1,000 bytes limit (CLAIMDESK_MAX_BYTES)" in errors_small[0].cause


# --- feeds ------------------------------------------------------------------------------------------

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Example Wire</title><link>https://wire.example/</link><language>en-us</language>
<item><title>Ceasefire holds</title><link>https://wire.example/1</link>
<pubDate>Tue, 19 Dec 2023 10:00:00 +0100</pubDate><author>desk@wire.example (Desk)</author>
<description>&lt;p&gt;The ceasefire &lt;b&gt;held&lt;/b&gt; overnight.&lt;/p&gt;&lt;p&gt;Officials said so.&lt;/p&gt;</description></item>
<item><title>Second item</title><link>https://wire.example/2</link><description>Plain summary.</description></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr"><title>Atom Post</title><id>urn:x</id><updated>2023-12-19T10:00:00Z</updated>
<entry><title>Talks resume</title><id>urn:1</id><link href="https://atom.example/talks"/>
<updated>2023-12-19T10:00:00Z</updated><published>2023-12-18</published>
<content type="html">&lt;p&gt;First paragraph.&lt;/p&gt;&lt;p&gt;Second paragraph.&lt;/p&gt;</content></entry>
</feed>"""

JSON_FEED = json.dumps({
    "version": "https://jsonfeed.org/version/1.1",
    "title": "JSON Desk",
    "language": "de",
    "items": [
        {"id": "1", "url": "https://json.example/1", "title": "Item one", "content_text": "Text of item one.",
         "date_published": "2023-12-17T08:00:00+02:00", "authors": [{"name": "A. Writer"}]},
        {"id": "2", "url": "https://json.example/2", "content_html": "<p>Only <i>HTML</i> here.</p>"},
        {"id": "3"},
    ],
}).encode()


def test_rss_one_document_per_entry():
    docs, errors = split(read_bytes(RSS, path="feeds/wire.xml"))
    assert not errors
    assert [d.url for d in docs] == ["https://wire.example/1", "https://wire.example/2"]
    first = docs[0]
    assert first.text == "Ceasefire holds\n\nThe ceasefire held overnight.\nOfficials said so."
    assert (first.format, first.outlet, first.language, first.title) == ("rss", "Example Wire", "en-us", "Ceasefire holds")
    assert first.published == "2023-12-19T10:00:00+01:00"
    assert first.scope == "Example Wire" and first.path == "feeds/wire.xml"
    assert docs[1].text == "Second item\n\nPlain summary."


def test_atom_entries():
    doc = only_doc(read_bytes(ATOM, path="atom.xml"))
    assert doc.format == "atom"
    assert doc.text == "Talks resume\n\nFirst paragraph.\nSecond paragraph."
    assert (doc.url, doc.outlet, doc.published) == ("https://atom.example/talks", "Atom Post", "2023-12-18")


def test_json_feed_items_and_empty_item_error():
    docs, errors = split(read_bytes(JSON_FEED, path="feed.json"))
    assert [d.url for d in docs] == ["https://json.example/1", "https://json.example/2"]
    assert docs[0].text == "Item one\n\nText of item one."
    assert (docs[0].format, docs[0].outlet, docs[0].language) == ("jsonfeed", "JSON Desk", "de")
    assert docs[0].published == "2023-12-17T08:00:00+02:00" and docs[0].author == "A. Writer"
    assert docs[1].text == "Only HTML here." and docs[1].title is None
    assert [e.input for e in errors] == ["feed.json#entry 3"]


def test_feed_with_script_and_javascript_link_gives_text_only_and_fetches_nothing(monkeypatch):
    import claimdesk.ingest as ingest

    def no_fetch(*args, **kwargs):
        raise AssertionError("nothing may be fetched")

    monkeypatch.setattr(ingest, "fetch_url", no_fetch)
    rss = b"""<rss version="2.0"><channel><title>Evil</title><item><title>Click</title>
    <link>javascript:alert(document.cookie)</link>
    <description>&lt;p&gt;Safe words.&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;</description>
    </item></channel></rss>"""
    doc = only_doc(read_bytes(rss, path="evil.xml"))
    assert doc.text == "Click\n\nSafe words."
    assert doc.url is None


def test_broken_feed_is_an_error():
    error = only_error(read_bytes(b"<?xml version='1.0'?><rss version='2.0'><channel><title>x</title><item><title>", path="broken.xml"))
    assert error.input == "broken.xml"
    assert error.cause.startswith("broken feed: ")


def test_broken_feed_with_entries_still_yields_them():
    rss = b"<rss version='2.0'><channel><title>T</title><item><title>Good entry</title><description>Text &amp; more</description></item><item><title>cut"
    docs, _ = split(read_bytes(rss, path="half.xml"))
    assert docs and docs[0].text.startswith("Good entry\n\nText & more")


# --- JSONL ------------------------------------------------------------------------------------------


def test_jsonl_good_and_bad_lines(tmp_path):
    lines = [
        json.dumps({"title": "Headline A", "text": "Body of A.", "url": "https://j.example/a", "published": "2023-12-01", "outlet": "J Times"}),
        "{not json",
        json.dumps({"title": "No body"}),
        "",
        json.dumps({"html": page("From HTML"), "outlet": "Override Outlet"}),
        json.dumps({"title": "Same", "text": "Same start of text."}),
        json.dumps(["a", "list"]),
    ]
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join(lines) + "\n")
    docs, errors = split(read_input(str(path)))
    assert [(e.input, e.cause.split(":")[0]) for e in errors] == [
        (f"{path}:line 2", "invalid JSON"),
        (f"{path}:line 3", "no text or html field"),
        (f"{path}:line 7", "line is not a JSON object"),
    ]
    assert [d.text.split("\n")[0] for d in docs] == ["Headline A", "From HTML", "Same start of text."]
    assert docs[0].text == "Headline A\n\nBody of A."
    assert (docs[0].url, docs[0].published, docs[0].outlet, docs[0].format) == ("https://j.example/a", "2023-12-01", "J Times", "jsonl")
    assert docs[1].outlet == "Override Outlet" and docs[1].title == "From HTML" and "The deputy claimed" in docs[1].text
    assert docs[2].text == "Same start of text."


# --- detection --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "fmt"),
    [
        ("page.txt", page().encode(), "html"),
        ("feed.html", RSS, "rss"),
        ("feed.xml", ATOM, "atom"),
        ("records.txt", b'{"text": "a record"}\n{"text": "another"}\n', "jsonl"),
        ("notes.html", b"Just words, no markup at all.\n", "text"),
    ],
)
def test_format_is_detected_from_content(tmp_path, name, content, fmt):
    path = tmp_path / name
    path.write_bytes(content)
    docs, errors = split(read_input(str(path)))
    assert docs and not errors
    expected = {"jsonl": "jsonl", "rss": "rss", "atom": "atom", "html": "html", "text": "text"}[fmt]
    assert {d.format for d in docs} == {expected}


@pytest.mark.parametrize(
    ("data", "fmt"),
    [
        (b"WARC/1.1\r\n", "warc"),
        (b"\xef\xbb\xbf<!doctype html><p>x", "html"),
        (b"<?xml version='1.0'?>\n<!-- c -->\n<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>", "rdf"),
        (b"<div><p>fragment</p></div>", "html"),
        (b'{"version": "https://jsonfeed.org/version/1", "items": []}', "jsonfeed"),
        (b'{\n  "version": "https://jsonfeed.org/version/1.1",\n  "items": []\n}', "jsonfeed"),
        (b'\n\n{"text": "x"}\n', "jsonl"),
        (b"<Reuters> said nothing", "text"),
        (b"   \n  ", "text"),
        (gzip.compress(b"<html><body>x</body></html>"), "html"),
        ("<p>UTF-16 page</p>".encode("utf-16"), "html"),
    ],
)
def test_detect_format(data, fmt):
    assert detect_format(data) == fmt


# --- failures: each an IngestError naming the input and the cause ------------------------------------


@pytest.mark.parametrize(
    ("content", "cause"),
    [
        (b"", "empty file"),
        (b"  \n\t\n  ", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 30, "binary file (PNG image), not text"),
        (b"text with\x00nul\x00bytes\x00" * 10, "binary file (contains NUL bytes), not text"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "binary file (PDF document), not text"),
    ],
)
def test_unreadable_files_are_named_errors(tmp_path, content, cause):
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    error = only_error(read_input(str(path)))
    assert (error.input, error.cause) == (str(path), cause)


def test_oversized_file(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * 400)
    error = only_error(read_input(str(path), max_bytes=100))
    assert error.input == str(path)
    assert error.cause == "file is 2,000 bytes, over the 100 bytes limit (CLAIMDESK_MAX_BYTES)"


def test_size_limit_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CLAIMDESK_MAX_BYTES", "50")
    assert max_bytes_limit() == 50 and max_bytes_limit(7) == 7
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 60)
    assert "over the 50 bytes limit" in only_error(read_input(str(path))).cause
    monkeypatch.delenv("CLAIMDESK_MAX_BYTES")
    assert max_bytes_limit() == DEFAULT_MAX_BYTES == 50 * 1024 * 1024


def test_size_message_in_megabytes():
    error = only_error(read_bytes(b"x" * (3 * 1024 * 1024), path="f.txt", max_bytes=2 * 1024 * 1024))
    assert error.cause == "file is 3.0 MB, over the 2.0 MB limit (CLAIMDESK_MAX_BYTES)"


def test_gzip_bomb_stops_at_the_limit():
    bomb = gzip.compress(b"a" * 5_000_000)
    error = only_error(read_bytes(bomb, path="bomb.txt.gz", max_bytes=100_000))
    assert "decompressed data is over the" in error.cause


def test_missing_file():
    assert only_error(read_input("/no/such/file.txt")) == IngestError("/no/such/file.txt", "no such file")


def test_undecodable_bytes():
    with pytest.raises(ReadError, match="cannot decode"):
        decode(bytes(range(0x80, 0x100)) * 3 + b"\x81\x8d\x8f\x90\x9d" * 50)


def test_decode_bom_and_declared():
    assert decode("\ufeffhé\r\nx".encode("utf-8")) == "hé\nx"
    assert decode("hé".encode("utf-16")) == "hé"
    assert decode("smörgåsbord".encode("latin-1"), "iso-8859-1") == "smörgåsbord"


# --- inputs: folders, stdin, URLs -------------------------------------------------------------------


def test_expand_inputs(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("z")
    (tmp_path / "b" / "a.txt").write_text("a")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("x")
    (tmp_path / ".hidden.txt").write_text("h")
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "c.html").write_text("c")
    root = str(tmp_path)
    assert expand_inputs([root, "-", "https://x.example/p", "missing.txt"]) == [
        f"{root}/a.txt", f"{root}/b/a.txt", f"{root}/b/z.txt", f"{root}/c.html",
        "-", "https://x.example/p", "missing.txt",
    ]


def test_stdin():
    doc = only_doc(read_input("-", stdin=io.BytesIO(b"From a pipe.\n")))
    assert (doc.text, doc.path, doc.format) == ("From a pipe.\n", "-", "text")


def test_url_without_fetch():
    error = only_error(read_input("https://example.com/story"))
    assert error.input == "https://example.com/story" and "--fetch" in error.cause


# --- fetching from a local server --------------------------------------------------------------------


class Site(BaseHTTPRequestHandler):
    """A tiny local web site: pages, redirects, an oversized body and a feed linking to pages."""

    routes: dict[str, tuple[int, dict[str, str], bytes]] = {}

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        base = self.server.base  # type: ignore[attr-defined]
        status, headers, body = self.routes.get(self.path, (404, {"Content-Type": "text/plain"}, b"not found"))
        body = body.replace(b"{base}", base.encode())
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value.replace("{base}", base))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def site(monkeypatch) -> Iterator[str]:
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    html = {"Content-Type": "text/html; charset=utf-8"}
    feed = b"""<rss version="2.0"><channel><title>Local Wire</title>
      <item><title>Entry with page</title><link>{base}/page</link><description>Short teaser.</description>
      <pubDate>Tue, 19 Dec 2023 10:00:00 +0000</pubDate></item>
      <item><title>Entry with dead link</title><link>{base}/gone</link><description>Teaser kept.</description></item>
    </channel></rss>"""
    Site.routes = {
        "/page": (200, html, page().encode()),
        "/redirect": (302, {"Location": "{base}/page"}, b""),
        "/loop": (302, {"Location": "{base}/loop"}, b""),
        "/big": (200, {"Content-Type": "text/plain"}, b"x" * 5000),
        "/feed": (200, {"Content-Type": "application/rss+xml"}, feed),
    }
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    server.base = f"http://127.0.0.1:{server.server_address[1]}"  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.base  # type: ignore[attr-defined]
    server.shutdown()
    server.server_close()


def test_fetch_html_page(site):
    doc = only_doc(read_input(f"{site}/page", fetch=True))
    assert doc.url == f"{site}/page" and doc.format == "html"
    assert doc.title == "Peacekeepers leave Karabakh" and doc.fetched and doc.path is None
    assert doc.scope == "Example Times"


def test_fetch_follows_redirects(site):
    doc = only_doc(read_input(f"{site}/redirect", fetch=True))
    assert doc.url == f"{site}/page"
    error = only_error(read_input(f"{site}/loop", fetch=True))
    assert "more than 5 redirects" in error.cause


def test_fetch_oversized_body(site):
    error = only_error(read_input(f"{site}/big", fetch=True, max_bytes=1000))
    assert error.input == f"{site}/big" and "over the 1,000 bytes limit" in error.cause


def test_fetch_http_error(site):
    assert "HTTP 404" in only_error(read_input(f"{site}/gone", fetch=True)).cause


def test_feed_with_fetch_replaces_entries_by_their_pages(site, tmp_path):
    docs, errors = split(read_input(f"{site}/feed", fetch=True))
    assert [d.url for d in docs] == [f"{site}/page", f"{site}/gone"]
    fetched_page, kept_entry = docs
    assert fetched_page.format == "html" and "The deputy claimed" in fetched_page.text
    assert fetched_page.published == "2023-12-20"
    assert kept_entry.format == "rss" and kept_entry.text == "Entry with dead link\n\nTeaser kept."
    assert len(errors) == 1 and errors[0].input == f"{site}/gone" and "HTTP 404" in errors[0].cause

    feed_file = tmp_path / "local.xml"
    feed_file.write_bytes(Site.routes["/feed"][2].replace(b"{base}", site.encode()))
    without = split(read_input(str(feed_file)))[0]
    assert [d.format for d in without] == ["rss", "rss"]  # no fetch: links never followed
    with_fetch = split(read_input(str(feed_file), fetch=True))[0]
    assert [d.format for d in with_fetch] == ["html", "rss"] and with_fetch[0].path == str(feed_file)
