"""The review desk in the store, on SQLite and PostgreSQL: users, sessions, sign-in
attempts, append-only review history, publication (fixtures from test_store.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from test_store import count, db_url, store  # noqa: F401  (fixtures)
from test_store_claims import said

from claimdesk import accounts
from claimdesk.model import RATINGS
from claimdesk.store import Store, reviews


@pytest.fixture
def desk(store):
    """A store with one article of three claims, and one user of each role."""
    article, claims, entities = said("Convoy claims", ["Elman Mammadov", None, "Armenian officials"], seed=11,
                                     url="https://news.example/convoy", published="2023-12-20")
    # a group is an organisation to ClaimReview, not a person
    entities = [replace(e, label="ORG") if e.canonical == "Armenian officials" else e for e in entities]
    store.add(article, line_keys=set(), claims=claims, entities=entities)
    cheap = "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$1bbGCHGNaAgqK7xDEFsYmg"  # not checked here
    for name, role in (("rita", "reader"), ("rev", "reviewer"), ("rev2", "reviewer"), ("ed", "editor")):
        reviews.add_user(store, name, cheap, role)
    store.doc_id = article.raw.id
    return store


def key(store, seq=0):
    return reviews.claim_key(store.doc_id, seq)


def test_claim_keys_round_trip_and_reject_what_is_not_one(desk):
    assert reviews.parse_claim_key(key(desk, 2)) == (desk.doc_id, 2)
    for bad in ("", "abc:1", desk.doc_id, f"{desk.doc_id}:x", f"{desk.doc_id}:1; drop table users", f"{desk.doc_id}:-1"):
        with pytest.raises(reviews.UnknownClaim):
            reviews.parse_claim_key(bad)
    with pytest.raises(reviews.UnknownClaim):
        reviews.history(desk, reviews.claim_key(desk.doc_id, 3))  # the article has claims 0..2
    with pytest.raises(reviews.UnknownClaim):
        reviews.add_review(desk, reviews.claim_key("0" * 64, 0), rating="False", rationale="", reviewer="rev")


def test_every_edit_is_a_new_revision_and_nothing_is_overwritten(desk):
    k = key(desk)
    assert reviews.history(desk, k).revisions == []
    first = reviews.add_review(desk, k, rating="Unproven", rationale="No source yet.",
                               evidence=["https://a.example/report"], reviewer="rev")
    second = reviews.add_review(desk, k, rating="False", rationale="The ministry's log shows no convoy.",
                                evidence=["https://a.example/report", "http://b.example/log?id=1"],
                                reviewer="rev2", based_on=first.revision)
    assert second.revision > first.revision
    assert count(desk, "review_revisions") == 2
    kept = reviews.history(desk, k)
    assert [(r.rating, r.reviewer, r.rationale) for r in kept.revisions] == [
        ("Unproven", "rev", "No source yet."),
        ("False", "rev2", "The ministry's log shows no convoy."),
    ]
    assert kept.revisions[0].evidence == ("https://a.example/report",)
    assert kept.revisions[1].evidence == ("https://a.example/report", "http://b.example/log?id=1")
    assert kept.current == kept.revisions[1]
    assert all(r.at and datetime.fromisoformat(r.at).tzinfo is not None for r in kept.revisions)
    # other claims of the same article are untouched
    assert reviews.history(desk, key(desk, 1)).revisions == []


def test_an_edit_based_on_a_stale_revision_is_refused(desk):
    k = key(desk)
    first = reviews.add_review(desk, k, rating="Mixed", rationale="a", reviewer="rev")
    reviews.add_review(desk, k, rating="False", rationale="b", reviewer="rev2", based_on=first.revision)
    with pytest.raises(reviews.ReviewConflict):
        reviews.add_review(desk, k, rating="True", rationale="c", reviewer="rev", based_on=first.revision)
    assert [r.rating for r in reviews.history(desk, k).revisions] == ["Mixed", "False"]


@pytest.mark.parametrize("bad", [
    {"rating": "Pants on fire"},
    {"rating": "false"},
    {"evidence": ["javascript:alert(1)"]},
    {"evidence": ["data:text/html,<script>alert(1)</script>"]},
    {"evidence": ["//no-scheme.example/x"]},
    {"evidence": ["https://user:secret@example.org/"]},
    {"evidence": ["https://exa mple.org/"]},
    {"evidence": ["https:///no-host"]},
    {"evidence": ["https://example.org/\nSet-Cookie: x"]},
    {"evidence": [f"https://example.org/{i}" for i in range(reviews.MAX_EVIDENCE + 1)]},
    {"rationale": "x" * (reviews.MAX_RATIONALE + 1)},
])
def test_invalid_reviews_are_refused_and_leave_nothing(desk, bad):
    fields = {"rating": "False", "rationale": "fine", "evidence": ["https://ok.example/"], **bad}
    with pytest.raises(reviews.InvalidReview):
        reviews.add_review(desk, key(desk), reviewer="rev", **fields)
    assert count(desk, "review_revisions") == 0


def test_the_scale_is_fixed():
    assert RATINGS == ("True", "Mostly true", "Mixed", "Misleading", "False", "Unproven", "Not checkable")


def test_publishing_pins_the_revision_the_editor_read(desk):
    k = key(desk)
    with pytest.raises(reviews.ReviewConflict):
        reviews.publish(desk, k, editor="ed")  # nothing to publish yet
    first = reviews.add_review(desk, k, rating="Misleading", rationale="Out of context.", reviewer="rev")
    shown = reviews.publish(desk, k, editor="ed", revision=first.revision)
    assert shown.published and shown.published_by == "ed" and shown.revision == first.revision
    assert reviews.publish(desk, k, editor="ed").revision == first.revision  # again: nothing new recorded
    assert count(desk, "review_publications") == 1

    draft = reviews.add_review(desk, k, rating="False", rationale="Now disproved.", reviewer="rev", based_on=first.revision)
    kept = reviews.history(desk, k)
    assert kept.current.revision == draft.revision and not kept.current.published
    assert kept.published.revision == first.revision  # the public still sees what the editor published
    assert [r.review.rating for r in reviews.published_reviews(desk)] == ["Misleading"]
    with pytest.raises(reviews.ReviewConflict):
        reviews.publish(desk, k, editor="ed", revision=first.revision)  # no longer current

    reviews.publish(desk, k, editor="ed", revision=draft.revision)
    assert reviews.published_review(desk, k).review.rating == "False"
    assert reviews.unpublish(desk, k, editor="ed").action == "unpublished"
    assert reviews.unpublish(desk, k, editor="ed") is None  # not published: nothing recorded
    assert reviews.published_review(desk, k) is None
    assert reviews.published_reviews(desk) == []
    events = reviews.history(desk, k).events
    assert [(e.action, e.revision, e.editor) for e in events] == [
        ("published", first.revision, "ed"), ("published", draft.revision, "ed"), ("unpublished", None, "ed"),
    ]
    assert count(desk, "review_revisions") == 2  # publishing never touched a revision


def test_published_reviews_carry_their_claim_and_article(desk):
    for seq, rating in ((0, "False"), (2, "Mostly true")):
        reviews.add_review(desk, key(desk, seq), rating=rating, rationale=f"r{seq}", reviewer="rev")
    reviews.add_review(desk, key(desk, 1), rating="Mixed", rationale="draft only", reviewer="rev")
    reviews.publish(desk, key(desk, 0), editor="ed")
    reviews.publish(desk, key(desk, 2), editor="ed")
    public = reviews.published_reviews(desk)
    assert [p.seq for p in public] == [2, 0]  # latest publication first
    mammadov = public[1]
    assert mammadov.claim == "that convoy 11-0 carried mines"
    assert (mammadov.speaker, mammadov.speaker_label) == ("Elman Mammadov", "PERSON")
    assert (mammadov.title, mammadov.url, mammadov.published) == ("Convoy claims", "https://news.example/convoy", "2023-12-20")
    assert mammadov.review.published and mammadov.review.claim == key(desk, 0)
    assert public[0].speaker_label == "ORG"
    assert reviews.published_reviews(desk, limit=1, offset=1) == [mammadov]
    assert [c.seq for c in reviews.current_reviews(desk)] == [1, 2, 0]  # drafts too, latest edit first
    assert reviews.review_states(desk, [desk.doc_id, "f" * 64]) == {desk.doc_id: {0: "published", 1: "draft", 2: "published"}}


def test_users_are_unique_and_roles_change_ends_sessions(desk):
    with pytest.raises(reviews.UserExists):
        reviews.add_user(desk, "rev", "x", "admin")
    assert [u.name for u in reviews.list_users(desk)] == ["ed", "rev", "rev2", "rita"]
    reviews.create_session(desk, "rita", "h" * 64, timedelta(hours=1))
    assert reviews.session_user(desk, "h" * 64).role == "reader"
    assert reviews.set_role(desk, "rita", "reviewer").role == "reviewer"
    assert reviews.session_user(desk, "h" * 64) is None  # signed out: the old role cannot linger


def test_sessions_expire_and_end(desk):
    now = datetime(2030, 1, 1, tzinfo=timezone.utc)
    reviews.create_session(desk, "ed", "a" * 64, timedelta(hours=1), now=now)
    reviews.create_session(desk, "ed", "b" * 64, timedelta(hours=1), now=now)
    assert reviews.session_user(desk, "a" * 64, now=now + timedelta(minutes=59)).name == "ed"
    assert reviews.session_user(desk, "a" * 64, now=now + timedelta(hours=1)) is None
    assert reviews.session_user(desk, "c" * 64, now=now) is None
    reviews.end_session(desk, "a" * 64)
    assert reviews.session_user(desk, "a" * 64, now=now) is None
    assert reviews.session_user(desk, "b" * 64, now=now).name == "ed"
    reviews.create_session(desk, "ed", "d" * 64, timedelta(hours=1), now=now + timedelta(hours=2))
    assert count(desk, "sessions") == 1  # the expired one was cleared on the way


def test_failed_signins_are_counted_per_name_and_per_address(desk):
    now = datetime.now(timezone.utc)
    for i in range(3):
        reviews.record_signin(desk, "ed", "10.0.0.1", False, now=now - timedelta(seconds=i))
    reviews.record_signin(desk, "rev", "10.0.0.1", False, now=now)
    reviews.record_signin(desk, "ed", "10.0.0.2", True, now=now)
    reviews.record_signin(desk, "ed", "10.0.0.3", False, now=now - timedelta(minutes=5))
    since = now - timedelta(minutes=1)
    assert reviews.failed_signins(desk, "ed", "10.0.0.1", since) == (3, 4)
    assert reviews.failed_signins(desk, "ed", "10.0.0.9", since) == (3, 0)
    assert reviews.failed_signins(desk, "nobody", "10.0.0.2", since) == (0, 0)
    reviews.record_signin(desk, "x", "y", False, now=now + timedelta(days=2))
    assert count(desk, "signin_attempts") == 1  # old attempts are not kept forever


def test_the_review_tables_are_append_only_in_the_schema(desk):
    """Reviews survive: no cascade from claims, and deleting a reviewed article's claims fails."""
    reviews.add_review(desk, key(desk), rating="False", rationale="", reviewer="rev")
    with pytest.raises(IntegrityError), desk.engine.begin() as connection:
        connection.execute(text("DELETE FROM claims"))
    assert count(desk, "review_revisions") == 1


def test_passwords_are_argon2id_and_checked():
    hashed = accounts.hash_password("correct horse battery")
    assert hashed.startswith("$argon2id$") and "correct" not in hashed
    assert accounts.verify_password(hashed, "correct horse battery")
    assert not accounts.verify_password(hashed, "correct horse batterY")
    assert not accounts.verify_password(None, "correct horse battery")
    assert not accounts.verify_password("not a hash", "x")
    with pytest.raises(ValueError):
        accounts.hash_password("short")
    assert accounts.normal_name("  ana\u0301  ") == "an\u00e1"
    for bad in ("", "two words", "zero\u200bwidth", "x" * 65, "tab\there"):
        with pytest.raises(ValueError):
            accounts.normal_name(bad)
    with pytest.raises(ValueError):
        accounts.check_role("root")


def test_a_fresh_store_has_the_review_tables(db_url):
    with Store(db_url) as opened:
        for table in ("users", "sessions", "signin_attempts", "review_revisions", "review_publications"):
            assert count(opened, table) == 0


def test_revision_numbers_count_per_claim_not_across_the_store(desk):
    """The desk says "revision 1" for a claim's first review, however many other claims were reviewed."""
    for seq in (1, 2):
        reviews.add_review(desk, key(desk, seq), rating="Mixed", rationale="x", reviewer="rev")
    first = reviews.add_review(desk, key(desk), rating="Unproven", rationale="a", reviewer="rev")
    assert first.revision > 2 and first.number == 1
    second = reviews.add_review(desk, key(desk), rating="False", rationale="b", reviewer="rev", based_on=first.revision)
    assert second.number == 2
    assert [r.number for r in reviews.history(desk, key(desk)).revisions] == [1, 2]
    assert reviews.publish(desk, key(desk), editor="ed").number == 2
    assert reviews.published_review(desk, key(desk)).review.number == 2


def test_a_rationale_typed_in_a_browser_keeps_its_paragraphs_without_carriage_returns(desk):
    typed = "The ministry's log shows no convoy.  \r\n\r\n\r\nThe photo is from 2019.\r\nSee the archive.\r"
    kept = reviews.add_review(desk, key(desk), rating="False", rationale=typed, reviewer="rev")
    assert kept.rationale == "The ministry's log shows no convoy.\n\nThe photo is from 2019.\nSee the archive."
    assert "\r" not in reviews.history(desk, key(desk)).current.rationale
    assert kept.rationale.split("\n\n") == ["The ministry's log shows no convoy.", "The photo is from 2019.\nSee the archive."]
