"""Odd and hostile documents never stop a batch (issue 15): a document longer than spaCy
takes, an article the cleaner, the parser, the taggers or the store fail on, a batch of
huge inputs. Each failure is an error naming its input, the rest of the batch is stored,
and what is stored is whole."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from claimdesk import pipeline
from claimdesk.analyze import parse as parse_module
from claimdesk.model import IngestError, RawDocument
from claimdesk.store import Store

GOOD = {
    "harbour.txt": "Harbour reopens in May\n\nMinister Ivan Petrov said that the harbour would reopen in May.\n",
    "tender.txt": "Tender row grows\n\nCritics claimed that the tender had been rigged, the newspaper reported.\n",
}
PARAGRAPH = ("Officials said that the convoy had crossed the river before dawn, and the ministry "
             "claimed that no civilians were hurt in the operation near the border town. ")


def long_text(chars: int, title: str = "A very long report") -> str:
    """An article of about ``chars`` characters: claims in every paragraph, to its very end."""
    paragraphs = [f"{PARAGRAPH * 3}Paragraph {n} ends here." for n in range(chars // (len(PARAGRAPH) * 3) + 1)]
    return title + "\n\n" + "\n\n".join(paragraphs)


def write(folder, files: dict[str, str]) -> list[str]:
    paths = []
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
        paths.append(str(folder / name))
    return paths


def test_the_cut_falls_on_a_paragraph_break_before_the_limit(monkeypatch):
    monkeypatch.setattr(parse_module, "ANALYSIS_LIMIT", 1000)
    text = long_text(5000)
    end = parse_module.analysis_end(text)
    assert 500 <= end <= 1000 and text[end] == "\n"
    assert parse_module.analysis_end("short text") == len("short text")
    no_breaks = "word " * 400
    cut = parse_module.analysis_end(no_breaks)
    assert cut <= 1000 and no_breaks[cut] == " "  # no word cut in two


def test_a_document_over_spacys_limit_is_stored_analysed_up_to_the_limit_and_the_batch_goes_on(tmp_path):
    """The tester's case, through the real command and the real limit: a 1.2 MB text file
    used to stop `ingest` with spaCy's E088 and lose the good files of its chunk."""
    folder = tmp_path / "in"
    folder.mkdir()
    files = {"a-harbour.txt": GOOD["harbour.txt"], "b-huge.txt": long_text(1_200_000), "c-tender.txt": GOOD["tender.txt"]}
    write(folder, files)
    db = tmp_path / "c.db"
    run = subprocess.run([sys.executable, "-m", "claimdesk.cli", "ingest", "--db", str(db), str(folder)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "3 new" in run.stderr and "0 errors" in run.stderr
    assert "b-huge.txt: only the first" in " ".join(run.stderr.split())
    with Store(f"sqlite:///{db}") as store:
        assert store.stats()["documents"] == 3
        (huge,) = [store.get(h.id) for h in store.search("very long report", limit=5)]
        assert len(huge.article.raw.text) == len(files["b-huge.txt"])  # stored whole
        assert parse_module.ANALYSIS_LIMIT // 2 < huge.analysed_end <= parse_module.ANALYSIS_LIMIT
        assert huge.claims and all(c.content.end <= huge.analysed_end for c in huge.claims)
        assert max(c.content.end for c in huge.claims) > huge.analysed_end - 2000  # analysed to the cut
        assert "only the first" in huge.analysis.note


@pytest.fixture
def small_limit(monkeypatch):
    """Analysis reads 3,000 characters: the long-document paths without minutes of parsing."""
    monkeypatch.setattr(parse_module, "ANALYSIS_LIMIT", 3000)


def test_analyze_json_and_headline_check_answer_for_a_document_over_the_limit(tmp_path, small_limit):
    from typer.testing import CliRunner

    from claimdesk.cli import app

    (huge,) = write(tmp_path, {"huge.txt": long_text(1_100_000)})
    result = CliRunner().invoke(app, ["analyze", "--json", huge, "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout.splitlines()[0])
    assert found["analysed_end"] is not None and found["analysed_end"] <= 3000
    assert found["claims"] and all(c["content"]["end"] <= found["analysed_end"] for c in found["claims"])

    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(json.dumps({"headline": "Convoy crossed the river", "body": long_text(1_100_000)[20:]}) + "\n"
                     + json.dumps({"headline": "Harbour reopens", "body": GOOD["harbour.txt"]}) + "\n")
    result = CliRunner().invoke(app, ["headline-check", str(pairs)])
    assert result.exit_code == 0, result.output
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(answers) == 2 and all(a["verdict"] in ("fits", "does-not-fit", "contradicts") for a in answers)


def test_a_short_article_has_no_analysis_note(tmp_path):
    (good,) = write(tmp_path, {"harbour.txt": GOOD["harbour.txt"]})
    (analysis,) = pipeline.analyze([good])
    assert analysis.analysed_end is None and analysis.note is None and analysis.claims


def _ingest(tmp_path, files: dict[str, str]):
    folder = tmp_path / "in"
    folder.mkdir()
    paths = write(folder, files)
    store = Store(f"sqlite:///{tmp_path / 'c.db'}")
    return paths, store, pipeline.ingest(paths, store)


def _poisoned(real, error: Exception, text_of):
    """``real`` that raises ``error`` for the article whose text (``text_of`` its first
    argument) carries the word POISON, and does its work for every other."""
    def stage(first, *args, **kwargs):
        if "POISON" in text_of(first):
            raise error
        return real(first, *args, **kwargs)
    return stage


def _patch_taggers(monkeypatch):
    from claimdesk.analyze import claims

    monkeypatch.setattr(claims, "build_claims", _poisoned(claims.build_claims, RuntimeError("tagger exploded"),
                                                          lambda doc: doc.text))


def _patch_parser(monkeypatch):
    monkeypatch.setattr(parse_module, "kept_text", _poisoned(
        parse_module.kept_text, ValueError("[E088] Text of length 1200000 exceeds maximum of 1000000"),
        lambda article: article.raw.text))


def _patch_store(monkeypatch):
    real = Store.add

    def add(self, article, **kwargs):
        if "POISON" in article.raw.text:
            raise OSError("disk I/O error")
        return real(self, article, **kwargs)

    monkeypatch.setattr(Store, "add", add)


def _patch_cleaner(monkeypatch):
    monkeypatch.setattr(pipeline, "clean", _poisoned(pipeline.clean, IndexError("line index out of range"),
                                                     lambda doc: doc.text))


@pytest.mark.parametrize("patch, cause", [
    (_patch_cleaner, "cleaning failed: IndexError: line index out of range"),
    (_patch_parser, "parsing failed: ValueError: [E088] Text of length 1200000 exceeds maximum of 1000000"),
    (_patch_taggers, "analysis failed: RuntimeError: tagger exploded"),
    (_patch_store, "could not store: OSError: disk I/O error"),
], ids=["cleaner", "parser", "taggers", "store"])
def test_an_article_a_stage_fails_on_is_named_and_the_rest_of_the_batch_is_stored_whole(tmp_path, monkeypatch, patch, cause):
    """The failing article sits between two good ones, so that a batched stage (the
    parse, the taggers) has to tell which article broke it."""
    patch(monkeypatch)
    files = {"a.txt": GOOD["harbour.txt"], "b-poison.txt": "Poisoned story\n\nThe POISON minister said that all was well.\n",
             "c.txt": GOOD["tender.txt"]}
    paths, store, summary = _ingest(tmp_path, files)
    with store:
        assert summary.new == 2 and store.stats()["documents"] == 2
        (error,) = summary.errors
        assert error.input.endswith("b-poison.txt") and error.cause == cause
        assert store.stats()["errors"] == 1
        assert all(store.get(i).claims for i in summary.ids)  # the good articles kept their analysis


def test_a_chunk_holds_a_bounded_amount_of_text():
    docs = [RawDocument(text="x" * 1000, path=f"{n}.txt") for n in range(10)]
    sizes = [len(c) for c in pipeline.chunks(docs + [IngestError("bad", "no")], size=500, chars=3000)]
    assert sizes == [3, 3, 3, 2]
    assert [len(c) for c in pipeline.chunks(docs, size=4, chars=10**9)] == [4, 4, 2]


ODD_TEXTS = {
    "one-word.txt": "Said",
    "one-long-word.txt": "Headline\n\n" + "a" * 120_000,
    "cues-only.txt": "Said said said\n\n" + "said claimed denied alleged " * 2000,
    "quotes-unclosed.txt": "Quote\n\n“" + "He said that it was fine, and “she claimed that " * 300,
    "controls.txt": "Control\n\n" + "The minister said\u200b\u202e that \ufeff it\x0b was \x1b[31m fine.\n" * 50,
    "punctuation.txt": "!!!\n\n" + ".,;:!?\"'()[]{}" * 3000,
    "rtl-and-emoji.txt": "مرحبا\n\nقال الوزير إن الميناء سيعاد فتحه 🚢🚢 " * 200,
    "numbers.txt": "2024\n\n" + " ".join(str(n) for n in range(20_000)),
    "newlines.txt": "Lines\n" + "\n".join("He said so." for _ in range(5000)),
}


def test_odd_texts_go_through_the_whole_analysis_without_stopping_the_batch(tmp_path):
    """Real models, real store: text shapes that once broke NLP pipelines elsewhere."""
    paths, store, summary = _ingest(tmp_path, {**ODD_TEXTS, **GOOD})
    with store:
        assert not summary.errors, summary.errors
        assert summary.new == len(ODD_TEXTS) + len(GOOD)
        for doc_id in summary.ids:
            stored = store.get(doc_id)
            text = stored.article.raw.text
            for claim in stored.claims:  # every span still points into the text
                assert 0 <= claim.cue.start < claim.cue.end <= len(text)
                assert 0 <= claim.content.start < claim.content.end <= len(text)


def test_a_document_longer_than_a_document_may_be_is_named_and_the_rest_are_stored(tmp_path, monkeypatch):
    monkeypatch.setenv(pipeline.ENV_MAX_CHARS, "5000")
    files = {"a.txt": GOOD["harbour.txt"], "b-long.txt": long_text(6000), "c.txt": GOOD["tender.txt"]}
    folder = tmp_path / "in"
    folder.mkdir()
    paths = write(folder, files)
    with Store(f"sqlite:///{tmp_path / 'c.db'}") as store:
        summary = pipeline.ingest(paths, store, analyze=False)
        assert summary.new == 2 and store.stats()["documents"] == 2
        (error,) = summary.errors
        assert error.input.endswith("b-long.txt")
        assert error.cause == f"the document is {len(files['b-long.txt']):,} characters long, over the 5,000 a document may have (CLAIMDESK_MAX_CHARS)"
