"""The printable join sheet: where to connect, and one code per seat.

The facilitator's own code is left off on purpose: the sheet is printed and cut into
slips for the room, and that code controls the exercise.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from tte.core.templates import ROLE_LABELS


@dataclass
class SheetInfo:
    title: str
    exercise: str
    urls: list[str]
    codes: dict[str, str]  # seat id -> code (staff included; the facilitator is skipped)
    ssh_port: int | None = None
    country_names: dict[str, str] = field(default_factory=dict)
    fingerprint: str = ""  # the SSH gateway's host key, for players to check


def ssh_hosts(urls: list[str]) -> list[str]:
    hosts: list[str] = []
    for u in urls:
        h = urlsplit(u).hostname
        if h and h not in hosts:
            hosts.append(h)
    return hosts or ["HOST"]


def render(info: SheetInfo) -> str:
    host = ssh_hosts(info.urls)[0]
    out = [f"# {info.title}", "", f"Exercise `{info.exercise}` — join sheet", ""]
    out += ["## How to join", ""]
    if info.urls:
        out += ["With the tte player app (`tte play URL --code CODE`), at one of:", ""]
        out += [f"- `{u}`" for u in info.urls]
    else:
        out += ["- (the server address is not known yet)"]
    out.append("")
    if info.ssh_port:
        out += [
            "Or with nothing but SSH:",
            "",
            f"    ssh -p {info.ssh_port} CODE@{host}",
            "",
        ]
        if info.fingerprint:
            out += [f"The server's host key fingerprint is `{info.fingerprint}`.", ""]
    out += ["## Seats", "", "| Seat | Country | Role | Code | Join |", "|---|---|---|---|---|"]
    for sid, code in info.codes.items():
        if sid == "facilitator" or "/" not in sid:
            continue
        country, _, role = sid.partition("/")
        name = info.country_names.get(country, country)
        label = ROLE_LABELS.get(role, role)
        how = f"`ssh -p {info.ssh_port} {code}@{host}`" if info.ssh_port else f"`{code}`"
        out.append(f"| {sid} | {name} | {label} | **{code}** | {how} |")
    if "observer" in info.codes:
        code = info.codes["observer"]
        out += ["", "## Evaluators (observers)", "", f"Code: **{code}**"]
        if info.ssh_port:
            out.append(f"SSH: `ssh -p {info.ssh_port} {code}@{host}`")
    out += ["", "Codes ignore case and dashes. Keep your code to yourself.", ""]
    return "\n".join(out)


def write(info: SheetInfo, path: Path) -> Path:
    """Write the sheet readable by its owner only (it holds the codes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(render(info))
    return path
