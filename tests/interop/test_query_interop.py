"""`reel query` against the real Rerun's dataframe API (rerun-sdk 0.41: ChunkStore.reader).

Recordings are written by the real Python SDK; the same query runs through
`rerun.chunk.RrdReader(path).store().stream().collect().reader(...)` and through
`reel query`, and the two tables must be equal column for column: names, order, types and
every value (exactly: Reel's Arrow IPC file is compared with pyarrow's `equals`, its JSON
by rebuilding each column with Rerun's type). A time range is the reader's table filtered
on the index column, as Rerun's documentation says to do it.
"""

from __future__ import annotations

import json
import random
import subprocess
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
import rerun as rr
from rerun.chunk import RrdReader

from conftest import CRASH_MARKERS, build_dir

# ----------------------------------------------------------------------------- recordings


def _stream(path: Path, rid: str) -> rr.RecordingStream:
    rec = rr.RecordingStream("reel_query_interop", recording_id=rid)
    rec.save(str(path))
    return rec


def rec_partial_updates(path: Path) -> None:
    """Partial updates at one time, out-of-order logging, static over temporal, a recursive
    Clear, a second timeline set on some rows only."""
    rec = _stream(path, "partial")
    rec.set_time("frame", sequence=5)
    rec.log("a", rr.Points3D([[1, 1, 1]], radii=[1.0]))
    rec.log("a", rr.Points3D.from_fields(radii=[2.0]))
    rec.set_time("frame", sequence=3)
    rec.log("a", rr.Points3D([[3, 3, 3]]))
    rec.set_time("frame", sequence=5)
    rec.log("a", rr.Points3D([[5, 5, 5]]))
    rec.log("a", rr.Points3D.from_fields(colors=[[255, 0, 0]]), static=True)
    rec.set_time("frame", sequence=7)
    rec.log("a/b", rr.Scalars([7.0]))
    rec.set_time("frame", sequence=8)
    rec.log("a", rr.Clear(recursive=True))
    rec.set_time("frame", sequence=9)
    rec.log("a/b", rr.Scalars([9.0]))
    rec.reset_time()
    rec.set_time("other", sequence=100)
    rec.log("a/b", rr.Scalars([100.0]))
    rec.flush()


def rec_clear_order(path: Path) -> None:
    """Clears before and after data at the same time, an empty list logged as data, two
    sequence timelines whose values disagree in order."""
    rec = _stream(path, "clear_order")

    def at(frame: int, lt: int) -> None:
        rec.set_time("frame", sequence=frame)
        rec.set_time("lt", sequence=lt)

    at(5, 1)
    rec.log("a", rr.Points3D([[1, 1, 1]], radii=[1.0]))
    at(5, 3)
    rec.log("a", rr.Points3D.from_fields(radii=[2.0]))
    at(5, 2)
    rec.log("b", rr.Scalars([1.0]))
    at(6, 10)
    rec.log("a", rr.Clear(recursive=False))
    at(6, 11)
    rec.log("a", rr.Points3D([[6, 6, 6]]))
    at(7, 12)
    rec.log("a", rr.Points3D(np.zeros((0, 3))))
    at(9, 13)
    rec.log("b", rr.Scalars([9.0]))
    rec.flush()


def rec_hierarchy(path: Path) -> None:
    """Flat and recursive Clears in a hierarchy, a static Clear, an entity logged only on
    another timeline, static-only entities, text and strings."""
    rec = _stream(path, "hierarchy")
    rec.set_time("frame", sequence=1)
    rec.log("a", rr.Scalars([1.0]))
    rec.set_time("frame", sequence=2)
    rec.log("a/c", rr.Scalars([2.0]))
    rec.log("a/c/d", rr.TextLog("hello", level=rr.TextLogLevel.WARN))
    rec.set_time("frame", sequence=3)
    rec.log("a", rr.Clear(recursive=False))
    rec.set_time("frame", sequence=4)
    rec.log("a", rr.Clear(recursive=True))
    rec.set_time("frame", sequence=6)
    rec.log("a/c/d", rr.TextLog("again"))
    rec.reset_time()
    rec.set_time("other", sequence=7)
    rec.log("o", rr.Scalars([7.0]))
    rec.log("s", rr.Scalars([5.0]), static=True)
    rec.log("t", rr.Clear(recursive=True), static=True)
    rec.set_time("frame", sequence=9)
    rec.log("t/x", rr.Scalars([9.0]))
    rec.flush()


def rec_time_kinds(path: Path) -> None:
    """Timestamp and duration timelines, send_columns, a timeline missing on some rows."""
    rec = _stream(path, "time_kinds")
    base = 1_700_000_000_000_000_000
    times = np.arange(0, 20, dtype=np.int64)
    rec.send_columns(
        "plot/sin",
        indexes=[rr.TimeColumn("step", sequence=times),
                 rr.TimeColumn("wall", timestamp=(base + times * 10_000_000) / 1e9),
                 rr.TimeColumn("sim", duration=times * 0.25)],
        columns=rr.Scalars.columns(scalars=np.sin(times / 3.0)),
    )
    for i in range(0, 20, 3):
        rec.set_time("step", sequence=int(i))
        rec.set_time("wall", timestamp=(base + i * 10_000_000 + 5) / 1e9)
        rec.log("plot/marks", rr.Points2D([[i, -i]], labels=[f"m{i}"]))
    rec.disable_timeline("wall")
    rec.set_time("step", sequence=30)
    rec.log("plot/marks", rr.Points2D([[30, 30]]))
    rec.flush()


def rec_random(path: Path, seed: int) -> None:
    """Hundreds of random log calls: random entities in a hierarchy, random times (often
    repeated, out of order), partial updates, empty lists, flat and recursive Clears, static
    data, on two timelines."""
    rng = random.Random(seed)
    rec = _stream(path, f"random{seed}")
    entities = ["r", "r/a", "r/a/b", "r/c", "s", "s/t/u"]
    for _ in range(300):
        ent = rng.choice(entities)
        rec.set_time("frame", sequence=rng.randrange(0, 40))
        if rng.random() < 0.5:
            rec.set_time("tick", sequence=rng.randrange(-5, 200))
        kind = rng.random()
        if kind < 0.05:
            rec.log(ent, rr.Clear(recursive=rng.random() < 0.5))
        elif kind < 0.08:
            rec.log(ent, rr.Scalars([rng.uniform(-1, 1)]), static=True)
        elif kind < 0.35:
            rec.log(ent, rr.Scalars([rng.uniform(-10, 10)]))
        elif kind < 0.55:
            n = rng.randrange(0, 4)
            pts = [[rng.uniform(-1, 1) for _ in range(3)] for _ in range(n)]
            rec.log(ent, rr.Points3D(np.array(pts, dtype=np.float32).reshape(n, 3)))
        elif kind < 0.75:
            rec.log(ent, rr.Points3D.from_fields(radii=[rng.uniform(0, 1)]))
        elif kind < 0.9:
            rec.log(ent, rr.Points3D.from_fields(colors=[[rng.randrange(256)] * 3]))
        else:
            rec.log(ent, rr.TextLog(f"msg {rng.randrange(1000)}"))
    rec.flush()


RECORDINGS = {
    "partial": rec_partial_updates,
    "clear_order": rec_clear_order,
    "hierarchy": rec_hierarchy,
    "time_kinds": rec_time_kinds,
    "random1": lambda p: rec_random(p, 1),
    "random2": lambda p: rec_random(p, 2),
}


@pytest.fixture(scope="module")
def recordings(tmp_path_factory) -> dict[str, Path]:
    out = {}
    root = tmp_path_factory.mktemp("query_interop")
    for name, write in RECORDINGS.items():
        path = root / f"{name}.rrd"
        write(path)
        out[name] = path
    return out


# ----------------------------------------------------------------------------- both sides


def rerun_table(path: Path, timeline, contents, fill=False, at=None, tombstones=False,
                rng=None) -> pa.Table:
    store = RrdReader(path).store().stream().collect()
    kw = dict(index=timeline, contents=contents, fill_latest_at=fill,
              include_tombstone_columns=tombstones)
    if at is not None:
        kw["using_index_values"] = np.array(at, dtype=np.int64)
    table = store.reader(**kw).to_arrow_table()
    if rng is not None:
        col = table.column(timeline).cast(pa.int64())
        table = table.filter(pc.and_(pc.greater_equal(col, rng[0]), pc.less_equal(col, rng[1])))
    return table


def reel_args(timeline, contents, fill=False, at=None, tombstones=False, rng=None) -> list[str]:
    args = ["--timeline", timeline] if timeline is not None else ["--static"]
    for expr in contents:
        args += ["--entity", expr]
    if at is not None:
        args += ["--at", ",".join(str(v) for v in at)]
        if not fill:
            args.append("--no-fill")
    elif fill:
        args.append("--fill")
    if tombstones:
        args.append("--tombstones")
    if rng is not None:
        args += ["--range", f"{rng[0]}..{rng[1]}"]
    return args


def run_reel(args: list[str]) -> subprocess.CompletedProcess:
    reel = build_dir() / "reel"
    if not reel.is_file():
        pytest.fail(f"{reel} is missing: build it (make build) or set REEL_BUILD_DIR",
                    pytrace=False)
    proc = subprocess.run([str(reel), *args], capture_output=True, timeout=120)
    err = proc.stderr.decode(errors="replace")
    for marker in CRASH_MARKERS:
        assert marker not in err, err
    return proc


def reel_arrow(path: Path, tmp: Path, args: list[str]) -> pa.Table:
    out = tmp / "out.arrow"
    proc = run_reel(["query", str(path), *args, "--format", "arrow", "-o", str(out)])
    assert proc.returncode == 0, proc.stderr.decode()
    with pa.ipc.open_file(str(out)) as f:
        table = f.read_all()
    table.validate(full=True)
    return table


def reel_json_as(path: Path, args: list[str], like: pa.Table) -> pa.Table:
    """Reel's JSON rows rebuilt as a table with the reference's column types."""
    proc = run_reel(["query", str(path), *args, "--format", "json"])
    assert proc.returncode == 0, proc.stderr.decode()
    rows = json.loads(proc.stdout)
    names = list(rows[0].keys()) if rows else like.column_names
    assert names == like.column_names
    cols = [pa.array([r[n] for r in rows], type=like.schema.field(n).type) for n in names]
    return pa.table(cols, names=names)


def assert_same_table(ours: pa.Table, theirs: pa.Table, what: str) -> int:
    """Column names, order, types and values; returns the number of cells compared."""
    assert ours.column_names == theirs.column_names, what
    assert ours.num_rows == theirs.num_rows, f"{what}: {ours.num_rows} vs {theirs.num_rows} rows"
    for name in theirs.column_names:
        a = ours.column(name).combine_chunks()
        b = theirs.column(name).combine_chunks()
        assert a.type == b.type, f"{what}: {name}: {a.type} vs {b.type}"
        if not a.equals(b):
            for i in range(len(b)):
                if a[i] != b[i]:
                    pytest.fail(f"{what}: column {name} row {i}: reel {a[i]} vs rerun {b[i]}")
    return ours.num_rows * ours.num_columns


# ----------------------------------------------------------------------------- cases


def query_cases(name: str, path: Path):
    """The queries to compare for one recording."""
    store = RrdReader(path).store().stream().collect()
    schema_table = store.reader(index=None, contents="/**").to_arrow_table()
    timelines = [f.name for f in schema_table.schema if f.metadata and
                 f.metadata.get(b"rerun:kind") == b"index"]
    contents_sets = [["/**"]]
    if name.startswith("random"):
        contents_sets += [["/r/**"], ["/r/**", "- /r/a"], ["/s/t/u"], ["/**", "- /r/a/**"]]
    elif name == "hierarchy":
        contents_sets += [["/a/**", "- /a/c"], ["/a/c/**"], ["/t/**"], ["/s"]]
    else:
        contents_sets += [["/a"]]
    for timeline in timelines:
        if timeline == "log_time":
            continue
        full = store.reader(index=timeline, contents="/**").to_arrow_table()
        times = sorted(set(full.column(timeline).cast(pa.int64()).to_pylist()) - {None})
        probe = sorted(set([times[0] - 1] + times + [t + 1 for t in times]))[:200] if times else [0]
        lo, hi = (times[len(times) // 4], times[3 * len(times) // 4]) if times else (0, 0)
        for contents in contents_sets:
            yield dict(timeline=timeline, contents=contents)
            yield dict(timeline=timeline, contents=contents, fill=True)
            yield dict(timeline=timeline, contents=contents, at=probe, fill=True)
            yield dict(timeline=timeline, contents=contents, at=probe)
            yield dict(timeline=timeline, contents=contents, rng=(lo, hi))
            yield dict(timeline=timeline, contents=contents, rng=(lo, hi), fill=True)
            yield dict(timeline=timeline, contents=contents, tombstones=True)
    yield dict(timeline=None, contents=["/**"])


@pytest.mark.parametrize("name", list(RECORDINGS))
def test_query_matches_rerun(name, recordings, tmp_path):
    path = recordings[name]
    cells = 0
    n = 0
    for case in query_cases(name, path):
        theirs = rerun_table(path, case["timeline"], case["contents"], case.get("fill", False),
                             case.get("at"), case.get("tombstones", False), case.get("rng"))
        args = reel_args(case["timeline"], case["contents"], case.get("fill", False),
                         case.get("at"), case.get("tombstones", False), case.get("rng"))
        what = f"{name}: reel query {' '.join(args)}"
        cells += assert_same_table(reel_arrow(path, tmp_path, args), theirs, what)
        n += 1
        if n % 3 == 0:  # the JSON form too, on a third of the cases
            cells += assert_same_table(reel_json_as(path, args, theirs), theirs, what + " (json)")
    # Non-trivial: the comparison saw real tables.
    assert n >= 8 and cells >= 100, (n, cells)


def test_query_comparison_can_fail(recordings, tmp_path):
    """The comparison detects a wrong answer: Reel without --fill vs Rerun with it."""
    path = recordings["partial"]
    theirs = rerun_table(path, "frame", ["/**"], fill=True)
    ours = reel_arrow(path, tmp_path, reel_args("frame", ["/**"], fill=False))
    with pytest.raises(pytest.fail.Exception):
        assert_same_table(ours, theirs, "deliberately different")


def test_query_errors(recordings, tmp_path):
    path = recordings["partial"]
    bad = run_reel(["query", str(path), "--timeline", "nope"])
    assert bad.returncode == 1 and b"no timeline 'nope'" in bad.stderr and b"frame" in bad.stderr
    bad = run_reel(["query", str(path), "--timeline", "frame", "--columns", "/a:nope"])
    assert bad.returncode == 1 and b"/a:Points3D:positions" in bad.stderr
    bad = run_reel(["query", str(path), "--timeline", "frame", "--at", "x"])
    assert bad.returncode == 1 and b"'x'" in bad.stderr
    bad = run_reel(["query", str(tmp_path / "missing.rrd"), "--timeline", "frame"])
    assert bad.returncode == 2 and b"missing.rrd" in bad.stderr
    # A truncated file: the good part is still queried, the damage reported, exit 2.
    data = path.read_bytes()
    cut = tmp_path / "cut.rrd"
    cut.write_bytes(data[: len(data) * 2 // 3])
    proc = run_reel(["query", str(cut), "--timeline", "frame", "--format", "json"])
    assert proc.returncode == 2 and proc.stderr
    json.loads(proc.stdout)
