"""The event coder end to end on small hand-built cases (real pinned model) and on the seed article."""

import datetime as dt
import json
from pathlib import Path

import pytest

import flashpoint

SHARED = Path(__file__).resolve().parents[2] / "shared"
DATA = Path(__file__).parent / "data"


def _find(events, event_type):
    found = [e for e in events if e.event_type == event_type]
    assert found, f"no {event_type} in {[(e.event_type, e.trigger_text) for e in events]}"
    return found[0]


@pytest.mark.parametrize(
    "text,date,etype,source,target,modality",
    [
        ("Kyiv was attacked by Russian forces on Monday.", "2022-02-25", "ASSAULT", "RUS", "UKR", "asserted"),  # passive
        ("Russia did not attack Ukraine.", "2022-02-10", "ASSAULT", "RUS", "UKR", "negated"),
        ("The United States accused Russia of massing troops near Ukraine's border.", "2021-12-24", "ACCUSE", "USA", "RUS", "asserted"),
        ("The EU will impose new sanctions on Russia next week.", "2022-02-22", "SANCTION", "EUR", "RUS", "future"),
        ("The Kremlin came under attack from Ukrainian drones.", "2023-05-03", "ASSAULT", "UKR", "RUS", "asserted"),
        ("Sergei Lavrov met Dmytro Kuleba in Antalya on Thursday.", "2022-03-11", "CONSULT", "RUS", "UKR", "asserted"),
    ],
)
def test_events_arguments_and_modality(text, date, etype, source, target, modality):
    ev = _find(flashpoint.code_text(text, date=date), etype)
    assert ev.source is not None and ev.source.code == source
    assert ev.target is not None and ev.target.code == target
    assert ev.modality == modality


def test_events_alleged_content_of_accusation():
    events = flashpoint.code_text("The United States accused Russia of massing troops near Ukraine's border.", date="2021-12-24")
    mob = _find(events, "MOBILIZE")
    assert mob.modality == "alleged"
    assert mob.source.code == "RUS"
    assert mob.attribution and mob.attribution[0].role == "speaker" and mob.attribution[0].code == "USA"
    assert _find(events, "ACCUSE").modality == "asserted"


def test_events_several_in_one_sentence_and_coordination():
    events = flashpoint.code_text("Putin blamed the US and its allies for escalating tensions and demanded a response.", date="2021-12-24")
    accuse, request = _find(events, "ACCUSE"), _find(events, "REQUEST")
    assert accuse.target.code == "USA" and "NATO" in accuse.target.codes or accuse.target.codes
    assert request.source.code == "RUS" and request.modality == "asserted"


def test_events_denial_and_attribution_chain():
    events = flashpoint.code_text("Moscow denied that its troops had shelled the city, TASS reported, citing the defence ministry.", date="2022-03-05")
    reject, assault = _find(events, "REJECT"), _find(events, "ASSAULT")
    assert reject.modality == "asserted" and assault.modality == "denied"
    roles = [(a.role, a.name or a.text) for a in assault.attribution]
    assert ("outlet", "TASS") in roles
    assert roles[0][0] == "speaker"


def test_events_relative_date_and_pronoun():
    events = flashpoint.code_text("Sergei Lavrov met Dmytro Kuleba in Antalya on Thursday. He later warned the West against sending weapons.", date="2022-03-11")
    consult = _find(events, "CONSULT")
    assert consult.date == dt.date(2022, 3, 10) and consult.date_text.endswith("Thursday")
    warn = _find(events, "THREATEN")
    assert warn.source.code == "RUS" and warn.source.kind in ("pronoun", "reference")


def test_events_reciprocal_compound_actor():
    events = flashpoint.code_text("Russia and Ukraine agreed to hold talks in Belarus.", date="2022-02-27")
    agree = _find(events, "AGREE")
    # the members of the compound act with one another: one is the source, the other the target, either way round
    assert agree.reciprocal and (agree.source.code, agree.target.code) == ("RUS", "UKR")
    events = flashpoint.code_text("Russia, Belarus and China held talks in Minsk.", date="2022-02-27")
    talks = _find(events, "CONSULT")
    assert talks.reciprocal and talks.source.code == "RUS" and talks.target.codes == ["BLR", "CHN"]
    assert talks.target.text == "Belarus and China"
    assert len([e for e in events if e.event_type in ("AGREE", "CONSULT")]) == 1, "the content of an agreement is not coded twice"


def test_events_no_date_means_null_dates():
    events = flashpoint.code_text("Russian forces shelled Kharkiv on Tuesday.")
    assert events and all(e.date is None for e in events)


def test_events_offsets_point_into_text():
    text = "Ukraine accused Russia of shelling a school. NATO condemned the attack."
    for e in flashpoint.code_text(text, date="2022-03-01"):
        assert text[e.trigger_start : e.trigger_end] == e.trigger_text
        assert 0.0 <= e.confidence <= 1.0


@pytest.mark.skipif(not (SHARED / "seed").is_dir(), reason="needs ../shared/seed (the seed article); absent in a fresh clone")
def test_events_seed_article_matches_golden_file():
    """The seed article coded end to end. The golden file was reviewed by hand: a change to it must show up in review."""
    from flashpoint.ingest.readers import read_inputs

    art = next(a for a in read_inputs([str(SHARED / "seed")]) if isinstance(a, flashpoint.Article))
    _, events = next(flashpoint.code_articles([art]))
    got = [
        {"sentence": e.sentence, "trigger": e.trigger_text, "event_type": e.event_type, "modality": e.modality,
         "source": e.source.code if e.source else None, "target": e.target.code if e.target else None,
         "date": e.date.isoformat() if e.date else None, "date_text": e.date_text,
         "attribution": [[a.role, a.name or a.text] for a in e.attribution]}
        for e in events
    ]
    expected = [json.loads(line) for line in (DATA / "expected_seed_events.jsonl").read_text(encoding="utf-8").splitlines()]
    assert got == expected
    # what the brief asks of the seed in particular
    by_trigger = {g["trigger"]: g for g in got}
    assert by_trigger["assembling"]["modality"] == "alleged"
    assert by_trigger["blamed"]["date"] == "2021-12-23"
    assert by_trigger["lead"]["modality"] == "hypothetical"
    assert ["outlet", "Sputnik"] in by_trigger["accused"]["attribution"] or any("Sputnik" in a[1] for g in got for a in g["attribution"])


@pytest.mark.parametrize(
    "text,modality",
    [
        ("We are prepared to respond decisively in the event of a Russian invasion of Ukraine.", "hypothetical"),
        ("We are concerned about the possibility of a Russian invasion.", "hypothetical"),
        ("If Russia further invades Ukraine, we will impose severe costs.", "hypothetical"),
        ("Russia's invasion of Ukraine killed thousands.", "asserted"),
        # another actor's act that someone wishes for; any such act
        ("Flynn was rooting for Russia to invade Ukraine.", "hypothetical"),
        ("Some commentators want Russia to attack Ukraine.", "hypothetical"),
        ("Any attack on a nuclear plant is a suicidal thing, Guterres said.", "hypothetical"),
        ("Russia did not launch any attack on Kyiv.", "negated"),
    ],
)
def test_events_possible_invasion_is_not_asserted(text, modality):
    ev = _find(flashpoint.code_text(text, date="2021-12-07"), "ASSAULT")
    assert ev.modality == modality
