"""`reel rerun+http://host:port/proxy`: the viewer reads a proxy's ReadMessages stream.

(a) The real Python SDK logs into `reel serve`; `reel --dump-blueprint URL` (a late reader:
    the history replay) shows the recording with the SDK's blueprint and entities, and
    `reel --screenshot out.png --layout-json URL` draws its views with content in them.
(b) Live: the viewer connects first, to a proxy with nothing in it yet, and the SDK logs
    afterwards; the data arrives over the open call.
(c) The same against the real `rerun --serve-grpc` (Rerun's own proxy).
(d) A malformed or unsupported URL is a clear error line (exit 1); a proxy that is not
    there is retried until --wait runs out, then a clear error with the reason (exit 2).

Servers get ephemeral or random ports and are killed in `finally` blocks; every wait has a
timeout. CI=1 keeps Rerun's analytics off.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import sdk_env, tool_env

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_grpc_interop import ReelServe, assert_no_crash, free_port, stop, wait_port  # noqa: E402

APP_ID = "reel_read_url"

LOG_SCRIPT = r'''
import sys
import numpy as np
import rerun as rr
import rerun.blueprint as rrb

url, frames = sys.argv[1], int(sys.argv[2])
rr.init("reel_read_url", recording_id="read_url_rec")
blueprint = rrb.Blueprint(rrb.Horizontal(rrb.Spatial3DView(origin="/world"),
                                         rrb.TimeSeriesView(origin="/plot")))
rr.connect_grpc(url, default_blueprint=blueprint)
rr.log("world/origin", rr.Points3D([[0, 0, 0]], colors=[[255, 0, 0]], radii=0.5), static=True)
for i in range(frames):
    rr.set_time("frame", sequence=i)
    rr.log("world/points", rr.Points3D(np.arange(30, dtype=np.float32).reshape(10, 3) * 0.1 * i,
                                       colors=[[0, 255, 0]], radii=0.2))
    rr.log("plot/sin", rr.Scalars(np.sin(i / 10.0)))
rr.disconnect()
'''


def log_into(tmp_path: Path, url: str, frames: int = 30) -> None:
    script = tmp_path / "log_read_url.py"
    script.write_text(LOG_SCRIPT)
    proc = subprocess.run([sys.executable, str(script), url, str(frames)], capture_output=True,
                          env=sdk_env(), timeout=120)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")


def run_reel(reel: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(reel), *args], capture_output=True, env=tool_env(),
                          timeout=timeout)
    assert_no_crash("reel", proc.returncode, proc.stderr.decode(errors="replace"))
    return proc


def assert_blueprint(dump: dict) -> None:
    assert dump["application_id"] == APP_ID
    assert dump["recording_id"] == "read_url_rec"
    classes = sorted(v["class"] for v in dump["views"])
    assert classes == ["3D", "TimeSeries"], dump["views"]
    by_class = {v["class"]: v for v in dump["views"]}
    assert by_class["3D"]["origin"] == "/world"
    assert "/world/points" in by_class["3D"]["entities"]
    assert "/world/origin" in by_class["3D"]["entities"]
    assert by_class["TimeSeries"]["entities"] == ["/plot/sin"]
    assert [c["kind"] for c in dump["containers"]] == ["Horizontal"]


def dump_blueprint(reel: Path, url: str, wait: float = 30) -> dict:
    proc = run_reel(reel, "--dump-blueprint", "--wait", str(wait), url)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    return json.loads(proc.stdout)


def assert_screenshot(reel: Path, url: str, tmp_path: Path) -> None:
    png, layout = tmp_path / "url.png", tmp_path / "url_layout.json"
    proc = run_reel(reel, "--screenshot", str(png), "--size", "960x540", "--frames", "4",
                    "--layout-json", str(layout), "--wait", "30", url)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    views = json.loads(layout.read_text())["views"]
    assert sorted(v["class"] for v in views) == ["3D", "TimeSeries"]
    from PIL import Image

    image = Image.open(png).convert("RGB")
    assert image.size == (960, 540)
    # The plot draws the SDK's series: coloured (non-grey) pixels inside its rectangle, where
    # an empty plot has only grey grid lines and labels.
    x0, y0, x1, y1 = (int(c) for c in
                      next(v for v in views if v["class"] == "TimeSeries")["rect"])
    plot = image.crop((x0, y0, x1, y1))
    coloured = sum(1 for x in range(plot.width) for y in range(plot.height)
                   if max(plot.getpixel((x, y))) - min(plot.getpixel((x, y))) > 60)
    assert coloured > 100, f"no series drawn in the plot ({coloured} coloured pixels)"


# ---------------------------------------------------------------- (a) late reader of reel serve


def test_viewer_reads_reel_serve_history(reel, tmp_path):
    server = ReelServe(reel)
    try:
        log_into(tmp_path, server.url)
        assert_blueprint(dump_blueprint(reel, server.url))
        assert_screenshot(reel, server.url, tmp_path)
    finally:
        code, err = server.stop()
    assert code == 0, err


# ---------------------------------------------------------------- (b) live


def test_viewer_reads_reel_serve_live(reel, tmp_path):
    server = ReelServe(reel)
    viewer = None
    try:
        viewer = subprocess.Popen([str(reel), "--dump-blueprint", "--wait", "60", server.url],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=tool_env())
        time.sleep(1.0)  # connected, nothing to read yet
        assert viewer.poll() is None, stop(viewer)[1]
        log_into(tmp_path, server.url)
        out, err = viewer.communicate(timeout=90)
        assert_no_crash("reel", viewer.returncode, err.decode(errors="replace"))
        assert viewer.returncode == 0, err.decode(errors="replace")
        assert_blueprint(json.loads(out))
    finally:
        if viewer is not None and viewer.poll() is None:
            stop(viewer)
        code, err = server.stop()
    assert code == 0, err


# ---------------------------------------------------------------- (c) the real rerun --serve-grpc


def test_viewer_reads_real_rerun_serve_grpc(reel, rerun_cli, tmp_path):
    port = free_port()
    server = subprocess.Popen([str(rerun_cli), "--serve-grpc", "--port", str(port), "--bind",
                               "127.0.0.1"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=sdk_env())
    try:
        wait_port(port)
        url = f"rerun+http://127.0.0.1:{port}/proxy"
        log_into(tmp_path, url)
        assert_blueprint(dump_blueprint(reel, url))
        assert_screenshot(reel, url, tmp_path)
    finally:
        stop(server)


# ---------------------------------------------------------------- (d) errors


@pytest.mark.parametrize("url,reason", [
    ("http://127.0.0.1:9876/proxy", "scheme"),
    ("rerun+https://127.0.0.1:9876/proxy", "TLS"),
    ("rerun+http://127.0.0.1:9876/catalog", "/proxy"),
    ("rerun+http://127.0.0.1:99999/proxy", "port"),
])
def test_viewer_bad_url_is_a_clear_error(reel, url, reason):
    proc = run_reel(reel, "--dump-blueprint", url, timeout=30)
    err = proc.stderr.decode(errors="replace")
    assert proc.returncode == 1, err
    assert err.startswith(f"reel: {url}: "), err
    assert reason in err, err
    assert len(err.strip().splitlines()) == 1, err


def test_viewer_url_without_server_gives_up_with_the_reason(reel):
    url = f"rerun+http://127.0.0.1:{free_port()}/proxy"
    started = time.monotonic()
    proc = run_reel(reel, "--dump-blueprint", "--wait", "1.5", url, timeout=30)
    elapsed = time.monotonic() - started
    err = proc.stderr.decode(errors="replace")
    assert proc.returncode == 2, err
    assert "no data within 1.5 s" in err and "refused" in err, err
    assert elapsed < 10, elapsed
