"""The medium a claim was made in: "in an interview with Turan", "told Reuters",
"in a statement", "on Facebook", "at a press conference".

Read from the parse of the cue's sentence. An outlet found this way is a medium,
whatever label the entity recogniser gave it (it calls "Turan" a person).
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

# "in a statement", "in a post on X": what the claim was written or spoken in.
_VEHICLES = {
    "statement", "post", "tweet", "letter", "op-ed", "oped", "column", "blog", "release", "communique", "communiqué",
    "speech", "address", "broadcast", "video", "podcast", "message", "memo", "report", "filing", "testimony",
}
# "at a press conference": where it was said.
_VENUES = {"conference", "briefing", "rally", "hearing", "summit", "meeting", "session", "forum", "event"}
_PLATFORMS = {
    "facebook", "twitter", "x", "telegram", "instagram", "youtube", "tiktok", "linkedin", "weibo", "vk",
    "television", "radio", "tv", "truth", "threads", "bluesky", "mastodon", "substack",
}
_AUDIENCES = {"reporters", "journalists", "media", "press", "lawmakers", "parliament", "audience", "crowd", "supporters"}


def find_medium(doc: Doc, cue_start: int) -> Span | None:
    """The medium named in the sentence of the cue at ``cue_start``, or None."""
    sentence = doc.char_span(cue_start, cue_start + 1, alignment_mode="expand")
    if sentence is None or not len(sentence):
        return None
    sent = sentence[0].sent
    for finder in (_interview_with, _told, _on_platform, _in_vehicle, _at_venue):
        for token in sent:
            found = finder(token)
            if found is not None:
                return found
    return None


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
    """"told Reuters" (not "told reporters")."""
    if token.lemma_.lower() != "tell":
        return None
    for obj in token.children:
        if obj.dep_ in ("dobj", "dative", "iobj") and obj.pos_ == "PROPN" and obj.lower_ not in _AUDIENCES:
            return _name_span(obj)
    return None


def _on_platform(token: Token) -> Span | None:
    """"on Facebook", "on state television"."""
    if token.dep_ == "pobj" and token.head.lower_ == "on" and token.lower_ in _PLATFORMS:
        return _name_span(token) if token.pos_ == "PROPN" else token.doc[token.i : token.i + 1]
    return None


def _in_vehicle(token: Token) -> Span | None:
    """"in a statement", "in a press release", "in a post on X" (the platform wins when named)."""
    if token.dep_ == "pobj" and token.head.lower_ == "in" and token.lemma_.lower() in _VEHICLES:
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
