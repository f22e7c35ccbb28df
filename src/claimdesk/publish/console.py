"""Readable terminal views (Rich) of articles, search hits and store figures.

Scraped text may carry Rich markup ("[bold]") or terminal escapes: it is always passed
as ``Text`` objects, never as markup, and control characters are made visible.
"""

from __future__ import annotations

import re

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..model import Added, Analysis, Article, Claim, ClaimHit, HeadlineCheck, IngestError, SearchHit, StoredArticle

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe(text: str) -> Text:
    """Scraped text as inert Rich text: no markup, control characters shown as �."""
    return Text(_CONTROL.sub("\ufffd", text))


def _language(article: Article) -> str | None:
    """The language identified, with what the source declared when it said otherwise."""
    found = article.language
    if found is None:
        return article.raw.language
    declared = article.raw.language
    same = declared and declared.replace("_", "-").split("-")[0].strip().lower() == found.code
    return found.code + (f" (declared {declared})" if declared and not same else "")


def article_view(article: Article, *, heading: str = "", analysis: Analysis | None = None) -> Panel:
    raw = article.raw
    facts = Text()
    for label, value in (("outlet", raw.outlet), ("published", raw.published), ("language", _language(article)),
                         ("format", raw.format), ("from", raw.url or raw.path)):
        if value:
            facts.append(f"{label}: ", style="dim")
            facts.append_text(safe(str(value)))
            facts.append("   ")
    body = Text()
    for i, paragraph in enumerate(article.paragraphs()):
        if i:
            body.append("\n\n")
        body.append_text(safe(paragraph))
    parts = [facts, Text(""), body or Text("(no body found)", style="italic red")]
    if analysis is not None and analysis.note:
        parts += [Text(""), Text(f"Note: {analysis.note}.", style="yellow")]
    if analysis is not None and analysis.headline is not None:
        parts += [Text(""), headline_view(analysis.headline)]
    if analysis is not None and analysis.claims:
        parts += [Text(""), claims_table(raw.text, analysis.claims)]
    if analysis is not None:
        people = people_line(raw.text, analysis)
        if people:
            parts += [Text(""), people]
        dates = dates_line(raw.text, analysis)
        if dates:
            parts += [Text(""), dates]
    if article.removed:
        removed = Table(title="Removed", title_justify="left", show_edge=False, expand=True)
        removed.add_column("reason", style="yellow", no_wrap=True)
        removed.add_column("why", style="dim")
        removed.add_column("text")
        for r in article.removed:
            removed.add_row(r.reason, safe(r.detail), safe(raw.text[r.start : r.end]))
        parts += [Text(""), removed]
    title = safe(article.title_text or "(no title)")
    title.stylize("bold")
    return Panel(Group(*parts), title=title, subtitle=heading or raw.id[:12], title_align="left")


def claims_table(text: str, claims: list[Claim], title: str = "Claims") -> Table:
    """Who claimed what, how firmly, where: one row per claim, the cue highlighted before its content."""
    table = _claims_columns(Table(title=title, title_justify="left", show_edge=False, expand=True))
    for claim in claims:
        table.add_row(*_claim_cells(text, claim))
    return table


def _claims_columns(table: Table) -> Table:
    table.add_column("speaker", style="bold", ratio=2, min_width=14)
    table.add_column("hedge", style="magenta", no_wrap=True)
    table.add_column("cue → content", ratio=6, min_width=24)
    table.add_column("medium", style="cyan", min_width=10, max_width=18)
    return table


def _claim_cells(text: str, claim: Claim) -> tuple[Text, str, Text, Text]:
    written = claim.source.of(text) if claim.source else ""
    speaker = safe(claim.speaker or "(no source stated)")
    if written and written != claim.speaker:
        quoted = written if len(written) <= 40 else written[:39] + "…"
        speaker.append_text(Text(f"\n“{quoted}”", style="dim"))
    hedge = claim.hedge + ("\n(negated)" if claim.negated else "")
    content = claim.content.of(text)
    content = content if len(content) <= 240 else content[:237] + "…"
    said = safe(claim.cue.of(text))
    said.stylize("bold yellow")
    said.append(" → ", style="dim")
    said.append_text(safe(content))
    return speaker, hedge, said, safe(claim.medium.of(text) if claim.medium else "")


def people_line(text: str, analysis: Analysis) -> Text | None:
    """People with their roles, and media, as the article names them (once each)."""
    seen: dict[tuple[str, str], str | None] = {}
    for entity in analysis.entities:
        seen.setdefault((entity.label, entity.canonical), entity.role)
    if not seen:
        return None
    line = Text()
    for (label, name), role in seen.items():
        if line:
            line.append("   ")
        line.append_text(safe(name))
        line.stylize("bold", len(line) - len(name))
        line.append(f" ({label.lower()}{': ' + role if role else ''})", style="dim")
    return line


_VERDICT_STYLE = {"fits": "green", "does-not-fit": "bold red", "contradicts": "bold red"}


def headline_view(check: HeadlineCheck) -> Text:
    """The headline check: verdict, stance and score, then each reason on its own line."""
    line = Text("Headline ", style="dim")
    line.append(check.verdict, style=_VERDICT_STYLE.get(check.verdict, "bold"))
    line.append(f"   stance: {check.stance}   fit score: {check.score:.2f}", style="dim")
    for reason in check.reasons:
        line.append("\n  • ")
        line.append_text(safe(reason.text))
    return line


def dates_line(text: str, analysis: Analysis) -> Text | None:
    """Each temporal expression with its TIMEX3 value (and the bound when the year is unknown)."""
    if not analysis.dates:
        return None
    line = Text("Dates: ", style="dim")
    for i, date in enumerate(analysis.dates):
        if i:
            line.append("   ")
        line.append_text(safe(date.span.of(text)))
        value = date.value + (f", no earlier than {date.earliest}" if date.earliest else "")
        line.append(" → ", style="dim")
        line.append_text(safe(value))
    return line


def claim_hits_table(name: str, hits: list[ClaimHit]) -> Table:
    table = Table(title=f"Claims by {name}", title_justify="left", expand=True)
    table.add_column("article", style="cyan", no_wrap=True)
    _claims_columns(table)
    for hit in hits:
        where = Text(hit.article_id[:12], style="cyan")
        for fact in (hit.outlet, hit.published):
            if fact:
                where.append_text(Text("\n") + safe(fact[:14]))
        table.add_row(where, *_claim_cells(hit.text, hit.claim))
    return table


def stored_view(stored: StoredArticle, related: dict[str, StoredArticle] | None = None) -> Panel:
    """A stored article; ``related`` (id -> article) names its other versions and near-duplicates."""
    related = related or {}
    heading = f"{stored.article.raw.id[:12]} · version {stored.version} · ingested {stored.ingested_at}"
    panel = article_view(stored.article, heading=heading, analysis=stored.analysis)
    extra = []
    if len(stored.versions) > 1:
        extra.append(Text("Versions at this URL, oldest first:", style="bold cyan"))
        extra += [_member_line(i, related.get(i), current=i == stored.article.raw.id) for i in stored.versions]
    if stored.near_duplicates:
        extra.append(Text("Near-duplicates (the same story, other copies):", style="bold cyan"))
        extra += [_member_line(i, related.get(i)) for i in stored.near_duplicates]
    if extra:
        panel.renderable = Group(panel.renderable, Text(""), *extra)
    return panel


def _member_line(article_id: str, other: StoredArticle | None, current: bool = False) -> Text:
    line = Text(f"  {article_id[:12]} ", style="cyan")
    if other is not None:
        raw = other.article.raw
        line.append_text(safe(f"{raw.outlet or raw.url or raw.path or ''} · {other.article.title_text[:70]}"))
    if current:
        line.append("  (this one)", style="dim")
    return line


def hits_table(query: str, hits: list[SearchHit]) -> Table:
    table = Table(title=f"Search: {query}", title_justify="left", expand=True)
    table.add_column("id", style="cyan", no_wrap=True)
    table.add_column("title", style="bold")
    table.add_column("outlet")
    table.add_column("snippet")
    for hit in hits:
        snippet = safe(hit.snippet)
        snippet.highlight_regex(r"\[[^\]]*\]", "bold magenta")
        table.add_row(hit.id[:12], safe(hit.title), safe(hit.outlet or ""), snippet)
    return table


def stats_table(stats: dict) -> Table:
    table = Table(title="claimdesk store", title_justify="left", show_header=False)
    table.add_column("what", style="bold")
    table.add_column("value")
    for key, value in stats.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k}: {v}" for k, v in value.items()) or "-"
        elif isinstance(value, list):
            value = "\n".join(str(v) for v in value) or "-"
        table.add_row(key.replace("_", " "), safe(str(value)))
    return table


def added_line(added: Added, article: Article, claims: int = 0) -> Text:
    line = Text(f"{added.status:>9} ", style={"new": "green", "duplicate": "dim", "version": "yellow"}.get(added.status))
    line.append(added.id[:12] + " ", style="cyan")
    line.append_text(safe(article.title_text[:80] or "(no title)"))
    if claims:
        line.append(f"  {claims} claim{'s' if claims != 1 else ''}", style="dim")
    if added.near_duplicates:
        line.append(f"  ~ near-duplicate of {', '.join(i[:12] for i in added.near_duplicates)}", style="magenta")
    return line


def note_line(name: str, note: str) -> Text:
    line = Text("  warning ", style="bold yellow")
    line.append_text(safe(f"{name}: {note}"))
    return line


def error_line(error: IngestError) -> Text:
    line = Text("    error ", style="bold red")
    line.append_text(safe(str(error)))
    return line


def print_to(console: Console, *renderables) -> None:
    for r in renderables:
        console.print(r)


def speaker_json(detail) -> dict:
    """A speaker (``store.SpeakerDetail``) as ``claimdesk speakers --json`` prints it."""
    s = detail.speaker
    return {
        "name": s.name, "type": s.type, "claims": s.claims,
        "aliases": [a.name for a in detail.aliases],  # every written name, the most used first
        "roles": [r.role for r in detail.roles],  # the most often given first
        "first": s.first, "last": s.last,  # dates of the articles quoting them
        "alias_claims": {a.name: a.claims for a in detail.aliases},
        "role_details": [{"role": r.role, "count": r.count, "first": r.first, "last": r.last} for r in detail.roles],
    }


def speakers_table(details: list, unattributed: dict[str, int]) -> Table:
    """Speakers with type, claims, aliases and roles; below, the claims no speaker has."""
    caption = ", ".join(f"{n} claim{'s' if n != 1 else ''} by {kind} sources" for kind, n in sorted(unattributed.items()))
    table = Table(title="Speakers", title_justify="left", expand=True, caption=caption or None, caption_justify="left")
    for column in ("speaker", "type", "claims", "aliases", "roles"):
        table.add_column(column, justify="right" if column == "claims" else "left")
    for detail in details:
        s = detail.speaker
        aliases = Text(", ").join(safe(f"{a.name} ({a.claims})") for a in detail.aliases if a.name != s.name)
        roles = Text("; ").join(safe(f"{r.role} ({r.count})") for r in detail.roles[:3])
        table.add_row(safe(s.name), s.type, str(s.claims), aliases, roles)
    return table
