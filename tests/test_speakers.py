"""Issue 16, per article: a speaker is someone (typed), never a pronoun, a relative word
or a piece of text; the accused is a claim's target, never its speaker.

Short articles written for the purpose; attributions given by hand (source, cue,
content as a tagger would find them), so these check what claimdesk makes of them.
"""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from test_claims import Given, at, nlp  # noqa: F401  (nlp is a fixture the tests here take)
from test_store import make_article, prose
from test_store_claims import find

from claimdesk.analyze.claims import build_claims
from claimdesk.model import Claim, RawDocument, Span
from claimdesk.store import Store
from claimdesk.web import create_app


def claims_of(nlp, text: str, *given: tuple) -> dict[str, Claim]:
    """build_claims over hand-given (source, cue, content[, after]) attributions, keyed by
    their content's first words."""
    attributions = [Given(at(text, s, *rest) if s else None, at(text, c, *rest), at(text, ct, *rest))
                    for s, c, ct, *rest in given]
    claims, _ = build_claims(nlp(text), attributions)
    return {" ".join(text[c.content.start:c.content.end].split()[:3]): c for c in claims}


def written(text: str, span: Span | None) -> str | None:
    return text[span.start:span.end] if span else None


def test_i_and_we_in_a_quotation_are_the_quoted_speaker(nlp):
    text = ('"I think the report is false," Interior Minister Anna Smith said on Monday.\n\n'
            'Her deputy, Petr Valen, said: "We never saw the report."')
    claims = claims_of(nlp, text,
                       ("I", "think", "the report is false"),
                       ("Interior Minister Anna Smith", "said", "I think the report is false"),
                       ("Her deputy, Petr Valen", "said", "We never saw the report.", "Her deputy"),
                       ("We", "saw", "the report", "We never"))
    assert (claims["the report is"].speaker, claims["the report is"].speaker_type) == ("Anna Smith", "person")
    assert written(text, claims["the report is"].source) == "I"  # the source stays as written
    assert (claims["the report"].speaker, claims["the report"].speaker_type) == ("Petr Valen", "person")


def test_they_resolves_to_a_group_or_body_named_before(nlp):
    text = "Armenian officials met on Monday. They said the border was closed.\n\nThe ministry met too. It said the road was open."
    claims = claims_of(nlp, text, ("They", "said", "the border was closed"), ("It", "said", "the road was open", "It"))
    assert (claims["the border was"].speaker, claims["the border was"].speaker_type) == ("Armenian officials", "unnamed")
    assert (claims["the road was"].speaker, claims["the road was"].speaker_type) == ("The ministry", "organisation")


def test_who_and_which_resolve_to_the_noun_their_clause_hangs_from(nlp):
    text = ("The protesters, who said the election was stolen, marched on Monday. "
            "The agency, which said the vote was fair, declined to comment.")
    claims = claims_of(nlp, text, ("who", "said", "the election was stolen"),
                       ("which", "said", "the vote was fair", "which"))
    who, which = claims["the election was"], claims["the vote was"]
    assert (who.speaker, who.speaker_type) == ("The protesters", "group")
    assert (which.speaker, which.speaker_type) == ("The agency", "organisation")


def test_a_pronoun_without_antecedent_is_unresolved_and_keeps_its_source(nlp):
    text = "The weather was cold on Monday. They said the border was closed."
    claim = claims_of(nlp, text, ("They", "said", "the border was closed"))["the border was"]
    assert (claim.speaker, claim.speaker_type) == (None, "unresolved")
    assert written(text, claim.source) == "They"


def test_generic_you_it_and_non_agents_are_never_speakers(nlp):
    text = ("You know that the vote was fair. It is said that the count was rigged. "
            "The ad says that the senator voted against the bill. Video shows that the police fired first.")
    claims = claims_of(nlp, text, ("You", "know", "that the vote was fair"), ("It", "is said", "that the count was rigged"),
                       ("The ad", "says", "that the senator voted against the bill"),
                       ("Video", "shows", "that the police fired first"))
    assert len(claims) == 4
    for claim in claims.values():
        assert (claim.speaker, claim.speaker_type) == (None, "unresolved"), written(text, claim.source)


def test_fragments_are_never_speakers_and_junk_labels_make_no_claim(nlp):
    text = ("Lina Korsak was asked about the tender.\n\n"
            "Agradece muito ao Carlos: the team played well in the final.\n\n"
            "Officials said that they would speak to reporters later.")
    claims = claims_of(nlp, text, ("Agradece muito ao Carlos", ":", "the team played well in the final"),
                       ("that they would speak", "said", "reporters later"))
    assert "the team played" not in claims  # a label of words that name no one is page text, not a claim
    assert (claims["reporters later"].speaker, claims["reporters later"].speaker_type) == (None, "unresolved")


def test_the_accused_is_the_target_never_the_speaker(nlp):
    text = ("Russia has been accused of bombing hospitals.\n\n"
            "Iran has been accused of war crimes by the United Nations.\n\n"
            "The mayor faced criticism from residents over the closures.")
    claims = claims_of(nlp, text, ("Russia", "has been accused of", "bombing hospitals"),
                       ("Iran", "has been accused of", "war crimes", "Iran"),
                       ("The mayor", "faced criticism", "over the closures"))
    russia, iran, mayor = claims["bombing hospitals"], claims["war crimes"], claims["over the closures"]
    assert written(text, russia.target) == "Russia"
    assert (russia.source, russia.speaker, russia.speaker_type) == (None, None, "unresolved")
    assert written(text, iran.target) == "Iran"
    assert (iran.speaker, iran.speaker_type) == ("the United Nations", "organisation")
    assert written(text, mayor.target) == "The mayor"
    assert (mayor.speaker, mayor.speaker_type) == ("residents", "group")


def test_roles_come_from_the_grammar_normalised(nlp):
    from claimdesk.analyze.entities import find_entities

    text = ("Republican vice-presidential nominee Gov. Mike Pence (R-IN) said his running mate presidential nominee "
            "Donald Trump’s tweet to invite Gennifer Flowers was a joke.\n\n"
            "Russia and Syria: U.S.-backed Syrian Forces have accused Russia of bombing them.\n\n"
            "Azer Gasimli, head of the Institute of Political Management, spoke.")
    roles = {e.canonical: e.role for e in find_entities(nlp(text))}
    assert roles["Donald Trump"] == "presidential nominee"  # not "running mate presidential nominee"
    assert roles["Russia"] is None  # "and Syria: ..." is a coordination, not a role
    assert roles["Azer Gasimli"] == "head of the Institute of Political Management"


def test_normalise_role_strips_edges_and_repeats():
    from claimdesk.analyze.people import normalise_role

    assert normalise_role("and , spokesman spokesman of the party ,") == "spokesman of the party"
    assert normalise_role(", and") is None


def test_speaker_type_and_target_go_through_the_contract_and_the_store(tmp_path):
    from claimdesk.clean import clean
    from claimdesk.publish.contract import claim_json
    from claimdesk.store import Store

    text = "Russia has been accused of bombing hospitals, the agency said."
    article = clean(RawDocument(text=text, format="text"))
    claim = Claim(source=Span(*at(text, "the agency")), speaker="the agency", cue=Span(*at(text, "said")),
                  content=Span(*at(text, "Russia has been accused")), hedge="states",
                  speaker_type="organisation", target=Span(*at(text, "Russia")))
    found = claim_json(article, claim)
    assert found["speaker_type"] == "organisation"
    assert found["target"] == {"text": "Russia", "start": 0, "end": 6}
    assert claim_json(article, Claim(None, None, claim.cue, claim.content, "states"))["speaker_type"] is None
    with Store(f"sqlite:///{tmp_path / 'claims.db'}") as store:
        added = store.add(article, line_keys=set(), claims=[claim])
        (stored,) = store.get(added.id).claims
    assert (stored.speaker_type, stored.target) == ("organisation", claim.target)


def test_an_unresolved_source_is_shown_as_written_and_never_a_speaker_page(tmp_path):
    """A claim whose source the text does not resolve ("they" with no antecedent) keeps
    the words as written, marked unresolved, on the article and claim pages and in lists;
    a claim with no source at all says so."""
    article = make_article("Road closed", ["They claimed that the road was closed. " + prose(1, words=20),
                                            "It was said that the bridge would reopen. " + prose(2, words=20)],
                           url="https://news.example/road")
    with Store(str(tmp_path / "desk.db")) as opened:
        opened.add(article, line_keys=set(), claims=[
            Claim(source=find(article, "They"), speaker=None, speaker_type="unresolved", cue=find(article, "claimed"),
                  content=find(article, "that the road was closed"), hedge="claims"),
            Claim(source=None, speaker=None, cue=find(article, "said"),
                  content=find(article, "that the bridge would reopen"), hedge="states")])
        client = TestClient(create_app(opened, base_url="https://desk.example"))
        for url in (f"/articles/{article.raw.id}", f"/claims/{article.raw.id}/0"):
            page = client.get(url).text
            assert re.search(r'<span class="claim-source unresolved"[^>]*>“They” <small>unresolved</small></span>', page), url
            assert "/speakers/They" not in page and "/speakers/None" not in page
        assert "no stated source" in client.get(f"/articles/{article.raw.id}").text


def test_a_surname_the_tagger_reads_as_a_common_noun_is_still_the_person(nlp):
    """spaCy reads this "Trump" as a common noun ("trump", the card): a capitalised word
    inside a sentence that is the surname of the article's person is that person."""
    text = ("Donald Trump spoke in Ohio.\n\n"
            "“The unfairness of the tax laws is unbelievable,” Trump said at a campaign stop this week.")
    assert [t.pos_ for t in nlp(text) if t.text == "Trump"][-1] == "NOUN"  # the case this guards
    claims = claims_of(nlp, text, ("Trump", "said", "The unfairness of the tax laws is unbelievable", "Ohio"))
    claim = claims["The unfairness of"]
    assert (claim.speaker, claim.speaker_type) == ("Donald Trump", "person")


def test_an_accusation_whose_subject_the_parse_gives_as_punctuation_is_no_accusation(nlp):
    """ "the ex-wife ... blames X" parses with the hyphen as the subject: that names no one,
    and must not stop the article's analysis (it did: IndexError on a PolNeAR train text)."""
    from claimdesk.analyze.speakers import accusation

    text = ("For starters, the ex-wife of Tom Marsh who filed several complaints against him blames Ana Marsh "
            "for wrecking the marriage before the divorce.")
    doc = nlp(text)
    start = text.index("blames")
    found = accusation(doc, (start, start + len("blames")))
    assert found is None or found.target is not None
