"""JupyterLab settings for the project's notebooks: a double-click opens a jupytext .py as a notebook.

`make lab` runs `python -m pipeline.outputs.notebooks.lab SETTINGS_DIR` with the venv's Lab settings
folder (`.venv/share/jupyter/lab/settings`), so the user's home is left alone, and starts Lab with
`--ServerApp.contents_manager_class=pipeline.outputs.notebooks.lab.ContentsManager` (CONTENTS_MANAGER).

Why the contents manager: JupyterLab 4 writes `metadata.language_info` into every open notebook (an empty
`{"name": ""}` as soon as the model is read back, then the kernel's full `language_info` once it answers)
and marks the document modified whenever the value changes. The .py notebooks carry no `language_info`
(jupytext keeps it out of the text file), so each one showed ● the moment it opened. The contents manager
hands Lab the notebook with the `language_info` (and `kernelspec`) the python3 kernel will report, so Lab's
write is a no-op; jupytext still writes the .py without them, so a save leaves no diff in the tracked file.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from ipykernel.ipkernel import IPythonKernel
from ipykernel.kernelspec import KERNEL_NAME, get_kernel_dict
from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager
from jupytext.async_contentsmanager import build_async_jupytext_contents_manager_class
from jupytext_config.labconfig import LabConfig

# jupytext's own name for its notebook view (jupytext-config set-default-viewer writes the same)
VIEWER = "Jupytext Notebook"
DOCTYPES = ("python",)
# the `jupyter lab` option `make lab` and the tests start Lab with
CONTENTS_MANAGER = "--ServerApp.contents_manager_class=pipeline.outputs.notebooks.lab.ContentsManager"


def kernel_metadata() -> dict[str, Any]:
    """The notebook metadata Lab sets when the python3 kernel starts: `kernelspec` and `language_info`.

    jupyter_client runs the native python3 kernel with the server's own interpreter, so ipykernel's
    `language_info` here is the one its kernel_info reply carries (the Python version included).
    """
    spec = get_kernel_dict()
    return {
        "kernelspec": {"name": KERNEL_NAME, "display_name": spec["display_name"], "language": spec["language"]},
        "language_info": dict(IPythonKernel.language_info),
    }


def with_kernel_metadata(notebook: dict[str, Any]) -> dict[str, Any]:
    """`notebook` (nbformat JSON) with the python3 kernel's metadata filled in where Lab would write it.

    Only a notebook for the python3 kernel (or none yet) is touched; another kernel's notebook is left alone.
    An existing `language_info` (a paired .ipynb's, possibly from an older Python) is replaced by the current
    one, the value Lab writes on kernel start anyway.
    """
    metadata = notebook.setdefault("metadata", {})
    kernelspec = metadata.get("kernelspec") or {}
    if kernelspec.get("name", KERNEL_NAME) not in (KERNEL_NAME, ""):
        return notebook
    expected = kernel_metadata()
    if kernelspec.get("name") != KERNEL_NAME:
        metadata["kernelspec"] = expected["kernelspec"]
    if (metadata.get("language_info") or {}).get("name", "python") in ("python", ""):
        metadata["language_info"] = expected["language_info"]
    return notebook


class ContentsManager(build_async_jupytext_contents_manager_class(AsyncLargeFileManager)):
    """jupytext's contents manager (as its server extension builds it) giving notebooks the kernel's metadata.

    See the module docstring: without it Lab marks every .py notebook modified on open.
    """

    async def get(self, path: str, content: bool = True, type: str | None = None, **kwargs: Any) -> dict:
        """The model jupytext reads, a notebook's content with `with_kernel_metadata` applied."""
        model = await super().get(path, content=content, type=type, **kwargs)
        if model.get("type") == "notebook" and isinstance(model.get("content"), dict):
            with_kernel_metadata(model["content"])
        return model


def write_default_viewer(settings_dir: Path) -> Path:
    """Make jupytext's notebook view the default for .py files in `settings_dir/overrides.json`.

    Idempotent; keeps the file's other settings and a viewer the user chose already. Returns the file.
    """
    settings_file = Path(settings_dir) / "overrides.json"
    LabConfig(settings_file=settings_file).read().set_default_viewers(list(DOCTYPES)).write()
    return settings_file


def write_server_config(prefix: Path) -> Path:
    """Select ContentsManager for every `jupyter lab` of the environment at `prefix` (the venv), also one started
    by hand in `notebooks/` without `make lab`: `prefix/etc/jupyter/jupyter_server_config.d/asystenci_rodziny.json`.
    Idempotent; the user's home is left alone. Returns the file."""
    config_file = Path(prefix) / "etc" / "jupyter" / "jupyter_server_config.d" / "asystenci_rodziny.json"
    config_file.parent.mkdir(parents=True, exist_ok=True)
    manager = CONTENTS_MANAGER.split("=", 1)[1]
    config_file.write_text(json.dumps({"ServerApp": {"contents_manager_class": manager}}, indent=2) + "\n",
                           encoding="utf-8")
    return config_file


def main(argv: list[str] | None = None) -> int:
    """`python -m pipeline.outputs.notebooks.lab SETTINGS_DIR`: write the overrides, say where."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("błąd użycia: podaj folder ustawień JupyterLab, np. .venv/share/jupyter/lab/settings",
              file=sys.stderr)
        return 2
    settings_file = write_default_viewer(Path(args[0]))
    config_file = write_server_config(Path(sys.prefix))
    print(f"JupyterLab: pliki .py otwierają się jako notatniki (ustawienie w {settings_file}; "
          f"otwarcie nie oznacza notatnika jako zmienionego: {config_file})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
