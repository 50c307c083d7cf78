"""TempEval-3 platinum, Task A (time expressions): our recogniser beside HeidelTime.

    .venv/bin/python bench/tempeval.py [--fast] [--json PATH] [--baseline-src DIR]

Reads the 20 gold TimeML files in ../shared/data/tempeval3_platinum/te3-platinum,
strips the tags (the text between them is the system input), runs
``normalise_times`` with the document creation time (DCT) as the publication
date, and scores like the TE3 toolkit:

* extraction: strict (same span) and relaxed (any overlap) precision / recall / F1;
* value F1: a relaxed match whose TIMEX3 value equals the gold value counts as
  correct; P = correct / system timexes, R = correct / gold timexes (TE3's
  attribute F1);
* value accuracy: correct values / relaxed matches, over all types and over
  DATE timexes alone (the ones a timeline places).

``--baseline-src`` runs an older engine (the ``src`` folder of a checkout) on the
same files in a subprocess and prints its row beside ours.

The DCT itself (outside <TEXT>) is not counted. The recogniser was written
with these files in view (no separate TempEval development set is on disk), so
the figures are optimistic for unseen text.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

try:
    from manysides.analyse.timeline.timexpr import normalise_times
except ImportError:  # the engine before issue 9 moved it (run with --baseline-src)
    from manysides.analyse.timexpr import normalise_times

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "tempeval3_platinum"
# UzZaman et al. 2013 (TempEval-3), Task A, HeidelTime (best system); figures from SOURCE.md,
# which marks them as quoted from memory.
HEIDELTIME = {"strict_f1": 0.813, "relaxed_f1": 0.903, "value_f1": 0.776}

_TAG = re.compile(r"<(/?)(\w+)([^>]*)>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


@dataclass(frozen=True, slots=True)
class GoldTimex:
    start: int
    end: int
    type: str
    value: str


def read_tml(path: Path) -> tuple[str, dt.date, list[GoldTimex]]:
    """Plain text of <TEXT>, its DCT, and the gold TIMEX3 spans into that text."""
    raw = path.read_text(encoding="utf-8")
    dct = re.search(r'<DCT>.*?value="(\d{4}-\d\d-\d\d)', raw, re.S)
    body = re.search(r"<TEXT>(.*)</TEXT>", raw, re.S)
    if dct is None or body is None:
        raise ValueError(f"{path}: no DCT or TEXT")
    pieces: list[str] = []
    length = 0
    timexes: list[GoldTimex] = []
    open_timex: tuple[int, dict[str, str]] | None = None
    cursor = 0
    source = body.group(1)
    for tag in _TAG.finditer(source):
        chunk = html.unescape(source[cursor:tag.start()])
        pieces.append(chunk)
        length += len(chunk)
        cursor = tag.end()
        if tag.group(2) != "TIMEX3":
            continue
        if tag.group(1):  # closing tag
            if open_timex is not None:
                start, attrs = open_timex
                timexes.append(GoldTimex(start, length, attrs.get("type", ""), attrs.get("value", "")))
            open_timex = None
        else:
            open_timex = (length, dict(_ATTR.findall(tag.group(3))))
    pieces.append(html.unescape(source[cursor:]))
    return "".join(pieces), dt.date.fromisoformat(dct.group(1)), timexes


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def evaluate(paths: list[Path]) -> dict[str, float]:
    counts = dict(system=0, gold=0, strict=0, relaxed_sys=0, relaxed_gold=0, value_ok=0,
                  date_relaxed=0, date_value_ok=0)
    for path in paths:
        text, dct, gold = read_tml(path)
        system = normalise_times(text, published=dct, include_vague=True)
        counts["system"] += len(system)
        counts["gold"] += len(gold)
        for expression in system:
            overlapping = [g for g in gold if expression.start < g.end and g.start < expression.end]
            if any(g.start == expression.start and g.end == expression.end for g in overlapping):
                counts["strict"] += 1
            if overlapping:
                counts["relaxed_sys"] += 1
                best = overlapping[0]
                if expression.timex3 == best.value:
                    counts["value_ok"] += 1
                if best.type == "DATE":
                    counts["date_relaxed"] += 1
                    counts["date_value_ok"] += expression.timex3 == best.value
        counts["relaxed_gold"] += sum(
            1 for g in gold if any(e.start < g.end and g.start < e.end for e in system))
    strict_p = counts["strict"] / counts["system"] if counts["system"] else 0.0
    strict_r = counts["strict"] / counts["gold"] if counts["gold"] else 0.0
    relaxed_p = counts["relaxed_sys"] / counts["system"] if counts["system"] else 0.0
    relaxed_r = counts["relaxed_gold"] / counts["gold"] if counts["gold"] else 0.0
    value_p = counts["value_ok"] / counts["system"] if counts["system"] else 0.0
    value_r = counts["value_ok"] / counts["gold"] if counts["gold"] else 0.0
    return {
        "documents": len(paths),
        "gold_timexes": counts["gold"],
        "system_timexes": counts["system"],
        "strict_precision": strict_p, "strict_recall": strict_r, "strict_f1": _f1(strict_p, strict_r),
        "relaxed_precision": relaxed_p, "relaxed_recall": relaxed_r,
        "relaxed_f1": _f1(relaxed_p, relaxed_r),
        "value_f1": _f1(value_p, value_r),
        "value_accuracy": counts["value_ok"] / counts["relaxed_sys"] if counts["relaxed_sys"] else 0.0,
        "date_value_accuracy": (counts["date_value_ok"] / counts["date_relaxed"]
                                if counts["date_relaxed"] else 0.0),
        "date_matched": counts["date_relaxed"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fast", action="store_true", help="every other document (10 of 20)")
    parser.add_argument("--json", type=Path, help="write the figures here as JSON")
    parser.add_argument("--errors", action="store_true", help="list misses and wrong values")
    parser.add_argument("--baseline-src", type=Path, help="src/ of an older checkout, scored beside ours")
    parser.add_argument("--emit", action="store_true", help=argparse.SUPPRESS)  # baseline subprocess
    args = parser.parse_args(argv)
    gold_dir = DATA / "te3-platinum"
    if not gold_dir.is_dir():
        print(f"../shared/data absent: {gold_dir} not found", file=sys.stderr)
        return 2
    paths = sorted(gold_dir.glob("*.tml"))
    if args.fast:
        paths = paths[::2]
    began = time.perf_counter()
    figures = evaluate(paths)
    figures["seconds"] = time.perf_counter() - began
    if args.emit:
        print(json.dumps(figures))
        return 0
    baseline = _baseline(args.baseline_src, args.fast) if args.baseline_src else None
    print(f"TempEval-3 platinum, Task A, {figures['documents']} documents, "
          f"{figures['gold_timexes']} gold TIMEX3 ({figures['system_timexes']} found)")
    print(f"{'system':<22}{'strict P':>9}{'strict R':>9}{'strict F1':>10}{'relax P':>9}{'relax R':>9}"
          f"{'relax F1':>9}{'value F1':>9}{'val acc':>9}{'DATE acc':>9}")
    print(f"{'HeidelTime (TE3)':<22}{'':>9}{'':>9}{HEIDELTIME['strict_f1']:>10.3f}{'':>9}{'':>9}"
          f"{HEIDELTIME['relaxed_f1']:>9.3f}{HEIDELTIME['value_f1']:>9.3f}{'':>9}{'':>9}")
    rows = ([("engine before", baseline)] if baseline else []) + [("manysides timexpr", figures)]
    for name, f in rows:
        _row(name, f)
    f = figures
    print(f"({f['seconds']:.2f} s; value accuracy over relaxed matches, DATE acc over the "
          f"{f['date_matched']} matched gold DATE timexes)")
    if args.errors:
        _print_errors(paths)
    if args.json:
        metrics = {k: round(v, 4) for k, v in figures.items()
                   if k in ("strict_f1", "relaxed_f1", "value_f1", "value_accuracy",
                            "date_value_accuracy")}
        args.json.write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    return 0


def _baseline(src: Path, fast: bool) -> dict | None:
    command = [sys.executable, __file__, "--emit"] + (["--fast"] if fast else [])
    done = subprocess.run(command, env={**os.environ, "PYTHONPATH": str(src)}, capture_output=True, text=True,
                          timeout=600)
    if done.returncode != 0:
        print(f"baseline engine at {src} failed: {done.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
        return None
    return json.loads(done.stdout)


def _row(name: str, f: dict) -> None:
    print(f"{name:<22}{f['strict_precision']:>9.3f}{f['strict_recall']:>9.3f}"
          f"{f['strict_f1']:>10.3f}{f['relaxed_precision']:>9.3f}{f['relaxed_recall']:>9.3f}"
          f"{f['relaxed_f1']:>9.3f}{f['value_f1']:>9.3f}{f['value_accuracy']:>9.3f}"
          f"{f['date_value_accuracy']:>9.3f}")


def _print_errors(paths: list[Path]) -> None:
    for path in paths:
        text, dct, gold = read_tml(path)
        system = normalise_times(text, published=dct, include_vague=True)
        for g in gold:
            match = [e for e in system if e.start < g.end and g.start < e.end]
            if not match:
                print(f"MISS  {path.stem}: {text[g.start:g.end]!r} {g.type} {g.value}")
            elif match[0].timex3 != g.value or (match[0].start, match[0].end) != (g.start, g.end):
                print(f"DIFF  {path.stem}: gold {text[g.start:g.end]!r} {g.value} | "
                      f"ours {match[0].text!r} {match[0].timex3}")
        for e in system:
            if not any(e.start < g.end and g.start < e.end for g in gold):
                print(f"EXTRA {path.stem}: {e.text!r} {e.timex3} ({e.rule})")


if __name__ == "__main__":
    raise SystemExit(main())
