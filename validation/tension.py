"""Validation on real news: does the tension index see the 2022 invasion coming, and does it follow GDELT?

Runs the whole pipeline (read -> code -> store -> cluster -> tension -> alerts) on two real corpora kept in
../shared/corpora (never copied into the project):

- ukraine-media-2022: articles dated 2021-11-01 .. 2022-04-30 (about 2,150);
- whitehouse-2021-22: 1,119 White House texts, 2021-11 .. 2022-03.

Then, for the dyads RUS-UKR, RUS-USA and RUS-NATO, prints the weekly tension series, every alert, the first
escalation alert before the invasion (2022-02-24) and the alerts in calmer months (Nov 2021 - Jan 2022 and
Apr 2022); and compares the daily RUS-UKR series with the GDELT DOC daily coverage of "russia ukraine"
(reference-events): Pearson/Spearman correlation with volume_share and with -avg_tone, and the
cross-correlation at lags -14..+14 days (positive lag = our index leads GDELT).

Usage:
    .venv/bin/python validation/tension.py                       # full run (re-runs skip coded articles)
    .venv/bin/python validation/tension.py --limit 200 --db /tmp/quick.duckdb   # quick check
Outputs go to validation/out/ (trend PNG per dyad, tension.json with the figures).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from flashpoint.analytics.alerts import alerts_for_dyad
from flashpoint.analytics.plots import write_trend
from flashpoint.analytics.tension import dyad_series
from flashpoint.ingest.run import ingest
from flashpoint.store.db import open_store

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[1] / "shared"
CORPORA = SHARED / "corpora"
UKRAINE_MEDIA = CORPORA / "ukraine-media-2022" / "articles.jsonl.gz"
WHITEHOUSE = CORPORA / "whitehouse-2021-22" / "articles.jsonl"
GDELT = CORPORA / "reference-events" / "gdelt_doc_russia_ukraine_daily.csv"

START, END = "2021-11-01", "2022-04-30"
INVASION = dt.date(2022, 2, 24)
DYADS = [("RUS", "UKR"), ("RUS", "USA"), ("RUS", "NATO")]
CALM = [("2021-11-01", "2022-01-31"), ("2022-04-01", "2022-04-30")]
MAX_LAG = 14


def _rows(path: Path):
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def collect_articles(limit: int | None) -> list[dict]:
    """The articles of the period from both corpora, sorted by date; ``limit`` keeps an even spread."""
    keep = ("id", "date", "outlet", "title", "text")
    rows = [{k: r.get(k) for k in keep} for r in _rows(UKRAINE_MEDIA) if START <= (r.get("date") or "") <= END]
    rows += [{k: r.get(k) for k in keep} for r in _rows(WHITEHOUSE) if START <= (r.get("date") or "") <= END]
    rows.sort(key=lambda r: (r["date"], r["id"]))
    if limit and limit < len(rows):
        step = len(rows) / limit
        rows = [rows[int(i * step)] for i in range(limit)]
    return rows


def run_ingest(store, rows: list[dict], workers: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "validation-articles.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        t0 = time.perf_counter()
        last = [t0]

        def progress(s):
            if time.perf_counter() - last[0] > 30:
                last[0] = time.perf_counter()
                print(f"  ... read {s.read}, new {s.new}, unchanged {s.unchanged}, events {s.events}, {time.perf_counter() - t0:.0f}s",
                      file=sys.stderr, flush=True)

        summary = ingest([str(path)], store, workers=workers, on_progress=progress, command="validation")
    return summary.as_dict()


def _top_triggers(store, event_ids: list[str], n: int = 5) -> list[str]:
    out = []
    for eid in event_ids[:n]:
        ev = store.event(eid) or {}
        out.append(f"{ev.get('event_type')} {ev.get('source_code') or '?'}>{ev.get('target_code') or '?'} "
                   f"'{ev.get('trigger_text')}' ({ev.get('modality')}, {ev.get('outlet')})")
    return out


def dyad_report(store, a: str, b: str, out_dir: Path) -> dict:
    weekly = dyad_series(store, a, b, freq="W", since=START, until=END)
    alerts = alerts_for_dyad(store, a, b, since=START, until=END)
    print(f"\n=== {a}-{b} ===")
    if weekly.frame.empty:
        print("no events")
    else:
        print(weekly.frame.round(2).to_string())
    alert_recs = []
    for al in alerts:
        trig = _top_triggers(store, al.event_ids)
        alert_recs.append({"start": al.start_date.isoformat(), "end": al.end_date.isoformat(), "kind": al.kind,
                           "z": al.strength, "method": al.method, "baseline": al.baseline, "level": al.level, "top_events": trig})
        print(f"  ALERT {al.start_date}..{al.end_date} {al.kind:13s} z={al.strength:+.2f} {al.method}")
        for t in trig:
            print(f"      {t}")
    if not alerts:
        print("  no alerts")
    pre = [al for al in alerts if al.kind == "escalation" and al.start_date < INVASION]
    first = None
    if pre:
        al = min(pre, key=lambda x: x.start_date)
        first = {"start": al.start_date.isoformat(), "method": al.method, "z": al.strength,
                 "days_before_invasion": (INVASION - al.start_date).days}
        print(f"  first escalation before {INVASION}: {first['start']} ({first['days_before_invasion']} days before, {al.method})")
    else:
        print(f"  no escalation alert before {INVASION}")
    calm = {}
    for lo, hi in CALM:
        lo_d, hi_d = dt.date.fromisoformat(lo), dt.date.fromisoformat(hi)
        calm[f"{lo}..{hi}"] = sum(1 for al in alerts if lo_d <= al.start_date <= hi_d)
    print(f"  alerts starting in calmer months: {calm}")
    png = out_dir / f"trend_{a}-{b}.png"
    write_trend(store, a, b, png, since=START, until=END)
    return {"events": int(weekly.frame["events"].sum()) if not weekly.frame.empty else 0,
            "weekly": weekly.to_records(), "alerts": alert_recs, "first_escalation_before_invasion": first,
            "calm_month_alerts": calm, "png": str(png)}


def _corr(x: pd.Series, y: pd.Series) -> dict:
    from scipy import stats

    ok = x.notna() & y.notna()
    x, y = x[ok], y[ok]
    if len(x) < 3 or x.std() == 0 or y.std() == 0:
        return {"n": int(len(x)), "pearson": None, "pearson_p": None, "spearman": None, "spearman_p": None}
    p = stats.pearsonr(x, y)
    s = stats.spearmanr(x, y)
    return {"n": int(len(x)), "pearson": round(float(p[0]), 3), "pearson_p": float(f"{p[1]:.3g}"),
            "spearman": round(float(s[0]), 3), "spearman_p": float(f"{s[1]:.3g}")}


def _lags(x: pd.Series, y: pd.Series) -> dict:
    """Pearson r of x(t) with y(t + lag); a best positive lag means x moves first (our index leads)."""
    out = {}
    for lag in range(-MAX_LAG, MAX_LAG + 1):
        r = x.corr(y.shift(-lag))
        out[lag] = None if pd.isna(r) else round(float(r), 3)
    valid = {k: v for k, v in out.items() if v is not None}
    best = max(valid, key=lambda k: valid[k]) if valid else None
    return {"best_lag": best, "best_r": valid.get(best) if best is not None else None, "r_at_0": out.get(0), "by_lag": out}


def reference_comparison(store) -> dict:
    ref = pd.read_csv(GDELT, parse_dates=["date"]).set_index("date")
    daily = dyad_series(store, "RUS", "UKR", freq="D", since=START, until=END).frame
    per_day = pd.DataFrame(store.query(
        "SELECT pub_date AS day, count(*) AS n FROM articles WHERE pub_date BETWEEN ? AND ? GROUP BY 1", [START, END]))
    n_articles = pd.Series(per_day["n"].to_numpy(), index=pd.to_datetime(per_day["day"])) if not per_day.empty else pd.Series(dtype=float)
    idx = pd.date_range(START, END, freq="D")
    df = pd.DataFrame(index=idx)
    df["tension"] = daily["tension"].reindex(idx, fill_value=0.0) if not daily.empty else 0.0
    df["events"] = daily["events"].reindex(idx, fill_value=0) if not daily.empty else 0
    df["articles"] = n_articles.reindex(idx, fill_value=0)
    df["tension_per_article"] = np.where(df["articles"] > 0, df["tension"] / df["articles"].where(df["articles"] > 0, 1), np.nan)
    df["volume_share"] = ref["volume_share"].reindex(idx)
    df["neg_tone"] = -ref["avg_tone"].reindex(idx)
    df = df[df["volume_share"].notna()]
    res = {"period": [df.index.min().date().isoformat(), df.index.max().date().isoformat()], "days": len(df)}
    for ours in ("tension", "events", "articles", "tension_per_article"):
        for theirs in ("volume_share", "neg_tone"):
            res[f"{ours}~{theirs}"] = _corr(df[ours], df[theirs])
    for ours in ("tension", "events"):
        res[f"lag {ours}~volume_share"] = _lags(df[ours], df["volume_share"])
        res[f"lag {ours}~neg_tone"] = _lags(df[ours], df["neg_tone"])
    # same comparisons on 7-day rolling sums (smooths the day-to-day noise of a few hundred articles)
    roll = df[["tension", "events"]].rolling(7).sum().join(df[["volume_share", "neg_tone"]].rolling(7).mean())
    res["7d tension~volume_share"] = _corr(roll["tension"], roll["volume_share"])
    res["7d tension~neg_tone"] = _corr(roll["tension"], roll["neg_tone"])
    res["lag 7d tension~volume_share"] = _lags(roll["tension"], roll["volume_share"])
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", default=str(HERE / "out" / "tension.duckdb"), help="store file (default validation/out/tension.duckdb)")
    ap.add_argument("--out", default=str(HERE / "out"), help="folder for the PNGs and tension.json")
    ap.add_argument("--limit", type=int, default=None, help="ingest only N articles (an even spread), for a quick run")
    ap.add_argument("--workers", type=int, default=1, help="parser processes (default 1)")
    ap.add_argument("--skip-ingest", action="store_true", help="analyse the store as it is")
    args = ap.parse_args(argv)
    for p in (UKRAINE_MEDIA, WHITEHOUSE, GDELT):
        if not p.exists():
            print(f"missing {p}: this validation reads the shared corpora beside the checkout (../shared/corpora)", file=sys.stderr)
            return 2
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    Path(args.db).parent.mkdir(parents=True, exist_ok=True)
    store = open_store(args.db)
    result: dict = {"run": dt.datetime.now().isoformat(timespec="seconds"), "command": " ".join(sys.argv), "db": args.db}
    if not args.skip_ingest:
        rows = collect_articles(args.limit)
        print(f"ingesting {len(rows)} articles ({START}..{END}) into {args.db} with {args.workers} worker(s)", file=sys.stderr)
        result["ingest"] = run_ingest(store, rows, args.workers)
        print(json.dumps(result["ingest"]), file=sys.stderr)
    result["store"] = store.stats()
    result["dyads"] = {f"{a}-{b}": dyad_report(store, a, b, out_dir) for a, b in DYADS}
    ref = reference_comparison(store)
    result["reference"] = ref
    print("\n=== RUS-UKR vs GDELT DOC 'russia ukraine' (daily) ===")
    print(f"period {ref['period'][0]}..{ref['period'][1]}, {ref['days']} days")
    for k, v in ref.items():
        if "~" in k and not k.startswith("lag"):
            print(f"  {k:38s} n={v['n']:3d} pearson={v['pearson']} (p={v['pearson_p']}) spearman={v['spearman']} (p={v['spearman_p']})")
    for k, v in ref.items():
        if k.startswith("lag"):
            print(f"  {k:38s} best lag {v['best_lag']:+d} days r={v['best_r']} (r at 0: {v['r_at_0']})" if v["best_lag"] is not None
                  else f"  {k}: no variance")
    (out_dir / "tension.json").write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
    print(f"\nwrote {out_dir / 'tension.json'} and trend_*.png", file=sys.stderr)
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
