"""Attribution extraction: who (Source) said (Cue) what (Content), as character spans.

Two small CRFs trained on PolNeAR (see ``weights/PROVENANCE.md``) read the
already-parsed spaCy Doc: one tags cues, the other, once per cue, tags that
cue's source and content.  No second neural pass: the parse, POS, NER and
quote marks carry the signal, so extraction costs a fraction of the parse.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc

from claimdesk.analyze.attribution_features import DocFeatures, doc_features, role_features, role_window

WEIGHTS = Path(__file__).parent / "weights"
CharSpan = tuple[int, int]


@dataclass(frozen=True)
class Attribution:
    """One attribution; spans are (start, end) character offsets into ``doc.text``."""

    source: CharSpan | None
    cue: CharSpan
    content: CharSpan


@dataclass
class Taggers:
    cue: object
    role: object
    cue_threshold: float = 0.5
    clusters: list[int] | None = None


@lru_cache(maxsize=4)
def load_taggers(weights_dir: str | Path = WEIGHTS) -> Taggers:
    """Open the two CRF models once per process (they are small, memory-mapped by crfsuite)."""
    import pycrfsuite

    weights_dir = Path(weights_dir)
    cue, role = pycrfsuite.Tagger(), pycrfsuite.Tagger()
    cue.open(str(weights_dir / "cue.crfsuite"))
    role.open(str(weights_dir / "role.crfsuite"))
    config = json.loads((weights_dir / "config.json").read_text()) if (weights_dir / "config.json").exists() else {}
    clusters_path = weights_dir / "clusters.json"
    clusters = json.loads(clusters_path.read_text()) if clusters_path.exists() else None
    return Taggers(cue, role, float(config.get("cue_threshold", 0.5)), clusters)


def bio_spans(tags: list[str], label: str, offset: int = 0) -> list[tuple[int, int]]:
    """Token ranges tagged ``B-label I-label*`` (an I without a B opens a span too)."""
    spans: list[tuple[int, int]] = []
    start = None
    for i, tag in enumerate(tags):
        inside = tag.endswith("-" + label)
        if start is not None and (not inside or tag.startswith("B-")):
            spans.append((start + offset, i + offset))
            start = None
        if inside and start is None:
            start = i
    if start is not None:
        spans.append((start + offset, len(tags) + offset))
    return spans


def char_span(doc: Doc, start: int, end: int) -> CharSpan:
    last = doc[end - 1]
    return doc[start].idx, last.idx + len(last.text)


def find_cues(feats: DocFeatures, taggers: Taggers) -> list[tuple[int, int]]:
    """Cue token ranges, tagged sentence by sentence.

    Viterbi alone is conservative (cue recall trails precision), so a token
    whose marginal probability of being in a cue exceeds ``cue_threshold``
    joins a cue too; the threshold is tuned on dev and stored with the weights.
    """
    cues: list[tuple[int, int]] = []
    threshold = taggers.cue_threshold
    tagger = taggers.cue
    for sent in feats.sents:
        tags = tagger.tag(feats.cue[sent.start : sent.end])
        found = bio_spans(tags, "CUE", sent.start)
        if threshold < 0.5:
            found += _likely_cues(tagger, tags, threshold, sent.start)
        cues += sorted(found)
    return cues


def _likely_cues(tagger, tags: list[str], threshold: float, offset: int) -> list[tuple[int, int]]:
    """Runs of tokens Viterbi left out but whose cue marginal exceeds ``threshold``.

    Only runs that do not touch a Viterbi cue: the marginals recover missed
    cues, they must not stretch the boundaries of found ones.
    """
    likely = [tag == "O" and 1.0 - tagger.marginal("O", i) > threshold for i, tag in enumerate(tags)]
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(tags):
        if not likely[i]:
            i += 1
            continue
        j = i
        while j < len(tags) and likely[j]:
            j += 1
        touches = (i > 0 and tags[i - 1] != "O") or (j < len(tags) and tags[j] != "O")
        if not touches:
            runs.append((i + offset, j + offset))
        i = j
    return runs


def _closest(spans: list[tuple[int, int]], cue: tuple[int, int]) -> tuple[int, int]:
    return min(spans, key=lambda s: min(abs(s[1] - cue[0]), abs(s[0] - cue[1])))


def roles_for_cue(doc: Doc, feats: DocFeatures, cue: tuple[int, int], taggers: Taggers) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """Source and content token ranges for one cue.

    A content interrupted by its own cue and source (`"A," he said, "B."`) is
    one span in PolNeAR's scoring, so content pieces are joined into the range
    that covers them; of several source pieces the one nearest the cue wins.
    """
    lo, hi = role_window(feats, cue[0])
    tags = taggers.role.tag(role_features(doc, feats, cue[0], cue[1], lo, hi))
    contents = bio_spans(tags, "CON", lo)
    sources = bio_spans(tags, "SRC", lo)
    content = (contents[0][0], contents[-1][1]) if contents else None
    source = _closest(sources, cue) if sources else None
    return source, content


def extract(doc: Doc, weights_dir: str | Path = WEIGHTS) -> list[Attribution]:
    """All attributions in a parsed Doc; a cue with no content found is dropped."""
    if not len(doc):
        return []
    taggers = load_taggers(str(weights_dir))
    feats = doc_features(doc, taggers.clusters)
    out: list[Attribution] = []
    for cue in find_cues(feats, taggers):
        source, content = roles_for_cue(doc, feats, cue, taggers)
        if content is None:
            continue
        out.append(Attribution(
            source=char_span(doc, *source) if source else None,
            cue=char_span(doc, *cue),
            content=char_span(doc, *content),
        ))
    return out + rules_not_covered(doc, out)


def rules_not_covered(doc: Doc, found: list[Attribution]) -> list[Attribution]:
    """Rule attributions ("according to X", "X's claim that") whose cue the taggers missed."""
    from claimdesk.analyze.attribution_rules import rule_attributions

    taken = [a.cue for a in found]
    return [a for a in rule_attributions(doc)
            if not any(a.cue[0] < end and start < a.cue[1] for start, end in taken)]
