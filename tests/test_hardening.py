"""Hostile and careless input: sandboxed templates, inert titles, bounded YAML, fair quotes, exit codes."""

from __future__ import annotations

import re
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner, Result
from pypdf import PdfReader

from memo.cli import main
from memo.errors import MemoError
from memo.render import css_escape, html_to_markdown, neutralise
from memo.text import NEGATING_PREFIXES, NEGATIONS, SENSE_FLIPPERS, match_quote, quote_in
from memo.verify import word_changes
from memo.yamlfile import parse_yaml

from .conftest import snapshot
from .test_catalogue import ALIAS_BOMB, LIVE

DOCUMENT = "documents/tiangong-brief.yaml"
POSITION = "positions/metternich-cooperation.yaml"


def set_title(project: Path, title: str) -> None:
    path = project / DOCUMENT
    text = path.read_text("utf-8")
    path.write_text(re.sub(r"(?m)^title: .*$", lambda _: "title: " + title, text, count=1), "utf-8")


# --------------------------------------------------------------------------- templates


def test_template_cannot_run_code(project_dir: Path, run: Callable[..., Result]) -> None:
    """The issue's attack: a project footer reaching os.popen through cycler is refused, located, by check and build."""
    (project_dir / "templates/footer.html").write_text("{{ cycler.__init__.__globals__.os.popen('id').read() }}\n", "utf-8")
    for command in (("check",), ("build", "-a", "policymakers", "-f", "html")):
        result = run(project_dir, *command)
        assert result.exit_code == 1
        assert "templates/footer.html:1: template tried something the sandbox forbids" in result.output
        assert "uid=" not in result.output and "Traceback" not in result.output
    assert not (project_dir / "build").exists()


def test_templates_cannot_mutate_what_they_are_given(project_dir: Path, run: Callable[..., Result]) -> None:
    (project_dir / "templates/footer.html").write_text("<footer>{{ sections.append('x') }}</footer>\n", "utf-8")
    result = run(project_dir, "check")
    assert result.exit_code == 1 and "templates/footer.html:1" in result.output and "sandbox" in result.output


def test_check_reports_template_syntax_error_with_file_and_line(project_dir: Path, run: Callable[..., Result]) -> None:
    (project_dir / "templates/memo").mkdir()
    (project_dir / "templates/memo/risks.html").write_text("<section>\n<h2>Risks</h2>\n{% for r in risks %}\n", "utf-8")
    result = run(project_dir, "check")
    assert result.exit_code == 1
    assert re.search(r"^templates/memo/risks\.html:\d+: template syntax error", result.output, re.M), result.output


@pytest.fixture(scope="module")
def injected(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The policymakers memo built (PDF, HTML, Markdown) with a title that tries to break out of <style>."""
    from .conftest import PROJECT_PARTS, REPO

    project = tmp_path_factory.mktemp("injected")
    for part in PROJECT_PARTS:
        source = REPO / part
        if source.is_dir():
            import shutil

            shutil.copytree(source, project / part)
        else:
            (project / part).write_bytes(source.read_bytes())
    set_title(project, r'"Brief </style><script>alert(1)</script> end \\"')
    result = CliRunner().invoke(main, ["--project", str(project), "build", "-a", "policymakers"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return project / "build/policymakers/memo"


def test_title_cannot_close_the_style_block(injected: Path) -> None:
    html = (injected / "tiangong-brief.html").read_text("utf-8")
    page = BeautifulSoup(html, "html.parser")
    assert page.find("script") is None
    (style,) = page.find_all("style")
    assert "</style" not in style.get_text() and "<script" not in style.get_text()
    assert "@bottom-right" in style.get_text()  # the rest of the page CSS survives
    assert page.h1.get_text() == "Brief </style><script>alert(1)</script> end \\"
    assert not LIVE.search(html)
    assert not LIVE.search((injected / "tiangong-brief.md").read_text("utf-8"))


def test_title_ending_in_backslash_keeps_page_numbers_and_footer(injected: Path) -> None:
    reader = PdfReader(injected / "tiangong-brief.pdf")
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert f"Page {number} of {len(reader.pages)}" in text
        assert "Brief </style><script>alert(1)</script> end \\" in text


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("A4", "A4"),
        ("#ffffff", "#ffffff"),
        ("10.5", "10.5"),
        ('a"b', "a\\22 b"),
        ("a\\", "a\\5c "),
        ("</style>", "\\3c \\2f style\\3e "),
        ("x;}", "x\\3b \\7d "),
        ("Tiānhé", "Tiānhé"),
        ("a\nb", "a\\a b"),
    ],
)
def test_css_escape(value: str, escaped: str) -> None:
    assert css_escape(value) == escaped


# --------------------------------------------------------------------------- output safety


@pytest.mark.parametrize(
    "html",
    [
        "<p>a<script>alert(1)</script>b</p>",
        '<p>a<SCRIPT src="x.js"></SCRIPT>b</p>',
        '<img src="https://example.org/x.png" alt="logo" onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        '<a href=" jav&#x09;ascript:alert(1)">x</a>',
        '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
        '<div onclick="alert(1)" class="x">x</div>',
        '<iframe src="https://example.org"></iframe>',
        '<style>body { background: url("https://example.org/x.png") }</style>',
        '<p style="background: url(https://example.org/x.png)">x</p>',
        '<meta http-equiv="refresh" content="0; url=javascript:alert(1)">',
        "<p>unclosed <script>alert(1)",
    ],
)
def test_neutralise_removes_live_markup_and_remote_resources(html: str, tmp_path: Path) -> None:
    cleaned, _ = neutralise(html, tmp_path)
    page = BeautifulSoup(cleaned, "html.parser")
    assert page.find(["script", "iframe"]) is None
    for tag in page.find_all(True):
        for key, value in tag.attrs.items():
            assert not key.lower().startswith("on")
            text = " ".join(value) if isinstance(value, list) else str(value)
            assert "javascript:" not in re.sub(r"\s", "", text.lower()) and "example.org" not in text
    assert "example.org" not in cleaned


def test_neutralise_keeps_good_html_byte_for_byte(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(b"png")
    html = '<p class="a">x &amp; y</p><img src="logo.png" alt="l"><a href="#top">t</a><a href="https://example.org/">site</a>'
    assert neutralise(html, tmp_path) == (html, [])


def test_remote_image_is_dropped_from_the_html_and_reported(project_dir: Path, run: Callable[..., Result]) -> None:
    path = project_dir / "documents/tiangong-brief.yaml"  # its title is shown in every edition
    path.write_text(
        re.sub(r"(?m)^subject: .*\n(?:  .*\n)*", 'subject: "Cooperate ![logo](https://example.org/logo.png)"\n',
               path.read_text("utf-8"), count=1),
        "utf-8",
    )
    result = run(project_dir, "build", "-a", "policymakers", "-f", "html")
    assert result.exit_code == 0, result.output
    assert "refused to read https://example.org/logo.png" in result.output
    html = (project_dir / "build/policymakers/memo/tiangong-brief.html").read_text("utf-8")
    assert not BeautifulSoup(html, "html.parser").select('img[src*="example.org"]')
    assert '<span class="dropped-image">logo</span>' in html


def test_markdown_output_escapes_raw_html() -> None:
    md = html_to_markdown("<main><p>&lt;script&gt;alert(1)&lt;/script&gt; [x](javascript:alert(1)) a &amp; b</p></main>")
    assert "<script" not in md and not re.search(r"(?<!\\)\]\(javascript:", md)
    assert "&lt;script&gt;" in md and r"\[x\]" in md


# --------------------------------------------------------------------------- the loader


def test_alias_bomb_is_refused_with_bounded_memory() -> None:
    assert len(ALIAS_BOMB.encode()) < 478
    tracemalloc.start()
    try:
        with pytest.raises(MemoError) as caught:
            parse_yaml(Path("bomb.yaml"), ALIAS_BOMB)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "expand to more than" in str(caught.value)
    assert peak < 5_000_000


def test_many_aliases_within_the_bound_still_load() -> None:
    doc = parse_yaml(Path("ok.yaml"), "base: &b {a: 1, b: 2}\nitems: [*b, *b, *b]\n")
    assert doc.data["items"][2] == {"a": 1, "b": 2}


def test_problem_list_stops_at_fifty(project_dir: Path, run: Callable[..., Result]) -> None:
    lines = "".join(f"  - {{id: actor-{i}, name: A, role: R, wrong{i}: x}}\n" for i in range(70))
    (project_dir / "context/many.yaml").write_text("actors:\n" + lines, "utf-8")
    result = run(project_dir, "check")
    assert result.exit_code == 1
    assert result.output.count("unknown key") == 50
    assert "memo: 20 more problems not listed" in result.output
    assert result.output.rstrip().endswith("memo: 70 problems; nothing was written.")


# --------------------------------------------------------------------------- quotations


SOURCE = "Indeed, this posture unveils the quest for membership – not a desire for competition."


def test_an_ellipsis_may_not_drop_a_negation() -> None:
    match = match_quote("this posture unveils … a desire for competition", SOURCE)
    assert not match.found and match.dropped == "not"
    assert quote_in("this posture unveils … not a desire for competition", SOURCE)
    assert quote_in("this posture unveils the quest", SOURCE)


@pytest.mark.parametrize("word", [*NEGATIONS, *SENSE_FLIPPERS])
def test_every_sense_flipping_word_is_kept(word: str) -> None:
    said = "don't" if word == "n't" else word
    source = f"The plan will {said} succeed in the end."
    assert not quote_in("The plan will … succeed in the end.", source)
    assert match_quote("The plan will … succeed in the end.", source).dropped
    assert quote_in("The plan will … succeed in the end.", "The plan will surely succeed in the end.")
    assert quote_in(f"The plan will {said} … in the end.", source)  # a cut elsewhere is fine


@pytest.mark.parametrize("prefix", NEGATING_PREFIXES)
def test_a_negating_prefix_is_kept(prefix: str) -> None:
    source = f"It was a {prefix}democratic step."
    assert match_quote("It was a … democratic step.", source).dropped == prefix


@pytest.mark.parametrize("word", ["Not", "NEVER", "Can’t", "nothing"])
def test_negations_match_whatever_the_case_or_apostrophe(word: str) -> None:
    assert not quote_in("a … b", f"a {word} b")


def test_a_fair_cut_is_found_even_after_an_unfair_one() -> None:
    assert quote_in("a … b", "a not b, and a fine b")


def test_decomposed_accents_match() -> None:
    assert quote_in("the Tia\u0304nhe\u0301 module", "the Tiānhé module")
    assert quote_in("the Tiānhé module", "the Tia\u0304nhe\u0301 module")


def test_a_hint_never_shows_two_identical_looking_words() -> None:
    (hint,) = word_changes("the \u0441ooperation will fail", "the cooperation will fail")
    assert "CYRILLIC SMALL LETTER ES" in hint and "LATIN SMALL LETTER C" in hint
    (hint,) = word_changes("the co\u200boperation will fail", "the cooperation will fail")
    assert "ZERO WIDTH SPACE" in hint


def test_negation_case_through_the_cli(project_dir: Path, run: Callable[..., Result]) -> None:
    path = project_dir / "positions/membership-not-competition.yaml"
    text = path.read_text("utf-8")
    start = text.index('      - quote: "More than the intention')
    end = text.index("\n", start)
    path.write_text(text[:start] + '      - quote: "this posture unveils … a desire for competition"' + text[end:], "utf-8")
    result = run(project_dir, "check")
    assert result.exit_code == 1
    assert "leaves out 'not'" in result.output and "hint: keep 'not' in the quotation" in result.output


# --------------------------------------------------------------------------- exit codes and flags


def test_missing_project_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--project", str(tmp_path / "nope"), "check"])
    assert result.exit_code == 2 and "does not exist" in result.output


def test_a_bug_is_an_internal_error_without_traceback_unless_debug(project_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import memo.cli

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(memo.cli, "check", broken)
    result = CliRunner().invoke(main, ["--project", str(project_dir), "check"])
    assert result.exit_code == 70 and "internal error (RuntimeError: boom)" in result.output
    assert "Traceback" not in result.output
    result = CliRunner().invoke(main, ["--project", str(project_dir), "--debug", "check"])
    assert isinstance(result.exception, RuntimeError)


def test_interrupt_exits_130(project_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import memo.cli

    def interrupted(*_: object, **__: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(memo.cli, "check", interrupted)
    result = CliRunner().invoke(main, ["--project", str(project_dir), "check"])
    assert result.exit_code == 130 and "interrupted" in result.output and "Traceback" not in result.output


def test_strict_turns_warnings_into_errors(project_dir: Path, run: Callable[..., Result]) -> None:
    path = project_dir / "documents/tiangong-brief.yaml"
    path.write_text(
        re.sub(r"(?m)^subject: .*\n(?:  .*\n)*", 'subject: "Cooperate ![logo](/etc/hostname)"\n', path.read_text("utf-8"), count=1),
        "utf-8",
    )
    result = run(project_dir, "build", "-a", "policymakers", "-f", "html", "--strict")
    assert result.exit_code == 1 and "refused to read /etc/hostname" in result.output and "--strict" in result.output
    assert not (project_dir / "build").exists()
    assert run(project_dir, "build", "-a", "policymakers", "-f", "html").exit_code == 0


def test_folders_outside_need_allow_outside(project_dir: Path, tmp_path: Path) -> None:
    config = project_dir / "memo.yml"
    text = config.read_text("utf-8")
    config.write_text(text + f"output_dir: {tmp_path / 'elsewhere'}\n", "utf-8")
    line = len(text.splitlines()) + 1
    refused = CliRunner().invoke(main, ["--project", str(project_dir), "build", "-a", "policymakers", "-f", "html"])
    assert refused.exit_code == 1 and f"memo.yml:{line}" in refused.output and "--allow-outside" in refused.output
    allowed = CliRunner().invoke(main, ["--project", str(project_dir), "--allow-outside", "build", "-a", "policymakers", "-f", "html"])
    assert allowed.exit_code == 0, allowed.output
    assert "policymakers/memo/tiangong-brief.html" in snapshot(tmp_path / "elsewhere")
