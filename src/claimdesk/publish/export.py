"""Exports as files: CSV for spreadsheets, JSON Lines for programs, and W3C Web
Annotations (JSON-LD) for annotation tools. Rows come from ``claimdesk.store.exports``
one at a time and leave as text one line at a time, so an export of any size streams.

CSV: UTF-8 with a byte order mark (so Excel reads the accents right; LibreOffice and
pandas skip it), comma-separated, CRLF line ends, one row per claim, article or
review. Scraped text is hostile, also in a spreadsheet: a cell starting with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return would be read as a formula, so it gets a
leading apostrophe (``'=HYPERLINK(...)`` shows as text). Numbers and JSON are written
as they are.

Web Annotation (https://www.w3.org/TR/annotation-model/): one annotation per claim, on
the article's address (the desk's page of the article when it has no web address), with
a TextQuoteSelector (the claim's words as stored, with 32 characters before and after)
that tools such as Hypothesis anchor in the page; the speaker, hedge and published
verdict are its body.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from claimdesk.store.exports import ExportedArticle, ExportedClaim, ExportedReview

KINDS = ("claims", "articles", "reviews")
FORMATS = ("csv", "jsonl", "jsonld")  # jsonld: Web Annotations, of claims only
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/jsonl; charset=utf-8",
    "jsonld": 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"',
}
ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
BOM = "\ufeff"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Links:
    """Where the desk is and how it names its pages (``claimdesk.web.links``), given by
    the caller so that this module needs nothing of the web desk."""

    base: str  # no trailing slash
    article: Callable[[str], str]  # article id -> path
    claim: Callable[[str, int], str]  # article id, seq -> path


# -- rows ------------------------------------------------------------------------------------

ARTICLE_COLUMNS = ("article_id", "published", "outlet", "title", "language", "claims", "headline_check",
                   "article_url", "desk_url", "ingested_at")
CLAIM_COLUMNS = ("article_id", "claim_seq", "published", "outlet", "article_title", "speaker", "source_as_written",
                 "cue", "claim", "hedge", "negated", "medium", "check_worthiness", "confidence", "verdict",
                 "verdict_published_at", "article_url", "desk_article_url", "desk_claim_url")
REVIEW_COLUMNS = ("article_id", "claim_seq", "published", "outlet", "article_title", "speaker", "claim", "hedge",
                  "verdict", "rationale", "evidence", "revision", "reviewed_at", "verdict_published_at",
                  "article_url", "desk_claim_url")
COLUMNS = {"articles": ARTICLE_COLUMNS, "claims": CLAIM_COLUMNS, "reviews": REVIEW_COLUMNS}


def article_row(article: ExportedArticle, links: Links) -> dict:
    return {
        "article_id": article.id, "published": article.published, "outlet": article.outlet, "title": article.title,
        "language": article.language, "claims": article.claims, "headline_check": article.headline,
        "article_url": article.url, "desk_url": links.base + links.article(article.id),
        "ingested_at": article.ingested_at,
    }


def claim_row(claim: ExportedClaim, links: Links) -> dict:
    article = claim.article
    return {
        "article_id": article.id, "claim_seq": claim.seq, "published": article.published, "outlet": article.outlet,
        "article_title": article.title, "speaker": claim.speaker, "source_as_written": claim.source,
        "cue": claim.cue, "claim": claim.content, "hedge": claim.hedge, "negated": claim.negated,
        "medium": claim.medium, "check_worthiness": _rounded(claim.check_worthiness),
        "confidence": _rounded(claim.confidence), "verdict": claim.verdict,
        "verdict_published_at": claim.verdict_published_at, "article_url": article.url,
        "desk_article_url": links.base + links.article(article.id),
        "desk_claim_url": links.base + links.claim(article.id, claim.seq),
    }


def review_row(review: ExportedReview, links: Links) -> dict:
    claim, article = review.claim, review.claim.article
    return {
        "article_id": article.id, "claim_seq": claim.seq, "published": article.published, "outlet": article.outlet,
        "article_title": article.title, "speaker": claim.speaker, "claim": claim.content, "hedge": claim.hedge,
        "verdict": review.rating, "rationale": review.rationale, "evidence": list(review.evidence),
        "revision": review.revision, "reviewed_at": review.reviewed_at, "verdict_published_at": review.published_at,
        "article_url": article.url, "desk_claim_url": links.base + links.claim(article.id, claim.seq),
    }


ROWS = {"articles": article_row, "claims": claim_row, "reviews": review_row}


def _rounded(value: float | None) -> float | None:
    return round(value, 4) if value is not None else None


# -- CSV and JSON Lines ------------------------------------------------------------------------


def spreadsheet_safe(value) -> str:
    """A value as a CSV cell a spreadsheet shows as text: None empty, booleans as true or
    false, lists one item a line, and text that would start a formula after an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    text = "\n".join(value) if isinstance(value, list) else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def csv_lines(rows: Iterable[dict], columns: tuple[str, ...]) -> Iterator[str]:
    """The header (after the byte order mark), then one CSV line per row, as they come."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(cells) -> str:
        writer.writerow(cells)
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield BOM + line(columns)
    for row in rows:
        yield line(spreadsheet_safe(row[name]) for name in columns)


def jsonl_lines(rows: Iterable[dict]) -> Iterator[str]:
    for row in rows:
        yield json.dumps(row, ensure_ascii=False) + "\n"


# -- Web Annotation ------------------------------------------------------------------------------


def _web_address(url: str | None) -> bool:
    if not url:
        return False
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def annotation(claim: ExportedClaim, links: Links) -> dict:
    """The claim as a W3C Web Annotation on its article's text."""
    article = claim.article
    desk_claim = links.base + links.claim(article.id, claim.seq)
    who = claim.speaker or "No stated source"
    body = [{"type": "TextualBody", "purpose": "describing", "format": "text/plain",
             "value": f"{who} {claim.cue}: {claim.content}"}]
    if claim.speaker:
        body.append({"type": "TextualBody", "purpose": "tagging", "value": f"speaker: {claim.speaker}"})
    body.append({"type": "TextualBody", "purpose": "tagging", "value": f"hedge: {claim.hedge}"})
    if claim.verdict:
        body.append({"type": "TextualBody", "purpose": "assessing", "value": f"verdict: {claim.verdict}"})
    body.append({"type": "SpecificResource", "purpose": "linking", "source": desk_claim})
    source = article.url if _web_address(article.url) else links.base + links.article(article.id)
    return {
        "id": desk_claim + "#annotation",
        "type": "Annotation",
        "motivation": "assessing" if claim.verdict else "describing",
        "created": article.ingested_at,
        "generator": {"id": links.base + "/", "type": "Software", "name": "claimdesk"},
        "body": body,
        "target": {"source": source,
                   "selector": {"type": "TextQuoteSelector", "exact": claim.content,
                                "prefix": claim.prefix, "suffix": claim.suffix}},
    }


def annotation_lines(claims: Iterable[ExportedClaim], links: Links, *, label: str) -> Iterator[str]:
    """An AnnotationCollection (JSON-LD) with its annotations in one embedded page,
    written piece by piece as the claims come."""
    head = {"@context": ANNOTATION_CONTEXT, "type": "AnnotationCollection", "label": label,
            "generator": {"id": links.base + "/", "type": "Software", "name": "claimdesk"}}
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "first": {"type": "AnnotationPage", "items": [\n'
    for n, claim in enumerate(claims):
        yield ("" if n == 0 else ",\n") + json.dumps(annotation(claim, links), ensure_ascii=False)
    yield "\n]}}\n"


# -- one call for the CLI and the desk ------------------------------------------------------------


def lines(kind: str, fmt: str, records: Iterable, links: Links, *, label: str = "claimdesk claims") -> Iterator[str]:
    """The export of ``records`` (``store.exports`` objects of ``kind``) as ``fmt``, line by line.
    ValueError for a kind or format it has not (Web Annotations are of claims only)."""
    if kind not in KINDS:
        raise ValueError(f"no export of {kind!r}: {', '.join(KINDS)}")
    if fmt == "jsonld":
        if kind != "claims":
            raise ValueError("Web Annotation (jsonld) exports are of claims only")
        return annotation_lines(records, links, label=label)
    rows = (ROWS[kind](record, links) for record in records)
    if fmt == "csv":
        return csv_lines(rows, COLUMNS[kind])
    if fmt == "jsonl":
        return jsonl_lines(rows)
    raise ValueError(f"no export format {fmt!r}: {', '.join(FORMATS)}")
