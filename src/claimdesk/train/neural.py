"""Train the BiLSTM role tagger (``claimdesk.analyze.neural``) on the role windows of PolNeAR train.

Called by ``claimdesk.train.attributions`` after the CRFs, on the same windows and the
same feature strings, so the two role taggers see one input. Adam, cross-entropy per
token, a fixed number of epochs and a fixed seed. Weights are written as float16 (half
the size; the tag probabilities move by less than 1e-3).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from claimdesk.analyze.neural import feature_ids, make_net, tensors

EPOCHS = 5
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


def train(examples: list[Example], tags: list[str], path: Path, epochs: int = EPOCHS, dim: int = 64,
          context_dim: int = 64, hidden: int = 64, layers: int = 1, log=print, on_epoch=None) -> dict:
    """Fit a TaggerNet and write it to ``path`` (+ ``.json`` with its tag set and sizes)."""
    import torch
    from torch import nn

    torch.manual_seed(SEED)
    rng = np.random.default_rng(SEED)
    net = make_net(len(tags), dim, context_dim, hidden, layers)
    optimiser = torch.optim.Adam(net.parameters(), lr=LEARNING_RATE)
    loss_of = nn.CrossEntropyLoss(ignore_index=-100)
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
                loss = loss_of(net(*inputs).reshape(-1, len(tags)), gold.reshape(-1))
                optimiser.zero_grad()
                loss.backward()
                nn.utils.clip_grad_norm_(net.parameters(), 5.0)
                optimiser.step()
                total += loss.item()
        seconds.append(round(time.time() - t0, 1))
        log(f"  role net epoch {epoch + 1}/{epochs}: loss {total:.1f} ({seconds[-1]} s)")
        if on_epoch is not None:
            net.eval()
            on_epoch(net, epoch)
    torch.save({k: v.half() for k, v in net.state_dict().items()}, path)
    meta = {"tags": list(tags), "dim": dim, "context_dim": context_dim, "hidden": hidden, "layers": layers, "epochs": epochs, "batch": BATCH,
            "learning_rate": LEARNING_RATE, "seed": SEED, "sequences": len(examples)}
    path.with_suffix(".json").write_text(json.dumps(meta, indent=2) + "\n")
    return {**meta, "epoch_seconds": seconds}
