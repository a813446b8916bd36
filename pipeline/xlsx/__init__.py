"""The xlsx engine: the one place that knows xlsxwriter, including its private parts.

Every workbook the project writes is opened with ``book.open_workbook`` and closed through it;
stage code above this package calls xlsxwriter's public worksheet methods and the building
blocks of ``book`` only. Inside, three accelerators stand in for xlsxwriter's slow paths:

- ``rows``: whole blocks of table rows rendered straight to sheet XML (``RowsSheet``);
- ``replay``: workbooks of one layout written again from a prototype (``Prototype``);
- ``container``: the zip container written a part at a time, deflated by ISA-L (``PartsBook``).

They rely on xlsxwriter internals, so xlsxwriter is pinned exactly in pyproject.toml, and
``BANGFU_PLAIN_XLSX=1`` writes every workbook through plain xlsxwriter instead (the golden tests
run both ways).
"""
