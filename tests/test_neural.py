"""The BiLSTM role tagger: BIO decoding, feature hashing, the shipped weights, and that
averaging it with the CRF changes what a reader gets only through the roles."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("pycrfsuite")

from claimdesk.analyze.attribution import ROLE_TAGS, WEIGHTS, load_taggers
from claimdesk.analyze.neural import decode, feature_ids


def probs(*rows: dict[str, float]) -> np.ndarray:
    """Per token, probabilities over ROLE_TAGS (unnamed tags share what is left)."""
    out = []
    for row in rows:
        rest = (1.0 - sum(row.values())) / (len(ROLE_TAGS) - len(row))
        out.append([row.get(tag, rest) for tag in ROLE_TAGS])
    return np.array(out)


def test_decode_never_opens_with_an_inside_tag() -> None:
    # Token by token, I-CON is the likeliest tag, but a content must begin with B-CON.
    p = probs({"I-CON": 0.6, "B-CON": 0.3}, {"I-CON": 0.9})
    assert decode([p], ROLE_TAGS) == [["B-CON", "I-CON"]]


def test_decode_does_not_continue_a_source_as_content() -> None:
    # I-CON right after B-SRC is not allowed: it becomes a new content (B-CON) or stays a source.
    p = probs({"B-SRC": 0.9}, {"I-CON": 0.5, "B-CON": 0.2, "I-SRC": 0.25})
    tags = decode([p], ROLE_TAGS)[0]
    assert tags[0] == "B-SRC" and tags[1] in ("B-CON", "I-SRC")


def test_decode_handles_sequences_of_different_lengths_together() -> None:
    short = probs({"B-CON": 0.9})
    long = probs({"O": 0.9}, {"B-SRC": 0.8}, {"I-SRC": 0.8}, {"O": 0.9})
    assert decode([long, short], ROLE_TAGS) == [["O", "B-SRC", "I-SRC", "O"], ["B-CON"]]
    assert decode([], ROLE_TAGS) == []


def test_feature_ids_are_the_same_in_every_process() -> None:
    """Training and analysis run in different processes: the hash must not be Python's
    salted ``hash``, or a shipped model would read different buckets than it learned."""
    code = "from claimdesk.analyze.neural import feature_ids; print(feature_ids(['l=say', 'rel=D:nsubj']))"
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": str(seed), "PATH": ""}).stdout for seed in (1, 2)}
    assert len(runs) == 1
    assert runs.pop().strip() == str(feature_ids(["l=say", "rel=D:nsubj"]))


def test_shipped_role_tagger_loads_with_its_tag_set() -> None:
    taggers = load_taggers(str(WEIGHTS))
    assert (WEIGHTS / "role_net.pt").exists()
    assert taggers.role_net is not None and taggers.role_net.tags == list(ROLE_TAGS)
    assert 0.0 < taggers.role_net_weight <= 1.0
    # the weights ship inside the package: keep them small
    assert (WEIGHTS / "role_net.pt").stat().st_size < 20_000_000


def test_role_probabilities_are_distributions() -> None:
    from claimdesk.analyze.attribution_features import doc_features, role_features, role_window
    from claimdesk.analyze.neural import context_vectors
    from claimdesk.analyze.nlp import load_nlp

    doc = load_nlp()("The mayor said that the bridge would reopen in May.")
    taggers = load_taggers(str(WEIGHTS))
    feats = doc_features(doc, taggers.clusters)
    cue = (2, 3)  # "said"
    lo, hi = role_window(feats, cue[0])
    bags = [[feature_ids(strings) for strings in role_features(doc, feats, *cue, lo, hi)]]
    (p,) = taggers.role_net.probabilities(bags, [context_vectors(doc)[lo:hi]])
    assert p.shape == (hi - lo, len(ROLE_TAGS))
    assert np.allclose(p.sum(axis=1), 1.0, atol=1e-5)
    tags = decode([p], ROLE_TAGS)[0]
    assert tags[lo + 1] == "I-SRC" or tags[lo + 1] == "B-SRC"  # "mayor"
    assert "B-CON" in tags[cue[1] - lo :]


def test_a_batch_of_documents_gets_the_attributions_each_gets_alone() -> None:
    """The BiLSTM runs the windows of a whole batch together (padded, sorted by length):
    that must not change what any one article yields."""
    from claimdesk.analyze.attribution import extract, extract_batch
    from claimdesk.analyze.nlp import load_nlp

    nlp = load_nlp()
    texts = [
        "Port director Maria Lopez said that the northern pier would reopen in May after repairs.",
        ('The minister spoke to reporters. He said: "The border will stay closed until the inspections '
         'are finished, and nobody will be allowed through." Officials later claimed the decision was temporary.'),
        "",
        "The two delegations had failed to agree on a ceasefire line, a senior diplomat said.",
    ]
    docs = [nlp(t) for t in texts]
    together = extract_batch(docs)
    assert together == [extract(doc) for doc in docs]
    assert together[2] == [] and all(together[i] for i in (0, 1, 3))


def test_context_vectors_are_the_parse_tensor_or_recomputed_alike() -> None:
    """The BiLSTM reads tok2vec's output as the parse left it; a Doc read back without it
    (training's parse cache) gets the same numbers recomputed, so training and analysis agree."""
    from spacy.tokens import DocBin

    from claimdesk.analyze.neural import CONTEXT_WIDTH, context_vectors
    from claimdesk.analyze.nlp import load_nlp

    nlp = load_nlp()
    doc = nlp("Mammadov alleged that the peacekeepers were involved in other activities.")
    assert context_vectors(doc).shape == (len(doc), CONTEXT_WIDTH)
    restored = next(DocBin(attrs=["ORTH", "DEP", "HEAD"], docs=[doc]).get_docs(nlp.vocab))
    assert restored.tensor.shape != (len(doc), CONTEXT_WIDTH)
    assert np.allclose(context_vectors(restored), context_vectors(doc), atol=1e-5)


def test_articles_parsed_in_worker_processes_get_the_same_claims() -> None:
    """``--workers 2`` parses in other processes and sends the Docs back: the contextual
    vectors the BiLSTM reads must come with them (or be recomputed alike)."""
    from claimdesk.analyze import analyze_articles
    from claimdesk.clean import clean
    from claimdesk.model import RawDocument

    texts = [
        ("Harbour strike ends\n\nThe union leader, Ana Ruiz, said on Friday that the strike had ended "
         "because the board had agreed to restore night pay. The board denied that it had made any promise."),
        ("Bridge to reopen\n\nCity engineers claimed the bridge was safe, but residents suspected that "
         "the inspection had been rushed, a local councillor told the Gazette."),
        ("Minister resigns\n\n\"I have done nothing wrong,\" the minister said. \"The accusations are "
         "politically motivated and I will fight them in court.\" Opposition leaders alleged that he had lied."),
    ]

    def claims(workers: int):
        articles = [clean(RawDocument(text=t, format="text", path=f"a{i}.txt")) for i, t in enumerate(texts)]
        return [[(c.source, c.cue, c.content, c.hedge) for c in a.claims] for a in analyze_articles(articles, workers=workers)]

    alone = claims(1)
    assert all(alone)
    assert claims(2) == alone
