"""The claim matcher: repeats of a claim find it, the files the CLI reads, the index's life cycle.

Claims and queries are written for these tests. The embedding model loads once for the module.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from typer.testing import CliRunner

from claimdesk.cli import app
from claimdesk.corpus import match as match_module
from claimdesk.corpus.lexical import LexicalIndex, tokens
from claimdesk.corpus.match import (BadRow, Claim, Match, Matcher, fuse, query_text, read_claims,
                                    read_queries, trec_lines)

CLAIMS = [
    Claim("vax", "A vaccine against the flu makes people magnetic.", "Does the Flu Shot Make You Magnetic?"),
    Claim("shark", "A shark was photographed swimming on a flooded highway in Houston after the hurricane.",
          "Shark on a Houston Freeway?"),
    Claim("moon", "The Apollo moon landings were filmed in a television studio.", "Were the Moon Landings Staged?"),
    Claim("bridge", "The city council secretly sold the old stone bridge to a foreign investor.", ""),
    Claim("mayor", "Mayor Linda Okafor banned dogs from every public park in the city.", "Did a Mayor Ban Dogs From Parks?"),
    Claim("coin", "The central bank will stop printing the one euro note next month.", "Is the One Euro Note Ending?"),
]

PARAPHRASES = {
    "vax": "My cousin says the flu jab turned her arm into a magnet lol https://t.co/xyz",
    "shark": "Unbelievable!!! A great white swimming down the flooded freeway in Houston after the storm pic.twitter.com/abc",
    "moon": "They faked Apollo. The astronauts never left Earth, it was all shot on a TV set.",
    "mayor": "Okafor just made it illegal to walk your dog in any park in town #DogBan",
}

runner = CliRunner()


@pytest.fixture(scope="module")
def encode():
    return match_module.default_encoder()


@pytest.fixture(scope="module")
def matcher(encode):
    m = Matcher(encode)
    m.add(CLAIMS)
    return m


def test_paraphrases_find_their_claim_first(matcher):
    results = matcher.match(list(PARAPHRASES.values()), top=3)
    assert [r[0].claim.id for r in results] == list(PARAPHRASES)
    assert all(r[0].similarity > 0.4 for r in results)


def test_unrelated_queries_score_low(matcher):
    [related], [unrelated] = (matcher.match([t], top=1) for t in
                              (PARAPHRASES["moon"], "Our bakery now opens at seven with fresh sourdough every morning."))
    assert unrelated[0].similarity < 0.3 < related[0].similarity
    assert matcher.match(["Sourdough bread recipes for beginners"], min_similarity=0.4) == [[]]


def test_matches_are_ordered_and_carry_claims(matcher):
    [matches] = matcher.match([PARAPHRASES["shark"]], top=5)
    assert len(matches) == 5 and all(isinstance(m, Match) for m in matches)
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    assert matches[0].claim == CLAIMS[1]


def test_index_grows_and_round_trips_through_a_folder(encode, tmp_path):
    m = Matcher(encode)
    assert m.add(CLAIMS[:3]) == 3
    assert m.add(CLAIMS[3:] + CLAIMS[:1]) == 3  # "vax" is already there: skipped
    assert len(m) == 6
    query = PARAPHRASES["mayor"]
    before = m.match([query])
    m.save(tmp_path / "idx")
    loaded = Matcher.load(tmp_path / "idx", encode)
    assert loaded.match([query]) == before
    added = Claim("eel", "Electric eels were found living in the city's water pipes.", "Eels in the Pipes?")
    assert loaded.add([added]) == 1
    assert loaded.match(["They found electric eels inside the water pipes of the city!"])[0][0].claim == added
    assert loaded.match([query])[0][0].claim.id == "mayor"


def test_the_graph_grows_past_its_first_capacity(encode):
    m = Matcher(encode)
    claims = [Claim(f"n{i}", f"Claim number {i} about the harbour crane.") for i in range(20)]
    for i in range(0, 20, 10):  # the graph starts with room for 16
        m.add(claims[i:i + 10], batch=5)
    assert len(m) == len(m.vectors) == len(m.lexical) == 20
    assert m.vectors._index.get_max_elements() >= 20


def test_empty_matcher_and_empty_queries(encode):
    assert Matcher(encode).match(["anything"]) == [[]]
    assert Matcher(encode).match([]) == []


def test_fuse_adds_reciprocal_ranks_and_prefers_the_lexical_order_on_ties():
    fused = fuse([7, 3, 9], [3, 7, 5], k=5, dense_weight=1.0)
    assert [n for n, _ in fused] == [7, 3, 9, 5]  # 7 and 3 tie: the lexical list decides
    fused = fuse([7, 3], [3, 7], k=5, dense_weight=0.9)
    assert [n for n, _ in fused] == [7, 3]
    assert fused[0][1] == pytest.approx(1 / 6 + 0.9 / 7)
    assert fuse([], []) == []


def test_query_text_drops_links_only():
    assert query_text("Sharks! https://t.co/Ab1 pic.twitter.com/x — Ann (@ann) May 1, 2020") == \
        "Sharks! — Ann (@ann) May 1, 2020"


def test_tokens_split_hashtags_fold_accents_and_drop_stop_words():
    assert tokens("#AustralianFires: the Café isn't open") == ["australian", "fires", "cafe", "isn't", "open"]
    assert tokens("Trump's wall, no") == ["trump", "wall", "no"]


def test_bm25_ranks_the_rarer_word_higher_and_round_trips(tmp_path):
    index = LexicalIndex()
    index.add([tokens("the bridge was sold"), tokens("the bridge was painted"), tokens("a ferry was sold")])
    assert [n for n, _ in index.top(tokens("bridge sold"), 3)] == [0, 1, 2]
    assert index.top(tokens("zeppelin"), 3) == []
    index.save(tmp_path)
    again = LexicalIndex.load(tmp_path)
    assert again.top(tokens("bridge sold"), 3) == index.top(tokens("bridge sold"), 3)
    again.add([tokens("bridge sold bridge sold")])
    assert again.top(tokens("bridge sold"), 1)[0][0] == 3


def rows(text: str) -> list:
    return list(read_claims(text.splitlines(keepends=True)))


def test_claims_reader_skips_the_header_and_reads_quotes():
    got = rows('\tvclaim\ttitle\n'
               '1\t"A ""quoted"" word"\tA title\n'
               '2\t"A claim broken\nover two lines"\t\n'
               '3\tNo title at all\n')
    assert got == [Claim("1", 'A "quoted" word', "A title"), Claim("2", "A claim broken\nover two lines", ""),
                   Claim("3", "No title at all")]


def test_claims_reader_reports_bad_rows_with_their_line():
    got = rows("id\ttext\ttitle\n"
               "1\tfine\tok\n"
               "2\ttoo\tmany\tfields\n"
               "\tno id\tx\n"
               "4\t\tx\n"
               "onlyone\n"
               "1\trepeated id\tx\n"
               "\n"
               "7\tlast one\n")
    assert got == [Claim("1", "fine", "ok"), BadRow(3, "4 fields, expected 2 to 3"), BadRow(4, "empty id"),
                   BadRow(5, "empty text"), BadRow(6, "1 fields, expected 2 to 3"), BadRow(7, "repeated id '1'"),
                   Claim("7", "last one")]


def test_queries_reader_wants_two_fields():
    got = list(read_queries(["tweet_id\ttweet_content\n", "a\tsome text\n", "b\ttext\textra\n"]))
    assert got == [("a", "some text"), BadRow(3, "3 fields, expected 2")]


def test_trec_lines_have_six_fields_and_falling_scores():
    c = Claim("x", "t")
    lines = trec_lines("q1", [Match(c, 0.3, 0.9), Match(Claim("y", "u"), 0.3, 0.8), Match(Claim("z", "v"), 0.1, 0.1)])
    fields = [line.split("\t") for line in lines]
    assert [f[:4] for f in fields] == [["q1", "Q0", "x", "1"], ["q1", "Q0", "y", "2"], ["q1", "Q0", "z", "3"]]
    scores = [float(f[4]) for f in fields]
    assert scores[0] > scores[1] > scores[2] and all(f[5] == "claimdesk" for f in fields)


@pytest.fixture
def cli_files(tmp_path, encode, monkeypatch):
    monkeypatch.setattr(match_module, "default_encoder", lambda threads=None: encode)
    claims = tmp_path / "claims.tsv"
    claims.write_text("\tvclaim\ttitle\n" + "".join(f"{c.id}\t{c.text}\t{c.title}\n" for c in CLAIMS)
                      + "bad row without enough fields\n", encoding="utf-8")
    queries = tmp_path / "queries.tsv"
    queries.write_text("\ttweet_content\n" + "".join(f"q{i}\t{t}\n" for i, t in enumerate(PARAPHRASES.values()))
                       + "q9\n", encoding="utf-8")
    return claims, queries


def test_cli_writes_trec_lines_and_names_bad_rows(cli_files, tmp_path):
    claims, queries = cli_files
    run = tmp_path / "run.txt"
    result = runner.invoke(app, ["match", "--against", str(claims), str(queries), "--out", str(run), "--top", "2"])
    assert result.exit_code == 1
    assert f"{claims}:8:" in result.stderr and f"{queries}:6:" in result.stderr
    lines = run.read_text().splitlines()
    assert len(lines) == 2 * len(PARAPHRASES)
    for line in lines:
        assert re.fullmatch(r"q\d\tQ0\t\w+\t[12]\t-?\d+\.\d+\tclaimdesk", line)
    firsts = [line.split("\t")[2] for line in lines if line.split("\t")[3] == "1"]
    assert firsts == list(PARAPHRASES)


def test_cli_matches_one_text_readably_and_saves_the_index(cli_files, tmp_path):
    claims, _ = cli_files
    claims.write_text("\n".join(claims.read_text().splitlines()[:-1]) + "\n")  # only good rows
    result = runner.invoke(app, ["match", PARAPHRASES["moon"], "--against", str(claims), "--top", "1",
                                 "--save", str(tmp_path / "idx")])
    assert result.exit_code == 0, result.output
    assert "moon" in result.stdout and "Apollo" in result.stdout
    again = runner.invoke(app, ["match", PARAPHRASES["vax"], "--against", str(tmp_path / "idx"), "--top", "1"])
    assert again.exit_code == 0 and "vax" in again.stdout


def test_cli_says_when_the_claims_file_is_missing(tmp_path):
    result = runner.invoke(app, ["match", "text", "--against", str(tmp_path / "none.tsv")])
    assert result.exit_code == 2 and "none.tsv" in result.stderr


# The fine-tuned encoder: shipped layers, their id, and indexes made by another encoder.


def test_dense_document_is_text_then_title():
    assert match_module.dense_document(Claim("a", "Text.", "Title")) == "Text. Title"
    assert match_module.dense_document(Claim("b", "Text only.", "")) == "Text only."


def test_shipped_layers_are_small_recorded_and_loaded_over_the_base_model():
    import json

    from safetensors.torch import load_file

    path = match_module.WEIGHTS / match_module.WEIGHTS_FILE
    assert path.exists() and path.stat().st_size < 15_000_000
    provenance = json.loads((match_module.WEIGHTS / "provenance.json").read_text())
    assert {"data", "command", "seed", "date", "recipe"} <= set(provenance)
    shipped = load_file(str(path))
    model = match_module.tuned_model()
    state = model[0].auto_model.state_dict()
    for name, tensor in shipped.items():
        assert np.allclose(state[name].numpy(), tensor.float().numpy())
    assert match_module.encoder_id().startswith("all-MiniLM-L6-v2+")


def test_encoder_id_follows_the_weights(tmp_path):
    assert match_module.encoder_id(tmp_path) == "all-MiniLM-L6-v2"  # no layers shipped: the base model
    (tmp_path / match_module.WEIGHTS_FILE).write_bytes(b"one")
    first = match_module.encoder_id(tmp_path)
    (tmp_path / match_module.WEIGHTS_FILE).write_bytes(b"two")
    assert first != match_module.encoder_id(tmp_path)


def _fake_encoder(name: str):
    def encode(texts):
        vectors = np.zeros((len(texts), 8), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in tokens(t):
                vectors[i, hash(w) % 8] += 1
        return vectors + 1e-3
    encode.id = name
    return encode


def test_an_index_made_by_another_encoder_is_refused(tmp_path):
    m = Matcher(_fake_encoder("one"))
    m.add(CLAIMS)
    m.save(tmp_path / "idx")
    assert len(Matcher.load(tmp_path / "idx", _fake_encoder("one"))) == len(CLAIMS)
    with pytest.raises(ValueError, match="rebuild"):
        Matcher.load(tmp_path / "idx", _fake_encoder("two"))


def test_training_split_encodes_as_the_model_does(encode):
    from claimdesk.analyze.headline_model import sentence_model
    from claimdesk.train.matcher import Split

    model = sentence_model()
    texts = [PARAPHRASES["vax"], match_module.dense_document(CLAIMS[0]), "hi"]
    expected = model.encode(texts, normalize_embeddings=True)
    assert np.abs(Split(model, 3).encode(texts) - expected).max() < 1e-3
