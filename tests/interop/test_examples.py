"""The C examples, built as a user builds them: `make install` into a fresh prefix, then
`cc example.c $(pkg-config --cflags --libs reel)` (and once through CMake's find_package),
run, and their recordings checked by Reel and by the real Rerun (`rerun rrd verify`, and
the real reader for what they logged)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import CRASH_MARKERS, REPO, build_dir

EXAMPLES = sorted((REPO / "examples" / "c").glob("*.c"))


def sanitized() -> bool:
    cache = build_dir() / "CMakeCache.txt"
    return cache.is_file() and "REEL_SANITIZE:BOOL=ON" in cache.read_text()


@pytest.fixture(scope="module")
def prefix(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("prefix")
    proc = subprocess.run(["cmake", "--install", str(build_dir()), "--prefix", str(out)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


def env_for(prefix: Path) -> dict:
    env = dict(os.environ)
    env["PKG_CONFIG_PATH"] = str(prefix / "lib" / "pkgconfig")
    env["LD_LIBRARY_PATH"] = str(prefix / "lib")
    env["PATH"] = str(prefix / "bin") + os.pathsep + env.get("PATH", "")
    env["REEL_BIN"] = str(prefix / "bin" / "reel")
    return env


def cc_flags() -> list[str]:
    return ["-fsanitize=address,undefined"] if sanitized() else []


def build_example(src: Path, prefix: Path, out_dir: Path) -> Path:
    env = env_for(prefix)
    pc = subprocess.run(["pkg-config", "--cflags", "--libs", "reel"], env=env,
                        capture_output=True, text=True, check=True).stdout.split()
    exe = out_dir / src.stem
    cmd = ["cc", "-std=c11", "-Wall", "-Wextra", "-Werror", *cc_flags(), str(src), *pc, "-lm",
           "-o", str(exe)]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, f"{' '.join(cmd)}\n{proc.stderr}"
    return exe


def run_checked(cmd: list[str], env: dict, timeout: int = 120) -> subprocess.CompletedProcess:
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
    for marker in CRASH_MARKERS:
        assert marker not in proc.stderr, proc.stderr
    return proc


def test_installed_layout(prefix):
    assert (prefix / "include" / "reel" / "reel.h").is_file()
    assert (prefix / "lib" / "libreel.a").is_file()
    assert (prefix / "lib" / "libreel.so").exists()
    assert (prefix / "lib" / "pkgconfig" / "reel.pc").is_file()
    assert (prefix / "lib" / "cmake" / "reel" / "reelConfig.cmake").is_file()
    assert (prefix / "bin" / "reel").is_file()


@pytest.mark.parametrize("src", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_builds_runs_and_verifies(src, prefix, tmp_path):
    env = env_for(prefix)
    exe = build_example(src, prefix, tmp_path)
    out = tmp_path / f"{src.stem}.rrd"
    proc = run_checked([str(exe), str(out)], env)
    assert proc.returncode == 0, proc.stderr
    assert out.stat().st_size > 0
    reel = run_checked([str(prefix / "bin" / "reel"), "rrd", "verify", str(out)], env)
    assert reel.returncode == 0, reel.stdout + reel.stderr
    rerun = shutil.which("rerun", path=str(REPO / ".venv" / "bin"))
    real = subprocess.run([rerun, "rrd", "verify", str(out)], capture_output=True, text=True,
                          env={**os.environ, "CI": "1"}, timeout=120)
    assert real.returncode == 0, real.stdout + real.stderr


def test_archetype_tour_content(prefix, tmp_path):
    """What the tour logged is what the real reader sees."""
    from rerun.chunk import RrdReader

    env = env_for(prefix)
    exe = build_example(REPO / "examples" / "c" / "archetype_tour.c", prefix, tmp_path)
    out = tmp_path / "tour.rrd"
    assert run_checked([str(exe), str(out)], env).returncode == 0
    store = RrdReader(out).store().stream().collect()
    table = store.reader(index="step", contents="/**").to_arrow_table()
    cols = set(table.column_names)
    for name in ["/world/points3d:Points3D:positions", "/world/camera/image:Pinhole:image_from_camera",
                 "/world/mesh3d:Mesh3D:triangle_indices", "/plots/sine:Scalars:scalars",
                 "/graph:GraphEdges:edges", "/map/route:GeoLineStrings:line_strings",
                 "/tensor:Tensor:data", "/log:TextLog:text"]:
        assert name in cols, (name, sorted(cols))
    table = table.drop_columns(["log_time"])  # nanosecond timestamps do not fit datetime
    first = table.slice(0, 1).to_pylist()[0]
    assert first["/world/points3d:Points3D:labels"] == ["origin", "x", "y", "z", "corner"]
    sine = [v for v in table.column("/plots/sine:Scalars:scalars").to_pylist() if v]
    assert len(sine) == 100


def test_example_builds_with_cmake_package(prefix, tmp_path):
    src = REPO / "examples" / "c" / "minimal.c"
    project = tmp_path / "proj"
    project.mkdir()
    flags = " ".join(cc_flags())
    (project / "CMakeLists.txt").write_text(
        "cmake_minimum_required(VERSION 3.25)\nproject(reel_user C)\n"
        "find_package(reel REQUIRED)\n"
        f"add_executable(minimal {src.as_posix()})\n"
        f"target_compile_options(minimal PRIVATE {flags})\n"
        f"target_link_options(minimal PRIVATE {flags})\n"
        "target_link_libraries(minimal PRIVATE reel::reel_static)\n")
    build = tmp_path / "b"
    for cmd in (["cmake", "-S", str(project), "-B", str(build), f"-DCMAKE_PREFIX_PATH={prefix}"],
                ["cmake", "--build", str(build)]):
        proc = subprocess.run(cmd, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    out = tmp_path / "m.rrd"
    proc = run_checked([str(build / "minimal"), str(out)], env_for(prefix))
    assert proc.returncode == 0 and out.stat().st_size > 0, proc.stderr
