"""The analysis of a stored model, shown as the CLI's findings."""
