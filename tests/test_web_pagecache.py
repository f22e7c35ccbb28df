"""The page cache under concurrent readers: a page not kept yet is rendered once for all
who ask for it at the same time (single flight), and every one of them gets it."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from claimdesk.web import create_app
from claimdesk.web.pagecache import PageCache
from test_web_queries import add


@pytest.fixture
def app(tmp_path):
    from claimdesk.store import Store

    with Store(f"sqlite:///{tmp_path / 'p.db'}") as store:
        add(store, 1, outlet="Herald", published="2024-01-10", speaker="Anna Brook", cue="said",
            content="the bridge would reopen in May", hedge="states")
        add(store, 2, outlet="Courier", published="2024-03-05", speaker="Tomas Weller", cue="claimed",
            content="that Anna Brook had ignored the engineers", hedge="claims", mention="Anna Brook")
        yield create_app(store)


def _slow_renders(monkeypatch, seconds: float) -> None:
    """Every render starts ``seconds`` late, so that the other readers arrive while it runs."""
    real = PageCache._render

    async def slow(self, render):
        await asyncio.sleep(seconds)
        return await real(self, render)

    monkeypatch.setattr(PageCache, "_render", slow)


async def _get_all(app, urls: list[str]) -> list[httpx.Response]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://desk") as client:
        return await asyncio.gather(*(client.get(url) for url in urls))


def test_readers_asking_at_once_for_a_page_not_kept_wait_for_one_render(app, monkeypatch):
    _slow_renders(monkeypatch, 0.2)
    responses = asyncio.run(_get_all(app, ["/speakers/Anna%20Brook"] * 8 + ["/"] * 4))
    assert [r.status_code for r in responses] == [200] * 12
    assert len({r.text for r in responses[:8]}) == 1 and "Anna Brook" in responses[0].text
    assert len({r.text for r in responses[8:]}) == 1 and "News line" in responses[8].text
    assert app.state.page_cache.renders == 2  # one render per page, not 12


def test_a_page_that_cannot_be_kept_is_rendered_for_each_reader(app, monkeypatch):
    _slow_renders(monkeypatch, 0.1)
    # (an unknown speaker is a 404 before any render: an unknown article is found missing while rendering)
    responses = asyncio.run(_get_all(app, ["/articles/ffffeeeeddddcccc"] * 3))
    assert [r.status_code for r in responses] == [404] * 3  # an error page is not kept: each reader's own
    assert app.state.page_cache.renders == 3
