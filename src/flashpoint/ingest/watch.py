"""Watching: ingest new files in folders and new entries of RSS/Atom feeds as they appear, each article once.

    >>> from flashpoint.ingest.watch import Watcher
    >>> w = Watcher(["incoming/", "https://example.org/news.rss"], store, interval=60)
    >>> w.poll()          # one pass over every source; returns what was ingested
    >>> w.run()           # poll every `interval` seconds until stopped (Ctrl-C, or `stop` set)

Sources
    A folder: every file in it (recursively; hidden files and partial downloads such as ``*.part``, ``*.tmp`` or
    ``*.crdownload`` are left out) is read once it has settled (not modified for ``settle`` seconds), and read
    again only when its size or modification time changes. A file that grows (a JSONL log) is re-read, and only
    its new articles are coded: the store skips articles it holds with the same content.
    A file: the same, for that one file.
    A feed URL (http:// or https://): fetched every ``interval`` seconds with a conditional GET (ETag /
    Last-Modified, so an unchanged feed costs a 304), parsed by the feed reader; entries already seen (by guid,
    else link, else content id) are not read again, even when the feed edits their text.

Each article once
    What was seen is remembered in the store (table ``watch_seen``: source, key, fingerprint), so a restarted
    watcher goes on where it stopped; the store's content-hash check is the second guard (an article met again
    with the same id and text is never coded twice).

Failures never stop the watch: a feed that cannot be fetched is recorded as a skipped input (E101, see
``flashpoint skipped``) and tried again on the next poll; files that cannot be read are skipped as in ``ingest``.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import ConfigError
from ..models import Article, Skipped
from ..store.db import EventStore
from .run import IngestSummary, ingest

__all__ = ["Watcher", "WatchSummary", "watch", "PARTIAL_SUFFIXES"]

#: files with these endings are downloads or copies in progress: never read
PARTIAL_SUFFIXES = (".part", ".partial", ".tmp", ".temp", ".crdownload", ".download", ".swp", "~")
USER_AGENT = f"flashpoint/{__version__} (news watcher; +https://pypi.org/project/flashpoint/)"

_STATE_SQL = """
CREATE TABLE IF NOT EXISTS watch_seen (
    source       VARCHAR,     -- the folder, file or feed URL as given
    key          VARCHAR,     -- a file path (relative to a folder), a feed entry guid/link, or '~http'
    fingerprint  VARCHAR,     -- size:mtime_ns of a file, article id of an entry, validators of a feed
    seen_at      TIMESTAMP,
    PRIMARY KEY (source, key)
)
"""


@dataclass
class WatchSummary:
    """What a watcher did so far (``Watcher.summary``), or in one poll (``Watcher.poll``)."""

    polls: int = 0
    files: int = 0
    feeds_fetched: int = 0
    feeds_unchanged: int = 0
    entries_seen_before: int = 0
    read: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    events: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, s: IngestSummary) -> None:
        self.read += s.read
        self.new += s.new
        self.updated += s.updated
        self.unchanged += s.unchanged
        self.skipped += s.skipped
        self.events += s.events

    def merge(self, other: WatchSummary) -> None:
        for name in ("polls", "files", "feeds_fetched", "feeds_unchanged", "entries_seen_before", "read", "new",
                     "updated", "unchanged", "skipped", "events"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors.extend(other.errors)

    def as_dict(self) -> dict[str, Any]:
        return {k: (list(v) if isinstance(v, list) else v) for k, v in self.__dict__.items()}


def _is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class Watcher:
    """Polls folders, files and feed URLs and ingests what is new.

    sources (Iterable[str]): folders, files and http(s) feed URLs.
    store (EventStore): where articles and events go (and where the watch state is kept).
    interval (float): seconds between polls.
    settle (float): a file is read once it has not changed for this many seconds (half-written files wait).
    timeout (float): seconds a feed fetch may take.
    coder: the Coder (default: ``default_coder()``); workers (int): coder processes, as for ``ingest``.
    date, mapping, fmt, outlet: as for ``read_inputs`` (folders and files; feeds are always read as feeds).
    on_ingest (callable | None): called as ``on_ingest(source, IngestSummary)`` after each ingest.
    """

    def __init__(self, sources: Iterable[str], store: EventStore, *, interval: float = 60.0, settle: float = 1.0,
                 timeout: float = 30.0, coder=None, workers: int = 1, date=None, mapping: dict[str, str] | None = None,
                 fmt: str | None = None, outlet: str | None = None,
                 on_ingest: Callable[[str, IngestSummary], None] | None = None) -> None:
        self.sources = [str(s) for s in sources]
        if not self.sources:
            raise ConfigError("watch needs at least one folder, file or feed URL (http:// or https://)")
        for s in self.sources:
            if not _is_url(s) and not Path(s).exists():
                raise ConfigError(f'watch: no such folder or file "{s}"; create it first, or give a feed URL '
                                  "starting with http:// or https://")
        if interval < 0 or settle < 0:
            raise ConfigError("watch: --interval and settle must be zero or more seconds")
        self.store = store
        self.interval = float(interval)
        self.settle = float(settle)
        self.timeout = float(timeout)
        self.coder = coder
        self.workers = workers
        self.read_kwargs = dict(date=date, mapping=mapping, fmt=fmt, outlet=outlet)
        self.on_ingest = on_ingest
        self.summary = WatchSummary()
        with store._lock:
            store.con.execute(_STATE_SQL)

    # ------------------------------------------------------------------------------------------ state
    def _seen(self, source: str) -> dict[str, str]:
        rows = self.store.query("SELECT key, fingerprint FROM watch_seen WHERE source = ?", [source])
        return {r["key"]: r["fingerprint"] for r in rows}

    def _remember(self, source: str, items: list[tuple[str, str]]) -> None:
        if not items:
            return
        now = _now()
        with self.store._lock:
            self.store.con.executemany(
                "INSERT INTO watch_seen VALUES (?, ?, ?, ?) ON CONFLICT (source, key) DO UPDATE SET "
                "fingerprint = excluded.fingerprint, seen_at = excluded.seen_at",
                [(source, k, f, now) for k, f in items],
            )

    def _coder(self):
        if self.coder is None:
            from ..nlp.pipeline import default_coder

            self.coder = default_coder()
        return self.coder

    def _ingest(self, source: str, inputs: list[str], articles=None, **read_kwargs) -> IngestSummary:
        summary = ingest(inputs, self.store, coder=self._coder(), articles=articles, workers=self.workers,
                         command="watch", **read_kwargs)
        if self.on_ingest:
            self.on_ingest(source, summary)
        return summary

    # ------------------------------------------------------------------------------------------ polling
    def poll(self) -> WatchSummary:
        """One pass over every source: ingest new and changed files and new feed entries. RETURNS (WatchSummary)."""
        done = WatchSummary(polls=1)
        for source in self.sources:
            try:
                if _is_url(source):
                    self._poll_feed(source, done)
                else:
                    self._poll_path(source, done)
            except OSError as exc:  # a folder that vanished, a full disk: report, go on with the others
                done.errors.append(f"{source}: {exc}")
        self.summary.merge(done)
        return done

    def run(self, *, max_polls: int | None = None, stop: threading.Event | None = None) -> WatchSummary:
        """Poll every ``interval`` seconds until ``stop`` is set, ``max_polls`` polls are done, or Ctrl-C.

        RETURNS (WatchSummary): totals over all polls.
        """
        stop = stop or threading.Event()
        polls = 0
        try:
            while not stop.is_set():
                self.poll()
                polls += 1
                if max_polls is not None and polls >= max_polls:
                    break
                stop.wait(self.interval)
        except KeyboardInterrupt:  # the batch in progress was rolled back; the next run redoes it
            pass
        return self.summary

    def _poll_path(self, source: str, done: WatchSummary) -> None:
        root = Path(source)
        seen = self._seen(source)
        now = time.time()
        ready: list[tuple[Path, str, str]] = []
        for path in _files(root):
            try:
                st = path.stat()
            except OSError:  # removed between listing and stat
                continue
            key = str(path.relative_to(root)) if root.is_dir() else path.name
            fingerprint = f"{st.st_size}:{st.st_mtime_ns}"
            if seen.get(key) == fingerprint:
                continue
            if now - st.st_mtime < self.settle:  # still being written: next poll
                continue
            ready.append((path, key, fingerprint))
        if not ready:
            return
        summary = self._ingest(source, [str(p) for p, _, _ in ready], **self.read_kwargs)
        done.files += len(ready)
        done.add(summary)
        self._remember(source, [(k, f) for _, k, f in ready])

    def _poll_feed(self, url: str, done: WatchSummary) -> None:
        seen = self._seen(url)
        validators = json.loads(seen.get("~http", "{}"))
        try:
            status, data, new_validators = _fetch(url, validators, self.timeout)
        except _FetchError as exc:
            done.errors.append(f"{url}: {exc}")
            self.store.add_skipped([Skipped(url, str(exc), "E101")], "watch")
            return
        self.store.mark_resolved([url])
        if status == 304:
            done.feeds_unchanged += 1
            return
        done.feeds_fetched += 1
        fresh: list[tuple[str, str]] = []

        def entries() -> Iterator[Article | Skipped]:
            for item in _read_feed_bytes(url, data, self.read_kwargs):
                if isinstance(item, Skipped):
                    yield item
                    continue
                key = str(item.meta.get("guid") or item.url or item.id)
                if key in seen:
                    done.entries_seen_before += 1
                    continue
                seen[key] = item.id
                fresh.append((key, item.id))
                yield item

        items = list(entries())  # one feed document: already held in memory whole
        if items:
            summary = self._ingest(url, [url], articles=items)
            done.add(summary)
        self._remember(url, fresh + [("~http", json.dumps(new_validators))])


def watch(sources: Iterable[str], store: EventStore, *, max_polls: int | None = None,
          stop: threading.Event | None = None, **kwargs: Any) -> WatchSummary:
    """Watch ``sources`` (folders, files, feed URLs) and ingest what appears. See ``Watcher`` for the options.

    RETURNS (WatchSummary): totals when it stops (``max_polls`` reached, ``stop`` set, or Ctrl-C).
    """
    return Watcher(sources, store, **kwargs).run(max_polls=max_polls, stop=stop)


# ---------------------------------------------------------------------------------------------- helpers


def _files(root: Path) -> Iterator[Path]:
    """Files under a folder (or the file itself), without hidden ones and partial downloads, sorted."""
    if root.is_file():
        yield root
        return
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            if name.startswith(".") or name.lower().endswith(PARTIAL_SUFFIXES):
                continue
            found.append(Path(dirpath) / name)
    yield from sorted(found)


class _FetchError(Exception):
    pass


def _fetch(url: str, validators: dict[str, str], timeout: float) -> tuple[int, bytes, dict[str, str]]:
    """GET a feed, conditionally. RETURNS (status, body, validators for next time)."""
    from .readers import MAX_WHOLE_BYTES

    headers = {"User-Agent": USER_AGENT, "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5"}
    if validators.get("etag"):
        headers["If-None-Match"] = validators["etag"]
    if validators.get("last_modified"):
        headers["If-Modified-Since"] = validators["last_modified"]
    req = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - the user's own feed URL
            data = resp.read(MAX_WHOLE_BYTES + 1)
            if len(data) > MAX_WHOLE_BYTES:
                raise _FetchError(f"the feed is larger than {MAX_WHOLE_BYTES // 2**20} MiB; is it really a feed?")
            new = {"etag": resp.headers.get("ETag") or "", "last_modified": resp.headers.get("Last-Modified") or ""}
            return resp.status, data, new
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return 304, b"", validators
        raise _FetchError(f"fetching the feed failed with HTTP {exc.code} {exc.reason}; check the URL "
                          "(it is tried again on the next poll)") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise _FetchError(f"cannot fetch the feed ({reason}); check the URL and the network (it is tried again "
                          "on the next poll)") from None


def _read_feed_bytes(url: str, data: bytes, read_kwargs: dict[str, Any]) -> Iterator[Article | Skipped]:
    """Parse a fetched feed with the feed reader; origins are "URL#entryN"; non-English entries are skipped."""
    from . import readers, textcheck

    options = readers.ReadOptions(date=readers._as_date(read_kwargs.get("date")), mapping={},
                                  outlet=readers._clean_line(read_kwargs.get("outlet")))
    if not data.strip():
        yield Skipped(url, "the feed answered with an empty body; nothing to read", "E103")
        return
    head = data[: readers.HEAD_BYTES]
    source = readers.InputSource(url, Path("feed.xml"), io.BytesIO(data[len(head):]), head)
    try:
        for item in readers.read_feed(source, options):
            if isinstance(item, Article):
                lang = textcheck.guess_language(item.text)
                if lang:
                    item = Skipped(item.origin, f"not English (looks like {lang}?); flashpoint codes English news: "
                                   "translate it or leave it out", "E110")
            yield item
    finally:
        source.close()
