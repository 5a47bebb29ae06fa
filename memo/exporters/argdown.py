"""Debate motions as Argdown (https://argdown.org), for the argument-mapping tools debaters use.

``memo export --format argdown`` writes, for every debate motion: the motion as
a statement, each side's arguments supporting (``+``) or attacking (``-``) it,
and every rebuttal answer attacking the argument it answers. Each argument
carries its claim with the voice it speaks in and its evidence as
``Aliberti (2021), ¶19``; the quotations themselves stay in the pack.

Titles are made unique per motion; characters Argdown reads as syntax
(brackets, angle brackets, ``#``, ``@``, ``//`` and emphasis markers) are
replaced in free text, so any project text parses.
"""

from __future__ import annotations

import json
import re

from ..kinds.debate import SIDES, DebateSpec, debate_formats, short_cite, voice_line
from ..models import AUTHOR, OURS
from ..project import Project
from ..render import paragraph_label
from . import Exporter, register

_SYNTAX = str.maketrans({"[": "(", "]": ")", "<": "‹", ">": "›", "#": "no. ", "@": " at ", "*": "", "_": " ",
                         "{": "(", "}": ")", "+": " plus ", "=": " equals "})


def clean(value: object) -> str:
    """Free text that Argdown reads as text only, on one line."""
    words = " ".join(str(value).split()).translate(_SYNTAX)
    return re.sub(r"/{2,}|/\*|\*/", "/ ", words).strip()


def _title(motion: str, label: str) -> str:
    return clean(f"{motion} {label}").replace(":", " -")


def motion_argdown(project: Project, spec: DebateSpec) -> list[str]:
    """One motion: its statement, the arguments for and against, the answers to each."""
    fmt = debate_formats()[spec.format]
    first = next(iter(project.sources.values()))
    cards = {c.id: c for c in spec.cards}
    motion = f"[{_title(spec.name, 'motion')}]"
    lines = [f"# {clean(spec.title)}", "", f"{motion}: {clean(spec.motion)} #debate-motion", ""]

    def cite(ids: list[str]) -> str:
        found = [cards[i] for i in ids if i in cards]
        return "; ".join(f"{short_cite(project.sources[c.source or first.id])}, {paragraph_label(c.paragraph)}" for c in found)

    bodies: list[str] = []
    relations = [motion]
    for s, key in enumerate(SIDES):
        side = getattr(spec, key)
        other = fmt.sides[SIDES[1 - s]]
        for a, arg in enumerate(side.arguments):
            number = f"{'PO'[s]}{a + 1}"
            title = f"<{_title(spec.name, f'{number} {arg.title}')}>"
            relations.append(f"  {'+' if key == 'proposition' else '-'} {title}")
            evidence = cite(arg.cards)
            facts = "; ".join(f.source for f in project.context.background if f.id in arg.facts)
            support = f" Evidence: {clean(evidence)}." if evidence else " No evidence in the source."
            support += f" Background: {clean(facts)}." if facts else ""
            claim = voice_line(project, arg.claim, AUTHOR if arg.cards else OURS, first, arg.conceded)
            bodies += [f"{title}: {clean(claim.voice)}: {clean(claim.text)}{support} #{key}", ""]
            for i, answer in enumerate(arg.answers):
                answer_title = f"<{_title(spec.name, f'{other} answer {i + 1} to {number}')}>"
                bodies += [f"{title}", f"  - {answer_title}", ""]
                but, because, therefore = (voice_line(project, getattr(answer, n), OURS, first, answer.conceded and n == "but")
                                           for n in ("but", "because", "therefore"))
                steps = " ".join(f"{step} ({clean(line.voice)}): {clean(line.text)}"
                                 for step, line in (("But", but), ("Because", because), ("Therefore", therefore)))
                evidence = cite(answer.cards)
                bodies += [f"{answer_title}: {steps}"
                           + (f" Evidence: {clean(evidence)}." if evidence else "") + f" #{SIDES[1 - s]}", ""]
    return [*lines, *relations, "", *bodies]


def export(project: Project) -> str:
    """Every debate motion of the project, one Argdown section each."""
    motions = [d for d in project.documents.values() if isinstance(d, DebateSpec)]
    title = clean(project.config.title)
    out = ["===", f"title: {json.dumps(title, ensure_ascii=False)}", "===", ""]
    if not motions:
        out.append(f"[{_title('project', 'no motions')}]: This project has no debate motions.")
    for spec in motions:
        out += motion_argdown(project, spec)
    return "\n".join(out).rstrip() + "\n"


register(Exporter(
    name="argdown",
    suffix=".argdown",
    description="debate motions as Argdown: statements, arguments, support and attack relations",
    project=lambda project: export(project).encode("utf-8"),
))
