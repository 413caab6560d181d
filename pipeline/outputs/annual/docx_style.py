"""How the annual information looks in Word: Polish proofing language, sober headings, page numbers,
a table header repeated on every page, headings kept with what follows.

python-docx's default template is American (en-US proofing: Word underlines every Polish word) with
blue theme-coloured headings; these functions turn a new Document into one a Polish office edits
as its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from pipeline.outputs.templating import document_text

LANGUAGE = "pl-PL"
FONT = "Times New Roman"
HEADING_SIZES = {"Title": 14, "Heading 1": 13, "Heading 2": 12, "Heading 3": 12}
NOTE_SIZE = 9  # pt: notes, the source line, the definitions
CAPTION_SIZE = 10  # pt: a figure's caption
TABLE_SIZE = 10  # pt: table cells
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
            style.font.all_caps = True  # as the page's h1 { text-transform: uppercase }
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


def keep_with_next(paragraph: Any) -> None:
    paragraph.paragraph_format.keep_with_next = True


def note(doc: Any, text: str, size: int = NOTE_SIZE) -> Any:
    """A small note paragraph (source line, definitions, a comparison left out); `text` "" leaves it for the caller."""
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if text:
        paragraph.add_run(document_text(text)).font.size = Pt(size)
    return paragraph


@dataclass
class Cell:
    """A table cell: its text segments (docx_from_html.Segment: text, bold, italic; text None a line break)."""

    parts: list[Any] = field(default_factory=list)
    right: bool = False  # a number: right-aligned
    indent: bool = False  # a category under its group's heading row


def grid_table(doc: Any, rows: list[list[Cell]], widths_cm: tuple[float, ...], header_rows: int = 1) -> Any:
    """A grid table of `rows`, 10 pt; the first `header_rows` rows repeated at the top of every page; rows never split.
    Column and cell widths are both set: LibreOffice reads the column widths, Word the cell widths."""
    grid = doc.add_table(rows=len(rows), cols=len(widths_cm))
    grid.style = "Table Grid"
    grid.autofit = False
    widths = [Cm(w) for w in widths_cm]
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width
    for i, values in enumerate(rows):
        for j, (cell, spec) in enumerate(zip(grid.rows[i].cells, values, strict=True)):
            cell.width = widths[j]
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            if spec.indent:
                paragraph.paragraph_format.left_indent = Cm(0.5)
            if spec.right:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            for part in spec.parts:
                if part.text is None:
                    (paragraph.runs[-1] if paragraph.runs else paragraph.add_run()).add_break()
                    continue
                run = paragraph.add_run(document_text(part.text))
                run.font.size = Pt(TABLE_SIZE)
                run.bold = part.bold or None
                run.italic = part.italic or None
        tr_pr = grid.rows[i]._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        if i < header_rows:
            tr_pr.append(OxmlElement("w:tblHeader"))
    return grid
