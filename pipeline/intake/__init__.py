"""Untrusted bytes to typed rows: sniffing, zip and sheet scans, isolated workers, reading,
identifying, parsing, submissions and the cache."""
