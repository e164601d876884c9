#!/usr/bin/env python3
"""Writes the seed corpus of the rrd payload fuzz target, fuzz/corpus/rrd_proto/
(rerunnable: the same inputs give the same files).

Every message payload of the .rrd/.rbl files in fuzz/corpus/rrd_stream/ (written by
rerun-sdk 0.41.0 and by Reel) becomes one input: a selector byte (bits 0-1 the message
kind, 2-3 the envelope: 0 bare, 1 LogMsg, 2 WriteMessagesRequest; bit 4 skips Arrow
decoding) followed by the payload. The first payload of each kind per file is also
written wrapped in the two gRPC envelopes, the way Rerun's message proxy carries it.

Usage: python3 fuzz/make_rrd_proto_corpus.py [--src DIR] [--out DIR]
"""
import argparse
import hashlib
import os
import struct

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KIND_NAMES = {0: "footer", 1: "store_info", 2: "arrow_msg", 3: "activation"}


def varint(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def wrap(field, payload):
    return varint(field << 3 | 2) + varint(len(payload)) + payload


def messages(data):
    """(kind, payload) of every framed message, following concatenated streams."""
    at = 0
    while at + 12 <= len(data):
        if data[at:at + 4] == b"RRF2" and data[at + 4:at + 8] != b"FOOT":
            at += 12
            continue
        if at + 16 > len(data):
            return
        kind, length = struct.unpack_from("<QQ", data, at)
        if kind > 3 or at + 16 + length > len(data):
            return
        yield kind, data[at + 16:at + 16 + length]
        at += 16 + length + (32 if kind == 0 and length else 0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", default=os.path.join(ROOT, "fuzz/corpus/rrd_stream"))
    parser.add_argument("--out", default=os.path.join(ROOT, "fuzz/corpus/rrd_proto"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    written = 0
    for name in sorted(os.listdir(args.src)):
        with open(os.path.join(args.src, name), "rb") as f:
            data = f.read()
        seen = set()
        for kind, payload in messages(data):
            inputs = [(bytes([kind]), payload)]
            if kind and kind not in seen:
                log_msg = wrap(kind, payload)
                inputs += [(bytes([kind | 4]), log_msg), (bytes([kind | 8]), wrap(1, log_msg))]
                seen.add(kind)
            for selector, body in inputs:
                digest = hashlib.sha1(selector + body).hexdigest()[:12]
                label = KIND_NAMES[kind] + ("" if selector[0] < 4 else "_env%d" % (selector[0] >> 2))
                path = os.path.join(args.out, "%s_%s" % (label, digest))
                with open(path, "wb") as f:
                    f.write(selector + body)
                written += 1
    print("wrote %d inputs to %s" % (written, args.out))


if __name__ == "__main__":
    main()
