"""Ingest: read inputs, code them, store them, in streaming batches.

Memory stays flat: articles are read lazily and coded and written ``batch_articles`` at a time, each batch
in one transaction. With ``workers=N`` the parse runs in N worker processes (``Coder.process``) while this
process reads, checks and writes. Articles already stored with the same content are not coded again, so re-running an
interrupted ingest resumes where it stopped. Every input that cannot be read is recorded in ``skipped``.
"""

from __future__ import annotations

import collections
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..errors import StoreError
from ..models import Article, Skipped
from ..store.db import EventStore, check_memory_limit, content_hash
from .readers import read_inputs


#: DuckDB's memory limit while ingesting (``ingest(memory_limit=...)``, else $FLASHPOINT_MEMORY_LIMIT, else this;
#: "default": DuckDB's own, 80% of the machine's memory). Without it DuckDB caches the store's blocks as the store
#: grows (about 0.25 GB at 20k articles); a long ingest then stays within about 1 GB besides its coder workers.
INGEST_MEMORY_LIMIT = "512MB"


def ingest_memory_limit(memory_limit: str | None = None) -> str | None:
    """The memory limit an ingest sets on its store (see ``INGEST_MEMORY_LIMIT``), checked (StoreError E308)."""
    if memory_limit is not None:
        return check_memory_limit(memory_limit, "memory_limit")
    env = os.environ.get("FLASHPOINT_MEMORY_LIMIT")
    if env is not None:
        return check_memory_limit(env, "FLASHPOINT_MEMORY_LIMIT")
    return check_memory_limit(INGEST_MEMORY_LIMIT, "INGEST_MEMORY_LIMIT")


_CLUSTER_KEPT = ("The articles and events already written are stored whole; only their clustering is missing, and a "
                 "re-run does it.")


@dataclass
class IngestSummary:
    read: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    events: int = 0
    skip_reasons: collections.Counter = field(default_factory=collections.Counter)
    #: stored articles changed on the way (see ``_note``): "cut", "undated", "dated_by_option"
    notes: collections.Counter = field(default_factory=collections.Counter)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=lambda: {"read": 0.0, "code": 0.0, "store": 0.0, "cluster": 0.0})
    run_id: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "read": self.read, "new": self.new, "updated": self.updated, "unchanged": self.unchanged,
            "skipped": self.skipped, "events": self.events, "skip_reasons": dict(self.skip_reasons),
            "notes": dict(self.notes),
            "seconds": round(self.seconds, 2), "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "run_id": self.run_id,
        }


def _timed_iter(it: Iterable, timings: dict[str, float], key: str) -> Iterator:
    it = iter(it)
    while True:
        t0 = time.perf_counter()
        try:
            item = next(it)
        except StopIteration:
            timings[key] += time.perf_counter() - t0
            return
        timings[key] += time.perf_counter() - t0
        yield item


def ingest(
    inputs: Iterable[str] | None,
    store: EventStore,
    *,
    coder=None,
    articles: Iterable[Article | Skipped] | None = None,
    date=None,
    mapping: dict[str, str] | None = None,
    fmt: str | None = None,
    outlet: str | None = None,
    batch_articles: int = 50,
    workers: int = 1,
    on_progress: Callable[[IngestSummary], None] | None = None,
    command: str = "ingest",
    cluster: bool = True,
    memory_limit: str | None = None,
) -> IngestSummary:
    """Read, code and store. RETURNS (IngestSummary).

    memory_limit (str | None): DuckDB's memory limit while ingesting ("512MB", "2GB", "default"); None:
        $FLASHPOINT_MEMORY_LIMIT, else ``INGEST_MEMORY_LIMIT``. The store's previous limit is restored after.
    """
    limit = ingest_memory_limit(memory_limit)  # a bad value fails before any work
    if coder is None:
        from ..nlp.pipeline import default_coder

        coder = default_coder()
    summary = IngestSummary()
    inputs = list(inputs or [])
    summary.run_id = store.start_run(command, [str(i) for i in inputs])
    t_start = time.perf_counter()
    source = articles if articles is not None else read_inputs(inputs, date=date, mapping=mapping, fmt=fmt, outlet=outlet)
    status = "failed"
    try:
        with store.limit_memory(limit):
            _stream(source, store, coder, summary, batch_articles, workers, cluster, on_progress)
            if cluster:
                # catch up events left unclustered by an interrupted run
                from ..analytics.clusters import update_clusters

                with store.writing("clustering the events left unclustered", _CLUSTER_KEPT):
                    update_clusters(store, None)
        status = "done"
    except StoreError as exc:
        # say how far the run got: what is stored stays, and a re-run resumes after it
        raise StoreError(f"{exc.args[0]} (This run stored {summary.new} new and {summary.updated} updated articles "
                         f"before it stopped.)", code=exc.code) from exc
    finally:
        summary.seconds = time.perf_counter() - t_start
        try:
            store.finish_run(summary.run_id, summary.as_dict(), status=status)
        except StoreError:
            if status == "done":
                raise
            # the run already failed (e.g. the disk is full): its own error, raised on, is the one that explains it;
            # the run's row then stays "running", which is what an interrupted run looks like
    if on_progress:
        on_progress(summary)
    return summary


def _stream(source: Iterable[Article | Skipped], store: EventStore, coder, summary: IngestSummary, batch_articles: int,
            workers: int, cluster: bool, on_progress: Callable[[IngestSummary], None] | None) -> None:
    """read -> resume check -> code -> write, as one stream.

    Reading and the resume check run ``batch_articles`` at a time in front of the coder; coded articles are
    written ``batch_articles`` at a time (one transaction each, then clustered). With workers, the worker
    processes go on parsing the chunks in flight while this process writes, so no one waits at batch ends.
    Memory holds a few batches, whatever the input's size.
    """
    timings = summary.timings

    def to_code() -> Iterator[Article]:
        pending: list[Article] = []
        skipped: list[Skipped] = []
        for item in _timed_iter(source, timings, "read"):
            if isinstance(item, Skipped):
                skipped.append(item)
                summary.skipped += 1
                summary.skip_reasons[item.code] += 1
                continue
            summary.read += 1
            _note(item, summary.notes)
            pending.append(item)
            if len(pending) >= batch_articles:
                yield from _resume_filter(pending, skipped, store, summary)
                pending, skipped = [], []
        yield from _resume_filter(pending, skipped, store, summary)

    coded_iter = iter(coder.process(to_code(), n_process=workers))
    batch: list = []
    pending: list[str] | None = [] if cluster else None
    while True:
        t0 = time.perf_counter()
        other0 = timings["read"] + timings["store"]
        try:
            coded = next(coded_iter)
        except StopIteration:
            coded = None
        # time in the coder, less the reading and resume checks it pulled through to_code()
        timings["code"] += (time.perf_counter() - t0) - (timings["read"] + timings["store"] - other0)
        if coded is None:
            break
        batch.append(coded)
        if len(batch) >= batch_articles:
            _write(batch, store, summary, pending)
            batch = []
            if on_progress:
                on_progress(summary)
    _write(batch, store, summary, pending)
    if pending:
        _cluster(pending, store, summary, final=True)


def _note(article: Article, notes: collections.Counter) -> None:
    """Count what the readers changed in an article they kept (the summary says it, so nothing changes silently)."""
    meta = article.meta or {}
    if meta.get("truncated"):
        notes["cut"] += 1
    if meta.get("date_problem"):
        notes["undated" if article.date is None else "dated_by_option"] += 1


def _resume_filter(pending: list[Article], skipped: list[Skipped], store: EventStore,
                   summary: IngestSummary) -> list[Article]:
    """Record skipped inputs; return the articles not already stored with the same content (resume)."""
    t0 = time.perf_counter()
    if skipped:
        store.add_skipped(skipped, summary.run_id)
    todo = []
    if pending:
        known = store.known_hashes(a.id for a in pending)
        for a in pending:
            if known.get(a.id) == content_hash(a):
                summary.unchanged += 1
            else:
                todo.append(a)
    summary.timings["store"] += time.perf_counter() - t0
    return todo


def _write(batch: list, store: EventStore, summary: IngestSummary, pending: list[str] | None) -> None:
    """Write one batch of coded articles in one transaction, then cluster (``_cluster``); ``pending``: the
    articles written and not yet clustered (None: no clustering)."""
    if not batch:
        return
    t0 = time.perf_counter()
    counts = store.write_batch(batch, summary.run_id)
    summary.new += counts["new"]
    summary.updated += counts["updated"]
    summary.unchanged += counts["unchanged"]
    summary.events += counts["events"]
    store.mark_resolved(c.article.origin for c in batch if c.article.origin)
    t1 = time.perf_counter()
    summary.timings["store"] += t1 - t0
    if pending is not None:
        pending.extend(c.article.id for c in batch)
        _cluster(pending, store, summary, final=False)


def _cluster(pending: list[str], store: EventStore, summary: IngestSummary, final: bool) -> None:
    """Cluster the events of the articles written since the last pass: after every batch when that is cheap,
    else once enough have accumulated (``clusters.pass_due``), and at the end of the input."""
    if not pending:
        return
    from ..analytics.clusters import pass_due, update_clusters

    t0 = time.perf_counter()
    if final or pass_due(store, pending):
        with store.writing("clustering the new events", _CLUSTER_KEPT):
            update_clusters(store, pending)
        pending.clear()
    summary.timings["cluster"] += time.perf_counter() - t0


def retry_skipped(store: EventStore, **kwargs: Any) -> IngestSummary:
    """Re-read the origins recorded in ``skipped`` (their files, after a fix) and ingest them again."""
    origins = sorted({row["origin"].rsplit(":", 1)[0].split("#", 1)[0] for row in store.skipped()})
    summary = ingest(origins, store, command="ingest --retry-skipped", **kwargs)
    # inputs that now read cleanly are no longer skipped
    still = {s["origin"] for s in store.skipped() if s["run_id"] == summary.run_id}
    store.con.execute(
        "UPDATE skipped SET resolved = true WHERE run_id <> ? AND origin NOT IN (SELECT unnest(?))",
        [summary.run_id, sorted(still) or [""]],
    )
    return summary
