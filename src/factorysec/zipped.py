"""What reading a damaged zip archive can raise, in one place.

``zipfile`` reports damage in many ways: a bad signature or CRC
(``BadZipFile``), a version or compression method field it does not know
(``NotImplementedError``, "zip file version 14.2"), a stream zlib cannot inflate
(``zlib.error``), a record cut short (``EOFError``), offsets past the end
(``ValueError``, ``OSError``) or sizes past ZIP64 (``LargeZipFile``). A reader of
files a user hands in (a workbook, an upload of advisories) catches all of them
and says the file is damaged, rather than letting one through as a traceback.
"""

from __future__ import annotations

import zipfile
import zlib

DAMAGED_ZIP_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    NotImplementedError,
    zlib.error,
    EOFError,
    ValueError,
    OSError,
)
"""The exceptions opening or reading a damaged zip archive raises."""

DAMAGED_ZIP_ERRORS_OR_MISSING: tuple[type[BaseException], ...] = (KeyError, *DAMAGED_ZIP_ERRORS)
"""The same, and the ``KeyError`` of a member the archive's directory does not hold."""
