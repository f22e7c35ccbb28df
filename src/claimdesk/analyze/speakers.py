"""Who a claim's source is: a typed speaker, never a pronoun or a piece of text.

A source is the mention as written; its speaker is whom it names, with a type:
``person``, ``organisation``, ``group``, ``medium``, ``unnamed`` ("an officer",
"officials", "a source close to the ministry"), or ``unresolved`` when the text does
not say who it is. One mechanism decides: the source is read as a noun phrase of the
parse. A pronoun or relative word is followed to what it points at (a quotation's "I"
to whoever the quotation is attributed to, "they" to a group or body named before it,
"who"/"which" to the noun its clause hangs from) and that phrase is typed in its turn;
what does not parse as a phrase naming someone (a verb, a clause piece, navigation
text) and what cannot speak (an ad, a video, a report: what claims are made *in*) is
no speaker at all, and the claim keeps its source but no speaker.

Whoever is accused or criticised is the claim's target (``accusation``), never its
speaker: "Russia has been accused of ..." is a claim about Russia by someone unstated.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from .attribution_features import OPEN_QUOTES, QUOTE_MARK, TOGGLING_QUOTES
from .lexicon import (  # the word lists, shared with corpus.identity
    BODY_NOUNS as _BODY_NOUNS,
    FIRST_PERSON as _FIRST_PERSON,
    NEUTER as _NEUTER,
    PERSONAL as _PERSONAL,
    PLURAL as _PLURAL,
    PRONOUN_WORDS,
    RELATIVE as _RELATIVE,
    UNNAMED_NOUNS as _UNNAMED_NOUNS,
)
from .medium import VEHICLES
from .people import People, resolve_pronoun

CharSpan = tuple[int, int]
SPEAKER_TYPES = ("person", "organisation", "group", "medium", "unnamed", "unresolved")

# Things claims are made in, which cannot speak: "the ad says", "a poll found", "the video shows".
_NOT_AGENTS = VEHICLES | {"ad", "advertisement", "commercial", "clip", "footage", "poll", "survey", "study",
                          "document", "photo", "picture", "image", "transcript", "book", "article", "story",
                          "data", "figure", "number", "analysis", "research", "estimate", "record", "website",
                          "page", "headline", "chart", "map", "law", "bill", "rule", "plan", "average"}
_NAME_TYPES = {"PERSON": "person", "ORG": "organisation", "GPE": "organisation", "NORP": "group",
               "FAC": "organisation", "LOC": "organisation"}
_NOT_FIRST = {"VERB", "AUX", "ADP", "SCONJ", "PART", "INTJ"}
_NOMINAL = {"NOUN", "PROPN", "PRON", "NUM", "ADJ", "DET"}  # ADJ, DET: "many of his supporters", "some"
_NAME_PARTICLES = {"de", "da", "do", "dos", "das", "van", "von", "der", "den", "bin", "ibn", "al", "el", "la", "le",
                   "di", "du", "del", "ter", "ten", "y", "e", "of", "the", "and", "for", "on", "in", "&"}
_HONORIFICS = {"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sir", "madam", "miss"}


@dataclass(frozen=True)
class Speaker:
    name: str | None  # None when unresolved
    type: str  # one of SPEAKER_TYPES


UNRESOLVED = Speaker(None, "unresolved")


@dataclass
class Context:
    """What resolving a source reads besides the doc: the article's people and outlets,
    and every attribution's (source, cue, content), for the speaker of a quotation."""

    doc: Doc
    people: People
    outlets: list[CharSpan]
    attributions: list[tuple[CharSpan | None, CharSpan, CharSpan]] = field(default_factory=list)
    # doc.text, read once: spaCy rebuilds it from every token on each access, so reading it
    # per claim made an article's speakers quadratic (40 s for a 100,000-character one)
    text: str = ""

    def __post_init__(self) -> None:
        self.text = self.text or self.doc.text


def identify(ctx: Context, source: CharSpan, depth: int = 0) -> Speaker:
    """The typed speaker a source names (``UNRESOLVED`` when the text does not say)."""
    span = ctx.doc.char_span(*source, alignment_mode="expand")
    words = _trimmed(span) if span is not None else []
    if not words:
        return UNRESOLVED
    if len(words) == 1 and words[0].lower_ in PRONOUN_WORDS:
        return _pronoun(ctx, words[0], depth)
    person = _person(ctx, words)
    if person is not None:  # "Azer Gasimli, head of ..., in an interview with ...": a tagger's long source
        return Speaker(person.name, "person")
    if is_fragment(words):
        return UNRESOLVED
    return _phrase(ctx, words)


def is_fragment(words: list[Token]) -> bool:
    """Text that is no noun phrase naming someone: it runs over a line break, opens with
    a verb, preposition or subordinator, is not one phrase of the parse, is headed by
    something other than a noun, or is a "name" of lowercase words (another language
    read as English: "agradece muito ao Carlos")."""
    if any("\n" in t.text or "\n" in t.whitespace_ for t in words[:-1]):
        return True
    if words[0].pos_ in _NOT_FIRST and words[0].dep_ not in ("amod", "compound", "nmod"):  # "elected officials"
        return True
    inside = {t.i for t in words}
    heads = [t for t in words if t.head.i not in inside or t.head == t]
    if len(heads) != 1 and not all(t.pos_ == "PROPN" or t.is_punct for t in words):  # a name the parser split
        return True
    if any(t.pos_ not in _NOMINAL for t in heads):
        return True
    names = [t for t in words if t.pos_ == "PROPN" and t.is_alpha and t.is_lower and t.lower_ not in _NAME_PARTICLES]
    return len(names) >= 2


def names_no_one(doc: Doc, source: CharSpan) -> bool:
    """The source is no phrase naming anyone (``is_fragment``), before any resolving."""
    span = doc.char_span(*source, alignment_mode="expand")
    words = _trimmed(span) if span is not None else []
    return not words or is_fragment(words)


def _trimmed(span: Span) -> list[Token]:
    """The words of a source without the conjunctions, punctuation and possessive ending
    a tagger leaves at its edges ("and the police", "Trump’s")."""
    words = [t for t in span if not t.is_space]
    while words and (words[0].is_punct or words[0].pos_ == "CCONJ"):
        words.pop(0)
    while words and (words[-1].is_punct or words[-1].tag_ == "POS"):
        words.pop()
    return words


def _phrase(ctx: Context, words: list[Token]) -> Speaker:
    """A noun phrase as a speaker: an outlet, a person of the article, a named entity,
    else a body, a group or an unnamed source by its head noun; nobody when its head is a
    thing that cannot speak."""
    start, end = words[0].idx, words[-1].idx + len(words[-1].text)
    person = _person(ctx, words)
    if person is not None:
        return Speaker(person.name, "person")
    text = ctx.text
    head = _head(words)
    outlet = next(((s, e) for s, e in ctx.outlets if s <= head.idx < e), None)
    if outlet is not None:
        return Speaker(_without_the(text[outlet[0] : outlet[1]]), "medium")
    named = _named_type(head)
    if named == "person":
        name = [t for t in words if t.ent_type_ == "PERSON" and t.lower_ not in _HONORIFICS] or [head]
        return Speaker(" ".join(text[name[0].idx : name[-1].idx + len(name[-1].text)].split()), "person")
    written = " ".join(text[start:end].split())
    if named is not None:
        return Speaker(written, named) if named != "unresolved" else UNRESOLVED
    lemma = head.lemma_.lower()
    if lemma in _NOT_AGENTS:
        return UNRESOLVED
    if head.pos_ in ("PRON", "NUM", "DET", "ADJ"):  # "some", "many of his supporters", "twelve percent"
        return Speaker(written, "group")
    if lemma in _BODY_NOUNS:
        return Speaker(written, "organisation")
    plural = head.tag_ in ("NNS", "NNPS") or "Plur" in head.morph.get("Number")
    return Speaker(written, "group" if plural and lemma not in _UNNAMED_NOUNS else "unnamed")


def _person(ctx: Context, words: list[Token]):
    """The article's person a phrase names by its head ("Mr. King, 82,", "Stumpf in an
    interview") or by the name in apposition to its head ("her deputy, Petr Valen,"); not a
    person merely named inside it ("Trump lawyer Marc Kasowitz", "McConnell aides")."""
    inside = {t.i for t in words}
    head = _head(words)
    head = next((c for c in head.children if c.dep_ == "appos" and c.i in inside and c.pos_ == "PROPN"), head)
    if head.pos_ != "PROPN" and head.ent_type_ != "PERSON" and not _capitalised_inside(head):
        return None
    return ctx.people.by_surname(head.text)


def _head(words: list[Token]) -> Token:
    """The word of a phrase the rest hangs from (its first such word, should the parse give two)."""
    inside = {t.i for t in words}
    return next(t for t in words if t.head.i not in inside or t.head == t)


def _capitalised_inside(token: Token) -> bool:
    """A capitalised word inside a sentence: a name the tagger read as a common noun
    ("Trump" as the card game's word), which is a person when the article names one so."""
    return token.is_title and token.i != token.sent.start


def _named_type(head: Token) -> str | None:
    """The type a proper name gives its phrase: the recogniser's label of its head (or of
    the name it is a compound of), "organisation" for an unlabelled proper noun."""
    label = head.ent_type_
    if not label and head.pos_ == "PROPN":  # "the Pentagon's" head of "Pentagon officials" is no name; a name's compound is
        label = next((c.ent_type_ for c in head.children if c.dep_ == "compound" and c.ent_type_), "")
    if label in _NAME_TYPES:
        return _NAME_TYPES[label]
    if label:  # a date, a number, a title of a work: names of no one
        return "unresolved"
    return "organisation" if head.pos_ == "PROPN" else None


def _without_the(name: str) -> str:
    name = " ".join(name.split())
    return name[4:] if name.lower().startswith("the ") else name


def _pronoun(ctx: Context, token: Token, depth: int) -> Speaker:
    """Whom a pronoun or relative word stands for, where the text says; else unresolved."""
    word = token.lower_
    if word in _PERSONAL:
        person = resolve_pronoun(ctx.doc, token, ctx.people)
        return Speaker(person.name, "person") if person is not None else UNRESOLVED
    if word in _FIRST_PERSON:
        return _quoted_speaker(ctx, token, depth)
    if word in _RELATIVE and token.head.dep_ == "relcl" and token.head.head.pos_ in _NOMINAL:
        return _relative_antecedent(ctx, token)
    if word in _PLURAL or word in _NEUTER:
        return _antecedent(ctx, token, plural=word in _PLURAL)
    return UNRESOLVED  # "you", "this", "that": generic, or pointing at no one


def _quoted_speaker(ctx: Context, token: Token, depth: int) -> Speaker:
    """"I" and "we" inside a quotation are whoever the quotation is attributed to: the
    source of the attribution whose content holds the pronoun, else of the nearest
    attribution in the paragraph whose cue stands outside the quotation."""
    if depth > 2:
        return UNRESOLVED
    at = token.idx
    holding = [(content[1] - content[0], source) for source, _, content in ctx.attributions
               if source is not None and content[0] <= at < content[1] and not source[0] <= at < source[1]]
    quote = _quotation_around(ctx.text, at)
    if not holding and quote is not None:
        paragraph = _paragraph(ctx.text, at)
        holding = [(min(abs(cue[0] - quote[0]), abs(cue[0] - quote[1])), source)
                   for source, cue, _ in ctx.attributions
                   if source is not None and paragraph[0] <= cue[0] < paragraph[1] and not quote[0] <= cue[0] < quote[1]]
    for _, source in sorted(holding):
        found = identify(ctx, source, depth + 1)
        if found.type != "unresolved":
            return found
    return UNRESOLVED


def _relative_antecedent(ctx: Context, token: Token) -> Speaker:
    """"officials who said", "the agency, which said": the noun phrase the clause hangs
    from, up to the relative word."""
    noun = token.head.head
    words = [t for t in noun.subtree if t.i < token.i and not t.is_space]
    words = _trimmed(ctx.doc[words[0].i : words[-1].i + 1]) if words else []
    if not words or is_fragment(words):
        return UNRESOLVED
    return _phrase(ctx, words)


def _antecedent(ctx: Context, token: Token, plural: bool) -> Speaker:
    """"they" is the group or body named last before it ("Armenian officials ... they
    said"), a subject preferred, within its sentence and the two before; "it" a body."""
    doc = token.doc
    start = token.sent.start
    for _ in range(2):
        if start > 0:
            start = doc[start - 1].sent.start
    chunks = [c for c in doc[start : token.i].noun_chunks if c.root.lower_ not in PRONOUN_WORDS]
    chunks.sort(key=lambda c: (c.root.dep_ in ("nsubj", "nsubjpass"), c.start))  # subjects first, latest first
    for chunk in reversed(chunks):
        words = _trimmed(chunk)
        if not words or is_fragment(words):
            continue
        found = _phrase(ctx, words)
        head_plural = chunk.root.tag_ in ("NNS", "NNPS")
        if plural and (found.type in ("organisation", "medium") or (found.type in ("group", "unnamed") and head_plural)):
            return found
        if not plural and found.type in ("organisation", "medium") and not head_plural:
            return found
    return UNRESOLVED


def _quotation_around(text: str, at: int) -> CharSpan | None:
    """The quotation (from its opening mark to its closing mark or the paragraph's end) that ``at`` stands in."""
    start, end = _paragraph(text, at)
    opened = None
    for found in QUOTE_MARK.finditer(text, start, end):
        mark, i = found.group(), found.start()
        if opened is None and (mark in OPEN_QUOTES or mark in TOGGLING_QUOTES):
            opened = i
        elif opened is not None and mark not in OPEN_QUOTES:
            if opened <= at < i:
                return opened, found.end()
            opened = None
    return (opened, end) if opened is not None and opened <= at else None


def _paragraph(text: str, at: int) -> CharSpan:
    end = text.find("\n", at)
    return text.rfind("\n", 0, at) + 1, len(text) if end == -1 else end


# -- accusations: the accused is the target ------------------------------------------------

_ACCUSING = {"accuse", "criticize", "criticise", "blame", "condemn", "fault", "denounce", "slam", "rebuke",
             "castigate", "censure", "lambaste", "lambast", "chastise", "charge", "attack", "indict", "sue"}
_CRITICISM = {"criticism", "accusation", "allegation", "charge", "condemnation", "attack", "complaint", "rebuke",
              "backlash", "censure", "scrutiny", "fire", "blame", "lawsuit", "claim"}
_BEARING = {"face", "draw", "receive", "come", "attract", "meet", "suffer", "weather"}


@dataclass(frozen=True)
class Accusation:
    target: CharSpan  # who is accused or criticised
    accuser: CharSpan | None  # who accuses, where the sentence says


def accusation(doc: Doc, cue: CharSpan) -> Accusation | None:
    """The accused and the accuser of a cue that accuses or criticises: "X has been
    accused of ... (by Y)", "Y accused X of ...", "X faced criticism from Y"."""
    span = doc.char_span(*cue, alignment_mode="expand")
    if span is None:
        return None
    sentence = span[0].sent
    verbs = [t for t in span if t.pos_ in ("VERB", "AUX")] + [span.root]
    for verb in verbs:
        found = _accused(verb) or _criticised(verb) or _criticised_from(sentence, verb)
        if found is not None:
            return found
    return None


def _accused(verb: Token) -> Accusation | None:
    if verb.lemma_.lower() not in _ACCUSING:
        return None
    passive = _child(verb, "nsubjpass")
    if passive is not None:
        agents = [t for t in verb.subtree if t.lower_ == "by" and t.dep_ in ("agent", "prep")]  # "of war crimes by the UN"
        by = next((o for agent in agents for o in agent.children if o.dep_ == "pobj"), None)
        return _accusation(_phrase_span(passive), _phrase_span(by) if by is not None else None)
    accused = _child(verb, "dobj")
    subject = _child(verb, "nsubj")
    if accused is None:
        return None
    return _accusation(_phrase_span(accused), _phrase_span(subject) if subject is not None else None)


def _accusation(target: CharSpan | None, by: CharSpan | None) -> Accusation | None:
    """An accusation needs someone accused; a phrase the parse cannot give is none."""
    return Accusation(target, by) if target is not None else None


def _criticised(verb: Token) -> Accusation | None:
    """"X faced criticism from Y", "X came under fire from Y"."""
    if verb.lemma_.lower() not in _BEARING:
        return None
    subject = _child(verb, "nsubj")
    nouns = [c for c in verb.children if c.dep_ in ("dobj", "attr")]
    nouns += [o for p in verb.children if p.dep_ == "prep" for o in p.children if o.dep_ == "pobj"]
    noun = next((n for n in nouns if n.lemma_.lower() in _CRITICISM), None)
    if subject is None or noun is None:
        return None
    source = next((o for holder in (noun, verb) for p in holder.children if p.dep_ == "prep" and p.lower_ == "from"
                   for o in p.children if o.dep_ == "pobj"), None)
    return _accusation(_phrase_span(subject), _phrase_span(source) if source is not None else None)


def _criticised_from(sentence: Span, verb: Token) -> Accusation | None:
    """A cue inside "criticism from Y" whose bearer stands outside it."""
    head = verb.head
    return _criticised(head) if head != verb and head.lemma_.lower() in _BEARING else None


def _child(token: Token, dep: str) -> Token | None:
    return next((c for c in token.children if c.dep_ == dep), None)


def _phrase_span(token: Token) -> CharSpan | None:
    """The noun phrase of ``token`` without what follows it after a comma or a clause."""
    words = [t for t in token.subtree if t.i <= token.i or t.dep_ in ("compound", "flat", "cc", "conj")
             and t.head.i <= token.i + 1]
    words = [t for t in words if not t.is_space]
    while words and (words[-1].is_punct or words[-1].tag_ == "POS"):
        words.pop()
    if not words:  # the parse gave a quote mark or a space as the noun: no phrase
        return None
    return words[0].idx, words[-1].idx + len(words[-1].text)
