"""Fixtures for the interop tests: where the C side lives, and how to run it.

The build directory comes from $REEL_BUILD_DIR (default <repo>/build). A missing tool or
library is a test FAILURE with a message saying what to build, never a silent skip.
"""

from __future__ import annotations

import os
import sys
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

# Anything a sanitizer or a crash prints; must never appear.
CRASH_MARKERS = ("AddressSanitizer", "LeakSanitizer", "UndefinedBehaviorSanitizer",
                 "runtime error:", "Segmentation fault", "Aborted", "core dumped", "Assertion")


def build_dir() -> Path:
    return Path(os.environ.get("REEL_BUILD_DIR") or REPO / "build").resolve()


def ctypes_dir() -> Path:
    """Shared libraries for ctypes are only built without sanitizers (an ASan .so cannot be
    loaded into a plain Python), so a sanitizer run points REEL_CTYPES_DIR at build/."""
    return Path(os.environ.get("REEL_CTYPES_DIR") or build_dir()).resolve()


@pytest.fixture(scope="session")
def tool() -> Path:
    path = build_dir() / "arrow_interop_tool"
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail(f"{path} is missing: build it (make build, from "
                    f"tests/tools/arrow_interop_tool.c) or set REEL_BUILD_DIR", pytrace=False)
    return path


@pytest.fixture(scope="session")
def c_data_lib() -> Path:
    path = ctypes_dir() / "libreel_c_data_roundtrip.so"
    if not path.is_file():
        pytest.fail(f"{path} is missing: it is built from tests/ctypes/reel_c_data_roundtrip.c "
                    f"(or set REEL_BUILD_DIR)", pytrace=False)
    return path


class ToolRun:
    def __init__(self, proc: subprocess.CompletedProcess):
        self.returncode = proc.returncode
        self.stdout_bytes = proc.stdout
        # Strict UTF-8 is checked where it matters (load_tool_json on stdout_bytes).
        self.stdout = proc.stdout.decode("utf-8", errors="surrogateescape")
        self.stderr = proc.stderr.decode("utf-8", errors="replace")

    def assert_no_crash(self):
        assert self.returncode >= 0, f"killed by signal {-self.returncode}; stderr:\n{self.stderr}"
        for marker in CRASH_MARKERS:
            assert marker not in self.stderr, f"crash output ({marker!r}):\n{self.stderr}"

    def assert_ok(self):
        self.assert_no_crash()
        assert self.returncode == 0, f"exit {self.returncode}; stderr:\n{self.stderr}"
        return self


@pytest.fixture(scope="session")
def run_tool(tool):
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0")
    env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")

    def run(*args) -> ToolRun:
        proc = subprocess.run([str(tool), *map(str, args)], capture_output=True, env=env,
                              timeout=120)
        return ToolRun(proc)

    return run


@pytest.fixture(scope="session")
def reel() -> Path:
    """The `reel` binary of the build under test."""
    path = build_dir() / "reel"
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail(f"{path} is missing: build it (make build) or set REEL_BUILD_DIR",
                    pytrace=False)
    return path


@pytest.fixture(scope="session")
def rerun_cli() -> Path:
    """The real Rerun's CLI, installed with rerun-sdk in the test venv."""
    path = Path(sys.executable).parent / "rerun"
    if not path.is_file():
        pytest.fail(f"{path} is missing: the rerun CLI comes with rerun-sdk (scripts/setup)",
                    pytrace=False)
    return path


def sdk_env() -> dict[str, str]:
    """The environment for the real Rerun (SDK scripts, CLI): CI=1 turns its analytics
    prompt off."""
    return {**os.environ, "CI": "1"}


def tool_env(**extra: str) -> dict[str, str]:
    """The environment for Reel's tools: sanitizer reports as failures, with stacks; plus
    `extra` variables."""
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0")
    env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
    env.update(extra)
    return env
