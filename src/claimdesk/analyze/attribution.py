"""Attribution extraction: who (Source) said (Cue) what (Content), as character spans.

Taggers trained on PolNeAR (see ``weights/PROVENANCE.md``) read the
already-parsed spaCy Doc: a CRF tags cues; then, for every cue, a CRF tags that
cue's source and content in a window around it, and where the CRF is unsure a small
BiLSTM-CRF (``neural.py``) that reads the CRF's per-token marginals next to the words
decides the tags.  No second
spaCy pass: the parse, POS, NER, tok2vec's contextual vectors and quote marks carry
the signal, so extraction costs a fraction of the parse.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from spacy.tokens import Doc

from claimdesk.analyze.attribution_features import DocFeatures, doc_features, role_features, role_window
from claimdesk.analyze.neural import NeuralTagger, context_vectors, dense, feature_ids, load_tagger

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
    role_net: NeuralTagger | None = None
    sure: float = 1.0  # a CRF role path at least this probable is kept without the BiLSTM


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
    role_net = load_tagger(str(weights_dir / "role_net.pt"))
    sure = float(config.get("role_sure", 1.0))
    return Taggers(cue, role, float(config.get("cue_threshold", 0.5)), clusters, role_net, sure)


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


ROLE_TAGS = ("O", "B-SRC", "I-SRC", "B-CON", "I-CON")


@dataclass
class _Roles:
    """One document's cues with their role windows and tags, and for the windows where
    the role CRF was unsure, what the BiLSTM needs and the CRF's marginals."""

    doc: Doc
    cues: list[tuple[int, int]]
    windows: list[tuple[int, int]]
    tags: list[list[str]]
    unsure: list[int]  # indices into cues
    bags: list[list[list[int]]]  # per unsure window, per token, feature bucket ids
    marginals: list[np.ndarray]  # per unsure window, tokens x ROLE_TAGS


def _crf_roles(doc: Doc, taggers: Taggers) -> _Roles:
    """The role CRF's tags for every cue of the document.

    The feature strings live only while this runs (a batch's worth of them kept at once
    costs more in garbage collection than the tagging); unsure windows keep their bucket
    ids and marginals for ``_second_opinion``."""
    feats = doc_features(doc, taggers.clusters)
    cues = find_cues(feats, taggers)
    roles = _Roles(doc, cues, [role_window(feats, cue[0]) for cue in cues], [], [], [], [])
    crf = taggers.role
    base: dict[int, list[int]] = {}  # a token's cue-independent feature ids, hashed once
    for k, (cue, (lo, hi)) in enumerate(zip(cues, roles.windows)):
        x = role_features(doc, feats, cue[0], cue[1], lo, hi)
        roles.tags.append(crf.tag(x))
        if taggers.role_net is None or crf.probability(roles.tags[-1]) >= taggers.sure:
            continue
        roles.unsure.append(k)
        roles.marginals.append(marginals(crf, len(x)))
        bag = []
        for i, strings in zip(range(lo, hi), x):
            ids = base.get(i)
            if ids is None:
                ids = base[i] = feature_ids(feats.role[i])
            bag.append(ids + feature_ids(strings[len(feats.role[i]) :]))
        roles.bags.append(bag)
    return roles


def marginals(crf, length: int) -> np.ndarray:
    """The role CRF's marginal probability of each of ROLE_TAGS per token (tokens x tags),
    for the sequence it tagged last."""
    return np.array([[crf.marginal(tag, i) for tag in ROLE_TAGS] for i in range(length)])


def _second_opinion(batch: list[_Roles], taggers: Taggers) -> None:
    """Where the role CRF was unsure of its path, the BiLSTM-CRF, reading the CRF's
    marginals with the words, tags the window anew and its tags replace the CRF's. It takes
    the unsure windows of the whole batch in one call, and so does decoding: its cost is
    spent where a second opinion can change the answer."""
    if taggers.role_net is None or not any(r.unsure for r in batch):
        return
    bags, context = [], []
    for r in batch:
        if not r.unsure:
            continue
        vectors = context_vectors(r.doc)
        bags += r.bags
        context += [dense(vectors[r.windows[k][0] : r.windows[k][1]], m) for k, m in zip(r.unsure, r.marginals)]
    decoded = iter(taggers.role_net.tag(bags, context))
    for r in batch:
        for k in r.unsure:
            r.tags[k] = next(decoded)
        r.bags, r.marginals = [], []


def _attributions(r: _Roles) -> list[Attribution]:
    """Attributions from the role tags; a cue with no content found is dropped.

    A content interrupted by its own cue and source (`"A," he said, "B."`) is one span
    in PolNeAR's scoring, so content pieces are joined into the range that covers them;
    of several source pieces the one nearest the cue wins."""
    out: list[Attribution] = []
    for cue, (lo, _), tags in zip(r.cues, r.windows, r.tags):
        contents = bio_spans(tags, "CON", lo)
        if not contents:
            continue
        sources = bio_spans(tags, "SRC", lo)
        source = _closest(sources, cue) if sources else None
        out.append(Attribution(
            source=char_span(r.doc, *source) if source else None,
            cue=char_span(r.doc, *cue),
            content=char_span(r.doc, contents[0][0], contents[-1][1]),
        ))
    return out + rules_not_covered(r.doc, out)


def extract_batch(docs: list[Doc], weights_dir: str | Path = WEIGHTS) -> list[list[Attribution]]:
    """All attributions in each parsed Doc (the role BiLSTM runs once for the batch)."""
    taggers = load_taggers(str(weights_dir))
    batch = [_crf_roles(doc, taggers) for doc in docs if len(doc)]
    _second_opinion(batch, taggers)
    found = iter(_attributions(r) for r in batch)
    return [next(found) if len(doc) else [] for doc in docs]


def extract(doc: Doc, weights_dir: str | Path = WEIGHTS) -> list[Attribution]:
    """All attributions in one parsed Doc."""
    return extract_batch([doc], weights_dir)[0]


def rules_not_covered(doc: Doc, found: list[Attribution]) -> list[Attribution]:
    """Rule attributions ("according to X", "X's claim that") whose cue the taggers missed."""
    from claimdesk.analyze.attribution_rules import rule_attributions

    taken = [a.cue for a in found]
    return [a for a in rule_attributions(doc)
            if not any(a.cue[0] < end and start < a.cue[1] for start, end in taken)]
