"""Issue 17, claim details, on short articles written for the tests: the medium after
"told" + an outlet, on a platform and in "tweeted"; refusals and denials on the hedge
scale; a confidence per claim (the taggers' marginals) in the contract; weekdays that
follow tense around the document date.
"""

from __future__ import annotations

import numpy as np
import pytest

from claimdesk.analyze.attribution import RoleScores, SpanScore, confidence, path_marginals
from claimdesk.analyze.dates import find_dates
from claimdesk.analyze.hedge import SCALE, grade
from claimdesk.analyze.lexicon import medium_platform
from claimdesk.analyze.medium import find_medium
from claimdesk.analyze.nlp import load_nlp
from claimdesk.analyze.parse import with_paragraphs


@pytest.fixture(scope="module")
def nlp():
    return with_paragraphs(load_nlp())


def at(text: str, piece: str) -> tuple[int, int]:
    start = text.index(piece)
    return start, start + len(piece)


# -- medium ---------------------------------------------------------------------------------

MEDIA = [
    # (sentence, cue, medium as written, platform)
    ("A doctor on the scene told Ruptly that he tried to save one of the wounded demonstrators.", "told",
     "Ruptly", None),
    ("Charles Simpson, a researcher at the Feinstein Center, told Polygraph.info the ministry's allegations are false.",
     "told", "Polygraph.info", None),
    ("Analysts and sources in the camp told Polygraph.info the Russian and Syrian claims are false.", "told",
     "Polygraph.info", None),
    ("The spokesman told Reuters that the convoy had turned back.", "told", "Reuters", None),
    ("The minister told TASS news agency that the troops would stay.", "told", "TASS news agency", None),
    ("She told The New York Times that she would run.", "told", "New York Times", None),
    ("The governor told reporters that the bridge was safe.", "told", None, None),
    ('"We will respond," the minister said in a post on X.', "said", "X", "Twitter/X"),
    ("The senator said in a post on Twitter that the bill was dead.", "said", "Twitter", "Twitter/X"),
    ("The mayor said in a post on Facebook that the schools would reopen.", "said", "Facebook", "Facebook"),
    ("She wrote in a post on Telegram that the city had fallen.", "wrote", "Telegram", "Telegram"),
    ("The president tweeted that the election had been rigged.", "tweeted", "tweeted", "Twitter/X"),
    ("Kadyrov wrote on Telegram that his forces had taken the village.", "wrote", "Telegram", "Telegram"),
    ('"This is a lie," the spokeswoman wrote on her Telegram channel.', "wrote", "Telegram channel", "Telegram"),
    ('"We are ready," the mayor wrote on X.', "wrote", "X", "Twitter/X"),
]


@pytest.mark.parametrize("sentence, cue, medium, platform", MEDIA)
def test_the_medium_of_told_an_outlet_a_post_and_a_tweet(nlp, sentence, cue, medium, platform):
    found = find_medium(nlp(sentence), at(sentence, cue)[0])
    assert (found.text if found is not None else None) == medium
    assert medium_platform(found.text if found is not None else None) == platform
    if found is not None:
        assert sentence[found.start_char:found.end_char] == medium


def test_told_gives_its_medium_to_its_own_claim_only(nlp):
    text = ("The Pentagon rejected these accusations as false, and analysts in the camp told Polygraph.info "
            "the claims are false.")
    doc = nlp(text)
    assert find_medium(doc, text.index("rejected")) is None
    assert find_medium(doc, text.index("told")).text == "Polygraph.info"


def test_a_person_the_article_names_in_full_is_told_not_a_medium(nlp):
    text = "Vladimir Petrov met the envoy on Friday. The envoy later told Vladimir Petrov that the deal was off."
    assert find_medium(nlp(text), text.index("told")) is None


# -- hedge: refusals and denials ---------------------------------------------------------------

@pytest.mark.parametrize("sentence, cue, hedge, negated", [
    ("The senator has steadfastly refused to release his tax returns.", "has steadfastly refused", "refuses", False),
    ("The ministry declined to comment on the report.", "declined", "refuses", False),
    ("He declined to say who had ordered the strike.", "declined to say", "refuses", False),
    ("The company refused to say whether the data had been sold.", "refused to say", "refuses", False),
    ("The spokesman would not confirm that the talks had collapsed.", "would not confirm", "refuses", False),
    ("The senator disavowed the remarks about the election.", "disavowed", "denies", False),
    ("The Kremlin denied that its troops were involved.", "denied", "denies", False),
    ("Baku rejected claims that its forces had shelled the village.", "rejected", "denies", False),
    ("The ministry repudiated the report that mines had been moved.", "repudiated", "denies", False),
    ("The minister did not say that the bridge was safe.", "did not say", "states", True),
    ("Officials believe the attack was planned in advance.", "believe", "suggests", False),
])
def test_refusals_and_denials_on_the_hedge_scale(nlp, sentence, cue, hedge, negated):
    assert grade(nlp(sentence), *at(sentence, cue)) == (hedge, negated)


def test_refuses_is_a_grade_of_its_own_on_the_scale_the_store_knows():
    from claimdesk.store.queries import HEDGES

    assert SCALE[-1] == "refuses" and "denies" in SCALE
    assert HEDGES == SCALE


# -- confidence -----------------------------------------------------------------------------------

def test_confidence_is_the_product_of_cue_and_role_boundaries():
    sure = SpanScore(inside=1.0, start=1.0, end=1.0)
    unsure_end = SpanScore(inside=0.9, start=0.95, end=0.4)
    assert confidence(1.0, RoleScores(sure, sure)) == 1.0
    assert confidence(0.9, RoleScores(None, sure)) == 0.9  # no source tagged: cue and content decide
    assert confidence(1.0, RoleScores(sure, unsure_end)) == pytest.approx(0.4 * 0.9, abs=1e-3)
    assert confidence(1.0, RoleScores(sure, None)) == 0.0  # no content: no claim


def test_path_marginals_sum_to_one_and_respect_bio():
    tags = ["O", "B-SRC", "I-SRC", "B-CON", "I-CON"]
    rng = np.random.default_rng(1)
    scores = [rng.normal(size=(6, 5)), rng.normal(size=(3, 5))]
    beliefs = path_marginals(scores, tags, rng.normal(size=(5, 5)), rng.normal(size=5), rng.normal(size=5))
    for s, b in zip(scores, beliefs):
        assert b.shape == s.shape
        assert np.allclose(b.sum(axis=1), 1.0)
        assert b[0, tags.index("I-SRC")] == pytest.approx(0.0) and b[0, tags.index("I-CON")] == pytest.approx(0.0)


ARTICLE = (
    "Talks to resume\n\n"
    "The foreign minister said on Friday that the talks would resume in Geneva. "
    '"We will not give up," she told Reuters.\n'
)


def test_every_claim_of_an_analysed_article_has_a_confidence_in_the_contract():
    from claimdesk.analyze import analyze_articles
    from claimdesk.clean import clean
    from claimdesk.model import RawDocument
    from claimdesk.publish.contract import analysis_json

    analysis = next(iter(analyze_articles([clean(RawDocument(text=ARTICLE, format="text", published="2026-03-14"))])))
    claims = analysis_json(analysis)["claims"]
    assert claims
    for claim in claims:
        assert 0.0 <= claim["confidence"] <= 1.0
    told = next(c for c in claims if c["cue"]["text"] == "told")
    assert told["medium"] == {"text": "Reuters", "start": ARTICLE.index("Reuters"),
                              "end": ARTICLE.index("Reuters") + 7, "platform": None}


# -- weekdays follow tense and the document date ------------------------------------------------

SATURDAY = "2026-03-14"


@pytest.mark.parametrize("sentence, value", [
    ("The two ministers will meet on Monday to discuss the ceasefire.", "2026-03-16"),
    ("The ministers met on Monday to discuss the ceasefire.", "2026-03-09"),
    ("Parliament may vote on Monday.", "2026-03-16"),
    ("The vote could come as early as Monday.", "2026-03-16"),
    ("Ministers to meet Monday in Geneva.", "2026-03-16"),
    ("The meeting, set for Monday, will be held in Baku.", "2026-03-16"),
    ("A spokesman said the troops would withdraw by Monday.", "2026-03-16"),
    ("The delegation could have arrived on Monday.", "2026-03-09"),
    ("The talks, which were held on Monday, ended without agreement.", "2026-03-09"),
])
def test_a_weekday_follows_the_tense_around_the_document_date(nlp, sentence, value):
    found = [d for d in find_dates(nlp(sentence), SATURDAY) if d.span.of(sentence) == "Monday"]
    assert [d.value for d in found] == [value]


def test_a_future_seen_from_a_reported_day_counts_from_that_day(nlp):
    sentence = "The minister said on Wednesday that the talks would resume on Thursday."
    values = {d.span.of(sentence): d.value for d in find_dates(nlp(sentence), SATURDAY)}
    assert values == {"Wednesday": "2026-03-11", "Thursday": "2026-03-12"}


def test_a_dateline_read_into_the_source_is_left_out():
    """"WASHINGTON -- President Obama said ..." opens an article: the source, kept as the
    speaker's alias, is "President Obama"; a dash inside a sentence is no dateline."""
    from claimdesk.analyze.claims import _after_dateline

    text = "Obama speaks\n\nWASHINGTON -- President Obama said on Monday that the deal was done."
    start = text.index("WASHINGTON")
    source = _after_dateline(text, (start, text.index(" said")))
    assert text[source[0]:source[1]] == "President Obama"
    inside = "The talks went on. NATO - the alliance - said it would wait."
    span = (inside.index("NATO"), inside.index(" said"))
    assert _after_dateline(inside, span) == span
