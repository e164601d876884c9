"""Writes files with more than one store, with the real Rerun SDK:
  with_blueprint.rrd      a recording saved with a default blueprint (rr.save(...,
                          default_blueprint=...)): a blueprint store, its activation, then
                          the recording store;
  layout.rbl              the blueprint alone (Blueprint.save);
  two_recordings.rrd      two recordings of one application, as two concatenated streams
                          (what `cat a.rrd b.rrd` gives; Rerun reads it as one input);
  two_recordings_merged.rrd  the same two recordings as one stream, written by the real
                          `rerun rrd merge` (CLI) — only when the rerun CLI is found.
Each .rrd/.rbl gets a <name>.expected.json (see _common.py). Blueprint stores are described
by what the layout must contain (view classes and origins, container kinds); their entity
paths are random UUIDs.

    python blueprint_stores.py OUT_DIR
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import rerun as rr
import rerun.blueprint as rrb
from _common import Recorder, write_expected

APP_ID = "reel_interop_stores"


def layout() -> rrb.Blueprint:
    return rrb.Blueprint(
        rrb.Horizontal(
            rrb.Spatial3DView(origin="/world", name="3D scene"),
            rrb.Vertical(rrb.TimeSeriesView(origin="/plots", name="Plots"),
                         rrb.TextLogView(origin="/logs", name="Log")),
            column_shares=[2, 1],
        ),
        collapse_panels=True,
    )


LAYOUT_EXPECTED = {
    "views": [{"class_identifier": "3D", "space_origin": "/world", "display_name": "3D scene"},
              {"class_identifier": "TimeSeries", "space_origin": "/plots", "display_name": "Plots"},
              {"class_identifier": "TextLog", "space_origin": "/logs", "display_name": "Log"}],
    "containers": 2,
}


def blueprint_store(recording_id: str | None, make_active: bool, make_default: bool) -> dict:
    return {"kind": "blueprint", "application_id": APP_ID, "recording_id": recording_id,
            "blueprint": dict(LAYOUT_EXPECTED, make_active=make_active,
                              make_default=make_default)}


def small_recording(stream: rr.RecordingStream, recording_id: str, seed: int) -> dict:
    rec = Recorder(stream, application_id=APP_ID, recording_id=recording_id)
    rec.log("world", rr.ViewCoordinates.RIGHT_HAND_Z_UP, static=True)
    for frame in range(3):
        rec.set_time("frame", sequence=frame + seed)
        rec.log("world/points", rr.Points3D(np.full((2 + frame, 3), seed + frame, np.float32),
                                            radii=0.1))
        rec.log("plots/value", rr.Scalars([seed * 10.0 + frame]))
        rec.log("logs", rr.TextLog(f"{recording_id}: frame {frame}"))
    return rec.store


def main(out_dir: Path) -> None:
    # 1. Recording + default blueprint in one file.
    path = out_dir / "with_blueprint.rrd"
    stream = rr.RecordingStream(APP_ID, recording_id="rec_with_blueprint")
    stream.save(path, default_blueprint=layout())
    store = small_recording(stream, "rec_with_blueprint", 1)
    stream.flush()
    stream.disconnect()
    write_expected(path, [blueprint_store(None, False, True), store])

    # 2. The blueprint alone.
    rbl = out_dir / "layout.rbl"
    layout().save(APP_ID, rbl)
    write_expected(rbl, [blueprint_store(None, True, True)])

    # 3. Two recordings, concatenated streams.
    parts, stores = [], []
    for index, recording_id in enumerate(["first_recording", "second_recording"]):
        part = out_dir / f"_part{index}.rrd"
        stream = rr.RecordingStream(APP_ID, recording_id=recording_id)
        stream.save(part)
        stores.append(small_recording(stream, recording_id, 5 * (index + 1)))
        stream.flush()
        stream.disconnect()
        parts.append(part)
    both = out_dir / "two_recordings.rrd"
    both.write_bytes(b"".join(p.read_bytes() for p in parts))
    write_expected(both, stores)

    # 4. The same two as one stream, merged by the real CLI.
    rerun_cli = (shutil.which("rerun", path=str(Path(sys.executable).parent))
                 or shutil.which("rerun"))
    if rerun_cli:
        merged = out_dir / "two_recordings_merged.rrd"
        with merged.open("wb") as out:
            subprocess.run([rerun_cli, "rrd", "merge", *map(str, parts)], stdout=out, check=True,
                           env=dict(os.environ, CI="1"), timeout=120)
        write_expected(merged, stores)
    for part in parts:
        part.unlink()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
