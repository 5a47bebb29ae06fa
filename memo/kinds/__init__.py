"""The registry of document kinds.

A kind is one spec model (what its YAML file holds), one template folder,
the sections an audience may order, and one selector that turns project +
spec + audience into the template's context. A kind may write several
documents from one spec (``documents``: one pack per delegation, say), make
specs of its own for which no file exists (``implicit``: one reading copy per
source), and ask for extra output formats (``formats``, exporter names such
as ``docx``). Adding a kind means adding a module here and a template folder;
nothing in the shared pipeline changes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..models import DocumentSpec

if TYPE_CHECKING:
    from ..models import Audience
    from ..project import Project

Selector = Callable[["Project", Any, "Audience"], dict[str, Any]]
# A checker reports problems in one spec: report(key_path, message, hint=None).
Checker = Callable[["Project", Any, Callable[..., None]], None]


@dataclass(frozen=True)
class KindOption:
    """A build option a kind adds to ``memo build`` (e.g. ``--motion``); its value reaches ``Kind.configure``."""

    name: str
    flag: str
    help: str
    choices: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Document:
    """One output of a kind: its name under ``<audience>/<kind>/``, its template and its context."""

    name: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    max_pages: int | None = None  # a limit of its own (a conference's page limit), reported when exceeded
    limit_note: str = ""  # what that limit is, for the report
    graded: bool = True  # False where the format fixes the prose (a UN resolution is one sentence): no grade target


@dataclass(frozen=True)
class Kind:
    name: str
    spec: type[DocumentSpec]
    template: str
    sections: tuple[str, ...]
    select: Selector
    description: str
    documents: Callable[[Project, Any, Audience], list[Document]] | None = None
    implicit: Callable[[Project], list[DocumentSpec]] | None = None
    formats: tuple[str, ...] = ()
    verify: Checker | None = None  # errors `memo check` reports, beyond quotes and ids
    review: Checker | None = None  # warnings (fairness, balance): reported, never fatal
    options: tuple[KindOption, ...] = ()
    # Apply build options to a spec: the spec to build (changed or not), or None to skip it.
    configure: Callable[[Project, Any, Mapping[str, str | None]], Any] | None = None

    def outputs(self, project: Project, spec: Any, audience: Audience) -> list[Document]:
        """Every document this kind writes for one spec and audience (one, unless the kind says otherwise)."""
        if self.documents is not None:
            return self.documents(project, spec, audience)
        return [Document(spec.name, self.template, self.select(project, spec, audience))]


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Make a kind available to loading, selection and rendering."""
    KINDS[kind.name] = kind
    return kind


def build_options() -> list[KindOption]:
    """Every option the kinds add to ``memo build``."""
    return [option for kind in KINDS.values() for option in kind.options]


def specs(project: Project) -> list[DocumentSpec]:
    """Every document spec: the project's files, then those kinds make for themselves."""
    found: list[DocumentSpec] = list(project.documents.values())
    for kind in KINDS.values():
        if kind.implicit is not None:
            found.extend(kind.implicit(project))
    return found


def _load_builtin() -> None:
    from . import (
        debate,  # noqa: F401
        guide,  # noqa: F401
        handout,  # noqa: F401
        memo,  # noqa: F401  (registers itself)
        mun,  # noqa: F401
        reader,  # noqa: F401
    )


_load_builtin()
