"""Argument mechanisms of the coder: who "we" is, which object is the target, what is background.

Each case is a sentence written for the test; each asserts a source or target code (or the absence of an
event) that an earlier version of the coder got wrong.
"""

import pytest

import flashpoint
from flashpoint.actors.dictionary import ActorDictionary
from flashpoint.nlp.pipeline import Coder


@pytest.fixture(scope="module")
def every_candidate():
    """A coder that keeps every candidate (min_confidence 0): for tests of a reading, not of the threshold."""
    return Coder({"events": {"min_confidence": 0.0}})


def _find(events, event_type, trigger=None):
    found = [e for e in events if e.event_type == event_type and (trigger is None or e.trigger_text == trigger)]
    assert found, f"no {event_type} {trigger or ''} in {[(e.event_type, e.trigger_text) for e in events]}"
    return found[0]


TRANSCRIPT = (
    "Press Briefing\n"
    "MS. PSAKI: We have imposed new sanctions on Russia.\n"
    "Q Will you send troops to Ukraine?\n"
    "PRESIDENT ZELENSKYY: We have asked NATO for more air defence systems.\n"
)


def test_arguments_first_person_in_a_transcript_is_the_turn_speaker():
    events = flashpoint.code_text(TRANSCRIPT, date="2022-03-01", outlet="The White House")
    sanction = _find(events, "SANCTION")
    assert sanction.source is not None and sanction.source.code == "USA"  # Psaki's turn, published by the White House
    assert "transcript turn" in sanction.source.resolution
    request = _find(events, "REQUEST")
    assert request.source is not None and request.source.code == "UKR"  # the label names Zelenskyy


def test_arguments_first_person_without_an_official_publisher_stays_unresolved():
    events = flashpoint.code_text("We have imposed new sanctions on Russia.", date="2022-03-01", outlet="Reuters")
    sanction = _find(events, "SANCTION")
    assert sanction.source is None or sanction.source.code is None


def test_arguments_publisher_voice_and_its_administration():
    text = "The President spoke with Chancellor Scholz of Germany today. The Administration imposed new sanctions on Russia."
    events = flashpoint.code_text(text, date="2022-03-01", outlet="The White House")
    assert _find(events, "CONSULT").source.code == "USA"
    assert _find(events, "SANCTION").source.code == "USA"  # not Germany, the last state named


@pytest.mark.parametrize(
    "outlet,expected",
    [("The White House", ("USA", "GOV")), ("the Kremlin", ("RUS", "GOV")), ("NATO", ("NATO", "IGO")), ("Reuters", None)],
)
def test_arguments_publisher_lookup(outlet, expected):
    got = ActorDictionary.load().publisher(outlet)
    assert (got[:2] if got else None) == expected


@pytest.mark.parametrize(
    "text,etype,source,target",
    [
        ("The US does not know how many drones Iran has provided to Russia.", "AID", "IRN", "RUS"),  # past "drones"
        ("Biden denied requests from Zelenskyy for a no-fly zone.", "REJECT", "USA", "UKR"),  # whose request
        ("France has sent artillery guns to bolster Ukrainian forces.", "AID", "FRA", "UKR"),  # purpose clause
        ("Zelensky handed out awards during a meeting with Justin Trudeau.", "CONSULT", "UKR", "CAN"),  # joint noun
        ("Dmitry Medvedev held a meeting with Xi Jinping in Beijing.", "CONSULT", "RUS", "CHN"),  # "with" before "in"
        ("The Russian Foreign Ministry sent its security demands to the United States.", "REQUEST", "RUS", "USA"),
        ("In August 2008, Russia invaded Georgia.", "ASSAULT", "RUS", "GEO"),  # the country, not the US state
    ],
)
def test_arguments_source_and_target(text, etype, source, target):
    ev = _find(flashpoint.code_text(text, date="2022-06-01"), etype)
    assert ev.source is not None and ev.source.code == source
    assert ev.target is not None and target in {ev.target.code, *ev.target.codes}


def test_arguments_requester_of_a_rejected_request():
    ev = _find(flashpoint.code_text("Biden denied requests from Zelenskyy for a no-fly zone.", date="2022-03-01"), "REQUEST")
    assert ev.source.code == "UKR" and ev.target.code == "USA"


def test_arguments_reacting_verb_does_not_make_its_subject_the_attacker():
    events = flashpoint.code_text("Britain condemned the attack on Kyiv.", date="2022-03-01")
    assert all(not (e.event_type == "ASSAULT" and e.source is not None and e.source.code == "GBR") for e in events)


def test_arguments_no_actor_taken_from_inside_another_event_noun():
    events = flashpoint.code_text("The Pentagon has been providing daily updates on the Russian invasion of Ukraine.", date="2022-03-01")
    aid = [e for e in events if e.event_type == "AID"]
    assert all(e.target is None or e.target.code != "RUS" for e in aid)


@pytest.mark.parametrize(
    "text",
    [
        "Her trial came amid heightened tensions over Russia's invasion of Ukraine.",
        "Since the start of the war in Ukraine, prices of grain have risen.",
    ],
)
def test_arguments_topic_label_in_background_is_not_an_event(text):
    assert not [e for e in flashpoint.code_text(text, date="2022-06-01") if e.event_type == "ASSAULT"]


def test_arguments_asserted_nominal_event_is_still_coded():
    ev = _find(flashpoint.code_text("Russia's invasion of Ukraine has cost thousands of lives.", date="2022-06-01"), "ASSAULT")
    assert ev.source.code == "RUS" and ev.target.code == "UKR"


@pytest.mark.parametrize(
    "text,coded",
    [
        ("On December 17, Russia released security recommendations to the United States.", "REQUEST"),
        ("The rebels released two hostages on Friday.", "RETREAT"),
    ],
)
def test_arguments_release_of_documents_is_not_a_retreat(text, coded, every_candidate):
    # every candidate kept: this tests the reading of "release", not where the confidence threshold falls
    types = {e.event_type for e in every_candidate.code_text(text, date="2021-12-24")}
    assert coded in types
    if coded != "RETREAT":
        assert "RETREAT" not in types


def test_arguments_min_confidence_from_configuration_is_honoured():
    text = "Ukraine accused Russia of shelling a school. Officials discussed the topic at length."
    everything = Coder({"events": {"min_confidence": 0.0}}).code_text(text, date="2022-03-01")
    strict = Coder({"events": {"min_confidence": 0.9}}).code_text(text, date="2022-03-01")
    assert len(everything) > len(strict)
    assert all(e.confidence >= 0.9 for e in strict)
    assert any(e.confidence < 0.9 for e in everything)


@pytest.mark.parametrize(
    "text,modality",
    [
        ("Biden spoke of a potential incursion into Ukraine by Russian forces.", "hypothetical"),
        ("A Russian invasion of Ukraine becomes more likely every day.", "hypothetical"),
        ("The pending invasion of Ukraine by Russia worries Kyiv.", "future"),
    ],
)
def test_arguments_possible_or_planned_nominal_event_is_not_asserted(text, modality):
    ev = _find(flashpoint.code_text(text, date="2022-01-20"), "ASSAULT")
    assert ev.modality == modality


def test_arguments_year_on_a_nominal_event_is_not_the_publication_day():
    ev = _find(flashpoint.code_text("Russia's 2014 invasion of Crimea prompted sanctions.", date="2022-01-10"), "ASSAULT")
    assert ev.date is None and ev.date_text == "2014"


@pytest.mark.parametrize(
    "text,date_text",
    [("Putin previously invaded Ukraine to annex Crimea.", "previously"), ("Russia invaded Georgia years ago.", "years ago")],
)
def test_arguments_earlier_unnamed_time_leaves_the_date_null(text, date_text):
    ev = _find(flashpoint.code_text(text, date="2022-01-10"), "ASSAULT")
    assert ev.date is None and ev.date_text == date_text


def test_arguments_same_day_earlier_keeps_the_publication_date():
    ev = _find(flashpoint.code_text("Earlier, Russia attacked Kyiv.", date="2022-01-10"), "ASSAULT")
    assert ev.date is not None and ev.date.isoformat() == "2022-01-10"


@pytest.mark.parametrize(
    "text,modality",
    [
        ("Sanctions will not stop Russia from invading Ukraine.", "hypothetical"),
        ("The aim is to deter Putin from invading Ukraine.", "hypothetical"),
        ("Putin believes he can invade Ukraine without paying a price.", "hypothetical"),
        ("Russia invaded Ukraine on Thursday.", "asserted"),
    ],
)
def test_arguments_prevented_or_merely_possible_event_is_not_asserted(text, modality):
    assert _find(flashpoint.code_text(text, date="2022-02-25"), "ASSAULT").modality == modality


@pytest.mark.parametrize(
    "text,etype,modality",
    [
        ("Sullivan said Biden would press China on its support for Russia.", "REQUEST", "future"),  # reported future
        ("Sullivan said Biden would sanction Russia if it invaded.", "SANCTION", "hypothetical"),  # still conditional
        ("I can tell you that Russia attacked Kyiv on Monday.", "ASSAULT", "asserted"),  # the saying's modal
        # "made it clear that ... would": a saying too, also through "continue to"; future cooperation is AGREE
        ("Biden made it clear that the United States would continue to support Ukraine as it fights.", "AGREE", "future"),
        ("Biden made clear that Washington would sanction Moscow if it invaded.", "SANCTION", "hypothetical"),
    ],
)
def test_arguments_modality_of_reported_speech(text, etype, modality):
    assert _find(flashpoint.code_text(text, date="2022-03-01"), etype).modality == modality


@pytest.mark.parametrize("text, trigger", [
    ("Were Russia to invade Ukraine, the United States would impose severe sanctions on Moscow.", "invade"),
    ("Had Russia attacked Kyiv, NATO would have responded with force.", "attacked"),
    ("Should Moscow attack Ukraine, Washington will impose sanctions on Russia.", "attack"),
])
def test_inverted_conditional_clause_is_hypothetical(text, trigger):
    # a condition opened by its auxiliary, without "if"
    ev = next(e for e in flashpoint.code_text(text, date="2022-02-10") if e.trigger_text == trigger)
    assert ev.modality == "hypothetical"


def test_auxiliary_after_the_subject_is_not_a_condition():
    ev = next(e for e in flashpoint.code_text("Russia had attacked Kyiv before the talks, officials said.", date="2022-02-10")
              if e.trigger_text == "attacked")
    assert ev.modality == "asserted"


def test_arguments_actor_on_a_compound_of_a_nominal_trigger_is_its_source():
    # "Russian rocket strikes": "Russian" modifies "rocket", which is compounded with the trigger
    events = flashpoint.code_text("Russian rocket strikes in the city of Cherkasy killed one person, the governor said.", date="2022-10-10")
    strikes = _find(events, "ASSAULT", "strikes")
    assert strikes.source is not None and strikes.source.code == "RUS"
    # a plain weapon noun with no actor gives no source
    events = flashpoint.code_text("Heavy artillery strikes hit Kharkiv overnight.", date="2022-10-10")
    assert all(e.source is None for e in events if e.trigger_text == "strikes")


def test_arguments_subject_hung_on_a_subordinator_read_as_a_preposition():
    # the parser reads "as" as a preposition with "Russia" as its object; "accused" is left without a subject
    events = flashpoint.code_text("Relations have sometimes been strained as Russia in the past has accused the Chinese of "
                                  "stealing intellectual property.", date="2022-10-10")
    accuse = _find(events, "ACCUSE", "accused")
    assert accuse.source is not None and accuse.source.code == "RUS"
    # a shared subject through coordination is unaffected
    events = flashpoint.code_text("Russia has attacked Kharkiv and has seized the port.", date="2022-10-10")
    assert _find(events, "COERCE", "seized").source.code == "RUS"


@pytest.mark.parametrize("text, trigger, target_text", [
    ("Russian missiles pounded residential neighbourhoods overnight.", "pounded", "residential neighbourhoods"),
    ("The rebels occupied several villages last week.", "occupied", "several villages"),
    # a reduced passive relative: the noun it modifies undergoes the event
    ("Rescuers searched residential blocks bombarded by Russian rockets.", "bombarded", "residential blocks"),
])
def test_arguments_what_an_attack_acts_on_is_kept_as_its_target(text, trigger, target_text, every_candidate):
    # not an actor, so no code from the sentence; still returned with its text, never dropped
    etype = "COERCE" if trigger == "occupied" else "ASSAULT"
    ev = _find(every_candidate.code_text(text, date="2022-10-10"), etype, trigger)
    assert ev.target is not None and ev.target.text == target_text
    if trigger == "bombarded":
        assert ev.source is not None and ev.source.code == "RUS"  # the agent, not the modified noun


SETTING = ("Shelling continued around Kharkiv and Izium on Monday. Residents of Kharkiv sheltered in the metro. "
           "{sentence}")


@pytest.mark.parametrize("sentence, code", [
    ("Russian forces pounded residential neighbourhoods overnight.", "UKR"),  # the article is set in Ukraine
    ("Ukrainian forces pounded residential neighbourhoods overnight.", None),  # the setting is the source's own country
])
def test_arguments_unnamed_target_takes_the_articles_setting(sentence, code):
    events = flashpoint.code_text(SETTING.format(sentence=sentence), date="2022-10-10")
    ev = _find(events, "ASSAULT", "pounded")
    assert ev.target is not None and ev.target.code == code
    if code:
        assert "setting" in ev.target.resolution


def test_arguments_no_setting_without_a_dominant_country():
    text = "Talks were held in Geneva and in Istanbul. Russian forces pounded residential neighbourhoods overnight."
    ev = _find(flashpoint.code_text(text, date="2022-10-10"), "ASSAULT", "pounded")
    assert ev.target is not None and ev.target.code is None


@pytest.mark.parametrize("text", [
    "About 300 Russian soldiers were stationed at the plant, officials said.",
    "Russian troops stationed near the border are on alert.",
])
def test_arguments_passive_deployment_source_is_whose_forces_they_are(text):
    ev = _find(flashpoint.code_text(text, date="2022-10-10"), "MOBILIZE", "stationed")
    assert ev.source is not None and ev.source.code == "RUS"


@pytest.mark.parametrize("text, source, target", [
    ("The State Department said Russia should withdraw its forces from the plant.", "USA", "RUS"),
    ('"Kyiv must accept the new realities," the Kremlin said.', "RUS", "UKR"),
])
def test_arguments_what_another_actor_should_do_is_a_demand(text, source, target):
    events = flashpoint.code_text(text, date="2022-10-10")
    req = _find(events, "REQUEST")
    assert (req.source.code, req.target.code) == (source, target)
    assert req.modality == "asserted"
    assert not any(e.event_type == "RETREAT" for e in events)  # what is demanded is not coded again


@pytest.mark.parametrize("text", [
    "Biden said the United States should help its allies.",  # the speaker's own country: a pledge, not a demand
    "Analysts said Russia should expect more sanctions.",  # no resolved speaker
    "The State Department said Russia should not be trusted.",  # negated
])
def test_arguments_should_clauses_that_are_no_demand(text):
    assert not any(e.event_type == "REQUEST" for e in flashpoint.code_text(text, date="2022-10-10"))


@pytest.mark.parametrize("text, etype, source, target", [
    ("NASA lashed out at Russia over the test.", "ACCUSE", "USA", "RUS"),
    ('Ethiopia\'s government criticised as "unethical" the statement by the World Health Organization.', "ACCUSE", "ETH", "WHO"),
    # whose the requested thing is, is asked
    ("Ukrainian officials called for more U.S. weaponry.", "REQUEST", "UKR", "USA"),
    ("Kyiv asked for German tanks.", "REQUEST", "UKR", "DEU"),
    # "out of" names what is left
    ("Russian troops pulled out of Kherson.", "RETREAT", "RUS", "UKR"),
    # the partner on a phrase of the verb
    ("Jake Sullivan spoke by phone today with Russian presidential adviser Yuri Ushakov to follow up on the call.", "CONSULT", "USA", "RUS"),
    # whom the undone measure hit
    ("Washington eased sanctions on Venezuela last month.", "RETREAT", "USA", "VEN"),
    # the first actor in the threatened act
    ("Russia threatened to cut gas supplies to Europe.", "THREATEN", "RUS", "EUR"),
    # a noun's own prepositions first, an actor before a place
    ("Attacks by Ukrainian partisans in occupied areas against Russian officials have increased.", "ASSAULT", "UKR", "RUS"),
    ("The Government of Japan has been a leader in condemning Russia.", "ACCUSE", "JPN", "RUS"),  # subject of the copula
    ("Britain has been at the forefront of arming Ukraine.", "AID", "GBR", "UKR"),
    ('"We stand by Lithuania," the Polish president said.', "SUPPORT", "POL", "LTU"),  # stand by/with/behind
])
def test_arguments_source_and_target_from_phrases_of_the_event(text, etype, source, target):
    ev = _find(flashpoint.code_text(text, date="2022-10-10"), etype)
    assert (ev.source.code if ev.source else None, ev.target.code if ev.target else None) == (source, target)


@pytest.mark.parametrize("text, etype", [
    ("McDonald's pulled out of Russia in May.", "SANCTION"),  # a business pulling out: PLOVER SANCTION
    ("Several foreign companies suspended their operations in Russia.", "SANCTION"),
    ("Russian troops pulled out of Kherson.", "RETREAT"),  # forces pulling out stay a RETREAT
])
def test_arguments_business_withdrawal_is_a_sanction(text, etype):
    events = flashpoint.code_text(text, date="2022-10-10")
    assert etype in {e.event_type for e in events}, [(e.event_type, e.trigger_text) for e in events]
    assert not ({"RETREAT", "CONCEDE"} - {etype}) & {e.event_type for e in events}


def test_arguments_should_in_a_judgement_is_no_demand_and_the_judgement_is_asserted():
    # the actors sit inside the subject: nothing is asked of them; the speaker's judgement is an accusation made now
    text = 'A State Department spokesman said the deepening of ties between Moscow and Tehran should be seen as "a profound threat."'
    events = flashpoint.code_text(text, date="2022-10-10")
    assert not any(e.event_type == "REQUEST" for e in events)
    accuse = _find(events, "ACCUSE")
    assert accuse.source.code == "USA" and accuse.modality == "asserted"


@pytest.mark.parametrize("text, target", [
    ("The former speaker sounded off on President Biden for showing weakness.", "USA"),
    ("The senator railed against the Kremlin's decision.", "RUS"),
])
def test_arguments_phrasal_criticism(text, target):
    ev = _find(flashpoint.code_text(text, date="2022-10-10"), "ACCUSE")
    assert ev.target is not None and ev.target.code == target


@pytest.mark.parametrize("text, etype, target", [
    ("The U.S. government accelerated support to the Ukrainian health system.", "AID", "UKR"),  # given: material
    ("Washington announced new military support for Ukraine.", "AID", "UKR"),
    ("Germany voiced support for Ukraine's bid to join the EU.", "SUPPORT", "UKR"),  # said: political
])
def test_arguments_material_support_is_aid_and_its_beneficiary_the_target(text, etype, target):
    ev = _find(flashpoint.code_text(text, date="2022-10-10"), etype)
    assert ev.target is not None and ev.target.code == target


def test_arguments_nationality_on_a_target_names_whose_it_is():
    ev = _find(flashpoint.code_text("Russian missiles struck the Ukrainian capital overnight.", date="2022-10-10"), "ASSAULT")
    assert (ev.target.text, ev.target.code) == ("the Ukrainian capital", "UKR")
    # a bare thing without a nationality stays unresolved
    ev = _find(flashpoint.code_text("Russian missiles struck the old bridge overnight.", date="2022-10-10"), "ASSAULT")
    assert ev.target is None or ev.target.code is None


@pytest.mark.parametrize("text, etype, source, target_text", [
    ("Navalny's arrest drew condemnation from Washington.", "COERCE", None, "Navalny"),  # the possessor is arrested
    ("Russia's arrest of Griner angered Washington.", "COERCE", "RUS", "Griner"),  # with an "of" object it acts
    ("Russia's invasion of Ukraine began in February.", "ASSAULT", "RUS", "Ukraine"),  # other nouns: it acts
])
def test_arguments_possessor_of_a_nominalised_act(text, etype, source, target_text):
    ev = _find(flashpoint.code_text(text, date="2022-10-10"), etype)
    assert (ev.source.code if ev.source else None) == source
    assert ev.target is not None and ev.target.text == target_text


def test_arguments_criticism_drawn_from_someone_is_theirs():
    ev = _find(flashpoint.code_text("The annexation drew condemnation from Washington.", date="2022-10-10"), "ACCUSE")
    assert ev.source is not None and ev.source.code == "USA"


def test_arguments_what_someone_warns_others_may_do_is_not_the_threats_target():
    events = flashpoint.code_text("Lavrov warned that the expansion could lead to a confrontation in Europe.", date="2021-12-24")
    assert all(e.target is None or e.target.code != "EUR" for e in events if e.trigger_text == "warned")


@pytest.mark.parametrize("text, code", [
    ("Dmitry Rogozin, the head of Russia's space agency, threatened to cut cooperation with NASA.", "RUS"),  # a role
    ("Bill Browder, a critic of the Kremlin, accused Dubai of laundering money.", None),  # not a role: no code
])
def test_arguments_unknown_name_takes_the_code_of_its_role_apposition(text, code):
    events = flashpoint.code_text(text, date="2022-10-10")
    ev = next(e for e in events if e.event_type in ("THREATEN", "ACCUSE"))
    assert ev.source is not None and ev.source.code == code


@pytest.mark.parametrize("text, etype, target", [
    ("Ukraine swapped more than 100 prisoners with Russia.", "RETREAT", "RUS"),  # a resolved actor before a group
    ("Russian forces withdrew from Kherson with their equipment.", "RETREAT", "UKR"),  # a place the NER left unresolved
])
def test_arguments_resolved_target_preferred(text, etype, target):
    ev = _find(flashpoint.code_text(text, date="2022-11-11"), etype)
    assert ev.target is not None and ev.target.code == target


@pytest.mark.parametrize("text, etype", [
    ("Lithuania started blocking the transit of goods to Kaliningrad.", "SANCTION"),  # goods, not a resolution
    ("Russian troops helped themselves to radioactive materials at the plant.", "COERCE"),  # took, did not aid
])
def test_arguments_object_decides_the_reading_of_block_and_help(text, etype):
    events = flashpoint.code_text(text, date="2022-06-20")
    ev = _find(events, etype)
    assert ev.target is None or not (ev.target.text or "").endswith(("self", "selves"))
    assert not any(e.event_type in ("REJECT", "AID") for e in events)


def test_arguments_digging_trenches_is_a_deployment():
    ev = _find(flashpoint.code_text("Russian forces dug trenches near the plant.", date="2022-04-20"), "MOBILIZE", "dug")
    assert ev.source is not None and ev.source.code == "RUS"


@pytest.mark.parametrize("text, source, target", [
    ('"We are deeply concerned about Russia\'s actions," Blinken said.', "USA", "RUS"),
    ("Japan is deeply concerned about China's military drills.", "JPN", "CHN"),  # who feels it says so
])
def test_arguments_concern_about_another_actor_is_an_accusation(text, source, target):
    ev = _find(flashpoint.code_text(text, date="2022-08-05"), "ACCUSE")
    assert (ev.source.code, ev.target.code, ev.mode) == (source, target, "disapprove")


def test_arguments_approval_of_another_actor_is_support(every_candidate):
    coder = every_candidate  # judged events are kept at low confidence
    text = 'Volodymyr Zelensky said he was "very happy" Boris Johnson remained prime minister.'
    ev = _find(coder.code_text(text, date="2022-06-07"), "SUPPORT")
    assert (ev.source.code, ev.target.code) == ("UKR", "GBR")
    assert not coder.code_text("Biden said he was not happy with Germany.", date="2022-06-07")  # negated


def test_arguments_a_date_modifier_is_not_the_source_of_a_nominal_event():
    ev = _find(flashpoint.code_text("The law followed the May 17th Iraqi missile attack on the U.S. frigate Stark.", date="1987-06-01"),
               "ASSAULT", "attack")
    assert (ev.source.code, ev.target.code) == ("IRQ", "USA")


def test_arguments_in_touch_with_is_consultation():
    ev = _find(flashpoint.code_text("Washington is in touch with Russian officials at a range of levels.", date="2022-02-01"), "CONSULT")
    assert ev.target is not None and ev.target.code == "RUS"


# ---------------------------------------------------------------------------------------------- session 5
@pytest.mark.parametrize("text, etype, source, target", [
    ("Biden called Putin a war criminal.", "ACCUSE", "USA", "RUS"),
    ("Macron called Zelensky a hero.", "SUPPORT", "FRA", "UKR"),  # a name that praises
])
def test_arguments_naming_another_actor_something_is_a_judgement(every_candidate, text, etype, source, target):
    events = every_candidate.code_text(text, date="2022-03-17")
    ev = _find(events, etype, "called")
    assert (ev.source.code, ev.target.code) == (source, target)
    assert not any(e.event_type == "CONSULT" for e in events)  # naming is no phone call


def test_arguments_naming_a_thing_is_no_phone_call(every_candidate):
    events = every_candidate.code_text("Lavrov called the sanctions a declaration of economic war.", date="2022-03-01")
    assert not any(e.event_type == "CONSULT" for e in events)


@pytest.mark.parametrize("text, source, target", [
    ("Biden said he was open to meeting Xi.", "USA", "CHN"),
    ("Russia is ready to hold talks with Ukraine.", "RUS", "UKR"),
])
def test_arguments_readiness_to_meet_is_an_agreement(every_candidate, text, source, target):
    ev = _find(every_candidate.code_text(text, date="2022-11-01"), "AGREE")
    assert ev.modality == "future"
    assert (ev.source.code, ev.target.code) == (source, target)  # who is ready: the copula's subject


@pytest.mark.parametrize("text, expected", [
    ("Republicans said the White House was weak on China.", True),  # the opposition judges the government
    ("Biden said America faced a dangerous enemy.", False),  # a government speaking of its own country
])
def test_arguments_judgement_of_another_part_of_the_same_state(every_candidate, text, expected):
    events = every_candidate.code_text(text, date="2022-03-01")
    found = [e for e in events if e.event_type == "ACCUSE" and e.target is not None and e.target.code == "USA"]
    assert bool(found) is expected


def test_arguments_a_charity_asking_its_government_is_a_request(every_candidate):
    text = "A British charity said the British government should expand the scheme."
    ev = _find(every_candidate.code_text(text, date="2022-05-01"), "REQUEST")
    assert (ev.source.code, ev.target.code, ev.modality) == ("GBR", "GBR", "asserted")
    assert not [e for e in every_candidate.code_text("Biden said America must lead the world.", date="2022-05-01")
                if e.event_type == "REQUEST" and e.target is not None and e.target.code == "USA"]


@pytest.mark.parametrize("text, keep", [
    ("Officials say the wave of expulsions will weaken Russian intelligence.", True),  # an act, actors implicit
    ("Any attack on a nuclear plant is a suicidal act.", True),
    ("The war has changed everything.", False),  # a topic label
    ("The army bought new assault rifles.", False),  # a noun that classifies another
    ("Britain will help develop these high-speed killing machines.", False),  # the same, parsed as a modifier
])
def test_arguments_noun_events_without_actors(every_candidate, text, keep):
    events = every_candidate.code_text(text, date="2022-04-01")
    nominal = [e for e in events if e.trigger_text.lower() in ("expulsions", "attack", "war", "assault", "killing") and e.source is None and e.target is None]
    assert bool(nominal) is keep


@pytest.mark.parametrize("text, etype", [
    ("Washington will squeeze Russia's access to credit for years.", "SANCTION"),
    ("The decree denied material support to the Cuban government.", "SANCTION"),  # not a refusal of a request
    ("Ukrainian soldiers took down a Russian jet with a missile.", "ASSAULT"),
])
def test_arguments_restricting_and_downing_verbs(every_candidate, text, etype):
    events = every_candidate.code_text(text, date="2022-04-01")
    assert max(events, key=lambda e: e.confidence).event_type == etype


def test_arguments_implicit_side_comes_from_the_article(every_candidate):
    text = ("Russian troops attacked Ukrainian positions near Izium on Monday. "
            "Russian artillery struck Ukrainian villages near Kharkiv. "
            "The shelling of the Azovstal plant in Mariupol went on all night.")
    events = every_candidate.code_text(text, date="2022-05-03")
    ev = _find(events, "ASSAULT", "shelling")
    assert ev.source is not None and ev.source.code == "RUS" and ev.source.kind == "implied"
    assert "implied by the article" in ev.source.resolution and ev.source.text is None


def test_arguments_implicit_side_not_guessed_without_evidence(every_candidate):
    alone = every_candidate.code_text("The shelling of the Azovstal plant in Mariupol went on all night.", date="2022-05-03")
    assert all(e.source is None or e.source.kind != "implied" for e in alone)
    # two attackers of Ukraine seen once each: a tie, nothing is filled in
    tie = every_candidate.code_text(
        "Russian troops attacked Ukrainian positions near Izium. Belarusian troops attacked Ukrainian positions near "
        "Chernihiv. The shelling of the Azovstal plant went on all night.", date="2022-05-03")
    ev = _find(tie, "ASSAULT", "shelling")
    assert ev.source is None or not ev.source.code


@pytest.mark.parametrize("text, trigger, source", [
    ("Russian troops were near the Ukrainian border on Monday.", "were", "RUS"),
    ("Russian warships arrived in the Black Sea.", "arrived", "RUS"),  # forces arriving do not visit
    ("Ukrainian soldiers remained in the city.", "remained", "UKR"),
])
def test_arguments_forces_moving_or_in_place_are_mobilized(every_candidate, text, trigger, source):
    events = every_candidate.code_text(text, date="2022-02-14")
    ev = _find(events, "MOBILIZE", trigger)
    assert ev.source is not None and ev.source.code == source
    assert not any(e.event_type == "CONSULT" for e in events)


def test_arguments_a_person_somewhere_is_no_deployment(every_candidate):
    events = every_candidate.code_text("The French president was in Kyiv on Monday.", date="2022-02-14")
    assert not any(e.event_type == "MOBILIZE" for e in events)


def test_arguments_forces_seen_somewhere_are_mobilized(every_candidate):
    events = every_candidate.code_text("Inspectors saw Russian military vehicles and equipment at the plant.", date="2022-09-06")
    ev = _find(events, "MOBILIZE")
    assert ev.source is not None and ev.source.code == "RUS"
    assert not any(e.event_type == "MOBILIZE" for e in every_candidate.code_text("We saw the president at the summit.", date="2022-09-06"))


def test_arguments_travelling_to_do_something_is_that_something(every_candidate):
    events = every_candidate.code_text("Iranian personnel travelled to Crimea to help Russia operate the drones.", date="2022-10-20")
    assert not any(e.event_type == "CONSULT" for e in events)
    assert _find(events, "AID", "help").source.code == "IRN"
    visit = every_candidate.code_text("Blinken travelled to Kyiv on Monday.", date="2022-10-20")
    assert _find(visit, "CONSULT").source.code == "USA"  # a trip with no purpose named stays a visit


@pytest.mark.parametrize("text", [
    "Russia's missile attack on Odesa casts serious doubt on Moscow's commitment to the deal, Blinken said.",
    "Blinken said Russia's bombing of the port was a reckless provocation.",
])
def test_arguments_a_judgement_outranks_the_event_it_judges(every_candidate, text):
    events = every_candidate.code_text(text, date="2022-07-24")
    top = max(events, key=lambda e: e.confidence)
    assert (top.event_type, top.source.code, top.target.code) == ("ACCUSE", "USA", "RUS")
    assert any(e.event_type == "ASSAULT" for e in events)  # the attack is still coded, below the judgement


def test_arguments_a_town_shelled_is_the_target_country(every_candidate):
    ev = _find(every_candidate.code_text("Russian forces shelled Bakhmut on Monday.", date="2022-12-01"), "ASSAULT")
    assert ev.target is not None and ev.target.code == "UKR"
    assert ev.location is not None and ev.location["name"] == "Bakhmut"


def test_arguments_battling_a_crisis_is_no_attack(every_candidate):
    assert not any(e.event_type == "ASSAULT" for e in every_candidate.code_text("Haiti battles multiple crises at home.", date="2022-08-01"))


def test_arguments_implied_sides_can_be_switched_off():
    text = ("Russian troops attacked Ukrainian positions near Izium on Monday. "
            "Russian artillery struck Ukrainian villages near Kharkiv. "
            "The shelling of the Azovstal plant in Mariupol went on all night.")
    coder = Coder({"events": {"min_confidence": 0.0, "implied_sides": False}})
    ev = _find(coder.code_text(text, date="2022-05-03"), "ASSAULT", "shelling")
    assert ev.source is None or ev.source.kind != "implied"


def test_arguments_what_a_rule_forbids_is_not_asserted(every_candidate):
    events = every_candidate.code_text("The Geneva Convention prohibits attacks on nuclear facilities.", date="2022-08-09")
    assert _find(events, "ASSAULT", "attacks").modality == "hypothetical"
    assert _find(every_candidate.code_text("Russia attacked the nuclear plant.", date="2022-08-09"), "ASSAULT").modality == "asserted"


def test_arguments_a_place_where_the_agent_was_is_not_the_agent(every_candidate):
    # "in Kyiv" says where the missile struck: not who fired it; the place is the event's location and so the
    # country of the unresolved target
    strike = _find(every_candidate.code_text("A residential building was struck by a missile in Kyiv on Saturday.",
                                             date="2022-05-01"), "ASSAULT", "struck")
    assert strike.source is None or strike.source.code != "UKR"
    assert strike.location is not None and strike.location["country"] == "UKR"
    assert strike.target is not None and strike.target.code == "UKR"
    # a place inside the undergoing phrase gives the location too
    hit = _find(every_candidate.code_text("A school in Kharkiv was hit by Russian shells.", date="2022-05-01"),
                "ASSAULT", "hit")
    assert hit.source.code == "RUS" and hit.location["country"] == "UKR"
    # a body that is one mention with its seat still counts ("officials in Moscow")
    denial = _find(every_candidate.code_text("Officials in Moscow denied the report.", date="2022-05-01"), "REJECT")
    assert denial.source.code == "RUS"


def test_arguments_being_critical_of_another_actor_accuses_it(every_candidate):
    events = every_candidate.code_text("China was critical of Washington's sanctions on Russia.", date="2022-05-01")
    accuse = _find(events, "ACCUSE", "critical")
    assert (accuse.source.code, accuse.target.code) == ("CHN", "USA")


def test_arguments_a_topic_is_not_an_event(every_candidate):
    # "the question of sanctions" names what the sentence is about; no sanctions are imposed in it
    events = every_candidate.code_text("On the question of sanctions, China was sharply critical.", date="2022-05-01")
    assert not [e for e in events if e.event_type == "SANCTION"]


def test_arguments_stressing_the_need_for_something_asks_for_it(every_candidate):
    events = every_candidate.code_text("Scholz stressed the need for a ceasefire in Ukraine.", date="2022-05-01")
    request = _find(events, "REQUEST", "stressed")
    assert request.source.code == "DEU"
    # the content of the appeal is not coded again
    assert not [e for e in events if e.trigger_text == "ceasefire"]
    # stressing the importance of something values it; it asks for nothing
    events = every_candidate.code_text("Participants underscored the importance of unity.", date="2022-05-01")
    assert not [e for e in events if e.event_type == "REQUEST"]


@pytest.mark.parametrize(("text", "source", "target"), [
    ("Turkey said its disputes with Greece should be solved through negotiations.", "TUR", "GRC"),
    ("Sanctions on Russia must be tightened, Zelensky said.", "UKR", "RUS"),
])
def test_arguments_a_passive_demand_targets_the_other_side_it_names(every_candidate, text, source, target):
    events = every_candidate.code_text(text, date="2022-05-01")
    request = _find(events, "REQUEST")
    assert (request.source.code, request.target.code) == (source, target)
    assert not [e for e in events if e.event_type == "SANCTION"]  # the content of the demand is not coded again


@pytest.mark.parametrize("text", [
    "Patel said the deepening of relations between Moscow and Tehran should be seen as a profound threat.",
    "Mistakes should be avoided, he said.",
])
def test_arguments_a_passive_judgement_or_a_demand_naming_no_other_side_is_no_request(every_candidate, text):
    assert not [e for e in every_candidate.code_text(text, date="2022-05-01")
                if e.event_type == "REQUEST" and e.trigger_text != "must"]


def test_arguments_the_us_told_what_it_must_do_is_not_the_pronoun_us(every_candidate):
    events = every_candidate.code_text("The Egyptian president said that the US must be ready to mediate.", date="2000-05-01")
    request = _find(events, "REQUEST")
    assert (request.source.code, request.target.code) == ("EGY", "USA")


@pytest.mark.parametrize(("text", "trigger", "side", "code"), [
    ("Opposition groups in Zimbabwe are demanding that Mugabe resign.", "demanding", "source", "ZWE"),
    ("France is ready to contribute troops to a peacekeeping force in Liberia.", "contribute", "target", "LBR"),
])
def test_arguments_a_place_inside_an_argument_names_its_actor(every_candidate, text, trigger, side, code):
    # only the passive's agent ("struck by a missile in Kyiv") is kept apart from the place it is in
    ev = next(e for e in every_candidate.code_text(text, date="2000-05-01") if e.trigger_text == trigger)
    assert getattr(ev, side).code == code


def test_arguments_a_person_the_dictionary_does_not_know_still_demands(every_candidate):
    events = every_candidate.code_text("Chirac said that Iraq must cooperate fully with UN inspectors.", date="2000-05-01")
    request = _find(events, "REQUEST")
    assert request.source.text == "Chirac" and request.source.code is None  # kept, not guessed
    assert request.target.code == "IRQ"
    assert not [e for e in events if e.event_type == "COOPERATE"]  # what is demanded is not coded again


@pytest.mark.parametrize(("text", "trigger", "source"), [
    ("The US Navy sent an aircraft carrier group to the Mediterranean.", "sent", "USA"),  # a group of ships
    ("Russia deployed dozens of warships to the Black Sea.", "deployed", "RUS"),  # what the quantity is of
    ("Thousands of Russian soldiers have been moved to the southern front.", "moved", "RUS"),  # whose forces
    ("Finland raised its alert as Russian troops gathered near the border.", "gathered", "RUS"),  # not a rally
])
def test_arguments_forces_sent_moved_or_gathering_are_mobilised(every_candidate, text, trigger, source):
    ev = next(e for e in every_candidate.code_text(text, date="2022-05-01") if e.trigger_text == trigger)
    assert ev.event_type == "MOBILIZE" and ev.source.code == source


def test_arguments_protesters_somewhere_are_that_countrys_people(every_candidate):
    protest = _find(every_candidate.code_text("Thousands of protesters gathered in central Tbilisi.", date="2022-05-01"),
                    "PROTEST")
    assert (protest.source.code, protest.target.code) == ("GEO", "GEO")
    assert protest.source.kind == "place"
    # a protest that names what it is against keeps it
    events = every_candidate.code_text("Demonstrators rallied outside the Russian embassy in London.", date="2022-05-01")
    assert _find(events, "PROTEST").target.code == "RUS"


def test_arguments_a_month_is_not_an_event_and_a_topic_gets_no_place_actor(every_candidate):
    events = every_candidate.code_text("The two leaders spoke by phone in March.", date="2022-05-01")
    assert not [e for e in events if e.trigger_text == "March"]
    # "the invasion" names a topic; the rally's place does not make it an attack on that country
    events = every_candidate.code_text("Demonstrators rallied in London against the invasion.", date="2022-05-01")
    assert not [e for e in events if e.trigger_text == "invasion"]


@pytest.mark.parametrize(("text", "etype", "source", "target"), [
    ("Stoltenberg warned that Russia's nuclear rhetoric was dangerous.", "ACCUSE", "NATO", "RUS"),  # judges conduct
    ("Biden warned Russia that it would face severe consequences.", "THREATEN", "USA", "RUS"),  # own action
    ("Moscow said Kyiv was responsible for the attack on the bridge.", "ACCUSE", "RUS", "UKR"),  # blame
    ("Britain said Russia bears full responsibility for the famine risk.", "ACCUSE", "GBR", "RUS"),
    ("Estonia views Russia as the biggest threat to its security.", "ACCUSE", "EST", "RUS"),  # seeing X as a threat
])
def test_arguments_judging_another_actor(every_candidate, text, etype, source, target):
    events = every_candidate.code_text(text, date="2022-05-01")
    top = max(events, key=lambda e: e.confidence)
    assert (top.event_type, top.source.code, top.target.code) == (etype, source, target)


def test_arguments_describing_something_judges_only_with_a_judging_word(every_candidate):
    events = every_candidate.code_text("Zelensky described the strike as an act of terror.", date="2022-05-01")
    assert _find(events, "ACCUSE", "described").source.code == "UKR"
    assert not every_candidate.code_text("The minister described the situation as stable.", date="2022-05-01")


@pytest.mark.parametrize(("text", "trigger", "etype"), [
    ("Russia and Belarus held military exercises near the Ukrainian border.", "exercises", "COOPERATE"),  # together
    ("China and Russia staged naval drills in the Sea of Japan.", "drills", "COOPERATE"),  # the sea is not Japan
    ("Russia held military exercises near the border.", "exercises", "MOBILIZE"),  # one state alone
    ("Egypt sent tanks and troops to the Sinai border.", "sent", "MOBILIZE"),  # no one receives them: deployed
    ("The US sent tanks to Ukraine.", "sent", "AID"),  # a recipient: aid
    ("Kim Jong Un's army fired a hypersonic missile in a test.", "fired", "MOBILIZE"),  # a test, not an attack
    ("Lithuania declared a state of readiness for its rapid reaction force.", "state", "MOBILIZE"),
])
def test_arguments_exercises_deployments_and_tests(every_candidate, text, trigger, etype):
    ev = next(e for e in every_candidate.code_text(text, date="2022-05-01") if e.trigger_text == trigger)
    assert ev.event_type == etype
    if "Sea of Japan" in text:
        assert ev.target is None or ev.target.code != "JPN"


@pytest.mark.parametrize(("text", "etype", "modality"), [
    ("Our people will not surrender.", "REJECT", "asserted"),  # refusing to yield
    ("Moscow won't withdraw its troops from Crimea, Peskov said.", "REJECT", "asserted"),
    ("Kyiv will not recognise the annexation.", "REJECT", "asserted"),  # refusing to cooperate
    ("Russia did not withdraw its troops.", "RETREAT", "negated"),  # a fact that did not happen is no refusal
])
def test_arguments_announcing_one_will_not_yield_refuses(every_candidate, text, etype, modality):
    top = max(every_candidate.code_text(text, date="2022-05-01"), key=lambda e: e.confidence)
    assert (top.event_type, top.modality) == (etype, modality)


def test_arguments_weapon_names_are_what_is_sent():
    events = flashpoint.code_text("The United States couldn't send them Stingers.", date="2022-05-01")
    assert [(e.event_type, e.modality) for e in events] == [("AID", "negated")]


def test_arguments_who_is_scheduled_to_act_acts(every_candidate):
    events = every_candidate.code_text(
        "Secretary Blinken and Foreign Minister Lavrov are scheduled to meet later this week in Europe.", date="2022-02-20")
    meeting = _find(events, "AGREE")
    # the two who are to meet act with one another: the first with the second, either way round
    assert (meeting.source.code, meeting.target.code, meeting.reciprocal) == ("USA", "RUS", True)
    events = every_candidate.code_text("Macron is scheduled to see Chancellor Scholz on Friday.", date="2022-02-20")
    meeting = _find(events, "AGREE")
    assert (meeting.source.code, meeting.target.code) == ("FRA", "DEU")


def test_arguments_a_war_somewhere_is_a_topic_but_a_states_war_is_an_event(every_candidate):
    events = every_candidate.code_text("Kovalenko, a veteran of the war in Afghanistan, said he had heard such sounds.",
                                       date="2022-05-01")
    assert not [e for e in events if e.trigger_text == "war"]
    events = every_candidate.code_text("Russia's war in Ukraine has killed thousands.", date="2022-05-01")
    assert _find(events, "ASSAULT", "war").source.code == "RUS"


def test_arguments_rallying_the_world_is_support_not_a_rally(every_candidate):
    events = every_candidate.code_text("Zelenskyy is rallying Europe and the world.", date="2022-05-01")
    assert {e.event_type for e in events} == {"SUPPORT"}


def test_arguments_what_another_should_know_is_a_warning(every_candidate):
    events = every_candidate.code_text(
        "'Tehran should realise that the consequences will be much greater than the benefit,' Nikolenko said.",
        date="2022-10-01")
    threat = _find(events, "THREATEN", "realise")
    assert threat.target.code == "IRN"
    assert not [e for e in events if e.event_type == "REQUEST"]


def test_arguments_the_war_another_event_answers_is_its_setting(every_candidate):
    events = every_candidate.code_text("Kyiv asked for more help to fight back against Putin's invasion.", date="2022-05-01")
    assert not [e for e in events if e.trigger_text == "invasion"]
    # the same noun as the news itself stays
    events = every_candidate.code_text("Russia's invasion of Ukraine killed thousands.", date="2022-05-01")
    assert _find(events, "ASSAULT", "invasion").source.code == "RUS"


# ---------------------------------------------------------------------------------------------- session 7
def test_arguments_calling_an_act_a_crime_accuses_not_requests(every_candidate):
    # the parser makes "the strike" and "a war crime" both objects of "Calling"; "on a prison" is no "call on"
    text = ("Calling the strike on a prison in a Russian-controlled territory a war crime, Zelenskyy said Moscow "
            "must be held to account.")
    events = every_candidate.code_text(text, date="2022-07-30")
    ev = _find(events, "ACCUSE", "Calling")
    assert (ev.source.code, ev.target.code) == ("UKR", "RUS")
    assert not any(e.event_type == "REQUEST" and e.trigger_text == "Calling" for e in events)
    assert _find(every_candidate.code_text("The EU called on Russia to withdraw its troops.", date="2022-03-01"),
                 "REQUEST", "called").target.code == "RUS"


@pytest.mark.parametrize("text", ["Lavrov called the talks useful.", "The minister called the meeting productive."])
def test_arguments_a_name_that_does_not_judge_is_no_accusation(every_candidate, text):
    assert not any(e.event_type == "ACCUSE" for e in every_candidate.code_text(text, date="2022-03-01"))


@pytest.mark.parametrize("text, judged, modality", [
    ("The EU condemned Russia's missile strikes on Kyiv.", "strikes", "asserted"),  # condemning takes the act as given
    ("Germany condemned the shelling of the Zaporizhzhia plant by Russian forces.", "shelling", "asserted"),
    ("Ukraine accused Russia of shelling the plant.", "shelling", "alleged"),  # an accusation alleges it
])
def test_arguments_what_is_condemned_happened_what_is_accused_is_alleged(every_candidate, text, judged, modality):
    events = every_candidate.code_text(text, date="2022-10-10")
    assert _find(events, "ACCUSE").modality == "asserted"
    assert _find(events, "ASSAULT", judged).modality == modality


@pytest.mark.parametrize("text, target", [
    ("Ukraine retook the town of Lyman on Saturday.", None),  # the town is Ukraine's own: no target in the sentence
    ("Ukrainian troops liberated Izium from Russian forces.", "RUS"),  # whom it was taken from
])
def test_arguments_retaking_own_ground_does_not_target_it(every_candidate, text, target):
    ev = _find(every_candidate.code_text(text, date="2022-10-01"), "ASSAULT")
    assert ev.source.code == "UKR"
    assert (ev.target.code if ev.target else None) == target
    assert _find(every_candidate.code_text("Russian forces captured Lyman.", date="2022-05-27"), "ASSAULT").target.code == "UKR"


def test_arguments_a_judgement_naming_no_one_targets_whoever_did_the_act(every_candidate):
    # the recognition is Russia's (from the article); calling it a violation accuses Russia, and takes it as given
    text = ("Putin announced Russia's recognition of the two separatist republics in eastern Ukraine. The European "
            "Union's leaders called the recognition a blatant violation of international law.")
    events = every_candidate.code_text(text, date="2022-02-22")
    accuse = _find(events, "ACCUSE", "called")
    assert (accuse.source.code, accuse.target.code) == ("EUR", "RUS")
    assert "whose act is judged" in accuse.target.resolution
    judged = [e for e in events if e.event_type == "SUPPORT" and e.sentence == 1]
    assert judged and all(e.modality == "asserted" for e in judged)


@pytest.mark.parametrize("text, etype, source, target", [
    ("Working with Russia, China plans to build a lunar research station by 2035.", "COOPERATE", "CHN", "RUS"),
    ("U.N. officials were actively engaged with Russian officials on the grain deal.", "CONSULT", "UNO", "RUS"),
    ("Russian troops engaged Ukrainian forces near Bakhmut.", "ASSAULT", "RUS", "UKR"),  # combat, not talks
])
def test_arguments_working_and_engaging_with_another(every_candidate, text, etype, source, target):
    ev = _find(every_candidate.code_text(text, date="2022-10-01"), etype)
    assert (ev.source.code, ev.target.code) == (source, target)


@pytest.mark.parametrize("text, code", [
    ("Prime Minister Boris Johnson admitted the West was too slow to act over Russian aggression.", "GBR"),
    ("The Kremlin acknowledged that its forces had suffered significant losses.", "RUS"),
    ("Kyiv recognized that the counteroffensive had failed to break through.", "UKR"),  # no recognition of a state
])
def test_arguments_admitting_a_failing_concedes(every_candidate, text, code):
    events = every_candidate.code_text(text, date="2022-10-01")
    assert _find(events, "CONCEDE").source.code == code
    assert not any(e.event_type == "SUPPORT" for e in events)


def test_arguments_admitting_a_fact_is_only_reporting(every_candidate):
    events = every_candidate.code_text("The minister acknowledged that talks took place in Istanbul.", date="2022-03-30")
    assert not any(e.event_type == "CONCEDE" for e in events)


@pytest.mark.parametrize("text, etype", [
    ("Zelensky pressed Scholz to send tanks.", "REQUEST"),
    ("Poland pressed for more sanctions.", "REQUEST"),
    ("Russian forces pressed their offensive in the Donbas.", "ASSAULT"),
    ("The Kremlin continues to press by sheer mass.", None),  # pressing on, no one pressed: no demand
])
def test_arguments_pressing_someone_or_an_offensive(every_candidate, text, etype):
    found = {e.event_type for e in every_candidate.code_text(text, date="2022-10-01") if e.trigger_text == "pressed" or e.trigger_text == "press"}
    assert found == ({etype} if etype else set())


def test_arguments_implied_sides_fill_extra_events_without_counting_them():
    # an act judged but not kept (under the threshold) gets its side from the kept events; it adds no count
    import datetime as dt

    from flashpoint.models import Article
    from flashpoint.nlp.events import IMPLIED_RESOLUTION, _implied_sides
    from flashpoint.testing import make_event

    art = Article(id="x", text="attacked shelled struck hit", date=dt.date(2022, 3, 1), outlet="Wire")
    kept = [make_event(art, trigger=t) for t in ("attacked", "shelled")]  # RUS -> UKR twice
    judged = make_event(art, trigger="struck", source=None, target="UKR")
    stray = make_event(art, trigger="hit", source="BLR", target=None)  # BLR never seen: nothing to fill
    _implied_sides(kept, extra=[judged, stray])
    assert judged.source.code == "RUS" and judged.source.resolution.startswith(IMPLIED_RESOLUTION)
    assert stray.target is None
    assert all(e.source.resolution is None or not e.source.resolution.startswith(IMPLIED_RESOLUTION) for e in kept)


@pytest.mark.parametrize("text, etype", [
    ("No country is threatening Russia or President Putin, Cleverly told lawmakers.", "THREATEN"),
    ("Nobody attacked the convoy.", "ASSAULT"),
    ("No Russian troops crossed the border, the ministry said.", "MOBILIZE"),
])
def test_arguments_an_act_done_by_no_one_is_negated(every_candidate, text, etype):
    assert _find(every_candidate.code_text(text, date="2022-10-01"), etype).modality == "negated"


@pytest.mark.parametrize("text, stance, act", [
    ("Putin said he did not regret the strikes.", "regret", "strikes"),
    ("Moscow has not apologised for the attack.", "apologised", "attack"),
])
def test_arguments_not_regretting_an_act_rejects_and_the_act_stays_asserted(every_candidate, text, stance, act):
    events = every_candidate.code_text(text, date="2022-10-20")
    assert _find(events, "REJECT", stance).modality == "asserted"
    assert _find(events, "ASSAULT", act).modality == "asserted"  # what is (not) regretted happened


def test_arguments_recognising_that_something_is_so_is_no_recognition(every_candidate):
    events = every_candidate.code_text("Putin recognized that what is happening now is unpleasant.", date="2022-10-20")
    assert not any(e.event_type == "SUPPORT" for e in events)
    assert _find(every_candidate.code_text("Russia recognized the independence of the two republics.", date="2022-02-21"),
                 "SUPPORT", "recognized").source.code == "RUS"


@pytest.mark.parametrize("text, modality", [
    ("Russian troops left Kherson on Friday.", "asserted"),
    ("Energoatom said Russian forces were planning to leave the territory.", "future"),  # subject of "planning"
])
def test_arguments_forces_leaving_a_place_withdraw(every_candidate, text, modality):
    ev = [e for e in every_candidate.code_text(text, date="2022-11-11") if e.trigger_text in ("left", "leave")]
    assert ev and ev[0].source.code == "RUS" and ev[0].modality == modality
    assert ev[0].confidence > 0.4 and ev[0].event_type in ("RETREAT", "CONCEDE")  # a withdrawal, or its promise


@pytest.mark.parametrize("text, expected", [
    ("The Kremlin shrugged off the new sanctions.", "REJECT"),
    ("Putin declared that the Western order was collapsing, brushing aside the fallout from the war.", "REJECT"),
    ("The minister brushed off his coat.", None),  # nothing refused
])
def test_arguments_brushing_aside_criticism_rejects_it(every_candidate, text, expected):
    found = [e for e in every_candidate.code_text(text, date="2022-06-17") if e.trigger_text in ("shrugged", "brushing", "brushed")]
    assert [e.event_type for e in found] == ([expected] if expected else [])


def test_arguments_troops_piled_up_at_the_border_are_mobilised(every_candidate):
    text = "Reports say 100,000 Russian troops are piled up at the border with Ukraine."
    ev = _find(every_candidate.code_text(text, date="2022-01-20"), "MOBILIZE")
    assert ev.source.code == "RUS"


def test_arguments_a_stance_on_an_act_ranks_above_the_act():
    events = flashpoint.code_text("Putin said he did not regret the strikes on Ukraine's energy grid.", date="2022-10-20")
    top = max(events, key=lambda e: e.confidence)
    assert (top.event_type, top.trigger_text) == ("REJECT", "regret")


@pytest.mark.parametrize("text, source, target", [
    ("A meeting between Russian President Vladimir Putin and Belarusian President Alexander Lukashenko took place "
     "in Sochi.", "RUS", "BLR"),
    ("Talks between Russia and Ukraine resumed in Istanbul.", "RUS", "UKR"),
])
def test_arguments_an_event_between_two_is_one_with_the_other(every_candidate, text, source, target):
    ev = _find(every_candidate.code_text(text, date="2022-09-15"), "CONSULT")
    assert (ev.source.code, ev.target.code, ev.reciprocal) == (source, target, True)


@pytest.mark.parametrize("text, source, target", [
    ("The EU has come under increasing criticism for slow progress on sanctions, including from Zelensky.", "UKR", "EUR"),
    ("Kyiv came under fire from Russian artillery on Monday.", "RUS", "UKR"),
])
def test_arguments_who_comes_under_criticism_is_its_target(every_candidate, text, source, target):
    ev = max(every_candidate.code_text(text, date="2022-05-30"), key=lambda e: e.confidence)
    assert (ev.source.code, ev.target.code) == (source, target)


def test_arguments_the_by_phrase_of_an_active_verb_belongs_to_its_object(every_candidate):
    events = every_candidate.code_text("Most European governments condemn the invasion of Ukraine by Russian troops.",
                                       date="2022-03-01")
    invasion = _find(events, "ASSAULT", "invasion")
    assert (invasion.source.code, invasion.target.code) == ("RUS", "UKR")
    assert _find(events, "ACCUSE").target.code == "RUS"  # the condemnation targets whoever invaded


def test_arguments_a_participle_misparsed_as_a_clause_leaves_its_noun_the_subject(every_candidate):
    ev = _find(every_candidate.code_text("The Russian court hearing her case sentenced the activist to nine years.",
                                         date="2022-08-04"), "SANCTION")
    assert ev.source.code == "RUS" and ev.source.sector == "JUD"


@pytest.mark.parametrize("text, source", [
    ("The chapel was re-taken as Russia was forced to retreat.", "RUS"),
    ("The Russian garrison was compelled to retreat from Lyman.", "RUS"),
])
def test_arguments_the_passive_subject_does_what_it_is_made_to_do(every_candidate, text, source):
    ev = _find(every_candidate.code_text(text, date="2022-04-01"), "RETREAT")
    assert ev.source is not None and ev.source.code == source


@pytest.mark.parametrize("text", [
    "Civilians including children are being killed in Putin's war.",
    "Three people were killed in Russian shelling of the town.",
])
def test_arguments_killed_in_someones_war_is_killed_by_them(every_candidate, text):
    ev = _find(every_candidate.code_text(text, date="2022-04-01"), "ASSAULT", "killed")
    assert ev.source.code == "RUS"
    assert ev.target is None or ev.target.code != "RUS"  # the war is not whom it befell


def test_arguments_a_resolution_acts_for_the_body_that_adopted_it(every_candidate):
    text = "The United Nations Security Council approved a resolution Friday that calls on all countries to stop arms transfers."
    ev = _find(every_candidate.code_text(text, date="2022-10-21"), "REQUEST")
    assert ev.source.code == "UNO"
    text = "The letter calls on Russia to release the prisoners."  # no one named: no one guessed
    ev = _find(every_candidate.code_text(text, date="2022-10-21"), "REQUEST")
    assert ev.source is None or ev.source.code is None


@pytest.mark.parametrize("text, source, target", [
    ("Paul Whelan, a former U.S. Marine, was arrested at a Moscow hotel in December 2018.", "RUS", "USA"),
    ("She was arrested at Sheremetyevo airport near Moscow on drug charges.", "RUS", None),
])
def test_arguments_those_arrested_somewhere_are_held_by_its_authorities(every_candidate, text, source, target):
    ev = _find(every_candidate.code_text(text, date="2022-03-05"), "COERCE")
    assert ev.source is not None and ev.source.code == source and ev.source.text is None
    # a person is not the place where she was arrested
    assert (ev.target.code if ev.target is not None else None) == target


@pytest.mark.parametrize("text, expected, target", [
    ("Ukraine will keep fighting against Russia until it regains Crimea, Zelensky has promised.", "THREATEN", "RUS"),
    ("Putin vowed to continue the offensive in Donbas.", "THREATEN", "UKR"),
    ("Putin vowed to continue the talks with Kyiv.", "AGREE", None),  # a pledge of talks threatens no one
])
def test_arguments_a_pledge_of_force_is_a_threat(every_candidate, text, expected, target):
    ev = next(e for e in every_candidate.code_text(text, date="2022-09-30") if e.trigger_text in ("promised", "vowed"))
    assert ev.event_type == expected
    if target:
        assert ev.target is not None and ev.target.code == target


@pytest.mark.parametrize("text, trigger", [
    ("Gromov reported the liberation of more than 20 villages in the Kharkiv region.", "liberation"),
    ("Russian troops entered Kherson on March 2.", "entered"),
])
def test_arguments_taking_ground_is_an_assault(every_candidate, text, trigger):
    assert _find(every_candidate.code_text(text, date="2022-09-12"), "ASSAULT", trigger)


@pytest.mark.parametrize("text", ["Ukraine entered talks with Russia.", "The national liberation movement held a rally."])
def test_arguments_entering_talks_or_a_liberation_movement_is_no_assault(every_candidate, text):
    assert not [e for e in every_candidate.code_text(text, date="2022-09-12") if e.event_type == "ASSAULT"]


@pytest.mark.parametrize("text", ["The US is working closely with its allies.", "Russia threatened its neighbours."])
def test_arguments_its_allies_are_not_its_owner(every_candidate, text):
    for e in every_candidate.code_text(text, date="2022-03-01"):
        assert e.target is None or e.target.code != e.source.code  # never the US with the US


@pytest.mark.parametrize("text, accuses", [
    ("China said it respects Russia's legitimate security concerns.", False),  # a concern respected, not voiced
    ("Washington sought to allay Kyiv's concerns.", False),
    ("The Kremlin voiced concern over the exercises.", True),
])
def test_arguments_a_concern_another_respects_is_not_voiced(every_candidate, text, accuses):
    events = every_candidate.code_text(text, date="2022-02-04")
    assert any(e.event_type == "ACCUSE" for e in events) == accuses


@pytest.mark.parametrize("text, target", [
    ("There were growing calls in parliament for Boris Johnson to resign.", "GBR"),
    ("Boris Johnson faced a chorus of calls to resign from opposition lawmakers.", "GBR"),
])
def test_arguments_calls_to_act_are_one_request(every_candidate, text, target):
    # a call to do something is a REQUEST of whoever is to do it, and what is called for is not coded again
    # (the resignation is the content of the calls, not an event of its own)
    events = every_candidate.code_text(text, date="2022-07-06")
    req = _find(events, "REQUEST", "calls")
    assert req.target is not None and req.target.code == target
    assert not [e for e in events if e.event_type == "RETREAT"]


def test_arguments_a_series_noun_stands_for_its_events(every_candidate):
    # "faced a chorus of calls", "came under a barrage of fire": the counting noun does not hide the verb's role
    events = every_candidate.code_text("Boris Johnson faced a chorus of calls to resign from opposition lawmakers.",
                                       date="2022-07-06")
    req = _find(events, "REQUEST", "calls")
    assert req.source is not None and req.source.text == "opposition lawmakers"


@pytest.mark.parametrize("text, etype, source, target", [
    ("President Biden reiterated the United States' commitment to the Cambodian people.", "SUPPORT", "USA", "KHM"),
    ("Blinken reiterated America's commitment to NATO.", "SUPPORT", "USA", "NATO"),
    ("The G7 expressed concern over Russia's troop build-up near Ukraine.", "ACCUSE", "G7", "RUS"),
    ("Blinken voiced alarm about China's support for Moscow.", "ACCUSE", "USA", "CHN"),
])
def test_arguments_a_voiced_stance_concerns_what_follows_it(every_candidate, text, etype, source, target):
    # the owner of a stance one reiterates or expresses is one's own side; whom it concerns follows the noun
    ev = _find(every_candidate.code_text(text, date="2022-11-12"), etype)
    assert ev.source is not None and ev.source.code == source
    assert ev.target is not None and ev.target.code == target


@pytest.mark.parametrize("text", ["Moscow blamed the explosion on Ukraine.", "The Kremlin pinned the blast on Ukraine."])
def test_arguments_blaming_something_on_someone_accuses_them(every_candidate, text):
    # "blamed X on Y": Y is accused (the parser hangs "on Y" on the object), and Y is said to have done X
    events = every_candidate.code_text(text, date="2022-10-09")
    acc = _find(events, "ACCUSE")
    assert acc.source.code == "RUS" and acc.target is not None and acc.target.code == "UKR"
    act = [e for e in events if e.event_type == "ASSAULT"]
    assert act and act[0].source is not None and act[0].source.code == "UKR" and act[0].modality == "alleged"


def test_arguments_a_conjunct_shares_the_demand_it_is_content_of(every_candidate):
    # "advised X to stop A and stop undermining <aid>": the aid is what the advice is about, not an event
    events = every_candidate.code_text(
        "Kuleba advised the senator to stop trying to earn political capital and stop undermining the mechanisms "
        "of providing military aid to Ukraine.", date="2022-07-09")
    assert _find(events, "REQUEST").trigger_text == "advised"
    assert not [e for e in events if e.event_type in ("AID", "AGREE")]


@pytest.mark.parametrize("text, etype", [
    ("The Russians are pouring fire on Lysychansk.", "ASSAULT"),
    ("Russian forces damaged the bridge in Kherson.", "ASSAULT"),
    ("Russian troops took away the hospital's equipment.", "COERCE"),
    ("A Russian fighter jet forced the British drone out of the area.", "COERCE"),
])
def test_arguments_acts_of_armed_forces(every_candidate, text, etype):
    # verbs that are acts of force only when armed forces do them
    ev = _find(every_candidate.code_text(text, date="2022-06-20"), etype)
    assert ev.source is not None and ev.source.code == "RUS"


@pytest.mark.parametrize("text", ["The storm damaged power lines in Kherson.", "The thieves took away the equipment."])
def test_arguments_the_same_verbs_without_armed_forces_are_no_event(every_candidate, text):
    assert not every_candidate.code_text(text, date="2022-06-20")


def test_arguments_a_while_clause_is_no_content_of_the_main_verb(every_candidate):
    # "while A urged ... and praised ..., B warned ...": A's acts stand beside B's warning, not inside it
    events = every_candidate.code_text(
        "While Wendy Sherman urged caution and praised the frank tone, Sergei Ryabkov warned that the U.S. is "
        "moving too slowly.", date="2022-01-10")
    assert _find(events, "SUPPORT", "praised").source.text == "Wendy Sherman"
    assert _find(events, "REQUEST", "urged").source.text == "Wendy Sherman"


@pytest.mark.parametrize("text, etype, source, target", [
    ("The EU called for all prisoners to be released.", "REQUEST", "EUR", None),
    ("Belarus plans to create joint military training centres with Russia.", "AGREE", "BLR", "RUS"),
    ("Russia joined with Saudi Arabia to cut oil production.", "COOPERATE", "RUS", "SAU"),
    ("Russian forces have switched off the mobile networks in Enerhodar.", "COERCE", "RUS", None),
    ("Russian troops cut off the water supply to Mariupol.", "COERCE", "RUS", "UKR"),
])
def test_arguments_constructions_of_the_lexicon(every_candidate, text, etype, source, target):
    # "called for X to be done" (the "for" marks a clause), a joint body created "with" someone (the "with" on
    # the object), joining with someone, armed forces switching off or cutting off what people need
    ev = _find(every_candidate.code_text(text, date="2022-03-08"), etype)
    assert ev.source is not None and ev.source.code == source
    if target is not None:
        assert ev.target is not None and ev.target.code == target


def test_arguments_propping_up_a_price_is_no_support(every_candidate):
    events = every_candidate.code_text("The Russian central bank raised rates to support the rouble.", date="2022-03-08")
    assert not [e for e in events if e.event_type in ("SUPPORT", "AID")]


@pytest.mark.parametrize("text, target", [
    ("Russia's demand that NATO withdraw its forces from Eastern Europe was rejected.", "NATO"),
    ("Kyiv repeated its call that Germany send tanks.", "DEU"),
    ("The company's request that the Pentagon begin to pay the bills was turned down.", "USA"),
])
def test_arguments_a_demand_that_someone_act_asks_them(every_candidate, text, target):
    events = every_candidate.code_text(text, date="2022-01-20")
    req = _find(events, "REQUEST")
    assert req.target is not None and req.target.code == target
    assert not [e for e in events if e.event_type in ("RETREAT", "MOBILIZE")]  # what is asked is no event


def test_arguments_police_of_no_named_state_are_those_of_the_place(every_candidate):
    ev = _find(every_candidate.code_text("A woman was detained by police in the eastern city of Hangzhou.",
                                         date="2022-08-15"), "COERCE")
    assert ev.source.text == "police" and ev.source.code == "CHN" and ev.source.sector == "GOV"


@pytest.mark.parametrize("text, etype, target", [
    ("Politicians in Germany have warned that Russia could cut off gas flows this winter.", "ACCUSE", "RUS"),
    ("Zelensky warned that Russia was preparing a new offensive.", "ACCUSE", "RUS"),
    ("Biden warned Putin that Russia would face severe consequences if it invaded Ukraine.", "THREATEN", "RUS"),
    ("Truss urged Lavrov to pull troops back and warned that any Russian invasion would have severe consequences.",
     "THREATEN", "RUS"),  # the consequences the act will bring: a threat to the invader
])
def test_arguments_a_warning_of_what_another_may_do_accuses_them(every_candidate, text, etype, target):
    # a warning that names a culprit is an accusation; a warning to someone of what they will face is a threat
    events = every_candidate.code_text(text, date="2022-01-20")
    warn = next(e for e in events if e.trigger_text == "warned")
    assert warn.event_type == etype and warn.target is not None and warn.target.code == target


def test_arguments_a_quotation_continued_is_judged_by_its_speaker(every_candidate):
    # the second sentence has no reporting verb: the quotation's speaker (named in the first) judges
    events = every_candidate.code_text('"We will not give up," Zelensky said. "Russia is a terrorist state, and its '
                                       'army is a band of murderers."', date="2022-10-11")
    acc = [e for e in events if e.event_type == "ACCUSE" and e.sentence == 1]
    assert acc and acc[0].source.code == "UKR" and acc[0].target.code == "RUS"


@pytest.mark.parametrize("text, etype, target", [
    ("Putin ordered troops into the Donbas region.", "MOBILIZE", "UKR"),
    ("Shoigu ordered the troops to attack Kharkiv.", "ASSAULT", "UKR"),
    ("Putin ordered his troops to withdraw from the Kyiv region.", "RETREAT", "UKR"),
    ("A Moscow court ordered Google to remove the videos.", "REQUEST", "USA"),
])
def test_arguments_an_order_to_ones_own_side_is_the_act_ordered(every_candidate, text, etype, target):
    ev = next(e for e in every_candidate.code_text(text, date="2022-02-22") if e.trigger_text == "ordered")
    assert ev.event_type == etype and ev.source.code == "RUS" and ev.target.code == target


def test_arguments_met_with_a_response_is_a_threat_not_a_meeting(every_candidate):
    events = every_candidate.code_text("Any incursion will be met with a swift and severe response from the "
                                       "United States.", date="2022-01-20")
    assert _find(events, "THREATEN", "met").modality == "future"
    assert not [e for e in events if e.event_type in ("CONSULT", "AGREE") and e.trigger_text == "met"]


@pytest.mark.parametrize("text, target", [
    ("Russia withdrew its forces from the Kyiv region.", "UKR"),  # its own forces are not the target
    ("Russia pulled its troops out of Kherson.", "UKR"),
    ("Ukraine released Russian soldiers.", "RUS"),  # another side's soldiers are
])
def test_arguments_forces_withdrawn_are_not_the_target(every_candidate, text, target):
    ev = _find(every_candidate.code_text(text, date="2022-04-02"), "RETREAT")
    assert ev.target is not None and ev.target.code == target


def test_arguments_a_warning_of_another_s_act_accuses(every_candidate):
    events = every_candidate.code_text("The IAEA warned that Russian shelling of the plant could cause a catastrophe.",
                                       date="2022-08-08")
    warn = next(e for e in events if e.trigger_text == "warned")
    assert warn.event_type == "ACCUSE" and warn.target is not None and warn.target.code == "RUS"


def test_arguments_concern_for_someone_s_security_accuses_no_one(every_candidate):
    events = every_candidate.code_text('"The United States is very concerned about Armenia\'s security," he said.',
                                       date="2022-09-20")
    assert not [e for e in events if e.event_type == "ACCUSE"]


@pytest.mark.parametrize("text, etype", [
    ("Hillary Clinton seized an opportunity to chastise the French president.", None),  # no seizure
    ("Moscow stripped the journalist of his accreditation.", "COERCE"),
])
def test_arguments_seizing_and_stripping(every_candidate, text, etype):
    events = every_candidate.code_text(text, date="2022-06-01")
    trig = "seized" if etype is None else "stripped"
    found = [e for e in events if e.trigger_text == trig]
    assert (found[0].event_type if found else None) == etype


@pytest.mark.parametrize("text, source, target", [
    ("Russia's foreign ministry said the decision by Lithuania was regrettable.", "RUS", "LTU"),
    ("Blinken said the move by the Russian government was disappointing.", "USA", "RUS"),
])
def test_arguments_mild_diplomatic_criticism_accuses(every_candidate, text, source, target):
    ev = _find(every_candidate.code_text(text, date="2022-06-21"), "ACCUSE")
    assert ev.source.code == source and ev.target.code == target


@pytest.mark.parametrize("text, etype, source", [
    ("Hillary Clinton seized an opportunity to chastise French President Emmanuel Macron.", "ACCUSE", "USA"),
    ("Biden took the opportunity to thank Zelensky.", "SUPPORT", "USA"),
])
def test_arguments_an_infinitive_on_the_object_is_done_by_the_subject(every_candidate, text, etype, source):
    ev = _find(every_candidate.code_text(text, date="2022-11-02"), etype)
    assert ev.source is not None and ev.source.code == source


def test_arguments_travelling_to_help_is_the_help(every_candidate):
    # the purpose of the journey is the event; whom it helps is the subject of what they are helped to do
    events = every_candidate.code_text("Iranian personnel began traveling to Crimea in recent weeks to help Russia "
                                       "operate the systems.", date="2022-10-18")
    assert not [e for e in events if e.event_type == "CONSULT"]
    aid = _find(events, "AID", "help")
    assert aid.source.code == "IRN" and aid.target is not None and aid.target.code == "RUS"


def test_arguments_an_extradition_is_between_the_two_states(every_candidate):
    ev = _find(every_candidate.code_text("Bout was extradited from Thailand to the U.S. to face terrorism charges.",
                                         date="2022-12-09"), "COOPERATE")
    assert ev.source.code == "THA" and ev.target.code == "USA"


def test_arguments_coordinated_verbs_share_the_object(every_candidate):
    # "detained and beat Ukrainian volunteers": the first verb's target is the object of the second
    ev = _find(every_candidate.code_text("Russian soldiers detained and beat Ukrainian volunteers.", date="2022-04-04"),
               "COERCE", "detained")
    assert ev.target is not None and ev.target.text == "Ukrainian volunteers"


def test_arguments_what_is_discussed_is_a_topic(every_candidate):
    events = every_candidate.code_text("Blinken and Lavrov discussed the importance of unblocking Ukrainian ports.",
                                       date="2022-07-12")
    assert _find(events, "CONSULT", "discussed").target.code == "RUS"
    assert not [e for e in events if e.event_type == "RETREAT"]


def test_arguments_someone_s_own_threat_is_no_judgement(every_candidate):
    events = every_candidate.code_text("Zelensky reiterated his threat to stop any contact with Russia.",
                                       date="2022-09-23")
    assert _find(events, "THREATEN", "threat").source.code == "UKR"
    assert not [e for e in events if e.event_type == "ACCUSE"]


def test_arguments_persuading_someone_to_act_is_a_request(every_candidate):
    events = every_candidate.code_text("Macron tried to persuade Scholz to send tanks to Ukraine.", date="2023-01-20")
    req = _find(events, "REQUEST", "persuade")
    assert req.source.code == "FRA" and req.target.code == "DEU"
    assert not [e for e in events if e.event_type in ("AID", "MOBILIZE")]  # what he is asked to do


def test_arguments_being_convinced_is_a_belief_not_a_request(every_candidate):
    events = every_candidate.code_text("Biden said he was convinced Putin had decided to invade Ukraine.", date="2022-02-18")
    assert not [e for e in events if e.event_type == "REQUEST"]
