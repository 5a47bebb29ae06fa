"""The registry of document kinds.

A kind is one spec model (what its YAML file holds), one template, the
sections an audience may order, and one selector that turns project +
spec + audience into the template's context. Adding a kind means adding a
module here and a template; nothing in the shared pipeline changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..models import DocumentSpec

if TYPE_CHECKING:
    from ..models import Audience
    from ..project import Project

Selector = Callable[["Project", Any, "Audience"], dict[str, Any]]


@dataclass(frozen=True)
class Kind:
    name: str
    spec: type[DocumentSpec]
    template: str
    sections: tuple[str, ...]
    select: Selector
    description: str


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Make a kind available to loading, selection and rendering."""
    KINDS[kind.name] = kind
    return kind


def _load_builtin() -> None:
    from . import memo  # noqa: F401  (registers itself)


_load_builtin()
