"""Load stage: a project folder becomes a typed :class:`Project`.

Every file is read and validated even after an earlier one fails, so one
run reports every problem. Nothing here checks quotes against sources:
that is :mod:`memo.verify`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from .errors import MemoError, Problem, relative, suggest
from .kinds import KINDS
from .models import Audience, Context, Position, ProjectConfig, walk
from .project import Project
from .sources import read_source
from .yamlfile import YamlDoc, dotted, load_yaml, validate

CONFIG_NAMES = ("memo.yml", "memo.yaml")
BUILTIN_AUDIENCES = Path(__file__).parent / "audiences"
YAML_SUFFIXES = (".yaml", ".yml")
SOURCE_SUFFIXES = (".md", ".txt")

T = TypeVar("T")


def find_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` holding ``memo.yml``."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if any((folder / name).is_file() for name in CONFIG_NAMES):
            return folder
    raise MemoError([Problem(None, f"no memo.yml in {start} or any folder above it",
                             hint="run memo inside a project folder, pass --project DIR, or create memo.yml with `title: …`")])


def load_project(root: Path, allow_outside: bool = False) -> Project:
    """Read and validate every file of the project; raise MemoError listing all problems.

    Folders named in memo.yml must lie inside the project unless ``allow_outside``
    (``--allow-outside``): a shared project must not read or write elsewhere unasked.
    """
    root = root.resolve()
    config_path = next((root / n for n in CONFIG_NAMES if (root / n).is_file()), root / CONFIG_NAMES[0])
    config_doc = load_yaml(config_path)
    project = Project(root=root, config=validate(config_doc, ProjectConfig))
    project.files[config_path] = config_doc
    problems: list[Problem] = [] if allow_outside else _outside_folders(project, config_doc)
    if problems:
        raise MemoError(problems)

    def attempt(step: Callable[[], T]) -> T | None:
        try:
            return step()
        except MemoError as exc:
            problems.extend(exc.problems)
            return None

    for path in _files(project.path(project.config.sources_dir), SOURCE_SUFFIXES):
        source = attempt(lambda p=path: read_source(p, project.max_bytes))
        if source is not None:
            _add(project, project.sources, source.id, source, path, problems, "source")
    if not project.sources and not problems:
        problems.append(Problem(project.path(project.config.sources_dir), "the project has no source article",
                                hint="put the article in seeds/<id>.md with its metadata; see README.md"))

    for path in _files(project.path(project.config.positions_dir), YAML_SUFFIXES):
        position = attempt(lambda p=path: _model(project, p, Position))
        if position is not None:
            _add(project, project.positions, position.id, position, path, problems, "position")

    contexts = [attempt(lambda p=path: _model(project, p, Context))
                for path in _files(project.path(project.config.context_dir), YAML_SUFFIXES)]
    project.context_files = [c for c in contexts if c is not None]
    project.context = _merge_context(project, project.context_files, problems)

    for path in _files(project.path(project.config.documents_dir), YAML_SUFFIXES):
        spec = attempt(lambda p=path: _document(project, p))
        if spec is not None:
            _add(project, project.documents, spec.name, spec, path, problems, "document")

    attempt(lambda: _audiences(project))
    _fill_default_source(project, problems)
    if problems:
        raise MemoError(problems)
    return project


def _outside_folders(project: Project, doc: YamlDoc) -> list[Problem]:
    """A problem for each folder setting in memo.yml that leads outside the project."""
    problems = []
    for name in ProjectConfig.model_fields:
        value = getattr(project.config, name)
        if not name.endswith("_dir") or not isinstance(value, str):
            continue
        try:
            project.path(value).resolve().relative_to(project.root)
        except ValueError:
            line, column, _ = doc.position((name,))
            problems.append(Problem(doc.path, f"'{value}' is outside the project folder", line=line, column=column, field=name,
                                    hint="use a folder inside the project, or run memo with --allow-outside "
                                         "if you mean to read or write there"))
    return problems


def audience_names(root: Path) -> set[str]:
    """The audiences a project offers, read cheaply (names only), to check ``--audience`` before loading."""
    names = {p.stem for p in _files(BUILTIN_AUDIENCES, YAML_SUFFIXES)}
    try:
        config = load_yaml(next(root / n for n in CONFIG_NAMES if (root / n).is_file())).data
        folder = root / str(config.get("audiences_dir", "audiences")) if isinstance(config, dict) else root / "audiences"
    except (MemoError, StopIteration):
        return names
    for path in _files(folder, YAML_SUFFIXES):
        try:
            data = load_yaml(path).data
        except MemoError:
            continue
        name = data.get("name", path.stem) if isinstance(data, dict) else path.stem
        names.add(str(name))
    return names


def _files(folder: Path, suffixes: Iterable[str]) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in suffixes and not p.name.startswith("."))


def _read(project: Project, path: Path) -> YamlDoc:
    """Parse a project file and keep its node tree, so later stages can locate problems in it."""
    doc = project.files[path] = load_yaml(path, project.max_bytes)
    return doc


def _model(project: Project, path: Path, model: Any) -> Any:
    return validate(_read(project, path), model)


def _add(project: Project, table: dict[str, Any], key: str, value: Any, path: Path, problems: list[Problem], what: str) -> None:
    """Register ``value`` under ``key`` unless another file already holds that id."""
    if key in table:
        first = relative(getattr(table[key], "_origin", None) or table[key].path, project.root)
        field = "name" if what == "document" else "id"
        line, column = _locate(project, path, (field,))
        problems.append(Problem(path, f"duplicate {what} {field} '{key}': already defined in {first}",
                                line=line, column=column, field=field, hint=f"give each {what} its own {field}"))
        return
    table[key] = value


def _locate(project: Project, path: Path, loc: tuple[str | int, ...]) -> tuple[int | None, int | None]:
    doc = project.files.get(path)
    line, column, _ = doc.position(loc) if doc else (None, None, ())
    return line, column


def _merge_context(project: Project, parts: list[Context], problems: list[Problem]) -> Context:
    merged = Context()
    for name in Context.model_fields:
        items = [item for part in parts for item in getattr(part, name)]
        setattr(merged, name, items)
    for name in ("actors", "background"):
        seen: dict[str, Any] = {}
        for part in parts:
            for index, item in enumerate(getattr(part, name)):
                if item.id in seen:
                    line, column = _locate(project, part._origin, (name, index, "id"))
                    first = relative(seen[item.id], project.root)
                    problems.append(Problem(part._origin, f"duplicate {name} id '{item.id}' (first in {first})",
                                            line=line, column=column, field=f"{name}[{index}].id", hint="give each entry its own id"))
                seen.setdefault(item.id, part._origin)
    return merged


def _document(project: Project, path: Path) -> Any:
    doc = _read(project, path)
    if isinstance(doc.data, dict):
        kind = doc.data.get("kind")
        if not isinstance(kind, (str, type(None))):
            line, column, _ = doc.position(("kind",))
            raise MemoError([Problem(path, f"kind must be one name, found {_kind_of(kind)}", line=line, column=column, field="kind",
                                     hint="kinds: " + ", ".join(KINDS))])
        if kind not in KINDS:
            line, column, _ = doc.position(("kind",))
            near = suggest(str(kind), KINDS)
            valid = "kinds: " + ", ".join(KINDS)
            raise MemoError([Problem(path, f"unknown document kind {kind!r}" if kind else "missing required field 'kind'",
                                     line=line, column=column, field="kind",
                                     hint=f"{near} ({valid})" if near else valid)])
        doc.data.setdefault("name", path.stem)
        return validate(doc, KINDS[kind].spec)
    return validate(doc, KINDS["memo"].spec)


def _kind_of(value: Any) -> str:
    number = "a number" if isinstance(value, (int, float)) else "a value"
    return {list: "a list", dict: "a mapping", bool: "true/false"}.get(type(value), number)


Layer = dict[str, tuple[YamlDoc, dict[str, Any]]]


def _audiences(project: Project) -> None:
    """Built-in profiles, shadowed by the project's; ``extends`` merges a base under a profile."""
    problems: list[Problem] = []
    layers: list[Layer] = []
    for folder in (project.path(project.config.audiences_dir), BUILTIN_AUDIENCES):
        layer: Layer = {}
        for path in _files(folder, YAML_SUFFIXES):
            try:
                doc = _read(project, path)
                if not isinstance(doc.data, dict):
                    validate(doc, Audience)  # raises the located "expected a mapping" problem
            except MemoError as exc:
                problems.extend(exc.problems)
                continue
            doc.data.setdefault("name", path.stem)
            name = str(doc.data["name"])
            if name in layer:
                line, column, _ = doc.position(("name",))
                first = relative(layer[name][0].path, project.root)
                problems.append(Problem(path, f"duplicate audience name '{name}': already defined in {first}", line=line, column=column,
                                        field="name", hint="give each audience file its own name (the file name is the default)"))
                continue
            layer[name] = (doc, doc.data)
        layers.append(layer)
    for name in sorted({n for layer in layers for n in layer}):
        level = next(i for i, layer in enumerate(layers) if name in layer)
        doc = layers[level][name][0]
        try:
            merged = _resolve_extends(name, level, layers, [])
            audience = validate(YamlDoc(doc.path, merged, doc.node, doc.line_offset), Audience)
            if audience.typography.page_size is None:  # the project's paper, unless the profile names its own
                typography = audience.typography.model_copy(update={"page_size": project.config.page_size})
                audience = audience.model_copy(update={"typography": typography})
            project.audiences[name] = audience
        except MemoError as exc:
            problems.extend(exc.problems)
    if problems:
        raise MemoError(problems)


def _resolve_extends(name: str, level: int, layers: list[Layer], chain: list[tuple[str, int]]) -> dict[str, Any]:
    """A profile merged over its base; a project profile may extend the built-in one of the same name."""
    doc, data = layers[level][name]
    base = data.get("extends")
    if not base:
        return dict(data)
    if not isinstance(base, str):
        line, column, _ = doc.position(("extends",))
        raise MemoError([Problem(doc.path, f"extends must name one audience, found {_kind_of(base)}", line=line, column=column,
                                 field="extends", hint="write `extends: students` (one name)")])
    start = level + 1 if base == name else 0
    found = next((i for i in range(start, len(layers)) if base in layers[i]), None)
    if found is None:
        line, column, _ = doc.position(("extends",))
        known = sorted({n for layer in layers for n in layer})
        raise MemoError([Problem(doc.path, f"audience '{name}' extends unknown audience '{base}'", line=line, column=column,
                                 field="extends", hint=suggest(base, known) or f"audiences: {', '.join(known)}")])
    if (base, found) in chain:
        loop = " → ".join(n for n, _ in [*chain, (name, level), (base, found)])
        raise MemoError([Problem(doc.path, f"audience '{name}' extends itself through {loop}", field="extends",
                                 hint="remove one `extends` from the loop")])
    return _deep_merge(_resolve_extends(base, found, layers, [*chain, (name, level)]), data)


def _deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        merged[key] = _deep_merge(merged[key], value) if isinstance(value, dict) and isinstance(merged.get(key), dict) else value
    return merged


def _fill_default_source(project: Project, problems: list[Problem]) -> None:
    """Evidence may leave out ``source`` when the project has exactly one."""
    if not project.sources:
        return  # the missing or broken source is reported already
    only = next(iter(project.sources)) if len(project.sources) == 1 else None
    for path, model in project.owned_models():
        for loc, item in walk(model):
            if "source" in type(item).model_fields and getattr(item, "source", "") is None and hasattr(item, "paragraph"):
                if item.paragraph is None:
                    continue
                if only:
                    item.source = only
                else:
                    line, column = _locate(project, path, loc)
                    problems.append(Problem(path, "this quotation needs `source:`", line=line, column=column,
                                            field=dotted(loc) or None,
                                            hint=f"the project has {len(project.sources)} sources: {', '.join(project.sources)}"))
