"""Reel's Arrow C Data Interface against pyarrow: pyarrow exports every case's batches
(sliced ones included, so imports see non-zero offsets), Reel imports them with full
validation and exports them again (tests/ctypes/reel_c_data_roundtrip.c), and pyarrow imports
the result, which must be valid and equal, metadata included. Bad arrays must be refused.
"""

from __future__ import annotations

import ctypes

import pyarrow as pa
import pytest

from cases import CASES, CASES_BY_NAME
from test_arrow_interop import assert_batches_equal

CASE_PARAMS = [pytest.param(c, id=c.name) for c in CASES]


class ArrowSchema(ctypes.Structure):
    pass


ArrowSchema._fields_ = [
    ("format", ctypes.c_char_p),
    ("name", ctypes.c_char_p),
    ("metadata", ctypes.c_void_p),
    ("flags", ctypes.c_int64),
    ("n_children", ctypes.c_int64),
    ("children", ctypes.c_void_p),
    ("dictionary", ctypes.c_void_p),
    ("release", ctypes.c_void_p),
    ("private_data", ctypes.c_void_p),
]


class ArrowArray(ctypes.Structure):
    _fields_ = [
        ("length", ctypes.c_int64),
        ("null_count", ctypes.c_int64),
        ("offset", ctypes.c_int64),
        ("n_buffers", ctypes.c_int64),
        ("n_children", ctypes.c_int64),
        ("buffers", ctypes.c_void_p),
        ("children", ctypes.c_void_p),
        ("dictionary", ctypes.c_void_p),
        ("release", ctypes.c_void_p),
        ("private_data", ctypes.c_void_p),
    ]


@pytest.fixture(scope="module")
def roundtrip_fn(c_data_lib):
    lib = ctypes.CDLL(str(c_data_lib))
    fn = lib.reel_test_c_data_roundtrip
    fn.argtypes = [ctypes.c_void_p] * 4 + [ctypes.c_char_p, ctypes.c_size_t]
    fn.restype = ctypes.c_int
    return fn


def _release_if_live(struct_):
    if struct_.release:
        ctypes.CFUNCTYPE(None, ctypes.c_void_p)(struct_.release)(ctypes.addressof(struct_))


def reel_roundtrip(fn, batch: pa.RecordBatch):
    """Returns (rc, message, batch or None). Checks that Reel took ownership of the inputs."""
    in_schema, in_array, out_schema, out_array = ArrowSchema(), ArrowArray(), ArrowSchema(), \
        ArrowArray()
    batch._export_to_c(ctypes.addressof(in_array), ctypes.addressof(in_schema))
    err = ctypes.create_string_buffer(1024)
    rc = fn(ctypes.addressof(in_schema), ctypes.addressof(in_array), ctypes.addressof(out_schema),
            ctypes.addressof(out_array), err, len(err))
    message = err.value.decode("utf-8", errors="replace")
    moved = (in_schema.release is None, in_array.release is None)
    # Never leak, even when the contract was broken (the assert below reports it).
    _release_if_live(in_schema)
    _release_if_live(in_array)
    assert moved == (True, True), f"inputs not taken over (release left set): {moved}; {message}"
    if rc != 0:
        assert out_schema.release is None and out_array.release is None
        return rc, message, None
    assert out_schema.release and out_array.release, "Reel exported released structs"
    got = pa.RecordBatch._import_from_c(ctypes.addressof(out_array), ctypes.addressof(out_schema))
    return rc, message, got


@pytest.mark.parametrize("case", CASE_PARAMS)
def test_c_data_roundtrip(case, roundtrip_fn):
    for b, want in enumerate(case.stream_batches()):
        rc, message, got = reel_roundtrip(roundtrip_fn, want)
        assert rc == 0, f"batch {b}: {message}"
        got.validate(full=True)
        assert got.schema.equals(want.schema, check_metadata=True), \
            f"batch {b}: schema\n got {got.schema}\n{got.schema.metadata}\nwant {want.schema}"
        assert_batches_equal(case, got, want, f"batch {b}")


def test_c_data_column_offsets(roundtrip_fn):
    """Every column of a sliced batch keeps its values when the columns themselves carry
    different offsets (a batch assembled from differently sliced arrays)."""
    case = CASES_BY_NAME["slice_offset_3"]
    full = case.full_batch()
    columns = [full.column(i).slice(1 + i, 5) for i in range(full.num_columns)]
    want = pa.RecordBatch.from_arrays(columns, schema=full.schema)
    rc, message, got = reel_roundtrip(roundtrip_fn, want)
    assert rc == 0, message
    got.validate(full=True)
    assert_batches_equal(case, got, want, "mixed offsets")


def _bad_batches():
    def i32(*v):
        return pa.array(v, type=pa.int32()).buffers()[1]

    yield "string offsets decreasing", pa.Array.from_buffers(
        pa.string(), 3, [None, i32(0, 2, 1, 3), pa.py_buffer(b"abc")])
    yield "invalid UTF-8", pa.Array.from_buffers(
        pa.string(), 2, [None, i32(0, 1, 3), pa.py_buffer(b"a\xff\xfe")])
    values = pa.array([1, 2, 3], type=pa.int64())
    yield "list offsets decreasing", pa.Array.from_buffers(
        pa.list_(pa.int64()), 3, [None, i32(0, 2, 1, 3)], children=[values])
    t = pa.dense_union([pa.field("n", pa.null()), pa.field("x", pa.int32())])
    yield "dense union bad type code", pa.Array.from_buffers(
        t, 2, [None, pa.py_buffer(bytes([1, 5])), i32(0, 0)],
        children=[pa.nulls(1), pa.array([7], type=pa.int32())])
    yield "dense union offset past the child", pa.Array.from_buffers(
        t, 2, [None, pa.py_buffer(bytes([1, 1])), i32(0, 3)],
        children=[pa.nulls(1), pa.array([7], type=pa.int32())])
    yield "dictionary index past the dictionary", pa.DictionaryArray.from_arrays(
        pa.array([0, None, 5], type=pa.int8()), pa.array(["x", "y"]), safe=False)
    yield "negative dictionary index", pa.DictionaryArray.from_arrays(
        pa.array([-1, 1], type=pa.int32()), pa.array(["x", "y"]), safe=False)
    yield "invalid UTF-8 in a dictionary", pa.DictionaryArray.from_arrays(
        pa.array([0, 0], type=pa.int8()),
        pa.Array.from_buffers(pa.string(), 1, [None, i32(0, 2), pa.py_buffer(b"\xff\xfe")]))


@pytest.mark.parametrize("what, array", [pytest.param(w, a, id=w) for w, a in _bad_batches()])
def test_c_data_rejects_invalid(what, array, roundtrip_fn):
    with pytest.raises(pa.ArrowInvalid):
        array.validate(full=True)  # the input really is invalid
    batch = pa.RecordBatch.from_arrays([array], names=["bad"])
    rc, message, got = reel_roundtrip(roundtrip_fn, batch)
    assert rc != 0 and got is None, f"{what}: accepted"
    assert "import_array" in message and "bad" in message, message
