"""The quality gate: every benchmark's fast subset must stay at or above its pinned floor.

Floors live in ``bench/floors/<bench>.json`` as ``{"metric": floor}``; ``<bench>``
is the script ``bench/<bench>.py``, run with ``--fast --json``. Metrics whose
name ends in ``_max`` are ceilings (lower is better, e.g. a false-merge rate).
A floor only ever moves up: ``floors_lowered`` compares with the best it has been in git history.
Floors are quality figures or ratios, never absolute seconds (see ``RETIRED``).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
FLOORS = BENCH / "floors"


def floor_files() -> list[Path]:
    return sorted(FLOORS.glob("*.json"))


def run_fast(name: str, *, timeout: int = 600) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "figures.json"
        subprocess.run([sys.executable, str(BENCH / f"{name}.py"), "--fast", "--json", str(out)],
                       check=True, timeout=timeout, capture_output=True, text=True)
        return json.loads(out.read_text())


def below_floor(figures: dict[str, float], floors: dict[str, float]) -> list[str]:
    problems = []
    for metric, floor in floors.items():
        if metric not in figures:
            problems.append(f"{metric}: not reported by the benchmark")
        elif metric.endswith("_max") and figures[metric] > floor:
            problems.append(f"{metric}: {figures[metric]} above ceiling {floor}")
        elif not metric.endswith("_max") and figures[metric] < floor:
            problems.append(f"{metric}: {figures[metric]} below floor {floor}")
    return problems


# Absolute wall-clock ceilings, retired: they flaked on a loaded machine and measured the machine as
# much as the code. Speed is gated as ratios (e.g. our throughput as a share of spaCy's alone).
RETIRED = frozenset({"analyze_seconds_max", "claims_origins_alignment_seconds_max", "story50_seconds_max"})


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True)


def _better(metric: str, a: float, b: float) -> float:
    return min(a, b) if metric.endswith("_max") else max(a, b)


def best_floors(path: Path, *, repo: Path = BENCH.parent) -> dict[str, float]:
    """The highest floor (lowest ceiling) each metric has had in any committed version of the file.

    Comparing with the best ever, not with the previous version, means a floor lowered in
    two small steps, or in a commit after the one that raised it, is still caught.
    """
    relative = path.relative_to(repo).as_posix()
    best: dict[str, float] = {}
    commits = _git(repo, "log", "--format=%H", "--follow", "--", relative).stdout.split()
    for commit in commits:
        shown = _git(repo, "show", f"{commit}:{relative}")
        if shown.returncode != 0:
            continue  # the file was deleted (or renamed away) in this commit
        try:
            floors = json.loads(shown.stdout)
        except json.JSONDecodeError:
            continue
        for metric, value in floors.items():
            best[metric] = _better(metric, best[metric], value) if metric in best else value
    return best


def floors_lowered(path: Path, *, repo: Path = BENCH.parent) -> list[str]:
    """Floors lower (or ceilings higher) than the best they have been in git history."""
    best = best_floors(path, repo=repo)
    new = json.loads(path.read_text())
    lowered = []
    for metric, before in best.items():
        after = new.get(metric)
        if after is None:
            if metric not in RETIRED:
                lowered.append(f"{metric}: floor removed")
        elif (after > before) if metric.endswith("_max") else (after < before):
            lowered.append(f"{metric}: {before} -> {after}")
    return lowered


def main() -> int:
    failed = 0
    for path in floor_files():
        floors = json.loads(path.read_text())
        figures = run_fast(path.stem)
        problems = below_floor(figures, floors) + floors_lowered(path)
        print(f"{path.stem}: {'ok' if not problems else '; '.join(problems)}")
        failed += bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
