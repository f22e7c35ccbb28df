"""Document features for check-worthiness: what a sentence's neighbours, speaker and likeness to checked claims say.

The sentence models (``checkworthiness.CheckWorthiness``) score a text alone.  Fact-checkers
choose in context: a sentence after a checked one is itself checked 24% of the time against
1% overall (CheckThat 2020 task 5), moderators and questioners are almost never checked,
and politicians repeat the claims that get checked.  These features carry that to the
second-stage model; each means the same for a debate transcript (sentences in order, the
speaker column) and a news article (its claims in order, each claim's attributed speaker):

- the two sentence models' scores, as log-odds and as ranks within the document;
- the neighbours' ranks (previous, next, max and mean of the 3 on each side);
- the speaker: named by a role ("MODERATOR", "QUESTION", "SYSTEM", "AUDIENCE", "host",
  "reporter"...), the share of their sentences that are questions (moderators ask), their
  mean rank (whose claims are checkable), their share of the document, and whether the
  sentence opens a turn.  Unknown speakers (None or empty) count as one speaker;
- cosine to the closest check-worthy training sentences of other transcripts and to the
  closest claims fact-checkers verified (CheckThat 2020 claim retrieval's verified claims).
"""

from __future__ import annotations

import re
from typing import Sequence

import numpy as np

ROLE = re.compile(r"\b(?:system|audience|question|questioner|moderator|host|anchor|reporter|interviewer|"
                  r"unidentified|unknown|crosstalk|panelist|voice|participant|announcer)s?\b", re.I)

NAMES = ("tfidf_logit", "embedding_logit", "tfidf_rank", "embedding_rank",
         "prev_rank", "next_rank", "neighbour_max", "neighbour_mean",
         "speaker_role", "speaker_questions", "speaker_mean_rank", "speaker_share", "turn_start",
         "nearest_positive", "nearest_positive_top3", "nearest_verified", "nearest_verified_top3")


def rank_in_document(x: np.ndarray) -> np.ndarray:
    """Each value's rank among the document's, in (0, 1): comparable across documents of any length."""
    order = np.argsort(np.argsort(x, kind="stable"), kind="stable")
    return (order + 0.5) / len(x)


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def nearest(emb: np.ndarray, targets: np.ndarray | None, exclude: np.ndarray | None = None) -> np.ndarray:
    """Closest and mean of the 3 closest targets by cosine (unit vectors); ``exclude[i, j]`` hides target j from row i."""
    if targets is None or len(targets) == 0:
        return np.zeros((len(emb), 2))
    sims = emb.astype(np.float32) @ targets.astype(np.float32).T
    if exclude is not None:
        sims[exclude] = -1.0
    top = np.sort(sims, axis=1)[:, -3:]
    return np.column_stack([top[:, -1], top.mean(axis=1)]).astype(np.float64)


def document_features(tfidf_p: np.ndarray, embedding_p: np.ndarray, texts: Sequence[str],
                      speakers: Sequence[str | None] | None, near_positive: np.ndarray,
                      near_verified: np.ndarray) -> np.ndarray:
    """One row of ``NAMES`` per sentence of one document, sentences in reading order."""
    n = len(texts)
    ra, rb = rank_in_document(tfidf_p), rank_in_document(embedding_p)
    r = (ra + rb) / 2
    pad = np.concatenate([np.zeros(3), r, np.zeros(3)])
    window = np.stack([pad[3 + k:3 + k + n] for k in (-3, -2, -1, 1, 2, 3)])
    who = [(s or "").strip() for s in speakers] if speakers is not None else [""] * n
    question = np.array([(t or "").rstrip().endswith("?") for t in texts], dtype=float)
    role = np.array([bool(ROLE.search(s)) for s in who], dtype=float)
    asks, mean_rank, share = np.zeros(n), np.zeros(n), np.zeros(n)
    for name in set(who):
        idx = np.array([i for i, s in enumerate(who) if s == name])
        asks[idx], mean_rank[idx], share[idx] = question[idx].mean(), r[idx].mean(), len(idx) / n
    turn_start = np.array([i == 0 or who[i] != who[i - 1] for i in range(n)], dtype=float)
    return np.column_stack([_logit(tfidf_p), _logit(embedding_p), ra, rb,
                            pad[2:2 + n], pad[4:4 + n], window.max(axis=0), window.mean(axis=0),
                            role, asks, mean_rank, share, turn_start, near_positive, near_verified])
