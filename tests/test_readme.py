"""The README's commands and option tables match the CLI (a new option undocumented fails here)."""

from __future__ import annotations

import re

import typer

from conftest import REPO
from manysides.cli import app

README = (REPO / "README.md").read_text(encoding="utf-8")


def _commands():
    root = typer.main.get_command(app)
    for name, command in root.commands.items():
        subcommands = getattr(command, "commands", None)
        if subcommands:
            for sub_name, sub in subcommands.items():
                yield f"{name} {sub_name}", sub
        else:
            yield name, command


def test_every_command_is_in_the_usage_block():
    usage = README[README.index("## Usage"):README.index("### Errors")]
    for name, _ in _commands():
        assert f"manysides {name}" in usage, f"`manysides {name}` missing from README usage"


def test_every_option_of_every_command_is_documented():
    analyze_table = README[README.index("Options of `analyze`"):README.index("Other commands' options")]
    others = README[README.index("Other commands' options"):README.index("### Errors")]
    for name, command in _commands():
        options = [o for param in command.params for o in param.opts if o.startswith("--")]
        if name == "analyze":
            documented = analyze_table
        else:
            sentence = re.search(rf"`{re.escape(name)}` takes\s+([^;]*)", others)
            documented = sentence.group(1) if sentence else ""
        for option in options:
            assert f"`{option}" in documented, f"manysides {name} {option} is not in the README"


def test_both_setup_commands_are_there_and_ci_runs_the_test_one():
    blocks = re.findall(r"```bash\n(python3 -m venv .venv[^\n]*)\n```", README)
    assert len(blocks) == 2
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert blocks[1] in ci
