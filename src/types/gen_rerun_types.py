#!/usr/bin/env python3
"""Writes src/types/rerun_types.def, Reel's single table of every Rerun type, by
introspecting the installed rerun-sdk (the pinned one in .venv, see tests/requirements.txt).

It reads, from the SDK itself: every component batch class (`_COMPONENT_TYPE`,
`_ARROW_DATATYPE`, the encoding it derives from), every encoding ("datatype") batch class,
every enum class (member names and values), and every archetype (`NAME`, its attrs fields
tagged as components, `descriptor_<field>()`, and `from_fields`/`__init__` signatures for
batch-vs-mono and required). Arrow types are written as pyarrow's `str(type)`.

Two facts are not in the SDK and are kept here, in plain tables: which archetypes are
"core" (api-surface.md section 1.1), and which fields are required for the archetypes
whose Python constructor is hand-written (see HANDWRITTEN_INIT_REQUIRED).

Regenerate (from the repository root):
    .venv/bin/python src/types/gen_rerun_types.py -o src/types/rerun_types.def
tests/interop/test_types_registry.py re-runs this and fails if the committed file differs.
"""

from __future__ import annotations

import argparse
import enum
import importlib
import importlib.metadata
import inspect
import re
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path

# `rerun.datatypes` is a deprecated alias of `rerun.encodings` (0.37+); we read the latter.
warnings.simplefilter("ignore", DeprecationWarning)

import attrs  # noqa: E402  (the SDK's own dependency)
import pyarrow  # noqa: E402

COMPONENT_MODULES = ("rerun.components", "rerun.blueprint.components")
ENCODING_MODULES = ("rerun.encodings", "rerun.blueprint.encodings")
ARCHETYPE_MODULES = ("rerun.archetypes", "rerun.blueprint.archetypes")

# The 36 archetypes that api-surface.md section 1.1 marks tier "core". Every other
# `rerun.archetypes` class is EXTENDED; `rerun.blueprint.archetypes` are BLUEPRINT.
CORE_ARCHETYPES = frozenset("""
    AnnotationContext Arrows2D Arrows3D Asset3D AssetVideo BarChart Boxes2D Boxes3D
    Capsules3D Clear Cylinders3D DepthImage Ellipsoids3D EncodedImage GeoLineStrings
    GeoPoints GraphEdges GraphNodes Image InstancePoses3D LineStrips2D LineStrips3D Mesh3D
    Pinhole Points2D Points3D Scalars SegmentationImage SeriesLines SeriesPoints Tensor
    TextDocument TextLog Transform3D VideoFrameReference ViewCoordinates
""".split())

# REQUIRED means what the SDK's generated constructor means: a field it cannot be called
# without (Rerun's code generator makes that every field that is not `Option<…>` in the type
# definition). Where the SDK replaces the generated constructor with a hand-written one
# (`*_ext.py`), that fact is gone from the installed package, so it is listed here, taken
# from the type definitions (`crates/build/re_type_definitions/**.def.rs`, non-Option fields;
# the same as the `#[rerun(required)]` fields except SeriesPoints.markers, which is
# `Option<Vec<…>>`). The generator fails if an archetype with a hand-written constructor is
# missing here, so a new SDK version forces a look.
HANDWRITTEN_INIT_REQUIRED = {
    "Arrows2D": ["vectors"],
    "Arrows3D": ["vectors"],
    "Asset3D": ["blob"],
    "AssetAudio": ["blob"],
    "AssetVideo": ["blob"],
    "Boxes2D": ["half_sizes"],
    "Boxes3D": ["half_sizes"],
    "Capsules3D": ["lengths", "radii"],
    "Clear": ["is_recursive"],
    "Cylinders3D": ["lengths", "radii"],
    "DepthImage": ["buffer", "format"],
    "Ellipses2D": ["half_sizes"],
    "Ellipsoids3D": ["half_sizes"],
    "EncodedImage": ["blob"],
    "GeoLineStrings": ["line_strings"],
    "GeoPoints": ["positions"],
    "Image": ["buffer", "format"],
    "Mesh3D": ["vertex_positions"],
    "Pinhole": ["image_from_camera"],
    "Points2D": ["positions"],
    "Points3D": ["positions"],
    "SegmentationImage": ["buffer", "format"],
    "SeriesPoints": [],
    "Tensor": ["data"],
    "Transform3D": [],
    "VideoFrameReference": ["timestamp"],
    # blueprint
    "Background": ["kind"],
    "DataframeQuery": [],
    "LineGrid3D": [],
    "PlotLegend": [],
    "TensorViewFit": [],
    "VisibleTimeRanges": ["ranges"],
    "VisualBounds2D": ["range"],
}

C_KEYWORDS = frozenset("""
    auto break case char const continue default do double else enum extern float for goto if
    inline int long register restrict return short signed sizeof static struct switch typedef
    union unsigned void volatile while _Alignas _Alignof _Atomic _Bool _Complex _Generic
    _Imaginary _Noreturn _Static_assert _Thread_local bool true false
""".split())


@dataclass
class Encoding:
    name: str  # "rerun.encodings.Vec3D"
    short: str
    arrow: str


@dataclass
class Component:
    name: str  # "rerun.components.Position3D"
    short: str
    encoding: str  # full encoding name, "" when the SDK does not derive it from one
    arrow: str


@dataclass
class EnumType:
    name: str  # full name of the component or encoding that is the enum
    short: str
    values: list[tuple[str, int]]


@dataclass
class Field:
    name: str
    component_short: str
    required: bool
    batch: bool


@dataclass
class Archetype:
    name: str
    short: str
    snake: str
    tier: str
    fields: list[Field] = field(default_factory=list)


def fail(message: str) -> None:
    sys.exit(f"gen_rerun_types: {message}")


def module_classes(module_name: str):
    """(name, class) for classes defined in `module_name` or its submodules, sorted."""
    module = importlib.import_module(module_name)
    for name in sorted(dir(module)):
        obj = getattr(module, name)
        if inspect.isclass(obj) and obj.__module__.startswith(module_name + "."):
            yield name, obj


def collect_encodings() -> list[Encoding]:
    out = []
    for module_name in ENCODING_MODULES:
        for name, cls in module_classes(module_name):
            if name.endswith("Batch") and "_ARROW_DATATYPE" in vars(cls):
                short = name[: -len("Batch")]
                out.append(Encoding(f"{module_name}.{short}", short, str(cls._ARROW_DATATYPE)))
    return out


def encoding_of(batch_cls) -> str:
    """The encoding batch class a component batch class derives from, as a full name."""
    for base in batch_cls.__mro__[1:]:
        module = base.__module__
        if base.__name__.endswith("Batch") and module.startswith(ENCODING_MODULES):
            package = module.rsplit(".", 1)[0]
            return f"{package}.{base.__name__[: -len('Batch')]}"
    return ""


def collect_components() -> list[Component]:
    out = []
    for module_name in COMPONENT_MODULES:
        for name, cls in module_classes(module_name):
            if not (name.endswith("Batch") and hasattr(cls, "_COMPONENT_TYPE")):
                continue
            short = name[: -len("Batch")]
            full = cls._COMPONENT_TYPE
            if full != f"{module_name}.{short}":
                fail(f"{module_name}.{name}: unexpected component type {full!r}")
            out.append(Component(full, short, encoding_of(cls), str(cls._ARROW_DATATYPE)))
    return out


def collect_enums() -> list[EnumType]:
    out = []
    for module_name in COMPONENT_MODULES + ENCODING_MODULES:
        for name, cls in module_classes(module_name):
            if not issubclass(cls, enum.Enum):
                continue
            members = list(cls.__members__.items())
            if len(members) != len(list(cls)):
                fail(f"{module_name}.{name}: enum aliases are not supported")
            values = sorted((member.value, member_name) for member_name, member in members)
            out.append(EnumType(f"{module_name}.{name}", name, [(n, v) for v, n in values]))
    return out


def required_fields(cls, short: str, field_names: list[str]) -> set[str]:
    init = cls.__init__
    if init.__module__ == cls.__module__:  # generated constructor
        params = inspect.signature(init).parameters.values()
        return {p.name for p in params if p.name != "self" and p.default is p.empty}
    if short not in HANDWRITTEN_INIT_REQUIRED:
        fail(f"{cls.NAME}: the SDK's constructor is hand-written ({init.__module__}); "
             f"add its required fields to HANDWRITTEN_INIT_REQUIRED")
    required = set(HANDWRITTEN_INIT_REQUIRED[short])
    if not required <= set(field_names):
        fail(f"{cls.NAME}: HANDWRITTEN_INIT_REQUIRED names unknown fields "
             f"{sorted(required - set(field_names))}")
    return required


def collect_archetypes(component_shorts: set[str]) -> list[Archetype]:
    from rerun._baseclasses import Archetype as SdkArchetype

    out = []
    for module_name in ARCHETYPE_MODULES:
        blueprint = module_name.startswith("rerun.blueprint.")
        for short, cls in module_classes(module_name):
            if not (issubclass(cls, SdkArchetype) and "NAME" in vars(cls)):
                continue
            if cls.NAME != f"{module_name}.{short}":
                fail(f"{short}: unexpected archetype name {cls.NAME!r}")
            tier = "BLUEPRINT" if blueprint else ("CORE" if short in CORE_ARCHETYPES else "EXTENDED")
            arch = Archetype(cls.NAME, short, cls.__module__.rsplit(".", 1)[1], tier)
            sig = inspect.signature(cls.from_fields).parameters
            names = [f.name for f in attrs.fields(cls) if f.metadata.get("component")]
            required = required_fields(cls, short, names)
            for field_name in names:
                if field_name in C_KEYWORDS:
                    fail(f"{cls.NAME}.{field_name}: field name is a C keyword")
                desc = getattr(cls, f"descriptor_{field_name}")()
                if desc.archetype != cls.NAME or desc.component != f"{short}:{field_name}":
                    fail(f"{cls.NAME}.{field_name}: unexpected descriptor {desc}")
                comp_short = desc.component_type.rsplit(".", 1)[1]
                if comp_short not in component_shorts:
                    fail(f"{cls.NAME}.{field_name}: unknown component {desc.component_type}")
                annotation = str(sig[field_name].annotation)
                match = re.fullmatch(r"[\w.]+?(ArrayLike|Like) \| None", annotation)
                if not match:
                    fail(f"{cls.NAME}.{field_name}: cannot tell batch from mono in {annotation!r}")
                arch.fields.append(Field(field_name, comp_short, field_name in required,
                                         match.group(1) == "ArrayLike"))
            if not arch.fields:
                fail(f"{cls.NAME}: no fields (a C struct cannot be empty)")
            out.append(arch)
    return out


HEADER = """\
/* GENERATED FILE, DO NOT EDIT. Written by src/types/gen_rerun_types.py from the installed
 * rerun-sdk {rerun_version} (pyarrow {pyarrow_version}); regenerate from the repository root with
 *     .venv/bin/python src/types/gen_rerun_types.py -o src/types/rerun_types.def
 * tests/interop/test_types_registry.py fails when this file and the pinned SDK disagree.
 *
 * Every Rerun encoding ("datatype"), component, enum and archetype, as X-macros. Define the
 * macros you need, then #include this file; the others default to nothing, and all of them
 * are #undef'd at the end. Each section is sorted by full name (strcmp order).
 *
 *   REEL_RERUN_SDK_VERSION(version)
 *   REEL_ENCODING(id, name, arrow_type)
 *   REEL_COMPONENT(id, name, encoding, arrow_type)     encoding "" = not derived from one
 *   REEL_ENUM_BEGIN(id, name)  REEL_ENUM_VALUE(id, value_name, value)  REEL_ENUM_END(id)
 *   REEL_ARCHETYPE_BEGIN(id, snake_name, name, tier)   tier: CORE | EXTENDED | BLUEPRINT
 *   REEL_ARCHETYPE_FIELD(id, field, component_id, REQUIRED | OPTIONAL, BATCH | MONO)
 *   REEL_ARCHETYPE_END(id)
 *
 * `id` is the short name, a C identifier unique within its kind (component ids are unique
 * across rerun.components and rerun.blueprint.components). arrow_type is pyarrow's str() of
 * one instance's type; a component column is a list<item: arrow_type>. A field's wire name
 * is "<archetype id>:<field>" and its component type is the full name of component_id.
 * REQUIRED: the SDK's constructor cannot be called without it. BATCH: the SDK takes many
 * instances (MONO: one). Enum ids are the enum's short name and the enum belongs to the
 * component or encoding with the same full name. */
"""

MACROS = {
    "REEL_RERUN_SDK_VERSION": "(version)",
    "REEL_ENCODING": "(id, name, arrow_type)",
    "REEL_COMPONENT": "(id, name, encoding, arrow_type)",
    "REEL_ENUM_BEGIN": "(id, name)",
    "REEL_ENUM_VALUE": "(id, value_name, value)",
    "REEL_ENUM_END": "(id)",
    "REEL_ARCHETYPE_BEGIN": "(id, snake_name, name, tier)",
    "REEL_ARCHETYPE_FIELD": "(id, field, component_id, required, batch)",
    "REEL_ARCHETYPE_END": "(id)",
}


def c_string(text: str) -> str:
    if not re.fullmatch(r"[ -~]*", text) or "\\" in text:
        fail(f"unexpected character in {text!r}")
    return '"' + text.replace('"', '\\"') + '"'


def render() -> str:
    encodings = sorted(collect_encodings(), key=lambda e: e.name)
    components = sorted(collect_components(), key=lambda c: c.name)
    enums = sorted(collect_enums(), key=lambda e: e.name)
    archetypes = sorted(collect_archetypes({c.short for c in components}), key=lambda a: a.name)

    for kind, items in (("encoding", encodings), ("component", components),
                        ("enum", enums), ("archetype", archetypes)):
        shorts = [i.short for i in items]
        if len(set(shorts)) != len(shorts):
            fail(f"{kind} short names are not unique")
    known_types = {e.name for e in encodings} | {c.name for c in components}
    for e in enums:
        if e.name not in known_types:
            fail(f"enum {e.name} is neither a component nor an encoding")

    lines = [HEADER.format(rerun_version=importlib.metadata.version("rerun-sdk"),
                           pyarrow_version=pyarrow.__version__)]
    for macro, params in MACROS.items():
        lines.append(f"#ifndef {macro}\n#define {macro}{params}\n#endif")
    lines.append("")
    lines.append(f"REEL_RERUN_SDK_VERSION({c_string(importlib.metadata.version('rerun-sdk'))})")
    lines.append(f"\n/* ---- encodings ({len(encodings)}) */")
    for e in encodings:
        lines.append(f"REEL_ENCODING({e.short}, {c_string(e.name)}, {c_string(e.arrow)})")
    lines.append(f"\n/* ---- components ({len(components)}) */")
    for c in components:
        lines.append(f"REEL_COMPONENT({c.short}, {c_string(c.name)}, {c_string(c.encoding)}, "
                     f"{c_string(c.arrow)})")
    lines.append(f"\n/* ---- enums ({len(enums)}) */")
    for e in enums:
        lines.append(f"REEL_ENUM_BEGIN({e.short}, {c_string(e.name)})")
        for value_name, value in e.values:
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", value_name):
                fail(f"{e.name}.{value_name}: not a C identifier")
            if not 0 <= value <= 0xFFFFFFFF:
                fail(f"{e.name}.{value_name}: value {value} does not fit in uint32")
            literal = f"0x{value:08X}u" if value > 0xFFFF else f"{value}u"
            lines.append(f"REEL_ENUM_VALUE({e.short}, {value_name}, {literal})")
        lines.append(f"REEL_ENUM_END({e.short})")
    lines.append(f"\n/* ---- archetypes ({len(archetypes)}) */")
    for a in archetypes:
        lines.append(f"REEL_ARCHETYPE_BEGIN({a.short}, {a.snake}, {c_string(a.name)}, {a.tier})")
        for f in a.fields:
            lines.append(f"REEL_ARCHETYPE_FIELD({a.short}, {f.name}, {f.component_short}, "
                         f"{'REQUIRED' if f.required else 'OPTIONAL'}, "
                         f"{'BATCH' if f.batch else 'MONO'})")
        lines.append(f"REEL_ARCHETYPE_END({a.short})")
    lines.append("")
    for macro in MACROS:
        lines.append(f"#undef {macro}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--output", type=Path, help="write here instead of stdout")
    args = parser.parse_args()
    text = render()
    if args.output:
        args.output.write_text(text, encoding="ascii")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
