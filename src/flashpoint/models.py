"""Plain data records that flow through flashpoint.

Article      one dated news text as read from an input file
ActorMention one actor found in a text: span, resolved code, sector, name and how it was resolved
Attribution  one link of the claim chain: the speaker who claims an event, or an outlet that carried it
Event        one coded PLOVER event with its provenance
Skipped      one input (article or line) that could not be read, with where and why

Every record converts to a JSON-ready dict with ``to_dict()``; ``Event.to_dict()`` is the stable output
contract of ``flashpoint code`` (see docs/contract.md).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

MODALITIES = ("asserted", "negated", "hypothetical", "future", "alleged", "denied")


@dataclass
class Article:
    """One news text.

    id (str): stable id: the input's own, else a hash of outlet + title + text.
    text (str): the body text. Character offsets of events point into this string.
    date (datetime.date | None): publication date; None when unknown (event dates are then null).
    published_at (str | None): ISO timestamp with timezone where the input had one.
    title, outlet, url (str | None): as read.
    origin (str): where it was read from, "file:line" or "file" (for error messages and quarantine).
    meta (dict): any other fields of the input, kept as they were.
    """

    id: str
    text: str
    date: dt.date | None = None
    published_at: str | None = None
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    origin: str = ""
    meta: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["date"] = self.date.isoformat() if self.date else None
        return d


@dataclass
class ActorMention:
    """An actor found in a text.

    text (str | None): the span as written (None for an implicit actor).
    start, end (int): character offsets into the article text ([start, end)); -1 when implicit.
    code (str | None): ISO3 country code or IGO code (NATO, EUR, UNO, ...); None when unresolved.
    sector (str | None): GOV, MIL, LEG, POL, JUD, REB, CVL, MED, BUS, IGO ...
    name (str | None): canonical name (a person's full name, or the country/organisation name).
    codes (list[str]): members of a compound actor ("the US and its allies" -> [USA, NATO]).
    kind (str): what matched: country, demonym, capital, igo, person, title, pronoun, entity, compound ...
    resolution (str): how the code was found, for `flashpoint explain`.
    token_start, token_end (int): token span in the spaCy Doc (internal; not serialised).
    head (int): index of the span's syntactic head token in the Doc (internal; not serialised).
    parts (list[ActorMention]): a compound actor's members, in text order (internal; not serialised): "talks
        between Russia and Ukraine" is Russia with Ukraine.
    """

    text: str | None
    start: int = -1
    end: int = -1
    code: str | None = None
    sector: str | None = None
    name: str | None = None
    codes: list[str] = field(default_factory=list)
    kind: str = "entity"
    resolution: str = ""
    token_start: int = -1
    token_end: int = -1
    head: int = -1
    parts: list["ActorMention"] = field(default_factory=list, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "code": self.code,
            "sector": self.sector,
            "name": self.name,
            "codes": list(self.codes),
            "start": self.start,
            "end": self.end,
            "resolution": self.resolution,
        }


@dataclass
class Attribution:
    """One link of an attribution chain (innermost first).

    role (str): "speaker" (who claims it) or "outlet" (a medium that carried the claim).
    text (str): the span as written.
    code (str | None): actor code of a speaker, or None.
    sector (str | None), name (str | None): as for actors.
    cue (str | None): the word that signals the attribution ("said", "according to", "reported").
    """

    role: str
    text: str
    code: str | None = None
    sector: str | None = None
    name: str | None = None
    cue: str | None = None
    start: int = -1
    end: int = -1

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class Event:
    """One coded event. ``to_dict()`` is the stable contract of ``flashpoint code``."""

    doc_id: str
    event_id: str
    sentence: int
    event_type: str
    mode: str | None
    quad: str
    intensity: float
    source: ActorMention | None
    target: ActorMention | None
    modality: str
    confidence: float
    trigger_text: str
    trigger_start: int
    trigger_end: int
    date: dt.date | None = None
    date_text: str | None = None
    date_resolution: str = ""
    location: dict[str, Any] | None = None
    attribution: list[Attribution] = field(default_factory=list)
    outlet: str | None = None
    sentence_text: str = ""
    sentence_start: int = 0
    rule: str = ""
    stage: str = ""
    cameo: str | None = None
    reciprocal: bool = False
    features: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "event_id": self.event_id,
            "sentence": self.sentence,
            "event_type": self.event_type,
            "mode": self.mode,
            "quad": self.quad,
            "intensity": self.intensity,
            "source": self.source.to_dict() if self.source else None,
            "target": self.target.to_dict() if self.target else None,
            "modality": self.modality,
            "confidence": round(self.confidence, 4),
            "trigger": {"text": self.trigger_text, "start": self.trigger_start, "end": self.trigger_end},
            "date": self.date.isoformat() if self.date else None,
            "date_text": self.date_text,
            "date_resolution": self.date_resolution,
            "location": self.location,
            "attribution": [a.to_dict() for a in self.attribution],
            "outlet": self.outlet,
            "sentence_text": self.sentence_text,
            "cameo": self.cameo,
            "reciprocal": self.reciprocal,
            "rule": self.rule,
            "stage": self.stage,
        }


@dataclass
class Skipped:
    """An input that was not coded: where it was and why, so it can be fixed and re-run.

    origin (str): "file:line" or "file" (or "<stdin>:line").
    reason (str): one line: what was wrong and how to fix it.
    code (str): the error code (E1xx for input errors, see errors.py).
    raw (str | None): the raw input (truncated) when it could be read at all, for --retry-skipped.
    """

    origin: str
    reason: str
    code: str = "E100"
    raw: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)
