"""Who a speaker is across the corpus: the decisions, as pure functions.

Analysis names a claim's speaker as one article gives it ("Trump", "Mr. Obama",
"Donald J. Trump", "the Kremlin"). Across the corpus, the mentions of one person or body
are one speaker, with an id, a name and the aliases it was seen under. The store keeps
those (``store/speakers.py``) and asks here what to do with each new mention:

1. **The same name** — a mention whose *key* (``name_key``: case, accents, leading
   titles and honorifics, middle initials, a possessive, a leading "the" and dots set
   aside) is an existing speaker's key of the same kind is that speaker: "Donald J.
   Trump", "President Donald Trump" and "Donald Trump" are one key.
2. **A surname alone** ("Trump", "Mr. Obama", "President Obama") joins the one person
   whose full name ends with it, *when that is unambiguous* (``surname_choice``): among
   the persons with that surname active around the mention's date (within ``PERIOD_DAYS``
   of their first and last claims), there is one, or one holds at least ``DOMINANT`` of
   their claims together. Two Johnsons quoted alike in the same period stay apart: the
   surname becomes a speaker of its own, which an editor may merge.
3. When a full name arrives after its surname was seen alone, the surname's speaker is
   absorbed into it under the same rule (``absorbs``), unless an editor pinned it.

Editors' corrections (merge, split an alias off, rename) are pinned aliases, which
every later mention follows before any rule here: they survive re-ingest and apply to
new articles. Unnamed sources ("officials"), bodies named only by a description ("the
ministry", ``names_someone``) and unresolved pronouns are no speaker across the corpus:
they stay with their claim.

A mention joins a speaker of its own kind (person or body) first, else one of the other
kind by the same key, and a one-word body no body has is read as a surname (rule 2): the
analysis of one article may type "Donald Trump" as an organisation, another "Trump". A
speaker's shown type is what most of its claims say (``shown_type``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from claimdesk.analyze.lexicon import BODY_NOUNS, DETERMINERS, INSTITUTIONS, UNNAMED_NOUNS

# the speaker types that can be someone across the corpus (analyze.speakers.SPEAKER_TYPES), when
# the source names them (``names_someone``)
IDENTIFIED_TYPES = ("person", "organisation", "group", "medium")
PERIOD_DAYS = 730  # a surname joins persons active within two years of the mention
# Share of the candidates' claims one must hold to take a surname they share: 4 to 1. An
# article that names the less quoted namesake ("Michelle Obama ... Obama said") is resolved
# inside the article first; a surname alone in an article naming neither is the dominant
# one's far more often than not. (Set by this reasoning; on the PolNeAR dev store it joins
# "Obama", 16 claims, to Barack Obama, 35, beside Michelle Obama, 5.)
DOMINANT = 0.8

# Words before a name that say what someone is, not who: never part of the key.
TITLES = frozenset("""
mr mrs ms miss mx dr prof professor sir dame lord madam
president vice prime minister premier chancellor secretary deputy foreign defense defence
sen senator rep representative congressman congresswoman gov governor lt gov mayor
gen general col colonel maj major capt captain lieutenant sgt sergeant adm admiral cmdr commander marshal
king queen prince princess emperor pope cardinal archbishop bishop rev reverend father sheikh
judge justice chief attorney ambassador spokesman spokeswoman chairman chairwoman chair ceo
former late acting then candidate nominee leader speaker
""".split())
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_DASHES = frozenset({"-", "--", "\u2013", "\u2014"})


def _fold(text: str) -> str:
    """Lower case without accents: "Zelenskyy" and "ZELENSKYY", "Médecins" and "Medecins"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def folded(name: str) -> str:
    """A written name as the alias table keys it: one speaker per written name, whatever
    its case, accents or spacing."""
    return " ".join(_fold(name).split())


def _words(name: str) -> list[str]:
    words = name.replace("\u2019", "'").split()
    if words and (words[-1].endswith("'s") or words[-1].endswith("s'")):
        words[-1] = words[-1][:-2] if words[-1].endswith("'s") else words[-1][:-1]
    return [w.strip(",;:") for w in words if w.strip(",;:")]


def _is_initial(word: str) -> bool:
    bare = word.rstrip(".")
    return len(bare) == 1 and bare.isalpha()


def _bare(word: str) -> str:
    return _fold(word).replace(".", "")


def person_words(name: str) -> list[str]:
    """The words that say who a person is, as written: leading titles and middle initials
    dropped ("U.S. President Donald J. Trump" -> Donald Trump). A suffix stays: Donald
    Trump Jr. is someone else."""
    words = _words(name)
    dashes = [i for i, w in enumerate(words) if w in _DASHES]
    if dashes and dashes[-1] < len(words) - 1:  # a dateline glued before the name: "WASHINGTON -- President Obama"
        words = words[dashes[-1] + 1:]
    while len(words) > 1 and _bare(words[0]) in TITLES | {"us"}:
        words = words[1:]
    if len(words) > 2:
        words = [words[0], *(w for w in words[1:-1] if not _is_initial(w)), words[-1]]
    return words


_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "sir", "madam"})


def display_name(name: str, type_: str) -> str:
    """The name a new speaker is shown by: a person's without titles ("President Donald
    J. Trump" -> "Donald Trump", "Mr. Obama" -> "Obama"), except a title that is all the
    name has besides one word ("Prince Andrew", "Pope Francis"); anyone else's as written."""
    if type_ != "person":
        return " ".join(_words(name)) or name.strip()
    words = person_words(name)
    written = _words(name)
    if len(words) == 1 and len(written) > 1 and written[-1] == words[0]:
        title = written[-2]
        if _bare(title) in TITLES and _bare(title) not in _HONORIFICS:
            return f"{title} {words[0]}"
    return " ".join(words)


def name_key(name: str, type_: str) -> str:
    """What two mentions of one speaker share: see the module docstring, rule 1."""
    if type_ == "person":
        words = person_words(name)
    else:
        words = _words(name)
        if len(words) > 1 and _fold(words[0]) == "the":
            words = words[1:]
    return " ".join(_fold(w).replace(".", "") for w in words if _fold(w).replace(".", ""))


_COMMON = (BODY_NOUNS | UNNAMED_NOUNS) - INSTITUTIONS


def _common(word: str) -> bool:
    bare = _bare(word)
    if bare.endswith("'s") or bare.endswith("’s"):
        bare = bare[:-2]
    return bare in _COMMON or (bare.endswith("s") and bare[:-1] in _COMMON)


def names_someone(written: str, type_: str) -> bool:
    """Whether a source names a speaker who is someone across the corpus. A person or a
    medium always does; a body or group only by a proper name ("the IMF", "Republicans",
    "the Clinton campaign", "Congress"), never by a description ("the ministry", "police",
    "The experts", "the president"), which means someone else in every article.
    Capitals decide, but a common noun is no name even capitalised at a sentence's start
    ("Police said"), nor is a phrase whose only capital is its first word ("Port
    authority", "Hydrologists at the state weather service")."""
    if type_ in ("person", "medium"):
        return True
    written_words = _words(written)
    words = list(written_words)
    while words and _bare(words[0]) in DETERMINERS:  # "Some", "Many of them": no one named
        words = words[1:]
    named = [w for w in words if (w[:1].isupper() or w[:1].isdigit()) and not _common(w)]
    if named == [written_words[0]] and len(words) > 1:
        return False  # only the first word has a capital, as a sentence's first word has: "Port authority"
    return bool(named)


def maybe_surname(written: str, type_: str | None) -> bool:
    """An unnamed source that is one capitalised word, no common noun ("Trump", not
    "Officials"): the article could not tie it to anyone, but a stored person may have it
    as their surname (rule 2). When one does, the claim is theirs and typed a person: the
    corpus knows more than the article."""
    words = _words(written)
    return type_ == "unnamed" and len(words) == 1 and words[0][:1].isupper() and names_someone(written, "organisation")


def kind(type_: str) -> str:
    """Mentions join only speakers of their kind: a person, or anyone else (a ministry
    typed an organisation in one article and a group in another is still one body)."""
    return "person" if type_ == "person" else "body"


def surname_of(key: str) -> str | None:
    """The surname of a full person key ("donald trump" -> "trump", "donald trump jr" ->
    "trump"); None for one word."""
    words = key.split()
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words = words[:-1]
    return words[-1] if len(words) > 1 else None


@dataclass(frozen=True)
class Candidate:
    """A stored person a surname might stand for."""

    pk: int
    claims: int  # claims stored under them
    first: str | None  # earliest and latest dates (YYYY-MM-DD) of their claims' articles
    last: str | None


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def active_around(candidate: Candidate, day: str | None) -> bool:
    """Whether a candidate was quoted within ``PERIOD_DAYS`` of ``day`` (undated: always)."""
    when, first, last = _day(day), _day(candidate.first), _day(candidate.last)
    if when is None or first is None or last is None:
        return True
    margin = timedelta(days=PERIOD_DAYS)
    return first - margin <= when <= last + margin


def surname_choice(candidates: list[Candidate], day: str | None) -> int | None:
    """The person a surname alone stands for (rule 2), or None when no one or not one
    unambiguously."""
    around = [c for c in candidates if active_around(c, day)]
    if len(around) == 1:
        return around[0].pk
    if not around:
        return None
    best = max(around, key=lambda c: (c.claims, -c.pk))
    total = sum(c.claims for c in around)
    return best.pk if total and best.claims >= DOMINANT * total else None


def absorbs(full: Candidate, others: list[Candidate], day: str | None) -> bool:
    """Whether a surname seen alone around ``day`` now belongs to ``full``, given the
    other persons with that surname (rule 3): the same decision as rule 2."""
    return surname_choice([full, *others], day) == full.pk


def shown_type(persons: int, claims: int, other: str) -> str:
    """A speaker's type: person when at least half its claims were typed so, else ``other``
    (the latest non-person type seen)."""
    return "person" if claims and 2 * persons >= claims else other
