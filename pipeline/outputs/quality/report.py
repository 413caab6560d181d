"""Write the quality report of one export: self-contained HTML and sanitised GX results.

The HTML has no external resources (opens offline on an analyst's PC).  Both
files name rules, tables, columns, rows and record pseudonyms, never a value.
A report's file name is bounded (a long export name is cut and given a hashed suffix), and a report replaces
whatever sits at its name (a symlink is never written through).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from datetime import datetime
from pathlib import Path

from jinja2 import select_autoescape

from pipeline.checks.gate import Verdict
from pipeline.checks.rules import rules_by_code
from pipeline.contract import TABLES
from pipeline.outputs import templating
from pipeline.warehouse.load import LoadResult

_ENV = templating.environment("pipeline.outputs.quality", autoescape=select_autoescape(["html", "j2"]))


MAX_SLUG = 120  # characters of the export's name in a report's file name: with the load number and ".gx.json" the
# name stays far under the 255 bytes most file systems allow, however long the export's name is


def _slug(name: str) -> str:
    """The export's name as a file name part: ASCII letters, digits, `._-`; a long one cut and given a hashed
    suffix (two long names that share their start still get two reports)."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", name)
    if len(slug) <= MAX_SLUG:
        return slug
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return f"{slug[:MAX_SLUG - 13]}_{digest}"


def _write_new(path: Path, text: str) -> None:
    """Write `path` through a fresh temporary file renamed over it: whatever sits at that name (a symlink planted in
    the reports folder, dangling or not) is replaced, never written through."""
    fd, tmp = tempfile.mkstemp(prefix=".raport-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        umask = os.umask(0o022)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # as an ordinary new file would be (mkstemp makes it 600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
    _write_new(path, html)
    gx = {
        "export": data.name,
        "outcome": result.outcome,
        "load_id": result.load_id,
        "note": "wyniki Great Expectations bez wartości komórek: tylko liczby i numery wierszy",
        "results": verdict.gx_results,
        "problems": [p.to_dict() for p in verdict.problems],
        "findings": [f.to_dict() for f in verdict.findings],
    }
    _write_new(directory / f"{stem}.gx.json", json.dumps(gx, ensure_ascii=False, indent=1))
    return path
