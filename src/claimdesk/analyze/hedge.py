"""How firmly a claim is put, from its cue and the words around the cue.

The scale, firmest first (documented in the README):

| hedge      | cues                                                                 |
|------------|----------------------------------------------------------------------|
| `states`   | said, stated, declared, asserted, emphasized, announced, confirmed, told, noted, added, expressed |
| `claims`   | claimed, maintained, insisted, argued, contended                     |
| `alleges`  | alleged, accused, charged; any cue with "reportedly"/"allegedly"     |
| `suggests` | suggested, raised the possibility, speculated, hinted, implied; beliefs held rather than stated: believes, thinks, fears, expects, predicts |
| `doubts`   | expressed uncertainty or doubt, questioned, doubted, cast doubt      |
| `denies`   | denied, rejected, dismissed, refuted, disavowed, rebutted            |
| `refuses`  | refused, declined (to comment, to say, to confirm); "would not confirm", "won't say" |

``refuses`` is a grade of its own, not a kind of ``denies``: a denial says the content is
false; a refusal says nothing about it ("declined to say whether the data was sold",
"has steadfastly refused to release his tax returns"): its content is what the source
would not say or do. A reader filtering for denials must not get silences.

A cue under a negation ("did not say", "never claimed") keeps its grade and is
marked ``negated``; except a withheld statement ("would not confirm", "could not say"),
which is ``refuses`` (not negated: the negation is the refusal).
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

SCALE = ("states", "claims", "alleges", "suggests", "doubts", "denies", "refuses")

_BY_LEMMA = {
    **dict.fromkeys("say state declare assert emphasize emphasise stress announce confirm tell note add explain "
                    "write report express indicate reveal acknowledge admit warn insist_on underline point_out "
                    "according".split(), "states"),
    **dict.fromkeys("claim maintain insist argue contend".split(), "claims"),
    **dict.fromkeys("allege accuse charge".split(), "alleges"),
    **dict.fromkeys("suggest speculate hint imply float posit".split(), "suggests"),
    # what someone holds rather than says: their belief, fear or forecast
    **dict.fromkeys("believe think feel fear hope expect suspect reckon guess predict forecast estimate worry".split(),
                    "suggests"),
    **dict.fromkeys("question doubt".split(), "doubts"),
    **dict.fromkeys("deny reject dismiss refute disavow rebut repudiate disown".split(), "denies"),
    **dict.fromkeys("refuse decline".split(), "refuses"),
}

# Nouns that turn a light verb ("raised the possibility", "expressed doubt") into a grade.
GRADE_BY_OBJECT = {
    **dict.fromkeys("possibility prospect suggestion hypothesis speculation".split(), "suggests"),
    **dict.fromkeys("uncertainty doubt doubts skepticism scepticism".split(), "doubts"),
    **dict.fromkeys("claim claims allegation allegations accusation accusations".split(), "alleges"),
    **dict.fromkeys("denial denials".split(), "denies"),
    **dict.fromkeys("refusal".split(), "refuses"),
}
LIGHT_VERBS = {"raise", "express", "voice", "cast", "make", "level", "issue", "float"}
_DISTANCING = {"reportedly", "allegedly", "purportedly", "supposedly"}


def grade(doc: Doc, cue_start: int, cue_end: int) -> tuple[str, bool]:
    """(hedge, negated) for the cue at character offsets ``cue_start:cue_end``."""
    tokens = [t for t in doc.char_span(cue_start, cue_end, alignment_mode="expand") or [] if not t.is_punct]
    if not tokens:
        return "states", False
    head = _cue_head(tokens)
    hedge = _object_grade(head) or _lemma_grade(tokens, head)
    if hedge in ("states", "claims") and any(child.lower_ in _DISTANCING for child in head.children):
        hedge = "alleges"
    negated = _negated(head)
    if negated and _withheld(head):
        return "refuses", False  # the negation is the refusal: "refuses", not "states, negated"
    return hedge, negated


# "would not confirm", "could not say": a source withholding a statement refuses it.
_WITHHELD = {"confirm", "comment", "say", "disclose", "elaborate", "reveal", "discuss", "specify", "identify", "name"}


def _withheld(head: Token) -> bool:
    """A negated "would/will/could not" + a verb of saying: "would not confirm", "won't say"."""
    return head.lemma_.lower() in _WITHHELD and any(
        child.dep_ == "aux" and child.lower_ in ("would", "will", "wo", "could", "can", "ca") for child in head.children)


def _cue_head(tokens: list[Token]) -> Token:
    """The token the others in the cue hang from (the verb of "has learned", the noun of "X's claim")."""
    inside = set(tokens)
    for token in tokens:
        if token.head not in inside or token.head == token:
            if token.pos_ in ("VERB", "NOUN", "AUX", "ADP") or len(tokens) == 1:
                return token
    return tokens[-1]


def _lemma_grade(tokens: list[Token], head: Token) -> str:
    for token in [head, *tokens]:
        lemma = token.lemma_.lower()
        if lemma in _BY_LEMMA:
            return _BY_LEMMA[lemma]
    return "states"


def _object_grade(head: Token) -> str | None:
    """"raised the possibility", "expressed uncertainty": the object decides."""
    if head.lemma_.lower() not in LIGHT_VERBS:
        return None
    for child in head.children:
        if child.dep_ in ("dobj", "obj", "attr") and child.lemma_.lower() in GRADE_BY_OBJECT:
            return GRADE_BY_OBJECT[child.lemma_.lower()]
    return None


def _negated(head: Token) -> bool:
    return any(child.dep_ == "neg" or child.lower_ in ("never", "not", "n't") for child in head.children)
