"""The claimdesk command end to end, as a user runs it: real files in, the real store."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from typer.testing import CliRunner

from claimdesk import pipeline
from claimdesk.cli import app
from claimdesk.store import Store

runner = CliRunner()

P1 = "The council voted on Monday to close the old bridge to heavy traffic after engineers found cracks in two of its piers."
P2 = "Engineers said the repairs would take at least six months and cost the city about four million euros in total."


def invoke(*args: str, db: Path | None = None, input: bytes | None = None):
    argv = list(args) + (["--db", str(db)] if db else [])
    return runner.invoke(app, argv, input=input, catch_exceptions=False)


def story(n: int, banner: str = "") -> str:
    """A story of its own; ``banner`` is a line an outlet sets into every page."""
    return (f"Bridge story number {n}\n"
            f"On day {n} the council met for the {n}th time to discuss the bridge and what to do with it.\n"
            f"{banner}\n"
            f"Engineer number {n} said that the piers had been inspected {n} times since the spring floods.\n"
            f"Residents of district {n} asked for a ferry while the bridge stays closed, the mayor's office said.\n")


def stored(db: Path) -> Store:
    return Store(f"sqlite:///{db}")


def test_ingest_a_folder_with_bad_files_stores_the_good_ones_and_names_the_bad(tmp_path):
    pages = tmp_path / "pages"
    (pages / "deep").mkdir(parents=True)
    (pages / "one.txt").write_text(story(1))
    (pages / "deep" / "two.txt").write_text(story(2))
    (pages / "empty.txt").write_bytes(b"")
    (pages / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    db = tmp_path / "c.db"
    result = invoke("ingest", str(pages), db=db)
    assert result.exit_code == 1
    assert "empty.txt" in result.output and "image.txt" in result.output
    with stored(db) as store:
        stats = store.stats()
        assert stats["documents"] == 2
        assert stats["errors"] == 2
        assert {e.input for e in store.errors()} == {str(pages / "empty.txt"), str(pages / "image.txt")}


def test_ingest_twice_stores_once_and_exits_zero(tmp_path):
    (tmp_path / "a.txt").write_text(story(1))
    db = tmp_path / "c.db"
    assert invoke("ingest", str(tmp_path / "a.txt"), db=db).exit_code == 0
    again = invoke("ingest", str(tmp_path / "a.txt"), db=db)
    assert again.exit_code == 0
    assert "1 document: 0 new, 1 already stored" in again.output
    with stored(db) as store:
        assert store.stats()["documents"] == 1


def test_a_changed_page_at_the_same_url_is_a_new_version(tmp_path):
    first = {"url": "https://example.org/bridge", "title": "Bridge closed", "text": P1}
    second = dict(first, text=P1 + " " + P2)
    db = tmp_path / "c.db"
    (tmp_path / "v1.jsonl").write_text(json.dumps(first) + "\n")
    (tmp_path / "v2.jsonl").write_text(json.dumps(second) + "\n")
    invoke("ingest", str(tmp_path / "v1.jsonl"), db=db)
    result = invoke("ingest", str(tmp_path / "v2.jsonl"), db=db)
    assert "1 new version," in result.output
    with stored(db) as store:
        latest = store.get(hashlib.sha256(("Bridge closed\n\n" + P1 + " " + P2).encode()).hexdigest())
        assert latest is not None and latest.version == 2 and len(latest.versions) == 2


def test_a_known_outlet_is_cleaned_better_than_a_first_page(tmp_path):
    banner = "Herald live: roads and rail"
    outlet = tmp_path / "herald"
    outlet.mkdir()
    db = tmp_path / "c.db"
    lone = tmp_path / "lone"
    lone.mkdir()
    (lone / "s9.txt").write_text(story(9, banner))
    first_page = json.loads(invoke("analyze", "--json", str(lone / "s9.txt"), db=db).output)
    body = [first_page["text"][b["start"]:b["end"]] for b in first_page["body"]]
    assert banner in body  # a first page alone gives no evidence that the line is chrome

    for n in range(3):
        (outlet / f"s{n}.txt").write_text(story(n, banner))
    assert invoke("ingest", str(outlet), db=db).exit_code == 0
    (outlet / "s9.txt").write_text(story(9, banner))
    later = json.loads(invoke("analyze", "--json", str(outlet / "s9.txt"), db=db).output)
    body = [later["text"][b["start"]:b["end"]] for b in later["body"]]
    assert banner not in body
    reasons = [(later["text"][r["start"]:r["end"]], r["reason"], r["detail"]) for r in later["removed"]]
    assert (banner, "site-chrome", f"recurs in 4 of 4 documents of {outlet}") in reasons


def test_analyze_json_follows_the_contract(tmp_path, sample_text):
    path = tmp_path / "page.txt"
    path.write_text(sample_text)
    result = invoke("analyze", "--json", str(path), db=tmp_path / "none.db")
    assert result.exit_code == 0
    (line,) = result.output.splitlines()
    doc = json.loads(line)
    assert doc["schema"] == 1
    assert doc["id"] == hashlib.sha256(sample_text.encode()).hexdigest()
    assert doc["text"] == sample_text
    assert doc["source"]["path"] == str(path) and doc["source"]["format"] == "text"
    assert sample_text[doc["title"]["start"]:doc["title"]["end"]] == doc["title"]["text"]
    assert [r["reason"] for r in doc["removed"]] == ["duplicate-title"] + ["site-chrome"] * 4
    assert len(doc["body"]) == 8
    assert not (tmp_path / "none.db").exists()  # analyze stores nothing
    for claim in doc["claims"]:
        for role in ("cue", "content", "source", "medium"):
            if claim[role] is not None:
                assert sample_text[claim[role]["start"]:claim[role]["end"]] == claim[role]["text"]
    by = {(c["speaker"], c["hedge"]) for c in doc["claims"]}
    assert ("Sergei Shoigu", "states") in by and ("Azer Gasimli", "doubts") in by
    persons = {e["canonical"]: e["role"] for e in doc["entities"] if e["label"] == "PERSON"}
    assert persons["Azer Gasimli"] == "head of the Institute of Political Management"
    dates = {d["text"]: d for d in doc["dates"]}
    assert dates["December 19"]["value"] == "XXXX-12-19" and dates["December 19"]["earliest"] == "2021"
    headline = doc["headline"]
    assert headline["verdict"] == "does-not-fit"
    assert any("2016" in reason for reason in headline["reasons"])
    assert any("conference call" in reason and "collegial meeting" in reason for reason in headline["reasons"])
    for evidence in headline["evidence"]:
        for span in evidence["spans"]:
            assert sample_text[span["start"]:span["end"]] == span["text"]


def test_ingest_stores_dates_and_the_headline_check_and_show_reads_them_back(tmp_path):
    page = tmp_path / "varna.txt"
    page.write_text("Storm closes the port of Varna for two days\n\n"
                    "A storm closed the port of Varna for two days this week, port director Ivan Petrov said on "
                    "Friday. Ships waited outside the harbour until the wind dropped on March 3, 2025, Petrov said.\n")
    db = tmp_path / "v.db"
    assert invoke("ingest", str(page), db=db).exit_code == 0
    with Store(f"sqlite:///{db}") as store:
        stored = store.get(hashlib.sha256(page.read_bytes()).hexdigest())
    assert stored.headline is not None and stored.headline.verdict == "fits"
    assert ("March 3, 2025", "2025-03-03") in [(d.span.of(stored.article.raw.text), d.value) for d in stored.dates]
    shown = " ".join(invoke("show", stored.article.raw.id[:12], db=db).output.split())
    assert "Headline fits" in shown and "2025-03-03" in shown


def test_stored_claims_are_found_by_speaker(tmp_path, sample_text):
    (tmp_path / "sample.txt").write_text(sample_text)
    db = tmp_path / "c.db"
    invoke("ingest", str(tmp_path / "sample.txt"), db=db)
    found = invoke("claims", "mammadov", db=db)
    assert found.exit_code == 0
    words = found.output.split()
    assert "Mammadov" in words and "alleges" in words and "Turan" in words
    assert invoke("claims", "Nobody Atall", db=db).exit_code == 1


def test_show_search_and_stats_read_the_store_back(tmp_path, sample_text):
    (tmp_path / "sample.txt").write_text(sample_text)
    db = tmp_path / "c.db"
    invoke("ingest", str(tmp_path / "sample.txt"), db=db)
    found = invoke("search", "Lachin border", db=db)
    assert found.exit_code == 0 and "Sergei Shoigu held" in found.output and "[Lachin]" in found.output
    article_id = hashlib.sha256(sample_text.encode()).hexdigest()
    shown = invoke("show", article_id[:8], db=db)
    assert shown.exit_code == 0
    assert "Leave a review" in shown.output and "after the last paragraph" in shown.output
    assert invoke("show", "ffffffff", db=db).exit_code == 1
    assert invoke("search", "nothingmatchesthis", db=db).exit_code == 1
    assert "documents" in invoke("stats", db=db).output


def test_reading_a_missing_store_is_an_error_not_a_new_store(tmp_path):
    result = invoke("search", "bridge", db=tmp_path / "missing.db")
    assert result.exit_code == 1 and "no store at" in result.output
    assert not (tmp_path / "missing.db").exists()


def test_stdin_is_an_input(tmp_path):
    db = tmp_path / "c.db"
    result = invoke("ingest", "-", db=db, input=story(3).encode())
    assert result.exit_code == 0
    with stored(db) as store:
        assert store.stats()["documents"] == 1


def test_a_url_without_fetch_is_a_usage_error(tmp_path):
    result = invoke("ingest", "https://example.org/a", db=tmp_path / "c.db")
    assert result.exit_code == 2
    assert "--fetch" in result.output


def test_interrupted_batch_leaves_whole_articles_and_a_rerun_finishes(tmp_path, monkeypatch):
    pages = tmp_path / "pages"
    pages.mkdir()
    for n in range(5):
        (pages / f"s{n}.txt").write_text(story(n))
    db = tmp_path / "c.db"
    real_add = Store.add
    calls = {"n": 0}

    def add_then_interrupt(self, article, **kw):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real_add(self, article, **kw)

    monkeypatch.setattr(Store, "add", add_then_interrupt)
    result = invoke("ingest", str(pages), db=db)
    assert result.exit_code == 130
    assert "run the same command again" in result.output
    with stored(db) as store:
        assert store.stats()["documents"] == 2
    monkeypatch.setattr(Store, "add", real_add)
    again = invoke("ingest", str(pages), db=db)
    assert again.exit_code == 0
    assert "5 documents: 3 new, 2 already stored" in again.output
    with stored(db) as store:
        assert store.stats()["documents"] == 5


def test_hostile_text_is_shown_inert(tmp_path):
    hostile = "[bold red]PWNED[/] \x1b[31mred\x1b[0m <script>alert(1)</script>"
    (tmp_path / "h.txt").write_text(f"Title {hostile}\n{P1}\n{P2} {hostile}\n")
    result = invoke("analyze", str(tmp_path / "h.txt"), db=tmp_path / "none.db")
    assert "[bold red]PWNED[/]" in result.output  # markup shown as text, not interpreted
    assert "\x1b[31m" not in result.output


def test_demo_ingests_the_examples_and_shows_what_was_removed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("demo", "--no-serve", db=tmp_path / "demo.db")
    assert result.exit_code == 0
    assert "Port authority denies dredging contract was rigged" in result.output
    assert "duplicate-title" in result.output and "site-chrome" in result.output
    assert "Claims" in result.output and "Radio Meridian" in result.output


def test_show_names_the_near_duplicate_copies(tmp_path):
    pages = tmp_path / "pages"
    (pages / "herald").mkdir(parents=True)
    (pages / "courier").mkdir()
    text = story(5) + "\n".join([P1, P2] * 2) + "\n"  # article length: a short text has too few shingles to compare
    (pages / "herald" / "a.txt").write_text(text)
    (pages / "courier" / "b.txt").write_text(text.replace("spring floods", "spring floods of this year"))
    db = tmp_path / "c.db"
    invoke("ingest", str(pages), db=db)
    shown = invoke("show", hashlib.sha256(text.encode()).hexdigest()[:10], db=db)
    assert "Near-duplicates" in shown.output
    assert str(pages / "courier") in shown.output.replace("\n", "")


def test_an_empty_folder_is_an_error_not_silence(tmp_path):
    (tmp_path / "empty").mkdir()
    result = invoke("ingest", str(tmp_path / "empty"), db=tmp_path / "c.db")
    assert result.exit_code == 1 and "nothing to read" in result.output


def test_pipeline_summary_counts_near_duplicates(tmp_path):
    text = story(4)
    (tmp_path / "a.txt").write_text(text)
    (tmp_path / "b.txt").write_text(text.replace("spring floods", "spring floods this year"))
    with stored(tmp_path / "c.db") as store:
        summary = pipeline.ingest([str(tmp_path / "a.txt"), str(tmp_path / "b.txt")], store)
    assert summary.new == 2 and summary.near_duplicates == 1
