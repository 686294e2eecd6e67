"""Score article cleaning on the extraction evaluation set, option sets side by side.

Reads ``../shared/eval/extraction`` (62 pages ``html/<key>.html.gz`` + ``ground-truth.json``)
at run time. Score: token-level precision/recall/F1 of the extracted text against
``articleBody`` (lower-cased ``\\w+`` tokens, multiset overlap), per page, averaged. Also scores
the two presstv-fr sample pages against their gold text when present.

    /work/venv/bin/python bench/eval_clean.py [--shared PATH] [--worst N]
"""

from __future__ import annotations

import argparse
import collections
import gzip
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import trafilatura
from trafilatura.settings import Document

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
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
