"""Concurrent readers during an ingest: `flashpoint serve --allow-ingest` on loopback, reads while it writes.

    python bench/api_load.py [--readers 4] [--rounds 2] [--chunk 5] [--noise 400] [--fake-coder] [--max-seconds 300]

The design: one process owns the DuckDB file. `flashpoint serve --allow-ingest` opens it for writing and runs
each POST /api/ingest inside the server (one transaction per batch, under a lock), while GET requests read on
their own cursors and see the last committed state. This script checks that design under load:

1. builds a temp store preloaded with the seeded sample events (``flashpoint.api.fixtures.build_sample_store``);
2. starts `flashpoint serve --allow-ingest` on 127.0.0.1 (a free port) in a subprocess, with the real coder
   (or with --fake-coder, the fixtures' stand-in, to load the write path without the model's cost);
3. posts the bundled sample (src/flashpoint/data/sample, read with flashpoint's own readers and sent as JSONL)
   ``--rounds`` times with new ids, ``--chunk`` articles per POST, one POST after the other;
4. meanwhile ``--readers`` threads send GET requests (events listings with filters, dyad series, dyads, types,
   health, alerts) over keep-alive connections, until the ingest is done plus ``--tail`` seconds.

It prints requests, errors (non-2xx, bad JSON, exceptions), p50/p95/p99 latency per endpoint (all reads, and
the reads that overlapped an ingest), whether the counts each reader saw never decreased (event totals; series count happenings, which may go
down, and are reported apart), and whether the final
event count equals the preloaded count plus what the ingest reported. It asserts nothing; the last line is
JSON. Traffic goes to loopback only, and the run stops by itself (``--max-seconds``).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from importlib import resources
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import wait_for_server  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

# name -> (path, what must never decrease in its JSON answer)
READS: dict[str, tuple[str, str | None]] = {
    "GET /api/events (all, total)": ("/api/events?page_size=20", "total"),
    "GET /api/events (dyad RUS:UKR + since)": ("/api/events?" + urlencode({"dyad": "RUS:UKR", "since": "2021-11-01", "page_size": 50}), "total"),
    "GET /api/events (type ASSAULT, min conf)": ("/api/events?" + urlencode({"type": "ASSAULT", "min_confidence": 0.5, "page_size": 50}), "total"),
    "GET /api/events (csv)": ("/api/events?" + urlencode({"actor": "RUS", "format": "csv", "page_size": 200}), None),
    # series count happenings (clusters): not required to grow (see ``SOFT``), reported apart
    "GET /api/series (RUS-UKR daily)": ("/api/series?a=RUS&b=UKR", "series_events"),
    "GET /api/series (RUS weekly)": ("/api/series?a=RUS&freq=W", "series_events"),
    "GET /api/dyads": ("/api/dyads?limit=10", None),
    "GET /api/types": ("/api/types", "type_events"),
    "GET /api/health": ("/api/health", "health_events"),
    "GET /api/alerts (XNA-XSA)": ("/api/alerts?a=XNA&b=XSA", None),
}

#: figures that may go down without an error: a series counts happenings (one per cluster), and a new report
#: counts alone between the commit of its batch and the commit of its clustering, then joins its cluster
SOFT = {"series_events"}

# the server with a stand-in coder (the fixtures' FakeCoder): `flashpoint serve` itself, default_coder swapped
FAKE_SERVE = (
    "import sys, flashpoint.nlp.pipeline as p\n"
    "from flashpoint.api.fixtures import FakeCoder\n"
    "p.default_coder = lambda: FakeCoder()\n"
    "from flashpoint.cli import main\n"
    "sys.argv = ['flashpoint', 'serve', *sys.argv[1:]]\n"
    "main()\n"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, port: int, token: str, fake_coder: bool) -> subprocess.Popen:
    args = ["--db", str(db), "--port", str(port), "--allow-ingest"]
    cmd = [sys.executable, "-c", FAKE_SERVE, *args] if fake_coder else [sys.executable, "-m", "flashpoint", "serve", *args]
    env = {**os.environ, "FLASHPOINT_TOKEN": token}
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    return wait_for_server(proc, port)


def call(method: str, port: int, path: str, body: bytes | None = None, headers: dict | None = None,
         timeout: float = 600) -> tuple[int, bytes]:
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        c.request(method, path, body=body, headers=headers or {})
        resp = c.getresponse()
        return resp.status, resp.read()
    finally:
        c.close()


def sample_chunks(rounds: int, chunk: int) -> list[bytes]:
    """The bundled sample as JSONL bodies of ``chunk`` articles, ``rounds`` times with new ids."""
    from flashpoint.ingest.readers import read_inputs
    from flashpoint.models import Article

    sample = resources.files("flashpoint").joinpath("data/sample")
    articles = [a for a in read_inputs([str(sample)]) if isinstance(a, Article)]
    lines = []
    for r in range(rounds):
        for a in articles:
            lines.append(json.dumps({"id": f"{a.id}-r{r}", "date": a.published_at or (a.date.isoformat() if a.date else None),
                                     "title": a.title, "text": a.text, "outlet": a.outlet, "url": a.url}))
    return [("\n".join(lines[i:i + chunk]) + "\n").encode() for i in range(0, len(lines), chunk)]


def measure(answer: dict, what: str | None) -> float | None:
    """The figure of an answer that must never decrease while articles are only added."""
    if what == "total":
        return answer["total"]
    if what == "series_events":
        return sum(r["events"] for r in answer["series"])
    if what == "type_events":
        return sum(t["events"] for t in answer["types"])
    if what == "health_events":
        return answer["counts"]["events"]
    return None


class Reader(threading.Thread):
    """Sends GET requests (endpoints in turn, from a random start) until stopped; records every answer."""

    def __init__(self, port: int, stop: threading.Event, seed: int) -> None:
        super().__init__(daemon=True)
        self.port, self.stop, self.rng = port, stop, random.Random(seed)
        self.records: list[tuple[str, float, float, bool]] = []  # (endpoint, start, seconds, ok)
        self.errors: list[str] = []
        self.decreases: list[str] = []
        self.soft_decreases: list[str] = []
        self.seen: dict[str, list[float]] = {}

    def run(self) -> None:
        names = list(READS)
        i = self.rng.randrange(len(names))
        conn = None
        while not self.stop.is_set():
            name = names[i % len(names)]
            i += 1
            path, what = READS[name]
            t0 = time.perf_counter()
            ok = False
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                conn.request("GET", path)
                resp = conn.getresponse()
                body = resp.read()
                elapsed = time.perf_counter() - t0
                if not 200 <= resp.status < 300:
                    self.errors.append(f"{name}: HTTP {resp.status} {body[:200]!r}")
                elif "csv" in resp.getheader("content-type", ""):
                    ok = body.startswith(b"event_id") or body.count(b"\n") >= 1
                    if not ok:
                        self.errors.append(f"{name}: CSV without a header")
                else:
                    answer = json.loads(body)
                    ok = answer.get("ok") is True
                    if not ok:
                        self.errors.append(f"{name}: ok is not true: {body[:200]!r}")
                    value = measure(answer, what)
                    if value is not None:
                        history = self.seen.setdefault(name, [])
                        if history and value < history[-1]:
                            (self.soft_decreases if what in SOFT else self.decreases).append(f"{name}: {history[-1]} -> {value}")
                        history.append(value)
            except (OSError, http.client.HTTPException, ValueError) as exc:
                elapsed = time.perf_counter() - t0
                self.errors.append(f"{name}: {type(exc).__name__}: {exc}")
                if conn is not None:
                    conn.close()
                conn = None
            self.records.append((name, t0, elapsed, ok))
        if conn is not None:
            conn.close()


def quantiles(seconds: list[float]) -> dict[str, float]:
    ms = sorted(s * 1000 for s in seconds)
    if len(ms) < 2:
        v = round(ms[0], 1) if ms else float("nan")
        return {"p50_ms": v, "p95_ms": v, "p99_ms": v, "max_ms": v}
    q = statistics.quantiles(ms, n=100, method="inclusive")
    return {"p50_ms": round(q[49], 1), "p95_ms": round(q[94], 1), "p99_ms": round(q[98], 1), "max_ms": round(ms[-1], 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--readers", type=int, default=4, help="concurrent reader threads")
    ap.add_argument("--rounds", type=int, default=2, help="post the bundled sample this many times (new ids each time)")
    ap.add_argument("--chunk", type=int, default=5, help="articles per POST /api/ingest")
    ap.add_argument("--noise", type=int, default=400, help="background articles in the preloaded store")
    ap.add_argument("--tail", type=float, default=2.0, help="seconds of reads after the ingest")
    ap.add_argument("--max-seconds", type=float, default=300.0, help="stop the ingest after this long")
    ap.add_argument("--fake-coder", action="store_true", help="serve with the fixtures' stand-in coder (no model)")
    ap.add_argument("--seed", type=int, default=5)
    args = ap.parse_args()

    from flashpoint.api.fixtures import build_sample_store

    bodies = sample_chunks(args.rounds, args.chunk)
    n_articles = sum(b.count(b"\n") for b in bodies)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "load.duckdb"
        t0 = time.perf_counter()
        info = build_sample_store(db, noise_articles=args.noise, seed=args.seed)
        print(f"preloaded {db.name}: {info['counts']['articles']} articles, {info['counts']['events']} events "
              f"in {time.perf_counter() - t0:.1f} s", flush=True)
        port, token = free_port(), secrets.token_urlsafe(16)
        proc = start_server(db, port, token, args.fake_coder)
        print(f"server up on 127.0.0.1:{port} (pid {proc.pid}, {'stand-in' if args.fake_coder else 'real'} coder); "
              f"CPUs {os.cpu_count()}, load average {os.getloadavg()[0]:.1f}", flush=True)
        try:
            t0 = time.perf_counter()
            status, _ = call("POST", port, "/api/code", json.dumps({"text": "Russia attacked Kyiv.", "date": "2022-02-24"}).encode(),
                             {"Content-Type": "application/json"})
            print(f"coder loaded in the server in {time.perf_counter() - t0:.1f} s (POST /api/code: {status})", flush=True)
            before = json.loads(call("GET", port, "/api/events?page_size=1")[1])["total"]

            stop = threading.Event()
            readers = [Reader(port, stop, args.seed + i) for i in range(args.readers)]
            for r in readers:
                r.start()
            time.sleep(0.5)  # a few reads before the first write
            ingest_start = time.perf_counter()
            stored, posts, post_errors, post_seconds = 0, 0, [], []
            for body in bodies:
                if time.perf_counter() - ingest_start > args.max_seconds:
                    print(f"stopping the ingest after {args.max_seconds} s", flush=True)
                    break
                p0 = time.perf_counter()
                status, raw = call("POST", port, "/api/ingest", body,
                                   {"Content-Type": "application/x-ndjson", "Authorization": f"Bearer {token}"})
                post_seconds.append(time.perf_counter() - p0)
                posts += 1
                if status != 200:
                    post_errors.append(f"HTTP {status}: {raw[:200]!r}")
                    continue
                stored += json.loads(raw)["summary"]["events"]
            ingest_end = time.perf_counter()
            time.sleep(args.tail)
            stop.set()
            for r in readers:
                r.join(timeout=130)
            after = json.loads(call("GET", port, "/api/events?page_size=1")[1])["total"]
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()

    records = [rec for r in readers for rec in r.records]
    errors = [e for r in readers for e in r.errors]
    decreases = [d for r in readers for d in r.decreases]
    soft = [d for r in readers for d in r.soft_decreases]
    distinct_totals = sorted({v for r in readers for v in r.seen.get("GET /api/events (all, total)", [])})
    during = [rec for rec in records if ingest_start <= rec[1] <= ingest_end]
    ingest_s = ingest_end - ingest_start
    print(f"\ningest: {posts} POSTs of up to {args.chunk} articles ({n_articles} articles), {stored} events stored in "
          f"{ingest_s:.1f} s ({n_articles / ingest_s:.1f} articles/s); POST p50 {statistics.median(post_seconds):.2f} s; "
          f"POST errors: {len(post_errors)}")
    print(f"reads: {len(records)} requests from {args.readers} threads, {len(during)} of them during the ingest "
          f"({len(during) / ingest_s:.1f} req/s); errors: {len(errors)}")
    print(f"{'endpoint':44s} {'n':>5s} {'err':>4s} {'p50 ms':>8s} {'p95 ms':>8s} {'p99 ms':>8s} {'max ms':>8s}   during ingest: p50 / p99")
    per_endpoint = {}
    for name in READS:
        all_s = [rec[2] for rec in records if rec[0] == name]
        dur_s = [rec[2] for rec in during if rec[0] == name]
        if not all_s:
            continue
        q, qd = quantiles(all_s), quantiles(dur_s)
        n_err = sum(1 for e in errors if e.startswith(name + ":"))
        per_endpoint[name] = {"n": len(all_s), "errors": n_err, **q, "during_ingest": {"n": len(dur_s), **qd}}
        print(f"{name:44s} {len(all_s):5d} {n_err:4d} {q['p50_ms']:8.1f} {q['p95_ms']:8.1f} {q['p99_ms']:8.1f} {q['max_ms']:8.1f}"
              f"   {qd['p50_ms']:.1f} / {qd['p99_ms']:.1f}")
    overall, overall_during = quantiles([rec[2] for rec in records]), quantiles([rec[2] for rec in during])
    print(f"{'all reads':44s} {len(records):5d} {len(errors):4d} {overall['p50_ms']:8.1f} {overall['p95_ms']:8.1f} "
          f"{overall['p99_ms']:8.1f} {overall['max_ms']:8.1f}   {overall_during['p50_ms']:.1f} / {overall_during['p99_ms']:.1f}")
    consistent = after == before + stored
    print(f"\nconsistency: counts never decreased in any reader: {'yes' if not decreases else 'NO'} ({len(decreases)} decreases); "
          f"readers saw {len(distinct_totals)} distinct event totals between {before} and {after} (each commit shows up); "
          f"final total {after} = {before} preloaded + {stored} stored: {'yes' if consistent else 'NO'}")
    print(f"series (happenings, one per cluster) went down {len(soft)} times: a new report counts alone until its batch "
          f"is clustered (a separate transaction after the batch's own)")
    for e in (errors + decreases + post_errors + soft)[:10]:
        print("  ", e)
    print(json.dumps({"readers": args.readers, "articles": n_articles, "posts": posts, "ingest_s": round(ingest_s, 2),
                      "requests": len(records), "requests_during_ingest": len(during), "errors": len(errors),
                      "post_errors": len(post_errors), "decreases": len(decreases), "series_decreases": len(soft), "distinct_totals": len(distinct_totals),
                      "final_consistent": consistent, "overall": overall, "overall_during_ingest": overall_during,
                      "endpoints": per_endpoint, "coder": "stand-in" if args.fake_coder else "real",
                      "load_average": round(os.getloadavg()[0], 1)}))


if __name__ == "__main__":
    main()
