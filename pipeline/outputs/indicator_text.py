"""The indicators of a year as text for the terminal: an aligned table, or CSV rows."""

from __future__ import annotations

import csv
import io

from pipeline.indicators.registry import CLOSED_BY_REASON, CLOSED_BY_REASON_LABEL, INDICATORS


def indicators_table(values: dict) -> str:
    """Indicators as an aligned text table with Polish labels."""
    lines = []
    for i in INDICATORS:
        v = values[i.key]
        lines.append(f"{i.label:<62} {'—' if v is None else v:>10}   {i.key}")
    for reason, n in values[CLOSED_BY_REASON].items():
        lines.append(f"  zakończone: {reason:<49} {n:>10}   {CLOSED_BY_REASON}")
    return "\n".join(lines)


def indicators_csv(values: dict) -> str:
    """Indicators as CSV rows key,label,value (the reasons as extra rows)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["key", "label", "value"])
    for i in INDICATORS:
        w.writerow([i.key, i.label, "" if values[i.key] is None else values[i.key]])
    for reason, n in values[CLOSED_BY_REASON].items():
        w.writerow([f"{CLOSED_BY_REASON}:{reason}", f"{CLOSED_BY_REASON_LABEL}: {reason}", n])
    return buf.getvalue()
