"""The command line: exact output on small inputs, one-line errors, the README's main command."""

import datetime as dt
import json

from typer.testing import CliRunner

from flashpoint.cli import app
from flashpoint.store.db import open_store
from flashpoint.testing import make_coded

runner = CliRunner()


def _store(path):
    s = open_store(path)
    s.write_batch([
        make_coded("a1", "Russian forces attacked Kharkiv.", dt.date(2022, 2, 24), "Wire A",
                   [dict(event_type="ASSAULT", source="RUS", target="UKR", trigger="attacked", confidence=0.9)]),
        make_coded("a2", "Ukraine accused Russia.", dt.date(2022, 2, 25), "Wire B",
                   [dict(event_type="ACCUSE", source="UKR", target="RUS", trigger="accused", confidence=0.5)]),
    ], "r1")
    s.close()


def test_cli_events_table_exact(tmp_path):
    db = tmp_path / "s.duckdb"
    _store(db)
    res = runner.invoke(app, ["events", "--db", str(db), "--dyad", "RUS:UKR"])
    assert res.exit_code == 0, res.output
    assert res.output.splitlines() == [
        "date        type     source  target  modality  conf  trigger   event_id",
        "2022-02-25  ACCUSE   UKR     RUS     asserted  0.50  accused   ev-a2-8-ACCUSE",
        "2022-02-24  ASSAULT  RUS     UKR     asserted  0.90  attacked  ev-a1-15-ASSAULT",
    ]


def test_cli_events_directed_and_type_filters(tmp_path):
    db = tmp_path / "s.duckdb"
    _store(db)
    res = runner.invoke(app, ["events", "--db", str(db), "--dyad", "RUS:UKR", "--directed", "--format", "jsonl"])
    rows = [json.loads(line) for line in res.output.splitlines()]
    assert [r["event_id"] for r in rows] == ["ev-a1-15-ASSAULT"]
    res = runner.invoke(app, ["events", "--db", str(db), "--type", "THRETEN"])
    assert res.exit_code == 1
    assert res.output.count("\n") == 1 and "THREATEN" in res.output


def test_cli_errors_are_one_line(tmp_path):
    res = runner.invoke(app, ["events", "--db", str(tmp_path / "missing.duckdb")])
    assert res.exit_code == 1
    assert res.output.startswith("Error: [E301]") and res.output.count("\n") == 1
    res = runner.invoke(app, ["events", "--db", str(tmp_path / "missing.duckdb"), "--since", "24/02/2022"])
    assert res.exit_code == 1 and "YYYY-MM-DD" in res.output


def test_cli_code_writes_contract_fields(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "d1", "text": "Russia accused Ukraine of shelling Donetsk on Monday.", "date": "2022-02-22"}) + "\n"
                   + json.dumps({"id": "d2", "text": "The weather was mild."}) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    res = runner.invoke(app, ["code", str(src), "--out", str(out)])
    assert res.exit_code == 0, res.output
    events = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert events and {e["doc_id"] for e in events} == {"d1"}
    required = {"doc_id", "event_id", "sentence", "event_type", "mode", "quad", "intensity", "source", "target", "modality",
                "confidence", "trigger", "date", "date_text", "location", "attribution", "outlet"}
    for e in events:
        assert required <= set(e)
        assert {"text", "start", "end"} <= set(e["trigger"])
    assert "Coded 2 articles" in res.output


def test_cli_ingest_then_explain(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "d1", "text": "Russia accused Ukraine of shelling Donetsk on Monday.", "date": "2022-02-22", "outlet": "Test Wire"}) + "\n"
                   + "{not json\n", encoding="utf-8")
    db = tmp_path / "s.duckdb"
    res = runner.invoke(app, ["ingest", str(src), "--db", str(db), "--quiet"])
    assert res.exit_code == 0, res.output
    assert "Read 1 articles: 1 new" in res.output and "Skipped 1 inputs" in res.output
    again = runner.invoke(app, ["ingest", str(src), "--db", str(db), "--quiet"])
    assert "0 new, 0 updated, 1 unchanged" in again.output
    s = open_store(db, read_only=True)
    ev = s.events(event_type="ACCUSE")[0]
    s.close()
    res = runner.invoke(app, ["explain", ev["event_id"], "--db", str(db)])
    assert res.exit_code == 0
    assert "[[accused]]" in res.output and "RUS" in res.output and "modality asserted" in res.output
    skipped = runner.invoke(app, ["skipped", "--db", str(db)])
    assert f"{src}:2" in skipped.output


def test_cli_demo_runs_as_the_readme_says(tmp_path):
    """The README's main command is `make demo`, which runs `flashpoint demo`; run that command here."""
    res = runner.invoke(app, ["demo", "--db", str(tmp_path / "demo.duckdb")])
    assert res.exit_code == 0, res.output
    assert "Read 30 articles: 30 new" in res.output
    assert "Top dyads" in res.output and "RUS-UKR" in res.output
    assert "Events per PLOVER type" in res.output and "Most intense days" in res.output


def test_cli_every_command_has_help():
    for name in ("ingest", "code", "events", "explain", "skipped", "summary", "demo", "evaluate", "series", "alerts",
                 "trend", "report", "cluster", "export", "serve"):
        res = runner.invoke(app, [name, "--help"])
        assert res.exit_code == 0 and len(res.output) > 100, name


def test_cli_ingest_bad_memory_limit_fails_before_reading(tmp_path):
    db = tmp_path / "s.duckdb"
    src = tmp_path / "a.txt"
    src.write_text("Russian forces attacked Kharkiv on Monday.", encoding="utf-8")
    res = runner.invoke(app, ["ingest", str(src), "--db", str(db), "--memory-limit", "lots", "-q"])
    assert res.exit_code != 0
    assert "E308" in res.output and "lots" in res.output and "512MB" in res.output
    s = open_store(db)
    assert s.con.execute("SELECT count(*) FROM articles").fetchall()[0][0] == 0  # nothing was read or stored
    s.close()
