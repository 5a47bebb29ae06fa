"""Typed models for every file a memo project holds.

The models are the schema: pydantic validates them, rejects unknown keys
(``extra="forbid"``) and exports JSON Schema (``memo schema``). Text that is
framing (thesis, claim, warrant, option summaries…) lives in :class:`Voiced`
fields, which say whose view each sentence states; words taken from a source
live only in :class:`Evidence`, so templates can always tell the two apart.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    PrivateAttr,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

Id = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9][a-z0-9-]*$",
        description="Lower-case letters, digits and hyphens, e.g. `my-position`.",
    ),
]


def _whole_number_or_key_point(value: Any) -> Any:
    """``true`` or ``2.5`` must not read as a paragraph (pydantic would take ``true`` as 1)."""
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()) or not isinstance(value, (int, float, str)):
        raise ValueError("expected a paragraph number such as 12, or a key point such as k2")
    return int(value) if isinstance(value, float) else value


ParagraphRef = Annotated[
    int | str,
    BeforeValidator(_whole_number_or_key_point),
    Field(
        description="A body paragraph number (1 = first body paragraph), a key point `k1`, `k2`…, "
        "or a paragraph within a headed section, `VI.2` (the second paragraph under the heading labelled VI).",
    ),
]
_KEY_POINT = re.compile(r"^k[1-9][0-9]*$")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_FACT_DATE = re.compile(r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$")

AUTHOR, OURS = "author", "ours"


class Voiced(str):
    """Framing text that knows whose view it states: the source's author, ours, or a cited actor.

    A plain string in YAML loads as before (its voice is then the field's
    default, see :func:`voice`); ``{text: …, by: …}`` names the voice. Being a
    ``str``, it works wherever text did (Markdown filters, matching), so
    templates that ignore voices keep working.
    """

    by: str | None

    def __new__(cls, text: str, by: str | None = None) -> Voiced:
        made = super().__new__(cls, text)
        made.by = by
        return made

    def __reduce__(self) -> Any:
        return (Voiced, (str(self), self.by))

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        mapping = core_schema.typed_dict_schema(
            {
                "text": core_schema.typed_dict_field(core_schema.str_schema(strip_whitespace=True)),
                "by": core_schema.typed_dict_field(core_schema.str_schema(strip_whitespace=True), required=False),
            },
            extra_behavior="forbid",
        )
        return core_schema.no_info_after_validator_function(
            cls._make,
            core_schema.no_info_before_validator_function(cls._as_mapping, mapping),
            serialization=core_schema.plain_serializer_function_ser_schema(cls._dump),
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        return {
            "anyOf": [
                {"type": "string"},
                {
                    "type": "object",
                    "properties": {
                        "text": {"type": "string"},
                        "by": {"type": "string", "description": "Whose view: `author` (the source's author), `ours`, "
                                                                   "or an actor id from context/actors (a person the author cites)."},
                    },
                    "required": ["text"],
                    "additionalProperties": False,
                },
            ]
        }

    @staticmethod
    def _as_mapping(value: Any) -> Any:
        if isinstance(value, Voiced):
            return {"text": str(value), **({"by": value.by} if value.by else {})}
        return {"text": value} if isinstance(value, str) else value

    @staticmethod
    def _make(value: dict[str, str]) -> Voiced:
        by = value.get("by")
        if by is not None and not _ID.match(by):
            raise ValueError(f"'{by}' is not a voice: write `author`, `ours` or an actor id")
        return Voiced(value["text"], by)

    @staticmethod
    def _dump(value: Any) -> Any:
        by = getattr(value, "by", None)
        return {"text": str(value), "by": by} if by else str(value)


def voiced(description: str, default: str) -> Any:
    """A framing field: its description says the voice a plain string gets."""
    return Field(description=f"{description} A string, or `{{text, by}}` naming whose view it is (plain string: {default}).")


def voice(item: BaseModel, field: str) -> str:
    """Whose view ``item.field`` states: its explicit ``by``, else the field's default voice.

    Defaults are data on each model (``_voices``); a model may compute one
    (a conceded counter is the author's, an objection is ours).
    """
    value = getattr(item, field, None)
    if getattr(value, "by", None):
        return str(value.by)
    defaults = getattr(type(item), "default_voice", None)
    return defaults(item, field) if callable(defaults) else OURS


class Model(BaseModel):
    """Base for every file model: strict keys, and the file it came from."""

    model_config = ConfigDict(extra="forbid", frozen=False, str_strip_whitespace=True)
    _origin: Path | None = PrivateAttr(default=None)


_SECTION_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*\.[1-9][0-9]*$")


def _check_paragraph(value: int | str | None) -> int | str | None:
    if value is None or isinstance(value, int):
        if isinstance(value, int) and value < 1:
            raise ValueError("paragraph numbers start at 1")
        return value
    if _KEY_POINT.match(value) or _SECTION_REF.match(value):
        return value
    if value.isascii() and value.isdigit() and int(value) >= 1:
        return int(value)
    raise ValueError("expected a paragraph number such as 12, a key point such as k2, or a paragraph within a section such as VI.2")


# --------------------------------------------------------------------------- sources


GENRES: dict[str, dict[str, str]] = {
    # How templates word their framing for each kind of source: the work, its maker, the verbs of a voice, and
    # what the work as a whole puts forward (a heading: "The article's argument", "The treaty's provisions").
    "article": {"work": "article", "maker": "author", "argues": "argues", "concedes": "concedes", "argument": "argument"},
    "book": {"work": "book", "maker": "author", "argues": "argues", "concedes": "concedes", "argument": "argument"},
    "report": {"work": "report", "maker": "authors", "argues": "finds", "concedes": "acknowledges", "argument": "findings"},
    "speech": {"work": "speech", "maker": "speaker", "argues": "says", "concedes": "concedes", "argument": "argument"},
    "treaty": {"work": "treaty", "maker": "parties", "argues": "provides", "concedes": "allows", "argument": "provisions"},
    "resolution": {"work": "resolution", "maker": "assembly", "argues": "states", "concedes": "recognises", "argument": "provisions"},
}
_LOCATOR_FIELDS = {"n", "section", "index"}


class SourceMeta(Model):
    """Front matter of a source file in ``seeds/``."""

    id: Id
    title: str
    author: str | None = Field(None, description="Who wrote it: a person, or an institution (set `institution: true`).")
    authors: list[str] = Field(default_factory=list, description="Several authors, in the order the source gives them.")
    institution: bool = Field(False, description="True when the author is an institution, cited by its full name.")
    cite_as: str | None = Field(None, description="The short name in citations, e.g. `Smith and Jones` or `OST`.")
    genre: Literal["article", "book", "report", "speech", "treaty", "resolution"] = Field(
        "article", description="What kind of text it is; templates word their framing by it (the article / the treaty)."
    )
    locator: str = Field(
        "¶{n}",
        description="How a paragraph is cited: `{n}` is the paragraph's number in the whole text, `{section}` the label of its "
        "heading and `{index}` its number within that section, e.g. `Art. {section}({index})`.",
    )
    author_role: str | None = Field(None, description="The author's position, as the source gives it.")
    date: dt.date
    publisher: str
    url: str | None = Field(None, description="The address where the source can be read, shown in every citation list.")
    accessed: dt.date | None = None
    language: str = "en"
    disclaimer: str | None = None

    @model_validator(mode="after")
    def _author_given(self) -> SourceMeta:
        if not self.author and not self.authors:
            raise ValueError("give the source's `author` (or `authors`, a list)")
        if not self.author:
            self.author = _join(self.authors)
        unknown = set(re.findall(r"{(\w*)}", self.locator)) - _LOCATOR_FIELDS
        if unknown:
            raise ValueError(f"`locator` may use {{n}}, {{section}} and {{index}}, not {{{unknown.pop()}}}")
        return self

    @property
    def short_cite(self) -> str:
        """The name citations use: `cite_as`, an institution's name, or surnames."""
        if self.cite_as:
            return self.cite_as
        if self.institution:
            return str(self.author)
        people = self.authors or [str(self.author)]
        surnames = [name.split()[-1] for name in people]
        return surnames[0] + " et al." if len(surnames) > 2 else " and ".join(surnames)

    @property
    def terms(self) -> dict[str, str]:
        """Words for this genre: ``work`` (article, treaty…), ``maker`` and the verbs of a voice."""
        return GENRES[self.genre]


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


class Section(BaseModel):
    """A heading of a source and the paragraphs under it."""

    title: str
    label: str
    level: int
    first: int = Field(description="Number of its first paragraph in the whole text.")
    count: int


class Source(BaseModel):
    """A parsed source: metadata, key points, numbered body paragraphs and the sections that hold them."""

    meta: SourceMeta
    key_points: list[str]
    paragraphs: list[str]
    sections: list[Section] = Field(default_factory=list)
    path: Path

    @property
    def id(self) -> str:
        return self.meta.id

    def number(self, ref: int | str) -> int | str | None:
        """A reference as a whole-text paragraph number (or ``kN``); ``VI.2`` is the second paragraph under ``VI``."""
        if isinstance(ref, int) or _KEY_POINT.match(ref):
            return ref
        label, _, index = ref.rpartition(".")
        section = next((s for s in self.sections if s.label.casefold() == label.casefold()), None)
        if section is None or not index.isdigit() or not 0 < int(index) <= section.count:
            return None
        return section.first + int(index) - 1

    def passage(self, ref: int | str) -> str | None:
        """The text at a paragraph reference, or None when there is none."""
        ref = self.number(ref)  # type: ignore[assignment]
        if ref is None:
            return None
        if isinstance(ref, int):
            return self.paragraphs[ref - 1] if 0 < ref <= len(self.paragraphs) else None
        index = int(ref[1:])
        return self.key_points[index - 1] if 0 < index <= len(self.key_points) else None

    def refs(self) -> list[int | str]:
        """Every addressable passage, key points first."""
        return [f"k{i}" for i in range(1, len(self.key_points) + 1)] + list(
            range(1, len(self.paragraphs) + 1)
        )

    def section_of(self, number: int) -> Section | None:
        return next((s for s in self.sections if s.first <= number < s.first + s.count), None)

    def locate(self, ref: int | str) -> str:
        """A reference in this source's own locator style: ``¶5``, ``Art. VI(2)``, ``key point 1``."""
        number = self.number(ref)
        if isinstance(number, str):
            return f"key point {number[1:]}"
        if number is None:
            return str(ref)
        section = self.section_of(number)
        if section is None and "{section}" in self.meta.locator:
            return f"¶{number}"
        fields = {"n": number, "section": section.label if section else "", "index": number - section.first + 1 if section else number}
        return self.meta.locator.format(**fields)


# --------------------------------------------------------------------------- positions


class Evidence(Model):
    """A verbatim quotation and where it stands in its source."""

    quote: str = Field(description="Verbatim words from the source; `…` marks an omission.")
    source: Id | None = Field(
        None, json_schema_extra={"ref": "sources"}, description="Source id; may be left out when the project has one source."
    )
    paragraph: ParagraphRef
    note: Voiced | None = Field(None, description="A comment on the quote. A string, or `{text, by}` (plain string: ours).")

    _check = field_validator("paragraph")(classmethod(lambda cls, v: _check_paragraph(v)))


class Claim(Model):
    """One step of a position's argument: claim, warrant, impact, with evidence."""

    id: Id
    claim: Voiced = voiced("The claim, without 'the author argues' (the voice is rendered).", "author")
    warrant: Voiced = voiced("Why the evidence supports the claim.", "ours")
    impact: Voiced = voiced("Why the claim matters.", "ours")
    forecast: bool = Field(False, description="True when the claim is a forecast (shown marked as one, with its source's year).")
    evidence: list[Evidence] = Field(min_length=1)

    def default_voice(self, field: str) -> str:
        return AUTHOR if field == "claim" else OURS


class Counter(Model):
    """An objection, or a point the source concedes, and the answer to it."""

    id: Id
    counter: Voiced = voiced("The objection or concession: only what is conceded, when conceded.",
                             "author when `conceded: true`, otherwise ours")
    conceded: bool = Field(False, description="True when the source itself concedes the point; then `evidence` must quote "
                                              "where. A conclusion the source rejects is an objection, not a concession.")
    evidence: list[Evidence] = Field(default_factory=list)
    response: Voiced = voiced("The answer. The source's answer needs `response_evidence`; an unevidenced answer says `by: ours`.",
                              "author")
    response_evidence: list[Evidence] = Field(default_factory=list)

    def default_voice(self, field: str) -> str:
        if field == "counter":
            return AUTHOR if self.conceded else OURS
        return AUTHOR if field == "response" else OURS


class Position(Model):
    """One argued position taken from a source: written once, used by every document."""

    id: Id
    title: str
    thesis: Voiced = voiced("One sentence.", "author")
    plain: Voiced | None = Field(None, description="The thesis in plain words, for plain-register audiences. "
                                                   "A string, or `{text, by}` (plain string: author).")
    actors: list[Id] = Field(json_schema_extra={"ref": "actors"}, default_factory=list)
    tags: list[Id] = Field(default_factory=list)
    priority: int = Field(3, ge=1, le=5, description="1 = most important; audiences that cap length keep the first.")
    lead: Id | None = Field(None, description="The id of the claim shown when an audience shows one claim (default: the first).")
    home: ParagraphRef | None = Field(None, description="The paragraph this position belongs to; editions in source order "
                                                        "sort by it (default: the earliest paragraph quoted).")
    claims: list[Claim] = Field(min_length=1)
    counters: list[Counter] = Field(default_factory=list)
    supports: list[Id] = Field(json_schema_extra={"ref": "positions"}, default_factory=list, description="Positions this one supports.")
    attacks: list[Id] = Field(json_schema_extra={"ref": "positions"}, default_factory=list, description="Positions this one attacks.")

    _check_home = field_validator("home")(classmethod(lambda cls, v: _check_paragraph(v)))

    @field_validator("thesis")
    @classmethod
    def _one_sentence(cls, value: Voiced) -> Voiced:
        if len(re.findall(r"[.!?](?:\s|$)", value)) > 1:
            raise ValueError("the thesis should be one sentence; move the rest into a claim")
        return value

    @model_validator(mode="after")
    def _lead_is_a_claim(self) -> Position:
        if self.lead is not None and self.lead not in {c.id for c in self.claims}:
            raise ValueError(f"lead '{self.lead}' names none of this position's claims ({', '.join(c.id for c in self.claims)})")
        return self

    def default_voice(self, field: str) -> str:
        return AUTHOR if field in ("thesis", "plain") else OURS

    @property
    def lead_claim(self) -> Claim:
        """The claim an audience that shows one claim sees."""
        return next((c for c in self.claims if c.id == self.lead), self.claims[0])

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

    @property
    def home_order(self) -> tuple[int, int]:
        """Sort key in the source's own sequence: the home paragraph (key points first), else the earliest quoted."""
        if isinstance(self.home, int):
            return (1, self.home)
        if isinstance(self.home, str):
            return (0, int(self.home[1:]))
        return (1, self.first_paragraph)


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
    id: Id | None = Field(None, description="Needed when a background fact `supersedes` this event.")
    date: str = Field(description="As precise as the source is: `1992`, `March 2021`, `2021-04-29`.")
    event: str
    forecast: bool = Field(False, description="True when the source forecasts this event; facts may supersede it.")
    evidence: Evidence


class PublishedEvent(TimelineEvent):
    """A timeline entry memo adds from a source's metadata (its publication): dated by the front matter, not a quotation."""

    evidence: Evidence | None = None  # type: ignore[assignment]  # the front matter is its evidence
    source: str = Field(description="The id of the source whose publication this is.")
    cited: str = Field(description="Where the date comes from, as a citation: the source's name and publisher.")


class BackgroundFact(Model):
    """A fact from outside the sources: it must say where it is from and as of when."""

    id: Id
    fact: str
    date: str | None = Field(None, description="When it happened: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. Facts dated after "
                                               "their document's source are shown as what happened since.")
    source: str = Field(description="A citation: publisher, title, document number.")
    as_of: dt.date
    supersedes: list[Id] = Field(json_schema_extra={"ref": "timeline"}, default_factory=list,
                                 description="Ids of timeline forecasts this fact overtakes; shown together.")

    @field_validator("date", mode="before")
    @classmethod
    def _fact_date(cls, value: Any) -> Any:
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, int):
            value = str(value)
        if isinstance(value, str) and not _FACT_DATE.match(value.strip()):
            raise ValueError("write the date as YYYY, YYYY-MM or YYYY-MM-DD")
        return value

    @property
    def start(self) -> dt.date | None:
        """The first day the date could mean (for comparing with a source's date)."""
        if not self.date:
            return None
        parts = [int(x) for x in self.date.split("-")]
        return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


class Question(Model):
    text: str
    stage: Literal["before", "after", "discussion"] = "discussion"
    positions: list[Id] = Field(json_schema_extra={"ref": "positions"}, default_factory=list)
    answer: Voiced | None = Field(None, description="The answer key's entry in the teacher's guide. A string, or `{text, by}` "
                                                    "naming whose view it is (plain string: ours).")
    paragraphs: list[ParagraphRef] = Field(default_factory=list, description="Where the answer is found in the source: 12 or k2.")
    source: Id | None = Field(None, json_schema_extra={"ref": "sources"}, description="The source of `paragraphs`, with several sources.")

    _check = field_validator("paragraphs")(classmethod(lambda cls, v: [_check_paragraph(x) for x in v]))


class Context(Model):
    """Supporting material in ``context/*.yaml``; every list may be split across files."""

    actors: list[Actor] = Field(default_factory=list)
    glossary: list[GlossaryEntry] = Field(default_factory=list)
    timeline: list[TimelineEvent] = Field(default_factory=list, description=(
        "Dated events, in order. Each source's publication (its front-matter `date`) is added where it falls, unless an "
        "entry on that day already cites that source."))
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
    pages: dict[str, Annotated[int, Field(ge=1)]] = Field(
        default_factory=dict, description="Page limits by document kind (`debate: 24`), overriding max_pages for that kind.")
    max_positions: int | None = Field(None, ge=1)
    claims_per_position: int | None = Field(None, ge=1)
    quotes_per_claim: int | None = Field(None, ge=1)
    counters: bool = True
    items: dict[str, Annotated[int, Field(ge=0)]] = Field(
        default_factory=dict,
        description="At most this many items per list, by list name: summary, background, facts, since, risks, "
                    "next_steps, pros, cons, counters and quotes (per position)… Lists without an entry take `points`, else no cap.",
    )
    points: int | None = Field(None, ge=1, description="Deprecated: use `items`. The cap for every list without its own entry.",
                               json_schema_extra={"deprecated": True})
    point_quotes: bool = Field(True, description="Show the quotations attached to our points (options, risks…).")

    def limit(self, name: str) -> int | None:
        """The cap on list ``name``: its own entry, else the deprecated ``points``, else none."""
        return self.items.get(name, self.points)


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
    reading_grades: dict[str, float] = Field(
        default_factory=dict, description="Targets by document kind (`mun: 14`), overriding reading_grade for that kind.")
    order: Literal["source", "priority"] = "priority"
    glossary: Literal["used", "all"] = Field("used", description="used: only terms the document uses; all: every entry.")
    include_tags: list[Id] = Field(default_factory=list)
    exclude_tags: list[Id] = Field(default_factory=list)
    length: Length = Field(default_factory=Length)
    typography: Typography = Field(default_factory=Typography)

    def grade_for(self, kind: str, graded: bool = True) -> float | None:
        """The reading-grade target for a document of ``kind`` (none for a document not graded, by its format)."""
        return self.reading_grades.get(kind, self.reading_grade) if graded else None
    sections: dict[str, list[str]] = Field(
        default_factory=dict, description="Per document kind, the sections in the order they appear."
    )


# --------------------------------------------------------------------------- documents


def _point_schema(schema: dict[str, Any]) -> None:
    """`by:` may stand beside `text:` in a point (it is moved into the text on loading)."""
    schema.setdefault("properties", {})["by"] = {"type": "string", "description": "Whose view the text states (see `text`)."}


class Point(Model):
    """A line of framing text, optionally tied to positions and quotes."""

    model_config = ConfigDict(**Model.model_config, json_schema_extra=_point_schema)

    text: Voiced = voiced("The point. `by:` may also stand beside `text:`.", "ours")
    positions: list[Id] = Field(json_schema_extra={"ref": "positions"}, default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"text": value}
        if isinstance(value, dict) and "by" in value and isinstance(value.get("text"), str):
            value = dict(value)
            value["text"] = {"text": value["text"], "by": value.pop("by")}
        return value

    @classmethod
    def __get_pydantic_json_schema__(cls, core: Any, handler: Any) -> dict[str, Any]:
        """Editors must accept the short form too: a point may be a plain string."""
        return {"anyOf": [{"type": "string"}, handler(core)]}


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
    spine: list[Id] = Field(
        json_schema_extra={"ref": "positions"}, default_factory=list,
        description="Positions no edition may drop; `memo check` fails when an audience's tags or limits would drop one.",
    )


# --------------------------------------------------------------------------- project


class ProjectConfig(Model):
    """``memo.yml``: the project's own settings."""

    title: str
    language: str = "en"
    publisher: str = Field("memo", description="Who publishes the documents (the PDF Author field), not the source's author.")
    page_size: Literal["A4", "letter"] = Field("A4", description="Paper size for every audience that does not set its own.")
    sources_dir: str = "seeds"
    positions_dir: str = "positions"
    context_dir: str = "context"
    documents_dir: str = "documents"
    audiences_dir: str = "audiences"
    templates_dir: str = "templates"
    output_dir: str = "build"
    max_file_mb: float = Field(2, gt=0, description="Files larger than this (in MB) are refused, so a stray dump cannot hang memo.")


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
