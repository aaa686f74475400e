"""Concurrent readers during an ingest, over real HTTP on loopback (a small, bounded bench/api_load.py).

One process owns the store: the server runs with ``allow_ingest`` and ingests POST /api/ingest bodies itself
(one transaction per batch) while reader threads send GET requests on their own connections. Every read must
succeed with valid JSON, the counts a reader sees must never decrease while articles are only added, and the
final count must be the preloaded one plus what the ingest reports. No timing is asserted.

The coder is the fixtures' stand-in, slowed a little so that reads overlap the writes (the real coder is what
bench/api_load.py runs).
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from importlib import resources
from urllib.parse import urlencode

import pytest

pytest.importorskip("fastapi", reason="the API needs the [web] extra: pip install 'flashpoint[web]'")
uvicorn = pytest.importorskip("uvicorn", reason="serving over HTTP needs uvicorn (the [web] extra)")

from flashpoint.api.app import create_app  # noqa: E402
from flashpoint.api.fixtures import FakeCoder, build_sample_store  # noqa: E402
from flashpoint.ingest.readers import read_inputs  # noqa: E402
from flashpoint.models import Article  # noqa: E402

TOKEN = "load-test-token-0123456789"
READERS = 4
REQUESTS_PER_READER = 100
# path -> how to read the figure that must never decrease while reports are only added (None: only checked
# for a valid answer). Not the series: it counts happenings (clusters), and a new report counts alone between the
# commit of its batch and the commit of its clustering, then joins its cluster, so that count may go down by design.
READS = {
    "/api/events?page_size=20": lambda a: a["total"],
    "/api/events?" + urlencode({"dyad": "XNA:XSA", "since": "2022-01-01", "page_size": 50}): lambda a: a["total"],
    "/api/events?" + urlencode({"type": "ASSAULT", "min_confidence": 0.3}): lambda a: a["total"],
    "/api/types": lambda a: sum(t["events"] for t in a["types"]),
    "/api/health": lambda a: a["counts"]["events"],
    "/api/series?a=XNA&b=XSA": None,
    "/api/dyads?limit=10": None,
    "/api/alerts?a=XNA&b=XSA": None,
}


class SlowCoder(FakeCoder):
    """The fixtures' stand-in (one ASSAULT XNA -> XSA per article), 10 ms per article (the GIL is released)."""

    def process(self, articles, n_process: int = 1):
        for coded in super().process(articles, n_process):
            time.sleep(0.01)
            yield coded


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = tmp_path_factory.mktemp("load") / "load.duckdb"
    build_sample_store(db, noise_articles=100)
    app = create_app(str(db), allow_ingest=True, token=TOKEN, coder=SlowCoder(), warm=False)
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=srv.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield port
    srv.should_exit = True
    thread.join(timeout=30)


def _call(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def _sample_bodies(chunk: int = 5) -> list[bytes]:
    """The bundled sample, read by flashpoint's readers, as JSONL bodies of ``chunk`` articles."""
    sample = resources.files("flashpoint").joinpath("data/sample")
    lines = [json.dumps({"id": a.id, "date": a.published_at or (a.date.isoformat() if a.date else None), "title": a.title,
                         "text": a.text, "outlet": a.outlet, "url": a.url})
             for a in read_inputs([str(sample)]) if isinstance(a, Article)]
    assert len(lines) >= 25, "the bundled sample has about thirty articles"
    return [("\n".join(lines[i:i + chunk]) + "\n").encode() for i in range(0, len(lines), chunk)]


def _reader(port: int, offset: int, errors: list[str], decreases: list[str], seen: dict[str, list[float]],
            done: list[int]) -> None:
    paths = list(READS)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        for i in range(REQUESTS_PER_READER):
            path = paths[(offset + i) % len(paths)]
            try:
                conn.request("GET", path)
                resp = conn.getresponse()
                body = resp.read()
            except (OSError, http.client.HTTPException) as exc:
                errors.append(f"{path}: {type(exc).__name__}: {exc}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                continue
            if resp.status != 200:
                errors.append(f"{path}: HTTP {resp.status}: {body[:200]!r}")
                continue
            try:
                answer = json.loads(body)
            except ValueError:
                errors.append(f"{path}: not JSON: {body[:200]!r}")
                continue
            if answer.get("ok") is not True:
                errors.append(f"{path}: ok is not true: {body[:200]!r}")
                continue
            if "total" in answer and answer["total"] < len(answer["events"]):
                errors.append(f"{path}: total {answer['total']} < {len(answer['events'])} events listed")
            if "series" in answer:
                periods = [r["period"] for r in answer["series"]]
                if periods != sorted(set(periods)) or any(r["events"] < 0 for r in answer["series"]):
                    errors.append(f"{path}: series periods out of order or negative counts")
            done.append(1)
            figure = READS[path]
            if figure is not None:
                value = figure(answer)
                history = seen.setdefault(path, [])
                if history and value < history[-1]:
                    decreases.append(f"{path}: {history[-1]} -> {value}")
                history.append(value)
    finally:
        conn.close()


def test_reliability_load_readers_during_ingest_see_no_errors_and_monotone_counts(server):
    port = server
    before = json.loads(_call(port, "GET", "/api/events?page_size=1")[1])["total"]
    bodies = _sample_bodies()
    errors: list[str] = []
    decreases: list[str] = []
    seen: list[dict[str, list[float]]] = [{} for _ in range(READERS)]
    done: list[int] = []
    readers = [threading.Thread(target=_reader, args=(port, i * 2, errors, decreases, seen[i], done)) for i in range(READERS)]
    for r in readers:
        r.start()

    stored, articles = 0, 0
    for body in bodies:
        status, raw = _call(port, "POST", "/api/ingest", body,
                            {"Content-Type": "application/x-ndjson", "Authorization": f"Bearer {TOKEN}"})
        assert status == 200, raw[:300]
        summary = json.loads(raw)["summary"]
        assert summary["skipped"] == 0 and summary["new"] == body.count(b"\n")
        stored += summary["events"]
        articles += summary["new"]
    for r in readers:
        r.join(timeout=300)
        assert not r.is_alive(), "a reader hung"

    assert errors == [], errors[:5]
    assert decreases == [], decreases[:5]
    assert len(done) == READERS * REQUESTS_PER_READER, "every read was answered"
    after = json.loads(_call(port, "GET", "/api/events?page_size=1")[1])["total"]
    assert stored == articles and after == before + stored, "every stored event is listed once"
    health = json.loads(_call(port, "GET", "/api/health")[1])
    assert health["counts"]["events"] == after
