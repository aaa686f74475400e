"""Coder throughput beside the bare spaCy parse of the same articles with the same model, in one run.

    python bench/code.py [--n 200] [--workers 1]

Prints articles/s and sentences/s for (a) the bare parse (spaCy model, same batch size) and (b) the full
coder (parse + actors + dates + places + events), and the ratio. The machine is noisy: read the ratio,
not the absolute figures. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import load_records, peak_rss_mib  # noqa: E402

from flashpoint.models import Article  # noqa: E402
from flashpoint.nlp.pipeline import Coder  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    recs = load_records(args.n)
    arts = [Article(id=r["id"], text=r["text"], date=dt.date.fromisoformat(r["date"][:10]), outlet=r.get("outlet")) for r in recs]
    coder = Coder()
    import spacy

    bare = spacy.load(coder.config["nlp"]["model"])
    bare.max_length = coder.nlp.max_length
    texts = [a.text for a in arts]
    # warm up both
    list(bare.pipe(texts[:5]))
    list(coder.process(arts[:5]))
    best_bare = best_coder = float("inf")
    n_sents = n_events = 0
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        n_sents = sum(len(list(d.sents)) for d in bare.pipe(texts, batch_size=coder.batch_size, n_process=args.workers))
        best_bare = min(best_bare, time.perf_counter() - t0)
        t0 = time.perf_counter()
        n_events = sum(len(c.events) for c in coder.process(arts, n_process=args.workers))
        best_coder = min(best_coder, time.perf_counter() - t0)
    n = len(arts)
    print(f"articles: {n}, sentences: {n_sents}, events: {n_events}, workers: {args.workers}, best of {args.repeat}")
    print(f"bare spaCy parse : {n / best_bare:7.1f} articles/s  {n_sents / best_bare:8.1f} sentences/s  ({best_bare:.2f} s)")
    print(f"flashpoint coder : {n / best_coder:7.1f} articles/s  {n_sents / best_coder:8.1f} sentences/s  ({best_coder:.2f} s)")
    print(f"coder time / parse time = {best_coder / best_bare:.2f}  (target <= 1.50); coder keeps {best_bare / best_coder:.0%} of the parse throughput")
    print(f"peak RSS: {peak_rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
