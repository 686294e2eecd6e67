"""Count the instructions the event extractor spends per article, per stage, in two trees.

    python bench/speed_instructions.py --base ../base-worktree en fr ar

On a host too noisy for timings (the same tree one and a half times slower from one run to the
next), instruction counts still compare two versions: each tree runs under ``valgrind
--tool=callgrind`` on the ``--speed`` corpus of a language, and ``zlib.crc32`` calls between
the phases split the count (``--dump-before``): load and one warm pass, one pass of
``extract_events`` over every article, then each stage alone over every sentence. It prints
each phase in millions of instructions for both trees and their ratio. Needs valgrind; a
language takes a few minutes per tree. Exit status 0, or 2 when valgrind or a tree is missing.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PHASES = ("load", "extract", "actors", "gazetteer", "cues", "dates", "counts")


def phases(language: str) -> None:
    """Run the phases of ``language`` in this process, with a ``zlib.crc32`` call after each
    (the marker callgrind dumps its counts at)."""
    import csv  # the measured child only
    import datetime as dt
    import json
    import zlib

    sys.path.insert(0, str(Path.cwd() / "bench"))
    import eval_events as ev

    from workers.eventcoding import (
        actors,
        dates,
        extract_events,
        gazetteer,
        numbers,
        rules,
    )
    from workers.eventcoding.lexicon import lexicon
    from workers.eventcoding.sentences import split

    lex = lexicon(language)
    # The texts of ``eval_events.py --speed``, read with the tree's own paths.
    if language == "fr":
        lines = ev.GOLD.with_name("gold_text.jsonl").read_text("utf-8").splitlines()
        texts = [json.loads(x)["text"] for x in lines if x.strip()]
    elif language == "en":
        with ev.CASE.open(encoding="utf-8") as fh:
            texts = ev._articles_of([r["EventSnippet"] for r in csv.DictReader(fh, delimiter="\t")])
    else:
        with (ev.ARABIC / "assault_gsr.csv").open(encoding="utf-8") as fh:
            texts = ev._articles_of([r["text"] for r in csv.DictReader(fh)])
    items = [(text, "2021-01-02T10:30:00+03:00") for text in texts]
    sentences = [s.text for text, _ in items for s in split(text, lex)]
    pub = dt.date(2021, 1, 1)
    stages = (
        lambda s: actors.find(s, lex),
        lambda s: gazetteer.find(s, lex, [], frozenset()),
        lambda s: rules.candidate_cues(s, lex),
        lambda s: dates.find_dates(s, lex, pub, None),
        lambda s: numbers.casualties(s, lex, reach=4),
    )
    for text, published in items:  # warm: data loaded, caches as in a running worker
        extract_events(text, language=language, published_at=published)
    for s in sentences:
        for stage in stages:
            stage(s)
    zlib.crc32(b"load")
    for text, published in items:
        extract_events(text, language=language, published_at=published)
    zlib.crc32(b"extract")
    for stage in stages:
        for s in sentences:
            stage(s)
        zlib.crc32(b"stage")


def count(tree: Path, language: str) -> list[int]:
    """Return the instructions of each phase of ``language`` in ``tree``, counted by callgrind."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "cg.out"
        subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                "--dump-before=zlib_crc32*",
                f"--callgrind-out-file={out}",
                sys.executable,
                str(REPO / "bench" / "speed_instructions.py"),
                "--phases",
                language,
            ],
            cwd=tree,
            env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
            check=True,
            capture_output=True,
        )
        totals = []
        for i in range(1, len(PHASES) + 1):
            text = Path(f"{out}.{i}").read_text()
            totals.append(
                int(next(x for x in text.splitlines() if x.startswith("totals:")).split()[1])
            )
        return totals


def main(argv: list[str] | None = None) -> int:
    """Print the phases of each language for this tree and ``--base``; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("languages", nargs="+", choices=("fr", "en", "ar"))
    parser.add_argument("--base", type=Path, help="the other tree (a git worktree)")
    parser.add_argument("--phases", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phases:
        phases(args.languages[0])
        return 0
    if shutil.which("valgrind") is None:
        print("valgrind is not installed", file=sys.stderr)
        return 2
    if args.base is None or not (args.base / "workers").is_dir():
        print("--base must name another tree of this repository", file=sys.stderr)
        return 2
    print(f"{'lang':4} {'phase':10} {'base M':>9} {'this M':>9} {'ratio':>6}")
    for language in args.languages:
        base, this = count(args.base.resolve(), language), count(REPO, language)
        for name, b, t in zip(PHASES, base, this, strict=True):
            print(f"{language:4} {name:10} {b / 1e6:9.0f} {t / 1e6:9.0f} {t / b:6.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
