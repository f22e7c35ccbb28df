"""claimdesk load without Spark: the rows of a record hold its whole Analysis, and a folder
that is not a run (or comes from a newer contract) is refused with a reason."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from claimdesk.cli import app
from claimdesk.model import (
    Analysis,
    Article,
    Claim,
    DateMention,
    Entity,
    HeadlineCheck,
    HeadlineReason,
    Language,
    RawDocument,
    Removed,
    Span,
)
from claimdesk.spark import schema

TEXT = "Menu\nTalks resume, minister says\nElman Mammadov said on Tuesday the talks would resume, tweeting it.\nShare this"


def at(part: str, nth: int = 0) -> Span:
    start = TEXT.index(part) if not nth else TEXT.index(part, TEXT.index(part) + 1)
    return Span(start, start + len(part))


def _analysis() -> Analysis:
    raw = RawDocument(TEXT, path="a.warc.gz", url="https://x.example/1", format="warc", outlet="X", title="Talks",
                      published="2024-03-05", fetched="2024-03-06T00:00:00Z", author="A. Writer", language="en",
                      scope="X", extracted=True)
    body = at("Elman Mammadov said on Tuesday the talks would resume, tweeting it.")
    removed = at("Share this")
    article = Article(raw, at("Talks resume, minister says"), [body],
                      [Removed(0, 4, "site-chrome", "recurs in 3 of 3 documents of X"),
                       Removed(removed.start, removed.end, "site-chrome", "a prompt to share the page")],
                      Language("en", 0.99))
    claim = Claim(source=at("Elman Mammadov"), speaker="Elman Mammadov", cue=at("said"),
                  content=at("the talks would resume"), hedge="asserted", medium=at("tweeting"), negated=False,
                  speaker_type="person", target=None, confidence=0.81)
    check = HeadlineCheck("fits", "agree", 0.9, (HeadlineReason("missing-entity", "why", (at("Talks"), at("Elman"))),))
    return Analysis(article, entities=[Entity(at("Elman Mammadov"), "PERSON", "Elman Mammadov", "minister")], claims=[claim],
                    dates=[DateMention(at("Tuesday"), "2024-03-05", "DATE", None),
                           DateMention(at("Tuesday"), "XXXX-03-05", "DATE", "2024")],
                    headline=check, analysed_end=None)


def test_a_record_row_holds_the_analysis_load_stores():
    analysis = _analysis()
    doc = analysis.article.raw
    base = schema.document_row(doc, {"warc_file": "a.warc.gz", "record_offset": 10, "warc_date": "2024-03-06T00:00:00Z"},
                               (0, 3), {"k1", "k2"})
    row = schema.record_row(base, analysis)
    assert (row["month"], row["lang"], row["line_keys"]) == ("2024-03", "en", ["k1", "k2"])
    assert row["claims"][0]["content_text"] == "the talks would resume" and row["entities"][0]["text"] == "Elman Mammadov"
    back = schema.analysis_from_rows(row, row["removed"], row["claims"], row["entities"], row["dates"], row["headline"])
    assert back.article.raw == doc
    assert (back.article.title, back.article.body, back.article.removed, back.article.language) == (
        analysis.article.title, analysis.article.body, analysis.article.removed, analysis.article.language)
    assert (back.claims, back.entities, back.dates, back.headline, back.analysed_end) == (
        analysis.claims, analysis.entities, analysis.dates, analysis.headline, analysis.analysed_end)


def test_a_month_comes_from_the_publication_date_else_the_warc_date():
    assert schema.month_of("2024-03-05", "2025-01-01") == "2024-03"
    assert schema.month_of(None, "2025-01-01T00:00:00Z") == "2025-01"
    assert schema.month_of("March 2024", "2024-13-01") == "unknown"


def test_load_refuses_a_folder_that_is_not_a_run(tmp_path):
    done = CliRunner().invoke(app, ["load", str(tmp_path), "--db", str(tmp_path / "x.db")])
    assert done.exit_code == 1
    assert "not the OUTPUT of 'claimdesk spark analyze'" in done.output
    assert not (tmp_path / "x.db").exists()  # refused before a store is made


def test_load_refuses_a_run_of_a_newer_contract(tmp_path):
    (tmp_path / "articles").mkdir()
    (tmp_path / "_run.json").write_text(json.dumps({"schema": 99}))
    from claimdesk.spark.load import NotARun, check_run

    with pytest.raises(NotARun, match="schema 99"):
        check_run(str(tmp_path))
