"""Exports: `claimdesk export` and the desk's /export/ downloads of what the news line's
filters find, as CSV (a spreadsheet reads it as text, formulas included), JSON Lines and
W3C Web Annotations; claims a reviewer marked "not a claim" are in none of them."""

from __future__ import annotations

import csv
import io
import json

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, strategies as st
from sqlalchemy import update
from typer.testing import CliRunner

from claimdesk import cli
from claimdesk.clean import clean
from claimdesk.model import Claim, RawDocument, Span
from claimdesk.publish import export
from claimdesk.store import Store
from claimdesk.store import exports as store_exports
from claimdesk.store import reviews as desk
from claimdesk.store.queries import NewsFilters
from claimdesk.store.schema import claims as claim_table
from claimdesk.web import create_app, links
from test_store import _reset_postgresql

BASE = "https://desk.example"
LINKS = export.Links(base=BASE, article=links.article_url, claim=links.claim_url)
FILLER = "The council met in the old hall and read the minutes of the last session aloud. " * 3


def add(store: Store, n: int, said: list[tuple[str, str, str, float]], *, outlet: str, published: str | None,
        url: str | None = "auto") -> str:
    """An article whose claims are ``said``: (speaker, hedge, content, check-worthiness)."""
    sentences = [f"{speaker} said {content}." for speaker, _, content, _ in said]
    text = f"Story {n} from {outlet}\n\n{FILLER}{n}\n\n" + " ".join(sentences) + f" {FILLER}\n\n{FILLER}\n"
    claims, at = [], 0
    for (speaker, hedge, content, worth), sentence in zip(said, sentences):
        at = text.index(sentence, at)
        cue = at + len(speaker) + 1
        claims.append(Claim(source=Span(at, at + len(speaker)), speaker=speaker, cue=Span(cue, cue + 4),
                            content=Span(cue + 5, cue + 5 + len(content)), hedge=hedge, check_worthiness=worth))
        at += len(sentence)
    raw = RawDocument(text=text, outlet=outlet, published=published,
                      url=f"https://news.example/{n}" if url == "auto" else url)
    return store.add(clean(raw), line_keys=set(), claims=claims).id


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'export.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
        _reset_postgresql(url)
    with Store(url) as opened:
        yield opened


@pytest.fixture
def filled(store):
    """Three articles: a formula in a claim, a claim marked "not a claim", a published verdict."""
    ids = {
        "gazette": add(store, 1, [("Anna Brook", "claims", "that the bridge will reopen in May", 0.9),
                                  ("Tomas Weller", "denies", "=HYPERLINK(\"http://evil.example\",\"click\")", 0.2)],
                       outlet="Gazette", published="2024-05-01"),
        "herald": add(store, 2, [("Anna Brook", "alleges", "that the tender was rigged", 0.7),
                                 ("Piet Loos", "states", "that nothing was decided", 0.1)],
                      outlet="Herald", published="2024-04-01", url=None),
        "courier": add(store, 3, [("Mila Voss", "states", "that ferries run at night", 0.4)],
                       outlet="Courier", published="2024-03-01"),
    }
    with store.engine.begin() as connection:  # a reviewer marked Piet Loos's claim "not a claim"
        connection.execute(update(claim_table).where(claim_table.c.speaker == "Piet Loos").values(rejected_pk=1))
    desk.add_user(store, "ed", "x", "editor")
    key = desk.claim_key(ids["herald"], 0)
    desk.add_review(store, key, rating="False", rationale="The tender was open.", evidence=["https://log.example/1"],
                    reviewer="ed")
    desk.publish(store, key, editor="ed")
    return ids


def rows_of(text: str) -> list[dict]:
    assert text.startswith(export.BOM)
    return list(csv.DictReader(io.StringIO(text[len(export.BOM):])))


def claims_csv(store, **selection) -> str:
    records = store_exports.claims(store, store_exports.Selection(**selection))
    return "".join(export.lines("claims", "csv", records, LINKS))


# -- what is in an export -------------------------------------------------------------------------


def test_a_claims_csv_has_a_row_per_standing_claim_with_article_speaker_hedge_verdict_and_addresses(store, filled):
    rows = rows_of(claims_csv(store))
    assert list(rows[0]) == list(export.CLAIM_COLUMNS)
    # newest article first, claims in text order; Piet Loos's claim was marked "not a claim"
    assert [(r["outlet"], r["speaker"]) for r in rows] == [
        ("Gazette", "Anna Brook"), ("Gazette", "Tomas Weller"), ("Herald", "Anna Brook"), ("Courier", "Mila Voss")]
    herald = rows[2]
    assert herald["verdict"] == "False" and herald["hedge"] == "alleges" and herald["published"] == "2024-04-01"
    assert herald["claim"] == "that the tender was rigged"
    assert herald["article_url"] == ""  # ingested without an address
    assert herald["desk_claim_url"] == f"{BASE}/claims/{filled['herald']}/0"
    assert [r["verdict"] for r in rows if r is not herald] == ["", "", ""]
    assert rows[0]["article_url"] == "https://news.example/1" and rows[0]["check_worthiness"] == "0.9"


def test_a_cell_that_would_start_a_formula_starts_with_an_apostrophe(store, filled):
    weller = next(r for r in rows_of(claims_csv(store)) if r["speaker"] == "Tomas Weller")
    assert weller["claim"] == "'=HYPERLINK(\"http://evil.example\",\"click\")"


@given(st.text(max_size=30))
def test_no_cell_starts_a_formula(text):
    cell = export.spreadsheet_safe(text)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert cell in (text, "'" + text)


def test_jsonl_holds_the_same_claims_with_the_text_as_it_is(store, filled):
    records = store_exports.claims(store, store_exports.Selection())
    lines = list(export.lines("claims", "jsonl", records, LINKS))
    rows = [json.loads(line) for line in lines]
    assert len(rows) == len(rows_of(claims_csv(store)))
    weller = next(r for r in rows if r["speaker"] == "Tomas Weller")
    assert weller["claim"].startswith("=HYPERLINK") and weller["negated"] is False
    assert all(line.endswith("\n") and line.count("\n") == 1 for line in lines)


@pytest.mark.parametrize("filters, query, speakers", [
    (NewsFilters(outlet="Herald"), None, ["Anna Brook"]),
    (NewsFilters(speaker="Brook"), None, ["Anna Brook", "Anna Brook"]),
    (NewsFilters(hedge="states"), None, ["Mila Voss"]),
    (NewsFilters(verdict="False"), None, ["Anna Brook"]),
    (NewsFilters(since="2024-04"), None, ["Anna Brook", "Tomas Weller", "Anna Brook"]),
    (NewsFilters(until="2024-03"), None, ["Mila Voss"]),
    (NewsFilters(), "ferries", ["Mila Voss"]),
    (NewsFilters(), "!!!", []),
])
def test_an_export_holds_what_the_filters_find(store, filled, filters, query, speakers):
    rows = rows_of(claims_csv(store, filters=filters, query=query))
    assert sorted(r["speaker"] for r in rows) == sorted(speakers)


def test_reviews_export_has_the_published_review_only(store, filled):
    records = store_exports.reviews(store, store_exports.Selection())
    rows = rows_of("".join(export.lines("reviews", "csv", records, LINKS)))
    assert [(r["speaker"], r["verdict"], r["rationale"], r["evidence"]) for r in rows] == [
        ("Anna Brook", "False", "The tender was open.", "https://log.example/1")]
    assert "ed" not in rows[0].values()  # no account names


def test_articles_export_counts_standing_claims(store, filled):
    records = store_exports.articles(store, store_exports.Selection())
    rows = [json.loads(line) for line in export.lines("articles", "jsonl", records, LINKS)]
    assert [(r["outlet"], r["claims"]) for r in rows] == [("Gazette", 2), ("Herald", 1), ("Courier", 1)]


def test_batches_read_after_the_last_article_give_every_claim_once_in_order(store, monkeypatch):
    """Keyset batches: articles of the same date and ingest second are neither skipped nor repeated."""
    for n in range(7):
        add(store, n, [(f"Speaker {n}", "states", f"that item {n} holds", 0.5)], outlet="Same", published="2024-01-01")
    whole = [(c.article.id, c.seq) for c in store_exports.claims(store)]
    monkeypatch.setattr(store_exports, "BATCH", 2)
    batched = [(c.article.id, c.seq) for c in store_exports.claims(store)]
    assert batched == whole and len(set(whole)) == 7
    assert len(list(store_exports.claims(store, store_exports.Selection(limit=3)))) == 3


# -- Web Annotation -------------------------------------------------------------------------------


def test_web_annotations_quote_the_claim_on_the_article_address(store, filled):
    records = store_exports.claims(store, store_exports.Selection())
    document = json.loads("".join(export.lines("claims", "jsonld", records, LINKS)))
    assert document["@context"] == "http://www.w3.org/ns/anno.jsonld" and document["type"] == "AnnotationCollection"
    items = document["first"]["items"]
    assert len(items) == 4 and all(a["type"] == "Annotation" for a in items)
    brook = items[0]
    text = store.get(filled["gazette"]).article.raw.text
    selector = brook["target"]["selector"]
    exact = "that the bridge will reopen in May"
    at = text.index(exact)
    assert brook["target"]["source"] == "https://news.example/1"
    assert selector == {"type": "TextQuoteSelector", "exact": exact, "prefix": text[at - 32:at],
                        "suffix": text[at + len(exact):at + len(exact) + 32]}
    values = [b.get("value") for b in brook["body"]]
    assert "speaker: Anna Brook" in values and "hedge: claims" in values
    herald = items[2]  # no web address: the desk's page of the article; its published verdict
    assert herald["target"]["source"] == f"{BASE}/articles/{filled['herald']}"
    assert {"type": "TextualBody", "purpose": "assessing", "value": "verdict: False"} in herald["body"]


def test_web_annotations_are_of_claims_only():
    with pytest.raises(ValueError, match="claims only"):
        export.lines("reviews", "jsonld", iter(()), LINKS)


# -- the command and the downloads ------------------------------------------------------------------


def test_the_command_writes_the_export_for_its_filters(store, filled, tmp_path):
    out = tmp_path / "claims.csv"
    db = str(store.engine.url)
    result = CliRunner().invoke(cli.app, ["export", "claims", "--format", "csv", "--outlet", "Gazette", "-o", str(out),
                                          "--db", db])
    assert result.exit_code == 0, result.output
    rows = rows_of(out.read_text(encoding="utf-8"))
    assert [r["speaker"] for r in rows] == ["Anna Brook", "Tomas Weller"]
    bad = CliRunner().invoke(cli.app, ["export", "claims", "--since", "2024-13", "--db", db])
    assert bad.exit_code == 2 and "not a real date" in bad.output
    refused = CliRunner().invoke(cli.app, ["export", "articles", "--format", "jsonld", "--db", db])
    assert refused.exit_code == 2 and "claims only" in refused.output


def test_the_desk_downloads_the_same_rows_for_the_news_line_filters(store, filled, tmp_path):
    client = TestClient(create_app(store, base_url=BASE))
    response = client.get("/export/claims.csv", params={"speaker": "Brook", "outlet": "Gazette"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"].startswith('attachment; filename="claimdesk-claims-')
    assert response.text == claims_csv(store, filters=NewsFilters(speaker="Brook", outlet="Gazette"))
    assert [r["speaker"] for r in rows_of(response.text)] == ["Anna Brook"]
    annotations = client.get("/export/claims.jsonld", params={"outlet": "Courier"}).json()
    assert [a["target"]["selector"]["exact"] for a in annotations["first"]["items"]] == ["that ferries run at night"]
    assert client.get("/export/reviews.jsonld").status_code == 404
    assert client.get("/export/claims.xlsx").status_code == 404
    assert client.get("/export/claims.csv", params={"until": "2024-02-30"}).status_code == 422
