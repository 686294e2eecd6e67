"""Score article cleaning on the extraction evaluation set, option sets side by side.

Reads ``../shared/eval/extraction`` (62 pages ``html/<key>.html.gz`` + ``ground-truth.json``)
at run time. Score: token-level precision/recall/F1 of the extracted text against
``articleBody`` (lower-cased ``\\w+`` tokens, multiset overlap), per page, averaged. Also scores
the two presstv-fr sample pages against their gold text when present.

Per-site boilerplate (``ingest.boilerplate``, learned in Redis as pages stream in) is measured
twice: on the extraction set in its order (at most two pages per host there, so nothing can be
learned: the check is that it costs nothing), and on a same-site set built from the presstv-fr
sample page's real template (its hidden photo caption, read-more block, share and source
lines around the body) filled with the gold bodies of the extraction set, each page's gold
being that body. It needs Redis (``--redis``); its keys live under a fresh prefix per run,
deleted afterwards.

    /work/venv/bin/python bench/eval_clean.py [--shared PATH] [--worst N] [--redis URL]
"""

from __future__ import annotations

import argparse
import collections
import gzip
import html as htmllib
import json
import random
import re
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import redis
import trafilatura
from trafilatura.settings import Document

from ingest.boilerplate import BoilerplateStore
from ingest.clean import clean_html

TOKEN = re.compile(r"\w+")
REPO = Path(__file__).resolve().parents[1]

Extractor = Callable[[bytes, str], str]


def prf(pred: str, gold: str) -> tuple[float, float, float]:
    """Return token-level (precision, recall, F1) of ``pred`` against ``gold``."""
    p = collections.Counter(TOKEN.findall(pred.lower()))
    g = collections.Counter(TOKEN.findall(gold.lower()))
    overlap = sum((p & g).values())
    precision = overlap / sum(p.values()) if p else 0.0
    recall = overlap / sum(g.values()) if g else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def trafilatura_with(**options: Any) -> Extractor:
    """Return an extractor calling trafilatura on the raw bytes with ``options``."""

    def run(html: bytes, url: str) -> str:
        doc = trafilatura.bare_extraction(html, url=url, **options)
        return str(doc.text) if isinstance(doc, Document) and doc.text else ""

    return run


def ours(html: bytes, url: str) -> str:
    """Return the text of ingest.clean.clean_html ('' when it finds nothing usable)."""
    article = clean_html(html, url=url)
    return article.text if article is not None else ""


EXTRACTORS: dict[str, Extractor] = {
    "trafilatura defaults": trafilatura_with(),
    "favor_precision": trafilatura_with(favor_precision=True),
    "favor_recall": trafilatura_with(favor_recall=True),
    "ours (ingest.clean)": ours,
}


def load_pages(shared: Path) -> list[tuple[str, bytes, str, str]]:
    """Return (key, html, url, gold text) for every evaluation page."""
    root = shared / "eval" / "extraction"
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key, item in sorted(truth.items()):
        html = gzip.decompress((root / "html" / f"{key}.html.gz").read_bytes())
        pages.append((key, html, item.get("url") or "https://example.com/", item["articleBody"]))
    return pages


def load_presstv(shared: Path) -> list[tuple[str, bytes, str, str]]:
    """Return the presstv-fr sample pages with their gold text (empty list when absent)."""
    root = shared / "corpus" / "presstv-fr"
    gold_file = root / "gold_text.jsonl"
    if not gold_file.is_file():
        return []
    pages = []
    for line in gold_file.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        html = (root / "articles" / f"{item['id']}.html").read_bytes()
        url = f"http://127.0.0.1/articles/{item['id']}.html"
        pages.append((item["id"], html, url, item["text"]))
    return pages


SOURCES = ("FRENCH PRESS TV", "AFP", "IRNA", "REUTERS", "AL-MAYADEEN")
LABELS = ("Irak", "Liban", "Syrie", "Gaza", "Yémen", "Iran")


def same_site_pages(
    shared: Path, n: int = 40, seed: int = 7, *, inline: bool = False
) -> list[tuple[str, bytes, str, str]]:
    """Return ``n`` pages in the presstv-fr template, each with an extraction-set gold body.

    Around the body, every page keeps the template's real boilerplate (the hidden English
    photo caption, a read-more block, share and source lines); the varying parts (title,
    main caption, read-more link, agency) vary per page as on the real site. ``inline`` moves
    the caption, share and source lines into the body as plain paragraphs, as many sites
    print them, where the extractor cannot tell them from the article.
    """
    template = (shared / "corpus" / "presstv-fr" / "articles" / "002.html").read_text("utf-8")
    start = template.index('<div class="body">')
    end = template.index("</div>", start) + len("</div>")
    rng = random.Random(seed)
    bodies = [gold for _, _, _, gold in load_pages(shared)]
    pages = []
    for i, gold in enumerate(bodies[:n]):
        paras = [p.strip() for p in gold.split("\n") if p.strip()]
        title = " ".join(paras[0].split()[:9])
        other = " ".join(bodies[(i + 1) % len(bodies)].split()[:8])
        block = [f"<p>{htmllib.escape(p)}</p>" for p in paras]
        block.insert(
            min(3, len(block)),
            f'<p class="readmore"><strong>{rng.choice(LABELS)}  :</strong> '
            f'<a href="/fr/news/{9000 + i}">{htmllib.escape(other)}</a></p>',
        )
        page = (
            template[:start]
            + '<div class="body">\n'
            + "\n".join(block)
            + "\n</div>"
            + template[end:]
        )
        page = re.sub(r"<h1>.*?</h1>", f"<h1>{htmllib.escape(title)}</h1>", page, count=1)
        page = page.replace(
            "Irak: la base américaine d&#x27;Ain al-Asad fait l’objet d’une attaque de drones",
            htmllib.escape(title),
        )
        agency = rng.choice(SOURCES)
        if inline:
            caption = re.search(
                r'<figure class="hidden-cap">.*?<figcaption>(.*?)</figcaption></figure>', page
            )
            assert caption is not None
            page = page.replace(caption.group(0), "")
            page = re.sub(r'<div class="(share|source)">.*?</div>', "", page)
            inside = (
                f"<p>{caption.group(1)}</p>\n"
                if i % 2 == 0
                else ""  # a caption on every other page: 50 %, not 100 %
            )
            page = page.replace('<div class="body">\n', '<div class="body">\n' + inside, 1).replace(
                "\n</div>",
                f"\n<p>Partager Cet Article</p>\n<p>SOURCE: {agency}</p>\n</div>",
                1,
            )
        page = page.replace("SOURCE: FRENCH PRESS TV", f"SOURCE: {agency}")
        page = re.sub(
            r'(<figure class="main">.*?<figcaption>).*?(</figcaption>)',
            lambda m, t=title: f"{m.group(1)}Photo : {htmllib.escape(t)}{m.group(2)}",
            page,
            count=1,
            flags=re.S,
        )
        url = f"https://www.presstv.ir/fr/news/{7100 + i}"
        pages.append((f"same-site-{i:02d}", page.encode("utf-8"), url, gold))
    return pages


def learning(store: BoilerplateStore, *, known_lines: bool = True) -> Extractor:
    """Return ours, plus the per-site boilerplate learned so far in ``store``."""
    counter = iter(range(1_000_000))

    def run(html: bytes, url: str) -> str:
        article = clean_html(html, url=url, known_lines=known_lines)
        if article is None:
            return ""
        return store.strip(url, f"page{next(counter)}", article.text).text

    return run


def learned_after(store: BoilerplateStore, option_set: str) -> Extractor:
    """Return trafilatura's ``option_set`` followed by the per-site boilerplate learned."""
    extract = EXTRACTORS[f"trafilatura {option_set}"]
    counter = iter(range(1_000_000))

    def run(html: bytes, url: str) -> str:
        return store.strip(url, f"page{next(counter)}", extract(html, url)).text

    return run


def ours_without_known_lines(html: bytes, url: str) -> str:
    """Return ours with the related/share/source line filters off."""
    article = clean_html(html, url=url, known_lines=False)
    return article.text if article is not None else ""


def score(
    extract: Extractor, pages: list[tuple[str, bytes, str, str]]
) -> tuple[float, float, float, float, list[tuple[float, str]]]:
    """Return mean P, R, F1, ms/page and the per-page F1 list."""
    totals = [0.0, 0.0, 0.0]
    per_page: list[tuple[float, str]] = []
    started = time.perf_counter()
    for key, html, url, gold in pages:
        p, r, f = prf(extract(html, url), gold)
        totals = [totals[0] + p, totals[1] + r, totals[2] + f]
        per_page.append((f, key))
    ms = 1000 * (time.perf_counter() - started) / len(pages)
    n = len(pages)
    return totals[0] / n, totals[1] / n, totals[2] / n, ms, per_page


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--worst", type=int, default=0, help="list the N worst pages of ours")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0", help="Redis URL")
    args = parser.parse_args()
    if not (args.shared / "eval" / "extraction").is_dir():
        print(f"no extraction set under {args.shared}", file=sys.stderr)
        return 2
    for label, pages in (
        ("extraction set", load_pages(args.shared)),
        ("presstv-fr gold", load_presstv(args.shared)),
    ):
        if not pages:
            continue
        print(f"\n{label}: {len(pages)} pages")
        print(f"{'option set':24s} {'P':>6s} {'R':>6s} {'F1':>6s} {'ms/page':>8s}")
        for name, extract in EXTRACTORS.items():
            p, r, f, ms, per_page = score(extract, pages)
            print(f"{name:24s} {p:6.3f} {r:6.3f} {f:6.3f} {ms:8.1f}")
            if args.worst and extract is ours:
                for f1, key in sorted(per_page)[: args.worst]:
                    print(f"    worst: F1={f1:.3f} {key}")
    conn = redis.Redis.from_url(args.redis)
    prefix = f"bench:boiler:{uuid.uuid4().hex[:8]}"

    def fresh() -> BoilerplateStore:
        return BoilerplateStore(conn, prefix=f"{prefix}:{uuid.uuid4().hex[:8]}")

    print("\nper-site boilerplate, learned as the pages stream in (a fresh store each)")
    print(f"{'set / extractor':46s} {'P':>6s} {'R':>6s} {'F1':>6s} {'F1 after 10':>10s}")
    for label, pages in (
        ("extraction set", load_pages(args.shared)),
        ("same-site presstv-fr", same_site_pages(args.shared)),
        ("same-site, boilerplate in the body", same_site_pages(args.shared, inline=True)),
    ):
        variants: list[tuple[str, Callable[[], Extractor]]] = [
            ("trafilatura defaults", lambda: EXTRACTORS["trafilatura defaults"]),
            ("trafilatura defaults + learned", lambda: learned_after(fresh(), "defaults")),
            ("ours", lambda: ours),
            ("ours + learned boilerplate", lambda: learning(fresh())),
            ("ours without line filters", lambda: ours_without_known_lines),
            (
                "ours without line filters + learned",
                lambda: learning(fresh(), known_lines=False),
            ),
        ]
        for name, make in variants:
            p, r, f, _, per_page = score(make(), pages)
            warm = sum(f1 for f1, _ in per_page[10:]) / len(per_page[10:])
            print(f"{label + ' / ' + name:46s} {p:6.3f} {r:6.3f} {f:6.3f} {warm:10.3f}")
    for key in conn.scan_iter(match=f"{prefix}:*", count=1000):
        conn.delete(key)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
