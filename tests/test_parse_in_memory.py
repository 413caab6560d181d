"""Small CSV files parsed from memory as one text (issue 26): every file's rows, row numbers and export tags are
those the multi-file scan from disk gives, on the awkward files too; whatever could make files bleed into each
other (an open quote, a file holding the boundary line itself) sends the batch back to the scan from disk."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from builders import meta, small_case, write
from polars.testing import assert_frame_equal

from pipeline.read import tables
from pipeline.read.containers import Member
from pipeline.read.export import read_exports

HEADER = b"id_oceny;id_asystentury;data_oceny\n"
COLUMNS = ["id_oceny", "id_asystentury", "data_oceny"]
AWKWARD = {  # each parses alone, from disk, to the rows the comment says
    "plain": HEADER + b"O1;E1;2012-01-01\nO2;E1;2012-02-01\n",           # 2 rows
    "no_newline_at_end": HEADER + b"O1;E1;2012-01-01",                  # 1
    "blank_lines": HEADER + b"\nO1;E1;2012-01-01\n\n\n;;\nO2;E2;x\n",    # 6, the blank ones all empty
    "quoted_newline": HEADER + b'O1;"E\n1";2012-01-01\nO2;"a;b";c\n',   # 2: a newline and a separator in quotes
    "one_field_too_many": HEADER + b"O1;E1;d;x\n",                      # 1, with the surplus field
    "short_lines": HEADER + b"O2\nO3;E3\n",                             # 2, missing fields empty
    "header_only": HEADER,                                              # 0
    "crlf": HEADER.replace(b"\n", b"\r\n") + b"O1;E1;d\r\nO2;E2;d\r\n",   # 2
    "no_header_newline": HEADER.rstrip(b"\n"),                          # 0
}


def _files(folder: Path, contents: dict[str, bytes], in_memory: bool = True) -> list[tuple[int, tables.CsvFile]]:
    folder.mkdir(exist_ok=True)
    files = []
    for n, (name, content) in enumerate(contents.items()):
        path = folder / f"{name}.csv"
        path.write_bytes(content)
        member = Member("oceny", path.name, open_csv=lambda p=path: p.open("rb"), path=path)
        files.append((10 * n + 3, tables.CsvFile(member, COLUMNS, "utf-8", None, path, content if in_memory else None)))
    return files


def test_awkward_files_parse_from_memory_exactly_as_from_disk(tmp_path):
    files = _files(tmp_path, AWKWARD)
    from_memory = tables._parse_in_memory(files)
    from_disk = tables.scan_csv_files(_files(tmp_path / "disk", AWKWARD, in_memory=False))
    assert from_memory is not None and from_disk is not None
    assert_frame_equal(from_memory, from_disk)
    assert from_memory.height == 2 + 1 + 6 + 2 + 1 + 2 + 0 + 2 + 0
    counts = dict(from_memory.group_by(tables.EXPORT).len().iter_rows())
    assert counts == {3: 2, 13: 1, 23: 6, 33: 2, 43: 1, 53: 2, 73: 2}
    rows = from_memory.filter(pl.col(tables.EXPORT) == 23)[tables.ROW].to_list()
    assert rows == [2, 3, 4, 5, 6, 7]                                  # numbered within its own file
    assert tables.scan_csv_files(files).equals(from_memory)            # what the reader calls


@pytest.mark.parametrize("opened, closed", [
    (HEADER + b'O1;"E1;d\n', HEADER + b'O2;E2";d\n'),                 # a quote opened in one file, closed in the next
    (HEADER + b'O1;E1;"d', HEADER + b'O2;E2;d"\n'),                   # the same, the first file without a newline
])
def test_an_open_quote_never_joins_two_files(tmp_path, opened, closed):
    files = _files(tmp_path, {"a": opened, "b": closed})
    assert tables._parse_in_memory(files) is None                     # the boundary line it swallowed is missed
    assert tables.scan_csv_files(files) is None                       # as from disk: the files are read one by one


def test_a_file_holding_the_boundary_line_is_parsed_from_disk(tmp_path):
    line = tables._BOUNDARY.encode()
    contents = {"a": HEADER + b"O1;E1;d\n" + line + b"\nO2;E2;d\n", "b": HEADER + b"O3;E3;d\n"}
    files = _files(tmp_path, contents)
    assert tables._parse_in_memory(files) is None
    frame = tables.scan_csv_files(files)
    assert frame is not None and frame.height == 4                     # the line is a row of its file, as it is


def test_reading_exports_gives_the_same_frames_from_memory_and_from_disk(tmp_path, monkeypatch):
    paths = [write(tmp_path / f"e{n}", small_case()) for n in range(3)]
    parsed = []
    real = tables._parse_in_memory
    monkeypatch.setattr(tables, "_parse_in_memory", lambda files: parsed.append(len(files)) or real(files))
    from_memory = read_exports(paths)
    assert parsed and all(n == 3 for n in parsed)                      # every table of the three, from memory
    monkeypatch.setattr(tables, "_parse_in_memory", lambda files: None)
    from_disk = read_exports(paths)
    for a, b in zip(from_memory, from_disk, strict=True):
        assert a.problems == b.problems
        assert a.tables.keys() == b.tables.keys() and a.text.keys() == b.text.keys()
        for table in a.tables:
            assert_frame_equal(a.tables[table], b.tables[table])
        for table in a.text:
            assert_frame_equal(a.text[table], b.text[table])


def test_ingest_opens_each_small_file_of_a_folder_once(tmp_path, monkeypatch):
    """Hashing keeps the bytes of a folder's small files for their reading (`content_hash(kept=...)`)."""
    from pipeline.jobs.ingest import IngestOptions, ingest

    exports = [write(tmp_path / "eksporty" / f"e{n}", small_case(), meta(unit=unit)) for n, unit in enumerate(("1261011", "1261021"))]
    opened: list[Path] = []
    real_open = Path.open

    def counting_open(self, *args, **kwargs):
        if tmp_path / "eksporty" in self.parents:
            opened.append(self)
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", counting_open)
    results = ingest(exports, IngestOptions(db=tmp_path / "w.duckdb"))
    assert [r.outcome for r in results] == ["loaded", "loaded"]
    files = sorted(f for e in exports for f in e.iterdir())
    assert sorted(opened) == files                                      # each once: for its hash, kept for its reading
