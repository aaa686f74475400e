"""Shared helpers for the benchmarks: where the corpora are, and loading N real articles."""

from __future__ import annotations

import gzip
import json
import os
import random
import resource
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("FLASHPOINT_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpora" / "ukraine-media-2022" / "articles.jsonl.gz"


def need_corpus() -> Path:
    if not CORPUS.exists():
        sys.exit(f"benchmark needs {CORPUS} (the shared corpora beside the checkout); set FLASHPOINT_SHARED")
    return CORPUS


def load_records(n: int, seed: int = 7) -> list[dict]:
    """n real articles (resampled with replacement, ids made unique, when the corpus is smaller)."""
    with gzip.open(need_corpus(), "rt", encoding="utf-8") as fh:
        recs = [json.loads(line) for line in fh]
    rng = random.Random(seed)
    if n <= len(recs):
        return rng.sample(recs, n)
    out = []
    for i in range(n):
        r = dict(rng.choice(recs))
        r["id"] = f"{r['id']}-r{i}"
        out.append(r)
    return out


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def wait_for_server(proc, port: int, timeout: float = 60.0):
    """Wait until ``flashpoint serve`` (a Popen with stderr piped) answers /api/health on 127.0.0.1:``port``;
    exit with its error output if it dies, or kill it after ``timeout`` seconds. RETURNS the process."""
    import http.client
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"flashpoint serve exited: {proc.stderr.read()[-2000:]}")
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/api/health")
            if c.getresponse().status == 200:
                c.close()
                return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    sys.exit(f"flashpoint serve did not answer within {timeout:.0f} s")
