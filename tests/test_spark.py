"""claimdesk spark analyze + claimdesk load, on Spark in local mode (local[2]).

One SparkSession and one job run serve the whole file (the JVM and each Python worker's
models take a while to start): WARC files written here with warcio, one outlet's pages
spread so that no analysis partition alone sees its chrome recur, a record with no text,
a WARC cut short, a path that does not exist. The run is compared with ``claimdesk
ingest`` of the same files, loaded twice, and a second, overlapping run loaded after it.
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest

pytest.importorskip("pyarrow")

from sqlalchemy import select  # noqa: E402

from claimdesk import pipeline  # noqa: E402
from claimdesk.model import SCHEMA_VERSION  # noqa: E402
from claimdesk.store import Store  # noqa: E402

HERALD, POST = "Harbour Herald", "Valley Post"
STORIES = [
    ("Minister says grain talks will resume", "Elman Mammadov", "the grain corridor talks would resume next week in Istanbul"),
    ("Harbour workers threaten new strike", "Sofia Lindqvist", "the union would strike again if wages were not raised by March"),
    ("Flood defences failed, report finds", "Daniel Okafor", "the river defences had been neglected for a decade"),
    ("Central bank warns of slower growth", "Maria Kowalska", "inflation would stay above target until the end of the year"),
    ("Rail operator apologises for delays", "Thomas Becker", "the new timetable had been introduced too quickly"),
    ("Mayor defends housing plan", "Aisha Rahman", "the plan would build twelve thousand homes by 2030"),
    ("Farmers protest over water rules", "Lucia Moreno", "the new limits would ruin hundreds of small farms"),
    ("Hospital opens new cancer ward", "Kenji Watanabe", "waiting times would fall by a third within a year"),
]
PLACES = ("Baku", "Oslo", "Lagos", "Warsaw", "Berlin", "Leeds", "Seville", "Osaka")


def page(outlet: str, i: int, month: str = "2024-03") -> str:
    """A news page: its story's own paragraphs between three lines every page of the outlet has."""
    title, speaker, claim = STORIES[i]
    day = f"{month}-1{i % 9}"
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title} | {outlet}</title>
<meta property="og:site_name" content="{outlet}"><meta property="article:published_time" content="{day}T09:00:00Z"></head>
<body><header><a href="/">Home</a> <a href="/world">World</a></header><article><h1>{title}</h1>
<p>Subscribe to {outlet} for the latest news and analysis every morning</p>
<p>{speaker}, who spoke to reporters on {day}, said that {claim}. The remarks came after weeks of uncertainty.</p>
<p>"We have made our position clear," {speaker.split()[-1]} told journalists at a press conference in {PLACES[i]}, adding that
{("further steps", "new measures", "several options", "two proposals", "fresh talks", "urgent repairs", "new rules", "more staff")[i]} were being discussed.</p>
<p>{outlet} Live Coverage Hub</p>
<p>Critics said the announcement about {title.lower()} was vague, and accused officials of delaying a decision that affected {1000 + 37 * i} people.</p>
<p>The next meeting on the matter is scheduled for {("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Monday")[i]}, when {speaker} is expected to present proposal number {i + 3}.</p>
<p>Follow {outlet} on social media for breaking news alerts</p>
</article><footer>Copyright {outlet} 2024. All rights reserved.</footer></body></html>"""


def write_warc(path: Path, records: list[tuple[str, str, str]], gz: bool = True) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=gz)
        for url, body, content_type in records:
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body.encode()),
                                                          http_headers=headers,
                                                          warc_headers_dict={"WARC-Date": "2024-03-20T10:00:00Z"}))


HTML = "text/html; charset=utf-8"


@pytest.fixture(scope="session")
def warcs(tmp_path_factory) -> dict[str, Path]:
    """a: three Herald pages, a page with no text, an image; b (not gzipped): three more Herald
    pages and a copy of the first at another URL; c: two Post pages, cut inside the third;
    e (for the second run): two new Post pages."""
    root = tmp_path_factory.mktemp("warcs")
    herald = [(f"https://herald.example/{i}", page(HERALD, i), HTML) for i in range(6)]
    write_warc(root / "a.warc.gz", herald[:3] + [("https://herald.example/empty", "<html><body></body></html>", HTML),
                                                ("https://herald.example/logo.png", "PNG", "image/png")])
    write_warc(root / "b.warc", herald[3:] + [("https://herald.example/copy-of-0", page(HERALD, 0), HTML)], gz=False)
    whole = root / "c-whole.warc.gz"
    write_warc(whole, [(f"https://post.example/{i}", page(POST, i, "2024-02"), HTML) for i in range(3)])
    data = whole.read_bytes()
    (root / "c.warc.gz").write_bytes(data[: len(data) - 300])  # the last record's gzip member is cut
    whole.unlink()
    write_warc(root / "e.warc.gz", [(f"https://post.example/{i}", page(POST, i, "2024-02"), HTML) for i in range(6, 8)])
    return {name: root / f"{name}.warc{'' if name == 'b' else '.gz'}" for name in "abce"}


@pytest.fixture(scope="session")
def spark():
    try:
        import pyspark  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("pyspark is not installed: scripts/setup.sh installs it (the 'spark' extra)")
        pytest.skip("pyspark is not installed (pip install 'claimdesk[spark]')")
    if shutil.which("java") is None:
        if os.environ.get("CI"):
            pytest.fail("Java is not installed: scripts/setup-system.sh should have installed it")
        pytest.skip("Java is not installed (scripts/setup-system.sh installs it)")
    from claimdesk.spark.job import session

    spark = session("local[2]", "claimdesk-tests", conf={"spark.ui.enabled": "false", "spark.sql.shuffle.partitions": "2",
                                                         "spark.default.parallelism": "2"})
    yield spark
    spark.stop()


@pytest.fixture(scope="session")
def manifest(warcs, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("manifest") / "warc.paths"
    missing = warcs["a"].parent / "missing.warc.gz"
    path.write_text(f"# the test run\n{warcs['a']}\nfile://{warcs['b']}\n\n{warcs['c']}\n{missing}\n")
    return path


@pytest.fixture(scope="session")
def run(spark, manifest, tmp_path_factory):
    """The job over the manifest, two documents a partition (so chrome is only seen across partitions)."""
    from claimdesk.spark.job import run as run_job

    output = tmp_path_factory.mktemp("run") / "out"
    summary = run_job(spark, str(manifest), str(output), per_partition=2)
    return summary, output


def table(output: Path, name: str) -> list[dict]:
    import pyarrow.dataset as ds

    folder = output / name
    if not any(folder.rglob("*.parquet")):
        return []
    return ds.dataset(folder, format="parquet", partitioning="hive").to_table().to_pylist()


# -- the job -------------------------------------------------------------------------


def test_partitions_are_month_and_language_and_rows_carry_provenance(run, warcs):
    summary, output = run
    months = {p.name for p in (output / "articles").iterdir() if p.is_dir()}
    assert months == {"month=2024-03", "month=2024-02"}
    assert {p.name for p in (output / "articles" / "month=2024-03").iterdir()} == {"lang=en"}
    articles = table(output, "articles")
    assert len(articles) == 9  # 3 + 4 (one a copy) + the 2 whole records of the cut WARC
    assert {row["schema"] for row in articles} == {SCHEMA_VERSION}
    for row in articles:
        assert row["month"] == row["published"][:7] and row["lang"] == "en"
        # the offset and length point at the record itself: read alone, it is the record of that URI
        with open(row["warc_file"].removeprefix("file://"), "rb") as handle:
            handle.seek(row["record_offset"])
            data = handle.read(row["record_length"])
        from warcio.archiveiterator import ArchiveIterator

        record = next(iter(ArchiveIterator(io.BytesIO(data))))
        assert record.rec_headers.get_header("WARC-Target-URI") == row["target_uri"] == row["url"]
        assert row["warc_date"] == "2024-03-20T10:00:00Z" and row["record_id"].startswith("<urn:uuid:")
        assert row["offset_in_file"] is True
    for name in ("claims", "entities", "removed", "dates", "headline_checks"):
        rows = table(output, name)
        assert rows, name
        assert all(r["warc_file"] and r["record_offset"] is not None and r["schema"] == SCHEMA_VERSION for r in rows)
    assert summary.documents == 9 and summary.warcs == 4


def test_bad_records_and_warcs_are_error_rows_and_the_job_finishes(run, warcs):
    summary, output = run
    errors = {(row["input"], row["stage"]): row for row in table(output, "errors")}
    empty = errors[("https://herald.example/empty", "read")]
    assert empty["cause"] == "no text in HTML page" and empty["record_offset"] > 0
    cut = next(row for (name, stage), row in errors.items() if name == str(warcs["c"]) and stage == "warc")
    assert "truncated WARC after 2 records" in cut["cause"]
    missing = errors[(str(warcs["a"].parent / "missing.warc.gz"), "warc")]
    assert missing["cause"] == "no such file"
    assert len(errors) == 3
    assert summary.errors == 3 and summary.errors_by_stage == {"read": 1, "warc": 2}
    assert all(row["lang"] == "und" for row in errors.values())


def test_models_load_once_per_worker_process_not_per_task(run):
    summary, _ = run
    assert summary.partitions >= 5  # two records a partition, each WARC its own partitions
    assert 1 <= summary.model_loads <= 2  # local[2]: at most two Python workers


def test_chrome_is_learned_across_the_whole_run(run):
    """Each partition holds two pages, but the outlet's lines recur in all six of its texts."""
    _, output = run
    removed = [r for r in table(output, "removed") if r["detail"].startswith("recurs in")]
    assert {r["detail"] for r in removed} == {f"recurs in 6 of 6 documents of {HERALD}"}
    herald = [r["id"] for r in table(output, "articles") if r["outlet"] == HERALD]
    assert len(herald) == 7 and len(set(herald)) == 6  # b holds a copy of a's first page
    assert {r["id"] for r in removed} == set(herald) and len(removed) == 3 * len(herald)


# -- same results as ingest, and idempotent loads -------------------------------------


def _corpus(store: Store) -> dict:
    """What a store holds that both paths must agree on, by article id."""
    from claimdesk.store.schema import body_ranges, claims, documents, entities, ingest_errors

    with store.engine.connect() as c:
        docs = {row.pk: row.id for row in c.execute(select(documents.c.pk, documents.c.id))}
        def by_doc(tbl, *cols):
            found: dict[str, list] = {}
            for row in c.execute(select(tbl.c.doc_pk, *[tbl.c[n] for n in cols]).order_by(tbl.c.doc_pk, tbl.c.seq)):
                found.setdefault(docs[row[0]], []).append(tuple(row[1:]))
            return found
        return {
            "ids": sorted(docs.values()),
            "body": by_doc(body_ranges, "start", "end"),
            "claims": by_doc(claims, "source_start", "source_end", "speaker", "cue_start", "cue_end", "content_start",
                             "content_end", "hedge", "negated", "speaker_type", "confidence", "check_worthiness"),
            "entities": by_doc(entities, "start", "end", "label", "canonical", "role"),
            "errors": sorted((r.input, r.cause) for r in c.execute(select(ingest_errors.c.input, ingest_errors.c.cause))),
            "groups": len({r[0] for r in c.execute(select(documents.c.group_pk))}),
        }


@pytest.fixture(scope="session")
def ingested(manifest, tmp_path_factory):
    paths = [line.removeprefix("file://") for line in manifest.read_text().splitlines() if line and not line.startswith("#")]
    store = Store(str(tmp_path_factory.mktemp("ingest") / "ingest.db"))
    summary = pipeline.ingest(paths, store)
    yield store, summary
    store.close()


def test_spark_and_load_give_the_corpus_ingest_gives(run, ingested, tmp_path):
    from claimdesk.spark.load import load

    _, output = run
    ingest_store, ingest_summary = ingested
    with Store(str(tmp_path / "loaded.db")) as store:
        summary = load(str(output), store)
        loaded = _corpus(store)
    expected = _corpus(ingest_store)
    assert loaded["ids"] == expected["ids"] and len(loaded["ids"]) == 8  # the copy is stored once
    for part in ("body", "claims", "entities", "errors", "groups"):
        assert loaded[part] == expected[part], part
    assert sum(len(c) for c in loaded["claims"].values()) > 8
    assert (summary.new, summary.duplicates) == (ingest_summary.new, ingest_summary.duplicates) == (8, 1)


def test_loading_twice_or_an_overlapping_run_stores_each_article_once(spark, run, warcs, tmp_path, postgres_url):
    from claimdesk.spark.job import run as run_job
    from claimdesk.spark.load import load

    _, output = run
    overlap = tmp_path / "overlap"
    run_job(spark, _manifest(tmp_path, warcs["b"], warcs["e"]), str(overlap))
    for url in (str(tmp_path / "twice.db"), postgres_url):
        with Store(url) as store:
            first = load(str(output), store)
            once = _corpus(store)
            again = load(str(output), store)
            assert _corpus(store) == once
            assert (again.new, again.duplicates, again.errors_loaded) == (0, first.documents, 0)
            more = load(str(overlap), store)
            after = _corpus(store)
        assert (more.new, more.duplicates) == (2, 4)  # b's four pages were stored by the first run
        assert len(after["ids"]) == len(once["ids"]) + 2
        assert {k: v for k, v in after["claims"].items() if k in once["claims"]} == once["claims"]


def _manifest(folder: Path, *paths: Path) -> str:
    path = folder / "overlap.paths"
    path.write_text("".join(f"{p}\n" for p in paths))
    return str(path)


def test_cli_runs_the_job_and_loads_it(spark, warcs, tmp_path):
    """The README's two commands: a folder of WARC files in, a store out (the session is reused)."""
    from typer.testing import CliRunner

    from claimdesk.cli import app

    folder = tmp_path / "warcs"
    folder.mkdir()
    shutil.copy(warcs["e"], folder / "e.warc.gz")
    runner = CliRunner()
    done = runner.invoke(app, ["spark", "analyze", str(folder), str(tmp_path / "out"), "--master", "local[2]"])
    assert done.exit_code == 0, done.output
    assert "1 WARC file, 2 documents analysed" in done.output
    done = runner.invoke(app, ["load", str(tmp_path / "out"), "--db", str(tmp_path / "desk.db")])
    assert done.exit_code == 0, done.output
    assert "2 documents: 2 new" in done.output
    with Store(str(tmp_path / "desk.db")) as store:
        assert len(_corpus(store)["ids"]) == 2
