"""The medium a claim was made in: "in an interview with Turan", "told Reuters",
"told Polygraph.info", "in a statement", "on Facebook", "in a post on X", "tweeted",
"at a press conference".

Read from the parse of the cue's sentence. An outlet found this way is a medium,
whatever label the entity recogniser gave it (it calls "Turan" a person).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from .tokens import indices

# "in a statement", "in a post on X": what the claim was written or spoken in.
VEHICLES = {
    "statement", "post", "tweet", "letter", "op-ed", "oped", "column", "blog", "release", "communique", "communiqué",
    "speech", "address", "broadcast", "video", "podcast", "message", "memo", "report", "filing", "testimony",
}
# "at a press conference": where it was said.
_VENUES = {"conference", "briefing", "rally", "hearing", "summit", "meeting", "session", "forum", "event"}
_PLATFORMS = {
    "facebook", "twitter", "x", "telegram", "instagram", "youtube", "tiktok", "linkedin", "weibo", "vk",
    "television", "radio", "tv", "truth", "threads", "bluesky", "mastodon", "substack",
}
_AUDIENCES = {"reporters", "journalists", "media", "press", "lawmakers", "parliament", "audience", "crowd", "supporters",
              "congress", "senate", "house", "court", "jury", "committee", "i", "me", "us", "him", "her", "them"}
# Verbs that name their platform: "tweeted" is a claim made on Twitter/X.
_PLATFORM_VERBS = {"tweet", "retweet"}
# "on her Telegram channel", "on his Facebook page": the platform's own pages.
_PLATFORM_PAGES = {"channel", "page", "account", "feed", "profile", "timeline", "handle"}
# Words a name told something may end with: "told TASS news agency", "told Channel 4 News".
_OUTLET_TAIL = {"news", "agency", "newspaper", "daily", "channel", "television", "tv", "radio", "website", "magazine"}


@dataclass(frozen=True)
class Medium:
    """A medium as found: its characters in the document (like a spaCy Span's)."""

    text: str
    start_char: int
    end_char: int


def find_medium(doc: Doc, cue_start: int) -> Medium | None:
    """The medium named in the sentence of the cue at ``cue_start``, or None."""
    sentence = doc.char_span(cue_start, cue_start + 1, alignment_mode="expand")
    if sentence is None or not len(sentence):
        return None
    sent = sentence[0].sent
    own = {sentence[0], sentence[0].head}  # the cue's verb: "told" itself, or "has" -> "told"
    for finder in (_interview_with, _told, _on_platform, _platform_verb, _in_vehicle, _at_venue):
        for token in sent:
            if finder in _OWN_VERB_FINDERS and token not in own:
                continue
            found = finder(token)
            if found is not None:
                return _without_full_stop(found)
    return None


# Media that a verb itself names: only the cue's own verb gives them to its claim ("The
# Pentagon rejected the accusations, and analysts told Polygraph.info ...": the Pentagon
# told Polygraph.info nothing).
_OWN_VERB_FINDERS: tuple = ()


def _without_full_stop(span: Span) -> Medium:
    """The medium without the sentence's full stop, which the tokenizer leaves on a
    one-letter name at the end of a sentence ("in a post on X.")."""
    text, end = span.text, span.end_char
    if text.endswith(".") and text[:-1].lower() in _PLATFORMS:
        text, end = text[:-1], end - 1
    return Medium(text, span.start_char, end)


def _name_span(token: Token) -> Span:
    """A proper name with its compound parts: "Radio Azadlig", "The New York Times"."""
    parts = [t for t in token.subtree if t.dep_ in ("compound", "flat", "amod") or t == token]
    start = min(t.i for t in parts)
    while start < token.i and token.doc[start].dep_ == "det":
        start += 1
    return token.doc[start : token.i + 1]


def _interview_with(token: Token) -> Span | None:
    """"(in) an interview with/to Turan", "speaking to the BBC"."""
    if token.lemma_.lower() not in ("interview", "speak", "talk") or token.lower_ == "talks":
        return None
    for prep in token.children:
        if prep.dep_ == "prep" and prep.lower_ in ("with", "to"):
            for obj in prep.children:
                if obj.dep_ == "pobj" and obj.pos_ == "PROPN":
                    return _name_span(obj)
    return None


def _told(token: Token) -> Span | None:
    """"told Reuters" (not "told reporters"); when the parse does not give the name as the
    verb's object (it reads "Polygraph.info" as a noun complement and "Ruptly" as an
    adverb), the capitalised name right after "told": "told Ruptly", "told the BBC",
    "told TASS news agency". A person the article names in full is told, not a medium."""
    if token.lemma_.lower() != "tell" or token.pos_ not in ("VERB", "AUX"):
        return None
    obj = next((c for c in token.children
                if c.dep_ in ("dobj", "dative", "iobj") and c.pos_ == "PROPN" and c.lower_ not in _AUDIENCES), None)
    name = _name_span(obj) if obj is not None else _capitalised_after(token)
    if name is None or not _could_be_outlet(name, _person_surnames(token.doc)):
        return None
    return name


def _capitalised_after(token: Token) -> Span | None:
    """The capitalised name that follows ``token`` (a leading "the" left out), with the
    outlet words that close it ("TASS news agency"); None when a lower-case word or a
    pronoun follows."""
    doc, end = token.doc, token.sent.end
    i = token.i + 1
    if i < end and doc[i].lower_ == "the":
        i += 1
    if i >= end or not doc[i].text[:1].isupper() or doc[i].lower_ in _AUDIENCES or doc[i].pos_ in ("PRON", "DET"):
        return None
    j = i
    while j < end and (doc[j].text[:1].isupper() or (doc[j].like_num and j > i)) and doc[j].pos_ != "PUNCT":
        j += 1
    while j < end and doc[j].lower_ in _OUTLET_TAIL:
        j += 1
    return doc[i:j]


def _on_platform(token: Token) -> Span | None:
    """"on Facebook", "on state television", "wrote on Telegram", "on her Telegram channel"."""
    doc = token.doc
    if token.head.lower_ != "on" and not (token.i > token.sent.start and doc[token.i - 1].lower_ == "on"):
        return None  # the parse may make "X." the verb's object: the word after "on" counts
    if token.lower_.rstrip(".") in _PLATFORMS:  # "X." at a sentence's end is one token
        return _name_span(token) if token.pos_ == "PROPN" else token.doc[token.i : token.i + 1]
    if token.lower_ in _PLATFORM_PAGES and any(c.lower_ in _PLATFORMS for c in token.children if c.dep_ == "compound"):
        return _noun_with_compounds(token)
    return None


def _platform_verb(token: Token) -> Span | None:
    """"tweeted": the verb names the platform (``lexicon.medium_platform`` says which)."""
    if token.lemma_.lower() in _PLATFORM_VERBS and token.pos_ == "VERB":
        return token.doc[token.i : token.i + 1]
    return None


def _in_vehicle(token: Token) -> Span | None:
    """"in a statement", "in a press release", "in a post on X" (the platform wins when named:
    the parse does not always make it the object of "on", so the word after "on" counts)."""
    if token.dep_ == "pobj" and token.head.lower_ == "in" and token.lemma_.lower() in VEHICLES:
        doc = token.doc
        after = token.i + 1
        if after + 1 < token.sent.end and doc[after].lower_ == "on":
            platform = doc[after + 1 : after + 2]
            if platform[0].lower_ == "her" or platform[0].lower_ in ("his", "its", "their", "the"):
                platform = doc[after + 2 : after + 3] if after + 2 < token.sent.end else platform
            if platform[0].lower_.rstrip(".") in _PLATFORMS:
                return platform
        return _noun_with_compounds(token)
    return None


def _at_venue(token: Token) -> Span | None:
    """"at a press conference", "at a news briefing"."""
    if token.dep_ == "pobj" and token.head.lower_ == "at" and token.lemma_.lower() in _VENUES:
        return _noun_with_compounds(token)
    return None


def _noun_with_compounds(token: Token) -> Span:
    start = token.i
    while start > token.sent.start and token.doc[start - 1].dep_ == "compound" and token.doc[start - 1].head == token:
        start -= 1
    return token.doc[start : token.i + 1]


# Words that make a name an outlet's: "Radio Azadlig", "The Moscow Times", "Turan news agency".
_OUTLET_WORDS = {
    "radio", "tv", "television", "news", "newspaper", "press", "times", "post", "agency", "journal", "gazette",
    "tribune", "herald", "daily", "weekly", "channel", "broadcasting", "broadcaster", "magazine", "wire", "media",
    "chronicle", "telegraph", "observer", "guardian", "courier", "bulletin", "monitor", "novosti", "izvestia",
}
# "the Turan news agency", "Kommersant newspaper", "Turan, an independent news agency".
_OUTLET_NOUNS = {"agency", "newspaper", "daily", "weekly", "channel", "broadcaster", "outlet", "website", "magazine",
                 "tabloid", "radio", "television", "network", "portal", "station", "paper"}
# Wire services and broadcasters that articles name bare ("Reuters reported").
_KNOWN_OUTLETS = {
    "reuters", "ap", "associated press", "the associated press", "afp", "agence france-presse", "agence france presse",
    "bbc", "cnn", "al jazeera", "tass", "itar-tass", "interfax", "ria novosti", "xinhua", "bloomberg", "npr", "dpa",
    "ansa", "efe", "kyodo", "yonhap", "anadolu", "sputnik", "rt", "euronews", "voa", "voice of america", "rfe/rl",
    "radio free europe", "radio liberty", "bbc news", "fox news", "msnbc", "cbs", "nbc", "abc news",
    "ruptly", "polygraph.info", "polygraph", "meduza", "kommersant", "vedomosti", "ria", "ukrinform", "unian",
}
_REPORT_VERBS = {"report", "broadcast", "publish", "quote", "cite", "air"}
_CONTEXT_LEMMAS = _REPORT_VERBS | {"interview", "speak", "talk", "tell"}


def named_outlets(doc: Doc, media: list[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Character spans of every news outlet the article names, by context, wherever it stands.

    ``media`` are the media already found for claims (``find_medium``): those that are
    names ("Turan", not "a statement") count. Context: "in an interview with Turan",
    "told Reuters", "Radio Azadlig reported", "according to the Turan news agency",
    "Turan, an independent news agency"; and the wire services everyone names bare.
    A name a person bears elsewhere in the article ("told Petrov" after "Ivan Petrov")
    is a person, not an outlet.
    """
    surnames = _person_surnames(doc)
    found: set[tuple[int, int]] = set()
    for start, end in media:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None and any(t.pos_ == "PROPN" for t in span):
            found.add((span.start_char, span.end_char))
    candidates = set(indices(doc, "POS", ["PROPN"]))
    candidates.update(indices(doc, "LEMMA", _CONTEXT_LEMMAS))
    candidates.update(indices(doc, "LOWER", ["according"]))
    for i in sorted(candidates):
        token = doc[i]
        name = _outlet_in_context(token, surnames)
        if name is not None:
            found.add((name.start_char, name.end_char))
    return sorted(found)


def _outlet_in_context(token: Token, surnames: set[str]) -> Span | None:
    if token.pos_ == "PROPN" and not (token.dep_ in ("compound", "flat") and token.head.pos_ == "PROPN"):
        name = _name_span(token)  # the head of a proper name: "Azadlig" of "Radio Azadlig"
        if _is_known_outlet(name) or _named_as_outlet(token):
            return name
    if token.lemma_.lower() in ("interview", "speak", "talk", "tell"):
        name = _interview_with(token) or _told(token)
        if name is not None and _could_be_outlet(name, surnames):
            return name
    if token.pos_ == "VERB" and token.lemma_.lower() in _REPORT_VERBS:
        subject = next((c for c in token.children if c.dep_ == "nsubj" and c.pos_ == "PROPN"), None)
        if subject is not None:
            name = _name_span(subject)
            if _has_outlet_word(name) or (len(name) == 1 and name.root.ent_type_ == "PERSON" and name.text.lower() not in surnames):
                return name  # a person who reports is introduced by full name; a bare name that reports is an outlet
    if token.lower_ == "according" and token.i + 2 < len(token.doc) and token.doc[token.i + 1].lower_ == "to":
        obj = next((c for c in token.doc[token.i + 1].children if c.dep_ == "pobj" and c.pos_ == "PROPN"), None)
        if obj is not None and _has_outlet_word(_name_span(obj)):
            return _name_span(obj)
    return None


def _named_as_outlet(token: Token) -> bool:
    """"the Turan news agency", "Kommersant newspaper", "Turan, an independent news agency", "the daily Kommersant"."""
    head = token.head
    if token.dep_ in ("compound", "nmod") and head.pos_ == "NOUN" and head.lower_ in _OUTLET_NOUNS:
        return True
    if token.dep_ == "appos" and head.pos_ == "NOUN" and head.lower_ in _OUTLET_NOUNS:
        return True
    return any(c.dep_ == "appos" and c.pos_ == "NOUN" and c.lower_ in _OUTLET_NOUNS for c in token.children)


def _is_known_outlet(name: Span) -> bool:
    """A wire service or broadcaster everyone names bare, or a web address ("Polygraph.info")."""
    text = name.text.lower()
    return text in _KNOWN_OUTLETS or _WEB_ADDRESS.fullmatch(text) is not None


_WEB_ADDRESS = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|info|news|ru|ua|az|am|ge|uk|eu|io|tv|fm)")


def _has_outlet_word(name: Span) -> bool:
    return _is_known_outlet(name) or (len(name) > 1 and any(t.lower_ in _OUTLET_WORDS for t in name))


def _could_be_outlet(name: Span, surnames: set[str]) -> bool:
    """An interviewer or a "told" object is an outlet unless the article names a person so."""
    if _has_outlet_word(name):
        return True
    if any(t.ent_type_ == "PERSON" for t in name) and sum(t.is_alpha for t in name) > 1:
        return False
    return name[-1].lower_ not in surnames


def _person_surnames(doc: Doc) -> set[str]:
    """Last words of the names the recogniser gives in full (two or more words)."""
    return {
        [t for t in ent if t.is_alpha][-1].lower_
        for ent in doc.ents
        if ent.label_ == "PERSON" and sum(t.is_alpha for t in ent) > 1
    }


_OWN_VERB_FINDERS = (_told, _platform_verb)
