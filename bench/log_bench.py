"""Reel's C SDK against the real Python SDK on Rerun's log_benchmark workloads (`make bench`).

Workloads (reference/perf-anchors.md §2.1, `tests/rust/log_benchmark`):
  scalars                  600 entities × STEPS steps, one Scalars per entity per step
  points3d_large_batch     one Points3D batch of POINTS points (positions, colors, radii)
  points3d_many_individual CALLS single-point Points3D log calls, each at its own time
  image                    IMAGES log calls of a 1024×1024 RGBA image (one byte changed per call)
each into a memory sink and into an .rrd file, in the same invocation for both SDKs:
  Reel:   build/bench_log WORKLOAD SINK COUNT [PATH]  (prints one JSON object)
  Python: the same calls through rerun-sdk (rr.memory_recording() / rec.save(path))
Reported: ns per call (or per scalar/point) end to end (first call to flushed sink), the
same for the logging thread's CPU time alone (the cost a host program pays), MB/s of payload,
Reel/Python. The Python SDK is much slower per call, so its counts are smaller where marked
(the per-call figures are what is compared). When the Rust harness is built
(bench/rust_log_bench, `cargo build --release`, target dir build/rust_log_bench; it needs the
rustc the pinned `rerun` crate asks for), the Rust crate runs in the same invocation too.

    .venv/bin/python bench/log_bench.py [--append bench/RESULTS.md] [--quick]
"""

from __future__ import annotations

import argparse
import datetime
import json
import platform
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]

# (workload, Reel count, Python count, unit per count, payload bytes per count)
WORKLOADS = [
    ("scalars", 1000, 100, "scalar", 600, 8),  # count = steps; 600 scalars per step
    ("points3d_large_batch", 50_000_000, 5_000_000, "point", 1, 12 + 4 + 4),
    ("points3d_many_individual", 1_000_000, 50_000, "call", 1, 12),
    ("image", 500, 100, "call", 1, 1024 * 1024 * 4),  # the memory sink holds them all
]


def python_run(workload: str, count: int, sink: str, path: Path | None) -> float:
    """Seconds for `count` units of the workload through the real Python SDK, flushed."""
    import rerun as rr

    rec = rr.RecordingStream("log_bench_py", recording_id=f"py_{workload}_{sink}")
    if sink == "memory":
        mem = rec.memory_recording()
    else:
        rec.save(str(path))
    rng = np.random.default_rng(1)
    t0 = time.perf_counter()
    if workload == "scalars":
        values = rng.standard_normal((count, 600)).cumsum(axis=0)
        paths = [f"scalars/e{e}" for e in range(600)]
        for step in range(count):
            rec.set_time("step", sequence=step)
            row = values[step]
            for e in range(600):
                rec.log(paths[e], rr.Scalars(row[e]))
    elif workload == "points3d_large_batch":
        pos = rng.standard_normal((count, 3), dtype=np.float32)
        colors = rng.integers(0, 2**32, count, dtype=np.uint32)
        radii = rng.random(count, dtype=np.float32)
        rec.log("large_batch", rr.Points3D(pos, colors=colors, radii=radii))
    elif workload == "points3d_many_individual":
        pos = rng.standard_normal((count, 3), dtype=np.float32)
        for i in range(count):
            rec.set_time("frame", sequence=i)
            rec.log("single_point", rr.Points3D(pos[i : i + 1]))
    elif workload == "image":
        img = rng.integers(0, 256, (1024, 1024, 4), dtype=np.uint8)
        for i in range(count):
            img[0, 0, 0] = i & 0xFF
            rec.set_time("frame", sequence=i)
            rec.log("image", rr.Image(img, color_model="RGBA"))
    rec.flush()
    elapsed = time.perf_counter() - t0
    if sink == "memory":
        mem.drain_as_bytes()
    del rec
    return elapsed


def reel_run(workload: str, count: int, sink: str, path: Path | None) -> dict:
    exe = REPO / "build" / "bench_log"
    args = [str(exe), workload, sink, str(count)] + ([str(path)] if path else [])
    proc = subprocess.run(args, capture_output=True, text=True, check=True)
    return json.loads(proc.stdout)


RUST_EXE = REPO / "build" / "rust_log_bench" / "release" / "rust_log_bench"


def rust_run(workload: str, count: int, sink: str, path: Path | None) -> dict | None:
    if not RUST_EXE.exists():
        return None
    args = [str(RUST_EXE), workload, sink, str(count)] + ([str(path)] if path else [])
    proc = subprocess.run(args, capture_output=True, text=True, check=True)
    return json.loads(proc.stdout)


def fmt_ns(ns: float) -> str:
    return f"{ns / 1e3:.2f} µs" if ns >= 1e4 else f"{ns:.1f} ns"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--append", type=Path)
    ap.add_argument("--quick", action="store_true", help="a tenth of every count")
    args = ap.parse_args()
    scale = 10 if args.quick else 1
    today = datetime.date.today().isoformat()
    lines = [
        f"## Logging SDK vs the real Python SDK (`bench/log_bench.py`; {today}, "
        f"{platform.machine()}, same invocation)",
        "",
        "| workload | sink | Reel count | Reel per unit | Reel logging thread per unit | "
        "Reel MB/s | Python count | Python per unit | Reel/Python | Rust per unit | Reel/Rust |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for workload, reel_count, py_count, unit, units_per_count, bytes_per_unit in WORKLOADS:
            reel_count = max(1, reel_count // scale)
            py_count = max(1, py_count // scale)
            for sink in ("memory", "file"):
                reel_path = Path(tmp) / f"reel_{workload}.rrd" if sink == "file" else None
                py_path = Path(tmp) / f"py_{workload}.rrd" if sink == "file" else None
                reel = reel_run(workload, reel_count, sink, reel_path)
                rust = rust_run(workload, reel_count, sink, reel_path)
                py_s = python_run(workload, py_count, sink, py_path)
                reel_units = reel_count * units_per_count
                py_units = py_count * units_per_count
                reel_ns = reel["seconds"] * 1e9 / reel_units
                reel_cpu_ns = reel["log_cpu_seconds"] * 1e9 / reel_units
                py_ns = py_s * 1e9 / py_units
                mbps = reel_units * bytes_per_unit / reel["seconds"] / 1e6
                rust_cols = "n/a | n/a"
                if rust is not None:
                    rust_ns = rust["seconds"] * 1e9 / reel_units
                    rust_cols = f"{fmt_ns(rust_ns)} | {reel_ns / rust_ns:.3f}"
                lines.append(
                    f"| {workload} | {sink} | {reel_units:,} {unit}s | {fmt_ns(reel_ns)} | "
                    f"{fmt_ns(reel_cpu_ns)} | {mbps:,.0f} | {py_units:,} | {fmt_ns(py_ns)} | "
                    f"{reel_ns / py_ns:.3f} | {rust_cols} |")
                for p in (reel_path, py_path):
                    if p is not None and p.exists():
                        p.unlink()
    text = "\n".join(lines) + "\n"
    print(text)
    if args.append:
        with open(args.append, "a") as f:
            f.write("\n" + text)


if __name__ == "__main__":
    main()
