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
    language.py     which language a document is in (py3langid, the declared language as evidence)
    registry.py     the analysis pipeline of each language; a language without one is not analysed

Only English is analysed today (``analyze_english``, registered under ``en``); a document
in another language is stored and searchable without claims, entities, dates or headline
check, rather than run through the English models.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from ..model import Analysis, Article, IngestError
from . import registry

if TYPE_CHECKING:  # spaCy loads only for commands that analyse
    from spacy.tokens import Doc

BATCH = 32  # articles analysed together: the parse batch, one role-BiLSTM call, one headline-model call


def analyze_articles(articles: Iterable[Article], *, workers: int = 1) -> Iterator[Analysis | IngestError]:
    """Each article with its language identified (``Article.language``) and analysed by that
    language's pipeline (``registry``), in order; an article in a language without one comes
    back with nothing found and ``analysed_end`` 0 (``Analysis.note`` says why). An article
    whose analysis fails comes back as an IngestError naming it, and the rest go on."""
    return registry.route(articles, workers)


def analyze_english(articles: list[Article], workers: int = 1) -> Iterator[Analysis | IngestError]:
    """English articles with their claims, entities, dates and headline check, in order.

    The spaCy model is loaded once per process; ``workers`` processes share the parse.
    Analysis reads at most ``parse.ANALYSIS_LIMIT`` characters of an article
    (``Analysis.analysed_end`` says where it stopped).
    """
    from .parse import with_paragraphs

    nlp = with_paragraphs(_load_models())
    pending: list[tuple[Article, Doc | IngestError]] = []
    for article, parsed in _parsed(nlp, list(articles), workers):
        pending.append((article, parsed))
        if len(pending) == BATCH:
            yield from _analyze_isolated(pending)
            pending = []
    yield from _analyze_isolated(pending)


def failed(article: Article, stage: str, err: BaseException) -> IngestError:
    """An analysis failure as an error naming the article's input."""
    return IngestError(article.raw.name, f"{stage} failed: {type(err).__name__}: {err}")


def _parsed(nlp, articles: list[Article], workers: int) -> Iterator[tuple[Article, Doc | IngestError]]:
    """Each article with its Doc, batched through spaCy; when the batched parse fails, the
    articles it had not yet given back are parsed one by one, so one bad article costs
    only itself."""
    from .parse import kept_text, parse

    done = 0
    try:
        for pair in parse(nlp, articles, workers=workers):
            yield pair
            done += 1
        return
    except Exception:  # which article broke the batch is found below, one at a time
        pass
    for article in articles[done:]:
        try:
            yield article, nlp(kept_text(article))
        except Exception as err:
            yield article, failed(article, "parsing", err)


def _analyze_isolated(pending: list[tuple[Article, Doc | IngestError]]) -> Iterator[Analysis | IngestError]:
    """``_analyze_batch`` over the parsed articles; when the batch fails, each article
    again on its own, so that an error names its article and spares the others."""
    good = [(article, parsed) for article, parsed in pending if not isinstance(parsed, IngestError)]
    try:
        done = {id(a.article): a for a in _analyze_batch(good)}
    except Exception:
        done = {}
        for article, doc in good:
            try:
                done.update({id(a.article): a for a in _analyze_batch([(article, doc)])})
            except Exception as err:
                done[id(article)] = failed(article, "analysis", err)
    for article, parsed in pending:
        yield parsed if isinstance(parsed, IngestError) else done[id(article)]


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


def _cut_at(article: Article, doc: Doc) -> int | None:
    """Where the parse stopped when it left part of the title or body unread, else None."""
    end = len(doc.text)
    kept = ([article.title] if article.title else []) + article.body
    return end if any(span.end > end for span in kept) else None


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
        analyses.append(Analysis(article, entities=entities, claims=claims, dates=dates, analysed_end=_cut_at(article, doc)))
    checks = check_headlines([(doc, a.article.title, a.entities, a.dates) for a, doc in zip(analyses, docs)])
    _score_check_worthiness(analyses)
    for analysis, check in zip(analyses, checks, strict=True):
        analysis.headline = check
        yield analysis


def _score_check_worthiness(analyses: list[Analysis]) -> None:
    """Every claim's check-worthiness (``checkworthiness.score``), an article's claims as one
    document: the score reads what each claim says (its content), its speaker and its
    neighbouring claims, as ``claimdesk check-worthiness`` reads a transcript."""
    from dataclasses import replace

    from .checkworthiness import score

    for a in analyses:
        if not a.claims:
            continue
        texts = [c.content.of(a.article.raw.text) for c in a.claims]
        values = score(texts, speakers=[c.speaker for c in a.claims], document=True)
        a.claims[:] = [replace(c, check_worthiness=round(float(v), 4)) for c, v in zip(a.claims, values, strict=True)]


registry.register("en", analyze_english)
