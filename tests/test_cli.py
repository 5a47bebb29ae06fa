"""The command line, end to end through click's CliRunner."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from memo import __version__
from memo.cli import main
from memo.text import quote_in

from .conftest import REPO, snapshot


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


@pytest.mark.parametrize("command", [[], ["build"], ["check"], ["list"], ["export"], ["schema"]])
def test_help_everywhere(command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output


def test_check_passes_on_the_shipped_project(run: Callable[..., Result]) -> None:
    result = run(REPO, "check")
    assert result.exit_code == 0, result.output
    assert "13 positions" in result.output and "every quotation verified" in result.output


def test_list_names_sources_positions_audiences_and_kinds(run: Callable[..., Result]) -> None:
    result = run(REPO, "list")
    assert result.exit_code == 0
    for name in ("harmony-of-the-heavens", "metternich-cooperation", "students", "policymakers", "public", "memo:"):
        assert name in result.output


def test_export_carries_every_quote_with_source_and_paragraph(run: Callable[..., Result]) -> None:
    result = run(REPO, "export")
    assert result.exit_code == 0
    data = json.loads(result.output)
    sources = {s["id"]: s for s in data["sources"]}
    items: list[dict] = []

    def collect(value: object) -> None:
        if isinstance(value, dict):
            if "quote" in value:
                items.append(value)
            for child in value.values():
                collect(child)
        elif isinstance(value, list):
            for child in value:
                collect(child)

    collect(data["positions"])
    collect(data["context"])
    collect(data["documents"])
    assert len(items) >= 40
    body = set()
    for item in items:
        assert {"quote", "source", "paragraph"} <= item.keys()
        source = sources[item["source"]]
        ref = item["paragraph"]
        passage = source["key_points"][int(ref[1:]) - 1] if isinstance(ref, str) else source["paragraphs"][ref - 1]
        assert quote_in(item["quote"], passage), item
        if isinstance(ref, int):
            body.add(ref)
    assert len(body) >= 18  # the positions quote most of the article's 22 body paragraphs
    assert len(data["positions"]) >= 10


def test_schema_is_json_schema(run: Callable[..., Result]) -> None:
    result = CliRunner().invoke(main, ["schema", "position"])
    schema = json.loads(result.output)
    assert schema["additionalProperties"] is False
    assert {"id", "title", "thesis", "claims"} <= set(schema["required"])


def test_build_one_format_to_another_folder(project_dir: Path, run: Callable[..., Result], tmp_path: Path) -> None:
    out = tmp_path / "handouts"
    result = run(project_dir, "build", "--audience", "public", "--kind", "memo", "--format", "md", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == ["public/memo/tiangong-brief.md"]
    markdown = (out / "public/memo/tiangong-brief.md").read_text("utf-8")
    assert markdown.startswith("# ") and "## Bottom line up front" in markdown and "¶" in markdown
    assert not (project_dir / "build").exists()


def test_rebuild_leaves_unchanged_files_alone(project_dir: Path, run: Callable[..., Result]) -> None:
    assert run(project_dir, "build", "-a", "students", "-k", "memo", "-f", "html", "-f", "md").exit_code == 0
    before = {p: p.stat().st_mtime_ns for p in (project_dir / "build").rglob("*") if p.is_file()}
    result = run(project_dir, "build", "-a", "students", "-k", "memo", "-f", "html", "-f", "md")
    assert "0 file(s) written, 2 unchanged" in result.output
    assert before == {p: p.stat().st_mtime_ns for p in (project_dir / "build").rglob("*") if p.is_file()}


def test_unknown_kind_is_refused_by_click(project_dir: Path, run: Callable[..., Result]) -> None:
    result = run(project_dir, "build", "--kind", "pamphlet")
    assert result.exit_code == 2 and "memo" in result.output


def test_no_project_found(tmp_path: Path, run: Callable[..., Result]) -> None:
    result = run(tmp_path, "check")
    assert result.exit_code == 1
    assert "no memo.yml" in result.output and "hint:" in result.output and "Traceback" not in result.output


def test_a_failed_build_keeps_earlier_outputs(project_dir: Path, run: Callable[..., Result]) -> None:
    assert run(project_dir, "build", "-f", "html").exit_code == 0
    before = snapshot(project_dir / "build")
    (project_dir / "positions" / "broken.yaml").write_text("id: broken\ntitle: [unclosed\n", "utf-8")
    assert run(project_dir, "build", "-f", "html").exit_code == 1
    assert snapshot(project_dir / "build") == before


def test_nothing_to_build_is_an_error_not_silence(project_dir: Path, run: Callable[..., Result]) -> None:
    for path in (project_dir / "documents").iterdir():
        path.unlink()
    result = run(project_dir, "build", "--kind", "memo")  # readers are made for every source, so ask for memos
    assert result.exit_code == 1
    assert "nothing to build" in result.output and "hint:" in result.output
    assert not (project_dir / "build").exists()


def test_an_unwritable_output_folder_is_a_clear_error(project_dir: Path, run: Callable[..., Result], tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the output folder should be", "utf-8")
    result = run(project_dir, "build", "-a", "public", "-f", "md", "--out", str(blocker / "out"))
    assert result.exit_code == 1
    assert "cannot write output" in result.output and "hint:" in result.output and "Traceback" not in result.output


def test_several_sources_need_explicit_source_ids(project_dir: Path, run: Callable[..., Result]) -> None:
    seed = project_dir / "seeds" / "harmony-of-the-heavens.md"
    second = seed.read_text("utf-8").replace("id: harmony-of-the-heavens", "id: second-article", 1)
    (project_dir / "seeds" / "second-article.md").write_text(second, "utf-8")
    result = run(project_dir, "check")
    assert result.exit_code == 1
    assert "this quotation needs `source:`" in result.output and "second-article" in result.output
    # Naming the source on every quotation resolves it.
    for path in [*(project_dir / "positions").glob("*.yaml"), *(project_dir / "context").glob("*.yaml"),
                 *(project_dir / "documents").glob("*.yaml")]:
        data = yaml.safe_load(path.read_text("utf-8"))
        name_sources(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    result = run(project_dir, "check")
    assert result.exit_code == 0, result.output


def name_sources(value: object) -> None:
    """Add ``source:`` to every quotation (and glossary entry) in parsed YAML."""
    if isinstance(value, dict):
        if "paragraph" in value:
            value.setdefault("source", "harmony-of-the-heavens")
        for child in value.values():
            name_sources(child)
    elif isinstance(value, list):
        for child in value:
            name_sources(child)
