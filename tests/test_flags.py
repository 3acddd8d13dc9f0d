"""A short flag means one thing everywhere: `-f` is never `--format` in one command
and `--force` in another. Walks every command typer builds."""

from __future__ import annotations

from collections import defaultdict

import typer.main

from coachlog.cli import app


def _commands(command, path=()):
    yield path, command
    if hasattr(command, "list_commands"):
        ctx = click_context(command)
        for name in command.list_commands(ctx):
            yield from _commands(command.get_command(ctx, name), (*path, name))


def click_context(command):
    return command.context_class(command)


def test_every_short_flag_has_one_meaning():
    meanings: dict[str, set[str]] = defaultdict(set)
    where: dict[str, list[str]] = defaultdict(list)
    for path, command in _commands(typer.main.get_command(app)):
        for param in command.params:
            opts = [o for o in getattr(param, "opts", []) if o.startswith("-")]
            longs = [o for o in opts if o.startswith("--")]
            for short in (o for o in opts if not o.startswith("--")):
                meanings[short].update(longs or [param.name])
                where[short].append(" ".join(path))
    clashes = {s: sorted(m) for s, m in meanings.items() if len(m) > 1}
    assert clashes == {}, {s: (clashes[s], where[s]) for s in clashes}
    assert meanings["-f"] == {"--format"}
