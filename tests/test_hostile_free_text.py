"""Free text that could break outputs (issue 28, class 8): a control character in a project's title gives a valid
DOCX and HTML (the character removed) and is never printed raw by `--explain`."""

from __future__ import annotations

import zipfile

from builders import project, small_case

TITLE = "Mikołaj\x1b[31m w\x0bKrainie\x07 Lodu\x00"


def test_a_control_character_in_a_project_title_gives_a_valid_docx_and_is_escaped_by_explain(load_rows, db, tmp_path,
                                                                                              capsys):
    from docx import Document

    from pipeline.cli import main

    rows = small_case()
    rows["projekty"] = [project("K1", TITLE, "2024-12-02", "2024-12-13", 74, 31)]
    load_rows(rows)
    out = tmp_path / "out"
    assert main(["report", "--year", "2024", "--db", str(db), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    docx = out / "informacja_2024.docx"
    text = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    assert "„Mikołaj[31m w Krainie Lodu”" in text.replace("\u00a0", " ")
    with zipfile.ZipFile(docx) as zf:
        body = zf.read("word/document.xml")
    assert not any(bytes([c]) in body for c in (0, 7, 0x0b, 0x1b))
    html = (out / "informacja_2024.html").read_text(encoding="utf-8")
    assert "Mikołaj[31m w Krainie Lodu" in html.replace("\u00a0", " ")
    assert not any(ch in html for ch in "\x00\x07\x0b\x1b")

    assert main(["indicators", "--year", "2024", "--db", str(db), "--explain", "projects_completed"]) == 0
    shown = capsys.readouterr().out
    assert "Mikołaj\\x1b[31m w\\x0bKrainie\\x07 Lodu\\x00" in shown
    assert not any(ch in shown for ch in "\x00\x07\x0b\x1b")
    assert len(shown.strip().splitlines()) == 2          # the header and the one project: no line faked
