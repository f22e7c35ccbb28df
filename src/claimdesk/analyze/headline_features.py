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


def sentence_spans(body: str) -> list[tuple[int, int]]:
    """(start, end) of each body sentence in ``body``, capped in number and length
    (the lead carries most stance); offsets let a reason point at the sentence."""
    spans, start = [], 0
    for m in list(SENT_RE.finditer(body)) + [None]:
        end = m.start() if m else len(body)
        piece = body[start:end]
        lead = len(piece) - len(piece.lstrip())
        s, e = start + lead, start + len(piece.rstrip())
        if e - s > 2:
            spans.append((s, min(e, s + MAX_SENTENCE_CHARS)))
        if m:
            start = m.end()
    spans = spans[:MAX_SENTENCES]
    return spans or [(0, min(len(body), MAX_SENTENCE_CHARS))]


def split_sentences(body: str) -> list[str]:
    """Sentences of a body, capped in number and length (the lead carries most stance)."""
    return [body[s:e] for s, e in sentence_spans(body)] if body.strip() else ["."]


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class Embedder:
    """Batched, memoised sentence embeddings (unit length).

    ``cache_dir`` keeps them on disk between runs (training and benchmarks
    only; the shipped model needs no cache). Batches of 16: the model pads a batch to its
    longest text, and on one CPU thread 16 embed PolNeAR headline checks' texts in 30 ms an
    article where 64 took 53 ms.
    """

    def __init__(self, model, cache_dir: Path | None = None, batch_size: int = 16):
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


@dataclass(frozen=True)
class Evidence:
    """The body sentence closest in meaning to the headline: offsets in the body, cosine."""

    sentence: tuple[int, int]
    similarity: float


@dataclass
class _Body:
    toks: list[str]
    tokset: set[str]
    lead: set[str]
    bigrams: set[tuple[str, str]]
    caps: set[str]
    nums: set[str]
    spans: list[tuple[int, int]]  # sentence offsets in the body text
    sents: list[list[str]]  # tokens per sentence
    counts: np.ndarray  # refute, hedge, negation, confirm per 100 tokens


@dataclass
class _Head:
    toks: list[str]
    cont: list[str]
    bigrams: set[tuple[str, str]]
    caps: set[str]
    nums: set[str]
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


def _body(text: str) -> _Body:
    toks = tokens(text)
    cont = content(toks)
    spans = sentence_spans(text) if text.strip() else [(0, 0)]
    n = max(len(toks), 1)
    return _Body(
        toks=toks,
        tokset=set(cont),
        lead=set(content(toks[:120])),
        bigrams=set(zip(cont, cont[1:])),
        caps=_caps(text),
        nums=_nums(text),
        spans=spans,
        sents=[tokens(text[a:b]) for a, b in spans],
        counts=_lexicon_counts(toks) * 100.0 / n,
    )


def _head(text: str) -> _Head:
    toks = tokens(text)
    cont = content(toks)
    return _Head(toks, cont, set(zip(cont, cont[1:])), _caps(text), _nums(text), _lexicon_counts(toks))


def select_sentences(head: Sequence[str], sents: Sequence[Sequence[str]], k: int | None,
                     idf: Callable[[str], float]) -> list[int]:
    """Which body sentences to embed: all when ``k`` is None, else the lead sentence and the
    ``k - 1`` sharing the most (IDF-weighted) headline words, in body order.

    Embedding is most of the cost of a check (about 0.3 ms a token on one CPU thread), and
    the sentences that share no word with the headline rarely decide its stance.
    """
    if k is None or len(sents) <= k:
        return list(range(len(sents)))
    hs = set(head)
    weight = [sum(idf(t) for t in hs.intersection(s)) for s in sents]
    rest = sorted(range(1, len(sents)), key=lambda i: (-weight[i], i))[: k - 1]
    return [0] + sorted(rest)


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


def idf_lookup(word_vec) -> Callable[[str], float]:
    """IDF of a word from the fitted word TF-IDF (unknown words weigh as the rarest)."""
    vocab, idf = word_vec.vocabulary_, word_vec.idf_
    top = float(idf.max()) if len(idf) else 1.0
    return lambda t: float(idf[vocab[t]]) if t in vocab else top


def featurize(
    headlines: Sequence[str],
    bodies: Sequence[str],
    embed: Callable[[Sequence[str]], np.ndarray],
    word_vec,
    char_vec,
    embed_sentences: int | None = None,
) -> tuple[np.ndarray, np.ndarray, list[Evidence]]:
    """Hand features (n x len(HAND_NAMES)), embedding blocks (n x 3*384) and, per pair,
    which body sentence is closest in meaning to the headline (for reasons people read).

    The blocks: headline x best-matching body sentence, headline x the three
    best, headline - the three best.  (The body's own embeddings added nothing
    in cross-validation: they describe the topic, not the stance.)  Only the
    sentences ``select_sentences`` picks are embedded, all texts in one batch.
    """
    uh = list(dict.fromkeys(headlines))
    ub = list(dict.fromkeys(bodies))
    heads = {t: _head(t) for t in uh}
    bods = {t: _body(t) for t in ub}
    idf = idf_lookup(word_vec)
    chosen = [select_sentences(heads[h].cont, bods[b].sents, embed_sentences, idf)
              for h, b in zip(headlines, bodies)]
    texts = list(dict.fromkeys(
        uh + [b[slice(*bods[b].spans[i])] or "." for b, idx in zip(bodies, chosen) for i in idx]))
    row_of = {t: i for i, t in enumerate(texts)}
    vecs = embed(texts)
    hi_of = {t: i for i, t in enumerate(uh)}
    bi_of = {t: i for i, t in enumerate(ub)}
    wh, wb = word_vec.transform(uh), word_vec.transform(ub)
    ch, cb = char_vec.transform(uh), char_vec.transform(ub)

    hand = np.zeros((len(headlines), len(HAND_NAMES)), np.float32)
    inter = np.zeros((len(headlines), N_INTER), np.float32)
    evidence: list[Evidence] = []
    for r, (ht, bt, idx) in enumerate(zip(headlines, bodies, chosen)):
        hi, h, bi, b = hi_of[ht], heads[ht], bi_of[bt], bods[bt]
        h_emb = vecs[row_of[ht]]
        emb = np.stack([vecs[row_of[bt[slice(*b.spans[i])] or "."]] for i in idx])
        sims = emb @ h_emb
        order = np.argsort(-sims)
        top = order[:3]
        nh = max(len(set(h.cont)), 1)
        hs = set(h.cont)
        sent_ov = [_frac(len(hs & set(s)), nh) for s in b.sents]
        top_toks = [t for k in top for t in b.sents[idx[k]]]
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
            float(_unit(emb.mean(0)) @ h_emb),
            float(sims.max()),
            float(sims[top].mean()),
            float(sims[0]),
            float(idx[order[0]] / max(len(b.sents), 1)),
            float(sims.std()),
            max(sent_ov) if sent_ov else 0.0,
            sent_ov[0] if sent_ov else 0.0,
            float("?" in ht),
        ]
        row += h.counts.tolist() + b.counts.tolist() + _window_counts(h, b).tolist()
        row += (_lexicon_counts(top_toks) * 100.0 / max(len(top_toks), 1)).tolist()
        row += (_lexicon_counts(lead_toks) * 100.0 / max(len(lead_toks), 1)).tolist()
        hand[r] = row
        best = emb[order[0]]
        topmean = _unit(emb[top].mean(0))
        inter[r] = np.concatenate([h_emb * best, h_emb * topmean, h_emb - topmean])
        evidence.append(Evidence(b.spans[idx[order[0]]], float(sims.max())))
    return hand, inter, evidence
