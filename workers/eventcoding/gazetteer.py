"""Places: curated sites, Iraqi provinces, the region's towns (GeoNames) and country names.

Lookup is by normalised word n-grams (accents, case, apostrophes and hyphens ignored; a
leading Arabic article "al-"/"el-" optional), so "Aïn al-Asad", "Ain al Asad" and "d'Ain
al-Asad" hit the same entry; a hit needs one capitalised word, and GeoNames names that are also
common words are skipped. Country names come from pycountry in English, French, Spanish and
Arabic, with a pack's own reading of a name two countries share ("Congo" is the DRC in English).
"""

from __future__ import annotations

import bisect
import difflib
import gettext
import math
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from typing import Any, Literal

import pycountry

from schemas.events import Place

from .lexicon import Lexicon, either, literal_keys, may_match, shared

Kind = Literal["site", "town", "area", "province", "country"]
#: Lower is more specific: the place tied to an act is the most specific one named.
RANK: dict[str, int] = {"site": 0, "town": 1, "area": 2, "province": 3, "country": 4}
_ARTICLES = frozenset({"al", "el", "an", "ad", "ar", "as", "ash", "at", "az", "ath"})
_TOKEN = re.compile(r"[^\W_]+")
#: Articles a place name may open with in our languages ("El Valle", "La Paz", "Le Mans").
_NAME_ARTICLES = _ARTICLES | {"la", "las", "los", "le", "les", "the"}
#: An English possessive between two names ("Chhattisgarh's Bijapur").
_POSSESSIVE = re.compile(r"['’]s\s+")
_MAX_NGRAM = 6
#: What never stands inside a place name: a name's words are not read across it.
_NAME_BREAK = re.compile(r"[,;:()\[\]!?\u060c\u061b«»\"\n]")


@dataclass(frozen=True, slots=True)
class Entry:
    """One gazetteer entry."""

    name: str
    kind: Kind
    country: str
    admin1_code: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    #: A village or small town (under 15,000 people): its Latin names are often also a
    #: person's ("Salman", "Emmanuel"), so an article must name its country for it to count.
    minor: bool = False
    #: GeoNames population (towns only): of two towns of one name, the bigger is meant.
    population: int = 0


@dataclass(frozen=True, slots=True)
class Hit:
    """An entry named in a sentence, where, and what the words around it say."""

    entry: Entry
    start: int
    end: int
    near: bool = False
    #: Towns of other countries share the name ("Tripoli", "Saïda"): the article's countries
    #: may choose another one (:func:`find` with ``focus``).
    ambiguous: bool = False
    #: Named as where something leads ("la route menant à Bassora", "the road to Basra") or
    #: where a weapon came from ("missiles tirés depuis le Golan"): no place of the act.
    destination: bool = False

    def place(self) -> Place:
        """Return the schema Place (a "near X" town is district-level, precision 2)."""
        e = self.entry
        # A curated area (the Golan Heights, the Shebaa Farms) is a region below a province.
        precision = 1 if e.kind in ("site", "town") else 2 if e.kind == "area" else 3
        if self.near and precision == 1:
            precision = 2
        return Place(e.name, e.country, e.admin1_code, e.admin1, e.lat, e.lon, precision)


#: Arabic-script letters written several ways for one name: Persian/Urdu kaf and yeh, alef
#: maqsura and teh marbuta (often written as heh), and the tatweel that only stretches a word.
#: GeoNames mixes them ("کابول" beside "كابول"); hamza and madda go with the combining marks.
_ARABIC_FOLD = str.maketrans({"\u06a9": "\u0643", "\u06cc": "\u064a", "\u0649": "\u064a",
                              "\u0629": "\u0647", "\u0640": None})  # fmt: skip
#: Arabic clitics written onto a name: wa-/fa- ("and"), then bi-/li-/ka- ("in", "to", "as");
#: "li" + "al" contracts to "lil". Longest first; what is left must still be a name.
_CLITICS = ("\u0648\u0628", "\u0648\u0644", "\u0641\u0628", "\u0641\u0644",
            "\u0648", "\u0641", "\u0628", "\u0644", "\u0643")  # fmt: skip
_LIL = "\u0644\u0644"
_AL = "\u0627\u0644"


@lru_cache(maxsize=65536)
def _plain_word(word: str) -> str:
    plain = unicodedata.normalize("NFKD", word)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    return plain.translate(_ARABIC_FOLD)


#: The letters an Arabic clitic starts with: only a word starting with one can carry a name.
_CLITIC_FIRST = frozenset("\u0648\u0641\u0628\u0644\u0643")
#: word -> what :func:`_unclitic` found; the index is built once per process, so is this.
_unclitic_cache: dict[str, tuple[str, int] | None] = {}


def _unclitic(word: str) -> tuple[str, int] | None:
    """Return an Arabic ``word`` without the clitic letters in front of a place name (the name,
    and how many letters were dropped), or None when no reading of it starts a name."""
    if word in _unclitic_cache:
        return _unclitic_cache[word]
    firsts = _first_words()
    candidates: list[tuple[str, int]] = []
    if word.startswith(("\u0648" + _LIL, "\u0641" + _LIL)):  # "wa-lil-Basra"
        candidates.append((_AL + word[3:], 2))
    if word.startswith(_LIL):
        candidates.append((_AL + word[2:], 1))
    candidates += [(word[len(c) :], len(c)) for c in _CLITICS if word.startswith(c)]
    found = next(((r, d) for r, d in candidates if len(r) >= 3 and r in firsts), None)
    if len(_unclitic_cache) < 65536:
        _unclitic_cache[word] = found
    return found


def normalize(text: str) -> str:
    """Return ``text`` without accents, lower-cased, with words joined by single spaces."""
    if _TOKEN.fullmatch(text):
        return _plain_word(text)
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return " ".join(_TOKEN.findall(plain.lower().translate(_ARABIC_FOLD)))


def _keys(alias: str) -> list[str]:
    key = normalize(alias)
    words = key.split()
    keys = [key] if key else []
    if len(words) > 1 and words[0] in _ARTICLES:
        keys.append(" ".join(words[1:]))
    return keys


#: ISO 3166-2 top-level kinds that are provinces in the news; municipalities, districts,
#: parishes and councils are too small and too often named like ordinary words.
_PROVINCE_TYPES = frozenset(
    {
        "Province",
        "Region",
        "State",
        "Governorate",
        "Department",
        "Prefecture",
        "Canton",
        "Administrative region",
        "County",
        "Autonomous region",
        "Autonomous republic",
        "Autonomous province",
        "Emirate",
        "Oblast",
        "Republic",
        # Ethiopia's regional states and chartered cities, Libya's districts, Bangladesh's
        # divisions: a conflict country's provinces under names of their own.
        "Regional state",
        "Administration",
        "Popularate",
        "Division",
        # India's union territories (Jammu and Kashmir), capital and federal districts.
        "Union territory",
        "Capital district",
        "Federal district",
        "Autonomous district",
    }
)
#: ISO 3166-2 kinds of a province inside a region (ACLED's admin2 in the Philippines, Burkina
#: Faso, Bangladesh).
_SECOND_LEVEL_TYPES = frozenset({"Province", "District"})
#: Words that make a subdivision's name no name at all ("Northern", "Centre", "Capital").
_GENERIC = frozenset(
    {
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "central",
        "centrale",
        "centre",
        "center",
        "nord",
        "sud",
        "est",
        "ouest",
        "centro",
        "norte",
        "sur",
        "este",
        "oeste",
        "capital",
        "upper",
        "lower",
        "coast",
        "coastal",
        "island",
        "islands",
        "region",
        "province",
        "district",
        "federal",
        "territory",
        "the",
        "of",
        "and",
    }
)


def _subdivisions() -> dict[Any, list[str]]:
    """Return the top-level ISO 3166-2 subdivisions that are provinces, with their names in
    English and in pycountry's French and Spanish, and GeoNames' English name where the towns
    snapshot has one ("Sistan and Baluchestan" beside "Sīstān va Balūchestān"), minus names
    that are only generic words."""
    out: dict[Any, list[str]] = {}
    translations = [
        gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[lang])
        for lang in ("fr", "es")
    ]
    english = shared("towns").get("admin1_names", {})
    arabic = shared("towns").get("admin1_arabic", {})
    # Names that are mostly a people's or a word ("Somali", "Afar"; Arabic "الشمالية").
    words = {normalize(n) for n in shared("places").get("not_province_names", {}).get("names", [])}
    for sub in pycountry.subdivisions:
        if sub.parent_code is not None or sub.type not in _PROVINCE_TYPES:
            continue
        forms = [str(sub.name), *(t.gettext(sub.name) for t in translations)]
        forms += [english[sub.code]] if sub.code in english else []
        forms += arabic.get(sub.code, [])
        # "Chin State", "Sagaing Region": a short name with its kind is a name of its own.
        forms += [f"{f} {sub.type}" for f in forms[:1] + forms[-1:] if not f.endswith(sub.type)]
        kept = [
            f
            for f in dict.fromkeys(forms)
            if sum(c.isalpha() for c in f) >= 5
            and not set(normalize(f).split()) <= _GENERIC
            and normalize(f) not in words
        ]
        # Kept without names too: a province whose names are all compass words ("North-West
        # Region") is still named by its curated aliases.
        out[sub] = kept
    return out


def _second_level(countries: frozenset[str], top: set[str]) -> dict[Any, list[str]]:
    """Return the ISO 3166-2 provinces and districts of ``countries`` that lie inside a
    province whose code is in ``top`` (:func:`_subdivisions`' own), with their names."""
    out: dict[Any, list[str]] = {}
    for code in sorted(countries):
        for sub in pycountry.subdivisions.get(country_code=code) or ():  # type: ignore[no-untyped-call]
            if sub.parent_code not in top or sub.type not in _SECOND_LEVEL_TYPES:
                continue
            forms = [str(sub.name), f"{sub.name} {sub.type}"]
            out[sub] = [
                f
                for f in dict.fromkeys(forms)
                if sum(c.isalpha() for c in f) >= 5 and not set(normalize(f).split()) <= _GENERIC
            ]
    return out


@cache
def _subdivision_name(code: str) -> str | None:
    sub = pycountry.subdivisions.get(code=code)  # type: ignore[no-untyped-call]
    return None if sub is None else str(sub.name)


def index() -> dict[str, tuple[Entry, ...]]:
    """Return the lookup table: normalised name -> entries (built once per process)."""
    return _tables()[0]


def _capitals() -> dict[str, Entry]:
    """Return the towns a country's name hides, by normalised name: the capitals named as
    their country is ("تونس" is Tunisia and Tunis, "جيبوتي", "الكويت")."""
    return _tables()[1]


@cache
def capital_of() -> dict[str, Entry]:
    """Return each country's capital town by ISO 3166-1 code (the towns snapshot's
    "capitals"), for "the Somali capital", "la capitale du Mali"."""
    table, hidden = _tables()
    found: dict[str, Entry] = {}
    for code, name in shared("towns").get("capitals", {}).items():
        key = normalize(name)
        entries = [*table.get(key, ()), *((hidden[key],) if key in hidden else ())]
        town = next(
            (e for e in entries if e.kind == "town" and e.country == code and e.name == name),
            None,
        )
        if town is not None:
            found[code] = town
    return found


@cache
def _tables() -> tuple[dict[str, tuple[Entry, ...]], dict[str, Entry]]:
    """Return :func:`index` and :func:`_capitals`, built together once per process."""
    places = shared("places")
    table: dict[str, list[Entry]] = {}
    skip = {normalize(n) for n in places["ambiguous"]["names"]}

    regions = set(places["regions"])

    def put(alias: str, entry: Entry, *, guarded: bool) -> None:
        keys = _keys(alias)
        if entry.kind == "town" and entry.country not in regions and guarded:
            # The Arabic article is the region's: "An Shun" (China) is not "Shun", "An Son"
            # not "Son". Elsewhere only the whole name, and no short GeoNames alias ("Rome"
            # stays); a curated one stands ("سنار" is Sennar).
            own = normalize(alias) == normalize(entry.name)
            keys = keys[:1] if own or sum(c.isalpha() for c in keys[0]) >= 5 else []
        for key in keys:
            if guarded and key in skip:
                continue
            bucket = table.setdefault(key, [])
            if entry not in bucket:
                bucket.append(entry)

    # Exported admin1 names: curated for the region, GeoNames' English names elsewhere
    # (ACLED writes "Sistan and Baluchestan", not ISO's "Sīstān va Balūchestān").
    province_names = {
        **shared("towns").get("admin1_names", {}),
        **{p["code"]: p["name"] for p in places["provinces"]},
    }
    towns_by_name: dict[str, Entry] = {}
    guarded_aliases: list[tuple[str, Entry]] = []
    seats = _seats(places.get("nearest_seat_admin1", {}))
    for town in shared("towns")["towns"]:
        # The region's provinces are curated; elsewhere the snapshot's matched ISO code.
        code = places["geonames_admin1"].get(town["country"], {}).get(town["geonames_admin1"])
        code = code or town.get("admin1")
        if code is None and town["country"] in seats:
            code = _nearest_seat(seats[town["country"]], town["lat"], town["lon"])
        entry = Entry(
            town["name"],
            "town",
            town["country"],
            code,
            (province_names.get(code) or _subdivision_name(code)) if code else None,
            town["lat"],
            town["lon"],
            bool(town.get("minor")),
            int(town.get("population", 0)),
        )
        towns_by_name.setdefault(normalize(town["name"]), entry)
        for alias in town["aliases"]:
            put(alias, entry, guarded=True)
        guarded_aliases.extend((alias, entry) for alias in town.get("guarded_aliases", ()))
    # Names that count only where the article names the town's country, and only names no
    # other place has ("الرياض" stays Riyadh, "دار السلام" Dar es Salaam).
    for alias, town_entry in guarded_aliases:
        if not any(k in table for k in _keys(alias)):
            put(alias, replace(town_entry, minor=True), guarded=True)
    # Curated names of a town: districts named alone ("الكرادة" is Baghdad) and names GeoNames
    # lacks ("عسقلان" is Ashkelon).
    for section in ("districts", "town_aliases"):
        for town_name, names in places.get(section, {}).items():
            if town_name == "about":
                continue
            parent = towns_by_name[normalize(town_name)]
            for name in names:
                put(name, parent, guarded=False)
    for prov in places["provinces"]:
        capital = towns_by_name.get(normalize(prov["capital"]))
        lat, lon = (capital.lat, capital.lon) if capital else (None, None)
        entry = Entry(prov["name"], "province", "IQ", prov["code"], prov["name"], lat, lon)
        for alias in [prov["name"], *prov["aliases"]]:
            put(alias, entry, guarded=False)
    curated = {p["code"].split("-")[0] for p in places["provinces"]}
    # A name curated for one of the region's provinces is that province: "Kurdistan" is
    # Iraq's region, not Iran's province GeoNames now also calls "Kurdistan".
    curated_keys = {
        k for p in places["provinces"] for a in [p["name"], *p["aliases"]] for k in _keys(a)
    }
    subdivisions = _subdivisions()  # read once: 0.4 s of translations at start-up
    for sub, forms in subdivisions.items():
        if sub.country_code in curated:
            continue  # Iraq's provinces are curated with their exonyms
        label = province_names.get(sub.code) or (forms[0] if forms else str(sub.name))
        entry = Entry(label, "province", sub.country_code, sub.code, label, None, None)
        for form in forms:
            if not curated_keys.intersection(_keys(form)):
                put(form, entry, guarded=True)
        for form in places.get("province_aliases", {}).get(sub.code, []):
            put(form, entry, guarded=False)  # curated: Arabic names and exonyms
    second = _second_level(
        frozenset(places.get("conflict_countries", [])), {sub.code for sub in subdivisions}
    )
    for sub, forms in second.items():
        # A conflict country's provinces below its regions (the Philippines' "Negros
        # Oriental", Burkina Faso's "Oudalan", Bangladesh's districts): ACLED's admin2, an
        # area of the region that is its admin1 (a town of the name is meant first).
        region = str(sub.parent_code)
        entry = Entry(
            str(sub.name),
            "area",
            sub.country_code,
            region,
            province_names.get(region) or _subdivision_name(region),
            None,
            None,
        )
        for form in forms:
            put(form, entry, guarded=True)
    for site in places["sites"]:
        code = site["admin1"]
        entry = Entry(
            site["name"],
            site["kind"],
            site["country"],
            code,
            province_names.get(code) or _subdivision_name(code),
            site["lat"],
            site["lon"],
        )
        for alias in [site["name"], *site["aliases"]]:
            put(alias, entry, guarded=False)
    for code, names in country_names().items():
        entry = Entry(country_name(code), "country", code, None, None, None, None)
        for name in names:
            put(name, entry, guarded=False)
    # A country's name means the country: GeoNames also lists "Iraq" for Arāk (Iran),
    # "Bangladesh" for a district of Yerevan, "Chine" for a Syrian village, "Albania" for
    # Albany, ISO 3166-2 "Georgia" for a US state, and the most specific entry (a town or a
    # province) would otherwise win.
    hidden: dict[str, Entry] = {}
    for key, entries in table.items():
        countries = {e.country for e in entries if e.kind == "country"}
        if countries:
            towns = [e for e in entries if e.kind == "town" and e.country in countries]
            if towns:
                hidden[key] = max(towns, key=lambda e: e.population)
            table[key] = [e for e in entries if e.kind not in ("town", "province")]
    return {k: tuple(v) for k, v in table.items()}, hidden


def _seats(spec: dict[str, Any]) -> dict[str, list[tuple[float, float, str]]]:
    """Return, per country of ``places.json``'s ``nearest_seat_admin1``, the (lat, lon, ISO
    code) of its governorate seats, read from the towns snapshot."""
    coords = {t["name"]: (t["lat"], t["lon"]) for t in shared("towns")["towns"]}
    out: dict[str, list[tuple[float, float, str]]] = {}
    for country, by_town in spec.items():
        if country == "about":
            continue
        out[country] = [(*coords[name], code) for name, code in by_town.items()]
    return out


def _nearest_seat(seats: list[tuple[float, float, str]], lat: float, lon: float) -> str:
    """Return the ISO code of the seat nearest ``lat``, ``lon`` (small areas: plane distance
    with longitudes scaled to the latitude is enough)."""
    scale = math.cos(math.radians(lat))
    return min(seats, key=lambda s: (s[0] - lat) ** 2 + ((s[1] - lon) * scale) ** 2)[2]


@lru_cache(maxsize=4096)
def _spelling_of(name: str, key: str) -> bool:
    """Return True when the normalised ``key`` is ``name`` or a spelling of it: in a name of
    five letters or more, at most one letter more or less and most letters alike ("Odessa"
    and "Odesa"; not "San Miguelito" for "San Miguel", nor "Kiev" for "Kyiv")."""
    own = normalize(name)
    if own == key:
        return True
    return (
        len(own) >= 5
        and abs(len(own) - len(key)) <= 1
        and difflib.SequenceMatcher(None, own, key).ratio() >= 0.85
    )


#: The languages of the packs whose country names pycountry translates (English is its own).
_COUNTRY_NAME_LANGUAGES = ("fr", "es", "ar")


@cache
def country_names() -> dict[str, tuple[str, ...]]:
    """Return, per ISO 3166-1 code, the names the gazetteer knows the country by (every
    language's, as :func:`_country_names` gives them)."""
    places = shared("places")
    words = set(places.get("not_country_names", {}).get("names", []))
    return {
        code: tuple(names)
        for code, names in _country_names(places["countries_extra"], words).items()
    }


def _country_names(extra: dict[str, Any], words: set[str]) -> dict[str, list[str]]:
    """Return, per ISO 3166-1 code, the country's names: pycountry's English common and short
    names and their translations into the packs' languages, but ``words`` (places.json
    "not_country_names"), then ``extra``'s (places.json "countries_extra"), which are curated.
    ISO's inverted forms ("Congo, The Democratic Republic of the", "Irán, República islámica
    de") are left out: no text writes them."""
    translations = [
        gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
        for lang in _COUNTRY_NAME_LANGUAGES
    ]
    names: dict[str, list[str]] = {}
    for country in pycountry.countries:
        common = getattr(country, "common_name", None)
        forms = [common or country.name, country.name]
        forms += [tr.gettext(english) for tr in translations for english in forms[:2]]
        names[country.alpha_2] = [
            f for f in dict.fromkeys(forms) if f not in words and not _INVERTED.search(f)
        ]
    for code, forms in extra.items():
        if code != "about":
            names.setdefault(code, []).extend(forms)
    return names


#: ISO's inverted and bracketed long forms: "Bolivia, Plurinational State of", "Islas Cocos
#: (Keeling)", Arabic "الكونغو، جمهوريّة …".
_INVERTED = re.compile(r"[,،(]")

#: Country names as ACLED writes them where ISO's short name differs ("Palestine, State of",
#: "Türkiye", "Congo, The Democratic Republic of the").
_ACLED_COUNTRY = {
    "SY": "Syria", "IR": "Iran", "PS": "Palestine", "RU": "Russia", "KR": "South Korea",
    "KP": "North Korea", "TR": "Turkey", "VE": "Venezuela", "BO": "Bolivia", "TZ": "Tanzania",
    "CD": "Democratic Republic of Congo", "CG": "Republic of Congo", "LA": "Laos",
    "MD": "Moldova", "VN": "Vietnam", "GB": "United Kingdom", "US": "United States",
}  # fmt: skip


def country_name(code: str) -> str:
    """Return the name of ISO 3166-1 ``code`` as ACLED writes it ("Palestine", "Turkey"),
    else pycountry's common or short name; ``code`` itself when pycountry lacks it."""
    if code in _ACLED_COUNTRY:
        return _ACLED_COUNTRY[code]
    country = pycountry.countries.get(alpha_2=code)
    return str(getattr(country, "common_name", None) or (country.name if country else code))


def entry_for_country(code: str) -> Entry:
    """Return the country-level entry for ISO 3166-1 ``code``, named as ACLED names it."""
    return Entry(country_name(code), "country", code, None, None, None, None)


@dataclass(frozen=True, slots=True, eq=False)
class _Context:
    province_before: re.Pattern[str]
    #: Languages that put the word after the name ("Marib province"); never matches if none.
    province_after: re.Pattern[str]
    region_before: re.Pattern[str]
    #: The region word after the name ("Kharkiv region"): the province of that name if any.
    region_after: re.Pattern[str]
    near_before: re.Pattern[str]
    destination_before: re.Pattern[str]
    #: Where a weapon came from ("tirés depuis le Golan", "fired from Lebanon").
    origin_before: re.Pattern[str]
    #: A name that makes an adjective with what follows it ("Iran-backed", "US-led").
    compound_after: re.Pattern[str]
    #: Who speaks after a name ("Gaza officials say"): whose officials, maybe not where.
    speaker_after: re.Pattern[str]
    #: A place's name that begins an organisation's ("Sudan Doctors Network", "Iraq Body
    #: Count"): whose name, not where.
    organisation_after: re.Pattern[str]
    #: The capital named as its country is ("العاصمة تونس", "تونس العاصمة"): the city.
    capital_before: re.Pattern[str]
    capital_after: re.Pattern[str]
    #: A capital named for its state's government ("حكومة الخرطوم", "the Baghdad government").
    government_before: re.Pattern[str]
    government_after: re.Pattern[str]
    street_before: re.Pattern[str]
    street_after: re.Pattern[str]
    #: A comma or the language's "and" ("et", "y", "و" written onto the next word).
    coordination: re.Pattern[str]
    #: A comma and the language's "in" ("dans", "في"): what follows locates what precedes.
    apposition: re.Pattern[str]
    #: A part of a place after the apposition's marker ("in northern", "dans le nord de").
    apposition_region: re.Pattern[str]
    #: "between" ("entre", "بين") a few words before a name: the act lies between two places.
    between_before: re.Pattern[str]
    #: What stands between a town and a part of it named after it ("the Port-au-Prince
    #: suburb of Carrefour", "the Gaza City neighbourhood of Shejaiya"): ``part_of``.
    part_of: re.Pattern[str] | None
    #: The near markers anywhere ("west of", "au sud de"): what follows locates what precedes.
    near_any: re.Pattern[str]
    locative_before: re.Pattern[str]
    adjective_phrase: re.Pattern[str]
    #: Literals one of which a sentence holding an adjective phrase holds (its head nouns).
    adjective_keys: tuple[str, ...] | None
    adjectives: tuple[tuple[re.Pattern[str], str], ...]
    #: A capital named by its country's adjective ("the Somali capital"): ``capital_phrase``.
    capital_phrase: re.Pattern[str] | None
    #: The word every capital phrase and marker holds ("capital", "عاصمة"), lower-case: a
    #: sentence without it names no capital, and its regexes are not tried.
    capital_word: str
    capital_adjectives: tuple[tuple[re.Pattern[str], str], ...]
    #: The pack's reading of a name two countries share (normalised name -> country entry).
    countries: dict[str, Entry]


@cache
def _context(lex: Lexicon) -> _Context:
    raw = lex.raw["places"]
    adjs = raw["country_adjectives"]
    alts = "|".join(f"(?:{a})" for a in adjs)
    heads = raw["country_adjective_heads"]
    if raw.get("country_adjective_heads_before"):
        phrase = rf"(?<!\w)(?P<adj>{alts})\s+{heads}(?!\w)"
    else:
        phrase = rf"(?<!\w){heads}\s+(?:[\w-]+\s+){{0,2}}?(?P<adj>{alts})(?!\w)"
    flags = re.IGNORECASE
    capital_adjs = _capital_adjectives(raw, lex.language)
    return _Context(
        province_before=re.compile(rf"{either(raw['province_markers'])}\s*$", flags),
        province_after=re.compile(
            rf"\s*{either(raw.get('province_markers_after', []))}(?!\w)", flags
        ),
        region_before=re.compile(rf"{either(raw['region_markers'])}\s*$", flags),
        region_after=re.compile(rf"\s*{either(raw.get('region_markers_after', []))}(?!\w)", flags),
        coordination=re.compile("|".join([",", "،", *raw["coordination"]]), flags),
        # Up to three uncapitalised words of the place's own after its name ("Jabalia
        # refugee camp, in"), not another name ("Baghdad, Basra").
        apposition=re.compile(
            rf"(?:\s+(?-i:[^\W\dA-Z_])[\w'’-]*){{0,3}}?\s*[,،]\s*"
            rf"{either(raw.get('apposition_markers', []))}(?!\w)",
            flags,
        ),
        apposition_region=re.compile(
            rf"(?<!\w){either(raw.get('apposition_regions', []))}(?!\w)", flags
        ),
        # "near the besieged city of El Fasher": the town's kind may stand between.
        near_before=re.compile(
            rf"{either(raw['near_markers'])}\s*"
            rf"(?:{either(raw.get('place_kinds', ['(?!)']))}\s*)?$",
            flags,
        ),
        near_any=re.compile(rf"(?<!\w){either(raw['near_markers'])}(?!\w)", flags),
        between_before=re.compile(
            rf"(?<!\w){either(raw.get('between_markers', []))}\s+(?:\S+\s+){{0,3}}$",
            flags,
        ),
        part_of=(
            re.compile(rf"\s*(?:{either(raw['part_of'])})\s*", flags)
            if raw.get("part_of")
            else None
        ),
        street_before=re.compile(rf"{either(raw.get('street_markers', []))}\s*$", flags),
        street_after=re.compile(rf"\s+{either(raw.get('street_markers_after', []))}(?!\w)", flags),
        destination_before=re.compile(rf"{either(raw.get('destination_markers', []))}\s*$", flags),
        origin_before=re.compile(rf"{either(raw.get('origin_markers', []))}\s*$", flags),
        # "Gaza officials said", "Gaza's civil defence said": whose speakers, not where.
        speaker_after=re.compile(rf"(?:['’]s)?\s+{either(raw.get('speaker_markers', []))}", flags),
        organisation_after=re.compile(
            rf"(?-i:(?:\s+[A-Z][\w'’-]*){{0,3}}\s+"
            rf"{either(raw.get('organisation_heads', []))})(?!\w)"
        ),
        capital_before=re.compile(rf"(?<!\w){either(raw.get('capital_before', []))}\s*$", flags),
        # No space required: "Somalia's capital".
        capital_after=re.compile(rf"\s*{either(raw.get('capital_after', []))}(?!\w)", flags),
        government_before=re.compile(
            rf"(?<!\w){either(raw.get('government_before', []))}\s*$", flags
        ),
        government_after=re.compile(rf"\s+{either(raw.get('government_after', []))}(?!\w)", flags),
        compound_after=re.compile(rf"{either(raw.get('compound_markers', []))}(?!\w)", flags),
        locative_before=re.compile(rf"{either(raw['locative_markers'])}\s*$", flags),
        adjective_phrase=re.compile(phrase, flags),
        adjective_keys=literal_keys([heads]),
        adjectives=tuple((re.compile(rf"^(?:{a})$", flags), c) for a, c in adjs.items()),
        capital_phrase=_capital_phrase(raw, capital_adjs),
        capital_word=str(raw.get("capital_phrase", {}).get("word", "")).lower(),
        capital_adjectives=tuple(
            (re.compile(rf"^(?:{a})$", flags), c) for a, c in capital_adjs.items()
        ),
        countries={
            normalize(name): entry_for_country(code)
            for name, code in raw.get("country_names", {}).items()
        },
    )


def _capital_adjectives(raw: dict[str, Any], language: str) -> dict[str, str]:
    """Return the adjectives of countries a capital may be named by in ``language`` (pattern
    -> ISO code): the pack's country adjectives, its ``capital_phrase`` ones, and the
    feminine (or only) adjective of each state in ``states.json`` ("capitale" and "capital"
    are feminine; Arabic's with its article)."""
    spec = raw.get("capital_phrase", {})
    found: dict[str, str] = {**raw["country_adjectives"], **spec.get("adjectives", {})}
    article = spec.get("adjective_article", "")
    for state in shared("states")["states"]:
        forms = state["adjectives"].get(language, {})
        form = forms.get("f") or forms.get("adj")
        if form:
            found.setdefault(f"{article}{form}", state["country"])
    return found


def _capital_phrase(raw: dict[str, Any], adjectives: dict[str, str]) -> re.Pattern[str] | None:
    """Return the pattern of a capital named by its country's adjective (group "adj"), in the
    pack's order (``capital_phrase``: "adjective_first"), None for a pack without one."""
    spec = raw.get("capital_phrase")
    if not spec or not adjectives:
        return None
    heads = either(spec["heads"])
    alts = "|".join(f"(?:{a})" for a in adjectives)
    if spec.get("adjective_first"):
        phrase = rf"(?<!\w)(?P<adj>{alts})\s+{heads}(?!\w)"
    else:
        phrase = rf"(?<!\w){heads}\s+(?P<adj>{alts})(?!\w)"
    return re.compile(phrase, re.IGNORECASE)


def spoken_for(sentence: str, hit: Hit, lex: Lexicon) -> bool:
    """Return True when the place ``hit`` names whose officials speak ("Gaza officials say",
    "Ila Orangun police told"): where the report comes from, a place of the act only when the
    sentence names no other."""
    return _context(lex).speaker_after.match(sentence, hit.end) is not None


def locative(sentence: str, start: int, lex: Lexicon) -> bool:
    """Return True when a preposition of place ("in", "en", "في") ends just before ``start``."""
    return _context(lex).locative_before.search(sentence[max(0, start - 30) : start]) is not None


def near_words(sentence: str, start: int, end: int, lex: Lexicon) -> bool:
    """Return True when a near marker ("east of", "près de", "قرب") lies in ``start:end`` or
    the twenty characters before it: what follows is the place's surroundings."""
    return _context(lex).near_any.search(sentence, max(0, start - 20), end) is not None


def _uncased(char: str) -> bool:
    """Return True for a letter of a script without case (Arabic), where no capital exists."""
    return char.isalpha() and char.lower() == char.upper()


def _proper(char: str) -> bool:
    """Return True when ``char``, a word's first letter, may open a proper noun: a capital,
    or a letter of a script without case (Arabic), where no capital exists."""
    return char.isupper() or _uncased(char)


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


@cache
def _first_words() -> dict[str, int]:
    """Return each word that starts a place name, with the most words a name it starts has."""
    longest: dict[str, int] = {}
    for key in index():
        words = key.split(" ")
        longest[words[0]] = max(longest.get(words[0], 0), len(words))
    return longest


@cache
def _first_names() -> frozenset[str]:
    """Return the normalised first names a surname that is a town's name follows
    (``places.json`` "first_names")."""
    return frozenset(normalize(n) for n in shared("places").get("first_names", {}).get("names", []))


@cache
def _name_prefixes() -> frozenset[str]:
    """Return the normalised words that begin many place names (``places.json``)."""
    names = shared("places").get("name_prefixes", {}).get("names", [])
    return frozenset(normalize(n) for n in names)


def _longer_after(words: list[str], j: int, end: int) -> bool:
    """Return True when a place name starting at word ``j`` runs past word ``end`` (the
    end, exclusive, of a shorter name found before it)."""
    table = index()
    longest = min(_first_words().get(words[j], 0), _MAX_NGRAM, len(words) - j)
    return any(" ".join(words[j : j + m]) in table for m in range(longest, end - j, -1))


def find(
    sentence: str,
    lex: Lexicon,
    exclude: list[tuple[int, int]],
    focus: frozenset[str] = frozenset(),
) -> list[Hit]:
    """Return the places named in ``sentence`` outside the ``exclude`` spans (actor names).

    Of towns of one name in several countries, one in a ``focus`` country (those the article
    names) is meant: "Tripoli" in a story about Lebanon is not Libya's capital.
    """
    table = index()
    firsts = _first_words()
    ctx = _context(lex)
    # Every match of _TOKEN is one whole token, so its normal form is _plain_word's (cached).
    tokens = [(m.start(), m.end(), _plain_word(m.group())) for m in _TOKEN.finditer(sentence)]
    words = [t[2] for t in tokens]
    # Which tokens may open a proper noun (most words are lower-case: one test for them).
    proper = [not sentence[t[0]].islower() and _proper(sentence[t[0]]) for t in tokens]
    hits: list[Hit] = []
    # Most words start no name: visit only those that may, past the end of the last name found.
    candidates = [i for i, w in enumerate(words) if w in firsts or w[:1] in _CLITIC_FIRST]
    # Whether the sentence may name a capital by its country ("the Somali capital").
    lowered = sentence.lower()
    named = bool(ctx.capital_word) and ctx.capital_word in lowered
    # Where the sentence breaks names (commas, brackets), and where its tokens start.
    breaks = [m.start() for m in _NAME_BREAK.finditer(sentence)]
    starts = [t[0] for t in tokens]
    resume = 0
    for i in candidates:
        if i < resume:
            continue
        longest = firsts.get(words[i], 0)
        if not longest and words[i][:1] in _CLITIC_FIRST:
            # An Arabic name carries its clitics ("ببغداد", "وبالبصرة"): read the name under.
            found = _unclitic(words[i])
            if found is not None:
                start, end, _ = tokens[i]
                tokens[i] = (min(end - 1, start + found[1]), end, found[0])
                words[i] = found[0]
                longest = firsts[found[0]]
        if not longest:
            continue
        # Only as many words as the longest name this word starts (most names: one or two),
        # and none past a comma or a bracket: "Saná, la capital" is not "Sana La".
        longest = min(longest, _MAX_NGRAM, len(tokens) - i)
        if longest > 1 and breaks:
            cut = bisect.bisect_left(breaks, tokens[i][1])
            if cut < len(breaks) and breaks[cut] < tokens[i + longest - 1][0]:
                # The name stops at the last token before the break.
                longest = bisect.bisect_left(starts, breaks[cut], i, i + longest) - i
        # A name has a capitalised (or uncased) word: the words before the first such one
        # are no name alone ("the militants"), and most "the", "in", "a" start none at all.
        first_cap = next((k for k in range(i, i + longest) if proper[k]), -1)
        for n in range(longest, first_cap - i, -1) if first_cap >= 0 else ():
            key = " ".join(words[i : i + n])
            entries = table.get(key)
            if not entries:
                continue
            if n > 1 and words[i] in _NAME_ARTICLES and _longer_after(words, i + 1, i + n):
                # "el Valle del Cauca" is Colombia's department, not the Dominican Republic's
                # "El Valle": the article belongs to the longer name its next word starts.
                break
            if key in ctx.countries:
                # "Congo" is the DRC in English news (AP's usage; "Republic of Congo" is the
                # other), the Republic of the Congo in French and Spanish ("RDC" the DRC).
                entries = (ctx.countries[key],)
            start, end = tokens[i][0], tokens[i + n - 1][1]
            if _overlaps(start, end, exclude):
                continue
            # The name's own article, written before the word the index keys ("al-Alam").
            head = i - 1 if i > 0 and words[i - 1] in _ARTICLES else i
            if (
                head > 0
                and sentence[tokens[head - 1][1] : tokens[head][0]] == "-"
                and sentence[tokens[head - 1][0]].isupper()
            ):
                # "Sistan-Baloutchistan": the second half of a longer name, not Pakistan's.
                continue
            if (
                (words[head] in _ARTICLES)
                and head > 1
                and sentence[tokens[head - 1][0]].isupper()
                and sentence[tokens[head - 1][1] : tokens[head][0]] == " "
            ):
                # "Ruwaisat al-Alam", "Khirbet al-…": the end of a longer name we lack, not the
                # town its last words name (Iraq's al-Alam).
                continue
            first = sentence[tokens[i][0] : tokens[i][1]]
            if n > 1 and len(first) >= 3 and first.isupper() and not sentence[start:end].isupper():
                # An acronym followed by a word ("SANA a indiqué") is no "Sana'a".
                continue
            if (
                head > 0
                and words[head - 1] in _first_names()
                and sentence[tokens[head - 1][0]].isupper()
                and sentence[tokens[head - 1][1] : tokens[head][0]] == " "
            ):
                # "Ali Karaki", "Hassan Nasrallah": a surname, not the town of that name.
                continue
            if " ".join(words[i : i + n]) in _name_prefixes() and i + n < len(tokens):
                follower = sentence[tokens[i + n][0]]
                if follower.isupper() or (words[i + n] in _ARTICLES and i + n + 1 < len(tokens)):
                    # "Tal Tamr", "Ras al-Ain": the start of a longer name we lack.
                    continue
            if ctx.compound_after.match(sentence, end):
                # "Iran-backed militias", "US-led coalition": whose, not where.
                continue
            before = sentence[max(0, start - 40) : start]
            if (
                ctx.government_before.search(before)
                or ctx.government_after.match(sentence, end)
                or ctx.organisation_after.match(sentence, end)
            ):
                # "طلبت حكومة الخرطوم", "the Baghdad government said", "the Sudan Doctors
                # Network said": the state or a body speaking, no place.
                resume = i + n
                break
            if ctx.street_before.search(before) or ctx.street_after.match(sentence, end):
                # "Plaza de Bolívar", "rue de Paris", "شارع بغداد": a street or a square named
                # after a place or a person is inside the town, not that place.
                resume = i + n
                break
            named_province = (
                ctx.province_before.search(before) is not None
                or ctx.province_after.match(sentence, end) is not None
            )
            # "la région de Kirkouk" is the province where one is curated, else the town.
            # The region words only choose between a province and a town of one name: not
            # looked for when no province has it (most names; two searches per name saved).
            as_province = named_province or (
                any(e.kind == "province" for e in entries)
                and (
                    ctx.region_before.search(before) is not None
                    or ctx.region_after.match(sentence, end) is not None
                )
            )
            entry = min(
                entries,
                key=lambda e: (
                    0 if as_province and e.kind == "province" else 1,
                    e.country not in focus,
                    RANK[e.kind],
                    e.minor,  # a town of 15,000 people before a village of the same name
                    # A town's own name before another's old or foreign one ("Philadelphia"
                    # is not Amman), then the bigger town ("Los Angeles" is not in Chile); a
                    # spelling of the name is the name ("Odessa" is Odesa, not Texas's).
                    not _spelling_of(e.name, key),
                    -e.population,
                ),
            )
            foreign = _foreign_adjective(sentence, tokens, i + n, ctx, entry.country)
            if foreign is not None:
                # "موقع المالكية الإسرائيلي" (the Israeli Malkia post) is not Syria's
                # al-Malikiyah: a name its own words give another country is that country's
                # place of the name, or one the gazetteer lacks (then the country stands).
                theirs = [e for e in entries if e.country == foreign]
                if not theirs:
                    hits.append(Hit(entry_for_country(foreign), start, end))
                    resume = i + n
                    break
                entry = min(theirs, key=lambda e: (RANK[e.kind], e.minor, -e.population))
            if (
                entry.kind == "country"
                and named
                and (ctx.capital_before.search(before) or ctx.capital_after.match(sentence, end))
            ):
                # "تونس العاصمة", "Somalia's capital", "la capitale du Mali": the capital.
                entry = _capitals().get(key) or capital_of().get(entry.country, entry)
            if entry.kind == "province" and entry.lat is None:
                # An ISO 3166-2 province has no coordinates: its namesake town's stand in.
                # ("Idlib Governorate": the town is under the bare name.)
                town = next(
                    (
                        e
                        for e in (*entries, *table.get(normalize(entry.name), ()))
                        if e.kind == "town" and e.admin1_code == entry.admin1_code
                    ),
                    None,
                )
                if town is not None:
                    entry = replace(entry, lat=town.lat, lon=town.lon)
            # "la région de Gao": the region named after its capital, where the gazetteer has
            # no entry of its own for the short name (ISO's "Gao" has three letters).
            region_of_town = (
                entry.kind == "town"
                and entry.admin1 is not None
                and not as_province
                and normalize(entry.admin1) == normalize(entry.name) == key
                and (
                    ctx.region_before.search(before) is not None
                    or ctx.region_after.match(sentence, end) is not None
                )
            )
            if (named_province or region_of_town) and entry.kind == "town" and entry.admin1_code:
                # "la province d'Idleb", "محافظة حلب": the province the town names, at its
                # capital's coordinates, not the town (no curated entry for this country).
                entry = replace(
                    entry, name=entry.admin1 or entry.name, kind="province", minor=False
                )
            near = ctx.near_before.search(before) is not None
            countries = {e.country for e in entries if e.kind in ("town", "province")}
            destination = (
                ctx.destination_before.search(before) is not None
                or ctx.origin_before.search(before) is not None
            )
            previous = hits[-1] if hits else None
            if (
                previous is not None
                and previous.entry.kind == "province"
                and entry.kind == "town"
                and entry.admin1_code != previous.entry.admin1_code
                and _POSSESSIVE.fullmatch(sentence, previous.end, start)
            ):
                # "Chhattisgarh's Bijapur district": the province's own place, which the
                # gazetteer lacks, not Karnataka's Bijapur; the province stands.
                resume = i + n
                break
            hits.append(Hit(entry, start, end, near, len(countries) > 1, destination))
            resume = i + n
            break
    capitals = capital_of()
    phrases = ctx.capital_phrase.finditer(sentence) if ctx.capital_phrase and named else ()
    for m in phrases:
        # "the Somali capital", "la capitale ukrainienne", "العاصمة السودانية": the city.
        adj = m.group("adj")
        code = next((c for p, c in ctx.capital_adjectives if p.match(adj)), None)
        if code in capitals and not _overlaps(m.start(), m.end(), exclude):
            hits.append(Hit(capitals[code], m.start(), m.end()))
    adjectives = may_match(ctx.adjective_keys, lowered)
    for m in ctx.adjective_phrase.finditer(sentence) if adjectives else ():
        adj = m.group("adj")
        code = next((c for p, c in ctx.adjectives if p.match(adj)), None)
        if code and not _overlaps(m.start("adj"), m.end("adj"), exclude):
            hits.append(Hit(entry_for_country(code), m.start("adj"), m.end("adj")))
    return hits


def _foreign_adjective(
    sentence: str, tokens: list[tuple[int, int, str]], after: int, ctx: _Context, country: str
) -> str | None:
    """Return the country of the adjective right after a name (token ``after``) when it is
    not ``country`` ("المالكية الإسرائيلي"), else None."""
    if after >= len(tokens):
        return None
    word = sentence[tokens[after][0] : tokens[after][1]]
    code = next((c for p, c in ctx.adjectives if p.match(word)), None)
    return code if code is not None and code != country else None


def most_specific(hits: list[Hit]) -> list[Hit]:
    """Return the place(s) tied to the act: the most specific hit, or several when the text
    coordinates equally specific places in different provinces ("à Bagdad et à Babil")."""
    if not hits:
        return []
    best_rank = min(RANK[h.entry.kind] for h in hits)
    best = sorted((h for h in hits if RANK[h.entry.kind] == best_rank), key=lambda h: h.start)
    return [best[0]]


def on_the_way(sentence: str, first: Hit, second: Hit, lex: Lexicon) -> bool:
    """Return True when the act lies on the way between ``first`` and ``second`` ("the highway
    between Nasiriyah and Diwaniyah", "la route reliant Bagdad à Babel"): one act, placed
    near the first, as ACLED places an act on a road (geo_precision 2)."""
    return (
        0 <= second.start - first.end <= 30
        and _context(lex).between_before.search(sentence[max(0, first.start - 40) : first.start])
        is not None
    )


def _countries_joined(sentence: str, hits: list[Hit], lex: Lexicon) -> list[Hit]:
    """Return the countries joined by "and" or commas after a preposition of place ("air
    strikes in Iraq and Syria": an event in each, ACLED's rule), [] when fewer than two are,
    no such preposition leads them, or they bound a border ("the border between Lebanon and
    Israel": one act)."""
    countries = sorted(hits, key=lambda h: h.start)
    if len(countries) < 2 or on_the_way(sentence, countries[0], countries[1], lex):
        return []
    if not locative(sentence, countries[0].start, lex):
        return []  # "chants hostile to Iran, the US and Israel": not where anything happened
    chain = [countries[0]]
    for hit in countries[1:]:
        between = sentence[chain[-1].end : hit.start]
        if len(between) > 20 or not _context(lex).coordination.search(between):
            break
        chain.append(hit)
    names = {h.entry.country for h in chain}
    return chain if len(chain) > 1 and len(names) == len(chain) else []


def _names_province_of(hit: Hit, town: Hit) -> bool:
    """Return True when ``hit``'s name is the province of ``town`` ("Guanajuato" after
    Celaya, in the state of Guanajuato)."""
    province = town.entry.admin1
    return (
        town.entry.kind == "town"
        and province is not None
        and hit.entry.admin1_code == town.entry.admin1_code
        and normalize(hit.entry.name) == normalize(province)
    )


def _other_province_of(hit: Hit, town: Hit) -> bool:
    """Return True when ``hit`` is a province of ``town``'s country other than its own."""
    return (
        town.entry.kind == "town"
        and hit.entry.kind == "province"
        and hit.entry.country == town.entry.country
        and hit.entry.admin1_code != town.entry.admin1_code
    )


def _homonym_before(between: str, previous: Hit, hit: Hit, last: bool, ctx: _Context) -> bool:
    """Return True when ``previous``, a town, names a homonym of a place the gazetteer lacks,
    which ``hit`` (``last``: the sentence's last place) says where it is:

    - "Frontera Comalapa": two towns' names side by side are one name, whose last word the
      gazetteer knows the town by; the first alone is another town;
    - "Frontera Comalapa, Chiapas": a town followed by another province of its country
      ("Frontera" is in Coahuila); the province stands;
    - "la aldea El Carmen, en el municipio de San Pedro Sula": a town said to lie in a town
      of another country (El Carmen is also Mexico's Ciudad del Carmen).
    """
    towns = previous.entry.kind == hit.entry.kind == "town"
    if not between.strip():
        return towns
    if between.strip() in (",", "\u060c") and last and _other_province_of(hit, previous):
        return True
    return (
        towns
        and len(between) <= 40
        and previous.entry.country != hit.entry.country
        and ctx.apposition.match(between) is not None
    )


def split_coordinated(sentence: str, hits: list[Hit], lex: Lexicon) -> list[Hit]:
    """Return the places joined by commas or the language's "and" (``coordination``) that lie
    in different provinces ("à Bagdad et à Babil": two events, ACLED's rule), else the single
    most specific hit."""
    below_country = sorted((h for h in hits if h.entry.kind != "country"), key=lambda h: h.start)
    ctx = _context(lex)
    if not below_country:
        return _countries_joined(sentence, hits, lex) or most_specific(hits)
    if len(below_country) < 2:
        return most_specific(hits)
    first = below_country[0]
    if on_the_way(sentence, first, below_country[1], lex):
        return [replace(first, near=True)]
    chain = [first]
    previous = first
    # The towns that only say where another place is: the town a part of it is named after
    # ("the Port-au-Prince suburb of Carrefour"), a homonym of one we lack ("Frontera").
    parts_of: set[int] = set()
    for hit in below_country[1:]:
        # Measured from the place just before, in the chain or not: "contre la base d'Aïn
        # al-Asad, dans la province d'al-Anbar, et contre la base de Harir".
        between = sentence[previous.end : hit.start]
        if ctx.part_of is not None and ctx.part_of.fullmatch(between) and chain[-1] is previous:
            # "the Port-au-Prince suburb of Carrefour", "the Mushin area of Lagos": the part
            # is the place, the other town only says where it is; which is the part, the
            # word order does not tell (both orders are written): the smaller town; of a
            # town and a province ("the Bannu district of Khyber Pakhtunkhwa"), the town.
            if (RANK[hit.entry.kind], hit.entry.population) <= (
                RANK[previous.entry.kind],
                previous.entry.population,
            ):
                parts_of.add(id(previous))
                chain[-1] = previous = hit
            else:
                parts_of.add(id(hit))
            continue
        if hit.near or (len(between) <= 40 and ctx.near_any.search(between)):
            # "al-Yusufiya, au sud de Bagdad", "the Abu Ghraib base, west of the capital
            # Baghdad": a reference point locating the place before it, not a second place.
            previous = hit
            continue
        # "Celaya, Guanajuato": a town's province named after it by the province's name,
        # which is also a city's (Mexico's states and their capitals), is the town's region.
        if between.strip() in (",", "\u060c") and _names_province_of(hit, previous):
            continue
        if chain[-1] is previous and _homonym_before(
            between, previous, hit, hit is below_country[-1], ctx
        ):
            # The place before only names a homonym of one we lack: the later one stands.
            parts_of.add(id(previous))
            chain[-1] = previous = hit
            continue
        # A comma and "in" before a wider place is an apposition, its region ("l'aéroport
        # d'Erbil, dans la région autonome du Kurdistan"), not a second place of the act;
        # "Bagdad, Babil et Bassora" stays an enumeration.
        # So is a part of a place of the same rank ("the Jabalia refugee camp, in northern
        # Gaza": Jabalia is in the north of the Gaza Strip, not a second place).
        apposition = ctx.apposition.match(between) is not None and (
            RANK[hit.entry.kind] > RANK[previous.entry.kind]
            or ctx.apposition_region.search(between) is not None
        )
        if len(between) <= 30 and ctx.coordination.search(between) and not apposition:
            chain.append(hit)
        previous = hit
    # A province joined to a town in it is that town's region ("Kfar Kila and the Nabatieh
    # governorate"); towns and sites are places of their own, one event each, in one province
    # or not ("Khiam and Kfar Kila", "à Bagdad et à Babil": ACLED's rule).
    kept = [
        h
        for h in chain
        if h.entry.kind in ("town", "site", "area")
        or not any(
            o is not h and o.entry.admin1_code == h.entry.admin1_code and o.entry.kind != "province"
            for o in chain
        )
    ]
    names = {h.entry.name for h in kept}
    admin1 = {h.entry.admin1_code or h.entry.name for h in kept}
    distinct = len(names) == len(kept) and (
        len(admin1) == len(kept) or all(h.entry.kind in ("town", "site", "area") for h in kept)
    )
    return (
        kept
        if len(kept) > 1 and distinct
        else most_specific([h for h in hits if id(h) not in parts_of])
    )
