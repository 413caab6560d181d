"""JupyterLab as `make lab` starts it: .py notebooks open as notebooks, saving writes the paired .ipynb.

A real server (the venv's jupyterlab) on 127.0.0.1 with a token, in a copy of notebooks/, spoken to
through its REST API; the Lab settings it reads are the ones `make lab` writes (lab.write_default_viewer).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("jupyterlab")

from pipeline.outputs.notebooks.lab import VIEWER, write_default_viewer

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOK = "02_informacja_roczna"
TOKEN = "test-token-lab"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _request(base: str, path: str, method: str = "GET", body: dict | None = None) -> dict:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        base + path, data=data, method=method,
        headers={"Authorization": f"token {TOKEN}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=20) as response:
        return json.loads(response.read())


def _wait_ready(base: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"jupyter lab stopped (exit {server.returncode}):\n{log.read_text()[-2000:]}")
        try:
            _request(base, "/api/status")
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    pytest.fail(f"jupyter lab did not answer within 30 s:\n{log.read_text()[-2000:]}")


@pytest.fixture
def lab(tmp_path: Path):
    """A running Lab in a copy of notebooks/ with the overrides `make lab` writes; yields (base URL, folder)."""
    root = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS, root, ignore=shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints", "__pycache__"))
    settings_dir = tmp_path / "lab-settings"
    write_default_viewer(settings_dir)
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "JUPYTER_DATA_DIR": str(tmp_path / "data"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "user-settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces"),
    }
    port = _free_port()
    command = [
        sys.executable, "-m", "jupyterlab", "--ip=127.0.0.1", f"--port={port}", "--no-browser",
        f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={root}",
        f"--LabApp.app_settings_dir={settings_dir}", "--ServerApp.port_retries=0",
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")
    log = tmp_path / "lab.log"
    with log.open("w") as out:
        server = subprocess.Popen(command, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_ready(base, server, log)
        yield base, root
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_write_default_viewer_is_idempotent_and_keeps_other_settings(tmp_path: Path) -> None:
    settings = tmp_path / "overrides.json"
    settings.write_text(json.dumps({"@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"}}))
    write_default_viewer(tmp_path)
    first = settings.read_text()
    write_default_viewer(tmp_path)
    assert settings.read_text() == first
    assert json.loads(first) == {
        "@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"},
        "@jupyterlab/docmanager-extension:plugin": {"defaultViewers": {"python": "Jupytext Notebook"}},
    }


def test_lab_opens_py_as_notebook_and_saving_pairs_ipynb(lab) -> None:
    base, root = lab
    assert not (root / f"{NOTEBOOK}.ipynb").exists()

    model = _request(base, f"/api/contents/{NOTEBOOK}.py")
    assert model["type"] == "notebook"
    cells = model["content"]["cells"]
    assert any(cell["cell_type"] == "markdown" for cell in cells)
    assert any("parameters" in cell["metadata"].get("tags", []) for cell in cells)

    plugin = _request(base, "/lab/api/settings/@jupyterlab/docmanager-extension:plugin")
    defaults = plugin["schema"]["properties"]["defaultViewers"]["default"]
    assert defaults["python"] == VIEWER

    saved = _request(base, f"/api/contents/{NOTEBOOK}.py", method="PUT",
                     body={"type": "notebook", "format": "json", "content": model["content"]})
    assert saved["type"] == "notebook"
    paired = root / f"{NOTEBOOK}.ipynb"
    assert paired.is_file()
    notebook = json.loads(paired.read_text(encoding="utf-8"))
    assert len(notebook["cells"]) == len(cells)
    # the .py round-trips unchanged: a save in Lab leaves no diff in the tracked file
    original = (NOTEBOOKS / f"{NOTEBOOK}.py").read_text(encoding="utf-8")
    assert (root / f"{NOTEBOOK}.py").read_text(encoding="utf-8") == original
