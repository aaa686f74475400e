"""The Spark engine: code JSONL or Parquet archives on Apache Spark and write partitioned Parquet.

    flashpoint ingest --engine spark news/*.jsonl.gz --out coded/              # local[*]
    flashpoint ingest --engine spark s3a://bucket/news/ --format parquet --out s3a://bucket/coded/ \\
        --master spark://head:7077 --spark-conf spark.executor.memory=4g
    flashpoint load coded/ --db news.duckdb                                    # into an event store

    >>> from flashpoint.engines.spark import run_spark
    >>> run_spark(["news.jsonl"], "coded/", master="local[2]")
    {'articles': 10, 'events': 23, 'skipped': 0, ...}

The same coder runs on every executor (each Python worker loads it once), so for the same input the Spark path
gives the same events as ``flashpoint ingest``: records become articles through the same reader code (field
names, ``--map``, dates, HTML stripping, the language check), and an id read twice is kept once (the copy in
the file that sorts first; the others are skipped as E111/E112, as the local reader does).

Output (``--out DIR``), Parquet, readable by flashpoint (``flashpoint load``, ``load_parquet``) and by DuckDB
(``SELECT * FROM read_parquet('DIR/events/**/*.parquet', hive_partitioning = true)``):

    DIR/events/event_month=YYYY-MM/*.parquet     the store's ``events`` columns; event_month "unknown" when undated
    DIR/articles/pub_month=YYYY-MM/*.parquet     the store's ``articles`` columns (less run_id, ingested_at)
                                                 plus n_sentences and n_events
    DIR/sentences/*.parquet                      article_id, idx, start_char, end_char, text
    DIR/skipped/*.parquet                        origin, reason, code, raw: records that were not coded
    DIR/_flashpoint.json                         what was run and the counts (local output folders only)

Inputs: JSONL (``.jsonl``, ``.ndjson``, ``.json`` lines; gzip or bzip2 by extension) and Parquet files or
folders of them, local or on any file system Spark reads (hdfs://, s3a://, gs://, abfss://). A Parquet column
of any type is read as the corresponding JSON value. Origins are "FILE" (Spark does not number lines); the raw
record is kept with each skipped one.

Requirements: ``pip install 'flashpoint[spark]'`` on the driver and on every executor (with the spaCy model),
and Java 17 or newer. See docs/scale.md for running on a cluster.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from flashpoint.errors import ConfigError, MissingDependency

__all__ = ["run_spark", "spark_session", "EVENT_SCHEMA", "ARTICLE_SCHEMA", "SENTENCE_SCHEMA", "SKIPPED_SCHEMA"]

# ------------------------------------------------------------------------------------------------ output schemas
# One list per table: (column, type). Types: str, int, float, bool, date, ts (naive UTC timestamp), strs (list).
_EVENT_TYPES = {"sentence_idx": "int", "intensity": "float", "confidence": "float", "trigger_start": "int",
                "trigger_end": "int", "event_date": "date", "source_codes": "strs", "target_codes": "strs",
                "reciprocal": "bool", "outlet_chain": "strs", "created_at": "ts"}


def _event_schema() -> list[tuple[str, str]]:
    from flashpoint.store.db import EVENT_COLUMNS

    return [(c, _EVENT_TYPES.get(c, "str")) for c in EVENT_COLUMNS]


EVENT_SCHEMA: list[tuple[str, str]] = []  # filled lazily (store.db imports duckdb)
ARTICLE_SCHEMA = [("article_id", "str"), ("title", "str"), ("outlet", "str"), ("url", "str"), ("published_at", "str"),
                  ("pub_date", "date"), ("text", "str"), ("origin", "str"), ("content_hash", "str"), ("meta", "str"),
                  ("n_sentences", "int"), ("n_events", "int")]
SENTENCE_SCHEMA = [("idx", "int"), ("start_char", "int"), ("end_char", "int"), ("text", "str")]
SKIPPED_SCHEMA = [("origin", "str"), ("reason", "str"), ("code", "str"), ("raw", "str")]

_DDL = {"str": "STRING", "int": "INT", "float": "DOUBLE", "bool": "BOOLEAN", "date": "DATE", "ts": "TIMESTAMP_NTZ",
        "strs": "ARRAY<STRING>"}


def _ddl(cols: list[tuple[str, str]]) -> str:
    return ", ".join(f"`{c}` {_DDL[t]}" for c, t in cols)


def _arrow_type(t: str):
    import pyarrow as pa

    return {"str": pa.string(), "int": pa.int32(), "float": pa.float64(), "bool": pa.bool_(), "date": pa.date32(),
            "ts": pa.timestamp("us"), "strs": pa.list_(pa.string())}[t]


def _arrow_fields(cols: list[tuple[str, str]]):
    import pyarrow as pa

    return [pa.field(c, _arrow_type(t)) for c, t in cols]


# The rows passed between the stages.
_CONVERTED = [("seq", "long"), ("file", "str"), ("kind", "str"), ("article_id", "str"), ("digest", "str"),
              ("article", "str"), ("origin", "str"), ("reason", "str"), ("code", "str"), ("raw", "str")]
_DDL["long"] = "BIGINT"


def _coded_ddl() -> str:
    return (f"kind STRING, {_ddl(ARTICLE_SCHEMA)}, sentences ARRAY<STRUCT<{_ddl(SENTENCE_SCHEMA)}>>, "
            f"events ARRAY<STRUCT<{_ddl(_event_schema())}>>, reason STRING, code STRING, raw STRING")


def _coded_arrow_schema():
    import pyarrow as pa

    return pa.schema(
        [pa.field("kind", pa.string())] + _arrow_fields(ARTICLE_SCHEMA)
        + [pa.field("sentences", pa.list_(pa.struct(_arrow_fields(SENTENCE_SCHEMA)))),
           pa.field("events", pa.list_(pa.struct(_arrow_fields(_event_schema())))),
           pa.field("reason", pa.string()), pa.field("code", pa.string()), pa.field("raw", pa.string())]
    )


# ------------------------------------------------------------------------------------------------ session
def spark_session(master: str | None = None, conf: dict[str, str] | None = None):
    """A SparkSession for flashpoint.

    master (str | None): "local[2]", "spark://head:7077", "yarn", "k8s://..."; default: the one spark-submit gives,
        else $FLASHPOINT_SPARK_MASTER, else local[*].
    conf (dict | None): extra Spark settings (``--spark-conf KEY=VALUE``).
    RAISES MissingDependency: pyspark is not installed. ConfigError: no Java.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise MissingDependency("the Spark engine (--engine spark)", "spark") from None
    import warnings

    # pyspark warns about pandas versions on import of its Arrow helpers; flashpoint uses Arrow, not pandas, there
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
    conf = dict(conf or {})
    active = SparkSession.getActiveSession()
    if active is not None and master is None and not conf:
        return active
    under_submit = "PYSPARK_GATEWAY_PORT" in os.environ  # started by spark-submit: it chose the master
    master = master or os.environ.get("FLASHPOINT_SPARK_MASTER") or (None if under_submit else "local[*]")
    if not under_submit and not os.environ.get("JAVA_HOME") and shutil.which("java") is None:
        raise ConfigError(
            "the Spark engine needs Java 17 or newer, and no `java` was found: install a JRE (e.g. "
            "`apt-get install openjdk-17-jre-headless`) or set JAVA_HOME",
            code="E501",
        )
    builder = SparkSession.builder.appName("flashpoint")
    if master:
        builder = builder.master(master)
    settings = {
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
        "spark.sql.execution.arrow.maxRecordsPerBatch": "1000",
        "spark.ui.showConsoleProgress": "false",
    }
    if master and master.startswith("local"):
        # executors are Python processes on this machine: use this interpreter (and its flashpoint)
        settings["spark.pyspark.python"] = sys.executable
        settings["spark.pyspark.driver.python"] = sys.executable
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    settings.update(conf)
    for key, value in settings.items():
        builder = builder.config(key, value)
    try:
        return builder.getOrCreate()
    except Exception as exc:  # noqa: BLE001 - py4j/JVM start failures come in many types
        raise ConfigError(f"Spark could not start ({type(exc).__name__}: {str(exc).strip()[:300]}); check Java "
                          "(17 or newer) and the --master URL", code="E502") from exc


# ------------------------------------------------------------------------------------------------ the job
def run_spark(
    inputs: list[str],
    out: str,
    *,
    master: str | None = None,
    fmt: str | None = None,
    mapping: dict[str, str] | None = None,
    date: dt.date | str | None = None,
    outlet: str | None = None,
    config: dict[str, Any] | None = None,
    spark_conf: dict[str, str] | None = None,
    partitions: int | None = None,
    overwrite: bool = False,
    spark=None,
    coder_factory: Callable[[], Any] | None = None,
) -> dict[str, Any]:
    """Code ``inputs`` on Spark and write Parquet under ``out``.

    inputs (list[str]): JSONL or Parquet files or folders (any Spark file system).
    out (str): output folder (must not exist unless ``overwrite``).
    master (str | None), spark_conf (dict | None): see ``spark_session``; or pass a ready ``spark`` session.
    fmt (str | None): "jsonl" or "parquet" (default: from the file names).
    mapping, date, outlet: as for ``flashpoint ingest`` (``--map``, ``--date``, ``--outlet``).
    config (dict | None): coder configuration overrides, as for ``Coder(config)``.
    partitions (int | None): coding tasks (default: 3 per core, at least the input's partitions).
    coder_factory (callable | None): builds the coder on each executor (default ``Coder(config)``); must pickle.
    RETURNS (dict): counts of articles, events, sentences and skipped records (by code), the seconds taken,
        and where the output is.
    """
    import time

    from flashpoint.ingest.readers import _as_date, _check_mapping

    t0 = time.perf_counter()
    inputs = [str(i) for i in inputs]
    if not inputs:
        raise ConfigError("the Spark engine needs at least one input: JSONL or Parquet files or folders")
    fmt = _input_format(inputs, fmt)
    options = {"date": (_as_date(date).isoformat() if date else None), "mapping": _check_mapping(mapping),
               "outlet": outlet}
    _check_out(out, overwrite)
    if coder_factory is None:
        from flashpoint.config import load_config

        cfg = load_config(config)
        key = "config:" + json.dumps(cfg, sort_keys=True, default=str)
        coder_factory = _ConfigCoder(config)
    else:
        key = f"factory:{id(coder_factory)}:{time.time_ns()}"
    spark = spark or spark_session(master, spark_conf)
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    if fmt == "parquet":
        raw = spark.read.parquet(*inputs)
        lines = raw.select(F.to_json(F.struct(*[F.col(f"`{c}`") for c in raw.columns])).alias("value"),
                           F.col("_metadata.file_path").alias("file"))
    else:
        lines = spark.read.text(inputs).select("value", F.col("_metadata.file_path").alias("file"))
    n_parts = partitions or _default_partitions(spark, lines)
    lines = lines.withColumn("seq", F.monotonically_increasing_id())

    converted = lines.mapInArrow(_converter(options), _ddl_converted())
    # copies of one id meet in one partition, in file order: the coder keeps the first (as the local reader does)
    grouped = (converted.repartition(n_parts, F.coalesce("article_id", F.col("seq").cast("string")))
               .sortWithinPartitions("article_id", "file", "seq"))
    coded = grouped.mapInArrow(_coder_stage(key, coder_factory), _coded_ddl()).persist(StorageLevel.MEMORY_AND_DISK)
    try:
        articles = coded.filter(F.col("kind") == "article")
        mode = "overwrite" if overwrite else "errorifexists"
        month = F.coalesce(F.date_format("pub_date", "yyyy-MM"), F.lit("unknown"))
        (articles.select(*[c for c, _ in ARTICLE_SCHEMA]).withColumn("pub_month", month)
         .write.mode(mode).partitionBy("pub_month").parquet(_join(out, "articles")))
        events = articles.select(F.explode("events").alias("e")).select("e.*")
        (events.withColumn("event_month", F.coalesce(F.date_format("event_date", "yyyy-MM"), F.lit("unknown")))
         .write.mode(mode).partitionBy("event_month").parquet(_join(out, "events")))
        (articles.select("article_id", F.explode("sentences").alias("s")).select("article_id", "s.*")
         .write.mode(mode).parquet(_join(out, "sentences")))
        (coded.filter(F.col("kind") == "skipped").select(*[c for c, _ in SKIPPED_SCHEMA])
         .write.mode(mode).parquet(_join(out, "skipped")))
        counts = articles.agg(F.count(F.lit(1)).alias("articles"), F.sum("n_events").alias("events"),
                              F.sum("n_sentences").alias("sentences")).collect()[0]
        skip_codes = {r["code"]: r["count"] for r in coded.filter(F.col("kind") == "skipped").groupBy("code").count().collect()}
    finally:
        coded.unpersist()
    summary = {
        "articles": int(counts["articles"] or 0), "events": int(counts["events"] or 0),
        "sentences": int(counts["sentences"] or 0), "skipped": sum(skip_codes.values()),
        "skip_reasons": dict(sorted(skip_codes.items())), "partitions": n_parts, "format": fmt,
        "master": spark.conf.get("spark.master", None), "out": out, "seconds": round(time.perf_counter() - t0, 2),
    }
    _write_manifest(out, inputs, summary)
    return summary


# ------------------------------------------------------------------------------------------------ driver helpers
def _input_format(inputs: list[str], fmt: str | None) -> str:
    if fmt:
        f = fmt.lower().strip()
        if f in ("jsonl", "ndjson", "json"):
            return "jsonl"
        if f == "parquet":
            return "parquet"
        raise ConfigError(f'the Spark engine reads jsonl or parquet, not "{fmt}"; convert other formats with '
                          "`flashpoint ingest` (local engine) or to JSONL first")
    kinds = set()
    for inp in inputs:
        name = inp.lower().rstrip("/")
        for ext in (".gz", ".bz2", ".zst", ".snappy", ".lz4"):
            name = name.removesuffix(ext)
        if name.endswith(".parquet"):
            kinds.add("parquet")
        elif name.endswith((".jsonl", ".ndjson", ".json")):
            kinds.add("jsonl")
        elif "://" not in inp and Path(inp).is_dir():
            files = [p for p in Path(inp).rglob("*") if p.is_file() and not p.name.startswith(("_", "."))]
            kinds.add("parquet" if files and all(p.suffix == ".parquet" for p in files) else "jsonl")
        else:
            raise ConfigError(f'cannot tell the format of "{inp}" from its name; add --format jsonl or --format parquet')
    if len(kinds) > 1:
        raise ConfigError("the inputs mix JSONL and Parquet; run them separately (each with --format)")
    return kinds.pop()


def _check_out(out: str, overwrite: bool) -> None:
    if "://" in out:
        return
    p = Path(out)
    if p.exists() and any(p.iterdir()) and not overwrite:
        raise ConfigError(f"the output folder {out} exists and is not empty; choose another --out, or pass --overwrite")


def _join(base: str, name: str) -> str:
    return base.rstrip("/") + "/" + name


def _default_partitions(spark, df) -> int:
    try:
        cores = spark.sparkContext.defaultParallelism
    except Exception:  # noqa: BLE001 - Spark Connect has no SparkContext
        cores = int(spark.conf.get("spark.default.parallelism", "8"))
    try:
        inp = df.rdd.getNumPartitions()
    except Exception:  # noqa: BLE001
        inp = 1
    return max(3 * cores, inp, 1)


def _write_manifest(out: str, inputs: list[str], summary: dict[str, Any]) -> None:
    if "://" in out and not out.startswith("file://"):
        return
    from flashpoint import __version__

    path = Path(out.removeprefix("file://")) / "_flashpoint.json"
    doc = {"flashpoint": __version__, "engine": "spark", "created": dt.datetime.now(dt.timezone.utc).isoformat(),
           "inputs": inputs, **summary}
    path.write_text(json.dumps(doc, indent=2, default=str), encoding="utf-8")


def _ddl_converted() -> str:
    return _ddl(_CONVERTED)


# ------------------------------------------------------------------------------------------------ executor side
def _local_path(uri: str | None) -> str | None:
    """file:///a/b.jsonl -> /a/b.jsonl (origins name local files as the local engine does); other URIs stay."""
    if uri and uri.startswith("file:"):
        from urllib.parse import unquote

        rest = uri[5:]
        return unquote(rest[2:] if rest.startswith("//") else rest)
    return uri


class _ConfigCoder:
    """Picklable factory: ``Coder(config)`` on the executor."""

    def __init__(self, config: dict[str, Any] | None) -> None:
        self.config = config

    def __call__(self):
        from flashpoint.nlp.pipeline import Coder

        return Coder(self.config)


_WORKER_CODERS: dict[str, Any] = {}


def _converter(options: dict[str, Any]):
    """Arrow batches of (value, file, seq) -> one converted row per record: an article or a skipped record."""

    def convert(batches: Iterator) -> Iterator:
        import hashlib

        import pyarrow as pa

        from flashpoint.ingest import readers, textcheck
        from flashpoint.models import Article

        opts = readers.ReadOptions(date=dt.date.fromisoformat(options["date"]) if options["date"] else None,
                                   mapping=options["mapping"], outlet=readers._clean_line(options["outlet"]))
        schema = pa.schema([pa.field(c, pa.int64() if t == "long" else pa.string()) for c, t in _CONVERTED])
        for batch in batches:
            rows = []
            for value, file, seq in zip(batch.column("value").to_pylist(), batch.column("file").to_pylist(),
                                        batch.column("seq").to_pylist()):
                file = _local_path(file)
                base = {"seq": seq, "file": file, "kind": "skipped", "article_id": None, "digest": None,
                        "article": None, "origin": file, "reason": None, "code": None, "raw": None}
                line = (value or "").strip().lstrip("\ufeff")
                if not line:
                    continue
                raw = line[: readers.MAX_RAW_CHARS]
                try:
                    record = json.loads(line)
                except (json.JSONDecodeError, RecursionError) as e:
                    rows.append({**base, "raw": raw, "code": "E102", "reason":
                                 f"line is not valid JSON ({getattr(e, 'msg', e)}); each line must be one JSON object "
                                 'such as {"date": "2021-12-24", "text": "..."}'})
                    continue
                if not isinstance(record, dict):
                    rows.append({**base, "raw": raw, "code": "E102",
                                 "reason": "line is not a JSON object; each line must be one JSON object"})
                    continue
                item = readers._record_article(record, file, opts, raw=raw)
                if isinstance(item, Article):
                    lang = textcheck.guess_language(item.text)
                    if lang:
                        rows.append({**base, "raw": raw, "code": "E110", "reason": f"not English (looks like {lang}?); "
                                     "flashpoint codes English news: translate it or leave it out"})
                        continue
                    digest = hashlib.blake2b(item.text.encode("utf-8", errors="surrogatepass"), digest_size=12).hexdigest()
                    rows.append({**base, "kind": "article", "article_id": item.id, "digest": digest,
                                 "article": json.dumps(item.to_dict(), default=str), "raw": raw})
                else:
                    rows.append({**base, "origin": item.origin, "reason": item.reason, "code": item.code,
                                 "raw": item.raw})
            yield pa.RecordBatch.from_pylist(rows, schema=schema)

    return convert


def _coder_stage(key: str, factory: Callable[[], Any]):
    """Sorted converted rows -> one coded row per article (with its sentences and events), or a skipped row."""

    def code(batches: Iterator) -> Iterator:
        import pyarrow as pa

        from flashpoint.models import Article
        from flashpoint.store.db import EVENT_COLUMNS, _event_row, content_hash

        coder = _WORKER_CODERS.get(key)
        if coder is None:
            coder = _WORKER_CODERS[key] = factory()
        schema = _coded_arrow_schema()
        first: dict[str, Any] = {}  # the id last seen: (digest, origin): copies come right after it
        now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)

        def articles_of(batch) -> Iterator[Article | dict]:
            for r in batch.to_pylist():
                if r["kind"] != "article":
                    yield {"kind": "skipped", "origin": r["origin"], "reason": r["reason"], "code": r["code"], "raw": r["raw"]}
                    continue
                if first.get("id") == r["article_id"]:
                    if first["digest"] != r["digest"]:
                        reason = (f'id "{r["article_id"]}" was already read from {first["origin"]} with a different text; '
                                  "give each article its own id (or drop the id column to use content hashes)")
                        code_ = "E111"
                    else:
                        reason = (f'the same article (id "{r["article_id"]}") was already read from {first["origin"]}; '
                                  "remove the repeat")
                        code_ = "E112"
                    yield {"kind": "skipped", "origin": r["origin"], "reason": reason, "code": code_, "raw": r["raw"]}
                    continue
                first.update(id=r["article_id"], digest=r["digest"], origin=r["origin"])
                d = json.loads(r["article"])
                d["date"] = dt.date.fromisoformat(d["date"]) if d.get("date") else None
                yield Article(**d)

        def rows_of(items: list) -> Iterator[dict]:
            arts = [a for a in items if isinstance(a, Article)]
            coded = iter(coder.process(arts))
            for item in items:
                if not isinstance(item, Article):
                    yield item
                    continue
                c = next(coded)
                a = c.article
                yield {
                    "kind": "article", "article_id": a.id, "title": a.title, "outlet": a.outlet, "url": a.url,
                    "published_at": a.published_at, "pub_date": a.date, "text": a.text, "origin": a.origin,
                    "content_hash": content_hash(a), "meta": json.dumps(a.meta, default=str),
                    "n_sentences": len(c.sentences), "n_events": len(c.events),
                    "sentences": [{"idx": s.index, "start_char": s.start, "end_char": s.end, "text": s.text}
                                  for s in c.sentences],
                    "events": [dict(zip(EVENT_COLUMNS, _event_row(e, a, now))) for e in c.events],
                }

        for batch in batches:
            items = list(articles_of(batch))
            for i in range(0, len(items), 64):
                yield pa.RecordBatch.from_pylist(list(rows_of(items[i:i + 64])), schema=schema)

    return code


# ------------------------------------------------------------------------------------------------ spark-submit
def main(argv: list[str] | None = None) -> None:
    """``spark-submit .../flashpoint/engines/spark.py INPUT... --out DIR`` (the master comes from spark-submit)."""
    import argparse

    ap = argparse.ArgumentParser(prog="flashpoint-spark", description=__doc__.split("\n\n")[0])
    ap.add_argument("inputs", nargs="+")
    ap.add_argument("--out", required=True)
    ap.add_argument("--format", dest="fmt")
    ap.add_argument("--map", action="append", default=[], help="FIELD=COLUMN")
    ap.add_argument("--date")
    ap.add_argument("--outlet")
    ap.add_argument("--partitions", type=int)
    ap.add_argument("--overwrite", action="store_true")
    args = ap.parse_args(argv)
    mapping = dict(m.split("=", 1) for m in args.map)
    summary = run_spark(args.inputs, args.out, fmt=args.fmt, mapping=mapping, date=args.date, outlet=args.outlet,
                        partitions=args.partitions, overwrite=args.overwrite)
    print(json.dumps(summary, indent=2, default=str))


if __name__ == "__main__":
    # run as a script by spark-submit: use the installed module, so executors import the same functions
    from flashpoint.engines import spark as _installed

    _installed.main()
