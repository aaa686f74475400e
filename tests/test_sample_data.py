"""The bundled sample (src/flashpoint/data/sample) that `make demo` ingests.

These tests read the files with the standard library only (json, csv, xml.etree, html.parser, email.utils), so a
broken sample is caught even when flashpoint's own readers are broken, and check what the demo relies on: every
format parses, dates fall in the crisis window (Nov 2021 - Mar 2022) and cover each month, ids are unique, the
publishers are the project's fictional outlets, and no sentence is copied from the real news corpus.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import gzip
import json
import re
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

SAMPLE = Path(__file__).resolve().parents[1] / "src" / "flashpoint" / "data" / "sample"
SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpora" / "ukraine-media-2022" / "articles.jsonl.gz"

FIRST_DAY, LAST_DAY = dt.date(2021, 11, 1), dt.date(2022, 3, 31)
MONTHS = ["2021-11", "2021-12", "2022-01", "2022-02", "2022-03"]
FICTIONAL_OUTLETS = {"Sample Gazette", "Flashpoint Sample Wire", "Demo Daily", "Example Herald", "Test Tribune"}
MIN_WORDS_FOR_COPY_CHECK = 8


# ------------------------------------------------------------------------------------------------ stdlib readers
def _read_text_files() -> list[dict]:
    out = []
    for path in sorted((SAMPLE / "text").glob("*.txt")):
        head, _, body = path.read_text(encoding="utf-8").partition("\n")
        m = re.fullmatch(r"date (\d{4}-\d{2}-\d{2})", head.strip())
        assert m, f"{path}: first line must be 'date YYYY-MM-DD', found {head!r}"
        out.append({"id": f"text/{path.name}", "date": dt.date.fromisoformat(m.group(1)), "title": None,
                    "text": body.strip(), "outlet": None, "url": None, "origin": str(path), "tz": None})
    return out


def _read_wire() -> list[dict]:
    out = []
    path = SAMPLE / "wire.jsonl"
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        rec = json.loads(line)
        assert set(rec) == {"id", "date", "title", "text", "outlet", "url"}, f"{path}:{n}: keys {sorted(rec)}"
        out.append({**rec, "date": dt.date.fromisoformat(rec["date"]), "origin": f"{path}:{n}", "tz": None})
    return out


def _read_digest() -> list[dict]:
    out = []
    path = SAMPLE / "digest.csv"
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == ["id", "published_at", "headline", "body", "source", "link"], reader.fieldnames
        for row in reader:
            ts = dt.datetime.fromisoformat(row["published_at"])
            out.append({"id": row["id"], "date": ts.date(), "title": row["headline"], "text": row["body"],
                        "outlet": row["source"], "url": row["link"], "origin": f"{path}:{reader.line_num}",
                        "tz": ts.tzinfo})
    return out


def _read_feed() -> list[dict]:
    path = SAMPLE / "feed.xml"
    root = ET.parse(path).getroot()
    assert root.tag == "rss" and root.get("version") == "2.0", f"{path}: not an RSS 2.0 document"
    channel = root.find("channel")
    outlet = channel.findtext("title")
    out = []
    for item in channel.findall("item"):
        ts = parsedate_to_datetime(item.findtext("pubDate"))
        out.append({"id": item.findtext("guid"), "date": ts.date(), "title": item.findtext("title"),
                    "text": item.findtext("description").strip(), "outlet": outlet, "url": item.findtext("link"),
                    "origin": f"{path}#{item.findtext('guid')}", "tz": ts.tzinfo})
    return out


class _PageParser(HTMLParser):
    """Collects <meta> tags, <title>, the <p> paragraphs inside <article>, and which layout tags occur."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.tags: set[str] = set()
        self.title = ""
        self.paragraphs: list[str] = []
        self._in_title = self._in_article = self._in_p = False
        self._p_class = None
        self._buf: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.add(tag)
        if tag == "meta" and "content" in a:
            key = a.get("property") or a.get("name")
            if key:
                self.meta[key] = a["content"]
        elif tag == "title":
            self._in_title = True
        elif tag == "article":
            self._in_article = True
        elif tag == "p" and self._in_article:
            self._in_p, self._p_class, self._buf = True, a.get("class"), []

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag == "article":
            self._in_article = False
        elif tag == "p" and self._in_p:
            self._in_p = False
            if self._p_class != "byline":
                self.paragraphs.append("".join(self._buf).strip())

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._in_p:
            self._buf.append(data)


def _parse_page(path: Path) -> _PageParser:
    p = _PageParser()
    p.feed(path.read_text(encoding="utf-8"))
    p.close()
    return p


def _read_pages() -> list[dict]:
    out = []
    for path in sorted((SAMPLE / "pages").glob("*.html")):
        p = _parse_page(path)
        ts = dt.datetime.fromisoformat(p.meta["article:published_time"])
        out.append({"id": f"pages/{path.name}", "date": ts.date(), "title": p.title.split(" | ")[0].strip(),
                    "text": "\n\n".join(p.paragraphs), "outlet": p.meta.get("og:site_name"),
                    "url": p.meta.get("og:url"), "origin": str(path), "tz": ts.tzinfo})
    return out


READERS = {"text": _read_text_files, "wire": _read_wire, "digest": _read_digest, "feed": _read_feed,
           "pages": _read_pages}
EXPECTED_COUNTS = {"text": 6, "wire": 10, "digest": 6, "feed": 4, "pages": 4}


@functools.lru_cache(maxsize=None)
def _sample() -> tuple[dict, ...]:
    return tuple(a | {"format": fmt} for fmt, read in READERS.items() for a in read())


def _ids() -> list[str]:
    return [a["id"] for a in _sample()]


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]


_NON_WORD = re.compile(r"[^a-z0-9]+")


def _normalise(text: str) -> str:
    return _NON_WORD.sub(" ", text.lower()).strip()


# ------------------------------------------------------------------------------------------------ tests
@pytest.mark.parametrize("fmt,expected", sorted(EXPECTED_COUNTS.items()))
def test_sample_data_format_parses_with_stdlib(fmt, expected):
    articles = READERS[fmt]()
    assert len(articles) == expected, f"{fmt}: expected {expected} articles, read {len(articles)}"
    for a in articles:
        assert a["text"] and "\n\n" in a["text"], f"{a['origin']}: body missing or not split into paragraphs"


@pytest.mark.parametrize("minimum", [28])
def test_sample_data_has_enough_articles(minimum):
    assert len(_sample()) >= minimum


@pytest.mark.parametrize("article_id", _ids())
def test_sample_data_date_in_crisis_window(article_id):
    a = next(a for a in _sample() if a["id"] == article_id)
    assert FIRST_DAY <= a["date"] <= LAST_DAY, f"{a['origin']}: date {a['date']} outside {FIRST_DAY}..{LAST_DAY}"


@pytest.mark.parametrize("month,minimum", [(m, 3) for m in MONTHS])
def test_sample_data_month_is_covered(month, minimum):
    n = sum(1 for a in _sample() if a["date"].isoformat().startswith(month))
    assert n >= minimum, f"only {n} sample articles in {month}; the demo's tension series needs every month"


@pytest.mark.parametrize("field", ["id", "url"])
def test_sample_data_ids_and_urls_unique(field):
    values = [a[field] for a in _sample() if a[field] is not None]
    dupes = sorted({v for v in values if values.count(v) > 1})
    assert not dupes, f"duplicate {field}s in the sample: {dupes}"


@pytest.mark.parametrize("article_id", _ids())
def test_sample_data_article_length_in_range(article_id):
    a = next(a for a in _sample() if a["id"] == article_id)
    words = len(a["text"].split())
    assert 120 <= words <= 300, f"{a['origin']}: {words} words, expected 120-300"


@pytest.mark.parametrize("fmt", ["wire", "digest", "feed", "pages"])
def test_sample_data_publishers_are_fictional(fmt):
    for a in READERS[fmt]():
        assert a["outlet"] in FICTIONAL_OUTLETS, f"{a['origin']}: publisher {a['outlet']!r} is not a sample outlet"
        assert a["url"].startswith("https://example.org/"), f"{a['origin']}: url {a['url']!r} not under example.org"
        assert a["title"], f"{a['origin']}: missing title"


@pytest.mark.parametrize("fmt", ["digest", "feed", "pages"])
def test_sample_data_timestamps_carry_timezone(fmt):
    for a in READERS[fmt]():
        assert a["tz"] is not None, f"{a['origin']}: timestamp without a UTC offset"


@pytest.mark.parametrize("path", sorted((SAMPLE / "pages").glob("*.html")), ids=lambda p: p.name)
def test_sample_data_page_has_boilerplate_and_agreeing_dates(path):
    p = _parse_page(path)
    assert {"nav", "footer", "article", "head"} <= p.tags, f"{path}: missing page furniture"
    assert p.meta["date"] == p.meta["article:published_time"][:10], f"{path}: meta date and published_time differ"
    body = " ".join(p.paragraphs)
    for furniture in ("Subscribe", "Privacy", "More from the Tribune"):
        assert furniture not in body, f"{path}: page furniture {furniture!r} inside <article>"


@pytest.mark.parametrize("article_id", _ids())
def test_sample_data_readme_lists_article(article_id):
    a = next(a for a in _sample() if a["id"] == article_id)
    readme = (SAMPLE / "README.md").read_text(encoding="utf-8")
    if a["format"] in ("text", "pages"):
        assert f"`{a['id']}`" in readme, f"README.md does not list {a['id']}"
    else:
        assert a["title"] in readme, f"README.md does not list {a['title']!r}"
    assert a["date"].isoformat() in readme


@pytest.mark.shared
@pytest.mark.parametrize("min_words", [MIN_WORDS_FOR_COPY_CHECK])
def test_sample_data_no_sentence_copied_from_corpus(min_words):
    if not CORPUS.is_file():
        pytest.skip(f"real news corpus not found at {CORPUS} (../shared is absent); copy check skipped")
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        corpus = " " + " \n ".join(_normalise(json.loads(line)["text"]) for line in f if line.strip()) + " "
    copied = []
    for a in _sample():
        for s in _sentences(a["text"]):
            n = _normalise(s)
            if len(n.split()) >= min_words and f" {n} " in corpus:
                copied.append(f"{a['origin']}: {s}")
    assert not copied, "sample sentences found verbatim in the corpus (rewrite them):\n" + "\n".join(copied)
