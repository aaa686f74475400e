"""The DuckDB memory limit of an ingest: a default that keeps the process small as the store grows, set for the
ingest only (readers keep DuckDB's own), overridden by argument or FLASHPOINT_MEMORY_LIMIT, and a teaching error
for a bad value before any work."""

from __future__ import annotations

import pytest

from flashpoint.errors import StoreError
from flashpoint.ingest.run import INGEST_MEMORY_LIMIT, ingest
from flashpoint.store.db import open_store
from flashpoint.testing import make_coded


def _limit_mib(store) -> float:
    number, unit = store.con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0].split()
    return float(number) * {"KiB": 1 / 1024, "MiB": 1, "GiB": 1024, "TiB": 1024**2}[unit]


class _Recording:
    """Stands in for the coder: codes each article as one prepared event and notes the store's memory limit."""

    def __init__(self, store):
        self.store, self.seen = store, []

    def process(self, articles, n_process=1):
        for a in articles:
            self.seen.append(_limit_mib(self.store))
            yield make_coded(a.id, a.text, a.date, a.outlet or "Wire", [dict(trigger=a.text.split()[1])])


def _articles():
    import datetime as dt

    from flashpoint.models import Article

    return [Article(id=f"m{k}", text=f"Artillery shelled depot {k} overnight near the river.", date=dt.date(2022, 3, 1 + k),
                    outlet="Wire", title=None, origin=f"test:m{k}") for k in range(3)]


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.delenv("FLASHPOINT_MEMORY_LIMIT", raising=False)
    s = open_store(tmp_path / "store.duckdb")
    yield s
    s.close()


@pytest.mark.parametrize("arg, env, mib", [
    (None, None, 488.3),      # INGEST_MEMORY_LIMIT, 512MB (DuckDB's MB are 1000**2 bytes)
    ("2GB", None, 1907.3),    # an argument wins
    (None, "300MB", 286.1),   # the environment when no argument
    ("1GB", "300MB", 953.7),
])
def test_ingest_holds_duckdb_memory_within_a_limit_and_restores_it(store, monkeypatch, arg, env, mib):
    assert INGEST_MEMORY_LIMIT == "512MB"
    if env:
        monkeypatch.setenv("FLASHPOINT_MEMORY_LIMIT", env)
    before = _limit_mib(store)
    assert before > 1024, "a store opened for reading and writing keeps DuckDB's own limit"
    coder = _Recording(store)
    summary = ingest(None, store, coder=coder, articles=_articles(), memory_limit=arg)
    assert summary.new == 3 and summary.events == 3
    assert coder.seen and all(m == pytest.approx(mib, rel=0.05) for m in coder.seen), coder.seen  # DuckDB prints "1.8 GiB"
    assert _limit_mib(store) == pytest.approx(before, rel=0.01)


def test_ingest_memory_limit_default_keeps_duckdbs_own(store):
    before = _limit_mib(store)
    coder = _Recording(store)
    ingest(None, store, coder=coder, articles=_articles(), memory_limit="default")
    assert coder.seen == [pytest.approx(before, rel=0.01)] * 3


@pytest.mark.parametrize("arg, env, origin", [("lots", None, "memory_limit"), (None, "12 parsecs", "FLASHPOINT_MEMORY_LIMIT")])
def test_ingest_bad_memory_limit_is_a_teaching_error_before_any_work(store, monkeypatch, arg, env, origin):
    if env:
        monkeypatch.setenv("FLASHPOINT_MEMORY_LIMIT", env)
    coder = _Recording(store)
    with pytest.raises(StoreError) as err:
        ingest(None, store, coder=coder, articles=_articles(), memory_limit=arg)
    assert err.value.code == "E308"
    assert origin in str(err.value) and "512MB or 2GB" in str(err.value)
    assert coder.seen == [] and store.query("SELECT count(*) AS n FROM articles")[0]["n"] == 0


def test_ingest_store_limit_memory_checks_its_value_and_leaves_an_in_memory_store_alone(store):
    with pytest.raises(StoreError) as err:
        with store.limit_memory("1GB'; DROP TABLE events; --"):
            pass
    assert err.value.code == "E308"
    assert store.query("SELECT count(*) AS n FROM events")[0]["n"] == 0  # the table is still there
    mem = open_store(":memory:")
    try:
        before = _limit_mib(mem)
        with mem.limit_memory("300MB"):  # an in-memory store has no file to give its blocks back to
            assert _limit_mib(mem) == before
    finally:
        mem.close()
