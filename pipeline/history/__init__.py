"""The history store: every period of a programme in one place (pipeline.history.store)."""
