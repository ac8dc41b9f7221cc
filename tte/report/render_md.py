"""The Markdown report: the same document as the HTML, charts linked as PNG files."""

from __future__ import annotations

from tte.core.text import inert_line

from .document import Block, Bullets, Cell, Chart, Document, Para, Table

_SPECIAL = str.maketrans(
    {
        "\\": "\\\\",
        "|": "\\|",
        "*": "\\*",
        "_": "\\_",
        "`": "\\`",
        "[": "\\[",
        "]": "\\]",
        "<": "&lt;",
        ">": "&gt;",
        "&": "&amp;",
    }
)


def md(value: Cell) -> str:
    """One line of Markdown-safe text: no markup, no raw HTML, no table breaks."""
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = inert_line(" ".join(str(value).split())).translate(_SPECIAL)
    return "\\" + text if text[:1] in ("#", "-", "+", "=") else text


def _table(t: Table) -> list[str]:
    out = []
    if t.caption:
        out += [f"*{md(t.caption)}*", ""]
    heads = [md(h) if h else " " for h in t.headers]
    out.append("| " + " | ".join(heads) + " |")
    out.append("|" + "|".join("---" for _ in heads) + "|")
    out += ["| " + " | ".join(md(c) for c in row) + " |" for row in t.rows]
    return out


def _block(b: Block, chart_paths: dict[str, str]) -> list[str]:
    if isinstance(b, Para):
        return [f"**{md(b.text)}**" if b.strong else md(b.text)]
    if isinstance(b, Table):
        return _table(b)
    if isinstance(b, Bullets):
        return [f"- {md(x)}" for x in b.items]
    if isinstance(b, Chart):
        path = chart_paths.get(b.name)
        return [f"![{md(b.alt)}]({path})"] if path else []
    raise TypeError(b)  # pragma: no cover


def render(doc: Document, chart_paths: dict[str, str], footer: str = "") -> str:
    out = [f"# {md(doc.title)}", ""]
    out.append(" · ".join(f"[{md(s.title)}](#{s.anchor})" for s in doc.sections))
    for s in doc.sections:
        out += ["", f'<a id="{s.anchor}"></a>', "", f"## {md(s.title)}"]
        for b in s.blocks:
            lines = _block(b, chart_paths)
            if lines:
                out += ["", *lines]
    if footer:
        out += ["", "---", "", md(footer)]
    return "\n".join(out) + "\n"
