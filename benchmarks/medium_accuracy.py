"""Issue 17, figure 4: a claim's medium on short articles written for the purpose
(``tests/fixtures/media.jsonl``: "told" + an outlet, "in a post on X", "tweeted", "wrote
on Telegram", statements and venues, and constructions that name no medium).

Each item is a text dump (title, blank line, one or two sentences) through ``claimdesk
analyze``; its claim is the one whose cue is the item's cue word. Right: that claim's
medium, as written, is the item's (none where the item has none). An item whose claim the
taggers did not find (no claim's cue covers the cue word) counts as wrong and is counted apart.

    python benchmarks/medium_accuracy.py [--json benchmarks/results/medium_accuracy.json]
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import machine

from claimdesk.analyze import analyze_articles
from claimdesk.clean import clean
from claimdesk.model import RawDocument

FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "media.jsonl"


def judge(items: list[dict]) -> list[dict]:
    articles = [clean(RawDocument(text=f"{it['title']}\n\n{it['text']}\n", format="text", path=f"media-{i}"))
                for i, it in enumerate(items)]
    out = []
    for item, analysis in zip(items, analyze_articles(articles)):
        text = analysis.article.raw.text
        at = text.index(item["text"]) + re.search(rf"\b{re.escape(item['cue'])}\b", item["text"]).start()
        claim = next((c for c in analysis.claims if c.cue.start <= at < c.cue.end), None)
        medium = claim.medium.of(text) if claim is not None and claim.medium is not None else None
        out.append({"text": item["text"], "expected": item["medium"], "found": medium,
                    "claim_found": claim is not None,
                    "right": claim is not None and medium == item["medium"]})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json")
    args = parser.parse_args()
    items = [json.loads(line) for line in FIXTURE.read_text().splitlines() if line.strip()]
    judged = judge(items)
    right = sum(j["right"] for j in judged)
    with_medium = [j for j in judged if j["expected"] is not None]
    print(f"medium accuracy: {right}/{len(judged)} ({right / len(judged):.1%}); items naming a medium "
          f"{sum(j['right'] for j in with_medium)}/{len(with_medium)}; claim not found: "
          f"{sum(not j['claim_found'] for j in judged)}")
    for j in judged:
        if not j["right"]:
            print(f"  wrong: expected {j['expected']!r}, found {j['found']!r} (claim found: {j['claim_found']}): {j['text']}")
    if args.json:
        machine.save(args.json, {"items": len(judged), "right": right, "with_medium": len(with_medium),
                                 "with_medium_right": sum(j["right"] for j in with_medium),
                                 "claim_not_found": sum(not j["claim_found"] for j in judged), "judged": judged})


if __name__ == "__main__":
    main()
