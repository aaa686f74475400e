"""Where the headline figure is lost: for each gold sentence, classify the coder's most confident event.

    python training/error_breakdown.py [GOLD ...] [--split dev] [--show CLASS]

Classes: silent (no prediction), type (wrong type), source-missing / source-unresolved / source-wrong,
target-missing / target-unresolved / target-wrong (the first failing side is reported), ok.
Dev split only: looking at test errors would make test data into training data.
"""
import argparse
import sys
from collections import Counter

import flashpoint.evaluate as ev
from flashpoint.nlp.pipeline import default_coder

ap = argparse.ArgumentParser()
ap.add_argument("gold", nargs="*", default=["../shared/gold/ukraine_dev.jsonl"])
ap.add_argument("--split", default="dev")
ap.add_argument("--show", default=None, help="print the sentences of this class")
args = ap.parse_args()
if args.split == "test":
    sys.exit("inspecting the test split would turn it into training data; use dev")

captured = {}
real_score = ev.score


def _capture(gold, predictions):
    captured["gold"], captured["pred"] = gold, predictions
    return real_score(gold, predictions)


ev.score = _capture
coder = default_coder()


def side(gold_actor, pred_actor, name):
    if gold_actor is None or gold_actor.wildcard:
        return None
    if not pred_actor:
        return f"{name}-missing"
    codes = ev._pred_codes(pred_actor)
    if not codes:
        return f"{name}-unresolved"
    if not (gold_actor.codes & codes):
        return f"{name}-wrong"
    return None


total = Counter()
for path in args.gold:
    ev.evaluate(path, coder=coder, split=args.split)
    counts = Counter()
    for s in captured["gold"]:
        if not s.required:
            continue
        preds = captured["pred"].get(s.id) or []
        if not preds:
            cls, detail = "silent", ""
        else:
            top = max(preds, key=ev._conf)
            g, ok, _ = ev._top_alignment(s, top)
            if g is None:
                cls = "type"
                detail = f"{ev._ptype(top)} '{top['trigger']['text']}' vs {[sorted(x.types) for x in s.required]}"
            elif ok:
                cls, detail = "ok", ""
            else:
                src, tgt = top.get("source"), top.get("target")
                cls = side(g.source, src, "source") or side(g.target, tgt, "target") or "reciprocal"
                detail = (f"{ev._ptype(top)} '{top['trigger']['text']}' gold {sorted(g.source.codes) if g.source else None}->"
                          f"{sorted(g.target.codes) if g.target else None} {[*(g.target.texts if g.target else [])]} | pred "
                          f"{(src or {}).get('code')} '{(src or {}).get('text')}' -> {(tgt or {}).get('code')} '{(tgt or {}).get('text')}'")
        counts[cls] += 1
        if args.show and cls.startswith(args.show):
            print(f"{s.id} [{cls}] {s.text[:160]}\n    {detail}")
    n = sum(counts.values())
    print(f"{path} ({args.split}, {n} sentences with events):")
    for k, v in counts.most_common():
        print(f"  {k:20s} {v:4d}  {v / n:6.1%}")
    total.update(counts)
