"""A small BiLSTM-CRF tagger that reads the same feature strings as the CRFs, spaCy's
contextual token vectors, and the CRF's own per-token marginals: a second opinion that
knows the first.

The CRFs see each token through its feature strings and a window of two words either
side. This tagger hashes the same strings into a bag of learned embeddings, adds the
token's row of ``doc.tensor`` (the 96 numbers en_core_web_md's tok2vec layer already
computed for the tagger, parser and NER during the parse, so they cost nothing here)
and the role CRF's marginal probability of each tag, projected together to a few
dimensions, and runs a bidirectional LSTM over the sequence, so a token's label depends
on the whole window: where a quotation closed, which clause the cue governs, and how
sure the CRF was there. It is trained on PolNeAR train by ``claimdesk.train.neural``,
on marginals from CRFs that did not see the window (cross-fitting), so it learns where
the CRF errs rather than to copy it (``train/EXPERIMENTS.md``, session 5).

On top sits a linear-chain CRF layer: learned scores for each tag following another
(and for opening and closing a window), trained on the likelihood of the whole gold tag
sequence rather than token by token. A content is scored exactly only when both its
ends are right, and a sequence-level loss teaches exactly that; it raised content exact
F1 by about a point over per-token softmax (``EXPERIMENTS.md``, session 7).

It is sized for the CPU budget (the claim work may cost a quarter of the parse): one
layer of 64 units, and the windows of a whole parse batch of documents run through it
together, so the LSTM's step-by-step cost is shared (``NeuralTagger.scores``). Its
scores are decoded with the learned transitions under the BIO constraints (``decode``).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Sequence
from itertools import chain
from pathlib import Path

import numpy as np

BUCKETS = 1 << 16  # hashed feature embeddings: collisions cost little, and the weights stay small
HASH_MASK = BUCKETS - 1
CHUNK = 128  # windows per LSTM call at analysis time, sorted by length so padding stays short
_HASHES: dict[str, int] = {}


def feature_ids(strings: Sequence[str]) -> list[int]:
    """Bucket ids of feature strings (crc32: stable across processes, unlike ``hash``)."""
    if len(_HASHES) > 500_000:
        _HASHES.clear()
    out = []
    for s in strings:
        h = _HASHES.get(s)
        if h is None:
            h = _HASHES[s] = zlib.crc32(s.encode("utf-8", "surrogatepass")) & HASH_MASK
        out.append(h)
    return out


CONTEXT_WIDTH = 96  # en_core_web_md's tok2vec width: the columns of ``doc.tensor``


def make_net(n_tags: int, dim: int = 64, context_dim: int = 64, hidden: int = 64, layers: int = 1):
    """The network: per token, a bag of hashed feature embeddings (``dim``) next to the
    token's contextual vector and the CRF's ``n_tags`` marginals, projected together to
    ``context_dim``, through a BiLSTM to a score per tag (emissions); and the CRF layer's
    scores of tag j following tag i (``transitions[i, j]``), of opening (``start``) and of
    closing (``end``) a sequence with a tag.

    torch is imported here so that commands that do not analyse never load it."""
    import torch
    from torch import nn

    class TaggerNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.bag = nn.EmbeddingBag(BUCKETS, dim, mode="sum")
            self.proj = nn.Linear(CONTEXT_WIDTH + n_tags, context_dim)
            self.lstm = nn.LSTM(dim + context_dim, hidden, num_layers=layers, bidirectional=True, batch_first=True,
                                dropout=0.2 if layers > 1 else 0.0)
            self.out = nn.Linear(2 * hidden, n_tags)
            self.drop = nn.Dropout(0.2)
            self.transitions = nn.Parameter(torch.zeros(n_tags, n_tags))
            self.start = nn.Parameter(torch.zeros(n_tags))
            self.end = nn.Parameter(torch.zeros(n_tags))

        def forward(self, ids, offsets, context, lengths):
            batch, width, _ = context.shape
            x = torch.cat([self.bag(ids, offsets).view(batch, width, -1), self.proj(context)], -1)
            packed = nn.utils.rnn.pack_padded_sequence(self.drop(x), lengths, batch_first=True, enforce_sorted=False)
            o, _ = self.lstm(packed)
            o, _ = nn.utils.rnn.pad_packed_sequence(o, batch_first=True, total_length=width)
            return self.out(self.drop(o))

    return TaggerNet()


def tensors(bags: Sequence[Sequence[Sequence[int]]], context: Sequence[np.ndarray]):
    """Inputs of ``TaggerNet.forward`` for sequences given as per-token bucket ids and
    dense inputs (tokens x columns: the contextual vector and the CRF's marginals, see
    ``dense``). Padding tokens get an empty bag and zeros;
    ``lengths`` keeps them out of the LSTM. (Flattened with ``chain`` and ``cumsum``: a
    loop over the ~50k tokens of a batch's windows cost a millisecond an article.)"""
    import torch

    width = max(len(b) for b in bags)
    counts = np.zeros((len(bags), width), dtype=np.int64)  # ids per token; 0 for padding
    padded = np.zeros((len(bags), width, context[0].shape[1]), dtype=np.float32)
    for b, (seq, vectors) in enumerate(zip(bags, context)):
        counts[b, : len(seq)] = [len(ids) for ids in seq]
        padded[b, : len(seq)] = vectors
    offsets = np.zeros(counts.size, dtype=np.int64)
    np.cumsum(counts.ravel()[:-1], out=offsets[1:])
    flat = np.fromiter(chain.from_iterable(chain.from_iterable(bags)), dtype=np.int64, count=int(counts.sum()))
    return (torch.from_numpy(flat), torch.from_numpy(offsets),
            torch.from_numpy(padded), torch.tensor([len(b) for b in bags], dtype=torch.long))


def dense(vectors: np.ndarray, marginals: np.ndarray) -> np.ndarray:
    """A window's dense input per token: its contextual vector, then the CRF's marginals."""
    return np.hstack([vectors, marginals.astype(np.float32, copy=False)])


def context_vectors(doc) -> np.ndarray:
    """``doc.tensor``: the tok2vec output the parse left on the Doc (tokens x 96).

    A Doc that lost it (read back from a DocBin, as training's parse cache does) gets it
    recomputed by the same tok2vec layer; it depends on the words alone."""
    tensor = doc.tensor
    if tensor is None or tensor.shape != (len(doc), CONTEXT_WIDTH):
        from .nlp import load_nlp

        tensor = load_nlp().get_pipe("tok2vec")(doc).tensor
    return np.asarray(tensor, dtype=np.float32)


class NeuralTagger:
    """A trained TaggerNet with its tag set, ready to tag sequences."""

    def __init__(self, path: Path):
        import torch

        meta = json.loads(path.with_suffix(".json").read_text())
        self.tags: list[str] = meta["tags"]
        self.net = make_net(len(self.tags), meta["dim"], meta["context_dim"], meta["hidden"], meta["layers"])
        state = torch.load(path, map_location="cpu", weights_only=True)
        self.net.load_state_dict({k: v.float() for k, v in state.items()})
        self.net.eval()
        self.transitions = self.net.transitions.detach().numpy().astype(np.float64)
        self.start = self.net.start.detach().numpy().astype(np.float64)
        self.end = self.net.end.detach().numpy().astype(np.float64)

    def scores(self, bags: Sequence[Sequence[Sequence[int]]], context: Sequence[np.ndarray]) -> list[np.ndarray]:
        """Per sequence (per token, its feature bucket ids and ``dense`` input), an array
        tokens x tags of emission scores (the LSTM's side of the CRF's path score).

        Sequences go through the LSTM CHUNK at a time, sorted by length: the LSTM's cost is
        mostly per step, so many short windows side by side cost little more than one. One
        thread: on matrices this small a second one only adds waiting (3x slower measured)."""
        import torch

        out: list[np.ndarray | None] = [None] * len(bags)
        order = sorted(range(len(bags)), key=lambda i: len(bags[i]))
        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            with torch.inference_mode():
                for start in range(0, len(order), CHUNK):
                    part = order[start : start + CHUNK]
                    inputs = tensors([bags[i] for i in part], [context[i] for i in part])
                    e = self.net(*inputs).numpy()
                    for b, i in enumerate(part):
                        out[i] = e[b, : len(bags[i])]
        finally:
            torch.set_num_threads(threads)
        return out  # type: ignore[return-value]

    def tag(self, bags: Sequence[Sequence[Sequence[int]]], context: Sequence[np.ndarray]) -> list[list[str]]:
        """Per sequence, its best tag path under the learned transitions and BIO."""
        return decode(self.scores(bags, context), self.tags, self.transitions, self.start, self.end)


def load_tagger(path: str) -> NeuralTagger | None:
    """The tagger at ``path`` (None when it was not shipped); ``attribution.load_taggers``
    keeps it for the process."""
    if not Path(path).exists():
        return None
    return NeuralTagger(Path(path))


def allowed_transitions(tags: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """BIO constraints: an I-X follows only B-X or I-X, and never opens a sequence."""
    n = len(tags)
    trans = np.zeros((n, n))
    start = np.zeros(n)
    for j, b in enumerate(tags):
        if b.startswith("I-"):
            start[j] = -np.inf
            for i, a in enumerate(tags):
                if a[2:] != b[2:]:
                    trans[i, j] = -np.inf
    return trans, start


def decode(scores: Sequence[np.ndarray], tags: Sequence[str], transitions: np.ndarray | None = None,
           start: np.ndarray | None = None, end: np.ndarray | None = None) -> list[list[str]]:
    """Per sequence, the best-scoring tag path that obeys BIO: Viterbi over per-token
    scores (tokens x tags, log domain) plus, when given, the CRF layer's transition,
    opening and closing scores; all sequences at once."""
    if not scores:
        return []
    k = len(tags)
    allowed, allowed_start = allowed_transitions(tuple(tags))
    trans = allowed + (transitions if transitions is not None else 0.0)
    opening = allowed_start + (start if start is not None else 0.0)
    closing = end if end is not None else np.zeros(k)
    lengths = np.array([len(s) for s in scores])
    width = int(lengths.max())
    emit = np.zeros((len(scores), width, k))
    for b, s in enumerate(scores):
        emit[b, : len(s)] = s
    score = opening + emit[:, 0]
    back = np.zeros((len(scores), width, k), dtype=np.int64)
    stay = np.arange(k)
    for t in range(1, width):
        cand = score[:, :, None] + trans
        active = (t < lengths)[:, None]
        back[:, t] = np.where(active, cand.argmax(1), stay)  # past its end a sequence keeps its state
        score = np.where(active, cand.max(1) + emit[:, t], score)
    score = score + closing
    states = np.zeros((len(scores), width), dtype=np.int64)
    states[:, -1] = score.argmax(1)
    rows = np.arange(len(scores))
    for t in range(width - 1, 0, -1):
        states[:, t - 1] = back[rows, t, states[:, t]]
    return [[tags[i] for i in states[b, :n]] for b, n in enumerate(lengths)]
