"""Fuzzing: random and mutated YAML, Markdown, HTML and template text against the loader, checker and renderer.

Nothing may raise anything but :class:`~memo.errors.MemoError`, and no output may hold a live
``<script>``, an event-handler attribute or a ``javascript:`` URL. CI runs about 2,800 examples
in about a minute on a loaded two-core machine. For a longer local run, scale every test's example count::

    MEMO_FUZZ_SCALE=50 .venv/bin/python -m pytest -q tests/test_fuzz.py

(``MEMO_FUZZ_SCALE=50`` is about 140,000 examples, roughly an hour on one core.)
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from memo.errors import MemoError
from memo.kinds import KINDS
from memo.load import load_project
from memo.models import Audience, Context, Position, ProjectConfig
from memo.render import html_to_markdown, make_environment, markdown_inline, neutralise, render_html
from memo.verify import verify
from memo.yamlfile import parse_yaml, validate

from .conftest import REPO

SCALE = max(1, int(os.environ.get("MEMO_FUZZ_SCALE", "1")))
POSITION_TEXT = (REPO / "positions" / "metternich-cooperation.yaml").read_text("utf-8")
CONTEXT_TEXT = (REPO / "context" / "actors.yaml").read_text("utf-8")
MEMO_YML = (REPO / "memo.yml").read_text("utf-8")


def fuzz(examples: int) -> Any:
    """Hypothesis settings for one fuzz test: ``examples`` in CI, times MEMO_FUZZ_SCALE locally."""
    return settings(max_examples=examples * SCALE, deadline=None, derandomize=SCALE == 1,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large])


# --------------------------------------------------------------------------- what "live" means

_EVENT = re.compile(r"^on", re.I)
_URL_KEYS = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcdoc"}


def assert_inert_html(html: str) -> None:
    """No element a browser would run: script, on* handler, javascript: URL (however spaced or encoded)."""
    page = BeautifulSoup(html, "html.parser")
    assert page.find(["script", "iframe", "object", "embed", "base"]) is None, html
    for tag in page.find_all(True):
        for key, value in tag.attrs.items():
            assert not _EVENT.match(key), f"event handler {key} in {tag}"
            text = " ".join(value) if isinstance(value, list) else str(value)
            squeezed = re.sub(r"[\x00-\x20\x7f]+", "", text).lower()
            if key.lower() in _URL_KEYS:
                assert not squeezed.startswith(("javascript:", "vbscript:", "data:text/html")), f"{key}={text!r} in {tag}"


def assert_inert_markdown(md: str) -> None:
    """No raw HTML and no javascript: link outside code spans (an autolink such as <https://…> is Markdown, not HTML)."""
    outside_code = re.sub(r"`+[^`]*`+", "", md)
    outside_code = re.sub(r"<https?://[^\s<>]+>", "", outside_code)
    assert not re.search(r"<[A-Za-z!/?]", outside_code), md
    assert not re.search(r"(?<!\\)\]\(\s*javascript:", outside_code, re.I), md


def assert_inert_docx(data: bytes) -> None:
    """A Word file with no macro part and no link out: hostile words may be there, but only as text."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert not [n for n in names if n.endswith(".bin")], names
        for name in names:
            text = archive.read(name).decode("utf-8", "replace").lower()
            if name.endswith(".rels"):
                assert "javascript:" not in text and 'targetmode="external"' not in text, name
            elif name.endswith(".xml"):
                assert not re.search(r"hyperlink[^<>]*javascript:", text), name


# --------------------------------------------------------------------------- strategies

HOSTILE = ["<script>alert(1)</script>", "</style><script>x</script>", "<img src=x onerror=alert(1)>", "javascript:alert(1)",
           "[x](javascript:alert(1))", "![i](https://example.org/x.png)", "<a href='jav&#x61;script:x'>a</a>", "\\", '"', "'",
           "{{ 7*7 }}", "{% raw %}", "*", "_", "`", "<!--", "-->", "&amp;", "&#0;", "\u202e", "\u200b", "e\u0301", "…", "...",
           "\x00", "\r\n", "\t", "<svg onload=alert(1)>", "<style>", "<<", ">>", "[[", "]]", "#", "> ", "- ", "1. ", "|", ":"]
YAML_BITS = [": ", "- ", "[", "]", "{", "}", "&a ", "*a", "!!python/object:os.system", "!!binary", "? ", "|", ">-", "#", "'",
             '"', "\n", "\n  ", "\t", "%YAML 1.1\n", "---\n", "...\n", "<<: *a", "~", "null", "true", "1e309", "0x1F", "2021-13-45"]

hostile_text = st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=8)), max_size=8).map("".join)


@st.composite
def mutated(draw: st.DrawFn, base: str, bits: list[str]) -> str:
    """``base`` with a few random insertions, deletions and replacements of YAML- and markup-significant text."""
    text = base
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = draw(st.one_of(st.sampled_from(bits), st.text(max_size=6)))
        span = draw(st.integers(0, 40))
        if action == "insert":
            text = text[:at] + piece + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + span:]
        else:
            text = text[:at] + piece + text[at + span:]
    return text


# --------------------------------------------------------------------------- the loader


@fuzz(400)
@given(st.one_of(st.text(max_size=300), mutated(POSITION_TEXT, YAML_BITS), mutated(CONTEXT_TEXT, YAML_BITS)))
def test_yaml_files_load_or_fail_cleanly(text: str) -> None:
    for model in (Position, Context, Audience):
        try:
            validate(parse_yaml(Path("fuzz.yaml"), text), model)
        except MemoError as exc:
            assert exc.problems and all(p.path == Path("fuzz.yaml") for p in exc.problems)


@fuzz(150)
@given(mutated(MEMO_YML, YAML_BITS))
def test_project_settings_load_or_fail_cleanly(text: str) -> None:
    with contextlib.suppress(MemoError):
        validate(parse_yaml(Path("memo.yml"), text), ProjectConfig)


@pytest.fixture(scope="module")
def small_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped source with one position and the context: quick to load and check whole."""
    root = tmp_path_factory.mktemp("fuzz-project")
    shutil.copy(REPO / "memo.yml", root / "memo.yml")
    for folder in ("seeds", "context"):
        shutil.copytree(REPO / folder, root / folder)
    (root / "positions").mkdir()
    return root


@fuzz(80)
@given(mutated(POSITION_TEXT, YAML_BITS + HOSTILE))
def test_the_checker_survives_mutated_positions(small_project: Path, text: str) -> None:
    (small_project / "positions" / "fuzz.yaml").write_text(text, "utf-8")
    try:
        verify(load_project(small_project))
    except MemoError as exc:
        assert exc.problems


# --------------------------------------------------------------------------- Markdown and HTML


@fuzz(900)
@given(hostile_text)
def test_framing_markdown_renders_inert(text: str) -> None:
    html, _ = neutralise(f"<main><p>{markdown_inline(text)}</p></main>", REPO)
    assert_inert_html(html)
    assert_inert_markdown(html_to_markdown(html))


TAGS = ["<script>", "</script>", "<SCRIPT SRC=x>", "<img src=x onerror=y>", "<a href=\"javascript:x\">", "<a href=' java\tscript:x'>",
        "<iframe>", "<svg><a xlink:href=javascript:x>", "<div onclick=x>", "<p style=\"background:url(http://x)\">",
        "<style>", "</style>", "<meta http-equiv=refresh content=0>", "<base href=http://x>", "<object data=x>", "<!--", "-->",
        "<![CDATA[", "]]>", "<", ">", "\"", "'", "=", " on", "load=", "<p>", "</p>", "<script/src=x>", "<scr<script>ipt>", "&#106;"]


@fuzz(800)
@given(st.lists(st.one_of(st.sampled_from(TAGS), st.text(max_size=5)), max_size=14).map("".join))
def test_neutralise_leaves_nothing_live(html: str) -> None:
    cleaned, _ = neutralise(html, REPO)
    assert_inert_html(cleaned)


# --------------------------------------------------------------------------- templates


@pytest.fixture(scope="module")
def rendering(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any, dict[str, Any]]:
    """A copy of the shipped project and one memo context to render fuzzed templates with."""
    root = tmp_path_factory.mktemp("fuzz-templates")
    for part in ("memo.yml", "seeds", "positions", "context", "documents"):
        source = REPO / part
        (shutil.copytree(source, root / part) if source.is_dir() else shutil.copy(source, root / part))
    (root / "templates").mkdir()
    project = load_project(root)
    spec = project.documents["tiangong-brief"]
    (document,) = KINDS["memo"].outputs(project, spec, project.audiences["students"])
    return root, project, {**document.context, "kind": "memo", "version": "0"}


JINJA = ["{{ title }}", "{{ title | safe }}", "{{ spec.subject | md }}", "{% for p in positions %}{{ p.title }}{% endfor %}",
         "{{ cycler.__init__.__globals__ }}", "{{ ''.__class__.__mro__ }}", "{{ 1 // 0 }}", "{{ 'a' * 9999999 }}", "{{ 9 ** 99999 }}",
         "{% include 'footer.html' %}", "{% include '/etc/passwd' %}", "{% include '../memo.yml' %}", "{% import 'macros.html' as m %}",
         "{{ nosuch }}", "{% if %}", "{{", "}}", "{%", "%}", "{#", "#}", "{{ range(10**9) | list }}", "{{ sections.append(1) }}",
         "{{ self }}", "{{ lipsum() }}", "{{ namespace() }}", "{{ title | truncate(5) | css_string }}", "{% set x = title %}{{ x }}"]


@fuzz(500)
@given(st.lists(st.one_of(st.sampled_from(JINJA), st.sampled_from(TAGS), st.text(max_size=5)), max_size=8).map("".join))
def test_fuzzed_templates_render_inert_or_fail_located(rendering: tuple[Path, Any, dict[str, Any]], source: str) -> None:
    root, project, context = rendering
    (root / "templates" / "fuzz.html").write_text(source, "utf-8")
    env = make_environment(project)
    try:
        html = render_html(env, "fuzz.html", context)
    except MemoError as exc:
        (problem,) = exc.problems
        assert problem.path is None or problem.path.name in {"fuzz.html", "footer.html", "macros.html"} or "memo" in str(problem.path)
        return
    cleaned, _ = neutralise(html, root)
    assert_inert_html(cleaned)
    assert "uid=" not in cleaned and "__globals__" not in cleaned.replace("{{ cycler.__init__.__globals__ }}", "")


# --------------------------------------------------------------------------- whole documents, every format


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz-build")
    for part in ("memo.yml", "seeds", "positions", "context", "documents"):
        source = REPO / part
        (shutil.copytree(source, root / part) if source.is_dir() else shutil.copy(source, root / part))
    return root


@settings(max_examples=6 * SCALE, deadline=None, derandomize=SCALE == 1, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(title=hostile_text, thesis=hostile_text)
def test_hostile_framing_builds_inert_documents(pipeline: Path, title: str, thesis: str) -> None:
    """Hostile framing text in a position, built to every format but PDF: nothing live in any output."""
    import yaml

    from memo.build import FORMATS, build

    path = pipeline / "positions" / "metternich-cooperation.yaml"
    data = yaml.safe_load(POSITION_TEXT)
    data["title"], data["thesis"] = title or "x", (thesis or "x").replace(".", ",") + "."
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    out = pipeline / "out"
    shutil.rmtree(out, ignore_errors=True)
    try:
        build(load_project(pipeline), audiences=["students"], formats=[f for f in FORMATS if f != "pdf"], out=out)
    except MemoError:
        return
    for file in out.rglob("*"):
        if file.suffix == ".html":
            assert_inert_html(file.read_text("utf-8"))
        elif file.suffix == ".md":
            assert_inert_markdown(file.read_text("utf-8"))
        elif file.suffix == ".docx":
            assert_inert_docx(file.read_bytes())
        elif file.is_file():  # Argdown and other text formats: Markdown-like, so held to the Markdown rule
            assert_inert_markdown(file.read_text("utf-8", "replace"))
