"""The HTTP API through FastAPI's test client, over the seeded sample store (no NLP model needed).

Covers every route, the filters of `flashpoint events`, pagination, CSV, the one error shape for every error
kind, injection strings in every filter, the write endpoint's token, the POST /api/code size limit, the
loopback default of `flashpoint serve`, and that the dashboard and /docs need nothing from the internet.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil

import pytest

pytest.importorskip("fastapi", reason="the API needs the [web] extra: pip install 'flashpoint[web]'")
pytest.importorskip("httpx", reason="the test client needs httpx")

import warnings  # noqa: E402

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient  # noqa: E402

from flashpoint.api.app import MAX_CODE_BYTES, create_app  # noqa: E402
from flashpoint.api.fixtures import XSS_TEXT, FakeCoder, build_sample_store  # noqa: E402
from flashpoint.errors import StoreError  # noqa: E402
from flashpoint.store.db import EventStore  # noqa: E402

TOKEN = "test-token-0123456789"
INJECTIONS = [
    "'; DROP TABLE events; --",
    "%' OR 1=1 --",
    "RUS' OR '1'='1",
    "XNA:XSA'); DELETE FROM events; --",
    "\" OR \"\"=\"",
    "1; SELECT * FROM articles",
    "<script>alert(1)</script>",
    "../../etc/passwd",
]


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    path = tmp_path_factory.mktemp("api") / "sample.duckdb"
    return build_sample_store(path)


@pytest.fixture(scope="module")
def coder():
    return FakeCoder()


@pytest.fixture(scope="module")
def app(sample, coder):
    return create_app(sample["path"], coder=coder, warm=False)


@pytest.fixture(scope="module")
def client(app):
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def assert_error(resp, status: int) -> dict:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"ok", "error", "errors", "status"}, body
    assert body["ok"] is False and body["status"] == status
    assert isinstance(body["error"], str) and body["error"]
    assert isinstance(body["errors"], list) and all(isinstance(e, str) for e in body["errors"]) and body["errors"]
    assert "Traceback" not in resp.text and 'File "' not in resp.text
    return body


# ------------------------------------------------------------------------------------------------ events
def test_api_health_counts(client, sample):
    body = client.get("/api/health").json()
    assert body["ok"] and body["read_only"] is True and body["ingest"] is False
    assert body["counts"]["events"] == sample["counts"]["events"]


@pytest.mark.parametrize("params,check", [
    ({"dyad": "XNA:XSA"}, lambda e: {e["source_code"], e["target_code"]} == {"XNA", "XSA"}),
    ({"dyad": "xna-xsa"}, lambda e: {e["source_code"], e["target_code"]} == {"XNA", "XSA"}),
    ({"dyad": "XNA:XSA", "directed": "true"}, lambda e: (e["source_code"], e["target_code"]) == ("XNA", "XSA")),
    ({"actor": "XSA"}, lambda e: "XSA" in (e["source_code"], e["target_code"])),
    ({"type": "assault"}, lambda e: e["event_type"] == "ASSAULT"),
    ({"since": "2022-04-01", "until": "2022-04-05"}, lambda e: "2022-04-01" <= e["event_date"] <= "2022-04-05"),
    ({"outlet": "River Post"}, lambda e: e["outlet"] == "River Post"),
    ({"min_confidence": 0.9}, lambda e: e["confidence"] >= 0.9),
    ({"modality": "alleged"}, lambda e: e["modality"] == "alleged"),
    ({"actor": "XNA", "type": "ASSAULT", "since": "2022-03-25"}, lambda e: e["event_type"] == "ASSAULT" and e["event_date"] >= "2022-03-25"),
])
def test_api_events_filters(client, params, check):
    body = client.get("/api/events", params={**params, "page_size": 1000}).json()
    assert body["ok"] and body["events"], body
    assert all(check(e) for e in body["events"])
    assert body["total"] == len(body["events"])


@pytest.mark.parametrize("order,key,reverse", [("date", "event_date", True), ("oldest", "event_date", False), ("confidence", "confidence", True)])
def test_api_events_order(client, order, key, reverse):
    events = client.get("/api/events", params={"order": order, "page_size": 100}).json()["events"]
    values = [e[key] for e in events if e[key] is not None]
    assert values == sorted(values, reverse=reverse)


def test_api_events_pagination(client, sample):
    total = sample["counts"]["events"]
    p1 = client.get("/api/events", params={"page": 1, "page_size": 20}).json()
    p2 = client.get("/api/events", params={"page": 2, "page_size": 20}).json()
    assert p1["total"] == p2["total"] == total
    ids1, ids2 = {e["event_id"] for e in p1["events"]}, {e["event_id"] for e in p2["events"]}
    assert len(ids1) == len(ids2) == 20 and not ids1 & ids2
    last = client.get("/api/events", params={"page": total // 20 + 2, "page_size": 20}).json()
    assert last["events"] == [] and last["total"] == total


def test_api_events_csv(client):
    params = {"dyad": "XNA:XSA", "type": "ASSAULT", "page_size": 1000}
    resp = client.get("/api/events", params={**params, "format": "csv"})
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/csv")
    assert "attachment" in resp.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(resp.text)))
    as_json = client.get("/api/events", params=params).json()["events"]
    assert [r["event_id"] for r in rows] == [e["event_id"] for e in as_json]
    assert all(r["event_type"] == "ASSAULT" for r in rows)


def test_api_events_csv_empty_has_header(client):
    resp = client.get("/api/events", params={"actor": "ZZZ", "format": "csv"})
    assert resp.status_code == 200 and resp.text.startswith("event_id,")


def test_api_event_detail_explains(client, sample):
    eid = sample["xss_event_id"]
    body = client.get(f"/api/events/{eid}").json()
    assert body["event"]["event_id"] == eid and body["event"]["event_type"] == "ASSAULT"
    assert body["sentence"]["text"] == XSS_TEXT
    start = body["event"]["trigger_start"] - body["sentence"]["start_char"]
    assert body["sentence"]["text"][start : start + len("shelled")] == "shelled"
    assert body["article"]["article_id"] == "esc-xss"
    assert eid in body["explanation"] and "shelled" in body["explanation"]


def test_api_event_detail_corroboration_and_attribution(client, sample):
    eid = sample["cluster_event_ids"][0]
    body = client.get(f"/api/events/{eid}").json()
    assert body["cluster"]["n_reports"] == 3 and body["cluster"]["n_independent"] == 2
    roles = [a["role"] for a in body["event"]["attribution"]]
    assert roles[0] == "speaker" and "outlet" in roles


# ------------------------------------------------------------------------------------------------ clusters, articles
def test_api_clusters_list_and_detail(client, sample):
    body = client.get("/api/clusters", params={"dyad": "XNA:XSA", "page_size": 5}).json()
    assert body["ok"] and 0 < len(body["clusters"]) <= 5
    assert all({c["source_code"], c["target_code"]} == {"XNA", "XSA"} for c in body["clusters"])
    top = body["clusters"][0]
    assert top["n_independent"] == max(c["n_independent"] for c in body["clusters"])
    detail = client.get(f"/api/clusters/{top['cluster_id']}").json()
    assert len(detail["reports"]) == detail["cluster"]["n_reports"]
    assert isinstance(detail["cluster"]["independence"], list)
    page2 = client.get("/api/clusters", params={"dyad": "XNA:XSA", "page_size": 5, "page": 2}).json()["clusters"]
    assert not {c["cluster_id"] for c in page2} & {c["cluster_id"] for c in body["clusters"]}


def test_api_article_with_sentences(client):
    body = client.get("/api/articles/esc-xss").json()
    assert body["article"]["text"] == XSS_TEXT
    assert [s["text"] for s in body["sentences"]] == [XSS_TEXT]
    assert [e["trigger_text"] for e in body["events"]] == ["shelled"]


# ------------------------------------------------------------------------------------------------ tension
def test_api_series_daily_and_weekly(client):
    daily = client.get("/api/series", params={"a": "XNA", "b": "XSA"}).json()
    weekly = client.get("/api/series", params={"a": "xna", "b": "xsa", "freq": "W"}).json()
    days = [dt.date.fromisoformat(r["period"]) for r in daily["series"]]
    assert all((b - a).days == 1 for a, b in zip(days, days[1:]))
    weeks = [dt.date.fromisoformat(r["period"]) for r in weekly["series"]]
    assert all(w.weekday() == 0 for w in weeks) and all((b - a).days == 7 for a, b in zip(weeks, weeks[1:]))
    assert sum(r["events"] for r in daily["series"]) == sum(r["events"] for r in weekly["series"]) > 0
    late = [r["tension"] for r in daily["series"] if r["period"] >= "2022-04-01"]
    early = [r["tension"] for r in daily["series"] if r["period"] < "2022-03-01"]
    assert sum(late) > 10 * max(abs(t) for t in early), "the escalation shows in the tension index"


def test_api_series_range_and_actor_only(client):
    ranged = client.get("/api/series", params={"a": "XNA", "b": "XSA", "since": "2022-03-01", "until": "2022-03-10"}).json()["series"]
    assert [r["period"] for r in ranged][0] == "2022-03-01" and len(ranged) == 10
    actor = client.get("/api/series", params={"a": "XNA"}).json()
    assert actor["b"] is None and sum(r["events"] for r in actor["series"]) > 0


@pytest.mark.parametrize("path", ["/api/series", "/api/alerts"])
def test_api_huge_date_range_is_cut_to_the_store(client, path):
    wide = client.get(path, params={"a": "XNA", "b": "XSA", "since": "0001-01-01", "until": "9999-12-31"})
    assert wide.status_code == 200
    if path == "/api/series":
        assert 0 < len(wide.json()["series"]) <= 200, "periods span the store's days, not ten thousand years"
    later = client.get(path, params={"a": "XNA", "b": "XSA", "since": "3000-01-01"}).json()
    assert later.get("series", later.get("alerts")) == []


def test_api_alerts_with_driving_events(client, sample):
    body = client.get("/api/alerts", params={"a": "XNA", "b": "XSA"}).json()
    esc = [a for a in body["alerts"] if a["kind"] == "escalation"]
    assert esc, body
    for al in esc:
        assert "2022-03-20" <= al["start_date"] <= "2022-04-05"
        assert [e["event_id"] for e in al["events"]] == al["event_ids"]
        assert all({e["source_code"], e["target_code"]} == {"XNA", "XSA"} for e in al["events"])
    assert sample["xss_event_id"] in esc[0]["event_ids"]


def test_api_alerts_without_dyad_scan_top_dyads(client):
    body = client.get("/api/alerts", params={"limit_dyads": 2}).json()
    assert body["dyads"][0] == "XNA-XSA" and len(body["dyads"]) == 2
    assert any(a["dyad"] == "XNA-XSA" for a in body["alerts"])


def test_api_dyads_and_actor_filter(client):
    dyads = client.get("/api/dyads", params={"limit": 3}).json()["dyads"]
    assert len(dyads) == 3 and dyads[0]["a"] == "XNA" and dyads[0]["events"] >= dyads[1]["events"]
    mine = client.get("/api/dyads", params={"actor": "USA"}).json()["dyads"]
    assert mine and all("USA" in (d["a"], d["b"]) for d in mine)


def test_api_actor_search_counts(client, sample):
    actors = client.get("/api/actors", params={"q": "xn"}).json()["actors"]
    assert [a["code"] for a in actors] == ["XNA"]
    store = EventStore(sample["path"], read_only=True)
    try:
        assert actors[0]["events"] == store.count_events(actor="XNA")
    finally:
        store.close()
    assert client.get("/api/actors", params={"q": "%"}).json()["actors"] == [], "% is matched literally"


def test_api_types_counts(client, sample):
    types = client.get("/api/types").json()["types"]
    assert sum(t["events"] for t in types) == sample["counts"]["events"]
    assert types[0]["events"] >= types[-1]["events"]


def test_api_analytics_are_cached(app, client):
    params = {"a": "RUS", "b": "UKR", "freq": "W"}
    client.get("/api/series", params=params)
    hits, misses = app.state.cache.hits, app.state.cache.misses
    again = client.get("/api/series", params=params)
    assert again.status_code == 200 and app.state.cache.hits > hits and app.state.cache.misses == misses


# ------------------------------------------------------------------------------------------------ errors: one shape
@pytest.mark.parametrize("method,path,kwargs,status", [
    ("get", "/api/events/ev-does-not-exist", {}, 404),
    ("get", "/api/clusters/cl-nope", {}, 404),
    ("get", "/api/articles/nope", {}, 404),
    ("get", "/api/no-such-route", {}, 404),
    ("get", "/static/secret.py", {}, 404),
    ("get", "/api/events?since=2022-13-45", {}, 422),
    ("get", "/api/events?page_size=100000", {}, 422),
    ("get", "/api/events?page=0", {}, 422),
    ("get", "/api/events?actor=R", {}, 422),
    ("get", "/api/events?modality=certain", {}, 422),
    ("get", "/api/events?min_confidence=2", {}, 422),
    ("get", "/api/series", {}, 422),
    ("get", "/api/series?a=XNA&freq=M", {}, 422),
    ("get", "/api/events?since=2022-03-01&until=2022-02-01", {}, 400),
    ("get", "/api/series?a=XNA&b=XSA&since=2022-03-01&until=2022-02-01", {}, 400),
    ("get", "/api/events?type=BOMBARD", {}, 400),
    ("get", "/api/events?dyad=RUS", {}, 400),
    ("get", "/api/events?dyad=RUS:UKR:USA", {}, 400),
    ("post", "/api/code", {"content": b"not json"}, 400),
    ("post", "/api/code", {"json": ["a list"]}, 400),
    ("post", "/api/code", {"json": {"text": "   "}}, 400),
    ("post", "/api/code", {"json": {"text": "XNA attacked.", "date": "24/12/2021"}}, 400),
    ("post", "/api/code", {"json": {"text": "XNA attacked.", "outlet": 5}}, 400),
    ("post", "/api/code", {"json": {"text": "x" * (MAX_CODE_BYTES + 1)}}, 413),
    ("post", "/api/ingest", {"content": b"{}"}, 403),
    ("get", "/api/code", {}, 405),
    ("delete", "/api/events", {}, 405),
])
def test_api_error_shape(client, method, path, kwargs, status):
    assert_error(getattr(client, method)(path, **kwargs), status)


def test_api_error_messages_teach(client):
    body = assert_error(client.get("/api/events", params={"type": "BOMBARD"}), 400)
    assert "ASSAULT" in body["error"], "lists the valid types"
    body = assert_error(client.get("/api/events", params={"since": "2022-03-01", "until": "2022-02-01"}), 400)
    assert "2022-03-01 > 2022-02-01" in body["error"]
    body = assert_error(client.get("/api/events", params={"since": "yesterday"}), 422)
    assert "since" in body["error"] and "yesterday" in body["error"]


def test_api_error_500_hides_internals(sample):
    class Broken:
        def code_text(self, *a, **k):
            raise RuntimeError("secret internal detail /srv/db")

    with TestClient(create_app(sample["path"], coder=Broken(), warm=False), raise_server_exceptions=False) as c:
        body = assert_error(c.post("/api/code", json={"text": "XNA attacked XSA."}), 500)
    assert "secret" not in body["error"] and "/srv" not in str(body)


def test_api_error_503_without_model(sample):
    from flashpoint.errors import MissingDependency

    class NoModel:
        def code_text(self, *a, **k):
            raise MissingDependency("coding text", "web")

    with TestClient(create_app(sample["path"], coder=NoModel(), warm=False), raise_server_exceptions=False) as c:
        assert_error(c.post("/api/code", json={"text": "XNA attacked XSA."}), 503)


# ------------------------------------------------------------------------------------------------ security
def _counts(path) -> dict:
    store = EventStore(path, read_only=True)
    try:
        return store.stats()
    finally:
        store.close()


@pytest.mark.parametrize("bad", INJECTIONS)
def test_api_injection_in_filters_is_harmless(client, sample, bad):
    requests = [
        ("/api/events", {"actor": bad}), ("/api/events", {"dyad": bad}), ("/api/events", {"dyad": f"XNA:{bad}"}),
        ("/api/events", {"type": bad}), ("/api/events", {"outlet": bad}), ("/api/events", {"modality": bad}),
        ("/api/events", {"since": bad}), ("/api/events", {"order": bad}), ("/api/events", {"format": bad}),
        ("/api/clusters", {"dyad": bad}), ("/api/series", {"a": bad, "b": "XSA"}), ("/api/series", {"a": "XNA", "b": bad}),
        ("/api/alerts", {"a": bad}), ("/api/dyads", {"actor": bad}), ("/api/actors", {"q": bad}), ("/api/actors", {"sector": bad}),
        (f"/api/events/{bad}", {}), (f"/api/clusters/{bad}", {}), (f"/api/articles/{bad}", {}),
    ]
    for path, params in requests:
        resp = client.get(path, params=params)
        assert resp.status_code < 500, (path, params, resp.text)
        if resp.status_code == 200:
            body = resp.json()
            rows = body.get("events", body.get("actors", body.get("clusters", body.get("dyads"))))
            assert rows == [], (path, params, "a filter with an injection string matches nothing")
        else:
            assert_error(resp, resp.status_code)
    assert _counts(sample["path"]) == sample["counts"], "the store is intact"


def test_api_read_only_by_default(app, client):
    assert app.state.store.read_only is True
    body = assert_error(client.post("/api/ingest", content=b'{"text": "x"}', headers={"Authorization": f"Bearer {TOKEN}"}), 403)
    assert "--allow-ingest" in body["error"]


def test_api_ingest_needs_token(sample):
    with pytest.raises(StoreError, match="token"):
        create_app(sample["path"], allow_ingest=True)


@pytest.fixture()
def writable(sample, tmp_path):
    path = tmp_path / "writable.duckdb"
    shutil.copy(sample["path"], path)
    return path


def test_api_ingest_token_checked_and_stores(writable, sample):
    line = b'{"id": "api-ing-1", "text": "Shelling hit a XSA village.", "date": "2022-05-02", "outlet": "Test Wire"}\n'
    coder = FakeCoder()
    app = create_app(writable, allow_ingest=True, token=TOKEN, coder=coder, warm=False)
    with TestClient(app, raise_server_exceptions=False) as c:
        before = c.get("/api/health").json()["counts"]["events"]
        assert_error(c.post("/api/ingest", content=line), 401)
        assert_error(c.post("/api/ingest", content=line, headers={"Authorization": "Bearer wrong"}), 401)
        assert_error(c.post("/api/ingest", content=line, headers={"Authorization": TOKEN}), 401)
        assert coder.calls == 0 and c.get("/api/health").json()["counts"]["events"] == before
        ok = c.post("/api/ingest", content=line, headers={"Authorization": f"Bearer {TOKEN}"})
        assert ok.status_code == 200, ok.text
        assert ok.json()["summary"]["new"] == 1
        assert c.get("/api/health").json()["counts"]["events"] == before + 1, "ingest clears the cache"
        assert c.get("/api/articles/api-ing-1").json()["events"][0]["trigger_text"] == "Shelling"
        assert_error(c.post("/api/ingest", content=b"x" * 5_000_001, headers={"Authorization": f"Bearer {TOKEN}"}), 413)


def test_api_serve_binds_loopback_by_default(sample, monkeypatch):
    uvicorn = pytest.importorskip("uvicorn")
    from typer.testing import CliRunner

    from flashpoint.cli import app as cli

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(kw))
    result = CliRunner().invoke(cli, ["serve", "--db", sample["path"]])
    assert result.exit_code == 0, result.output
    assert seen["host"] == "127.0.0.1" and seen["port"] == 8000


def test_api_security_headers(client):
    resp = client.get("/")
    csp = resp.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    for path in ("/", "/api/health", "/api/events/nope"):
        assert client.get(path).headers["x-content-type-options"] == "nosniff"


# ------------------------------------------------------------------------------------------------ POST /api/code
def test_api_code_returns_events_without_storing(client, coder, sample):
    calls = coder.calls
    resp = client.post("/api/code", json={"text": "Rockets hit the XSA port.", "date": "2022-02-24", "outlet": "Wire"})
    assert resp.status_code == 200, resp.text
    ev = resp.json()["events"][0]
    assert ev["event_type"] == "ASSAULT" and ev["date"] == "2022-02-24" and ev["trigger"]["text"] == "Rockets"
    assert coder.calls == calls + 1
    assert _counts(sample["path"]) == sample["counts"]


def test_api_code_size_limit_without_content_length(client, coder):
    calls = coder.calls

    def chunks():
        for _ in range(MAX_CODE_BYTES // 1000 + 2):
            yield b"x" * 1000

    assert_error(client.post("/api/code", content=chunks(), headers={"Content-Type": "application/json"}), 413)
    assert coder.calls == calls


def test_api_code_with_real_coder(sample):
    try:
        from flashpoint.nlp.pipeline import default_coder

        real = default_coder()
    except (ImportError, OSError) as exc:
        pytest.skip(f"the NLP coder is not available here: {exc}")
    with TestClient(create_app(sample["path"], coder=real, warm=False)) as c:
        resp = c.post("/api/code", json={"text": "Russian forces shelled the Ukrainian city of Kharkiv on Monday.", "date": "2022-03-01"})
    assert resp.status_code == 200, resp.text
    assert all(set(e) >= {"event_type", "source", "target", "trigger", "modality"} for e in resp.json()["events"])


# ------------------------------------------------------------------------------------------------ OpenAPI, dashboard, offline
def test_api_openapi_lists_every_route(client):
    spec = client.get("/openapi.json").json()
    paths = set(spec["paths"])
    assert {"/api/events", "/api/events/{event_id}", "/api/clusters", "/api/clusters/{cluster_id}", "/api/articles/{article_id}",
            "/api/series", "/api/alerts", "/api/dyads", "/api/actors", "/api/types", "/api/code", "/api/ingest", "/api/health"} <= paths
    assert spec["paths"]["/api/events"]["get"]["responses"]["422"]["content"]["application/json"]["schema"]["$ref"].endswith("/ApiError")


def test_api_docs_page_is_offline(client):
    resp = client.get("/docs")
    assert resp.status_code == 200 and "/api/events" in resp.text
    assert not re.search(r"<script|https?://", resp.text), "no scripts, no external URLs"


def test_api_dashboard_needs_no_internet(client):
    page = client.get("/")
    assert page.status_code == 200 and '<script src="/static/app.js">' in page.text
    for name in ("app.js", "app.css"):
        resp = client.get(f"/static/{name}")
        assert resp.status_code == 200 and resp.text
        assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", resp.text), f"{name} must not fetch from the internet"
    assert not re.search(r"(src|href)=\"https?://", page.text)


def test_api_dashboard_inserts_store_text_as_text(client):
    js = client.get("/static/app.js").text
    assert "innerHTML" not in js and "insertAdjacentHTML" not in js and "document.write" not in js


def test_api_accepts_an_open_store(sample):
    store = EventStore(sample["path"], read_only=True)
    try:
        with TestClient(create_app(store, warm=False)) as c:
            assert c.get("/api/health").json()["counts"]["events"] == sample["counts"]["events"]
        with pytest.raises(StoreError):
            create_app(store, allow_ingest=True, token=TOKEN)
    finally:
        store.close()
