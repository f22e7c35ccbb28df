"""People in one article: full names, the surnames and pronouns that point back to
them, and the roles the text gives them.

"Mammadov" and "He" resolve to "Elman Mammadov" introduced earlier; "Russian Defense
Minister Sergei Shoigu" gives the role "Russian Defense Minister"; "Azer Gasimli, head
of the Institute of Political Management," gives "head of the Institute of Political
Management". Entity labels are not trusted alone (the recogniser tags one "Mammadov"
as a nationality): a token equal to a known surname is that person, and so is the
first name of one person alone ("Daniel" after "Daniel Montalvo"); a name the recogniser
calls a place or an organisation is a person's when its last word is a person alone
elsewhere ("Romelu Lukaku" beside "Lukaku"). A pronoun only resolves to someone of its
gender where the text gives one ("Mr", "Ms", "spokeswoman", "Mammadov said he ...").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from .tokens import indices

PRONOUNS = {"he", "she", "him", "her"}
_TITLE_DEPS = {"compound", "amod", "nmod", "flat"}
_NOT_A_NAME = {"said", "says", "mr", "mrs", "ms", "dr"}
# What the text says of someone's gender: the pronoun itself, an honorific, a role noun.
PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "himself": "m",
                  "she": "f", "her": "f", "hers": "f", "herself": "f"}
_HONORIFIC_GENDER = {"mr": "m", "mr.": "m", "sir": "m", "mrs": "f", "mrs.": "f", "ms": "f", "ms.": "f",
                     "miss": "f", "madam": "f", "lady": "f", "dame": "f"}
_ROLE_GENDER = {
    **dict.fromkeys(("man", "husband", "father", "son", "brother", "boy", "spokesman", "chairman", "congressman",
                     "businessman", "king", "prince", "grandfather", "uncle", "nephew", "boyfriend", "widower"), "m"),
    **dict.fromkeys(("woman", "wife", "mother", "daughter", "sister", "girl", "spokeswoman", "chairwoman",
                     "congresswoman", "businesswoman", "queen", "princess", "grandmother", "aunt", "niece",
                     "girlfriend", "widow", "actress", "mrs", "ms"), "f"),
}
_NAME_LABELS = {"ORG", "GPE", "LOC", "FAC", "NORP"}


@dataclass
class Person:
    name: str  # canonical: the fullest form the article gives
    surname: str
    role: str | None = None
    mentions: list[tuple[int, int]] = field(default_factory=list)  # character spans, in order
    gender: str | None = None  # "m" or "f" where the text says so, else None (either pronoun may be theirs)
    first_name: str = ""


@dataclass
class People:
    persons: list[Person]

    def by_surname(self, word: str) -> Person | None:
        """The person a word names: their surname, else the first name of one person alone."""
        word = word.lower()
        found = next((p for p in self.persons if p.surname.lower() == word), None)
        if found is None:
            by_first = [p for p in self.persons if p.first_name.lower() == word]
            found = by_first[0] if len(by_first) == 1 else None
        return found

    def named_in(self, span: Span) -> Person | None:
        """The person a span names by full name or surname."""
        for token in span:
            if token.pos_ == "PROPN" or token.ent_type_ == "PERSON":
                person = self.by_surname(token.text)
                if person is not None:
                    return person
        return None

    def before(self, offset: int) -> list[tuple[int, int, Person]]:
        """Every mention ending before ``offset``, as (start, end, person), latest last."""
        found = [(start, end, p) for p in self.persons for start, end in p.mentions if end <= offset]
        return sorted(found, key=lambda mention: mention[0])


def find_people(doc: Doc, media: list[tuple[int, int]]) -> People:
    """Persons named in full (two or more words) and every later mention of their surname
    (or, when it names one of them alone, their first name)."""
    ents = list(doc.ents)
    alone = {e.text.lower() for e in ents if e.label_ == "PERSON" and len(e) == 1}
    persons: dict[str, Person] = {}
    full_names: dict[int, tuple[int, int]] = {}  # surname token index -> the full name's character span
    in_full_names: set[int] = set()
    for ent in ents:
        if _overlaps(ent, media) or not (ent.label_ == "PERSON" or _person_by_surname(ent, alone)):
            continue
        words = [t for t in ent if t.is_alpha and t.lower_ not in _NOT_A_NAME and t.lower_ != "'s"]
        if len(words) < 2:
            continue
        start, end = words[0].idx, words[-1].idx + len(words[-1].text)
        surname = _surname(words)
        name = " ".join(doc[words[0].i : words[-1].i + 1].text.split())  # "Wong Kwok-kin", "Jean-Pierre Raffarin"
        first = words[0] if surname is not words[0] else words[-1]
        person = persons.setdefault(surname.lower_, Person(name=name, surname=surname.text, first_name=first.text))
        person.role = person.role or role_of(words[0], words[-1])
        full_names[surname.i] = (start, end)
        in_full_names.update(range(words[0].i, words[-1].i + 1))
    first_names: dict[str, list[Person]] = {}
    for person in persons.values():
        first_names.setdefault(person.first_name.lower(), []).append(person)
    lookup = {word: found[0] for word, found in first_names.items() if len(found) == 1 and word not in persons}
    lookup.update(persons)
    for i in indices(doc, "LOWER", lookup):
        token = doc[i]
        if not token.text[:1].isupper() or _overlaps_token(token, media):  # "Station" may be a name, "station" not
            continue
        person = persons.get(token.lower_)
        if person is None and (i in in_full_names or token.ent_type_ != "PERSON"):
            continue  # a first name counts alone, as a person ("Daniel said"), not inside another name
        person = person or lookup[token.lower_]
        person.mentions.append(full_names.get(i, (token.idx, token.idx + len(token.text))))
    found = People(sorted(persons.values(), key=lambda p: p.mentions[0] if p.mentions else (0, 0)))
    _genders(doc, found)
    return found


def _person_by_surname(ent: Span, alone: set[str]) -> bool:
    """"Romelu Lukaku" labelled a place, beside "Lukaku" labelled a person: a person's name."""
    return (ent.label_ in _NAME_LABELS and 2 <= len(ent) <= 3 and all(t.pos_ == "PROPN" and t.is_title for t in ent)
            and ent[-1].lower_ in alone)


def _genders(doc: Doc, people: People) -> None:
    """What the text says of each person's gender: an honorific before a mention ("Ms
    Buchtmann"), a gendered role ("spokeswoman"), or a pronoun in the sentence where the
    person alone is named as its subject ("Mohamed said he ..."). Conflicting evidence: unknown."""
    votes: dict[int, set[str]] = {}
    starts: dict[int, list[tuple[int, Person]]] = {}  # sentence start -> (mention start, person)
    for person in people.persons:
        for word in (person.role or "").lower().replace(",", " ").split():
            if word in _ROLE_GENDER:
                votes.setdefault(id(person), set()).add(_ROLE_GENDER[word])
                break
        for start, end in person.mentions:
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None:
                continue
            if span.start > 0 and doc[span.start - 1].lower_ in _HONORIFIC_GENDER:
                votes.setdefault(id(person), set()).add(_HONORIFIC_GENDER[doc[span.start - 1].lower_])
            if span.root.dep_ in ("nsubj", "nsubjpass"):
                starts.setdefault(span.sent.start, []).append((start, person))
    for i in indices(doc, "LOWER", PRONOUN_GENDER):
        pronoun = doc[i]
        subjects = {id(p): p for start, p in starts.get(pronoun.sent.start, []) if start < pronoun.idx}
        if len(subjects) == 1 and pronoun.pos_ == "PRON":
            votes.setdefault(next(iter(subjects)), set()).add(PRONOUN_GENDER[pronoun.lower_])
    for person in people.persons:
        said = votes.get(id(person), set())
        person.gender = next(iter(said)) if len(said) == 1 else None


def _surname(words: list[Token]) -> Token:
    """The word a later mention uses alone: the last ("Elman Mammadov"), but the first when the
    given name is a hyphenated romanisation written family name first ("Wong Kwok-kin")."""
    last = words[-1]
    if last.is_lower and last.i > 0 and last.doc[last.i - 1].text == "-":
        return words[0]
    return last


def resolve_pronoun(doc: Doc, pronoun: Token, people: People) -> Person | None:
    """The person a "he"/"she" points back to: the subject of the nearest earlier
    sentence that has a person of that gender (or of unknown gender) as subject, else
    the latest such person mentioned."""
    gender = PRONOUN_GENDER.get(pronoun.lower_)
    earlier = [m for m in people.before(pronoun.idx) if m[2].gender in (None, gender)]
    if not earlier:
        return None
    sentence = pronoun.sent
    sentence_starts = [sentence.start_char]
    while len(sentence_starts) < 3 and sentence.start > 0:
        sentence = doc[sentence.start - 1].sent
        sentence_starts.append(sentence.start_char)
    for start in sentence_starts:
        for mention_start, mention_end, person in reversed(earlier):
            if mention_start < start:
                break  # mentions come latest first: the rest are in earlier sentences
            mention = doc.char_span(mention_start, mention_end, alignment_mode="expand")
            if mention is not None and mention.sent.start_char == start and mention.root.dep_ in ("nsubj", "nsubjpass"):
                return person
    return earlier[-1][2]


def role_of(first: Token, last: Token) -> str | None:
    """The role the text gives the name from ``first`` to ``last``: a title before it, else an apposition after it."""
    return _title_before(first, last) or apposition_after(last)


def _title_before(first: Token, head: Token) -> str | None:
    """"Russian Defense Minister Sergei Shoigu": the words before the name in its phrase."""
    doc = first.doc
    start = first.i
    while start > first.sent.start:
        token = doc[start - 1]
        if token.dep_ not in _TITLE_DEPS or token.ent_type_ == "PERSON" or not _inside(token, head):
            break
        start -= 1
    while start < first.i and doc[start].lower_ in _HONORIFIC_GENDER:
        start += 1  # "Mr" is no role
    start = _last_title_phrase(doc, start, first.i)
    words = doc[start : first.i]
    if not any(t.pos_ in ("NOUN", "PROPN") for t in words):
        return None
    return normalise_role(words.text)


def _last_title_phrase(doc: Doc, start: int, end: int) -> int:
    """Where the title of a name begins when the words before it hold two noun phrases
    ("his running mate presidential nominee Donald Trump"): after the last noun that
    attaches across another title word rather than to its neighbour, since a title's
    words modify the next word or the name itself."""
    for i in range(end - 1, start - 1, -1):
        token = doc[i]
        if token.pos_ in ("NOUN", "PROPN") and start <= token.head.i < end and token.head.i != i + 1:
            return i + 1
    return start


def apposition_after(head: Token) -> str | None:
    """"Elman Mammadov, a member of ..., expressed": the apposition's own phrase (also
    "Turan, an independent news agency," for an outlet). Only one set off by a comma, a
    dash or a bracket right after the name: "Russia and Syria: U.S.-backed forces" is a
    coordination the parser misread, not a role of Russia."""
    appos = next((child for child in head.children if child.dep_ == "appos" and child.i > head.i), None)
    if appos is None:
        return None
    doc = head.doc
    between = doc[head.i + 1 : appos.left_edge.i]
    if not len(between) or not all(t.text in (",", "-", "–", "—", "(") or t.is_space for t in between):
        return None
    words = [t for t in doc[appos.left_edge.i : max(appos.right_edge.i, head.right_edge.i) + 1] if not t.is_space]
    while words and (words[0].is_punct or words[0].dep_ == "det"):
        words.pop(0)
    while words and words[-1].is_punct:
        words.pop()
    return normalise_role(doc[words[0].i : words[-1].i + 1].text) if words else None


def normalise_role(role: str) -> str | None:
    """A role as a person writes it: no conjunction or punctuation at its edges, one
    space between words, and no words repeated in a row ("spokesman spokesman")."""
    words = role.split()
    while words and (words[0].lower() in _EDGE_WORDS or not any(ch.isalnum() for ch in words[0])):
        words.pop(0)
    while words and (words[-1].lower() in _EDGE_WORDS or not any(ch.isalnum() for ch in words[-1])):
        words.pop()
    kept: list[str] = []
    for word in words:
        if not kept or kept[-1].lower() != word.lower():
            kept.append(word)
    return " ".join(kept).strip(",;:") or None


_EDGE_WORDS = {"and", "or", "but", "nor", "of", "to", "the", "a", "an", "as", "with", "by"}


def _inside(token: Token, head: Token) -> bool:
    while token.head != token:
        if token.head == head:
            return True
        token = token.head
    return False


def _overlaps(span: Span, ranges: list[tuple[int, int]]) -> bool:
    return any(span.start_char < end and start < span.end_char for start, end in ranges)


def _overlaps_token(token: Token, ranges: list[tuple[int, int]]) -> bool:
    end = token.idx + len(token.text)
    return any(token.idx < r_end and r_start < end for r_start, r_end in ranges)
