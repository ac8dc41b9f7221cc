"""The inbox: injects, incoming requests and answers, newest first, unread marked."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Label, ListItem, ListView, Markdown, Static

from tte.client.model import ClientModel, InboxItem
from tte.i18n import _, current

from .header import LONG_CLOCK, clock_words
from .safe import inert, one_line, plain

ICONS = {"inject": "✉", "request": "⇢", "answer": "⇠", "info": "ℹ", "facilitator": "⚑"}


class InboxRow(ListItem):
    def __init__(self, item: InboxItem, when: str) -> None:
        super().__init__(id=None)
        self.key = item.key
        mark = "● " if item.unread else "  "
        icon = ICONS.get(item.kind, "·")
        line = Text(mark, style="bold yellow")
        line.append(f"{when} {icon} ", style="dim")
        line.append(one_line(item.title, 70), style="bold" if item.unread else "")
        self._line = line

    def compose(self) -> ComposeResult:
        yield Label(self._line)


class InboxPane(Horizontal):
    """List on one side (top when narrow), the selected item in full on the other."""

    DEFAULT_CSS = """
    InboxPane { height: 1fr; }
    InboxPane > ListView { width: 1fr; height: 1fr; border-right: vkey $panel; }
    InboxPane > #inbox-detail { width: 2fr; height: 1fr; padding: 0 1; }
    InboxPane #inbox-empty { color: $text-muted; padding: 1 2; }
    InboxPane .attachment-name { text-style: bold; margin-top: 1; color: $accent; }
    InboxPane .attachment { background: $boost; padding: 0 1; }
    InboxPane #inbox-open { margin-top: 1; }
    """

    class OpenRequest(Message):
        def __init__(self, request_id: str) -> None:
            super().__init__()
            self.request_id = request_id

    def __init__(self) -> None:
        super().__init__(id="inbox")
        self.model: ClientModel | None = None
        self.selected: str | None = None
        self._shown: list[tuple[str, bool]] = []

    def compose(self) -> ComposeResult:
        yield ListView(id="inbox-list")
        with VerticalScroll(id="inbox-detail"):
            yield Static(
                Text(
                    _(
                        "Nothing yet: injects and requests appear here. "
                        "Meanwhile, read your briefing (F8)."
                    ),
                    style="dim",
                ),
                id="inbox-head",
            )
            yield Markdown(id="inbox-markdown")
            yield Static(id="inbox-text")
            yield Button("Open in Cases", id="inbox-open")

    def on_mount(self) -> None:
        self.query_one("#inbox-open").display = False
        self.query_one("#inbox-markdown").display = False

    def show(self, model: ClientModel) -> None:
        self.model = model
        items = model.inbox_newest_first()
        shape = [(i.key, i.unread) for i in items]
        if shape == self._shown:
            return
        self._shown = shape
        lv = self.query_one("#inbox-list", ListView)
        index = lv.index
        lv.clear()
        for i in items:
            lv.append(InboxRow(i, current().datetime(model.seat_datetime(i.t), "dd MMM HH:mm")))
        if items:
            lv.index = min(index or 0, len(items) - 1)
            if self.selected is None:
                self.open(items[0].key, mark=False)

    @on(ListView.Selected, "#inbox-list")
    @on(ListView.Highlighted, "#inbox-list")
    def _pick(self, event: ListView.Selected | ListView.Highlighted) -> None:
        if isinstance(event.item, InboxRow):
            self.open(event.item.key, mark=isinstance(event, ListView.Selected))

    def open(self, key: str, mark: bool = True) -> None:
        """Show an item in full; reading it (selecting) marks it read."""
        if self.model is None:
            return
        item = self.model.inbox_item(key)
        if item is None:
            return
        self.selected = key
        if mark and item.unread:
            self.model.mark_read(key)
            self.app.call_later(self.show, self.model)
            self.app.call_later(self.app.refresh_header)  # type: ignore[attr-defined]
        when = clock_words(self.model.seat_datetime(item.t), LONG_CLOCK)
        head = plain(item.title, "bold")
        head.append("\n" + when, style="dim")
        self.query_one("#inbox-head", Static).update(head)
        md = self.query_one("#inbox-markdown", Markdown)
        md.display = item.kind == "inject"
        md.update(inert(item.text) if item.kind == "inject" else "")
        body = Text() if item.kind == "inject" else plain(item.text)
        for a in item.attachments:
            body.append("\n📎 " + inert(a.name) + "\n", style="bold")
            body.append(inert(a.text.rstrip("\n")) + "\n", style="on grey15")
        self.query_one("#inbox-text", Static).update(body)
        button = self.query_one("#inbox-open", Button)
        button.display = bool(item.request_id)
        button.label = _("Open {id} in Cases").format(id=item.request_id)

    @on(Button.Pressed, "#inbox-open")
    def _open_request(self) -> None:
        if self.model and self.selected:
            item = self.model.inbox_item(self.selected)
            if item and item.request_id:
                self.post_message(self.OpenRequest(item.request_id))
