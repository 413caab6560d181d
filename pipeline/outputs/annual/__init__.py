"""The annual information ("Informacja o działaniach asystentów rodziny"): HTML and DOCX.

Made by `python -m pipeline report --year Y` (and `run`). `report` builds the text from the
templates in `templates/` (or the centre's own, `report --templates DIR`), `facts` the sentences'
facts (employment, the programme grant), `docx_from_html` the DOCX read from the rendered page (one template,
two files), `docx_style` the Word styles.
"""
