"""The event store: idempotent writes, replacement of changed articles, filters, parameterised queries."""

import datetime as dt

import pytest

from flashpoint.errors import QueryError, StoreError
from flashpoint.store.db import open_store
from flashpoint.testing import make_coded

D = dt.date(2022, 2, 24)


@pytest.fixture()
def store(tmp_path):
    s = open_store(tmp_path / "t.duckdb")
    yield s
    s.close()


def _batch():
    return [
        make_coded("a1", "Russian forces attacked Kharkiv.", D, "Wire A", [dict(event_type="ASSAULT", source="RUS", target="UKR", trigger="attacked")]),
        make_coded("a2", "Ukraine accused Russia of shelling.", D + dt.timedelta(days=1), "Wire B",
                   [dict(event_type="ACCUSE", source="UKR", target="RUS", trigger="accused", confidence=0.4)]),
        make_coded("a3", "The US sent aid to Ukraine.", D, "Wire A", [dict(event_type="AID", source="USA", target="UKR", trigger="sent")]),
    ]


def test_store_write_is_idempotent(store):
    first = store.write_batch(_batch(), "r1")
    again = store.write_batch(_batch(), "r2")
    assert first == {"new": 3, "updated": 0, "unchanged": 0, "events": 3}
    assert again["unchanged"] == 3 and again["new"] == 0
    assert store.stats()["events"] == 3 and store.stats()["articles"] == 3


def test_store_changed_article_is_replaced(store):
    store.write_batch(_batch(), "r1")
    changed = make_coded("a1", "Russian forces attacked and shelled Kharkiv.", D, "Wire A",
                         [dict(event_type="ASSAULT", trigger="attacked"), dict(event_type="ASSAULT", trigger="shelled")])
    counts = store.write_batch([changed], "r2")
    assert counts["updated"] == 1
    assert len(store.events(article_id="a1")) == 2
    assert store.stats()["articles"] == 3


@pytest.mark.parametrize(
    "filters,expected",
    [
        ({"actor": "USA"}, {"a3"}),
        ({"dyad": ("RUS", "UKR")}, {"a1", "a2"}),
        ({"dyad": ("RUS", "UKR"), "directed": True}, {"a1"}),
        ({"event_type": "ACCUSE"}, {"a2"}),
        ({"since": D + dt.timedelta(days=1)}, {"a2"}),
        ({"until": D}, {"a1", "a3"}),
        ({"outlet": "Wire B"}, {"a2"}),
        ({"min_confidence": 0.5}, {"a1", "a3"}),
    ],
)
def test_store_filters(store, filters, expected):
    store.write_batch(_batch(), "r1")
    assert {e["article_id"] for e in store.events(**filters)} == expected


@pytest.mark.parametrize("evil", ["'; DROP TABLE events; --", "%' OR 1=1 --", 'RUS" OR "1"="1', "\x00"])
def test_store_injection_strings_are_data(store, evil):
    store.write_batch(_batch(), "r1")
    assert store.events(actor=evil) == []
    assert store.events(outlet=evil) == []
    assert store.events(dyad=(evil, "UKR")) == []
    assert store.stats()["events"] == 3


def test_store_since_after_until_is_refused(store):
    with pytest.raises(QueryError, match="--since must be before --until"):
        store.events(since=D, until=D - dt.timedelta(days=1))


def test_store_missing_read_only_path_teaches(tmp_path):
    with pytest.raises(StoreError, match="flashpoint ingest"):
        open_store(tmp_path / "nope.duckdb", read_only=True)


def test_store_skipped_are_recorded_once(store):
    from flashpoint.models import Skipped

    items = [Skipped("f.jsonl:3", "bad JSON; fix the line", "E102", raw="{x")]
    store.add_skipped(items, "r1")
    store.add_skipped(items, "r2")
    rows = store.skipped()
    assert len(rows) == 1 and rows[0]["origin"] == "f.jsonl:3"
