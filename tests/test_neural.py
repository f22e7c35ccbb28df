"""The BiLSTM-CRF role tagger: decoding (BIO and learned transitions), feature hashing,
the shipped weights, its input (words, contextual vectors and the role CRF's marginals),
its sequence loss, and its training on marginals from role CRFs that did not see the
article."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("pycrfsuite")

from claimdesk.analyze.attribution import ROLE_TAGS, WEIGHTS, bio_spans, load_taggers, marginals
from claimdesk.analyze.neural import CONTEXT_WIDTH, decode, dense, feature_ids


def probs(*rows: dict[str, float]) -> np.ndarray:
    """Per token, log probabilities over ROLE_TAGS (unnamed tags share what is left)."""
    out = []
    for row in rows:
        rest = (1.0 - sum(row.values())) / (len(ROLE_TAGS) - len(row))
        out.append([row.get(tag, rest) for tag in ROLE_TAGS])
    return np.log(np.array(out))


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


def test_decode_follows_the_learned_transitions() -> None:
    # Alone, each token leans to opening a content of its own; a CRF layer that learned
    # contents run on (B-CON -> I-CON scores high) joins them into one.
    p = probs({"B-CON": 0.5, "I-CON": 0.4}, {"B-CON": 0.5, "I-CON": 0.4})
    assert decode([p], ROLE_TAGS) == [["B-CON", "B-CON"]]
    transitions = np.zeros((len(ROLE_TAGS), len(ROLE_TAGS)))
    transitions[ROLE_TAGS.index("B-CON"), ROLE_TAGS.index("I-CON")] = 1.0
    assert decode([p], ROLE_TAGS, transitions) == [["B-CON", "I-CON"]]
    # a learned closing score decides the last tag, and BIO still holds under any scores
    end = np.zeros(len(ROLE_TAGS))
    end[ROLE_TAGS.index("O")] = 5.0
    assert decode([p], ROLE_TAGS, transitions, end=end)[0][-1] == "O"
    start = np.full(len(ROLE_TAGS), -5.0)
    start[ROLE_TAGS.index("I-CON")] = 50.0
    assert decode([p], ROLE_TAGS, transitions, start)[0][0] != "I-CON"


def test_sequence_nll_is_the_negative_log_of_the_gold_path_probability() -> None:
    """The training loss against brute force: enumerate every path of a short window."""
    import itertools

    import torch

    from claimdesk.analyze.neural import make_net
    from claimdesk.train.neural import sequence_nll

    torch.manual_seed(0)
    net = make_net(len(ROLE_TAGS))
    with torch.no_grad():
        for param in (net.transitions, net.start, net.end):
            param.normal_()
    k = len(ROLE_TAGS)
    emissions = torch.randn(2, 3, k)
    gold = torch.tensor([[1, 2, 0], [3, 4, -100]])  # the second window is two tokens long
    lengths = torch.tensor([3, 2])

    def path_score(b: int, path: tuple[int, ...]) -> torch.Tensor:
        score = net.start[path[0]] + net.end[path[-1]] + sum(emissions[b, t, y] for t, y in enumerate(path))
        return score + sum(net.transitions[a, c] for a, c in zip(path, path[1:]))

    expected = 0.0
    for b, n in enumerate(lengths.tolist()):
        log_z = torch.logsumexp(torch.stack([path_score(b, p) for p in itertools.product(range(k), repeat=n)]), 0)
        expected += log_z - path_score(b, tuple(gold[b, :n].tolist()))
    got = sequence_nll(net, emissions, gold, lengths)
    assert torch.allclose(got, expected / lengths.sum(), atol=1e-5)


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
    # it reads each token's contextual vector and the role CRF's marginal of every tag
    assert taggers.role_net.net.proj.in_features == CONTEXT_WIDTH + len(ROLE_TAGS)
    # and its CRF layer learned that an inside tag continues its own role, not another's
    b_src, i_src, b_con, i_con = (ROLE_TAGS.index(t) for t in ("B-SRC", "I-SRC", "B-CON", "I-CON"))
    transitions = taggers.role_net.transitions
    assert transitions[b_con, i_con] > transitions[b_src, i_con]
    assert transitions[b_src, i_src] > transitions[b_con, i_src]
    # the weights ship inside the package: keep them small
    assert (WEIGHTS / "role_net.pt").stat().st_size < 20_000_000


def _window_inputs(doc, cue: tuple[int, int]):
    """What ``attribution`` gives the BiLSTM for one cue's window: bucket ids, dense inputs."""
    from claimdesk.analyze.attribution_features import doc_features, role_features, role_window
    from claimdesk.analyze.neural import context_vectors

    taggers = load_taggers(str(WEIGHTS))
    feats = doc_features(doc, taggers.clusters)
    lo, hi = role_window(feats, cue[0])
    strings = role_features(doc, feats, *cue, lo, hi)
    taggers.role.set(strings)
    return lo, hi, [feature_ids(s) for s in strings], dense(context_vectors(doc)[lo:hi], marginals(taggers.role, hi - lo))


def test_the_role_tagger_tags_a_plain_report() -> None:
    from claimdesk.analyze.nlp import load_nlp

    doc = load_nlp()("The mayor said that the bridge would reopen in May.")
    taggers = load_taggers(str(WEIGHTS))
    cue = (2, 3)  # "said"
    lo, hi, bag, inputs = _window_inputs(doc, cue)
    (scores,) = taggers.role_net.scores([bag], [inputs])
    assert scores.shape == (hi - lo, len(ROLE_TAGS)) and np.isfinite(scores).all()
    tags = taggers.role_net.tag([bag], [inputs])[0]
    (source,) = bio_spans(tags, "SRC", lo)
    (content,) = bio_spans(tags, "CON", lo)
    assert doc[source[0] : source[1]].text in ("mayor", "The mayor")
    assert doc[content[0] : content[1]].text.removeprefix("that ").rstrip(".") == "the bridge would reopen in May"


def test_the_crf_marginals_steer_the_second_opinion() -> None:
    """The BiLSTM learned where the CRF errs from the CRF's marginals: told that the CRF
    saw no content at all, it scores content lower than when given the real ones."""
    from claimdesk.analyze.nlp import load_nlp

    doc = load_nlp()("The mayor said that the bridge would reopen in May.")
    taggers = load_taggers(str(WEIGHTS))
    lo, hi, bag, inputs = _window_inputs(doc, (2, 3))
    blind = inputs.copy()
    blind[:, CONTEXT_WIDTH:] = np.eye(len(ROLE_TAGS))[ROLE_TAGS.index("O")]  # the CRF sure every token is O
    real, told_o = taggers.role_net.scores([bag, bag], [inputs, blind])
    content, other = [ROLE_TAGS.index("B-CON"), ROLE_TAGS.index("I-CON")], ROLE_TAGS.index("O")

    def lead(scores: np.ndarray) -> float:  # how far content leads O after the cue
        after_cue = scores[3 - lo : hi - lo]
        return float((after_cue[:, content].max(axis=1) - after_cue[:, other]).sum())

    assert lead(real) > lead(told_o)


def test_cross_fitting_keeps_every_annotation_of_a_text_in_one_fold() -> None:
    """The BiLSTM's training marginals come from a role CRF that never saw the article; a
    text annotated twice must not have one annotator's copy on each side."""
    from claimdesk.train.attributions import FOLDS, fold_of
    from claimdesk.train.polnear import GoldArticle

    names = [f"article-{i:03d}" for i in range(40)]
    folds = {name: fold_of(GoldArticle(name, "ann1", "text")) for name in names}
    assert all(fold_of(GoldArticle(name, "ann2", "other copy")) == folds[name] for name in names)
    assert set(folds.values()) == set(range(FOLDS))  # every fold holds articles


def test_training_the_role_bilstm_on_held_out_marginals(tmp_path) -> None:
    """The training path end to end on a few short articles: held-out role CRFs, their
    marginals next to the contextual vectors, a BiLSTM that loads and tags."""
    from claimdesk.analyze.attribution_features import doc_features
    from claimdesk.analyze.neural import NeuralTagger
    from claimdesk.analyze.nlp import load_nlp
    from claimdesk.analyze.parse import with_paragraphs
    from claimdesk.train import attributions as train
    from claimdesk.train.polnear import GoldArticle, GoldAttribution, RoleSpan

    def article(name: str, speaker: str, content: str) -> GoldArticle:
        text = f"{speaker} said that {content}."
        cue = text.index(" said") + 1
        return GoldArticle(name, "a", text, [GoldAttribution(
            RoleSpan(0, len(speaker)), RoleSpan(cue, cue + 4), RoleSpan(cue + 5, len(text) - 1))])

    articles = [article(f"t{i}", speaker, content) for i, (speaker, content) in enumerate([
        ("The mayor", "the bridge would reopen in May"), ("Anna Berg", "prices had risen"),
        ("The union", "the strike was over"), ("Officials", "the port stayed closed"),
        ("The minister", "talks would resume"), ("Doctors", "the clinic needed staff")])]
    nlp = with_paragraphs(load_nlp())
    docs = [nlp(a.text) for a in articles]
    feats = {id(doc): doc_features(doc) for doc in docs}
    assert {train.fold_of(a) for a in articles} == set(range(train.FOLDS))
    heldout = train.train_heldout_role_crfs(articles, docs, feats, tmp_path)
    assert len(heldout) == train.FOLDS
    report = train.train_role_net(articles, docs, feats, tmp_path / "role_net.pt", heldout)
    assert report["sequences"] == len(articles)
    tagger = NeuralTagger(tmp_path / "role_net.pt")
    assert tagger.tags == list(ROLE_TAGS)
    assert tagger.net.proj.in_features == CONTEXT_WIDTH + len(ROLE_TAGS)


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

    from claimdesk.analyze.neural import context_vectors
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
