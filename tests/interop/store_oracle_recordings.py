"""Recordings for tests/interop/test_store_oracle.py, written with the REAL Rerun SDK.

    python store_oracle_recordings.py OUT_DIR

writes OUT_DIR/<name>.rrd for every scenario in SCENARIOS. Each scenario logs through its own
RecordingStream and stresses one part of the store's query semantics; `random` is a seeded
workload of hundreds of log calls. What the store must answer is not written down here: the
test asks the real Rerun (its dataframe reader) for that.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import rerun as rr


def seq(rec, name: str, value: int) -> None:
    rec.set_time(name, sequence=value)


# ---------------------------------------------------------------- scenarios


def out_of_order(rec) -> None:
    """Times logged out of order (the batcher makes chunks unsorted on `frame`), rows at the
    same time logged apart, and a second timeline that runs backwards."""
    for i, frame in enumerate([10, 3, 7, 3, 15, 1, 7, 12, 0, 10]):
        seq(rec, "frame", frame)
        seq(rec, "countdown", 100 - i)
        rec.log("/points", rr.Points3D([[i, i + 0.5, -i]], radii=[0.1 * i]))
        if i % 3 == 0:
            rec.log("/scalar", rr.Scalars([i * 1.25]))
    seq(rec, "frame", 5)
    rec.log("/points", rr.Points3D([[1, 2, 3], [4, 5, 6]]))


def same_time(rec) -> None:
    """Several rows at one time: the same component twice, different components, partial
    updates with from_fields, from_fields(clear_unset=True) (empty lists for the rest) and
    Points3D.cleared()."""
    seq(rec, "frame", 5)
    rec.log("/p", rr.Points3D([[1, 1, 1]], radii=[0.5], colors=[0xFF0000FF], labels=["a"]))
    rec.log("/p", rr.Points3D([[2, 2, 2]]))
    rec.log("/p", rr.Points3D.from_fields(radii=[0.7, 0.8]))
    rec.log("/p", rr.Points3D.from_fields(colors=[0x00FF00FF]))
    rec.log("/p", rr.Scalars([3.5]))
    seq(rec, "frame", 6)
    rec.log("/p", rr.Points3D.from_fields(labels=["b", "c"]))
    rec.log("/p", rr.Points3D.from_fields(clear_unset=True, positions=[[6, 6, 6]]))
    seq(rec, "frame", 8)
    rec.log("/p", rr.Points3D.from_fields(radii=[1.5]))
    rec.log("/p", rr.Points3D.cleared())
    rec.log("/p", rr.Points3D.from_fields(colors=[0x0000FFFF]))
    seq(rec, "frame", 2)
    rec.log("/p", rr.Points3D.from_fields(labels=["early"]))
    seq(rec, "frame", 5)
    rec.log("/p", rr.Points3D.from_fields(labels=["late at 5"]))


def static_over_temporal(rec) -> None:
    """Static data wins over temporal data whenever it was logged; the later static row
    wins; temporal data logged after static data stays hidden."""
    seq(rec, "frame", 1)
    rec.log("/s", rr.Scalars([1.0]))
    rec.log("/s", rr.TextLog("temporal", level="INFO"))
    rec.log("/s", rr.Scalars([10.0]), static=True)
    seq(rec, "frame", 3)
    rec.log("/s", rr.Scalars([3.0]))
    rec.log("/s", rr.TextLog("temporal 3"))
    rec.log("/s", rr.Scalars([11.0]), static=True)
    rec.log("/only_static", rr.Points2D([[1, 2], [3, 4]], labels=["x", "y"]), static=True)
    rec.log("/only_static", rr.Points2D.from_fields(radii=[2.0]), static=True)
    seq(rec, "frame", 4)
    rec.log("/s", rr.TextLog("temporal 4"))
    rec.log("/mixed", rr.Points2D([[0, 0]]))
    rec.log("/mixed", rr.Points2D.from_fields(colors=[0xFFFFFFFF]), static=True)
    seq(rec, "frame", 9)
    rec.log("/mixed", rr.Points2D([[9, 9]], colors=[0x123456FF]))
    # Structs, enums, matrices; Rerun's store keeps every static Transform3D row.
    rec.log("/tf", rr.Transform3D(translation=[1, 2, 3], rotation_axis_angle=rr.RotationAxisAngle(
        axis=[0, 0, 1], degrees=30)), static=True)
    rec.log("/tf", rr.Transform3D(mat3x3=[[1, 0, 0], [0, 2, 0], [0, 0, 3]],
                                  relation=rr.TransformRelation.ChildFromParent), static=True)
    rec.log("/tf", rr.Transform3D(translation=[4, 5, 6]))
    rec.log("/tf", rr.Pinhole(focal_length=500.0, width=640, height=480), static=True)


def timelines(rec) -> None:
    """Sequence, duration and timestamp timelines; rows missing some of them (disabled,
    reset, send_columns without log_time)."""
    base = 1_700_000_000_000_000_000
    for i in range(12):
        seq(rec, "frame", i * 2)
        rec.set_time("elapsed", duration=np.timedelta64(i * 250_000_000, "ns"))
        rec.set_time("wall", timestamp=np.datetime64(base + (i % 5) * 1_000_000 + i, "ns"))
        if i % 4 == 1:
            rec.disable_timeline("frame")
        if i % 4 == 2:
            rec.disable_timeline("elapsed")
        rec.log("/t", rr.Scalars([float(i)]))
        if i % 3 == 0:
            rec.log("/t/text", rr.TextLog(f"line {i}"))
    rec.reset_time()
    rec.log("/t", rr.Scalars([-1.0]))  # log_time only
    rr.send_columns("/t/cols", indexes=[rr.TimeColumn("frame", sequence=[3, 1, 3, 30])],
                    columns=rr.Scalars.columns(scalars=[0.5, 1.5, 2.5, 3.5]), recording=rec)
    walls = np.array([base, base + 7], dtype="datetime64[ns]")
    rr.send_columns("/t/cols", indexes=[rr.TimeColumn("wall", timestamp=walls)],
                    columns=rr.Scalars.columns(scalars=[100.0, 200.0]), recording=rec)


def empty_lists(rec) -> None:
    """Empty lists are values (EMPTY), not "not logged"."""
    seq(rec, "frame", 1)
    rec.log("/e", rr.Points3D([[1, 2, 3]], radii=[1.0], labels=["one"]))
    seq(rec, "frame", 2)
    rec.log("/e", rr.Points3D([]))
    seq(rec, "frame", 3)
    rec.log("/e", rr.Points3D.from_fields(radii=[]))
    seq(rec, "frame", 4)
    rec.log("/e", rr.Points3D([[4, 5, 6]]))
    rec.log("/e", rr.Scalars([]))
    seq(rec, "frame", 5)
    rec.log("/e", rr.Points3D.from_fields(labels=[]))
    rec.log("/e", rr.Scalars([5.0]))
    rec.log("/e", rr.AnyValues(tags=pa.array([], pa.string()), count=pa.array([], pa.int64())))
    seq(rec, "frame", 6)
    rec.log("/e", rr.AnyValues(tags=["a", "b"], count=np.array([7], dtype=np.int64)))


def clears(rec) -> None:
    """Flat and recursive clears, a non-recursive clear on an ancestor (children untouched),
    clears and data at one time in both orders, a clear before any data, a recursive clear
    on the root, and a static clear (re_query applies it, the dataframe ignores it)."""
    seq(rec, "frame", 0)
    rec.log("/world", rr.Clear(recursive=True))  # before any data
    for frame in range(1, 4):
        seq(rec, "frame", frame)
        rec.log("/world/a", rr.Points3D([[frame, 0, 0]], radii=[frame]))
        rec.log("/world/a/b", rr.Points3D([[0, frame, 0]]))
        rec.log("/world/a/b/c", rr.Scalars([float(frame)]))
        rec.log("/world", rr.Scalars([frame * 10.0]))
    seq(rec, "frame", 4)
    rec.log("/world/a", rr.Clear(recursive=False))  # /world/a only
    seq(rec, "frame", 5)
    rec.log("/world", rr.Clear(recursive=False))  # /world only, not its children
    seq(rec, "frame", 6)
    rec.log("/world/a", rr.Clear(recursive=True))  # /world/a and below
    seq(rec, "frame", 7)
    rec.log("/world/a/b", rr.Points3D([[7, 7, 7]]))
    rec.log("/world/a", rr.Clear(recursive=True))  # same time, after the data: clears it
    seq(rec, "frame", 8)
    rec.log("/world/a", rr.Clear(recursive=True))
    rec.log("/world/a/b", rr.Points3D([[8, 8, 8]]))  # same time, after the clear: stays
    seq(rec, "frame", 9)
    rec.log("/world/a", rr.Clear(recursive=True))
    rec.log("/world/a", rr.Clear(recursive=False))  # latest clear of /world/a: not recursive
    seq(rec, "frame", 10)
    rec.log("/world/a/b/c", rr.Scalars([100.0]))
    seq(rec, "frame", 11)
    rec.log("/", rr.Clear(recursive=True))  # everything
    seq(rec, "frame", 12)
    rec.log("/world/a/b/c", rr.Scalars([120.0]))
    seq(rec, "frame", 3)
    rec.log("/world/a/b", rr.Clear(recursive=False))  # out of order, in the past
    for frame in (5, 6, 7):
        seq(rec, "frame", frame)
        rec.log("/world/ab", rr.Scalars([frame * 1.5]))  # not below /world/a
    rec.log("/statics", rr.Scalars([1.0]), static=True)
    rec.log("/statics", rr.Points2D([[1, 1]]))
    rec.log("/statics", rr.Clear(recursive=False), static=True)
    rec.log("/statics", rr.TextLog("after the static clear"), static=True)
    seq(rec, "frame", 13)
    rec.log("/statics", rr.Clear(recursive=True))  # hidden by the static Clear
    rec.log("/statics", rr.Points2D([[13, 13]]))
    rec.log("/statics/child", rr.Scalars([13.0]))
    seq(rec, "frame", 14)
    rec.log("/statics", rr.Clear(recursive=True))


def send_columns(rec) -> None:
    """Columnar batches: several timelines, unsorted and repeated times, partitioned
    instance counts, and rows logged with log() in between."""
    frames = [4, 2, 2, 9, 6, 0, 6]
    rr.send_columns(
        "/cols",
        indexes=[rr.TimeColumn("frame", sequence=frames),
                 rr.TimeColumn("elapsed", duration=[f * 0.5 for f in frames])],
        columns=[*rr.Points3D.columns(
            positions=[[i, 2 * i, 3 * i] for i in range(12)]).partition([2, 1, 3, 0, 1, 4, 1]),
            *rr.Points3D.columns(radii=[0.25 * i for i in range(7)])],
        recording=rec)
    rr.send_columns("/cols", indexes=[rr.TimeColumn("frame", sequence=[1, 2, 3])],
                    columns=rr.Scalars.columns(scalars=[1.0, 2.0, 3.0]), recording=rec)
    seq(rec, "frame", 2)
    rec.log("/cols", rr.Points3D([[-1, -1, -1]]))
    rr.send_columns("/cols/many", indexes=[rr.TimeColumn("frame", sequence=range(200))],
                    columns=rr.Scalars.columns(scalars=np.sin(np.arange(200) / 7.0)),
                    recording=rec)


def many_entities(rec) -> None:
    """Sixty entities in a tree, a few rows each, with a recursive clear on one branch."""
    for i in range(60):
        path = f"/tree/b{i % 4}/n{i}"
        for frame in (i % 7, i % 7 + 3, 20 - i % 5):
            seq(rec, "frame", frame)
            rec.log(path, rr.Scalars([i + frame / 100.0]))
        if i % 5 == 0:
            rec.log(path, rr.TextLog(f"n{i}"), static=True)
    seq(rec, "frame", 10)
    rec.log("/tree/b2", rr.Clear(recursive=True))
    # Parts that need escaping.
    for i, parts in enumerate([["odd name", "ü"], ["odd name", "x.y-z"], ["odd name"],
                               ["odd name", "a/b"], ["odd name", "a/b", "c\\"]]):
        for frame in (2, 5 + i):
            seq(rec, "frame", frame)
            rec.log(parts, rr.TextLog(f"{parts[-1]} at {frame}"))
    seq(rec, "frame", 6)
    rec.log(["odd name"], rr.Clear(recursive=True))


def random_workload(rec, seed: int = 20240613) -> None:
    """Seeded: hundreds of log calls on random entities of a three-level tree at random
    times (many collisions) on three timelines, some missing, with random partial updates,
    empty lists, static rows and flat or recursive clears."""
    rng = random.Random(seed)
    entities = ["/r", "/r/a", "/r/b", "/r/a/x", "/r/a/y", "/r/b/x", "/r/b/z", "/q", "/q/w"]
    for _ in range(450):
        seq(rec, "frame", rng.randrange(0, 120))
        rec.set_time("elapsed", duration=np.timedelta64(rng.randrange(0, 60) * 1_000_000, "ns"))
        seq(rec, "step", rng.randrange(-20, 20))
        if rng.random() < 0.15:
            rec.disable_timeline(rng.choice(["frame", "elapsed", "step"]))
        path = rng.choice(entities)
        static = rng.random() < 0.04
        kind = rng.random()
        if kind < 0.07:
            rec.log(path, rr.Clear(recursive=rng.random() < 0.5), static=static)
        elif kind < 0.45:
            fields = {}
            if rng.random() < 0.6:
                n = rng.randrange(0, 4)
                fields["positions"] = [[rng.uniform(-1, 1) for _ in range(3)] for _ in range(n)]
            if rng.random() < 0.5:
                fields["radii"] = [rng.choice([0.1, 0.2, 1 / 3, 1e-7, 3.4e38])
                                   for _ in range(rng.randrange(0, 3))]
            if rng.random() < 0.3:
                fields["colors"] = [rng.randrange(0, 2**32) for _ in range(rng.randrange(0, 3))]
            if rng.random() < 0.3:
                fields["labels"] = [rng.choice(["α", "b c", "", "\"q\"", "tab\tx"])
                                    for _ in range(rng.randrange(0, 3))]
            if not fields:
                fields["positions"] = []
            rec.log(path, rr.Points3D.from_fields(**fields), static=static)
        elif kind < 0.8:
            rec.log(path, rr.Scalars([rng.uniform(-1e6, 1e6)]), static=static)
        else:
            rec.log(path, rr.TextLog(f"msg {rng.randrange(1000)}",
                                     level=rng.choice(["INFO", "WARN", None])), static=static)


def extreme_times(rec) -> None:
    """Times at the ends of int64 and chunks spanning more than half of it (rows of one
    send_columns call share a chunk)."""
    lo, hi = -(2**63) + 1, 2**63 - 1
    rr.send_columns("/x", indexes=[rr.TimeColumn("frame", sequence=[-(2**62) - 1, 2**62 + 1])],
                    columns=rr.Scalars.columns(scalars=[1.0, 2.0]), recording=rec)
    rr.send_columns("/x", indexes=[rr.TimeColumn("frame", sequence=[2**62 + 10, 2**62 + 20])],
                    columns=rr.Scalars.columns(scalars=[3.0, 4.0]), recording=rec)
    rr.send_columns("/x", indexes=[rr.TimeColumn("frame", sequence=[lo, 0, hi])],
                    columns=rr.Scalars.columns(scalars=[5.0, 6.0, 7.0]), recording=rec)
    rr.send_columns("/x", indexes=[rr.TimeColumn("frame", sequence=[hi - 5, lo + 5])],
                    columns=rr.Scalars.columns(scalars=[8.0, 9.0]), recording=rec)
    for t in (lo, -1, 1, 2**62 + 15, hi):
        seq(rec, "frame", t)
        rec.log("/x/y", rr.Scalars([float(t % 1000)]))
        rec.log("/x", rr.Clear(recursive=True))


def random_deep(rec) -> None:
    """A larger random workload on a deeper tree with more clears."""
    rng = random.Random(99)
    entities = ["/"] + [f"/d{i}" for i in range(3)]
    for depth in range(3):
        entities += [f"{e}/n{j}" for e in entities[-3:] for j in range(2)]
    for _ in range(1200):
        seq(rec, "frame", rng.randrange(0, 300))
        if rng.random() < 0.5:
            seq(rec, "tick", rng.randrange(0, 40))
        else:
            rec.disable_timeline("tick")
        path = rng.choice(entities)
        if rng.random() < 0.12:
            rec.log(path, rr.Clear(recursive=rng.random() < 0.6), static=rng.random() < 0.01)
        elif rng.random() < 0.5:
            rec.log(path, rr.Scalars([float(rng.randrange(-5, 5))]))
        else:
            n = rng.randrange(0, 3)
            rec.log(path, rr.Points2D.from_fields(
                positions=[[rng.random(), rng.random()] for _ in range(n)]
                if rng.random() < 0.7 else None,
                class_ids=[rng.randrange(10) for _ in range(n)]),
                static=rng.random() < 0.02)


def random_small_chunks(rec) -> None:
    """Another random workload, flushed by the SDK every 3 rows (BATCHERS): many small
    chunks overlapping in time, as a live stream gives the viewer."""
    random_workload(rec, seed=7)


SCENARIOS = {
    "out_of_order": out_of_order,
    "same_time": same_time,
    "static_over_temporal": static_over_temporal,
    "timelines": timelines,
    "empty_lists": empty_lists,
    "clears": clears,
    "send_columns": send_columns,
    "many_entities": many_entities,
    "random": random_workload,
    "random_small_chunks": random_small_chunks,
    "random_deep": random_deep,
    "extreme_times": extreme_times,
}
# Scenarios that need the SDK's batcher set otherwise than by default.
BATCHERS = {"random_small_chunks": {"flush_num_rows": 3, "flush_tick": 1000.0}}


def write(name: str, out_dir: Path) -> Path:
    path = out_dir / f"{name}.rrd"
    batcher = BATCHERS.get(name)
    rec = rr.RecordingStream("reel_store_oracle", recording_id=f"oracle_{name}",
                             batcher_config=rr.ChunkBatcherConfig(**batcher) if batcher else None)
    rec.save(str(path))
    SCENARIOS[name](rec)
    rec.flush()
    rec.disconnect()
    return path


def main() -> None:
    out_dir = Path(sys.argv[1])
    out_dir.mkdir(parents=True, exist_ok=True)
    rr.set_strict_mode(True)  # a bad log call raises instead of warning
    for name in SCENARIOS:
        write(name, out_dir)


if __name__ == "__main__":
    main()
