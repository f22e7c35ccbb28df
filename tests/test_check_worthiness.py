"""Check-worthiness: the shipped model, its scoring function and `claimdesk check-worthiness`."""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from claimdesk.analyze import checkworthiness as cw
from claimdesk.analyze import checkworthiness_context as context
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
    assert model.tfidf_lr is not None and model.embedding_lr is not None and model.stacker is not None
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


def _features(texts, speakers):
    n = len(texts)
    zeros = np.zeros((n, 2))
    return dict(zip(context.NAMES, context.document_features(np.linspace(0.1, 0.9, n), np.linspace(0.2, 0.8, n),
                                                            texts, speakers, zeros, zeros).T))


def test_document_features_tell_a_moderator_from_a_candidate():
    texts = ["Good evening.", "What would you do about jobs?", CLAIM, "We doubled exports.", "Why?"]
    speakers = ["HOLT", "HOLT", "TRUMP", "TRUMP", "MODERATOR"]
    f = _features(texts, speakers)
    assert list(f["speaker_questions"]) == [0.5, 0.5, 0.0, 0.0, 1.0]  # moderators ask
    assert list(f["speaker_role"]) == [0, 0, 0, 0, 1]  # a role named, not a person
    assert list(f["turn_start"]) == [1, 0, 1, 0, 1]
    assert f["speaker_share"][0] == pytest.approx(0.4)
    assert f["prev_rank"][0] == 0 and f["next_rank"][-1] == 0  # nothing beyond the document's ends
    unknown = _features(texts, None)  # a news article whose claims have no attributed speaker: one speaker
    assert set(unknown["speaker_share"]) == {1.0} and set(unknown["speaker_role"]) == {0.0}


def test_group_folds_keep_a_group_on_one_side_and_share_the_positives():
    groups = [g for g in range(6) for _ in range(10)]
    labels = [int(i % 10 == 0 and g < 3) for i, g in enumerate(groups)]
    folds = cw.group_folds(groups, labels, 3)
    assert sorted(g for f in folds for g in f) == list(range(6))
    assert all(sum(labels[i] for i, g in enumerate(groups) if g in f) == 1 for f in folds)


def test_in_a_transcript_a_candidates_claim_outranks_the_moderators_lines():
    texts = ["Good evening and welcome to the debate.", "Thank you all for being here.",
             "Senator, what would you do about unemployment?",
             "Unemployment fell to 4.1 percent last year, the lowest rate since 2000.",
             "We have doubled the number of troops in Afghanistan since 2009.",
             "Thank you, Senator. Let's move on."]
    speakers = ["HOLT", "HOLT", "HOLT", "CLINTON", "CLINTON", "HOLT"]
    scores = cw.score(texts, speakers=speakers, document=True)
    assert len(scores) == len(texts) and all(0.0 <= s <= 1.0 for s in scores)
    assert min(scores[3], scores[4]) > max(scores[0], scores[1], scores[2], scores[5])
    assert cw.score(texts, document=True) != scores  # the speakers count
    with pytest.raises(ValueError, match="document=True"):
        cw.score(texts, speakers=speakers)


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
