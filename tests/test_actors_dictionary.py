"""The actor dictionary: bundled data, date-bounded offices, validation errors, user files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from flashpoint.actors.dictionary import FORMATS, SECTORS, ActorDictionary
from flashpoint.errors import DictionaryError

D = dt.date


@pytest.fixture(scope="module")
def d() -> ActorDictionary:
    return ActorDictionary.load()


def test_dictionary_bundled_files_cover_all_countries_and_250_offices(d):
    assert len(d.countries) >= 240
    assert len(d.people) >= 250
    assert {"NATO", "EUR", "UNO", "IAEA", "WHO", "OSCE", "G7", "G20", "ICC", "ICRC"} <= set(d.igos)


@pytest.mark.parametrize(("code", "name"), [("RUS", "Russia"), ("UKR", "Ukraine"), ("NATO", "North Atlantic Treaty Organization"),
                                            ("EUR", "European Union"), ("XXX", None)])
def test_dictionary_name_of(d, code, name):
    assert d.name_of(code) == name


def test_dictionary_country_lookup(d):
    rus = d.country("RUS")
    assert rus is not None and "Russian" in rus.adjectives and "Russians" in rus.people
    assert d.country("NATO") is None


def test_dictionary_people_on_date(d):
    names = {p.name for p in d.people_on(D(2021, 12, 24))}
    assert {"Sergey Lavrov", "Vladimir Putin", "Joe Biden", "Boris Johnson"} <= names
    assert "Rishi Sunak" not in {p.name for p in d.people_on(D(2021, 12, 24)) if p.role == "prime minister"}


@pytest.mark.parametrize(
    ("code", "role", "day", "expected"),
    [
        ("GBR", "prime minister", D(2019, 1, 1), "Theresa May"),
        ("GBR", "prime minister", D(2023, 1, 1), "Rishi Sunak"),
        ("GBR", "prime minister", D(2022, 10, 1), "Liz Truss"),
        ("USA", "president", D(2018, 6, 1), "Donald Trump"),
        ("USA", "president", D(2022, 6, 1), "Joe Biden"),
        ("USA", "foreign minister", D(2022, 1, 1), "Antony Blinken"),
        ("UKR", "defence minister", D(2022, 6, 1), "Oleksii Reznikov"),
        ("RUS", "defence minister", D(2024, 6, 1), "Andrei Belousov"),
        ("DEU", "chancellor", D(2020, 1, 1), "Angela Merkel"),
        ("RUS", "leader", D(2022, 3, 1), "Vladimir Putin"),
        ("NATO", "secretary-general", D(2023, 1, 1), "Jens Stoltenberg"),
    ],
)
def test_dictionary_holders_by_date(d, code, role, day, expected):
    assert [p.name for p in d.holders(code, role, day)] == [expected]


def test_dictionary_holders_need_a_date(d):
    assert d.holders("GBR", "prime minister", None) == []


# main offices never have two holders on the same day (catches typos in people.tsv dates)
@pytest.mark.parametrize("role", ["president", "prime minister", "chancellor", "foreign minister", "defence minister",
                                  "leader", "secretary-general", "press secretary"])
def test_dictionary_offices_do_not_overlap(d, role):
    codes = {p.code for p in d.people}
    day = D(2015, 1, 15)
    clashes = []
    while day < D(2025, 12, 31):
        for code in codes:
            held = d.holders(code, role, day)
            if len(held) > 1 and not any(p.approximate for p in held):  # month-precise handovers may overlap
                clashes.append((code, day.isoformat(), [p.name for p in held]))
        day += dt.timedelta(days=30)
    assert clashes == []


def test_dictionary_every_person_has_a_known_sector_and_code(d):
    for p in d.people:
        assert p.sector in SECTORS, p.origin
        assert d.is_code(p.code), p.origin


def test_dictionary_default_load_is_cached():
    assert ActorDictionary.load() is ActorDictionary.load()


# --------------------------------------------------------------------------- user files
def _write(tmp_path: Path, name: str, header: str, *rows: str) -> Path:
    path = tmp_path / name
    path.write_text("# a user file\n" + header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


PEOPLE_HEADER = "\t".join(FORMATS["people"] + ("note",))


def test_dictionary_user_file_adds_entries(tmp_path):
    people = _write(tmp_path, "mine.tsv", PEOPLE_HEADER,
                    "Ada Example\t\tExample\tyes\tRUS\tGOV\tport governor\t2020-05\t\tf\tno\tmade up for a test")
    orgs = _write(tmp_path, "orgs.tsv", "name\taliases\tcode\tsector\tkind",
                  "Example Brigade\tthe Brigade\tUKR\tMIL\torganisation")
    d = ActorDictionary.load([people, orgs])
    assert [p.name for p in d.holders("RUS", "port governor", D(2020, 5, 1))] == ["Ada Example"]
    assert [p.name for p in d.holders("RUS", "port governor", D(2020, 4, 30))] == []
    assert any(o.name == "Example Brigade" and o.code == "UKR" for o in d.organisations)
    assert d.country("RUS") is not None  # the bundled data is still there
    assert not any(p.name == "Ada Example" for p in ActorDictionary.load().people)  # default untouched


def test_dictionary_user_folder_is_read(tmp_path):
    _write(tmp_path, "extra.tsv", "code\tname\taliases\tadjectives\tpeople", "ZZX\tExampleland\t\tExamplish\t")
    d = ActorDictionary.load([tmp_path])
    assert d.name_of("ZZX") == "Exampleland"


@pytest.mark.parametrize(
    ("header", "row", "fragment", "code"),
    [
        ("code\tname\taliases\tadjectives\tpeople", "RUS\tRussia again\t\t\t", "code RUS defined twice", "E204"),
        (PEOPLE_HEADER, "A Person\t\t\tno\tRUS\tGOV\tminister\t2021-13-01\t\t\t\t", 'start "2021-13-01" is not a date', "E206"),
        (PEOPLE_HEADER, "A Person\t\t\tno\tRUS\tGOVT\tminister\t2021-01-01\t\t\t\t", 'sector "GOVT" is not a known sector', "E205"),
        (PEOPLE_HEADER, "A Person\t\t\tno\tRUS\tGOV\tminister\t2021-01-01\t2020-01-01\t\t\t", "is before start", "E206"),
        (PEOPLE_HEADER, "A Person\t\t\tmaybe\tRUS\tGOV\tminister\t2021-01-01\t\t\t\t", "surname_alone", "E205"),
        (PEOPLE_HEADER, "A Person\t\t\tno\tRUX\tGOV\tminister\t2021-01-01\t\t\t\t", 'code "RUX" is not defined', "E207"),
        ("name\tcode\tsector", "Thing\tRUS\tGOV", "matches no actor file format", "E202"),
        ("term\tsector\tkind\trole\tgender", "brigadiers\tMIL\tsquad\t\t", 'kind "squad"', "E205"),
        ("term\tsector\tkind\trole\tgender\tcountry", "knesset member\tLEG\tperson\t\t\tIsrael",
         'country "Israel" is not a valid code', "E203"),
        ("term\tsector\tkind\trole\tgender\tcountry", "knesset member\tLEG\tperson\t\t\tISX",
         'code "ISX" is not defined', "E207"),
    ],
)
def test_dictionary_errors_name_file_and_line(tmp_path, header, row, fragment, code):
    path = _write(tmp_path, "bad.tsv", header, row)
    with pytest.raises(DictionaryError) as info:
        ActorDictionary.load([path])
    message = str(info.value)
    assert fragment in message
    assert ("bad.tsv line 2" if "header" in fragment or "format" in fragment else "bad.tsv line 3") in message
    assert info.value.code == code


def test_dictionary_sector_terms_may_name_the_one_state_they_belong_to(tmp_path):
    # the optional country column: files without it stay valid (the row above has none)
    path = _write(tmp_path, "t.tsv", "term\tsector\tkind\trole\tgender\tcountry", "knesset member\tLEG\tperson\t\t\tISR")
    d = ActorDictionary.load([path])
    assert d.sectors["knesset member"].country == "ISR"
    assert d.sectors["knesset members"].country == "ISR"
    assert d.sectors["minister"].country is None


def test_dictionary_unknown_sector_suggests_the_closest(tmp_path):
    path = _write(tmp_path, "bad.tsv", PEOPLE_HEADER, "A Person\t\t\tno\tRUS\tGOVT\tminister\t2021-01-01\t\t\t\t")
    with pytest.raises(DictionaryError, match='Did you mean "GOV"'):
        ActorDictionary.load([path])


def test_dictionary_missing_file_is_an_error(tmp_path):
    with pytest.raises(DictionaryError, match="not found"):
        ActorDictionary.load([tmp_path / "nope.tsv"])


@pytest.mark.parametrize(("value", "start", "end"), [("2021", D(2021, 1, 1), D(2021, 12, 31)),
                                                     ("2021-02", D(2021, 2, 1), D(2021, 2, 28)),
                                                     ("2021-02-03", D(2021, 2, 3), D(2021, 2, 3))])
def test_dictionary_partial_dates(tmp_path, value, start, end):
    path = _write(tmp_path, "p.tsv", PEOPLE_HEADER,
                  f"B Person\t\t\tno\tRUS\tGOV\tport governor\t{value}\t{value}\t\t\t")
    p = next(p for p in ActorDictionary.load([path]).people if p.name == "B Person")
    assert (p.start, p.end) == (start, end)
