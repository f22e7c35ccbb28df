"""Check-worthiness: the shipped model, its scoring function and `claimdesk check-worthiness`."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from claimdesk.analyze import checkworthiness as cw
from claimdesk.analyze.skops_weights import ALLOWED_PREFIXES
from claimdesk.cli import app

CLAIM = "Unemployment fell to 4.1 percent last year."
THANKS = "Thank you, it's great to be here."


def test_parse_line_reads_the_task_tsv():
    assert cw.parse_line("12\tTRUMP\tWe lost 70,000 factories.\t1\n") == (12, "TRUMP", "We lost 70,000 factories.", 1)
    assert cw.parse_line("3\tHOLT\tGood evening.") == (3, "HOLT", "Good evening.", None)
    with pytest.raises(ValueError, match="line_number"):
        cw.parse_line("x\tHOLT\tGood evening.")
    with pytest.raises(ValueError, match="field"):
        cw.parse_line("just some text")
    assert cw.is_header("line_number\tspeaker\ttext\tlabel")


def test_hand_features_see_numbers_and_thanks():
    claim, thanks = cw.hand_features([CLAIM, THANKS])
    names = list(cw.HAND_NAMES)
    assert claim[names.index("numbers")] > 0 and thanks[names.index("numbers")] == 0
    assert thanks[names.index("social")] > 0 and claim[names.index("social")] == 0


def test_shipped_weights_load_without_untrusted_types():
    import skops.io as sio

    path = cw.WEIGHTS / cw.WEIGHTS_FILE
    assert not [t for t in sio.get_untrusted_types(file=path) if not t.startswith(ALLOWED_PREFIXES)]
    model = cw.load_weights()
    assert model.tfidf_lr is not None and model.embedding_lr is not None
    assert (cw.WEIGHTS / "provenance.json").exists()


def test_a_numeric_claim_outranks_a_greeting_and_scores_are_probabilities():
    texts = [CLAIM, THANKS, "We have doubled the number of troops in Afghanistan since 2009.", "Okay.", ""]
    scores = cw.score(texts)
    assert len(scores) == len(texts)
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores[0] > scores[1]
    assert scores[2] > scores[3]
    assert cw.score([]) == []


def test_scores_do_not_depend_on_the_batch():
    alone = cw.score([CLAIM])[0]
    batched = cw.score([THANKS, CLAIM, "Good evening."])[1]
    assert alone == pytest.approx(batched, abs=1e-4)


def test_command_writes_one_line_per_sentence_and_reports_bad_lines(tmp_path):
    tsv = tmp_path / "debate.tsv"
    tsv.write_text(
        "line_number\tspeaker\ttext\tlabel\n"
        f"1\tMODERATOR\t{THANKS}\t0\n"
        f"2\tCANDIDATE\t{CLAIM}\t1\n"
        "three\tCANDIDATE\tThis line has no number.\t0\n"
        "\n"
        "7\tCANDIDATE\tWe will make this country great.\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["check-worthiness", str(tsv)])
    assert result.exit_code == 1
    assert f"{tsv}:4:" in result.stderr
    lines = [l.split("\t") for l in result.stdout.splitlines()]
    assert [l[0] for l in lines] == ["1", "2", "7"]
    scores = {n: float(s) for n, s in lines}
    assert all(0.0 <= s <= 1.0 for s in scores.values())
    assert scores["2"] > scores["1"]


def test_command_exits_0_on_a_clean_file_without_header(tmp_path):
    tsv = tmp_path / "speech.tsv"
    tsv.write_text(f"10\tA\t{CLAIM}\n11\tA\t{THANKS}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check-worthiness", str(tsv)])
    assert result.exit_code == 0, result.stderr
    assert [l.split("\t")[0] for l in result.stdout.splitlines()] == ["10", "11"]
