"""What is this file? A PDF, or something else saved with a .pdf name (empty, HTML, an Office
document, an image, text): `sniff` raises a TextLayerError naming it, quoting at most a short
escaped sample of its own words."""
from __future__ import annotations

import re

from .errors import TextLayerError

SAMPLE_CHARS = 40         # the most of a non-PDF's own words an error reason quotes (an HTML title), escaped
_HTML = re.compile(rb"^\s*(?:<!doctype\s+html|<html|<head|<body|<\?xml[^>]*>\s*<html)", re.I)
_MAGIC = {
    b"PK\x03\x04": "a ZIP archive (an Office document such as .docx/.xlsx?)",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office document (.doc/.xls)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"{\\rtf": "an RTF document",
}


def sniff(data: bytes) -> None:
    """Raise a TextLayerError naming what the file is, unless it looks like a PDF."""
    if not data:
        raise TextLayerError("the file is empty (0 bytes)", code="empty")
    if data.startswith(b"%PDF-"):
        return
    if _HTML.match(data[:512]):
        title = re.search(rb"<title>(.*?)</title>|<body[^>]*>(.*?)<", data[:4096], re.I | re.S)
        hint = (title.group(1) or title.group(2)).decode("utf-8", "replace").strip() if title else ""
        hint = hint[:SAMPLE_CHARS]
        more = f" (it says: {hint!r})" if hint else ""
        raise TextLayerError(f"not a PDF but an HTML page saved with a .pdf name{more}", code="html")
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise TextLayerError(f"not a PDF but {what}", code="not_pdf")
    if b"%PDF-" in data[:65536]:
        return            # junk before the header (a mail or download wrapper): repair will try
    try:                  # what it is, never what it says: it may be any file (a link to /etc/passwd)
        data[:200].decode("utf-8")
        what = f"a text file of {len(data):,} bytes (its text is not shown)"
    except UnicodeDecodeError:
        what = f"binary data starting {data[:4].hex(' ')}"
    raise TextLayerError(f"not a PDF (no %PDF- header): {what}", code="not_pdf")
