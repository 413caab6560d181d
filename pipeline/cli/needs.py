"""`needs`: the needs for the year planned (families, FTE at the caseload limit, cost, backtest) — issue 27."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from pipeline.cli.errors import EXIT_OK, UsageError
from pipeline.cli.validate import writable_file


def need_families(text: str) -> int:
    """The number of families helped for "bezradność w sprawach opiekuńczo-wychowawczych" (MRiPS-03): 0 or more."""
    value = int(text.strip(), 10) if text.strip().isascii() and text.strip().isdigit() else None
    if value is None or value > 10_000_000:
        raise argparse.ArgumentTypeError("oczekiwano liczby rodzin (całkowitej, 0 lub więcej) z MRiPS-03")
    return value


def needs(args: argparse.Namespace) -> int:
    from pipeline.cli import guards
    from pipeline.indicators import needs as compute
    from pipeline.warehouse.connection import connect
    from pipeline.warehouse.coverage import unit_name

    if args.out is not None:
        if Path(args.out).suffix.lower() != ".xlsx":
            raise UsageError(f"--out: plik .xlsx, nie {Path(args.out).name}")
        writable_file(Path(args.out), "plik wyjściowy")
    con = connect(Path(args.db), read_only=True)
    try:
        unit = guards.resolve_unit(con, args.unit)
        first, last = compute.covered_history(con, unit)
        if last is None:
            raise UsageError("magazyn nie ma jeszcze żadnego wczytanego eksportu (python -m pipeline ingest ...)")
        year = args.year if args.year is not None else last + 1
        if year - 1 > last:
            raise UsageError(f"rok {year} planujemy z danych do 31.12.{year - 1}, a eksporty obejmują pełne lata "
                             f"do {last}; podaj --year {last + 1} albo wcześniejszy")
        if year - 1 < first:
            raise UsageError(f"eksporty obejmują lata od {first}: rok {year} nie ma roku poprzedniego w danych")
        guards.check_years(con, [year - 1], unit)  # a year in a gap between exports is no base to plan from
        result = compute.needs(con, year, unit, args.caseload_limit, args.need_families)
        label = unit_name(con, unit) if unit else "wszystkie jednostki razem"
    finally:
        con.close()
    if args.out is not None:
        from pipeline.outputs.needs.workbook import write_needs

        print(f"zapisano {write_needs(Path(args.out), result)}")
    if args.format == "json":
        print(json.dumps(result, ensure_ascii=False, indent=2))
    elif args.out is None:
        from pipeline.outputs.needs.text import needs_table

        print(needs_table(result, label))
    return EXIT_OK
