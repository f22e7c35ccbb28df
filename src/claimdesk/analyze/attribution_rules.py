"""Rules over the dependency parse, for constructions where rules are right.

``according_to`` and ``nominal_cues`` fill in what the learned taggers miss
on two fixed constructions ("According to X, ...", "X's claim that ...");
``extract_rules`` is the all-rules baseline the taggers are measured against
(benchmarks/polnear.py --rules).
"""

from __future__ import annotations

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


def rule_attributions(doc: Doc) -> list[Attribution]:
    """The fixed constructions, wherever they occur."""
    out: list[Attribution] = []
    for tok in doc:
        att = according_to(doc, tok) or nominal_cue(doc, tok)
        if att is not None:
            out.append(att)
    return out


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
