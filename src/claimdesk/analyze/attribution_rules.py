"""Rules over the dependency parse, for constructions where rules are right.

``according_to``, ``nominal_cues`` and the two line rules fill in what the
learned taggers miss on fixed constructions ("According to X, ...", "X's claim
that ...", a quote signed with a dash, a speaker label before a colon);
``extract_rules`` is the all-rules baseline the taggers are measured against
(benchmarks/polnear.py --rules).
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from claimdesk.analyze.attribution import Attribution, char_span

REPORTING = frozenset("""say tell claim add state note argue insist allege accuse suggest warn explain write
report announce deny admit acknowledge believe think contend assert declare maintain question doubt
emphasize stress predict promise reveal confirm agree recall describe call urge ask complain""".split())

NOMINAL = frozenset("""claim allegation assertion accusation belief statement warning promise argument suggestion
insistence denial contention charge admission prediction assurance pledge report rumor rumour""".split())


def _subtree_range(tok: Token, exclude: set[int] | None = None) -> tuple[int, int] | None:
    ids = [t.i for t in tok.subtree if not (exclude and t.i in exclude) and not t.is_space]
    return (min(ids), max(ids) + 1) if ids else None


def _trim_punct(doc: Doc, rng: tuple[int, int] | None) -> tuple[int, int] | None:
    if rng is None:
        return None
    lo, hi = rng
    while lo < hi and (doc[lo].is_punct or doc[lo].is_space):
        lo += 1
    while hi > lo and (doc[hi - 1].is_punct or doc[hi - 1].is_space):
        hi -= 1
    return (lo, hi) if lo < hi else None


def according_to(doc: Doc, tok: Token) -> Attribution | None:
    """'According to X, C' : source X, cue 'according to', content the clause it modifies."""
    if tok.lower_ != "according" or tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "to":
        return None
    to = doc[tok.i + 1]
    obj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if obj is None or tok.head.i == tok.i:
        return None
    source = _subtree_range(obj)
    content = _trim_punct(doc, _subtree_range(tok.head, {t.i for t in tok.subtree}))
    if source is None or content is None:
        return None
    return Attribution(char_span(doc, *source), char_span(doc, tok.i, to.i + 1), char_span(doc, *content))


def nominal_cue(doc: Doc, tok: Token) -> Attribution | None:
    """'X's claim that C' / 'the claim by X that C': a reporting noun with a that-clause."""
    if tok.pos_ != "NOUN" or tok.lemma_.lower() not in NOMINAL:
        return None
    clause = next((c for c in tok.children if c.dep_ in ("acl", "ccomp", "relcl", "appos")
                   and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)), None)
    if clause is None:
        return None
    content = _subtree_range(clause)
    poss = next((c for c in tok.children if c.dep_ == "poss"), None)
    if poss is None:
        by = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "by"), None)
        poss = next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None
    source = _subtree_range(poss) if poss is not None else None
    return Attribution(char_span(doc, *source) if source else None, char_span(doc, tok.i, tok.i + 1),
                       char_span(doc, *content))


# "“...” ― Name" : a quotation signed with a dash after its closing quote, the name ending the line
_SIGNED = re.compile(r"[”\"'’]\s*(―|—|–|--)\s*([^\n―—–\"“”]{2,60}?)[.\s]*$", re.M)
# "PENCE: ...", "Pence: Flowers won't be at debate": a short capitalised label opening a line
_LABEL = re.compile(r"^[ \t]*[\"“]?((?:[A-Z][\w.’'&-]*|of|the|and|for|on|in)(?:[ \t]+(?:[A-Z][\w.’'&-]*|of|the|and|for|on|in)){0,6}):[ \t]+(\S[^\n]*)$", re.M)
NOT_SPEAKERS = frozenset("""related update updated note editor's watch read photos photo video videos correction source
sources credit tags share advertisement more see also live breaking exclusive opinion analysis listen
q a question answer warning spoiler disclosure clarification subscribe follow contact email phone
caption image images getty reuters ap afp contributing byline twitter facebook instagram so the latest""".split())


def _line_rules(text: str) -> list[Attribution]:
    """Attributions written with punctuation instead of a verb, one line each.

    A quote signed with a dash ("“...” ― Carla Sanchez") attributes the quotation
    before the dash; a speaker label ("PENCE: Well, look, ...", a headline "Poll:
    Clinton and Trump in dead heat") attributes the rest of its line.  The label
    must look like a name or a short title-case phrase, and common page labels
    ("Related:", "Update:", "Watch:") are not speakers.
    """
    out: list[Attribution] = []
    for m in _SIGNED.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        opening = max(text.rfind("“", line_start, m.start()), text.find('"', line_start, m.start()))
        start = opening if opening >= 0 else line_start
        name = m.group(2).strip()
        if not name or not name[0].isupper() or len(name.split()) > 6:
            continue
        out.append(Attribution((m.start(2), m.start(2) + len(name)), m.span(1), (start, m.start() + 1)))
    for m in _LABEL.finditer(text):
        label = m.group(1)
        words = label.replace("’", "'").lower().split()
        if words[0] in NOT_SPEAKERS or (label.isupper() and len(words) > 2):  # "STAT OF THE WEEK:" is a rubric
            continue
        if sum(any(ch.isalpha() for ch in w) for w in m.group(2).split()) < 4:  # "Clinton: 547.", "Bush: Survive to S.C." are tallies
            continue
        colon = m.end(1)
        content_end = m.end(2)
        while content_end > m.start(2) and text[content_end - 1].isspace():
            content_end -= 1
        out.append(Attribution(m.span(1), (colon, colon + 1), (m.start(2), content_end)))
    return out


def rule_attributions(doc: Doc) -> list[Attribution]:
    """The fixed constructions, wherever they occur."""
    out: list[Attribution] = []
    for tok in doc:
        att = according_to(doc, tok) or nominal_cue(doc, tok)
        if att is not None:
            out.append(att)
    return out + _line_rules(doc.text)


def _verb_attribution(doc: Doc, verb: Token) -> Attribution | None:
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    comp = next((c for c in verb.children if c.dep_ == "ccomp"), None)
    if comp is None:
        comp = next((c for c in verb.children if c.dep_ in ("dobj", "xcomp")), None)
    source = _subtree_range(subj) if subj is not None else None
    source_span = char_span(doc, *source) if source else None
    if comp is None and verb.dep_ in ("parataxis", "ccomp") and verb.head.i != verb.i:
        # "..., X said." : the content is the clause the cue hangs from, minus the cue's own subtree
        content = _trim_punct(doc, _subtree_range(verb.head, {t.i for t in verb.subtree}))
        return Attribution(source_span, char_span(doc, verb.i, verb.i + 1), char_span(doc, *content)) if content else None
    if comp is None:
        return None
    content = _subtree_range(comp)
    return Attribution(source_span, char_span(doc, verb.i, verb.i + 1), char_span(doc, *content)) if content else None


def extract_rules(doc: Doc) -> list[Attribution]:
    """The all-rules baseline: reporting verbs from a lexicon plus the fixed constructions."""
    out = rule_attributions(doc)
    for tok in doc:
        if tok.pos_ == "VERB" and tok.lemma_.lower() in REPORTING:
            att = _verb_attribution(doc, tok)
            if att is not None:
                out.append(att)
    return out
