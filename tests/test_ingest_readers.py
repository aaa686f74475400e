"""Tests of flashpoint.ingest.readers and flashpoint.ingest.textcheck.

Fixture files live in tests/data/readers/ (made-up text); binary, encoding and broken inputs are built in
tmp_path. Tests that read the shared corpora skip when ../shared is absent.
"""

from __future__ import annotations

import codecs
import datetime as dt
import gzip
import io
import itertools
import json
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flashpoint.errors import ConfigError, MalformedRecord
from flashpoint.ingest import textcheck
from flashpoint.ingest.readers import (
    FORMATS,
    MAX_TEXT_CHARS,
    article_id,
    detect_format,
    parse_date,
    read_inputs,
)
from flashpoint.models import Article, Skipped
from flashpoint.registry import readers

DATA = Path(__file__).resolve().parent / "data" / "readers"
SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPORA = ["reuters21578/articles.jsonl", "ukraine-media-2022/articles.jsonl.gz", "whitehouse-2021-22/articles.jsonl"]

# made-up English sentences, long enough for the language check
EN = ("The ministers met on Tuesday and agreed that the talks about the border would go on next week, "
      "officials said after the meeting in the capital.")
EN2 = ("Rescue teams searched the hills for a second day after the storm, and the army said it had sent "
       "two helicopters to help them.")


def _read(*inputs, **options) -> list[Article | Skipped]:
    return list(read_inputs([str(i) for i in inputs], **options))


def _split(items):
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, Skipped)]


def _jsonl(*records) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def _shared(rel: str) -> Path:
    path = SHARED / rel
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared data folder sits beside the repo checkout)")
    return path


# ---------------------------------------------------------------------------------------------- helpers


@pytest.mark.parametrize(
    "name,head,expected",
    [
        ("a.jsonl", b'{"text": "x"}\n', "jsonl"),
        ("a.ndjson.gz", b'{"text": "x"}\n', "jsonl"),
        ("a.json", b'[{"text": "x"}]', "json"),
        ("a.json", b'{"text": "x"}\n{"text": "y"}\n', "jsonl"),
        ("a.json", b'{\n  "text": "x"\n}\n', "json"),
        ("a.csv", b"id,text\n1,x\n", "csv"),
        ("a.tsv", b"id\ttext\n1\tx\n", "csv"),
        ("a.html", b"<html><body><p>x</p></body></html>", "html"),
        ("a.rss", b"<?xml version='1.0'?><rss><channel></channel></rss>", "feed"),
        ("a.xml", b"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'></feed>", "feed"),
        ("a.txt", b"date 2021-12-24 Some text.", "text"),
        ("<stdin>", b'{"text": "x"}\n', "jsonl"),
        ("<stdin>", b"[{}]", "json"),
        ("<stdin>", b"date,title,text\n2021-12-24,a,b\n", "csv"),
        ("<stdin>", b"<!DOCTYPE html><html><p>x</p></html>", "html"),
        ("<stdin>", b"<?xml version='1.0'?>\n<rss version='2.0'></rss>", "feed"),
        ("<stdin>", b" date 2021-12-24 Russian words, and commas, in the first line.", "text"),
        ("notes", b"Date, time and place were agreed on Tuesday by both teams.", "text"),
        ("<stdin>", codecs.BOM_UTF16_LE + '{"text": "x"}\n'.encode("utf-16-le"), "jsonl"),
        ("<stdin>", b'{"status": "ok", "articles": [{"text": "x"}]}', "json"),
        ("a.json", b'{"text": "x"}', "jsonl"),
    ],
)
def test_readers_detect_format(name, head, expected):
    assert detect_format(Path(name), head) == expected


@pytest.mark.parametrize(
    "value,expected_date,expected_ts",
    [
        ("2021-12-24", dt.date(2021, 12, 24), None),
        ("20211224", dt.date(2021, 12, 24), None),
        ("2022-02-24T05:00:00+02:00", dt.date(2022, 2, 24), "2022-02-24T05:00:00+02:00"),
        ("2022-02-24T23:30:00Z", dt.date(2022, 2, 24), "2022-02-24T23:30:00+00:00"),
        ("2022-02-24 05:00:00", dt.date(2022, 2, 24), None),
        ("2022/03/01", dt.date(2022, 3, 1), None),
        ("Thu, 24 Feb 2022 05:00:00 +0200", dt.date(2022, 2, 24), "2022-02-24T05:00:00+02:00"),
        ("July 11, 2022", dt.date(2022, 7, 11), None),
        ("11 July 2022", dt.date(2022, 7, 11), None),
        ("11 Jul 2022 14:05 GMT", dt.date(2022, 7, 11), "2022-07-11T14:05:00+00:00"),
        ("1645678800", dt.date(2022, 2, 24), "2022-02-24T05:00:00+00:00"),
        ("", None, None),
    ],
)
def test_readers_parse_date_accepts(value, expected_date, expected_ts):
    assert parse_date(value, origin="a.jsonl:1", field="date") == (expected_date, expected_ts)


@pytest.mark.parametrize(
    "value,hint",
    [
        ("24/12/2021", "ambiguous"),
        ("05/12/2021", "ambiguous"),
        ("12.05.21", "ambiguous"),
        ("yesterday", "relative"),
        ("2 days ago", "relative"),
        ("March 2022", "a year, a month and a day"),
        ("not a date", "a year, a month and a day"),
        ("2021-02-30", "no such day"),
    ],
)
def test_readers_parse_date_refuses_with_teaching_message(value, hint):
    with pytest.raises(MalformedRecord) as info:
        parse_date(value, origin="articles.jsonl:14", field="published_at")
    err = info.value
    assert err.origin == "articles.jsonl:14"
    assert err.code == "E102"
    assert f'"published_at" is "{value}"' in err.reason
    assert "expected an ISO date such as 2021-12-24" in err.reason
    assert "--map date=COLUMN" in err.reason
    assert hint in err.reason
    assert str(err).startswith("[E102] articles.jsonl:14: ")


@pytest.mark.parametrize("outlet,title", [(None, None), ("Harbor Gazette", None), ("Harbor Gazette", "A title")])
def test_readers_article_id_stable(outlet, title):
    first = article_id(outlet, title, EN)
    assert first == article_id(outlet, title, EN)
    assert first.startswith("a-") and len(first) == 18
    assert first != article_id(outlet, title, EN2)
    assert first != article_id("Other Outlet", title, EN)


def test_readers_registry_has_every_format():
    names = readers.names()
    for fmt in FORMATS:
        assert f"flashpoint.reader.{fmt}.v1" in names


# ---------------------------------------------------------------------------------------------- each reader


def test_readers_seed_file():
    seed_dir = _shared("seed")
    items = _read(seed_dir)
    articles, skipped = _split(items)
    assert skipped == []
    assert len(articles) == len(list(seed_dir.glob("*.txt")))
    seed = articles[0]
    assert seed.date == dt.date(2021, 12, 24)
    assert seed.text.startswith("Russian Foreign Minister")
    assert seed.title is None
    assert seed.origin.endswith(".txt")
    assert seed.id == article_id(None, None, seed.text)


@pytest.mark.parametrize(
    "content,date_arg,expected_date,expected_start",
    [
        (" date 2021-12-24 Russian words follow on the same line. " + EN, None, dt.date(2021, 12, 24), "Russian"),
        ("date: 2022-01-15\n\n" + EN, None, dt.date(2022, 1, 15), "The ministers"),
        ("\ufeffDate 2022-01-15 " + EN, None, dt.date(2022, 1, 15), "The ministers"),
        (EN, dt.date(2022, 5, 1), dt.date(2022, 5, 1), "The ministers"),
        (EN, None, None, "The ministers"),
        ("Date 12 was chosen for the vote. " + EN, None, None, "Date 12"),
    ],
)
def test_readers_text_date_line(tmp_path, content, date_arg, expected_date, expected_start):
    path = tmp_path / "article.txt"
    path.write_text(content, encoding="utf-8")
    (article,) = _read(path, date=date_arg)
    assert isinstance(article, Article)
    assert article.date == expected_date
    assert article.text.startswith(expected_start)
    assert article.title is None
    assert article.origin == str(path)
    if expected_date is None or date_arg is not None:
        assert "no publication date" in article.meta["date_problem"]


def test_readers_text_fixture():
    (dated,) = _read(DATA / "dated.txt")
    assert dated.date == dt.date(2022, 1, 15)
    assert dated.text.startswith("The harbour master")
    assert "\n\nTravellers" in dated.text
    (undated,) = _read(DATA / "undated.txt", outlet="River News")
    assert undated.date is None and undated.outlet == "River News"


def test_readers_text_bad_date_line_is_skipped(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("date 24/12/2021 " + EN, encoding="utf-8")
    (item,) = _read(path)
    assert isinstance(item, Skipped) and item.code == "E102"
    assert "24/12/2021" in item.reason and "date 2021-12-24" in item.reason


def test_readers_jsonl_fields_aliases_and_meta():
    items = _read(DATA / "articles.jsonl")
    articles, skipped = _split(items)
    assert skipped == []
    first, second, third = articles
    assert (first.id, first.date, first.outlet, first.title, first.url) == (
        "fx-1", dt.date(2022, 2, 20), "Harbor Gazette", "Ministers meet at the port", "https://example.org/fx-1")
    assert first.meta == {"section": "world"}
    assert first.origin.endswith("articles.jsonl:1")
    # aliases: headline, published_at, source, body, link; no id -> hash
    assert second.title == "Patrol boats return" and second.outlet == "Coastal Times"
    assert second.date == dt.date(2022, 2, 21) and second.published_at == "2022-02-21T08:15:00+02:00"
    assert second.url == "https://example.org/fx-2"
    assert second.id == article_id("Coastal Times", "Patrol boats return", second.text)
    # blank line 3 is not an input; a list of paragraphs is joined; RFC 822 date
    assert third.origin.endswith("articles.jsonl:4")
    assert third.text == ("Aldoria recalled its ambassador from Brevia on Tuesday.\n\n"
                          "The ministry said the envoy would return for consultations.")
    assert third.published_at == "2022-02-22T10:00:00+00:00" and third.meta == {"tags": ["diplomacy"]}


def test_readers_csv_fields_multiline_and_meta():
    articles, skipped = _split(_read(DATA / "articles.csv"))
    assert skipped == []
    assert [a.id for a in articles] == ["cx-1", "cx-2"]
    assert [a.origin.rsplit(":", 1)[1] for a in articles] == ["2", "3"]
    assert articles[1].date == dt.date(2022, 3, 2)  # "March 2, 2022"
    assert articles[1].text.endswith("Traffic was light in the morning.")
    assert articles[1].url is None
    assert articles[0].meta == {"wordcount": "22"}


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_readers_csv_other_delimiters(tmp_path, delimiter):
    path = tmp_path / "a.csv"
    path.write_text(delimiter.join(["date", "text"]) + "\n" + delimiter.join(["2022-01-02", EN]) + "\n",
                    encoding="utf-8")
    (article,) = _read(path)
    assert article.date == dt.date(2022, 1, 2) and article.text == EN


def test_readers_json_array_and_object(tmp_path):
    articles, skipped = _split(_read(DATA / "articles.json"))
    assert skipped == [] and [a.id for a in articles] == ["jx-1", "jx-2"]
    assert articles[0].outlet == "Upland Post" and articles[0].origin.endswith("articles.json#item1")
    wrapped = tmp_path / "wrapped.json"
    wrapped.write_text(json.dumps({"status": "ok", "articles": [{"text": EN, "date": "2022-01-01"}, 7]}))
    items = _read(wrapped)
    assert [type(i).__name__ for i in items] == ["Article", "Skipped"]
    assert "item 2 is a number" in items[1].reason


def test_readers_html_page():
    (article,) = _read(DATA / "page.html")
    assert isinstance(article, Article)
    assert article.title == "Envoys agree on prisoner exchange"
    assert article.outlet == "Lakeside Chronicle"
    assert article.date == dt.date(2022, 3, 10)
    assert article.published_at == "2022-03-10T14:30:00+01:00"
    assert "forty prisoners" in article.text
    assert "Sport" not in article.text and "Copyright" not in article.text
    assert article.origin.endswith("page.html")


def test_readers_html_outlet_argument_wins():
    (article,) = _read(DATA / "page.html", outlet="My Outlet")
    assert article.outlet == "My Outlet"


def test_readers_html_without_body_is_skipped():
    (item,) = _read(DATA / "empty_body.html")
    assert isinstance(item, Skipped) and item.code == "E104"
    assert "no main text" in item.reason


def test_readers_rss_feed_entries():
    items = _read(DATA / "feed.rss", date=dt.date(2022, 3, 3))
    articles, skipped = _split(items)
    assert skipped == [] and len(articles) == 3
    first, second, third = articles
    assert [a.origin.rsplit("#", 1)[1] for a in articles] == ["entry1", "entry2", "entry3"]
    assert first.outlet == "Meadow Wire" and first.title == "Talks resume in the capital"
    assert first.text == "Negotiators from the two parties met again on Tuesday and said the talks had been useful."
    assert first.published_at == "2022-03-01T09:30:00+01:00" and first.date == dt.date(2022, 3, 1)
    assert first.url == "https://example.org/wire/1" and first.meta["guid"] == "wire-1"
    # a bad and a missing date: kept, with the date argument and a note
    assert second.date == dt.date(2022, 3, 3) and "sometime last spring" in second.meta["date_problem"]
    assert third.date == dt.date(2022, 3, 3) and "no publication date" in third.meta["date_problem"]


def test_readers_rss_feed_without_date_argument_keeps_none():
    articles, _ = _split(_read(DATA / "feed.rss"))
    assert [a.date for a in articles] == [dt.date(2022, 3, 1), None, None]


def test_readers_atom_feed():
    (article,) = _read(DATA / "feed.atom")
    assert article.outlet == "Hillside Bulletin"
    assert article.published_at == "2022-03-05T10:00:00-05:00" and article.date == dt.date(2022, 3, 5)
    assert article.text.startswith("The mayor met union leaders")


# ---------------------------------------------------------------------------------------------- inputs


def test_readers_fmt_forces_a_reader(tmp_path):
    path = tmp_path / "export.dat"
    path.write_text(_jsonl({"text": EN, "date": "2022-01-01"}), encoding="utf-8")
    (forced,) = _read(path, fmt="jsonl")
    assert forced.date == dt.date(2022, 1, 1) and forced.text == EN
    (as_text,) = _read(path, fmt="text")
    assert as_text.text.startswith("{")
    (by_name,) = _read(path, fmt="flashpoint.reader.jsonl.v1")
    assert by_name.text == EN


@pytest.mark.parametrize("alias", ["rss", "atom", "feed"])
def test_readers_fmt_aliases(alias):
    articles, _ = _split(_read(DATA / "feed.rss", fmt=alias))
    assert len(articles) == 3


@pytest.mark.parametrize("fmt,suggestion", [("jsnl", 'Did you mean "jsonl"?'), ("xlsx", "Formats: text, jsonl")])
def test_readers_unknown_fmt_raises_before_reading(fmt, suggestion):
    with pytest.raises(ConfigError) as info:
        read_inputs(["does-not-matter"], fmt=fmt)
    assert f'Unknown input format "{fmt}"' in str(info.value)
    assert suggestion in str(info.value)


def test_readers_gz_files(tmp_path):
    jsonl_gz = tmp_path / "a.jsonl.gz"
    jsonl_gz.write_bytes(gzip.compress(_jsonl({"text": EN}, {"text": EN2}).encode()))
    text_gz = tmp_path / "b.txt.gz"
    text_gz.write_bytes(gzip.compress(("date 2022-02-02 " + EN + " More followed.").encode()))
    plain_name = tmp_path / "c.gz"  # no inner suffix: detected by content
    plain_name.write_bytes(gzip.compress(_jsonl({"text": EN, "id": "c1"}).encode()))
    items = _read(jsonl_gz, text_gz, plain_name)
    assert all(isinstance(i, Article) for i in items)
    assert [i.origin for i in items] == [f"{jsonl_gz}:1", f"{jsonl_gz}:2", str(text_gz), f"{plain_name}:1"]
    assert items[2].date == dt.date(2022, 2, 2)


def test_readers_damaged_gz(tmp_path):
    broken = tmp_path / "broken.jsonl.gz"
    broken.write_bytes(b"\x1f\x8b\x08\x00garbage-not-deflate")
    (item,) = _read(broken)
    assert isinstance(item, Skipped) and item.code == "E101" and "gzip" in item.reason
    # cut short after some lines: what came before is read, then one Skipped says where it stopped
    lines = _jsonl(*({"id": f"n{i}", "text": f"{EN} Number {i}."} for i in range(3000))).encode()
    data = gzip.compress(lines)
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(data[: len(data) // 2])
    articles, skipped = _split(_read(cut))
    assert len(articles) > 0 and len(skipped) == 1
    assert skipped[0].code == "E101" and "cut short" in skipped[0].reason
    assert skipped[0].origin.startswith(f"{cut}:")


def test_readers_directory_recursion_sorted_and_hidden_left_out():
    items = _read(DATA / "folder")
    assert [Path(i.origin).relative_to(DATA / "folder").as_posix() for i in items] == ["b.txt", "sub/a.txt"]
    assert [i.date for i in items] == [dt.date(2022, 1, 20), dt.date(2022, 1, 19)]


def test_readers_missing_path_and_empty_folder(tmp_path):
    (missing,) = _read(tmp_path / "nope.jsonl")
    assert missing.code == "E101" and "no such file" in missing.reason
    (tmp_path / "empty").mkdir()
    (empty,) = _read(tmp_path / "empty")
    assert empty.code == "E103"


class _CountingBytes(io.BytesIO):
    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.consumed = 0

    def read(self, n=-1):
        chunk = super().read(n)
        self.consumed += len(chunk)
        return chunk

    def readinto(self, buffer):
        n = super().readinto(buffer)
        self.consumed += n
        return n


@pytest.mark.parametrize("compress", [False, True])
def test_readers_stdin(monkeypatch, compress):
    data = _jsonl({"text": EN, "date": "2022-01-01"}, {"text": EN2}).encode()
    if compress:
        data = gzip.compress(data)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    items = _read("-")
    assert [i.origin for i in items] == ["<stdin>:1", "<stdin>:2"]
    assert items[0].date == dt.date(2022, 1, 1)


def test_readers_stdin_streams_without_reading_everything(monkeypatch):
    records = (_jsonl({"text": f"{EN} Line {i}."}) for i in range(40_000))
    data = "".join(records).encode()
    counting = _CountingBytes(data)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(counting, encoding="utf-8"))
    first = next(iter(read_inputs(["-"])))
    assert isinstance(first, Article)
    assert len(data) > 5_000_000
    assert counting.consumed < 1_000_000


def test_readers_mapping(tmp_path):
    path = tmp_path / "cms.jsonl"
    path.write_text(_jsonl({"body_html": f"<p>{EN}</p><p>{EN2}</p>", "when": "2022-03-04", "text": "teaser",
                            "Paper": "Valley Herald"}), encoding="utf-8")
    (article,) = _read(path, mapping={"text": "body_html", "date": "when", "outlet": "paper"})
    assert article.text == f"{EN}\n{EN2}"
    assert article.meta["html_stripped"] is True
    assert article.meta["text"] == "teaser"  # the unmapped column is kept in meta
    assert article.date == dt.date(2022, 3, 4) and article.outlet == "Valley Herald"


def test_readers_mapping_to_missing_column_teaches(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(_jsonl({"id": "x", "body": EN}), encoding="utf-8")
    (item,) = _read(path, mapping={"text": "story"})
    assert isinstance(item, Skipped) and item.code == "E104"
    assert '"story" (from --map text=story) is missing' in item.reason and "id, body" in item.reason


@pytest.mark.parametrize("mapping,message", [({"txt": "body"}, 'Did you mean "text"?'), ({"text": " "}, "--map text=")])
def test_readers_bad_mapping_raises(mapping, message):
    with pytest.raises(ConfigError) as info:
        read_inputs(["x.jsonl"], mapping=mapping)
    assert message in str(info.value)


# ---------------------------------------------------------------------------------------------- bad input


def _bad_jsonl() -> tuple[str, bytes]:
    lines = [
        json.dumps({"id": "ok-1", "text": EN, "date": "2022-01-01"}),
        '{"id": "broken", "text": "missing quote}',
        json.dumps(["an", "array"]),
        json.dumps({"id": "no-text", "title": "Only a title", "date": "2022-01-01"}),
        json.dumps({"id": "bad-date", "text": EN2, "date": "24/12/2021"}),
        json.dumps({"id": "typed", "text": {"nested": True}}),
        json.dumps({"id": "ok-2", "text": EN2}),
    ]
    return "bad.jsonl", ("\n".join(lines) + "\n").encode()


def _bad_csv() -> tuple[str, bytes]:
    rows = [
        "id,date,text",
        f'ok-1,2022-01-01,"{EN}"',
        'broken,2022-01-01,"quoted"then more',
        f'fields,2022-01-01,"{EN2}",extra',
        f'ok-2,2022-01-02,"{EN2}"',
        'unclosed,2022-01-03,"this quote never ends',
        "and swallows this line",
    ]
    return "bad.csv", ("\n".join(rows) + "\n").encode()


@pytest.mark.parametrize(
    "build,n_in,n_articles,codes,reason_parts",
    [
        (_bad_jsonl, 7, 2, ["E102", "E102", "E104", "E102", "E102"],
         ["not valid JSON", "holds an array", "no text", '"date" is "24/12/2021"; expected an ISO date such as '
          "2021-12-24 (or map another column with --map date=COLUMN)", '"text" is an object']),
        # 5 rows: the unclosed quote makes the last two lines one row
        (_bad_csv, 5, 2, ["E102", "E102", "E102"],
         ["broken quoting", "row has 4 fields but the header has 3", "lines 6-7 has broken quoting"]),
        (lambda: ("empty.jsonl", b""), 1, 0, ["E103"], ["empty"]),
        (lambda: ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))), 1, 0, ["E101"], ["binary"]),
        (lambda: ("blob.jsonl", b"\x00\x01\x02\x03" * 50), 1, 0, ["E101"], ["binary"]),
        (lambda: ("only-title.csv", b"id,title,text\n1,A title,\n"), 1, 0, ["E104"], ["no text"]),
        (lambda: ("blank.txt", b" \n\t\n"), 1, 0, ["E104"], ["no text"]),
        (lambda: ("header-only.csv", b"id,title,text\n"), 1, 0, ["E103"], ["no articles"]),
        (lambda: ("blank-lines.jsonl", b"\n  \n\n"), 1, 0, ["E103"], ["no articles"]),
    ],
)
def test_readers_bad_input_never_stops_the_batch(tmp_path, build, n_in, n_articles, codes, reason_parts):
    name, data = build()
    path = tmp_path / name
    path.write_bytes(data)
    good = tmp_path / "zz-good.txt"  # read after the bad file: the batch goes on
    good.write_text(EN + " Unique.", encoding="utf-8")
    items = _read(path, good)
    articles, skipped = _split(items)
    assert articles[-1].origin == str(good)
    assert len(articles) - 1 == n_articles
    assert [s.code for s in skipped] == codes
    for s, part in zip(skipped, reason_parts):
        assert part in s.reason
        assert ";" in s.reason  # what was wrong; how to fix it
        assert s.origin.startswith(str(path))
    # count check: every input record comes out as an article or a skipped item, nothing is dropped
    assert len(articles) - 1 + len(skipped) == n_in


def test_readers_skipped_raw_line_is_kept_and_truncated(tmp_path):
    path = tmp_path / "a.jsonl"
    long_broken = '{"text": "' + "x" * 20_000
    path.write_text(long_broken + "\n", encoding="utf-8")
    (item,) = _read(path)
    assert item.origin == f"{path}:1" and item.raw == long_broken[:10_000]


def test_readers_cp1252_file_is_decoded(tmp_path):
    path = tmp_path / "legacy.txt"
    text = "The café owner said the “new” rules would hurt trade, and the mayor agreed on Friday."
    path.write_bytes(text.encode("cp1252"))
    (article,) = _read(path)
    assert isinstance(article, Article)
    assert "café" in article.text and "“new”" in article.text
    assert article.meta["encoding"] != "utf-8"


def test_readers_invalid_utf8_line_in_utf8_file(tmp_path):
    path = tmp_path / "mixed.jsonl"
    good = _jsonl({"id": "u1", "text": EN + " Café."}).encode()
    bad = _jsonl({"id": "u2", "text": EN2 + " Caf\u00e9 again."}).encode("utf-8").replace(b"\xc3\xa9", b"\xe9")
    path.write_bytes(good + bad)
    first, second = _read(path)
    assert first.text.endswith("Café.") and "encoding" not in first.meta
    assert second.text.endswith("Café again.") and second.meta["encoding"] == "cp1252"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "utf-16-le"])
def test_readers_unicode_encodings(tmp_path, encoding):
    path = tmp_path / "u.jsonl"
    path.write_bytes(_jsonl({"text": EN + " Zürich.", "date": "2022-01-01"}, {"text": EN2}).encode(encoding))
    articles, skipped = _split(_read(path))
    assert skipped == [] and len(articles) == 2
    assert articles[0].text.endswith("Zürich.") and articles[0].date == dt.date(2022, 1, 1)


def test_readers_control_characters_stripped(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text(_jsonl({"text": "The\x00 minister\x07 said\r\nhello\tthere\x1b and the talks went on.\x7f "
                                    "They met again on Monday, the office said, and will meet in May."}),
                    encoding="utf-8")
    (article,) = _read(path)
    assert article.text.startswith("The minister said\nhello\tthere and the talks")


def test_readers_huge_text_is_truncated(tmp_path):
    path = tmp_path / "big.jsonl"
    path.write_text(_jsonl({"text": (EN + " ") * 8_000}), encoding="utf-8")  # ~1.1 M characters
    (article,) = _read(path)
    assert len(article.text) == MAX_TEXT_CHARS and article.meta["truncated"] is True
    assert article.meta["original_length"] > MAX_TEXT_CHARS
    big_txt = tmp_path / "big.txt"
    big_txt.write_text((EN + " ") * 8_000, encoding="utf-8")
    (from_text,) = _read(big_txt)
    assert len(from_text.text) == MAX_TEXT_CHARS and from_text.meta["truncated"] is True


@pytest.mark.parametrize(
    "date_value,date_arg,expected",
    [
        ("1850-05-01", None, None),
        ("2999-01-01", None, None),
        ("2999-01-01", dt.date(2022, 1, 1), dt.date(2022, 1, 1)),
    ],
)
def test_readers_untrusted_dates_keep_the_article(tmp_path, date_value, date_arg, expected):
    path = tmp_path / "d.jsonl"
    path.write_text(_jsonl({"text": EN, "date": date_value}), encoding="utf-8")
    (article,) = _read(path, date=date_arg)
    assert isinstance(article, Article)
    assert article.date == expected
    assert date_value in article.meta["date_problem"]


@pytest.mark.parametrize(
    "text,lang",
    [
        ("Le ministre des affaires étrangères a déclaré mardi que les négociations avec ses voisins allaient "
         "reprendre la semaine prochaine dans la capitale.", "fr"),
        ("Der Außenminister sagte am Dienstag, dass die Gespräche mit den Nachbarn in der nächsten Woche in der "
         "Hauptstadt fortgesetzt werden.", "de"),
        ("El ministro dijo el martes que las conversaciones con los vecinos se reanudarán la próxima semana en "
         "la capital.", "es"),
        ("Министр заявил во вторник, что переговоры с соседями возобновятся на следующей неделе в столице.", "ru"),
        ("Міністр заявив у вівторок, що переговори з сусідами відновляться наступного тижня у столиці.", "uk"),
    ],
)
def test_readers_non_english_is_skipped(tmp_path, text, lang):
    path = tmp_path / "l.jsonl"
    path.write_text(_jsonl({"id": "l1", "text": text}, {"id": "l2", "text": EN}), encoding="utf-8")
    skipped, article = _read(path)
    assert isinstance(skipped, Skipped) and skipped.code == "E110"
    assert f"not English (looks like {lang}?)" in skipped.reason
    assert skipped.raw and '"l1"' in skipped.raw
    assert isinstance(article, Article)


def test_readers_cp1251_file_is_decoded_then_found_not_english(tmp_path):
    path = tmp_path / "ru.txt"
    path.write_bytes("Министр иностранных дел заявил во вторник, что переговоры возобновятся.".encode("cp1251"))
    (item,) = _read(path)
    assert isinstance(item, Skipped) and item.code == "E110" and "ru" in item.reason


@pytest.mark.parametrize(
    "text",
    [
        "Shr 12 cts vs 15 cts Net 1,234,000 vs 1,000,000 Revs 12.3 mln vs 11.2 mln Reuter",
        "7.8030 uk 12.622 - 12.634 us/uk 1.6180 - 1.6195 us/w ger 1.8210 - 1.8220 spore 3.6506",
        "Shr NA Net profit 2,000 vs profit 195,000 Revs 2,623,000 vs 2,577,000 Year Shr NA Net loss",
        "Brief.",
        EN,
    ],
)
def test_textcheck_tables_and_short_texts_pass_as_english(text):
    assert textcheck.guess_language(text) is None


def test_readers_duplicate_ids(tmp_path):
    path = tmp_path / "dup.jsonl"
    path.write_text(_jsonl({"id": "d1", "text": EN}, {"id": "d1", "text": EN2}, {"id": "d1", "text": EN}),
                    encoding="utf-8")
    first, changed, repeated = _read(path)
    assert isinstance(first, Article)
    assert changed.code == "E111" and f"{path}:1" in changed.reason and "different text" in changed.reason
    assert repeated.code == "E112" and f"{path}:1" in repeated.reason


def test_readers_duplicates_across_files(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(EN, encoding="utf-8")
    b.write_text(EN, encoding="utf-8")
    first, second = _read(a, b)
    assert isinstance(first, Article) and second.code == "E112" and str(a) in second.reason


# ---------------------------------------------------------------------------------------------- shared corpora


@pytest.mark.parametrize("rel", CORPORA)
def test_readers_shared_corpus_loads(rel):
    path = _shared(f"corpora/{rel}")
    items = list(itertools.islice(read_inputs([path]), 200))
    assert len(items) == 200
    skipped = [i for i in items if isinstance(i, Skipped)]
    assert skipped == []
    for a in items:
        assert a.date is not None and a.outlet and a.text and a.id
        assert ":" in a.origin and "date_problem" not in a.meta


@pytest.mark.parametrize("rel", CORPORA)
def test_textcheck_shared_corpus_is_english(rel):
    """Language false-skip rate on a 1-in-5 sample (run the module on the full corpora for the full figure)."""
    path = _shared(f"corpora/{rel}")
    opener = gzip.open if rel.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for i, line in enumerate(fh) if i % 5 == 0]
    flagged = [t[:80] for t in texts if textcheck.guess_language(t)]
    assert flagged == []


# ---------------------------------------------------------------------------------------------- property


_SUFFIXES = ["jsonl", "csv", "json", "txt", "html", "rss", "dat", "jsonl.gz"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.one_of(
        st.binary(max_size=400),
        st.lists(st.text(max_size=60), max_size=8).map(lambda ls: "\n".join(ls).encode("utf-8", "surrogatepass")),
        st.lists(st.dictionaries(st.sampled_from(["id", "text", "date", "title", "source", "x"]),
                                 st.one_of(st.text(max_size=40), st.integers(), st.none(),
                                           st.lists(st.text(max_size=5), max_size=2))),
                 max_size=4).map(lambda rs: "".join(json.dumps(r) + "\n" for r in rs).encode()),
    ),
    suffix=st.sampled_from(_SUFFIXES),
    fmt=st.one_of(st.none(), st.sampled_from(FORMATS)),
)
def test_readers_property_never_raise(tmp_path, data, suffix, fmt):
    path = tmp_path / f"input.{suffix}"
    path.write_bytes(gzip.compress(data) if suffix.endswith(".gz") else data)
    items = list(read_inputs([path], fmt=fmt, date=dt.date(2022, 1, 1)))
    assert items, "every input gives at least one item"
    for item in items:
        assert isinstance(item, (Article, Skipped))
        assert item.origin.startswith(str(path))
        if isinstance(item, Article):
            assert item.text and item.id
            assert not any(ord(c) < 32 and c not in "\n\t" for c in item.text)
            item.text.encode("utf-8")  # always writable
        else:
            assert item.reason and item.code.startswith("E1")
            assert item.raw is None or len(item.raw) <= 10_000


def test_readers_lone_surrogates_become_replacement_characters(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_text('{"text": "' + EN + ' Broken \\ud800 escape."}\n', encoding="utf-8")
    (article,) = _read(path)
    assert article.text.endswith("Broken \ufffd escape.")
    article.text.encode("utf-8")
