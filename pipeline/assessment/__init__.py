"""The year-end assessment: every pair scored against the rubric, with the evidence of every point."""
