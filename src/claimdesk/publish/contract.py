"""The JSON contract of DESIGN.md (``"schema": 1``): outside tools read this, keep it stable.

Fields are only ever added. Every span is ``{"text", "start", "end"}`` with character
offsets into ``text``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..analyze.lexicon import medium_platform
from ..model import SCHEMA_VERSION, Analysis, Article, Claim, DateMention, Entity, HeadlineCheck, Span


def span(article: Article, s: Span | None) -> dict[str, Any] | None:
    if s is None:
        return None
    return {"text": s.of(article.raw.text), "start": s.start, "end": s.end}


def article_json(article: Article) -> dict[str, Any]:
    raw = article.raw
    return {
        "schema": SCHEMA_VERSION,
        "id": raw.id,
        "source": {
            "path": raw.path,
            "url": raw.url,
            "outlet": raw.outlet,
            "format": raw.format,
            "fetched": raw.fetched,
            "author": raw.author,
        },
        "text": raw.text,
        "title": span(article, article.title),
        "body": [{"start": s.start, "end": s.end} for s in article.body],
        "removed": [{"start": r.start, "end": r.end, "reason": r.reason, "detail": r.detail} for r in article.removed],
        "published": raw.published,
        **language_json(article),
    }


def language_json(article: Article) -> dict[str, Any]:
    """``language``: the language the text is in, as identified (``analyze.language``; the declared
    one for an article never identified); ``language_confidence``: the identifier's, 0-1, or null;
    ``language_declared``: what the page, feed or export said, or null (added to schema 1)."""
    found = article.language
    return {
        "language": found.code if found else article.raw.language,
        "language_confidence": found.confidence if found else None,
        "language_declared": article.raw.language,
    }


def claim_json(article: Article, claim: Claim) -> dict[str, Any]:
    return {
        "source": span(article, claim.source),
        "speaker": claim.speaker,
        "cue": span(article, claim.cue),
        "content": span(article, claim.content),
        "hedge": claim.hedge,
        "negated": claim.negated,
        "medium": medium_json(article, claim.medium),
        # person, organisation, group, medium, unnamed or unresolved; null when no source is stated
        "speaker_type": claim.speaker_type,
        "target": span(article, claim.target),  # who is accused or criticised, never the speaker
        # how sure the taggers are of the claim, 0-1 (null: analysed before confidences); the
        # desk hides claims under model.LOW_CONFIDENCE by default
        "confidence": claim.confidence,
        # check-worthiness, 0-1: how much it reads like a factual statement fact-checkers would
        # check (analyze.checkworthiness); an order for the review queue, not a probability
        "check_worthiness": claim.check_worthiness,
    }


def medium_json(article: Article, medium: Span | None) -> dict[str, Any] | None:
    """The medium's span, with ``platform``: the social platform it is on ("Twitter/X" for
    "tweeted" or "a post on X"), null for any other medium (an outlet, a statement)."""
    found = span(article, medium)
    return None if found is None else {**found, "platform": medium_platform(found["text"])}


def entity_json(article: Article, entity: Entity) -> dict[str, Any]:
    return {**span(article, entity.span), "label": entity.label, "canonical": entity.canonical, "role": entity.role}


def date_json(article: Article, date: DateMention) -> dict[str, Any]:
    found = {**span(article, date.span), "value": date.value, "type": date.kind}
    if date.earliest is not None:
        found["earliest"] = date.earliest  # the year is unknown; the text supports no earlier than this
    return found


def headline_json(check: HeadlineCheck | None, text: str,
                  where: Callable[[Span], dict[str, Any]] | None = None) -> dict[str, Any] | None:
    """The ``headline`` object: verdict, stance, score, ``reasons`` as sentences (as DESIGN.md
    has them, for readers that only show them) and ``evidence``, the same reasons with their
    kind and the spans a person can check. Spans are offsets into ``text`` unless ``where``
    places them otherwise (``headline_pair_json``). None when the article has no headline."""
    if check is None:
        return None
    place = where or (lambda s: {"text": s.of(text), "start": s.start, "end": s.end})
    return {
        "verdict": check.verdict,
        "stance": check.stance,
        "score": check.score,
        "reasons": [r.text for r in check.reasons],
        "evidence": [{"kind": r.kind, "text": r.text, "spans": [place(s) for s in r.spans]} for r in check.reasons],
    }


def headline_pair_json(pair) -> dict[str, Any] | None:
    """The ``headline`` object of a bare pair (``analyze.headline.PairCheck``, the
    headline-check command): each span says which string it is in, ``"in": "headline"``
    or ``"body"``, with ``start`` and ``end`` counted in that string as given."""

    def where(s: Span) -> dict[str, Any]:
        inside, base = ("headline", 0) if s.start < pair.headline_chars else ("body", pair.body_start)
        return {"in": inside, "text": s.of(pair.text), "start": s.start - base, "end": s.end - base}

    return headline_json(pair.check, pair.text, where)


def analysis_json(analysis: Analysis) -> dict[str, Any]:
    """The whole contract for one analysed document (analysis fields grow with later stages)."""
    article = analysis.article
    return {
        **article_json(article),
        "entities": [entity_json(article, e) for e in analysis.entities],
        "claims": [claim_json(article, c) for c in analysis.claims],
        "dates": [date_json(article, d) for d in analysis.dates],
        "headline": headline_json(analysis.headline, article.raw.text),
        # where analysis stopped in a document longer than it reads; null: read whole; 0: not
        # analysed, as its language has no pipeline ("analysis_note" says so in words)
        "analysed_end": analysis.analysed_end,
        "analysis_note": analysis.note,
    }
