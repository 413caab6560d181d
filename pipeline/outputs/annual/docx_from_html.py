"""The annual information's DOCX, built from its rendered HTML: the centre's template is the one source of both.

`informacja.html.j2` (shipped, or the centre's own with `report --templates DIR`) decides every heading, sentence,
table and figure; this module walks the page's elements into a Word document styled by `docx_style`:

  h1 -> the title (Title style, capitals as the page shows them), h2 / h3 -> Heading 2 / Heading 3,
  p -> a justified paragraph with a first-line indent (`class="note"`: a small note),
  ul / ol -> bulleted / numbered paragraphs, table -> a grid table (rows of `thead`, or a first row of `th` only,
  repeated on every page; `th` bold; a cell with class `n` right-aligned, with class `indent` indented; the
  table's `data-widths="9.5 2 2 3.5"` gives the column widths in cm), figure / img -> the picture (a data: PNG)
  16 cm wide with its figcaption centred below, b / strong / i / em / br inside text; div, section and any other
  container are walked through; `<title>` becomes the document's title property.
"""

from __future__ import annotations

import base64
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import html as lxml_html

from pipeline.outputs.templating import document_text

PAGE_WIDTH_CM = 17.0  # A4 less 2 cm margins
PICTURE_WIDTH_CM = 16.0
_SPACES = re.compile(r"[ \t\r\n]+")  # ordinary whitespace only: a non-breaking space stays
_HEADINGS = {"h2": 2, "h3": 3, "h4": 3, "h5": 3, "h6": 3}
_CONTAINERS = {"body", "div", "section", "article", "main", "header", "footer", "aside", "nav", "blockquote",
               "center", "span", "a"}


@dataclass
class Segment:
    """A piece of a paragraph's text with its emphasis; `text` None is a line break."""

    text: str | None
    bold: bool = False
    italic: bool = False


def _classes(element: Any) -> set[str]:
    return set((element.get("class") or "").split())


def segments(element: Any, bold: bool = False, italic: bool = False) -> list[Segment]:
    """The element's text as segments (whitespace collapsed as a browser does, the ends trimmed)."""
    found = _walk_inline(element, bold, italic)
    merged: list[Segment] = []
    for s in found:
        if s.text is not None:
            s.text = _SPACES.sub(" ", s.text)
            if merged and merged[-1].text is not None and merged[-1].text.endswith(" ") and s.text.startswith(" "):
                s.text = s.text[1:]
        if s.text != "":
            merged.append(s)
    lines: list[list[Segment]] = [[]]
    for s in merged:  # no space at the start or the end of a line
        if s.text is None:
            lines.append([])
        lines[-1].append(s)
    for line in lines:
        texts = [s for s in line if s.text is not None]
        if texts:
            texts[0].text = texts[0].text.lstrip(" ")
            texts[-1].text = texts[-1].text.rstrip(" ")
    return [s for s in merged if s.text is None or s.text]


def _walk_inline(element: Any, bold: bool, italic: bool) -> list[Segment]:
    tag = element.tag if isinstance(element.tag, str) else ""
    bold = bold or tag in ("b", "strong", "th")
    italic = italic or tag in ("i", "em")
    out = [Segment(element.text, bold, italic)] if element.text and tag != "br" else []
    if tag == "br":
        out.append(Segment(None))
    for child in element:
        if isinstance(child.tag, str):
            out += _walk_inline(child, bold, italic)
        if child.tail:
            out.append(Segment(child.tail, bold, italic))
    return out


def plain_text(element: Any) -> str:
    """The element's text as one line (line breaks as spaces)."""
    return " ".join("" if s.text is None else s.text for s in segments(element)).strip()


def _fill(paragraph: Any, parts: list[Segment], size_pt: float | None = None) -> Any:
    from docx.shared import Pt

    for s in parts:
        if s.text is None:
            (paragraph.runs[-1] if paragraph.runs else paragraph.add_run()).add_break()
            continue
        run = paragraph.add_run(document_text(s.text))
        run.bold = s.bold or None
        run.italic = s.italic or None
        if size_pt:
            run.font.size = Pt(size_pt)
    return paragraph


class _Writer:
    """Walks the page's body into `doc`."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc

    def block(self, element: Any) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "h1":
            self.title(element)
        elif tag in _HEADINGS:
            _fill(self.doc.add_paragraph(style=f"Heading {_HEADINGS[tag]}"), segments(element))
        elif tag == "p":
            self.paragraph(element)
        elif tag in ("ul", "ol"):
            style = "List Bullet" if tag == "ul" else "List Number"
            for item in element.iter("li"):
                _fill(self.doc.add_paragraph(style=style), segments(item))
        elif tag == "table":
            self.table(element)
        elif tag == "figure":
            self.figure(element)
        elif tag == "img":
            self.picture(element)
        elif tag in _CONTAINERS:
            self.children(element)
        # script, style, hr, comments and unknown elements add nothing

    def children(self, element: Any) -> None:
        loose = segments_of_text(element)
        for child in element:
            if isinstance(child.tag, str):
                self.block(child)
        if loose:  # text directly in a container: a paragraph of its own
            self.text_paragraph(loose)

    def title(self, element: Any) -> None:
        from pipeline.outputs.annual import docx_style

        docx_style.keep_with_next(_fill(self.doc.add_paragraph(style="Title"), segments(element)))

    def text_paragraph(self, parts: list[Segment]) -> Any:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm

        p = _fill(self.doc.add_paragraph(), parts)
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        p.paragraph_format.first_line_indent = Cm(1.25)
        return p

    def paragraph(self, element: Any) -> None:
        from pipeline.outputs.annual import docx_style

        parts = segments(element)
        if not parts:
            return
        if "note" in _classes(element):
            note = docx_style.note(self.doc, "")
            _fill(note, parts, docx_style.NOTE_SIZE)
        else:
            self.text_paragraph(parts)

    def table(self, element: Any) -> None:
        from pipeline.outputs.annual import docx_style

        rows = [tr for tr in element.iter("tr")]
        if not rows:
            return
        grid = [[cell for cell in tr if isinstance(cell.tag, str) and cell.tag in ("td", "th")] for tr in rows]
        columns = max(len(cells) for cells in grid)
        header = sum(1 for tr in rows if tr.getparent().tag == "thead") or (1 if all(c.tag == "th" for c in grid[0]) else 0)
        cells = [[docx_style.Cell(segments(c), right="n" in _classes(c), indent="indent" in _classes(c)) for c in row]
                 + [docx_style.Cell([])] * (columns - len(row)) for row in grid]
        docx_style.grid_table(self.doc, cells, widths(element.get("data-widths"), columns), header_rows=header)

    def figure(self, element: Any) -> None:
        for img in element.iter("img"):
            self.picture(img)
        for caption in element.iter("figcaption"):
            self.caption(segments(caption))

    def picture(self, element: Any) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm

        from pipeline.outputs.annual import docx_style

        data = image_bytes(element.get("src") or "")
        if data is None:
            return
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run().add_picture(io.BytesIO(data), width=Cm(PICTURE_WIDTH_CM))
        docx_style.keep_with_next(p)

    def caption(self, parts: list[Segment]) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        from pipeline.outputs.annual import docx_style

        p = _fill(self.doc.add_paragraph(), parts, docx_style.CAPTION_SIZE)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER


def segments_of_text(element: Any) -> list[Segment]:
    """Text written directly in a container (not inside one of its elements)."""
    pieces = [element.text or ""] + [child.tail or "" for child in element]
    text = _SPACES.sub(" ", "".join(pieces)).strip()
    return [Segment(text)] if text else []


def widths(spec: str | None, columns: int) -> tuple[float, ...]:
    """Column widths in cm from `data-widths` ("9.5 2 2 3.5"), else the page width shared equally."""
    if spec:
        try:
            values = tuple(float(v.replace(",", ".")) for v in spec.split())
        except ValueError:
            values = ()
        if len(values) == columns and all(v > 0 for v in values):
            return values
    return (PAGE_WIDTH_CM / columns,) * columns


def image_bytes(src: str) -> bytes | None:
    """The bytes of a `data:image/...;base64,` picture (the report embeds its charts so); None for anything else."""
    match = re.match(r"data:image/(png|jpeg|gif);base64,(.*)", src, re.S)
    return base64.b64decode(match.group(2)) if match else None


def write_docx_from_html(path: Path, page: str) -> Path:
    """Write the rendered page `page` (the annual information's HTML) as an editable Word document at `path`."""
    from docx import Document

    from pipeline.outputs.annual import docx_style

    tree = lxml_html.document_fromstring(page)
    doc = Document()
    docx_style.a4_page(doc.sections[0])
    docx_style.sober_styles(doc)
    docx_style.set_language(doc)
    docx_style.page_numbers(doc.sections[0])
    body = tree.find("body")
    _Writer(doc).children(body if body is not None else tree)
    title = tree.find(".//title")
    if title is not None:
        doc.core_properties.title = plain_text(title).replace("\u00a0", " ")  # metadata: ordinary spaces
    doc.save(str(path))
    return path
