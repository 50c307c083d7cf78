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


@pytest.mark.slow
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


def test_a_committed_lowered_floor_is_caught(tmp_path):
    import subprocess

    def git(*args):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    floor = tmp_path / "floors" / "x.json"
    floor.parent.mkdir()
    git("init", "-q")
    git("config", "user.email", "t@example.org")
    git("config", "user.name", "t")
    floor.write_text(json.dumps({"f1": 0.9, "seconds_max": 30}))
    git("add", ".")
    git("commit", "-qm", "floors")
    assert gate.floors_lowered(floor, repo=tmp_path) == []
    floor.write_text(json.dumps({"f1": 0.8, "seconds_max": 40}))
    assert gate.floors_lowered(floor, repo=tmp_path) == ["f1: 0.9 -> 0.8", "seconds_max: 30 -> 40"]
    git("commit", "-qam", "lower")  # committed: still compared with the version before
    assert gate.floors_lowered(floor, repo=tmp_path) == ["f1: 0.9 -> 0.8", "seconds_max: 30 -> 40"]
    floor.write_text(json.dumps({"f1": 0.95, "seconds_max": 40}))
    git("commit", "-qam", "raise")
    assert gate.floors_lowered(floor, repo=tmp_path) == []
