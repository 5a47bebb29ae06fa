"""YAML files read with their line numbers, validated into typed models.

PyYAML's node tree keeps a line and column for every value; pydantic's
errors give a path of keys. Walking one with the other turns a validation
error into ``file:line:col: field: message`` with a hint.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .errors import MemoError, Problem, suggest

M = TypeVar("M", bound=BaseModel)

# Bounds on what one file may make memo do: shared files must not hang or exhaust the machine.
MAX_FILE_BYTES = 2_000_000  # the default; memo.yml's `max_file_mb` changes it
MAX_DEPTH = 50  # nested lists and mappings; real files use fewer than ten
MAX_ALIAS_NODES = 10_000  # values that aliases (*name) may add beyond those written out


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader with a bound on nesting, checked while composing (so no RecursionError)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise yaml.composer.ComposerError(None, None, f"values nested more than {MAX_DEPTH} levels deep", mark)
            return super().compose_node(parent, index)  # type: ignore[no-any-return]
        finally:
            self._depth -= 1


@dataclass
class YamlDoc:
    """Parsed YAML with its node tree, so any value can be traced to a line."""

    path: Path
    data: Any
    node: yaml.Node | None
    line_offset: int = 0

    def position(self, loc: tuple[str | int, ...], at_key: bool = False) -> tuple[int | None, int | None, tuple[str | int, ...]]:
        """Line and column of the deepest node along ``loc`` (or of its key), and the part of loc that was found."""
        node = self.node
        if node is None:
            return None, None, ()
        found: list[str | int] = []
        mark = node.start_mark
        for key in loc:
            child = _child(node, key)
            if child is None:
                break
            mark = _key_mark(node, key) if at_key else child.start_mark
            node = child
            found.append(key)
        mark = mark if at_key else node.start_mark
        return mark.line + 1 + self.line_offset, mark.column + 1, tuple(found)


def _key_mark(node: yaml.Node, key: str | int) -> yaml.Mark:
    """Where a mapping key (or a sequence item) starts."""
    if isinstance(node, yaml.MappingNode):
        return next(k.start_mark for k, _ in node.value if k.value == key)
    return node.value[key].start_mark


def _child(node: yaml.Node, key: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == key:
                return value_node
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
        return node.value[key]
    return None


def read_text(path: Path, limit: int | None = MAX_FILE_BYTES) -> str:
    """File contents as UTF-8 text, or a located problem when they are not (or are larger than ``limit`` bytes)."""
    try:
        size = path.stat().st_size
        if limit is not None and size > limit:
            raise MemoError([Problem(path, f"the file is {_megabytes(size)}, over the limit of {_megabytes(limit)}",
                                     hint="split it into several files, or raise `max_file_mb` in memo.yml")])
        raw = path.read_bytes()
    except OSError as exc:
        raise MemoError([Problem(path, f"cannot read the file: {exc.strerror}")]) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise MemoError(
            [
                Problem(
                    path,
                    f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x} cannot be decoded)",
                    line=line,
                    column=column,
                    hint="save the file as UTF-8 (most editors offer 'Save with encoding')",
                )
            ]
        ) from None


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size:,} bytes"


def parse_yaml(path: Path, text: str, line_offset: int = 0) -> YamlDoc:
    """Parse one YAML document, rejecting empty files, duplicate keys, deep nesting and alias bombs."""
    if not text.strip():
        raise MemoError([Problem(path, "the file is empty", line=1, hint="write the fields this file needs; see README.md for an example")])
    loader = _BoundedLoader(text)
    try:
        node = loader.get_single_node()
        _bound_aliases(path, node, line_offset)
        _reject_duplicates(path, node, line_offset)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = f"invalid YAML: {exc.problem or exc.context}"
        hint = "check the indentation and quoting on this line and the one before it"
        if exc.problem and "mapping values are not allowed" in exc.problem:
            hint = "a value containing ': ' must be put in quotes"
        elif exc.problem and "nested more than" in exc.problem:
            hint = "memo's files need only a few levels; check for a run of unclosed [ or {"
        raise MemoError(
            [
                Problem(
                    path,
                    message,
                    line=(mark.line + 1 + line_offset) if mark else None,
                    column=(mark.column + 1) if mark else None,
                    hint=hint,
                )
            ]
        ) from None
    finally:
        loader.dispose()
    if data is None:
        raise MemoError([Problem(path, "the file holds no data", line=1 + line_offset,
                                 hint="write the fields this file needs; see README.md")])
    return YamlDoc(path, data, node, line_offset)


def _bound_aliases(path: Path, node: yaml.Node | None, line_offset: int) -> None:
    """Refuse a document whose aliases would expand it far beyond what is written (a "billion laughs").

    Each node's expanded size is computed once (a visited table), so the check
    itself takes time in proportion to the file, however the aliases multiply.
    """
    sizes: dict[int, int] = {}
    distinct = 0

    def refuse(current: yaml.Node, message: str, hint: str) -> MemoError:
        mark = current.start_mark
        return MemoError([Problem(path, message, line=mark.line + 1 + line_offset, column=mark.column + 1, hint=hint)])

    def size(current: yaml.Node, active: set[int]) -> int:
        nonlocal distinct
        key = id(current)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise refuse(current, "an alias (*name) refers to the value that holds it", "copy the values instead of making a loop")
        if len(active) > MAX_DEPTH:
            raise refuse(current, f"aliases (*name) nest values more than {MAX_DEPTH} levels deep", "write the values out")
        distinct += 1
        children: list[yaml.Node] = []
        if isinstance(current, yaml.MappingNode):
            children = [n for pair in current.value for n in pair]
        elif isinstance(current, yaml.SequenceNode):
            children = list(current.value)
        total = 1 + sum(size(child, active | {key}) for child in children)
        if total - distinct > MAX_ALIAS_NODES:
            raise refuse(current, f"aliases (*name) here expand to more than {MAX_ALIAS_NODES:,} values",
                         "write the values out, or use fewer nested aliases")
        sizes[key] = total
        return total

    if node is not None:
        size(node, set())


def _reject_duplicates(path: Path, node: yaml.Node | None, line_offset: int) -> None:
    problems: list[Problem] = []
    stack = [node] if node is not None else []
    visited: set[int] = set()
    while stack:
        current = stack.pop()
        if id(current) in visited:
            continue  # an alias: its keys were checked where it was written
        visited.add(id(current))
        if isinstance(current, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key_node, value_node in current.value:
                key = key_node.value
                line = key_node.start_mark.line + 1 + line_offset
                if isinstance(key, str) and key in seen:
                    problems.append(
                        Problem(path, f"key '{key}' appears twice (first on line {seen[key]})", line=line,
                                column=key_node.start_mark.column + 1, hint="remove or rename one of them")
                    )
                seen.setdefault(key, line)
                stack.append(value_node)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    if problems:
        raise MemoError(problems)


def load_yaml(path: Path, limit: int | None = MAX_FILE_BYTES) -> YamlDoc:
    return parse_yaml(path, read_text(path, limit), line_offset=0)


def validate(doc: YamlDoc, model: type[M]) -> M:
    """Validate parsed YAML into ``model``; every error is located and hinted."""
    if not isinstance(doc.data, dict):
        line, column, _ = doc.position(())
        raise MemoError([Problem(doc.path, f"expected a mapping of fields, found {_kind(doc.data)}", line=line,
                                 column=column, hint=f"start the file with the fields of a {model.__name__.lower()}, e.g. `id: …`")])
    try:
        value = model.model_validate(doc.data)
    except ValidationError as exc:
        raise MemoError(_problems(doc, model, exc)) from None
    value._origin = doc.path  # type: ignore[attr-defined]
    return value


def _kind(value: Any) -> str:
    return {list: "a list", str: "a single value", int: "a number", float: "a number"}.get(type(value), type(value).__name__)


def _problems(doc: YamlDoc, model: type[BaseModel], exc: ValidationError) -> list[Problem]:
    problems = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        line, column, found = doc.position(loc, at_key=error["type"] == "extra_forbidden")
        field_loc = found + (loc[len(found):len(found) + 1] if error["type"] in {"missing", "extra_forbidden"} else ())
        message, hint = _explain(error, _model_at(model, loc[:-1]))
        problems.append(Problem(doc.path, message, line=line, column=column, field=dotted(field_loc) or None, hint=hint))
    return problems


def dotted(loc: tuple[str | int, ...]) -> str:
    """A key path as people write it: ``claims[0].evidence[1].quote``."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _explain(error: dict[str, Any], where: type[BaseModel] | None) -> tuple[str, str | None]:
    kind, loc = error["type"], error["loc"]
    name = str(loc[-1]) if loc else ""
    fields = _field_names(where) if where else []
    if kind == "extra_forbidden":
        near = suggest(name, fields)
        valid = "valid keys here: " + ", ".join(fields)
        return f"unknown key '{name}'", f"{near} ({valid})" if near else valid
    if kind == "missing":
        description = where.model_fields[name].description if where and name in where.model_fields else None
        return f"missing required field '{name}'", f"add `{name}: …`" + (f" ({description})" if description else "")
    message = error["msg"].removeprefix("Value error, ")
    hints = {
        "string_type": "put the value in quotes if it is text",
        "int_parsing": "write a whole number",
        "int_type": "write a whole number",
        "list_type": "write a list: one `- item` per line",
        "dict_type": "write a mapping of `key: value` lines",
        "model_type": "write a mapping of `key: value` lines",
        "literal_error": None,
        "date_from_datetime_parsing": "write a date as YYYY-MM-DD",
        "date_parsing": "write a date as YYYY-MM-DD",
        "string_pattern_mismatch": "ids use lower-case letters, digits and hyphens, e.g. `first-argument`",
        "too_short": "add at least one item",
        "bool_parsing": "write true or false",
        "bool_type": "write true or false",
        "float_parsing": "write a number",
        "enum": None,
    }
    hint = hints.get(kind)
    if hint is None and where is not None and name in where.model_fields:
        hint = where.model_fields[name].description
    return message, hint or "see README.md for this file's format, or `memo schema` for every field"


def _field_names(model: type[BaseModel]) -> list[str]:
    return [field.alias or name for name, field in model.model_fields.items()]


def _model_at(model: type[BaseModel] | None, loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The model class that holds the value at ``loc``, stepping through lists and dicts."""
    current: Any = model
    for key in loc:
        current = _unwrap(current)
        if typing.get_origin(current) in (list, dict):
            current = typing.get_args(current)[-1]
        elif isinstance(current, type) and issubclass(current, BaseModel) and isinstance(key, str):
            field = next((f for n, f in current.model_fields.items() if key in (n, f.alias)), None)
            if field is None:
                return None
            current = field.annotation
        else:
            return None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    """Strip ``Annotated`` and ``Optional``: ``Annotated[Evidence | None, …]`` becomes ``Evidence``."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = next((a for a in options if isinstance(a, type) and issubclass(a, BaseModel)), options[0])
        else:
            return annotation
