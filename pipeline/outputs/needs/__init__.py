"""The needs for the year planned (the art. 179 report's second half): families, FTE at the caseload limit, cost.

Made by `python -m pipeline needs` (`--format table|json`, `--out F.xlsx`); computed by
`pipeline.indicators.needs`. The annual information writes its own section from the same values.
"""
