"""Nearest claim vectors, kept fast at a million claims: an hnswlib HNSW graph.

Why hnswlib rather than faiss-cpu. ``benchmarks/claim_retrieval.py`` measured both on 50,000
claim vectors (the CheckThat claims and noisy copies), grown 10,000 at a time, one thread,
same graph settings, on a loaded 2-core machine: hnswlib built in 80 s and answered in
1.0 ms a query, faiss's HNSWFlat 68 s and 0.5 ms, both with recall@10 of the exact
neighbours >= 0.999; exact numpy search took 16 ms a query (about 300 ms at a million).
faiss is faster, but both are a rounding error beside embedding the query (15-30 ms of CPU), and
hnswlib is the better fit for a claim collection that grows beside a database:

- it grows in place (``resize_index`` then ``add_items``) with our own labels (a claim's
  number), and gives stored vectors back (``get_items``), which the matcher reads to give
  each match its cosine; faiss needs an IndexIDMap for labels and its IVF indexes (the ones
  that beat HNSW in memory) must be trained first and drift as the collection changes;
- one small wheel with no BLAS of its own (faiss-cpu brings its own OpenBLAS, ~30 MB);
- one file saves and loads the whole graph.

Settings: M=16 links a node, ef_construction=200, ef at query time max(200, 2k). At 100,000
claims (``benchmarks/match_scale.py``: real claim embeddings and noisy near-duplicates of them,
a graph built with ef_construction=100) the matcher's top 50 held 0.954 of the exact top 50 at
ef=100 (0.5 ms a query) and 0.982 at ef=200 (0.8 ms): the query's embedding costs 15 ms of CPU or
more, so the recall is worth the fraction of a millisecond. At 1,000,000 claims (the same
settings, about 45 noisy near-duplicates of each real embedding) recall fell: of the exact top
10, 0.81 at ef=100, 0.92 at ef=200 and 0.95 at ef=400 (1.2 ms); of the top 50, 0.71 / 0.81 /
0.86. Clusters of near-duplicates spend a node's M links inside the cluster; a larger M (32),
the shipped ef_construction (200, not the 100 measured) and storing a group of repeats once are
what to measure next. The graph doubles its room when full (``resize_index``), so growing it
claim by claim copies it only log(n) times.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

M = 16
EF_CONSTRUCTION = 200
EF_SEARCH = 200


class VectorIndex:
    """Cosine nearest neighbours over unit vectors, labelled 0, 1, 2, ... in the order added."""

    def __init__(self, dim: int, capacity: int = 1024, *, threads: int = 1,
                 ef_construction: int = EF_CONSTRUCTION) -> None:
        """``threads`` insert a batch in parallel (a bulk load); queries always use one."""
        import hnswlib

        self.dim = dim
        self.threads = threads
        self._index = hnswlib.Index(space="ip", dim=dim)  # vectors are unit length: ip is cosine
        self._index.init_index(max_elements=max(capacity, 16), M=M, ef_construction=ef_construction,
                               random_seed=0)
        self._index.set_num_threads(1)

    def __len__(self) -> int:
        return self._index.get_current_count()

    def add(self, vectors: np.ndarray) -> None:
        """Append vectors (labels continue from the last); the graph doubles its room when full."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if not len(vectors):
            return
        start = len(self)
        room = self._index.get_max_elements()
        if start + len(vectors) > room:
            self._index.resize_index(max(room * 2, start + len(vectors)))
        self._index.add_items(vectors, np.arange(start, start + len(vectors)), num_threads=self.threads)

    def search(self, vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(labels, cosine similarities), one row per query vector, nearest first."""
        k = min(k, len(self))
        if k == 0:
            return np.zeros((len(vectors), 0), dtype=np.int64), np.zeros((len(vectors), 0), dtype=np.float32)
        self._index.set_ef(max(EF_SEARCH, 2 * k))
        labels, distances = self._index.knn_query(np.ascontiguousarray(vectors, dtype=np.float32), k=k)
        return labels.astype(np.int64), (1.0 - distances).astype(np.float32)

    def vectors(self, labels: np.ndarray) -> np.ndarray:
        """The stored vectors of these labels (to score a candidate the graph did not return)."""
        return np.asarray(self._index.get_items(np.asarray(labels, dtype=np.int64)), dtype=np.float32).reshape(-1, self.dim)

    def save(self, folder: Path) -> None:
        self._index.save_index(str(folder / "vectors.hnsw"))
        (folder / "vectors.json").write_text(json.dumps({"dim": self.dim, "count": len(self)}))

    @classmethod
    def load(cls, folder: Path) -> "VectorIndex":
        import hnswlib

        meta = json.loads((folder / "vectors.json").read_text())
        index = cls.__new__(cls)
        index.dim = meta["dim"]
        index.threads = 1
        index._index = hnswlib.Index(space="ip", dim=index.dim)
        index._index.load_index(str(folder / "vectors.hnsw"), max_elements=max(meta["count"], 16))
        index._index.set_num_threads(1)
        return index
