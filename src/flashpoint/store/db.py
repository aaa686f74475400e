"""The event store: one DuckDB file with articles, sentences, events, clusters, skipped inputs and alerts.

    store = EventStore("flashpoint.duckdb")
    store.write_batch(coded_articles, run_id)      # one transaction per batch
    store.events(dyad=("RUS", "UKR"), since=date(2022, 2, 1))
    store.events_frame(actor="RUS")                # pandas DataFrame

Concurrency: DuckDB allows one process to write a file. The writing process may serve readers on other
cursors (each sees committed data). ``read_only=True`` opens for reading when no writer holds the file.
All queries are built with parameters, never by pasting user text into SQL.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import json
import os
import re
import threading
import uuid
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from ..errors import QueryError, StoreError
from ..models import Article, Event, Skipped

SCHEMA_VERSION = 1

EVENT_COLUMNS = (
    "event_id", "article_id", "sentence_idx", "event_type", "mode", "quad", "intensity", "modality", "confidence",
    "trigger_text", "trigger_start", "trigger_end", "event_date", "date_text", "date_resolution",
    "source_text", "source_code", "source_sector", "source_name", "source_codes", "source_resolution",
    "target_text", "target_code", "target_sector", "target_name", "target_codes", "target_resolution",
    "reciprocal", "location", "location_country", "attribution", "speaker_code", "speaker_text", "outlet_chain",
    "outlet", "published_at", "cameo", "rule", "stage", "cluster_id", "created_at",
)
FORMATS = ("table", "csv", "jsonl", "parquet", "json")
_S, _I, _F, _D, _T, _B, _L = pa.string(), pa.int64(), pa.float64(), pa.date32(), pa.timestamp("us"), pa.bool_(), pa.list_(pa.string())
ARTICLE_SCHEMA = pa.schema([
    ("article_id", _S), ("title", _S), ("outlet", _S), ("url", _S), ("published_at", _S), ("pub_date", _D), ("text", _S),
    ("origin", _S), ("content_hash", _S), ("run_id", _S), ("ingested_at", _T), ("meta", _S),
])
SENTENCE_SCHEMA = pa.schema([("article_id", _S), ("idx", _I), ("start_char", _I), ("end_char", _I), ("text", _S)])
_EVENT_TYPES = {
    "sentence_idx": _I, "intensity": _F, "confidence": _F, "trigger_start": _I, "trigger_end": _I, "event_date": _D,
    "source_codes": _L, "target_codes": _L, "reciprocal": _B, "outlet_chain": _L, "created_at": _T,
}
EVENT_SCHEMA = pa.schema([(c, _EVENT_TYPES.get(c, _S)) for c in EVENT_COLUMNS])


#: OS failures that mean "no room to write": (errno, the words DuckDB and the OS use for it)
_NO_ROOM = ((errno.ENOSPC, "no space left on device"), (errno.EDQUOT, "disk quota exceeded"),
            (errno.EFBIG, "file too large"))
#: OS failures that mean "not allowed to write here"
_NOT_WRITABLE = ((errno.EROFS, "read-only file system"), (errno.EACCES, "permission denied"),
                 (errno.EPERM, "operation not permitted"))


def _os_problem(exc: BaseException) -> tuple[str, str] | None:
    """("no-room" | "not-writable", the OS reason) when ``exc`` (or what caused it) is such a failure, else None."""
    seen: list[BaseException] = []
    e: BaseException | None = exc
    while e is not None and e not in seen and len(seen) < 5:
        seen.append(e)
        e = e.__cause__ or e.__context__
    for kind, table in (("no-room", _NO_ROOM), ("not-writable", _NOT_WRITABLE)):
        for e in seen:
            if isinstance(e, OSError) and e.errno in {n for n, _ in table}:
                return kind, os.strerror(e.errno)
            text = str(e).lower()
            for number, words in table:
                if words in text:
                    return kind, os.strerror(number)
    return None


_LOST_BATCH = "Nothing of the unfinished batch was stored; the store keeps every article stored before, each whole."


def store_write_error(path: str, exc: BaseException, doing: str, kept: str = _LOST_BATCH) -> StoreError:
    """The StoreError for a failed write to the store at ``path`` while ``doing`` something, saying how to fix it.

    A full disk (or quota, or file size limit) gives E311, a read-only file or folder E307, anything else E310.
    kept (str): what the store still holds after the failure (one sentence).
    """
    folder = Path(path).resolve().parent if path != ":memory:" else Path(".")
    detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc).replace("\n", " ")[:300]
    problem = _os_problem(exc)
    if problem:
        detail = problem[1] if detail == problem[1] else f"{problem[1]} ({detail})"
    if problem and problem[0] == "no-room":
        return StoreError(
            f"no room to write the event store {path} while {doing}: {detail}. {kept} Free space on the "
            f"disk holding {folder} (or raise the quota or file size limit, or move the store with --db to a disk with "
            f"room), then re-run the same command: it resumes after the last stored article.",
            code="E311",
        )
    if problem:
        return StoreError(
            f"cannot write the event store {path} while {doing}: {detail}. Make the file and its "
            f"folder {folder} writable for this user (DuckDB also writes a journal {Path(path).name}.wal beside it), or "
            f"use --db with a copy in a writable folder. Commands that only read (events, series, summary, serve without "
            f"--allow-ingest) open the store read-only and work as it is.",
            code="E307",
        )
    return StoreError(f"writing to {path} failed while {doing} and was rolled back: {detail}. {kept} "
                      f"Re-run the same command to resume.", code="E310")


_MEMORY_LIMIT = re.compile(r"\s*\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*", re.IGNORECASE)


def check_memory_limit(value: str, origin: str) -> str | None:
    """A DuckDB memory limit as given by ``origin`` (an option, a variable), checked: "512MB", "2GB" ..., or
    None for "default" (DuckDB's own: 80% of the machine's memory). Raises StoreError E308 for anything else."""
    if value.strip().lower() in ("", "default"):
        return None
    if not _MEMORY_LIMIT.fullmatch(value):
        raise StoreError(f"bad memory limit {value!r} (from {origin}): give a size such as 512MB or 2GB, or 'default' "
                         f"for DuckDB's own (80% of the machine's memory)", code="E308")
    return value.strip()


def _arrow(rows: list[tuple], schema: pa.Schema) -> pa.Table:
    cols = list(zip(*rows)) if rows else [[] for _ in schema]
    return pa.Table.from_arrays([pa.array(list(col), type=f.type) for col, f in zip(cols, schema)], schema=schema)


def content_hash(article: Article) -> str:
    h = hashlib.sha1()
    h.update((article.title or "").encode("utf-8"))
    h.update(b"\x00")
    h.update(article.text.encode("utf-8"))
    return h.hexdigest()


def _event_row(ev: Event, article: Article, now: dt.datetime) -> tuple:
    src, tgt = ev.source, ev.target
    speaker = next((a for a in ev.attribution if a.role == "speaker"), None)
    chain = [a.name or a.text for a in ev.attribution if a.role == "outlet"]
    loc = ev.location
    return (
        ev.event_id, ev.doc_id, ev.sentence, ev.event_type, ev.mode, ev.quad, ev.intensity, ev.modality,
        ev.confidence, ev.trigger_text, ev.trigger_start, ev.trigger_end, ev.date, ev.date_text,
        ev.date_resolution,
        src.text if src else None, src.code if src else None, src.sector if src else None,
        src.name if src else None, list(src.codes) if src else [], src.resolution if src else None,
        tgt.text if tgt else None, tgt.code if tgt else None, tgt.sector if tgt else None,
        tgt.name if tgt else None, list(tgt.codes) if tgt else [], tgt.resolution if tgt else None,
        ev.reciprocal, json.dumps(loc) if loc else None, loc.get("country") if loc else None,
        json.dumps([a.to_dict() for a in ev.attribution]), speaker.code if speaker else None,
        speaker.text if speaker else None, chain, ev.outlet, article.published_at, ev.cameo, ev.rule, ev.stage,
        None, now,
    )


class EventStore:
    """A DuckDB-backed store.

    path (str | Path): the database file (":memory:" for a throwaway store).
    read_only (bool): open for reading only.
    """

    def __init__(self, path: str | Path = "flashpoint.duckdb", read_only: bool = False) -> None:
        self.path = str(path)
        self.read_only = read_only
        if read_only and self.path != ":memory:" and not Path(self.path).exists():
            raise StoreError(f"no event store at {self.path}; create one with `flashpoint ingest FILES --db {self.path}`", code="E301")
        if not read_only and self.path != ":memory:":
            parent = Path(self.path).resolve().parent
            if not parent.exists():
                raise StoreError(f"cannot create the event store {self.path}: folder {parent} does not exist", code="E302")
            # checked before any work starts (an ingest must not code for an hour, then fail at its first write)
            if Path(self.path).exists() and not os.access(self.path, os.W_OK):
                raise store_write_error(self.path, PermissionError(errno.EACCES, "the file is read-only for this user"), "opening it for writing")
            if not os.access(parent, os.W_OK):
                raise store_write_error(self.path, PermissionError(errno.EACCES, f"the folder {parent} is read-only for this user"),
                                        "opening it for writing")
        try:
            self.con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.IOException as exc:
            msg = str(exc)
            if "lock" in msg.lower():
                raise StoreError(
                    f"the event store {self.path} is in use by another process (DuckDB allows one writer). "
                    f"Wait for the other ingest to finish, or stop `flashpoint serve` on it and use its --allow-ingest endpoint.",
                    code="E303",
                ) from exc
            if not read_only and _os_problem(exc):
                raise store_write_error(self.path, exc, "opening it for writing") from exc
            raise StoreError(f"cannot open the event store {self.path}: {msg}. Check the path and its permissions.", code="E304") from exc
        except duckdb.Error as exc:
            raise StoreError(f"cannot open the event store {self.path}: {exc}", code="E304") from exc
        self._lock = threading.RLock()
        if not read_only:
            self._migrate()

    # ------------------------------------------------------------------ setup
    def _migrate(self) -> None:
        sql = resources.files("flashpoint.store").joinpath("schema.sql").read_text(encoding="utf-8")
        with self._lock:
            try:
                self.con.execute(sql)
                have = self.con.execute("SELECT max(version) FROM schema_migrations").fetchall()[0][0]  # fetched whole: DuckDB 2 keeps a half-read result open on the connection
                if have is None:
                    self.con.execute("INSERT INTO schema_migrations (version) VALUES (?)", [SCHEMA_VERSION])
                elif have > SCHEMA_VERSION:
                    raise StoreError(
                        f"{self.path} has schema version {have}, newer than this flashpoint ({SCHEMA_VERSION}); upgrade flashpoint",
                        code="E305",
                    )
            except duckdb.Error as exc:
                if _os_problem(exc):
                    raise store_write_error(self.path, exc, "creating its tables") from exc
                raise StoreError(f"cannot prepare the event store {self.path}: {exc}", code="E306") from exc

    @contextlib.contextmanager
    def limit_memory(self, limit: str | None):
        """Hold DuckDB's memory for this store within ``limit`` ("512MB", "2GB"; None or "default": no change)
        until the block ends, then restore the previous limit. A bad value raises StoreError E308.

        DuckDB's own limit is 80% of the machine's memory, and its cache of the file's blocks grows toward it as a
        long ingest reads the growing store; under a limit, blocks read again come from the operating system's
        file cache (a query that scans more than the limit gets slower: ingest uses it, readers do not)."""
        limit = check_memory_limit(limit, "limit_memory") if limit is not None else None
        if limit is None or self.path == ":memory:":  # an in-memory store cannot give blocks back to a file
            yield
            return
        with self._lock:
            before = self.con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
            try:
                self.con.execute(f"SET memory_limit = '{limit}'")  # checked above: digits and a unit
            except duckdb.Error as exc:
                raise StoreError(f"DuckDB refused the memory limit {limit!r} for {self.path}: {exc}", code="E308") from exc
        try:
            yield
        finally:
            with self._lock, contextlib.suppress(duckdb.Error):
                self.con.execute("RESET memory_limit")  # DuckDB's default, exactly (it prints it rounded)
                if self.con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0] != before:
                    self.con.execute(f"SET memory_limit = '{before.replace(' ', '')}'")

    def close(self) -> None:
        """Close the store. DuckDB then folds its journal (.wal) into the file; if that write fails (a full disk),
        every committed batch stays in the journal and is read back at the next open."""
        try:
            self.con.close()
        except (duckdb.Error, OSError) as exc:
            raise store_write_error(self.path, exc, "closing it (folding the journal into the file)") from exc

    @contextlib.contextmanager
    def writing(self, doing: str, kept: str = _LOST_BATCH):
        """A block that writes to the store: a failed write (full disk, read-only file, other DuckDB error)
        becomes a StoreError that names the store and says how to fix it.

        doing (str): what the block does, for the message ("clustering the new events").
        kept (str): what the store still holds if the block fails (one sentence).
        """
        try:
            yield
        except StoreError:
            raise
        except (duckdb.Error, OSError) as exc:
            raise store_write_error(self.path, exc, doing, kept) from exc

    def __enter__(self) -> EventStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor for a reader thread (sees committed data)."""
        return self.con.cursor()

    # ------------------------------------------------------------------ writing
    def known_hashes(self, ids: Iterable[str]) -> dict[str, str]:
        ids = list(ids)
        if not ids:
            return {}
        with self._lock:
            rows = self.con.execute(
                "SELECT article_id, content_hash FROM articles WHERE article_id IN (SELECT unnest(?))", [ids]
            ).fetchall()
        return dict(rows)

    def write_batch(self, coded: list, run_id: str) -> dict[str, int]:
        """Write coded articles in ONE transaction. Unchanged articles are skipped; changed ones replaced.

        coded (list[CodedArticle]): from ``Coder.process``.
        RETURNS (dict): counts new, updated, unchanged, events.
        """
        counts = {"new": 0, "updated": 0, "unchanged": 0, "events": 0}
        if not coded:
            return counts
        now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
        known = self.known_hashes(c.article.id for c in coded)
        art_rows, sent_rows, ev_rows, replaced = [], [], [], []
        seen: set[str] = set()
        for c in coded:
            a = c.article
            h = content_hash(a)
            if a.id in seen:
                continue
            seen.add(a.id)
            if known.get(a.id) == h:
                counts["unchanged"] += 1
                continue
            if a.id in known:
                replaced.append(a.id)
                counts["updated"] += 1
            else:
                counts["new"] += 1
            art_rows.append((a.id, a.title, a.outlet, a.url, a.published_at, a.date, a.text, a.origin, h, run_id, now, json.dumps(a.meta, default=str)))
            sent_rows.extend((a.id, s.index, s.start, s.end, s.text) for s in c.sentences)
            ev_rows.extend(_event_row(e, a, now) for e in c.events)
        counts["events"] = len(ev_rows)
        if not art_rows:
            return counts
        with self._lock:
            try:
                self.con.execute("BEGIN TRANSACTION")
                if replaced:
                    for table in ("events", "sentences", "articles"):
                        self.con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT unnest(?))", [replaced])
                # bulk inserts from Arrow tables: one statement per table instead of one per row
                for name, rows, schema, verb in (("articles", art_rows, ARTICLE_SCHEMA, "INSERT"),
                                                  ("sentences", sent_rows, SENTENCE_SCHEMA, "INSERT"),
                                                  ("events", ev_rows, EVENT_SCHEMA, "INSERT OR REPLACE")):
                    if not rows:
                        continue
                    view = f"_batch_{name}"
                    self.con.register(view, _arrow(rows, schema))
                    try:
                        cols = ",".join(schema.names)
                        self.con.execute(f"{verb} INTO {name} ({cols}) SELECT {cols} FROM {view}")
                    finally:
                        self.con.unregister(view)
                self.con.execute("COMMIT")
            except (duckdb.Error, OSError) as exc:
                try:
                    self.con.execute("ROLLBACK")
                except duckdb.Error:
                    pass  # the failed COMMIT already ended the transaction; the write error below is what to report
                raise store_write_error(self.path, exc, f"writing a batch of {len(art_rows)} articles") from exc
        return counts

    def add_skipped(self, items: Iterable[Skipped], run_id: str) -> int:
        rows = []
        now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
        for s in items:
            sid = hashlib.sha1(f"{s.origin}\x00{s.raw or ''}".encode("utf-8", "replace")).hexdigest()[:20]
            rows.append((sid, s.origin, s.reason, s.code, s.raw, run_id, now, now))
        if not rows:
            return 0
        with self._lock, self.writing("recording skipped inputs"):
            self.con.executemany(
                """INSERT INTO skipped (skip_id, origin, reason, code, raw, run_id, first_seen, last_seen, resolved)
                   VALUES (?,?,?,?,?,?,?,?,false)
                   ON CONFLICT (skip_id) DO UPDATE SET reason = excluded.reason, code = excluded.code,
                   run_id = excluded.run_id, last_seen = excluded.last_seen, resolved = false""",
                rows,
            )
        return len(rows)

    def mark_resolved(self, origins: Iterable[str]) -> None:
        origins = list(origins)
        if origins:
            with self._lock, self.writing("marking re-read inputs as resolved"):
                self.con.execute("UPDATE skipped SET resolved = true WHERE origin IN (SELECT unnest(?))", [origins])

    def start_run(self, command: str, inputs: list[str]) -> str:
        run_id = "run-" + uuid.uuid4().hex[:12]
        with self._lock, self.writing("starting a run"):
            self.con.execute(
                "INSERT INTO runs (run_id, started_at, command, inputs, status) VALUES (?, ?, ?, ?, 'running')",
                [run_id, dt.datetime.now(dt.timezone.utc).replace(tzinfo=None), command, json.dumps(inputs)],
            )
        return run_id

    def finish_run(self, run_id: str, summary: dict[str, int], status: str = "done") -> None:
        with self._lock, self.writing("recording the end of the run"):
            self.con.execute(
                """UPDATE runs SET finished_at = ?, n_read = ?, n_new = ?, n_unchanged = ?, n_updated = ?,
                   n_skipped = ?, n_events = ?, status = ? WHERE run_id = ?""",
                [dt.datetime.now(dt.timezone.utc).replace(tzinfo=None), summary.get("read", 0), summary.get("new", 0),
                 summary.get("unchanged", 0), summary.get("updated", 0), summary.get("skipped", 0),
                 summary.get("events", 0), status, run_id],
            )

    # ------------------------------------------------------------------ reading
    def _where(self, actor=None, dyad=None, directed=False, event_type=None, since=None, until=None, outlet=None,
               min_confidence=None, modality=None, article_id=None, cluster_id=None) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if actor:
            clauses.append("(source_code = ? OR target_code = ? OR list_contains(source_codes, ?) OR list_contains(target_codes, ?))")
            params += [actor, actor, actor, actor]
        if dyad:
            a, b = dyad
            if directed:
                clauses.append("(source_code = ? AND target_code = ?)")
                params += [a, b]
            else:
                clauses.append("((source_code = ? AND target_code = ?) OR (source_code = ? AND target_code = ?))")
                params += [a, b, b, a]
        if event_type:
            types = [event_type] if isinstance(event_type, str) else list(event_type)
            clauses.append("event_type IN (SELECT unnest(?))")
            params.append([t.upper() for t in types])
        if since:
            clauses.append("event_date >= ?")
            params.append(since)
        if until:
            clauses.append("event_date <= ?")
            params.append(until)
        if since and until and since > until:
            raise QueryError(f"--since must be before --until (got {since} > {until})")
        if outlet:
            clauses.append("outlet = ?")
            params.append(outlet)
        if min_confidence is not None:
            clauses.append("confidence >= ?")
            params.append(float(min_confidence))
        if modality:
            clauses.append("modality = ?")
            params.append(modality)
        if article_id:
            clauses.append("article_id = ?")
            params.append(article_id)
        if cluster_id:
            clauses.append("cluster_id = ?")
            params.append(cluster_id)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def events(self, *, limit: int | None = None, offset: int = 0, order: str = "date", **filters: Any) -> list[dict[str, Any]]:
        """Events matching the filters, as plain dicts (newest first by default)."""
        where, params = self._where(**filters)
        order_sql = {"date": "event_date DESC NULLS LAST, event_id", "confidence": "confidence DESC, event_id",
                     "oldest": "event_date ASC NULLS LAST, event_id"}.get(order)
        if order_sql is None:
            raise QueryError(f'unknown order "{order}"; use date, oldest or confidence')
        sql = f"SELECT * FROM events{where} ORDER BY {order_sql}"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params = params + [int(limit), int(offset)]
        return self.query(sql, params)

    def count_events(self, **filters: Any) -> int:
        where, params = self._where(**filters)
        return self.query(f"SELECT count(*) AS n FROM events{where}", params)[0]["n"]

    def events_frame(self, **filters: Any):
        """Events as a pandas DataFrame."""
        where, params = self._where(**filters)
        with self._lock:
            cur = self.con.cursor()
            return cur.execute(f"SELECT * FROM events{where} ORDER BY event_date, event_id", params).df()

    def query(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        """Run a parameterised read query on a fresh cursor; rows as dicts."""
        cur = self.con.cursor()
        try:
            res = cur.execute(sql, params or [])
            cols = [d[0] for d in res.description]
            return [dict(zip(cols, row)) for row in res.fetchall()]
        finally:
            cur.close()

    def event(self, event_id: str) -> dict[str, Any] | None:
        rows = self.query("SELECT * FROM events WHERE event_id = ?", [event_id])
        return rows[0] if rows else None

    def article(self, article_id: str) -> dict[str, Any] | None:
        rows = self.query("SELECT * FROM articles WHERE article_id = ?", [article_id])
        return rows[0] if rows else None

    def sentences(self, article_id: str) -> list[dict[str, Any]]:
        return self.query("SELECT * FROM sentences WHERE article_id = ? ORDER BY idx", [article_id])

    def skipped(self, include_resolved: bool = False) -> list[dict[str, Any]]:
        where = "" if include_resolved else " WHERE NOT resolved"
        return self.query(f"SELECT * FROM skipped{where} ORDER BY last_seen, origin")

    def stats(self) -> dict[str, int]:
        out = {}
        for table in ("articles", "sentences", "events", "clusters", "skipped", "alerts"):
            out[table] = self.query(f"SELECT count(*) AS n FROM {table}")[0]["n"]
        return out

    def top_dyads(self, limit: int = 10, **filters: Any) -> list[dict[str, Any]]:
        where, params = self._where(**filters)
        extra = " AND " if where else " WHERE "
        sql = (
            f"SELECT least(source_code, target_code) AS a, greatest(source_code, target_code) AS b, count(*) AS events, "
            f"sum(CASE WHEN quad LIKE '%CONF' THEN 1 ELSE 0 END) AS conflict, "
            f"sum(CASE WHEN quad LIKE '%COOP' THEN 1 ELSE 0 END) AS cooperation, round(avg(intensity), 2) AS mean_intensity "
            f"FROM events{where}{extra}source_code IS NOT NULL AND target_code IS NOT NULL AND source_code <> target_code "
            f"GROUP BY 1, 2 ORDER BY events DESC, a, b LIMIT ?"
        )
        return self.query(sql, params + [limit])

    def type_counts(self, **filters: Any) -> list[dict[str, Any]]:
        where, params = self._where(**filters)
        return self.query(f"SELECT event_type, count(*) AS events FROM events{where} GROUP BY 1 ORDER BY 2 DESC, 1", params)

    def intense_days(self, limit: int = 5, **filters: Any) -> list[dict[str, Any]]:
        where, params = self._where(**filters)
        extra = " AND " if where else " WHERE "
        sql = (
            f"SELECT event_date AS day, count(*) AS events, round(sum(CASE WHEN intensity < 0 THEN -intensity * confidence ELSE 0 END), 1) AS conflict_score "
            f"FROM events{where}{extra}event_date IS NOT NULL AND modality NOT IN ('negated', 'denied') "
            f"GROUP BY 1 ORDER BY conflict_score DESC, day LIMIT ?"
        )
        return self.query(sql, params + [limit])


def open_store(path: str | Path = "flashpoint.duckdb", read_only: bool = False) -> EventStore:
    """Open (and create when missing) an event store."""
    return EventStore(path, read_only=read_only)
