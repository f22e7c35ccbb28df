"""Train the BiLSTM-CRF role tagger (``claimdesk.analyze.neural``) on the role windows of PolNeAR train.

Called by ``claimdesk.train.attributions`` after the CRFs, on the same windows and the
same feature strings, so the two role taggers see one input. Adam on the negative
log-likelihood of each window's whole gold tag sequence (``sequence_nll``), a fixed
number of epochs and a fixed seed. Weights are written as float16 (half the size; the
scores move by less than 1e-2).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from claimdesk.analyze.neural import feature_ids, make_net, tensors

EPOCHS = 5
HIDDEN = 64  # LSTM units per direction (128 scored no better across seeds and costs ~5 ms an article more: EXPERIMENTS.md, session 7)
BATCH = 32
LEARNING_RATE = 2e-3
SEED = 0


@dataclass
class Example:
    """One sequence, hashed: per token its feature bucket ids, its dense input (the
    contextual vector and the held-out CRF's marginals, ``neural.dense``; float16 while
    waiting: 22k windows of them), its tag."""

    ids: list[list[int]]
    context: np.ndarray
    tags: np.ndarray


def example(strings: list[list[str]], context: np.ndarray, labels: list[str], tags: list[str]) -> Example:
    return Example([feature_ids(s) for s in strings], context.astype(np.float16),
                   np.array([tags.index(label) for label in labels], dtype=np.int64))


def _tensors(items: list[Example]):
    import torch

    inputs = tensors([e.ids for e in items], [e.context for e in items])
    gold = np.full((len(items), inputs[2].shape[1]), -100, dtype=np.int64)  # -100: padding, ignored by the loss
    for b, e in enumerate(items):
        gold[b, : len(e.tags)] = e.tags
    return (*inputs, torch.from_numpy(gold))


def sequence_nll(net, emissions, gold, lengths):
    """Mean per token of -log P(gold path | window) under the linear-chain CRF: the
    forward algorithm's log partition minus the gold path's score (emissions plus the
    net's start, transition and end scores). Padding (past ``lengths``) counts for neither."""
    import torch

    batch, width, _ = emissions.shape
    active = torch.arange(width)[None, :] < lengths[:, None]
    y = gold.clamp(min=0)  # padding's -100 -> any tag; masked out below
    rows = torch.arange(batch)
    path = net.start[y[:, 0]] + emissions[rows, 0, y[:, 0]]
    alpha = net.start[None] + emissions[:, 0]
    for t in range(1, width):
        step = net.transitions[y[:, t - 1], y[:, t]] + emissions[rows, t, y[:, t]]
        path = path + step * active[:, t]
        moved = torch.logsumexp(alpha[:, :, None] + net.transitions[None] + emissions[:, t, None, :], 1)
        alpha = torch.where(active[:, t, None], moved, alpha)
    path = path + net.end[y[rows, lengths - 1]]
    log_z = torch.logsumexp(alpha + net.end[None], 1)
    return (log_z - path).sum() / lengths.sum()


def train(examples: list[Example], tags: list[str], path: Path, epochs: int = EPOCHS, dim: int = 64,
          context_dim: int = 64, hidden: int = HIDDEN, layers: int = 1, seed: int = SEED, log=print) -> dict:
    """Fit a TaggerNet and write it to ``path`` (+ ``.json`` with its tag set and sizes).

    ``seed`` fixes the initial weights and the order of the examples; another seed gives
    another draw of the same recipe (EXPERIMENTS.md measures how far draws differ; so does
    torch's thread count, which orders the sums: the shipped weights used two threads)."""
    import torch
    from torch import nn

    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    net = make_net(len(tags), dim, context_dim, hidden, layers)
    optimiser = torch.optim.Adam(net.parameters(), lr=LEARNING_RATE)
    order = np.arange(len(examples))
    seconds = []
    for epoch in range(epochs):
        net.train()
        rng.shuffle(order)
        t0, total = time.time(), 0.0
        for start in range(0, len(order), BATCH * 50):  # batches of similar length within each chunk
            chunk = sorted(order[start : start + BATCH * 50], key=lambda i: len(examples[i].tags))
            for i in range(0, len(chunk), BATCH):
                *inputs, gold = _tensors([examples[j] for j in chunk[i : i + BATCH]])
                loss = sequence_nll(net, net(*inputs), gold, inputs[3])
                optimiser.zero_grad()
                loss.backward()
                nn.utils.clip_grad_norm_(net.parameters(), 5.0)
                optimiser.step()
                total += loss.item()
        seconds.append(round(time.time() - t0, 1))
        log(f"  role net epoch {epoch + 1}/{epochs}: loss {total:.1f} ({seconds[-1]} s)")
    torch.save({k: v.half() for k, v in net.state_dict().items()}, path)
    meta = {"tags": list(tags), "loss": "crf", "dim": dim, "context_dim": context_dim, "hidden": hidden, "layers": layers, "epochs": epochs, "batch": BATCH,
            "learning_rate": LEARNING_RATE, "seed": seed, "sequences": len(examples)}
    path.with_suffix(".json").write_text(json.dumps(meta, indent=2) + "\n")
    return {**meta, "epoch_seconds": seconds}
