"""The viewer on odd recordings the real Python SDK writes: static-only data, empty batches,
NaNs, huge coordinates, durations, negative sequences, a lone Clear, a 1x1 image, an all-zero
depth image, a 10,000-character log line, thirty timelines, a lone pinhole, a mesh indexing a
missing vertex, an infinite translation, and one sample at a nanosecond timestamp (which once
made the time-series ticks loop forever). Each must render with `reel --screenshot` in
seconds, exit 0, write a PNG of the asked size and trip no sanitizer.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from conftest import CRASH_MARKERS, build_dir, sdk_env, tool_env

CASES = {
    "static_only": 'r.log("p", rr.Points3D([[0, 0, 0]]), static=True)',
    "empty_points": 'r.set_time("f", sequence=0); r.log("p", rr.Points3D(np.zeros((0, 3))))',
    "nan_scalars": ('for i in range(5):\n'
                    '    r.set_time("f", sequence=i)\n'
                    '    r.log("s", rr.Scalars(float("nan") if i % 2 else 1.0))'),
    "huge_points": ('r.set_time("f", sequence=0)\n'
                    'r.log("p", rr.Points3D([[1e30, 1e30, 1e30], [-1e30, 0, 0]]))'),
    "duration": ('for i in range(5):\n'
                 '    r.set_time("d", duration=i * 0.5)\n'
                 '    r.log("s", rr.Scalars(i))'),
    "negative_sequence": ('for i in range(3):\n'
                          '    r.set_time("f", sequence=-1000 + i)\n'
                          '    r.log("s", rr.Scalars(i))'),
    "clear_only": 'r.set_time("f", sequence=0); r.log("a", rr.Clear(recursive=True))',
    "image_1x1": ('r.set_time("f", sequence=0)\n'
                  'r.log("img", rr.Image(np.zeros((1, 1, 3), dtype=np.uint8)))'),
    "depth_all_zero": ('r.set_time("f", sequence=0)\n'
                       'r.log("d", rr.DepthImage(np.zeros((4, 4), dtype=np.uint16)))'),
    "long_text": 'r.set_time("f", sequence=0); r.log("t", rr.TextLog("x" * 10000))',
    "thirty_timelines": ('for i in range(30):\n'
                         '    r.set_time(f"t{i}", sequence=i)\n'
                         '    r.log(f"e{i}", rr.Scalars(i))'),
    "pinhole_only": ('r.set_time("f", sequence=0)\n'
                     'r.log("cam", rr.Pinhole(focal_length=100, width=64, height=48))'),
    "mesh_missing_vertex": ('r.set_time("f", sequence=0)\n'
                            'r.log("m", rr.Mesh3D(vertex_positions=[[0, 0, 0], [1, 0, 0], [0, 1, 0]],\n'
                            '                     triangle_indices=[[0, 1, 7]]))'),
    "infinite_translation": ('r.set_time("f", sequence=0)\n'
                             'r.log("w", rr.Transform3D(translation=[float("inf"), 0, 0]))\n'
                             'r.log("w/p", rr.Points3D([[0, 0, 0]]))'),
    "one_sample_at_a_timestamp": 'r.log("x", rr.Scalars(1e18))',
}

SCRIPT = '''
import sys
import numpy as np
import rerun as rr
r = rr.RecordingStream("odd", recording_id=sys.argv[2])
r.save(sys.argv[1])
{body}
r.flush()
'''


@pytest.mark.parametrize("name", sorted(CASES))
def test_odd_recording_renders(name: str, tmp_path: Path):
    rrd = tmp_path / f"{name}.rrd"
    script = SCRIPT.format(body=CASES[name])
    subprocess.run([sys.executable, "-c", script, str(rrd), name], check=True, env=sdk_env(),
                   timeout=120)
    png = tmp_path / f"{name}.png"
    proc = subprocess.run([str(build_dir() / "reel"), "--screenshot", str(png), "--size",
                           "640x360", str(rrd)], capture_output=True, text=True,
                          env=tool_env(), timeout=60)
    output = proc.stdout + proc.stderr
    assert not any(marker in output for marker in CRASH_MARKERS), output
    assert proc.returncode == 0, output
    assert Image.open(png).size == (640, 360)
