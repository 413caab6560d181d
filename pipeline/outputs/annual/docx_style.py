"""How the annual information looks in Word: Polish proofing language, sober headings, page numbers,
a table header repeated on every page, headings kept with what follows.

python-docx's default template is American (en-US proofing: Word underlines every Polish word) with
blue theme-coloured headings; these functions turn a new Document into one a Polish office edits
as its own.
"""

from __future__ import annotations

from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from pipeline.outputs.templating import document_text

LANGUAGE = "pl-PL"
FONT = "Times New Roman"
HEADING_SIZES = {"Title": 14, "Heading 1": 13, "Heading 2": 12, "Heading 3": 12}
_THEME_FONT_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def _child(parent: Any, tag: str) -> Any:
    """The first child `tag` of `parent`, created (appended) when missing."""
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        parent.append(found)
    return found


def _set_language(r_pr: Any) -> None:
    lang = _child(r_pr, "w:lang")
    for attribute in ("w:val", "w:eastAsia"):
        lang.set(qn(attribute), LANGUAGE)


def set_language(doc: Any) -> None:
    """Polish proofing language on the document's defaults and on every style that sets its own run properties."""
    styles = doc.styles.element
    r_pr = _child(_child(_child(styles, "w:docDefaults"), "w:rPrDefault"), "w:rPr")
    _set_language(r_pr)
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:type")) in ("paragraph", "character", "table"):
            _set_language(_child(style, "w:rPr"))
    doc.core_properties.language = LANGUAGE


def _plain_font(style: Any, size: int, bold: bool) -> None:
    """Times New Roman in black, no theme font or colour (those would win over the names set here)."""
    r_fonts = _child(style.element.get_or_add_rPr(), "w:rFonts")
    for attribute in _THEME_FONT_ATTRIBUTES:
        r_fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        r_fonts.set(qn(attribute), FONT)
    style.font.size, style.font.bold, style.font.italic = Pt(size), bold, False
    style.font.color.rgb = RGBColor(0, 0, 0)


def sober_styles(doc: Any) -> None:
    """Normal: Times New Roman 12 pt, justified text is set per paragraph; headings black, bold, kept with next."""
    normal = doc.styles["Normal"]
    _plain_font(normal, 12, False)
    normal.font.bold = None
    normal.paragraph_format.space_after = Pt(6)
    for name, size in HEADING_SIZES.items():
        style = doc.styles[name]
        _plain_font(style, size, True)
        fmt = style.paragraph_format
        fmt.keep_with_next, fmt.space_before, fmt.space_after = True, Pt(12), Pt(6)
        if name == "Title":
            fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
            border = style.element.get_or_add_pPr().find(qn("w:pBdr"))
            if border is not None:  # the default template underlines the title in blue
                style.element.get_or_add_pPr().remove(border)


def a4_page(section: Any, margin_cm: float = 2.0) -> None:
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(margin_cm))


def _field(paragraph: Any, instruction: str, shown: str) -> None:
    """A Word field (e.g. PAGE) as begin / instruction / separate / shown value / end runs."""
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, shown), ("end", None)):
        run = paragraph.add_run()
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == instruction:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {instruction} "
            run._r.append(instr)
        else:
            run.text = text


def page_numbers(section: Any) -> None:
    """A centred "Strona N z M" in the footer (PAGE and NUMPAGES fields, updated by Word and LibreOffice)."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("Strona ")
    _field(paragraph, "PAGE", "1")
    paragraph.add_run(" z ")
    _field(paragraph, "NUMPAGES", "1")
    for run in paragraph.runs:
        run.font.size = Pt(9)


def repeat_as_header(row: Any) -> None:
    """The table row is repeated at the top of every page the table spans, and never split across pages."""
    tr_pr = row._tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader"):
        tr_pr.append(OxmlElement(tag))


def keep_with_next(paragraph: Any) -> None:
    paragraph.paragraph_format.keep_with_next = True


def note(doc: Any, text: str, size: int = 9) -> Any:
    """A small note paragraph (source line, definitions, a comparison left out)."""
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    run = paragraph.add_run(document_text(text))
    run.font.size = Pt(size)
    return paragraph


def table(doc: Any, rows: list[tuple[str, ...]], widths_cm: tuple[float, ...], bold_rows: set[int] | None = None) -> Any:
    """A grid table: the first row is the header (bold, repeated on every page), numbers right-aligned from the second
    column on, 10 pt; `bold_rows` (indexes into `rows`) are bold too.  Column and cell widths are both set: LibreOffice
    reads the column widths, Word the cell widths."""
    from docx.shared import Cm

    grid = doc.add_table(rows=1, cols=len(widths_cm))
    grid.style = "Table Grid"
    grid.autofit = False
    widths = [Cm(w) for w in widths_cm]
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width
    bold = {0} | (bold_rows or set())
    for i, values in enumerate(rows):
        cells = grid.rows[0].cells if i == 0 else grid.add_row().cells
        for j, (cell, text) in enumerate(zip(cells, values, strict=True)):
            cell.width = widths[j]
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            run = paragraph.add_run(document_text(text))
            run.font.size = Pt(10)
            run.bold = i in bold
            if j > 0:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    repeat_as_header(grid.rows[0])
    return grid
