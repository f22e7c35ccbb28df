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
    headline.py     does the headline fit its body, and if not, why (with headline_model's stance)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from ..model import Analysis, Article

if TYPE_CHECKING:  # spaCy loads only for commands that analyse
    from spacy.tokens import Doc

HEADLINE_BATCH = 32  # articles whose headlines go through the embedding model together (the parse batch)


def analyze_articles(articles: Iterable[Article], *, workers: int = 1) -> Iterator[Analysis]:
    """Each article with its claims, entities, dates and headline check, in order.

    The spaCy model is loaded once per process; ``workers`` processes share the parse.
    """
    from .attribution import extract
    from .claims import build_claims
    from .dates import find_dates
    from .headline import check_headlines
    from .light_verbs import light_verb_attributions, merge
    from .nlp import load_nlp
    from .parse import parse, with_paragraphs

    nlp = with_paragraphs(load_nlp())
    pending: list[tuple[Analysis, Doc]] = []
    for article, doc in parse(nlp, articles, workers=workers):
        claims, entities = build_claims(doc, merge(extract(doc), light_verb_attributions(doc)))
        dates = find_dates(doc, article.raw.published)
        pending.append((Analysis(article, entities=entities, claims=claims, dates=dates), doc))
        if len(pending) == HEADLINE_BATCH:
            yield from _with_headlines(pending, check_headlines)
            pending = []
    yield from _with_headlines(pending, check_headlines)


def _with_headlines(pending: list[tuple[Analysis, Doc]], check_headlines) -> Iterator[Analysis]:
    """The analyses with their headline checks, one stance-model batch for all of them."""
    if not pending:
        return
    checks = check_headlines([(doc, a.article.title, a.entities, a.dates) for a, doc in pending])
    for (analysis, _), check in zip(pending, checks, strict=True):
        analysis.headline = check
        yield analysis
