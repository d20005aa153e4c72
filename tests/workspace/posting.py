"""Posting to the workspace as a browser does: an element's form filled as its page fills it, URL-encoded or multipart
bodies built by hand (with names and bytes the test client's own encoder would refuse to send)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.test import Client

from factorysec.workspace.factories.forms import element_form
from factorysec.workspace.factories.models import Element
from factorysec.workspace.factories.store import item_class

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

SLUG = "annex-a-factory"


def element_fields(section: str, key: str, slug: str = SLUG) -> tuple[dict[str, str], int]:
    """The element form of ``section/key`` as the page fills it (what a browser posts unchanged), and its version."""
    row = Element.objects.get(factory__slug=slug, section=section, key=key, payload__isnull=False)
    fields: dict[str, str] = {}
    for field in element_form(item_class(section), row.payload, section=section):
        if field.widget == "checkbox":
            if field.checked:
                fields[field.name] = "on"
        else:
            fields[field.name] = field.value
    return fields, row.version


BOUNDARY = "fuzz-boundary-7d1f"


def _utf8(text: str | bytes) -> bytes:
    return text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")


def multipart(fields: dict[str, str | bytes], files: dict[str, tuple[str, bytes]]) -> bytes:
    """A multipart body as a browser sends it, with file names as given (the test client's own encoder refuses some)."""
    parts = [
        b'Content-Disposition: form-data; name="%s"\r\n\r\n%s' % (_utf8(name), _utf8(value))
        for name, value in fields.items()
    ]
    parts += [
        b'Content-Disposition: form-data; name="%s"; filename="%s"\r\nContent-Type: application/octet-stream\r\n\r\n%s'
        % (_utf8(name), _utf8(file_name), content)
        for name, (file_name, content) in files.items()
    ]
    boundary = BOUNDARY.encode()
    return b"".join(b"--%s\r\n%s\r\n" % (boundary, part) for part in parts) + b"--%s--\r\n" % boundary


def form_post(
    client: Client, path: str, fields: dict[str, str | bytes], files: dict[str, tuple[str, bytes]] | None = None
) -> Response:
    """POST a form: multipart when a file goes with it, else URL-encoded from the fields as given (bytes as they are)."""
    if files:
        return client.post(path, multipart(fields, files), content_type=f"multipart/form-data; boundary={BOUNDARY}")
    body = urlencode([(k, v) for k, v in fields.items()]).encode("ascii")
    return client.post(path, body, content_type="application/x-www-form-urlencoded")
