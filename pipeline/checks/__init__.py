"""Typed rows to findings: pandera schemas per column, rules across rows and files, the two
sides of a pair, the rubric sheet."""
