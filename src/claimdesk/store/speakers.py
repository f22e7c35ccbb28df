"""Speakers across the corpus, in the database: look-ups, the store's side of
``claimdesk.corpus.identity``, and editors' corrections.

Every claim whose speaker is someone (a person, organisation, group or medium) is
stored under a speaker (``claims.speaker_pk``); ``claims.speaker`` is then that
speaker's name, so every query by name (pages, filters, feeds, the CLI) sees one
speaker however the articles wrote it, and ``claims.speaker_alias`` keeps the name as
its article gave it. A speaker's aliases are the written names it was seen under, one
speaker per written name (``speaker_aliases.folded``).

``resolve`` is what ingest, re-analysis and the migration call for each mention, inside
the transaction that stores its claim. ``merge``, ``split`` and ``rename`` are the
editors' corrections: each pins the aliases it decides (``pinned``), which ``resolve``
follows before any rule, so a correction survives re-ingest and applies to new articles;
each is logged in ``speaker_edits`` with who and when. Every change of a claim's speaker
goes through ``_move``, which keeps the person summaries true (``summaries.recount``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone

from sqlalchemy import Connection, case, delete, exists, func, insert, or_, select, update

from claimdesk.corpus import identity
from claimdesk.model import Claim
from claimdesk.store import summaries
from claimdesk.store.schema import (
    claims as claim_table,
    documents,
    entities as entity_table,
    person_counts,
    speaker_aliases,
    speaker_edits,
    speakers,
    users,
)

_s, _a, _c = speakers.c, speaker_aliases.c, claim_table.c
names_someone = identity.names_someone  # for the desk: whether a claim's source can have a speaker page


class SpeakerEditError(ValueError):
    """A correction that cannot be made as asked (the message says why)."""


class UnknownSpeaker(SpeakerEditError):
    """A correction names a speaker no one is known by."""


@dataclass(frozen=True)
class Alias:
    name: str
    claims: int  # claims stored under this written name (latest versions)
    pinned: bool


@dataclass(frozen=True)
class Role:
    role: str
    count: int  # articles giving it
    first: str | None  # earliest and latest published date of the articles giving it
    last: str | None


@dataclass(frozen=True)
class Edit:
    action: str
    detail: dict
    by: str | None  # the editor's name; None when claimdesk joined them itself
    at: str


@dataclass
class Speaker:
    pk: int
    name: str
    type: str
    claims: int  # claims by them in the latest version of each article
    aliases: list[str] = field(default_factory=list)
    first: str | None = None
    last: str | None = None


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


# -- resolving a mention -------------------------------------------------------------------


def _best(rows) -> int | None:
    """Of the speakers an alias or key points at: the one an editor pinned it to, else the
    one with most claims."""
    return max(rows, key=lambda r: (bool(r.pinned), r.claims, -r.speaker_pk)).speaker_pk if rows else None


def _pointed(connection: Connection, *conditions, pinned_only: bool = False) -> int | None:
    chosen = [*conditions, _a.pinned] if pinned_only else list(conditions)
    return _best(connection.execute(
        select(_a.speaker_pk, func.max(case((_a.pinned, 1), else_=0)).label("pinned"), _s.claims).join(speakers, _s.pk == _a.speaker_pk)
        .where(*chosen).group_by(_a.speaker_pk, _s.claims)).all())


def _candidates(connection: Connection, surname: str, *, besides: int | None = None) -> list[identity.Candidate]:
    """The persons whose full name ends with ``surname``."""
    rows = connection.execute(
        select(_s.pk, _s.claims, _s.first_day, _s.last_day).where(
            _s.pk.in_(select(_a.speaker_pk).where(_a.kind == "person", _a.surname == surname)))).all()
    return [identity.Candidate(r.pk, r.claims, r.first_day, r.last_day) for r in rows if r.pk != besides]


def _add_alias(connection: Connection, speaker_pk: int, written: str, type_: str, *, pinned: bool = False) -> None:
    key = identity.name_key(written, type_)
    kind = identity.kind(type_)
    statement = _insert_ignoring_conflict(connection, speaker_aliases, ["speaker_pk", "folded"])
    connection.execute(statement, {
        "speaker_pk": speaker_pk, "alias": " ".join(written.split()), "folded": identity.folded(written),
        "kind": kind, "key": key, "surname": identity.surname_of(key) if kind == "person" else None,
        "pinned": pinned, "created": _now()})


def _insert_ignoring_conflict(connection: Connection, table, columns: list[str]):
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    return dialect_insert(table).on_conflict_do_nothing(index_elements=columns)


def _free_name(connection: Connection, name: str, type_: str) -> str:
    """``name``, or with its type (and a number) when another speaker has it."""
    taken = lambda n: connection.scalar(select(_s.pk).where(func.lower(_s.name) == n.lower())) is not None  # noqa: E731
    if not taken(name):
        return name
    for candidate in (f"{name} ({type_})", *(f"{name} ({type_} {i})" for i in range(2, 1000))):
        if not taken(candidate):
            return candidate
    raise SpeakerEditError(f"no free name for {name!r}")


def _create(connection: Connection, written: str, type_: str) -> int:
    name = _free_name(connection, identity.display_name(written, type_), type_)
    pk = connection.execute(insert(speakers).returning(_s.pk),
                            {"name": name, "type": type_, "claims": 0, "persons": 0, "created": _now()}).scalar_one()
    _add_alias(connection, pk, written, type_)
    return pk


def resolve(connection: Connection, written: str | None, type_: str | None, day: str | None) -> int | None:
    """The speaker a mention names (creating one when it is new), or None for an unnamed
    or unresolved source. See ``corpus.identity`` for the rules; a written name an editor
    pinned goes where they said, before any rule."""
    if not written or not written.strip() or type_ not in identity.IDENTIFIED_TYPES:
        return None
    if not identity.names_someone(written, type_):
        return None
    key, kind = identity.name_key(written, type_), identity.kind(type_)
    if not key:
        return None
    written_as = _a.folded == identity.folded(written)
    found = _pointed(connection, written_as, pinned_only=True)
    if found is None and kind == "body" and len(key.split()) == 1:  # "Trump" tagged an organisation
        found = identity.surname_choice(_candidates(connection, key), day)
    if found is None and kind == "person" and identity.surname_of(key) is None:
        # a surname alone: whom it stands for depends on who else has it, now
        found = identity.surname_choice(_candidates(connection, key), day)
        if found is None:  # ambiguous or unknown: the speaker known by this surname alone, if any
            found = _surname_alone(connection, key)
    elif found is None:
        found = _pointed(connection, written_as)
        if found is None:
            found = _pointed(connection, _a.kind == kind, _a.key == key)
        if found is None:  # the other kind, by the same key (read either way)
            keys = {identity.name_key(written, "person"), identity.name_key(written, "organisation")}
            found = _pointed(connection, _a.kind == ("body" if kind == "person" else "person"), _a.key.in_(keys))
    if found is not None:
        _add_alias(connection, found, written, type_)
        return found
    return _create(connection, written, type_)


def _surname_alone(connection: Connection, surname: str) -> int | None:
    """The person speaker known only by this surname (every alias of theirs is it alone)."""
    return connection.scalar(
        select(_s.pk).where(_s.pk.in_(select(_a.speaker_pk).where(_a.kind == "person", _a.key == surname)),
                            ~exists().where(_a.speaker_pk == _s.pk, _a.key != surname)).order_by(_s.pk).limit(1))


def _absorb_surnames(connection: Connection, full_pk: int) -> dict[int, int]:
    """A person quoted by full name: a speaker known by their surname alone (every alias
    of it is that word, of any kind, none pinned by an editor) joins them when the surname
    is now unambiguous (identity rule 3). Asked whenever they are quoted, so a surname
    that was ambiguous early in a corpus is joined once one person dominates it."""
    surnames = set(connection.scalars(select(_a.surname).where(_a.speaker_pk == full_pk, _a.surname.is_not(None))))
    joined: dict[int, int] = {}
    for surname in sorted(surnames):
        alone = connection.execute(
            select(_s.pk, _s.first_day, _s.last_day).where(
                _s.pk.in_(select(_a.speaker_pk).where(_a.key == surname)),
                ~exists().where(_a.speaker_pk == _s.pk, or_(_a.key != surname, _a.pinned)))).all()
        if not alone:
            continue
        candidates = _candidates(connection, surname)
        full = next((c for c in candidates if c.pk == full_pk), None)
        if full is None:
            continue
        others = [c for c in candidates if c.pk != full_pk]
        for row in alone:
            if identity.absorbs(full, others, row.last_day or row.first_day):
                name = _name(connection, row.pk) or ""
                _move(connection, row.pk, full_pk)
                connection.execute(delete(speakers).where(_s.pk == row.pk))
                _log(connection, "join", full_pk, {"joined": name, "reason": "surname"}, None)
                joined[row.pk] = full_pk
    return joined


def assign(connection: Connection, claims: list[Claim], day: str | None) -> list[tuple[Claim, int | None, str | None]]:
    """Each claim of an article about to be stored, its speaker named as the corpus knows
    them: (claim with ``speaker`` the speaker's name, speaker pk, the name as the article
    gave it). Counters (claims, first and last day) grow with them."""
    day = day[:10] if day else None
    named: dict[tuple[str, str], int | None] = {}
    out, types = [], []
    for claim in claims:
        type_ = claim.speaker_type if claim.speaker_type is not None else _guessed_type(claim.speaker)
        if claim.speaker and identity.maybe_surname(claim.speaker, type_):
            # a capitalised word the article could not tie to anyone ("Trump said", read as the card
            # game's noun): the corpus may know whose surname it is
            chosen = identity.surname_choice(_candidates(connection, identity.name_key(claim.speaker, "person")), day)
            if chosen is not None:
                claim, type_ = replace(claim, speaker_type="person"), "person"
        if claim.speaker and type_ in identity.IDENTIFIED_TYPES:
            mention = (claim.speaker, type_)
            if mention not in named:
                named[mention] = resolve(connection, claim.speaker, type_, day)
            pk = named[mention]
        else:
            pk = None
        out.append((claim, pk, claim.speaker if pk is not None else None))
        types.append(type_)
    joined: dict[int, int] = {}  # a surname's speaker -> the person it joined
    for pk in sorted({pk for _, pk, _ in out if pk is not None}):
        if connection.scalar(select(_s.type).where(_s.pk == pk)) == "person":
            joined.update(_absorb_surnames(connection, pk))
    while any(pk in joined for _, pk, _ in out):
        out = [(claim, joined.get(pk, pk), alias) for claim, pk, alias in out]
    used = Counter(pk for _, pk, _ in out if pk is not None)
    persons = Counter(pk for (_, pk, _), type_ in zip(out, types) if pk is not None and type_ == "person")
    bodies = {pk: type_ for (_, pk, _), type_ in zip(out, types) if pk is not None and type_ != "person"}
    names = {pk: name for pk, name in connection.execute(select(_s.pk, _s.name).where(_s.pk.in_(list(used))))}
    for pk, n in used.items():
        values = {"claims": _s.claims + n, "persons": _s.persons + persons[pk]}
        if day:
            values["first_day"] = func.coalesce(func.min(_s.first_day, day) if connection.dialect.name == "sqlite"
                                                else func.least(_s.first_day, day), day)
            values["last_day"] = func.coalesce(func.max(_s.last_day, day) if connection.dialect.name == "sqlite"
                                               else func.greatest(_s.last_day, day), day)
        connection.execute(update(speakers).where(_s.pk == pk).values(**values))
        row = connection.execute(select(_s.type, _s.persons, _s.claims).where(_s.pk == pk)).one()
        other = bodies.get(pk) or (row.type if row.type != "person" else "organisation")
        if (shown := identity.shown_type(row.persons, row.claims, other)) != row.type:
            connection.execute(update(speakers).where(_s.pk == pk).values(type=shown))
    return [(replace(claim, speaker=names[pk]) if pk is not None else claim, pk, alias) for claim, pk, alias in out]


# -- corrections -----------------------------------------------------------------------------


def _name(connection: Connection, pk: int) -> str | None:
    return connection.scalar(select(_s.name).where(_s.pk == pk))


def _log(connection: Connection, action: str, speaker_pk: int | None, detail: dict, user_pk: int | None) -> None:
    connection.execute(insert(speaker_edits), {"action": action, "speaker_pk": speaker_pk, "detail": detail,
                                               "user_pk": user_pk, "at": _now()})


def _move(connection: Connection, from_pk: int, to_pk: int, *, alias_folded: str | None = None) -> None:
    """Claims (all of ``from_pk``'s, or those written as one alias) and aliases move to
    ``to_pk``, the summaries following; counters are recounted for both."""
    of_speaker = _c.speaker_pk == from_pk
    doc_pks = list(connection.scalars(select(_c.doc_pk).where(of_speaker).distinct()))
    to_name = _name(connection, to_pk)

    def change() -> None:
        if alias_folded is None:
            connection.execute(update(claim_table).where(of_speaker).values(speaker_pk=to_pk, speaker=to_name))
            held = select(_a.folded).where(_a.speaker_pk == to_pk).scalar_subquery()
            connection.execute(delete(speaker_aliases).where(_a.speaker_pk == from_pk, _a.folded.in_(held)))
            connection.execute(update(speaker_aliases).where(_a.speaker_pk == from_pk).values(speaker_pk=to_pk))
            return
        # one written name, casefolded in Python (the databases' lower() differs beyond ASCII)
        for doc_pk, seq, written in connection.execute(select(_c.doc_pk, _c.seq, _c.speaker_alias).where(of_speaker)).all():
            if written is not None and identity.folded(written) == alias_folded:
                connection.execute(update(claim_table).where(_c.doc_pk == doc_pk, _c.seq == seq)
                                   .values(speaker_pk=to_pk, speaker=to_name))
        connection.execute(update(speaker_aliases).where(_a.speaker_pk == from_pk, _a.folded == alias_folded)
                           .values(speaker_pk=to_pk))

    summaries.recount(connection, doc_pks, change)
    for pk in (from_pk, to_pk):
        _recount_speaker(connection, pk)


def _recount_speaker(connection: Connection, pk: int) -> None:
    d = documents.c
    row = connection.execute(
        select(func.count(), func.min(func.substr(d.published, 1, 10)), func.max(func.substr(d.published, 1, 10)),
               func.count(case((_c.speaker_type == "person", 1))))
        .select_from(claim_table).join(documents, d.pk == _c.doc_pk).where(_c.speaker_pk == pk)).one()
    connection.execute(update(speakers).where(_s.pk == pk).values(claims=row[0], first_day=row[1], last_day=row[2],
                                                                  persons=row[3]))


def _speaker_named(connection: Connection, name: str) -> int:
    found = find_pk(connection, name)
    if found is None:
        raise UnknownSpeaker(f"no speaker named {name!r}")
    return found


def _editor_pk(connection: Connection, editor: str | None) -> int | None:
    if editor is None:
        return None
    pk = connection.scalar(select(users.c.pk).where(users.c.name == editor))
    if pk is None:
        raise SpeakerEditError(f"no user named {editor!r}")
    return pk


def merge(connection: Connection, source: str, target: str, editor: str | None) -> int:
    """Speaker ``source`` becomes part of ``target``: its claims and aliases move, its
    aliases pinned to ``target``. Returns ``target``'s pk."""
    user_pk = _editor_pk(connection, editor)
    source_pk, target_pk = _speaker_named(connection, source), _speaker_named(connection, target)
    if source_pk == target_pk:
        raise SpeakerEditError(f"{source!r} and {target!r} are already one speaker")
    source_name, aliases = _name(connection, source_pk), aliases_of(connection, source_pk)
    _move(connection, source_pk, target_pk)
    connection.execute(update(speaker_aliases).where(_a.speaker_pk == target_pk,
                                                     _a.folded.in_([identity.folded(a) for a in aliases]))
                       .values(pinned=True))
    connection.execute(delete(speakers).where(_s.pk == source_pk))
    _log(connection, "merge", target_pk, {"merged": source_name, "into": _name(connection, target_pk),
                                          "aliases": aliases}, user_pk)
    return target_pk


def split(connection: Connection, speaker: str, alias: str, editor: str | None) -> int:
    """The claims written as ``alias`` leave ``speaker`` for a speaker of their own, named
    by the alias, to which the alias stays pinned. Returns the new speaker's pk."""
    user_pk = _editor_pk(connection, editor)
    speaker_pk = _speaker_named(connection, speaker)
    wanted = identity.folded(alias)
    row = connection.execute(select(_a.alias, _a.kind).where(_a.speaker_pk == speaker_pk, _a.folded == wanted)).first()
    if row is None:
        raise SpeakerEditError(f"{alias!r} is not an alias of {_name(connection, speaker_pk)!r}")
    if connection.scalar(select(func.count()).where(_a.speaker_pk == speaker_pk)) < 2:
        raise SpeakerEditError(f"{alias!r} is the only alias of {_name(connection, speaker_pk)!r}: rename it instead")
    type_ = connection.scalar(select(_s.type).where(_s.pk == speaker_pk)) if row.kind != "person" else "person"
    name = _free_name(connection, identity.display_name(row.alias, type_), type_)
    new_pk = connection.execute(insert(speakers).returning(_s.pk),
                                {"name": name, "type": type_, "claims": 0, "persons": 0, "created": _now()}).scalar_one()
    _move(connection, speaker_pk, new_pk, alias_folded=wanted)
    connection.execute(update(speaker_aliases).where(_a.speaker_pk == new_pk, _a.folded == wanted).values(pinned=True))
    _log(connection, "split", new_pk, {"alias": row.alias, "from": _name(connection, speaker_pk), "name": name}, user_pk)
    return new_pk


def rename(connection: Connection, speaker: str, new_name: str, editor: str | None) -> int:
    """A speaker is shown as ``new_name`` from now on; its old name stays an alias, so old
    links and later mentions still find it."""
    user_pk = _editor_pk(connection, editor)
    speaker_pk = _speaker_named(connection, speaker)
    new_name = " ".join(new_name.split())
    if not new_name or len(new_name) > 300:
        raise SpeakerEditError("a speaker's name is 1 to 300 characters")
    other = find_pk(connection, new_name)
    if other is not None and other != speaker_pk:
        raise SpeakerEditError(f"{new_name!r} is already the speaker {_name(connection, other)!r}: merge them instead")
    old = _name(connection, speaker_pk)
    type_ = connection.scalar(select(_s.type).where(_s.pk == speaker_pk))
    doc_pks = list(connection.scalars(select(_c.doc_pk).where(_c.speaker_pk == speaker_pk).distinct()))

    def change() -> None:
        connection.execute(update(speakers).where(_s.pk == speaker_pk).values(name=new_name))
        connection.execute(update(claim_table).where(_c.speaker_pk == speaker_pk).values(speaker=new_name))

    summaries.recount(connection, doc_pks, change)
    for written in (old, new_name):
        _add_alias(connection, speaker_pk, written, type_, pinned=True)
        connection.execute(update(speaker_aliases).where(_a.speaker_pk == speaker_pk, _a.folded == identity.folded(written))
                           .values(pinned=True))
    _log(connection, "rename", speaker_pk, {"from": old, "to": new_name}, user_pk)
    return speaker_pk


# -- reading ---------------------------------------------------------------------------------


def find_pk(connection: Connection, name: str) -> int | None:
    """The speaker called ``name`` or known by it: an alias in any case, else a name with
    the same key (a title, a middle initial or "the" aside)."""
    name = " ".join(name.split())
    if not name:
        return None
    found = connection.scalar(select(_s.pk).where(func.lower(_s.name) == name.lower()))
    if found is None:
        found = _pointed(connection, _a.folded == identity.folded(name))
    for type_ in ("person", "organisation"):  # "Trump" for "Mr. Trump", "Kremlin" for "The Kremlin"
        if found is None and identity.name_key(name, type_):
            found = _pointed(connection, _a.kind == identity.kind(type_), _a.key == identity.name_key(name, type_))
    return found


def name_of(connection: Connection, pk: int) -> str | None:
    return _name(connection, pk)


def aliases_of(connection: Connection, pk: int) -> list[str]:
    return list(connection.scalars(select(_a.alias).where(_a.speaker_pk == pk).order_by(_a.pk)))


def _latest():
    newer = documents.alias("newer")
    d = documents.c
    return ~exists().where(newer.c.url == d.url, newer.c.version > d.version)


def get(connection: Connection, pk: int) -> Speaker | None:
    row = connection.execute(select(_s.pk, _s.name, _s.type, _s.first_day, _s.last_day).where(_s.pk == pk)).first()
    if row is None:
        return None
    return Speaker(pk=row.pk, name=row.name, type=row.type, claims=_claim_count(connection, row.name),
                   aliases=aliases_of(connection, pk), first=row.first_day, last=row.last_day)


def _claim_count(connection: Connection, name: str) -> int:
    p = person_counts.c
    return int(connection.scalar(select(func.coalesce(func.sum(p.n), 0)).where(
        p.kind == "by", func.lower(p.name) == name.lower())) or 0)


def _listed(query: str | None):
    """The speakers ``listing`` lists (with their claims, ``n``) and ``n`` itself."""
    p = person_counts.c
    n = func.coalesce(select(func.sum(p.n)).where(p.kind == "by", func.lower(p.name) == func.lower(_s.name))
                      .scalar_subquery(), 0).label("n")
    statement = select(_s.pk, _s.name, _s.type, _s.first_day, _s.last_day, n).where(n > 0)
    if query and query.split():
        wanted = identity.folded(query)
        words = [f"{wanted}", f"{wanted} %", f"% {wanted}", f"% {wanted} %"]
        statement = statement.where(_s.pk.in_(select(_a.speaker_pk).where(
            or_(*(_a.folded.like(w) for w in words)))))
    return statement, n


def listing(connection: Connection, query: str | None = None, *, limit: int = 100, offset: int = 0) -> list[Speaker]:
    """Speakers with their claims in the latest version of each article (from the person
    summaries), most first; ``query`` keeps those whose name or an alias has it as a word
    or run of words ("Trump" finds Donald Trump, also known as "Mr. Trump")."""
    statement, n = _listed(query)
    rows = connection.execute(statement.order_by(n.desc(), _s.name).limit(limit).offset(offset)).all()
    aliases: dict[int, list[str]] = {}
    if rows:
        for pk, alias in connection.execute(select(_a.speaker_pk, _a.alias).where(
                _a.speaker_pk.in_([r.pk for r in rows])).order_by(_a.pk)):
            aliases.setdefault(pk, []).append(alias)
    return [Speaker(pk=r.pk, name=r.name, type=r.type, claims=int(r.n), aliases=aliases.get(r.pk, []),
                    first=r.first_day, last=r.last_day) for r in rows]


def listed_total(connection: Connection, query: str | None = None) -> int:
    """How many speakers ``listing`` lists over all its pages."""
    statement, _ = _listed(query)
    return connection.scalar(select(func.count()).select_from(statement.subquery()))


def alias_counts(connection: Connection, pk: int) -> list[Alias]:
    """A speaker's aliases, with the claims written under each (latest versions), most first."""
    counted = Counter()
    for written, k in connection.execute(
            select(_c.speaker_alias, func.count()).join(documents, documents.c.pk == _c.doc_pk)
            .where(_c.speaker_pk == pk, _latest()).group_by(_c.speaker_alias)):
        if written:
            counted[identity.folded(written)] += k
    rows = connection.execute(select(_a.alias, _a.folded, _a.pinned).where(_a.speaker_pk == pk).order_by(_a.pk)).all()
    found = [Alias(r.alias, counted.get(r.folded, 0), bool(r.pinned)) for r in rows]
    return sorted(found, key=lambda a: (-a.claims, a.name.lower()))


def normal_role(role: str) -> str:
    """A role as shown: spacing and a leading article or "former" kept apart from the words
    that say it ("the Russian Defense Minister" and "Russian Defense Minister" are one)."""
    words = role.split()
    while words and words[0].lower() in {"the", "a", "an"}:
        words = words[1:]
    return " ".join(words).strip(" ,;:")


def roles(connection: Connection, pk: int, limit: int = 20) -> list[Role]:
    """The roles the articles give a speaker (titles and appositions, as analysis found
    them for the names the speaker is known by), normalised (case and a leading article
    aside), each with the number of articles giving it and the first and last dates."""
    e, d = entity_table.c, documents.c
    names = [_name(connection, pk) or "", *aliases_of(connection, pk)]
    found: dict[str, list] = {}
    for role, n, first, last in connection.execute(
            select(e.role, func.count(func.distinct(e.doc_pk)), func.min(d.published), func.max(d.published))
            .join(documents, d.pk == e.doc_pk)
            .where(e.canonical.in_(sorted(set(names))), e.label == "PERSON", e.role.is_not(None), _latest())
            .group_by(e.role)):
        shown = normal_role(role)
        if not shown:
            continue
        entry = found.setdefault(shown.lower(), [shown, 0, None, None, Counter()])
        entry[1] += n
        entry[4][shown] += n
        entry[2] = min(x for x in (entry[2], first) if x) if (entry[2] or first) else None
        entry[3] = max(x for x in (entry[3], last) if x) if (entry[3] or last) else None
    out = [Role(forms.most_common(1)[0][0], n, first[:10] if first else None, last[:10] if last else None)
           for _, n, first, last, forms in found.values()]
    return sorted(out, key=lambda r: (-r.count, r.role.lower()))[:limit]


def edits(connection: Connection, pk: int, limit: int = 50) -> list[Edit]:
    """The corrections and joins that made a speaker, newest first."""
    rows = connection.execute(
        select(speaker_edits.c.action, speaker_edits.c.detail, users.c.name, speaker_edits.c.at)
        .outerjoin(users, users.c.pk == speaker_edits.c.user_pk)
        .where(speaker_edits.c.speaker_pk == pk).order_by(speaker_edits.c.pk.desc()).limit(limit)).all()
    return [Edit(r.action, r.detail or {}, r.name, r.at) for r in rows]


def unattributed_counts(connection: Connection) -> dict[str, int]:
    """Claims (latest versions) whose source names no one across the corpus, by type:
    ``unnamed`` sources and ``unresolved`` pronouns or fragments."""
    rows = connection.execute(
        select(_c.speaker_type, func.count()).join(documents, documents.c.pk == _c.doc_pk)
        .where(_c.speaker_type.in_(["unnamed", "unresolved"]), _latest()).group_by(_c.speaker_type)).all()
    return {t: n for t, n in rows}


# -- stores made before speaker identity -------------------------------------------------------


def backfill(connection: Connection, batch: int = 2000) -> None:
    """Resolve every stored claim, in the order the articles were stored, as ingest would
    have; then rebuild the person summaries, which are keyed by speaker name."""
    d = documents.c
    last = 0
    while True:
        docs = connection.execute(select(d.pk, d.published).where(d.pk > last).order_by(d.pk).limit(batch)).all()
        if not docs:
            break
        for doc in docs:
            rows = connection.execute(select(_c.seq, _c.speaker, _c.speaker_type).where(_c.doc_pk == doc.pk)
                                      .order_by(_c.seq)).all()
            claims = [_bare_claim(r.speaker, r.speaker_type) for r in rows]
            for row, (claim, pk, alias) in zip(rows, assign(connection, claims, doc.published)):
                if pk is not None:
                    connection.execute(update(claim_table).where(_c.doc_pk == doc.pk, _c.seq == row.seq)
                                       .values(speaker=claim.speaker, speaker_pk=pk, speaker_alias=alias))
        last = docs[-1].pk
    from claimdesk.store.schema import person_claims
    connection.execute(delete(person_counts))
    connection.execute(delete(person_claims))
    summaries.backfill(connection)
    summaries.backfill_claims(connection)


def _guessed_type(speaker: str | None) -> str | None:
    """A type for a claim with a speaker but no type (stored before revision 0012 typed
    them, or made by hand): a pronoun or
    a lower-case phrase is no one; capitalised words are a person when two to four, else a body."""
    from claimdesk.analyze.speakers import PRONOUN_WORDS  # the one list of words that name no one

    words = (speaker or "").split()
    if not words or any(w.lower() in PRONOUN_WORDS for w in words) or not words[0][:1].isupper():
        return None
    return "person" if 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words) else "organisation"


def _bare_claim(speaker: str | None, speaker_type: str | None) -> Claim:
    from claimdesk.model import Span
    return Claim(source=None, speaker=speaker, cue=Span(0, 0), content=Span(0, 0), hedge="", speaker_type=speaker_type)


__all__ = ["Alias", "Edit", "Role", "Speaker", "SpeakerEditError", "UnknownSpeaker", "aliases_of", "alias_counts", "assign", "backfill",
           "edits", "find_pk", "get", "listing", "name_of", "names_someone", "merge", "rename", "resolve", "roles", "split",
           "unattributed_counts"]
