"""Issue 17: `claimdesk headline-check` over FNC-1 pairs, each distinct body parsed once.

The first ``--pairs`` pairs of the FNC-1 half in ../shared/data, in the file's order (bodies
recur across it, as in any pair set), in batches of 32 as the command reads them, through
``headline.PairChecker`` twice in one process, alternating, best of ``--repeat``:

- anchor: ``keep=0``, nothing kept between batches (every batch parses its bodies again, as
  every pair did before; the stance model's embedding memo cleared each batch too);
- claimdesk: the command's checker (bodies and headlines kept, 512 of them; embeddings kept).

Both must give the same verdicts. Models load outside the timed part; torch on one thread.

    python benchmarks/headline_pairs.py [--pairs 1000] [--repeat 2] [--json out.json]
"""

from __future__ import annotations

import argparse
import time

import machine
from zyte_common import SHARED

FNC1 = SHARED / "data" / "fnc1"
BATCH = 32


def pairs(n: int) -> list[tuple[str, str]]:
    import csv

    with open(FNC1 / "bodies.csv", encoding="utf-8") as f:
        bodies = {row["Body ID"]: row["articleBody"] for row in csv.DictReader(f)}
    with open(FNC1 / "stances.csv", encoding="utf-8") as f:
        return [(row["Headline"], bodies[row["Body ID"]]) for row in csv.DictReader(f)][:n]


def run(checker, items: list[tuple[str, str]], clear_memo: bool) -> tuple[float, list[str]]:
    from claimdesk.analyze import headline_model as hm

    verdicts = []
    started = time.perf_counter()
    for i in range(0, len(items), BATCH):
        if clear_memo:
            hm.load()[1].memo.clear()
        verdicts += [c.check.verdict if c.check else "none" for c in checker.check(items[i : i + BATCH])]
    return time.perf_counter() - started, verdicts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--json")
    args = parser.parse_args()

    import torch

    torch.set_num_threads(1)
    from claimdesk.analyze import headline_model as hm
    from claimdesk.analyze.headline import PairChecker

    items = pairs(args.pairs)
    hm.load()
    PairChecker().check(items[:1])  # load every model
    best = {"anchor": float("inf"), "claimdesk": float("inf")}
    verdicts = {}
    for _ in range(args.repeat):
        for name, keep in (("anchor", 0), ("claimdesk", 512)):
            hm.load()[1].memo.clear()
            seconds, verdicts[name] = run(PairChecker(keep=keep), items, clear_memo=keep == 0)
            best[name] = min(best[name], seconds)
    same = sum(a == b for a, b in zip(verdicts["anchor"], verdicts["claimdesk"]))
    result = {
        "pairs": len(items), "bodies": len({b for _, b in items}), "headlines": len({h for h, _ in items}),
        "seconds": {k: round(v, 2) for k, v in best.items()},
        "pairs_per_second": {k: round(len(items) / v, 2) for k, v in best.items()},
        "speedup": round(best["anchor"] / best["claimdesk"], 2), "same_verdicts": same,
    }
    print(result)
    if args.json:
        machine.save(args.json, result)


if __name__ == "__main__":
    main()
