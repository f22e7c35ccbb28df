"""Counts kept per person on ingest, so that a speaker or entity page can summarise all
their claims and mentions (tens of thousands for the most quoted) by reading a few
hundred rows.

``person_counts`` holds, for the latest version of every article:

- ``by``: claims per speaker (by name; speakers across the corpus only, ``store.speakers``),
  month of the article's date and hedge;
- ``about``: claims whose content holds a mention of an entity (canonical name), per
  month, their own claims excepted (speaker equal to the name, any case);
- ``mention``: mentions per canonical name, label and role (``label<TAB>role``);
- ``outlet``: articles per name (lower case) and outlet that quote or mention the name.

``person_claims`` holds the same claims one row each, (kind, name, day, ingested_at,
doc_pk, seq) with ``by`` keyed by the speaker in lower case and ``about`` by canonical
name: a page of anyone's claims, newest articles first, is one range of its index.

``person_articles`` holds (name, doc_pk, day, ingested_at) for every canonical name an
article mentions: the articles mentioning anyone, newest first, are one range of its index.

``Store.add`` adds an article's counts and rows in the transaction that stores it,
and takes away those of the version it supersedes. Months are ``YYYY-MM`` (``''``: undated).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from sqlalchemy import Connection, case, delete, exists, func, insert, literal_column, null, select

from claimdesk.store.schema import (
    claims as claim_table,
    documents,
    entities as entity_table,
    person_articles,
    person_claims,
    person_counts,
    standing_claim,
)

Key = tuple[str, str, str, str]  # kind, name, month, detail


def _speaker():
    """A stored claim's speaker as the summaries count it: only a speaker across the corpus
    (``speaker_pk``), never an unnamed source's phrase ("officials")."""
    c = claim_table.c
    return case((c.speaker_pk.is_not(None), c.speaker), else_=null()).label("speaker")


def counts(published: str | None, outlet: str | None,
           claims: Iterable[tuple[str | None, str, int, int]],
           mentions: Iterable[tuple[str, str, str | None, int, int]]) -> Counter[Key]:
    """One article's counts. ``claims``: (speaker, hedge, content start, content end);
    ``mentions``: (canonical, label, role, start, end)."""
    claims, mentions = list(claims), list(mentions)
    month = (published or "")[:7]
    found: Counter[Key] = Counter()
    for speaker, hedge, *_ in claims:
        if speaker is not None:
            found["by", speaker, month, hedge] += 1
    for canonical, label, role, _, _ in mentions:
        found["mention", canonical, "", f"{label}\t{role or ''}"] += 1
    for speaker, _, start, end in claims:
        for canonical in about(speaker, start, end, mentions):
            found["about", canonical, month, ""] += 1
    if outlet is not None:
        names = {s.lower() for s, *_ in claims if s is not None} | {c.lower() for c, *_ in mentions}
        for name in names:
            found["outlet", name, "", outlet] += 1
    return found


def about(speaker: str | None, start: int, end: int, mentions: list[tuple[str, str, str | None, int, int]]) -> set[str]:
    """Canonical names a claim is about: mentioned inside its content, the speaker excepted."""
    inside = {c for c, _, _, s, e in mentions if s >= start and e <= end}
    return {c for c in inside if speaker is None or speaker.lower() != c.lower()}


def claim_rows(doc_pk: int, published: str | None, ingested_at: str,
               claims: Iterable[tuple[int, str | None, int, int]],
               mentions: Iterable[tuple[str, str, str | None, int, int]]) -> list[dict]:
    """One article's ``person_claims`` rows. ``claims``: (seq, speaker, content start, end);
    ``mentions`` as for ``counts``."""
    mentions = list(mentions)
    day = published or ""
    rows = []
    for seq, speaker, start, end in claims:
        place = {"doc_pk": doc_pk, "seq": seq, "day": day, "ingested_at": ingested_at}
        if speaker is not None:
            rows.append({**place, "kind": "by", "name": speaker.lower()})
        rows.extend({**place, "kind": "about", "name": name} for name in sorted(about(speaker, start, end, mentions)))
    return rows


def article_rows(doc_pk: int, published: str | None, ingested_at: str, canonicals: Iterable[str]) -> list[dict]:
    """One article's ``person_articles`` rows: one per canonical name it mentions."""
    day = published or ""
    return [{"doc_pk": doc_pk, "name": name, "day": day, "ingested_at": ingested_at} for name in sorted(set(canonicals))]


def add(connection: Connection, doc_pk: int, published: str | None, outlet: str | None, ingested_at: str,
        claims: list, entities: list) -> None:
    """A stored article (its ``model.Claim``s and ``model.Entity``s) on every person summary:
    its counts, its claims' rows and its mentions' rows."""
    mentions = [(e.canonical, e.label, e.role, e.span.start, e.span.end) for e in entities]
    apply(connection, counts(published, outlet, [(c.speaker, c.hedge, c.content.start, c.content.end) for c in claims],
                             mentions))
    _insert(connection, person_claims, claim_rows(
        doc_pk, published, ingested_at, [(i, c.speaker, c.content.start, c.content.end) for i, c in enumerate(claims)],
        mentions))
    _insert(connection, person_articles, article_rows(doc_pk, published, ingested_at, [e.canonical for e in entities]))


def supersede(connection: Connection, doc_pk: int) -> None:
    """A superseded version leaves the person summaries: its counts taken away, its rows dropped."""
    apply(connection, stored_counts(connection, doc_pk), -1)
    for table in (person_claims, person_articles):
        connection.execute(delete(table).where(table.c.doc_pk == doc_pk))


def recount(connection: Connection, doc_pks: Iterable[int], change: Callable[[], None]) -> None:
    """Keep the summaries true while ``change`` rewrites the claims of these stored
    articles (a speaker merged, split off or renamed): their counts and claim rows are
    taken away as they stand, ``change`` runs, and they are added back as they then are.
    Only the latest version of each article counts, as on ingest."""
    d = documents.c
    newer = documents.alias("newer")
    wanted = sorted(set(doc_pks))
    latest: list[int] = []
    for start in range(0, len(wanted), 500):
        latest.extend(connection.scalars(select(d.pk).where(
            d.pk.in_(wanted[start:start + 500]), ~exists().where(newer.c.url == d.url, newer.c.version > d.version))))
    for pk in latest:
        apply(connection, stored_counts(connection, pk), -1)
    for start in range(0, len(latest), 500):
        connection.execute(delete(person_claims).where(person_claims.c.doc_pk.in_(latest[start:start + 500])))
    change()
    for pk in latest:
        apply(connection, stored_counts(connection, pk))
        _insert(connection, person_claims, _stored_claim_rows(connection, pk))


def _stored_claim_rows(connection: Connection, doc_pk: int) -> list[dict]:
    d, c, e = documents.c, claim_table.c, entity_table.c
    doc = connection.execute(select(d.published, d.ingested_at).where(d.pk == doc_pk)).one()
    claims = connection.execute(select(c.seq, _speaker(), c.content_start, c.content_end)
                                .where(c.doc_pk == doc_pk, standing_claim())).all()  # "not a claim" counts nowhere
    mentions = connection.execute(select(e.canonical, e.label, e.role, e.start, e.end).where(e.doc_pk == doc_pk)).all()
    return claim_rows(doc_pk, doc.published, doc.ingested_at, claims, mentions)


def _insert(connection: Connection, table, rows: list[dict], chunk: int = 2000) -> None:
    for start in range(0, len(rows), chunk):
        connection.execute(insert(table), rows[start:start + chunk])


def stored_counts(connection: Connection, doc_pk: int) -> Counter[Key]:
    """The counts of an article as stored (to take them away when a new version supersedes it)."""
    d, c, e = documents.c, claim_table.c, entity_table.c
    doc = connection.execute(select(d.published, d.outlet).where(d.pk == doc_pk)).first()
    if doc is None:
        return Counter()
    claims = connection.execute(select(_speaker(), c.hedge, c.content_start, c.content_end)
                                .where(c.doc_pk == doc_pk, standing_claim())).all()
    mentions = connection.execute(select(e.canonical, e.label, e.role, e.start, e.end).where(e.doc_pk == doc_pk)).all()
    return counts(doc.published, doc.outlet, claims, mentions)


def apply(connection: Connection, found: Counter[Key], sign: int = 1) -> None:
    """Add (``sign`` 1) or take away (-1) counts."""
    if not found:
        return
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(person_counts)
    statement = statement.on_conflict_do_update(
        index_elements=["kind", "name", "month", "detail"],
        set_={"n": person_counts.c.n + statement.excluded.n},
    )
    rows = [{"kind": k, "name": name, "month": m, "detail": det, "n": sign * n} for (k, name, m, det), n in found.items()]
    for start in range(0, len(rows), 2000):
        connection.execute(statement, rows[start:start + 2000])


def _counted_speaker(connection: Connection):
    """``_speaker()``, or the speaker as stored in a database whose migration has not yet
    reached speaker identity (revision 0013: the backfills of 0007 and 0008 run before it)."""
    from sqlalchemy import inspect

    columns = {column["name"] for column in inspect(connection).get_columns("claims")}
    return _speaker() if "speaker_pk" in columns else claim_table.c.speaker


def _latest_batches(connection: Connection, batch: int):
    """Every stored article no newer version supersedes, a batch at a time: (docs, claims
    by doc_pk as (seq, speaker, hedge, content start, end), mentions by doc_pk)."""
    d, c, e = documents.c, claim_table.c, entity_table.c
    newer = documents.alias("newer")
    latest = ~exists().where(newer.c.url == d.url, newer.c.version > d.version)
    speaker = _counted_speaker(connection)
    last = 0
    while True:
        docs = connection.execute(
            select(d.pk, d.published, d.outlet, d.ingested_at).where(d.pk > last, latest).order_by(d.pk).limit(batch)).all()
        if not docs:
            return
        pks = [r.pk for r in docs]
        claims: dict[int, list] = {}
        for r in connection.execute(select(c.doc_pk, c.seq, speaker, c.hedge, c.content_start, c.content_end)
                                    .where(c.doc_pk.in_(pks)).order_by(c.doc_pk, c.seq)):
            claims.setdefault(r.doc_pk, []).append(tuple(r[1:]))
        mentions: dict[int, list] = {}
        for r in connection.execute(select(e.doc_pk, e.canonical, e.label, e.role, e.start, e.end).where(e.doc_pk.in_(pks))):
            mentions.setdefault(r.doc_pk, []).append(tuple(r[1:]))
        yield docs, claims, mentions
        last = pks[-1]


def backfill(connection: Connection, batch: int = 2000) -> None:
    """Counts of every stored article that no newer version supersedes (a store made
    before ``person_counts`` existed), a batch of articles at a time."""
    for docs, claims, mentions in _latest_batches(connection, batch):
        found: Counter[Key] = Counter()
        for r in docs:
            found.update(counts(r.published, r.outlet, [k[1:] for k in claims.get(r.pk, [])], mentions.get(r.pk, [])))
        apply(connection, found)


def backfill_claims(connection: Connection, batch: int = 2000) -> None:
    """``person_claims`` rows of every stored article that no newer version supersedes (a
    store made before the table existed)."""
    for docs, claims, mentions in _latest_batches(connection, batch):
        rows = []
        for r in docs:
            rows.extend(claim_rows(r.pk, r.published, r.ingested_at,
                                   [(seq, speaker, start, end) for seq, speaker, _, start, end in claims.get(r.pk, [])],
                                   mentions.get(r.pk, [])))
        _insert(connection, person_claims, rows)


def backfill_articles(connection: Connection, batch: int = 10000) -> None:
    """``person_articles`` rows of every stored article no newer version supersedes (a store
    made before the table existed). Read from indexes only: each document's day and ingest
    time from the news line's index (``coalesce(published, '')``, ingested_at, pk), the
    superseded ones from (url, version), the names from (canonical, doc_pk, ...), never the
    documents' rows (their text makes a table scan read the whole store)."""
    d, e = documents.c, entity_table.c
    newer = documents.alias("newer")
    day = func.coalesce(d.published, literal_column("''"))  # the ix_documents_newsline expression
    placed = {pk: (day_, at) for pk, day_, at in connection.execute(select(d.pk, day, d.ingested_at).where(day >= literal_column("''")))}
    superseded = set(connection.scalars(
        select(d.pk).where(exists().where(newer.c.url == d.url, newer.c.version > d.version))))
    pairs = connection.execute(select(e.doc_pk, e.canonical).group_by(e.canonical, e.doc_pk))
    rows = []
    for doc_pk, name in pairs:
        if doc_pk in superseded or doc_pk not in placed:
            continue
        day_, at = placed[doc_pk]
        rows.append({"doc_pk": doc_pk, "name": name, "day": day_, "ingested_at": at})
        if len(rows) >= batch:
            _insert(connection, person_articles, rows, batch)
            rows = []
    _insert(connection, person_articles, rows, batch)
