"""Features for the headline/body stance model (FNC-1 labels).

Two kinds of evidence: how much the body is *about* the headline (TF-IDF and
n-gram overlap, sentence-embedding similarity, shared names and numbers) and
how the body *treats* it (refuting, hedging and negation words, counted in the
whole body, near the headline's words and in the sentences closest in meaning
to the headline).  Bodies and headlines repeat across pairs, so each distinct
text is analysed once.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

TOKEN_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
CAP_RE = re.compile(r"\b[A-Z][a-zA-Z]+\b")
NUM_RE = re.compile(r"\b\d[\d,.]*\b")
SENT_RE = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])|\n+")

MAX_SENTENCES = 60
MAX_SENTENCE_CHARS = 600
WINDOW = 10

STOP = frozenset(
    """a an the and or but if of to in on at by for with from as is are was were be been being it its
    this that these those he she they we you i his her their our your my me him them us not no do does did
    has have had will would can could should may might must shall than then there here so such too very
    s t just also into over about after before up down out off again further once all any both each few
    more most other some own same only what which who whom when where why how said says""".split()
)
# Words that signal the body disputes a claim (after the FNC-1 baseline, extended).
REFUTE = frozenset(
    """fake fraud hoax false falsely deny denies denied denying not despite nope doubt doubts doubtful bogus
    debunk debunked debunks prank pranks retract retracted retraction untrue misleading fabricated
    satire satirical rumour rumor rumors rumours myth never baseless dismissed dismisses refuted refutes
    incorrect wrong photoshopped hoaxes scam contrary no""".split()
)
# Words that signal the body reports without endorsing.
HEDGE = frozenset(
    """alleged allegedly reportedly reports reported report claims claimed claim claiming apparently
    according purportedly purported unconfirmed unverified suggests suggested may might could possibly
    possible rumored rumoured believed appears appear seems seem speculation speculated sources source
    supposedly likely unclear if whether""".split()
)
NEGATION = frozenset("not no never none nobody nothing neither nor n't cannot without".split())
CONFIRM = frozenset(
    """confirmed confirms confirm official officially announced announces proved proves proven true
    indeed verified shows showed revealed""".split()
)

N_EMB = 384
N_INTER = 3 * N_EMB


def tokens(text: str) -> list[str]:
    return TOKEN_RE.findall(text.lower().replace("\u2019", "'"))


def content(toks: Sequence[str]) -> list[str]:
    return [t for t in toks if t not in STOP and len(t) > 1]


def split_sentences(body: str) -> list[str]:
    """Sentences of a body, capped in number and length (the lead carries most stance)."""
    parts = [p.strip() for p in SENT_RE.split(body)]
    parts = [p[:MAX_SENTENCE_CHARS] for p in parts if len(p) > 2]
    return parts[:MAX_SENTENCES] or [body[:MAX_SENTENCE_CHARS] or "."]


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class Embedder:
    """Batched, memoised sentence embeddings (unit length).

    ``cache_dir`` keeps them on disk between runs (training and benchmarks
    only; the shipped model needs no cache).
    """

    def __init__(self, model, cache_dir: Path | None = None, batch_size: int = 64):
        self.model = model
        self.batch_size = batch_size
        self.memo: dict[str, np.ndarray] = {}
        self.cache_file = None
        if cache_dir is not None:
            cache_dir.mkdir(parents=True, exist_ok=True)
            self.cache_file = cache_dir / "minilm-l6-v2-128.npz"
            if self.cache_file.exists():
                with np.load(self.cache_file) as z:
                    self.memo = dict(zip(z["keys"].tolist(), z["vecs"]))
        self._dirty = False

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        keys = [_key(t) for t in texts]
        todo = {k: t for k, t in zip(keys, texts) if k not in self.memo}
        if todo:
            vecs = self.model.encode(
                list(todo.values()),
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            ).astype(np.float32)
            self.memo.update(zip(todo.keys(), vecs))
            self._dirty = True
        if not keys:
            return np.zeros((0, N_EMB), np.float32)
        return np.stack([self.memo[k] for k in keys])

    def save(self) -> None:
        if self.cache_file is None or not self._dirty:
            return
        keys = np.array(list(self.memo.keys()))
        vecs = np.stack(list(self.memo.values()))
        tmp = self.cache_file.with_suffix(".tmp.npz")
        np.savez(tmp, keys=keys, vecs=vecs)
        os.replace(tmp, self.cache_file)
        self._dirty = False


@dataclass
class _Body:
    toks: list[str]
    tokset: set[str]
    lead: set[str]
    bigrams: set[tuple[str, str]]
    caps: set[str]
    nums: set[str]
    sents: list[list[str]]
    emb: np.ndarray  # sentences x 384
    mean: np.ndarray
    counts: np.ndarray  # refute, hedge, negation, confirm per 100 tokens


@dataclass
class _Head:
    toks: list[str]
    cont: list[str]
    bigrams: set[tuple[str, str]]
    caps: set[str]
    nums: set[str]
    emb: np.ndarray
    counts: np.ndarray


def _lexicon_counts(toks: Sequence[str]) -> np.ndarray:
    return np.array(
        [sum(t in lex for t in toks) for lex in (REFUTE, HEDGE, NEGATION, CONFIRM)], np.float32
    )


def _caps(text: str) -> set[str]:
    words = CAP_RE.findall(text)
    return {w.lower() for w in words if w.lower() not in STOP}


def _nums(text: str) -> set[str]:
    return {n.strip(".,") for n in NUM_RE.findall(text)}


def _body(text: str, emb: np.ndarray) -> _Body:
    toks = tokens(text)
    cont = content(toks)
    sents = [tokens(s) for s in split_sentences(text)]
    n = max(len(toks), 1)
    return _Body(
        toks=toks,
        tokset=set(cont),
        lead=set(content(toks[:120])),
        bigrams=set(zip(cont, cont[1:])),
        caps=_caps(text),
        nums=_nums(text),
        sents=sents,
        emb=emb,
        mean=_unit(emb.mean(0)),
        counts=_lexicon_counts(toks) * 100.0 / n,
    )


def _head(text: str, emb: np.ndarray) -> _Head:
    toks = tokens(text)
    cont = content(toks)
    return _Head(toks, cont, set(zip(cont, cont[1:])), _caps(text), _nums(text), emb, _lexicon_counts(toks))


def _unit(v: np.ndarray) -> np.ndarray:
    n = float(np.linalg.norm(v))
    return v / n if n > 0 else v


def _frac(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _window_counts(h: _Head, b: _Body) -> np.ndarray:
    """Refute/hedge/negation/confirm words within WINDOW tokens of a headline word in the body."""
    hs = set(h.cont)
    hits = [i for i, t in enumerate(b.toks) if t in hs]
    if not hits:
        return np.zeros(5, np.float32)
    near = set()
    for i in hits:
        near.update(range(max(0, i - WINDOW), min(len(b.toks), i + WINDOW + 1)))
    words = [b.toks[i] for i in sorted(near)]
    c = _lexicon_counts(words) * 100.0 / max(len(words), 1)
    return np.concatenate([c, [hits[0] / max(len(b.toks), 1)]]).astype(np.float32)


HAND_NAMES = (
    ["tfidf_word", "tfidf_char", "overlap_h", "jaccard", "lead_overlap", "bigram_overlap",
     "caps_overlap", "caps_n", "nums_overlap", "nums_n", "h_len", "b_len_log",
     "emb_mean", "emb_max", "emb_top3", "emb_first", "emb_argmax_pos", "emb_std",
     "sent_overlap_max", "sent_overlap_first", "h_question"]
    + [f"h_{n}" for n in ("refute", "hedge", "neg", "confirm")]
    + [f"b_{n}" for n in ("refute", "hedge", "neg", "confirm")]
    + [f"win_{n}" for n in ("refute", "hedge", "neg", "confirm", "first_hit")]
    + [f"top_{n}" for n in ("refute", "hedge", "neg", "confirm")]
    + [f"lead_{n}" for n in ("refute", "hedge", "neg", "confirm")]
)


def featurize(
    headlines: Sequence[str],
    bodies: Sequence[str],
    embed: Callable[[Sequence[str]], np.ndarray],
    word_vec,
    char_vec,
) -> tuple[np.ndarray, np.ndarray]:
    """Hand features (n x len(HAND_NAMES)) and embedding blocks (n x 3*384).

    The blocks: headline x best-matching body sentence, headline x the three
    best, headline - the three best.  (The body's own embeddings added nothing
    in cross-validation: they describe the topic, not the stance.)
    """
    uh = list(dict.fromkeys(headlines))
    ub = list(dict.fromkeys(bodies))
    body_sents = [split_sentences(b) for b in ub]
    flat = [s for ss in body_sents for s in ss]
    vecs = embed(uh + flat)
    hvec, svec = vecs[: len(uh)], vecs[len(uh) :]
    heads, bods = {}, {}
    for i, t in enumerate(uh):
        heads[t] = (i, _head(t, hvec[i]))
    off = 0
    for j, (t, ss) in enumerate(zip(ub, body_sents)):
        bods[t] = (j, _body(t, svec[off : off + len(ss)]))
        off += len(ss)
    wh, wb = word_vec.transform(uh), word_vec.transform(ub)
    ch, cb = char_vec.transform(uh), char_vec.transform(ub)

    hand = np.zeros((len(headlines), len(HAND_NAMES)), np.float32)
    inter = np.zeros((len(headlines), N_INTER), np.float32)
    for r, (ht, bt) in enumerate(zip(headlines, bodies)):
        hi, h = heads[ht]
        bi, b = bods[bt]
        sims = b.emb @ h.emb
        order = np.argsort(-sims)
        top = order[:3]
        nh = max(len(set(h.cont)), 1)
        hs = set(h.cont)
        sent_ov = [_frac(len(hs & set(s)), nh) for s in b.sents]
        top_toks = [t for k in top for t in b.sents[k]]
        lead_toks = b.toks[:60]
        row = [
            float(wh[hi].multiply(wb[bi]).sum()),
            float(ch[hi].multiply(cb[bi]).sum()),
            _frac(len(hs & b.tokset), len(hs)),
            _frac(len(hs & b.tokset), len(hs | b.tokset)),
            _frac(len(hs & b.lead), len(hs)),
            _frac(len(h.bigrams & b.bigrams), len(h.bigrams)),
            _frac(len(h.caps & b.tokset), len(h.caps)),
            float(len(h.caps)),
            _frac(len(h.nums & b.nums), len(h.nums)),
            float(len(h.nums)),
            float(len(h.toks)),
            math.log1p(len(b.toks)),
            float(b.mean @ h.emb),
            float(sims.max()),
            float(sims[top].mean()),
            float(sims[0]),
            float(order[0] / max(len(sims), 1)),
            float(sims.std()),
            max(sent_ov) if sent_ov else 0.0,
            sent_ov[0] if sent_ov else 0.0,
            float("?" in ht),
        ]
        row += h.counts.tolist() + b.counts.tolist() + _window_counts(h, b).tolist()
        row += (_lexicon_counts(top_toks) * 100.0 / max(len(top_toks), 1)).tolist()
        row += (_lexicon_counts(lead_toks) * 100.0 / max(len(lead_toks), 1)).tolist()
        hand[r] = row
        best = b.emb[order[0]]
        topmean = _unit(b.emb[top].mean(0))
        inter[r] = np.concatenate([h.emb * best, h.emb * topmean, h.emb - topmean])
    return hand, inter
