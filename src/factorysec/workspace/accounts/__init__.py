"""People and their roles per factory."""
