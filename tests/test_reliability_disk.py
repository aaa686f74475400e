"""Reliability of the store's disk: read-only files and folders, and a disk that fills up during an ingest.

A store that cannot be written is refused up front with E307 (what, where, how to fix) and left byte for byte
as it was. A disk that fills up during an ingest stops it with E311, naming the store and saying to free space;
the store then holds whole articles only (each with its sentences and events, no duplicates), and a re-run
after freeing space ends with the same store as a clean run.

The coder is a deterministic stand-in (the model is not what is under test): the ingest loop, the batch
transactions and the error handling are the same with the real coder.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import random
import shutil
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from flashpoint.errors import StoreError
from flashpoint.ingest.run import ingest
from flashpoint.nlp.pipeline import CodedArticle, Sentence
from flashpoint.store.db import open_store
from flashpoint.testing import make_event

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="file modes, setrlimit and setuid are POSIX")


class StandInCoder:
    """Two events per article on its first two words, one sentence per article."""

    def process(self, articles, n_process=1):
        for a in articles:
            words = a.text.split()
            evs = [make_event(a, event_type="ASSAULT" if i % 2 else "ACCUSE", source="RUS", target="UKR", trigger=w)
                   for i, w in enumerate(words[:2])]
            for i, e in enumerate(evs):
                e.event_id = f"ev-{a.id}-{i}"
            yield CodedArticle(a, [Sentence(0, 0, len(a.text), a.text)], evs)


# the same stand-in for the CLI run in a subprocess (`flashpoint ingest` loads the coder with default_coder())
CLI_RUNNER = textwrap.dedent(
    """
    import resource, signal, sys
    limit = int(sys.argv.pop(1))
    if limit > 0:
        # a file size limit makes writes past it fail with EFBIG, as a full disk fails them with ENOSPC
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    import flashpoint.nlp.pipeline as pipeline
    from flashpoint.nlp.pipeline import CodedArticle, Sentence
    from flashpoint.testing import make_event

    class StandInCoder:
        def process(self, articles, n_process=1):
            for a in articles:
                words = a.text.split()
                evs = [make_event(a, event_type="ASSAULT" if i % 2 else "ACCUSE", source="RUS", target="UKR", trigger=w)
                       for i, w in enumerate(words[:2])]
                for i, e in enumerate(evs):
                    e.event_id = f"ev-{a.id}-{i}"
                yield CodedArticle(a, [Sentence(0, 0, len(a.text), a.text)], evs)

    pipeline.default_coder = lambda: StandInCoder()
    from flashpoint.cli import main
    sys.argv = ["flashpoint", "ingest", *sys.argv[1:], "--quiet"]
    main()
    """
)


def _write_input(path: Path, n: int, words_per_article: int = 12) -> None:
    """n JSONL articles of made-up words (our own text), with one broken line halfway that goes to `skipped`."""
    rng = random.Random(3)
    vocab = ["shelled", "accused", "struck", "warned", "Kharkiv", "Moscow", "talks", "convoy", "ceasefire", "border"]
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            if i == n // 2:
                fh.write("{broken line\n")
            body = " ".join(f"{rng.choice(vocab)}{rng.randrange(10**6)}" for _ in range(words_per_article))
            fh.write(json.dumps({"id": f"art-{i}", "date": f"2022-02-{1 + i % 27:02d}", "outlet": f"Wire {i % 3}",
                                 "text": f"Report {i}: {body}."}) + "\n")


def _snapshot(db: Path) -> dict:
    """What a store holds, in a comparable form, after checking it holds whole articles only."""
    s = open_store(db, read_only=True)
    try:
        q = s.query
        no_sentences = q("SELECT count(*) AS n FROM articles a WHERE NOT EXISTS (SELECT 1 FROM sentences s WHERE s.article_id = a.article_id)")
        no_events = q("SELECT count(*) AS n FROM articles a WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.article_id = a.article_id)")
        orphans = q("SELECT count(*) AS n FROM events e WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.article_id = e.article_id)")
        assert no_sentences[0]["n"] == 0, "an article was stored without its sentences"
        assert no_events[0]["n"] == 0, "an article was stored without its events"
        assert orphans[0]["n"] == 0, "an event was stored without its article"
        assert q("SELECT count(*) - count(DISTINCT event_id) AS d FROM events")[0]["d"] == 0, "duplicate events"
        assert q("SELECT count(*) - count(DISTINCT article_id) AS d FROM articles")[0]["d"] == 0, "duplicate articles"
        return {
            "articles": [tuple(r.values()) for r in q("SELECT article_id, content_hash FROM articles ORDER BY 1")],
            "sentences": q("SELECT count(*) AS n FROM sentences")[0]["n"],
            "events": [tuple(r.values()) for r in q("SELECT event_id, article_id, event_type, trigger_text FROM events ORDER BY 1")],
            "unclustered": q("SELECT count(*) AS n FROM events WHERE cluster_id IS NULL")[0]["n"],
            "clusters": q("SELECT count(*) AS n FROM clusters")[0]["n"],
            "skipped": [r["origin"] for r in q("SELECT origin FROM skipped ORDER BY 1")],
        }
    finally:
        s.close()


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ============================================================================================ read-only store


@pytest.fixture
def open_dir(tmp_path):
    """A temp folder whose modes the test changes (given back afterwards, so that it can be removed)."""
    yield tmp_path
    for p in [tmp_path, *tmp_path.rglob("*")]:
        p.chmod(p.stat().st_mode | stat.S_IWUSR | stat.S_IXUSR)


def _unprivileged(args: list[str]) -> subprocess.CompletedProcess:
    """Run `python -m flashpoint ARGS` so that file modes apply to it. Root ignores them: then run it as root
    without the capabilities that override file modes (setpriv), so the modes bind as for any user."""
    cmd = [sys.executable, "-m", "flashpoint", *args]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root and setpriv (util-linux) is missing: file modes cannot be made to bind")
        drop = "-dac_override,-dac_read_search,-fowner"
        cmd = [setpriv, "--bounding-set", drop, "--inh-caps", "-all", *cmd]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1",
           "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env)


def _make_store(path: Path, n: int = 6) -> dict:
    src = path.parent / "seed.jsonl"
    _write_input(src, n)
    store = open_store(path)
    ingest([str(src)], store, coder=StandInCoder(), batch_articles=3)
    store.close()
    src.unlink()
    return _snapshot(path)


@pytest.mark.parametrize("case", ["new store in a read-only folder", "read-only store file",
                                  "writable store file in a read-only folder"])
def test_reliability_disk_read_only_store_is_refused_and_left_unchanged(open_dir, case):
    folder = open_dir / "stores"
    folder.mkdir()
    db = folder / "news.duckdb"
    before = None
    if case != "new store in a read-only folder":
        before = _make_store(db)
        db.chmod(0o444 if case == "read-only store file" else 0o666)
    folder.chmod(0o555 if case != "read-only store file" else 0o755)
    digest = _sha256(db) if before else None
    src = open_dir / "in.txt"
    src.write_text("date 2022-02-24\nRussia attacked Ukraine on Thursday.\n", encoding="utf-8")

    res = _unprivileged(["ingest", str(src), "--db", str(db), "--quiet"])

    assert res.returncode == 1, res.stdout + res.stderr
    assert res.stderr.startswith("Error: [E307] cannot write the event store " + str(db)), res.stderr
    assert res.stderr.count("\n") == 1, "one line, no traceback"
    assert "writable" in res.stderr and "--db" in res.stderr, "says how to fix it"
    if before is None:
        assert not db.exists(), "nothing was created"
        return
    assert _sha256(db) == digest, "the store file is byte for byte unchanged"
    assert not Path(str(db) + ".wal").exists()
    assert _snapshot(db) == before, "and still opens with the same content"
    # reading needs no write access: the same user can still list the events
    listed = _unprivileged(["events", "--db", str(db), "--format", "jsonl", "--limit", "0"])
    assert listed.returncode == 0, listed.stderr
    assert len(listed.stdout.splitlines()) == len(before["events"])


def test_reliability_disk_read_only_store_refused_in_the_library(tmp_path, monkeypatch):
    """The same check without a subprocess: the library raises StoreError E307 before connecting."""
    db = tmp_path / "news.duckdb"
    before = _make_store(db)
    digest = _sha256(db)
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if Path(p) == db and mode & os.W_OK else real_access(p, mode, **kw))
    with pytest.raises(StoreError) as info:
        open_store(db)
    assert info.value.code == "E307" and str(db) in str(info.value)
    assert _sha256(db) == digest
    monkeypatch.undo()
    assert _snapshot(db) == before


# ============================================================================================ full disk


class _FullDisk:
    """A DuckDB connection on a disk that fills up: from the ``trip``-th statement matching ``when`` on, every
    write fails with ``error`` (as DuckDB reports ENOSPC), until the test "frees space" by swapping the real
    connection back."""

    WRITES = ("INSERT", "UPDATE", "DELETE", "COMMIT")

    def __init__(self, con, when, trip: int, error: BaseException) -> None:
        self._con, self._when, self._trip, self._error = con, when, trip, error
        self.seen = 0
        self.full = False

    def _check(self, sql: str) -> None:
        verb = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
        if not self.full and self._when(sql):
            self.seen += 1
            self.full = self.seen >= self._trip
        if self.full and verb in self.WRITES:
            raise self._error

    def execute(self, sql, *args, **kwargs):
        self._check(sql)
        return self._con.execute(sql, *args, **kwargs)

    def executemany(self, sql, *args, **kwargs):
        self._check(sql)
        return self._con.executemany(sql, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._con, name)


ENOSPC_DUCKDB = duckdb.IOException('Could not write file "news.duckdb.wal": No space left on device')
ENOSPC_OS = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
FULL_DISK_CASES = {
    # where the disk fills up: (statement that counts, how many of them pass, the error)
    "inserting the events of the 3rd batch": (lambda s: s.startswith("INSERT OR REPLACE INTO events"), 3, ENOSPC_DUCKDB),
    "committing the 4th transaction": (lambda s: s.strip() == "COMMIT", 4, ENOSPC_DUCKDB),
    "clustering the 2nd batch": (lambda s: "INTO clusters" in s, 2, ENOSPC_DUCKDB),
    "recording skipped inputs": (lambda s: "INTO skipped" in s, 1, ENOSPC_OS),
    "an OSError on the 2nd batch": (lambda s: s.startswith("INSERT INTO sentences"), 2, ENOSPC_OS),
}


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory):
    """The input and the store an uninterrupted ingest makes of it."""
    folder = tmp_path_factory.mktemp("clean")
    src = folder / "in.jsonl"
    _write_input(src, 30)
    db = folder / "clean.duckdb"
    store = open_store(db)
    ingest([str(src)], store, coder=StandInCoder(), batch_articles=5)
    store.close()
    snap = _snapshot(db)
    assert len(snap["articles"]) == 30 and len(snap["skipped"]) == 1 and snap["unclustered"] == 0
    return src, snap


@pytest.mark.parametrize("where", list(FULL_DISK_CASES))
def test_reliability_disk_full_mid_ingest_stops_clearly_then_resumes(tmp_path, clean_run, where):
    src, expected = clean_run
    when, trip, error = FULL_DISK_CASES[where]
    db = tmp_path / "news.duckdb"
    store = open_store(db)
    real = store.con
    store.con = _FullDisk(real, when, trip, error)

    with pytest.raises(StoreError) as info:
        ingest([str(src)], store, coder=StandInCoder(), batch_articles=5)

    msg = str(info.value)
    assert info.value.code == "E311", msg
    assert msg.startswith(f"[E311] no room to write the event store {db} while "), msg
    assert "No space left on device" in msg and "Free space on the disk holding" in msg and "re-run" in msg
    assert "This run stored" in msg
    store.con = real  # space freed
    store.close()
    partial = _snapshot(db)  # whole articles only (checked inside)
    assert len(partial["articles"]) < len(expected["articles"])
    assert set(partial["articles"]) <= set(expected["articles"])
    assert set(partial["events"]) <= set(expected["events"])

    store = open_store(db)
    summary = ingest([str(src)], store, coder=StandInCoder(), batch_articles=5)
    store.close()
    assert summary.unchanged == len(partial["articles"])
    assert _snapshot(db) == expected, "after freeing space, a re-run ends where a clean run ends"


def _cli(runner: Path, src: Path, db: Path, limit: int) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run([sys.executable, str(runner), str(limit), str(src), "--db", str(db)], capture_output=True,
                          text=True, timeout=180, env=env)


def test_reliability_disk_file_size_limit_in_the_cli_then_resume(tmp_path):
    """A real refused write (RLIMIT_FSIZE: the OS fails writes past the limit with EFBIG) through `flashpoint
    ingest`: exit status 1, one line naming the store and saying to free space; then a re-run without the limit
    ends where a clean run ends."""
    runner = tmp_path / "runner.py"
    runner.write_text(CLI_RUNNER, encoding="utf-8")
    src = tmp_path / "in.jsonl"
    _write_input(src, 120, words_per_article=600)  # about 9 KB of text per article, twice in the store
    clean = tmp_path / "clean.duckdb"
    res = _cli(runner, src, clean, 0)
    assert res.returncode == 0, res.stderr
    expected = _snapshot(clean)
    assert len(expected["articles"]) == 120

    db = tmp_path / "full.duckdb"
    res = _cli(runner, src, db, 1_000_000)
    assert res.returncode == 1, res.stdout + res.stderr
    line = res.stderr.strip()
    assert "\n" not in line and "Traceback" not in res.stderr
    assert line.startswith(f"Error: [E311] no room to write the event store {db} while "), line
    assert "File too large" in line and "Free space on the disk holding" in line and "re-run the same command" in line
    partial = _snapshot(db)
    assert 0 < len(partial["articles"]) < 120, f"the limit should stop the run partway; stored {len(partial['articles'])}"
    assert set(partial["events"]) <= set(expected["events"])

    res = _cli(runner, src, db, 0)
    assert res.returncode == 0, res.stderr
    assert f"{len(partial['articles'])} unchanged" in res.stdout
    assert _snapshot(db) == expected
