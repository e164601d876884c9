#!/usr/bin/env python3
"""Writes the golden chunk payloads in this folder: Arrow IPC streams (schema + one record
batch) exactly as rerun-sdk 0.41.0 puts them inside the ArrowMsg messages of a .rrd file.

It logs a few representative chunks with the real SDK into a temporary .rrd file, walks the
RRF2 framing (12-byte stream header, 16-byte message headers), decodes the ArrowMsg protobuf
(payload = field 5, compression = field 2, uncompressed size = field 3), undoes the LZ4
block compression with the small pure-Python decoder below, and saves each chunk's IPC bytes
as <name>.arrows. Run with the test venv: .venv/bin/python tests/chunk/data/extract_chunks.py
"""
import os
import struct
import sys
import tempfile

# Batch rows of one entity into multi-row chunks (the default flushes every few ms).
os.environ["RERUN_FLUSH_TICK_SECS"] = "10"
os.environ["RERUN_FLUSH_NUM_ROWS"] = "1000"

import numpy as np  # noqa: E402
import pyarrow as pa  # noqa: E402
import rerun as rr  # noqa: E402

OUT_DIR = os.path.dirname(os.path.abspath(__file__))


def lz4_block_decompress(src: bytes, size: int) -> bytes:
    dst = bytearray()
    i = 0
    while i < len(src):
        token = src[i]
        i += 1
        literal_len = token >> 4
        if literal_len == 15:
            while True:
                b = src[i]
                i += 1
                literal_len += b
                if b != 255:
                    break
        dst += src[i : i + literal_len]
        i += literal_len
        if i >= len(src):
            break  # the last sequence has literals only
        distance = src[i] | src[i + 1] << 8
        i += 2
        match_len = token & 15
        if match_len == 15:
            while True:
                b = src[i]
                i += 1
                match_len += b
                if b != 255:
                    break
        match_len += 4
        start = len(dst) - distance
        for k in range(match_len):  # byte by byte: matches may overlap their output
            dst.append(dst[start + k])
    if len(dst) != size:
        raise ValueError(f"LZ4 block gave {len(dst)} bytes, expected {size}")
    return bytes(dst)


def varint(buf: bytes, i: int):
    value = shift = 0
    while True:
        b = buf[i]
        i += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return value, i


def protobuf_fields(buf: bytes) -> dict:
    fields, i = {}, 0
    while i < len(buf):
        key, i = varint(buf, i)
        number, wire_type = key >> 3, key & 7
        if wire_type == 0:
            value, i = varint(buf, i)
        elif wire_type == 2:
            length, i = varint(buf, i)
            value, i = buf[i : i + length], i + length
        elif wire_type == 1:
            value, i = buf[i : i + 8], i + 8
        elif wire_type == 5:
            value, i = buf[i : i + 4], i + 4
        else:
            raise ValueError(f"unexpected wire type {wire_type}")
        fields.setdefault(number, []).append(value)
    return fields


def arrow_payloads(path: str):
    data = open(path, "rb").read()
    assert data[:4] == b"RRF2", "not an RRF2 stream"
    i = 12
    while i + 16 <= len(data):
        kind, length = struct.unpack_from("<QQ", data, i)
        payload = data[i + 16 : i + 16 + length]
        i += 16 + length
        if kind == 0:  # End: the footer follows
            break
        if kind == 2:  # ArrowMsg
            msg = protobuf_fields(payload)
            compression = msg.get(2, [0])[0]
            size = msg.get(3, [0])[0]
            body = msg[5][0]
            yield lz4_block_decompress(body, size) if compression == 2 else body


def log_everything(path: str) -> None:
    rr.init("reel_golden", recording_id="reel-golden-recording")
    rr.save(path)
    # 1: temporal points, two timelines, splatted color.
    rr.set_time("frame", sequence=3)
    rr.log("points", rr.Points3D([[0, 0, 0], [1, 1, 1]], colors=[255, 0, 0]))
    # 2: two rows with the same components, batched into one chunk.
    rr.set_time("step", sequence=5)
    rr.log("multi/e", rr.Points3D([[1, 2, 3]], radii=0.5))
    rr.set_time("step", sequence=7)
    rr.log("multi/e", rr.Points3D([[4, 5, 6], [7, 8, 9]], radii=0.1))
    rr.disable_timeline("step")
    # 3: static blob (list<list<uint8>>) under an escaped entity path.
    rr.log("a b/ü", rr.EncodedImage(contents=b"\xff\xd8\xff\xe0", media_type="image/jpeg"), static=True)
    # 4: untyped user data; an unsorted duration timeline and a timestamp timeline.
    rr.send_columns(
        "custom",
        indexes=[
            rr.TimeColumn("elapsed", duration=[2.5, 1.5]),  # not sorted
            rr.TimeColumn("wall", timestamp=[1700000000.0, 1700000001.0]),
        ],
        columns=rr.AnyValues.columns(confidence=np.array([0.9, 0.7])),
    )
    # 5: clearing fields with empty lists; 6: a recursive clear (a boolean component).
    rr.log("cleared", rr.TextLog.cleared())
    rr.log("clear_all", rr.Clear(recursive=True))
    rr.disconnect()


WANTED = {
    "/points": "points_temporal",
    "/multi/e": "multi_row",
    "/a\\ b/ü": "static_blob",
    "/custom": "custom_columns",
    "/cleared": "cleared",
    "/clear_all": "clear_recursive",
}


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "golden.rrd")
        log_everything(path)
        found = {}
        for ipc in arrow_payloads(path):
            reader = pa.ipc.open_stream(ipc)
            entity = reader.schema.metadata[b"rerun:entity_path"].decode()
            name = WANTED.get(entity)
            if name is None or name in found:
                continue
            found[name] = ipc
            with open(os.path.join(OUT_DIR, name + ".arrows"), "wb") as f:
                f.write(ipc)
            batch = reader.read_next_batch()
            print(f"{name}.arrows: {len(ipc)} bytes, {batch.num_rows} rows, {entity}")
        missing = set(WANTED.values()) - set(found)
        if missing:
            print("missing chunks:", sorted(missing), file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
