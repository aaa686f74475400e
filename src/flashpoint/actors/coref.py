"""Resolve pronouns and short references to earlier actor mentions of the same article.

    he / him / his / himself      -> the most recent compatible male (or unknown-gender) person
    she / her / hers / herself    -> ... female person
    it / its / itself             -> a state or organisation ("it" only as the subject or object of an
                                     actor's verb such as "said", "warned", "accused"; expletive "it" is left alone)
    they / them / their           -> a plural actor (compound, plural group), else a state or organisation
    I / me / my, we / us / our    -> inside quotation marks: the speaker of the quote, when the sentence (or
                                     the next/previous one) names who said it; otherwise an unresolved mention
    "the minister", "the president", "the mayor"   -> the most recent person holding a matching office
    "the alliance", "the bloc", "the council"      -> the most recent IGO whose nouns (igos.tsv) include it
    "the country", "the nation"                    -> the most recent state
    "the newspaper", "the broadcaster"             -> the most recent media actor (sector MED)
    "the government", "the authorities"            -> the most recent state
    "the two sides", "both countries", "the two men" -> a compound of the last two distinct actors
    "his forces", "its troops", "their diplomats"  -> the owner's code, with the noun's own sector

The nearest sentence wins; within it, grammatical subjects before other mentions, then the most recent.
A pronoun that has no compatible antecedent within three sentences is not returned (quotes excepted).
Every result is an ActorMention with kind "pronoun" or "reference" and a resolution such as
"antecedent 'Sergey Lavrov' (sentence 0)".
"""

from __future__ import annotations

import bisect
import re
import datetime as dt
from dataclasses import dataclass

from spacy.attrs import LOWER, ORTH
from spacy.tokens import Doc, Token

from ..models import ActorMention
from .dictionary import ActorDictionary, non_overlapping

WINDOW = 3  # sentences back
MALE = {"he", "him", "his", "himself"}
FEMALE = {"she", "her", "hers", "herself"}
NEUTER = {"it", "its", "itself"}
PLURAL = {"they", "them", "their", "theirs", "themselves"}
FIRST_SG = {"i", "me", "my", "mine", "myself"}
FIRST_PL = {"we", "us", "our", "ours", "ourselves"}
SECOND = {"you", "your", "yours", "yourself"}
PRONOUNS = MALE | FEMALE | NEUTER | PLURAL | FIRST_SG | FIRST_PL | SECOND
REF_DETS = {"the", "this", "that", "both", "these", "two"}
QUOTE_CHARS = {'"', "“", "”", "«", "»", "„"}
POSSESSIVE = {"his", "her", "hers", "its", "their", "theirs", "my", "mine", "our", "ours"}
ACTOR_VERBS = {"say", "tell", "warn", "claim", "accuse", "demand", "announce", "deny", "reject", "insist", "urge",
               "call", "threaten", "respond", "reply", "add", "state", "argue", "want", "plan", "decide", "agree",
               "refuse", "seek", "vow", "pledge", "promise", "launch", "attack", "send", "deploy", "impose",
               "sanction", "withdraw", "expel", "recognise", "recognize", "condemn", "criticise", "criticize",
               "sign", "ask", "blame", "invade", "order", "release", "report", "confirm", "propose", "offer",
               "support", "oppose", "meet", "host", "visit", "summon", "arrest", "detain", "fire", "shell",
               "strike", "bomb", "seize", "capture", "negotiate", "insist", "suspend", "halt", "block", "ban",
               "veto", "vote", "approve", "adopt", "pass", "join", "leave", "quit", "warn", "stress", "note"}
REPORTING = {"say", "tell", "add", "state", "warn", "write", "insist", "declare", "announce", "claim", "argue",
             "explain", "note", "stress", "tweet", "post", "continue", "conclude", "ask", "reply", "respond",
             "recall", "told", "said"}
# verbs whose "it" subject is a situation, not an actor ("said it seemed unlikely", "it takes time")
IMPERSONAL_VERBS = {"seem", "appear", "look", "remain", "happen", "matter", "mean", "take", "rain", "become", "make",
                    "depend", "sound", "feel", "turn", "emerge", "follow", "cost", "go", "come", "work", "help"}
# bodies that "it" may stand for ("the council said it would ...")
BODY_NOUNS = {"council", "committee", "group", "agency", "company", "firm", "body", "organisation", "organization",
              "court", "commission", "board", "union", "association", "institute", "foundation", "network", "bank",
              "fund", "movement", "coalition", "charity", "club", "team", "operator", "manufacturer", "maker",
              "producer", "airline", "corporation", "utility", "university", "school", "hospital", "church",
              "newspaper", "paper", "outlet", "broadcaster", "channel", "service", "campaign", "party"}
OPEN_QUOTES = {"“": "”", "«": "»", "„": "“"}
STATE_KINDS = {"country", "capital", "seat", "compound"}
ORG_KINDS = {"igo", "organisation", "party", "media", "company", "collective"}
COUNTRY_NOUNS = {"country", "nation", "state", "kingdom", "republic", "federation", "government",
                 "administration", "authorities", "regime", "leadership"}
MEDIA_NOUNS = {"newspaper", "paper", "broadcaster", "outlet", "channel", "tabloid", "daily", "agency", "network",
               "station", "publication", "magazine", "website"}
PAIR_NOUNS_STATE = {"sides", "countries", "nations", "governments", "states", "neighbours", "neighbors",
                    "capitals", "powers", "allies", "rivals", "parties"}
PAIR_NOUNS_PERSON = {"men", "leaders", "presidents", "ministers", "women", "heads", "counterparts",
                     "diplomats", "officials"}


@dataclass
class _Info:
    """Features of a candidate antecedent."""

    m: ActorMention
    sent: int
    person: bool
    plural: bool
    gender: str | None
    roles: str  # lower-case text to match titles against ("foreign minister secretary of state lavrov")
    subject: bool
    state: bool
    org: bool
    media: bool


def resolve_references(doc: Doc, mentions: list[ActorMention],
                       dictionary: ActorDictionary | None = None) -> list[ActorMention]:
    """``mentions`` plus pronouns and short references resolved to earlier mentions, sorted by start.

    doc (Doc): the parsed article.
    mentions (list[ActorMention]): from ``ActorResolver.find``.
    dictionary (ActorDictionary | None): for genders and offices of named people (default: bundled).
    RETURNS (list[ActorMention]): non-overlapping, sorted by start.
    """
    return _Coref(doc, mentions, dictionary or ActorDictionary.load()).run()


class _Coref:
    def __init__(self, doc: Doc, mentions: list[ActorMention], d: ActorDictionary) -> None:
        self.doc = doc
        self.d = d
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self.day = _date(doc)
        try:
            self.sents = list(doc.sents)
        except ValueError:  # no parser or sentencizer: one sentence
            self.sents = [doc[:]]
        self.sent_starts: list[int] = [s.start for s in self.sents]
        self._info: dict[int, _Info] = {}
        self.covered: dict[int, ActorMention] = {}
        for m in self.mentions:
            for i in range(m.token_start, m.token_end):
                self.covered[i] = m
        self.text_len = doc[-1].idx + len(doc[-1].text) if len(doc) else 0
        self.quotes = _quote_spans(doc)
        self.quote_starts = [q[0] for q in self.quotes]
        self.turns = _turns(doc.text)
        self.turn_starts = [t[0] for t in self.turns]
        outlet = doc._.outlet if Doc.has_extension("outlet") else None
        pub = d.publisher(outlet) if isinstance(outlet, str) else None
        self.publisher = _Pub(pub[0], pub[1], pub[2], outlet) if pub else None

    # .............................................................................. helpers
    def sent_of(self, i: int) -> int:
        return bisect.bisect_right(self.sent_starts, i) - 1

    def info(self, m: ActorMention) -> _Info:
        cached = self._info.get(id(m))
        if cached is not None and cached.m is m:
            return cached
        self._info[id(m)] = cached = self._compute_info(m)
        return cached

    def _compute_info(self, m: ActorMention) -> _Info:
        doc = self.doc
        head = doc[m.head] if 0 <= m.head < len(doc) else doc[m.token_start]
        text = m.text.lower() if m.text else ""
        gender = None
        roles = text
        person = m.kind in ("person", "title") or (m.kind == "entity" and head.ent_type_ == "PERSON")
        if m.kind in ("pronoun", "reference"):
            person = getattr(m, "_person", False)
            gender = getattr(m, "_gender", None)
            roles = getattr(m, "_roles", text)
        if m.name and m.kind in ("person", "title"):
            rows = self.d.offices(m.name)
            if rows:
                gender = rows[0].gender
                active = [r for r in rows if self.day is None or r.active_on(self.day)] or rows
                roles += " " + " ".join(f"{r.role or ''} {r.note}".lower() for r in active)
        if gender is None and person:
            first = text.split()[0] if text else ""
            if first in ("mr", "mr.", "sir", "lord", "king", "prince"):
                gender = "m"
            elif first in ("ms", "ms.", "mrs", "mrs.", "miss", "dame", "lady", "queen", "princess"):
                gender = "f"
            elif "spokeswoman" in text or "chairwoman" in text or "congresswoman" in text:
                gender = "f"
            elif "spokesman" in text or "chairman" in text or "congressman" in text:
                gender = "m"
        plural = m.kind == "compound" or (head.tag_ in ("NNS", "NNPS") and not person) or (
            m.kind == "demonym" and head.tag_ in ("NNS", "NNPS"))
        if m.kind in ("pronoun", "reference"):
            plural = getattr(m, "_plural", plural)
        state = bool(m.code) and not person and not plural and (
            m.kind in STATE_KINDS or (m.kind in ("group", "demonym", "title") and m.sector in ("GOV", "MIL"))
            or (m.kind == "reference" and getattr(m, "_state", False)))
        org = bool(m.code or m.name) and not person and not plural and m.kind in ORG_KINDS
        media = m.sector == "MED" or any(w in text.split() for w in MEDIA_NOUNS)
        subject = _is_subject(head)
        return _Info(m, self.sent_of(m.token_start), person, plural, gender, roles, subject, state, org, media)

    def candidates(self, before: int, sent: int) -> list[_Info]:
        """Mentions ending before token ``before``, within the window, most recent first."""
        out = []
        k = bisect.bisect_left(self.resolved_starts, before)
        for m in reversed(self.resolved[:k]):
            if m.token_end > before or m.kind == "modifier" or not (m.code or m.name or m.kind == "compound"):
                continue  # an unresolved compound ("Gabrielian and Henry") still stands between "they" and others
            s = self.sent_of(m.token_start)
            if sent - s > WINDOW:
                break
            out.append(self.info(m))
        return out

    def in_quote(self, char: int) -> bool:
        k = bisect.bisect_right(self.quote_starts, char) - 1
        return k >= 0 and self.quotes[k][0] <= char < self.quotes[k][1]

    # .............................................................................. main
    def run(self) -> list[ActorMention]:
        doc = self.doc
        self.resolved: list[ActorMention] = list(self.mentions)
        self.resolved_starts = [m.token_start for m in self.resolved]
        new: list[ActorMention] = []
        replaced: set[int] = set()
        events = []  # (token index, kind, payload)
        strings = doc.vocab.strings
        pron = {strings.add(w) for w in PRONOUNS}
        dets = {strings.add(w) for w in REF_DETS}
        seen_heads: set[int] = set()
        for i, h in enumerate(doc.to_array(LOWER).tolist()):
            if h in pron and i not in self.covered:
                events.append((i, "pron", doc[i]))
            elif h in dets:
                tok = doc[i]
                head = tok.head
                if (tok.dep_ in ("det", "predet", "nummod") and head.i > i and head.i not in seen_heads
                        and head.i not in self.covered and head.pos_ in ("NOUN", "PROPN")
                        and head.dep_ not in ("compound", "amod", "poss")):
                    seen_heads.add(head.i)
                    events.append((head.i, "ref", head))
        for m in self.mentions:
            if m.code is None and m.kind in ("title", "group") and m.head >= 0:
                events.append((m.token_start, "np", m))
        self.name_chains()
        # "you" last: the one addressed is often named after it ("thank you, Mr. President"), by a title that is
        # resolved in this loop
        events.sort(key=lambda e: (e[1] == "pron" and e[2].lower_ in SECOND, e[0]))
        for _, kind, obj in events:
            if kind == "pron":
                m = self.pronoun(obj)
            elif kind == "np":
                m = self.noun_phrase(obj)
                if m is not None:
                    replaced.add(id(obj))
            else:
                m = self.reference(obj)
            if m is not None:
                new.append(m)
                self._insert(m)
        out = [m for m in self.mentions if id(m) not in replaced] + new
        self.record_quote_speakers()
        return _non_overlapping(out)

    def record_quote_speakers(self) -> None:
        """``doc._.quote_speakers``: (start char, end char, speaker or None) of each quotation, for the stages that
        need who says a sentence with no reporting verb of its own (a quote continued from the sentence before)."""
        doc = self.doc
        out = []
        for qs, qe in self.quotes:
            span = doc.char_span(qs, min(qs + 1, self.text_len), alignment_mode="expand")
            tok = None
            if span is not None and len(span):
                tok = next((t for t in doc[span.start:] if t.idx >= qs), None)
            out.append((qs, qe, self.speaker(tok) if tok is not None and tok.idx < qe else None))
        doc._.quote_speakers = out

    def name_chains(self) -> None:
        """A person named again ("Griner" after "Brittney Griner, the American basketball star") gets the code
        found for the earlier, fuller mention."""
        doc = self.doc
        known: dict[str, ActorMention] = {}
        for m in self.mentions:
            head = doc[m.head] if m.head >= 0 else None
            if head is None or head.pos_ != "PROPN" or m.kind not in ("person", "entity", "organisation"):
                continue
            if m.code and m.kind != "person" and not m.resolution.startswith("spaCy"):
                continue
            surname = head.text.lower()
            if m.code:
                known.setdefault(surname, m)
                continue
            ante = known.get(surname)
            if ante is not None:
                m.code, m.codes, m.sector = ante.code, list(ante.codes), ante.sector
                m.name = m.name if m.name and len(m.name.split()) > 1 else (ante.name or ante.text)
                m.kind = "person"
                m.resolution += f"; same person as '{ante.text}' (sentence {self.sent_of(ante.token_start)})"

    def _insert(self, m: ActorMention) -> None:
        k = bisect.bisect_right(self.resolved_starts, m.token_start)
        self.resolved.insert(k, m)
        self.resolved_starts.insert(k, m.token_start)

    # .............................................................................. pronouns
    def pronoun(self, tok: Token) -> ActorMention | None:
        low = tok.lower_
        sent = self.sent_of(tok.i)
        if low in SECOND:
            return self.addressee(tok, sent)
        if low in FIRST_SG | FIRST_PL:
            if not self.in_quote(tok.idx):
                return self.first_person_voice(tok, plural=low in FIRST_PL)
            speaker = self.speaker(tok)
            plural = low in FIRST_PL
            if speaker is None:
                return self.make(tok.i, tok.i + 1, None, "pronoun", "inside a quote; speaker not identified",
                                 person=not plural, plural=plural)
            info = self.info(speaker)
            return self.make(tok.i, tok.i + 1, speaker, "pronoun",
                             f"quote speaker '{speaker.text}' (sentence {info.sent})" + ("; 'we' is the speaker's side" if plural else ""),
                             person=not plural and info.person, plural=plural, keep_name=not plural,
                             sector=speaker.sector)
        if low in NEUTER and low == "it" and not _actor_it(tok):
            return None
        want_person = low in MALE | FEMALE
        cands = self.candidates(tok.i, sent)
        best = None
        best_key = None
        gov = _governor(tok)
        # "'Putin is a dictator,' he said": who says a quotation is not someone named inside it
        speaker_of_quote = tok.dep_ == "nsubj" and tok.head.lemma_.lower() in REPORTING and not self.in_quote(tok.idx)
        for c in cands:
            if speaker_of_quote and self.in_quote(self.doc[c.m.token_start].idx):
                continue
            if want_person:
                if not c.person or c.plural:
                    continue
                g = "m" if low in MALE else "f"
                if c.gender and c.gender != g:
                    continue
                penalty = 0 if c.gender == g else 1
            elif low in NEUTER:
                if c.person or c.plural or not (c.state or c.org):
                    continue
                penalty = 0
            else:  # they / their
                if c.plural:
                    penalty = 0
                elif (c.state or c.org) and not c.person:
                    penalty = 1
                else:
                    continue
            if low not in POSSESSIVE and not low.endswith("self") and c.sent == sent and _governor(self.doc[c.m.head]).i == gov.i \
                    and tok.dep_ not in ("nsubj", "nsubjpass"):
                continue  # "Putin blamed him": not Putin
            key = (sent - c.sent, penalty, 0 if c.subject else 1, -c.m.token_start)
            if best_key is None or key < best_key:
                best, best_key = c, key
        if low in NEUTER:
            body = self.unlisted_body(tok, sent)
            if body is not None and (best is None or best.sent < sent or best.m.token_start < body.i):
                # "The council reiterated its assertion that it condemns ...": a body the dictionary does not
                # know is still the nearest antecedent; no one else's code is guessed
                return self.make(tok.i, tok.i + 1, None, "pronoun",
                                 f"antecedent '{_np_text(body)}' (sentence {sent}), which names no known actor", org=True)
        if best is None:
            return None
        gender = "m" if low in MALE else "f" if low in FEMALE else best.gender
        return self.make(tok.i, tok.i + 1, best.m, "pronoun", f"antecedent '{best.m.text}' (sentence {best.sent})",
                         person=best.person, plural=best.plural, gender=gender, roles=best.roles,
                         state=best.state)

    def unlisted_body(self, tok: Token, sent: int) -> Token | None:
        """The head of a body named before ``tok`` in its sentence as a subject ("the council", "the group") that no
        actor mention covers; None when there is none."""
        for t in self.sents[sent]:
            if t.i >= tok.i:
                break
            if t.dep_ in ("nsubj", "nsubjpass") and t.pos_ == "NOUN" and t.tag_ == "NN" \
                    and t.lemma_.lower() in BODY_NOUNS and t.i not in self.covered:
                return t
        return None

    def addressee(self, tok: Token, sent: int) -> ActorMention | None:
        """"You" is the one the sentence addresses by name, set off by commas ("President Biden, it is an honor
        to meet you", "thank you, Mr. President"); None when no one is addressed."""
        doc = self.doc
        span = self.sents[sent]
        best = None
        for m in self.resolved:
            if not m.code or m.kind == "modifier" or m.head < 0 or self.sent_of(m.token_start) != sent:
                continue
            if doc[m.head].dep_ not in ("npadvmod", "intj", "appos") or m.token_start <= tok.i < m.token_end:
                continue
            before = doc[m.token_start - 1] if m.token_start > span.start else None
            after = doc[m.token_end] if m.token_end < span.end else None
            # set off by commas, or opening a transcript turn ("PRESIDENT WIDODO: President Biden, ...")
            if (before is not None and before.text not in (",", ":")) or (doc[m.head].dep_ == "appos" and (before is None or before.text != ":")) or (after is not None and after.text not in (",", ".", "!", "?")):
                continue
            if best is None or abs(m.token_start - tok.i) < abs(best.token_start - tok.i):
                best = m
        if best is None:
            return None
        return self.make(tok.i, tok.i + 1, best, "pronoun", f"the one addressed: '{best.text}'", person=True, plural=False)

    def speaker(self, tok: Token) -> ActorMention | None:
        """The actor who says the quote that contains ``tok``."""
        doc = self.doc
        sent = self.sent_of(tok.i)
        sents = self.sents
        q = bisect.bisect_right(self.quote_starts, tok.idx) - 1
        qs, qe = self.quotes[q]
        order = [sent]
        for char in (min(qe, self.text_len - 1), qs):
            span = doc.char_span(char, char + 1, alignment_mode="expand")
            if span is not None and self.sent_of(span.start) not in order:
                order.append(self.sent_of(span.start))
        for k in order:
            m = self._attributed(k)
            if m is not None:
                return m
        # a quote that runs on in the next sentences without a new attribution ('"The fight is here," Zelenskyy
        # said. "I need ammunition."') is still the last named speaker's
        if doc[sents[sent].start].i <= tok.i and qs <= sents[sent].start_char + 2:
            for k in (sent - 1, sent - 2):
                if k < 0 or not any(self.in_quote(t.idx) for t in sents[k]):
                    break
                m = self._attributed(k)
                if m is not None:
                    return m
        return None

    def _attributed(self, k: int) -> ActorMention | None:
        """The actor a reporting verb of sentence ``k`` attributes its quote to, or None."""
        sents = self.sents
        if k < 0 or k >= len(sents):
            return None
        for t in sents[k]:
            if t.pos_ not in ("VERB", "AUX") or t.lemma_.lower() not in REPORTING or self.in_quote(t.idx):
                continue
            for c in t.children:
                if c.dep_ in ("nsubj", "nsubjpass") and not self.in_quote(c.idx):
                    m = self.at(c.i)
                    if m is None and c.lower_ in MALE | FEMALE | PLURAL:
                        m = self.pronoun(c)  # "... ," he said: not resolved yet when the quote comes first
                    if m is not None and (m.code or m.name):
                        return m
        return None

    def first_person_voice(self, tok: Token, plural: bool) -> ActorMention | None:
        """I/we outside quotation marks: the speaker of a transcript turn ("MS. PSAKI: We have ..."), else
        the publisher when it publishes in its own voice (a statement of the White House, a ministry, NATO)."""
        k = bisect.bisect_right(self.turn_starts, tok.idx) - 1
        if k >= 0:
            start, end, label = self.turns[k]
            if label.rstrip(".").upper() in ASKER_LABELS or any(w in label.upper() for w in ("REPORTER", "AUDIENCE", "PARTICIPANT", "QUESTION")):
                return None  # a journalist's question: not an actor of the story
            for m in self.mentions:
                if m.start >= start and m.end <= end and m.code:
                    return self.make(tok.i, tok.i + 1, m, "pronoun", f"speaker of the transcript turn '{label}'",
                                     person=not plural, plural=plural, keep_name=not plural)
            if self.publisher is None:
                return None
            return self.make(tok.i, tok.i + 1, self.publisher, "pronoun",
                             f"speaker of the transcript turn '{label}' in a text published by {self.publisher.outlet}",
                             person=not plural, plural=plural, keep_name=False)
        if self.publisher is None:
            return None
        return self.make(tok.i, tok.i + 1, self.publisher, "pronoun",
                         f"the publisher's own voice ({self.publisher.outlet})", plural=plural, keep_name=plural)

    def at(self, i: int) -> ActorMention | None:
        for m in self.resolved:
            if m.token_start <= i < m.token_end:
                return m
        return None

    # .............................................................................. noun phrases
    def noun_phrase(self, m: ActorMention) -> ActorMention | None:
        """A sector noun phrase with no state named: "the minister", "his forces"."""
        doc = self.doc
        head = doc[m.head]
        poss = [c for c in head.children if c.dep_ == "poss" and c.lower_ in POSSESSIVE]
        if poss:
            p = self.pronoun(poss[0])
            if p is None:
                return None
            ante = p.resolution
            return self.make(m.token_start, m.token_end, _Ref(p), "reference",
                             f"owner '{poss[0].text}' -> {ante}; sector from the noun", sector=m.sector,
                             keep_name=False, plural=head.tag_ in ("NNS", "NNPS"), person=False)
        dets = {c.lower_ for c in head.children if c.dep_ == "det"}
        if not dets & {"the", "this", "that"}:
            return None
        return self.title_reference(m, head)

    def title_reference(self, m: ActorMention, head: Token) -> ActorMention | None:
        own_word = head.lemma_.lower() == "administration"  # the publisher's own word for itself
        found = None if (own_word and self.publisher is not None) else self._title_reference(m, head)
        if found is not None or self.publisher is None or m.sector not in ("GOV", "MIL", "LEG", "JUD", None):
            return found
        # "the President", "the Administration" in a text the White House publishes: its own government
        return self.make(m.token_start, m.token_end, self.publisher, "reference",
                         f"no antecedent in the article; in a text published by {self.publisher.outlet}, its own "
                         f"{'government' if m.sector in (None, 'GOV') else 'state'}", sector=m.sector or self.publisher.sector,
                         keep_name=False, person=m.kind == "title" and head.tag_ not in ("NNS", "NNPS"))

    def _title_reference(self, m: ActorMention, head: Token) -> ActorMention | None:
        sent = self.sent_of(head.i)
        word = head.lemma_.lower()
        plural = head.tag_ in ("NNS", "NNPS")
        if m.kind == "title" and not plural:  # "the minister", "the president", "the mayor"
            words = [w for w in self.doc[m.token_start:m.token_end].text.lower().split() if w not in ("the", "this", "that")]
            found = [c for c in self.candidates(head.i, sent)
                     if c.person and not c.plural and all(_title_word_in(w, c.roles) for w in words)]
            if not found:
                return None
            c = min(found, key=lambda c: (sent - c.sent, 0 if c.subject else 1, -c.m.token_start))
            return self.make(m.token_start, m.token_end, c.m, "reference",
                             f"antecedent '{c.m.text}' (sentence {c.sent}) holds '{' '.join(words)}'",
                             person=True, gender=c.gender, roles=c.roles)
        if word in COUNTRY_NOUNS or head.lower_ in COUNTRY_NOUNS:  # "the government", "the authorities"
            return self.state_reference(m.token_start, m.token_end, head, sector=m.sector)
        if m.sector == "MED" and not plural:  # "the newspaper"
            for c in self.candidates(head.i, sent):
                if c.media and not c.plural and not c.person:
                    return self.make(m.token_start, m.token_end, c.m, "reference",
                                     f"antecedent '{c.m.text}' (sentence {c.sent}), a medium", sector="MED")
        return None

    def reference(self, head: Token) -> ActorMention | None:
        """A definite noun that is not a sector noun: "the alliance", "the country", "the two sides"."""
        doc = self.doc
        start = min([head.i] + [c.left_edge.i for c in head.lefts if c.dep_ in ("det", "amod", "nummod", "predet", "compound")])
        end = head.i + 1
        if any(i in self.covered for i in range(start, end)):
            return None
        lemma = head.lemma_.lower()
        low = head.lower_
        nums = {c.lower_ for c in head.children if c.dep_ in ("nummod", "det", "predet")}
        if nums & {"two", "both"} and (low in PAIR_NOUNS_STATE | PAIR_NOUNS_PERSON):
            return self.pair(start, end, head, person=low in PAIR_NOUNS_PERSON)
        if low == "sides" and "the" in nums:
            return self.pair(start, end, head, person=False)
        sent = self.sent_of(head.i)
        if head.tag_ in ("NNS", "NNPS"):
            return None
        if lemma == "administration" and self.publisher is not None:
            return self.make(start, end, self.publisher, "reference",
                             f"the publisher's own administration ({self.publisher.outlet})", keep_name=False)
        if lemma in COUNTRY_NOUNS:
            return self.state_reference(start, end, head, sector=None)
        if lemma in MEDIA_NOUNS:
            for c in self.candidates(head.i, sent):
                if c.media and not c.plural:
                    return self.make(start, end, c.m, "reference", f"antecedent '{c.m.text}' (sentence {c.sent}), a medium",
                                     sector="MED", person=False)
        nouns = {lemma, low, f"{head.head.lower_} {low}" if head.dep_ == "compound" else low}
        if head.i > 0:
            nouns.add(f"{doc[head.i - 1].lower_} {low}")
        for c in self.candidates(head.i, sent):
            igo = self.d.igo(c.m.code) if c.m.code and not c.person else None
            if igo is not None and nouns & set(igo.nouns):
                return self.make(start, end, c.m, "reference",
                                 f"antecedent '{c.m.text}' (sentence {c.sent}); '{low}' is one of its nouns (igos.tsv)",
                                 person=False, org=True)
        return None

    def state_reference(self, start: int, end: int, head: Token, sector: str | None) -> ActorMention | None:
        sent = self.sent_of(head.i)
        for c in self.candidates(head.i, sent):
            if c.person or c.plural or not c.m.code or c.m.code not in self.d.countries:
                continue
            if not (c.m.kind in ("country", "capital", "seat") or c.m.kind == "reference" and c.state):
                continue
            return self.make(start, end, c.m, "reference", f"antecedent '{c.m.text}' (sentence {c.sent}), a state",
                             sector=sector or c.m.sector, keep_name=False, state=True)
        return None

    def pair(self, start: int, end: int, head: Token, person: bool) -> ActorMention | None:
        """ "the two sides" -> the last two distinct actors (a compound between them if there is one)."""
        sent = self.sent_of(head.i)
        seen: list[_Info] = []
        for c in self.candidates(head.i, sent):
            if c.m.kind == "compound" and len(c.m.codes) >= 2 and not seen:
                return self.make(start, end, c.m, "reference", f"antecedent '{c.m.text}' (sentence {c.sent})",
                                 plural=True, keep_name=False)
            if c.person != person or c.plural or not c.m.code:
                continue
            if any(s.m.code == c.m.code for s in seen):
                continue
            seen.append(c)
            if len(seen) == 2:
                break
        if len(seen) < 2:
            return None
        first, second = seen[1], seen[0]  # in text order
        m = self.make(start, end, first.m, "reference",
                      f"the two actors last named: '{first.m.text}' (sentence {first.sent}) and '{second.m.text}' "
                      f"(sentence {second.sent})", plural=True, keep_name=False)
        m.codes = [first.m.code, second.m.code]
        m.sector = first.m.sector if first.m.sector == second.m.sector else first.m.sector
        return m

    # .............................................................................. output
    def make(self, start: int, end: int, ante, kind: str, resolution: str, *, person: bool = False,
             plural: bool = False, gender: str | None = None, roles: str = "", state: bool = False,
             org: bool = False, sector: str | None = "__ante__", keep_name: bool = True) -> ActorMention:
        doc = self.doc
        span = doc[start:end]
        m = ActorMention(text=span.text, start=span.start_char, end=span.end_char, token_start=start,
                         token_end=end, head=span.root.i, kind=kind, resolution=resolution)
        if ante is not None:
            m.code = ante.code
            m.codes = list(ante.codes) if ante.codes else ([ante.code] if ante.code else [])
            m.sector = ante.sector if sector == "__ante__" else sector
            m.name = ante.name if keep_name else None
        elif sector != "__ante__":
            m.sector = sector
        m._person = person  # type: ignore[attr-defined]  # features for later pronouns (not serialised)
        m._plural = plural  # type: ignore[attr-defined]
        m._gender = gender  # type: ignore[attr-defined]
        m._roles = roles  # type: ignore[attr-defined]
        m._state = state  # type: ignore[attr-defined]
        return m


class _Pub:
    """The publisher as an antecedent (an outlet that is itself an actor)."""

    def __init__(self, code: str, sector: str | None, name: str, outlet: str) -> None:
        self.code, self.codes, self.sector, self.name, self.outlet = code, [code], sector, name, outlet


ASKER_LABELS = {"Q", "MODERATOR", "OPERATOR", "INTERVIEWER", "HOST", "CROSSTALK"}
_TURN = re.compile(r"(?m)^[ \t]*(Q(?=[ \t])|[A-Z][A-Z.'’ -]{0,58}[A-Z.]:)(?=[ \t])")


def _turns(text: str) -> list[tuple[int, int, str]]:
    """Speaker turns of a transcript: (label start, label end, label) for each line that opens with an
    upper-case label ("MS. PSAKI:", "THE PRESIDENT:") or a journalist's "Q". Texts with fewer than two
    labelled lines are not transcripts."""
    out = [(m.start(1), m.end(1), m.group(1).rstrip(":").strip()) for m in _TURN.finditer(text)]
    return out if len(out) >= 2 else []


class _Ref:
    """An antecedent view of a resolved pronoun (for "his forces")."""

    def __init__(self, m: ActorMention) -> None:
        self.code, self.codes, self.sector, self.name = m.code, m.codes, m.sector, m.name


# ------------------------------------------------------------------------------------------ helpers
def _date(doc: Doc) -> dt.date | None:
    value = doc._.pub_date if Doc.has_extension("pub_date") else None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date) or value is None:
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _is_subject(tok: Token) -> bool:
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    return tok.dep_ in ("nsubj", "nsubjpass") or (tok.dep_ == "pobj" and tok.head.dep_ == "agent")


def _governor(tok: Token) -> Token:
    t = tok
    for _ in range(6):
        if t.pos_ in ("VERB", "AUX") or t.head.i == t.i:
            return t
        t = t.head
    return t


def _actor_it(tok: Token) -> bool:
    """ "it" as the subject or object of an actor's verb ("it warned", "accused it"), not expletive "it"."""
    head = tok.head
    if tok.dep_ in ("nsubj", "dobj") and head.pos_ == "VERB" and head.lemma_.lower() in ACTOR_VERBS:
        return True
    # "the agency said it had arrested two men", "the Kremlin said it would retaliate": what an actor says it
    # did or will do (not "said it was unclear", "said it seemed ...": no verb of action)
    if tok.dep_ == "nsubj" and head.pos_ == "VERB" and head.lemma_.lower() not in IMPERSONAL_VERBS:
        clause = head.head if head.dep_ == "conj" else head
        if clause.dep_ == "ccomp" and clause.head.lemma_.lower() in REPORTING and any(
                c.dep_ == "nsubj" and c.lower_ != "it" for c in clause.head.children):
            return True
    return False


def _title_word_in(word: str, roles: str) -> bool:
    word = word.strip(".,")
    if word in ("leader", "chief", "head"):
        return True
    stems = {word, word.rstrip("s"), word.replace("spokesman", "spokesperson").replace("spokeswoman", "spokesperson")}
    return any(s and s in roles for s in stems)


def _quote_spans(doc: Doc) -> list[tuple[int, int]]:
    """[start, end) character ranges inside quotation marks (curly or straight); an unclosed quote runs to the
    end of its paragraph."""
    if not len(doc):
        return []
    strings = doc.vocab.strings
    orth = doc.to_array(ORTH).tolist()
    texts = {h: strings[h] for h in set(orth)}
    marks = {h for h, t in texts.items() if "\n\n" in t or any(q in t for q in QUOTE_CHARS)}
    pieces: list[tuple[int, str]] = []  # (char offset, quote char or "\n\n")
    for i, h in enumerate(orth):
        if h in marks:
            tok = doc[i]
            for k, ch in enumerate(tok.text):
                if ch in QUOTE_CHARS:
                    pieces.append((tok.idx + k, ch))
            if "\n\n" in tok.text:
                pieces.append((tok.idx + tok.text.index("\n\n"), "\n\n"))
    end_all = doc[-1].idx + len(doc[-1].text)
    spans = []
    k = 0
    while k < len(pieces):
        char, ch = pieces[k]
        close = OPEN_QUOTES.get(ch) or ('"' if ch == '"' else None)
        if close is None:
            k += 1
            continue
        end, nxt = end_all, len(pieces)
        for j in range(k + 1, len(pieces)):
            c2, ch2 = pieces[j]
            if ch2 == close:
                end, nxt = c2, j + 1
                break
            if ch2 == "\n\n" and ch != '"':
                end, nxt = c2, j + 1
                break
        spans.append((char, end))
        k = nxt
    return spans


def _non_overlapping(mentions: list[ActorMention]) -> list[ActorMention]:
    return non_overlapping(mentions)


__all__ = ["resolve_references"]


def _np_text(head: Token) -> str:
    """The words of the noun phrase that ``head`` heads, up to the head ("The council" of "The council said")."""
    left = min((t.i for t in head.subtree if t.i <= head.i and t.dep_ in ("det", "amod", "compound", "poss", "nmod")),
               default=head.i)
    return head.doc[left:head.i + 1].text
