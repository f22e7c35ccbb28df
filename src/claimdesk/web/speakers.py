"""Editors' corrections of speakers from the desk: merge, split an alias off, rename.

Each is a plain HTML form on the speaker page (POST, CSRF-checked, editor role, checked
before the body is read: ``SessionFirst``) and a JSON route under /api; both call the
store's corrections, which log who and when. A correction of an unknown speaker is a
404; one that cannot be made (a target no one is known by, a name already taken) a 409
saying why.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field

from claimdesk.model import User
from claimdesk.store import SpeakerEditError, Store
from claimdesk.web import links
from claimdesk.web.auth import SessionFirst, require_role
from claimdesk.web.deps import get_store

router = APIRouter(route_class=SessionFirst)
StoreDep = Annotated[Store, Depends(get_store)]
Editor = Annotated[User, Depends(require_role("editor"))]
Name = Annotated[str, Form(min_length=1, max_length=300)]


def _corrected(store: Store, name: str, call) -> str:
    """The correction made, or why not: 404 when the page's speaker is unknown, 409 when
    the correction itself cannot be made (a target no one is known by, a name taken)."""
    if store.speaker_name(name) is None:
        raise HTTPException(404, f"no speaker called {name!r}")
    try:
        return call()
    except SpeakerEditError as error:
        raise HTTPException(409, str(error)) from None


def _to(name: str) -> RedirectResponse:
    return RedirectResponse(links.speaker_url(name) + "#corrections", status_code=303)


@router.post("/speakers/{name:path}/merge", include_in_schema=False)
def merge_form(name: str, store: StoreDep, user: Editor, target: Name):
    """This speaker becomes part of ``target``."""
    return _to(_corrected(store, name, lambda: store.merge_speakers(name, target, editor=user.name)))


@router.post("/speakers/{name:path}/split", include_in_schema=False)
def split_form(name: str, store: StoreDep, user: Editor, alias: Name):
    """The claims written as ``alias`` become a speaker of their own."""
    return _to(_corrected(store, name, lambda: store.split_speaker(name, alias, editor=user.name)))


@router.post("/speakers/{name:path}/rename", include_in_schema=False)
def rename_form(name: str, store: StoreDep, user: Editor, new_name: Annotated[str, Form(alias="name", min_length=1, max_length=300)]):
    """Show this speaker under another name; the old one stays an alias."""
    return _to(_corrected(store, name, lambda: store.rename_speaker(name, new_name, editor=user.name)))


class Correction(BaseModel):
    action: str = Field(pattern="^(merge|split|rename)$", description="merge into `value`, split the alias `value` off, rename to `value`")
    value: str = Field(min_length=1, max_length=300)


@router.post("/api/speakers/{name:path}/corrections", tags=["api"], summary="Merge, split or rename a speaker (editors)")
def api_correct(name: str, correction: Correction, store: StoreDep, user: Editor) -> dict:
    act = {"merge": store.merge_speakers, "split": store.split_speaker, "rename": store.rename_speaker}[correction.action]
    result = _corrected(store, name, lambda: act(name, correction.value, editor=user.name))
    return {"speaker": result, "url": links.speaker_url(result)}
