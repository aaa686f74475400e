"""Load and validate the actor dictionary: countries, IGOs, seats of power, organisations, regions,
sector nouns and office-holders bounded by dates.

The dictionary is a set of TSV files (UTF-8, one header line, ``|`` between alternatives, ``#`` comment
lines). The bundled files live in ``flashpoint/actors/data``; users add their own files of the same
formats (``ActorDictionary.load(extra_paths=[...])``). A file's format is recognised by its header, so
file names are free. The formats are documented in docs/actors.md.

    >>> d = ActorDictionary.load()
    >>> d.name_of("RUS")
    'Russia'
    >>> [p.name for p in d.holders("GBR", "prime minister", dt.date(2023, 1, 1))]
    ['Rishi Sunak']

Errors name the file and line and say how to fix them (``DictionaryError``, codes E2xx).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import DictionaryError, did_you_mean

DATA_DIR = Path(__file__).resolve().parent / "data"

SECTORS = ("GOV", "MIL", "LEG", "POL", "JUD", "REB", "CVL", "MED", "BUS", "IGO")
TERM_KINDS = ("group", "person", "action")

#: column lists of each file format; every column is required except ``note``
FORMATS: dict[str, tuple[str, ...]] = {
    "countries": ("code", "name", "aliases", "adjectives", "people"),
    "igos": ("code", "name", "aliases", "adjectives", "people", "members", "sector", "nouns"),
    "seats": ("code", "seat", "sector", "chief", "qualifier"),
    "organisations": ("name", "aliases", "code", "sector", "kind"),
    "regions": ("region", "aliases", "code", "sector"),
    "sectors": ("term", "sector", "kind", "role", "gender"),
    "people": ("name", "aliases", "surname", "surname_alone", "code", "sector", "role", "start", "end",
               "gender", "leader"),
}
# Columns a file of that format may add (older files without them stay valid).
OPTIONAL: dict[str, tuple[str, ...]] = {"sectors": ("country",)}

_CODE_RE = re.compile(r"^[A-Z][A-Z0-9]{1,8}$")
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


# ---------------------------------------------------------------------------------------------- records
@dataclass(frozen=True)
class Country:
    """A state. ``aliases``/``adjectives``/``people`` may end in "?" (ambiguous: counts only when the
    article also names the country unambiguously)."""

    code: str
    name: str
    aliases: tuple[str, ...]
    adjectives: tuple[str, ...]
    people: tuple[str, ...]
    origin: str = ""


@dataclass(frozen=True)
class Igo:
    """An intergovernmental (or non-governmental) organisation with its member states."""

    code: str
    name: str
    aliases: tuple[str, ...]
    adjectives: tuple[str, ...]
    people: tuple[str, ...]
    members: tuple[str, ...]
    sector: str | None
    nouns: tuple[str, ...]
    origin: str = ""


@dataclass(frozen=True)
class Seat:
    """A capital or building that stands for a government ("the Kremlin")."""

    code: str
    names: tuple[str, ...]
    sector: str | None
    chief: str | None
    qualifier: str | None
    origin: str = ""


@dataclass(frozen=True)
class Organisation:
    """A named body, party, agency, company or outlet; ``code`` may be None (a known actor without a code)."""

    name: str
    aliases: tuple[str, ...]
    code: str | None
    sector: str | None
    kind: str
    origin: str = ""


@dataclass(frozen=True)
class Region:
    """A region inside a state; ``sector`` (e.g. REB for separatist regions) overrides the sector of state
    sector nouns it qualifies ("Tigray forces" -> ETH REB). ``code`` None: a place that is not an actor
    (listed so that its words are not read as one, e.g. "Latin America")."""

    name: str
    aliases: tuple[str, ...]
    code: str | None
    sector: str | None
    origin: str = ""


@dataclass(frozen=True)
class SectorTerm:
    """A noun or phrase that names an actor's sector ("troops" -> MIL) or an act whose modifier is its
    actor ("Russian shelling" -> RUS MIL, kind "action")."""

    term: str
    sector: str | None
    kind: str
    role: str | None
    gender: str | None
    number: str
    origin: str = ""
    alone: bool = True  # False ("missiles?"): a mention only when a state or organisation is named with it
    country: str | None = None  # the one state whose institution the term names ("congressman" -> USA)


@dataclass(frozen=True)
class Person:
    """One office held by one person between two dates (``end`` None = still in office)."""

    name: str
    aliases: tuple[str, ...]
    surnames: tuple[str, ...]
    surname_alone: bool
    code: str
    sector: str | None
    role: str | None
    start: dt.date | None
    end: dt.date | None
    gender: str | None
    leader: bool
    note: str = ""
    origin: str = ""
    approximate: bool = False  # start or end given only as a month or year

    def active_on(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)

    def describe(self) -> str:
        """'Foreign Minister of RUS 2004-03-09..' for resolution strings."""
        span = f"{self.start.isoformat() if self.start else ''}..{self.end.isoformat() if self.end else ''}"
        role = self.role.title() if self.role else "office-holder"
        return f"{role} of {self.code} {span}"


# ------------------------------------------------------------------------------------------- the store
class ActorDictionary:
    """All actor entries, validated. Build with ``ActorDictionary.load()``."""

    def __init__(self) -> None:
        self.countries: dict[str, Country] = {}
        self.igos: dict[str, Igo] = {}
        self.seats: list[Seat] = []
        self.organisations: list[Organisation] = []
        self.regions: list[Region] = []
        self.sectors: dict[str, SectorTerm] = {}
        self.people: list[Person] = []
        self.files: list[Path] = []
        self._code_origin: dict[str, str] = {}
        self._by_role: dict[tuple[str, str], list[Person]] = {}
        self._by_name: dict[str, list[Person]] = {}
        self._publishers: dict[str, tuple[str, str | None, str]] | None = None

    # ..................................................................................... loading
    @classmethod
    def load(cls, extra_paths: Iterable[Path | str] | None = None) -> ActorDictionary:
        """The bundled dictionary plus ``extra_paths`` (files of the same formats, or folders of .tsv files).

        extra_paths (list[Path] | None): user files; their format is recognised by the header line.
        RETURNS (ActorDictionary): validated; the default (no extra files) is loaded once and cached.
        """
        if not extra_paths:
            return _default_dictionary()
        paths = []
        for p in extra_paths:
            p = Path(p)
            if p.is_dir():
                paths.extend(sorted(p.glob("*.tsv")))
            else:
                paths.append(p)
        stamp = tuple((str(p), p.stat().st_mtime_ns if p.exists() else -1) for p in paths)
        return _dictionary_with(stamp)

    @classmethod
    def from_files(cls, paths: Iterable[Path]) -> ActorDictionary:
        """Build from exactly these files (no bundled data)."""
        d = cls()
        for path in paths:
            d._read_file(Path(path))
        d._finish()
        return d

    def _read_file(self, path: Path) -> None:
        try:
            raw = path.read_text(encoding="utf-8")
        except FileNotFoundError as exc:
            raise DictionaryError(f"{path}: actor dictionary file not found; check the path given in "
                                  f"[actors] extra_files or --actor-dict", code="E201") from exc
        except UnicodeDecodeError as exc:
            raise DictionaryError(f"{path}: not UTF-8 text (byte {exc.start}); save the file as UTF-8",
                                  code="E201") from exc
        self.files.append(path)
        header: list[str] | None = None
        fmt = ""
        for lineno, line in enumerate(raw.splitlines(), start=1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            cells = [c.strip() for c in line.split("\t")]
            where = f"{path.name} line {lineno}"
            if header is None:
                header = [c.lower() for c in cells]
                fmt = _recognise(header, where)
                continue
            if len(cells) > len(header):
                if any(cells[len(header):]):
                    raise DictionaryError(
                        f"{where}: {len(cells)} tab-separated cells but the header has {len(header)} "
                        f"({'|'.join(header)}); separate alternatives with | and columns with one tab",
                        code="E202")
                cells = cells[: len(header)]
            cells += [""] * (len(header) - len(cells))
            row = dict(zip(header, cells))
            getattr(self, f"_add_{fmt}")(row, where)

    # ..................................................................................... rows
    def _claim_code(self, code: str, where: str) -> None:
        if not _CODE_RE.match(code):
            raise DictionaryError(f'{where}: code "{code}" is not valid; use 2-9 capital letters or digits '
                                  f'starting with a letter (ISO3 for states, e.g. "RUS"; "NATO" for IGOs)',
                                  code="E203")
        if code in self._code_origin:
            raise DictionaryError(f"{where}: code {code} defined twice ({self._code_origin[code]} and "
                                  f"{where}); keep one row and put the other names in its aliases",
                                  code="E204")
        self._code_origin[code] = where

    def _add_countries(self, row: dict[str, str], where: str) -> None:
        code, name = row["code"], row["name"]
        if not name:
            raise DictionaryError(f"{where}: country {code or '?'} has no name", code="E202")
        self._claim_code(code, where)
        self.countries[code] = Country(code, name, _alts(row["aliases"]), _alts(row["adjectives"]),
                                       _alts(row["people"]), where)

    def _add_igos(self, row: dict[str, str], where: str) -> None:
        code, name = row["code"], row["name"]
        if not name:
            raise DictionaryError(f"{where}: organisation {code or '?'} has no name", code="E202")
        self._claim_code(code, where)
        self.igos[code] = Igo(code, name, _alts(row["aliases"]), _alts(row["adjectives"]), _alts(row["people"]),
                              _alts(row["members"]), _sector(row["sector"], where, optional=True),
                              tuple(n.lower() for n in _alts(row["nouns"])), where)

    def _add_seats(self, row: dict[str, str], where: str) -> None:
        names = _alts(row["seat"])
        if not names or not row["code"]:
            raise DictionaryError(f"{where}: a seat row needs a code and at least one seat name", code="E202")
        self.seats.append(Seat(row["code"], names, _sector(row["sector"], where, optional=True),
                               row["chief"].lower() or None, row["qualifier"].lower() or None, where))

    def _add_organisations(self, row: dict[str, str], where: str) -> None:
        if not row["name"]:
            raise DictionaryError(f"{where}: organisation row without a name", code="E202")
        self.organisations.append(Organisation(row["name"], _alts(row["aliases"]), row["code"] or None,
                                               _sector(row["sector"], where, optional=True),
                                               row["kind"] or "organisation", where))

    def _add_regions(self, row: dict[str, str], where: str) -> None:
        if not row["region"]:
            raise DictionaryError(f"{where}: region row without a name", code="E202")
        self.regions.append(Region(row["region"], _alts(row["aliases"]), row["code"] or None,
                                   _sector(row["sector"], where, optional=True), where))

    def _add_sectors(self, row: dict[str, str], where: str) -> None:
        kind = row["kind"] or "group"
        if kind not in TERM_KINDS:
            raise DictionaryError(f'{where}: kind "{kind}" is not one of {", ".join(TERM_KINDS)}'
                                  + did_you_mean(kind, TERM_KINDS), code="E205")
        sector = _sector(row["sector"], where, optional=True)
        gender = _gender(row["gender"], where)
        country = row.get("country") or None
        if country is not None and not _CODE_RE.match(country):
            raise DictionaryError(f'{where}: country "{country}" is not a valid code; use an ISO3 code such as '
                                  f'"USA", or leave the column empty', code="E203")
        for term in _alts(row["term"]):
            alone = not term.endswith("?")
            key = " ".join(term.rstrip("?").lower().split())
            if key in self.sectors and self.sectors[key].number == "sg":
                raise DictionaryError(f'{where}: term "{term}" defined twice ({self.sectors[key].origin} and '
                                      f'{where}); keep one row', code="E204")
            self.sectors[key] = SectorTerm(key, sector, kind, row["role"].lower() or None, gender, "sg", where,
                                           alone, country)
            plural = _plural(key)
            if plural != key and plural not in self.sectors:
                self.sectors[plural] = SectorTerm(plural, sector, kind, row["role"].lower() or None, gender,
                                                  "pl", where, alone, country)

    def _add_people(self, row: dict[str, str], where: str) -> None:
        name = row["name"]
        if not name:
            raise DictionaryError(f"{where}: person row without a name", code="E202")
        start = _date(row["start"], where, "start", end=False)
        end = _date(row["end"], where, "end", end=True)
        if start and end and end < start:
            raise DictionaryError(f"{where}: {name}: end {end} is before start {start}; swap them or fix the "
                                  f"year", code="E206")
        flag = _yes_no(row["surname_alone"], where, "surname_alone")
        leader = _yes_no(row["leader"], where, "leader")
        if not row["code"]:
            raise DictionaryError(f"{where}: {name} has no code; give the ISO3 code of the state (or the IGO "
                                  f"code) the office belongs to", code="E202")
        surnames = _alts(row["surname"])
        approximate = any(v and len(v.strip()) < 10 for v in (row["start"], row["end"]))
        self.people.append(Person(name, _alts(row["aliases"]), surnames, flag, row["code"],
                                  _sector(row["sector"], where, optional=True), row["role"].lower() or None,
                                  start, end, _gender(row["gender"], where), leader,
                                  row.get("note", ""), where, approximate))

    # ..................................................................................... checks
    def _finish(self) -> None:
        known = set(self.countries) | set(self.igos)

        def check(code: str | None, where: str, what: str) -> None:
            if code and code not in known:
                raise DictionaryError(
                    f'{where}: {what} code "{code}" is not defined in any countries or igos file.'
                    + did_you_mean(code, sorted(known))
                    + " Add a countries/igos row for it, or fix the code.", code="E207")

        for igo in self.igos.values():
            for m in igo.members:
                check(m, igo.origin, "member")
        for s in self.seats:
            check(s.code, s.origin, "seat")
        for o in self.organisations:
            check(o.code, o.origin, "organisation")
        for r in self.regions:
            check(r.code, r.origin, "region")
        for t in self.sectors.values():
            check(t.country, t.origin, "sector term's country")
        seen: dict[tuple[str, str | None, dt.date | None], str] = {}
        for p in self.people:
            check(p.code, p.origin, "person")
            key = (p.name, p.role, p.start)
            if key in seen:
                raise DictionaryError(f"{p.origin}: {p.name} ({p.role or 'no role'}, from {p.start}) is listed "
                                      f"twice ({seen[key]} and {p.origin}); keep one row", code="E204")
            seen[key] = p.origin
        self._by_role = {}
        self._by_name = {}
        for p in sorted(self.people, key=lambda p: (p.start or dt.date.min)):
            if p.role:
                self._by_role.setdefault((p.code, p.role), []).append(p)
            self._by_name.setdefault(p.name, []).append(p)

    # ..................................................................................... lookups
    def country(self, code: str) -> Country | None:
        """The country with this ISO3 code, or None."""
        return self.countries.get(code)

    def igo(self, code: str) -> Igo | None:
        return self.igos.get(code)

    def name_of(self, code: str | None) -> str | None:
        """The display name of a country or organisation code ("RUS" -> "Russia")."""
        if not code:
            return None
        entry = self.countries.get(code) or self.igos.get(code)
        return entry.name if entry else None

    def is_code(self, code: str) -> bool:
        return code in self.countries or code in self.igos

    def people_on(self, day: dt.date) -> list[Person]:
        """Office rows in force on ``day``."""
        return [p for p in self.people if p.active_on(day)]

    def holders(self, code: str, role: str, day: dt.date | None) -> list[Person]:
        """Who held ``role`` for ``code`` on ``day`` ("GBR", "prime minister", 2019-01-01 -> Theresa May).
        ``role`` "leader" means the rows flagged leader=yes. Empty when unknown or when ``day`` is None."""
        if day is None:
            return []
        if role == "leader":
            return [p for p in self.people if p.code == code and p.leader and p.active_on(day)]
        return [p for p in self._by_role.get((code, role), ()) if p.active_on(day)]

    def publisher(self, outlet: str | None) -> tuple[str, str | None, str] | None:
        """The actor an outlet *is* when it publishes in its own voice: a seat of government ("The White
        House" -> USA GOV), a government body or an international organisation. News outlets give None.

        RETURNS ((code, sector, name) | None): exact match of the whole outlet name, "the" and case ignored.
        """
        if not outlet:
            return None
        if self._publishers is None:
            table: dict[str, tuple[str, str | None, str]] = {}
            for seat in self.seats:
                for n in seat.names:
                    table.setdefault(_norm_name(n), (seat.code, seat.sector or "GOV", seat.names[0]))
            for org in self.organisations:
                if org.code and org.sector in PUBLISHER_SECTORS:
                    for n in (org.name, *org.aliases):
                        table.setdefault(_norm_name(n), (org.code, org.sector, org.name))
            for igo in self.igos.values():
                for n in (igo.name, *igo.aliases):
                    table.setdefault(_norm_name(n), (igo.code, "IGO", igo.name))
            table.pop("", None)
            self._publishers = table
        return self._publishers.get(_norm_name(outlet))

    def offices(self, name: str) -> list[Person]:
        """All rows of one person (by canonical name), oldest first."""
        return list(self._by_name.get(name, ()))

    def roles(self) -> set[str]:
        return {p.role for p in self.people if p.role}


# ---------------------------------------------------------------------------------------------- helpers
PUBLISHER_SECTORS = {"GOV", "MIL", "LEG", "JUD", "IGO"}


def _norm_name(name: str) -> str:
    words = "".join(ch.lower() if ch.isalnum() else " " for ch in name.rstrip("?")).split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def _recognise(header: list[str], where: str) -> str:
    cols = [c for c in header if c != "note"]
    if len(set(cols)) != len(cols):
        raise DictionaryError(f"{where}: header repeats a column ({'|'.join(header)})", code="E202")
    for fmt, wanted in FORMATS.items():
        if set(cols) - set(OPTIONAL.get(fmt, ())) == set(wanted):
            return fmt
    best = max(FORMATS, key=lambda f: len(set(cols) & set(FORMATS[f])) - len(set(cols) ^ set(FORMATS[f])) / 10)
    missing = [c for c in FORMATS[best] if c not in cols]
    extra = [c for c in cols if c not in FORMATS[best]]
    hint = f' The closest format is "{best}"'
    if missing:
        hint += f"; missing column(s): {', '.join(missing)}"
    if extra:
        hint += f"; unknown column(s): {', '.join(extra)}"
    formats = "; ".join(f"{f}: {' '.join(c)}" for f, c in FORMATS.items())
    raise DictionaryError(f"{where}: the header ({' '.join(header)}) matches no actor file format.{hint}. "
                          f"Formats (tab-separated, plus an optional note column): {formats}. See docs/actors.md.",
                          code="E202")


def _alts(cell: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in cell.split("|") if a.strip())


def _sector(value: str, where: str, optional: bool) -> str | None:
    value = value.strip().upper()
    if not value and optional:
        return None
    if value not in SECTORS:
        raise DictionaryError(f'{where}: sector "{value}" is not a known sector; use one of '
                              f'{", ".join(sorted(SECTORS))} (or leave it empty).' + did_you_mean(value, SECTORS),
                              code="E205")
    return value


def _gender(value: str, where: str) -> str | None:
    value = value.strip().lower()
    if value in ("", "m", "f"):
        return value or None
    raise DictionaryError(f'{where}: gender "{value}" must be m, f or empty', code="E205")


def _yes_no(value: str, where: str, column: str) -> bool:
    value = value.strip().lower()
    if value in ("yes", "y", "true", "1"):
        return True
    if value in ("", "no", "n", "false", "0"):
        return False
    raise DictionaryError(f'{where}: {column} is "{value}"; write yes or no', code="E205")


def _date(value: str, where: str, column: str, end: bool) -> dt.date | None:
    """YYYY-MM-DD, or YYYY-MM / YYYY when only the month or year is known (start: first day; end: last)."""
    value = value.strip()
    if not value:
        return None
    m = _DATE_RE.match(value)
    try:
        if not m:
            raise ValueError(value)
        year, month, day = int(m.group(1)), m.group(2), m.group(3)
        if day:
            return dt.date(year, int(month), int(day))
        if month:
            first = dt.date(year, int(month), 1)
            if not end:
                return first
            nxt = dt.date(year + (first.month == 12), first.month % 12 + 1, 1)
            return nxt - dt.timedelta(days=1)
        return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
    except ValueError as exc:
        raise DictionaryError(f'{where}: {column} "{value}" is not a date; write YYYY-MM-DD (or YYYY-MM / YYYY '
                              f'when only the month or year is known), e.g. 2021-12-24', code="E206") from exc


_IRREGULAR = {"man": "men", "woman": "women", "child": "children", "person": "people", "chief": "chiefs",
              "staff": "staff", "police": "police", "media": "media", "military": "military", "press": "press",
              "personnel": "personnel", "intelligence": "intelligence", "leadership": "leadership",
              "public": "public", "clergy": "clergy", "judiciary": "judiciary", "artillery": "artillery",
              "aggression": "aggression", "shelling": "shelling", "fire": "fire", "propaganda": "propaganda",
              "disinformation": "disinformation", "aid": "aid", "assistance": "assistance",
              "support": "support", "diplomacy": "diplomacy", "industry": "industries",
              "attorney general": "attorneys general", "secretary-general": "secretaries-general",
              "secretary general": "secretaries general", "commander-in-chief": "commanders-in-chief"}


def _plural(term: str) -> str:
    """The plural of a sector term's last word ("foreign minister" -> "foreign ministers")."""
    if term in _IRREGULAR:
        return _IRREGULAR[term]
    if term.endswith("."):  # an abbreviated title ("Sen.") has no plural
        return term
    if " of " in term:  # "minister of defence" -> "ministers of defence"
        head, rest = term.split(" of ", 1)
        return f"{_plural(head)} of {rest}"
    words = term.split()
    last = words[-1]
    if last in _IRREGULAR:
        plural = _IRREGULAR[last]
    elif last.endswith("s") or last.endswith("x") or last.endswith("ch") or last.endswith("sh"):
        plural = last if last.endswith("s") else last + "es"
    elif last.endswith("y") and len(last) > 2 and last[-2] not in "aeiou":
        plural = last[:-1] + "ies"
    elif last.endswith("man"):
        plural = last[:-3] + "men"
    else:
        plural = last + "s"
    return " ".join(words[:-1] + [plural])


@functools.lru_cache(maxsize=1)
def _default_dictionary() -> ActorDictionary:
    return ActorDictionary.from_files(sorted(DATA_DIR.glob("*.tsv")))


@functools.lru_cache(maxsize=8)
def _dictionary_with(stamp: tuple[tuple[str, int], ...]) -> ActorDictionary:
    return ActorDictionary.from_files([*sorted(DATA_DIR.glob("*.tsv")), *(Path(p) for p, _ in stamp)])


__all__ = ["ActorDictionary", "Country", "Igo", "Seat", "Organisation", "Region", "SectorTerm", "Person",
           "SECTORS", "FORMATS"]


def non_overlapping(mentions: list) -> list:
    """Keep the longest of overlapping mentions (ties: the earlier one), sorted by start offset."""
    ordered = sorted(mentions, key=lambda m: (-(m.token_end - m.token_start), m.token_start))
    taken: set[int] = set()
    out = []
    for m in ordered:
        span = range(m.token_start, m.token_end)
        if any(i in taken for i in span):
            continue
        taken.update(span)
        out.append(m)
    out.sort(key=lambda m: m.start)
    return out
