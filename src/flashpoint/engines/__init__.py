"""Engines that run the flashpoint coder somewhere other than this process.

spark   Apache Spark (PySpark): ``flashpoint ingest --engine spark INPUT... --out DIR`` codes JSONL or Parquet
        archives on local[*] or any cluster and writes partitioned Parquet (see ``engines.spark`` and
        docs/scale.md). Needs the optional extra: pip install 'flashpoint[spark]' (and Java 17+).

The local engine is ``flashpoint.ingest.run.ingest`` (``--workers N`` for several processes).
"""

ENGINES = ("local", "spark")
