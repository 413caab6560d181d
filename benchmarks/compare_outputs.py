"""Compare two folders of the main job's outputs (before and after a change that must not change behaviour).

    python benchmarks/compare_outputs.py BEFORE/reports AFTER/reports

JSON, CSV, PNG and SVG files must be byte-identical. HTML is compared with what changes on every run
taken out (the "Wygenerowano" time, notebook cell ids, altair's chart ids); DOCX and XLSX member by
member, leaving out docProps/core.xml (the time the file was written). Prints one line per difference
and a closing count; exit 1 when anything differs.
"""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path

VOLATILE = [
    re.compile(rb"<t[hd]>Wygenerowano</t[hd]><td>[^<]*</td>"),
    re.compile(rb"Wygenerowano[^<]{0,40}\d{2}:\d{2}"),
    re.compile(rb'id="cell-id=[0-9a-f-]+"'),
    re.compile(rb"(vis|altair-viz)[-_][0-9a-f]{32}"),
    re.compile(rb"T_[0-9a-f]{5}"),  # pandas Styler table ids
    re.compile(rb"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z?"),
]


def _html(data: bytes) -> bytes:
    for pattern in VOLATILE:
        data = pattern.sub(b"", data)
    return data


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


def same(a: Path, b: Path) -> bool:
    """Whether two output files say the same, by their kind."""
    suffix = a.suffix.lower()
    if suffix in (".docx", ".xlsx"):
        return _members(a) == _members(b)
    if suffix in (".html", ".htm"):
        return _html(a.read_bytes()) == _html(b.read_bytes())
    return a.read_bytes() == b.read_bytes()


def main(before: Path, after: Path) -> int:
    names = {p.relative_to(before) for p in before.rglob("*") if p.is_file()}
    names |= {p.relative_to(after) for p in after.rglob("*") if p.is_file()}
    differ = 0
    for name in sorted(names):
        a, b = before / name, after / name
        if not a.exists() or not b.exists():
            print(f"only in {'after' if not a.exists() else 'before'}: {name}")
            differ += 1
        elif not same(a, b):
            print(f"differs: {name}")
            differ += 1
    print(f"{len(names)} files compared, {differ} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
