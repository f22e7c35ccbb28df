"""The one data model every stage passes along.

Flow: ingest -> RawDocument; clean -> Article; analyze -> Analysis.
Every span is a pair of character offsets into ``RawDocument.text``:
no stage rewrites the text, so an offset means the same thing everywhere.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

SCHEMA_VERSION = 1


def text_id(text: str) -> str:
    """The document id: sha256 of the document text (what ``analyze --json`` calls ``id``)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def of(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass(frozen=True)
class Removed:
    """A range of the text the cleaner put aside, and why (never silently dropped)."""

    start: int
    end: int
    reason: str  # "duplicate-title", "duplicate-line", "site-chrome"
    detail: str = ""  # a person-readable why, e.g. "recurs in 9 of 12 documents of example.com"


@dataclass
class RawDocument:
    """What a reader produced: the document text and where it came from."""

    text: str
    path: str | None = None  # file the bytes came from ("-" for stdin)
    url: str | None = None
    format: str = "text"  # text, html, warc, rss, atom, rdf, jsonfeed, jsonl: the container, not how the text was chosen
    outlet: str | None = None
    title: str | None = None  # a title the input states (HTML metadata, feed entry, JSONL field)
    published: str | None = None  # ISO date the input states
    fetched: str | None = None  # when the bytes were fetched (WARC-Date, HTTP fetch)
    author: str | None = None
    language: str | None = None
    scope: str | None = None  # what chrome is learned across: outlet, else folder
    # True when a main-content extractor (trafilatura) or a feed already chose this text,
    # so its layout is known; False for text dumps and whole-page fallbacks.
    extracted: bool = False

    @property
    def id(self) -> str:
        return text_id(self.text)

    @property
    def name(self) -> str:
        """How an error names this document: its URL, else its file, else its id."""
        return self.url or self.path or f"article {self.id[:12]}"


@dataclass(frozen=True)
class Language:
    """The language a document is in, as identified from its cleaned text (``analyze.language``),
    the declared one (``RawDocument.language``) weighed as evidence."""

    code: str  # ISO 639-1 where there is one (en, ru, de), else ISO 639-3
    confidence: float  # the identifier's probability of ``code``, 0-1 (0 for a text without letters)

    @property
    def name(self) -> str:
        return language_name(self.code)


def language_name(code: str | None) -> str:
    """A language's English name as a person reads it ("Russian" for ``ru``); the code itself
    when it names no language Babel knows, "an unknown language" for none."""
    if not code:
        return "an unknown language"
    from babel import Locale, UnknownLocaleError  # CLDR's names; loaded only where a name is shown

    try:
        return Locale("en").languages.get(code.replace("-", "_")) or code
    except (UnknownLocaleError, ValueError):
        return code


@dataclass
class Article:
    """A cleaned document: title and body as ranges of ``raw.text``."""

    raw: RawDocument
    title: Span | None
    body: list[Span]
    removed: list[Removed]
    # the language identified from the title and body (analyze.language); None until identified.
    # ``raw.language`` stays what the input declared.
    language: Language | None = None

    @property
    def title_text(self) -> str:
        return self.title.of(self.raw.text) if self.title else ""

    def paragraphs(self) -> list[str]:
        return [span.of(self.raw.text) for span in self.body]

    @property
    def body_text(self) -> str:
        return "\n\n".join(self.paragraphs())


@dataclass(frozen=True)
class Entity:
    span: Span
    label: str  # PERSON, ORG, MEDIA, GPE, LOC, ...
    canonical: str
    role: str | None = None


@dataclass(frozen=True)
class Claim:
    source: Span | None  # the mention as written; None when no source is stated
    speaker: str | None  # who the source resolves to
    cue: Span
    content: Span
    hedge: str
    medium: Span | None = None
    negated: bool = False
    # what the speaker is (analyze.speakers): person, organisation, group, medium, unnamed ("officials",
    # "a source close to the ministry") or unresolved (the source is a pronoun or words that name no
    # one the text identifies, or an accusation names no accuser: speaker None); None without a source
    speaker_type: str | None = None
    target: Span | None = None  # who is accused or criticised ("X has been accused of ..."), never the speaker
    # how sure the taggers are of the claim, 0-1 (analyze.attribution.confidence); below
    # LOW_CONFIDENCE the desk hides it unless asked. None: analysed before confidences existed
    confidence: float | None = None
    # is it a factual, verifiable statement people would want checked? 0-1, the score of
    # analyze.checkworthiness, which ranks the review queue (an order, not a probability).
    # None: analysed before scores existed
    check_worthiness: float | None = None

    @property
    def low_confidence(self) -> bool:
        return self.confidence is not None and self.confidence < LOW_CONFIDENCE


# Below this confidence a claim is more likely than not to show other words than an annotator
# marked (PolNeAR train, exact cue and content, in bands of 0.05; BENCHMARKS.md, "Claim
# confidence"): the desk hides such claims by default and says how many it hid.
LOW_CONFIDENCE = 0.45


@dataclass(frozen=True)
class DateMention:
    """A temporal expression and its TIMEX3 value, relative to the document date.

    When the year cannot be known (``XXXX-12-19``), ``earliest`` says what the text
    supports instead: the value is no earlier than this TIMEX3 value (e.g. ``2021``).
    """

    span: Span
    value: str  # TIMEX3 value: 2023-12-19, 2023-10, 2021, XXXX-12-19, P2M, PAST_REF, ...
    kind: str = "DATE"  # TIMEX3 type: DATE, TIME, DURATION, SET
    earliest: str | None = None


@dataclass(frozen=True)
class HeadlineReason:
    """Why a headline does (not) fit its body, pointing at the spans a person can check."""

    kind: str  # missing-entity, date-outside-frame, missing-event, body-denies, low-similarity, ...
    text: str  # the reason in words, e.g. "the headline's year 2016 is before the body's events (2021 or later)"
    spans: tuple[Span, ...] = ()  # in the headline and/or the body


@dataclass(frozen=True)
class HeadlineCheck:
    verdict: str  # fits, does-not-fit, contradicts
    stance: str  # agree, disagree, discuss, unrelated
    score: float  # how well the headline fits its body, 0..1
    reasons: tuple[HeadlineReason, ...] = ()


@dataclass
class Analysis:
    article: Article
    entities: list[Entity] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    headline: HeadlineCheck | None = None
    # where analysis stopped when the article is longer than it reads (analyze.parse.ANALYSIS_LIMIT):
    # nothing past this offset has claims, entities or dates; None when it read the whole article.
    # 0: nothing was analysed, as no pipeline is registered for the article's language
    # (analyze.registry): no claims, entities, dates or headline check rather than wrong ones
    analysed_end: int | None = None

    @property
    def note(self) -> str | None:
        """The warning a long or unanalysed article carries, in words; None when it was read whole."""
        return analysis_note(self.analysed_end, len(self.article.raw.text), self.article.language)


def analysis_note(analysed_end: int | None, length: int, language: Language | None = None) -> str | None:
    """Where analysis stopped in a document longer than it reads, or why it did not start
    (``not_analysed_note``), as a person reads it."""
    if analysed_end is None:
        return None
    if analysed_end == 0:
        return not_analysed_note(language)
    return (f"only the first {analysed_end:,} of {length:,} characters were analysed (the analysis limit): "
            "claims, entities and dates past that point are not found; the whole text is stored and searchable")


def not_analysed_note(language: Language | None) -> str:
    """Why a document has no analysis: its language has no pipeline (``analyze.registry``)."""
    return (f"analysis not available in {language_name(language.code if language else None)}: "
            "no claims, entities, dates or headline check are made for it; the text is stored and searchable")


@dataclass(frozen=True)
class IngestError:
    """An input that could not be read, named and explained; the batch goes on."""

    input: str
    cause: str
    at: datetime | None = None

    def __str__(self) -> str:
        return f"{self.input}: {self.cause}"


@dataclass(frozen=True)
class LineCounts:
    """How often lines recur across the stored documents of one scope (outlet or folder).

    ``counts`` maps a line key (``clean.line_key``) to the number of documents of the
    scope that contain the line; ``documents`` is how many documents the scope has.
    """

    scope: str
    documents: int
    counts: dict[str, int]


@dataclass
class StoredArticle:
    """An article read back from the store, with what the store knows about it."""

    article: Article
    ingested_at: str
    version: int  # 1 for the first text seen at its URL, 2 for the next change, ...
    versions: list[str]  # ids of every version at the same URL, oldest first
    near_duplicates: list[str]  # ids of other articles in its near-duplicate group
    claims: list[Claim] = field(default_factory=list)  # as analysed when stored, in text order
    entities: list[Entity] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    headline: HeadlineCheck | None = None
    # how many near-duplicates there are in all, when ``near_duplicates`` lists only the
    # first of them (``Store.get(copies=N)``, for a page that lists a few of hundreds)
    near_duplicates_total: int | None = None
    analysed_end: int | None = None  # Analysis.analysed_end, as stored (0: its language is not analysed)
    # seqs of the claims a reviewer marked "not a claim" (store.queue.correct): kept in
    # ``claims`` so every seq still names its claim, but shown and exported nowhere
    rejected: frozenset[int] = frozenset()

    @property
    def analysis(self) -> Analysis:
        return Analysis(self.article, entities=list(self.entities), claims=list(self.claims),
                        dates=list(self.dates), headline=self.headline, analysed_end=self.analysed_end)


@dataclass(frozen=True)
class ClaimHit:
    """A stored claim found by speaker, with the article it stands in."""

    article_id: str
    title: str
    outlet: str | None
    published: str | None
    text: str  # the article's document text, which the claim's spans point into
    claim: Claim

    def of(self, span: Span | None) -> str:
        return span.of(self.text) if span else ""


@dataclass(frozen=True)
class SearchHit:
    id: str
    title: str
    snippet: str  # with the matched terms wrapped in [ and ]
    outlet: str | None
    published: str | None
    rank: float


@dataclass(frozen=True)
class Added:
    """What the store did with one article."""

    id: str
    status: str  # "new", "duplicate" (same text already stored), "version" (new text at a known URL)
    version: int
    near_duplicates: list[str]  # ids it was grouped with


# -- the review desk (users, reviews, publication) ------------------------------

# Roles in increasing power: each one may do everything the ones before it may.
ROLES = ("reader", "reviewer", "editor", "admin")

# The fixed rating scale of a review, in the order the desk shows it. The first five
# are a truth scale (ClaimReview ratingValue 5..1); the last two say the claim could
# not be placed on it.
RATINGS = ("True", "Mostly true", "Mixed", "Misleading", "False", "Unproven", "Not checkable")


@dataclass(frozen=True)
class User:
    """A desk account (the password hash never leaves the store's user lookup)."""

    name: str
    role: str  # one of ROLES
    created: str  # UTC ISO 8601

    def can(self, role: str) -> bool:
        """True when this user's role is ``role`` or a more powerful one."""
        return ROLES.index(self.role) >= ROLES.index(role)


@dataclass(frozen=True)
class Review:
    """One revision of the desk's review of a claim: nothing is ever overwritten, an
    edit is a new revision. The review of a claim is its latest revision; what the
    public sees is the revision an editor last published (``published``)."""

    claim: str  # the claim key, "<document id>:<seq>"
    revision: int  # increasing across the store: a later revision has a larger number
    rating: str  # one of RATINGS
    rationale: str
    evidence: tuple[str, ...]  # http(s) URLs, never fetched
    reviewer: str  # user name
    at: str  # UTC ISO 8601
    published: bool = False  # this is the revision the public sees now
    published_at: str | None = None  # when it was (last) published
    published_by: str | None = None  # the editor who did
    # the revision's place among this claim's revisions, from 1: what the desk shows
    # ("revision 2"), while ``revision`` names it uniquely (conflicts, publishing)
    number: int = 1


@dataclass(frozen=True)
class Publication:
    """An editor published (a revision) or unpublished a claim's review."""

    claim: str
    action: str  # "published" or "unpublished"
    revision: int | None  # the revision published; None for "unpublished"
    editor: str
    at: str


@dataclass(frozen=True)
class ReviewHistory:
    """Every revision and publication event of a claim's review, oldest first."""

    claim: str
    revisions: list[Review]
    events: list[Publication]

    @property
    def current(self) -> Review | None:
        return self.revisions[-1] if self.revisions else None

    @property
    def published(self) -> Review | None:
        return next((r for r in reversed(self.revisions) if r.published), None)


@dataclass(frozen=True)
class ReviewedClaim:
    """A review with the claim and article it is about: what ClaimReview, the feeds
    and the API need, without the article's whole text."""

    review: Review
    article_id: str
    seq: int
    claim: str  # the claim's content as written
    speaker: str | None
    speaker_label: str | None  # the speaker's entity label (PERSON, ORG, ...) when known
    title: str
    outlet: str | None
    url: str | None
    published: str | None  # the article's date
