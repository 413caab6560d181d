"""Property-based tests (hypothesis): invariants of the figures, order independence, and reader fuzzing."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import polars as pl
from builders import load_exports, read_export
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.contract import TABLES
from pipeline.indicators import registry
from pipeline.read.containers import Container
from pipeline.read.export import ExportData
from pipeline.synth.exports import ExportSpec, cut, metadata
from pipeline.synth.truth import UnitPlan, simulate_unit
from pipeline.warehouse.connection import connect, open_for_writing

YEARS = list(range(2018, 2025))
SETTINGS = settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                         HealthCheck.too_slow])


@st.composite
def unit_plans(draw, teryt: str = "1603011") -> UnitPlan:
    families = [draw(st.integers(2, 14)) for _ in YEARS]
    closures = [0] + [draw(st.integers(0, f)) for f in families[1:]]
    return UnitPlan(
        teryt=teryt, name="Ośrodek", years=YEARS, families=families, closures=closures,
        goals=[draw(st.integers(0, c)) for c in closures], assistants=[draw(st.integers(1, 3)) for _ in YEARS],
        first_day=date(2018, 2, 1), court_share=[0.3] * len(YEARS),
    )


def exports_of(plan: UnitPlan, seed: int) -> list[ExportData]:
    """Yearly exports cut from a simulated unit, as read frames (no files needed)."""
    truth = simulate_unit(plan, seed, date(2025, 1, 15))
    out = []
    for year in YEARS:
        spec = ExportSpec(f"{plan.teryt}_{year}", date(year, 1, 1), date(year, 12, 31), date(year + 1, 1, 15))
        tables = {name: df.with_row_index("_row", offset=2).with_columns(pl.col("_row").cast(pl.Int64))
                  for name, df in cut(truth, spec).items()}
        out.append(ExportData(Path(spec.stem), container=Container(Path(spec.stem), "folder", f"{plan.teryt}-{seed}-{year}"),
                              meta=metadata(plan.teryt, plan.name, spec), tables=tables))
    return out


def load_all(db: Path, exports: list[ExportData]) -> None:
    con = open_for_writing(db)
    try:
        load_exports(con, exports)
    finally:
        con.close()


def figures(db: Path, unit: str | None = None) -> dict[int, dict]:
    con = connect(db, read_only=True)
    try:
        return {y: registry.compute(con, y, unit) for y in YEARS}
    finally:
        con.close()


@SETTINGS
@given(plan=unit_plans(), seed=st.integers(0, 10_000))
def test_invariants_of_the_figures(tmp_path_factory, plan, seed):
    db = tmp_path_factory.mktemp("inv") / "w.duckdb"
    load_all(db, exports_of(plan, seed))
    for year, f in figures(db).items():
        assert f["families_closed_goals_achieved"] <= f["families_closed"] <= f["families_supported"], year
        assert f["families_court_obliged"] <= f["families_supported"]
        assert f["families_za_zyciem"] <= f["families_supported"]
        assert f["families_with_children_in_foster_care"] <= f["families_supported"]
        assert f["families_with_children_returned_home"] <= f["children_returned_home"]
        assert f["families_with_children_returned_home"] <= f["families_supported"]
        assert sum(f["families_closed_by_reason"].values()) >= f["families_closed"]
        assert (f["median_closed_episode_days"] is None) == (f["families_closed"] == 0)
        # the simulation opens enough episodes for its target; carried-over families may add to it
        assert f["families_supported"] >= plan.families[YEARS.index(year)]


@SETTINGS
@given(plan=unit_plans(), seed=st.integers(0, 10_000), order=st.randoms(use_true_random=False))
def test_load_order_does_not_change_the_figures(tmp_path_factory, plan, seed, order: random.Random):
    exports = exports_of(plan, seed)
    shuffled = exports[:]
    order.shuffle(shuffled)
    root = tmp_path_factory.mktemp("order")
    load_all(root / "a.duckdb", exports)
    load_all(root / "b.duckdb", shuffled)
    assert figures(root / "a.duckdb") == figures(root / "b.duckdb")


@SETTINGS
@given(plan=unit_plans(), other=unit_plans(teryt="0201011"), seed=st.integers(0, 10_000))
def test_another_unit_changes_no_figure_of_the_first(tmp_path_factory, plan, other, seed):
    root = tmp_path_factory.mktemp("units")
    mine = exports_of(plan, seed)
    load_all(root / "alone.duckdb", mine)
    load_all(root / "both.duckdb", mine + exports_of(other, seed + 1))
    assert figures(root / "alone.duckdb", "1603011") == figures(root / "both.duckdb", "1603011")
    alone_all = figures(root / "alone.duckdb")
    both_unit = figures(root / "both.duckdb", "1603011")
    assert alone_all == both_unit


# --- fuzzing the readers: never a traceback, always data or a clear rejection --------------------------

def _valid_export(tmp: Path) -> Path:
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from builders import write

    return write(tmp / "export")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=st.sampled_from(sorted(TABLES)), position=st.floats(0, 1), junk=st.binary(min_size=1, max_size=12),
       encoding=st.sampled_from(["utf-8", "cp1250", "utf-16"]))
def test_mutated_files_never_crash_the_reader(tmp_path_factory, table, position, junk, encoding):
    from builders import scan_export

    path = _valid_export(tmp_path_factory.mktemp("fuzz"))
    target = path / f"{table}.csv"
    text = target.read_text(encoding="utf-8")
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    cut_at = int(position * len(data))
    target.write_bytes(data[:cut_at] + junk + data[cut_at:])
    result = read_export(path)
    scan_export(result)          # the scan copes with whatever was read
    for p in result.problems:
        assert p.code and p.message and p.describe()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payload=st.binary(max_size=400), suffix=st.sampled_from([".zip", ".xlsx", ".csv"]))
def test_random_bytes_as_a_container_are_rejected_cleanly(tmp_path_factory, payload, suffix):
    path = tmp_path_factory.mktemp("bytes") / f"export{suffix}"
    path.write_bytes(payload)
    result = read_export(path)
    assert result.problems and all(p.code.startswith("STR-") for p in result.problems)
