"""Main-text extraction on the Zyte article-extraction benchmark: trafilatura vs trafilatura + our cleaner.

Data: ../shared/data/article_extraction_benchmark (181 pages, gold article bodies).
Metric (the benchmark's evaluation, re-implemented): tokens are ``\\w+`` runs;
each text becomes a multiset of 4-token shingles; per page TP/FP/FN are the
multiset overlaps, normalised by their sum; precision and recall are
macro-averaged over pages (precision over pages with TP+FP > 0, recall over pages
with TP+FN > 0; a page with FP = FN = 0 scores 1), and F1 comes from the two
averages.

Usage: .venv/bin/python bench/extraction.py [--fast] [--json PATH] [--show-drops]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "article_extraction_benchmark"
FAST_PAGES = 60

# Published anchors (SOURCE.md, F1 on all 181 pages).
ANCHOR_TRAFILATURA = 0.958
ANCHOR_BEST = 0.970  # rs_trafilatura and Zyte AutoExtract

_TOKEN = re.compile(r"\w+")


def shingles(text: str, size: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    if len(tokens) < size:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def page_counts(gold: str, predicted: str) -> tuple[float, float, float]:
    """Normalised (TP, FP, FN) of one page over 4-token shingle multisets."""
    gold_shingles, predicted_shingles = shingles(gold), shingles(predicted)
    true_positive = sum((gold_shingles & predicted_shingles).values())
    false_positive = sum((predicted_shingles - gold_shingles).values())
    false_negative = sum((gold_shingles - predicted_shingles).values())
    total = true_positive + false_positive + false_negative
    if total == 0:
        return 0.0, 0.0, 0.0
    return true_positive / total, false_positive / total, false_negative / total


def _page_precision(tp: float, fp: float, fn: float) -> float:
    if fp == 0 and fn == 0:
        return 1.0
    return tp / (tp + fp) if tp + fp > 0 else 0.0


def _page_recall(tp: float, fp: float, fn: float) -> float:
    if fp == 0 and fn == 0:
        return 1.0
    return tp / (tp + fn) if tp + fn > 0 else 0.0


def scores(counts: list[tuple[float, float, float]]) -> dict[str, float]:
    precision = statistics.mean(_page_precision(*c) for c in counts if c[0] + c[1] > 0)
    recall = statistics.mean(_page_recall(*c) for c in counts if c[0] + c[2] > 0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fast", action="store_true", help=f"first {FAST_PAGES} pages only")
    parser.add_argument("--json", type=Path, help="write our figures as JSON")
    parser.add_argument("--show-drops", action="store_true", help="print every dropped line, marked by gold overlap")
    args = parser.parse_args(argv)

    if not (DATA / "ground-truth.json").exists():
        print(f"../shared/data absent: {DATA} not found", file=sys.stderr)
        return 2

    import trafilatura

    from manysides.clean import apply_drops, find_drops
    from manysides.errors import IngestError
    from manysides.ingest.html import read_html

    ground_truth = json.loads((DATA / "ground-truth.json").read_text(encoding="utf-8"))
    page_ids = sorted(ground_truth)
    if args.fast:
        page_ids = page_ids[:FAST_PAGES]

    default_counts, ours_alone_counts, ours_counts = [], [], []
    started = time.perf_counter()
    for page_id in page_ids:
        gold = ground_truth[page_id].get("articleBody", "")
        url = ground_truth[page_id].get("url")
        with gzip.open(DATA / "html" / f"{page_id}.html.gz", "rt", encoding="utf-8", errors="replace") as handle:
            html = handle.read()
        default_text = trafilatura.extract(html, url=url) or ""
        try:
            raw = read_html(html, source=page_id, url=url)
            extracted = raw.text
            drops = find_drops(raw.text, title=raw.title, html=raw.html)
            cleaned = apply_drops(raw.text, drops)
        except IngestError:
            extracted = cleaned = ""
            drops = []
        default_counts.append(page_counts(gold, default_text))
        ours_alone_counts.append(page_counts(gold, extracted))
        ours_counts.append(page_counts(gold, cleaned))
        if args.show_drops and drops:
            gold_shingles = shingles(gold)
            print(f"== {page_id[:10]} {url}")
            for drop in drops:
                for line in raw.text[drop.start : drop.end].splitlines():
                    line_shingles = shingles(line)
                    hit = sum(1 for s in line_shingles if s in gold_shingles)
                    flag = "LOST" if line_shingles and hit > len(line_shingles) / 2 else "    "
                    print(f"  {flag} [{drop.reason}] {line[:400]}")
    elapsed = time.perf_counter() - started

    rows = [
        ("trafilatura 2.3 (default options)", scores(default_counts)),
        ("trafilatura, our options (read_html)", scores(ours_alone_counts)),
        ("read_html + manysides.clean", scores(ours_counts)),
    ]
    subset = f"first {len(page_ids)} pages" if args.fast else f"all {len(page_ids)} pages"
    print(f"Zyte article extraction benchmark, {subset}, {elapsed:.1f} s")
    print(f"{'system':<40} | precision | recall |    F1")
    for name, figures in rows:
        print(f"{name:<40} | {figures['precision']:9.3f} | {figures['recall']:6.3f} | {figures['f1']:.3f}")
    print(f"{'published: trafilatura 2.0.0 (anchor)':<40} | {0.938:9.3f} | {0.978:6.3f} | {ANCHOR_TRAFILATURA:.3f}")
    print(f"{'published: best (rs_trafilatura, Zyte)':<40} | {'':9} | {'':6} | {ANCHOR_BEST:.3f}")

    if args.json:
        ours = rows[2][1]
        figures = {
            "f1": round(ours["f1"], 4),
            "precision": round(ours["precision"], 4),
            "recall": round(ours["recall"], 4),
            "trafilatura_f1": round(rows[1][1]["f1"], 4),
            "trafilatura_default_f1": round(rows[0][1]["f1"], 4),
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
