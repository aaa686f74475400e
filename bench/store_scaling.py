"""Storing and clustering at 10k and 100k articles without the coder: does the work per article stay flat as
the store grows, and does memory stay flat?

    python bench/store_scaling.py [--sizes 10000,100000] [--order shuffled|date] [--coded DB] [--batch 50]

The coder's cost per article does not depend on the store (each article is parsed alone), so what can make
ingest time grow faster than the input is what happens after coding: writing and clustering. This benchmark
runs that part of ingest on real coded articles, at sizes where coding them would take hours on a laptop:

1. A store of coded articles is needed once: ``--coded DB``, or it is made by ingesting the shared corpus
   (7,066 articles) with the real coder and no clustering (about 8 minutes on 2 workers).
2. For each size, articles are drawn from it with replacement (copies get new article and event ids, as a
   syndicated copy would; ``--order shuffled`` is the worst case, every batch touching old days; ``date``
   sorts them as a feed or a sorted archive arrives) and fed to a fresh store ``--batch`` at a time, the way
   ``flashpoint ingest`` does: each batch written in one transaction, then clustered when ``pass_due`` says so,
   with a final pass at the end.

Prints, for each size, the articles per second of storing and clustering over each stretch of the input
(flat when time is linear, with the load average at the end of each stretch), the total, the number of clustering
passes, the resident memory of the process at 10%, 50% and 100% and its peak (also the peak so far at the marks),
and DuckDB's own share of it
(``duckdb_memory()``: buffer cache, indexes) under the memory limit that ``flashpoint ingest`` sets
(``--memory-limit`` sets another).
Progress goes to stderr at each mark. Asserts nothing; the machine is noisy, so compare stretches within one run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import CORPUS  # noqa: E402

RUNNER = r"""
import json, os, random, sys, time
import duckdb
from flashpoint.analytics.clusters import pass_due, update_clusters
from flashpoint.ingest.run import ingest_memory_limit
from flashpoint.store.db import open_store

coded, db, n, order, batch, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5]), int(sys.argv[6])
memory_limit = sys.argv[7] if len(sys.argv) > 7 else ""

def rss_mib(field="VmRSS:"):
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field):
                return int(line.split()[1]) / 1024
    return 0.0

def duckdb_mib(con):
    # DuckDB's own memory (buffer cache, indexes, ...) by tag, MiB
    rows = con.execute("SELECT tag, memory_usage_bytes FROM duckdb_memory() WHERE memory_usage_bytes > 0").fetchall()
    return {tag: round(b / 2**20) for tag, b in rows}

src = duckdb.connect(coded, read_only=True)
pool = src.execute("SELECT article_id, pub_date FROM articles ORDER BY article_id").fetchall()
src.close()
rng = random.Random(seed)
draws = [(f"{aid}~{i}", aid, day) for i, (aid, day) in enumerate(rng.choice(pool) for _ in range(n))]
if order == "date":
    draws.sort(key=lambda d: (d[2], d[0]))
store = open_store(db)
held = store.limit_memory(ingest_memory_limit(memory_limit or None))  # as ingest does (kept referenced: a
held.__enter__()  # context manager that is collected runs its exit and restores the limit)
limit = store.con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
store.con.execute(f"ATTACH '{coded}' AS coded (READ_ONLY)")
COPY = {
    "articles": "SELECT a.* REPLACE (m.new_id AS article_id) FROM coded.articles a JOIN m ON m.old_id = a.article_id",
    "sentences": "SELECT s.* REPLACE (m.new_id AS article_id) FROM coded.sentences s JOIN m ON m.old_id = s.article_id",
    "events": "SELECT e.* REPLACE (m.new_id AS article_id, e.event_id || '~' || m.k AS event_id, NULL AS cluster_id) "
              "FROM coded.events e JOIN m ON m.old_id = e.article_id",
}
t0 = time.perf_counter()
t_write = t_cluster = 0.0
passes = 0
pending = []
marks = {}
for start in range(0, n, batch):
    part = draws[start:start + batch]
    t = time.perf_counter()
    store.con.execute("BEGIN TRANSACTION")
    store.con.execute("CREATE OR REPLACE TEMP TABLE m AS SELECT unnest(?) AS new_id, unnest(?) AS old_id, unnest(?) AS k",
                      [[d[0] for d in part], [d[1] for d in part], [d[0].rsplit("~", 1)[1] for d in part]])
    for table, sql in COPY.items():
        store.con.execute(f"INSERT INTO {table} BY NAME {sql}")
    store.con.execute("COMMIT")
    t_write += time.perf_counter() - t
    pending += [d[0] for d in part]
    t = time.perf_counter()
    last = start + batch >= n
    if last or pass_due(store, pending):
        update_clusters(store, pending)
        pending = []
        passes += 1
    t_cluster += time.perf_counter() - t
    done = min(start + batch, n)
    for frac in (0.1, 0.25, 0.5, 0.75, 1.0):
        if frac not in marks and done >= frac * n:
            marks[frac] = (done, time.perf_counter() - t0, round(rss_mib()), duckdb_mib(store.con), round(os.getloadavg()[0], 1),
                           round(rss_mib("VmHWM:")))
            print(f"  {done:,} articles at {marks[frac][1]:.0f} s: RSS {marks[frac][2]} MiB (peak so far {marks[frac][5]} MiB), "
                  f"DuckDB {marks[frac][3]} MiB, load {marks[frac][4]}", file=sys.stderr, flush=True)
stats = store.stats()
store.close()
print(json.dumps({"n": n, "memory_limit": limit, "peak_rss": round(rss_mib("VmHWM:")), "wall": time.perf_counter() - t0, "write": t_write, "cluster": t_cluster, "passes": passes,
                  "events": stats["events"], "marks": {str(k): v for k, v in marks.items()},
                  "clusters": stats.get("clusters")}))
"""


def make_coded(path: Path) -> None:
    """Ingest the shared corpus with the real coder and no clustering (once; about 8 minutes on 2 workers)."""
    from flashpoint.ingest.run import ingest
    from flashpoint.store.db import open_store

    print(f"coding {CORPUS} into {path} (no clustering) ...", flush=True)
    store = open_store(path)
    t = time.perf_counter()
    s = ingest([str(CORPUS)], store, workers=2, cluster=False)
    store.close()
    print(f"  {s.new:,} articles, {s.events:,} events in {time.perf_counter() - t:.0f} s", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--order", default="shuffled", choices=["shuffled", "date"])
    ap.add_argument("--coded", default=None, help="a store of coded, unclustered articles (made when absent)")
    ap.add_argument("--batch", type=int, default=50)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--memory-limit", default="", help="DuckDB memory limit for the store (default: ingest's, "
                    "$FLASHPOINT_MEMORY_LIMIT or else flashpoint.ingest.run.INGEST_MEMORY_LIMIT; 'default': DuckDB's own)")
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="fp-store-scaling-") as tmp:
        coded = Path(args.coded) if args.coded else Path(tmp) / "coded.duckdb"
        if not coded.exists():
            if not CORPUS.exists():
                sys.exit(f"benchmark needs {CORPUS} or --coded DB")
            make_coded(coded)
        print(f"coded store {coded}; {os.cpu_count()} cores; order {args.order}; batch {args.batch}; load {os.getloadavg()[0]:.1f}", flush=True)
        for n in sizes:
            db = Path(tmp) / f"store-{n}.duckdb"
            proc = subprocess.run([sys.executable, "-c", RUNNER, str(coded), str(db), str(n), args.order, str(args.batch), str(args.seed),
                                   args.memory_limit], stdout=subprocess.PIPE, text=True)  # progress and errors go to stderr
            if proc.returncode != 0:
                sys.exit(f"run failed (exit {proc.returncode}); its error is above")
            r = json.loads(proc.stdout.strip().splitlines()[-1])
            stretches, prev = [], (0, 0.0)
            for k in ("0.1", "0.25", "0.5", "0.75", "1.0"):
                done, at, _, _, load, _ = r["marks"][k]
                stretches.append(f"{prev[0]:,}-{done:,}: {(done - prev[0]) / max(at - prev[1], 1e-9):.0f} (load {load})")
                prev = (done, at)
            rss = "/".join(str(r["marks"][k][2]) for k in ("0.1", "0.5", "1.0"))
            peaks = "/".join(str(r["marks"][k][5]) for k in ("0.1", "0.5", "0.75"))
            duck = "/".join(str(sum(r["marks"][k][3].values())) for k in ("0.1", "0.5", "1.0"))
            print(f"{n:>9,d} articles: {r['wall']:.0f} s ({n / r['wall']:.0f} articles/s; write {r['write']:.0f} s, cluster {r['cluster']:.0f} s "
                  f"in {r['passes']} passes); {r['events']:,} events; load {os.getloadavg()[0]:.1f}", flush=True)
            print(f"{'':>19s}memory: RSS at 10/50/100% {rss} MiB, peak {r['peak_rss']} MiB (so far at 10/50/75%: {peaks}); DuckDB's own at 10/50/100% {duck} MiB "
                  f"(memory_limit {r['memory_limit']}; at the end {r['marks']['1.0'][3]})", flush=True)
            print(f"{'':>19s}articles/s by stretch: " + "; ".join(stretches), flush=True)
            for f in Path(tmp).glob(f"store-{n}.duckdb*"):
                f.unlink()


if __name__ == "__main__":
    main()
