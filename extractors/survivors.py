"""What survives of a truncated PDF, and where its pages are (used by salvage.py).

`survivors(data)` reads every complete `N G obj ... endobj` before the cut with qpdf's recovery,
behind a catalog, a placeholder page and a trailer of our own (qpdf finds no trailer in a cut file
and refuses one without a page); objects inside surviving object streams are written out plainly
first, since the index that would find them is lost. `from_tree` gives the pages of the surviving
page tree (its /Kids as written, so a lost page keeps its place), `from_objects` the surviving page
objects and the page contents that nothing refers to, in the order the file stores them.
"""
from __future__ import annotations

import io
import re
import zlib
from dataclasses import dataclass, field

import pikepdf

from .errors import TextLayerError
from .rules import load

MAX_STREAM = load("textlayer")["max_stream_mb"] << 20

OBJ = re.compile(rb"(?<![0-9])(\d+)\s+(\d+)\s+obj\b")
_REF = re.compile(rb"(\d+)\s+(\d+)\s+R\b")
_KIDS = re.compile(rb"/Kids\s*\[([^\]]*)\]")
_LINEARIZED = re.compile(rb"<<\s*(/Linearized\b.*?)>>", re.S)
_NOT_CONTENT = ("/Type", "/Subtype", "/Length1", "/Length2", "/Length3", "/BBox", "/N", "/First", "/Width")


def cut_sentence(data: bytes) -> str:
    """How the file is cut, as the start of a reason: a linearized file states its full length."""
    length, _ = linearized(data)
    if length and length > len(data):
        return (f"the file is truncated at {len(data) / length:.0%} of its length "
                f"({len(data):,} of {length:,} bytes)")
    return f"the file is truncated (it ends without %%EOF after {len(data):,} bytes)"


def linearized(data: bytes) -> tuple[int | None, int | None]:
    """(full length, pages) from a linearization dictionary at the start of the file."""
    found = _LINEARIZED.search(data[:2048])
    if not found:
        return None, None
    values = {k.decode(): int(v) for k, v in re.findall(rb"/([LN])\s+(\d+)", found.group(1))}
    return values.get("L"), values.get("N")


@dataclass
class Survivors:
    pdf: pikepdf.Pdf
    base: bytes                                  # the file up to its last complete object
    ours: set                                    # our catalog, page tree and placeholder page
    offsets: dict = field(default_factory=dict)  # objgen -> where it is written (its last definition)

    def raw(self, objgen: tuple[int, int]) -> bytes:
        """An object's text as written (between `obj` and `endobj`)."""
        at = self.offsets.get(objgen)
        if at is None:
            return b""
        end = self.base.find(b"endobj", at)
        return self.base[at:end if end > 0 else len(self.base)]

    def lost_refs(self, obj, keys: tuple[str, ...]) -> bool:
        """Whether the object, as written, refers under one of `keys` to an object that is lost
        (qpdf reads such a reference as null, so the key seems absent)."""
        if not getattr(obj, "is_indirect", False):
            return False
        text = self.raw(obj.objgen)
        for key in keys:
            found = re.search(re.escape(key.encode()) + rb"\s*(\d+)\s+(\d+)\s+R", text)
            if found and get_object(self.pdf, (int(found.group(1)), int(found.group(2))), any_kind=True) is None:
                return True
        return False


def survivors(data: bytes, what: str, password: str | None) -> Survivors:
    """Every complete object before the cut (those inside surviving object streams written out
    plainly, since their index is lost), behind a catalog, a placeholder page and a trailer."""
    ends = [m.end() for m in re.finditer(rb"endobj", data)]
    numbers = [int(m.group(1)) for m in OBJ.finditer(data[:ends[-1]])] if ends else []
    if not numbers:
        raise TextLayerError(f"{what}; no complete object survives", code="truncated")
    base = data[:ends[-1]]
    pdf, ours = _open(base, _free_number(base), what, password)
    if b"/ObjStm" in base:
        unpacked = _unpack_object_streams(pdf)
        if unpacked:
            pdf.close()
            base += unpacked
            pdf, ours = _open(base, _free_number(base), what, password)
    del pdf.pages[0]                       # our placeholder: qpdf will not open a file without a page
    return Survivors(pdf, base, ours, _offsets(base))


def _free_number(base: bytes) -> int:
    """An object number above every one defined or referred to (a lost object's number is taken)."""
    return max(int(m.group(1)) for m in re.finditer(rb"(?<![0-9])(\d+)\s+\d+\s+(?:obj\b|R\b)", base)) + 1


def _open(base: bytes, k: int, what: str, password: str | None) -> tuple[pikepdf.Pdf, set]:
    tail = (f"\n{k} 0 obj\n<</Type/Catalog/Pages {k + 1} 0 R>>\nendobj\n{k + 1} 0 obj\n"
            f"<</Type/Pages/Kids[{k + 2} 0 R]/Count 1>>\nendobj\n{k + 2} 0 obj\n"
            f"<</Type/Page/Parent {k + 1} 0 R/MediaBox[0 0 10 10]>>\nendobj\n"
            f"trailer\n<</Size {k + 3}/Root {k} 0 R>>\nstartxref\n0\n%%EOF\n").encode()
    try:
        pdf = pikepdf.open(io.BytesIO(base + tail), password=password or "")
    except pikepdf.PdfError as exc:
        raise TextLayerError(f"{what}; what survives could not be read: {short(exc)}", code="truncated") from exc
    return pdf, {(k, 0), (k + 1, 0), (k + 2, 0)}


def _unpack_object_streams(pdf: pikepdf.Pdf) -> bytes:
    """The objects of every surviving object stream, as plain `N 0 obj ... endobj` text."""
    out = []
    for obj in pdf.objects:
        if not (isinstance(obj, pikepdf.Stream) and obj.stream_dict.get("/Type") == "/ObjStm"):
            continue
        try:
            raw, first = obj.read_bytes(), int(obj.stream_dict.get("/First", 0))
            head = [int(x) for x in raw[:first].split()]
        except (pikepdf.PdfError, TypeError, ValueError):
            continue
        pairs = list(zip(head[0::2], head[1::2]))
        for i, (number, offset) in enumerate(pairs):
            end = first + pairs[i + 1][1] if i + 1 < len(pairs) else len(raw)
            out.append(b"\n%d 0 obj\n%s\nendobj\n" % (number, raw[first + offset:end].strip()))
    return b"".join(out)


def _offsets(base: bytes) -> dict[tuple[int, int], int]:
    """Where each object is written (its last definition)."""
    return {(int(m.group(1)), int(m.group(2))): m.start() for m in OBJ.finditer(base)}


def short(exc: Exception) -> str:
    msg = str(exc)
    return msg.split(": ", 1)[1] if ": " in msg else msg


def get_object(pdf: pikepdf.Pdf, objgen: tuple[int, int], any_kind: bool = False):
    """The object, None when it is lost (or, unless `any_kind`, not a dictionary)."""
    try:
        obj = pdf.get_object(objgen)
    except (pikepdf.PdfError, ValueError):
        return None
    if any_kind:
        return obj
    return obj if isinstance(obj, pikepdf.Dictionary) and not isinstance(obj, pikepdf.Stream) else None


def type_of(obj) -> str:
    return str(obj.get("/Type", "")) if isinstance(obj, pikepdf.Dictionary) else ""


def from_tree(sv: Survivors) -> tuple[list, int | None]:
    """The leaves of the largest surviving page tree, a lost page as None in its place."""
    best: tuple[list, int | None] = ([], None)
    for obj in sv.pdf.objects:
        if type_of(obj) == "/Catalog" and obj.objgen not in sv.ours:
            root = obj.get("/Pages")
            if isinstance(root, pikepdf.Dictionary) and root.is_indirect:
                leaves = _leaves(sv, root, set(), 0)
                if sum(x is not None for x in leaves) > sum(x is not None for x in best[0]):
                    best = (leaves, len(leaves))
    return best


def _leaves(sv: Survivors, node: pikepdf.Dictionary, seen: set, depth: int) -> list:
    """Kids as the file wrote them (qpdf drops references to lost objects; their places matter)."""
    if node.objgen in seen or depth > 32:
        return []
    seen.add(node.objgen)
    kids = _KIDS.search(sv.raw(node.objgen))
    refs = [(int(a), int(b)) for a, b in _REF.findall(kids.group(1))] if kids else []
    out, missing, counted = [], [], 0
    for ref in refs:
        kid = get_object(sv.pdf, ref)
        if type_of(kid) == "/Pages":
            sub = _leaves(sv, kid, seen, depth + 1)
            out += sub
            counted += len(sub)
        elif kid is not None and type_of(kid) in ("/Page", ""):
            out.append(kid)
            counted += 1
        else:
            missing.append(len(out))
            out.append(None)
            counted += 1
    try:
        declared = int(node.get("/Count", 0))
    except (TypeError, ValueError):
        declared = 0
    if missing and declared > counted:      # a lost kid may have been a subtree: its pages are lost too
        at = missing[-1]
        out[at:at + 1] = [None] * (declared - counted + 1)
    return out


def _referenced(pdf: pikepdf.Pdf) -> set:
    """Objects that some surviving object refers to."""
    refs: set = set()

    def walk(value, depth: int = 0) -> None:
        if depth > 50:
            return
        if isinstance(value, (pikepdf.Dictionary, pikepdf.Array, pikepdf.Stream)) and value.is_indirect and depth:
            refs.add(value.objgen)
            return
        if isinstance(value, pikepdf.Stream):
            value = value.stream_dict
        if isinstance(value, pikepdf.Dictionary):
            for _, v in value.items():
                walk(v, depth + 1)
        elif isinstance(value, pikepdf.Array):
            for v in value:
                walk(v, depth + 1)

    for obj in pdf.objects:
        walk(obj)
    return refs


def from_objects(sv: Survivors) -> list:
    """The surviving page objects and the page contents that nothing refers to, in the order
    their contents are written (LibreOffice: in page order; a linearized file: too)."""
    referenced, offsets = _referenced(sv.pdf), sv.offsets
    slots = []
    for obj in sv.pdf.objects:
        if not isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)) or obj.objgen in sv.ours:
            continue
        if type_of(obj) == "/Page" and not isinstance(obj, pikepdf.Stream):
            content = obj.get("/Contents")
            first = content[0] if isinstance(content, pikepdf.Array) and len(content) else content
            key = first.objgen if isinstance(first, pikepdf.Stream) and first.is_indirect else obj.objgen
            slots.append((offsets.get(key, offsets.get(obj.objgen, 0)), obj))
        elif isinstance(obj, pikepdf.Stream) and obj.objgen not in referenced and _is_content(obj):
            slots.append((offsets.get(obj.objgen, 0), obj))
    return [s for _, s in sorted(slots, key=lambda kv: kv[0])]


def _is_content(stream: pikepdf.Stream) -> bool:
    if any(k in stream.stream_dict for k in _NOT_CONTENT) or too_large(stream, MAX_STREAM):
        return False
    try:
        ops = {str(i.operator) for i in pikepdf.parse_content_stream(stream)
               if isinstance(i, pikepdf.ContentStreamInstruction)}
    except (pikepdf.PdfError, ValueError):
        return False
    return bool(ops & {"Tj", "TJ", "Do", "f", "S", "re", "BT"})


def too_large(stream: pikepdf.Stream, limit: int) -> bool:
    """Whether a stream decodes to more than `limit` bytes, found without holding its decoded
    bytes (a page of a few KB can decode to gigabytes: a decompression bomb). Streams whose
    filters are not all FlateDecode are not measured."""
    return inflate(stream, limit)[0]


def inflate(stream: pikepdf.Stream, limit: int) -> tuple[bool, bytes | None]:
    """(whether the stream decodes to more than `limit` bytes, as `too_large`; its decoded bytes
    when that measure decoded it whole: one FlateDecode without /DecodeParms, whose zlib stream
    reached its end, so that qpdf decodes it to the same bytes; else None)."""
    filters = stream.stream_dict.get("/Filter")
    filters = list(filters) if isinstance(filters, pikepdf.Array) else [filters] if filters is not None else []
    if not filters or any(f != pikepdf.Name.FlateDecode for f in filters):
        return False, None
    try:
        data = stream.read_raw_bytes()
    except pikepdf.PdfError:
        return False, None
    whole = len(filters) == 1 and "/DecodeParms" not in stream.stream_dict
    for level in range(len(filters)):
        inflater, kept, total = zlib.decompressobj(), [], 0
        try:
            while data:
                chunk = inflater.decompress(data, 1 << 20)
                total += len(chunk)
                if total > limit:
                    return True, None
                if whole or level + 1 < len(filters):
                    kept.append(chunk)
                data = inflater.unconsumed_tail
        except zlib.error:
            return False, None                 # does not decode: reported as a broken stream
        data = b"".join(kept)
    return False, data if whole and inflater.eof else None
