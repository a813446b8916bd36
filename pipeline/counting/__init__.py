"""Accepted rows to counted rows and aggregates: counting once, the tables officials read, score ranks."""
