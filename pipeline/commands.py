"""Commands beyond ingest/validate: indicators, run, report, synth, notebooks.

Registered here so that cli.py stays small; each command imports what it needs
(none of them imports Great Expectations unless it validates).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from pipeline.cli_errors import UsageError, existing_paths
from pipeline.contract import DEFAULT_CASELOAD_LIMIT


def _years(text: str) -> list[int]:
    try:
        if "-" in text:
            a, b = (int(x) for x in text.split("-", 1))
            return list(range(a, b + 1))
        return [int(text)]
    except ValueError:
        raise argparse.ArgumentTypeError("oczekiwano roku albo zakresu lat, np. 2012-2025") from None


def indicators_table(values: dict) -> str:
    """Indicators as an aligned text table with Polish labels."""
    from pipeline.indicators.registry import CLOSED_BY_REASON, INDICATORS

    lines = []
    for i in INDICATORS:
        v = values[i.key]
        lines.append(f"{i.label:<62} {'—' if v is None else v:>10}   {i.key}")
    for reason, n in values[CLOSED_BY_REASON].items():
        lines.append(f"  zakończone: {reason:<49} {n:>10}   {CLOSED_BY_REASON}")
    return "\n".join(lines)


def indicators_csv(values: dict) -> str:
    """Indicators as CSV rows key,label,value (the reasons as extra rows)."""
    import csv
    import io

    from pipeline.indicators.registry import CLOSED_BY_REASON, CLOSED_BY_REASON_LABEL, INDICATORS

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["key", "label", "value"])
    for i in INDICATORS:
        w.writerow([i.key, i.label, "" if values[i.key] is None else values[i.key]])
    for reason, n in values[CLOSED_BY_REASON].items():
        w.writerow([f"{CLOSED_BY_REASON}:{reason}", f"{CLOSED_BY_REASON_LABEL}: {reason}", n])
    return buf.getvalue()


def cmd_indicators(args: argparse.Namespace) -> int:
    from pipeline.indicators import registry
    from pipeline.warehouse.connection import connect

    if args.year is None and args.years is None:
        raise UsageError("podaj --year ROK albo --years OD-DO")
    con = connect(Path(args.db), read_only=True)
    try:
        if args.explain:
            if args.explain not in registry.BY_KEY and args.explain != registry.CLOSED_BY_REASON:
                raise UsageError(f"nie ma wskaźnika {args.explain}; dostępne: {', '.join(registry.BY_KEY)}")
            frame = registry.explain(con, args.explain, args.year or args.years[-1], args.unit, args.caseload_limit)
            sys.stdout.write(frame.write_csv())
            return 0
        if args.years is not None:
            frame = registry.trend(con, args.years, args.unit, args.caseload_limit)
            if args.out:
                out = Path(args.out)
                out.parent.mkdir(parents=True, exist_ok=True)
                frame.write_excel(out) if out.suffix.lower() == ".xlsx" else frame.write_csv(out)
                print(f"zapisano {out}")
            else:
                sys.stdout.write(frame.write_csv())
            return 0
        values = registry.compute(con, args.year, args.unit, args.caseload_limit)
    finally:
        con.close()
    if args.format == "json":
        print(json.dumps({"year": args.year, "unit": args.unit, "indicators": values}, ensure_ascii=False, indent=2))
    elif args.format == "csv":
        sys.stdout.write(indicators_csv(values))
    else:
        print(indicators_table(values))
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from pipeline.main_job import run

    return run(Path(args.db), Path(args.out), existing_paths(args.paths), args.caseload_limit, not args.no_notebooks)


def _report_year(args: argparse.Namespace) -> int | None:
    if args.year is not None:
        return args.year
    from pipeline.main_job import latest_complete_year
    from pipeline.warehouse.connection import connect

    con = connect(Path(args.db), read_only=True)
    try:
        return latest_complete_year(con)
    finally:
        con.close()


def cmd_report(args: argparse.Namespace) -> int:
    from pipeline.report.render import write_report

    year = _report_year(args)
    if year is None:
        print("brak wczytanych eksportów: nie ma za jaki rok napisać informacji", file=sys.stderr)
        return 1
    for path in write_report(Path(args.db), year, args.unit, Path(args.out), args.caseload_limit):
        print(f"zapisano {path}")
    return 0


def cmd_notebooks(args: argparse.Namespace) -> int:
    from pipeline.notebooks import run_notebooks

    year = _report_year(args)
    if year is None:
        print("brak wczytanych eksportów", file=sys.stderr)
        return 1
    for path in run_notebooks(Path(args.db), year, args.unit, Path(args.out)):
        print(f"zapisano {path}")
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    from pipeline.docs import write_docs

    for path in write_docs():
        print(f"zapisano {path}")
    return 0


def cmd_funding(args: argparse.Namespace) -> int:
    from pipeline.main_job import load_funding_file

    (path,) = existing_paths([args.path])
    return 0 if load_funding_file(Path(args.db), path) else 1


def cmd_synth(args: argparse.Namespace) -> int:
    import time

    import polars as pl

    from pipeline.write import Dialect

    started = time.monotonic()
    if args.preset == "demo":
        from pipeline.synth.demo import write_demo, write_funding

        out = Path(args.out or "data/demo")
        paths = write_demo(out)
        funding = write_funding(out.parent / "reference" / "finansowanie.csv")
        print(f"zapisano {len(paths)} eksportów ośrodka demo w {out} i {funding}")
        return 0
    from pipeline.synth.national import NationalOptions, national_totals, write_national

    if args.totals:
        with pl.Config(tbl_rows=20, tbl_cols=10):
            print(national_totals(args.units, args.seed, args.workers))
        print(f"czas: {time.monotonic() - started:.0f} s")
        return 0
    dialect = Dialect(args.container, args.encoding, args.dates, args.strip_diacritics)
    out = Path(args.out or "data/national")
    tty = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        if tty and (done % 10 == 0 or done == total):
            print(f"\r{done}/{total} jednostek", end="" if done < total else "\n", file=sys.stderr, flush=True)

    rows = write_national(NationalOptions(out, args.units, args.seed, args.workers, dialect), progress)
    print(f"zapisano eksporty {args.units} jednostek ({rows} wierszy) w {out} w {time.monotonic() - started:.0f} s")
    return 0


def register(sub: argparse._SubParsersAction, add_db: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add the analysis commands to the parser."""
    from pipeline.cli import DEFAULT_REPORTS

    p = sub.add_parser("indicators", help="wskaźniki informacji rocznej za rok (albo --years: tabela trendu)")
    p.add_argument("--year", type=int)
    p.add_argument("--years", type=_years, help="zakres lat, np. 2012-2025: jeden wiersz na rok")
    p.add_argument("--unit", help="kod TERYT jednostki (bez: wszystkie jednostki razem)")
    add_db(p)
    p.add_argument("--format", choices=["json", "csv", "table"], default="table")
    p.add_argument("--out", help="z --years: plik .csv albo .xlsx (domyślnie CSV na wyjście)")
    p.add_argument("--explain", metavar="KEY", help="wypisz pseudonimy rekordów, z których powstała liczba")
    p.add_argument("--caseload-limit", type=int, default=DEFAULT_CASELOAD_LIMIT)
    p.set_defaults(func=cmd_indicators)

    p = sub.add_parser("synth", help="wygeneruj syntetyczne eksporty (demo albo krajowe)")
    p.add_argument("--preset", choices=["demo", "national"], default="demo")
    p.add_argument("--out", help="folder wyjściowy (demo: data/demo, national: data/national)")
    p.add_argument("--units", type=int, default=2477, help="national: liczba jednostek (ułamek zestawu krajowego)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--container", choices=["folder", "zip", "xlsx"], default="folder")
    p.add_argument("--encoding", choices=["utf-8", "utf-8-sig", "windows-1250"], default="utf-8")
    p.add_argument("--dates", choices=["iso", "pl"], default="iso")
    p.add_argument("--strip-diacritics", action="store_true")
    p.add_argument("--totals", action="store_true", help="national: tylko sumy roczne prawdziwej historii obok danych opublikowanych")
    p.set_defaults(func=cmd_synth)

    p = sub.add_parser("run", help="główne zadanie: wczytaj eksporty demo (albo podane), policz, zapisz raporty")
    p.add_argument("paths", nargs="*", metavar="PATH", help="eksporty (domyślnie data/demo/)")
    add_db(p)
    p.add_argument("--out", default=str(DEFAULT_REPORTS))
    p.add_argument("--caseload-limit", type=int, default=DEFAULT_CASELOAD_LIMIT)
    p.add_argument("--no-notebooks", action="store_true", help="bez wykonywania notatników (szybciej)")
    p.set_defaults(func=cmd_run)

    for name, func, help_text, default_out in (
        ("report", cmd_report, "informacja roczna za rok (HTML i DOCX)", DEFAULT_REPORTS),
        ("notebooks", cmd_notebooks, "wykonaj notatniki analityczne do HTML", DEFAULT_REPORTS / "notebooks"),
    ):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--year", type=int, help="rok (domyślnie ostatni pełny rok w magazynie)")
        p.add_argument("--unit", help="kod TERYT jednostki (bez: wszystkie razem)")
        add_db(p)
        p.add_argument("--out", default=str(default_out))
        p.add_argument("--caseload-limit", type=int, default=DEFAULT_CASELOAD_LIMIT)
        p.set_defaults(func=func)

    p = sub.add_parser("docs", help="wygeneruj strony docs/ z kodu (wskaźniki, reguły)")
    p.set_defaults(func=cmd_docs)

    p = sub.add_parser("funding", help="wczytaj plik finansowania (finansowanie.csv) do magazynu")
    p.add_argument("path", metavar="PATH")
    add_db(p)
    p.set_defaults(func=cmd_funding)
