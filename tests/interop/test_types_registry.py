"""Reel's type registry (src/types) against the installed rerun-sdk and the rerun CLI.

- The committed src/types/rerun_types.def is exactly what gen_rerun_types.py writes from the
  pinned SDK today, so the table is proven to match it.
- The C registry, as printed by tests/tools/types_check_tool.c, agrees with the SDK class by
  class: Arrow types (parsed by C and printed back), encodings, enum values, archetype fields
  and descriptors.
- A few facts from api-surface.md hold (Points3D's fields, Color = uint32, ...).
- reel_types_check_column / check_descriptor accept and reject the same columns as
  `rerun rrd verify` does, for columns made with pyarrow and logged through the SDK.

Run as a script (`python test_types_registry.py <out.rrd>`) it writes those columns; the test
does that in a child process with CI=1, which turns Rerun's analytics off.
"""

from __future__ import annotations

import enum
import filecmp
import inspect
import os
import re
import subprocess
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pyarrow as pa
import pytest

from conftest import CRASH_MARKERS, REPO, build_dir, sdk_env

GENERATOR = REPO / "src" / "types" / "gen_rerun_types.py"
DEF_FILE = REPO / "src" / "types" / "rerun_types.def"

# api-surface.md section 1.1, tier "core".
CORE_ARCHETYPES = sorted("""
    AnnotationContext Arrows2D Arrows3D Asset3D AssetVideo BarChart Boxes2D Boxes3D
    Capsules3D Clear Cylinders3D DepthImage Ellipsoids3D EncodedImage GeoLineStrings
    GeoPoints GraphEdges GraphNodes Image InstancePoses3D LineStrips2D LineStrips3D Mesh3D
    Pinhole Points2D Points3D Scalars SegmentationImage SeriesLines SeriesPoints Tensor
    TextDocument TextLog Transform3D VideoFrameReference ViewCoordinates
""".split())


# ---------------------------------------------------------------- the .def file


def test_def_file_is_what_the_generator_writes(tmp_path):
    out = tmp_path / "rerun_types.def"
    proc = subprocess.run([sys.executable, str(GENERATOR), "-o", str(out)], capture_output=True,
                          text=True, env=sdk_env(), timeout=300)
    assert proc.returncode == 0, proc.stderr
    if not filecmp.cmp(out, DEF_FILE, shallow=False):
        pytest.fail(f"{DEF_FILE} is stale: regenerate it with\n"
                    f"    .venv/bin/python src/types/gen_rerun_types.py -o {DEF_FILE.relative_to(REPO)}",
                    pytrace=False)


def parse_def() -> dict:
    text = DEF_FILE.read_text(encoding="ascii")
    components = {name: arrow for _id, name, _encoding, arrow in re.findall(
        r'^REEL_COMPONENT\((\w+), "([^"]+)", "([^"]*)", "(.*)"\)$', text, re.M)}
    archetypes: dict[str, dict] = {}
    for m in re.finditer(r'^REEL_ARCHETYPE_BEGIN\((\w+), (\w+), "([^"]+)", (\w+)\)$', text, re.M):
        archetypes[m[1]] = {"name": m[3], "tier": m[4], "fields": []}
    for m in re.finditer(r"^REEL_ARCHETYPE_FIELD\((\w+), (\w+), (\w+), (\w+), (\w+)\)$", text, re.M):
        archetypes[m[1]]["fields"].append((m[2], m[3], m[4], m[5]))
    enums: dict[str, list] = {}
    for m in re.finditer(r"^REEL_ENUM_VALUE\((\w+), (\w+), (0x[0-9A-F]+|\d+)u\)$", text, re.M):
        enums.setdefault(m[1], []).append((m[2], int(m[3], 0)))
    return {"components": components, "archetypes": archetypes, "enums": enums}


def test_spot_checks_against_api_surface():
    d = parse_def()
    comps = d["components"]
    assert comps["rerun.components.Color"] == "uint32"
    assert comps["rerun.components.Position3D"] == "fixed_size_list<item: float not null>[3]"
    assert comps["rerun.components.Blob"] == "list<item: uint8 not null>"
    assert comps["rerun.components.GraphEdge"] == \
        "struct<first: string not null, second: string not null>"
    assert comps["rerun.blueprint.components.ContainerKind"] == "uint8"

    points = d["archetypes"]["Points3D"]
    assert points["name"] == "rerun.archetypes.Points3D" and points["tier"] == "CORE"
    assert points["fields"] == [
        ("positions", "Position3D", "REQUIRED", "BATCH"),
        ("radii", "Radius", "OPTIONAL", "BATCH"),
        ("colors", "Color", "OPTIONAL", "BATCH"),
        ("labels", "Text", "OPTIONAL", "BATCH"),
        ("show_labels", "ShowLabels", "OPTIONAL", "MONO"),
        ("point_shading", "PointShading", "OPTIONAL", "MONO"),
        ("class_ids", "ClassId", "OPTIONAL", "BATCH"),
        ("keypoint_ids", "KeypointId", "OPTIONAL", "BATCH"),
    ]
    assert sorted(k for k, a in d["archetypes"].items() if a["tier"] == "CORE") == CORE_ARCHETYPES
    required = {k: [f[0] for f in a["fields"] if f[2] == "REQUIRED"]
                for k, a in d["archetypes"].items()}
    assert required["Image"] == ["buffer", "format"]
    assert required["Capsules3D"] == ["lengths", "radii"]
    assert required["Transform3D"] == []
    assert d["archetypes"]["ViewBlueprint"]["name"] == "rerun.blueprint.archetypes.ViewBlueprint"
    assert ("display_name", "Name", "OPTIONAL", "MONO") in d["archetypes"]["ViewBlueprint"]["fields"]

    assert d["enums"]["Colormap"][:2] == [("Grayscale", 1), ("Inferno", 2)]
    assert ("Viridis", 6) in d["enums"]["Colormap"]
    assert d["enums"]["ViewDir"] == [("Up", 1), ("Down", 2), ("Right", 3), ("Left", 4),
                                     ("Forward", 5), ("Back", 6)]
    assert ("H264", int.from_bytes(b"avc1", "big")) in d["enums"]["VideoCodec"]


# ---------------------------------------------------------------- the C registry vs the SDK


@pytest.fixture(scope="session")
def types_tool() -> Callable[..., str]:
    path = build_dir() / "types_check_tool"
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail(f"{path} is missing: build it (make build, from "
                    f"tests/tools/types_check_tool.c) or set REEL_BUILD_DIR", pytrace=False)

    def run(*args: str) -> str:
        proc = subprocess.run([str(path), *args], capture_output=True, text=True, timeout=120)
        for marker in CRASH_MARKERS:
            assert marker not in proc.stderr, proc.stderr
        assert proc.returncode == 0, f"exit {proc.returncode}: {proc.stderr}"
        return proc.stdout

    return run


def sdk_classes(module_name: str):
    import importlib

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        module = importlib.import_module(module_name)
    for name in sorted(dir(module)):
        obj = getattr(module, name)
        if inspect.isclass(obj) and obj.__module__.startswith(module_name + "."):
            yield name, obj


def test_c_registry_matches_the_sdk(types_tool):
    from rerun._baseclasses import Archetype

    rows = [line.split("\t") for line in types_tool("list").splitlines()]
    c_components = {r[1]: (r[2], r[3]) for r in rows if r[0] == "component"}
    c_encodings = {r[1]: r[2] for r in rows if r[0] == "encoding"}
    c_enums: dict[str, list] = {}
    for r in rows:
        if r[0] == "enum":
            c_enums.setdefault(r[1], []).append((r[2], int(r[3])))
    c_archetypes = {r[1]: (r[2], r[3]) for r in rows if r[0] == "archetype"}
    c_fields: dict[str, list] = {}
    for r in rows:
        if r[0] == "field":
            c_fields.setdefault(r[1], []).append((r[2], r[3]))

    sdk_components, sdk_encodings, sdk_enums, sdk_fields = {}, {}, {}, {}
    for module in ("rerun.components", "rerun.blueprint.components"):
        for name, cls in sdk_classes(module):
            if name.endswith("Batch") and hasattr(cls, "_COMPONENT_TYPE"):
                sdk_components[cls._COMPONENT_TYPE] = str(cls._ARROW_DATATYPE)
    for module in ("rerun.encodings", "rerun.blueprint.encodings"):
        for name, cls in sdk_classes(module):
            if name.endswith("Batch") and "_ARROW_DATATYPE" in vars(cls):
                sdk_encodings[f"{module}.{name[:-5]}"] = str(cls._ARROW_DATATYPE)
    for module in ("rerun.components", "rerun.blueprint.components", "rerun.encodings",
                   "rerun.blueprint.encodings"):
        for name, cls in sdk_classes(module):
            if issubclass(cls, enum.Enum):
                sdk_enums[f"{module}.{name}"] = sorted(((m.name, m.value) for m in cls),
                                                       key=lambda nv: nv[1])
    for module in ("rerun.archetypes", "rerun.blueprint.archetypes"):
        for name, cls in sdk_classes(module):
            if issubclass(cls, Archetype) and "NAME" in vars(cls):
                fields = [f for f in cls.__attrs_attrs__ if f.metadata.get("component")]
                sdk_fields[cls.NAME] = [(d.component, d.component_type) for d in
                                        (getattr(cls, f"descriptor_{f.name}")() for f in fields)]

    assert {k: v[1] for k, v in c_components.items()} == sdk_components
    assert c_encodings == sdk_encodings
    assert c_enums == sdk_enums
    assert c_fields == sdk_fields
    assert set(c_archetypes) == set(sdk_fields)
    assert sorted(k.rsplit(".", 1)[1] for k, v in c_archetypes.items() if v[0] == "CORE") == \
        CORE_ARCHETYPES
    assert c_archetypes["rerun.archetypes.Points3D"] == ("CORE", "reel_points3d")
    assert c_components["rerun.components.Color"][0] == "rerun.encodings.Rgba32"
    assert len(sdk_components) == 158 and len(sdk_encodings) == 65 and len(sdk_fields) == 98


# ---------------------------------------------------------------- check_column vs `rerun rrd verify`


@dataclass
class Case:
    name: str  # also the entity path the column is logged on
    component_type: str
    archetype: str | None
    component: str
    make: Callable[[], pa.Array]  # one row's instances (the element array)


def _fsl(values, size, field=pa.field("item", pa.float32(), False)):
    return pa.FixedSizeListArray.from_arrays(pa.array(values, field.type),
                                             type=pa.list_(field, size))


def _s(v, t=pa.string()):
    return pa.array([v], t)


def _from_sdk(make_archetype: Callable) -> Callable[[], pa.Array]:
    """One row's instances of the first component the SDK's archetype produces."""

    def make():
        import numpy as np
        import rerun as rr
        import rerun.blueprint as rrb

        batches = make_archetype(rr, rrb, np).as_component_batches()
        return batches[0].as_arrow_array()

    return make


P3 = ("rerun.components.Position3D", "rerun.archetypes.Points3D", "Points3D:positions")
COL = ("rerun.components.Color", "rerun.archetypes.Points3D", "Points3D:colors")
EDGE = ("rerun.components.GraphEdge", "rerun.archetypes.GraphEdges", "GraphEdges:edges")
BLOB = ("rerun.components.Blob", "rerun.archetypes.Asset3D", "Asset3D:blob")
NN = [pa.field("first", pa.string(), False), pa.field("second", pa.string(), False)]

VERIFY_CASES = [
    Case("pos_exact", *P3, lambda: _fsl([1, 2, 3], 3)),
    Case("pos_nullable_item", *P3, lambda: _fsl([1, 2, 3], 3, pa.field("item", pa.float32()))),
    Case("pos_renamed_item", *P3, lambda: _fsl([1, 2, 3], 3, pa.field("element", pa.float32()))),
    Case("pos_f64", *P3, lambda: _fsl([1, 2, 3], 3, pa.field("item", pa.float64()))),
    Case("pos_size4", *P3, lambda: _fsl([1, 2, 3, 4], 4)),
    Case("pos_list", *P3, lambda: pa.array([[1, 2, 3]], pa.list_(pa.float32()))),
    Case("color_u32", *COL, lambda: pa.array([5], pa.uint32())),
    Case("color_i32", *COL, lambda: pa.array([5], pa.int32())),
    Case("color_u64", *COL, lambda: pa.array([5], pa.uint64())),
    Case("edge_exact", *EDGE, lambda: pa.StructArray.from_arrays([_s("a"), _s("b")], fields=NN)),
    Case("edge_nullable", *EDGE,
         lambda: pa.StructArray.from_arrays([_s("a"), _s("b")], names=["first", "second"])),
    Case("edge_reordered", *EDGE,
         lambda: pa.StructArray.from_arrays([_s("b"), _s("a")], names=["second", "first"])),
    Case("edge_extra_child", *EDGE,
         lambda: pa.StructArray.from_arrays([_s("a"), _s("b"), _s("c")],
                                            names=["first", "second", "third"])),
    Case("edge_missing_child", *EDGE, lambda: pa.StructArray.from_arrays([_s("a")], names=["first"])),
    Case("edge_renamed_children", *EDGE,
         lambda: pa.StructArray.from_arrays([_s("a"), _s("b")], names=["x", "y"])),
    Case("edge_large_string", *EDGE,
         lambda: pa.StructArray.from_arrays([_s("a", pa.large_string()), _s("b")],
                                            names=["first", "second"])),
    Case("blob_exact", *BLOB, lambda: pa.array([[1, 2]], pa.list_(pa.field("item", pa.uint8(), False)))),
    Case("blob_nullable", *BLOB, lambda: pa.array([[1, 2]], pa.list_(pa.uint8()))),
    Case("blob_large_list", *BLOB, lambda: pa.array([[1, 2]], pa.large_list(pa.uint8()))),
    Case("blob_binary", *BLOB, lambda: pa.array([b"\x01\x02"], pa.binary())),
    Case("sdk_tensor", "rerun.components.TensorData", "rerun.archetypes.Tensor", "Tensor:data",
         _from_sdk(lambda rr, rrb, np: rr.Tensor(np.arange(6, dtype=np.uint16).reshape(2, 3)))),
    Case("sdk_image_buffer", "rerun.components.ImageBuffer", "rerun.archetypes.Image",
         "Image:buffer", _from_sdk(lambda rr, rrb, np: rr.Image(np.zeros((2, 2, 3), np.uint8)))),
    Case("sdk_annotation_context", "rerun.components.AnnotationContext",
         "rerun.archetypes.AnnotationContext", "AnnotationContext:context",
         _from_sdk(lambda rr, rrb, np: rr.AnnotationContext([(1, "one", (255, 0, 0))]))),
    Case("sdk_visible_time_ranges", "rerun.blueprint.components.VisibleTimeRange",
         "rerun.blueprint.archetypes.VisibleTimeRanges", "VisibleTimeRanges:ranges",
         _from_sdk(lambda rr, rrb, np: rrb.archetypes.VisibleTimeRanges([rr.VisibleTimeRange(
             "t", start=rr.TimeRangeBoundary.infinite(), end=rr.TimeRangeBoundary.absolute(seq=3))]))),
    Case("unknown_rerun_component", "rerun.components.NoSuchThing", "rerun.archetypes.Points3D",
         "Points3D:nope", lambda: pa.array([5], pa.uint32())),
    Case("custom_component", "my.Thing", None, "my_field", lambda: pa.array([5], pa.uint32())),
    Case("wrong_field_type", "rerun.components.Color", "rerun.archetypes.Points3D",
         "Points3D:positions", lambda: pa.array([5], pa.uint32())),
    Case("unknown_rerun_archetype", "rerun.components.Color", "rerun.archetypes.NoSuchThing",
         "NoSuchThing:colors", lambda: pa.array([5], pa.uint32())),
]


def write_verify_cases(path: str) -> None:
    """Logs every case's column on its own entity into one .rrd (runs in a child process)."""
    import rerun as rr
    from rerun._baseclasses import ComponentDescriptor

    class Column:
        def __init__(self, case: Case):
            self.case = case

        def component_descriptor(self) -> ComponentDescriptor:
            return ComponentDescriptor(self.case.component, archetype=self.case.archetype,
                                       component_type=self.case.component_type)

        def as_arrow_array(self) -> pa.Array:
            values = self.case.make()
            return pa.ListArray.from_arrays(pa.array([0, len(values)], pa.int32()), values)

    rec = rr.RecordingStream("reel_types_verify", recording_id="reel_types_verify")
    rec.save(path)
    for case in VERIFY_CASES:
        rr.send_columns(case.name, indexes=[rr.TimeColumn("t", sequence=[1])],
                        columns=[Column(case)], recording=rec, strict=True)
    rec.flush()
    rec.disconnect()


def reel_accepts(types_tool, case: Case) -> tuple[bool, str]:
    """The verdict a Reel reader following the types.h contract reaches: unknown names are
    errors for rerun.* types (as in Rerun) and ignored otherwise."""
    values = case.make()
    descriptor = types_tool("check-descriptor", case.archetype or "-", case.component,
                            case.component_type).strip()
    column = types_tool("check", case.component_type, str(values.type)).strip()
    for verdict in (descriptor, column):
        if verdict.startswith("CORRUPT"):
            return False, verdict
        if verdict.startswith("UNSUPPORTED") and case.component_type.startswith("rerun.") \
                and (case.archetype or "rerun.").startswith("rerun."):
            return False, verdict
    return True, f"{descriptor} / {column}"


@pytest.fixture(scope="module")
def verify_errors(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("types_verify") / "cases.rrd"
    proc = subprocess.run([sys.executable, __file__, str(path)], capture_output=True, text=True,
                          env=sdk_env(), timeout=300)
    assert proc.returncode == 0, proc.stderr
    rerun_cli = Path(sys.executable).parent / "rerun"
    proc = subprocess.run([str(rerun_cli), "rrd", "verify", str(path)], capture_output=True,
                          text=True, env=sdk_env(), timeout=300)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.stderr


@pytest.mark.parametrize("case", VERIFY_CASES, ids=lambda c: c.name)
def test_check_agrees_with_rerun_verify(types_tool, verify_errors, case):
    rerun_accepts = f"/{case.name}:" not in verify_errors
    accepted, detail = reel_accepts(types_tool, case)
    rerun_lines = [line for line in verify_errors.splitlines() if f"/{case.name}:" in line]
    assert accepted == rerun_accepts, (
        f"Reel {'accepts' if accepted else 'rejects'} ({detail}), "
        f"rerun rrd verify {'accepts' if rerun_accepts else 'rejects'} {rerun_lines}")


def test_verify_cases_cover_both_verdicts(verify_errors):
    rejected = [c.name for c in VERIFY_CASES if f"/{c.name}:" in verify_errors]
    assert 5 < len(rejected) < len(VERIFY_CASES) - 5, rejected


if __name__ == "__main__":
    write_verify_cases(sys.argv[1])
