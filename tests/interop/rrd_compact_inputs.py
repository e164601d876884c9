"""Writes recordings made of many small chunks with the REAL Rerun SDK, as inputs for
tests/interop/test_rrd_compact.py (`reel rrd compact` against `rerun rrd optimize`):

  many_small.rrd      the SDK's batcher flushes after every row, so each log call is its own
                      chunk: scalars on six entities (frame + time timelines), one entity
                      logged in shuffled frame order (unsorted), one logged on `frame` only
                      part of the time (two timeline sets), points of varying counts with
                      colors now and then, text logs, static data overwritten in full
                      (/config) and in part (/static_points keeps its first colors);
  small_with_blueprint.rrd  the same kind of data, smaller, saved with a default blueprint
                      (a blueprint store and its activation come first).

    python rrd_compact_inputs.py OUT_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import rerun as rr
import rerun.blueprint as rrb

APP_ID = "reel_compact"
ROWS = 240  # per scalar entity


def one_row_per_chunk() -> rr.ChunkBatcherConfig:
    return rr.ChunkBatcherConfig(flush_num_rows=1)


def log_data(rec: rr.RecordingStream, rows: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    rec.log("config", rr.TextDocument("first"), static=True)
    rec.log("static_points", rr.Points3D([[0, 0, 0], [1, 1, 1]], colors=[[255, 0, 0]] * 2),
            static=True)
    for i in range(rows):
        rec.set_time("frame", sequence=i)
        rec.set_time("time", duration=i * 0.01)
        for series in range(6):
            rec.log(f"plots/series_{series}", rr.Scalars([float(np.sin(i / 10 + series))]))
        if i % 3 == 0:
            count = 1 + i % 7
            colors = rng.integers(0, 255, (count, 3)) if i % 2 == 0 else None
            rec.log("world/points", rr.Points3D(rng.standard_normal((count, 3)), colors=colors))
        if i % 10 == 0:
            rec.log("logs", rr.TextLog(f"step {i}", level=rr.TextLogLevel.INFO))
        if i == rows // 2:
            rec.log("config", rr.TextDocument("second"), static=True)
    # Shuffled frames: chunks unsorted on `frame` once merged.
    rec.reset_time()
    for i in rng.permutation(rows):
        rec.set_time("frame", sequence=int(i))
        rec.log("plots/shuffled", rr.Scalars([float(i)]))
    # Part of the time on `frame` only, part on both timelines.
    rec.reset_time()
    for i in range(rows // 2):
        rec.set_time("frame", sequence=i)
        if i % 2 == 0:
            rec.set_time("time", duration=i * 0.01)
        else:
            rec.disable_timeline("time")
        rec.log("plots/mixed", rr.Scalars([float(i)]))
    rec.log("config", rr.TextDocument("third"), static=True)
    rec.log("static_points", rr.Points3D([[2, 2, 2]]), static=True)  # colors stay the first


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)

    rec = rr.RecordingStream(APP_ID, recording_id="many_small", batcher_config=one_row_per_chunk())
    rec.save(out / "many_small.rrd")
    log_data(rec, ROWS, seed=1)
    rec.flush()
    rec.disconnect()

    rec = rr.RecordingStream(APP_ID, recording_id="with_blueprint",
                             batcher_config=one_row_per_chunk())
    blueprint = rrb.Blueprint(rrb.Horizontal(rrb.TimeSeriesView(origin="/plots"),
                                             rrb.Spatial3DView(origin="/world")))
    rec.save(out / "small_with_blueprint.rrd", default_blueprint=blueprint)
    log_data(rec, ROWS // 4, seed=2)
    rec.flush()
    rec.disconnect()


if __name__ == "__main__":
    main()
