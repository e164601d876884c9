"""`reel rrd` against the real `rerun rrd` on one big recording (run by `make bench`).

Makes a recording of at least 500 MB with the real Rerun SDK (point clouds: positions and
colors over many frames, plus scalar series; cached under build/bench-data/ so reruns skip
it), then times, best of 3 each, on the same file:
    reel rrd verify | print | stats | merge (decode + re-encode, LZ4)
    rerun rrd verify | print | stats | merge
and prints a markdown table with MB/s (file bytes), rows/s and Reel/Rerun time ratios.

    .venv/bin/python bench/rrd_bench.py [--runs 3] [--append bench/RESULTS.md]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA_DIR = REPO / "build" / "bench-data"
# Bump when the generator changes, so a stale cache is not reused.
DATA_VERSION = 1
FRAMES = 170
POINTS_PER_FRAME = 200_000
SCALAR_SERIES = 4
SCALAR_ROWS = 250_000


def generate(path: Path) -> None:
    """Random points (LZ4 cannot shrink them much: the file stays >= 500 MB) and scalars."""
    import numpy as np
    import rerun as rr

    rng = np.random.default_rng(42)
    base = rng.standard_normal((POINTS_PER_FRAME, 3), dtype=np.float32)
    colors = rng.integers(0, 256, (POINTS_PER_FRAME, 3), dtype=np.uint8)
    rec = rr.RecordingStream("reel_bench", recording_id="rrd_bench")
    rec.save(path)
    for frame in range(FRAMES):
        rec.set_time("frame", sequence=frame)
        rec.set_time("sim_time", duration=frame / 30.0)
        jitter = rng.standard_normal((POINTS_PER_FRAME, 3), dtype=np.float32) * 0.01
        rec.log("world/lidar", rr.Points3D(base + jitter, colors=colors))
        rec.log("plots/points", rr.Scalars([float(frame)]))
    steps = np.arange(SCALAR_ROWS)
    for series in range(SCALAR_SERIES):
        rec.send_columns(f"plots/series{series}", indexes=[rr.TimeColumn("step", sequence=steps)],
                         columns=rr.Scalars.columns(scalars=np.sin(steps / (100.0 + series))))
    rec.flush()
    rec.disconnect()


def bench_file() -> Path:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / f"points_v{DATA_VERSION}_{FRAMES}x{POINTS_PER_FRAME}.rrd"
    if not path.is_file():
        tmp = path.with_suffix(".tmp.rrd")
        print(f"generating {path.relative_to(REPO)} with the real SDK...", flush=True)
        start = time.perf_counter()
        generate(tmp)
        tmp.rename(path)
        print(f"  {path.stat().st_size / 1e6:.0f} MB in {time.perf_counter() - start:.1f} s",
              flush=True)
    return path


def best_time(cmd: list[str], runs: int, stdout_path: Path | None = None) -> float:
    best = float("inf")
    env = dict(os.environ, CI="1")  # Rerun's analytics off
    for _ in range(runs):
        with (open(stdout_path, "wb") if stdout_path else open(os.devnull, "wb")) as out:
            start = time.perf_counter()
            proc = subprocess.run(cmd, stdout=out, stderr=subprocess.PIPE, env=env)
            elapsed = time.perf_counter() - start
        if proc.returncode != 0:
            sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr.decode()[-2000:]}")
        best = min(best, elapsed)
    return best


def cpu_model() -> str:
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        match = re.search(r"^Model name:\s*(.+)$", out, re.M)
        if match:
            return match.group(1).strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--append", type=Path, help="append the section to this markdown file")
    args = parser.parse_args()

    reel = REPO / "build" / "reel"
    rerun = Path(sys.executable).parent / "rerun"
    if not rerun.is_file():
        rerun = Path(shutil.which("rerun") or "rerun")
    if not reel.is_file():
        sys.exit(f"{reel} is missing: make build")
    path = bench_file()
    size = path.stat().st_size
    stats = json.loads(subprocess.run([str(reel), "rrd", "stats", "--json", str(path)],
                                      capture_output=True, check=True).stdout)
    stores = stats["files"][0]["stores"]
    rows = sum(s["rows"] for s in stores)
    chunks = sum(s["chunks"] for s in stores)
    decoded = sum(s["uncompressed_bytes"] for s in stores)
    out_reel = DATA_DIR / "merged_by_reel.rrd"
    out_rerun = DATA_DIR / "merged_by_rerun.rrd"

    steps = [
        ("verify", [str(reel), "rrd", "verify", str(path)],
         [str(rerun), "rrd", "verify", str(path)], None),
        ("print", [str(reel), "rrd", "print", str(path)], [str(rerun), "rrd", "print", str(path)],
         None),
        ("stats", [str(reel), "rrd", "stats", str(path)], [str(rerun), "rrd", "stats", str(path)],
         None),
        ("merge", [str(reel), "rrd", "merge", str(path), "-o", str(out_reel)],
         [str(rerun), "rrd", "merge", str(path)], out_rerun),
    ]
    results = []
    for name, reel_cmd, rerun_cmd, rerun_out in steps:
        t_reel = best_time(reel_cmd, args.runs)
        t_rerun = best_time(rerun_cmd, args.runs, rerun_out)
        results.append((name, t_reel, t_rerun))
        print(f"  {name}: reel {t_reel:.3f} s, rerun {t_rerun:.3f} s", flush=True)
    for out in (out_reel, out_rerun):
        out.unlink(missing_ok=True)

    today = datetime.date.today().isoformat()
    lines = [
        f"## `reel rrd` vs `rerun rrd` on a {size / 1e6:.0f} MB recording (`bench/rrd_bench.py`)",
        "",
        f"{today}, {cpu_model()}, {os.cpu_count()} cores, Release build; rerun-cli "
        f"{rerun_version(rerun)}. Best of {args.runs}. The file: {FRAMES} frames of "
        f"{POINTS_PER_FRAME:,} random points (positions + colors) and {SCALAR_SERIES} scalar "
        f"series of {SCALAR_ROWS:,} rows (send_columns), written by rerun-sdk: "
        f"{size / 1e6:.1f} MB on disk, {decoded / 1e6:.1f} MB of Arrow after LZ4, {chunks} chunks, "
        f"{rows:,} rows. MB/s = file bytes / time. Reel/Rerun = Reel's time / Rerun's time "
        f"(below 1: Reel is faster).",
        "",
        "| step | Reel s | Reel MB/s | Reel rows/s | Rerun s | Rerun MB/s | Rerun rows/s "
        "| Reel/Rerun |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, t_reel, t_rerun in results:
        lines.append(f"| {name} | {t_reel:.3f} | {size / 1e6 / t_reel:,.0f} | "
                     f"{rows / t_reel:.2e} | {t_rerun:.3f} | {size / 1e6 / t_rerun:,.0f} | "
                     f"{rows / t_rerun:.2e} | {t_reel / t_rerun:.2f} |")
    section = "\n".join(lines) + "\n"
    print()
    print(section)
    if args.append:
        with args.append.open("a") as out:
            out.write("\n" + section)


def rerun_version(rerun: Path) -> str:
    out = subprocess.run([str(rerun), "--version"], capture_output=True, text=True,
                         env=dict(os.environ, CI="1")).stdout.split()
    return out[1] if len(out) > 1 else "?"


if __name__ == "__main__":
    main()
