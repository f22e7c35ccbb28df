"""PolNeAR dev: attribution extraction quality and its cost next to the spaCy parse.

Quality: per role (source, cue, content) precision / recall / F1 for exact
span match (ignoring leading/trailing whitespace and punctuation) and for
overlap, and for whole attributions (source, cue and content all matched).
Gold is one annotator file per article, the first by sorted name.

Throughput: in the same run, each in a fresh process (so peak memory is its
own), bare ``nlp.pipe`` over the 84 dev texts and ``nlp.pipe`` + ``extract``
over the same texts; documents per second, their ratio, peak RSS.

    python benchmarks/polnear.py [--json out.json] [--weights DIR] [--repeat 2] [--rules]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

SHARED = Path(os.environ.get("CLAIMDESK_SHARED", Path(__file__).resolve().parents[2] / "shared"))
DEV = SHARED / "data" / "polnear" / "dev"


def quality(weights: Path | None, rules: bool = False) -> dict:
    from claimdesk.analyze.attribution import WEIGHTS
    from claimdesk.analyze.attribution_rules import extract_rules
    from claimdesk.train.attributions import evaluate, load_split
    from claimdesk.train.score import table

    articles, docs = load_split(DEV, all_annotators=False)
    print(f"PolNeAR dev: {len(articles)} articles, {sum(len(a.attributions) for a in articles)} gold attributions")
    result = {}
    if rules:
        baseline = evaluate(articles, docs, weights or WEIGHTS, extractor=extract_rules)
        print("rules only (baseline):")
        print(table(baseline))
        result["rules"] = baseline.as_dict()
        print("learned (claimdesk.analyze.attribution.extract):")
    scores = evaluate(articles, docs, weights or WEIGHTS)
    print(table(scores))
    result["learned"] = scores.as_dict()
    return result


def throughput_child(mode: str, weights: str | None) -> None:
    """Run in a fresh process: time one pass, print JSON with docs/s and peak RSS."""
    from claimdesk.analyze.attribution import WEIGHTS, extract, load_taggers
    from claimdesk.analyze.nlp import load_nlp
    from claimdesk.train.polnear import read_folder

    texts = [a.text for a in read_folder(DEV)]
    nlp = load_nlp()
    list(nlp.pipe(texts[:4]))  # warm up
    if mode == "extract":
        load_taggers(str(weights or WEIGHTS))
    t = time.perf_counter()
    n_claims = 0
    for doc in nlp.pipe(texts, batch_size=16):
        if mode == "extract":
            n_claims += len(extract(doc, weights or WEIGHTS))
    seconds = time.perf_counter() - t
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"mode": mode, "docs": len(texts), "seconds": seconds,
                      "docs_per_s": len(texts) / seconds, "peak_rss_mb": rss_mb, "attributions": n_claims}))


def throughput(weights: Path | None, repeat: int) -> dict:
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    runs: dict[str, list[dict]] = {"bare": [], "extract": []}
    for _ in range(repeat):
        for mode in ("bare", "extract"):  # interleaved so machine load hits both alike
            cmd = [sys.executable, __file__, "--child", mode] + (["--weights", str(weights)] if weights else [])
            out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
            runs[mode].append(json.loads(out.strip().splitlines()[-1]))
    best = {mode: max(r, key=lambda x: x["docs_per_s"]) for mode, r in runs.items()}
    ratio = best["extract"]["docs_per_s"] / best["bare"]["docs_per_s"]
    print(f"\nthroughput over {best['bare']['docs']} dev texts (best of {repeat}, 1 thread):")
    for mode in ("bare", "extract"):
        b = best[mode]
        print(f"  {'nlp.pipe' if mode == 'bare' else 'nlp.pipe + extract':20} {b['docs_per_s']:6.2f} docs/s"
              f"   peak RSS {b['peak_rss_mb']:.0f} MB")
    print(f"  ratio {ratio:.3f} (target >= 0.8)")
    return {"runs": runs, "best": best, "ratio": round(ratio, 4)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--weights", type=Path, help="weights folder (default: the shipped one)")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--no-throughput", action="store_true")
    parser.add_argument("--rules", action="store_true", help="also score the rules-only baseline")
    parser.add_argument("--child", choices=["bare", "extract"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        throughput_child(args.child, str(args.weights) if args.weights else None)
        return
    result = {"dev": str(DEV), "quality": quality(args.weights, args.rules)}
    if not args.no_throughput:
        result["throughput"] = throughput(args.weights, args.repeat)
    if args.json:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import machine

        machine.save(str(args.json), result)


if __name__ == "__main__":
    main()
