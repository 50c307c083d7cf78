"""The quality gate: every benchmark's fast subset must stay at or above its pinned floor.

Floors live in ``bench/floors/<bench>.json`` as ``{"metric": floor}``; ``<bench>``
is the script ``bench/<bench>.py``, run with ``--fast --json``. Metrics whose
name ends in ``_max`` are ceilings (lower is better, e.g. a false-merge rate).
A floor only ever moves up: ``floors_lowered`` compares with the last commit.
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


def floors_lowered(path: Path, *, base: str = "HEAD") -> list[str]:
    """Floors in the working tree that are lower (or ceilings higher) than at ``base``."""
    relative = path.relative_to(BENCH.parent).as_posix()
    shown = subprocess.run(["git", "show", f"{base}:{relative}"], cwd=BENCH.parent,
                           capture_output=True, text=True)
    if shown.returncode != 0:
        return []  # a new floor file
    old, new = json.loads(shown.stdout), json.loads(path.read_text())
    lowered = []
    for metric, before in old.items():
        after = new.get(metric)
        if after is None:
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
