#!/usr/bin/env python3
"""Build our hand-written test documents (tests/reports/src/*.txt, tests/forms/src/*.txt) into PDFs.

Each source text becomes a Word document (python-docx: A4, CJK fonts, real ruled tables
with merged cells, a centred "- N -" page-number footer) which LibreOffice then exports
to PDF, the way offices produce these reports and forms.

    python tests/make_pdfs.py tests/reports|tests/forms [NAME ...] [--out DIR] [--keep-docx DIR]

The folder holds src/*.txt and receives pdf/*.pdf. NAME is a source stem such as r1_prose_yuan
or f1_mof_yuan_clean (default: every src/*.txt). Needs python-docx (and pypdfium2, Pillow
and numpy for %scan; e.g. a venv outside the repo: python3 -m venv /tmp/docvenv &&
/tmp/docvenv/bin/pip install python-docx pypdfium2 pillow numpy), LibreOffice (`soffice`)
and the Noto CJK fonts (Debian: fonts-noto-cjk).

Source markup, one item per line:
    # text          title line (centred, bold, large)
    #c text         centred line
    #l text         left-aligned line without indent (填报单位：…　金额单位：元)
    #b text         bold left-aligned line without indent (a table caption such as
                    预算执行情况（10分）)
    #v N            N empty lines of vertical space
    ## text         first-level heading (一、…)
    ### text        second-level heading (（一）…)
    > text          right-aligned line (signature, date)
    ---             page break
    %widths a,b,…   relative column widths of the next table
    %head N         the next table's first N rows are set in bold (default 0)
    %table PT       font size of table text from here on (default 10.5, 五号)
    %split          rows of the next table may split across pages (default: a row is kept
                    whole, so a table breaks between rows)
    %repeat N       the next table's first N rows are a header row repeated at the top of
                    every page the table continues on (Word's "repeat as header row")
    %spaced PT      from here on, body paragraphs are set with PT points of expanded
                    character spacing, so that the PDF's text layer reads letter by letter
                    (1 1 . 9 8 万 元); `%spaced 0` ends it
    %scan DPI SEED  (anywhere; once) the finished PDF is turned into a scan: every page is
                    rendered at DPI, turned by a small angle, given grain and specks (seeded
                    by SEED, so a rebuild gives the same file) and written back as an
                    image-only PDF without a text layer (needs pypdfium2, Pillow, numpy)
    %body PT LINE   body font size and exact line spacing in points (first line of a file;
                    default 14 26, i.e. 四号 on a 26 pt grid)
    | a | b | … |   table row; a cell "^" merges with the cell above, "<" with the cell to
                    its left; a literal \\n inside a cell is a line break within the cell
                    (年度资金\\n总额); a blank line or any non-table line ends the table
    anything else   body paragraph (first-line indent of two characters)

Tables are not given a repeated header row unless %repeat, and a row is kept whole unless
%split: a long table simply continues on the next page, as in Word. LibreOffice ignores page
breaks set inside table cells, so where a table breaks is steered by the content above it (#v lines,
text length, %table size); re-check it after editing a source.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

TESTS = Path(__file__).resolve().parent
SERIF = "Noto Serif CJK SC"   # stands in for 仿宋/宋体
SANS = "Noto Sans CJK SC"     # stands in for 黑体
BODY_PT = 14                  # 四号
TABLE_PT = 10.5               # 五号
TEXT_WIDTH_CM = 21.0 - 2.8 - 2.6


def set_fonts(target, name: str, size: float | None = None, bold: bool | None = None) -> None:
    """Set the Latin and East Asian font of a run or a style."""
    font = target.font
    font.name = name
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    font.color.rgb = RGBColor(0, 0, 0)
    rpr = target.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), name)


def add_page_field(paragraph) -> None:
    """Append a PAGE field to the paragraph."""
    def fld(kind: str):
        run = paragraph.add_run()
        set_fonts(run, SERIF, 14)
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        run._r.append(el)
        return run

    fld("begin")
    run = paragraph.add_run()
    set_fonts(run, SERIF, 14)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    run._r.append(instr)
    fld("separate")
    num = paragraph.add_run("1")
    set_fonts(num, SERIF, 14)
    fld("end")


def new_document(title: str, body_pt: float = BODY_PT, line_pt: float = 26) -> Document:
    doc = Document()
    doc.core_properties.title = title
    doc.core_properties.author = ""
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.top_margin, sec.bottom_margin = Cm(3.0), Cm(2.8)
    sec.left_margin, sec.right_margin = Cm(2.8), Cm(2.6)
    sec.footer_distance = Cm(1.6)

    normal = doc.styles["Normal"]
    set_fonts(normal, SERIF, body_pt)
    pf = normal.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(line_pt)
    pf.space_before = pf.space_after = Pt(0)
    for name, font, size, bold in (("Heading 1", SANS, body_pt + 1, False),
                                   ("Heading 2", SERIF, body_pt, True),
                                   ("Title", SERIF, body_pt + 6, True)):
        st = doc.styles[name]
        set_fonts(st, font, size, bold)
        st.font.italic = False
        st.paragraph_format.space_before = Pt(6 if name != "Title" else 0)
        st.paragraph_format.space_after = Pt(0)
        st.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        st.paragraph_format.line_spacing = Pt(line_pt + (8 if name == "Title" else 2))
        st.paragraph_format.keep_with_next = True
        # drop the default template's bottom border on Title
        ppr = st.element.get_or_add_pPr()
        for border in ppr.findall(qn("w:pBdr")):
            ppr.remove(border)

    footer = sec.footer
    fp = footer.paragraphs[0]
    fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    lead = fp.add_run("- ")
    set_fonts(lead, SERIF, 14)
    add_page_field(fp)
    tail = fp.add_run(" -")
    set_fonts(tail, SERIF, 14)
    return doc


def set_char_spacing(run, pt: float) -> None:
    """Expand the run's character spacing by pt points (Word: Font > Advanced > Spacing)."""
    rpr = run._r.get_or_add_rPr()
    el = OxmlElement("w:spacing")
    el.set(qn("w:val"), str(int(round(pt * 20))))
    rpr.append(el)


def add_text(doc, text: str, *, style: str | None = None, align=None, indent: bool = False,
             spacing: float = 0):
    p = doc.add_paragraph(style=style)
    if align is not None:
        p.alignment = align
    body_pt = doc.styles["Normal"].font.size.pt
    if indent:
        p.paragraph_format.first_line_indent = Pt(body_pt * 2)
    run = p.add_run(text)
    st = doc.styles[style] if style else doc.styles["Normal"]
    set_fonts(run, st.font.name or SERIF, st.font.size.pt if st.font.size else body_pt,
              st.font.bold)
    if spacing:
        set_char_spacing(run, spacing)
    return p


def set_cell_margins(table, cm: float = 0.1) -> None:
    tblpr = table._tbl.tblPr
    mar = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(int(cm * 567)))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    tblpr.append(mar)


def add_cell_text(p, text: str, size: float, bold: bool) -> None:
    """Add text to a cell paragraph; a literal \\n becomes a line break (Shift+Enter)."""
    parts = text.replace("\\n", "\n").split("\n")
    for i, part in enumerate(parts):
        run = p.add_run(part)
        set_fonts(run, SERIF, size, bold=bold)
        if i < len(parts) - 1:
            run.add_break()


def keep_row_whole(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:cantSplit")
    trpr.append(el)


def repeat_as_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    trpr.append(el)


def add_table(doc, rows: list[list[str]], widths: list[float] | None, head: int = 0,
              size: float = TABLE_PT, split: bool = False, repeat: int = 0) -> None:
    ncols = max(len(r) for r in rows)
    rows = [r + [""] * (ncols - len(r)) for r in rows]
    nrows = len(rows)

    # origin[(r, c)] = the top-left cell of the merged region that (r, c) belongs to
    origin: dict[tuple[int, int], tuple[int, int]] = {}
    for r in range(nrows):
        for c in range(ncols):
            t = rows[r][c].strip()
            if t == "^" and r > 0:
                origin[(r, c)] = origin[(r - 1, c)]
            elif t == "<" and c > 0:
                origin[(r, c)] = origin[(r, c - 1)]
            else:
                origin[(r, c)] = (r, c)
    extent: dict[tuple[int, int], tuple[int, int]] = {}
    for (r, c), o in origin.items():
        er, ec = extent.get(o, o)
        extent[o] = (max(er, r), max(ec, c))

    table = doc.add_table(rows=nrows, cols=ncols)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    set_cell_margins(table)
    if widths is None:
        widths = []
        for c in range(ncols):
            longest = max((max(len(x) for x in rows[r][c].split("\\n")) for r in range(nrows)
                           if origin[(r, c)] == (r, c) and extent[(r, c)][1] == c), default=2)
            widths.append(min(max(longest, 2), 12))
    total = sum(widths)
    col_cm = [TEXT_WIDTH_CM * w / total for w in widths]
    for c, w in enumerate(col_cm):
        table.columns[c].width = Cm(w)
        for r in range(nrows):
            table.cell(r, c).width = Cm(w)

    for o, (er, ec) in extent.items():
        if (er, ec) != o:
            table.cell(*o).merge(table.cell(er, ec))
    for (r, c), o in origin.items():
        if o != (r, c):
            continue
        cell = table.cell(r, c)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        text = rows[r][c].strip()
        p = cell.paragraphs[0]
        p.paragraph_format.first_line_indent = Pt(0)
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(1)
        long_text = len(text) > 40
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY if long_text else WD_ALIGN_PARAGRAPH.CENTER
        add_cell_text(p, text, size, r < head)
    if not split:
        for row in table.rows:
            keep_row_whole(row)
    for row in table.rows[:repeat]:
        repeat_as_header(row)


def scan_settings(src: Path) -> tuple[int, int] | None:
    """(DPI, SEED) of a `%scan DPI SEED` line in the source, or None."""
    for line in src.read_text(encoding="utf-8").splitlines():
        if line.startswith("%scan"):
            dpi, seed = line.split()[1:3]
            return int(dpi), int(seed)
    return None


def build_docx(src: Path, dst: Path) -> None:
    lines = src.read_text(encoding="utf-8").splitlines()
    titles = [ln[2:].strip() for ln in lines if ln.startswith("# ")]
    body = [14.0, 26.0]
    if lines and lines[0].startswith("%body"):
        body = [float(x) for x in lines.pop(0).split()[1:3]]
    doc = new_document("".join(titles), *body)
    indent2 = Pt(body[0] * 2)
    table_rows: list[list[str]] = []
    widths: list[float] | None = None
    head = 0
    table_pt = TABLE_PT
    split = False
    repeat = 0
    spacing = 0.0

    def flush():
        """Emit the pending table; the directives set before it (%widths, %head, %split,
        %repeat, in any order) apply to it and end with it."""
        nonlocal table_rows, widths, head, split, repeat
        if table_rows:
            add_table(doc, table_rows, widths, head, table_pt, split, repeat)
            doc.add_paragraph().paragraph_format.line_spacing = Pt(12)
            table_rows, widths, head, split, repeat = [], None, 0, False, 0

    for raw in lines:
        line = raw.rstrip()
        if line.startswith("|"):
            cells = line.strip().strip("|").split("|")
            table_rows.append([c.strip() for c in cells])
            continue
        flush()
        if not line.strip():
            continue
        if line.startswith("%widths"):
            widths = [float(x) for x in line.split(None, 1)[1].split(",")]
        elif line.startswith("%head"):
            head = int(line.split()[1])
        elif line.startswith("%table"):
            table_pt = float(line.split()[1])
        elif line.strip() == "%split":
            split = True
        elif line.startswith("%repeat"):
            repeat = int(line.split()[1])
        elif line.startswith("%spaced"):
            spacing = float(line.split()[1])
        elif line.startswith("%scan"):
            continue
        elif line.startswith("#l "):
            add_text(doc, line[3:].strip())
        elif line.startswith("#b "):
            p = add_text(doc, line[3:].strip())
            for run in p.runs:
                run.font.bold = True
        elif line.startswith("#v"):
            for _ in range(int(line[2:].strip() or 1)):
                doc.add_paragraph()
        elif line.startswith("#c "):
            add_text(doc, line[3:].strip(), align=WD_ALIGN_PARAGRAPH.CENTER)
        elif line.startswith("### "):
            p = add_text(doc, line[4:].strip(), style="Heading 2")
            p.paragraph_format.first_line_indent = indent2
        elif line.startswith("## "):
            p = add_text(doc, line[3:].strip(), style="Heading 1")
            p.paragraph_format.first_line_indent = indent2
        elif line.startswith("# "):
            add_text(doc, line[2:].strip(), style="Title", align=WD_ALIGN_PARAGRAPH.CENTER)
        elif line.startswith("> "):
            p = add_text(doc, line[2:].strip(), align=WD_ALIGN_PARAGRAPH.RIGHT)
            p.paragraph_format.right_indent = indent2
        elif line.strip() == "---":
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        else:
            add_text(doc, line.strip(), indent=True, spacing=spacing)
    flush()
    doc.save(dst)


def to_pdf(docx: Path, outdir: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        sys.exit("LibreOffice (soffice) not found")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(outdir), str(docx)],
                       check=True, stdout=subprocess.DEVNULL)
    return outdir / (docx.stem + ".pdf")


def scan_pdf(pdf: Path, dpi: int, seed: int) -> None:
    """Replace pdf by an image-only 'scan' of it: grey pages, a slight skew, grain, specks."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    rng = np.random.default_rng(seed)
    doc = pdfium.PdfDocument(str(pdf))
    pages = []
    for page in doc:
        img = page.render(scale=dpi / 72).to_pil().convert("L")
        angle = float(rng.uniform(-0.9, 0.9))
        img = img.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
        img = img.filter(ImageFilter.GaussianBlur(0.6))
        a = np.asarray(img, dtype=np.float32)
        a = a * 0.92 + 8 + rng.normal(0, 9, a.shape)            # greyish paper, grain
        specks = rng.random(a.shape) < 0.0004                    # toner dust
        a[specks] = rng.uniform(40, 140, int(specks.sum()))
        pages.append(Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)))
        page.close()
    doc.close()
    pages[0].save(pdf, "PDF", resolution=dpi, save_all=True, append_images=pages[1:],
                  quality=80)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path, help="tests/reports or tests/forms (holds src/ and pdf/)")
    ap.add_argument("names", nargs="*", help="source stems (default: all of src/*.txt)")
    ap.add_argument("--out", type=Path, help="PDF folder (default: FOLDER/pdf)")
    ap.add_argument("--keep-docx", type=Path, help="also keep the .docx files in this folder")
    args = ap.parse_args()
    here = args.folder.resolve()
    args.out = args.out or here / "pdf"
    sources = ([here / "src" / f"{n}.txt" for n in args.names] if args.names
               else sorted((here / "src").glob("*.txt")))
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for src in sources:
            docx = (args.keep_docx or Path(tmp)) / (src.stem + ".docx")
            docx.parent.mkdir(parents=True, exist_ok=True)
            build_docx(src, docx)
            pdf = to_pdf(docx, args.out)
            scan = scan_settings(src)
            if scan:
                scan_pdf(pdf, *scan)
            print(pdf)


if __name__ == "__main__":
    main()
