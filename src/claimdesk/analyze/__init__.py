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

import gc
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from ..model import Analysis, Article

if TYPE_CHECKING:  # spaCy loads only for commands that analyse
    from spacy.tokens import Doc

BATCH = 32  # articles analysed together: the parse batch, one role-BiLSTM call, one headline-model call


def analyze_articles(articles: Iterable[Article], *, workers: int = 1) -> Iterator[Analysis]:
    """Each article with its claims, entities, dates and headline check, in order.

    The spaCy model is loaded once per process; ``workers`` processes share the parse.
    """
    from .parse import parse, with_paragraphs

    nlp = with_paragraphs(_load_models())
    pending: list[tuple[Article, Doc]] = []
    for article, doc in parse(nlp, articles, workers=workers):
        pending.append((article, doc))
        if len(pending) == BATCH:
            yield from _analyze_batch(pending)
            pending = []
    yield from _analyze_batch(pending)


@lru_cache(maxsize=1)
def _load_models():
    """Load every model analysis reads (spaCy, the attribution taggers, the headline
    models), once per process, then freeze them out of the garbage collector's sight.

    They live as long as the process, yet each full collection walked their millions of
    objects again: freezing cut the attribution work by ~3 ms an article (EXPERIMENTS.md,
    session 4), as ``serve`` does for the desk."""
    from .attribution import load_taggers
    from .headline_model import load
    from .nlp import load_nlp

    nlp = load_nlp()
    load_taggers()
    load()
    gc.freeze()
    return nlp


def _analyze_batch(pending: list[tuple[Article, Doc]]) -> Iterator[Analysis]:
    """Claims, entities, dates and headline checks for a batch of parsed articles."""
    from .attribution import extract_batch
    from .claims import build_claims
    from .dates import find_dates
    from .headline import check_headlines
    from .light_verbs import light_verb_attributions, merge

    if not pending:
        return
    docs = [doc for _, doc in pending]
    analyses = []
    for (article, doc), found in zip(pending, extract_batch(docs), strict=True):
        claims, entities = build_claims(doc, merge(found, light_verb_attributions(doc)))
        dates = find_dates(doc, article.raw.published)
        analyses.append(Analysis(article, entities=entities, claims=claims, dates=dates))
    checks = check_headlines([(doc, a.article.title, a.entities, a.dates) for a, doc in zip(analyses, docs)])
    for analysis, check in zip(analyses, checks, strict=True):
        analysis.headline = check
        yield analysis
