"""The evaluation of the programme "Asystent rodziny": conclusions and ewaluacja_programu_RRRR.xlsx.

Shown by notebook 04 (run by `python -m pipeline notebooks` and `run`); the figures come from
`pipeline.indicators.evaluation`.
"""
