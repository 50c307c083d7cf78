"""Train the cleaner's line model (src/manysides/clean/line_model.json) on the training half of the Zyte pages.

The pages are rendered to plain text and labelled line by line exactly as in
``bench/text_cleaning.py`` (the held-out half is never read here). Features
come from ``manysides.clean.classifier.line_features``; the model is scikit-learn
gradient boosting (shallow trees), exported as plain numbers. The rules' verdicts
are among the features and the model has the last word on plain text. The
decision threshold is picked on out-of-fold predictions (pages grouped) so
that the share of body words kept stays at or above ``BODY_WORDS_KEPT_GOAL``.

Usage: .venv/bin/python bench/train_line_classifier.py [--out PATH]
"""

from __future__ import annotations

import argparse
import math
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from text_cleaning import load_pages  # noqa: E402

BODY_WORDS_KEPT_GOAL = 0.98
TREES = 300
DEPTH = 4
RATE = 0.08
SEED = 7


def training_rows():
    from manysides.clean import find_drops, repeated_boilerplate, split_lines
    from manysides.clean.classifier import line_features

    pages = list(load_pages(test=False))
    repeated = repeated_boilerplate(page.text for page in pages)
    rows, labels, groups = [], [], []
    for number, page in enumerate(pages):
        lines = split_lines(page.text)
        rule_drops = find_drops(page.text, repeated_lines=repeated, line_model=False)
        dropped = {line.index: drop.reason for drop in rule_drops for line in lines
                   if drop.start <= line.start < drop.end}
        content, features = line_features(page.text, lines, repeated_lines=repeated, rule_reasons=dropped)
        for line, row in zip(content, features, strict=True):
            label = page.labels[line.index]
            if label is None:
                continue
            rows.append(row)
            labels.append(0 if label else 1)  # 1 = junk
            groups.append(number)
    return pages, rows, labels, groups


def pick_threshold(probabilities, labels, words) -> tuple[float, float, float]:
    """Lowest threshold keeping BODY_WORDS_KEPT_GOAL of body words; its (threshold, body lines kept, junk lines removed).

    Words, not lines: losing a one-word "Meal 2" list item of a recipe page
    costs less than losing a paragraph, and a few list-heavy pages would
    otherwise set the threshold for all.
    """
    body = [(p, w) for p, y, w in zip(probabilities, labels, words, strict=True) if y == 0]
    junk = [p for p, y in zip(probabilities, labels, strict=True) if y == 1]
    body_words = sum(w for _, w in body)
    best = (1.0, 1.0, 0.0)
    for step in range(999, 0, -1):
        threshold = step / 1000
        if sum(w for p, w in body if p < threshold) / body_words < BODY_WORDS_KEPT_GOAL:
            break
        best = (threshold, sum(1 for p, _ in body if p < threshold) / len(body),
                sum(1 for p in junk if p >= threshold) / len(junk))
    return best


def export(model, threshold: float) -> dict:
    from manysides.clean.classifier import FEATURES

    prior = model.init_.class_prior_[1]
    trees = []
    for (estimator,) in model.estimators_:
        tree = estimator.tree_
        trees.append({
            "feature": [int(f) if f >= 0 else 0 for f in tree.feature],
            "threshold": [round(float(t), 6) for t in tree.threshold],
            "left": [int(c) for c in tree.children_left],
            "right": [int(c) for c in tree.children_right],
            "value": [round(float(v[0][0]), 6) for v in tree.value],
        })
    return {
        "about": "manysides line model: gradient-boosted trees over clean.classifier.FEATURES; "
                 "trained by bench/train_line_classifier.py on the training half of the Zyte article "
                 "extraction benchmark pages rendered as text (numbers only, no text).",
        "features": list(FEATURES),
        "base": round(math.log(prior / (1 - prior)), 6),
        "rate": model.learning_rate,
        "threshold": threshold,
        "trees": trees,
    }


def main(argv: list[str] | None = None) -> int:
    from manysides.clean.classifier import FEATURES, MODEL_PATH

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args(argv)

    import numpy as np
    from sklearn.ensemble import GradientBoostingClassifier
    from sklearn.model_selection import GroupKFold

    pages, rows, labels, groups = training_rows()
    x, y = np.array(rows), np.array(labels)
    print(f"training half: {len(pages)} pages, {len(y)} lines ({int(y.sum())} junk)")

    def make():
        return GradientBoostingClassifier(n_estimators=TREES, max_depth=DEPTH, learning_rate=RATE,
                                          subsample=0.8, random_state=SEED)

    out_of_fold = np.zeros(len(y))
    for train, test in GroupKFold(n_splits=5).split(x, y, groups):
        out_of_fold[test] = make().fit(x[train], y[train]).predict_proba(x[test])[:, 1]
    words = [max(1, round(math.expm1(row[FEATURES.index("log_words")]))) for row in rows]
    threshold, body_kept, junk_removed = pick_threshold(out_of_fold, labels, words)
    print(f"out-of-fold: threshold {threshold:.2f}, body kept {body_kept:.3f}, junk removed {junk_removed:.3f}")

    model = make().fit(x, y)
    data = export(model, threshold)
    args.out.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KiB)")

    # The exported numbers must give sklearn's own probabilities.
    from manysides.clean.classifier import load_model

    load_model.cache_clear()
    shipped = load_model(args.out)
    assert shipped is not None
    check = model.predict_proba(x[:200])[:, 1]
    mismatch = max(abs(shipped.probability(list(row)) - p) for row, p in zip(x[:200], check, strict=True))
    print(f"export check: max probability difference {mismatch:.2e}")
    return 0 if mismatch < 1e-4 else 1


if __name__ == "__main__":
    sys.exit(main())
