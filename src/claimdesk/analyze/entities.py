"""Every entity mention of an article: people, organisations, media, places, groups.

spaCy's recogniser proposes; the article's own context corrects:

- an outlet named as a source or medium is MEDIA, whatever label it had ("in an interview
  with Turan", "Radio Azadlig reported", "told Reuters": ``medium.named_outlets``), and so
  is every other mention of it;
- a name before "crossing", "checkpoint", "corridor" or "border" is a place ("at the
  Lachin border crossing post"), however the recogniser labelled it;
- one entity keeps one label across the article: the majority of its mentions, so "the
  Karabakh issue" is the place "in Karabakh" four times over, not a person;
- a ministry word inside a title is not an organisation ("Defense" of "Russian Defense
  Minister"), and a nationality is an entity as a noun ("Armenians"), not as an
  adjective ("Russian peacekeepers", which would flood the list).

People come from ``people.py`` (full names, surnames, titles and appositions as roles),
and so do pronouns: a "He" resolved to Elman Mammadov is a mention of Elman Mammadov,
exactly as the claims name him. Each entity has one canonical name per article: a
person's full name, the long form behind an acronym ("UN" beside "United Nations"), a
few well-known variants ("Russian Federation" -> "Russia"). Aliases are the distinct
mention texts that share a canonical name (``aliases``). Across articles, ``entity_key``
turns a canonical name and label into the key that makes one entity page of them.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from ..model import Claim, Entity, Span
from .medium import named_outlets
from .people import People, apposition_after, find_people, resolve_pronoun, role_of
from .tokens import indices

# What the recogniser proposes that is an entity of an article (dates, numbers and works are not).
KEPT_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"}
# Pronouns that are mentions of a person once resolved ("he" claimed, "his" party).
PRONOUN_MENTIONS = {"he", "she", "him", "her", "his", "hers", "himself", "herself"}
# "the Lachin border crossing", "the Rafah crossing", "the Lachin corridor", "the Upper Lars checkpoint".
_CROSSING_NOUNS = {"crossing", "checkpoint", "corridor", "border", "frontier", "crossing-point", "crosspoint"}
# "Defense" in "Russian Defense Minister": a portfolio, part of a title, not an organisation.
_PORTFOLIOS = {
    "defense", "defence", "foreign", "interior", "finance", "justice", "health", "education", "state", "energy",
    "agriculture", "trade", "economy", "transport", "culture", "labor", "labour", "home", "security", "emergency",
    "emergencies", "environment", "industry", "communications", "information", "treasury", "war", "navy",
}
_TITLE_HEADS = {
    "minister", "secretary", "spokesman", "spokeswoman", "spokesperson", "chief", "director", "head", "commander",
    "ambassador", "envoy", "chairman", "chairwoman", "chair", "official", "officer", "adviser", "advisor", "deputy",
    "ministry", "department", "committee", "undersecretary",
}
# Well-known variants of one name, so that articles join on it (keys as ``_fold`` gives them).
_KNOWN_NAMES = {
    "un": "United Nations", "united nations": "United Nations", "the united nations": "United Nations",
    "us": "United States", "usa": "United States", "united states": "United States",
    "united states of america": "United States",
    "uk": "United Kingdom", "united kingdom": "United Kingdom", "britain": "United Kingdom",
    "great britain": "United Kingdom",
    "eu": "European Union", "european union": "European Union",
    "russian federation": "Russia", "russia": "Russia",
    "ussr": "Soviet Union", "soviet union": "Soviet Union",
    "prc": "China", "people republic of china": "China",
    "dprk": "North Korea", "democratic people republic of korea": "North Korea",
    "republic of korea": "South Korea", "rok": "South Korea",
    "republic of azerbaijan": "Azerbaijan", "republic of armenia": "Armenia", "republic of turkey": "Turkey",
    "turkiye": "Turkey", "uae": "United Arab Emirates", "united arab emirates": "United Arab Emirates",
}
_HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "dame", "madam"}
_ACRONYM_STOPWORDS = {"of", "the", "and", "for", "on", "in", "de", "la", "du", "des", "&"}
# Letters without a Unicode decomposition, folded as English spellings do ("Məmmədov" is "Mammadov").
_FOLD_LETTERS = str.maketrans({"ə": "a", "Ə": "a", "ı": "i", "ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "ß": "ss",
                               "đ": "d", "Đ": "d", "ł": "l", "Ł": "l", "þ": "th", "œ": "oe", "Œ": "oe"})
_LABEL_CLASS = {"PERSON": "person", "ORG": "org", "MEDIA": "org", "GPE": "place", "LOC": "place", "FAC": "place",
                "NORP": "group"}


@dataclass
class _Mention:
    start: int
    end: int
    label: str
    name: str  # the words as written, without "the" and possessive
    canonical: str | None = None
    role: str | None = None
    sure: bool = False  # the label comes from context and outvotes the recogniser
    fixed: bool = False  # a person (or a pronoun) people.py named: canonical and role settled


def find_entities(doc: Doc, claims: Iterable[Claim] = (), people: People | None = None) -> list[Entity]:
    """Every entity mention of the article, in text order, with its canonical name and role.

    ``claims`` lend the media they were made in ("in an interview with Turan");
    ``people`` are the ones the claims were resolved with (``find_people``), so that a
    claim's speaker and the entity of its source agree; found here when not given.
    """
    media = [(c.medium.start, c.medium.end) for c in claims if c.medium is not None]
    outlets = named_outlets(doc, media)
    if people is None:
        people = find_people(doc, outlets)
    taken = bytearray(doc[-1].idx + len(doc[-1].text_with_ws) + 1 if len(doc) else 1)  # doc.text costs a join
    found: list[_Mention] = []

    def add(mention: _Mention) -> None:
        if mention.end > mention.start and taken.find(1, mention.start, mention.end) == -1:
            taken[mention.start : mention.end] = b"\x01" * (mention.end - mention.start)
            found.append(mention)

    for mention in _outlet_mentions(doc, outlets):
        add(mention)
    for mention in _crossing_places(doc):
        add(mention)
    ents = list(doc.ents)  # each doc.ents builds every Span anew
    for mention in _person_mentions(doc, people, ents):
        add(mention)
    others = [m for m in (_from_recogniser(ent) for ent in ents if ent.label_ in KEPT_LABELS) if m is not None]
    for mention in others:
        add(mention)
    _settle(found)
    for mention in _pronoun_mentions(doc, people):
        add(mention)
    found.sort(key=lambda m: (m.start, m.end))
    return [Entity(Span(m.start, m.end), m.label, m.canonical or m.name, m.role) for m in found]


def entity_key(canonical: str, label: str) -> str:
    """The key that joins one entity across articles: "person:elman mammadov", "org:united nations".

    Case, diacritics, punctuation and a leading "the" do not matter ("Məmmədov" and
    "Mammadov", "U.N." and "UN" fold alike); well-known variants meet ("Russian
    Federation" and "Russia"); ORG and MEDIA share a class (an outlet is an organisation
    in the next article), as do GPE, LOC and FAC (a place is a place).
    """
    folded = _fold(canonical)
    known = _KNOWN_NAMES.get(folded)
    if known is not None:
        folded = _fold(known)
    return f"{_LABEL_CLASS.get(label, label.lower())}:{folded}"


def aliases(entities: Iterable[Entity], text: str) -> dict[str, list[str]]:
    """Canonical name -> the distinct texts it is mentioned by, in order of first mention."""
    found: dict[str, list[str]] = {}
    for entity in entities:
        written = " ".join(entity.span.of(text).split())
        names = found.setdefault(entity.canonical, [])
        if written not in names:
            names.append(written)
    return found


def _fold(name: str) -> str:
    name = unicodedata.normalize("NFKD", name.translate(_FOLD_LETTERS))
    name = "".join(ch for ch in name if not unicodedata.combining(ch)).casefold()
    name = re.sub(r"['’]s\b", "", name)  # "New People's Party" and "New People Party"
    name = re.sub(r"[.'’`]", "", name)  # "U.N." -> "un"
    words = re.sub(r"[\W_]+", " ", name).split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def _outlet_mentions(doc: Doc, outlets: list[tuple[int, int]]) -> list[_Mention]:
    """The outlets, and every other mention of them: the same name, or the last word of a
    longer one ("Azadlig" after "Radio Azadlig")."""
    names: dict[str, str] = {}  # folded mention text -> the outlet's canonical name
    mentions = []
    for start, end in outlets:
        start, name = _without_article(doc, start, end)
        names.setdefault(_fold(name), name)
        span = doc.char_span(start, end, alignment_mode="expand")
        role = _descriptive(apposition_after(span.root)) if span is not None else None  # "Turan, an independent news agency,"
        mentions.append(_Mention(start, end, "MEDIA", name, role=role, sure=True))
    for name in list(names.values()):
        words = name.split()
        if len(words) > 1:
            names.setdefault(_fold(words[-1]), name)
    if not names:
        return mentions
    first_words = {folded.split()[0] for folded in names} | {name.split()[0].lower() for name in names.values()}
    for i in indices(doc, "LOWER", first_words):
        token = doc[i]
        if not token.text[:1].isupper():
            continue
        candidates = [doc[token.i : token.i + n] for n in (3, 2, 1) if token.i + n <= len(doc)]
        for span in candidates:
            if span[-1].is_punct or span[-1].is_space or any(t.is_space for t in span):
                continue  # "Twitter ." folds like "Twitter": a name ends on a word
            canonical = names.get(_fold(span.text))
            if canonical is not None and (span.start == 0 or doc[span.start - 1].pos_ != "PROPN"):
                mentions.append(_Mention(span.start_char, span.end_char, "MEDIA", span.text, canonical, sure=True))
                break
    return mentions


def _crossing_places(doc: Doc) -> list[_Mention]:
    """"at the Lachin border crossing post": the proper name before a crossing noun is a place."""
    found = []
    for i in indices(doc, "LOWER", _CROSSING_NOUNS):
        token = doc[i]
        if token.pos_ != "NOUN":
            continue
        names = [c for c in token.children if c.dep_ in ("compound", "nmod", "amod") and c.pos_ == "PROPN"]
        if token.dep_ == "compound" and token.head.lower_ in _CROSSING_NOUNS:
            continue  # "border" of "border crossing": the name hangs from either; take it at the head noun
        names += [c for n in token.children if n.dep_ == "compound" and n.lower_ in _CROSSING_NOUNS
                  for c in n.children if c.dep_ in ("compound", "nmod", "amod") and c.pos_ == "PROPN"]
        for name in names:
            span = _name_run(name)
            label = name.ent_type_ if name.ent_type_ in ("GPE", "LOC", "FAC") else "LOC"
            found.append(_Mention(span.start_char, span.end_char, label, span.text, sure=True))
    return found


def _name_run(token: Token) -> SpacySpan:
    """The proper-noun words around ``token`` that make one name ("Upper Lars", "Allenby Bridge")."""
    doc = token.doc
    start, end = token.i, token.i + 1
    while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].head.i in range(start - 1, end + 2):
        start -= 1
    while end < len(doc) and doc[end].pos_ == "PROPN" and doc[end].lower_ not in _CROSSING_NOUNS:
        end += 1
    return doc[start:end]


def _person_mentions(doc: Doc, people: People, ents: list[SpacySpan]) -> list[_Mention]:
    """Full names and surnames of the people the article introduces, with their roles.

    A surname inside a longer name of something else ("the Mammadov Foundation") is not the person.
    """
    found = []
    for person in people.persons:
        for start, end in person.mentions:
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is not None and len(span) == 1 and span[0].ent_type_ not in ("", "PERSON", "NORP"):
                ent = next((e for e in ents if e.start <= span.start < e.end), None)
                if ent is not None and len(ent) > 1:
                    continue
            found.append(_Mention(start, end, "PERSON", person.name, person.name, person.role, fixed=True))
    return found


def _from_recogniser(ent: SpacySpan) -> _Mention | None:
    """A recogniser entity as a mention, trimmed to the name, or None when context says it is none."""
    tokens = list(ent)
    while tokens and (tokens[0].lower_ == "the" or tokens[0].is_punct or tokens[0].is_space
                      or (ent.label_ == "PERSON" and tokens[0].lower_.rstrip(".") in _HONORIFICS and len(tokens) > 1)):
        tokens.pop(0)
    while tokens and (tokens[-1].lower_ in ("'s", "’s", "'") or tokens[-1].is_punct or tokens[-1].is_space):
        tokens.pop()
    for i, token in enumerate(tokens):
        if "\n" in token.text or (i and "\n" in token.doc[token.i - 1].whitespace_):
            tokens = tokens[:i]  # a name does not run across a line break
            break
    if not tokens or not any(t.is_upper or t.is_title or t.pos_ == "PROPN" for t in tokens):
        return None
    root, label = ent.root, ent.label_
    if label == "NORP" and (root.pos_ not in ("NOUN", "PROPN") or root.dep_ in ("amod", "compound", "nmod", "poss")):
        return None  # "Russian peacekeepers": an adjective, not a group named
    if label == "ORG" and len(tokens) == 1 and tokens[0].lower_ in _PORTFOLIOS and root.head.lower_ in _TITLE_HEADS:
        return None  # "Defense" of "Defense Minister"
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    name = " ".join(ent.doc[tokens[0].i : tokens[-1].i + 1].text.split())
    role = None
    if label == "PERSON":  # one word the article never gives in full ("President Trump")
        role = role_of(tokens[0], tokens[-1])
    elif label in ("ORG", "GPE", "LOC", "FAC"):
        role = _descriptive(apposition_after(tokens[-1])) if tokens[-1] == root else None
    return _Mention(start, end, label, name, role=role)


def _descriptive(role: str | None) -> str | None:
    """An apposition that says what something is ("an independent news agency"), not
    another name for it ("(CWA)")."""
    return role if role and any(word.islower() for word in role.split()) else None


def _settle(found: list[_Mention]) -> None:
    """One canonical name and one label per entity: acronyms and known variants meet their
    long form; the label is the one context gave, else the majority of the mentions.
    People (settled by ``people.py``) are left as they are."""
    free = [m for m in found if not m.fixed]
    long_forms: dict[str, str] = {}
    for m in free:
        if len(m.name.split()) > 1:
            canonical = _KNOWN_NAMES.get(_fold(m.name), m.name)
            for initials in _initials(m.name):
                long_forms.setdefault(initials, canonical)
    for m in free:
        folded = _fold(m.canonical or m.name)
        if m.canonical is not None:
            continue
        if folded in _KNOWN_NAMES:
            m.canonical = _KNOWN_NAMES[folded]
        elif _is_acronym(m.name):
            m.canonical = long_forms.get(folded.replace(" ", "").upper(), m.name)
        else:
            m.canonical = m.name
    _shorter_names(free)
    groups: dict[str, list[_Mention]] = {}
    for m in free:
        groups.setdefault(_fold(m.canonical), []).append(m)
    for group in groups.values():
        sure = [m for m in group if m.sure]
        if sure:
            label = "MEDIA" if any(m.label == "MEDIA" for m in sure) else sure[0].label
        else:  # the majority; on a tie, what the mention that is the canonical name is ("Russia" over "Russian Federation")
            votes = Counter(m.label for m in group)
            votes.update(m.label for m in group if m.name == m.canonical)
            label = votes.most_common(1)[0][0]
        role = next((m.role for m in group if m.role), None)
        canonical = (sure or group)[0].canonical
        for m in group:
            m.label, m.role, m.canonical = label, role, canonical


def _shorter_names(free: list[_Mention]) -> None:
    """"the Church" after "the Church of Scientology", "the Home Office" after "the United
    Kingdom Home Office": an organisation's shorter name keeps its head word ("Church",
    "Office") and points to the one longer name that holds it. ("Scientology" does not:
    it lacks the head; "Canada" in "Environment Canada" is a place, not a short name.)"""
    longer: dict[str, str] = {}  # folded long name -> canonical
    for m in free:
        if m.label in ("ORG", "MEDIA") and len(m.canonical.split()) > 1:
            longer.setdefault(_fold(m.canonical), m.canonical)
    if not longer:
        return
    for m in free:
        if m.label not in ("ORG", "MEDIA"):
            continue
        short = _fold(m.canonical)
        holders = {canonical for folded, canonical in longer.items()
                   if folded != short and f" {short} " in f" {folded} " and _head_word(folded) in short.split()}
        if len(holders) == 1:
            m.canonical = holders.pop()


def _head_word(folded: str) -> str:
    """"church of scientology" -> "church"; "united kingdom home office" -> "office"."""
    words = folded.split()
    return words[words.index("of") - 1] if "of" in words[1:] else words[-1]


def _is_acronym(name: str) -> bool:
    letters = name.replace(".", "").replace(" ", "")
    return letters.isalpha() and letters.isupper() and 2 <= len(letters) <= 7


def _initials(name: str) -> set[str]:
    """"United Nations" -> {"UN"}; "Institute of Political Management" -> {"IPM", "IOPM"}."""
    words = [w for w in re.split(r"[\s\-]+", name) if w]
    content = [w for w in words if w.lower() not in _ACRONYM_STOPWORDS]
    found = {"".join(w[0] for w in content).upper()}
    found.add("".join(w[0] for w in words if w != "&").upper())
    return {f for f in found if len(f) >= 2}


def _without_article(doc: Doc, start: int, end: int) -> tuple[int, str]:
    span = doc.char_span(start, end, alignment_mode="expand")
    name = span.text if span is not None else ""
    if name.lower().startswith("the "):
        start, name = start + 4, name[4:]
    return start, " ".join(name.split())


def _pronoun_mentions(doc: Doc, people: People) -> list[_Mention]:
    """"He", "his", "her" as mentions of the person they resolve to (as the claims resolve them)."""
    if not people.persons:
        return []
    found = []
    for i in indices(doc, "LOWER", PRONOUN_MENTIONS):
        token = doc[i]
        if token.pos_ == "PRON":
            person = resolve_pronoun(doc, token, people)
            if person is not None:
                found.append(_Mention(token.idx, token.idx + len(token.text), "PERSON", token.text,
                                      person.name, person.role, fixed=True))
    return found
