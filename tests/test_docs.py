"""The user guide in docs/ stays true to the code: generated references are current, links resolve."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from .conftest import REPO


@pytest.mark.parametrize("script", ["cli_reference.py", "formats_reference.py"])
def test_generated_reference_is_current(script: str) -> None:
    result = subprocess.run([sys.executable, str(REPO / "scripts" / script), "--check"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_cli_reference_matches_help() -> None:
    from click.testing import CliRunner

    from memo.cli import main

    text = (REPO / "docs" / "cli.md").read_text("utf-8")
    for command in ("build", "check", "quote", "init", "doctor", "schema", "export", "list"):
        assert f"## memo {command}" in text
        help_text = CliRunner().invoke(main, [command, "--help"], prog_name="memo", terminal_width=100).output
        assert help_text.splitlines()[0] in text  # "Usage: memo build [OPTIONS]"
        summary = help_text.split("\n\n")[1].strip()
        assert summary in text


def test_links_between_guide_pages_resolve() -> None:
    for page in (REPO / "docs").glob("*.md"):
        for target in re.findall(r"\]\(([^)#:]+\.md)\)", page.read_text("utf-8")):
            assert (page.parent / target).is_file(), f"{page.name} links to missing {target}"
