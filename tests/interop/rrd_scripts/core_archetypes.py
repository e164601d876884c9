"""Writes core_archetypes.rrd with the real Rerun SDK: every CORE archetype of Reel's types
registry (the 36 in src/types/rerun_types.def), with realistic data, on several entities,
static and temporal, on a sequence, a duration and a timestamp timeline. Also writes
core_archetypes.rrd.expected.json (see _common.py).

    python core_archetypes.py OUT_DIR
"""

from __future__ import annotations

import io
import math
import sys
from pathlib import Path

import numpy as np
import rerun as rr
from _common import Recorder, write_expected

APP_ID = "reel_interop_core"
RECORDING_ID = "core_archetypes"
WALL_T0_NS = 1_700_000_000_123_456_789

# The archetypes this script logs; the test checks it covers every CORE archetype.
LOGGED_ARCHETYPES: set[str] = set()

# A one-triangle OBJ and the smallest glTF JSON a loader accepts.
OBJ_BYTES = b"# one triangle\nv 0 0 0\nv 1 0 0\nv 0 1 0\nvn 0 0 1\nf 1//1 2//1 3//1\n"
GLTF_BYTES = (b'{"asset":{"version":"2.0"},"scenes":[{"nodes":[0]}],"nodes":[{"name":"empty"}],'
              b'"scene":0}')
# The first box of an MP4 file: enough for a media type check, not a playable video.
MP4_BYTES = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"


def png_bytes() -> bytes:
    """A 4x3 RGB PNG made with Pillow (installed with the test requirements)."""
    from PIL import Image

    pixels = np.arange(4 * 3 * 3, dtype=np.uint8).reshape(3, 4, 3) * 7
    out = io.BytesIO()
    Image.fromarray(pixels, "RGB").save(out, format="PNG")
    return out.getvalue()


def log(rec: Recorder, path, archetype, static: bool = False) -> None:
    LOGGED_ARCHETYPES.add(type(archetype).__name__)
    rec.log(path, archetype, static=static)


def log_static(rec: Recorder) -> None:
    log(rec, "world", rr.ViewCoordinates.RIGHT_HAND_Z_UP, static=True)
    log(rec, "world", rr.AnnotationContext([
        rr.ClassDescription(
            info=rr.AnnotationInfo(id=1, label="person", color=(255, 64, 0)),
            keypoint_annotations=[rr.AnnotationInfo(id=0, label="head"),
                                  rr.AnnotationInfo(id=1, label="hand", color=(0, 0, 255))],
            keypoint_connections=[(0, 1)]),
        rr.AnnotationInfo(id=2, label="car", color=(0, 200, 0)),
    ]), static=True)
    log(rec, "world/asset_obj", rr.Asset3D(contents=OBJ_BYTES, media_type=rr.MediaType.OBJ,
                                           albedo_factor=(200, 200, 255, 255)), static=True)
    log(rec, "world/asset_gltf", rr.Asset3D(contents=GLTF_BYTES, media_type=rr.MediaType.GLTF),
        static=True)
    log(rec, "video", rr.AssetVideo(contents=MP4_BYTES, media_type="video/mp4"), static=True)
    log(rec, "plots/sine", rr.SeriesLines(colors=[(255, 0, 0)], names=["sine"], widths=[2.0]),
        static=True)
    log(rec, "plots/noise", rr.SeriesPoints(colors=[(0, 128, 255)], names=["noise"],
                                            markers=["cross"], marker_sizes=[3.0]), static=True)
    log(rec, "docs/readme", rr.TextDocument("# Reel\n\nA *markdown* document.",
                                            media_type=rr.MediaType.MARKDOWN), static=True)
    log(rec, "world/mesh", rr.Mesh3D(
        vertex_positions=[[0, 0, 0], [1, 0, 0], [0, 1, 0], [1, 1, 0.5]],
        triangle_indices=[[0, 1, 2], [1, 3, 2]],
        vertex_normals=[[0, 0, 1]] * 4,
        vertex_colors=[[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 0]],
        vertex_texcoords=[[0, 0], [1, 0], [0, 1], [1, 1]],
        albedo_factor=(255, 255, 255, 200),
        class_ids=[1, 1, 2, 2]), static=True)
    log(rec, "world/geo", rr.GeoPoints(lat_lon=[[59.319221, 18.075631], [48.8566, 2.3522]],
                                       radii=rr.Radius.ui_points(6.0),
                                       colors=[(255, 0, 0), (0, 0, 255)]), static=True)
    log(rec, "world/geo_lines", rr.GeoLineStrings(
        lat_lon=[[[59.31, 18.07], [59.32, 18.08], [59.33, 18.06]], [[48.85, 2.35], [48.86, 2.34]]],
        radii=[2.0, 3.0], colors=[(0, 255, 0)]), static=True)
    log(rec, "graph", rr.GraphNodes(node_ids=["a", "b", "c"], labels=["A", "B", "C"],
                                    positions=[[0, 0], [1, 0], [0.5, 1]],
                                    colors=[(255, 0, 0), (0, 255, 0), (0, 0, 255)], radii=[5.0]),
        static=True)
    log(rec, "graph", rr.GraphEdges(edges=[("a", "b"), ("b", "c"), ("c", "a")],
                                    graph_type="directed"), static=True)


def log_frame(rec: Recorder, frame: int) -> None:
    t = frame * 0.25
    rec.set_time("frame", sequence=frame)
    rec.set_time("sim_time", duration_ns=frame * 250_000_000)
    rec.set_time("wall_time", timestamp_ns=WALL_T0_NS + frame * 1_000_000_007)

    n = 5 + frame
    angles = np.linspace(0, 2 * math.pi, n, endpoint=False, dtype=np.float32)
    log(rec, "world/points", rr.Points3D(
        np.stack([np.cos(angles), np.sin(angles), np.full(n, t, np.float32)], axis=1),
        colors=np.array([[i * 40 % 256, 100, 255 - i * 30 % 256] for i in range(n)], np.uint8),
        radii=np.full(n, 0.05, np.float32), labels=[f"p{i}" for i in range(n)],
        class_ids=np.array([1] * n, np.uint16), keypoint_ids=np.arange(n, dtype=np.uint16)))
    log(rec, "image/points2d", rr.Points2D([[1.5, 2.5], [3.0, 4.0 + frame]], radii=[1.0, 2.0],
                                           colors=[(255, 255, 255)], draw_order=10.0,
                                           show_labels=False))
    log(rec, "world/arrows", rr.Arrows3D(vectors=[[1, 0, 0], [0, 1, 0], [0, 0, 1 + t]],
                                         origins=[[0, 0, 0]] * 3,
                                         colors=[(255, 0, 0), (0, 255, 0), (0, 0, 255)],
                                         labels=["x", "y", "z"]))
    log(rec, "image/arrows", rr.Arrows2D(vectors=[[2, 1], [-1, 2]], origins=[[0, 0], [1, 1]],
                                         radii=0.1))
    log(rec, "image/boxes", rr.Boxes2D(mins=[[0, 0], [2, 2]], sizes=[[1, 1], [2, 1 + frame]],
                                       labels=["small", "wide"], class_ids=[1, 2],
                                       draw_order=5.0))
    log(rec, "world/boxes", rr.Boxes3D(centers=[[0, 0, t], [2, 0, 0]],
                                       half_sizes=[[0.5, 0.5, 0.5], [1, 0.25, 0.25]],
                                       quaternions=[rr.Quaternion(xyzw=[0, 0, 0, 1])] * 2,
                                       colors=[(0, 128, 255)], fill_mode="solid"))
    log(rec, "world/capsules", rr.Capsules3D(lengths=[1.0, 2.0], radii=[0.2, 0.3],
                                             translations=[[0, 0, 0], [1, 1, t]]))
    log(rec, "world/cylinders", rr.Cylinders3D(lengths=[1.5], radii=[0.4], centers=[[0, 2, 0]],
                                               rotation_axis_angles=[rr.RotationAxisAngle(
                                                   axis=[1, 0, 0], degrees=30.0 * frame)]))
    log(rec, "world/ellipsoids", rr.Ellipsoids3D(half_sizes=[[1, 0.5, 0.25]],
                                                 centers=[[0, 0, 3]], line_radii=[0.01]))
    log(rec, "world/lines3d", rr.LineStrips3D([[[0, 0, 0], [1, 1, 1], [2, 0, t]],
                                               [[0, 1, 0], [1, 2, 0]]], radii=[0.02, 0.03]))
    log(rec, "image/lines2d", rr.LineStrips2D([[[0, 0], [4, 4], [8, 0]]], colors=[(255, 0, 255)],
                                              labels=["zigzag"]))
    log(rec, "world/instances", rr.InstancePoses3D(translations=[[0, 0, 0], [0, 0, 1 + t]],
                                                   scales=[[1, 1, 1], [0.5, 0.5, 0.5]]))
    log(rec, "world/camera", rr.Transform3D(translation=[0, -5, 1 + t],
                                            rotation=rr.RotationAxisAngle(axis=[0, 0, 1],
                                                                          degrees=10.0 * frame),
                                            relation=rr.TransformRelation.ParentFromChild))
    log(rec, "world/camera/image", rr.Pinhole(focal_length=300.0, width=8, height=6,
                                              camera_xyz=rr.ViewCoordinates.RDF,
                                              image_plane_distance=1.5))
    rgb = (np.arange(6 * 8 * 3, dtype=np.uint32).reshape(6, 8, 3) * (frame + 3) % 256)
    log(rec, "world/camera/image/rgb", rr.Image(rgb.astype(np.uint8), opacity=0.8))
    depth = (np.arange(6 * 8, dtype=np.uint16).reshape(6, 8) * 100 + frame).astype(np.uint16)
    log(rec, "world/camera/image/depth", rr.DepthImage(depth, meter=1000.0, colormap="viridis",
                                                       depth_range=(0.0, 5000.0)))
    seg = (np.arange(6 * 8, dtype=np.uint8).reshape(6, 8) // 16 + frame % 2).astype(np.uint8)
    log(rec, "world/camera/image/segmentation", rr.SegmentationImage(seg, opacity=0.5))
    log(rec, "world/camera/image/encoded", rr.EncodedImage(contents=png_bytes(),
                                                           media_type="image/png"))
    log(rec, "tensor", rr.Tensor(np.arange(24, dtype=np.float32).reshape(2, 3, 4) * (frame + 1),
                                 dim_names=["batch", "row", "col"]))
    log(rec, "bars", rr.BarChart([1, 4, 9, 16 + frame], color=(100, 200, 50)))
    log(rec, "plots/sine", rr.Scalars([math.sin(t)]))
    log(rec, "plots/noise", rr.Scalars([0.5 * frame, -0.25 * frame]))
    log(rec, "logs", rr.TextLog(f"frame {frame} done", level=rr.TextLogLevel.INFO if frame % 2
                                else rr.TextLogLevel.WARN, color=(255, 255, 0)))
    log(rec, "video/frame", rr.VideoFrameReference(seconds=0.04 * frame, video_reference="video"))


def main(out_dir: Path) -> None:
    path = out_dir / "core_archetypes.rrd"
    stream = rr.RecordingStream(APP_ID, recording_id=RECORDING_ID)
    stream.save(path)
    rec = Recorder(stream, application_id=APP_ID, recording_id=RECORDING_ID)
    log_static(rec)
    for frame in range(4):
        log_frame(rec, frame)
    # A Clear on its own (recursive) after the last frame, on a later frame.
    rec.set_time("frame", sequence=10)
    log(rec, "world/boxes", rr.Clear(recursive=True))
    stream.flush()
    stream.disconnect()
    store = rec.store
    store["archetypes"] = sorted(LOGGED_ARCHETYPES)
    write_expected(path, [store])


if __name__ == "__main__":
    main(Path(sys.argv[1]))
