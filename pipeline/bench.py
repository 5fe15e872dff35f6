"""`jixiao bench`: how fast ingest runs against the cost of reading the PDFs at all.

Builds a corpus of N reports in a temporary folder (copies of the samples, our own reports and
forms with a text layer, each copy made unique by a trailing PDF comment so that its SHA-256 differs), then
measures on the same files: (a) the floor, pypdfium2 text of every page; (b) the naive
baseline, pdfplumber extract_text and extract_tables on every page (on a subset: it is slow);
(c) `jixiao ingest` end to end with one worker and with all cores (and, with --scheduler, on a
Dask cluster: `local` starts a LocalCluster of as many worker processes); (d) a re-run over the
unchanged corpus (the best of three: it is short, and other work on the machine
shows in it). Memory is the peak resident size of the whole ingest process tree. The timed
ingests skip the data-quality suites (a fixed step after the ingest, timed on its own).
OCR seconds per page are measured on the scanned sample's first pages.
"""
from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from .errors import BenchError

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "data" / "raw", ROOT / "tests" / "reports" / "pdf", ROOT / "tests" / "fixtures" / "forms"]
SCANNED = ROOT / "tests" / "fixtures" / "variants" / "scanned_003.pdf"
BASELINE_FILES = 12      # pdfplumber is slow: its pages per second come from this many files
RERUNS = 3               # a re-run takes a fraction of a second: the best of this many, as timeit does


def has_text_layer(path: Path) -> bool:
    """Every page has characters in its text layer (a scan has none: OCR is timed on its own)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(path)
    try:
        return all(doc[i].get_textpage().count_chars() > 0 for i in range(len(doc)))
    finally:
        doc.close()


def corpus_sources() -> tuple[list[Path], list[Path]]:
    """(the shipped PDFs with a text layer, the scanned ones left out of the timed corpus)."""
    shipped = sorted(p for d in SOURCES for p in d.glob("*.pdf"))
    text = [p for p in shipped if has_text_layer(p)]
    return text, [p for p in shipped if p not in text]


def build_corpus(folder: Path, n: int, sources: list[Path] | None = None) -> list[Path]:
    """n unique PDFs made from the shipped ones with a text layer (a comment after %%EOF keeps
    them valid). Scans are left out: the floor reads text layers, and OCR (about a second and a
    half a page) would swamp every ratio; it is timed apart as `ocr_s_per_page`. `sources`: the
    shipped PDFs with a text layer when the caller has them already."""
    sources = corpus_sources()[0] if sources is None else sources
    if not sources:
        raise BenchError("no sample PDFs to build a corpus from")
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        src = sources[i % len(sources)]
        dst = folder / f"{i:05d}_{src.name}"
        dst.write_bytes(src.read_bytes() + f"\n%jixiao-bench copy {i}\n".encode())
        out.append(dst)
    return out


def floor(files: list[Path]) -> tuple[int, float]:
    import pypdfium2 as pdfium

    pages, started = 0, time.perf_counter()
    for f in files:
        doc = pdfium.PdfDocument(f)
        for i in range(len(doc)):
            doc[i].get_textpage().get_text_range()
            pages += 1
        doc.close()
    return pages, time.perf_counter() - started


def baseline(files: list[Path]) -> tuple[int, float]:
    import pdfplumber

    pages, started = 0, time.perf_counter()
    for f in files:
        with pdfplumber.open(f) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.extract_tables()
                pages += 1
    return pages, time.perf_counter() - started


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
            for task in Path(f"/proc/{p}/task").iterdir():
                stack.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, StopIteration, ValueError):
            continue
    return total


def run_ingest(folder: Path, db: Path, workers: int, scheduler: str | None = None) -> tuple[float, int, str]:
    """(seconds, peak tree RSS in KiB, summary line) of one `jixiao ingest` in a subprocess."""
    cmd = [sys.executable, "-m", "pipeline", "ingest", str(folder), "--db", str(db), "--workers", str(workers),
           "--no-progress", "--quality", "never", *(["--scheduler", scheduler] if scheduler else [])]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    peak = [0]

    def sample():
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_rss_kb(proc.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - started
    sampler.join()
    if proc.returncode != 0:
        raise BenchError(f"the timed ingest failed (exit {proc.returncode}): {err.strip()[-500:]}")
    return seconds, peak[0], out.strip().splitlines()[0]


def quality_seconds(db: Path) -> float:
    """The data-quality suites over the whole database, timed apart (a step after the ingest)."""
    import duckdb

    from .quality import check_tables

    started = time.perf_counter()
    con = duckdb.connect(str(db), read_only=True)
    try:
        check_tables(con, "bench")
    finally:
        con.close()
    return time.perf_counter() - started


def ocr_seconds_per_page(pages: int = 2) -> float | None:
    """OCR seconds per page, through the chain's entry point, on the scanned sample's first pages."""
    if not SCANNED.exists():
        return None
    import pypdfium2 as pdfium

    from extractors import read_document

    src, part = pdfium.PdfDocument(SCANNED), pdfium.PdfDocument.new()
    try:
        part.import_pages(src, list(range(min(pages, len(src)))))
        buffer = io.BytesIO()
        part.save(buffer)
    finally:
        part.close()
        src.close()
    doc = read_document("bench-ocr", buffer.getvalue(), ocr=True)
    return doc.ocr.seconds / doc.ocr.pages if doc.ocr.pages else None


def bench(n: int, workers: int | None = None, progress=print, scheduler: str | None = None) -> dict:
    workers = workers or os.cpu_count() or 1
    tmp = Path(tempfile.mkdtemp(prefix="jixiao-bench-"))
    try:
        text, scans = corpus_sources()
        files = build_corpus(tmp / "corpus", n, text)
        progress(f"corpus: {len(files)} files in {tmp / 'corpus'}"
                 f" (scans left out, OCR timed apart: {', '.join(p.name for p in scans) or 'none'})")
        pages, floor_s = floor(files)
        progress(f"floor: {pages} pages in {floor_s:.2f} s")
        base_pages, base_s = baseline(files[:BASELINE_FILES])
        progress(f"baseline: {base_pages} pages in {base_s:.2f} s")
        one_s, one_rss, one_line = run_ingest(tmp / "corpus", tmp / "one.duckdb", 1)
        progress(f"one worker: {one_s:.2f} s ({one_line})")
        all_s, all_rss, all_line = run_ingest(tmp / "corpus", tmp / "all.duckdb", workers)
        progress(f"{workers} workers: {all_s:.2f} s ({all_line})")
        reruns = [run_ingest(tmp / "corpus", tmp / "all.duckdb", workers) for _ in range(RERUNS)]
        rerun_s, rerun_rss, rerun_line = min(reruns)
        progress(f"re-run: {rerun_s:.2f} s, the best of {RERUNS} ({rerun_line})")
        dask = run_ingest(tmp / "corpus", tmp / "dask.duckdb", workers, scheduler) if scheduler else None
        if dask:
            progress(f"Dask ({scheduler}): {dask[0]:.2f} s ({dask[2]})")
        quality_s = quality_seconds(tmp / "all.duckdb")
        progress(f"data quality: {quality_s:.2f} s")
        ocr = ocr_seconds_per_page()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    pps = {"floor": pages / floor_s, "baseline": base_pages / base_s, "one_worker": pages / one_s,
           "all_workers": pages / all_s}
    result = {
        "files": len(files), "pages": pages, "workers": workers,
        "seconds": {"floor": floor_s, "baseline_subset": base_s, "one_worker": one_s, "all_workers": all_s,
                    "rerun": rerun_s},
        "pages_per_s": pps,
        "ratios": {"one_worker_vs_floor": pps["one_worker"] / pps["floor"],
                   "one_worker_vs_baseline": pps["one_worker"] / pps["baseline"],
                   "parallel_speedup": pps["all_workers"] / pps["one_worker"]},
        "peak_rss_mb": max(one_rss, all_rss, rerun_rss) / 1024,
        "peak_rss_mb_by_run": {"one_worker": one_rss / 1024, "all_workers": all_rss / 1024, "rerun": rerun_rss / 1024},
        "rerun_s_per_1000": rerun_s / len(files) * 1000,
        "ocr_s_per_page": ocr,
        "quality_s": quality_s,
        "baseline_pages": base_pages,
    }
    if dask:
        result["scheduler"] = scheduler
        result["seconds"]["dask"] = dask[0]
        result["pages_per_s"]["dask"] = pages / dask[0]
        result["ratios"]["dask_vs_all_workers"] = (pages / dask[0]) / pps["all_workers"]
        result["peak_rss_mb_by_run"]["dask"] = dask[1] / 1024
    return result


def render(result: dict) -> str:
    pps, ratios = result["pages_per_s"], result["ratios"]
    rows = [("corpus", f"{result['files']} files, {result['pages']} pages"),
            ("(a) floor: pypdfium2 text", f"{pps['floor']:8.1f} pages/s"),
            (f"(b) baseline: pdfplumber ({result['baseline_pages']} pages)", f"{pps['baseline']:8.1f} pages/s"),
            ("(c) ingest, 1 worker", f"{pps['one_worker']:8.1f} pages/s"),
            (f"(c) ingest, {result['workers']} workers", f"{pps['all_workers']:8.1f} pages/s"),
            *([(f"(c) ingest on Dask ({result['scheduler']}), {result['workers']} workers",
                f"{pps['dask']:8.1f} pages/s"),
               ("Dask / local pool", f"{ratios['dask_vs_all_workers']:8.2f}")] if "dask" in pps else []),
            ("one worker / floor", f"{ratios['one_worker_vs_floor']:8.2f}"),
            ("one worker / baseline", f"{ratios['one_worker_vs_baseline']:8.2f}"),
            ("parallel speedup", f"{ratios['parallel_speedup']:8.2f}"),
            ("peak memory (process tree)", f"{result['peak_rss_mb']:8.0f} MiB"),
            ("(d) re-run, s per 1000 unchanged files", f"{result['rerun_s_per_1000']:8.2f}"),
            ("OCR, s per page", f"{result['ocr_s_per_page']:8.2f}" if result["ocr_s_per_page"] else "n/a"),
            ("data-quality suites after the ingest, s", f"{result['quality_s']:8.2f}")]
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"{k:<{width}}  {v}" for k, v in rows)


def main_bench(n: int, as_json: bool, workers: int | None, scheduler: str | None = None) -> int:
    result = bench(n, workers, progress=(lambda msg: print(msg, file=sys.stderr)), scheduler=scheduler)
    print(json.dumps(result, indent=1) if as_json else render(result))
    return 0
