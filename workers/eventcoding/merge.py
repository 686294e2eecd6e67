"""Merging mentions into events (events/GUIDELINES.md, "Merging").

Two mentions report the same real-world event when their class agrees, their dates agree
(within a day; same month or year when a side is only that precise) and their places coincide
(same site or town, or same admin1 when one side is only a province). An attack on a named
person is one event wherever it is told: a shared named target in the same country is enough
for the places when one side gives only the country.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

from schemas.events import EventMention, Place

from .dates import DateRef, period

#: Two sites or towns closer than this are the same place (a site inside its town).
SAME_PLACE_KM = 20.0


def _class_agrees(a: EventMention, b: EventMention) -> bool:
    if a.plover_event != b.plover_event:
        return False
    # A null mode means the text did not say the weapon: a typed report of the act may agree.
    if a.plover_mode is None or b.plover_mode is None:
        return True
    return (a.event_type, a.sub_event_type) == (b.event_type, b.sub_event_type)


def _dates_agree(a: EventMention, b: EventMention) -> bool:
    ra = DateRef(dt.date.fromisoformat(a.event_date), a.date_precision, a.date_text)
    rb = DateRef(dt.date.fromisoformat(b.event_date), b.date_precision, b.date_text)
    a0, a1 = period(ra)
    b0, b1 = period(rb)
    # A day of slack only between two dated days (reports straddle midnight and time zones).
    slack = dt.timedelta(days=1 if a.date_precision == b.date_precision == "day" else 0)
    return a0 <= b1 + slack and b0 <= a1 + slack


def _km(a: Place, b: Place) -> float | None:
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))  # type: ignore[arg-type]
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def _is_country(p: Place) -> bool:
    return p.admin1_code is None and p.geo_precision == 3


def _named_targets(m: EventMention) -> set[str]:
    return {a.name for a in m.actors if a.type == "person" and a.role == "target"}


def _places_agree(a: EventMention, b: EventMention) -> bool:
    pa, pb = a.place, b.place
    if pa.country_code != pb.country_code:
        return False
    if _is_country(pa) or _is_country(pb):
        both_country = _is_country(pa) and _is_country(pb)
        return bool(_named_targets(a) & _named_targets(b)) or (
            both_country and bool(_named_targets(a)) and _named_targets(a) == _named_targets(b)
        )
    if pa.geo_precision == 3 or pb.geo_precision == 3:
        return pa.admin1_code == pb.admin1_code
    if pa.name == pb.name:
        return True
    km = _km(pa, pb)
    return km is not None and km <= SAME_PLACE_KM and pa.admin1_code == pb.admin1_code


def same_event(a: EventMention, b: EventMention) -> bool:
    """Return True when ``a`` and ``b`` report the same real-world event."""
    return _class_agrees(a, b) and _dates_agree(a, b) and _places_agree(a, b)


def merge_mentions(mentions: Sequence[EventMention]) -> list[list[EventMention]]:
    """Return ``mentions`` grouped into events, groups and members in text order.

    Grouping is transitive (single link): a mention joins every group it matches a member of,
    and those groups become one.
    """
    groups: list[list[EventMention]] = []
    for mention in mentions:
        matching = [g for g in groups if any(same_event(mention, m) for m in g)]
        merged = [m for g in matching for m in g] + [mention]
        groups = [g for g in groups if not any(g is h for h in matching)] + [merged]
    groups.sort(key=lambda g: min(m.start for m in g))
    return [sorted(g, key=lambda m: m.start) for g in groups]
