"""The matcher's encoder in float32 and with bfloat16 products (issue 16): does the cheaper one match as well?

    python benchmarks/encoder_precision.py [--json benchmarks/results/encoder_precision.json] [fp32 bf16]

``corpus/encoder.py`` runs all-MiniLM-L6-v2 (with the fine-tuned top layers) with bfloat16
matrix products where the CPU has them natively, which halves the CPU a claim costs to embed.
Vectors change a little, so the matcher is scored both ways in the same run on CheckThat 2020
**train** (all 800 tweets against the 10,375 Snopes claims; dev is not looked at): MAP@5, MRR
and Recall@5 over the top 5 as in ``claim_retrieval.py``, BM25 alone as the anchor, the CPU
seconds spent embedding the claims, and the cosine between the two encoders' claim vectors.
Train is in-sample for the fine-tuned layers: what is compared is the difference.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import claim_retrieval as cr  # noqa: E402
from machine import save  # noqa: E402

from claimdesk.corpus.lexical import LexicalIndex  # noqa: E402
from claimdesk.corpus.match import Matcher, default_encoder, lexical_document, read_claims, read_tsv_file  # noqa: E402


def main() -> None:
    args = sys.argv[1:]
    out_path = None
    if args[:1] == ["--json"]:
        out_path, args = args[1], args[2:]
    precisions = args or ["fp32", "bf16"]
    data = cr.DATA
    claims, problems = read_tsv_file(data / "verified_claims.docs.tsv", read_claims)
    assert not problems, problems[:3]
    bm25 = LexicalIndex()
    bm25.add(lexical_document(c) for c in claims)
    out: dict = {"split": "train", "claims": len(claims)}
    vectors = {}
    for precision in precisions:
        encode = default_encoder(precision_=precision)
        matcher = Matcher(encode)
        c0 = time.process_time()
        matcher.add(claims)
        embedded = time.process_time() - c0
        out[precision] = {"id": encode.id, "embed_claims_cpu_s": embedded, **cr.run_split(matcher, bm25, data, "train")}
        vectors[precision] = matcher.vectors.vectors(np.arange(len(claims)))
        print(precision, json.dumps(out[precision]), flush=True)
    if len(vectors) == 2:
        a, b = vectors.values()
        cosine = (a * b).sum(1)
        out["cosine_between"] = {"min": float(cosine.min()), "p1": float(np.percentile(cosine, 1)),
                                 "mean": float(cosine.mean())}
    print(json.dumps(out, indent=1))
    if out_path:
        save(out_path, out)


if __name__ == "__main__":
    main()
