"""The directory: countries, their 24/7 points of contact and central authorities, and
which instruments are in force between this country and each other."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from tte.client.model import ClientModel

from .safe import inert, plain


def yes_no(v: bool) -> Text:
    return Text("yes", style="green") if v else Text("no", style="red")


class DirectoryPane(Vertical):
    DEFAULT_CSS = """
    DirectoryPane { height: 1fr; }
    DirectoryPane > DataTable { height: 2fr; }
    DirectoryPane > #orgs { height: 1fr; border-top: hkey $panel; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__(id="directory")
        self._shown = False

    def compose(self) -> ComposeResult:
        yield DataTable(id="countries", cursor_type="row", zebra_stripes=True)
        yield Static(id="orgs")

    def on_mount(self) -> None:
        self.query_one("#countries", DataTable).add_columns(
            "Country",
            "2AP",
            "2AP with us",
            "Reservations",
            "24/7 point of contact",
            "Central authority",
        )

    def show(self, model: ClientModel) -> None:
        if self._shown or not model.countries:
            return
        self._shown = True
        t = self.query_one("#countries", DataTable)
        mine = model.country
        for c in model.countries.values():
            both = bool(c.second_protocol and (mine is None or mine.second_protocol))
            own = mine is not None and c.code == mine.code
            name = Text(f"{inert(c.flag)} {c.code} {inert(c.name)}", style="bold" if own else "")
            t.add_row(
                name,
                yes_no(c.second_protocol),
                Text("(own)", style="dim") if own else yes_no(both),
                plain(", ".join(c.reservations) or "none"),
                plain(c.poc_name or "—"),
                plain(c.central_authority_name or "—"),
                key=c.code,
            )
        orgs = Text("Providers and bodies\n", style="bold")
        for o in model.organisations.values():
            orgs.append(f"{inert(o.get('name'))} ", style="bold")
            orgs.append(f"({inert(o.get('kind', ''))}, {inert(o.get('country', ''))})\n")
        for name in model.bodies.values():
            orgs.append(inert(name) + "\n", style="bold")
        self.query_one("#orgs", Static).update(orgs)
