"""The tables, as SQLAlchemy declarative models.

The migration in ``migrations/versions`` creates exactly these (a test compares
them), plus the full-text table, which differs by dialect and so lives only in
the migration: an FTS5 virtual table on SQLite, a table with a generated
``tsvector`` column on PostgreSQL. Both are called ``articles_fts``.

Revision 0001 made the document tables; 0002 added ``claims`` and ``entities``;
0003 ``documents.extracted``; 0004 ``dates``, ``headline_checks`` and ``headline_reasons``;
0005 the review desk: ``users``, ``sessions``, ``signin_attempts``, ``review_revisions``,
``review_publications``; 0006 the web desk's indexes; 0007 ``person_counts``; 0008 ``person_claims``;
0009 ``person_articles``; 0010 a covering index for person summaries; 0011
``documents.analysed_end``; 0012 ``claims.speaker_type``, ``claims.target_start`` and ``claims.target_end``;
0013 speaker identity: ``speakers``, ``speaker_aliases``, ``speaker_edits``, ``claims.speaker_pk`` and
``claims.speaker_alias``; 0014 claim groups: ``claim_index`` and ``review_propagations``
(``claimdesk.store.groups``); 0015 signals: ``documents.language_declared``,
``documents.language_confidence`` and ``claims.confidence``; 0016 ``claim_index.encoder``; 0017 followed
sources: ``sources`` and ``source_items`` (``claimdesk.store.sources``); 0019 the
review desk: ``claims.check_worthiness``, ``claims.rejected_pk``, ``claim_corrections`` and
``claim_assignments``.
"""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Float, ForeignKey, ForeignKeyConstraint, Index, Integer, LargeBinary, MetaData, String, Text, UniqueConstraint, false, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Document(Base):
    """One stored text: the whole document all offsets point into, and where it came from."""

    __tablename__ = "documents"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of text
    text: Mapped[str] = mapped_column(Text)
    path: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    format: Mapped[str] = mapped_column(Text)
    outlet: Mapped[str | None] = mapped_column(Text)
    scope: Mapped[str | None] = mapped_column(Text)
    stated_title: Mapped[str | None] = mapped_column(Text)  # RawDocument.title: a title the input states
    title_start: Mapped[int | None] = mapped_column(Integer)
    title_end: Mapped[int | None] = mapped_column(Integer)
    published: Mapped[str | None] = mapped_column(Text)
    fetched: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(Text)  # the language it is in (declared, before 0015)
    language_declared: Mapped[str | None] = mapped_column(Text)  # what its source said (revision 0015)
    language_confidence: Mapped[float | None] = mapped_column(Float)  # the identifier's, 0-1 (revision 0015)
    extracted: Mapped[bool] = mapped_column(Boolean, server_default=false())  # RawDocument.extracted
    analysed_end: Mapped[int | None] = mapped_column(Integer)  # Analysis.analysed_end: where analysis stopped
    ingested_at: Mapped[str] = mapped_column(String(40))  # UTC ISO 8601
    version: Mapped[int] = mapped_column(Integer)
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)  # MinHash hash values, little-endian uint32
    group_pk: Mapped[int | None] = mapped_column(Integer)  # near-duplicate group: pk of its first member

    __table_args__ = (
        # one version number per URL; also the index behind "latest version at this URL"
        Index("ix_documents_url_version", "url", "version", unique=True),
        Index("ix_documents_group_pk", "group_pk"),
        # the web desk's news line, newest first, overall and per outlet (revision 0006)
        Index("ix_documents_newsline", func.coalesce(published, ""), "ingested_at", "pk"),
        Index("ix_documents_outlet_newsline", "outlet", func.coalesce(published, ""), "ingested_at", "pk"),
        # never reuse a pk (SQLite would reuse the highest after a rollback or delete):
        # group_pk and the in-memory near-duplicate index refer to documents by pk
        {"sqlite_autoincrement": True},
    )


class BodyRange(Base):
    __tablename__ = "body_ranges"

    doc_pk: Mapped[int] = mapped_column(ForeignKey("documents.pk", ondelete="CASCADE"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)


class RemovedRange(Base):
    __tablename__ = "removed_ranges"

    doc_pk: Mapped[int] = mapped_column(ForeignKey("documents.pk", ondelete="CASCADE"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    detail: Mapped[str] = mapped_column(Text)


class IngestErrorRow(Base):
    __tablename__ = "ingest_errors"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    input: Mapped[str] = mapped_column(Text)
    cause: Mapped[str] = mapped_column(Text)
    at: Mapped[str] = mapped_column(String(40))  # ISO 8601 as given (timezone kept)


class ScopeCount(Base):
    """How many counted documents a scope (outlet or folder) has."""

    __tablename__ = "scope_counts"

    scope: Mapped[str] = mapped_column(Text, primary_key=True)
    documents: Mapped[int] = mapped_column(Integer)


class LineCount(Base):
    """In how many counted documents of a scope a line (by ``clean.lines.line_key``) occurs."""

    __tablename__ = "line_counts"

    scope: Mapped[str] = mapped_column(Text, primary_key=True)
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    documents: Mapped[int] = mapped_column(Integer)


class ClaimRow(Base):
    """One attributed claim (``model.Claim``) of a document, spans as offsets into its text.

    ``seq`` keeps the order the analysis gave (text order). ``source_*`` and
    ``medium_*`` are both null when the claim states no source / no medium.
    """

    __tablename__ = "claims"

    doc_pk: Mapped[int] = mapped_column(ForeignKey("documents.pk", ondelete="CASCADE"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_start: Mapped[int | None] = mapped_column(Integer)
    source_end: Mapped[int | None] = mapped_column(Integer)
    speaker: Mapped[str | None] = mapped_column(Text)
    cue_start: Mapped[int] = mapped_column(Integer)
    cue_end: Mapped[int] = mapped_column(Integer)
    content_start: Mapped[int] = mapped_column(Integer)
    content_end: Mapped[int] = mapped_column(Integer)
    hedge: Mapped[str] = mapped_column(Text)
    medium_start: Mapped[int | None] = mapped_column(Integer)
    medium_end: Mapped[int | None] = mapped_column(Integer)
    negated: Mapped[bool] = mapped_column(Boolean)
    # model.Claim.speaker_type and target (revision 0012); null in rows stored before it
    speaker_type: Mapped[str | None] = mapped_column(Text)
    target_start: Mapped[int | None] = mapped_column(Integer)
    target_end: Mapped[int | None] = mapped_column(Integer)
    # who the speaker is across the corpus (revision 0013): ``speaker`` is then that speaker's
    # name, ``speaker_alias`` the name as the article gave it (model.Claim.speaker); both
    # null for unnamed and unresolved sources, whose ``speaker`` stays the article's phrase
    speaker_pk: Mapped[int | None] = mapped_column(Integer)
    speaker_alias: Mapped[str | None] = mapped_column(Text)
    confidence: Mapped[float | None] = mapped_column(Float)  # the taggers' confidence, 0-1 (revision 0015)
    # the check-worthiness model's score, 0-1, which ranks the review queue (revision 0019)
    check_worthiness: Mapped[float | None] = mapped_column(Float)
    # the correction that marked this "not a claim" (claim_corrections.pk); such a claim leaves
    # the queue, pages, feeds and exports and is never published (revision 0019)
    rejected_pk: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_claims_speaker", "speaker"),
        Index("ix_claims_speaker_pk", "speaker_pk"),
        # exact case-insensitive lookups (lower(speaker) = lower(:name)) on both dialects
        Index("ix_claims_speaker_lower", func.lower(speaker)),
        # the web desk: claims by speaker with article and hedge; articles by hedge (revision 0006)
        Index("ix_claims_speaker_lower_doc", func.lower(speaker), "doc_pk", "hedge"),
        Index("ix_claims_hedge_doc", "hedge", "doc_pk"),
        # the review queue: standing claims, most check-worthy first, then newest article (revision 0019)
        Index("ix_claims_queue", "rejected_pk", check_worthiness.desc(), doc_pk.desc(), "seq", "confidence"),
        Index("ix_claims_hedge_queue", "hedge", check_worthiness.desc(), doc_pk.desc(), "seq"),  # the queue by hedge
        Index("ix_claims_speaker_queue", func.lower(speaker), check_worthiness.desc(), doc_pk.desc(), "seq"),  # by speaker
    )


class EntityRow(Base):
    """One entity mention (``model.Entity``) of a document."""

    __tablename__ = "entities"

    doc_pk: Mapped[int] = mapped_column(ForeignKey("documents.pk", ondelete="CASCADE"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(Text)
    canonical: Mapped[str] = mapped_column(Text)
    role: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index("ix_entities_canonical", "canonical"),
        # the web desk: an entity's mentions with article, span, label and role, from the index (revision 0006)
        Index("ix_entities_canonical_doc", "canonical", "doc_pk", "start", "end", "label", "role"),
    )


class DateRow(Base):
    """One temporal expression (``model.DateMention``) of a document."""

    __tablename__ = "dates"

    doc_pk: Mapped[int] = mapped_column(ForeignKey("documents.pk", ondelete="CASCADE"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    value: Mapped[str] = mapped_column(Text)  # TIMEX3
    kind: Mapped[str] = mapped_column(Text)  # DATE, TIME, DURATION, SET
    earliest: Mapped[str | None] = mapped_column(Text)


class HeadlineCheckRow(Base):
    """The headline check (``model.HeadlineCheck``) of a document that has a headline."""

    __tablename__ = "headline_checks"

    doc_pk: Mapped[int] = mapped_column(ForeignKey("documents.pk", ondelete="CASCADE"), primary_key=True)
    verdict: Mapped[str] = mapped_column(Text)
    stance: Mapped[str] = mapped_column(Text)
    score: Mapped[float] = mapped_column(Float)

    __table_args__ = (Index("ix_headline_checks_verdict", "verdict"),)


class HeadlineReasonRow(Base):
    """One reason of a headline check, with the spans (``[[start, end], ...]``) it points at."""

    __tablename__ = "headline_reasons"

    doc_pk: Mapped[int] = mapped_column(ForeignKey("documents.pk", ondelete="CASCADE"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    spans: Mapped[list] = mapped_column(JSON)


# -- the review desk (revision 0005) ---------------------------------------------


class UserRow(Base):
    """A desk account; ``role`` is one of ``model.ROLES``."""

    __tablename__ = "users"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    password_hash: Mapped[str] = mapped_column(Text)  # argon2id, PHC string
    role: Mapped[str] = mapped_column(Text)
    created: Mapped[str] = mapped_column(String(40))  # UTC ISO 8601

    __table_args__ = ({"sqlite_autoincrement": True},)


class SessionRow(Base):
    """A signed-in browser: only the sha256 of its cookie's token is kept."""

    __tablename__ = "sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_pk: Mapped[int] = mapped_column(ForeignKey("users.pk", ondelete="CASCADE"), index=True)
    created: Mapped[str] = mapped_column(String(40))
    expires: Mapped[str] = mapped_column(String(40), index=True)


class SigninAttemptRow(Base):
    """One sign-in attempt, for rate limiting by name and by client address."""

    __tablename__ = "signin_attempts"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(Text)
    address: Mapped[str] = mapped_column(Text)
    at: Mapped[str] = mapped_column(String(40), index=True)
    ok: Mapped[bool] = mapped_column(Boolean)

    __table_args__ = (
        Index("ix_signin_attempts_name_at", "name", "at"),
        Index("ix_signin_attempts_address_at", "address", "at"),
    )


class ReviewRevisionRow(Base):
    """One revision of a claim's review; append-only (the latest per claim is current)."""

    __tablename__ = "review_revisions"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    doc_pk: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    rating: Mapped[str] = mapped_column(Text)  # one of model.RATINGS
    rationale: Mapped[str] = mapped_column(Text)
    evidence: Mapped[list] = mapped_column(JSON)  # ["https://...", ...]
    reviewer_pk: Mapped[int] = mapped_column(ForeignKey("users.pk"))
    at: Mapped[str] = mapped_column(String(40))

    __table_args__ = (
        ForeignKeyConstraint(["doc_pk", "seq"], ["claims.doc_pk", "claims.seq"]),
        Index("ix_review_revisions_doc_pk_seq", "doc_pk", "seq"),
        {"sqlite_autoincrement": True},
    )


class ReviewPublicationRow(Base):
    """An editor published (``revision_pk``) or unpublished a claim's review; append-only."""

    __tablename__ = "review_publications"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    doc_pk: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(Text)  # published, unpublished
    revision_pk: Mapped[int | None] = mapped_column(ForeignKey("review_revisions.pk"))
    editor_pk: Mapped[int] = mapped_column(ForeignKey("users.pk"))
    at: Mapped[str] = mapped_column(String(40))

    __table_args__ = (
        ForeignKeyConstraint(["doc_pk", "seq"], ["claims.doc_pk", "claims.seq"]),
        Index("ix_review_publications_doc_pk_seq", "doc_pk", "seq"),
        {"sqlite_autoincrement": True},
    )


class PersonCountRow(Base):
    """Counts per person kept on ingest for speaker and entity pages (``claimdesk.store.summaries``)."""

    __tablename__ = "person_counts"

    kind: Mapped[str] = mapped_column(Text, primary_key=True)  # by, about, mention, outlet
    name: Mapped[str] = mapped_column(Text, primary_key=True)
    month: Mapped[str] = mapped_column(Text, primary_key=True)  # YYYY-MM, '' undated or not by month
    detail: Mapped[str] = mapped_column(Text, primary_key=True)  # hedge, label<TAB>role, outlet
    n: Mapped[int] = mapped_column(Integer)

    # a person's counts of one kind by their name in any case, covering (revision 0010): the
    # summary's GROUP BY month, detail reads the index alone, in its order
    __table_args__ = (Index("ix_person_counts_kind_lower_name_month", "kind", func.lower(name), "month", "detail", "n"),)


class PersonClaimRow(Base):
    """Claims by and about each person in the news line's order, kept on ingest for the
    speaker and entity pages' paging (``claimdesk.store.summaries``): a page of a most
    quoted person's claims is read from one index range."""

    __tablename__ = "person_claims"

    doc_pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(Text, primary_key=True)  # by (name: the speaker in lower case), about (canonical)
    name: Mapped[str] = mapped_column(Text, primary_key=True)
    day: Mapped[str] = mapped_column(Text)  # the article's published date, '' undated (the news line's order)
    ingested_at: Mapped[str] = mapped_column(String(40))

    __table_args__ = (Index("ix_person_claims_page", "kind", "name", "day", "ingested_at", "doc_pk", seq.desc()),)


class PersonArticleRow(Base):
    """Articles mentioning each entity (canonical name) in the news line's order, kept on
    ingest for the speaker and entity pages' "articles mentioning" list
    (``claimdesk.store.summaries``): a page of them is one range of an index, however
    often the name is mentioned."""

    __tablename__ = "person_articles"

    doc_pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text, primary_key=True)  # the entity's canonical name
    day: Mapped[str] = mapped_column(Text)  # the article's published date, '' undated (the news line's order)
    ingested_at: Mapped[str] = mapped_column(String(40))

    __table_args__ = (Index("ix_person_articles_page", "name", "day", "ingested_at", "doc_pk"),)


# -- speaker identity (revision 0013, claimdesk.store.speakers) ------------------------------


class SpeakerRow(Base):
    """One speaker across the corpus: a person or body (``corpus.identity``)."""

    __tablename__ = "speakers"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(Text)  # person, organisation, group, medium
    claims: Mapped[int] = mapped_column(Integer, server_default="0")  # claims stored under them, any version
    persons: Mapped[int] = mapped_column(Integer, server_default="0")  # of which analysis typed person
    first_day: Mapped[str | None] = mapped_column(Text)  # earliest and latest published dates of their claims
    last_day: Mapped[str | None] = mapped_column(Text)
    created: Mapped[str] = mapped_column(String(40))

    __table_args__ = (
        Index("ix_speakers_lower_name", func.lower(name), unique=True),
        {"sqlite_autoincrement": True},
    )


class SpeakerAliasRow(Base):
    """A name a speaker was seen under; ``pinned`` when an editor decided it."""

    __tablename__ = "speaker_aliases"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    speaker_pk: Mapped[int] = mapped_column(ForeignKey("speakers.pk", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(Text)  # as first written
    folded: Mapped[str] = mapped_column(Text, index=True)  # casefolded, for look-ups by written name
    kind: Mapped[str] = mapped_column(Text)  # person, body
    key: Mapped[str] = mapped_column(Text)  # corpus.identity.name_key
    surname: Mapped[str | None] = mapped_column(Text, index=True)  # a person's full key's last word
    pinned: Mapped[bool] = mapped_column(Boolean, server_default=false())
    created: Mapped[str] = mapped_column(String(40))

    __table_args__ = (
        Index("ix_speaker_aliases_kind_key", "kind", "key"),
        UniqueConstraint("speaker_pk", "folded"),
        {"sqlite_autoincrement": True},
    )


class SpeakerEditRow(Base):
    """An editor's correction (merge, split, rename) or an automatic join; append-only."""

    __tablename__ = "speaker_edits"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    action: Mapped[str] = mapped_column(Text)  # merge, split, rename, join
    speaker_pk: Mapped[int | None] = mapped_column(Integer, index=True)  # the speaker that remains or results
    detail: Mapped[dict] = mapped_column(JSON)
    user_pk: Mapped[int | None] = mapped_column(ForeignKey("users.pk"))  # None: done by claimdesk itself
    at: Mapped[str] = mapped_column(String(40))

    __table_args__ = ({"sqlite_autoincrement": True},)


documents = Document.__table__
body_ranges = BodyRange.__table__
removed_ranges = RemovedRange.__table__
ingest_errors = IngestErrorRow.__table__
scope_counts = ScopeCount.__table__
line_counts = LineCount.__table__
claims = ClaimRow.__table__
entities = EntityRow.__table__
dates = DateRow.__table__
headline_checks = HeadlineCheckRow.__table__
headline_reasons = HeadlineReasonRow.__table__
users = UserRow.__table__
sessions = SessionRow.__table__
signin_attempts = SigninAttemptRow.__table__
review_revisions = ReviewRevisionRow.__table__
review_publications = ReviewPublicationRow.__table__
person_counts = PersonCountRow.__table__
person_claims = PersonClaimRow.__table__
person_articles = PersonArticleRow.__table__
speakers = SpeakerRow.__table__
speaker_aliases = SpeakerAliasRow.__table__
speaker_edits = SpeakerEditRow.__table__


# -- claim groups (revision 0014, ``claimdesk.store.groups``) ---------------------------


class ClaimIndexRow(Base):
    """A claim as the claim matcher holds it: its embedding and the group it joined.

    ``pk`` is the claim's number in the matcher (rows enter in pk order, so a cached
    index catches up from the rows past the last pk it holds); ``group_pk`` is the pk
    of the group's first claim. ``matched_pk``, ``similarity`` and ``reason`` say which
    stored claim decided the grouping and why (``corpus.groups.decide``)."""

    __tablename__ = "claim_index"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    doc_pk: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    vector: Mapped[bytes] = mapped_column(LargeBinary)  # unit float32 embedding, little-endian
    group_pk: Mapped[int] = mapped_column(Integer)
    matched_pk: Mapped[int | None] = mapped_column(Integer)
    similarity: Mapped[float | None] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Text)  # new, similar, contained
    at: Mapped[str] = mapped_column(String(40))
    encoder: Mapped[str | None] = mapped_column(Text)  # the encoder that made it (revision 0016; null before)

    __table_args__ = (
        ForeignKeyConstraint(["doc_pk", "seq"], ["claims.doc_pk", "claims.seq"], ondelete="CASCADE"),
        Index("ix_claim_index_doc_pk_seq", "doc_pk", "seq", unique=True),
        Index("ix_claim_index_group_pk", "group_pk"),
        {"sqlite_autoincrement": True},
    )


class ReviewPropagationRow(Base):
    """An editor confirmed or rejected a published review (``revision_pk`` of the claim
    ``source_*``) for another claim of its group (``doc_pk``, ``seq``); append-only, the
    latest row per (claim, source claim) stands."""

    __tablename__ = "review_propagations"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    doc_pk: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    source_doc_pk: Mapped[int] = mapped_column(Integer)
    source_seq: Mapped[int] = mapped_column(Integer)
    revision_pk: Mapped[int] = mapped_column(ForeignKey("review_revisions.pk"))
    action: Mapped[str] = mapped_column(Text)  # confirmed, rejected
    editor_pk: Mapped[int] = mapped_column(ForeignKey("users.pk"))
    at: Mapped[str] = mapped_column(String(40))

    __table_args__ = (
        ForeignKeyConstraint(["doc_pk", "seq"], ["claims.doc_pk", "claims.seq"]),
        ForeignKeyConstraint(["source_doc_pk", "source_seq"], ["claims.doc_pk", "claims.seq"]),
        Index("ix_review_propagations_doc_pk_seq", "doc_pk", "seq"),
        Index("ix_review_propagations_source_doc_pk_source_seq", "source_doc_pk", "source_seq"),
        {"sqlite_autoincrement": True},
    )


claim_index = ClaimIndexRow.__table__
review_propagations = ReviewPropagationRow.__table__


# -- the review desk (revision 0019, ``claimdesk.store.queue``) ---------------------------


class ClaimCorrectionRow(Base):
    """A reviewer's correction of what the analysis extracted; append-only history.

    ``kind``: ``not-a-claim``, ``wrong-speaker`` (``speaker``: the right one),
    ``wrong-span`` (the right ``source_*``, ``cue_*`` and ``content_*`` offsets into the
    document text) or ``restored`` (undoes "not a claim"). ``was_*``: the claim before it."""

    __tablename__ = "claim_corrections"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    doc_pk: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(Text)
    speaker: Mapped[str | None] = mapped_column(Text)
    source_start: Mapped[int | None] = mapped_column(Integer)
    source_end: Mapped[int | None] = mapped_column(Integer)
    cue_start: Mapped[int | None] = mapped_column(Integer)
    cue_end: Mapped[int | None] = mapped_column(Integer)
    content_start: Mapped[int | None] = mapped_column(Integer)
    content_end: Mapped[int | None] = mapped_column(Integer)
    was_speaker: Mapped[str | None] = mapped_column(Text)
    was_source_start: Mapped[int | None] = mapped_column(Integer)
    was_source_end: Mapped[int | None] = mapped_column(Integer)
    was_cue_start: Mapped[int | None] = mapped_column(Integer)
    was_cue_end: Mapped[int | None] = mapped_column(Integer)
    was_content_start: Mapped[int | None] = mapped_column(Integer)
    was_content_end: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, server_default="")
    by_pk: Mapped[int] = mapped_column(ForeignKey("users.pk"))
    at: Mapped[str] = mapped_column(String(40))

    __table_args__ = (
        ForeignKeyConstraint(["doc_pk", "seq"], ["claims.doc_pk", "claims.seq"], ondelete="CASCADE"),
        Index("ix_claim_corrections_doc_pk_seq", "doc_pk", "seq"),
        Index("ix_claim_corrections_at", "at"),
        {"sqlite_autoincrement": True},
    )


class ClaimAssignmentRow(Base):
    """The reviewer a claim is assigned to (one per claim; reassigning replaces it)."""

    __tablename__ = "claim_assignments"

    doc_pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    assignee_pk: Mapped[int] = mapped_column(ForeignKey("users.pk"))
    by_pk: Mapped[int] = mapped_column(ForeignKey("users.pk"))
    at: Mapped[str] = mapped_column(String(40))

    __table_args__ = (
        ForeignKeyConstraint(["doc_pk", "seq"], ["claims.doc_pk", "claims.seq"], ondelete="CASCADE"),
        Index("ix_claim_assignments_assignee_pk", "assignee_pk"),
    )


claim_corrections = ClaimCorrectionRow.__table__
claim_assignments = ClaimAssignmentRow.__table__


def standing_claim():
    """A claim no reviewer marked "not a claim" (``claims.rejected_pk`` null), written
    ``rejected_pk + 0 IS NULL``, which means the same: on the bare column SQLite's planner
    reads the review queue's index (rejected_pk first) where one article's or one speaker's
    claims were wanted, walking every standing claim of the store. The queue itself asks
    the bare column (``store.queue``), to read its pages off that index."""
    return (ClaimRow.__table__.c.rejected_pk + 0).is_(None)


# -- followed sources (revision 0017, ``claimdesk.store.sources``, ``claimdesk.follow``) ----------


class SourceRow(Base):
    """A feed, news sitemap or page the poller follows, and where its polling stands.

    Times are UTC ISO 8601 strings of one shape (``store.sources.stamp``), so that they
    compare as strings: ``next_poll_at <= now`` picks the due sources off their index.
    ``lease_owner`` / ``lease_until``: the poller polling it now; another poller takes it
    only once the lease has run out (two pollers on one PostgreSQL store)."""

    __tablename__ = "sources"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    kind: Mapped[str | None] = mapped_column(Text)  # feed, sitemap, page; null until the first poll tells
    name: Mapped[str] = mapped_column(Text)
    outlet: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(Text)
    tags: Mapped[list] = mapped_column(JSON)
    every: Mapped[int | None] = mapped_column(Integer)  # a fixed interval (seconds); null: adaptive
    added_at: Mapped[str] = mapped_column(String(40))
    # where polling stands
    next_poll_at: Mapped[str] = mapped_column(String(40), index=True)
    last_poll_at: Mapped[str | None] = mapped_column(String(40))
    last_status: Mapped[int | None] = mapped_column(Integer)  # HTTP status of the last poll (null: no answer)
    last_error: Mapped[str | None] = mapped_column(Text)  # why the last poll failed (null when it did not)
    failures: Mapped[int] = mapped_column(Integer, server_default="0")  # polls failed in a row (back-off)
    interval: Mapped[int | None] = mapped_column(Integer)  # seconds the poller chose last
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    polls: Mapped[int] = mapped_column(Integer, server_default="0")
    not_modified: Mapped[int] = mapped_column(Integer, server_default="0")  # polls answered 304
    errors: Mapped[int] = mapped_column(Integer, server_default="0")  # failed polls, all told
    lease_owner: Mapped[str | None] = mapped_column(Text)
    lease_until: Mapped[str | None] = mapped_column(String(40))

    __table_args__ = ({"sqlite_autoincrement": True},)


class SourceItemRow(Base):
    """An entry a source listed, once: so that its page is fetched once, however many polls see it.
    ``status``: what ingesting it gave (new, version, duplicate) or ``failed``."""

    __tablename__ = "source_items"

    source_pk: Mapped[int] = mapped_column(ForeignKey("sources.pk", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of the entry's link (or text)
    url: Mapped[str | None] = mapped_column(Text)
    published: Mapped[str | None] = mapped_column(String(40))  # as the source dated it, UTC
    seen_at: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(Text)
    doc_id: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (Index("ix_source_items_source_pk_seen_at", "source_pk", "seen_at"),)


sources = SourceRow.__table__
source_items = SourceItemRow.__table__
