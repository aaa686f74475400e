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
