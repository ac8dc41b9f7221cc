"""The composer: one real form per request template the seat may send.

Every field shows its label, legal basis and hint; mandatory ones are marked. The
recipient and channel come from Select lists of what the rules allow, evidence and earlier
requests from lists. Each template keeps its own form alive in a ContentSwitcher, so a
draft survives switching templates or tabs. Checks before sending use the server's own
messages; what the server refuses is shown next to the field it names.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.message import Message
from textual.widget import Widget
from textual.widgets import (
    Button,
    Checkbox,
    ContentSwitcher,
    Input,
    Label,
    Select,
    SelectionList,
    Static,
    TextArea,
)

from tte import protocol as p
from tte.client.lang import error_text
from tte.client.model import ClientModel, TemplateInfo
from tte.i18n import N_, _, current
from tte.i18n.cite import titled

from ..marks import Tick, TickList
from .lazy import BuiltWhenShown
from .safe import inert, plain


def findings(result: p.Result) -> tuple[dict[str, str], dict[str, str]]:
    """(errors, warnings) by field, from the server's dry run of the request
    (``request.check``). Errors block sending; warnings are legal elements missing, which
    the server accepts but the requested Party returns."""
    if not result.ok:
        error = result.error
        if not isinstance(error, p.ErrorBody):
            return {"general": _("The server did not answer")}, {}
        name = error.field if isinstance(error.field, str) else "general"
        return {name.removeprefix("fields.") or "general": error_text(error)}, {}
    data = result.data if isinstance(result.data, dict) else {}
    warnings = {
        str(w.get("field", "general")): current().message(w)
        for w in data.get("warnings", [])
        if isinstance(w, dict)
    }
    return {}, warnings


class FieldError(Static):
    DEFAULT_CSS = """
    FieldError { color: $error; text-style: bold; display: none; }
    FieldError.-warning { color: $warning; }
    FieldError.-shown { display: block; }
    """

    def say(self, message: str | None, warning: bool = False) -> None:
        self.set_class(bool(message), "-shown")
        self.set_class(warning, "-warning")
        self.update(plain(message or ""))


# What each structured kind expects; the engine checks the format and says what is wrong.
PLACEHOLDERS = {
    "timezone": N_("e.g. 2026-03-01 22:10–23:55 CET (UTC+1)"),
    "datetime": N_("e.g. 2019-05-06T21:14:09+00:00 (with its UTC offset)"),
    "port": N_("e.g. 41872"),
    "language": N_("e.g. en"),
    "identifier": N_("IP address, account, domain, wallet or number"),
}


class TemplateForm(VerticalScroll):
    """The form of one template; its widgets hold the draft. The form itself takes no
    keyboard focus: Tab goes from the template list straight to its first field (the
    form scrolls to whichever field has the cursor)."""

    can_focus = False

    DEFAULT_CSS = """
    TemplateForm { height: 1fr; padding: 0 1; }
    TemplateForm .tpl-help { color: $text-muted; }
    TemplateForm .f-label { text-style: bold; margin-top: 1; }
    TemplateForm .f-hint { color: $text-muted; }
    /* One line per input and four per text box, so 80x24 shows five or six fields: no
       box drawn around each; the field with the cursor carries a bar at its left (seen
       without colour too), the others a blank of the same width. */
    TemplateForm Input, TemplateForm SelectCurrent, TemplateForm TextArea, TemplateForm Tick {
        border: none; border-left: blank; background: $boost;
    }
    TemplateForm Input, TemplateForm Tick { height: 1; padding: 0 1; }
    TemplateForm Input:focus, TemplateForm Select:focus > SelectCurrent,
    TemplateForm TextArea:focus, TemplateForm Tick:focus {
        border: none; border-left: tall $accent;
    }
    TemplateForm TextArea { height: 4; }
    TemplateForm SelectionList { height: auto; max-height: 6; }
    TemplateForm #form-buttons { height: auto; margin-top: 1; }
    TemplateForm #form-buttons Button { margin-right: 2; }
    TemplateForm .form-status { margin-top: 1; }
    """

    class Send(Message):
        def __init__(self, form: TemplateForm) -> None:
            super().__init__()
            self.form = form

    def __init__(self, tpl: TemplateInfo, model: ClientModel) -> None:
        super().__init__(id=f"form-{tpl.id}", classes="template-form")
        self.tpl = tpl
        self.model = model
        self.confirm_missing = False  # second press sends despite missing legal elements
        self.amend_id: str | None = None  # resubmitting a returned request
        self.mode = model.mode  # the mode the channel's default follows

    def compose(self) -> ComposeResult:
        tpl, m = self.tpl, self.model
        yield Static(plain(titled(_(tpl.title), tpl.basis, " — {basis}"), "bold"))
        yield Static(plain(_(tpl.help)), classes="tpl-help")
        yield Label(Text(_("To") + " *", style="bold"), classes="f-label")
        yield Select(
            [(Text(inert(label)), rid) for rid, label in m.recipients(tpl)],
            prompt=_("Choose the recipient"),
            id="to",
        )
        yield FieldError(id="err-to")
        yield Label(Text(_("Channel") + " *", style="bold"), classes="f-label")
        # Exam mode (the server's mode.set): no channel chosen in advance; choosing it is
        # part of the task, and the server asks for it.
        self.mode = m.mode
        yield Select(
            [(Text(inert(m.channel_name(c))), c) for c in tpl.channels],
            value=self._default_channel(),
            allow_blank=True,
            prompt=_("Choose the channel"),
            id="channel",
        )
        yield FieldError(id="err-channel")
        for f in tpl.fields:
            mark = " *" if f.mandatory else ""
            label = Text(inert(_(f.label)) + mark, style="bold")
            if f.basis:
                label.append(f"  [{inert(f.basis)}]", style="italic dim")
            yield Label(label, classes="f-label")
            box = self._input(f.name, f.kind, inert(_(f.hint)) if f.hint else "")
            if f.hint and not isinstance(box, (Input, TextArea)):  # those show it inside
                yield Static(plain(_(f.hint)), classes="f-hint")
            yield box
            yield FieldError(id=f"err-{f.name}")
        yield Label(Text(_("Evidence concerned"), style="bold"), classes="f-label")
        yield Static(Text(_("Known items held by the recipient"), style="dim"), classes="f-hint")
        yield TickList(id="evidence")
        yield FieldError(id="err-evidence")
        ref_label = _("Related earlier request (optional)")
        yield Label(Text(ref_label, style="bold"), classes="f-label")
        yield Select(self._request_options(), prompt=_("None"), id="ref")
        yield FieldError(id="err-ref")
        yield FieldError(id="err-general")
        with Horizontal(id="form-buttons"):
            yield Button(_("Send (Ctrl+S)"), variant="primary", id="send")
            yield Button(_("Clear"), id="clear")

    def on_mount(self) -> None:
        # Select builds its overlay after its own mount: fill the lists once all is up.
        self.call_after_refresh(self.refresh_lists)

    def _input(self, name: str, kind: str, hint: str) -> Widget:
        """The field's box; a text box shows the hint (and the expected format) until
        something is typed."""
        wid = f"field-{name}"
        if kind == "bool":
            return Tick(_("Yes"), id=wid)
        if kind == "longtext":
            return TextArea(id=wid, soft_wrap=True, placeholder=hint)
        if kind == "request":
            return Select(self._request_options(), prompt=_("Choose a request"), id=wid)
        fmt = _(PLACEHOLDERS.get(kind, "")) if PLACEHOLDERS.get(kind) else ""
        return Input(placeholder=" — ".join(x for x in (hint, fmt) if x), id=wid)

    def _request_options(self) -> list[tuple[Text, str]]:
        return [
            (Text(f"{r.id} {inert(_(self.model.templates[r.template].title), 50)}"), str(r.id))
            for r in self.model.my_country_requests()
            if r.template in self.model.templates
        ]

    def refresh_lists(self) -> None:
        """Requests and evidence learnt since the form was built."""
        if not self.query("#ref"):
            return  # not composed yet; on_mount fills the lists
        opts = self._request_options()
        for sel in [self.query_one("#ref", Select)] + [
            self.query_one(f"#field-{f.name}", Select)
            for f in self.tpl.fields
            if f.kind == "request"
        ]:
            value = sel.value
            try:
                sel.set_options(opts)
            except NoMatches:  # not fully mounted yet: the next refresh fills it
                continue
            if value != Select.NULL and value in {v for _, v in opts}:
                sel.value = value
        self._refresh_evidence()

    @on(Select.Changed, "#to")
    def _refresh_evidence(self) -> None:
        to = self.query_one("#to", Select).value
        sl = self.query_one("#evidence", SelectionList)
        chosen = set(sl.selected)
        items = self.model.evidence_for(None if to == Select.NULL else str(to))
        sl.clear_options()
        sl.add_options(
            [
                (
                    Text(f"{inert(self.model.evidence_title(e.id))} ({inert(e.kind)})"),
                    str(e.id),
                    str(e.id) in chosen,
                )
                for e in items
            ]
        )

    # ---- values -------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        for f in self.tpl.fields:
            w = self.query_one(f"#field-{f.name}")
            if isinstance(w, Checkbox):
                fields[f.name] = w.value
            elif isinstance(w, TextArea):
                if w.text.strip():
                    fields[f.name] = w.text
            elif isinstance(w, Select):
                if w.value != Select.NULL:
                    fields[f.name] = w.value
            elif isinstance(w, Input) and w.value.strip():
                fields[f.name] = w.value
        to = self.query_one("#to", Select).value
        ref = self.query_one("#ref", Select).value
        channel = self.query_one("#channel", Select).value
        args: dict[str, Any] = {
            "template": self.tpl.id,
            "to": None if to == Select.NULL else to,
            "channel": None if channel == Select.NULL else channel,
            "fields": fields,
            "evidence": list(self.query_one("#evidence", SelectionList).selected),
        }
        if ref != Select.NULL:
            args["ref"] = ref
        return args

    def has_draft(self) -> bool:
        """Has the player put anything in this form (a recipient, a field, evidence)?"""
        args = self.values()
        return bool(
            self.amend_id
            or args["to"]
            or args["evidence"]
            or args.get("ref")
            or any(v for v in args["fields"].values())
        )

    def check_args(self, args: dict[str, Any]) -> dict[str, Any]:
        """What ``request.check`` is asked: the draft as ``request.submit`` would get it; an
        amendment goes again to the returned request's addressee, on its channel."""
        r = self.model.requests.get(self.amend_id) if self.amend_id else None
        if r is not None:
            args = {**args, "to": r.target["ref"], "channel": r.channel, "ref": r.ref}
        return {k: v for k, v in args.items() if v is not None}

    def set_values(self, fields: dict[str, Any], evidence: list[str]) -> None:
        for f in self.tpl.fields:
            w = self.query_one(f"#field-{f.name}")
            v = fields.get(f.name)
            if isinstance(w, Checkbox):
                w.value = bool(v)
            elif isinstance(w, TextArea):
                w.text = str(v or "")
            elif isinstance(w, Input):
                w.value = str(v or "")
        sl = self.query_one("#evidence", SelectionList)
        for e in evidence:
            sl.select(e)

    def _default_channel(self) -> Any:
        """Coaching: the form's first channel; exam: none where there is a choice."""
        channels = self.tpl.channels
        if not channels or (self.model.mode == "exam" and len(channels) > 1):
            return Select.NULL
        return channels[0]

    def apply_mode(self) -> None:
        """The facilitator switched coaching/exam: an untouched form follows."""
        if self.mode == self.model.mode or not self.query("#channel"):
            return
        self.mode = self.model.mode
        if not self.has_draft():
            self.query_one("#channel", Select).value = self._default_channel()

    def clear(self) -> None:
        self.query_one("#channel", Select).value = self._default_channel()
        self.set_values({}, [])
        self.query_one("#evidence", SelectionList).deselect_all()
        self.query_one("#to", Select).clear()
        self.query_one("#ref", Select).clear()
        self.amend_id = None
        self.show_errors({}, {})
        self.query_one("#send", Button).label = _("Send (Ctrl+S)")

    def show_errors(self, errors: dict[str, str], warnings: dict[str, str]) -> None:
        for fe in self.query(FieldError):
            name = (fe.id or "").removeprefix("err-")
            if name in errors:
                fe.say(errors[name])
            elif name in warnings:
                fe.say(warnings[name], warning=True)
            else:
                fe.say(None)
        first = next(iter(errors or warnings), None)
        if first:
            target = self.query(f"#err-{first}")
            if target:
                self.scroll_to_widget(target.first(), top=False)

    def show_result_error(self, error: p.ErrorBody) -> None:
        """The server's refusal, next to the field it names (else under the form)."""
        name = error.field if isinstance(error.field, str) else ""
        if name.startswith("fields."):
            name = name.removeprefix("fields.")
        if not self.query(f"#err-{name}"):
            name = "general"
        self.show_errors({name: inert(error_text(error))}, {})

    @on(Button.Pressed, "#send")
    def _send(self) -> None:
        self.post_message(self.Send(self))

    @on(Button.Pressed, "#clear")
    def _clear(self) -> None:
        self.clear()


class ComposerPane(BuiltWhenShown, Vertical):
    DEFAULT_CSS = """
    ComposerPane { height: 1fr; }
    ComposerPane #template { margin: 0 1 1 1; }
    ComposerPane #template > SelectCurrent {
        border: none; border-left: blank; background: $boost;
    }
    ComposerPane #template:focus > SelectCurrent { border: none; border-left: tall $accent; }
    ComposerPane #forms { height: 1fr; }  /* the form scrolls inside the pane */
    """

    def __init__(self) -> None:
        super().__init__(id="composer")
        self.model: ClientModel | None = None
        self._listed: set[str] = set()
        self._opening: str | None = None  # open_template is building the pane for it

    def compose_pane(self) -> ComposeResult:
        yield Select([], prompt=_("Choose a request template"), id="template")
        yield ContentSwitcher(id="forms")

    def after_build(self) -> None:
        if self.model is not None:
            self.show(self.model)

    def show(self, model: ClientModel) -> None:
        self.model = model
        if not self.built:
            return
        sel = self.query_one("#template", Select)
        tpls = model.sendable_templates()
        ids = [t.id for t in tpls]
        if set(ids) != self._listed:
            sel.set_options([(Text(inert(titled(_(t.title), t.basis))), t.id) for t in tpls])
            self._listed = set(ids)
            if ids and sel.value == Select.NULL and self._opening is None:
                sel.value = ids[0]  # an open form, not an empty page
        for form in self.query(TemplateForm):
            form.refresh_lists()
            form.apply_mode()

    def form(self, tid: str) -> TemplateForm | None:
        found = self.query(f"#form-{tid}")
        return found.first(TemplateForm) if found else None

    async def open_template(self, tid: str) -> TemplateForm | None:
        """Show the form of `tid`, building it the first time (its draft then persists)."""
        if self.model is None or tid not in self.model.templates:
            return None
        self._opening = tid
        try:
            await self.build()
        finally:
            self._opening = None
        form = self.form(tid)
        if form is None:
            form = TemplateForm(self.model.templates[tid], self.model)
            await self.query_one("#forms", ContentSwitcher).mount(form)
            form.refresh_lists()
        self.query_one("#forms", ContentSwitcher).current = form.id
        sel = self.query_one("#template", Select)
        if sel.value != tid:
            sel.value = tid
        return form

    def drafts(self) -> list[TemplateForm]:
        """The forms holding an unsent draft (none before the pane was first shown)."""
        return [f for f in self.query(TemplateForm) if f.has_draft()]

    def current_form(self) -> TemplateForm | None:
        if not self.built:
            return None
        cur = self.query_one("#forms", ContentSwitcher).current
        return self.form(cur.removeprefix("form-")) if cur else None

    @on(Select.Changed, "#template")
    async def _template(self, event: Select.Changed) -> None:
        # Only the latest choice: acting on an older one too would set the Select back to
        # it, and two such changes in flight would answer each other for ever.
        if event.value != Select.NULL and event.value == event.select.value:
            await self.open_template(str(event.value))
