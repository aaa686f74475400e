"""How often each trigger-lexicon row is right, counted on the team's own labelled sentences.

    python training/trigger_stats.py [--examples training/examples] [--out src/flashpoint/nlp/data/trigger_stats.json]

Every sentence of ``training/examples/*.jsonl`` (written by the team, hard negatives included) is coded with
every candidate kept (``min_confidence`` 0). Each event the coder produces comes from one lexicon row
(lemma/POS -> type); per type, as many of a sentence's events are right as it has labelled events of that type,
those on a labelled trigger word first (so a light verb firing beside its labelled noun, "imposed sanctions",
is not counted wrong, and a second event of a type labelled once is). The file it writes holds, per row, (right, fired); ``nlp/confidence.py`` turns it
into the ``reliability`` feature, whose weight ``training/calibrate.py`` then fits on the dev gold. The gold
sets are not read here, so the statistics carry no information from any test split.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from flashpoint.models import Article
from flashpoint.nlp.pipeline import Coder

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--examples", default=str(ROOT / "training" / "examples"))
    ap.add_argument("--out", default=str(ROOT / "src" / "flashpoint" / "nlp" / "data" / "trigger_stats.json"))
    args = ap.parse_args()
    records = []
    for path in sorted(Path(args.examples).glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                records.append((f"{path.name}:{n}", json.loads(line)))
    coder = Coder({"events": {"min_confidence": 0.0}})
    articles = [Article(id=rid, text=rec["text"], date=None, outlet=None) for rid, rec in records]
    labels = {rid: rec.get("events") or [] for rid, rec in records}
    right, fired = Counter(), Counter()
    for art, events in coder.code_articles(articles):
        gold = labels[art.id]
        for etype in {ev.event_type for ev in events}:
            labelled = [(g.get("trigger") or "").lower() for g in gold if g["event_type"] == etype]
            # as many events of a type are right as the sentence has labelled ones, those on a labelled
            # trigger word first ("imposed sanctions": the labelled trigger is the noun, the verb may fire)
            preds = sorted((ev for ev in events if ev.event_type == etype), key=lambda ev: ev.trigger_text.lower() not in labelled)
            for k, ev in enumerate(preds):
                key = ev.features.get("trigger_key")
                if key:
                    fired[key] += 1
                    right[key] += k < len(labelled)
    stats = {k: [right[k], fired[k]] for k in sorted(fired)}
    out = {"note": "fitted by training/trigger_stats.py on training/examples (the team's own sentences); "
                   "per lexicon row lemma/POS>TYPE: [right, fired]",
           "sentences": len(records), "rows": stats}
    Path(args.out).write_text(json.dumps(out, indent=0, sort_keys=False) + "\n", encoding="utf-8")
    total_r, total_f = sum(right.values()), sum(fired.values())
    print(f"{len(records)} sentences, {total_f} events from {len(stats)} lexicon rows, {total_r / max(total_f, 1):.1%} right; wrote {args.out}")
    worst = sorted(((r / f, f, k) for k, (r, f) in stats.items() if f >= 5))[:12]
    print("least reliable rows (fired >= 5): " + "; ".join(f"{k} {p:.0%} of {f}" for p, f, k in worst))


if __name__ == "__main__":
    main()
