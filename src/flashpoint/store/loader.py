"""Load coded Parquet (the output of ``flashpoint ingest --engine spark --out DIR``) into an event store.

    flashpoint load coded/ --db news.duckdb

    >>> from flashpoint.store.loader import load_parquet, open_parquet
    >>> load_parquet("coded/", store)                 # articles, sentences, events, skipped; then clusters
    {'new': 10, 'updated': 0, 'unchanged': 0, 'events': 23, 'skipped': 1, ...}
    >>> open_parquet("coded/").top_dyads(5)           # query the files in place, without loading them

Loading follows the rules of ``flashpoint ingest``: an article already in the store with the same content hash
is left as it is (``unchanged``), one with another content is replaced with its sentences and events
(``updated``); everything is written in one transaction, so loading the same folder twice changes nothing and
an interrupted load leaves the store as it was. The load is recorded in ``runs`` like an ingest.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

import duckdb

from ..errors import StoreError
from ..models import Skipped
from .db import EVENT_COLUMNS, EventStore

__all__ = ["load_parquet", "open_parquet", "parquet_tables"]

ARTICLE_COLUMNS = ("article_id", "title", "outlet", "url", "published_at", "pub_date", "text", "origin", "content_hash",
                   "meta")
SENTENCE_COLUMNS = ("article_id", "idx", "start_char", "end_char", "text")


def parquet_tables(directory: str | Path) -> dict[str, str]:
    """The Parquet globs of a coded folder: {"articles": ".../articles/**/*.parquet", ...} for the tables present.

    RAISES StoreError: the folder is not a flashpoint Parquet output (no articles/ with Parquet files).
    """
    root = Path(directory)
    if not root.is_dir():
        raise StoreError(f"no folder {root}; give the --out folder of `flashpoint ingest --engine spark`", code="E330")
    found = {}
    for table in ("articles", "sentences", "events", "skipped"):
        sub = root / table
        if sub.is_dir() and any(sub.rglob("*.parquet")):
            found[table] = str(sub / "**" / "*.parquet")
    if "articles" not in found:
        kids = ", ".join(sorted(p.name for p in root.iterdir())[:10]) or "nothing"
        raise StoreError(
            f"{root} is not a flashpoint Parquet output: it has no articles/*.parquet (it holds {kids}); give the "
            "--out folder of `flashpoint ingest --engine spark`",
            code="E331",
        )
    return found


def _scan(glob: str) -> str:
    return f"read_parquet('{glob.replace(chr(39), chr(39) * 2)}', hive_partitioning = true, union_by_name = true)"


def load_parquet(directory: str | Path, store: EventStore, *, cluster: bool = True) -> dict[str, Any]:
    """Load a coded Parquet folder into ``store`` (one transaction), then cluster the new events.

    directory (str | Path): the ``--out`` folder of the Spark engine.
    store (EventStore): an open, writable store.
    cluster (bool): link the new events into clusters afterwards (as ingest does).
    RETURNS (dict): new, updated, unchanged (articles), events, sentences, skipped, seconds, run_id.
    """
    t0 = time.perf_counter()
    tables = parquet_tables(directory)
    run_id = store.start_run("load", [str(directory)])
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    counts: dict[str, Any] = {"new": 0, "updated": 0, "unchanged": 0, "events": 0, "sentences": 0, "skipped": 0}
    status = "failed"
    con = store.con
    try:
        with store._lock:
            try:
                con.execute("BEGIN TRANSACTION")
                con.execute(
                    "CREATE OR REPLACE TEMP TABLE _load_in AS SELECT article_id, any_value(content_hash) AS content_hash "
                    f"FROM {_scan(tables['articles'])} GROUP BY article_id"
                )
                con.execute(
                    "CREATE OR REPLACE TEMP TABLE _load_ids AS SELECT i.article_id, a.article_id IS NOT NULL AS known "
                    "FROM _load_in i LEFT JOIN articles a USING (article_id) "
                    "WHERE a.article_id IS NULL OR a.content_hash IS DISTINCT FROM i.content_hash"
                )
                total = con.execute("SELECT count(*) FROM _load_in").fetchone()[0]
                new, updated = con.execute(
                    "SELECT count(*) FILTER (WHERE NOT known), count(*) FILTER (WHERE known) FROM _load_ids").fetchone()
                counts.update(new=new, updated=updated, unchanged=total - new - updated)
                for table in ("events", "sentences", "articles"):
                    con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT article_id FROM _load_ids WHERE known)")
                cols = ", ".join(ARTICLE_COLUMNS)
                con.execute(
                    f"INSERT INTO articles ({cols}, run_id, ingested_at) "
                    f"SELECT DISTINCT ON (article_id) {cols}, ?, ? FROM {_scan(tables['articles'])} "
                    "WHERE article_id IN (SELECT article_id FROM _load_ids)",
                    [run_id, now],
                )
                if "sentences" in tables:
                    scols = ", ".join(SENTENCE_COLUMNS)
                    counts["sentences"] = con.execute(
                        f"INSERT INTO sentences ({scols}) SELECT DISTINCT ON (article_id, idx) {scols} "
                        f"FROM {_scan(tables['sentences'])} WHERE article_id IN (SELECT article_id FROM _load_ids)"
                    ).fetchone()[0]
                if "events" in tables:
                    ecols = ", ".join(EVENT_COLUMNS)
                    counts["events"] = con.execute(
                        f"INSERT OR REPLACE INTO events ({ecols}) SELECT {ecols} FROM {_scan(tables['events'])} "
                        "WHERE article_id IN (SELECT article_id FROM _load_ids)"
                    ).fetchone()[0]
                con.execute("COMMIT")
            except duckdb.Error as exc:
                try:
                    con.execute("ROLLBACK")
                except duckdb.Error:
                    pass
                raise StoreError(f"loading {directory} into {store.path} failed and was rolled back: {exc}. "
                                 "Check that the folder is a complete Spark output (each table has a _SUCCESS file).",
                                 code="E332") from exc
            finally:
                for tmp in ("_load_in", "_load_ids"):
                    try:
                        con.execute(f"DROP TABLE IF EXISTS {tmp}")
                    except duckdb.Error:
                        pass
        if "skipped" in tables:
            rows = store.query(f"SELECT origin, reason, code, raw FROM {_scan(tables['skipped'])}")
            counts["skipped"] = store.add_skipped((Skipped(r["origin"], r["reason"], r["code"], r["raw"]) for r in rows), run_id)
        if cluster and (counts["new"] or counts["updated"]):
            from ..analytics.clusters import update_clusters

            update_clusters(store, None)
        status = "done"
    finally:
        counts["seconds"] = round(time.perf_counter() - t0, 2)
        counts["run_id"] = run_id
        store.finish_run(run_id, {"read": counts["new"] + counts["updated"] + counts["unchanged"], **counts}, status=status)
    return counts


def open_parquet(directory: str | Path) -> EventStore:
    """A read-only view of a coded Parquet folder as an (in-memory) EventStore: every query method works on the
    files in place (``events``, ``top_dyads``, ``dyad_series`` ...); clusters are empty until loaded into a store.
    """
    tables = parquet_tables(directory)
    store = EventStore(":memory:")
    con = store.con
    for table, cols, extra in (("articles", ARTICLE_COLUMNS, ", NULL::VARCHAR AS run_id, NULL::TIMESTAMP AS ingested_at"),
                               ("sentences", SENTENCE_COLUMNS, ""), ("events", EVENT_COLUMNS, "")):
        if table not in tables:
            continue
        con.execute(f"DROP TABLE {table}")
        con.execute(f"CREATE VIEW {table} AS SELECT {', '.join(cols)}{extra} FROM {_scan(tables[table])}")
    return store
