"""The stages in order: read inputs, clean them in chunks, hand articles to a sink.

Chrome is learned across a corpus, so cleaning runs chunk by chunk: the lines of a
chunk are counted per scope (outlet or folder), added to what the store already
learned, and only then is each document of the chunk cleaned. A page from a known
outlet is therefore cleaned better than the first page ever seen from it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from .clean import batch_counts, clean, line_keys, merge_counts
from .ingest import read_input
from .model import Analysis, Article, IngestError, LineCounts, RawDocument

CHUNK_SIZE = 500

# (scope, line keys of one document) -> what the store knows of those lines in that scope
StoredCounts = Callable[[str, set[str]], LineCounts | None]


@dataclass
class Summary:
    inputs: int = 0
    documents: int = 0
    new: int = 0
    duplicates: int = 0
    versions: int = 0
    near_duplicates: int = 0
    ids: list[str] = field(default_factory=list)  # every article read, in input order
    errors: list[IngestError] = field(default_factory=list)


def read_all(
    inputs: Iterable[str], *, fetch: bool, max_bytes: int | None, on_input: Callable[[str], None] | None = None
) -> Iterator[RawDocument | IngestError]:
    """Every document and every error of every input, in order."""
    for name in inputs:
        yield from read_input(name, fetch=fetch, max_bytes=max_bytes)
        if on_input:
            on_input(name)


def chunks(items: Iterable[RawDocument | IngestError], size: int = CHUNK_SIZE) -> Iterator[list[RawDocument | IngestError]]:
    chunk: list[RawDocument | IngestError] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def clean_chunk(docs: list[RawDocument], keys: list[set[str]], stored: StoredCounts | None = None,
                known: set[str] = frozenset()) -> list[Article]:
    """Clean a chunk with line counts from the chunk itself plus the store.

    ``keys`` are the documents' line keys (``line_keys``), computed once by the caller.
    Documents the store already holds (``known`` ids) and repeated texts do not count
    twice: the store's figures include them already.
    """
    by_scope: dict[str, dict[str, set[str]]] = defaultdict(dict)
    for doc, doc_keys in zip(docs, keys, strict=True):
        if doc.scope and doc.id not in known:
            by_scope[doc.scope][doc.id] = doc_keys
    in_chunk = {scope: batch_counts(scope, list(key_sets.values())) for scope, key_sets in by_scope.items()}
    articles = []
    for doc, doc_keys in zip(docs, keys, strict=True):
        counts = in_chunk.get(doc.scope) if doc.scope else None
        if doc.scope and stored is not None:
            counts = merge_counts(stored(doc.scope, doc_keys), counts)
        articles.append(clean(doc, counts))
    return articles


class Sink:
    """Where a batch's results go; the CLI overrides these to show progress."""

    def article(self, analysis: Analysis, added) -> None: ...

    def error(self, error: IngestError) -> None: ...

    def input_done(self, name: str) -> None: ...


def analyses(articles: list[Article], *, analyze: bool, workers: int, skip: set[str] = frozenset()) -> Iterator[Analysis]:
    """The articles analysed (claims, people, media), in order; ``skip`` ids and ``analyze=False`` pass through bare."""
    if not analyze:
        yield from (Analysis(article) for article in articles)
        return
    from .analyze import analyze_articles  # spaCy loads only for commands that analyse

    todo = iter(analyze_articles([a for a in articles if a.raw.id not in skip], workers=workers))
    for article in articles:
        yield Analysis(article) if article.raw.id in skip else next(todo)


def ingest(inputs: list[str], store, *, fetch: bool = False, max_bytes: int | None = None, sink: Sink | None = None,
           chunk_size: int = CHUNK_SIZE, analyze: bool = True, workers: int = 1) -> Summary:
    """Read, clean, analyse and store every input; each article is stored whole or not at all.

    An interrupted batch can simply be run again: stored texts come back as duplicates
    (and are not analysed again) and the rest goes in.
    """
    sink = sink or Sink()
    summary = Summary(inputs=len(inputs))
    for chunk in chunks(read_all(inputs, fetch=fetch, max_bytes=max_bytes, on_input=sink.input_done), chunk_size):
        docs = [item for item in chunk if isinstance(item, RawDocument)]
        for error in (item for item in chunk if isinstance(item, IngestError)):
            store.record_error(error)
            summary.errors.append(error)
            sink.error(error)
        keys = [line_keys(doc.text) for doc in docs]
        known = store.known_ids([d.id for d in docs])
        articles = clean_chunk(docs, keys, store.line_counts, known)
        for analysis, doc_keys in zip(analyses(articles, analyze=analyze, workers=workers, skip=known), keys, strict=True):
            added = store.add(analysis.article, line_keys=doc_keys, claims=analysis.claims, entities=analysis.entities,
                              dates=analysis.dates, headline=analysis.headline)
            summary.documents += 1
            summary.ids.append(added.id)
            summary.new += added.status == "new"
            summary.duplicates += added.status == "duplicate"
            summary.versions += added.status == "version"
            summary.near_duplicates += bool(added.near_duplicates) and added.status != "duplicate"
            sink.article(analysis, added)
    return summary


def analyze(inputs: list[str], store=None, *, fetch: bool = False, max_bytes: int | None = None,
            sink: Sink | None = None, analyze: bool = True, workers: int = 1) -> Iterator[Analysis | IngestError]:
    """Read, clean and analyse without storing; what the store learned (if given) still helps."""
    sink = sink or Sink()
    for chunk in chunks(read_all(inputs, fetch=fetch, max_bytes=max_bytes, on_input=sink.input_done)):
        docs = [item for item in chunk if isinstance(item, RawDocument)]
        known = store.known_ids([d.id for d in docs]) if store else set()
        keys = [line_keys(doc.text) for doc in docs]
        articles = clean_chunk(docs, keys, store.line_counts if store else None, known)
        done = analyses(articles, analyze=analyze, workers=workers)
        for item in chunk:
            yield next(done) if isinstance(item, RawDocument) else item
