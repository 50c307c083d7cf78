"""CI's quality gate: each benchmark's fast subset stays at or above its pinned floor."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from conftest import REPO, SHARED_DATA

sys.path.insert(0, str(REPO / "bench"))
import gate  # noqa: E402

FLOOR_FILES = gate.floor_files()


@pytest.mark.bench
@pytest.mark.parametrize("floor_file", FLOOR_FILES, ids=[p.stem for p in FLOOR_FILES])
def test_benchmark_stays_above_its_floor(floor_file: Path):
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data absent: benchmarks cannot run")
    figures = gate.run_fast(floor_file.stem)
    assert gate.below_floor(figures, json.loads(floor_file.read_text())) == []


@pytest.mark.parametrize("floor_file", FLOOR_FILES, ids=[p.stem for p in FLOOR_FILES])
def test_floors_only_move_up(floor_file: Path):
    assert gate.floors_lowered(floor_file) == []


def test_gate_flags_a_figure_under_its_floor():
    assert gate.below_floor({"f1": 0.5}, {"f1": 0.9}) == ["f1: 0.5 below floor 0.9"]
    assert gate.below_floor({"merge_rate_max": 0.2}, {"merge_rate_max": 0.1})
    assert gate.below_floor({"f1": 0.95}, {"f1": 0.9}) == []
    assert gate.below_floor({}, {"f1": 0.9}) == ["f1: not reported by the benchmark"]


def test_a_floor_is_compared_with_the_best_it_ever_was(tmp_path):
    import subprocess

    def git(*args):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    def commit(floors: dict, message: str):
        floor.write_text(json.dumps(floors))
        git("add", ".")
        git("commit", "-qm", message)

    floor = tmp_path / "floors" / "x.json"
    floor.parent.mkdir()
    git("init", "-q")
    git("config", "user.email", "t@example.org")
    git("config", "user.name", "t")
    commit({"f1": 0.9, "error_max": 0.3}, "floors")
    assert gate.floors_lowered(floor, repo=tmp_path) == []
    floor.write_text(json.dumps({"f1": 0.8, "error_max": 0.4}))  # uncommitted
    assert gate.floors_lowered(floor, repo=tmp_path) == ["f1: 0.9 -> 0.8", "error_max: 0.3 -> 0.4"]
    commit({"f1": 0.95, "error_max": 0.3}, "raise")
    commit({"f1": 0.92, "error_max": 0.3}, "lower a little")  # below 0.95, though above 0.9
    commit({"f1": 0.91, "error_max": 0.3}, "and a little more")
    assert gate.floors_lowered(floor, repo=tmp_path) == ["f1: 0.95 -> 0.91"]
    commit({"f1": 0.96, "error_max": 0.2}, "raise again")
    assert gate.floors_lowered(floor, repo=tmp_path) == []


def test_retired_wall_clock_ceilings_may_go_but_quality_floors_may_not(tmp_path):
    import subprocess

    def git(*args):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    floor = tmp_path / "floors" / "x.json"
    floor.parent.mkdir()
    git("init", "-q")
    git("config", "user.email", "t@example.org")
    git("config", "user.name", "t")
    floor.write_text(json.dumps({"f1": 0.9, "story50_seconds_max": 45}))
    git("add", ".")
    git("commit", "-qm", "floors")
    floor.write_text(json.dumps({"f1": 0.9}))
    assert gate.floors_lowered(floor, repo=tmp_path) == []
    floor.write_text(json.dumps({}))
    assert gate.floors_lowered(floor, repo=tmp_path) == ["f1: floor removed"]


def test_no_floor_is_an_absolute_wall_clock_time():
    for path in FLOOR_FILES:
        for metric in json.loads(path.read_text()):
            assert "seconds" not in metric, f"{path.name}: {metric} is wall-clock time; gate a ratio instead"
