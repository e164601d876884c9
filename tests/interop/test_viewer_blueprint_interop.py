"""The viewer's data side against the real Rerun 0.41 (tests/viewer/test_viewer_tool.c drives it).

(a) A blueprint the real Python SDK writes (rrb.Blueprint(...).save) is read into Reel's typed
    model with the same views, containers, shares, active tab, flags, panel and time panel state.
(b) A blueprint Reel builds (heuristic + user edits) and saves as .rbl passes
    `rerun rrd verify`, and the real reader (rerun.chunk.RrdReader) sees the same views,
    containers and root as Reel's model.
(c) An .rrd the real SDK writes (points, a pinhole camera with an image, scalars, text logs,
    plus its default blueprint) is ingested: entity db with archetypes, and the SDK blueprint
    becomes the app's default and active blueprint; without it the heuristic spawns the views
    viewer-behavior.md section 1.4 expects.
(d) Live: the real SDK's connect_grpc streams into the viewer's own listener on a free port.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CRASH_MARKERS, build_dir, sdk_env, tool_env

PY = sys.executable


def viewer_tool() -> Path:
    path = build_dir() / "tests" / "viewer" / "test_viewer_tool"
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail(f"{path} is missing: build it (make build, from tests/viewer/test_viewer_tool.c)",
                    pytrace=False)
    return path


def run_tool(*args: str, timeout: float = 120) -> dict:
    proc = subprocess.run([str(viewer_tool()), *args], capture_output=True, env=tool_env(),
                          timeout=timeout)
    stderr = proc.stderr.decode("utf-8", "replace")
    for marker in CRASH_MARKERS:
        assert marker not in stderr, stderr
    assert proc.returncode == 0, stderr
    return json.loads(proc.stdout)


def run_sdk(script: str, *args: str) -> None:
    proc = subprocess.run([PY, "-c", script, *args], capture_output=True, env=sdk_env(),
                          timeout=120)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")


BLUEPRINT_SCRIPT = r'''
import sys
import rerun.blueprint as rrb
bp = rrb.Blueprint(
    rrb.Horizontal(
        rrb.Spatial3DView(origin="/world", name="World", contents=["+ $origin/**", "- /world/skip/**"]),
        rrb.Tabs(rrb.TimeSeriesView(origin="/plot"), rrb.TextLogView(origin="/"), active_tab=1),
        rrb.Grid(rrb.Spatial2DView(origin="/cam", visible=False), grid_columns=2, name="G"),
        column_shares=[2, 1, 1],
    ),
    rrb.TimePanel(timeline="frame", playback_speed=2.0, loop_mode="all", play_state="paused"),
    rrb.BlueprintPanel(state="collapsed"),
    rrb.SelectionPanel(state="hidden"),
    auto_layout=False, auto_views=False,
)
bp.save("viewer_interop_app", sys.argv[1])
'''


def test_viewer_reads_a_rerun_blueprint(tmp_path: Path):
    rbl = tmp_path / "rerun.rbl"
    run_sdk(BLUEPRINT_SCRIPT, str(rbl))
    out = run_tool("dump", str(rbl), "viewer_interop_app")
    assert out["has_default"] is True
    m = out["model"]
    assert m["auto_layout"] is False and m["auto_views"] is False
    views = {v["class"]: v for v in m["views"]}
    assert set(views) == {"3D", "TimeSeries", "TextLog", "2D"}
    assert views["3D"]["name"] == "World" and views["3D"]["origin"] == "/world"
    assert views["3D"]["query"] == ["+ $origin/**", "- /world/skip/**"]
    assert views["TimeSeries"]["origin"] == "/plot" and views["TimeSeries"]["name"] is None
    assert views["TextLog"]["origin"] == "/"
    assert views["2D"]["visible"] is False
    containers = {c["id"]: c for c in m["containers"]}
    root = containers[m["root"]]
    assert root["kind"] == "Horizontal" and root["col_shares"] == [2, 1, 1]
    assert [c["view"] for c in root["children"]] == [True, False, False]
    assert root["children"][0]["id"] == views["3D"]["id"]
    tabs = containers[root["children"][1]["id"]]
    assert tabs["kind"] == "Tabs" and tabs["active_tab"] == 1
    assert [c["id"] for c in tabs["children"]] == [views["TimeSeries"]["id"], views["TextLog"]["id"]]
    grid = containers[root["children"][2]["id"]]
    assert grid["kind"] == "Grid" and grid["grid_columns"] == 2
    assert m["time_panel"] == {"timeline": "frame", "speed": 2, "play_state": 1, "loop_mode": 3,
                               "state": 0}
    assert m["panels"] == {"top": 0, "blueprint": 2, "selection": 1}


def read_blueprint_with_rerun(path: Path):
    """The latest value of every (entity, component) of the file's blueprint, as Rerun reads it."""
    from rerun.chunk import RrdReader

    reader = RrdReader(str(path))
    stores = reader.blueprints()
    assert len(stores) == 1
    latest: dict[tuple[str, str], tuple[float, object]] = {}
    for chunk in reader.stream(store=stores[0]):
        batch = chunk.to_record_batch()
        entity = batch.schema.metadata[b"rerun:entity_path"].decode()
        names = batch.schema.names
        times = batch.column(names.index("blueprint")).to_pylist() if "blueprint" in names else None
        for field, column in zip(batch.schema, batch.columns):
            component = (field.metadata or {}).get(b"rerun:component")
            if component is None:
                continue
            for row, value in enumerate(column.to_pylist()):
                if value is None:
                    continue
                t = float("inf") if times is None else times[row]
                key = (entity, component.decode())
                if key not in latest or latest[key][0] <= t:
                    latest[key] = (t, value)
    return stores[0], {k: v for k, (_, v) in latest.items()}


def test_viewer_saved_rbl_opens_in_rerun(tmp_path: Path):
    rbl = tmp_path / "reel.rbl"
    model = run_tool("save", str(rbl), "reel_saved_app")
    verify = subprocess.run([str(Path(PY).parent / "rerun"), "rrd", "verify", str(rbl)],
                            capture_output=True, env=sdk_env(), timeout=120)
    assert verify.returncode == 0, verify.stderr.decode("utf-8", "replace")
    store, values = read_blueprint_with_rerun(rbl)
    assert store.application_id == "reel_saved_app"
    root_bytes = values[("/viewport", "ViewportBlueprint:root_container")][0]
    root = bytes(root_bytes).hex()
    assert root == model["root"].replace("-", "")

    def cleared(entity: str) -> bool:
        return values.get((entity, "Clear:is_recursive")) == [True]

    # Walk the tree from the root as Rerun's viewer does; compare with Reel's model.
    seen_views = {}
    stack = ["container/" + model["root"]]
    containers_seen = []
    while stack:
        item = stack.pop()
        entity = "/" + item
        if item.startswith("view/"):
            assert not cleared(entity)
            seen_views[item[5:]] = (values[(entity, "ViewBlueprint:class_identifier")][0],
                                    values[(entity, "ViewBlueprint:space_origin")][0],
                                    (values.get((entity, "ViewBlueprint:display_name")) or [None])[0],
                                    values[(entity + "/ViewContents", "ViewContents:query")])
            continue
        kind = values[(entity, "ContainerBlueprint:container_kind")][0]
        contents = values[(entity, "ContainerBlueprint:contents")]
        containers_seen.append((item[10:], kind, contents))
        stack.extend(contents)
    reel_views = {v["id"]: v for v in model["views"]}
    assert set(seen_views) == set(reel_views)
    for vid, (cls, origin, name, query) in seen_views.items():
        v = reel_views[vid]
        assert (cls, origin, name) == (v["class"], v["origin"], v["name"])
        assert query == v["query"]
    assert any(v["name"] == "My 3D" and v["query"][1] == "- /world/hidden/**"
               for v in reel_views.values())
    kinds = {"Tabs": 1, "Horizontal": 2, "Vertical": 3, "Grid": 4}
    reel_containers = {c["id"]: c for c in model["containers"]}
    assert {c[0] for c in containers_seen} == set(reel_containers)
    for cid, kind, contents in containers_seen:
        c = reel_containers[cid]
        assert kind == kinds[c["kind"]]
        assert contents == [("view/" if k["view"] else "container/") + k["id"] for k in c["children"]]
    assert values[("/time_panel", "TimePanelBlueprint:playback_speed")] == [2.0]
    assert values[("/time_panel", "TimePanelBlueprint:loop_mode")] == [3]
    assert values[("/time_panel", "TimePanelBlueprint:timeline")] == ["frame"]
    assert values[("/selection_panel", "PanelBlueprint:state")] == [1]
    assert values[("/viewport", "ViewportBlueprint:auto_layout")] == [False]
    # And Reel reads its own file back to the same model.
    again = run_tool("dump", str(rbl), "reel_saved_app")["model"]
    assert again == model


RECORDING_SCRIPT = r'''
import sys
import numpy as np
import rerun as rr
import rerun.blueprint as rrb
path, with_blueprint = sys.argv[1], sys.argv[2] == "1"
rr.init("viewer_sdk_app", recording_id="viewer_sdk_rec")
blueprint = rrb.Blueprint(rrb.TimeSeriesView(origin="/plot/sin", name="Sine")) if with_blueprint else None
rr.save(path, default_blueprint=blueprint)
rr.log("cam", rr.Pinhole(focal_length=100, width=64, height=48), static=True)
for i in range(5):
    rr.set_time("frame", sequence=i)
    rr.log("world/points", rr.Points3D(np.zeros((3, 3), dtype=np.float32)))
    rr.log("cam/image", rr.Image(np.zeros((48, 64, 3), dtype=np.uint8)))
    rr.log("plot/sin", rr.Scalars(np.sin(i)))
    rr.log("plot/cos", rr.Scalars(np.cos(i)))
    rr.log("logs/a", rr.TextLog(f"frame {i}"))
'''


def test_viewer_ingests_an_sdk_recording_with_heuristics(tmp_path: Path):
    rrd = tmp_path / "sdk.rrd"
    run_sdk(RECORDING_SCRIPT, str(rrd), "0")
    out = run_tool("dump", str(rrd), "viewer_sdk_app", "--heuristic")
    (rec,) = out["recordings"]
    assert rec["app"] == "viewer_sdk_app" and rec["id"] == "viewer_sdk_rec" and not rec["live"]
    ents = rec["entities"]
    assert "rerun.archetypes.Points3D" in ents["/world/points"]
    assert "rerun.archetypes.Pinhole" in ents["/cam"]
    assert "rerun.archetypes.Image" in ents["/cam/image"]
    assert ents["/plot/sin"] == ["rerun.archetypes.Scalars"]
    m = out["model"]
    assert m["auto_views"] and m["auto_layout"]
    got = sorted((v["class"], v["origin"]) for v in m["views"])
    # 2D at /cam/image: Rerun's image-split recursion keeps the single child view (see
    # tests/viewer/test_viewer_heuristic.c, pinhole_camera_gives_3d_at_root_and_2d_at_camera).
    assert got == [("2D", "/cam/image"), ("3D", "/"), ("TextLog", "/"), ("TimeSeries", "/plot/cos"),
                   ("TimeSeries", "/plot/sin")]
    containers = {c["id"]: c for c in m["containers"]}
    assert containers[m["root"]]["kind"] == "Grid"
    # Every view sits in its own Tabs container.
    for c in containers.values():
        if c["kind"] == "Tabs":
            assert len(c["children"]) == 1 and c["children"][0]["view"]


def test_viewer_uses_the_sdk_default_blueprint(tmp_path: Path):
    rrd = tmp_path / "sdk_bp.rrd"
    run_sdk(RECORDING_SCRIPT, str(rrd), "1")
    out = run_tool("dump", str(rrd), "viewer_sdk_app", "--heuristic")
    assert out["has_default"] is True
    m = out["model"]
    # An SDK blueprint: no heuristics unless it asks (flags default to off, section 1.1).
    assert [(v["class"], v["origin"], v["name"]) for v in m["views"]] == [
        ("TimeSeries", "/plot/sin", "Sine")]


LIVE_SCRIPT = r'''
import sys
import rerun as rr
rr.init("viewer_live_app", recording_id="viewer_live_rec")
rr.connect_grpc(f"rerun+http://127.0.0.1:{sys.argv[1]}/proxy")
for i in range(10):
    rr.set_time("frame", sequence=i)
    rr.log("plot/value", rr.Scalars(float(i)))
rr.log("points", rr.Points3D([[0, 0, 0]]))
rr.disconnect()
'''


def test_viewer_live_ingestion_from_the_python_sdk():
    proc = subprocess.Popen([str(viewer_tool()), "listen", "30", "/points"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=tool_env())
    try:
        first = proc.stdout.readline().decode()
        assert first.startswith("port "), first
        port = first.split()[1]
        run_sdk(LIVE_SCRIPT, port)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    stderr_text = stderr.decode("utf-8", "replace")
    for marker in CRASH_MARKERS:
        assert marker not in stderr_text, stderr_text
    assert proc.returncode == 0, stderr_text
    out = json.loads(stdout)
    assert out["found"] is True
    (rec,) = out["recordings"]
    assert rec["app"] == "viewer_live_app" and rec["live"] is True
    assert "/plot/value" in rec["entities"] and "/points" in rec["entities"]
    assert sorted((v["class"], v["origin"]) for v in out["model"]["views"]) == [
        ("3D", "/"), ("TimeSeries", "/plot/value")]
