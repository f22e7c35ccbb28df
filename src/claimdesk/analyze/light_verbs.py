"""Attributions made with a light verb and a noun: "expressed uncertainty about X",
"raised the possibility of X", "voiced doubts over X".

The claim is carried by the noun, the content by its prepositional object, which a
token tagger trained on reported speech rarely marks. A rule is right here, and it
only adds attributions where the trained model found no cue.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from .hedge import GRADE_BY_OBJECT, LIGHT_VERBS

_CONTENT_PREPS = {"about", "of", "over", "regarding", "on", "concerning"}


@dataclass(frozen=True)
class RuleAttribution:
    source: tuple[int, int] | None
    cue: tuple[int, int]
    content: tuple[int, int]


def light_verb_attributions(doc: Doc) -> list[RuleAttribution]:
    found = []
    for verb in doc:
        if verb.lemma_.lower() not in LIGHT_VERBS or verb.pos_ != "VERB":
            continue
        for noun in verb.children:
            if noun.dep_ in ("dobj", "obj") and noun.lemma_.lower() in GRADE_BY_OBJECT:
                content = _content(noun)
                if content is not None:
                    found.append(RuleAttribution(_subject(verb), (verb.idx, noun.idx + len(noun.text)), content))
    return found


def merge(model: list, rules: list[RuleAttribution]) -> list:
    """The model's attributions plus rule ones whose cue overlaps none of the model's."""
    taken = [a.cue for a in model]
    extra = [r for r in rules if not any(r.cue[0] < end and start < r.cue[1] for start, end in taken)]
    return [*model, *extra]


def _content(noun: Token) -> tuple[int, int] | None:
    for prep in noun.children:
        if prep.dep_ == "prep" and prep.lower_ in _CONTENT_PREPS:
            objects = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
            if objects:
                tokens = list(objects[0].subtree)
                return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    clause = next((c for c in noun.children if c.dep_ in ("acl", "ccomp") and any(m.dep_ == "mark" for m in c.children)), None)
    if clause is not None:
        tokens = list(clause.subtree)
        return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    return None


def _subject(verb: Token) -> tuple[int, int] | None:
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None:
        return None
    tokens = [t for t in subject.subtree if not t.is_punct]
    names = [t for t in tokens if t.ent_type_ == "PERSON"]
    if names:  # "Azer Gasimli, head of ..., expressed": the name, not the apposition
        tokens = names
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
