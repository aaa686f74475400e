"""The Spark engine on local[1] vs local[2]: the same N real articles coded to Parquet, speed-up of two cores.

    python bench/spark.py [--n 400] [--masters local[1],local[2]]

Each master gets a fresh Spark session (so its Python workers load the coder from scratch) and codes the same
JSONL file twice: a first run (which includes the workers loading the spaCy model) and a second, warm run. The
warm run is the engine's throughput; the speed-up is the ratio of warm times. Needs pyspark and Java (the
flashpoint[spark] extra). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import load_records  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument("--masters", default="local[1],local[2]")
    args = ap.parse_args()
    from flashpoint.engines.spark import run_spark, spark_session

    masters = args.masters.split(",")
    results = {}
    with tempfile.TemporaryDirectory(prefix="fp-spark-bench-") as tmp:
        src = Path(tmp) / "articles.jsonl"
        with open(src, "w", encoding="utf-8") as fh:
            for r in load_records(args.n):
                fh.write(json.dumps(r) + "\n")
        print(f"{args.n} articles; {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}", flush=True)
        for master in masters:
            cores = int(master[master.index("[") + 1:-1]) if "[" in master and master[-2].isdigit() else os.cpu_count()
            spark = spark_session(master, {"spark.sql.shuffle.partitions": str(2 * cores)})
            spark.sparkContext.setLogLevel("ERROR")
            times = []
            for run in ("first", "warm"):
                out = Path(tmp) / f"out-{master.replace('[', '').replace(']', '')}-{run}"
                t0 = time.perf_counter()
                s = run_spark([str(src)], str(out), spark=spark, partitions=4 * cores)
                times.append(time.perf_counter() - t0)
                shutil.rmtree(out, ignore_errors=True)
                print(f"{master:10s} {run:5s}: {times[-1]:7.1f} s  {s['articles'] / times[-1]:6.1f} articles/s  "
                      f"({s['articles']} articles, {s['events']} events, {s['sentences']} sentences, "
                      f"{s['partitions']} tasks)", flush=True)
            results[master] = times
            spark.stop()
    if len(masters) >= 2:
        a, b = masters[0], masters[1]
        print(f"\nspeed-up {b} vs {a}: warm x{results[a][1] / results[b][1]:.2f}, first run x{results[a][0] / results[b][0]:.2f}")


if __name__ == "__main__":
    main()
