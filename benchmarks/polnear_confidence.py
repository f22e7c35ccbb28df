"""Issue 17: how far a claim's ``confidence`` tells right claims from wrong ones, and where
the desk's threshold (``model.LOW_CONFIDENCE``) sits.

Each PolNeAR text of a split goes through ``claimdesk analyze`` (cleaned as a text dump, as
``polnear_claims.py`` does). A claim is *right* when one gold attribution (one annotator
file per article, the first by sorted name) has a cue and a content it overlaps, each at
least one shared character: a reader who opens it finds a real attribution there.
*Exact* also asks for the same cue and content after trimming (the benchmark's exact).

The threshold is chosen on TRAIN: the upper edge of the highest band of confidence (0.05
wide) whose claims are *exact* less often than ``--floor`` of the time (at 0.5: below it, a
claim is more likely than not to show other words than an annotator marked). On train
nearly every claim is *right* (the taggers learned those texts), so only exactness tells
bands apart there. Dev is reported beside it as held out: the honest column.

    python benchmarks/polnear_confidence.py --split train --json benchmarks/results/polnear_confidence.json
    python benchmarks/polnear_confidence.py --split dev --json ...   # adds dev to the same file

``--dump FILE`` keeps each claim's parts (cue score, source and content span scores, right
or not) to try other combinations without a second run; ``--from-dump FILE`` scores such
a file with ``attribution.confidence`` and ``claims.RULE_CONFIDENCE`` as shipped (the same
figures as a run: analysis is deterministic), and measures the rules' precision there.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import machine
from zyte_common import SHARED

from claimdesk.analyze import analyze_articles
from claimdesk.analyze import attribution
from claimdesk.clean import clean
from claimdesk.model import LOW_CONFIDENCE, RawDocument
from claimdesk.train.polnear import read_folder
from claimdesk.train.score import trim

SHIPPED = attribution.confidence  # run() swaps it for one that keeps the parts
BINS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)


def _overlap(a, b) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


def judged(text: str, claims, gold) -> list[dict]:
    """Each claim: its confidence (or parts), whether a gold attribution has its cue and
    content (overlap), and the same exactly."""
    out = []
    for c in claims:
        cue, content = (c.cue.start, c.cue.end), (c.content.start, c.content.end)
        right = exact = False
        for g in gold:
            gcue = (g.cue.start, g.cue.end) if g.cue else None
            gcon = (g.content.start, g.content.end) if g.content else None
            if _overlap(cue, gcue) and _overlap(content, gcon):
                right = True
                if trim(text, *cue) == trim(text, *gcue) and trim(text, *content) == trim(text, *gcon):
                    exact = True
        out.append({"confidence": c.confidence, "right": right, "exact": exact})
    return out


def run(split: str) -> list[dict]:
    """Judged claims of the split, each with its confidence's parts (``attribution.RoleScores``
    and the cue's score) instead of the number; a rule's claim keeps its constant."""
    attribution.confidence = lambda cue, roles: {"cue": cue, "roles": roles}
    gold = read_folder(SHARED / "data" / "polnear" / split)
    articles = [clean(RawDocument(text=a.text, format="text", path=a.name)) for a in gold]
    found = []
    for article, analysis in zip(gold, analyze_articles(articles)):
        found += judged(article.text, analysis.claims, article.attributions)
    return found


def _flat(parts) -> dict | float:
    """Parts as JSON (``attribution.RoleScores`` of dataclasses), or the rule constant."""
    if not isinstance(parts, dict):
        return parts
    roles = parts["roles"]
    span = lambda s: None if s is None else {"inside": s.inside, "start": s.start, "end": s.end}  # noqa: E731
    return {"cue": parts["cue"], "source": span(roles.source), "content": span(roles.content)}


def scored(parts: list[dict]) -> tuple[list[dict], dict]:
    """Claims with the shipped confidence computed from their parts (``rule`` marks a rule's
    claim, which has none); and the rule claims' precision."""
    from claimdesk.analyze.attribution import RoleScores, SpanScore
    from claimdesk.analyze.claims import RULE_CONFIDENCE

    def span(s: dict | None) -> SpanScore | None:
        return None if s is None else SpanScore(s["inside"], s["start"], s["end"])

    claims = []
    for c in parts:
        p = c["confidence"]
        rule = not isinstance(p, dict)
        score = RULE_CONFIDENCE if rule else SHIPPED(p["cue"], RoleScores(span(p["source"]), span(p["content"])))
        claims.append({**c, "confidence": score, "rule": rule})
    rules = [c for c in claims if c["rule"]]
    return claims, {"claims": len(rules), "right": sum(c["right"] for c in rules), "exact": sum(c["exact"] for c in rules)}


def curve(claims: list[dict]) -> dict:
    """Precision (right, exact) per confidence bin, and of all claims under each bin's floor."""
    bins = []
    for lo, hi in zip(BINS, BINS[1:]):
        inside = [c for c in claims if lo <= c["confidence"] < hi]
        below = [c for c in claims if c["confidence"] < hi]
        bins.append({"from": lo, "to": min(hi, 1.0), "claims": len(inside),
                     "right": sum(c["right"] for c in inside), "exact": sum(c["exact"] for c in inside),
                     "below": len(below), "below_right": sum(c["right"] for c in below)})
    return {"claims": len(claims), "right": sum(c["right"] for c in claims),
            "exact": sum(c["exact"] for c in claims), "bins": bins, "auc": auc(claims), "auc_exact": auc(claims, "exact")}


def auc(claims: list[dict], key: str = "right") -> float:
    """Probability that a right (or exact) claim has a higher confidence than another (ties half)."""
    right = sorted(c["confidence"] for c in claims if c[key])
    wrong = sorted(c["confidence"] for c in claims if not c[key])
    if not right or not wrong:
        return float("nan")
    import bisect

    wins = sum(bisect.bisect_left(wrong, r) + 0.5 * (bisect.bisect_right(wrong, r) - bisect.bisect_left(wrong, r))
               for r in right)
    return round(wins / (len(right) * len(wrong)), 4)


BAND = 0.05


def threshold(claims: list[dict], floor: float) -> float:
    """The upper edge of the highest ``BAND``-wide band of confidence whose taggers' claims
    are exact less than ``floor`` of the time (bands of fewer than 50 claims do not decide;
    rules' claims take their confidence from the threshold, so they do not choose it)."""
    best = 0.0
    for k in range(1, int(1 / BAND) + 1):
        lo, hi = (k - 1) * BAND, k * BAND
        band = [c for c in claims if lo <= c["confidence"] < hi and not c["rule"]]
        if len(band) >= 50 and sum(c["exact"] for c in band) / len(band) < floor:
            best = round(hi, 2)
    return best


def bands(claims: list[dict]) -> list[dict]:
    """Claims, right and exact per ``BAND``-wide band of confidence."""
    out = []
    for k in range(1, int(1 / BAND) + 1):
        lo, hi = (k - 1) * BAND, k * BAND + (1e-9 if k == int(1 / BAND) else 0)
        band = [c for c in claims if lo <= c["confidence"] < hi]
        out.append({"from": round(lo, 2), "to": round(min(hi, 1.0), 2), "claims": len(band),
                    "right": sum(c["right"] for c in band), "exact": sum(c["exact"] for c in band)})
    return out


def at(claims: list[dict], t: float) -> dict:
    """What hiding the claims under ``t`` does: how many, how many of them were right, and
    the precision of what stays."""
    hidden = [c for c in claims if c["confidence"] < t]
    kept = [c for c in claims if c["confidence"] >= t]
    return {"threshold": t, "hidden": len(hidden), "hidden_right": sum(c["right"] for c in hidden),
            "kept": len(kept), "kept_right": sum(c["right"] for c in kept),
            "all_right": sum(c["right"] for c in claims), "claims": len(claims)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["train", "dev"], default="train")
    parser.add_argument("--json", help="results file; an existing one keeps the other split")
    parser.add_argument("--dump", help="write each claim's confidence parts here (JSON) instead of scoring")
    parser.add_argument("--from-dump", help="score the parts a --dump run wrote, instead of analysing again")
    parser.add_argument("--floor", type=float, default=0.5)
    args = parser.parse_args()
    if args.dump:
        parts = run(args.split)
        Path(args.dump).write_text(json.dumps([{**c, "confidence": _flat(c["confidence"])} for c in parts]))
        print(f"{len(parts)} claims of {args.split} with their parts in {args.dump}")
        return
    if args.from_dump:
        parts = json.loads(Path(args.from_dump).read_text())
    else:
        parts = [{**c, "confidence": _flat(c["confidence"])} for c in run(args.split)]
    claims, rules = scored(parts)
    result = {"floor": args.floor, "threshold_in_use": LOW_CONFIDENCE, "curve": curve(claims), "bands": bands(claims),
              "chosen": threshold(claims, args.floor),  # on dev: where the same rule would put it (not used)
              "at_threshold": at(claims, LOW_CONFIDENCE)}
    print(f"PolNeAR {args.split}: {len(claims)} claims, AUC {result['curve']['auc']}")
    for b in result["curve"]["bins"]:
        share = b["right"] / b["claims"] if b["claims"] else float("nan")
        print(f"  [{b['from']:.1f}, {b['to']:.1f})  {b['claims']:5d} claims  right {share:6.1%}  "
              f"below: {b['below']:5d}, right {b['below_right'] / max(1, b['below']):6.1%}")
    if result["chosen"] is not None:
        print(f"upper edge of the highest band exact < {args.floor:.0%}: {result['chosen']}")
    print(f"at LOW_CONFIDENCE {LOW_CONFIDENCE}: {result['at_threshold']}")
    print(f"rule claims: {rules['right']}/{rules['claims']} right, {rules['exact']} exact")
    if args.json:
        previous = json.loads(Path(args.json).read_text()) if Path(args.json).exists() else {}
        previous.pop("machine", None)
        previous[f"rule_precision_{args.split}"] = rules
        machine.save(args.json, {**previous, args.split: result})


if __name__ == "__main__":
    main()
