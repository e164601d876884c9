"""The Arrow interop matrix, defined once: every case is a small table given as pyarrow types
plus values in the JSON value form that tests/tools/arrow_interop_tool.c shares.

The JSON value form: None; True/False; ints (exact, up to uint64 max); floats, with NaN and
infinities as the strings "NaN", "inf", "-inf"; str; binary and fixed_size_binary as
lower-case hex strings; decimals as exact decimal strings (Python's format(d, "f"):
"-12.50", "12300" for a negative scale); lists as lists; structs as dicts; unions as
[type_code, value]; maps as lists of {"key": k, "value": v} (the names of the map's key and
value fields); dictionary-encoded values as
the values themselves; date/time/timestamp/duration as ints (their storage value).

A case becomes a pyarrow RecordBatch (Case.full_batch), the batches a stream of it holds
(Case.stream_batches: sliced and split as the case says), the expected JSON values of those
batches, and the case file the C tool's `build` command reads (Case.tool_case).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Optional

import pyarrow as pa

I64_MIN, I64_MAX = -(2**63), 2**63 - 1
U64_MAX = 2**64 - 1


@dataclass(frozen=True)
class Col:
    name: str
    type: pa.DataType
    values: list
    nullable: bool = True
    metadata: Optional[dict] = None

    def pa_field(self) -> pa.Field:
        return pa.field(self.name, self.type, nullable=self.nullable, metadata=self.metadata)


@dataclass(frozen=True)
class Case:
    name: str
    columns: tuple
    schema_metadata: Optional[dict] = None
    # (offset, length) applied to every column before writing.
    slice: Optional[tuple] = None
    # Row counts of the batches the stream holds (they must add up to the row count after
    # slicing); None = one batch. Zero-row batches are allowed.
    splits: Optional[tuple] = None
    tags: tuple = field(default=())

    def __post_init__(self):
        lengths = {len(c.values) for c in self.columns}
        assert len(lengths) == 1, f"{self.name}: columns differ in length: {lengths}"
        assert not (self.slice and self.splits), f"{self.name}: use slice or splits, not both"
        if self.splits is not None:
            assert sum(self.splits) == self.row_count(), f"{self.name}: splits do not add up"

    def row_count(self) -> int:
        n = len(self.columns[0].values)
        if self.slice:
            offset, length = self.slice
            assert offset + length <= n
            return length
        return n

    def schema(self) -> pa.Schema:
        return pa.schema([c.pa_field() for c in self.columns], metadata=self.schema_metadata)

    def full_batch(self) -> pa.RecordBatch:
        arrays = [build_array(c.type, c.values) for c in self.columns]
        return pa.RecordBatch.from_arrays(arrays, schema=self.schema())

    def _ranges(self):
        """(start, length) of each stream batch within the unsliced values."""
        start = self.slice[0] if self.slice else 0
        if self.splits is None:
            return [(start, self.row_count())]
        ranges = []
        for n in self.splits:
            ranges.append((start, n))
            start += n
        return ranges

    def stream_batches(self) -> list:
        """The batches as pyarrow should write them (slices of the full batch)."""
        full = self.full_batch()
        if self.slice is None and self.splits is None:
            return [full]
        return [full.slice(start, n) for start, n in self._ranges()]

    def expected_values(self) -> list:
        """Per stream batch, per column, the JSON values."""
        return [[c.values[start:start + n] for c in self.columns] for start, n in self._ranges()]

    def tool_case(self) -> dict:
        """The case file for `arrow_interop_tool build`."""
        fields = [
            {
                "name": c.name,
                "type": str(c.type),
                "nullable": c.nullable,
                "metadata": dict(c.metadata or {}),
            }
            for c in self.columns
        ]
        if self.splits is not None:
            batches = [{"columns": cols} for cols in self.expected_values()]
        else:
            batches = [{"columns": [list(c.values) for c in self.columns],
                        "slice": list(self.slice) if self.slice else None}]
        return {
            "name": self.name,
            "fields": fields,
            "schema_metadata": dict(self.schema_metadata or {}),
            "batches": batches,
        }


# ---------------------------------------------------------------- JSON form -> pyarrow


def contains_union(t: pa.DataType) -> bool:
    if pa.types.is_union(t):
        return True
    if pa.types.is_dictionary(t):
        return contains_union(t.value_type)
    return any(contains_union(t.field(i).type) for i in range(t.num_fields))


def json_float(v):
    if isinstance(v, str):
        return {"NaN": math.nan, "inf": math.inf, "-inf": -math.inf}[v]
    return float(v)


def json_to_py(t: pa.DataType, v: Any) -> Any:
    """A JSON-form value as a Python value pa.array accepts for type t (no unions)."""
    if v is None:
        return None
    if pa.types.is_floating(t):
        return json_float(v)
    if pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_fixed_size_binary(t):
        return bytes.fromhex(v)
    if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t):
        return [json_to_py(t.value_type, x) for x in v]
    if pa.types.is_struct(t):
        assert set(v) <= {t.field(i).name for i in range(t.num_fields)}, v
        return {t.field(i).name: json_to_py(t.field(i).type, v.get(t.field(i).name))
                for i in range(t.num_fields)}
    if pa.types.is_map(t):
        key, item = t.key_field.name, t.item_field.name
        return [(json_to_py(t.key_type, e[key]), json_to_py(t.item_type, e[item])) for e in v]
    if pa.types.is_decimal(t):
        return Decimal(v)
    if pa.types.is_dictionary(t):
        return json_to_py(t.value_type, v)
    return v


def build_array(t: pa.DataType, values: list) -> pa.Array:
    """pa.array for everything, UnionArray.from_dense/from_sparse for unions (also nested)."""
    if not contains_union(t):
        return pa.array([json_to_py(t, v) for v in values], type=t)
    if pa.types.is_union(t):
        codes = list(t.type_codes)
        names = [t.field(i).name for i in range(t.num_fields)]
        assert all(v is not None for v in values), "a union value is [type_code, value]"
        type_ids = pa.array([v[0] for v in values], type=pa.int8())
        if t.mode == "dense":
            per_child = [[] for _ in codes]
            offsets = []
            for code, value in values:
                k = codes.index(code)
                offsets.append(len(per_child[k]))
                per_child[k].append(value)
            children = [build_array(t.field(k).type, per_child[k]) for k in range(len(codes))]
            return pa.UnionArray.from_dense(type_ids, pa.array(offsets, type=pa.int32()),
                                            children, names, codes)
        children = []
        for k, code in enumerate(codes):
            children.append(build_array(t.field(k).type,
                                        [v[1] if v[0] == code else None for v in values]))
        return pa.UnionArray.from_sparse(type_ids, children, names, codes)
    mask = pa.array([v is None for v in values], type=pa.bool_())
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        offsets, flat = [0], []
        for v in values:
            flat.extend(v or [])
            offsets.append(len(flat))
        cls = pa.ListArray if pa.types.is_list(t) else pa.LargeListArray
        off_type = pa.int32() if pa.types.is_list(t) else pa.int64()
        return cls.from_arrays(pa.array(offsets, type=off_type), build_array(t.value_type, flat),
                               type=t, mask=mask)
    if pa.types.is_fixed_size_list(t):
        raise NotImplementedError("fixed_size_list<union> is not in the matrix")
    if pa.types.is_struct(t):
        fields = [t.field(i) for i in range(t.num_fields)]
        children = [build_array(f.type, [None if v is None else v.get(f.name) for v in values])
                    for f in fields]
        return pa.StructArray.from_arrays(children, fields=fields, mask=mask)
    raise NotImplementedError(str(t))


# ---------------------------------------------------------------- the matrix

CASES: list = []


def case(name, *columns, **kw):
    CASES.append(Case(name, tuple(columns), **kw))


def col(name, t, values, nullable=True, metadata=None):
    return Col(name, t, list(values), nullable, metadata)


# --- null, bool
case("null_type", col("n", pa.null(), [None] * 5))
BOOLS = [True, False, None, True, True, False, None, False, True, True, False, None, True]
case("bool", col("b", pa.bool_(), BOOLS), col("b_not_null", pa.bool_(),
     [bool(i % 3) for i in range(len(BOOLS))], nullable=False))

# --- integers, every width, extremes
INT_RANGES = {
    "int8": (pa.int8(), -(2**7), 2**7 - 1),
    "int16": (pa.int16(), -(2**15), 2**15 - 1),
    "int32": (pa.int32(), -(2**31), 2**31 - 1),
    "int64": (pa.int64(), I64_MIN, I64_MAX),
    "uint8": (pa.uint8(), 0, 2**8 - 1),
    "uint16": (pa.uint16(), 0, 2**16 - 1),
    "uint32": (pa.uint32(), 0, 2**32 - 1),
    "uint64": (pa.uint64(), 0, U64_MAX),
}
for _name, (_t, _lo, _hi) in INT_RANGES.items():
    _vals = [_lo, _hi, 0, None, 1, _hi - 1, _lo + 1, None, 42]
    if _lo < 0:
        _vals += [-1, -42]
    else:
        _vals += [_hi // 2, _hi // 2 + 1]  # uint64: 2**63 - 1 and 2**63
    case(_name, col("v", _t, _vals))

# --- floats: signed zero, NaN, infinities, extremes, subnormals
case("float16", col("h", pa.float16(), [
    0.0, -0.0, 1.0, -2.5, 65504.0, -65504.0, 6.103515625e-05, 5.960464477539063e-08,
    -5.960464477539063e-08, 3.0517578125e-05, "NaN", "inf", "-inf", None, 0.1, 1.0009765625]))
case("float32", col("f", pa.float32(), [
    0.0, -0.0, 1.5, 3.4028234663852886e38, -3.4028234663852886e38, 1.1754943508222875e-38,
    1.401298464324817e-45, -1.401298464324817e-45, 5.877471754111438e-39, "NaN", "inf", "-inf",
    None, 0.1, 16777217.0]))
case("float64", col("d", pa.float64(), [
    0.0, -0.0, 1.5, 1.7976931348623157e308, -1.7976931348623157e308, 2.2250738585072014e-308,
    5e-324, -5e-324, 1.1125369292536007e-308, "NaN", "inf", "-inf", None, 0.1,
    9007199254740993.0, 1e-300, 123456789.125]))

# --- strings and binary
STRINGS = ["", "ascii", "héllo wörld", "日本語テキスト", "emoji 🎉🚀", None, "tab\tnl\n\"q\"\\ /",
           "nul\u0000inside", "ctl\u0001\u001f\u007f", "\u2028\u2029", "", None, "ÿ",
           "a" * 100]
case("string", col("s", pa.string(), STRINGS))
case("large_string", col("s", pa.large_string(), STRINGS))
BINARIES = ["", "00", "deadbeef", None, "ff" * 20, "000102030405060708090a0b0c0d0e0f10", "80"]
case("binary", col("b", pa.binary(), BINARIES))
case("large_binary", col("b", pa.large_binary(), BINARIES))
TUIDS = ["17a2b3c4d5e6f7080000000000000001", "17a2b3c4d5e6f7080000000000000002", None,
         "00000000000000000000000000000000", "ffffffffffffffffffffffffffffffff",
         "0123456789abcdeffedcba9876543210"]
case("fixed_size_binary16", col("tuid", pa.binary(16), TUIDS))
case("fixed_size_binary3", col("b", pa.binary(3), ["000000", "abcdef", None, "ffffff"]))

# --- temporal
case("date32", col("d", pa.date32(), [0, 19000, -1, None, 2**31 - 1, -(2**31), 20000]))
case("date64", col("d", pa.date64(), [0, 86400000 * 19675, -86400000, None, 86400000 * 20000]))
case("time32_s", col("t", pa.time32("s"), [0, 86399, None, 3600]))
case("time32_ms", col("t", pa.time32("ms"), [0, 86399999, None, 1]))
case("time64_us", col("t", pa.time64("us"), [0, 86399999999, None, 1]))
case("time64_ns", col("t", pa.time64("ns"), [0, 86399999999999, None, 1]))
TIMESTAMPS = [0, 1700000000123456789, -1, None, I64_MAX, I64_MIN, 1]
case("timestamp_ns", col("ts", pa.timestamp("ns"), TIMESTAMPS))
case("timestamp_ns_utc", col("ts", pa.timestamp("ns", tz="UTC"), TIMESTAMPS))
case("timestamp_ns_plus0100", col("ts", pa.timestamp("ns", tz="+01:00"), TIMESTAMPS))
case("timestamp_us_tz_name", col("ts", pa.timestamp("us", tz="Europe/Stockholm"),
                                 [0, 1700000000123456, None]))
case("timestamp_s", col("ts", pa.timestamp("s"), [0, 1700000000, None, -1]))
case("timestamp_ms", col("ts", pa.timestamp("ms"), [0, 1700000000123, None, -1]))
case("timestamp_us", col("ts", pa.timestamp("us"), [0, 1700000000123456, None, -1]))
for _unit in ("ns", "us", "ms", "s"):
    case(f"duration_{_unit}", col("dur", pa.duration(_unit), [0, 1, -1, None, I64_MAX, I64_MIN]))

# --- lists
case("list_float", col("l", pa.list_(pa.float32()),
                       [[1.0, 2.0], [], None, [None, "NaN"], [-0.0], [0.5, 1.5, 2.5, 3.5]]))
case("list_not_null_items", col("l", pa.list_(pa.field("item", pa.int32(), nullable=False)),
                                [[1, 2], [], None, [3]]))
case("large_list_int64", col("l", pa.large_list(pa.int64()),
                             [[1, 2, 3], [], None, [I64_MAX, I64_MIN, None]]))
FSL3 = pa.list_(pa.float32(), 3)
case("fixed_size_list_float3", col("positions", FSL3,
                                   [[1.0, 2.0, 3.0], None, [None, 0.5, -1.0], [0.0, -0.0, "inf"]]))
case("list_fixed_size_list_float3", col("positions", pa.list_(FSL3), [
    [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], [], None, [[7.0, 8.0, 9.0]], [None, [0.0, 0.0, 0.0]]]))
case("list_list_string", col("ll", pa.list_(pa.list_(pa.string())),
                             [[["a"], [], None, ["b", None]], None, [], [[""]]]))
NESTED_STRUCT = pa.struct([pa.field("a", pa.int32()), pa.field("b", pa.list_(pa.utf8()))])
NESTED_VALUES = [
    [{"a": 1, "b": ["x", "y"]}, {"a": None, "b": None}, None, {"a": 2, "b": [None, ""]}],
    [],
    None,
    [{"a": 3, "b": []}],
    [None],
    [{"a": -4, "b": ["ü", None, "z"]}, {"a": 5, "b": ["w"]}],
]
case("list_struct_nested_nulls", col("items", pa.list_(NESTED_STRUCT), NESTED_VALUES))

# --- structs
STRUCT_NN = pa.struct([pa.field("x", pa.float32(), nullable=False), pa.field("y", pa.string()),
                       pa.field("z", pa.list_(pa.int16()))])
case("struct_non_nullable_child", col("s", STRUCT_NN, [
    {"x": 1.0, "y": "a", "z": [1]}, {"x": 2.0, "y": None, "z": None}, None,
    {"x": -0.0, "y": "", "z": []}]))
case("struct_nested", col("s", pa.struct([
    pa.field("inner", pa.struct([pa.field("p", pa.int64()), pa.field("q", pa.bool_())])),
    pa.field("tag", pa.binary(2))]), [
    {"inner": {"p": 1, "q": True}, "tag": "abcd"}, {"inner": None, "tag": None}, None,
    {"inner": {"p": None, "q": None}, "tag": "0000"}]))

# --- unions (Rerun's dense union: a `_null_markers: null` child at code 0)
RERUN_UNION = pa.dense_union([pa.field("_null_markers", pa.null()), pa.field("x", pa.int32()),
                              pa.field("s", pa.utf8())])
case("dense_union_null_markers", col("u", RERUN_UNION, [
    [1, 5], [0, None], [2, "hi"], [1, None], [1, -7], [2, ""], [0, None], [2, "ö"]]))
case("dense_union_custom_codes", col("u", pa.dense_union(
    [pa.field("i", pa.int64()), pa.field("f", pa.list_(pa.float64()))], type_codes=[3, 7]), [
    [7, [1.0, 2.0]], [3, 1], [3, None], [7, []], [7, None], [3, I64_MAX]]))
case("sparse_union", col("u", pa.sparse_union([pa.field("a", pa.int32()),
                                                pa.field("b", pa.utf8())]), [
    [0, 1], [1, "x"], [0, None], [1, None], [1, "yy"]]))
case("sparse_union_custom_codes", col("u", pa.sparse_union(
    [pa.field("n", pa.null()), pa.field("a", pa.uint8()), pa.field("b", pa.bool_())],
    type_codes=[2, 9, 127]), [[9, 255], [127, True], [2, None], [9, None], [127, False]]))
case("list_dense_union", col("lu", pa.list_(RERUN_UNION),
                             [[[1, 1], [2, "a"]], [], None, [[0, None]]]))

# --- empty arrays and batches
case("empty_arrays",
     col("i", pa.int32(), []), col("s", pa.string(), []), col("l", pa.list_(pa.float32()), []),
     col("st", NESTED_STRUCT, []), col("u", RERUN_UNION, []), col("b", pa.binary(16), []),
     col("bo", pa.bool_(), []), col("n", pa.null(), []),
     col("su", pa.sparse_union([pa.field("a", pa.int8())]), []))
case("zero_row_batch_in_stream",
     col("i", pa.int64(), [1, 2, 3, None, 5]), col("s", pa.string(), ["a", None, "c", "d", ""]),
     col("l", pa.list_(pa.int8()), [[1], None, [], [2, 3], [4]]),
     splits=(3, 0, 2))
case("several_batches",
     col("i", pa.int64(), list(range(10))),
     col("b", pa.bool_(), [i % 3 == 0 if i % 4 else None for i in range(10)]),
     col("s", pa.large_string(), [f"row {i}" if i % 5 else None for i in range(10)]),
     col("u", RERUN_UNION, [[1, i] if i % 2 else [2, str(i)] for i in range(10)]),
     splits=(2, 2, 2, 1, 3), schema_metadata={"batches": "5"})

# --- slices with odd offsets
N = 23
SLICE_COLUMNS = (
    col("b", pa.bool_(), [None if i % 7 == 0 else i % 3 == 1 for i in range(N)]),
    col("s", pa.string(), [None if i % 5 == 2 else "s" * (i % 4) + str(i) for i in range(N)]),
    col("l", pa.list_(pa.int32()), [None if i % 6 == 1 else list(range(i % 4)) for i in range(N)]),
    col("st", NESTED_STRUCT, [None if i % 4 == 3 else {"a": i, "b": [str(i)] * (i % 3)}
                              for i in range(N)]),
    col("fsl", FSL3, [None if i % 5 == 0 else [float(i), -float(i), 0.5] for i in range(N)]),
    col("lfsl", pa.list_(FSL3), [[[float(i)] * 3] * (i % 3) for i in range(N)]),
    col("fsb", pa.binary(16), [None if i % 3 == 0 else f"{i:032x}" for i in range(N)]),
    col("du", RERUN_UNION, [[0, None] if i % 3 == 0 else [1, i] if i % 3 == 1 else [2, str(i)]
                            for i in range(N)]),
    col("su", pa.sparse_union([pa.field("a", pa.int32()), pa.field("b", pa.utf8())]),
        [[0, i] if i % 2 else [1, str(i)] for i in range(N)]),
    col("i64", pa.int64(), [None if i % 8 == 0 else i * 1000 for i in range(N)]),
    col("h", pa.float16(), [None if i % 9 == 0 else i / 4 for i in range(N)]),
    col("bin", pa.binary(), [None if i % 4 == 0 else "ab" * i for i in range(N)]),
    col("ll", pa.large_list(pa.large_string()),
        [None if i % 7 == 3 else ["x"] * (i % 3) for i in range(N)]),
    col("n", pa.null(), [None] * N),
)
case("slice_offset_3", *SLICE_COLUMNS, slice=(3, 9))
case("slice_offset_13", *SLICE_COLUMNS, slice=(13, 10))
case("slice_offset_1_len_0", *SLICE_COLUMNS, slice=(1, 0))
case("slice_offset_7_len_1", *SLICE_COLUMNS, slice=(7, 1))

# --- metadata
case("metadata_non_ascii",
     col("position", pa.float64(), [1.0, None], metadata={"unit": "µm", "説明": "位置 🚀",
                                                          "empty": ""}),
     col("plain", pa.int8(), [1, 2], metadata={}),
     col("名前", pa.string(), ["ä", None]),
     schema_metadata={"author": "Zoë", "emoji": "🎉", "quote\"and\\slash": "line\nbreak",
                      "": "empty key"})
case("names_unusual", col("", pa.int32(), [1]), col("with space", pa.int32(), [2]),
     col("ü:<>,", pa.int32(), [3]))

# --- a Rerun chunk, roughly as the SDK logs Points3D
ROW_IDS = [f"{0x17a2b3c4d5e6f708 + i:016x}{i + 1:016x}" for i in range(4)]
case("rerun_chunk_like",
     col("rerun.controls.RowId", pa.binary(16), ROW_IDS, nullable=False, metadata={
         "ARROW:extension:name": "rerun.datatypes.TUID", "ARROW:extension:metadata": "",
         "rerun:kind": "control"}),
     col("frame", pa.int64(), [0, 1, 2, 3], nullable=False, metadata={
         "rerun:kind": "index", "rerun:index_name": "frame"}),
     col("log_time", pa.timestamp("ns"), [1700000000000000000 + i for i in range(4)],
         metadata={"rerun:kind": "index", "rerun:index_name": "log_time"}),
     col("Points3D:positions", pa.list_(FSL3),
         [[[0.0, 0.0, 0.0], [1.0, 0.0, 0.0]], [[0.0, 1.0, 0.0]], None, []],
         metadata={"rerun:kind": "data", "rerun:component": "Points3D:positions",
                   "rerun:archetype": "rerun.archetypes.Points3D",
                   "rerun:component_type": "rerun.components.Position3D"}),
     col("Points3D:colors", pa.list_(pa.uint32()),
         [[0xFF0000FF, 0x00FF00FF], [0xFFFFFFFF], None, [0]],
         metadata={"rerun:kind": "data", "rerun:component": "Points3D:colors"}),
     schema_metadata={"sorbet:version": "0.1.3", "rerun:entity_path": "/points",
                      "rerun:id": "chunk_17A2B3C4D5E6F7080000000000000001"})

# --- a bigger batch (buffers beyond a few bytes, many bitmap bytes)
BIG = 1000
case("big_mixed",
     col("i", pa.int32(), [None if i % 13 == 0 else i * 7 - 3000 for i in range(BIG)]),
     col("f", pa.float64(), [i / 3 for i in range(BIG)]),
     col("s", pa.string(), [None if i % 11 == 0 else "é" * (i % 5) for i in range(BIG)]),
     col("l", pa.list_(FSL3), [[[float(i), 1.0, 2.0]] * (i % 4) for i in range(BIG)]),
     col("b", pa.bool_(), [None if i % 17 == 0 else i % 2 == 0 for i in range(BIG)]),
     splits=(500, 499, 1))

# --- user data types (rr.AnyValues may carry any Arrow type): decimals, maps, dictionaries
case("decimal128", col("d", pa.decimal128(10, 2), [
    "1.25", "-0.05", None, "99999999.99", "-99999999.99", "0.00", "12.30", "-1.00"]))
case("decimal256", col("d", pa.decimal256(76, 10), [
    "123456789012345678901234567890123456789012345678901234567890.0123456789",
    "-" + "9" * 66 + "." + "9" * 10, None, "0.0000000001", "0.0000000000"]))
case("decimal_negative_scale", col("d", pa.decimal128(5, -3), ["12345000", "-1000", None, "0"]),
     col("w", pa.decimal256(40, -5), ["100000", None, "-12300000", "0"]))
case("decimal32_64", col("a", pa.decimal32(9, 3), ["123456.789", None, "-0.001", "0.000"]),
     col("b", pa.decimal64(18, 0), ["999999999999999999", "-1", None, "0"]))
MAP_SI = pa.map_(pa.string(), pa.int64())
MAP_VALUES = [[{"key": "gain", "value": 3}, {"key": "offset", "value": -1}], [], None,
              [{"key": "a", "value": None}], [{"key": "", "value": I64_MAX}]]
case("map_string_int64", col("m", MAP_SI, MAP_VALUES))
case("map_string_list_int64", col("m", pa.map_(pa.string(), pa.list_(pa.int64())), [
    [{"key": "k", "value": [1, 2]}, {"key": "l", "value": None}], None, [],
    [{"key": "m", "value": []}, {"key": "n", "value": [None, 3]}]]))
case("map_keys_sorted_nested", col("m", pa.map_(pa.int32(), pa.struct([
    pa.field("x", pa.float64()), pa.field("tags", pa.list_(pa.string()))]), keys_sorted=True), [
    [{"key": 1, "value": {"x": 0.5, "tags": ["a"]}}, {"key": 2, "value": None}], None,
    [{"key": -7, "value": {"x": None, "tags": []}}]]))
# (Maps with other key/value names are left out: pyarrow's IPC reader renames them to "key"
# and "value", so its schema never equals the case's; tests/arrow covers the names.)
case("list_struct_map", col("l", pa.list_(MAP_SI), [[MAP_VALUES[0], None, []], None, [], [[]]]),
     col("s", pa.struct([pa.field("m", MAP_SI), pa.field("i", pa.int8())]), [
         {"m": MAP_VALUES[0], "i": 1}, None, {"m": None, "i": None}, {"m": [], "i": 2}]))
WORDS = ["cat", "dog", None, "cat", "emu", "dog", "", "🦀", None, "cat"]
case("dictionary_string_int32", col("d", pa.dictionary(pa.int32(), pa.string()), WORDS))
case("dictionary_string_int8", col("d", pa.dictionary(pa.int8(), pa.string()), WORDS),
     col("o", pa.dictionary(pa.int8(), pa.string(), ordered=True), WORDS[::-1]))
case("dictionary_other_values", col("i", pa.dictionary(pa.int16(), pa.int64()),
                                    [5, 5, None, I64_MIN, 5, 0]),
     col("u", pa.dictionary(pa.uint8(), pa.large_string()), ["x", None, "y", "x", "x", "z"]),
     col("f", pa.dictionary(pa.int64(), pa.float64()), [0.5, -1.5, 0.5, None, -0.0, "inf"]))
case("dictionary_nested", col("l", pa.list_(pa.dictionary(pa.int8(), pa.string())), [
    ["a", "b", None], None, [], ["b", "b"]]),
     col("s", pa.struct([pa.field("d", pa.dictionary(pa.int32(), pa.string())),
                         pa.field("n", pa.int16())]), [
         {"d": "x", "n": 1}, None, {"d": None, "n": 2}, {"d": "y", "n": None}]))
N_USER = 17
USER_COLUMNS = (
    col("dec", pa.decimal128(12, 3), [None if i % 5 == 2 else f"{i * 1001 - 7000}.{i:03d}"
                                      for i in range(N_USER)]),
    col("map", MAP_SI, [None if i % 4 == 1 else [{"key": f"k{j}", "value": i * j}
                                                   for j in range(i % 3)]
                        for i in range(N_USER)]),
    col("dict", pa.dictionary(pa.int8(), pa.string()),
        [None if i % 6 == 3 else f"w{i % 4}" for i in range(N_USER)]),
    col("ldict", pa.list_(pa.dictionary(pa.int32(), pa.string())),
        [None if i % 7 == 0 else [f"v{(i + j) % 3}" for j in range(i % 3)] for i in range(N_USER)]),
)
case("user_types_slice_offset_3", *USER_COLUMNS, slice=(3, 9))
case("user_types_slice_offset_11", *USER_COLUMNS, slice=(11, 6))
case("user_types_empty", *(col(c.name, c.type, []) for c in USER_COLUMNS))

CASES_BY_NAME = {c.name: c for c in CASES}
# A few cases for the variants (other writer options, alignment) and the hostile tests.
VARIANT_CASES = ["bool", "uint64", "string", "list_struct_nested_nulls", "dense_union_null_markers",
                 "slice_offset_13", "several_batches", "rerun_chunk_like", "decimal128",
                 "map_string_list_int64", "dictionary_nested", "user_types_slice_offset_3"]
assert len(CASES_BY_NAME) == len(CASES), "case names must be unique"


# ---------------------------------------------------------------- pyarrow -> JSON form


def float_to_json(x: float):
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def leaf_to_json(t: pa.DataType, s: pa.Scalar) -> Any:
    """A non-nested pyarrow scalar in the JSON value form (temporal types as storage ints)."""
    if not s.is_valid:
        return None
    if pa.types.is_floating(t):
        return float_to_json(float(s.as_py()))
    if pa.types.is_decimal(t):
        return format(s.as_py(), "f")
    if pa.types.is_temporal(t):
        bits = 32 if (pa.types.is_date32(t) or pa.types.is_time32(t)) else 64
        return s.cast(pa.int32() if bits == 32 else pa.int64()).as_py()
    if pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_fixed_size_binary(t):
        return s.as_py().hex()
    return s.as_py()


def array_to_json(a: pa.Array) -> list:
    """A pyarrow array in the JSON value form. Nested types are walked at the array level
    (offsets, children) because scalars lose union type codes of null values."""
    t = a.type
    n = len(a)
    if n == 0:
        return []  # (buffers of empty arrays read from IPC may be None)
    if pa.types.is_union(t):
        # Straight from the buffers: UnionArray.offsets ignores the array's offset.
        import numpy as np

        buffers = a.buffers()
        codes = np.frombuffer(buffers[1], dtype=np.int8)[a.offset:a.offset + n].tolist()
        children = [array_to_json(a.field(k)) for k in range(t.num_fields)]
        index = {code: k for k, code in enumerate(t.type_codes)}
        if t.mode == "dense":
            offsets = np.frombuffer(buffers[2], dtype=np.int32)[a.offset:a.offset + n].tolist()
            return [[codes[i], children[index[codes[i]]][offsets[i]]] for i in range(n)]
        return [[codes[i], children[index[codes[i]]][i]] for i in range(n)]
    if pa.types.is_null(t):
        return [None] * n
    if pa.types.is_dictionary(t):
        values = array_to_json(a.dictionary)
        return [None if i is None else values[i] for i in a.indices.to_pylist()]
    valid = a.is_valid().to_pylist()
    if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_map(t):
        offsets = a.offsets.to_pylist()
        child = array_to_json(a.values)
        return [child[offsets[i]:offsets[i + 1]] if valid[i] else None for i in range(n)]
    if pa.types.is_fixed_size_list(t):
        size = t.list_size
        child = array_to_json(a.values)
        return [child[(a.offset + i) * size:(a.offset + i + 1) * size] if valid[i] else None
                for i in range(n)]
    if pa.types.is_struct(t):
        names = [t.field(k).name for k in range(t.num_fields)]
        children = [array_to_json(a.field(k)) for k in range(t.num_fields)]
        return [{name: children[k][i] for k, name in enumerate(names)} if valid[i] else None
                for i in range(n)]
    return [leaf_to_json(t, a[i]) for i in range(n)]


# ---------------------------------------------------------------- comparing JSON-form values


def expected_float(t: pa.DataType, v) -> float:
    """The expected value after storage in t (float32/float16 round to nearest even)."""
    import numpy as np

    x = json_float(v)
    if pa.types.is_float32(t):
        return float(np.float32(x))
    if pa.types.is_float16(t):
        return float(np.float16(x))
    return x


def _float_equal(a: float, b: float) -> bool:
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)


def assert_json_equal(t: pa.DataType, expected: Any, got: Any, path: str = "") -> None:
    """Type-directed deep equality of JSON-form values: exact ints (bool is not int), floats
    with NaN == NaN and -0.0 != 0.0 (after rounding the expected value to t), hex binary,
    lists, structs (keys in field order), unions [code, value]."""
    where = path or "value"
    if pa.types.is_union(t):
        assert isinstance(got, list) and len(got) == 2, f"{where}: expected [code, value], got {got!r}"
        assert expected[0] == got[0] and type(got[0]) is int, \
            f"{where}: type code {got[0]!r}, expected {expected[0]!r}"
        k = list(t.type_codes).index(expected[0])
        assert_json_equal(t.field(k).type, expected[1], got[1], f"{where}[{expected[0]}]")
        return
    if expected is None or pa.types.is_null(t):
        assert got is None, f"{where}: expected null, got {got!r}"
        return
    assert got is not None, f"{where}: expected {expected!r}, got null"
    if pa.types.is_boolean(t):
        assert type(got) is bool and got == expected, f"{where}: expected {expected!r}, got {got!r}"
    elif pa.types.is_integer(t) or pa.types.is_temporal(t):
        assert type(got) is int and got == expected, f"{where}: expected {expected!r}, got {got!r}"
    elif pa.types.is_floating(t):
        assert isinstance(got, (int, float, str)) and not isinstance(got, bool), \
            f"{where}: expected a number, got {got!r}"
        if isinstance(got, str):
            assert got in ("NaN", "inf", "-inf"), f"{where}: bad float string {got!r}"
        # Reel prints the digits that read back as the same value of t's width, so read the
        # printed value back through t as well; any other value would round differently.
        want, have = expected_float(t, expected), expected_float(t, got)
        assert _float_equal(want, have), f"{where}: expected {want!r}, got {have!r}"
    elif pa.types.is_string(t) or pa.types.is_large_string(t):
        assert type(got) is str and got == expected, f"{where}: expected {expected!r}, got {got!r}"
    elif pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_fixed_size_binary(t):
        assert type(got) is str and got == expected.lower(), \
            f"{where}: expected hex {expected!r}, got {got!r}"
    elif pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t):
        assert isinstance(got, list) and len(got) == len(expected), \
            f"{where}: expected {len(expected)} items {expected!r}, got {got!r}"
        for i, (e, g) in enumerate(zip(expected, got)):
            assert_json_equal(t.value_type, e, g, f"{where}[{i}]")
    elif pa.types.is_struct(t):
        names = [t.field(i).name for i in range(t.num_fields)]
        assert isinstance(got, dict) and list(got) == names, \
            f"{where}: expected an object with keys {names}, got {got!r}"
        for i, name in enumerate(names):
            assert_json_equal(t.field(i).type, expected.get(name), got[name], f"{where}.{name}")
    elif pa.types.is_map(t):
        assert isinstance(got, list) and len(got) == len(expected), \
            f"{where}: expected {len(expected)} entries {expected!r}, got {got!r}"
        key, item = t.key_field.name, t.item_field.name
        for i, (e, g) in enumerate(zip(expected, got)):
            assert isinstance(g, dict) and list(g) == [key, item], \
                f"{where}[{i}]: expected {{{key}, {item}}}, got {g!r}"
            assert_json_equal(t.key_type, e[key], g[key], f"{where}[{i}].{key}")
            assert_json_equal(t.item_type, e[item], g[item], f"{where}[{i}].{item}")
    elif pa.types.is_decimal(t):
        assert type(got) is str and got == expected, f"{where}: expected {expected!r}, got {got!r}"
    elif pa.types.is_dictionary(t):
        assert_json_equal(t.value_type, expected, got, where)
    else:
        raise NotImplementedError(str(t))


def assert_columns_equal(case_: Case, batch_index: int, expected_columns: list, got_columns: list):
    assert len(got_columns) == len(case_.columns), \
        f"batch {batch_index}: {len(got_columns)} columns, expected {len(case_.columns)}"
    for c, (column, exp, got) in enumerate(zip(case_.columns, expected_columns, got_columns)):
        assert len(got) == len(exp), \
            f"batch {batch_index} column {column.name!r}: {len(got)} rows, expected {len(exp)}"
        for row, (e, g) in enumerate(zip(exp, got)):
            assert_json_equal(column.type, e, g,
                              f"batch {batch_index} column {column.name!r} row {row}")
