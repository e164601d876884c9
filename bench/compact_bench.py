"""`reel rrd compact` against the real `rerun rrd optimize` on Rerun's plot stress file
(run by `make bench`).

The workload is Rerun's plot dashboard stress test (tests/python/plot_dashboard_stress) at the
size of its compaction figures (perf-anchors.md: 5 plots x 10 series x 50,000 scalars at 2 kHz
= 2.5 M scalars; ~110 B per scalar before compaction, ~39 B after): one `rr.Scalars` per log
call on the stress test's `sim_time` timeline (a duration, 0.5 ms a step) plus the SDK's
`log_time`, written by the real SDK with its batcher flushing every 16 rows per entity: what a
live 2 kHz stream flushed every 8 ms gives (16 steps per flush), and it lands on Rerun's ~110 B
per scalar. The file is cached under build/bench-data/ (generating it takes about a minute).

Then, best of --runs each, on the same file:
    reel rrd compact IN -o OUT                        (Reel's default: the live thresholds)
    rerun rrd optimize --profile live IN -o OUT       (the same thresholds)
    reel rrd compact --profile object-store IN -o OUT
    rerun rrd optimize IN -o OUT                      (Rerun's default profile, object-store)
and prints a markdown table: chunks, bytes on disk and bytes per scalar of the input and of
each output, time, Reel/Rerun time ratio and max RSS. Rows are checked to survive.

    .venv/bin/python bench/compact_bench.py [--runs 3] [--append bench/RESULTS.md]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from rrd_bench import cpu_model, rerun_version  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DATA_DIR = REPO / "build" / "bench-data"
DATA_VERSION = 1  # bump when the generator changes
PLOTS, SERIES, POINTS = 5, 10, 50_000
FREQ_HZ = 2000.0
FLUSH_ROWS = 16
SCALARS = PLOTS * SERIES * POINTS


def generate(path: Path) -> None:
    """The stress test's loop, without its real-time throttle."""
    import numpy as np
    import rerun as rr

    rec = rr.RecordingStream("rerun_example_plot_dashboard_stress", recording_id="compact_bench",
                             batcher_config=rr.ChunkBatcherConfig(flush_num_rows=FLUSH_ROWS))
    rec.save(path)
    rng = np.random.default_rng(42)
    values = np.cumsum(rng.normal(size=(POINTS, PLOTS, SERIES)), axis=0)
    paths = [[f"plot_{p}/series_{s}" for s in range(SERIES)] for p in range(PLOTS)]
    for step in range(POINTS):
        rec.set_time("sim_time", duration=step / FREQ_HZ)
        for p in range(PLOTS):
            for s in range(SERIES):
                rec.log(paths[p][s], rr.Scalars(values[step, p, s]))
    rec.flush()
    rec.disconnect()


def bench_file() -> tuple[Path, float | None]:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / f"plot_stress_v{DATA_VERSION}_{PLOTS}x{SERIES}x{POINTS}.rrd"
    seconds = None
    if not path.is_file():
        tmp = path.with_suffix(".tmp.rrd")
        print(f"generating {path.relative_to(REPO)} with the real SDK...", flush=True)
        start = time.perf_counter()
        # In a child process: this one stays small, so that it does not inflate the max RSS
        # its later children report (Linux carries a forked parent's peak across exec).
        subprocess.run([sys.executable, __file__, "--generate", str(tmp)], check=True,
                       env=dict(os.environ, CI="1"))
        seconds = time.perf_counter() - start
        tmp.rename(path)
        print(f"  {path.stat().st_size / 1e6:.1f} MB in {seconds:.1f} s", flush=True)
    return path, seconds


def measured(cmd: list[str]) -> tuple[float, float, int]:
    """Wall time and CPU time (user + system) in seconds and max RSS in bytes of one run
    (os.wait4 gives the child's own rusage; its max RSS never reads below this process's own
    peak, reported as the floor)."""
    env = dict(os.environ, CI="1")  # Rerun's analytics off
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n"
                     f"{err.read().decode(errors='replace')[-2000:]}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024


def best(cmd: list[str], runs: int) -> tuple[float, float, int]:
    results = [measured(cmd) for _ in range(runs)]
    return (min(r[0] for r in results), min(r[1] for r in results),
            max(r[2] for r in results))


def file_stats(reel: Path, path: Path) -> tuple[int, int]:
    """(chunks, rows) over all stores."""
    out = subprocess.run([str(reel), "rrd", "stats", "--json", str(path)], capture_output=True,
                         check=True).stdout
    stores = json.loads(out)["files"][0]["stores"]
    return sum(s["chunks"] for s in stores), sum(s["rows"] for s in stores)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--append", type=Path, help="append the section to this markdown file")
    parser.add_argument("--generate", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        generate(args.generate)
        return

    reel = REPO / "build" / "reel"
    rerun = Path(sys.executable).parent / "rerun"
    if not rerun.is_file():
        rerun = Path(shutil.which("rerun") or "rerun")
    if not reel.is_file():
        sys.exit(f"{reel} is missing: make build")
    path, gen_seconds = bench_file()
    size = path.stat().st_size
    chunks_in, rows_in = file_stats(reel, path)

    out_dir = DATA_DIR / "compact_out"
    out_dir.mkdir(exist_ok=True)
    steps = [
        ("live", "Reel", "reel rrd compact",
         [str(reel), "rrd", "compact", str(path), "-o", str(out_dir / "reel_live.rrd")],
         out_dir / "reel_live.rrd"),
        ("live", "Rerun", "rerun rrd optimize --profile live",
         [str(rerun), "rrd", "optimize", "--profile", "live", str(path), "-o",
          str(out_dir / "rerun_live.rrd")], out_dir / "rerun_live.rrd"),
        ("object-store", "Reel", "reel rrd compact --profile object-store",
         [str(reel), "rrd", "compact", "--profile", "object-store", str(path), "-o",
          str(out_dir / "reel_os.rrd")], out_dir / "reel_os.rrd"),
        ("object-store", "Rerun", "rerun rrd optimize",
         [str(rerun), "rrd", "optimize", str(path), "-o", str(out_dir / "rerun_os.rrd")],
         out_dir / "rerun_os.rrd"),
    ]
    results = []
    for profile, who, label, cmd, out in steps:
        seconds, cpu, rss = best(cmd, args.runs)
        chunks, rows = file_stats(reel, out)
        if rows != rows_in:
            sys.exit(f"{label}: {rows} rows out of {rows_in}")
        results.append((profile, who, label, seconds, cpu, rss, chunks, out.stat().st_size))
        print(f"  {label}: {seconds:.3f} s, CPU {cpu:.3f} s, {rss / 1e6:.0f} MB RSS, "
              f"{chunks} chunks, {out.stat().st_size / 1e6:.2f} MB", flush=True)
    shutil.rmtree(out_dir)

    times = {(p, w): (t, c) for p, w, _, t, c, _, _, _ in results}
    load = os.getloadavg()[0]
    today = datetime.date.today().isoformat()
    generated = (f" Generating it took {gen_seconds:.0f} s." if gen_seconds is not None else "")
    lines = [
        f"## Compaction: `reel rrd compact` vs `rerun rrd optimize` on the plot stress file "
        f"(`bench/compact_bench.py`)",
        "",
        f"{today}, {cpu_model()}, {os.cpu_count()} cores, Release build; rerun-cli "
        f"{rerun_version(rerun)}. Best of {args.runs}: elapsed and CPU (user + system) times the "
        f"least of the runs, max RSS the largest. The file: Rerun's plot stress test, {PLOTS} "
        f"plots × {SERIES} series × {POINTS:,} scalars = {SCALARS:,} scalars, one `rr.Scalars` "
        f"per log call on `sim_time` ({FREQ_HZ:.0f} Hz) + `log_time`, written by rerun-sdk with "
        f"the batcher flushing every {FLUSH_ROWS} rows per entity (a live stream flushed every "
        f"8 ms): {size / 1e6:.1f} MB, {chunks_in:,} chunks, {rows_in:,} rows (one static)."
        f"{generated} Bytes per scalar = file bytes / {SCALARS:,}. Reel/Rerun = Reel's time / "
        f"Rerun's time with the same thresholds (elapsed; CPU). Load average at the end: "
        f"{load:.1f}.",
        "",
        "| file | chunks | MB on disk | bytes per scalar | time s | CPU s | Reel/Rerun "
        "| max RSS MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        f"| input | {chunks_in:,} | {size / 1e6:.2f} | {size / SCALARS:.1f} | — | — | — | — |",
    ]
    for profile, who, label, seconds, cpu, rss, chunks, out_size in results:
        theirs = times[(profile, "Rerun")]
        ratio = (f"{seconds / theirs[0]:.2f}; {cpu / theirs[1]:.2f}" if who == "Reel"
                 else "—")
        lines.append(f"| `{label}` | {chunks:,} | {out_size / 1e6:.2f} | "
                     f"{out_size / SCALARS:.1f} | {seconds:.2f} | {cpu:.2f} | {ratio} | "
                     f"{rss / 1e6:.0f} |")
    floor = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    lines += ["", f"Max RSS cannot read below the benchmark's own {floor / 1e6:.0f} MB (see "
              f"`measured`)."]
    section = "\n".join(lines) + "\n"
    print()
    print(section)
    if args.append:
        with args.append.open("a") as out:
            out.write("\n" + section)


if __name__ == "__main__":
    main()
