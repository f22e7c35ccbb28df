"""Stored claim vectors name the encoder that made them, and a store meeting another encoder
re-embeds its claims instead of mixing two encoders' vectors (issue 16). A stand-in encoder
(vectors from a digest of the text) keeps these tests fast; SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest
from sqlalchemy import text
from test_claim_groups import BRIDGE, GRAIN, MINES, put  # noqa: F401
from test_store import db_url, store  # noqa: F401  (fixtures)

from claimdesk.corpus import groups as rules
from claimdesk.store import Store, groups


def stand_in(name: str):
    """An encoder called ``name`` whose vectors depend on the name and the text only."""

    def encode(texts):
        rows = [np.frombuffer(hashlib.sha256(f"{name}:{t}".encode()).digest() * 48, dtype=np.uint8)[:384]
                for t in texts]
        vectors = np.asarray(rows, dtype=np.float32).reshape(len(texts), 384) - 127.5
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    encode.id = name
    return encode


@pytest.fixture(autouse=True)
def _cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv(groups.ENV_CACHE, str(tmp_path / "cache"))


def stored(store) -> dict[str, tuple]:
    """claim text -> (encoder, vector) of every claim_index row."""
    with store.engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT i.encoder, i.vector, substr(d.text, c.content_start + 1, c.content_end - c.content_start) "
            "FROM claim_index i JOIN claims c ON c.doc_pk = i.doc_pk AND c.seq = i.seq "
            "JOIN documents d ON d.pk = i.doc_pk")).all()
    return {rules.claim_text(content): (name, np.frombuffer(vector, dtype="<f4")) for name, vector, content in rows}


def made_by(encode, rows: dict[str, tuple]) -> bool:
    texts = sorted(rows)
    return np.allclose(np.stack([rows[t][1] for t in texts]), encode(texts), atol=1e-6)


def test_rows_record_their_encoder_and_another_encoder_reembeds_them(store, monkeypatch):
    first, second = stand_in("encoder-a"), stand_in("encoder-b")
    monkeypatch.setattr(groups, "_encoder", first)
    put(store, [("Mammadov", "claimed", MINES), ("The council", "said", BRIDGE)], outlet="one.example")
    put(store, [("The ministry", "said", GRAIN)], outlet="two.example")
    rows = stored(store)
    assert {name for name, _ in rows.values()} == {"encoder-a"} and made_by(first, rows)
    saved = groups.save(store)
    assert json.loads((saved / "groups.json").read_text())["encoder"] == "encoder-a"

    # another process, another encoder: the rows are embedded again before anything is matched
    monkeypatch.setattr(groups, "_encoder", second)
    with Store(store.url) as again:
        assert groups.reembed(again) == 3
        rows = stored(again)
        assert {name for name, _ in rows.values()} == {"encoder-b"} and made_by(second, rows)
        assert groups.reembed(again) == 0  # nothing left to do
        found = groups.nearest(again, MINES, top=1)
        assert found and found[0].similarity == pytest.approx(1.0, abs=1e-4)
        matcher = groups._index(again).matcher
        held = matcher.vectors.vectors(np.arange(len(matcher)))
        assert np.allclose(held, second([c.text for c in matcher.claims]), atol=1e-6)  # the cache was not reused
        saved = groups.save(again)
        assert json.loads((saved / "groups.json").read_text())["encoder"] == "encoder-b"


def test_rows_of_an_unknown_encoder_are_reembedded_when_the_next_articles_are_grouped(store, monkeypatch):
    encode = stand_in("encoder-a")
    monkeypatch.setattr(groups, "_encoder", encode)
    put(store, [("Mammadov", "claimed", MINES)], outlet="one.example")
    with store.engine.begin() as connection:  # as a store from before revision 0016 holds them
        connection.execute(text("UPDATE claim_index SET encoder = NULL, vector = :v"),
                           {"v": np.zeros(384, dtype="<f4").tobytes()})
    with Store(store.url) as again:
        put(again, [("The ministry", "said", GRAIN)], outlet="two.example")
        rows = stored(again)
        assert {name for name, _ in rows.values()} == {"encoder-a"} and made_by(encode, rows)


def test_fragments_are_stored_without_a_vector_and_never_embedded(store, monkeypatch):
    seen: list[str] = []
    encode = stand_in("encoder-a")

    def watched(texts):
        seen.extend(texts)
        return encode(texts)

    watched.id = "encoder-a"
    monkeypatch.setattr(groups, "_encoder", watched)
    first = put(store, [("Mammadov", "claimed", MINES), ("He", "said", "the effort"), ("She", "said", "Zika funding")],
                outlet="one.example")
    second = put(store, [("The ministry", "said", GRAIN), ("It", "said", "the effort")], outlet="two.example")
    assert groups.fragment("the effort") and not groups.fragment(MINES)
    assert not any(groups.fragment(t) for t in seen) and seen
    with store.engine.connect() as connection:
        rows = connection.execute(text("SELECT reason, length(vector) FROM claim_index ORDER BY pk")).all()
    assert [(reason, size > 0) for reason, size in rows] == [
        ("new", True), ("new", False), ("new", False), ("new", True), ("new", False)]
    assert groups.group_of(store, second, 1) == [] and groups.group_of(store, first, 1) == []  # never grouped
    index = groups._index(store)
    assert index.count == 2 and len(index.matcher) == 2 and index.held == max(_pks(store))
    groups.save(store)
    with Store(store.url) as again:  # the saved cache fits the rows (fragments are not counted)
        put(again, [("Mammadov", "said", MINES)], outlet="three.example")
        assert groups._index(again).count == 3 and groups.reembed(again) == 0


def _pks(store):
    with store.engine.connect() as connection:
        return list(connection.execute(text("SELECT pk FROM claim_index")).scalars())
