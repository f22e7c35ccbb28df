"""The Sources page: what the poller follows, for editors and admins.

Per source: last and next poll, the last HTTP status, entries seen, new articles,
errors (and why the last poll failed), silence, and a sparkline of new articles per day
over 30 days, an SVG drawn here (no script: the desk's CSP allows none inline). Forms,
each a plain POST checked for the editor role and its CSRF token before the body is
read (``SessionFirst``): add a source, import an OPML file, poll one now, remove one.
``/sources.opml`` exports the list.
"""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup, escape

from claimdesk.follow import manage, opml, schedule
from claimdesk.model import User
from claimdesk.store import Store
from claimdesk.store import sources as followed
from claimdesk.web.auth import SessionFirst, current_user, require_role
from claimdesk.web.deps import get_store
from claimdesk.web.render import environment, render

router = APIRouter(route_class=SessionFirst, include_in_schema=False)
StoreDep = Annotated[Store, Depends(get_store)]
Editor = Annotated[User, Depends(require_role("editor"))]
Field = Annotated[str, Form(max_length=2000)]
DAYS = 30
SILENT = 7 * schedule.DAY  # no new article for this long: the page says the source has gone silent


def sparkline(counts, width: int = 120, height: int = 24) -> Markup:
    """New articles per day as an inline SVG polyline (numbers only, and one escaped title)."""
    counts = list(counts) or [0]
    top = max(counts) or 1
    step = width / max(len(counts) - 1, 1)
    points = " ".join(f"{i * step:.1f},{height - 2 - (n / top) * (height - 4):.1f}" for i, n in enumerate(counts))
    label = escape(f"{sum(counts)} new articles in {len(counts)} days, at most {max(counts)} a day")
    return Markup(f'<svg class="sparkline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
                  f'width="{width}" height="{height}" role="img"><title>{label}</title>'
                  f'<polyline points="{points}" fill="none" stroke="currentColor" stroke-width="1.5"></polyline></svg>')


environment.globals["sparkline"] = sparkline


def _rows(store: Store) -> list[dict]:
    now = time.time()
    activity = followed.activity(store, now, DAYS)
    rows = []
    for source in followed.listing(store):
        seen = activity.get(source.pk, followed.Activity(0, 0, (0,) * DAYS))
        since = now - (followed.seconds(seen.last_new) or followed.seconds(source.added_at))
        rows.append({"source": source, "activity": seen, "silent": schedule.human(since) if since > SILENT else None,
                     "interval": schedule.human(source.every or source.interval) if (source.every or source.interval)
                     else None})
    return rows


def _page(request: Request, store: Store, status: int = 200, **notes):
    return render(request, "sources.html", status_code=status, rows=_rows(store), days=DAYS,
                  now=followed.stamp(time.time()),
                  error=notes.get("error"), notice=notes.get("notice"), skipped=notes.get("skipped", []),
                  filled=notes.get("filled", {}))


@router.get("/sources", response_class=HTMLResponse)
def sources_page(request: Request, store: StoreDep):
    user = current_user(request)
    if user is None:
        return RedirectResponse("/signin?next=/sources", status_code=303)
    if not user.can("editor"):
        raise HTTPException(403, f"the Sources page is for editors and admins (you are a {user.role})")
    return _page(request, store)


@router.post("/sources", response_class=HTMLResponse)
def add_form(request: Request, store: StoreDep, user: Editor, url: Field, name: Field = "", every: Field = "",
             outlet: Field = "", language: Annotated[str, Form(max_length=20)] = "", tags: Field = ""):
    try:
        manage.add_source(store, url, name=name, every=every, outlet=outlet, language=language, tags=[tags])
    except ValueError as error:
        filled = {"url": url, "name": name, "every": every, "outlet": outlet, "language": language, "tags": tags}
        return _page(request, store, 400, error=str(error), filled=filled)
    return RedirectResponse("/sources", status_code=303)


@router.post("/sources/import", response_class=HTMLResponse)
async def import_form(request: Request, store: StoreDep, user: Editor, file: Annotated[UploadFile, File()]):
    data = await file.read(opml.MAX_BYTES + 1)
    try:
        added, skipped = manage.import_opml(store, data)
    except ValueError as error:
        return _page(request, store, 400, error=str(error))
    return _page(request, store, notice=f"following {len(added)} new source{'' if len(added) == 1 else 's'}",
                 skipped=skipped)


def _found(store: Store, pk: int) -> followed.Source:
    source = followed.get(store, pk)
    if source is None:
        raise HTTPException(404, "no such source")
    return source


@router.post("/sources/{pk}/poll")
def poll_now_form(pk: int, store: StoreDep, user: Editor):
    followed.poll_now(store, _found(store, pk).pk, time.time())
    return RedirectResponse("/sources", status_code=303)


@router.post("/sources/{pk}/remove")
def remove_form(pk: int, store: StoreDep, user: Editor):
    followed.remove(store, _found(store, pk).pk)
    return RedirectResponse("/sources", status_code=303)


@router.get("/sources.opml")
def export(request: Request, store: StoreDep):
    user = current_user(request)
    if user is None or not user.can("editor"):
        raise HTTPException(401 if user is None else 403, "the sources list is for editors and admins")
    return Response(manage.export_opml(store), media_type="text/x-opml",
                    headers={"Content-Disposition": 'attachment; filename="claimdesk-sources.opml"'})
