"""API latency benchmark: `flashpoint serve` over a 100k-event synthetic store, bounded load from this process.

    python bench/api_latency.py [--events 100000] [--requests 300] [--threads 4] [--db KEEP.duckdb] [--browser]

Builds a seeded synthetic store (``flashpoint.api.fixtures.build_sample_store``, fast bulk insert, then
clustering), starts `flashpoint serve` in a subprocess on 127.0.0.1 (a free port), and sends a fixed number
of requests per endpoint from a few threads of this process, over keep-alive connections. Parameters are
drawn from a pool (20 dyads, date ranges, ids), so the first requests of each pool entry miss the server's
cache and later ones hit it: p50 is mostly the warm answer, p99 the cold one. With --browser (needs
/usr/bin/chromium and playwright) it also loads the dashboard in headless Chromium and reports first paint
and the time until the chart and table are drawn. No assertions: it prints figures (and one JSON line).
Traffic goes to loopback only, and the run stops by itself.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import wait_for_server  # noqa: E402

EVENTS_PER_ARTICLE = 1.13  # synthetic_coded's mean, measured


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build(path: Path, events: int) -> dict:
    from flashpoint.api.fixtures import build_sample_store

    t0 = time.perf_counter()
    info = build_sample_store(path, noise_articles=int(events / EVENTS_PER_ARTICLE), seed=11, fast=True)
    print(f"built {path}: {info['counts']} in {time.perf_counter() - t0:.1f} s", flush=True)
    return info


def start_server(db: Path, port: int) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "flashpoint", "serve", "--db", str(db), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return wait_for_server(proc, port)


def get_json(port: int, path: str) -> dict:
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    c.request("GET", path)
    body = json.loads(c.getresponse().read())
    c.close()
    return body


def request_pools(port: int, rng: random.Random) -> dict[str, list[str]]:
    dyads = get_json(port, "/api/dyads?limit=20")["dyads"]
    ids = [e["event_id"] for e in get_json(port, "/api/events?page_size=1000&order=confidence")["events"]]
    span = get_json(port, "/api/series?" + urlencode({"a": dyads[0]["a"], "b": dyads[0]["b"]}))["series"]
    days = [r["period"] for r in span]
    types = [t["event_type"] for t in get_json(port, "/api/types")["types"]]

    def rng_range() -> dict:
        i = rng.randrange(0, max(1, len(days) - 14))
        return {"since": days[i], "until": days[min(len(days) - 1, i + 13)]}

    pools = {
        "GET /api/events (dyad + dates)": [
            "/api/events?" + urlencode({"dyad": f"{d['a']}:{d['b']}", **rng_range(), "page_size": 50}) for d in dyads],
        "GET /api/events (actor + type, 200 rows)": [
            "/api/events?" + urlencode({"actor": rng.choice(dyads)["a"], "type": rng.choice(types), "page_size": 200}) for _ in range(20)],
        "GET /api/events (csv, 1000 rows)": [
            "/api/events?" + urlencode({"dyad": f"{d['a']}:{d['b']}", "format": "csv", "page_size": 1000}) for d in dyads],
        "GET /api/events/{id}": [f"/api/events/{i}" for i in rng.sample(ids, min(200, len(ids)))],
        "GET /api/series (daily)": ["/api/series?" + urlencode({"a": d["a"], "b": d["b"]}) for d in dyads],
        "GET /api/series (weekly, range)": ["/api/series?" + urlencode({"a": d["a"], "b": d["b"], "freq": "W", **rng_range()}) for d in dyads],
        "GET /api/alerts (dyad)": ["/api/alerts?" + urlencode({"a": d["a"], "b": d["b"]}) for d in dyads],
        "GET /api/dyads": ["/api/dyads?limit=20"] + ["/api/dyads?" + urlencode({"actor": d["a"], "limit": 20}) for d in dyads[:19]],
        "GET /api/actors": ["/api/actors?" + urlencode({"q": q}) for q in ("r", "u", "ru", "uk", "us", "na", "x", "e", "a", "o")],
    }
    return pools


def run_load(port: int, pools: dict[str, list[str]], n: int, threads: int, rng: random.Random) -> dict[str, dict]:
    local = threading.local()

    def fetch(path: str) -> tuple[float, int]:
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        t0 = time.perf_counter()
        try:
            conn.request("GET", path)
            resp = conn.getresponse()
            resp.read()
            status = resp.status
        except (OSError, http.client.HTTPException):
            local.conn = None
            status = 0
        return time.perf_counter() - t0, status

    results = {}
    for name, pool in pools.items():
        paths = [rng.choice(pool) for _ in range(n)]
        t0 = time.perf_counter()
        with ThreadPoolExecutor(threads) as ex:
            out = list(ex.map(fetch, paths))
        wall = time.perf_counter() - t0
        lat = sorted(x[0] * 1000 for x in out)
        errors = sum(1 for x in out if x[1] != 200)
        q = statistics.quantiles(lat, n=100, method="inclusive")
        results[name] = {"n": n, "errors": errors, "p50_ms": round(q[49], 1), "p90_ms": round(q[89], 1), "p99_ms": round(q[98], 1),
                         "max_ms": round(lat[-1], 1), "req_per_s": round(n / wall, 1), "pool": len(set(pool))}
        r = results[name]
        print(f"{name:42s} p50 {r['p50_ms']:7.1f} ms  p90 {r['p90_ms']:7.1f}  p99 {r['p99_ms']:7.1f}  max {r['max_ms']:7.1f}  "
              f"{r['req_per_s']:6.1f} req/s  errors {errors}", flush=True)
    return results


def dashboard_paint(port: int) -> dict | None:
    chromium = Path("/usr/bin/chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("dashboard: skipped (playwright not installed)")
        return None
    if not chromium.exists():
        print("dashboard: skipped (/usr/bin/chromium not installed)")
        return None
    out = {}
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            profile, executable_path=str(chromium), headless=True, viewport={"width": 1400, "height": 1000},
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"])
        for label in ("first load", "reload"):
            page = ctx.new_page()
            t0 = time.perf_counter()
            page.goto(f"http://127.0.0.1:{port}/")
            page.wait_for_selector("body[data-state=ready]", timeout=60_000)
            wall = (time.perf_counter() - t0) * 1000
            paint = page.evaluate("Object.fromEntries(performance.getEntriesByType('paint').map(e => [e.name, e.startTime]))")
            ready = page.evaluate("performance.getEntriesByName('flashpoint-ready').map(e => e.startTime)[0]")
            out[label] = {"first_paint_ms": round(paint.get("first-paint", -1)), "first_contentful_paint_ms": round(paint.get("first-contentful-paint", -1)),
                          "chart_and_table_ready_ms": round(ready), "wall_ms": round(wall)}
            print(f"dashboard {label}: first paint {out[label]['first_paint_ms']} ms, first contentful paint "
                  f"{out[label]['first_contentful_paint_ms']} ms, chart+alerts+table ready {out[label]['chart_and_table_ready_ms']} ms", flush=True)
            page.close()
        ctx.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=100_000, help="about this many events in the synthetic store")
    ap.add_argument("--requests", type=int, default=300, help="requests per endpoint")
    ap.add_argument("--threads", type=int, default=4, help="concurrent client threads")
    ap.add_argument("--db", help="keep the store here (built when missing, reused when present)")
    ap.add_argument("--browser", action="store_true", help="also time the dashboard in headless Chromium")
    ap.add_argument("--seed", type=int, default=5)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "bench.duckdb"
        if not db.exists():
            build(db, args.events)
        port = free_port()
        t0 = time.perf_counter()
        proc = start_server(db, port)
        print(f"server up on 127.0.0.1:{port} in {time.perf_counter() - t0:.1f} s (pid {proc.pid}); "
              f"{args.requests} requests per endpoint from {args.threads} threads; CPUs: {os.cpu_count()}", flush=True)
        try:
            counts = get_json(port, "/api/health")["counts"]
            paint = dashboard_paint(port) if args.browser else None
            pools = request_pools(port, rng)
            results = run_load(port, pools, args.requests, args.threads, rng)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
    print(json.dumps({"bench": "api_latency", "counts": counts, "threads": args.threads, "requests": args.requests,
                      "endpoints": results, "dashboard": paint}))


if __name__ == "__main__":
    main()
