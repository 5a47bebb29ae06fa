"""The cleaned source: metadata and body only, paragraphs numbered as in domain.md."""

from __future__ import annotations

from memo.sources import read_source

from .conftest import REPO

SEED = REPO / "seeds" / "harmony-of-the-heavens.md"


def test_metadata() -> None:
    meta = read_source(SEED).meta
    assert meta.author == "Marco Aliberti"
    assert meta.date.isoformat() == "2021-05-07"
    assert "European Space Policy Institute" in (meta.author_role or "")
    assert "LSE IDEAS" in meta.publisher
    # The article's own address, checked against the delivered text (issue 5).
    assert meta.url == "https://blogs.lse.ac.uk/cff/2021/05/07/harmony-of-the-heavens-augur-of-a-new-space-era/"


def test_three_key_points_and_twenty_two_paragraphs() -> None:
    source = read_source(SEED)
    assert len(source.key_points) == 3
    assert len(source.paragraphs) == 22
    assert source.passage(1).startswith("On 29 April 2021")
    assert source.passage(19).startswith("Against this threatening backdrop, any cool-headed Metternich")
    assert source.passage(22).startswith("We are at an inflection point")
    assert source.passage("k2").startswith("The current mythmaking")
    assert source.passage(23) is None and source.passage("k4") is None


def test_no_web_page_debris() -> None:
    text = SEED.read_text("utf-8")
    for debris in ("Small Logo", "shares", "Estimated reading time", "Leave a Reply", "Posted In", "About the author"):
        assert debris not in text
    source = read_source(SEED)
    assert all("Marco Aliberti works as" not in p for p in source.paragraphs)


def test_verbatim_slips_are_kept() -> None:
    body = " ".join(read_source(SEED).paragraphs)
    assert "an “friendship of convenience”" in body
    assert "too optimistic ." in body
    assert "Tiānhé" in body and "Cháng’é" in body
