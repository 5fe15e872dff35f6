"""A PDF's structure, read with pikepdf before PDFium loads any page: which pages depend on a
stream that does not decode (their text may be incomplete), which use a stream that decodes to
more than `max_stream_mb` (not read at all: a decompression bomb), and how many lines and
rectangles each page draws (a page that draws rules probably holds a ruled table)."""
from __future__ import annotations

import io
import re

import pikepdf

from .rules import load
from .survivors import inflate, short as _short

RULES = load("textlayer")

# The operators `l` and `re`, not inside a longer name: the operator first and what precedes it
# looked at behind, so that the pattern starts with a character set and re scans for it fast
# (same matches as `(?<![A-Za-z\\])(?:l|re)(?![A-Za-z])`, 3 times faster).
_RULE_OPS = re.compile(rb"(?:l|re)(?<![A-Za-z\\]l)(?<![A-Za-z\\]re)(?![A-Za-z])")


def inspect_structure(data: bytes, password: str | None) -> tuple[dict[int, str], list[int], dict[int, str]]:
    """(page -> reason for pages that depend on a stream that does not decode, rule ops per page,
    page -> reason for pages not to be read at all: they use a stream that decodes to more than
    `max_stream_mb`)."""
    broken_pages: dict[int, str] = {}
    refused: dict[int, str] = {}
    rule_ops: list[int] = []
    try:
        pdf = pikepdf.open(io.BytesIO(data), password=password or "")
    except pikepdf.PdfError:
        return broken_pages, rule_ops, refused     # pdfium opened it; structure unknown, nothing flagged
    limit = RULES["max_stream_mb"]
    with pdf:
        contents = {c.objgen for page in pdf.pages for c in _content_streams(page)}
        broken, huge, decoded = _decode_streams(pdf, limit, contents)
        for number, page in enumerate(pdf.pages, start=1):
            hit = _first_broken(page.obj, huge, set()) if huge else None
            if hit:
                refused[number] = "its " + hit.replace(" does not decode: ", " ")
                rule_ops.append(0)
                continue
            content = _content_bytes(page, decoded)
            rule_ops.append(len(_RULE_OPS.findall(content)) if content is not None else 0)
            if broken:
                hit = _first_broken(page.obj, broken, set())
                if hit:
                    broken_pages[number] = hit
    return broken_pages, rule_ops, refused


def _decode_streams(pdf: pikepdf.Pdf, limit: int, contents: set) -> tuple[dict, dict, dict]:
    """(objgen -> why for streams that do not decode, objgen -> why for streams that decode to
    more than `limit` MB, objgen -> decoded bytes of the content streams in `contents` that the
    measure of their size decoded whole). A stream the measure decoded whole is known to decode;
    every other one is decoded by qpdf to tell."""
    broken: dict[tuple[int, int], str] = {}
    huge: dict[tuple[int, int], str] = {}
    decoded: dict[tuple[int, int], bytes] = {}
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream):
            large, data = inflate(obj, limit << 20)
            if large:
                huge[obj.objgen] = f"decodes to more than {limit} MB (a decompression bomb?)"
                continue
            if data is not None:
                if obj.objgen in contents:
                    decoded[obj.objgen] = data
                continue
            try:
                obj.read_bytes()
            except pikepdf.PdfError as exc:
                if "unfilterable" not in str(exc):     # JPEG and other image codecs qpdf leaves to the reader
                    broken[obj.objgen] = _short(exc)
    return broken, huge, decoded


def _content_streams(page: pikepdf.Page) -> list[pikepdf.Stream]:
    contents = page.obj.get("/Contents")
    if isinstance(contents, pikepdf.Stream):
        return [contents]
    if isinstance(contents, pikepdf.Array):
        return [c for c in contents if isinstance(c, pikepdf.Stream)]
    return []


def _content_bytes(page: pikepdf.Page, decoded: dict) -> bytes | None:
    try:
        return b"\n".join(_decoded(c, decoded) for c in _content_streams(page))
    except pikepdf.PdfError:
        return None


def _decoded(stream: pikepdf.Stream, decoded: dict) -> bytes:
    found = decoded.get(stream.objgen) if stream.is_indirect else None
    return found if found is not None else stream.read_bytes()


_STREAM_KINDS = {"/Contents": "content stream", "/FontFile": "embedded font", "/FontFile2": "embedded font",
                 "/FontFile3": "embedded font", "/ToUnicode": "font Unicode map", "/XObject": "image or form"}


def _first_broken(obj, broken: dict, seen: set, depth: int = 0, via: str = "/Contents") -> str | None:
    """Walk a page's contents and resources (fonts, images, forms) for a broken stream."""
    if depth > 8:
        return None
    if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
        if obj.is_indirect:
            if obj.objgen in seen:
                return None
            seen.add(obj.objgen)
            if obj.objgen in broken:
                kind = _STREAM_KINDS.get(via, "resource stream")
                return f"{kind} (object {obj.objgen[0]}) does not decode: {broken[obj.objgen]}"
        items = obj.stream_dict.items() if isinstance(obj, pikepdf.Stream) else obj.items()
        for key, value in items:
            if key in ("/Parent", "/P", "/Annots"):
                continue
            hit = _first_broken(value, broken, seen, depth + 1, key if key in _STREAM_KINDS else via)
            if hit:
                return hit
    elif isinstance(obj, pikepdf.Array):
        for value in obj:
            hit = _first_broken(value, broken, seen, depth + 1, via)
            if hit:
                return hit
    return None
