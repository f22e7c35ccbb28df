"""NLP over cleaned articles: one spaCy pass per document, small modules reading the Doc.

    parse.py        the one spaCy pass (kept text only, offsets = document offsets)
    attribution.py  source / cue / content spans (CRF taggers trained on PolNeAR)
    light_verbs.py  "expressed uncertainty about ...": rule attributions the model misses
    claims.py       speakers, hedges, media -> model.Claim
    people.py       full names, surnames, pronouns, roles
    hedge.py        the hedge scale
    medium.py       "in an interview with ...", "told ...", "in a statement"
    entities.py     people, organisations, media, places: canonical names and roles
    dates.py        temporal expressions as TIMEX3 values relative to the document date
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..model import Analysis, Article


def analyze_articles(articles: Iterable[Article], *, workers: int = 1) -> Iterator[Analysis]:
    """Each article with its claims, entities and dates, in order.

    The spaCy model is loaded once per process; ``workers`` processes share the parse.
    """
    from .attribution import extract
    from .claims import build_claims
    from .dates import find_dates
    from .light_verbs import light_verb_attributions, merge
    from .nlp import load_nlp
    from .parse import parse, with_paragraphs

    nlp = with_paragraphs(load_nlp())
    for article, doc in parse(nlp, articles, workers=workers):
        claims, entities = build_claims(doc, merge(extract(doc), light_verb_attributions(doc)))
        dates = find_dates(doc, article.raw.published)
        yield Analysis(article, entities=entities, claims=claims, dates=dates)
