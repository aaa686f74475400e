"""Store queries on a large synthetic store: dyad series, filtered event listing, top dyads.

    python bench/store_queries.py [--events 10000000] [--reps 7] [--keep DIR]

Builds a store with the real schema (``EventStore``: primary keys and indexes included) and fills it with
DuckDB SQL, not Python objects: ``--events`` events over ten years (2015-2024) in articles of 1-4 events,
about 1.6 reports per cluster. Distributions are skewed as in real event data: 200 actor codes with Zipf-like
weights (RUS, UKR, USA, CHN ... most frequent; the busiest dyad holds a few percent of all events), 16 PLOVER
types with realistic shares, event volume growing over the years with bursts, 500 outlets, 85% asserted.

Then times each query as the library runs it (``dyad_series``, ``dyad_events``, ``EventStore.events``,
``EventStore.top_dyads``): one cold run, then the median of ``--reps`` warm runs, wall clock and CPU time of the
process (all DuckDB threads; contention from other processes inflates wall time, much less CPU time). Prints the
figures and the load average before and after; asserts nothing. The store is
built in a temporary folder and removed afterwards unless ``--keep DIR`` is given (then it is reused).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import peak_rss_mib  # noqa: E402

from flashpoint.analytics.tension import ActorSpec, dyad_events, dyad_series  # noqa: E402
from flashpoint.store.db import EventStore  # noqa: E402

# Actor codes, most frequent first; weights fall off as 1 / rank^1.1.
TOP_ACTORS = ["RUS", "UKR", "USA", "CHN", "ISR", "PSE", "IRN", "GBR", "FRA", "DEU", "TUR", "SYR", "IND", "PAK", "NATO",
              "EUR", "BLR", "POL", "JPN", "PRK", "KOR", "SAU", "EGY", "IRQ", "AFG", "UNO", "LBN", "YEM", "VEN", "BRA"]
TYPES = [("ASSAULT", "M-CONF", -8.0, 16), ("ACCUSE", "V-CONF", -3.0, 15), ("CONSULT", "V-COOP", 2.0, 14),
         ("THREATEN", "V-CONF", -5.0, 8), ("AID", "M-COOP", 6.0, 7), ("SANCTION", "M-CONF", -6.0, 6),
         ("REQUEST", "V-COOP", 1.0, 6), ("MOBILIZE", "M-CONF", -6.5, 5), ("AGREE", "V-COOP", 4.0, 5),
         ("SUPPORT", "V-COOP", 3.0, 5), ("REJECT", "V-CONF", -2.0, 4), ("COERCE", "M-CONF", -7.0, 3),
         ("COOPERATE", "M-COOP", 5.0, 2), ("RETREAT", "M-COOP", 5.0, 2), ("PROTEST", "V-CONF", -3.0, 1),
         ("CONCEDE", "V-COOP", 4.5, 1)]
MODALITIES = [("asserted", 85), ("alleged", 6), ("future", 4), ("hypothetical", 2), ("negated", 2), ("denied", 1)]


def _buckets(items: list[tuple[str, float]], n: int = 10_000) -> list[str]:
    """n equal-probability buckets: bucket k holds the item whose cumulative weight first passes (k + 0.5) / n."""
    total = sum(w for _, w in items)
    out, acc, j = [], 0.0, 0
    cdf = []
    for name, w in items:
        acc += w / total
        cdf.append((acc, name))
    for k in range(n):
        u = (k + 0.5) / n
        while cdf[j][0] < u and j < len(cdf) - 1:
            j += 1
        out.append(cdf[j][1])
    return out


def build(store: EventStore, n_events: int) -> None:
    con = store.con
    actors = TOP_ACTORS + [f"X{i:02d}" for i in range(200 - len(TOP_ACTORS))]
    # sampling tables: 10,000 equal-probability buckets each, joined on floor(random() * 10000)
    for name, items in (("actor_b", [(a, 1.0 / (i + 1) ** 1.1) for i, a in enumerate(actors)]),
                        ("type_b", [(t, w) for t, _, _, w in TYPES]), ("mod_b", MODALITIES)):
        con.execute(f"CREATE TEMP TABLE {name} AS SELECT generate_subscripts(?, 1) - 1 AS k, unnest(?) AS v",
                    [_buckets(items)] * 2)
    con.execute("CREATE TEMP TABLE types AS SELECT * FROM (VALUES " + ",".join(
        f"('{t}', '{q}', {x})" for t, q, x, _ in TYPES) + ") t(event_type, quad, intensity)")
    con.execute("SELECT setseed(0.42)")
    n_articles = int(n_events / 2.5)
    t0 = time.perf_counter()
    # articles: dates grow over the years (pow) with bursts (a few hot weeks get extra)
    con.execute(f"""
        INSERT INTO articles (article_id, title, outlet, url, published_at, pub_date, text, origin, content_hash, run_id,
                              ingested_at, meta)
        SELECT 'a' || i, 'Synthetic report ' || i, 'Outlet ' || (floor(500 * pow(random(), 2.2)))::INT, NULL, NULL,
               DATE '2015-01-01' + CASE WHEN random() < 0.08 THEN (3000 + floor(random() * 60))::INT
                                        ELSE floor(3652 * pow(random(), 0.7))::INT END,
               'synthetic', 'bench', md5(i::VARCHAR), 'bench', now()::TIMESTAMP, '{{}}'
        FROM range({n_articles}) r(i)
    """)
    t1 = time.perf_counter()
    print(f"  articles: {n_articles:,} in {t1 - t0:.1f} s", flush=True)
    chunk = 2_000_000
    for lo in range(0, n_events, chunk):
        hi = min(n_events, lo + chunk)
        con.execute(f"""
            INSERT INTO events
            WITH draws AS MATERIALIZED (
                SELECT i, floor(random() * 10000)::INT AS ka, floor(random() * 10000)::INT AS kb,
                       floor(random() * 10000)::INT AS kt, floor(random() * 10000)::INT AS km, random() AS rc, random() AS rd
                FROM range({lo}, {hi}) r(i)
            ), picked AS (
                SELECT d.i, sa.v AS src, sb.v AS tgt, st.v AS etype, sm.v AS modality, d.rc, d.rd
                FROM draws d JOIN actor_b sa ON sa.k = d.ka JOIN actor_b sb ON sb.k = d.kb
                JOIN type_b st ON st.k = d.kt JOIN mod_b sm ON sm.k = d.km
            )
            SELECT 'ev' || p.i, 'a' || (p.i * {n_articles} // {n_events}), 0, p.etype, NULL, t.quad, t.intensity,
                   p.modality, round(0.3 + 0.65 * p.rc, 2), 'trigger', 0, 7,
                   CASE WHEN p.rd < 0.9 THEN a.pub_date - (floor(p.rd * 3))::INT END, NULL, 'day',
                   p.src, p.src, 'GOV', p.src, [p.src], 'dictionary',
                   CASE WHEN p.tgt = p.src THEN 'UNO' ELSE p.tgt END, CASE WHEN p.tgt = p.src THEN 'UNO' ELSE p.tgt END,
                   'GOV', p.tgt, [CASE WHEN p.tgt = p.src THEN 'UNO' ELSE p.tgt END], 'dictionary',
                   false, NULL, NULL, '[]', NULL, NULL, [], a.outlet, NULL, NULL, 'bench', 'bench',
                   'cl' || (p.i * 10 // 16), now()::TIMESTAMP
            FROM picked p JOIN types t ON t.event_type = p.etype
            JOIN articles a ON a.article_id = 'a' || (p.i * {n_articles} // {n_events})
        """)
        print(f"  events: {hi:,} ({time.perf_counter() - t1:.1f} s)", flush=True)
    con.execute("""
        INSERT INTO clusters (cluster_id, canonical_event_id, event_type, source_code, target_code, event_date, first_seen,
                              first_outlet, n_reports, n_outlets, n_independent, independence, updated_at)
        SELECT cluster_id, min(event_id), any_value(event_type), any_value(source_code), any_value(target_code),
               min(event_date), NULL, any_value(outlet), count(*), count(DISTINCT outlet), count(DISTINCT outlet), '[]',
               now()::TIMESTAMP
        FROM events GROUP BY cluster_id
    """)
    con.execute("CHECKPOINT")
    print(f"  built in {time.perf_counter() - t0:.1f} s", flush=True)


def timed(fn, reps: int) -> tuple[float, float, float, object]:
    """(cold wall s, median warm wall s, median warm CPU s, last result)."""
    t = time.perf_counter()
    out = fn()
    cold = time.perf_counter() - t
    times, cpu = [], []
    for _ in range(reps):
        t, c = time.perf_counter(), time.process_time()
        out = fn()
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return cold, statistics.median(times), statistics.median(cpu), out


def _load() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=10_000_000)
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--keep", help="build the store in this folder and keep it (reused when it exists)")
    args = ap.parse_args()
    tmp = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="fp-store-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    path = tmp / f"events-{args.events}.duckdb"
    try:
        fresh = not path.exists()
        store = EventStore(path)
        if fresh:
            print(f"building a store of {args.events:,} synthetic events in {path} ...", flush=True)
            build(store, args.events)
        stats = store.stats()
        size = sum(p.stat().st_size for p in tmp.glob(path.name + "*")) / 2**30
        print(f"store: {stats['events']:,} events, {stats['articles']:,} articles, {stats['clusters']:,} clusters, "
              f"{size:.2f} GiB on disk")
        share = store.query("SELECT count(*) FILTER (WHERE least(source_code, target_code) = 'RUS' AND "
                            "greatest(source_code, target_code) = 'UKR') * 1.0 / count(*) AS s FROM events")[0]["s"]
        print(f"busiest dyad RUS-UKR: {share:.1%} of events\n")
        d0, d1 = dt.date(2022, 1, 1), dt.date(2022, 6, 30)
        queries = [
            ("dyad series RUS-UKR, daily, all years", lambda: dyad_series(store, "RUS", "UKR", freq="D")),
            ("dyad series RUS-UKR, weekly, 2022 H1", lambda: dyad_series(store, "RUS", "UKR", freq="W", since=d0, until=d1)),
            ("dyad series USA-CHN, daily, all years", lambda: dyad_series(store, "USA", "CHN", freq="D")),
            ("dyad series X50-X70 (rare), daily", lambda: dyad_series(store, "X50", "X70", freq="D")),
            ("dyad events RUS-UKR, all years (DyadSeries.events)", lambda: dyad_events(store, ActorSpec("RUS"), ActorSpec("UKR"))),
            ("events: dyad RUS-UKR + type ASSAULT + 2022 H1, 50 newest",
             lambda: store.events(dyad=("RUS", "UKR"), event_type="ASSAULT", since=d0, until=d1, limit=50)),
            ("events: actor USA, confidence >= 0.8, 50 newest", lambda: store.events(actor="USA", min_confidence=0.8, limit=50)),
            ("events: outlet 'Outlet 7' + 2022 H1, 50 newest", lambda: store.events(outlet="Outlet 7", since=d0, until=d1, limit=50)),
            ("top 10 dyads, all events", lambda: store.top_dyads(10)),
            ("top 10 dyads, 2022 H1", lambda: store.top_dyads(10, since=d0, until=d1)),
        ]
        print(f"load average (1/5/15 min) before: {_load()}")
        print(f"{'query':60s} {'cold':>8s} {'median':>8s} {'cpu':>8s}  rows")
        for name, fn in queries:
            cold, med, cpu, out = timed(fn, args.reps)
            frame = getattr(out, "frame", None)  # a DyadSeries: its events are counted, not read
            rows = len(frame) if frame is not None else len(out)
            extra = f" ({int(frame['events'].sum()) if len(frame) else 0:,} events)" if frame is not None else ""
            print(f"{name:60s} {cold * 1000:7.0f}ms {med * 1000:7.0f}ms {cpu * 1000:7.0f}ms  {rows}{extra}", flush=True)
        print(f"\nmedian of {args.reps} warm runs after one cold run (cpu: process CPU time, all threads); "
              f"peak RSS {peak_rss_mib():.0f} MiB; load average after: {_load()}")
        store.close()
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
