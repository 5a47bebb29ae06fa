"""Sources with headings, their own locator style, genres and several or institutional authors."""

from __future__ import annotations

from pathlib import Path

import pytest

from memo.sources import read_source, section_label

TREATY = """---
id: space-treaty
title: Treaty on outer space (excerpt)
author: United Nations General Assembly
institution: true
genre: treaty
locator: "Art. {section}({index})"
date: 1966-12-19
publisher: United Nations
---
# Article I

The exploration and use of outer space shall be carried out for the benefit of all countries.

Outer space shall be free for exploration and use by all States without discrimination of any kind.

# Article VI

States Parties to the Treaty shall bear international responsibility for national activities in outer space.

The activities of non-governmental entities in outer space shall require authorization and continuing supervision.
"""


@pytest.fixture
def treaty(tmp_path: Path) -> Path:
    path = tmp_path / "space-treaty.md"
    path.write_text(TREATY, "utf-8")
    return path


def test_headings_divide_sections_and_are_not_paragraphs(treaty: Path) -> None:
    source = read_source(treaty)
    assert len(source.paragraphs) == 4
    assert [(s.label, s.first, s.count) for s in source.sections] == [("I", 1, 2), ("VI", 3, 2)]
    assert source.passage("VI.2") == source.passage(4)
    assert source.passage("vi.2").startswith("The activities of non-governmental")
    assert source.passage("VI.3") is None and source.passage("IX.1") is None


def test_citations_use_the_sources_own_locator_and_name(treaty: Path) -> None:
    source = read_source(treaty)
    assert source.locate(4) == "Art. VI(2)"
    assert source.locate("I.1") == "Art. I(1)"
    assert source.meta.short_cite == "United Nations General Assembly"
    assert source.meta.terms["work"] == "treaty"


@pytest.mark.parametrize(
    ("title", "label"),
    [("Article VI", "VI"), ("Part 2: Aims", "2"), ("§ 12", "12"), ("Section 3A", "3A"), ("Introduction and aims", "introduction-and-aims")],
)
def test_section_labels(title: str, label: str) -> None:
    assert section_label(title, 1) == label


def test_several_authors_are_cited_by_surname(tmp_path: Path) -> None:
    path = tmp_path / "report.md"
    path.write_text(TREATY.replace("author: United Nations General Assembly\ninstitution: true\n",
                                   "authors: [Ada Lovelace, Charles Babbage, Mary Somerville]\n"), "utf-8")
    meta = read_source(path).meta
    assert meta.author == "Ada Lovelace, Charles Babbage and Mary Somerville"
    assert meta.short_cite == "Lovelace et al."
