"""Every notebook runs where JupyterLab runs it, prints the registry's own figures, and publishes clean HTML."""

from __future__ import annotations

import re
import subprocess
from html import unescape
from pathlib import Path

import polars as pl
import pytest
from builders import load_exports, read_export

from pipeline.config import DB_ENV, NOTEBOOK_DIR
from pipeline.indicators import registry
from pipeline.outputs.notebooks import findings as notebook_findings
from pipeline.outputs.notebooks import setup as notebook_setup
from pipeline.outputs.notebooks.runner import execute, notebook_paths, run_notebooks, summary, to_html
from pipeline.outputs.spreadsheets import Column
from pipeline.warehouse import coverage
from pipeline.warehouse.connection import connect, open_for_writing
from pipeline.warehouse.coverage import unit_names

ROOT = Path(__file__).resolve().parents[1]
NAMES = ["01_jakosc_danych", "02_informacja_roczna", "03_trendy", "04_ewaluacja_programu", "05_porownanie_jednostek"]


def _load_without_gate(db: Path, paths: list[Path]) -> None:
    exports = [read_export(p) for p in paths]
    for data in exports:
        assert not data.problems, [x.describe() for x in data.problems]
    con = open_for_writing(db)
    try:
        load_exports(con, exports)
    finally:
        con.close()


@pytest.fixture(scope="module")
def demo_db(demo_warehouse) -> Path:
    """The demo exports and funding (conftest: loaded once for the whole run)."""
    return demo_warehouse


def _checkout_state() -> tuple[str, list[str]]:
    """`git status` (ignored files too) and the files under the project, to see that a run leaves nothing behind."""
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all", "--ignored"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout
    files = sorted(str(p.relative_to(ROOT)) for p in ROOT.rglob("*") if ".git" not in p.parts and "__pycache__" not in p.parts
                   and ".pytest_cache" not in p.parts and ".ruff_cache" not in p.parts)
    return status, files


@pytest.fixture(scope="module")
def executed(demo_db) -> dict:
    """Every notebook executed as JupyterLab would: in notebooks/, no parameters, the warehouse from ASYSTENCI_DB."""
    before = _checkout_state()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(DB_ENV, str(demo_db))
        notebooks = {p.stem: execute(p) for p in notebook_paths()}
    return {"notebooks": notebooks, "before": before, "after": _checkout_state()}


def _errors(nb) -> list:
    return [(o["ename"], o["evalue"]) for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]


def test_there_are_five_notebooks():
    assert [p.stem for p in notebook_paths()] == NAMES


def test_parameters_cell_takes_its_defaults_from_config():
    for path in notebook_paths():
        text = path.read_text(encoding="utf-8")
        params = text.split('# %% tags=["parameters"]', 1)[1].split("# %%", 1)[0]
        assert "db = str(default_db())" in params and "caseload_limit = DEFAULT_CASELOAD_LIMIT" in params
        assert not re.search(r"\b15\b", text), path.name  # the caseload limit has one default, in pipeline.config
        assert "data/warehouse.duckdb\"" not in text


def test_every_notebook_runs_in_notebooks_folder_without_parameters(executed, demo_db):
    executed, before, after = executed["notebooks"], executed["before"], executed["after"]
    for name in NAMES:
        assert _errors(executed[name]) == [], name
        assert not any("injected-parameters" in c.get("metadata", {}).get("tags", []) for c in executed[name].cells)
    con = connect(demo_db, read_only=True)
    try:
        year = coverage.read(con).last_complete_year()
        assert summary(executed["02_informacja_roczna"]) == registry.compute(con, year)
        found = summary(executed["03_trendy"])
        assert found["years"] == [y for y in coverage.read(con).years() if y <= year]
        assert found["families_supported"] == registry.trend(con, found["years"])["families_supported"].to_list()
        assert summary(executed["01_jakosc_danych"]) == {"loaded": 16, "rejected": 0, "year": year, "caseload_limit": 15,
                                                         "max_caseload": registry.compute(con, year)["max_caseload"]}
        found = summary(executed["04_ewaluacja_programu"])
        assert found["year"] == year and found["years_with_funding"][-1] == year
        assert found["families_supported"] == registry.trend(con, found["years_with_funding"])["families_supported"].to_list()
        assert summary(executed["05_porownanie_jednostek"])["units"] == 1
    finally:
        con.close()
    # nothing left behind: no kernel socket or connection file anywhere in the project, no new file in the checkout
    assert list(ROOT.rglob("kernel-ipc*")) == [] and list(ROOT.rglob("kernel-*.json")) == []
    assert after == before


def test_published_html_has_no_code_no_shape_no_json(executed, tmp_path):
    for name, nb in executed["notebooks"].items():
        html = to_html(nb, tmp_path / f"{name}.html").read_text(encoding="utf-8")
        body = re.sub(r"<script.*?</script>|<style.*?</style>", "", html, flags=re.S)  # what a reader sees
        assert not re.search(r'class="[^"]*(jp-CodeMirrorEditor|jp-InputPrompt|highlight)', body), name
        assert "import " not in body and "open_notebook" not in body and "record_summary" not in body, name
        assert "shape:" not in body and "dtype" not in body and "<pre>" not in body, name
        assert not re.search(r'\{\s*"[a-z_]+"\s*:', body), name  # no JSON dump
        assert "Co znaleźliśmy" in html and "Spis treści" in html, name
    html = (tmp_path / "02_informacja_roczna.html").read_text(encoding="utf-8")
    assert "<table" in html and "3\u00a0174" in html and "592,0" in html  # 2025 advice sessions, median days
    assert "data:image/png;base64" in html
    html = (tmp_path / "04_ewaluacja_programu.html").read_text(encoding="utf-8")
    assert "130\u00a0012,73\u00a0zł" in html and "31,6%" in html and "koszt na etat" in html


def test_runner_passes_the_caseload_limit_and_writes_the_workbook(demo_db, tmp_path):
    out = tmp_path / "notebooks"
    paths = run_notebooks(demo_db, 2024, None, out, only=["01_jakosc_danych", "04_ewaluacja_programu"], caseload_limit=12)
    assert [p.name for p in paths] == ["01_jakosc_danych.html", "04_ewaluacja_programu.html"]
    html = paths[0].read_text(encoding="utf-8")
    assert "limit rodzin na asystenta: 12" in html and "limit 12 rodzin" in html
    assert (out / "ewaluacja_programu_2024.xlsx").exists() and any((out / "figures").glob("*.svg"))
    assert "Zapisano plik ewaluacja_programu_2024.xlsx" in paths[1].read_text(encoding="utf-8")
    assert list(ROOT.rglob("kernel-ipc*")) == []


@pytest.fixture(scope="module")
def units_db(tmp_path_factory) -> Path:
    """Six national synthetic units of different gmina types (synth --preset national --units 6 --workers 1)."""
    from pipeline.synth.national import NationalOptions, write_national

    folder = tmp_path_factory.mktemp("units")
    write_national(NationalOptions(folder / "exports", units=6, seed=3, workers=1))
    db = folder / "units.duckdb"
    _load_without_gate(db, sorted(p for unit in (folder / "exports").iterdir() for p in unit.iterdir()))
    return db


def test_unit_comparison_on_several_units_shows_the_peers_and_funnels(units_db, tmp_path):
    from pipeline.indicators.comparison import compare, unit_values

    nb = execute(ROOT / "notebooks" / "05_porownanie_jednostek.py", {"db": str(units_db), "year": 2024, "peers": "all"})
    assert _errors(nb) == []
    found = summary(nb)
    con = connect(units_db, read_only=True)
    try:
        for unit, families in found["families"].items():
            assert families == registry.compute(con, 2024, unit)["families_supported"]
        values = unit_values(con, 2024)
    finally:
        con.close()
    assert found["units"] == 6
    chosen = values.sort(["families_supported", "jednostka"], descending=[True, False])["jednostka"][0]
    c = compare(values, chosen, 2024, "all")
    assert found["chosen"] == chosen and found["members"] == c.members and len(c.members) == 6
    assert found["funnels"] == sorted(["goals_share", "court_share", "foster_share", "reentry_share"])
    html = to_html(nb, tmp_path / "05.html").read_text(encoding="utf-8")
    con = connect(units_db, read_only=True)
    try:
        (name,) = unit_names(con, chosen)
    finally:
        con.close()
    assert f"Jednostka {name} ({chosen}) wśród podobnych — 2024 r." in html and "grupa: mediana" in html  # the peer table
    assert "--peers" not in html   # the notebook speaks of its parameters, not of the command line
    assert html.count("src=\"data:image/png;base64") == 4 and "dokładne granice dwumianowe 95% i 99,8%" in html  # 4 funnels
    text = unescape(html)
    for sentence in notebook_findings.units(c, 2024):   # the findings, computed from the comparison
        assert sentence in text, sentence


def test_unit_comparison_alone_in_its_type_widens_to_the_nearest_group(units_db):
    from pipeline.indicators.comparison import compare, compare_nearest, unit_values
    from pipeline.outputs.comparison.compare import fallback_line

    con = connect(units_db, read_only=True)
    try:
        values = unit_values(con, 2024)
    finally:
        con.close()
    alone = [u for u in values["jednostka"] if compare(values, u, 2024, "type").alone]
    assert alone   # six units of several gmina types: at least one is alone in its type
    nb = execute(ROOT / "notebooks" / "05_porownanie_jednostek.py", {"db": str(units_db), "year": 2024, "unit": alone[0]})
    assert _errors(nb) == []
    found = summary(nb)
    nearest = compare_nearest(values, alone[0], 2024, "type")
    assert nearest.kind != "type" and nearest.left[0][0] == "type"
    assert found["chosen"] == alone[0] and found["group"] == nearest.group and found["members"] == nearest.members
    text = "".join(o.get("data", {}).get("text/markdown", "") for c in nb.cells for o in c.get("outputs", []))
    assert fallback_line(nearest) in text and "--peers" not in text


def test_unit_comparison_on_the_demo_alone_says_there_is_nothing_to_compare(executed, tmp_path):
    nb = executed["notebooks"]["05_porownanie_jednostek"]
    found = summary(nb)
    assert found["units"] == 1 and found["funnels"] == [] and found["members"] == ["1603011"]
    html = to_html(nb, tmp_path / "05.html").read_text(encoding="utf-8")
    assert "w magazynie jest tylko ta jedna jednostka: nie ma z kim porównać" in html
    assert "W magazynie jest tylko jedna jednostka (1603011): nie ma z kim jej porównać" in html
    assert "Wykresów lejkowych nie ma" in html and "src=\"data:image/png;base64" not in html


def test_trends_show_cohorts_with_recent_ones_not_observable(executed, demo_db, tmp_path):
    from pipeline.indicators.cohorts import unit_cohorts

    nb = executed["notebooks"]["03_trendy"]
    found = summary(nb)
    con = connect(demo_db, read_only=True)
    try:
        episodes, censored = unit_cohorts(con, "1603011", "episodes")
        year = coverage.read(con).last_complete_year()
    finally:
        con.close()
    # the demo's last export is 15.01.2026: the 2025 cohort is not yet observed 12 months, 2024 is
    assert censored.isoformat() == "2026-01-15" and year == 2025
    assert found["cohort_units"] == ["1603011"] and found["cohorts_not_observable"] == {"1603011": 1}
    html = to_html(nb, tmp_path / "03.html").read_text(encoding="utf-8")
    assert "Asystentury według roku rozpoczęcia — jednostka 1603011" in html and "w ryzyku 12 m." in html
    assert "nieobserwowalne" in html and "tylko jedna: 1603011" in html and "15.01.2026" in html
    by_year = {k.year: k for k in episodes}
    assert by_year[2024].incidence["goals"]["24"] is None and by_year[2025].incidence["goals"]["12"] is None
    episode_table = html.split("Asystentury według roku rozpoczęcia")[1].split("</table>")[0]
    assert "2026" not in re.findall(r">(20\d\d)</td>", episode_table)   # no cohort after the notebook's year
    assert "Wizyty w domu, posiedzenia grup diagnostyczno-pomocowych, treningi i projekty według roku" in html
    assert "Rodziny według najczęstszych problemów" in html and found["leading_problems"][0] == \
        "bezradność w sprawach opiekuńczo-wychowawczych"


def test_annual_notebook_shows_projects_and_problems(executed, tmp_path):
    html = to_html(executed["notebooks"]["02_informacja_roczna"], tmp_path / "02.html").read_text(encoding="utf-8")
    for label in ("wizyty w domu rodziny", "posiedzenia grup diagnostyczno-pomocowych", "treningi umiejętności",
                  "zrealizowane projekty socjalne i zajęcia grupowe", "dzieci uczestniczące w projektach"):
        assert label in html, label
    assert "Projekty zakończone w 2025 r." in html and "Rodziny objęte wsparciem w 2025 r. według problemów" in html
    assert "bezradność w sprawach opiekuńczo-wychowawczych" in html and "56,9%" in html   # 37 of 65 families


# ---- the shared opening and the table helper ----------------------------------------------------------------

def test_missing_warehouse_names_the_path_and_the_variable(tmp_path, monkeypatch):
    missing = tmp_path / "nie_ma.duckdb"
    with pytest.raises(notebook_setup.NotebookError) as e:
        notebook_setup.open_notebook(str(missing), None, None, 15)
    assert str(missing) in str(e.value) and DB_ENV in str(e.value)
    assert e.value._render_traceback_() == [str(e.value)]  # IPython shows the message, not a traceback
    monkeypatch.setenv(DB_ENV, str(missing))
    with pytest.raises(notebook_setup.NotebookError, match=re.escape(str(missing))):
        notebook_setup.open_notebook(None, None, None, 15)
    assert not missing.exists()  # looking never creates the file


def test_default_db_is_found_from_the_project_whatever_the_working_folder(monkeypatch):
    from pipeline.config import default_db

    monkeypatch.delenv(DB_ENV, raising=False)
    monkeypatch.chdir(NOTEBOOK_DIR)
    assert default_db() == ROOT / "data" / "warehouse.duckdb"


def test_table_formats_by_kind_with_polish_headers():
    frame = pl.DataFrame({"year": [2024, 2025], "n": [3572, 0], "share": [0.4545, None], "cost": [123032.28, float("nan")]})
    columns = [Column("year", "rok", "year"), Column("n", "porady", "count"), Column("share", "udział", "percent"),
               Column("cost", "koszt", "money")]
    text = notebook_setup.formatted(frame, columns)
    assert text.columns == ["rok", "porady", "udział", "koszt"]
    assert text.row(0) == ("2024", "3\u00a0572", "45,5%", "123\u00a0032,28\u00a0zł")
    assert text.row(1) == ("2025", "0", "—", "—")
    html = notebook_setup.table(frame, columns, "Tytuł").to_html()
    assert "<table" in html and "3\u00a0572" in html and "Tytuł" in html and "2,024" not in html
    assert notebook_setup.table(frame.clear(), columns, empty="Nic.").data == "Nic."


# ---- findings chosen by the figures ----------------------------------------------------------------------------

def _values(**kw) -> dict:
    return {"families_supported": 68, "children_in_supported_families": 143, "families_closed": 21,
            "families_closed_goals_achieved": 10} | kw


def test_annual_findings_follow_the_figures():
    first = notebook_findings.annual(_values(), None, 2012)
    assert first[0] == ("W 2012 r. asystenci objęli wsparciem 68 rodzin (143 dzieci w tych rodzinach); zakończono współpracę "
                        "z 21 rodzinami, w tym z 10 rodzinami z osiągnięciem celów.")
    assert "nie zakończono współpracy" in notebook_findings.annual(_values(families_closed=0, families_closed_goals_achieved=0),
                                                                    None, 2024)[0]
    assert "Za 2011 r. nie ma danych" in first[1]
    assert "o 3 rodziny mniej niż w 2023 r. (71)" in notebook_findings.annual(_values(), _values(families_supported=71), 2024)[1]
    assert "tyle samo" not in notebook_findings.annual(_values(), _values(families_supported=67), 2024)[1]
    assert "taka sama" in notebook_findings.annual(_values(), _values(), 2024)[1]
    assert "47,6%" in notebook_findings.annual(_values(), _values(), 2024)[2]  # 10 of 21
    assert "za mało" in notebook_findings.annual(_values(families_closed=9, families_closed_goals_achieved=4), None, 2024)[2]


def test_trend_findings_with_one_year_and_a_median_not_reached():
    one = pl.DataFrame({"year": [2024], "families_supported": [5], "families_closed": [1], "families_closed_goals_achieved": [1]})
    text = notebook_findings.trends(one, None, 5)
    assert "tylko 2024 r." in text[0] and "trendu nie ma" in text[0]
    assert "Mediany czasu trwania współpracy nie da się jeszcze podać" in text[-1]
    two = pl.DataFrame({"year": [2023, 2024], "families_supported": [10, 12], "families_closed": [6, 6],
                        "families_closed_goals_achieved": [3, 3]})
    text = notebook_findings.trends(two, 365.25, 20)
    assert text[0].startswith("Liczba rodzin objętych wsparciem wzrosła: z 10 w 2023 r. do 12 w 2024 r.")
    assert "50,0% zakończeń (6 z 12)" in text[1] and "około 1,0 roku" in text[2]
    assert notebook_findings.trends(two.head(0), None, 0) == ["W magazynie nie ma lat z danymi do wybranego roku."]


def test_quality_findings_name_the_breaches():
    loads = pl.DataFrame({"outcome": ["loaded", "loaded", "rejected"]})
    findings = pl.DataFrame({"records": [3]})
    over = pl.DataFrame({"max_families": [17, 9], "days_above_limit": [40, 0]})
    text = notebook_findings.quality(loads, findings, over, 2024, 15)
    assert text[0] == "Wczytano 2 eksporty, odrzucono 1 eksport (powody w tabeli wyżej)."
    assert "przekroczył 1 asystent" in text[2] and "40 dni ponad limit" in text[2] and "17 rodzin naraz" in text[2]
    under = notebook_findings.quality(loads.head(2), findings.head(0), over.tail(1), 2024, 15)
    assert "żadnego nie odrzucono" in under[0] and "nie mają ustaleń" in under[1] and "żaden asystent nie przekroczył" in under[2]


def test_a_notebook_that_stops_on_an_error_is_named_without_a_traceback(demo_db, tmp_path, capsys, monkeypatch):
    from pipeline.cli import main
    from pipeline.outputs.notebooks import runner

    broken = tmp_path / "99_zepsuty.py"
    broken.write_text('# %%\nraise ValueError("brak danych za ten rok")\n', encoding="utf-8")
    with pytest.raises(runner.NotebookFailed, match="notatnik 99_zepsuty zatrzymał się na błędzie ValueError: brak danych"):
        runner.execute(broken, cwd=tmp_path)
    monkeypatch.setattr(runner, "notebook_paths", lambda: [broken])
    code = main(["notebooks", "--db", str(demo_db), "--year", "2024", "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert "błąd: notatnik 99_zepsuty zatrzymał się na błędzie ValueError: brak danych za ten rok" in err
