"""Charts: a chart shown under a caption carries no title of its own; the Wilson interval has one wording."""

from __future__ import annotations

import re

import polars as pl

from pipeline.config import PROJECT_ROOT
from pipeline.outputs import charts

TREND = pl.DataFrame({"year": [2023, 2024], "families_closed": [10, 12], "families_closed_goals_achieved": [4, 9]})


def test_a_chart_saved_for_a_caption_has_no_title(tmp_path):
    chart = charts.goal_rate(TREND)
    title = "Udział zakończeń z osiągnięciem celów (95% przedział ufności Wilsona)"
    assert chart.to_dict()["title"] == title
    (titled,) = charts.save(chart, tmp_path / "z_tytulem", ("svg",))
    (bare,) = charts.save(chart, tmp_path / "bez_tytulu", ("svg",), titled=False)
    assert "Wilsona" in titled.read_text(encoding="utf-8") and "Wilsona" not in bare.read_text(encoding="utf-8")
    assert "<svg" in bare.read_text(encoding="utf-8")


def test_the_report_captions_its_charts_and_does_not_title_them_twice(monkeypatch, tmp_path):
    from pipeline.outputs.annual import report

    saved = []
    real = charts.save
    monkeypatch.setattr(charts, "save", lambda chart, stem, formats=("png",), titled=True:
                        saved.append(titled) or real(chart, stem, formats, titled))
    trend = TREND.with_columns(pl.lit(5).alias("families_supported"), pl.lit(9).alias("children_in_supported_families"),
                               *(pl.lit(0).alias(f"closed: {r}") for r in charts.CLOSURE_REASONS))
    figures = report._figures(trend, 2024, tmp_path)
    assert saved == [False] * len(report.REPORT_FIGURES)
    assert figures[2]["caption"] == "Udział zakończeń z osiągnięciem celów (95% przedział ufności Wilsona)"


def test_one_wording_of_the_wilson_interval_everywhere():
    other = re.compile(r"przedział(em)? Wilsona|przedziałem ufności(?! Wilsona)|przedziały ufności \(95%\)"
                       r"|Przedział ufności Wilsona \(95%\)")
    sources = [*(PROJECT_ROOT / "pipeline").rglob("*.py"), *(PROJECT_ROOT / "pipeline").rglob("*.j2"),
               *(PROJECT_ROOT / "notebooks").glob("*.py")]
    found = [str(p.relative_to(PROJECT_ROOT)) for p in sources if other.search(p.read_text(encoding="utf-8"))]
    assert found == []
    assert charts.WILSON_INTERVAL == "95% przedział ufności Wilsona"
