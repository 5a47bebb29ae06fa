"""The loaded project: every source, position, context item, document and audience."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .models import Audience, Context, DocumentSpec, Position, ProjectConfig, Source
from .yamlfile import YamlDoc


@dataclass
class Project:
    root: Path
    config: ProjectConfig
    sources: dict[str, Source] = field(default_factory=dict)
    positions: dict[str, Position] = field(default_factory=dict)
    context: Context = field(default_factory=Context)
    context_files: list[Context] = field(default_factory=list)
    documents: dict[str, DocumentSpec] = field(default_factory=dict)
    audiences: dict[str, Audience] = field(default_factory=dict)
    files: dict[Path, YamlDoc] = field(default_factory=dict)

    def path(self, name: str) -> Path:
        """A project folder named in the config, resolved against the root."""
        return self.root / name

    def owned_models(self) -> list[tuple[Path, Any]]:
        """Every validated file model (positions, documents, context files) with its file."""
        items: list[Any] = [*self.positions.values(), *self.documents.values(), *self.context_files]
        return [(m._origin, m) for m in items if m._origin is not None]

    @property
    def max_bytes(self) -> int:
        """The largest input file memo reads, from memo.yml's ``max_file_mb``."""
        return int(self.config.max_file_mb * 1_000_000)

    @property
    def templates_dir(self) -> Path:
        return self.path(self.config.templates_dir)

    @property
    def output_dir(self) -> Path:
        return self.path(self.config.output_dir)
