"""The Parquet tables ``claimdesk spark analyze`` writes and ``claimdesk load`` reads.

One row per record comes out of the analysis (``record_row``: the article, its removed
ranges, claims, entities, dates, headline check and any error, nested), and the job
splits it into flat tables, each partitioned by publication month and language
(``month=2024-03/lang=en/``):

    articles         one row per HTML response read (a text crawled twice is two rows)
    removed          what the cleaner put aside, one row per range
    claims           one row per claim (spans as offsets into the article text, and their text)
    entities         one row per entity mention
    dates            one row per temporal expression
    headline_checks  one row per article with a headline, its reasons nested
    errors           one row per record, WARC or stage that failed (``stage`` says which)

Every row carries its provenance (``PROVENANCE``: the WARC file, the record's offset and
length in it, the target URI and WARC date) and ``schema``, the JSON contract's version
(``model.SCHEMA_VERSION``). A child row names its article by ``id`` with ``warc_file`` and
``record_offset`` (one text crawled twice has two analyses, which need not agree: the
page's stated date may differ).

Everything here is plain Python (dicts in, dataclasses out) except ``spark_schema``, so
``load`` reads the tables with pyarrow alone.
"""

from __future__ import annotations

import re
from typing import Any

from ..model import (
    Analysis,
    Article,
    Claim,
    DateMention,
    Entity,
    HeadlineCheck,
    HeadlineReason,
    IngestError,
    Language,
    RawDocument,
    Removed,
    Span,
)

TABLES = ("articles", "removed", "claims", "entities", "dates", "headline_checks", "errors")
PARTITIONS = ("month", "lang")
PROVENANCE = ("warc_file", "record_offset", "record_length", "offset_in_file", "target_uri", "warc_date", "record_id")
# where a row stands in the run's input: the WARC's line in the manifest, the item's place in that WARC
ORDER = ("warc_seq", "item_seq")
UNKNOWN_MONTH = "unknown"
UNKNOWN_LANGUAGE = "und"  # ISO 639-2 "undetermined": an error row, or a document never identified
_MONTH = re.compile(r"^(\d{4})-(\d{2})")

_SPAN_FIELDS = ("start", "end")


def month_of(*dates: str | None) -> str:
    """The first ``YYYY-MM`` of the dates (publication first, then the WARC date), else ``unknown``."""
    for value in dates:
        found = _MONTH.match(value or "")
        if found and 1 <= int(found.group(2)) <= 12:
            return f"{found.group(1)}-{found.group(2)}"
    return UNKNOWN_MONTH


# -- the nested row of one record (what the analysis stage gives back) ---------------


def document_row(doc: RawDocument | IngestError, place: dict[str, Any], order: tuple[int, int],
                 keys: set[str] | None = None, stage: str = "read") -> dict[str, Any]:
    """A record read from a WARC (stage 1): the document as the reader made it with its line
    keys (``clean.line_keys``), or its error (``stage`` "read" for a record, "warc" for the archive)."""
    row: dict[str, Any] = {**place, "warc_seq": order[0], "item_seq": order[1]}
    if isinstance(doc, IngestError):
        return {**row, "error_input": doc.input, "error_cause": doc.cause, "error_stage": stage}
    return {**row, "id": doc.id, "line_keys": sorted(keys or ()), "text": doc.text, "path": doc.path, "url": doc.url, "format": doc.format,
            "outlet": doc.outlet, "stated_title": doc.title, "published": doc.published, "fetched": doc.fetched,
            "author": doc.author, "language_declared": doc.language, "scope": doc.scope, "extracted": doc.extracted}


def raw_document(row) -> RawDocument:
    """The RawDocument a stage-1 row (or an articles row) holds."""
    return RawDocument(text=row["text"], path=row["path"], url=row["url"], format=row["format"], outlet=row["outlet"],
                       title=row["stated_title"], published=row["published"], fetched=row["fetched"],
                       author=row["author"], language=row["language_declared"], scope=row["scope"],
                       extracted=bool(row["extracted"]))


def _spans(spans) -> list[dict[str, int]]:
    return [{"start": s.start, "end": s.end} for s in spans]


def _text(text: str, span: Span | None) -> str | None:
    return span.of(text) if span is not None else None


def record_row(base: dict[str, Any], item: Analysis | IngestError) -> dict[str, Any]:
    """A record after cleaning and analysis (stage 2): ``base`` is its stage-1 row."""
    row = {name: base.get(name) for name in (*PROVENANCE, *ORDER)}
    if isinstance(item, IngestError):
        month = month_of(base.get("published"), base.get("warc_date"))
        stage = base.get("error_stage") or "analyze"
        return {**row, "month": month, "lang": UNKNOWN_LANGUAGE, "error_input": item.input,
                "error_cause": item.cause, "error_stage": stage}
    article, text = item.article, item.article.raw.text
    found = article.language
    row.update({name: base.get(name) for name in ("id", "text", "path", "url", "format", "outlet", "stated_title",
                                                   "published", "fetched", "author", "language_declared", "scope",
                                                   "extracted")})
    row.update({
        "month": month_of(article.raw.published, base.get("warc_date")),
        "lang": found.code if found else (article.raw.language or UNKNOWN_LANGUAGE),
        "language": found.code if found else article.raw.language,
        "language_confidence": found.confidence if found else None,
        "title_start": article.title.start if article.title else None,
        "title_end": article.title.end if article.title else None,
        "body": _spans(article.body),
        "line_keys": base.get("line_keys") or [],
        "analysed_end": item.analysed_end,
        "removed": [{"start": r.start, "end": r.end, "reason": r.reason, "detail": r.detail} for r in article.removed],
        "claims": [_claim(text, c) for c in item.claims],
        "entities": [{"start": e.span.start, "end": e.span.end, "text": e.span.of(text), "label": e.label,
                      "canonical": e.canonical, "role": e.role} for e in item.entities],
        "dates": [{"start": d.span.start, "end": d.span.end, "text": d.span.of(text), "value": d.value,
                   "kind": d.kind, "earliest": d.earliest} for d in item.dates],
        "headline": _headline(item.headline),
    })
    return row


def _claim(text: str, claim: Claim) -> dict[str, Any]:
    row: dict[str, Any] = {"speaker": claim.speaker, "hedge": claim.hedge, "negated": bool(claim.negated),
                           "speaker_type": claim.speaker_type, "confidence": claim.confidence,
                           "check_worthiness": claim.check_worthiness}
    for name in ("source", "cue", "content", "medium", "target"):
        span = getattr(claim, name)
        row[f"{name}_start"] = span.start if span else None
        row[f"{name}_end"] = span.end if span else None
        row[f"{name}_text"] = _text(text, span)
    return row


def _headline(check: HeadlineCheck | None) -> dict[str, Any] | None:
    if check is None:
        return None
    return {"verdict": check.verdict, "stance": check.stance, "score": float(check.score),
            "reasons": [{"kind": r.kind, "text": r.text, "spans": _spans(r.spans)} for r in check.reasons]}


# -- back from the flat tables (``load``) -------------------------------------------


def _span(row: dict, name: str) -> Span | None:
    start, end = row.get(f"{name}_start"), row.get(f"{name}_end")
    return Span(start, end) if start is not None and end is not None else None


def analysis_from_rows(article: dict, removed: list[dict], claims: list[dict], entities: list[dict],
                       dates: list[dict], headline: dict | None) -> Analysis:
    """The Analysis an articles row and its child rows (each list in ``seq`` order) hold:
    the same one the job analysed, for ``Store.add``."""
    raw = raw_document(article)
    language = (Language(article["language"], article["language_confidence"])
                if article.get("language_confidence") is not None else None)
    parsed = Article(raw=raw, title=_span(article, "title"),
                     body=[Span(s["start"], s["end"]) for s in article["body"] or ()],
                     removed=[Removed(r["start"], r["end"], r["reason"], r["detail"] or "") for r in removed],
                     language=language)
    check = None
    if headline is not None:
        reasons = tuple(HeadlineReason(r["kind"], r["text"], tuple(Span(s["start"], s["end"]) for s in r["spans"] or ()))
                        for r in headline["reasons"] or ())
        check = HeadlineCheck(headline["verdict"], headline["stance"], headline["score"], reasons)
    return Analysis(
        parsed,
        entities=[Entity(Span(e["start"], e["end"]), e["label"], e["canonical"], e["role"]) for e in entities],
        claims=[Claim(source=_span(c, "source"), speaker=c["speaker"], cue=_span(c, "cue"), content=_span(c, "content"),
                      hedge=c["hedge"], medium=_span(c, "medium"), negated=bool(c["negated"]),
                      speaker_type=c["speaker_type"], target=_span(c, "target"), confidence=c["confidence"],
                      check_worthiness=c.get("check_worthiness"))
                for c in claims],
        dates=[DateMention(Span(d["start"], d["end"]), d["value"], d["kind"], d["earliest"]) for d in dates],
        headline=check,
        analysed_end=article.get("analysed_end"),
    )


# -- Spark types ------------------------------------------------------------------------


def spark_schema(stage: str):
    """The StructType of the stage-1 rows (``"documents"``) or the stage-2 rows (``"records"``)."""
    from pyspark.sql import types as T

    def fields(*pairs):
        return [T.StructField(name, kind, True) for name, kind in pairs]

    s, i, L, b, d = T.StringType(), T.IntegerType(), T.LongType(), T.BooleanType(), T.DoubleType()
    span = T.StructType(fields(("start", i), ("end", i)))
    place = fields(("warc_file", s), ("record_offset", L), ("record_length", L), ("offset_in_file", b),
                   ("target_uri", s), ("warc_date", s), ("record_id", s), ("warc_seq", i), ("item_seq", i))
    doc = fields(("id", s), ("line_keys", T.ArrayType(s)), ("text", s), ("path", s), ("url", s), ("format", s), ("outlet", s), ("stated_title", s),
                 ("published", s), ("fetched", s), ("author", s), ("language_declared", s), ("scope", s),
                 ("extracted", b))
    error = fields(("error_input", s), ("error_cause", s), ("error_stage", s))
    if stage == "documents":
        return T.StructType(place + doc + error)
    claim = T.StructType(fields(("speaker", s), ("hedge", s), ("negated", b), ("speaker_type", s), ("confidence", d),
                                ("check_worthiness", d),
                                *[(f"{n}_{p}", i if p != "text" else s)
                                  for n in ("source", "cue", "content", "medium", "target")
                                  for p in ("start", "end", "text")]))
    entity = T.StructType(fields(("start", i), ("end", i), ("text", s), ("label", s), ("canonical", s), ("role", s)))
    date = T.StructType(fields(("start", i), ("end", i), ("text", s), ("value", s), ("kind", s), ("earliest", s)))
    removed = T.StructType(fields(("start", i), ("end", i), ("reason", s), ("detail", s)))
    reason = T.StructType(fields(("kind", s), ("text", s), ("spans", T.ArrayType(span))))
    headline = T.StructType(fields(("verdict", s), ("stance", s), ("score", d), ("reasons", T.ArrayType(reason))))
    analysis = fields(("month", s), ("lang", s), ("language", s), ("language_confidence", d), ("title_start", i),
                      ("title_end", i), ("body", T.ArrayType(span)),
                      ("analysed_end", i), ("removed", T.ArrayType(removed)), ("claims", T.ArrayType(claim)),
                      ("entities", T.ArrayType(entity)), ("dates", T.ArrayType(date)), ("headline", headline))
    return T.StructType(place + doc + analysis + error)
