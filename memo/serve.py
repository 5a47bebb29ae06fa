"""``memo serve``: build HTML, serve it on localhost, rebuild on every save, reload the open page.

The build is the ordinary incremental one (only the documents a change
touches are rendered again), into the project's output folder. Pages are
served with a small script appended that listens for server-sent events
and reloads; the script exists only in what the server sends, never in the
built files. ``/__memo/pdf/<path>.pdf`` typesets a page's HTML on demand, as
a preview of the print version. The watcher is watchfiles; the server is the
standard library's, in a thread, bound to 127.0.0.1 only.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from .errors import MemoError, Problem, relative
from .load import CONFIG_NAMES

EVENTS = "/__memo/events"
PDF = "/__memo/pdf/"
RELOAD_SCRIPT = f"""<script>(() => {{
  const events = new EventSource("{EVENTS}");
  events.addEventListener("reload", () => location.reload());
  events.addEventListener("problems", (e) => {{
    let box = document.getElementById("memo-serve-problems");
    if (!box) {{
      box = document.createElement("pre");
      box.id = "memo-serve-problems";
      box.style.cssText = "position:fixed;left:0;right:0;bottom:0;margin:0;padding:1em;background:#fff;color:#000;"
        + "border-top:3px solid #000;max-height:40vh;overflow:auto;white-space:pre-wrap;z-index:9999";
      document.body.appendChild(box);
    }}
    box.textContent = e.data.split("\\\\n").join("\\n");
  }});
}})();</script>"""


@dataclass
class LiveState:
    """What the watcher tells open pages: a generation number that grows with every rebuild."""

    generation: int = 0
    problems: str = ""
    changed: threading.Condition = field(default_factory=threading.Condition)

    def publish(self, problems: str = "") -> None:
        with self.changed:
            self.generation += 1
            self.problems = problems
            self.changed.notify_all()


def _handler(folder: Path, state: LiveState, preview: Callable[[str], bytes]) -> type[SimpleHTTPRequestHandler]:
    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(folder), **kwargs)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the console shows builds, not requests."""

        def do_GET(self) -> None:
            path = unquote(urlparse(self.path).path)
            if path == EVENTS:
                self._events()
            elif path.startswith(PDF):
                self._pdf(path[len(PDF):])
            elif path == "/":
                self._send(HTTPStatus.OK, "text/html; charset=utf-8", _index(folder).encode("utf-8"))
            elif path.endswith(".html"):
                file = self._inside(path.lstrip("/"))
                if file is None:
                    self.send_error(HTTPStatus.NOT_FOUND)
                    return
                page = file.read_text("utf-8")
                at = page.rfind("</body>")
                page = page[:at] + RELOAD_SCRIPT + page[at:] if at >= 0 else page + RELOAD_SCRIPT
                self._send(HTTPStatus.OK, "text/html; charset=utf-8", page.encode("utf-8"))
            else:
                super().do_GET()

        def end_headers(self) -> None:
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

        def _inside(self, relative_path: str) -> Path | None:
            file = (folder / relative_path).resolve()
            try:
                file.relative_to(folder.resolve())
            except ValueError:
                return None
            return file if file.is_file() else None

        def _send(self, status: HTTPStatus, kind: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _pdf(self, name: str) -> None:
            file = self._inside(name.removesuffix(".pdf") + ".html")
            if file is None:
                self.send_error(HTTPStatus.NOT_FOUND)
                return
            self._send(HTTPStatus.OK, "application/pdf", preview(file.read_text("utf-8")))

        def _events(self) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            seen = state.generation
            try:
                self.wfile.write(b": connected\n\n")
                self.wfile.flush()
                while True:
                    with state.changed:
                        state.changed.wait_for(lambda last=seen: state.generation != last, timeout=15)
                        generation, problems = state.generation, state.problems
                    if generation == seen:
                        self.wfile.write(b": still here\n\n")
                    elif problems:
                        data = problems.replace("\n", "\\n")
                        self.wfile.write(f"event: problems\ndata: {data}\n\n".encode())
                    else:
                        self.wfile.write(f"event: reload\ndata: {generation}\n\n".encode())
                    seen = generation
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return

    return Handler


def _index(folder: Path) -> str:
    """A contents page: every built HTML document, with a link to its PDF preview."""
    rows = []
    for page in sorted(folder.rglob("*.html")):
        name = page.relative_to(folder).as_posix()
        quoted = html.escape(name, quote=True)
        preview = html.escape(PDF + name.removesuffix(".html") + ".pdf", quote=True)
        rows.append(f'<li><a href="/{quoted}">{html.escape(name)}</a> (<a href="{preview}">PDF preview</a>)</li>')
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>memo serve</title></head><body>"
            f"<h1>memo serve</h1><ul>{''.join(rows)}</ul>{RELOAD_SCRIPT}</body></html>")


class Server:
    """Build, serve and watch one project until stopped."""

    def __init__(self, root: Path, audiences: Sequence[str] = (), kinds: Sequence[str] = (), out: Path | None = None,
                 port: int = 8000, say: Callable[[str], None] = print) -> None:
        self.root, self.audiences, self.kinds, self.say = root, tuple(audiences), tuple(kinds), say
        self.state = LiveState()
        self.stop_event = threading.Event()
        self._pdf_lock = threading.Lock()
        from .load import load_project

        project = load_project(root)
        self.out = out or project.output_dir
        config = project.config
        folders = (config.sources_dir, config.positions_dir, config.context_dir, config.documents_dir, config.audiences_dir,
                   config.templates_dir)
        self.watched = [p for p in (*(project.path(f) for f in folders), *(root / n for n in CONFIG_NAMES)) if p.exists()]
        try:
            self.httpd = ThreadingHTTPServer(("127.0.0.1", port), _handler(self.out, self.state, self.preview))
        except OSError as exc:
            raise MemoError([Problem(None, f"cannot serve on port {port}: {exc.strerror}",
                                     hint="another program uses it: pick another with --port, or --port 0 for any free one")]) from None
        self.httpd.daemon_threads = True

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def rebuild(self) -> bool:
        """Build what changed; tell open pages to reload, or show them the problems. True when it built."""
        from .build import build
        from .load import load_project

        try:
            report = build(load_project(self.root), self.audiences, self.kinds, formats=("html",), out=self.out, jobs=1)
        except MemoError as exc:
            text = "\n".join(problem.render(self.root) for problem in exc.problems)
            self.say(f"{text}\nmemo: {len(exc.problems)} problem(s); still serving the last good build.")
            self.state.publish(text)
            return False
        for path in report.written:
            self.say(f"built {relative(path, self.root)}")
        self.state.publish()
        return True

    def preview(self, page: str) -> bytes:
        """A served page typeset to PDF, on demand (one at a time: the typesetter is shared)."""
        from .build import _typesetter
        from .load import load_project

        with self._pdf_lock:
            return _typesetter(load_project(self.root)).typeset(page).pdf

    def _watched(self, change: Any, path: str) -> bool:
        """Project files only: not editors' temporaries, not memo's own output."""
        candidate = Path(path)
        if candidate.name.startswith(".") or candidate.name.endswith(("~", ".swp", ".part", ".tmp")):
            return False
        try:
            candidate.resolve().relative_to(self.out.resolve())
        except ValueError:
            return True
        return False

    def serve_forever(self) -> None:
        from watchfiles import watch

        self.rebuild()
        thread = threading.Thread(target=self.httpd.serve_forever, name="memo-serve-http", daemon=True)
        thread.start()
        self.say(f"serving {self.url} (Ctrl-C to stop)")
        try:
            for _ in watch(*self.watched, watch_filter=self._watched, stop_event=self.stop_event, debounce=200, step=50,
                           raise_interrupt=True):
                self.rebuild()
        finally:
            self.httpd.shutdown()
            self.httpd.server_close()
