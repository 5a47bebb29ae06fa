"""Templates: project files shadow built-ins; typos fail loudly; position text cannot inject HTML."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bs4 import BeautifulSoup
from click.testing import Result

from .conftest import snapshot

HTML = Path("build/students/memo/tiangong-brief.html")


def test_shipped_project_template_shadows_the_builtin_footer(built: Path) -> None:
    html = (built / "students/memo/tiangong-brief.html").read_text("utf-8")
    # templates/footer.html, the project's colophon
    assert "Students edition, dated 26 November 2026; made with memo" in html and "checked against Aliberti’s article" in html
    assert "made with memo" in html


def test_a_new_shadow_replaces_one_template_only(project_dir: Path, run: Callable[..., Result]) -> None:
    (project_dir / "templates" / "memo").mkdir(parents=True, exist_ok=True)
    (project_dir / "templates" / "memo" / "decision.html").write_text(
        '<section class="decision"><h2>Over to you</h2><p>{{ spec.decision | md }}</p></section>\n', "utf-8")
    result = run(project_dir, "build", "-a", "policymakers", "-f", "html")
    assert result.exit_code == 0, result.output
    page = BeautifulSoup((project_dir / "build/policymakers/memo/tiangong-brief.html").read_text("utf-8"), "html.parser")
    headings = [h.get_text(" ", strip=True) for h in page.find_all("h2")]
    assert "Over to you" in headings and "Decision required" not in headings
    assert "Bottom line up front" in headings  # the other sections still come from the built-ins


def test_undefined_name_in_a_template_fails_with_its_file_and_line(project_dir: Path, run: Callable[..., Result]) -> None:
    assert run(project_dir, "build", "-f", "html").exit_code == 0
    before = snapshot(project_dir / "build")
    (project_dir / "templates" / "memo").mkdir(parents=True, exist_ok=True)
    (project_dir / "templates" / "memo" / "bluf.html").write_text("<section>\n<p>{{ blurf }}</p>\n</section>\n", "utf-8")
    result = run(project_dir, "build", "-f", "html")
    assert result.exit_code == 1
    assert "bluf.html:2" in result.output and "undefined" in result.output and "blurf" in result.output
    assert "Traceback" not in result.output
    assert snapshot(project_dir / "build") == before


def test_raw_html_in_position_text_is_escaped_and_markdown_rendered(project_dir: Path, run: Callable[..., Result]) -> None:
    path = project_dir / "positions" / "metternich-cooperation.yaml"
    text = path.read_text("utf-8")
    start = text.index("\ntitle:") + 1
    end = text.index("\n", start)
    path.write_text(text[:start] + 'title: "Cooperate *now* <script>alert(1)</script><img src=x>"' + text[end:], "utf-8")
    result = run(project_dir, "build", "-a", "students", "-f", "html")
    assert result.exit_code == 0, result.output
    page = BeautifulSoup((project_dir / HTML).read_text("utf-8"), "html.parser")
    heading = page.find(id="metternich-cooperation").h3
    assert heading.em.get_text() == "now"
    assert page.find("script") is None and heading.find("img") is None
    assert "<script>alert(1)</script>" in heading.get_text()
