"""What a clock jump would do, before the facilitator confirms it (issue 22).

Pure: the jump is played on a copy of the state (the scenario shared, never changed) and
the events it would emit are summarised. So the preview includes the cascade a timer
sets off (a desk answering, a triggered inject, a deletion after a lapse) exactly as the
real jump would, and the real state is untouched.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tte.i18n import N_, said
from tte.i18n.message import fields

if TYPE_CHECKING:
    from .engine import Engine


@dataclass(frozen=True)
class JumpPreview:
    seconds: float
    delete: list[str] = field(default_factory=list)  # evidence wiped, with why
    fire: list[str] = field(default_factory=list)  # injects released
    expire: list[str] = field(default_factory=list)  # requests past their legal limit
    lapse: list[str] = field(default_factory=list)  # preservations that end
    begin: list[str] = field(default_factory=list)  # phases of the running order that begin

    def as_dict(self) -> dict[str, Any]:
        return {
            "seconds": self.seconds,
            "delete": list(self.delete),
            "fire": list(self.fire),
            "expire": list(self.expire),
            "lapse": list(self.lapse),
            "begin": list(self.begin),
            # text_key/text_params: a console renders it in its reader's language (and
            # its own duration words for `span`, from `seconds`).
            **fields(self.text(), "text"),
        }

    def text(self) -> str:
        """'Advancing by 2d would delete: …; fire: …; expire: …' (or 'nothing happens')."""
        parts = [
            said(key, items=", ".join(items))
            for key, items in (
                (N_("delete: {items}"), self.delete),
                (N_("fire: {items}"), self.fire),
                (N_("expire: {items}"), self.expire),
                (N_("end the preservation of: {items}"), self.lapse),
                (N_("begin the phase: {items}"), self.begin),
            )
            if items
        ]
        span = _span(self.seconds)
        if not parts:
            return said("Advancing by {span} deletes, fires and expires nothing.", span=span)
        what = parts[0]
        for part in parts[1:]:
            what = said("{first}; {then}", first=what, then=part)
        return said("Advancing by {span} would {what}.", span=span, what=what)


def jump_preview(eng: Engine, now: float, seconds: float) -> JumpPreview:
    """Play `seconds` of game time from `now` on a copy of `eng`'s state and say what
    would be deleted, fired, expired and lapse."""
    from .engine import Engine

    st = eng.state
    shadow = Engine(eng.scenario)
    shadow.state = copy.deepcopy(st, {id(eng.scenario): eng.scenario})
    evs = shadow.advance_to(max(now, st.now) + seconds)
    sc = eng.scenario
    out = JumpPreview(seconds)
    for e in evs:
        d = e.data
        if e.kind == "evidence_deleted":
            item = sc.item(d["id"])
            out.delete.append(f"{item.title if item else d['id']} ({d.get('reason', '')})")
        elif e.kind == "inject":
            out.fire.append(str(d.get("title") or d.get("id")))
        elif e.kind == "request_expired":
            r = st.requests.get(d["id"])
            out.expire.append(f"{d['id']} {r.template if r else ''}".strip())
        elif e.kind == "preservation_lapsed":
            item = sc.item(d["id"])
            out.lapse.append(item.title if item else d["id"])
        elif e.kind == "phase_started":
            out.begin.append(str(d.get("name") or d.get("id")))
    return out


def _span(seconds: float) -> str:
    days, rest = divmod(int(seconds), 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    bits = [
        f"{days}d" if days else "",
        f"{hours}h" if hours else "",
        f"{minutes}m" if minutes else "",
    ]
    return "".join(bits) or f"{int(seconds)}s"
