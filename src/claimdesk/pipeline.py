"""The stages in order: read inputs, clean them in chunks, hand articles to a sink.

Chrome is learned across a corpus, so cleaning runs chunk by chunk: the lines of a
chunk are counted per scope (outlet or folder), added to what the store already
learned, and only then is each document of the chunk cleaned. A page from a known
outlet is therefore cleaned better than the first page ever seen from it.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from .clean import batch_counts, clean, line_keys, merge_counts
from .ingest import read_input
from .model import Analysis, Article, IngestError, LineCounts, RawDocument

CHUNK_SIZE = 500
# The longest document text accepted (characters), whatever the input's size: 400 times a
# long news article. Cleaning, near-duplicate sketches and full-text indexing cost time in
# proportion to the text (a 50 MB text took two minutes and 2 GB to store), analysis reads
# the first analyze.parse.ANALYSIS_LIMIT characters only. $CLAIMDESK_MAX_CHARS changes it.
MAX_CHARS = 2_000_000
ENV_MAX_CHARS = "CLAIMDESK_MAX_CHARS"
# Text characters a chunk holds at most (its documents stay in memory until it is stored):
# 500 documents of MAX_CHARS each would otherwise be a billion characters.
CHUNK_CHARS = 64 * 1024 * 1024

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
    """Every document and every error of every input, in order; a document longer than
    ``max_chars_limit()`` is an error naming it."""
    limit = max_chars_limit()
    for name in inputs:
        for item in read_input(name, fetch=fetch, max_bytes=max_bytes):
            yield within_length(item, limit)
        if on_input:
            on_input(name)


def within_length(item: RawDocument | IngestError, limit: int) -> RawDocument | IngestError:
    """The item, or an error naming a document longer than ``limit`` characters."""
    if isinstance(item, RawDocument) and len(item.text) > limit:
        return IngestError(item.name, f"the document is {len(item.text):,} characters long, over the "
                                      f"{limit:,} a document may have ({ENV_MAX_CHARS})")
    return item


def max_chars_limit() -> int:
    """The longest document text accepted: $CLAIMDESK_MAX_CHARS, else MAX_CHARS."""
    value = os.environ.get(ENV_MAX_CHARS, "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else MAX_CHARS


def chunks(items: Iterable[RawDocument | IngestError], size: int = CHUNK_SIZE,
           chars: int = CHUNK_CHARS) -> Iterator[list[RawDocument | IngestError]]:
    """The items in order, ``size`` at a time, or fewer when their texts reach ``chars``."""
    chunk: list[RawDocument | IngestError] = []
    held = 0
    for item in items:
        chunk.append(item)
        held += len(item.text) if isinstance(item, RawDocument) else 0
        if len(chunk) >= size or held >= chars:
            yield chunk
            chunk, held = [], 0
    if chunk:
        yield chunk


def clean_chunk(docs: list[RawDocument], keys: list[set[str]], stored: StoredCounts | None = None,
                known: set[str] = frozenset()) -> list[Article | IngestError]:
    """Clean a chunk with line counts from the chunk itself plus the store; a document the
    cleaner fails on comes back as an IngestError naming it.

    ``keys`` are the documents' line keys (``line_keys``), computed once by the caller.
    Documents the store already holds (``known`` ids) and repeated texts do not count
    twice: the store's figures include them already.
    """
    by_scope: dict[str, dict[str, set[str]]] = defaultdict(dict)
    for doc, doc_keys in zip(docs, keys, strict=True):
        if doc.scope and doc.id not in known:
            by_scope[doc.scope][doc.id] = doc_keys
    in_chunk = {scope: batch_counts(scope, list(key_sets.values())) for scope, key_sets in by_scope.items()}
    articles: list[Article | IngestError] = []
    for doc, doc_keys in zip(docs, keys, strict=True):
        counts = in_chunk.get(doc.scope) if doc.scope else None
        if doc.scope and stored is not None:
            counts = merge_counts(stored(doc.scope, doc_keys), counts)
        articles.append(clean_one(doc, counts))
    return articles


def clean_one(doc: RawDocument, counts: LineCounts | None) -> Article | IngestError:
    """One document cleaned with the line counts of its scope, however they were counted (a
    chunk and the store here, a whole Spark run in ``spark.job``); a document the cleaner fails
    on comes back as an IngestError naming it."""
    try:
        return clean(doc, counts)
    except Exception as err:  # a cleaner bug on odd text costs this document only
        return IngestError(doc.name, f"cleaning failed: {type(err).__name__}: {err}")


class Sink:
    """Where a batch's results go; the CLI overrides these to show progress."""

    def article(self, analysis: Analysis, added) -> None: ...

    def error(self, error: IngestError) -> None: ...

    def input_done(self, name: str) -> None: ...


def analyses(articles: list[Article | IngestError], *, analyze: bool, workers: int,
             skip: set[str] = frozenset()) -> Iterator[Analysis | IngestError]:
    """The articles analysed (claims, people, media), in order; ``skip`` ids and ``analyze=False``
    pass through bare, errors as they are; an article whose analysis failed becomes an IngestError.

    Every article gets its language (``Article.language``), analysed or not: analysis goes by
    it (``analyze.registry``), and the store keeps it for every document."""
    if not analyze:
        from .analyze.registry import identified  # the identifier only: no spaCy

        yield from (item if isinstance(item, IngestError) else Analysis(identified(item)) for item in articles)
        return
    from .analyze import analyze_articles  # spaCy loads only for commands that analyse

    todo = iter(analyze_articles([a for a in articles if isinstance(a, Article) and a.raw.id not in skip], workers=workers))
    for item in articles:
        if isinstance(item, IngestError):
            yield item
        else:
            yield Analysis(item) if item.raw.id in skip else next(todo)


def ingest(inputs: list[str], store, *, fetch: bool = False, max_bytes: int | None = None, sink: Sink | None = None,
           chunk_size: int = CHUNK_SIZE, analyze: bool = True, workers: int = 1) -> Summary:
    """Read, clean, analyse and store every input; each article is stored whole or not at all.

    An interrupted batch can simply be run again: stored texts come back as duplicates
    (and are not analysed again) and the rest goes in.
    """
    sink = sink or Sink()
    items = read_all(inputs, fetch=fetch, max_bytes=max_bytes, on_input=sink.input_done)
    return ingest_items(items, store, sink=sink, chunk_size=chunk_size, analyze=analyze, workers=workers,
                        summary=Summary(inputs=len(inputs)))


def ingest_items(items: Iterable[RawDocument | IngestError], store, *, sink: Sink | None = None,
                 chunk_size: int = CHUNK_SIZE, analyze: bool = True, workers: int = 1,
                 summary: Summary | None = None) -> Summary:
    """``ingest`` for documents read already (the poller's feed entries and pages): cleaned,
    analysed, stored, their claims grouped, errors recorded, the same way. A document longer
    than ``max_chars_limit()`` is an error naming it, as in ``read_all``."""
    sink = sink or Sink()
    summary = summary or Summary()
    limit = max_chars_limit()

    def failed(error: IngestError) -> None:
        _record(store, error)
        summary.errors.append(error)
        sink.error(error)

    for chunk in chunks((within_length(item, limit) for item in items), chunk_size):
        docs = [item for item in chunk if isinstance(item, RawDocument)]
        for error in (item for item in chunk if isinstance(item, IngestError)):
            failed(error)
        keys = [line_keys(doc.text) for doc in docs]
        known = store.known_ids([d.id for d in docs])
        articles = clean_chunk(docs, keys, store.line_counts, known)
        store_chunk(store, zip(analyses(articles, analyze=analyze, workers=workers, skip=known), keys, strict=True),
                    summary, sink, failed)
    _save_claim_index(store)
    return summary


def store_chunk(store, items: Iterable[tuple[Analysis | IngestError, set[str]]], summary: Summary, sink: Sink,
                failed: Callable[[IngestError], None]) -> None:
    """Store a chunk's analyses (each with its line keys) as ``ingest`` does, then match the new
    claims of the chunk (claim groups); ``claimdesk load`` stores a Spark run's chunks through it."""
    grouping: dict[str, str] = {}  # stored articles with claims (id: input name), grouped at the end of the chunk
    for analysis, doc_keys in items:
        if isinstance(analysis, IngestError):
            failed(analysis)
            continue
        try:
            added = store.add(analysis.article, line_keys=doc_keys, claims=analysis.claims, entities=analysis.entities,
                              dates=analysis.dates, headline=analysis.headline, analysed_end=analysis.analysed_end)
        except Exception as err:  # this article is not stored (its transaction rolled back); the rest go on
            failed(IngestError(analysis.article.raw.name, f"could not store: {type(err).__name__}: {err}"))
            continue
        summary.documents += 1
        summary.ids.append(added.id)
        summary.new += added.status == "new"
        summary.duplicates += added.status == "duplicate"
        summary.versions += added.status == "version"
        summary.near_duplicates += bool(added.near_duplicates) and added.status != "duplicate"
        sink.article(analysis, added)
        if analysis.claims and added.status != "duplicate":
            grouping[added.id] = analysis.article.raw.name
    _group_claims(store, grouping, failed)


def save_claim_index(store) -> None:
    """Keep the matcher beside the store for the next process (``_save_claim_index``)."""
    _save_claim_index(store)


def _group_claims(store, ids: dict[str, str], failed: Callable[[IngestError], None]) -> None:
    """Match a chunk's new claims against the stored ones (claim groups, ``store.groups``),
    unless $CLAIMDESK_CLAIM_GROUPS is off. The articles are stored already: a matching
    failure is reported as an error naming the article and loses nothing (its claims are
    grouped by the next run)."""
    from .store import Store, groups

    if not ids or not groups.enabled() or not isinstance(store, Store):
        return
    try:
        done = groups.group_articles(store, list(ids))
    except Exception as err:  # the whole step failed (the model would not load, the database went away)
        for name in ids.values():
            failed(IngestError(name, f"stored, but claim matching failed: {type(err).__name__}: {err}"))
        return
    for id_, cause in done.failed:
        failed(IngestError(ids.get(id_, id_), f"stored, but {cause}"))


def _save_claim_index(store) -> None:
    """Keep the matcher beside the store for the next process (a cache: losing it costs a rebuild)."""
    from .store import Store, groups

    if groups.enabled() and isinstance(store, Store):
        try:
            groups.save(store)
        except OSError:
            pass


def _record(store, error: IngestError) -> None:
    """Keep the error in the store's errors table; a store that cannot take even that
    (its disk full, say) still leaves the error in the summary and on the screen."""
    try:
        store.record_error(error)
    except Exception:
        pass


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
