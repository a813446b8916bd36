"""The forms: the programme workbook as data (Programme) and the templates written from the schemas."""
