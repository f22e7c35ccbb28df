"""Which marks an article's text gets: claims (source, cue, content, medium), entities,
dates and the spans a headline check points at. Pure functions over the model."""

from __future__ import annotations

from claimdesk.model import Claim, DateMention, Entity, HeadlineReason
from claimdesk.web.highlight import Mark
from claimdesk.web.links import person_url


def verdict_class(rating: str) -> str:
    """The CSS class of a published verdict ("Mostly true" -> "rating-mostly-true")."""
    return "rating-" + "-".join(rating.lower().split())


def claim_marks(claims: list[Claim], numbers: list[int] | None = None, verdicts: list[str | None] | None = None) -> list[Mark]:
    """``verdicts``: each claim's published rating (or None): its content is marked with it."""
    marks: list[Mark] = []
    for i, claim in enumerate(claims):
        n = numbers[i] if numbers else i + 1
        who = claim.speaker or "no stated source"
        verdict = verdicts[i] if verdicts else None
        if claim.source is not None:
            marks.append(Mark(claim.source.start, claim.source.end, "mark", ("claim-source",),
                              (("title", f"claim {n}: source, resolves to {who}"),)))
        hedge = claim.hedge + (", negated" if claim.negated else "")
        marks.append(Mark(claim.cue.start, claim.cue.end, "mark", ("claim-cue", f"hedge-{claim.hedge}"),
                          (("title", f"claim {n}: cue ({hedge})"),)))
        classes = ("claim-content", "verdict", verdict_class(verdict)) if verdict else ("claim-content",)
        reviewed = f"; reviewed: {verdict}" if verdict else ""
        marks.append(Mark(claim.content.start, claim.content.end, "mark", classes,
                          (("title", f"claim {n}: content, said by {who}{reviewed}"),)))
        if claim.medium is not None:
            marks.append(Mark(claim.medium.start, claim.medium.end, "mark", ("claim-medium",),
                              (("title", f"claim {n}: medium"),)))
    return marks


def entity_marks(entities: list[Entity]) -> list[Mark]:
    marks = []
    for entity in entities:
        title = entity.label + (f": {entity.role}" if entity.role else "")
        marks.append(Mark(entity.span.start, entity.span.end, "a", ("entity", f"entity-{entity.label.lower()}"),
                          (("href", person_url(entity.canonical, entity.label)), ("title", title))))
    return marks


def date_marks(dates: list[DateMention]) -> list[Mark]:
    marks = []
    for date in dates:
        title = date.value + (f" (no earlier than {date.earliest})" if date.earliest else "")
        marks.append(Mark(date.span.start, date.span.end, "time", ("date", f"date-{date.kind.lower()}"),
                          (("title", title),)))
    return marks


def reason_marks(reasons: tuple[HeadlineReason, ...]) -> list[Mark]:
    return [Mark(span.start, span.end, "span", ("reason-span", f"reason-{reason.kind}"), (("title", reason.text),))
            for reason in reasons for span in reason.spans]
