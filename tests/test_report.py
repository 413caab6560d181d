"""The annual information for 2024 from the demo warehouse, in the seed's wording, as HTML and DOCX."""

from __future__ import annotations

import re
import shutil

import pytest

from pipeline.grammar import NBSP
from pipeline.outputs.annual.report import write_report
from pipeline.warehouse.connection import connect

# Each seed figure of 2024 in the seed's wording (the report writes 2-4 agreement correctly:
# "22 z nich zostały zobowiązane", where the seed has "zostało zobowiązanych").
SEED_PHRASES = [
    "zatrudniał czterech asystentów rodziny",
    "objęli wsparciem 68 rodzin, w których wychowuje się 143 dzieci",
    "22 z nich zostały zobowiązane do współpracy z asystentem postanowieniem Sądu Rodzinnego",
    "w 8 z nich dzieci umieszczone były w pieczy zastępczej",
    "w dwóch przypadkach nastąpił powrót dzieci do rodziny biologicznej",
    "zakończono współpracę z 21 rodzinami; w 10 przypadkach asystenturę zakończono osiągając zamierzone cele",
    f"udzielili łącznie 3{NBSP}572 porady",
    f"przeprowadzili 3{NBSP}440 konsultacji",
    "została objęta wsparciem jedna rodzina",
    # the seed's two sentences the data can say: the employment basis and the programme grant
    "zatrudniał czterech asystentów rodziny na podstawie umowy o pracę w systemie zadaniowego czasu pracy.",
    f"otrzymał dofinansowanie w wysokości 123{NBSP}032,28{NBSP}zł w ramach rządowego programu wspierania rodziny "
    "„Asystent rodziny w 2024 r.”",
]


@pytest.fixture(scope="module")
def report(tmp_path_factory, demo_warehouse):
    out = tmp_path_factory.mktemp("report")
    db = out / "demo.duckdb"  # beside the report: the template tests read it from there
    shutil.copyfile(demo_warehouse, db)
    return _write(db, out)


def _write(db, out, year: int = 2024):
    con = connect(db, read_only=True)
    try:
        return write_report(con, year, None, out)
    finally:
        con.close()


def _plain(text: str) -> str:
    """Whitespace collapsed, non-breaking spaces as ordinary ones (the phrases are compared as words)."""
    return re.sub(r"\s+", " ", text.replace(NBSP, " "))


def _has(text: str, phrase: str) -> bool:
    return phrase.replace(NBSP, " ") in text


def test_html_has_every_seed_figure_in_its_wording(report):
    import html as html_lib

    text = _plain(html_lib.unescape(re.sub(r"<[^>]+>", " ", report[0].read_text(encoding="utf-8"))))
    for phrase in SEED_PHRASES:
        assert _has(text, phrase), phrase
    page = report[0].read_text(encoding="utf-8")
    assert "http://" not in page and "https://" not in page and page.count("data:image/png;base64") == 3


def test_docx_has_every_seed_figure_in_its_wording(report):
    from docx import Document

    doc = Document(str(report[1]))
    text = _plain(" ".join(p.text for p in doc.paragraphs))
    for phrase in SEED_PHRASES:
        assert _has(text, phrase), phrase
    table = doc.tables[0]
    rows = {r.cells[0].text: r.cells[2].text for r in table.rows}
    assert rows["rodziny objęte wsparciem asystenta"] == "68"
    assert rows["udzielone porady"] == f"3{NBSP}572"
    assert len(doc.inline_shapes) == 3


def test_zero_and_one_read_well(tmp_path, load_rows, db):
    from builders import episode, family

    load_rows({"rodziny": [family("F1")], "asystentury": [episode("E1", "F1", "2024-02-01")]})
    html = _plain(_write(db, tmp_path)[0].read_text(encoding="utf-8"))
    assert "objęli wsparciem jedną rodzinę, w której nie wychowuje się żadne dziecko" in html  # accusative, singular
    assert "Żadna z rodzin objętych asystenturą nie została zobowiązana" in html
    assert "nie objęto wsparciem żadnej rodziny" in html
    assert "nie zakończono współpracy z żadną rodziną" in html
    assert "pn. „" not in html and "borykały się" not in html and "w ramach procedury" not in html   # none recorded: no sentence
    assert "w domach rodzin" not in html and "według zdiagnozowanych problemów" not in html   # no problem: no such appendix


def _section_3_rows() -> dict:
    from builders import activity, assignment, assistant, episode, family, project

    def problem(id: str, ep: str, label: str) -> dict:
        return {"id_problemu": id, "id_asystentury": ep, "problem": label}

    return {
        "asystenci": [assistant("A1")],
        "rodziny": [family(f) for f in ("F1", "F2", "F3", "F4")],
        "asystentury": [episode(e, f, "2024-01-01") for e, f in (("E1", "F1"), ("E2", "F2"), ("E3", "F3"), ("E4", "F4"))],
        "przydzialy": [assignment(f"P{i}", e, "A1", "2024-01-01") for i, e in enumerate(("E1", "E2", "E3", "E4"))],
        "dzialania": [
            activity("Z1", "E1", "A1", "2024-03-01", "posiedzenie grupy diagnostyczno-pomocowej", 3),
            activity("Z2", "E1", "A1", "2024-03-01", "wizyta w domu rodziny", 22),
            activity("Z3", "E2", "A1", "2024-03-01", "trening umiejętności"),
        ],
        "problemy": [
            problem("B1", "E1", "ubóstwo"), problem("B2", "E2", "ubóstwo"), problem("B3", "E3", "ubóstwo"),
            problem("B4", "E1", "alkoholizm"), problem("B5", "E2", "alkoholizm"),
            problem("B6", "E3", "migracja zarobkowa"), problem("B7", "E4", "migracja zarobkowa"),
            problem("B8", "E4", "bezrobocie"), problem("B9", "E1", "inny"), problem("B10", "E2", "inny"),
        ],
        "projekty": [
            project("K1", "Mikołaj w Krainie Lodu", "2024-12-02", "2024-12-13", 74),
            project("K2", "Wakacje z asystentem", "2024-07-01", "2024-08-30", 2, 1, kind="zajęcia grupowe"),
            project("K3", "Kolędowanie", "2024-12-20", "2025-01-05", 30, kind="wydarzenie"),   # ends in 2025
        ],
    }


def test_section_3_sentences_say_the_data(tmp_path, load_rows, db):
    from docx import Document

    load_rows(_section_3_rows())
    html_path, docx_path = _write(db, tmp_path)
    text = _plain(re.sub(r"<[^>]+>", " ", html_path.read_text(encoding="utf-8")))
    # 3 families with ubóstwo; 2 each with alkoholizm and migracja zarobkowa (tied for third: both named); inny never named
    assert ("Rodziny objęte wsparciem asystentów borykały się najczęściej z następującymi problemami: ubóstwo (3 rodziny), "
            "alkoholizm (2 rodziny) i migracja zarobkowa (2 rodziny).") in text
    assert "Asystenci rodziny uczestniczyli również w trzech posiedzeniach grup diagnostyczno-pomocowych w ramach procedury" in text
    assert "W 2024 r. asystenci odbyli 22 wizyty w domach rodzin i przeprowadzili 1 trening umiejętności." in text
    assert ("W roku sprawozdawczym asystenci rodziny przeprowadzili zajęcia grupowe pn. „Wakacje z asystentem”. W zajęciach "
            "wzięło udział łącznie dwoje dzieci wraz z rodzicami z jednej rodziny. Asystenci rodziny zrealizowali również "
            "projekt socjalny pn. „Mikołaj w Krainie Lodu”. W projekcie wzięło udział łącznie 74 dzieci.") in text
    assert "Kolędowanie" not in text   # reported in 2025, the year it ended
    assert "Załącznik 1. Rodziny, asystentury i asystenci" in text and "Załącznik 2. Rodziny objęte wsparciem według" in text
    doc = Document(str(docx_path))
    appendix = doc.tables[2]      # after the appendix by category
    assert [[c.text for c in r.cells] for r in appendix.rows][:2] == [
        ["Problem", "Rodziny", "% rodzin objętych wsparciem"], ["ubóstwo", "3", "75,0%"]]
    assert [r.cells[0].text for r in appendix.rows][1:] == ["ubóstwo", "alkoholizm", "migracja zarobkowa", "inny", "bezrobocie"]
    assert "W projekcie wzięło udział łącznie 74 dzieci." in _plain(" ".join(p.text for p in doc.paragraphs))


def test_one_problem_reads_in_the_singular(tmp_path, load_rows, db):
    from builders import episode, family

    load_rows({"rodziny": [family("F1")], "asystentury": [episode("E1", "F1", "2024-02-01")],
               "problemy": [{"id_problemu": "B1", "id_asystentury": "E1", "problem": "długotrwała lub ciężka choroba"}]})
    html = _plain(_write(db, tmp_path)[0].read_text(encoding="utf-8"))
    assert "borykały się najczęściej z problemem: długotrwała lub ciężka choroba (1 rodzina)." in html


def test_demo_2024_reads_like_the_seeds_section_3(report):
    import html as html_lib

    from docx import Document

    text = _plain(html_lib.unescape(re.sub(r"<[^>]+>", " ", report[0].read_text(encoding="utf-8"))))
    docx_text = _plain(" ".join(p.text for p in Document(str(report[1])).paragraphs))
    for t in (text, docx_text):
        assert ("W roku sprawozdawczym asystenci rodziny zrealizowali projekt socjalny pn. „Mikołaj w Krainie Lodu”. "
                "W projekcie wzięło udział łącznie 74 dzieci") in t
        # the demo's 2024 figures (wskazniki_2024.json): 52 meetings, 33 families helpless, 624 home visits
        assert re.search(r"Asystenci rodziny uczestniczyli również w 52 posiedzeniach grup diagnostyczno-pomocowych "
                         r"w ramach procedury „Niebieskie Karty”", t)
        assert re.search(r"borykały się najczęściej z następującymi problemami: bezradność w sprawach opiekuńczo-wychowawczych "
                         r"\(33 rodzin[y]?\)", t)
        assert re.search(r"asystenci odbyli 624 wizyt", t)


def test_docx_is_polish_sober_numbered_and_sourced(report):
    from docx import Document

    doc = Document(str(report[1]))
    styles = doc.styles.element.xml
    assert 'w:val="pl-PL"' in styles and "en-US" not in styles                 # proofing language on every style
    assert doc.core_properties.language == "pl-PL"
    heading = doc.styles["Heading 2"]
    assert str(heading.font.color.rgb) == "000000" and heading.font.name == "Times New Roman"
    assert "themeColor" not in heading.element.xml and "asciiTheme" not in heading.element.xml
    assert heading.paragraph_format.keep_with_next
    footer = doc.sections[0].footer._element.xml
    assert "<w:instrText" in footer and " PAGE " in footer and " NUMPAGES " in footer   # page number fields
    text = _plain(" ".join(p.text for p in doc.paragraphs))
    assert "Źródło: magazyn danych z eksportów anonimizowanych systemu ośrodka, stan na 15.01.2026" in text
    assert "Definicje wskaźników: rodziny objęte" not in text and "Definicje wskaźników: liczba asystentów rodziny — " in text
    first_row = doc.tables[0].rows[0]._tr.xml
    assert "<w:tblHeader/>" in first_row                                        # repeated on every page
    assert [c.text for c in doc.tables[0].rows[0].cells] == ["Wskaźnik", "2023", "2024", "Zmiana"]


def test_one_letter_words_are_bound_to_the_next_word(report):
    for text in (report[0].read_text(encoding="utf-8").split("</style>")[1],
                 " ".join(p.text for p in __import__("docx").Document(str(report[1])).paragraphs)):
        assert f"w{NBSP}8 z{NBSP}nich" in text and f"3{NBSP}572" in text
        assert not re.search(r"(?<![\w.\-])[aiouwzAIOUWZ] ", re.sub(r"<[^>]+>", "", text)), "a one-letter word ends a line"


def test_html_prints_headings_with_what_follows(report):
    page = report[0].read_text(encoding="utf-8")
    assert "h1, h2 { break-after: avoid; page-break-after: avoid;" in page
    assert "<thead><tr><th>Wskaźnik</th>" in page and "thead { display: table-header-group; }" in page


def test_the_previous_year_is_compared_only_where_the_exports_cover_it(report, tmp_path, load_rows, db):
    from docx import Document

    assert "Kolumna 2023" not in report[0].read_text(encoding="utf-8")      # the demo covers 2023
    from builders import episode, family

    # an export covering only 2024, with a family supported since 2022: no 2023 column figures
    load_rows({"rodziny": [family("F1")], "asystentury": [episode("E1", "F1", "2022-02-01")]})
    html, docx_path = _write(db, tmp_path)
    page = html.read_text(encoding="utf-8")
    assert "nie obejmują roku 2023; porównanie z poprzednim rokiem pominięto" in _plain(page)
    rows = {r.cells[0].text.replace(NBSP, " "): (r.cells[1].text, r.cells[3].text) for r in Document(str(docx_path)).tables[0].rows}
    assert rows["rodziny objęte wsparciem asystenta"] == ("—", "—")


def test_two_units_read_in_plural(tmp_path, load_rows, db):
    from builders import assistant, episode, family

    for unit, assistants in (("1603011", 4), ("0201042", 5)):
        load_rows({"asystenci": [assistant(f"A{i}", "2020-01-01") for i in range(assistants)],
                   "rodziny": [family("F1")], "asystentury": [episode("E1", "F1", "2024-02-01")]}, unit=unit)
    text = _plain(_write(db, tmp_path)[0].read_text(encoding="utf-8"))
    assert "W roku 2024 łącznie 2 ośrodki pomocy społecznej zatrudniały dziewięciu asystentów rodziny na podstawie" in text
    assert "łącznie 2 ośrodków" not in text


def test_analysts_templates_add_the_centres_own_sections(report, tmp_path, capsys):
    from pipeline.cli import main

    folder = tmp_path / "szablony"
    assert main(["report", "--init-templates", str(folder)]) == 0
    assert sorted(p.name for p in folder.iterdir()) == ["informacja.html.j2", "informacja_podsumowanie.j2",
                                                        "informacja_tekst.j2", "informacja_wstep.j2"]
    (folder / "informacja_wstep.j2").write_text("## 1. Wprowadzenie\n\nRodzina jest podstawowym środowiskiem {{ year }}.\n",
                                                encoding="utf-8")
    (folder / "informacja.html.j2").unlink()                  # a template not in the folder: the shipped one
    assert main(["report", "--init-templates", str(folder)]) == 0     # a second copy keeps the edited file
    assert "bez zmian (już jest)" in capsys.readouterr().out
    assert "Rodzina jest podstawowym" in (folder / "informacja_wstep.j2").read_text(encoding="utf-8")
    db = report[0].parent / "demo.duckdb"
    out = tmp_path / "out"
    assert main(["report", "--year", "2024", "--db", str(db), "--out", str(out), "--templates", str(folder)]) == 0
    html = (out / "informacja_2024.html").read_text(encoding="utf-8")
    assert "<h2>1. Wprowadzenie</h2>" in html
    assert "<p>Rodzina jest podstawowym środowiskiem 2024.</p>" in html
    from docx import Document

    doc = Document(str(out / "informacja_2024.docx"))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert headings[:2] == ["1. Wprowadzenie", f"3. Działania na rzecz rodziny i{NBSP}dziecka w{NBSP}roku 2024"]
    assert main(["report", "--year", "2024", "--db", str(db), "--out", str(out), "--templates", str(tmp_path / "nie")]) == 2


def test_employment_basis_reads_one_phrase_or_the_count_on_each():
    from pipeline.outputs.annual.facts import Basis, employment_phrase

    assert employment_phrase([]) == ""
    assert employment_phrase([Basis("umowa o pracę", "zadaniowy", 4)]) == \
        " na podstawie umowy o pracę w systemie zadaniowego czasu pracy"
    assert employment_phrase([Basis("umowa o pracę", "zadaniowy", 3), Basis("umowa cywilnoprawna", "podstawowy", 1)]) == \
        (": 3 na podstawie umowy o pracę w systemie zadaniowego czasu pracy i 1 na podstawie umowy cywilnoprawnej "
         "w podstawowym systemie czasu pracy")
    three = [Basis("umowa o pracę", "zadaniowy", 2), Basis("umowa o pracę", "równoważny", 1), Basis("inna", "inny", 1)]
    assert employment_phrase(three) == (": 2 na podstawie umowy o pracę w systemie zadaniowego czasu pracy, 1 na podstawie "
                                        "umowy o pracę w równoważnym systemie czasu pracy i 1 na innej podstawie w innym "
                                        "systemie czasu pracy")


def test_mixed_bases_and_no_grant_from_the_warehouse(tmp_path, load_rows, db):
    from builders import assistant

    load_rows({"asystenci": [assistant("A1", "2020-01-01"), assistant("A2", "2024-03-01"),
                             assistant("A3", "2021-01-01", forma_zatrudnienia="umowa cywilnoprawna",
                                       system_czasu_pracy="podstawowy"),
                             assistant("A4", "2020-01-01", "2023-12-31", forma_zatrudnienia="inna")]})  # left before 2024
    text = _plain(_write(db, tmp_path)[0].read_text(encoding="utf-8"))
    assert ("zatrudniał trzech asystentów rodziny: 2 na podstawie umowy o pracę w systemie zadaniowego czasu pracy i 1 na "
            "podstawie umowy cywilnoprawnej w podstawowym systemie czasu pracy.") in text
    assert "dofinansowanie" not in text                                        # no programme row for the year


def test_the_appendix_by_category(tmp_path, load_rows, db):
    from docx import Document
    from test_periods import _cut_case

    load_rows(_cut_case())
    html_path, docx_path = _write(db, tmp_path)
    table = Document(str(docx_path)).tables[1]
    # a category row is indented under its group (a paragraph indent, shown here as three spaces)
    rows = [[("   " if c.paragraphs[0].paragraph_format.left_indent else "") + c.text.replace(NBSP, " ") for c in r.cells]
            for r in table.rows]
    assert rows == [
        ["Kategoria", "Liczba"],
        ["Asystenci zatrudnieni w roku 2024 według formy zatrudnienia", "3"],       # A1, A2; A3 until 30 June
        ["   umowa o pracę", "2"], ["   umowa cywilnoprawna", "1"],
        ["Asystenci zatrudnieni w roku 2024 według systemu czasu pracy", "3"],
        ["   system zadaniowy", "2"], ["   system podstawowy", "1"],
        ["Asystenci zatrudnieni 31.12.2024 według formy zatrudnienia", "2"], ["   umowa o pracę", "2"],
        ["Rodziny objęte wsparciem według liczby dzieci niepełnoletnich", "6"],
        # R1: D1 a minor until 30 June; R2: D2; R3: four minors (D6 an adult); F4, F5, F6: none
        ["   bez dzieci niepełnoletnich", "3"], ["   1 dziecko", "2"], ["   2 dzieci", "0"], ["   3 dzieci", "0"],
        ["   4 i więcej dzieci", "1"],
        ["Rodziny objęte wsparciem: wielodzietne według oznaczenia w systemie ośrodka", "6"], ["   wielodzietne", "1"],
        ["   pozostałe", "5"],
        ["Rodziny objęte wsparciem: zobowiązanie przez sąd", "6"], ["   zobowiązane przez sąd", "1"],
        ["   bez zobowiązania", "5"],
        ["Rodziny objęte wsparciem: ustawa „Za życiem”", "6"], ["   „Za życiem”", "1"], ["   pozostałe", "5"],
        # E6: 4 days; E2: 1 May 2023 - 30 June 2024, one full year
        ["Asystentury zakończone w roku 2024 według czasu trwania", "2"], ["   poniżej 1 roku", "1"],
        ["   od 1 roku do 2 lat (poniżej 2)", "1"], ["   od 2 lat do 3 lat (poniżej 3)", "0"], ["   3 lata i dłużej", "0"],
        # E1, E4, E5 started in 2024; E3 on 1 January 2024: one full year on 31 December
        ["Asystentury trwające 31.12.2024 według czasu od rozpoczęcia", "4"], ["   poniżej 1 roku", "3"],
        ["   od 1 roku do 2 lat (poniżej 2)", "1"], ["   od 2 lat do 3 lat (poniżej 3)", "0"], ["   3 lata i dłużej", "0"],
    ]
    assert all(run.bold for run in table.rows[1].cells[0].paragraphs[0].runs)   # a group's row is bold
    assert not any(run.bold for run in table.rows[2].cells[0].paragraphs[0].runs)
    page = _plain(html_path.read_text(encoding="utf-8"))
    assert "Załącznik. Rodziny, asystentury i asystenci według kategorii sprawozdawczych" in page   # no problem recorded
    # 3 dzieci + 4 i więcej = 0 + 1 = wielodzietne 1: the note says what the flag is, and no figures to reconcile
    assert ("Wielodzietne: rodziny oznaczone jako wielodzietne w systemie ośrodka (pole „wielodzietna” ostatniego "
            "eksportu), a nie policzone z liczby dzieci niepełnoletnich powyżej.") in page
    assert "według zdiagnozowanych problemów" not in page


def test_one_template_drives_the_html_and_the_docx(report, tmp_path):
    """A centre's informacja.html.j2 with its own title and section heading: both files change, the DOCX's XML too."""
    import zipfile

    from pipeline.cli import main

    folder = tmp_path / "szablony"
    assert main(["report", "--init-templates", str(folder)]) == 0
    page = folder / "informacja.html.j2"
    shipped = page.read_text(encoding="utf-8")
    assert "the HTML *and* the DOCX are made from it" in shipped                 # the instructions come with it
    changed = shipped.replace("<h1>Informacja o działaniach asystentów rodziny<br>{{ unit_name }}<br>w roku {{ year }}</h1>",
                              "<h1>Sprawozdanie z pracy asystentów<br>Ośrodek Testowy<br>rok {{ year }}</h1>")
    changed = changed.replace("<h2>3. Działania na rzecz rodziny i dziecka w roku {{ year }}</h2>",
                              "<h2>3. Działania MOPS w roku {{ year }}</h2>\n<h3>Liczby</h3>\n<ul><li>pierwsza</li>"
                              "<li><b>druga</b> pozycja</li></ul>")
    assert changed.count("Ośrodek Testowy") == 1 and "Działania MOPS" in changed
    page.write_text(changed, encoding="utf-8")
    out = tmp_path / "out"
    db = report[0].parent / "demo.duckdb"
    assert main(["report", "--year", "2024", "--db", str(db), "--out", str(out), "--templates", str(folder)]) == 0
    html = (out / "informacja_2024.html").read_text(encoding="utf-8")
    assert f"<h1>Sprawozdanie z{NBSP}pracy asystentów<br>Ośrodek Testowy<br>rok 2024</h1>" in html
    with zipfile.ZipFile(out / "informacja_2024.docx") as docx_zip:
        xml = docx_zip.read("word/document.xml").decode("utf-8")
    assert '<w:pStyle w:val="Title"/>' in xml
    assert f"<w:t>Sprawozdanie z{NBSP}pracy asystentów</w:t><w:br/>" in xml and "<w:t>Ośrodek Testowy</w:t>" in xml
    assert "ASYSTENTÓW RODZINY" not in xml and "Informacja o działaniach" not in xml   # nothing written in Python
    assert "3. Działania MOPS w" in xml and "Działania na rzecz rodziny" not in xml
    from docx import Document

    doc = Document(str(out / "informacja_2024.docx"))
    styled = [(p.style.name, p.text.replace(NBSP, " ")) for p in doc.paragraphs]
    at = styled.index(("Heading 2", "3. Działania MOPS w roku 2024"))
    assert styled[at + 1: at + 4] == [("Heading 3", "Liczby"), ("List Bullet", "pierwsza"), ("List Bullet", "druga pozycja")]
    assert [r.bold for r in doc.paragraphs[at + 3].runs] == [True, None]
    assert doc.styles["Title"].font.all_caps                                   # capitals as the page's CSS shows them
    assert doc.core_properties.title == "Informacja o działaniach asystentów rodziny w roku 2024"   # the page's <title>


def test_the_docx_has_what_the_html_has(report):
    """Every paragraph and table cell of the page is in the DOCX, in the same order (one source, two files)."""
    from docx import Document
    from lxml import html as lxml_html

    tree = lxml_html.fromstring(report[0].read_text(encoding="utf-8"))
    page = [_plain(" ".join(e.itertext())).strip() for e in tree.iter("h1", "h2", "p", "figcaption")]
    doc = Document(str(report[1]))
    words = [_plain(p.text.replace("\n", " ")).strip() for p in doc.paragraphs if p.text.strip()]
    assert words == page
    cells = [[_plain(td.text_content()).strip() for td in tr.iter("td", "th")] for tr in tree.iter("tr")]
    assert cells == [[_plain(c.text).strip() for c in r.cells] for t in doc.tables for r in t.rows]
    widths = [round(c.width.cm, 1) for c in doc.tables[0].columns]
    assert widths == [9.5, 2.0, 2.0, 3.5]                                       # data-widths of the page's table
    numbers = doc.tables[0].rows[1].cells[2].paragraphs[0]
    assert numbers.alignment == 2                                               # class "n": right-aligned (RIGHT = 2)


def test_large_families_note_says_what_it_counts_and_reconciles_the_figures():
    from pipeline.outputs.annual.report import large_families_note

    def note(three: int, four: int, flagged: int) -> str:
        return large_families_note({"families_by_children": {"0": 5, "1": 4, "2": 3, "3": three, "4+": four},
                                    "families_large": {"wielodzietne": flagged, "pozostałe": 30}})

    definition = ("Wielodzietne: rodziny oznaczone jako wielodzietne w systemie ośrodka (pole „wielodzietna” ostatniego "
                  "eksportu), a nie policzone z liczby dzieci niepełnoletnich powyżej")
    assert note(18, 6, 24) == definition + "."                                 # they agree: nothing to reconcile
    assert note(18, 6, 23) == definition + ("; dlatego rodzin z trojgiem i więcej dzieci niepełnoletnich (3 dzieci oraz "
                                            "4 i więcej dzieci) jest 24, a oznaczonych jako wielodzietne 23.")
    assert note(18, 6, 25).endswith("jest 24, a oznaczonych jako wielodzietne 25.")


def test_the_appendix_figures_agree_with_its_note(report):
    """The demo's 2024 appendix: the note's figures are the table's (3 dzieci + 4 i więcej; wielodzietne)."""
    from docx import Document

    rows = {}
    group = ""
    for r in Document(str(report[1])).tables[1].rows[1:]:
        label, value = (_plain(c.text).strip() for c in r.cells)
        if not r.cells[0].paragraphs[0].paragraph_format.left_indent:
            group = label
        rows[(group, label)] = int(value.replace(" ", ""))
    children = "Rodziny objęte wsparciem według liczby dzieci niepełnoletnich"
    three_or_more = rows[(children, "3 dzieci")] + rows[(children, "4 i więcej dzieci")]
    flagged = rows[("Rodziny objęte wsparciem: wielodzietne według oznaczenia w systemie ośrodka", "wielodzietne")]
    text = _plain(report[0].read_text(encoding="utf-8"))
    assert "pole „wielodzietna” ostatniego eksportu" in text
    if three_or_more != flagged:
        assert f"jest {three_or_more}, a oznaczonych jako wielodzietne {flagged}." in text
    else:
        assert "a oznaczonych jako wielodzietne" not in text
