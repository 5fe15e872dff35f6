"""`make stress` (python -m pipeline.stress): hostile input at scale, in one ingest, then kill -9.

1. A corpus in a temporary folder: N mutated copies of the samples (data/raw: byte flips,
   truncations, deleted objects, duplicated or broken cross-reference tables, zeroed ranges, a
   wrong stream length, a damaged header; random but seeded), the hostile, bad and truncated
   fixtures of tests/fixtures/, and a 3,000-page blank PDF (make_hostile.py --blank-pages 3000).
2. A clean run: one `jixiao ingest` of the whole corpus in a subprocess, timed, with the peak
   resident memory of its process tree sampled from /proc. Every file must be accounted for: a
   `documents` row for its bytes, and a failed one with an `ingest_errors` row giving the reason.
3. kill -9 of the main process at a random moment, then a re-run; kill -9 of a worker at a random
   moment (while the pool runs its normal pass), the run goes on, then a re-run. After each, the
   rows of documents, facts, findings and amounts must equal the clean run's (run ids and times
   aside), and no process of the killed run may be left.

Prints a table of figures; the exit status is 1 when a check fails.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import duckdb


ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "raw"
FIXTURES = ROOT / "tests" / "fixtures"
FIXED = [FIXTURES / "hostile" / "pdf", FIXTURES / "hostile" / "hostile_text.pdf", FIXTURES / "bad",
         FIXTURES / "truncated"]
COMPARED = {"documents": ("run_id", "ingested_at"), "facts": (), "findings": (), "amounts": ()}
LIMIT_S, LIMIT_MIB = 300.0, 2048.0

_OBJ = re.compile(rb"(?<![0-9])\d+\s+\d+\s+obj\b.*?endobj", re.S)
_XREF = re.compile(rb"xref\s.*?%%EOF", re.S)
_LENGTH = re.compile(rb"/Length\s+(\d+)(?!\s+\d+\s+R)")


# --- the corpus -------------------------------------------------------------------------------

def _flip(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 64)):
        out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    return bytes(out)


def _truncate(data: bytes, rng: random.Random) -> bytes:
    return data[:max(16, int(len(data) * rng.uniform(0.02, 0.9995)))]


def _delete_objects(data: bytes, rng: random.Random) -> bytes:
    spans = [m.span() for m in _OBJ.finditer(data)]
    for start, end in sorted(rng.sample(spans, min(len(spans), rng.randint(1, 3))), reverse=True):
        data = data[:start] + data[end:]
    return data


def _duplicate_xref(data: bytes, rng: random.Random) -> bytes:
    found = list(_XREF.finditer(data))
    if not found:
        return _flip(data, rng)
    tail = found[-1].group(0)
    if rng.random() < 0.5:                     # twice at the end, the second pointing nowhere
        return data + b"\n" + re.sub(rb"startxref\s+\d+", b"startxref\n%d" % rng.randrange(len(data)), tail)
    at = rng.randrange(len(data))               # a copy dropped in the middle of the file
    return data[:at] + tail + data[at:]


def _zero_range(data: bytes, rng: random.Random) -> bytes:
    start, size = rng.randrange(len(data)), rng.randint(64, 8192)
    return data[:start] + b"\0" * min(size, len(data) - start) + data[start + size:]


def _wrong_length(data: bytes, rng: random.Random) -> bytes:
    found = list(_LENGTH.finditer(data))
    if not found:
        return _flip(data, rng)
    m = rng.choice(found)
    return data[:m.start(1)] + str(rng.choice([0, 1, int(m.group(1)) * 7 + 3])).encode() + data[m.end(1):]


def _header(data: bytes, rng: random.Random) -> bytes:
    return rng.choice([b"JUNK" * rng.randint(1, 400) + data, b"%PDX-" + data[5:], data[:8] + b"\0" * 512 + data[520:]])


MUTATIONS = {"flip": _flip, "truncate": _truncate, "delete_objects": _delete_objects,
             "duplicate_xref": _duplicate_xref, "zero_range": _zero_range, "wrong_length": _wrong_length,
             "header": _header}


def build_corpus(folder: Path, copies: int, seed: int) -> list[Path]:
    """`copies` mutated samples (each unique), the fixtures, and a 3,000-page blank PDF."""
    folder.mkdir(parents=True)
    rng, seen, files = random.Random(seed), set(), []
    samples = sorted(SAMPLES.glob("*.pdf"))
    kinds = sorted(MUTATIONS)
    while len(files) < copies:
        src, kind = rng.choice(samples), kinds[len(files) % len(kinds)]
        data = MUTATIONS[kind](src.read_bytes(), rng)
        digest = hashlib.sha256(data).digest()
        if digest in seen:
            continue
        seen.add(digest)
        path = folder / "mutated" / f"{len(files):03d}-{kind}-{src.stem[:3]}.pdf"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        files.append(path)
    for source in FIXED:
        for pdf in ([source] if source.is_file() else sorted(source.glob("*.pdf"))):
            target = folder / "fixtures" / source.name / pdf.name if source.is_dir() else folder / "fixtures" / pdf.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(pdf, target)
            files.append(target)
    made = folder.parent / "hostile-made"
    subprocess.run([sys.executable, str(FIXTURES / "hostile" / "make_hostile.py"), "--out", str(made),
                    "--blank-pages", "3000"], check=True, cwd=ROOT)
    blank = folder / "blank-3000-pages.pdf"
    shutil.move(made / "blank-pages.pdf", blank)
    files.append(blank)
    return files


# --- one run ----------------------------------------------------------------------------------

@dataclass
class Run:
    seconds: float = 0.0
    cpu_s: float = 0.0                    # CPU seconds of the whole process tree (what the run costs, whatever the load)
    peak_kib: int = 0
    peak_by: list[int] = field(default_factory=list)      # KiB of each process at the peak, largest first
    returncode: int | None = None
    killed: str = ""                      # what was killed, when
    leftovers: list[int] = field(default_factory=list)    # processes of the run alive after the kill
    err: str = ""


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            kids += [int(c) for c in (task / "children").read_text().split()]
    except OSError:
        pass
    return kids


def _descendants(pid: int) -> set[int]:
    out, stack = set(), [pid]
    while stack:
        for kid in _children(stack.pop()):
            out.add(kid)
            stack.append(kid)
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text().split("State:")[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def _rss_kib(pid: int) -> int:
    """Resident memory of one process, from /proc/PID/status."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        return next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
    except (OSError, StopIteration, ValueError):
        return 0


def _cpu_seconds(pid: int) -> float:
    """User and system CPU seconds of one process so far, from /proc/PID/stat."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _workers(pid: int) -> list[int]:
    """The pool's workers: the children of the ingest's fork server."""
    servers = [k for k in _children(pid) if "forkserver" in _cmdline(k)]
    return [w for s in servers for w in _children(s) if _alive(w)]


def ingest(folder: Path, db: Path, workers: int, kill: str | None = None, at: float = 0.0) -> Run:
    """One `jixiao ingest` in a subprocess; `kill` "main" or "worker" sends SIGKILL after `at` s."""
    cmd = [sys.executable, "-m", "pipeline", "ingest", str(folder), "--db", str(db), "--workers", str(workers),
           "--no-progress"]
    run, started = Run(), time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)

    cpu: dict[int, float] = {}

    def sample() -> None:
        while proc.poll() is None:
            family = {proc.pid} | _descendants(proc.pid)
            sizes = {pid: _rss_kib(pid) for pid in family}
            if sum(sizes.values()) > run.peak_kib:
                run.peak_kib, run.peak_by = sum(sizes.values()), sorted(sizes.values(), reverse=True)
            for pid in family:
                cpu[pid] = max(cpu.get(pid, 0.0), _cpu_seconds(pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    if kill:
        threading.Thread(target=_killer, args=(proc, kill, at, run), daemon=True).start()
    out, run.err = proc.communicate()
    run.seconds, run.returncode = time.perf_counter() - started, proc.returncode
    sampler.join()
    run.cpu_s = sum(cpu.values())
    if kill == "main":
        time.sleep(0.5)
    return run


def _killer(proc: subprocess.Popen, kill: str, at: float, run: Run) -> None:
    time.sleep(at)
    if kill == "main":
        family = _descendants(proc.pid)
        proc.send_signal(signal.SIGKILL)
        run.killed = f"main process at {at:.1f} s"
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and any(_alive(p) for p in family):
            time.sleep(0.2)
        run.leftovers = [p for p in family if _alive(p)]
        return
    started = time.monotonic()
    while proc.poll() is None:                  # a worker of the normal pass (two or more alive)
        workers = _workers(proc.pid)
        if len(workers) >= 2:
            victim = random.Random(int(at * 1000)).choice(sorted(workers))
            try:
                os.kill(victim, signal.SIGKILL)
            except ProcessLookupError:
                continue
            run.killed = f"worker {victim} at {at + time.monotonic() - started:.1f} s"
            return
        time.sleep(0.1)


# --- what the database holds ------------------------------------------------------------------

def snapshot(db: Path) -> dict[str, Counter]:
    """The rows of the compared tables, without run ids and times, as multisets."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for table, ignored in COMPARED.items():
            cols = [c for (c,) in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                [table]).fetchall() if c not in ignored]
            select = ", ".join(f'"{c}"' for c in cols)
            out[table] = Counter(repr(row) for row in con.execute(f"SELECT {select} FROM {table}").fetchall())
        return out
    finally:
        con.close()


def differences(a: dict[str, Counter], b: dict[str, Counter]) -> list[str]:
    out = []
    for table in COMPARED:
        only_a, only_b = a[table] - b[table], b[table] - a[table]
        if only_a or only_b:
            out.append(f"{table}: {sum(only_a.values())} row(s) only in the clean run, "
                       f"{sum(only_b.values())} only after the kill")
    return out


def accounted(db: Path, files: list[Path]) -> tuple[int, Counter, list[str]]:
    """(files with a row, failures by code, files unaccounted for and why)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        docs = {d: (s, e) for d, s, e in con.execute("SELECT doc_id, status, error FROM documents").fetchall()}
        reasons = dict(con.execute("SELECT doc_id, first(code ORDER BY code) FROM ingest_errors "
                                   "WHERE fatal AND length(reason) > 0 GROUP BY doc_id").fetchall())
    finally:
        con.close()
    ok, codes, missing = 0, Counter(), []
    for path in files:
        doc_id = hashlib.sha256(path.read_bytes()).hexdigest()
        status, error = docs.get(doc_id, (None, None))
        if status is None:
            missing.append(f"{path.name}: no documents row")
        elif status == "failed" and (doc_id not in reasons or not error):
            missing.append(f"{path.name}: failed without a reason")
        else:
            ok += 1
            if status == "failed":
                codes[reasons[doc_id]] += 1
    return ok, codes, missing


# --- the whole exercise -----------------------------------------------------------------------

def stress(copies: int, seed: int, workers: int, keep: Path | None, say=print) -> tuple[list[tuple[str, str]], bool]:
    tmp = Path(tempfile.mkdtemp(prefix="jixiao-stress-"))
    rng = random.Random(seed)
    rows: list[tuple[str, str]] = []
    passed = True
    try:
        files = build_corpus(tmp / "corpus", copies, seed)
        say(f"corpus: {len(files)} files in {tmp / 'corpus'}")
        clean = ingest(tmp / "corpus", tmp / "clean.duckdb", workers)
        say(f"clean run: {clean.seconds:.1f} s, exit {clean.returncode}: {clean.err.strip().splitlines()[-1:]}")
        ok, codes, missing = accounted(tmp / "clean.duckdb", files)
        base = snapshot(tmp / "clean.duckdb")
        checks = {
            "every file accounted for": not missing,
            f"within {LIMIT_S:.0f} s": clean.seconds <= LIMIT_S,
            f"peak memory under {LIMIT_MIB:.0f} MiB": clean.peak_kib / 1024 <= LIMIT_MIB,
        }
        rows += [("files", f"{len(files)} ({copies} mutated, {len(files) - copies} fixtures and blank)"),
                 ("accounted for", f"{ok} of {len(files)}"),
                 ("failed, by code", ", ".join(f"{c} {n}" for c, n in sorted(codes.items())) or "none"),
                 ("seconds (clean run)", f"{clean.seconds:.1f} (CPU {clean.cpu_s:.0f} s in all processes, "
                                         f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"),
                 ("peak MiB (process tree)", f"{clean.peak_kib / 1024:.0f} ("
                                             + " + ".join(f"{k / 1024:.0f}" for k in clean.peak_by if k > 10240) + ")")]
        for line in missing[:10]:
            say(f"  unaccounted: {line}")
        kills = 0
        for kill in ("main", "worker"):
            db = tmp / f"kill-{kill}.duckdb"
            at = rng.uniform(0.05, 0.5) * clean.seconds
            first = ingest(tmp / "corpus", db, workers, kill, at)
            again = ingest(tmp / "corpus", db, workers)
            diff = differences(base, snapshot(db))
            good = not diff and not first.leftovers and bool(first.killed) and again.returncode == 0
            kills += good
            say(f"kill -9 of the {first.killed or kill + ' (not done: the run ended first)'}; re-run "
                f"{again.seconds:.1f} s; " + ("identical to the clean run" if not diff else "; ".join(diff)) +
                (f"; {len(first.leftovers)} process(es) left behind" if first.leftovers else ""))
            checks[f"kill -9 {kill}, re-run identical"] = good
        rows.append(("kill tests passed", f"{kills} of 2"))
        for name, good in checks.items():
            rows.append((f"check: {name}", "ok" if good else "FAILED"))
            passed &= good
    finally:
        if keep:
            shutil.copytree(tmp, keep, dirs_exist_ok=True)
        shutil.rmtree(tmp, ignore_errors=True)
    return rows, passed


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipeline.stress", description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=200, help="mutated copies of the samples (default 200)")
    parser.add_argument("--seed", type=int, default=13, help="seed of the mutations and kill moments (default 13)")
    parser.add_argument("--workers", type=int, default=2, help="ingest workers (default 2)")
    parser.add_argument("--keep", type=Path, help="copy the corpus and databases here before cleaning up")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    rows, passed = stress(args.copies, args.seed, args.workers, args.keep,
                          say=lambda msg: print(msg, file=sys.stderr, flush=True))
    width = max(len(k) for k, _ in rows)
    print("\n".join(f"{k:<{width}}  {v}" for k, v in rows))
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
