"""Typed models for every file a memo project holds.

The models are the schema: pydantic validates them, rejects unknown keys
(``extra="forbid"``) and exports JSON Schema (``memo schema``). Text that is
*our* framing (thesis, claim, warrant, option summaries…) lives in plain
string fields; words taken from a source live only in :class:`Evidence`, so
templates can always tell the two apart.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

Id = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9][a-z0-9-]*$",
        description="Lower-case letters, digits and hyphens, e.g. `metternich-cooperation`.",
    ),
]
ParagraphRef = Annotated[
    int | str,
    Field(
        description="A body paragraph number (1 = first body paragraph) or a key point `k1`, `k2`…",
    ),
]
_KEY_POINT = re.compile(r"^k[1-9][0-9]*$")


class Model(BaseModel):
    """Base for every file model: strict keys, and the file it came from."""

    model_config = ConfigDict(extra="forbid", frozen=False, str_strip_whitespace=True)
    _origin: Path | None = PrivateAttr(default=None)


def _check_paragraph(value: int | str | None) -> int | str | None:
    if value is None or isinstance(value, int):
        if isinstance(value, int) and value < 1:
            raise ValueError("paragraph numbers start at 1")
        return value
    if _KEY_POINT.match(value):
        return value
    if value.isdigit():
        return int(value)
    raise ValueError("expected a paragraph number such as 12, or a key point such as k2")


# --------------------------------------------------------------------------- sources


class SourceMeta(Model):
    """Front matter of a source file in ``seeds/``."""

    id: Id
    title: str
    author: str
    author_role: str | None = Field(None, description="The author's position, as the source gives it.")
    date: dt.date
    publisher: str
    url: str | None = Field(None, description="Only a URL the source itself gives; never invent one.")
    accessed: dt.date | None = None
    language: str = "en"
    disclaimer: str | None = None


class Source(BaseModel):
    """A parsed source: metadata, key points and numbered body paragraphs."""

    meta: SourceMeta
    key_points: list[str]
    paragraphs: list[str]
    path: Path

    @property
    def id(self) -> str:
        return self.meta.id

    def passage(self, ref: int | str) -> str | None:
        """The text at a paragraph reference, or None when there is none."""
        if isinstance(ref, int):
            return self.paragraphs[ref - 1] if 0 < ref <= len(self.paragraphs) else None
        index = int(ref[1:])
        return self.key_points[index - 1] if 0 < index <= len(self.key_points) else None

    def refs(self) -> list[int | str]:
        """Every addressable passage, key points first."""
        return [f"k{i}" for i in range(1, len(self.key_points) + 1)] + list(
            range(1, len(self.paragraphs) + 1)
        )


# --------------------------------------------------------------------------- positions


class Evidence(Model):
    """A verbatim quotation and where it stands in its source."""

    quote: str = Field(description="Verbatim words from the source; `…` marks an omission.")
    source: Id | None = Field(
        None, json_schema_extra={"ref": "sources"}, description="Source id; may be left out when the project has one source."
    )
    paragraph: ParagraphRef
    note: str | None = Field(None, description="Our comment on the quote (marked as ours).")

    _check = field_validator("paragraph")(classmethod(lambda cls, v: _check_paragraph(v)))


class Claim(Model):
    """One step of a position's argument: claim, warrant, impact (ours), with evidence."""

    id: Id
    claim: str
    warrant: str
    impact: str
    evidence: list[Evidence] = Field(min_length=1)


class Counter(Model):
    """An objection the source concedes or implies, and the answer to it."""

    id: Id
    counter: str = Field(description="The objection, in our words.")
    conceded: bool = Field(False, description="True when the source itself concedes the point.")
    evidence: list[Evidence] = Field(default_factory=list)
    response: str = Field(description="The answer, in our words.")
    response_evidence: list[Evidence] = Field(default_factory=list)


class Position(Model):
    """One argued position taken from a source: written once, used by every document."""

    id: Id
    title: str
    thesis: str = Field(description="One sentence, our framing.")
    plain: str | None = Field(None, description="The thesis in plain words, for plain-register audiences.")
    actors: list[Id] = Field(json_schema_extra={"ref": "actors"}, default_factory=list)
    tags: list[Id] = Field(default_factory=list)
    priority: int = Field(3, ge=1, le=5, description="1 = most important; audiences that cap length keep the first.")
    claims: list[Claim] = Field(min_length=1)
    counters: list[Counter] = Field(default_factory=list)
    supports: list[Id] = Field(json_schema_extra={"ref": "positions"}, default_factory=list, description="Positions this one supports.")
    attacks: list[Id] = Field(json_schema_extra={"ref": "positions"}, default_factory=list, description="Positions this one attacks.")

    @field_validator("thesis")
    @classmethod
    def _one_sentence(cls, value: str) -> str:
        if len(re.findall(r"[.!?](?:\s|$)", value)) > 1:
            raise ValueError("the thesis should be one sentence; move the rest into a claim")
        return value

    def all_evidence(self) -> list[Evidence]:
        """Every evidence item of the position, in reading order."""
        items: list[Evidence] = []
        for claim in self.claims:
            items.extend(claim.evidence)
        for counter in self.counters:
            items.extend(counter.evidence)
            items.extend(counter.response_evidence)
        return items

    @property
    def first_paragraph(self) -> int:
        """The earliest body paragraph quoted, for ordering in the source's own sequence."""
        numbers = [e.paragraph for e in self.all_evidence() if isinstance(e.paragraph, int)]
        return min(numbers, default=0)


# --------------------------------------------------------------------------- context


class Actor(Model):
    id: Id
    name: str
    role: str = Field(description="Who they are and why they matter here (ours).")


class GlossaryEntry(Model):
    term: str
    meaning: str
    source: Id | None = Field(None, json_schema_extra={"ref": "sources"})
    paragraph: ParagraphRef | None = Field(None, description="Where the term appears; checked.")

    _check = field_validator("paragraph")(classmethod(lambda cls, v: _check_paragraph(v)))


class TimelineEvent(Model):
    date: str = Field(description="As precise as the source is: `1992`, `March 2021`, `2021-04-29`.")
    event: str
    evidence: Evidence


class BackgroundFact(Model):
    """A fact from outside the sources: it must say where it is from and as of when."""

    id: Id
    fact: str
    source: str = Field(description="A citation: publisher, title, document number.")
    as_of: dt.date


class Question(Model):
    text: str
    stage: Literal["before", "after", "discussion"] = "discussion"
    positions: list[Id] = Field(json_schema_extra={"ref": "positions"}, default_factory=list)


class Context(Model):
    """Supporting material in ``context/*.yaml``; every list may be split across files."""

    actors: list[Actor] = Field(default_factory=list)
    glossary: list[GlossaryEntry] = Field(default_factory=list)
    timeline: list[TimelineEvent] = Field(default_factory=list)
    background: list[BackgroundFact] = Field(default_factory=list)
    questions: list[Question] = Field(default_factory=list)


# --------------------------------------------------------------------------- audiences


class Typography(Model):
    font: Literal["serif", "sans"] = "serif"
    size_pt: float = Field(10.5, ge=7, le=18)
    line_height: float = Field(1.35, ge=1.0, le=2.0)
    background: str = Field("#ffffff", pattern=r"^#[0-9a-fA-F]{6}$")
    align: Literal["left", "justify"] = "left"
    emphasis: Literal["italic", "bold"] = "italic"
    page_size: Literal["A4", "letter"] | None = Field(None, description="Paper size; the project's `page_size` when left out.")
    margin_mm: float = Field(18, ge=8, le=40)


class Length(Model):
    max_pages: int | None = Field(None, ge=1)
    max_positions: int | None = Field(None, ge=1)
    claims_per_position: int | None = Field(None, ge=1)
    quotes_per_claim: int | None = Field(None, ge=1)
    counters: bool = True
    points: int | None = Field(None, ge=1, description="At most this many pros, cons, risks… per list.")
    point_quotes: bool = Field(True, description="Show the quotations attached to our points (options, risks…).")


class Audience(Model):
    """A reader profile: what is selected, how much, in what order and register, how it looks."""

    name: Id
    extends: Id | None = None
    label: str
    description: str = ""
    tone: Literal["plain", "expert"] = Field(
        "expert", description="plain: everyday words and the plain variants of our text; expert: the full register."
    )
    stance: Literal["objective", "advocacy"] = Field(
        "objective", description="objective: options laid out evenly; advocacy: one option recommended."
    )
    reading_grade: float | None = Field(None, description="Flesch-Kincaid grade target for our framing text.")
    order: Literal["source", "priority"] = "priority"
    glossary: Literal["used", "all"] = Field("used", description="used: only terms the document uses; all: every entry.")
    include_tags: list[Id] = Field(default_factory=list)
    exclude_tags: list[Id] = Field(default_factory=list)
    length: Length = Field(default_factory=Length)
    typography: Typography = Field(default_factory=Typography)
    sections: dict[str, list[str]] = Field(
        default_factory=dict, description="Per document kind, the sections in the order they appear."
    )


# --------------------------------------------------------------------------- documents


class Point(Model):
    """A line of our own text, optionally tied to positions and quotes."""

    text: str
    positions: list[Id] = Field(json_schema_extra={"ref": "positions"}, default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value: Any) -> Any:
        return {"text": value} if isinstance(value, str) else value


class DocumentSpec(Model):
    """Fields every document kind shares; each kind adds its own."""

    kind: str
    name: Id
    title: str
    date: dt.date | None = Field(
        None, description="Printed date. When left out: the newest cited source's date, else SOURCE_DATE_EPOCH; never the build clock."
    )
    positions: list[Id] = Field(
        json_schema_extra={"ref": "positions"}, default_factory=list, description="Positions to draw on, in order; all when empty."
    )


# --------------------------------------------------------------------------- project


class ProjectConfig(Model):
    """``memo.yml``: the project's own settings."""

    title: str
    language: str = "en"
    publisher: str = Field("memo", description="Who publishes the documents: the PDF Author field (the source is cited in Subject).")
    page_size: Literal["A4", "letter"] = Field("A4", description="Paper size for every audience that does not set its own.")
    sources_dir: str = "seeds"
    positions_dir: str = "positions"
    context_dir: str = "context"
    documents_dir: str = "documents"
    audiences_dir: str = "audiences"
    templates_dir: str = "templates"
    output_dir: str = "build"


def walk(value: Any, loc: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], BaseModel]]:
    """Every nested model under ``value`` with its key path, parents first."""
    if isinstance(value, BaseModel):
        yield loc, value
        for name, field in type(value).model_fields.items():
            yield from walk(getattr(value, name), (*loc, field.alias or name))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from walk(item, (*loc, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from walk(item, (*loc, key))
