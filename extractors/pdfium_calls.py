"""The PDFium functions the text layer calls once per character or page object, as function
pointers of their own without ctypes' argument checks: pypdfium2's bindings declare argtypes, and
converting every argument through them costs as much as the call (page_chars makes three calls a
character). Callers pass exactly what the C function takes: the handle (`textpage.raw`,
`page.raw`, a page object pointer), Python ints for indices and `ctypes.byref` of a c_double /
c_float / FS_RECTF for out parameters, which the checked bindings accept too (the fallback when
the library handle cannot be had)."""
from __future__ import annotations

import pypdfium2.raw as pdfium_raw


def _unchecked(name: str):
    """A new function pointer to `name` with the binding's result type and no argtypes."""
    checked = getattr(pdfium_raw, name)
    try:
        from pypdfium2_raw import bindings
        function = bindings._libs["pdfium"][name]
    except (ImportError, AttributeError, KeyError):
        return checked
    function.restype = checked.restype
    return function


LOOSE_CHAR_BOX = _unchecked("FPDFText_GetLooseCharBox")      # (textpage, index, byref(FS_RECTF)) -> bool
CHAR_BOX = _unchecked("FPDFText_GetCharBox")                 # (textpage, index, byref l, r, b, t doubles)
CHAR_ORIGIN = _unchecked("FPDFText_GetCharOrigin")           # (textpage, index, byref x, y doubles)
FONT_SIZE = _unchecked("FPDFText_GetFontSize")               # (textpage, index) -> double
COUNT_OBJECTS = _unchecked("FPDFPage_CountObjects")          # (page) -> int
GET_OBJECT = _unchecked("FPDFPage_GetObject")                # (page, index) -> page object
FORM_COUNT_OBJECTS = _unchecked("FPDFFormObj_CountObjects")  # (form object) -> int
FORM_GET_OBJECT = pdfium_raw.FPDFFormObj_GetObject           # checked: its index is an unsigned long
OBJECT_TYPE = _unchecked("FPDFPageObj_GetType")              # (page object) -> int
OBJECT_BOUNDS = _unchecked("FPDFPageObj_GetBounds")          # (page object, byref l, b, r, t floats)
