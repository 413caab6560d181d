"""The figures as the command line gives them: the year's table and CSV, cohorts, the trend workbook.

Made by `python -m pipeline indicators` (`--format table|csv`, `--cohorts`, `--years ... --out F`)
and by `run` (wskazniki_lata.csv and .xlsx).
"""
