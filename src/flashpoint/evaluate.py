"""Score coded events against gold sentences: the scorer behind ``flashpoint evaluate``.

    >>> from flashpoint.evaluate import evaluate, format_report
    >>> result = evaluate("../shared/gold/ukraine_dev.jsonl", coder=coder, split="dev")
    >>> print(format_report(result))

Three gold formats are read, detected per record (see docs/evaluation.md):

    plover_gsr      ``{"id", "date", "text", "gold": [{"plover", "source": [...], "target": [...], ...}]}``
    inline          ``{"id", "corpus", "article_id", "article_date", "outlet", "start", "end", "text", "gold", "split"}``
    reference       the inline format without ``"text"``: the text is sliced from
                    ``<corpora_dir>/<corpus>/articles.jsonl[.gz]`` at ``[start:end]``

``score`` is a pure function of the gold sentences and the predicted event dicts (the ``Event.to_dict()``
contract); ``evaluate`` runs a coder over the gold texts and calls it; ``format_report`` prints the result.
"""

from __future__ import annotations

import copy
import datetime as dt
import gzip
import json
import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from .errors import InputError, MalformedRecord, QueryError, UnreadableInput
from .models import Article, Event

__all__ = [
    "GoldActor",
    "GoldEvent",
    "GoldSentence",
    "CALIBRATION_BINS",
    "LEGACY_CODES",
    "WILDCARD_CODES",
    "default_corpora_dir",
    "evaluate",
    "format_report",
    "load_gold",
    "main_evaluate",
    "score",
]

#: CAMEO-era country codes in plover_gsr.jsonl that have a clear ISO3 equivalent.
LEGACY_CODES: dict[str, str] = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM", "ROM": "ROU", "ZAR": "COD", "TMP": "TLS"}
#: plover_gsr.jsonl codes that name a kind of actor rather than one actor: not scored (match anything).
WILDCARD_CODES: frozenset[str] = frozenset({"", "IGO", "NGO", "IMG", "ISM"})
#: Upper edges of the confidence bins ([0, 0.2), [0.2, 0.4), ..., [0.8, 1.0]).
CALIBRATION_BINS: tuple[float, ...] = (0.2, 0.4, 0.6, 0.8, 1.0)
CONTEXTS = ("article", "sentence")
_REF_KEYS = ("corpus", "article_id", "start", "end")
_STOP = frozenset({"the", "a", "an", "of", "and", "s"})


# ------------------------------------------------------------------------------------------------ records
@dataclass(frozen=True)
class GoldActor:
    """A gold source or target.

    texts (tuple[str, ...]): the span(s) as annotated (several for a plover_gsr actor list; empty when implicit).
    codes (frozenset[str]): accepted codes; any member matches. Empty = not scored (matches any prediction).
    """

    texts: tuple[str, ...] = ()
    codes: frozenset[str] = frozenset()

    @property
    def wildcard(self) -> bool:
        return not self.codes

    @property
    def text(self) -> str | None:
        return " / ".join(self.texts) if self.texts else None


@dataclass
class GoldEvent:
    """One gold event, normalised from either gold format.

    types (tuple[str, ...]): event_type first, then alt_event_types (any is accepted).
    source, target (GoldActor | None): None = not given (matches any prediction).
    modalities (tuple[str, ...]): modality then alt_modalities; empty = not annotated (plover_gsr).
    dates (tuple[str | None, ...] | None): event_date then alt_event_dates; None = not annotated.
    speakers (list[dict | None] | None): speaker then alt_speakers; None = not annotated.
    outlets (list[str] | None): the outlet chain, innermost first; None = not annotated.
    """

    types: tuple[str, ...]
    source: GoldActor | None
    target: GoldActor | None
    modalities: tuple[str, ...] = ()
    mode: str | None = None
    dates: tuple[str | None, ...] | None = None
    speakers: list[dict[str, Any] | None] | None = None
    outlets: list[str] | None = None
    reciprocal: bool = False
    optional: bool = False
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def event_type(self) -> str:
        return self.types[0]


@dataclass
class GoldSentence:
    """One gold sentence with its events.

    id (str): the record id; predictions are keyed by it. A repeated id gets "#2", "#3" ... appended.
    text (str): the sentence text (offsets of predictions passed to ``score`` point into it).
    events (list[GoldEvent]): required and optional events.
    format (str): "plover_gsr", "inline", "reference" or "text" (text and dev-style events, no corpus reference).
    corpus, article_id (str | None), start, end (int | None): where the sentence sits in its corpus article.
    article_date (datetime.date | None): the publication date, anchor for relative dates.
    outlet (str | None), split (str | None), origin (str): "file:line" of the record.
    """

    id: str
    text: str
    events: list[GoldEvent]
    format: str
    corpus: str | None = None
    article_id: str | None = None
    start: int | None = None
    end: int | None = None
    article_date: dt.date | None = None
    outlet: str | None = None
    split: str | None = None
    origin: str = ""

    @property
    def required(self) -> list[GoldEvent]:
        return [e for e in self.events if not e.optional]

    @property
    def optional(self) -> list[GoldEvent]:
        return [e for e in self.events if e.optional]

    @property
    def has_ref(self) -> bool:
        return self.corpus is not None and self.article_id is not None and self.start is not None


class ArticleCoder(Protocol):
    def code_articles(self, articles: Iterable[Article]) -> Iterator[tuple[Article, list[Event]]]: ...


# ------------------------------------------------------------------------------------------------ reading
def default_corpora_dir() -> Path | None:
    """The corpora folder: $FLASHPOINT_CORPORA, else ``shared/corpora`` beside the repo (or the cwd's parent)."""
    env = os.environ.get("FLASHPOINT_CORPORA")
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    bases = [here.parents[3]] if len(here.parents) > 3 else []
    bases += [Path.cwd().parent, Path.cwd()]
    for base in bases:
        cand = base / "shared" / "corpora"
        if cand.is_dir():
            return cand
    return None


def _open_text(path: Path):
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8")
    return path.open(encoding="utf-8")


def _read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    if not path.is_file():
        raise UnreadableInput(
            "gold file not found; pass the path of a gold JSONL file such as shared/gold/ukraine_dev.jsonl",
            origin=str(path),
        )
    try:
        with _open_text(path) as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise MalformedRecord(f"not valid JSON ({exc.msg} at column {exc.colno})", origin=f"{path}:{lineno}") from exc
                if not isinstance(rec, dict):
                    raise MalformedRecord("expected a JSON object per line", origin=f"{path}:{lineno}")
                yield lineno, rec
    except (OSError, UnicodeDecodeError) as exc:
        raise UnreadableInput(f"cannot read the file ({exc}); expected UTF-8 JSONL, optionally gzipped", origin=str(path)) from exc


def _corpus_file(corpora_dir: Path, corpus: str) -> Path:
    for name in ("articles.jsonl", "articles.jsonl.gz"):
        cand = corpora_dir / corpus / name
        if cand.is_file():
            return cand
    raise InputError(
        f'corpus "{corpus}" not found: expected {corpora_dir / corpus}/articles.jsonl[.gz]. Pass the folder that holds '
        f"the corpora (--corpora / corpora_dir=) or set FLASHPOINT_CORPORA",
        origin=str(corpora_dir),
        code="E103",
    )


def _load_articles(corpora_dir: Path | None, wanted: dict[str, set[str]]) -> dict[tuple[str, str], dict[str, Any]]:
    """Read the wanted article ids of each corpus in one pass per corpus. RETURNS {(corpus, id): record}."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    if not wanted:
        return out
    if corpora_dir is None:
        raise InputError(
            "the gold points into corpora (corpus/article_id/start/end) but no corpora folder was found; pass "
            "corpora_dir= (CLI: --corpora) or set FLASHPOINT_CORPORA to the folder holding <corpus>/articles.jsonl[.gz]",
            code="E103",
        )
    for corpus, ids in sorted(wanted.items()):
        path = _corpus_file(corpora_dir, corpus)
        with _open_text(path) as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise MalformedRecord(f"corpus line is not valid JSON ({exc.msg})", origin=f"{path}:{lineno}") from exc
                if isinstance(rec, dict) and rec.get("id") in ids:
                    out[(corpus, rec["id"])] = rec
        missing = sorted(i for i in ids if (corpus, i) not in out)
        if missing:
            raise InputError(
                f"{len(missing)} article(s) referenced by the gold are not in the corpus (e.g. {', '.join(missing[:3])}); "
                "the gold was made for another version of this corpus",
                origin=str(path),
                code="E103",
            )
    return out


def _codes_of(code: Any, codes: Any) -> frozenset[str]:
    found = set()
    if isinstance(code, str) and code.strip():
        found.add(code.strip().upper())
    for c in codes or []:
        if isinstance(c, str) and c.strip():
            found.add(c.strip().upper())
    return frozenset(found)


def _gsr_actor(items: list[dict[str, Any]]) -> GoldActor | None:
    """A plover_gsr actor list -> one GoldActor (any member matches); wildcard when any member is unscored."""
    if not items:
        return None
    texts = tuple(str(a["text"]) for a in items if isinstance(a, dict) and a.get("text"))
    codes: set[str] = set()
    for a in items:
        c = str((a.get("code") if isinstance(a, dict) else "") or "").strip().upper()
        if c in WILDCARD_CODES:
            return GoldActor(texts=texts, codes=frozenset())
        codes.add(LEGACY_CODES.get(c, c))
    return GoldActor(texts=texts, codes=frozenset(codes))


def _dict_actor(a: Any, origin: str, role: str) -> GoldActor | None:
    if a is None:
        return None
    if not isinstance(a, dict):
        raise MalformedRecord(f"{role} must be an object {{text, code, ...}} or null, got {type(a).__name__}", origin=origin)
    text = a.get("text")
    return GoldActor(texts=(str(text),) if text else (), codes=_codes_of(a.get("code"), a.get("codes")))


def _gsr_event(e: dict[str, Any], origin: str) -> GoldEvent:
    etype = e.get("plover") or e.get("event_type")
    if not etype:
        raise MalformedRecord('gold event has no "plover" type', origin=origin)
    return GoldEvent(
        types=(str(etype).upper(),),
        source=_gsr_actor(e.get("source") or []),
        target=_gsr_actor(e.get("target") or []),
        mode=e.get("mode") or None,
        reciprocal=bool(e.get("reciprocal")),
        raw=e,
    )


def _dev_event(e: dict[str, Any], origin: str) -> GoldEvent:
    etype = e.get("event_type")
    if not etype:
        raise MalformedRecord('gold event has no "event_type"', origin=origin)
    types = [str(etype).upper()] + [str(t).upper() for t in e.get("alt_event_types") or [] if t]
    modalities = ([e["modality"]] if e.get("modality") else []) + list(e.get("alt_modalities") or [])
    dates = None
    if "event_date" in e:
        dates = (e.get("event_date"),) + tuple(e.get("alt_event_dates") or ())
    speakers = None
    if "speaker" in e:
        speakers = [e.get("speaker")] + list(e.get("alt_speakers") or [])
    outlets = list(e["outlets"]) if isinstance(e.get("outlets"), list) else None
    return GoldEvent(
        types=tuple(dict.fromkeys(types)),
        source=_dict_actor(e.get("source"), origin, "source"),
        target=_dict_actor(e.get("target"), origin, "target"),
        modalities=tuple(dict.fromkeys(modalities)),
        mode=e.get("mode") or None,
        dates=dates,
        speakers=speakers,
        outlets=outlets,
        reciprocal=bool(e.get("reciprocal")),
        optional=bool(e.get("optional")),
        raw=e,
    )


def _parse_date(value: Any, origin: str, key: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError as exc:
        raise MalformedRecord(f'"{key}" is "{value}"; expected an ISO date such as 2022-03-30', origin=origin) from exc


def _record_format(rec: dict[str, Any]) -> str:
    has_ref = all(rec.get(k) is not None for k in _REF_KEYS)
    if "text" in rec:
        if has_ref:
            return "inline"
        events = rec.get("gold")
        if isinstance(events, list) and any(isinstance(e, dict) and "plover" in e for e in events):
            return "plover_gsr"
        return "text"
    if has_ref:
        return "reference"
    return "unknown"


def _event(e: Any, origin: str) -> GoldEvent:
    if not isinstance(e, dict):
        raise MalformedRecord(f"each gold event must be an object, got {type(e).__name__}", origin=origin)
    return _gsr_event(e, origin) if "plover" in e else _dev_event(e, origin)


def _load(
    path: str | Path, split: str | None, corpora_dir: Path | None, with_articles: bool
) -> tuple[list[GoldSentence], dict[tuple[str, str], dict[str, Any]]]:
    path = Path(path)
    sentences: list[GoldSentence] = []
    seen: dict[str, str] = {}
    for lineno, rec in _read_jsonl(path):
        origin = f"{path}:{lineno}"
        fmt = _record_format(rec)
        if fmt == "unknown":
            raise MalformedRecord(
                'record has neither "text" nor a corpus reference (corpus, article_id, start, end); every gold record '
                "needs one of them",
                origin=origin,
            )
        sid = rec.get("id")
        if not sid:
            raise MalformedRecord('record has no "id"', origin=origin)
        sid = str(sid)
        if sid in seen:
            # a repeated id (plover_gsr.jsonl has one) gets a suffix so that predictions stay keyed one to one
            n = 2
            while f"{sid}#{n}" in seen:
                n += 1
            sid = f"{sid}#{n}"
        seen[sid] = origin
        events_raw = rec.get("gold")
        if not isinstance(events_raw, list):
            raise MalformedRecord('"gold" must be a list of events ([] for a sentence with no event)', origin=origin)
        events = [_event(e, origin) for e in events_raw]
        start = rec.get("start")
        end = rec.get("end")
        refd = fmt in ("inline", "reference")
        if refd:
            if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end):
                raise MalformedRecord(f'"start"/"end" must be integers with 0 <= start <= end, got {start!r}/{end!r}', origin=origin)
        sentences.append(
            GoldSentence(
                id=sid,
                text=rec.get("text") or "",
                events=events,
                format=fmt,
                corpus=str(rec["corpus"]) if refd else None,
                article_id=str(rec["article_id"]) if refd else None,
                start=start if refd else None,
                end=end if refd else None,
                article_date=_parse_date(rec.get("article_date") or rec.get("date"), origin, "article_date"),
                outlet=rec.get("outlet"),
                split=rec.get("split"),
                origin=origin,
            )
        )
    if split is not None:
        splits = sorted({s.split for s in sentences if s.split})
        if not splits:
            raise QueryError(f'{path} has no "split" field; leave the split unset to score all {len(sentences)} sentences')
        if split not in splits:
            raise QueryError(f'split "{split}" is not in {path}; its splits are: {", ".join(splits)}')
        sentences = [s for s in sentences if s.split == split]
    wanted: dict[str, set[str]] = defaultdict(set)
    for s in sentences:
        if s.format == "reference" or (with_articles and s.has_ref):
            wanted[s.corpus].add(s.article_id)  # type: ignore[index]
    if wanted and corpora_dir is None:
        corpora_dir = default_corpora_dir()
    articles = _load_articles(corpora_dir, wanted)
    for s in sentences:
        if not s.has_ref or (s.corpus, s.article_id) not in articles:
            continue
        text = articles[(s.corpus, s.article_id)].get("text") or ""
        assert s.start is not None and s.end is not None
        if s.end > len(text):
            raise MalformedRecord(
                f"end {s.end} is past the end of article {s.article_id} ({len(text)} characters); the gold was made for "
                "another version of the corpus",
                origin=s.origin,
            )
        piece = text[s.start : s.end]
        if s.format == "reference":
            s.text = piece
        elif piece != s.text:
            raise MalformedRecord(
                f"the corpus text at [{s.start}:{s.end}] of article {s.article_id} differs from the record's text "
                f"({piece[:40]!r} vs {s.text[:40]!r}); the gold was made for another version of the corpus. Score with "
                "context='sentence' (--context sentence) to use the record's own text",
                origin=s.origin,
            )
        if s.article_date is None:
            s.article_date = _parse_date(articles[(s.corpus, s.article_id)].get("date"), s.origin, "date")
    return sentences, articles


def load_gold(path: str | Path, *, split: str | None = None, corpora_dir: Path | None = None) -> list[GoldSentence]:
    """Read a gold JSONL file (plover_gsr, inline or reference-only format, detected per record).

    path (str | Path): the gold file (.jsonl or .jsonl.gz).
    split (str | None): keep only records with this ``split`` ("dev", "test"); None keeps all.
    corpora_dir (Path | None): folder of ``<corpus>/articles.jsonl[.gz]`` for reference-only records;
        default $FLASHPOINT_CORPORA, else ``shared/corpora`` beside the repo.
    RETURNS (list[GoldSentence]): in file order.
    """
    return _load(path, split, Path(corpora_dir) if corpora_dir else None, with_articles=False)[0]


# ------------------------------------------------------------------------------------------------ matching
def _conf(p: dict[str, Any]) -> float:
    c = p.get("confidence")
    return float(c) if isinstance(c, (int, float)) else 0.0


def _ptype(p: dict[str, Any]) -> str:
    return str(p.get("event_type") or "").upper()


def _pred_codes(a: dict[str, Any] | None) -> frozenset[str]:
    if not a:
        return frozenset()
    return _codes_of(a.get("code"), a.get("codes"))


def _code_ok(gold: GoldActor | None, pred: dict[str, Any] | None) -> bool:
    """Gold actor absent or without code: anything matches. Else a predicted code (or member) must be accepted."""
    if gold is None or gold.wildcard:
        return True
    return bool(gold.codes & _pred_codes(pred))


def _words(text: Any) -> set[str]:
    return {w for w in re.findall(r"\w+", str(text or "").lower()) if w not in _STOP}


def _span_ok(gold: GoldActor | None, pred: dict[str, Any] | None, sentence: str) -> bool:
    """Gold actor absent or implicit (no text): anything matches. Else the predicted span must overlap one gold span."""
    if gold is None or not gold.texts:
        return True
    if not pred:
        return False
    start, end = pred.get("start"), pred.get("end")
    placed = isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(sentence)
    pred_words = _words(pred.get("text")) | _words(pred.get("name"))
    for text in gold.texts:
        occurrences = [(m.start(), m.end()) for m in re.finditer(re.escape(text), sentence)]
        if placed and occurrences:
            if any(start < ge and gs < end for gs, ge in occurrences):
                return True
        elif _words(text) & pred_words:
            return True
    return False


def _pair_ok(g: GoldEvent, p: dict[str, Any], ok) -> bool:
    src, tgt = p.get("source"), p.get("target")
    if ok(g.source, src) and ok(g.target, tgt):
        return True
    return g.reciprocal and ok(g.source, tgt) and ok(g.target, src)


def _actors_code(g: GoldEvent, p: dict[str, Any]) -> bool:
    return _pair_ok(g, p, _code_ok)


def _actors_span(g: GoldEvent, p: dict[str, Any], sentence: str) -> bool:
    return _pair_ok(g, p, lambda ga, pa: _span_ok(ga, pa, sentence))


def _modality_ok(g: GoldEvent, p: dict[str, Any]) -> bool | None:
    if not g.modalities:
        return None
    return p.get("modality") in g.modalities


def _type_ok(g: GoldEvent, p: dict[str, Any]) -> bool:
    return _ptype(p) in g.types


def _speaker_of(p: dict[str, Any]) -> dict[str, Any] | None:
    for a in p.get("attribution") or []:
        if a.get("role") == "speaker":
            return a
    return None


def _speaker_ok(g: GoldEvent, p: dict[str, Any]) -> bool | None:
    if g.speakers is None:
        return None
    pred = _speaker_of(p)
    for s in g.speakers:
        if s is None:
            if pred is None:
                return True
        elif pred is not None:
            code = s.get("code")
            if not code or (pred.get("code") or "").upper() == str(code).upper():
                return True
    return False


def _norm_outlet(text: Any) -> str:
    return " ".join(w for w in re.findall(r"\w+", str(text or "").lower()) if w != "the")


def _outlets_ok(g: GoldEvent, p: dict[str, Any]) -> bool | None:
    if g.outlets is None:
        return None
    pred = [_norm_outlet(a.get("text")) for a in p.get("attribution") or [] if a.get("role") == "outlet"]
    gold = [_norm_outlet(o) for o in g.outlets]
    if len(pred) != len(gold):
        return False
    return all(a == b or (a and b and (a in b or b in a)) for a, b in zip(gold, pred))


def _date_ok(g: GoldEvent, p: dict[str, Any]) -> bool | None:
    if g.dates is None:
        return None
    pred = p.get("date")
    pred = str(pred)[:10] if pred else None
    return pred in g.dates


def _match(
    s: GoldSentence, preds: list[dict[str, Any]], level: str
) -> tuple[list[tuple[int, GoldEvent]], set[int], list[int]]:
    """Greedy matching of one sentence's predictions to its required gold events.

    level: "type" (type only), "code" (type + both actors by code), "span" (type + both actors by span).
    RETURNS (pairs [(pred index, gold event)], absorbed pred indices (match an optional event), unmatched pred indices).
    """
    required = s.required
    used: set[int] = set()
    pairs: list[tuple[int, GoldEvent]] = []
    left: list[int] = []
    order = sorted(range(len(preds)), key=lambda i: -_conf(preds[i]))
    for pi in order:
        p = preds[pi]
        best, best_key = None, None
        for gi, g in enumerate(required):
            if gi in used or not _type_ok(g, p):
                continue
            code = _actors_code(g, p)
            if level == "code" and not code:
                continue
            if level == "span" and not _actors_span(g, p, s.text):
                continue
            key = (code, bool(_modality_ok(g, p)), -gi)
            if best_key is None or key > best_key:
                best, best_key = gi, key
        if best is None:
            left.append(pi)
        else:
            used.add(best)
            pairs.append((pi, required[best]))
    absorbed = {pi for pi in left if any(_type_ok(g, preds[pi]) for g in s.optional)}
    return pairs, absorbed, [pi for pi in left if pi not in absorbed]


# ------------------------------------------------------------------------------------------------ scoring
def _ratio(num: float, den: float) -> float | None:
    return round(num / den, 4) if den else None


def _f1(p: float | None, r: float | None) -> float | None:
    if p is None or r is None:
        return None
    return 2 * p * r / (p + r) if p + r else 0.0


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, Any]:
    p = tp / n_pred if n_pred else None
    r = tp / n_gold if n_gold else None
    return {"tp": tp, "pred": n_pred, "gold": n_gold, "precision": _round(p), "recall": _round(r), "f1": _round(_f1(p, r))}


def _prf_block(gold_by_type: Counter, pred_by_type: Counter, tp_gold: Counter, tp_pred: Counter) -> dict[str, Any]:
    types = sorted(set(gold_by_type) | set(pred_by_type), key=lambda t: (-gold_by_type[t], -pred_by_type[t], t))
    per_type = {}
    for t in types:
        n_pred, n_gold = pred_by_type[t], gold_by_type[t]
        p = tp_pred[t] / n_pred if n_pred else None
        r = tp_gold[t] / n_gold if n_gold else None
        f = (2 * p * r / (p + r) if (p + r) else 0.0) if p is not None and r is not None else 0.0
        per_type[t] = {
            "gold": n_gold,
            "pred": n_pred,
            "tp_gold": tp_gold[t],
            "tp_pred": tp_pred[t],
            "precision": None if p is None else round(p, 4),
            "recall": None if r is None else round(r, 4),
            "f1": round(f, 4),
        }
    micro = _prf(sum(tp_gold.values()), sum(pred_by_type.values()), sum(gold_by_type.values()))
    f1s = [v["f1"] for v in per_type.values()]
    macro = {"f1": round(sum(f1s) / len(f1s), 4) if f1s else None, "categories": len(f1s)}
    ps = [v["precision"] for v in per_type.values() if v["precision"] is not None]
    rs = [v["recall"] for v in per_type.values() if v["recall"] is not None]
    macro["precision"] = round(sum(ps) / len(ps), 4) if ps else None
    macro["recall"] = round(sum(rs) / len(rs), 4) if rs else None
    return {"micro": micro, "macro": macro, "per_type": per_type}


def _acc(values: list[bool | None]) -> dict[str, Any]:
    scored = [v for v in values if v is not None]
    return {"n": len(scored), "correct": sum(scored), "accuracy": _ratio(sum(scored), len(scored))}


def _top_alignment(s: GoldSentence, top: dict[str, Any]) -> tuple[GoldEvent | None, bool, bool | None]:
    """The required gold event the top prediction is matched to: (event, actors ok by code, modality ok)."""
    best, best_key = None, None
    for gi, g in enumerate(s.required):
        if not _type_ok(g, top):
            continue
        key = (_actors_code(g, top), bool(_modality_ok(g, top)), -gi)
        if best_key is None or key > best_key:
            best, best_key = g, key
    if best is None:
        return None, False, None
    return best, _actors_code(best, top), _modality_ok(best, top)


def score(gold: list[GoldSentence], predictions: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Score predicted events against gold sentences. Pure: no coder, no files.

    gold (list[GoldSentence]): from ``load_gold``.
    predictions (dict[str, list[dict]]): gold sentence id -> predicted events in the ``Event.to_dict()`` format;
        actor/trigger offsets relative to the gold sentence text. A missing id means no predicted event.
    RETURNS (dict): JSON-ready: gold, headline, events, arguments, dates, attribution, confusion, calibration,
        sentences (one row per gold sentence). Metric definitions: docs/evaluation.md.
    """
    unknown = sorted(set(predictions) - {s.id for s in gold})
    formats = Counter(s.format for s in gold)

    # headline
    n_pos = type_ok = actors_ok = 0
    mod_scored = mod_ok = 0
    actors_given_type = mod_given_type_n = mod_given_type_ok = 0
    n_neg = neg_silent = neg_any_pred = 0
    confusion: dict[str, Counter] = defaultdict(Counter)
    rows: list[dict[str, Any]] = []

    # event level
    blocks = {lvl: (Counter(), Counter(), Counter(), Counter()) for lvl in ("type", "code", "span")}
    args: dict[str, list[bool | None]] = defaultdict(list)
    date_all: list[bool | None] = []
    date_dated: list[bool | None] = []
    date_undated: list[bool | None] = []
    speaker: list[bool | None] = []
    outlets: list[bool | None] = []
    outlets_named: list[bool | None] = []
    calib: list[tuple[float, bool]] = []
    absorbed_total = 0

    for s in gold:
        preds = [p for p in predictions.get(s.id, []) if isinstance(p, dict)]
        required = s.required
        top = max(preds, key=_conf) if preds else None  # max keeps the first of equal confidences
        row: dict[str, Any] = {
            "id": s.id,
            "gold_types": [g.event_type for g in required],
            "optional_types": [g.event_type for g in s.optional],
            "predicted": [f"{_ptype(p)}:{_conf(p):.2f}" for p in preds],
            "top": _ptype(top) if top else None,
        }
        if required:
            n_pos += 1
            g, a_ok, m_ok = _top_alignment(s, top) if top else (None, False, None)
            t_ok = g is not None
            type_ok += t_ok
            actors_ok += a_ok
            if t_ok:
                actors_given_type += a_ok
            has_mod = any(e.modalities for e in required)
            if has_mod:
                mod_scored += 1
                mod_ok += bool(m_ok)
                if t_ok and m_ok is not None:
                    mod_given_type_n += 1
                    mod_given_type_ok += bool(m_ok)
            gold_label = _ptype(top) if t_ok else required[0].event_type
            confusion[gold_label][_ptype(top) if top else "NONE"] += 1
            row.update(type_ok=t_ok, actors_ok=a_ok, modality_ok=m_ok if has_mod else None)
        else:
            n_neg += 1
            confusion["NONE"][_ptype(top) if top else "NONE"] += 1

        # event-level matching at three strictness levels
        for lvl, (g_by, p_by, tp_g, tp_p) in blocks.items():
            pairs, absorbed, unmatched = _match(s, preds, lvl)
            for g in required:
                g_by[g.event_type] += 1
            for pi, g in pairs:
                tp_g[g.event_type] += 1
                tp_p[_ptype(preds[pi])] += 1
                p_by[_ptype(preds[pi])] += 1
            for pi in unmatched:
                p_by[_ptype(preds[pi])] += 1
            if lvl == "type":
                absorbed_total += len(absorbed)
                matched = {pi for pi, _ in pairs}
                for pi, p in enumerate(preds):
                    if pi in absorbed or not isinstance(p.get("confidence"), (int, float)):
                        continue
                    calib.append((float(p["confidence"]), pi in matched))
                for pi, g in pairs:
                    p = preds[pi]
                    args["source_code"].append(_code_ok(g.source, p.get("source")))
                    args["target_code"].append(_code_ok(g.target, p.get("target")))
                    args["actors_code"].append(_actors_code(g, p))
                    args["source_span"].append(_span_ok(g.source, p.get("source"), s.text))
                    args["target_span"].append(_span_ok(g.target, p.get("target"), s.text))
                    args["actors_span"].append(_actors_span(g, p, s.text))
                    args["modality"].append(_modality_ok(g, p))
                    args["mode"].append((p.get("mode") or None) == g.mode if g.mode else None)
                    d = _date_ok(g, p)
                    date_all.append(d)
                    if g.dates is not None:
                        (date_dated if g.dates[0] else date_undated).append(d)
                    speaker.append(_speaker_ok(g, p))
                    o = _outlets_ok(g, p)
                    outlets.append(o)
                    if g.outlets:
                        outlets_named.append(o)
                if not required:
                    counted = len(unmatched)
                    neg_any_pred += bool(preds)
                    neg_silent += counted == 0
                    row["false_alarm"] = counted > 0
        rows.append(row)

    # calibration
    edges = (0.0,) + CALIBRATION_BINS
    bins = []
    ece = 0.0
    for lo, hi in zip(edges, edges[1:]):
        inside = [(c, ok) for c, ok in calib if lo <= c < hi or (hi == edges[-1] and c >= hi)]
        mean_c = sum(c for c, _ in inside) / len(inside) if inside else None
        prec = sum(ok for _, ok in inside) / len(inside) if inside else None
        if inside:
            ece += len(inside) / len(calib) * abs(prec - mean_c)  # type: ignore[operator]
        bins.append({
            "lo": lo,
            "hi": hi,
            "count": len(inside),
            "mean_confidence": None if mean_c is None else round(mean_c, 4),
            "precision": None if prec is None else round(prec, 4),
        })

    labels = sorted((set(confusion) | {c for row_ in confusion.values() for c in row_}) - {"NONE"}) + ["NONE"]
    return {
        "gold": {
            "sentences": len(gold),
            "formats": dict(formats),
            "with_required_events": n_pos,
            "without_required_events": n_neg,
            "required_events": sum(len(s.required) for s in gold),
            "optional_events": sum(len(s.optional) for s in gold),
            "predicted_events": sum(len(predictions.get(s.id, [])) for s in gold),
            "unknown_prediction_ids": unknown,
        },
        "headline": {
            "sentences": n_pos,
            "event_type_accuracy": _ratio(type_ok, n_pos),
            "source_target_accuracy": _ratio(actors_ok, n_pos),
            "modality_accuracy": _ratio(mod_ok, mod_scored),
            "modality_sentences": mod_scored,
            "type_correct": type_ok,
            "source_target_given_type": _ratio(actors_given_type, type_ok),
            "modality_given_type": _ratio(mod_given_type_ok, mod_given_type_n),
            "modality_given_type_sentences": mod_given_type_n,
            "negative_sentences": n_neg,
            "negative_silent_rate": _ratio(neg_silent, n_neg),
            "false_alarm_rate": _ratio(n_neg - neg_silent, n_neg),
            "negative_any_prediction_rate": _ratio(neg_any_pred, n_neg),
        },
        "events": {
            "type": _prf_block(*blocks["type"]),
            "type_actors_code": _prf_block(*blocks["code"]),
            "type_actors_span": _prf_block(*blocks["span"]),
            "optional_matches": absorbed_total,
        },
        "arguments": {k: _acc(v) for k, v in args.items()} if args else {},
        "dates": {"all": _acc(date_all), "dated": _acc(date_dated), "undated": _acc(date_undated)},
        "attribution": {"speaker": _acc(speaker), "outlets": _acc(outlets), "outlets_named": _acc(outlets_named)},
        "confusion": {
            "labels": labels,
            "matrix": {r: {c: confusion[r][c] for c in labels if confusion[r][c]} for r in labels if r in confusion},
        },
        "calibration": {"bins": bins, "events": len(calib), "ece": round(ece, 4) if calib else None},
        "sentences": rows,
    }


# ------------------------------------------------------------------------------------------------ running
def _rebase(event: dict[str, Any], offset: int) -> dict[str, Any]:
    """Copy of an event dict with article offsets moved to sentence offsets."""
    e = copy.deepcopy(event)
    if not offset:
        return e
    trig = e.get("trigger")
    if isinstance(trig, dict):
        for k in ("start", "end"):
            if isinstance(trig.get(k), int) and trig[k] >= 0:
                trig[k] -= offset
    for item in [e.get("source"), e.get("target"), *(e.get("attribution") or [])]:
        if isinstance(item, dict):
            for k in ("start", "end"):
                if isinstance(item.get(k), int) and item[k] >= 0:
                    item[k] -= offset
    return e


def _as_dict(event: Any) -> dict[str, Any]:
    if isinstance(event, dict):
        return event
    if hasattr(event, "to_dict"):
        return event.to_dict()
    raise TypeError(f"the coder returned {type(event).__name__}; expected flashpoint.Event objects or event dicts")


def _trigger_start(e: dict[str, Any]) -> int | None:
    trig = e.get("trigger")
    if isinstance(trig, dict) and isinstance(trig.get("start"), int) and trig["start"] >= 0:
        return trig["start"]
    return None


def evaluate(
    gold_path: str | Path,
    *,
    coder: ArticleCoder,
    split: str | None = None,
    corpora_dir: Path | None = None,
    context: str = "article",
) -> dict[str, Any]:
    """Code the gold texts with ``coder`` and score the events.

    gold_path (str | Path): gold JSONL (any of the three formats).
    coder: an object with ``code_articles(articles) -> Iterator[(Article, list[Event])]`` (e.g. flashpoint's Coder).
    split (str | None): "dev", "test" or None (all records).
    corpora_dir (Path | None): folder of the corpora the gold points into (default: see ``default_corpora_dir``).
    context (str): "article": code each whole corpus article once and keep the events whose trigger starts inside
        a gold sentence; "sentence": code each gold sentence alone. Records without a corpus reference
        (plover_gsr) are always coded alone.
    RETURNS (dict): ``score``'s result plus ``meta`` (gold path, split, context, articles coded, events dropped).
    """
    if context not in CONTEXTS:
        raise QueryError(f'context "{context}" is not known; use one of: {", ".join(CONTEXTS)}')
    corpora = Path(corpora_dir) if corpora_dir else None
    gold, articles = _load(gold_path, split, corpora, with_articles=(context == "article"))

    inputs: list[Article] = []
    # key of an input -> the gold sentences it covers
    covers: dict[tuple[str, str], list[GoldSentence]] = {}
    for s in gold:
        if context == "article" and s.has_ref:
            key = (str(s.corpus), str(s.article_id))
            if key not in covers:
                rec = articles[key]
                covers[key] = []
                inputs.append(
                    Article(
                        id=str(s.article_id),
                        text=rec.get("text") or "",
                        date=s.article_date,
                        outlet=s.outlet or rec.get("outlet"),
                        title=rec.get("title"),
                        url=rec.get("url"),
                        origin=f"{s.corpus}/{s.article_id}",
                        meta={"corpus": s.corpus},
                    )
                )
            covers[key].append(s)
        else:
            key = ("", s.id)
            covers[key] = [s]
            inputs.append(Article(id=s.id, text=s.text, date=s.article_date, outlet=s.outlet, origin=s.origin, meta={"corpus": ""}))

    predictions: dict[str, list[dict[str, Any]]] = {s.id: [] for s in gold}
    outside = unplaced = coded = 0
    for article, events in coder.code_articles(inputs):
        key = (str((article.meta or {}).get("corpus", "")), article.id)
        if key not in covers:
            raise InputError(
                f'the coder returned article "{article.id}", which was not given to it; a coder must yield the '
                "Article objects it was passed (with their id and meta)",
                code="E104",
            )
        coded += 1
        targets = covers[key]
        for ev in events:
            d = _as_dict(ev)
            if key[0] == "":  # coded alone: offsets are already sentence offsets
                predictions[targets[0].id].append(copy.deepcopy(d))
                continue
            ts = _trigger_start(d)
            if ts is None:
                unplaced += 1
                continue
            home = [s for s in targets if s.start is not None and s.end is not None and s.start <= ts < s.end]
            if not home:
                outside += 1
                continue
            predictions[home[0].id].append(_rebase(d, home[0].start or 0))
    result = score(gold, predictions)
    result["meta"] = {
        "gold_path": str(gold_path),
        "split": split,
        "context": context,
        "inputs_coded": coded,
        "inputs": len(inputs),
        "events_outside_gold_sentences": outside,
        "events_without_trigger_offset": unplaced,
    }
    return result


def main_evaluate(
    gold: str | Path,
    split: str | None = None,
    out_json: str | Path | None = None,
    *,
    coder: ArticleCoder | None = None,
    corpora_dir: Path | None = None,
    context: str = "article",
) -> dict[str, Any]:
    """Evaluate with the default coder (unless one is given), optionally write the JSON result. RETURNS (dict)."""
    if coder is None:
        from .nlp.pipeline import default_coder

        coder = default_coder()
    result = evaluate(gold, coder=coder, split=split, corpora_dir=corpora_dir, context=context)
    if out_json:
        Path(out_json).write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    return result


# ------------------------------------------------------------------------------------------------ report
def _pct(x: float | None) -> str:
    return "   -  " if x is None else f"{100 * x:5.1f}%"


def _table(header: list[str], rows: list[list[str]], align: str | None = None) -> list[str]:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    align = align or "l" + "r" * (len(header) - 1)

    def fmt(r: list[str]) -> str:
        return "  ".join(str(c).ljust(w) if a == "l" else str(c).rjust(w) for c, w, a in zip(r, widths, align))

    return [fmt(header), "  ".join("-" * w for w in widths)] + [fmt(r) for r in rows]


def format_report(result: dict[str, Any]) -> str:
    """Plain-text tables of a ``score``/``evaluate`` result, for the terminal."""
    out: list[str] = []
    g, h = result["gold"], result["headline"]
    meta = result.get("meta") or {}
    title = "Evaluation"
    if meta:
        title += f" of {meta.get('gold_path')}" + (f" (split {meta['split']})" if meta.get("split") else "")
        title += f", context={meta.get('context')}"
    out += [title, "=" * len(title)]
    out.append(
        f"{g['sentences']} sentences ({g['with_required_events']} with required events, {g['without_required_events']} "
        f"without); {g['required_events']} required + {g['optional_events']} optional gold events; "
        f"{g['predicted_events']} predicted events"
    )
    if meta:
        out.append(
            f"{meta.get('inputs_coded')} inputs coded; {meta.get('events_outside_gold_sentences')} events outside gold "
            f"sentences ignored"
        )
    out += ["", "Headline (top event per sentence)"]
    out += _table(
        ["metric", "value", "n"],
        [
            ["event type accuracy", _pct(h["event_type_accuracy"]), str(h["sentences"])],
            ["source+target accuracy", _pct(h["source_target_accuracy"]), str(h["sentences"])],
            ["modality accuracy", _pct(h["modality_accuracy"]), str(h["modality_sentences"])],
            ["source+target | type right", _pct(h["source_target_given_type"]), str(h["type_correct"])],
            ["modality | type right", _pct(h["modality_given_type"]), str(h["modality_given_type_sentences"])],
            ["no-event sentences left silent", _pct(h["negative_silent_rate"]), str(h["negative_sentences"])],
            ["false-alarm rate", _pct(h["false_alarm_rate"]), str(h["negative_sentences"])],
        ],
    )
    ev = result["events"]
    out += ["", "Events per PLOVER category (P/R/F1 by type; F1 also with actors by code and by span)"]
    rows = []
    for t, v in ev["type"]["per_type"].items():
        code_f1 = ev["type_actors_code"]["per_type"].get(t, {}).get("f1")
        span_f1 = ev["type_actors_span"]["per_type"].get(t, {}).get("f1")
        rows.append([t, str(v["gold"]), str(v["pred"]), _pct(v["precision"]), _pct(v["recall"]), _pct(v["f1"]), _pct(code_f1), _pct(span_f1)])
    for name in ("micro", "macro"):
        v = ev["type"][name]
        rows.append([
            name,
            str(v.get("gold", "")),
            str(v.get("pred", "")),
            _pct(v["precision"]),
            _pct(v["recall"]),
            _pct(v["f1"]),
            _pct(ev["type_actors_code"][name]["f1"]),
            _pct(ev["type_actors_span"][name]["f1"]),
        ])
    out += _table(["type", "gold", "pred", "P", "R", "F1", "F1 code", "F1 span"], rows)
    if ev.get("optional_matches"):
        out.append(f"({ev['optional_matches']} predictions matched optional gold events and are not counted)")

    out += ["", "Matched events (type right): arguments, dates, attribution"]
    rows = []
    names = {
        "source_code": "source by code",
        "target_code": "target by code",
        "actors_code": "source+target by code",
        "source_span": "source by span",
        "target_span": "target by span",
        "actors_span": "source+target by span",
        "modality": "modality",
        "mode": "mode (where gold has one)",
    }
    for k, label in names.items():
        if k in result["arguments"]:
            v = result["arguments"][k]
            rows.append([label, _pct(v["accuracy"]), str(v["n"])])
    for k, label in (("all", "event date"), ("dated", "  gold date set"), ("undated", "  gold date null")):
        v = result["dates"][k]
        rows.append([label, _pct(v["accuracy"]), str(v["n"])])
    for k, label in (("speaker", "speaker"), ("outlets", "outlet chain"), ("outlets_named", "  gold names outlets")):
        v = result["attribution"][k]
        rows.append([label, _pct(v["accuracy"]), str(v["n"])])
    out += _table(["field", "accuracy", "n"], rows)

    conf = result["confusion"]
    labels = conf["labels"]
    out += ["", "Confusion (rows: gold type, columns: predicted top type)"]
    short = {lab: lab[:4] for lab in labels}
    crow = []
    for r in labels:
        if r not in conf["matrix"]:
            continue
        cells = [str(conf["matrix"][r].get(c, "")) or "." for c in labels]
        crow.append([r] + cells)
    out += _table(["gold \\ pred"] + [short[c] for c in labels], crow)

    cal = result["calibration"]
    out += ["", f"Calibration ({cal['events']} predicted events; ECE {cal['ece'] if cal['ece'] is not None else '-'})"]
    out += _table(
        ["confidence", "count", "mean conf", "precision"],
        [
            [f"{b['lo']:.1f}-{b['hi']:.1f}", str(b["count"]), "-" if b["mean_confidence"] is None else f"{b['mean_confidence']:.3f}", _pct(b["precision"])]
            for b in cal["bins"]
        ],
    )
    return "\n".join(out)
