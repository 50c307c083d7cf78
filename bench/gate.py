"""The quality gate: every benchmark's fast subset must stay at or above its pinned floor.

Floors live in ``bench/floors/<bench>.json`` as ``{"metric": floor}``; ``<bench>``
is the script ``bench/<bench>.py``, run with ``--fast --json``. Metrics whose
name ends in ``_max`` are ceilings (lower is better, e.g. a false-merge rate).
A floor only ever moves up: ``floors_lowered`` compares with the version before its last change.
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


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True)


def previous_floors(path: Path, *, repo: Path = BENCH.parent) -> dict[str, float] | None:
    """The floors this file held before its latest change, or None for a new file.

    An uncommitted edit is compared with HEAD; a committed one with the version
    before the commit that last changed the file, so CI on a fresh clone still
    sees a floor that a commit lowered.
    """
    relative = path.relative_to(repo).as_posix()
    head = _git(repo, "show", f"HEAD:{relative}")
    if head.returncode != 0:
        return None  # not committed yet: a new floor file
    if json.loads(head.stdout) != json.loads(path.read_text()):
        return json.loads(head.stdout)
    commits = _git(repo, "log", "-n", "2", "--format=%H", "--", relative).stdout.split()
    if len(commits) < 2:
        return None  # added in its only commit
    before = _git(repo, "show", f"{commits[1]}:{relative}")
    return json.loads(before.stdout) if before.returncode == 0 else None


def floors_lowered(path: Path, *, repo: Path = BENCH.parent) -> list[str]:
    """Floors lower (or ceilings higher) than before this file's latest change."""
    old = previous_floors(path, repo=repo)
    if old is None:
        return []
    new = json.loads(path.read_text())
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
