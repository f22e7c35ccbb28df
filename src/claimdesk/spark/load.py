"""``claimdesk load OUTPUT``: a Spark run's Parquet tables into the store, as ingest stores them.

Each article goes through ``pipeline.store_chunk``, the loop ``claimdesk ingest`` stores
with: ``Store.add`` (a text already stored is a duplicate and changes nothing; a new text
at a known URL is its next version; near-duplicate groups; speaker identity; recurring-line
counts), then claim matching for the chunk's new claims. Loading a run twice, or a run that
overlaps an earlier one, therefore stores each article once. Error rows are recorded once
(``store.loaded.ErrorLog``).

The job writes every table sorted by (month, language, input order), and Spark names a
sorted write's files in that order; so the load reads each (month, language) partition
of every table as one stream in file-name order and joins the articles to their claims,
entities, dates, removed ranges and headline checks as it goes, and merges the partitions'
streams into input order (the WARC's line in the manifest, the record's place in it): the
order ``claimdesk ingest`` stores the same files in. It holds one chunk in memory and one
open reader per partition and table, whatever the size of the run.

Only pyarrow is needed here (no Spark, no Java).
"""

from __future__ import annotations

import heapq
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..model import SCHEMA_VERSION, IngestError
from ..pipeline import CHUNK_SIZE, Sink, Summary, save_claim_index, store_chunk
from . import schema

CHILDREN = ("removed", "claims", "entities", "dates", "headline_checks")


class NotARun(ValueError):
    """The folder is not a claimdesk Spark run's output, or one this version cannot read."""


@dataclass
class LoadSummary(Summary):
    partitions: int = 0
    errors_loaded: int = 0  # error rows of the run newly recorded in the store
    run: dict = field(default_factory=dict)  # the run's _run.json, when it has one


def partitions(output: str) -> list[tuple[str, str]]:
    """The (month, lang) partitions of a run, in the order they are loaded."""
    root = Path(output)
    found = set()
    for table in schema.TABLES:
        for lang_dir in root.glob(f"{table}/month=*/lang=*"):
            if lang_dir.is_dir():
                found.add((lang_dir.parent.name.split("=", 1)[1], lang_dir.name.split("=", 1)[1]))
    return sorted(found, key=lambda p: (p[0] == schema.UNKNOWN_MONTH, p))


def check_run(output: str) -> dict:
    """The run's ``_run.json`` (empty when absent); NotARun for a folder that is no run or
    was written by a newer contract."""
    root = Path(output)
    if not (root / "articles").is_dir() and not (root / "errors").is_dir():
        raise NotARun(f"{output} holds no articles/ or errors/ table: not the OUTPUT of 'claimdesk spark analyze'")
    run_file = root / "_run.json"
    run = json.loads(run_file.read_text(encoding="utf-8")) if run_file.is_file() else {}
    if int(run.get("schema", SCHEMA_VERSION)) > SCHEMA_VERSION:
        raise NotARun(f"{output} was written with schema {run['schema']}; this claimdesk reads up to {SCHEMA_VERSION}")
    return run


def load(output: str, store, *, sink: Sink | None = None, chunk_size: int = CHUNK_SIZE) -> LoadSummary:
    """Store every article and error of a run (see the module docstring)."""
    from ..store.loaded import ErrorLog

    sink = sink or Sink()
    summary = LoadSummary(run=check_run(output))
    errors = ErrorLog(store)

    def failed(error: IngestError) -> None:
        errors.record_once(error)
        summary.errors.append(error)
        sink.error(error)

    parts = partitions(output)
    summary.partitions = len(parts)
    for row in heapq.merge(*(_rows(output, "errors", month, lang) for month, lang in parts), key=_key):
        error = IngestError(row["input"], row["cause"])
        summary.errors_loaded += errors.record_once(error)
        summary.errors.append(error)
        sink.error(error)
    # every partition's articles merged into input order: the order ingest stores the same inputs in, on which
    # versions at a URL, near-duplicate groups' first member and speaker identity depend
    merged = heapq.merge(*(_analyses(output, month, lang) for month, lang in parts), key=lambda item: item[2])
    chunk = []
    for analysis, keys, _ in merged:
        chunk.append((analysis, keys))
        if len(chunk) == chunk_size:
            store_chunk(store, chunk, summary, sink, failed)
            chunk = []
    if chunk:
        store_chunk(store, chunk, summary, sink, failed)
    for month, lang in parts:
        sink.input_done(f"month={month}/lang={lang}")
    save_claim_index(store)
    return summary


def _analyses(output: str, month: str, lang: str) -> Iterator[tuple]:
    """Each article of a partition as (Analysis, line keys, its place in the input), in input order."""
    children = {name: _Stream(_rows(output, name, month, lang), name) for name in CHILDREN}
    articles = _Stream(_rows(output, "articles", month, lang), "articles")
    while (row := articles.next()) is not None:
        key = _key(row)
        found = {name: stream.take(key) for name, stream in children.items()}
        analysis = schema.analysis_from_rows(row, found["removed"], found["claims"], found["entities"], found["dates"],
                                             found["headline_checks"][0] if found["headline_checks"] else None)
        yield analysis, set(row["line_keys"] or ()), key


def _key(row: dict) -> tuple[int, int]:
    return row["warc_seq"], row["item_seq"]


def _rows(output: str, table: str, month: str, lang: str) -> Iterator[dict]:
    """The rows of one partition of a table, file by file in name order (the order the job wrote)."""
    import pyarrow.parquet as pq

    folder = Path(output) / table / f"month={month}" / f"lang={lang}"
    if not folder.is_dir():
        return
    for name in sorted(os.listdir(folder)):
        if name.endswith(".parquet") and not name.startswith((".", "_")):
            for batch in pq.ParquetFile(folder / name).iter_batches(batch_size=512):
                yield from batch.to_pylist()


class _Stream:
    """A table's rows in input order, taken one article at a time."""

    def __init__(self, rows: Iterator[dict], table: str):
        self._rows, self._table = rows, table
        self._head = next(rows, None)
        self._last: tuple = ()

    def next(self) -> dict | None:
        row, self._head = self._head, next(self._rows, None)
        if row is not None:
            self._check(row)
        return row

    def take(self, key: tuple[int, int]) -> list[dict]:
        """The rows of the article at ``key``; rows before it (an article the load did not see) are passed over."""
        found = []
        while self._head is not None and _key(self._head) <= key:
            row = self.next()
            if _key(row) == key:
                found.append(row)
        return found

    def _check(self, row: dict) -> None:
        order = (*_key(row), row.get("seq", 0))
        if order < self._last:
            raise NotARun(f"table {self._table} is not in input order: not written by 'claimdesk spark analyze'?")
        self._last = order
