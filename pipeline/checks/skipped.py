"""The note of what the gate could not check in an export (`STR-090`), and why."""

from __future__ import annotations

from pipeline.problems import Problem, issue
from pipeline.read.export import ExportData

NOT_CHECKED = issue("STR-090", "części sprawdzeń nie wykonano: tabela nieodczytana albo niepoprawne metadane", "warning")



def not_checked_note(data: ExportData, unread: list[str], others: list[str]) -> Problem:
    """What the gate could not check in an export, and why (`others`: the codes of the rules of read tables not run)."""
    if data.container is None:
        text = "eksportu nie da się otworzyć: nie sprawdzono tabel, typów, danych osobowych ani reguł"
    elif data.meta is None:
        text = "metadane są niepoprawne (reguły potrzebują m.in. data_eksportu): nie sprawdzono żadnej reguły"
        if unread:
            text += f"; nieodczytane tabele ({', '.join(unread)}): nie sprawdzono w nich też typów ani danych osobowych"
    else:
        text = f"nieodczytane tabele ({', '.join(unread)}): nie sprawdzono w nich typów, danych osobowych ani reguł"
        if others:
            text += f"; nie sprawdzono też reguł innych tabel, które ich potrzebują ({', '.join(others)})"
    return NOT_CHECKED.problem(text + ". Popraw problemy powyżej i sprawdź eksport ponownie.", file=data.name)


