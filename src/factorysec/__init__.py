"""factorysec: METI factory-system security guidelines, as software."""

__version__ = "0.1.0"
