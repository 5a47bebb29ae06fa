"""Whose view a sentence of framing states, rendered the same way in every kind.

Every framing field is a :class:`~memo.models.Voiced` string: the source's
author, ours, or a person the author cites (an actor id). Templates never
write "the author argues" themselves; they call the ``voiced`` filter, which
puts the voice in front of the text ("Aliberti argues: …", "Aliberti
concedes: …", "Yan Xuetong (cited by Aliberti): …", "Our analysis: …"). One
filter for every kind (memo, debate, model UN, handout), so no kind can state
the author's judgement in the memo's own voice by forgetting a label.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import jinja2
from markupsafe import Markup, escape
from pydantic import BaseModel

from .models import AUTHOR, OURS, Claim, Counter, Evidence, Source, voice, walk
from .project import Project

# Fields with a plain-language twin, picked for plain-tone audiences.
PLAIN_TWIN = {"thesis": "plain", "bluf": "bluf_plain"}
OURS_LABEL = "Our analysis:"


def author_name(source: Source) -> str:
    """How framing names a source's author: its short citation name (``cite_as``, else surnames)."""
    return source.meta.short_cite


def source_of(project: Project, item: BaseModel) -> Source | None:
    """The source an item's "author" means: the source of its own evidence, else the project's first source."""
    for _, inner in walk(item):
        if isinstance(inner, Evidence) and inner.source in project.sources:
            return project.sources[inner.source]
    return next(iter(project.sources.values()), None)


def _verb(item: BaseModel, field: str) -> str:
    if isinstance(item, Counter):
        if field == "counter":
            return "concedes" if item.conceded else "notes the objection"
        return "replies"
    if isinstance(item, Evidence):
        return "notes"
    return "argues"


def voice_label(project: Project, item: BaseModel, field: str) -> str:
    """The words put before ``item.field``: "Aliberti argues:", "Our analysis:", "Yan Xuetong (cited by Aliberti):"."""
    who = voice(item, field)
    if who == OURS:
        return OURS_LABEL
    source = source_of(project, item)
    author = author_name(source) if source else "The author"
    if who == AUTHOR:
        verb = _verb(item, field)
        return f"{author} {source.meta.terms.get(verb, verb) if source else verb}:"  # a treaty "provides", a report "finds"
    actor = next((a for a in project.context.actors if a.id == who), None)
    return f"{actor.name if actor else who} (cited by {author}):"


def _possessive(noun: str) -> str:
    return f"{noun}’" if noun.endswith("s") else f"{noun}’s"


def genre_words(sources: Sequence[Source]) -> dict[str, str]:
    """What templates call the source and its maker, by genre: "the article" and "the author", "the treaty" and "the parties".

    Several sources are "the sources" and "their authors", whatever their genres. The ``the_*s`` forms are possessive
    ("the article’s"), ``recommends`` agrees with the maker, and the verbs are the genre's own ("argues", "provides").
    """
    if len(sources) == 1:
        terms = dict(sources[0].meta.terms)
    else:
        terms = {"work": "sources", "maker": "authors", "argues": "argue", "concedes": "concede", "argument": "arguments"}
    work, maker = terms["work"], terms["maker"]
    plural = maker.endswith("s")
    return {**terms, "the_work": f"the {work}", "the_works": f"the {_possessive(work)}", "the_maker": f"the {maker}",
            "the_makers": f"the {_possessive(maker)}", "recommends": "recommend" if plural else "recommends"}


def make_voiced(project: Project, markdown: Callable[[str | None], Markup]) -> Callable[..., Markup]:
    """The ``voiced`` filter: ``{{ claim | voiced("claim") }}`` → voice label, then the text as inline Markdown.

    ``quiet`` names a voice left unlabelled because the section heading already
    says it (``quiet="ours"`` under "Options (our analysis)"). For plain-tone
    audiences ``thesis`` and ``bluf`` use their plain twins when written.
    """

    @jinja2.pass_context
    def voiced(context: jinja2.runtime.Context, item: BaseModel, field: str, quiet: str | None = None) -> Markup:
        audience = context.get("audience")
        twin = PLAIN_TWIN.get(field)
        if twin and audience is not None and audience.tone == "plain" and getattr(item, twin, None):
            field = twin
        text = getattr(item, field)
        body = markdown(text)
        if isinstance(item, Claim) and item.forecast:
            source = source_of(project, item)
            year = f" ({source.meta.date.year})" if source else ""
            body = Markup('<span class="forecast">forecast{}</span> ').format(year) + body
        if quiet is not None and voice(item, field) == quiet:
            return body
        return Markup('<span class="voice">{}</span> ').format(escape(voice_label(project, item, field))) + body

    return voiced


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")


def fact_date(value: str | None) -> str:
    """A fact's `YYYY[-MM[-DD]]` date as people read it: "2023", "January 2023", "5 November 2022"."""
    if not value:
        return ""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return str(parts[0])
    month = _MONTHS[parts[1] - 1]
    return f"{parts[2]} {month} {parts[0]}" if len(parts) == 3 else f"{month} {parts[0]}"


def install(env: jinja2.Environment, project: Project, markdown: Callable[[str | None], Markup]) -> None:
    """Register the framing helpers every kind shares: the ``voiced`` filter, voice labels, dates of facts."""
    env.filters["voiced"] = make_voiced(project, markdown)
    env.filters["fact_date"] = fact_date
    env.globals["voice_label"] = lambda item, field: voice_label(project, item, field)
    env.globals["voice_of"] = voice
    env.globals["author_name"] = author_name

    @jinja2.pass_context
    def words(context: jinja2.runtime.Context) -> dict[str, str]:
        """``{{ words().the_work }}``: the genre's words for the document's source (a reading copy's own, else those cited)."""
        one = context.get("source")
        shown = [one] if isinstance(one, Source) else list(context.get("sources") or project.sources.values())
        return genre_words(shown)

    env.globals["words"] = words
    env.globals["source_year"] = lambda item: (s.meta.date.year if (s := source_of(project, item)) else "")


def framing_texts(item: Any) -> list[str]:
    """Every voiced string under ``item`` (for glossary matching and coverage), in reading order."""
    from .models import Voiced

    texts: list[str] = []
    for _, inner in walk(item):
        for name in type(inner).model_fields:
            value = getattr(inner, name)
            if isinstance(value, Voiced):
                texts.append(str(value))
    return texts
