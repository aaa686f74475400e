"""Crash safety: ingest killed with SIGKILL at random points, re-run, equals an uninterrupted run.

The coder here is a deterministic stand-in (so the test runs in seconds); what is under test is the ingest
loop, the batch transactions of the store and the resume logic, which are the same with the real coder.
"""

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from flashpoint.store.db import open_store

RUNNER = textwrap.dedent(
    """
    import sys, time
    from flashpoint.ingest.run import ingest
    from flashpoint.nlp.pipeline import CodedArticle, Sentence
    from flashpoint.store.db import open_store
    from flashpoint.testing import make_event

    class StandInCoder:
        def process(self, articles, n_process=1):
            for a in articles:
                time.sleep(0.005)
                words = a.text.split()
                evs = [make_event(a, event_type="ASSAULT" if i % 2 else "ACCUSE", source="RUS", target="UKR",
                                  trigger=w, confidence=0.7) for i, w in enumerate(words[:3])]
                for i, e in enumerate(evs):
                    e.event_id = f"ev-{a.id}-{i}"
                yield CodedArticle(a, [Sentence(0, 0, len(a.text), a.text)], evs)

    store = open_store(sys.argv[2])
    def progress(summary):
        print("batch", summary.new, flush=True)

    ingest([sys.argv[1]], store, coder=StandInCoder(), batch_articles=5, on_progress=progress)
    store.close()
    """
)


def _write_input(path, n=500):
    rng = random.Random(5)
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            words = " ".join(rng.choice(["shelled", "accused", "struck", "warned", "Kharkiv", "Moscow"]) for _ in range(6))
            fh.write(json.dumps({"id": f"art-{i}", "date": f"2022-02-{1 + i % 27:02d}", "outlet": f"Wire {i % 4}", "text": f"Report {i}: {words}."}) + "\n")
        fh.write("{broken line\n")


def _snapshot(db):
    s = open_store(db, read_only=True)
    try:
        arts = s.query("SELECT article_id, content_hash FROM articles ORDER BY 1")
        evs = s.query("SELECT event_id, article_id, event_type FROM events ORDER BY 1")
        dup = s.query("SELECT count(*) - count(DISTINCT event_id) AS d FROM events")[0]["d"]
        unclustered = s.query("SELECT count(*) AS n FROM events WHERE cluster_id IS NULL")[0]["n"]
        skipped = s.query("SELECT origin FROM skipped ORDER BY 1")
        clusters = s.query("SELECT count(*) AS n FROM clusters")[0]["n"]
    finally:
        s.close()
    return arts, evs, dup, unclustered, skipped, clusters


def _run(script, src, db, kill_at=None):
    """Run the ingest; with kill_at=(batches, delay), SIGKILL it ``delay`` s after it reports ``batches`` batches."""
    proc = subprocess.Popen([sys.executable, str(script), str(src), str(db)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if kill_at is None:
        _, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err.decode()
        return True
    batches, delay = kill_at
    seen = 0
    for line in proc.stdout:
        if line.startswith(b"batch"):
            seen += 1
            if seen >= batches:
                time.sleep(delay)
                break
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        return False
    proc.communicate()
    return True


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_crash_safety_sigkill_twenty_times_then_resume_equals_clean_run(tmp_path):
    script = tmp_path / "runner.py"
    script.write_text(RUNNER, encoding="utf-8")
    src = tmp_path / "in.jsonl"
    _write_input(src)
    clean = tmp_path / "clean.duckdb"
    _run(script, src, clean)
    expected = _snapshot(clean)
    assert len(expected[0]) == 500 and expected[2] == 0 and expected[3] == 0

    crashed = tmp_path / "crashed.duckdb"
    rng = random.Random(11)
    kills = 0
    for _ in range(40):
        if kills >= 20:
            break
        # kill at a random moment after the first or second committed batch: mid-coding, mid-write or mid-clustering
        finished = _run(script, src, crashed, kill_at=(rng.choice([1, 1, 2]), rng.uniform(0.0, 0.2)))
        kills += not finished
        if finished:
            break
    assert kills >= 20, f"only {kills} runs were killed before one finished; raise the stand-in's delay"
    _run(script, src, crashed)  # the final uninterrupted run resumes
    got = _snapshot(crashed)
    assert got[0] == expected[0], "same articles, same content"
    assert got[1] == expected[1], "same events, none lost, none doubled"
    assert got[2] == 0 and got[3] == 0, "no duplicate event ids, every event clustered"
    assert got[4] == expected[4], "the malformed line is quarantined once"
