"""Escalation and de-escalation alerts on dyad tension series, each with the events that drove it.

Two detectors, both against the dyad's own history:
- ``departure``: a day whose 7-day tension sum departs from the baseline of the preceding ``baseline_days``
  (median and MAD of the 7-day sums, a robust z-score) by more than ``z_threshold``. Consecutive alerting
  days are merged into one alert with its peak.
- ``changepoint``: change points of the weekly series found by PELT (the ``ruptures`` library) with a
  penalty that grows with the noise of the series; a change up (down) by more than ``z_threshold`` robust
  standard deviations is an escalation (de-escalation).
Both ask for a minimum number of events in the alert window, so one stray report cannot raise an alert.
Each alert records when, how strong (z), the baseline and level, the method, and the ids of the events
with the largest weights in the window (``flashpoint explain`` them).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..store.db import EventStore
from .tension import IMPLIED_SIDE_WEIGHT, dyad_series

Z_THRESHOLD = 4.5
MIN_EVENTS = 3
BASELINE_DAYS = 42
WINDOW = 7


@dataclass
class Alert:
    dyad: str
    directed: bool
    kind: str  # "escalation" | "de-escalation"
    start_date: dt.date
    end_date: dt.date
    strength: float  # robust z-score
    baseline: float
    level: float
    method: str
    explanation: str
    event_ids: list[str] = field(default_factory=list)

    @property
    def alert_id(self) -> str:
        key = f"{self.dyad}|{self.directed}|{self.kind}|{self.start_date}|{self.method}"
        return "al-" + hashlib.sha1(key.encode()).hexdigest()[:12]

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["alert_id"] = self.alert_id
        d["start_date"] = self.start_date.isoformat()
        d["end_date"] = self.end_date.isoformat()
        return d


def baseline_stats(base_daily: np.ndarray) -> tuple[float, float]:
    """(mean, scale) of a baseline of daily values; the scale is robust and floored so that a flat, quiet
    baseline does not turn one report into an enormous z-score."""
    mean = float(np.mean(base_daily))
    mad = float(np.median(np.abs(base_daily - np.median(base_daily)))) * 1.4826
    scale = max(float(np.std(base_daily, ddof=1)) if len(base_daily) > 1 else 0.0, mad, 1.0)
    return mean, scale


def detect_departures(daily: pd.Series, counts: pd.Series, z_threshold: float = Z_THRESHOLD,
                      baseline_days: int = BASELINE_DAYS, window: int = WINDOW, min_events: int = MIN_EVENTS) -> list[dict[str, Any]]:
    """Runs of days whose ``window``-day sum departs from the ``baseline_days`` before the window.

    z = (window sum - window x baseline mean) / (sqrt(window) x baseline scale). Pure function (tested on
    synthetic data). RETURNS merged runs with start, end, peak, z, baseline (per window) and level.
    """
    vals = daily.to_numpy(dtype=float)
    cnts = counts.to_numpy(dtype=float)
    hits = []
    for i in range(baseline_days + window - 1, len(vals)):
        win = vals[i - window + 1 : i + 1]
        base = vals[i - window + 1 - baseline_days : i - window + 1]
        mean, scale = baseline_stats(base)
        z = (win.sum() - window * mean) / (np.sqrt(window) * scale)
        if abs(z) >= z_threshold and cnts[i - window + 1 : i + 1].sum() >= min_events:
            hits.append({"day": daily.index[i], "z": float(z), "baseline": window * mean, "level": float(win.sum()),
                         "kind": "escalation" if z > 0 else "de-escalation"})
    # merge consecutive days of one kind
    merged: list[dict[str, Any]] = []
    for h in hits:
        if merged and merged[-1]["kind"] == h["kind"] and (h["day"] - merged[-1]["end"]).days <= 1:
            m = merged[-1]
            m["end"] = h["day"]
            if abs(h["z"]) > abs(m["z"]):
                m.update(z=h["z"], level=h["level"], peak=h["day"])
        else:
            merged.append({**h, "start": h["day"], "end": h["day"], "peak": h["day"]})
    return merged


def detect_changepoints(weekly: pd.Series, counts: pd.Series, z_threshold: float = Z_THRESHOLD, min_events: int = MIN_EVENTS) -> list[dict[str, Any]]:
    """Change points of a weekly series (ruptures PELT), kept when the shift is large against the noise."""
    import ruptures

    x = weekly.to_numpy(dtype=float)
    if len(x) < 6:
        return []
    diffs = np.diff(x)
    noise = max(float(np.median(np.abs(diffs - np.median(diffs)))) * 1.4826 / np.sqrt(2), 1.0)
    algo = ruptures.Pelt(model="l2", min_size=2, jump=1).fit(x.reshape(-1, 1))
    bkps = algo.predict(pen=2.0 * np.log(len(x)) * noise**2)
    out = []
    prev = 0
    for j, b in enumerate(bkps[:-1]):
        nxt = bkps[j + 1]
        before, after = x[prev:b], x[b:nxt]
        shift = (after.mean() - before.mean()) / noise
        n_after = counts.iloc[b:nxt].sum()
        if abs(shift) >= z_threshold and n_after >= min_events:
            out.append({"start": weekly.index[b], "end": weekly.index[nxt - 1] + pd.Timedelta(days=6), "z": float(shift),
                        "baseline": float(before.mean()), "level": float(after.mean()),
                        "kind": "escalation" if shift > 0 else "de-escalation"})
        prev = b
    return out


def alerts_for_dyad(store: EventStore, a: str, b: str, *, directed: bool = False, since=None, until=None,
                    z_threshold: float = Z_THRESHOLD, min_events: int = MIN_EVENTS, top_events: int = 5) -> list[Alert]:
    series = dyad_series(store, a, b, directed=directed, freq="D", since=since, until=until, with_events=True)
    daily = series.frame
    if daily.empty:
        return []
    ev = series.events
    found: list[Alert] = []
    dyad = f"{series.a}{'->' if directed else '-'}{series.b}"
    weekly = daily.resample("W-MON", label="left", closed="left").sum()
    raw = [(h, "departure") for h in detect_departures(daily["tension"], daily["events"], z_threshold, min_events=min_events)]
    raw += [(h, "changepoint") for h in detect_changepoints(weekly["tension"], weekly["events"], z_threshold, min_events)]
    for h, method in raw:
        start = h["start"] - pd.Timedelta(days=WINDOW - 1) if method == "departure" else h["start"]
        end = h["end"]
        window = ev[(ev["day"] >= start) & (ev["day"] <= end)]
        if h["kind"] == "escalation":
            drivers = window.sort_values(["weight", "event_id"], ascending=[False, True]).head(top_events)
        else:
            drivers = window.sort_values(["weight", "event_id"], ascending=[True, True]).head(top_events)
        types = ", ".join(f"{t} {n}" for t, n in window["event_type"].value_counts().head(4).items())
        n_proxy = int(window["proxy"].sum()) if "proxy" in window else 0
        proxy = f"; {n_proxy} proxy (cooperation with the other side's rebels counted as conflict)" if n_proxy else ""
        n_implied = int((window["sides_factor"] < 1).sum()) if "sides_factor" in window else 0
        if n_implied:
            proxy += f"; {n_implied} with a side implied by the article, not named in the sentence (weighed x{IMPLIED_SIDE_WEIGHT:g})"
        explanation = (
            f"{h['kind']} of {series.a}-{series.b} tension: level {h['level']:.1f} against a baseline of {h['baseline']:.1f} "
            f"({h['z']:+.1f} robust SD, {method}); {len(window)} events in the window ({types}){proxy}."
        )
        found.append(Alert(dyad, directed, h["kind"], start.date(), end.date(), round(float(h["z"]), 2), round(float(h["baseline"]), 3),
                           round(float(h["level"]), 3), method, explanation, list(drivers["event_id"])))
    found.sort(key=lambda al: (al.start_date, al.method))
    return found


def store_alerts(store: EventStore, alerts: list[Alert]) -> int:
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    rows = [(al.alert_id, al.dyad, al.directed, al.kind, al.start_date, al.end_date, al.strength, al.baseline, al.level,
             al.method, al.explanation, al.event_ids, now) for al in alerts]
    if rows:
        with store._lock:
            store.con.executemany("INSERT OR REPLACE INTO alerts VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    return len(rows)


def top_dyad_pairs(store: EventStore, limit: int = 10) -> list[tuple[str, str]]:
    return [(d["a"], d["b"]) for d in store.top_dyads(limit=limit)]


def run_alerts(store: EventStore, dyads: list[tuple[str, str]] | None = None, *, directed: bool = False, since=None,
               until=None, z_threshold: float = Z_THRESHOLD) -> list[Alert]:
    """Detect and store alerts for the given dyads (default: the 10 most active)."""
    pairs = dyads or top_dyad_pairs(store)
    out: list[Alert] = []
    for a, b in pairs:
        out.extend(alerts_for_dyad(store, a, b, directed=directed, since=since, until=until, z_threshold=z_threshold))
    store_alerts(store, out)
    return out


def list_alerts(store: EventStore, since=None, dyad: str | None = None) -> list[dict[str, Any]]:
    sql = "SELECT * FROM alerts WHERE 1=1"
    params: list[Any] = []
    if since:
        sql += " AND end_date >= ?"
        params.append(since)
    if dyad:
        a, _, b = dyad.upper().replace(":", "-").partition("-")
        sql += " AND (dyad IN (?, ?, ?, ?))"
        params += [f"{a}-{b}", f"{b}-{a}", f"{a}->{b}", f"{b}->{a}"]
    sql += " ORDER BY start_date, dyad, method"
    return store.query(sql, params)


def alerts_json(alerts: list[Alert]) -> str:
    return json.dumps([a.to_dict() for a in alerts], indent=2)
