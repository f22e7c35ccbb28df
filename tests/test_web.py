"""The web desk as a reader uses it: the real app over a store filled by claimdesk's own ingest."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from claimdesk import pipeline
from claimdesk.store import Store
from claimdesk.web import create_app

EXAMPLES = Path(__file__).resolve().parents[1] / "src" / "claimdesk" / "examples"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    db = tmp_path_factory.mktemp("web") / "desk.db"
    with Store(f"sqlite:///{db}") as store:
        summary = pipeline.ingest([str(p) for p in sorted(EXAMPLES.iterdir())], store)
        assert not summary.errors
        yield store


@pytest.fixture(scope="module")
def client(store):
    with TestClient(create_app(store)) as client:
        yield client


def test_the_news_line_lists_the_stored_articles(client):
    page = client.get("/")
    assert page.status_code == 200
    assert "Port authority denies dredging contract was rigged" in page.text
