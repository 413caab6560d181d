"""The analysis notebooks (notebooks/*.py): their shared opening, tables, findings and the runner.

Made by `python -m pipeline notebooks` (and `run`): `runner` executes them to HTML; inside a
notebook, `setup` opens it (parameters, year, chart theme, tables), `reading` is its `con` (the
warehouse open only while a cell reads it, so an idle kernel never blocks a load), `tables` builds
its frames and `findings` the sentences of "Co znaleźliśmy"; `lab` writes the JupyterLab setting
`make lab` needs (a .py opens as a notebook on a double-click).
"""
