"""The printable join sheet (where to connect, one code per seat) and join cards (one
page per seat: country, role, code, the commands to type, the role's briefing).

Both are written in the current reader's language (the console's: ``tte console --lang``,
``tte host --lang``); the scenario's title and briefings come in it from the caller.

The facilitator's own code is left off on purpose: the sheet is printed and cut into
slips for the room, and that code controls the exercise. Commands name the host's LAN
address: 127.0.0.1 works only on the host's own laptop.
"""

from __future__ import annotations

import ipaddress
import os
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from tte.core.templates import ROLE_LABELS
from tte.i18n import N_, _


@dataclass
class SheetInfo:
    title: str
    exercise: str
    urls: list[str]
    codes: dict[str, str]  # seat id -> code (staff included; the facilitator is skipped)
    ssh_port: int | None = None
    country_names: dict[str, str] = field(default_factory=dict)
    fingerprint: str = ""  # the SSH gateway's host key, for players to check
    briefings: dict[str, dict[str, str]] = field(default_factory=dict)  # country -> role -> md
    data_dir: str = ""  # the exercise's data directory on the host (tte host), for the debrief


def loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def lan_url(urls: list[str]) -> str:
    """The address to print for the room: the first that is not this laptop's loopback."""
    return next((u for u in urls if not loopback(u)), urls[0] if urls else "ws://HOST:8765/")


def ssh_hosts(urls: list[str]) -> list[str]:
    """Host names of `urls`, LAN addresses before loopback ones."""
    hosts: list[str] = []
    for u in sorted(urls, key=loopback):
        h = urlsplit(u).hostname
        if h and h not in hosts:
            hosts.append(h)
    return hosts or ["HOST"]


def render(info: SheetInfo) -> str:
    """The join sheet (Markdown) in the current reader's language: the console's."""
    host = ssh_hosts(info.urls)[0]
    out: list[str] = [f"# {info.title}", ""]
    out += [_("Exercise `{id}` — join sheet").format(id=info.exercise), ""]
    out += ["## " + _("How to join"), ""]
    if info.urls:
        out += [_("With the tte player app (`tte play URL --code CODE`), at one of:"), ""]
        only_here = " " + _("(only on the host's own laptop)")
        out += [
            f"- `{u}`" + (only_here if loopback(u) else "") for u in sorted(info.urls, key=loopback)
        ]
    else:
        out += ["- " + _("(the server address is not known yet)")]
    out.append("")
    if info.ssh_port:
        out += [
            _("Or with nothing but SSH:"),
            "",
            f"    ssh -p {info.ssh_port} CODE@{host}",
            "",
        ]
        if info.fingerprint:
            said = _("The server's host key fingerprint is `{fingerprint}`.")
            out += [said.format(fingerprint=info.fingerprint), ""]
    head = [_(w) for w in SEAT_COLUMNS]
    out += ["## " + _("Seats"), "", "| " + " | ".join(head) + " |", "|---|---|---|---|---|"]
    for sid, code in info.codes.items():
        if sid == "facilitator" or "/" not in sid:
            continue
        country, _sep, role = sid.partition("/")
        name = info.country_names.get(country, country)
        how = f"`{play_command(info, code)}`"
        if info.ssh_port:
            how = _("{play} or {ssh}").format(play=how, ssh=f"`{ssh_command(info, code)}`")
        out.append(f"| {sid} | {name} | {role_label(role)} | **{code}** | {how} |")
    if "observer" in info.codes:
        code = info.codes["observer"]
        out += [
            "",
            "## " + _("Evaluators (observers)"),
            "",
            _("Code: **{code}**").format(code=code),
        ]
        if info.ssh_port:
            out.append(
                _("SSH: `{command}`").format(command=f"ssh -p {info.ssh_port} {code}@{host}")
            )
    out += ["", _("Codes ignore case and dashes. Keep your code to yourself."), ""]
    out += debrief_lines(info)
    return "\n".join(out)


# The seats table's columns.
SEAT_COLUMNS = (N_("Seat"), N_("Country"), N_("Role"), N_("Code"), N_("Join"))


def role_label(role: str) -> str:
    """A role's name in the reader's language (``poc`` -> "24/7 point of contact")."""
    label = ROLE_LABELS.get(role)
    return _(label) if label else role


def debrief_lines(info: SheetInfo) -> list[str]:
    """The facilitator's part of the sheet: how to replay the exercise at the debrief."""
    d = shlex.quote(info.data_dir) if info.data_dir else "DIR"
    replay = (
        _(
            "Replay the exercise event by event, from any seat's screens or your own traffic, "
            "case and score as they were at that moment (read-only, also while it runs):"
        )
        if info.data_dir
        else _(
            "Replay the exercise event by event, from any seat's screens or your own traffic, "
            "case and score as they were at that moment (read-only, also while it runs) "
            "(DIR: the exercise's data directory on the host):"
        )
    )
    return [
        "## " + _("For the facilitator: the debrief"),
        "",
        replay,
        "",
        f"    tte replay {d}",
        "",
        _(
            "In `tte host`, Ctrl+R projects the same replay on this screen; quitting it (q) "
            "brings the console back. To rerun from a decision point (SEQ: the event number "
            "the replay shows):"
        ),
        "",
        f"    tte host --from {d} --at SEQ",
        "",
    ]


def play_command(info: SheetInfo, code: str) -> str:
    return f"tte play {lan_url(info.urls)} --code {code}"


def ssh_command(info: SheetInfo, code: str) -> str:
    return f"ssh -p {info.ssh_port} {code}@{ssh_hosts(info.urls)[0]}"


@dataclass
class Card:
    seat: str
    country: str
    role: str
    code: str
    commands: list[str]
    briefing: str


def cards(info: SheetInfo) -> list[Card]:
    out: list[Card] = []
    for sid, code in info.codes.items():
        if "/" not in sid:
            continue
        country, _sep, role = sid.partition("/")
        commands = [play_command(info, code)]
        if info.ssh_port:
            commands.append(ssh_command(info, code))
        briefing = info.briefings.get(country, {}).get(role, "").strip()
        name = info.country_names.get(country, country)
        out.append(Card(sid, name, role_label(role), code, commands, briefing))
    return out


PAGE_BREAK = '<div style="page-break-after: always"></div>'


def render_cards_md(info: SheetInfo) -> str:
    pages: list[str] = []
    for c in cards(info):
        lines = [f"# {c.country} — {c.role}", "", f"*{info.title}*", ""]
        lines += [_("Your join code: **{code}**").format(code=c.code), ""]
        lines += [_("Join with one of:"), ""]
        lines += [f"    {cmd}" for cmd in c.commands]
        ask = "*" + _("Ask the facilitator.") + "*"
        lines += ["", "## " + _("Your briefing"), "", c.briefing or ask, ""]
        pages.append("\n".join(lines))
    return f"\n\n{PAGE_BREAK}\n\n".join(pages) + "\n"


def render_cards_txt(info: SheetInfo) -> str:
    """Plain text, one page per seat (a form feed between pages, as printers expect)."""
    pages: list[str] = []
    for c in cards(info):
        head = f"{c.country} — {c.role}"
        lines = [head, "=" * len(head), info.title, ""]
        # TRANSLATORS: the code follows after two spaces, as on a printed card
        lines += [_("Your join code:") + f"  {c.code}", "", _("Join with one of:")]
        lines += [f"    {cmd}" for cmd in c.commands]
        brief = _("Your briefing")
        lines += ["", brief, "-" * len(brief), c.briefing or _("Ask the facilitator."), ""]
        pages.append("\n".join(lines))
    return "\f".join(pages)


def write(info: SheetInfo, path: Path, text: str | None = None) -> Path:
    """Write the sheet (or `text`) readable by its owner only (it holds the codes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(render(info) if text is None else text)
    return path
