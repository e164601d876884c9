"""Reel's dataframe query against the real Rerun's (run by `make bench`).

Makes Rerun's latest-at "mono" workload with the real SDK (1,000 entities × 1,000 frames, one
3D point each; cached under build/bench-data/), then in the same invocation:
  Rerun: RrdReader(path).store().stream().collect()               (load)
         store.reader(index="frame", fill_latest_at=True,
                      using_index_values=[t]).to_arrow_table()     (latest-at of everything)
         store.reader(index="frame", contents=ENTITY).to_arrow_table()  (one entity's table)
  Reel:  build/bench_query FILE frame t ENTITY                      (the same, median of 15)
and prints a markdown table with the Reel/Rerun time ratios.

    .venv/bin/python bench/query_bench.py [--runs 15] [--append bench/RESULTS.md]
"""

from __future__ import annotations

import argparse
import datetime
import json
import platform
import statistics
import subprocess
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA_DIR = REPO / "build" / "bench-data"
DATA_VERSION = 1
ENTITIES = 1000
FRAMES = 1000
QUERY_TIME = 500
ENTITY = "/points/e0042"


def generate(path: Path) -> None:
    import numpy as np
    import rerun as rr

    rng = np.random.default_rng(7)
    rec = rr.RecordingStream("reel_bench", recording_id="query_bench")
    rec.save(path)
    frames = np.arange(FRAMES, dtype=np.int64)
    for e in range(ENTITIES):
        pos = rng.standard_normal((FRAMES, 3), dtype=np.float32)
        rec.send_columns(
            f"points/e{e:04d}",
            indexes=[rr.TimeColumn("frame", sequence=frames)],
            columns=rr.Points3D.columns(positions=pos).partition([1] * FRAMES),
        )
    rec.flush()
    del rec


def data_file() -> Path:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / f"query_mono_v{DATA_VERSION}.rrd"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        generate(tmp)
        tmp.rename(path)
    return path


def time_best(fn, runs: int) -> tuple[float, object]:
    times = []
    out = None
    for _ in range(runs):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--append", type=Path)
    args = ap.parse_args()
    path = data_file()

    import numpy as np
    from rerun.chunk import RrdReader

    t0 = time.perf_counter()
    store = RrdReader(path).store().stream().collect()
    rerun_load = time.perf_counter() - t0
    at = np.array([QUERY_TIME], dtype=np.int64)
    latest_s, latest = time_best(
        lambda: store.reader(index="frame", fill_latest_at=True,
                             using_index_values=at).to_arrow_table(), args.runs)
    table_s, table = time_best(
        lambda: store.reader(index="frame", contents=ENTITY).to_arrow_table(), args.runs)

    proc = subprocess.run([str(REPO / "build" / "bench_query"), str(path), "frame",
                           str(QUERY_TIME), ENTITY], capture_output=True, text=True, check=True)
    reel = json.loads(proc.stdout)
    assert reel["latest_at_df_rows"] == latest.num_rows == 1
    assert reel["latest_at_df_cols"] == latest.num_columns, (reel, latest.num_columns)
    assert reel["entity_table_rows"] == table.num_rows
    assert reel["entity_table_cols"] == table.num_columns

    rows = [
        ("load the file into a store", reel["load_ms"] / 1e3, rerun_load),
        (f"latest-at of all {ENTITIES} entities as a dataframe (1 row × "
         f"{latest.num_columns} columns)", reel["latest_at_df_us"] / 1e6, latest_s),
        (f"one entity's table ({table.num_rows} rows)", reel["entity_table_us"] / 1e6, table_s),
    ]
    today = datetime.date.today().isoformat()
    lines = [
        f"## Dataframe query vs Rerun (`bench/query_bench.py`; {today}, {platform.machine()}, "
        f"{platform.processor() or 'cpu'}, same invocation, median of {args.runs})",
        "",
        f"Workload: Rerun's latest-at mono: {ENTITIES} entities × {FRAMES} frames × 1 point, "
        f"written by rerun-sdk (`send_columns`), {path.stat().st_size / 1e6:.1f} MB; "
        f"query time {QUERY_TIME}. Rerun = `rerun.chunk` ChunkStore + `reader()`; Reel = "
        f"`bench/bench_query.c` (reel_query_run).",
        "",
        "| measure | Reel | Rerun | Reel/Rerun |",
        "|---|---:|---:|---:|",
    ]
    for name, ours, theirs in rows:
        lines.append(f"| {name} | {fmt(ours)} | {fmt(theirs)} | {ours / theirs:.3f} |")
    lines.append(f"| store latest-at per entity × component, uncached ({reel['latest_at_store_answers']} "
                 f"answers) | {fmt(reel['latest_at_store_us'] / 1e6)} | — | — |")
    lines.append(f"| chunks read → held after compaction | {reel['chunks_read']} → "
                 f"{reel['chunks_held']} | — | — |")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.append:
        with open(args.append, "a") as f:
            f.write("\n" + text)


def fmt(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} µs"


if __name__ == "__main__":
    main()
