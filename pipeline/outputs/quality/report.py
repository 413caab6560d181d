"""Write the quality report of one export: self-contained HTML and sanitised GX results.

The HTML has no external resources (opens offline on an analyst's PC).  Both
files name rules, tables, columns, rows and record pseudonyms, never a value.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

from jinja2 import select_autoescape

from pipeline.checks.gate import Verdict
from pipeline.checks.rules import rules_by_code
from pipeline.contract import TABLES
from pipeline.outputs import templating
from pipeline.warehouse.load import LoadResult

_ENV = templating.environment("pipeline.outputs.quality", autoescape=select_autoescape(["html", "j2"]))


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name)


def _in_contract_order(counts: dict[str, int]) -> dict[str, int]:
    """The tables' row counts in the contract's order (metadane first), whatever order they were read in."""
    order = {t: i for i, t in enumerate(("metadane", *TABLES))}
    return dict(sorted(counts.items(), key=lambda kv: order.get(kv[0], len(order))))


def write_quality_report(directory: Path, verdict: Verdict, result: LoadResult) -> Path:
    """Write `<load>_<export>.html` and `.gx.json` into `directory`; return the HTML path."""
    directory.mkdir(parents=True, exist_ok=True)
    stem = f"{result.load_id or 0:05d}_{_slug(verdict.export.name)}"
    rules = rules_by_code()
    data = verdict.export
    html = _ENV.get_template("quality.html.j2").render(
        name=data.name,
        outcome=result.outcome,
        load_id=result.load_id,
        meta=data.meta,
        generated=datetime.now().strftime("%Y-%m-%d %H:%M"),
        problems=verdict.problems,
        findings=verdict.findings,
        rules_checked=verdict.rules_checked,
        rules_failed=verdict.rules_failed,
        row_counts=_in_contract_order(data.row_counts()),
        encodings=data.encodings,
        kind=data.container.kind if data.container else "?",
        rules=rules,
    )
    path = directory / f"{stem}.html"
    path.write_text(html, encoding="utf-8")
    gx = {
        "export": data.name,
        "outcome": result.outcome,
        "load_id": result.load_id,
        "note": "wyniki Great Expectations bez wartości komórek: tylko liczby i numery wierszy",
        "results": verdict.gx_results,
        "problems": [p.to_dict() for p in verdict.problems],
        "findings": [f.to_dict() for f in verdict.findings],
    }
    (directory / f"{stem}.gx.json").write_text(json.dumps(gx, ensure_ascii=False, indent=1), encoding="utf-8")
    return path
