"""Reviews on the web: the review form and history on a claim's page, publishing,
schema.org ClaimReview JSON-LD, ``/claimreview.jsonl``, the reviews feed, and the
reviews part of the JSON API.

Who sees what: the public (and the JSON-LD, feed and export) sees a claim's
*published* review only, without account names (they are sign-in names, and a list
of them helps whoever guesses passwords); any signed-in user also sees drafts and the
whole history with who and when. Writing needs the reviewer role, publishing the
editor role, both checked here on the server by ``require_role``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Query, Request
from fastapi.responses import (
    HTMLResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from markupsafe import Markup
from pydantic import BaseModel, Field

from claimdesk.model import RATINGS, Review, ReviewedClaim, User
from claimdesk.store import Store
from claimdesk.store import reviews as desk
from claimdesk.web import feeds, links
from claimdesk.web.auth import SessionFirst, current_user, require_role
from claimdesk.web.deps import get_store
from claimdesk.web.limits import MAX_OFFSET, MAX_SEQ
from claimdesk.web.marks import verdict_class
from claimdesk.web.render import environment, render

router = APIRouter(route_class=SessionFirst)  # writes check the session before reading a body
Seq = Annotated[int, Path(ge=0, le=MAX_SEQ, description="The claim's place in its article, from 0.")]

ORGANISATION = "claimdesk"  # the ClaimReview author unless app.state.organisation says otherwise
FEED_SIZE = 50
EXPORT_PAGE = 500

# ClaimReview's numeric scale: the five truth ratings, best first. "Unproven" and "Not
# checkable" are not points on it: they carry no ratingValue (a number would tell a
# machine reader something the desk did not say), only alternateName.
BEST, WORST = 5, 1
RATING_VALUES = {"True": 5, "Mostly true": 4, "Mixed": 3, "Misleading": 2, "False": 1}
# which speakers ClaimReview calls a Person (entity labels); anyone else, groups and
# unresolved sources included, is an Organization
_PERSON_LABELS = frozenset({"PERSON"})


# -- ClaimReview ----------------------------------------------------------------------


def claim_url(base_url: str, key: str) -> str:
    """The absolute address of a claim's page, from its key."""
    article_id, seq = desk.parse_claim_key(key)
    return base_url.rstrip("/") + links.claim_url(article_id, seq)


def claim_statement(content: str) -> str:
    """The claim as a statement: the content span without its complementiser ("that ...")."""
    text = " ".join(content.split())
    if text[:5].lower() == "that " and len(text) > 5:
        text = text[5:]
    return text


def claim_review(reviewed: ReviewedClaim, *, base_url: str, organisation: str = ORGANISATION, repeats=()) -> dict:
    """The schema.org ClaimReview of a published review, as a JSON-LD object. ``repeats``:
    (ClaimRef, url) of the other appearances an editor confirmed the review for
    (``store.propagation.appearances``); with any, ``itemReviewed.appearance`` lists them all."""
    review = reviewed.review
    base = base_url.rstrip("/")
    rating = {"@type": "Rating", "alternateName": review.rating, "bestRating": BEST, "worstRating": WORST}
    if review.rating in RATING_VALUES:
        rating["ratingValue"] = RATING_VALUES[review.rating]
    appearance = {
        "@type": "CreativeWork",
        # where the claim appeared: the article's own address, else the desk's copy of it
        "url": reviewed.url or base + links.article_url(reviewed.article_id),
        "headline": reviewed.title,
    }
    if reviewed.outlet:
        appearance["publisher"] = {"@type": "Organization", "name": reviewed.outlet}
    if reviewed.published:
        appearance["datePublished"] = reviewed.published
    item = {"@type": "Claim", "appearance": [appearance, *(_appearance(ref, url, base) for ref, url in repeats)]
            if repeats else appearance}
    if reviewed.speaker:
        kind = "Person" if reviewed.speaker_label in _PERSON_LABELS else "Organization"
        item["author"] = {"@type": kind, "name": reviewed.speaker}
    if reviewed.published:
        item["datePublished"] = reviewed.published
    data = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": claim_url(base, review.claim),
        "claimReviewed": claim_statement(reviewed.claim),
        "itemReviewed": item,
        "reviewRating": rating,
        "author": {"@type": "Organization", "name": organisation, "url": base + "/"},
        "datePublished": review.published_at,
    }
    if review.rationale:
        data["reviewBody"] = review.rationale
    return data


def _appearance(ref, url: str | None, base: str) -> dict:
    """Another appearance of the claim (a confirmed repeat) as a CreativeWork."""
    work = {"@type": "CreativeWork", "url": url or base + links.article_url(ref.article_id), "headline": ref.title}
    if ref.outlet:
        work["publisher"] = {"@type": "Organization", "name": ref.outlet}
    if ref.published:
        work["datePublished"] = ref.published
    return work


def _repeats(store: Store, key: str) -> list:
    from claimdesk.store import propagation

    return propagation.appearances(store, key)


def json_for_script(data) -> str:
    """JSON safe inside <script>: <, > and & as \\u escapes, so that no text in it (a claim
    can say "</script>") can end the element or open a comment; still the same JSON."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def jsonld_script(data) -> Markup:
    """The ``<script type="application/ld+json">`` element: data, which the CSP lets be."""
    return Markup('<script type="application/ld+json">') + Markup(json_for_script(data)) + Markup("</script>")


def _organisation(request: Request) -> str:
    return getattr(request.app.state, "organisation", None) or ORGANISATION


# -- what the claim page shows --------------------------------------------------------


def review_block(request: Request, key: str) -> dict:
    """Everything the reviews part of a claim page needs (``_claim_reviews.html``)."""
    cache = request.scope.setdefault("claimdesk.reviews", {})
    if key not in cache:  # the page's head (JSON-LD) and body both ask
        cache[key] = _review_block(request, key)
    return cache[key]


def _review_block(request: Request, key: str) -> dict:
    store = request.app.state.store
    user = current_user(request)
    published = desk.published_review(store, key)
    history = None
    if user is not None:
        try:
            history = desk.history(store, key)
        except desk.UnknownClaim:
            history = None
    jsonld = None
    if published is not None:
        jsonld = jsonld_script(claim_review(published, base_url=feeds.base_url(request), organisation=_organisation(request),
                                            repeats=_repeats(store, key)))
    try:
        path = links.claim_url(*desk.parse_claim_key(key))
    except desk.UnknownClaim:
        path = None
    return {"key": key, "path": path, "user": user, "published": published.review if published else None, "history": history,
            "jsonld": jsonld, "ratings": RATINGS}


def article_review_states(request: Request, items) -> dict[str, dict[int, str]]:
    """Review states of the claims of a page of articles (``items`` have ``.id``), read
    once per request for the whole page: {article id: {seq: "published" | "draft"}}."""
    cache = request.scope.setdefault("claimdesk.reviews", {})
    ids = tuple(item.id for item in items)
    if ("states", ids) not in cache:
        cache[("states", ids)] = desk.review_states(request.app.state.store, list(ids))
    return cache[("states", ids)]


def article_verdicts(request: Request, items) -> dict[str, list[tuple[str, int]]]:
    """The published verdicts of a page of articles, read once per request: {article id:
    [(rating, claims)]} in the order of RATINGS (for the news line and search results)."""
    cache = request.scope.setdefault("claimdesk.reviews", {})
    ids = tuple(item.id for item in items)
    if ("verdicts", ids) not in cache:
        found = desk.published_ratings(request.app.state.store, list(ids))
        cache[("verdicts", ids)] = {
            article: [(r, n) for r in RATINGS if (n := list(ratings.values()).count(r))]
            for article, ratings in found.items()}
    return cache[("verdicts", ids)]


def speaker_verdicts(request: Request, name: str) -> list[tuple[str, int]]:
    """How published reviews rate a speaker's claims: [(rating, claims)], best first."""
    return desk.speaker_ratings(request.app.state.store, name)


def _http_link(url: str) -> bool:
    """Render-time check beside the write-time one: only http(s) ever becomes an href."""
    return url.lower().startswith(("http://", "https://"))


environment.globals["review_block"] = review_block
environment.globals["article_review_states"] = article_review_states
environment.globals["article_verdicts"] = article_verdicts
environment.globals["speaker_verdicts"] = speaker_verdicts
environment.globals["verdict_class"] = verdict_class
environment.tests["http_link"] = _http_link


# -- forms ------------------------------------------------------------------------------


def _back(key: str) -> RedirectResponse:
    article_id, seq = desk.parse_claim_key(key)
    return RedirectResponse(links.claim_url(article_id, seq) + "#reviews", status_code=303)


def _key(article_id: str, seq: int) -> str:
    """The claim key of a path's parts; 404 for what cannot be one."""
    try:
        article_id, seq = desk.parse_claim_key(desk.claim_key(article_id, seq))
    except desk.UnknownClaim as error:
        raise HTTPException(404, str(error)) from None
    return desk.claim_key(article_id, seq)


def _form_error(request: Request, key: str, status: int, message: str, **filled) -> HTMLResponse:
    return render(request, "review_error.html", status_code=status, claim_path=links.claim_url(*desk.parse_claim_key(key)),
                  error=message, ratings=RATINGS, filled=filled)


@router.post("/claims/{article_id}/{seq}/reviews", response_class=HTMLResponse, include_in_schema=False)
def review_form(
    request: Request,
    article_id: str,
    seq: Seq,
    store: Annotated[Store, Depends(get_store)],
    user: Annotated[User, Depends(require_role("reviewer"))],
    rating: Annotated[str, Form()],
    rationale: Annotated[str, Form(max_length=desk.MAX_RATIONALE + 100)] = "",
    evidence: Annotated[str, Form(max_length=(desk.MAX_URL + 2) * desk.MAX_EVIDENCE)] = "",
    based_on: Annotated[str, Form()] = "",
    queue: Annotated[str | None, Form(max_length=2000)] = None,
):
    """A new revision of the claim's review (evidence: one link per line); opened from
    the review queue (``queue``), the next claim of the queue follows."""
    from claimdesk.web.queue import after_saving  # the queue's module builds on this one

    key = _key(article_id, seq)
    base = int(based_on) if based_on.strip().isdigit() else None
    filled = {"rating": rating, "rationale": rationale, "evidence": evidence, "based_on": base}
    try:
        desk.add_review(store, key, rating=rating, rationale=rationale, evidence=evidence.splitlines(),
                        reviewer=user.name, based_on=base)
    except desk.UnknownClaim as error:
        raise HTTPException(404, str(error)) from None
    except desk.ReviewConflict as error:
        # sending the form again from the error page means "mine on top of what is there now"
        return _form_error(request, key, 409, str(error), **{**filled, "based_on": error.current})
    except desk.InvalidReview as error:
        return _form_error(request, key, 400, str(error), **filled)
    target = after_saving(store, user, queue, key)
    return RedirectResponse(target, status_code=303) if target else _back(key)


@router.post("/claims/{article_id}/{seq}/publish", include_in_schema=False)
def publish_form(
    article_id: str,
    seq: Seq,
    request: Request,
    store: Annotated[Store, Depends(get_store)],
    user: Annotated[User, Depends(require_role("editor"))],
    revision: Annotated[str, Form()] = "",
):
    """Publish the revision the editor was shown (refused when it is no longer current)."""
    key = _key(article_id, seq)
    try:
        desk.publish(store, key, editor=user.name, revision=int(revision) if revision.strip().isdigit() else None)
    except desk.UnknownClaim as error:
        raise HTTPException(404, str(error)) from None
    except desk.ReviewConflict as error:
        return _form_error(request, key, 409, str(error))
    return _back(key)


@router.post("/claims/{article_id}/{seq}/unpublish", include_in_schema=False)
def unpublish_form(
    article_id: str,
    seq: Seq,
    store: Annotated[Store, Depends(get_store)],
    user: Annotated[User, Depends(require_role("editor"))],
):
    """Take the claim's review off the public pages and feeds."""
    key = _key(article_id, seq)
    try:
        desk.unpublish(store, key, editor=user.name)
    except desk.UnknownClaim as error:
        raise HTTPException(404, str(error)) from None
    return _back(key)


# -- exports and feeds -----------------------------------------------------------------


def _all_published(store: Store) -> Iterator[ReviewedClaim]:
    offset = 0
    while True:
        page = desk.published_reviews(store, limit=EXPORT_PAGE, offset=offset)
        yield from page
        if len(page) < EXPORT_PAGE:
            return
        offset += EXPORT_PAGE


@router.get("/claimreview.jsonl", tags=["reviews"], response_class=StreamingResponse)
def claimreview_jsonl(request: Request, store: Annotated[Store, Depends(get_store)]):
    """Every published review as a schema.org ClaimReview, one JSON object per line."""
    base, organisation = feeds.base_url(request), _organisation(request)

    def lines() -> Iterator[str]:
        for reviewed in _all_published(store):
            yield json.dumps(claim_review(reviewed, base_url=base, organisation=organisation,
                                          repeats=_repeats(store, reviewed.review.claim)), ensure_ascii=False) + "\n"

    return StreamingResponse(lines(), media_type="application/jsonl; charset=utf-8")


def review_entries(items: list[ReviewedClaim], base: str) -> list[feeds.Entry]:
    """Published reviews as feed entries (plain text: the feed writers escape it)."""
    entries = []
    for reviewed in items:
        review = reviewed.review
        url = claim_url(base, review.claim)
        who = f"{reviewed.speaker}: " if reviewed.speaker else ""
        claim = claim_statement(reviewed.claim)
        summary = f"{review.rating}. {who}“{claim}”"
        if reviewed.outlet:
            summary += f" ({reviewed.outlet})"
        if review.rationale:
            summary += f"\n\n{review.rationale}"
        if review.evidence:
            summary += "\n\nEvidence:\n" + "\n".join(review.evidence)
        published = feeds.when(review.published_at)
        entries.append(feeds.Entry(id=url, title=f"{review.rating}: {who}{claim[:140]}", url=url, summary=summary,
                                   updated=published, published=published, tags=(review.rating,)))
    return entries


@router.get("/feeds/reviews.{kind}", tags=["feeds"], summary="Published reviews as a feed (atom, rss or json)")
def reviews_feed(request: Request, store: Annotated[Store, Depends(get_store)], kind: str) -> Response:
    """Published reviews, latest publication first: Atom 1.0, RSS 2.0 or JSON Feed 1.1."""
    base = feeds.base_url(request)
    feed = feeds.Feed(
        title="claimdesk: published reviews", home=base + "/", self_url=f"{base}/feeds/reviews.{kind}",
        description="Claims the desk has reviewed and published, latest first.",
        entries=review_entries(desk.published_reviews(store, limit=FEED_SIZE), base),
    )
    return feeds.respond(feed, kind)


# -- JSON API ----------------------------------------------------------------------------------


class ReviewIn(BaseModel):
    """A new revision of a claim's review."""

    rating: Literal[RATINGS]  # type: ignore[valid-type]
    rationale: str = Field("", max_length=desk.MAX_RATIONALE)
    evidence: list[str] = Field(default_factory=list, max_length=desk.MAX_EVIDENCE)
    based_on: int | None = Field(None, description="The revision this edit starts from; 409 when it is no longer current.")


class PublishIn(BaseModel):
    revision: int | None = Field(None, description="The revision to publish; 409 when it is no longer current.")


def review_json(review: Review, *, public: bool) -> dict:
    """A revision as the API shows it; ``public`` leaves out account names."""
    data = {
        "claim": review.claim, "revision": review.revision, "rating": review.rating, "rationale": review.rationale,
        "evidence": list(review.evidence), "at": review.at, "published": review.published,
        "published_at": review.published_at,
    }
    if not public:
        data["reviewer"] = review.reviewer
        data["published_by"] = review.published_by
    return data


def reviewed_json(reviewed: ReviewedClaim, *, public: bool) -> dict:
    return {
        "claim": reviewed.review.claim, "article_id": reviewed.article_id, "seq": reviewed.seq,
        "text": reviewed.claim, "speaker": reviewed.speaker, "title": reviewed.title, "outlet": reviewed.outlet,
        "url": reviewed.url, "article_published": reviewed.published,
        "review": review_json(reviewed.review, public=public),
    }


def _claim_or_404(call, *args, **kwargs):
    try:
        return call(*args, **kwargs)
    except desk.UnknownClaim as error:
        raise HTTPException(404, str(error)) from None
    except desk.ReviewConflict as error:
        raise HTTPException(409, str(error)) from None
    except desk.InvalidReview as error:
        raise HTTPException(422, str(error)) from None


@router.get("/api/reviews", tags=["reviews"])
def api_reviews(
    request: Request,
    store: Annotated[Store, Depends(get_store)],
    drafts: bool = False,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> dict:
    """Published reviews, latest publication first; ``drafts=true`` (signed in): every
    reviewed claim's current revision, latest edit first."""
    if drafts:
        if current_user(request) is None:
            raise HTTPException(401, "sign in to see drafts")
        items = desk.current_reviews(store, limit=limit, offset=offset)
        return {"reviews": [reviewed_json(r, public=False) for r in items], "limit": limit, "offset": offset}
    items = desk.published_reviews(store, limit=limit, offset=offset)
    public = current_user(request) is None
    return {"reviews": [reviewed_json(r, public=public) for r in items], "limit": limit, "offset": offset}


@router.get("/api/reviews/{article_id}/{seq}", tags=["reviews"])
def api_review(article_id: str, seq: Seq, request: Request, store: Annotated[Store, Depends(get_store)]) -> dict:
    """A claim's review: the published revision with its ClaimReview; signed in, also
    every revision and publication event (oldest first)."""
    key = _key(article_id, seq)
    history = _claim_or_404(desk.history, store, key)
    published = desk.published_review(store, key)
    data = {
        "claim": history.claim,
        "published": review_json(published.review, public=current_user(request) is None) if published else None,
        "claim_review": claim_review(published, base_url=feeds.base_url(request), organisation=_organisation(request),
                                     repeats=_repeats(store, key))
        if published else None,
    }
    if current_user(request) is not None:
        data["revisions"] = [review_json(r, public=False) for r in history.revisions]
        data["events"] = [{"action": e.action, "revision": e.revision, "editor": e.editor, "at": e.at}
                          for e in history.events]
    return data


@router.post("/api/reviews/{article_id}/{seq}", tags=["reviews"], status_code=201)
def api_add_review(
    article_id: str,
    seq: Seq,
    body: ReviewIn,
    store: Annotated[Store, Depends(get_store)],
    user: Annotated[User, Depends(require_role("reviewer"))],
) -> dict:
    """A new revision of the claim's review (reviewer role; send ``X-CSRF-Token``)."""
    key = _key(article_id, seq)
    review = _claim_or_404(desk.add_review, store, key, rating=body.rating, rationale=body.rationale,
                           evidence=body.evidence, reviewer=user.name, based_on=body.based_on)
    return review_json(review, public=False)


@router.post("/api/reviews/{article_id}/{seq}/publish", tags=["reviews"])
def api_publish(
    article_id: str,
    seq: Seq,
    store: Annotated[Store, Depends(get_store)],
    user: Annotated[User, Depends(require_role("editor"))],
    body: PublishIn | None = None,
) -> dict:
    """Publish the claim's current revision (editor role; send ``X-CSRF-Token``)."""
    key = _key(article_id, seq)
    review = _claim_or_404(desk.publish, store, key, editor=user.name, revision=body.revision if body else None)
    return review_json(review, public=False)


@router.post("/api/reviews/{article_id}/{seq}/unpublish", tags=["reviews"])
def api_unpublish(
    article_id: str,
    seq: Seq,
    store: Annotated[Store, Depends(get_store)],
    user: Annotated[User, Depends(require_role("editor"))],
) -> dict:
    """Take the claim's review off the public pages and feeds (editor role)."""
    key = _key(article_id, seq)
    event = _claim_or_404(desk.unpublish, store, key, editor=user.name)
    return {"claim": key, "unpublished": event is not None}
