"""The job's first stage without Spark: manifests, opening WARC paths by scheme, and reading
them into the rows the job writes, the same documents ``claimdesk ingest`` reads."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

from claimdesk.ingest import read_input
from claimdesk.model import RawDocument
from claimdesk.spark.job import read_warcs
from claimdesk.spark.manifest import open_input, read_manifest
from test_spark import HERALD, HTML, page, write_warc


class _Counter:
    def __init__(self):
        self.value = 0

    def add(self, n: int) -> None:
        self.value += n


def _counters() -> dict:
    return {name: _Counter() for name in ("records", "documents", "model_loads", "errors_read", "errors_warc",
                                          "errors_analyze")}


@pytest.fixture
def folder(tmp_path) -> Path:
    write_warc(tmp_path / "one.warc.gz", [(f"https://herald.example/{i}", page(HERALD, i), HTML) for i in range(3)])
    write_warc(tmp_path / "two.warc", [(f"https://herald.example/{i}", page(HERALD, i), HTML) for i in range(3, 5)], gz=False)
    (tmp_path / "notes.txt").write_text("not a WARC")
    (tmp_path / ".hidden.warc.gz").write_bytes(b"")
    return tmp_path


def test_a_manifest_lists_paths_and_a_folder_its_warc_files(folder, tmp_path):
    manifest = tmp_path / "warc.paths"
    manifest.write_text(f"# March\n\n  {folder / 'two.warc'}  \nfile://{folder / 'one.warc.gz'}\n")
    assert read_manifest(str(manifest)) == [str(folder / "two.warc"), f"file://{folder / 'one.warc.gz'}"]
    assert read_manifest(str(folder)) == [str(folder / "one.warc.gz"), str(folder / "two.warc")]
    with pytest.raises(OSError, match="no way to open ftp:// paths"):
        with open_input("ftp://example.org/a.warc.gz"):
            pass


def test_the_first_stage_reads_what_ingest_reads(folder):
    counters = _counters()
    rows = list(read_warcs([(0, str(folder / "one.warc.gz")), (1, str(folder / "two.warc"))], None, counters))
    expected = [d for name in ("one.warc.gz", "two.warc") for d in read_input(str(folder / name))]
    assert all(isinstance(d, RawDocument) for d in expected)
    assert [r["id"] for r in rows] == [d.id for d in expected]
    assert [(r["warc_seq"], r["item_seq"]) for r in rows] == [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1)]
    assert [r["scope"] for r in rows] == [d.scope for d in expected] == [HERALD] * 5
    assert all(r["line_keys"] and r["line_keys"] == sorted(r["line_keys"]) for r in rows)
    assert counters["records"].value == 5 and counters["errors_warc"].value == 0


def test_warc_files_are_read_over_https_schemes_too(folder):
    """An http(s) path is downloaded to a temporary file first (here from a server on 127.0.0.1)."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        counters = _counters()
        rows = list(read_warcs([(0, f"{base}/one.warc.gz"), (1, f"{base}/missing.warc.gz")], None, counters))
    finally:
        server.shutdown()
        server.server_close()
    assert [r["url"] for r in rows[:3]] == [f"https://herald.example/{i}" for i in range(3)]
    assert rows[0]["warc_file"] == f"{base}/one.warc.gz" and rows[0]["record_offset"] == 0
    assert rows[3]["error_stage"] == "warc" and "404" in rows[3]["error_cause"]
    assert counters["errors_warc"].value == 1
