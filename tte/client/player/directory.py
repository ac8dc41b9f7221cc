"""The directory: countries, their 24/7 points of contact and central authorities, and
which instruments are in force between this country and each other."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from tte.client.model import ClientModel
from tte.core.reservations import cited
from tte.i18n import _, current

from .casefile import jit_text
from .lazy import BuiltWhenShown
from .safe import columns, inert, plain
from .table import Table


class DirectoryPane(BuiltWhenShown, Vertical):
    DEFAULT_CSS = """
    DirectoryPane { height: 1fr; }
    DirectoryPane > DataTable { height: 2fr; }
    DirectoryPane > #orgs { height: 1fr; border-top: hkey $panel; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__(id="directory")
        self._shown: tuple[int, int, str] | None = None  # (countries, JITs, language) drawn

    def compose_pane(self) -> ComposeResult:
        yield Table[Text](id="countries", cursor_type="row", zebra_stripes=True)
        yield Static(id="orgs")

    def after_build(self) -> None:
        self.query_one("#countries", DataTable).add_columns(
            *columns(
                _("Country"),
                _("In force with us"),
                _("Reservations, declarations"),
                _("Languages"),
                _("24/7 point of contact"),
                _("Central authority"),
            )
        )

    def show(self, model: ClientModel) -> None:
        shape = (len(model.countries), len(model.jit_teams), current().lang)
        if not self.built or self._shown == shape or not model.countries:
            return
        self._shown = shape
        t = self.query_one("#countries", DataTable)
        t.clear()
        mine = model.country
        partners = {c for j in model.jit_teams for c in j.countries}
        for c in model.countries.values():
            own = mine is not None and c.code == mine.code
            name = Text(
                f"{inert(c.flag)} {c.code} {inert(model.text(c.name))}", style="bold" if own else ""
            )
            if c.code in partners and not own:
                name.append(" · JIT", style="bold green")
            # What is in force between us is core's answer (welcome), not worked out here.
            with_us = plain(", ".join(c.with_us) or _("no treaty: reciprocity only"))
            # A reservation by its citation ("2AP Art 7(9)(a)"), not its code in the file.
            notes = [cited(x) for x in (*c.reservations, *c.declarations)] + (
                [_("notify Art 7")] if c.notification else []
            )
            t.add_row(
                name,
                Text(_("(own)") if own else "—", style="dim") if own or model.staff else with_us,
                plain(", ".join(notes) or _("none")),
                plain(", ".join(c.languages) or _("any")),
                plain(model.text(c.poc_name) or "—"),
                plain(model.text(c.central_authority_name) or "—"),
                key=c.code,
            )
        orgs = Text(_("Providers and bodies") + "\n", style="bold")
        for o in model.organisations.values():
            orgs.append(f"{inert(model.text(o.name))} ", style="bold")
            orgs.append(f"({inert(o.kind)}, {inert(o.country or '')})\n")
        for body in model.bodies.values():
            orgs.append(inert(body) + "\n", style="bold")
        if model.jit_teams:
            orgs = Text.assemble(jit_text(model), orgs)
        self.query_one("#orgs", Static).update(orgs)
