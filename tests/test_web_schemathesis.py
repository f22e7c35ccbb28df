"""The desk's API as schemathesis sees it: every operation of /api/openapi.json called
with values generated from its own schema (boundary values, huge numbers, odd strings,
bodies of every shape), anonymously and as a signed-in editor with its CSRF token. No
answer may be a server error. A bounded number of examples per operation keeps the file
to a minute or two on two cores; a failure prints the request that reproduces it.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest
import schemathesis
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from test_store import make_article, prose
from test_store_claims import find

from claimdesk import accounts
from claimdesk.model import Claim, DateMention, Entity
from claimdesk.store import Store
from claimdesk.store import reviews as desk
from claimdesk.web import create_app

PASSWORD = "a long enough passphrase"
EXAMPLES = int(os.environ.get("CLAIMDESK_SCHEMATHESIS_EXAMPLES", "25"))  # per operation and identity (more for a deeper local run)
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                    suppress_health_check=list(HealthCheck))


# The schema is read at import (schemathesis makes one test per operation when pytest
# collects the file; its fixture-based loading does not run on pytest 9), so the app and
# its store exist from then on; the store is filled by the ``app`` fixture.
_FOLDER = tempfile.TemporaryDirectory(prefix="claimdesk-schemathesis-")
_STORE = Store(str(Path(_FOLDER.name) / "desk.db"))
APP = create_app(_STORE, base_url="https://desk.example")
# valid values and invalid ones (out of range, wrong type, malformed bodies), at and
# beyond every bound the schema states; "not_a_server_error" is the check that must hold
CONFIG = schemathesis.config.SchemathesisConfig.from_dict(
    {"generation": {"mode": "all", "max-examples": EXAMPLES}, "phases": {"coverage": {"enabled": True}}})
schema = schemathesis.openapi.from_asgi("/api/openapi.json", APP, config=CONFIG)


@pytest.fixture(scope="module", autouse=True)
def app():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        article = make_article("Convoy claims", [
            "Elman Mammadov claimed on May 5 that convoy 7 carried mines, Turan reported. " + prose(3)],
            url="https://news.example/a", published="2023-12-20")
        _STORE.add(article, line_keys=set(), claims=[
            Claim(source=find(article, "Elman Mammadov"), speaker="Elman Mammadov", cue=find(article, "claimed"),
                  content=find(article, "that convoy 7 carried mines"), hedge="claims", medium=find(article, "Turan"))],
            entities=[Entity(find(article, "Elman Mammadov"), "PERSON", "Elman Mammadov", role="deputy")],
            dates=[DateMention(find(article, "May 5"), "2023-05-05")])
        desk.add_user(_STORE, "ed", accounts.hash_password(PASSWORD), "editor")
        key = desk.claim_key(article.raw.id, 0)
        desk.add_review(_STORE, key, rating="False", rationale="no convoy", evidence=["https://log.example/7"],
                        reviewer="ed")
        desk.publish(_STORE, key, editor="ed")
        try:
            yield APP
        finally:
            _STORE.close()
            _FOLDER.cleanup()


@pytest.fixture(scope="module")
def editor(app) -> dict[str, str]:
    """The headers of a signed-in editor's API calls: the session cookie and its CSRF token."""
    browser = TestClient(app, follow_redirects=False)
    token = re.search(r'name="csrf_token" value="([^"]*)"', browser.get("/signin").text).group(1)
    signed_in = browser.post("/signin", data={"name": "ed", "password": PASSWORD, "csrf_token": token})
    assert signed_in.status_code == 303
    session = browser.cookies.get("claimdesk_session")
    return {"Cookie": f"claimdesk_session={session}", "X-CSRF-Token": browser.get("/api/me").json()["csrf_token"]}


@schema.parametrize()
@SETTINGS
def test_no_operation_answers_a_stranger_with_a_server_error(case):
    case.call_and_validate(checks=[not_a_server_error])


@schema.include(path_regex=r"^/api/").parametrize()
@SETTINGS
def test_no_api_operation_answers_a_signed_in_editor_with_a_server_error(case, editor):
    case.call_and_validate(headers=editor, checks=[not_a_server_error])


def test_the_editor_headers_are_a_live_session(app, editor):
    """The signed-in run above is signed in (a stale cookie would test the anonymous paths twice)."""
    me = TestClient(app).get("/api/me", headers=editor).json()
    assert me["user"] == "ed" and me["csrf_token"] == editor["X-CSRF-Token"]
