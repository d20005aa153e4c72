"""``python -m factorysec``: the same command as the ``factorysec`` script."""

from factorysec.cli import main

main()
