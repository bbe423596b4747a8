"""Every CLI command has a real --help and is named in the README (sqlite-utils' habit)."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from syndic.cli import main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def walk(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    found: list[tuple[tuple[str, ...], click.Command]] = []
    for name, command in sorted(group.commands.items()):
        path = (*prefix, name)
        found.append((path, command))
        if isinstance(command, click.Group):
            found.extend(walk(command, path))
    return found


COMMANDS = walk(main)


def test_the_commands_the_brief_asks_for_exist() -> None:
    names = {" ".join(p) for p, _ in COMMANDS}
    for required in ["add", "import", "export", "poll", "list", "extract", "serve", "clean", "demo",
                     "user add", "token create", "feeds", "worker", "site-config update", "campaign save", "campaign run"]:
        assert required in names


@pytest.mark.parametrize("path,command", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_has_help_and_a_readme_entry(path: tuple[str, ...], command: click.Command) -> None:
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert command.help and len(command.help.split()) >= 4, f"{' '.join(path)} needs a real --help"
    for param in command.params:
        if isinstance(param, click.Option) and param.name not in ("help",):
            assert param.help, f"option {param.opts} of {' '.join(path)} has no help"
    if not isinstance(command, click.Group):
        assert f"syndic {' '.join(path)}" in README, f"README does not document `syndic {' '.join(path)}`"


DEPLOY = Path(__file__).resolve().parents[1] / "deploy"


def _deploy_commands() -> list[list[str]]:
    """Every `syndic …` command line the cluster recipe (Procfile, systemd units) runs."""
    import shlex

    lines = [line.split(":", 1)[1] for line in (DEPLOY / "Procfile").read_text().splitlines()
             if line and not line.startswith("#")]
    lines += [line.split("=", 1)[1] for unit in sorted((DEPLOY / "systemd").glob("*.service"))
              for line in unit.read_text().splitlines() if line.startswith("ExecStart=")]
    return [shlex.split(line.replace("${PORT:-8080}", "8080"))[1:] for line in lines]


@pytest.mark.parametrize("args", _deploy_commands(), ids=lambda a: " ".join(a))
def test_the_cluster_recipe_runs_commands_and_options_that_exist(args: list[str]) -> None:
    result = CliRunner().invoke(main, [*args, "--help"])
    assert result.exit_code == 0, result.output
