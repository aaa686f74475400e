"""Event clusters on hand-built multi-article cases: syndication, cited sources, independent reports,
different happenings between the same actors, incremental ingest, rebuild and batch-order independence.

All texts here are written for these tests; no model is needed (``flashpoint.testing.make_coded``).
"""

from __future__ import annotations

import datetime as dt
import json
import random

import pytest

from flashpoint.analytics.clusters import (
    cluster_rows,
    explain_cluster,
    outlet_name,
    rebuild_clusters,
    same_happening,
    syndication_groups,
    update_clusters,
    why_apart,
)
from flashpoint.errors import QueryError
from flashpoint.store.db import EventStore
from flashpoint.testing import make_coded

D = dt.date(2022, 3, 14)

WIRE = (
    "Russian artillery shelled the port district of Mariupol overnight, local officials said on Monday, "
    "and rescue teams were still searching the rubble of two apartment blocks near the harbour."
)
PARAPHRASE = (
    "Apartment blocks near the Mariupol harbour were hit when Russian artillery shelled the port district "
    "overnight; rescue teams searched the rubble through the morning."
)
OTHER_PLACE = (
    "Russian missiles struck a fuel depot outside Lutsk in the far west, the regional governor wrote, "
    "sending black smoke over the airfield road."
)


@pytest.fixture
def store():
    s = EventStore(":memory:")
    yield s
    s.close()


def _ingest(store: EventStore, coded: list, run: str = "run-test") -> dict:
    store.write_batch(coded, run)
    return update_clusters(store, [c.article.id for c in coded])


def _art(aid, text, day=D, outlet="Wire A", published_at=None, **ev):
    ev.setdefault("trigger", "shelled" if "shelled" in text else text.split()[2])
    ev.setdefault("event_type", "ASSAULT")
    coded = make_coded(aid, text, day, outlet, [ev])
    coded.article.published_at = published_at
    return coded


def _cluster_of(store, article_id):
    rows = store.query("SELECT cluster_id FROM events WHERE article_id = ?", [article_id])
    assert len(rows) == 1
    return rows[0]["cluster_id"]


def _cluster(store, cid):
    return store.query("SELECT * FROM clusters WHERE cluster_id = ?", [cid])[0]


def _partition(store):
    rows = store.query("SELECT event_id, cluster_id FROM events ORDER BY event_id")
    groups: dict[str, set] = {}
    for r in rows:
        assert r["cluster_id"] is not None, f"{r['event_id']} left unclustered"
        groups.setdefault(r["cluster_id"], set()).add(r["event_id"])
    return {cid: frozenset(v) for cid, v in groups.items()}


# ------------------------------------------------------------------------------------------ hand-built cases
@pytest.mark.parametrize("copy_outlet", ["Daily", "Herald"])
def test_clusters_syndicated_copy_is_one_source(store, copy_outlet):
    _ingest(store, [_art("a1", WIRE, D, "Wire A"), _art("a2", WIRE, D + dt.timedelta(days=1), copy_outlet)])
    cid = _cluster_of(store, "a1")
    assert _cluster_of(store, "a2") == cid
    c = _cluster(store, cid)
    assert (c["n_reports"], c["n_outlets"], c["n_independent"]) == (2, 2, 1)
    assert c["first_outlet"] == "Wire A"
    dups = store.query("SELECT article_id, duplicate_of, similarity FROM article_duplicates")
    assert [(d["article_id"], d["duplicate_of"]) for d in dups] == [("a2", "a1")]
    assert dups[0]["similarity"] > 0.9
    assert syndication_groups(store, ["a1", "a2"]) == {"a1": "a1", "a2": "a1"}
    assert "syndicated copy of Wire A" in json.loads(c["independence"])[0]["source"]


@pytest.mark.parametrize("cited", [("Sputnik",), ("Sputnik News",)])
def test_clusters_two_outlets_citing_one_source_count_once(store, cited):
    a = _art("b1", WIRE, D, "Gazette", outlets=("Sputnik",))
    b = _art("b2", PARAPHRASE, D, "Tribune", outlets=cited)
    _ingest(store, [a, b])
    cid = _cluster_of(store, "b1")
    assert _cluster_of(store, "b2") == cid
    c = _cluster(store, cid)
    assert (c["n_reports"], c["n_outlets"], c["n_independent"]) == (2, 2, 1)
    assert json.loads(c["independence"])[0]["source"] == "cited outlet Sputnik"
    assert store.query("SELECT count(*) AS n FROM article_duplicates")[0]["n"] == 0


def test_clusters_citing_an_outlet_and_that_outlets_own_report_count_once(store):
    _ingest(store, [_art("c1", WIRE, D, "Sputnik"), _art("c2", PARAPHRASE, D, "Post", outlets=("Sputnik",))])
    c = _cluster(store, _cluster_of(store, "c1"))
    assert (c["n_reports"], c["n_independent"]) == (2, 1)


@pytest.mark.parametrize("day_b", [D, D + dt.timedelta(days=1), D + dt.timedelta(days=2)])
def test_clusters_two_independent_reports_are_two_sources(store, day_b):
    _ingest(store, [_art("d1", WIRE, D, "Gazette"), _art("d2", PARAPHRASE, day_b, "Tribune")])
    cid = _cluster_of(store, "d1")
    assert _cluster_of(store, "d2") == cid
    c = _cluster(store, cid)
    assert (c["n_reports"], c["n_outlets"], c["n_independent"]) == (2, 2, 2)
    assert c["event_date"] == D


@pytest.mark.parametrize(
    "text_b,loc_a,loc_b",
    [
        (OTHER_PLACE, None, None),  # clearly different wording
        (PARAPHRASE, {"name": "Mariupol", "country": "UKR"}, {"name": "Kharkiv", "country": "UKR"}),  # different places
    ],
)
def test_clusters_different_happenings_same_day_same_actors_stay_apart(store, text_b, loc_a, loc_b):
    trig_b = "struck" if text_b is OTHER_PLACE else "shelled"
    _ingest(store, [_art("e1", WIRE, D, "Gazette", location=loc_a), _art("e2", text_b, D, "Tribune", trigger=trig_b, location=loc_b)])
    assert _cluster_of(store, "e1") != _cluster_of(store, "e2")
    assert store.query("SELECT count(*) AS n FROM clusters")[0]["n"] == 2


@pytest.mark.parametrize(
    "change",
    [
        dict(modality="negated"),  # "did not shell" vs "shelled"
        dict(source="UKR", target="RUS"),  # reversed orientation of a one-way act
        dict(event_type="SANCTION"),  # incompatible type
        dict(day=D + dt.timedelta(days=4)),  # too far apart in time
    ],
)
def test_clusters_reports_that_cannot_match_stay_apart(store, change):
    change = dict(change)
    day_b = change.pop("day", D)
    _ingest(store, [_art("f1", WIRE, D, "Gazette"), _art("f2", PARAPHRASE, day_b, "Tribune", **change)])
    assert _cluster_of(store, "f1") != _cluster_of(store, "f2")


@pytest.mark.parametrize(
    "actors_b,together",
    [
        (("RUS", None), True),  # the coder left the target unresolved in one report
        ((None, "UKR"), True),
        (("BLR", "UKR"), False),  # a different source
        ((None, None), False),  # nothing to compare the actors on: wording alone is not similar enough
    ],
)
def test_clusters_unresolved_actor_neither_agrees_nor_contradicts(store, actors_b, together):
    _ingest(store, [_art("n1", WIRE, D, "Gazette"), _art("n2", PARAPHRASE, D, "Tribune", source=actors_b[0], target=actors_b[1])])
    assert (_cluster_of(store, "n1") == _cluster_of(store, "n2")) is together


def _row(text, **kw):
    row = dict(event_id="ev-x", event_type="ASSAULT", source_code="RUS", target_code="UKR", source_text=None, target_text=None,
               modality="asserted", reciprocal=False, location=None, location_country=None, trigger_text="shelled",
               event_date=D, date_text=None, cluster_id=None, sentence=text)
    row.update(kw)
    return row


@pytest.mark.parametrize(
    "b,reason",
    [
        (_row(PARAPHRASE), ""),
        (_row(PARAPHRASE, source_code="BLR"), "actors differ"),
        (_row(PARAPHRASE, event_type="AID"), "types ASSAULT and AID"),
        (_row(PARAPHRASE, event_date=D + dt.timedelta(days=5)), "dates too far"),
        (_row(PARAPHRASE, modality="denied"), "one is negated"),
        (_row(OTHER_PLACE, trigger_text="struck"), "wording too different"),
    ],
)
def test_clusters_why_apart_names_the_failing_rule(b, reason):
    a = _row(WIRE)
    got = why_apart(a, b)
    assert got.startswith(reason) if reason else got == ""
    assert (same_happening(a, b) > 0) is (reason == "")


def test_clusters_reciprocal_types_match_in_either_orientation(store):
    t1 = "Foreign ministers of Russia and Ukraine met in Antalya on Thursday for talks that ended without a ceasefire."
    t2 = "Talks between the Ukrainian and Russian foreign ministers in Antalya ended on Thursday without a ceasefire."
    a = _art("g1", t1, D, "Gazette", event_type="CONSULT", source="RUS", target="UKR", trigger="met")
    b = _art("g2", t2, D, "Tribune", event_type="CONSULT", source="UKR", target="RUS", trigger="Talks")
    _ingest(store, [a, b])
    assert _cluster_of(store, "g1") == _cluster_of(store, "g2")


def test_clusters_incremental_batch_joins_existing_cluster(store):
    r1 = _ingest(store, [_art("h1", WIRE, D, "Gazette")])
    assert r1 == {"events": 1, "new_clusters": 1, "joined": 0, "reassigned": 0}
    cid = _cluster_of(store, "h1")
    r2 = _ingest(store, [_art("h2", PARAPHRASE, D + dt.timedelta(days=1), "Tribune"), _art("h3", OTHER_PLACE, D, "Post", trigger="struck")])
    assert r2 == {"events": 2, "new_clusters": 1, "joined": 1, "reassigned": 0}
    assert _cluster_of(store, "h1") == _cluster_of(store, "h2") == cid
    c = _cluster(store, cid)
    assert (c["n_reports"], c["n_outlets"], c["n_independent"]) == (2, 2, 2)
    assert store.query("SELECT count(*) AS n FROM events")[0]["n"] == 3, "no report is deleted"
    # a later syndicated copy of the first report adds a report but no independent source
    _ingest(store, [_art("h4", WIRE, D + dt.timedelta(days=1), "Daily")])
    c = _cluster(store, cid)
    assert (c["n_reports"], c["n_outlets"], c["n_independent"]) == (3, 3, 2)


def test_clusters_rebuild_gives_same_partition_and_rows(store):
    batches = [
        [_art("i1", WIRE, D, "Gazette"), _art("i2", OTHER_PLACE, D, "Post", trigger="struck")],
        [_art("i3", PARAPHRASE, D + dt.timedelta(days=1), "Tribune", outlets=("Sputnik",))],
        [_art("i4", WIRE, D + dt.timedelta(days=1), "Daily")],
    ]
    for b in batches:
        _ingest(store, b)
    before = _partition(store)
    rows_before = [{k: v for k, v in r.items() if k != "updated_at"} for r in store.query("SELECT * FROM clusters ORDER BY cluster_id")]
    res = rebuild_clusters(store)
    assert res["events"] == 4
    assert _partition(store) == before
    rows_after = [{k: v for k, v in r.items() if k != "updated_at"} for r in store.query("SELECT * FROM clusters ORDER BY cluster_id")]
    assert rows_after == rows_before
    assert store.query("SELECT count(*) AS n FROM events")[0]["n"] == 4


@pytest.mark.parametrize(
    "times,first",
    [
        (("2022-03-14T09:00:00+00:00", "2022-03-14T08:30:00+00:00"), "Tribune"),
        (("2022-03-14T09:00:00+02:00", "2022-03-14T08:30:00+00:00"), "Gazette"),  # 07:00 UTC is earlier
        ((None, "2022-03-14T08:30:00+00:00"), "Tribune"),  # a known time beats an unknown one on the same day
    ],
)
def test_clusters_first_seen_and_first_outlet(store, times, first):
    _ingest(store, [_art("j1", WIRE, D, "Gazette", published_at=times[0]), _art("j2", PARAPHRASE, D, "Tribune", published_at=times[1])])
    c = _cluster(store, _cluster_of(store, "j1"))
    assert c["first_outlet"] == first
    assert c["first_seen"] == (times[0] if first == "Gazette" else times[1])


def test_clusters_daily_similar_reports_do_not_chain_into_one_cluster(store):
    coded = [_art(f"k{i}", WIRE, D + dt.timedelta(days=i), "Gazette" if i % 2 else "Tribune") for i in range(8)]
    _ingest(store, coded)
    rows = store.query("SELECT cluster_id, min(event_date) AS lo, max(event_date) AS hi FROM events GROUP BY 1")
    assert len(rows) >= 3
    assert all((r["hi"] - r["lo"]).days <= 2 for r in rows)


def test_clusters_explain_and_rows(store):
    _ingest(store, [_art("l1", WIRE, D, "Gazette"), _art("l2", WIRE, D, "Daily"), _art("l3", PARAPHRASE, D, "Tribune")])
    cid = _cluster_of(store, "l1")
    text = explain_cluster(store, cid)
    assert "3 from 3 outlet(s); 2 independent source(s)" in text
    rows = cluster_rows(store, dyad=("RUS", "UKR"))
    assert [r["cluster_id"] for r in rows] == [cid]
    with pytest.raises(QueryError, match="no cluster"):
        explain_cluster(store, "cl-missing")


@pytest.mark.parametrize("name,canonical", [("the AP", "Associated Press"), ("Sputnik News", "Sputnik"), ("Gazette", "Gazette"), ("The Gazette", "Gazette")])
def test_clusters_outlet_names_are_normalised(name, canonical):
    assert outlet_name(name) == canonical


# ------------------------------------------------------------------------------------------ order independence
def _random_articles(seed: int, n_happenings: int = 30) -> list:
    """Happenings between a few actor pairs, each reported 1-4 times (paraphrased, copied or cited)."""
    rng = random.Random(seed)
    places = ["Mariupol", "Kharkiv", "Odesa", "Lviv", "Sumy", "Irpin", "Bucha", "Kherson", "Izium", "Mykolaiv"]
    acts = [("ASSAULT", "shelled", "RUS", "UKR"), ("ASSAULT", "bombed", "RUS", "UKR"), ("CONSULT", "met", "RUS", "UKR"),
            ("SANCTION", "sanctioned", "USA", "RUS"), ("AID", "delivered", "USA", "UKR")]
    nouns = ["depot", "bridge", "school", "station", "market", "hospital", "convoy", "airfield", "factory", "harbour"]
    out = []
    for h in range(n_happenings):
        etype, verb, s, t = rng.choice(acts)
        place, noun = rng.choice(places), rng.choice(nouns)
        day = D + dt.timedelta(days=rng.randrange(10))
        detail = " ".join(rng.sample(["overnight", "officials", "witnesses", "smoke", "sirens", "rubble", "dozens", "injured", "morning", "columns"], 4))
        base = f"Forces {verb} the {noun} in {place}, {detail}."
        for k in range(rng.choice([1, 1, 2, 3, 4])):
            style = rng.choice(["copy", "para", "cite"])
            text = base if style == "copy" else f"In {place} the {noun} was {verb} by forces; {detail} reported {k}."
            src, tgt = (None, t) if rng.random() < 0.15 else (s, None) if rng.random() < 0.15 else (s, t)  # unresolved actors
            out.append(make_coded(
                f"r{seed}-{h}-{k}", text, day + dt.timedelta(days=rng.choice([0, 0, 1])), rng.choice(["Gazette", "Post", "Herald", "Tribune"]),
                [dict(event_type=etype, source=src, target=tgt, trigger=verb, outlets=("Sputnik",) if style == "cite" else ())],
            ))
    rng.shuffle(out)
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_clusters_partition_independent_of_batches_and_order(seed):
    articles = _random_articles(seed)
    results = []
    rev = list(reversed(articles))
    small = [rev[i : i + 4] for i in range(0, len(rev), 4)]  # reversed order, many small batches
    reassigned = 0
    for split in ([articles], [articles[i::3] for i in range(3)], small):
        store = EventStore(":memory:")
        for batch in split:
            reassigned += _ingest(store, batch)["reassigned"]
        results.append((_partition(store), [{k: v for k, v in r.items() if k != "updated_at"} for r in store.query("SELECT * FROM clusters ORDER BY cluster_id")]))
        rebuild_clusters(store)
        assert _partition(store) == results[-1][0], "rebuild differs from incremental"
        store.close()
    assert results[0] == results[1] == results[2]
    partition = results[0][0]
    assert 10 < len(partition) < len(articles), "some reports were merged, not all"
    assert reassigned > 0, "later batches moved earlier reports (the incremental re-decision was exercised)"


def test_clusters_replaced_article_leaves_consistent_clusters(store):
    first = [_art("m1", WIRE, D, "Gazette"), _art("m2", PARAPHRASE, D, "Tribune"), _art("m3", WIRE, D + dt.timedelta(days=1), "Daily")]
    _ingest(store, first)
    # m1 is re-ingested with another text: its old event disappears, the cluster it opened must be re-formed
    _ingest(store, [_art("m1", OTHER_PLACE, D, "Gazette", trigger="struck")], run="run-2")
    update_clusters(store, None)  # the catch-up pass that ends every ingest
    incremental = _partition(store)
    counts = {r["cluster_id"]: r["n_reports"] for r in store.query("SELECT cluster_id, n_reports FROM clusters")}
    assert counts == {cid: len(v) for cid, v in incremental.items()}
    rebuild_clusters(store)
    assert _partition(store) == incremental


def test_clusters_type_compatibility_is_symmetric():
    # the clustering's result is independent of arrival order only if "compatible" reads the same both ways
    from flashpoint.analytics.clusters import COMPATIBLE

    for a, others in COMPATIBLE.items():
        for b in others:
            assert a in COMPATIBLE.get(b, {b}), f"{a} -> {b} but not {b} -> {a}"


def test_clusters_catch_up_after_an_interrupted_batch_gives_the_same_clusters():
    # a crash between writing a batch and clustering it leaves events without a cluster; the catch-up pass
    # (update_clusters(store, None), run at the end of every ingest) must give what an uninterrupted run gives
    articles = _random_articles(5)
    batches = [articles[i : i + 10] for i in range(0, len(articles), 10)]
    partitions = []
    for interrupted in (None, 1):
        store = EventStore(":memory:")
        for k, batch in enumerate(batches):
            if k == interrupted:
                store.write_batch(batch, "run-crashed")
            else:
                _ingest(store, batch)
        update_clusters(store, None)
        partitions.append((_partition(store), store.query("SELECT cluster_id, n_reports, n_independent FROM clusters ORDER BY 1")))
        store.close()
    assert partitions[0] == partitions[1]


# ------------------------------------------------------------------------------------------ bounded work
@pytest.mark.parametrize("seed", [1, 4, 6, 9])
def test_clusters_grouped_passes_and_capped_candidates_keep_order_independence(seed, monkeypatch):
    # one report per group (MAX_LOADED tiny) and few candidates per key (MAX_CANDIDATES tiny) change how much
    # is loaded and compared, never what the result depends on: the partition is still a function of the set
    import flashpoint.analytics.clusters as cl

    articles = _random_articles(seed, n_happenings=60)
    monkeypatch.setattr(cl, "MAX_CANDIDATES", 2)
    partitions = []
    for max_loaded in (10**9, 1):
        monkeypatch.setattr(cl, "MAX_LOADED", max_loaded)
        partitions += _clusterings([[articles], [articles[i : i + 5] for i in range(0, len(articles), 5)][::-1]])
    assert all(p == partitions[0] for p in partitions)


def _clusterings(splits):
    """Ingest the same articles in each split (a list of batches); each result is (partition, cluster rows), and
    a rebuild must give the same partition as the incremental passes."""
    out = []
    for split in splits:
        store = EventStore(":memory:")
        for batch in split:
            _ingest(store, batch)
        out.append((_partition(store), store.query("SELECT cluster_id, n_reports, n_independent FROM clusters ORDER BY 1")))
        rebuild_clusters(store)
        assert _partition(store) == out[-1][0], "rebuild differs from incremental"
        store.close()
    return out


def test_clusters_grouped_pass_splits_a_spread_batch(monkeypatch):
    # a batch whose reports are spread over months is decided in several groups when one would load too much
    import flashpoint.analytics.clusters as cl

    store = EventStore(":memory:")
    arts = [_art(f"g{k}", WIRE, D + dt.timedelta(days=30 * k), "Gazette") for k in range(6)]
    store.write_batch(arts, "run-test")
    dirty = [cl._report(r) for r in store.query(cl.CLUSTER_SQL)]
    assert len(cl._groups(store, dirty, cl.WINDOW_DAYS)) == 1
    monkeypatch.setattr(cl, "MAX_LOADED", 2)
    groups = cl._groups(store, dirty, cl.WINDOW_DAYS)
    assert len(groups) > 1 and sorted(r.event_id for g in groups for r in g) == sorted(r.event_id for r in dirty)
    assert [min(r.day for r in g) for g in groups] == sorted(min(r.day for r in g) for g in groups)


def test_clusters_dense_coverage_compares_each_report_with_a_bounded_number(monkeypatch):
    # 400 copies of one report on one day: every copy joins one cluster, and the pairwise comparisons stay
    # within MAX_CANDIDATES per report instead of growing with the number of earlier copies
    import flashpoint.analytics.clusters as cl

    calls = {"n": 0}
    real = cl._similarity

    def counting(a, b, w):
        calls["n"] += 1
        return real(a, b, w)

    monkeypatch.setattr(cl, "_similarity", counting)
    monkeypatch.setattr(cl, "MAX_CANDIDATES", 20)
    store = EventStore(":memory:")
    arts = [_art(f"d{k:03d}", WIRE, D, f"Outlet {k % 7}") for k in range(400)]
    for i in range(0, len(arts), 50):
        _ingest(store, arts[i : i + 50])
    assert len(_partition(store)) == 1
    assert calls["n"] <= 400 * 20 * 3, calls["n"]  # at most 3 actor keys are looked up for a report with both actors


def test_clusters_new_report_that_pushes_a_match_out_of_the_capped_candidates_redecides_later_ones(monkeypatch):
    # with two candidates per key, two unrelated reports that arrive later but sit between A and R in time
    # push A out of R's candidates: R must be decided again, as a rebuild would decide it
    import flashpoint.analytics.clusters as cl

    monkeypatch.setattr(cl, "MAX_CANDIDATES", 2)
    unrelated = ["Russian forces seized a grain terminal in Kherson after a long standoff with local volunteers.",
                 "Russian troops detained a village council head near Melitopol and searched several farms."]
    store = EventStore(":memory:")
    _ingest(store, [_art("A", WIRE, D - dt.timedelta(days=1)), _art("R", PARAPHRASE, D + dt.timedelta(days=1))])
    assert _cluster_of(store, "A") == _cluster_of(store, "R")
    _ingest(store, [_art(f"B{k}", t, D, trigger=t.split()[2]) for k, t in enumerate(unrelated)])
    incremental = _partition(store)
    rebuild_clusters(store)
    assert _partition(store) == incremental
    assert _cluster_of(store, "A") != _cluster_of(store, "R")


def test_clusters_pass_is_due_for_new_days_and_deferred_for_a_report_among_many_old_ones():
    # ingest clusters after each batch when the batch's days hold few stored reports (articles in date order),
    # and lets out-of-order articles accumulate until a pass loads at most PASS_RATIO stored reports per new one
    from flashpoint.analytics.clusters import PASS_RATIO, pass_due

    store = EventStore(":memory:")
    old = [_art(f"o{d}-{k}", WIRE, D + dt.timedelta(days=d), f"Outlet {k}") for d in range(30) for k in range(12)]
    _ingest(store, old)
    late = _art("late", PARAPHRASE, D + dt.timedelta(days=60))
    middle = [_art(f"mid{k}", PARAPHRASE, D + dt.timedelta(days=15)) for k in range(60)]
    store.write_batch([late] + middle, "run-test")
    assert pass_due(store, ["late"])  # a new day: the pass loads only the new report
    assert not pass_due(store, ["mid0"])  # one report among 5 days x 12 stored ones
    # enough accumulated reports make the same pass worth it
    assert pass_due(store, [f"mid{k}" for k in range(60)], ratio=PASS_RATIO)
    assert not pass_due(store, [])


def test_clusters_ingest_of_shuffled_articles_defers_passes_and_gives_the_clusters_of_an_ordered_ingest(monkeypatch):
    import flashpoint.analytics.clusters as cl
    from flashpoint.ingest.run import ingest

    coded = _random_articles(7, n_happenings=80)
    by_id = {c.article.id: c for c in coded}

    class PreCoded:  # stands in for the coder: returns the prepared events of each article
        def process(self, articles, n_process=1):
            for a in articles:
                yield by_id[a.id]

    passes = {"n": 0}
    real = cl.update_clusters

    def counting(store, ids=None, *a, **k):
        passes["n"] += ids is not None
        return real(store, ids, *a, **k)

    monkeypatch.setattr(cl, "update_clusters", counting)
    results = []
    for order in (sorted(coded, key=lambda c: (c.article.date, c.article.id)), coded):
        passes["n"] = 0
        store = EventStore(":memory:")
        ingest(None, store, coder=PreCoded(), articles=[c.article for c in order], batch_articles=4)
        results.append((_partition(store), passes["n"]))
        store.close()
    (ordered, ordered_passes), (shuffled, shuffled_passes) = results
    assert shuffled == ordered
    batches = -(-len(coded) // 4)
    assert shuffled_passes < ordered_passes <= batches, (shuffled_passes, ordered_passes)


def test_clusters_a_word_for_word_copy_that_cannot_join_does_not_hide_other_matches():
    # R's copy C is dated too far from R (explicit dates two days apart) to be the same happening; the
    # paraphrase P of the same day must still be found although C is worded exactly like R
    store = EventStore(":memory:")
    _ingest(store, [_art("C", WIRE, D - dt.timedelta(days=1), "Gazette"), _art("P", PARAPHRASE, D + dt.timedelta(days=1), "Tribune")])
    for c in store.query("SELECT event_id FROM events"):
        store.con.execute("UPDATE events SET date_text = 'on Monday' WHERE event_id = ?", [c["event_id"]])
    rebuild_clusters(store)
    r = _art("R", WIRE, D + dt.timedelta(days=1), "Herald")
    r.events[0].date_text = "on Tuesday"
    _ingest(store, [r])
    assert _cluster_of(store, "R") == _cluster_of(store, "P") != _cluster_of(store, "C")


# ------------------------------------------------------------------------------------------ many keys per report
_UNRELATED = [
    "Russian forces seized a grain terminal in Kherson after a long standoff with local volunteers.",
    "Russian troops detained a village council head near Melitopol and searched several farms.",
    "Gunners pounded a rail junction east of Lyman as columns of trucks withdrew along the river.",
    "Drones hit a power substation outside Zhytomyr, cutting electricity to thousands of homes.",
    "Paratroopers blockaded a customs post on the northern border and turned back grain lorries.",
    "Warships fired cruise missiles at an oil refinery near Kremenchuk before dawn on Thursday.",
]
# ASSAULT matches COERCE and MOBILIZE, and a report with both actors known also sees reports that left one of them
# unresolved: nine index keys for one report
_KEYS = [(t, s, g) for t in ("ASSAULT", "COERCE", "MOBILIZE") for s, g in (("RUS", "UKR"), ("RUS", None), (None, "UKR"))]


def _mixed_articles(seed: int, n: int = 70) -> list:
    """Reports under many index keys at once: compatible types, unresolved actors, a few days."""
    rng = random.Random(seed)
    out = []
    for k in range(n):
        t, s, g = rng.choice(_KEYS)
        text = rng.choice([WIRE, PARAPHRASE, *_UNRELATED])
        out.append(_art(f"x{seed}-{k}", text, D + dt.timedelta(days=rng.randrange(4)), rng.choice(["Gazette", "Post", "Herald"]),
                        trigger=text.split()[2], event_type=t, source=s, target=g))
    rng.shuffle(out)
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_clusters_capped_candidates_under_many_keys_keep_order_independence(seed, monkeypatch):
    # dense reports under many keys with a tiny cap: new reports land both inside a later report's capped
    # candidates and just before them, and the displaced-candidate check must skip the new ones below the cap
    # (seed 3 failed when it did not)
    import flashpoint.analytics.clusters as cl

    monkeypatch.setattr(cl, "MAX_CANDIDATES", 3)
    articles = _mixed_articles(seed)
    partitions = _clusterings([[articles], [articles[i : i + 5] for i in range(0, len(articles), 5)][::-1],
                               [articles[i::4] for i in range(4)]])
    assert partitions[0] == partitions[1] == partitions[2]
    assert len(partitions[0][0]) < len(articles), "some reports were merged"
