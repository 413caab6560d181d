"""Stage the exports of one call together and add the context columns the rules read.

Every table of every export is stacked into one frame with `_export` (its
index in the call), so that Great Expectations runs once per table for the
whole call.  Cross-table facts become columns (`_ref_*`, `_ep_start`,
`_prev_end`, `_max_caseload`, ...) computed with vectorised joins.
"""

from __future__ import annotations

import duckdb
import polars as pl

from pipeline.checks.rules import EXPORT_DATE, ref_column
from pipeline.contract import TABLES, references
from pipeline.read.batch import EXPORT
from pipeline.read.batch import stack as stack_parts
from pipeline.read.export import ExportData
from pipeline.sql import caseload_sweep_sql, query

MONITORING_GRACE = "3mo"
ASSESSMENT_MAX_AGE = "6mo"


def stack(exports: list[ExportData]) -> dict[str, pl.DataFrame]:
    """One frame per table (and `metadane`) holding every export's rows, tagged by `_export`."""
    dates = pl.DataFrame(
        {EXPORT: list(range(len(exports))), EXPORT_DATE: [e.meta.data_eksportu for e in exports]},
        schema={EXPORT: pl.Int64, EXPORT_DATE: pl.Date},
    )
    return {name: stack_parts([(i, e.tables[name]) for i, e in enumerate(exports)]).join(dates, on=EXPORT, how="left")
            for name in ("metadane", *TABLES)}


def _add_references(frames: dict[str, pl.DataFrame]) -> None:
    for ref in references():
        target = frames[ref.target]
        keys = target.select(EXPORT, pl.col(TABLES[ref.target].key).alias(ref.column)).unique().with_columns(
            pl.lit(True).alias(ref_column(ref.column))
        )
        frames[ref.table] = frames[ref.table].join(keys, on=[EXPORT, ref.column], how="left", nulls_equal=False).with_columns(
            pl.col(ref_column(ref.column)).fill_null(False) | pl.col(ref.column).is_null()
        )


def _add_episode_span(frames: dict[str, pl.DataFrame]) -> None:
    spans = frames["asystentury"].select(
        EXPORT, "id_asystentury", pl.col("data_rozpoczecia").alias("_ep_start"), pl.col("data_zakonczenia").alias("_ep_end")
    ).unique(subset=[EXPORT, "id_asystentury"], keep="first")
    for name in ("przydzialy", "oceny"):
        frames[name] = frames[name].join(spans, on=[EXPORT, "id_asystentury"], how="left")


def _add_episode_context(frames: dict[str, pl.DataFrame], with_assessments: set[int]) -> None:
    episodes = frames["asystentury"]
    by_family = [EXPORT, "id_rodziny"]
    ordered = pl.col("data_rozpoczecia")
    episodes = episodes.with_columns(
        pl.col("data_zakonczenia").shift(1).over(by_family, order_by=ordered).alias("_prev_end"),
        pl.col("data_rozpoczecia").shift(1).over(by_family, order_by=ordered).alias("_prev_start"),
    ).with_columns(
        (pl.col("_prev_start").is_null() | pl.col("_prev_end").is_not_null()).alias("_prev_closed"),
        (
            pl.col("data_zakonczenia").is_null()
            | pl.col("data_zakonczenia_monitoringu").is_not_null()
            | (pl.col("data_zakonczenia").dt.offset_by(MONITORING_GRACE) >= pl.col(EXPORT_DATE))
        ).alias("_monitoring_ok"),
    )
    assigned = frames["przydzialy"].select(EXPORT, "id_asystentury").unique().with_columns(pl.lit(True).alias("_has_assignment"))
    last_assessment = frames["oceny"].group_by(EXPORT, "id_asystentury").agg(pl.col("data_oceny").max().alias("_last_assessment"))
    episodes = (
        episodes.join(assigned, on=[EXPORT, "id_asystentury"], how="left")
        .join(last_assessment, on=[EXPORT, "id_asystentury"], how="left")
        .with_columns(
            pl.col("_has_assignment").fill_null(False),
            (
                ~pl.col(EXPORT).is_in(list(with_assessments))
                | pl.col("data_zakonczenia").is_not_null()
                | (
                    pl.coalesce("_last_assessment", "data_rozpoczecia").dt.offset_by(ASSESSMENT_MAX_AGE)
                    >= pl.col(EXPORT_DATE)
                )
            ).fill_null(True).alias("_assessment_ok"),
        )
        .drop("_prev_start", "_last_assessment")
    )
    frames["asystentury"] = episodes


def _add_caseload(frames: dict[str, pl.DataFrame]) -> None:
    """Each assistant's largest number of families at once, within their own export."""
    con = duckdb.connect()
    try:
        con.register("assignments", frames["przydzialy"].select(
            EXPORT, "id_asystenta", "id_asystentury", "data_od", "data_do", "_ep_end", EXPORT_DATE).to_arrow())
        con.register("episodes", frames["asystentury"].select(EXPORT, "id_asystentury", "id_rodziny").to_arrow())
        intervals = f"""(
            SELECT a.{EXPORT} AS grp, a.id_asystenta, e.id_rodziny, a.data_od AS d_from,
                   coalesce(a.data_do, a._ep_end, a.{EXPORT_DATE}) AS d_to
            FROM assignments AS a JOIN episodes AS e USING ({EXPORT}, id_asystentury)
            WHERE a.data_od IS NOT NULL
        )"""
        peaks = query(
            con,
            f"SELECT grp AS {EXPORT}, id_asystenta, max(families) AS _max_caseload "
            f"FROM ({caseload_sweep_sql(intervals)}) GROUP BY ALL",
        )
    finally:
        con.close()
    peaks = peaks.with_columns(pl.col(EXPORT).cast(pl.Int64), pl.col("_max_caseload").cast(pl.Int64))
    frames["asystenci"] = frames["asystenci"].join(peaks, on=[EXPORT, "id_asystenta"], how="left").with_columns(
        pl.col("_max_caseload").fill_null(0)
    )


def build_context(exports: list[ExportData]) -> dict[str, pl.DataFrame]:
    """Stacked frames of every table with all context columns the rules need."""
    frames = stack(exports)
    _add_references(frames)
    _add_episode_span(frames)
    with_assessments = {i for i, e in enumerate(exports) if e.container and "oceny" in e.container.members}
    _add_episode_context(frames, with_assessments)
    _add_caseload(frames)
    return frames
