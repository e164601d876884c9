"""The viewer's screenshots of recordings written by the real Python SDK (rerun-sdk 0.41).

Each recording is logged by the real SDK (fixed recording id and name, a `frame` timeline),
rendered headless with `reel --screenshot ... --layout-json ...` (EGL surfaceless) and checked:

- the views Reel picks are the ones Rerun's heuristic picks (view classes and space origins,
  viewer-behavior.md section 1; `reel --dump-blueprint`), and each is laid out in the image
  below a 24 pt tab bar in Rerun's colours;
- the whole image against tests/golden/screenshots/python_<name>.png with a per-channel
  tolerance (REEL_UPDATE_GOLDEN=1 rewrites the references);
- what the views draw, at the places the layout reports: the red point logged at the centre is
  red at the centre of its 3D view; the image's pixels appear scaled in its 2D view; the series
  line is drawn in its series colour; the text log shows rows; the camera's image shows in the
  camera's 2D view.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from conftest import CRASH_MARKERS, REPO, build_dir, sdk_env, tool_env

PY = sys.executable
GOLDEN = REPO / "tests" / "golden" / "screenshots"
W, H = 960, 540

PRELUDE = r'''
import sys
import numpy as np
import rerun as rr
rr.init("reel_screenshot_{name}", recording_id="reel-screenshot-{name}", spawn=False)
rr.save(sys.argv[1])
rr.send_recording_name("{name}")
'''

SCRIPTS = {
    "points3d": r'''
rr.set_time("frame", sequence=0)
rr.log("points", rr.Points3D([[0.0, 0.0, 0.0]], colors=[[255, 0, 0]], radii=[0.5]))
''',
    "image": r'''
img = np.zeros((4, 4, 3), dtype=np.uint8)
img[:, :2] = [255, 0, 0]     # left half red
img[:, 2:] = [0, 0, 255]     # right half blue
rr.set_time("frame", sequence=0)
rr.log("image", rr.Image(img))
''',
    "scalars": r'''
rr.log("plot/line", rr.SeriesLines(colors=[[0, 255, 0]], widths=[2.0]), static=True)
for i in range(50):
    rr.set_time("frame", sequence=i)
    rr.log("plot/line", rr.Scalars(np.sin(i / 8.0)))
''',
    "text_logs": r'''
for i in range(12):
    rr.set_time("frame", sequence=i)
    rr.log("logs", rr.TextLog(f"message number {i}", level=rr.TextLogLevel.INFO))
''',
    "pinhole_image": r'''
rr.set_time("frame", sequence=0)
rr.log("world/camera", rr.Pinhole(focal_length=60.0, width=64, height=48))
img = np.zeros((48, 64, 3), dtype=np.uint8)
img[:, :] = [0, 200, 0]
rr.log("world/camera/image", rr.Image(img))
''',
}

# What Rerun's heuristic spawns for each (viewer-behavior.md 1.3-1.5): (class, origin).
EXPECTED_VIEWS = {
    "points3d": [("3D", "/")],
    "image": [("2D", "/image")],
    "scalars": [("TimeSeries", "/plot/line")],
    "text_logs": [("TextLog", "/")],
    # The camera makes a 3D view at / (pinhole child subspace) and a 2D view for the image
    # (the image-split recursion keeps the single child view, as in Rerun).
    "pinhole_image": [("2D", "/world/camera/image"), ("3D", "/")],
}


def reel_bin() -> Path:
    path = build_dir() / "reel"
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail(f"{path} is missing: build it (make build)", pytrace=False)
    return path


def run_reel(*args: str) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(reel_bin()), *args], capture_output=True, env=tool_env(),
                          timeout=300)
    stderr = proc.stderr.decode("utf-8", "replace")
    for marker in CRASH_MARKERS:
        assert marker not in stderr, stderr
    assert proc.returncode == 0, f"reel {' '.join(args)}: exit {proc.returncode}\n{stderr}"
    return proc


class Shot:
    def __init__(self, name: str, tmp: Path):
        self.name = name
        rrd = tmp / f"{name}.rrd"
        script = PRELUDE.replace("{name}", name) + SCRIPTS[name]
        sdk = subprocess.run([PY, "-c", script, str(rrd)], capture_output=True, env=sdk_env(),
                             timeout=120)
        assert sdk.returncode == 0, sdk.stderr.decode("utf-8", "replace")
        self.rrd = rrd
        png, layout = tmp / f"{name}.png", tmp / f"{name}.json"
        run_reel("--screenshot", str(png), "--size", f"{W}x{H}", "--layout-json", str(layout),
                 str(rrd))
        self.png = png
        self.pixels = np.asarray(Image.open(png).convert("RGBA")).astype(np.int32)
        self.layout = json.loads(layout.read_text())
        self.blueprint = json.loads(run_reel("--dump-blueprint", str(rrd)).stdout)

    def view(self, cls: str) -> list[int]:
        for v in self.layout["views"]:
            if v["class"] == cls:
                return [int(round(x)) for x in v["rect"]]
        raise AssertionError(f"no {cls} view in the layout: {self.layout}")

    def region(self, rect: list[int]) -> np.ndarray:
        x0, y0, x1, y1 = rect
        return self.pixels[y0:y1, x0:x1, :3]


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> dict[str, Shot]:
    tmp = tmp_path_factory.mktemp("screenshots")
    return {name: Shot(name, tmp) for name in SCRIPTS}


def near(pixel, rgb, tol: int = 40) -> bool:
    return all(abs(int(pixel[i]) - rgb[i]) <= tol for i in range(3))


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_heuristic_views_match_rerun(shots, name):
    shot = shots[name]
    got = sorted((v["class"], v["origin"]) for v in shot.blueprint["views"])
    assert got == sorted(EXPECTED_VIEWS[name])
    assert shot.blueprint["application_id"] == f"reel_screenshot_{name}"
    laid_out = sorted((v["class"], v["origin"]) for v in shot.layout["views"])
    assert laid_out == got, "every view is drawn in the screenshot"


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_viewer_chrome_and_tab_bars(shots, name):
    shot = shots[name]
    p = shot.pixels
    assert p.shape == (H, W, 4)
    assert near(p[1, W // 2], (0x0d, 0x0d, 0x0d), 3), "top bar fill #0d0d0d"
    assert near(p[H - 2, 2], (0x17, 0x17, 0x17), 3), "time panel fill #171717"
    for v in shot.layout["views"]:
        x0, y0, x1, y1 = [int(round(c)) for c in v["rect"]]
        assert y0 >= 28 + 24 and x1 <= W and y1 <= H and x1 - x0 > 50 and y1 - y0 > 50
        row = p[y0 - 3, x0:x1, :3]
        tab = np.all(np.abs(row - 0x21) <= 3, axis=1) | np.all(np.abs(row - 0x0d) <= 3, axis=1)
        assert tab.mean() > 0.4, f"a 24 pt tab bar (#212121) above the {v['class']} view"


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_screenshot_matches_reference(shots, name):
    shot = shots[name]
    golden = GOLDEN / f"python_{name}.png"
    rgba = shot.pixels.astype(np.uint8)
    if os.environ.get("REEL_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(rgba, "RGBA").save(golden)
        return
    assert golden.is_file(), f"{golden} is missing: make it with REEL_UPDATE_GOLDEN=1"
    ref = np.asarray(Image.open(golden).convert("RGBA")).astype(np.int32)
    assert ref.shape == shot.pixels.shape
    bad = (np.abs(ref - shot.pixels).max(axis=2) > 12).mean()
    if bad > 0.01:
        actual = build_dir() / f"python_{name}.actual.png"
        Image.fromarray(rgba, "RGBA").save(actual)
        pytest.fail(f"{bad:.2%} of the pixels differ from {golden} (allowed 1%); "
                    f"the rendering is in {actual}")


def test_red_point_is_red_at_the_centre_of_its_view(shots):
    shot = shots["points3d"]
    x0, y0, x1, y1 = shot.view("3D")
    cx, cy = (x0 + x1) // 2, (y0 + y1) // 2
    centre = shot.pixels[cy - 2:cy + 3, cx - 2:cx + 3, :3].reshape(-1, 3)
    assert any(near(px, (255, 0, 0), 60) for px in centre), centre


def test_image_pixels_appear_scaled_in_the_2d_view(shots):
    shot = shots["image"]
    x0, y0, x1, y1 = shot.view("2D")
    cx, cy = (x0 + x1) // 2, (y0 + y1) // 2
    side = min(x1 - x0, y1 - y0)
    left = shot.pixels[cy, cx - side // 5, :3]
    right = shot.pixels[cy, cx + side // 5, :3]
    assert near(left, (255, 0, 0)), left
    assert near(right, (0, 0, 255)), right
    # Scaled up: 4 image pixels become a large block of one colour.
    red = np.all(np.abs(shot.region([x0, y0, x1, y1]) - [255, 0, 0]) <= 40, axis=2)
    assert red.sum() > (side // 4) ** 2


def test_time_series_line_is_drawn_in_its_series_colour(shots):
    shot = shots["scalars"]
    region = shot.region(shot.view("TimeSeries"))
    green = (region[:, :, 1] > 180) & (region[:, :, 0] < 90) & (region[:, :, 2] < 90)
    assert green.sum() > 60, "the series line in #00ff00"
    # It spans the plot horizontally.
    cols = np.nonzero(green.any(axis=0))[0]
    assert cols.max() - cols.min() > region.shape[1] * 0.5


def test_text_log_shows_rows(shots):
    shot = shots["text_logs"]
    region = shot.region(shot.view("TextLog"))
    text_rows = (region.min(axis=2) > 90).sum(axis=1) > 3
    bands = int(np.sum(text_rows[1:] & ~text_rows[:-1]))
    assert bands >= 5, f"{bands} rows of text"


def test_camera_image_shows_in_its_2d_view(shots):
    shot = shots["pinhole_image"]
    region = shot.region(shot.view("2D"))
    green = (region[:, :, 1] > 150) & (region[:, :, 0] < 60) & (region[:, :, 2] < 60)
    assert green.mean() > 0.2


BLUEPRINT_SCRIPT = r'''
import sys
import rerun.blueprint as rrb
rrb.Blueprint(
    rrb.Horizontal(rrb.Spatial3DView(origin="/", name="My points"),
                   rrb.TextLogView(origin="/", name="Logs"), column_shares=[3, 1]),
    auto_views=False,
).save("reel_screenshot_points3d", sys.argv[1])
'''


def test_blueprint_file_sets_the_layout(shots, tmp_path):
    """`--blueprint B.rbl` (written by the real SDK) replaces the heuristic layout: two views
    side by side with the 3:1 column shares it asks for."""
    rbl = tmp_path / "layout.rbl"
    sdk = subprocess.run([PY, "-c", BLUEPRINT_SCRIPT, str(rbl)], capture_output=True,
                         env=sdk_env(), timeout=120)
    assert sdk.returncode == 0, sdk.stderr.decode("utf-8", "replace")
    rrd = shots["points3d"].rrd
    dump = json.loads(run_reel("--dump-blueprint", "--blueprint", str(rbl), str(rrd)).stdout)
    assert sorted((v["class"], v["name"]) for v in dump["views"]) == [("3D", "My points"),
                                                                     ("TextLog", "Logs")]
    png, layout = tmp_path / "bp.png", tmp_path / "bp.json"
    run_reel("--screenshot", str(png), "--size", f"{W}x{H}", "--blueprint", str(rbl),
             "--layout-json", str(layout), str(rrd))
    rects = {v["class"]: v["rect"] for v in json.loads(layout.read_text())["views"]}
    left, right = rects["3D"], rects["TextLog"]
    assert left[1] == right[1] and left[2] <= right[0], "side by side, 3D first"
    width_ratio = (left[2] - left[0]) / (right[2] - right[0])
    assert 2.6 < width_ratio < 3.4, width_ratio
