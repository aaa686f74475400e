"""End to end: `flashpoint serve` on loopback, the dashboard driven in headless Chromium (Debian's package).

Clicks dyad -> alert -> event, checks the highlighted sentence, the attribution chain and the corroboration,
that article markup shows as text (no script runs), and saves a screenshot. Needs /usr/bin/chromium and the
`playwright` Python package (driving that binary; `playwright install` is never used): `.ci/run` installs
them with scripts/install-browser.sh; without them this file skips with the reason.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("FLASHPOINT_CHROMIUM", "/usr/bin/chromium"))
if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} not found: install Debian's chromium (scripts/install-browser.sh) to run the dashboard test",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the Python package playwright is not installed (pip install playwright)")
pytest.importorskip("uvicorn", reason="flashpoint serve needs the [web] extra")

from flashpoint.api.fixtures import XSS_TEXT, build_sample_store  # noqa: E402

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser")
    info = build_sample_store(tmp / "sample.duckdb")
    port = _free_port()
    log = open(tmp / "server.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "flashpoint", "serve", "--db", info["path"], "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(base + "/api/health", timeout=1) as resp:
                if resp.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            log.close()
            pytest.fail(f"flashpoint serve did not start: {(tmp / 'server.log').read_text()[-2000:]}")
        time.sleep(0.1)
    yield {"base": base, "tmp": tmp, **info}
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="module")
def browser_context(server):
    with sync_api.sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            str(server["tmp"] / "chromium-profile"), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 1000}, service_workers="block",
            # Without the page's Content-Security-Policy, so that the XSS check below tests the dashboard's own
            # text handling (the CSP header, a second defence, is checked in test_api.py).
            bypass_csp=True,
        )
        # Loopback only: any request elsewhere (a CDN, fonts) fails the test instead of going out.
        outside: list[str] = []

        def guard(route):
            if route.request.url.startswith(server["base"]):
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        ctx.route("**/*", guard)
        yield ctx, outside
        ctx.close()


@pytest.fixture()
def page(browser_context):
    ctx, outside = browser_context
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    pg.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    yield pg
    pg.close()
    assert errors == [], errors
    assert outside == [], f"the dashboard asked the internet for {outside}"


def _wait_ready(pg) -> None:
    pg.wait_for_selector("body[data-state=ready]", timeout=20_000)


def test_api_browser_dyad_alert_event(server, page):
    pg = page
    pg.goto(server["base"] + "/")
    _wait_ready(pg)
    paint = pg.evaluate("Object.fromEntries(performance.getEntriesByType('paint').map(e => [e.name, e.startTime]))")
    ready = pg.evaluate("performance.getEntriesByName('flashpoint-ready').map(e => e.startTime)[0]")
    print(f"\ndashboard first paint {paint.get('first-paint', float('nan')):.0f} ms, "
          f"first contentful paint {paint.get('first-contentful-paint', float('nan')):.0f} ms, chart and table ready {ready:.0f} ms")
    assert paint.get("first-paint") is not None and ready is not None

    # pick a dyad: first another one, then the one with the escalation
    pg.select_option("#dyad", "RUS:UKR")
    _wait_ready(pg)
    assert pg.inner_text("#chart-title") == "Tension RUS\u2013UKR"
    pg.select_option("#dyad", "XNA:XSA")
    _wait_ready(pg)
    assert pg.inner_text("#chart-title") == "Tension XNA\u2013XSA"
    assert pg.locator("#chart svg .bar").count() > 50
    assert pg.locator("#chart svg .alert-band.escalation").count() >= 1, "alerts are marked on the chart"

    # click an alert: its driving events fill the table
    alert = pg.locator("#alerts li.escalation").first
    alert.click()
    assert "escalation" in pg.inner_text("#events-title")
    rows = pg.locator("#events tbody tr[data-event]")
    assert rows.count() >= 3
    assert server["xss_event_id"] in rows.evaluate_all("rs => rs.map(r => r.dataset.event)")

    # click the event whose article carries markup: shown as text, trigger and actors highlighted, no script ran
    pg.click(f"#events tbody tr[data-event='{server['xss_event_id']}']")
    pg.wait_for_selector(f"#detail[data-event='{server['xss_event_id']}'] .sentence")
    assert pg.inner_text("#detail .sentence") == XSS_TEXT
    assert pg.inner_text("#detail .sentence mark.trigger") == "shelled"
    assert pg.inner_text("#detail .sentence mark.source") == "XNA"
    assert pg.inner_text("#detail .sentence mark.target") == "XSA"
    assert pg.locator("#detail script, #detail img").count() == 0
    assert pg.evaluate("typeof window.__xss") == "undefined", "text from the store must not run as script"
    assert "publisher: Valley Wire" in pg.inner_text("#detail .chain")

    # a corroborated event among the drivers: attribution chain and the cluster's reports
    pg.locator("#alerts li.escalation").first.click()
    drivers = pg.locator("#events tbody tr[data-event]").evaluate_all("rs => rs.map(r => r.dataset.event)")
    corroborated = next(e for e in server["cluster_event_ids"] if e in drivers)
    pg.click(f"#events tbody tr[data-event='{corroborated}']")
    pg.wait_for_selector(f"#detail[data-event='{corroborated}'] #corroboration .reports li")
    chain = pg.inner_text("#detail .chain")
    assert "speaker" in chain and "outlet" in chain and "Valley Wire" in chain
    assert "3 report(s) from 3 outlet(s); 2 independent source(s)" in pg.inner_text("#corroboration")
    assert pg.locator("#corroboration .reports li").count() == 3

    shot = server["tmp"] / "dashboard.png"
    pg.screenshot(path=str(shot), full_page=True)
    print(f"screenshot: {shot}")
    assert shot.stat().st_size > 10_000


def test_api_browser_point_filter_download(server, page):
    pg = page
    pg.goto(server["base"] + "/")
    _wait_ready(pg)
    pg.select_option("#dyad", "XNA:XSA")
    _wait_ready(pg)
    # click a point (a day of the escalation): the table lists that day's events
    pg.click("#chart svg .hit[data-period='2022-04-05']")
    pg.wait_for_function("document.getElementById('events-title').textContent.includes('2022-04-05')")
    dates = pg.locator("#events tbody tr[data-event] td:first-child").all_inner_texts()
    assert dates and set(dates) == {"2022-04-05"}
    # filter the table in place, and the download link carries the server filters
    pg.click("#all-events")
    _wait_ready(pg)
    pg.fill("#filter", "consult")
    types = pg.locator("#events tbody tr[data-event] td:nth-child(2)").all_inner_texts()
    assert types and set(types) == {"CONSULT"}
    href = pg.get_attribute("#download", "href")
    assert "format=csv" in href and "dyad=XNA%3AXSA" in href


def test_api_browser_actor_and_range(server, page):
    pg = page
    pg.goto(server["base"] + "/")
    _wait_ready(pg)
    pg.fill("#actor", "xna")
    pg.fill("#since", "2022-03-01")
    pg.fill("#until", "2022-04-30")
    pg.click("#show")
    _wait_ready(pg)
    assert pg.inner_text("#chart-title") == "Tension XNA with everyone"
    first = pg.get_attribute("#chart svg .bar >> nth=0", "data-period")
    assert first == "2022-03-01"
    dates = pg.locator("#events tbody tr[data-event] td:first-child").all_inner_texts()
    assert dates and all("2022-03-01" <= d <= "2022-04-30" for d in dates)
    assert pg.locator("#alerts li.escalation").count() >= 1
