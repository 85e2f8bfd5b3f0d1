"""Charts as server-rendered SVG: stacked bars of recommendations per status.

The geometry is computed here so templates only place rectangles; the same markup works
in the browser and in PDF, and the numbers are also given as text beside each bar.
"""

from .models import Status


def stacked_bars(rows):
    """rows: [(group, {status: count})] -> bars with segments in percent of the bar."""
    bars = []
    for group, counts in rows:
        total = sum(counts.values())
        x = 0.0
        segments = []
        for status in Status:
            count = counts.get(status.value, 0)
            if not count:
                continue
            width = 100.0 * count / total
            segments.append(
                {"status": status.value, "label": status.label, "count": count,
                 "x": round(x, 3), "width": round(width, 3)}
            )  # fmt: skip
            x += width
        bars.append({"group": group, "total": total, "segments": segments})
    return bars
