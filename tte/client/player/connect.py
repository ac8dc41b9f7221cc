"""The connect screen (server and join code) and the remembered last server."""

from __future__ import annotations

from pathlib import Path

import platformdirs
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Static

from tte.i18n import _

from .composer import FieldError
from .safe import plain

LAST_SERVER = "last_server"


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir("tte"))


def load_last_server(directory: Path | None = None) -> str:
    try:
        return (directory or config_dir()).joinpath(LAST_SERVER).read_text("utf-8").strip()
    except OSError:
        return ""


def save_last_server(url: str, directory: Path | None = None) -> None:
    d = directory or config_dir()
    try:
        d.mkdir(parents=True, exist_ok=True)
        d.joinpath(LAST_SERVER).write_text(url.strip() + "\n", "utf-8")
    except OSError:
        pass  # remembering is a convenience, never a reason to fail


def server_problem(text: str) -> str:
    """Why `text` is not a server address a player can join, or "" if it is one
    (``HOST``, ``HOST:PORT`` or ``ws://``/``wss://`` URLs)."""
    t = text.strip()
    low = t.lower()
    if low.startswith(("http://", "https://")):
        scheme = "wss" if low.startswith("https") else "ws"
        rest = t.split("://", 1)[1]
        return _("tte speaks WebSocket, not HTTP: try {url}").format(url=f"{scheme}://{rest}")
    for scheme in ("wss", "ws"):
        if low.startswith(scheme) and not low.startswith(scheme + "://"):
            after = t[len(scheme) :].lstrip(":/")
            if low[len(scheme) : len(scheme) + 1] in (":", "/"):
                return _("Write {scheme}:// with a colon and two slashes: {url}").format(
                    scheme=scheme, url=f"{scheme}://{after}"
                )
    if "://" in t and not low.startswith(("ws://", "wss://")):
        return _("The address starts with ws:// (or wss://), or is just HOST:PORT")
    host = t.split("://", 1)[-1].split("/", 1)[0]
    if not host or host.startswith(":") or " " in t:
        return _("Enter the server's address, e.g. 192.168.1.10:8765")
    return ""


class ConnectScreen(Screen[tuple[str, str]]):
    DEFAULT_CSS = """
    ConnectScreen { align: center middle; }
    ConnectScreen > Vertical {
        width: 64; height: auto; border: thick $accent; padding: 1 2; background: $surface;
    }
    ConnectScreen Label { margin-top: 1; text-style: bold; }
    ConnectScreen Button { margin-top: 1; width: 100%; }
    """

    def __init__(
        self,
        server: str = "",
        code: str = "",
        error: str = "",
        wrong: str = "",
        *,
        fixed: bool = False,
    ) -> None:
        """`wrong`: the field the error is about ("server" or "code"), focused first.
        `fixed`: the server cannot be changed (the SSH gateway's sessions)."""
        super().__init__()
        self.server, self.code, self.error = server, code, error
        self.wrong = wrong
        self.fixed = fixed and bool(server)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(plain(_("tte — join the exercise"), "bold"))
            yield Label(_("Server"))
            yield Input(
                self.server,
                placeholder=_("e.g. 192.168.1.10:8765"),
                id="server",
                disabled=self.fixed,
            )
            yield Label(_("Join code"))
            yield Input(self.code, placeholder=_("e.g. K7QX-3MPD-9W"), id="code")
            yield FieldError(id="err-connect")
            yield Button(_("Join"), variant="primary", id="join")
        yield Footer()

    def on_mount(self) -> None:
        first = self.wrong or ("code" if self.server else "server")
        if self.fixed:  # the server field cannot take focus: Enter in the code retries
            first = "code"
        self.query_one(f"#{first}", Input).focus()
        if self.error:
            self.query_one("#err-connect", FieldError).say(self.error)

    @on(Input.Submitted)
    @on(Button.Pressed, "#join")
    def _join(self) -> None:
        server = self.server if self.fixed else self.query_one("#server", Input).value.strip()
        code = self.query_one("#code", Input).value.strip()
        error = self.query_one("#err-connect", FieldError)
        problem = server_problem(server)
        if problem:
            error.say(problem)
            self.query_one("#server", Input).focus()
            return
        if not code:
            error.say(_("Enter your join code"))
            self.query_one("#code", Input).focus()
            return
        self.dismiss((server, code))
