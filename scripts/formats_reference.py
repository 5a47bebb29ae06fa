"""Write docs/formats.md from the models themselves: every file type, its fields, and a real example.

    .venv/bin/python scripts/formats_reference.py          # rewrite docs/formats.md
    .venv/bin/python scripts/formats_reference.py --check  # exit 1 when docs/formats.md is stale (run by the tests)
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # document the memo beside this script, not an installed one
from memo.schemas import SCHEMAS, schema

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "formats.md"
WHERE = {
    "project": "`memo.yml` at the project's root",
    "source": "the front matter of each `seeds/<id>.md` (then the text: key points as `- ` lines, paragraphs, `#` headings)",
    "position": "`positions/<id>.yaml`, one argued position each",
    "context": "`context/*.yaml`: any file may hold any of these lists; they are merged",
    "audience": "`audiences/<name>.yaml` (built-ins: students, policymakers, public)",
}
EXAMPLES = {"project": "memo.yml", "position": "positions/metternich-cooperation.yaml", "audience": "memo/audiences/students.yaml"}


def _type(prop: dict[str, Any], defs: dict[str, Any]) -> str:
    if "$ref" in prop:
        return prop["$ref"].split("/")[-1]
    if "anyOf" in prop:
        return " or ".join(dict.fromkeys(_type(p, defs) for p in prop["anyOf"] if p.get("type") != "null"))
    if "enum" in prop:
        return " \\| ".join(f"`{v}`" for v in prop["enum"])
    if "const" in prop:
        return f"`{prop['const']}`"
    kind = prop.get("type", "any")
    if kind == "array":
        return f"list of {_type(prop.get('items', {}), defs)}"
    if kind == "object" and "additionalProperties" in prop and isinstance(prop["additionalProperties"], dict):
        return f"mapping to {_type(prop['additionalProperties'], defs)}"
    return {"string": "text", "integer": "whole number", "number": "number", "boolean": "true/false", "object": "mapping"}.get(kind, kind)


def _table(model: dict[str, Any], defs: dict[str, Any]) -> list[str]:
    required = set(model.get("required", []))
    rows = ["| field | type | | what it is |", "| --- | --- | --- | --- |"]
    for name, prop in model.get("properties", {}).items():
        shown = "default" in prop and prop["default"] not in ([], {}, None)
        need = "required" if name in required else (f"default `{prop['default']}`" if shown else "optional")
        text = " ".join((prop.get("description") or "").split()).replace("|", "\\|")
        rows.append(f"| `{name}` | {_type(prop, defs)} | {need} | {text} |")
    return rows


def _example(what: str) -> list[str]:
    name = EXAMPLES.get(what)
    if what in SCHEMAS and name is None:
        name = next((f"documents/{p.name}" for p in sorted((ROOT / "documents").glob("*.yaml"))
                     if f"kind: {what}" in p.read_text("utf-8")), None)
    if name is None or not (ROOT / name).is_file():
        return []
    lines = (ROOT / name).read_text("utf-8").splitlines()
    shown = lines[:40] + (["# …"] if len(lines) > 40 else [])
    return ["", f"Example (the shipped `{name}`):", "", "```yaml", *shown, "```"]


def reference() -> str:
    parts = ["# File formats", "",
             "Generated from memo's models by `scripts/formats_reference.py`; the test suite checks it is current. "
             "`memo schema NAME` prints the same as JSON Schema for editors, and `memo schema --write FOLDER` writes them all; "
             "each YAML file's first line, `# yaml-language-server: $schema=…`, points editors at its own.", ""]
    for what in SCHEMAS:
        data = schema(what)
        defs = data.get("$defs", {})
        parts += [f"## {what}", "", WHERE.get(what, f"`documents/<name>.yaml` with `kind: {what}`") + ".", ""]
        if data.get("description"):
            parts += [" ".join(data["description"].split()), ""]
        parts += _table(data, defs)
        nested = [name for name in defs if defs[name].get("properties")]
        for name in nested:
            parts += ["", f"### {name}", ""]
            if defs[name].get("description"):
                parts += [" ".join(defs[name]["description"].split()), ""]
            parts += _table(defs[name], defs)
        parts += [*_example(what), ""]
        if what == "audience":
            parts += _builtin_audiences()
    return "\n".join(parts)


def _builtin_audiences() -> list[str]:
    """What each built-in audience applies, as `memo list --audiences -v` prints it (the shipped project adds none)."""
    from memo.cli import audience_details
    from memo.load import BUILTIN_AUDIENCES, load_project

    audiences = load_project(ROOT).audiences
    assert set(audiences) == {p.stem for p in BUILTIN_AUDIENCES.glob("*.yaml")}, "the shipped project must not shadow the built-ins"
    parts = ["### The built-in audiences", "",
             "What each built-in profile applies, exactly as `memo list --audiences -v` prints it. A project's "
             "`audiences/<name>.yaml` of the same name replaces one; `extends: students` builds on it.", ""]
    for audience in audiences.values():
        parts += [f"#### {audience.name}", "", " ".join(str(audience.description or audience.label).split()), "", "```text",
                  *audience_details(audience), "```", ""]
    return parts


if __name__ == "__main__":
    text = reference()
    if "--check" in sys.argv:
        if not DOC.exists() or DOC.read_text("utf-8") != text:
            print(f"{DOC} is out of date: run .venv/bin/python scripts/formats_reference.py", file=sys.stderr)
            sys.exit(1)
    else:
        DOC.write_text(text, "utf-8")
        print(f"wrote {DOC}")
