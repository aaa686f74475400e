"""What a clustering pass holds: it is split by component of compatible types (each loads only its types) and
loads only the columns the walk needs, without changing any clustering result.

All texts here are written for these tests; no model is needed (``flashpoint.testing.make_coded``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import random

import pytest

import flashpoint.analytics.clusters as cl
from flashpoint.store.db import EventStore
from flashpoint.testing import make_coded

D = dt.date(2022, 3, 14)
TEXTS = [
    "Russian artillery shelled the port district of Mariupol overnight and officials met envoys to warn of more strikes.",
    "Apartment blocks near the Mariupol harbour were shelled overnight; envoys met officials who warned of reprisals.",
    "Russian forces seized a grain terminal in Kherson while negotiators met in Istanbul and sanctions were threatened.",
    "Drones hit a power substation outside Zhytomyr as ministers met donors who pledged aid and threatened sanctions.",
]
# (type, trigger): the triggers are words of every text, so each event of an article has its own id
KINDS = [("ASSAULT", "shelled"), ("COERCE", "seized"), ("MOBILIZE", "forces"), ("CONSULT", "met"), ("AGREE", "envoys"),
         ("AID", "officials"), ("THREATEN", "warn"), ("ACCUSE", "overnight"), ("SANCTION", "sanctions")]
ACTORS = [("RUS", "UKR"), ("UKR", "RUS"), ("RUS", None), (None, "UKR"), ("USA", "RUS")]
PLACES = [None, {"kind": "city", "name": "Mariupol", "country": "UKR"}, {"kind": "country", "name": "Ukraine", "country": "UKR"},
          {"kind": "city", "name": "Kherson", "country": "UKR"}]


def _articles(seed: int, n: int = 50) -> list:
    """Articles with 1-3 events each of types from several components, actors partly unresolved, a few days."""
    rng = random.Random(seed)
    out = []
    for k in range(n):
        text = rng.choice(TEXTS)
        kinds = [kd for kd in KINDS if kd[1] in text]
        events = []
        for etype, trigger in rng.sample(kinds, rng.randint(1, min(3, len(kinds)))):
            s, t = rng.choice(ACTORS)
            events.append(dict(event_type=etype, source=s, target=t, trigger=trigger, location=rng.choice(PLACES),
                               modality=rng.choice(["asserted"] * 5 + ["negated"])))
        out.append(make_coded(f"m{seed}-{k}", text, D + dt.timedelta(days=rng.randrange(5)), rng.choice(["Gazette", "Post", "Herald"]), events))
    rng.shuffle(out)
    return out


def _result(store: EventStore) -> tuple:
    """(event -> cluster, the cluster rows without their time stamp)."""
    assign = {r["event_id"]: r["cluster_id"] for r in store.query("SELECT event_id, cluster_id FROM events ORDER BY 1")}
    assert None not in assign.values(), "a report was left unclustered"
    rows = [{k: v for k, v in r.items() if k != "updated_at"} for r in store.query("SELECT * FROM clusters ORDER BY cluster_id")]
    return assign, rows


def _cluster(splits: list[list[list]]) -> list[tuple]:
    """Ingest the same articles in each split (a list of batches): its result; a rebuild must give the same."""
    out = []
    for split in splits:
        store = EventStore(":memory:")
        for batch in split:
            store.write_batch(batch, "run-test")
            cl.update_clusters(store, [c.article.id for c in batch])
        out.append(_result(store))
        cl.rebuild_clusters(store)
        assert _result(store) == out[-1], "rebuild differs from incremental"
        store.close()
    return out


def test_clusters_components_join_every_compatible_pair_and_nothing_else():
    comps = cl._components()
    for a, bs in cl.COMPATIBLE.items():
        assert all(comps[b] == comps[a] for b in bs), a
    # types in different components are never compatible (in either direction)
    for a, b in itertools.product(comps, repeat=2):
        if comps[a] != comps[b]:
            assert b not in cl.COMPATIBLE.get(a, {a}) and a not in cl.COMPATIBLE.get(b, {b})
    assert len(set(comps.values())) == 3


@pytest.mark.parametrize("types", [("ASSAULT", "COERCE", "MOBILIZE"), ("AGREE", "AID", "CONSULT", "COOPERATE"), ("ACCUSE", "THREATEN"),
                                   ("SANCTION",), (None,)])
def test_clusters_load_of_one_component_reads_no_other_type(types):
    store = EventStore(":memory:")
    store.write_batch(_articles(1), "run-test")
    store.con.execute("UPDATE events SET event_type = NULL WHERE event_id IN (SELECT event_id FROM events ORDER BY event_id LIMIT 5)")
    stored = [r["event_type"] for r in store.query("SELECT event_type FROM events")]
    ranges = [(D.toordinal() - 10, D.toordinal() + 10)]
    loaded = cl._load(store, ranges, set(), types)
    assert {r.event_type for r in loaded} <= set(types)
    assert len(loaded) == sum(t in types for t in stored) > 0
    # the day counts that size the groups of a pass count the same reports
    assert cl._stored_between(store, types)(*ranges[0]) == len(loaded)
    assert len(cl._load(store, ranges, set())) == len(stored)
    store.close()


def test_clusters_narrow_load_builds_the_reports_of_the_full_rows():
    # _load reads only the columns the walk needs and shares repeated values; the reports must equal those built
    # from the full stored rows, field by field
    store = EventStore(":memory:")
    store.write_batch(_articles(2), "run-test")
    store.con.execute("UPDATE events SET date_text = 'on Monday', cluster_id = 'cl-x' WHERE event_type = 'ASSAULT'")
    full = {r["event_id"]: cl._report(r) for r in store.query(cl.CLUSTER_SQL)}
    loaded = cl._load(store, [(D.toordinal() - 10, D.toordinal() + 10)], set(list(full)[:3]))
    assert len(loaded) == len(full)
    fields = [f.name for f in dataclasses.fields(cl._Report) if f.name not in ("dirty", "_words", "_keys", "_lookup")]
    for r in loaded:
        assert [getattr(r, f) for f in fields] == [getattr(full[r.event_id], f) for f in fields], r.event_id
    assert sum(r.dirty for r in loaded) == 3
    assert any(r.place for r in loaded) and any(r.negated for r in loaded) and any(r.explicit for r in loaded)
    assert [(r.day, r.event_id) for r in loaded] == sorted((r.day, r.event_id) for r in loaded)
    store.close()


@pytest.mark.parametrize("seed", [1, 2])
def test_clusters_split_by_component_gives_what_one_walk_over_all_types_gives(seed, monkeypatch):
    # deciding each component alone (the default) and all types in one walk give the same clusters and rows,
    # in one batch, in many reversed batches and in interleaved ones, with tiny groups and candidate caps too
    articles = _articles(seed)
    splits = [[articles], [articles[i : i + 5] for i in range(0, len(articles), 5)][::-1], [articles[i::4] for i in range(4)]]
    split = _cluster(splits)
    assert split[0] == split[1] == split[2]
    assign, rows = split[0]
    assert len(rows) < len(assign), "some reports were merged"
    types = {r["event_type"] for r in rows}
    assert {"ASSAULT", "CONSULT", "THREATEN", "SANCTION"} <= types
    with monkeypatch.context() as m:
        m.setattr(cl, "_by_component", lambda reports: [(None, reports)] if reports else [])
        assert _cluster(splits[:2]) == split[:2]
    monkeypatch.setattr(cl, "MAX_LOADED", 1)
    monkeypatch.setattr(cl, "MAX_CANDIDATES", 2)
    tiny = _cluster(splits[:2])
    assert tiny[0] == tiny[1]
    monkeypatch.setattr(cl, "_by_component", lambda reports: [(None, reports)] if reports else [])
    assert _cluster(splits[:2]) == tiny


def test_clusters_every_cluster_holds_one_component():
    store = EventStore(":memory:")
    for batch in (_articles(4)[:30], _articles(4)[30:]):
        store.write_batch(batch, "run-test")
        cl.update_clusters(store, [c.article.id for c in batch])
    comps = cl._components()
    rows = store.query("SELECT cluster_id, list(DISTINCT event_type) AS types FROM events GROUP BY 1")
    assert any(len(r["types"]) > 1 for r in rows), "some cluster mixes compatible types"
    assert all(len({comps.get(t, (t,)) for t in r["types"]}) == 1 for r in rows)
    store.close()


def test_clusters_sentence_words_are_one_string_per_word_until_the_pass_ends():
    a = cl._sentence_words("Artillery shelled the harbour district overnight, officials said.")
    b = cl._sentence_words("Drones shelled a fuel depot near the harbour before dawn.")
    same = a & b
    assert same == {"shelled", "harbour"}
    for w in same:
        assert next(x for x in a if x == w) is next(x for x in b if x == w)
    store = EventStore(":memory:")
    batch = _articles(5, n=6)
    store.write_batch(batch, "run-test")
    cl.update_clusters(store, [c.article.id for c in batch])
    assert cl._VOCABULARY == {} and cl._sentence_words.cache_info().currsize == 0
    store.close()
