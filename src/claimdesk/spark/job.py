"""``claimdesk spark analyze MANIFEST OUTPUT``: the ingest pipeline as a Spark job.

Three stages, each a Spark action, the first two staged as Parquet under
``OUTPUT/_work/`` (removed at the end unless ``keep_work``), so no stage runs twice:

1. **read**, one task per WARC: each executor opens its file (``manifest.open_input``)
   and streams it through the WARC reader ``claimdesk ingest`` uses
   (``ingest.read_warc_stream``: the same documents, errors, size limit and time budget),
   with each record's place in the archive. A record that cannot be read, or a WARC that
   cannot be opened or is cut short, is an error row; the job goes on.
2. **count, then clean and analyse**: a Spark aggregation groups the documents' line keys
   by scope (the outlet) across the whole input and counts them as ``clean_chunk`` counts a
   chunk (``clean.corpus_counts``); the counts go to every executor as a broadcast. The
   documents are then cut into partitions of at most ``per_partition`` records, one or more
   per WARC, each cleaned with its outlet's counts (``pipeline.clean_one``) and analysed
   through ``pipeline.analyses``, the function ``claimdesk ingest`` analyses with; the
   models load once per executor Python process (``spark.models``).
3. **write**: the analysed records are split into the tables of ``spark.schema``,
   partitioned by publication month and language.

Failures are rows in ``errors`` and counts in accumulators (``RunSummary``); ``_run.json``
in OUTPUT keeps the figures of the run.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from urllib.parse import urlparse

from ..model import SCHEMA_VERSION, IngestError
from . import schema

PER_PARTITION = 200  # documents analysed by one task at most: a CC-NEWS WARC (~40,000 records) is 200 tasks
WORK = "_work"
RUN_FILE = "_run.json"


@dataclass
class RunSummary:
    """What a run did, from the job's accumulators (updated inside the stages' tasks: a task that
    Spark runs again after a lost executor counts twice; the tables' rows are the exact record)."""

    manifest: str
    output: str
    warcs: int = 0
    records: int = 0  # items read from the WARCs: documents and errors
    documents: int = 0  # documents analysed (rows of ``articles``)
    errors: int = 0
    errors_by_stage: dict[str, int] = field(default_factory=dict)
    scopes: int = 0  # outlets whose chrome was counted
    counted_keys: int = 0  # line keys broadcast (those in at least chrome.MIN_RECURRING_DOCS documents)
    partitions: int = 0  # analysis tasks
    model_loads: int = 0  # Python processes that loaded the models
    seconds: dict[str, float] = field(default_factory=dict)
    schema: int = SCHEMA_VERSION
    master: str = ""
    started: str = ""

    def line(self) -> str:
        by_stage = ", ".join(f"{n} {stage}" for stage, n in sorted(self.errors_by_stage.items()))
        return (f"{self.warcs} WARC file{'s' * (self.warcs != 1)}, {self.documents} documents analysed in "
                f"{self.partitions} partitions, {self.errors} error{'s' * (self.errors != 1)}"
                f"{f' ({by_stage})' if by_stage else ''}; models loaded by {self.model_loads} process"
                f"{'es' * (self.model_loads != 1)}; {sum(self.seconds.values()):.1f} s")


# -- executors -------------------------------------------------------------------------


def _place(path: str, place) -> dict:
    if place is None:
        return {"warc_file": path}
    return {"warc_file": path, "record_offset": place.offset, "record_length": place.length,
            "offset_in_file": place.in_file, "target_uri": place.target_uri, "warc_date": place.date,
            "record_id": place.record_id}


def read_warcs(warcs: Iterable[tuple[int, str]], max_bytes: int | None, counters: dict) -> Iterator[dict]:
    """Stage 1 on an executor: every item of every WARC given, as a stage-1 row."""
    from ..clean import line_keys
    from ..ingest import read_warc_stream
    from ..model import RawDocument
    from ..pipeline import max_chars_limit, within_length
    from .manifest import open_input

    limit = max_chars_limit()
    for warc_seq, path in warcs:
        item_seq = 0
        try:
            with open_input(path) as handle:
                for item, place in read_warc_stream(handle, path, max_bytes=max_bytes):
                    item = within_length(item, limit)
                    keys = line_keys(item.text) if isinstance(item, RawDocument) else None
                    stage = "read" if place is not None else "warc"
                    counters["records"].add(1)
                    if isinstance(item, IngestError):
                        counters[f"errors_{stage}"].add(1)
                    yield schema.document_row(item, _place(path, place), (warc_seq, item_seq), keys, stage)
                    item_seq += 1
        except Exception as err:  # the file could not be opened, or its file system failed under it
            counters["records"].add(1)
            counters["errors_warc"].add(1)
            error = IngestError(path, _cannot_open(err))
            yield schema.document_row(error, {"warc_file": path}, (warc_seq, item_seq), stage="warc")


def _cannot_open(err: Exception) -> str:
    """Why a WARC could not be read, in the words ``claimdesk ingest`` uses for a local file."""
    if isinstance(err, FileNotFoundError):
        return "no such file"
    if isinstance(err, PermissionError):
        return "cannot read: permission denied"
    return f"cannot read this WARC: {type(err).__name__}: {err}"


def analyze_partition(rows: Iterable, counts, counters: dict) -> Iterator[dict]:
    """Stage 2 on an executor: clean and analyse one partition's records, in input order."""
    from ..model import LineCounts
    from ..pipeline import analyses, clean_one
    from .models import ensure_loaded

    rows = sorted((row.asDict() if hasattr(row, "asDict") else row for _, row in rows),
                  key=lambda r: (r["warc_seq"], r["item_seq"]))
    if not rows:
        return
    learned: dict[str, tuple[int, dict[str, int]]] = counts.value
    items = []
    for row in rows:
        if row.get("id") is None:  # an error row of stage 1
            items.append(IngestError(row["error_input"], row["error_cause"]))
            continue
        doc = schema.raw_document(row)
        known = learned.get(doc.scope) if doc.scope else None
        items.append(clean_one(doc, LineCounts(doc.scope, *known) if known else None))
    if any(not isinstance(item, IngestError) for item in items):
        ensure_loaded(counters["model_loads"])
    for row, item in zip(rows, analyses(items, analyze=True, workers=1), strict=True):
        if isinstance(item, IngestError):
            if row.get("id") is not None:
                counters["errors_analyze"].add(1)
        else:
            counters["documents"].add(1)
        yield schema.record_row(row, item)


def _scope_counts(scope: str, docs: Iterable[tuple[int, int, str, list[str]]]) -> tuple[str, int, dict[str, int]]:
    from ..clean import corpus_counts

    found = corpus_counts(scope, [(doc_id, set(keys)) for _, _, doc_id, keys in sorted(docs)])
    return scope, found.documents, found.counts


# -- the driver ------------------------------------------------------------------------


def session(master: str | None = None, app_name: str = "claimdesk", conf: dict | None = None):
    """The SparkSession: the one spark-submit made, else a new one (``master``, default local[*]).

    Executors run the Python that runs this when the cluster is this machine (local mode):
    that is where claimdesk is installed."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(app_name)
    if master:
        builder = builder.master(master)
    from pyspark import SparkConf

    # under spark-submit the master is in the launcher's configuration; a cluster's executors
    # run the Python the submission names (PYSPARK_PYTHON, spark.pyspark.python), never this path
    local = (master or SparkConf().get("spark.master", "local[*]")).startswith("local")
    if local and "PYSPARK_PYTHON" not in os.environ:
        os.environ["PYSPARK_PYTHON"] = sys.executable  # read by SparkContext when it starts the workers
    options = {"spark.ui.showConsoleProgress": "false", "spark.python.worker.reuse": "true",
               "spark.sql.sources.partitionOverwriteMode": "dynamic"}
    for name, value in {**options, **(conf or {})}.items():
        builder = builder.config(name, value)
    for name, value in _offline_env().items():
        builder = builder.config(f"spark.executorEnv.{name}", value)
    return builder.getOrCreate()


def _offline_env() -> dict[str, str]:
    from .models import OFFLINE

    return OFFLINE


def _counters(sc) -> dict:
    names = ("records", "documents", "model_loads", "errors_read", "errors_warc", "errors_analyze")
    return {name: sc.accumulator(0) for name in names}


def _local_output(output: str) -> str | None:
    scheme = urlparse(output).scheme
    if scheme in ("", "file"):
        return urlparse(output).path if scheme else os.path.abspath(output)
    return None


def _uri(output: str) -> str:
    local = _local_output(output)
    return "file://" + local if local else output.rstrip("/")


def run(spark, manifest: str, output: str, *, per_partition: int = PER_PARTITION, max_bytes: int | None = None,
        keep_work: bool = False, log=None) -> RunSummary:
    """Read, clean, analyse and write every WARC the manifest names (see the module docstring)."""
    from pyspark.sql import functions as F

    from .manifest import read_manifest

    log = log or (lambda message: None)
    sc = spark.sparkContext
    summary = RunSummary(manifest=manifest, output=output, master=sc.master,
                         started=datetime.now(timezone.utc).isoformat(timespec="seconds"))
    warcs = read_manifest(manifest)
    if not warcs:
        raise ValueError(f"no WARC paths in {manifest}")
    summary.warcs = len(warcs)
    out = _uri(output)
    work = f"{out}/{WORK}"
    counters = _counters(sc)

    # 1. read: one task per WARC
    clock = time.perf_counter()
    stage1 = sc.parallelize(list(enumerate(warcs)), len(warcs)).mapPartitions(
        lambda part: read_warcs(part, max_bytes, counters))
    spark.createDataFrame(stage1, schema.spark_schema("documents")).write.mode("overwrite").parquet(f"{work}/documents")
    summary.seconds["read"] = time.perf_counter() - clock
    log(f"read {len(warcs)} WARC files: {counters['records'].value} records")

    # 2a. count line keys per outlet across the whole input
    clock = time.perf_counter()
    documents = spark.read.parquet(f"{work}/documents")
    keyed = (documents.where(F.col("id").isNotNull() & F.col("scope").isNotNull())
             .select("scope", "warc_seq", "item_seq", "id", "line_keys").rdd
             .map(lambda r: (r.scope, (r.warc_seq, r.item_seq, r.id, list(r.line_keys or ())))))
    learned = {scope: (n, counts) for scope, n, counts in
               keyed.groupByKey().map(lambda pair: _scope_counts(pair[0], pair[1])).collect()}
    summary.scopes = len(learned)
    summary.counted_keys = sum(len(counts) for _, counts in learned.values())
    counts = sc.broadcast(learned)
    summary.seconds["count"] = time.perf_counter() - clock

    # 2b. clean and analyse: one or more partitions per WARC, each at most per_partition records
    clock = time.perf_counter()
    sizes = dict(documents.groupBy("warc_seq").count().collect())
    slots: dict[tuple[int, int], int] = {}
    for warc_seq in sorted(sizes):
        for chunk in range(math.ceil(sizes[warc_seq] / per_partition)):
            slots[(warc_seq, chunk)] = len(slots)
    summary.partitions = len(slots)
    by_slot = (documents.rdd.map(lambda r: ((r.warc_seq, r.item_seq // per_partition), r))
               .partitionBy(max(len(slots), 1), lambda key: slots[key]))
    analysed = by_slot.mapPartitions(lambda part: analyze_partition(part, counts, counters))
    spark.createDataFrame(analysed, schema.spark_schema("records")).write.mode("overwrite").parquet(f"{work}/records")
    summary.seconds["analyze"] = time.perf_counter() - clock
    log(f"analysed {counters['documents'].value} documents in {len(slots)} partitions")

    # 3. the tables
    clock = time.perf_counter()
    _write_tables(spark, f"{work}/records", out)
    summary.seconds["write"] = time.perf_counter() - clock
    counts.unpersist()

    summary.records = counters["records"].value
    summary.documents = counters["documents"].value
    summary.model_loads = counters["model_loads"].value
    summary.errors_by_stage = {stage: counters[f"errors_{stage}"].value for stage in ("read", "warc", "analyze")
                               if counters[f"errors_{stage}"].value}
    summary.errors = sum(summary.errors_by_stage.values())
    _finish(spark, out, work, summary, keep_work)
    return summary


def _write_tables(spark, records_path: str, out: str) -> None:
    from pyspark.sql import functions as F

    records = spark.read.parquet(records_path)
    version = F.lit(SCHEMA_VERSION).alias("schema")
    provenance = [F.col(name) for name in (*schema.PROVENANCE, *schema.ORDER)]
    parts = [F.col(name) for name in schema.PARTITIONS]
    docs = records.where(F.col("id").isNotNull() & F.col("error_cause").isNull())
    article_columns = ["id", "text", "path", "url", "format", "outlet", "stated_title", "published", "fetched", "author",
                       "language_declared", "language", "language_confidence", "scope", "extracted", "title_start",
                       "title_end", "body", "line_keys", "analysed_end"]
    tables = {"articles": docs.select("id", *provenance, *article_columns[1:], version, *parts)}
    for name in ("removed", "claims", "entities", "dates"):
        tables[name] = (docs.select("id", *provenance, *parts, F.posexplode(name).alias("seq", "item"))
                        .select("id", "seq", *schema.PROVENANCE, *schema.ORDER, "item.*", version, *schema.PARTITIONS))
    tables["headline_checks"] = (docs.where(F.col("headline").isNotNull())
                                 .select("id", *provenance, "headline.*", version, *parts))
    tables["errors"] = (records.where(F.col("error_cause").isNotNull())
                        .select(*provenance, F.col("error_input").alias("input"), F.col("error_cause").alias("cause"),
                                F.col("error_stage").alias("stage"), version, *parts))
    for name in schema.TABLES:
        # sorted: Spark names a sorted write's files in order, so ``load`` reads each partition as one stream
        order = [*schema.PARTITIONS, *schema.ORDER, *(["seq"] if "seq" in tables[name].columns else [])]
        (tables[name].orderBy(*order).write.mode("overwrite").partitionBy(*schema.PARTITIONS)
         .parquet(f"{out}/{name}"))


def _finish(spark, out: str, work: str, summary: RunSummary, keep_work: bool) -> None:
    local = _local_output(summary.output)
    if local:
        if not keep_work:
            shutil.rmtree(os.path.join(local, WORK), ignore_errors=True)
        with open(os.path.join(local, RUN_FILE), "w", encoding="utf-8") as handle:
            json.dump(asdict(summary), handle, indent=1)
        return
    jvm = spark.sparkContext._jvm  # a cluster's file system: through Hadoop's FileSystem API
    path = jvm.org.apache.hadoop.fs.Path(out)
    fs = path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    if not keep_work:
        fs.delete(jvm.org.apache.hadoop.fs.Path(work), True)
    stream = fs.create(jvm.org.apache.hadoop.fs.Path(f"{out}/{RUN_FILE}"), True)
    stream.write(bytearray(json.dumps(asdict(summary), indent=1).encode("utf-8")))
    stream.close()
