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
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

QUOTES = frozenset('"“”«»„‟')
OPEN_QUOTES = frozenset("“«„‟")
CHILD_DEPS = frozenset(("ccomp", "nsubj", "dobj", "xcomp", "mark", "prep", "nsubjpass", "agent", "advcl",
                        "parataxis", "neg", "aux"))
CLAUSAL = frozenset(("ccomp", "xcomp", "parataxis", "nsubj", "dobj"))


@dataclass
class DocFeatures:
    """Everything about a Doc the taggers need that does not depend on a cue."""

    cue: list[list[str]]  # per token, cue tagger input
    role: list[list[str]]  # per token, cue-independent part of the role tagger input
    quotes: list[int]  # per token, 1 inside a quotation
    sents: list[Span]
    sent_of: list[int]  # token index -> sentence index


def quote_state(doc: Doc) -> list[int]:
    """Per token: 1 inside a quotation (quote marks included), else 0.

    Straight quotes toggle; curly quotes open/close.  State resets at each
    paragraph break so one unbalanced quote does not poison the article.
    """
    state = 0
    out: list[int] = []
    for tok in doc:
        text = tok.text
        if "\n\n" in tok.whitespace_ or (tok.is_space and "\n" in text):
            out.append(state)
            state = 0
            continue
        if text in QUOTES:
            out.append(1)
            state = 1 if (text in OPEN_QUOTES or (text == '"' and state == 0)) else 0
            continue
        out.append(state)
    return out


def _shape(tok: Token) -> str:
    if tok.is_punct:
        return "Q" if tok.text in QUOTES else "P"
    if tok.is_title:
        return "T"
    if tok.is_upper:
        return "U"
    if tok.is_digit:
        return "D"
    return "l"


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


def _word_strings(lemma: str) -> tuple[str, str, str, str, str]:
    """The lemma's feature strings at offsets 0, -1, +1, -2, +2 (interned: articles repeat words)."""
    hit = _WORDS.get(lemma)
    if hit is None:
        hit = _WORDS[lemma] = ("l=" + lemma, "l-1=" + lemma, "l1=" + lemma, "l-2=" + lemma, "l2=" + lemma)
    return hit


_WORDS: dict[str, tuple[str, str, str, str, str]] = {}
_POS = {}


def _pos_strings(pos: str) -> tuple[str, str, str, str, str]:
    hit = _POS.get(pos)
    if hit is None:
        hit = _POS[pos] = ("p=" + pos, "p-1=" + pos, "p1=" + pos, "p-2=" + pos, "p2=" + pos)
    return hit


def doc_features(doc: Doc, clusters: list[int] | None = None) -> DocFeatures:
    """Cue-independent features of every token, for both taggers."""
    if len(_WORDS) > 200_000:
        _WORDS.clear()
    quotes = quote_state(doc)
    n_rows = len(clusters) if clusters is not None else 0
    lemmas = [tok.lemma_.lower() for tok in doc]
    words = [_word_strings(lem) for lem in lemmas]
    poses = [_pos_strings(tok.pos_) for tok in doc]
    pos_ = [tok.pos_ for tok in doc]
    sents = list(doc.sents)
    sent_of = [0] * len(doc)
    sent_end = set()
    for k, sent in enumerate(sents):
        sent_of[sent.start : sent.end] = [k] * (sent.end - sent.start)
        sent_end.add(sent.end - 1)
    n = len(doc)
    cue_feats: list[list[str]] = []
    role_feats: list[list[str]] = []
    for i, tok in enumerate(doc):
        lem, pos, dep = lemmas[i], pos_[i], tok.dep_
        head = tok.head
        hlem = lemmas[head.i]
        vc = ("vc=%d" % clusters[tok.rank] if tok.rank < n_rows else "vc=NA") if n_rows else "vc=NA"
        core = ["b", "w=" + tok.lower_, words[i][0], poses[i][0], "d=" + dep, "s=" + _shape(tok),
                "e=" + tok.ent_iob_ + tok.ent_type_, "q=%d" % quotes[i], "hl=" + hlem, vc]
        if i == 0 or sent_of[i] != sent_of[i - 1]:
            core.append("ss")
        if i in sent_end:
            core.append("se")
        if i:
            core += [words[i - 1][1], poses[i - 1][1]]
        else:
            core.append("p-1=NONE")
        if i + 1 < n:
            core += [words[i + 1][2], poses[i + 1][2]]
        else:
            core.append("p1=NONE")
        role_feats.append(core)

        f = core + ["t=" + tok.tag_, "hp=" + pos_[head.i], "dhl=" + dep + "|" + hlem, "dp=" + dep + "|" + pos]
        kids = sorted({c.dep_ for c in tok.children if c.dep_ in CHILD_DEPS})
        f += ["c=" + k for k in kids]
        f.append("lc=%s|%s" % (lem, ",".join(k for k in kids if k in CLAUSAL)))
        if head.i != tok.i:
            f += ["hc=" + c.dep_ for c in head.children if c.dep_ in CLAUSAL]
        if i + 1 < n:
            nxt = doc[i + 1]
            if nxt.lower_ == "that" or nxt.text in QUOTES or nxt.text == ":":
                f.append("nx=" + nxt.lower_)
        if n_rows:
            f.append("hvc=%d" % clusters[head.rank] if head.rank < n_rows else "hvc=NA")
        if i > 1:
            f += [words[i - 2][3], poses[i - 2][3]]
        else:
            f.append("p-2=NONE")
        if i + 2 < n:
            f += [words[i + 2][4], poses[i + 2][4]]
        else:
            f.append("p2=NONE")
        if i + 1 < n:
            f.append("l01=%s|%s" % (lem, lemmas[i + 1]))
        if i > 0:
            f.append("l-10=%s|%s" % (lemmas[i - 1], lem))
        cue_feats.append(f)
    return DocFeatures(cue_feats, role_feats, quotes, sents, sent_of)


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


def tree_relations(doc: Doc, cue_start: int, cue_end: int) -> dict[int, str]:
    """How each token of the cue's sentence hangs from the cue in the parse.

    ``CUE`` for the cue itself; ``D:dep`` below the cue (``+`` when deeper than
    its direct dependent); ``A:dep`` for the cue's ancestors; ``X:a>b`` for the
    rest, through the lowest common ancestor (``a`` the cue side, ``b`` the
    token side).  One walk over the sentence per cue.
    """
    labels: dict[int, str] = {i: "CUE" for i in range(cue_start, cue_end)}
    for i in range(cue_start, cue_end):
        for child in doc[i].children:
            if child.i in labels:
                continue
            labels[child.i] = "D:" + child.dep_
            deeper = "D:%s+" % child.dep_
            for t in child.subtree:
                if t.i not in labels:
                    labels[t.i] = deeper
    prev = doc[cue_start:cue_end].root
    node = prev.head
    steps = 1
    while node.i != prev.i:
        if node.i not in labels:
            labels[node.i] = "A:%s%s" % (prev.dep_, "" if steps == 1 else "+")
        for child in node.children:
            if child.i == prev.i or child.i in labels:
                continue
            label = "X:%s>%s" % (prev.dep_, child.dep_)
            for t in child.subtree:
                if t.i not in labels:
                    labels[t.i] = label
        prev, node = node, node.head
        steps += 1
    return labels


def role_window(feats: DocFeatures, cue_start: int, before: int = 1, after: int = 1,
                max_after: int = 5) -> tuple[int, int]:
    """Token range the role tagger looks at for one cue.

    Sources sit in the cue's sentence; contents mostly too, sometimes in the
    sentence before ("..., X said." when the parser splits at a quote) and
    often several after when a quotation runs on.  So: the previous sentence
    only when the cue opens its sentence, ``after`` sentences forward, and
    further (up to ``max_after``) while a quotation is still open.
    """
    sents, quotes = feats.sents, feats.quotes
    k = feats.sent_of[cue_start]
    if cue_start - sents[k].start > 4 and not quotes[sents[k].start]:
        before = 0
    lo = sents[max(0, k - before)].start
    j = min(len(sents) - 1, k + after)
    while j < min(len(sents) - 1, k + max_after) and quotes[sents[j].end - 1] and sents[j].text[-1:] not in "”\"":
        j += 1
    return lo, sents[j].end


def role_features(doc: Doc, feats: DocFeatures, cue_start: int, cue_end: int,
                  win_start: int, win_end: int) -> list[list[str]]:
    """Features of the window tokens relative to one cue (tokens ``cue_start:cue_end``)."""
    quotes = feats.quotes
    head = doc[cue_start:cue_end].root
    cl = head.lemma_.lower()
    cue_sent = feats.sent_of[cue_start]
    tree = tree_relations(doc, cue_start, cue_end)
    rels = [tree.get(i, "OTHER") for i in range(win_start, win_end)]
    n = len(doc)
    after_q = next((quotes[j] for j in range(cue_end, min(cue_end + 3, n)) if doc[j].text in QUOTES), 0)
    before_q = next((quotes[j] for j in range(cue_start - 1, max(cue_start - 4, -1), -1) if doc[j].text in QUOTES), 0)
    out: list[list[str]] = []
    last = len(rels) - 1
    for k, i in enumerate(range(win_start, win_end)):
        if i < cue_start:
            side, dist = "L", cue_start - i
        elif i >= cue_end:
            side, dist = "R", i - cue_end + 1
        else:
            side, dist = "C", 0
        so = feats.sent_of[i] - cue_sent
        rel = rels[k]
        q = quotes[i]
        f = feats.role[i] + [
            "side=" + side, "dist=" + side + _bucket(dist), "so=%d" % so, "rel=" + rel,
            "rel|cl=%s|%s" % (rel, cl), "side|cl=%s|%s" % (side, cl), "side|q=%s%d" % (side, q),
            "so|q=%d|%d" % (so, q), "rel-1=" + (rels[k - 1] if k else "BOS"),
            "rel+1=" + (rels[k + 1] if k < last else "EOS"),
        ]
        if k and rels[k - 1] != rel:
            f.append("relchg=%s>%s" % (rels[k - 1], rel))
        if q and ((side == "R" and after_q) or (side == "L" and before_q)):
            f.append("adjq=" + side)
        out.append(f)
    return out
