"""The claim matcher's cost at 100,000 and 1,000,000 stored claims (issue 16).

    python benchmarks/match_scale.py [--json benchmarks/results/match_scale.json] [--sizes 100000 1000000]

**The claims.** A base set of real texts: the 10,373 Snopes claims of CheckThat 2020 (claim
and title as one text), sentences of the CheckThat 2020 check-worthiness debate transcripts
and sentences of the PolNeAR news articles (8 to 45 words each, deduplicated, 30,000 drawn at
random), all read from ``../shared/data`` in place. The first claims stored are the base texts
themselves, in random order; every later claim is a variant of a base text drawn uniformly at
random: each word replaced with probability 0.15 by a word drawn from the base texts' running
words (so by frequency), dropped with probability 0.08, each number replaced by another of the
same number of digits with probability 0.5, and with probability 0.3 two neighbouring words
swapped. So a million claims are about 45 wordings of each base text, the way a store
accumulates repeats of the same claims, with a vocabulary that keeps growing (new numbers).

**Their vectors.** Encoding a million texts with all-MiniLM-L6-v2 on 2 CPUs takes hours, so
only the base texts are encoded (once, cached in ``~/.cache/claimdesk/match_scale``); a
variant's vector is its base text's embedding plus Gaussian noise (per dimension standard
deviation drawn uniformly from 0.015-0.04 for each variant, i.e. cosine 0.95-0.78 to its base),
renormalised. The graph thus holds tight clusters of near-duplicates around real embeddings, as
a store of repeated claims would.

**The matcher** is ``corpus.match.Matcher`` itself, grown by ``add()`` in batches of 10,000 (as
ingest adds claims; never rebuilt), with an encoder that hands back the precomputed vectors for
the stored claims and runs the real model (one torch thread) on queries. The queries are the 197
CheckThat 2020 dev tweets, one ``match([tweet], top=5)`` call each, timed as a whole and split
into query encoding, lexical (BM25 top 50), dense (HNSW top 50 and the cosines of the fused
matches) and the rest (cleaning, tokenising, fusion).

**Anchors in the same run**: BM25 scored as the index did before (length normalisation of
every claim recomputed per query) for ``LexicalIndex.top``, whose top 50 must be identical; exact numpy search over all the vectors for the HNSW graph (recall@10 and @50 of the
exact neighbours, and ms a query); the encoder with torch's default two threads against one.

Also measured: build time (seconds in ``add``, lexical and vector shares), the process's
resident memory, ``save()``'s files on disk and the time to ``load()`` them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import resource
import shutil
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import save  # noqa: E402

SHARED = Path(os.environ.get("CLAIMDESK_SHARED", Path(__file__).resolve().parents[2] / "shared"))
DATA = SHARED / "data"
CACHE = Path(os.environ.get("CLAIMDESK_CACHE", Path.home() / ".cache" / "claimdesk")) / "match_scale"
EXTRA_SENTENCES = 12_000
INGEST_BATCH = 10_000
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")


def base_texts() -> tuple[list[str], list[str]]:
    """The real texts the variants are made from (deterministic)."""
    from claimdesk.corpus.match import read_claims, read_tsv_file

    claims, problems = read_tsv_file(DATA / "checkthat2020-claim-retrieval" / "verified_claims.docs.tsv", read_claims)
    assert not problems, problems[:3]
    snopes = [f"{c.text} {c.title}".strip() for c in claims]
    others: list[str] = []
    for path in sorted((DATA / "checkthat2020-checkworthiness").glob("*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            fields = line.split("\t")
            if len(fields) >= 3:
                others.append(fields[2])
    for path in sorted((DATA / "polnear").glob("*/text/*.txt")):
        for paragraph in path.read_text(encoding="utf-8").splitlines()[1:]:
            others.extend(SENTENCE.split(paragraph))
    seen = set(snopes)
    kept = []
    for s in (" ".join(s.split()) for s in others):
        if 8 <= len(s.split()) <= 45 and s not in seen:
            seen.add(s)
            kept.append(s)
    random.Random(0).shuffle(kept)
    return snopes, kept[:EXTRA_SENTENCES]


def snopes_vectors(count: int) -> np.ndarray | None:
    """The Snopes claims' vectors from ``claim_retrieval.py``'s cached index, when it is there."""
    from claimdesk.corpus.match import encoder_id
    from claimdesk.corpus.vectors import VectorIndex

    for folder in sorted((CACHE.parent / "claim_retrieval").glob(f"*-{encoder_id()}/")):  # this encoder's vectors
        if (folder / "vectors.json").exists():
            index = VectorIndex.load(folder)
            if len(index) == count:
                return index.vectors(np.arange(count))
    return None


def base_vectors(texts: list[str], snopes: int) -> np.ndarray:
    """all-MiniLM-L6-v2 embeddings of the base texts (the matcher's default encoder), cached per encoder."""
    from claimdesk.corpus.match import default_encoder, encoder_id

    digest = hashlib.sha256("\n".join([encoder_id(), *texts]).encode()).hexdigest()[:16]  # the vectors are the encoder's
    path = CACHE / f"base-{digest}.npy"
    if path.exists():
        return np.load(path)
    CACHE.mkdir(parents=True, exist_ok=True)
    encode = default_encoder(threads=1)
    t0 = time.perf_counter()
    parts = []
    known = snopes_vectors(snopes)
    if known is not None:
        parts.append(known)
        print(f"{snopes:,} Snopes claim vectors from the claim_retrieval cache", flush=True)
    for start in range(len(parts[0]) if parts else 0, len(texts), 1024):
        parts.append(encode(texts[start:start + 1024]))
        print(f"encoded {start + len(parts[-1]):,} / {len(texts):,} base texts, {time.perf_counter() - t0:.0f} s", flush=True)
    vectors = np.concatenate(parts).astype(np.float32)
    np.save(path, vectors)
    return vectors


class Variants:
    """Claim number i -> (text, vector): the base texts first (shuffled), then variants of them."""

    def __init__(self, texts: list[str], vectors: np.ndarray, seed: int = 0) -> None:
        self.texts, self.vectors, self.seed = texts, vectors, seed
        self.pool = [w for t in texts for w in t.split()]
        self.order = np.random.default_rng(seed).permutation(len(texts))

    def vary(self, text: str, rnd: random.Random) -> str:
        words = []
        for w in text.split():
            r = rnd.random()
            if r < 0.08 and len(words) > 2:
                continue
            if r < 0.23:
                w = rnd.choice(self.pool)
            if any(c.isdigit() for c in w) and rnd.random() < 0.5:
                w = re.sub(r"\d", lambda _: str(rnd.randrange(10)), w)
            words.append(w)
        if len(words) > 2 and rnd.random() < 0.3:
            j = rnd.randrange(len(words) - 1)
            words[j], words[j + 1] = words[j + 1], words[j]
        return " ".join(words)

    def batch(self, start: int, stop: int) -> tuple[list[str], np.ndarray]:
        nb = len(self.texts)
        rng = np.random.default_rng([self.seed, start])
        rnd = random.Random(f"{self.seed}-{start}")
        numbers = np.arange(start, stop)
        bases = np.where(numbers < nb, self.order[np.minimum(numbers, nb - 1)], rng.integers(nb, size=len(numbers)))
        texts = [self.texts[b] if i < nb else self.vary(self.texts[b], rnd) for i, b in zip(numbers, bases)]
        vectors = self.vectors[bases].copy()
        varied = numbers >= nb
        sigma = rng.uniform(0.015, 0.04, size=int(varied.sum())).astype(np.float32)
        vectors[varied] += rng.standard_normal((len(sigma), vectors.shape[1]), dtype=np.float32) * sigma[:, None]
        return texts, vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


class Encoder:
    """The stored claims' precomputed vectors while ``pending``; the real model on anything else."""

    def __init__(self, real) -> None:
        self.real = real
        self.id = "custom"  # the stored vectors are made up, not any encoder's output
        self.pending: dict[str, np.ndarray] = {}
        self.seconds = 0.0
        self.last: np.ndarray | None = None

    def __call__(self, texts):
        if self.pending:
            return np.stack([self.pending[t] for t in texts])
        t0 = time.perf_counter()
        self.last = self.real(texts)
        self.seconds += time.perf_counter() - t0
        return self.last


def timed(owner, name: str, clock: dict) -> None:
    """Replace owner.name (a bound method) by one that adds its seconds to clock[name]."""
    inner = getattr(owner, name)

    def wrapper(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            clock[name] = clock.get(name, 0.0) + time.perf_counter() - t0

    setattr(owner, name, wrapper)


def memory() -> dict[str, float]:
    """Resident and peak resident memory of this process, MiB."""
    out = {}
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(("VmRSS:", "VmHWM:")):
                out[line.split(":")[0]] = int(line.split()[1]) / 1024
    return {"rss_mib": out.get("VmRSS", 0.0), "peak_rss_mib": out.get("VmHWM", 0.0)}


def summary(values: list[float]) -> dict[str, float]:
    ms = 1000 * np.asarray(values)
    return {"p50_ms": float(np.percentile(ms, 50)), "p95_ms": float(np.percentile(ms, 95)),
            "mean_ms": float(ms.mean()), "max_ms": float(ms.max())}


def queries() -> list[str]:
    from claimdesk.corpus.match import query_text, read_queries, read_tsv_file

    rows, problems = read_tsv_file(DATA / "checkthat2020-claim-retrieval" / "dev" / "tweets.queries.tsv", read_queries)
    assert not problems, problems[:3]
    return [query_text(t) for _, t in rows]


def encoder_threads(real, texts: list[str]) -> dict:
    """Single-query encoding, interleaved: the shipped encoder (one thread, bfloat16 products
    where native) against the float32 model on one thread (what queries used before) and on
    torch's default two; wall and CPU (this process's, all threads) per query."""
    from claimdesk.corpus.match import default_encoder

    encoders = {"shipped": real, "fp32_one_thread": default_encoder(threads=1, precision_="fp32"),
                "fp32_two_threads": default_encoder(threads=2, precision_="fp32")}
    wall: dict[str, list[float]] = {k: [] for k in encoders}
    cpu: dict[str, list[float]] = {k: [] for k in encoders}
    for text in texts:
        for name, encode in encoders.items():
            c0, t0 = time.process_time(), time.perf_counter()
            encode([text])
            wall[name].append(time.perf_counter() - t0)
            cpu[name].append(time.process_time() - c0)
    return {"id": getattr(real, "id", None), "queries": len(texts),
            **{name: {"wall": summary(wall[name]), "cpu": summary(cpu[name])} for name in encoders}}


def unique_scores(index, query, k1: float = 1.2, b: float = 0.75) -> tuple[np.ndarray, np.ndarray]:
    """BM25 as ``LexicalIndex.scores`` computed it before (the anchor)."""
    n = len(index.lengths)
    slots = [index.vocabulary[w] for w in dict.fromkeys(query) if w in index.vocabulary]
    if not n or not slots:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    lengths = np.frombuffer(index.lengths, dtype=np.float32)
    norm = k1 * (1 - b + b * lengths / max(float(lengths.mean()), 1e-9))
    docs, parts = [], []
    for slot in slots:
        d = np.frombuffer(index.postings[slot], dtype=np.int32)
        tf = np.frombuffer(index.frequencies[slot], dtype=np.float32)
        idf = np.log(1 + (n - len(d) + 0.5) / (len(d) + 0.5))
        docs.append(d)
        parts.append(idf * tf * (k1 + 1) / (tf + norm[d]))
    if len(docs) == 1:
        return docs[0].astype(np.int64), parts[0].astype(np.float32)
    found, where = np.unique(np.concatenate(docs), return_inverse=True)
    return found.astype(np.int64), np.bincount(where, np.concatenate(parts)).astype(np.float32)


def lexical_synthetic(documents: int, queries: int = 100, seed: int = 0) -> dict:
    """BM25 alone on a synthetic collection (14 words a document, 12 a query, drawn from 30,000
    by Zipf's law, so a query holds several words of most documents): ``LexicalIndex.top``
    against the index as it scored before (``unique_scores``), CPU ms a query and identical top 50.
    Cheap to build (no vectors), so a million documents fit where the full run does not."""
    from claimdesk.corpus.lexical import LexicalIndex, best

    rng = np.random.default_rng(seed)
    weights = 1 / np.arange(1, 30_001)
    weights /= weights.sum()
    index = LexicalIndex()
    c0 = time.process_time()
    index.add([[f"w{x}" for x in row] for row in rng.choice(30_000, size=(documents, 14), p=weights)])
    built = time.process_time() - c0
    asked = [[f"w{x}" for x in rng.choice(30_000, size=12, p=weights)] for _ in range(queries)]
    out: dict = {"documents": documents, "queries": queries, "build_cpu_s": built}
    for name, top in (("top50_cpu", lambda q: index.top(q, 50)),
                      ("anchor_unique_sort_top50_cpu", lambda q: best(*unique_scores(index, q), 50))):
        top(asked[0])
        spent = []
        for q in asked:
            c0 = time.process_time()
            top(q)
            spent.append(time.process_time() - c0)
        out[name] = summary(spent)
    out["identical_top50"] = sum(index.top(q, 50) == best(*unique_scores(index, q), 50) for q in asked)
    return out


def measure(matcher, encoder: Encoder, texts: list[str], everything: np.ndarray) -> dict:
    """Latency of match() split by stage; the anchors (exhaustive BM25, exact vectors)."""
    from claimdesk.corpus.lexical import best, tokens

    size = len(matcher)
    clock: dict[str, float] = {}
    timed(matcher.lexical, "scores", clock)  # what match() reads BM25 through (top() calls it too)
    timed(matcher.vectors, "search", clock)
    timed(matcher.vectors, "vectors", clock)
    for text in texts[:10]:  # warm-up
        matcher.match([text], top=5)
    stages: dict[str, list[float]] = {k: [] for k in ("total", "encode", "lexical", "dense", "rest", "cpu")}
    vectors = []
    for text in texts:
        clock.clear()
        encoder.seconds = 0.0
        c0, t0 = time.process_time(), time.perf_counter()
        matcher.match([text], top=5)
        total = time.perf_counter() - t0
        stages["cpu"].append(time.process_time() - c0)  # this process's CPU: what a query costs, whatever the load
        dense = clock.get("search", 0.0) + clock.get("vectors", 0.0)
        stages["total"].append(total)
        stages["encode"].append(encoder.seconds)
        stages["lexical"].append(clock.get("scores", 0.0))
        stages["dense"].append(dense)
        stages["rest"].append(total - encoder.seconds - clock.get("scores", 0.0) - dense)
        vectors.append(encoder.last[0])
    for name in ("scores", "search", "vectors"):
        delattr(matcher.lexical if name == "scores" else matcher.vectors, name)
    out: dict = {"claims": size, "queries": len(texts), "match": {k: summary(v) for k, v in stages.items()}}
    out["p95_under_50ms"] = out["match"]["total"]["p95_ms"] < 50

    # Lexical: top 50 against the way the index scored before (the length normalisation of
    # every claim computed per query), whose scores must be bit for bit the same.
    shipped, anchor, shipped_cpu, anchor_cpu, same = [], [], [], [], 0
    for text in texts:
        q = tokens(text)
        c0, t0 = time.process_time(), time.perf_counter()
        a = matcher.lexical.top(q, 50)
        c1, t1 = time.process_time(), time.perf_counter()
        b = best(*unique_scores(matcher.lexical, q), 50)
        c2, t2 = time.process_time(), time.perf_counter()
        shipped.append(t1 - t0)
        anchor.append(t2 - t1)
        shipped_cpu.append(c1 - c0)
        anchor_cpu.append(c2 - c1)
        same += a == b
    out["lexical"] = {"top50": summary(shipped), "anchor_unique_sort_top50": summary(anchor),
                      "top50_cpu": summary(shipped_cpu), "anchor_unique_sort_top50_cpu": summary(anchor_cpu),
                      "identical_top50": same, "words": len(matcher.lexical.vocabulary)}

    # Dense: the HNSW graph against exact search over every vector.
    q = np.stack(vectors).astype(np.float32)
    data = everything[:size]
    exact_ms, exact = [], []
    for row in q:
        t0 = time.perf_counter()
        sims = data @ row
        top = np.argpartition(-sims, 50)[:50]
        exact.append(top[np.argsort(-sims[top])])
        exact_ms.append(time.perf_counter() - t0)
    index = matcher.vectors._index
    dense: dict = {"anchor_exact_numpy": summary(exact_ms), "ef": {}}
    for k in (10, 50):
        ms, labels = [], []
        for row in q:
            t0 = time.perf_counter()
            labels.append(matcher.vectors.search(row[None, :], k)[0][0])
            ms.append(time.perf_counter() - t0)
        dense[f"shipped_top{k}"] = {**summary(ms), "recall": float(np.mean(
            [len(set(f) & set(e[:k])) / k for f, e in zip(labels, exact)]))}
    for ef in (50, 100, 200, 400):
        index.set_ef(ef)
        ms, labels = [], []
        for row in q:
            t0 = time.perf_counter()
            labels.append(index.knn_query(row[None, :], k=50)[0][0])
            ms.append(time.perf_counter() - t0)
        dense["ef"][str(ef)] = {**summary(ms), "recall_at_50": float(np.mean(
            [len(set(f) & set(e)) / 50 for f, e in zip(labels, exact)])), "recall_at_10": float(np.mean(
            [len(set(f[:10]) & set(e[:10])) / 10 for f, e in zip(labels, exact)]))}
    out["dense"] = dense
    return out


def disk(matcher, encoder: Encoder, size: int, keep: bool = False) -> dict:
    """save() to a folder: seconds and bytes per file; load() back: seconds."""
    from claimdesk.corpus.match import Matcher

    folder = CACHE / f"index-{size}"
    shutil.rmtree(folder, ignore_errors=True)
    t0 = time.perf_counter()
    matcher.save(folder)
    saved = time.perf_counter() - t0
    files = {p.name: p.stat().st_size for p in sorted(folder.iterdir())}
    out = {"save_s": saved, "files": files, "total_bytes": sum(files.values())}
    t0 = time.perf_counter()
    try:
        loaded = Matcher.load(folder, encoder)
        out["load_s"] = time.perf_counter() - t0
        assert len(loaded) == size
        del loaded
    except Exception as e:  # noqa: BLE001 - recorded, not fatal
        out["load_error"] = repr(e)
    if not keep:
        shutil.rmtree(folder, ignore_errors=True)
    return out


def remeasure(args, real, tweets: list[str]) -> None:
    """Query figures again on the indexes a run kept (after a change to the query path)."""
    from claimdesk.corpus.match import Matcher

    result = json.loads(Path(args.json).read_text())
    result["build_machine"] = result.pop("machine", None)
    for size in sorted(args.sizes):
        encoder = Encoder(real)
        matcher = Matcher.load(CACHE / f"index-{size}", encoder)
        everything = matcher.vectors.vectors(np.arange(size))  # the stored vectors, for the exact anchor
        entry = result["sizes"][str(size)]
        entry.update(measure(matcher, encoder, tweets, everything))
        entry["remeasured"] = True
        print(size, json.dumps(entry["match"]), flush=True)
        del matcher, everything
        save(args.json, {k: v for k, v in result.items() if k != "machine"})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json")
    parser.add_argument("--prepare", action="store_true", help="Only encode the base texts (cached).")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--no-disk", action="store_true", help="Skip save()/load().")
    parser.add_argument("--keep", action="store_true", help="Keep the saved indexes (CACHE/index-SIZE).")
    parser.add_argument("--remeasure", action="store_true",
                        help="Load the kept indexes and measure the queries again (no build); build figures kept from --json.")
    parser.add_argument("--ef-construction", type=int, default=None, help="HNSW build effort (default: the shipped one).")
    parser.add_argument("--build-threads", type=int, default=2, help="Threads inserting into the HNSW graph.")
    parser.add_argument("--lexical-synthetic", type=int, metavar="N",
                        help="Only BM25 on N synthetic documents (added to --json's figures under lexical_synthetic).")
    args = parser.parse_args()
    if args.lexical_synthetic:
        found = lexical_synthetic(args.lexical_synthetic)
        print(json.dumps(found), flush=True)
        if args.json:
            from machine import describe

            result = json.loads(Path(args.json).read_text()) if Path(args.json).exists() else {}
            result.setdefault("lexical_synthetic", {})[str(args.lexical_synthetic)] = {**found, "machine": describe()}
            Path(args.json).write_text(json.dumps(result, indent=2))  # the other figures keep their machine
        return
    snopes, sentences = base_texts()
    texts = snopes + sentences
    print(f"{len(texts):,} base texts", flush=True)
    vectors = base_vectors(texts, len(snopes))
    if args.prepare:
        return
    import gc

    from claimdesk.corpus.match import Matcher, default_encoder
    from claimdesk.corpus.vectors import EF_CONSTRUCTION, EF_SEARCH, M, VectorIndex

    args.ef_construction = args.ef_construction or EF_CONSTRUCTION
    real = default_encoder(threads=1)
    tweets = queries()
    real(tweets[:5])
    if args.remeasure:
        return remeasure(args, real, tweets)
    result: dict = {"base_texts": len(texts), "snopes_claims": len(snopes), "sentences": len(sentences),
                    "ingest_batch": INGEST_BATCH, "build_threads": args.build_threads, "hnsw": {"M": M, "ef_construction": args.ef_construction, "shipped_ef_construction": EF_CONSTRUCTION, "ef_search": EF_SEARCH},
                    "encoder_threads": encoder_threads(real, tweets[:60])}
    print("encoder", json.dumps(result["encoder_threads"]), flush=True)
    result["memory_before_build"] = memory()
    variants = Variants(texts, vectors)
    encoder = Encoder(real)
    matcher = Matcher(encoder)
    matcher.vectors = VectorIndex(vectors.shape[1], threads=args.build_threads, ef_construction=args.ef_construction)
    lexical_clock: dict[str, float] = {}
    vector_clock: dict[str, float] = {}
    timed(matcher.lexical, "add", lexical_clock)
    timed(matcher.vectors, "add", vector_clock)
    everything = np.empty((max(args.sizes), vectors.shape[1]), dtype=np.float32)  # the exact anchor's copy
    from claimdesk.corpus.match import Claim

    steps, added_s = [], 0.0
    result["sizes"] = {}
    for size in sorted(args.sizes):
        while len(matcher) < size:
            start = len(matcher)
            stop = min(start + INGEST_BATCH, size)
            batch_texts, batch_vectors = variants.batch(start, stop)
            everything[start:stop] = batch_vectors
            encoder.pending = dict(zip(batch_texts, batch_vectors))
            claims = [Claim(f"c{start + i}", t) for i, t in enumerate(batch_texts)]
            t0 = time.perf_counter()
            matcher.add(claims, batch=len(claims))
            seconds = time.perf_counter() - t0
            encoder.pending = {}
            added_s += seconds
            steps.append([stop, round(seconds, 3)])
            if stop % 100_000 == 0 or stop == size:
                print(f"{stop:,} claims: batch {seconds:.1f} s, {added_s:.0f} s in add "
                      f"(lexical {lexical_clock.get('add', 0):.0f} s, vectors {vector_clock.get('add', 0):.0f} s), {memory()['rss_mib']:.0f} MiB", flush=True)
        gc.collect()
        entry: dict = {"build": {"add_s": added_s, "lexical_s": lexical_clock.get("add", 0.0),
                                 "vectors_s": vector_clock.get("add", 0.0)},
                       "memory": memory(), "anchor_vectors_mib": everything[:size].nbytes / 2 ** 20}
        entry["build"]["batches"] = [s for s in steps]
        entry.update(measure(matcher, encoder, tweets, everything))
        m = entry["match"]
        print(f"{size:,}: match p50 {m['total']['p50_ms']:.1f} p95 {m['total']['p95_ms']:.1f} ms "
              f"(encode {m['encode']['p50_ms']:.1f}/{m['encode']['p95_ms']:.1f}, lexical {m['lexical']['p50_ms']:.1f}/"
              f"{m['lexical']['p95_ms']:.1f}, dense {m['dense']['p50_ms']:.2f}/{m['dense']['p95_ms']:.2f}, "
              f"rest {m['rest']['p50_ms']:.2f}/{m['rest']['p95_ms']:.2f}); lexical identical "
              f"{entry['lexical']['identical_top50']}/{len(tweets)}, anchor p95 "
              f"{entry['lexical']['anchor_unique_sort_top50']['p95_ms']:.1f} ms; HNSW recall@10 "
              f"{entry['dense']['shipped_top10']['recall']:.3f} @50 {entry['dense']['shipped_top50']['recall']:.3f}, "
              f"exact {entry['dense']['anchor_exact_numpy']['p50_ms']:.1f} ms", flush=True)
        if not args.no_disk:
            entry["disk"] = disk(matcher, encoder, size, keep=args.keep)
            print(f"{size:,}: disk {entry['disk']['total_bytes'] / 2 ** 20:.0f} MiB, save {entry['disk']['save_s']:.1f} s, "
                  f"load {entry['disk'].get('load_s', float('nan')):.1f} s {entry['disk'].get('load_error', '')}", flush=True)
        result["sizes"][str(size)] = entry
        if args.json:
            save(args.json, result)
    print(json.dumps({k: v for k, v in result.items() if k != "sizes"}, indent=1))


if __name__ == "__main__":
    main()
