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
from claimdesk.web import links
from claimdesk.web.highlight import snippet_html

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
    e = escape
    if ref.speaker:
        source = f'<a class="claim-source" href="{e(links.speaker_url(ref.speaker))}">{e(ref.speaker)}</a>'
    else:
        source = '<span class="claim-source">no stated source</span>'
    medium = f'\n  <span class="claim-medium">({e(ref.medium)})</span>' if ref.medium else ""
    return Markup(
        f'<div class="claim-line">\n  {source}\n'
        f'  <mark class="claim-cue hedge-{e(ref.hedge)}" title="hedge: {e(ref.hedge)}{", negated" if ref.negated else ""}">'
        f'{e(ref.cue)}</mark>\n'
        f'  <a class="claim-content" href="{e(links.claim_url(ref.article_id, ref.seq))}">{e(ref.content)}</a>{medium}\n'
        f'  <span class="meta">\n'
        f'    <a href="{e(links.article_url(ref.article_id))}">{e(ref.title or "(untitled)")}</a>\n'
        f'    <span class="outlet">{e(ref.outlet or "unknown outlet")}</span>\n'
        f'    <span>{e(ref.published or "undated")}</span>\n'
        f'  </span>\n</div>\n'
    )


def article_claims(page) -> Markup:
    """The claim list of an article page (one ``<li>`` per claim): built here, not by the
    template, for the same reason as ``claim_line``. Every value escaped."""
    e, text, article_id = escape, page.stored.article.raw.text, page.stored.article.raw.id
    items = []
    for seq, claim in page.claims:
        if claim.speaker:
            source = f'<a class="claim-source" href="{e(links.speaker_url(claim.speaker))}">{e(claim.speaker)}</a>'
        else:
            source = '<span class="claim-source">no stated source</span>'
        items.append(
            f'    <li>\n      {source}\n'
            f'      <mark class="claim-cue hedge-{e(claim.hedge)}">{e(claim.cue.of(text))}</mark>\n'
            f'      <a class="claim-content" href="{e(links.claim_url(article_id, seq))}">{e(claim.content.of(text))}</a>\n'
            f'      <span class="hedge">{e(claim.hedge)}{", negated" if claim.negated else ""}</span>\n    </li>\n'
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


environment.globals.update(
    claim_line=claim_line,
    article_claims=article_claims,
    person_chips=person_chips,
    copy_items=copy_items,
    paragraphs=paragraphs,
    query_string=query_string,
    links=links,
    snippet_html=lambda snippet: snippet_html(snippet, MATCH_OPEN, MATCH_CLOSE),
)


def render(request: Request, name: str, status_code: int = 200, **context):
    """A page: the template ``name`` with ``context``, plus ``request`` (and what it carries)."""
    return templates.TemplateResponse(request, name, context, status_code=status_code)
