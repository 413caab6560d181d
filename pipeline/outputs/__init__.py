"""Outputs: the deliverables a person receives, one sub-package each, and the writers they share.

Outputs only format and write: every figure is computed in `pipeline.indicators` (the evaluation's
costs, the choice of suppressed cells included) and handed in, or read through a read-only connection.

Deliverables (no sub-package imports another; each may use the shared writers):
  annual/       the annual information (HTML and DOCX; the centre's templates)   `report`, `run`
  notebooks/    the five analysis notebooks: opening, tables, findings, runner    `notebooks`, `run`
  evaluation/   the programme evaluation: conclusions, ewaluacja_programu.xlsx    notebook 04
  publication/  the period statement, with disclosure control for publication     `statement`, `indicators --publish`
  comparison/   where a unit stands among its peers (text, XLSX, HTML, funnels)   `compare`, notebook 05
  figures/      the figures as the command line prints them, the trend workbook   `indicators`, `run`
  contract/     the contract's documents: the Excel template and the docs pages  `template`, `docs`
  quality/      one data-quality report per export                               `ingest`, `run`

Shared writers: formats (Polish number and date formats), spreadsheets (XLSX and CSV), charts
(altair, offline), wording (figure rows and category labels that several deliverables show), templating
(the one place jinja2 environments are made: sandboxed, strict).
"""
