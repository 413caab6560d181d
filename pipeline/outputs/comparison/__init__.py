"""Where a unit stands among its peers: text, XLSX and HTML, and the funnel charts.

Made by `python -m pipeline compare --unit U --year Y` and shown by notebook 05; the figures come
from `pipeline.indicators.comparison` and `pipeline.indicators.funnel`.
"""
