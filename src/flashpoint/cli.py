"""The `flashpoint` command line: a thin layer over the library.

Every command parses its options, calls one library function and prints. Library errors
(FlashpointError) become one line on stderr and exit status 1, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Optional

import typer

from . import __version__
from .errors import FlashpointError, QueryError

app = typer.Typer(
    name="flashpoint",
    help="Dated news in, attributed PLOVER events and dyad tension series out.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)

DB_HELP = "Event store file (default: $FLASHPOINT_DB or ./flashpoint.duckdb)."


def default_db() -> str:
    return os.environ.get("FLASHPOINT_DB", "flashpoint.duckdb")


def fail(message: str) -> None:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(1)


def parse_date_opt(value: Optional[str], name: str) -> Optional[dt.date]:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f'{name} "{value}" is not a date; expected YYYY-MM-DD such as 2022-02-24')
    return None


def parse_mapping(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items:
        if "=" not in item:
            fail(f'--map "{item}" must look like FIELD=COLUMN, e.g. --map text=body')
        k, v = item.split("=", 1)
        out[k.strip()] = v.strip()
    return out


def parse_dyad(value: Optional[str]) -> Optional[tuple[str, str]]:
    if value is None:
        return None
    parts = [p.strip().upper() for p in value.replace("-", ":").split(":")]
    if len(parts) != 2 or not all(parts):
        fail(f'--dyad "{value}" must be two actor codes such as RUS:UKR')
    return parts[0], parts[1]


def main() -> None:
    """Entry point of the console script."""
    try:
        app()
    except FlashpointError as exc:
        typer.echo(f"Error: {exc}", err=True)
        sys.exit(1)


@app.callback()
def _root(version: bool = typer.Option(False, "--version", help="Print the version and exit.")) -> None:
    if version:
        typer.echo(f"flashpoint {__version__}")
        raise typer.Exit()


def _guard(fn):
    """Run a command body; FlashpointError -> one line, exit 1."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except FlashpointError as exc:
            fail(str(exc))

    return wrapper


# ---------------------------------------------------------------------------------------------- ingest
@app.command()
@_guard
def ingest(
    inputs: list[str] = typer.Argument(None, help="Files, folders, .gz files, or - for stdin."),
    db: str = typer.Option(None, "--db", help=DB_HELP),
    date: Optional[str] = typer.Option(None, "--date", help="Publication date for inputs that carry none (YYYY-MM-DD)."),
    map_: list[str] = typer.Option([], "--map", help="FIELD=COLUMN for JSONL/CSV columns with other names (repeatable)."),
    fmt: Optional[str] = typer.Option(None, "--format", help="Force the input format: text, jsonl, json, csv, html, feed."),
    outlet: Optional[str] = typer.Option(None, "--outlet", help="Outlet for inputs that name none."),
    workers: int = typer.Option(1, "--workers", min=1, help="Parser processes."),
    retry_skipped: bool = typer.Option(False, "--retry-skipped", help="Re-read the inputs recorded as skipped."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    engine: str = typer.Option("local", "--engine", help="local (this machine, --workers) or spark (JSONL/Parquet archives; needs --out)."),
    out: Optional[str] = typer.Option(None, "--out", help="With --engine spark: folder for the partitioned Parquet output."),
    master: Optional[str] = typer.Option(None, "--master", help="With --engine spark: local[*], spark://HOST:7077, yarn ... (default local[*])."),
    spark_conf: list[str] = typer.Option([], "--spark-conf", help="With --engine spark: KEY=VALUE Spark setting (repeatable)."),
    overwrite: bool = typer.Option(False, "--overwrite", help="With --engine spark: replace an existing --out folder."),
    memory_limit: Optional[str] = typer.Option(None, "--memory-limit", help="DuckDB's memory while ingesting: 512MB (the default, or $FLASHPOINT_MEMORY_LIMIT), 2GB ..., or default (DuckDB's own, 80% of RAM)."),
) -> None:
    """Code news articles and store them in the event store.

    Example: flashpoint ingest articles.jsonl --db news.duckdb --workers 2
    Example: flashpoint ingest --engine spark archive/*.jsonl.gz --out coded/ && flashpoint load coded/ --db news.duckdb
    """
    from .ingest.run import ingest as run_ingest
    from .ingest.run import retry_skipped as run_retry
    from .store.db import open_store

    if engine not in ("local", "spark"):
        fail(f'unknown --engine "{engine}"; use local or spark')
    if engine == "spark":
        if not out or retry_skipped or not inputs:
            fail("--engine spark needs inputs and --out DIR (it writes Parquet; load it with `flashpoint load DIR --db FILE`)")
        from .engines.spark import run_spark

        s = run_spark(inputs, out, master=master, fmt=fmt, mapping=parse_mapping(map_), date=parse_date_opt(date, "--date"),
                      outlet=outlet, spark_conf=parse_mapping_pairs(spark_conf, "--spark-conf"), overwrite=overwrite)
        reasons = ", ".join(f"{k}: {v}" for k, v in s["skip_reasons"].items())
        typer.echo(f"Coded {s['articles']} articles on Spark ({s['master']}, {s['partitions']} tasks): {s['events']} events; "
                   f"skipped {s['skipped']} records{f' ({reasons})' if reasons else ''}. Took {s['seconds']:.1f} s.")
        typer.echo(f"Wrote {out}/events, {out}/articles, {out}/sentences, {out}/skipped (Parquet). "
                   f"Load them with: flashpoint load {out} --db FILE")
        return
    if out or master or spark_conf:
        fail("--out, --master and --spark-conf are for --engine spark; the local engine writes to --db")
    if not inputs and not retry_skipped:
        fail("give at least one input (file, folder, .gz or - for stdin), or --retry-skipped")
    store = open_store(db or default_db())
    progress = _progress(quiet)
    kwargs = dict(date=parse_date_opt(date, "--date"), mapping=parse_mapping(map_), fmt=fmt, outlet=outlet,
                  workers=workers, on_progress=progress, memory_limit=memory_limit)
    if retry_skipped:
        summary = run_retry(store, **kwargs)
    else:
        summary = run_ingest(inputs, store, **kwargs)
    if progress:
        progress.close()
    typer.echo(format_summary(summary, store))
    store.close()


class _progress:
    """A one-line progress display with articles/s on stderr (only when stderr is a terminal)."""

    def __new__(cls, quiet: bool):
        if quiet or not sys.stderr.isatty():
            return None
        return super().__new__(cls)

    def __init__(self, quiet: bool) -> None:
        import time

        self.t0 = time.perf_counter()

    def __call__(self, s) -> None:
        import time

        rate = s.read / max(time.perf_counter() - self.t0, 1e-9)
        sys.stderr.write(f"\r  {s.read} articles read, {s.events} events, {s.skipped} skipped, {rate:.1f} articles/s ")
        sys.stderr.flush()

    def close(self) -> None:
        sys.stderr.write("\n")


def format_summary(summary, store) -> str:
    lines = [
        f"Read {summary.read} articles: {summary.new} new, {summary.updated} updated, {summary.unchanged} unchanged.",
        f"Stored {summary.events} events.",
    ]
    if summary.skipped:
        reasons = ", ".join(f"{k}: {v}" for k, v in sorted(summary.skip_reasons.items()))
        lines.append(f"Skipped {summary.skipped} inputs ({reasons}); see `flashpoint skipped --db {store.path}`.")
    else:
        lines.append("Skipped 0 inputs.")
    notes = getattr(summary, "notes", None) or {}
    said = []
    if notes.get("cut"):
        from .ingest.readers import MAX_TEXT_CHARS

        said.append(f"{notes['cut']} texts cut at {MAX_TEXT_CHARS:,} characters (meta.truncated)")
    if notes.get("undated"):
        said.append(f"{notes['undated']} articles without a usable publication date, so their events are undated "
                    f"(meta.date_problem; give --date YYYY-MM-DD)")
    if notes.get("dated_by_option"):
        said.append(f"{notes['dated_by_option']} articles dated by --date (meta.date_problem)")
    if said:
        lines.append("Notes: " + "; ".join(said) + ".")
    rate = summary.read / summary.seconds if summary.seconds else 0.0
    lines.append(f"Took {summary.seconds:.1f} s ({rate:.1f} articles/s). Store: {store.path}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------- code
@app.command()
@_guard
def code(
    inputs: list[str] = typer.Argument(..., help="Files, folders, .gz files, or - for stdin."),
    out: str = typer.Option("-", "--out", "-o", help="Output JSONL file, or - for stdout."),
    date: Optional[str] = typer.Option(None, "--date", help="Publication date for inputs that carry none."),
    map_: list[str] = typer.Option([], "--map", help="FIELD=COLUMN (repeatable)."),
    fmt: Optional[str] = typer.Option(None, "--format", help="Force the input format."),
    workers: int = typer.Option(1, "--workers", min=1, help="Parser processes."),
) -> None:
    """Code articles to events as JSONL, one event per line, without a database (the stable contract).

    Example: flashpoint code articles.jsonl --out events.jsonl
    """
    from .ingest.readers import read_inputs
    from .models import Skipped
    from .nlp.pipeline import default_coder

    coder = default_coder()
    skipped: list[Skipped] = []

    def articles():
        for item in read_inputs(inputs, date=parse_date_opt(date, "--date"), mapping=parse_mapping(map_), fmt=fmt):
            if isinstance(item, Skipped):
                skipped.append(item)
                typer.echo(f"Skipped {item.origin}: {item.reason}", err=True)
            else:
                yield item

    fh = sys.stdout if out == "-" else open(out, "w", encoding="utf-8")
    n_docs = n_events = 0
    try:
        for article, events in coder.code_articles(articles(), n_process=workers):
            n_docs += 1
            for ev in events:
                fh.write(json.dumps(ev.to_dict(), ensure_ascii=False) + "\n")
                n_events += 1
    finally:
        if fh is not sys.stdout:
            fh.close()
    typer.echo(f"Coded {n_docs} articles: {n_events} events; {len(skipped)} inputs skipped.", err=True)


# ---------------------------------------------------------------------------------------------- events
TABLE_COLUMNS = ("event_date", "event_type", "source_code", "target_code", "modality", "confidence", "trigger_text", "event_id")


def format_table(rows: list[dict], columns=TABLE_COLUMNS) -> str:
    headers = {"event_date": "date", "event_type": "type", "source_code": "source", "target_code": "target",
               "modality": "modality", "confidence": "conf", "trigger_text": "trigger", "event_id": "event_id"}
    cells = []
    for r in rows:
        row = []
        for c in columns:
            v = r.get(c)
            if c == "confidence" and v is not None:
                v = f"{v:.2f}"
            elif c in ("source_code", "target_code") and v is None:
                text = r.get(c.replace("_code", "_text"))
                v = f"? {text[:18]}" if text else "-"
            row.append("" if v is None else str(v))
        cells.append(row)
    names = [headers.get(c, c) for c in columns]
    widths = [max([len(n)] + [len(r[i]) for r in cells]) for i, n in enumerate(names)]
    out = ["  ".join(n.ljust(w) for n, w in zip(names, widths)).rstrip()]
    out += ["  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in cells]
    return "\n".join(out)


def write_rows(rows: list[dict], fmt: str, out: Optional[str]) -> None:
    import csv
    import io

    def jsonable(v):
        if isinstance(v, (dt.date, dt.datetime)):
            return v.isoformat()
        return v

    if fmt == "table":
        text = format_table(rows)
    elif fmt == "jsonl":
        text = "\n".join(json.dumps({k: jsonable(v) for k, v in r.items()}, ensure_ascii=False) for r in rows)
    elif fmt == "csv":
        buf = io.StringIO()
        if rows:
            w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
            w.writeheader()
            for r in rows:
                w.writerow({k: json.dumps(v) if isinstance(v, (list, dict)) else jsonable(v) for k, v in r.items()})
        text = buf.getvalue().rstrip("\n")
    elif fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not out or out == "-":
            fail("--format parquet needs --out FILE.parquet")
        pq.write_table(pa.Table.from_pylist(rows), out)
        typer.echo(f"Wrote {len(rows)} rows to {out}")
        return
    else:
        fail(f'unknown --format "{fmt}"; use table, csv, jsonl or parquet')
        return
    if out and out != "-":
        Path(out).write_text(text + "\n", encoding="utf-8")
        typer.echo(f"Wrote {len(rows)} rows to {out}")
    else:
        typer.echo(text)


@app.command()
@_guard
def events(
    db: str = typer.Option(None, "--db", help=DB_HELP),
    actor: Optional[str] = typer.Option(None, "--actor", help="Actor code on either side, e.g. RUS."),
    dyad: Optional[str] = typer.Option(None, "--dyad", help="Two codes, e.g. RUS:UKR (either direction unless --directed)."),
    directed: bool = typer.Option(False, "--directed", help="With --dyad: source first, target second."),
    type_: Optional[str] = typer.Option(None, "--type", help="PLOVER category, e.g. THREATEN."),
    since: Optional[str] = typer.Option(None, "--since", help="First event date (YYYY-MM-DD)."),
    until: Optional[str] = typer.Option(None, "--until", help="Last event date (YYYY-MM-DD)."),
    outlet: Optional[str] = typer.Option(None, "--outlet", help="Publishing outlet."),
    min_confidence: Optional[float] = typer.Option(None, "--min-confidence", min=0.0, max=1.0),
    modality: Optional[str] = typer.Option(None, "--modality", help="asserted, negated, hypothetical, future, alleged, denied."),
    clusters: bool = typer.Option(False, "--clusters", help="One row per cluster (same happening) with its counts."),
    limit: int = typer.Option(50, "--limit", help="At most this many rows (0 = all)."),
    fmt: str = typer.Option("table", "--format", help="table, csv, jsonl or parquet."),
    out: Optional[str] = typer.Option(None, "--out", "-o", help="Write to a file instead of stdout."),
) -> None:
    """List stored events with filters.

    Example: flashpoint events --dyad RUS:UKR --type THREATEN --since 2022-01-01
    """
    from . import ontology
    from .models import MODALITIES
    from .store.db import open_store

    if type_:
        ontology.category(type_.upper())
    if modality and modality not in MODALITIES:
        raise QueryError(f'--modality "{modality}" is not one of {", ".join(MODALITIES)}')
    filters = dict(actor=actor.upper() if actor else None, dyad=parse_dyad(dyad), directed=directed,
                   event_type=type_.upper() if type_ else None, since=parse_date_opt(since, "--since"),
                   until=parse_date_opt(until, "--until"), outlet=outlet, min_confidence=min_confidence,
                   modality=modality)
    store = open_store(db or default_db(), read_only=True)
    if clusters:
        from .analytics.clusters import cluster_rows

        rows = cluster_rows(store, limit=limit or None, **filters)
    else:
        rows = store.events(limit=limit or None, **filters)
    if fmt == "table" and clusters:
        text = format_table(rows, columns=("event_date", "event_type", "source_code", "target_code", "n_reports",
                                           "n_outlets", "n_independent", "first_outlet", "cluster_id"))
        if out and out != "-":
            Path(out).write_text(text + "\n", encoding="utf-8")
        else:
            typer.echo(text)
    else:
        write_rows(rows, fmt, out)
    store.close()


# ---------------------------------------------------------------------------------------------- explain
@app.command()
@_guard
def explain(
    event_id: str = typer.Argument(..., help="An event id (ev-...) or cluster id (cl-...)."),
    db: str = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Show how an event was coded: sentence, trigger, actors, attribution, modality, date, rule, confidence."""
    from .explain import explain_event
    from .store.db import open_store

    store = open_store(db or default_db(), read_only=True)
    typer.echo(explain_event(store, event_id))
    store.close()


# ---------------------------------------------------------------------------------------------- skipped
@app.command()
@_guard
def skipped(
    db: str = typer.Option(None, "--db", help=DB_HELP),
    all_: bool = typer.Option(False, "--all", help="Include inputs that were re-run successfully since."),
) -> None:
    """List inputs that were not coded, where they are and why (re-run them with ingest --retry-skipped)."""
    from .store.db import open_store

    store = open_store(db or default_db(), read_only=True)
    rows = store.skipped(include_resolved=all_)
    if not rows:
        typer.echo("No skipped inputs.")
    for r in rows:
        flag = " (resolved)" if r["resolved"] else ""
        typer.echo(f"{r['origin']}: [{r['code']}] {r['reason']}{flag}")
    store.close()


# ---------------------------------------------------------------------------------------------- summary
@app.command()
@_guard
def summary(db: str = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Top dyads, events per PLOVER type and the most intense days in a store."""
    from .report import store_summary
    from .store.db import open_store

    store = open_store(db or default_db(), read_only=True)
    typer.echo(store_summary(store))
    store.close()


# ---------------------------------------------------------------------------------------------- demo
@app.command()
@_guard
def demo(
    db: str = typer.Option("flashpoint-demo.duckdb", "--db", help="Where to store the demo events."),
) -> None:
    """Ingest the bundled sample (about 30 articles, Nov 2021 - Mar 2022) and print what came out."""
    from importlib import resources

    from .ingest.run import ingest as run_ingest
    from .report import store_summary
    from .store.db import open_store

    sample = resources.files("flashpoint").joinpath("data/sample")
    store = open_store(db)
    summary = run_ingest([str(sample)], store, on_progress=None)
    typer.echo(format_summary(summary, store))
    typer.echo("")
    typer.echo(store_summary(store))
    store.close()


# ---------------------------------------------------------------------------------------------- evaluate
@app.command()
@_guard
def evaluate(
    gold: str = typer.Argument(..., help="Gold JSONL (plover_gsr, ukraine_dev or flashpoint reference format)."),
    split: Optional[str] = typer.Option(None, "--split", help="dev or test (default: all)."),
    context: str = typer.Option("article", "--context", help="article: code whole articles; sentence: sentences alone."),
    corpora: Optional[str] = typer.Option(None, "--corpora", help="Folder of the corpora that reference gold points into."),
    json_out: Optional[str] = typer.Option(None, "--json", help="Also write the full results as JSON."),
) -> None:
    """Score the coder on gold data: type P/R/F1, actors, modality, dates, confusion, calibration."""
    from .evaluate import evaluate as run_eval
    from .evaluate import format_report
    from .nlp.pipeline import default_coder

    result = run_eval(gold, coder=default_coder(), split=split, corpora_dir=Path(corpora) if corpora else None, context=context)
    typer.echo(format_report(result))
    if json_out:
        Path(json_out).write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")


# ---------------------------------------------------------------------------------------------- tension
@app.command()
@_guard
def series(
    a: str = typer.Argument(..., help="First actor code, e.g. RUS (or RUS-MIL for a sector)."),
    b: str = typer.Argument(..., help="Second actor code, e.g. UKR."),
    db: str = typer.Option(None, "--db", help=DB_HELP),
    weekly: bool = typer.Option(False, "--weekly", help="Weekly instead of daily."),
    directed: bool = typer.Option(False, "--directed", help="Only events from A to B."),
    since: Optional[str] = typer.Option(None, "--since"),
    until: Optional[str] = typer.Option(None, "--until"),
    fmt: str = typer.Option("table", "--format", help="table, csv or jsonl."),
    out: Optional[str] = typer.Option(None, "--out", "-o"),
) -> None:
    """Print the tension index and quad counts of a dyad per day or week.

    Example: flashpoint series RUS UKR --weekly
    """
    from .analytics.tension import dyad_series
    from .store.db import open_store

    store = open_store(db or default_db(), read_only=True)
    s = dyad_series(store, a, b, directed=directed, freq="W" if weekly else "D",
                    since=parse_date_opt(since, "--since"), until=parse_date_opt(until, "--until"))
    rows = s.to_records()
    if fmt == "table":
        text = format_table([{**r, "tension": f"{r['tension']:+.2f}"} for r in rows],
                            columns=("period", "tension", "events", "V-COOP", "M-COOP", "V-CONF", "M-CONF"))
        if out:
            Path(out).write_text(text + "\n", encoding="utf-8")
        else:
            typer.echo(text if rows else f"No events between {a} and {b}.")
    else:
        write_rows(rows, fmt, out)
    store.close()


@app.command()
@_guard
def alerts(
    db: str = typer.Option(None, "--db", help=DB_HELP),
    dyad: Optional[str] = typer.Option(None, "--dyad", help="Only this dyad, e.g. RUS:UKR (default: the 10 most active)."),
    since: Optional[str] = typer.Option(None, "--since", help="Alerts ending on or after this date."),
    threshold: float = typer.Option(4.5, "--threshold", help="Robust z-score an alert needs."),
    fmt: str = typer.Option("text", "--format", help="text or jsonl."),
) -> None:
    """Detect, store and list escalation / de-escalation alerts, each with the events that drove it."""
    from .analytics.alerts import run_alerts
    from .store.db import open_store

    store = open_store(db or default_db())
    pairs = [parse_dyad(dyad)] if dyad else None
    found = run_alerts(store, pairs, z_threshold=threshold)
    since_d = parse_date_opt(since, "--since")
    found = [al for al in found if since_d is None or al.end_date >= since_d]
    if fmt == "jsonl":
        for al in found:
            typer.echo(json.dumps(al.to_dict()))
    else:
        if not found:
            typer.echo("No alerts.")
        for al in found:
            typer.echo(f"{al.alert_id}  {al.start_date}..{al.end_date}  {al.dyad}  {al.kind}  z={al.strength:+.1f}  {al.method}")
            typer.echo(f"    {al.explanation}")
            typer.echo(f"    events: {' '.join(al.event_ids)}  (flashpoint explain ID)")
    store.close()


@app.command()
@_guard
def trend(
    a: str = typer.Argument(..., help="First actor code."),
    b: str = typer.Argument(..., help="Second actor code."),
    out: str = typer.Option(..., "--out", "-o", help="trend.png, trend.svg or trend.html"),
    db: str = typer.Option(None, "--db", help=DB_HELP),
    directed: bool = typer.Option(False, "--directed"),
    since: Optional[str] = typer.Option(None, "--since"),
    until: Optional[str] = typer.Option(None, "--until"),
) -> None:
    """Draw the tension index of a dyad over time with alerts marked and the strongest events annotated."""
    from .analytics.plots import write_trend
    from .store.db import open_store

    store = open_store(db or default_db(), read_only=True)
    info = write_trend(store, a, b, out, directed=directed, since=parse_date_opt(since, "--since"), until=parse_date_opt(until, "--until"))
    typer.echo(f"Wrote {info['out']}: {info['days']} days, {info['events']} events, {info['alerts']} alerts.")
    store.close()


@app.command()
@_guard
def report(
    out: str = typer.Option("report.html", "--out", "-o", help="The HTML file to write."),
    db: str = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Write a self-contained HTML report: top dyads, trends, alerts, the most intense events and their provenance."""
    from .analytics.plots import write_report
    from .store.db import open_store

    store = open_store(db or default_db(), read_only=True)
    info = write_report(store, out)
    typer.echo(f"Wrote {info['out']} ({info['dyads']} dyad trends, {info['events']} intense events).")
    store.close()


@app.command()
@_guard
def cluster(
    db: str = typer.Option(None, "--db", help=DB_HELP),
    rebuild: bool = typer.Option(False, "--rebuild", help="Re-form all clusters from the reports."),
) -> None:
    """Link reports of the same happening into clusters (ingest does this incrementally)."""
    from .analytics.clusters import rebuild_clusters, update_clusters
    from .store.db import open_store

    store = open_store(db or default_db())
    res = rebuild_clusters(store) if rebuild else update_clusters(store, None)
    typer.echo(f"Clustered {res['events']} events: {res['new_clusters']} new clusters, {res['joined']} joined existing ones.")
    store.close()


@app.command()
@_guard
def export(
    out: str = typer.Option(..., "--out", "-o", help="Output file (.csv, .jsonl or .parquet)."),
    db: str = typer.Option(None, "--db", help=DB_HELP),
    layout: str = typer.Option("events", "--layout", help="events, clusters or gdelt (one row per cluster, GDELT-like columns)."),
) -> None:
    """Export events, clusters or a GDELT-like table."""
    from .analytics.clusters import cluster_rows, gdelt_rows
    from .store.db import open_store

    store = open_store(db or default_db(), read_only=True)
    if layout == "events":
        rows = store.events()
    elif layout == "clusters":
        rows = cluster_rows(store)
    elif layout == "gdelt":
        rows = gdelt_rows(store)
    else:
        fail(f'unknown --layout "{layout}"; use events, clusters or gdelt')
    suffix = Path(out).suffix.lower()
    fmt = {".csv": "csv", ".jsonl": "jsonl", ".parquet": "parquet"}.get(suffix)
    if fmt is None:
        fail(f"--out {out}: use a .csv, .jsonl or .parquet file")
    write_rows(rows, fmt, out)
    store.close()


# ---------------------------------------------------------------------------------------------- serve
@app.command()
@_guard
def serve(
    db: str = typer.Option(None, "--db", help=DB_HELP),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (loopback by default)."),
    port: int = typer.Option(8000, "--port"),
    allow_ingest: bool = typer.Option(False, "--allow-ingest", help="Enable POST /api/ingest (needs a token)."),
    token: Optional[str] = typer.Option(None, "--token", envvar="FLASHPOINT_TOKEN", help="Bearer token for write endpoints."),
) -> None:
    """Serve the REST API (OpenAPI at /docs) and the dashboard at /."""
    try:
        import uvicorn

        from .api.app import create_app, new_token
    except ImportError:
        fail("flashpoint serve needs the web extra: pip install 'flashpoint[web]'")
    if allow_ingest and not token:
        token = new_token()
        typer.echo(f"Ingest token (send as 'Authorization: Bearer ...'): {token}", err=True)
    app_ = create_app(db or default_db(), allow_ingest=allow_ingest, token=token)
    if host not in ("127.0.0.1", "localhost", "::1"):
        typer.echo(f"Warning: serving on {host}, reachable from other machines.", err=True)
    uvicorn.run(app_, host=host, port=port, log_level="warning")


# ---------------------------------------------------------------------------------------------- watch, load (scale)
def parse_mapping_pairs(items: list[str], option: str) -> dict[str, str]:
    out = {}
    for item in items:
        if "=" not in item:
            fail(f'{option} "{item}" must look like KEY=VALUE, e.g. {option} spark.executor.memory=4g')
        k, v = item.split("=", 1)
        out[k.strip()] = v.strip()
    return out


@app.command()
@_guard
def watch(
    sources: list[str] = typer.Argument(..., help="Folders, files and RSS/Atom feed URLs (http:// or https://)."),
    db: str = typer.Option(None, "--db", help=DB_HELP),
    interval: float = typer.Option(60.0, "--interval", min=0.0, help="Seconds between polls."),
    once: bool = typer.Option(False, "--once", help="Poll once and exit."),
    workers: int = typer.Option(1, "--workers", min=1, help="Parser processes."),
    date: Optional[str] = typer.Option(None, "--date", help="Publication date for inputs that carry none (YYYY-MM-DD)."),
    map_: list[str] = typer.Option([], "--map", help="FIELD=COLUMN for JSONL/CSV columns with other names (repeatable)."),
    fmt: Optional[str] = typer.Option(None, "--format", help="Force the format of files (feeds are always feeds)."),
    outlet: Optional[str] = typer.Option(None, "--outlet", help="Outlet for inputs that name none."),
) -> None:
    """Ingest new files in folders and new feed entries as they appear, each article once (Ctrl-C stops).

    Example: flashpoint watch incoming/ https://example.org/world.rss --interval 300 --db news.duckdb
    """
    from .ingest.watch import Watcher
    from .store.db import open_store

    store = open_store(db or default_db())

    def report(source, s) -> None:
        if s.read or s.skipped:
            stamp = dt.datetime.now().strftime("%H:%M:%S")
            typer.echo(f"{stamp}  {source}: {s.new} new, {s.updated} updated, {s.unchanged} unchanged articles; "
                       f"{s.events} events; {s.skipped} skipped")

    watcher = Watcher(sources, store, interval=interval, workers=workers, date=parse_date_opt(date, "--date"),
                      mapping=parse_mapping(map_), fmt=fmt, outlet=outlet, on_ingest=report)
    if not once:
        typer.echo(f"Watching {len(watcher.sources)} source(s) every {interval:g} s; Ctrl-C stops.", err=True)
    total = watcher.run(max_polls=1 if once else None)
    for err in total.errors[-5:]:
        typer.echo(f"Warning: {err}", err=True)
    typer.echo(f"Watched {total.polls} poll(s): {total.new} new articles, {total.events} events, {total.skipped} skipped. "
               f"Store: {store.path}")
    store.close()


@app.command()
@_guard
def load(
    directory: str = typer.Argument(..., help="The --out folder of `flashpoint ingest --engine spark`."),
    db: str = typer.Option(None, "--db", help=DB_HELP),
    no_cluster: bool = typer.Option(False, "--no-cluster", help="Do not cluster the loaded events (run `flashpoint cluster` later)."),
) -> None:
    """Load coded Parquet (from the Spark engine) into an event store; loading twice changes nothing.

    Example: flashpoint load coded/ --db news.duckdb
    """
    from .store.db import open_store
    from .store.loader import load_parquet

    store = open_store(db or default_db())
    c = load_parquet(directory, store, cluster=not no_cluster)
    typer.echo(f"Loaded {directory}: {c['new']} new, {c['updated']} updated, {c['unchanged']} unchanged articles; "
               f"{c['events']} events; {c['skipped']} skipped records. Took {c['seconds']:.1f} s. Store: {store.path}")
    store.close()


if __name__ == "__main__":
    main()
