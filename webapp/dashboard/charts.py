"""Server-rendered SVG bar charts (no charting script in the browser), readable at 360 px."""
from markupsafe import Markup, escape

WIDTH, ROW, BAR = 320, 34, 12


def bar_chart(bars, title=""):
    """One horizontal bar per (label, value, maximum, text): the label above its bar, the text
    (e.g. "87%") after it. Values are drawn against `maximum`; nothing when there are no bars."""
    bars = list(bars)
    if not bars:
        return Markup("")
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {ROW * len(bars)}" width="100%" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for n, (label, value, maximum, text) in enumerate(bars):
        top = n * ROW
        share = min(max((value or 0) / maximum, 0), 1) if maximum else 0
        length = round(share * (WIDTH - 60), 1)
        parts.append(
            f'<text x="0" y="{top + 12}" class="chart-label">{escape(label)}</text>'
            f'<rect x="0" y="{top + 16}" width="{WIDTH - 60}" height="{BAR}" rx="3" class="chart-track"/>'
            f'<rect x="0" y="{top + 16}" width="{length}" height="{BAR}" rx="3" class="chart-bar"/>'
            f'<text x="{WIDTH - 54}" y="{top + 27}" class="chart-value">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
