"""News dates: the share of time expressions in real coverage put on the right calendar date.

    .venv/bin/python bench/news_dates.py [--fast] [--json PATH] [--baseline-src DIR] [--errors]

Gold: ``bench/real_stories/times/<story>.json`` (issue 11), one entry per time
expression that names a day, month, year or season in the annotated real stories
(durations and clock times left out), each with the date it refers to. The
files hold offsets and a short hash of each span, never text; the text is rebuilt
from ``../shared/data`` by ``bench/real_stories/load.py``. Publication dates come
from the data set (BASIL) or, where the data set has none (NeuS/AllSides), from
the annotator (the date of the reported event, public record).

The times stage runs twice over every story, as the pipeline runs it:

* **with dates**: each article carries its publication date;
* **without dates**: no article carries one, as with pasted plain text; only
  absolute dates can resolve unless the engine infers an anchor.

An expression is right when a time reference the stage emits overlaps its span
and covers exactly the gold calendar interval. Beside our figure: the engine as
it was before issue 11 (``--baseline-src``: the ``src`` folder of a checkout of
that commit, run in a subprocess) and, computed in the same run, a floor anyone
gets by dating every expression with the publication date. No published anchor
exists for this set; TempEval-3 (bench/tempeval.py) is the public one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "real_stories"))

import load  # noqa: E402  (bench/real_stories/load.py)

TIMES = HERE / "real_stories" / "times"
MODES = ("with_dates", "without_dates")


def annotated() -> list[tuple[dict, dict]]:
    """(story entry, times annotation) for every story with a times file; never a reserved event."""
    found = []
    for entry in load.stories():
        path = TIMES / f"{entry['id']}.json"
        if not path.exists():
            continue
        if entry["ref"] in load.RESERVED_BASIL or entry["ref"] in load.RESERVED_NEUS:
            raise SystemExit(f"{path}: annotates a reserved event")
        found.append((entry, json.loads(path.read_text(encoding="utf-8"))))
    return found


def _bounds(value: str) -> tuple[dt.date, dt.date] | None:
    """First and last day a value covers (a day, YYYY-MM, YYYY, or 'first/last'); None otherwise.

    Written here rather than imported so that the engine before issue 11, whose
    modules sit elsewhere, is scored by the same rule.
    """
    if "/" in value:
        first, _, last = value.partition("/")
        a, b = _bounds(first), _bounds(last)
        return (a[0], b[1]) if a and b else None
    try:
        if len(value) == 10:
            day = dt.date.fromisoformat(value)
            return day, day
        if len(value) == 7:
            year, month = int(value[:4]), int(value[5:])
            following = dt.date(year + month // 12, month % 12 + 1, 1)
            return dt.date(year, month, 1), following - dt.timedelta(days=1)
        if len(value) == 4:
            return dt.date(int(value), 1, 1), dt.date(int(value), 12, 31)
    except ValueError:
        return None
    return None


def _times_stage():
    """The times stage of whichever engine is on the path (the layout moved in issue 9)."""
    try:
        from manysides.analyse.timeline.stage import times_stage
    except ImportError:
        from manysides.analyse.timeline import times_stage
    return times_stage


def run_engine(stories: list[tuple[dict, dict]], *, with_dates: bool) -> dict[str, dict[str, list]]:
    """story -> article key -> [(start, end, value), ...] from the engine's times stage."""
    from manysides.model import Article, Briefing
    from manysides.resources import Resources

    times_stage = _times_stage()
    resources = Resources()
    found: dict[str, dict[str, list]] = {}
    for entry, gold in stories:
        articles = []
        for item in load.load_story(entry["id"]):
            published = dt.date.fromisoformat(gold["articles"][item.key]["published"]) if with_dates else None
            articles.append(Article(id=item.key, source=f"{item.key}.txt", format="txt", outlet=item.outlet,
                                    published=published, raw_text=item.text, clean_text=item.text))
        briefing = times_stage(Briefing(id=entry["id"], created_at=dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc),
                                        articles=articles), resources)
        per_article: dict[str, list] = {}
        for ref in briefing.time_refs:
            per_article.setdefault(ref.span.article_id if hasattr(ref, "span") else ref.article_id, []).append(
                (ref.start, ref.end, ref.value))
        found[entry["id"]] = per_article
    return found


def check_hashes(stories: list[tuple[dict, dict]]) -> None:
    for entry, gold in stories:
        texts = {item.key: item.text for item in load.load_story(entry["id"])}
        for key, article in gold["articles"].items():
            for time in article["times"]:
                span = texts[key][time["start"]:time["end"]]
                if load.span_hash(span) != time["hash"]:
                    raise SystemExit(f"{entry['id']}/{key} {time['start']}:{time['end']}: span drifted")


def score(stories: list[tuple[dict, dict]], found: dict[str, dict[str, list]] | None, *,
          publication_baseline: bool = False) -> dict:
    """Share right overall, by data set and split; ``found`` None with ``publication_baseline``
    dates every expression with its article's publication date."""
    tally: dict[str, list[int]] = {}
    errors: list[str] = []
    for entry, gold in stories:
        groups = ("all", entry["dataset"], entry["split"])
        for key, article in gold["articles"].items():
            refs = [] if found is None else found.get(entry["id"], {}).get(key, [])
            for time in article["times"]:
                want = _bounds(time["gold"])
                if publication_baseline:
                    got_values = [article["published"]]
                else:
                    got_values = [v for s, e, v in sorted(refs) if s < time["end"] and time["start"] < e]
                right = any(_bounds(v) == want for v in got_values)
                for group in groups:
                    counts = tally.setdefault(group, [0, 0])
                    counts[0] += right
                    counts[1] += 1
                if not right:
                    errors.append(f"{entry['id']}/{key} {time['start']}:{time['end']} gold {time['gold']} "
                                  f"got {got_values or 'nothing'}")
    return {"share": {g: round(r / n, 4) for g, (r, n) in tally.items()},
            "counts": {g: n for g, (_, n) in tally.items()}, "errors": errors}


def engine_figures(stories, *, errors: bool = False) -> dict:
    figures = {}
    for mode in MODES:
        result = score(stories, run_engine(stories, with_dates=mode == "with_dates"))
        figures[mode] = result["share"]
        figures["counts"] = result["counts"]
        if errors:
            figures[f"{mode}_errors"] = result["errors"]
    return figures


def baseline_figures(src: Path, fast: bool) -> dict | None:
    command = [sys.executable, __file__, "--emit"] + (["--fast"] if fast else [])
    environment = {**os.environ, "PYTHONPATH": str(src)}
    done = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        print(f"baseline engine at {src} failed: {done.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
        return None
    return json.loads(done.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fast", action="store_true", help="the dev split only")
    parser.add_argument("--json", type=Path, help="write our figures here as JSON")
    parser.add_argument("--baseline-src", type=Path,
                        help="src/ of a checkout of the engine before issue 11, to run beside ours")
    parser.add_argument("--errors", action="store_true", help="list the expressions we date wrongly")
    parser.add_argument("--emit", action="store_true", help=argparse.SUPPRESS)  # baseline subprocess
    args = parser.parse_args(argv)
    if not load.data_available():
        print(f"../shared/data absent: {load.data_root()} has no BASIL or NeuS data", file=sys.stderr)
        return 2
    stories = annotated()
    if args.fast:
        stories = [(entry, gold) for entry, gold in stories if entry["split"] == "dev"]
    if args.emit:
        print(json.dumps(engine_figures(stories)))
        return 0
    check_hashes(stories)
    ours = engine_figures(stories, errors=args.errors)
    baseline = baseline_figures(args.baseline_src, args.fast) if args.baseline_src else None
    publication = score(stories, None, publication_baseline=True)["share"]
    counts = ours["counts"]
    print(f"News dates: {len(stories)} real stories, {counts['all']} time expressions "
          f"({counts.get('basil', 0)} BASIL, {counts.get('neus_allsides', 0)} NeuS; "
          f"{counts.get('dev', 0)} dev, {counts.get('test', 0)} test)")
    print(f"{'system':<34}{'mode':<15}{'all':>7}{'BASIL':>7}{'NeuS':>7}{'dev':>7}{'test':>7}")

    def row(name: str, mode: str, shares: dict) -> None:
        cells = "".join(f"{shares.get(g, float('nan')):>7.3f}" for g in ("all", "basil", "neus_allsides", "dev", "test"))
        print(f"{name:<34}{mode:<15}{cells}")

    row("publication date for every one", "with dates", publication)
    if baseline:
        for mode in MODES:
            row("engine before issue 11", mode.replace("_", " "), baseline[mode])
    for mode in MODES:
        row("manysides times stage", mode.replace("_", " "), ours[mode])
    if args.errors:
        for mode in MODES:
            for line in ours[f"{mode}_errors"]:
                print(f"WRONG ({mode}) {line}")
    if args.json:
        metrics = {f"{mode}_share": ours[mode]["all"] for mode in MODES}
        if baseline:
            metrics.update({f"baseline_{mode}_share": baseline[mode]["all"] for mode in MODES})
        args.json.write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
