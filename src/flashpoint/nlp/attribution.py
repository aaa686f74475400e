"""Who claims an event, and which outlets carried the claim.

The chain is returned innermost first: the speaker (the claimant the sentence names: "Kirby said",
"according to the UN") and then each outlet that carried it ("told CNN", "as per a report by Sputnik",
"NBC reported", "citing TASS"). The publisher of the article is kept apart (``Event.outlet``).

Cues looked for, all from the dependency parse:
- a reporting verb governing the event's clause (``X said that ...``), or attached to it as a parenthetical
  (``..., X said.``), its subject being the claimant;
- ``according to X``, ``as per (a report by) X``, ``citing X``, ``quoted by X``, ``in a report by X``,
  ``in an interview with X``, ``told X`` (X an outlet), anywhere in the event's sentence.
A claimant that is a news medium (``outlets.tsv`` or a head noun such as "newspaper", "agency") is an outlet.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from importlib import resources

from spacy.tokens import Span, Token

from ..models import ActorMention, Attribution

MEDIA_NOUNS = {
    "newspaper", "agency", "outlet", "broadcaster", "channel", "television", "tv", "radio", "daily", "tabloid",
    "magazine", "network", "website", "wire", "media", "paper", "publication", "journal", "station", "portal",
}
ATTRIBUTION_PREPS = {"according", "per"}  # "according to X", "as per X"


@dataclass(frozen=True)
class Outlet:
    name: str
    country: str | None
    state_owned: bool


@functools.lru_cache(maxsize=1)
def outlets() -> dict[str, Outlet]:
    """lower-cased name or alias -> Outlet, from ``nlp/data/outlets.tsv``."""
    table: dict[str, Outlet] = {}
    text = resources.files("flashpoint.nlp").joinpath("data/outlets.tsv").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    for row in csv.DictReader(rows, delimiter="\t"):
        o = Outlet(row["name"], row["country"] or None, row["state_owned"].strip().lower() == "yes")
        for alias in [row["name"], *(row["aliases"] or "").split("|")]:
            alias = alias.strip()
            if alias:
                table[alias.lower()] = o
                if alias.lower().startswith("the "):
                    table[alias.lower()[4:]] = o
    return table


def outlet_for_span(span: Span) -> Outlet | None:
    """The outlet a noun phrase names ("Russian state-owned Sputnik", "the newspaper Oslobođenje")."""
    table = outlets()
    text = span.text.lower().strip()
    for cand in (text, text.removeprefix("the ")):
        if cand in table:
            return table[cand]
    # longest sub-sequence of proper nouns that names a known outlet
    toks = [t for t in span if t.pos_ in ("PROPN", "NOUN", "X") or t.text[:1].isupper()]
    for n in range(len(toks), 0, -1):
        for i in range(len(toks) - n + 1):
            cand = " ".join(t.text for t in toks[i : i + n]).lower()
            if cand in table:
                return table[cand]
    return None


def is_media(span: Span, mention: ActorMention | None = None) -> bool:
    if mention is not None and mention.sector == "MED":
        return True
    if outlet_for_span(span) is not None:
        return True
    return span.root.lemma_.lower() in MEDIA_NOUNS or any(t.lemma_.lower() in MEDIA_NOUNS for t in span if t.dep_ in ("compound", "appos"))


def phrase(tok: Token) -> Span:
    """The noun phrase headed by ``tok`` without trailing clauses."""
    doc = tok.doc
    left = tok.left_edge.i
    right = tok.i
    for c in tok.rights:
        if c.dep_ in ("compound", "appos", "flat", "nummod", "amod") or (c.dep_ == "prep" and c.lemma_ == "of"):
            right = max(right, c.right_edge.i)
    return doc[left : right + 1]


class AttributionFinder:
    """Builds the attribution chain for an event trigger.

    reporting (dict[str, str]): reporting verb lemma -> cue kind ("neutral", "alleged", "denied").
    mention_at (callable): token -> ActorMention | None, the actor covering a token.
    """

    def __init__(self, reporting: dict[str, str], mention_at) -> None:
        self.reporting = reporting
        self.mention_at = mention_at

    def link(self, tok: Token, cue: str) -> Attribution | None:
        span = phrase(tok)
        mention = self.mention_at(tok)
        if tok.pos_ == "PRON" and mention is None:
            return None
        if is_media(span, mention):
            o = outlet_for_span(span)
            return Attribution(
                role="outlet", text=span.text, code=o.country if o else None, sector="MED",
                name=o.name if o else None, cue=cue, start=span.start_char, end=span.end_char,
            )
        if mention is not None:
            return Attribution(
                role="speaker", text=mention.text or span.text, code=mention.code, sector=mention.sector,
                name=mention.name, cue=cue, start=span.start_char, end=span.end_char,
            )
        return Attribution(role="speaker", text=span.text, cue=cue, start=span.start_char, end=span.end_char)

    def reporting_governor(self, clause: Token) -> Token | None:
        """The reporting verb whose complement holds ``clause`` ("X said that <clause>")."""
        cur = clause
        for _ in range(6):
            if cur.head.i == cur.i:
                break
            dep = cur.dep_
            head = cur.head
            # coordination is a parallel act, not reported speech ("blamed ... and demanded")
            if head.lemma_.lower() in self.reporting and dep in ("ccomp", "xcomp", "advcl", "pcomp", "pobj", "dobj", "parataxis"):
                return head
            if dep not in ("ccomp", "xcomp", "conj", "advcl", "pcomp", "pobj", "prep", "relcl", "acl"):
                break
            cur = head
        return None

    def parenthetical_reporters(self, clause: Token) -> list[Token]:
        """Reporting verbs hanging off the clause: "<clause>, NBC reported." (parse puts them as children)."""
        found = []
        root = clause
        while root.dep_ in ("conj",) and root.head.i != root.i:
            root = root.head
        for c in root.children:
            if c.dep_ in ("parataxis", "ccomp", "advcl", "conj") and c.lemma_.lower() in self.reporting and c.i > clause.i:
                found.append(c)
        return found

    def subject(self, verb: Token) -> Token | None:
        for c in verb.children:
            if c.dep_ in ("nsubj", "nsubjpass"):
                return c
        for lemma, o in _by_agent(verb):
            return o
        return None

    def chain(self, trigger: Token, clause: Token, source: ActorMention | None) -> tuple[list[Attribution], str | None]:
        """RETURNS (list[Attribution], str | None): the chain innermost first, and the cue kind of the
        reporting verb governing the event ("alleged", "denied") or None."""
        links: list[Attribution] = []
        kind: str | None = None
        seen_tokens: set[int] = set()

        def add(tok: Token | None, cue: str) -> None:
            if tok is None or tok.i in seen_tokens:
                return
            link = self.link(tok, cue)
            if link is None:
                return
            seen_tokens.add(tok.i)
            links.append(link)

        gov = self.reporting_governor(clause)
        inner_verbs: list[Token] = []
        if gov is not None:
            kind = self.reporting.get(gov.lemma_.lower())
            inner_verbs.append(gov)
            # "X was quoted as saying by the newspaper" / nested: walk further up for outer reporters
            outer = self.reporting_governor(gov)
            while outer is not None and len(inner_verbs) < 4:
                inner_verbs.append(outer)
                outer = self.reporting_governor(outer)
        inner_verbs.extend(self.parenthetical_reporters(clause if gov is None else inner_verbs[-1]))
        for v in inner_verbs:
            subj = self.subject(v)
            add(subj, v.lemma_.lower())
            # "told CNN", "said in an interview with Fox"
            for c in v.children:
                if c.dep_ in ("dobj", "dative") and v.lemma_.lower() in ("tell", "quote"):
                    sp = phrase(c)
                    if is_media(sp, self.mention_at(c)):
                        add(c, v.lemma_.lower())
            for lemma, o in _preps_deep(v):
                if lemma in ("by", "with", "to", "on", "in") and is_media(phrase(o), self.mention_at(o)):
                    add(o, f"{v.lemma_.lower()} {lemma}")
        # sentence-wide cues: according to X, as per X, citing X
        sent = trigger.sent
        for tok in sent:
            low = tok.lower_
            if low == "according" or (low == "per" and tok.i > sent.start and tok.doc[tok.i - 1].lower_ == "as"):
                for o in _objects_of_prep_word(tok):
                    add(_report_by(o), f"{low} to" if low == "according" else "as per")
            elif tok.lemma_.lower() == "cite" and tok.pos_ == "VERB":
                for c in tok.children:
                    if c.dep_ in ("dobj",):
                        add(_report_by(c), "citing")
        # a speaker identical to the act's source adds nothing when the saying is the act
        order = {"speaker": 0, "outlet": 1}
        links.sort(key=lambda a: (order.get(a.role, 2), a.start if a.role == "speaker" else -a.start))
        speakers = [a for a in links if a.role == "speaker"]
        if len(speakers) > 1:
            links = [speakers[0]] + [a for a in links if a.role != "speaker"]
        return links, kind


def _by_agent(verb: Token):
    for c in verb.children:
        if c.dep_ == "agent":
            for o in c.children:
                if o.dep_ == "pobj":
                    yield "by", o


def _preps_deep(verb: Token):
    for c in verb.children:
        if c.dep_ in ("prep", "agent"):
            for o in c.children:
                if o.dep_ == "pobj":
                    yield c.lemma_.lower(), o
                    # "in an interview with Fox", "in a report by Sputnik"
                    for lemma, oo in _preps_deep(o):
                        yield lemma, oo


def _objects_of_prep_word(tok: Token):
    """Objects of "according (to X)" and "(as) per X"."""
    for c in tok.children:
        if c.dep_ == "pobj":
            yield c
        if c.dep_ == "prep":
            for o in c.children:
                if o.dep_ == "pobj":
                    yield o


def _report_by(tok: Token) -> Token:
    """"a report by Sputnik" -> Sputnik; "reports from TASS" -> TASS."""
    if tok.lemma_.lower() in ("report", "statement", "interview", "article", "story", "source", "account"):
        for c in tok.children:
            if c.dep_ in ("prep", "agent") and c.lemma_.lower() in ("by", "from", "in", "of", "with"):
                for o in c.children:
                    if o.dep_ == "pobj":
                        return o
    return tok
