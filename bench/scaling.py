"""Scaling: ingest 1k, 10k and 100k real articles (resampled from the shared corpus when it is smaller) into a
fresh store, with 1 and 2 worker processes; time and peak memory for each.

    python bench/scaling.py [--sizes 1000,10000,100000] [--workers 1,2] [--order shuffled|date] [--corpus PATH]

Each run is a fresh process (so peak memory is its own) that loads the coder, then runs the same code as
``flashpoint ingest FILE --workers N``. Memory is the resident set of the whole process tree (the ingest
process plus its workers), sampled every 0.2 s; it is also printed at 10%, 50% and 100% of the input to show
whether it grows with the input. Prints figures and ratios (time per article across sizes, 2 workers vs 1);
asserts nothing. Resampled copies get new ids (the same text is coded again, as a syndicated copy would be).
The machine is shared and noisy: the load average is printed with each run, and the CPU seconds per article
(ingest process and workers together) with it: when other work holds the cores, wall time and the 2-vs-1
ratio suffer but CPU per article does not; equal CPU per article with 1 and 2 workers means the workers add
no overhead, and on free cores the 2-worker run then takes about half the time.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import CORPUS  # noqa: E402

RUNNER = r"""
import json, os, resource, sys, threading, time
from flashpoint.ingest.run import ingest
from flashpoint.nlp.pipeline import default_coder
from flashpoint.store.db import open_store

src, db, workers, total = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])

def proc_kib(pid, name, key):
    # a "Key:   1234 kB" line of /proc/PID/NAME (0 when the process is gone)
    try:
        with open(f"/proc/{pid}/{name}") as fh:
            for line in fh:
                if line.startswith(key):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0

def rss_kib(pid):
    return proc_kib(pid, "status", "VmRSS:")

def tree(pid):
    out = [pid]
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                for child in fh.read().split():
                    out += tree(int(child))
    except OSError:
        pass
    return out

def tree_rss_mib():
    return sum(rss_kib(p) for p in tree(os.getpid())) / 1024

def pss_kib(pid):
    # proportional set size: pages shared by the forked workers (the model) counted once in all, not once each
    return proc_kib(pid, "smaps_rollup", "Pss:")

def tree_pss_mib():
    return sum(pss_kib(p) for p in tree(os.getpid())) / 1024

peak = {"tree": 0.0, "self": 0.0, "pss": 0.0}
peak_by_pid = {}  # pid -> highest RSS (MiB) seen: which process makes a peak (the ingest process or a worker)
stop = threading.Event()
def sample():
    while not stop.is_set():
        for p in tree(os.getpid()):
            peak_by_pid[p] = max(peak_by_pid.get(p, 0.0), rss_kib(p) / 1024)
        peak["tree"] = max(peak["tree"], tree_rss_mib())
        peak["self"] = max(peak["self"], rss_kib(os.getpid()) / 1024)
        peak["pss"] = max(peak["pss"], tree_pss_mib())
        stop.wait(0.2)

coder = default_coder()
if workers == 1:
    coder.nlp  # loaded before the clock starts
else:
    list(coder.process([], n_process=workers))  # the pool, and with fork the model its workers share, before the clock
baseline = tree_rss_mib()
marks, times = {}, {}
def progress(s):
    for frac in (0.1, 0.25, 0.5, 0.75):
        if frac not in marks and s.read >= frac * total:
            marks[frac] = round(tree_rss_mib())
            times[frac] = (s.read, time.perf_counter() - t0)
threading.Thread(target=sample, daemon=True).start()
store = open_store(db)
def cpu():
    a, b = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime
cpu0 = cpu()
t0 = time.perf_counter()
s = ingest([src], store, coder=coder, workers=workers, on_progress=progress)
wall = time.perf_counter() - t0
marks[1.0] = round(tree_rss_mib())
times[1.0] = (s.read, wall)
sentences = store.stats()["sentences"]
stop.set()
store.close()
coder.close()  # joins the workers: their CPU time is counted in RUSAGE_CHILDREN
cpu_s = cpu() - cpu0
print(json.dumps({"cpu": cpu_s, "read": s.read, "new": s.new, "events": s.events, "skipped": s.skipped, "sentences": sentences,
                  "wall": wall, "timings": s.timings, "baseline_mib": round(baseline), "peak_tree_mib": round(peak["tree"]), "peak_pss_mib": round(peak["pss"]),
                  "peak_self_mib": round(peak["self"]),
                  "peak_workers_mib": sorted((round(v) for p, v in peak_by_pid.items() if p != os.getpid()), reverse=True),
                  "rss_at": {str(k): v for k, v in sorted(marks.items())},
                  "time_at": {str(k): v for k, v in sorted(times.items())}}))
"""


def write_input(path: Path, n: int, corpus: Path, seed: int = 7, order: str = "shuffled") -> None:
    """n articles as JSONL (sampled without replacement when the corpus is big enough), in random order or, with
    ``order="date"``, sorted by date as a feed or a sorted archive arrives."""
    opener = gzip.open if corpus.suffix == ".gz" else open
    with opener(corpus, "rt", encoding="utf-8") as fh:
        recs = [json.loads(line) for line in fh if line.strip()]
    rng = random.Random(seed)
    if n <= len(recs):
        out_recs = rng.sample(recs, n)
    else:
        out_recs = []
        for i in range(n):
            r = dict(rng.choice(recs))
            r["id"] = f"{r.get('id', 'doc')}-r{i}"
            out_recs.append(r)
    if order == "date":
        out_recs.sort(key=lambda r: (str(r.get("date") or ""), str(r.get("id"))))
    with open(path, "w", encoding="utf-8") as out:
        for r in out_recs:
            out.write(json.dumps(r) + "\n")


def run_one(src: Path, db: Path, workers: int, n: int) -> dict:
    load = os.getloadavg()[0]
    proc = subprocess.run([sys.executable, "-c", RUNNER, str(src), str(db), str(workers), str(n)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"ingest run failed:\n{proc.stderr[-3000:]}")
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    res["load_before"] = load
    res["load_after"] = os.getloadavg()[0]
    return res


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--corpus", default=str(CORPUS))
    ap.add_argument("--order", default="shuffled", choices=["shuffled", "date"],
                    help="input order: shuffled (the worst case for clustering) or by date (a feed, a sorted archive)")
    args = ap.parse_args()
    corpus = Path(args.corpus)
    if not corpus.exists():
        sys.exit(f"benchmark needs {corpus} (the shared corpora beside the checkout); set FLASHPOINT_SHARED or --corpus")
    sizes = [int(x) for x in args.sizes.split(",")]
    workers = [int(x) for x in args.workers.split(",")]
    print(f"corpus: {corpus}; {os.cpu_count()} cores; sizes {sizes}; workers {workers}; order {args.order}", flush=True)
    print(f"{'articles':>9s} {'workers':>7s} {'wall s':>8s} {'art/s':>7s} {'sent/s':>7s} {'ms/art':>7s} "
          f"{'cpu s/art':>9s} {'events':>8s} {'peak MiB':>9s} {'model MiB':>9s} {'RSS at 10%/50%/100%':>22s}  load", flush=True)
    results: dict[tuple[int, int], dict] = {}
    with tempfile.TemporaryDirectory(prefix="fp-scaling-") as tmp:
        for n in sizes:
            src = Path(tmp) / f"articles-{n}.jsonl"
            write_input(src, n, corpus, order=args.order)
            for w in workers:
                db = Path(tmp) / f"store-{n}-{w}.duckdb"
                r = run_one(src, db, w, n)
                results[(n, w)] = r
                marks = r["rss_at"]
                print(f"{r['read']:>9,d} {w:>7d} {r['wall']:>8.1f} {r['read'] / r['wall']:>7.1f} "
                      f"{r['sentences'] / r['wall']:>7.0f} {1000 * r['wall'] / r['read']:>7.1f} {r['cpu'] / r['read']:>9.3f} {r['events']:>8,d} "
                      f"{r['peak_tree_mib']:>9,d} {r['baseline_mib']:>9,d} "
                      f"{'/'.join(str(marks.get(k, '-')) for k in ('0.1', '0.5', '1.0')):>22s}  "
                      f"{r['load_before']:.1f}->{r['load_after']:.1f}", flush=True)
                # articles per second in each stretch of the run: flat when time is linear in the input
                stretches, prev = [], (0, 0.0)
                for k in ("0.1", "0.25", "0.5", "0.75", "1.0"):
                    if k in r.get("time_at", {}):
                        done, at = r["time_at"][k]
                        if at > prev[1]:
                            stretches.append(f"{prev[0]:,}-{done:,}: {(done - prev[0]) / (at - prev[1]):.1f}")
                        prev = (done, at)
                print(f"{'':>17s} articles/s by stretch of the input: " + "; ".join(stretches), flush=True)
                print(f"{'':>17s} peak memory of the tree as PSS (pages the forked workers share counted once): "
                      f"{r['peak_pss_mib']:,d} MiB", flush=True)
                print(f"{'':>17s} highest RSS of each process: ingest process {r['peak_self_mib']:,d} MiB, workers "
                      f"{', '.join(f'{m:,d}' for m in r.get('peak_workers_mib', [])) or '-'} MiB", flush=True)
                t = r["timings"]
                print(f"{'':>17s} in the ingest process: read {t['read']:.1f} s, store {t['store']:.1f} s, cluster {t.get('cluster', 0):.1f} s, "
                      f"waiting for the coder {t['code']:.1f} s", flush=True)
                for f in Path(tmp).glob(f"store-{n}-{w}.duckdb*"):
                    f.unlink()
            src.unlink()
    print("\nratios")
    for w in workers:
        base = next(((n, results[(n, w)]) for n in sizes if (n, w) in results), None)
        for n in sizes[1:]:
            if base and (n, w) in results:
                r = results[(n, w)]
                print(f"  {w} worker(s): {n:,} vs {base[0]:,} articles: time x{r['wall'] / base[1]['wall']:.1f} for input "
                      f"x{n / base[0]:.0f} (time per article x{(r['wall'] / n) / (base[1]['wall'] / base[0]):.2f}); "
                      f"peak memory x{r['peak_tree_mib'] / base[1]['peak_tree_mib']:.2f}")
    if 1 in workers:
        for w in workers:
            if w == 1:
                continue
            for n in sizes:
                if (n, 1) in results and (n, w) in results:
                    print(f"  {n:,} articles: {w} workers vs 1: x{results[(n, 1)]['wall'] / results[(n, w)]['wall']:.2f} faster")


if __name__ == "__main__":
    main()
