"""The attribution features read the Doc column-wise (``Doc.to_array``) instead of through
spaCy Token objects, for speed.  The trained CRF and BiLSTM weights depend on the exact
feature strings, so what the columns say must be what the Token API says."""

from __future__ import annotations

import pytest

pytest.importorskip("spacy")

from claimdesk.analyze.attribution_features import (
    CHILD_DEPS,
    CLAUSAL,
    _subtree,
    doc_features,
    parse_columns,
    quote_state,
    role_features,
    role_window,
    tree_relations,
)
from claimdesk.analyze.nlp import load_nlp

ARTICLE = (
    "WASHINGTON (Reuters) - Senator John McCain told CNN on Tuesday that the U.S. economy grew 3.5% in 2014, "
    "and he said: “We will not back down.”\n\n"
    "\"I don't know,\" a spokesman for the White House said, \"but maybe.\" THE REPORT, according to "
    "officials, claimed that 42 people died.\n\n"
    "An unbalanced “quote opens here and the paragraph ends.\n\nThis sentence is outside it."
)


@pytest.fixture(scope="module")
def doc():
    return load_nlp()(ARTICLE)


def test_columns_say_what_the_token_api_says(doc) -> None:
    cols = parse_columns(doc)
    assert len(cols.text) == len(doc)
    for tok in doc:
        i = tok.i
        assert cols.text[i] == tok.text and cols.lower[i] == (tok.lower_, "w=" + tok.lower_)
        assert cols.lemma[i].lemma == tok.lemma_.lower() and cols.pos[i].pos == tok.pos_
        assert cols.tag[i] == "t=" + tok.tag_ and cols.dep[i] == tok.dep_
        assert cols.ent[i] == "e=" + tok.ent_iob_ + tok.ent_type_
        assert cols.rank[i] == tok.rank
        assert cols.heads[i] == tok.head.i
        assert cols.kids[i] == tuple(c.i for c in tok.children)
        assert _subtree(cols.kids, i) == [t.i for t in tok.subtree]
        assert bool(cols.is_space[i]) == tok.is_space
    assert any(t.ent_type_ for t in doc), "the article should carry named entities"


def test_child_label_features_follow_the_parse(doc) -> None:
    feats = doc_features(doc)
    for tok in doc:
        kids = sorted({c.dep_ for c in tok.children if c.dep_ in CHILD_DEPS})
        expected = ["c=" + k for k in kids]
        expected.append("lc=%s|%s" % (tok.lemma_.lower(), ",".join(k for k in kids if k in CLAUSAL)))
        if tok.head.i != tok.i:
            expected += ["hc=" + c.dep_ for c in tok.head.children if c.dep_ in CLAUSAL]
        f = feats.cue[tok.i]
        got = [x for x in f if x.startswith(("c=", "lc=", "hc="))]
        assert got == expected, tok.text


def test_neighbour_and_sentence_features(doc) -> None:
    feats = doc_features(doc)
    sents = list(doc.sents)
    assert [(s.start, s.end) for s in feats.sents] == [(s.start, s.end) for s in sents]
    for tok in doc:
        f = feats.cue[tok.i]
        assert f[:3] == ["b", "w=" + tok.lower_, "l=" + tok.lemma_.lower()]
        assert "hl=" + tok.head.lemma_.lower() in f and "hp=" + tok.head.pos_ in f
        assert ("ss" in f) == tok.is_sent_start and ("se" in f) == (tok.i + 1 == tok.sent.end)
        if tok.i:
            assert "l-1=" + doc[tok.i - 1].lemma_.lower() in f
        if tok.i + 1 < len(doc):
            assert "p1=" + doc[tok.i + 1].pos_ in f
        assert feats.role[tok.i] == f[: len(feats.role[tok.i])]


def test_quotes_open_close_and_reset_at_paragraphs(doc) -> None:
    q = quote_state(doc)
    text = [t.text for t in doc]
    inside_curly = text.index("We")
    assert q[inside_curly] == 1 and q[text.index("told")] == 0
    assert q[text.index("know")] == 1 and q[text.index("spokesman")] == 0 and q[text.index("maybe")] == 1
    # the unbalanced curly quote does not leak past its paragraph
    assert q[text.index("paragraph")] == 1 and q[text.index("outside")] == 0


def test_role_features_per_cue_use_the_tree(doc) -> None:
    feats = doc_features(doc)
    said = next(t for t in doc if t.text == "said")
    lo, hi = role_window(feats, said.i)
    rows = role_features(doc, feats, said.i, said.i + 1, lo, hi)
    tree = tree_relations(doc, said.i, said.i + 1)
    assert len(rows) == hi - lo
    for i, row in zip(range(lo, hi), rows):
        assert "rel=" + tree.get(i, "OTHER") in row
        assert row[: len(feats.role[i])] == feats.role[i]
    subject = next(c for c in said.children if c.dep_ == "nsubj")
    assert tree[subject.i] == "D:nsubj"


def test_ascii_double_apostrophes_are_quote_marks() -> None:
    """Texts typeset ASCII-only quote with '' (spaCy keeps it one token); it toggles like '"'."""
    doc = load_nlp()("Mr. Kamin disagreed. ''It is basically a tax increase,'' he said on Friday.")
    q = quote_state(doc)
    text = [t.text for t in doc]
    assert q[text.index("basically")] == 1
    assert q[text.index("he")] == 0 and q[text.index("Kamin")] == 0


def _window_text(doc, cue: str) -> str:
    feats = doc_features(doc)
    token = next(t for t in doc if t.text == cue)
    lo, hi = role_window(feats, token.i)
    return doc[lo:hi].text


@pytest.mark.parametrize("open_mark, close_mark", [("“", "”"), ('"', '"'), ("''", "''")])
def test_window_reaches_back_to_where_the_quotation_before_the_cue_opened(open_mark, close_mark) -> None:
    doc = load_nlp()(
        "The hearing ended early. "
        f"{open_mark}Taxes will rise. Wages will fall. Nobody will gain from any of it,{close_mark} "
        "Senator Jane Doe said on Friday. The vote is next week."
    )
    window = _window_text(doc, "said")
    assert window.startswith(open_mark + "Taxes will rise.") and "Jane Doe said" in window
    assert "hearing" not in window


@pytest.mark.parametrize("open_mark, close_mark", [("“", "”"), ("''", "''")])
def test_window_runs_on_while_the_quotation_after_the_cue_is_open(open_mark, close_mark) -> None:
    doc = load_nlp()(
        "Mr. Cole said on Monday. "
        f"{open_mark}It is not reform. It adds complexity. It is a tax increase.{close_mark} "
        "The plan was published in May. Its costs are unknown."
    )
    window = _window_text(doc, "said")
    assert window.rstrip().endswith("tax increase." + close_mark)
    assert "published" not in window
