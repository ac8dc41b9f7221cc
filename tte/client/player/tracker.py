"""The case tracker: every request this seat sent or handles, its life cycle and outcome,
with the role's actions on the ones waiting here."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, DataTable, Static
from textual.widgets.button import ButtonVariant

from tte.client.model import STATUS_LABELS, ClientModel, RequestView, format_span
from tte.i18n import N_, _, current
from tte.i18n.cite import bare_title, basis_text

from .lazy import BuiltWhenShown
from .safe import columns, inert, plain
from .table import Table

EVENT_WORDS = {
    "request_submitted": N_("submitted"),
    "request_forwarded": N_("forwarded"),
    "request_arrived": N_("arrived"),
    "request_returned": N_("returned"),
    "request_amended": N_("amended and resent"),
    "request_refused": N_("refused"),
    "request_fulfilled": N_("fulfilled"),
    "request_expired": N_("expired"),
    "request_withdrawn": N_("withdrawn"),
}


def status_text(model: ClientModel, r: RequestView) -> Text:
    label = _(STATUS_LABELS.get(r.status, r.status))
    style = {
        "fulfilled": "green",
        "refused": "red",
        "returned": "yellow",
        "expired": "red",
    }.get(r.status, "")
    if r.in_transit:
        label += " →"
    if model.waiting_here(r):
        return Text(_("▶ YOUR MOVE"), style="bold reverse yellow")
    return Text(label, style=style)


ACTION_WORDS = {
    "forward": N_("Forward"),
    "answer": N_("Answer"),
    "return": N_("Return"),
    "refuse": N_("Refuse"),
    "amend": N_("Amend"),
}
ACTIONS: tuple[tuple[str, ButtonVariant], ...] = (
    ("forward", "success"),
    ("answer", "primary"),
    ("return", "warning"),
    ("refuse", "error"),
    ("amend", "primary"),
)


class Decide(Message):
    """The user chose a decision on a request (forward/return/refuse/answer/amend)."""

    def __init__(self, request_id: str, decision: str) -> None:
        super().__init__()
        self.request_id = request_id
        self.decision = decision


class TrackerPane(BuiltWhenShown, Horizontal):
    DEFAULT_CSS = """
    TrackerPane { height: 1fr; }
    TrackerPane > DataTable { width: 3fr; height: 1fr; }
    TrackerPane > #case-detail { width: 2fr; height: 1fr; padding: 0 1; border-left: vkey $panel; }
    TrackerPane #case-actions { height: auto; margin: 1 0; }
    TrackerPane #case-actions Button { margin-right: 1; min-width: 10; }
    TrackerPane .muted { color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__(id="tracker")
        self.model: ClientModel | None = None
        self.selected: str | None = None
        self._select: str | None = None  # asked for before the table was there

    def compose_pane(self) -> ComposeResult:
        table = Table[Text](id="cases", cursor_type="row", zebra_stripes=True)
        yield table
        with VerticalScroll(id="case-detail"):
            yield Static(Text(_("No requests yet."), style="dim"), id="case-head")
            with Horizontal(id="case-actions"):
                for act, variant in ACTIONS:
                    yield Button(_(ACTION_WORDS[act]), variant=variant, id=f"act-{act}")
            yield Static(id="case-body")

    def after_build(self) -> None:
        t = self.query_one("#cases", DataTable)
        self.query_one("#case-actions").display = False
        # What a player acts on first, so 80 columns show it: what, its state and deadline,
        # where it is now; then to whom and since when.
        names = (N_("Id"), N_("Request"), N_("State"), N_("Deadline"), N_("Now at"), N_("To"))
        t.add_columns(*columns(*[_(n) for n in names], _("Age")))

    def show(self, model: ClientModel, now: float) -> None:
        self.model = model
        if not self.built:
            return
        t = self.query_one("#cases", DataTable)
        row = t.cursor_row
        t.clear()
        for r in model.requests_newest_first():
            tpl = model.templates.get(r.template)
            deadline = r.deadline
            dl = Text("—", style="dim")
            if deadline is not None and not r.closed:
                left = deadline - now
                dl = Text(
                    format_span(left) if left > 0 else _("passed"),
                    style="red" if left < 86400 else "",
                )
            t.add_row(
                Text(str(r.id), style="bold"),
                plain(basis_text(tpl.basis) if tpl else r.template, limit=16),
                status_text(model, r),
                dl,
                plain(model.stop_label(r.route[r.stop]), limit=22),
                plain(model.stop_label(r.target), limit=22),
                Text(format_span(now - float(r.created))),
                key=str(r.id),
            )
        if t.row_count:
            t.move_cursor(row=min(row, t.row_count - 1))
        if self._select is not None:
            rid, self._select = self._select, None
            self.select(rid)
        elif self.selected in model.requests:
            self.detail(self.selected, now)
        elif model.requests:
            self.detail(model.requests_newest_first()[0].id, now)

    def select(self, rid: str) -> None:
        if not self.built:
            self._select = rid  # the first show() selects it
            return
        t = self.query_one("#cases", DataTable)
        try:
            t.move_cursor(row=t.get_row_index(rid))
        except Exception:
            return
        if self.model:
            self.detail(rid, self.model.now())

    @on(DataTable.RowHighlighted, "#cases")
    def _row(self, event: DataTable.RowHighlighted) -> None:
        if self.model and event.row_key.value and event.row_key.value != self.selected:
            self.detail(event.row_key.value, self.model.now())

    def detail(self, rid: str, now: float) -> None:
        m = self.model
        if m is None or rid not in m.requests:
            return
        self.selected = rid
        r = m.requests[rid]
        tpl = m.templates.get(r.template)
        out: list[Text] = []
        head = Text(f"{r.id} ", style="bold")
        head.append(inert(bare_title(_(tpl.title), tpl.basis) if tpl else r.template), style="bold")
        if tpl:
            head.append(f"  [{inert(basis_text(tpl.basis))}]", style="italic dim")
        self.query_one("#case-head", Static).update(head)
        out.append(
            plain(
                _("From {sender} to {target} via {channel}").format(
                    sender=m.seat_label(r.sender),
                    target=m.stop_label(r.target),
                    channel=m.channel_name(r.channel),
                )
            )
        )
        self._show_actions(r)
        # Where it is on its route.
        route = Text(_("Route:") + " ", style="bold")
        for i, stop in enumerate(r.route):
            if i:
                route.append(" → ", style="dim")
            style = "bold reverse" if i == r.stop else ("" if i < r.stop else "dim")
            route.append(inert(m.stop_label(stop)), style=style)
        out.append(route)
        st = status_text(m, r)
        tr = current()
        st.append(
            "   " + _("age {span}").format(span=format_span(now - float(r.created))), style="dim"
        )
        if r.deadline is not None:
            when = tr.datetime(m.seat_datetime(r.deadline), "dd MMM HH:mm")
            st.append("   " + _("legal deadline {when}").format(when=when), style="dim")
        out.append(st)
        # What came back.
        back = Text()
        if r.message:
            back.append(_("Message:") + " ", style="bold")
            back.append(inert(r.message) + "\n")
        if r.ground:
            back.append(_("Ground:") + " ", style="bold")
            back.append(inert(_(m.refusal_grounds.get(r.ground, r.ground))) + "\n")
        if r.missing:
            back.append(_("Missing:") + " ", style="bold yellow")
            back.append(inert("; ".join(m.field_label(r.template, f) for f in r.missing)) + "\n")
        if r.delivered:
            back.append(_("Delivered:") + " ", style="bold green")
            back.append(inert(", ".join(m.evidence_title(e) for e in r.delivered)) + "\n")
        if back.plain:
            out.append(back)
        body = Text()
        for k, v in r.fields.items():
            body.append(inert(m.field_label(r.template, k)) + ": ", style="bold")
            body.append(inert(m.value(v, r.template, k)) + "\n")
        if r.evidence:
            body.append(_("Evidence:") + " ", style="bold")
            body.append(inert(", ".join(m.evidence_title(e) for e in r.evidence)) + "\n")
        if r.ref:
            body.append(_("Related:") + " ", style="bold")
            body.append(inert(r.ref) + "\n")
        out.append(body)
        hist = Text(_("History") + "\n", style="bold")
        for h in r.history:
            when = tr.datetime(m.seat_datetime(h.t), "dd MMM HH:mm")
            what = _(h.what) if h.what else _(EVENT_WORDS.get(h.kind, h.kind))
            hist.append(f"{when}  ", style="dim")
            hist.append(inert(what))
            if h.by:
                who = inert(m.seat_label(h.by.split(":", 1)[-1]))
                hist.append(" " + _("by {who}").format(who=who), style="dim")
            hist.append("\n")
        out.append(hist)
        self.query_one("#case-body", Static).update(Text("\n").join(out))

    def _show_actions(self, r: RequestView) -> None:
        """The role's moves on this request, if it waits here (or came back to us)."""
        m = self.model
        assert m is not None
        shown: dict[str, str] = {}
        if m.waiting_here(r):  # the decisions core lists for this request's holder
            shown = {d: m.decision_label(r.template, d, r) for d in r.decisions}
        elif r.status == "returned" and r.sender == m.seat:
            shown["amend"] = _("Amend & resend")
        self.query_one("#case-actions").display = bool(shown)
        for act, _variant in ACTIONS:
            b = self.query_one(f"#act-{act}", Button)
            b.display = act in shown
            if act in shown:
                b.label = shown[act]

    @on(Button.Pressed, "#case-actions Button")
    def _act(self, event: Button.Pressed) -> None:
        if self.selected and event.button.id:
            self.post_message(Decide(self.selected, event.button.id.removeprefix("act-")))
