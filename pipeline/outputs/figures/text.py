"""The indicators of a year as text for the terminal: an aligned table, or CSV rows."""

from __future__ import annotations

import csv
import io

from pipeline.grammar import number
from pipeline.indicators.registry import BREAKDOWNS, CLOSED_BY_REASON, CLOSED_BY_REASON_LABEL, INDICATORS


def indicators_table(values: dict) -> str:
    """Indicators as an aligned text table: Polish label, the value in Polish format (`3 572`, `795,0`), and the key
    (what `--explain KEY` takes)."""
    lines = []
    for i in INDICATORS:
        v = values[i.key]
        lines.append(f"{i.label:<62} {number(v, i.decimals):>10}   {i.key}")
    for reason, n in values[CLOSED_BY_REASON].items():
        lines.append(f"  zakończone: {reason:<49} {number(n):>10}   {CLOSED_BY_REASON}")
    for b in BREAKDOWNS:
        lines.append(f"{b.label:<62} {'':>10}   {b.key}")
        for category, n in values[b.key].items():
            lines.append(f"  {category:<60} {number(n):>10}   {b.key}")
    return "\n".join(lines)


def indicators_csv(values: dict) -> str:
    """Indicators as CSV rows key,label,value (the reasons and the breakdowns as extra rows)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["key", "label", "value"])
    for i in INDICATORS:
        w.writerow([i.key, i.label, "" if values[i.key] is None else values[i.key]])
    for reason, n in values[CLOSED_BY_REASON].items():
        w.writerow([f"{CLOSED_BY_REASON}:{reason}", f"{CLOSED_BY_REASON_LABEL}: {reason}", n])
    for b in BREAKDOWNS:
        for category, n in values[b.key].items():
            w.writerow([f"{b.key}:{category}", f"{b.label}: {category}", n])
    return buf.getvalue()
