"""Reel's Arrow IPC file format (src/arrow/ipc_file.c) against pyarrow and polars, over the
matrix in cases.py.

- Reel -> pyarrow: `arrow_interop_tool build --file` writes each case as an IPC file (at once,
  incrementally, and 64-byte aligned); `pa.ipc.open_file` must read it, fully validate it and
  find it equal to the case, schema and field metadata included, buffers aligned.
- Reel -> polars: `pl.read_ipc` must read Reel's file into the frame it reads from pyarrow's
  file of the same case (without union columns, which polars lacks; cases with other types
  polars cannot read at all are skipped).
- pyarrow / polars -> Reel: `read --file` decodes their files (also V4 metadata, the legacy
  framing, footer metadata, dictionary deltas) to the case's values.
- Stream <-> file: `roundtrip --to-file` / `--from-file`.
- Hostile files: truncated, byte-mutated and with damaged footers and blocks, `read --file`
  exits 2 with an error naming a byte offset, never crashes.
"""

from __future__ import annotations

import dataclasses
import json
import random
import struct

import polars as pl
import pyarrow as pa
import pytest

from cases import (CASES, CASES_BY_NAME, VARIANT_CASES, Case, Col, array_to_json,
                   assert_columns_equal, contains_union)
from test_arrow_interop import (assert_batches_equal, check_batches_from_reel,
                                check_read_output, load_tool_json, write_pyarrow_stream)

CASE_PARAMS = [pytest.param(c, id=c.name) for c in CASES]
VARIANT_PARAMS = [pytest.param(CASES_BY_NAME[n], id=n) for n in VARIANT_CASES]
WRITE_MODES = {
    "at_once": [],
    "incremental": ["--incremental"],
    "align64": ["--align", "64"],
}
WRITE_PARAMS = [pytest.param(args, id=name) for name, args in WRITE_MODES.items()]

# polars panics (a BaseException) on types it does not have, e.g. unions.
POLARS_ERRORS = (Exception, pl.exceptions.PanicException)


# ---------------------------------------------------------------- helpers


def write_pyarrow_file(path, schema, batches, options=None, metadata=None) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_file(sink, schema, options=options, metadata=metadata) as writer:
        for b in batches:
            writer.write_batch(b)
    data = sink.getvalue().to_pybytes()
    path.write_bytes(data)
    return data


def build_file(run_tool, case: Case, tmp_path, args=()) -> bytes:
    case_path, out_path = tmp_path / "case.json", tmp_path / "out.arrow"
    case_path.write_text(json.dumps(case.tool_case(), allow_nan=False, ensure_ascii=False),
                         encoding="utf-8")
    run_tool("build", case_path, out_path, "--file", *args).assert_ok()
    return out_path.read_bytes()


def open_with_pyarrow(data: bytes):
    """Opens a file zero-copy from a 64-byte aligned buffer, so buffer addresses show the
    writer's alignment within the file."""
    buf = pa.allocate_buffer(len(data))
    pa.FixedSizeBufferWriter(buf).write(data)
    assert buf.address % 64 == 0
    reader = pa.ipc.open_file(pa.BufferReader(buf))
    batches = [reader.get_batch(i) for i in range(reader.num_record_batches)]
    return reader, batches, buf


def check_file_from_reel(case: Case, data: bytes, alignment: int) -> None:
    assert data[:8] == b"ARROW1\0\0" and data[-6:] == b"ARROW1"
    reader, batches, _keep = open_with_pyarrow(data)
    check_batches_from_reel(case, reader.schema, batches, alignment)
    want_batches = case.stream_batches()
    table = reader.read_all()
    table.validate(full=True)
    assert table.num_rows == sum(b.num_rows for b in want_batches)


def read_file_with_reel(run_tool, path, case: Case) -> None:
    result = run_tool("read", path, "--file").assert_ok()
    check_read_output(case, load_tool_json(result.stdout_bytes.decode("utf-8")))


def polars_frame(path):
    """The frame polars reads, or the error it raises."""
    try:
        return pl.read_ipc(path), None
    except POLARS_ERRORS as e:  # noqa: B014 (PanicException is no Exception)
        return None, e


def expect_error(run_tool, path, what: str, must_contain=("offset",)):
    result = run_tool("read", path, "--file")
    result.assert_no_crash()
    assert result.returncode == 2, \
        f"{what}: exit {result.returncode}, want 2\nstdout: {result.stdout[:300]}\nstderr: {result.stderr}"
    for text in must_contain:
        assert text in result.stderr, f"{what}: {text!r} not in the error: {result.stderr}"
    assert "arrow_interop_tool read:" in result.stderr
    return result.stderr


def footer_blocks(data: bytes) -> dict:
    """The file positions of the Footer's Block structs, by vector ("dictionaries",
    "recordBatches"), read with a minimal flatbuffer walk (File.fbs: Footer fields 2 and 3
    are vectors of 24-byte Blocks)."""
    footer_len = struct.unpack_from("<i", data, len(data) - 10)[0]
    start = len(data) - 10 - footer_len
    root = start + struct.unpack_from("<I", data, start)[0]
    vtable = root - struct.unpack_from("<i", data, root)[0]
    vtable_size = struct.unpack_from("<H", data, vtable)[0]
    out = {}
    for name, field in (("dictionaries", 2), ("recordBatches", 3)):
        entry = 4 + 2 * field
        offset = struct.unpack_from("<H", data, vtable + entry)[0] if entry < vtable_size else 0
        if offset == 0:
            out[name] = []
            continue
        at = root + offset
        vector = at + struct.unpack_from("<I", data, at)[0]
        count = struct.unpack_from("<I", data, vector)[0]
        out[name] = [vector + 4 + 24 * i for i in range(count)]
    return out


def patch(data: bytes, at: int, new: bytes) -> bytes:
    return data[:at] + new + data[at + len(new):]


# ---------------------------------------------------------------- Reel -> pyarrow, polars


@pytest.mark.parametrize("args", WRITE_PARAMS)
@pytest.mark.parametrize("case", CASE_PARAMS)
def test_reel_to_pyarrow(case, args, run_tool, tmp_path):
    data = build_file(run_tool, case, tmp_path, args)
    check_file_from_reel(case, data, 64 if "64" in args else 8)


def test_incremental_writer_writes_the_same_bytes(run_tool, tmp_path):
    for name in ("several_batches", "dictionary_nested", "zero_row_batch_in_stream",
                 "empty_arrays", "big_mixed"):
        case = CASES_BY_NAME[name]
        assert build_file(run_tool, case, tmp_path) == \
            build_file(run_tool, case, tmp_path, ["--incremental"]), name


@pytest.mark.parametrize("case", CASE_PARAMS)
def test_reel_to_polars(case, run_tool, tmp_path):
    # polars has no unions: the case's other columns still say something (slices, batches).
    columns = tuple(c for c in case.columns if not contains_union(c.type))
    if not columns:
        pytest.skip("polars has no union type")
    case = dataclasses.replace(case, columns=columns)
    pa_path, reel_path = tmp_path / "pyarrow.arrow", tmp_path / "reel.arrow"
    write_pyarrow_file(pa_path, case.schema(), case.stream_batches())
    want, error = polars_frame(pa_path)
    if want is None:
        pytest.skip(f"polars {pl.__version__} cannot read pyarrow's file either: "
                    f"{str(error).splitlines()[0][:120]}")
    reel_path.write_bytes(build_file(run_tool, case, tmp_path))
    got, error = polars_frame(reel_path)
    assert error is None, f"polars cannot read Reel's file: {error}"
    assert got.schema == want.schema
    assert got.equals(want), f"polars reads different frames:\n got {got}\nwant {want}"


# ---------------------------------------------------------------- pyarrow, polars -> Reel


@pytest.mark.parametrize("case", CASE_PARAMS)
def test_pyarrow_to_reel(case, run_tool, tmp_path):
    path = tmp_path / "in.arrow"
    write_pyarrow_file(path, case.schema(), case.stream_batches())
    read_file_with_reel(run_tool, path, case)


VARIANTS = {
    "metadata_v4": dict(options=pa.ipc.IpcWriteOptions(metadata_version=pa.ipc.MetadataVersion.V4)),
    "legacy_format": dict(options=pa.ipc.IpcWriteOptions(use_legacy_format=True)),
    "footer_metadata": dict(metadata={"written by": "pyarrow", "ü": "🎉"}),
}


@pytest.mark.parametrize("variant", list(VARIANTS))
@pytest.mark.parametrize("case", VARIANT_PARAMS)
def test_pyarrow_variants_to_reel(case, variant, run_tool, tmp_path):
    path = tmp_path / "in.arrow"
    write_pyarrow_file(path, case.schema(), case.stream_batches(), **VARIANTS[variant])
    read_file_with_reel(run_tool, path, case)


@pytest.mark.parametrize("case", VARIANT_PARAMS)
def test_pyarrow_compressed_to_reel(case, run_tool, tmp_path):
    """Compressed bodies: refused with a clear error (exit 2), never misread."""
    path = tmp_path / "lz4.arrow"
    write_pyarrow_file(path, case.schema(), case.stream_batches(),
                       pa.ipc.IpcWriteOptions(compression="lz4"))
    result = run_tool("read", path, "--file")
    result.assert_no_crash()
    if result.returncode == 0:
        check_read_output(case, load_tool_json(result.stdout_bytes.decode("utf-8")))
    else:
        assert result.returncode == 2 and "compress" in result.stderr.lower(), result.stderr
        assert "byte offset" in result.stderr


def test_pyarrow_dictionary_deltas_to_reel(run_tool, tmp_path):
    """pyarrow writes a growing dictionary as a delta in a file; every batch sees the whole
    dictionary (readers load them all first), which only extends what earlier batches had."""
    schema = pa.schema([pa.field("d", pa.dictionary(pa.int16(), pa.string()))])
    plan = [([0, 1, 0], ["a", "b"]), ([2, None, 0, 3], ["a", "b", "c", "d"])]
    batches = [pa.record_batch([pa.DictionaryArray.from_arrays(pa.array(indices, pa.int16()),
                                                               pa.array(values))], schema=schema)
               for indices, values in plan]
    path = tmp_path / "deltas.arrow"
    write_pyarrow_file(path, schema, batches,
                       pa.ipc.IpcWriteOptions(emit_dictionary_deltas=True))
    reader = pa.ipc.open_file(path)
    reader.read_all()
    assert reader.stats.num_dictionary_deltas == 1
    out = load_tool_json(run_tool("read", path, "--file").assert_ok().stdout_bytes.decode("utf-8"))
    assert [b["columns"][0] for b in out["batches"]] == [["a", "b", "a"], ["c", None, "a", "d"]]
    # Re-written by Reel: the batches share the whole dictionary, written once.
    out_path = tmp_path / "again.arrow"
    run_tool("roundtrip", path, out_path, "--from-file", "--to-file").assert_ok()
    reader, got, _keep = open_with_pyarrow(out_path.read_bytes())
    assert reader.stats.num_dictionary_batches == 1 and reader.stats.num_dictionary_deltas == 0
    assert [b.column(0).to_pylist() for b in got] == [b.column(0).to_pylist() for b in batches]


POLARS_FRAMES = {
    "scalars": lambda: pl.DataFrame({
        "i": [1, None, -3], "u": pl.Series([0, 255, None], dtype=pl.UInt8),
        "f": [0.5, float("nan"), None], "s": ["a", None, "ü🎉"], "b": [True, None, False],
        "d": pl.Series([0, 19000, None], dtype=pl.Date)}),
    "nested": lambda: pl.DataFrame({
        "l": [[1.0, 2.0], [], None], "ls": [["x"], None, ["y", None]],
        "st": [{"a": 1, "b": "x"}, None, {"a": None, "b": "z"}],
        "arr": pl.Series([[1, 2], [3, 4], None], dtype=pl.Array(pl.Int32, 2))}),
    "categorical": lambda: pl.DataFrame({
        "c": pl.Series(["x", "y", None, "x"], dtype=pl.Categorical), "n": [1, 2, 3, 4]}),
    "chunked": lambda: pl.concat([pl.DataFrame({"i": [1, 2], "s": ["a", "b"]}),
                                  pl.DataFrame({"i": [3], "s": [None]})], rechunk=False),
}


@pytest.mark.parametrize("frame", list(POLARS_FRAMES))
def test_polars_to_reel(frame, run_tool, tmp_path):
    """polars' files (at the oldest compat level: no view types, which Reel does not read)
    decode in Reel to what pyarrow reads from them."""
    path = tmp_path / "polars.arrow"
    POLARS_FRAMES[frame]().write_ipc(path, compression="uncompressed",
                                     compat_level=pl.CompatLevel.oldest())
    reader = pa.ipc.open_file(path)
    want = [reader.get_batch(i) for i in range(reader.num_record_batches)]
    out = load_tool_json(run_tool("read", path, "--file").assert_ok().stdout_bytes.decode("utf-8"))
    assert [f["type"] for f in out["fields"]] == [str(f.type) for f in reader.schema]
    assert [f["name"] for f in out["fields"]] == reader.schema.names
    assert len(out["batches"]) == len(want)
    case = Case(frame, tuple(Col(f.name, f.type, [None]) for f in reader.schema))
    for b, (batch, got) in enumerate(zip(want, out["batches"])):
        expected = [array_to_json(batch.column(i)) for i in range(batch.num_columns)]
        assert_columns_equal(case, b, expected, got["columns"])


# ---------------------------------------------------------------- stream <-> file


@pytest.mark.parametrize("case", VARIANT_PARAMS)
def test_stream_to_file_and_back(case, run_tool, tmp_path):
    stream_in, file_path, stream_out = (tmp_path / "in.arrows", tmp_path / "out.arrow",
                                        tmp_path / "back.arrows")
    write_pyarrow_stream(stream_in, case.schema(), case.stream_batches())
    run_tool("roundtrip", stream_in, file_path, "--to-file").assert_ok()
    check_file_from_reel(case, file_path.read_bytes(), 8)
    pa_file = tmp_path / "pa.arrow"
    write_pyarrow_file(pa_file, case.schema(), case.stream_batches())
    run_tool("roundtrip", pa_file, stream_out, "--from-file").assert_ok()
    reader = pa.ipc.open_stream(stream_out.read_bytes())
    got = list(reader)
    assert reader.schema.equals(case.schema(), check_metadata=True)
    for b, (g, w) in enumerate(zip(got, case.stream_batches())):
        g.validate(full=True)
        assert_batches_equal(case, g, w, f"batch {b}")
    assert len(got) == len(case.stream_batches())


@pytest.mark.parametrize("deltas", [True, False], ids=["delta", "replacement"])
def test_changing_dictionaries_cannot_become_a_file(deltas, run_tool, tmp_path):
    """A stream whose batches have different dictionaries: Reel writes each dictionary of a
    file once, so it refuses (UNSUPPORTED, naming the column) rather than write a file that
    pyarrow would refuse or misread."""
    schema = pa.schema([pa.field("d", pa.dictionary(pa.int16(), pa.string()))])
    plan = [([0, 1, 0], ["a", "b"]), ([2, None, 0, 3], ["a", "b", "c", "d"])]
    batches = [pa.record_batch([pa.DictionaryArray.from_arrays(pa.array(indices, pa.int16()),
                                                               pa.array(values))], schema=schema)
               for indices, values in plan]
    stream_in, file_path = tmp_path / "in.arrows", tmp_path / "out.arrow"
    write_pyarrow_stream(stream_in, schema, batches,
                         pa.ipc.IpcWriteOptions(emit_dictionary_deltas=deltas))
    result = run_tool("roundtrip", stream_in, file_path, "--to-file")
    result.assert_no_crash()
    assert result.returncode == 2, result.stderr
    assert "UNSUPPORTED" in result.stderr and "column 'd'" in result.stderr, result.stderr
    assert "batch 1" in result.stderr


def test_formats_are_told_apart(run_tool, tmp_path):
    case = CASES_BY_NAME["several_batches"]
    stream, file_path = tmp_path / "in.arrows", tmp_path / "in.arrow"
    write_pyarrow_stream(stream, case.schema(), case.stream_batches())
    write_pyarrow_file(file_path, case.schema(), case.stream_batches())
    assert "stream format" in expect_error(run_tool, stream, "a stream read as a file")
    result = run_tool("read", file_path)
    result.assert_no_crash()
    assert result.returncode == 2 and "file format" in result.stderr
    assert run_tool("read", file_path, "--file", "--incremental").returncode == 1


# ---------------------------------------------------------------- hostile files


@pytest.mark.parametrize("writer", ["pyarrow", "reel"])
@pytest.mark.parametrize("name", ["several_batches", "list_struct_nested_nulls",
                                  "dictionary_nested", "rerun_chunk_like"])
def test_truncated_files(name, writer, run_tool, tmp_path):
    case = CASES_BY_NAME[name]
    if writer == "pyarrow":
        data = write_pyarrow_file(tmp_path / "full.arrow", case.schema(), case.stream_batches())
    else:
        data = build_file(run_tool, case, tmp_path)
    path = tmp_path / "cut.arrow"
    rng = random.Random(f"cut-{name}-{writer}")
    points = {0, 1, 5, 6, 8, 9, 17, 18, len(data) - 1, len(data) - 6, len(data) - 10}
    points |= {rng.randrange(1, len(data)) for _ in range(40)}
    for p in sorted(p for p in points if 0 <= p < len(data)):
        path.write_bytes(data[:p])
        expect_error(run_tool, path, f"file cut at byte {p} of {len(data)}", ())
    # The messages cut short, the footer kept: blocks then point past the messages.
    footer_len = struct.unpack_from("<i", data, len(data) - 10)[0]
    footer_start = len(data) - 10 - footer_len
    for p in sorted({8, 16, footer_start // 2, footer_start - 16}):
        path.write_bytes(data[:p] + data[footer_start:])
        expect_error(run_tool, path, f"messages cut at byte {p}", ("byte offset",))


@pytest.mark.parametrize("writer", ["pyarrow", "reel"])
def test_damaged_footers_and_blocks(writer, run_tool, tmp_path):
    case = CASES_BY_NAME["dictionary_nested"]
    if writer == "pyarrow":
        data = write_pyarrow_file(tmp_path / "ok.arrow", case.schema(), case.stream_batches())
    else:
        data = build_file(run_tool, case, tmp_path)
    blocks = footer_blocks(data)
    assert len(blocks["dictionaries"]) == 2 and len(blocks["recordBatches"]) == 1
    batch_block, dict_block = blocks["recordBatches"][0], blocks["dictionaries"][0]
    offset, metadata_len, body_len = struct.unpack_from("<qi4xq", data, batch_block)
    tail = len(data) - 10
    footer_len = struct.unpack_from("<i", data, tail)[0]
    bad = {
        "leading magic": patch(data, 0, b"ARROX1"),
        "closing magic": patch(data, len(data) - 6, b"ARROW2"),
        "footer length 0": patch(data, tail, struct.pack("<i", 0)),
        "footer length negative": patch(data, tail, struct.pack("<i", -5)),
        "footer length past the file": patch(data, tail, struct.pack("<i", len(data))),
        "footer length huge": patch(data, tail, struct.pack("<i", 0x7FFFFFFF)),
        "footer root offset": patch(data, tail - footer_len, struct.pack("<I", 0xFFFFFFF0)),
        "block offset negative": patch(data, batch_block, struct.pack("<q", -8)),
        "block offset in the magic": patch(data, batch_block, struct.pack("<q", 0)),
        "block offset past the file": patch(data, batch_block, struct.pack("<q", 1 << 40)),
        "block offset overflowing": patch(data, batch_block, struct.pack("<q", (1 << 63) - 8)),
        "block offset into the footer": patch(data, batch_block,
                                              struct.pack("<q", tail - footer_len - 8)),
        "block offset off by 8": patch(data, batch_block, struct.pack("<q", offset + 8)),
        "metaDataLength negative": patch(data, batch_block + 8, struct.pack("<i", -1)),
        "metaDataLength 0": patch(data, batch_block + 8, struct.pack("<i", 0)),
        "metaDataLength off by 8": patch(data, batch_block + 8, struct.pack("<i", metadata_len + 8)),
        "bodyLength past the file": patch(data, batch_block + 16, struct.pack("<q", 1 << 50)),
        "bodyLength negative": patch(data, batch_block + 16, struct.pack("<q", -1)),
        "bodyLength off by 8": patch(data, batch_block + 16, struct.pack("<q", body_len - 8)),
        "record batch block on a dictionary": patch(data, batch_block, data[dict_block:dict_block + 24]),
        "dictionary block on the record batch": patch(data, dict_block, data[batch_block:batch_block + 24]),
        "the same dictionary twice": patch(data, blocks["dictionaries"][1],
                                           data[dict_block:dict_block + 24]),
    }
    path = tmp_path / "bad.arrow"
    for what, blob in bad.items():
        assert len(blob) == len(data) and blob != data, what
        path.write_bytes(blob)
        expect_error(run_tool, path, what, ("byte offset",))


@pytest.mark.parametrize("writer", ["pyarrow", "reel"])
@pytest.mark.parametrize("name", ["several_batches", "list_struct_nested_nulls",
                                  "dense_union_null_markers", "rerun_chunk_like",
                                  "user_types_slice_offset_3", "dictionary_nested"])
def test_random_corruption_never_crashes(name, writer, run_tool, tmp_path):
    """Random byte changes: every run ends in a clean exit 0 (valid JSON out) or 2 with an
    error naming an offset."""
    case = CASES_BY_NAME[name]
    if writer == "pyarrow":
        data = write_pyarrow_file(tmp_path / "ok.arrow", case.schema(), case.stream_batches())
    else:
        data = build_file(run_tool, case, tmp_path)
    footer_len = struct.unpack_from("<i", data, len(data) - 10)[0]
    footer = range(len(data) - 10 - footer_len, len(data))
    rng = random.Random(f"reel-file-{name}-{writer}")
    path = tmp_path / "mutated.arrow"
    outcomes = {0: 0, 2: 0}
    for i in range(120):
        mutated = bytearray(data)
        for _ in range(rng.choice([1, 1, 2, 4])):
            # Half of the changes hit the footer, which is small but says where everything is.
            at = rng.choice(footer) if rng.random() < 0.5 else rng.randrange(len(mutated))
            mutated[at] = rng.choice([0x00, 0xFF, 0x7F, 0x80, rng.randrange(256),
                                      mutated[at] ^ (1 << rng.randrange(8))])
        path.write_bytes(bytes(mutated))
        result = run_tool("read", path, "--file")
        result.assert_no_crash()
        assert result.returncode in (0, 2), f"mutation {i}: exit {result.returncode}: {result.stderr}"
        if result.returncode == 0:
            load_tool_json(result.stdout_bytes.decode("utf-8", errors="surrogateescape"))
        else:
            assert "offset" in result.stderr, f"mutation {i}: {result.stderr}"
        outcomes[result.returncode] += 1
    assert outcomes[2] > 0, "no mutation was rejected: is the reader checking anything?"
