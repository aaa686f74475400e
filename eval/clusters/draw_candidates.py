"""Draw candidate sentence pairs for the cluster pair set (seeded); the judging is done by hand.

    python eval/clusters/draw_candidates.py --out /tmp/cluster_candidates.jsonl [--seed 4] [--n 400]

Reads ../shared/corpora/ukraine-media-2022/articles.jsonl.gz and ../shared/corpora/whitehouse-2021-22/articles.jsonl,
splits texts into sentences (a plain regex splitter: the spans are character offsets into the article text and do
not depend on the coder), keeps sentences that name at least two actors from a small keyword list and contain an
event word, and pairs sentences of DIFFERENT articles published at most 3 days apart that name the same two
actors and whose event words fall in the same coarse class. Pairs are drawn in three similarity strata (content
word Jaccard 0.25-0.8, 0.12-0.25, < 0.12 with the same publication day: hard negatives) so that both same and
different happenings appear. Only sentences that say when the happening was (a weekday, "today", "overnight" ...)
are kept, so that background mentions ("since Russia invaded in February") do not dominate; near-verbatim
copies (Jaccard > 0.8) are left out as trivially the same; at most one pair is drawn per two articles. The output holds the sentence texts for the judge to read; it is written OUTSIDE
the project (the project keeps only references, in pairs.jsonl).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import re
import datetime as dt
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "corpora"
CORPORA = {
    "ukraine-media-2022": SHARED / "ukraine-media-2022" / "articles.jsonl.gz",
    "whitehouse-2021-22": SHARED / "whitehouse-2021-22" / "articles.jsonl",
}
ACTORS = {
    "RUS": r"Russia|Russian|Russians|Moscow|Kremlin|Putin|Lavrov|Peskov|Shoigu",
    "UKR": r"Ukraine|Ukrainian|Ukrainians|Kyiv|Kiev|Zelensky|Zelenskyy|Kuleba",
    "USA": r"United States|U\.S\.|US|Washington|Biden|Blinken|Pentagon|Austin|Americans?|White House",
    "NATO": r"NATO|Stoltenberg",
    "EUR": r"European Union|EU|Brussels|von der Leyen",
    "BLR": r"Belarus|Belarusian|Lukashenko|Minsk",
    "CHN": r"China|Chinese|Beijing|Xi Jinping",
    "GBR": r"Britain|British|UK|Boris Johnson|London",
    "DEU": r"Germany|German|Scholz|Berlin",
    "FRA": r"France|French|Macron|Paris",
    "TUR": r"Turkey|Turkish|Erdogan|Ankara",
    "POL": r"Poland|Polish|Warsaw",
}
ACTOR_RE = {k: re.compile(r"\b(?:" + v + r")\b") for k, v in ACTORS.items()}
CLASSES = {
    "ASSAULT": r"attack|shell|strike|struck|missile|bomb|rocket|invad|invasion|kill|shot|fire[ds]?|drone|assault|captur|seiz",
    "CONSULT": r"\bcall(?:ed)?\b|spoke|\bmet\b|meeting|talks|summit|negotiat|phone|visit",
    "SANCTION": r"sanction|ban(?:s|ned)?\b|embargo|expel|freez|impos",
    "AID": r"\baid\b|weapons|deliver|supply|supplie|package|assistance|send|sent|donat",
    "THREATEN": r"warn|threat|ultimatum",
    "ACCUSE": r"accus|blame|condemn|denounc|allege",
    "AGREE": r"agree|deal|accord|ceasefire|pledge",
}
CLASS_RE = {k: re.compile(v, re.I) for k, v in CLASSES.items()}
# a report of a recent happening names when it happened; background sentences ("since the invasion began") do not
RECENT = re.compile(r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday|overnight|last night|this morning|tonight)\b")
SENT = re.compile(r"[^.!?\n]+(?:[.!?]+[\"”’)]*|$)")
WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")
STOP = set("the a an and or but of to in on at for with by from as is was were are be been has have had that this these those "
           "it its their his her they he she we said says say also would could will than which who".split())


def read(corpus: str):
    path = CORPORA[corpus]
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def sentences(text: str):
    for m in SENT.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if 50 <= e - s <= 400:
            yield s, e


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=4)
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument("--since", default="2021-11-01")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    items = []  # (corpus, id, outlet, day, start, end, actors, cls, words, text)
    for corpus in CORPORA:
        for rec in read(corpus):
            if rec["date"] < args.since:
                continue
            day = dt.date.fromisoformat(rec["date"][:10])
            text = rec["text"]
            for s, e in sentences(text):
                sent = text[s:e]
                actors = frozenset(k for k, r in ACTOR_RE.items() if r.search(sent))
                if len(actors) < 2:
                    continue
                if not RECENT.search(sent):
                    continue
                classes = [k for k, r in CLASS_RE.items() if r.search(sent)]
                if not classes:
                    continue
                words = frozenset(w.lower() for w in WORD.findall(sent) if w.lower() not in STOP and len(w) > 2)
                items.append((corpus, rec["id"], rec.get("outlet"), day, s, e, actors, classes[0], words, sent))
    by_key = defaultdict(list)
    for it in items:
        for pair in {tuple(sorted(p)) for p in ((a, b) for a in it[6] for b in it[6] if a < b)}:
            by_key[(pair, it[7])].append(it)
    strata = {"high": [], "mid": [], "low": []}
    for key in sorted(by_key):
        group = sorted(by_key[key], key=lambda it: (it[3], it[1], it[4]))
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if (b[3] - a[3]).days > 3:
                    break
                if a[1] == b[1]:
                    continue
                j = len(a[8] & b[8]) / max(len(a[8] | b[8]), 1)
                if j >= 0.25:
                    strata["high"].append((key, a, b, j))
                elif j >= 0.12:
                    strata["mid"].append((key, a, b, j))
                elif a[3] == b[3]:
                    strata["low"].append((key, a, b, j))
    print({k: len(v) for k, v in strata.items()})
    quota = {"high": args.n * 4 // 10, "mid": args.n * 3 // 10, "low": args.n * 3 // 10}
    seen = set()
    out = []
    for name, pool in strata.items():
        rng.shuffle(pool)
        taken = 0
        for key, a, b, j in pool:
            ref = tuple(sorted([(a[1], a[4]), (b[1], b[4])]))
            arts = tuple(sorted([a[1], b[1]]))
            if arts in seen or a[9] == b[9] or j > 0.8:  # one pair per two articles; no verbatim copies (trivially same)
                continue
            seen.add(arts)
            pid = "cp-" + hashlib.sha1(repr(ref).encode()).hexdigest()[:10]
            out.append({"pair_id": pid, "stratum": name, "actors": list(key[0]), "class": key[1], "jaccard": round(j, 3),
                        "a": {"corpus": a[0], "article_id": a[1], "outlet": a[2], "date": a[3].isoformat(), "start": a[4], "end": a[5], "text": a[9]},
                        "b": {"corpus": b[0], "article_id": b[1], "outlet": b[2], "date": b[3].isoformat(), "start": b[4], "end": b[5], "text": b[9]}})
            taken += 1
            if taken >= quota[name]:
                break
    with open(args.out, "w", encoding="utf-8") as fh:
        for o in out:
            fh.write(json.dumps(o, ensure_ascii=False) + "\n")
    print(f"wrote {len(out)} candidate pairs to {args.out}")


if __name__ == "__main__":
    main()
