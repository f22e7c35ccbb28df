"""Which marks an article's text gets: claims (source, cue, content, medium), entities,
dates and the spans a headline check points at. Pure functions over the model."""

from __future__ import annotations

from claimdesk.model import Claim, DateMention, Entity, HeadlineReason
from claimdesk.web.highlight import Mark
from claimdesk.web.links import person_url


def claim_marks(claims: list[Claim], numbers: list[int] | None = None) -> list[Mark]:
    marks: list[Mark] = []
    for i, claim in enumerate(claims):
        n = numbers[i] if numbers else i + 1
        who = claim.speaker or "no stated source"
        if claim.source is not None:
            marks.append(Mark(claim.source.start, claim.source.end, "mark", ("claim-source",),
                              (("title", f"claim {n}: source, resolves to {who}"),)))
        hedge = claim.hedge + (", negated" if claim.negated else "")
        marks.append(Mark(claim.cue.start, claim.cue.end, "mark", ("claim-cue", f"hedge-{claim.hedge}"),
                          (("title", f"claim {n}: cue ({hedge})"),)))
        marks.append(Mark(claim.content.start, claim.content.end, "mark", ("claim-content",),
                          (("title", f"claim {n}: content, said by {who}"),)))
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
