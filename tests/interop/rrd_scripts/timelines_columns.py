"""Writes timelines_columns.rrd with the real Rerun SDK: all three timeline kinds (sequence,
duration, timestamp) including negative times, rows that carry only some timelines
(disable_timeline, reset_time), static and temporal data on one entity, an entity path
that needs escaping, and columnar data sent with send_columns (several components,
partitions of different lengths, instances that are not logged in some rows). Also writes
timelines_columns.rrd.expected.json (see _common.py).

    python timelines_columns.py OUT_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import rerun as rr
from _common import Recorder, write_expected

APP_ID = "reel_interop_timelines"
RECORDING_ID = "timelines_columns"
T0_NS = 1_650_000_000_000_000_000


def main(out_dir: Path) -> None:
    path = out_dir / "timelines_columns.rrd"
    stream = rr.RecordingStream(APP_ID, recording_id=RECORDING_ID)
    stream.save(path)
    rec = Recorder(stream, application_id=APP_ID, recording_id=RECORDING_ID)

    # Static and temporal rows on the same entity.
    rec.log("robot/status", rr.TextLog("booting", level="DEBUG"), static=True)
    for step in range(-3, 4):
        rec.set_time("step", sequence=step)
        rec.set_time("uptime", duration_ns=step * 2_000_000_000 + 17)
        rec.set_time("clock", timestamp_ns=T0_NS + step * 1_000_000)
        rec.log("robot/status", rr.TextLog(f"step {step}", level="INFO"))
        rec.log(["robot", "arm left", "joint#1"], rr.Scalars([step * 0.5]))
    # Rows without some timelines.
    rec.disable_timeline("uptime")
    rec.log("robot/status", rr.TextLog("no uptime", level="WARN"))
    rec.reset_time()
    rec.log("robot/status", rr.TextLog("only log_time", level="ERROR"))
    rec.set_time("step", sequence=1_000_000_000_000)
    rec.log(["robot", "arm left", "joint#1"], rr.Scalars([1e300, float("nan"), float("inf"),
                                                          -float("inf"), -0.0, 5e-324]))
    # Text that needs escaping in JSON, and text that is not ASCII.
    rec.log("robot/status", rr.TextLog('quote " backslash \\ newline \n tab \t nul \x00 '
                                       "\x7f é 🚀 \u2028", level="INFO"))
    rec.log("robot/status", rr.TextLog("", level=""))

    # Columns: 50 IMU samples on three timelines at once.
    n = 50
    steps = list(range(100, 100 + n))
    rec.send_columns(
        "sensors/imu",
        indexes=[("step", "sequence", steps),
                 ("uptime", "duration", [s * 10_000_000 for s in steps]),
                 ("clock", "timestamp", [T0_NS + s * 10_000_000 for s in steps])],
        columns=rr.Scalars.columns(scalars=np.stack(
            [np.sin(np.arange(n) / 5.0), np.cos(np.arange(n) / 5.0), np.arange(n) * 0.01],
            axis=1).reshape(-1)).partition([3] * n),
    )
    # Point clouds of different sizes per row, colors only in some rows.
    lengths = [1, 4, 0, 2, 3]
    positions = np.arange(sum(lengths) * 3, dtype=np.float32).reshape(-1, 3)
    frames = [0, 1, 2, 3, 4]
    columns = list(rr.Points3D.columns(positions=positions).partition(lengths))
    colors = rr.Points3D.columns(colors=[(255, 0, 0), (0, 255, 0), (0, 0, 255)])
    columns += [rr.ComponentColumn(col.component_descriptor(), col.component_batch,
                                   lengths=[1, 1, 0, 1, 0]) for col in colors]
    rec.send_columns("sensors/lidar", indexes=[("frame", "sequence", frames)], columns=columns)

    stream.flush()
    stream.disconnect()
    write_expected(path, [rec.store])


if __name__ == "__main__":
    main(Path(sys.argv[1]))
