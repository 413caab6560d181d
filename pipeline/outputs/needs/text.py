"""`needs --format table`: the needs for the year planned as Polish text, each assumption beside its figure."""

from __future__ import annotations

from typing import Any

from pipeline.outputs import formats
from pipeline.outputs.needs.rows import backtest_note, backtest_rows, bonus_note, fte_rows, month_rows, summary_rows


def _value(row: dict[str, Any]) -> str:
    kind = row["kind"]
    return formats.cell(row["value"], kind, 2 if kind == "decimal" and row["label"].startswith(("etaty", "różnica")) else 1)


def _interval(row: dict[str, Any]) -> str:
    if row["low"] is None and row["high"] is None:
        return ""
    if row["low"] is None:
        return f"górna granica: {formats.count(row['high'])}"
    return f"95%: od {formats.count(row['low'])} do {formats.count(row['high'])}"


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    line = lambda cells: "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True)))  # noqa: E731
    return [line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def needs_table(r: dict[str, Any], unit_label: str) -> str:
    """The whole result: figures with their intervals and assumptions, the months, the backtest, the FTE months."""
    year, prev = r["year"], r["year"] - 1
    out = [f"Potrzeby na rok {year} — {unit_label} (dane do {formats.day(_date(r['data_until']))})", ""]
    if r["status"] != "ok":
        out += [f"Prognozy nie ma: {r['reason']}.", ""]
    summary = summary_rows(r)
    width = max(len(s["label"]) for s in summary)
    for s in summary:
        out.append(f"{s['label'].ljust(width)}  {_value(s):>14}  {_interval(s):<22}  {s['note']}")
    if r["status"] == "ok":
        out += ["", f"Rodziny aktywne pierwszego dnia miesiąca w {year} (oczekiwane, przedział 95%) i etaty:"]
        out += _table(["miesiąc", "oczekiwane", "od", "do", "etaty potrzebne", "etaty zatrudnione", "premia maks."],
                      [[formats.day(m["month"]), formats.decimal(m["expected"]), formats.count(m["low"]),
                        formats.count(m["high"]), formats.count(m["fte_needed"]), formats.decimal(m["fte_employed"], 2),
                        formats.money(m["max_bonus"])] for m in month_rows(r)])
        out.append(f"  {r['monthly_fte']['projected_note']}; etaty potrzebne w miesiącu: oczekiwane rodziny ÷ limit")
        out += ["", "Trafność metody (prognoza z danych do końca roku poprzedniego):"]
        bt = backtest_rows(r)
        if bt:
            out += _table(["rok", "rodziny: prognoza", "rodziny: było", "szczyt: prognoza", "szczyt: było"],
                          [[str(b["year"]), formats.decimal(b["projected_families"]), formats.count(b["actual_families"]),
                            formats.decimal(b["projected_peak"]), formats.count(b["actual_peak"])] for b in bt])
        out.append(f"  {backtest_note(r)}")
    out += ["", f"Etaty asystentów w miesiącach {prev} (z dat zatrudnienia i wymiaru etatu):"]
    out += _table(["miesiąc", "asystenci", "etaty", "premia maks."],
                  [[formats.day(m["month"]), formats.count(m["assistants"]), formats.decimal(m["fte"], 2),
                    formats.money(m["max_bonus"])] for m in fte_rows(r)])
    out.append(f"  {bonus_note(r)}")
    if r.get("assumptions"):
        out += ["", "Założenia:", *(f"  - {a}" for a in r["assumptions"])]
    return "\n".join(out)


def _date(text: str):
    from datetime import date

    return date.fromisoformat(text)
