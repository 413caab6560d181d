"""The annual information and a quality report rendered by headless Chromium (Debian's package).

Skipped where Chromium is not installed; `apt-get install chromium` brings it.  The screenshots are
written to reports/screenshots/ so a person can look at them.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


def screenshot(page: Path, png: Path, size: str = "1000,1400") -> Path:
    png.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", f"--window-size={size}", f"--screenshot={png}",
                        page.as_uri()], capture_output=True, timeout=120, check=False)
    return png


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")
def test_report_and_quality_page_render(tmp_path, load_rows, db):
    from builders import small_case

    from pipeline.outputs.annual.report import write_report
    from pipeline.warehouse.connection import connect

    load_rows(small_case())
    con = connect(db, read_only=True)
    try:
        html = write_report(con, 2024, None, tmp_path)[0]
    finally:
        con.close()
    out = tmp_path / "screenshots"
    png = screenshot(html, out / "informacja.png")
    assert png.stat().st_size > 20_000                       # a page with text and charts, not a blank one
    from PIL import Image

    with Image.open(png) as image:
        colours = image.convert("RGB").resize((50, 70)).getcolors(10_000)
    assert colours and len(colours) > 20                     # more than a white page
    # the whole page, charts included: the title's black text at the top, and the charts drawn in the project's first
    # colour (PALETTE[0], #0072B2) — an image that failed to decode, or a page without its charts, has none of it
    whole = screenshot(html, out / "informacja_cala.png", size="1000,7000")
    with Image.open(whole) as image:
        rgb = image.convert("RGB")
        top = rgb.crop((0, 0, rgb.width, 200)).getcolors(1_000_000)
        blue = sum(n for n, (r, g, b) in rgb.getcolors(10_000_000) if abs(r) < 40 and abs(g - 114) < 40 and abs(b - 178) < 40)
    assert any(n > 200 and max(c) < 80 for n, c in top)      # dark text in the title band
    assert blue > 2_000, blue
