"""Clustering time as the store grows: 1k, 10k, 100k synthetic events.

    python bench/cluster_scaling.py [--sizes 1000,10000,100000] [--per-day 150] [--batch 50] [--order feed]

For each size it builds a fresh store the way ingest does (articles written ``--batch`` at a time, each batch
followed by ``update_clusters``) and times only the clustering; then it times ``rebuild_clusters`` on the
full store. It prints seconds per 1,000 events at each size and the ratio to the smallest size: flat
figures mean linear time.

The data are synthetic and seeded, built with ``flashpoint.testing.make_event`` (``testing.synthetic_coded``
draws every text from five words, so all reports of an actor pair look alike and clustering degenerates;
here each happening has its own wording). Each happening (a day, an actor pair drawn from a skewed distribution,
a PLOVER type, a place and a few details) is reported 1-8 times (geometric) by articles of several sentences:
word-for-word copies (syndication), paraphrases, reports citing an outlet; some date the happening in the
text, others only carry their publication date, a day or two later. The store grows over time at
``--per-day`` events a day (as a real store does), so 100k events span about two years. ``--order feed``
ingests in publication order with 5% of articles arriving up to ten days late; ``--order random`` shuffles
everything (a worst case for incremental work: every batch touches old days). ``--per-day`` with a fixed
span (``--days 90``) instead measures growing density, where the work per report grows with the number of
reports of the same actor pair in the window (that is inherent to comparing reports within a window).
Because the true happening of every report is known, pairwise precision and recall are printed as a sanity check.

What grows with the store: the clustering work per report is bounded by the reports near it in time, but
some DuckDB queries per batch scan a whole column (a few ms per 100k rows), chiefly the sentence lookup, since
the schema has no index on sentences(article_id); ``--index-sentences`` shows the effect of adding one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from flashpoint.analytics.clusters import rebuild_clusters, update_clusters  # noqa: E402
from flashpoint.models import Article  # noqa: E402
from flashpoint.nlp.pipeline import CodedArticle, Sentence  # noqa: E402
from flashpoint.store.db import EVENT_COLUMNS, EventStore, _event_row, content_hash  # noqa: E402
from flashpoint.testing import make_event  # noqa: E402

ACTORS = ["RUS", "UKR", "USA", "NATO", "BLR", "EUR", "GBR", "DEU", "FRA", "CHN", "TUR", "POL"]
ACTOR_WEIGHTS = [30, 28, 15, 8, 5, 5, 3, 3, 2, 2, 1, 1]
TYPES = {  # type: (weight, verbs)
    "ASSAULT": (20, ["shelled", "struck", "bombed", "attacked"]), "ACCUSE": (15, ["accused", "blamed"]),
    "CONSULT": (10, ["met", "called"]), "THREATEN": (8, ["threatened", "warned"]), "AID": (7, ["sent", "delivered"]),
    "SANCTION": (7, ["sanctioned", "banned"]), "REQUEST": (6, ["asked", "urged"]), "MOBILIZE": (6, ["massed", "deployed"]),
    "AGREE": (5, ["agreed", "signed"]), "SUPPORT": (5, ["backed", "praised"]), "REJECT": (4, ["rejected", "refused"]),
    "COERCE": (3, ["seized", "blockaded"]), "COOPERATE": (2, ["cooperated"]), "RETREAT": (1, ["withdrew"]),
    "PROTEST": (1, ["protested"]), "CONCEDE": (1, ["conceded"]),
}
OUTLETS = ["Wire A", "Wire B", "Gazette", "Herald", "Daily", "Tribune", "Post", "Times", "Courier", "Ledger", "Observer", "Monitor"]
CITED = ["Sputnik", "TASS", "Interfax", "Ukrinform", "Reuters"]
SYL = ["ka", "ro", "vi", "len", "dor", "sta", "mir", "pol", "zan", "tur", "bek", "lov", "gra", "nis", "hov", "rek"]


def _words(rng: random.Random, n: int) -> list[str]:
    return sorted({"".join(rng.choice(SYL) for _ in range(rng.choice([2, 3]))) for _ in range(n)})


def synthetic_articles(n_events: int, seed: int = 7, per_day: int = 150, days: int | None = None) -> tuple[list[CodedArticle], dict[str, int]]:
    """Coded articles holding about ``n_events`` events, and event_id -> true happening number."""
    rng = random.Random(seed)
    vocab = _words(rng, 3000)
    places = [w.capitalize() for w in _words(rng, 400)]
    nouns = _words(rng, 200)
    span = days or max(3, n_events // per_day)
    start = dt.date(2022, 1, 1)
    type_names = list(TYPES)
    type_weights = [TYPES[t][0] for t in type_names]
    out: list[CodedArticle] = []
    truth: dict[str, int] = {}
    n = h = 0
    while n < n_events:
        h += 1
        day = start + dt.timedelta(days=rng.randrange(span))
        s, t = rng.choices(ACTORS, ACTOR_WEIGHTS, k=2)
        if s == t:
            continue
        etype = rng.choices(type_names, type_weights)[0]
        verb = rng.choice(TYPES[etype][1])
        place, noun = rng.choice(places), rng.choice(nouns)
        details = rng.sample(vocab, 8)
        base = f"{s} forces {verb} the {noun} at {place} " + " ".join(details[:5]) + "."
        first_text = None
        for k in range(min(1 + int(rng.expovariate(0.7)), 8)):
            pub = day + dt.timedelta(days=rng.choice([0, 0, 0, 1, 1, 2]))
            style = rng.choices(["copy", "para", "cite"], [2, 6, 2])[0] if k else "para"
            explicit = rng.random() < 0.4
            if style == "copy" and first_text is not None:
                text = first_text
            else:
                para = details[:]
                rng.shuffle(para)
                lead = f"At {place} the {noun} was {verb} by {s} troops, " + " ".join(para[: rng.randint(4, 7)]) + "."
                filler = [" ".join(rng.sample(vocab, 12)).capitalize() + "." for _ in range(rng.randint(2, 5))]
                text = " ".join([lead if style != "copy" else base, *filler])
            if first_text is None:
                first_text = text
            aid = f"syn{seed}-{h}-{k}"
            art = Article(id=aid, text=text, date=pub, outlet=rng.choice(OUTLETS), origin=f"bench:{aid}")
            sents, pos = [], 0
            for i, part in enumerate(text.split(". ")):
                piece = part if part.endswith(".") else part + "."
                sents.append(Sentence(i, pos, pos + len(piece), piece))
                pos += len(piece) + 1
            ev = make_event(art, event_type=etype, source=s, target=t, trigger=verb, day=day if explicit else pub,
                            outlets=(rng.choice(CITED),) if style == "cite" else (), confidence=round(rng.uniform(0.4, 0.95), 2))
            ev.event_id = f"ev-{aid}"
            if explicit:
                ev.date_text = "on " + day.strftime("%A")
            out.append(CodedArticle(art, sents, [ev]))
            truth[ev.event_id] = h
            n += 1
    return out, truth


def arrival_order(coded: list[CodedArticle], order: str, seed: int) -> list[CodedArticle]:
    rng = random.Random(seed)
    if order == "random":
        coded = coded[:]
        rng.shuffle(coded)
        return coded
    late = {c.article.id: (rng.randint(1, 10) if rng.random() < 0.05 else 0) for c in coded}
    return sorted(coded, key=lambda c: (c.article.date + dt.timedelta(days=late[c.article.id]), c.article.id))


def bulk_write(store: EventStore, coded: list[CodedArticle]) -> None:
    """The rows ``EventStore.write_batch`` writes, inserted as DataFrames (write_batch's executemany costs about
    1 ms a row, which would dominate a 100k-event benchmark; clustering is what is measured here)."""
    import pandas as pd

    now = dt.datetime(2022, 1, 1)
    arts = pd.DataFrame([(c.article.id, c.article.title, c.article.outlet, c.article.url, c.article.published_at, c.article.date,
                          c.article.text, c.article.origin, content_hash(c.article), "bench", now, "{}") for c in coded])
    sents = pd.DataFrame([(c.article.id, s.index, s.start, s.end, s.text) for c in coded for s in c.sentences])
    evs = pd.DataFrame([_event_row(e, c.article, now) for c in coded for e in c.events], columns=list(EVENT_COLUMNS))
    with store._lock:
        for name, df in (("articles", arts), ("sentences", sents)):
            store.con.register("_bench_rows", df)
            store.con.execute(f"INSERT INTO {name} SELECT * FROM _bench_rows")
            store.con.unregister("_bench_rows")
        store.con.register("_bench_rows", evs)
        store.con.execute(f"INSERT INTO events ({','.join(EVENT_COLUMNS)}) SELECT * FROM _bench_rows")
        store.con.unregister("_bench_rows")


def pairwise(store: EventStore, truth: dict[str, int]) -> tuple[float, float]:
    rows = store.query("SELECT event_id, cluster_id FROM events")
    pred = Counter(r["cluster_id"] for r in rows)
    gold = Counter(truth[r["event_id"]] for r in rows)
    both = Counter((r["cluster_id"], truth[r["event_id"]]) for r in rows)
    pairs = lambda c: sum(v * (v - 1) // 2 for v in c.values())  # noqa: E731
    tp = pairs(both)
    return tp / max(pairs(pred), 1), tp / max(pairs(gold), 1)


def run(size: int, args) -> dict:
    coded, truth = synthetic_articles(size, seed=args.seed, per_day=args.per_day, days=args.days)
    coded = arrival_order(coded, args.order, args.seed)
    store = EventStore(":memory:")
    if args.index_sentences:
        store.con.execute("CREATE INDEX IF NOT EXISTS sentences_article ON sentences (article_id)")
    t_cluster = t_write = 0.0
    per_batch: list[tuple[int, float]] = []
    for i in range(0, len(coded), args.batch):
        batch = coded[i : i + args.batch]
        t0 = time.perf_counter()
        bulk_write(store, batch)
        t1 = time.perf_counter()
        update_clusters(store, [c.article.id for c in batch])
        took = time.perf_counter() - t1
        t_cluster += took
        t_write += t1 - t0
        per_batch.append((sum(len(c.events) for c in batch), took))
    # the cost of the LAST 1,000 events: adding events to a store that already holds the others
    n_last = t_last = 0
    for n, took in reversed(per_batch):
        if n_last >= 1000:
            break
        n_last += n
        t_last += took
    t0 = time.perf_counter()
    update_clusters(store, None)  # the catch-up pass at the end of an ingest
    t_catchup = time.perf_counter() - t0
    part = {r["event_id"]: r["cluster_id"] for r in store.query("SELECT event_id, cluster_id FROM events")}
    p, r = pairwise(store, truth)
    t0 = time.perf_counter()
    rebuild_clusters(store)
    t_rebuild = time.perf_counter() - t0
    same = part == {r["event_id"]: r["cluster_id"] for r in store.query("SELECT event_id, cluster_id FROM events")}
    n_events = len(truth)
    n_clusters = store.query("SELECT count(*) AS n FROM clusters")[0]["n"]
    store.close()
    return dict(size=n_events, articles=len(coded), clusters=n_clusters, incremental=t_cluster, catchup=t_catchup,
                last_1k=t_last / max(n_last, 1) * 1000,
                rebuild=t_rebuild, write=t_write, precision=p, recall=r, same=same)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--per-day", type=int, default=150, help="events per day (the store grows over time)")
    ap.add_argument("--days", type=int, default=None, help="fixed span in days instead (density grows with size)")
    ap.add_argument("--batch", type=int, default=50, help="articles per ingest batch (ingest's default is 50)")
    ap.add_argument("--order", choices=["feed", "random"], default="feed")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--index-sentences", action="store_true",
                    help="add an index on sentences(article_id) first (not in the schema yet: shows what it would save)")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"order={args.order} batch={args.batch} " + (f"span={args.days} days" if args.days else f"{args.per_day} events/day")
          + (" sentences indexed" if args.index_sentences else ""))
    print("incr: all batches of update_clusters plus the final catch-up; last1k: seconds for the last 1,000 events added;")
    print("rebuild: rebuild_clusters on the full store; s/1k: seconds per 1,000 events; ratio: to the first size;")
    print("P, R: pairwise precision and recall against the known happenings; same: rebuild == incremental partition")
    print(f"{'events':>8} {'articles':>8} {'clusters':>8} {'incr s':>8} {'s/1k':>6} {'ratio':>6} {'last1k':>6} {'ratio':>6} {'rebuild s':>9} {'s/1k':>6} {'ratio':>6} {'P':>5} {'R':>5}  same")
    base = None
    for size in sizes:
        m = run(size, args)
        inc = (m["incremental"] + m["catchup"]) / m["size"] * 1000
        reb = m["rebuild"] / m["size"] * 1000
        base = base or (inc, m["last_1k"], reb)
        print(f"{m['size']:>8} {m['articles']:>8} {m['clusters']:>8} {m['incremental'] + m['catchup']:>8.1f} {inc:>6.3f} {inc / base[0]:>6.2f} "
              f"{m['last_1k']:>6.3f} {m['last_1k'] / base[1]:>6.2f} "
              f"{m['rebuild']:>9.1f} {reb:>6.3f} {reb / base[2]:>6.2f} {m['precision']:>5.3f} {m['recall']:>5.3f}  {'yes' if m['same'] else 'NO'}", flush=True)


if __name__ == "__main__":
    main()
