#!/usr/bin/env python3
"""Writes the seed corpus of the gRPC framing / proxy connection fuzz target,
fuzz/corpus/grpc_frames/ (rerunnable: the same inputs give the same files, except the h2c
capture, which holds fresh stream bytes).

Inputs are a selector byte (bits 0-1: 0 frames, 1 base64, 2 a server connection, 3 a server
connection after an HTTP/2 preface; bit 2 allows gRPC-Web trailers), a piece-size byte, then
the bytes. The WriteMessagesRequests come from the first messages of a small .rrd written by
rerun-sdk 0.41.0 in fuzz/corpus/rrd_stream/. With --sink-tool, the bytes Reel's own gRPC client
sends (preface, SETTINGS, HEADERS, DATA) are captured from a local listener as h2c seeds.

Usage: python3 fuzz/make_grpc_frames_corpus.py [--rrd FILE] [--sink-tool PATH] [--out DIR]
"""
import argparse
import base64
import hashlib
import os
import socket
import struct
import subprocess
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WRITE = b"/rerun.sdk_comms.v1alpha1.MessageProxyService/WriteMessages"
READ = b"/rerun.sdk_comms.v1alpha1.MessageProxyService/ReadMessages"


def varint(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def rrd_requests(path, limit=6):
    """The first messages of an .rrd as WriteMessagesRequest bytes."""
    data = open(path, "rb").read()
    offset, out = 12, []
    while offset + 16 <= len(data) and len(out) < limit:
        kind, length = struct.unpack_from("<QQ", data, offset)
        payload = data[offset + 16:offset + 16 + length]
        offset += 16 + length
        if kind not in (1, 2, 3):
            continue
        log_msg = bytes([kind << 3 | 2]) + varint(len(payload)) + payload
        out.append(b"\x0a" + varint(len(log_msg)) + log_msg)
    return out


def frame(message, flags=0):
    return bytes([flags]) + struct.pack(">I", len(message)) + message


def http1(path, body, content_type=b"application/grpc-web+proto", chunked=False):
    head = (b"POST " + path + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + content_type +
            b"\r\nOrigin: http://localhost:9090\r\nX-Grpc-Web: 1\r\n")
    if not chunked:
        return head + b"Content-Length: %d\r\n\r\n" % len(body) + body
    chunks = b"".join(b"%x\r\n" % len(body[i:i + 37]) + body[i:i + 37] + b"\r\n"
                      for i in range(0, len(body), 37))
    return head + b"Transfer-Encoding: chunked\r\n\r\n" + chunks + b"0\r\n\r\n"


def capture_client(sink_tool, rrd):
    """Bytes Reel's gRPC client sends to a listener that never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]
    received = bytearray()

    def serve():
        conn, _ = listener.accept()
        conn.settimeout(1.5)
        try:
            while True:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                received.extend(chunk)
        except OSError:
            pass
        conn.close()

    thread = threading.Thread(target=serve)
    thread.start()
    subprocess.run([sink_tool, f"rerun+http://127.0.0.1:{port}/proxy", rrd,
                    "--close-timeout-ms", "1000"], capture_output=True, timeout=30)
    thread.join(timeout=10)
    listener.close()
    return bytes(received)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rrd", default=os.path.join(ROOT, "fuzz/corpus/rrd_stream",
                                                       "sdk041_points_static_scalars_text.rrd"))
    parser.add_argument("--sink-tool")
    parser.add_argument("--out", default=os.path.join(ROOT, "fuzz/corpus/grpc_frames"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    requests = rrd_requests(args.rrd)
    body = b"".join(frame(r) for r in requests)
    seeds = {
        "frames_all": b"\x00\x00" + body,
        "frames_pieces": b"\x00\x03" + body,
        "frames_web": b"\x04\x00" + frame(requests[0]) + frame(b"grpc-status:0\r\n", 0x80),
        "frames_huge": b"\x00\x00" + b"\x00\xff\xff\xff\xff",
        "base64": b"\x01\x00" + base64.b64encode(body),
        "base64_groups": b"\x01\x00" + b"".join(base64.b64encode(frame(r)) for r in requests),
        "http1_write": b"\x02\x00" + http1(WRITE, body),
        "http1_write_chunked": b"\x02\x05" + http1(WRITE, body, chunked=True),
        "http1_write_text": b"\x02\x00" + http1(WRITE, base64.b64encode(body),
                                                b"application/grpc-web-text"),
        "http1_read": b"\x02\x00" + http1(READ, frame(b"")),
        "http1_write_then_read": b"\x02\x00" + http1(WRITE, body) + http1(READ, frame(b"")),
        "http1_preflight": b"\x02\x00" + b"OPTIONS " + READ + b" HTTP/1.1\r\nOrigin: "
                           b"http://127.0.0.1:9090\r\nAccess-Control-Request-Headers: "
                           b"content-type\r\n\r\n",
        "h2_garbage": b"\x03\x00" + b"\x00\x00\x04\x04\x00\x00\x00\x00\x00",
    }
    if args.sink_tool:
        captured = capture_client(args.sink_tool, args.rrd)
        if captured.startswith(b"PRI * HTTP/2.0"):
            seeds["h2_client"] = b"\x02\x00" + captured
            seeds["h2_client_pieces"] = b"\x02\x07" + captured
            seeds["h2_after_preface"] = b"\x03\x00" + captured[24:]
    for name, data in seeds.items():
        digest = hashlib.sha1(data).hexdigest()[:8]
        with open(os.path.join(args.out, f"{name}_{digest}"), "wb") as f:
            f.write(data)
    print(f"wrote {len(seeds)} inputs to {args.out}")


if __name__ == "__main__":
    main()
