"""JupyterLab settings for the project's notebooks: a double-click opens a jupytext .py as a notebook.

`make lab` runs `python -m pipeline.outputs.notebooks.lab SETTINGS_DIR` with the venv's Lab settings
folder (`.venv/share/jupyter/lab/settings`), so the user's home is left alone.
"""

from __future__ import annotations

import sys
from pathlib import Path

from jupytext_config.labconfig import LabConfig

# jupytext's own name for its notebook view (jupytext-config set-default-viewer writes the same)
VIEWER = "Jupytext Notebook"
DOCTYPES = ("python",)


def write_default_viewer(settings_dir: Path) -> Path:
    """Make jupytext's notebook view the default for .py files in `settings_dir/overrides.json`.

    Idempotent; keeps the file's other settings and a viewer the user chose already. Returns the file.
    """
    settings_file = Path(settings_dir) / "overrides.json"
    LabConfig(settings_file=settings_file).read().set_default_viewers(list(DOCTYPES)).write()
    return settings_file


def main(argv: list[str] | None = None) -> int:
    """`python -m pipeline.outputs.notebooks.lab SETTINGS_DIR`: write the overrides, say where."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("błąd użycia: podaj folder ustawień JupyterLab, np. .venv/share/jupyter/lab/settings",
              file=sys.stderr)
        return 2
    settings_file = write_default_viewer(Path(args[0]))
    print(f"JupyterLab: pliki .py otwierają się jako notatniki (ustawienie w {settings_file})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
