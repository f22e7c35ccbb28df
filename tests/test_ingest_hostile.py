"""ingest against hostile input (issue 15): odd file names, special files, pathological HTML and feeds,
damaged JSONL and gzip. Every input ends as documents and named errors, in bounded time, never a hang
or a crash later in the store. Large inputs are generated here, never committed."""

from __future__ import annotations

import gzip
import io
import json
import os
import signal
import socket
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimdesk import pipeline
from claimdesk.ingest import detect_format, read_bytes, read_input, visible_text
from claimdesk.model import IngestError, RawDocument
from claimdesk.store import Store

PARAGRAPH = (
    "The deputy claimed that some mines had been laid after the ceasefire, according to Turan. "
    "He said the peacekeepers had not reported it, and the ministry has not commented so far."
)
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def run_within(seconds: float, work: Callable[[], object]) -> object:
    """The result of work(), failing the test (not hanging the suite) when it takes longer than seconds.

    The work runs in a daemon thread, so a reader that blocks forever is reported as a failure."""
    box: dict[str, object] = {}

    def target() -> None:
        try:
            box["result"] = work()
        except BaseException as err:  # handed to the test thread
            box["error"] = err

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s"
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["result"]


def split(items: Iterable[RawDocument | IngestError]) -> tuple[list[RawDocument], list[IngestError]]:
    items = list(items)
    assert all(isinstance(i, (RawDocument, IngestError)) for i in items), items
    return [i for i in items if isinstance(i, RawDocument)], [i for i in items if isinstance(i, IngestError)]


def assert_printable(name: str | None) -> None:
    """Valid UTF-8 (no lone surrogates) with no control characters: safe for SQLite, terminals, logs."""
    assert name is not None
    name.encode("utf-8")
    assert not any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in name), repr(name)


def html_page(body: str, title: str = "Deep page") -> str:
    return f"<!DOCTYPE html><html lang='en'><head><title>{title}</title></head><body>{body}</body></html>"


# --- 1. file names that are not UTF-8 ----------------------------------------------------------------


def test_undecodable_file_name_is_ingested_and_stored(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    odd = os.path.join(os.fsencode(folder), b"bad-utf8-\xff\xfe.txt")
    with open(odd, "wb") as handle:
        handle.write(f"Mines laid after the ceasefire\n\n{PARAGRAPH}\n".encode())
    (folder / "z-good.txt").write_text(f"Another story entirely\n\n{PARAGRAPH} Second.\n")
    with Store(f"sqlite:///{tmp_path / 'c.db'}") as store:
        summary = pipeline.ingest([str(folder)], store, analyze=False)
        assert not summary.errors, summary.errors
        assert summary.documents == 2 and summary.new == 2
        paths = sorted(store.get(i).article.raw.path for i in summary.ids)
    assert paths[0] == os.path.join(str(folder), "bad-utf8-\\xff\\xfe.txt")  # recognisable, escaped
    assert paths[1] == str(folder / "z-good.txt")


def test_odd_names_are_printable_in_paths_scopes_and_errors(tmp_path):
    folder = os.path.join(os.fsencode(tmp_path), b"dir-\xe9")
    os.mkdir(folder)
    with open(os.path.join(folder, b"line\nbreak-\x1b.txt"), "wb") as handle:
        handle.write(PARAGRAPH.encode())
    with open(os.path.join(folder, b"empty-\xff.txt"), "wb"):
        pass
    docs, errors = split(read_input(os.fsdecode(folder)))
    assert len(docs) == 1 and len(errors) == 1
    assert_printable(docs[0].path)
    assert_printable(docs[0].scope)
    assert docs[0].path.endswith("dir-\\xe9/line\\nbreak-\\x1b.txt")
    assert_printable(errors[0].input)
    assert errors[0].input.endswith("empty-\\xff.txt") and "empty" in errors[0].cause
    missing = list(read_input(os.fsdecode(os.path.join(folder, b"gone-\xff.txt"))))
    assert len(missing) == 1 and missing[0].cause == "no such file"
    assert_printable(missing[0].input)


def test_read_bytes_shows_an_undecodable_path_escaped():
    docs, _ = split(read_bytes(PARAGRAPH.encode(), path=os.fsdecode(b"x/\xff.txt")))
    assert docs[0].path == "x/\\xff.txt" and docs[0].scope == "x"


# --- 2. special files ----------------------------------------------------------------------------------


def _unblock_fifo(path: str) -> None:
    """Open the write end so a reader stuck in open() returns (only matters before the fix)."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
    except OSError:
        pass


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_named_pipe_in_a_folder_is_skipped_never_opened(tmp_path):
    (tmp_path / "a-good.txt").write_text(PARAGRAPH)
    fifo = str(tmp_path / "b-pipe.txt")
    os.mkfifo(fifo)
    (tmp_path / "c-good.txt").write_text(PARAGRAPH + " Again.")
    try:
        docs, errors = run_within(10, lambda: split(read_input(str(tmp_path))))
    finally:
        _unblock_fifo(fifo)
    assert len(docs) == 2
    assert [(e.input, e.cause) for e in errors] == [(fifo, "not a regular file: named pipe")]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_named_pipe_given_by_name_is_skipped(tmp_path):
    fifo = str(tmp_path / "pipe")
    os.mkfifo(fifo)
    try:
        items = run_within(10, lambda: list(read_input(fifo)))
    finally:
        _unblock_fifo(fifo)
    assert [(e.input, e.cause) for e in items] == [(fifo, "not a regular file: named pipe")]


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="no /dev/null")
def test_character_device_is_skipped():
    items = run_within(10, lambda: list(read_input("/dev/null")))
    assert [(e.input, e.cause) for e in items] == [("/dev/null", "not a regular file: character device")]


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="no unix sockets here")
def test_socket_file_is_skipped():
    folder = tempfile.mkdtemp(prefix="cd")  # short: socket paths are limited to about 100 bytes
    path = os.path.join(folder, "sock")
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(path)
        assert stat.S_ISSOCK(os.stat(path).st_mode)
        items = run_within(10, lambda: list(read_input(folder)))
    finally:
        server.close()
        os.unlink(path)
        os.rmdir(folder)
    assert [(e.input, e.cause) for e in items] == [(path, "not a regular file: socket")]


def test_stdin_stays_readable_as_a_pipe():
    read_end, write_end = os.pipe()
    os.write(write_end, PARAGRAPH.encode())
    os.close(write_end)
    with os.fdopen(read_end, "rb") as stdin:
        docs, errors = split(run_within(10, lambda: list(read_input("-", stdin=stdin))))
    assert not errors and docs[0].text == PARAGRAPH and docs[0].path == "-"


# --- 3. an element with 100,000 attributes; the per-input time budget ------------------------------------


def _timed(data: bytes) -> tuple[float, list[RawDocument | IngestError]]:
    start = time.perf_counter()
    items = list(read_bytes(data, path="page.html"))
    return time.perf_counter() - start, items


def test_element_with_100k_attributes_costs_what_an_ordinary_page_costs():
    attributes = " ".join(f'data-a{i}="v{i}"' for i in range(100_000))
    article = f"<article><p>{PARAGRAPH}</p><p>{PARAGRAPH} Two.</p></article>"
    hostile = html_page(f"<div {attributes}>x</div>{article}", "Attribute storm").encode()
    filler = f"<p>{PARAGRAPH}</p>\n" * (len(hostile) // (len(PARAGRAPH) + 8))
    ordinary = html_page(f"<article>{filler}</article>", "Ordinary").encode()
    assert len(hostile) > 2_000_000 and abs(len(ordinary) - len(hostile)) < 0.05 * len(hostile)
    ordinary_seconds, _ = _timed(ordinary)
    seconds, items = run_within(120, lambda: _timed(hostile))
    docs, errors = split(items)
    assert not errors and PARAGRAPH in docs[0].text
    assert seconds < 2 * ordinary_seconds + 2, (seconds, ordinary_seconds)


def test_attributes_without_spaces_or_with_markup_in_values_are_capped_too():
    glued = "".join(f'a{i}="<{i}>"' for i in range(30_000))
    page = html_page(f"<div {glued}>x</div><p>{PARAGRAPH}</p>", "Glued").encode()
    seconds, items = run_within(60, lambda: _timed(page))
    docs, _ = split(items)
    assert PARAGRAPH in docs[0].text and seconds < 10


def _slow_reader(delays: list[float]):
    def reader(data: bytes, *, url=None, charset=None):
        for number, delay in enumerate(delays):
            time.sleep(delay)
            yield RawDocument(text=f"document {number}", format="text")

    return reader


def test_a_reader_over_the_time_budget_is_abandoned(tmp_path, monkeypatch):
    monkeypatch.setenv("CLAIMDESK_READ_SECONDS", "0.5")
    monkeypatch.setattr("claimdesk.ingest.read_text", _slow_reader([0.0, 30.0, 0.0]))
    (tmp_path / "slow.txt").write_text("anything")
    before = signal.getsignal(signal.SIGALRM)
    start = time.monotonic()
    docs, errors = split(read_input(str(tmp_path / "slow.txt")))
    assert time.monotonic() - start < 5
    assert [d.text for d in docs] == ["document 0"]
    assert [(e.input, e.cause) for e in errors] == [
        (str(tmp_path / "slow.txt"), "took longer than 0.5 s to read; skipped")
    ]
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_time_spent_by_the_consumer_is_not_counted(tmp_path, monkeypatch):
    monkeypatch.setenv("CLAIMDESK_READ_SECONDS", "1")
    monkeypatch.setattr("claimdesk.ingest.read_text", _slow_reader([0.2, 0.2, 0.2]))
    (tmp_path / "steady.txt").write_text("anything")
    got = []
    for item in read_input(str(tmp_path / "steady.txt")):
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # disarmed while the consumer works
        got.append(item)
        time.sleep(0.6)
    assert [i.text for i in got] == ["document 0", "document 1", "document 2"]


def test_budget_keeps_an_outer_alarm_and_handler(tmp_path, monkeypatch):
    monkeypatch.setenv("CLAIMDESK_READ_SECONDS", "5")
    (tmp_path / "a.txt").write_text(PARAGRAPH)
    fired = []

    def outer(*_):
        fired.append(1)

    previous = signal.signal(signal.SIGALRM, outer)
    try:
        signal.setitimer(signal.ITIMER_REAL, 50.0)
        docs, errors = split(read_input(str(tmp_path / "a.txt")))
        remaining, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 40 < remaining <= 50 and not fired and docs and not errors
        assert signal.getsignal(signal.SIGALRM) is outer
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_outside_the_main_thread_there_is_no_timer(tmp_path, monkeypatch):
    monkeypatch.setenv("CLAIMDESK_READ_SECONDS", "0.2")
    monkeypatch.setattr("claimdesk.ingest.read_text", _slow_reader([0.5]))
    (tmp_path / "a.txt").write_text("anything")
    docs, errors = split(run_within(10, lambda: list(read_input(str(tmp_path / "a.txt")))))
    assert [d.text for d in docs] == ["document 0"] and not errors


# --- 4. deep nesting ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("levels", [300, 5_000, 50_000])
def test_text_nested_deep_in_divs_is_kept(levels):
    page = html_page("<div>" * levels + f"<p>{PARAGRAPH}</p>" + "</div>" * levels).encode()
    seconds, items = run_within(60, lambda: _timed(page))
    docs, errors = split(items)
    assert not errors and docs[0].title == "Deep page"
    assert PARAGRAPH in docs[0].text
    assert seconds < 20


@pytest.mark.parametrize("tag", ["b", "span"])
def test_text_nested_deep_in_inline_elements_is_kept(tag):
    levels = 5_000
    page = html_page(f"<p>Lead words. " + f"<{tag}>" * levels + PARAGRAPH + f"</{tag}>" * levels + "</p>").encode()
    docs, errors = split(run_within(60, lambda: list(read_bytes(page, path="p.html"))))
    assert not errors and PARAGRAPH in docs[0].text and "Lead words." in docs[0].text


def test_deep_fallback_follows_visible_text_rules():
    page = html_page(
        "<div>" * 400
        + "<script>var hidden = 1;</script><style>p {}</style><p>First block</p><div hidden><p>secret</p></div>"
        + "<p>Second <b>block</b><br>third line<img hidden src=x> still third</p>"
        + "</div>" * 400
    )
    docs, _ = split(read_bytes(page.encode(), path="p.html"))
    lines = docs[0].text.splitlines()
    assert lines[0] == "Deep page"
    assert ["First block", "Second block", "third line still third"] == [line for line in lines[1:] if line]


def test_visible_text_keeps_deep_text():
    fragment = "<div>" * 1_000 + "<p>deep words</p>" + "</div>" * 1_000
    assert run_within(30, lambda: visible_text(fragment)) == "deep words"


def test_deep_html_inside_jsonl_and_feeds_is_kept():
    deep = "<div>" * 600 + f"<p>{PARAGRAPH}</p>" + "</div>" * 600
    docs, errors = split(read_bytes(json.dumps({"title": "Deep", "html": html_page(deep)}).encode() + b"\n"))
    assert not errors and PARAGRAPH in docs[0].text
    feed = (
        "<rss version='2.0'><channel><title>Wire</title><item><title>Deep item</title>"
        f"<description><![CDATA[{deep}]]></description></item></channel></rss>"
    ).encode()
    docs, errors = split(read_bytes(feed))
    assert not errors and PARAGRAPH in docs[0].text


# --- 5. feeds with a DOCTYPE internal subset ------------------------------------------------------------------


def _billion_laughs_subset() -> str:
    levels = ['<!ENTITY lol "lol">']
    for n in range(2, 10):
        ref = "&lol;" if n == 2 else f"&lol{n - 1};"
        levels.append(f'<!ENTITY lol{n} "{ref * 10}">')
    return "\n  ".join(levels)


def billion_laughs_rss() -> bytes:
    return (
        f"<?xml version='1.0'?>\n<!DOCTYPE rss [\n  {_billion_laughs_subset()}\n]>\n"
        "<rss version='2.0'><channel><title>Laughing Wire</title>"
        f"<item><title>First entry</title><link>https://x.example/1</link><description>{PARAGRAPH} &lol9;</description></item>"
        "<item><title>Second entry</title><link>https://x.example/2</link><description>Short &lol3; text.</description></item>"
        "</channel></rss>"
    ).encode()


def test_billion_laughs_rss_is_read_as_a_feed_without_expanding_entities():
    data = billion_laughs_rss()
    assert detect_format(data) == "rss"
    start = time.perf_counter()
    docs, errors = split(run_within(60, lambda: list(read_bytes(data, path="laughs.xml"))))
    assert time.perf_counter() - start < 5
    assert not errors
    assert [d.title for d in docs] == ["First entry", "Second entry"]
    assert all(d.format == "rss" and d.outlet == "Laughing Wire" for d in docs)
    assert PARAGRAPH in docs[0].text
    assert not any("lollol" in d.text for d in docs)


def test_atom_with_internal_subset_and_external_entity_is_read_without_expansion():
    data = (
        "<?xml version='1.0'?><!DOCTYPE feed [ <!ENTITY xxe SYSTEM 'file:///etc/passwd'> "
        "<!ENTITY gt2 '>>'> <!-- a ] and a > in a comment --> ]>"
        "<feed xmlns='http://www.w3.org/2005/Atom'><title>Atom Wire</title>"
        f"<entry><title>Only entry</title><content type='text'>{PARAGRAPH} &xxe; &gt2;</content></entry></feed>"
    ).encode()
    assert detect_format(data) == "atom"
    docs, errors = split(read_bytes(data, path="a.atom"))
    assert not errors and [d.title for d in docs] == ["Only entry"]
    assert PARAGRAPH in docs[0].text and "root:" not in docs[0].text and ">>" not in docs[0].text


def test_feed_with_harmless_doctype_still_reads():
    data = (
        '<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
        '"http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91"><channel><title>Old</title>'
        f"<item><title>Old entry</title><description>{PARAGRAPH}</description></item></channel></rss>"
    ).encode()
    docs, errors = split(read_bytes(data))
    assert not errors and docs[0].title == "Old entry"


def test_feed_whose_subset_is_longer_than_the_detection_head_is_a_feed_and_not_expanded():
    value = "x" * 100_000
    data = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY big "{value}">]><rss version="2.0"><channel><title>T</title>'
        f'<item><title>Big entry</title><description>{PARAGRAPH} {"&big;" * 2000}</description></item></channel></rss>'
    ).encode()
    assert detect_format(data) == "rss"
    docs, errors = split(read_bytes(data))
    assert not errors and docs[0].title == "Big entry" and PARAGRAPH in docs[0].text
    assert "x" * 100 not in docs[0].text and len(docs[0].text) < 20_000


# --- 6. JSONL with a bad line ------------------------------------------------------------------------------------


def _jsonl(*lines: bytes) -> bytes:
    return b"\n".join(lines) + b"\n"


GOOD_1 = json.dumps({"title": "Caf\u00e9 owners protest", "text": PARAGRAPH}, ensure_ascii=False).encode()
GOOD_3 = json.dumps({"title": "Third record", "text": PARAGRAPH + " Three."}).encode()


@pytest.mark.parametrize(
    "bad, cause",
    [
        (b'{"title": "Nul", "text": "a\x00b"}', "invalid JSON"),
        (b'{"title": "Broken", "text": ', "invalid JSON"),
        (b'{"title": "Latin", "text": "caf\xe9 \xff"}', "not valid UTF-8"),
        (b"\x00" * 4000, "invalid JSON"),
    ],
)
def test_jsonl_bad_line_loses_only_that_line(bad, cause):
    docs, errors = split(read_bytes(_jsonl(GOOD_1, bad, GOOD_3), path="export.jsonl"))
    assert [d.title for d in docs] == ["Caf\u00e9 owners protest", "Third record"]
    assert [e.input for e in errors] == ["export.jsonl:line 2"]
    assert cause in errors[0].cause


def test_jsonl_bad_first_line_loses_only_that_line():
    docs, errors = split(read_bytes(_jsonl(b'{"text": "x\x00"}', GOOD_1, GOOD_3), path="e.jsonl"))
    assert len(docs) == 2 and [e.input for e in errors] == ["e.jsonl:line 1"]


def test_jsonl_in_a_legacy_charset_is_still_read_whole():
    data = _jsonl('{"title": "Caf\u00e9", "text": "Caf\u00e9 au lait, cr\u00e8me."}'.encode("cp1252"), GOOD_3)
    docs, errors = split(read_bytes(data, path="old.jsonl"))
    assert not errors and docs[0].title == "Caf\u00e9"


def test_jsonl_whose_first_record_is_longer_than_the_detection_head():
    page = html_page(f"<article><p>{PARAGRAPH}</p></article>" + "<p>filler words here</p>" * 5_000)
    data = _jsonl(json.dumps({"title": "Long record", "html": page}).encode(), GOOD_3)
    assert len(data.split(b"\n")[0]) > 100_000 and detect_format(data) == "jsonl"
    docs, errors = split(read_bytes(data, path="long.jsonl"))
    assert not errors and [d.title for d in docs] == ["Long record", "Third record"]


def test_json_escaped_lone_surrogates_become_replacement_characters():
    line = b'{"title": "Lone \\ud800 title", "text": "Body \\udc80 text.", "outlet": "Out\\ud83d"}'
    feed = b'{"version": "https://jsonfeed.org/version/1.1", "title": "F\\ud800", "items": [{"id": "1", "content_text": "x\\udfff y"}]}'
    docs, errors = split(list(read_bytes(_jsonl(line), path="s.jsonl")) + list(read_bytes(feed, path="f.json")))
    assert not errors and len(docs) == 2
    for doc in docs:
        for value in (doc.text, doc.title, doc.outlet, doc.scope):
            value is None or value.encode("utf-8")
    assert docs[0].title == "Lone \ufffd title" and docs[0].outlet == "Out\ufffd"


def test_binary_files_are_still_refused():
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    assert split(read_bytes(png, path="i.png"))[1][0].cause == "binary file (PNG image), not text"
    nul = b"plain start\x00\x00\x00" + bytes(range(256))
    assert "binary file" in split(read_bytes(nul, path="b.bin"))[1][0].cause
    braces = b"{not json at all\x00\x01\x02" + bytes(range(256))
    assert "binary file" in split(read_bytes(braces, path="c.bin"))[1][0].cause


# --- 7. truncated gzip ----------------------------------------------------------------------------------------------


def test_three_byte_gzip_on_stdin_and_in_a_file_says_truncated(tmp_path):
    cut = gzip.compress(PARAGRAPH.encode() * 20)[:3]
    (tmp_path / "cut.gz").write_bytes(cut)
    for items in (read_input("-", stdin=io.BytesIO(cut)), read_input(str(tmp_path / "cut.gz"))):
        _, errors = split(items)
        assert len(errors) == 1
        assert "truncated gzip" in errors[0].cause and "empty" not in errors[0].cause


@pytest.mark.parametrize("keep", [2, 10, 18, 40])
def test_any_cut_gzip_says_truncated_or_broken(keep):
    cut = gzip.compress((PARAGRAPH * 50).encode())[:keep]
    _, errors = split(read_bytes(cut, path="-"))
    assert len(errors) == 1 and ("truncated" in errors[0].cause or "broken gzip" in errors[0].cause), errors


def test_gzip_of_nothing_is_an_empty_file():
    _, errors = split(read_bytes(gzip.compress(b""), path="e.gz"))
    assert errors[0].cause.startswith("empty file")


# --- properties: any bytes, any structure ------------------------------------------------------------------------------

HOSTILE = [
    "<div>", "</div>", "<b>", "<p>", "</p>", "<span hidden>", "<script>", "</script>", "<!--", "-->",
    "<!DOCTYPE rss [", '<!ENTITY a "&b;&b;">', "]>", "&a;", "<rss version='2.0'><channel>", "<item><title>",
    "<feed xmlns='http://www.w3.org/2005/Atom'>", "<entry>", '{"text": "', '"}\n', "\x00", "\xff", "\r",
    " a=1", ' b="<>"', "<?xml version='1.0'?>", "<![CDATA[", "]]>", "WARC/1.0\r\n", "\ufeff",
]
fragments = st.lists(
    st.tuples(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=20)), st.integers(1, 400)), max_size=8
).map(lambda parts: "".join(part * times for part, times in parts))
hostile_bytes = st.one_of(
    st.binary(max_size=2000),
    fragments.map(lambda s: s.encode("utf-8", "surrogatepass")),
    fragments.map(lambda s: gzip.compress(s.encode("utf-8", "surrogatepass"))),
    st.tuples(fragments, st.integers(0, 60)).map(lambda t: gzip.compress(t[0].encode())[: t[1]]),
)
file_names = st.binary(min_size=1, max_size=30).map(lambda b: b.replace(b"/", b"_").replace(b"\x00", b"_"))


def _check_items(items: list) -> None:
    for item in items:
        assert isinstance(item, (RawDocument, IngestError))
        if isinstance(item, RawDocument):
            assert item.text.strip()
            assert_printable(item.path)
            item.scope is None or assert_printable(item.scope)
        else:
            assert item.cause
            assert_printable(item.input)


@SETTINGS
@given(hostile_bytes)
def test_any_bytes_give_documents_or_errors_in_bounded_time(data):
    start = time.perf_counter()
    _check_items(list(read_bytes(data, path="corpus/in", max_bytes=1_000_000)))
    assert time.perf_counter() - start < 10


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(file_names, hostile_bytes)
def test_any_file_name_and_content_give_documents_or_errors(name, data):
    if name in (b".", b".."):
        return
    with tempfile.TemporaryDirectory() as folder:
        with open(os.path.join(os.fsencode(folder), name), "wb") as handle:
            handle.write(data)
        start = time.perf_counter()
        _check_items(list(read_input(folder, max_bytes=1_000_000)))
        assert time.perf_counter() - start < 10


if sys.platform == "win32":  # pragma: no cover
    pytestmark = pytest.mark.skip(reason="POSIX file names and special files")
