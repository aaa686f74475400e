"""Fuzzing the coder (real pinned model): whatever text and publication date come in, it does not crash, and
every event it returns keeps the output contract of ``Event.to_dict()`` (docs: models.py, `flashpoint code`).

Texts mix news-like sentences built from a small vocabulary written here (actors, verbs, dates, quotes,
brackets) with random unicode, control characters, very long tokens and empty strings. Publication dates
range from year 1 to 9999 (before 1900 and far in the future included), as date objects, ISO strings, or
none. The only exception allowed is a flashpoint input error for a date string that is not an ISO date.

The budget is bounded (``max_examples`` below) so the file runs in well under a minute with the model load.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from flashpoint import ontology
from flashpoint.errors import FlashpointError
from flashpoint.models import MODALITIES, Article, Event

EVENT_KEYS = {
    "doc_id", "event_id", "sentence", "event_type", "mode", "quad", "intensity", "source", "target", "modality",
    "confidence", "trigger", "date", "date_text", "date_resolution", "location", "attribution", "outlet",
    "sentence_text", "cameo", "reciprocal", "rule", "stage",
}
ACTOR_KEYS = {"text", "code", "sector", "name", "codes", "start", "end", "resolution"}
ATTRIBUTION_KEYS = {"role", "text", "code", "sector", "name", "cue", "start", "end"}
CATEGORIES = {c.name: c for c in ontology.categories()}
#: examples per run; raise it for a longer hunt: FLASHPOINT_FUZZ_EXAMPLES=3000 pytest tests/test_reliability_fuzz_coder.py
EXAMPLES = int(os.environ.get("FLASHPOINT_FUZZ_EXAMPLES", "60"))

# ------------------------------------------------------------------------------------------ text strategies
ACTORS = ["Russia", "Ukraine", "Kyiv", "Moscow", "the Kremlin", "NATO", "the United States", "Washington", "the EU",
          "Vladimir Putin", "Volodymyr Zelensky", "Russian troops", "Ukrainian forces", "Belarus", "the UN", "Turkey",
          "he", "she", "they", "it", "the ministry", "Germany and France", "the US and its allies", "rebels", "Poland"]
VERBS = ["attacked", "shelled", "accused", "met", "held talks with", "threatened", "denied that it attacked",
         "said it would strike", "will impose sanctions on", "did not attack", "could invade", "agreed with",
         "warned", "demanded that", "withdrew troops from", "sent aid to", "condemned", "was attacked by",
         "rejected a proposal from", "expelled diplomats of", "called on", "arrested", "protested against"]
DATES = ["on Thursday", "yesterday", "last week", "on 24 February", "on February 24, 2022", "in 1899", "in 2150",
         "next year", "on 31/12/2099", "two days ago", "tomorrow", "earlier this month", "on 29 February", ""]
TAILS = ["", ", officials said", ", according to TASS", ", Reuters reported, citing the ministry",
         ', "we will respond," a spokesman said', " (the ministry said)", " [sic]", ", he claimed"]
PUNCT = [".", "!", "?", ";", "...", "", "\n", "\n\n", " - ", "—", "«", "»", "“", "”", '"', "'", "(", ")", "[", "]"]
ODD = ["", " ", "\x00", "\x07", "\x1b[31m", "\r", "\r\n", "\t", "\u200b", "\ufeff", "\u2028", "\u202e", "\x7f",
       "\U0001f4a5", "\u0301", "ﬁ", "Ⅻ", "𝔘𝔨𝔯𝔞𝔦𝔫𝔢", "Київ", "Москва", "نيتو", "基辅",
       "x" * 3000, "Russia" * 400, "-" * 500, "a.b.c.d." * 50, "<p>", "</p>", "&amp;", "{\"text\": 1}"]

sentences = st.builds(
    lambda a, v, b, d, t, p: f"{a} {v} {b} {d}{t}{p}".replace("  ", " "),
    st.sampled_from(ACTORS), st.sampled_from(VERBS), st.sampled_from(ACTORS), st.sampled_from(DATES),
    st.sampled_from(TAILS), st.sampled_from(PUNCT),
)
pieces = st.one_of(
    sentences, sentences, sentences,
    st.sampled_from(ODD),
    st.text(max_size=30),  # any unicode but lone surrogates (tested on their own at the end)
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=10),  # control characters only
)
texts = st.one_of(
    st.just(""),
    st.lists(pieces, max_size=12).map(" ".join),
    st.lists(pieces, max_size=12).map("".join),
)
pub_dates = st.one_of(
    st.none(),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.sampled_from([dt.date(1899, 12, 31), dt.date(1900, 1, 1), dt.date(2022, 2, 24), dt.date(2100, 1, 1),
                     dt.date(9999, 12, 31), dt.date(1, 1, 1), dt.date(2024, 2, 29)]),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(dt.date.isoformat),
    st.sampled_from(["2022-02-24", "2022-02-24T08:00:00+03:00", "24/02/2022", "yesterday", "", "2022-13-45"]),
)


@pytest.fixture(scope="module")
def coder():
    from flashpoint.nlp.pipeline import default_coder

    return default_coder()


def _is_iso_date(value) -> bool:
    try:
        dt.date.fromisoformat(str(value)[:10])
        return True
    except ValueError:
        return False


def check_event(ev: Event, text: str) -> None:
    """Every promise of the event contract, on the object and on its JSON-ready dict."""
    d = ev.to_dict()
    assert set(d) == EVENT_KEYS
    json.dumps(d, allow_nan=False)  # JSON-ready, no NaN or infinity
    assert d["event_type"] in CATEGORIES, d["event_type"]
    cat = CATEGORIES[d["event_type"]]
    assert d["quad"] == cat.quad and d["quad"] in ontology.QUADS
    assert d["mode"] is None or d["mode"] in cat.modes, (d["event_type"], d["mode"])
    assert d["modality"] in MODALITIES
    assert isinstance(d["confidence"], float) and 0.0 <= d["confidence"] <= 1.0
    assert isinstance(d["intensity"], (int, float)) and math.isfinite(d["intensity"]) and -10 <= d["intensity"] <= 10
    assert isinstance(d["sentence"], int) and d["sentence"] >= 0
    assert isinstance(d["doc_id"], str) and d["doc_id"] and isinstance(d["event_id"], str) and d["event_id"]
    trig = d["trigger"]
    assert 0 <= trig["start"] < trig["end"] <= len(text), trig
    assert text[trig["start"]:trig["end"]] == trig["text"], trig
    # the trigger lies in its sentence, and the sentence is where it says
    s0 = ev.sentence_start
    assert text[s0:s0 + len(ev.sentence_text)] == ev.sentence_text
    assert s0 <= trig["start"] and trig["end"] <= s0 + len(ev.sentence_text)
    for side in ("source", "target"):
        actor = d[side]
        if actor is None:
            continue
        assert set(actor) == ACTOR_KEYS, actor
        assert all(isinstance(c, str) for c in actor["codes"])
        if actor["start"] >= 0:
            assert actor["end"] <= len(text) and text[actor["start"]:actor["end"]] == actor["text"], (side, actor)
    assert isinstance(d["attribution"], list)
    for link in d["attribution"]:
        assert set(link) == ATTRIBUTION_KEYS and link["role"] in ("speaker", "outlet"), link
        assert isinstance(link["text"], str)
    assert d["date"] is None or _is_iso_date(d["date"])
    assert isinstance(d["date_resolution"], str)
    assert d["location"] is None or isinstance(d["location"], dict)
    assert isinstance(d["reciprocal"], bool)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=texts, date=pub_dates, outlet=st.one_of(st.none(), st.sampled_from(["Test Tribune", "", "\x00"])))
@example(text="Russia attacked Ukraine next year.", date=dt.date(9999, 12, 31), outlet=None)
@example(text="Russia attacked Kyiv yesterday.", date=dt.date(1, 1, 1), outlet=None)
@example(text="\x00" * 50 + "Russia shelled Kyiv." + "\x1b" * 50, date=None, outlet="\x00")
def test_reliability_fuzz_coder_code_text_keeps_the_contract(coder, text, date, outlet):
    try:
        events = coder.code_text(text, date=date, outlet=outlet)
    except FlashpointError as exc:
        # the one documented refusal: a date string that is not an ISO date
        assert isinstance(date, str) and not _is_iso_date(date), f"unexpected {exc!r}"
        return
    assert not (isinstance(date, str) and not _is_iso_date(date)), f"date {date!r} was accepted"
    event("events: none" if not events else "events: some")
    ids = [e.event_id for e in events]
    assert len(ids) == len(set(ids)), "event ids repeat within one text"
    for ev in events:
        check_event(ev, text)


@settings(max_examples=max(EXAMPLES // 4, 10), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(batch=st.lists(st.tuples(texts, st.one_of(st.none(), st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))),
                      min_size=1, max_size=4))
def test_reliability_fuzz_coder_process_batches_keep_order_and_offsets(coder, batch):
    """The batch path (ingest's): one result per article, in order, sentence offsets inside each text."""
    articles = [Article(id=f"fz-{i}", text=t, date=d) for i, (t, d) in enumerate(batch)]
    coded = list(coder.process(articles))
    assert [c.article.id for c in coded] == [a.id for a in articles]
    for c in coded:
        text = c.article.text
        for s in c.sentences:
            assert 0 <= s.start <= s.end <= len(text) and text[s.start:s.end] == s.text
        for ev in c.events:
            assert ev.doc_id == c.article.id
            check_event(ev, text)


def test_reliability_fuzz_coder_lone_surrogate(coder):
    """Found by this fuzzing: a lone surrogate (a JSON \\ud800 escape) crashed spaCy's tokenizer. The coder now
    replaces it with U+FFFD (same length, so offsets still point into the caller's text)."""
    text = "Russia attacked Kyiv on Thursday\ud800."
    check = coder.code_text(text, date="2022-02-24")
    assert any(ev.event_type == "ASSAULT" for ev in check)
    for ev in check:
        check_event(ev, text.replace("\ud800", "\ufffd"))  # same offsets; the sentence text carries U+FFFD
        assert text[ev.trigger_start:ev.trigger_end] == ev.trigger_text
