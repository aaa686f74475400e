"""Ingest benchmark: N real articles from the shared corpus into a fresh store.

    python bench/ingest.py [--n 300] [--workers 1]

Prints articles/s, peak memory, and the share of time spent reading, coding and storing (clustering is
part of storing). Figures are from one run on a noisy machine; compare the shares and ratios.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import load_records, peak_rss_mib  # noqa: E402

from flashpoint.ingest.run import ingest  # noqa: E402
from flashpoint.nlp.pipeline import default_coder  # noqa: E402
from flashpoint.store.db import open_store  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "articles.jsonl"
        with open(src, "w", encoding="utf-8") as fh:
            for r in load_records(args.n):
                fh.write(json.dumps(r) + "\n")
        coder = default_coder()
        store = open_store(Path(tmp) / "bench.duckdb")
        t0 = time.perf_counter()
        s = ingest([str(src)], store, coder=coder, workers=args.workers)
        wall = time.perf_counter() - t0
        total = sum(s.timings.values()) or 1.0
        print(f"articles: {s.read} read, {s.new} stored, {s.skipped} skipped; events: {s.events}; workers: {args.workers}")
        print(f"throughput: {s.read / wall:.1f} articles/s ({wall:.1f} s wall)")
        print("time shares: " + ", ".join(f"{k} {v / total:.0%} ({v:.1f} s)" for k, v in s.timings.items()))
        print(f"peak RSS: {peak_rss_mib():.0f} MiB")
        store.close()


if __name__ == "__main__":
    main()
