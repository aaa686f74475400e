"""Fit the event-confidence model on the DEV splits of the gold sets (never on test).

    python training/calibrate.py [--out src/flashpoint/nlp/data/confidence.json]

Each predicted event inside a gold sentence is labelled right when its type is one of the sentence's gold
types (required or optional, alternatives included). A logistic regression (L2, plain numpy gradient
descent) over ``confidence.FEATURES`` plus a per-type offset is fitted, so that among events with
confidence near 0.8 about 80% have a right type. The file it writes is read by ``nlp/confidence.py``.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

import numpy as np

from flashpoint import ontology
from flashpoint.evaluate import _load_articles, default_corpora_dir, load_gold
from flashpoint.models import Article
from flashpoint.nlp.confidence import FEATURES, vectorise
from flashpoint.nlp.pipeline import Coder

ROOT = Path(__file__).resolve().parents[1]
GOLD = [ROOT.parent / "shared" / "gold" / "ukraine_dev.jsonl", ROOT / "eval" / "gold" / "flashpoint_gold_a.jsonl",
        ROOT / "eval" / "gold" / "flashpoint_gold_b.jsonl"]


def examples(coder: Coder):
    rows = []
    for path in GOLD:
        if not path.exists():
            continue
        gold = load_gold(path, split="dev")
        wanted = defaultdict(set)
        for g in gold:
            wanted[g.corpus].add(g.article_id)
        arts = _load_articles(default_corpora_dir(), wanted)
        by_article = defaultdict(list)
        for g in gold:
            by_article[(g.corpus, g.article_id)].append(g)
        articles = [Article(id=aid, text=arts[(c, aid)]["text"], date=gs[0].article_date, outlet=gs[0].outlet)
                    for (c, aid), gs in by_article.items()]
        for art, events in coder.code_articles(articles):
            for g in by_article[(next(c for c, a in by_article if a == art.id), art.id)]:
                types = {t for e in g.events for t in e.types}
                for ev in events:
                    if g.start <= ev.trigger_start < g.end:
                        rows.append((ev.event_type, vectorise(ev.features), ev.event_type in types))
    return rows


def fit(rows, l2: float = 1.0, steps: int = 4000, lr: float = 0.1):
    names = list(FEATURES)
    types = list(ontology.CATEGORIES)
    X = np.array([[f[n] for n in names] + [1.0 if t == c else 0.0 for c in types] + [1.0] for t, f, _ in rows])
    y = np.array([1.0 if ok else 0.0 for *_, ok in rows])
    w = np.zeros(X.shape[1])
    reg = np.full(X.shape[1], l2)
    reg[-1] = 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-X @ w))
        grad = X.T @ (p - y) / len(y) + reg * w / len(y)
        w -= lr * grad
    coef = {n: round(float(v), 4) for n, v in zip(names, w[: len(names)])}
    coef["bias"] = round(float(w[-1]), 4)
    per_type = {c: round(float(v), 4) for c, v in zip(types, w[len(names) : -1])}
    p = 1 / (1 + np.exp(-X @ w))
    return {"coef": coef, "per_type": per_type}, p, y


def ece(p, y, bins=5):
    total = 0.0
    for i in range(bins):
        lo, hi = i / bins, (i + 1) / bins
        m = (p >= lo) & ((p < hi) if i < bins - 1 else (p <= hi))
        if m.any():
            total += m.sum() / len(p) * abs(p[m].mean() - y[m].mean())
    return total


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(ROOT / "src" / "flashpoint" / "nlp" / "data" / "confidence.json"))
    args = ap.parse_args()
    rows = examples(Coder({"events": {"min_confidence": 0.0}}))  # fit on every event, not only those kept
    model, p, y = fit(rows)
    print(f"{len(rows)} dev events, {y.mean():.1%} with a right type; fitted ECE {ece(p, y):.3f}")
    model["note"] = "fitted by training/calibrate.py on the dev splits of ukraine_dev and eval/gold (a, b)"
    model["n_events"] = len(rows)
    Path(args.out).write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
