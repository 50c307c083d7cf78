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


@pytest.mark.parametrize("args, code", [
    (["analyze", "x.txt", "--stages", "alignment"], "E002"),
    (["analyze", "x.txt", "--stages", "nonsense"], "E001"),
    (["analyze", "x.txt", "--embedder", "bogus"], "E003"),
    (["analyze", "x.txt", "--date", "10/09/2022"], "E003"),
    (["analyze", "x.txt", "-o", "report.pdf"], "E004"),
    (["analyze", "x.txt", "--pack", "no-such-pack"], "E020"),
])
def test_usage_errors_name_their_code_in_one_line_before_any_work(runner, args, code):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and code in lines[0], result.stderr
    assert "skipped" not in result.stderr  # nothing was read: x.txt does not exist


def test_missing_stage_names_the_stages_to_run(runner):
    result = runner.invoke(app, ["analyze", "x.txt", "--stages", "alignment"])
    assert "run --stages claims,origins,alignment" in result.stderr


def test_global_flags_work_after_the_subcommand(runner, tmp_path, nlp):
    from manysides.cli import _global_flags_first

    assert _global_flags_first(["ingest", "a.txt", "--quiet"]) == ["--quiet", "ingest", "a.txt"]
    assert _global_flags_first(["show", "--", "-q"]) == ["show", "--", "-q"]  # after --, an argument
    result = invoke(runner, *_global_flags_first(
        ["ingest", CORE / "ceasefire-wire.txt", "--db", tmp_path / "m.duckdb", "--quiet"]))
    assert result.exit_code == 0 and result.stderr == ""


def test_same_article_twice_is_read_once_and_said_in_one_line(runner, tmp_path, nlp):
    copy = tmp_path / "copy.txt"
    copy.write_bytes((CORE / "ceasefire-wire.txt").read_bytes())
    result = invoke(runner, "ingest", CORE / "ceasefire-wire.txt", copy, "--db", tmp_path / "m.duckdb")
    assert result.exit_code == 0
    lines = [line for line in result.stderr.splitlines() if "repeat an earlier article" in line]
    assert len(lines) == 1 and lines[0].startswith("1 inputs") and "copy.txt" in lines[0]
    assert "1 new" in result.stderr


def test_malformed_json_names_line_and_column(runner, tmp_path, nlp):
    bad = tmp_path / "bad.json"
    bad.write_text('{"title": "x",\n "text": "a\tb"}', encoding="utf-8")  # raw tab: invalid control character
    result = invoke(runner, "ingest", bad, "--db", tmp_path / "m.duckdb")
    assert result.exit_code == 1
    line = next(line for line in result.stderr.splitlines() if "bad.json" in line)
    assert "E013" in line and "line 2, column" in line and "Invalid control character" in line


def test_claims_command_prints_the_matrix(runner, nlp):
    result = invoke(runner, "claims", CORE / "ceasefire-wire.txt", CORE / "harbour-gazette.html",
                    "--date", "2023-03-14", "--embedder", "tfidf")
    assert result.exit_code == 0, result.output
    import re

    assert re.search(r"\b[1-9]\d* claim groups", result.stdout), result.stdout
    assert any(status in result.stdout for status in ("corroborated", "single", "contested"))


def test_stages_and_errors_commands_list_the_registry(runner):
    from manysides.analyse import STAGES
    from manysides.errors import CODES

    stages = invoke(runner, "stages")
    assert stages.exit_code == 0 and all(name in stages.stdout for name in STAGES)
    errors = invoke(runner, "errors")
    assert errors.exit_code == 0 and all(code in errors.stdout for code in CODES)


def test_help_shows_no_python_type_labels(runner):
    result = runner.invoke(app, ["analyze", "--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0
    assert "<bool>" not in result.stdout and "list[" not in result.stdout
