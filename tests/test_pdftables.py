"""pdftables re-implements two steps of pdfplumber for speed (the cells at rule intersections,
the text of a cell's characters): both must give what pdfplumber gives, on any input."""
from __future__ import annotations

import random

from pdfplumber.table import TableSettings, edges_to_intersections, intersections_to_cells
from pdfplumber.utils import extract_text

from extractors.pdftables import _edge, cell_text, intersections_to_cells as fast_cells


def _chars(rng: random.Random) -> list[dict]:
    chars = []
    for _ in range(rng.randint(1, 12)):
        x0 = rng.choice([0, 1, 2.5, 3, 4, 6, 6.5, 10, 13.1]) + rng.random() * rng.choice([0, 1])
        top = rng.choice([0, 1, 3, 3.2, 6, 7, 12]) + rng.random() * rng.choice([0, 1])
        width = rng.choice([0, 0.5, 2, 5])
        chars.append({"text": rng.choice("ab 1\ufb01中\t"), "x0": x0, "x1": x0 + width, "top": top,
                      "bottom": top + 5, "doctop": top, "width": width, "height": 5, "upright": True,
                      "size": 5, "fontname": ""})
    return chars


def test_cell_text_is_pdfplumbers_extract_text():
    rng = random.Random(7)
    settings = TableSettings.resolve({}).text_settings
    for _ in range(3000):
        chars = _chars(rng)
        assert cell_text(chars) == extract_text(chars, **settings)


def _rules(rng: random.Random) -> list[dict]:
    xs = sorted(rng.sample([0, 10, 20, 35, 50, 70, 90], rng.randint(2, 6)))
    ys = sorted(rng.sample([0, 8, 16, 24, 40, 48, 60], rng.randint(2, 6)))
    rules = []
    for y in ys:                        # horizontal rules, some cut short or missing
        a, b = xs[0], xs[-1]
        if rng.random() < 0.3:
            a = rng.choice(xs)
        if rng.random() < 0.9:
            rules.append(_edge(a, y, b, y, "h"))
    for x in xs:
        a, b = ys[0], ys[-1]
        if rng.random() < 0.3:
            b = rng.choice(ys)
        if rng.random() < 0.9:
            rules.append(_edge(x, a, x, b, "v"))
    return rules


def test_cells_are_pdfplumbers_intersections_to_cells():
    rng = random.Random(11)
    for _ in range(500):
        intersections = edges_to_intersections(_rules(rng), 3, 3)
        assert fast_cells(intersections) == intersections_to_cells(intersections)


def test_clusters_are_pdfplumbers_cluster_objects():
    """_clusters' shortcut (every key within the tolerance of the least: one cluster) gives what
    the full clustering gives, keys near the tolerance's edge included."""
    from operator import itemgetter

    from pdfplumber.utils import cluster_objects

    from extractors.pdftables import _clusters

    rng = random.Random(11)
    for _ in range(3000):
        base = rng.choice([0.0, 0.1, 100.3, 712.55])
        steps = [0, 1, 2.9, 3, 3.0000001, 0.1 + 0.2, 1.5 + rng.random()]
        items = [(i, base + rng.choice(steps) * rng.choice([1, 1, 2])) for i in range(rng.randint(0, 8))]
        expected = cluster_objects(items, itemgetter(1), 3)
        assert _clusters(items, itemgetter(1), 3) == expected
