"""Alert logic on synthetic series with known change points, and silence on pure noise."""

import numpy as np
import pandas as pd
import pytest

from flashpoint.analytics.alerts import detect_changepoints, detect_departures


def _series(values):
    idx = pd.date_range("2022-01-01", periods=len(values), freq="D")
    return pd.Series(values, index=idx)


def _noise(n, seed, lam=3.0):
    rng = np.random.default_rng(seed)
    tension = rng.poisson(lam, n).astype(float) * 1.5 - rng.poisson(1.0, n)
    counts = rng.poisson(lam + 1, n)
    return tension, counts


@pytest.mark.parametrize("seed", range(10))
def test_alerts_no_departure_on_pure_noise(seed):
    tension, counts = _noise(200, seed)
    hits = detect_departures(_series(tension), _series(counts))
    assert hits == []


@pytest.mark.parametrize("seed", range(10))
def test_alerts_no_changepoint_on_pure_noise(seed):
    tension, counts = _noise(26 * 7, seed)
    weekly = _series(tension).resample("W-MON").sum()
    weekly_counts = _series(counts).resample("W-MON").sum()
    assert detect_changepoints(weekly, weekly_counts) == []


@pytest.mark.parametrize("seed,change_day", [(1, 80), (2, 100), (3, 120), (4, 70)])
def test_alerts_departure_found_near_known_change(seed, change_day):
    tension, counts = _noise(180, seed)
    tension[change_day:] += 12.0  # escalation: conflict events tripled
    counts[change_day:] += 6
    hits = detect_departures(_series(tension), _series(counts))
    change = _series(tension).index[change_day]
    assert any(h["kind"] == "escalation" and abs((h["start"] - change).days) <= 7 for h in hits), hits
    assert not any(h["start"] < change - pd.Timedelta(days=7) for h in hits), "no alert long before the change"


@pytest.mark.parametrize("seed,change_week", [(5, 10), (6, 14)])
def test_alerts_changepoint_found_near_known_change(seed, change_week):
    tension, counts = _noise(26 * 7, seed)
    tension[change_week * 7 :] += 10.0
    counts[change_week * 7 :] += 5
    weekly = _series(tension).resample("W-MON", label="left", closed="left").sum()
    weekly_counts = _series(counts).resample("W-MON", label="left", closed="left").sum()
    hits = detect_changepoints(weekly, weekly_counts)
    assert any(h["kind"] == "escalation" and abs((h["start"] - _series(tension).index[change_week * 7]).days) <= 14 for h in hits)


def test_alerts_deescalation_detected():
    tension, counts = _noise(200, 11, lam=8.0)
    tension[120:] -= 20.0
    hits = detect_departures(_series(tension), _series(counts))
    assert any(h["kind"] == "de-escalation" for h in hits)


def test_alerts_need_minimum_events():
    values = np.zeros(120)
    values[100] = 40.0  # one huge but lonely report
    counts = np.zeros(120)
    counts[100] = 1
    assert detect_departures(_series(values), _series(counts)) == []


def test_alerts_explanation_counts_events_with_an_implied_side(tmp_path):
    """An escalation built partly from events whose side the article implied says how many there are."""
    import datetime as dt

    from flashpoint.analytics.alerts import alerts_for_dyad
    from flashpoint.analytics.tension import IMPLIED_MARK
    from flashpoint.store.db import open_store
    from flashpoint.testing import make_coded

    d0 = dt.date(2022, 1, 1)
    coded = []
    for i in range(70):  # a quiet baseline, then a burst of attacks in the last week
        day = d0 + dt.timedelta(days=i)
        n = 1 if i < 63 else 8
        evs = [dict(event_type="CONSULT" if i < 63 else "ASSAULT", source="RUS", target="UKR", trigger=f"w{k}", day=day,
                    confidence=0.8) for k in range(n)]
        coded.append(make_coded(f"a{i}", " ".join(f"w{k}" for k in range(n)), day, "Wire", evs))
    store = open_store(tmp_path / "al.duckdb")
    try:
        store.write_batch(coded, "r1")
        store.con.execute(f"UPDATE events SET source_resolution = '{IMPLIED_MARK}: its main actor' "
                          "WHERE event_type = 'ASSAULT' AND trigger_text IN ('w0', 'w1')")
        found = [a for a in alerts_for_dyad(store, "RUS", "UKR") if a.kind == "escalation"]
        assert found
        assert "14 with a side implied by the article" in found[-1].explanation  # 2 of 8 on each of 7 days
    finally:
        store.close()
