"""People in one article: full names, the surnames and pronouns that point back to
them, and the roles the text gives them.

"Mammadov" and "He" resolve to "Elman Mammadov" introduced earlier; "Russian Defense
Minister Sergei Shoigu" gives the role "Russian Defense Minister"; "Azer Gasimli, head
of the Institute of Political Management," gives "head of the Institute of Political
Management". Entity labels are not trusted alone (the recogniser tags one "Mammadov"
as a nationality): a token equal to a known surname is that person.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from .tokens import indices

PRONOUNS = {"he", "she", "him", "her"}
_TITLE_DEPS = {"compound", "amod", "nmod", "flat"}
_NOT_A_NAME = {"said", "says", "mr", "mrs", "ms", "dr"}


@dataclass
class Person:
    name: str  # canonical: the fullest form the article gives
    surname: str
    role: str | None = None
    mentions: list[tuple[int, int]] = field(default_factory=list)  # character spans, in order


@dataclass
class People:
    persons: list[Person]

    def by_surname(self, word: str) -> Person | None:
        word = word.lower()
        return next((p for p in self.persons if p.surname.lower() == word), None)

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
    """Persons named in full (two or more words) and every later mention of their surname."""
    persons: dict[str, Person] = {}
    full_names: dict[int, tuple[int, int]] = {}  # surname token index -> the full name's character span
    for ent in doc.ents:
        if ent.label_ != "PERSON" or _overlaps(ent, media):
            continue
        words = [t for t in ent if t.is_alpha and t.lower_ not in _NOT_A_NAME and t.lower_ != "'s"]
        if len(words) < 2:
            continue
        start, end = words[0].idx, words[-1].idx + len(words[-1].text)
        surname = _surname(words)
        name = " ".join(doc[words[0].i : words[-1].i + 1].text.split())  # "Wong Kwok-kin", "Jean-Pierre Raffarin"
        person = persons.setdefault(surname.lower_, Person(name=name, surname=surname.text))
        person.role = person.role or role_of(words[0], words[-1])
        full_names[surname.i] = (start, end)
    for i in indices(doc, "LOWER", persons):
        token = doc[i]
        if token.text[:1].isupper() and not _overlaps_token(token, media):  # "Station" may be a name, "station" not
            person = persons[token.lower_]
            person.mentions.append(full_names.get(i, (token.idx, token.idx + len(token.text))))
    return People(sorted(persons.values(), key=lambda p: p.mentions[0] if p.mentions else (0, 0)))


def _surname(words: list[Token]) -> Token:
    """The word a later mention uses alone: the last ("Elman Mammadov"), but the first when the
    given name is a hyphenated romanisation written family name first ("Wong Kwok-kin")."""
    last = words[-1]
    if last.is_lower and last.i > 0 and last.doc[last.i - 1].text == "-":
        return words[0]
    return last


def resolve_pronoun(doc: Doc, pronoun: Token, people: People) -> Person | None:
    """The person a "he"/"she" points back to: the subject of the nearest earlier
    sentence that has a person as subject, else the latest person mentioned."""
    earlier = people.before(pronoun.idx)
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
    words = doc[start : first.i]
    if not any(t.pos_ in ("NOUN", "PROPN") for t in words):
        return None
    return words.text


def apposition_after(head: Token) -> str | None:
    """"Elman Mammadov, a member of ..., expressed": the name's phrase up to where the clause resumes
    (also "Turan, an independent news agency," for an outlet)."""
    if not any(child.dep_ == "appos" for child in head.children):
        return None
    doc = head.doc
    subtree_end = head.right_edge.i
    start = head.i + 1
    while start <= subtree_end and (doc[start].is_punct or doc[start].dep_ == "det"):
        start += 1
    end = subtree_end
    while end >= start and (doc[end].is_punct or doc[end].is_space):
        end -= 1
    if end < start:
        return None
    return doc[start : end + 1].text


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
