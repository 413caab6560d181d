"""One data-quality report per export (HTML, and the GX result as JSON), never with a cell value.

Written by `python -m pipeline ingest` (and `run`) beside the warehouse, in quality/.
"""
