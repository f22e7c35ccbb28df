"""The one Jinja2 environment every page renders with (autoescape always on).

Routers (pages, auth, reviews) import ``render`` from here, so that every page
shares the same filters, globals and escaping rules.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from claimdesk.store.queries import MATCH_CLOSE, MATCH_OPEN
from claimdesk.store.speakers import names_someone
from claimdesk.web import links
from claimdesk.web.highlight import escaped, snippet_html
from claimdesk.web.marks import verdict_class

TEMPLATES = Path(__file__).parent / "templates"

# autoescape=True for every template whatever its name: scraped text must never
# reach a page unescaped. Templates mark nothing safe except markup built by
# claimdesk.web.highlight, which escapes each piece of text it inserts.
environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    auto_reload=False,  # templates ship with the package: no stat() of every template on every render
)
templates = Jinja2Templates(env=environment)


def query_string(params: dict, **changes) -> str:
    """The current query with some parameters changed (None drops one): paging and filter links."""
    merged = {**params, **changes}
    return urlencode([(k, v) for k, v in merged.items() if v not in (None, "")], doseq=True)


def claim_line(ref) -> Markup:
    """One claim in a list (speaker and entity pages, the same claim elsewhere): who, cue,
    content, the article. Built here rather than by a template macro: a speaker page lists
    a hundred of them, and a macro call costs several times the few strings it joins.
    Every value is escaped; only these tags go around them."""
    return Markup(_claim_line(ref))


def claim_lines(refs) -> Markup:
    """``claim_line`` of each, one call from the template for the whole list."""
    return Markup("".join(_claim_line(ref) for ref in refs))


def source_html(speaker: str | None, source: str | None, speaker_type: str | None = None) -> str:
    """Who made a claim: their speaker page; an unnamed source ("officials") or a body the
    text only describes ("the ministry") as written, marked so, never a speaker page (it is
    no one across the corpus: ``corpus.identity.names_someone``); else,
    when the text names a source that cannot be told (a pronoun with no antecedent, "the
    ad"), that source as written and marked unresolved; else that the text states no source."""
    e = escaped
    if speaker and (speaker_type == "unnamed" or (speaker_type and not names_someone(speaker, speaker_type))):
        return (f'<span class="claim-source unnamed" title="the text does not name this source">'
                f'{e(speaker)} <small>not named</small></span>')
    if speaker:
        return f'<a class="claim-source" href="{e(links.speaker_url(speaker))}">{e(speaker)}</a>'
    if source and source.strip():
        return (f'<span class="claim-source unresolved" title="the text does not say who this is">'
                f'“{e(" ".join(source.split()))}” <small>unresolved</small></span>')
    return '<span class="claim-source">no stated source</span>'


def _claim_line(ref) -> str:
    e = escaped  # each text escaped; the desk's URLs are percent-encoded (nothing to escape) but escaped too
    source = source_html(ref.speaker, ref.source, ref.speaker_type)
    medium = f'\n  <span class="claim-medium">({e(ref.medium)})</span>' if ref.medium else ""
    hedge = e(ref.hedge)
    return (
        f'<div class="claim-line">\n  {source}\n'
        f'  <mark class="claim-cue hedge-{hedge}" title="hedge: {hedge}{", negated" if ref.negated else ""}">'
        f'{e(ref.cue)}</mark>\n'
        f'  <a class="claim-content" href="{e(links.claim_url(ref.article_id, ref.seq))}">{e(ref.content)}</a>{medium}\n'
        f'  <span class="meta">\n'
        f'    <a href="{e(links.article_url(ref.article_id))}">{e(ref.title or "(untitled)")}</a>\n'
        f'    <span class="outlet">{e(ref.outlet or "unknown outlet")}</span>\n'
        f'    <span>{e(ref.published or "undated")}</span>\n'
        f'  </span>\n</div>\n'
    )


def headline_badge(verdict: str | None) -> Markup:
    """The warning a list shows beside a headline the check says does not fit (as the
    ``headline_badge`` macro of _macros.html, which a template importing it still uses;
    a plain call costs a fraction of a macro's, and the news line makes 25), escaped."""
    if not verdict or verdict == "fits":
        return Markup("")
    e = escaped
    return Markup(f'<strong class="headline-warning" title="The headline check says: {e(verdict)}">'
                  f'⚠ headline {e(verdict.replace("-", " "))}</strong>')


def mention_items(items) -> Markup:
    """Articles (news items) as ``<li>`` links with headline warning, outlet and date: the
    speaker and entity pages' mentioning articles, escaped."""
    e = escaped
    return Markup("".join(
        f'<li><a href="{e(links.article_url(item.id))}">{e(item.title or "(untitled)")}</a> {headline_badge(item.headline)}'
        f'<span class="meta"><span class="outlet">{e(item.outlet or "unknown outlet")}</span>'
        f'<span>{e(item.published or "undated")}</span></span></li>'
        for item in items
    ))


def article_claims(page, repeats: dict[int, int] | None = None) -> Markup:
    """The claim list of an article page (one ``<li>`` per claim): built here, not by the
    template, for the same reason as ``claim_line``. Every value escaped. ``repeats``
    (seq -> other articles carrying the claim) marks the claims with repeats."""
    e, text, article_id = escape, page.stored.article.raw.text, page.stored.article.raw.id
    items = []
    for seq, claim in page.claims:
        source = source_html(claim.speaker, claim.source.of(text) if claim.source else None, claim.speaker_type)
        n = (repeats or {}).get(seq, 0)
        repeated = (f'\n      <a class="repeats" href="{e(links.claim_url(article_id, seq))}#group">'
                    f'also in {n} other article{"" if n == 1 else "s"}</a>') if n else ""
        low = (f'\n      <span class="confidence" title="the taggers\' confidence in this claim, 0-1">'
               f'low confidence {claim.confidence:.2f}</span>') if claim.low_confidence else ""
        marked = ' class="low-confidence"' if claim.low_confidence else ""
        rating = getattr(page, "verdicts", {}).get(seq)
        verdict = (f'\n      <a class="verdict {e(verdict_class(rating))}" href="{e(links.claim_url(article_id, seq))}#reviews">'
                   f'{e(rating)}</a>') if rating else ""
        items.append(
            f'    <li value="{seq + 1}"{marked}>\n      {source}\n'
            f'      <mark class="claim-cue hedge-{e(claim.hedge)}">{e(claim.cue.of(text))}</mark>\n'
            f'      <a class="claim-content" href="{e(links.claim_url(article_id, seq))}">{e(claim.content.of(text))}</a>\n'
            f'      <span class="hedge">{e(claim.hedge)}{", negated" if claim.negated else ""}</span>{verdict}{low}{repeated}\n    </li>\n'
        )
    return Markup("".join(items))


def person_chips(speakers, entities) -> Markup:
    """An article's speakers and entities as linked chips (``<li>`` each), escaped."""
    e = escape
    chips = [f'<li><a class="speaker" href="{e(links.speaker_url(name))}">{e(name)}</a></li>' for name in speakers]
    chips.extend(
        f'<li><a class="entity entity-{e(label.lower())}" href="{e(links.person_url(canonical, label))}">{e(canonical)}</a> '
        f'<small>{e(label)}{f" ×{n}" if n > 1 else ""}</small></li>'
        for canonical, label, n in entities
    )
    return Markup("".join(chips))


def copy_items(items) -> Markup:
    """Near-duplicate copies (news items) as ``<li>`` links with outlet and date, escaped."""
    e = escape
    return Markup("".join(
        f'<li><a href="{e(links.article_url(item.id))}">{e(item.title or "(untitled)")}</a> <span class="meta">'
        f'<span class="outlet">{e(item.outlet or "unknown outlet")}</span><span>{e(item.published or "undated")}</span></span></li>'
        for item in items
    ))


def paragraphs(marked) -> Markup:
    """Highlighted paragraphs (Markup each, built by ``highlight``) as ``<p>`` elements."""
    return Markup("".join(f"<p>{p}</p>\n  " for p in marked))


def timeline_svg(chart, name: str) -> Markup:
    """The timeline chart's SVG (geometry from ``claimdesk.web.timeline``): built here, not
    by a template loop, as a most quoted person's chart has a dot per month and row (a
    couple of hundred). Every label escaped; numbers are the chart's own floats and ints."""
    e = escape
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {chart.width} {chart.height}" width="100%" role="img" '
        f'aria-labelledby="timeline-title">\n'
        f'  <title id="timeline-title">Claims by and about {e(name)} over time (dates of the articles)</title>\n'
    ]
    x2 = chart.width - chart.right
    for row, y in chart.rows.items():
        parts.append(f'  <line class="row-line" x1="{chart.left}" x2="{x2}" y1="{y}" y2="{y}"></line>\n'
                     f'  <text class="row-label" x="4" y="{y + 4}">{e(row)}</text>\n')
    parts.extend(f'  <circle class="dot dot-{e(dot.row)}" cx="{dot.x}" cy="{dot.y}" r="{dot.r}"><title>{e(dot.label)}</title></circle>\n'
                 for dot in chart.dots)
    tick_y = chart.height - 6
    parts.extend(f'  <text class="tick" x="{tick.x}" y="{tick_y}" text-anchor="middle">{e(tick.label)}</text>\n'
                 for tick in chart.ticks)
    parts.append("</svg>")
    return Markup("".join(parts))


environment.globals.update(
    claim_line=claim_line,
    claim_lines=claim_lines,
    source_html=lambda speaker, source, speaker_type=None: Markup(source_html(speaker, source, speaker_type)),
    headline_badge=headline_badge,
    mention_items=mention_items,
    article_claims=article_claims,
    person_chips=person_chips,
    copy_items=copy_items,
    paragraphs=paragraphs,
    timeline_svg=timeline_svg,
    query_string=query_string,
    links=links,
    snippet_html=lambda snippet: snippet_html(snippet, MATCH_OPEN, MATCH_CLOSE),
)


def render(request: Request, name: str, status_code: int = 200, **context):
    """A page: the template ``name`` with ``context``, plus ``request`` (and what it carries)."""
    return templates.TemplateResponse(request, name, context, status_code=status_code)
