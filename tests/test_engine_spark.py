"""The Spark engine (local[2]): the same events as the local path for the same input, partitioned Parquet that
DuckDB reads, skipped records kept, and a loader that fills a store once.

Skipped when pyspark (pip install 'flashpoint[spark]') or Java 17+ is missing; installs nothing.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

pytest.importorskip("pyspark", reason="the Spark engine needs pyspark: pip install 'flashpoint[spark]'")
if not os.environ.get("JAVA_HOME") and shutil.which("java") is None:
    pytest.skip("the Spark engine needs Java 17 or newer (java on PATH, or JAVA_HOME)", allow_module_level=True)

import duckdb  # noqa: E402

from flashpoint.engines.spark import run_spark, spark_session  # noqa: E402
from flashpoint.errors import ConfigError  # noqa: E402
from flashpoint.ingest.run import ingest  # noqa: E402
from flashpoint.store.db import EventStore  # noqa: E402
from flashpoint.store.loader import load_parquet, open_parquet  # noqa: E402
from flashpoint.testing import STORIES  # noqa: E402

EXCLUDED = {"created_at", "cluster_id"}  # when it was written, and cluster ids (assigned by the store)


@pytest.fixture(scope="module")
def spark():
    session = spark_session("local[2]", {"spark.sql.shuffle.partitions": "4", "spark.driver.memory": "1g"})
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def news(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("spark-in")
    lines = [json.dumps({"id": f"s{i}", "date": f"2022-0{3 + i % 2}-{10 + i:02d}", "title": f"Story {i}",
                         "outlet": "Test Wire", "text": t}) for i, t in enumerate(STORIES)]
    lines.insert(4, "{not json")
    lines.append(lines[1])  # the same article twice
    path = d / "news.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def coded(spark, news, tmp_path_factory):
    out = tmp_path_factory.mktemp("spark-out") / "coded"
    summary = run_spark([str(news)], str(out), spark=spark, partitions=2)
    return out, summary


@pytest.fixture(scope="module")
def local_store(news, tmp_path_factory):
    store = EventStore(tmp_path_factory.mktemp("local") / "local.duckdb")
    ingest([str(news)], store)
    yield store
    store.close()


def rows(store: EventStore, table: str, order: str, drop=EXCLUDED) -> list[dict]:
    return [{k: v for k, v in r.items() if k not in drop} for r in store.query(f"SELECT * FROM {table} ORDER BY {order}")]


def test_engine_spark_gives_the_same_events_as_the_local_path(coded, local_store, tmp_path):
    out, summary = coded
    assert summary["articles"] == len(STORIES)
    with EventStore(tmp_path / "from-spark.duckdb") as store:
        load_parquet(out, store)
        spark_events = rows(store, "events", "event_id")
        assert spark_events == rows(local_store, "events", "event_id")
        assert len(spark_events) == summary["events"] > 0
        assert rows(store, "sentences", "article_id, idx") == rows(local_store, "sentences", "article_id, idx")
        drop = EXCLUDED | {"origin", "run_id", "ingested_at"}  # Spark origins name the file, not the line
        assert rows(store, "articles", "article_id", drop) == rows(local_store, "articles", "article_id", drop)


def test_engine_spark_writes_partitioned_parquet_that_duckdb_reads(coded):
    out, summary = coded
    months = sorted(p.name for p in (out / "events").iterdir() if p.is_dir())
    assert months == ["event_month=2022-03", "event_month=2022-04"]
    n = duckdb.execute(f"SELECT count(*) FROM read_parquet('{out}/events/**/*.parquet', hive_partitioning = true)").fetchone()[0]
    assert n == summary["events"]
    assert json.loads((out / "_flashpoint.json").read_text())["articles"] == len(STORIES)


def test_engine_spark_keeps_skipped_records(coded, local_store):
    out, summary = coded
    assert summary["skip_reasons"] == {"E102": 1, "E112": 1}
    skipped = duckdb.execute(f"SELECT code, origin, raw FROM read_parquet('{out}/skipped/*.parquet') ORDER BY code").fetchall()
    assert [s[0] for s in skipped] == ["E102", "E112"]
    assert skipped[0][2] == "{not json"
    assert sorted(s["code"] for s in local_store.skipped()) == ["E102", "E112"]


def test_engine_spark_load_twice_changes_nothing(coded, tmp_path):
    out, _ = coded
    with EventStore(tmp_path / "twice.duckdb") as store:
        first = load_parquet(out, store, cluster=False)
        second = load_parquet(out, store, cluster=False)
        assert (first["new"], second["new"], second["unchanged"]) == (len(STORIES), 0, len(STORIES))
        assert store.stats()["events"] == first["events"]


def test_engine_spark_reads_parquet_input(spark, news, coded, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    records = []
    for line in news.read_text(encoding="utf-8").splitlines():
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            pass
    pq.write_table(pa.Table.from_pylist(records), tmp_path / "news.parquet")
    out = tmp_path / "from-parquet"
    summary = run_spark([str(tmp_path / "news.parquet")], str(out), spark=spark, partitions=2)
    assert (summary["articles"], summary["events"]) == (len(STORIES), coded[1]["events"])
    q = f"SELECT * EXCLUDE (created_at) FROM read_parquet('{{}}/events/**/*.parquet', hive_partitioning = true) ORDER BY event_id"
    assert duckdb.execute(q.format(out)).fetchall() == duckdb.execute(q.format(coded[0])).fetchall()


def test_engine_spark_output_can_be_queried_in_place(coded, local_store):
    out, _ = coded
    in_place = open_parquet(out)
    assert in_place.top_dyads(5) == local_store.top_dyads(5)
    assert in_place.count_events(actor="RUS") == local_store.count_events(actor="RUS")


@pytest.mark.parametrize("inputs,fmt,message", [
    (["news.csv"], None, "cannot tell the format"),
    (["news.jsonl"], "html", "reads jsonl or parquet"),
])
def test_engine_spark_refuses_what_it_cannot_read(tmp_path, inputs, fmt, message):
    with pytest.raises(ConfigError, match=message):
        run_spark([str(tmp_path / i) for i in inputs], str(tmp_path / "out"), fmt=fmt)


def test_engine_spark_refuses_a_non_empty_out(coded, news):
    out, _ = coded
    with pytest.raises(ConfigError, match="exists and is not empty"):
        run_spark([str(news)], str(out))


def test_engine_spark_cli_codes_and_loads(spark, news, coded, tmp_path):
    from typer.testing import CliRunner

    from flashpoint.cli import app

    runner = CliRunner()
    out, db = tmp_path / "cli-out", tmp_path / "cli.duckdb"
    result = runner.invoke(app, ["ingest", "--engine", "spark", str(news), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"Coded {len(STORIES)} articles on Spark" in result.output
    result = runner.invoke(app, ["load", str(out), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert f"{len(STORIES)} new" in result.output and f"{coded[1]['events']} events" in result.output
    result = runner.invoke(app, ["load", str(tmp_path), "--db", str(db)])
    assert result.exit_code == 1 and "not a flashpoint Parquet output" in result.output


@pytest.mark.parametrize("args,message", [
    (["--engine", "spark", "x.jsonl"], "needs inputs and --out"),
    (["--engine", "hadoop", "x.jsonl"], 'unknown --engine "hadoop"'),
    (["x.jsonl", "--out", "dir"], "are for --engine spark"),
])
def test_engine_spark_cli_refuses_wrong_options(args, message):
    from typer.testing import CliRunner

    from flashpoint.cli import app

    result = CliRunner().invoke(app, ["ingest", *args])
    assert result.exit_code == 1 and message in result.output
