"""The PLOVER ontology and the trigger lexicon the event extractor uses.

Everything here is read from the tab-separated files in ``ontology/data/`` (data, not code) and checked on
load; a bad row raises :class:`flashpoint.errors.DictionaryError` naming ``file:line``, what is wrong and
the valid choices. docs/ontology.md describes every file and the coding conventions.

    plover.tsv     the 16 categories: quad class, conflict/cooperation score, modes (with their scores)
    cameo.tsv      CAMEO <-> PLOVER crosswalk and the CAMEO code, QuadClass and Goldstein-like score to export
    triggers.tsv   trigger lexicon: (lemma, pos) -> event type, mode, syntactic constraints, prior weight
    reporting.tsv  reporting verbs (never events) and the attribution cue they give
    modality.tsv   modality cues (negation, conditionals, future, hedges, denials) and where they apply

Lookups:

    >>> from flashpoint import ontology
    >>> ontology.category("ASSAULT").quad
    'M-CONF'
    >>> ontology.intensity("CONSULT", "visit")
    4.0
    >>> ontology.cameo_for("SANCTION", "expel")
    ('166', 4, -7.0)
    >>> ontology.plover_for_cameo("0841")
    ('RETREAT', 'release')
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import DictionaryError, did_you_mean
from ..models import MODALITIES

__all__ = [
    "CATEGORIES", "QUADS", "REQUIREMENT_KINDS", "CUE_KINDS", "MODALITY_SCOPES",
    "Category", "Trigger", "ModalityCue",
    "category", "categories", "intensity", "quad", "triggers", "reporting_verbs", "modality_cues",
    "cameo_for", "plover_for_cameo", "quad_class", "future_type", "constraints_hold", "candidates", "match",
    "load_categories", "load_triggers", "load_reporting", "load_modality", "load_cameo",
]

CATEGORIES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
"""The 16 PLOVER categories, in the codebook's order."""

QUADS: dict[str, str] = {
    "V-COOP": "verbal cooperation",
    "M-COOP": "material cooperation",
    "V-CONF": "verbal conflict",
    "M-CONF": "material conflict",
}
"""PLOVER/ICEWS quad classes: code -> full name."""

REQUIREMENT_KINDS: tuple[str, ...] = (
    "prt", "prep", "pobj", "not_pobj", "dobj", "not_dobj", "xcomp", "not_xcomp", "head", "not_head", "mod", "not_mod",
    "subj", "obj_prep",
)
"""Constraint kinds a trigger row may carry in its ``requires`` column (see :func:`constraints_hold`)."""

CUE_KINDS: tuple[str, ...] = ("neutral", "alleged", "denied")
"""What a reporting verb says about the claim it reports."""

MODALITY_SCOPES: tuple[str, ...] = ("aux", "head", "adverb", "mark", "det", "adjective", "prep", "sentence")
"""Where a modality cue must stand relative to the event (see modality.tsv)."""

PARTICLES = frozenset({"out", "down", "up", "off", "over", "back", "in", "away", "aside", "on", "around", "through", "apart"})
POS_VALUES = ("VERB", "NOUN")
# future cooperative acts are coded AGREE, announced future retreats CONCEDE (PLOVER manual, AGREE and CONCEDE)
_FUTURE_TYPES = {"CONSULT": "AGREE", "SUPPORT": "AGREE", "COOPERATE": "AGREE", "AID": "AGREE", "RETREAT": "CONCEDE"}
_MOD_DEPS = ("compound", "amod", "nmod", "npadvmod")


@dataclass(frozen=True)
class Category:
    """One PLOVER category.

    name (str): AGREE ... ASSAULT.
    quad (str): V-COOP, M-COOP, V-CONF or M-CONF.
    quad_name (str): the quad's full name ("material conflict").
    intensity (float): conflict (-10) .. cooperation (+10) score when no mode is known.
    modes (tuple[str, ...]): the category's valid modes, in the manual's order.
    description (str): one line.
    mode_intensities (tuple[tuple[str, float], ...]): modes with a score of their own.
    source (str): where the numbers come from.
    """

    name: str
    quad: str
    quad_name: str
    intensity: float
    modes: tuple[str, ...]
    description: str
    mode_intensities: tuple[tuple[str, float], ...] = ()
    source: str = ""

    def intensity_of(self, mode: str | None = None) -> float:
        """The score of ``mode`` (the category's own score when the mode has none or is None)."""
        if mode:
            for m, score in self.mode_intensities:
                if m == mode:
                    return score
        return self.intensity


@dataclass(frozen=True)
class Trigger:
    """One row of the trigger lexicon.

    lemma (str): spaCy lemma, lower-case; "verb particle" for phrasal verbs ("pull out").
    pos (str): VERB or NOUN.
    event_type (str): a PLOVER category.
    mode (str | None): a valid mode of that category, or None.
    requires (tuple[tuple[str, frozenset[str]], ...]): constraints, all of which must hold.
    weight (float): prior (0..1) that a match is an event of this type.
    note (str): why the row is there.
    origin (str): "file:line" of the row (not compared).
    """

    lemma: str
    pos: str
    event_type: str
    mode: str | None
    requires: tuple[tuple[str, frozenset[str]], ...]
    weight: float
    note: str = ""
    origin: str = field(default="", compare=False)


@dataclass(frozen=True)
class ModalityCue:
    """One modality cue.

    cue (str): a lemma or a fixed phrase, lower-case ("could", "going to", "according to intelligence").
    modality (str): negated, hypothetical, future, alleged or denied.
    scope (str): aux, head, adverb, mark, det, adjective, prep or sentence (see MODALITY_SCOPES).
    note (str): an example or a caveat.
    """

    cue: str
    modality: str
    scope: str
    note: str = ""


# ---------------------------------------------------------------------------------------------- reading
def _data_file(name: str) -> tuple[Any, str]:
    return resources.files("flashpoint.ontology").joinpath("data", name), f"ontology/data/{name}"


def _read_rows(path: str | Path | None, default: str, columns: tuple[str, ...], required: int) -> Iterator[tuple[str, int, list[str]]]:
    """Yield (label, line number, fields) for every data row; checks the header and the field count."""
    if path is None:
        source, label = _data_file(default)
        try:
            text = source.read_text(encoding="utf-8")
        except FileNotFoundError as exc:  # pragma: no cover - broken installation
            raise DictionaryError(f"{label} is missing from the installed package; reinstall flashpoint", code="E220") from exc
    else:
        label = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise DictionaryError(f"{label}: cannot be read ({exc.strerror or exc})", code="E220") from exc
        except UnicodeDecodeError as exc:
            raise DictionaryError(f"{label}: is not UTF-8 text ({exc.reason} at byte {exc.start})", code="E220") from exc
    header_seen = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = line.split("\t")
        if not header_seen:
            got = tuple(f.strip() for f in fields)
            if got != columns:
                raise DictionaryError(
                    f"{label}:{number}: header is {'|'.join(got)}; expected the tab-separated columns {'|'.join(columns)}",
                    code="E220",
                )
            header_seen = True
            continue
        if len(fields) > len(columns) or len(fields) < required:
            raise DictionaryError(
                f"{label}:{number}: {len(fields)} tab-separated fields; expected {len(columns)} "
                f"({', '.join(columns)}). Check for spaces used instead of tabs",
                code="E220",
            )
        fields = [f.strip() for f in fields] + [""] * (len(columns) - len(fields))
        yield label, number, fields
    if not header_seen:
        raise DictionaryError(f"{label}: no header line; expected the columns {'|'.join(columns)}", code="E220")


def _event_type(value: str, where: str) -> str:
    if value in CATEGORIES:
        return value
    hint = did_you_mean(value.upper(), CATEGORIES)
    raise DictionaryError(
        f'{where}: unknown event type "{value}". Valid types: {", ".join(CATEGORIES)}.{hint}', code="E221"
    )


def _score(value: str, where: str, what: str) -> float:
    try:
        score = float(value)
    except ValueError:
        raise DictionaryError(f'{where}: {what} "{value}" is not a number; expected a value from -10 to 10', code="E223") from None
    if not -10.0 <= score <= 10.0:
        raise DictionaryError(f"{where}: {what} {score:g} is outside -10..10", code="E223")
    return score


# ---------------------------------------------------------------------------------------------- categories
PLOVER_COLUMNS = ("name", "quad", "quad_name", "intensity", "modes", "description", "source")


def load_categories(path: str | Path | None = None) -> dict[str, Category]:
    """Read and check plover.tsv (the packaged one when ``path`` is None). RETURNS name -> Category."""
    out: dict[str, Category] = {}
    lines: dict[str, int] = {}
    label = "ontology/data/plover.tsv" if path is None else str(path)
    for label, number, (name, quad_code, quad_name, score, modes, description, source) in _read_rows(path, "plover.tsv", PLOVER_COLUMNS, 6):
        where = f"{label}:{number}"
        name = _event_type(name, where)
        if name in out:
            raise DictionaryError(f"{where}: category {name} is defined twice (first on line {lines[name]})", code="E220")
        if quad_code not in QUADS:
            raise DictionaryError(f'{where}: quad "{quad_code}" is not one of {", ".join(QUADS)}', code="E220")
        if quad_name != QUADS[quad_code]:
            raise DictionaryError(f'{where}: quad_name "{quad_name}" does not match {quad_code}; expected "{QUADS[quad_code]}"', code="E220")
        names: list[str] = []
        scored: list[tuple[str, float]] = []
        for item in filter(None, (m.strip() for m in modes.split("|"))):
            mode, _, mode_score = item.partition("=")
            mode = mode.strip()
            if not mode or mode != mode.lower() or " " in mode:
                raise DictionaryError(f'{where}: mode "{item}" must be a lower-case word, optionally "=score"', code="E222")
            if mode in names:
                raise DictionaryError(f'{where}: mode "{mode}" is listed twice for {name}', code="E222")
            names.append(mode)
            if mode_score.strip():
                scored.append((mode, _score(mode_score.strip(), where, f'score of mode "{mode}"')))
        out[name] = Category(
            name=name, quad=quad_code, quad_name=quad_name, intensity=_score(score, where, "intensity"),
            modes=tuple(names), description=description, mode_intensities=tuple(scored), source=source,
        )
        lines[name] = number
    missing = [c for c in CATEGORIES if c not in out]
    if missing:
        raise DictionaryError(f"{label}: categories missing: {', '.join(missing)}; all 16 PLOVER categories are required", code="E220")
    return {name: out[name] for name in CATEGORIES}


@functools.lru_cache(maxsize=1)
def _categories() -> dict[str, Category]:
    return load_categories()


def categories() -> tuple[Category, ...]:
    """All 16 categories in PLOVER order."""
    return tuple(_categories().values())


def category(name: str) -> Category:
    """The Category called ``name`` (case-insensitive).

    Raises DictionaryError listing the valid names, with a did-you-mean, when there is no such category.
    """
    cats = _categories()
    key = (name or "").strip().upper()
    if key in cats:
        return cats[key]
    raise DictionaryError(
        f'Unknown event type "{name}". Valid types: {", ".join(CATEGORIES)}.{did_you_mean(key, CATEGORIES)}',
        code="E221",
    )


def _check_mode(cat: Category, mode: str | None) -> str | None:
    if mode in (None, ""):
        return None
    if mode not in cat.modes:
        valid = ", ".join(cat.modes) if cat.modes else "none (leave the mode empty)"
        raise DictionaryError(
            f'"{mode}" is not a mode of {cat.name}. Valid modes: {valid}.{did_you_mean(mode, cat.modes)}', code="E222"
        )
    return mode


def intensity(event_type: str, mode: str | None = None) -> float:
    """Conflict (-10) .. cooperation (+10) score of a type, or of its mode when the manual scores the mode."""
    cat = category(event_type)
    return cat.intensity_of(_check_mode(cat, mode))


def quad(event_type: str) -> str:
    """The quad class code of a type: V-COOP, M-COOP, V-CONF or M-CONF."""
    return category(event_type).quad


def future_type(event_type: str) -> str:
    """The type PLOVER codes a future or promised act as: future CONSULT/SUPPORT/COOPERATE/AID -> AGREE,
    announced future RETREAT -> CONCEDE; anything else keeps its type."""
    return _FUTURE_TYPES.get(category(event_type).name, category(event_type).name)


# ---------------------------------------------------------------------------------------------- triggers
TRIGGER_COLUMNS = ("lemma", "pos", "event_type", "mode", "requires", "weight", "note")


def _parse_requires(value: str, where: str) -> tuple[tuple[str, frozenset[str]], ...]:
    out: list[tuple[str, frozenset[str]]] = []
    for part in filter(None, (p.strip() for p in value.split(";"))):
        kind, sep, values = part.partition("=")
        kind = kind.strip()
        if not sep:
            raise DictionaryError(
                f'{where}: constraint "{part}" has no "="; write kind=value|value, e.g. dobj=sanction|embargo', code="E224"
            )
        if kind not in REQUIREMENT_KINDS:
            raise DictionaryError(
                f'{where}: unknown constraint kind "{kind}". Valid kinds: {", ".join(REQUIREMENT_KINDS)}.'
                f"{did_you_mean(kind, REQUIREMENT_KINDS)}",
                code="E224",
            )
        items = [v.strip() for v in values.split("|")]
        if not items or any(not v for v in items):
            raise DictionaryError(f'{where}: constraint "{part}" has an empty value; separate values with "|"', code="E224")
        bad = [v for v in items if v != v.lower() or " " in v]
        if bad:
            raise DictionaryError(f'{where}: constraint values must be lower-case single words; got {", ".join(bad)}', code="E224")
        if any(k == kind for k, _ in out):
            raise DictionaryError(f'{where}: constraint kind "{kind}" appears twice; merge the values with "|"', code="E224")
        out.append((kind, frozenset(items)))
    return tuple(out)


def load_triggers(path: str | Path | None = None) -> dict[tuple[str, str], list[Trigger]]:
    """Read and check a trigger lexicon (the packaged triggers.tsv when ``path`` is None).

    RETURNS (dict): (lemma, pos) -> candidate Triggers, highest weight first.
    """
    cats = _categories()
    table: dict[tuple[str, str], list[Trigger]] = {}
    seen: dict[tuple[Any, ...], int] = {}
    for label, number, (lemma, pos, etype, mode, requires, weight, note) in _read_rows(path, "triggers.tsv", TRIGGER_COLUMNS, 6):
        where = f"{label}:{number}"
        if not lemma or lemma != lemma.lower():
            raise DictionaryError(f'{where}: lemma "{lemma}" must be non-empty and lower-case (spaCy lemma)', code="E220")
        if pos not in POS_VALUES:
            raise DictionaryError(f'{where}: pos "{pos}" must be VERB or NOUN.{did_you_mean(pos.upper(), POS_VALUES)}', code="E220")
        words = lemma.split()
        if len(words) > 1 and (pos != "VERB" or len(words) != 2 or words[1] not in PARTICLES):
            raise DictionaryError(
                f'{where}: multiword lemma "{lemma}" must be a phrasal VERB "verb particle" with a particle among '
                f'{", ".join(sorted(PARTICLES))}; express fixed phrases as constraints (e.g. open + dobj=fire)',
                code="E220",
            )
        etype = _event_type(etype, where)
        try:
            mode_value = _check_mode(cats[etype], mode)
        except DictionaryError as exc:
            raise DictionaryError(f"{where}: {exc.args[0]}", code="E222") from None
        try:
            w = float(weight)
        except ValueError:
            raise DictionaryError(f'{where}: weight "{weight}" is not a number; expected a value from 0 to 1', code="E223") from None
        if not 0.0 <= w <= 1.0:
            raise DictionaryError(f"{where}: weight {w:g} is outside 0..1", code="E223")
        reqs = _parse_requires(requires, where)
        key = (lemma, pos, etype, mode_value, reqs)
        if key in seen:
            raise DictionaryError(f"{where}: duplicate of line {seen[key]} ({lemma} {pos} {etype}); remove one of them", code="E220")
        seen[key] = number
        trig = Trigger(lemma, pos, etype, mode_value, reqs, w, note, origin=where)
        table.setdefault((lemma, pos), []).append(trig)
    for cands in table.values():
        cands.sort(key=lambda t: -t.weight)
    return table


@functools.lru_cache(maxsize=1)
def triggers() -> dict[tuple[str, str], list[Trigger]]:
    """The packaged trigger lexicon, (lemma, pos) -> candidates (highest weight first). Cached: do not mutate."""
    return load_triggers()


# past forms of prefixed irregular verbs that the English lemmatizer leaves as they are ("retook" -> "retook")
_IRREGULAR_PAST = {"took": "take", "taken": "take", "drew": "draw", "drawn": "draw", "threw": "throw",
                   "thrown": "throw", "held": "hold", "ran": "run", "struck": "strike", "stricken": "strike",
                   "sent": "send", "built": "build", "shot": "shoot", "fought": "fight",
                   "won": "win", "gave": "give", "given": "give", "wrote": "write", "written": "write"}
_PREFIXES = ("re", "over", "under", "out", "with", "up", "counter")


def _lemma(tok: Any) -> str:
    lemma = tok.lemma_.lower()
    if lemma == tok.lower_ and tok.pos_ in ("VERB", "NOUN", "PROPN"):
        for prefix in _PREFIXES:
            rest = lemma[len(prefix):]
            if lemma.startswith(prefix) and rest in _IRREGULAR_PAST:
                return prefix + _IRREGULAR_PAST[rest]
    return lemma


def _particles(token: Any) -> list[Any]:
    """Particle children of a verb: dependency prt anywhere, or a particle word (out, down, up ...) parsed as
    advmod/prep right after the verb ("pulled out of", "stepped down" often come out that way) or right after its
    direct object ("forced the drone out of the area")."""
    after = {token.i + 1} | {c.right_edge.i + 1 for c in token.children if c.dep_ == "dobj"}
    out = []
    for c in token.children:
        if c.dep_ == "prt" or (c.dep_ in ("advmod", "prep") and c.i in after and c.lower_ in PARTICLES):
            out.append(c)
    return out


def _particle_objects(token: Any) -> list[Any]:
    """Objects of a particle the parser took for a preposition: in "brushing aside the fallout" the fallout is
    the pobj of "aside" but the verb's direct object."""
    return [o for p in _particles(token) if p.dep_ == "prep" for o in p.children if o.dep_ == "pobj"
            and p.lower_ in ("aside", "off", "away")]


def _prep_objects(token: Any) -> Iterator[Any]:
    """Objects of the token's prepositions, also through a particle ("pulled out of Russia" -> Russia)."""
    for c in token.children:
        if c.dep_ in ("prep", "agent") or c.dep_ == "prt":
            for o in c.children:
                if o.dep_ == "pobj":
                    yield o
                elif o.dep_ == "prep" and c.lower_ in PARTICLES:
                    for oo in o.children:
                        if oo.dep_ == "pobj":
                            yield oo
    # "stripped the journalist of his accreditation", "stripped the grandmaster Anatoly Karpov of his title": an
    # "of" the parser hung on the object or its apposition
    if token.pos_ == "VERB":
        for d in token.children:
            if d.dep_ == "dobj":
                for a in (d, *(x for x in d.children if x.dep_ == "appos")):
                    for c in a.children:
                        if c.dep_ == "prep" and c.lower_ == "of":
                            yield from (o for o in c.children if o.dep_ == "pobj")


def constraints_hold(token: Any, trigger: Trigger) -> bool:
    """Whether every constraint of ``trigger`` holds for the spaCy ``token`` (the reference semantics).

    prt      a particle child whose text is listed ("pull" + out; see _particles)
    prep     a child preposition (prep/agent) whose text is listed ("call" + for), or the marker of a clause
             that follows ("called for staff to be rotated out")
    obj_prep a preposition on the verb or on its direct object ("created joint centres with Russia")
    pobj     a preposition's object (also through a particle: "pulled out of Russia") whose lemma is listed
    not_pobj no child preposition has an object whose lemma is listed
    dobj     a direct object (or passive subject) whose lemma is listed ("*": any); for a relative/participle
             clause the noun it modifies ("the deal struck yesterday")
    not_dobj no direct object or passive subject with a listed lemma ("*": none at all)
    xcomp    an open clausal complement (dependency xcomp) with a listed lemma ("vowed to retaliate"; "*": any);
             for a noun, an infinitive or "that" clause on it ("calls to resign", "calls for Johnson to resign",
             "a call that Germany send tanks")
    not_xcomp no such complement ("declined to comment" is not a refusal of anything)
    head     the token's syntactic head has a listed lemma ("strike" under "on": went on strike)
    not_head the token's head lemma is not listed
    mod      a compound/amod/nmod/npadvmod child with a listed lemma or text ("hunger strike", "cease-fire")
    not_mod  no such modifier
    subj     the active subject (or, for "thousands of protesters", what it counts) has a listed lemma, also the
             subject of the verb a conjunct or an open complement depends on ("forces were planning to leave")
             ("protesters clashed with police" is a riot, soldiers clashing is a battle)
    """
    children = list(token.children)
    for kind, values in trigger.requires:
        if kind == "prt":
            ok = any(c.lower_ in values for c in _particles(token))
        elif kind == "prep":
            # also the marker of a clause: "called for staff to be rotated out"
            ok = any(c.dep_ in ("prep", "agent") and c.lower_ in values for c in children) or any(
                c.dep_ in ("advcl", "ccomp", "xcomp") and any(m.dep_ == "mark" and m.lower_ in values and m.i > token.i
                                                              for m in c.children) for c in children)
        elif kind == "obj_prep":
            ok = any(c.dep_ == "prep" and c.lower_ in values for o in [token, *(c for c in children if c.dep_ == "dobj")]
                     for c in o.children)
        elif kind in ("pobj", "not_pobj"):
            found = any(_lemma(o) in values for o in _prep_objects(token))
            ok = found if kind == "pobj" else not found
        elif kind == "dobj":
            objects = [c for c in children if c.dep_ in ("dobj", "nsubjpass")] + _particle_objects(token)
            ok = any("*" in values or values & _object_lemmas(c) for c in objects) or (
                token.dep_ in ("relcl", "acl") and _lemma(token.head) in values
            )
        elif kind == "not_dobj":  # "*": no direct object at all ("demonstrated" the protest, not "demonstrated resolve")
            # a wh-word before the verb is no object of it, whatever the parse says ("what Putin had decided but
            # called on Russia to ...")
            ok = not any(c.dep_ in ("dobj", "nsubjpass") and not (c.i < token.i and c.tag_ in ("WP", "WDT"))
                         and ("*" in values or values & _object_lemmas(c)) for c in children)
        elif kind in ("xcomp", "not_xcomp"):
            comps = [c for c in children if c.dep_ == "xcomp"]
            inf = noun_complement(token) if token.pos_ in ("NOUN", "PROPN") else None
            found = any("*" in values or _lemma(c) in values for c in comps + ([inf] if inf is not None else []))
            ok = found if kind == "xcomp" else not found
        elif kind == "head":
            ok = token.head is not token and _lemma(token.head) in values
        elif kind == "not_head":
            ok = token.head is token or _lemma(token.head) not in values
        elif kind == "subj":
            ok = any(c.dep_ == "nsubj" and values & _object_lemmas(c) for c in children) or (
                # "troops attacked and seized ...", "forces were planning to leave": the subject of the verb above
                token.dep_ in ("conj", "xcomp") and any(c.dep_ == "nsubj" and values & _object_lemmas(c) for c in token.head.children))
        elif kind in ("mod", "not_mod"):
            found = any(c.dep_ in _MOD_DEPS and (_lemma(c) in values or c.lower_ in values) for c in children)
            ok = found if kind == "mod" else not found
        else:  # pragma: no cover - load_triggers rejects unknown kinds
            ok = False
        if not ok:
            return False
    return True


def noun_infinitive(noun: Any) -> Any | None:
    """The infinitive clause on a noun ("calls <to resign>", "calls for Johnson <to resign>"), also where the parser
    hung it on the verb above while its "to" follows the noun at once ("faced calls to resign from ..."); None
    when there is none."""
    for c in noun.children:
        if c.dep_ in ("acl", "relcl", "advcl") and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children):
            return c
    doc = noun.doc
    nxt = doc[noun.i + 1] if noun.i + 1 < len(doc) else None
    if nxt is not None and nxt.lower_ == "to" and nxt.dep_ == "aux" and nxt.head.i > noun.i \
            and nxt.head.dep_ in ("advcl", "xcomp") and nxt.head.pos_ == "VERB" and not noun.is_ancestor(nxt.head) \
            and nxt.head.head.is_ancestor(noun):
        return nxt.head
    return None


def noun_complement(noun: Any) -> Any | None:
    """The clause that says what a noun of demand asks for: an infinitive (see :func:`noun_infinitive`) or a
    "that" clause with its own subject ("Russia's demand that NATO withdraw", "a call that Germany send tanks")."""
    inf = noun_infinitive(noun)
    if inf is not None:
        return inf
    for c in noun.children:
        # the verb is in the subjunctive ("that NATO withdraw") or takes "should"/"must": what is asked, not a
        # relative clause ("the guarantees that Moscow demanded")
        if c.dep_ in ("acl", "ccomp", "relcl") and c.i > noun.i and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children) \
                and any(x.dep_ == "nsubj" for x in c.children) and (
                    c.tag_ == "VB" or any(a.dep_ == "aux" and a.lower_ in ("should", "must") for a in c.children)
                    # a plain form after a singular subject is a subjunctive too ("that the Pentagon begin")
                    or (c.tag_ == "VBP" and any(x.dep_ == "nsubj" and x.tag_ in ("NN", "NNP") for x in c.children))):
            return c
    return None


# nouns of quantity or grouping whose "of" phrase says what the object is ("thousands of troops", "a group of
# warships", "a contingent of soldiers")
QUANTITY_NOUNS = frozenset({
    "thousand", "thousands", "hundred", "hundreds", "dozen", "dozens", "million", "millions", "number", "group",
    "contingent", "batch", "column", "convoy", "squadron", "fleet", "flotilla", "wave", "unit", "detachment",
    "battalion", "brigade", "company", "platoon", "regiment", "division", "shipment", "package", "pair", "couple",
    "lot", "host", "handful", "more", "some", "most", "all", "part", "rest", "several", "few", "many",
})


def _object_lemmas(obj: Any) -> set[str]:
    """The lemma of an object, and for a noun of quantity also that of its "of" phrase: "sent thousands of
    troops" has the objects "thousand" and "troop"."""
    out = {_lemma(obj)}
    if obj.lower_ in QUANTITY_NOUNS or _lemma(obj) in QUANTITY_NOUNS:
        for c in obj.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                out.update(_lemma(o) for o in c.children if o.dep_ == "pobj")
            elif c.dep_ == "compound":  # "a carrier group", "a strike group"
                out.add(_lemma(c))
    return out


def _keys(token: Any) -> tuple[str | None, list[str]]:
    if token.pos_ in ("VERB", "AUX"):
        pos = "VERB"
    elif token.pos_ in ("NOUN", "PROPN"):
        pos = "NOUN"
    else:
        return None, []
    lemma = _lemma(token)
    keys = ([f"{lemma} {c.lower_}" for c in _particles(token)] if pos == "VERB" else []) + [lemma]
    if pos == "NOUN" and token.tag_ in ("NNS", "NNPS") and token.lower_ != lemma:
        keys.append(token.lower_)
    return pos, keys


def candidates(token: Any, table: dict[tuple[str, str], list[Trigger]] | None = None) -> list[Trigger]:
    """Every lexicon row a spaCy token could match, constraints not checked (phrasal keys first)."""
    table = triggers() if table is None else table
    pos, keys = _keys(token)
    return [t for key in keys for t in table.get((key, pos), ())] if pos else []


def match(token: Any, table: dict[tuple[str, str], list[Trigger]] | None = None) -> Trigger | None:
    """The trigger a spaCy token matches, or None (the reference selection rule).

    Keys are tried in order: "lemma particle" for each particle of a verb (see _particles), the lemma, and
    for plural nouns the surface form. For the first key with a candidate whose constraints hold, the
    highest-weight such candidate wins.
    """
    table = triggers() if table is None else table
    pos, keys = _keys(token)
    for key in keys:
        for trig in table.get((key, pos), ()):  # highest weight first
            if constraints_hold(token, trig):
                return trig
    return None


# ---------------------------------------------------------------------------------------------- reporting, modality
REPORTING_COLUMNS = ("lemma", "cue", "note")
MODALITY_COLUMNS = ("cue", "modality", "scope", "note")


def load_reporting(path: str | Path | None = None) -> dict[str, str]:
    """Read and check reporting.tsv. RETURNS lemma -> cue kind ("neutral", "alleged" or "denied")."""
    out: dict[str, str] = {}
    lines: dict[str, int] = {}
    for label, number, (lemma, cue, _note) in _read_rows(path, "reporting.tsv", REPORTING_COLUMNS, 2):
        where = f"{label}:{number}"
        if not lemma or lemma != lemma.lower() or " " in lemma:
            raise DictionaryError(f'{where}: lemma "{lemma}" must be one lower-case word', code="E220")
        if cue not in CUE_KINDS:
            raise DictionaryError(f'{where}: cue "{cue}" is not one of {", ".join(CUE_KINDS)}.{did_you_mean(cue, CUE_KINDS)}', code="E225")
        if lemma in out:
            raise DictionaryError(f"{where}: {lemma} is listed twice (first on line {lines[lemma]})", code="E220")
        out[lemma] = cue
        lines[lemma] = number
    return out


@functools.lru_cache(maxsize=1)
def _reporting() -> dict[str, str]:
    return load_reporting()


def reporting_verbs() -> dict[str, str]:
    """Reporting verb lemma -> attribution cue kind ("neutral" | "alleged" | "denied")."""
    return dict(_reporting())


def load_modality(path: str | Path | None = None) -> tuple[ModalityCue, ...]:
    """Read and check modality.tsv. RETURNS the cues in file order."""
    values = tuple(m for m in MODALITIES if m != "asserted")
    out: list[ModalityCue] = []
    seen: dict[tuple[str, str], int] = {}
    for label, number, (cue, modality, scope, note) in _read_rows(path, "modality.tsv", MODALITY_COLUMNS, 3):
        where = f"{label}:{number}"
        if not cue or cue != cue.lower():
            raise DictionaryError(f'{where}: cue "{cue}" must be non-empty and lower-case', code="E220")
        if modality not in values:
            raise DictionaryError(
                f'{where}: modality "{modality}" is not one of {", ".join(values)}.{did_you_mean(modality, values)}', code="E225"
            )
        if scope not in MODALITY_SCOPES:
            raise DictionaryError(
                f'{where}: scope "{scope}" is not one of {", ".join(MODALITY_SCOPES)}.{did_you_mean(scope, MODALITY_SCOPES)}',
                code="E225",
            )
        if (cue, scope) in seen:
            raise DictionaryError(f'{where}: cue "{cue}" ({scope}) is listed twice (first on line {seen[cue, scope]})', code="E220")
        seen[cue, scope] = number
        out.append(ModalityCue(cue, modality, scope, note))
    return tuple(out)


@functools.lru_cache(maxsize=1)
def _modality() -> tuple[ModalityCue, ...]:
    return load_modality()


def modality_cues() -> list[ModalityCue]:
    """All modality cues (ModalityCue(cue, modality, scope, note)) in file order.

    The nearest cue to the event wins; denied/alleged cues from a governing verb override a plain
    assertion. Group them with e.g. ``{c.cue for c in modality_cues() if c.scope == "aux"}``.
    """
    return list(_modality())


# ---------------------------------------------------------------------------------------------- CAMEO
CAMEO_COLUMNS = ("cameo", "plover", "mode", "use", "goldstein", "gloss")
CAMEO_USES = ("map", "export", "both")


@dataclass(frozen=True)
class _Crosswalk:
    forward: dict[str, tuple[str | None, str | None]]
    export: dict[tuple[str, str | None], tuple[str, int, float]]


def quad_class(code: str) -> int:
    """GDELT-style QuadClass of a CAMEO code from its root: 01-05 -> 1, 06-08 -> 2, 09-13 -> 3, 14-20 -> 4."""
    root = int(code[:2])
    return 1 if root <= 5 else 2 if root <= 8 else 3 if root <= 13 else 4


def _check_cameo(code: str, where: str) -> str:
    code = (code or "").strip()
    if not code.isdigit() or not 2 <= len(code) <= 4 or not 1 <= int(code[:2]) <= 20:
        raise DictionaryError(
            f'{where}"{code}" is not a CAMEO code; expected 2 to 4 digits starting with a root 01..20 (e.g. "19", "190", "0841")',
            code="E226",
        )
    return code


def load_cameo(path: str | Path | None = None) -> _Crosswalk:
    """Read and check cameo.tsv: every PLOVER type and type+mode needs exactly one export row."""
    cats = _categories()
    forward: dict[str, tuple[str | None, str | None]] = {}
    export: dict[tuple[str, str | None], tuple[str, int, float]] = {}
    fwd_line: dict[str, int] = {}
    exp_line: dict[tuple[str, str | None], int] = {}
    label = "ontology/data/cameo.tsv" if path is None else str(path)
    for label, number, (code, plover, mode, use, score, _gloss) in _read_rows(path, "cameo.tsv", CAMEO_COLUMNS, 5):
        where = f"{label}:{number}"
        code = _check_cameo(code, f"{where}: ")
        if use not in CAMEO_USES:
            raise DictionaryError(f'{where}: use "{use}" is not one of {", ".join(CAMEO_USES)}', code="E226")
        goldstein = _score(score, where, "goldstein")
        etype: str | None = None
        mode_value: str | None = None
        if plover:
            etype = _event_type(plover, where)
            try:
                mode_value = _check_mode(cats[etype], mode)
            except DictionaryError as exc:
                raise DictionaryError(f"{where}: {exc.args[0]}", code="E222") from None
        elif mode:
            raise DictionaryError(f"{where}: a mode needs a PLOVER type", code="E222")
        if use in ("map", "both"):
            if code in forward:
                raise DictionaryError(f"{where}: CAMEO {code} already maps to a PLOVER type on line {fwd_line[code]}", code="E226")
            forward[code] = (etype, mode_value)
            fwd_line[code] = number
        if use in ("export", "both"):
            if etype is None:
                raise DictionaryError(f"{where}: an export row needs a PLOVER type", code="E226")
            key = (etype, mode_value)
            if key in export:
                raise DictionaryError(
                    f"{where}: {etype} {mode_value or '(no mode)'} already exports as CAMEO {export[key][0]} (line {exp_line[key]})",
                    code="E226",
                )
            export[key] = (code, quad_class(code), goldstein)
            exp_line[key] = number
    missing = [f"{c.name} {m or '(no mode)'}" for c in cats.values() for m in (None, *c.modes) if (c.name, m) not in export]
    if missing:
        raise DictionaryError(f"{label}: no export row for {', '.join(missing)}", code="E226")
    return _Crosswalk(forward, export)


@functools.lru_cache(maxsize=1)
def _crosswalk() -> _Crosswalk:
    return load_cameo()


def cameo_for(event_type: str, mode: str | None = None) -> tuple[str, int, float]:
    """(CAMEO code, QuadClass 1-4, Goldstein-like score) to export a PLOVER type (and mode) as."""
    cat = category(event_type)
    return _crosswalk().export[(cat.name, _check_mode(cat, mode))]


def plover_for_cameo(code: str) -> tuple[str | None, str | None]:
    """(PLOVER type, mode) of a CAMEO code; (None, None) for codes with no PLOVER event (01 statements).

    A code not in the table falls back to its 3-digit parent, then to its root ("1384" -> "138").
    """
    code = _check_cameo(str(code), "")
    forward = _crosswalk().forward
    for prefix in (code, code[:3], code[:2]):
        if prefix in forward:
            return forward[prefix]
    return (None, None)  # pragma: no cover - every root is in the table
