"""How far a detector trained on the Arabic GSR sentences themselves gets, beside the rules.

    pip install -e '.[bench]'
    python bench/arabic_baseline.py [--folds 10] [--seeds 3]

Issue 5 asks for detection F1 >= 0.8 on ``../shared/eval/events-ar`` (assault, protest). The
rules are written from the event guidelines; this script asks whether learning the
annotators' own notion from their labels would do better. It trains a character n-gram
TF-IDF + logistic regression (scikit-learn, class-balanced, threshold 0.5 fixed in advance,
no tuning on the test folds) with stratified k-fold cross-validation, so every sentence is
scored by a model that never saw it, and prints P/R/F1 of the learned detector alone, of the
rules alone ("events (need a place)" of ``eval_events.py --arabic``), and of both
combined. Nothing here ships: it is a yardstick for the rules.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_events import ARABIC, BadInput, gsr_detected, gsr_rows, prf


def _prf(gold: list[bool], pred: list[bool]) -> str:
    """Return "P R F1" of ``pred`` against ``gold`` as a fixed-width string."""
    return " ".join(f"{x:5.2f}" for x in prf(gold, pred))


def main(argv: list[str] | None = None) -> int:
    """Print the cross-validated table; return the exit status."""
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--folds", type=int, default=10, help="cross-validation folds (default 10)")
    ap.add_argument("--seeds", type=int, default=3, help="fold shuffles to average over")
    args = ap.parse_args(argv)
    if args.folds < 2 or args.seeds < 1:
        ap.error("--folds needs at least 2 and --seeds at least 1")
    try:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import StratifiedKFold, cross_val_predict
        from sklearn.pipeline import make_pipeline
    except ImportError:
        print("scikit-learn is missing: pip install -e '.[bench]'", file=sys.stderr)
        return 2
    print(f"{'file':8} {'rows':>5} {'yes':>4}  {'detector':30} {'P':>5} {'R':>5} {'F1':>5}")
    for name in ("assault", "protest"):
        try:
            plover, rows = gsr_rows(ARABIC / f"{name}_gsr.csv")
        except BadInput as exc:
            print(exc, file=sys.stderr)
            return 2
        texts = [r["text"] for r in rows]
        gold = [r["label"] == "yes" for r in rows]
        rules = gsr_detected(texts, plover)
        print(f"{name:8} {len(rows):>5} {sum(gold):>4}  {'rules':30} {_prf(gold, rules)}")
        for seed in range(args.seeds):
            model = make_pipeline(
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2
                ),
                LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000),
            )
            folds = StratifiedKFold(args.folds, shuffle=True, random_state=seed)
            proba = cross_val_predict(model, texts, gold, cv=folds, method="predict_proba")
            learned = [bool(p >= 0.5) for p in proba[:, 1]]
            both = [a and b for a, b in zip(learned, rules, strict=True)]
            either = [a or b for a, b in zip(learned, rules, strict=True)]
            for what, pred in (("learned", learned), ("rules and learned", both),
                               ("rules or learned", either)):  # fmt: skip
                label = f"{what} (shuffle {seed})"
                print(f"{name:8} {len(rows):>5} {sum(gold):>4}  {label:30} {_prf(gold, pred)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
