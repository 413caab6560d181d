"""Findings that only echo an unread date are not reported; the type error says so and names the format (issue 24).

The fixture: assistant A1 has E1 (assignment P1, 2022-03-01..2022-12-31; the episode runs to 2024-06-30) and E2
(P2 from 2023-01-10, open), assessed on 2024-12-01.  Read correctly, A1 never has two families at once and E2 was
assessed six weeks before the export: no ASY-011 (limit 1), no EPI-023.  When P1's data_do and the assessment's
data_oceny are unread, P1 would run to E1's end (two families at once: ASY-011) and E2 would look unassessed since
its start (EPI-023).
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest
from builders import assessment, assignment, assistant, episode, family, meta, write

from pipeline.checks.gate import check_exports
from pipeline.read.date_hints import date_hint
from pipeline.read.export import read_exports

ROWS = {
    "asystenci": [assistant("A1")],
    "rodziny": [family("R1"), family("R2")],
    "asystentury": [episode("E1", "R1", "2022-03-01", "2024-06-30", monitoring="2024-09-30"),
                    episode("E2", "R2", "2023-01-10")],
    "przydzialy": [assignment("P1", "E1", "A1", "2022-03-01", "2022-12-31"), assignment("P2", "E2", "A1", "2023-01-10")],
    "oceny": [assessment("O1", "E2", "2024-12-01")],
}


def _us_dates(path: Path, table: str, column: str) -> None:
    """Rewrite one column's ISO dates as M/D/YYYY (the US-locale Excel)."""
    f = path / f"{table}.csv"
    frame = pl.read_csv(f, separator=";", infer_schema=False)
    frame = frame.with_columns(pl.col(column).str.replace(r"^(\d{4})-0?(\d{1,2})-0?(\d{1,2})$", "$2/$3/$1"))
    f.write_text(frame.write_csv(separator=";", null_value=""), encoding="utf-8")


def _verdict(path: Path, validator, limit: int = 1):
    return check_exports(read_exports([path]), limit, validator)[0]


def _codes(problems) -> set[str]:
    return {p.code for p in problems}


def test_the_fixture_read_correctly_has_no_finding(tmp_path: Path, validator):
    v = _verdict(write(tmp_path / "ok", ROWS, meta()), validator)
    assert v.accepted and not v.findings, [p.describe() for p in v.problems + v.findings]


def test_the_findings_the_same_dates_give_when_empty(tmp_path: Path, validator):
    """Emptied (not unread) the same cells do give both findings: the gate checks them, so the next test can fail."""
    rows = {**ROWS, "przydzialy": [assignment("P1", "E1", "A1", "2022-03-01"), ROWS["przydzialy"][1]], "oceny": []}
    v = _verdict(write(tmp_path / "empty", rows, meta()), validator)
    assert {"ASY-011", "EPI-023"} <= _codes(v.findings)


def test_us_dates_give_type_errors_only(tmp_path: Path, validator):
    path = write(tmp_path / "us", ROWS, meta())
    _us_dates(path, "przydzialy", "data_do")
    _us_dates(path, "oceny", "data_oceny")
    v = _verdict(path, validator)
    assert _codes(v.problems) == {"TYP-001"}
    assert not _codes(v.findings) & {"ASY-011", "EPI-023"}, [p.describe() for p in v.findings]
    by_column = {p.column: p.describe() for p in v.problems}
    assert "pominięto 1 ustalenie (ASY-011)" in by_column["data_do"]
    assert "pominięto 1 ustalenie (EPI-023)" in by_column["data_oceny"]
    for text in by_column.values():
        assert "12/31/2022" not in text and "12/1/2024" not in text


def test_only_the_rows_that_read_an_unread_cell_are_left_out(tmp_path: Path, validator):
    """A second assistant whose own assignments overlap keeps his ASY-011: the unread date is not his."""
    rows = {**ROWS, "asystenci": [assistant("A1"), assistant("A2")], "rodziny": [*ROWS["rodziny"], family("R3")],
            "asystentury": [*ROWS["asystentury"], episode("E3", "R3", "2023-02-01")],
            "przydzialy": [*ROWS["przydzialy"], assignment("P3", "E3", "A2", "2023-02-01"),
                           assignment("P4", "E2", "A2", "2023-03-01")],
            "oceny": [*ROWS["oceny"], assessment("O2", "E3", "2024-12-01")]}
    path = write(tmp_path / "us", rows, meta())
    _us_dates(path, "przydzialy", "data_do")  # only P1 has a data_do
    v = _verdict(path, validator)
    (caseload,) = [p for p in v.findings if p.code == "ASY-011"]
    assert caseload.ids == ["A2"]


def test_the_type_error_names_the_us_format_and_the_mapping_line(tmp_path: Path, validator):
    rows = {**ROWS, "przydzialy": [assignment("P1", "E1", "A1", "2022-03-01", "2022-12-31"),
                                   assignment("P2", "E2", "A1", "2023-01-10", "2023-05-15")]}
    path = write(tmp_path / "us", rows, meta())
    _us_dates(path, "przydzialy", "data_do")
    (problem,) = [p for p in _verdict(path, validator).problems if p.column == "data_do"]
    assert 'postać M/D/RRRR' in problem.message and '[daty] format = "%m/%d/%Y"' in problem.message


@pytest.mark.parametrize(("cells", "line"), [
    (["5/15/2020", "12/31/2021", "1/2/2022"], '[daty] format = "%m/%d/%Y"'),
    (["15/5/2020", "31/12/2021", "1/2/2022"], '[daty] format = "%d/%m/%Y"'),
    (["5/1/2020", "12/11/2021"], '[daty] format = "%m/%d/%Y" albo [daty] format = "%d/%m/%Y"'),
    (["2020-05-15 00:00:00", "2021-12-31 00:00:00"], '[daty] format = "%Y-%m-%d %H:%M:%S"'),
    (["2020-05-15T08:30", "2021-12-31T08:30"], '[daty] format = "%Y-%m-%dT%H:%M"'),
    (["15.05.2020 00:00:00", "31.12.2021 00:00:00"], '[daty] format = "%d.%m.%Y %H:%M:%S"'),
    (["43966", "44561"], '[daty] format = "excel"'),
])
def test_the_format_hint_names_the_mapping_line(cells: list[str], line: str):
    hint = date_hint(pl.Series(cells, dtype=pl.String), pl.Series([True] * len(cells)))
    assert hint is not None and hint.endswith(line)


def test_no_hint_unless_most_cells_fail_in_one_shape():
    one_of_three = pl.Series(["5/15/2020", "2020-01-01", "2020-01-02"])
    assert date_hint(one_of_three, pl.Series([True, False, False])) is None
    half = pl.Series(["5/15/2020", "2020-01-01"])  # exactly half failed: not "most"
    assert date_hint(half, pl.Series([True, False])) is None
    mixed = pl.Series(["5/15/2020", "15/5/2020"])  # both orders: no single format reads them
    assert date_hint(mixed, pl.Series([True, True])) is None
    shapes = pl.Series(["5/15/2020", "jutro"] * 5 + ["5/15/2020"] * 8)  # 13 of 18 in one shape: under 90 %
    assert date_hint(shapes, pl.Series([True] * 18)) is None
    enough = pl.Series(["jutro"] + ["5/15/2020"] * 9)  # 9 of 10: exactly 90 %
    assert date_hint(enough, pl.Series([True] * 10)) is not None


def test_the_mapping_line_of_the_hint_reads_the_dates(tmp_path: Path, validator):
    """The line the hint names is one the mapping accepts, and with it the export is valid."""
    from pipeline.read.mapping import load_mapping, mapped_exports

    path = write(tmp_path / "us", ROWS, meta())
    _us_dates(path, "przydzialy", "data_do")
    _us_dates(path, "oceny", "data_oceny")
    (problem,) = [p for p in _verdict(path, validator).problems if p.column == "data_do"]
    line = re.search(r'\[daty\] (format = "[^"]+")', problem.message).group(1)
    toml = tmp_path / "m.toml"
    toml.write_text(f"[daty]\n{line}\n", encoding="utf-8")
    with mapped_exports([path], load_mapping(toml)) as paths:
        v = _verdict(paths[0], validator)
    assert v.accepted and not v.findings, [p.describe() for p in v.problems + v.findings]


def test_a_mapping_reads_excel_serial_dates(tmp_path: Path, validator):
    from pipeline.read.mapping import load_mapping, mapped_exports

    path = write(tmp_path / "serial", ROWS, meta())
    f = path / "oceny.csv"
    f.write_text(f.read_text(encoding="utf-8").replace("2024-12-01", "45627"), encoding="utf-8")  # 45627 = 2024-12-01
    (problem,) = [p for p in _verdict(path, validator).problems if p.column == "data_oceny"]
    assert '[daty] format = "excel"' in problem.message
    toml = tmp_path / "m.toml"
    toml.write_text('[daty]\nformat = "excel"\n', encoding="utf-8")
    with mapped_exports([path], load_mapping(toml)) as paths:
        data = read_exports(paths)[0]
    assert not data.problems and data.tables["oceny"]["data_oceny"].to_list() == [meta().okres_do.replace(month=12, day=1)]


def test_a_warning_on_its_own_unread_cell_is_counted_too(tmp_path: Path, validator):
    """E1 ended on 2024-06-30 with monitoring to 2024-09-30: unread, the monitoring date would leave EPI-021
    ("no monitoring after the end") on E1; it is left out and counted on the type error of its own column."""
    path = write(tmp_path / "us", ROWS, meta())
    _us_dates(path, "asystentury", "data_zakonczenia_monitoringu")
    v = _verdict(path, validator)
    assert "EPI-021" not in _codes(v.findings)
    (problem,) = [p for p in v.problems if p.column == "data_zakonczenia_monitoringu"]
    assert "pominięto 1 ustalenie (EPI-021)" in problem.message
