"""Claim groups on the web: a claim's other appearances (claim page), which claims of an
article have repeats (article page), offering a published review to the repeats
(editors confirm or reject each, or all at once), the verdict a repeat borrows, and
"has this been checked already?" (``GET /api/match``).

Who sees what: the group and a confirmed verdict are public; the offers and who decided
them are shown to signed-in users; deciding needs the editor role (``require_role``,
which also checks the CSRF token).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Query, Request
from fastapi.responses import RedirectResponse

from claimdesk.model import User
from claimdesk.store import Store, groups, propagation
from claimdesk.store import reviews as desk
from claimdesk.web import links
from claimdesk.web.auth import SessionFirst, current_user, require_role
from claimdesk.web.deps import get_store
from claimdesk.web.limits import MAX_SEQ
from claimdesk.web.render import environment

router = APIRouter(route_class=SessionFirst)
Seq = Annotated[int, Path(ge=0, le=MAX_SEQ, description="The claim's place in its article, from 0.")]
MAX_QUERY = 2_000  # characters of a /api/match query


def _cached(request: Request, what, read):
    cache = request.scope.setdefault("claimdesk.groups", {})
    if what not in cache:
        cache[what] = read()
    return cache[what]


def claim_group(request: Request, article_id: str, seq: int) -> list[groups.Member]:
    """The claim's group as the claim page lists it (oldest first; empty: no repeat)."""
    return _cached(request, ("group", article_id, seq),
                   lambda: groups.group_of(request.app.state.store, article_id, seq))


def claim_grouped(request: Request, article_id: str, seq: int) -> bool:
    """Whether the claim was matched at all (a claim stored with matching off was not yet)."""
    return _cached(request, ("grouped", article_id, seq),
                   lambda: groups.indexed(request.app.state.store, article_id, seq))


def claim_repeats(request: Request, article_id: str) -> dict[int, int]:
    """seq -> other articles carrying that claim, for the article page's marks."""
    return _cached(request, ("repeats", article_id), lambda: groups.repeats(request.app.state.store, article_id))


def claim_offers(request: Request, key: str) -> list[propagation.Offer]:
    """The repeats the claim's published review is offered to, for signed-in users."""
    if current_user(request) is None:
        return []
    return _cached(request, ("offers", key), lambda: propagation.offers(request.app.state.store, key))


def claim_borrowed(request: Request, key: str) -> list[propagation.Borrowed]:
    """Verdicts confirmed for this claim from reviews of its other appearances."""
    return _cached(request, ("borrowed", key), lambda: propagation.borrowed(request.app.state.store, key))


environment.globals.update(claim_group=claim_group, claim_grouped=claim_grouped, claim_repeats=claim_repeats,
                           claim_offers=claim_offers, claim_borrowed=claim_borrowed)


def _key(article_id: str, seq: int) -> str:
    try:
        return desk.claim_key(*desk.parse_claim_key(desk.claim_key(article_id, seq)))
    except desk.UnknownClaim as error:
        raise HTTPException(404, str(error)) from None


def _decide(store: Store, key: str, repeats: list[str] | None, action: str, editor: str) -> list[str]:
    try:
        return propagation.decide(store, key, repeats, action, editor=editor)
    except desk.UnknownClaim as error:
        raise HTTPException(404, str(error)) from None
    except propagation.NotOffered as error:
        raise HTTPException(409, str(error)) from None


@router.post("/claims/{article_id}/{seq}/propagate", include_in_schema=False)
def propagate_form(
    article_id: str,
    seq: Seq,
    store: Annotated[Store, Depends(get_store)],
    user: Annotated[User, Depends(require_role("editor"))],
    action: Annotated[Literal["confirmed", "rejected"], Form()],
    repeat: Annotated[str, Form(max_length=100)] = "",
):
    """Confirm or reject the claim's published review for one repeat (``repeat``: its claim
    key), or for every repeat still offered (no ``repeat``)."""
    key = _key(article_id, seq)
    _decide(store, key, [repeat] if repeat.strip() else None, action, user.name)
    return RedirectResponse(links.claim_url(*desk.parse_claim_key(key)) + "#group", status_code=303)


@router.post("/api/reviews/{article_id}/{seq}/propagate", tags=["reviews"])
def api_propagate(
    article_id: str,
    seq: Seq,
    store: Annotated[Store, Depends(get_store)],
    user: Annotated[User, Depends(require_role("editor"))],
    action: Annotated[Literal["confirmed", "rejected"], Query()],
    repeat: Annotated[list[str] | None, Query(max_length=200)] = None,
) -> dict:
    """Confirm or reject the claim's published review for these repeats (claim keys), or for
    every repeat still offered (none given). Editor role; send ``X-CSRF-Token``."""
    key = _key(article_id, seq)
    return {"claim": key, "action": action, "decided": _decide(store, key, repeat, action, user.name)}


@router.get("/api/claims/{article_id}/{seq}/group", tags=["api"])
def api_group(article_id: str, seq: Seq, request: Request, store: Annotated[Store, Depends(get_store)]) -> dict:
    """The claim's appearances, oldest first (the earliest marked), and the reviews offered
    to them (signed in) or confirmed for this one."""
    key = _key(article_id, seq)
    members = groups.group_of(store, *desk.parse_claim_key(key))
    data = {
        "claim": key,
        "appearances": [{"claim": desk.claim_key(m.ref.article_id, m.ref.seq), **m.ref.__dict__,
                         "earliest": m.earliest, "reason": m.reason, "similarity": m.similarity} for m in members],
        "borrowed": [{"from": b.source, "rating": b.rating, "revision": b.revision, "confirmed_at": b.confirmed_at}
                     for b in propagation.borrowed(store, key)],
    }
    if current_user(request) is not None:
        data["offers"] = [{"claim": o.key, "state": o.state, "editor": o.editor, "at": o.at}
                          for o in propagation.offers(store, key)]
    return data


@router.get("/api/match", tags=["api"], summary="Has this been checked already? The nearest stored claims and their reviews")
def api_match(
    request: Request,
    store: Annotated[Store, Depends(get_store)],
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY)],
    top: Annotated[int, Query(ge=1, le=50)] = 5,
) -> dict:
    """The stored claims nearest ``q`` (one per claim group), best first, with scores (the
    fused rank ``score`` orders them; the cosine ``similarity`` says how close each is), and
    the published reviews of each claim's group."""
    from claimdesk.web.reviews import reviewed_json

    if not q.strip():
        raise HTTPException(422, "q is empty")
    public = current_user(request) is None
    found = groups.nearest(store, q, top=top)
    claims, reviews = [], {}
    for rank, n in enumerate(found, 1):
        ref = n.ref
        claim = {"rank": rank, "claim": desk.claim_key(ref.article_id, ref.seq), "score": n.score,
                 "similarity": n.similarity, "article_id": ref.article_id, "seq": ref.seq, "title": ref.title,
                 "outlet": ref.outlet, "published": ref.published, "speaker": ref.speaker, "cue": ref.cue,
                 "text": ref.content, "hedge": ref.hedge, "appearances": n.group_size,
                 "reviews": [r.review.claim for r in n.reviews]}
        claims.append(claim)
        for r in n.reviews:
            reviews.setdefault(r.review.claim, {**reviewed_json(r, public=public), "score": n.score,
                                                "similarity": n.similarity, "via": claim["claim"]})
    return {"query": q, "claims": claims, "reviews": list(reviews.values())}
