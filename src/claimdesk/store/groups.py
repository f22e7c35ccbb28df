"""Claim groups in the store: each stored claim matched against those stored before it.

    groups.group_articles(store, ["<document id>", ...])   # at ingest, after the articles are stored
    groups.group_of(store, article_id, seq)                 # the claim page's list
    groups.nearest(store, "text", top=5)                    # "has this been checked already?"

Where things live, and why:

- **The database holds the truth**: ``claim_index`` has one row per indexed claim with
  its embedding (384 float32, 1.5 KB) and its group. Any process (a second ingest, a web
  worker, a rebuild on another machine) can rebuild the matcher from these rows without
  the sentence model, and SQLite and PostgreSQL keep them alike; the web reads groups by
  plain indexed SQL, never through the matcher.
- **The matcher is a cache** (``corpus.match.Matcher``: BM25 plus an hnswlib graph),
  kept in a folder beside the store: ``<db file>.claims/`` for SQLite, and for
  PostgreSQL ``$CLAIMDESK_CACHE_DIR`` (else ``~/.cache/claimdesk/claims-<hash of the
  URL>``). Matcher numbers are ``claim_index.pk``, which only grows, so a loaded cache
  catches up by adding the rows past the last pk it holds (their stored vectors: no
  encoding); it is never rebuilt per ingest. A cache that does not fit the database
  (the database reset, rows deleted, files damaged) is rebuilt from the rows. Why not
  sqlite-vec / pgvector: two vector indexes to keep alike (one per dialect, each an
  extension to install: neither is in this environment's SQLite or PostgreSQL), neither
  with the lexical stage the matcher fuses; the matcher's hnswlib graph answers in about a
  millisecond (p50, 100,000 claims: ``benchmarks/match_scale.py``), and a whole match is
  far below the cost of analysing the article the claims come from (BENCHMARKS.md,
  "Claim groups at ingest").
- **Every vector names its encoder** (``claim_index.encoder``, revision 0016): vectors of
  two encoders are not comparable (another model, other fine-tuned layers, bfloat16 against
  float32: ``corpus/encoder.py``), so before a process matches anything against the stored
  claims, the rows another encoder made (or an unknown one: rows from before 0016) are
  embedded again with its own and rewritten (``reembed``), and a cache folder made by
  another encoder is rebuilt from the rows. Stored vectors are never mixed.
- **Fragments are not embedded** (``fragment``: rule 0 of ``corpus.groups``, fewer than 4
  words): they can neither join a group nor be joined, so their row has no vector, the
  matcher never holds them, and embedding them (about a fifth of the claims) is saved.
- **Grouping is serialised**: the catch-up, the matching and the new rows are one write
  transaction (the store's write lock), so two ingest processes never both start a group
  for the same claim; embedding (the cost) runs before it, batched over the articles.
  The in-memory matcher learns the new claims only once they are committed.

The decision is ``corpus.groups.decide`` (pure; its docstring has the thresholds).
Claims stored without a ``claim_index`` row (stores from before revision 0014, an
ingest run with matching off, an article whose matching failed) are grouped on first
use: the next ``group_articles`` of the process takes them too, oldest article first.

Switch: ``CLAIMDESK_CLAIM_GROUPS=off`` makes ingest skip matching (for measuring its
cost; the claims are grouped by the next ingest run with it on).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
import time
import weakref
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np
from sqlalchemy import Connection, and_, bindparam, exists, func, insert, or_, select, update
from sqlalchemy.engine import make_url

from claimdesk.corpus import groups as rules
from claimdesk.store.schema import claim_index, claims as claim_table, documents, review_publications
from claimdesk.store.queries import ClaimRef, _claim_columns, _claim_ref
from claimdesk.store.store import Store, _latest_version

ENV_SWITCH = "CLAIMDESK_CLAIM_GROUPS"
ENV_CACHE = "CLAIMDESK_CACHE_DIR"
SAVE_EVERY = 50_000  # claims added since the cache was last written, past which it is written again
_CHUNK = 500


def enabled() -> bool:
    """Matching at ingest is on unless $CLAIMDESK_CLAIM_GROUPS is off / 0 / false / no."""
    return os.environ.get(ENV_SWITCH, "").strip().lower() not in ("off", "0", "false", "no")


# -- the encoder: one per process, loaded on first need --------------------------------------

_encoder: Callable[[Sequence[str]], np.ndarray] | None = None
_encoder_lock = threading.Lock()


def encoder() -> Callable[[Sequence[str]], np.ndarray]:
    """The matcher's sentence encoder, loaded once per process and only when a claim is to
    be embedded (10-20 s: a store that only reads groups never pays it)."""
    global _encoder
    with _encoder_lock:
        if _encoder is None:
            from claimdesk.corpus.match import default_encoder

            _encoder = default_encoder()
        return _encoder


def encoder_name() -> str:
    """The id of the encoder this process embeds with (``encode.id``; loads the model)."""
    return getattr(encoder(), "id", None) or "custom"


class _Memo:
    """The encoder behind a memo of known vectors: the matcher asks for vectors of texts it
    adds or matches, and those embedded already (at ingest, before matching) or stored
    (at a catch-up) are served from here, so nothing is embedded twice."""

    def __init__(self) -> None:
        self.known: dict[str, np.ndarray] = {}

    @property
    def id(self) -> str:
        """The encoder behind the memo: what ``Matcher.save`` records and ``Matcher.load`` checks."""
        return encoder_name()

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self.known))
        if missing:
            self.remember(missing, encoder()(missing))
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self.known[t] for t in texts]).astype(np.float32)

    def remember(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        from claimdesk.corpus.match import query_text

        for text, vector in zip(texts, vectors):
            self.known[text] = vector
            self.known.setdefault(query_text(text), vector)  # the form Matcher.match embeds

    def clear(self) -> None:
        self.known.clear()


# -- the cache folder ----------------------------------------------------------------------


def cache_folder(url: str) -> Path | None:
    """Where a store's matcher is kept (see the module's docstring); None for an in-memory store."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            return None
        return Path(parsed.database + ".claims")
    base = os.environ.get(ENV_CACHE)
    digest = hashlib.sha256(parsed.render_as_string(hide_password=True).encode()).hexdigest()[:16]
    if base:
        return Path(base).expanduser() / f"claims-{digest}"
    return Path.home() / ".cache" / "claimdesk" / f"claims-{digest}"


@dataclass
class _Index:
    """One store's matcher, what it holds, and the lock its users take."""

    folder: Path | None
    memo: _Memo = field(default_factory=_Memo)
    matcher: object | None = None  # corpus.match.Matcher
    held: int = 0  # the largest claim_index.pk in the matcher
    count: int = 0  # claims in the matcher
    unsaved: int = 0  # claims added since the folder was written
    pending_checked: bool = False  # claims without a row were looked for in this process
    encoders_checked: bool = False  # rows of another encoder were looked for (and re-embedded) in this process
    lock: threading.RLock = field(default_factory=threading.RLock)


_indexes: "weakref.WeakKeyDictionary[Store, _Index]" = weakref.WeakKeyDictionary()
_indexes_lock = threading.Lock()


def _index(store: Store) -> _Index:
    with _indexes_lock:
        if store not in _indexes:
            _indexes[store] = _Index(cache_folder(store.url))
        return _indexes[store]


def _new_matcher(index: _Index):
    from claimdesk.corpus.match import Matcher

    return Matcher(encode=index.memo)


def _load(index: _Index, connection: Connection) -> None:
    """The matcher from its folder when that fits the database, else empty (the catch-up
    then adds every row: a rebuild, from stored vectors)."""
    from claimdesk.corpus.match import Matcher

    index.matcher, index.held, index.count = _new_matcher(index), 0, 0
    current = _current_folder(index.folder)
    if current is None:
        return
    try:
        meta = json.loads((current / "groups.json").read_text())
        held, count = int(meta["held"]), int(meta["count"])
        if meta.get("encoder") != encoder_name():
            return  # made from another encoder's vectors (or by a version that did not say): rebuilt
        rows = connection.scalar(select(func.count()).select_from(claim_index)
                                 .where(claim_index.c.pk <= held, _has_vector()))
        last = connection.scalar(select(func.count()).select_from(claim_index).where(claim_index.c.pk == held))
        if rows != count or (held and not last):
            return  # the database is not the one the cache was made from (reset, rows deleted)
        matcher = Matcher.load(current, encode=index.memo)
        if len(matcher) != count:
            return
    except Exception:  # a damaged or foreign folder: rebuilt from the rows
        return
    index.matcher, index.held, index.count = matcher, held, count


def _current_folder(folder: Path | None) -> Path | None:
    if folder is None:
        return None
    try:
        name = (folder / "CURRENT").read_text().strip()
    except OSError:
        return None
    return folder / name if name and (folder / name).is_dir() else None


def _content():
    c, d = claim_table.c, documents.c
    return func.substr(d.text, c.content_start + 1, c.content_end - c.content_start)


def _catch_up(index: _Index, connection: Connection) -> None:
    """Add to the matcher the rows stored since it last looked, with their stored vectors."""
    if index.matcher is None:
        _load(index, connection)
    from claimdesk.corpus.match import Claim

    i, c, d = claim_index.c, claim_table.c, documents.c
    while True:
        rows = connection.execute(
            select(i.pk, i.vector, i.encoder, _content().label("content"))
            .join(claim_table, and_(c.doc_pk == i.doc_pk, c.seq == i.seq))
            .join(documents, d.pk == i.doc_pk)
            .where(i.pk > index.held).order_by(i.pk).limit(10_000)
        ).all()
        if not rows:
            return
        last = rows[-1].pk
        rows = [r for r in rows if r.vector]  # a fragment's row has no vector: never in the matcher
        texts = [rules.claim_text(r.content or "") for r in rows]
        name = encoder_name()
        current = [(t, r) for t, r in zip(texts, rows) if r.encoder == name]
        # a row another encoder made since ``reembed`` ran (another process) is embedded anew here
        index.memo.remember([t for t, _ in current], [np.frombuffer(r.vector, dtype="<f4") for _, r in current])
        index.matcher.add([Claim(str(r.pk), t) for r, t in zip(rows, texts)])
        index.memo.clear()
        index.held, index.count = last, index.count + len(rows)
        index.unsaved += len(rows)


def save(store: Store) -> Path | None:
    """Write the store's matcher to its folder (a new subfolder, then ``CURRENT`` pointed at
    it: a reader never sees half a save). None when there is nothing to write."""
    index = _index(store)
    with index.lock:
        if index.folder is None or index.matcher is None or not index.unsaved:
            return None
        index.folder.mkdir(parents=True, exist_ok=True)
        name = f"{index.held}-{os.getpid()}-{int(time.time())}"
        target = index.folder / name
        index.matcher.save(target)
        (target / "groups.json").write_text(json.dumps({"held": index.held, "count": index.count,
                                                        "encoder": encoder_name()}))
        pointer = index.folder / f"CURRENT.{os.getpid()}"
        pointer.write_text(name)
        os.replace(pointer, index.folder / "CURRENT")
        for old in index.folder.iterdir():
            if old.is_dir() and old.name != name:
                shutil.rmtree(old, ignore_errors=True)
        index.unsaved = 0
        return target


# -- vectors of another encoder --------------------------------------------------------------

_REEMBED_CHUNK = 1000


def _stale(name: str):
    """Rows whose vector another (or an unknown) encoder made; a fragment's row has none."""
    i = claim_index.c
    return and_(or_(i.encoder.is_(None), i.encoder != name), _has_vector())


def _has_vector():
    return func.length(claim_index.c.vector) > 0


def fragment(text: str) -> bool:
    """A content the grouping rules never group (``corpus.groups`` rule 0: fewer than
    ``MIN_WORDS`` words, stop words out), neither joining a group nor joined by a later
    claim: it is stored without a vector and never embedded nor matched. On the benchmark's
    documents (BENCHMARKS.md, "Claim groups at ingest") that is 23% of the claims."""
    return len(set(rules.tokens(text))) < rules.MIN_WORDS


def reembed(store: Store) -> int:
    """Embed again, with this process's encoder, every stored claim vector another encoder made
    (or an unknown one: rows from before revision 0016), and rewrite those rows; returns how
    many. The in-memory matcher is dropped when any changed (its cache folder, made from the
    old vectors, is then refused by ``_load`` and rebuilt from the rows). Chunked: each chunk
    is read, embedded outside any transaction, then written; a row another process rewrote
    meanwhile is left as it is. The groups stay as they were decided.

    Once per process and store (the look-up reads the whole table): a row another process
    writes later with another encoder is embedded anew by ``_catch_up``, in memory, and
    rewritten by the next process's ``reembed``."""
    index = _index(store)
    i = claim_index.c
    with index.lock:
        if index.encoders_checked:
            return 0
        index.encoders_checked = True
        with store._reading() as connection:
            if connection.execute(select(i.pk).limit(1)).first() is None:
                return 0  # nothing stored: no need to load the encoder to know
        name = encoder_name()
        with store._reading() as connection:
            if connection.execute(select(i.pk).where(_stale(name)).limit(1)).first() is None:
                return 0
        c, d = claim_table.c, documents.c
        done, after = 0, 0
        while True:
            with store._reading() as connection:
                rows = connection.execute(
                    select(i.pk, _content().label("content"))
                    .join(claim_table, and_(c.doc_pk == i.doc_pk, c.seq == i.seq))
                    .join(documents, d.pk == i.doc_pk)
                    .where(_stale(name), i.pk > after).order_by(i.pk).limit(_REEMBED_CHUNK)
                ).all()
            if not rows:
                break
            vectors = encoder()([rules.claim_text(r.content or "") for r in rows])
            with store._writing() as connection:
                connection.execute(
                    update(claim_index).where(i.pk == bindparam("row_pk"), _stale(name))
                    .values(vector=bindparam("new_vector"), encoder=name),
                    [{"row_pk": r.pk, "new_vector": np.asarray(v, dtype="<f4").tobytes()} for r, v in zip(rows, vectors)])
            done, after = done + len(rows), rows[-1].pk
        if done:
            index.matcher, index.held, index.count, index.unsaved = None, 0, 0, 0
        return done


# -- grouping ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Grouped:
    """What ``group_articles`` did: claims indexed, of which joined a group, and the articles
    whose matching failed (id, cause): they stay stored, their claims wait for the next run."""

    claims: int = 0
    joined: int = 0
    failed: tuple[tuple[str, str], ...] = ()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _unindexed():
    i, c = claim_index.c, claim_table.c
    return ~exists().where(i.doc_pk == c.doc_pk, i.seq == c.seq)


def _pending(connection: Connection, doc_pks: Iterable[int] | None) -> list:
    """(doc_pk, seq, content, url, doc id) of claims without an index row: of these
    documents, or of every document (None), oldest document first."""
    c, d = claim_table.c, documents.c
    query = (select(c.doc_pk, c.seq, _content().label("content"), d.url, d.id)
             .join(documents, d.pk == c.doc_pk).where(_unindexed()).order_by(c.doc_pk, c.seq))
    if doc_pks is None:
        return connection.execute(query).all()
    wanted, rows = sorted(set(doc_pks)), []
    for start in range(0, len(wanted), _CHUNK):
        rows += connection.execute(query.where(c.doc_pk.in_(wanted[start:start + _CHUNK]))).all()
    return sorted(rows, key=lambda r: (r.doc_pk, r.seq))


def group_articles(store: Store, article_ids: Sequence[str] | None = None, *,
                   progress: Callable[[int], None] | None = None) -> Grouped:
    """Index and group the claims of these stored articles (None: of every stored article)
    that are not grouped yet, article by article in the order they were stored. The first
    call of a process also takes every claim left ungrouped before (the backfill).

    A failure costs the article it happens on: its claims stay ungrouped (and are taken
    again by the next call's backfill), the others go on. ``progress`` is told how many
    claims each article added."""
    index = _index(store)
    with index.lock:
        with store._reading() as connection:
            if article_ids is None or not index.pending_checked:
                rows = _pending(connection, None)
            else:
                pks = connection.scalars(select(documents.c.pk).where(documents.c.id.in_(list(article_ids)))).all()
                rows = _pending(connection, pks)
        index.pending_checked = True
        if not rows:
            return Grouped()
        reembed(store)
        by_doc: dict[int, list] = {}
        for row in rows:
            by_doc.setdefault(row.doc_pk, []).append(row)
        total = joined = 0
        failed: list[tuple[str, str]] = []
        docs = list(by_doc.items())
        for start in range(0, len(docs), 200):  # embed 200 articles' claims at a time, outside the lock
            batch = docs[start:start + 200]
            texts = list(dict.fromkeys(t for t in (rules.claim_text(r.content or "") for _, rs in batch for r in rs)
                                       if not fragment(t)))
            try:
                index.memo.remember(texts, encoder()(texts))
            except Exception as err:  # each article then embeds its own, and fails alone if it must
                index.memo.clear()
                del err
            for doc_pk, doc_rows in batch:
                try:
                    added, joins = _group_one(store, index, doc_pk, doc_rows)
                except Exception as err:
                    failed.append((doc_rows[0].id, f"claim matching failed: {type(err).__name__}: {err}"))
                    continue
                total, joined = total + added, joined + joins
                if progress:
                    progress(added)
            index.memo.clear()
        if failed:
            index.pending_checked = False  # the next call takes them again
        if index.unsaved >= SAVE_EVERY:
            save(store)
        return Grouped(total, joined, tuple(failed))


def _group_one(store: Store, index: _Index, doc_pk: int, rows: list) -> tuple[int, int]:
    """One article's claims, in one write transaction; the matcher learns them once committed."""
    from claimdesk.corpus.match import Claim

    texts = [rules.claim_text(r.content or "") for r in rows]
    whole = [t for t in texts if not fragment(t)]
    known = dict(zip(whole, index.memo(whole)))
    vectors = [known.get(t) for t in texts]  # None: a fragment
    name = encoder_name()
    new_rows, last = [], 0
    with store._writing() as connection:
        _catch_up(index, connection)
        # rows another process grouped meanwhile are not grouped again
        done = set(connection.execute(select(claim_index.c.seq).where(claim_index.c.doc_pk == doc_pk)).scalars())
        ungrouped = [(r, t, v) for r, t, v in zip(rows, texts, vectors) if r.seq not in done]
        if not ungrouped:
            return 0, 0
        matched = [t for _, t, v in ungrouped if v is not None]
        found = iter(index.matcher.match(matched, top=rules.CANDIDATES, min_similarity=rules.MIN_SIMILARITY,
                                         rerank=False)  # the rules decide by cosine
                     if len(index.matcher) and matched else [[] for _ in matched])
        found = [next(found) if v is not None else [] for _, _, v in ungrouped]
        stored = _candidates(connection, {int(m.claim.id) for ms in found for m in ms})
        at, joins = _now(), 0
        for (row, text, vector), matches in zip(ungrouped, found):
            candidates = [rules.Candidate(int(m.claim.id), *stored[int(m.claim.id)][:1], m.claim.text, m.similarity,
                                          *stored[int(m.claim.id)][1:])
                          for m in matches if int(m.claim.id) in stored]
            decision = rules.decide(rules.NewClaim(text, doc_pk, row.url), candidates)
            pk = connection.execute(
                insert(claim_index).returning(claim_index.c.pk),
                {"doc_pk": doc_pk, "seq": row.seq,
                 "vector": np.asarray(vector, dtype="<f4").tobytes() if vector is not None else b"",
                 "encoder": name,
                 "group_pk": decision.group if decision.group is not None else 0,
                 "matched_pk": decision.candidate.claim if decision.candidate else None,
                 "similarity": decision.candidate.similarity if decision.candidate else None,
                 "reason": decision.reason, "at": at},
            ).scalar_one()
            if decision.group is None:
                connection.execute(update(claim_index).where(claim_index.c.pk == pk).values(group_pk=pk))
            joins += decision.group is not None
            last = pk
            if vector is not None:
                new_rows.append((pk, text, vector))
    # committed: only now may the matcher learn them (in pk order, the order a rebuild adds them)
    index.memo.remember([t for _, t, _ in new_rows], [v for _, _, v in new_rows])
    index.matcher.add([Claim(str(pk), t) for pk, t, _ in new_rows])
    index.held, index.count = last, index.count + len(new_rows)
    index.unsaved += len(new_rows)
    return len(ungrouped), joins


def _candidates(connection: Connection, pks: set[int]) -> dict[int, tuple[int, int, str | None, bool]]:
    """claim_index.pk -> (group, doc_pk, url, superseded) of the matcher's candidates still stored."""
    if not pks:
        return {}
    i, d = claim_index.c, documents.c
    rows = connection.execute(
        select(i.pk, i.group_pk, i.doc_pk, d.url, _latest_version().label("latest"))
        .join(documents, d.pk == i.doc_pk).where(i.pk.in_(sorted(pks)))
    ).all()
    return {r.pk: (r.group_pk, r.doc_pk, r.url, not r.latest) for r in rows}


# -- reading groups ------------------------------------------------------------------------

GROUP_SHOWN = 200  # members a claim page lists at most


@dataclass(frozen=True)
class Member:
    """One appearance of a claim in its group, as the claim page lists it."""

    ref: ClaimRef
    earliest: bool  # the group's first appearance (by the article's date, then when stored)
    this: bool  # the claim the page is about
    reason: str  # why it joined: new (it started the group), similar, contained
    similarity: float | None


def _claim_pks(connection: Connection, article_id: str, seq: int):
    i, d = claim_index.c, documents.c
    return connection.execute(
        select(i.pk, i.group_pk, i.doc_pk).join(documents, d.pk == i.doc_pk).where(d.id == article_id, i.seq == seq)
    ).first()


def _order(ref: ClaimRef) -> tuple:
    return (ref.published or ref.ingested_at[:10], ref.ingested_at, ref.article_id, ref.seq)


def group_of(store: Store, article_id: str, seq: int) -> list[Member]:
    """Every appearance of the claim's group in the latest version of each article, oldest
    first, the claim itself included; empty when the claim has no repeat (or is not grouped)."""
    i, c, d = claim_index.c, claim_table.c, documents.c
    with store._reading() as connection:
        this = _claim_pks(connection, article_id, seq)
        if this is None:
            return []
        rows = connection.execute(
            select(*_claim_columns(), i.reason, i.similarity, i.pk.label("index_pk"))
            .select_from(claim_index)
            .join(claim_table, and_(c.doc_pk == i.doc_pk, c.seq == i.seq))
            .join(documents, d.pk == i.doc_pk)
            .where(i.group_pk == this.group_pk, or_(_latest_version(), i.pk == this.pk))
            .order_by(i.pk).limit(GROUP_SHOWN)
        ).all()
    if len(rows) < 2:
        return []
    refs = sorted(((_claim_ref(r), r) for r in rows), key=lambda pair: _order(pair[0]))
    return [Member(ref, n == 0, r.index_pk == this.pk, r.reason, r.similarity) for n, (ref, r) in enumerate(refs)]


def repeats(store: Store, article_id: str) -> dict[int, int]:
    """seq -> how many other articles (latest versions) carry that claim of this article."""
    i, d = claim_index.c, documents.c
    other, this_doc = claim_index.alias("other"), documents.alias("this_doc")
    with store._reading() as connection:
        rows = connection.execute(
            select(i.seq, func.count(other.c.doc_pk.distinct()))
            .select_from(claim_index)
            .join(this_doc, this_doc.c.pk == i.doc_pk)
            .join(other, and_(other.c.group_pk == i.group_pk, other.c.doc_pk != i.doc_pk))
            .join(documents, d.pk == other.c.doc_pk)
            .where(this_doc.c.id == article_id, _latest_version())
            .group_by(i.seq)
        ).all()
    return {seq: n for seq, n in rows}


# -- "has this been checked already?" -----------------------------------------------------------


@dataclass(frozen=True)
class Nearest:
    """A stored claim near a text, with the published reviews of its group (its own first)."""

    ref: ClaimRef
    score: float  # the matcher's fused rank score: orders one query's results
    similarity: float  # cosine of the text and the claim: comparable across queries
    group_size: int  # appearances of the claim (latest versions)
    reviews: tuple  # store.reviews.ReviewedClaim, published, of the claim or another appearance


def nearest(store: Store, text: str, *, top: int = 5, min_similarity: float | None = None) -> list[Nearest]:
    """The stored claims nearest ``text`` (latest versions only, one per group: the best
    scored appearance stands for its group), with the published reviews of each group.
    Reads only: claims not grouped yet are not searched (ingest groups them)."""
    from claimdesk.store import reviews as desk

    text = " ".join(text.split())
    if not text:
        return []
    index = _index(store)
    with index.lock:
        reembed(store)
        with store._reading() as connection:
            _catch_up(index, connection)
        if not len(index.matcher):
            return []
        matches = index.matcher.match([text], top=max(top * 4, 20), min_similarity=min_similarity)[0]
        index.memo.clear()
    if not matches:
        return []
    i, c, d = claim_index.c, claim_table.c, documents.c
    pks = [int(m.claim.id) for m in matches]
    with store._reading() as connection:
        rows = {r.index_pk: r for r in connection.execute(
            select(*_claim_columns(), i.pk.label("index_pk"), i.group_pk)
            .select_from(claim_index)
            .join(claim_table, and_(c.doc_pk == i.doc_pk, c.seq == i.seq))
            .join(documents, d.pk == i.doc_pk)
            .where(i.pk.in_(pks), _latest_version())
        ).all()}
        chosen, seen = [], set()
        for m in matches:
            row = rows.get(int(m.claim.id))
            if row is None or row.group_pk in seen:
                continue
            seen.add(row.group_pk)
            chosen.append((m, row))
            if len(chosen) == top:
                break
        members: dict[int, list] = {}
        for group_pk, doc_pk, article_id, seq in connection.execute(
            select(i.group_pk, i.doc_pk, d.id, i.seq).join(documents, d.pk == i.doc_pk)
            .where(i.group_pk.in_([row.group_pk for _, row in chosen]), _latest_version()).order_by(i.pk)
        ).all():
            members.setdefault(group_pk, []).append((doc_pk, article_id, seq))
        # which members have a published review: one query, then the reviews of those only
        p = review_publications.c
        doc_pks = sorted({doc_pk for ms in members.values() for doc_pk, _, _ in ms})
        published = set(connection.execute(
            select(p.doc_pk, p.seq).where(p.doc_pk.in_(doc_pks), p.action == "published", desk._latest_event())
        ).all()) if doc_pks else set()
    found = []
    for m, row in chosen:
        own = (row.article_id, row.seq)
        group = members.get(row.group_pk, [])
        keys = sorted(((a, s) for doc_pk, a, s in group if (doc_pk, s) in published), key=lambda k: k != own)
        reviewed = [r for r in (desk.published_review(store, desk.claim_key(*k)) for k in keys) if r is not None]
        found.append(Nearest(_claim_ref(row), m.score, m.similarity, max(len(group), 1), tuple(reviewed)))
    return found


def indexed(store: Store, article_id: str, seq: int) -> bool:
    """Whether the claim has been matched (it has a claim_index row)."""
    with store._reading() as connection:
        return _claim_pks(connection, article_id, seq) is not None
