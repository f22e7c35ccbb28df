"""The claim indexes as they grow: BM25 is BM25 written out plainly, the top k breaks ties by
document number (at the cut too), incremental adds equal one big add (the cached length
normalisation follows the adds), save/load round trips, the vector graph grows in batches
without losing neighbours.

Random corpora with a skewed vocabulary (a few words in most documents, as common words are).
"""

from __future__ import annotations

import numpy as np
import pytest

from claimdesk.corpus import lexical
from claimdesk.corpus.lexical import LexicalIndex, best
from claimdesk.corpus.vectors import VectorIndex


def corpus(seed: int, documents: int, words: int = 400) -> list[list[str]]:
    rng = np.random.default_rng(seed)
    weights = 1 / np.arange(1, words + 1) ** 1.1  # Zipf-like: word 0 is in most documents
    weights /= weights.sum()
    lengths = rng.integers(1, 14, size=documents)
    return [[f"w{i}" for i in rng.choice(words, size=n, p=weights)] for n in lengths]


def reference_scores(docs: list[list[str]], query: list[str], k1: float = lexical.K1, b: float = lexical.B) -> dict[int, float]:
    """BM25 written out plainly (the index before pruning): float64 parts summed in query order."""
    n = len(docs)
    lengths = np.array([len(d) for d in docs], dtype=np.float32)
    norm = k1 * (1 - b + b * lengths / max(float(lengths.mean()), 1e-9))
    out: dict[int, float] = {}
    for w in dict.fromkeys(query):
        holders = [i for i, d in enumerate(docs) if w in d]
        if not holders:
            continue
        idf = np.log(1 + (n - len(holders) + 0.5) / (len(holders) + 0.5))
        for i in holders:
            tf = np.float32(docs[i].count(w))
            out[i] = out.get(i, 0.0) + float(idf * tf * (k1 + 1) / (tf + norm[i]))
    return {i: float(np.float32(s)) for i, s in out.items()}


def test_scores_are_plain_bm25():
    docs = corpus(1, 300)
    index = LexicalIndex()
    index.add(docs)
    for query in (["w0", "w5", "w33"], ["w2", "w2", "w0"], ["w399", "nothing"], ["w7"]):
        found, scores = index.scores(query)
        assert list(found) == sorted(found)
        assert dict(zip(found.tolist(), scores.tolist())) == reference_scores(docs, query)


def reference_top(docs: list[list[str]], query: list[str], k: int) -> list[tuple[int, float]]:
    scores = reference_scores(docs, query)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:k]


@pytest.mark.parametrize("seed", range(4))
def test_top_is_the_plain_ranking_with_ties_by_number(seed):
    docs = corpus(seed, 1500)
    docs += docs[:300]  # repeated claims: equal scores, the earlier number first
    index = LexicalIndex()
    index.add(docs)
    rng = np.random.default_rng(100 + seed)
    for _ in range(15):
        query = [f"w{i}" for i in rng.integers(0, 120, size=rng.integers(1, 9))]
        for k in (1, 5, 50):
            assert index.top(query, k) == reference_top(docs, query, k)


def test_ties_at_the_cut_go_to_the_smaller_numbers():
    docs = [["common", "filler"]] * 2000
    docs = [d + ["rare"] if i % 67 == 0 else d for i, d in enumerate(docs)]
    index = LexicalIndex()
    index.add(docs)
    assert [n for n, _ in index.top(["rare", "common"], 10)] == list(range(0, 2000, 67))[:10]
    assert [n for n, _ in index.top(["common"], 5)] == [1, 2, 3, 4, 5]  # all 2,000 equal but the longer ones
    assert index.top(["common"], 0) == [] and index.top(["absent"], 5) == []


def test_queries_leave_nothing_behind():
    docs = corpus(3, 2000)
    index = LexicalIndex()
    index.add(docs)
    first = index.top(["w4", "w8"], 20)
    index.top(["w0", "w1", "w2", "w3"], 20)  # scores most documents
    assert index.top(["w4", "w8"], 20) == first == reference_top(docs, ["w4", "w8"], 20)


def test_incremental_adds_equal_one_add_and_round_trip(tmp_path):
    docs = corpus(7, 2500)
    whole, grown = LexicalIndex(), LexicalIndex()
    whole.add(docs)
    for start in range(0, len(docs), 333):
        grown.add(docs[start:start + 333])
        grown.top(["w1", "w9"], 5)  # queries between adds see the statistics of that moment
    queries = [["w0", "w3", "w40"], ["w1", "w2", "w3", "w4", "w5", "w6"], ["w150", "w0"]]
    for q in queries:
        assert grown.top(q, 20) == whole.top(q, 20)
    whole.save(tmp_path)
    again = LexicalIndex.load(tmp_path)
    for q in queries:
        assert again.top(q, 20) == whole.top(q, 20)
    again.add([["w150", "w150", "w0"]])
    whole.add([["w150", "w150", "w0"]])
    assert again.top(["w150", "w0"], 5) == whole.top(["w150", "w0"], 5)
    assert again.top(["w150", "w0"], 1)[0][0] == len(docs)


def test_vector_index_grows_in_batches_and_finds_the_exact_neighbours(tmp_path):
    rng = np.random.default_rng(0)
    data = rng.standard_normal((3000, 32)).astype(np.float32)
    data /= np.linalg.norm(data, axis=1, keepdims=True)
    index = VectorIndex(32, capacity=16)
    for start in range(0, len(data), 250):
        index.add(data[start:start + 250])
    assert len(index) == 3000
    queries = data[:50] + 0.05 * rng.standard_normal((50, 32)).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    labels, sims = index.search(queries, 10)
    exact = np.argsort(-(queries @ data.T), axis=1)[:, :10]
    recall = np.mean([len(set(a) & set(e)) / 10 for a, e in zip(labels, exact)])
    assert recall >= 0.98
    assert np.allclose(sims, np.take_along_axis(queries @ data.T, labels, 1), atol=1e-5)
    assert np.allclose(index.vectors(np.array([5, 2999])), data[[5, 2999]])
    index.save(tmp_path)
    again = VectorIndex.load(tmp_path)
    assert (again.search(queries, 10)[0] == labels).all()
    again.add(data[:1] * -1)
    assert again.search(-data[:1], 1)[0][0, 0] == 3000


@pytest.mark.parametrize("seed", range(3))
def test_summing_by_sort_or_by_a_collection_long_array_gives_the_same_scores(seed, monkeypatch):
    docs = corpus(seed, 500)
    index = LexicalIndex()
    index.add(docs)
    rng = np.random.default_rng(seed)
    queries = [[f"w{i}" for i in rng.integers(0, 60, size=rng.integers(2, 9))] for _ in range(20)]
    results = {}
    for share in (0, 10 ** 9):  # never the array / always the array
        monkeypatch.setattr(lexical, "_DENSE_SHARE", share)
        results[share] = [index.scores(q) for q in queries]
    for (d1, s1), (d2, s2), query in zip(results[0], results[10 ** 9], queries):
        assert d1.tolist() == d2.tolist() and s1.tobytes() == s2.tobytes()
        assert dict(zip(d1.tolist(), s1.tolist())) == reference_scores(docs, query)
