"""Pairwise precision and recall of event clustering on the hand-judged pair set (pairs.jsonl).

    python eval/clusters/score_pairs.py [--pairs eval/clusters/pairs.jsonl] [--db /tmp/pairs.duckdb] [--errors]

1. Reads the articles that the pairs point to from ../shared/corpora (the project keeps only references),
   writes them to a JSONL file in a temporary folder and ingests it with the real coder
   (``flashpoint.ingest.run.ingest`` with ``default_coder()``), which codes the events and clusters them.
   ``--db PATH`` keeps the store so that a second run skips the coding (``--recluster`` then rebuilds the
   clusters only, e.g. after a change to the clustering).
2. For each pair it finds, on each side, the events whose trigger lies inside the judged sentence (the span is
   located in the stored text: the offsets are checked, and the sentence is searched for if the reader
   changed the text, e.g. newlines).
3. Prediction: the pair is "same" when ANY event of side a shares a cluster with ANY event of side b. This
   matches how the pairs were judged: same when the two sentences report at least one common happening.
4. Prints precision, recall and F1 of "same" on the pairs where both sides have at least one event, the
   number of pairs where a side has no event (the coder found none in that sentence: the clustering cannot
   be judged there), and the same figures counting those pairs as predicted "different". The pairwise test
   alone (``same_happening`` on any two events, without the clustering's window and chaining rules) is shown
   as a second line, to tell the relation from the clustering.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
SHARED = ROOT.parent / "shared" / "corpora"
CORPORA = {
    "ukraine-media-2022": SHARED / "ukraine-media-2022" / "articles.jsonl.gz",
    "whitehouse-2021-22": SHARED / "whitehouse-2021-22" / "articles.jsonl",
}


def load_pairs(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_articles(pairs: list[dict]) -> dict[str, dict]:
    want: dict[str, set[str]] = defaultdict(set)
    for p in pairs:
        for side in ("a", "b"):
            want[p[side]["corpus"]].add(p[side]["article_id"])
    out: dict[str, dict] = {}
    for corpus, ids in want.items():
        path = CORPORA.get(corpus)
        if path is None or not path.exists():
            sys.exit(f"corpus {corpus} not found at {path}; the pair set needs ../shared/corpora beside the checkout")
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                if rec["id"] in ids:
                    out[rec["id"]] = rec
    missing = {i for ids in want.values() for i in ids} - set(out)
    if missing:
        sys.exit(f"{len(missing)} article(s) of the pair set are not in the corpora, e.g. {sorted(missing)[:3]}")
    return out


def locate(stored: str, original: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of original[start:end] in the stored text (offsets move when the reader normalises newlines)."""
    sent = original[start:end]
    if stored[start:end] == sent:
        return start, end
    i = stored.find(sent)
    if i >= 0:
        return i, i + len(sent)
    # whitespace may differ: match word by word
    words = [re.escape(w) for w in sent.split()]
    m = re.search(r"\s+".join(words), stored)
    return (m.start(), m.end()) if m else None


def split_of(pair_id: str) -> str:
    """Half of the pair set: "dev" (used while tuning the clustering) or "test" (held out), by the pair id's hash."""
    return "dev" if int(hashlib.sha1(pair_id.encode()).hexdigest(), 16) % 2 == 0 else "test"


def prf(rows: list[tuple[bool, bool]]) -> tuple[float, float, float, Counter]:
    c = Counter((gold, pred) for gold, pred in rows)
    tp, fp, fn = c[(True, True)], c[(False, True)], c[(True, False)]
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f, c


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pairs", default=str(Path(__file__).with_name("pairs.jsonl")))
    ap.add_argument("--db", default=None, help="keep the coded store here (reused when it exists)")
    ap.add_argument("--recluster", action="store_true", help="rebuild the clusters of an existing --db before scoring")
    ap.add_argument("--errors", action="store_true", help="list the pair ids judged wrongly (with the judge's note)")
    ap.add_argument("--errors-in", choices=["dev", "test", "all"], default="dev", help="which half --errors lists (default dev)")
    ap.add_argument("--show", action="store_true", help="with --errors, also print the two sentences (terminal only)")
    args = ap.parse_args()

    from flashpoint.analytics.clusters import CLUSTER_SENTENCE_SQL, rebuild_clusters, same_happening, why_apart
    from flashpoint.store.db import open_store

    pairs = load_pairs(Path(args.pairs))
    articles = load_articles(pairs)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "pairs.duckdb"
        fresh = not db.exists()
        store = open_store(db)
        if fresh:
            from flashpoint.ingest.run import ingest
            from flashpoint.nlp.pipeline import default_coder

            src = Path(tmp) / "pair_articles.jsonl"
            with open(src, "w", encoding="utf-8") as fh:
                for rec in sorted(articles.values(), key=lambda r: (r["date"], r["id"])):
                    fh.write(json.dumps({k: rec.get(k) for k in ("id", "date", "outlet", "title", "text", "url")}, ensure_ascii=False) + "\n")
            t0 = time.perf_counter()
            summary = ingest([str(src)], store, coder=default_coder())
            print(f"ingested {summary.new} articles, {summary.events} events, {summary.skipped} skipped in {time.perf_counter() - t0:.0f} s")
        elif args.recluster:
            t0 = time.perf_counter()
            rebuild_clusters(store)
            print(f"re-clustered in {time.perf_counter() - t0:.1f} s")
        stored_text = {r["article_id"]: r["text"] for r in store.query("SELECT article_id, text FROM articles")}
        events: dict[str, list[dict]] = defaultdict(list)
        for r in store.query(CLUSTER_SENTENCE_SQL.replace("SELECT ", "SELECT e.trigger_start, e.trigger_end, ", 1)):
            events[r["article_id"]].append(r)

        def side_events(side: dict) -> list[dict] | None:
            aid = side["article_id"]
            if aid not in stored_text:
                return None
            span = locate(stored_text[aid], articles[aid]["text"], side["start"], side["end"])
            if span is None:
                return None
            return [e for e in events[aid] if e["trigger_start"] is not None and span[0] <= e["trigger_start"] and e["trigger_end"] <= span[1]]

        judged, judged_pairwise, with_missing = [], [], []
        missing = Counter()
        miss_reasons: Counter = Counter()
        errors = []
        for p in pairs:
            ea, eb = side_events(p["a"]), side_events(p["b"])
            if ea is None or eb is None:
                missing["span not found in the stored text"] += 1
                with_missing.append((p["pair_id"], p["same"], False))
                continue
            if not ea or not eb:
                missing["no event in " + ("both sentences" if not ea and not eb else "one sentence")] += 1
                with_missing.append((p["pair_id"], p["same"], False))
                continue
            pred = bool({e["cluster_id"] for e in ea} & {e["cluster_id"] for e in eb})
            pairwise = any(same_happening(x, y) > 0 for x in ea for y in eb)
            judged.append((p["pair_id"], p["same"], pred))
            judged_pairwise.append((p["pair_id"], p["same"], pairwise))
            with_missing.append((p["pair_id"], p["same"], pred))
            if p["same"] and not pred:
                reasons = [why_apart(x, y) for x in ea for y in eb]
                # the reason of the event pair that came closest, in the order of the pairwise test
                order = ["", "wording", "one is negated", "dates", "types", "actors"]
                closest = min(reasons, key=lambda t: next(i for i, o in enumerate(order) if t.startswith(o)))
                label = {"": "pairwise test passes, the cluster rules kept them apart", "wording": "wording too different",
                         "one is negated": "negation or places differ", "dates": "dates too far apart",
                         "types": "types not compatible", "actors": "actors differ or none shared"}
                miss_reasons[next(v for k, v in label.items() if k and closest.startswith(k)) if closest else label[""]] += 1
            if pred != p["same"] and (args.errors_in == "all" or split_of(p["pair_id"]) == args.errors_in):
                errors.append((p, pred, ea, eb))
        store.close()

    gold = Counter(p["same"] for p in pairs)
    print(f"pairs: {len(pairs)} ({gold[True]} same, {gold[False]} different); judged with events on both sides: {len(judged)}")
    print("pairs where a side has no event: " + (", ".join(f"{n} {k}" for k, n in missing.items()) or "none") + f" (total {sum(missing.values())})")
    for name, rows in (("clusters (both sides coded)", judged), ("pairwise test only", judged_pairwise), ("clusters, uncoded = different", with_missing)):
        p, r, f, c = prf([(g, pr) for _, g, pr in rows])
        print(f"{name:32s} precision {p:.3f}  recall {r:.3f}  F1 {f:.3f}   (tp {c[(True, True)]}, fp {c[(False, True)]}, fn {c[(True, False)]}, tn {c[(False, False)]})")
    print("missed same pairs, by the closest event pair's reason: " + ", ".join(f"{n} {k}" for k, n in miss_reasons.most_common()))
    print("by half of the pair set (dev: used to tune the clustering; test: held out):")
    for half in ("dev", "test"):
        p, r, f, c = prf([(g, pr) for pid, g, pr in judged if split_of(pid) == half])
        print(f"  {half:4s} clusters (both sides coded)  precision {p:.3f}  recall {r:.3f}  F1 {f:.3f}   (n {sum(c.values())})")
    if args.errors:
        for p, pred, ea, eb in errors:
            kind = "false same" if pred else "missed same"
            print(f"{kind:11s} {p['pair_id']}  {p['note']}")
            print("            a: " + "; ".join(f"{e['event_type']} {e['source_code']}->{e['target_code']} {e['event_date']} {e['cluster_id']}" for e in ea))
            print("            b: " + "; ".join(f"{e['event_type']} {e['source_code']}->{e['target_code']} {e['event_date']} {e['cluster_id']}" for e in eb))
            if args.show:
                for side in ("a", "b"):
                    s = p[side]
                    print(f"            {side}> " + articles[s["article_id"]]["text"][s["start"] : s["end"]])


if __name__ == "__main__":
    main()
