"""The JSON contract of DESIGN.md (``"schema": 1``): outside tools read this, keep it stable.

Fields are only ever added. Every span is ``{"text", "start", "end"}`` with character
offsets into ``text``.
"""

from __future__ import annotations

from typing import Any

from ..model import SCHEMA_VERSION, Analysis, Article, Span


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
        "language": raw.language,
    }


def analysis_json(analysis: Analysis) -> dict[str, Any]:
    """The whole contract for one analysed document (analysis fields grow with later stages)."""
    return article_json(analysis.article)
