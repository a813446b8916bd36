"""What every stage shares: the Issue (one finding at one cell), the errors that stop a run, cell addresses."""
