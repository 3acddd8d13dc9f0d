"""The command reference in docs/commands.md, written from the commands themselves.

Every command, its usage line, its `--help` text and its options, walked from the
same click tree `coachlog --help` prints, so the reference cannot drift from the
code: tests/test_docs.py fails when docs/commands.md is out of date, and

    python -m coachlog.cli.reference > docs/commands.md

brings it up to date. The hand-written rest of the contract (JSON shapes, exit
codes, files) is docs/contract.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

HEADER = """\
# coachlog command reference

Made by `python -m coachlog.cli.reference` from the commands themselves; do not edit
by hand (tests/test_docs.py checks it is current). What the commands promise beyond
their flags (JSON shapes, exit codes, files) is in [contract.md](contract.md).
"""


def _commands(group: Any, ctx: Any, path: list[str]) -> Iterator[tuple[list[str], Any, Any]]:
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        sub = type(ctx)(command, info_name=name, parent=ctx)
        yield [*path, name], command, sub
        if hasattr(command, "list_commands"):
            yield from _commands(command, sub, [*path, name])


def _option(param: Any) -> tuple[str, str]:
    names = ", ".join(f"`{o}`" for o in [*param.opts, *param.secondary_opts])
    if param.is_flag:
        pass
    elif param.metavar:
        names += f" {param.metavar}"
    elif getattr(param.type, "choices", None):
        names += " " + "\\|".join(str(c) for c in param.type.choices)
    else:
        names += " NUMBER" if param.type.name in ("integer", "float") else " TEXT"
    text = " ".join((param.help or "").split())
    return names, text


def _options_table(command: Any) -> list[str]:
    options = [p for p in command.params if p.param_type_name == "option" and not p.hidden]
    if not options:
        return []
    lines = ["| option | what it does |", "|---|---|"]
    for param in options:
        names, text = _option(param)
        escaped = text.replace("|", "\\|")
        lines.append(f"| {names} | {escaped} |")
    return [*lines, ""]


def markdown() -> str:
    """The whole reference, as Markdown."""
    import typer.main

    from coachlog.cli import app

    root = typer.main.get_command(app)
    ctx = root.context_class(root, info_name="coachlog", terminal_width=88)
    lines = [HEADER, "## coachlog\n", "    coachlog [OPTIONS] [COMMAND]\n"]
    lines.append((root.help or "").strip() + "\n")
    lines += _options_table(root)
    for path, command, sub in _commands(root, ctx, []):
        depth = min(len(path) + 1, 4)
        lines.append(f"{'#' * depth} coachlog {' '.join(path)}\n")
        # Strip the braces the vendored click puts round required arguments.
        pieces = [p.strip("{}") for p in command.collect_usage_pieces(sub)]
        lines.append(f"    coachlog {' '.join(path)} {' '.join(pieces)}".rstrip() + "\n")
        help_text = (command.help or "").strip()
        if help_text:
            lines.append(help_text.replace("\b\n", "") + "\n")
        lines += _options_table(command)
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(markdown())
