#!/usr/bin/env python3
"""Writes the seed corpus of the IPC file fuzz target, fuzz/corpus/ipc_file/ (rerunnable).

* pa_ok_*.arrow: IPC files written by pyarrow (every kind of column Reel reads, dictionaries
  written once and as deltas, no batches, many batches, metadata V4, the legacy framing,
  footer metadata); pl_ok_*.arrow: written by polars (oldest compat level: no view types).
  tests/arrow/test_ipc_file.c requires them all to read and round-trip.
* reel_*.arrow: files written by Reel (`arrow_interop_tool build --file`, needs a build).
* pa_bad_*.arrow: pyarrow's files damaged (truncated, footer length, block offset, magic);
  the unit test requires an error naming a byte offset.

Usage: .venv/bin/python fuzz/make_ipc_file_corpus.py [--tool build/arrow_interop_tool]
"""
import argparse
import json
import os
import struct
import subprocess
import sys
import tempfile
from decimal import Decimal

import pyarrow as pa

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fuzz", "corpus", "ipc_file")


def file_bytes(batches, schema=None, metadata=None, **options):
    schema = schema if schema is not None else batches[0].schema
    sink = pa.BufferOutputStream()
    with pa.ipc.new_file(sink, schema, options=pa.ipc.IpcWriteOptions(**options),
                         metadata=metadata) as writer:
        for batch in batches:
            writer.write_batch(batch)
    return sink.getvalue().to_pybytes()


def ok_files():
    primitives = pa.record_batch({
        "i8": pa.array([1, -2, None, 127], pa.int8()),
        "u64": pa.array([0, 2**64 - 1, None, 3], pa.uint64()),
        "f32": pa.array([1.5, None, float("nan"), -0.0], pa.float32()),
        "s": pa.array(["a", None, "héllo", ""]),
        "b": pa.array([True, None, False, True]),
        "ts": pa.array([0, 1, None, -1], pa.timestamp("ns", tz="UTC")),
        "bin": pa.array([b"\x00", None, b"", b"ab"], pa.binary()),
    }, metadata={"origin": "pyarrow"})
    nested = pa.record_batch({
        "l": pa.array([[{"a": 1, "b": ["x"]}], None, [], [None]],
                      pa.list_(pa.struct([("a", pa.int32()), ("b", pa.list_(pa.string()))]))),
        "fsl": pa.array([[1.0, 2.0, 3.0], None, [0.0, 0.0, 0.0], [1.0, None, 2.0]],
                        pa.list_(pa.float32(), 3)),
        "m": pa.array([[("k", 1)], None, [], [("a", None)]], pa.map_(pa.string(), pa.int64())),
    })
    union_children = [pa.array([1, 2, None]), pa.array(["x", "y", "z"])]
    unions = pa.record_batch({
        "dense": pa.UnionArray.from_dense(pa.array([0, 1, 0], pa.int8()),
                                          pa.array([0, 0, 1], pa.int32()),
                                          [pa.array([5, 6]), pa.array(["q"])], ["i", "s"]),
        "sparse": pa.UnionArray.from_sparse(pa.array([1, 0, 1], pa.int8()), union_children,
                                            ["i", "s"]),
    })
    words = pa.array(["cat", "dog", None, "cat"]).dictionary_encode()
    dictionary = pa.record_batch({"d": words, "n": pa.array([1, 2, 3, 4])})
    decimals = pa.record_batch({
        "d128": pa.array([Decimal("1.25"), None, Decimal("-0.05")], pa.decimal128(10, 2)),
        "d256": pa.array([Decimal("1"), Decimal("-2"), None], pa.decimal256(40, 0)),
    })
    schema = pa.schema([pa.field("d", pa.dictionary(pa.int16(), pa.string()))])
    growing = [pa.record_batch([pa.DictionaryArray.from_arrays(
        pa.array(indices, pa.int16()), pa.array(values))], schema=schema)
        for indices, values in [([0, 1, 0], ["a", "b"]), ([2, None, 0, 3], ["a", "b", "c", "d"])]]
    many = [pa.record_batch({"i": pa.array(range(i, i + i % 4), pa.int64())}) for i in range(20)]
    return {
        "pa_ok_primitives": file_bytes([primitives]),
        "pa_ok_nested": file_bytes([nested, nested.slice(1, 2)]),
        "pa_ok_unions": file_bytes([unions]),
        "pa_ok_dictionary": file_bytes([dictionary, dictionary.slice(1, 3)]),
        "pa_ok_dictionary_delta": file_bytes(growing, emit_dictionary_deltas=True),
        "pa_ok_decimals": file_bytes([decimals]),
        "pa_ok_no_batches": file_bytes([], schema=primitives.schema),
        "pa_ok_many_batches": file_bytes(many),
        "pa_ok_metadata_v4": file_bytes([nested], metadata_version=pa.ipc.MetadataVersion.V4),
        "pa_ok_legacy_format": file_bytes([primitives], use_legacy_format=True),
        "pa_ok_footer_metadata": file_bytes([dictionary], metadata={"footer": "yes"}),
    }


def polars_files():
    import polars as pl

    df = pl.DataFrame({"i": [1, None, 3], "s": ["a", "b", None],
                       "l": [[1.0], [], None], "c": pl.Series(["x", "y", "x"], dtype=pl.Categorical)})
    path = os.path.join(tempfile.mkdtemp(), "polars.arrow")
    df.write_ipc(path, compression="uncompressed", compat_level=pl.CompatLevel.oldest())
    with open(path, "rb") as f:
        return {"pl_ok_frame": f.read()}


def reel_files(tool):
    sys.path.insert(0, os.path.join(ROOT, "tests", "interop"))
    from cases import CASES_BY_NAME

    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, align in [("rerun_chunk_like", 8), ("dictionary_nested", 8),
                            ("several_batches", 64), ("user_types_slice_offset_3", 8)]:
            case_path, out_path = os.path.join(tmp, "case.json"), os.path.join(tmp, "out.arrow")
            with open(case_path, "w", encoding="utf-8") as f:
                json.dump(CASES_BY_NAME[name].tool_case(), f, allow_nan=False)
            subprocess.run([tool, "build", case_path, out_path, "--file", "--align", str(align)],
                           check=True)
            with open(out_path, "rb") as f:
                out[f"reel_{name}"] = f.read()
    return out


def bad_files(good):
    footer_len = struct.unpack_from("<i", good, len(good) - 10)[0]
    footer_start = len(good) - 10 - footer_len
    bad_length = bytearray(good)
    struct.pack_into("<i", bad_length, len(good) - 10, footer_len + 4096)
    # The first Block of the footer's recordBatches: find it through pyarrow's own offsets is
    # not exposed, so damage every 8-aligned int64 in the footer that equals a message offset.
    reader = pa.ipc.open_file(pa.BufferReader(good))
    assert reader.num_record_batches > 0
    bad_block = bytearray(good)
    for at in range(footer_start, len(good) - 10 - 8, 8):
        value = struct.unpack_from("<q", bad_block, at)[0]
        if 8 <= value < footer_start and value % 8 == 0 and good[value:value + 4] == b"\xff" * 4:
            struct.pack_into("<q", bad_block, at, value + 4096 * 1024)
    return {
        "pa_bad_truncated": good[:len(good) // 2],
        "pa_bad_footer_length": bytes(bad_length),
        "pa_bad_block_offset": bytes(bad_block),
        "pa_bad_magic": good[:-1] + b"2",
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tool", default=os.path.join(ROOT, "build", "arrow_interop_tool"))
    args = parser.parse_args()
    os.makedirs(OUT, exist_ok=True)
    files = ok_files()
    files.update(polars_files())
    files.update(bad_files(files["pa_ok_nested"]))
    if os.access(args.tool, os.X_OK):
        files.update(reel_files(args.tool))
    else:
        print(f"{args.tool} not found: reel_* files not written", file=sys.stderr)
    for name, data in sorted(files.items()):
        with open(os.path.join(OUT, name + ".arrow"), "wb") as f:
            f.write(data)
        print(f"{name}.arrow: {len(data)} bytes")


if __name__ == "__main__":
    main()
