"""Issue 3, figure 1 as users get it: PolNeAR dev scored on `claimdesk analyze`'s claims.

``benchmarks/polnear.py`` scores the attribution taggers alone on spaCy's parse of the
raw text. This scores what ``claimdesk analyze`` outputs: each dev text is read as a
text dump, cleaned, parsed once (kept text, paragraph sentence starts), tagged, and
completed by the rules (light-verb claims, sources the parse states, contents kept
within their paragraph). Same gold (one annotator file per article, the first by
sorted name), same scorer (exact after trimming whitespace and punctuation; overlap).

    python benchmarks/polnear_claims.py [--json out.json]
"""

from __future__ import annotations

import argparse

import machine
from zyte_common import SHARED

from claimdesk.analyze import analyze_articles
from claimdesk.clean import clean
from claimdesk.model import RawDocument
from claimdesk.train.polnear import read_folder
from claimdesk.train.score import Scores, score_article, table

DEV = SHARED / "data" / "polnear" / "dev"


def pair(span) -> tuple[int, int] | None:
    return (span.start, span.end) if span is not None else None


def gold_pair(role) -> tuple[int, int] | None:
    return (role.start, role.end) if role is not None else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json")
    args = parser.parse_args()
    gold = read_folder(DEV)
    articles = [clean(RawDocument(text=a.text, format="text", path=a.name)) for a in gold]
    scores = Scores()
    for article, analysis in zip(gold, analyze_articles(articles)):
        predicted = [(pair(c.source), pair(c.cue), pair(c.content)) for c in analysis.claims]
        expected = [(gold_pair(g.source), gold_pair(g.cue), gold_pair(g.content)) for g in article.attributions]
        score_article(scores, article.text, predicted, expected)
    print(f"PolNeAR dev through claimdesk analyze: {len(gold)} articles")
    print(table(scores))
    if args.json:
        machine.save(args.json, {"articles": len(gold), "scores": scores.as_dict()})


if __name__ == "__main__":
    main()
