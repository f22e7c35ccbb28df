"""Check-worthiness: is a sentence a factual, verifiable statement people would want checked?

Trained on CLEF 2020 CheckThat! task 5 (sentences of US political debates and
speeches, labelled by PolitiFact's choices of what to check; see
``checkworthiness_weights/provenance.json``).  Two stages:

1. sentence models: two class-weighted logistic regressions, one over word n-grams, one
   over MiniLM sentence embeddings, both with a few surface cues (numbers, names,
   comparisons, thanks...).  Alone, their mean probability ranks a sentence by itself.
2. a document model (``document=True``): a logistic regression over the sentence models'
   scores, the neighbours' scores, the speaker (role names, how often they ask, how
   checkable their other sentences are) and the closeness to claims fact-checkers
   checked (``checkworthiness_context``), trained on the sentence models' out-of-fold
   scores.  Fact-checkers pick sentences in context, and it ranks better in grouped
   cross-validation (``benchmarks/check_worthiness.py``, figures in BENCHMARKS.md).

Scores order claims for review; they are not calibrated probabilities (class weighting
lifts every score), so use them to order, not to threshold.  Nearly all of the cost is
the MiniLM embedding (about 14 ms of CPU a sentence; the rest is under 1 ms).

The review queue scores one article's claims at a time, in reading order, with each
claim's attributed speaker (None where unknown)::

    from claimdesk.analyze import checkworthiness
    checkworthiness.score(claim_texts, speakers=claim_speakers, document=True)  # -> [0.93, ...]

``score(texts)`` alone scores each text by itself with the sentence models (its result
does not depend on the rest of the batch); ``previous`` is accepted for models trained
with the previous sentence's embedding and ignored by the shipped one.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from . import checkworthiness_context as context

WEIGHTS = Path(__file__).resolve().parent / "checkworthiness_weights"
WEIGHTS_FILE = "checkworthiness.skops"
VOCAB_FILE = "checkworthiness_tfidf.json.gz"

# Fixed before any cross-validation (no search): scikit-learn's default strength for the
# embedding model, and C=1 on the sparse n-grams, both with balanced class weights since
# about 1 sentence in 90 is check-worthy.
DEFAULTS: dict[str, Any] = {
    "blocks": ["tfidf", "embedding", "hand"],  # which evidence the model uses
    "context": False,  # also the previous sentence's embedding and cues
    "nearest": False,  # also the cosine to the closest check-worthy training sentences (of other transcripts)
    "tfidf_C": 1.0,
    "embedding_C": 1.0,
    "ngram_range": [1, 2],
    "min_df": 2,
    "document": False,  # a second stage over the sentence scores in their document (checkworthiness_context)
    "inner_folds": 3,  # transcripts split this many ways for the out-of-fold scores the second stage learns from
}
# The shipped configuration; DEFAULTS alone is the sentence models, as the benchmark's other candidates use them.
SHIPPED: dict[str, Any] = {**DEFAULTS, "document": True}

Embed = Callable[[Sequence[str]], np.ndarray]

# --- surface cues ----------------------------------------------------------------
_NUM = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|hundred|thousand|million|billion|trillion|"
                  r"half|twice|double|doubled|triple|tripled|dozen)s?\b", re.I)
_QUANT = re.compile(r"%|\$|\bpercent\b|\bper cent\b|\bdollars?\b|\bjobs\b|\btax(?:es)?\b|\brate\b", re.I)
_COMPARE = re.compile(r"\b(?:more|less|fewer|than|most|least|highest|lowest|largest|biggest|smallest|worst|best|"
                      r"record|increase[sd]?|decrease[sd]?|rose|risen|fell|fallen|cut|raised|grew|dropped|"
                      r"\w+er than)\b", re.I)
_PAST = re.compile(r"\b(?:was|were|had|did|said|voted|passed|signed|lost|won|spent|created|took|gave|\w{3,}ed)\b", re.I)
_OPINION = re.compile(r"\b(?:I think|I believe|I feel|I want|I hope|we will|we're going to|we are going to|"
                      r"I'm going to|I will|let me|should|must)\b", re.I)
_SOCIAL = re.compile(r"\b(?:thank(?:s| you)?|applause|laughter|welcome|good (?:evening|morning|night)|hello|"
                     r"congratulations|great to be|appreciate|okay|ok|yeah|crosstalk)\b", re.I)
_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*|\d[\d,.]*")

HAND_NAMES = ("log_words", "short", "numbers", "quantities", "proper_nouns", "comparatives", "past_tense",
              "question", "opinion_or_plan", "social", "first_person", "second_person")


@lru_cache(maxsize=65_536)
def _cues(t: str) -> tuple[float, ...]:
    words = _WORD.findall(t)
    n = max(len(words), 1)
    caps = sum(1 for w in words[1:] if w[0].isupper() and w.upper() != w or (len(w) > 1 and w.isupper() and w != "I"))
    lower = [w.lower() for w in words]
    return (
        float(np.log1p(len(words))),
        float(len(words) < 6),
        min(len(_NUM.findall(t)), 5),
        min(len(_QUANT.findall(t)), 3),
        min(caps, 5) / 5 + caps / n,
        min(len(_COMPARE.findall(t)), 3),
        min(len(_PAST.findall(t)), 5),
        float(t.rstrip().endswith("?")),
        min(len(_OPINION.findall(t)), 3),
        min(len(_SOCIAL.findall(t)), 3),
        sum(w in ("i", "i'm", "me", "my", "we", "we're", "our", "us") for w in lower) / n,
        sum(w in ("you", "you're", "your") for w in lower) / n,
    )


def hand_features(texts: Sequence[str]) -> np.ndarray:
    """Cues fact-checkers' choices follow: numbers, names, comparisons, what happened; not thanks or plans."""
    return np.asarray([_cues(t or "") for t in texts], dtype=np.float64).reshape(len(texts), len(HAND_NAMES))


def previous_texts(texts: Sequence[str]) -> list[str]:
    """Each sentence's predecessor in a transcript (empty for the first)."""
    return [""] + list(texts[:-1])


# --- the task's TSV (line_number, speaker, text[, label]) -------------------------------
def parse_line(line: str) -> tuple[int, str, str, int | None]:
    """(line_number, speaker, text, label or None) from one TSV line; ValueError says what is wrong."""
    parts = line.rstrip("\r\n").split("\t")
    if len(parts) < 3:
        raise ValueError(f"expected line_number, speaker, text[, label] separated by tabs, got {len(parts)} field(s)")
    if len(parts) > 4:
        raise ValueError(f"expected at most 4 tab-separated fields, got {len(parts)}")
    try:
        number = int(parts[0].strip())
    except ValueError:
        raise ValueError(f"line_number is not an integer: {parts[0][:40]!r}") from None
    label = None
    if len(parts) == 4 and parts[3].strip() != "":
        if parts[3].strip() not in ("0", "1"):
            raise ValueError(f"label must be 0 or 1, got {parts[3][:40]!r}")
        label = int(parts[3].strip())
    return number, parts[1], parts[2], label


def is_header(line: str) -> bool:
    """A first row naming the columns instead of holding a sentence."""
    return line.split("\t", 1)[0].strip().lower() in ("line_number", "line", "line_no", "id")


# --- the model ---------------------------------------------------------------------
@dataclass
class CheckWorthiness:
    config: dict
    word_vec: Any = None  # TF-IDF n-grams
    scaler: Any = None  # standardises the hand cues for the n-gram model
    tfidf_lr: Any = None
    embedding_lr: Any = None  # StandardScaler + LogisticRegression pipeline
    hand_lr: Any = None  # only when neither n-grams nor embeddings are used
    positives: Any = None  # unit embeddings of the check-worthy training sentences ("nearest")
    positive_groups: Any = None  # their transcripts, so a training sentence is not its own neighbour
    verified: Any = None  # unit embeddings of claims fact-checkers verified (float16), for the document model
    stacker: Any = None  # the document model: StandardScaler + LogisticRegression over context.NAMES
    meta: dict = field(default_factory=dict)

    def _blocks(self) -> set[str]:
        return set(self.config["blocks"])

    def _hand(self, texts: Sequence[str], previous: Sequence[str] | None) -> np.ndarray:
        hand = hand_features(texts)
        if self.config["context"]:
            hand = np.hstack([hand, hand_features(previous if previous is not None else [""] * len(texts))])
        return hand

    def _nearest(self, emb: np.ndarray, groups: np.ndarray | None) -> np.ndarray:
        """Closest and mean of the 3 closest check-worthy sentences: politicians repeat what gets checked."""
        sims = emb @ self.positives.T
        if groups is not None:
            sims[np.asarray(groups)[:, None] == self.positive_groups[None, :]] = -1.0
        top = np.sort(sims, axis=1)[:, -3:]
        return np.column_stack([top[:, -1], top.mean(axis=1)])

    def _dense(self, texts, previous, embed: Embed | None, hand: np.ndarray, groups=None) -> np.ndarray:
        parts = [embed(list(texts))]
        if self.config.get("nearest"):
            parts.append(self._nearest(parts[0], groups))
        if self.config["context"]:
            prev = list(previous) if previous is not None else [""] * len(texts)
            parts.append(embed(prev) * np.array([[float(bool(p))] for p in prev]))
        if "hand" in self._blocks():
            parts.append(hand)
        return np.hstack(parts)

    def _sparse(self, texts, hand: np.ndarray):
        from scipy import sparse

        x = self.word_vec.transform(list(texts))
        if "hand" in self._blocks():
            x = sparse.hstack([x, sparse.csr_matrix(self.scaler.transform(hand))]).tocsr()
        return x

    def block_proba(self, texts: Sequence[str], previous: Sequence[str] | None = None,
                    embed: Embed | None = None) -> list[np.ndarray]:
        """Each fitted sentence model's probability per sentence (n-grams first, then embeddings)."""
        texts = [t or "" for t in texts]
        hand = self._hand(texts, previous)
        ps = []
        if self.tfidf_lr is not None:
            ps.append(self.tfidf_lr.predict_proba(self._sparse(texts, hand))[:, 1])
        if self.embedding_lr is not None:
            ps.append(self.embedding_lr.predict_proba(self._dense(texts, previous, embed, hand))[:, 1])
        if self.hand_lr is not None:
            ps.append(self.hand_lr.predict_proba(hand)[:, 1])
        return ps

    def proba(self, texts: Sequence[str], previous: Sequence[str] | None = None, embed: Embed | None = None) -> np.ndarray:
        """Mean probability of the sentence models, one per sentence, each sentence alone."""
        if not len(texts):
            return np.zeros(0)
        return np.clip(np.mean(self.block_proba(texts, previous, embed), axis=0), 0.0, 1.0)

    def document_rows(self, blocks: list[np.ndarray], texts: Sequence[str], speakers, embed: Embed,
                      group: int | None = None) -> np.ndarray:
        """The document model's features for one document (``group``: its training transcript, hidden from "nearest")."""
        emb = embed([t or "" for t in texts])
        exclude = None if group is None else np.broadcast_to(self.positive_groups[None, :] == group,
                                                             (len(texts), len(self.positive_groups))).copy()
        return context.document_features(blocks[0], blocks[1], texts, speakers,
                                         context.nearest(emb, self.positives, exclude),
                                         context.nearest(emb, self.verified))

    def proba_document(self, texts: Sequence[str], speakers: Sequence[str | None] | None = None,
                       embed: Embed | None = None) -> np.ndarray:
        """The document model's score per sentence of one document (sentences in reading order)."""
        if not len(texts):
            return np.zeros(0)
        if self.stacker is None:
            raise ValueError("this model was trained without the document stage")
        rows = self.document_rows(self.block_proba(texts, None, embed), texts, speakers, embed)
        return self.stacker.predict_proba(rows)[:, 1]


def _vectorizer(cfg: dict):
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(ngram_range=tuple(cfg["ngram_range"]), min_df=cfg["min_df"], sublinear_tf=True,
                           dtype=np.float64, lowercase=True)


def _lr(C: float, solver: str = "lbfgs"):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, class_weight="balanced", max_iter=3000, solver=solver)


def group_folds(groups: Sequence[int], labels: Sequence[int], k: int) -> list[list[int]]:
    """Group ids per fold, dealt round-robin in order of their number of positives (ties by id).

    Every fold gets a share of the rare positives, which sklearn's GroupKFold (balancing
    sentences) does not promise.
    """
    pos: dict[int, int] = {}
    for g, y in zip(groups, labels):
        pos[g] = pos.get(g, 0) + int(y)
    order = sorted(pos, key=lambda g: (-pos[g], g))
    return [sorted(order[f::k]) for f in range(k)]


def _documents(groups: Sequence[int]) -> dict[int, np.ndarray]:
    """Row indices of each group, in input order (the reading order of its document)."""
    out: dict[int, list[int]] = {}
    for i, g in enumerate(groups):
        out.setdefault(g, []).append(i)
    return {g: np.asarray(ix) for g, ix in out.items()}


def _fit_document_stage(model: CheckWorthiness, texts: list[str], y: np.ndarray, embed: Embed, previous,
                        cfg: dict, groups: Sequence[int], speakers) -> None:
    """Fit the document model on out-of-fold sentence scores: sentence models fitted without each document's transcripts.

    Scores of a sentence model on its own training sentences are overconfident; the
    document model must learn from scores like those it will see on new text.
    """
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    docs = _documents(groups)
    sentence_cfg = {**cfg, "document": False}
    oof: dict[int, list[np.ndarray]] = {}
    for fold in group_folds(groups, y, cfg["inner_folds"]):
        held = np.isin(np.asarray(groups), fold)
        sub = train([t for t, h in zip(texts, held) if not h], y[~held], embed,
                    None if previous is None else [p for p, h in zip(previous, held) if not h], sentence_cfg,
                    [g for g, h in zip(groups, held) if not h])
        for g in fold:
            ix = docs[g]
            oof[g] = sub.block_proba([texts[i] for i in ix], None if previous is None else [previous[i] for i in ix], embed)
    model.positives = embed([t for t, lab in zip(texts, y) if lab == 1]).astype(np.float32)
    model.positive_groups = np.asarray(groups)[y == 1].astype(np.int64)
    rows = [model.document_rows(oof[g], [texts[i] for i in ix], None if speakers is None else [speakers[i] for i in ix],
                                embed, group=g) for g, ix in docs.items()]
    order = np.concatenate(list(docs.values()))
    model.stacker = make_pipeline(StandardScaler(), _lr(1.0)).fit(np.vstack(rows), y[order])


def train(texts: Sequence[str], labels: Sequence[int], embed: Embed | None = None,
          previous: Sequence[str] | None = None, config: dict | None = None,
          groups: Sequence[int] | None = None, speakers: Sequence[str | None] | None = None,
          verified: np.ndarray | None = None) -> CheckWorthiness:
    """Fit the model on labelled sentences; the one code path for cross-validation and shipping.

    ``groups`` (the transcript of each sentence, sentences of a transcript in reading
    order) is needed by the "nearest" feature and the document stage; ``speakers`` and
    ``verified`` (unit embeddings of claims fact-checkers verified) by the document stage.
    """
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    cfg = {**DEFAULTS, **(config or {})}
    if cfg["document"] and (groups is None or embed is None or set(cfg["blocks"]) < {"tfidf", "embedding"}):
        raise ValueError("the document stage needs both sentence models, embeddings and each sentence's transcript")
    texts = [t or "" for t in texts]
    y = np.asarray(labels, dtype=int)
    model = CheckWorthiness(cfg)
    blocks = set(cfg["blocks"])
    hand = model._hand(texts, previous)
    if "tfidf" in blocks:
        model.word_vec = _vectorizer(cfg).fit(texts)
        if hasattr(model.word_vec, "stop_words_"):
            del model.word_vec.stop_words_
        model.scaler = StandardScaler().fit(hand)
        model.tfidf_lr = _lr(cfg["tfidf_C"], "liblinear").fit(model._sparse(texts, hand), y)
    if "embedding" in blocks:
        if cfg.get("nearest"):
            if groups is None:
                raise ValueError("the nearest feature needs each sentence's transcript (groups)")
            model.positives = embed([t for t, lab in zip(texts, y) if lab == 1]).astype(np.float32)
            model.positive_groups = np.asarray(groups)[y == 1].astype(np.int64)
        model.embedding_lr = make_pipeline(StandardScaler(), _lr(cfg["embedding_C"]))
        model.embedding_lr.fit(model._dense(texts, previous, embed, hand, groups), y)
    if not blocks & {"tfidf", "embedding"}:
        model.hand_lr = make_pipeline(StandardScaler(), _lr(1.0)).fit(hand, y)
    if cfg["document"]:
        model.verified = None if verified is None else np.asarray(verified, dtype=np.float16)
        _fit_document_stage(model, texts, y, embed, previous, cfg, groups, speakers)
    return model


# --- shipped weights: skops for the scikit-learn parts, gzipped JSON for the vocabulary; no pickle
def save(model: CheckWorthiness, out_dir: Path = WEIGHTS) -> Path:
    import gzip
    import json

    import zipfile

    import skops.io as sio

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if model.word_vec is not None:
        vocab = model.word_vec.vocabulary_
        terms = sorted(vocab, key=vocab.get)
        with gzip.open(out_dir / VOCAB_FILE, "wt", encoding="utf-8") as f:
            json.dump({"terms": terms, "idf": [round(float(x), 6) for x in model.word_vec.idf_]}, f)
    path = out_dir / WEIGHTS_FILE
    sio.dump({"config": model.config, "hand_features": list(HAND_NAMES), "scaler": model.scaler,
              "tfidf_lr": model.tfidf_lr, "embedding_lr": model.embedding_lr, "hand_lr": model.hand_lr,
              "positives": model.positives, "positive_groups": model.positive_groups,
              "verified": model.verified, "stacker": model.stacker, "document_features": list(context.NAMES)},
             path, compression=zipfile.ZIP_DEFLATED)
    return path


def load_weights(weights_dir: Path = WEIGHTS) -> CheckWorthiness:
    """Read the shipped weights, trusting only scikit-learn / numpy / scipy types."""
    import gzip
    import json

    from .skops_weights import load_trusted

    path = Path(weights_dir) / WEIGHTS_FILE
    obj = load_trusted(path)
    if list(obj["hand_features"]) != list(HAND_NAMES) or list(obj.get("document_features", context.NAMES)) != list(context.NAMES):
        raise ValueError(f"{path}: weights were trained for other surface or document features; retrain")
    model = CheckWorthiness({**DEFAULTS, **obj["config"]}, scaler=obj["scaler"], tfidf_lr=obj["tfidf_lr"],
                            embedding_lr=obj["embedding_lr"], hand_lr=obj["hand_lr"],
                            positives=obj.get("positives"), positive_groups=obj.get("positive_groups"),
                            verified=obj.get("verified"), stacker=obj.get("stacker"))
    if model.tfidf_lr is not None:
        with gzip.open(Path(weights_dir) / VOCAB_FILE, "rt", encoding="utf-8") as f:
            vocab = json.load(f)
        vec = _vectorizer(model.config)
        vec.vocabulary_ = {t: i for i, t in enumerate(vocab["terms"])}
        vec.idf_ = np.asarray(vocab["idf"], dtype=np.float64)
        model.word_vec = vec
    return model


# --- scoring -------------------------------------------------------------------------
_lock = threading.Lock()
MEMO_LIMIT = 20_000  # sentence embeddings kept between calls (384 floats each: about 30 MB)


@lru_cache(maxsize=1)
def load():
    """The shipped model and a memoised embedder, once per process."""
    from claimdesk.analyze.headline_features import Embedder
    from claimdesk.analyze.headline_model import sentence_model

    with _lock:
        model = load_weights()
        embedder = Embedder(sentence_model(), batch_size=32) if model.embedding_lr is not None else None
        return model, embedder


def score(texts: Sequence[str], previous: Sequence[str] | None = None, *,
          speakers: Sequence[str | None] | None = None, document: bool = False) -> list[float]:
    """Check-worthiness in [0, 1] per text, higher first to review; works on debate lines and news claims alike.

    ``document=True``: the texts are one document's sentences or claims in reading order
    (a transcript, an article's claims) and are scored in that context with the document
    model; ``speakers`` (one per text: the speaker column, a claim's attributed speaker,
    None where unknown) is used only then.  Otherwise each text is scored alone.
    ``previous``: the sentence before each text (same length), used only by a model
    trained with context.  Pass batches: the embedding model runs once per call.
    """
    if not texts:
        return []
    if previous is not None and len(previous) != len(texts):
        raise ValueError("previous must have one entry per text")
    if speakers is not None and (not document or len(speakers) != len(texts)):
        raise ValueError("speakers are read with document=True only, one per text")
    model, embedder = load()
    with _lock:  # the embedder's memo is shared by threads of the desk
        embed = embedder.encode if embedder else None
        p = model.proba_document(list(texts), speakers, embed) if document else model.proba(list(texts), previous, embed)
        if embedder is not None and len(embedder.memo) > MEMO_LIMIT:
            embedder.memo.clear()
    return [round(float(x), 6) for x in p]
