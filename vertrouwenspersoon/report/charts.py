# Copyright 2026 The vertrouwenspersoon authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Bar charts for the annual report, drawn as SVG in Python: no external
service, and only from the published (suppressed) figures, so a chart never
shows a number the tables hide."""

import base64
from xml.sax.saxutils import escape

ROW_HEIGHT = 22
LABEL_WIDTH = 230
BAR_WIDTH = 360
VALUE_WIDTH = 50
COLOURS = ("#2a6f97", "#a9c5d9")


def bar_chart_svg(table, year, previous_year):
    """A horizontal bar chart of a published table: one pair of bars per row
    (the year and the previous year); a hidden cell gets no bar, only its mark."""
    rows = table["rows"]
    visible = [cell["value"] for row in rows for cell in row["values"] if cell["value"] is not None]
    scale = max([*visible, 1])
    height = ROW_HEIGHT * (len(rows) + 1) + 10
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">'
    ]
    for index, (label, colour) in enumerate(((str(year), COLOURS[0]), (str(previous_year), COLOURS[1]))):
        x = LABEL_WIDTH + index * 80
        parts.append(f'<rect x="{x}" y="2" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{x + 14}" y="11">{escape(label)}</text>')
    for index, row in enumerate(rows):
        top = ROW_HEIGHT * (index + 1)
        parts.append(f'<text x="{LABEL_WIDTH - 6}" y="{top + 13}" text-anchor="end">{escape(row["label"][:40])}</text>')
        for offset, (cell, colour) in enumerate(zip(row["values"], COLOURS, strict=False)):
            y = top + 2 + offset * 9
            length = 0 if cell["value"] is None else round(BAR_WIDTH * cell["value"] / scale)
            if length:
                parts.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="8" fill="{colour}"/>')
            parts.append(
                f'<text x="{LABEL_WIDTH + length + 4}" y="{y + 8}" font-size="9">{escape(cell["display"])}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def bar_chart_data_uri(table, year, previous_year):
    """The chart as a data URI for an <img>, which wkhtmltopdf renders offline."""
    svg = bar_chart_svg(table, year, previous_year).encode()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()
