"""Modality of an event: asserted, negated, hypothetical, future, alleged or denied.

Read off the clause that carries the trigger and the clauses that govern it, nearest first:
- negated: a negation on the event's verb ("did not attack"), "no"/"never" on it, "without"+gerund,
  "fail to"/"refrain from";
- hypothetical: a modal of possibility (could, might, may, would) on the verb or the clause that governs it,
  an if/unless clause, a conditional consequence ("it might lead to a new conflict");
- future: will/shall/"going to", or governed by a verb of intention or plan (plan, intend, prepare, vow ...);
- alleged: governed by a verb of allegation (accuse, allege, claim, blame for ...), hedges ("reportedly",
  "appear to", "suspected", "allegedly");
- denied: governed by "deny" / "dismiss (claims)".
The nearest cue wins, except that alleged/denied from a governing claim overrides a plain assertion.
"""

from __future__ import annotations

from spacy.tokens import Token

POSSIBILITY_MODALS = {"could", "might", "may", "would", "should", "'d", "can"}
SAY_VERBS = {"say", "tell", "add", "note", "confirm", "announce", "report", "stress", "state", "explain", "repeat",
             "reiterate", "emphasize", "emphasise", "point", "remind", "assure", "inform", "write", "tweet"}
# "deter X from attacking": what is prevented did not happen
PREVENT_VERBS = {"deter", "prevent", "stop", "keep", "dissuade", "discourage", "restrain", "bar", "block", "prohibit",
                 "ban", "hold"}
FUTURE_MODALS = {"will", "shall", "'ll", "wo"}
NEGATIONS = {"not", "n't", "never", "no", "neither", "nor"}
FAIL_VERBS = {"fail", "refrain", "avoid", "stop", "cease", "decline"}
INTENT_VERBS = {
    "plan", "intend", "prepare", "vow", "promise", "pledge", "aim", "seek", "want", "hope", "expect", "schedule",
    "set", "mean", "decide", "agree", "offer", "propose", "consider", "threaten", "try", "attempt", "wish", "plot",
}
# verbs of wishing: another actor's act that someone wishes for is not a fact ("rooting for Russia to invade",
# "they want Kyiv to surrender"); one's own wished act is an intention (INTENT_VERBS, future)
DESIRE_VERBS = {"want", "hope", "wish", "root", "pray", "long", "yearn", "like", "love", "prefer", "dream"}
# verbs of rules that forbid an act ("the convention prohibits attacks"): the act named is not asserted
PROHIBIT_VERBS = {"prohibit", "forbid", "outlaw", "proscribe", "criminalise", "criminalize", "bar"}
# readiness to act is an intention (CAMEO 03 "express intent to ...": PLOVER AGREE for cooperation): "is ready to
# hold talks", "willing to mediate", "open to meeting Xi"
WILLING_ADJ = {"ready", "willing", "prepared", "eager", "keen", "open", "determined"}
ALLEGE_VERBS = {"accuse", "allege", "claim", "blame", "charge", "suspect", "assert", "insist", "purport"}
HEDGE_WORDS = {"reportedly", "allegedly", "purportedly", "apparently", "supposedly", "likely", "probably", "possibly"}
HEDGE_VERBS = {"appear", "seem"}
DENY_VERBS = {"deny", "dismiss", "refute", "reject", "rebut", "disprove"}
CONDITIONAL_MARKS = {"if", "unless", "whether", "lest"}
# an adverbial clause opened by its auxiliary is a condition: "were Russia to invade", "had talks failed",
# "should Moscow attack"
INVERSION_AUX = {"were", "had", "should"}
# words that make what they govern a possibility, not a fact: "in the event of an invasion", "the risk of war",
# "to deter an attack", "concerned about an invasion"
HYPOTHETICAL_HEADS = {
    "event", "possibility", "risk", "threat", "prospect", "case", "fear", "danger", "likelihood", "chance", "scenario",
    "spectre", "specter", "concern", "worry", "deter", "prevent", "avoid", "preempt", "forestall", "avert", "fear",
    "concerned", "worried", "afraid", "warning", "contingency", "potential", "plan", "preparation",
}


# adjectives on a nominal event that make it a possibility or a plan, not a fact
POSSIBLE_ADJ = {"possible", "potential", "likely", "feared", "looming", "threatened", "hypothetical", "eventual",
                "would-be", "probable", "prospective", "conceivable"}
FUTURE_ADJ = {"pending", "planned", "imminent", "expected", "anticipated", "upcoming", "future", "proposed", "intended"}


def _aux_lemmas(v: Token) -> set[str]:
    return {c.lower_ for c in v.children if c.dep_ in ("aux", "auxpass")}


def _negated(v: Token) -> bool:
    for c in v.children:
        if c.dep_ == "neg" or (c.dep_ in ("advmod", "det") and c.lower_ in ("never", "no")):
            return True
    return False


def inverted_conditional(v: Token) -> bool:
    """An adverbial clause opened by its auxiliary, before its subject: "Were Russia to invade, ...",
    "Had the talks failed, ...", "Should Moscow attack, ..." (a condition without "if")."""
    if v.dep_ != "advcl":
        return False
    aux = [c for c in v.children if c.dep_ in ("aux", "auxpass") and c.lower_ in INVERSION_AUX]
    subj = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass", "expl")]
    return bool(aux and subj) and aux[0].i == v.left_edge.i and aux[0].i < subj[0].i


def local_modality(v: Token) -> str | None:
    """The modality cue on one clause verb (or noun), or None."""
    if any(c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS for c in v.children) or inverted_conditional(v):
        return "hypothetical"
    if _negated(v):
        return "negated"
    auxes = _aux_lemmas(v)
    if auxes & POSSIBILITY_MODALS:
        return "hypothetical"
    if auxes & FUTURE_MODALS:
        return "future"
    for c in v.children:
        if c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS:
            return "hypothetical"
        if c.dep_ == "advmod" and c.lower_ in HEDGE_WORDS:
            return "alleged"
    # "is going to attack"
    if v.dep_ == "xcomp" and v.head.lemma_ == "go" and v.head.tag_ == "VBG":
        return "future"
    return None


def _reported_future(clause: Token) -> bool:
    """A "would" clause reported after a past saying is the future of then, not a condition: "Sullivan said
    Biden would press ...", "I made it clear that the United States would continue to ..." (no if-clause)."""
    if not _aux_lemmas(clause) & {"would", "'d"} or any(
            c.dep_ == "advcl" and (inverted_conditional(c) or any(m.dep_ == "mark" and m.lower_ in CONDITIONAL_MARKS
                                                                  for m in c.children)) for c in clause.children):
        return False
    head = clause.head
    if clause.dep_ == "ccomp" and head.lemma_.lower() in SAY_VERBS and head.tag_ == "VBD":
        return True
    # "made (it) clear that ...": the parser hangs the clause on "made" or on "clear"
    if clause.dep_ in ("ccomp", "advcl") and any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children):
        maker = head.head if head.lower_ == "clear" else head
        clear = head.lower_ == "clear" or any(c.lower_ == "clear" for c in head.children)
        return clear and maker.lemma_.lower() == "make" and maker.tag_ == "VBD"
    return False


def _wished_of_another(clause: Token) -> bool:
    """A to-infinitive with its own subject, the complement of a wish: "want Russia to attack", "rooting for
    Russia to invade"."""
    return any(c.dep_ == "nsubj" for c in clause.children) and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in clause.children)


NOBODY = {"nobody", "none", "noone", "nothing", "neither"}


def _no_subject(clause: Token) -> str:
    """The cue when the clause's subject is no one: "no country" (determiner no), "nobody", "none of the allies";
    else ""."""
    for c in clause.children:
        if c.dep_ not in ("nsubj", "nsubjpass"):
            continue
        if c.lower_ in NOBODY or (c.lower_ == "one" and any(d.lower_ == "no" for d in c.children)):
            return c.text
        for d in c.children:
            if d.dep_ == "det" and d.lower_ == "no":
                return f"no {c.text}"
    return ""


def modality_of(trigger: Token, clause: Token, stop_at: set[int] | None = None) -> tuple[str, str]:
    """RETURNS (str, str): the modality and the cue that decided it ("asserted", "") when none.

    trigger (Token): the event's trigger word.
    clause (Token): the verb carrying the event (the trigger itself for verbs; the light or governing verb
        for nominal triggers).
    stop_at (set[int]): token indices where the walk up must stop (e.g. another event's trigger).
    """
    if trigger.i != clause.i:
        for c in trigger.children:
            if c.dep_ == "det" and c.lower_ == "no":
                return "negated", "no " + trigger.text
            if c.dep_ == "neg":
                return "negated", c.text
    if trigger.pos_ in ("NOUN", "PROPN"):
        # "a possible attack", "the pending invasion"; "as an invasion becomes more likely"
        for c in trigger.children:
            if c.dep_ in ("amod", "compound") and c.lower_ in POSSIBLE_ADJ:
                return "hypothetical", c.text
            if c.dep_ in ("amod", "compound") and c.lower_ in FUTURE_ADJ:
                return "future", c.text
        # what a rule forbids does not happen by being named: "the convention prohibits attacks on nuclear sites"
        if trigger.dep_ in ("dobj", "nsubjpass") and trigger.head.lemma_.lower() in PROHIBIT_VERBS:
            return "hypothetical", trigger.head.text
        if trigger.dep_ in ("nsubj", "nsubjpass") and trigger.head.pos_ in ("VERB", "AUX"):
            for c in trigger.head.children:
                if c.dep_ in ("acomp", "attr", "oprd") and c.lower_ in POSSIBLE_ADJ | {"inevitable", "probable"}:
                    return "hypothetical", c.text
    none = _no_subject(clause)
    if none:
        return "negated", none  # "no country is threatening Russia", "nobody attacked the convoy"
    cue = local_modality(clause)
    if cue == "hypothetical" and _reported_future(clause):
        return "future", "would"  # reported future: "Sullivan said Biden would press ..."
    if cue:
        return cue, clause.text
    # "any attack on a nuclear plant is suicidal": any such act, not one that happened
    if trigger.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ == "any" for c in trigger.children):
        return "hypothetical", "any"
    if trigger.pos_ in ("NOUN", "PROPN"):
        cur = trigger
        for _ in range(4):
            if cur.dep_ not in ("pobj", "prep", "dobj", "compound") or cur.head.i == cur.i:
                break
            cur = cur.head
            if cur.lemma_.lower() in HYPOTHETICAL_HEADS or cur.lower_ in HYPOTHETICAL_HEADS:
                return "hypothetical", cur.text
    # "failed to attack", "without attacking"
    if clause.dep_ == "xcomp" and clause.head.lemma_.lower() in FAIL_VERBS:
        return "negated", clause.head.text
    if clause.dep_ == "pcomp" and clause.head.lower_ == "without":
        return "negated", "without"
    cur = clause
    for _ in range(6):
        if cur.head.i == cur.i:
            break
        dep, head = cur.dep_, cur.head
        if stop_at and head.i in stop_at and dep not in ("conj",):
            # governed by another event: only allegation/denial/intent carries over
            lemma = head.lemma_.lower()
            if lemma in ALLEGE_VERBS:
                return "alleged", head.text
            if lemma in DENY_VERBS:
                return "denied", head.text
            if lemma in INTENT_VERBS and dep == "xcomp":
                return "future", head.text
            break
        lemma = head.lemma_.lower()
        if dep in ("ccomp", "xcomp", "pcomp", "pobj", "prep", "advcl", "relcl", "acl", "dobj", "conj"):
            if lemma in DENY_VERBS and dep != "conj":
                return "denied", head.text
            if lemma in ALLEGE_VERBS and dep != "conj":
                return "alleged", head.text
            if lemma in HEDGE_VERBS:
                return "alleged", head.text
            if dep == "xcomp" and lemma in INTENT_VERBS:
                return "future", head.text
            if dep in ("ccomp", "advcl") and lemma in DESIRE_VERBS and _wished_of_another(cur):
                return "hypothetical", head.text
            if head.pos_ == "ADJ" and lemma in WILLING_ADJ and (dep == "xcomp" or (dep == "prep" and cur.lower_ == "to")):
                return "future", head.text
            if dep == "advcl" and any(c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS for c in cur.children):
                return "hypothetical", "if"
            if dep == "advcl" and inverted_conditional(cur):
                return "hypothetical", cur.left_edge.text
            # "deter Putin from invading", "stop Russia from attacking", "prevent an attack on"
            if dep in ("pcomp", "pobj") and head.lower_ == "from" and head.head.lemma_.lower() in PREVENT_VERBS:
                return "hypothetical", head.head.text
            if dep == "conj" or dep in ("prep", "pobj"):
                cur = head
                continue
            cue = local_modality(head) if lemma not in SAY_VERBS else None  # "I can tell you that ...": the saying's modal
            if cue == "hypothetical" and dep == "xcomp" and _reported_future(head):
                return "future", "would"  # "said the US would continue to support ..."
            if cue in ("hypothetical", "future") and dep in ("xcomp", "ccomp"):
                return cue, head.text
            if cue == "alleged":
                return cue, head.text
            cur = head
            continue
        break
    return "asserted", ""
