"""Analysis pipelines by language: a document is analysed by its own language's pipeline or not at all.

The English models (spaCy's en_core_web_md, taggers trained on English news) read any text
they are given and find "claims" in Russian or Portuguese all the same ("как" as a cue, a
Portuguese phrase as a speaker). So each language has its own pipeline, registered here
under its language code, and a document whose language has none is not analysed: it is
stored, cleaned and searchable, and says "analysis not available in Russian" (its
``Analysis.analysed_end`` is 0, ``model.not_analysed_note``), with no claims, entities,
dates or headline check, so nothing of it reaches the speakers or claim groups either.

A pipeline is a function ``(articles, workers) -> iterator of Analysis | IngestError``, one
per article, in order; every article it is given is in its language. English registers
itself in ``analyze/__init__``; the next language (Russian, with natasha) is a module that
calls ``register("ru", analyze_russian)``, imported at the end of ``analyze/__init__`` beside English; the stages
of another language are not touched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from ..model import Analysis, Article, IngestError
from .language import identify

Pipeline = Callable[[list[Article], int], Iterator[Analysis | IngestError]]

_PIPELINES: dict[str, Pipeline] = {}


def register(code: str, pipeline: Pipeline) -> None:
    """Analyse documents in language ``code`` (ISO 639-1, as ``analyze.language`` names it) with ``pipeline``."""
    _PIPELINES[code] = pipeline


@contextmanager
def registered(code: str, pipeline: Pipeline) -> Iterator[None]:
    """``pipeline`` registered for ``code`` while the block runs, then what was there before (tests)."""
    before = _PIPELINES.get(code)
    register(code, pipeline)
    try:
        yield
    finally:
        if before is None:
            _PIPELINES.pop(code, None)
        else:
            _PIPELINES[code] = before


def pipeline_for(code: str | None) -> Pipeline | None:
    return _PIPELINES.get(code) if code else None


def languages() -> tuple[str, ...]:
    """The languages analysed, in the order they were registered."""
    return tuple(_PIPELINES)


def identified(article: Article) -> Article:
    """The article with its language identified (once: a language already set is kept)."""
    if article.language is None:
        article.language = identify(article)
    return article


def route(articles: Iterable[Article], workers: int = 1) -> Iterator[Analysis | IngestError]:
    """Each article analysed by its language's pipeline, or marked not analysed, in input order.

    Each pipeline gets its own articles in one list and is read lazily, so a batch of
    English and Russian pages runs the English pipeline over the English ones only, and a
    batch with no English never loads the English models."""
    articles = [identified(article) for article in articles]
    by_language: dict[str, list[Article]] = {}
    for article in articles:
        if pipeline_for(article.language.code) is not None:
            by_language.setdefault(article.language.code, []).append(article)
    running = {code: iter(pipeline_for(code)(group, workers)) for code, group in by_language.items()}
    for article in articles:
        pipeline = running.get(article.language.code)
        yield next(pipeline) if pipeline is not None else not_analysed(article)


def not_analysed(article: Article) -> Analysis:
    """An article whose language has no pipeline: no claims, entities, dates or headline check."""
    return Analysis(article, analysed_end=0)
