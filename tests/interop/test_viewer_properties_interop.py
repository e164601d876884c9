"""View properties and the time cursor against the real Rerun 0.41.

(a) A blueprint the real Python SDK writes with view properties (EyeControls3D position, look
    target, up and kind; VisualBounds2D; TimeAxis view range; ScalarAxis range; PlotLegend) is
    read by Reel (`reel FILE --blueprint X.rbl --dump-blueprint` prints the properties the
    views read, at /view/<uuid>/<Archetype>, app_views.c's mapping).
(b) A camera orbited in Reel's app (tests/app/test_app_properties.c, which saves its blueprint
    to $REEL_TEST_PROPERTIES_RBL) is an EyeControls3D written with Rerun's components: the .rbl
    passes `rerun rrd verify`, rerun's reader sees the eye, and Reel reads back the same values.
(c) `--time` on a nanosecond timestamp timeline is exact (integers and decimal seconds).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CRASH_MARKERS, build_dir, sdk_env, tool_env
from test_viewer_blueprint_interop import read_blueprint_with_rerun

PY = sys.executable
APP = "props_app"
T_LAST = 1763800000123456789  # ns: far beyond a double's exact integers

RECORDING_SCRIPT = r'''
import sys
import numpy as np
import rerun as rr
rr.init(sys.argv[2], recording_id="props_rec")
rr.save(sys.argv[1])
for k in range(5):
    rr.set_time("frame", sequence=k)
    rr.set_time("t", timestamp=np.datetime64(int(sys.argv[3]) - 4 + k, "ns"))
    rr.log("points", rr.Points3D([[k, 0, 0]]))
    rr.log("img", rr.Image(np.zeros((4, 6, 3), dtype=np.uint8)))
    rr.log("plot", rr.Scalars(float(k)))
    rr.log("log", rr.TextLog("line %d" % k))
'''

BLUEPRINT_SCRIPT = r'''
import sys
import rerun as rr
import rerun.blueprint as rrb
bp = rrb.Blueprint(rrb.Horizontal(
    rrb.Spatial3DView(origin="/", name="v3", eye_controls=rrb.EyeControls3D(
        position=[1, 2, 3], look_target=[0.5, 0, -1], eye_up=[0, 0, 1], kind=rrb.Eye3DKind.Orbital)),
    rrb.Spatial2DView(origin="/img", name="v2",
                      visual_bounds=rrb.VisualBounds2D(x_range=[-4, 640], y_range=[8, 480])),
    rrb.TimeSeriesView(origin="/plot", name="ts", axis_y=rrb.ScalarAxis(range=(-1.5, 2.5)),
                       plot_legend=rrb.PlotLegend(visible=False),
                       axis_x=rrb.TimeAxis(view_range=rr.TimeRange(
                           start=rr.TimeRangeBoundary.absolute(seq=1),
                           end=rr.TimeRangeBoundary.cursor_relative(seq=2)))),
    rrb.TextLogView(origin="/log", name="log")),
    auto_layout=False, auto_views=False)
bp.save(sys.argv[2], sys.argv[1])
'''


def reel() -> Path:
    path = build_dir() / "reel"
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail(f"{path} is missing: build it (make)", pytrace=False)
    return path


def run_checked(args: list[str], env: dict[str, str]) -> str:
    proc = subprocess.run(args, capture_output=True, env=env, timeout=120)
    stderr = proc.stderr.decode("utf-8", "replace")
    for marker in CRASH_MARKERS:
        assert marker not in stderr, stderr
    assert proc.returncode == 0, f"{args[0]}: exit {proc.returncode}\n{stderr}"
    return proc.stdout.decode("utf-8")


def dump(*args: str) -> dict:
    return json.loads(run_checked([str(reel()), *args, "--dump-blueprint"], tool_env()))


@pytest.fixture(scope="module")
def recording(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("props") / "rec.rrd"
    run_checked([PY, "-c", RECORDING_SCRIPT, str(path), APP, str(T_LAST)], sdk_env())
    return path


def test_viewer_reads_rerun_view_properties(tmp_path: Path, recording: Path):
    rbl = tmp_path / "props.rbl"
    run_checked([PY, "-c", BLUEPRINT_SCRIPT, str(rbl), APP], sdk_env())
    out = dump(str(recording), "--blueprint", str(rbl))
    views = {v["name"]: v for v in out["views"]}
    eye = views["v3"]["properties"]
    assert eye["EyeControls3D:position"]["f"] == [1, 2, 3]
    assert eye["EyeControls3D:look_target"]["f"] == [0.5, 0, -1]
    assert eye["EyeControls3D:eye_up"]["f"] == [0, 0, 1]
    assert eye["EyeControls3D:kind"]["i"] == [2]  # Orbital
    assert views["v2"]["properties"]["VisualBounds2D:range"]["f"] == [-4, 640, 8, 480]
    ts = views["ts"]["properties"]
    assert ts["ScalarAxis:range"]["f"] == [-1.5, 2.5]
    assert ts["PlotLegend:visible"]["i"] == [0]
    # TimeRange boundaries as (type code, value): Absolute = 2, CursorRelative = 1.
    assert ts["TimeAxis:view_range"]["i"] == [2, 1, 1, 2]
    assert views["log"]["properties"] == {}


def test_viewer_saved_camera_opens_in_rerun(tmp_path: Path, recording: Path):
    test_binary = build_dir() / "tests" / "app" / "test_app_properties"
    if not (test_binary.is_file() and os.access(test_binary, os.X_OK)):
        pytest.fail(f"{test_binary} is missing: build it (make)", pytrace=False)
    rbl = tmp_path / "orbited.rbl"
    run_checked([str(test_binary)], tool_env(REEL_TEST_PROPERTIES_RBL=str(rbl)))
    assert rbl.is_file()
    verify = subprocess.run([str(Path(PY).parent / "rerun"), "rrd", "verify", str(rbl)],
                            capture_output=True, env=sdk_env(), timeout=120)
    assert verify.returncode == 0, verify.stderr.decode("utf-8", "replace")
    _, values = read_blueprint_with_rerun(rbl)
    eyes = {entity: v for (entity, component), v in values.items()
            if component == "EyeControls3D:position" and v}
    assert len(eyes) == 1, values.keys()
    entity, position = next(iter(eyes.items()))
    assert entity.startswith("/view/") and entity.endswith("/EyeControls3D")
    assert len(position) == 1 and len(position[0]) == 3
    assert len(values[(entity, "EyeControls3D:look_target")][0]) == 3
    assert len(values[(entity, "EyeControls3D:eye_up")][0]) == 3
    assert values[(entity, "EyeControls3D:kind")] == [2]
    # Reel reads back what rerun sees (the test logs under app id "app").
    view_id = entity.split("/")[2]
    rec = tmp_path / "app.rrd"
    run_checked([PY, "-c", RECORDING_SCRIPT, str(rec), "app", str(T_LAST)], sdk_env())
    out = dump(str(rec), "--blueprint", str(rbl))
    view = next(v for v in out["views"] if v["id"] == view_id)
    assert view["properties"]["EyeControls3D:position"]["f"] == pytest.approx(position[0])


@pytest.mark.parametrize("spelling", [str(T_LAST), "1763800000.123456789s", "1763800000.123456789"])
def test_viewer_time_flag_is_exact_on_timestamps(recording: Path, spelling: str):
    out = dump(str(recording), "--timeline", "t", "--time", spelling)
    assert out["time"] == {"timeline": "t", "cursor": T_LAST}
    out = dump(str(recording), "--timeline", "t", "--time", str(T_LAST - 3))
    assert out["time"]["cursor"] == T_LAST - 3


def test_viewer_cursor_sits_exactly_at_the_last_timestamp(recording: Path):
    # Without --time the dump places the cursor where the file's playback starts; with the
    # timeline picked and the end requested through --time, the last row is at the cursor.
    out = dump(str(recording), "--timeline", "t", "--time", str(T_LAST + 1000))
    assert out["time"]["cursor"] == T_LAST  # clamped to the data, exactly
