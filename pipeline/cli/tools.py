"""Tools around the pipeline: `pseudonymise`, `suites`, `synth`.

Each command imports what it needs: none imports Great Expectations unless it validates.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.cli.errors import EXIT_OK, EXIT_REJECTED, UsageError, existing_paths

if TYPE_CHECKING:
    pass
from pipeline.cli.load import mapping_from_args
from pipeline.cli.validate import writable_folder
from pipeline.grammar import count


def pseudonymise(args: argparse.Namespace) -> int:
    from pipeline.jobs.pseudonymise import KeyFileError, PseudonymiseError, pseudonymise

    (source,) = existing_paths([args.source])
    writable_folder(Path(args.out), "folder wyjściowy")
    try:
        outcome = pseudonymise(source, Path(args.key), Path(args.out), mapping_from_args(args))
    except KeyFileError as e:  # the key file given is not usable: a usage error
        raise UsageError("; ".join(p.describe() for p in e.problems) or str(e)) from None
    except PseudonymiseError as e:
        print(f"nie zapisano eksportu z pseudonimami: {e}", file=sys.stderr)
        for p in e.problems:
            print(f"    - {p.describe()}", file=sys.stderr)
        return EXIT_REJECTED
    for line in outcome.messages:
        print(line)
    return EXIT_OK


def suites(args: argparse.Namespace) -> int:
    from pipeline.checks.rules import SUITE_TABLES, suite_json
    from pipeline.config import EXPECTATIONS_DIR

    stale = []
    if args.write:
        EXPECTATIONS_DIR.mkdir(parents=True, exist_ok=True)  # a deleted folder is made again
    for table in SUITE_TABLES:
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


def synth(args: argparse.Namespace) -> int:
    import time

    import polars as pl

    from pipeline.config import DEMO_DIR, NATIONAL_DIR
    from pipeline.synth.writer import Dialect

    started = time.monotonic()
    if args.preset == "demo":
        from pipeline.synth.demo import write_demo, write_funding

        out = Path(args.out) if args.out else DEMO_DIR
        paths = write_demo(out)
        written = write_funding(out.parent / "reference" / "finansowanie.csv")
        print(f"zapisano {len(paths)} eksportów ośrodka demo w {out} i {written}")
        return EXIT_OK
    from pipeline.synth.national import NationalOptions, national_totals, write_national

    if args.totals:
        with pl.Config(tbl_rows=20, tbl_cols=10):
            print(national_totals(args.units, args.seed, args.workers))
        print(f"czas: {time.monotonic() - started:.0f} s")
        return EXIT_OK
    dialect = Dialect(args.container, args.encoding, args.dates, args.strip_diacritics)
    out = Path(args.out) if args.out else NATIONAL_DIR
    tty = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        if tty and (done % 10 == 0 or done == total):
            print(f"\r{done}/{total} jednostek", end="" if done < total else "\n", file=sys.stderr, flush=True)

    rows = write_national(NationalOptions(out, args.units, args.seed, args.workers, dialect), progress)
    print(f"zapisano eksporty {args.units} jednostek ({count(rows, 'wiersz')}) w {out} w {time.monotonic() - started:.0f} s")
    return EXIT_OK
