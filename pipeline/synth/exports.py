"""Cut exports out of a unit's true history, as a source system would make them.

An export shows the records as known on its `data_eksportu` (later dates are
not yet known) and, for `okresowy` exports, only those relevant to its
period; every id a row refers to is defined in the same export.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from pipeline.contract import TABLES, ExportMetadata

Tables = dict[str, pl.DataFrame]


@dataclass(frozen=True)
class ExportSpec:
    """One export to cut: its period, date, scope, and a file-name stem."""

    stem: str
    okres_od: date
    okres_do: date
    data_eksportu: date
    zakres: str = "okresowy"


def _blank_after(df: pl.DataFrame, column: str, as_of: date, also: tuple[str, ...] = ()) -> pl.DataFrame:
    later = pl.col(column) > as_of
    return df.with_columns(
        *(pl.when(later).then(None).otherwise(pl.col(c)).alias(c) for c in also),
        pl.when(later).then(None).otherwise(pl.col(column)).alias(column),
    )


def known_on(truth: Tables, as_of: date) -> Tables:
    """The records as the source system knew them on `as_of`."""
    t = dict(truth)
    t["asystenci"] = _blank_after(t["asystenci"].filter(pl.col("data_zatrudnienia") <= as_of), "data_zakonczenia_zatrudnienia", as_of)
    ep = t["asystentury"].filter(pl.col("data_rozpoczecia") <= as_of)
    ep = _blank_after(ep, "data_zakonczenia", as_of, ("przyczyna_zakonczenia", "data_zakonczenia_monitoringu"))
    t["asystentury"] = _blank_after(ep, "data_zakonczenia_monitoringu", as_of)
    t["przydzialy"] = _blank_after(t["przydzialy"].filter(pl.col("data_od") <= as_of), "data_do", as_of)
    t["dzieci"] = t["dzieci"].filter(pl.col("miesiac_urodzenia") <= as_of)
    pl_ = t["piecza"].filter(pl.col("data_umieszczenia") <= as_of).join(t["dzieci"].select("id_dziecka"), on="id_dziecka", how="semi")
    t["piecza"] = _blank_after(pl_, "data_zakonczenia", as_of, ("przyczyna_zakonczenia",))
    t["oceny"] = t["oceny"].filter(pl.col("data_oceny") <= as_of)
    t["dzialania"] = t["dzialania"].filter(pl.col("data") <= as_of)
    t["projekty"] = t["projekty"].filter(pl.col("data_do") <= as_of)  # a project is exported once it has ended
    known_episodes = t["asystentury"].select("id_asystentury")
    for name in ("problemy", "oceny", "dzialania", "przydzialy"):
        t[name] = t[name].join(known_episodes, on="id_asystentury", how="semi")
    t["rodziny"] = t["rodziny"].join(t["asystentury"].select("id_rodziny").unique(), on="id_rodziny", how="semi")
    t["dzieci"] = t["dzieci"].join(t["rodziny"].select("id_rodziny"), on="id_rodziny", how="semi")
    return t


def for_period(state: Tables, p0: date, p1: date) -> Tables:
    """The records relevant to a period, closed under references (self-contained)."""
    ep = state["asystentury"].filter(
        (pl.col("data_rozpoczecia") <= p1)
        & (pl.col("data_zakonczenia").is_null() | (pl.col("data_zakonczenia") >= p0)
           | (pl.col("data_zakonczenia_monitoringu") >= p0))
    )
    ids = ep.select("id_asystentury")
    out = {"asystentury": ep}
    out["rodziny"] = state["rodziny"].join(ep.select("id_rodziny").unique(), on="id_rodziny", how="semi")
    out["dzieci"] = state["dzieci"].join(out["rodziny"].select("id_rodziny"), on="id_rodziny", how="semi")
    out["piecza"] = state["piecza"].join(out["dzieci"].select("id_dziecka"), on="id_dziecka", how="semi")
    out["przydzialy"] = state["przydzialy"].join(ids, on="id_asystentury", how="semi")
    out["problemy"] = state["problemy"].join(ids, on="id_asystentury", how="semi")
    out["oceny"] = state["oceny"].filter(pl.col("data_oceny").is_between(p0, p1)).join(ids, on="id_asystentury", how="semi")
    out["dzialania"] = state["dzialania"].filter(pl.col("data").is_between(p0, p1)).join(ids, on="id_asystentury", how="semi")
    out["projekty"] = state["projekty"].filter((pl.col("data_od") <= p1) & (pl.col("data_do") >= p0))
    employed = state["asystenci"].filter(
        (pl.col("data_zatrudnienia") <= p1)
        & (pl.col("data_zakonczenia_zatrudnienia").is_null() | (pl.col("data_zakonczenia_zatrudnienia") >= p0))
    ).select("id_asystenta")
    referenced = pl.concat([employed, out["przydzialy"].select("id_asystenta"), out["dzialania"].select("id_asystenta")]).unique()
    out["asystenci"] = state["asystenci"].join(referenced, on="id_asystenta", how="semi")
    return out


def referenced_closure(state: Tables, chosen: Tables) -> Tables:
    """Add to `chosen` every record its rows refer to, and each episode's assignments and assessments."""
    out = {name: chosen.get(name, state[name].clear()) for name in TABLES}
    referring = ("asystentury", "przydzialy", "dzialania", "oceny", "problemy")
    episodes = pl.concat([out[n].select("id_asystentury") for n in referring]).unique()
    out["asystentury"] = state["asystentury"].join(episodes, on="id_asystentury", how="semi")
    # a source system sends an episode with its assignments and assessments
    for name in ("przydzialy", "oceny"):
        out[name] = pl.concat([out[name], state[name].join(episodes, on="id_asystentury", how="semi")]).unique(maintain_order=True)
    families = state["rodziny"].join(out["asystentury"].select("id_rodziny"), on="id_rodziny", how="semi")
    out["rodziny"] = pl.concat([out["rodziny"], families]).unique(maintain_order=True)
    assistants = pl.concat([out[n].select("id_asystenta") for n in ("asystenci", "przydzialy", "dzialania")]).unique()
    out["asystenci"] = state["asystenci"].join(assistants, on="id_asystenta", how="semi")
    return out


def export_tables(tables: Tables) -> Tables:
    """Drop the unit column and sort by id: the frames as an export holds them."""
    return {name: tables[name].select(TABLES[name].column_names).sort(TABLES[name].key) for name in TABLES}


def metadata(teryt: str, name: str, spec: ExportSpec) -> ExportMetadata:
    return ExportMetadata(teryt, name, spec.data_eksportu, spec.okres_od, spec.okres_do, spec.zakres, "1")


def cut(truth: Tables, spec: ExportSpec) -> Tables:
    """The tables of one export."""
    state = known_on(truth, spec.data_eksportu)
    return export_tables(state if spec.zakres == "pełny" else for_period(state, spec.okres_od, spec.okres_do))
