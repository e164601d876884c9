"""Reel's Arrow (src/arrow) against pyarrow, both directions, over the matrix in cases.py.

- pyarrow -> Reel: pyarrow writes each case as an IPC stream, `arrow_interop_tool read`
  decodes it (full validation) and prints types, metadata and values, compared with the
  case's JSON values.
- Reel -> pyarrow: `arrow_interop_tool build` builds the case with Reel's builders (sliced
  where the case says) and writes a stream (8- and 64-byte alignment); pyarrow must read,
  fully validate and find it equal, metadata included.
- pyarrow -> Reel -> pyarrow: `roundtrip` re-encodes pyarrow's stream unchanged.
- Hostile input: truncated and corrupted streams make `read` exit 2 with an error naming an
  offset, never crash.
"""

from __future__ import annotations

import json
import math
import random
import struct

import pyarrow as pa
import pytest

from cases import (CASES, CASES_BY_NAME, VARIANT_CASES, Case, Col, array_to_json,
                   assert_columns_equal,
                   assert_json_equal, build_array)

CASE_PARAMS = [pytest.param(c, id=c.name) for c in CASES]
VARIANT_PARAMS = [pytest.param(CASES_BY_NAME[n], id=n) for n in VARIANT_CASES]


# ---------------------------------------------------------------- helpers


def _reject_constant(name):
    raise ValueError(f"non-standard JSON constant {name!r} in the tool's output")


def _parse_int(text):
    # %.17g prints -0.0 as "-0": keep the sign (an int column never prints "-0").
    return -0.0 if text == "-0" else int(text)


def load_tool_json(text: str):
    return json.loads(text, parse_constant=_reject_constant, parse_int=_parse_int)


def write_pyarrow_stream(path, schema, batches, options=None) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, schema, options=options) as writer:
        for b in batches:
            writer.write_batch(b)
    data = sink.getvalue().to_pybytes()
    path.write_bytes(data)
    return data


def metadata_to_str(md) -> dict:
    return {k.decode("utf-8"): v.decode("utf-8") for k, v in (md or {}).items()}


def check_read_output(case: Case, out: dict) -> None:
    """The tool's `read` JSON against the case: types, nullability, metadata, values."""
    assert out["schema_metadata"] == dict(case.schema_metadata or {}), "schema metadata"
    got_fields = out["fields"]
    assert [f["name"] for f in got_fields] == [c.name for c in case.columns], "field names"
    for c, f in zip(case.columns, got_fields):
        assert f["type"] == str(c.type), f"column {c.name!r}: type string"
        assert f["nullable"] is c.nullable, f"column {c.name!r}: nullability"
        assert f["metadata"] == dict(c.metadata or {}), f"column {c.name!r}: field metadata"
    expected = case.expected_values()
    assert len(out["batches"]) == len(expected), "number of batches"
    for b, (exp_cols, got) in enumerate(zip(expected, out["batches"])):
        assert got["length"] == len(exp_cols[0]), f"batch {b}: length"
        assert_columns_equal(case, b, exp_cols, got["columns"])


READ_MODES = [pytest.param([], id="read_stream"), pytest.param(["--incremental"], id="incremental")]


def read_with_reel(run_tool, path, case: Case, mode=()) -> None:
    result = run_tool("read", path, *mode).assert_ok()
    check_read_output(case, load_tool_json(result.stdout_bytes.decode("utf-8")))


def assert_batches_equal(case: Case, got: pa.RecordBatch, want: pa.RecordBatch, where: str):
    """pyarrow's own equality where it is meaningful (it says NaN != NaN), plus the stricter
    JSON-form comparison (NaN == NaN, -0.0 != 0.0, exact ints) in every case."""
    assert got.num_rows == want.num_rows, f"{where}: {got.num_rows} rows, want {want.num_rows}"
    if want.equals(want):  # no NaN anywhere
        if not got.equals(want):
            for i, name in enumerate(want.schema.names):
                assert got.column(i).equals(want.column(i)), (
                    f"{where}: column {name!r} differs:\n got {got.column(i)}\nwant {want.column(i)}")
            raise AssertionError(f"{where}: batches differ")
    got_values = [array_to_json(got.column(i)) for i in range(got.num_columns)]
    want_values = [array_to_json(want.column(i)) for i in range(want.num_columns)]
    for c, column in enumerate(case.columns):
        for row, (w, g) in enumerate(zip(want_values[c], got_values[c])):
            assert_json_equal(column.type, w, g, f"{where}: column {column.name!r} row {row}")


def read_with_pyarrow(data: bytes):
    """Reads zero-copy from a 64-byte aligned buffer, so buffer addresses show the writer's
    alignment."""
    buf = pa.allocate_buffer(len(data))
    pa.FixedSizeBufferWriter(buf).write(data)
    assert buf.address % 64 == 0
    reader = pa.ipc.open_stream(pa.BufferReader(buf))
    batches = list(reader)
    return reader.schema, batches, buf


def all_buffers(array: pa.Array):
    for b in array.buffers():
        if b is not None and b.size > 0:
            yield b


def check_stream_from_reel(case: Case, data: bytes, alignment: int) -> None:
    schema, batches, _keep = read_with_pyarrow(data)
    check_batches_from_reel(case, schema, batches, alignment)


def check_batches_from_reel(case: Case, schema: pa.Schema, batches: list, alignment: int) -> None:
    """What pyarrow read from Reel's stream or file: the case's schema with its metadata, the
    case's batches (fully valid), every buffer aligned to `alignment`."""
    want_schema = case.schema()
    assert schema.equals(want_schema, check_metadata=True), \
        f"schema differs:\n got {schema}\n{schema.metadata}\nwant {want_schema}\n{want_schema.metadata}"
    for f, c in zip(schema, case.columns):
        assert metadata_to_str(f.metadata) == dict(c.metadata or {}), f"field {c.name!r} metadata"
    assert metadata_to_str(schema.metadata) == dict(case.schema_metadata or {})
    want_batches = case.stream_batches()
    assert len(batches) == len(want_batches), f"{len(batches)} batches, want {len(want_batches)}"
    for b, (got, want) in enumerate(zip(batches, want_batches)):
        got.validate(full=True)
        assert_batches_equal(case, got, want, f"batch {b}")
        for column in got.columns:
            for buffer in all_buffers(column):
                assert buffer.address % alignment == 0, \
                    f"batch {b}: a buffer of {column.type} is not {alignment}-byte aligned"


# ---------------------------------------------------------------- the oracle itself


@pytest.mark.parametrize("case", CASE_PARAMS)
def test_case_is_consistent(case):
    """cases.py: the pyarrow batch holds exactly the case's JSON values (else every other
    test compares against a wrong oracle)."""
    batch = case.full_batch()
    batch.validate(full=True)
    assert batch.schema.equals(case.schema(), check_metadata=True)
    for c, column in enumerate(case.columns):
        assert str(column.type) == str(batch.schema.field(c).type)
        got = array_to_json(batch.column(c))
        for row, (e, g) in enumerate(zip(column.values, got)):
            assert_json_equal(column.type, e, g, f"column {column.name!r} row {row}")
    # The sliced/split batches hold the expected values too (this exercises array_to_json on
    # arrays with offsets, which the Reel -> pyarrow checks rely on).
    stream = case.stream_batches()
    expected = case.expected_values()
    assert len(stream) == len(expected)
    for b, (sb, cols) in enumerate(zip(stream, expected)):
        assert_columns_equal(case, b, cols,
                             [array_to_json(sb.column(c)) for c in range(sb.num_columns)])
    tool_case = json.loads(json.dumps(case.tool_case(), allow_nan=False))
    assert [f["type"] for f in tool_case["fields"]] == [str(c.type) for c in case.columns]


@pytest.mark.parametrize("t, expected, got", [
    (pa.float32(), 0.0, -0.0), (pa.float64(), "NaN", 1.0), (pa.float64(), 1.0, "NaN"),
    (pa.int64(), 1, 1.0), (pa.int8(), 1, True), (pa.bool_(), True, 1), (pa.int32(), None, 0),
    (pa.uint64(), 2**64 - 1, 2**64 - 2), (pa.binary(), "ab", "AB"), (pa.string(), "a", None),
    (pa.list_(pa.int32()), [1], [1, None]), (pa.float16(), 0.1, 0.1002),
    (pa.struct([pa.field("a", pa.int8()), pa.field("b", pa.int8())]), {"a": 1, "b": 2},
     {"b": 2, "a": 1}),
    (pa.dense_union([pa.field("n", pa.null()), pa.field("x", pa.int8())]), [1, None], [0, None]),
])
def test_comparison_can_fail(t, expected, got):
    """The value comparison distinguishes what it claims to."""
    with pytest.raises(AssertionError):
        assert_json_equal(t, expected, got)


def test_tool_output_parser_is_strict():
    with pytest.raises(ValueError):
        load_tool_json("[NaN]")
    assert math.copysign(1.0, load_tool_json("[-0]")[0]) == -1.0


# ---------------------------------------------------------------- pyarrow -> Reel


@pytest.mark.parametrize("mode", READ_MODES)
@pytest.mark.parametrize("case", CASE_PARAMS)
def test_pyarrow_to_reel(case, mode, run_tool, tmp_path):
    path = tmp_path / "in.arrows"
    write_pyarrow_stream(path, case.schema(), case.stream_batches())
    read_with_reel(run_tool, path, case, mode)


@pytest.mark.parametrize("mode", READ_MODES)
@pytest.mark.parametrize("case", VARIANT_PARAMS)
def test_pyarrow_to_reel_legacy_prefix(case, mode, run_tool, tmp_path):
    """Pre-0.15 framing (no 0xFFFFFFFF continuation marker), which the decoder accepts."""
    path = tmp_path / "legacy.arrows"
    data = write_pyarrow_stream(path, case.schema(), case.stream_batches(),
                                pa.ipc.IpcWriteOptions(use_legacy_format=True))
    assert data[:4] != b"\xff\xff\xff\xff"
    read_with_reel(run_tool, path, case, mode)


@pytest.mark.parametrize("case", VARIANT_PARAMS)
def test_pyarrow_to_reel_align64(case, run_tool, tmp_path):
    try:
        options = pa.ipc.IpcWriteOptions(alignment=64)
    except TypeError:
        pytest.skip(f"pyarrow {pa.__version__} has no IpcWriteOptions(alignment=...)")
    path = tmp_path / "aligned.arrows"
    write_pyarrow_stream(path, case.schema(), case.stream_batches(), options)
    read_with_reel(run_tool, path, case)


@pytest.mark.parametrize("case", VARIANT_PARAMS)
def test_pyarrow_to_reel_compressed(case, run_tool, tmp_path):
    """Compressed bodies: Reel may support them or refuse them with a clear error (exit 2),
    but must never misread or crash."""
    path = tmp_path / "lz4.arrows"
    write_pyarrow_stream(path, case.schema(), case.stream_batches(),
                         pa.ipc.IpcWriteOptions(compression="lz4"))
    result = run_tool("read", path)
    result.assert_no_crash()
    if result.returncode == 0:
        check_read_output(case, load_tool_json(result.stdout_bytes.decode("utf-8")))
    else:
        assert result.returncode == 2 and "compress" in result.stderr.lower(), result.stderr


# ---------------------------------------------------------------- Reel -> pyarrow


@pytest.mark.parametrize("align", [None, 64], ids=["align_default", "align64"])
@pytest.mark.parametrize("case", CASE_PARAMS)
def test_reel_to_pyarrow(case, align, run_tool, tmp_path):
    case_path, out_path = tmp_path / "case.json", tmp_path / "out.arrows"
    case_path.write_text(json.dumps(case.tool_case(), allow_nan=False, ensure_ascii=False),
                         encoding="utf-8")
    args = ["build", case_path, out_path] + (["--align", str(align)] if align else [])
    run_tool(*args).assert_ok()
    check_stream_from_reel(case, out_path.read_bytes(), align or 8)


@pytest.mark.parametrize("case", CASE_PARAMS)
def test_reel_to_reel(case, run_tool, tmp_path):
    """Reel's writer read back by Reel's reader (the JSON checks of the read direction)."""
    case_path, out_path = tmp_path / "case.json", tmp_path / "out.arrows"
    case_path.write_text(json.dumps(case.tool_case(), allow_nan=False), encoding="utf-8")
    run_tool("build", case_path, out_path).assert_ok()
    read_with_reel(run_tool, out_path, case)


def test_write_demo(run_tool, tmp_path):
    out_path = tmp_path / "demo.arrows"
    run_tool("write-demo", out_path).assert_ok()
    _schema, batches, _keep = read_with_pyarrow(out_path.read_bytes())
    table = pa.Table.from_batches(batches)
    for b in batches:
        b.validate(full=True)
    assert table.schema.metadata == {b"rerun:entity_path": b"/world/points"}
    assert table.schema.field("positions").metadata[b"rerun:component"] == b"Points3D:positions"
    assert str(table.schema.field("positions").type) == "list<item: fixed_size_list<item: float>[3]>"
    assert table.column("frame").to_pylist() == [0, 1, 2, 3]
    assert table.column("positions").to_pylist()[1] == [[0.0, 0.0, 1.0]]
    assert table.column("positions").to_pylist()[2] == []
    assert table.column("colors").to_pylist() == [[0xFF0000FF, 0x00FF00FF, 0x0000FFFF], None, [],
                                                  [0xFFFFFFFF]]
    assert table.column("label").to_pylist() == ["axes", None, "empty", "pair"]


# ---------------------------------------------------------------- pyarrow -> Reel -> pyarrow


@pytest.mark.parametrize("align", [None, 64], ids=["align_default", "align64"])
@pytest.mark.parametrize("case", CASE_PARAMS)
def test_roundtrip(case, align, run_tool, tmp_path):
    in_path, out_path = tmp_path / "in.arrows", tmp_path / "out.arrows"
    write_pyarrow_stream(in_path, case.schema(), case.stream_batches())
    args = ["roundtrip", in_path, out_path] + (["--align", str(align)] if align else [])
    run_tool(*args).assert_ok()
    check_stream_from_reel(case, out_path.read_bytes(), align or 8)


@pytest.mark.parametrize("deltas", [True, False], ids=["delta", "replacement"])
def test_dictionaries_that_change_between_batches(deltas, run_tool, tmp_path):
    """pyarrow writes a later batch's dictionary as a delta (extending the one before) or as
    a replacement; Reel reads the values each batch had, and its re-encoding (every batch
    with its whole dictionary) reads back equal in pyarrow."""
    schema = pa.schema([pa.field("d", pa.dictionary(pa.int16(), pa.string()))])
    plan = [([0, 1, 0], ["a", "b"]), ([2, None, 0, 3], ["a", "b", "c", "d"]), ([0, 0], ["z"])]
    batches = [pa.record_batch([pa.DictionaryArray.from_arrays(pa.array(indices, pa.int16()),
                                                               pa.array(values))], schema=schema)
               for indices, values in plan]
    in_path, out_path = tmp_path / "in.arrows", tmp_path / "out.arrows"
    write_pyarrow_stream(in_path, schema, batches,
                         pa.ipc.IpcWriteOptions(emit_dictionary_deltas=deltas))
    out = load_tool_json(run_tool("read", in_path).assert_ok().stdout_bytes.decode("utf-8"))
    assert [b["columns"][0] for b in out["batches"]] == [["a", "b", "a"], ["c", None, "a", "d"],
                                                          ["z", "z"]]
    run_tool("roundtrip", in_path, out_path).assert_ok()
    _schema, got, _keep = read_with_pyarrow(out_path.read_bytes())
    assert [b.column(0).to_pylist() for b in got] == [b.column(0).to_pylist() for b in batches]


# ---------------------------------------------------------------- hostile input


def message_starts(data: bytes) -> list:
    """Stream offsets where each message starts, plus the offset of the EOS marker."""
    reader = pa.BufferReader(data)
    starts = [0]
    while True:
        try:
            pa.ipc.read_message(reader)
        except EOFError:
            break
        starts.append(reader.tell())
    return starts


def expect_error(run_tool, path, what: str, names_offset=True, mode=()):
    result = run_tool("read", path, *mode)
    result.assert_no_crash()
    assert result.returncode == 2, \
        f"{what}: exit {result.returncode}, want 2\nstdout: {result.stdout[:500]}\nstderr: {result.stderr}"
    if names_offset:
        assert "offset" in result.stderr, f"{what}: the error names no offset: {result.stderr}"
    assert "arrow_interop_tool read:" in result.stderr


@pytest.mark.parametrize("mode", READ_MODES)
@pytest.mark.parametrize("name", ["several_batches", "list_struct_nested_nulls", "rerun_chunk_like"])
def test_truncated_streams(name, mode, run_tool, tmp_path):
    case = CASES_BY_NAME[name]
    data = write_pyarrow_stream(tmp_path / "full.arrows", case.schema(), case.stream_batches())
    starts = message_starts(data)
    eos = starts[-1]
    assert data[eos:] == b"\xff\xff\xff\xff\x00\x00\x00\x00"
    boundaries = set(starts) | {len(data)}
    points = {1, 3, 4, 5, 7, 8, 9, 12, 16, starts[1] // 2, len(data) - 1, len(data) - 4,
              len(data) - 5}
    for s, e in zip(starts, starts[1:]):
        points |= {s + 4, s + 8, s + 9, (s + e) // 2, e - 1, e - 8}
    points = sorted(p for p in points if 0 < p < len(data))
    path = tmp_path / "cut.arrows"
    for p in points:
        path.write_bytes(data[:p])
        if p in boundaries:
            # Whole messages and no EOS: a valid stream (the missing EOS is accepted).
            result = run_tool("read", path, *mode).assert_ok()
            out = load_tool_json(result.stdout)
            assert len(out["batches"]) == starts.index(p) - 1, f"cut at {p}"
        else:
            expect_error(run_tool, path, f"stream cut at byte {p} of {len(data)}", mode=mode)
    path.write_bytes(b"")
    expect_error(run_tool, path, "empty file", names_offset=False, mode=mode)


def _patch(data: bytes, at: int, new: bytes) -> bytes:
    return data[:at] + new + data[at + len(new):]


def _single_batch_stream(tmp_path, arrays, names):
    batch = pa.RecordBatch.from_arrays(arrays, names=names)
    data = write_pyarrow_stream(tmp_path / "x.arrows", batch.schema, [batch])
    starts = message_starts(data)
    batch_start = starts[1]
    metadata_len = struct.unpack_from("<i", data, batch_start + 4)[0]
    body_start = batch_start + 8 + metadata_len
    return data, starts, body_start


def _body_patch(data, body_start, old: bytes, new: bytes) -> bytes:
    at = data.index(old, body_start)
    assert data.find(old, at + 1) == -1, "pattern must be unique"
    return _patch(data, at, new)


def test_corrupt_framing(run_tool, tmp_path):
    case = CASES_BY_NAME["several_batches"]
    data = write_pyarrow_stream(tmp_path / "ok.arrows", case.schema(), case.stream_batches())
    starts = message_starts(data)
    path = tmp_path / "bad.arrows"
    bad = {
        "continuation marker -> negative legacy length": _patch(data, 0, b"\xfe\xff\xff\xff"),
        "schema metadata length huge": _patch(data, 4, struct.pack("<i", 0x7FFFFFF0)),
        "schema metadata length negative": _patch(data, 4, struct.pack("<i", -16)),
        "schema metadata length 3": _patch(data, 4, struct.pack("<i", 3)),
        "schema flatbuffer root offset": _patch(data, 8, struct.pack("<I", 0xFFFFFFF0)),
        "schema flatbuffer root offset past metadata": _patch(data, 8, struct.pack("<I", 4000)),
        "batch metadata length huge": _patch(data, starts[1] + 4, struct.pack("<i", 0x7FFFFFF0)),
        "batch flatbuffer root offset": _patch(data, starts[1] + 8, struct.pack("<I", 0x7FFFFF00)),
        "second schema-sized garbage": _patch(data, starts[2] + 8, b"\xff" * 16),
        "schema flatbuffer zeroed": _patch(data, 8, b"\x00" * (starts[1] - 8)),
    }
    for what, blob in bad.items():
        assert len(blob) == len(data)
        path.write_bytes(blob)
        expect_error(run_tool, path, what)


def test_corrupt_offsets_and_codes(run_tool, tmp_path):
    """Bytes that pass the framing but break the data: full validation must reject them."""
    path = tmp_path / "bad.arrows"

    data, _, body = _single_batch_stream(tmp_path, [pa.array(["a", "bb", "ccc"])], ["s"])
    offsets = struct.pack("<4i", 0, 1, 3, 6)
    for what, new in {
        "string offset past the data": struct.pack("<4i", 0, 1, 9, 6),
        "string offsets decreasing": struct.pack("<4i", 0, 4, 3, 6),
        "string first offset negative": struct.pack("<4i", -1, 1, 3, 6),
        "string last offset past the data": struct.pack("<4i", 0, 1, 3, 4000),
    }.items():
        path.write_bytes(_body_patch(data, body, offsets, new))
        expect_error(run_tool, path, what)
    path.write_bytes(_body_patch(data, body, b"abbccc", b"a\xff\xfeccc"))
    expect_error(run_tool, path, "invalid UTF-8 in a string column")
    path.write_bytes(_body_patch(data, body, b"abbccc", b"ab\xc3ccc"))
    expect_error(run_tool, path, "truncated UTF-8 sequence in a string column")

    data, _, body = _single_batch_stream(
        tmp_path, [pa.array([[1, 2], [3], [4, 5, 6]], type=pa.list_(pa.int32()))], ["l"])
    offsets = struct.pack("<4i", 0, 2, 3, 6)
    for what, new in {
        "list offsets decreasing": struct.pack("<4i", 0, 2, 1, 6),
        "list offset past the child": struct.pack("<4i", 0, 2, 3, 60),
    }.items():
        path.write_bytes(_body_patch(data, body, offsets, new))
        expect_error(run_tool, path, what)

    union = build_array(CASES_BY_NAME["dense_union_null_markers"].columns[0].type,
                        [[1, 5], [2, "x"], [1, 6], [0, None]])
    data, _, body = _single_batch_stream(tmp_path, [union], ["u"])
    codes = bytes([1, 2, 1, 0])
    path.write_bytes(_body_patch(data, body, codes, bytes([1, 9, 1, 0])))
    expect_error(run_tool, path, "dense union type code not in the type")
    path.write_bytes(_body_patch(data, body, codes, bytes([1, 0x80, 1, 0])))
    expect_error(run_tool, path, "dense union negative type code")
    dense_offsets = struct.pack("<4i", 0, 0, 1, 0)
    path.write_bytes(_body_patch(data, body, dense_offsets, struct.pack("<4i", 0, 0, 2, 0)))
    expect_error(run_tool, path, "dense union offset past its child")
    path.write_bytes(_body_patch(data, body, dense_offsets, struct.pack("<4i", 0, 0, -1, 0)))
    expect_error(run_tool, path, "dense union negative offset")

    sparse = build_array(pa.sparse_union([pa.field("a", pa.int32()), pa.field("b", pa.utf8())]),
                         [[0, 7], [1, "y"], [0, 8], [1, "z"], [0, 9]])
    data, _, body = _single_batch_stream(tmp_path, [sparse], ["u"])
    path.write_bytes(_body_patch(data, body, bytes([0, 1, 0, 1, 0]), bytes([0, 1, 5, 1, 0])))
    expect_error(run_tool, path, "sparse union type code not in the type")

    # The validity bitmap is the first body buffer: flipping a bit breaks null_count.
    data, _, body = _single_batch_stream(
        tmp_path, [pa.array([1, None, 3, 4, None, 6], type=pa.int32())], ["i"])
    assert data[body] == 0b101101
    path.write_bytes(_patch(data, body, bytes([0b101111])))
    expect_error(run_tool, path, "validity bitmap disagrees with null_count")


@pytest.mark.parametrize("mode", READ_MODES)
@pytest.mark.parametrize("name", ["several_batches", "list_struct_nested_nulls",
                                  "dense_union_null_markers", "rerun_chunk_like", "float16",
                                  "user_types_slice_offset_3", "dictionary_nested"])
def test_random_corruption_never_crashes(name, mode, run_tool, tmp_path):
    """Random byte changes: every run ends in a clean exit 0 (valid JSON out) or 2."""
    case = CASES_BY_NAME[name]
    data = write_pyarrow_stream(tmp_path / "ok.arrows", case.schema(), case.stream_batches())
    rng = random.Random(f"reel-{name}-{mode}")
    path = tmp_path / "mutated.arrows"
    outcomes = {0: 0, 2: 0}
    for i in range(120):
        mutated = bytearray(data)
        for _ in range(rng.choice([1, 1, 2, 4])):
            at = rng.randrange(len(mutated))
            mutated[at] = rng.choice([0x00, 0xFF, 0x7F, 0x80, rng.randrange(256),
                                      mutated[at] ^ (1 << rng.randrange(8))])
        path.write_bytes(bytes(mutated))
        result = run_tool("read", path, *mode)
        result.assert_no_crash()
        assert result.returncode in (0, 2), f"mutation {i}: exit {result.returncode}: {result.stderr}"
        if result.returncode == 0:
            load_tool_json(result.stdout_bytes.decode("utf-8", errors="surrogateescape"))
        else:
            assert "offset" in result.stderr, f"mutation {i}: {result.stderr}"
        outcomes[result.returncode] += 1
    assert outcomes[2] > 0, "no mutation was rejected: is the reader checking anything?"


# ---------------------------------------------------------------- the tool's own input checks


BAD_JSON = [
    ('{"fields": [1,]}', '{"fields": [1,'.__len__(), "unexpected character"),
    ('{"a": 01}', 6, "leading zero"),
    ('{"a": "\\udc00"}', 7, "lone low surrogate"),
    ('{"a": "\\ud800x"}', 7, "high surrogate"),
    ('{"a": "\\ud800\\u0041"}', 7, "low surrogate"),
    ('{"a": "\\q"}', 7, "unknown escape"),
    ('{"a": "\\u12g4"}', 11, "bad hex digit"),
    ("[" * 100 + "]" * 100, 64, "nesting"),
    ('{"a": 18446744073709551616}', 6, "uint64"),
    ('{"a": -9223372036854775809}', 6, "int64"),
    ('{"a": 1e400}', 6, "double range"),
    ('{"a": "x\ny"}', 8, "control character"),
    ('{"a": 1} x', 9, "trailing"),
    ('{"a": NaN}', 6, "unexpected character"),
    ('{"a" 1}', 5, "':'"),
    ('{"a": tru}', 6, "unexpected character"),
    ('{"a": [1 2]}', 9, "',' or ']'"),
    ('{"a": 1,}', 8, "string key"),
    ('{"a": "abc', 6, "unterminated"),
    ('{"a": -}', 6, "digit"),
    ('{"a": 1.}', 6, "digit"),
    ("", 0, "end of input"),
]


@pytest.mark.parametrize("text, offset, what", BAD_JSON, ids=[w for _, _, w in BAD_JSON])
def test_build_rejects_bad_json(text, offset, what, run_tool, tmp_path):
    case_path = tmp_path / "bad.json"
    case_path.write_text(text, encoding="utf-8")
    result = run_tool("build", case_path, tmp_path / "out.arrows")
    result.assert_no_crash()
    assert result.returncode == 2, result.stderr
    assert f"JSON error at offset {offset}:" in result.stderr, result.stderr
    assert what in result.stderr, result.stderr


def test_build_rejects_invalid_utf8(run_tool, tmp_path):
    case_path = tmp_path / "bad.json"
    for raw, offset in [(b'{"a": "\xff"}', 7), (b'{"a": "\xc0\x80"}', 7),
                        (b'{"a": "x\xed\xa0\x80"}', 8), (b'{"a": "\xe2\x82"}', 7)]:
        case_path.write_bytes(raw)
        result = run_tool("build", case_path, tmp_path / "out.arrows")
        result.assert_no_crash()
        assert result.returncode == 2 and f"JSON error at offset {offset}: invalid UTF-8" in \
            result.stderr, (raw, result.stderr)


def test_build_json_escapes(run_tool, tmp_path):
    """\\u escapes (surrogate pairs, \\u0000) and raw UTF-8 decode to the same strings."""
    values = ["🎉 \U0001F680", "nul\u0000", "\u00e9\u65e5", "\"\\/\b\f\n\r\t", "\u2028"]
    case_ = Case("escapes", (Col("s", pa.string(), values),))
    for ensure_ascii in (True, False):
        text = json.dumps(case_.tool_case(), ensure_ascii=ensure_ascii)
        assert ("\\ud83c\\udf89" in text) == ensure_ascii
        (tmp_path / "case.json").write_text(text, encoding="utf-8")
        run_tool("build", tmp_path / "case.json", tmp_path / "out.arrows").assert_ok()
        _schema, batches, _keep = read_with_pyarrow((tmp_path / "out.arrows").read_bytes())
        assert batches[0].column(0).to_pylist() == values


BAD_VALUES = [
    ("uint8", [256]), ("uint8", [-1]), ("int8", [128]), ("int8", [-129]), ("int16", [32768]),
    ("int32", [2**31]), ("uint32", [2**32]), ("uint64", [-1]), ("int64", [2**63]),
    ("date32[day]", [2**31]), ("time32[s]", [2**31]), ("int32", [1.5]), ("int32", ["1"]),
    ("int32", [True]), ("bool", [1]), ("double", ["nan"]), ("double", [True]),
    ("string", [1]), ("binary", ["abc"]), ("binary", ["zz"]), ("fixed_size_binary[16]", ["00"]),
    ("fixed_size_list<item: float>[3]", [[1.0, 2.0]]), ("list<item: int32>", [1]),
    ("struct<a: int32>", [{"b": 1}]), ("struct<a: int32>", [[1]]),
    ("dense_union<a: int32=0, b: string=1>", [[2, 1]]),
    ("dense_union<a: int32=0, b: string=1>", [[0, "x"]]),
    ("dense_union<a: int32=0, b: string=1>", [[0]]), ("null", [0]),
    ("dense_union<a: int32=0, b: string=1>", [[-9223372036854775808, 1]]),
    ("sparse_union<a: int32=0, b: string=1>", [[128, 1]]),
    ("sparse_union<a: int32=0, b: string=1>", [[-1, 1]]),
]


@pytest.mark.parametrize("type_text, values", BAD_VALUES,
                         ids=[f"{t}-{json.dumps(v)}" for t, v in BAD_VALUES])
def test_build_rejects_bad_values(type_text, values, run_tool, tmp_path):
    doc = {"fields": [{"name": "col", "type": type_text, "nullable": True, "metadata": {}}],
           "schema_metadata": {}, "batches": [{"columns": [values], "slice": None}]}
    (tmp_path / "case.json").write_text(json.dumps(doc), encoding="utf-8")
    result = run_tool("build", tmp_path / "case.json", tmp_path / "out.arrows")
    result.assert_no_crash()
    assert result.returncode == 2, f"accepted {values} for {type_text}"
    assert "column 'col' row 0" in result.stderr, result.stderr


BAD_TYPES = ["list<item: float", "int128", "fixed_size_binary[-1]", "fixed_size_list<item: float>",
             "timestamp[xs]", "struct<a int32>", "dense_union<a: int32>", "", "int32 ", "list<>"]


@pytest.mark.parametrize("type_text", BAD_TYPES)
def test_build_rejects_bad_type_strings(type_text, run_tool, tmp_path):
    doc = {"fields": [{"name": "col", "type": type_text}], "batches": [{"columns": [[]]}]}
    (tmp_path / "case.json").write_text(json.dumps(doc), encoding="utf-8")
    result = run_tool("build", tmp_path / "case.json", tmp_path / "out.arrows")
    result.assert_no_crash()
    assert result.returncode == 2, f"accepted type {type_text!r}"
    assert "col" in result.stderr and "offset" in result.stderr, result.stderr


@pytest.mark.parametrize("where", ["field name", "child field name", "metadata key",
                                   "metadata value", "field metadata value"])
def test_invalid_utf8_in_schema_strings(where, run_tool, tmp_path):
    """Flatbuffer strings are UTF-8 and reel_arrow_kv says so: a schema carrying other bytes
    is corrupt (else they reach JSON, type strings and Python as garbage)."""
    t = pa.list_(pa.field("itemZ", pa.int32()))
    schema = pa.schema([pa.field("colZZ", t, metadata={"fkey": "fvalZ"})],
                       metadata={"keyZ": "valueZ"})
    batch = pa.RecordBatch.from_arrays([pa.array([[1]], type=t)], schema=schema)
    data = write_pyarrow_stream(tmp_path / "ok.arrows", schema, [batch])
    run_tool("read", tmp_path / "ok.arrows").assert_ok()
    old = {"field name": b"colZZ", "child field name": b"itemZ", "metadata key": b"keyZ",
           "metadata value": b"valueZ", "field metadata value": b"fvalZ"}[where]
    at = data.index(old)
    assert data.find(old, at + 1) == -1
    bad = _patch(data, at + len(old) - 1, b"\xff")
    (tmp_path / "bad.arrows").write_bytes(bad)
    expect_error(run_tool, tmp_path / "bad.arrows", f"invalid UTF-8 in the {where}")
