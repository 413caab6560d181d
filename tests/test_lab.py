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

from pipeline.outputs.notebooks.lab import (
    CONTENTS_MANAGER,
    VIEWER,
    kernel_metadata,
    with_kernel_metadata,
    write_default_viewer,
)

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
    deadline = time.monotonic() + 90  # a loaded machine (CI, 2 shared cores) takes over 30 s to start Lab
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"jupyter lab stopped (exit {server.returncode}):\n{log.read_text()[-2000:]}")
        try:
            _request(base, "/api/status")
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    pytest.fail(f"jupyter lab did not answer within 90 s:\n{log.read_text()[-2000:]}")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A running Lab in a copy of notebooks/ with the overrides `make lab` writes; yields (base URL, folder).  Started
    once for the module (its tests only read, and the one that saves checks the folder before it does)."""
    tmp_path = tmp_path_factory.mktemp("lab")
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
        f"--LabApp.app_settings_dir={settings_dir}", "--ServerApp.port_retries=0", CONTENTS_MANAGER,
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


def test_kernel_metadata_is_what_the_python3_kernel_reports() -> None:
    from ipykernel.ipkernel import IPythonKernel

    metadata = kernel_metadata()
    assert metadata["kernelspec"] == {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    assert metadata["language_info"] == IPythonKernel.language_info
    assert metadata["language_info"]["version"] == f"{sys.version_info[0]}.{sys.version_info[1]}.{sys.version_info[2]}"


def test_with_kernel_metadata_fills_a_python_notebook_and_leaves_another_kernel_alone() -> None:
    expected = kernel_metadata()
    bare = with_kernel_metadata({"cells": [], "metadata": {"jupytext": {"notebook_metadata_filter": "-all"}}})
    assert bare["metadata"] == {"jupytext": {"notebook_metadata_filter": "-all"}, **expected}
    # Lab's own placeholders (a new Untitled.ipynb) and an older Python's language_info are replaced
    untitled = with_kernel_metadata({"metadata": {"kernelspec": {"name": "", "display_name": ""},
                                                  "language_info": {"name": ""}}})
    assert untitled["metadata"] == expected
    old = with_kernel_metadata({"metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                                            "language": "python"},
                                             "language_info": {"name": "python", "version": "3.8.0"}}})
    assert old["metadata"]["language_info"] == expected["language_info"]
    r_notebook = {"metadata": {"kernelspec": {"name": "ir", "display_name": "R", "language": "R"},
                               "language_info": {"name": "R"}}}
    assert with_kernel_metadata(json.loads(json.dumps(r_notebook))) == r_notebook


def test_lab_serves_notebooks_with_the_kernel_metadata_lab_would_write(lab) -> None:
    base, root = lab
    model = _request(base, f"/api/contents/{NOTEBOOK}.py")
    assert model["content"]["metadata"]["language_info"] == kernel_metadata()["language_info"]
    assert model["content"]["metadata"]["kernelspec"] == kernel_metadata()["kernelspec"]
    assert "language_info" not in (root / f"{NOTEBOOK}.py").read_text(encoding="utf-8")


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


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _dump_dom(url: str, profile: Path, budget_ms: int = 30000) -> str:
    """The page's DOM after `budget_ms` of virtual time in headless Chromium (its own profile folder)."""
    command = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
               "--no-first-run", f"--user-data-dir={profile}", f"--virtual-time-budget={budget_ms}", "--dump-dom", url]
    done = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _document_tab(dom: str, name: str) -> str:
    """The class attribute of the main area's tab of document `name` (the tab a double-click opens)."""
    import re

    tabs = [t for t in re.findall(r"<li[^>]*data-type=\"document-title\"[^>]*>", dom) if f"Name: {name}" in t]
    assert len(tabs) == 1, tabs
    return re.search(r'class="([^"]*)"', tabs[0]).group(1)


@pytest.fixture(scope="module")
def opened_in_browser(lab, tmp_path_factory):
    """The DOM of /lab/tree/02_….py, the address a double-click in the file browser opens, in headless Chromium."""
    if _chromium() is None:
        pytest.skip("no chromium on this machine (.ci/run installs it on Debian)")
    base, _ = lab
    return _dump_dom(f"{base}/lab/tree/{NOTEBOOK}.py?token={TOKEN}", tmp_path_factory.mktemp("chromium"))


def test_double_click_path_renders_notebook_cells_in_a_browser(opened_in_browser) -> None:
    body = opened_in_browser[opened_in_browser.index("<body"):]  # the stylesheets name every class too
    assert 'class="jp-Notebook' in body or ' jp-Notebook ' in body
    cells = body.count("jp-Cell jp-CodeCell") + body.count("jp-Cell jp-MarkdownCell")
    assert cells >= 10, cells  # notebook cells, not the text editor's lines
    assert "jp-FileEditor" not in body
    assert "Informacja roczna: liczby do sprawozdania" in body  # the first markdown cell, rendered
    assert "jp-mod-current" in _document_tab(body, f"{NOTEBOOK}.py")


def test_opening_a_notebook_does_not_mark_it_modified(opened_in_browser) -> None:
    body = opened_in_browser[opened_in_browser.index("<body"):]
    assert "jp-mod-dirty" not in _document_tab(body, f"{NOTEBOOK}.py").split()


def test_server_config_selects_the_contents_manager_for_a_plain_jupyter_lab(tmp_path: Path) -> None:
    from pipeline.outputs.notebooks.lab import write_server_config

    first = write_server_config(tmp_path).read_text(encoding="utf-8")
    config = write_server_config(tmp_path)
    assert config == tmp_path / "etc" / "jupyter" / "jupyter_server_config.d" / "asystenci_rodziny.json"
    assert config.read_text(encoding="utf-8") == first
    assert json.loads(first) == {"ServerApp": {"contents_manager_class": "pipeline.outputs.notebooks.lab.ContentsManager"}}
