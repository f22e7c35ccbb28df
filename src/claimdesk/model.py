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


@dataclass
class Article:
    """A cleaned document: title and body as ranges of ``raw.text``."""

    raw: RawDocument
    title: Span | None
    body: list[Span]
    removed: list[Removed]

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


@dataclass(frozen=True)
class DateMention:
    span: Span
    value: str  # TIMEX3 value


@dataclass(frozen=True)
class HeadlineCheck:
    verdict: str  # fits, does-not-fit, contradicts
    stance: str  # agree, disagree, discuss, unrelated
    score: float
    reasons: tuple[str, ...] = ()


@dataclass
class Analysis:
    article: Article
    entities: list[Entity] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    headline: HeadlineCheck | None = None


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

    @property
    def analysis(self) -> Analysis:
        return Analysis(self.article, entities=list(self.entities), claims=list(self.claims))


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
