"""The knowledge check: a few multiple-choice questions for this seat's role, asked before
and after play (Ctrl+T opens it while the facilitator has it open).

Answers are radio sets, sent with Ctrl+S (``knowledge.answer``); a seat may change them and
send again while the stage is open. Once the facilitator closed the after-check, the same
screen shows the right answers, what this seat chose and each question's explanation.
The server decides what is right; this screen only displays it.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import RadioSet, Static

from tte.client.marks import Choice
from tte.client.model import Knowledge
from tte.i18n import N_, _

from .safe import inert, plain

STAGE_WORDS = {"before": N_("before play"), "after": N_("after play")}


def status(k: Knowledge) -> Text:
    if k.keyed:
        return Text(_("The knowledge check is over: the answers and why."), style="bold")
    if k.open is None:
        return Text(_("The knowledge check is closed."), style="bold yellow")
    stage = _(STAGE_WORDS[k.open]) if k.open in STAGE_WORDS else str(k.open)
    out = Text(_("Knowledge check, {stage}.").format(stage=stage) + " ", style="bold")
    if k.open in k.sent:
        out.append(_("✔ Your answers were recorded; you may change them.") + " ", style="green")
    out.append(_("Arrows pick, Tab moves, Ctrl+S sends, Esc closes."))
    return out


class KnowledgeScreen(ModalScreen[dict[str, str] | None]):
    """Dismissed with the answers (Ctrl+S) or None (Escape)."""

    DEFAULT_CSS = """
    KnowledgeScreen { align: center middle; }
    KnowledgeScreen > VerticalScroll {
        width: 78; max-width: 100%; height: auto; max-height: 100%;
        padding: 0 1; border: thick $primary; background: $surface;
    }
    KnowledgeScreen .k-status { margin-bottom: 1; }
    KnowledgeScreen .q-text { text-style: bold; margin-top: 1; width: 100%; }
    KnowledgeScreen RadioSet { width: 100%; height: auto; }
    KnowledgeScreen .k-key { color: $text-muted; }
    """
    BINDINGS = [
        Binding("ctrl+s", "send", N_("Send")),
        Binding("escape", "close", N_("Close")),
    ]

    def __init__(self, knowledge: Knowledge, text: Callable[[str], str] = str) -> None:
        """`text`: a scenario text in the reader's language (ClientModel.text)."""
        super().__init__()
        self.k = knowledge
        self.text = text

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="knowledge"):
            yield Static(status(self.k), classes="k-status", id="k-status")
            with Vertical():
                yield from self._questions()

    def _questions(self) -> list[Widget]:
        k = self.k
        mine = k.sent.get(k.open or "", {}) or k.sent.get("after", {})
        out: list[Widget] = []
        for i, q in enumerate(k.questions):
            # A Static (not a Label) so a long question wraps at 80 columns.
            out.append(Static(plain(f"{i + 1}. {self.text(q.text)}"), classes="q-text"))
            if k.keyed:
                chose = k.sent.get("after", {}).get(q.id)
                line = Text()
                line.append(_("Right answer:") + " ", style="bold")
                line.append(inert(self.text(q.answer)))
                if chose is not None:
                    ok = chose == q.answer
                    line.append(
                        "\n"
                        + _("You chose: {choice}").format(choice=inert(self.text(chose)))
                        + (" ✔" if ok else " ✘"),
                        style="green" if ok else "red",
                    )
                if q.explanation:
                    line.append(f"\n{inert(self.text(q.explanation))}")
                out.append(Static(line, classes="k-key"))
            else:
                buttons = [
                    Choice(Text(inert(self.text(c))), value=mine.get(q.id) == c) for c in q.choices
                ]
                out.append(RadioSet(*buttons, id=f"kq-{i}", compact=True))
        return out

    def on_mount(self) -> None:
        sets = list(self.query(RadioSet))
        if sets:
            sets[0].focus()

    def values(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for i, q in enumerate(self.k.questions):
            found = self.query(f"#kq-{i}")
            w = found.first() if found else None
            if isinstance(w, RadioSet) and w.pressed_index >= 0:
                out[q.id] = q.choices[w.pressed_index]
        return out

    def action_send(self) -> None:
        if self.k.keyed or self.k.open is None:
            self.dismiss(None)
            return
        answers = self.values()
        if not answers:
            self.query_one("#k-status", Static).update(
                Text(_("Pick an answer to at least one question first."), style="bold red")
            )
            return
        self.dismiss(answers)

    def action_close(self) -> None:
        self.dismiss(None)
