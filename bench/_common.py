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
