"""Command line: `python -m pipeline COMMAND ...` (see docs/cli.md and the contract's CLI.md).

`parser` declares the commands and flags; their bodies are grouped as `--help` lists them:
`load` (ingest, validate, run, funding, migrate, units), `figures` (indicators, statement,
compare), `documents` (report, notebooks, template, docs) and `tools` (pseudonymise, suites,
synth). `errors` holds the usage error every command may raise.  Heavy modules (Great
Expectations, the report and notebook machinery) are imported inside the
commands that need them.
"""

from __future__ import annotations

import sys

from pipeline.cli.errors import EXIT_OK, EXIT_REJECTED, EXIT_USAGE, UsageError
from pipeline.cli.parser import build_parser
from pipeline.config import InstallationError
from pipeline.warehouse.connection import WarehouseError


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code of CLI.md."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except UsageError as e:
        print(f"błąd użycia: {e}", file=sys.stderr)
        return EXIT_USAGE
    except (WarehouseError, InstallationError) as e:
        print(f"błąd: {e}", file=sys.stderr)
        return EXIT_REJECTED
    except BrokenPipeError:  # output piped into e.g. `head`
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        print("przerwano; magazyn danych pozostał w ostatnim spójnym stanie", file=sys.stderr)
        return 130
