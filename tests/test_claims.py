"""Speakers, hedges, media and roles, on short articles written for the purpose.

Attributions are given by hand (source, cue, content as found in the text), so these
tests check what claimdesk makes of an attribution, independently of the extractor.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from claimdesk.analyze.claims import build_claims
from claimdesk.analyze.hedge import grade
from claimdesk.analyze.medium import find_medium
from claimdesk.analyze.nlp import load_nlp
from claimdesk.analyze.parse import with_paragraphs


@pytest.fixture(scope="module")
def nlp():
    return with_paragraphs(load_nlp())


@dataclass(frozen=True)
class Given:
    source: tuple[int, int] | None
    cue: tuple[int, int]
    content: tuple[int, int]


def at(text: str, piece: str, after: str = "") -> tuple[int, int]:
    start = text.index(piece, text.index(after) if after else 0)
    return start, start + len(piece)


def given(text: str, source: str | None, cue: str, content: str, after: str = "") -> Given:
    return Given(at(text, source, after) if source else None, at(text, cue, after), at(text, content, after))


@pytest.mark.parametrize("sentence, cue, hedge, negated", [
    ("The minister said that the bridge was safe.", "said", "states", False),
    ("The minister asserted that the bridge was safe.", "asserted", "states", False),
    ("The minister claimed that the bridge was safe.", "claimed", "claims", False),
    ("The minister insisted that the bridge was safe.", "insisted", "claims", False),
    ("The minister alleged that the contractor had cut corners.", "alleged", "alleges", False),
    ("The minister accused the contractor of cutting corners.", "accused", "alleges", False),
    ("The minister reportedly said that the bridge was safe.", "said", "alleges", False),
    ("The minister suggested that the bridge might be unsafe.", "suggested", "suggests", False),
    ("The minister raised the possibility of closing the bridge.", "raised the possibility", "suggests", False),
    ("The minister expressed uncertainty about the repairs.", "expressed uncertainty", "doubts", False),
    ("The minister questioned whether the repairs were needed.", "questioned", "doubts", False),
    ("The minister denied that the bridge was unsafe.", "denied", "denies", False),
    ("The minister did not say that the bridge was safe.", "say", "states", True),
    ("The minister never claimed that the bridge was safe.", "claimed", "claims", True),
])
def test_hedge_grades_the_cue_and_its_modifiers(nlp, sentence, cue, hedge, negated):
    doc = nlp(sentence)
    assert grade(doc, *at(sentence, cue)) == (hedge, negated)


@pytest.mark.parametrize("sentence, cue, medium", [
    ("Korsak claimed in an interview with Radio Meridian that the tender was rigged.", "claimed", "Radio Meridian"),
    ("Korsak told Reuters that the tender was rigged.", "told", "Reuters"),
    ("Korsak told reporters that the tender was rigged.", "told", None),
    ("In a statement, the ministry said the tender was fair.", "said", "statement"),
    ("Korsak wrote on Facebook that the tender was rigged.", "wrote", "Facebook"),
    ("Valen said at a press conference that the tender was fair.", "said", "press conference"),
    ("Valen said that the tender was fair.", "said", None),
])
def test_medium_is_found_in_the_cue_sentence(nlp, sentence, cue, medium):
    doc = nlp(sentence)
    found = find_medium(doc, at(sentence, cue)[0])
    assert (found.text if found is not None else None) == medium


ARTICLE = (
    "Harbour contract under fire\n\n"
    "Lina Korsak, a member of the parliamentary audit committee, expressed anger in an interview with Radio Meridian, "
    "emphasizing that the tender had been written for one bidder. "
    "Korsak alleged that two offers were disqualified on technicalities.\n\n"
    "She claimed that the chairman had met the winning bidder twice.\n\n"
    "Port Authority spokesman Petr Valen said the tender followed European rules. "
    "He told reporters that an auditor had reviewed it.\n\n"
    "Opposition deputies say the matter is not closed."
)


@pytest.fixture(scope="module")
def article_claims(nlp):
    doc = nlp(ARTICLE)
    attributions = [
        given(ARTICLE, None, "emphasizing", "that the tender had been written for one bidder"),
        given(ARTICLE, "Korsak", "alleged", "that two offers were disqualified on technicalities", after="Korsak alleged"),
        given(ARTICLE, "She", "claimed", "that the chairman had met the winning bidder twice"),
        given(ARTICLE, "Port Authority spokesman Petr Valen", "said", "the tender followed European rules"),
        given(ARTICLE, "He", "told", "that an auditor had reviewed it"),
        given(ARTICLE, "Opposition deputies", "say", "the matter is not closed"),
    ]
    claims, entities = build_claims(doc, attributions)
    return {ARTICLE[c.cue.start:c.cue.end] + ":" + ARTICLE[c.content.start:c.content.end][:12]: c for c in claims}, entities


def test_surnames_and_pronouns_resolve_to_the_full_name(article_claims):
    claims, _ = article_claims
    assert claims["alleged:that two off"].speaker == "Lina Korsak"
    assert claims["claimed:that the cha"].speaker == "Lina Korsak"
    assert ARTICLE[claims["claimed:that the cha"].source.start:claims["claimed:that the cha"].source.end] == "She"
    assert claims["told:that an audi"].speaker == "Petr Valen"


def test_a_participle_cue_takes_the_subject_of_its_verb(article_claims):
    claims, _ = article_claims
    assert claims["emphasizing:that the ten"].speaker == "Lina Korsak"


def test_groups_are_kept_as_written(article_claims):
    claims, _ = article_claims
    assert claims["say:the matter i"].speaker == "Opposition deputies"


def test_a_medium_carries_over_to_later_claims_of_the_same_speaker(article_claims):
    claims, _ = article_claims
    for key in ("emphasizing:that the ten", "alleged:that two off", "claimed:that the cha"):
        medium = claims[key].medium
        assert medium is not None and ARTICLE[medium.start:medium.end] == "Radio Meridian"
    assert claims["said:the tender f"].medium is None
    assert claims["told:that an audi"].medium is None  # "told reporters" names no outlet


def test_roles_from_apposition_and_title_and_the_outlet_as_media(article_claims):
    _, entities = article_claims
    roles = {e.canonical: e.role for e in entities if e.label == "PERSON"}
    assert roles["Lina Korsak"] == "member of the parliamentary audit committee"
    assert roles["Petr Valen"] == "Port Authority spokesman"
    media = [ARTICLE[e.span.start:e.span.end] for e in entities if e.label == "MEDIA"]
    assert media == ["Radio Meridian"]
    assert "Radio Meridian" not in roles


def test_a_headline_without_full_stop_stays_out_of_the_first_sentence(nlp):
    text = "Shoigu held a call. The year 2016\n\nIn a meeting on December 19, Sergei Shoigu asserted that peace held."
    doc = nlp(text)
    first_body_token = next(t for t in doc if t.text == "In")
    assert first_body_token.is_sent_start


def test_light_verb_attributions_carry_the_noun_as_cue(nlp):
    from claimdesk.analyze.light_verbs import light_verb_attributions

    text = "Lina Korsak expressed doubts about the audit. She raised the possibility of a second tender."
    found = {text[a.cue[0]:a.cue[1]]: (text[a.content[0]:a.content[1]], a.source and text[a.source[0]:a.source[1]])
             for a in light_verb_attributions(nlp(text))}
    assert found == {
        "expressed doubts": ("the audit", "Lina Korsak"),
        "raised the possibility": ("a second tender", "She"),
    }


# The claims the issue names for the sample, as (speaker, hedge, words of the content, medium).
SAMPLE_CLAIMS = [
    ("Sergei Shoigu", "states", "main guarantor of peace in Karabakh", None),
    ("Elman Mammadov", "states", "military presence was no longer needed", "Turan"),
    ("Elman Mammadov", "alleges", "involved in other activities", "Turan"),
    ("Elman Mammadov", "claims", "traced back to Armenia and manufactured in 2021", "Turan"),
    ("Elman Mammadov", "claims", "Russian passports were found", "Turan"),
    ("Azer Gasimli", "doubts", "undisclosed agreements", "Radio Azadlig"),
    ("Azer Gasimli", "suggests", "evolving into a military base", "Radio Azadlig"),
    ("Azer Gasimli", "suggests", "sees the Karabakh issue as unresolved", "Radio Azadlig"),
    ("Azer Gasimli", "claims", "influence the political landscape in Armenia", "Radio Azadlig"),
]


def test_the_sample_yields_the_claims_of_the_issue(sample_text):
    from claimdesk.analyze import analyze_articles
    from claimdesk.clean import clean
    from claimdesk.model import RawDocument

    (analysis,) = analyze_articles([clean(RawDocument(text=sample_text, format="text"))])
    found = [(c.speaker, c.hedge, sample_text[c.content.start:c.content.end],
              sample_text[c.medium.start:c.medium.end] if c.medium else None) for c in analysis.claims]
    for speaker, hedge, words, medium in SAMPLE_CLAIMS:
        assert any(s == speaker and h == hedge and words in content and m == medium for s, h, content, m in found), (
            f"missing: {speaker} {hedge} '{words}' ({medium}); found: {found}")
    for claim in analysis.claims:  # no content runs on into another paragraph
        assert "\n" not in sample_text[claim.content.start:claim.content.end]
    he = [c for c in analysis.claims if c.source and sample_text[c.source.start:c.source.end] == "He"]
    assert {c.speaker for c in he} == {"Elman Mammadov", "Azer Gasimli"}
    roles = {e.canonical: e.role for e in analysis.entities if e.label == "PERSON"}
    assert roles["Sergei Shoigu"] == "Russian Defense Minister"
    assert roles["Azer Gasimli"] == "head of the Institute of Political Management"
    assert roles["Elman Mammadov"].startswith("member of the Milli Majlis Committee on defense")
    assert {sample_text[e.span.start:e.span.end] for e in analysis.entities if e.label == "MEDIA"} == {"Turan", "Radio Azadlig"}


RUNS_ON = ("The report was published on Monday. Its author wrote: “The river has risen by two metres since "
           "May. Farms are flooded.\n\n“Nobody in the valley was warned in time.”\n\nThe ministry has not replied.")
CLOSED = ("The report was published on Monday. “The river has risen by two metres,” its author wrote.\n\n"
          "“Nobody was warned,” a farmer said.")
PLAIN = "Its author wrote that the river had risen by two metres.\n\nThe ministry has not replied to questions."


@pytest.mark.parametrize("text, content, kept", [
    # a quotation left open at the paragraph's end and reopened on the next: one quotation, kept whole
    (RUNS_ON, "The river has risen by two metres since May. Farms are flooded.\n\n“Nobody in the valley was warned "
              "in time.", "The river has risen by two metres since May. Farms are flooded.\n\n“Nobody in the valley "
              "was warned in time."),
    # the quotation closed before the paragraph ended: the next one is another quotation
    (CLOSED, "The river has risen by two metres,” its author wrote.\n\n“Nobody was warned",
     "The river has risen by two metres,” its author wrote."),
    (PLAIN, "the river had risen by two metres.\n\nThe ministry has not replied", "the river had risen by two metres."),
])
def test_a_content_ends_with_its_paragraph_unless_its_quotation_runs_on(nlp, text, content, kept):
    doc = nlp(text)
    cue = "wrote"
    (claim,), _ = build_claims(doc, [Given(None, at(text, cue), at(text, content))])
    assert text[claim.content.start:claim.content.end] == kept
