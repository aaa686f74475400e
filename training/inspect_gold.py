"""Print, per gold sentence, the coder's top event beside the gold events (dev split only by default).

    python training/inspect_gold.py [GOLD] [--split dev] [--only actors|type|modality|fa]
"""
import argparse
import json
import sys
from collections import defaultdict

from flashpoint.evaluate import _load_articles, default_corpora_dir, load_gold
from flashpoint.models import Article
from flashpoint.nlp.pipeline import default_coder

ap = argparse.ArgumentParser()
ap.add_argument("gold", nargs="?", default="../shared/gold/ukraine_dev.jsonl")
ap.add_argument("--split", default="dev")
ap.add_argument("--only", default=None)
args = ap.parse_args()
if args.split == "test":
    sys.exit("inspecting the test split would turn it into training data; use dev")
gold = load_gold(args.gold, split=args.split)
by_article = defaultdict(list)
for g in gold:
    by_article[(g.corpus, g.article_id)].append(g)
wanted = defaultdict(set)
for g in gold:
    if g.corpus:
        wanted[g.corpus].add(g.article_id)
arts = _load_articles(default_corpora_dir(), wanted)
coder = default_coder()
for aid, gs in by_article.items():
    g0 = gs[0]
    rec = arts.get(aid) if aid[0] else None
    text = rec["text"] if rec else g0.text
    art = Article(id=aid[1] or g0.id, text=text, date=g0.article_date, outlet=g0.outlet)
    _, events = next(coder.code_articles([art]))
    for g in gs:
        off = g.start if rec else 0
        evs = [e for e in events if off <= e.trigger_start < off + len(g.text)]
        req = [e for e in g.events if not e.optional]
        top = max(evs, key=lambda e: e.confidence, default=None)
        gt = {a for e in req for a in e.types}
        if args.only == "fa" and (req or not evs):
            continue
        if args.only == "type" and (not req or (top and top.event_type in gt)):
            continue
        if args.only == "actors" and (not req or not top or top.event_type not in gt):
            continue
        print(g.id, g.text[:220])
        for e in req:
            print("   GOLD", e.types, e.modalities, sorted(e.source.codes) if e.source else None, e.source.text if e.source else None, '->', sorted(e.target.codes) if e.target else None, e.target.text if e.target else None)
        for e in sorted(evs, key=lambda e: -e.confidence)[:3]:
            print("   PRED", e.event_type, e.modality, repr(e.trigger_text), e.source.code if e.source else None, e.source.text if e.source else None, "->", e.target.code if e.target else None, e.target.text if e.target else None, f"{e.confidence:.2f}")
