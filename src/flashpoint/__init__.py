"""flashpoint: dated news in, attributed PLOVER events and dyad tension series out.

    >>> import flashpoint
    >>> events = flashpoint.code_text("Russia accused Ukraine of shelling Donetsk on Monday.", date="2022-02-22")
    >>> store = flashpoint.open_store("news.duckdb")
"""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import (
    ConfigError,
    DictionaryError,
    FlashpointError,
    InputError,
    MalformedRecord,
    MissingDependency,
    QueryError,
    StoreError,
    UnreadableInput,
)
from .models import ActorMention, Article, Attribution, Event, Skipped


def code_text(text: str, date=None, outlet: str | None = None) -> list[Event]:
    """Code one text. RETURNS (list[Event]). date (str | datetime.date | None): the publication date."""
    from .nlp.pipeline import default_coder

    return default_coder().code_text(text, date=date, outlet=outlet)


def code_articles(articles, n_process: int = 1):
    """Code many Articles (model loaded once). Yields (Article, list[Event])."""
    from .nlp.pipeline import default_coder

    yield from default_coder().code_articles(articles, n_process=n_process)


def read_inputs(inputs, **options):
    """Read news files (text, JSONL, CSV, HTML, RSS/Atom, .gz, folders, '-'): yields Article or Skipped."""
    from .ingest.readers import read_inputs as _read

    return _read(inputs, **options)


def open_store(path="flashpoint.duckdb", read_only: bool = False):
    """Open (or create) an event store. RETURNS (EventStore)."""
    from .store.db import open_store as _open

    return _open(path, read_only=read_only)


def ingest(inputs, store, **options):
    """Read, code and store inputs. RETURNS (IngestSummary)."""
    from .ingest.run import ingest as _ingest

    return _ingest(inputs, store, **options)


__all__ = [
    "ActorMention",
    "Article",
    "Attribution",
    "ConfigError",
    "DictionaryError",
    "Event",
    "FlashpointError",
    "InputError",
    "MalformedRecord",
    "MissingDependency",
    "QueryError",
    "Skipped",
    "StoreError",
    "UnreadableInput",
    "__version__",
    "code_articles",
    "code_text",
    "ingest",
    "open_store",
    "read_inputs",
]
