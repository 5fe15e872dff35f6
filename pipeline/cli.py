"""The `jixiao` command: a thin layer over the stages with one error boundary."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from extractors import JixiaoError

from .argparsing import Parser, parse, report_date
from .lifeline import start_early
from .outputs.choices import FAIL_ON, MAX_WIDTH, WORKBOOK_TABLES

# Each command imports the code it runs: all of it, with DuckDB, takes about 0.1 s, which
# `jixiao ingest` spends better with its fork server already loading the chain.

DEFAULT_DB = Path("data/curated/jixiao.duckdb")
DEFAULT_REPORTS = Path("data/curated/reports")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="jixiao",
        description="Extract and reconcile the figures of Chinese fiscal performance-evaluation reports.")
    parser.add_argument("--debug", action="store_true", help="show the full traceback of an error")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    _add_ingest(sub)

    p = sub.add_parser("bench", help="measure ingest speed against the PDF parser (pages per second)",
                       description="Build a corpus of N reports in a temporary folder and measure, in one run: "
                                   "pypdfium2 text alone (the floor), pdfplumber text and tables (the naive "
                                   "baseline), jixiao ingest with one worker and with all cores, and a re-run "
                                   "over the unchanged corpus.")
    p.add_argument("-n", "--n", type=int, default=200, help="reports in the corpus (default: 200)")
    p.add_argument("--workers", type=int, default=0, help="workers for the all-cores run (default: one per core)")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    _scheduler_option(p, "also time the ingest on a Dask cluster: 'local' (a LocalCluster of --workers "
                         "processes) or a scheduler's address tcp://HOST:PORT")
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("report", help="write the nightly reconciliation report (HTML, CSV, Markdown)",
                       description="Write OUT/<YYYY-MM-DD>/ with index.html (summary, chart, findings with their "
                                   "evidence, data quality, what was resolved), findings.csv and summary.md. The report "
                                   "remembers in the database (finding_history) what earlier reports listed: findings "
                                   "no earlier report listed are marked new, findings gone since the previous report "
                                   "are listed as resolved.")
    p.add_argument("--db", type=Path, default=DEFAULT_DB, help=f"DuckDB file (default: {DEFAULT_DB})")
    p.add_argument("--out", type=Path, default=DEFAULT_REPORTS, help=f"folder of dated reports (default: {DEFAULT_REPORTS})")
    p.add_argument("--date", type=report_date, default=None, metavar="DATE",
                   help="report date: YYYY-MM-DD, today or yesterday (default: today)")
    p.add_argument("--fail-on", choices=FAIL_ON, default="new",
                   help="exit non-zero on: new error findings (default), any error finding, never")
    _wait_option(p)
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("export", help="write one JSON per report (the gold-file shape, with evidence)",
                       description="Write OUTDIR/<report>.json for every readable report in the database: "
                                   "report header, facts, indicators, scores and findings, each with its "
                                   "evidence (page and sentence).")
    p.add_argument("outdir", type=Path, help="folder to write into (created if missing)")
    p.add_argument("--db", type=Path, default=DEFAULT_DB, help=f"DuckDB file (default: {DEFAULT_DB})")
    p.add_argument("--xlsx", type=Path, metavar="FILE",
                   help="also write one workbook with a sheet per table and view that analysts read: "
                        + ", ".join(WORKBOOK_TABLES))
    _wait_option(p)
    p.set_defaults(func=cmd_export)

    _add_sql(sub)

    p = sub.add_parser("show", help="show the page and sentence behind a fact, finding or mention, as a picture",
                       description="Print the file, page and sentence of every figure behind ID (a mention id such "
                                   "as 0eae385221b3:a:1234 from fact_sources, a fact as <doc prefix>:f:<fact_id>, or "
                                   "a finding id) and, with --png, write a crop of each page with the figures boxed.")
    p.add_argument("id", help="mention id, <doc_id prefix>:f:<fact_id>, or finding id")
    p.add_argument("--db", type=Path, default=DEFAULT_DB, help=f"DuckDB file (default: {DEFAULT_DB})")
    p.add_argument("--png", type=Path, metavar="FILE", help="write the page crops (one above the other) to FILE")
    p.add_argument("--password", help="password of an encrypted PDF")
    _wait_option(p)
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("eval", help="score the database against gold files (precision, recall, F1)",
                       description="Match every report in the database with the gold file of the same "
                                   "document (GOLD.md rules) and print precision, recall and F1 per section "
                                   "and per document.")
    p.add_argument("--gold", type=Path, required=True, help="folder of *.gold.json files")
    p.add_argument("--db", type=Path, default=DEFAULT_DB, help=f"DuckDB file (default: {DEFAULT_DB})")
    p.add_argument("--json", action="store_true", help="print the scores as one JSON object")
    p.add_argument("-v", "--verbose", action="store_true", help="list the misses and false hits")
    _wait_option(p)
    p.set_defaults(func=cmd_eval)
    return parser


def _add_sql(sub) -> None:
    p = sub.add_parser("sql", help="run one read-only SQL query: print a table or write CSV, xlsx, Parquet",
                       description="Run one SQL statement against the DuckDB file, opened read-only. Without an "
                                   "output option the rows are printed as a table whose columns line up for "
                                   "Chinese text (NULL shows empty); --csv (UTF-8 with a BOM), --xlsx and "
                                   "--parquet write every row to a file instead. Spreadsheet cells that would "
                                   "start with =, +, - or @ are prefixed with '.")
    p.add_argument("query", nargs="?",
                   help="one SQL statement, e.g. \"SELECT kind, value_wan, sentence FROM facts\"; - (or none, "
                        "with standard input not a terminal) reads it from standard input")
    p.add_argument("--db", type=Path, default=DEFAULT_DB, help=f"DuckDB file (default: {DEFAULT_DB})")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--csv", type=Path, metavar="FILE", help="write the rows to a CSV file (UTF-8 with a BOM)")
    out.add_argument("--xlsx", type=Path, metavar="FILE", help="write the rows to an Excel workbook")
    out.add_argument("--parquet", type=Path, metavar="FILE", help="write the rows to a Parquet file")
    out.add_argument("--json", action="store_true",
                     help="print every row as one JSON array of objects (exact numbers, ISO dates)")
    p.add_argument("--max-rows", type=int, default=200, metavar="N",
                   help="rows to print (default: 200; 0 for all); files and --json always get every row")
    p.add_argument("--max-width", type=int, default=MAX_WIDTH, metavar="N",
                   help=f"display columns a printed cell may take before it is cut with … "
                        f"(default: {MAX_WIDTH}; 0 for no limit)")
    _wait_option(p)
    p.set_defaults(func=cmd_sql)


def _add_ingest(sub) -> None:
    p = sub.add_parser("ingest", help="read every PDF under PATH into the database",
                       description="Read every *.pdf (any case) under PATH, recursively, into the DuckDB "
                                   "database. Unchanged files (same SHA-256) are skipped; a changed file "
                                   "replaces its rows; a file that cannot be read is recorded in "
                                   "ingest_errors and the run goes on.")
    p.add_argument("path", type=Path, help="a folder (searched recursively) or a single PDF")
    p.add_argument("--db", type=Path, default=DEFAULT_DB, help=f"DuckDB file (default: {DEFAULT_DB})")
    p.add_argument("--workers", type=int, default=0, help="worker processes (default: one per core)")
    p.add_argument("--password", help="password for encrypted PDFs")
    p.add_argument("--force", action="store_true", help="re-read files even when unchanged")
    p.add_argument("--retry-failed", action="store_true", help="re-read unchanged files that failed before")
    p.add_argument("--timeout", type=float, default=300.0, help="seconds allowed per document (default: 300)")
    p.add_argument("--max-memory-mb", type=int, default=4096,
                   help="address-space limit per worker in MiB (default: 4096; 0 for none)")
    p.add_argument("--wait", type=float, default=0.0,
                   help="seconds to wait for another jixiao process using the database (default: 0)")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="show a progress bar (default: only on a terminal)")
    p.add_argument("--ocr", action=argparse.BooleanOptionalAction, default=True,
                   help="read pages without a usable text layer (scans, garbled fonts) by OCR (default: on)")
    p.add_argument("--quality", choices=("changed", "always", "never"), default="changed",
                   help="run the data-quality suites after the ingest: when files were read (default), always, never")
    _scheduler_option(p, "read the documents on a Dask cluster: tcp://HOST:PORT of a running scheduler, or "
                         "'local' for a LocalCluster of --workers processes on this machine (needs the dask extra)")
    p.set_defaults(func=cmd_ingest)


def _scheduler_option(p: argparse.ArgumentParser, text: str) -> None:
    p.add_argument("--scheduler", type=_scheduler, default=None, metavar="ADDRESS", help=text)


def _scheduler(value: str) -> str:
    """'local', or a scheduler's address: [tcp://]HOST:PORT (any protocol Dask knows)."""
    host_port = value.split("://", 1)[-1]
    if value == "local" or (host_port.rpartition(":")[2].isdigit() and host_port.rpartition(":")[0]):
        return value
    raise argparse.ArgumentTypeError(f"{value!r} is neither 'local' nor a scheduler address tcp://HOST:PORT")


def _wait_option(p: argparse.ArgumentParser) -> None:
    """The reading commands wait, like ingest, while a jixiao ingest holds the database."""
    p.add_argument("--wait", type=float, default=0.0, metavar="S",
                   help="seconds to wait while another jixiao process holds the database (default: 0)")


def _read(args: argparse.Namespace, read_only: bool = True):
    from .store import open_for_reading

    if args.wait < 0:
        raise JixiaoError("--wait must be 0 or more seconds", code="usage")
    return open_for_reading(args.db, wait=args.wait, read_only=read_only)


def cmd_report(args: argparse.Namespace) -> int:
    from .outputs.nightly import write_nightly

    con = _read(args, read_only=False)        # the report keeps its history in the database
    try:
        written = write_nightly(con, args.out, args.date)
    finally:
        con.close()
    c = written.data.counts
    print(f"report: {written.folder / 'index.html'}")
    print(f"findings: {c['error']} error, {c['warning']} warning, {c['info']} info; {c['new']} new, "
          f"{len(written.data.resolved)} resolved; {sum(written.data.unverifiable.values())} unverifiable checks")
    return written.exit_code(args.fail_on)


def cmd_export(args: argparse.Namespace) -> int:
    from .outputs.export import export
    from .outputs.workbook import export_workbook

    con = _read(args)
    try:
        written = export(con, args.outdir)
        sheets = export_workbook(con, args.xlsx) if args.xlsx else None
    finally:
        con.close()
    print(f"wrote {len(written)} report(s) to {args.outdir}")
    if sheets is not None:
        print(f"wrote {len(sheets)} sheet(s) to {args.xlsx}: "
              + ", ".join(f"{name} ({rows})" for name, rows in sheets))
    return 0


def cmd_sql(args: argparse.Namespace) -> int:
    if args.max_rows < 0:
        raise JixiaoError("--max-rows must be 0 (all) or more", code="usage")
    if args.max_width < 0:
        raise JixiaoError("--max-width must be 0 (no limit) or more", code="usage")
    from .outputs.sqlcmd import read_query, run_sql

    query = read_query(args.query)
    con = _read(args)
    try:
        text = run_sql(con, query, csv=args.csv, xlsx=args.xlsx, parquet=args.parquet,
                       json=sys.stdout if args.json else None, max_rows=args.max_rows, max_width=args.max_width)
    finally:
        con.close()
    if text:
        print(text)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from .outputs.evidence import crop_png, figures_for, stack_png

    con = _read(args)
    try:
        figures = figures_for(con, args.id)
    finally:
        con.close()
    crops = []
    for fig in figures:
        print(f"{fig.file_name} p.{fig.page}: {fig.sentence}")
        if args.png:
            png, boxes = crop_png(fig, args.password)
            crops.append(png)
            print("  boxed: " + "; ".join(f"({b[0]:.0f}, {b[1]:.0f}, {b[2]:.0f}, {b[3]:.0f})" for b in boxes))
    if args.png and crops:
        args.png.write_bytes(stack_png(crops))
        print(f"wrote {args.png}")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from .bench import main_bench

    return main_bench(args.n, args.json, args.workers or None, args.scheduler)


def cmd_eval(args: argparse.Namespace) -> int:
    from .evaluate import as_json, evaluate, load_gold, render_scores
    from .outputs.export import all_documents

    if not args.gold.exists():
        raise JixiaoError(f"the gold folder {args.gold} does not exist", code="usage")
    gold = load_gold(args.gold)
    if not gold:
        raise JixiaoError(f"no *.gold.json files in {args.gold}", code="usage")
    con = _read(args)
    try:
        result = evaluate(gold, all_documents(con))
    finally:
        con.close()
    if args.json:
        print(json.dumps(as_json(result, args.verbose), ensure_ascii=False, indent=1, default=str))
        return 0
    print(render_scores(result))
    if args.verbose:
        for name, scores in result["documents"].items():
            for section, score in scores.items():
                for miss in score.misses:
                    print(f"miss       {name} {section}: {json.dumps(miss, ensure_ascii=False, default=str)}")
                for hit in score.false_hits:
                    print(f"false hit  {name} {section}: {json.dumps(hit, ensure_ascii=False, default=str)}")
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    if args.workers < 0:
        raise JixiaoError("--workers must be 0 (one per core) or more", code="usage")
    start_early(args.db, args.scheduler)        # the workers load the chain while this process loads the rest
    from .ingest import Options, ingest

    opts = Options(workers=args.workers, password=args.password, force=args.force,
                   retry_failed=args.retry_failed, timeout_s=args.timeout,
                   max_memory_mb=args.max_memory_mb or None, wait_s=args.wait, progress=args.progress,
                   quality=args.quality, ocr=args.ocr, scheduler=args.scheduler)
    summary = ingest(args.path, args.db, opts)
    for path, reason in summary.failures:
        print(f"failed: {path}: {reason}", file=sys.stderr)
    for path in summary.gone:
        print(f"missing: {path}: no longer there (deleted or moved away); its figures and findings are dropped",
              file=sys.stderr)
    print(summary.line())
    print(f"database: {args.db}")
    return summary.exit_code


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parse(parser, argv)
    try:
        return args.func(args)
    except JixiaoError as exc:
        if args.debug:
            raise
        print(f"jixiao: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("jixiao: interrupted; documents written so far are complete, the rest will be read next run",
              file=sys.stderr)
        return 130
