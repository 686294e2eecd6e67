"""Resolve the date expressions of a sentence against the article's publication time.

Relative words ("jeudi", "hier", "last Tuesday", "dans la nuit de mercredi à jeudi") resolve
in the publication's own time zone and prefer the past; explicit dates without a year take the
latest year that does not put them after publication. "Quelques jours plus tôt" resolves
against the previous sentence's date (the narrative anchor), keeping that anchor's precision.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

import dateparser

from schemas.events import DatePrecision

from . import numbers
from .lexicon import Lexicon, compile_any, literal_keys, may_match

#: More specific precisions win when a sentence holds several dates.
RANK: dict[str, int] = {"day": 0, "week": 1, "month": 2, "year": 3}
#: The relative expressions each language's "dates" lists, in the order they are tried.
_RELATIVE = (
    "day_before_yesterday",
    "yesterday",
    "today",
    "last_week",
    "this_week",
    "last_month",
    "this_month",
    "last_year",
    "this_year",
)


@dataclass(frozen=True, slots=True)
class DateRef:
    """A resolved date: its first day, precision, the words it came from and where."""

    date: dt.date
    precision: DatePrecision
    text: str | None
    start: int = -1


def publication_date(published_at: str | None) -> dt.date:
    """Return the publication day in the publication's own time zone (today when None).

    Raises ValueError with the offending value when ``published_at`` is not a date.
    """
    if published_at is None:
        return dt.datetime.now(dt.UTC).date()
    try:
        return dt.datetime.fromisoformat(published_at.strip()).date()
    except ValueError:
        # Feeds also carry RFC 822 dates; dateparser keeps their offset.
        parsed = dateparser.parse(published_at, settings={"RETURN_AS_TIMEZONE_AWARE": True})
        if parsed is None:
            raise ValueError(f"published_at is not a date: {published_at!r}") from None
        return parsed.date()


@dataclass(frozen=True, slots=True, eq=False)
class _Patterns:
    full: re.Pattern[str]
    full_en: re.Pattern[str]
    night: re.Pattern[str]
    last_weekday: re.Pattern[str]
    weekday: re.Pattern[str]
    month_year: re.Pattern[str]
    month: re.Pattern[str]
    #: A month said to be the last of its name ("last November", "novembre dernier"): the
    #: latest one before the publication's month. Never matches for a pack without it.
    last_month_name: re.Pattern[str]
    year: re.Pattern[str]
    relative: tuple[tuple[str, re.Pattern[str]], ...]
    earlier: re.Pattern[str]
    #: "hours later", "le même jour", "بعد ساعات": the day of the narrative's last date.
    same_day: re.Pattern[str]
    #: "la veille", "the day before", "في اليوم السابق": the day before the narrative's date.
    day_before: re.Pattern[str]
    #: "il y a deux ans", "3 days ago", "قبل عامين": a span back from publication.
    ago: re.Pattern[str]
    ago_units: dict[str, tuple[str, int | None]]
    ago_one: frozenset[str]
    ago_keys: tuple[str, ...] | None
    weekdays: dict[str, int]
    months: dict[str, int]
    #: Literals that patterns need (see lexicon.literal_keys): a sentence without any of a
    #: group's literals skips that group's regexes.
    month_keys: tuple[str, ...] | None
    weekday_keys: tuple[str, ...] | None
    relative_keys: tuple[tuple[str, ...] | None, ...]
    earlier_keys: tuple[str, ...] | None
    same_day_keys: tuple[str, ...] | None
    day_before_keys: tuple[str, ...] | None


@cache
def _patterns(lex: Lexicon) -> _Patterns:
    d = lex.raw["dates"]
    wd = "|".join(d["weekdays"])
    mo = "|".join(d["months"])
    first = "|".join(d["ordinal_first"])
    day = rf"(?P<day>{first}|[0-3]?\d)(?:st|nd|rd|th|er)?"
    # The word between day, month and year ("20 de diciembre de 2020"); English "of" by default.
    joiner = rf"(?:{d.get('joiner', 'of')}\s+)?"
    year = rf"(?:,?\s+{joiner}(?P<year>(?:19|20)\d\d))?"
    weekday = rf"(?<!\w)(?P<wd>{wd})(?!\w)"
    next_month = rf"(?!{d['month_next']})" if d.get("month_next") else ""
    last = d.get("month_last", {})
    # A weekday before an explicit date belongs to it ("mardi 16 juillet").
    lead = rf"(?:(?:{wd}),?\s+(?:the\s+)?)?"

    def c(p: str) -> re.Pattern[str]:
        return re.compile(p, re.IGNORECASE)

    return _Patterns(
        full=c(rf"(?<!\w){lead}{day}\s+{joiner}(?P<month>{mo})(?!\w){year}"),
        full_en=c(rf"(?<!\w){lead}(?P<month>{mo})\s+{day}(?!\w){year}"),
        night=c(d["night"].replace("{WEEKDAY}", rf"(?:{wd})", 1).replace("{WEEKDAY}", weekday)),
        last_weekday=c(d["last_weekday"].replace("{WEEKDAY}", weekday)),
        weekday=c(weekday),
        month_year=c(rf"(?<!\w)(?P<month>{mo})\s+{joiner}(?P<year>(?:19|20)\d\d)(?!\d)"),
        # A month said to be the coming one ("في ابريل (نيسان) المقبل", "in April next year")
        # is no date of an act.
        month=c(rf"(?<!\w){d['month_year_prefix']}\s*(?P<month>{mo})(?!\w){next_month}"),
        last_month_name=c(
            rf"(?<!\w)(?:{last['before']})\s+(?P<month>{mo})(?!\w)"
            if last.get("before")
            else rf"(?<!\w)(?P<month>{mo})\s+(?:{last['after']})(?!\w)"
            if last.get("after")
            else "(?!)"
        ),
        year=c(rf"(?<!\w){d['year_prefix']}\s+(?P<year>(?:19|20)\d\d)(?!\d)"),
        relative=tuple((name, compile_any(d.get(name, []), bounded=True)) for name in _RELATIVE),
        earlier=compile_any(d["earlier"], bounded=True),
        # "hours later" is the same day too; the article pass also reads it as another act.
        same_day=compile_any(d.get("same_day", []) + d.get("later", []), bounded=True),
        day_before=compile_any(d.get("day_before", []), bounded=True),
        ago=re.compile(rf"(?<!\w){d['ago']['pattern']}(?!\w)", re.IGNORECASE),
        ago_units={k.lower(): (v[0], v[1]) for k, v in d["ago"]["units"].items()},
        ago_one=frozenset(w.lower() for w in d["ago"]["one"]),
        ago_keys=literal_keys([d["ago"]["pattern"]]),
        weekdays={w.lower(): i for i, w in enumerate(d["weekdays"])},
        # A month may have several spellings, "|"-separated ("أكتوبر|اكتوبر": the hamza is
        # often left out).
        months={s.lower(): i + 1 for i, m in enumerate(d["months"]) for s in m.split("|")},
        month_keys=literal_keys(d["months"]),
        weekday_keys=literal_keys(d["weekdays"]),
        relative_keys=tuple(literal_keys(d.get(name, [])) for name in _RELATIVE),
        earlier_keys=literal_keys(d["earlier"]),
        same_day_keys=literal_keys(d.get("same_day", []) + d.get("later", [])),
        day_before_keys=literal_keys(d.get("day_before", [])),
    )


def calendar_words(lex: Lexicon) -> frozenset[str]:
    """Return the language's weekday and month names, lower-cased."""
    p = _patterns(lex)
    return frozenset(p.weekdays) | frozenset(p.months)


def _last_weekday(pub: dt.date, weekday: int, *, strictly_before: bool) -> dt.date:
    back = (pub.weekday() - weekday) % 7
    if back == 0 and strictly_before:
        back = 7
    return pub - dt.timedelta(days=back)


def _day_of(match: re.Match[str], p: _Patterns, pub: dt.date) -> dt.date | None:
    month = p.months[match.group("month").lower()]
    raw_day = match.group("day").lower()
    day = 1 if not raw_day[:1].isdigit() else int(re.sub(r"\D", "", raw_day))
    # No year: the latest one that does not put the date after publication.
    years = [int(match.group("year"))] if match.group("year") else [pub.year, pub.year - 1]
    for year in years:
        if not 1 <= day <= calendar.monthrange(year, month)[1]:
            return None
        candidate = dt.date(year, month, day)
        if match.group("year") or candidate <= pub + dt.timedelta(days=1):
            return candidate
    return None


def find_dates(sentence: str, lex: Lexicon, pub: dt.date, anchor: DateRef | None) -> list[DateRef]:
    """Return every date expression in ``sentence`` resolved against ``pub`` (and ``anchor``)."""
    p = _patterns(lex)
    out: list[DateRef] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match[str], date: dt.date | None, precision: DatePrecision) -> None:
        if date is None or any(s < m.end() and m.start() < e for s, e in taken):
            return
        taken.append((m.start(), m.end()))
        out.append(DateRef(date, precision, m.group(0).strip(), m.start()))

    lowered = sentence.lower()
    has_month = may_match(p.month_keys, lowered)
    has_weekday = may_match(p.weekday_keys, lowered)
    for pattern in (p.full, p.full_en) if has_month else ():
        for m in pattern.finditer(sentence):
            add(m, _day_of(m, p, pub), "day")
    for m in p.night.finditer(sentence) if has_weekday else ():
        add(m, _last_weekday(pub, p.weekdays[m.group("wd").lower()], strictly_before=False), "day")
    for m in p.last_weekday.finditer(sentence) if has_weekday else ():
        add(m, _last_weekday(pub, p.weekdays[m.group("wd").lower()], strictly_before=True), "day")
    shifts: dict[str, tuple[int, DatePrecision]] = {
        "day_before_yesterday": (2, "day"),
        "yesterday": (1, "day"),
        "today": (0, "day"),
        "last_week": (7, "week"),
    }
    for (name, pattern), keys in zip(p.relative, p.relative_keys, strict=True):
        if not may_match(keys, lowered):
            continue
        for m in pattern.finditer(sentence):
            if name == "last_month":
                first = pub.replace(day=1) - dt.timedelta(days=1)
                add(m, first.replace(day=1), "month")
            elif name == "this_month":
                add(m, pub.replace(day=1), "month")
            elif name in ("last_year", "this_year"):
                add(m, dt.date(pub.year - (name == "last_year"), 1, 1), "year")
            elif name == "this_week":
                # Between Monday and the publication day: the middle of that span, so that
                # the day-tolerant merge meets a report that gives the exact day.
                add(m, pub - dt.timedelta(days=pub.weekday() // 2), "week")
            else:
                days, precision = shifts[name]
                add(m, pub - dt.timedelta(days=days), precision)
    for m in p.ago.finditer(sentence) if may_match(p.ago_keys, lowered) else ():
        found = _ago(m, p, pub, lex)
        if found is not None:
            add(m, *found)
    for m in p.weekday.finditer(sentence) if has_weekday else ():
        add(m, _last_weekday(pub, p.weekdays[m.group("wd").lower()], strictly_before=False), "day")
    for m in p.month_year.finditer(sentence) if has_month else ():
        add(m, dt.date(int(m.group("year")), p.months[m.group("month").lower()], 1), "month")
    for m in p.last_month_name.finditer(sentence) if has_month else ():
        month = p.months[m.group("month").lower()]
        add(m, dt.date(pub.year if month < pub.month else pub.year - 1, month, 1), "month")
    for m in p.month.finditer(sentence) if has_month else ():
        month = p.months[m.group("month").lower()]
        year = pub.year if month <= pub.month else pub.year - 1
        add(m, dt.date(year, month, 1), "month")
    for m in p.year.finditer(sentence):
        if int(m.group("year")) <= pub.year:
            add(m, dt.date(int(m.group("year")), 1, 1), "year")
    # Told from the narrative's last date: the same day, the day before, some days before
    # (as the week ending three days before); an anchor coarser than a day stays as it is.
    from_anchor: tuple[tuple[re.Pattern[str], tuple[str, ...] | None, int, DatePrecision], ...] = (
        (p.same_day, p.same_day_keys, 0, "day"),
        (p.day_before, p.day_before_keys, 1, "day"),
        (p.earlier, p.earlier_keys, 3, "week"),
    )
    for pattern, keys, back, precision in from_anchor:
        if anchor is None or not may_match(keys, lowered):
            continue
        for m in pattern.finditer(sentence):
            if anchor.precision == "day":
                add(m, anchor.date - dt.timedelta(days=back), precision)
            else:
                add(m, anchor.date, anchor.precision)
    return out


def _ago(
    m: re.Match[str], p: _Patterns, pub: dt.date, lex: Lexicon
) -> tuple[dt.date, DatePrecision] | None:
    """Return the date and precision "N units ago" means, or None when N is no number ("il y a
    quelques jours" is left to the narrative's other dates)."""
    unit, implied = p.ago_units[m.group("unit").lower()]
    raw = (m.group("n") or "").strip()
    if not raw:
        count = implied
    elif raw.lower() in p.ago_one:
        count = 1
    else:
        count = numbers.parse_number(
            raw, lex.language, at_end=False, table=lex.raw.get("number_words")
        )
    if count is None or count < 1:
        return None
    if unit == "day":
        return pub - dt.timedelta(days=count), "day"
    if unit == "week":
        return pub - dt.timedelta(weeks=count), "week"
    if unit == "month":
        months = pub.year * 12 + pub.month - 1 - count
        return dt.date(months // 12, months % 12 + 1, 1), "month"
    return dt.date(pub.year - count, 1, 1), "year"


def best_date(found: list[DateRef], near: int) -> DateRef | None:
    """Return the most precise date of ``found``, the one nearest offset ``near`` on ties."""
    if not found:
        return None
    return min(found, key=lambda d: (RANK[d.precision], abs(d.start - near)))


def period(ref: DateRef) -> tuple[dt.date, dt.date]:
    """Return the first and last day the date can mean given its precision."""
    if ref.precision == "day":
        return ref.date, ref.date
    if ref.precision == "week":
        # A week-precision date is the end of the week it stands for (publication fallback).
        return ref.date - dt.timedelta(days=6), ref.date
    if ref.precision == "month":
        last = calendar.monthrange(ref.date.year, ref.date.month)[1]
        return ref.date.replace(day=1), ref.date.replace(day=last)
    return dt.date(ref.date.year, 1, 1), dt.date(ref.date.year, 12, 31)
