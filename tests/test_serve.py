"""`memo serve` in a real headless Chromium, driven over the Chrome DevTools protocol.

The test starts `memo serve` and Chromium itself, opens a served page, edits a position on disk and
waits (bounded) until the open page shows the edit: the page reloads itself, nobody reloads it.
Both processes are stopped at the end, whatever happens.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

websockets_sync = pytest.importorskip("websockets.sync.client")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PAGE = "students/memo/tiangong-brief.html"
TIMEOUT = 90.0

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium (scripts/setup.sh --test installs it)")


def _line_matching(stream: Any, pattern: str, deadline: float) -> re.Match[str]:
    """Read a process's output until a line matches (bounded by ``deadline``)."""
    while time.monotonic() < deadline:
        line = stream.readline()
        if not line:
            time.sleep(0.05)
            continue
        found = re.search(pattern, line)
        if found:
            return found
    raise AssertionError(f"no line matching {pattern!r} in time")


def _stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


@pytest.fixture
def served(project_dir: Path) -> Iterator[tuple[Path, str, subprocess.Popen[str]]]:
    server = subprocess.Popen([sys.executable, "-m", "memo", "--project", str(project_dir), "serve", "-a", "students", "-k", "memo",
                               "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    try:
        url = _line_matching(server.stdout, r"serving (http://127\.0\.0\.1:\d+/)", time.monotonic() + TIMEOUT).group(1)
        yield project_dir, url, server
    finally:
        _stop(server)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[str]:
    """Headless Chromium with a DevTools endpoint; yields the browser's websocket URL."""
    process = subprocess.Popen([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                                f"--user-data-dir={tmp_path / 'chromium'}", "--remote-debugging-port=0", "about:blank"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, bufsize=1)
    try:
        yield _line_matching(process.stderr, r"DevTools listening on (ws://\S+)", time.monotonic() + TIMEOUT).group(1)
    finally:
        _stop(process)


@contextlib.contextmanager
def open_page(browser_ws: str, url: str) -> Iterator[Page]:
    """A new tab showing ``url``; closed afterwards."""
    with websockets_sync.connect(browser_ws, max_size=None) as connection:
        connection.send(json.dumps({"id": 1, "method": "Target.createTarget", "params": {"url": "about:blank"}}))
        target = Page.answer(connection, 1)["targetId"]
    host = re.match(r"ws://([^/]+)/", browser_ws).group(1)  # type: ignore[union-attr]
    with websockets_sync.connect(f"ws://{host}/devtools/page/{target}", max_size=None) as connection:
        page = Page(connection)
        page.call("Page.navigate", url=url)
        yield page


class Page:
    """One browser tab over the DevTools protocol (just enough of it: navigate and evaluate)."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.next_id = 10

    @staticmethod
    def answer(connection: Any, wanted: int) -> dict[str, Any]:
        while True:
            message = json.loads(connection.recv(timeout=TIMEOUT))
            if message.get("id") == wanted:
                assert "error" not in message, message
                return message.get("result", {})

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        self.connection.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        return self.answer(self.connection, self.next_id)

    def evaluate(self, expression: str) -> Any:
        return self.call("Runtime.evaluate", expression=expression, returnByValue=True)["result"].get("value")

    def wait_for(self, expression: str, what: str) -> Any:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.2)
        raise AssertionError(f"the page never showed {what}")


def test_the_open_page_reloads_itself_after_an_edit(served: tuple[Path, str, subprocess.Popen[str]], browser: str) -> None:
    project, url, _ = served
    with open_page(browser, url + PAGE) as page:
        page.wait_for("document.readyState === 'complete' && document.title.length > 0", "the memo")
        assert "compete or cooperate?" in page.evaluate("document.body.innerText")
        page.evaluate("window.memoTestMarker = 'still the first load'")
        spec = project / "documents" / "tiangong-brief.yaml"
        text = spec.read_text("utf-8")
        spec.write_text(text.replace('\ntitle: "', '\ntitle: "Edited while the page is open: ', 1), "utf-8")
        page.wait_for("document.body.innerText.includes('Edited while the page is open')", "the edited title")
        assert page.evaluate("window.memoTestMarker === undefined")  # a fresh load, made by the page itself
    built = (project / "build" / PAGE).read_text("utf-8")
    assert "Edited while the page is open" in built
    assert "EventSource" not in built and "<script" not in built  # the reload snippet is served, never built


def test_a_broken_edit_shows_its_problem_on_the_page(served: tuple[Path, str, subprocess.Popen[str]], browser: str) -> None:
    project, url, _ = served
    with open_page(browser, url + PAGE) as page:
        page.wait_for("document.readyState === 'complete' && document.title.length > 0", "the memo")
        (project / "positions" / "broken.yaml").write_text("id: broken\ntitle: [unclosed\n", "utf-8")
        shown = page.wait_for("(document.getElementById('memo-serve-problems') || {}).textContent", "the problem")
        assert "positions/broken.yaml:" in shown


def test_pdf_preview_and_contents_page(served: tuple[Path, str, subprocess.Popen[str]]) -> None:
    _, url, _ = served
    with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
        contents = response.read().decode("utf-8")
    assert f'href="/{PAGE}"' in contents and "PDF preview" in contents
    with urllib.request.urlopen(url + "__memo/pdf/" + PAGE.replace(".html", ".pdf"), timeout=TIMEOUT) as response:
        assert response.headers["Content-Type"] == "application/pdf"
        assert response.read().startswith(b"%PDF-")
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(url + "__memo/pdf/../../memo.yml.pdf", timeout=TIMEOUT)
