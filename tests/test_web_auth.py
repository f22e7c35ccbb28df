"""Users, sign-in, roles, CSRF and reviews through the real app (TestClient over
``create_app``): every role boundary by the JSON API and by the forms, the rate limit,
cookies, history, ClaimReview JSON-LD, /claimreview.jsonl and the reviews feeds."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import feedparser
import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from test_store import count, make_article, prose
from test_store_claims import find
from typer.testing import CliRunner

from claimdesk import accounts
from claimdesk.cli import app as cli
from claimdesk.model import Claim, Entity
from claimdesk.store import Store
from claimdesk.store import reviews as desk
from claimdesk.web import create_app
from claimdesk.web.reviews import json_for_script

PASSWORD = "a long enough passphrase"
HOSTILE = 'that </script><script>alert("x")</script><!-- & <img src=x onerror=alert(1)> ]]>'


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch):
    """argon2id still, with small parameters: tests sign in dozens of times on two cores.
    (test_reviews.py checks the real parameters.)"""
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def store(tmp_path):
    with Store(str(tmp_path / "desk.db")) as opened:
        plain = make_article("Convoy claims", [
            "Elman Mammadov claimed that convoy 7 carried mines, Turan reported. " + prose(3)], url="https://news.example/a",
            published="2023-12-20")
        text = plain.raw.text
        claims = [Claim(source=find(plain, "Elman Mammadov"), speaker="Elman Mammadov", cue=find(plain, "claimed"),
                        content=find(plain, "that convoy 7 carried mines"), hedge="claims")]
        entities = [Entity(find(plain, "Elman Mammadov"), "PERSON", "Elman Mammadov")]
        opened.add(plain, line_keys=set(), claims=claims, entities=entities)
        hostile = make_article("Hostile </title><script>alert(2)</script>", [
            f"The ministry said {HOSTILE}. " + prose(4)], url="https://news.example/b?x=<script>")
        claims = [Claim(source=find(hostile, "The ministry"), speaker="The ministry", cue=find(hostile, "said"),
                        content=find(hostile, HOSTILE), hedge="states")]
        opened.add(hostile, line_keys=set(), claims=claims)
        for name, role in (("rita", "reader"), ("rev", "reviewer"), ("ed", "editor"), ("ada", "admin")):
            desk.add_user(opened, name, accounts.hash_password(PASSWORD), role)
        opened.plain_key = desk.claim_key(plain.raw.id, 0)
        opened.hostile_key = desk.claim_key(hostile.raw.id, 0)
        assert text  # the texts the spans point into
        yield opened


@pytest.fixture
def app(store):
    return create_app(store, base_url="http://testserver")  # absolute links start with it


def client(app, address="10.0.0.1", https=False) -> TestClient:
    return TestClient(app, base_url="https://testserver" if https else "http://testserver",
                      client=(address, 50000), follow_redirects=False)


def form_token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]*)"', html)
    assert match, "the page has no CSRF field"
    return match.group(1)


def sign_in(app, name, password=PASSWORD, address="10.0.0.1", https=False) -> TestClient:
    browser = client(app, address, https)
    token = form_token(browser.get("/signin").text)
    response = browser.post("/signin", data={"name": name, "password": password, "csrf_token": token, "next": "/"})
    assert response.status_code == 303, response.text
    return browser


def api_token(browser: TestClient) -> str:
    return browser.get("/api/me").json()["csrf_token"]


def path(key: str) -> str:
    article_id, seq = desk.parse_claim_key(key)
    return f"{article_id}/{seq}"


REVIEW = {"rating": "False", "rationale": "The ministry's log shows no convoy.", "evidence": ["https://log.example/7"]}


def api_review(browser, key, body=REVIEW, token=None):
    headers = {"X-CSRF-Token": token if token is not None else api_token(browser)}
    return browser.post(f"/api/reviews/{path(key)}", json=body, headers=headers)


def api_publish(browser, key, revision=None):
    return browser.post(f"/api/reviews/{path(key)}/publish", json={"revision": revision},
                        headers={"X-CSRF-Token": api_token(browser)})


class Scripts(HTMLParser):
    """The <script> elements of a page, as a browser's tokenizer splits them."""

    def __init__(self):
        super().__init__()
        self.scripts: list[tuple[dict, str]] = []
        self.tags: list[tuple[str, dict]] = []  # every element, as a browser would make it
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._open = dict(attrs)
            self.scripts.append((self._open, ""))

    def handle_data(self, data):
        if self._open is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._open = None


def scripts(html: str) -> list[tuple[dict, str]]:
    return parsed(html).scripts


def parsed(html: str) -> Scripts:
    parser = Scripts()
    parser.feed(html)
    return parser


# -- sign-in, cookies, sessions ----------------------------------------------------------


def test_signing_in_sets_an_httponly_samesite_session_cookie(app):
    browser = sign_in(app, "rev")
    cookie = next(h for h in browser.cookies.jar if h.name == "claimdesk_session")
    assert cookie.has_nonstandard_attr("HttpOnly")
    assert cookie.get_nonstandard_attr("SameSite").lower() == "lax"
    assert not cookie.secure  # plain http (a local desk); over https it is Secure, below
    assert browser.get("/api/me").json()["user"] == "rev"
    assert 'rev <small>(reviewer)</small>' in browser.get("/").text  # the nav says who


def test_over_https_the_session_cookie_is_secure(app):
    browser = client(app, https=True)
    token = form_token(browser.get("/signin").text)
    response = browser.post("/signin", data={"name": "ed", "password": PASSWORD, "csrf_token": token})
    header = response.headers["set-cookie"]
    assert "claimdesk_session=" in header and "Secure" in header and "HttpOnly" in header


def test_the_store_keeps_no_session_token(app, store):
    browser = sign_in(app, "ed")
    token = browser.cookies["claimdesk_session"]
    with store.engine.connect() as connection:
        kept = [row[0] for row in connection.exec_driver_sql("SELECT token_hash FROM sessions")]
    assert len(kept) == 1 and token not in kept[0]


def test_wrong_passwords_and_unknown_names_get_the_same_answer(app):
    answers = []
    for name, password in (("rev", "not the passphrase"), ("nobody", PASSWORD)):
        browser = client(app)
        token = form_token(browser.get("/signin").text)
        response = browser.post("/signin", data={"name": name, "password": password, "csrf_token": token})
        assert "claimdesk_session" not in response.headers.get("set-cookie", "")
        answers.append((response.status_code, "Wrong name or password." in response.text))
    assert answers == [(401, True), (401, True)]


def test_a_forged_or_ended_session_is_anonymous(app):
    forged = client(app)
    forged.cookies.set("claimdesk_session", "x" * 43)
    assert forged.get("/api/me").json()["user"] is None
    assert api_review(forged, app.state.store.plain_key, token="").status_code == 401

    browser = sign_in(app, "rev")
    stolen = browser.cookies["claimdesk_session"]
    token = form_token(browser.get("/").text)
    assert browser.post("/signout", data={"csrf_token": token}).status_code == 303
    replay = client(app)
    replay.cookies.set("claimdesk_session", stolen)
    assert replay.get("/api/me").json()["user"] is None


def test_signing_in_goes_back_only_to_this_site(app):
    for target, expected in (("/claims/x/0", "/claims/x/0"), ("//evil.example/", "/"), ("https://evil.example/", "/"),
                             ("/\\evil.example", "/")):
        browser = client(app)
        token = form_token(browser.get("/signin").text)
        response = browser.post("/signin", data={"name": "rev", "password": PASSWORD, "csrf_token": token, "next": target})
        assert response.headers["location"] == expected


# -- rate limit -------------------------------------------------------------------------------


def test_failed_sign_ins_trip_the_limit_per_name(app):
    for i in range(5):  # from five addresses: the name's own limit
        browser = client(app, address=f"10.1.0.{i}")
        token = form_token(browser.get("/signin").text)
        assert browser.post("/signin", data={"name": "ed", "password": "guess number %d" % i,
                                             "csrf_token": token}).status_code == 401
    browser = client(app, address="10.1.0.99")
    token = form_token(browser.get("/signin").text)
    refused = browser.post("/signin", data={"name": "ed", "password": PASSWORD, "csrf_token": token})
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    assert "claimdesk_session" not in refused.headers.get("set-cookie", "")  # even the right password waits
    sign_in(app, "rev", address="10.1.0.99")  # other names are not locked


def test_failed_sign_ins_trip_the_limit_per_address(app):
    browser = client(app, address="10.2.0.1")
    token = form_token(browser.get("/signin").text)
    for name in ("rita", "rev", "ed", "ada", "nobody"):
        assert browser.post("/signin", data={"name": name, "password": "wrong password!", "csrf_token": token}).status_code == 401
    refused = browser.post("/signin", data={"name": "rita", "password": PASSWORD, "csrf_token": token})
    assert refused.status_code == 429
    sign_in(app, "rita", address="10.2.0.2")  # the same name from elsewhere still works


# -- CSRF -------------------------------------------------------------------------------------


def test_sign_in_without_a_csrf_token_is_refused(app):
    browser = client(app)
    browser.get("/signin")
    assert browser.post("/signin", data={"name": "rev", "password": PASSWORD}).status_code == 403
    assert browser.post("/signin", data={"name": "rev", "password": PASSWORD, "csrf_token": "0" * 64}).status_code == 403
    fresh = client(app)  # a token without the cookie it belongs to
    token = form_token(client(app).get("/signin").text)
    assert fresh.post("/signin", data={"name": "rev", "password": PASSWORD, "csrf_token": token}).status_code == 403


def test_writes_without_the_sessions_csrf_token_are_refused(app, store):
    rev = sign_in(app, "rev")
    other = sign_in(app, "rev", address="10.0.0.2")  # the same user in another browser
    key = store.plain_key
    assert api_review(rev, key, token="").status_code == 403
    assert api_review(rev, key, token=api_token(other)).status_code == 403  # bound to the session
    assert rev.post(f"/api/reviews/{path(key)}", json=REVIEW).status_code == 403  # no header at all
    form = {"rating": "False", "rationale": "x", "evidence": ""}
    assert rev.post(f"/claims/{path(key)}/reviews", data=form).status_code == 403
    assert rev.post(f"/claims/{path(key)}/reviews", data={**form, "csrf_token": api_token(other)}).status_code == 403
    assert count(store, "review_revisions") == 0
    assert rev.post(f"/claims/{path(key)}/reviews", data={**form, "csrf_token": api_token(rev)}).status_code == 303
    assert count(store, "review_revisions") == 1


def test_a_request_from_another_site_is_refused_even_with_the_token(app, store):
    rev = sign_in(app, "rev")
    response = rev.post(f"/api/reviews/{path(store.plain_key)}", json=REVIEW,
                        headers={"X-CSRF-Token": api_token(rev), "Origin": "https://evil.example"})
    assert response.status_code == 403
    assert count(store, "review_revisions") == 0


def test_the_desks_own_forms_pass_the_origin_check_and_other_sites_do_not(app, store):
    """Under the desk's Referrer-Policy (no-referrer) a browser posts the desk's own forms
    with ``Origin: null``; its Fetch Metadata says where the post came from."""
    rev = sign_in(app, "rev")
    page = f"/claims/{path(store.plain_key)}"
    form = {"rating": "False", "rationale": "x", "evidence": "", "csrf_token": api_token(rev)}
    refused = [rev.post(page + "/reviews", data=form, headers={"Origin": "null", "Sec-Fetch-Site": site}).status_code
               for site in ("cross-site", "same-site")]
    assert refused == [403, 403] and count(store, "review_revisions") == 0
    own = rev.post(page + "/reviews", data=form, headers={"Origin": "null", "Sec-Fetch-Site": "same-origin"})
    assert own.status_code == 303 and count(store, "review_revisions") == 1
    lying = rev.post(page + "/reviews", data={**form, "csrf_token": "0" * 64}, headers={"Origin": "null"})
    assert lying.status_code == 403  # a null origin leaves the token to decide


def test_signing_out_needs_the_token_too(app):
    rev = sign_in(app, "rev")
    assert rev.post("/signout").status_code == 403
    assert rev.get("/api/me").json()["user"] == "rev"


# -- roles --------------------------------------------------------------------------------------


def test_role_boundaries_through_the_api(app, store):
    key = store.plain_key
    anonymous = client(app)
    assert api_review(anonymous, key, token="").status_code == 401
    reader = sign_in(app, "rita")
    assert api_review(reader, key).status_code == 403
    reviewer = sign_in(app, "rev")
    created = api_review(reviewer, key)
    assert created.status_code == 201 and created.json()["reviewer"] == "rev"
    revision = created.json()["revision"]
    assert api_publish(reviewer, key, revision).status_code == 403
    assert api_publish(reader, key, revision).status_code == 403
    assert anonymous.post(f"/api/reviews/{path(key)}/publish", json={}).status_code == 401
    editor = sign_in(app, "ed")
    published = api_publish(editor, key, revision)
    assert published.status_code == 200 and published.json()["published"] is True
    unpublish = f"/api/reviews/{path(key)}/unpublish"
    assert reviewer.post(unpublish, headers={"X-CSRF-Token": api_token(reviewer)}).status_code == 403
    assert editor.post(unpublish, headers={"X-CSRF-Token": api_token(editor)}).json() == {"claim": key, "unpublished": True}
    assert api_review(editor, key).status_code == 201  # an editor may also review
    assert [e.action for e in desk.history(store, key).events] == ["published", "unpublished"]


def test_role_boundaries_through_the_forms(app, store):
    key = store.plain_key
    claim_page = f"/claims/{path(key)}"
    form = {"rating": "Misleading", "rationale": "Out of context.", "evidence": "https://a.example/1\nhttps://b.example/2"}

    reader = sign_in(app, "rita")
    page = reader.get(claim_page).text
    assert 'action="' + claim_page + '/reviews"' not in page  # no form for a reader ...
    assert reader.post(claim_page + "/reviews", data={**form, "csrf_token": form_token(page)}).status_code == 403  # ... nor a way round it

    reviewer = sign_in(app, "rev")
    page = reviewer.get(claim_page).text
    assert 'action="' + claim_page + '/reviews"' in page and "/publish" not in page
    assert reviewer.post(claim_page + "/reviews", data={**form, "csrf_token": form_token(page)}).headers["location"] == claim_page + "#reviews"
    revision = desk.history(store, key).current.revision
    assert reviewer.post(claim_page + "/publish", data={"revision": revision, "csrf_token": form_token(page)}).status_code == 403

    editor = sign_in(app, "ed")
    page = editor.get(claim_page).text
    assert f'name="revision" value="{revision}"' in page
    assert editor.post(claim_page + "/publish", data={"revision": revision, "csrf_token": form_token(page)}).status_code == 303
    assert desk.published_review(store, key).review.revision == revision

    anonymous = client(app)
    assert anonymous.post(claim_page + "/reviews", data=form).status_code == 401
    public = anonymous.get(claim_page).text
    assert "Misleading" in public and "Out of context." in public
    assert 'href="https://a.example/1" rel="nofollow noopener noreferrer"' in public
    assert "revision" not in public and ">rev<" not in public  # account names stay inside the desk


def test_admins_manage_users_and_nobody_else(app, store):
    reviewer = sign_in(app, "rev")
    assert reviewer.get("/admin/users").status_code == 403
    token = api_token(reviewer)
    assert reviewer.post("/admin/users", data={"name": "mal", "role": "admin", "password": PASSWORD,
                                               "csrf_token": token}).status_code == 403
    admin = sign_in(app, "ada")
    page = admin.get("/admin/users")
    assert page.status_code == 200 and "rita" in page.text
    token = form_token(page.text)
    assert admin.post("/admin/users", data={"name": "newbie", "role": "reviewer", "password": PASSWORD,
                                            "csrf_token": token}).status_code == 303
    assert admin.post("/admin/users", data={"name": "rita", "role": "editor", "csrf_token": token}).status_code == 303
    roles = {u.name: u.role for u in desk.list_users(store)}
    assert roles["newbie"] == "reviewer" and roles["rita"] == "editor" and "mal" not in roles
    sign_in(app, "newbie")


# -- reviews: history, validation --------------------------------------------------------------------


def test_two_edits_are_two_revisions_and_the_history_shows_both(app, store):
    key = store.plain_key
    reviewer = sign_in(app, "rev")
    first = api_review(reviewer, key, {"rating": "Unproven", "rationale": "Waiting for the log."}).json()
    second = api_review(reviewer, key, {**REVIEW, "based_on": first["revision"]}).json()
    stale = api_review(reviewer, key, {**REVIEW, "rating": "True", "based_on": first["revision"]})
    assert stale.status_code == 409
    assert count(store, "review_revisions") == 2
    kept = reviewer.get(f"/api/reviews/{path(key)}").json()
    assert [(r["rating"], r["reviewer"]) for r in kept["revisions"]] == [("Unproven", "rev"), ("False", "rev")]
    assert kept["revisions"][0]["revision"] == first["revision"] and kept["revisions"][1]["revision"] == second["revision"]
    page = reviewer.get(f"/claims/{path(key)}").text
    assert "Waiting for the log." in page and "The ministry&#39;s log shows no convoy." in page
    assert page.count('class="revision"') == 2
    assert client(app).get(f"/api/reviews/{path(key)}").json() == {"claim": key, "published": None, "claim_review": None}


@pytest.mark.parametrize("body", [
    {"rating": "Pants on fire"},
    {"rating": "False", "evidence": ["javascript:alert(1)"]},
    {"rating": "False", "evidence": ["https://user:pw@evil.example/"]},
])
def test_invalid_reviews_are_refused_by_the_api(app, store, body):
    reviewer = sign_in(app, "rev")
    assert api_review(reviewer, store.plain_key, body).status_code == 422
    assert count(store, "review_revisions") == 0


def test_an_invalid_form_is_shown_again_with_what_was_typed(app, store):
    reviewer = sign_in(app, "rev")
    response = reviewer.post(f"/claims/{path(store.plain_key)}/reviews", data={
        "rating": "False", "rationale": "Keep <this> text", "evidence": "javascript:alert(1)",
        "csrf_token": api_token(reviewer)})
    assert response.status_code == 400
    assert "Keep &lt;this&gt; text" in response.text and "<this>" not in response.text
    assert count(store, "review_revisions") == 0


def test_unknown_claims_are_404(app):
    editor = sign_in(app, "ed")
    assert editor.get(f"/api/reviews/{'0' * 64}/0").status_code == 404
    assert api_review(editor, desk.claim_key("0" * 64, 0)).status_code == 404


# -- ClaimReview, export, feed ----------------------------------------------------------------------


def publish_both(app, store):
    reviewer, editor = sign_in(app, "rev"), sign_in(app, "ed")
    api_review(reviewer, store.plain_key, {**REVIEW, "rating": "Mostly true"})
    api_review(reviewer, store.hostile_key, {"rating": "Not checkable", "rationale": "</script><script>alert(3)</script>",
                                             "evidence": ["https://evidence.example/?q=<b>&x=1"]})
    assert api_publish(editor, store.plain_key).status_code == 200
    assert api_publish(editor, store.hostile_key).status_code == 200
    return editor


def test_a_published_review_has_claimreview_json_ld_with_the_required_fields(app, store):
    publish_both(app, store)
    page = client(app).get(f"/claims/{path(store.plain_key)}")
    assert "script-src 'self'" in page.headers["content-security-policy"]  # inline scripts stay forbidden
    found = [text for attrs, text in scripts(page.text) if attrs.get("type") == "application/ld+json"]
    assert len(found) == 1
    data = json.loads(found[0])
    assert data["@context"] == "https://schema.org" and data["@type"] == "ClaimReview"
    assert data["claimReviewed"] == "convoy 7 carried mines"
    assert data["url"] == f"http://testserver/claims/{path(store.plain_key)}"
    assert data["datePublished"]
    assert data["author"]["@type"] == "Organization" and data["author"]["name"]
    item = data["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {"@type": "Person", "name": "Elman Mammadov"}
    assert item["appearance"]["@type"] == "CreativeWork" and item["appearance"]["url"] == "https://news.example/a"
    assert item["datePublished"] == item["appearance"]["datePublished"] == "2023-12-20"
    assert item["appearance"]["publisher"] == {"@type": "Organization", "name": "example.com"}
    rating = data["reviewRating"]
    assert rating == {"@type": "Rating", "ratingValue": 4, "bestRating": 5, "worstRating": 1, "alternateName": "Mostly true"}


@given(st.recursive(st.text() | st.integers() | st.none(),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                    max_leaves=12))
def test_json_for_script_has_nothing_html_could_read_and_means_the_same(data):
    text = json_for_script(data)
    assert not set(text) & {"<", ">", "&"}
    assert json.loads(text) == data


def test_hostile_claim_text_cannot_leave_the_json_ld(app, store):
    publish_both(app, store)
    page = client(app).get(f"/claims/{path(store.hostile_key)}").text
    found = scripts(page)
    # no script a browser would run: every script element is the JSON-LD or the desk's own file
    assert all(attrs.get("type") == "application/ld+json" or attrs.get("src", "").startswith("/static/") for attrs, _ in found)
    data = json.loads(next(text for attrs, text in found if attrs.get("type") == "application/ld+json"))
    assert data["claimReviewed"] == HOSTILE[len("that "):]  # the same text, intact, as data
    assert data["reviewBody"] == "</script><script>alert(3)</script>"
    assert data["itemReviewed"]["author"]["@type"] == "Organization"  # "The ministry" is no person
    assert data["reviewRating"]["alternateName"] == "Not checkable" and "ratingValue" not in data["reviewRating"]
    tags = parsed(page).tags
    assert not [(tag, attrs) for tag, attrs in tags if any(name.startswith("on") for name in attrs)]  # no handlers
    assert not [attrs for tag, attrs in tags if tag == "img"]  # the <img> in the text stayed text


def test_claimreview_jsonl_lists_the_published_reviews(app, store):
    editor = publish_both(app, store)
    response = client(app).get("/claimreview.jsonl")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/jsonl")
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert {line["@type"] for line in lines} == {"ClaimReview"}
    assert {line["reviewRating"]["alternateName"] for line in lines} == {"Mostly true", "Not checkable"}
    editor.post(f"/api/reviews/{path(store.plain_key)}/unpublish", headers={"X-CSRF-Token": api_token(editor)})
    lines = [json.loads(line) for line in client(app).get("/claimreview.jsonl").text.splitlines()]
    assert [line["reviewRating"]["alternateName"] for line in lines] == ["Not checkable"]


@pytest.mark.parametrize("kind", ["atom", "rss"])
def test_the_reviews_feed_parses_back(app, store, kind):
    publish_both(app, store)
    response = client(app).get(f"/feeds/reviews.{kind}")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version.startswith(kind)
    assert [e.link for e in feed.entries] == [f"http://testserver/claims/{path(store.hostile_key)}",
                                              f"http://testserver/claims/{path(store.plain_key)}"]
    assert feed.entries[1].title.startswith("Mostly true: Elman Mammadov: convoy 7 carried mines")
    assert "<script>" not in response.text  # the hostile text is escaped in the XML


def test_the_reviews_json_feed(app, store):
    publish_both(app, store)
    response = client(app).get("/feeds/reviews.json")
    assert response.headers["content-type"].startswith("application/feed+json")
    feed = response.json()
    assert feed["version"] == "https://jsonfeed.org/version/1.1" and feed["title"]
    assert [item["id"] for item in feed["items"]] == [f"http://testserver/claims/{path(store.hostile_key)}",
                                                      f"http://testserver/claims/{path(store.plain_key)}"]
    assert all(item["content_text"] and item["date_published"] for item in feed["items"])


def test_the_api_lists_published_reviews_publicly_and_drafts_to_the_desk(app, store):
    publish_both(app, store)
    reviewer = sign_in(app, "rev")
    api_review(reviewer, store.plain_key, {"rating": "Mixed", "rationale": "draft"})
    public = client(app).get("/api/reviews").json()["reviews"]
    assert [r["review"]["rating"] for r in public] == ["Not checkable", "Mostly true"]
    assert all("reviewer" not in r["review"] for r in public)
    assert client(app).get("/api/reviews?drafts=true").status_code == 401
    drafts = reviewer.get("/api/reviews?drafts=true").json()["reviews"]
    assert [(r["review"]["rating"], r["review"]["published"]) for r in drafts] == [("Mixed", False), ("Not checkable", True)]


# -- the command line -------------------------------------------------------------------------------


def test_user_add_makes_the_first_admin(tmp_path):
    db = str(tmp_path / "cli.db")
    runner = CliRunner()
    result = runner.invoke(cli, ["user", "add", "boss", "--role", "admin", "--password-stdin", "--db", db],
                           input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    again = runner.invoke(cli, ["user", "add", "boss", "--role", "reader", "--password-stdin", "--db", db],
                          input=PASSWORD + "\n")
    assert again.exit_code == 1
    assert runner.invoke(cli, ["user", "add", "x", "--role", "root", "--password-stdin", "--db", db],
                         input=PASSWORD + "\n").exit_code == 2
    assert runner.invoke(cli, ["user", "add", "y", "--password-stdin", "--db", db], input="short\n").exit_code == 2
    with Store(db) as opened:
        assert [(u.name, u.role) for u in desk.list_users(opened)] == [("boss", "admin")]
        sign_in(create_app(opened), "boss")


def test_the_news_line_shows_review_states(app, store):
    reviewer = sign_in(app, "rev")
    api_review(reviewer, store.hostile_key, {"rating": "Mixed", "rationale": "draft"})
    assert "draft" not in client(app).get("/").text.split("<main>")[1].lower()  # drafts stay inside the desk
    assert "1 draft" in reviewer.get("/").text
    publish_both(app, store)
    public = client(app).get("/").text
    # the news line shows each article's published verdicts, not a count of reviews
    assert '<span class="verdict rating-mostly-true">Mostly true</span>' in public
    assert '<span class="verdict rating-not-checkable">Not checkable</span>' in public


def test_user_password_and_role_from_the_command_line(app, store, tmp_path):
    db = store.url
    runner = CliRunner()
    rev = sign_in(app, "rev")
    new = "another long passphrase"
    result = runner.invoke(cli, ["user", "password", "rev", "--password-stdin", "--db", db], input=new + "\n")
    assert result.exit_code == 0, result.output
    assert rev.get("/api/me").json()["user"] is None  # the old session ended with the old password
    sign_in(app, "rev", password=new)
    assert runner.invoke(cli, ["user", "password", "nobody", "--password-stdin", "--db", db], input=new + "\n").exit_code == 1
    assert runner.invoke(cli, ["user", "role", "rev", "editor", "--db", db]).exit_code == 0
    assert runner.invoke(cli, ["user", "role", "rev", "root", "--db", db]).exit_code == 2
    assert {u.name: u.role for u in desk.list_users(store)}["rev"] == "editor"


def test_the_review_form_has_no_default_rating_and_keeps_a_browsers_paragraphs(app, store):
    """A reviewer who forgets the rating is stopped by the form, not given "True"; a CRLF
    rationale keeps its two paragraphs on the page, in the JSON-LD and in the feed; a claim's
    first review is "revision 1" even after other claims were reviewed."""
    reviewer, editor = sign_in(app, "rev"), sign_in(app, "ed")
    api_review(reviewer, store.hostile_key, {**REVIEW, "rating": "Mixed"})  # another claim first
    claim_page = f"/claims/{path(store.plain_key)}"
    page = reviewer.get(claim_page).text
    select_html = page[page.index('<select id="review-rating"'):page.index("</select>")]
    assert re.search(r'<option value="" selected disabled>Choose a rating</option>', select_html)
    assert select_html.count(" selected") == 1  # nothing else is preselected
    typed = "The log shows no convoy.\r\n\r\nThe photo is from 2019."
    answer = reviewer.post(claim_page + "/reviews", data={"rating": "False", "rationale": typed, "evidence": "",
                                                        "csrf_token": form_token(page)})
    assert answer.status_code == 303
    page = editor.get(claim_page).text
    assert "Publish revision 1</button>" in page
    assert editor.post(claim_page + "/publish", data={"revision": desk.history(store, store.plain_key).current.revision,
                                                      "csrf_token": form_token(page)}).status_code == 303
    public = client(app).get(claim_page).text
    assert "<p>The log shows no convoy.</p><p>The photo is from 2019.</p>" in public
    data = json.loads([text for attrs, text in scripts(public) if attrs.get("type") == "application/ld+json"][0])
    assert data["reviewBody"] == "The log shows no convoy.\n\nThe photo is from 2019."
    feed = client(app).get("/feeds/reviews.atom").text
    assert "&#13;" not in feed and "\r" not in feed
