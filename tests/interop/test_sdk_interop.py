"""The C logging SDK (include/reel/reel.h) against the real Rerun (pinned rerun-sdk).

tests/tools/sdk_log_all.c logs every core archetype (strings, images, tensors, static data,
clears, send_columns, properties, user components, four threads) to an .rrd file. Checked:
- `rerun rrd verify` accepts the file;
- the real reader (rerun.chunk.RrdReader) reads it, and every component column it holds
  (descriptor: archetype, component, component type; Arrow type; values per row; entity,
  static-ness and times except log_time) equals what the real Python SDK writes for the
  same calls (PY_SCRIPT below, run in the test);
- the file's store info says the C SDK wrote it, and log_time is a timestamp column;
- every core archetype of the registry appears.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pytest

from conftest import CRASH_MARKERS, REPO, build_dir, sdk_env, tool_env

DEF_FILE = REPO / "src" / "types" / "rerun_types.def"

PY_SCRIPT = r'''
import sys, threading
import numpy as np
import rerun as rr

out = sys.argv[1]
rec = rr.RecordingStream("sdk_log_all", recording_id="rec_sdk_log_all")
rec.send_recording_name("all archetypes")
rec.save(out)
rec.set_time("frame", sequence=1)
rec.set_time("elapsed", duration=1.5)
rec.set_time("sensor_time", timestamp=1700000000.0)
red, green = 0xFF0000FF, 0x00FF00FF
rec.log("annotation", rr.AnnotationContext([rr.AnnotationInfo(id=1, label="one", color=red)]), static=True)
rec.log("arrows2d", rr.Arrows2D(vectors=[[1, 0], [0, 1]], origins=[[0, 0], [1, 1]], colors=[red], labels=["a", "b"]))
rec.log("arrows3d", rr.Arrows3D(vectors=[[1, 0, 0], [0, 1, 0]], radii=[0.1]))
rec.log("asset3d", rr.Asset3D(contents=b"solid x\nendsolid x\n", media_type="model/stl"))
rec.log("asset_video", rr.AssetVideo(contents=bytes([0, 0, 0, 0x18]) + b"ftypmp42", media_type="video/mp4"))
rec.log("bar_chart", rr.BarChart(np.array([1.0, 2.0, 3.0]), color=[0, 255, 0]))
rec.log("boxes2d", rr.Boxes2D(half_sizes=[[1, 2]], centers=[[0, 0]], draw_order=1.0))
rec.log("boxes3d", rr.Boxes3D(half_sizes=[[1, 1, 1]], fill_mode="solid"))
rec.log("capsules3d", rr.Capsules3D(lengths=[1.0], radii=[0.5]))
rec.log("cylinders3d", rr.Cylinders3D(lengths=[1.0], radii=[0.5], centers=[[0, 0, 1]]))
rec.log("depth", rr.DepthImage(np.array([[1, 2], [3, 4]], dtype=np.uint16), meter=1000.0))
rec.log("ellipsoids3d", rr.Ellipsoids3D(half_sizes=[[1, 2, 3]]))
rec.log("encoded_image", rr.EncodedImage(contents=bytes([0x89]) + b"PNG\r\n\x1a\n", media_type="image/png"))
rec.log("geo_lines", rr.GeoLineStrings(lat_lon=[[[0, 0], [1, 1]]]))
rec.log("geo_points", rr.GeoPoints(lat_lon=[[59.3, 18.1]]))
rec.log("graph", rr.GraphEdges(edges=[("a", "b")], graph_type="directed"))
rec.log("graph", rr.GraphNodes(node_ids=["a", "b"], labels=["A", "B"]))
rec.log("image", rr.Image(np.arange(18, dtype=np.uint8).reshape(2, 3, 3) * 10, color_model="RGB"))
rec.log("poses", rr.InstancePoses3D(translations=[[1, 2, 3]]))
rec.log("strips2d", rr.LineStrips2D([[[0, 0], [1, 1]], [[2, 2], [3, 3], [4, 4]]]))
rec.log("strips3d", rr.LineStrips3D([[[0, 0, 0], [1, 1, 1]]], colors=[red]))
rec.log("mesh", rr.Mesh3D(vertex_positions=[[0, 0, 0], [1, 0, 0], [0, 1, 0]], triangle_indices=[[0, 1, 2]],
                          vertex_colors=np.array([0xFF0000FF, 0x00FF00FF, 0x0000FFFF], dtype=np.uint32)))
rec.log("camera", rr.Pinhole(image_from_camera=[[500, 0, 320], [0, 500, 240], [0, 0, 1]], resolution=[640, 480]))
rec.log("points2d", rr.Points2D([[0, 0], [1, 1]], radii=[0.5], class_ids=[1, 2], keypoint_ids=[3, 4]))
rec.log("points3d", rr.Points3D([[0, 0, 0], [1, 1, 1]], colors=[red], labels=["a", "b"], show_labels=True))
rec.log("scalars", rr.Scalars(1.5))
rec.log("segmentation", rr.SegmentationImage(np.array([[0, 1], [2, 3]], dtype=np.uint8)))
rec.log("scalars", rr.SeriesLines(colors=[green], widths=[2.0], names=["sin"]), static=True)
rec.log("series_points", rr.SeriesPoints(markers=["circle"], marker_sizes=[3.0]), static=True)
rec.log("tensor", rr.Tensor(np.arange(6, dtype=np.float32).reshape(2, 3), dim_names=["h", "w"]))
rec.log("doc", rr.TextDocument("# hi", media_type="text/markdown"))
rec.log("logs", rr.TextLog("hello", level="INFO"))
rec.log("transform", rr.Transform3D(translation=[1, 2, 3],
                                    rotation_axis_angle=rr.RotationAxisAngle(axis=[0, 0, 1], radians=0.5)))
rec.log("video_frame", rr.VideoFrameReference(nanoseconds=1000, video_reference="asset_video"))
rec.log("world", rr.ViewCoordinates.RDF, static=True)

rec.set_time("frame", sequence=2)
rec.log("points3d", rr.Points3D.from_fields(colors=[0x0000FFFF], labels=[]))
rec.log("points2d", rr.Points2D.cleared())
rec.log("graph", rr.Clear(recursive=True))
rec.disable_timeline("sensor_time")
rec.log("custom", rr.AnyValues(confidence=[0.9, 0.7]),
        rr.DynamicArchetype("my.Thing", components={"ids": np.array([7, 8, 9], dtype=np.uint16)}))
rec.send_property("meta", rr.AnyValues(owner="reel"))
rec.send_columns("columns", indexes=[rr.TimeColumn("step", sequence=[10, 11, 12, 13, 14])],
                 columns=rr.Scalars.columns(scalars=[0.0, 0.5, 1.0, 1.5, 2.0]))

def worker(index):
    for frame in range(50):
        rec.set_time("frame", sequence=frame)
        rec.set_time("thread_step", sequence=frame * 10 + index)
        rec.log(f"threads/t{index}", rr.Scalars(index * 1000.0 + frame))

threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
rec.flush()
'''


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> tuple[Path, Path]:
    tool = build_dir() / "sdk_log_all"
    if not (tool.is_file() and os.access(tool, os.X_OK)):
        pytest.fail(f"{tool} is missing: build it (make build, from tests/tools/sdk_log_all.c)",
                    pytrace=False)
    out = tmp_path_factory.mktemp("sdk")
    reel_file, py_file = out / "reel.rrd", out / "python.rrd"
    proc = subprocess.run([str(tool), str(reel_file)], capture_output=True, env=tool_env(),
                          timeout=300)
    stderr = proc.stderr.decode(errors="replace")
    assert proc.returncode == 0, stderr
    for marker in CRASH_MARKERS:
        assert marker not in stderr, stderr
    script = out / "py_all.py"
    script.write_text(PY_SCRIPT)
    proc = subprocess.run([sys.executable, str(script), str(py_file)], capture_output=True,
                          env=sdk_env(), timeout=300)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    return reel_file, py_file


def read_columns(path: Path) -> tuple[dict, dict]:
    """({(entity, component): (archetype, component_type, arrow type)},
        {(entity, component): sorted list of (static, times without log_time, value)})
    as the real RrdReader reads the file."""
    from rerun.chunk import RrdReader

    reader = RrdReader(path)
    (store,) = reader.recordings()
    types: dict = {}
    cells: dict = {}
    for chunk in reader.stream(store=store).to_chunks():
        batch = chunk.to_record_batch()
        kinds = {f.name: (f.metadata or {}).get(b"rerun:kind", b"data").decode()
                 for f in batch.schema}
        times = {f.name: batch.column(f.name).cast(pa.int64()).to_pylist()
                 for f in batch.schema if kinds[f.name] == "index" and f.name != "log_time"}
        for field in batch.schema:
            if kinds[field.name] != "data":
                continue
            md = {k.decode(): v.decode() for k, v in (field.metadata or {}).items()}
            key = (chunk.entity_path, md.get("rerun:component", field.name))
            desc = (md.get("rerun:archetype"), md.get("rerun:component_type"),
                    str(field.type.value_type))
            assert types.setdefault(key, desc) == desc, (key, desc, types[key])
            column = batch.column(field.name).to_pylist()
            for i, value in enumerate(column):
                if value is None:
                    continue
                row_times = tuple(sorted((n, t[i]) for n, t in times.items()))
                cells.setdefault(key, []).append((chunk.is_static, row_times, repr(value)))
    for rows in cells.values():
        rows.sort()
    return types, cells


def test_rerun_verifies_the_c_sdk_file(files):
    reel_file, _ = files
    rerun = Path(sys.executable).parent / "rerun"
    proc = subprocess.run([str(rerun), "rrd", "verify", str(reel_file)], capture_output=True,
                          env=sdk_env(), timeout=300)
    assert proc.returncode == 0, proc.stdout.decode() + proc.stderr.decode()


def test_every_core_archetype_is_logged(files):
    reel_file, _ = files
    core = set(re.findall(r'REEL_ARCHETYPE_BEGIN\((\w+), \w+, "[^"]+", CORE\)',
                          DEF_FILE.read_text()))
    types, _ = read_columns(reel_file)
    logged = {component.split(":")[0] for (_, component) in types}
    assert core - logged == set()
    assert len(core) == 36


def test_same_columns_and_values_as_the_python_sdk(files):
    reel_file, py_file = files
    reel_types, reel_cells = read_columns(reel_file)
    py_types, py_cells = read_columns(py_file)
    # The start time property differs in value by nature; compare its presence and type only.
    start = ("/__properties", "RecordingInfo:start_time")
    assert len(reel_cells.pop(start)) == 1 and len(py_cells.pop(start)) == 1
    assert sorted(reel_types) == sorted(py_types)
    for key in sorted(py_types):
        assert reel_types[key] == py_types[key], key
    assert sorted(reel_cells) == sorted(py_cells)
    for key in sorted(py_cells):
        assert reel_cells[key] == py_cells[key], key
    # Four threads, each with its own time: 50 rows each, thread_step = frame * 10 + index.
    for index in range(4):
        rows = reel_cells[(f"/threads/t{index}", "Scalars:scalars")]
        assert len(rows) == 50
        for _, times, _ in rows:
            t = dict(times)
            assert t["thread_step"] == t["frame"] * 10 + index


def test_store_info_and_log_time(files, tmp_path):
    reel_file, _ = files
    from rerun.chunk import RrdReader

    reader = RrdReader(reel_file)
    (store,) = reader.recordings()
    assert (store.application_id, store.recording_id) == ("sdk_log_all", "rec_sdk_log_all")
    seen = False
    for chunk in reader.stream(store=store).to_chunks():
        schema = chunk.to_record_batch().schema
        if "log_time" in schema.names:
            assert schema.field("log_time").type == pa.timestamp("ns")
            seen = True
        assert "log_tick" not in schema.names  # off by default, as in the Python SDK 0.41
    assert seen
    reel = build_dir() / "reel"
    out = subprocess.run([str(reel), "rrd", "print", str(reel_file)], capture_output=True,
                         text=True, timeout=120)
    assert "source: C SDK" in out.stdout, out.stdout[:2000]


def test_stdout_sink_pipes_into_reel(tmp_path):
    """`prog | reel rrd print -`: the SDK's stdout sink is a complete stream."""
    tool = build_dir() / "sdk_stdout_tool"
    if not tool.is_file():
        pytest.fail(f"{tool} is missing (tests/tools/sdk_stdout_tool.c)", pytrace=False)
    reel = build_dir() / "reel"
    producer = subprocess.Popen([str(tool)], stdout=subprocess.PIPE, env=tool_env())
    consumer = subprocess.run([str(reel), "rrd", "print", "-v", "-"], stdin=producer.stdout,
                              capture_output=True, text=True, timeout=120)
    producer.stdout.close()
    assert producer.wait(timeout=60) == 0
    assert consumer.returncode == 0, consumer.stderr
    assert "/stdout/points" in consumer.stdout
    assert "End" in consumer.stdout
    # A consumer that goes away must not kill the producer (SIGPIPE is never raised).
    producer = subprocess.Popen([str(tool), "many"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=tool_env())
    producer.stdout.read(100)
    producer.stdout.close()
    assert producer.wait(timeout=60) == 0, producer.stderr.read().decode()


PLAIN_PROGRAM = r'''
#include <reel/reel.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    reel_recording *rec = NULL;
    reel_error err = {0};
    if (argc != 2 ||
        reel_recording_create(&(reel_recording_options){.application_id = "plain_cc"}, &rec,
                              &err) != REEL_OK ||
        reel_save(rec, argv[1], &err) != REEL_OK)
        return 1;
    reel_set_time_sequence(rec, "frame", 42);
    float xyz[2][3] = {{0, 0, 0}, {1, 1, 1}};
    uint32_t red = 0xff0000ff;
    if (reel_log(rec, "world/points", &(reel_points3d){.positions = reel_batch_values(xyz, 2),
                                                       .colors = reel_batch_values(&red, 1)}))
        return 1;
    return reel_recording_destroy(rec, &err) == REEL_OK ? 0 : 1;
}
'''


def test_public_header_builds_with_plain_cc(tmp_path):
    """include/reel/ alone (symlinks resolved, as an install copies it) is enough for a C11
    program built with plain `cc -std=c11 -pedantic` and linked against libreel.a."""
    import shutil

    include = tmp_path / "include"
    shutil.copytree(REPO / "include" / "reel", include / "reel", symlinks=False)
    source = tmp_path / "main.c"
    source.write_text(PLAIN_PROGRAM)
    cache = (build_dir() / "CMakeCache.txt").read_text()
    sanitize = ["-fsanitize=address,undefined"] if "REEL_SANITIZE:BOOL=ON" in cache else []
    # The external libraries libreel.a needs, as the build's reel.pc lists them (the net
    # module adds nghttp2 once the gRPC sink is in).
    pc = (build_dir() / "reel.pc").read_text()
    requires = re.search(r"^Requires\.private:(.*)$", pc, re.M).group(1).split()
    libs = subprocess.run(["pkg-config", "--libs", *requires], capture_output=True, text=True,
                          check=True).stdout.split()
    exe = tmp_path / "plain"
    subprocess.run(["cc", "-std=c11", "-Wall", "-Wextra", "-pedantic", "-Werror", *sanitize,
                    f"-I{include}", str(source), str(build_dir() / "libreel.a"), *libs,
                    "-lpthread", "-lm", "-o", str(exe)], check=True, timeout=300)
    out = tmp_path / "plain.rrd"
    proc = subprocess.run([str(exe), str(out)], capture_output=True, env=tool_env(), timeout=60)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    rerun = Path(sys.executable).parent / "rerun"
    proc = subprocess.run([str(rerun), "rrd", "verify", str(out)], capture_output=True,
                          env=sdk_env(), timeout=120)
    assert proc.returncode == 0, proc.stdout.decode() + proc.stderr.decode()
