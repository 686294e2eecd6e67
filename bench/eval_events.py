"""Score the event extractor: the sample's hand-coded events, CASE 2021, Arabic, places, roles.

    python bench/eval_events.py --direct            # extract from gold_text.jsonl, merge, score
    python bench/eval_events.py --events out.jsonl  # score exported event records (or - for stdin)
    python bench/eval_events.py --case2021          # sub-type weighted F1 on CASE 2021 task 2
    python bench/eval_events.py --arabic            # ASSAULT / PROTEST detection F1 (Arabic)
    python bench/eval_events.py --places-fr         # place mentions on HIPE French dev files
    python bench/eval_events.py --speed             # CPU ms per 1000 words per language, RSS
    python bench/eval_events.py --roles             # French roles: patterns vs parse, side by side
    python bench/eval_events.py --general           # events found in general (non-conflict) news
    (add --parser to any mode: roles from the dependency parse where one is installed)

Matching follows gold_events.json's "about": class agrees (event type, and sub-type when the
gold gives one), date within tolerance_days (a month- or year-precision date matches when the
gold date lies in its period widened by the tolerance), place in the same admin1 or within
60 km of the gold coordinates (country-level gold: same country and no admin1). Required gold
events count for recall; found events matching only optional gold events count for neither.
Exit status 0, or 2 when an input is unreadable.
"""

from __future__ import annotations

import argparse
import calendar
import csv
import datetime as dt
import json
import math
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from workers.eventcoding import (  # noqa: E402
    EXTRACTOR_VERSION,
    extract_events,
    gazetteer,
    merge_mentions,
    rules,
)
from workers.eventcoding.lexicon import lexicon  # noqa: E402
from workers.eventcoding.sentences import split  # noqa: E402

SHARED = REPO.parent / "shared"
GOLD = SHARED / "corpus" / "presstv-fr" / "gold_events.json"
CASE = SHARED / "eval" / "events-en" / "case2021-task2.tsv"
ARABIC = SHARED / "eval" / "events-ar"
PLACES_FR = SHARED / "eval" / "places-fr"
#: The article-extraction set: general news pages with their main text (few report conflict).
GENERAL = SHARED / "eval" / "extraction" / "ground-truth.json"
#: The project's own French sentences with hand-coded roles (no public French role set exists):
#: "dev" were looked at while writing the parse rules, "fresh" were coded before any was run.
ROLES_FR = REPO / "bench" / "data" / "roles-fr.jsonl"
#: CASE 2021 labels -> ACLED sub-event types; other labels are not ACLED events.
CASE_LABELS = {
    "ARMED_CLASH": "Armed clash",
    "GOV_REGAINS_TERIT": "Government regains territory",
    "NON_STATE_ACTOR_OVERTAKES_TER": "Non-state actor overtakes territory",
    "AIR_STRIKE": "Air/drone strike",
    "ART_MISS_ATTACK": "Shelling/artillery/missile attack",
    "REM_EXPLOS": "Remote explosive/landmine/IED",
    "SUIC_BOMB": "Suicide bomb",
    "GRENADE": "Grenade",
    "CHEM_WEAP": "Chemical weapon",
    "ATTACK": "Attack",
    "ABDUCT_DISSAP": "Abduction/forced disappearance",
    "SEX_VIOL": "Sexual violence",
    "PEACE_PROTEST": "Peaceful protest",
    "PROTEST_WITH_INTER": "Protest with intervention",
    "FORCE_AGAINST_PROTEST": "Excessive force against protesters",
    "VIOL_DEMONSTR": "Violent demonstration",
    "MOB_VIOL": "Mob violence",
    "AGREEMENT": "Agreement",
    "ARREST": "Arrests",
    "CHANGE_TO_GROUP_ACT": "Change to group/activity",
    "DISR_WEAP": "Disrupted weapons use",
    "HQ_ESTABLISHED": "Headquarters or base established",
    "PROPERTY_DISTRUCT": "Looting/property destruction",
    "NON_VIOL_TERRIT_TRANSFER": "Non-violent transfer of territory",
    "OTHER": "Other",
}
NONE = "(no event)"


class BadInput(Exception):
    """An input file is missing or malformed."""


#: --parser: roles that markers leave open come from the dependency parse where the language
#: has a parser installed (French with the parse extra), as NEWSWIRE_EVENTS_PARSER=auto does.
_USE_PARSER = False


def _extract(text: str, **kwargs: Any) -> list[Any]:
    """Return extract_events(text, **kwargs) with the parser setting of this run."""
    return extract_events(text, use_parser=_USE_PARSER, **kwargs)


def _load_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise BadInput(f"cannot read {path}: {exc}") from exc


def _records_direct(texts: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], float]:
    """Return event records built like the pipeline would (extract, merge across articles)
    and the mean extraction time per article in ms."""
    tagged: list[tuple[str, Any]] = []
    cold = time.perf_counter()
    for art in texts:
        for m in _extract(
            art["text"], language=art["lang"], published_at=art["published"], title=art.get("title")
        ):
            tagged.append((art["id"], m))
    cold_ms = (time.perf_counter() - cold) * 1000
    rounds = 20
    warm = time.perf_counter()
    for _ in range(rounds):
        for art in texts:
            _extract(art["text"], language=art["lang"], published_at=art["published"])
    ms = (time.perf_counter() - warm) * 1000 / (rounds * max(1, len(texts)))
    words = sum(len(a["text"].split()) for a in texts) / max(1, len(texts))
    print(
        f"first call (loads data): {cold_ms:.0f} ms; warm: {ms:.2f} ms/article "
        f"({words:.0f} words/article, {ms * 1000 / words:.1f} ms per 1000 words)"
    )
    owner = {id(m): a for a, m in tagged}
    records = []
    for group in merge_mentions([m for _, m in tagged]):
        typed = [m for m in group if m.plover_mode is not None] or group
        head = max(typed, key=lambda m: m.confidence)
        rank = {"day": 0, "week": 1, "month": 2, "year": 3}
        dated = min(group, key=lambda m: (rank[m.date_precision], -m.confidence))
        placed = min(group, key=lambda m: (m.place.geo_precision, m.place.admin1_code is None))
        records.append(
            {
                "event_type": head.event_type,
                "sub_event_type": head.sub_event_type,
                "event_date": dated.event_date,
                "date_precision": dated.date_precision,
                "country_code": placed.place.country_code,
                "admin1_code": placed.place.admin1_code,
                "location": placed.place.name,
                "latitude": placed.place.latitude,
                "longitude": placed.place.longitude,
                "mentions": [{"article_id": owner[id(m)], "sentence": m.sentence} for m in group],
            }
        )
    return records, ms


def _article_of(mention: dict[str, Any]) -> str | None:
    # Exported mentions carry the pipeline's article key (a hash); the sample articles are
    # named by their page ("/articles/000.html" → "000"), so the URL decides when present.
    url = str(mention.get("url") or "")
    stem = url.rstrip("/").rsplit("/", 1)[-1].split(".")[0]
    if stem:
        return stem
    return None if mention.get("article_id") is None else str(mention["article_id"])


def _period(rec: dict[str, Any]) -> tuple[dt.date, dt.date]:
    day = dt.date.fromisoformat(str(rec["event_date"])[:10])
    precision = rec.get("date_precision", "day")
    if precision == "month":
        return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])
    if precision == "year":
        return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    return day, day


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def matches(rec: dict[str, Any], gold: dict[str, Any]) -> bool:
    """Return True when the found record ``rec`` matches the gold event (the "about" rule)."""
    if gold.get("event_type") and rec.get("event_type") != gold["event_type"]:
        return False
    if gold.get("sub_event_type") and rec.get("sub_event_type") != gold["sub_event_type"]:
        return False
    if gold.get("date"):
        tol = dt.timedelta(days=int(gold.get("tolerance_days", 0)))
        first, last = _period(rec)
        day = dt.date.fromisoformat(gold["date"])
        if not first - tol <= day <= last + tol:
            return False
    if gold.get("country") and rec.get("country_code") != gold["country"]:
        return False
    if "admin1" in gold and gold["admin1"] is None:
        return rec.get("admin1_code") is None
    if gold.get("admin1") and rec.get("admin1_code") != gold["admin1"]:
        near = (
            gold.get("lat") is not None
            and rec.get("latitude") is not None
            and _km(rec["latitude"], rec["longitude"], gold["lat"], gold["lon"]) <= 60
        )
        return bool(near)
    return True


def score(records: list[dict[str, Any]], gold: dict[str, Any]) -> None:
    """Print per-article recall and precision and the totals."""
    by_article: dict[str, list[dict[str, Any]]] = {}
    for rec in records:
        for art in {_article_of(m) for m in rec.get("mentions", [])} - {None}:
            by_article.setdefault(str(art), []).append(rec)
    articles = sorted({g["article"] for g in gold["events"]})
    tot = Counter[str]()
    print(f"{'article':8} {'recall':>12} {'precision':>12}  found  optional-only")
    for art in articles:
        golds = [g for g in gold["events"] if g["article"] == art]
        found = by_article.get(art, [])
        required = [g for g in golds if g.get("required")]
        hit = [g for g in required if any(matches(r, g) for r in found)]
        good = [r for r in found if any(matches(r, g) for g in required)]
        neutral = [r for r in found if r not in good and any(matches(r, g) for g in golds)]
        judged = len(found) - len(neutral)
        print(
            f"{art:8} {len(hit):>5}/{len(required):<6} {len(good):>5}/{judged:<6} "
            f"{len(found):>5}  {len(neutral):>5}"
        )
        for g in required:
            if g not in hit:
                print(
                    f"         missed {g['id']}: {g['sub_event_type']} {g['date']} "
                    f"{g.get('admin1')}"
                )
        for r in found:
            if r not in good and r not in neutral:
                print(
                    f"         unmatched: {r['sub_event_type']} {r['event_date']} "
                    f"{r.get('location')}"
                )
        tot.update(req=len(required), hit=len(hit), good=len(good), judged=judged)
    recall = tot["hit"] / max(1, tot["req"])
    precision = tot["good"] / max(1, tot["judged"])
    print(
        f"{'total':8} recall {tot['hit']}/{tot['req']} = {recall:.2f}  "
        f"precision {tot['good']}/{tot['judged']} = {precision:.2f}"
    )


def case2021(path: Path) -> None:
    """Print weighted F1 of predicted sub-types on the CASE 2021 task 2 snippets."""
    try:
        with path.open(encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh, delimiter="\t"))
    except OSError as exc:
        raise BadInput(f"cannot read {path}: {exc}") from exc
    if not rows or "EventSnippet" not in rows[0]:
        raise BadInput(f"{path}: expected columns id, EventSnippet, SubType")
    pairs: list[tuple[str, str]] = []
    cue_pairs: list[tuple[str, str]] = []
    lex = lexicon("en")
    started = time.perf_counter()
    for row in rows:
        gold = CASE_LABELS.get(row["SubType"], NONE)
        mentions = _extract(
            row["EventSnippet"], language="en", published_at="2021-01-01T00:00:00+00:00"
        )
        best = max(mentions, key=lambda m: m.confidence).sub_event_type if mentions else NONE
        pairs.append((gold, best))
        # The cue alone: what the sentence's act is, before an event also needs a place (CASE
        # replaced many place names, and the gazetteer holds the Middle East's towns only).
        typed = rules.classify([s.text for s in split(row["EventSnippet"], lex)], lex)
        cue_pairs.append((gold, typed or NONE))
    ms = (time.perf_counter() - started) * 1000 / len(rows)
    print(f"CASE 2021 task 2: {len(pairs)} snippets, {ms:.2f} ms/snippet")
    _f1("events (need a place)", pairs)
    _f1("type classifier only", cue_pairs)


def arabic(folder: Path) -> None:
    """Print detection precision, recall and F1 of PLOVER ASSAULT and PROTEST on the Arabic
    sentences ("yes" against "easy no" and "difficult no"; "ambiguous" rows are skipped).

    A sentence is detected when the type classifier's sub-type maps to the file's PLOVER
    event; the pipeline line also needs a place and a date, like a stored event.
    """
    lex = lexicon("ar")
    table = rules.type_table()
    print(f"{'file':10} {'rows':>5} {'yes':>4}  {'what':22} {'P':>5} {'R':>5} {'F1':>5}")
    for name in ("assault", "protest"):
        plover, rows = gsr_rows(folder / f"{name}_gsr.csv")
        gold = [r["label"] == "yes" for r in rows]
        by_type = []
        for r in rows:
            sub = rules.classify([s.text for s in split(r["text"], lex)], lex)
            by_type.append(sub is not None and table[sub]["plover"] == plover)
        by_pipeline = gsr_detected([r["text"] for r in rows], plover)
        for what, pred in (("type classifier", by_type), ("events (need a place)", by_pipeline)):
            prec, rec, f1 = prf(gold, pred)
            print(
                f"{name:10} {len(rows):>5} {sum(gold):>4}  {what:22} "
                f"{prec:5.2f} {rec:5.2f} {f1:5.2f}"
            )


def gsr_rows(path: Path) -> tuple[str, list[dict[str, str]]]:
    """Return the PLOVER event of an Arabic GSR file and its rows, "ambiguous" ones left out.

    Raises BadInput naming the file when it cannot be read or lacks the columns.
    """
    try:
        with path.open(encoding="utf-8") as fh:
            rows = [r for r in csv.DictReader(fh) if r.get("label") != "ambiguous"]
    except OSError as exc:
        raise BadInput(f"cannot read {path}: {exc}") from exc
    if not rows or "text" not in rows[0]:
        raise BadInput(f"{path}: expected columns label, text, event_type")
    return rows[0]["event_type"].upper(), rows


def gsr_detected(texts: list[str], plover: str) -> list[bool]:
    """Return, for each Arabic sentence, whether an extracted event has the PLOVER event
    ``plover`` (it needs a place and a date, like a stored event)."""
    return [
        any(
            m.plover_event == plover
            for m in _extract(t, language="ar", published_at="2008-01-01T12:00:00+03:00")
        )
        for t in texts
    ]


def prf(gold: list[bool], pred: list[bool]) -> tuple[float, float, float]:
    """Return precision, recall and F1 of the detections ``pred`` against ``gold``."""
    tp = sum(1 for g, p in zip(gold, pred, strict=True) if g and p)
    fp = sum(1 for g, p in zip(gold, pred, strict=True) if p and not g)
    fn = sum(1 for g, p in zip(gold, pred, strict=True) if g and not p)
    prec = tp / max(1, tp + fp)
    rec = tp / max(1, tp + fn)
    return prec, rec, 2 * prec * rec / max(1e-9, prec + rec)


def _hipe_documents(path: Path) -> list[tuple[str, list[tuple[int, int]]]]:
    """Return each document of a HIPE TSV as (text, gold place spans): tokens joined with the
    spacing the MISC column gives, LOC spans from the coarse literal column."""
    docs: list[tuple[str, list[tuple[int, int]]]] = []
    text: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    open_span: int | None = None

    def close(end: int) -> None:
        nonlocal open_span
        if open_span is not None:
            spans.append((open_span, end))
            open_span = None

    last_end = 0
    try:
        lines = path.read_text("utf-8").splitlines()
    except OSError as exc:
        raise BadInput(f"cannot read {path}: {exc}") from exc
    for line in lines:
        if line.startswith("# hipe2022:document_id") and text:
            close(last_end)
            docs.append(("".join(text), spans))
            text, spans, pos, last_end = [], [], 0, 0
        if not line or line.startswith("#") or line.startswith("TOKEN\t"):
            continue
        cols = line.split("\t")
        token, tag, misc = cols[0], cols[1].lower(), cols[-1]
        if not tag.endswith("-loc") or tag.startswith("b-"):
            close(last_end)
        if tag == "b-loc":
            open_span = pos
        text.append(token)
        pos += len(token)
        last_end = pos
        if "NoSpaceAfter" not in misc:
            text.append("\n" if "EndOfLine" in misc else " ")
            pos += 1
    close(last_end)
    if text:
        docs.append(("".join(text), spans))
    return docs


def places_fr(folder: Path) -> None:
    """Print precision and recall of French place-mention detection on the HIPE dev files
    (exact spans, and spans that overlap a gold place)."""
    lex = lexicon("fr")
    print(
        f"{'file':10} {'gold':>5} {'found':>5}  {'P exact':>7} {'R exact':>7} "
        f"{'P overlap':>9} {'R overlap':>9}"
    )
    for path in sorted(folder.glob("HIPE-*-dev-fr.tsv")):
        gold_n = found_n = exact = found_ok = gold_ok = 0
        for text, gold in _hipe_documents(path):
            found = [(h.start, h.end) for h in gazetteer.find(text, lex, [])]
            gold_n += len(gold)
            found_n += len(found)
            exact += len(set(found) & set(gold))
            found_ok += sum(1 for f in found if any(f[0] < g[1] and g[0] < f[1] for g in gold))
            gold_ok += sum(1 for g in gold if any(f[0] < g[1] and g[0] < f[1] for f in found))
        name = path.name.split("-")[3]
        print(
            f"{name:10} {gold_n:>5} {found_n:>5}  {exact / max(1, found_n):7.2f} "
            f"{exact / max(1, gold_n):7.2f} {found_ok / max(1, found_n):9.2f} "
            f"{gold_ok / max(1, gold_n):9.2f}"
        )


def _articles_of(texts: list[str], words: int = 1000) -> list[str]:
    """Return ``texts`` joined into articles of about ``words`` words (one paragraph each)."""
    out: list[str] = []
    current: list[str] = []
    count = 0
    for t in texts:
        current.append(t.replace("\n", " "))
        count += len(t.split())
        if count >= words:
            out.append("\n".join(current))
            current, count = [], 0
    if current:
        out.append("\n".join(current))
    return out


def speed() -> None:
    """Print extraction CPU time per 1000 words for each language with text to time it on
    (the French sample articles, CASE 2021 snippets and the Arabic sentences joined into
    1000-word articles), best of 5 rounds, and the process's peak RSS."""
    import resource

    samples: dict[str, list[str]] = {}
    try:
        gold_texts = GOLD.with_name("gold_text.jsonl").read_text("utf-8").splitlines()
        samples["fr"] = [json.loads(x)["text"] for x in gold_texts if x.strip()]
        with CASE.open(encoding="utf-8") as fh:
            samples["en"] = _articles_of(
                [r["EventSnippet"] for r in csv.DictReader(fh, delimiter="\t")]
            )
        with (ARABIC / "assault_gsr.csv").open(encoding="utf-8") as fh:
            samples["ar"] = _articles_of([r["text"] for r in csv.DictReader(fh)])
    except (OSError, ValueError, KeyError) as exc:
        raise BadInput(f"cannot read the timing texts: {exc}") from exc
    pub = "2021-01-02T10:30:00+03:00"
    print(f"{'language':8} {'articles':>8} {'words/article':>13} {'CPU ms per 1000 words':>22}")
    for lang, texts in samples.items():
        for t in texts:
            _extract(t, language=lang, published_at=pub)  # load data and caches
        words = sum(len(t.split()) for t in texts)
        best = float("inf")
        for _ in range(5):
            started = time.process_time()
            for t in texts:
                _extract(t, language=lang, published_at=pub)
            best = min(best, time.process_time() - started)
        print(f"{lang:8} {len(texts):>8} {words / len(texts):>13.0f} {best * 1e6 / words:>22.1f}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process (all four packs and the gazetteer loaded): {rss:.0f} MB")


def roles(path: Path) -> None:
    """Print, per split of the French role set, how many (sentence, actor) roles word-order
    patterns and the dependency parse get right, measured side by side in this run.

    A sentence's roles are those of its first event; a coded name missing from the output, or
    an output name the coding leaves out (a source: null), counts as wrong.
    """
    try:
        rows = [json.loads(x) for x in path.read_text("utf-8").splitlines() if x.strip()]
    except (OSError, ValueError) as exc:
        raise BadInput(f"cannot read {path}: {exc}") from exc
    pub = "2024-07-16T21:40:00+03:30"
    heads = ("patterns: no event, right", "parse: no event, right")
    print(f"{'split':6} {'sentences':>9}  {heads[0]:>26}  {heads[1]:>23}")
    for name in sorted({r["split"] for r in rows}):
        part = [r for r in rows if r["split"] == name]
        right = {False: 0, True: 0}
        total = {False: 0, True: 0}
        no_event = {False: 0, True: 0}
        for r in part:
            for use in (False, True):
                found = extract_events(r["text"], language="fr", published_at=pub, use_parser=use)
                if not found:
                    no_event[use] += 1
                    continue
                got = {a.name: a.role for a in found[0].actors}
                for actor in set(r["roles"]) | set(got):
                    total[use] += 1
                    right[use] += got.get(actor) == r["roles"].get(actor)
        cells = [f"{no_event[u]:>3}, {right[u]:>3}/{total[u]:<3}" for u in (False, True)]
        print(f"{name:6} {len(part):>9}  {cells[0]:>26}  {cells[1]:>23}")


def general(path: Path) -> None:
    """Print every event found in the general-news articles of the extraction set (their
    ground-truth text, English), one line each, and the count: most are false alarms."""
    try:
        articles = json.loads(path.read_text("utf-8"))
        texts = [(str(a["url"]), str(a["articleBody"])) for a in articles.values()]
    except (OSError, ValueError, KeyError, AttributeError) as exc:
        raise BadInput(f"cannot read {path}: {exc}") from exc
    found = 0
    for url, text in texts:
        for m in _extract(text, language="en", published_at="2020-01-01T00:00:00+00:00"):
            found += 1
            print(f"  {m.sub_event_type} | {url[:60]} | {m.sentence[:110]!r}")
    print(f"{len(texts)} general-news articles: {found} events")


def _f1(name: str, pairs: list[tuple[str, str]]) -> None:
    """Print the weighted F1 and accuracy of (gold, predicted) label pairs."""
    labels = Counter(g for g, _ in pairs)
    f1_sum = 0.0
    for label, support in labels.items():
        tp = sum(1 for g, p in pairs if g == p == label)
        fp = sum(1 for g, p in pairs if p == label and g != label)
        fn = support - tp
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        f1_sum += f1 * support
    accuracy = sum(1 for g, p in pairs if g == p) / len(pairs)
    print(f"  {name}: weighted F1 {f1_sum / len(pairs):.3f}, accuracy {accuracy:.3f}")


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation chosen by ``argv``; return the exit status."""
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--gold", type=Path, default=GOLD, help="gold events (default: the sample's)")
    src = ap.add_mutually_exclusive_group()
    src.add_argument("--events", help="JSONL of exported event records, or - for stdin")
    src.add_argument("--direct", action="store_true", help="extract from gold_text.jsonl")
    src.add_argument("--case2021", action="store_true", help="sub-type F1 on CASE 2021 task 2")
    src.add_argument("--arabic", action="store_true", help="assault and protest detection F1")
    src.add_argument("--places-fr", action="store_true", help="place mentions, HIPE French")
    src.add_argument("--speed", action="store_true", help="CPU ms per 1000 words, peak RSS")
    src.add_argument("--roles", action="store_true", help="French roles: patterns vs parse")
    src.add_argument("--general", action="store_true", help="events in general news pages")
    ap.add_argument(
        "--parser",
        action="store_true",
        help="read roles from a dependency parse where one is installed (French: parse extra)",
    )
    args = ap.parse_args(argv)
    global _USE_PARSER
    _USE_PARSER = args.parser
    try:
        if args.case2021:
            case2021(CASE)
            return 0
        if args.arabic:
            arabic(ARABIC)
            return 0
        if args.places_fr:
            places_fr(PLACES_FR)
            return 0
        if args.speed:
            speed()
            return 0
        if args.roles:
            roles(ROLES_FR)
            return 0
        if args.general:
            general(GENERAL)
            return 0
        gold = _load_json(args.gold)
        if args.events:
            lines = (
                sys.stdin.read().splitlines()
                if args.events == "-"
                else Path(args.events).read_text("utf-8").splitlines()
            )
            try:
                records = [json.loads(x) for x in lines if x.strip()]
            except ValueError as exc:
                raise BadInput(f"events input is not JSON lines: {exc}") from exc
            print(f"{len(records)} exported records")
        else:
            texts_path = args.gold.with_name("gold_text.jsonl")
            try:
                texts = [
                    json.loads(x) for x in texts_path.read_text("utf-8").splitlines() if x.strip()
                ]
            except (OSError, ValueError) as exc:
                raise BadInput(f"cannot read {texts_path}: {exc}") from exc
            records, ms = _records_direct(texts)
            print(f"extractor {EXTRACTOR_VERSION}: {len(records)} events, {ms:.1f} ms/article")
        score(records, gold)
    except (BadInput, OSError, KeyError) as exc:
        print(f"eval_events: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
