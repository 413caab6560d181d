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
    # the rules are imported before the patch: their suite list is made at import, and a first import under the patch
    # would keep the extra table for every later test of this process (a GX load then wants expectations/proba.json)
    import pipeline.checks.rules  # noqa: F401
    from pipeline.contract import Column, Table
    from pipeline.outputs.contract.pages import contract_markdown

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

    from pipeline.outputs.contract.template import write_template

    path = write_template(tmp_path / "szablon.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["instrukcja", "metadane", *TABLES, "listy"]   # the instruction first, the lists hidden last
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
    from pipeline.outputs.contract.template import fill_from_export

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

    from pipeline.outputs.contract.template import fill_from_export

    path = fill_from_export(tmp_path / "t.xlsx", _typed(DEMO_2024))
    wb = openpyxl.load_workbook(path)
    wb["instrukcja"]["B3"] = "wklejone dane"
    changed = tmp_path / "changed.xlsx"
    wb.save(changed)
    codes = [p.code for p in read_export(changed).problems]
    assert codes == ["STR-002"]


# --- the pseudonymiser

from builders import assignment, child, episode, meta, small_case, write  # noqa: E402

from pipeline.cli import main  # noqa: E402
from pipeline.jobs.pseudonymise import PseudonymiseError, pseudonymise  # noqa: E402

# Identifying ids of the identified export: PESELs, case numbers, names (the PESELs have valid check digits).
IDENTIFIED = {
    "R1": "44051401359", "R2": "02070803628", "R3": "Kowalska Anna",
    "E1": "ZP/2022/17", "E2": "ZP/2023/4", "E3": "ZP/2024/112", "E4": "ZP/2025/3",
    "A1": "Nowak Jan", "A2": "Wiśniewska Ewa", "D1": "10252212346", "D2": "Kowalski Piotr", "D3": "Kowalska Zofia",
}
SECRETS = [*IDENTIFIED.values(), "Anna", "Kowalska", "ul. Lipowa 5"]


def _years() -> list[tuple[str, dict, object]]:
    """Two yearly exports of one unit: 2024, and 2025 in which family R1 comes back (a second episode)."""
    later = small_case()
    later["asystentury"] = [*later["asystentury"], episode("E4", "R1", "2025-02-01")]
    later["przydzialy"] = [*later["przydzialy"], assignment("P5", "E4", "A1", "2025-02-01")]
    later["dzieci"] = [*later["dzieci"], child("D4", "R1", "2025-01")]
    return [("2024", small_case(), meta()),
            ("2025", later, meta(exported="2025-06-30", start="2025-01-01", end="2025-06-30"))]


def _identify(path: Path) -> Path:
    """Turn a pseudonymous export into an identified one: ids replaced, identifying columns added, birth dates."""
    for table in TABLES.values():
        f = path / f"{table.name}.csv"
        if not f.exists():
            continue
        frame = pl.read_csv(f, separator=";", infer_schema=False)
        for c in table.columns:
            if c.type == "id":
                frame = frame.with_columns(pl.col(c.name).replace(IDENTIFIED))
        if table.name == "rodziny":
            frame = frame.with_columns(pl.lit("Anna").alias("Imię"), pl.lit("Kowalska").alias("NAZWISKO"),
                                       pl.lit("ul. Lipowa 5").alias("adres"))
        if table.name == "dzieci":
            frame = frame.with_columns((pl.col("miesiac_urodzenia") + "-17").alias("data_urodzenia")).drop("miesiac_urodzenia")
        f.write_text(frame.write_csv(separator=";"), encoding="utf-8")
    return path


def _exports(tmp_path: Path) -> tuple[list[Path], list[Path]]:
    """The pseudonymous originals and the identified versions of the two years."""
    originals, identified = [], []
    for year, rows, m in _years():
        originals.append(write(tmp_path / "oryginal" / f"1603011_{year}", rows, m))
        identified.append(_identify(write(tmp_path / "identyfikujace" / f"1603011_{year}", rows, m)))
    return originals, identified


def _all_bytes(root: Path) -> bytes:
    return b"".join(f.read_bytes() for f in sorted(root.rglob("*")) if f.is_file())


def _figures(db: Path, paths: list[Path]) -> dict:
    results = ingest(paths, IngestOptions(db=db, reports=None))
    assert [r.outcome for r in results] == ["loaded"] * len(paths), [p.describe() for r in results for p in r.problems or []]
    con = connect(db, read_only=True)
    try:
        figures = {y: registry.compute(con, y, "1603011") for y in (2024, 2025)}
        episodes = con.execute("SELECT count(DISTINCT id_rodziny), count(*) FROM core.asystentury").fetchone()
        per_family = sorted(r[0] for r in con.execute("SELECT count(*) FROM core.asystentury GROUP BY id_rodziny").fetchall())
    finally:
        con.close()
    return {"figures": figures, "families, episodes": episodes, "episodes per family": per_family}


def test_two_years_pseudonymised_with_one_key_merge_like_the_originals(tmp_path, validator, monkeypatch, capsys):
    import pipeline.checks.gx_runner as gx_runner

    monkeypatch.setattr(gx_runner, "GxValidator", lambda: validator)
    originals, identified = _exports(tmp_path)
    key = tmp_path / "klucz" / "asystenci.key"
    out = tmp_path / "wynik"
    for path in identified:
        assert main(["pseudonymise", str(path), "--key", str(key), "--out", str(out)]) == 0
    messages = capsys.readouterr()
    assert "nigdy go nie wysyłaj" in messages.out
    assert key.stat().st_mode & 0o777 == 0o600
    pseudonymous = [out / p.name for p in identified]
    # Nothing identifying in any output file or message.
    written = _all_bytes(out) + (messages.out + messages.err).encode()
    for secret in SECRETS:
        assert secret.encode() not in written, secret
    # The output validates clean (no personal-data finding, no problem at all).
    assert main(["validate", *map(str, pseudonymous)]) == 0
    assert "PII-" not in capsys.readouterr().out
    # One family across the two years, with the same figures as the pseudonymous originals.
    mine = _figures(tmp_path / "p.duckdb", pseudonymous)
    theirs = _figures(tmp_path / "o.duckdb", originals)
    assert mine == theirs
    assert mine["episodes per family"] == [1, 1, 2]


def test_same_key_same_output_other_key_other_pseudonyms(tmp_path):
    _, (identified, _) = _exports(tmp_path)
    key, other = tmp_path / "a.key", tmp_path / "b.key"
    first = pseudonymise(identified, key, tmp_path / "1").path
    second = pseudonymise(identified, key, tmp_path / "2").path
    third = pseudonymise(identified, other, tmp_path / "3").path
    for f in sorted(first.iterdir()):
        assert (second / f.name).read_bytes() == f.read_bytes(), f.name
    ids = {pl.read_csv(p / "rodziny.csv", separator=";")["id_rodziny"].to_list()[0] for p in (first, third)}
    assert len(ids) == 2
    families = pl.read_csv(first / "rodziny.csv", separator=";")
    assert families.columns == TABLES["rodziny"].column_names
    assert families["id_rodziny"].str.starts_with("rodziny-").all()
    months = pl.read_csv(first / "dzieci.csv", separator=";")["miesiac_urodzenia"].to_list()
    assert months == ["2010-05", "2015-01", "2024-01"]


def test_the_pseudonyms_are_a_keyed_hmac_per_table():
    from pipeline.jobs.pseudonymise import pseudonym

    key = bytes(32)
    assert pseudonym(key, "rodziny", "44051401359") == pseudonym(key, "rodziny", "44051401359")
    assert pseudonym(key, "rodziny", "x").removeprefix("rodziny-") != pseudonym(key, "dzieci", "x").removeprefix("dziecka-")
    assert pseudonym(bytes([1] * 32), "rodziny", "x") != pseudonym(key, "rodziny", "x")
    assert not any(ch.isdigit() for ch in pseudonym(key, "rodziny", "x").split("-", 1)[1])


@pytest.mark.parametrize("where", ["unknown column", "metadata"])
def test_a_pesel_outside_the_ids_stops_it_without_echoing(tmp_path, capsys, where):
    _, (identified, _) = _exports(tmp_path)
    if where == "unknown column":
        frame = pl.read_csv(identified / "dzialania.csv", separator=";", infer_schema=False)
        frame.with_columns(pl.lit("44051401359").alias("nr_ewidencyjny")).write_csv(identified / "dzialania.csv", separator=";")
    else:
        text = (identified / "metadane.csv").read_text(encoding="utf-8")
        (identified / "metadane.csv").write_text(text.replace("MOPS Kędzierzyn-Koźle", "MOPS 44051401359"), encoding="utf-8")
    out = tmp_path / "wynik"
    assert main(["pseudonymise", str(identified), "--key", str(tmp_path / "k.key"), "--out", str(out)]) == 1
    messages = capsys.readouterr()
    text = messages.out + messages.err
    assert "44051401359" not in text and "nie zapisano" in text
    assert "dzialania" in text if where == "unknown column" else "metadane" in text
    assert not (out / identified.name).exists()
    assert not any(f.is_file() for f in out.rglob("*")) if out.exists() else True


def test_an_unknown_column_whose_header_is_a_pesel_is_not_named(tmp_path):
    _, (identified, _) = _exports(tmp_path)
    frame = pl.read_csv(identified / "rodziny.csv", separator=";", infer_schema=False)
    frame.with_columns(pl.lit("x").alias("44051401359")).write_csv(identified / "rodziny.csv", separator=";")
    with pytest.raises(PseudonymiseError) as e:
        pseudonymise(identified, tmp_path / "k.key", tmp_path / "wynik")
    text = " ".join(p.describe() for p in e.value.problems)
    assert "44051401359" not in text and "nazwa kolumny ukryta" in text


def test_zip_and_xlsx_sources_give_the_same_container_kind(tmp_path):
    from pipeline.read.raw import read_raw, write_zip

    _, (identified, _) = _exports(tmp_path)
    zipped = write_zip(identified, tmp_path / "1603011_2024.zip")
    out = pseudonymise(zipped, tmp_path / "k.key", tmp_path / "wynik").path
    assert out.suffix == ".zip" and out.is_file()
    assert not read_export(out).problems
    assert read_raw(out).kind == "zip"
    for secret in SECRETS:
        assert secret.encode() not in _all_bytes(tmp_path / "wynik")


# --- the mapping

EXAMPLE = PROJECT_ROOT / "data" / "examples"


def test_the_shipped_example_validates_only_with_its_mapping(capsys):
    export, mapping = EXAMPLE / "eksport_systemu_x", EXAMPLE / "mapowanie_systemu_x.toml"
    assert main(["validate", str(export)]) == 1
    assert main(["validate", str(export), "--mapping", str(mapping)]) == 0
    out = capsys.readouterr().out
    assert "poprawny    eksport_systemu_x" in out and "niespełnione 0, problemy krytyczne 0" in out


def test_the_mapped_example_reads_into_the_same_tables_as_the_contract_export(tmp_path):
    from builders import meta as make_meta

    from pipeline.read.mapping import load_mapping, mapped_exports

    rows = small_case()
    rows.pop("projekty")  # the example was made before the optional table existed: it leaves it out
    original = read_export(write(tmp_path / "oryginal", rows, make_meta()))
    with mapped_exports([EXAMPLE / "eksport_systemu_x"], load_mapping(EXAMPLE / "mapowanie_systemu_x.toml")) as (path,):
        assert path.name == "eksport_systemu_x"
        mapped = read_export(path)
    assert not mapped.problems and mapped.meta == original.meta
    for name in TABLES:
        assert mapped.tables[name].drop(ROW).equals(original.tables[name].drop(ROW)), name


def test_an_unmapped_column_or_value_is_still_an_error(tmp_path):
    from pipeline.read.mapping import load_mapping, mapped_exports

    text = (EXAMPLE / "mapowanie_systemu_x.toml").read_text(encoding="utf-8")
    mapping = tmp_path / "m.toml"
    mapping.write_text(text.replace('UZ = "umowa cywilnoprawna"\n', "").replace('rodziny = ["Uwagi"]', "rodziny = []"), encoding="utf-8")
    export = tmp_path / "e"
    import shutil

    shutil.copytree(EXAMPLE / "eksport_systemu_x", export)
    pracownicy = export / "Pracownicy.csv"
    pracownicy.write_text(pracownicy.read_text(encoding="utf-8").replace("A2;01/01/2020;;UoP", "A2;01/01/2020;;UZ"), encoding="utf-8")
    with mapped_exports([export], load_mapping(mapping)) as paths:
        codes = sorted((p.code, p.table, p.column) for p in read_export(paths[0]).problems)
    assert codes == [("STR-020", "rodziny", "Uwagi"), ("TYP-005", "asystenci", "forma_zatrudnienia")]


@pytest.mark.parametrize(("entry", "says"), [
    ('[tabele]\nX = "nie_ma"\n', "nie ma tabeli"),
    ('[kolumny.asystenci]\n"Nr" = "nie_ma"\n', "nie ma kolumny"),
    ('[wartosci.asystenci.forma_zatrudnienia]\nUoP = "etat"\n', "nie ma w słowniku"),
    ('[inne]\na = 1\n', "nieznana sekcja"),
    ('[daty]\nformat = "DD/MM"\n', "wzoru daty"),
])
def test_a_wrong_mapping_is_a_usage_error_naming_the_entry(tmp_path, capsys, entry, says):
    mapping = tmp_path / "m.toml"
    mapping.write_text(entry, encoding="utf-8")
    assert main(["validate", str(EXAMPLE / "eksport_systemu_x"), "--mapping", str(mapping)]) == 2
    assert says in capsys.readouterr().err


# --- every problem in one pass


def test_validate_reports_a_type_error_a_dictionary_value_and_a_pesel_in_one_run(tmp_path, capsys):
    path = write(tmp_path / "e")
    asystenci = path / "asystenci.csv"
    asystenci.write_text(asystenci.read_text(encoding="utf-8").replace("2012-04-01", "2012/04/01", 1).replace(
        "umowa o pracę", "UoP", 1), encoding="utf-8")
    dzieci = path / "dzieci.csv"
    dzieci.write_text(dzieci.read_text(encoding="utf-8").replace("D1;", "44051401359;", 1), encoding="utf-8")
    episodes = path / "asystentury.csv"
    episodes.write_text(episodes.read_text(encoding="utf-8").replace("2024-06-30", "2021-06-30", 1), encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    for code in ("TYP-001", "TYP-005", "PII-001", "EPI-012"):
        assert f"[{code}]" in out, code
    assert "44051401359" not in out and "UoP" not in out
    assert "[ASY-002]" not in out  # the date that failed its type is not reported again as missing


def test_a_table_that_cannot_be_read_skips_only_what_needs_it_and_says_so(tmp_path, capsys):
    path = write(tmp_path / "e")
    (path / "notatki.txt").write_text("x", encoding="utf-8")
    rodziny = path / "rodziny.csv"
    rodziny.write_text(rodziny.read_text(encoding="utf-8").replace("wielodzietna", "wielodzietna;uwagi", 1), encoding="utf-8")
    episodes = path / "asystentury.csv"
    episodes.write_text(episodes.read_text(encoding="utf-8").replace("2024-06-30", "2021-06-30", 1), encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "[STR-002]" in out and "notatki.txt" in out
    assert "[STR-020]" in out and "kolumna uwagi" in out
    assert "[EPI-012]" in out  # an episode rule that does not need the families still ran
    note = next(line for line in out.splitlines() if "[STR-090]" in line)
    assert "nieodczytane tabele (rodziny)" in note and "EPI-002" in note and "DZI-002" in note


def test_pseudonymise_keeps_the_inputs_bom(tmp_path):
    _, (identified, _) = _exports(tmp_path)
    families = identified / "rodziny.csv"
    families.write_bytes(b"\xef\xbb\xbf" + families.read_bytes())   # as Excel saves "CSV UTF-8"
    out = pseudonymise(identified, tmp_path / "a.key", tmp_path / "wynik").path
    assert (out / "rodziny.csv").read_bytes().startswith(b"\xef\xbb\xbfid_rodziny;")
    assert not (out / "dzieci.csv").read_bytes().startswith(b"\xef\xbb\xbf")   # a file without one stays without
