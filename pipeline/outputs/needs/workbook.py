"""`needs --out F.xlsx`: the needs for the year planned as a workbook (shared writer `outputs/spreadsheets`)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from pipeline.outputs import formats
from pipeline.outputs.needs.rows import backtest_note, backtest_rows, bonus_note, fte_rows, month_rows, summary_rows
from pipeline.outputs.spreadsheets import Column, Sheet, write_workbook

SUMMARY = [Column("label", "pozycja", "text", 48), Column("value", "wartość", "text", 18),
           Column("low", "przedział 95%: od", "decimal"), Column("high", "przedział 95%: do", "decimal"),
           Column("note", "założenie, źródło", "text", 90)]
MONTHS = [Column("month", "pierwszy dzień miesiąca", "date"), Column("expected", "rodziny aktywne: oczekiwane", "decimal"),
          Column("low", "od (95%)", "count"), Column("high", "do (95%)", "count"),
          Column("fte_needed", "etaty potrzebne", "count"), Column("fte_employed", "etaty zatrudnione (jak 31.12)", "decimal"),
          Column("max_bonus", "premia maks. na etaty zatrudnione", "money")]
FTE = [Column("month", "miesiąc (pierwszy dzień)", "date"), Column("assistants", "asystenci zatrudnieni w miesiącu", "count"),
       Column("fte", "etaty (wymiar × część miesiąca)", "decimal"), Column("max_bonus", "premia maks.", "money")]
BACKTEST = [Column("year", "rok", "year"), Column("projected_families", "rodziny objęte wsparciem: prognoza", "decimal"),
            Column("actual_families", "rodziny objęte wsparciem: było", "count"),
            Column("error_families", "błąd (rodziny)", "decimal"),
            Column("projected_peak", "szczyt: prognoza", "decimal"), Column("actual_peak", "szczyt: było", "count"),
            Column("error_peak", "błąd (szczyt)", "decimal")]


def _summary_frame(r: dict[str, Any]) -> pl.DataFrame:
    rows = [{"label": s["label"], "value": formats.cell(s["value"], s["kind"], 2),
             "low": None if s["low"] is None else float(s["low"]), "high": None if s["high"] is None else float(s["high"]),
             "note": s["note"]} for s in summary_rows(r)]
    schema = {"label": pl.String, "value": pl.String, "low": pl.Float64, "high": pl.Float64, "note": pl.String}
    return pl.DataFrame(rows, schema=schema)


def _frame(rows: list[dict], columns: list[Column]) -> pl.DataFrame:
    return pl.DataFrame(rows) if rows else pl.DataFrame({c.key: [] for c in columns})


def write_needs(path: Path, r: dict[str, Any]) -> Path:
    """Write the summary, the months of the year planned, the backtest, the FTE months and the assumptions."""
    year, prev = r["year"], r["year"] - 1
    notes = [f"Prognozy nie ma: {r['reason']}."] if r["status"] != "ok" else []
    until = formats.day(date.fromisoformat(r["data_until"]))
    sheets = [Sheet(f"potrzeby {year}", _summary_frame(r), SUMMARY, [*notes, f"dane do {until}"])]
    if r["status"] == "ok":
        sheets += [Sheet(f"miesiące {year}", _frame(month_rows(r), MONTHS), MONTHS, [r["monthly_fte"]["projected_note"]]),
                   Sheet("trafność metody", _frame(backtest_rows(r), BACKTEST), BACKTEST, [backtest_note(r)])]
    sheets.append(Sheet(f"etaty {prev}", _frame(fte_rows(r), FTE), FTE, [bonus_note(r)]))
    if r.get("assumptions"):
        sheets.append(Sheet("założenia", pl.DataFrame({"text": r["assumptions"]}), [Column("text", "założenie", "text", 120)]))
    return write_workbook(path, sheets)
