"""A truncated PDF -> the pages that survive, as a well-formed PDF, and which pages were lost.

A file cut short loses its end: always the cross-reference table and the trailer (so neither
PDFium nor qpdf opens it), and whatever objects were stored last. What that is depends on the
producer: most (Word, WPS, qpdf) store the page tree and page objects first, so a cut loses the
content and fonts of the last pages; LibreOffice stores page contents and fonts first and the page
objects, their resources and the catalog last, so a cut loses the page tree while every page's
content may survive.

    1. survivors (survivors.py): every complete `N G obj ... endobj` before the cut;
    2. the pages, in order (survivors.py): the surviving page tree (a lost page keeps its place);
       else the surviving page objects and the page contents that nothing surviving refers to,
       in the order the file stores them (a linearized file also says how many pages it had);
    3. each page: lost when its content is lost, or when nothing on it survives; kept otherwise,
       with the text shown in fonts that are lost left out (fonts of contents whose resources are
       lost are matched by their widths: fontmatch.py); a lost page keeps its place as a blank
       page, so page numbers stay those of the file.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field

import pikepdf

from .errors import TextLayerError
from .fontmatch import RULES, match, strip_text, text_runs
from .survivors import MAX_STREAM, Survivors, cut_sentence, from_objects, from_tree, linearized, survivors, too_large, type_of

__all__ = ["Salvage", "cut_sentence", "page_ranges", "salvage"]


@dataclass
class Salvage:
    pdf: bytes                                  # the recovered pages (lost ones blank), a well-formed PDF
    pages: int
    lost: list[int] = field(default_factory=list)
    damaged: dict[int, str] = field(default_factory=dict)    # page -> what was left out
    reason: str = ""
    complete: bool = False                      # every page of the file is known to be recovered whole


@dataclass
class _Page:
    obj: pikepdf.Dictionary | None              # the surviving page object, if any
    content: list[pikepdf.Stream] | None        # its content streams; None: lost
    fonts: dict[str, pikepdf.Object] | None     # name -> font; None: resources lost
    images: set[str] = field(default_factory=set)   # names of the images and forms that survive


def page_ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 7, 9, 10] -> '1-3, 7, 9-10'."""
    out, start = [], None
    for i, n in enumerate(numbers):
        start = n if start is None else start
        if i + 1 == len(numbers) or numbers[i + 1] != n + 1:
            out.append(f"{start}-{n}" if n != start else f"{n}")
            start = None
    return ", ".join(out)


def salvage(data: bytes, what: str, password: str | None = None) -> Salvage:
    """The pages of a truncated file that survive; TextLayerError (code truncated) when none does.
    `what` is the sentence that says how the file is cut, the start of every reason."""
    if b"/Encrypt" in data[:65536] or b"/Encrypt" in data[-65536:]:
        raise TextLayerError(f"{what}; it is encrypted, and a cut encrypted file cannot be recovered",
                             code="truncated")
    sv = survivors(data, what, password)
    with sv.pdf:
        slots, total = from_tree(sv)
        how = "tree"
        if not any(slots):
            slots, total, how = from_objects(sv), None, "objects"
            _, pages = linearized(data)       # a linearized file stores its pages in order: the rest is lost
            if pages and pages >= len(slots):
                slots, total, how = slots + [None] * (pages - len(slots)), pages, "linearized"
        pages = [_page(sv, s) if s is not None else None for s in slots]
        return _build(sv, pages, total, how, what)


def _inherited(obj: pikepdf.Dictionary, key: str):
    """A page attribute, from the page or the nearest surviving ancestor."""
    for _ in range(32):
        if not isinstance(obj, pikepdf.Dictionary):
            return None
        if key in obj:
            return obj.get(key)
        obj = obj.get("/Parent")
    return None


def _page(sv: Survivors, slot) -> _Page:
    if isinstance(slot, pikepdf.Stream):
        return _Page(None, [slot], None)
    content = slot.get("/Contents")
    streams = list(content) if isinstance(content, pikepdf.Array) else [content] if content is not None else []
    complete = bool(streams) and all(isinstance(s, pikepdf.Stream) and not too_large(s, MAX_STREAM) for s in streams)
    try:
        for s in streams if complete else []:
            s.read_bytes()
    except pikepdf.PdfError:
        complete = False
    for key in ("/Resources", "/MediaBox", "/CropBox", "/Rotate"):
        value = _inherited(slot, key)
        if key not in slot and value is not None:
            slot[key] = value
    resources = slot.get("/Resources")
    if not isinstance(resources, pikepdf.Dictionary):
        return _Page(slot, streams if complete else None, None)
    fonts = {n: f for n, f in _named(resources, "/Font", pikepdf.Dictionary).items() if _intact(sv, f)}
    return _Page(slot, streams if complete else None, fonts, set(_named(resources, "/XObject", pikepdf.Stream)))


_FONT_PARTS = ("/ToUnicode", "/Encoding", "/DescendantFonts")


def _glyphless(sv: Survivors, font) -> bool:
    """A font whose glyph program is lost: PDFium then drops some of its characters."""
    fonts = [font] + [k for k in font.get("/DescendantFonts", []) if isinstance(k, pikepdf.Dictionary)] \
        if isinstance(font.get("/DescendantFonts"), pikepdf.Array) else [font]
    return any(isinstance(f.get("/FontDescriptor"), pikepdf.Dictionary) and
               sv.lost_refs(f.FontDescriptor, ("/FontFile", "/FontFile2", "/FontFile3")) for f in fonts)


def _intact(sv: Survivors, font) -> bool:
    """A font whose text can be read: its Unicode map, encoding and descendant fonts survive (its
    glyph program may be lost: the text is read, not drawn)."""
    if sv.lost_refs(font, _FONT_PARTS):
        return False
    kids = font.get("/DescendantFonts")
    return not isinstance(kids, pikepdf.Array) or all(
        isinstance(k, pikepdf.Dictionary) and not sv.lost_refs(k, _FONT_PARTS) for k in kids)


def _named(resources: pikepdf.Dictionary, kind: str, cls) -> dict:
    """name -> resource of one kind that survives (qpdf reads a reference to a lost object as null)."""
    table = resources.get(kind)
    if not isinstance(table, pikepdf.Dictionary):
        return {}
    return {str(k).lstrip("/"): v for k, v in table.items()
            if isinstance(v, cls) and (cls is not pikepdf.Dictionary or "/Subtype" in v)}


def _build(sv: Survivors, pages: list[_Page | None], total: int | None, how: str, what: str) -> Salvage:
    pdf = sv.pdf
    parsed = {i: pikepdf.parse_content_stream(_joined(pdf, p.content)) for i, p in enumerate(pages)
              if p is not None and p.content is not None}
    orphans = [i for i in parsed if pages[i].fonts is None]
    inferred = {}
    if orphans:
        fonts = {o.objgen: o for o in pdf.objects if type_of(o) == "/Font" and not isinstance(o, pikepdf.Stream)
                 and _intact(sv, o)}
        chosen = match([text_runs(parsed[i]) for i in orphans], fonts)
        inferred = {name: fonts[key] for name, key in chosen.items()}
    result = Salvage(b"", len(pages))
    size = RULES["default_page_size"]
    for index, page in enumerate(pages):
        number = index + 1
        if index not in parsed:
            result.lost.append(number)
            pdf.pages.append(pikepdf.Page(pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=[0, 0, *size])))
            continue
        fonts = page.fonts if page.fonts is not None else inferred
        content, shown = strip_text(parsed[index], set(fonts))
        unsure = sorted(n for n in shown if n in fonts and _glyphless(sv, fonts[n]))
        gone = sorted(n for n in shown if n not in fonts)
        left_out = sum(shown[n] for n in gone)
        images, kept = _images(content, page.images)
        if (shown or images) and left_out == sum(shown.values()) and not kept:
            result.lost.append(number)
            pdf.pages.append(pikepdf.Page(pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=[0, 0, *size])))
            continue
        said = []
        if gone:
            said.append(f"the text in font{'s' if len(gone) > 1 else ''} {', '.join(gone)} is lost with the end "
                        f"of the file and left out ({left_out} of {sum(shown.values())} text runs)")
        if unsure:
            said.append(f"the glyph program of font{'s' if len(unsure) > 1 else ''} {', '.join(unsure)} is lost with "
                        f"the end of the file: the text is read from its Unicode map, and characters may be missing")
        if images > kept:
            said.append(f"{images - kept} of its {images} images or forms are lost with the end of the file")
        if said:
            result.damaged[number] = f"page {number}: " + "; ".join(said)
        pdf.pages.append(pikepdf.Page(_page_object(pdf, page, content, fonts, size)))
    if len(result.lost) == len(pages):
        raise TextLayerError(f"{what}; no complete page survives", code="truncated")
    out = io.BytesIO()
    pdf.save(out)
    result.pdf = out.getvalue()
    result.reason = _reason(result, total, how, what)
    result.complete = how != "objects" and not result.lost and not result.damaged
    return result


def _joined(pdf: pikepdf.Pdf, streams: list[pikepdf.Stream]) -> pikepdf.Stream:
    return streams[0] if len(streams) == 1 else pikepdf.Stream(pdf, b"\n".join(s.read_bytes() for s in streams))


def _images(instructions, surviving: set[str]) -> tuple[int, int]:
    """(images and forms drawn, those that survive); an inline image always survives."""
    drawn = kept = 0
    for inst in instructions:
        if isinstance(inst, pikepdf.ContentStreamInlineImage):
            drawn, kept = drawn + 1, kept + 1
        elif str(inst.operator) == "Do" and inst.operands:
            drawn += 1
            kept += str(inst.operands[0]).lstrip("/") in surviving
    return drawn, kept


def _page_object(pdf: pikepdf.Pdf, page: _Page, content: list, fonts: dict, size: list) -> pikepdf.Dictionary:
    stream = pikepdf.Stream(pdf, pikepdf.unparse_content_stream(content))
    if page.obj is None or page.fonts is None:
        box = page.obj.get("/MediaBox") if page.obj is not None else None
        return pikepdf.Dictionary(Type=pikepdf.Name.Page, Contents=stream,
                                  Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(
                                      {f"/{n}": f for n, f in fonts.items()})),
                                  MediaBox=box if isinstance(box, pikepdf.Array) else [0, 0, *size])
    obj = page.obj
    if "/Parent" in obj:
        del obj["/Parent"]
    if not isinstance(obj.get("/MediaBox"), pikepdf.Array):
        obj.MediaBox = [0, 0, *size]
    obj.Contents = stream
    return obj


def _pages(numbers: list[int]) -> str:
    return f"page{'s' if len(numbers) > 1 else ''} {page_ranges(numbers)}"


def _reason(result: Salvage, total: int | None, how: str, what: str) -> str:
    kept = result.pages - len(result.lost)
    if how in ("tree", "linearized"):
        said = (f"{_pages(result.lost)} of {total} {'is' if len(result.lost) == 1 else 'are'} lost, "
                f"{kept} recovered" if result.lost else f"none of its {total} pages is lost")
    else:
        said = (f"its page tree is lost; {kept} page(s) rebuilt from the page contents that survive, in the "
                f"order the file stores them (pages stored after the cut are lost, how many is unknown)")
        if result.lost:
            said += f"; {_pages(result.lost)} of those {'is' if len(result.lost) == 1 else 'are'} lost"
    if result.damaged:
        said += f"; on {len(result.damaged)} page(s) text may be incomplete (fonts or images lost with the file)"
    return f"{what}: {said}"
