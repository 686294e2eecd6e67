"""The event record: what the events stage extracts and what ``export events`` prints.

Field meanings follow ``events/GUIDELINES.md`` (ACLED types, PLOVER codes). Everything here is
plain data with JSON round-trips so mentions can travel on the queues.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Role = Literal["actor", "target"]
DatePrecision = Literal["day", "week", "month", "year"]

#: ACLED event types in the exact spelling ACLED uses.
EVENT_TYPES: tuple[str, ...] = (
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
)


@dataclass(frozen=True, slots=True)
class Actor:
    """A canonical actor and the role it plays in one event."""

    name: str
    role: Role
    type: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-safe form of this actor."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Actor:
        """Return the actor described by ``data`` (the output of :meth:`to_dict`)."""
        return cls(name=str(data["name"]), role=data["role"], type=data.get("type"))


@dataclass(frozen=True, slots=True)
class Place:
    """A resolved place: the most specific location the text ties to an act."""

    name: str
    country_code: str
    admin1_code: str | None = None
    admin1: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    #: 1 place/site, 2 district, 3 province/country (ACLED's convention).
    geo_precision: int = 3

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-safe form of this place."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Place:
        """Return the place described by ``data`` (the output of :meth:`to_dict`)."""
        return cls(**data)


@dataclass(frozen=True, slots=True)
class EventMention:
    """One sentence of one article reporting one event, with every coded field."""

    event_type: str
    sub_event_type: str
    plover_event: str
    plover_mode: str | None
    event_date: str  # YYYY-MM-DD
    date_precision: DatePrecision
    date_text: str | None
    place: Place
    sentence: str
    start: int  # character offsets of ``sentence`` in the article text
    end: int
    actors: tuple[Actor, ...] = ()
    fatalities: int | None = None
    injured: int | None = None
    counts: dict[str, int] = field(default_factory=dict)
    intercepted: bool = False
    confidence: float = 0.5
    extractor_version: str = "0"

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-safe form of this mention (nested place and actors as dicts)."""
        data = asdict(self)
        data["actors"] = [a.to_dict() for a in self.actors]
        data["place"] = self.place.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EventMention:
        """Return the mention described by ``data`` (the output of :meth:`to_dict`)."""
        fields = dict(data)
        fields["place"] = Place.from_dict(fields["place"])
        fields["actors"] = tuple(Actor.from_dict(a) for a in fields.get("actors", ()))
        fields["counts"] = {str(k): int(v) for k, v in (fields.get("counts") or {}).items()}
        return cls(**fields)
