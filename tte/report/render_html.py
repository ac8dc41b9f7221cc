"""The self-contained HTML report: inline CSS, charts as base64 PNG data URIs.

Every piece of text goes through ``inert`` (control characters shown visibly: they would
break the XML) and ``html.escape``: scenario and player text may contain
anything. The output is well-formed XML (void elements self-closed, only XML entities), so
it opens offline in any browser and parses with a strict parser.
"""

from __future__ import annotations

import base64
import html

from tte.core.text import inert

from .document import Block, Bullets, Cell, Chart, Document, Para, Table

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0;
  color: #1d2330; background: #fafbfc; line-height: 1.45; }
header { background: #1d3557; color: #fff; padding: 1.2em 2em; }
header h1 { margin: 0; font-size: 1.5em; }
nav { padding: .5em 2em; background: #e8edf3; position: sticky; top: 0; }
nav a { margin-right: 1.2em; color: #1d3557; text-decoration: none; font-weight: 600; }
main { padding: 0 2em 3em; max-width: 1200px; }
section { margin-top: 2em; }
h2 { border-bottom: 2px solid #1d3557; padding-bottom: .2em; }
table { border-collapse: collapse; margin: .8em 0; font-size: .9em; width: 100%; }
caption { text-align: left; font-weight: 600; padding: .3em 0; }
th, td { border: 1px solid #cfd6df; padding: .3em .5em; text-align: left; vertical-align: top; }
th { background: #eef2f7; }
tr:nth-child(even) td { background: #f6f8fa; }
img { max-width: 100%; height: auto; border: 1px solid #e1e4e8; background: #fff; }
.strong { font-weight: 600; margin-bottom: .2em; }
footer { color: #6a737d; font-size: .8em; padding: 1em 2em; }
@media print { nav { display: none; } }
"""


def _e(value: Cell) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return html.escape(inert(value), quote=True)


def _table(t: Table) -> str:
    out = ["<table>"]
    if t.caption:
        out.append(f"<caption>{_e(t.caption)}</caption>")
    if any(h for h in t.headers):
        out.append("<thead><tr>" + "".join(f"<th>{_e(h)}</th>" for h in t.headers))
        out.append("</tr></thead>")
    out.append("<tbody>")
    for row in t.rows:
        out.append("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def _block(b: Block, charts: dict[str, bytes]) -> str:
    if isinstance(b, Para):
        cls = ' class="strong"' if b.strong else ""
        return f"<p{cls}>{_e(b.text)}</p>"
    if isinstance(b, Table):
        return _table(b)
    if isinstance(b, Bullets):
        return "<ul>" + "".join(f"<li>{_e(x)}</li>" for x in b.items) + "</ul>"
    if isinstance(b, Chart):
        png = charts.get(b.name)
        if png is None:
            return ""
        data = base64.b64encode(png).decode("ascii")
        return f'<figure><img src="data:image/png;base64,{data}" alt="{_e(b.alt)}"/></figure>'
    raise TypeError(b)  # pragma: no cover


def render(doc: Document, charts: dict[str, bytes], footer: str = "") -> str:
    nav = "".join(f'<a href="#{_e(s.anchor)}">{_e(s.title)}</a>' for s in doc.sections)
    body = []
    for s in doc.sections:
        body.append(f'<section id="{_e(s.anchor)}"><h2>{_e(s.title)}</h2>')
        body.extend(_block(b, charts) for b in s.blocks)
        body.append("</section>")
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            '<head><meta charset="utf-8"/>',
            '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
            f"<title>{_e(doc.title)}</title>",
            f"<style>{CSS}</style></head>",
            "<body>",
            f"<header><h1>{_e(doc.title)}</h1></header>",
            f"<nav>{nav}</nav>",
            "<main>",
            *body,
            "</main>",
            f"<footer>{_e(footer)}</footer>",
            "</body></html>",
            "",
        ]
    )
