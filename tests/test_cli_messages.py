"""What the command line says when it is used wrongly, and how it prints a year's figures: Polish, one line."""

from __future__ import annotations

import pytest

from pipeline.cli import main
from pipeline.grammar import NBSP


@pytest.mark.parametrize(("argv", "said"), [
    (["indicators", "--period", "2024-Q5"], "błąd użycia: argument --period: kwartał „2024-Q5”"),
    (["statement"], "błąd użycia: brakuje wymaganych argumentów: --period"),
    (["nieznane"], "błąd użycia: polecenie: niedozwolona wartość: 'nieznane'"),
    (["ingest", "x", "--bez-takiej-flagi"], "błąd użycia: nieznane argumenty: --bez-takiej-flagi"),
])
def test_usage_errors_are_one_polish_line(argv, said, capsys):
    with pytest.raises(SystemExit) as e:
        main(argv)
    err = capsys.readouterr().err
    assert e.value.code == 2
    assert err.startswith(said) and err.count("\n") == 1 and "usage:" not in err and "error:" not in err


def test_the_year_table_prints_numbers_the_polish_way():
    from pipeline.indicators.registry import BREAKDOWNS, CLOSED_BY_REASON, INDICATORS
    from pipeline.outputs.figures.text import indicators_table

    values = {i.key: 0 for i in INDICATORS} | {"advice_sessions": 3572, "median_closed_episode_days": 795.5,
                                               CLOSED_BY_REASON: {"osiągnięcie celów": 1204}}
    values |= {b.key: {} for b in BREAKDOWNS}
    table = indicators_table(values)
    assert f"3{NBSP}572" in table and "795,5" in table and f"1{NBSP}204" in table and "3572" not in table


def test_files_not_allowed_are_counted_in_the_plural():
    from pipeline.read.containers import _not_allowed

    assert _not_allowed(["a.txt"], "plik", "r")[0].message.startswith("niedozwolony plik (1): a.txt")
    assert _not_allowed(["a.txt", "b.txt"], "plik", "r")[0].message.startswith("niedozwolone pliki (2): a.txt, b.txt")


def test_years_in_json_are_json(db, load_rows, capsys):
    import json

    from builders import episode, family

    load_rows({"rodziny": [family("F1"), family("F2")],
               "asystentury": [episode("E1", "F1", "2023-01-01", "2024-03-31"), episode("E2", "F2", "2024-02-01")]},
              start="2023-01-01")
    assert main(["indicators", "--years", "2023-2024", "--db", str(db), "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)   # JSON, not the CSV it printed before
    assert found["unit"] is None and [y["year"] for y in found["years"]] == [2023, 2024]
    assert [y["indicators"]["families_supported"] for y in found["years"]] == [1, 2]
    assert main(["indicators", "--years", "2023-2024", "--db", str(db), "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("year,")   # the script dialect: commas


def test_help_says_which_csv_is_for_scripts_and_which_for_excel(capsys):
    with pytest.raises(SystemExit):
        main(["indicators", "--help"])
    said = " ".join(capsys.readouterr().out.split())
    assert "json i csv dla skryptów (csv: przecinek, kropka dziesiętna, UTF-8 bez BOM)" in said
    assert "dla Excela zapisz plik: --out plik.csv albo plik.xlsx" in said
    assert "plik dla Excela: .xlsx (z arkuszem definicje) albo .csv (średnik, przecinek dziesiętny, UTF-8 z BOM)" in said
