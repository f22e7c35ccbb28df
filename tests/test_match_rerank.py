"""The matcher's reranker: its features, its order, and the model file it reads.

Claims and queries are written for these tests; the encoder is a word-hashing stand-in, so
no model loads.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from claimdesk.corpus import match as match_module
from claimdesk.corpus.lexical import tokens
from claimdesk.corpus.match import FEATURES, Candidate, Claim, Matcher, folded, rerank_features, reranked

CLAIMS = [
    Claim("towers", "5G towers spread the coronavirus in 2020.", "Do 5G Towers Spread COVID?"),
    Claim("bridge", "The city council sold the old stone bridge to a foreign investor.", ""),
    Claim("sharks", "Sharks swam on a flooded highway in Houston.", "Sharks on a Houston Freeway?"),
]


def _encoder(texts):
    vectors = np.zeros((len(texts), 16), dtype=np.float32)
    for i, t in enumerate(texts):
        for w in folded(tokens(t)):
            vectors[i, sum(map(ord, w)) % 16] += 1
    return vectors + 1e-3


_encoder.id = "test-words"


def _model(weights: dict[str, float]) -> dict:
    """A reranker that adds the named features, unscaled."""
    return {"features": list(FEATURES), "mean": [0.0] * len(FEATURES), "scale": [1.0] * len(FEATURES),
            "coef": [weights.get(name, 0.0) for name in FEATURES], "intercept": 0.0}


def _row(query, claim, candidate=Candidate(0, 5.0, 0, 0.9), best_bm25=10.0, best_cosine=0.95):
    row = rerank_features(tokens(query), tokens(claim.text), tokens(claim.title), candidate, best_bm25,
                          best_cosine, lambda w: 1.0)
    return dict(zip(FEATURES, row))


def test_plurals_fold_but_short_words_and_double_s_stay():
    assert folded(["towers", "bus", "press", "masks", "is"]) == ["tower", "bus", "press", "mask", "is"]


def test_features_say_how_much_of_the_claim_the_query_repeats():
    whole = _row("5G tower spreads coronavirus 2020", CLAIMS[0])
    half = _row("the coronavirus is here", CLAIMS[0])
    assert len(whole) == len(FEATURES)
    assert whole["text_covered"] > half["text_covered"] > 0
    assert whole["numbers_shared"] == 2 and half["numbers_missing"] == 2  # "5g" and "2020"
    assert whole["bm25_of_best"] == pytest.approx(0.5) and whole["cosine_gap"] == pytest.approx(-0.05)
    assert _row("x", CLAIMS[1])["title_covered"] == 0.0  # no title: nothing to cover


def test_a_candidate_missing_from_a_stage_says_so():
    row = _row("bridge", CLAIMS[1], Candidate(match_module.CANDIDATES, 0.0, 3, 0.7))
    assert row["in_lexical"] == 0.0 and row["in_dense"] == 1.0 and row["inv_dense_rank"] == pytest.approx(0.25)


def test_reranked_orders_the_pool_then_keeps_the_rest_below_it():
    order = reranked([4, 2, 9], [0.5, 2.0, 0.5], [(9, 1.0), (4, 0.9), (7, 0.8), (2, 0.7), (1, 0.1)])
    assert [n for n, _ in order] == [2, 4, 9, 7, 1]  # ties keep the pool's order
    scores = [s for _, s in order]
    assert scores == sorted(scores, reverse=True) and scores[2] > scores[3]  # the rest stays below the pool


def test_the_matcher_follows_its_reranker():
    plain = Matcher(_encoder, reranker=None)
    plain.add(CLAIMS)
    query = "sharks in houston and 5G towers"
    assert [m.claim.id for m in plain.match([query], top=3)[0]][:2] != ["bridge"]
    shortest = Matcher(_encoder, reranker=_model({"log_length": -1.0}))
    shortest.add(CLAIMS)
    ids = [m.claim.id for m in shortest.match([query], top=3)[0]]
    lengths = [len(set(folded(tokens(f"{c.text} {c.title}")))) for c in shortest.claims
               if c.id in ids]
    assert len(ids) == 3 and ids[0] == min(shortest.claims, key=lambda c: len(set(folded(
        tokens(f"{c.text} {c.title}"))))).id and len(lengths) == 3


def test_candidate_rows_hold_bm25_for_dense_only_claims():
    m = Matcher(_encoder, reranker=None)
    m.add(CLAIMS)
    words = tokens("houston freeway sharks")
    scored = m.lexical.scores(words)
    query = match_module._unit(_encoder(["houston freeway sharks"]))[0]
    pool, rows = m.candidate_rows(words, query, [2], [0, 2, 1], scored, 0.9)
    assert pool == [2, 0, 1] and rows.shape == (3, len(FEATURES))
    bm25 = rows[:, FEATURES.index("bm25")]
    assert bm25[0] > 0 and bm25[1] == 0 and bm25[2] == 0  # only "sharks" shares words with the query
    assert rows[1, FEATURES.index("in_lexical")] == 0


def test_a_reranker_for_other_features_is_refused(tmp_path):
    (tmp_path / match_module.RERANKER_FILE).write_text(json.dumps({**_model({}), "features": ["bm25"]}))
    with pytest.raises(ValueError, match="features"):
        match_module.load_reranker(tmp_path)
    assert match_module.load_reranker(tmp_path / "none") is None


def test_the_shipped_reranker_matches_the_code_and_says_how_it_was_made():
    model = match_module.load_reranker()
    if model is None:
        pytest.skip("no reranker ships")
    assert len(model["coef"]) == len(FEATURES) and {"data", "command", "cv"} <= set(model["provenance"])
