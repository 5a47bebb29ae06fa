"""Exporters: output formats beyond PDF, HTML and Markdown, behind one interface.

An exporter turns either one rendered document (its HTML and the context it
was rendered from) or the whole verified project into bytes. Document
exporters are written by ``memo build`` for the kinds that ask for them
(``Kind.formats``); project exporters serve ``memo export --format NAME``.
Register one with :func:`register` from a module in this package.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..project import Project


@dataclass(frozen=True)
class Rendered:
    """A document as the render stage left it, for document exporters."""

    kind: str
    name: str
    html: str
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Exporter:
    name: str
    suffix: str
    description: str
    document: Callable[[Rendered], bytes] | None = None
    project: Callable[[Project], bytes] | None = None


EXPORTERS: dict[str, Exporter] = {}


def register(exporter: Exporter) -> Exporter:
    EXPORTERS[exporter.name] = exporter
    return exporter


def project_formats() -> list[str]:
    return sorted(name for name, e in EXPORTERS.items() if e.project is not None)


def document_formats() -> list[str]:
    return sorted(name for name, e in EXPORTERS.items() if e.document is not None)


def _load_builtin() -> None:
    from . import argdown, docx, json  # noqa: F401  (register themselves)


_load_builtin()
