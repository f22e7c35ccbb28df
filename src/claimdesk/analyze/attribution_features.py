"""Token features for the attribution taggers, read off the parsed spaCy Doc.

Two linear-chain CRFs share these features:

* the cue tagger labels cue tokens (BIO) over each sentence;
* the role tagger, run once per cue, labels the Source and Content (BIO)
  in a window of sentences around that cue, with features saying where each
  token sits relative to the cue: left/right, distance, and the dependency
  path between them (``nsubj`` of the cue, inside its ``ccomp``, ...).

Features are plain strings (python-crfsuite's fastest input).  The
cue-independent ones are computed once per document; the role tagger gets a
smaller set than the cue tagger because it runs once per cue and its cost
is what the throughput budget is spent on.

Reading the Doc is done column-wise (``parse_columns``): one ``Doc.to_array``
call, hash ids mapped to strings through per-process caches.  Going through
spaCy ``Token`` objects instead (``for tok in doc``, ``doc[i]``, ``tok.head``,
``tok.children``) creates a new Python object at every access, about fifteen
per token, and that was most of the cost of the features.  The strings produced
are exactly those the Token API gives: the trained weights depend on them.
"""

from __future__ import annotations

import re

from bisect import bisect_left
from dataclasses import dataclass, field
from itertools import pairwise
from typing import NamedTuple

import numpy as np
from spacy import parts_of_speech
from spacy.attrs import (
    DEP,
    ENT_IOB,
    ENT_TYPE,
    HEAD,
    ID,
    IS_DIGIT,
    IS_PUNCT,
    IS_SPACE,
    IS_TITLE,
    IS_UPPER,
    LEMMA,
    LOWER,
    ORTH,
    POS,
    TAG,
)
from spacy.tokens import Doc, Span, Token

# Quote marks as spaCy tokenizes them. Texts typeset ASCII-only (the New York Times' in
# PolNeAR) write every double quote as "''", one token that opens and closes like '"'.
QUOTES = frozenset(('"', "“", "”", "«", "»", "„", "‟", "''", "``"))
OPEN_QUOTES = frozenset(("“", "«", "„", "‟", "``"))
TOGGLING_QUOTES = frozenset(('"', "''"))
# any quote mark in a text, the longest first ("''" before a lone mark); no mark is a prefix of another
QUOTE_MARK = re.compile("|".join(re.escape(mark) for mark in sorted(QUOTES, key=len, reverse=True)))
SENTENCE_CLOSES_QUOTE = ("”", '"', "''")  # endings of a sentence that closes its quotation (``role_window``)
CHILD_DEPS = frozenset(("ccomp", "nsubj", "dobj", "xcomp", "mark", "prep", "nsubjpass", "agent", "advcl",
                        "parataxis", "neg", "aux"))
CLAUSAL = frozenset(("ccomp", "xcomp", "parataxis", "nsubj", "dobj"))


class _Lemma(NamedTuple):
    """A lowercased lemma and its feature strings, built once per process (articles repeat words)."""

    lemma: str
    at: str  # "l=", the token's own
    prev: str  # "l-1=", seen from the next token
    next: str  # "l1=", seen from the previous token
    prev2: str  # "l-2="
    next2: str  # "l2="
    head: str  # "hl=", seen from a dependent


class _Pos(NamedTuple):
    """A coarse POS tag and its feature strings, as ``_Lemma``."""

    pos: str
    at: str  # "p="
    prev: str  # "p-1="
    next: str  # "p1="
    prev2: str  # "p-2="
    next2: str  # "p2="
    head: str  # "hp="


class _Kids(NamedTuple):
    """What a token's children's dependency labels contribute to the cue features."""

    own: tuple[str, ...]  # "c=" of each distinct label among CHILD_DEPS, sorted
    clausal: str  # those of them that are clausal, comma-joined (for "lc=")
    of_head: tuple[str, ...]  # "hc=" of every clausal child in child order, read by each dependent


def _lemma_entry(lemma: str) -> _Lemma:
    return _Lemma(lemma, "l=" + lemma, "l-1=" + lemma, "l1=" + lemma, "l-2=" + lemma, "l2=" + lemma, "hl=" + lemma)


def _pos_entry(pos: str) -> _Pos:
    return _Pos(pos, "p=" + pos, "p-1=" + pos, "p1=" + pos, "p-2=" + pos, "p2=" + pos, "hp=" + pos)


# Per-process caches keyed by spaCy hash id (a hash names one string whatever the
# vocab, so they are safe across Docs); cleared together when they grow too big.
_TEXT: dict[int, str] = {}  # ORTH -> tok.text
_LOWER: dict[int, tuple[str, str]] = {}  # LOWER -> (tok.lower_, "w=" + tok.lower_)
_LEMMAS: dict[int, _Lemma] = {}  # LEMMA -> tok.lemma_.lower() and its features
_POSES: dict[int, _Pos] = {}  # POS -> tok.pos_ and its features
_TAGS: dict[int, str] = {}  # TAG -> "t=" + tok.tag_
_DEPS: dict[int, str] = {}  # DEP -> tok.dep_
_ENTS: dict[int, tuple[str, ...]] = {}  # ENT_TYPE -> "e=" + iob + tok.ent_type_, indexed by ENT_IOB
_KIDS: dict[tuple[str, ...], _Kids] = {}  # the children's dep labels -> their features
_CACHES = (_TEXT, _LOWER, _LEMMAS, _POSES, _TAGS, _DEPS, _ENTS, _KIDS)
_CACHE_LIMIT = 200_000
_IOB = Token.iob_strings()  # ENT_IOB value -> tok.ent_iob_ ("" when unset)


def _mapped(ids: list[int], cache: dict, make) -> list:
    """``make(id)`` for every id, computed once per distinct id per process."""
    try:
        return list(map(cache.__getitem__, ids))
    except KeyError:  # words not seen before in this process
        for key in set(ids).difference(cache):
            cache[key] = make(key)
        return list(map(cache.__getitem__, ids))


def _trim_caches() -> None:
    """Bound the caches' memory in a long-running process (new words keep coming)."""
    if any(len(cache) > _CACHE_LIMIT for cache in _CACHES):
        for cache in _CACHES:
            cache.clear()


_ATTRS = [ORTH, LOWER, LEMMA, POS, TAG, DEP, HEAD, ENT_IOB, ENT_TYPE, ID,
          IS_PUNCT, IS_TITLE, IS_UPPER, IS_DIGIT, IS_SPACE]


@dataclass
class Columns:
    """What the features read off a Doc, per token, as plain Python lists.

    Each list equals the Token attribute named in its comment, e.g.
    ``text[i] == doc[i].text`` and ``heads[i] == doc[i].head.i``.
    """

    text: list[str]  # tok.text
    lower: list[tuple[str, str]]  # (tok.lower_, "w=" + tok.lower_)
    lemma: list[_Lemma]  # tok.lemma_.lower() and its features
    pos: list[_Pos]  # tok.pos_ and its features
    tag: list[str]  # "t=" + tok.tag_
    dep: list[str]  # tok.dep_
    ent: list[str]  # "e=" + tok.ent_iob_ + tok.ent_type_
    rank: list[int]  # tok.rank (row of the word vector table, for the clusters)
    shape: list[str]  # "s=" + one letter (see ``_shape``)
    is_space: list[int]  # tok.is_space
    heads: list[int]  # tok.head.i (a root is its own head)
    kids: list[tuple[int, ...]]  # tuple(c.i for c in tok.children)


def _shape(text: str, punct: int, title: int, upper: int, digit: int) -> str:
    """The ``s=`` feature: quote mark, other punctuation, Title, UPPER, digits, or anything else."""
    if punct:
        return "s=Q" if text in QUOTES else "s=P"
    if title:
        return "s=T"
    if upper:
        return "s=U"
    if digit:
        return "s=D"
    return "s=l"


def parse_columns(doc: Doc) -> Columns:
    """The Doc's tokens as ``Columns``, read in one ``Doc.to_array`` call.

    ``HEAD`` comes as an offset from the token (stored unsigned, so negative
    offsets wrap: cast back to signed).  ``ID`` is the lexeme id, which is what
    ``Token.rank`` returns.  Children are the tokens whose head is this one, in
    index order: spaCy's ``Token.children`` yields the left children then the
    right ones, each in index order, i.e. the same sequence (spaCy scans each
    token's left/right edge, which ``set_children_from_heads`` widens to cover
    every child).
    """
    arr = doc.to_array(_ATTRS)
    (orth, lower, lemma, pos, tag, dep, _, iob, ent_type, rank,
     punct, title, upper, digit, space) = arr.T.tolist()
    n = len(orth)
    heads = (arr[:, _ATTRS.index(HEAD)].astype(np.int64) + np.arange(n, dtype=np.int64)).tolist()
    strings = doc.vocab.strings
    text = _mapped(orth, _TEXT, strings.__getitem__)
    kids: list[tuple[int, ...]] = [()] * n  # tuples of ints: the garbage collector soon stops tracking them
    for j, h in enumerate(heads):
        if h != j:
            kids[h] += (j,)
    return Columns(
        text=text,
        lower=_mapped(lower, _LOWER, lambda h: (strings[h], "w=" + strings[h])),
        lemma=_mapped(lemma, _LEMMAS, lambda h: _lemma_entry(strings[h].lower())),
        pos=_mapped(pos, _POSES, lambda h: _pos_entry(parts_of_speech.NAMES[h])),
        tag=_mapped(tag, _TAGS, lambda h: "t=" + strings[h]),
        dep=_mapped(dep, _DEPS, strings.__getitem__),
        ent=[by_iob[i] for by_iob, i in zip(_mapped(ent_type, _ENTS, lambda h: tuple("e=" + b + strings[h] for b in _IOB)),
                                            iob)],
        rank=rank,
        shape=[_shape(*flags) for flags in zip(text, punct, title, upper, digit)],
        is_space=space,
        heads=heads,
        kids=kids,
    )


@dataclass
class DocFeatures:
    """Everything about a Doc the taggers need that does not depend on a cue."""

    cue: list[list[str]]  # per token, cue tagger input
    role: list[list[str]]  # per token, cue-independent part of the role tagger input
    quotes: list[int]  # per token, 1 inside a quotation
    sents: list[Span]
    sent_of: list[int]  # token index -> sentence index
    columns: Columns = field(repr=False, compare=False)  # the Doc's arrays, reused per cue


def quote_state(doc: Doc) -> list[int]:
    """Per token: 1 inside a quotation (quote marks included), else 0.

    Straight quotes toggle; curly quotes open/close.  State resets at each
    paragraph break so one unbalanced quote does not poison the article.
    """
    cols = parse_columns(doc)
    return _quote_state(cols.text, cols.is_space)


def _quote_state(text: list[str], is_space: list[int]) -> list[int]:
    """``quote_state`` over columns.

    A paragraph break is a whitespace token holding a newline (spaCy keeps a
    token's trailing whitespace to one space, so the Token-based version's test
    ``"\\n\\n" in tok.whitespace_`` never held).
    """
    state = 0
    out: list[int] = []
    for tok, space in zip(text, is_space):
        if space and "\n" in tok:
            out.append(state)
            state = 0
            continue
        if tok in QUOTES:
            out.append(1)
            state = 1 if (tok in OPEN_QUOTES or (tok in TOGGLING_QUOTES and state == 0)) else 0
            continue
        out.append(state)
    return out


def vector_clusters(vectors, k: int = 256, iterations: int = 12, seed: int = 0):
    """k-means over the model's word vectors: a word class per vector row.

    Gives the taggers a handle on words PolNeAR never showed them.
    Deterministic (fixed seed), so retraining reproduces it.
    """
    import numpy as np

    data = np.asarray(vectors.data, dtype=np.float32)
    data = data / np.maximum(np.linalg.norm(data, axis=1, keepdims=True), 1e-6)
    rng = np.random.default_rng(seed)
    centres = data[rng.choice(len(data), k, replace=False)]
    for _ in range(iterations):
        assign = np.argmax(data @ centres.T, axis=1)
        for c in range(k):
            members = data[assign == c]
            if len(members):
                centre = members.mean(axis=0)
                centres[c] = centre / max(np.linalg.norm(centre), 1e-6)
    return np.argmax(data @ centres.T, axis=1).astype(np.int16)


def _child_features(cols: Columns) -> list[_Kids]:
    """Per token, ``_Kids``, cached per sequence of child labels (a few hundred occur).

    Nothing is built per token: besides the feature lists themselves, every
    container created per token and kept makes Python's garbage collector run
    more often, over the whole process's heap.
    """
    deps = cols.dep
    out = []
    for below in cols.kids:
        labels = tuple([deps[c] for c in below])
        hit = _KIDS.get(labels)
        if hit is None:
            own = sorted({dep for dep in labels if dep in CHILD_DEPS})
            hit = _KIDS[labels] = _Kids(tuple("c=" + dep for dep in own), ",".join(d for d in own if d in CLAUSAL),
                                        tuple("hc=" + dep for dep in labels if dep in CLAUSAL))
        out.append(hit)
    return out


def _sentences(doc: Doc) -> tuple[list[Span], list[int], list[bool], list[bool]]:
    """The sentences, each token's sentence index, and whether a token starts/ends one."""
    sents = list(doc.sents)
    n = len(doc)
    sent_of = [0] * n
    ends = [False] * n
    for k, sent in enumerate(sents):
        sent_of[sent.start : sent.end] = [k] * (sent.end - sent.start)
        ends[sent.end - 1] = True
    starts = [i == 0 or sent_of[i] != sent_of[i - 1] for i in range(n)]
    return sents, sent_of, starts, ends


def doc_features(doc: Doc, clusters: list[int] | None = None) -> DocFeatures:
    """Cue-independent features of every token, for both taggers.

    Every feature list is built from strings cached per word or label (see
    ``Columns``); only those pairing two values (``dhl=``, ``l01=``, ...) are
    formatted per token.
    """
    _trim_caches()
    cols = parse_columns(doc)
    n = len(cols.text)
    quotes = _quote_state(cols.text, cols.is_space)
    sents, sent_of, starts, ends = _sentences(doc)
    n_rows = len(clusters) if clusters is not None else 0
    if n_rows:
        vc = ["vc=%d" % clusters[r] if r < n_rows else "vc=NA" for r in cols.rank]  # word cluster via tok.rank
    else:
        vc = ["vc=NA"] * n
    kids = _child_features(cols)
    lemmas, poses, heads = cols.lemma, cols.pos, cols.heads
    # "nx=" goes on the token before: the next word announces a quotation or reported clause
    nx = [("nx=" + low) if (low == "that" or t in QUOTES or t == ":") else None
          for (low, _), t in zip(cols.lower, cols.text)]
    # "a|b" for each pair of neighbouring lemmas: "l01=" of the first, "l-10=" of the second
    pairs = [a.lemma + "|" + b.lemma for a, b in pairwise(lemmas)]
    cue_feats: list[list[str]] = []
    role_feats: list[list[str]] = []
    for i, ((_, w), lem, pos, dep, shape, ent, q, h, start, end, tag) in enumerate(zip(
            cols.lower, lemmas, poses, cols.dep, cols.shape, cols.ent, quotes, heads, starts, ends, cols.tag)):
        hlem = lemmas[h]
        core = ["b", w, lem.at, pos.at, "d=" + dep, shape, ent, "q=1" if q else "q=0", hlem.head, vc[i]]
        if start:
            core.append("ss")
        if end:
            core.append("se")
        if i:
            core.append(lemmas[i - 1].prev)
            core.append(poses[i - 1].prev)
        else:
            core.append("p-1=NONE")
        if i + 1 < n:
            core.append(lemmas[i + 1].next)
            core.append(poses[i + 1].next)
        else:
            core.append("p1=NONE")
        role_feats.append(core)

        f = [*core, tag, poses[h].head, "dhl=" + dep + "|" + hlem.lemma, "dp=" + dep + "|" + pos.pos]
        own = kids[i]
        f += own.own
        f.append("lc=" + lem.lemma + "|" + own.clausal)
        if h != i:
            f += kids[h].of_head
        if i + 1 < n and nx[i + 1] is not None:
            f.append(nx[i + 1])
        if n_rows:
            f.append("h" + vc[h])  # "hvc=": the head's word cluster
        if i > 1:
            f.append(lemmas[i - 2].prev2)
            f.append(poses[i - 2].prev2)
        else:
            f.append("p-2=NONE")
        if i + 2 < n:
            f.append(lemmas[i + 2].next2)
            f.append(poses[i + 2].next2)
        else:
            f.append("p2=NONE")
        if i + 1 < n:
            f.append("l01=" + pairs[i])
        if i > 0:
            f.append("l-10=" + pairs[i - 1])
        cue_feats.append(f)
    return DocFeatures(cue_feats, role_feats, quotes, sents, sent_of, cols)


def _bucket(d: int) -> str:
    if d <= 3:
        return str(d)
    if d <= 6:
        return "4-6"
    if d <= 12:
        return "7-12"
    if d <= 25:
        return "13-25"
    return "26+"


def _subtree(kids: list[tuple[int, ...]], root: int) -> list[int]:
    """``root`` and its descendants, in ``Token.subtree`` order (left subtrees, root, right subtrees).

    Iterative (a parse of a long run-on "sentence" can be deeper than Python's
    recursion limit); on the stack a token ``t`` is to be expanded, ``~t`` (negative)
    to be emitted.
    """
    out: list[int] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node < 0:
            out.append(~node)
            continue
        below = kids[node]
        if not below:
            out.append(node)
            continue
        split = bisect_left(below, node)  # below[:split] are the left children
        stack.extend(reversed(below[split:]))
        stack.append(~node)
        stack.extend(reversed(below[:split]))
    return out


def tree_relations(doc: Doc, cue_start: int, cue_end: int, cols: Columns | None = None) -> dict[int, str]:
    """How each token of the cue's sentence hangs from the cue in the parse.

    ``CUE`` for the cue itself; ``D:dep`` below the cue (``+`` when deeper than
    its direct dependent); ``A:dep`` for the cue's ancestors; ``X:a>b`` for the
    rest, through the lowest common ancestor (``a`` the cue side, ``b`` the
    token side).  One walk over the sentence per cue.  ``cols``: the Doc's
    ``parse_columns``, when the caller has them already.
    """
    if cols is None:
        cols = parse_columns(doc)
    kids, heads, deps = cols.kids, cols.heads, cols.dep
    labels: dict[int, str] = {i: "CUE" for i in range(cue_start, cue_end)}
    for i in range(cue_start, cue_end):
        for child in kids[i]:
            if child in labels:
                continue
            labels[child] = "D:" + deps[child]
            deeper = "D:%s+" % deps[child]
            for t in _subtree(kids, child):
                if t not in labels:
                    labels[t] = deeper
    prev = doc[cue_start:cue_end].root.i
    node = heads[prev]
    steps = 1
    while node != prev:
        if node not in labels:
            labels[node] = "A:%s%s" % (deps[prev], "" if steps == 1 else "+")
        for child in kids[node]:
            if child == prev or child in labels:
                continue
            label = "X:%s>%s" % (deps[prev], deps[child])
            for t in _subtree(kids, child):
                if t not in labels:
                    labels[t] = label
        prev, node = node, heads[node]
        steps += 1
    return labels


def role_window(feats: DocFeatures, cue_start: int, before: int = 1, after: int = 1,
                max_after: int = 5, max_before: int = 5) -> tuple[int, int]:
    """Token range the role tagger looks at for one cue.

    Sources sit in the cue's sentence; contents mostly too, sometimes in the
    sentence before ("..., X said." when the parser splits at a quote) and
    often several after when a quotation runs on.  So: the previous sentence
    only when the cue opens its sentence, ``after`` sentences forward, and
    further (up to ``max_after``) while a quotation is still open; and when the
    window opens inside a quotation ("“A. B. C,” X said."), back to the sentence
    where that quotation opened (up to ``max_before``).
    """
    sents, quotes, text = feats.sents, feats.quotes, feats.columns.text
    k = feats.sent_of[cue_start]
    if cue_start - sents[k].start > 4 and not quotes[sents[k].start]:
        before = 0
    lo = sents[max(0, k - before)].start
    opening = lo  # inside a quotation, the first quote mark back is the one that opened it
    while opening > 0 and quotes[opening] and text[opening] not in QUOTES:
        opening -= 1
    if quotes[opening] and text[opening] in QUOTES and feats.sent_of[opening] >= k - max_before:
        lo = sents[feats.sent_of[opening]].start
    j = min(len(sents) - 1, k + after)
    while (j < min(len(sents) - 1, k + max_after) and quotes[sents[j].end - 1]
           and not sents[j].text.endswith(SENTENCE_CLOSES_QUOTE)):
        j += 1
    return lo, sents[j].end


def role_features(doc: Doc, feats: DocFeatures, cue_start: int, cue_end: int,
                  win_start: int, win_end: int) -> list[list[str]]:
    """Features of the window tokens relative to one cue (tokens ``cue_start:cue_end``)."""
    cols = feats.columns
    quotes, text = feats.quotes, cols.text
    cl = cols.lemma[doc[cue_start:cue_end].root.i].lemma
    cue_sent = feats.sent_of[cue_start]
    tree = tree_relations(doc, cue_start, cue_end, cols)
    rels = [tree.get(i, "OTHER") for i in range(win_start, win_end)]
    n = len(text)
    after_q = next((quotes[j] for j in range(cue_end, min(cue_end + 3, n)) if text[j] in QUOTES), 0)
    before_q = next((quotes[j] for j in range(cue_start - 1, max(cue_start - 4, -1), -1) if text[j] in QUOTES), 0)
    # The strings below repeat across the window (a handful of relation labels,
    # three sides, a few sentence offsets): each is formatted once per cue.
    by_rel = {rel: ("rel=" + rel, "rel|cl=%s|%s" % (rel, cl), "rel-1=" + rel, "rel+1=" + rel) for rel in set(rels)}
    by_side = {side: ("side=" + side, "side|cl=%s|%s" % (side, cl), ("side|q=%s0" % side, "side|q=%s1" % side))
               for side in "LCR"}
    by_so: dict[int, tuple[str, tuple[str, str]]] = {}
    sent_of = feats.sent_of
    out: list[list[str]] = []
    last = len(rels) - 1
    for k, i in enumerate(range(win_start, win_end)):
        if i < cue_start:
            side, dist = "L", cue_start - i
        elif i >= cue_end:
            side, dist = "R", i - cue_end + 1
        else:
            side, dist = "C", 0
        so = sent_of[i] - cue_sent
        so_strings = by_so.get(so)
        if so_strings is None:
            so_strings = by_so[so] = ("so=%d" % so, ("so|q=%d|0" % so, "so|q=%d|1" % so))
        rel = rels[k]
        q = quotes[i]
        side_at, side_cl, side_q = by_side[side]
        rel_at, rel_cl, _, _ = by_rel[rel]
        f = feats.role[i] + [
            side_at, "dist=" + side + _bucket(dist), so_strings[0], rel_at, rel_cl, side_cl, side_q[q],
            so_strings[1][q], by_rel[rels[k - 1]][2] if k else "rel-1=BOS",
            by_rel[rels[k + 1]][3] if k < last else "rel+1=EOS",
        ]
        if k and rels[k - 1] != rel:
            f.append("relchg=%s>%s" % (rels[k - 1], rel))
        if q and ((side == "R" and after_q) or (side == "L" and before_q)):
            f.append("adjq=" + side)
        out.append(f)
    return out
