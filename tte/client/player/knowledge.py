"""The knowledge check: a few multiple-choice questions for this seat's role, asked before
and after play (Ctrl+T opens it while the facilitator has it open).

Answers are radio sets, sent with Ctrl+S (``knowledge.answer``); a seat may change them and
send again while the stage is open. Once the facilitator closed the after-check, the same
screen shows the right answers, what this seat chose and each question's explanation.
The server decides what is right; this screen only displays it.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import RadioSet, Static

from tte.client.marks import Choice
from tte.client.model import Knowledge

from .safe import inert, plain

STAGE_WORDS = {"before": "before play", "after": "after play"}


def status(k: Knowledge) -> Text:
    if k.keyed:
        return Text("The knowledge check is over: the answers and why.", style="bold")
    if k.open is None:
        return Text("The knowledge check is closed.", style="bold yellow")
    out = Text(f"Knowledge check, {STAGE_WORDS.get(k.open, k.open)}. ", style="bold")
    if k.open in k.sent:
        out.append("✔ Your answers were recorded; you may change them. ", style="green")
    out.append("Arrows pick, Tab moves, Ctrl+S sends, Esc closes.")
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
        Binding("ctrl+s", "send", "Send"),
        Binding("escape", "close", "Close"),
    ]

    def __init__(self, knowledge: Knowledge) -> None:
        super().__init__()
        self.k = knowledge

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
            out.append(Static(plain(f"{i + 1}. {q.text}"), classes="q-text"))
            if k.keyed:
                chose = k.sent.get("after", {}).get(q.id)
                line = Text()
                line.append("Right answer: ", style="bold")
                line.append(inert(q.answer))
                if chose is not None:
                    ok = chose == q.answer
                    line.append(
                        f"\nYou chose: {inert(chose)} " + ("✔" if ok else "✘"),
                        style="green" if ok else "red",
                    )
                if q.explanation:
                    line.append(f"\n{inert(q.explanation)}")
                out.append(Static(line, classes="k-key"))
            else:
                buttons = [Choice(Text(inert(c)), value=mine.get(q.id) == c) for c in q.choices]
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
                Text("Pick an answer to at least one question first.", style="bold red")
            )
            return
        self.dismiss(answers)

    def action_close(self) -> None:
        self.dismiss(None)
