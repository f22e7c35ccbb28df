"""Claim matching on CLEF 2020 CheckThat! task 2: tweets against 10,375 Snopes claims.

Runs the matcher ``claimdesk match --against`` uses (``corpus.match.Matcher``) on dev, and
BM25 alone (the same lexical index, no dense stage) as the anchor, in the same process; on dev
also the matcher without its reranker (the two stages fused by rank only), to show what the
reranker adds.
Measures are those of the task's scorer (trectools over the top 5): MAP@5, the mean over
queries of average precision at 5 (precision at each relevant claim found in the top 5,
summed and divided by the query's number of relevant claims); MRR over the top 5; Recall@5.
Time per query covers cleaning, embedding the tweet, both stages, fusion and reranking, one
query at a time. Train is reported too: the matcher's settings were chosen there, its encoder's
top layers fine-tuned and its reranker fitted on it (so train is in-sample), dev was not looked at.

Also compares the vector indexes on the claims' vectors grown to ``--grow`` vectors (each
claim vector plus noise, renormalised): hnswlib (shipped), faiss-cpu's HNSW (when
installed) and exact search: build time, ms per query, recall@10 of the exact neighbours.

    python benchmarks/claim_retrieval.py [--json out.json] [--data DIR] [--grow 50000]

The claims' index is cached in ~/.cache/claimdesk/claim_retrieval (outside the repository),
one folder per claims file and encoder (``corpus.match.encoder_id``: the shipped fine-tuned layers' digest).
"""

from __future__ import annotations

import argparse
import copy
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from claimdesk.corpus.lexical import LexicalIndex, tokens
from claimdesk.corpus.match import (Matcher, default_encoder, lexical_document, query_text, read_claims,
                                    read_queries, read_tsv_file)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import save  # noqa: E402

SHARED = Path(os.environ.get("CLAIMDESK_SHARED", Path(__file__).resolve().parents[2] / "shared"))
DATA = SHARED / "data" / "checkthat2020-claim-retrieval"
CACHE = Path(os.environ.get("CLAIMDESK_CACHE", Path.home() / ".cache" / "claimdesk")) / "claim_retrieval"
DEPTH = 5


def read_qrels(path: Path) -> dict[str, set[str]]:
    relevant: dict[str, set[str]] = defaultdict(set)
    for line in path.read_text().splitlines():
        if line.strip():
            qid, _, cid, grade = line.split()
            if int(grade) > 0:
                relevant[qid].add(cid)
    return relevant


def measures(runs: dict[str, list[str]], relevant: dict[str, set[str]]) -> dict[str, float]:
    """MAP@5, MRR@5, Recall@5 over the queries of the qrels (a query with no run scores 0)."""
    ap, rr, recall = [], [], []
    for qid, rel in relevant.items():
        ranked = runs.get(qid, [])[:DEPTH]
        hits, precision_sum, first = 0, 0.0, 0.0
        for rank, cid in enumerate(ranked, 1):
            if cid in rel:
                hits += 1
                precision_sum += hits / rank
                first = first or 1 / rank
        ap.append(precision_sum / len(rel))
        rr.append(first)
        recall.append(hits / len(rel))
    return {"map_at_5": float(np.mean(ap)), "mrr": float(np.mean(rr)), "recall_at_5": float(np.mean(recall)),
            "queries": len(relevant)}


def build_matcher(data: Path) -> tuple[Matcher, float | None]:
    """The matcher over every claim, from the cache when its claims file has not changed."""
    claims_file = data / "verified_claims.docs.tsv"
    stat = claims_file.stat()
    encode = default_encoder(threads=2)
    folder = CACHE / f"{stat.st_size}-{int(stat.st_mtime)}-{encode.id}"  # the vectors are the encoder's
    if (folder / "claims.jsonl").exists():
        return Matcher.load(folder, encode), None
    claims, problems = read_tsv_file(claims_file, read_claims)
    assert not problems, problems
    matcher = Matcher(encode)
    t0 = time.perf_counter()
    matcher.add(claims)
    seconds = time.perf_counter() - t0
    matcher.save(folder)
    return matcher, seconds


def run_split(matcher: Matcher, bm25: LexicalIndex, data: Path, split: str, fused_too: bool = False) -> dict:
    """The matcher, BM25 alone and (``fused_too``) the matcher without its reranker, one query at a time."""
    queries, problems = read_tsv_file(data / split / "tweets.queries.tsv", read_queries)
    assert not problems, problems
    relevant = read_qrels(data / split / "tweet-vclaim-pairs.qrels")
    ids = [c.id for c in matcher.claims]
    fused_matcher = copy.copy(matcher)
    fused_matcher.reranker = None
    claimdesk, anchor, fused = {}, {}, {}
    t_match = t_bm25 = t_fused = 0.0
    for qid, text in queries:
        t0 = time.perf_counter()
        [matches] = matcher.match([text], top=DEPTH)
        t1 = time.perf_counter()
        top = bm25.top(tokens(query_text(text)), DEPTH)
        t2 = time.perf_counter()
        claimdesk[qid] = [m.claim.id for m in matches]
        anchor[qid] = [ids[n] for n, _ in top]
        t_match += t1 - t0
        t_bm25 += t2 - t1
        if fused_too and matcher.reranker is not None:
            t3 = time.perf_counter()
            fused[qid] = [m.claim.id for m in fused_matcher.match([text], top=DEPTH)[0]]
            t_fused += time.perf_counter() - t3
    n = max(len(queries), 1)
    out = {"claimdesk": {**measures(claimdesk, relevant), "ms_per_query": 1000 * t_match / n},
           "bm25": {**measures(anchor, relevant), "ms_per_query": 1000 * t_bm25 / n}}
    if fused:
        out["fused"] = {**measures(fused, relevant), "ms_per_query": 1000 * t_fused / n}
    return out


def compare_indexes(vectors: np.ndarray, grow: int, queries: np.ndarray, k: int = 10) -> dict:
    """Build time, ms per query and recall@k of the exact neighbours for each index kind."""
    from claimdesk.corpus.vectors import EF_CONSTRUCTION, EF_SEARCH, M, VectorIndex

    rng = np.random.default_rng(0)
    copies = [vectors]
    while sum(len(c) for c in copies) < grow:
        noisy = vectors + rng.normal(scale=0.05, size=vectors.shape).astype(np.float32)
        copies.append(noisy / np.linalg.norm(noisy, axis=1, keepdims=True))
    data = np.concatenate(copies)[:grow].astype(np.float32)
    exact_top = np.argsort(-(queries @ data.T), axis=1)[:, :k]
    out: dict = {"vectors": len(data), "dim": int(data.shape[1]), "k": k, "M": M, "ef_construction": EF_CONSTRUCTION,
                 "ef_search": max(EF_SEARCH, 2 * k)}

    def measure(name: str, build, search) -> None:
        t0 = time.perf_counter()
        index = build()
        built = time.perf_counter() - t0
        t0 = time.perf_counter()
        found = np.stack([search(index, q[None, :]) for q in queries])
        per_query = 1000 * (time.perf_counter() - t0) / len(queries)
        recall = np.mean([len(set(f) & set(e)) / k for f, e in zip(found, exact_top)])
        out[name] = {"build_s": built, "ms_per_query": per_query, "recall_at_10": float(recall)}

    def build_hnswlib():
        index = VectorIndex(data.shape[1])
        for start in range(0, len(data), 10_000):  # grown in steps, as claims arrive
            index.add(data[start:start + 10_000])
        return index

    measure("hnswlib", build_hnswlib, lambda index, q: index.search(q, k)[0][0])
    measure("exact", lambda: data, lambda d, q: np.argsort(-(d @ q[0]))[:k])
    try:
        import faiss
    except ImportError:
        out["faiss"] = None
        return out
    faiss.omp_set_num_threads(1)

    def build_faiss():
        index = faiss.IndexHNSWFlat(data.shape[1], M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = EF_CONSTRUCTION
        for start in range(0, len(data), 10_000):
            index.add(data[start:start + 10_000])
        index.hnsw.efSearch = max(EF_SEARCH, 2 * k)
        return index

    measure("faiss_hnsw", build_faiss, lambda index, q: index.search(q, k)[1][0])
    out["faiss_version"] = faiss.__version__
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--grow", type=int, default=50_000, help="Vectors in the index comparison (0 skips it).")
    args = parser.parse_args()
    matcher, index_seconds = build_matcher(args.data)
    bm25 = LexicalIndex()
    bm25.add(lexical_document(c) for c in matcher.claims)
    result: dict = {"claims": len(matcher.claims),
                    "index_build_s": index_seconds,  # None when the cached index was loaded
                    "reranker": matcher.reranker is not None,
                    "dev": run_split(matcher, bm25, args.data, "dev", fused_too=True),
                    "train": run_split(matcher, bm25, args.data, "train")}
    for split in ("dev", "train"):
        for system in ("claimdesk", "fused", "bm25"):
            r = result[split].get(system)
            if r is None:
                continue
            print(f"{split:5} {system:9} MAP@5 {r['map_at_5']:.4f}  MRR {r['mrr']:.4f}  R@5 {r['recall_at_5']:.4f}  "
                  f"{r['ms_per_query']:.1f} ms/query", flush=True)
    if args.grow:
        vectors = matcher.vectors.vectors(np.arange(len(matcher.claims)))
        queries = vectors[np.random.default_rng(1).choice(len(vectors), 200, replace=False)]
        result["indexes"] = compare_indexes(vectors, args.grow, queries)
        for name in ("hnswlib", "faiss_hnsw", "exact"):
            r = result["indexes"].get(name)
            if r:
                print(f"{name:10} build {r['build_s']:.1f} s  {r['ms_per_query']:.3f} ms/query  "
                      f"recall@10 {r['recall_at_10']:.3f}  ({result['indexes']['vectors']} vectors)")
    if args.json:
        save(args.json, result)


if __name__ == "__main__":
    main()
