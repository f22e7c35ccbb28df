"""Is this new claim one already stored? The pure decision behind claim groups.

A claim group holds every appearance of one claim: the same words quoted by another
outlet, a quotation cut shorter or given longer, a paraphrase of the same statement.
``store.groups`` finds the candidates (the matcher's nearest stored claims, with the
article each stands in) and asks ``decide`` which group, if any, the new claim joins;
everything here is plain data in, plain data out, so every path (ingest, a backfill,
a rebuild) groups alike and the rules are tested without a database or a model.

The evidence per candidate:

- ``similarity``: the cosine of the two contents' all-MiniLM-L6-v2 embeddings (what the
  matcher returns). Alone it cannot tell "the army shelled the village" from "the army
  did not shell the village" (about 0.9), nor "12 killed" from "40 killed".
- ``containment``: the share of the shorter content's words (stop words out, negations
  and numbers kept: ``lexical.tokens``) found in the longer one. A quotation cut short
  ("mines were brought in by trucks") against its full form keeps all its words while
  the cosine falls with every clause the short one lacks.

The rules, in order (``decide``):

0. Never a fragment: either content with fewer than ``MIN_WORDS`` words (stop words out).
1. Never the same article, nor another version of the same URL: a claim repeated inside
   one article is not a second appearance, and a corrected version of a page is the
   same appearance (its claims replace the old ones; a claim never groups with a claim
   of a superseded version of its own URL).
2. Never across a negation mismatch (one says "not" / "never" / "n't", the other does not),
   nor when the shorter content's numbers, or its names (capitalised words inside the
   text), are not all in the longer one (``numbers_agree``, ``names_agree``): the cosine
   hardly sees "Trump will win Florida by a wide margin" become "Clinton will win ..." (0.88).
3. Same claim when ``similarity >= SAME_SIMILARITY`` (a light edit, a paraphrase), or when
   the shorter content has at least ``MIN_CONTAINED_WORDS`` words, ``containment >=
   SAME_CONTAINMENT`` and ``similarity >= CONTAINED_SIMILARITY`` (a shortened or longer
   quotation of the same words).
4. Of the candidates that pass, the most similar one's group is joined, a candidate in the
   latest version of its page before one in a superseded version (whose group the desk no
   longer lists); none: the claim starts a group of its own. Groups are never merged by a
   claim that bridges two.

How the thresholds were chosen. Cosines of pairs written to sit on either side of the line
(all-MiniLM-L6-v2, as the matcher embeds them):

- the same statement: a paraphrase ("Russian peacekeepers let Armenian trucks carry mines
  into Karabakh through the Lachin corridor" / "Armenian lorries were allowed by Russian
  peacekeepers to bring mines into Karabakh via the Lachin corridor") 0.914; "the
  president will veto the bill if it reaches his desk" / "... would veto the bill should it
  reach his desk" 0.914; "we are going to build a wall and Mexico is going to pay for it" /
  "we will build a great wall and Mexico will pay for that wall" 0.911;
- the same words cut shorter: a quotation with and without a last clause 0.869; the mines
  sentence and "Russian peacekeepers let Armenian trucks carry mines" 0.858 (hence the
  containment rule);
- different statements that look alike: "Trump will win Florida by a wide margin this
  November" / "Clinton will win ..." 0.879; "the shelling killed 12 people ..." / "... 40
  people ..." 0.862; the mines sentence and its negation 0.940; "the president will veto
  ..." / "the governor will veto ..." 0.753.

So 0.88 sits between the paraphrases (0.91 and up) and the look-alikes (up to 0.88); rule
2 catches those the cosine puts at or above the line (the negation at 0.94) and gives a
margin to changed numbers and names, which score just under it. ``benchmarks/claim_groups.py --pairs`` writes, for every claim of the 1,000
benchmark documents, its nearest claim in another article by cosine band with the decision
taken, for reading by hand; BENCHMARKS.md gives the counts per band.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from .lexical import STOP_WORDS, tokens

# Cosine at or above which two contents are one claim (rule 2 permitting): paraphrases
# measured 0.91 and up, different statements that look alike up to 0.88 (module docstring).
SAME_SIMILARITY = 0.88
# A shortened or longer quotation: the shorter content's words almost all in the longer
# (one word of ten may differ: an editor's change), and the two still on one subject:
# the containment decides, the cosine floor only keeps out texts on other subjects
# (unrelated texts fall below ~0.3, corpus/match.py; the cut quotations measured 0.86-0.87).
SAME_CONTAINMENT = 0.9
CONTAINED_SIMILARITY = 0.6
MIN_CONTAINED_WORDS = 5  # "he will win" is contained in too many claims to say which
# Fewer words than this (stop words out) is a fragment the analyser took for a claim's
# content ("the effort", "Zika funding", "Clinton honest"): on the benchmark's pairs such
# fragments made most of the joins between 0.88 and 0.92, none of them a claim repeated.
MIN_WORDS = 4
# Candidates the matcher is asked for, and the cosine below which none can pass
# (CONTAINED_SIMILARITY is the lowest bar above).
CANDIDATES = 10
MIN_SIMILARITY = CONTAINED_SIMILARITY

_NEGATION = re.compile(r"\b(?:not|no|never|nobody|nothing|none|neither|nor|cannot)\b|n[’']t\b", re.IGNORECASE)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_LEADING_THAT = re.compile(r"^\s*that\s+", re.IGNORECASE)
_NAME = re.compile(r"\b[A-Z][\w’'-]*[a-z][\w’'-]*|\b[A-Z]{2,}\b")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s*[\"“‘']?\s*|^[\"“‘']\s*)$")
# days and months: reports of one statement date it differently ("said Monday", "said this week")
_CALENDAR = frozenset("monday tuesday wednesday thursday friday saturday sunday january february march april may june "
                      "july august september october november december".split())
_NOT_NAMES = frozenset({"Mr", "Mrs", "Ms", "Dr", "I", "I'm", "I’m", "I've", "I’ve", "I'll", "I’ll", "I'd", "I’d"})


@dataclass(frozen=True)
class Candidate:
    """A stored claim the matcher found near the new one, with what the rules need."""

    claim: int  # its number in the claim index (store.groups: claim_index.pk)
    group: int  # the group it belongs to
    text: str  # its content as matched (``claim_text``)
    similarity: float
    doc: int  # the document it stands in (documents.pk)
    url: str | None  # that document's URL
    superseded: bool = False  # a newer version of that document's URL is stored


@dataclass(frozen=True)
class NewClaim:
    text: str  # as matched (``claim_text``)
    doc: int
    url: str | None


@dataclass(frozen=True)
class Decision:
    group: int | None  # the group joined; None: the claim starts its own
    candidate: Candidate | None  # the stored claim that decided it
    reason: str  # "similar", "contained" or "new"


def claim_text(content: str) -> str:
    """A claim's content as matched: whitespace collapsed, a leading complementiser
    ("that ...") dropped, since one outlet writes "said that X" and another "said X"."""
    return _LEADING_THAT.sub("", " ".join(content.split()), count=1)


def negated(text: str) -> bool:
    return _NEGATION.search(text) is not None


def numbers(text: str) -> set[str]:
    return {n.replace(",", "") for n in _NUMBER.findall(text)}


def containment(a: str, b: str) -> tuple[float, int]:
    """(share of the shorter text's distinct words found in the longer, how many words the shorter has)."""
    wa, wb = set(tokens(a)), set(tokens(b))
    shorter, longer = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    if not shorter:
        return 0.0, 0
    return len(shorter & longer) / len(shorter), len(shorter)


def same_claim(new: NewClaim, candidate: Candidate) -> str | None:
    """Why the two are one claim ("similar", "contained"), or None when they are not."""
    if candidate.doc == new.doc or (new.url is not None and candidate.url == new.url):
        return None
    if min(len(set(tokens(new.text))), len(set(tokens(candidate.text)))) < MIN_WORDS:
        return None
    if negated(new.text) != negated(candidate.text):
        return None
    if not numbers_agree(new.text, candidate.text) or not names_agree(new.text, candidate.text):
        return None
    if candidate.similarity >= SAME_SIMILARITY:
        return "similar"
    if candidate.similarity >= CONTAINED_SIMILARITY:
        share, words = containment(new.text, candidate.text)
        if words >= MIN_CONTAINED_WORDS and share >= SAME_CONTAINMENT:
            return "contained"
    return None


def names(text: str) -> set[str]:
    """Capitalised words and acronyms, by their first five letters lower-cased ("Russia" and
    "Russian" are one name), days and months left out. At the start of the text or of a sentence a capital says
    nothing, so a stop word there ("The", "We", "However") is not a name."""
    found = set()
    for m in _NAME.finditer(text):
        word = m.group(0)
        if word in _NOT_NAMES or word.lower() in _CALENDAR:
            continue
        if _SENTENCE_START.search(text[:m.start()]) and word.lower() in STOP_WORDS:
            continue
        found.add(word[:5].lower())
    return found


def names_agree(a: str, b: str) -> bool:
    """As ``numbers_agree``, for names."""
    return _agree(names(a), names(b), a, b)


def numbers_agree(a: str, b: str) -> bool:
    """Texts of like length (the shorter has 80% of the longer's words or more) state the
    same numbers; otherwise the shorter's numbers are all in the longer (a cut quotation
    may lose a number with the clause it cut, never gain or change one)."""
    return _agree(numbers(a), numbers(b), a, b)


def _agree(na: set[str], nb: set[str], a: str, b: str) -> bool:
    if na == nb:
        return True
    la, lb = len(tokens(a)), len(tokens(b))
    if min(la, lb) >= 0.8 * max(la, lb):
        return False
    return na <= nb if la <= lb else nb <= na


def decide(new: NewClaim, candidates: Sequence[Candidate]) -> Decision:
    """The group the new claim joins: that of the most similar candidate that is the same
    claim, current versions first (ties: the older claim, the smaller number), else a
    group of its own."""
    best: tuple[Candidate, str] | None = None
    for candidate in sorted(candidates, key=lambda c: (c.superseded, -c.similarity, c.claim)):
        reason = same_claim(new, candidate)
        if reason is not None:
            best = (candidate, reason)
            break
    if best is None:
        return Decision(None, None, "new")
    return Decision(best[0].group, best[0], best[1])
