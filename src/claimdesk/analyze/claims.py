"""From attributions (source, cue, content spans) to claims a person can read:
who the source is, how firmly it was put, and where.

A claim without its own medium takes the one its speaker was last quoted in
("Mammadov ... in an interview with Turan ... He claimed ..."): articles name the
interview once and keep reporting from it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.tokens import Doc

from ..model import LOW_CONFIDENCE, Claim, Entity, Span
from .attribution_features import OPEN_QUOTES, QUOTE_MARK, TOGGLING_QUOTES
from .entities import find_entities
from .hedge import grade
from .medium import find_medium, named_outlets
from .people import PRONOUNS, find_people
from .speakers import Context, accusation, identify, names_no_one

CharSpan = tuple[int, int]
# A claim a rule made (light verbs, "according to X", a headline's "X: ...") has no tagger
# marginals. Neither split can measure the rules fairly: on PolNeAR train the taggers learned
# the texts, so rules fire only on what they left (46 of 196 claims exact), and the rules were
# written reading dev (40 of 58 exact there). So a rule's claim sits at the desk's threshold:
# shown, as the least trusted shown (BENCHMARKS.md, "Claim confidence").
RULE_CONFIDENCE = LOW_CONFIDENCE


def build_claims(doc: Doc, attributions: Iterable) -> tuple[list[Claim], list[Entity]]:
    """Claims in text order, and every entity mention of the article (``entities.find_entities``)."""
    attributions = sorted(attributions, key=lambda a: a.cue[0])
    text = doc.text  # spaCy rebuilds this string from the tokens on every access
    media = {a.cue: find_medium(doc, a.cue[0]) for a in attributions}
    media_ranges = [(m.start_char, m.end_char) for m in media.values() if m is not None]
    outlets = named_outlets(doc)
    people = find_people(doc, media_ranges + outlets)  # an outlet is nobody, whatever its label
    sources = [_after_dateline(text, a.source) if a.source else _implicit_source(doc, a.cue) for a in attributions]
    context = Context(doc, people, media_ranges + outlets,
                      [(source, a.cue, a.content) for source, a in zip(sources, attributions)], text)
    claims: list[Claim] = []
    last_medium: dict[str, Span] = {}
    for a, source in zip(attributions, sources):
        if _junk(doc, text, source, a.cue):
            continue
        accused = accusation(doc, a.cue)
        if accused is not None and (source is None or _overlap(source, accused.target)):
            source = accused.accuser  # the accused is the claim's target, never its speaker
        who = identify(context, source) if source else None
        speaker = who.name if who else None
        hedge, negated = grade(doc, *a.cue)
        found = media[a.cue]
        medium = Span(found.start_char, found.end_char) if found is not None else last_medium.get(speaker or "")
        if speaker and medium:
            last_medium[speaker] = medium
        claims.append(Claim(
            source=Span(*source) if source else None,
            speaker=speaker,
            cue=Span(*a.cue),
            content=Span(*_within_paragraph(text, a.content, a.cue)),
            hedge=hedge,
            medium=medium,
            negated=negated,
            speaker_type=who.type if who else ("unresolved" if accused is not None else None),
            target=Span(*accused.target) if accused is not None else None,
            confidence=a.confidence if getattr(a, "confidence", None) is not None else RULE_CONFIDENCE,
        ))
    return claims, find_entities(doc, claims, people)


# "WASHINGTON -- ", "MOSCOW (Reuters) - ", "KYIV, Ukraine — ": the place and wire an article opens with
_DATELINE = re.compile(r"[A-Z][A-Z.'-]{2,}(?:[ ,]+[A-Z][A-Za-z.'-]*)*(?: \([A-Za-z .]+\))?\s*(?:--|[-\u2013\u2014])\s+")


def _after_dateline(text: str, source: CharSpan) -> CharSpan:
    """The source without a dateline the tagger read into it at the start of a paragraph
    ("WASHINGTON -- President Obama" is President Obama), so the name as written, kept as
    the speaker's alias, is a name."""
    start, end = source
    if text[:start].rstrip(" \t")[-1:] not in ("", "\n"):
        return source  # a dateline opens a paragraph
    found = _DATELINE.match(text, start, end)
    return (found.end(), end) if found and found.end() < end else source


def _within_paragraph(text: str, content: CharSpan, cue: CharSpan) -> CharSpan:
    """A content that starts in its cue's paragraph ends there: the tagger sometimes runs on
    into the next paragraph. (A quote before its cue may span paragraphs and is kept.)

    Except where a quotation runs on: a paragraph that ends with its quotation still open,
    followed by one that opens with a quote mark, is the typographic convention for one
    quotation over several paragraphs, and the content may go on into it."""
    start, end = content
    paragraph_start = text.rfind("\n", 0, start) + 1
    paragraph_end = text.find("\n", start)
    if paragraph_end == -1 or paragraph_end >= end or cue[0] > paragraph_end:
        return content
    while _quotation_runs_on(text, paragraph_start, paragraph_end):
        paragraph_start = _SPACE.match(text, paragraph_end).end()
        paragraph_end = text.find("\n", paragraph_start)
        if paragraph_end == -1 or paragraph_end >= end:
            return content
    while paragraph_end > start and text[paragraph_end - 1].isspace():
        paragraph_end -= 1
    return start, paragraph_end


_SPACE = re.compile(r"\s*")


def _quotation_runs_on(text: str, paragraph_start: int, paragraph_end: int) -> bool:
    """The paragraph ends inside a quotation and the next paragraph opens with a quote mark."""
    inside = False
    for mark in QUOTE_MARK.findall(text, paragraph_start, paragraph_end):
        inside = mark in OPEN_QUOTES or (mark in TOGGLING_QUOTES and not inside)
    return inside and QUOTE_MARK.match(text, _SPACE.match(text, paragraph_end).end()) is not None


def _implicit_source(doc: Doc, cue: CharSpan) -> CharSpan | None:
    """A source the extractor left out, where the parse states it: the person subject
    of the cue verb ("Gasimli suggested ..."), or, for a participle cue, of the verb it
    hangs from ("Mammadov expressed dissatisfaction, emphasizing that ...")."""
    span = doc.char_span(*cue, alignment_mode="expand")
    if span is None or not len(span):
        return None
    verb = span.root
    source = _person_subject(verb)
    if source is None and verb.dep_ in ("advcl", "xcomp", "conj") and verb.tag_ in ("VBG", "VBN"):
        source = _person_subject(verb.head)
    return source


def _person_subject(verb) -> CharSpan | None:
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    before = verb.doc[verb.i - 1] if verb.i > verb.sent.start else None
    if subject is None and before is not None and before.ent_type_ == "PERSON":
        subject = before  # a name right before its verb is its subject, however the parser labelled it
    if subject is None:
        return None
    if subject.lower_ in PRONOUNS:
        return subject.idx, subject.idx + len(subject.text)
    name = [t for t in subject.subtree if t.ent_type_ == "PERSON" or (t.pos_ == "PROPN" and t == subject)]
    if not name:  # "mines ... were traced, suggesting ...": things do not make claims
        return None
    return name[0].idx, name[-1].idx + len(name[-1].text)


def _junk(doc: Doc, text: str, source: CharSpan | None, cue: CharSpan) -> bool:
    """An attribution made of punctuation ("MORE (R): ...", a line label) whose label names
    no one is page text, not a claim."""
    if source is None or any(ch.isalpha() for ch in text[cue[0] : cue[1]]):
        return False
    return names_no_one(doc, source)


def _overlap(a: CharSpan, b: CharSpan) -> bool:
    return a[0] < b[1] and b[0] < a[1]
