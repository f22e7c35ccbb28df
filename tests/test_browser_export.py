"""A reader narrows the news line in a real browser and takes the result away: after each
filter the address bar is the page shown (so a shared link shows the same), Back and
Forward walk through the pages seen, and the claims CSV downloaded for the filter holds
the claims of the articles shown. Playwright driving Debian's chromium against
``claimdesk serve`` (the browser fixture and helpers of test_browser.py)."""

from __future__ import annotations

import csv
import io
import subprocess
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from test_browser import CSP_WATCH, browser, claimdesk, free_port  # noqa: F401 (browser: a fixture)
from test_export import add

from claimdesk.store import Store

ARTEFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "browser-export"

try:
    from playwright.sync_api import expect
except ImportError:  # pragma: no cover - the test extra installs it
    expect = None


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    """``claimdesk serve`` over four articles of three outlets."""
    folder = tmp_path_factory.mktemp("browser-export")
    db = folder / "desk.db"
    with Store(f"sqlite:///{db}") as store:
        add(store, 1, [("Anna Brook", "claims", "that the bridge will reopen in May", 0.3)],
            outlet="Gazette", published="2024-05-01")
        add(store, 2, [("Tomas Weller", "denies", "that the harbour is closed", 0.8),
                       ("Ivo Rand", "states", "that the harbour fee doubled", 0.6)],
            outlet="Courier", published="2024-04-01")
        add(store, 3, [("Ivo Rand", "claims", "that the ferry fleet is old", 0.6)], outlet="Courier", published="2024-03-01")
        add(store, 4, [("Mila Voss", "states", "that ferries run at night", 0.1)], outlet="Herald", published="2024-02-01")
    port = free_port()
    log = (folder / "serve.log").open("w")
    server = subprocess.Popen(claimdesk("serve", "--db", str(db), "--port", str(port)), stdout=log,
                              stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if server.poll() is not None:
                pytest.fail(f"claimdesk serve exited:\n{(folder / 'serve.log').read_text()}")
            try:
                if httpx.get(url + "/", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("claimdesk serve did not answer within 120 s")
            time.sleep(0.25)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def shown(page) -> list[str]:
    return page.locator("#news a.headline").all_inner_texts()


def address(page) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(page.url).query))


def test_the_address_bar_is_the_page_shown_back_works_and_the_csv_has_the_rows_shown(browser, desk):  # noqa: F811
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(base_url=desk, viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.set_default_timeout(15_000)
    context.add_init_script(CSP_WATCH)
    context.route(lambda url: not url.startswith(desk + "/"), lambda route: route.abort())
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto("/")
        expect(page.locator(".line-total")).to_contain_text("4 articles")
        page.wait_for_function("() => document.querySelector('[data-htmx-powered]') !== null")  # htmx is live

        page.get_by_label("Outlet").select_option("Courier")
        expect(page.locator(".line-total")).to_contain_text("2 articles")
        assert address(page) == {"outlet": "Courier"}
        courier = shown(page)
        assert all("Courier" in title for title in courier) and len(courier) == 2

        page.get_by_label("Hedge").select_option("denies")
        expect(page.locator(".line-total")).to_contain_text("1 article")
        assert address(page) == {"outlet": "Courier", "hedge": "denies"}
        entries = page.evaluate("history.length")
        page.get_by_role("button", name="Apply").click()  # the same filters again: no second entry
        page.wait_for_load_state("networkidle")
        assert page.evaluate("history.length") == entries and address(page) == {"outlet": "Courier", "hedge": "denies"}
        page.screenshot(path=str(ARTEFACTS / "01-filtered.png"), full_page=True)

        # a shared link opens the same page
        other = context.new_page()
        other.goto(page.url)
        assert shown(other) == shown(page)
        other.close()

        page.go_back()
        expect(page.locator(".line-total")).to_contain_text("2 articles")
        assert address(page) == {"outlet": "Courier"} and shown(page) == courier
        assert page.get_by_label("Hedge").input_value() == ""  # the form says what the page shows
        page.go_back()
        expect(page.locator(".line-total")).to_contain_text("4 articles")
        assert address(page) == {}
        page.go_forward()
        expect(page.locator(".line-total")).to_contain_text("2 articles")
        assert address(page) == {"outlet": "Courier"}

        with page.expect_download() as downloading:
            page.locator(".downloads a", has_text="CSV").first.click()
        download = downloading.value
        assert download.suggested_filename.startswith("claimdesk-claims-") and download.suggested_filename.endswith(".csv")
        text = Path(download.path()).read_text(encoding="utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text)))
        assert sorted({row["article_title"] for row in rows}) == sorted(shown(page))
        assert sorted(row["claim"] for row in rows) == sorted(
            ["that the harbour is closed", "that the harbour fee doubled", "that the ferry fleet is old"])
        page.screenshot(path=str(ARTEFACTS / "02-back.png"), full_page=True)
        assert page.evaluate("window.__cspViolations") == [] and errors == []
    finally:
        context.close()
