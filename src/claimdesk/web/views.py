"""What each page shows, as data: the pages render it, the JSON API returns it.

Every function here reads the store through ``claimdesk.store`` and returns plain
dataclasses; HTML pieces (highlighted text) are built beside the data, from the
same objects, so a page and its API twin cannot drift apart.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from weakref import WeakKeyDictionary
from typing import Any, Literal

from fastapi import HTTPException
from markupsafe import Markup
from pydantic import BaseModel, Field, field_validator

from claimdesk.model import RATINGS, Claim, DateMention, Entity, Span, StoredArticle, analysis_note
from claimdesk.publish.contract import analysis_json
from claimdesk.store import AmbiguousId, SpeakerDetail, Store, queries, reviews
from claimdesk.store.speakers import Speaker, names_someone
from claimdesk.store.queries import HEDGES, ClaimRef, NewsFilters, NewsItem, NewsPage, PersonClaims
from claimdesk.web import marks
from claimdesk.web.highlight import highlight, highlight_spans
from claimdesk.web.limits import MAX_PAGE
from claimdesk.web.timeline import Chart, chart

__all__ = ["HEDGES", "RATINGS", "LineQuery", "line", "article_page", "person_page", "claim_page"]

_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"


def real_period(value: str) -> bool:
    """True when ``value`` (YYYY, YYYY-MM or YYYY-MM-DD) names a year, month or day of
    the calendar (years 0001 to 9999)."""
    parts = [int(p) for p in value.split("-")] + [1, 1]
    try:
        date(*parts[:3])
    except ValueError:
        return False
    return True


class LineFilters(BaseModel):
    """The news line's search words and filters, as a query string (the news line's, and
    the exports' of what it shows). Empty form fields mean "any"."""

    q: str | None = Field(None, max_length=500, description="Full-text search; every word must match.")
    outlet: str | None = Field(None, max_length=300)
    speaker: str | None = Field(None, max_length=300, description="A speaker's name or surname.")
    entity: str | None = Field(None, max_length=300, description="An entity's canonical name.")
    since: str | None = Field(None, pattern=_DATE, description="Published on or after (YYYY, YYYY-MM or YYYY-MM-DD).")
    until: str | None = Field(None, pattern=_DATE, description="Published on or before.")
    hedge: str | None = Field(None, description="Articles with a claim of this hedge: " + ", ".join(HEDGES))
    verdict: str | None = Field(None, description="Articles with a claim whose published review rates it: " + ", ".join(RATINGS))

    @field_validator("q", "outlet", "speaker", "entity", "since", "until", "hedge", "verdict", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return _blank_is_none(value)

    @field_validator("since", "until")
    @classmethod
    def _real_date(cls, value: str | None) -> str | None:
        """The pattern lets 2024-13-01 and 2024-02-30 through; the calendar does not."""
        if value is not None and not real_period(value):
            raise ValueError(f"{value!r} is not a real date (YYYY, YYYY-MM or YYYY-MM-DD)")
        return value

    def filters(self) -> NewsFilters:
        hedge = self.hedge if self.hedge in HEDGES else None
        verdict = self.verdict if self.verdict in RATINGS else None
        return NewsFilters(outlet=self.outlet, speaker=self.speaker, entity=self.entity, since=self.since,
                           until=self.until, hedge=hedge, verdict=verdict)


def _blank_is_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value.strip() if isinstance(value, str) else value


class LineQuery(LineFilters):
    """The news line's query string: search words, filters, sort, page."""

    sort: Literal[queries.SORTS] | None = Field(  # type: ignore[valid-type]
        None, description="newest (the news line's default), claims (most claims first) or check-worthy (the article's "
        "most check-worthy claim first); a search is ranked by relevance unless a sort is given.")
    page: int = Field(1, ge=1, le=MAX_PAGE)

    @field_validator("sort", mode="before")
    @classmethod
    def _blank_sort_is_none(cls, value: Any) -> Any:
        return _blank_is_none(value)


def line(store: Store, query: LineQuery) -> NewsPage:
    """The news line, or the search results when the query has words, with their total."""
    speakers = speaker_names(store) if query.speaker else None
    if query.q:
        found = queries.search(store, query.q, query.filters(), page=query.page, speakers=speakers, sort=query.sort,
                               count=False)
    else:
        found = queries.news_line(store, query.filters(), page=query.page, speakers=speakers, sort=query.sort,
                                  count=False)
    found.total = line_total(store, query, speakers)
    return found


_TOTALS_KEPT = 512
_TOTALS: WeakKeyDictionary[Store, OrderedDict] = WeakKeyDictionary()  # per store: (filters, q) -> (generation, total)
_TOTALS_LOCK = threading.Lock()


def line_total(store: Store, query: LineFilters, speakers: list[str] | None = None) -> int:
    """How many articles the news line finds for ``query``, counted once per filter while
    the store stays as it was (its generation): the count reads every matching article
    (150 ms over 100,000 articles unfiltered, measured at load 20), and pages 2, 3, ... of a list share it."""
    key, now = (query.filters(), query.q), queries.generation(store)
    with _TOTALS_LOCK:
        hit = _TOTALS.setdefault(store, OrderedDict()).get(key)
    if hit is not None and hit[0] == now:
        return hit[1]
    total = queries.count_articles(store, query.filters(), query.q, speakers)
    with _TOTALS_LOCK:
        kept = _TOTALS.setdefault(store, OrderedDict())
        kept[key] = (now, total)
        kept.move_to_end(key)
        while len(kept) > _TOTALS_KEPT:
            kept.popitem(last=False)
    return total


_TTL = 60.0
# per store: what -> (when read or last found current, store generation then, value)
_CACHE: WeakKeyDictionary[Store, dict[str, tuple[float, tuple, Any]]] = WeakKeyDictionary()  # dies with its store


def _cached(store: Store, what: str, read):
    """What ``read()`` returns, read again at most once a minute per store, and only when
    the store has changed since (its generation): lists that take a GROUP BY over every
    article (outlets, speaker names: 10 ms and more on 100,000 articles) and change
    slowly. Without the generation check every worker read them again each minute,
    inside whichever request came then."""
    now = time.monotonic()
    kept = _CACHE.setdefault(store, {})
    hit = kept.get(what)
    if hit is None or now - hit[0] > _TTL:
        current = queries.generation(store)
        if hit is not None and hit[1] == current:
            hit = kept[what] = (now, current, hit[2])  # unchanged store: still true
        else:
            hit = kept[what] = (now, current, read())
    return hit[2]


def outlet_choices(store: Store) -> list[str]:
    """Outlets for the filter menu."""
    return _cached(store, "outlets", lambda: queries.outlets(store))


def speaker_names(store: Store) -> list[str]:
    """Every stored speaker name, which the speaker filter matches a surname against."""
    return _cached(store, "speakers", lambda: queries.distinct_speakers(store))


# -- article --------------------------------------------------------------------------------


def stored_or_404(store: Store, article_id: str, copies: int | None = None) -> StoredArticle:
    try:
        stored = store.get(article_id, copies=copies)
    except AmbiguousId as ambiguous:
        raise HTTPException(404, f"{article_id!r} matches several articles") from ambiguous
    if stored is None:
        raise HTTPException(404, f"no article {article_id!r}")
    return stored


def title_of(stored: StoredArticle) -> str:
    return stored.article.title_text or stored.article.raw.title or "(untitled)"


COPIES_SHOWN = 50  # near-duplicate copies listed on an article page (a wire story can have hundreds)
# An article at the analysis size limit (analyze.parse.ANALYSIS_LIMIT) can carry thousands of claims
# and entities: all of them on one page made megabytes of HTML and took seconds to render
# and to lay out. A page lists and marks one page of claims; an article with fewer claims,
# entities and dates than these bounds looks as it always did.
CLAIMS_PAGE = 100  # claims listed (and marked in the text) per article page
MARKS_SHOWN = 1500  # entity and date marks over the text at most
CHIPS_SHOWN = 200  # speakers, and entities, listed at most (the most mentioned first)


@dataclass
class Removed:
    reason: str
    detail: str
    text: str
    start: int
    end: int


@dataclass
class ArticlePage:
    stored: StoredArticle
    title: str
    title_html: Markup | None
    paragraphs: list[Markup]
    claims: list[tuple[int, Claim]]  # (seq, claim) of this page of claims, seq as in the claim's URL
    removed: list[Removed]
    versions: list[NewsItem]
    near_duplicates: list[NewsItem]
    speakers: list[str]  # the first CHIPS_SHOWN
    entities: list[tuple[str, str, int]]  # (canonical, label, mentions), the CHIPS_SHOWN most mentioned
    copies_total: int = 0  # near-duplicate copies in all, of which ``near_duplicates`` lists the first
    claims_page: int = 1
    claims_pages: int = 1
    low_total: int = 0  # claims under model.LOW_CONFIDENCE, listed only when ``show_low``
    show_low: bool = False
    speakers_total: int = 0
    entities_total: int = 0
    marks_total: int = 0  # entity and date mentions in the text, of which ``marks_shown`` are marked
    marks_shown: int = 0
    analysed_paragraphs: int | None = None  # paragraphs before where analysis stopped (None: it read them all)
    verdicts: dict[int, str] = field(default_factory=dict)  # seq -> the rating its published review gives

    @property
    def claims_total(self) -> int:
        """Claims that stand (a reviewer's "not a claim" takes one off every page)."""
        return len(self.stored.claims) - len(self.stored.rejected)

    @property
    def claims_listed(self) -> int:
        """Claims the list holds over all its pages: all, or those the taggers are sure enough of."""
        return self.claims_total if self.show_low else self.claims_total - self.low_total

    @property
    def note(self) -> str | None:
        """Where analysis stopped, when the article is longer than analysis reads; or that
        its language is not analysed (``not_analysed``)."""
        return analysis_note(self.stored.analysed_end, len(self.stored.article.raw.text),
                             self.stored.article.language)

    @property
    def not_analysed(self) -> bool:
        """The article's language has no analysis pipeline: it has no claims, entities,
        dates or headline check because none were looked for (``analyze.registry``)."""
        return self.stored.analysed_end == 0

    def json(self) -> dict:
        """The API's article: the JSON contract of DESIGN.md plus what the store knows."""
        return article_json(self.stored, self.versions, self.near_duplicates)


def article_json(stored: StoredArticle, versions: list[NewsItem], near_duplicates: list[NewsItem]) -> dict:
    contract = analysis_json(stored.analysis)
    for seq, claim in enumerate(contract["claims"]):
        claim["seq"] = seq
    # claims a reviewer marked "not a claim" are left out; the others keep their seq
    contract["claims"] = [c for c in contract["claims"] if c["seq"] not in stored.rejected]
    return {
        **contract,
        "ingested_at": stored.ingested_at,
        "version": stored.version,
        "versions": [_item_json(i) for i in versions],
        "near_duplicates": [_item_json(i) for i in near_duplicates],
    }


def _item_json(item: NewsItem) -> dict:
    return {k: v for k, v in item.__dict__.items() if k != "snippet"}


def _related(store: Store, stored: StoredArticle) -> tuple[list[NewsItem], list[NewsItem]]:
    """The article's other versions and its near-duplicate copies, as news items."""
    related = queries.articles(store, [*stored.versions, *stored.near_duplicates])
    by_id = {item.id: item for item in related}
    return ([by_id[i] for i in stored.versions if i in by_id and i != stored.article.raw.id],
            [by_id[i] for i in stored.near_duplicates if i in by_id])


def article_api(store: Store, article_id: str) -> dict:
    """The API's article (``ArticlePage.json``) without the page's highlighting."""
    stored = stored_or_404(store, article_id, copies=COPIES_SHOWN)
    return article_json(stored, *_related(store, stored))


def _near_first(mentions: list, start: int, most: int) -> list:
    """At most ``most`` of the mentions (entities, dates: each has a ``span``): those from
    ``start`` (the page's claims) on first, in text order, then the ones before it."""
    if len(mentions) <= most:
        return mentions
    return sorted(mentions, key=lambda m: (m.span.start < start, m.span.start))[:most]


def article_page(store: Store, article_id: str, claims_page: int = 1, show_low: bool = False) -> ArticlePage:
    """An article page. Claims the taggers are unsure of (``Claim.low_confidence``) are neither
    listed nor marked unless ``show_low``: on PolNeAR they are more often wrong than right."""
    stored = stored_or_404(store, article_id, copies=COPIES_SHOWN)
    article, text = stored.article, stored.article.raw.text
    standing = [(seq, c) for seq, c in enumerate(stored.claims) if seq not in stored.rejected]
    listed = [(seq, c) for seq, c in standing if show_low or not c.low_confidence]
    pages = max(1, -(-len(listed) // CLAIMS_PAGE))
    if claims_page > pages:
        raise HTTPException(404, f"article {article.raw.id[:12]} has {pages} page{'s' if pages > 1 else ''} of claims")
    first = (claims_page - 1) * CLAIMS_PAGE
    shown = listed[first:first + CLAIMS_PAGE]
    near = min((c.content.start for _, c in shown), default=0)
    kept = _near_first([*stored.entities, *stored.dates], near, MARKS_SHOWN)
    entities_kept = [m for m in kept if isinstance(m, Entity)]
    dates_kept = [m for m in kept if isinstance(m, DateMention)]
    headline_reasons = stored.headline.reasons if stored.headline else ()
    verdicts = reviews.published_ratings(store, [article.raw.id]).get(article.raw.id, {})
    overlay = (marks.claim_marks([c for _, c in shown], [seq + 1 for seq, _ in shown],
                                 [verdicts.get(seq) for seq, _ in shown]) + marks.entity_marks(entities_kept)
               + marks.date_marks(dates_kept) + marks.reason_marks(headline_reasons))
    title_html, *pieces = highlight_spans(text, [article.title or Span(0, 0), *article.body], overlay)
    title_html = title_html if article.title else None
    groups = paragraph_groups(text, article.body)
    paragraphs = [Markup(" ").join(pieces[i] for i in group) for group in groups]
    versions, near_duplicates = _related(store, stored)
    mentions: dict[tuple[str, str], int] = {}
    for entity in stored.entities:
        mentions[(entity.canonical, entity.label)] = mentions.get((entity.canonical, entity.label), 0) + 1
    speakers = sorted({c.speaker for _, c in standing if c.speaker and c.speaker_type != "unnamed"
                       and (c.speaker_type is None or names_someone(c.speaker, c.speaker_type))})
    entities = sorted(((c, lbl, n) for (c, lbl), n in mentions.items()), key=lambda t: (-t[2], t[0]))
    return ArticlePage(
        stored=stored,
        title=title_of(stored),
        title_html=title_html,
        paragraphs=paragraphs,
        claims=shown,
        removed=[Removed(r.reason, r.detail, text[r.start:r.end], r.start, r.end) for r in article.removed],
        versions=versions,
        near_duplicates=near_duplicates,
        speakers=speakers[:CHIPS_SHOWN],
        entities=entities[:CHIPS_SHOWN],
        copies_total=stored.near_duplicates_total or 0,
        claims_page=claims_page,
        claims_pages=pages,
        low_total=sum(c.low_confidence for _, c in standing),
        verdicts=verdicts,
        show_low=show_low,
        speakers_total=len(speakers),
        entities_total=len(entities),
        marks_total=len(stored.entities) + len(stored.dates),
        marks_shown=len(kept),
        analysed_paragraphs=(None if not stored.analysed_end  # read whole, or not at all (0)
                             else sum(article.body[group[0]].start < stored.analysed_end for group in groups)),
    )


def paragraph_groups(text: str, body: list[Span]) -> list[list[int]]:
    """The body's spans (indexes) by paragraph: a span joins the one before it when no line
    break separates them, i.e. when the cleaner cut a box out of the middle of a sentence
    ("Gov. Kristi Noem [pop-up box] (R) is defending ..."), so the sentence reads as one."""
    groups: list[list[int]] = []
    for i, span in enumerate(body):
        if groups and "\n" not in text[body[i - 1].end : span.start]:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


# -- speaker and entity -----------------------------------------------------------------------


@dataclass
class PersonPage:
    claims: PersonClaims
    articles: list[NewsItem]  # articles that mention them, newest first
    chart: Chart | None
    page: int
    has_next: bool
    speaker: SpeakerDetail | None = None  # who they are across the corpus (speaker pages)


def person_page(store: Store, name: str, *, page: int = 1, speaker: SpeakerDetail | None = None) -> PersonPage:
    summary = queries.person_summary(store, name)
    found = queries.person_claims(store, name, page=page, summary=summary)
    articles = queries.mentioning(store, name, page=page)
    shown = page * queries.CLAIMS_PAGE_SIZE
    return PersonPage(claims=found, articles=articles, chart=chart(found.timeline), page=page,
                      has_next=found.by_total > shown or found.about_total > shown or len(articles) == queries.PAGE_SIZE,
                      speaker=speaker)


def is_entity(store: Store, name: str) -> bool:
    """Whether analysis tagged ``name`` as an entity (its canonical name) anywhere."""
    return bool(queries.person_summary(store, name).labels)


SPEAKERS_PAGE = 100


@dataclass
class SpeakerList:
    speakers: list[Speaker]
    page: int
    has_next: bool
    unattributed: dict[str, int]  # claims by unnamed sources and with unresolved sources
    total: int = 0  # speakers listed over all pages
    page_size: int = SPEAKERS_PAGE

    @property
    def pages(self) -> int:
        return max(-(-self.total // self.page_size), 1)


def speaker_list(store: Store, q: str | None, *, page: int = 1) -> SpeakerList:
    found = store.speaker_list(q, limit=SPEAKERS_PAGE + 1, offset=(page - 1) * SPEAKERS_PAGE)
    total = store.speaker_total(q) if q else _cached(store, "speaker total", store.speaker_total)
    return SpeakerList(speakers=found[:SPEAKERS_PAGE], page=page, has_next=len(found) > SPEAKERS_PAGE,
                       unattributed=_cached(store, "unattributed", store.unattributed) if not q else {}, total=total)


# -- claim -----------------------------------------------------------------------------------


@dataclass
class ClaimPage:
    stored: StoredArticle
    seq: int
    claim: Claim
    title: str
    summary: str  # "Speaker claims: content", for share links and the page title
    context: list[Markup]  # the paragraphs the claim stands in, highlighted
    elsewhere: list[ClaimRef] = field(default_factory=list)

    def json(self) -> dict:
        article = self.stored.article
        claim = analysis_json(self.stored.analysis)["claims"][self.seq]
        return {
            "article": {"id": article.raw.id, "title": self.title, "outlet": article.raw.outlet,
                        "url": article.raw.url, "published": article.raw.published},
            "seq": self.seq,
            "claim": {**claim, "seq": self.seq},
            "elsewhere": [ref.__dict__ for ref in self.elsewhere],
        }


def claim_page(store: Store, article_id: str, seq: int) -> ClaimPage:
    stored = stored_or_404(store, article_id, copies=0)  # the same claim elsewhere is found by query
    if not 0 <= seq < len(stored.claims):
        raise HTTPException(404, f"article {article_id[:12]} has no claim {seq}")
    claim = stored.claims[seq]
    text = stored.article.raw.text
    spans = [s for s in (claim.source, claim.cue, claim.content, claim.medium) if s is not None]
    lo, hi = min(s.start for s in spans), max(s.end for s in spans)
    ranges = [s for s in ([stored.article.title] if stored.article.title else []) + stored.article.body
              if s.start < hi and s.end > lo]
    if not ranges:  # a claim outside title and body (should not happen): show its own stretch
        ranges = [type(spans[0])(lo, hi)]
    overlay = marks.claim_marks([claim], [seq]) + marks.entity_marks(stored.entities) + marks.date_marks(stored.dates)
    who = claim.speaker or "Unattributed"
    return ClaimPage(
        stored=stored,
        seq=seq,
        claim=claim,
        title=title_of(stored),
        summary=f"{who} {claim.cue.of(text)}: {claim.content.of(text)}",
        context=[highlight(text, r.start, r.end, overlay) for r in ranges],
        elsewhere=queries.same_claim_elsewhere(store, stored.article.raw.id, seq),
    )
