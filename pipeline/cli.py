"""Command line: `python -m pipeline COMMAND ...` (see docs/cli.md and the contract's CLI.md).

Heavy modules (Great Expectations, the report and notebook machinery) are
imported inside the commands that need them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.cli_errors import UsageError, existing_paths
from pipeline.warehouse.connection import DEFAULT_DB, PROJECT_ROOT, WarehouseError

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2
DEFAULT_REPORTS = PROJECT_ROOT / "reports"


def cmd_ingest(args: argparse.Namespace) -> int:
    from pipeline.ingest import IngestOptions, ingest, progress_printer

    paths = existing_paths(args.paths)
    options = IngestOptions(db=Path(args.db), reports=Path(args.reports) / "quality", caseload_limit=args.caseload_limit)
    results = ingest(paths, options, on_result=progress_printer(len(paths)))
    return EXIT_REJECTED if any(r.outcome == "rejected" for r in results) else EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from pipeline.checks.gate import check_exports
    from pipeline.read.export import read_exports

    paths = existing_paths(args.paths)
    verdicts = check_exports(read_exports(paths), args.caseload_limit)
    for v in verdicts:
        status = "valid   " if v.accepted else "invalid "
        print(f"{status}{v.export.name}: reguły sprawdzone {v.rules_checked}, niespełnione {v.rules_failed}, "
              f"problemy krytyczne {len(v.problems)}, ustalenia {len(v.findings)}")
        for p in v.problems:
            print(f"    - {p.describe()}")
        for f in v.findings:
            print(f"    ! {f.describe()}")
    return EXIT_OK if all(v.accepted for v in verdicts) else EXIT_REJECTED


def cmd_suites(args: argparse.Namespace) -> int:
    import json

    from pipeline.checks.gx_runner import EXPECTATIONS_DIR
    from pipeline.checks.rules import suite_json
    from pipeline.contract import TABLES

    stale = []
    for table in ("metadane", *TABLES):
        path = EXPECTATIONS_DIR / f"{table}.json"
        text = json.dumps(suite_json(table), ensure_ascii=False, indent=2) + "\n"
        if args.write:
            path.write_text(text, encoding="utf-8")
        elif not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(path.name)
    if stale:
        print("zestawy reguł nieaktualne względem kodu: " + ", ".join(stale) + " (uruchom: python -m pipeline suites --write)")
        return EXIT_REJECTED
    print("zestawy reguł w expectations/ są aktualne" if not args.write else "zapisano zestawy reguł w expectations/")
    return EXIT_OK


def _add_db(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default=str(DEFAULT_DB), help="plik magazynu DuckDB (domyślnie data/warehouse.duckdb)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description="Analityka pracy asystentów rodziny (MOPS/GOPS).")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="wczytaj eksporty (folder, .zip, .xlsx) do magazynu")
    p.add_argument("paths", nargs="+", metavar="PATH")
    _add_db(p)
    p.add_argument("--reports", default=str(DEFAULT_REPORTS), help="folder raportów (raporty jakości w quality/)")
    p.add_argument("--caseload-limit", type=int, default=15, help="ustawowy limit rodzin na asystenta (domyślnie 15)")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("validate", help="sprawdź eksporty bez wczytywania")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--caseload-limit", type=int, default=15)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("suites", help="sprawdź (albo --write: zapisz) zestawy reguł GX w expectations/")
    p.add_argument("--write", action="store_true")
    p.set_defaults(func=cmd_suites)

    from pipeline import commands

    commands.register(sub, _add_db)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code of CLI.md."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except UsageError as e:
        print(f"błąd użycia: {e}", file=sys.stderr)
        return EXIT_USAGE
    except WarehouseError as e:
        print(f"błąd: {e}", file=sys.stderr)
        return EXIT_REJECTED
    except BrokenPipeError:  # output piped into e.g. `head`
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        print("przerwano; magazyn danych pozostał w ostatnim spójnym stanie", file=sys.stderr)
        return 130
