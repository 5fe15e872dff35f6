"""Which surviving font is behind each font name of page contents whose resources are lost, and
content without the text of fonts that are lost (used by salvage.py on truncated files).

A page's content names its fonts (`/F2 16 Tf`) through the page's resources. When a file is cut
short the resources may be lost while the fonts themselves survive. Their widths tell them apart:
a text run placed on the same baseline right after another starts where the other ends, so the
widths of the right font predict that place to a fraction of a point, while a wrong font
overshoots it (the text would overlap) or misses it. A name gets a font only when the evidence
points to one font and that font to that name (mutual best, with a font's code range as the
tie-break); a name left without one has its text left out, never read through a guessed font.
Simple fonts only (a `/Widths` array); text in other fonts of a page without resources is lost.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pikepdf

from .rules import load

RULES = load("salvage")

_SHOW = {"Tj", "TJ", "'", '"'}


@dataclass
class Run:
    """One text-showing operator: where it starts, in which font, with which codes."""
    font: str | None        # resource name without the slash
    x: float
    y: float
    codes: bytes
    kern: float             # sum of TJ adjustments, thousandths of text space
    size: float
    scale: float            # text matrix x scale times horizontal scaling
    spacing: float          # Tc, per glyph
    placed: bool            # start set by a positioning operator (not where earlier text ended)


def _num(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def text_runs(instructions) -> list[Run]:
    """The text runs of parsed content, in order (positions in text space after Tm/Td, which
    is all that the same-baseline comparison needs)."""
    runs: list[Run] = []
    font, size, spacing, hscale, leading = None, 0.0, 0.0, 1.0, 0.0
    a, line, placed = 1.0, [0.0, 0.0], False
    stack: list[tuple] = []
    for operands, op in ((i.operands, str(i.operator)) for i in instructions
                         if isinstance(i, pikepdf.ContentStreamInstruction)):
        if op == "q":
            stack.append((font, size, spacing, hscale, leading))
        elif op == "Q" and stack:
            font, size, spacing, hscale, leading = stack.pop()
        elif op == "BT":
            a, line, placed = 1.0, [0.0, 0.0], True
        elif op == "Tf" and len(operands) == 2:
            font, size = str(operands[0]).lstrip("/"), _num(operands[1])
        elif op == "Tc" and operands:
            spacing = _num(operands[0])
        elif op == "Tz" and operands:
            hscale = _num(operands[0]) / 100
        elif op == "TL" and operands:
            leading = _num(operands[0])
        elif op in ("Td", "TD") and len(operands) == 2:
            line = [line[0] + _num(operands[0]) * a, line[1] + _num(operands[1])]
            leading = -_num(operands[1]) if op == "TD" else leading
            placed = True
        elif op == "Tm" and len(operands) == 6:
            a, line, placed = _num(operands[0]) or 1.0, [_num(operands[4]), _num(operands[5])], True
        elif op in ("T*", "'", '"'):
            line, placed = [line[0], line[1] - leading], True
        if op in _SHOW and operands:
            codes, kern = b"", 0.0
            for item in (operands[0] if op == "TJ" else [operands[-1]]):
                if isinstance(item, pikepdf.String):
                    codes += bytes(item)
                else:
                    kern += _num(item)
            runs.append(Run(font, line[0], line[1], codes, kern, size, a * hscale, spacing, placed))
            placed = False
    return runs


@dataclass
class Widths:
    first: int
    widths: list[float]

    def covers(self, codes: set[int]) -> bool:
        return all(self.first <= c < self.first + len(self.widths) for c in codes)

    def advance(self, run: Run) -> float:
        total = sum(self.widths[c - self.first] for c in run.codes) - run.kern
        return (total / 1000 * run.size + run.spacing * len(run.codes)) * run.scale


def widths_of(font) -> Widths | None:
    """The widths of a simple font (Type1, TrueType, Type3), or None."""
    try:
        widths = font.get("/Widths")
        if not isinstance(widths, pikepdf.Array) or str(font.get("/Subtype")) == "/Type0":
            return None
        return Widths(int(font.get("/FirstChar", 0)), [_num(w) for w in widths])
    except (pikepdf.PdfError, TypeError, ValueError):
        return None


@dataclass
class Evidence:
    pairs: int = 0
    hits: int = 0
    overlaps: int = 0
    exact: bool = False       # the name uses the font's whole code range, as a subset font is used


def evidence(streams: list[list[Run]], codes: dict[str, set[int]], fonts: dict) -> dict[tuple[str, object], Evidence]:
    """(name, font key) -> how well the font's widths place the name's runs; only compatible
    pairs (every code in the font's range, overlaps within `max_overlap_share`)."""
    out: dict[tuple[str, object], Evidence] = {}
    for key, width in fonts.items():
        for name, used in codes.items():
            if not used or not width.covers(used):
                continue
            ev = Evidence(exact=max(used) == width.first + len(width.widths) - 1)
            for runs in streams:
                for run, after in zip(runs, runs[1:]):
                    if run.font != name or not after.placed or abs(after.y - run.y) > 0.01 or after.x <= run.x:
                        continue
                    gap = after.x - (run.x + width.advance(run))
                    ev.pairs += 1
                    ev.hits += abs(gap) <= RULES["advance_tolerance_pt"]
                    ev.overlaps += gap < -RULES["overlap_tolerance_pt"]
            if ev.overlaps <= RULES["max_overlap_share"] * ev.pairs:
                out[(name, key)] = ev
    return out


def _unique_best(options: dict[object, Evidence]):
    ranked = sorted(options.items(), key=lambda kv: (kv[1].hits, kv[1].exact), reverse=True)
    if not ranked or not (ranked[0][1].hits or ranked[0][1].exact):
        return None
    if len(ranked) > 1 and (ranked[1][1].hits, ranked[1][1].exact) == (ranked[0][1].hits, ranked[0][1].exact):
        return None
    return ranked[0][0]


def match(streams: list[list[Run]], fonts: dict[object, object]) -> dict[str, object]:
    """Font name -> the key of the surviving font behind it, for the names the evidence settles."""
    codes: dict[str, set[int]] = {}
    for runs in streams:
        for run in runs:
            if run.font:
                codes.setdefault(run.font, set()).update(run.codes)
    simple = {key: w for key, font in fonts.items() if (w := widths_of(font)) is not None}
    table = evidence(streams, codes, simple)
    chosen: dict[str, object] = {}
    while True:
        open_pairs = {(n, f): ev for (n, f), ev in table.items() if n not in chosen and f not in chosen.values()}
        by_name = {n: _unique_best({f: ev for (m, f), ev in open_pairs.items() if m == n}) for n, _ in open_pairs}
        by_font = {f: _unique_best({n: ev for (n, g), ev in open_pairs.items() if g == f}) for _, f in open_pairs}
        new = {n: f for n, f in by_name.items() if f is not None and by_font.get(f) == n}
        if not new:
            return chosen
        chosen.update(new)


def strip_text(instructions, keep: set[str]) -> tuple[list, Counter]:
    """Content without the text shown in fonts not in `keep` (their positioning kept); and how
    many text runs each font name showed, kept or not."""
    out, shown, font, stack = [], Counter(), None, []
    for inst in instructions:
        if not isinstance(inst, pikepdf.ContentStreamInstruction):
            out.append(inst)
            continue
        op = str(inst.operator)
        if op == "q":
            stack.append(font)
        elif op == "Q" and stack:
            font = stack.pop()
        elif op == "Tf" and inst.operands:
            font = str(inst.operands[0]).lstrip("/")
        if op in _SHOW:
            shown[font] += 1
            if font not in keep:
                if op == '"' and len(inst.operands) == 3:
                    out += [pikepdf.ContentStreamInstruction([inst.operands[0]], pikepdf.Operator("Tw")),
                            pikepdf.ContentStreamInstruction([inst.operands[1]], pikepdf.Operator("Tc"))]
                if op in ("'", '"'):
                    out.append(pikepdf.ContentStreamInstruction([], pikepdf.Operator("T*")))
                continue
        out.append(inst)
    return out, shown
