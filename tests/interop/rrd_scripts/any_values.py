"""Writes user-defined components with the real Rerun SDK (rr.AnyValues and
rr.DynamicArchetype): Arrow types no Rerun component uses but the format allows.
  any_values.rrd              large_string, large_list, binary, float16, timestamp[us],
                              date32, structs, nested lists, nulls;
  any_values_user_types.rrd   maps, decimals (32 to 256 bits, negative scales) and
                              dictionary-encoded columns (int8/int32 indices, nested in lists);
  any_values_unsupported.rrd  view, run-end encoded and interval columns, which Reel's Arrow
                              module does not decode (the real tool accepts them).
Each gets a <name>.expected.json (see _common.py).

    python any_values.py OUT_DIR
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import rerun as rr
from _common import Recorder, write_expected

APP_ID = "reel_interop_any_values"


def supported(rec: Recorder) -> None:
    rec.log("config", rr.AnyValues(
        robot_name=pa.array(["unit-7"], pa.large_string()),
        firmware=pa.array([b"\x00\x01\xfe\xff"], pa.binary()),
        calibrated=pa.array([True]),
    ), static=True)
    for frame in range(3):
        rec.set_time("frame", sequence=frame)
        rec.set_time("clock", timestamp_ns=1_600_000_000_000_000_000 + frame * 1000)
        rec.log("telemetry", rr.AnyValues(
            temperature=pa.array([20.5 + frame, None, 22.0], pa.float64()),
            half=pa.array(np.array([0.5, -2.0], np.float16)),
            readings=pa.array([[1, 2, 3], [], None, [frame]], pa.large_list(pa.int64())),
            sampled_at=pa.array([frame * 1000, frame * 1000 + 1], pa.timestamp("us")),
            day=pa.array([19000 + frame], pa.date32()),
        ))
        rec.log("telemetry", rr.DynamicArchetype("Battery", components={
            "cells": pa.array([{"id": 1, "volts": 3.7 + frame / 10, "tags": ["a", "b"]},
                               {"id": 2, "volts": None, "tags": []}]),
            "state": pa.array(["charging" if frame % 2 else "idle"]),
        }))


def user_types(rec: Recorder) -> None:
    rec.set_time("frame", sequence=0)
    rec.log("odd/map", rr.AnyValues(settings=pa.array([[("gain", 3), ("offset", -1)]],
                                                       pa.map_(pa.string(), pa.int64()))))
    rec.log("odd/dictionary", rr.AnyValues(
        label=pa.array(["cat", "dog", "cat"]).dictionary_encode()))
    rec.log("odd/decimal", rr.AnyValues(price=pa.array([1, 250], pa.decimal128(10, 2))))
    rec.set_time("frame", sequence=1)
    rec.log("odd/more", rr.AnyValues(
        lists=pa.array([[("a", [1, 2]), ("b", None)], None, []],
                       pa.map_(pa.string(), pa.list_(pa.int64()))),
        small=pa.DictionaryArray.from_arrays(pa.array([0, None, 1, 1], pa.int8()),
                                             pa.array(["x", "y"])),
        nested=pa.array([["u", "v"], None, ["u"]], pa.list_(pa.dictionary(pa.int32(),
                                                                          pa.string()))),
        wide=pa.array([Decimal("-12345678901234567890.12345"), None], pa.decimal256(40, 5)),
        coarse=pa.array([Decimal("1.2E+4"), Decimal("-3E+3")], pa.decimal64(10, -3)),
        tiny=pa.array([Decimal("0.01"), None], pa.decimal32(3, 2)),
    ))
    rec.log("odd/plain", rr.Scalars([1.0]))


def unsupported(rec: Recorder) -> None:
    rec.set_time("frame", sequence=0)
    rec.log("odd/view", rr.AnyValues(
        text=pa.array(["short", "a longer string view"], pa.string_view())))
    rec.log("odd/run_end", rr.AnyValues(runs=pc.run_end_encode(pa.array([1, 1, 2]))))
    rec.log("odd/interval", rr.AnyValues(
        span=pa.array([pa.MonthDayNano([1, 2, 3])], pa.month_day_nano_interval())))
    rec.log("odd/plain", rr.Scalars([1.0]))


def main(out_dir: Path) -> None:
    for name, fill in (("any_values", supported), ("any_values_user_types", user_types),
                       ("any_values_unsupported", unsupported)):
        path = out_dir / f"{name}.rrd"
        stream = rr.RecordingStream(APP_ID, recording_id=name)
        stream.save(path)
        rec = Recorder(stream, application_id=APP_ID, recording_id=name)
        fill(rec)
        stream.flush()
        stream.disconnect()
        write_expected(path, [rec.store])


if __name__ == "__main__":
    main(Path(sys.argv[1]))
