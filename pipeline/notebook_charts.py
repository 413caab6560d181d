"""Show altair charts in a notebook: interactive in JupyterLab, a PNG in exported HTML."""

from __future__ import annotations

from pathlib import Path

import altair as alt

from pipeline.figures import FORMAT_LOCALE, TIME_LOCALE, save


def show(chart: alt.Chart, name: str | None = None, figures_dir: str | None = None) -> None:
    """Display a chart (Vega-Lite with Polish number format + PNG fallback); save PNG and SVG when named."""
    import vl_convert as vlc
    from IPython.display import display

    spec = chart.to_dict()
    spec.setdefault("usermeta", {})["embedOptions"] = {"formatLocale": FORMAT_LOCALE, "timeFormatLocale": TIME_LOCALE}
    png = vlc.vegalite_to_png(spec, scale=1.5, format_locale=FORMAT_LOCALE, time_format_locale=TIME_LOCALE)
    display({"application/vnd.vegalite.v5+json": spec, "image/png": png, "text/plain": f"<wykres {name or ''}>"}, raw=True)
    if name and figures_dir:
        save(chart, Path(figures_dir) / name, ("png", "svg"))
