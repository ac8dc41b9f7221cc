"""The case file: known evidence and leads, with deletion counting down in game time."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from tte.client.model import ClientModel, EvidenceView, format_span
from tte.i18n import N_, _, current
from tte.i18n.cite import basis_text

from .lazy import BuiltWhenShown
from .safe import columns, inert, plain
from .table import Table

AT_RISK = 86400.0  # game seconds: an exam says "at risk" inside the last day, not when


def deletion_text(e: EvidenceView, now: float, model: ClientModel | None = None) -> Text:
    """When the item is deleted, or until when it is frozen (one column: "frozen to 01 May"
    says both that it is safe and for how long). In exam mode no exact time: "volatile",
    then "at risk" (players must find out how long a provider keeps it, as in real life)."""
    if e.deleted:
        reason = f" ({inert(e.delete_reason)})" if e.delete_reason else ""
        return Text(_("DELETED") + reason, style="bold red")
    if e.preserved_until is not None:
        if model is None:
            return Text(_("frozen"), style="green")
        until = current().datetime(model.seat_datetime(e.preserved_until), "dd MMM")
        return Text(_("frozen to {date}").format(date=until), style="green")
    at = e.deletes_at
    if at is None:
        return Text("—", style="dim")
    left = float(at) - now
    if model is not None and model.mode == "exam":
        if left < AT_RISK:
            return Text(_("at risk"), style="bold red")
        return Text(_("volatile"), "yellow")
    if left <= 0:
        return Text(_("due now"), style="bold red")
    in_left = _("in {span}").format(span=format_span(left))
    return Text(in_left, style="bold red" if left < 86400 else "yellow")


def via_label(model: ClientModel, via: str | None) -> str:
    """The instrument that obtained an item by its legal basis ("BC Art 31"), not its
    template id."""
    if not via:
        return "—"
    if via == "jit":
        return _("JIT")
    tpl = model.templates.get(via)
    return (basis_text(tpl.basis) or _(tpl.title)) if tpl is not None else via


def jit_text(model: ClientModel) -> Text:
    """The joint investigation teams this seat's country is in (empty if none)."""
    out = Text()
    if not model.jit_teams:
        return out
    out.append(_("Joint investigation teams") + "\n", style="bold green")
    for j in model.jit_teams:
        names = []
        for code in j.countries:
            c = model.countries.get(code)
            names.append(
                f"{inert(c.flag)} {code} {inert(model.text(c.name))}" if c else inert(code)
            )
        out.append("  " + " + ".join(names))
        when = current().datetime(model.seat_datetime(j.t), "dd MMM HH:mm")
        agreed = _("agreed {when}").format(when=when)
        out.append(f"  ({agreed}{', ' + inert(j.request) if j.request else ''})\n", "dim")
    channel = inert(model.channel_name("jit"))
    jit = _("Members obtain measures in each other's territory through “{channel}”.")
    out.append(jit.format(channel=channel) + "\n", "dim")
    return out


class CaseFilePane(BuiltWhenShown, Vertical):
    DEFAULT_CSS = """
    CaseFilePane { height: 1fr; }
    CaseFilePane > DataTable { height: 2fr; }
    CaseFilePane > #leads { height: 1fr; border-top: hkey $panel; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__(id="casefile")

    def compose_pane(self) -> ComposeResult:
        yield Table[Text](id="evidence-table", cursor_type="row", zebra_stripes=True)
        yield Static(Text(_("No leads yet."), style="dim"), id="leads")

    def after_build(self) -> None:
        # What a player acts on first, so 80 columns show it: the item, when it is deleted
        # (or until when it is frozen), whether it counts at trial, who holds it and where.
        self.query_one("#evidence-table", DataTable).add_columns(
            *columns(
                *[
                    _(c)
                    for c in (
                        N_("Evidence"),
                        N_("Deletion"),
                        # TRANSLATORS: a narrow column: admissible at trial (yes) or a lead
                        N_("Trial"),
                        N_("Holder"),
                        # TRANSLATORS: a narrow column: the country's code
                        N_("Ctry"),
                        N_("Kind"),
                        N_("Obtained by"),
                    )
                ]
            )
        )

    def show(self, model: ClientModel, now: float) -> None:
        if not self.built:
            return  # the app shows the model again once the pane is built
        t = self.query_one("#evidence-table", DataTable)
        row = t.cursor_row
        t.clear()
        tr = current()
        titled = [(model.evidence_title(e.id), e) for e in model.evidence.values()]
        for title, e in sorted(titled, key=lambda pair: pair[0]):
            adm = Text("—", style="dim")
            if e.admissible is not None:
                adm = (
                    Text(_("yes"), style="bold green")
                    if e.admissible
                    else Text(_("lead"), "yellow")
                )
            t.add_row(
                plain(title, limit=26),
                deletion_text(e, now, model),
                adm,
                plain(e.holder_name or e.holder, limit=16),
                plain(e.country or ""),
                plain(e.kind),
                plain(via_label(model, e.obtained_via)),
                key=str(e.id),
            )
        if t.row_count:
            t.move_cursor(row=min(row, t.row_count - 1))
        leads = Text(_("Leads") + "\n", style="bold")
        for lead in reversed(model.leads):
            leads.append(tr.datetime(model.seat_datetime(lead.t), "dd MMM HH:mm") + "  ", "dim")
            leads.append(inert(model.text(lead.text)) + "\n")
        if not model.leads:
            leads.append(_("None yet: obtained evidence may reveal leads."), style="dim")
        if model.jit_teams:
            leads = Text.assemble(jit_text(model), leads)
        self.query_one("#leads", Static).update(leads)
