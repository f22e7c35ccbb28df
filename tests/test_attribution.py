"""Attribution extraction on short articles written for these tests.

Each test is one construction the issue lists; the assertions are the spans a
reader cares about (who, which cue, what was said), not every boundary detail.
"""

from __future__ import annotations

import pytest

spacy = pytest.importorskip("spacy")
pytest.importorskip("pycrfsuite")

from claimdesk.analyze.attribution import Attribution, extract  # noqa: E402
from claimdesk.analyze.nlp import load_nlp  # noqa: E402


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def found(nlp, text: str) -> tuple[str, list[tuple[str | None, str, str]]]:
    doc = nlp(text)
    atts: list[Attribution] = extract(doc)
    return text, [(text[a.source[0]:a.source[1]] if a.source else None,
                   text[a.cue[0]:a.cue[1]], text[a.content[0]:a.content[1]]) for a in atts]


def the_one(atts, cue_word: str):
    """The attribution whose cue contains ``cue_word`` (exactly one expected)."""
    hits = [a for a in atts if cue_word in a[1]]
    assert len(hits) == 1, atts
    return hits[0]


def test_indirect_speech(nlp):
    _, atts = found(nlp, "Harbour traffic resumed on Monday. Port director Maria Lopez said that the "
                         "northern pier would reopen in May after repairs.")
    source, cue, content = the_one(atts, "said")
    assert "Maria Lopez" in source
    assert cue == "said"
    assert content.startswith("that the northern pier") and content.rstrip(".").endswith("after repairs")


def test_direct_quote(nlp):
    _, atts = found(nlp, 'The minister spoke to reporters in the capital. He said: "The border will stay '
                         'closed until the inspections are finished."')
    source, cue, content = the_one(atts, "said")
    assert source == "He"
    assert "The border will stay closed" in content and "inspections are finished" in content


def test_content_before_cue(nlp):
    _, atts = found(nlp, "The talks in Geneva collapsed late on Friday. The two delegations had failed to agree "
                         "on a ceasefire line, a senior diplomat said.")
    source, cue, content = the_one(atts, "said")
    assert source == "a senior diplomat"
    assert content.startswith("The two delegations had failed to agree")


def test_according_to(nlp):
    _, atts = found(nlp, "A blast hit the market at noon. According to the health ministry, forty people "
                         "were injured in the explosion.")
    source, cue, content = the_one(atts, "ccording")
    assert source == "the health ministry"
    assert content.startswith("forty people were injured")


def test_multi_sentence_quote(nlp):
    text, atts = found(nlp, 'Floods reached the village overnight. Resident Anna Ivanova said: "The water rose in '
                            'an hour. Nobody was ready for it. We lost everything we had."')
    source, cue, content = the_one(atts, "said")
    assert "Anna Ivanova" in source
    assert content.lstrip('"').startswith("The water rose") and "We lost everything" in content


@pytest.mark.parametrize("open_mark, close_mark", [("“", "”"), ("''", "''")])
def test_multi_sentence_quote_before_its_cue(nlp, open_mark, close_mark):
    """The whole quotation, back to where it opened, also in ASCII-only typesetting ('')."""
    text, atts = found(nlp, f"The bridge closed at dawn. {open_mark}The cables had rusted through. Engineers "
                            f"warned us for years. Nobody listened,{close_mark} Mayor Tom Reed said on Sunday.")
    source, cue, content = the_one(atts, "said")
    assert "Tom Reed" in source
    assert content.startswith(open_mark + "The cables had rusted") or content.startswith("The cables had rusted")
    assert "Nobody listened" in content and "bridge" not in content


def test_no_source(nlp):
    _, atts = found(nlp, "The factory stood idle all week. It was reported that the owners had moved "
                         "production abroad.")
    source, cue, content = the_one(atts, "reported")
    assert source is None or source == "It"
    assert "the owners had moved production abroad" in content


def test_nominal_cue(nlp):
    _, atts = found(nlp, "The budget debate ended without a vote. The governor's claim that the budget was "
                         "balanced drew sharp criticism from the opposition.")
    source, cue, content = the_one(atts, "claim")
    assert source is not None and "governor" in source
    assert "the budget was balanced" in content


def test_a_quote_signed_with_a_dash(nlp):
    _, atts = found(nlp, "Readers wrote in about the new bridge.\n"
                         "“The toll is far too high for the families who cross it every day.” ― Carla Ruiz\n"
                         "“It took ten years, but it was worth the wait.” ― Tom Baker.\n")
    assert ("Carla Ruiz", "―", "“The toll is far too high for the families who cross it every day.”") in atts
    assert ("Tom Baker", "―", "“It took ten years, but it was worth the wait.”") in atts


def test_a_speaker_label_before_a_colon(nlp):
    _, atts = found(nlp, "Mayor: The new bridge will open before the winter comes\n\n"
                         "The council met on Tuesday night.\n\n"
                         "HARRIS: Well, look, the budget was approved months ago and nobody objected.\n")
    assert ("Mayor", ":", "The new bridge will open before the winter comes") in atts
    assert ("HARRIS", ":", "Well, look, the budget was approved months ago and nobody objected.") in atts


def test_page_labels_and_tallies_are_not_speakers(nlp):
    _, atts = found(nlp, "Related: The bridge opened for traffic in the spring of last year\n\n"
                         "The vote count so far is as follows.\n\n"
                         "Clinton: 547.\n\nSTAT OF THE WEEK: Four new bridges were opened across the state\n")
    assert not [a for a in atts if a[1] == ":"], atts
