"""The PolNeAR reader and the scorer, on brat snippets written for these tests."""

from __future__ import annotations

from claimdesk.train.polnear import read_ann, read_folder
from claimdesk.train.score import Scores, score_article, trim

TEXT = 'Headline\n\n"We will win," Smith said. It was reported that talks failed.'
ANN = """T1\tContent 11 22\tWe will win
T2\tSource 25 30\tSmith
T3\tCue 31 35\tsaid
T4\tAttribution 31 35\tsaid
E1\tAttribution:T4 Content:T1 Cue:T3 Source:T2
T5\tCue 44 52\treported
T6\tContent 53 70\tthat talks failed
T7\tAttribution-no-source 44 52\treported
E2\tAttribution-no-source:T7 Cue:T5 Content:T6
T8\tDiscard 0 8\tHeadline
#1\tAnnotatorNotes T1\ta note
"""


def test_read_ann_links_roles_and_keeps_missing_source() -> None:
    said, reported = read_ann(TEXT, ANN)
    assert said.source.of(TEXT) == "Smith" and said.cue.of(TEXT) == "said"
    assert said.content.of(TEXT) == "We will win"
    assert reported.source is None and reported.content.of(TEXT) == "that talks failed"


def test_discontinuous_span_covers_its_fragments() -> None:
    (att,) = read_ann(TEXT, "T1\tContent 11 16;17 22\tWe wi win\nT2\tCue 30 34\tsaid\nE1\tAttribution:T9 Content:T1 Cue:T2\n")
    assert (att.content.start, att.content.end) == (11, 22)
    assert att.content.fragments == ((11, 16), (17, 22))


def test_read_folder_takes_first_annotator_by_name(tmp_path) -> None:
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "a.txt").write_text(TEXT)
    (tmp_path / "attributions" / "a_zed.ann").write_text("")
    (tmp_path / "attributions" / "a_amy.ann").write_text(ANN)
    (article,) = read_folder(tmp_path)
    assert article.annotator == "amy" and len(article.attributions) == 2
    assert len(read_folder(tmp_path, all_annotators=True)) == 2


def test_trim_ignores_quotes_spaces_and_punctuation() -> None:
    text = ' "We will win," '
    assert text[slice(*trim(text, 0, len(text)))] == "We will win"


def test_exact_and_overlap_scores() -> None:
    scores = Scores()
    gold = [((25, 30), (31, 35), (11, 22)), (None, (44, 52), (53, 70))]
    pred = [((25, 30), (31, 35), (10, 24)), ((25, 30), (44, 52), (58, 70))]  # quotes around content: still exact
    score_article(scores, TEXT, pred, gold)
    assert scores.exact["cue"].f == 100
    assert scores.exact["content"].tp == 1 and scores.overlap["content"].tp == 2
    assert scores.exact["source"].tp == 1 and scores.exact["source"].n_pred == 2
    assert scores.exact["whole"].tp == 1 and scores.overlap["whole"].tp == 1  # a source where gold has none
