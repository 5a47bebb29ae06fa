"""``memo doctor``: is this machine ready to build, and to run the test suite?

Each check says what it found and, when something is wrong, the command
that fixes it. Required checks decide the exit code; optional ones (the
validators and browser the test suite uses) only advise.
"""

from __future__ import annotations

import ctypes.util
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

SETUP = "bash scripts/setup.sh"


@dataclass(frozen=True)
class Finding:
    name: str
    ok: bool
    detail: str
    fix: str | None = None
    required: bool = True


def _python() -> Finding:
    version = ".".join(map(str, sys.version_info[:3]))
    return Finding("Python", sys.version_info >= (3, 10), version, "install Python 3.10 or newer (Debian: apt-get install python3)")


def _weasyprint() -> Finding:
    try:
        import weasyprint
    except Exception as exc:  # missing system libraries surface as OSError at import
        return Finding("WeasyPrint", False, f"cannot be imported: {exc}", f"{SETUP} (installs Pango, HarfBuzz and fontconfig)")
    return Finding("WeasyPrint", True, weasyprint.__version__)


def _pango() -> Finding:
    try:
        from weasyprint.text.ffi import pango
    except Exception as exc:
        return Finding("Pango", False, str(exc), "apt-get install libpango-1.0-0 libpangoft2-1.0-0")
    version = pango.pango_version()
    text = f"{version // 10000}.{version // 100 % 100}.{version % 100}"
    return Finding("Pango", version >= 14400, text, "Pango 1.44 or newer is needed: apt-get install libpango-1.0-0")


def _library(name: str, package: str, why: str) -> Callable[[], Finding]:
    def check() -> Finding:
        found = ctypes.util.find_library(name)
        return Finding(f"lib{name}", found is not None, found or "not found", f"apt-get install {package} ({why})", required=False)

    return check


def _program(name: str, fix: str, why: str) -> Callable[[], Finding]:
    def check() -> Finding:
        found = shutil.which(name)
        return Finding(name, found is not None, found or f"not found ({why})", fix, required=False)

    return check


def _npm_tool(name: str, path: str) -> Callable[[], Finding]:
    def check() -> Finding:
        found = Path(path)
        return Finding(name, found.exists(), str(found) if found.exists() else "not found (used by the test suite)",
                       f"{SETUP} --test", required=False)

    return check


def _writable(folder: Path) -> Finding:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder):
            pass
    except OSError as exc:
        return Finding("output folder", False, f"{folder}: {exc.strerror}", "choose a writable folder with --out, or fix its permissions")
    return Finding("output folder", True, f"{folder} is writable")


FONTS = Path(__file__).parent / "assets" / "fonts"


def _fonts(text: str) -> list[Finding]:
    from fontTools.ttLib import TTFont

    findings = []
    wanted = {ch for ch in text if not ch.isspace() and ch.isprintable()}
    for font, file in (("serif", "NotoSerif-Regular.ttf"), ("sans", "NotoSans-Regular.ttf")):
        face = TTFont(str(FONTS / file), lazy=True)
        try:
            covered = set(face.getBestCmap())
        finally:
            face.close()
        missing = sorted(ch for ch in wanted if ord(ch) not in covered)
        shown = " ".join(f"{c} (U+{ord(c):04X})" for c in missing[:8])
        detail = f"no glyph for {shown}" if missing else "every character of the project"
        findings.append(Finding(f"{font} font coverage", not missing, detail,
                                "add a font that has them in templates/assets/fonts and name it in a project style", required=False))
    return findings


def diagnose(project_text: str | None = None, output: Path | None = None, tools: Path | None = None) -> list[Finding]:
    """Every check, in the order a person would fix them."""
    tools = tools or Path.cwd() / ".tools"
    findings = [_python(), _weasyprint(), _pango(),
                _library("harfbuzz-subset", "libharfbuzz-subset0", "halves font subsetting time")()]
    if output is not None:
        findings.append(_writable(output))
    if project_text is not None:
        findings.extend(_fonts(project_text))
    findings += [
        _program("java", "apt-get install default-jre-headless", "runs the Nu HTML checker in the tests")(),
        _npm_tool("Nu HTML checker", str(tools / "node_modules/vnu-jar/build/dist/vnu.jar"))(),
        _npm_tool("Argdown parser", str(tools / "node_modules/.bin/argdown"))(),
        _program("chromium", "apt-get install chromium", "drives the `memo serve` browser test")(),
        _program("qpdf", "apt-get install qpdf", "checks PDFs in the tests")(),
        _program("pdftoppm", "apt-get install poppler-utils", "renders pages for contact sheets")(),
    ]
    return findings


def project_text(project: object) -> str:
    """Every character the project's documents may print: sources, positions, context, documents."""
    parts: list[str] = []
    for source in project.sources.values():  # type: ignore[attr-defined]
        parts.extend([source.meta.title, str(source.meta.author), *source.key_points, *source.paragraphs])
    for path in project.files:  # type: ignore[attr-defined]
        parts.append(Path(path).read_text("utf-8", errors="replace"))
    return "\n".join(parts) if parts else os.linesep
