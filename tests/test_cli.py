"""The command line: exit codes, one-line errors, and all three report formats."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES
from manysides.cli import app

CORE = FIXTURES / "core"


@pytest.fixture(scope="module")
def runner():
    return CliRunner()


def invoke(runner, *args):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


def test_version(runner):
    result = invoke(runner, "--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("manysides ")


def test_analyze_folder_with_a_broken_file_reports_it_and_writes_every_format(runner, tmp_path, nlp):
    outputs = [tmp_path / "b.html", tmp_path / "b.json", tmp_path / "b.md"]
    result = invoke(runner, "analyze", CORE, "--db", tmp_path / "m.duckdb", "--stages", "",
                    *[x for o in outputs for x in ("-o", o)])
    assert result.exit_code == 1, result.output
    failure_lines = [line for line in result.stderr.splitlines() if "broken.txt" in line]
    assert len(failure_lines) == 1
    assert "Traceback" not in result.output
    for path in outputs:
        assert path.stat().st_size > 500
    briefing = json.loads(outputs[1].read_text())
    assert len(briefing["articles"]) == 2
    assert any("broken.txt" in f["source"] for f in briefing["failures"])
    assert "Harbour Gazette" in outputs[0].read_text()


def test_analyze_with_only_good_inputs_exits_zero(runner, tmp_path, nlp):
    result = invoke(runner, "analyze", CORE / "ceasefire-wire.txt", "--no-store", "--stages", "",
                    "--date", "2023-03-14", "-o", tmp_path / "b.json")
    assert result.exit_code == 0, result.output
    article = json.loads((tmp_path / "b.json").read_text())["articles"][0]
    assert article["published"] == "2023-03-14" and article["date_source"] == "cli"


@pytest.mark.parametrize("args", [
    ["analyze", "x.txt", "-o", "report.pdf"],
    ["analyze", "x.txt", "--stages", "nonsense"],
    ["analyze", "x.txt", "--date", "10/09/2022"],
    ["analyze"],
    ["frobnicate"],
])
def test_usage_errors_exit_2(runner, args):
    result = runner.invoke(app, args)
    assert result.exit_code == 2


def test_ingest_twice_is_a_no_op_and_show_marks_dropped_junk(runner, tmp_path, nlp):
    db = tmp_path / "m.duckdb"
    first = invoke(runner, "ingest", CORE / "ceasefire-wire.txt", "--db", db)
    assert first.exit_code == 0 and "1 new" in first.stderr
    second = invoke(runner, "ingest", CORE / "ceasefire-wire.txt", "--db", db)
    assert second.exit_code == 0 and "0 new, 1 already stored" in second.stderr
    from manysides.store import Store

    with Store(db) as store:
        article_id = store.article_ids()[0]
    shown = invoke(runner, "show", article_id[:8], "--db", db)
    assert shown.exit_code == 0
    assert "dropped:" in shown.stdout
    assert "Marta Olsen" in shown.stdout


def test_show_unknown_article_is_one_line(runner, tmp_path):
    result = invoke(runner, "show", "ffffffff", "--db", tmp_path / "m.duckdb")
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1


def test_markup_like_file_names_and_titles_are_printed_as_text(runner, tmp_path, nlp):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "[bold]x[i].txt").write_bytes(b"\x00\x01binary")
    (folder / "story.txt").write_text(
        "[red]Harbour[/red] deal [/b] agreed\n\nThe councils of Port Aldwin and Bexley Sound agreed on "
        "Tuesday to share the northern fishing grounds for five years.\n", encoding="utf-8")
    db = tmp_path / "m.duckdb"
    result = invoke(runner, "ingest", folder, "--db", db)
    assert result.exit_code == 1
    assert "[bold]x[i].txt" in result.stderr  # printed as written, and the run went on
    assert "1 new" in result.stderr
    from manysides.store import Store

    with Store(db) as store:
        article_id = store.article_ids()[0]
    shown = invoke(runner, "show", article_id, "--db", db)
    assert shown.exit_code == 0 and "[red]Harbour[/red] deal [/b] agreed" in shown.stdout
