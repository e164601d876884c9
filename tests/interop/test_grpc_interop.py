"""The gRPC message proxy against the real Rerun 0.41 (rrd-format.md section 7).

(a) The real Python SDK logs (rr.set_sinks(GrpcSink, FileSink): the same rows, the same RowIds,
    to both) into `reel serve --save`: the saved file passes `rerun rrd verify` and holds
    exactly what the SDK's own file holds (rerun.chunk.RrdReader: stores, RowIds, times,
    values), blueprint store included.
(b) Reel's gRPC client, through the SDK's gRPC sink (tests/tools/grpc_sink_tool.c), sends a
    file the real SDK wrote into the real `rerun --serve-grpc`; a real Rerun client reads it
    back (`rerun URL --save`, which reads ReadMessages headlessly) and it is the same content.
(c) A real Rerun client reads `reel serve`'s ReadMessages stream over h2c, both as a late
    reader (history replay) and live, without an error in its log, and gets the same content.
(d) `reel serve --memory-limit` keeps store infos, static data and blueprints when it drops
    temporal data, as Rerun's proxy does; `reel serve` survives a hostile client; --help.

Servers get ephemeral or random ports and are killed in `finally` blocks; every wait has a
timeout. CI=1 keeps Rerun's analytics off. A GUI `rerun --connect` needs a display (no Xvfb
here); `rerun URL --save` is the same gRPC reader without the window.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import CRASH_MARKERS, build_dir, sdk_env, tool_env

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent / "rrd_scripts"))
from test_rrd_interop import assert_same_content, sdk_read  # noqa: E402

# What a real Rerun reader saves while streaming has no footer; RrdReader warns and scans.
pytestmark = pytest.mark.filterwarnings("ignore:RRD file has no footer")

LOG_SCRIPT = r'''
import sys
import numpy as np
import rerun as rr
import rerun.blueprint as rrb

mode, url, path, frames = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
rr.init("reel_grpc_interop", recording_id="grpc_interop_rec")
blueprint = rrb.Blueprint(rrb.Spatial3DView(origin="/world"), rrb.TimeSeriesView(origin="/plot"))
if mode == "both":
    rr.set_sinks(rr.GrpcSink(url), rr.FileSink(path), default_blueprint=blueprint)
elif mode == "grpc":
    rr.connect_grpc(url, default_blueprint=blueprint)
else:
    rr.save(path, default_blueprint=blueprint)
rr.log("world/static_text", rr.TextDocument("static hello"), static=True)
rr.log("world/origin", rr.Points3D([[0, 0, 0]], colors=[[255, 0, 0]]), static=True)
for i in range(frames):
    rr.set_time("frame", sequence=i)
    rr.set_time("sim_time", duration=i * 0.25)
    rr.log("world/points", rr.Points3D(np.arange(30, dtype=np.float32).reshape(10, 3) * i,
                                       radii=0.1 + i))
    rr.log("plot/sin", rr.Scalars(np.sin(i / 10.0)))
    rr.log("logs", rr.TextLog(f"frame {i}", level=rr.TextLogLevel.INFO))
    if i % 50 == 0:
        rr.log("world/image", rr.Image(np.full((8, 8, 3), i % 256, dtype=np.uint8)))
rr.disconnect()
'''


def free_port() -> int:
    """A port nothing listens on right now (random, so parallel runs rarely collide)."""
    for _ in range(100):
        port = random.randint(20000, 60000)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        with socket.socket() as s:
            try:
                s.bind(("0.0.0.0", port))
            except OSError:
                continue
        return port
    raise RuntimeError("no free port")


def wait_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on {port} after {timeout} s")


def stop(proc: subprocess.Popen, sig=signal.SIGINT, timeout: float = 15) -> tuple[str, str]:
    """Stops a process (sig, then kill) and returns its output."""
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    return out, err


def assert_no_crash(what: str, returncode: int | None, stderr: str) -> None:
    assert returncode is None or returncode >= 0 or returncode == -signal.SIGINT, \
        f"{what} killed by signal {-returncode}:\n{stderr}"
    for marker in CRASH_MARKERS:
        assert marker not in stderr, f"{what}: crash output ({marker!r}):\n{stderr}"


@pytest.fixture(scope="module")
def sink_tool() -> Path:
    path = build_dir() / "grpc_sink_tool"
    if not path.is_file():
        pytest.fail(f"{path} is missing: it is built from tests/tools/grpc_sink_tool.c",
                    pytrace=False)
    return path


class ReelServe:
    """`reel serve --port 0 ...` with the port it printed."""

    def __init__(self, reel: Path, *args: str):
        self.proc = subprocess.Popen([str(reel), "serve", "--port", "0", *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     env=tool_env())
        line = self.proc.stdout.readline().decode()
        match = re.search(r"rerun\+http://127\.0\.0\.1:(\d+)/proxy", line)
        if not match:
            _, err = stop(self.proc)
            raise AssertionError(f"reel serve printed {line!r}; stderr:\n{err}")
        self.port = int(match.group(1))
        self.url = f"rerun+http://127.0.0.1:{self.port}/proxy"

    def stop(self) -> tuple[int, str]:
        _, err = stop(self.proc)
        assert_no_crash("reel serve", self.proc.returncode, err)
        return self.proc.returncode, err


def log_script(tmp_path: Path, mode: str, url: str, path: Path, frames: int = 200) -> None:
    script = tmp_path / "log_grpc.py"
    script.write_text(LOG_SCRIPT)
    proc = subprocess.run([sys.executable, str(script), mode, url, str(path), str(frames)],
                          capture_output=True, env=sdk_env(), timeout=120)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")


def message_count(reel: Path, path: Path) -> int:
    """Messages in an .rrd other than End (a cut-off tail is fine)."""
    if not path.is_file() or path.stat().st_size < 12:
        return 0
    proc = subprocess.run([str(reel), "rrd", "print", str(path)], capture_output=True,
                          env=tool_env(), timeout=60)
    return len(re.findall(r"^#\d+ .*(SetStoreInfo|ArrowMsg|BlueprintActivation)",
                          proc.stdout.decode(errors="replace"), re.M))


def read_back(rerun_cli: Path, reel: Path, url: str, out: Path, expect: int,
              timeout: float = 60) -> str:
    """A real Rerun client reads the proxy's ReadMessages into `out` until it holds `expect`
    messages; returns its log."""
    proc = subprocess.Popen([str(rerun_cli), url, "--save", str(out), "--port",
                             str(free_port())],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=sdk_env())
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and proc.poll() is None:
            if message_count(reel, out) >= expect:
                break
            time.sleep(0.3)
        assert proc.poll() is None, f"rerun exited early: {stop(proc)[1]}"
    finally:
        _, err = stop(proc)
    got = message_count(reel, out)
    assert got == expect, f"the real reader got {got} messages, expected {expect}:\n{err}"
    return err


def assert_clean_rerun_log(log: str) -> None:
    bad = [line for line in log.splitlines()
           if re.search(r"\b(ERROR|WARN)\b", line) and "analytics" not in line]
    assert not bad, "the real Rerun logged problems:\n" + "\n".join(bad)


# ---------------------------------------------------------------- (a) SDK -> reel serve


def test_python_sdk_into_reel_serve_save(reel, rerun_cli, tmp_path):
    saved, reference = tmp_path / "saved.rrd", tmp_path / "reference.rrd"
    server = ReelServe(reel, "--save", str(saved))
    try:
        log_script(tmp_path, "both", server.url, reference)
        time.sleep(0.5)
    finally:
        code, err = server.stop()
    assert code == 0, err
    assert "saved to" in err
    verify = subprocess.run([str(rerun_cli), "rrd", "verify", str(saved)], capture_output=True,
                            env=sdk_env(), timeout=120)
    assert verify.returncode == 0, verify.stderr.decode(errors="replace")
    expected = sdk_read(reference)
    assert len(expected) == 2  # the recording and its blueprint
    assert_same_content(expected, sdk_read(saved), "reel serve --save")
    assert_same_content(expected, sdk_read(saved, use_footer=True), "reel serve --save (footer)")
    # Store infos come first per store; the messages are all there.
    assert message_count(reel, saved) == message_count(reel, reference)


# ---------------------------------------------------------------- (b) Reel client -> rerun


@pytest.mark.parametrize("compress", [True, False], ids=["lz4", "uncompressed"])
def test_reel_client_into_real_rerun(reel, rerun_cli, sink_tool, tmp_path, compress):
    reference, back = tmp_path / "reference.rrd", tmp_path / "back.rrd"
    log_script(tmp_path, "file", "", reference, frames=120)
    expect = message_count(reel, reference)
    port = free_port()
    server = subprocess.Popen([str(rerun_cli), "--serve-grpc", "--port", str(port), "--bind",
                               "127.0.0.1"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=sdk_env())
    try:
        wait_port(port)
        url = f"rerun+http://127.0.0.1:{port}/proxy"
        args = [str(sink_tool), url, str(reference)] + ([] if compress else ["--no-compress"])
        sent = subprocess.run(args, capture_output=True, env=tool_env(), timeout=120)
        stderr = sent.stderr.decode(errors="replace")
        assert_no_crash("grpc_sink_tool", sent.returncode, stderr)
        assert sent.returncode == 0, stderr
        assert '"close": "OK"' in sent.stdout.decode()
        log = read_back(rerun_cli, reel, url, back, expect)
        assert_clean_rerun_log(log)
    finally:
        _, server_log = stop(server)
    assert_clean_rerun_log(server_log)
    assert_same_content(sdk_read(reference), sdk_read(back), "Reel client -> rerun --serve-grpc")


# ---------------------------------------------------------------- (c) rerun reads reel serve


def test_real_reader_late_and_live(reel, rerun_cli, tmp_path):
    reference = tmp_path / "reference.rrd"
    late, live = tmp_path / "late.rrd", tmp_path / "live.rrd"
    server = ReelServe(reel)
    live_reader = None
    try:
        # A live reader before anything is logged.
        live_reader = subprocess.Popen([str(rerun_cli), server.url, "--save", str(live),
                                        "--port", str(free_port())],
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                       env=sdk_env())
        time.sleep(1.0)
        log_script(tmp_path, "both", server.url, reference)
        expect = message_count(reel, reference)
        # A late reader gets the history.
        late_log = read_back(rerun_cli, reel, server.url, late, expect)
        assert_clean_rerun_log(late_log)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and message_count(reel, live) < expect:
            time.sleep(0.3)
    finally:
        live_log = stop(live_reader)[1] if live_reader else ""
        code, err = server.stop()
    assert code == 0, err
    assert_clean_rerun_log(live_log)
    assert message_count(reel, live) == expect
    expected = sdk_read(reference)
    assert_same_content(expected, sdk_read(late), "late reader of reel serve")
    assert_same_content(expected, sdk_read(live), "live reader of reel serve")


def test_real_viewer_connects_to_reel_serve(reel, rerun_cli, tmp_path):
    """The real Rerun viewer (`rerun --connect`, under Xvfb on software Vulkan) reads Reel's
    ReadMessages stream, history and live, and logs no decode or stream error."""
    xvfb_run = shutil.which("xvfb-run")
    if xvfb_run is None:
        pytest.fail("xvfb-run is missing: scripts/setup installs xvfb", pytrace=False)
    server = ReelServe(reel)
    viewer = None
    log_path = tmp_path / "viewer.log"
    try:
        log_script(tmp_path, "both", server.url, tmp_path / "reference.rrd", frames=60)
        # Its own process group and a log file: xvfb-run does not pass signals on, so the
        # whole group is stopped at the end, and no pipe can keep a reader waiting.
        with open(log_path, "wb") as log_file:
            viewer = subprocess.Popen(
                [xvfb_run, "-a", "-s", "-screen 0 1280x720x24", str(rerun_cli), "--connect",
                 server.url, "--port", str(free_port())],
                stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True,
                env={**sdk_env(), "RUST_LOG": "info"})
        time.sleep(6)  # connect, replay the history, draw a few frames
        log_script(tmp_path, "grpc", server.url, tmp_path / "unused.rrd", frames=20)  # live
        time.sleep(3)
        assert viewer.poll() is None, f"the real viewer exited:\n{log_path.read_text()}"
    finally:
        if viewer is not None:
            for sig in (signal.SIGTERM, signal.SIGKILL):
                try:
                    os.killpg(viewer.pid, sig)
                    viewer.wait(timeout=10)
                    break
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    continue
        code, serve_err = server.stop()
    log = log_path.read_text(errors="replace")
    assert "wgpu adapter" in log, f"the viewer did not start rendering:\n{log}"
    problems = [line for line in log.splitlines()
                if re.search(r"decode|dropping|stream (error|ended)|grpc.*error|panic", line, re.I)]
    assert not problems, "the real viewer reported:\n" + "\n".join(problems)
    assert code == 0, serve_err


# ---------------------------------------------------------------- (d) limits, garbage, CLI


def test_memory_limit_keeps_infos_static_and_blueprints(reel, rerun_cli, tmp_path):
    reference, back = tmp_path / "reference.rrd", tmp_path / "back.rrd"
    server = ReelServe(reel, "--memory-limit", "100KiB")
    try:
        log_script(tmp_path, "both", server.url, reference, frames=400)
        expected = sdk_read(reference)
        # Wait for the server to have it all, then read what it kept.
        time.sleep(0.5)
        reader = subprocess.Popen([str(rerun_cli), server.url, "--save", str(back), "--port",
                                   str(free_port())],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=sdk_env())
        try:
            last, stable_since = -1, time.monotonic()
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                count = message_count(reel, back)
                if count != last:
                    last, stable_since = count, time.monotonic()
                elif count > 0 and time.monotonic() - stable_since > 2:
                    break
                time.sleep(0.3)
        finally:
            reader_log = stop(reader)[1]
    finally:
        code, err = server.stop()
    assert code == 0, err
    assert "dropped by the memory limit" in err and not re.search(r" 0 dropped by", err), err
    assert_clean_rerun_log(reader_log)
    got = sdk_read(back)
    assert sorted(got) == sorted(expected)
    for store, rows in expected.items():
        kept = got[store]
        assert set(kept) <= set(rows), "rows that were never logged"
        static = {r for r, row in rows.items() if row["static"]}
        is_blueprint = "blueprint" in str(store[0]).lower()
        if is_blueprint:
            assert set(kept) == set(rows), "blueprint rows were dropped"
        else:
            assert static <= set(kept), "static rows were dropped"
            assert len(kept) < len(rows), "nothing was dropped"
            temporal_kept = sorted(r for r in kept if r not in static)
            temporal_all = sorted(r for r in rows if r not in static)
            # The newest temporal rows survive (RowIds grow with time).
            assert temporal_kept and temporal_kept[-1] == temporal_all[-1]


def test_reel_serve_survives_garbage(reel, tmp_path):
    server = ReelServe(reel)
    try:
        for payload in (b"\x00" * 100, b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + os.urandom(500),
                        b"POST /rerun.sdk_comms.v1alpha1.MessageProxyService/WriteMessages "
                        b"HTTP/1.1\r\nContent-Type: application/grpc-web+proto\r\n"
                        b"Content-Length: 9\r\n\r\n\x00\xff\xff\xff\xff\x00\x00\x00\x00",
                        os.urandom(4096)):
            with socket.create_connection(("127.0.0.1", server.port), timeout=5) as s:
                s.sendall(payload)
                s.settimeout(5)
                try:
                    while s.recv(65536):
                        pass
                except (TimeoutError, ConnectionResetError):
                    pass
        # Still serving: a real SDK logs into it.
        reference = tmp_path / "reference.rrd"
        log_script(tmp_path, "both", server.url, reference, frames=10)
    finally:
        code, err = server.stop()
    assert code == 0, err
    assert re.search(r"stopped; \d+ message\(s\) received", err), err


def test_reel_serve_cli(reel):
    proc = subprocess.run([str(reel), "serve", "--help"], capture_output=True, timeout=30)
    assert proc.returncode == 0 and b"--memory-limit" in proc.stdout
    for args, code in ((["--port", "x"], 1), (["--memory-limit", "lots"], 1),
                       (["--bogus"], 1), (["--port"], 1), (["--bind", "no.such.host.invalid"], 2)):
        proc = subprocess.run([str(reel), "serve", *args], capture_output=True, timeout=30)
        assert proc.returncode == code, (args, proc.stderr)
    # SIGTERM stops it cleanly too, and --save gets its footer.
    server = subprocess.Popen([str(reel), "serve", "--port", "0", "--save", "/dev/null"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=tool_env())
    server.stdout.readline()
    _, err = stop(server, signal.SIGTERM)
    assert server.returncode == 0, err
