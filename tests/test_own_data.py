"""A centre gets its own data in: the contract pages, the Excel template, the pseudonymiser, the mapping, one pass."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from pipeline.config import DOCS_DIR, PROJECT_ROOT
from pipeline.contract import METADATA_KEYS, TABLES
from pipeline.indicators import registry
from pipeline.jobs.ingest import IngestOptions, ingest
from pipeline.read.batch import ROW
from pipeline.read.export import read_export
from pipeline.warehouse.connection import connect

DEMO_2024 = PROJECT_ROOT / "data" / "demo" / "1603011_2024"


# --- the contract in the repository


@pytest.mark.parametrize("page", ["contract.md", "kontrakt.md"])
def test_contract_pages_list_every_table_column_dictionary_value_and_key(page):
    text = (DOCS_DIR / page).read_text(encoding="utf-8")
    for table in TABLES.values():
        assert f"## `{table.name}`" in text
        for c in table.columns:
            assert f"| `{c.name}` |" in text
            for v in c.values:
                assert f"`{v}`" in text
            if c.references:
                assert f"`{c.references}`" in text
    for key in METADATA_KEYS:
        assert f"| `{key}` |" in text
    assert "EXPORT_FORMAT" not in text and "INDICATORS.md" not in text and "CLI.md" not in text


def test_contract_pages_follow_the_contract(monkeypatch):
    """A table added to the contract appears in the generated pages without anyone writing it there."""
    from pipeline.contract import Column, Table
    from pipeline.outputs.contract_docs import contract_markdown

    extra = Table("proba", "próba", "id_proby", (Column("id_proby", "id"), Column("rodzaj", "dict", values=("jeden", "drugi"))),
                  optional=True)
    monkeypatch.setitem(TABLES, "proba", extra)
    for lang in ("en", "pl"):
        text = contract_markdown(lang)
        assert "## `proba`" in text and "`jeden`, `drugi`" in text


# --- the Excel template


def _typed(path: Path) -> dict[str, pl.DataFrame]:
    data = read_export(path)
    assert not data.problems, [p.describe() for p in data.problems]
    return data


def test_empty_template_has_every_sheet_header_and_drop_down(tmp_path):
    import openpyxl

    from pipeline.outputs.template import write_template

    path = write_template(tmp_path / "szablon.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["metadane", *TABLES, "instrukcja"]
    assert [c.value for c in wb["metadane"]["A"]][1:] == list(METADATA_KEYS)
    for table in TABLES.values():
        ws = wb[table.name]
        assert [c.value for c in ws[1]] == table.column_names
        validated = {str(r).split(":")[0] for v in ws.data_validations.dataValidation for r in v.sqref.ranges}
        for j, c in enumerate(table.columns):
            letter = openpyxl.utils.get_column_letter(j + 1)
            assert (f"{letter}2" in validated) == (c.type in ("dict", "bool")), (table.name, c.name)
            dims = next(d for d in ws.column_dimensions.values() if d.min <= j + 1 <= d.max)
            assert (dims.number_format == "yyyy-mm-dd") == (c.type == "date"), (table.name, c.name)
    text = "\n".join(str(c.value) for row in wb["instrukcja"].iter_rows() for c in row if c.value)
    assert "arkusz dzieci" in text and "miesiąc urodzenia" in text and "może być pusta" in text


def test_demo_2024_through_the_template_loads_the_same_tables_and_figures(tmp_path, validator, monkeypatch):
    import pipeline.checks.gx_runner as gx_runner
    from pipeline.outputs.template import fill_from_export

    monkeypatch.setattr(gx_runner, "GxValidator", lambda: validator)
    csv = _typed(DEMO_2024)
    workbook = fill_from_export(tmp_path / "1603011_2024.xlsx", csv)
    xlsx = _typed(workbook)
    assert xlsx.meta == csv.meta
    for name in TABLES:
        assert xlsx.tables[name].drop(ROW).equals(csv.tables[name].drop(ROW)), name
    figures = {}
    for kind, path in (("csv", DEMO_2024), ("xlsx", workbook)):
        db = tmp_path / f"{kind}.duckdb"
        (result,) = ingest([path], IngestOptions(db=db, reports=None))
        assert result.outcome == "loaded", [p.describe() for p in result.problems or []]
        con = connect(db, read_only=True)
        try:
            figures[kind] = registry.compute(con, 2024, "1603011")
            tables = {t: con.execute(f"SELECT * EXCLUDE (load_id) FROM core.{t} ORDER BY 1, 2").fetchall() for t in TABLES}
        finally:
            con.close()
        figures[kind + " tables"] = tables
    assert figures["xlsx"] == figures["csv"]
    assert figures["xlsx"]["families_supported"] == 68 and figures["xlsx"]["assistants"] == 4
    assert figures["xlsx tables"] == figures["csv tables"]


def test_a_changed_instruction_sheet_rejects_the_export(tmp_path):
    import openpyxl

    from pipeline.outputs.template import fill_from_export

    path = fill_from_export(tmp_path / "t.xlsx", _typed(DEMO_2024))
    wb = openpyxl.load_workbook(path)
    wb["instrukcja"]["B3"] = "wklejone dane"
    changed = tmp_path / "changed.xlsx"
    wb.save(changed)
    codes = [p.code for p in read_export(changed).problems]
    assert codes == ["STR-002"]
