"""Watching folders and feeds: new files and entries are ingested once, restarts go on where they stopped.

The coder here is a stand-in that records what it was given (the watcher's job is to decide what to code);
the feed is served on loopback by the test itself.
"""

from __future__ import annotations

import hashlib
import http.server
import json
import os
import socket
import threading
import time
from pathlib import Path

import pytest

from flashpoint.errors import ConfigError
from flashpoint.ingest.watch import Watcher
from flashpoint.models import ActorMention, Event
from flashpoint.nlp.pipeline import CodedArticle, Sentence
from flashpoint.store.db import EventStore


class RecordingCoder:
    """Codes every article as one event; remembers the ids it was asked to code."""

    def __init__(self) -> None:
        self.coded: list[str] = []

    def process(self, articles, n_process: int = 1):
        for a in articles:
            self.coded.append(a.id)
            ev = Event(doc_id=a.id, event_id=f"ev-{a.id}", sentence=0, event_type="CONSULT", mode=None, quad="V-COOP",
                       intensity=1.0, source=ActorMention(text="Poland", code="POL"),
                       target=ActorMention(text="Lithuania", code="LTU"), modality="asserted", confidence=0.8,
                       trigger_text="met", trigger_start=0, trigger_end=3, date=a.date, outlet=a.outlet)
            yield CodedArticle(a, [Sentence(0, 0, len(a.text), a.text)], [ev])


TEXTS = [
    "The two foreign ministers met in the capital on Tuesday to discuss grain exports and border crossings.",
    "Officials said the talks on energy supplies would continue next week after a first round ended without a deal.",
    "The parliament approved a new budget for the border guard after a long debate about its cost.",
    "A delegation of trade officials arrived for a visit that is expected to last three days.",
]


@pytest.fixture()
def store(tmp_path):
    s = EventStore(tmp_path / "watch.duckdb")
    yield s
    s.close()


def write_text(path: Path, day: str, text: str, age: float = 10.0) -> Path:
    path.write_text(f"date {day}\n{text}\n", encoding="utf-8")
    past = time.time() - age
    os.utime(path, (past, past))
    return path


def test_ingest_watch_folder_reads_each_new_file_once(tmp_path, store):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_text(inbox / "a.txt", "2022-03-01", TEXTS[0])
    coder = RecordingCoder()
    w = Watcher([str(inbox)], store, coder=coder, settle=1.0)
    first = w.poll()
    assert (first.files, first.new) == (1, 1)
    write_text(inbox / "b.txt", "2022-03-02", TEXTS[1])
    (inbox / "c.txt.part").write_text("date 2022-03-02\n" + TEXTS[2], encoding="utf-8")  # a copy in progress
    (inbox / ".hidden.txt").write_text("date 2022-03-02\n" + TEXTS[3], encoding="utf-8")
    second = w.poll()
    assert (second.files, second.new) == (1, 1)
    assert w.poll().files == 0
    assert len(coder.coded) == 2
    assert store.stats()["articles"] == 2


def test_ingest_watch_folder_waits_for_a_file_to_settle(tmp_path, store):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    fresh = inbox / "fresh.txt"
    fresh.write_text("date 2022-03-01\n" + TEXTS[0], encoding="utf-8")  # modified just now: may still be written
    w = Watcher([str(inbox)], store, coder=RecordingCoder(), settle=30.0)
    assert w.poll().files == 0
    past = time.time() - 60
    os.utime(fresh, (past, past))
    assert w.poll().files == 1


def test_ingest_watch_growing_jsonl_codes_only_new_lines(tmp_path, store):
    log = tmp_path / "feed.jsonl"
    lines = [json.dumps({"id": f"g{i}", "date": "2022-03-0%d" % (i + 1), "text": t}) for i, t in enumerate(TEXTS)]
    log.write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
    os.utime(log, (time.time() - 10, time.time() - 10))
    coder = RecordingCoder()
    w = Watcher([str(log)], store, coder=coder)
    assert w.poll().new == 2
    with open(log, "a", encoding="utf-8") as fh:
        fh.write("\n".join(lines[2:]) + "\n")
    os.utime(log, (time.time() - 5, time.time() - 5))
    again = w.poll()
    assert (again.new, again.unchanged) == (2, 2)
    assert coder.coded == ["g0", "g1", "g2", "g3"]


def test_ingest_watch_restart_goes_on_where_it_stopped(tmp_path, store):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for i, t in enumerate(TEXTS[:3]):
        write_text(inbox / f"{i}.txt", "2022-03-01", t)
    Watcher([str(inbox)], store, coder=RecordingCoder()).poll()
    coder = RecordingCoder()
    restarted = Watcher([str(inbox)], store, coder=coder)
    assert restarted.poll().files == 0  # nothing read again, not even to compare hashes
    write_text(inbox / "new.txt", "2022-03-04", TEXTS[3])
    assert restarted.poll().new == 1
    assert len(coder.coded) == 1


def test_ingest_watch_run_stops_after_max_polls(tmp_path, store):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_text(inbox / "a.txt", "2022-03-01", TEXTS[0])
    total = Watcher([str(inbox)], store, coder=RecordingCoder(), interval=0).run(max_polls=3)
    assert (total.polls, total.new) == (3, 1)


@pytest.mark.parametrize("source", ["no/such/folder", "ftp-less-path.rss"])
def test_ingest_watch_refuses_a_missing_source(store, source):
    with pytest.raises(ConfigError, match="no such folder or file"):
        Watcher([source], store, coder=RecordingCoder())


# ---------------------------------------------------------------------------------------------- feeds on loopback
def rss(entries: list[tuple[str, str, str]]) -> bytes:
    items = "".join(
        f"<item><title>{title}</title><link>http://127.0.0.1/news/{guid}</link><guid>{guid}</guid>"
        f"<pubDate>Tue, 01 Mar 2022 10:00:00 GMT</pubDate><description>{text}</description></item>"
        for guid, title, text in entries
    )
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Loopback Wire</title>'
            f"<link>http://127.0.0.1/</link><description>test feed</description>{items}</channel></rss>").encode()


class FeedServer:
    """A feed on 127.0.0.1 that honours If-None-Match; its body can be changed between polls."""

    def __init__(self) -> None:
        self.body = b""
        self.requests: list[dict[str, str]] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                outer.requests.append(dict(self.headers))
                if self.path != "/feed.xml":
                    self.send_error(404)
                    return
                etag = '"' + hashlib.sha1(outer.body).hexdigest() + '"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(outer.body)))
                self.end_headers()
                self.wfile.write(outer.body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/feed.xml"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture()
def feed():
    server = FeedServer()
    yield server
    server.close()


def test_ingest_watch_feed_each_entry_once(feed, store):
    feed.body = rss([("g1", "Talks", TEXTS[0]), ("g2", "Energy", TEXTS[1])])
    coder = RecordingCoder()
    w = Watcher([feed.url], store, coder=coder, timeout=5)
    first = w.poll()
    assert (first.feeds_fetched, first.new) == (1, 2)
    unchanged = w.poll()  # same body: the server answers 304 to the conditional GET
    assert unchanged.feeds_unchanged == 1 and unchanged.new == 0
    assert feed.requests[-1].get("If-None-Match")
    # a new entry, and an old one whose text was edited: only the new entry is coded
    feed.body = rss([("g3", "Budget", TEXTS[2]), ("g1", "Talks", TEXTS[0] + " Updated."), ("g2", "Energy", TEXTS[1])])
    third = w.poll()
    assert (third.new, third.entries_seen_before) == (1, 2)
    assert len(coder.coded) == 3
    assert store.stats()["articles"] == 3
    origins = {r["origin"] for r in store.query("SELECT origin FROM articles")}
    assert all(o.startswith(feed.url + "#entry") for o in origins)


def test_ingest_watch_feed_restart_does_not_recode(feed, store):
    feed.body = rss([("g1", "Talks", TEXTS[0])])
    Watcher([feed.url], store, coder=RecordingCoder(), timeout=5).poll()
    feed.body = rss([("g1", "Talks", TEXTS[0]), ("g2", "Energy", TEXTS[1])])
    coder = RecordingCoder()
    assert Watcher([feed.url], store, coder=coder, timeout=5).poll().new == 1
    assert len(coder.coded) == 1


def test_ingest_watch_unreachable_feed_is_reported_and_retried(store):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/feed.xml"
    w = Watcher([url], store, coder=RecordingCoder(), timeout=2)
    done = w.poll()
    assert done.new == 0 and done.errors and "cannot fetch the feed" in done.errors[0]
    skipped = store.skipped()
    assert [s["origin"] for s in skipped] == [url]
    assert "next poll" in skipped[0]["reason"]


def test_ingest_watch_cli_once(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    import flashpoint.nlp.pipeline as pipeline
    from flashpoint.cli import app

    monkeypatch.setattr(pipeline, "default_coder", RecordingCoder)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_text(inbox / "a.txt", "2022-03-01", TEXTS[0])
    db = tmp_path / "cli.duckdb"
    result = CliRunner().invoke(app, ["watch", str(inbox), "--db", str(db), "--once"])
    assert result.exit_code == 0, result.output
    assert "1 new articles, 1 events" in result.output
    with EventStore(db, read_only=True) as s:
        assert s.stats()["events"] == 1
