"""The demo: a realistic programme and an inbox of filled reports with the faults real inboxes have."""
