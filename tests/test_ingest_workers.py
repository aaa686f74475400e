"""Parallel, streaming ingest: worker processes give the same events in the same order, the input is read
lazily (memory stays flat), and an ingest killed part-way resumes without coding or storing anything twice."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from flashpoint.ingest.run import ingest
from flashpoint.models import Article
from flashpoint.nlp.pipeline import Coder, default_coder
from flashpoint.store.db import EventStore
from flashpoint.testing import STORIES as TESTING_STORIES

ROOT = Path(__file__).resolve().parents[1]

STORIES = TESTING_STORIES[:8]  # the first eight of the shared test stories


def make_articles(n: int, prefix: str = "w") -> list[Article]:
    return [Article(id=f"{prefix}{i}", text=STORIES[i % len(STORIES)] + f" Report number {i}.",
                    date=dt.date(2022, 3, 1 + i % 28), outlet="Test Wire", origin=f"test:{i}") for i in range(n)]


@pytest.fixture(scope="module")
def coder():
    return default_coder()


@pytest.fixture(scope="module")
def parser():
    """The parse alone (no flashpoint stages): fast, for the plumbing tests."""
    c = Coder({"nlp": {"stages": []}})
    yield c
    c.close()


def as_plain(coded):
    return [(c.article.id, [(s.start, s.end) for s in c.sentences], [e.to_dict() for e in c.events]) for c in coded]


def test_ingest_workers_give_the_same_events_as_one_process(coder):
    arts = make_articles(len(STORIES))
    one = as_plain(coder.process(arts, n_process=1))
    two = as_plain(coder.process(arts, n_process=2))
    assert two == one
    assert sum(len(evs) for _, _, evs in one) > 0


def test_ingest_workers_keep_the_input_order(parser):
    arts = make_articles(150)
    ids = [c.article.id for c in parser.process(arts, n_process=2)]
    assert ids == [a.id for a in arts]


@pytest.mark.parametrize("n_process", [1, 2])
def test_ingest_workers_read_the_input_lazily(parser, n_process):
    pulled = 0

    def endless():
        nonlocal pulled
        for a in make_articles(10_000):
            pulled += 1
            yield a

    first = next(iter(parser.process(endless(), n_process=n_process)))
    assert first.article.id == "w0"
    assert pulled <= 4 * parser.batch_size * max(1, n_process)


def test_ingest_workers_stream_in_batches(tmp_path, parser):
    pulled = 0
    at_first_write = []

    def source():
        nonlocal pulled
        for a in make_articles(400):
            pulled += 1
            yield a

    with EventStore(tmp_path / "s.duckdb") as store:
        s = ingest(None, store, coder=parser, articles=source(), batch_articles=10, workers=2, cluster=False,
                   on_progress=lambda s: at_first_write.append(pulled))
        assert (s.read, s.new) == (400, 400)
        assert store.stats()["articles"] == 400
    # by the first write only a few batches had been read, not the whole input
    assert at_first_write[0] < 400 / 2


def test_ingest_workers_pool_is_kept_and_closed(parser):
    arts = make_articles(20)
    list(parser.process(arts, n_process=2))
    pool = parser._pools[2]
    list(parser.process(arts, n_process=2))
    assert parser._pools[2] is pool
    parser.close()
    assert not getattr(parser, "_pools", {})
    assert len(list(parser.process(arts, n_process=2))) == 20  # starts a new pool


def test_ingest_workers_dead_worker_loses_nothing(parser):
    """A worker killed mid-run (or crashing in native code): the run goes on in this process, same output, in order."""
    arts = make_articles(200)
    expected = as_plain(parser.process(arts))
    before = getattr(parser, "worker_failures", 0)

    def killing():
        for i, a in enumerate(arts):
            if i == 40:
                pid = next(iter(parser._pools[2]._processes))
                os.kill(pid, signal.SIGKILL)
            yield a

    with pytest.warns(RuntimeWarning, match="worker process died"):
        got = as_plain(parser.process(killing(), n_process=2))
    assert got == expected
    assert parser.worker_failures == before + 1
    assert not getattr(parser, "_pools", {})  # the broken pool was closed
    assert len(list(parser.process(arts[:10], n_process=2))) == 10  # a new pool on the next run


def test_ingest_workers_killed_ingest_resumes_without_duplicates(tmp_path, coder):
    src = tmp_path / "news.jsonl"
    arts = make_articles(12, prefix="k")
    src.write_text("".join(json.dumps({"id": a.id, "date": a.date.isoformat(), "text": a.text}) + "\n" for a in arts),
                   encoding="utf-8")
    db = tmp_path / "k.duckdb"
    # a hard kill (no cleanup, no finally) right after the first batch was committed
    script = textwrap.dedent(f"""
        import os
        from flashpoint.ingest.run import ingest
        from flashpoint.store.db import EventStore
        store = EventStore({str(db)!r})
        def die(s):
            if s.new >= 4:
                os._exit(9)
        ingest([{str(src)!r}], store, batch_articles=4, workers=2, on_progress=die)
    """)
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 9, proc.stderr[-2000:]
    with EventStore(db) as store:
        assert store.stats()["articles"] == 4
        resumed = ingest([str(src)], store, batch_articles=4, workers=2)
        assert (resumed.read, resumed.unchanged, resumed.new) == (12, 4, 8)
        assert store.stats()["articles"] == 12
        n_events = store.stats()["events"]
        dup = store.query("SELECT count(*) - count(DISTINCT event_id) AS d FROM events")[0]["d"]
        assert dup == 0
        again = ingest([str(src)], store, workers=2)
        assert (again.unchanged, again.new, store.stats()["events"]) == (12, 0, n_events)
    with EventStore(tmp_path / "clean.duckdb") as clean:
        ingest([str(src)], clean, workers=1)
        assert clean.stats()["events"] == n_events


def test_ingest_workers_cli(tmp_path):
    from typer.testing import CliRunner

    from flashpoint.cli import app

    src = tmp_path / "news.jsonl"
    src.write_text("".join(json.dumps({"id": a.id, "date": a.date.isoformat(), "text": a.text}) + "\n"
                           for a in make_articles(6, prefix="c")), encoding="utf-8")
    result = CliRunner().invoke(app, ["ingest", str(src), "--db", str(tmp_path / "c.duckdb"), "--workers", "2", "-q"])
    assert result.exit_code == 0, result.output
    assert "Read 6 articles: 6 new" in result.output
