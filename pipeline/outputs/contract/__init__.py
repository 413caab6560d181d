"""The contract's documents: the Excel export template and the generated docs pages.

Made by `python -m pipeline template --out F.xlsx [--fill EXPORT]` and `python -m pipeline docs`
(docs/indicators.md, docs/rules.md, docs/contract.md, docs/kontrakt.md).
"""
