"""The event extractor: trigger words -> PLOVER events with source, target, modality, date, place, attribution.

For each sentence:
1. Triggers. Every verb and noun whose lemma is in the trigger lexicon (``ontology/data/triggers.tsv``) and
   whose constraints hold (particle, preposition, direct object) is a candidate. Reporting verbs ("said",
   "reported") are never events: they give the attribution. A verb whose object is a nominal trigger
   ("launched an attack", "imposed sanctions") yields to the noun; the verb's subject becomes the source.
2. Content clauses. What a request or threat asks for is not coded again ("called for sanctions" is one
   REQUEST); what an accusation alleges is coded with modality alleged ("accused Russia of massing troops").
   A possible conflict presented as a consequence ("it might lead to a new conflict") is a hypothetical THREATEN.
3. Arguments from the dependency parse: active subject/object, passive ("was attacked by"), control
   ("urged Ukraine to"), coordination ("blamed ... and demanded"), "accused X of Y-ing" (X does Y),
   "came under attack from X", nominal triggers ("Russia's invasion of Ukraine", "talks between A and B").
4. Modality (``modality.py``), attribution chain (``attribution.py``), date (``dates.py`` mentions attached to
   the trigger's clause, else the publication date), location (places attached to the trigger).
5. Confidence: a logistic model over a few features (trigger weight, verb/noun, resolved source/target ...),
   fitted on the dev gold by ``training/calibrate.py``; see ``confidence.py``.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from .. import ontology
from ..actors.resolve import RELATION_GROUPS
from ..models import ActorMention, Attribution, Event
from .attribution import AttributionFinder, phrase
from .confidence import confidence_for
from .modality import ALLEGE_VERBS, DENY_VERBS, WILLING_ADJ, modality_of
from .places import LOCATIVE_PREPOSITIONS

LIGHT_VERBS = {
    "launch", "carry", "conduct", "impose", "hold", "stage", "issue", "make", "provide", "send", "deliver",
    "announce", "begin", "start", "continue", "step", "intensify", "mount", "level", "lodge", "file", "express",
    "voice", "offer", "give", "extend", "approve", "resume", "reach", "take", "have", "order", "unleash",
    "escalate", "slap", "introduce", "adopt", "pass", "seal", "strike", "unveil", "host", "join", "lead",
    "perform", "commit", "plan", "prepare", "pledge", "promise", "authorize", "authorise", "do", "see", "face",
    "receive", "suffer", "come", "get", "endure", "witness", "report", "confirm", "record",
}
# verbs whose subject reacts to a nominal event rather than performing it ("Kyiv repelled the attack")
REACT_VERBS = {
    "repel", "repulse", "survive", "thwart", "foil", "prevent", "avert", "stop", "block", "deter", "fear",
    "investigate", "describe", "call", "blame", "deny", "condemn", "denounce", "criticize", "criticise",
    "document", "mourn", "recall", "remember", "discuss", "welcome", "follow", "expect", "predict",
}
# adverbs that put an event at an earlier, unnamed time
PAST_ADVERBS = {"previously", "formerly", "once", "historically"}  # not "earlier": often earlier the same day
# strongly negative political judgements: a named speaker saying them about another actor accuses it
EVALUATIVE = {
    "sham", "farce", "illegal", "illegitimate", "unacceptable", "irresponsible", "reckless", "barbaric", "criminal",
    "terrorist", "lie", "lies", "propaganda", "provocation", "provocative", "blackmail", "hypocrisy", "hypocritical",
    "weakness", "failure", "threat", "dangerous", "outrageous", "shameful", "disgraceful", "cynical", "absurd",
    "baseless", "groundless", "unfounded", "genocide", "atrocity", "destabilizing", "destabilising", "dirty",
    "corrupt", "puppet", "nazi", "fascist", "dictator", "thug", "murderer", "butcher", "untenable", "unjustified",
    "unprovoked", "brazen", "egregious", "deplorable", "despicable", "heinous", "war criminal", "doubt", "blatant",
    "flagrant", "lawless", "rogue", "aggressive", "hostile", "unfriendly", "russophobic", "russophobia",
    # more of the vocabulary of blame in political speech
    "weak", "fault", "dumb", "stupid", "foolish", "inflammatory", "suicidal", "holocaust", "incompetent",
    "disastrous", "disaster", "catastrophic", "shameless", "liar", "racist", "cowardly", "coward", "pathetic",
    "ridiculous", "insane", "madness", "lunatic", "extremist", "treason", "traitor", "betrayal", "disgrace",
    "scandalous", "unconscionable", "intolerable", "inhumane", "cruel", "brutal", "vicious", "savage", "evil",
    "monstrous", "terrorism", "aggressor", "occupier", "invader", "imperialist", "imperialism", "hysteria",
    "hysterical", "delusional", "disinformation", "misinformation", "slander", "smear", "meddling",
    "interference", "hypocrite", "bully", "tyrant", "tyranny", "unethical", "immoral", "unlawful", "violation",
    "dishonest", "deceitful", "arrogant", "arrogance", "nonsense", "hoax", "blunder", "undemocratic",
    "authoritarian", "oppressive", "repressive", "repression", "persecution", "aggression", "warmonger",
    "warmongering", "expansionist", "belligerent", "bellicose", "menace", "inexcusable", "indefensible",
    "unforgivable", "abhorrent", "repugnant", "vile", "horrific", "appalling", "atrocious", "inconsistent",
    # the milder words of diplomatic criticism: "a disappointing move by the Russian government"
    "disappointing", "regrettable", "unhelpful", "counterproductive", "misguided", "unjust", "unfair", "worrying",
    "alarming", "troubling", "unwarranted", "unjustifiable",
    # blame: "Moscow said Kyiv was responsible for the attack", "Russia bears full responsibility"
    "terror", "responsible", "responsibility", "culpable", "guilty", "complicit", "complicity",
    # crimes: "called the shelling a war crime", "described the killings as a massacre"
    "crime", "crimes", "massacre", "slaughter", "murder",
}
# feelings about another actor, said by who feels them: concern accuses (GUIDELINES: expressions of concern are
# ACCUSE), approval supports (PLOVER SUPPORT: praise, approval)
CONCERN_ADJ = {"concerned", "worried", "alarmed", "disappointed", "outraged", "appalled", "dismayed", "troubled",
               "disturbed", "angered", "furious", "indignant", "deplored", "horrified", "shocked", "critical"}
# what one is concerned for, not about whom: "very concerned about Armenia's security"
SYMPATHY_NOUNS = {"security", "safety", "wellbeing", "well-being", "welfare", "fate", "health", "life", "lives",
                  "plight", "future", "sovereignty", "survival", "independence", "stability"}
APPROVAL_ADJ = {"happy", "pleased", "glad", "delighted", "grateful", "thankful", "heartened", "encouraged", "proud"}
FEELING_ADJ = CONCERN_ADJ | APPROVAL_ADJ
# nominal events in these phrases are the setting of a sentence, not its news
BACKGROUND_PREPS = {"amid", "amidst", "since", "over", "following", "after", "during", "despite", "throughout", "before"}
BACKGROUND_HEADS = {
    "start", "outbreak", "beginning", "anniversary", "course", "wake", "height", "eve", "onset", "aftermath",
    "response", "retaliation", "because", "due", "result", "day", "days", "week", "weeks", "month", "months",
    "year", "years", "context", "backdrop", "shadow", "light", "cost", "costs", "impact", "effect", "effects",
    # a topic, not the news: "on the question of sanctions", "the issue of arms deliveries"
    "question", "issue", "topic", "subject", "matter",
}
TOPIC_NOUNS = {
    "war", "invasion", "conflict", "hostility", "hostilities", "crisis", "occupation", "aggression", "fighting",
    "operation", "offensive", "annexation", "warfare", "bombardment",
}
# verbs that answer a nominal request or offer: its target is their subject
RESPOND_VERBS = {
    "reject", "deny", "refuse", "decline", "accept", "receive", "welcome", "dismiss", "ignore", "grant", "approve",
    "turn", "rebuff", "spurn", "heed", "answer", "consider",
}
DEMAND_NOUNS = {"demand", "recommendation", "ultimatum", "request", "list", "proposal", "draft", "letter", "note"}
JOINT_TYPES = {"CONSULT", "AGREE", "COOPERATE"}
CIRCUMSTANCE_PREPS = {"during", "at", "in", "after", "before", "on", "following", "ahead"}
# verbs whose subject undergoes (rather than performs) the nominal event: "Kyiv came under attack from X"
UNDERGO_VERBS = {"face", "receive", "suffer", "come", "get", "endure", "witness",
                 # "the arrest drew condemnation from Washington": the subject is what is reacted to
                 "draw", "attract", "earn", "spark", "prompt", "trigger", "provoke"}
# nouns that count or gather events: "a chorus of calls", "a wave of strikes" stand where the event noun would
SERIES_NOUNS = ontology.QUANTITY_NOUNS | {"chorus", "barrage", "series", "string", "flurry", "raft", "slew", "spate",
                                         "round", "volley", "salvo", "torrent", "stream", "flood", "hail"}
BESIDE_MARKS = {"while", "whilst", "as", "although", "though", "whereas", "because", "since", "after", "before",
                "when", "once", "until"}
TOPIC_VERBS = {"discuss", "debate", "consider", "review"}  # what they take is a topic, not an event
BLAME_VERBS = {"blame", "pin"}  # "blamed the attack on Kyiv", "pinned the blast on Ukraine"
ORDER_VERBS = {"order", "command", "instruct"}
ORDERED_TYPES = {"ASSAULT", "MOBILIZE", "COERCE", "RETREAT"}
PRICE_NOUNS = {"consequence", "consequences", "price", "cost", "costs", "response", "retaliation", "repercussion",
               "repercussions"}
# verbs that voice a stance the subject holds: "reiterated its commitment to", "expressed his gratitude for"
EXPRESS_VERBS = {"express", "reiterate", "reaffirm", "voice", "restate", "underline", "underscore", "stress",
                 "emphasise", "emphasize", "convey", "renew", "affirm", "repeat", "extend"}
CONTENT_OF_TYPES = {"REQUEST", "THREATEN", "REJECT", "AGREE"}  # the content of these is not coded separately
CONSEQUENCE_VERBS = {"lead", "result", "trigger", "provoke", "spark", "cause", "mean", "bring", "risk", "face", "pay"}
CONFLICT_NOUNS = {
    "war", "conflict", "confrontation", "consequence", "retaliation", "escalation", "clash", "response",
    "price", "catastrophe", "bloodshed", "hostility", "countermeasure", "action", "measure",
}
TARGET_PREPS = {
    "against", "on", "at", "with", "to", "into", "toward", "towards", "from", "upon", "in", "over", "for", "of",
}
TYPE_PREPS = {
    "CONSULT": ("with", "to", "in"),
    "AGREE": ("with", "to"),
    "COOPERATE": ("with",),
    "AID": ("to", "for"),
    "SUPPORT": ("for", "to", "of", "with", "by", "behind"),  # "stand with/by/behind Ukraine"
    "ASSAULT": ("on", "against", "at", "in", "into", "upon"),
    "COERCE": ("on", "against", "in", "to"),  # "cut off the water supply to Mariupol"
    "SANCTION": ("on", "against", "from", "to"),
    "ACCUSE": ("of", "against", "for", "at", "as", "on"),  # "lashed out at X", "condemned as illegal the move by X"
    "REQUEST": ("from", "to", "of", "on"),
    "THREATEN": ("against", "to", "with", "at", "on"),
    "PROTEST": ("against", "outside", "at"),
    "REJECT": ("from", "of", "by"),
    "RETREAT": ("from", "with"),  # "swapped prisoners with Russia"
    "MOBILIZE": ("near", "at", "along", "to", "on", "in"),
    "CONCEDE": ("to",),
}
NOUN_TARGET_PREPS = {"of", "against", "on", "into", "with", "to", "in", "upon", "at", "toward", "towards", "from"}
# verbs that end or undo what their object names: "lifted sanctions" is not a SANCTION
UNDO_VERBS = {"lift", "halt", "suspend", "end", "cancel", "stop", "ease", "scrap", "drop", "abandon", "postpone"}
# nouns of a relation to another ("its allies", "Russia's neighbours", "her counterpart"): their owner is not who
# they are (the resolver's groups, and the single persons of a relation)
RELATION_NOUNS = RELATION_GROUPS | {"counterpart", "critic", "opponent", "creditor", "backer", "sponsor", "proxy"}
# taking or holding people in custody: done, unless the text names who, by the authorities of the place
CUSTODY_VERBS = frozenset({"arrest", "detain", "jail", "imprison", "convict", "sentence", "incarcerate", "hold",
                           "deport", "interrogate", "prosecute", "try", "charge", "indict"})
# pledges, and the verbs through which a pledge reaches the act it pledges ("vowed to keep fighting")
PLEDGE_VERBS = frozenset({"promise", "vow", "pledge", "swear"})
GO_ON_VERBS = frozenset({"keep", "continue", "go", "carry", "press", "be", "will"})
PERSONAL_PRONOUNS = frozenset({"he", "she", "him", "her", "they", "them", "i", "me", "we", "us", "you"})
# texts that act for whoever issued them ("a resolution that calls on ...") and the verbs that issue them
DOCUMENT_NOUNS = frozenset({"resolution", "statement", "declaration", "communique", "communiqué", "letter", "decree",
                            "bill", "law", "order", "motion", "report", "memo", "memorandum", "note", "document",
                            "proposal", "draft", "text", "petition", "ultimatum"})
ISSUE_VERBS = frozenset({"approve", "adopt", "pass", "issue", "release", "publish", "sign", "send", "table", "draft",
                         "write", "present", "submit", "introduce", "unveil", "deliver", "circulate", "put"})
# "criticism ..., including from Zelensky": who among others does it
INCLUDING_WORDS = frozenset({"including", "especially", "notably", "particularly", "mainly", "chiefly"})
# mentions that name a place, and prepositions that say where something is: a place in such a phrase says where
# the thing is, not whose it is ("struck by a missile in Kyiv")
PLACE_KINDS = frozenset({"city", "capital", "seat", "country", "region", "place"})
WHERE_PREPS = frozenset({"in", "at", "near", "outside", "inside", "around", "across", "over"})
# entity types that are never actors (dates, amounts, laws, works)
NON_ACTOR_ENTS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY", "LAW", "WORK_OF_ART", "LANGUAGE", "EVENT", "PRODUCT"}
# a business that withdraws, suspends or halts is pulling out of a market: SANCTION in PLOVER ("companies that
# pulled out of Russia or suspended their operations"), not a military retreat or a concession
BUSINESS_NOUNS = {
    "company", "firm", "business", "corporation", "brand", "retailer", "chain", "carmaker", "automaker", "bank",
    "lender", "insurer", "airline", "manufacturer", "producer", "supplier", "conglomerate", "multinational",
    "carrier", "investor", "franchise", "restaurant", "store", "brewer",
}
# nominalised acts whose possessor undergoes them: "Navalny's arrest", "Griner's release", "his detention by
# Russia" (the agent, when named, follows "by"). With an "of" object the possessor acts ("Russia's arrest of
# Griner"), as it does for other nouns ("Russia's invasion").
PATIENT_POSS_NOUNS = {
    "arrest", "detention", "release", "capture", "killing", "murder", "assassination", "execution", "expulsion",
    "deportation", "extradition", "conviction", "sentencing", "abduction", "kidnapping", "imprisonment", "jailing",
    "trial", "prosecution", "indictment", "rescue", "freeing", "pardon", "internment", "torture", "poisoning",
    "ouster", "removal", "dismissal", "exclusion", "suspension", "eviction", "liberation",
}
# role nouns whose "of" phrase names the body a person speaks for: "X, the head of Russia's space agency"
ROLE_NOUNS = {
    "head", "chief", "leader", "director", "president", "chairman", "chairwoman", "chair", "spokesman",
    "spokeswoman", "spokesperson", "commander", "minister", "secretary", "ambassador", "envoy", "official",
    "deputy", "adviser", "advisor", "aide", "governor", "mayor", "general", "officer", "representative",
    "negotiator", "diplomat", "prosecutor", "lawmaker", "senator", "premier", "chancellor", "founder",
}
# auxiliaries of obligation: "Russia should withdraw", reported by another actor, is that actor's demand
DEONTIC_AUX = {"should", "must", "ought"}
# prepositions by which one event answers another ("sanctions over the invasion", "fight against the war")
ANSWER_PREPS = {"against", "over", "for", "to", "about", "on"}
# deontic verbs of knowing: "Tehran should realise that the consequences will be grave" warns (THREATEN)
KNOW_VERBS = {"know", "realise", "realize", "understand", "remember", "recognise", "recognize", "bear"}
# passives whose subject is the one who will act: "are scheduled to meet", "is expected to sign"
RAISING_PASSIVES = {"schedule", "expect", "set", "slate", "due", "poise", "suppose", "plan",
                    # a state, not a passive: "U.N. officials were engaged with them" (they engage)
                    "engage"}
# acts of yielding or cooperating: announcing one will not do them refuses ("will not surrender", "won't
# recognise the annexation", "will not send troops"): PLOVER REJECT
YIELD_TYPES = {"RETREAT", "CONCEDE", "AGREE", "SUPPORT", "CONSULT", "COOPERATE", "AID"}
# concessions that are stances: not making them refuses ("did not regret the strikes", "has not apologised")
STANCE_CONCESSIONS = {"regret", "apologise", "apologize", "admit", "acknowledge", "repent"}
# warning that another's conduct is bad judges it (ACCUSE); warning of one's own action threatens
WARN_VERBS = {"warn", "caution"}
# forces of several states exercising together cooperate; forces sent where no one receives them are deployed
EXERCISE_NOUNS = {"exercise", "drill", "manoeuvre", "maneuver", "training", "sortie", "wargame", "patrol"}
SEND_VERBS = {"send", "dispatch", "deploy", "move", "rush"}
# how something should be seen is a judgement, not a demand ("ties with Moscow should be seen as a threat")
JUDGE_VERBS = {"see", "view", "regard", "consider", "treat", "take", "understand", "deem", "perceive", "describe",
               "call", "interpret", "read", "judge"}
# forces on the move or in place (``_presence``): verbs of motion, prepositions of place after "be", force nouns
MOTION_VERBS = {"move", "head", "arrive", "gather", "roll", "approach", "advance", "pour", "converge", "assemble",
                "remain", "stay", "sail", "fly", "cross", "enter", "return", "relocate", "line", "sit", "stand",
                "pile", "station", "position"}
TRAVEL_VERBS = {"travel", "fly", "arrive", "go", "come", "head", "journey"}
SEEN_VERBS = {"see", "spot", "observe", "photograph", "film", "detect", "record", "sight", "watch", "witness"}
PRESENCE_PREPS = {"near", "at", "along", "on", "in", "inside", "outside", "around", "toward", "towards", "into", "off"}
FORCE_NOUNS = {"troop", "troops", "force", "forces", "soldier", "soldiers", "tank", "tanks", "equipment", "vehicle",
               "vehicles", "warship", "warships", "unit", "units", "battalion", "battalions", "brigade", "brigades",
               "convoy", "column", "army", "armies", "military", "fleet", "submarine", "submarines", "personnel",
               "paratrooper", "paratroopers", "marines", "armour", "armor", "artillery", "jets", "bombers"}
#: how a side filled from the article, not named in its sentence, is marked at the start of its resolution (the
#: tension series weighs such events less: ``analytics.tension.IMPLIED_MARK``)
IMPLIED_RESOLUTION = "implied by the article"
# taking back one's own ground: the place is not the target
RECAPTURE_VERBS = {"retake", "recapture", "liberate", "liberation", "regain", "reclaim"}
# admitting a failing of one's own side concedes it (``_admissions``)
ADMIT_VERBS = {"admit", "acknowledge", "concede", "confess", "recognise", "recognize"}
FAULT_WORDS = {"slow", "late", "wrong", "mistake", "mistaken", "error", "fail", "failure", "inadequate",
               "insufficient", "blunder", "misjudge", "misjudged", "underestimate", "underestimated", "fault", "loss",
               "losses", "setback", "setbacks", "defeat", "miscalculate", "miscalculation", "naive", "complacent"}
# judgements that take the act judged as given: "condemned Russia's missile strikes" asserts the strikes
# ("accused Russia of striking" alleges them)
CONDEMN_VERBS = {"condemn", "denounce", "deplore", "decry", "criticize", "criticise", "slam", "censure", "lament",
                 "mourn", "regret", "protest"}
# verbs that name someone something ("called Putin a war criminal"), and names that praise
LABEL_VERBS = {"call", "dub", "term", "label", "brand", "declare", "deem", "consider"}
# verbs that describe something as something: a judgement only when the description judges ("as an act of terror")
DESCRIBE_VERBS = {"describe", "characterize", "characterise", "portray", "depict", "paint", "cast", "view", "regard",
                  "see"}
# judging an act by condemning it or by what one calls it takes it as given: the act stays asserted
PRESUPPOSING_JUDGEMENTS = CONDEMN_VERBS | LABEL_VERBS | DESCRIBE_VERBS
# verbs of a stance on an act (judging it, or not regretting it): the act is given and ranks below the stance
STANCE_VERBS = PRESUPPOSING_JUDGEMENTS | STANCE_CONCESSIONS
PRAISE_NOUNS = {"hero", "heroes", "friend", "ally", "partner", "brother", "champion", "leader", "model", "example",
                "inspiration", "patriot", "statesman", "success", "victory", "milestone", "breakthrough"}
# words whose presence makes a name or a description judge ("a war crime", "a hero"; ``_judging``)
JUDGING_WORDS = EVALUATIVE | PRAISE_NOUNS
# types whose target is often only given as the place where it happens ("strikes in Kharkiv")
PLACE_TARGET_TYPES = {"ASSAULT", "COERCE", "MOBILIZE"}
# types that act on places, people and things: what they act on is their target even when it is not an actor
# ("pounding residential neighbourhoods", "occupied these villages"), and its country may be implied by the
# article's setting (see ``_setting``)
PATIENT_TYPES = {"ASSAULT", "COERCE"}
# the article's setting: one country must hold at least this share of its place mentions, and this many
SETTING_SHARE = 0.6
SETTING_MIN = 2
# an implicit side is filled from the article's other events of the same quad class when seen this many times
IMPLIED_MIN = 1
PERSONAL_PRONOUNS = {"he", "she", "they", "it", "we", "i", "him", "her", "them", "us", "his", "its", "their", "our"}


@dataclass
class Candidate:
    token: Token
    trigger: ontology.Trigger
    clause: Token  # the verb that carries the event (token itself for verbal triggers)
    kind: str  # "verb" | "noun" | "consequence"
    source_tok: Token | None = None
    target_tok: Token | None = None
    source: ActorMention | None = None
    target: ActorMention | None = None
    reciprocal: bool = False
    content_of: Candidate | None = None
    alleged_by: Token | None = None
    notes: list[str] = field(default_factory=list)


# subordinators the parser sometimes reads as prepositions, hanging the clause's subject on them
STRAY_SUBORDINATORS = {"as", "while", "because", "since", "after", "before", "until", "when", "though", "although"}
_BETWEEN_DEPS = {"prep", "pobj", "det", "amod", "advmod", "aux", "neg", "compound", "nummod", "punct", "poss", "case"}


def _stray_subject(v: Token) -> Token | None:
    """The subject of a finite verb that the parser hung on a subordinator read as a preposition: in "strained as
    Russia in the past has accused the Chinese", "Russia" is the object of "as" and "accused" has no subject.
    Only when nothing but modifiers ("in the past", "also", "has") stands between the two."""
    finite = v.tag_ in ("VBD", "VBZ", "VBP") or any(c.dep_ == "aux" and c.tag_ in ("VBD", "VBZ", "VBP", "MD") for c in v.children)
    if not finite or v.pos_ != "VERB":
        return None
    for t in reversed(list(v.doc[v.sent.start : v.i])):
        if t.dep_ == "pobj" and t.head.lower_ in STRAY_SUBORDINATORS and t.head.i == t.left_edge.i - 1:
            between = v.doc[t.right_edge.i + 1 : v.i]
            if all(x.dep_ in _BETWEEN_DEPS and x.pos_ != "VERB" for x in between):
                return t
            return None
        if t.pos_ == "VERB" or t.dep_ in ("nsubj", "nsubjpass", "mark"):
            return None
    return None


class EventExtractor:
    """Finds events in a parsed Doc that already carries ``doc._.actors`` (and optionally dates, places)."""

    name = "flashpoint.events.v1"

    def __init__(self, min_confidence: float = 0.0, implied_sides: bool = True) -> None:
        self.triggers = ontology.triggers()
        self.reporting = ontology.reporting_verbs()
        self.min_confidence = min_confidence
        self.implied_sides = implied_sides  # fill a side the sentence leaves implicit from the article (_implied_sides)
        self._modifiers: dict[int, ActorMention] = {}

    # ------------------------------------------------------------------ actors
    def _index(self, doc: Doc) -> tuple[dict[int, ActorMention], Callable[[Token], ActorMention | None]]:
        by_token: dict[int, ActorMention] = {}
        self._modifiers: dict[int, ActorMention] = {}
        for m in doc._.actors or []:
            if m.token_start < 0:
                continue
            if m.kind == "modifier":  # "NATO assurance": an actor only where the syntax picks it as an argument
                for i in range(m.token_start, m.token_end):
                    self._modifiers[i] = m
                continue
            for i in range(m.token_start, m.token_end):
                prev = by_token.get(i)
                if prev is None or (prev.token_end - prev.token_start) < (m.token_end - m.token_start):
                    by_token[i] = m
        places = {}
        for p in getattr(doc._, "places", None) or []:
            for i in range(p.token_start, p.token_end):
                places[i] = p

        def mention_at(tok: Token) -> ActorMention | None:
            return by_token.get(tok.i)

        self._places = places
        self._setting = _setting(doc, by_token)
        self._date_tokens = {i for d in (getattr(doc._, "dates", None) or []) for i in range(d.token_start, d.token_end)}
        return by_token, mention_at

    def _actor_for(self, tok: Token | None, by_token: dict[int, ActorMention], allow_place: bool = True) -> ActorMention | None:
        """The actor a syntactic argument refers to; unresolved actors are kept with code None."""
        if tok is None:
            return None
        known = by_token.get(tok.i)
        if known is not None and known.kind == "person" and known.code:  # a listed person the NER took for a title
            return known
        if tok.ent_type_ in ("CARDINAL", "QUANTITY") and known is None:
            # "thousands of Russian soldiers", "dozens of protesters": the "of" phrase names who
            of = next((o for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for o in c.children
                       if o.dep_ == "pobj"), None)
            if of is not None:
                return self._actor_for(of, by_token, allow_place)
        if tok.ent_type_ in NON_ACTOR_ENTS or tok.i in self._date_tokens:
            return None
        m = known or self._modifiers.get(tok.i)
        if m is not None and m.code is None and allow_place and tok.i in self._places and self._places[tok.i].place is not None:
            m = None  # an unresolved name that the gazetteer knows as a place ("Kherson"): its country below
        if m is not None:
            return self._by_apposition(tok, m, by_token) if m.code is None else m
        # a relative pronoun refers to the noun it modifies ("troops that attacked")
        if (tok.tag_ in ("WDT", "WP") or tok.lower_ in ("that", "which", "who")) and tok.head.dep_ == "relcl":
            return self._actor_for(tok.head.head, by_token, allow_place)
        # look inside the phrase: "the leaders of G-7 nations", "officials in Moscow", "Ukraine and its partners";
        # not into clauses, and not into the object of "to" ("a response to Moscow's proposals")
        best = None
        for t in tok.subtree:
            if t.i in by_token and t.dep_ not in ("relcl", "acl", "advcl", "ccomp"):
                path = []
                a = t
                while a.i != tok.i and a.head.i != a.i:
                    path.append(a)
                    a = a.head
                if any(x.dep_ in ("relcl", "acl", "advcl", "ccomp") or (x.dep_ == "prep" and x.lower_ == "to") for x in path):
                    continue
                # the passive's agent somewhere is not that place's actor: "struck by a missile in Kyiv" says where
                # it struck ("opposition groups in Zimbabwe", "a bombing near Samarra" do name their actor's place)
                if by_token[t.i].kind in PLACE_KINDS and tok.dep_ == "pobj" and tok.head.dep_ == "agent" \
                        and any(x.dep_ == "prep" and x.lower_ in WHERE_PREPS for x in path):
                    continue
                # "its allies", "Russia's neighbours": the owner is the other side of the relation, not the one named
                if t.dep_ == "poss" and t.head.i == tok.i and tok.lemma_.lower() in RELATION_NOUNS:
                    continue
                # not through another event noun: "updates on the Russian invasion" does not name Russia
                if any(x.pos_ == "NOUN" and self._match(x) is not None for x in path[1:]):
                    continue
                if by_token[t.i].code is None and t.i in self._places and self._places[t.i].place is not None:
                    continue  # an unresolved name the gazetteer knows as a place: its country, below
                best = by_token[t.i]
                break
        if best is not None:
            return best
        # "the Ukrainian health system", "Russian-held territory": a nationality on the head names whose it is
        for c in tok.children:
            if c.dep_ in ("amod", "compound", "nmod") and c.i < tok.i and c.i in self._modifiers and self._modifiers[c.i].code:
                m, span = self._modifiers[c.i], phrase(tok)
                return ActorMention(
                    text=span.text, start=span.start_char, end=span.end_char, code=m.code, sector=None, name=m.name,
                    kind="modifier", resolution=f"'{m.text}' on '{tok.text}' names whose it is ({m.code})",
                    token_start=span.start, token_end=span.end, head=tok.i,
                )
        if allow_place and tok.i in self._places:
            p = self._places[tok.i]
            place = p.place
            return ActorMention(
                text=p.text, start=p.start, end=p.end, code=place.country if place else None, sector=None,
                name=place.name if place else None, kind="place", resolution=f"place '{p.text}' in {place.country if place else '?'}",
                token_start=p.token_start, token_end=p.token_end, head=tok.i,
            )
        if tok.text == "Q":  # a journalist's question in a transcript
            return None
        if tok.lemma_.lower() in DOCUMENT_NOUNS and tok.pos_ == "NOUN":
            # "a resolution that calls on all countries", "the statement demanded": a text acts for whoever
            # issued it ("the Security Council approved a resolution that ..."), named on it or by the verb
            for c in tok.children:
                if c.dep_ == "poss" or self._actor_modifier(c, tok):
                    return self._actor_for(c, by_token, allow_place=False)
            if tok.dep_ == "dobj" and tok.head.pos_ == "VERB" and tok.head.lemma_.lower() in ISSUE_VERBS:
                s_tok, passive = self._subject(tok.head)
                if s_tok is not None and s_tok.i != tok.i and not passive:
                    return self._actor_for(s_tok, by_token, allow_place=False)
            return None
        if tok.pos_ == "PROPN" or tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
            span = phrase(tok)
            if any(t.i in self._date_tokens or t.ent_type_ in NON_ACTOR_ENTS for t in span):
                return None
            return self._by_apposition(tok, ActorMention(
                text=span.text, start=span.start_char, end=span.end_char, kind="unresolved",
                resolution="not in the actor dictionary; kept with a null code", token_start=span.start,
                token_end=span.end, head=tok.i,
            ), by_token)
        return None

    def _target_of(self, t_cands: list[Token], source: ActorMention | None,
                   by_token: dict[int, ActorMention]) -> tuple[Token | None, ActorMention | None]:
        """(token, actor) of a verbal event's target among its candidates, best first: the first resolved actor
        that is not a pronoun of the source's own side ("withdrew from Kherson with their equipment"), else the
        first actor, else the first candidate. "swapped prisoners with Russia" passes over "prisoners" (a group
        with no country) to "Russia"; "Iran provided drones to Russia" passes over "drones"."""
        first_actor = None
        for t in t_cands:
            a = self._actor_for(t, by_token)
            if a is None:
                continue
            if a.code and not (source is not None and source.code == a.code and a.kind == "pronoun"):
                return t, a
            first_actor = first_actor or (t, a)
        if first_actor is not None:
            return first_actor
        return (t_cands[0], None) if t_cands else (None, None)

    def _by_apposition(self, tok: Token, m: ActorMention, by_token: dict[int, ActorMention]) -> ActorMention:
        """An unresolved name with a resolvable apposition takes its code: "Dmitry Rogozin, the head of Russia's
        space agency" -> RUS. Without one, the mention is returned as it is."""
        doc = tok.doc
        inside = range(m.token_start, m.token_end) if 0 <= m.token_start < m.token_end <= len(doc) else ()
        heads = {tok.i, *inside}
        for a in (c for i in sorted(heads) for c in doc[i].children):
            # a role ("the head of Russia's space agency", "a Ukrainian army commander"), not any noun that names
            # an actor ("a critic of the Kremlin")
            if a.dep_ != "appos" or a.i in heads or not (a.i in by_token or a.lemma_.lower() in ROLE_NOUNS):
                continue
            am = self._actor_for(a, by_token, allow_place=False)
            if am is None or not am.code:  # "the head" itself unresolved: the body its phrase names
                am = next((by_token[t.i] for t in a.subtree if t.i in by_token and by_token[t.i].code
                           and t.dep_ not in ("relcl", "acl", "advcl", "ccomp")), None)
            if am is not None and am.code:
                return ActorMention(
                    text=m.text, start=m.start, end=m.end, code=am.code, sector=am.sector, name=m.name or m.text,
                    codes=list(am.codes), kind="apposition", resolution=f"'{m.text}' is '{a.text}...': {am.resolution or am.code}",
                    token_start=m.token_start, token_end=m.token_end, head=m.head,
                )
        return m

    # ------------------------------------------------------------------ triggers
    def _match(self, tok: Token) -> ontology.Trigger | None:
        """The lexicon entry a token triggers (the ontology's reference selection rule)."""
        return ontology.match(tok, self.triggers)

    # ------------------------------------------------------------------ arguments
    def _subject(self, v: Token) -> tuple[Token | None, bool]:
        """(subject token, passive) of a verb, climbing control and coordination."""
        for c in v.children:
            if c.dep_ == "csubj" and c.tag_ == "VBG":
                # "The Russian court hearing her case sentenced ...", parsed as a clausal subject: the noun before
                # the participle is who acts
                inner = next((x for x in c.children if x.dep_ == "nsubj" and x.i < c.i), None)
                if inner is not None:
                    return inner, False
            if c.dep_ in ("nsubj", "csubj"):
                return c, False
        for c in v.children:
            if c.dep_ == "agent":
                for o in c.children:
                    if o.dep_ == "pobj":
                        return o, False
        if v.lemma_.lower() in RAISING_PASSIVES:
            # "Blinken and Lavrov are scheduled to meet": the passive's subject is who will act
            for c in v.children:
                if c.dep_ == "nsubjpass":
                    return c, False
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in v.children)
        if passive:
            return None, True
        stray = _stray_subject(v)
        if stray is not None:
            return stray, False
        if v.dep_ == "conj" and v.head.i != v.i:
            return self._subject(v.head)
        if v.dep_ == "acomp" and v.head.pos_ in ("VERB", "AUX") and v.head.i != v.i:
            return self._subject(v.head)  # "Russia is ready to hold talks": the subject of the copula
        if v.dep_ == "xcomp":
            head = v.head
            for c in head.children:  # object control: "urged Ukraine to withdraw"
                if c.dep_ in ("dobj",) and c.i < v.i:
                    return c, False
            for c in head.children:  # the same, passive: "Russia was forced to retreat", "Kyiv was urged to talk"
                if c.dep_ == "nsubjpass" and c.i < v.i:
                    return c, False
            return self._subject(head)
        if v.dep_ == "pcomp" and v.head.dep_ in ("prep",):
            gov = v.head.head
            # "accused Russia of massing", "blamed the US for escalating": the object does it
            for c in gov.children:
                if c.dep_ == "dobj":
                    return c, False
            if gov.pos_ in ("VERB", "AUX"):
                return self._subject(gov)
            if gov.pos_ == "ADJ" and gov.dep_ == "acomp" and gov.head.i != gov.i:
                return self._subject(gov.head)  # "he was open to meeting Xi"
            # "Japan has been a leader in condemning ...", "Britain is at the forefront of arming ...": the subject
            # of the copula the noun completes
            if gov.pos_ == "NOUN" and gov.dep_ in ("attr", "pobj") and gov.head.i != gov.i:
                cop = gov.head if gov.dep_ == "attr" else gov.head.head
                if cop.pos_ in ("VERB", "AUX") and cop.lemma_ == "be":
                    return self._subject(cop)
        if v.dep_ == "acl" and v.tag_ == "VBN" and v.head.i != v.i:
            return None, True  # "residential areas bombarded ...": the noun undergoes the event
        # "seized an opportunity to chastise Macron", "took the chance to thank Zelensky": an infinitive on the
        # object of a verb is done by that verb's subject (not when the noun has its own owner or "by" phrase)
        if v.dep_ in ("acl", "relcl") and any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children) \
                and v.head.dep_ == "dobj" and v.head.head.pos_ == "VERB" and v.head.head.i != v.head.i \
                and not any(c.dep_ in ("poss",) or (c.dep_ == "prep" and c.lower_ == "by") for c in v.head.children):
            return self._subject(v.head.head)
        if v.dep_ in ("acl", "relcl") and v.head.i != v.i:
            return v.head, False
        if v.dep_ == "advcl" and v.tag_ in ("VBG", "VBN") and v.head.i != v.i:
            return self._subject(v.head)
        # purpose: "France sent guns to bolster Ukrainian forces": the main clause's subject
        if v.dep_ == "advcl" and v.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children) and v.head.i != v.i:
            return self._subject(v.head)
        return None, False

    def _target_candidates(self, v: Token, event_type: str) -> list[Token]:
        """Tokens that may name the target of a verbal event, best first. The caller keeps the first that is
        an actor: "Iran provided drones to Russia" passes over "drones" to "Russia"."""
        out: list[Token] = []
        expressing = v.lemma_.lower() in EXPRESS_VERBS
        for c in v.children:
            # what is mobilised (troops, forces) is not the target of a MOBILIZE, nor the forces withdrawn that of
            # a RETREAT ("Ukraine was set to withdraw its troops from there")
            if c.dep_ == "dobj" and (event_type == "MOBILIZE" or (
                    event_type in ("RETREAT", "CONCEDE") and c.lemma_.lower() in FORCE_NOUNS and not any(
                        (m.dep_ in ("amod", "compound", "nmod") and (m.ent_type_ or m.pos_ == "PROPN"))
                        or (m.dep_ == "poss" and m.pos_ != "PRON") for m in c.children))):
                continue  # ("released Russian soldiers": someone else's, the target)
            if c.dep_ in ("dobj", "dative") and c.pos_ in ("PROPN", "NOUN", "PRON"):
                own = self._match(c)
                if expressing and c.dep_ == "dobj":
                    # "reiterated the United States' commitment to the Cambodian people", "expressed his
                    # appreciation for the Prime Minister's leadership": the stance is the speaker's own (its owner
                    # is no target); whom it concerns follows the noun
                    for cc in c.children:
                        if cc.dep_ == "prep" and cc.lower_ in ("to", "for", "with", "toward", "towards", "over", "about", "at"):
                            for o in cc.children:
                                if o.dep_ == "pobj":
                                    out.append(o)
                                    out.extend(m for m in o.children if m.dep_ == "poss" or self._actor_modifier(m, o))
                    if any(cc.dep_ == "poss" for cc in c.children):
                        continue  # "reaffirmed Germany's support": the owner is the speaker's side
                if own is None:
                    out.append(c)
                elif own.event_type != event_type:
                    # "rejected the U.S. request", "denied requests from Zelenskyy": whose request it was
                    for cc in c.children:
                        if cc.dep_ == "poss" or (cc.dep_ in ("compound", "amod", "nmod") and cc.i < c.i and (cc.pos_ == "PROPN" or cc.ent_type_)):
                            out.append(cc)
                        elif cc.dep_ == "prep" and cc.lower_ in ("from", "by"):
                            out.extend(o for o in cc.children if o.dep_ == "pobj")
        for c in v.children:
            if c.dep_ == "nsubjpass" and v.lemma_.lower() not in RAISING_PASSIVES:
                out.append(c)
            elif c.dep_ == "xcomp" and v.lemma_.lower() in RAISING_PASSIVES:
                out.extend(self._target_candidates(c, event_type))  # "scheduled to see Austin": whom he will see
        if v.dep_ == "acl" and v.tag_ == "VBN" and v.head.i != v.i and v.head.pos_ in ("NOUN", "PROPN"):
            out.append(v.head)  # "residential areas bombarded by Russian missiles"
        # "demanded Russia apologize", "urged Kyiv to negotiate", "helped Russia operate the drones": the subject of
        # the complement clause
        if event_type in ("REQUEST", "AID"):
            for c in v.children:
                if c.dep_ in ("ccomp", "xcomp"):
                    for cc in c.children:
                        if cc.dep_ in ("nsubj",) and cc.pos_ in ("PROPN", "NOUN"):
                            out.append(cc)
        preferred = TYPE_PREPS.get(event_type, ())
        if event_type in ("RETREAT", "SANCTION"):  # "pulled out of Russia" ("out" as particle or preposition)
            for c in v.children:
                if c.lower_ == "out" and c.dep_ in ("prt", "prep", "advmod"):
                    of = [cc for cc in (*c.children, *v.children) if cc.dep_ == "prep" and cc.lower_ == "of"]
                    out.extend(o for cc in of for o in cc.children if o.dep_ == "pobj")
        for prep in preferred:
            for c in v.children:
                if c.dep_ in ("prep", "dative") and c.lower_ == prep:
                    out.extend(o for o in c.children if o.dep_ == "pobj")
        # "lifted sanctions on the pipeline", "eased restrictions against Moscow": whom the undone measure hit
        if event_type in ("RETREAT", "CONCEDE"):
            for c in v.children:
                if c.dep_ == "dobj":
                    for cc in c.children:
                        if cc.dep_ == "prep" and cc.lower_ in ("on", "against"):
                            out.extend(o for o in cc.children if o.dep_ == "pobj")
        # "spoke by phone with Ushakov": the partner hangs on a phrase of the verb; "spoke today with Ushakov to
        # follow up": the parser makes "with" the marker of a clause whose subject is the partner
        if event_type in JOINT_TYPES:
            for c in v.children:
                phrases = [o for o in c.children if o.dep_ == "pobj"] if c.dep_ == "prep" else [c] if c.dep_ == "npadvmod" else []
                for o in phrases:
                    for w in o.children:
                        if w.dep_ == "prep" and w.lower_ == "with":
                            out.extend(x for x in w.children if x.dep_ == "pobj")
                if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "with" for m in c.children):
                    out.extend(x for x in c.children if x.dep_ == "nsubj")
        # the object phrase may carry it: "sent weapons to Kyiv", "imposed restrictions on Moscow"
        if event_type in ("AID", "SANCTION", "ASSAULT", "COERCE", "THREATEN", "SUPPORT", "REQUEST"):
            for c in v.children:
                # a demand is addressed "to" someone only when the object is the demand itself ("sent demands
                # to NATO"), not in "demanded a response to Moscow's proposals"
                if c.dep_ == "dobj" and (event_type != "REQUEST" or c.lemma_.lower() in DEMAND_NOUNS):
                    for cc in c.children:
                        if cc.dep_ == "prep" and cc.lower_ in preferred and cc.lower_ in ("on", "against", "to", "for", "at"):
                            out.extend(o for o in cc.children if o.dep_ == "pobj")
        if event_type in JOINT_TYPES:  # "create joint centres with Russia"
            for c in v.children:
                if c.dep_ == "dobj":
                    for cc in c.children:
                        if cc.dep_ == "prep" and cc.lower_ == "with":
                            out.extend(o for o in cc.children if o.dep_ == "pobj")
        # "blamed the explosion on Ukraine" (the parser hangs "on" on the object): who is blamed
        if event_type == "ACCUSE" and v.lemma_.lower() in BLAME_VERBS:
            for c in v.children:
                if c.dep_ == "dobj":
                    for o in (o for cc in c.children if cc.dep_ == "prep" and cc.lower_ == "on"
                              for o in cc.children if o.dep_ == "pobj"):
                        out.append(o)
                        out.extend(x for cc in o.children if cc.dep_ == "prep" and cc.lower_ == "by"
                                   for x in cc.children if x.dep_ == "pobj")  # "on incitement by the US"
        # "called for more U.S. weaponry", "asked for German tanks": whose the requested thing is, is asked
        if event_type == "REQUEST":
            for c in v.children:
                things = [o for o in c.children if o.dep_ == "pobj"] if c.dep_ == "prep" and c.lower_ == "for" else [c] if c.dep_ == "dobj" else []
                for o in things:
                    out.extend(m for m in o.children if m.dep_ == "poss" or self._actor_modifier(m, o))
        # "threatened to let the station crash into Europe", "threatened to cut gas to Europe": the first actor
        # named in the threatened act (the caller passes over things that are no actor)
        if event_type == "THREATEN":
            for c in v.children:
                if c.dep_ == "xcomp":  # not "warned that ...": what others may do is not the threat's target
                    out.extend(t for t in c.subtree if t.i != c.i and t.pos_ in ("PROPN", "NOUN") and t.dep_ not in ("nsubj", "compound", "amod"))
        # "Russians detained and tortured Ukrainians": a verb with no object of its own shares the object of the
        # verb coordinated with it
        if not any(c.dep_ in ("dobj", "dative", "nsubjpass") for c in v.children):
            for c in v.children:
                if c.dep_ == "conj" and c.pos_ == "VERB" and not any(x.dep_ == "nsubj" for x in c.children):
                    out.extend(o for o in c.children if o.dep_ == "dobj")
        # purpose: "sent guns to bolster Ukrainian forces": whom the purpose clause acts on
        if event_type in ("AID", "MOBILIZE", "SUPPORT", "COOPERATE"):
            for c in v.children:
                if c.dep_ == "advcl" and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children):
                    out.extend(o for o in c.children if o.dep_ == "dobj")
        return out

    def _actor_modifier(self, c: Token, head: Token) -> bool:
        """A modifier before ``head`` that may name an actor: "Russian", "Kremlin" (not "heavy")."""
        return c.dep_ in ("amod", "compound", "nmod") and c.i < head.i and c.ent_type_ not in NON_ACTOR_ENTS \
            and bool(c.pos_ == "PROPN" or c.ent_type_ or c.i in self._modifiers)  # not "the May 17th attack"

    def _noun_args(self, n: Token, by_token: dict[int, ActorMention]) -> tuple[Token | None, Token | None, Token, bool, bool]:
        """(source, target, clause verb, reciprocal, undergo) for a nominal trigger."""
        source = target = None
        reciprocal = False
        undergo = False
        clause = n
        patient_poss = (n.lemma_.lower() in PATIENT_POSS_NOUNS or n.lower_ in PATIENT_POSS_NOUNS) \
            and not any(c.dep_ == "prep" and c.lower_ == "of" for c in n.children)
        for c in n.children:
            if c.dep_ == "poss" and patient_poss and c.ent_type_ not in ("NORP",):
                target = c  # "Navalny's arrest": the one arrested
            elif c.dep_ == "poss":
                source = c
            elif self._actor_modifier(c, n):
                source = source or c
        if source is None:
            # "Russian rocket strikes", "Ukraine's drone attacks": the actor modifies a noun compounded with the trigger
            for c in n.children:
                if c.dep_ == "compound" and c.i < n.i and c.pos_ == "NOUN":
                    for cc in c.children:
                        if cc.i < c.i and (cc.dep_ == "poss" or self._actor_modifier(cc, c)):
                            source = source or cc
        under = None  # the "under" of "came under attack from X"
        if n.dep_ == "pobj" and n.head.lower_ == "under":
            under = n.head
        elif n.dep_ == "dobj" and n.head.dep_ == "pcomp" and n.head.tag_ == "VBG" and n.head.head.lower_ == "under":
            under = n.head.head  # "came under increasing criticism", parsed with "increasing" as a verb
        undergone = under is not None
        own = self._match(n)
        trig_type = own.event_type if own is not None else None
        noun_targets: list[tuple[str, Token]] = []
        blamed = n.dep_ == "dobj" and n.head.lemma_.lower() in BLAME_VERBS
        if blamed:
            # "blamed the explosion on Ukraine", "pinned the blast on Ukraine" (the "on" on the noun or the verb)
            source = next((o for c in (*n.children, *n.head.children) if c.dep_ == "prep" and c.lower_ == "on"
                           for o in c.children if o.dep_ == "pobj"), None)
        for c in n.children:
            if c.dep_ == "prep":
                lemma = c.lower_
                objs = [o for o in c.children if o.dep_ == "pobj"]
                if not objs:
                    continue
                o = objs[0]
                if lemma == "on" and blamed:
                    continue
                if lemma == "between":
                    conj = [x for x in o.children if x.dep_ == "conj"]
                    source = o
                    target = conj[0] if conj else None
                    reciprocal = True
                elif lemma == "by" or (lemma == "from" and source is None and (undergone or n.head.lemma_ in UNDERGO_VERBS)):
                    source = o
                elif lemma == "from" and source is None and trig_type not in ("RETREAT", "COERCE", "CONCEDE"):
                    source = o  # "requests from Zelenskyy", "aid from the US"
                elif lemma in NOUN_TARGET_PREPS or (lemma == "for" and trig_type in ("AID", "SUPPORT")):
                    noun_targets.append((lemma, o))  # "aid for Ukraine", "support for Kyiv": the beneficiary
        inf = ontology.noun_complement(n) if trig_type in CONTENT_OF_TYPES else None
        if inf is not None and target is None:
            # "calls for Johnson to resign", "Russia's demand that NATO withdraw": who is to act is asked. In "calls
            # to resign from opposition lawmakers" the "from" phrase, hung on the infinitive, says who calls
            target = next((c for c in inf.children if c.dep_ == "nsubj"), None)
            if source is None and inf.head.i != n.i:
                source = next((o for c in inf.children if c.dep_ == "prep" and c.lower_ == "from"
                               for o in c.children if o.dep_ == "pobj"
                               and self._actor_for(o, by_token, allow_place=False) is not None), None)
        if target is None and noun_targets:
            # "attacks by Ukrainians in occupied areas against Moscow-installed authorities": the type's own
            # prepositions first, and an actor before a place or a thing
            order = {p: k for k, p in enumerate(TYPE_PREPS.get(trig_type or "", ()))}
            ranked = sorted(noun_targets, key=lambda lo: (self._actor_for(lo[1], by_token, allow_place=False) is None,
                                                         order.get(lo[0], len(order))))
            target = ranked[0][1]
        head = n.head
        if source is None and n.dep_ == "dobj" and head.pos_ == "VERB" and not any(
                c.dep_ in ("nsubjpass", "auxpass") for c in head.children):
            # "condemned the invasion of Ukraine by Russian troops", the "by" hung on the active verb: an active
            # verb has no agent, so the "by" phrase is the noun's
            by = next((o for c in head.children if c.dep_ == "prep" and c.lower_ == "by" and c.i > n.i
                       for o in c.children if o.dep_ == "pobj"), None)
            if by is not None and self._actor_for(by, by_token, allow_place=False) is not None:
                source = by
        if under is not None and under.i != head.i and under.dep_ == "prep":
            n, head = head, under  # the verb-like "increasing" stands where the noun would
        elif n.dep_ == "pobj" and head.lower_ == "of" and head.head.pos_ == "NOUN" and (
                head.head.lower_ in SERIES_NOUNS or head.head.lemma_.lower() in SERIES_NOUNS):
            n, head = head.head, head.head.head  # "faced a chorus of calls", "launched a wave of strikes"
        if n.dep_ in ("dobj", "nsubjpass", "attr", "oprd") and head.pos_ in ("VERB", "AUX"):
            clause = head
            lemma = head.lemma_.lower()
            if lemma in UNDERGO_VERBS:
                undergo = True
            if source is None and not undergo and not (lemma in REACT_VERBS or (lemma not in LIGHT_VERBS and self._match(head) is not None)):
                # "Russia launched an attack": the subject of a light verb does it; not so the subject of a
                # verb that reacts to the event ("Britain condemned the attack", "Kyiv repelled an attack")
                s, _ = self._subject(head)
                source = s
            if target is None and lemma in RESPOND_VERBS:
                # "Biden denied requests from Zelenskyy": the one who answers was asked
                target, _ = self._subject(head)
            if target is None:
                # "held a meeting with Xi in Beijing": the event type's own prepositions first, then the rest
                order = {p: k for k, p in enumerate(TYPE_PREPS.get(trig_type or "", ()))}
                preps = sorted((c for c in head.children if (c.dep_ in ("prep", "dative") and c.lower_ in NOUN_TARGET_PREPS | {"for"}) or c.dep_ == "dative"),
                               key=lambda c: (order.get(c.lower_, len(order)), c.i))
                for c in preps:
                    if c.dep_ == "dative" and c.pos_ in ("NOUN", "PROPN", "PRON"):
                        target = c
                        break
                    objs = [o for o in c.children if o.dep_ == "pobj"]
                    if objs:
                        target = objs[0]
                        break
            if undergo:
                s, _ = self._subject(head)
                target = target or s
                if source is None:
                    for c in head.children:
                        if c.dep_ in ("prep", "agent") and c.lower_ in ("from", "by"):
                            for o in c.children:
                                if o.dep_ == "pobj":
                                    source = o
        elif (n.dep_ == "pobj" or under is not None) and head.dep_ == "prep":
            verb = head.head
            if head.lower_ == "under" and verb.pos_ in ("VERB", "AUX"):  # "came under attack from X"
                clause = verb
                s, _ = self._subject(verb)
                target = target or s
                for c in verb.children:
                    if c.dep_ in ("prep", "agent") and c.lower_ in ("from", "by"):
                        for o in c.children:
                            if o.dep_ == "pobj":
                                source = source or o
                if source is None:
                    # "came under criticism for its slow progress, including from Zelensky"
                    for t in verb.subtree:
                        if t.lower_ == "from" and t.dep_ == "prep" and t.head.lower_ in INCLUDING_WORDS:
                            source = next((o for o in t.children if o.dep_ == "pobj"), None)
                            if source is not None:
                                break
            elif verb.pos_ == "ADJ" and verb.lemma_.lower() in WILLING_ADJ and verb.head.pos_ in ("VERB", "AUX"):
                clause = verb.head  # "he was open to meeting Xi": who is open to it would do it
                s, _ = self._subject(verb.head)
                source = source or s
            elif verb.pos_ in ("VERB", "AUX"):
                clause = verb
                # "Zelensky presented ... during a meeting with Trudeau": the one who meets is the clause subject
                trig = self._match(n)
                if source is None and trig is not None and trig.event_type in JOINT_TYPES and head.lower_ in CIRCUMSTANCE_PREPS:
                    s, _ = self._subject(verb)
                    source = s
        elif n.dep_ in ("nsubj",) and head.pos_ in ("VERB", "AUX"):
            clause = head
        return source, target, clause, reciprocal, undergo

    # ------------------------------------------------------------------ main
    def __call__(self, doc: Doc) -> Doc:
        by_token, mention_at = self._index(doc)
        finder = AttributionFinder(self.reporting, mention_at)
        events: list[Event] = []
        judged: list[tuple[Event, Event]] = []  # (judgement, act judged), for _judgement_targets
        doc_id = doc._.doc_id or ""
        pub_date = doc._.pub_date
        dates = getattr(doc._, "dates", None) or []
        for s_idx, sent in enumerate(doc.sents):
            cands = self._candidates(sent, by_token)
            evaluation = self._evaluation(sent, by_token, finder, {c.trigger.event_type for c in cands},
                                          taken={c.token.i for c in cands})
            if evaluation is not None:
                # "warned that Russia's rhetoric was dangerous" judges another's conduct: an accusation, not a
                # threat of one's own action (that is "warned Russia it would face consequences")
                cands = [c for c in cands if not (c.kind == "verb" and c.trigger.event_type == "THREATEN"
                                                  and c.token.lemma_.lower() in WARN_VERBS
                                                  and c.token.is_ancestor(evaluation.clause))]
                cands.append(evaluation)
            # a meeting reading of a verb yields when the verb travels somewhere to do something ("personnel travelled
            # to Crimea to help Russia operate the systems" is aid, not a visit) or names someone something ("called
            # X a Y": no phone call)
            purposes = {c.token.head.i for c in cands if c.kind == "verb" and c.token.dep_ in ("xcomp", "advcl")
                        and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.token.children)}
            cands = [c for c in cands if not (c.kind == "verb" and c.trigger.event_type == "CONSULT" and (
                # also when the purpose hangs on the verb the travelling completes ("began travelling to Crimea
                # to help Russia")
                ((c.token.i in purposes or (c.token.dep_ == "xcomp" and c.token.head.i in purposes))
                 and c.token.lemma_.lower() in TRAVEL_VERBS)
                or any(ch.dep_ == "oprd" for ch in c.token.children)))]
            cands += self._labelling(sent, by_token)
            admissions = self._admissions(sent, by_token)
            if admissions:
                at = {c.token.i for c in admissions}
                cands = [c for c in cands if c.token.i not in at] + admissions
            # recognising that something is so ("recognized that the offensive had failed") is no recognition of a
            # state or a government
            cands = [c for c in cands if not (c.kind == "verb" and c.trigger.event_type == "SUPPORT"
                                              and c.token.lemma_.lower() in ("recognise", "recognize")
                                              and any(ch.dep_ == "ccomp" for ch in c.token.children)
                                              and not any(ch.dep_ == "dobj" for ch in c.token.children))]
            # forces arriving are deployed, not visiting: a presence replaces a meeting reading of the same verb
            # (and forces gathering are not a rally: "Russian troops gathered near the border")
            moving = self._presence(sent, by_token, {c.token.i for c in cands if c.trigger.event_type not in ("CONSULT", "PROTEST")})
            if moving:
                at = {c.token.i for c in moving}
                cands = [c for c in cands if c.token.i not in at] + moving
            for d in self._deontic(sent, by_token, finder):
                # what is demanded is the content of the demand, not coded again
                inside = {t.i for t in d.token.subtree} - {t.i for c in d.token.children if c.dep_ in ("advcl",) for t in c.subtree}
                cands = [c for c in cands if c.token.i not in inside] + [d]
            for d in [c for c in cands if c.kind == "noun" and c.trigger.event_type in CONTENT_OF_TYPES]:
                # "calls for Johnson to resign", "faced calls to resign": what is called for is the content
                inf = ontology.noun_complement(d.token)
                if inf is not None:
                    inside = {t.i for t in inf.subtree}
                    cands = [c for c in cands if c.token.i not in inside]
            cands = [self._warning_about(c, by_token) for c in cands]
            cands = self._orders(cands, by_token)
            trig_index = {c.token.i: c for c in cands}
            built = []
            for cand in cands:
                ev = self._build(doc, doc_id, s_idx, sent, cand, trig_index, by_token, finder, dates, pub_date)
                if ev is not None:
                    built.append((cand, ev))
            judged += _judged_below_judgement(built)
            events += [ev for _, ev in built if ev.confidence >= self.min_confidence]
        _judgement_targets(judged)
        if self.implied_sides:
            kept = {id(e) for e in events}
            _implied_sides(events, extra=[e for _, e in judged if id(e) not in kept])
            _judgement_targets(judged)  # acts whose source the article implied
        doc._.events = events
        return doc

    def _candidates(self, sent: Span, by_token: dict[int, ActorMention]) -> list[Candidate]:
        cands: list[Candidate] = []
        noun_objects: set[int] = set()
        for tok in sent:
            lemma = tok.lemma_.lower()
            if tok.pos_ in ("VERB", "AUX") and lemma in self.reporting and self.reporting[lemma] not in ("denied",):
                if self.triggers.get((lemma, "VERB")) is None:
                    continue
            trig = self._match(tok)
            if trig is None:
                continue
            if tok.pos_ == "PROPN" and tok.ent_type_ in ("DATE", "TIME"):
                continue  # a month or a day, not the act of its name ("in March", "on Strike Day")
            if tok.pos_ in ("NOUN", "PROPN"):
                # a noun that is itself an actor ("the Defence Ministry") is not an event
                m = by_token.get(tok.i)
                if m is not None and m.kind not in ("modifier",):
                    continue
                cands.append(Candidate(tok, trig, tok, "noun"))
                if tok.dep_ in ("dobj", "nsubjpass", "attr") and tok.head.lemma_.lower() in LIGHT_VERBS:
                    noun_objects.add(tok.head.i)
            else:
                cands.append(Candidate(tok, trig, tok, "verb"))
        # a light verb that governs a nominal trigger yields to it ("launched an attack"), unless the verb's own
        # lexicon row is specific to that object ("signed an agreement" is SUPPORT, "expressed concern" ACCUSE)
        by_i = {c.token.i: c for c in cands}
        specific = {i for i in noun_objects if i in by_i and any(k in ("dobj",) for k, _ in by_i[i].trigger.requires)}
        undo = {t.i for t in sent if t.lemma_.lower() in UNDO_VERBS and t.pos_ in ("VERB", "AUX")}
        cands = [
            c for c in cands
            if not (c.kind == "verb" and c.token.i in noun_objects and c.token.i not in specific)
            and not (c.kind == "noun" and c.token.dep_ in ("dobj", "nsubjpass") and (c.token.head.i in specific or c.token.head.i in undo))
        ]
        # conditional consequences: "it might lead to a new conflict" -> THREATEN hypothetical
        for tok in sent:
            if tok.lemma_.lower() in CONSEQUENCE_VERBS and tok.pos_ == "VERB":
                objs = [o for _, o in _prep_objs(tok)] + [c for c in tok.children if c.dep_ == "dobj"]
                conflict = [o for o in objs if o.lemma_.lower() in CONFLICT_NOUNS]
                modal = any(c.dep_ == "aux" and c.lower_ in ("could", "might", "may", "would", "will") for c in tok.children)
                if conflict and modal:
                    trig = ontology.Trigger(
                        lemma=tok.lemma_.lower(), pos="VERB", event_type="THREATEN", mode=None, requires=(),
                        weight=0.6, note="conditional consequence",
                    )
                    cands = [c for c in cands if c.token.i not in {o.i for o in conflict}]
                    cands.append(Candidate(tok, trig, tok, "consequence"))
        cands.sort(key=lambda c: c.token.i)
        return cands

    def _evaluation(self, sent: Span, by_token: dict[int, ActorMention], finder: AttributionFinder,
                    present: set[str] = frozenset(), taken: set[int] = frozenset()) -> Candidate | None:
        """A judgement or a feeling about another actor, said by a named speaker: strongly negative words ("a
        sham", "a profound threat", "signs of weakness") and concern ("deeply concerned about") accuse; approval
        ("very happy", "pleased", "grateful") supports. The speaker is the subject of the reporting verb, or, for
        a feeling ("Japan is concerned about ..."), the one who feels it. One per sentence, and none of a type
        the sentence already has from its trigger words."""
        for t in sent:
            if t.i in taken and any(c.dep_ == "poss" for c in t.children):
                continue  # someone's own act, not a judgement ("reiterated his threat to stop contact")
            word = t.lower_ if t.lower_ in FEELING_ADJ else t.lemma_.lower()
            feeling = word in FEELING_ADJ and t.pos_ == "ADJ"
            if not feeling and (word not in EVALUATIVE or t.pos_ not in ("ADJ", "NOUN")):
                continue
            etype = "SUPPORT" if word in APPROVAL_ADJ else "ACCUSE"
            if etype in present:
                continue
            if feeling and etype == "ACCUSE" and any(
                    c.dep_ == "prep" and c.lower_ in ("about", "over", "for") and o.dep_ == "pobj"
                    and o.lemma_.lower() in SYMPATHY_NOUNS for c in t.children for o in c.children):
                continue  # "concerned about Armenia's security": care for them, no accusation
            if any(c.dep_ == "neg" for c in t.head.children) or any(c.dep_ == "neg" for c in t.children):
                continue
            clause = t
            for _ in range(6):
                if clause.pos_ in ("VERB", "AUX") or clause.head.i == clause.i:
                    break
                clause = clause.head
            gov = clause if clause.lemma_.lower() in self.reporting else finder.reporting_governor(clause)
            if gov is None and clause.dep_ == "ccomp" and clause.head.lemma_.lower() in WARN_VERBS and not any(
                    c.dep_ == "aux" and c.tag_ == "MD" for c in clause.children):  # "would be a disaster" threatens
                gov = clause.head  # "warned that Russia's rhetoric was dangerous": who warns judges
            if gov is None and feeling and t.dep_ == "acomp" and clause.lemma_ in ("be", "feel", "remain", "seem"):
                gov = clause  # "Japan is deeply concerned about ...": who feels it says so
            quoted = None
            if gov is None and not feeling and not any(u.pos_ == "VERB" and u.lemma_.lower() in self.reporting for u in sent):
                # a quotation continued from the sentence before, with no reporting verb of its own: its speaker
                # judges ("Putin, the most vicious autocrat of this century, rules through tyranny and fear.")
                quoted = _quote_speaker(sent.doc, t.idx)
            if gov is None and quoted is None:
                continue
            s_tok = finder.subject(gov) if gov is not None else None
            speaker = quoted or (self._actor_for(s_tok, by_token, allow_place=False) if s_tok is not None else None)
            if speaker is None or not speaker.code:
                continue
            content = clause if gov is None or clause.i != gov.i else t
            # "said he was very happy Boris Johnson remained ...": the parser may hang what the feeling is about
            # on the reporting verb, right after the feeling's clause
            about = [u for c in ([gov] if feeling and gov is not None and gov.i != clause.i else []) for x in c.children
                     if x.dep_ == "ccomp" and x.i > clause.i for u in x.subtree]
            target_tok = self._judged([*content.subtree, *about], speaker, by_token,
                                      skip=range(s_tok.left_edge.i, s_tok.right_edge.i + 1) if s_tok is not None else ())
            if target_tok is None:
                continue
            trig = ontology.Trigger(lemma=word, pos="NOUN", event_type=etype, mode="disapprove" if feeling and etype == "ACCUSE" else None,
                                    requires=(), weight=0.55, note="evaluative statement")
            return Candidate(t, trig, clause, "evaluation", source_tok=s_tok, target_tok=target_tok, source=quoted)
        return None

    def _judged(self, tokens, speaker: ActorMention, by_token: dict[int, ActorMention], skip=()) -> Token | None:
        """The first token among ``tokens`` (outside ``skip``) that names a resolved actor of another side than the
        speaker's: whom a judgement or a name is about."""
        for u in tokens:
            m = by_token.get(u.i) or self._modifiers.get(u.i)
            if m is not None and m.code and _other_side(speaker, m) and u.i not in skip:
                return u
        return None

    def _presence(self, sent: Span, by_token: dict[int, ActorMention], taken: set[int]) -> list[Candidate]:
        """Forces moving or standing somewhere: "Russian troops were near the border", "a column of tanks headed
        for Kyiv", "warships arrived in the Black Sea" (PLOVER MOBILIZE: moving or positioning forces). The
        subject must be armed forces (a military actor or a force noun) and the verb a verb of motion, or "be"
        with a place."""
        out = []
        for v in sent:
            if v.pos_ not in ("VERB", "AUX") or v.i in taken:
                continue
            lemma = v.lemma_.lower()
            if lemma == "be":
                if not any(c.dep_ == "prep" and c.lower_ in PRESENCE_PREPS for c in v.children):
                    continue
            elif lemma not in MOTION_VERBS:
                continue
            subj = next((c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is None:
                continue
            head = subj
            if subj.lemma_.lower() in ("column", "convoy", "unit", "group") and any(c.dep_ == "prep" and c.lower_ == "of" for c in subj.children):
                head = next((o for c in subj.children if c.dep_ == "prep" and c.lower_ == "of" for o in c.children if o.dep_ == "pobj"), subj)
            m = by_token.get(subj.i) or by_token.get(head.i) or self._modifiers.get(head.i)
            if head.lemma_.lower() not in FORCE_NOUNS and not (m is not None and m.sector == "MIL"):
                continue
            trig = ontology.Trigger(lemma=lemma, pos="VERB", event_type="MOBILIZE", mode=None, requires=(), weight=0.5,
                                    note="forces moving or standing somewhere")
            out.append(Candidate(v, trig, v, "verb"))
        # forces seen somewhere: "the team saw Russian military personnel and vehicles at various locations"
        for v in sent:
            if v.pos_ != "VERB" or v.lemma_.lower() not in SEEN_VERBS or v.i in taken:
                continue
            objs = [c for c in v.children if c.dep_ in ("dobj", "nsubjpass")]
            objs += [cc for o in objs for cc in o.conjuncts]
            forces = [o for o in objs if o.lemma_.lower() in FORCE_NOUNS]
            if not forces:
                continue
            f = forces[0]
            trig = ontology.Trigger(lemma=f.lemma_.lower(), pos="NOUN", event_type="MOBILIZE", mode=None, requires=(),
                                    weight=0.5, note="forces seen somewhere")
            out.append(Candidate(f, trig, v, "presence", source_tok=f, target_tok=None))
        return out

    def _admissions(self, sent: Span, by_token: dict[int, ActorMention]) -> list[Candidate]:
        """Admitting a fault of one's own side: "Johnson admitted the West was too slow to act", "the Kremlin
        acknowledged that its forces had suffered heavy losses". A CONCEDE by who admits it, when what is admitted
        names a failing (``FAULT_WORDS``); "admitted that talks took place" only reports."""
        out = []
        for v in sent:
            if v.pos_ != "VERB" or v.lemma_.lower() not in ADMIT_VERBS:
                continue
            content = [c for c in v.children if c.dep_ == "ccomp"]
            if not content or not any(u.lemma_.lower() in FAULT_WORDS or u.lower_ in FAULT_WORDS
                                      for c in content for u in c.subtree):
                continue
            s_tok, _ = self._subject(v)
            speaker = self._actor_for(s_tok, by_token, allow_place=False) if s_tok is not None else None
            if speaker is None or not speaker.code:
                continue
            trig = ontology.Trigger(lemma=v.lemma_.lower(), pos="VERB", event_type="CONCEDE", mode=None, requires=(),
                                    weight=0.6, note="admitting a fault of one's own side")
            out.append(Candidate(v, trig, v, "verb", source_tok=s_tok, target_tok=None))
        return out

    def _labelling(self, sent: Span, by_token: dict[int, ActorMention]) -> list[Candidate]:
        """Naming another actor something: "Biden called Putin a war criminal", "Lavrov called the sanctions a
        declaration of war" (an object predicate, dependency oprd). A judgement of the one named (or of whose the
        thing named is), by the subject: ACCUSE, or SUPPORT when the name is praise ("called Zelensky a hero")."""
        out = []
        for v in sent:
            if v.pos_ != "VERB":
                continue
            lemma = v.lemma_.lower()
            preds = [c for c in v.children if c.dep_ == "oprd"] if lemma in LABEL_VERBS else []
            objects = [c for c in v.children if c.dep_ == "dobj"]
            if lemma in LABEL_VERBS and not preds and len(objects) == 2:
                preds = objects[1:]  # "calling the strike on a prison a war crime": the parser made both objects
            if not preds and lemma in LABEL_VERBS | DESCRIBE_VERBS and self._match(v) is None:
                # "described the strike as an act of terror", "branded the vote a sham": only a judging name counts
                # ("described the situation as stable" judges no one)
                preds = [o for c in v.children if c.dep_ == "prep" and c.lower_ == "as" for o in c.children if o.dep_ == "pobj"]
                preds += [c for c in v.children if c.dep_ == "oprd"]
                preds = [p for p in preds if _judging(p)]
            if not preds:
                continue
            s_tok, _ = self._subject(v)
            speaker = self._actor_for(s_tok, by_token, allow_place=False) if s_tok is not None else None
            if speaker is None or not speaker.code:
                continue
            named = [c for c in objects if c not in preds] + preds[:-1]
            target_tok = self._judged([u for n in named for u in n.subtree], speaker, by_token)
            # an act described or named as something ("the strike as an act of terror", "called the shelling a war
            # crime") is judged even when the sentence does not name whose act it is: the target may come from the
            # article (implied sides)
            if target_tok is None and not (_judging(preds[-1]) and any(self._match(n) is not None for n in named)):
                continue
            pred = preds[-1]
            etype = "SUPPORT" if pred.lemma_.lower() in PRAISE_NOUNS else "ACCUSE"
            trig = ontology.Trigger(lemma=v.lemma_.lower(), pos="VERB", event_type=etype, mode=None, requires=(),
                                    weight=0.6, note="naming another actor something")
            out.append(Candidate(v, trig, v, "evaluation", source_tok=s_tok, target_tok=target_tok))
        return out

    def _deontic(self, sent: Span, by_token: dict[int, ActorMention], finder: AttributionFinder) -> list[Candidate]:
        """Demands made by saying what another actor should do: "Jean-Pierre said Russia should agree to ...",
        "Russia must withdraw, Blinken said". A REQUEST from the speaker to the clause's subject; both must be
        resolved actors of different countries ("we must help" is a pledge, not a demand)."""
        out = []
        for v in sent:
            if v.pos_ not in ("VERB", "AUX") or not any(c.dep_ == "aux" and c.lower_ in DEONTIC_AUX for c in v.children):
                continue
            if any(c.dep_ == "neg" for c in v.children) or any(c.dep_ == "mark" and c.lower_ in ("if", "whether", "unless") for c in v.children):
                continue
            gov = finder.reporting_governor(v)
            if gov is None:
                continue
            s_tok = finder.subject(gov)
            # the one told what to do is the active subject, an actor itself (not one named inside the subject:
            # "the deepening of ties with Moscow should be seen as a threat" asks nothing of Moscow)
            t_tok = next((c for c in v.children if c.dep_ == "nsubj"), None)
            passive = next((c for c in v.children if c.dep_ == "nsubjpass"), None)
            if s_tok is None:
                continue
            if t_tok is None and passive is not None and not (
                    v.lemma_.lower() in JUDGE_VERBS or any(c.dep_ == "prep" and c.lower_ == "as" for c in v.children)):
                # "its disputes with Greece should be solved through talks", "sanctions on Russia must be
                # tightened": asked of whoever can do it; the other side named in what is to be done is the target
                speaker = self._actor_for(s_tok, by_token, allow_place=False)
                if speaker is None or not speaker.code:
                    continue
                t_tok = self._judged(passive.subtree, speaker, by_token)
                if t_tok is None:
                    continue
            elif t_tok is None or (t_tok.pos_ == "PRON" and t_tok.lower_ in PERSONAL_PRONOUNS - {"he", "she", "they", "it"}):
                continue
            else:
                addressee = by_token.get(t_tok.i) or (self._actor_for(t_tok, by_token, allow_place=False) if t_tok.pos_ == "PRON" else None)
                speaker = self._actor_for(s_tok, by_token, allow_place=False)
                if speaker is None or addressee is None or not addressee.code:
                    continue
                # a named person the dictionary does not know ("Chirac said Iraq must cooperate") still demands;
                # whose side they are on is unknown, so only a state or body named as the addressee counts
                unknown_person = not speaker.code and s_tok.ent_type_ == "PERSON" and addressee.kind not in ("pronoun", "reference")
                if not unknown_person and (not speaker.code or not _other_side(speaker, addressee)):
                    continue
            knowing = v.lemma_.lower() in KNOW_VERBS  # "those who threaten us should know that ...": a warning
            trig = ontology.Trigger(lemma=v.lemma_.lower(), pos="VERB", event_type="THREATEN" if knowing else "REQUEST",
                                    mode=None, requires=(), weight=0.6,
                                    note="warning: what another actor should know" if knowing else "demand: what another actor should do")
            out.append(Candidate(v, trig, v, "deontic", source_tok=s_tok, target_tok=t_tok))
        return out

    def _orders(self, cands: list[Candidate], by_token: dict[int, ActorMention]) -> list[Candidate]:
        """An order to one's own side is the act ordered, done by who orders it: "Putin ordered troops into the
        Donbas" is a MOBILIZE by Putin, "ordered the preparation of an attack" an ASSAULT. An order to another
        actor stays a REQUEST of it ("the court ordered Google to remove ...")."""
        out = list(cands)
        for o in cands:
            v = o.token
            if o.kind != "verb" or o.trigger.event_type != "REQUEST" or v.lemma_.lower() not in ORDER_VERBS:
                continue
            s_tok, _ = self._subject(v)
            source = self._actor_for(s_tok, by_token, allow_place=False) if s_tok is not None else None
            addressee = next((c for c in v.children if c.dep_ in ("dobj", "dative")), None)
            a = self._actor_for(addressee, by_token, allow_place=False) if addressee is not None else None
            if a is not None and a.code and (source is None or a.code != source.code):
                continue  # ordered someone else to act: a request of them
            inside = {t.i for t in v.subtree} - {v.i}
            acts = [c for c in out if c.token.i in inside and c.trigger.event_type in ORDERED_TYPES]
            if acts:
                act = min(acts, key=lambda c: abs(c.token.i - v.i))
                etype, mode = act.trigger.event_type, act.trigger.mode
                target_tok = None
                if act.kind == "verb":
                    t_tok, _ = self._target_of(self._target_candidates(act.token, etype), source, by_token)
                    target_tok = t_tok
                out = [c for c in out if c is not act]
            elif addressee is not None and addressee.lemma_.lower() in FORCE_NOUNS:
                etype, mode, target_tok = "MOBILIZE", None, None  # "ordered troops into the Donbas"
            else:
                continue
            trig = dataclasses.replace(o.trigger, event_type=etype, mode=mode)
            out = [dataclasses.replace(c, trigger=trig, target_tok=target_tok,
                                       notes=[*c.notes, f"an order to one's own side is the act ordered ({etype})"])
                   if c is o else c for c in out]
        return out

    def _warning_about(self, cand: Candidate, by_token: dict[int, ActorMention]) -> Candidate:
        """A warning of what another may do is an accusation (GUIDELINES: concern that names a culprit): "warned
        that Russia could cut off gas" accuses Russia, with nobody warned and no consequence for the one warned
        ("warned Putin that Russia would face consequences" and "warned that Russia would pay" stay threats)."""
        v = cand.token
        if cand.kind != "verb" or cand.trigger.event_type != "THREATEN" or v.lemma_.lower() not in WARN_VERBS:
            return cand
        if any(c.dep_ in ("dobj", "dative", "iobj") for c in v.children):
            return cand  # someone is warned: a threat to them
        s_tok, _ = self._subject(v)
        source = self._actor_for(s_tok, by_token, allow_place=False) if s_tok is not None else None
        for c in v.children:
            if c.dep_ != "ccomp":
                continue
            subj = next((x for x in c.children if x.dep_ in ("nsubj", "nsubjpass")), None)
            actor = self._actor_for(subj, by_token, allow_place=False) if subj is not None else None
            act = self._match(subj) if subj is not None and subj.pos_ in ("NOUN", "VERB") else None
            # ... unless it names the consequences the act will bring ("warned that any invasion would have severe
            # consequences" threatens the invader)
            priced = any(o.dep_ in ("dobj", "attr") and o.lemma_.lower() in PRICE_NOUNS for o in c.children)
            own_side = actor is not None and source is not None and source.code == actor.code
            if act is not None and act.event_type in ("ASSAULT", "COERCE", "SANCTION", "MOBILIZE") and not priced \
                    and not own_side:
                # "warned that the latest shelling risked a disaster": another's act is what is warned of
                return _accusing(cand, subj if actor is not None else None, "a warning of another's act accuses")
            if c.lemma_.lower() in CONSEQUENCE_VERBS or c.lemma_.lower() in ("be", "have"):
                continue  # "warned that Russia would pay a heavy price": a threat
            if actor is None or not actor.code or actor.kind == "pronoun" or own_side:
                continue
            return _accusing(cand, subj, "a warning of what another may do accuses them")
        return cand

    def _pledged_force(self, v: Token, trig_index: dict[int, Candidate]) -> Token | None:
        """The act of force a pledge promises ("vowed to fight on", "promised Ukraine will keep fighting", "vowed
        to continue the offensive"): a candidate of ASSAULT or COERCE in the pledge's complement, through verbs of
        going on ("keep", "continue"); None when the pledge promises anything else."""
        for c in v.children:
            if c.dep_ not in ("xcomp", "ccomp"):
                continue
            cur = c
            for _ in range(3):
                cand = trig_index.get(cur.i)
                if cand is not None:
                    return cur if cand.kind == "verb" and cand.trigger.event_type in ("ASSAULT", "COERCE") else None
                if cur.lemma_.lower() not in GO_ON_VERBS:
                    break
                # "continue the offensive": the act is the object of going on
                obj = next((x for x in cur.children if x.dep_ == "dobj" and x.i in trig_index), None)
                if obj is not None:
                    return obj if trig_index[obj.i].trigger.event_type in ("ASSAULT", "COERCE") else None
                cur = next((x for x in cur.children if x.dep_ == "xcomp"), None)
                if cur is None:
                    break
        return None

    def _governing_candidate(self, cand: Candidate, trig_index: dict[int, Candidate]) -> tuple[Candidate | None, str]:
        """The event whose content this one is ("accused X of <massing>", "called for <sanctions>")."""
        cur = cand.clause if cand.kind != "noun" else cand.token
        for _ in range(8):
            if cur.head.i == cur.i:
                return None, ""
            dep = cur.dep_
            head = cur.head
            # a clause with its own subordinator ("while", "as", "although") is beside the event, not its content
            # (a condition is part of a threat: "if they do not reply to Russia's demand, it might lead to ...")
            if dep == "advcl" and any(c.dep_ == "mark" and c.lower_ in BESIDE_MARKS for c in cur.children):
                return None, ""
            if head.i in trig_index and head.i != cand.token.i and dep not in ("conj", "appos", "nsubj", "nsubjpass", "agent"):
                return trig_index[head.i], dep
            # a conjunct shares what governs the first ("advised him to stop X and stop undermining <aid>")
            if dep not in ("xcomp", "ccomp", "pcomp", "pobj", "prep", "dobj", "advcl", "acl", "relcl", "compound", "amod", "conj"):
                return None, ""
            cur = head
        return None, ""

    def _build(self, doc, doc_id, s_idx, sent, cand, trig_index, by_token, finder, dates, pub_date) -> Event | None:
        tok = cand.token
        trig = cand.trigger
        etype = trig.event_type
        gov, gov_dep = self._governing_candidate(cand, trig_index)
        modality_override = None
        if gov is not None:
            gl = gov.token.lemma_.lower()
            if gl in ALLEGE_VERBS or (gov.trigger.event_type == "ACCUSE" and gl not in PRESUPPOSING_JUDGEMENTS):
                modality_override = "alleged"
            elif gl in DENY_VERBS:
                modality_override = "denied"
            elif gov.trigger.event_type in CONTENT_OF_TYPES:
                return None  # the content of a demand, threat or refusal is not coded separately
            elif gov.trigger.event_type == "CONSULT" and gl in TOPIC_VERBS and gov_dep == "dobj":
                return None  # what is discussed is a topic ("discussed the importance of unblocking ports")
        pledged = None
        if etype == "AGREE" and cand.kind == "verb" and trig.lemma in PLEDGE_VERBS:
            # "Ukraine will keep fighting until it regains Crimea, Zelensky has promised", "vowed to continue the
            # offensive": a pledge of force is a threat (PLOVER THREATEN), against whom the force is aimed
            pledged = self._pledged_force(tok, trig_index)
            if pledged is not None:
                etype = "THREATEN"
        # arguments
        reciprocal = False
        passive = False
        if cand.kind == "noun":
            s_tok, t_tok, clause, reciprocal, _ = self._noun_args(tok, by_token)
            cand.clause = clause
        elif cand.kind in ("evaluation", "deontic", "presence"):  # "X said the referenda were a sham": X accuses whom the words judge
            clause = cand.clause
            s_tok, t_tok = cand.source_tok, cand.target_tok
        elif cand.kind == "consequence":
            # the threatener is whoever says it; the threatened is the subject of the if-clause
            clause = tok
            s_tok = None
            t_tok = None
            gov_rep = finder.reporting_governor(tok)
            if gov_rep is not None:
                s_tok = finder.subject(gov_rep)
            for c in tok.children:
                if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children):
                    t_tok, _ = self._subject(c)
            if s_tok is None:
                s_tok, _ = self._subject(tok)
                if s_tok is not None and s_tok.lower_ in ("it", "this", "that"):
                    s_tok = None
        if cand.kind != "verb":
            source = self._actor_for(s_tok, by_token, allow_place=False) if s_tok is not None else cand.source
            target = self._actor_for(t_tok, by_token) if t_tok is not None else None
        else:
            clause = tok
            s_tok, passive = self._subject(tok)
            if etype in ("SUPPORT", "AID") and any(c.dep_ == "dobj" and c.lower_.endswith(("self", "selves"))
                                                   for c in tok.children):
                return None  # "the right to defend itself": backing oneself is no one's support
            # a reflexive object is the subject again ("helped themselves to"), never the target
            t_cands = [t for t in self._target_candidates(tok, etype) if not t.lower_.endswith(("self", "selves"))]
            if cand.target_tok is not None:  # set by the candidate's own rule ("warned that Russia could ...")
                t_cands.insert(0, cand.target_tok)
            source = self._actor_for(s_tok, by_token, allow_place=False) if s_tok is not None else None
            t_tok, target = self._target_of(t_cands, source, by_token)
            if pledged is not None and target is None:
                t_tok, target = self._target_of(self._target_candidates(pledged, "ASSAULT"), source, by_token)
            if trig.lemma in ("extradite", "hand over") and passive:
                # "Bout was extradited from Thailand to the U.S.": the state that hands over cooperates with the
                # state that receives (the person handed over is neither)
                ends = {c.lower_: o for c in tok.children if c.dep_ == "prep" and c.lower_ in ("from", "to")
                        for o in c.children if o.dep_ == "pobj"}
                giver = self._actor_for(ends["from"], by_token) if "from" in ends else None
                taker = self._actor_for(ends["to"], by_token) if "to" in ends else None
                if giver is not None and giver.code:
                    s_tok, source = ends["from"], giver
                if taker is not None and taker.code:
                    t_tok, target = ends["to"], taker
            if passive and s_tok is None and etype == "MOBILIZE":
                # "300 troops were stationed ...", "troops deployed near the border": whose forces they are
                for c in t_cands:
                    source = self._actor_for(c, by_token, allow_place=False)
                    if source is not None:
                        s_tok = c
                        break
                if s_tok is not None and t_tok is not None and s_tok.i == t_tok.i:
                    t_tok, target = None, None
            if passive and s_tok is None and etype in ("ASSAULT", "COERCE"):
                # "civilians are being killed in Putin's war", "died in Russian shelling": whose war or strike
                for c in tok.children:
                    if c.dep_ != "prep" or c.lower_ not in ("in", "during", "amid", "under"):
                        continue
                    for o in c.children:
                        own = self._match(o) if o.dep_ == "pobj" and o.pos_ == "NOUN" else None
                        if own is None or own.event_type != "ASSAULT":
                            continue
                        by = next((m for m in o.children if m.dep_ == "poss" or self._actor_modifier(m, o)), None)
                        actor = self._actor_for(by, by_token, allow_place=False) if by is not None else None
                        if actor is None or not actor.code:
                            continue
                        s_tok, source = by, actor
                        if t_tok is not None and o.left_edge.i <= t_tok.i <= o.right_edge.i:
                            # the war was taken for the target ("in" names a target of ASSAULT): the one it
                            # befell is the passive's subject
                            t_tok = next((x for x in tok.children if x.dep_ == "nsubjpass"), None)
                            target = self._actor_for(t_tok, by_token) if t_tok is not None else None
                        break
                    if s_tok is not None:
                        break
        if etype == "MOBILIZE" and tok.lemma_.lower() in EXERCISE_NOUNS and source is not None \
                and len(set(source.codes)) >= 2 and (target is None or target.code is None):
            etype = "COOPERATE"  # "Russia, China and Iran held drills": forces of several states together (PLOVER)
        if etype == "AID" and trig.lemma in SEND_VERBS and (target is None or target.code is None
                                                             or (source is not None and target.code == source.code)) \
                and any(c.dep_ == "dobj" and c.lemma_.lower() in FORCE_NOUNS | {"tank"} for c in tok.children):
            etype = "MOBILIZE"  # troops and tanks sent to a place, no one to receive them: a deployment
        if source is not None and source.kind == "compound" and target is not None and target.kind in PLACE_KINDS \
                and target.code in source.codes and etype in ("CONSULT", "AGREE", "COOPERATE"):
            target = None  # "Russia and Belarus held talks in Minsk": the town is where, the members meet each other
        if source is not None and source.kind == "compound" and target is None and etype in ("CONSULT", "AGREE", "COOPERATE", "SANCTION", "ASSAULT", "RETREAT") and len(source.codes) >= 2:
            reciprocal = etype in ("CONSULT", "AGREE", "COOPERATE")
            if reciprocal:
                source, target = _split_compound(source)  # "Russia and Belarus held talks": Russia with Belarus
        if source is not None and target is not None and source is target:
            # "talks between Russia and Ukraine": both sides are members of one compound actor
            source, target = _split_compound(source)
            reciprocal = reciprocal or target is not None
        if etype == "ASSAULT" and trig.lemma in RECAPTURE_VERBS and source is not None and target is not None \
                and target.kind in PLACE_KINDS and target.code == source.code:
            # "Ukraine retook Lyman": the town is where; the target is whom it was taken from ("liberated Izium
            # from Russian forces"), or the article's other side
            held_by = [self._actor_for(o, by_token, allow_place=False) for c in tok.children
                       if c.dep_ == "prep" and c.lower_ == "from" for o in c.children if o.dep_ == "pobj"]
            target = next((a for a in held_by if a is not None and a.code != source.code), None)
        if etype in ("RETREAT", "CONCEDE") and _business(s_tok, source):
            etype = "SANCTION"
        if target is None and etype in PATIENT_TYPES and cand.kind == "verb" and t_tok is not None \
                and t_tok.pos_ in ("NOUN", "PROPN") and t_tok.ent_type_ not in NON_ACTOR_ENTS:
            span = phrase(t_tok)  # what the event acts on, kept with its text even when no actor names it
            target = ActorMention(
                text=span.text, start=span.start_char, end=span.end_char, kind="patient",
                resolution="what the event acts on; no actor in it", token_start=span.start, token_end=span.end,
                head=t_tok.i,
            )
        location = self._location_for(tok, clause, sent)
        personal = (target is not None and ((target.text or "").lower() in PERSONAL_PRONOUNS or (
            0 <= target.head < len(doc) and doc[target.head].ent_type_ == "PERSON"))) or (
            target is None and t_tok is not None and (t_tok.lower_ in PERSONAL_PRONOUNS or t_tok.ent_type_ == "PERSON"))
        if (target is None or target.code is None) and etype in PLACE_TARGET_TYPES and cand.kind != "consequence" \
                and not personal:  # "she was arrested near Moscow": the place is not whose she is
            loc = location
            if loc and loc.get("country") and (source is None or loc["country"] != source.code):
                target = _recoded(target, loc["country"], "place",
                                  f"the place of the event, {loc['text']} ({loc['country']}), stands for the target")
        if source is None and passive and cand.kind == "verb" and trig.lemma in CUSTODY_VERBS and location \
                and location.get("country") and (target is None or location["country"] != target.code or personal):
            # "Whelan was arrested at a Moscow hotel": no one named, the authorities of the place hold him
            source = _recoded(None, location["country"], "place",
                              f"the authorities of the place, {location['text']} ({location['country']}), hold people there")
        elif source is not None and source.code is None and source.kind in ("group", "title") \
                and source.sector in ("GOV", "JUD", "MIL") and cand.kind == "verb" and trig.lemma in CUSTODY_VERBS \
                and location and location.get("country"):
            # "detained by police in the eastern city of Hangzhou": police, courts and authorities of no named
            # state are those of the place where they hold people
            source = dataclasses.replace(source, code=location["country"], codes=[location["country"]],
                                         resolution=f"{source.resolution}; the authorities of the place, "
                                                    f"{location['text']} ({location['country']}), hold people there")
        if etype == "PROTEST" and location and location.get("country") and cand.kind != "consequence" \
                and (source is None or (source.code is None and source.sector in (None, "CVL", "POL"))):
            # people protesting somewhere are, unless named otherwise, that country's people protesting to its
            # authorities ("thousands of protesters gathered in central Tbilisi": GEO -> GEO)
            country = location["country"]
            source = _recoded(source, country, "place", f"protesters at {location['text']} ({country}): its people")
            if target is None:
                target = _recoded(None, country, "place", f"a protest at {location['text']} addresses the "
                                                          f"authorities of {country} unless it names another")
        # a noun event with no actor is kept (the article may make clear who acted: GUIDELINES), but not a topic
        # label ("the war"), a background phrase, or a noun that only classifies another ("assault rifles",
        # "attack helicopters", "protest songs")
        # an actor that is only a place: the event's location, or the place a topic noun names ("a veteran of
        # the war in Afghanistan")
        placed_only = target is not None and ((target.kind == "place" and target.text is None) or (
            source is None and tok.lemma_.lower() in TOPIC_NOUNS and target.kind in PLACE_KINDS))
        if cand.kind == "noun" and source is None and (target is None or placed_only) and (
                tok.lemma_.lower() in TOPIC_NOUNS or _background(tok) or (tok.dep_ in ("compound", "amod") and tok.head.i not in trig_index)):
            return None
        # a topic label in a background phrase ("amid Russia's invasion", "since the start of the war") names the
        # setting of the sentence, not a new event
        background = cand.kind == "noun" and (_background(tok) or (
            # "fight back against Putin's invasion", "sanctions over the war": a topic noun that is what another
            # event answers is its setting
            tok.lemma_.lower() in TOPIC_NOUNS and tok.dep_ == "pobj" and tok.head.dep_ == "prep"
            and tok.head.lower_ in ANSWER_PREPS and tok.head.head.i in trig_index and tok.head.head.i != tok.i))
        if background and tok.lemma_.lower() in TOPIC_NOUNS:
            return None
        if (target is None or target.code is None) and etype in PATIENT_TYPES and cand.kind in ("verb", "noun") \
                and self._setting is not None and (source is None or self._setting[0] not in (source.code, *source.codes)):
            country, n, total = self._setting
            target = _recoded(target, country, "implied",
                              f"{IMPLIED_RESOLUTION}'s setting: {n} of its {total} place mentions are in {country}")
        attribution, cue_kind = finder.chain(tok, clause, source)
        # an act that is condemned, regretted or apologised for is given: "did not regret the strikes" leaves
        # the strikes asserted (the verb's own negation is its speaker's stance)
        given = cand.kind == "noun" and clause is not None and clause.i != tok.i and \
            clause.lemma_.lower() in STANCE_VERBS and tok.dep_ in ("dobj", "pobj")
        modality, modality_cue = modality_of(tok, tok if given else clause, stop_at=set(trig_index) - {tok.i})
        if cand.kind == "consequence":
            modality = "hypothetical" if modality in ("asserted", "future", "hypothetical") else modality
        elif cand.kind in ("deontic", "evaluation") and modality in ("hypothetical", "future"):
            # the "should" is the demand, made as it is said; "should be seen as a threat" is said now
            modality, modality_cue = "asserted", ""
        if modality_override and modality in ("asserted",):
            modality = modality_override
        if cue_kind in ("alleged", "denied") and modality == "asserted":
            modality = cue_kind
        if gov is not None and modality_override == "alleged":
            speaker = gov.source or self._actor_for(self._subject(gov.clause)[0], by_token, allow_place=False)
            if speaker is not None and not any(a.role == "speaker" for a in attribution):
                attribution.insert(0, Attribution(role="speaker", text=speaker.text or "", code=speaker.code, sector=speaker.sector, name=speaker.name, cue=gov.token.lemma_.lower(), start=speaker.start, end=speaker.end))
        # the speaker equal to the source: the saying is the act
        if source is not None and attribution and attribution[0].role == "speaker" and attribution[0].start == source.start and cand.kind != "consequence":
            attribution = attribution[1:]
        cand.source, cand.target = source, target
        date, date_text, date_resolution = self._date_for(tok, clause, sent, dates, pub_date, finder)
        if modality == "future":
            etype = ontology.future_type(etype)
        elif modality == "negated" and etype in YIELD_TYPES and cand.kind == "verb" and (any(
                c.dep_ == "aux" and c.lower_ in ("will", "wo", "would", "shall", "'ll") for c in tok.children)
                or (etype == "CONCEDE" and tok.lemma_.lower() in STANCE_CONCESSIONS)):
            # "our people will not surrender", "Moscow won't withdraw": refusing to yield is a REJECT (PLOVER; CAMEO 12);
            # so is not regretting or not apologising, whenever said ("Putin said he did not regret the strikes")
            etype, modality, modality_cue = "REJECT", "asserted", ""
        category = ontology.category(etype)
        mode = trig.mode if etype == trig.event_type else None
        cameo = ontology.cameo_for(etype, mode)
        features = {
            "weight": trig.weight,
            "noun": cand.kind == "noun",
            "consequence": cand.kind == "consequence",
            "has_source": source is not None,
            "source_resolved": source is not None and source.code is not None,
            "has_target": target is not None,
            "target_resolved": target is not None and target.code is not None,
            "modality_asserted": modality == "asserted",
            "governed": gov is not None,
            "n_candidates": len(trig_index),
            "source_pronoun": source is not None and source.kind in ("pronoun", "reference"),
            "background": background,
            "evaluation": cand.kind == "evaluation",
            "trigger_key": f"{trig.lemma}/{trig.pos}>{trig.event_type}",  # the lexicon row (its reliability)
        }
        conf = confidence_for(etype, features)
        key = f"{doc_id}|{tok.idx}|{etype}"
        event_id = "ev-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
        ev = Event(
            doc_id=doc_id,
            event_id=event_id,
            sentence=s_idx,
            event_type=etype,
            mode=mode,
            quad=category.quad,
            intensity=ontology.intensity(etype, mode),
            source=source,
            target=target,
            modality=modality,
            confidence=conf,
            trigger_text=tok.text,
            trigger_start=tok.idx,
            trigger_end=tok.idx + len(tok.text),
            date=date,
            date_text=date_text,
            date_resolution=date_resolution,
            location=location,
            attribution=attribution,
            outlet=doc._.outlet,
            sentence_text=sent.text,
            sentence_start=sent.start_char,
            rule=f"{cand.kind}:{trig.lemma}/{trig.pos}->{etype}" + (f" (modality cue '{modality_cue}')" if modality_cue else ""),
            stage=self.name,
            cameo=cameo[0] if cameo else None,
            reciprocal=reciprocal,
            features=features,
        )
        return ev

    # ------------------------------------------------------------------ dates and places
    def _date_for(self, tok: Token, clause: Token, sent: Span, dates, pub_date, finder: AttributionFinder):
        in_sent = [d for d in dates if sent.start <= d.token_start < sent.end]
        reporting = finder.reporting_governor(clause)
        best = None
        best_dist = 10**9
        for d in in_sent:
            head = _date_head(sent.doc, d)
            # a date on the reporting verb does not carry over to the reported event
            if reporting is not None and head is not None and (head.i == reporting.i or (head.is_ancestor(reporting) and not head.is_ancestor(clause))):
                continue
            if head is not None and not (head.i == clause.i or clause.is_ancestor(head) or head.i == tok.i or tok.is_ancestor(head) or head.is_ancestor(clause)):
                continue
            dist = abs(d.token_start - tok.i)
            if dist < best_dist:
                best, best_dist = d, dist
        if best is not None:
            if best.date is not None:
                return best.date, best.text, best.resolution
            return None, best.text, best.resolution
        # "Putin previously invaded Crimea", "Russia once invaded Georgia": an earlier time that names no day
        for anchor in {tok.i: tok, clause.i: clause}.values():
            for c in anchor.children:
                if c.dep_ in ("advmod", "npadvmod") and c.lower_ in PAST_ADVERBS:
                    return None, c.text, f"'{c.text}': an earlier time that names no day; event date left null"
                if c.dep_ == "advmod" and c.lower_ == "ago":
                    span = sent.doc[c.i - 1 : c.i + 1] if c.i > 0 and sent.doc[c.i - 1].pos_ == "NOUN" else sent.doc[c.i : c.i + 1]
                    return None, span.text, f"'{span.text}': an earlier time that names no day; event date left null"
        # "Russia's 2014 invasion of Crimea": a year on a nominal event, before the publication year
        if tok.pos_ in ("NOUN", "PROPN"):
            for c in tok.children:
                if c.dep_ in ("nummod", "compound", "amod", "nmod") and c.like_num and len(c.text) == 4 and c.text.isdigit():
                    year = int(c.text)
                    if 1900 <= year and (pub_date is None or year < pub_date.year):
                        return None, c.text, f"'{c.text}' names a year ({year}) before the publication: event date left null"
        if pub_date is None:
            return None, None, "no date in the text and no publication date"
        return pub_date, None, "publication date (the text gives no date for this event)"

    def _location_for(self, tok: Token, clause: Token, sent: Span) -> dict | None:
        places = self._places
        if not places:
            return None
        # the verb, its clause, then its object ("massing a force near Ukraine's border"), what undergoes it and
        # what does it in the passive ("a building in Kyiv was struck", "struck by a missile in Kyiv")
        anchors = [tok, clause, *(c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")),
                   *(o for c in tok.children if c.dep_ == "agent" for o in c.children if o.dep_ == "pobj")]
        for anchor in anchors:
            for c in anchor.children:
                if c.dep_ == "prep" and c.lower_ in ("in", "near", "at", "outside", "around", "along", "inside", "across", "on", "into", "over", "off", "towards", "toward"):
                    for t in c.subtree:
                        if t.i in places:
                            p = places[t.i]
                            if p.place is None:
                                continue
                            return _location(p, f"'{c.text}' phrase")
        # the place the act is done to ("shelled Bakhmut", "Kramatorsk was struck")
        for c in tok.children:
            p = places.get(c.i) if c.dep_ in ("dobj", "nsubjpass", "advmod") else None
            if p is not None and p.place is not None:
                return _location(p, "what the act is done to")
        return None


def _location(p, via: str) -> dict:
    """The ``location`` record of an event at a found place."""
    return {"text": p.text, "country": p.place.country, "name": p.place.name, "lat": p.place.lat, "lon": p.place.lon,
            "kind": p.place.kind, "via": via}


def _accusing(cand: Candidate, target_tok: Token | None, note: str) -> Candidate:
    """``cand`` read as an accusation (PLOVER ACCUSE, disapprove) of ``target_tok``."""
    trig = dataclasses.replace(cand.trigger, event_type="ACCUSE", mode="disapprove")
    return dataclasses.replace(cand, trigger=trig, target_tok=target_tok, notes=[*cand.notes, note])


def _quote_speaker(doc: Doc, char: int) -> ActorMention | None:
    """Who says the quotation that holds character ``char`` (the coreference stage records it), or None."""
    for qs, qe, speaker in getattr(doc._, "quote_speakers", None) or ():
        if qs <= char < qe:
            return speaker
    return None


def _recoded(have: ActorMention | None, code: str, kind: str, resolution: str) -> ActorMention:
    """An actor whose code comes from outside its words (a place, the article): it keeps the span of the mention
    it replaces (``have``, often unresolved), or has none."""
    if have is None:
        return ActorMention(text=None, code=code, kind=kind, resolution=resolution)
    return ActorMention(text=have.text, start=have.start, end=have.end, code=code, kind=kind, resolution=resolution,
                        token_start=have.token_start, token_end=have.token_end, head=have.head)


def _judging(pred: Token) -> bool:
    """Whether a name or description judges: "a war crime", "an act of terror", "a hero" (not "stable")."""
    return any(u.lemma_.lower() in JUDGING_WORDS or u.lower_ in EVALUATIVE for u in pred.subtree)


def _judged_below_judgement(built: list[tuple[Candidate, Event]]) -> list[tuple[Event, Event]]:
    """A speaker's judgement of an event is the sentence's news, not the event judged: in "this attack casts
    serious doubt on Russia's commitment" or "called the strike a war crime", a nominal event inside what the
    judgement is about ranks below the judgement (its confidence is capped just under it).
    RETURNS the (judgement, event judged) pairs."""
    pairs = []
    # a judgement, or a stance taken on an act ("condemned the strikes", "did not regret the strikes")
    judgements = [(c, e) for c, e in built if c.kind == "evaluation" or (
        c.kind == "verb" and e.event_type in ("ACCUSE", "REJECT", "CONCEDE")
        and c.token.lemma_.lower() in STANCE_VERBS)]
    for jc, je in judgements:
        about = {t.i for t in (jc.clause.subtree if jc.clause is not None else ())}
        for c, e in built:
            if c.kind == "noun" and c.token.i in about:
                pairs.append((je, e))
                if e.confidence >= je.confidence:
                    e.confidence = max(0.0, je.confidence - 0.01)
    return pairs


def _judgement_targets(pairs: list[tuple[Event, Event]]) -> None:
    """A judgement that names no one judges whoever did the act judged: "EU leaders called the recognition a
    blatant violation" targets the source of the recognition (named in the sentence, or implied by the article;
    then the target is marked implied too)."""
    for je, e in pairs:
        src = e.source
        if (je.target is not None and je.target.code) or src is None or not src.code:
            continue
        if je.source is not None and je.source.code == src.code:
            continue
        reason = f"whose act is judged ('{e.trigger_text}': {src.code})"
        if (src.resolution or "").startswith(IMPLIED_RESOLUTION):
            je.target = _recoded(je.target, src.code, "implied", f"{IMPLIED_RESOLUTION}: {reason}")
        else:
            je.target = _recoded(je.target, src.code, "judged", reason)


def _implied_sides(events: list[Event], extra: Iterable[Event] = ()) -> None:
    """Fill in a side the sentence leaves implicit from the article's own coded events: "the shelling of the
    Azovstal plant" (target UKR, no source) in an article whose other attacks on Ukraine are by Russia is
    Russia's (GUIDELINES: an implicit actor that the article makes clear still gets a code). The other side is
    the one found most often opposite this side among the article's events of the same quad class (material
    conflict, verbal cooperation ...), else among all its events, at least ``IMPLIED_MIN`` times and more often
    than any other; never the event's own side. An event with neither side takes the pair found most often in
    its class. The filled actor keeps its text (if any) and says where its code came from. ``extra`` events
    (acts judged in the article but not kept as events) are filled from the same counts without adding to them."""
    seen: dict[tuple[str, str, str], Counter] = defaultdict(Counter)  # (quad or "*", side, code) -> other side
    dyads: dict[str, Counter] = defaultdict(Counter)  # quad -> (source, target)
    for e in events:
        s = e.source.code if e.source is not None else None
        t = e.target.code if e.target is not None else None
        if s and t and s != t:
            for quad in (e.quad, "*"):
                seen[(quad, "target", t)][s] += 1
                seen[(quad, "source", s)][t] += 1
            dyads[e.quad][(s, t)] += 1

    def best(counts: Counter | None):
        (top, n), *rest = (counts or Counter()).most_common(2) + [(None, 0)]
        return (top, n) if top is not None and n >= IMPLIED_MIN and n != rest[0][1] else (None, 0)

    def fill(e: Event, side: str, code: str, reason: str) -> None:
        setattr(e, side, _recoded(getattr(e, side), code, "implied", f"{IMPLIED_RESOLUTION}: {reason}"))

    for e in [*events, *extra]:
        if (e.source is None or not e.source.code) and (e.target is None or not e.target.code):
            pair, n = best(dyads.get(e.quad))
            if pair is not None:
                for side, code in zip(("source", "target"), pair):
                    fill(e, side, code, f"{pair[0]} -> {pair[1]} is the pair of {n} of its other {e.quad} events")
            continue
        for missing, known_side, known in (("source", "target", e.target), ("target", "source", e.source)):
            have = getattr(e, missing)
            if (have is not None and have.code) or known is None or not known.code:
                continue
            for quad in (e.quad, "*"):
                code, n = best(seen.get((quad, known_side, known.code)))
                if code is not None:
                    break
            if code is None or code in (known.code, *known.codes):
                continue
            fill(e, missing, code, f"{code} is the {missing} of {n} of its other {'' if quad == '*' else e.quad + ' '}"
                                   f"events with {known.code} as {known_side}")


def _other_side(speaker: ActorMention, other: ActorMention) -> bool:
    """Whether ``other`` is someone else than ``speaker``'s own side: another country, or, at home, another part
    of it ("the charity said the government should ...", "Republicans said the White House was weak": a citizen
    or the opposition judging or asking the government). A government speaking of its own country, its
    ministers or its forces is one side ("Biden said America must lead" asks nothing of anyone)."""
    if other.code != speaker.code and not (speaker.codes and other.code in speaker.codes):
        return True
    if other.kind == "pronoun" or (speaker.name and other.name == speaker.name):
        return False
    if other.resolution.startswith(("owner 'our'", "owner 'my'")):
        return False  # "our people", "our children": the speaker's own
    state = {"GOV", "MIL"}
    return bool(speaker.sector and other.sector) and speaker.sector != other.sector and not (
        speaker.sector in state and other.sector in state)


def _split_compound(m: ActorMention) -> tuple[ActorMention, ActorMention | None]:
    """(first member, the others) of a compound actor whose members act with one another ("a meeting between
    Putin and Lukashenko", "Russia and Belarus held talks"); (m, None) when its members are not known."""
    parts = [p for p in m.parts if p is not None]
    if len(parts) < 2:
        return m, None
    rest = parts[1:]
    if len(rest) == 1:
        return parts[0], rest[0]
    codes: list[str] = []
    for p in rest:
        for code in (p.code, *p.codes):
            if code and code not in codes:
                codes.append(code)
    first, last = rest[0], rest[-1]
    text = None
    if m.text is not None and m.start >= 0 and first.start >= m.start:
        text = m.text[first.start - m.start:last.end - m.start]
    sectors = {p.sector for p in rest}
    return parts[0], ActorMention(
        text=text, start=first.start, end=last.end, code=codes[0] if codes else None,
        sector=sectors.pop() if len(sectors) == 1 else first.sector, codes=codes, kind="compound", parts=rest,
        resolution="compound: " + " + ".join(f"'{p.text}' ({p.code or 'unresolved'})" for p in rest),
        token_start=first.token_start, token_end=last.token_end, head=first.head)


def _business(s_tok: Token | None, source: ActorMention | None) -> bool:
    """The subject is a company: a business actor, or a noun such as "companies" ("firms that pulled out")."""
    if source is not None and source.sector == "BUS":
        return True
    if s_tok is None:
        return False
    if s_tok.tag_ in ("WDT", "WP") and s_tok.head.dep_ == "relcl":
        s_tok = s_tok.head.head
    return s_tok.lemma_.lower() in BUSINESS_NOUNS


def _setting(doc: Doc, by_token: dict[int, ActorMention]) -> tuple[str, int, int] | None:
    """(country, its mentions, all mentions) of the article's setting, or None when no country dominates.

    Counted are places named as places: those that no resolved actor covers ("Kharkiv", "Bucha"), and actor
    names after a locative preposition ("in Ukraine", "near Kyiv"). "Moscow said" names a government, not a
    setting."""
    counts: dict[str, int] = {}
    for p in getattr(doc._, "places", None) or []:
        if p.place is None or not p.place.country:
            continue
        head = doc[p.token_start]
        while head.dep_ == "conj" and head.head.i != head.i:  # "around Kharkiv and Izium"
            head = head.head
        locative = head.dep_ == "pobj" and head.head.lower_ in LOCATIVE_PREPOSITIONS
        actor = by_token.get(p.token_start)
        if actor is not None and actor.code and not locative:
            continue
        counts[p.place.country] = counts.get(p.place.country, 0) + 1
    total = sum(counts.values())
    if not total:
        return None
    country, n = max(counts.items(), key=lambda kv: kv[1])
    if n < SETTING_MIN or n / total < SETTING_SHARE:
        return None
    return country, n, total


def _prep_objs(tok: Token):
    for c in tok.children:
        if c.dep_ == "prep":
            for o in c.children:
                if o.dep_ == "pobj":
                    yield c.lower_, o


def _date_head(doc: Doc, d) -> Token | None:
    """The token outside the date phrase that the phrase attaches to."""
    span = doc[d.token_start : d.token_end]
    root = span.root
    head = root.head
    hops = 0
    while head.i >= d.token_start and head.i < d.token_end and head.i != head.head.i and hops < 3:
        head = head.head
        hops += 1
    # "on Thursday" -> prep "on" -> verb
    while head.dep_ == "prep" and head.head.i != head.i and hops < 5:
        head = head.head
        hops += 1
    return head


def _background(n: Token) -> bool:
    """A nominal event that sets the scene: the object of "amid", "since", "over", "following" ..., or of "of"
    after "the start", "the anniversary", "in response to", "because of" ... (climbing "of" chains)."""
    cur = n
    for _ in range(3):
        if cur.dep_ not in ("pobj", "conj"):
            return False
        if cur.dep_ == "conj":
            cur = cur.head
            continue
        prep = cur.head
        if prep.lower_ in BACKGROUND_PREPS:
            return True
        if prep.lower_ in ("of", "to") and prep.head.lower_ in BACKGROUND_HEADS:
            if prep.head.lower_ in ("because", "due", "response", "retaliation"):
                return True
            cur = prep.head  # "since the start of the war": is "the start" itself in the background?
            if cur.dep_ == "pobj" and cur.head.lower_ in BACKGROUND_PREPS | {"at", "in", "on", "from", "by", "for", "within"}:
                return True
            continue
        return False
    return False
