"""Input readers: files, folders, .gz files and stdin in; ``Article`` or ``Skipped`` out, one at a time.

    >>> from flashpoint.ingest.readers import read_inputs
    >>> for item in read_inputs(["articles.jsonl", "feeds/", "-"], date=None):
    ...     print(item.origin, type(item).__name__)

Inputs
    A file, a folder (read recursively in sorted order; hidden files and folders, and documentation files such as
    README*, LICENSE* and *.md, are left out), a gzipped file
    (any format inside; recognised by its first bytes, the format by the inner name and content), or "-" for
    standard input. The format of each file is detected (``detect_format``) or forced with ``fmt``.

Formats (each a reader registered as ``flashpoint.reader.<fmt>.v1``)
    text   one article per file. An optional leading ``date YYYY-MM-DD`` (which may share its line with the first
           words of the body) gives the date. Title: none.
    jsonl  one JSON object per line, streamed line by line.
    json   a JSON array of objects (or one object, or an object holding one list of objects under "articles",
           "items", "data", "records", "results", "entries" or "documents"). Read whole: use JSONL for big inputs.
    csv    a header row, then one article per row, streamed. The delimiter (, ; tab |) is taken from the header line.
    html   one page per file; main text, title, date and site name by trafilatura.
    feed   an RSS or Atom feed (feedparser); each entry is an article, its origin is "path#entryN".

Record fields (jsonl, json, csv; column names are matched without regard to case)
    id ← id; date ← date, published_at, publish_date, pubdate, datetime; title ← title, headline;
    text ← text, body, content, article; outlet ← outlet, source, publisher, site; url ← url, link.
    ``mapping`` ({"text": "body_html"}) names the column for a field. Every other column goes into ``Article.meta``
    unchanged. A text that contains HTML tags is converted to plain text (meta["html_stripped"] = True).

Choices
    Dates. ISO dates and timestamps, RFC 822 dates, Unix times in seconds or milliseconds, and dates with a
    month name ("July 11, 2022", "11 Jul 2022 14:05 GMT") are read. Numeric day/month dates such as 24/12/2021 or
    05/12/2021 are refused (the order cannot be known, and guessing row by row would mix orders within a file),
    as are relative dates ("yesterday", "2 days ago") and dates without a year or day: the record is Skipped
    (E102) with a message saying what to write instead. ``published_at`` is set only when the input gives a time
    with a time zone; ``date`` is then the calendar date in that zone.
    A date before 1900 or more than 2 days in the future is not trusted: the article is still read, its date
    is the ``date`` argument (None without one) and ``meta["date_problem"]`` says what was wrong. An input with
    no date at all gets the ``date`` argument (or None; a date is never invented) and the same note.
    A feed entry whose date cannot be read is treated the same way (it is not skipped).
    Outlet: the record's own (a feed entry's <source>), else the ``outlet`` argument, else the feed title or the
    site name of an HTML page, else None.
    Ids: the record's own ``id``, else ``article_id(outlet, title, text)``. Feed entries always get the hashed id
    (their guid is kept in meta["guid"]).
    Text: control characters are dropped (\\n and \\t kept), newlines normalised, ends stripped. A text longer than
    1,000,000 characters is cut there and meta["truncated"] = True (meta["original_length"] where known).
    Encoding: UTF-8, UTF-16/32 (with a BOM, or UTF-16 without one) are read as such. Text that is not valid
    UTF-8 is decoded with a guessed legacy encoding (``textcheck.sniff_encoding``: charset_normalizer, else
    cp1252, else latin-1) and meta["encoding"] names it. JSONL/CSV lines are decoded one by one, UTF-8 first,
    so a UTF-8 file with a few cp1252 lines reads right (only those lines carry meta["encoding"]).
    Language: texts that clearly are not English are Skipped (E110); see ``textcheck.guess_language``.
    Duplicates: within one ``read_inputs`` call, a second article with an id already read is Skipped: E111 when
    its text differs (the reason names the first origin), E112 when it is the same article again.

Bad input never stops the batch and is never dropped silently: each unreadable file, line, row or entry is
yielded as ``Skipped(origin, reason, code, raw)``; the reason says what was wrong and how to fix it.

Codes
    E101 file cannot be read (missing, binary, damaged gzip, too big to read whole)
    E102 malformed record (invalid JSON, broken CSV quoting, wrong field type, unreadable date)
    E103 empty input (empty file, feed without entries)
    E104 no text (record without text, HTML page without a main text)
    E110 not English
    E111 duplicate id with a different text
    E112 the same article (same id and text) read twice
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import email.utils
import gzip
import hashlib
import html
import io
import json
import os
import re
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import ConfigError, MalformedRecord, UnreadableInput, did_you_mean
from ..models import Article, Skipped
from ..registry import readers
from . import textcheck

__all__ = ["read_inputs", "detect_format", "article_id", "parse_date", "InputSource", "ReadOptions", "FIELDS",
           "FORMATS", "MAX_TEXT_CHARS"]

FORMATS = ("text", "jsonl", "json", "csv", "html", "feed")
#: our field -> the column names tried, in order
FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("id",),
    "date": ("date", "published_at", "publish_date", "pubdate", "datetime"),
    "title": ("title", "headline"),
    "text": ("text", "body", "content", "article"),
    "outlet": ("outlet", "source", "publisher", "site"),
    "url": ("url", "link"),
}
MAX_TEXT_CHARS = 1_000_000          # longer texts are cut here (meta["truncated"])
MAX_RAW_CHARS = 10_000              # Skipped.raw is cut here
MAX_LINE_BYTES = 64 * 1024 * 1024   # a JSONL/CSV line longer than this is Skipped
MAX_WHOLE_BYTES = 256 * 1024 * 1024  # JSON arrays, HTML pages and feeds are read whole, up to this size
HEAD_BYTES = 65536                  # bytes looked at to detect binary content, encoding and format
MIN_DATE = dt.date(1900, 1, 1)
FUTURE_DAYS = 2

_STREAM_ERRORS = (OSError, EOFError, zlib.error)


# ============================================================================================== public helpers


def article_id(outlet: str | None, title: str | None, text: str) -> str:
    """Stable id for an article without one: "a-" + the first 16 hex digits of sha1(outlet|title|text).

    outlet, title (str | None): None counts as "".
    text (str): the article text (after cleaning).
    RETURNS (str): e.g. "a-3f2c9a1b0d4e5f67".
    """
    key = f"{outlet or ''}|{title or ''}|{text}"
    return "a-" + hashlib.sha1(key.encode("utf-8", errors="surrogatepass")).hexdigest()[:16]


_DATE_ONLY = re.compile(r"\d{4}-?\d{2}-?\d{2}")
_YMD_SEP = re.compile(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})")
_NUMERIC_DMY = re.compile(r"\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}(?!\d)")
_EPOCH_S = re.compile(r"\d{9,10}(\.\d+)?")
_EPOCH_MS = re.compile(r"\d{12,13}")
_RFC822 = re.compile(r"(?:[A-Za-z]{3},?\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}")
_HAS_YEAR = re.compile(r"(?<!\d)(1\d{3}|2\d{3})(?!\d)")
_RELATIVE = re.compile(r"\b(ago|yesterday|today|tomorrow|now|last|next|this)\b", re.IGNORECASE)
_STRPTIME = ("%B %d, %Y", "%b %d, %Y", "%b. %d, %Y", "%d %B %Y", "%d %b %Y", "%B %d %Y", "%A, %B %d, %Y",
             "%a, %b %d, %Y", "%A %d %B %Y")


def parse_date(value: str, *, origin: str, field: str) -> tuple[dt.date | None, str | None]:
    """Read a publication date.

    value (str): the date as written in the input.
    origin (str): "path:line", for the error message.
    field (str): the column it came from, for the error message.
    RETURNS (tuple[date | None, str | None]): the calendar date, and an ISO timestamp with time zone when the
        value has a time and a zone (else None). An empty value gives (None, None).
    RAISES MalformedRecord: the value is not a date we can read without guessing; the message says what to
        write instead (see the module docstring for what is accepted and refused).
    """
    s = str(value).strip()
    if not s:
        return None, None
    parsed = _parse_date_value(s)
    if parsed is None:
        if _NUMERIC_DMY.match(s):
            hint = "; numeric day/month dates are ambiguous (05/12/2021 is May or December)"
        elif _DATE_ONLY.fullmatch(s):
            hint = "; there is no such day"
        elif _RELATIVE.search(s):
            hint = "; relative dates cannot be placed without guessing"
        else:
            hint = "; a date needs a year, a month and a day"
        raise MalformedRecord(
            f'"{field}" is "{_short(s, 60)}"; expected an ISO date such as 2021-12-24 '
            f"(or map another column with --map date=COLUMN){hint}",
            origin=origin,
        )
    return parsed


def _parse_date_value(s: str) -> tuple[dt.date, str | None] | None:
    if _DATE_ONLY.fullmatch(s):
        try:
            return dt.date.fromisoformat(s), None
        except ValueError:
            return None
    try:
        return _from_datetime(dt.datetime.fromisoformat(s.replace("z", "Z")))
    except ValueError:
        pass
    m = _YMD_SEP.fullmatch(s)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3])), None
        except ValueError:
            return None
    if _EPOCH_S.fullmatch(s) or _EPOCH_MS.fullmatch(s):
        seconds = float(s) / (1000 if _EPOCH_MS.fullmatch(s) else 1)
        try:
            return _from_datetime(dt.datetime.fromtimestamp(seconds, tz=dt.timezone.utc))
        except (ValueError, OverflowError, OSError):
            return None
    if _RFC822.match(s):
        try:
            return _from_datetime(email.utils.parsedate_to_datetime(s))
        except (TypeError, ValueError, IndexError):
            pass
    if _NUMERIC_DMY.match(s) or _RELATIVE.search(s) or not _HAS_YEAR.search(s) or len(s) > 80:
        return None
    for fmt in _STRPTIME:
        try:
            return dt.datetime.strptime(s, fmt).date(), None
        except ValueError:
            continue
    return _dateparser(s)


def _dateparser(s: str) -> tuple[dt.date, str | None] | None:
    import dateparser

    try:
        d = dateparser.parse(
            s,
            languages=["en"],
            settings={"DATE_ORDER": "YMD", "REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DATES_FROM": "past"},
        )
    except (ValueError, TypeError, OverflowError, re.error):
        return None
    return _from_datetime(d) if d is not None else None


def _from_datetime(d: dt.datetime | dt.date) -> tuple[dt.date, str | None]:
    if not isinstance(d, dt.datetime):
        return d, None
    if d.tzinfo is not None and d.utcoffset() is not None:
        return d.date(), d.isoformat()
    return d.date(), None


_EXTENSION_FORMATS = {
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".jsonlines": "jsonl",
    ".csv": "csv", ".tsv": "csv", ".tab": "csv",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".rss": "feed", ".atom": "feed", ".xml": "feed", ".rdf": "feed",
    ".txt": "text", ".text": "text", ".md": "text",
}
_FEED_MARKERS = ("<rss", "<feed", "<rdf:rdf", "<channel")
_HTML_MARKERS = ("<!doctype html", "<html", "<head", "<body", "<article", "<div", "<p>", "<p ", "<title")


def detect_format(path: Path, head: bytes) -> str:
    """Detect the format of an input from its name and first bytes.

    path (Path): the file name (a trailing .gz is ignored; "<stdin>" has none).
    head (bytes): the first bytes of the (decompressed) content.
    RETURNS (str): "text", "jsonl", "json", "csv", "html" or "feed".
    """
    name = Path(path).name.lower()
    for suffix in (".gz", ".gzip"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    suffix = Path(name).suffix
    text = _head_text(head)
    start = text.lstrip("\ufeff \t\r\n")
    lower = start[:4000].lower()
    if suffix == ".json":
        return "jsonl" if start.startswith("{") and _first_line_is_object(start) else "json"
    if suffix in _EXTENSION_FORMATS:
        fmt = _EXTENSION_FORMATS[suffix]
        if fmt == "feed" and not any(m in lower for m in _FEED_MARKERS) and any(m in lower for m in _HTML_MARKERS):
            return "html"
        return fmt
    if start.startswith("["):
        return "json"
    if start.startswith("{"):
        return "jsonl" if _first_line_is_object(start) else "json"
    if start.startswith("<"):
        if any(m in lower for m in _FEED_MARKERS):
            return "feed"
        if any(m in lower for m in _HTML_MARKERS):
            return "html"
        return "feed" if lower.startswith("<?xml") else "text"
    if _looks_csv(start):
        return "csv"
    return "text"


def _head_text(head: bytes) -> str:
    encoding = textcheck.sniff_encoding(head)
    return head.decode(encoding, errors="replace")


def _first_line_is_object(text: str) -> bool:
    """True for JSON Lines: the first line is a whole JSON object (not a {"articles": [...]} wrapper)."""
    try:
        first = json.loads(text.split("\n", 1)[0].strip())
    except ValueError:
        return False
    if not isinstance(first, dict):
        return False
    keys = {str(k).lower() for k in first}
    wrapper = any(k in _LIST_KEYS and isinstance(v, list) for k, v in ((str(k).lower(), v) for k, v in first.items()))
    return not wrapper or bool(keys & set(FIELDS["text"]))


_COLUMN_NAME = re.compile(r"[\w .\-/()#]{1,40}")


def _looks_csv(text: str) -> bool:
    header = text.split("\n", 1)[0].strip()
    delimiter = _delimiter(header)
    columns = [c.strip().strip('"').strip().lower() for c in header.split(delimiter)]
    known = {alias for aliases in FIELDS.values() for alias in aliases}
    return (len(columns) >= 2 and all(_COLUMN_NAME.fullmatch(c) for c in columns)
            and bool(set(columns) & known))


def _delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


# ============================================================================================== options, sources


@dataclass
class ReadOptions:
    """What ``read_inputs`` passes to every reader.

    date (datetime.date | None): publication date for inputs that carry none (or an untrusted one).
    mapping (dict[str, str]): our field name -> the input's column name.
    outlet (str | None): outlet for inputs that name none.
    """

    date: dt.date | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    outlet: str | None = None


class _Prefixed(io.RawIOBase):
    """A raw stream that first returns ``head`` and then the rest of ``stream``."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self._head = memoryview(head)
        self._pos = 0
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        if self._pos < len(self._head):
            n = min(len(buffer), len(self._head) - self._pos)
            buffer[:n] = self._head[self._pos:self._pos + n]
            self._pos += n
            return n
        data = self._stream.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        return n

    def close(self) -> None:
        try:
            self._stream.close()
        finally:
            super().close()


def _read_up_to(stream: BinaryIO, n: int) -> bytes:
    chunks = []
    left = n
    while left > 0:
        chunk = stream.read(left)
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


class InputSource:
    """One opened input as a reader sees it.

    name (str): the origin prefix: the path as given, or "<stdin>".
    path (Path): the name used for format detection (".gz" removed).
    head (bytes): the first bytes of the decompressed content.
    encoding (str): the sniffed text encoding.
    lineno (int): the last line handed out by ``lines()``.
    last_raw (str | None): the raw text of the record last yielded (set by line readers), for ``Skipped.raw``.
    """

    def __init__(self, name: str, path: Path, stream: BinaryIO, head: bytes) -> None:
        self.name = name
        self.path = path
        self.head = head
        self.encoding = textcheck.sniff_encoding(head)
        self.lineno = 0
        self.last_raw: str | None = None
        self._stream = io.BufferedReader(_Prefixed(head, stream), buffer_size=1 << 16)  # type: ignore[arg-type]

    def close(self) -> None:
        self._stream.close()

    def _decode_line(self, raw: bytes) -> tuple[str, str | None]:
        """Decode one line: UTF-8 first, then the file's legacy encoding, then a guess for the line alone."""
        try:
            return raw.decode("utf-8-sig" if self.lineno == 1 else "utf-8"), None
        except UnicodeDecodeError:
            pass
        if self._legacy:
            try:
                return raw.decode(self.encoding), self.encoding
            except UnicodeDecodeError:
                pass
        return textcheck.decode_fallback(raw)

    @property
    def _legacy(self) -> bool:
        return codecs.lookup(self.encoding).name not in ("utf-8", "utf-8-sig")

    def lines(self) -> Iterator[tuple[int, str | None, str | None]]:
        """Yield (line number, decoded line with its newline, legacy encoding used or None) one at a time.

        The line is None when it is longer than MAX_LINE_BYTES (it is skipped over). Each line is tried as
        UTF-8 first, so a file that mixes UTF-8 lines with a few cp1252 lines reads right.
        """
        if not textcheck.is_ascii_compatible(self.encoding):  # UTF-16/32
            wrapper = io.TextIOWrapper(self._stream, encoding=self.encoding, errors="replace", newline="")
            while True:
                line = wrapper.readline(MAX_LINE_BYTES)
                if not line:
                    return
                self.lineno += 1
                if len(line) >= MAX_LINE_BYTES and not line.endswith("\n"):
                    while (more := wrapper.readline(MAX_LINE_BYTES)) and not more.endswith("\n"):
                        pass
                    yield self.lineno, None, None
                    continue
                yield self.lineno, line, None
        while True:
            raw = self._stream.readline(MAX_LINE_BYTES)
            if not raw:
                return
            self.lineno += 1
            if len(raw) >= MAX_LINE_BYTES and not raw.endswith(b"\n"):
                while (more := self._stream.readline(MAX_LINE_BYTES)) and not more.endswith(b"\n"):
                    pass
                yield self.lineno, None, None
                continue
            text, used = self._decode_line(raw)
            yield self.lineno, text, used

    def read_bytes(self, limit: int = MAX_WHOLE_BYTES) -> bytes | None:
        """The whole (decompressed) content, or None when it is larger than ``limit``."""
        data = _read_up_to(self._stream, limit + 1)
        return None if len(data) > limit else data

    def read_text(self, max_chars: int = MAX_TEXT_CHARS) -> tuple[str, bool, str | None]:
        """Decode at most ``max_chars`` characters.

        RETURNS (tuple[str, bool, str | None]): the text, whether it was cut, and the legacy encoding used
            (None for UTF-8/16/32).
        """
        if not textcheck.is_ascii_compatible(self.encoding):
            wrapper = io.TextIOWrapper(self._stream, encoding=self.encoding, errors="replace", newline="")
            text = wrapper.read(max_chars + 1)
            return text[:max_chars + 1], len(text) > max_chars, None
        data = _read_up_to(self._stream, max_chars * 4 + 4)
        more = bool(self._stream.read(1))
        used = None
        try:
            decoder = codecs.getincrementaldecoder(self.encoding if self._legacy else "utf-8-sig")()
            text = decoder.decode(data, final=not more)
            used = self.encoding if self._legacy else None
        except UnicodeDecodeError:
            text, used = textcheck.decode_fallback(data)
        return text[:max_chars + 1], more or len(text) > max_chars, used


# ============================================================================================== read_inputs


def read_inputs(
    inputs: Iterable[str | os.PathLike],
    *,
    date: dt.date | None = None,
    mapping: dict[str, str] | None = None,
    fmt: str | None = None,
    outlet: str | None = None,
) -> Iterator[Article | Skipped]:
    """Read articles from files, folders, .gz files or "-" (stdin), lazily.

    inputs (Iterable[str | PathLike]): what to read.
    date (datetime.date | None): publication date for inputs that carry none. Never invented otherwise.
    mapping (dict[str, str] | None): our field -> the input's column, e.g. {"text": "body_html"}.
    fmt (str | None): force a format: text, jsonl, json, csv, html, feed (also txt, ndjson, tsv, rss, atom),
        or a registered reader name such as "flashpoint.reader.jsonl.v1".
    outlet (str | None): outlet for inputs that name none.
    RETURNS (Iterator[Article | Skipped]): one item per article or per input that could not be read.
    RAISES ConfigError: an unknown format or mapping field (checked before anything is read).
    """
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    reader = _reader_for(fmt) if fmt else None
    options = ReadOptions(date=_as_date(date), mapping=_check_mapping(mapping), outlet=_clean_line(outlet))
    return _read_all(list(inputs), options, reader)


def _as_date(value: Any) -> dt.date | None:
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f'date "{value}" is not a date; give it as YYYY-MM-DD, e.g. 2021-12-24') from None


_FORMAT_ALIASES = {"txt": "text", "ndjson": "jsonl", "htm": "html", "tsv": "csv", "rss": "feed", "atom": "feed",
                   "xml": "feed"}


def _reader_for(fmt: str):
    short = fmt.lower().strip()
    name = fmt if fmt.startswith("flashpoint.") else f"reader.{_FORMAT_ALIASES.get(short, short)}"
    try:
        return readers.get(name)
    except ConfigError:
        raise ConfigError(
            f'Unknown input format "{fmt}". Formats: {", ".join(FORMATS)}.' + did_you_mean(fmt, list(FORMATS))
        ) from None


def _check_mapping(mapping: dict[str, str] | None) -> dict[str, str]:
    if not mapping:
        return {}
    checked = {}
    for ours, theirs in mapping.items():
        if ours not in FIELDS:
            raise ConfigError(
                f'Unknown field "{ours}" in --map {ours}={theirs}. Fields: {", ".join(FIELDS)}.'
                + did_you_mean(ours, list(FIELDS))
            )
        if not isinstance(theirs, str) or not theirs.strip():
            raise ConfigError(f'--map {ours}= needs a column name, e.g. --map {ours}=my_{ours}_column')
        checked[ours] = theirs.strip()
    return checked


def _read_all(inputs: list, options: ReadOptions, forced) -> Iterator[Article | Skipped]:
    seen: dict[str, tuple[bytes, str]] = {}
    for inp in inputs:
        for opened in _open_inputs(inp):
            if isinstance(opened, Skipped):
                yield opened
                continue
            source = opened
            try:
                for item in _read_source(source, options, forced):
                    yield _check(item, source, seen)
            finally:
                source.close()


def _check(item: Article | Skipped, source: InputSource, seen: dict[str, tuple[bytes, str]]) -> Article | Skipped:
    """Language and duplicate checks on an article read from ``source``."""
    if isinstance(item, Skipped):
        return item
    raw = source.last_raw
    lang = textcheck.guess_language(item.text)
    if lang:
        return Skipped(
            item.origin,
            f"not English (looks like {lang}?); flashpoint codes English news: translate it or leave it out",
            "E110", raw,
        )
    digest = hashlib.blake2b(item.text.encode("utf-8", errors="surrogatepass"), digest_size=12).digest()
    if item.id in seen:
        first_digest, first_origin = seen[item.id]
        if first_digest != digest:
            return Skipped(
                item.origin,
                f'id "{item.id}" was already read from {first_origin} with a different text; give each article '
                f"its own id (or drop the id column to use content hashes)",
                "E111", raw,
            )
        return Skipped(item.origin, f'the same article (id "{item.id}") was already read from {first_origin}; '
                       "remove the repeat", "E112", raw)
    seen[item.id] = (digest, item.origin)
    return item


def _open_inputs(inp: str | os.PathLike) -> Iterator[InputSource | Skipped]:
    if str(inp) == "-":
        stream = getattr(sys.stdin, "buffer", None)
        if stream is None:  # a text stream without a buffer (tests, embedded interpreters)
            stream = io.BytesIO(sys.stdin.read().encode("utf-8"))
        yield from _prepare(stream, "<stdin>", Path("<stdin>"), close=False)
        return
    path = Path(inp)
    if path.is_dir():
        files = _walk(path)
        if not files:
            yield Skipped(str(path), "folder has no files to read (hidden files are left out); check the path", "E103")
        for f in files:
            yield from _open_file(f)
    elif path.exists():
        yield from _open_file(path)
    else:
        try:
            siblings = [p.name for p in path.parent.iterdir()] if path.parent.is_dir() else []
        except OSError:
            siblings = []
        yield Skipped(str(path), f'no such file or folder "{path}"; check the path.' + did_you_mean(path.name, siblings),
                      "E101")


def _walk(root: Path) -> list[Path]:
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        # documentation beside the data (README, LICENSE, *.md) is not news: left out of folder walks
        found.extend(Path(dirpath) / f for f in filenames if not f.startswith(".") and not _is_doc_file(f))
    return sorted(found, key=lambda p: p.relative_to(root).parts)


def _open_file(path: Path) -> Iterator[InputSource | Skipped]:
    try:
        fh = open(path, "rb")
    except OSError as e:
        yield Skipped(str(path), f"cannot open the file ({e.strerror or e}); check that it exists and is readable",
                      "E101")
        return
    yield from _prepare(fh, str(path), path, close=True)


def _prepare(stream: BinaryIO, name: str, path: Path, *, close: bool) -> Iterator[InputSource | Skipped]:
    if not close:
        stream = io.BufferedReader(_Unclosing(stream))  # type: ignore[assignment]
    try:
        head = _read_up_to(stream, HEAD_BYTES)
    except _STREAM_ERRORS as e:
        stream.close()
        yield Skipped(name, f"cannot read the input ({e}); check that it is a readable file", "E101")
        return
    if head[:2] == b"\x1f\x8b":
        gz = gzip.GzipFile(fileobj=io.BufferedReader(_Prefixed(head, stream)), mode="rb")  # type: ignore[arg-type]
        try:
            head = _read_up_to(gz, HEAD_BYTES)
        except _STREAM_ERRORS as e:
            gz.close()
            stream.close()
            yield Skipped(name, f"not a readable gzip file ({e}); test it with gzip -t, or re-compress it", "E101")
            return
        stream = gz  # type: ignore[assignment]
        lowered = path.name.lower()
        path = path.with_name(path.name[:-3]) if lowered.endswith(".gz") else path.with_suffix("")
    if not head:
        stream.close()
        yield Skipped(name, "the input is empty; remove it or add the article text", "E103")
        return
    if textcheck.looks_binary(head):
        stream.close()
        yield Skipped(
            name,
            f"looks like a binary file, not text (starts with {head[:8].hex(' ')}); flashpoint reads text, JSONL, "
            "JSON, CSV, HTML and RSS/Atom files, optionally gzipped: convert it first",
            "E101",
        )
        return
    yield InputSource(name, path, stream, head)


class _Unclosing(io.RawIOBase):
    """Reads ``stream`` but leaves it open on close (stdin)."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:  # type: ignore[override]
        return self._stream.read(n)

    def readinto(self, buffer) -> int:  # type: ignore[override]
        data = self._stream.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


def _read_source(source: InputSource, options: ReadOptions, forced) -> Iterator[Article | Skipped]:
    reader = forced or readers.get(f"reader.{detect_format(source.path, source.head)}")
    count = 0
    try:
        for item in reader(source, options):
            count += 1
            yield item
        if not count:
            yield Skipped(source.name, "no articles in the input (only blank lines, or a header without rows); "
                          "check that it is the file you meant", "E103")
    except UnreadableInput as e:
        yield Skipped(e.origin or source.name, e.reason, e.code)
    except _STREAM_ERRORS as e:
        where = f"{source.name}:{source.lineno + 1}" if source.lineno else source.name
        yield Skipped(
            where,
            f"reading stopped here ({type(e).__name__}: {e}); the file is damaged or cut short (for .gz test it "
            "with gzip -t); what came before was read",
            "E101",
        )


# ============================================================================================== article building


def _clean_line(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(textcheck.clean_text(str(value)).split())
    return text or None


_HTML_TAG = re.compile(r"</(?:p|div|span|a|li|ul|ol|h[1-6]|strong|em|b|i|blockquote|section|article|td|tr)>|<br\s*/?>|<p[\s>]")


def _looks_like_html(text: str) -> bool:
    return bool(_HTML_TAG.search(text[:100_000]))


class _HTMLText(HTMLParser):
    """HTML fragment -> plain text: block elements become line breaks, scripts and styles are dropped."""

    _BLOCKS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "section",
               "article", "tr", "table", "header", "footer", "figure", "figcaption", "hr", "pre"}
    _DROP = {"script", "style", "noscript", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._drop = 0

    def handle_starttag(self, tag, attrs):  # noqa: D102
        if tag in self._DROP:
            self._drop += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):  # noqa: D102
        if tag in self._DROP:
            self._drop = max(0, self._drop - 1)
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):  # noqa: D102
        if not self._drop:
            self.parts.append(data)


class _ContentText(_HTMLText):
    """Collects the text of a page that lies outside navigation, header, footer, asides, head and scripts.

    Forms are not left out: some sites wrap their whole page in one <form>.
    """

    _BLOCKS: set[str] = set()
    _DROP = {"nav", "header", "footer", "aside", "menu", "head", "title", "script", "style", "noscript", "template",
             "button", "select", "svg"}


def _only_boilerplate(markup: str) -> bool:
    """True when a page has no text at all outside its navigation, header, footer and asides (a page without an
    article: its "main text" would be menu labels)."""
    parser = _ContentText()
    try:
        parser.feed(markup)
        parser.close()
    except (AssertionError, ValueError):  # html.parser gives up on some broken markup: keep what trafilatura found
        return False
    return not "".join(parser.parts).strip()


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (tags removed, entities decoded, one paragraph per line)."""
    parser = _HTMLText()
    try:
        parser.feed(fragment)
        parser.close()
    except (AssertionError, ValueError):  # html.parser gives up on some broken markup: fall back to a regex
        return html.unescape(re.sub(r"<[^>]*>", " ", fragment))
    text = "".join(parser.parts)
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _make_article(
    *,
    origin: str,
    text: str,
    options: ReadOptions,
    record_id: str | None = None,
    date: dt.date | None = None,
    published_at: str | None = None,
    date_problem: str | None = None,
    title: str | None = None,
    outlet: str | None = None,
    fallback_outlet: str | None = None,
    url: str | None = None,
    meta: dict[str, Any] | None = None,
    truncated: bool = False,
    raw: str | None = None,
    no_text_hint: str = "",
) -> Article | Skipped:
    meta = dict(meta or {})
    text = textcheck.clean_text(text)
    if text and _looks_like_html(text):
        text = textcheck.clean_text(html_to_text(text))
        meta["html_stripped"] = True
    if not text:
        return Skipped(origin, "no text" + (no_text_hint or "; add the article text"), "E104", raw)
    if len(text) > MAX_TEXT_CHARS:
        meta["original_length"] = len(text)
        text = text[:MAX_TEXT_CHARS]
        truncated = True
    if truncated:
        meta["truncated"] = True
    if date is not None and not (MIN_DATE <= date <= dt.date.today() + dt.timedelta(days=FUTURE_DAYS)):
        when = "before 1900" if date < MIN_DATE else f"more than {FUTURE_DAYS} days in the future"
        date_problem = f"date {date.isoformat()} is {when}; not trusted"
        date, published_at = None, None
    if date is None:
        if date_problem is None:
            date_problem = "no publication date in the input"
        if options.date is not None:
            date = options.date
            date_problem += f"; used the given date {options.date.isoformat()}"
        else:
            date_problem += "; give one with --date YYYY-MM-DD (date=...)"
        meta["date_problem"] = date_problem
    title = _clean_line(title)
    outlet = _clean_line(outlet) or options.outlet or _clean_line(fallback_outlet)
    url = _clean_line(url)
    return Article(
        id=record_id or article_id(outlet, title, text),
        text=text,
        date=date,
        published_at=published_at,
        title=title,
        outlet=outlet,
        url=url,
        origin=origin,
        meta=meta,
    )


def _short(value: Any, n: int = 80) -> str:
    s = str(value)
    return s if len(s) <= n else s[: n - 1] + "…"


def _describe(value: Any) -> str:
    kind = {dict: "an object", list: "a list", bool: "true/false", int: "a number", float: "a number"}.get(type(value))
    return f"{kind} ({_short(json.dumps(value, ensure_ascii=False, default=str), 40)})" if kind else f'"{_short(value, 40)}"'


def _record_article(record: dict[str, Any], origin: str, options: ReadOptions, *, raw: str | None = None,
                    extra_meta: dict[str, Any] | None = None) -> Article | Skipped:
    """One JSON object or CSV row -> Article (or Skipped, with the reason)."""
    keys = {}
    for key in record:
        keys.setdefault(str(key).strip().lower(), key)
    used: set[Any] = set()
    missing_mapped: dict[str, str] = {}

    def pick(name: str) -> tuple[Any, Any]:
        if name in options.mapping:
            column = options.mapping[name]
            key = column if column in record else keys.get(column.lower())
            if key is None:
                missing_mapped[name] = column
                return None, None
            used.add(key)
            return key, record[key]
        found: tuple[Any, Any] = (None, None)
        for alias in FIELDS[name]:
            key = keys.get(alias)
            if key is None:
                continue
            if record[key] in (None, ""):
                used.add(key)  # an empty alias column carries nothing: not kept in meta either
            elif found[0] is None:
                used.add(key)
                found = (key, record[key])
        return found

    try:
        text_key, text = pick("text")
        text = _as_text(text_key, text)
        id_key, rid = pick("id")
        rid = _as_scalar("id", id_key, rid)
        title_key, title = pick("title")
        title = _as_scalar("title", title_key, title)
        outlet_key, outlet = pick("outlet")
        if isinstance(outlet, dict):  # e.g. {"id": "bbc-news", "name": "BBC News"}
            outlet = outlet.get("name") or outlet.get("title")
        outlet = _as_scalar("outlet", outlet_key, outlet)
        url_key, url = pick("url")
        url = _as_scalar("url", url_key, url)
        date_key, date_value = pick("date")
        date, published_at = _record_date(date_key, date_value, origin)
    except MalformedRecord as e:
        return Skipped(origin, e.reason, e.code, raw)
    meta = {k: v for k, v in record.items() if k not in used}
    meta.update(extra_meta or {})
    date_problem = None
    if "date" in missing_mapped:
        date_problem = f'column "{missing_mapped["date"]}" (from --map date={missing_mapped["date"]}) is missing'
    columns = ", ".join(str(k) for k in list(record)[:20]) or "(none)"
    if "text" in missing_mapped:
        hint = (f': column "{missing_mapped["text"]}" (from --map text={missing_mapped["text"]}) is missing; '
                f"columns are: {columns}")
    elif text_key is None:
        hint = (f": none of the columns {', '.join(FIELDS['text'])} has a value (columns: {columns}); "
                "add the text or name its column with --map text=COLUMN")
    else:
        hint = f': "{text_key}" is empty; add the article text'
    return _make_article(
        origin=origin, text=text or "", options=options, record_id=rid, date=date, published_at=published_at,
        date_problem=date_problem, title=title, outlet=outlet, url=url, meta=meta, raw=raw, no_text_hint=hint,
    )


def _as_text(key: Any, value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "\n\n".join(value)
    raise MalformedRecord(f'"{key}" is {_describe(value)}; expected the article text as a string')


def _as_scalar(name: str, key: Any, value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise MalformedRecord(
        f'"{key}" is {_describe(value)}; expected a string (or map another column with --map {name}=COLUMN)'
    )


def _record_date(key: Any, value: Any, origin: str) -> tuple[dt.date | None, str | None]:
    if value is None or value == "":
        return None, None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise MalformedRecord(
            f'"{key}" is {_describe(value)}; expected an ISO date such as 2021-12-24 '
            "(or map another column with --map date=COLUMN)"
        )
    if isinstance(value, (int, float)):
        value = str(int(value))
    try:
        return parse_date(value, origin=origin, field=str(key))
    except MalformedRecord as e:
        raise MalformedRecord(e.reason) from None


def _raw(line: str | None) -> str | None:
    return None if line is None else line.rstrip("\r\n")[:MAX_RAW_CHARS]


# ============================================================================================== readers


_DATE_HEADER = re.compile(
    r"\A[\s\ufeff]*date\s*[:=]?\s*"
    r"(\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s?(?:Z|UTC|GMT|[+-]\d{2}:?\d{2}))?)?)"
    r"(?=\s|\Z)",
    re.IGNORECASE,
)


@readers.register("flashpoint.reader.text.v1")
def read_text(source: InputSource, options: ReadOptions) -> Iterator[Article | Skipped]:
    """A plain-text file: one article, with an optional leading ``date YYYY-MM-DD``."""
    text, truncated, used = source.read_text()
    meta: dict[str, Any] = {"encoding": used} if used else {}
    date = published_at = None
    m = _DATE_HEADER.match(text)
    if m:
        try:
            date, published_at = parse_date(m.group(1), origin=source.name, field="date")
        except MalformedRecord:
            yield Skipped(
                source.name,
                f'the first line says date "{m.group(1)}"; expected an ISO date such as "date 2021-12-24" '
                "(numeric day/month orders are ambiguous)",
                "E102",
            )
            return
        text = text[m.end():]
    yield _make_article(origin=source.name, text=text, options=options, date=date, published_at=published_at,
                        meta=meta, truncated=truncated, no_text_hint="; the file holds no article text")


@readers.register("flashpoint.reader.jsonl.v1")
def read_jsonl(source: InputSource, options: ReadOptions) -> Iterator[Article | Skipped]:
    """JSON Lines: one object per line, read line by line."""
    for lineno, line, used in source.lines():
        origin = f"{source.name}:{lineno}"
        source.last_raw = raw = _raw(line)
        if line is None:
            yield Skipped(origin, f"line is longer than {MAX_LINE_BYTES // 2**20} MiB; split the record or shorten "
                          "its text", "E102")
            continue
        stripped = line.strip().lstrip("\ufeff")
        if not stripped:
            continue
        try:
            record = json.loads(stripped)
        except json.JSONDecodeError as e:
            yield Skipped(
                origin,
                f"line is not valid JSON ({e.msg} at column {e.colno}); each line must be one JSON object such as "
                '{"date": "2021-12-24", "text": "..."}',
                "E102", raw,
            )
            continue
        except RecursionError:
            yield Skipped(origin, "line is nested too deeply to read; each line must be one flat JSON object",
                          "E102", raw)
            continue
        if not isinstance(record, dict):
            kind = {list: "an array", str: "a string", int: "a number", float: "a number", bool: "true/false"}.get(
                type(record), "null")
            yield Skipped(origin, f'line holds {kind}, not a JSON object; write one object per line such as '
                          '{"date": "2021-12-24", "text": "..."}', "E102", raw)
            continue
        yield _record_article(record, origin, options, raw=raw, extra_meta={"encoding": used} if used else None)


class _LineFeed:
    """Feeds decoded lines to csv.reader and remembers where the current row began and its raw text."""

    def __init__(self, source: InputSource) -> None:
        self._lines = source.lines()
        self.start = 1
        self.next_line = 1
        self.raw: list[str] = []
        self._raw_len = 0
        self.notes: list[str] = []
        self.too_long: list[int] = []

    def __iter__(self):
        return self

    def __next__(self) -> str:
        while True:
            lineno, line, used = next(self._lines)
            self.next_line = lineno + 1
            if line is None:
                self.too_long.append(lineno)
                continue
            if used:
                self.notes.append(used)
            if self._raw_len < MAX_RAW_CHARS:
                self.raw.append(line)
                self._raw_len += len(line)
            return line

    def take(self) -> tuple[int, int, str | None, list[str], list[int]]:
        """(first line, last line, raw text, notes, overlong lines) of the row just read; then reset."""
        first, last = self.start, self.next_line - 1
        raw = "".join(self.raw)[:MAX_RAW_CHARS].rstrip("\r\n") if self.raw else None
        notes, too_long = self.notes, self.too_long
        self.start = self.next_line
        self.raw, self._raw_len, self.notes, self.too_long = [], 0, [], []
        return first, last, raw, notes, too_long


_QUOTING_HELP = ('quote every field that contains the delimiter, a quote or a line break ("like, this"), and '
                 'double the quotes inside a quoted field ("he said ""no""")')


@readers.register("flashpoint.reader.csv.v1")
def read_csv(source: InputSource, options: ReadOptions) -> Iterator[Article | Skipped]:
    """CSV/TSV with a header row, read row by row."""
    csv.field_size_limit(max(csv.field_size_limit(), MAX_LINE_BYTES))
    head_text = _head_text(source.head).lstrip("\ufeff")
    delimiter = "\t" if source.path.suffix.lower() in (".tsv", ".tab") else _delimiter(head_text.split("\n", 1)[0])
    feed = _LineFeed(source)
    rows = csv.reader(feed, delimiter=delimiter, quotechar='"', doublequote=True, strict=True)
    header: list[str] | None = None
    while True:
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as e:
            first, last, raw, _, _ = feed.take()
            lines = f"line {first}" if first == last else f"lines {first}-{last}"
            what = "header" if header is None else "row"
            yield Skipped(f"{source.name}:{first}", f"{what} at {lines} has broken quoting ({e}); {_QUOTING_HELP}",
                          "E102", raw)
            continue
        first, last, raw, notes, too_long = feed.take()
        origin = f"{source.name}:{first}"
        source.last_raw = raw
        for n in too_long:
            yield Skipped(f"{source.name}:{n}", f"line is longer than {MAX_LINE_BYTES // 2**20} MiB; split the row "
                          "or shorten its text", "E102")
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = [c.strip().lstrip("\ufeff") for c in row]
            dupes = sorted({c for c in header if header.count(c) > 1})
            if dupes:
                yield Skipped(origin, f"the header names {', '.join(dupes)} more than once; give every column its own "
                              "name", "E102", raw)
                return
            continue
        if len(row) != len(header):
            yield Skipped(
                origin,
                f"row has {len(row)} fields but the header has {len(header)}; {_QUOTING_HELP}",
                "E102", raw,
            )
            continue
        extra = {"encoding": notes[0]} if notes else None
        yield _record_article(dict(zip(header, row)), origin, options, raw=raw, extra_meta=extra)
    if header is None:
        yield Skipped(source.name, "no header row; the first row must name the columns, e.g. date,title,text", "E103")


_LIST_KEYS = ("articles", "items", "data", "records", "results", "entries", "documents")


@readers.register("flashpoint.reader.json.v1")
def read_json(source: InputSource, options: ReadOptions) -> Iterator[Article | Skipped]:
    """A JSON array of article objects (read whole; use JSONL for big inputs)."""
    data = source.read_bytes()
    if data is None:
        yield Skipped(source.name, f"JSON file larger than {MAX_WHOLE_BYTES // 2**20} MiB; convert it to JSONL "
                      "(one object per line), e.g. jq -c '.[]' FILE > FILE.jsonl", "E101")
        return
    used = source.encoding if codecs.lookup(source.encoding).name not in ("utf-8", "utf-8-sig") else None
    try:
        text = data.decode(source.encoding)
    except UnicodeDecodeError:
        text, used = textcheck.decode_fallback(data)
    extra = {"encoding": used} if used and textcheck.is_ascii_compatible(used) and not used.startswith("utf") else None
    try:
        doc = json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as e:
        yield Skipped(f"{source.name}:{e.lineno}", f"not valid JSON ({e.msg} at line {e.lineno}, column {e.colno}); "
                      "expected an array of objects such as [{\"date\": \"2021-12-24\", \"text\": \"...\"}]", "E102",
                      _raw(text[:MAX_RAW_CHARS]))
        return
    except RecursionError:
        yield Skipped(source.name, "JSON nested too deeply to read; expected an array of flat objects", "E102")
        return
    items: Any = doc
    if isinstance(doc, dict):
        lists = [k for k in doc if str(k).lower() in _LIST_KEYS and isinstance(doc[k], list)]
        has_text = any(str(k).lower() in FIELDS["text"] or k == options.mapping.get("text") for k in doc)
        if has_text or not lists:
            yield _record_article(doc, source.name, options, raw=_raw(text), extra_meta=extra)
            return
        items = doc[lists[0]]
    if not isinstance(items, list):
        yield Skipped(source.name, "the JSON is not an array of objects; write [{\"date\": ..., \"text\": ...}, ...]",
                      "E102", _raw(text))
        return
    if not items:
        yield Skipped(source.name, "the JSON array is empty; nothing to read", "E103")
        return
    for i, item in enumerate(items, 1):
        origin = f"{source.name}#item{i}"
        source.last_raw = raw = _raw(json.dumps(item, ensure_ascii=False, default=str))
        if not isinstance(item, dict):
            yield Skipped(origin, f"item {i} is {_describe(item)}, not an object; every item must be an object such "
                          "as {\"date\": \"2021-12-24\", \"text\": \"...\"}", "E102", raw)
            continue
        yield _record_article(item, origin, options, raw=raw, extra_meta=extra)


_PUBLISHED_META = re.compile(
    r"""<meta\b[^>]*?(?:property|name|itemprop)\s*=\s*["'](?:article:published_time|og:published_time|"""
    r"""datePublished|pubdate|publishdate|dc\.date\.issued|dcterms\.created)["'][^>]*>""",
    re.IGNORECASE,
)
_CONTENT_ATTR = re.compile(r"""content\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_JSONLD_PUBLISHED = re.compile(r'"datePublished"\s*:\s*"([^"]+)"')


def _html_published(markup: str) -> str | None:
    m = _PUBLISHED_META.search(markup)
    if m:
        c = _CONTENT_ATTR.search(m.group(0))
        if c:
            return c.group(1)
    m = _JSONLD_PUBLISHED.search(markup)
    return m.group(1) if m else None


@readers.register("flashpoint.reader.html.v1")
def read_html(source: InputSource, options: ReadOptions) -> Iterator[Article | Skipped]:
    """One HTML page: main text, title, date and site name by trafilatura."""
    data = source.read_bytes()
    if data is None:
        yield Skipped(source.name, f"HTML page larger than {MAX_WHOLE_BYTES // 2**20} MiB; save the article page "
                      "alone", "E101")
        return
    try:
        import trafilatura
    except ImportError as e:
        yield Skipped(source.name, f"HTML needs trafilatura, which cannot be imported ({e}); pip install trafilatura "
                      "lxml_html_clean", "E101")
        return
    try:
        doc = trafilatura.bare_extraction(
            data, with_metadata=True, include_comments=False, include_tables=True,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as e:  # noqa: BLE001 - a third-party parser: any failure is reported as a skipped input
        yield Skipped(source.name, f"the HTML could not be parsed ({type(e).__name__}: {e}); save the page again "
                      "or pass its text as a .txt file", "E102")
        return
    found: dict[str, Any] = {}
    if doc is not None:
        found = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    text = found.get("text") or ""
    meta: dict[str, Any] = {}
    no_text_hint = ("; no main text found in the HTML (a page without a body, or an index page): save the "
                    "article page itself, or pass its text as a .txt file")
    if text and _only_boilerplate(data.decode(source.encoding, errors="replace")):
        no_text_hint = (f'; the page has text only in its navigation, header or footer ("{_short(" ".join(text.split()), 60)}"), '
                        "no article: save the article page itself, or pass its text as a .txt file")
        text = ""
    head_text = data[:400_000].decode(source.encoding, errors="replace")
    date = published_at = None
    date_problem = None
    for candidate in (_html_published(head_text), found.get("date")):
        if not candidate:
            continue
        try:
            date, published_at = parse_date(str(candidate), origin=source.name, field="date")
            break
        except MalformedRecord:
            date_problem = f'the page date "{_short(candidate, 60)}" cannot be read'
    if found.get("sitename"):
        meta["sitename"] = found["sitename"]
    yield _make_article(
        origin=source.name, text=text, options=options, date=date, published_at=published_at,
        date_problem=date_problem, title=found.get("title"), fallback_outlet=found.get("sitename"),
        url=found.get("url"), meta=meta, no_text_hint=no_text_hint,
    )


@readers.register("flashpoint.reader.feed.v1")
def read_feed(source: InputSource, options: ReadOptions) -> Iterator[Article | Skipped]:
    """An RSS or Atom feed: each entry is one article."""
    data = source.read_bytes()
    if data is None:
        yield Skipped(source.name, f"feed larger than {MAX_WHOLE_BYTES // 2**20} MiB; split it", "E101")
        return
    import feedparser

    try:
        parsed = feedparser.parse(io.BytesIO(data), sanitize_html=False, resolve_relative_uris=False)
    except Exception as e:  # noqa: BLE001 - a third-party parser: any failure is reported as a skipped input
        yield Skipped(source.name, f"the feed could not be parsed ({type(e).__name__}: {e}); check that it is RSS "
                      "or Atom XML", "E102")
        return
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo"):
            yield Skipped(source.name, f"not a readable RSS/Atom feed ({parsed.get('bozo_exception')}); check that "
                          "the file is complete XML (or force another format with --format)", "E102")
        else:
            yield Skipped(source.name, "the feed has no entries; nothing to read", "E103")
        return
    feed_title = (parsed.get("feed") or {}).get("title")
    for i, entry in enumerate(entries, 1):
        origin = f"{source.name}#entry{i}"
        texts = [c.get("value") or "" for c in entry.get("content") or []] + [entry.get("summary") or ""]
        body = max(texts, key=len)
        title = entry.get("title")
        if title and "<" in title:
            title = html_to_text(title)
        date = published_at = None
        date_problem = None
        # plain dict lookups: FeedParserDict maps a missing "updated" to "published" with a DeprecationWarning
        date_text = dict.get(entry, "published") or dict.get(entry, "updated") or dict.get(entry, "created")
        if date_text:
            try:
                date, published_at = parse_date(date_text, origin=origin, field="published")
            except MalformedRecord as e:
                struct = dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")
                if struct:
                    date = dt.date(struct.tm_year, struct.tm_mon, struct.tm_mday)
                else:
                    date_problem = f'the entry date "{_short(date_text, 60)}" cannot be read'
        source_title = (entry.get("source") or {}).get("title") if isinstance(entry.get("source"), dict) else None
        meta: dict[str, Any] = {}
        if entry.get("id"):
            meta["guid"] = entry["id"]
        if entry.get("author"):
            meta["author"] = entry["author"]
        tags = [t.get("term") for t in entry.get("tags") or [] if t.get("term")]
        if tags:
            meta["tags"] = tags
        yield _make_article(
            origin=origin, text=html_to_text(body) if body else "", options=options, date=date,
            published_at=published_at, date_problem=date_problem, title=title, outlet=source_title,
            fallback_outlet=feed_title, url=entry.get("link"), meta=meta,
            no_text_hint="; the entry has no summary or content (a title alone is not coded)",
        )


def _is_doc_file(name: str) -> bool:
    low = name.lower()
    return low.endswith(".md") or low.split(".")[0] in ("readme", "license", "licence", "changelog", "notice")
