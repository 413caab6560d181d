"""The period statement (XLSX and HTML) for the half-year report, and its published version.

Made by `python -m pipeline statement --period P [--publish]` and `indicators --out F --publish`;
the suppressed cells are chosen by `pipeline.indicators.disclosure`.
"""
