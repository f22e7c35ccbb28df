"""What the claims' confidences cost (issue 17, figure 5 in mind): process CPU seconds of
``attribution.extract_batch`` over the 84 PolNeAR dev texts in batches of 32 (spaCy's parse
done before and timed apart), best of 3. Run it once with this checkout and once with
``PYTHONPATH=<a checkout before issue 17>/src`` and compare: CPU time, not wall time, as
these machines are shared.

    OMP_NUM_THREADS=1 python benchmarks/confidence_cost.py
"""

from __future__ import annotations

import json
import time

from zyte_common import SHARED

import claimdesk
from claimdesk.analyze.attribution import extract_batch, load_taggers
from claimdesk.analyze.nlp import load_nlp
from claimdesk.train.polnear import read_folder


def main() -> None:
    texts = [a.text for a in read_folder(SHARED / "data" / "polnear" / "dev")]
    nlp = load_nlp()
    load_taggers()
    started = time.process_time()
    docs = list(nlp.pipe(texts, batch_size=32))
    parse = time.process_time() - started
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        for i in range(0, len(docs), 32):
            extract_batch(docs[i : i + 32])
        best = min(best, time.process_time() - started)
    print(json.dumps({"code": claimdesk.__file__, "texts": len(texts), "parse_cpu_s": round(parse, 2),
                      "extract_cpu_s": round(best, 3)}))


if __name__ == "__main__":
    main()
