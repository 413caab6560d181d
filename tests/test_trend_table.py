"""The indicators by year as the analyst's workbook and CSV: Polish headers, formats, definicje, no formulas."""

from __future__ import annotations

import pytest
from builders import assistant, episode, family
from openpyxl import load_workbook

from pipeline.cli import main
from pipeline.indicators import registry


@pytest.fixture
def covered(db, load_rows):
    """2023: one family closed with goals achieved after 305 days; 2024: one family supported, nothing closed."""
    rows = {"asystenci": [assistant("A1", "2020-01-01")], "rodziny": [family("R1"), family("R2")],
            "asystentury": [episode("E1", "R1", "2023-01-01", "2023-11-01"), episode("E2", "R2", "2024-05-01")]}
    load_rows(rows, start="2023-01-01", end="2024-12-31")
    return db


def _cells(ws) -> list:
    return [c for row in ws.iter_rows() for c in row]


def test_years_workbook_has_polish_headers_formats_and_definitions(covered, tmp_path, capsys):
    out = tmp_path / "trend.xlsx"
    assert main(["indicators", "--years", "2023-2024", "--db", str(covered), "--out", str(out)]) == 0
    assert f"zapisano {out}" in capsys.readouterr().out
    book = load_workbook(out)
    assert book.sheetnames == ["wskaźniki", "definicje"]
    ws = book["wskaźniki"]
    headers = [c.value for c in ws[1]]
    assert headers[:3] == ["rok", "liczba asystentów rodziny", "rodziny objęte wsparciem asystenta"]
    assert "w tym z powodu osiągnięcia celów" in headers and "zakończone: osiągnięcie celów" in headers
    assert not any("_" in h for h in headers)                                 # no English keys
    col = {h: i + 1 for i, h in enumerate(headers)}
    assert [ws.cell(r, 1).value for r in (2, 3)] == [2023, 2024] and ws.cell(2, 1).number_format == "0"
    families = ws.cell(2, col["rodziny objęte wsparciem asystenta"])
    assert families.value == 1 and families.number_format == "#,##0"
    assert ws.cell(2, col["w tym z powodu osiągnięcia celów"]).value == 1
    median = col["mediana czasu trwania zakończonej współpracy (dni)"]
    assert ws.cell(2, median).value == 305.0 and ws.cell(2, median).number_format == "#,##0.0"
    assert ws.cell(3, median).value is None                                   # nothing closed in 2024: empty, not 0
    assert any(isinstance(c.value, str) and c.value.startswith("Puste pole") for c in _cells(ws))  # ...with a note
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref
    for cell in _cells(ws) + _cells(book["definicje"]):
        assert cell.data_type not in ("f", "e")                               # no formula, no error value
    definitions = {r[1]: (r[0], r[2]) for r in book["definicje"].iter_rows(min_row=2, values_only=True)}
    assert [c.value for c in book["definicje"][1]] == ["wskaźnik", "klucz", "definicja"]
    assert definitions["families_supported"] == ("rodziny objęte wsparciem asystenta",
                                                 registry.BY_KEY["families_supported"].definicja)
    assert set(registry.BY_KEY) <= set(definitions)


def test_one_year_with_out_writes_a_csv_for_polish_excel(covered, tmp_path):
    out = tmp_path / "rok.csv"
    assert main(["indicators", "--year", "2023", "--db", str(covered), "--out", str(out)]) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")                                    # UTF-8 with BOM
    header, row = raw.decode("utf-8-sig").splitlines()
    assert header.startswith("rok;liczba asystentów rodziny;rodziny objęte wsparciem asystenta;")
    values = dict(zip(header.split(";"), row.split(";"), strict=True))
    assert values["rok"] == "2023" and values["rodziny objęte wsparciem asystenta"] == "1"
    assert values["mediana czasu trwania zakończonej współpracy (dni)"] == "305,0"   # decimal comma


def test_out_must_be_xlsx_or_csv(covered, tmp_path, capsys):
    assert main(["indicators", "--year", "2023", "--db", str(covered), "--out", str(tmp_path / "t.txt")]) == 2
    assert "plik .xlsx albo .csv" in capsys.readouterr().err


def test_the_trend_file_has_the_problem_columns_of_the_printed_trend(db, load_rows, tmp_path, capsys):
    """2023: R1 (ubóstwo, alkoholizm); 2024: R2 (ubóstwo): the same `problem: …` columns as printed, in both files."""
    rows = {"asystenci": [assistant("A1", "2020-01-01")], "rodziny": [family("R1"), family("R2")],
            "asystentury": [episode("E1", "R1", "2023-01-01", "2023-11-01"), episode("E2", "R2", "2024-05-01")],
            "problemy": [{"id_problemu": "B1", "id_asystentury": "E1", "problem": "ubóstwo"},
                         {"id_problemu": "B2", "id_asystentury": "E1", "problem": "alkoholizm"},
                         {"id_problemu": "B3", "id_asystentury": "E2", "problem": "ubóstwo"}]}
    load_rows(rows, start="2023-01-01", end="2024-12-31")
    assert main(["indicators", "--years", "2023-2024", "--db", str(db)]) == 0
    printed = capsys.readouterr().out.splitlines()[0].split(",")
    problems = [h for h in printed if h.startswith("problem: ")]
    assert problems[:2] == ["problem: ubóstwo", "problem: bezrobocie"] and "problem: alkoholizm" in problems
    csv_path, xlsx_path = tmp_path / "trend.csv", tmp_path / "trend.xlsx"
    for out in (csv_path, xlsx_path):
        assert main(["indicators", "--years", "2023-2024", "--db", str(db), "--out", str(out)]) == 0
    header, y2023, y2024 = csv_path.read_text(encoding="utf-8-sig").splitlines()
    columns = header.split(";")
    assert [h for h in columns if h.startswith("problem: ")] == problems
    cells = {y: dict(zip(columns, line.split(";"), strict=True)) for y, line in ((2023, y2023), (2024, y2024))}
    assert (cells[2023]["problem: ubóstwo"], cells[2023]["problem: alkoholizm"], cells[2023]["problem: bezrobocie"]) == \
        ("1", "1", "0")
    assert (cells[2024]["problem: ubóstwo"], cells[2024]["problem: alkoholizm"]) == ("1", "0")
    book = load_workbook(xlsx_path)
    ws = book["wskaźniki"]
    headers = [c.value for c in ws[1]]
    col = headers.index("problem: alkoholizm") + 1
    assert ws.cell(2, col).value == 1 and ws.cell(3, col).value == 0 and ws.cell(2, col).number_format == "#,##0"
    definitions = {r[1]: r[2] for r in book["definicje"].iter_rows(min_row=2, values_only=True)}
    assert definitions["families_by_problem:alkoholizm"].startswith(
        "rodziny według zdiagnozowanych problemów, kategoria „alkoholizm”: dla każdego problemu rodziny z asystenturą")
