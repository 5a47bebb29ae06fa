"""Write docs/cli.md from the commands' own --help, so the reference cannot drift from the code.

    .venv/bin/python scripts/cli_reference.py          # rewrite docs/cli.md
    .venv/bin/python scripts/cli_reference.py --check  # exit 1 when docs/cli.md is stale (the test suite runs this)
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # document the memo beside this script, not an installed one
from memo.cli import main

DOC = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def reference() -> str:
    """Every command's help text, in the order `memo --help` lists them."""
    parts = ["# Command-line reference", "",
             "Generated from `memo --help` by `scripts/cli_reference.py`; the test suite checks it is current.", ""]
    root = click.Context(main, info_name="memo", terminal_width=100, max_content_width=100)
    parts += ["## memo", "", "```text", main.get_help(root).rstrip(), "```", ""]
    for name in main.list_commands(root):
        command = main.get_command(root, name)
        if command is None or command.hidden:
            continue
        sub = click.Context(command, info_name=name, parent=root, terminal_width=100, max_content_width=100)
        parts += [f"## memo {name}", "", "```text", command.get_help(sub).rstrip(), "```", ""]
    return "\n".join(parts)


if __name__ == "__main__":
    text = reference()
    if "--check" in sys.argv:
        current = DOC.read_text("utf-8") if DOC.exists() else ""
        if current != text:
            print(f"{DOC} is out of date: run .venv/bin/python scripts/cli_reference.py", file=sys.stderr)
            sys.exit(1)
    else:
        DOC.write_text(text, "utf-8")
        print(f"wrote {DOC}")
