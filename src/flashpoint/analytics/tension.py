"""Dyad series and the tension index.

For a pair of actors (codes such as RUS and UKR, or actor+sector such as RUS-MIL), each event between them
contributes a weight to the day it happened:

    weight = -intensity x confidence x modality factor x corroboration factor

- intensity is the PLOVER conflict/cooperation score (negative = conflict), so conflict raises the index
  and cooperation lowers it;
- the modality factor (``MODALITY_WEIGHT``): asserted 1, alleged 0.6, future 0.6, hypothetical 0.35,
  denied 0.1, negated 0 (a conditional threat weighs less than an asserted one; what did not happen counts
  for nothing);
- corroboration: when the store has clusters, one happening counts once, scaled by
  ``1 + log2(independent sources)``; without clusters, every report counts (scaled by 1).

The daily tension index is the sum of the weights of a day; the weekly one sums the days of a week
(weeks start on Monday). Counts per PLOVER quad class come along, directed or undirected.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..errors import QueryError
from ..store.db import EventStore

MODALITY_WEIGHT = {"asserted": 1.0, "alleged": 0.6, "future": 0.6, "hypothetical": 0.35, "denied": 0.1, "negated": 0.0}
QUADS = ("V-COOP", "M-COOP", "V-CONF", "M-CONF")


@dataclass(frozen=True)
class ActorSpec:
    """An actor code with an optional sector: "RUS" or "RUS-MIL"."""

    code: str
    sector: str | None = None

    @classmethod
    def parse(cls, text: str) -> ActorSpec:
        text = text.strip().upper()
        if not text or any(not (ch.isalnum() or ch in "-_") for ch in text):
            raise QueryError(f'actor "{text}" must be a code such as RUS, NATO or RUS-MIL')
        code, _, sector = text.partition("-")
        return cls(code, sector or None)

    def __str__(self) -> str:
        return f"{self.code}-{self.sector}" if self.sector else self.code


def _side_sql(prefix: str, spec: ActorSpec, params: list[Any]) -> str:
    params.append(spec.code)
    params.append(spec.code)
    sql = f"(e.{prefix}_code = ? OR list_contains(e.{prefix}_codes, ?))"
    if spec.sector:
        sql += f" AND e.{prefix}_sector = ?"
        params.append(spec.sector)
    return f"({sql})"


EMPTY_COLUMNS = ["event_id", "cluster_id", "day", "event_type", "quad", "intensity", "confidence", "modality", "weight"]


def weighted_events(store: EventStore, cond: str, params: list[Any], since=None, until=None,
                    use_clusters: bool | None = None) -> pd.DataFrame:
    """Events matching an SQL condition on ``events e``, with their tension weights (one row per happening
    when clusters exist). Shared by dyad and single-actor series."""
    params = list(params)
    date_sql = ""
    if since:
        date_sql += " AND coalesce(e.event_date, a.pub_date) >= ?"
        params.append(since)
    if until:
        date_sql += " AND coalesce(e.event_date, a.pub_date) <= ?"
        params.append(until)
    sql = (
        "SELECT e.event_id, e.cluster_id, coalesce(e.event_date, a.pub_date) AS day, e.event_type, e.quad, e.intensity, "
        "e.confidence, e.modality, e.source_code, e.target_code, e.trigger_text, e.outlet, "
        "coalesce(c.n_independent, 1) AS n_independent, coalesce(c.n_reports, 1) AS n_reports "
        "FROM events e JOIN articles a ON a.article_id = e.article_id LEFT JOIN clusters c ON c.cluster_id = e.cluster_id "
        f"WHERE {cond}{date_sql} AND coalesce(e.event_date, a.pub_date) IS NOT NULL"
    )
    cur = store.cursor()
    try:
        df = cur.execute(sql, params).df()
    finally:
        cur.close()
    if df.empty:
        return pd.DataFrame(columns=EMPTY_COLUMNS)
    if use_clusters is None:
        use_clusters = df["cluster_id"].notna().any()
    df["day"] = pd.to_datetime(df["day"])
    df["modality_factor"] = df["modality"].map(MODALITY_WEIGHT).fillna(1.0)
    if use_clusters:
        df["cluster_id"] = df["cluster_id"].fillna(df["event_id"])
        # one row per happening: the most confident report, its corroboration factor
        df = df.sort_values(["cluster_id", "confidence", "event_id"], ascending=[True, False, True])
        df = df.drop_duplicates("cluster_id", keep="first").copy()
        df["corroboration"] = 1.0 + df["n_independent"].clip(lower=1).map(math.log2)
    else:
        df["corroboration"] = 1.0
    df["weight"] = -df["intensity"] * df["confidence"] * df["modality_factor"] * df["corroboration"]
    return df.sort_values(["day", "event_id"]).reset_index(drop=True)


def dyad_events(store: EventStore, a: ActorSpec, b: ActorSpec, directed: bool = False, since=None, until=None,
                use_clusters: bool | None = None) -> pd.DataFrame:
    """The weighted events of a dyad as a DataFrame (one row per happening when clusters exist)."""
    params: list[Any] = []
    ab = f"({_side_sql('source', a, params)} AND {_side_sql('target', b, params)})"
    cond = ab
    if not directed:
        ba = f"({_side_sql('source', b, params)} AND {_side_sql('target', a, params)})"
        cond = f"({ab} OR {ba})"
    return weighted_events(store, cond, params, since, until, use_clusters)


def actor_events(store: EventStore, actor: ActorSpec | str, since=None, until=None) -> pd.DataFrame:
    """The weighted events of one actor on either side."""
    spec = actor if isinstance(actor, ActorSpec) else ActorSpec.parse(actor)
    params: list[Any] = []
    cond = f"({_side_sql('source', spec, params)} OR {_side_sql('target', spec, params)})"
    return weighted_events(store, cond, params, since, until)


@dataclass
class DyadSeries:
    a: str
    b: str
    directed: bool
    freq: str
    frame: pd.DataFrame  # index: period start; columns: tension, events, V-COOP, M-COOP, V-CONF, M-CONF
    events: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)

    def to_records(self) -> list[dict[str, Any]]:
        out = []
        for idx, row in self.frame.iterrows():
            rec = {"period": idx.date().isoformat()}
            rec.update({k: (float(v) if k == "tension" else int(v)) for k, v in row.items()})
            out.append(rec)
        return out


def dyad_series(store: EventStore, a: str, b: str, *, directed: bool = False, freq: str = "D", since=None, until=None) -> DyadSeries:
    """Daily ("D") or weekly ("W") series of tension and quad counts for a dyad, with empty periods as 0."""
    if freq not in ("D", "W"):
        raise QueryError(f'frequency "{freq}" must be D (daily) or W (weekly)')
    sa, sb = ActorSpec.parse(a), ActorSpec.parse(b)
    ev = dyad_events(store, sa, sb, directed=directed, since=since, until=until)
    frame = series_from_events(ev, freq=freq, since=since, until=until)
    return DyadSeries(str(sa), str(sb), directed, freq, frame, ev)


def series_from_events(ev: pd.DataFrame, freq: str = "D", since=None, until=None) -> pd.DataFrame:
    cols = ["tension", "events", *QUADS]
    if ev.empty:
        return pd.DataFrame(columns=cols, dtype=float)
    start = pd.Timestamp(since) if since else ev["day"].min()
    end = pd.Timestamp(until) if until else ev["day"].max()
    idx = pd.date_range(start, end, freq="D")
    daily = pd.DataFrame(index=idx)
    daily["tension"] = ev.groupby("day")["weight"].sum().reindex(idx, fill_value=0.0)
    daily["events"] = ev.groupby("day").size().reindex(idx, fill_value=0)
    for q in QUADS:
        daily[q] = ev[ev["quad"] == q].groupby("day").size().reindex(idx, fill_value=0)
    if freq == "W":
        daily = daily.resample("W-MON", label="left", closed="left").sum()
    return daily[cols]


def actor_partners(store: EventStore, actor: str, since=None, until=None, limit: int = 10) -> list[dict[str, Any]]:
    """Who an actor is in conflict or cooperation with, ranked by absolute tension."""
    spec = ActorSpec.parse(actor)
    params: list[Any] = []
    side = _side_sql("source", spec, params)
    params2: list[Any] = []
    side2 = _side_sql("target", spec, params2)
    date_sql, dparams = "", []
    if since:
        date_sql += " AND coalesce(e.event_date, a.pub_date) >= ?"
        dparams.append(since)
    if until:
        date_sql += " AND coalesce(e.event_date, a.pub_date) <= ?"
        dparams.append(until)
    sql = (
        "SELECT CASE WHEN " + side + " THEN e.target_code ELSE e.source_code END AS partner, "
        "sum(-e.intensity * e.confidence * CASE e.modality WHEN 'negated' THEN 0 WHEN 'denied' THEN 0.1 "
        "WHEN 'hypothetical' THEN 0.35 WHEN 'alleged' THEN 0.6 WHEN 'future' THEN 0.6 ELSE 1 END) AS tension, "
        "count(*) AS events, sum(CASE WHEN e.quad LIKE '%CONF' THEN 1 ELSE 0 END) AS conflict, "
        "sum(CASE WHEN e.quad LIKE '%COOP' THEN 1 ELSE 0 END) AS cooperation "
        "FROM events e JOIN articles a ON a.article_id = e.article_id "
        f"WHERE ({side} OR {side2}){date_sql} GROUP BY 1 HAVING partner IS NOT NULL AND partner <> ? "
        "ORDER BY abs(tension) DESC, partner LIMIT ?"
    )
    rows = store.query(sql, params + params + params2 + dparams + [spec.code, limit])
    for r in rows:
        r["tension"] = round(float(r["tension"] or 0.0), 2)
        r["relation"] = "conflict" if r["tension"] > 0 else "cooperation"
    return rows


def parse_day(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))
