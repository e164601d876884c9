#!/usr/bin/env python3
"""Writes the seed corpus of the IPC fuzz target, fuzz/corpus/ipc/ (rerunnable: it rewrites
the same files with the same bytes).

* pa_ok_*.arrows: streams written by pyarrow covering every type Reel reads (maps, decimals
  and dictionaries included, with delta dictionaries); the IPC unit test requires them to
  decode and round-trip.
* pa_unsupported_*.arrows: pyarrow streams using features Reel rejects (views, run-end
  encoding, body compression, the file format); the unit test requires REEL_UNSUPPORTED.
* reel_*.arrows: streams written by our encoder, made by `test_ipc --write-corpus DIR`.

When the test binary is available (--test-ipc, default build/tests/arrow/test_ipc) the
script also checks interop both ways: pyarrow must read every reel_* stream with full
validation, and every pa_ok_* stream re-encoded by Reel (`test_ipc --reencode`) must read
back in pyarrow equal to the original, metadata included.

Usage: .venv/bin/python fuzz/make_ipc_corpus.py [--test-ipc PATH] [--out DIR]
"""
import argparse
import datetime
import os
import subprocess
import sys
import tempfile

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def stream_bytes(batches, schema=None, **options):
    schema = schema if schema is not None else batches[0].schema
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, schema, options=pa.ipc.IpcWriteOptions(**options)) as writer:
        for batch in batches:
            writer.write_batch(batch)
    return sink.getvalue().to_pybytes()


def batch(columns, metadata=None):
    return pa.RecordBatch.from_pydict(columns, metadata=metadata)


def ok_streams():
    f16 = np.array([0.5, -2.0, np.inf, np.nan, 65504.0, 0.0], dtype=np.float16)
    primitives = pa.record_batch(
        [
            pa.array([1, -2, None, 127, -128, 0], pa.int8()),
            pa.array([1, None, -300, 32767, -32768, 0], pa.int16()),
            pa.array([None, 2, 3, 2**31 - 1, -(2**31), 0], pa.int32()),
            pa.array([1, 2, None, 2**63 - 1, -(2**63), 0], pa.int64()),
            pa.array([0, 255, None, 1, 2, 3], pa.uint8()),
            pa.array([0, 65535, 1, None, 2, 3], pa.uint16()),
            pa.array([0, 2**32 - 1, 1, 2, None, 3], pa.uint32()),
            pa.array([0, 2**64 - 1, 1, 2, 3, None], pa.uint64()),
            pa.array(f16, pa.float16()),
            pa.array([1.5, None, float("nan"), float("-inf"), -0.0, 3.25], pa.float32()),
            pa.array([1e300, -1e-300, None, float("inf"), 0.1, 2.0], pa.float64()),
            pa.array([True, False, None, True, True, False], pa.bool_()),
            pa.nulls(6),
        ],
        names=["i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "f16", "f32", "f64",
               "bool", "null"],
    )
    words = ["alpha", None, "", "γάμμα", "emoji 🦀", "x" * 40]
    strings = pa.record_batch(
        [
            pa.array(words, pa.string()),
            pa.array(words, pa.large_string()),
            pa.array([w.encode() if w is not None else None for w in words], pa.binary()),
            pa.array([b"\x00\x01", b"", None, b"\xff" * 9, b"z", b"q"], pa.large_binary()),
            pa.array([bytes(range(i, i + 16)) if i != 2 else None for i in range(6)],
                     pa.binary(16)),
        ],
        names=["utf8", "large_utf8", "binary", "large_binary", "tuid"],
    )
    t0 = datetime.datetime(2024, 5, 1, 12, 30, 15, 123456)
    times = [t0 + datetime.timedelta(seconds=i * 3601) for i in range(4)] + [None]
    temporal = pa.record_batch(
        [
            pa.array([datetime.date(2024, 1, d) for d in range(1, 5)] + [None], pa.date32()),
            pa.array([datetime.date(1969, 12, d) for d in range(27, 31)] + [None], pa.date64()),
            pa.array([0, 59, 3600, None, 86399], pa.time32("s")),
            pa.array([0, 1, None, 1000, 86399999], pa.time32("ms")),
            pa.array([0, None, 1, 10**6, 86399999999], pa.time64("us")),
            pa.array([None, 0, 1, 10**9, 86399999999999], pa.time64("ns")),
            pa.array(times, pa.timestamp("s")),
            pa.array(times, pa.timestamp("ms", tz="Europe/Paris")),
            pa.array(times, pa.timestamp("us", tz="+07:30")),
            pa.array(times, pa.timestamp("ns", tz="UTC")),
            pa.array([0, -1, None, 10**12, 5], pa.duration("s")),
            pa.array([0, -1, None, 10**12, 5], pa.duration("ms")),
            pa.array([0, -1, None, 10**12, 5], pa.duration("us")),
            pa.array([0, -1, None, 10**12, 5], pa.duration("ns")),
        ],
        names=["d32", "d64", "t32s", "t32ms", "t64us", "t64ns", "ts_s", "ts_ms_paris",
               "ts_us_offset", "ts_ns_utc", "dur_s", "dur_ms", "dur_us", "dur_ns"],
    )
    point = pa.struct([pa.field("x", pa.float32(), nullable=False), ("label", pa.string())])
    nested = pa.record_batch(
        [
            pa.array([[{"x": 1.0, "label": "a"}, None], None, [], [{"x": 2.5, "label": None}]],
                     pa.list_(point)),
            pa.array([[[1, 2], [3]], [[]], None, [[4, None, 6]]],
                     pa.large_list(pa.list_(pa.int8()))),
            pa.array([[1, 2, 3], None, [4, 5, 6], [7, None, 9]],
                     pa.list_(pa.float32(), 3)),
            pa.array([{"a": 1, "b": [True]}, None, {"a": None, "b": None}, {"a": 4, "b": []}],
                     pa.struct([("a", pa.int64()), ("b", pa.list_(pa.bool_()))])),
            pa.array([[b"\x01" * 4, None], None, [b"\x02" * 4], []],
                     pa.list_(pa.binary(4))),
        ],
        names=["points", "lists_of_lists", "vec3", "record", "fsb_list"],
    )
    # Rerun-style dense union: child 0 is a Null named _null_markers; custom type codes.
    dense_type = pa.dense_union(
        [pa.field("_null_markers", pa.null()), pa.field("u8", pa.list_(pa.uint8())),
         pa.field("f32", pa.list_(pa.float32()))], type_codes=[0, 3, 7])
    dense = pa.UnionArray.from_dense(
        pa.array([0, 3, 7, 3, 0], pa.int8()), pa.array([0, 0, 0, 1, 1], pa.int32()),
        [pa.nulls(2), pa.array([[1, 2], [3]], pa.list_(pa.uint8())),
         pa.array([[1.5]], pa.list_(pa.float32()))],
        ["_null_markers", "u8", "f32"], [0, 3, 7])
    sparse = pa.UnionArray.from_sparse(
        pa.array([0, 1, 1, 0, 1], pa.int8()),
        [pa.array([1, 2, 3, None, 5], pa.int32()), pa.array(["a", None, "c", "d", "e"])],
        ["i", "s"])
    assert dense.type == dense_type
    unions = pa.record_batch([dense, sparse], names=["dense", "sparse"])

    row_ids = pa.array([bytes([0x17, 0x9f] + [i] * 14) for i in range(3)], pa.binary(16))
    positions = pa.array([[[1, 2, 3], [4, 5, 6]], [], None],
                         pa.list_(pa.field("item", pa.list_(pa.float32(), 3), nullable=False)))
    rerun_schema = pa.schema(
        [
            pa.field("rerun.controls.RowId", pa.binary(16), nullable=False,
                     metadata={"rerun:kind": "control", "ARROW:extension:name": "rerun.datatypes.TUID"}),
            pa.field("frame", pa.int64(), metadata={"rerun:kind": "index", "rerun:index_name": "frame"}),
            pa.field("log_time", pa.timestamp("ns"), metadata={"rerun:kind": "index"}),
            pa.field("Points3D:positions", positions.type,
                     metadata={"rerun:kind": "data", "rerun:component": "Points3D:positions",
                               "rerun:archetype": "rerun.archetypes.Points3D"}),
        ],
        metadata={"rerun:entity_path": "/world/points", "rerun:id": "chunk_17A0C2D3",
                  "sorbet:version": "0.1.3", "rerun:is_sorted": "true"},
    )
    rerun = pa.record_batch(
        [row_ids, pa.array([0, 1, 2], pa.int64()),
         pa.array([10**18, 10**18 + 5, 10**18 + 9], pa.timestamp("ns")), positions],
        schema=rerun_schema)

    # User data as Rerun's AnyValues carry it: maps, decimals and dictionaries, with nulls,
    # nested in lists and structs.
    from decimal import Decimal

    dict_words = pa.array(["cat", "dog", None, "cat", "emu", "dog"]).dictionary_encode()
    dict_int8 = pa.DictionaryArray.from_arrays(pa.array([0, 1, None, 1, 2, 0], pa.int8()),
                                               pa.array(["x", "y", None]))
    nested_dict = pa.ListArray.from_arrays(pa.array([0, 2, 2, 3, 5, 5, 6], pa.int32()),
                                           dict_words)
    user_types = pa.record_batch(
        [
            pa.array([[("gain", 3), ("offset", -1)], [], None, [("a", None)], [("b", 2)],
                      [("c", 5), ("d", 6)]], pa.map_(pa.string(), pa.int64())),
            pa.array([[("k", [1, 2])], None, [("l", None), ("m", [])], [], [("n", [3])],
                      [("o", [4, 5, 6])]], pa.map_(pa.string(), pa.list_(pa.int64()),
                                                   keys_sorted=True)),
            pa.array([Decimal("1.25"), None, Decimal("-0.05"), Decimal("12345678.90"),
                      Decimal("0"), Decimal("-99999999.99")], pa.decimal128(10, 2)),
            pa.array([Decimal("1E+5"), Decimal("-3E+5"), None, Decimal("0"),
                      Decimal("123456789012345678901234567890123456789E+5"), Decimal("5E+5")],
                     pa.decimal256(40, -5)),
            pa.array([Decimal("1.5"), None, Decimal("-2.5"), Decimal("0.1"), Decimal("9.9"),
                      Decimal("0")], pa.decimal32(3, 1)),
            pa.array([Decimal("123456789012.345678"), None, Decimal("-1"), Decimal("0"),
                      Decimal("1"), Decimal("2")], pa.decimal64(18, 6)),
            dict_words,
            dict_int8,
            nested_dict,
            pa.StructArray.from_arrays([dict_int8, pa.array([1, 2, 3, 4, 5, 6], pa.int16())],
                                       names=["label", "n"]),
        ],
        names=["map", "map_list", "dec128", "dec256_neg_scale", "dec32", "dec64", "dict_str32",
               "dict_str8", "list_dict", "struct_dict"],
    )
    delta_schema = pa.schema([pa.field("d", pa.dictionary(pa.int16(), pa.string()))])
    delta_batches = [
        pa.record_batch([pa.DictionaryArray.from_arrays(pa.array([0, 1, 0], pa.int16()),
                                                        pa.array(["a", "b"]))],
                        schema=delta_schema),
        pa.record_batch([pa.DictionaryArray.from_arrays(pa.array([2, 0, None, 3], pa.int16()),
                                                        pa.array(["a", "b", "c", "d"]))],
                        schema=delta_schema),
    ]

    many = pa.record_batch([pa.array(range(200), pa.int32()),
                            pa.array([f"row {i}" if i % 7 else None for i in range(200)])],
                           names=["n", "s"])
    empty_schema = pa.schema([])
    streams = {
        "primitives": stream_bytes([primitives]),
        "strings": stream_bytes([strings]),
        "temporal": stream_bytes([temporal]),
        "nested": stream_bytes([nested]),
        "unions": stream_bytes([unions]),
        "rerun_chunk": stream_bytes([rerun]),
        "multi_batch": stream_bytes([many.slice(0, 50), many.slice(50, 0), many.slice(53, 147)]),
        "sliced": stream_bytes([nested.slice(1, 3)]),
        "sliced_unions": stream_bytes([unions.slice(1, 3)]),
        "zero_rows": stream_bytes([nested.slice(0, 0)]),
        "no_batches": stream_bytes([], schema=rerun_schema),
        "no_columns": stream_bytes([pa.record_batch([], schema=empty_schema)],
                                   schema=empty_schema),
        "legacy_format": stream_bytes([strings], use_legacy_format=True),
        "metadata_v4": stream_bytes([nested], metadata_version=pa.ipc.MetadataVersion.V4),
        # V4 unions still carry a (empty) validity buffer.
        "metadata_v4_unions": stream_bytes([unions], metadata_version=pa.ipc.MetadataVersion.V4),
        "user_types": stream_bytes([user_types]),
        "user_types_sliced": stream_bytes([user_types.slice(1, 4), user_types.slice(5, 1)]),
        "dictionary": stream_bytes([pa.record_batch(
            [pa.array(["a", "b", "a", None]).dictionary_encode()], names=["dict"])]),
        "decimal": stream_bytes([pa.record_batch([pa.array([1, 2], pa.decimal128(10, 2))],
                                                 names=["dec"])]),
        "map": stream_bytes([pa.record_batch([pa.array([[("k", 1)], []],
                                                       pa.map_(pa.string(), pa.int32()))],
                                             names=["map"])]),
        # The second batch's dictionary extends the first's (a delta DictionaryBatch).
        "dictionary_delta": stream_bytes(delta_batches, emit_dictionary_deltas=True),
    }
    return streams


def unsupported_streams():
    view = pa.record_batch([pa.array(["short", "a longer string view"], pa.string_view())],
                           names=["view"])
    run_end = pa.record_batch([pc.run_end_encode(pa.array([1, 1, 1, 2, 2]))], names=["ree"])
    plain = pa.record_batch([pa.array(range(100), pa.int64())], names=["n"])
    file_sink = pa.BufferOutputStream()
    with pa.ipc.new_file(file_sink, plain.schema) as writer:
        writer.write_batch(plain.slice(0, 3))
    return {
        "file_format": file_sink.getvalue().to_pybytes(),
        "string_view": stream_bytes([view]),
        "run_end": stream_bytes([run_end]),
        "lz4": stream_bytes([plain], compression="lz4"),
        "zstd": stream_bytes([plain], compression="zstd"),
    }


def read_all(data):
    table = pa.ipc.open_stream(data).read_all()
    table.validate(full=True)
    return table


def printed(table):
    """Every value as text (so NaN equals NaN, and nanoseconds need no pandas)."""
    return [column.to_string(window=10**6, container_window=10**6, skip_new_lines=True)
            for column in table.columns]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--test-ipc", default=os.path.join(ROOT, "build/tests/arrow/test_ipc"))
    parser.add_argument("--out", default=os.path.join(ROOT, "fuzz/corpus/ipc"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)

    written = {}
    for name, data in ok_streams().items():
        read_all(data)  # pyarrow must accept its own stream
        written[f"pa_ok_{name}.arrows"] = data
    for name, data in unsupported_streams().items():
        written[f"pa_unsupported_{name}.arrows"] = data
    for name, data in written.items():
        with open(os.path.join(args.out, name), "wb") as f:
            f.write(data)

    if not os.access(args.test_ipc, os.X_OK):
        print(f"{args.test_ipc} not built: reel_* streams and the interop check skipped",
              file=sys.stderr)
    else:
        subprocess.run([args.test_ipc, "--write-corpus", args.out], check=True)
        for name in sorted(os.listdir(args.out)):
            if name.startswith("reel_"):
                with open(os.path.join(args.out, name), "rb") as f:
                    read_all(f.read())
        with tempfile.TemporaryDirectory() as tmp:
            for name, data in written.items():
                if not name.startswith("pa_ok_"):
                    continue
                for alignment in (8, 64):
                    out = os.path.join(tmp, f"{alignment}_{name}")
                    subprocess.run([args.test_ipc, "--reencode", os.path.join(args.out, name),
                                    out, str(alignment)], check=True)
                    with open(out, "rb") as f:
                        ours = read_all(f.read())
                    theirs = read_all(data)
                    if not (ours.schema.equals(theirs.schema, check_metadata=True)
                            and printed(ours) == printed(theirs)):
                        sys.exit(f"{name}: Reel's re-encoding (alignment {alignment}) "
                                 f"differs from pyarrow's:\n{ours}\n---\n{theirs}")
        print("interop: pyarrow reads every reel_* stream and every re-encoded pa_ok_* stream")

    total = sum(os.path.getsize(os.path.join(args.out, n)) for n in os.listdir(args.out))
    print(f"{len(os.listdir(args.out))} files, {total} bytes in {args.out}")


if __name__ == "__main__":
    main()
