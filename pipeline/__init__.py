"""Bangfu: intake, validation and consolidated reports for school-pairing programmes."""
