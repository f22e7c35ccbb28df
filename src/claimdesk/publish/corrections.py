"""Reviewers' corrections as training data (``claimdesk export corrections``).

One JSON object per correction, oldest first: the article's text, what the analysis
extracted (``extracted``) and what the reviewer decided (``corrected``: null for "not a
claim", a negative example), each part as ``{"start", "end", "text"}`` character offsets
into ``text`` (the DESIGN.md span convention), so the attribution taggers can be retrained
on them (``claimdesk.train.attributions`` reads source / cue / content spans).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

SCHEMA = 1


def _span(text: str, span: tuple[int, int] | None) -> dict | None:
    if span is None:
        return None
    start, end = span
    return {"start": start, "end": end, "text": text[start:end]}


def correction_record(row, correction) -> dict:
    """A stored correction (``store.queue.correction_rows``) as a training record."""
    text = row.text
    extracted = {"speaker": correction.was_speaker, "source": _span(text, correction.was_source),
                 "cue": _span(text, correction.was_cue), "content": _span(text, correction.was_content)}
    if correction.kind == "not-a-claim":
        corrected = None
    else:
        corrected = {
            "speaker": correction.speaker if correction.kind == "wrong-speaker" else correction.was_speaker,
            "source": _span(text, correction.source or correction.was_source),
            "cue": _span(text, correction.cue or correction.was_cue),
            "content": _span(text, correction.content or correction.was_content),
        }
    return {"schema": SCHEMA, "kind": correction.kind, "claim": correction.claim, "article_id": row.article_id,
            "url": row.url, "at": correction.at, "by": correction.by, "note": correction.note,
            "extracted": extracted, "corrected": corrected, "text": text}


def correction_lines(rows: Iterable[dict]) -> Iterator[str]:
    """JSON Lines, one per correction, as they are read."""
    for item in rows:
        yield json.dumps(correction_record(item["row"], item["correction"]), ensure_ascii=False) + "\n"
