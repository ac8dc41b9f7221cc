"""The traffic tab: every request, where it waits, and its age against its legal limit."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from tte.client.model import channel_name
from tte.i18n import N_, _, current

from ..safe import inert_text
from .fmt import clip, format_duration, short_seat
from .table import Cell, KeyedTable
from .view import ConsoleView, RequestRow

# A request's state as the core names it, in the reader's language.
REQUEST_STATUS = {
    "draft": N_("draft"),
    "sent": N_("sent"),
    "received": N_("received"),
    "executing": N_("executing"),
    "returned": N_("returned"),
    "fulfilled": N_("fulfilled"),
    "refused": N_("refused"),
    "expired": N_("expired"),
    "withdrawn": N_("withdrawn"),
}


def status_word(status: str) -> str:
    """A request's state in the reader's language."""
    return _(REQUEST_STATUS.get(status, status))


STATE_STYLE = {
    "fulfilled": "green",
    "refused": "red",
    "expired": "bold red",
    "withdrawn": "dim",
    "returned": "yellow",
}


class TrafficPane(Vertical):
    BINDINGS = [
        Binding("enter", "app.respond", N_("Answer"), show=False),
    ]

    def compose(self) -> ComposeResult:
        # The columns a facilitator acts on come first, so at 80 columns the row still
        # says what, where it waits, its state and its deadline (the rest scrolls, and the
        # detail under the table names everything in full). Fits 160 columns whole.
        self.table = KeyedTable(
            [
                (N_("ID"), "id", 5),
                (N_("Request"), "template", 20),
                (N_("Waits at"), "at", 16),
                (N_("State"), "state", 10),
                (N_("Deadline"), "deadline", 11),
                (N_("Age"), "age", 7),
                (N_("From"), "from", 9),
                (N_("Target"), "target", 14),
                (N_("Channel"), "channel", 14),
                (N_("Last by"), "last", 14),
            ],
            id="traffic-table",
        )
        yield self.table
        self.detail = Static("", id="traffic-detail", classes="detail")
        yield self.detail

    @property
    def current(self) -> str | None:
        return self.table.current_key

    def sync(self, view: ConsoleView, keys: set[str]) -> None:
        now = view.now()
        known = set(self.table.row_keys())
        new = [k for k in keys if k not in known]
        for rid in sorted(keys, key=_order):
            if rid in view.requests:
                self.table.upsert(rid, _cells(view, view.requests[rid], now))
        if new or self.current in keys:
            self.show_detail(view)

    def refresh_ages(self, view: ConsoleView) -> None:
        """Age and deadline move with the clock: redraw them for open requests only."""
        now = view.now()
        for rid, row in view.requests.items():
            if row.open:
                self.table.upsert(rid, _cells(view, row, now))

    def show_detail(self, view: ConsoleView) -> None:
        rid = self.current
        row = view.requests.get(rid) if rid else None
        detail = self.detail
        if row is None:
            detail.update("")
            return
        s = row.req
        out = Text()
        out.append(f"{row.id} {_title(view, s.template)} ", style="bold")
        out.append(
            _("from {sender} to {target}").format(sender=s.sender, target=party(view, s.target.ref))
            + "\n"
        )
        route = " → ".join(
            ("[" + party(view, st.ref) + "]" if i == s.stop else party(view, st.ref))
            for i, st in enumerate(s.route)
        )
        out.append(_("Route: {route}").format(route=route) + "\n", style="dim")
        channel = channel_name(view.info.get("channels") or {}, s.channel)
        state = _(REQUEST_STATUS.get(row.status, row.status))
        moving = _(", on its way") if s.in_transit and row.open else ""
        out.append(
            _("State: {state}{moving}; channel {channel}; last by {by}").format(
                state=state, moving=moving, channel=channel, by=view.who(row.last_by)
            )
            + "\n"
        )
        if s.evidence:
            titles = [view.text(view.items[e].title) if e in view.items else e for e in s.evidence]
            out.append(_("Evidence: {items}").format(items="; ".join(titles)) + "\n")
        if s.message:
            key = s.message_key if isinstance(s.message_key, str) else None
            params = s.message_params if isinstance(s.message_params, dict) else {}
            said = {"message": s.message, "message_key": key, "message_params": params}
            message = current().message(said)
            out.append(_("Message: {message}").format(message=clip(message, 200)) + "\n")
        if s.missing:
            names = _labels(view, s.template)
            missing = ", ".join(names.get(m, m) for m in s.missing)
            out.append(_("Missing: {fields}").format(fields=missing) + "\n", style="yellow")
        fields = s.fields
        if fields:
            labels = _labels(view, s.template)
            out.append(
                "; ".join(f"{labels.get(k, k)}: {clip(str(v), 40)}" for k, v in fields.items()),
                style="dim",
            )
        detail.update(inert_text(out))


def _order(rid: str) -> tuple[int, str]:
    digits = rid.lstrip("R")
    return (int(digits), rid) if digits.isdigit() else (1 << 30, rid)


def _title(view: ConsoleView, tid: str) -> str:
    for t in view.info.get("templates", []):
        if t.get("id") == tid:
            return _(str(t.get("title", tid)))
    return tid


def party(view: ConsoleView, ref: str) -> str:
    """A stop as people call it: a provider's or a body's name, a seat in short."""
    for key in ("organisations", "bodies"):
        for o in view.info.get(key) or []:
            if o.get("id") == ref:
                return str(o.get("name") or ref)
    return short_seat(ref)


def _labels(view: ConsoleView, tid: str) -> dict[str, str]:
    """A template's field names with their labels, as the players' forms show them."""
    for t in view.info.get("templates", []):
        if t.get("id") == tid:
            return {str(f.get("name")): str(f.get("label")) for f in t.get("fields", [])}
    return {}


def waits_at(view: ConsoleView, row: RequestRow) -> str:
    if not row.open:
        return "—"
    stop = row.stop
    ref = stop.ref
    short = clip(party(view, ref), 12)
    if row.req.in_transit:
        return f"→ {short}"  # on its way there (channel delay)
    if stop.kind == "seat":
        seat = view.seats.get(ref)
        who = _("person") if seat is not None and seat.human else _("desk")
        return f"{short} ({who})"
    return short


def _cells(view: ConsoleView, r: RequestRow, now: float) -> list[Cell]:
    s = r.req
    created = s.created
    end = s.answered_at if not r.open else None
    age = (end if end is not None else now) - created
    if r.limit:
        left = created + r.limit - now
        if r.open:
            style = "bold red" if left < 0 else ("yellow" if left < r.limit * 0.2 else "")
            deadline = Text(
                _("{span} left").format(span=format_duration(left)) if left >= 0 else _("overdue"),
                style=style,
            )
        else:
            late = age > r.limit  # closed: was it answered within its legal limit?
            deadline = Text(_("missed") if late else _("met"), style="red" if late else "dim")
    else:
        deadline = Text("—", style="dim")
    return [
        r.id,
        clip(_title(view, s.template), 20),
        waits_at(view, r),
        Text(_(REQUEST_STATUS.get(r.status, r.status)), style=STATE_STYLE.get(r.status, "")),
        deadline,
        format_duration(age),
        short_seat(s.sender),
        clip(party(view, s.target.ref), 14),
        clip(channel_name(view.info.get("channels") or {}, s.channel), 14),
        clip(short_seat(r.last_by), 14),
    ]
