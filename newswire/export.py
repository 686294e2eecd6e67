"""``newswire export``: events and articles as the records DESIGN.md specifies."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any, TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.tables import Article, Event, Feed, Mention
from workers.eventcoding import gazetteer
from workers.eventcoding.states import countries

EVENT_FIELDS = [
    "event_id", "event_type", "sub_event_type", "plover_event", "plover_mode", "event_date",
    "date_precision", "date_text", "country_code", "admin1_code", "admin1", "location",
    "latitude", "longitude", "geo_precision", "actors", "fatalities", "injured", "counts",
    "intercepted", "mentions", "num_articles", "confidence", "extractor_version",
]  # fmt: skip
ARTICLE_FIELDS = [
    "article_id", "url", "canonical_url", "feed_url", "title", "text", "language",
    "language_confidence", "published_at", "fetched_at", "duplicate_of", "cluster_id",
    "content_hash", "status", "skip_reason", "author", "site_name", "image_url",
    "published_source", "published_reason",
]  # fmt: skip


def event_records(session: Session, since: str | None = None) -> Iterator[dict[str, Any]]:
    """Yield one exported record per event (oldest event date first), mentions included."""
    stmt = select(Event).order_by(Event.event_date, Event.id)
    if since:
        stmt = stmt.where(Event.event_date >= since)
    for ev in session.scalars(stmt):
        rows = session.execute(
            select(Mention, Article.url, Article.published_at)
            .join(Article, Article.article_key == Mention.article_key)
            .where(Mention.event_id == ev.id)
            .order_by(Mention.article_key, Mention.mention_index)
        ).all()
        yield event_record(ev, [mention_record(m, url, published) for m, url, published in rows])


def mention_record(m: Mention, url: str | None, published_at: str | None) -> dict[str, Any]:
    """Return one mention as the exported event record lists it."""
    return {
        "article_id": m.article_key,
        "url": url,
        "language": m.language,
        "sentence": m.sentence,
        "start": m.start,
        "end": m.end,
        "published_at": published_at,
    }


def event_record(ev: Event, mentions: list[dict[str, Any]]) -> dict[str, Any]:
    """Return ``ev`` as the exported event record (DESIGN.md), with ``mentions`` as given."""
    return {
        "event_id": ev.id,
        "event_type": ev.event_type,
        "sub_event_type": ev.sub_event_type,
        "plover_event": ev.plover_event,
        "plover_mode": ev.plover_mode,
        "event_date": ev.event_date,
        "date_precision": ev.date_precision,
        "date_text": ev.date_text,
        "country_code": ev.country_code,
        "admin1_code": ev.admin1_code,
        "admin1": ev.admin1,
        "location": ev.location,
        "latitude": ev.latitude,
        "longitude": ev.longitude,
        "geo_precision": ev.geo_precision,
        "actors": ev.actors or [],
        "fatalities": ev.fatalities,
        "injured": ev.injured,
        "counts": ev.counts or {},
        "intercepted": ev.intercepted,
        "mentions": mentions,
        "num_articles": ev.num_articles,
        "confidence": ev.confidence,
        "extractor_version": ev.extractor_version,
    }


def article_records(session: Session, since: str | None = None) -> Iterator[dict[str, Any]]:
    """Yield one exported record per article (skipped ones included, with their reason)."""
    stmt = select(Article).order_by(Article.stored_at)
    if since:
        stmt = stmt.where(Article.published_at >= since)
    for a in session.scalars(stmt):
        yield article_record(a)


def article_record(a: Article) -> dict[str, Any]:
    """Return ``a`` as the exported article record (DESIGN.md)."""
    return {
        "article_id": a.article_key,
        "url": a.url,
        "canonical_url": a.canonical_url,
        "feed_url": a.feed_url,
        "title": a.title,
        "text": a.text,
        "language": a.language,
        "language_confidence": a.language_confidence,
        "published_at": a.published_at,
        "fetched_at": a.fetched_at,
        "duplicate_of": a.duplicate_of,
        "cluster_id": a.cluster_id,
        "content_hash": a.content_hash,
        "status": a.status,
        "skip_reason": a.skip_reason,
        # The page metadata comes last so that CSV readers that go by column position keep
        # working; published_source / published_reason say which date is in published_at.
        "author": a.author,
        "site_name": a.site_name,
        "image_url": a.image_url,
        "published_source": a.published_source,
        "published_reason": a.published_reason,
    }


def write_jsonl(records: Iterator[dict[str, Any]], out: TextIO) -> int:
    """Write one JSON object per line; return how many."""
    n = 0
    for rec in records:
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        n += 1
    return n


def write_csv(records: Iterator[dict[str, Any]], out: TextIO, columns: list[str]) -> int:
    """Write a CSV with ``columns`` (nested values as JSON); return the number of rows."""
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    n = 0
    for rec in records:
        flat = {
            k: json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v
            for k, v in rec.items()
        }
        writer.writerow(flat)
        n += 1
    return n


def render_events_table(records: list[dict[str, Any]], width: int = 120) -> str:
    """Return a plain-text table of events for people (the demo prints it)."""
    buf = io.StringIO()
    header = (
        f"{'type':<34} {'date':<10} {'prec':<5} {'place':<28} {'admin1':<14} "
        f"{'counts':<22} {'arts':>4}"
    )
    buf.write(header + "\n" + "-" * len(header) + "\n")
    for r in records:
        counts = dict(r["counts"])
        if r.get("fatalities") is not None:
            counts["killed"] = r["fatalities"]
        if r.get("injured") is not None:
            counts["injured"] = r["injured"]
        ctext = ", ".join(f"{k}={v}" for k, v in counts.items()) or "-"
        admin = r["admin1_code"] or r["country_code"]
        buf.write(
            f"{r['sub_event_type'][:34]:<34} {r['event_date']:<10} {r['date_precision'][:5]:<5} "
            f"{r['location'][:28]:<28} {admin[:14]:<14} {ctext[:22]:<22} {r['num_articles']:>4}\n"
        )
        if r["mentions"]:
            sentence = r["mentions"][0]["sentence"].replace("\n", " ")
            limit = width - 6
            buf.write(f"    « {sentence[:limit]}{'…' if len(sentence) > limit else ''} »\n")
    return buf.getvalue()


def feed_rows(session: Session) -> list[dict[str, Any]]:
    """Return every feed with its health, as plain dicts."""
    out = []
    for f in session.scalars(select(Feed).order_by(Feed.id)):
        out.append(
            {
                "id": f.id,
                "url": f.url,
                "title": f.title,
                "health": f.health,
                "error_count": f.error_count,
                "last_error": f.last_error,
                "last_status": f.last_status,
                "entries_seen": f.entries_seen,
                "last_checked_at": f.last_checked_at.isoformat() if f.last_checked_at else None,
                "last_success_at": f.last_success_at.isoformat() if f.last_success_at else None,
                "next_check_at": f.next_check_at.isoformat() if f.next_check_at else None,
            }
        )
    return out


# --- ACLED, PLOVER and GeoJSON renderings of the event records -------------------------------

#: ACLED's export columns, in ACLED's order.
ACLED_FIELDS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
]  # fmt: skip
#: ACLED's interaction codes by our actor types (1 state forces, 2 rebels, 3 political
#: militias, 5 rioters, 6 protesters, 7 civilians, 8 external/other forces).
_INTER = {
    "state_forces": 1, "state": 1, "rebel": 2, "militia": 3, "political": 3, "rioters": 5,
    "protesters": 6, "civilians": 7, "person": 7, "diplomatic": 7, "external": 8,
}  # fmt: skip
_TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3}
_VIOLENT = {"Battles", "Explosions/Remote violence", "Violence against civilians"}
#: ACLED regions for the countries the extractor's gazetteer and actors cover best.
_ACLED_REGION = {
    **dict.fromkeys(
        ["IQ", "SY", "LB", "YE", "IL", "PS", "IR", "JO", "TR", "SA", "KW", "BH", "QA", "AE", "OM"],
        "Middle East",
    ),
    **dict.fromkeys(["EG", "LY", "DZ", "MA", "TN", "SD"], "Northern Africa"),
    **dict.fromkeys(["SO", "ET", "KE", "UG", "SS", "ER", "DJ", "TZ", "RW", "BI"], "Eastern Africa"),
    **dict.fromkeys(["NG", "ML", "BF", "NE", "SN", "GH", "CI", "MR", "TD", "CM"], "Western Africa"),
    **dict.fromkeys(["AF", "PK", "IN", "BD", "NP", "LK"], "South Asia"),
}


def _country(code: str | None) -> tuple[str, str, int | None]:
    """Return (ACLED country name, ISO alpha-3, ISO numeric) for an ISO alpha-2 code."""
    import pycountry  # noqa: PLC0415 (only the ACLED export needs it)

    if not code:
        return "", "", None
    c = pycountry.countries.get(alpha_2=code)
    if c is None:
        return code, code, None
    return gazetteer.country_name(code), str(c.alpha_3), int(c.numeric)


def _disorder(event_type: str, sub_event_type: str) -> str:
    """Return ACLED's disorder type for an event type and sub-type."""
    if sub_event_type == "Excessive force against protesters":
        return "Political violence; Demonstrations"
    if event_type in _VIOLENT or sub_event_type == "Mob violence":
        return "Political violence"
    if event_type in ("Protests", "Riots"):
        return "Demonstrations"
    return "Strategic developments"


def _inter(actor: dict[str, Any], country_code: str | None) -> int | None:
    """Return ACLED's inter code of ``actor`` in an event in ``country_code``: a state's forces
    outside their own country are external forces (8), as ACLED codes the US in Iraq."""
    home = countries().get(str(actor.get("name")))
    if home and country_code and home != country_code and actor.get("type") == "state_forces":
        return 8
    return _INTER.get(actor.get("type") or "")


#: Actors the extractor names without their country, which ACLED names by the event's.
_BY_COUNTRY = {"Police forces": "Police Forces of {}"}


def _acled_name(actor: dict[str, Any], country: str) -> str:
    """Return ACLED's name of ``actor`` in an event in ``country`` (ACLED's country name):
    the police the text leaves unqualified are that country's ("Police Forces of Kenya")."""
    template = _BY_COUNTRY.get(str(actor.get("name")))
    return template.format(country) if template and country else str(actor.get("name"))


def _unnamed_actor(rec: dict[str, Any], country: str) -> tuple[str, int | None]:
    """Return ACLED's name and code for an actor the text does not name ("Protesters (Iraq)",
    "Unidentified Armed Group (Iraq)"), or ("", None) when ACLED leaves it empty."""
    where = f" ({country})" if country else ""
    if rec["event_type"] == "Protests":
        return f"Protesters{where}", 6
    if rec["event_type"] == "Riots":
        return (f"Rioters{where}", 5)
    if rec["event_type"] in _VIOLENT:
        return f"Unidentified Armed Group{where}", 3
    return "", None


def _host(url: str | None) -> str:
    from urllib.parse import urlsplit  # noqa: PLC0415

    return urlsplit(url or "").hostname or ""


def acled_row(rec: dict[str, Any], *, timestamp: int) -> dict[str, Any]:
    """Return one event record (from :func:`event_records`) as an ACLED CSV row.

    Conventions: ``event_id_cnty`` is the ISO alpha-3 code and our event id; time_precision
    1/2/3 for day/week/month-or-coarser; an attacker the text does not name becomes ACLED's
    "Unidentified Armed Group (Country)" (protesters and rioters likewise); unknown fatalities
    are 0; ``source`` lists the reporting sites; ``notes`` quotes the first report.
    """
    name, alpha3, numeric = _country(rec["country_code"])
    actors_ = rec.get("actors") or []
    doers = [a for a in actors_ if a.get("role") == "actor"]
    targets = [a for a in actors_ if a.get("role") == "target"]
    crowd = rec["event_type"] in ("Protests", "Riots")
    if doers and not (crowd and doers[0].get("type") == "protesters"):
        actor1, inter1 = _acled_name(doers[0], name), _inter(doers[0], rec["country_code"])
    else:
        # A crowd is "Protesters (Country)" / "Rioters (Country)" in ACLED, named or not.
        actor1, inter1 = _unnamed_actor(rec, name)
    if targets:
        actor2, inter2 = _acled_name(targets[0], name), _inter(targets[0], rec["country_code"])
    elif rec["event_type"] == "Violence against civilians":
        # ACLED's second actor of violence against civilians is always the civilians.
        actor2, inter2 = (f"Civilians ({name})" if name else "Civilians"), 7
    else:
        actor2, inter2 = "", None
    codes = sorted(c for c in (inter1, inter2) if c)
    interaction = codes[0] * 10 + (codes[1] if len(codes) > 1 else 0) if codes else ""
    civilian = rec["event_type"] == "Violence against civilians" or inter2 == 7
    tags = [f"{k}={v}" for k, v in sorted((rec.get("counts") or {}).items())]
    if rec.get("intercepted"):
        tags.insert(0, "intercepted")
    mentions = rec.get("mentions") or []
    sources = list(dict.fromkeys(h for h in (_host(m.get("url")) for m in mentions) if h))
    return {
        "event_id_cnty": f"{alpha3 or 'XXX'}{rec['event_id']}",
        "event_date": rec["event_date"],
        "year": str(rec["event_date"])[:4],
        "time_precision": _TIME_PRECISION.get(rec["date_precision"], 3),
        "disorder_type": _disorder(rec["event_type"], rec["sub_event_type"]),
        "event_type": rec["event_type"],
        "sub_event_type": rec["sub_event_type"],
        "actor1": actor1,
        "assoc_actor_1": "; ".join(_acled_name(a, name) for a in doers[1:]),
        "inter1": inter1 if inter1 is not None else "",
        "actor2": actor2,
        "assoc_actor_2": "; ".join(_acled_name(a, name) for a in targets[1:]),
        "inter2": inter2 if inter2 is not None else "",
        "interaction": interaction,
        "civilian_targeting": "Civilian targeting" if civilian else "",
        "iso": numeric if numeric is not None else "",
        "region": _ACLED_REGION.get(rec["country_code"] or "", ""),
        "country": name,
        "admin1": rec.get("admin1") or "",
        "admin2": "",
        "admin3": "",
        "location": rec["location"],
        "latitude": rec["latitude"] if rec["latitude"] is not None else "",
        "longitude": rec["longitude"] if rec["longitude"] is not None else "",
        "geo_precision": rec["geo_precision"],
        "source": "; ".join(sources),
        "source_scale": "",
        "notes": mentions[0]["sentence"].replace("\n", " ") if mentions else "",
        "fatalities": rec.get("fatalities") or 0,
        "tags": "; ".join(tags),
        "timestamp": timestamp,
    }


def write_acled_csv(records: Iterator[dict[str, Any]], out: TextIO) -> int:
    """Write event records as ACLED's CSV (columns :data:`ACLED_FIELDS`); return the rows."""
    import time  # noqa: PLC0415

    now = int(time.time())
    writer = csv.DictWriter(out, fieldnames=ACLED_FIELDS)
    writer.writeheader()
    n = 0
    for rec in records:
        writer.writerow(acled_row(rec, timestamp=now))
        n += 1
    return n


def plover_record(rec: dict[str, Any]) -> dict[str, Any]:
    """Return one event record in PLOVER 2.0's shape: ``event`` and ``mode`` codes, ``actor``
    and ``recipient`` (our target) with their types, a ``location`` object, the quoted
    ``text`` of every report, and the ACLED coding kept under ``acled``."""
    actors_ = rec.get("actors") or []
    doers = [a for a in actors_ if a.get("role") == "actor"]
    targets = [a for a in actors_ if a.get("role") == "target"]
    return {
        "id": rec["event_id"],
        "date": rec["event_date"],
        "date_precision": rec["date_precision"],
        "event": rec["plover_event"],
        "mode": rec["plover_mode"],
        "actor": doers[0]["name"] if doers else None,
        "actor_type": doers[0].get("type") if doers else None,
        "recipient": targets[0]["name"] if targets else None,
        "recipient_type": targets[0].get("type") if targets else None,
        "location": {
            "name": rec["location"],
            "country": rec["country_code"],
            "admin1": rec.get("admin1_code"),
            "lat": rec["latitude"],
            "lon": rec["longitude"],
            "geo_precision": rec["geo_precision"],
        },
        "fatalities": rec.get("fatalities"),
        "injured": rec.get("injured"),
        "counts": rec.get("counts") or {},
        "intercepted": rec.get("intercepted"),
        "text": [m["sentence"] for m in rec.get("mentions") or []],
        "sources": [m.get("url") for m in rec.get("mentions") or [] if m.get("url")],
        "num_articles": rec["num_articles"],
        "confidence": rec["confidence"],
        "coder": rec["extractor_version"],
        "acled": {"event_type": rec["event_type"], "sub_event_type": rec["sub_event_type"]},
    }


def write_plover_jsonl(records: Iterator[dict[str, Any]], out: TextIO) -> int:
    """Write event records as PLOVER JSON lines; return how many."""
    return write_jsonl((plover_record(r) for r in records), out)


def write_geojson(records: Iterator[dict[str, Any]], out: TextIO) -> int:
    """Write event records as one GeoJSON FeatureCollection (RFC 7946: [lon, lat] points; an
    event known only at country level has a null geometry); return the number of features.

    Properties are the record's fields, with the mentions reduced to their count and the
    first report's sentence, so maps stay light.
    """
    n = 0
    out.write('{"type": "FeatureCollection", "features": [')
    for rec in records:
        mentions = rec.get("mentions") or []
        props = {k: v for k, v in rec.items() if k != "mentions"}
        props["num_mentions"] = len(mentions)
        props["first_report"] = mentions[0]["sentence"] if mentions else None
        has_point = rec["latitude"] is not None and rec["longitude"] is not None
        feature = {
            "type": "Feature",
            "id": rec["event_id"],
            "geometry": (
                {"type": "Point", "coordinates": [rec["longitude"], rec["latitude"]]}
                if has_point
                else None
            ),
            "properties": props,
        }
        out.write(("," if n else "") + "\n" + json.dumps(feature, ensure_ascii=False))
        n += 1
    out.write("\n]}\n")
    return n
