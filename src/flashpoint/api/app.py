"""The HTTP API and dashboard over an event store (FastAPI).

    flashpoint serve --db news.duckdb                 # read-only, loopback
    flashpoint serve --db news.duckdb --allow-ingest  # POST /api/ingest with a bearer token

One process owns the DuckDB file (DuckDB allows one writer): the server opens it read-only by default, or
read-write with --allow-ingest, in which case ingest runs inside the server on its own thread while readers
use their own cursors and keep seeing the last committed batch. Every error is JSON of one shape:
``{"ok": false, "error": "...", "errors": [...], "status": N}``; clients never see a stack trace.
"""

from __future__ import annotations

import datetime as dt
import hmac
import io
import json
import logging
import secrets
import threading
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from ..errors import FlashpointError, InputError, QueryError, StoreError
from ..models import MODALITIES

try:
    from fastapi import Body, FastAPI, Header, Query, Request
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import HTMLResponse, JSONResponse, Response
    from starlette.exceptions import HTTPException as StarletteHTTPException
except ImportError as exc:  # pragma: no cover - exercised only without the [web] extra
    from ..errors import MissingDependency

    raise MissingDependency("flashpoint serve", "web") from exc

log = logging.getLogger("flashpoint.api")
MAX_CODE_BYTES = 100_000
MAX_PAGE = 1000
CODE_RE = r"^[A-Za-z0-9_]{2,12}(-[A-Za-z]{2,4})?$"


def error_response(status: int, error: str, errors: list[Any] | None = None) -> JSONResponse:
    return JSONResponse({"ok": False, "error": error, "errors": errors or [error], "status": status}, status_code=status)


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def _event_out(row: dict[str, Any]) -> dict[str, Any]:
    row = dict(row)
    for key in ("attribution", "location"):
        if isinstance(row.get(key), str):
            row[key] = json.loads(row[key])
    return _jsonable(row)


def create_app(db: str | Path, *, allow_ingest: bool = False, token: str | None = None, coder=None) -> FastAPI:
    """Build the app over the store at ``db``."""
    from ..store.db import open_store

    store = open_store(db, read_only=not allow_ingest)
    if allow_ingest and not token:
        raise StoreError("--allow-ingest needs a token (--token or FLASHPOINT_TOKEN) so that only you can write", code="E320")
    app = FastAPI(
        title="flashpoint",
        version="1",
        description="Coded political events, clusters, dyad tension series and alerts from a flashpoint store.",
    )
    app.state.store = store
    app.state.ingest_lock = threading.Lock()
    app.state.coder = coder

    def get_coder():
        if app.state.coder is None:
            from ..nlp.pipeline import default_coder

            app.state.coder = default_coder()
        return app.state.coder

    # ------------------------------------------------------------------ errors: one shape
    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        return error_response(exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError):
        errors = [f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg')}" for e in exc.errors()]
        return error_response(422, "invalid request: " + "; ".join(errors), errors)

    @app.exception_handler(FlashpointError)
    async def _fp_error(request: Request, exc: FlashpointError):
        status = 400 if isinstance(exc, (QueryError, InputError)) else 500
        return error_response(status, str(exc))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        log.exception("unexpected error on %s", request.url.path)
        return error_response(500, "internal error; the server log has the details")

    def _filters(actor, dyad, directed, type_, since, until, outlet, min_confidence, modality) -> dict[str, Any]:
        d = None
        if dyad:
            parts = dyad.upper().replace("-", ":").split(":")
            if len(parts) != 2 or not all(parts):
                raise QueryError(f'dyad "{dyad}" must be two codes such as RUS:UKR')
            d = (parts[0], parts[1])
        if type_:
            from .. import ontology

            ontology.category(type_.upper())
        return dict(actor=actor.upper() if actor else None, dyad=d, directed=directed, event_type=type_.upper() if type_ else None,
                    since=since, until=until, outlet=outlet, min_confidence=min_confidence, modality=modality)

    # ------------------------------------------------------------------ routes
    @app.get("/api/health")
    def health() -> dict[str, Any]:
        return {"ok": True, "store": str(db), "counts": store.stats(), "ingest": allow_ingest}

    @app.get("/api/events")
    def list_events(
        actor: str | None = Query(None, pattern=CODE_RE, description="actor code on either side"),
        dyad: str | None = Query(None, max_length=40, description="two codes, e.g. RUS:UKR"),
        directed: bool = False,
        type: str | None = Query(None, max_length=20, description="PLOVER category"),
        since: dt.date | None = None,
        until: dt.date | None = None,
        outlet: str | None = Query(None, max_length=200),
        min_confidence: float | None = Query(None, ge=0.0, le=1.0),
        modality: Literal["asserted", "negated", "hypothetical", "future", "alleged", "denied"] | None = None,
        page: int = Query(1, ge=1, le=1_000_000),
        page_size: int = Query(50, ge=1, le=MAX_PAGE),
        format: Literal["json", "csv"] = "json",
    ):
        f = _filters(actor, dyad, directed, type, since, until, outlet, min_confidence, modality)
        rows = store.events(limit=page_size, offset=(page - 1) * page_size, **f)
        if format == "csv":
            import csv

            buf = io.StringIO()
            if rows:
                w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
                w.writeheader()
                for r in rows:
                    w.writerow({k: json.dumps(v) if isinstance(v, (list, dict)) else _jsonable(v) for k, v in r.items()})
            return Response(buf.getvalue(), media_type="text/csv", headers={"Content-Disposition": "attachment; filename=events.csv"})
        total = store.count_events(**f)
        return {"ok": True, "page": page, "page_size": page_size, "total": total, "events": [_event_out(r) for r in rows]}

    @app.get("/api/events/{event_id}")
    def get_event(event_id: str):
        from ..explain import explain_event

        row = store.event(event_id)
        if row is None:
            return error_response(404, f'no event "{event_id}"')
        sentences = {s["idx"]: s for s in store.sentences(row["article_id"])}
        s = sentences.get(row["sentence_idx"])
        article = store.article(row["article_id"]) or {}
        cluster = None
        if row.get("cluster_id"):
            rows = store.query("SELECT * FROM clusters WHERE cluster_id = ?", [row["cluster_id"]])
            cluster = _jsonable(rows[0]) if rows else None
            if cluster and isinstance(cluster.get("independence"), str):
                cluster["independence"] = json.loads(cluster["independence"])
        return {
            "ok": True,
            "event": _event_out(row),
            "sentence": _jsonable(s) if s else None,
            "article": _jsonable({k: article.get(k) for k in ("article_id", "title", "outlet", "url", "published_at", "pub_date", "origin")}),
            "cluster": cluster,
            "explanation": explain_event(store, event_id),
        }

    @app.get("/api/clusters")
    def list_clusters(
        actor: str | None = Query(None, pattern=CODE_RE), dyad: str | None = Query(None, max_length=40),
        type: str | None = Query(None, max_length=20), since: dt.date | None = None, until: dt.date | None = None,
        page: int = Query(1, ge=1, le=1_000_000), page_size: int = Query(50, ge=1, le=MAX_PAGE),
    ):
        from ..analytics.clusters import cluster_rows

        f = _filters(actor, dyad, False, type, since, until, None, None, None)
        rows = cluster_rows(store, limit=page * page_size, **f)[(page - 1) * page_size :]
        return {"ok": True, "page": page, "clusters": _jsonable(rows)}

    @app.get("/api/clusters/{cluster_id}")
    def get_cluster(cluster_id: str):
        rows = store.query("SELECT * FROM clusters WHERE cluster_id = ?", [cluster_id])
        if not rows:
            return error_response(404, f'no cluster "{cluster_id}"')
        c = _jsonable(rows[0])
        c["independence"] = json.loads(c["independence"] or "[]")
        reports = store.events(cluster_id=cluster_id, order="oldest")
        return {"ok": True, "cluster": c, "reports": [_event_out(r) for r in reports]}

    @app.get("/api/articles/{article_id}")
    def get_article(article_id: str):
        art = store.article(article_id)
        if art is None:
            return error_response(404, f'no article "{article_id}"')
        events = store.events(article_id=article_id, order="oldest")
        return {"ok": True, "article": _jsonable(art), "sentences": _jsonable(store.sentences(article_id)), "events": [_event_out(e) for e in events]}

    @app.get("/api/series")
    def get_series(
        a: str = Query(..., pattern=CODE_RE), b: str = Query(..., pattern=CODE_RE), freq: Literal["D", "W"] = "D",
        directed: bool = False, since: dt.date | None = None, until: dt.date | None = None,
    ):
        from ..analytics.tension import dyad_series

        if since and until and since > until:
            raise QueryError(f"since must be before until (got {since} > {until})")
        s = dyad_series(store, a, b, directed=directed, freq=freq, since=since, until=until)
        return {"ok": True, "a": s.a, "b": s.b, "freq": freq, "directed": directed, "series": s.to_records()}

    @app.get("/api/alerts")
    def get_alerts(
        a: str | None = Query(None, pattern=CODE_RE), b: str | None = Query(None, pattern=CODE_RE),
        since: dt.date | None = None, until: dt.date | None = None, directed: bool = False,
    ):
        from ..analytics.alerts import alerts_for_dyad, top_dyad_pairs

        pairs = [(a, b)] if a and b else top_dyad_pairs(store, limit=5)
        out = []
        for x, y in pairs:
            for al in alerts_for_dyad(store, x, y, directed=directed, since=since, until=until):
                d = al.to_dict()
                d["events"] = [_event_out(e) for e in (store.event(i) for i in al.event_ids) if e]
                out.append(d)
        return {"ok": True, "alerts": out}

    @app.get("/api/dyads")
    def get_dyads(limit: int = Query(10, ge=1, le=100)):
        return {"ok": True, "dyads": _jsonable(store.top_dyads(limit=limit))}

    @app.get("/api/actors")
    def search_actors(q: str = Query("", max_length=100), sector: str | None = Query(None, max_length=8), limit: int = Query(20, ge=1, le=200)):
        like = f"%{q.lower()}%"
        params: list[Any] = []
        sector_sql = ""
        if sector:
            sector_sql = " AND sector = ?"
            params.append(sector.upper())
        sql = (
            "WITH sides AS (SELECT source_code AS code, source_sector AS sector, source_name AS name, source_text AS text FROM events "
            "UNION ALL SELECT target_code, target_sector, target_name, target_text FROM events) "
            "SELECT code, sector, any_value(name) AS name, count(*) AS events FROM sides WHERE code IS NOT NULL "
            "AND (lower(code) LIKE ? OR lower(coalesce(name, '')) LIKE ? OR lower(coalesce(text, '')) LIKE ?)"
            f"{sector_sql} GROUP BY code, sector ORDER BY events DESC, code LIMIT ?"
        )
        rows = store.query(sql, [like, like, like, *params, limit])
        return {"ok": True, "actors": rows}

    @app.post("/api/code")
    async def code_text(request: Request):
        raw = await request.body()
        if len(raw) > MAX_CODE_BYTES:
            return error_response(413, f"text too large ({len(raw)} bytes); POST /api/code takes at most {MAX_CODE_BYTES} bytes")
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
                return error_response(400, f'"date" is "{date}"; expected an ISO date such as 2021-12-24')
        outlet = payload.get("outlet") if isinstance(payload.get("outlet"), str) else None
        events = get_coder().code_text(payload["text"], date=date, outlet=outlet)
        return {"ok": True, "events": [e.to_dict() for e in events]}

    @app.post("/api/ingest")
    async def ingest_endpoint(request: Request, authorization: str | None = Header(None)):
        if not allow_ingest:
            return error_response(403, "ingest is disabled; start the server with --allow-ingest and a token")
        expected = f"Bearer {token}"
        if not authorization or not hmac.compare_digest(authorization.encode(), expected.encode()):
            return error_response(401, "missing or wrong token: send Authorization: Bearer <token>")
        raw = await request.body()
        if len(raw) > 50 * MAX_CODE_BYTES:
            return error_response(413, "body too large; send at most 5 MB of JSONL per request")
        import tempfile

        from ..ingest.run import ingest

        with tempfile.NamedTemporaryFile("wb", suffix=".jsonl", delete=False) as fh:
            fh.write(raw)
            path = fh.name
        try:
            with app.state.ingest_lock:
                summary = ingest([path], store, coder=get_coder(), command="api ingest")
        finally:
            Path(path).unlink(missing_ok=True)
        return {"ok": True, "summary": summary.as_dict()}

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def dashboard():
        return HTMLResponse(resources.files("flashpoint.api").joinpath("static/index.html").read_text(encoding="utf-8"))

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str):
        if name not in ("app.js", "app.css"):
            return error_response(404, f"no static file {name}")
        media = "application/javascript" if name.endswith(".js") else "text/css"
        return Response(resources.files("flashpoint.api").joinpath(f"static/{name}").read_text(encoding="utf-8"), media_type=media)

    return app


def new_token() -> str:
    return secrets.token_urlsafe(24)
