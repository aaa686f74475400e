"""Dyad series and the tension index.

For a pair of actors (codes such as RUS and UKR, or actor+sector such as RUS-MIL), each event between them
contributes a weight to the day it happened:

    weight = -intensity x confidence x modality factor x corroboration factor

- intensity is the PLOVER conflict/cooperation score (negative = conflict), so conflict raises the index
  and cooperation lowers it;
- the modality factor (``MODALITY_WEIGHT``): asserted 1, alleged 0.6, future 0.6, hypothetical 0.35,
  denied 0.1, negated 0 (a conditional threat weighs less than an asserted one; what did not happen counts
  for nothing);
- the sides factor (``IMPLIED_SIDE_WEIGHT``): 0.5 when a side was not named in the sentence but implied by the
  article (the coder's implied sides: "the strikes hit Kharkiv" in an article about Russia's war gives RUS as the
  source; the event's resolution says "implied by the article ..."), else 1: an inferred side weighs half of
  a named one;
- corroboration: when the store has clusters, one happening counts once (its most confident report, ties
  broken by the smaller event id), scaled by ``1 + log2(independent sources)``; without clusters, every report
  counts (scaled by 1).

The day of an event is its event date, else the publication date of its article; events with neither are left
out. The daily tension index is the sum of the weights of a day; the weekly one sums the days of a week (weeks
start on Monday). Counts per PLOVER quad class come along, directed or undirected.
An event whose text names a past time that resolves to no day ("in 2014", "Russia's 2014 invasion") has a
``date_text`` but no event date: it is left out too, never moved to the publication day.

**Proxy conflict** (``PROXY_SECTORS``): cooperation with a country's rebels is conflict with that country.
A cooperative event (quad V-COOP or M-COOP: SUPPORT, AID, AGREE, COOPERATE ...) whose source is an actor X and
whose target is a rebel group (sector REB) of another country Y counts for the X-Y relation as conflict: its
weight takes the sign of conflict, ``+|intensity| x confidence x ...``, and the event is flagged ``proxy`` in
the events frame, so an explanation can say why a "support" raised the tension. Example: Russia recognising the
separatist republics of eastern Ukraine (target UKR, sector REB) raises RUS-UKR tension. The rule does not apply
when the query names the rebels themselves (``RUS`` with ``UKR-REB``: the cooperation is cooperation with them),
nor when source and target share a code (a government talking to its own rebels is a domestic matter; its
conflict score is already that of the event type). Quad counts keep the event's own quad. ``actor_partners``
applies the same rule.

Everything up to the day totals runs in DuckDB (``dyad_series``: one query returns one row per day); the events
behind a series (``DyadSeries.events``) are read only when asked for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..errors import QueryError
from ..store.db import EventStore

#: the weight of an event whose source or target was implied by the article rather than named in its sentence
IMPLIED_SIDE_WEIGHT = 0.5
#: how the coder marks a side implied by the article (``nlp.events._implied_sides``) in its resolution
IMPLIED_MARK = "implied by the article"
MODALITY_WEIGHT = {"asserted": 1.0, "alleged": 0.6, "future": 0.6, "hypothetical": 0.35, "denied": 0.1, "negated": 0.0}
QUADS = ("V-COOP", "M-COOP", "V-CONF", "M-CONF")
COOPERATIVE_QUADS = ("V-COOP", "M-COOP")
# Target sectors with which cooperation is conflict with the target's country (actors/data uses REB for rebels,
# separatists and insurgents alike).
PROXY_SECTORS = ("REB",)


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


def _sql_list(values) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def _proxy_sql(specs: list[ActorSpec], params: list[Any]) -> str:
    """SQL (on ``events e``, never NULL) that is true for a proxy event: cooperation of an actor with the rebels of
    another country. Not when the target is one of ``specs`` that names a proxy sector itself (the query is about
    the rebels)."""
    base = (f"e.quad IN ({_sql_list(COOPERATIVE_QUADS)}) AND e.target_sector IN ({_sql_list(PROXY_SECTORS)}) "
            "AND e.source_code <> e.target_code")
    own = [_side_sql("target", s, params) for s in specs if s.sector in PROXY_SECTORS]
    if own:
        base += f" AND NOT coalesce({' OR '.join(own)}, false)"
    return f"coalesce({base}, false)"


def _modality_sql(column: str) -> str:
    whens = " ".join(f"WHEN '{m}' THEN {w!r}::DOUBLE" for m, w in MODALITY_WEIGHT.items())
    return f"CASE {column} {whens} ELSE 1.0::DOUBLE END"


def _weight_sql(prefix: str) -> str:
    """The signed base weight (-intensity x confidence, +|intensity| for proxy events, x the sides factor) of a
    row aliased ``prefix`` (with the columns ``proxy`` and ``implied``)."""
    return (f"(CASE WHEN {prefix}.proxy THEN abs({prefix}.intensity) ELSE -{prefix}.intensity END) * {prefix}.confidence"
            f" * {_sides_sql(prefix)}")


def _sides_sql(prefix: str) -> str:
    return f"CASE WHEN {prefix}.implied THEN {IMPLIED_SIDE_WEIGHT!r}::DOUBLE ELSE 1.0::DOUBLE END"


def _implied_sql() -> str:
    """SQL (on ``events e``, never NULL): a side of the event was implied by the article, not named in its sentence."""
    return (f"(coalesce(starts_with(e.source_resolution, '{IMPLIED_MARK}'), false) "
            f"OR coalesce(starts_with(e.target_resolution, '{IMPLIED_MARK}'), false))")


def _events_is_table(cur) -> bool:
    """True when ``events`` is a stored table (has rowids); False for a view, e.g. over Parquet files."""
    row = cur.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = current_schema() "
        "AND table_name = 'events'"
    ).fetchone()
    return bool(row and row[0])


EVENT_FRAME_COLUMNS = ["event_id", "cluster_id", "day", "event_type", "quad", "intensity", "confidence", "modality",
                       "source_code", "target_code", "trigger_text", "outlet", "n_independent", "n_reports",
                       "modality_factor", "sides_factor", "corroboration", "weight", "proxy"]
EMPTY_COLUMNS = ["event_id", "cluster_id", "day", "event_type", "quad", "intensity", "confidence", "modality", "weight", "proxy"]
_SERIES_FIELDS = ["event_id", "cluster_id", "article_id", "event_date", "quad", "intensity", "confidence", "modality"]
_EVENT_FIELDS = ["event_id", "cluster_id", "article_id", "event_date", "event_type", "quad", "intensity", "confidence",
                 "modality", "source_code", "target_code", "trigger_text", "outlet"]


def _range_sql(expr: str, since, until) -> tuple[str, list[Any]]:
    """`` AND expr >= ? AND expr <= ?`` for the bounds given, and their parameters."""
    sql, params = "", []
    if since:
        sql += f" AND {expr} >= ?"
        params.append(since)
    if until:
        sql += f" AND {expr} <= ?"
        params.append(until)
    return sql, params


def _happenings(cur, cond: str, params: list[Any], proxy: tuple[str, list[Any]], since, until, dedup: bool,
                fields: list[str]) -> tuple[str, list[Any]]:
    """SQL of the CTEs ``f`` (matching reports), ``d`` (with their day, in the date range) and ``h`` (one row per
    happening when ``dedup``), and its parameters in order.

    Plan, for speed on large stores: the condition is first evaluated on the actor columns alone (rowids), the
    other columns are read only for the matching rows; articles are joined only for reports without an event date
    (for the publication date); ``since``/``until`` also prefilter the event date, which DuckDB pushes into the scan.
    """
    proxy_sql, proxy_params = proxy
    pre, pre_params = _range_sql("e.event_date", since, until)
    if pre:
        pre = f" AND (e.event_date IS NULL OR ({pre[5:]}))"
    # a past event whose text names no day ("in 2014") has a date text but no date: never on the publication day.
    # Filtered with the actor condition (one scan), not by reading date_text for the matching rows (5x slower).
    cond = f"({cond}) AND NOT (e.event_date IS NULL AND e.date_text IS NOT NULL)"
    if _events_is_table(cur):
        match = f"e.rowid IN (SELECT e.rowid FROM events e WHERE {cond}{pre})"
    else:
        match = f"{cond}{pre}"
    day_sql, day_params = _range_sql("day", since, until)
    cols = ", ".join(f"f.{c}" for c in fields) + ", f.proxy, f.implied"
    sql = (
        f"WITH f AS MATERIALIZED (SELECT {', '.join('e.' + c for c in fields)}, {proxy_sql} AS proxy, {_implied_sql()} AS implied "
        f"FROM events e WHERE {match}), "
        f"d AS (SELECT * FROM (SELECT {cols}, f.event_date AS day FROM f WHERE f.event_date IS NOT NULL "
        f"UNION ALL SELECT {cols}, a.pub_date AS day FROM f JOIN articles a ON a.article_id = f.article_id "
        f"WHERE f.event_date IS NULL) WHERE day IS NOT NULL{day_sql}), "
        "h AS (SELECT * FROM d"
        + (" QUALIFY row_number() OVER (PARTITION BY coalesce(cluster_id, event_id) "
           "ORDER BY confidence DESC NULLS LAST, event_id) = 1" if dedup else "")
        + ")"
    )
    return sql, proxy_params + params + pre_params + day_params


def _default_proxy() -> tuple[str, list[Any]]:
    params: list[Any] = []
    return _proxy_sql([], params), params


def weighted_events(store: EventStore, cond: str, params: list[Any], since=None, until=None,
                    use_clusters: bool | None = None, proxy: tuple[str, list[Any]] | None = None) -> pd.DataFrame:
    """Events matching an SQL condition on ``events e``, with their tension weights (one row per happening
    when clusters exist). Shared by dyad and single-actor series.

    proxy ((sql, params) | None): when an event is proxy conflict (see the module docstring); default: the rule
        with no rebel actor named in the query.
    use_clusters (bool | None): one row per cluster with its corroboration (True), every report (False), or
        True when any matching report is clustered (None).
    """
    cur = store.cursor()
    try:
        core, core_params = _happenings(cur, cond, list(params), proxy or _default_proxy(), since, until,
                                        use_clusters is not False, _EVENT_FIELDS)
        corroboration = "1.0 + log2(greatest(coalesce(c.n_independent, 1), 1))" if use_clusters is not False else "1.0::DOUBLE"
        sql = (
            f"{core} SELECT w.*, {_weight_sql('w')} * w.modality_factor * w.corroboration AS weight FROM ("
            "SELECT h.event_id, h.cluster_id, h.day, h.event_type, h.quad, h.intensity, h.confidence, h.modality, h.source_code, "
            "h.target_code, h.trigger_text, h.outlet, coalesce(c.n_independent, 1) AS n_independent, "
            f"coalesce(c.n_reports, 1) AS n_reports, {_modality_sql('h.modality')} AS modality_factor, "
            f"{_sides_sql('h')} AS sides_factor, {corroboration} AS corroboration, h.proxy, h.implied "
            # clusters with one report and one source change nothing (coalesce gives 1): not joined, for speed
            "FROM h LEFT JOIN (SELECT cluster_id, n_independent, n_reports FROM clusters "
            "WHERE n_independent IS DISTINCT FROM 1 OR n_reports IS DISTINCT FROM 1) c ON c.cluster_id = h.cluster_id) w "
            "ORDER BY w.day, w.event_id"
        )
        df = cur.execute(sql, core_params).df()
    finally:
        cur.close()
    if df.empty:
        return pd.DataFrame(columns=EMPTY_COLUMNS)
    if use_clusters is None:
        use_clusters = bool(df["cluster_id"].notna().any())
    if use_clusters:
        df["cluster_id"] = df["cluster_id"].fillna(df["event_id"])
    df["day"] = pd.to_datetime(df["day"])
    return df[EVENT_FRAME_COLUMNS]


def _dyad_cond(a: ActorSpec, b: ActorSpec, directed: bool) -> tuple[str, list[Any], tuple[str, list[Any]]]:
    params: list[Any] = []
    ab = f"({_side_sql('source', a, params)} AND {_side_sql('target', b, params)})"
    cond = ab
    if not directed:
        ba = f"({_side_sql('source', b, params)} AND {_side_sql('target', a, params)})"
        cond = f"({ab} OR {ba})"
    proxy_params: list[Any] = []
    proxy_sql = _proxy_sql([a, b], proxy_params)
    return cond, params, (proxy_sql, proxy_params)


def dyad_events(store: EventStore, a: ActorSpec, b: ActorSpec, directed: bool = False, since=None, until=None,
                use_clusters: bool | None = None) -> pd.DataFrame:
    """The weighted events of a dyad as a DataFrame (one row per happening when clusters exist), by day and
    event id; ``proxy`` marks cooperation with rebels counted as conflict."""
    cond, params, proxy = _dyad_cond(a, b, directed)
    return weighted_events(store, cond, params, since, until, use_clusters, proxy=proxy)


def actor_events(store: EventStore, actor: ActorSpec | str, since=None, until=None) -> pd.DataFrame:
    """The weighted events of one actor on either side."""
    spec = actor if isinstance(actor, ActorSpec) else ActorSpec.parse(actor)
    params: list[Any] = []
    cond = f"({_side_sql('source', spec, params)} OR {_side_sql('target', spec, params)})"
    proxy_params: list[Any] = []
    return weighted_events(store, cond, params, since, until, proxy=(_proxy_sql([spec], proxy_params), proxy_params))


class DyadSeries:
    """The tension series of a dyad.

    frame (DataFrame): index: period start; columns: tension, events, V-COOP, M-COOP, V-CONF, M-CONF.
    events (DataFrame): the weighted events behind it (``dyad_events``), read from the store on first access
        (so the store must still be open then); a series alone never reads them.
    """

    def __init__(self, a: str, b: str, directed: bool, freq: str, frame: pd.DataFrame,
                 events: pd.DataFrame | Callable[[], pd.DataFrame] | None = None) -> None:
        self.a, self.b, self.directed, self.freq, self.frame = a, b, directed, freq, frame
        self._events = events

    @property
    def events(self) -> pd.DataFrame:
        if callable(self._events):
            self._events = self._events()
        if self._events is None:
            self._events = pd.DataFrame(columns=EMPTY_COLUMNS)
        return self._events

    def __repr__(self) -> str:
        return f"DyadSeries(a={self.a!r}, b={self.b!r}, directed={self.directed}, freq={self.freq!r}, periods={len(self.frame)})"

    def to_records(self) -> list[dict[str, Any]]:
        out = []
        for idx, row in self.frame.iterrows():
            rec = {"period": idx.date().isoformat()}
            rec.update({k: (float(v) if k == "tension" else int(v)) for k, v in row.items()})
            out.append(rec)
        return out


def _daily_sql(core: str) -> str:
    """Per-day totals of the happenings ``h``; corroboration needs only the clusters with more than one source."""
    quads = ", ".join(f"count(*) FILTER (WHERE h.quad = '{q}') AS \"{q}\"" for q in QUADS)
    return (
        f"{core} SELECT h.day, coalesce(sum({_weight_sql('h')} * {_modality_sql('h.modality')} "
        "* (1.0 + log2(greatest(coalesce(c.n_independent, 1), 1)))), 0.0) AS tension, count(*) AS events, "
        f"{quads} FROM h LEFT JOIN (SELECT cluster_id, n_independent FROM clusters WHERE n_independent > 1) c "
        "ON c.cluster_id = h.cluster_id GROUP BY h.day ORDER BY h.day"
    )


def dyad_series(store: EventStore, a: str, b: str, *, directed: bool = False, freq: str = "D", since=None, until=None,
                with_events: bool = False) -> DyadSeries:
    """Daily ("D") or weekly ("W") series of tension and quad counts for a dyad, with empty periods as 0.

    The day totals are computed in DuckDB and only they leave it; ``.events`` reads the events behind them on
    first access. with_events (bool): read the events now and compute the totals from them, one query instead
    of two for callers that use both (alerts, plots); the same frame either way.
    """
    if freq not in ("D", "W"):
        raise QueryError(f'frequency "{freq}" must be D (daily) or W (weekly)')
    sa, sb = ActorSpec.parse(a), ActorSpec.parse(b)
    if with_events:
        ev = dyad_events(store, sa, sb, directed=directed, since=since, until=until)
        return DyadSeries(str(sa), str(sb), directed, freq, series_from_events(ev, freq=freq, since=since, until=until), ev)
    cond, params, proxy = _dyad_cond(sa, sb, directed)
    cur = store.cursor()
    try:
        core, core_params = _happenings(cur, cond, params, proxy, since, until, True, _SERIES_FIELDS)
        daily = cur.execute(_daily_sql(core), core_params).df()
    finally:
        cur.close()
    frame = _periods(daily, freq, since, until)
    return DyadSeries(str(sa), str(sb), directed, freq, frame,
                      lambda: dyad_events(store, sa, sb, directed=directed, since=since, until=until))


def _periods(daily: pd.DataFrame, freq: str, since=None, until=None) -> pd.DataFrame:
    """Day totals (a ``day`` column or index; tension, events and quad columns) -> every day (or week) of the
    range, empty ones as 0."""
    cols = ["tension", "events", *QUADS]
    if daily.empty:
        return pd.DataFrame(columns=cols, dtype=float)
    if "day" in daily.columns:
        daily = daily.set_index(pd.to_datetime(daily["day"]))
    start = pd.Timestamp(since) if since else daily.index.min()
    end = pd.Timestamp(until) if until else daily.index.max()
    idx = pd.date_range(start, end, freq="D")
    out = pd.DataFrame(index=idx)
    out["tension"] = daily["tension"].astype(float).reindex(idx, fill_value=0.0)
    for c in cols[1:]:
        out[c] = daily[c].astype("int64").reindex(idx, fill_value=0)
    if freq == "W":
        out = out.resample("W-MON", label="left", closed="left").sum()
    return out[cols]


def series_from_events(ev: pd.DataFrame, freq: str = "D", since=None, until=None) -> pd.DataFrame:
    """The series of an events frame (``weighted_events``): day totals, then every day (or week) of the range."""
    if ev.empty:
        return _periods(ev, freq, since, until)
    g = ev.groupby("day")
    daily = pd.DataFrame({"tension": g["weight"].sum(), "events": g.size()})
    for q in QUADS:
        daily[q] = ev[ev["quad"] == q].groupby("day").size().reindex(daily.index, fill_value=0)
    return _periods(daily, freq, since, until)


def actor_partners(store: EventStore, actor: str, since=None, until=None, limit: int = 10) -> list[dict[str, Any]]:
    """Who an actor is in conflict or cooperation with, ranked by absolute tension.

    Proxy events (cooperation with the rebels of another country, see the module docstring) count as conflict
    with that country; ``proxy`` counts them.
    """
    spec = ActorSpec.parse(actor)
    params: list[Any] = []
    side = _side_sql("source", spec, params)
    proxy_params: list[Any] = []
    proxy = _proxy_sql([spec], proxy_params)
    where_params: list[Any] = []
    where = f"({_side_sql('source', spec, where_params)} OR {_side_sql('target', spec, where_params)})"
    date_sql, dparams = _range_sql("coalesce(e.event_date, a.pub_date)", since, until)
    sql = (
        f"SELECT partner, sum({_weight_sql('t')} * {_modality_sql('t.modality')}) AS tension, count(*) AS events, "
        "count(*) FILTER (WHERE t.quad LIKE '%CONF' OR t.proxy) AS conflict, "
        "count(*) FILTER (WHERE t.quad LIKE '%COOP' AND NOT t.proxy) AS cooperation, "
        "count(*) FILTER (WHERE t.proxy) AS proxy FROM ("
        f"SELECT CASE WHEN {side} THEN e.target_code ELSE e.source_code END AS partner, e.quad, e.intensity, e.confidence, "
        f"e.modality, {proxy} AS proxy, {_implied_sql()} AS implied FROM events e JOIN articles a ON a.article_id = e.article_id WHERE {where}{date_sql} "
        "AND NOT (e.event_date IS NULL AND e.date_text IS NOT NULL)) t "
        "GROUP BY partner HAVING partner IS NOT NULL AND partner <> ? ORDER BY abs(tension) DESC, partner LIMIT ?"
    )
    rows = store.query(sql, params + proxy_params + where_params + dparams + [spec.code, limit])
    for r in rows:
        r["tension"] = round(float(r["tension"] or 0.0), 2)
        r["relation"] = "conflict" if r["tension"] > 0 else "cooperation"
    return rows


def parse_day(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))
