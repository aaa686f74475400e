"""The tension series computed in DuckDB against a pandas reference, the lazy events, and proxy conflict
(cooperation with another country's rebels counts as conflict with that country)."""

import datetime as dt
import math
import random

import pandas as pd
import pytest

from flashpoint import ontology
from flashpoint.analytics import tension
from flashpoint.analytics.tension import (
    IMPLIED_MARK,
    IMPLIED_SIDE_WEIGHT,
    MODALITY_WEIGHT,
    PROXY_SECTORS,
    QUADS,
    ActorSpec,
    actor_events,
    actor_partners,
    dyad_events,
    dyad_series,
    series_from_events,
)
from flashpoint.store.db import open_store
from flashpoint.store.loader import open_parquet
from flashpoint.testing import make_coded

D0 = dt.date(2022, 3, 1)
TYPES = ["ASSAULT", "ACCUSE", "THREATEN", "SANCTION", "SUPPORT", "AGREE", "AID", "COOPERATE", "CONSULT"]
ACTORS = ["RUS", "UKR", "USA", "BLR"]
SECTORS = [None, "GOV", "MIL", "REB", "REB"]
MODALITIES = list(MODALITY_WEIGHT)
CONFIDENCES = [0.4, 0.6, 0.8, 0.8, 0.95]  # repeated values: ties inside clusters


# ------------------------------------------------------------------------------------------------ store builders
def _random_store(path, seed: int, clusters: bool = True, n_articles: int = 160):
    """A store with every quad and modality, sectors (REB among them), compound actors, events without a date
    (publication date used), articles without a date, and clusters of 1-4 reports, some without a cluster row."""
    rng = random.Random(seed)
    store = open_store(path)
    coded, extra = [], []
    for i in range(n_articles):
        pub = D0 + dt.timedelta(days=rng.randrange(45))
        evs = []
        for k in range(rng.choice([1, 1, 2, 3])):
            s, t = rng.sample(ACTORS, 2) if rng.random() < 0.95 else (rng.choice(ACTORS),) * 2
            evs.append(dict(event_type=rng.choice(TYPES), source=s, target=t, trigger=f"w{k}",
                            day=pub - dt.timedelta(days=rng.choice([0, 0, 1, 2])), modality=rng.choice(MODALITIES),
                            confidence=rng.choice(CONFIDENCES)))
        c = make_coded(f"s{seed}-{i}", "w0 w1 w2 w3", pub, f"Outlet {rng.randrange(5)}", evs)
        if rng.random() < 0.05:  # an article without a publication date
            c.article.date = None
        coded.append(c)
        for e in c.events:
            extra.append({"event_id": e.event_id, "source_sector": rng.choice(SECTORS), "target_sector": rng.choice(SECTORS),
                          "no_date": rng.random() < 0.15 or c.article.date is None,
                          # "the US and Ukraine": the second member only in the codes list
                          "member": rng.choice(ACTORS) if rng.random() < 0.08 else None, "cluster_id": None,
                          # a side the coder took from the article, not the sentence (weighs IMPLIED_SIDE_WEIGHT)
                          "implied": rng.choice([None, None, None, "source", "target"])})
    store.write_batch(coded, "r1")
    cluster_rows = []
    if clusters:
        order = list(range(len(extra)))
        rng.shuffle(order)
        while order:
            size = rng.choice([1, 1, 2, 3, 4])
            group, order = order[:size], order[size:]
            if rng.random() < 0.25 and size == 1:
                continue  # an unclustered report
            cid = f"cl-{len(cluster_rows)}"
            for j in group:
                extra[j]["cluster_id"] = cid
            # some clustered reports have no cluster row (corroboration 1); odd counts (None, 0) too
            cluster_rows.append({"cluster_id": cid, "n_reports": len(group), "keep": rng.random() < 0.9,
                                 "n_independent": rng.choice([None, 0, 1, 1, 2, 3, len(group) + 2])})
    store.con.register("x", pd.DataFrame(extra))
    store.con.execute(
        "UPDATE events SET source_sector = x.source_sector, target_sector = x.target_sector, cluster_id = x.cluster_id, "
        "event_date = CASE WHEN x.no_date THEN NULL ELSE events.event_date END, "
        "source_codes = CASE WHEN x.member IS NULL THEN events.source_codes ELSE [events.source_code, x.member] END, "
        f"source_resolution = CASE WHEN x.implied = 'source' THEN '{IMPLIED_MARK}: its main actor' ELSE 'named' END, "
        f"target_resolution = CASE WHEN x.implied = 'target' THEN '{IMPLIED_MARK}''s setting' ELSE NULL END "
        "FROM x WHERE events.event_id = x.event_id")
    if cluster_rows:
        store.con.register("cl", pd.DataFrame(cluster_rows).astype({"n_independent": "Int64"}))
        store.con.execute("INSERT INTO clusters (cluster_id, n_reports, n_outlets, n_independent) "
                          "SELECT cluster_id, n_reports, n_reports, n_independent FROM cl WHERE keep")
    return store


def _reference_events(store, a: str, b: str, directed=False, since=None, until=None, use_clusters=None) -> pd.DataFrame:
    """The weighted events of a dyad computed in pandas from the raw rows (the pre-SQL implementation, with the
    proxy rule): filter, day, dedup by cluster, weight."""
    sa, sb = ActorSpec.parse(a), ActorSpec.parse(b)
    raw = store.con.execute(
        "SELECT e.*, a.pub_date, c.n_independent AS c_ind, c.n_reports AS c_rep FROM events e "
        "JOIN articles a ON a.article_id = e.article_id LEFT JOIN clusters c ON c.cluster_id = e.cluster_id"
    ).df()

    def side(row, prefix, spec):
        codes = row[f"{prefix}_codes"]
        codes = list(codes) if codes is not None and not isinstance(codes, float) else []
        hit = row[f"{prefix}_code"] == spec.code or spec.code in codes
        return bool(hit and (spec.sector is None or row[f"{prefix}_sector"] == spec.sector))

    rows = []
    for _, r in raw.iterrows():
        ab = side(r, "source", sa) and side(r, "target", sb)
        ba = side(r, "source", sb) and side(r, "target", sa)
        if not (ab or (ba and not directed)):
            continue
        day = r["event_date"] if pd.notna(r["event_date"]) else r["pub_date"]
        if pd.isna(day):
            continue
        day = pd.Timestamp(day)
        if (since and day < pd.Timestamp(since)) or (until and day > pd.Timestamp(until)):
            continue
        proxy = (r["quad"] in ("V-COOP", "M-COOP") and r["target_sector"] in PROXY_SECTORS
                 and pd.notna(r["source_code"]) and pd.notna(r["target_code"]) and r["source_code"] != r["target_code"]
                 and not any(s.sector in PROXY_SECTORS and side(r, "target", s) for s in (sa, sb)))
        rows.append({"event_id": r["event_id"], "cluster_id": r["cluster_id"], "day": day, "quad": r["quad"],
                     "event_type": r["event_type"], "intensity": r["intensity"], "confidence": r["confidence"],
                     "modality": r["modality"], "proxy": bool(proxy),
                     "implied": any(str(r[f"{p}_resolution"] or "").startswith(IMPLIED_MARK) for p in ("source", "target")),
                     "n_independent": 1 if pd.isna(r["c_ind"]) else int(r["c_ind"]),
                     "n_reports": 1 if pd.isna(r["c_rep"]) else int(r["c_rep"])})
    df = pd.DataFrame(rows, columns=["event_id", "cluster_id", "day", "quad", "event_type", "intensity", "confidence",
                                     "modality", "proxy", "implied", "n_independent", "n_reports"])
    if df.empty:
        return df.assign(weight=[])
    if use_clusters is None:
        use_clusters = df["cluster_id"].notna().any()
    if use_clusters:
        df["cluster_id"] = df["cluster_id"].fillna(df["event_id"])
        df = df.sort_values(["cluster_id", "confidence", "event_id"], ascending=[True, False, True])
        df = df.drop_duplicates("cluster_id", keep="first").copy()
        corroboration = 1.0 + df["n_independent"].clip(lower=1).map(math.log2)
    else:
        corroboration = 1.0
    sign = df["intensity"].abs().where(df["proxy"], -df["intensity"])
    sides = df["implied"].map({True: IMPLIED_SIDE_WEIGHT, False: 1.0})
    df["weight"] = sign * df["confidence"] * df["modality"].map(MODALITY_WEIGHT).fillna(1.0) * sides * corroboration
    return df.sort_values(["day", "event_id"]).reset_index(drop=True)


def _reference_series(ev: pd.DataFrame, freq: str, since=None, until=None) -> pd.DataFrame:
    """Per-day totals by plain iteration, every day of the range, then weeks starting on Monday."""
    cols = ["tension", "events", *QUADS]
    if ev.empty:
        return pd.DataFrame(columns=cols, dtype=float)
    start = pd.Timestamp(since) if since else ev["day"].min()
    end = pd.Timestamp(until) if until else ev["day"].max()
    days = {d: {"tension": 0.0, "events": 0, **{q: 0 for q in QUADS}} for d in pd.date_range(start, end, freq="D")}
    for _, r in ev.iterrows():
        tot = days[r["day"]]
        tot["tension"] += r["weight"]
        tot["events"] += 1
        tot[r["quad"]] += 1
    out = pd.DataFrame.from_dict(days, orient="index")[cols]
    if freq == "W":
        out = out.resample("W-MON", label="left", closed="left").sum()
    return out


def _assert_same_series(got: pd.DataFrame, want: pd.DataFrame) -> None:
    assert list(got.columns) == list(want.columns)
    assert len(got) == len(want)
    if got.empty:
        return
    assert [t.date() for t in got.index] == [t.date() for t in want.index]
    for c in got.columns:
        if c == "tension":
            assert got[c].tolist() == pytest.approx(want[c].tolist(), rel=1e-9, abs=1e-9)
        else:
            assert got[c].astype(int).tolist() == want[c].astype(int).tolist(), c


@pytest.fixture(scope="module", params=[(1, True), (2, True), (3, False)], ids=["seed1", "seed2", "no-clusters"])
def random_store(request, tmp_path_factory):
    seed, clusters = request.param
    store = _random_store(tmp_path_factory.mktemp("tension") / "t.duckdb", seed, clusters=clusters)
    yield store
    store.close()


SINCE, UNTIL = D0 + dt.timedelta(days=10), D0 + dt.timedelta(days=30)
CASES = [
    ("RUS", "UKR", False, "D", None, None),
    ("RUS", "UKR", True, "D", None, None),
    ("UKR", "RUS", True, "W", None, None),
    ("RUS", "UKR", False, "W", SINCE, UNTIL),
    ("USA", "UKR", False, "D", SINCE, None),
    ("RUS-MIL", "UKR", False, "D", None, UNTIL),
    ("RUS", "UKR-REB", False, "D", None, None),
    ("USA-REB", "BLR", True, "W", None, None),
    ("RUS", "NOBODY", False, "D", None, None),
]


# ------------------------------------------------------------------------------------------------ SQL vs reference
@pytest.mark.parametrize("a,b,directed,freq,since,until", CASES)
def test_analytics_tension_series_matches_pandas_reference(random_store, a, b, directed, freq, since, until):
    s = dyad_series(random_store, a, b, directed=directed, freq=freq, since=since, until=until)
    want = _reference_series(_reference_events(random_store, a, b, directed, since, until), freq, since, until)
    _assert_same_series(s.frame, want)
    if a != "RUS" or b != "NOBODY":
        assert s.frame["events"].sum() > 0, "the case exercises some events"


@pytest.mark.parametrize("a,b,directed,freq,since,until", CASES)
def test_analytics_tension_events_match_pandas_reference(random_store, a, b, directed, freq, since, until):
    got = dyad_events(random_store, ActorSpec.parse(a), ActorSpec.parse(b), directed=directed, since=since, until=until)
    want = _reference_events(random_store, a, b, directed, since, until)
    assert got["event_id"].tolist() == want["event_id"].tolist()
    if want.empty:
        return
    assert got["weight"].tolist() == pytest.approx(want["weight"].tolist(), rel=1e-12, abs=1e-12)
    assert got["proxy"].tolist() == want["proxy"].tolist()
    assert got["cluster_id"].tolist() == want["cluster_id"].tolist()
    assert got[["n_independent", "n_reports"]].values.tolist() == want[["n_independent", "n_reports"]].values.tolist()
    assert [d.date() for d in got["day"]] == [d.date() for d in want["day"]]


@pytest.mark.parametrize("use_clusters", [True, False])
def test_analytics_tension_use_clusters_switch(random_store, use_clusters):
    got = dyad_events(random_store, ActorSpec("RUS"), ActorSpec("UKR"), use_clusters=use_clusters)
    want = _reference_events(random_store, "RUS", "UKR", use_clusters=use_clusters)
    assert got["event_id"].tolist() == want["event_id"].tolist()
    assert got["weight"].tolist() == pytest.approx(want["weight"].tolist(), rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("freq", ["D", "W"])
def test_analytics_tension_series_agrees_with_its_events(random_store, freq):
    s = dyad_series(random_store, "RUS", "UKR", freq=freq)
    pd.testing.assert_frame_equal(s.frame, series_from_events(s.events, freq=freq), check_exact=False, rtol=1e-9, atol=1e-9)
    assert s.frame["events"].sum() == len(s.events)
    eager = dyad_series(random_store, "RUS", "UKR", freq=freq, with_events=True)
    pd.testing.assert_frame_equal(eager.frame, s.frame, check_exact=False, rtol=1e-9, atol=1e-9)
    pd.testing.assert_frame_equal(eager.events, s.events)


def test_analytics_tension_events_are_read_on_first_access(random_store, monkeypatch):
    calls = []
    real = tension.dyad_events
    monkeypatch.setattr(tension, "dyad_events", lambda *a, **k: calls.append(1) or real(*a, **k))
    s = dyad_series(random_store, "RUS", "UKR")
    assert calls == [], "the series alone does not read the events"
    first = s.events
    assert s.events is first and calls == [1], "read once, then kept"
    assert not first.empty and "proxy" in first.columns


def test_analytics_tension_parquet_view_store_matches_reference(random_store, tmp_path):
    """A store whose tables are views over Parquet files (no rowids) takes the one-step plan, same result."""
    for table in ("articles", "events"):
        (tmp_path / table).mkdir()
        random_store.con.execute(f"COPY (SELECT * FROM {table}) TO '{tmp_path / table / 'part-0.parquet'}' (FORMAT parquet)")
    view = open_parquet(tmp_path)
    try:
        for a, b, directed, freq, since, until in CASES[:4]:
            s = dyad_series(view, a, b, directed=directed, freq=freq, since=since, until=until)
            want = _reference_series(_reference_events(view, a, b, directed, since, until), freq, since, until)
            _assert_same_series(s.frame, want)
    finally:
        view.close()


def test_analytics_tension_empty_dyad_and_bad_frequency(random_store):
    s = dyad_series(random_store, "RUS", "NOBODY")
    assert s.frame.empty and s.events.empty and s.to_records() == []
    with pytest.raises(Exception, match="must be D"):
        dyad_series(random_store, "RUS", "UKR", freq="M")


# ------------------------------------------------------------------------------------------------ proxy conflict
def _store_with(tmp_path, events):
    """events: (source, source_sector, target, target_sector, event_type) asserted at confidence 0.8, one per day."""
    store = open_store(tmp_path / "p.duckdb")
    coded = [make_coded(f"p{i}", "w0", D0 + dt.timedelta(days=i), "Wire",
                        [dict(event_type=t, source=s, target=g, trigger="w0", confidence=0.8)])
             for i, (s, _, g, _, t) in enumerate(events)]
    store.write_batch(coded, "r1")
    for c, (_, ss, _, ts, _) in zip(coded, events):
        store.con.execute("UPDATE events SET source_sector = ?, target_sector = ? WHERE event_id = ?",
                          [ss, ts, c.events[0].event_id])
    return store


@pytest.mark.parametrize(
    "event,a,b,directed,sign,proxy",
    [
        (("RUS", "GOV", "UKR", "REB", "SUPPORT"), "RUS", "UKR", False, +1, True),   # Moscow backs the separatists
        (("RUS", "GOV", "UKR", "REB", "AID"), "UKR", "RUS", False, +1, True),       # either order of the dyad
        (("RUS", "MIL", "UKR", "REB", "COOPERATE"), "RUS-MIL", "UKR", True, +1, True),
        (("RUS", "GOV", "UKR", "REB", "AGREE"), "RUS", "UKR-REB", False, -1, False),  # the query is about the rebels
        (("RUS", "GOV", "UKR", "GOV", "SUPPORT"), "RUS", "UKR", False, -1, False),    # government: cooperation
        (("RUS", "GOV", "UKR", "REB", "ASSAULT"), "RUS", "UKR", False, +1, False),    # conflict already
        (("UKR", "REB", "RUS", "GOV", "SUPPORT"), "RUS", "UKR", False, -1, False),    # rebels as source: not the rule
    ],
)
def test_analytics_tension_proxy_cooperation_with_rebels_is_conflict(tmp_path, event, a, b, directed, sign, proxy):
    store = _store_with(tmp_path, [event])
    try:
        s = dyad_series(store, a, b, directed=directed)
        ev = s.events
        assert len(ev) == 1 and bool(ev["proxy"].iloc[0]) is proxy
        magnitude = abs(ontology.intensity(event[4])) * 0.8
        assert ev["weight"].iloc[0] == pytest.approx(sign * magnitude)
        assert s.frame["tension"].sum() == pytest.approx(sign * magnitude)
        assert s.frame[ontology.quad(event[4])].sum() == 1, "quad counts keep the event's own quad"
    finally:
        store.close()


def test_analytics_tension_proxy_same_country_is_not_proxy(tmp_path):
    store = _store_with(tmp_path, [("UKR", "GOV", "UKR", "REB", "AGREE")])
    try:
        ev = actor_events(store, "UKR")
        assert len(ev) == 1 and not ev["proxy"].iloc[0] and ev["weight"].iloc[0] < 0
    finally:
        store.close()


def test_analytics_tension_proxy_in_actor_partners_and_actor_events(tmp_path):
    store = _store_with(tmp_path, [("RUS", "GOV", "UKR", "REB", "SUPPORT"), ("RUS", "GOV", "UKR", "REB", "AID"),
                                   ("RUS", "GOV", "USA", "GOV", "CONSULT"), ("RUS", "GOV", "UKR", "GOV", "CONSULT")])
    try:
        partners = {p["partner"]: p for p in actor_partners(store, "RUS")}
        ukr, usa = partners["UKR"], partners["USA"]
        assert ukr["relation"] == "conflict" and ukr["tension"] > 0
        assert (ukr["events"], ukr["proxy"], ukr["conflict"], ukr["cooperation"]) == (3, 2, 2, 1)
        assert usa["relation"] == "cooperation" and usa["proxy"] == 0
        # from the other side, and for the rebels themselves
        assert actor_partners(store, "UKR")[0]["relation"] == "conflict"
        rebels = actor_partners(store, "UKR-REB")
        assert rebels[0]["partner"] == "RUS" and rebels[0]["relation"] == "cooperation" and rebels[0]["proxy"] == 0
        assert actor_events(store, "RUS")["proxy"].sum() == 2
        assert actor_events(store, "UKR-REB")["proxy"].sum() == 0
    finally:
        store.close()


def test_analytics_tension_past_event_without_a_day_is_not_moved_to_the_publication_day(tmp_path):
    """"Russia's 2014 invasion" in a 2022 article: the coder leaves the event date null and keeps the date text;
    the series must not count it on the publication day (an undated event without date text still is)."""
    store = _store_with(tmp_path, [("RUS", "GOV", "UKR", "GOV", "ASSAULT"), ("RUS", "GOV", "UKR", "GOV", "ASSAULT")])
    try:
        ids = [r["event_id"] for r in store.query("SELECT event_id FROM events ORDER BY event_id")]
        store.con.execute("UPDATE events SET event_date = NULL")
        store.con.execute("UPDATE events SET date_text = 'in 2014' WHERE event_id = ?", [ids[0]])
        ev = dyad_events(store, ActorSpec.parse("RUS"), ActorSpec.parse("UKR"))
        assert list(ev["event_id"]) == [ids[1]]
        assert dyad_series(store, "RUS", "UKR").frame["events"].sum() == 1
    finally:
        store.close()


def test_analytics_tension_a_side_implied_by_the_article_weighs_half(tmp_path):
    """The coder fills a side the sentence leaves implicit from the article ("the shelling of Kharkiv" in an
    article about Russia's attacks); the series counts such an event at IMPLIED_SIDE_WEIGHT of a named one."""
    from flashpoint.nlp.pipeline import default_coder

    text = ("Russian forces shelled Kharkiv on Monday. Russian troops also attacked Izium. Russian artillery hit "
            "Sumy the same day. The shelling of Chernihiv killed four people.")
    [(article, events)] = list(default_coder().code_articles(
        [make_coded("imp", text, D0, "Test Wire", []).article]))
    implied = [e for e in events for side in (e.source, e.target)
               if side is not None and (side.resolution or "").startswith(IMPLIED_MARK)]
    assert implied, [(e.trigger_text, e.source, e.target) for e in events]  # the coder's mark, as tension reads it
    store = open_store(tmp_path / "imp.duckdb")
    try:
        from flashpoint.nlp.pipeline import CodedArticle

        store.write_batch([CodedArticle(article, [], events)], "r1")
        ev = dyad_events(store, ActorSpec.parse("RUS"), ActorSpec.parse("UKR"), use_clusters=False)
        factors = dict(zip(ev["event_id"], ev["sides_factor"]))
        assert {factors[e.event_id] for e in implied if e.event_id in factors} == {IMPLIED_SIDE_WEIGHT}
        named = [e for e in events if e not in implied and e.event_id in factors]
        assert named and {factors[e.event_id] for e in named} == {1.0}
    finally:
        store.close()
