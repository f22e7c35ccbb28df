"""Entities of an article, on short articles written for the purpose: who and what is
named, under which one name, with which role, and the key that joins them across articles.

The recogniser's own labels vary with the model; these tests check what claimdesk makes
of them (an outlet named as a medium is MEDIA whatever the recogniser said).
"""

from __future__ import annotations

import pytest

from claimdesk.analyze.entities import aliases, entity_key, find_entities
from claimdesk.analyze.nlp import load_nlp
from claimdesk.analyze.parse import with_paragraphs


@pytest.fixture(scope="module")
def nlp():
    return with_paragraphs(load_nlp())


def mentions(nlp, text: str) -> list[tuple[str, str, str, str | None]]:
    """(text as written, label, canonical, role) in text order."""
    found = find_entities(nlp(text))
    assert [e.span.start for e in found] == sorted(e.span.start for e in found)
    return [(e.span.of(text), e.label, e.canonical, e.role) for e in found]


def labels_of(found, written: str) -> set[str]:
    return {label for text, label, _, _ in found if text == written}


HARBOUR = (
    "Harbour contract under fire\n\n"
    "Lina Korsak, a member of the parliamentary audit committee, expressed anger in an interview with Kavar, "
    "emphasizing that the tender had been written for one bidder. Korsak alleged that two offers were disqualified. "
    "She said the chairman had met the winning bidder twice.\n\n"
    "Kavar, an independent news agency, first reported the meetings in May.\n\n"
    "Port Authority spokesman Petr Valen said the tender followed European rules. "
    "He told Reuters that an auditor had reviewed it."
)


def test_an_outlet_named_as_a_medium_is_media_everywhere_it_is_named(nlp):
    found = mentions(nlp, HARBOUR)
    assert [t for t, label, _, _ in found if label == "MEDIA"] == ["Kavar", "Kavar", "Reuters"]
    kavar = [role for t, _, _, role in found if t == "Kavar"]
    assert kavar == ["independent news agency", "independent news agency"]


@pytest.mark.parametrize("text, outlet", [
    ("Radio Meridian reported on Tuesday that the dam had been reopened.", "Radio Meridian"),
    ("The minister told Reuters that the dam was safe.", "Reuters"),
    ("Korsak repeated the claim in an interview with Kavar on Friday.", "Kavar"),
    ("According to the Kavar news agency, the dam was closed.", "Kavar"),
])
def test_the_contexts_that_make_a_name_an_outlet(nlp, text, outlet):
    assert labels_of(mentions(nlp, text), outlet) == {"MEDIA"}


def test_a_person_told_something_is_not_an_outlet(nlp):
    text = "Ivan Petrov met the engineers. Valen Ostrov told Petrov that the water was safe."
    found = mentions(nlp, text)
    assert labels_of(found, "Petrov") == {"PERSON"}
    assert not any(label == "MEDIA" for _, label, _, _ in found)


@pytest.mark.parametrize("text, place", [
    ("Passports were found on travellers at the Lachin border crossing post.", "Lachin"),
    ("Trucks were turned back at the Verkhny border crossing on Monday.", "Verkhny"),
    ("Aid convoys waited for days at the Tavush checkpoint.", "Tavush"),
])
def test_a_name_before_a_crossing_is_a_place(nlp, text, place):
    assert labels_of(mentions(nlp, text), place) <= {"GPE", "LOC", "FAC"}
    assert labels_of(mentions(nlp, text), place)


def test_surnames_and_resolved_pronouns_take_the_full_name_and_role(nlp):
    found = mentions(nlp, HARBOUR)
    people = {(t, canonical, role) for t, label, canonical, role in found if label == "PERSON"}
    korsak_role = "member of the parliamentary audit committee"
    assert {("Lina Korsak", "Lina Korsak", korsak_role), ("Korsak", "Lina Korsak", korsak_role),
            ("She", "Lina Korsak", korsak_role)} <= people
    assert ("He", "Petr Valen", "Port Authority spokesman") in people


def test_a_pronoun_does_not_resolve_to_someone_of_the_other_gender(nlp):
    text = ("Mr Tomas Berg said he would appeal.\n\n"
            "Anna Lind was not consulted. He called the ruling unfair, and Ms Lind agreed.")
    found = mentions(nlp, text)
    assert ("He", "PERSON", "Tomas Berg", None) in found  # not Anna Lind, the nearer subject
    assert ("Lind", "PERSON", "Anna Lind", None) in found


def test_acronyms_and_known_variants_share_one_canonical_name(nlp):
    text = ("The United Nations sent observers to the region. A UN spokesman said the Caspian Water Authority (CWA) "
            "had closed two dams. CWA engineers disputed this.\n\n"
            "The Russian Federation denied any role. Russia has troops nearby.")
    found = mentions(nlp, text)
    canonical = {t: c for t, _, c, _ in found}
    assert canonical["UN"] == canonical["United Nations"] == "United Nations"
    assert canonical["CWA"] == canonical["Caspian Water Authority"] == "Caspian Water Authority"
    assert canonical["Russian Federation"] == canonical["Russia"] == "Russia"
    assert len({label for t, label, _, _ in found if t in ("Russian Federation", "Russia")}) == 1
    named = aliases(find_entities(nlp(text)), text)
    assert named["United Nations"] == ["United Nations", "UN"]


def test_a_shorter_name_of_an_organisation_is_the_same_organisation(nlp):
    text = ("The Church of Scientology denied the report. A lawyer for the Church said the claims were old.")
    canonical = {t: c for t, _, c, _ in mentions(nlp, text)}
    assert canonical.get("Church") == "Church of Scientology"


def test_titles_give_roles_and_are_not_organisations(nlp):
    text = "Russian Defense Minister Oleg Marchuk said Russian peacekeepers would stay. Armenians fled the town."
    found = mentions(nlp, text)
    assert ("Oleg Marchuk", "PERSON", "Oleg Marchuk", "Russian Defense Minister") in found
    assert not any(t in ("Defense", "Russian") for t, _, _, _ in found)  # a portfolio, an adjective
    assert labels_of(found, "Armenians") == {"NORP"}  # a group named as a noun is kept


def test_entity_key_joins_the_same_entity_across_two_articles(nlp):
    first = ("Elman Mammadov spoke in an interview with Turan. He said the UN had been told.\n\n"
             "Mammadov also met Russian officials.")
    second = "Turan quoted Elman Məmmədov, who said the United Nations knew. Məmmədov spoke in Baku."
    keys = []
    for text in (first, second):
        keys.append({(e.span.of(text), entity_key(e.canonical, e.label)) for e in find_entities(nlp(text))})
    person = {key for written, key in keys[0] if written in ("Mammadov", "He")}
    assert person == {key for written, key in keys[1] if written == "Məmmədov"} == {"person:elman mammadov"}
    assert {key for written, key in keys[0] if written == "UN"} == {key for written, key in keys[1]
                                                                     if written == "United Nations"}
    assert {key for written, key in keys[0] if written == "Turan"} == {key for written, key in keys[1]
                                                                        if written == "Turan"}


@pytest.mark.parametrize("a, b", [
    (("U.N.", "ORG"), ("UN", "ORG")),
    (("the Kremlin", "ORG"), ("Kremlin", "ORG")),
    (("Reuters", "MEDIA"), ("Reuters", "ORG")),  # an outlet is an organisation in the next article
    (("Lachin", "LOC"), ("Lachin", "GPE")),
    (("Russian Federation", "GPE"), ("Russia", "GPE")),
    (("José  Martí", "PERSON"), ("Jose Marti", "PERSON")),
])
def test_entity_key_folds_what_does_not_tell_entities_apart(a, b):
    assert entity_key(*a) == entity_key(*b)


@pytest.mark.parametrize("a, b", [
    (("Georgia", "GPE"), ("Georgia", "PERSON")),
    (("Elman Mammadov", "PERSON"), ("Elnur Mammadov", "PERSON")),
])
def test_entity_key_keeps_different_entities_apart(a, b):
    assert entity_key(*a) != entity_key(*b)


def test_the_sample_names_its_people_media_and_places(sample_text):
    from claimdesk.analyze import analyze_articles
    from claimdesk.clean import clean
    from claimdesk.model import RawDocument

    (analysis,) = analyze_articles([clean(RawDocument(text=sample_text, format="text"))])
    found = [(e.span.of(sample_text), e.label, e.canonical, e.role) for e in analysis.entities]
    roles = {canonical: role for _, label, canonical, role in found if label == "PERSON"}
    assert roles["Sergei Shoigu"] == "Russian Defense Minister"
    assert roles["Elman Mammadov"].startswith("member of the Milli Majlis Committee on defense")
    assert roles["Azer Gasimli"] == "head of the Institute of Political Management"
    by_label: dict[str, set[str]] = {}
    for _, label, canonical, _ in found:
        by_label.setdefault(label, set()).add(canonical)
    assert by_label["MEDIA"] == {"Turan", "Radio Azadlig"}
    assert {"Karabakh", "Azerbaijan", "Armenia", "Russia"} <= by_label["GPE"]
    assert "Lachin" in by_label["GPE"] | by_label.get("LOC", set()) | by_label.get("FAC", set())
    assert "United Nations" in by_label["ORG"]
    assert not {"Turan", "Radio Azadlig", "Lachin", "Karabakh"} & by_label["PERSON"]
    he = {canonical for written, _, canonical, _ in found if written == "He"}
    assert he == {"Elman Mammadov", "Azer Gasimli"}
    for written, label, canonical, _ in found:  # one label per entity
        assert all(other_label == label for _, other_label, c, _ in found if c == canonical), canonical
    for entity in analysis.entities:  # spans point at the kept text, not the removed chrome
        assert not any(r.start <= entity.span.start < r.end for r in analysis.article.removed)
