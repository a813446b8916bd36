"""Frames to files: every workbook and CSV the project writes (validation report, feedback,
consolidated, assessment)."""
