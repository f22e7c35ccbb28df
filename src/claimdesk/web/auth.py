"""Signing in and out, who is asking, CSRF tokens, and the role every write needs.

- Sessions: a random token in an HttpOnly, SameSite=Lax cookie (Secure over https);
  the store keeps only its sha256, so a leaked database opens no session.
- CSRF: a synchronizer token derived from the cookie the request is bound to (the
  session, or before sign-in a random ``claimdesk_csrf`` cookie): HMAC-SHA256 keyed
  by that secret value. A page on another site can neither read the cookie nor
  compute the token. Every POST carries it (form field ``csrf_token`` or header
  ``X-CSRF-Token``), pages and JSON API alike; a request the browser marks as from
  another site (``Sec-Fetch-Site``) or whose ``Origin`` names one is refused as well.
- Sign-in attempts are rate-limited in the store (so that every worker process
  shares the count): after ``SIGNIN_LIMIT`` failures within ``SIGNIN_WINDOW`` for a
  name, or from a client address, further attempts are refused with 429 without
  checking the password. The client address is the socket peer: behind a proxy, run
  uvicorn with ``--proxy-headers --forwarded-allow-ips`` so that it is the client's.
  Count and check are not one transaction: a burst of parallel guesses can pass a
  few over the limit, never a sustained stream.
- ``require_role(role)``: the dependency of every write. It checks the session, the
  role (on the server: a page hiding a button is not a check), and the CSRF token.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta, timezone
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute

from claimdesk import accounts
from claimdesk.model import ROLES, User
from claimdesk.store import Store
from claimdesk.store import reviews as desk
from claimdesk.web.deps import get_store
from claimdesk.web.render import environment, render

SESSION_COOKIE = "claimdesk_session"
CSRF_COOKIE = "claimdesk_csrf"  # binds the CSRF token of a browser that is not signed in
SESSION_TTL = timedelta(hours=12)
SIGNIN_LIMIT = 5  # failures ...
SIGNIN_WINDOW = timedelta(minutes=1)  # ... within this, per name and per client address
_CSRF_CONTEXT = b"claimdesk csrf v1"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _looks_like_token(value: str | None) -> bool:
    return bool(value) and 20 <= len(value) <= 100 and value.isascii()


# -- who is asking -------------------------------------------------------------------


def current_user(request: Request) -> User | None:
    """The signed-in user of this request (looked up once, on demand), or None."""
    cache = _cache(request)
    if "user" not in cache:
        token = request.cookies.get(SESSION_COOKIE)
        cache["user"] = desk.session_user(request.app.state.store, _token_hash(token)) if _looks_like_token(token) else None
    return cache["user"]


def _cache(request: Request) -> dict:
    """What this module worked out about the request (its user, a new CSRF cookie)."""
    return request.scope.setdefault("claimdesk.auth", {})


def _csrf_binding(request: Request) -> str | None:
    """The secret cookie the CSRF token is derived from: the live session, else the
    pre-sign-in cookie (set on the sign-in page)."""
    if current_user(request) is not None:
        return request.cookies.get(SESSION_COOKIE)
    anonymous = request.cookies.get(CSRF_COOKIE) or _cache(request).get("new_csrf_cookie")
    return anonymous if _looks_like_token(anonymous) else None


def csrf_token(request: Request) -> str:
    """The token this request's forms carry (empty when there is nothing to bind it to)."""
    binding = _csrf_binding(request)
    if binding is None:
        return ""
    return hmac.new(binding.encode(), _CSRF_CONTEXT, hashlib.sha256).hexdigest()


def _same_origin(request: Request) -> bool:
    """False when the browser says the request comes from another site.

    The desk's own pages send ``Referrer-Policy: no-referrer``, under which browsers
    send ``Origin: null`` on the desk's own form posts: so a null origin is not taken
    as foreign. Fetch Metadata (``Sec-Fetch-Site``, which a page cannot set) decides
    where the browser sends it; otherwise a named origin must be this host, and with no
    usable origin the session-bound token decides alone.
    """
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site in ("same-origin", "none")  # "none": the person typed or bookmarked it
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return True  # not sent, or hidden by the referrer policy; the token still decides
    parts = urlsplit(origin)
    return parts.netloc.lower() == (request.headers.get("host") or "").lower()


async def check_csrf(request: Request) -> None:
    """Refuse (403) an unsafe request without this session's CSRF token or from another site."""
    if request.method in _SAFE_METHODS:
        return
    if not _same_origin(request):
        raise HTTPException(403, "cross-site request refused")
    sent = request.headers.get("x-csrf-token")
    if sent is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            sent = (await request.form()).get("csrf_token")
    expected = csrf_token(request)
    if not expected or not isinstance(sent, str) or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise HTTPException(403, "missing or wrong CSRF token: reload the page and try again")


def require_role(role: str):
    """A dependency: the signed-in user, when their role is ``role`` or above, on a
    request carrying its CSRF token. 401 when not signed in, 403 otherwise."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")

    async def dependency(request: Request) -> User:
        checked = _cache(request).setdefault("roles", set())
        user = current_user(request)
        if role in checked and user is not None:  # already checked, before the body was read
            return user
        if user is None:
            raise HTTPException(401, "sign in first", headers={"WWW-Authenticate": 'Cookie realm="claimdesk"'})
        if not user.can(role):
            raise HTTPException(403, f"this needs the {role} role (you are a {user.role})")
        await check_csrf(request)
        checked.add(role)
        return user

    dependency.__name__ = f"require_{role}"
    dependency.checks_session = True  # type: ignore[attr-defined]  # SessionFirst runs it first
    return dependency


class SessionFirst(APIRoute):
    """A route whose ``require_role`` dependencies run before its body is read.

    FastAPI reads and parses a request's body (JSON, form) before it solves the
    route's dependencies, so a stranger's megabyte of JSON was parsed, and a body that
    is not JSON answered 422, before anyone asked who sent it. This route checks the
    session, role and CSRF token first: a request that may not write is refused (401,
    403) without its body being parsed. (A form's CSRF token is in the body: that form
    is read only once the session and role have passed.)"""

    def get_route_handler(self):
        handler = super().get_route_handler()
        checks = [d.call for d in self.dependant.dependencies if getattr(d.call, "checks_session", False)]
        if not checks:
            return handler

        async def checked_first(request: Request) -> Response:
            for check in checks:
                await check(request)
            return await handler(request)

        return checked_first


router = APIRouter(route_class=SessionFirst)  # sign-in, sign-out, /api/me, /admin/users

environment.globals["current_user"] = current_user
environment.globals["csrf_token"] = csrf_token


# -- cookies ------------------------------------------------------------------------


def _cookie_options(request: Request) -> dict:
    return {"httponly": True, "samesite": "lax", "secure": request.url.scheme == "https", "path": "/"}


def _needs_csrf_cookie(request: Request) -> bool:
    """True for a browser that is not signed in and has no pre-sign-in cookie yet: the
    page about to show it a form then makes one (``_set_csrf_cookie``)."""
    if current_user(request) is not None or _looks_like_token(request.cookies.get(CSRF_COOKIE)):
        return False
    _cache(request).setdefault("new_csrf_cookie", secrets.token_urlsafe(32))
    return True


def _set_csrf_cookie(request: Request, response: Response) -> None:
    response.set_cookie(CSRF_COOKIE, _cache(request)["new_csrf_cookie"], max_age=86400, **_cookie_options(request))


def _safe_next(target: str | None) -> str:
    """Where to go after signing in: a path of this site only (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    if any(ord(ch) < 0x20 for ch in target):
        return "/"
    return target


# -- sign-in and sign-out pages --------------------------------------------------------------


@router.get("/signin", response_class=HTMLResponse, name="signin")
def signin_page(request: Request, next: str = "/"):
    """The sign-in form."""
    new_cookie = _needs_csrf_cookie(request)
    response = render(request, "signin.html", next=_safe_next(next), error=None, signin_name="")
    if new_cookie:
        _set_csrf_cookie(request, response)
    return response


def _client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post("/signin", response_class=HTMLResponse)
async def signin(
    request: Request,
    store: Annotated[Store, Depends(get_store)],
    name: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=accounts.MAX_PASSWORD + 1)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
):
    """Check the password (rate-limited), start a session, and go where the user was going."""
    await check_csrf(request)
    target = _safe_next(next)
    address = _client_address(request)
    now = datetime.now(timezone.utc)
    by_name, by_address = desk.failed_signins(store, name, address, now - SIGNIN_WINDOW)
    if by_name >= SIGNIN_LIMIT or by_address >= SIGNIN_LIMIT:
        seconds = int(SIGNIN_WINDOW.total_seconds())
        response = render(request, "signin.html", status_code=429, next=target, signin_name=name,
                          error=f"Too many failed attempts: wait {seconds} seconds and try again.")
        response.headers["Retry-After"] = str(seconds)
        return response
    found = desk.credentials(store, name)
    ok = accounts.verify_password(found[1] if found else None, password)
    desk.record_signin(store, name, address, ok, now=now)
    if not ok:
        return render(request, "signin.html", status_code=401, next=target, signin_name=name,
                      error="Wrong name or password.")
    user, password_hash = found
    if accounts.needs_rehash(password_hash):
        desk.set_password_hash(store, user.name, accounts.hash_password(password), end_sessions=False)
    token = secrets.token_urlsafe(32)
    desk.create_session(store, user.name, _token_hash(token), SESSION_TTL)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(SESSION_COOKIE, token, max_age=int(SESSION_TTL.total_seconds()), **_cookie_options(request))
    response.delete_cookie(CSRF_COOKIE, path="/")
    return response


@router.post("/signout")
async def signout(request: Request, store: Annotated[Store, Depends(get_store)]):
    """End this browser's session (CSRF-checked: nobody signs you out from another site)."""
    await check_csrf(request)
    token = request.cookies.get(SESSION_COOKIE)
    if _looks_like_token(token):
        desk.end_session(store, _token_hash(token))
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


# -- the JSON API's view of the session ---------------------------------------------------------


@router.get("/api/me", tags=["users"])
def me(request: Request) -> dict:
    """Who this session is, and the CSRF token its API writes send as ``X-CSRF-Token``."""
    user = current_user(request)
    if user is None:
        return {"user": None, "role": None, "csrf_token": None}
    return {"user": user.name, "role": user.role, "csrf_token": csrf_token(request)}


# -- users (admin) ---------------------------------------------------------------------------


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(request: Request, store: Annotated[Store, Depends(get_store)]):
    """Accounts and their roles; admins add accounts and change roles here."""
    user = current_user(request)
    if user is None:
        return RedirectResponse("/signin?next=/admin/users", status_code=303)
    if not user.can("admin"):
        raise HTTPException(403, "this needs the admin role")
    return render(request, "users.html", users=desk.list_users(store), roles=ROLES, error=None)


@router.post("/admin/users", response_class=HTMLResponse)
def add_or_change_user(
    request: Request,
    store: Annotated[Store, Depends(get_store)],
    admin: Annotated[User, Depends(require_role("admin"))],
    name: Annotated[str, Form(max_length=200)],
    role: Annotated[str, Form()],
    password: Annotated[str, Form(max_length=accounts.MAX_PASSWORD + 1)] = "",
):
    """A new account (with a password), or a new role for an existing one (without)."""
    try:
        name, role = accounts.normal_name(name), accounts.check_role(role)
        if password:
            desk.add_user(store, name, accounts.hash_password(password), role)
        else:
            desk.set_role(store, name, role)
    except (ValueError, LookupError) as error:
        return render(request, "users.html", status_code=400, users=desk.list_users(store), roles=ROLES,
                      error=str(error))
    return RedirectResponse("/admin/users", status_code=303)
