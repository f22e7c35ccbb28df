"""BM25 over an inverted index that grows one claim at a time.

Why not ``rank_bm25``: it scores every document for every query word in a Python
loop (a million claims is seconds a query), fixes its statistics when built (adding a
claim rebuilds it) and saves only by pickling. ``bm25s`` is fast but also indexes in
one go. This index keeps one posting list per word, so a query costs the length of its
words' lists (stop words, whose lists hold every claim, are never indexed), adding a
claim appends to a few lists, and the statistics BM25 needs (document frequency, mean
length) are read at query time, so they are always those of the current collection.

A query's cost is the postings of its words: at a million claims (``benchmarks/match_scale.py``)
a tweet's words hold a few hundred thousand. Tried and not kept: MaxScore (skip the postings of
the common words that cannot lift a claim into the top 50, and look those words up only for the
claims found): exact, but on CheckThat's dev tweets against 300,000 claims the 50th claim
shares only two or three words with the tweet, and each word's bound on its part is loose (its
largest count over the shortest claim holding it), so even given the true 50th score half the
postings had to be read, and it was no faster than reading them all. What does not depend on
the query, the length normalisation of every claim, is computed once per collection size.

So every posting is still read, but the per-claim sums no longer sort them: with many postings
(more than a sixteenth of the collection) the parts are added into one array as long as the
collection (``np.bincount``, one linear pass) and its non-zero entries kept, where merging the
lists by ``np.unique`` sorted a few million numbers. Same sums bit for bit (each claim's parts
are added in the same order). On a synthetic million documents (14 Zipf-distributed words of
30,000 each, queries of 12, CPU ms p50 / p95): 36 / 55 against 117 / 210 by the sort; on the
CheckThat dev tweets against a million stored claims (``benchmarks/match_scale.py``), wall
7.7 / 11.7 ms against 10.0 / 25.0, the same top 50 for all 197.
"""

from __future__ import annotations

import json
import re
import unicodedata
from array import array
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

# BM25's usual constants; on CheckThat 2020 train (claim + title as the document),
# k1 in 0.9-1.5 and b in 0.5-0.9 were within 0.006 MAP@5 of each other (0.850-0.855).
K1 = 1.2
B = 0.75
# Postings per document of the collection past which a query's parts are summed in an array as
# long as the collection rather than merged by a sort (``_sum_by_document``).
_DENSE_SHARE = 16

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=[0-9])|(?<=[0-9])(?=[A-Za-z])")

# Words that tell nothing about which claim is meant; their posting lists would hold
# almost every claim. scikit-learn's English list less the negations and quantities,
# which do tell claims apart ("did not", "no longer", "all", "never").
_KEEP = {"no", "not", "nor", "never", "nothing", "none", "all", "every", "only", "first", "last", "many",
         "few", "more", "less", "most", "least", "twenty", "hundred", "one", "two", "three", "four", "five",
         "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "fifteen", "fifty", "sixty", "forty"}


def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(w for w in ENGLISH_STOP_WORDS if w not in _KEEP) | {"s", "t", "amp", "rt", "via"}


STOP_WORDS = _stop_words()


def split_camel(word: str) -> str:
    """``#AustralianFires`` -> ``Australian Fires``: hashtags and handles carry words run together."""
    return _CAMEL.sub(" ", word)


def tokens(text: str) -> list[str]:
    """Lower-cased words without stop words, accents folded, possessive 's dropped.

    Accents are folded because tweets and fact-checks spell names both ways. No
    stemming (not tried): the dense stage is there for the words a repeat changes.
    """
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    out = []
    for match in _WORD.finditer(folded):
        for word in split_camel(match.group()).lower().split():
            word = re.sub(r"['’]s$", "", word).replace("’", "'")
            if word and word not in STOP_WORDS:
                out.append(word)
    return out


def best(docs: np.ndarray, scores: np.ndarray, k: int) -> list[tuple[int, float]]:
    """The k highest (document, score), best first; ties by document number, at the cut too."""
    if len(docs) > k:
        kth = np.partition(scores, len(scores) - k)[len(scores) - k]
        above = np.flatnonzero(scores > kth)
        tied = np.flatnonzero(scores == kth)
        tied = tied[np.argsort(docs[tied], kind="stable")[:k - len(above)]]
        keep = np.concatenate([above, tied])
        docs, scores = docs[keep], scores[keep]
    ranked = np.lexsort((docs, -scores))
    return [(int(docs[i]), float(scores[i])) for i in ranked]


def _sum_by_document(docs: np.ndarray, parts: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(documents ascending, the sum of each one's parts) for postings of a collection of n.

    Many postings (a query with common words in a large collection): counted into one array
    as long as the collection (``np.bincount``: one linear pass, no sort), then its non-zero
    entries (every part is > 0: idf > 0 and tf >= 1). Few: merged by a sort, which costs less
    than touching every document. Either way each document's parts are added in the order
    given (the query's word order), so the two give the same float64 sums, bit for bit."""
    if len(docs) * _DENSE_SHARE < n:
        found, where = np.unique(docs, return_inverse=True)
        return found.astype(np.int64), np.bincount(where, parts).astype(np.float32)
    total = np.bincount(docs, parts, minlength=n)
    found = np.flatnonzero(total)
    return found.astype(np.int64), total[found].astype(np.float32)


class LexicalIndex:
    """BM25 scores of every indexed document for a query, from per-word posting lists."""

    def __init__(self) -> None:
        self.vocabulary: dict[str, int] = {}
        self.postings: list[array] = []  # word -> document numbers (ascending)
        self.frequencies: list[array] = []  # word -> the word's count in each of those documents
        self.lengths = array("f")  # document number -> number of tokens
        self._norm: tuple | None = None  # (documents, k1, b, norm of each document): valid until the next add

    def __len__(self) -> int:
        return len(self.lengths)

    def add(self, documents: Iterable[Sequence[str]]) -> None:
        """Index tokenised documents; they get the next document numbers, in order.

        Each posting list is an ``array`` that grows by appending (amortised constant time,
        no list is ever copied whole per document), so adding costs the document's words."""
        vocabulary, postings, frequencies = self.vocabulary, self.postings, self.frequencies
        for words in documents:
            number = len(self.lengths)
            self.lengths.append(len(words))
            counts: dict[str, int] = {}
            for w in words:
                counts[w] = counts.get(w, 0) + 1
            for w, c in counts.items():
                slot = vocabulary.get(w)
                if slot is None:
                    slot = vocabulary[w] = len(postings)
                    postings.append(array("i"))
                    frequencies.append(array("f"))
                postings[slot].append(number)
                frequencies[slot].append(c)

    def _lengths_norm(self, k1: float, b: float) -> np.ndarray:
        """``k1 * (1 - b + b * length / mean length)`` of every document, kept until the next add."""
        n = len(self.lengths)
        cached = self._norm
        if cached is None or cached[:3] != (n, k1, b):
            lengths = np.frombuffer(self.lengths, dtype=np.float32)
            mean = max(float(lengths.mean()), 1e-9)
            cached = self._norm = (n, k1, b, k1 * (1 - b + b * lengths / mean))
        return cached[3]

    def _terms(self, query: Sequence[str]) -> list[tuple[np.ndarray, np.ndarray, np.float64]]:
        """(documents, counts, idf) of each distinct query word in the index, in query order."""
        n = len(self.lengths)
        out = []
        for w in dict.fromkeys(query):
            slot = self.vocabulary.get(w)
            if slot is not None:
                d = np.frombuffer(self.postings[slot], dtype=np.int32)
                tf = np.frombuffer(self.frequencies[slot], dtype=np.float32)
                out.append((d, tf, np.log(1 + (n - len(d) + 0.5) / (len(d) + 0.5))))
        return out

    def idf(self, word: str) -> float:
        """BM25's weight of a word in the current collection (that of a word never seen for an unknown one)."""
        slot = self.vocabulary.get(word)
        df = len(self.postings[slot]) if slot is not None else 0
        n = len(self.lengths)
        return float(np.log(1 + (n - df + 0.5) / (df + 0.5)))

    def scores(self, query: Sequence[str], *, k1: float = K1, b: float = B) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers ascending, BM25 scores) of the documents sharing a word with the query.

        Every posting of every query word is scored (float64), the lists merged by a sort and the
        parts of a document summed in the query's word order, then rounded to float32. Tried
        and not kept: adding the parts into one array as long as the collection (numpy's
        scattered ``+=`` cost more than the sort), and MaxScore (see the module's docstring)."""
        n = len(self.lengths)
        terms = self._terms(query)
        if not n or not terms:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        norm = self._lengths_norm(k1, b)
        docs = [d for d, _, _ in terms]
        parts = [idf * tf * (k1 + 1) / (tf + norm[d]) for d, tf, idf in terms]
        if len(docs) == 1:
            return docs[0].astype(np.int64), parts[0].astype(np.float32)
        return _sum_by_document(np.concatenate(docs), np.concatenate(parts), n)

    def top(self, query: Sequence[str], k: int, *, k1: float = K1, b: float = B) -> list[tuple[int, float]]:
        """The k best (document number, score), best first; ties by document number (at the cut too)."""
        return best(*self.scores(query, k1=k1, b=b), k) if k > 0 else []

    def save(self, folder: Path) -> None:
        """Write ``lexical.json`` (the words) and ``lexical.npz`` (the lists, concatenated)."""
        words = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        sizes = np.array([len(p) for p in self.postings], dtype=np.int64)
        cat = (lambda arrays, t: np.concatenate([np.frombuffer(a, dtype=t) for a in arrays])
               if arrays else np.zeros(0, dtype=t))
        np.savez(folder / "lexical.npz", sizes=sizes, postings=cat(self.postings, np.int32),
                 frequencies=cat(self.frequencies, np.float32),
                 lengths=np.frombuffer(self.lengths, dtype=np.float32))
        (folder / "lexical.json").write_text(json.dumps({"words": words}, ensure_ascii=False))

    @classmethod
    def load(cls, folder: Path) -> "LexicalIndex":
        index = cls()
        words = json.loads((folder / "lexical.json").read_text())["words"]
        with np.load(folder / "lexical.npz") as data:
            bounds = np.concatenate([[0], np.cumsum(data["sizes"])])
            postings, frequencies = data["postings"], data["frequencies"]
            index.lengths = array("f", data["lengths"].tobytes())
        index.vocabulary = {w: i for i, w in enumerate(words)}
        index.postings = [array("i", postings[s:e].tobytes()) for s, e in zip(bounds[:-1], bounds[1:])]
        index.frequencies = [array("f", frequencies[s:e].tobytes()) for s, e in zip(bounds[:-1], bounds[1:])]
        return index
