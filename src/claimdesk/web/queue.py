"""The review queue on the web: a reviewer's day of work, and an editor's.

- ``/queue``: claims nobody reviewed yet, most check-worthy first, with the news line's
  filters and paging; ``view=mine`` the ones assigned to me; ``view=drafts`` (editors)
  the reviews waiting to be published, and the published reviews whose repeats wait for
  confirmation. Every row shows the claim in its sentence.
- Bulk actions on a selection (``POST /queue/bulk``): mark "not a claim", assign to a
  reviewer (editors: anyone who reviews; reviewers: themselves), unassign.
- Triage: ``/queue/next`` opens the first claim of the queue (after ``after``, to skip
  one), carrying the queue's filters in ``?queue=`` so that saving a review or a correction
  goes on to the next claim. The keys (``static/triage.js``) are listed on the pages.
- Corrections (``POST /claims/{id}/{seq}/corrections`` and the JSON route under /api):
  not a claim, wrong speaker, wrong span, restored (``store.queue``).

Pages here are for signed-in reviewers and up; nothing here is cached or public.
"""

from __future__ import annotations

from threading import Lock
from typing import Annotated, Literal
from weakref import WeakKeyDictionary
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field

from claimdesk.model import User
from claimdesk.store import Store
from claimdesk.store import queue as desk
from claimdesk.store import queries, reviews
from claimdesk.store.propagation import offers
from claimdesk.web import links
from claimdesk.web.auth import SessionFirst, require_role
from claimdesk.web.deps import get_store
from claimdesk.web.highlight import Mark, highlight
from claimdesk.web.render import environment, render
from claimdesk.web.reviews import Seq, claim_statement
from claimdesk.web.views import LineQuery, speaker_names

router = APIRouter(route_class=SessionFirst)
StoreDep = Annotated[Store, Depends(get_store)]
Reviewer = Annotated[User, Depends(require_role("reviewer"))]
FILTERS = ("outlet", "speaker", "entity", "since", "until", "hedge")
MAX_BULK = 200  # claims one bulk action changes
PROPAGATIONS_SHOWN = 50  # published reviews checked for unconfirmed repeats on the editor's queue


class QueueQuery(LineQuery):
    """The queue's query string: the news line's filters, the list, paging."""

    view: Literal["unreviewed", "mine", "drafts"] = "unreviewed"
    low: bool = Field(False, description="Also the claims the taggers are unsure of.")


def queue_params(query: QueueQuery, **changed) -> str:
    """The query string of this queue (its filters, list and page), with ``changed`` applied:
    links and forms carry exactly what the page shows."""
    values = {name: getattr(query, name) for name in (*FILTERS, "view", "low", "page")}
    values.update(changed)
    kept = {k: v for k, v in values.items()
            if v not in (None, "", False) and not (k == "view" and v == "unreviewed") and not (k == "page" and v == 1)}
    return urlencode({k: ("1" if v is True else v) for k, v in kept.items()})


def _queue_query(encoded: str | None) -> QueueQuery:
    """A queue's filters from the ``queue`` parameter a claim page carries (what is not
    understood is dropped: it is only a way back)."""
    if not encoded:
        return QueueQuery()
    pairs = dict(parse_qsl(encoded[:2000]))
    try:
        return QueueQuery(**{k: v for k, v in pairs.items() if k in (*FILTERS, "view", "low")})
    except ValueError:
        return QueueQuery()


def _page(store: Store, query: QueueQuery, user: User, page: int | None = None, page_size: int = desk.QUEUE_PAGE_SIZE):
    filters = query.filters()
    page = page or query.page
    speakers = speaker_names(store) if query.speaker else None  # the desk keeps them (views._cached)
    if query.view == "drafts":
        return desk.drafts(store, filters, page=page, page_size=page_size, speakers=speakers)
    assigned = user.name if query.view == "mine" else None
    everything = assigned is None and not filters.active() and not query.low
    found = desk.queue(store, filters, assigned=assigned, include_low=query.low, page=page, page_size=page_size,
                       speakers=speakers, total=_kept_total(store) if everything else None)
    if everything:
        _keep_total(store, found.total)
    return found


# The whole queue's total, kept while the store stays as it was (queries.generation: a review,
# a correction or a new article changes it): counting it is most of an unfiltered page's cost.
_TOTALS: WeakKeyDictionary = WeakKeyDictionary()
_TOTALS_LOCK = Lock()


def _kept_total(store: Store) -> int | None:
    now = queries.generation(store)
    with _TOTALS_LOCK:
        kept = _TOTALS.get(store)
    return kept[1] if kept is not None and kept[0] == now else None


def _keep_total(store: Store, total: int) -> None:
    now = queries.generation(store)
    with _TOTALS_LOCK:
        _TOTALS[store] = (now, total)


# Each reviewer's tab counts, kept while neither the store nor the assignments change (the
# unreviewed, assigned and waiting counts cost more than the page they sit on).
_COUNTS: WeakKeyDictionary = WeakKeyDictionary()


def _counts(store: Store, user: str, known: dict[str, int]) -> dict[str, int]:
    now = (queries.generation(store), desk.assignments_version(store))
    with _TOTALS_LOCK:
        kept = _COUNTS.setdefault(store, {}).get(user)
    if kept is not None and kept[0] == now:
        return {**kept[1], **known}
    counts = desk.counts(store, user, **known)
    with _TOTALS_LOCK:
        users = _COUNTS.setdefault(store, {})
        if len(users) > 1000:
            users.clear()
        users[user] = (now, counts)
    return counts


def sentence_html(item: desk.QueueItem):
    """The claim in its sentence (cut from the window at sentence ends around it), with
    the source, cue and content marked; escaped piece by piece (``highlight``)."""
    text, base = item.window, item.window_start
    spans = [s for s in (item.source, item.cue, item.content) if s is not None]
    lo, hi = min(s[0] for s in spans) - base, max(s[1] for s in spans) - base
    start = max((text.rfind(mark, 0, lo) for mark in (". ", "? ", "! ", "\n")), default=-1)
    start = 0 if start < 0 else start + 2 if text[start] != "\n" else start + 1
    ends = [i for i in (text.find(mark, hi) for mark in (". ", "? ", "! ", "\n")) if i >= 0]
    end = min(ends) + 1 if ends else len(text)
    marks = [Mark(item.content[0] - base, item.content[1] - base, classes=("claim-content",)),
             Mark(item.cue[0] - base, item.cue[1] - base, classes=("claim-cue", f"hedge-{item.hedge}"))]
    if item.source is not None:
        marks.append(Mark(item.source[0] - base, item.source[1] - base, classes=("claim-source",)))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return prefix, highlight(text, max(start, 0), end, marks), suffix


def _pending_propagations(store: Store) -> list[tuple[reviews.ReviewedClaim, int]]:
    """Published reviews with repeats no editor has confirmed or rejected yet (newest
    publications first, the latest ``PROPAGATIONS_SHOWN`` of them)."""
    waiting = []
    for reviewed in reviews.published_reviews(store, limit=PROPAGATIONS_SHOWN):
        open_offers = [o for o in offers(store, reviewed.review.claim) if o.state == "offered"]
        if open_offers:
            waiting.append((reviewed, len(open_offers)))
    return waiting


@router.get("/queue", response_class=HTMLResponse, include_in_schema=False, name="queue")
def queue_page(request: Request, store: StoreDep, user: Reviewer, query: Annotated[QueueQuery, Query()]):
    """The review queue (``view``: unreviewed, mine, drafts)."""
    if query.view == "drafts" and not user.can("editor"):
        raise HTTPException(403, "the editor's queue needs the editor role")
    page = _page(store, query, user)
    if query.page > page.pages and not page.capped:
        raise HTTPException(404, f"the queue has {page.pages} page{'s' if page.pages > 1 else ''}")
    # the tabs count each list unfiltered; the list shown, unfiltered, was just counted
    known = {query.view: page.total} if not query.filters().active() and not query.low else {}
    if "unreviewed" not in known and (kept := _kept_total(store)) is not None:
        known["unreviewed"] = kept
    counts = _counts(store, user.name, known)
    assignees = [u.name for u in reviews.list_users(store) if u.can("reviewer")]
    return render(request, "queue.html", page=page, query=query, counts=counts, user=user, assignees=assignees,
                  hedges=queries.HEDGES, cap=desk.COUNT_CAP, statement=claim_statement,
                  params=lambda **changed: queue_params(query, **changed), sentence=sentence_html,
                  propagations=_pending_propagations(store) if query.view == "drafts" else [],
                  here="/queue?" + queue_params(query))


@router.get("/queue/next", include_in_schema=False)
def next_claim(store: StoreDep, user: Reviewer, query: Annotated[QueueQuery, Query()],
               after: Annotated[str | None, Query(max_length=80)] = None):
    """The first claim of the queue (or the one after ``after``), opened for review with
    the queue's filters; back to the queue when it is empty."""
    return RedirectResponse(following(store, user, query, after), status_code=303)


def following(store: Store, user: User, query: QueueQuery, after: str | None = None) -> str:
    """The address of the queue's first claim (past ``after``, when it is still there),
    opened for review; the queue itself, saying it is done, when nothing is left."""
    params = queue_params(query, page=1)
    page = _page(store, query, user, page=1, page_size=100)
    keys = [item.key for item in page.items]
    if after in keys:
        keys = keys[keys.index(after) + 1:]
    if not keys:
        return "/queue?" + params + ("&" if params else "") + "done=1"
    article_id, seq = reviews.parse_claim_key(keys[0])
    return claim_in_queue(article_id, seq, params)


def claim_in_queue(article_id: str, seq: int, params: str) -> str:
    """A claim's page opened from the queue: saving goes on to the next claim."""
    return links.claim_url(article_id, seq) + "?" + urlencode({"queue": params or "view=unreviewed"})


def next_url(encoded_queue: str | None, key: str | None = None) -> str | None:
    """The link that skips to the queue's next claim (None: not from the queue)."""
    if encoded_queue is None:
        return None
    query = _queue_query(encoded_queue)
    after = f"&{urlencode({'after': key})}" if key else ""
    return "/queue/next?" + queue_params(query, page=1) + after


def after_saving(store: Store, user: User, encoded_queue: str | None, key: str) -> str | None:
    """Where a form sent from a claim opened in the queue goes: straight to the queue's next
    claim (one request, not a redirect through /queue/next); None when not from the queue."""
    if encoded_queue is None:
        return None
    return following(store, user, _queue_query(encoded_queue), key)


@router.post("/queue/bulk", include_in_schema=False)
def bulk(store: StoreDep, user: Reviewer, action: Annotated[str, Form(pattern="^(not-a-claim|assign|unassign)$")],
         claim: Annotated[list[str], Form(max_length=MAX_BULK)] = [],  # noqa: B006  (FastAPI reads it, never mutates)
         assignee: Annotated[str, Form(max_length=100)] = "", back: Annotated[str, Form(max_length=2000)] = "/queue"):
    """One action on the selected claims: every claim changes, or none (a 4xx says why)."""
    if not claim:
        raise HTTPException(400, "select at least one claim")
    if len(claim) > MAX_BULK:
        raise HTTPException(400, f"at most {MAX_BULK} claims at once")
    try:
        if action == "not-a-claim":
            desk.correct_many(store, claim, "not-a-claim", by=user.name, note="bulk action from the queue")
        else:
            who = (assignee.strip() or user.name) if action == "assign" else None
            if who is not None and who != user.name and not user.can("editor"):
                raise HTTPException(403, "reviewers assign claims to themselves; editors assign them to anyone")
            desk.assign(store, claim, who, by=user.name)
    except reviews.UnknownClaim as error:
        raise HTTPException(404, str(error)) from None
    except reviews.UnknownUser as error:
        raise HTTPException(400, f"no user called {error.args[0]!r}") from None
    except desk.InvalidCorrection as error:
        raise HTTPException(409, str(error)) from None
    target = back if back.startswith("/queue") and not back.startswith("//") and "\\" not in back else "/queue"
    return RedirectResponse(target, status_code=303)


# -- corrections -----------------------------------------------------------------------------


def _offsets(text: str, lo: int, hi: int, typed: str) -> tuple[int, int]:
    """Where the words a reviewer typed (or selected and pasted) stand in the claim's
    stretch of text [lo, hi) widened to its paragraph: the right span without counting
    characters. 409 when they are not there, or there more than once."""
    typed = " ".join(typed.split())
    if not typed:
        raise desk.InvalidCorrection("give the right words of the claim, as the article writes them")
    start = text.rfind("\n", 0, lo) + 1
    end = text.find("\n", hi)
    end = len(text) if end < 0 else end
    flat, positions = _folded(text[start:end])
    at = flat.find(typed)
    if at < 0:
        raise desk.InvalidCorrection(f"{typed[:80]!r} is not in the claim's paragraph as written")
    if flat.find(typed, at + 1) >= 0:
        raise desk.InvalidCorrection(f"{typed[:80]!r} is in the claim's paragraph more than once: give more words")
    return start + positions[at], start + positions[at + len(typed) - 1] + 1


def _folded(stretch: str) -> tuple[str, list[int]]:
    """The stretch with every run of white space one space (none at its ends), and where
    each of its characters stands in the stretch."""
    flat, positions, space = [], [], None
    for i, ch in enumerate(stretch):
        if ch.isspace():
            if flat and space is None:
                space = i
            continue
        if space is not None:
            flat.append(" ")
            positions.append(space)
            space = None
        flat.append(ch)
        positions.append(i)
    return "".join(flat), positions


def apply_correction(store: Store, key: str, kind: str, *, by: str, speaker: str = "", content: str = "",
                     cue: str = "", note: str = "") -> desk.Correction:
    """A correction from a form or the API: the right speaker by name, the right content
    and cue as the words of the text (found in the claim's paragraph)."""
    spans = {}
    if kind == "wrong-span":
        stored = store.get(reviews.parse_claim_key(key)[0])
        seq = reviews.parse_claim_key(key)[1]
        if stored is None or not 0 <= seq < len(stored.claims):
            raise reviews.UnknownClaim(key)
        claim, text = stored.claims[seq], stored.article.raw.text
        lo = min(s.start for s in (claim.cue, claim.content))
        hi = max(s.end for s in (claim.cue, claim.content))
        spans["content"] = _offsets(text, lo, hi, content)
        if cue.strip():
            spans["cue"] = _offsets(text, lo, hi, cue)
    return desk.correct(store, key, kind, by=by, speaker=speaker or None, note=note, **spans)


Kind = Annotated[str, Form(pattern="^(not-a-claim|wrong-speaker|wrong-span|restored)$")]
Words = Annotated[str, Form(max_length=2000)]


@router.post("/claims/{article_id}/{seq}/corrections", include_in_schema=False)
def correction_form(article_id: str, seq: Seq, store: StoreDep, user: Reviewer, kind: Kind,
                    speaker: Annotated[str, Form(max_length=300)] = "", content: Words = "", cue: Words = "",
                    note: Words = "", queue: Annotated[str | None, Form(max_length=2000)] = None):
    """Correct what the analysis extracted; from the queue, go on to the next claim."""
    key = reviews.claim_key(article_id.lower(), seq)
    try:
        apply_correction(store, key, kind, by=user.name, speaker=speaker, content=content, cue=cue, note=note)
    except reviews.UnknownClaim as error:
        raise HTTPException(404, str(error)) from None
    except desk.InvalidCorrection as error:
        raise HTTPException(409, str(error)) from None
    target = after_saving(store, user, queue, key) if kind != "restored" else None
    return RedirectResponse(target or links.claim_url(article_id.lower(), seq) + "#corrections", status_code=303)


class CorrectionIn(BaseModel):
    kind: Literal["not-a-claim", "wrong-speaker", "wrong-span", "restored"]
    speaker: str = Field("", max_length=300, description="wrong-speaker: the right speaker's name")
    content: str = Field("", max_length=2000, description="wrong-span: the claim's words as the article writes them")
    cue: str = Field("", max_length=2000, description="wrong-span (optional): the cue's words")
    note: str = Field("", max_length=desk.MAX_NOTE)


def correction_json(correction: desk.Correction) -> dict:
    span = (lambda s: {"start": s[0], "end": s[1]} if s else None)
    return {"claim": correction.claim, "kind": correction.kind, "by": correction.by, "at": correction.at,
            "note": correction.note, "speaker": correction.speaker, "was_speaker": correction.was_speaker,
            "content": span(correction.content), "cue": span(correction.cue), "was_content": span(correction.was_content),
            "was_cue": span(correction.was_cue)}


@router.post("/api/claims/{article_id}/{seq}/corrections", tags=["reviews"], status_code=201,
             summary="Correct an extracted claim (reviewers)")
def api_correct(article_id: str, seq: Seq, body: CorrectionIn, store: StoreDep, user: Reviewer) -> dict:
    """Mark the claim not a claim, give its right speaker or words, or restore it (send ``X-CSRF-Token``)."""
    key = reviews.claim_key(article_id.lower(), seq)
    try:
        done = apply_correction(store, key, body.kind, by=user.name, speaker=body.speaker, content=body.content,
                                cue=body.cue, note=body.note)
    except reviews.UnknownClaim as error:
        raise HTTPException(404, str(error)) from None
    except desk.InvalidCorrection as error:
        raise HTTPException(409, str(error)) from None
    return correction_json(done)


@router.get("/api/queue", tags=["reviews"], summary="The review queue (signed in)")
def api_queue(store: StoreDep, user: Reviewer, query: Annotated[QueueQuery, Query()]) -> dict:
    """Unreviewed claims, most check-worthy first (``view=mine``: assigned to me;
    ``view=drafts``, editors: reviews waiting to be published), one page with the total."""
    if query.view == "drafts" and not user.can("editor"):
        raise HTTPException(403, "the editor's queue needs the editor role")
    page = _page(store, query, user)
    return {"total": page.total, "page": page.page, "pages": page.pages, "view": query.view, "claims": [
        {"claim": i.key, "article_id": i.article_id, "seq": i.seq, "title": i.title, "outlet": i.outlet,
         "published": i.published, "speaker": i.speaker, "hedge": i.hedge, "cue": i.part(i.cue),
         "content": i.part(i.content), "check_worthiness": i.check_worthiness, "confidence": i.confidence,
         "assignee": i.assignee, "review_state": i.review_state, "rating": i.rating,
         "url": links.claim_url(i.article_id, i.seq)} for i in page.items]}



# -- what a claim page shows of the desk's work ---------------------------------------------


def corrections_block(request: Request, key: str, stored) -> dict:
    """The corrections part of a claim page (``_claim_corrections.html``): its history,
    whether it stands, and the names the wrong-speaker form offers (the article's people
    and bodies, its speakers)."""
    from claimdesk.web.auth import current_user

    user = current_user(request)
    store = request.app.state.store
    seq = reviews.parse_claim_key(key)[1]
    names = sorted({e.canonical for e in stored.entities if e.label in ("PERSON", "ORG", "NORP", "GPE")}
                   | {c.speaker for c in stored.claims if c.speaker})
    return {"user": user, "history": desk.corrections(store, key) if user is not None else [],
            "rejected": seq in stored.rejected, "names": names[:200], "path": links.claim_url(*reviews.parse_claim_key(key))}


def triage_links(request: Request, key: str) -> dict | None:
    """On a claim opened from the queue (``?queue=``), for a reviewer: where skipping and
    going back lead, and the queue to carry in the page's forms; None otherwise."""
    from claimdesk.web.auth import current_user

    encoded = request.query_params.get("queue")
    user = current_user(request)
    if encoded is None or user is None or not user.can("reviewer"):
        return None
    query = _queue_query(encoded)
    return {"queue": queue_params(query, page=1) or "view=unreviewed", "skip": next_url(encoded, key),
            "back": "/queue?" + queue_params(query, page=1)}


environment.globals["corrections_block"] = corrections_block
environment.globals["triage_links"] = triage_links
