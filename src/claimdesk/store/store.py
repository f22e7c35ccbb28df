"""The Store: articles in, articles out, over SQLite or PostgreSQL."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Connection, Integer, bindparam, create_engine, event, exists, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

from claimdesk.model import (
    Added,
    Article,
    Claim,
    ClaimHit,
    DateMention,
    Entity,
    HeadlineCheck,
    HeadlineReason,
    IngestError,
    Language,
    LineCounts,
    RawDocument,
    Removed,
    SearchHit,
    Span,
    StoredArticle,
)
from claimdesk.store import fts, migrate, neardup, summaries
from claimdesk.store import speakers as speaker_store
from claimdesk.store.schema import (
    body_ranges,
    claims as claim_table,
    dates as date_table,
    documents,
    entities as entity_table,
    headline_checks,
    headline_reasons,
    ingest_errors,
    line_counts,
    removed_ranges,
    scope_counts,
    speakers as speakers_table,
    standing_claim,
)

_HEX = frozenset("0123456789abcdef")
_MIN_PREFIX = 4
_KEY_CHUNK = 500  # keys per IN (...) when reading line counts
_CACHE_KIB = 65536  # SQLite page cache per connection
_MMAP_BYTES = 1 << 34  # memory-mapped reads of the database file, up to this (or SQLite's maximum)
_WRITE_LOCK_KEY = 0x636C6D64  # PostgreSQL advisory lock that serialises writers ("clmd")


def _span(start: int | None, end: int | None) -> Span | None:
    return Span(start, end) if start is not None and end is not None else None


def _declared(row) -> str | None:
    """The language a stored document's source declared: its own column for an identified
    document (an identified language always has a confidence); ``language`` holds it for one
    stored before 0015 or never identified."""
    return row.language_declared if row.language_confidence is not None else row.language


def _language(row) -> Language | None:
    """The language identified for a stored document; None when it never was (before 0015)."""
    return Language(row.language, row.language_confidence) if row.language_confidence is not None else None


def _claim_row(doc_pk: int, seq: int, claim: Claim) -> dict:
    source, medium, target = claim.source, claim.medium, claim.target
    return {
        "doc_pk": doc_pk,
        "seq": seq,
        "source_start": source.start if source else None,
        "source_end": source.end if source else None,
        "speaker": claim.speaker,
        "cue_start": claim.cue.start,
        "cue_end": claim.cue.end,
        "content_start": claim.content.start,
        "content_end": claim.content.end,
        "hedge": claim.hedge,
        "medium_start": medium.start if medium else None,
        "medium_end": medium.end if medium else None,
        "negated": bool(claim.negated),
        "speaker_type": claim.speaker_type,
        "target_start": target.start if target else None,
        "target_end": target.end if target else None,
        "confidence": claim.confidence,  # revision 0015
        "check_worthiness": claim.check_worthiness,  # revision 0019
    }


def _claim(row) -> Claim:
    return Claim(
        source=_span(row.source_start, row.source_end),
        speaker=row.speaker,
        cue=Span(row.cue_start, row.cue_end),
        content=Span(row.content_start, row.content_end),
        hedge=row.hedge,
        medium=_span(row.medium_start, row.medium_end),
        negated=bool(row.negated),
        speaker_type=row.speaker_type,
        target=_span(row.target_start, row.target_end),
        confidence=row.confidence,  # null for claims stored before revision 0015
        check_worthiness=row.check_worthiness,  # null for claims stored before revision 0019
    )


def _entity_row(doc_pk: int, seq: int, entity: Entity) -> dict:
    return {
        "doc_pk": doc_pk,
        "seq": seq,
        "start": entity.span.start,
        "end": entity.span.end,
        "label": entity.label,
        "canonical": entity.canonical,
        "role": entity.role,
    }


def _date_row(doc_pk: int, seq: int, date: DateMention) -> dict:
    return {"doc_pk": doc_pk, "seq": seq, "start": date.span.start, "end": date.span.end,
            "value": date.value, "kind": date.kind, "earliest": date.earliest}


def _headline_rows(doc_pk: int, check: HeadlineCheck) -> tuple[dict, list[dict]]:
    reasons = [
        {"doc_pk": doc_pk, "seq": i, "kind": r.kind, "text": r.text, "spans": [[s.start, s.end] for s in r.spans]}
        for i, r in enumerate(check.reasons)
    ]
    return {"doc_pk": doc_pk, "verdict": check.verdict, "stance": check.stance, "score": float(check.score)}, reasons


def _like_escape(value: str) -> str:
    """User input as a literal inside a LIKE pattern (escape character: backslash)."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _latest_version():
    """True for a document no newer version at its URL supersedes (no URL: always)."""
    return _LATEST_VERSION


def _make_latest_version():
    newer = documents.alias("newer")
    return ~exists().where(newer.c.url == documents.c.url, newer.c.version > documents.c.version)


# built once: an alias of documents costs a column collection of its own each time it is made
_LATEST_VERSION = _make_latest_version()


# What Store.get reads for one document, built once: statement construction and its
# cache key cost more than these small indexed reads themselves.
_DOCUMENT = select(documents).where(documents.c.id == bindparam("id"))
_BODY = select(body_ranges.c.start, body_ranges.c.end).where(body_ranges.c.doc_pk == bindparam("pk")).order_by(body_ranges.c.seq)
_REMOVED = (select(removed_ranges.c.start, removed_ranges.c.end, removed_ranges.c.reason, removed_ranges.c.detail)
            .where(removed_ranges.c.doc_pk == bindparam("pk")).order_by(removed_ranges.c.seq))
_VERSIONS = select(documents.c.id).where(documents.c.url == bindparam("url")).order_by(documents.c.version)
_CLAIMS = select(claim_table).where(claim_table.c.doc_pk == bindparam("pk")).order_by(claim_table.c.seq)
_ENTITIES = (select(entity_table.c.start, entity_table.c.end, entity_table.c.label, entity_table.c.canonical,
                    entity_table.c.role).where(entity_table.c.doc_pk == bindparam("pk")).order_by(entity_table.c.seq))
_DATES = (select(date_table.c.start, date_table.c.end, date_table.c.value, date_table.c.kind, date_table.c.earliest)
          .where(date_table.c.doc_pk == bindparam("pk")).order_by(date_table.c.seq))
_HEADLINE = select(headline_checks).where(headline_checks.c.doc_pk == bindparam("pk"))
_REASONS = (select(headline_reasons.c.kind, headline_reasons.c.text, headline_reasons.c.spans)
            .where(headline_reasons.c.doc_pk == bindparam("pk")).order_by(headline_reasons.c.seq))
_GROUP_IDS = (select(documents.c.id).where(documents.c.group_pk == bindparam("group_pk"), documents.c.pk != bindparam("pk"))
              .order_by(documents.c.pk))
_GROUP_IDS_FIRST = _GROUP_IDS.limit(bindparam("limit", type_=Integer))
_GROUP_SIZE = select(func.count()).where(documents.c.group_pk == bindparam("group_pk"))


@dataclass(frozen=True)
class SpeakerDetail:
    """A speaker's page: who, the names they were seen under, roles, corrections."""

    speaker: speaker_store.Speaker
    aliases: list[speaker_store.Alias]
    roles: list[speaker_store.Role]
    edits: list[speaker_store.Edit]


class AmbiguousId(LookupError):
    """An id prefix that matches several documents."""

    def __init__(self, prefix: str, candidates: list[str]):
        super().__init__(f"{prefix!r} matches {len(candidates)} documents: {', '.join(candidates)}")
        self.prefix = prefix
        self.candidates = candidates


def default_db_url(db: str | None = None) -> str:
    """None -> $CLAIMDESK_DB or ./claimdesk.db; a plain path -> sqlite:///<abs path>; a URL as is,
    except that postgresql:// becomes postgresql+psycopg:// so that psycopg 3 is used."""
    if db is None:
        db = os.environ.get("CLAIMDESK_DB") or "claimdesk.db"
    if "://" in db:
        for scheme in ("postgresql://", "postgres://"):
            if db.startswith(scheme):
                return "postgresql+psycopg://" + db[len(scheme) :]
        return db
    if db == ":memory:":
        return "sqlite://"
    return "sqlite:///" + str(Path(db).expanduser().resolve())


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _make_engine(url: str):
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        in_memory = parsed.database in (None, "", ":memory:")
        options = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}} if in_memory else {}
        engine = create_engine(parsed, **options)

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, _record):
            # SQLAlchemy emits BEGIN itself (below), so that writers can BEGIN IMMEDIATE
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            if not in_memory:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            # 64 MB of pages per connection (SQLite's default is 2 MB): the indexes a desk page
            # walks (news line, FTS doclists, claims by speaker) stay in memory instead of being
            # read again from the OS for every query
            cursor.execute(f"PRAGMA cache_size=-{_CACHE_KIB}")
            if not in_memory:
                # pages read through a memory map of the file instead of a read() each: a desk
                # page that meets pages not in the cache above (an article seen for the first
                # time, its copies' titles) copies nothing and makes no system call for them
                # (in-process CPU per article page ~5.5 -> ~4.5 ms on the bench store). SQLite
                # caps the size at its compile-time maximum (2 GiB in Debian's build); WAL
                # writes and checkpoints stay coherent with the map on Linux.
                cursor.execute(f"PRAGMA mmap_size={_MMAP_BYTES}")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(connection):
            # a writer takes the write lock up front: a deferred BEGIN that upgrades to a
            # write later can fail with SQLITE_BUSY at once, whatever the busy timeout
            immediate = connection.get_execution_options().get("claimdesk_write", False)
            connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    if parsed.get_backend_name() == "postgresql":
        return create_engine(parsed, pool_pre_ping=True)
    raise ValueError(f"unsupported database {parsed.get_backend_name()!r}: use SQLite or PostgreSQL")


class Store:
    """Stored articles, their versions and near-duplicate groups, full-text search,
    ingest errors, and the recurring-line counts the cleaner learns chrome from."""

    def __init__(self, url: str):
        if "://" not in url:
            url = default_db_url(url)
        self.url = url
        self.engine = _make_engine(url)
        self._postgresql = self.engine.dialect.name == "postgresql"
        self._upsert = postgresql.insert if self._postgresql else sqlite.insert
        self._lock = threading.RLock()
        self._lsh = None  # built on the first add, from the stored sketches
        self._lsh_seen_pk = 0  # sketches of documents up to this pk are in the index
        migrate.upgrade(self.engine, self._writing)

    # -- plumbing ---------------------------------------------------------------

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        """One write transaction, holding the database's write lock from its start."""
        with self.engine.connect() as connection:
            connection.execution_options(claimdesk_write=True)
            with connection.begin():
                if self._postgresql:
                    connection.execute(select(func.pg_advisory_xact_lock(_WRITE_LOCK_KEY)))
                yield connection

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        with self.engine.connect() as connection:
            yield connection

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    # -- writing ----------------------------------------------------------------

    def add(
        self,
        article: Article,
        *,
        line_keys: set[str],
        claims: Iterable[Claim] = (),
        entities: Iterable[Entity] = (),
        dates: Iterable[DateMention] = (),
        headline: HeadlineCheck | None = None,
        analysed_end: int | None = None,
    ) -> Added:
        """Store an article with its analysis (claims, entities, dates, headline check)
        in one transaction; a duplicate text is not stored again (nor is its analysis).

        A new text at a known URL becomes its next version (older ones are kept,
        each with the claims it was stored with). Line counts grow only for a text
        not seen before in any close form, so syndicated copies do not make body
        lines look like chrome.
        """
        claims, entities, dates = list(claims), list(entities), list(dates)
        raw = article.raw
        doc_id = raw.id
        body = article.body_text
        sketch = neardup.sketch(body)  # CPU work, outside the transaction
        with self._lock:
            with self._writing() as connection:
                existing = connection.execute(
                    select(documents.c.pk, documents.c.version, documents.c.group_pk).where(documents.c.id == doc_id)
                ).first()
                if existing is not None:
                    others = self._group_ids(connection, existing.group_pk, existing.pk)
                    return Added(id=doc_id, status="duplicate", version=existing.version, near_duplicates=others)

                version = 1
                if raw.url is not None:
                    latest = connection.scalar(select(func.max(documents.c.version)).where(documents.c.url == raw.url))
                    version = (latest or 0) + 1
                group_pk = self._matching_group(connection, sketch)
                ingested_at = _now()

                pk = connection.execute(
                    insert(documents).returning(documents.c.pk),
                    {
                        "id": doc_id,
                        "text": raw.text,
                        "path": raw.path,
                        "url": raw.url,
                        "format": raw.format,
                        "outlet": raw.outlet,
                        "scope": raw.scope,
                        "stated_title": raw.title,
                        "title_start": article.title.start if article.title else None,
                        "title_end": article.title.end if article.title else None,
                        "published": raw.published,
                        "fetched": raw.fetched,
                        "author": raw.author,
                        # the identified language, the declared one beside it (0015)
                        "language": article.language.code if article.language else raw.language,
                        "language_declared": raw.language,
                        "language_confidence": article.language.confidence if article.language else None,
                        "extracted": raw.extracted,
                        "analysed_end": analysed_end,
                        "ingested_at": ingested_at,
                        "version": version,
                        "minhash": neardup.to_bytes(sketch) if sketch is not None else None,
                        "group_pk": group_pk,
                    },
                ).scalar_one()
                if group_pk is None:
                    connection.execute(update(documents).where(documents.c.pk == pk).values(group_pk=pk))
                if version > 1:  # the version this one supersedes no longer counts on person pages
                    previous = connection.scalar(select(documents.c.pk).where(
                        documents.c.url == raw.url, documents.c.version == version - 1))
                    if previous is not None:
                        summaries.supersede(connection, previous)
                named = speaker_store.assign(connection, claims, raw.published)
                claims = [claim for claim, _, _ in named]
                # the person summaries count claims by speakers across the corpus only (not "officials")
                summaries.add(connection, pk, raw.published, raw.outlet, ingested_at,
                              [c if speaker_pk is not None else replace(c, speaker=None) for c, speaker_pk, _ in named],
                              entities)
                if article.body:
                    connection.execute(
                        insert(body_ranges),
                        [{"doc_pk": pk, "seq": i, "start": s.start, "end": s.end} for i, s in enumerate(article.body)],
                    )
                if article.removed:
                    connection.execute(
                        insert(removed_ranges),
                        [
                            {"doc_pk": pk, "seq": i, "start": r.start, "end": r.end, "reason": r.reason, "detail": r.detail}
                            for i, r in enumerate(article.removed)
                        ],
                    )
                if claims:
                    connection.execute(insert(claim_table), [
                        {**_claim_row(pk, i, c), "speaker_pk": speaker_pk, "speaker_alias": alias}
                        for i, (c, speaker_pk, alias) in enumerate(named)])
                if entities:
                    connection.execute(insert(entity_table), [_entity_row(pk, i, e) for i, e in enumerate(entities)])
                if dates:
                    connection.execute(insert(date_table), [_date_row(pk, i, d) for i, d in enumerate(dates)])
                if headline is not None:
                    check, reasons = _headline_rows(pk, headline)
                    connection.execute(insert(headline_checks), check)
                    if reasons:
                        connection.execute(insert(headline_reasons), reasons)
                fts.index(connection, pk, article.title_text or raw.title or "", body)
                if group_pk is None and raw.scope is not None:
                    self._count_lines(connection, raw.scope, line_keys)
                others = self._group_ids(connection, group_pk, pk) if group_pk is not None else []
            # committed: only now may the in-memory index learn the new sketch
            if sketch is not None:
                self._lsh.insert(pk, sketch)
            self._lsh_seen_pk = max(self._lsh_seen_pk, pk)
        return Added(id=doc_id, status="version" if version > 1 else "new", version=version, near_duplicates=others)

    def _matching_group(self, connection: Connection, sketch) -> int | None:
        """The group of the oldest stored document this sketch is a near-duplicate of."""
        self._catch_up(connection)
        if sketch is None:
            return None
        candidates = self._lsh.query(sketch)
        if not candidates:
            return None
        rows = connection.execute(
            select(documents.c.pk, documents.c.group_pk, documents.c.minhash)
            .where(documents.c.pk.in_(candidates))
            .order_by(documents.c.pk)
        )
        for row in rows:
            if neardup.similar(sketch, neardup.from_bytes(row.minhash)):
                return row.group_pk if row.group_pk is not None else row.pk
        return None

    def _catch_up(self, connection: Connection) -> None:
        """Index the sketches stored since the index last looked (all of them the first
        time; afterwards, those another process added). Runs under the write lock."""
        if self._lsh is None:
            self._lsh = neardup.new_index()
        rows = connection.execute(
            select(documents.c.pk, documents.c.minhash)
            .where(documents.c.pk > self._lsh_seen_pk)
            .order_by(documents.c.pk)
        ).all()
        if not rows:
            return
        with self._lsh.insertion_session() as session:
            for pk, blob in rows:
                if blob is not None:
                    session.insert(pk, neardup.from_bytes(blob), check_duplication=False)
        self._lsh_seen_pk = rows[-1].pk

    def _count_lines(self, connection: Connection, scope: str, keys: Iterable[str]) -> None:
        statement = self._upsert(scope_counts).values(scope=scope, documents=1)
        connection.execute(
            statement.on_conflict_do_update(
                index_elements=[scope_counts.c.scope], set_={"documents": scope_counts.c.documents + 1}
            )
        )
        rows = [{"scope": scope, "key": key, "documents": 1} for key in sorted(keys)]  # sorted: stable lock order
        if rows:
            statement = self._upsert(line_counts)
            connection.execute(
                statement.on_conflict_do_update(
                    index_elements=[line_counts.c.scope, line_counts.c.key],
                    set_={"documents": line_counts.c.documents + 1},
                ),
                rows,
            )

    def record_error(self, error: IngestError) -> None:
        at = (error.at or datetime.now(timezone.utc)).isoformat()
        with self._writing() as connection:
            connection.execute(insert(ingest_errors), {"input": error.input, "cause": error.cause, "at": at})

    # -- reading ----------------------------------------------------------------

    def line_counts(self, scope: str | None, keys: Iterable[str]) -> LineCounts | None:
        """Counts for the asked keys only (a key no counted document has is left out);
        None when the scope is None or has no counted documents."""
        if scope is None:
            return None
        wanted = sorted(set(keys))
        with self._reading() as connection:
            total = connection.scalar(select(scope_counts.c.documents).where(scope_counts.c.scope == scope))
            if total is None:
                return None
            counts: dict[str, int] = {}
            for i in range(0, len(wanted), _KEY_CHUNK):
                rows = connection.execute(
                    select(line_counts.c.key, line_counts.c.documents).where(
                        line_counts.c.scope == scope, line_counts.c.key.in_(wanted[i : i + _KEY_CHUNK])
                    )
                )
                counts.update({row.key: row.documents for row in rows})
        return LineCounts(scope=scope, documents=total, counts=counts)

    def known_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of these document ids are stored already (one query per 500 ids)."""
        wanted = sorted(set(ids))
        found: set[str] = set()
        with self._reading() as connection:
            for i in range(0, len(wanted), _KEY_CHUNK):
                found.update(connection.scalars(select(documents.c.id).where(documents.c.id.in_(wanted[i : i + _KEY_CHUNK]))))
        return found

    def get(self, id_or_prefix: str, *, copies: int | None = None) -> StoredArticle | None:
        """The article with this id, or with the only id starting with this prefix
        (at least 4 hex characters); raises AmbiguousId when several start with it.

        ``copies``: list only the first this many near-duplicates (oldest first) and
        count the rest (``near_duplicates_total``): a wire story can have hundreds,
        and a page listing a few need not read every id."""
        prefix = id_or_prefix.strip().lower()
        if len(prefix) < _MIN_PREFIX or not set(prefix) <= _HEX:
            return None
        with self._reading() as connection:
            if len(prefix) == 64:
                row = connection.execute(_DOCUMENT, {"id": prefix}).first()
            else:
                rows = connection.execute(
                    select(documents)
                    # the range uses the unique index; startswith keeps it exact
                    .where(
                        documents.c.id >= prefix,
                        documents.c.id < prefix + "g",
                        documents.c.id.startswith(prefix, autoescape=True),
                    )
                    .order_by(documents.c.id)
                    .limit(20)
                ).all()
                if len(rows) > 1:
                    raise AmbiguousId(prefix, [r.id for r in rows])
                row = rows[0] if rows else None
            if row is None:
                return None
            return self._stored(connection, row, copies)

    def _stored(self, connection: Connection, row, copies: int | None = None) -> StoredArticle:
        raw = RawDocument(
            text=row.text, path=row.path, url=row.url, format=row.format, outlet=row.outlet, title=row.stated_title,
            published=row.published, fetched=row.fetched, author=row.author, language=_declared(row), scope=row.scope,
            extracted=row.extracted,
        )
        # statements built once (module level) and rows fetched all at once: an article
        # page reads ten small sets, and building and iterating them cost more than the SQL
        pk = {"pk": row.pk}
        body = [Span(start, end) for start, end in connection.execute(_BODY, pk).all()]
        removed = [Removed(*r) for r in connection.execute(_REMOVED, pk).all()]
        title = Span(row.title_start, row.title_end) if row.title_start is not None and row.title_end is not None else None
        if row.url is not None:
            versions = list(connection.scalars(_VERSIONS, {"url": row.url}).all())
        else:
            versions = [row.id]
        claim_rows = connection.execute(_CLAIMS, pk).all()
        claims = [_claim(r) for r in claim_rows]
        entities = [Entity(Span(start, end), label, canonical, role)
                    for start, end, label, canonical, role in connection.execute(_ENTITIES, pk).all()]
        dates = [DateMention(Span(start, end), value, kind, earliest)
                 for start, end, value, kind, earliest in connection.execute(_DATES, pk).all()]
        return StoredArticle(
            article=Article(raw=raw, title=title, body=body, removed=removed, language=_language(row)),
            dates=dates,
            headline=self._headline(connection, row.pk),
            ingested_at=row.ingested_at,
            version=row.version,
            versions=versions,
            near_duplicates=self._group_ids(connection, row.group_pk, row.pk, copies),
            near_duplicates_total=(self._group_size(connection, row.group_pk) - 1 if copies is not None else None),
            claims=claims,
            rejected=frozenset(r.seq for r in claim_rows if r.rejected_pk is not None),
            analysed_end=row.analysed_end,
            entities=entities,
        )

    @staticmethod
    def _headline(connection: Connection, doc_pk: int) -> HeadlineCheck | None:
        check = connection.execute(_HEADLINE, {"pk": doc_pk}).first()
        if check is None:
            return None
        reasons = tuple(
            HeadlineReason(kind, text, tuple(Span(start, end) for start, end in spans))
            for kind, text, spans in connection.execute(_REASONS, {"pk": doc_pk}).all()
        )
        return HeadlineCheck(check.verdict, check.stance, check.score, reasons)

    @staticmethod
    def _group_ids(connection: Connection, group_pk: int | None, own_pk: int, limit: int | None = None) -> list[str]:
        if group_pk is None or limit is not None and limit <= 0:
            return []
        if limit is None:
            return list(connection.scalars(_GROUP_IDS, {"group_pk": group_pk, "pk": own_pk}).all())
        return list(connection.scalars(_GROUP_IDS_FIRST, {"group_pk": group_pk, "pk": own_pk, "limit": limit}).all())

    @staticmethod
    def _group_size(connection: Connection, group_pk: int | None) -> int:
        """Documents in a near-duplicate group (1 for a document in no group: itself)."""
        if group_pk is None:
            return 1
        return connection.scalar(_GROUP_SIZE, {"group_pk": group_pk}) or 1

    def search(self, query: str, *, limit: int = 20, offset: int = 0) -> list[SearchHit]:
        """Best matches first, the latest version of each URL only. Every word of the
        query must match (on PostgreSQL, websearch syntax: "phrases", -not, or)."""
        with self._reading() as connection:
            return fts.search(connection, query, limit, offset)

    def claims_by_speaker(self, name: str, *, limit: int = 50, offset: int = 0) -> list[ClaimHit]:
        """Claims whose speaker is ``name`` or has it as a whole word or run of words
        ("Mammadov" finds "Elman Mammadov", not "Mammadova"), ignoring case; newest
        articles first (published, then ingested), the latest version of each URL only.

        Case is folded by the database's ``lower()``: ASCII only on SQLite, by the
        server's locale on PostgreSQL.
        """
        wanted = " ".join(name.replace("\x00", " ").split())
        if not wanted or limit <= 0:
            return []
        c, d = claim_table.c, documents.c
        spoken, escaped = func.lower(c.speaker), _like_escape(wanted)
        said_by = or_(
            spoken == func.lower(wanted),
            *(spoken.like(func.lower(pattern), escape="\\") for pattern in
              (escaped + " %", "% " + escaped, "% " + escaped + " %")),
        )
        with self._reading() as connection:
            # the page first, without the texts: sorting many matches then moves no article text
            page = connection.execute(
                select(claim_table)
                .join(documents, d.pk == c.doc_pk)
                .where(c.speaker.is_not(None), said_by, _latest_version(), standing_claim())
                .order_by(d.published.desc().nulls_last(), d.ingested_at.desc(), d.pk.desc(), c.seq)
                .limit(limit)
                .offset(max(offset, 0))
            ).all()
            if not page:
                return []
            articles = {
                row.pk: row
                for row in connection.execute(
                    select(d.pk, d.id, d.text, d.stated_title, d.title_start, d.title_end, d.outlet, d.published)
                    .where(d.pk.in_({r.doc_pk for r in page}))
                )
            }
        hits = []
        for r in page:
            doc = articles[r.doc_pk]
            if doc.title_start is not None and doc.title_end is not None:
                title = doc.text[doc.title_start : doc.title_end]
            else:
                title = doc.stated_title or ""
            hits.append(
                ClaimHit(article_id=doc.id, title=title, outlet=doc.outlet, published=doc.published,
                         text=doc.text, claim=_claim(r))
            )
        return hits

    def speakers(self, limit: int = 50) -> list[tuple[str, int]]:
        """Speakers across the corpus with how many claims each has in the latest version
        of each URL, most first (ties by name)."""
        return [(s.name, s.claims) for s in self.speaker_list(limit=limit)]

    def speaker_list(self, query: str | None = None, *, limit: int = 100, offset: int = 0) -> list[speaker_store.Speaker]:
        """Speakers (``store.speakers``) with type, aliases and claims, most claims first;
        ``query`` keeps those with it as a word or run of words in a name or alias."""
        if limit <= 0:
            return []
        with self._reading() as connection:
            return speaker_store.listing(connection, query, limit=limit, offset=max(offset, 0))

    def speaker_total(self, query: str | None = None) -> int:
        """How many speakers ``speaker_list`` lists over all its pages."""
        with self._reading() as connection:
            return speaker_store.listed_total(connection, query)

    def speaker_name(self, name: str) -> str | None:
        """The name of the speaker called ``name`` or known by it (an alias), or None."""
        with self._reading() as connection:
            pk = speaker_store.find_pk(connection, name)
            return speaker_store.name_of(connection, pk) if pk is not None else None

    def speaker(self, name: str) -> SpeakerDetail | None:
        """The speaker called ``name`` or known by it, with aliases (claims each), roles
        (counts, first and last dates) and the corrections that made it; None if no one."""
        with self._reading() as connection:
            pk = speaker_store.find_pk(connection, name)
            found = speaker_store.get(connection, pk) if pk is not None else None
            if found is None:
                return None
            return SpeakerDetail(speaker=found, aliases=speaker_store.alias_counts(connection, pk),
                                 roles=speaker_store.roles(connection, pk), edits=speaker_store.edits(connection, pk))

    def unattributed(self) -> dict[str, int]:
        """Claims whose source is no one across the corpus: ``unnamed`` and ``unresolved``."""
        with self._reading() as connection:
            return speaker_store.unattributed_counts(connection)

    def _correct(self, edit) -> str:
        with self._lock:
            with self._writing() as connection:
                pk = edit(connection)
                return speaker_store.get(connection, pk).name

    def merge_speakers(self, source: str, target: str, *, editor: str | None = None) -> str:
        """Speaker ``source`` becomes part of ``target`` (logged with the ``editor``'s name,
        pinned); returns the name they are shown by. ``SpeakerEditError`` says why not."""
        return self._correct(lambda c: speaker_store.merge(c, source, target, editor))

    def split_speaker(self, speaker: str, alias: str, *, editor: str | None = None) -> str:
        """The claims written as ``alias`` leave ``speaker`` for a speaker of their own; returns its name."""
        return self._correct(lambda c: speaker_store.split(c, speaker, alias, editor))

    def rename_speaker(self, speaker: str, new_name: str, *, editor: str | None = None) -> str:
        """``speaker`` is shown as ``new_name`` from now on; the old name stays an alias."""
        return self._correct(lambda c: speaker_store.rename(c, speaker, new_name, editor))

    def errors(self, limit: int = 50) -> list[IngestError]:
        """The most recent ingest errors first."""
        with self._reading() as connection:
            rows = connection.execute(select(ingest_errors).order_by(ingest_errors.c.pk.desc()).limit(limit))
            return [IngestError(input=r.input, cause=r.cause, at=datetime.fromisoformat(r.at)) for r in rows]

    def stats(self) -> dict:
        d = documents.c
        with self._reading() as connection:
            total = connection.scalar(select(func.count()).select_from(documents))
            formats = dict(
                connection.execute(
                    select(d.format, func.count()).group_by(d.format).order_by(func.count().desc(), d.format)
                ).all()
            )
            outlets = dict(
                connection.execute(
                    select(d.outlet, func.count())
                    .where(d.outlet.is_not(None))
                    .group_by(d.outlet)
                    .order_by(func.count().desc(), d.outlet)
                    .limit(10)
                ).all()
            )
            versions = connection.scalar(select(func.count()).where(d.version > 1))
            groups = (
                select(func.count().label("members"))
                .select_from(documents)
                .group_by(d.group_pk)
                .having(func.count() > 1)
                .subquery()
            )
            group_count, grouped = connection.execute(
                select(func.count(), func.coalesce(func.sum(groups.c.members), 0))
            ).one()
            error_count = connection.scalar(select(func.count()).select_from(ingest_errors))
            scopes = connection.scalar(select(func.count()).select_from(scope_counts))
            keys = connection.scalar(select(func.count()).select_from(line_counts))
            claim_count = connection.scalar(select(func.count()).select_from(claim_table))
            speaker_count = connection.scalar(select(func.count()).select_from(speakers_table))
        return {
            "documents": total,
            "formats": formats,
            "outlets": outlets,
            "versions": versions,
            "near_duplicate_groups": group_count,
            "near_duplicate_documents": int(grouped),
            "claims": claim_count,  # of every stored version, like "documents"
            "speakers": speaker_count,  # speakers across the corpus (claimdesk.store.speakers)
            "errors": error_count,
            "recent_errors": self.errors(5),
            "scopes": scopes,
            "line_keys": keys,
        }
