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
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from spacy.tokens import Doc

from claimdesk.analyze.attribution_features import DocFeatures, doc_features, role_features, role_window
from claimdesk.analyze.neural import (NeuralTagger, allowed_transitions, context_vectors, decode, dense, feature_ids,
                                      load_tagger)

WEIGHTS = Path(__file__).parent / "weights"
CharSpan = tuple[int, int]


@dataclass(frozen=True)
class Attribution:
    """One attribution; spans are (start, end) character offsets into ``doc.text``."""

    source: CharSpan | None
    cue: CharSpan
    content: CharSpan
    # how sure the taggers are of it, 0-1 (``confidence``); None for a rule's attribution
    confidence: float | None = None


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
    """Cue token ranges, tagged sentence by sentence (``scored_cues`` without the scores)."""
    return [cue for cue, _ in scored_cues(feats, taggers)]


def scored_cues(feats: DocFeatures, taggers: Taggers) -> list[tuple[tuple[int, int], float]]:
    """Cue token ranges, tagged sentence by sentence, each with the cue CRF's mean marginal
    probability that its tokens are in a cue (the cue's part of ``confidence``).

    Viterbi alone is conservative (cue recall trails precision), so a token
    whose marginal probability of being in a cue exceeds ``cue_threshold``
    joins a cue too; the threshold is tuned on dev and stored with the weights.
    """
    cues: list[tuple[tuple[int, int], float]] = []
    threshold = taggers.cue_threshold
    tagger = taggers.cue
    for sent in feats.sents:
        tags = tagger.tag(feats.cue[sent.start : sent.end])
        found = bio_spans(tags, "CUE", sent.start)
        if threshold < 0.5:
            found += _likely_cues(tagger, tags, threshold, sent.start)
        cues += [(cue, _inside(lambda i: 1.0 - tagger.marginal("O", i), cue[0] - sent.start, cue[1] - sent.start))
                 for cue in sorted(found)]
    return cues


def _inside(p, start: int, end: int) -> float:
    """The mean of ``p(i)`` over the tokens ``start:end``."""
    return sum(p(i) for i in range(start, end)) / max(1, end - start)


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
    cue_scores: list[float] = field(default_factory=list)  # per cue, ``scored_cues``'s
    role_scores: list[RoleScores | None] = field(default_factory=list)  # per cue, once its tags are final


def _crf_roles(doc: Doc, taggers: Taggers) -> _Roles:
    """The role CRF's tags for every cue of the document.

    The feature strings live only while this runs (a batch's worth of them kept at once
    costs more in garbage collection than the tagging); unsure windows keep their bucket
    ids and marginals for ``_second_opinion``."""
    feats = doc_features(doc, taggers.clusters)
    scored = scored_cues(feats, taggers)
    cues = [cue for cue, _ in scored]
    roles = _Roles(doc, cues, [role_window(feats, cue[0]) for cue in cues], [], [], [], [],
                   [score for _, score in scored])
    crf = taggers.role
    base: dict[int, list[int]] = {}  # a token's cue-independent feature ids, hashed once
    for k, (cue, (lo, hi)) in enumerate(zip(cues, roles.windows)):
        x = role_features(doc, feats, cue[0], cue[1], lo, hi)
        roles.tags.append(crf.tag(x))
        if taggers.role_net is None or crf.probability(roles.tags[-1]) >= taggers.sure:
            roles.role_scores.append(role_scores(lambda tag, i: crf.marginal(tag, i), roles.tags[-1],
                                                 (cue[0] - lo, cue[1] - lo)))
            continue
        roles.role_scores.append(None)  # scored once the BiLSTM has tagged the window
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
    net = taggers.role_net
    scores = net.scores(bags, context)
    decoded = iter(decode(scores, net.tags, net.transitions, net.start, net.end))
    beliefs = iter(path_marginals(scores, net.tags, net.transitions, net.start, net.end))
    index = {tag: i for i, tag in enumerate(net.tags)}
    for r in batch:
        for k in r.unsure:
            r.tags[k] = next(decoded)
            m = next(beliefs)
            lo = r.windows[k][0]
            r.role_scores[k] = role_scores(lambda tag, i, m=m: float(m[i, index[tag]]), r.tags[k],
                                           (r.cues[k][0] - lo, r.cues[k][1] - lo))
        r.bags, r.marginals = [], []


def path_marginals(scores: list[np.ndarray], tags: list[str], transitions: np.ndarray, start: np.ndarray,
                   end: np.ndarray) -> list[np.ndarray]:
    """Per sequence, the BiLSTM-CRF's marginal probability of each tag at each token
    (tokens x tags): forward-backward over the same emission, transition, opening and
    closing scores and BIO constraints that ``neural.decode`` takes the best path of, all
    sequences at once. The BiLSTM decides the windows the role CRF was unsure of, so its
    own belief, not the CRF's, is what a confidence in its tags should read."""
    if not scores:
        return []
    allowed, allowed_start = allowed_transitions(tuple(tags))
    trans = allowed + transitions
    k = len(tags)
    lengths = np.array([len(s) for s in scores])
    width = int(lengths.max())
    emit = np.zeros((len(scores), width, k))
    for b, s in enumerate(scores):
        emit[b, : len(s)] = s
    alpha = np.empty((len(scores), width, k))
    alpha[:, 0] = allowed_start + start + emit[:, 0]
    for t in range(1, width):
        step = _logsumexp(alpha[:, t - 1, :, None] + trans, axis=1) + emit[:, t]
        alpha[:, t] = np.where((t < lengths)[:, None], step, alpha[:, t - 1])
    beta = np.empty((len(scores), width, k))
    beta[:, width - 1] = end
    for t in range(width - 2, -1, -1):
        step = _logsumexp(trans + (emit[:, t + 1] + beta[:, t + 1])[:, None, :], axis=2)
        beta[:, t] = np.where((t + 1 < lengths)[:, None], step, end)
    rows = np.arange(len(scores))
    log_z = _logsumexp(alpha[rows, lengths - 1] + end, axis=1)
    belief = np.exp(alpha + beta - log_z[:, None, None])
    return [belief[b, :n] for b, n in enumerate(lengths)]


def _logsumexp(x: np.ndarray, axis: int) -> np.ndarray:
    """log(sum(exp(x))) along ``axis``, -inf where every term is (a tag BIO forbids)."""
    top = np.max(x, axis=axis, keepdims=True)
    safe = np.where(np.isfinite(top), top, 0.0)
    with np.errstate(divide="ignore"):
        return (np.log(np.sum(np.exp(x - safe), axis=axis, keepdims=True)) + safe).squeeze(axis)


def _attributions(r: _Roles) -> list[Attribution]:
    """Attributions from the role tags; a cue with no content found is dropped.

    A content interrupted by its own cue and source (`"A," he said, "B."`) is one span
    in PolNeAR's scoring, so content pieces are joined into the range that covers them;
    of several source pieces the one nearest the cue wins."""
    out: list[Attribution] = []
    for cue, (lo, _), tags, cue_score, scores in zip(r.cues, r.windows, r.tags, r.cue_scores, r.role_scores):
        contents = bio_spans(tags, "CON", lo)
        if not contents:
            continue
        sources = bio_spans(tags, "SRC", lo)
        source = _closest(sources, cue) if sources else None
        out.append(Attribution(
            source=char_span(r.doc, *source) if source else None,
            cue=char_span(r.doc, *cue),
            content=char_span(r.doc, contents[0][0], contents[-1][1]),
            confidence=confidence(cue_score, scores) if scores is not None else None,
        ))
    return out + rules_not_covered(r.doc, out)


# -- confidence ------------------------------------------------------------------------------

@dataclass(frozen=True)
class SpanScore:
    """The role CRF's marginals about one tagged span: the mean probability that its tokens
    are in the role (``inside``), that it opens where it opens (``start``: B- there) and that
    it stops where it stops (``end``: the next token not I-). Exact scoring lives or dies by
    the boundaries, which the inside of a long content says little about."""

    inside: float
    start: float
    end: float


@dataclass(frozen=True)
class RoleScores:
    source: SpanScore | None  # None: no source tagged
    content: SpanScore | None


def role_scores(p, tags: list[str], cue: tuple[int, int]) -> RoleScores:
    """``SpanScore`` of the source nearest the cue and of the content (its pieces joined, as
    ``_attributions`` joins them), from ``p(tag, i)``, a marginal over the window's tokens."""
    sources = bio_spans(tags, "SRC")
    contents = bio_spans(tags, "CON")
    source = _span_score(p, tags, "SRC", [_closest(sources, cue)]) if sources else None
    return RoleScores(source, _span_score(p, tags, "CON", contents) if contents else None)


def _span_score(p, tags: list[str], role: str, pieces: list[tuple[int, int]]) -> SpanScore:
    tokens = [i for a, b in pieces for i in range(a, b)]
    inside = sum(p("B-" + role, i) + p("I-" + role, i) for i in tokens) / len(tokens)
    first, after = pieces[0][0], pieces[-1][1]
    end = 1.0 - p("I-" + role, after) if after < len(tags) else 1.0
    return SpanScore(min(1.0, inside), p("B-" + role, first), end)


def confidence(cue: float, roles: RoleScores) -> float:
    """How sure the taggers are of one attribution, 0-1: the product of the cue's score and
    the content's and source's boundary scores (see ``_role_confidence``). A product, as an
    attribution is right only if each part is; no source tagged counts as a sure part (its
    absence is scored by the content's and cue's taggers, not here)."""
    score = cue * _role_confidence(roles.content)
    if roles.source is not None:
        score *= _role_confidence(roles.source)
    return round(max(0.0, min(1.0, score)), 3)


def _role_confidence(s: SpanScore | None) -> float:
    """A span's probability of being right where it is: the weaker of its two boundaries,
    times how much of it the tagger holds in the role."""
    if s is None:
        return 0.0
    return min(s.start, s.end) * s.inside


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
