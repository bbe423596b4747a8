"""The CLI never shows a traceback for a user's mistake (issue 11).

Every command of click's tree is run with bad arguments: an option it does
not have, non-numbers and out-of-range numbers where numbers go, files and
ids that do not exist, a database that cannot be opened. Each run must exit
non-zero with a message and without "Traceback". Then the reproductions of
the issue, one by one.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from syndic.cli import main

LONG_RUNNING = {("serve",), ("demo",), ("worker",), ("beat",), ("monitor",)}
"""Given valid-looking arguments these would start serving: they get the other bad arguments only."""


def _commands(group: click.Group = main, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))
        else:
            yield (*path, name), command


COMMANDS = list(_commands())
IDS = [" ".join(p) for p, _ in COMMANDS]


def _clean_failure(result: Result) -> None:
    output = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert result.exit_code not in (0, None), output
    assert "Traceback" not in output, output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    lines = [line for line in output.splitlines() if line.strip()]
    assert lines, "no message"


def _invoke(args: list[str], env: dict[str, str] | None = None, input: str | bytes | None = None) -> Result:
    return CliRunner().invoke(main, args, env=env, input=input)


def test_the_tree_is_walked() -> None:
    assert len(COMMANDS) >= 25 and ("user", "passwd") in [p for p, _ in COMMANDS]


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_an_unknown_option_is_one_message(path: tuple[str, ...], command: click.Command) -> None:
    _clean_failure(_invoke([*path, "--no-such-option"]))


def _numeric_options(command: click.Command) -> list[list[str]]:
    bad: list[list[str]] = []
    for param in command.params:
        if isinstance(param, click.Option) and isinstance(param.type, click.types.IntParamType | click.IntRange):
            bad.append([param.opts[0], "seven"])
            if isinstance(param.type, click.IntRange) or "port" in param.opts[0]:
                bad.append([param.opts[0], "80000" if "port" in param.opts[0] else "-5"])
    return bad


NUMERIC = [(p, args) for p, c in COMMANDS for args in _numeric_options(c)]


@pytest.mark.parametrize(("path", "args"), NUMERIC, ids=[" ".join([*p, *a]) for p, a in NUMERIC])
def test_a_bad_number_is_one_message(path: tuple[str, ...], args: list[str]) -> None:
    _clean_failure(_invoke([*path, *args]))


def _arguments(command: click.Command) -> list[str]:
    values = []
    for param in command.params:
        if isinstance(param, click.Argument):
            values.append("999999" if isinstance(param.type, click.types.IntParamType) else "/nonexistent/thing")
    return values


RUNNABLE = [(p, c) for p, c in COMMANDS if p not in LONG_RUNNING]


@pytest.mark.parametrize(("path", "command"), RUNNABLE, ids=[" ".join(p) for p, _ in RUNNABLE])
def test_a_store_that_cannot_be_opened_is_one_message(
    path: tuple[str, ...], command: click.Command, tmp_path: Path
) -> None:
    """Things that do not exist, against a database in a folder that does not exist."""
    args = [*path, *_arguments(command)]
    if path in {("user", "add"), ("user", "passwd")}:
        args += ["--password", "correct horse battery staple"]
    if path == ("user", "delete"):
        args.append("--yes")
    if path == ("campaign", "save"):
        config = tmp_path / "c.json"
        config.write_text("{}")
        args += ["--config", str(config), "--feed", "1"]
    if path == ("site-config", "update"):
        args += ["--source", "http://127.0.0.1:9/rules.tar.gz"]  # never the internet
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    result = _invoke(["--database", f"sqlite:///{not_a_folder}/x.db", *args],
                     env={"SYNDIC_BROKER_URL": ""}, input="")
    if result.exit_code == 0:  # a command that needs no store and found nothing to do is fine
        assert "Traceback" not in result.output
        return
    _clean_failure(result)


@pytest.fixture
def db(tmp_path: Path) -> list[str]:
    return ["--database", f"sqlite:///{tmp_path / 'syndic.db'}"]


def test_user_add_for_an_existing_user_says_so_without_the_hash(db: list[str]) -> None:
    assert _invoke([*db, "user", "add", "admin", "--password", "correct horse battery"]).exit_code == 0
    again = _invoke([*db, "user", "add", "admin", "--password", "another long passphrase"])
    _clean_failure(again)
    assert "user admin already exists" in again.output and "syndic user passwd admin" in again.output
    assert "argon2" not in again.output and "INSERT" not in again.output


def test_passwords_under_12_characters_are_refused(db: list[str]) -> None:
    short = _invoke([*db, "user", "add", "ada", "--password", "elevenchars"])
    _clean_failure(short)
    assert "at least 12" in short.output
    assert "no users" in _invoke([*db, "user", "list"]).output


def test_user_passwd_list_delete(db: list[str]) -> None:
    assert _invoke([*db, "user", "add", "ada", "--password", "first passphrase", "--no-admin"]).exit_code == 0
    assert _invoke([*db, "user", "add", "root", "--password", "second passphrase"]).exit_code == 0
    listed = _invoke([*db, "user", "list"])
    assert [line.split("\t")[:2] for line in listed.output.splitlines()] == [["ada", "reader"], ["root", "admin"]]
    assert "passphrase" not in listed.output
    changed = _invoke([*db, "user", "passwd", "ada", "--password", "a new passphrase"])
    assert changed.exit_code == 0 and "password of ada changed" in changed.output
    _clean_failure(_invoke([*db, "user", "passwd", "ada", "--password", "short"]))
    _clean_failure(_invoke([*db, "user", "passwd", "nobody", "--password", "a new passphrase"]))
    assert _invoke([*db, "user", "delete", "ada"], input="n\n").exit_code != 0  # asked, refused
    assert _invoke([*db, "user", "delete", "ada", "--yes"]).exit_code == 0
    assert "ada" not in _invoke([*db, "user", "list"]).output
    _clean_failure(_invoke([*db, "user", "delete", "ada", "--yes"]))

    from syndic.accounts.users import authenticate
    from syndic.store import open_store

    store = open_store(db[1])
    assert authenticate(store, "root", "second passphrase") is not None
    store.close()


def test_a_port_out_of_range_is_a_usage_error() -> None:
    result = _invoke(["serve", "--port", "80000"])
    _clean_failure(result)
    assert "80000 is not in the range 1<=x<=65535" in result.output


def test_a_busy_port_names_the_port_and_suggests_another(db: list[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = _invoke([*db, "serve", "--port", str(port)])
    _clean_failure(result)
    assert f"port {port} on 127.0.0.1 is already in use" in result.output and "--port" in result.output
    assert "reader on http" not in result.output  # refused before announcing anything


def test_clean_refuses_a_binary_file(tmp_path: Path) -> None:
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 40)
    result = _invoke(["clean", str(binary)])
    _clean_failure(result)
    assert "binary data" in result.output and "JFIF" not in result.output


def test_extract_from_empty_stdin_says_stdin_is_empty() -> None:
    result = _invoke(["extract", "-"], input=b"")
    _clean_failure(result)
    assert "standard input is empty" in result.output and "/-" not in result.output


def test_a_missing_file_is_one_line() -> None:
    for command in (["extract", "/nonexistent/page.html"], ["clean", "/nonexistent/a.txt"]):
        result = _invoke(command)
        _clean_failure(result)
        assert "/nonexistent/" in result.output and "No such file" in result.output
