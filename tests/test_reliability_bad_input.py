"""Every bad-input case of docs/bad-input.md through `flashpoint ingest`: each input record ends up stored or
quarantined in `skipped` (never dropped silently), and articles changed on the way are counted in the summary.

The coder is a stand-in (what is under test is reading, quarantine and the summary); bench/bad_input_table.py
runs the same cases with the real coder and writes the table.
"""

from __future__ import annotations

import codecs
import json
import warnings

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from typer.testing import CliRunner

import flashpoint.nlp.pipeline as pipeline
from flashpoint.cli import app
from flashpoint.ingest.readers import MAX_TEXT_CHARS
from flashpoint.nlp.pipeline import CodedArticle, Sentence
from flashpoint.store.db import open_store
from flashpoint.testing import make_event

EN = ("Russian forces shelled the outskirts of Kharkiv on Tuesday, regional officials said, and Ukraine's foreign "
      "minister called on partners to send more air defence systems.")
EN2 = ("NATO foreign ministers met in Brussels on Wednesday and agreed to keep supplying Ukraine, while Moscow warned "
       "that new deliveries would prolong the conflict.")
FR = ("Le ministre des affaires étrangères a déclaré mardi que les négociations avec ses voisins allaient reprendre "
      "la semaine prochaine dans la capitale, selon un communiqué publié par son cabinet.")


class StandInCoder:
    def process(self, articles, n_process=1):
        for a in articles:
            word = a.text.split()[0]
            yield CodedArticle(a, [Sentence(0, 0, len(a.text), a.text)], [make_event(a, trigger=word)])


def jl(*records: dict) -> bytes:
    return ("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n").encode("utf-8")


def rss(*items: tuple[str, str, str | None]) -> bytes:
    body = "".join(f"<item><title>{t}</title><link>https://example.org/{i}</link>"
                   + (f"<pubDate>{d}</pubDate>" if d is not None else "") + f"<description>{x}</description></item>"
                   for i, (t, x, d) in enumerate(items))
    return ("<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Sample Wire</title>"
            f"<link>https://example.org/</link><description>test</description>{body}</channel></rss>").encode()


# name: (file name, content, records in, stored, quarantine codes, summary notes)
CASES = {
    "empty file": ("empty.jsonl", b"", 1, 0, ["E103"], {}),
    "binary file": ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), 1, 0, ["E101"], {}),
    "invalid UTF-8 line": ("mixed.jsonl", jl({"id": "u1", "text": EN, "date": "2022-03-01"})
                           + b'{"id": "u2", "date": "2022-03-01", "text": "Officials said \xe2\x80 the talks \xff went on."}\n',
                           2, 2, [], {}),
    "latin-1": ("latin1.txt", "date 2022-03-02\nTalks in Genève resumed; the café was closed, officials said.".encode("latin-1"),
                1, 1, [], {}),
    "cp1251": ("cp1251.txt", ("date 2022-03-02\nUkraine's president (Володимир Зеленський) said on Wednesday that the "
                              "talks would go on, officials said.").encode("cp1251"), 1, 1, [], {}),
    "utf-16 with BOM": ("utf16.jsonl", codecs.BOM_UTF16_LE + jl({"id": "w1", "date": "2022-03-03", "text": EN}).decode()
                        .encode("utf-16-le"), 1, 1, [], {}),
    "malformed JSONL line": ("broken.jsonl", jl({"id": "j1", "text": EN, "date": "2022-03-04"}) + b'{"id": "j2", "text": "x\n'
                             + jl({"id": "j3", "text": EN2, "date": "2022-03-04"}), 3, 2, ["E102"], {}),
    "CSV broken quoting": ("broken.csv", (f'id,date,text\nc1,2022-03-05,"{EN}"\nc2,2022-03-05,"quoted"then more\n'
                                          'c3,2022-03-05,"never ends\nand swallows this\n').encode(), 3, 1, ["E102", "E102"], {}),
    "HTML with no body": ("nobody.html", b"<html><head><title>Breaking</title></head><body><nav><a href='/'>Home</a> "
                          b"<a href='/w'>World</a></nav><footer>(c) Example</footer></body></html>", 1, 0, ["E104"], {}),
    "feed with bad and missing dates": ("feed.xml", rss(("Good", EN, "Mon, 07 Mar 2022 10:00:00 GMT"),
                                                        ("Bad", EN2, "the day before yesterday"), ("None", EN + " Again.", None)),
                                        3, 3, [], {"undated": 2}),
    "future date": ("future.jsonl", jl({"id": "f1", "date": "2099-01-01", "text": EN}), 1, 1, [], {"undated": 1}),
    "date before 1900": ("old.jsonl", jl({"id": "o1", "date": "1850-05-01", "text": EN}), 1, 1, [], {"undated": 1}),
    "duplicate id, different text": ("dupes.jsonl", jl({"id": "d1", "text": EN, "date": "2022-03-09"},
                                                       {"id": "d1", "text": EN2, "date": "2022-03-09"},
                                                       {"id": "d1", "text": EN, "date": "2022-03-09"}), 3, 1, ["E111", "E112"], {}),
    "control characters": ("controls.jsonl", jl({"id": "k1", "date": "2022-03-10",
                                                 "text": "Russian\x00 forces\x07 shelled\x1b[31m Kharkiv\u200b, officials said.\x0c"}),
                           1, 1, [], {}),
    "lone surrogate escape": ("surrogate.jsonl", b'{"id": "s1", "date": "2022-03-10", "text": "Kyiv \\ud800 said."}\n',
                              1, 1, [], {}),
    "non-English": ("foreign.jsonl", jl({"id": "n1", "text": FR, "date": "2022-03-11"}, {"id": "n2", "text": EN, "date": "2022-03-11"}),
                    2, 1, ["E110"], {}),
    "huge article": ("huge.txt", ("date 2022-03-01\n" + (EN + " ") * (MAX_TEXT_CHARS // len(EN) + 50)).encode(), 1, 1, [],
                     {"cut": 1}),
}


@pytest.fixture
def stand_in(monkeypatch):
    monkeypatch.setattr(pipeline, "default_coder", lambda: StandInCoder())


@pytest.mark.parametrize("case", list(CASES))
def test_reliability_bad_input_every_record_is_stored_or_quarantined(tmp_path, stand_in, case):
    filename, data, n_in, n_stored, codes, notes = CASES[case]
    path = tmp_path / filename
    path.write_bytes(data)
    db = tmp_path / "store.duckdb"
    res = CliRunner().invoke(app, ["ingest", str(path), "--db", str(db), "--quiet"])
    assert res.exit_code == 0, res.output
    store = open_store(db, read_only=True)
    try:
        stored = store.query("SELECT article_id, text FROM articles")
        skipped = store.skipped()
    finally:
        store.close()
    assert len(stored) == n_stored, stored
    assert sorted(s["code"] for s in skipped) == sorted(codes), skipped
    assert len(stored) + len(skipped) == n_in, "an input record was dropped without a row in `skipped`"
    for s in skipped:
        assert s["origin"].startswith(str(path)) and ";" in s["reason"], s  # where; what and how to fix
    for a in stored:
        assert a["text"].strip() and "\x00" not in a["text"] and "\ud800" not in a["text"]
    if codes:
        assert f"Skipped {len(codes)} inputs" in res.stdout and "flashpoint skipped" in res.stdout
    note_line = next((line for line in res.stdout.splitlines() if line.startswith("Notes: ")), "")
    if notes.get("cut"):
        assert f"{notes['cut']} texts cut at {MAX_TEXT_CHARS:,} characters" in note_line
    if notes.get("undated"):
        assert f"{notes['undated']} articles without a usable publication date" in note_line
    if not notes:
        assert note_line == ""


def test_reliability_bad_input_date_option_is_noted(tmp_path, stand_in):
    path = tmp_path / "future.jsonl"
    path.write_bytes(jl({"id": "f1", "date": "2099-01-01", "text": EN}, {"id": "f2", "text": EN2}))
    res = CliRunner().invoke(app, ["ingest", str(path), "--db", str(tmp_path / "s.duckdb"), "--quiet", "--date", "2022-03-08"])
    assert res.exit_code == 0, res.output
    assert "Notes: 2 articles dated by --date (meta.date_problem)." in res.stdout
