"""Reel's chunk store answers latest-at and range queries as the real Rerun 0.41 does.

Recordings are written by the real Python SDK (store_oracle_recordings.py: out-of-order
logging, rows at one time, partial updates, static over temporal, sequence / duration /
timestamp timelines with rows missing some, empty lists, flat and recursive clears,
send_columns, many entities, a seeded random workload). Reel loads each into a reel_store
(tests/tools/store_query_tool.c) and answers; the real Rerun answers through the only query
API its SDK has, the dataframe reader over its own ChunkStore:

    RrdReader(path).store().stream().collect().reader(index=..., contents="/**", ...)

What is compared, per timeline and per component column (entity x component), with the
store in several layouts (default, tiny chunks merged on every insert as Rerun does, no
compaction), which must not change any answer:
- latest-at: reel_store_latest_at at every logged time, the times next to and between them,
  before the first and after the last, against the reader with fill_latest_at=True and
  using_index_values=those times; with static data only (timeline "") against the
  static-only reader (index=None);
- range: reel_store_range over windows (everything, sub-windows, single times, empty and
  reversed ones) against the unfilled reader's rows in the window (one row per time: the
  last row by RowId at that time), and over everything against every row of the SDK's own
  chunks (the reader keeps one row per time, the chunks keep them all);
- the other index columns of each reader row: the largest time on that timeline among the
  rows that supplied the row's cells (static cells supply none; null when no supplier has
  the timeline). Reel's rows say which rows those are, so this checks that Reel answered
  with the same row, not just an equal value; every unfilled reader row must be explained
  by some row of Reel's;
- the columns: the reader shows, on every timeline, each component the entity has on any
  timeline (Reel's reel_store_entity_components over all timelines), its static-only view
  the static ones.
The reader is asked with include_semantically_empty_columns (columns holding only empty
lists), include_tombstone_columns (the Clear columns) and contents ["/**",
"/__properties/**"] ("/**" leaves the recording properties out). Values compare exactly:
floats as the same bits at the column's width.

Clears are where the two APIs differ, and the test says how:
- re_query (the viewer, and reel_store_latest_at) shadows a value with the latest Clear at or
  before the query time: any Clear of the entity, or the latest Clear of an ancestor when
  that one is recursive. Reel answers CLEARED and names the shadowed value row and the Clear.
- The dataframe reader has no "cleared" state. Each temporal Clear row of the entity, and
  each recursive Clear row of an ancestor, is a tombstone: an empty list in the entity's
  columns (its Clear column too) at exactly the Clear's time; a data row at that time with a
  larger RowId wins over it (a Clear row ties with its own tombstone: the value shows).
  fill_latest_at ignores tombstones: a later time fills from the data before the Clear.
  Static Clears make no tombstones, nor do temporal ones on an entity that also has a static
  Clear (the reader's range over Clear chunks returns the static chunk only, as Reel's
  range does).
So the expected reader cell is built from Reel's answers as: Reel's latest value ignoring
clears (the shadowed row when CLEARED), unless a tombstone at exactly that time outranks it;
the tombstones are Reel's own range rows of Clear:is_recursive on the entity and its
ancestors. Where Reel says CLEARED by a Clear at exactly the query time, that Clear must be
one of those tombstones (a check of Reel's clear rules against the real Rerun's). re_query's
"latest Clear of the ancestor decides" rule itself cannot be observed through the reader: a
recursive Clear followed at the same time by a non-recursive one on an ancestor is a
tombstone for the reader while re_query (and Reel) leave the child's value in place.

A Rerun 0.41 bug shapes the queries: the reader picks an ancestor's recursive Clear rows by
their position in the list values of a chunk it has sliced to the query's range
(re_dataframe chunk_filter_recursive_only), so a resampling narrower than the data panics
("index out of bounds" in take_fixed_size_binary) or picks the wrong rows. The resampling
times therefore always include the first and last temporal times.

The comparisons count the cells they compare, and a sanity test feeds them one wrong answer
to show that they fail. CI=1 keeps Rerun's analytics off.
"""

from __future__ import annotations

import bisect
import functools
import json
import math
import os
import random
import struct
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from conftest import CRASH_MARKERS, build_dir

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from store_oracle_recordings import SCENARIOS  # noqa: E402

CLEAR = "Clear:is_recursive"
TIME_MIN = -(2**63) + 1  # the smallest temporal time
TIME_MAX = 2**63 - 1
# Store layouts the answers must not depend on: Reel's defaults (batched compaction), tiny
# chunks merged on every insert as Rerun does (splitting, many small chunks), no compaction.
LAYOUTS = {
    "default": [],
    "tiny_chunks": ["--chunk-max-rows", "3", "--compaction-batch", "1"],
    "no_compaction": ["--no-compaction"],
}
CASES = [(name, "default") for name in SCENARIOS] + [
    ("random", "tiny_chunks"), ("clears", "tiny_chunks"), ("out_of_order", "tiny_chunks"),
    ("same_time", "no_compaction"), ("send_columns", "tiny_chunks"),
    ("random_small_chunks", "tiny_chunks"), ("random_deep", "no_compaction"),
    ("extreme_times", "tiny_chunks"), ("extreme_times", "no_compaction")]


# ---------------------------------------------------------------- values


def canon(t: pa.DataType, v, what: str):
    """A value of Arrow type `t` in one exactly comparable form, from the reader (Python
    values of a column whose timestamps were cast to int64) or from Reel's JSON
    (reel_arrow_value_to_json: floats with the fewest digits that read back at their width,
    "NaN"/"inf"/"-inf" as strings). Floats become their bits at the type's width."""
    try:
        return converter(t)(v)
    except (TypeError, ValueError, KeyError) as e:
        raise TypeError(f"{what}: {e}") from None


@functools.cache
def converter(t: pa.DataType):
    """canon for one type, as a function (the type is looked at once, not per value)."""
    if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t):
        item = converter(t.value_type)
        return lambda v: None if v is None else tuple(item(x) for x in v)
    if pa.types.is_struct(t):
        fields = [(t.field(i).name, converter(t.field(i).type)) for i in range(t.num_fields)]
        return lambda v: None if v is None else tuple((n, f(v[n])) for n, f in fields)
    if pa.types.is_floating(t):
        pack = struct.Struct({16: "<e", 32: "<f", 64: "<d"}[t.bit_width]).pack

        def floating(v):
            if v is None:
                return None
            x = float(v)  # also "NaN", "inf", "-inf"
            return ("float", "NaN") if math.isnan(x) else ("float", pack(x))
        return floating
    if pa.types.is_boolean(t):
        def boolean(v):
            if v is not None and not isinstance(v, bool):
                raise TypeError(f"{v!r} is not a bool")
            return v
        return boolean
    if pa.types.is_integer(t) or pa.types.is_timestamp(t) or pa.types.is_duration(t):
        def integer(v):
            if v is not None and (not isinstance(v, int) or isinstance(v, bool)):
                raise TypeError(f"{v!r} is not an int")
            return v
        return integer
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return lambda v: v
    if pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_fixed_size_binary(t):
        return lambda v: v if v is None or isinstance(v, bytes) else bytes.fromhex(v)
    raise TypeError(f"no comparison for Arrow type {t}")


def timestamps_as_int64(t: pa.DataType) -> pa.DataType:
    """`t` with every timestamp and duration replaced by int64 (their nanoseconds): pyarrow
    cannot give nanosecond timestamps to Python without pandas."""
    if pa.types.is_timestamp(t) or pa.types.is_duration(t):
        return pa.int64()
    if pa.types.is_list(t):
        return pa.list_(t.value_field.with_type(timestamps_as_int64(t.value_type)))
    if pa.types.is_large_list(t):
        return pa.large_list(t.value_field.with_type(timestamps_as_int64(t.value_type)))
    if pa.types.is_fixed_size_list(t):
        return pa.list_(t.value_field.with_type(timestamps_as_int64(t.value_type)), t.list_size)
    if pa.types.is_struct(t):
        return pa.struct([f.with_type(timestamps_as_int64(f.type)) for f in t])
    return t


def column_values(column) -> list:
    t = timestamps_as_int64(column.type)
    return (column.cast(t) if t != column.type else column).to_pylist()


def parse_reel_json(line: str):
    # "-0" is the float -0.0 printed with the fewest digits; Python's json reads it as int 0.
    return json.loads(line, parse_int=lambda s: -0.0 if s == "-0" else int(s))


# ---------------------------------------------------------------- Reel's answers


@dataclass(frozen=True)
class Row:
    """A row Reel answered with."""
    time: int | None  # None: static
    row_id: int
    times: dict
    cell: object  # canonical; None for a Clear row of the tombstone list

    @staticmethod
    def from_json(obj: dict, t: pa.DataType | None) -> "Row":
        cell = None
        if "cell" in obj and t is not None:
            cell = canon(t, obj["cell"], "reel")
        return Row(obj["time"], int(obj["row_id"], 16), obj["times"], cell)


@pytest.fixture(scope="session")
def query_tool() -> Path:
    path = build_dir() / "store_query_tool"
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail(f"{path} is missing: build it (make build, from "
                    f"tests/tools/store_query_tool.c) or set REEL_BUILD_DIR", pytrace=False)
    return path


def run_queries(tool: Path, rrd: Path, layout: list[str], queries: list[list]) -> list[dict]:
    """One JSON answer per query (a list of fields, sent tab-separated)."""
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0")
    env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
    text = "".join("\t".join(map(str, q)) + "\n" for q in queries)
    proc = subprocess.run([str(tool), str(rrd), *layout], input=text.encode(),
                          capture_output=True, env=env, timeout=300)
    stderr = proc.stderr.decode(errors="replace")
    for marker in CRASH_MARKERS:
        assert marker not in stderr, f"crash output ({marker!r}):\n{stderr}"
    assert proc.returncode == 0, f"store_query_tool exit {proc.returncode}:\n{stderr}"
    lines = proc.stdout.decode().splitlines()
    assert len(lines) == len(queries), f"{len(lines)} answers to {len(queries)} queries"
    return [parse_reel_json(line) for line in lines]


# ---------------------------------------------------------------- the real Rerun's answers


@dataclass(frozen=True)
class Column:
    entity: str
    component: str
    type: pa.DataType  # the component's list type
    name: str  # the reader's column name


def reader_columns(table: pa.Table) -> tuple[list[str], list[Column]]:
    """The index columns and the component columns of a reader table."""
    indexes, columns = [], []
    for f in table.schema:
        meta = {k.decode(): v.decode() for k, v in (f.metadata or {}).items()}
        if meta.get("rerun:kind") == "index":
            indexes.append(f.name)
        else:
            columns.append(Column(meta["rerun:entity_path"], meta["rerun:component"], f.type,
                                  f.name))
    return indexes, columns


class Rerun:
    """The real Rerun's ChunkStore for one recording, and its dataframe answers."""

    def __init__(self, path: Path):
        from rerun.chunk import RrdReader

        self.store = RrdReader(str(path)).store().stream().collect()

    def table(self, index: str | None, times: list[int] | None = None) -> pa.Table:
        kwargs = {}
        if times is not None:
            kwargs = {"fill_latest_at": True,
                      "using_index_values": np.array(times, dtype=np.int64)}
        return self.store.reader(index=index, contents=["/**", "/__properties/**"],
                                 include_semantically_empty_columns=True,
                                 include_tombstone_columns=True, **kwargs).to_arrow_table()

    def chunk_rows(self) -> dict[tuple[str, str], list[tuple]]:
        """Every row of every chunk: (entity, component) -> [(times dict or None for static,
        RowId, list value)], rows where the component is null left out."""
        out: dict[tuple[str, str], list[tuple]] = {}
        for chunk in self.store.stream():
            batch = chunk.to_record_batch()
            row_ids: list[int] = []
            times: dict[str, list] = {}
            comps = []
            for i, f in enumerate(batch.schema):
                meta = {k.decode(): v.decode() for k, v in (f.metadata or {}).items()}
                kind = meta.get("rerun:kind")
                if kind == "control":
                    row_ids = [int(b.hex(), 16) for b in batch.column(i).to_pylist()]
                elif kind == "index":
                    times[meta.get("rerun:index_name", f.name)] = column_values(batch.column(i))
                elif kind != "control":
                    comps.append((meta.get("rerun:component", f.name), f.type, batch.column(i)))
            for component, t, array in comps:
                values = column_values(array)
                rows = out.setdefault((chunk.entity_path, component), [])
                for r, value in enumerate(values):
                    if value is None:
                        continue
                    row_times = None if chunk.is_static else {n: v[r] for n, v in times.items()}
                    rows.append((row_times, row_ids[r], canon(t, value, "sdk chunk")))
        return out


# ---------------------------------------------------------------- the comparison


@dataclass
class Counts:
    latest_cells: int = 0  # reader cells compared with a latest-at answer
    latest_values: int = 0  # ... of which not null
    tombstones: int = 0  # ... of which a tombstone
    cleared_at_time: int = 0  # Reel said CLEARED by a Clear at exactly the query time
    cleared_later: int = 0  # Reel said CLEARED, the reader filled the shadowed value
    index_cells: int = 0  # other index columns checked
    static_cells: int = 0
    range_windows: int = 0
    range_cells: int = 0
    range_rows: int = 0  # rows of full ranges checked against the SDK's chunks
    components: int = 0  # column sets compared
    mismatches: list = field(default_factory=list)

    def fail(self, message: str) -> None:
        if len(self.mismatches) < 30:
            self.mismatches.append(message)
        elif len(self.mismatches) == 30:
            self.mismatches.append("... (more)")


def query_times(logged: list[int], rng: random.Random) -> list[int]:
    """Every logged time, and times next to them, between them, before and after."""
    # TIME_MIN and TIME_MAX always: the reader must query everything. For a narrower range
    # Rerun 0.41 slices the Clear chunks and then picks recursive Clear rows by their
    # position in the unsliced values (re_dataframe chunk_filter_recursive_only): it panics
    # ("index out of bounds" in take_fixed_size_binary) or takes the wrong rows.
    times = set(logged) | {TIME_MIN, TIME_MAX}
    if logged:
        lo, hi = min(logged), max(logged)
        times |= {lo - 1, lo - 1000, hi + 1, hi + 1000}
        near = sorted({t + d for t in logged for d in (-1, 1)} - set(logged))
        between = [(a + b) // 2 for a, b in zip(sorted(logged), sorted(logged)[1:]) if b - a > 2]
        extra = near + between
        times |= set(rng.sample(extra, min(len(extra), 300)))
    return sorted(t for t in times if TIME_MIN <= t <= TIME_MAX)


def windows(logged: list[int], rng: random.Random) -> list[tuple[int, int]]:
    """Everything, the logged span, empty windows before and after, a reversed one, random
    sub-windows and single times."""
    out = [(TIME_MIN, TIME_MAX)]
    if logged:
        lo, hi = min(logged), max(logged)
        out += [(lo, hi), (lo - 10, lo - 1), (hi + 1, hi + 5), (hi, lo)]
        for _ in range(6):
            a, b = sorted(rng.choice(logged) + rng.choice((-1, 0, 0, 1)) for _ in range(2))
            out.append((a, b))
        out += [(t, t) for t in rng.sample(logged, min(len(logged), 4))]
    clamp = lambda t: min(max(t, TIME_MIN), TIME_MAX)  # noqa: E731
    return list(dict.fromkeys((clamp(a), clamp(b)) for a, b in out))


class Tombstones:
    """The reader's tombstones as Reel's Clear rows give them: per entity, its temporal
    Clear rows (any) and its ancestors' recursive ones, by time."""

    def __init__(self, clear_rows: dict[str, list[Row]]):
        self.rows = clear_rows
        self.own: dict[tuple, list[Row]] = {}
        self.recursive: dict[tuple, list[Row]] = {}
        for path, rows in clear_rows.items():
            for row in rows:
                self.own.setdefault((path, row.time), []).append(row)
                if row.cell == (True,):
                    self.recursive.setdefault((path, row.time), []).append(row)
        self.memo: dict[tuple, list[Row]] = {}

    def candidates(self, entity: str, time: int) -> list[Row]:
        key = (entity, time)
        if key not in self.memo:
            rows = list(self.own.get(key, ()))
            for path in ancestors_and_self(entity)[1:]:
                rows += self.recursive.get((path, time), ())
            self.memo[key] = rows
        return self.memo[key]

    def at(self, entity: str, time: int) -> Row | None:
        """The tombstone with the largest RowId at exactly `time`, if any."""
        return max(self.candidates(entity, time), key=lambda r: r.row_id, default=None)


@functools.cache
def ancestors_and_self(entity: str) -> list[str]:
    """The canonical paths of the entity and its ancestors up to "/", in that order (a part
    may hold an escaped "/": "\\/")."""
    parts, part, escaped = [], "", False
    for ch in entity.lstrip("/"):
        if escaped or ch == "\\":
            part, escaped = part + ch, not escaped and ch == "\\"
        elif ch == "/":
            parts, part = parts + [part], ""
        else:
            part += ch
    parts += [part] if part else []
    return ["/" + "/".join(parts[:i]) if i else "/" for i in range(len(parts), -1, -1)]


def expected_cell(static_or_latest: Row | None, tomb: Row | None, time: int):
    """The reader's cell at `time` from Reel's row (latest-at ignoring clears, or the last
    row at exactly `time`) and the tombstone at `time`; also the row that supplied it."""
    row = static_or_latest
    if row is not None and row.time is None:
        return row.cell, None  # static: in every row, never a tombstone, no index times
    if tomb is not None and (row is None or row.time < time or tomb.row_id > row.row_id):
        return (), tomb
    return (None, None) if row is None else (row.cell, row)


def compare_latest(counts: Counts, col: Column, timeline: str, times: list[int],
                   table_cells: list, answers: list[dict], tombs: Tombstones,
                   suppliers: list[list]) -> None:
    for i, (t, answer) in enumerate(zip(times, answers)):
        assert answer["t"] == t
        where = f"latest-at {col.entity} {col.component} {timeline}={t}"
        state = answer["state"]
        row = Row.from_json(answer["value"], col.type) if state != "none" else None
        tomb = tombs.at(col.entity, t)
        want, supplier = expected_cell(row, tomb, t)
        got = table_cells[i]
        counts.latest_cells += 1
        counts.latest_values += got is not None
        counts.tombstones += supplier is tomb and tomb is not None
        if got != want:
            counts.fail(f"{where}: reader {got!r}, Reel {want!r} (state {state}, tombstone "
                        f"{tomb and tomb.time})")
        if supplier is not None:
            suppliers[i].append(supplier)
        if state == "cleared":
            clear = Row.from_json(answer["clear"], None)
            if clear.time == t:
                counts.cleared_at_time += 1
                if clear.row_id not in {r.row_id for r in tombs.candidates(col.entity, t)}:
                    counts.fail(f"{where}: Reel cleared by a Clear at {t} that the reader "
                                f"shows no tombstone for")
            elif clear.time is not None:
                counts.cleared_later += 1
        if state in ("value", "empty") and (row.cell == ()) != (state == "empty"):
            counts.fail(f"{where}: state {state} with cell {row.cell!r}")


def compare_index_columns(counts: Counts, timeline: str, times: list[int], table: pa.Table,
                          indexes: list[str], suppliers: list[list], what: str) -> None:
    """Each other index column holds the largest time on it among the rows that supplied
    the row's cells (null when none of them has that timeline)."""
    for name in indexes:
        values = column_values(table.column(name))
        for i, t in enumerate(times):
            if name == timeline:
                want = t
            else:
                have = [r.times[name] for r in suppliers[i] if name in r.times]
                want = max(have) if have else None
            counts.index_cells += 1
            if not suppliers[i] and what == "unfilled reader":
                counts.fail(f"{what} {timeline}={t}: a row that no row of Reel's explains")
            if values[i] != want:
                counts.fail(f"{what} {timeline}={t}: index column {name} is {values[i]}, the "
                            f"rows Reel answered with say {want}")


def compare_range(counts: Counts, col: Column, timeline: str, window: tuple[int, int],
                  table_times: list[int], table_cells: list, answer: dict,
                  tombs: Tombstones, suppliers: list[list] | None) -> None:
    t0, t1 = window
    where = f"range {col.entity} {col.component} {timeline}=[{t0}, {t1}]"
    rows = [Row.from_json(r, col.type) for r in answer["rows"]]
    counts.range_windows += 1
    static = rows[0] if len(rows) == 1 and rows[0].time is None else None
    if static is None:
        keys = [(r.time, r.row_id) for r in rows]
        if any(r.time is None for r in rows) or keys != sorted(keys) or len(set(keys)) != len(keys):
            counts.fail(f"{where}: rows not in (time, RowId) order: {keys}")
        if any(not t0 <= r.time <= t1 for r in rows):
            counts.fail(f"{where}: rows outside the window: {keys}")
    last = {}
    for r in rows:
        if r.time is not None:
            last[r.time] = r  # (time, RowId) order: the last one at a time wins
    in_window = {t for t in table_times if t0 <= t <= t1}
    missing = set(last) - in_window
    if missing:
        counts.fail(f"{where}: Reel has rows at {sorted(missing)} that the reader has no row for")
    for i in range(bisect.bisect_left(table_times, t0), bisect.bisect_right(table_times, t1)):
        t, got = table_times[i], table_cells[i]
        want, supplier = expected_cell(static or last.get(t), tombs.at(col.entity, t), t)
        counts.range_cells += 1
        if got != want:
            counts.fail(f"{where} at {t}: reader {got!r}, Reel {want!r}")
        if suppliers is not None and supplier is not None:
            suppliers[i].append(supplier)


def compare_with_chunks(counts: Counts, col: Column, timeline: str, answer: dict,
                        chunk_rows: list[tuple]) -> None:
    """A range over everything holds every row of the real store's chunks that has the
    component and the timeline (only the latest static row when there is static data)."""
    where = f"range {col.entity} {col.component} {timeline}=everything vs the SDK's chunks"
    got = [(r["time"], int(r["row_id"], 16), canon(col.type, r["cell"], "reel"))
           for r in answer["rows"]]
    statics = [(None, rid, cell) for times, rid, cell in chunk_rows if times is None]
    if statics:
        want = [max(statics, key=lambda r: r[1])]
    else:
        want = sorted(((times[timeline], rid, cell) for times, rid, cell in chunk_rows
                       if times is not None and timeline in times), key=lambda r: r[:2])
    counts.range_rows += len(want)
    if got != want:
        pairs = zip(got + [None] * len(want), want + [None] * len(got))
        first = next((g, w) for g, w in pairs if g != w)
        counts.fail(f"{where}: Reel {len(got)} rows, the chunks {len(want)}; first difference "
                    f"(Reel, chunks): {first}")


@dataclass
class View:
    """The reader's answers on one timeline."""
    times: list[int]  # the query times (using_index_values)
    filled: pa.Table  # fill_latest_at=True at `times`
    unfilled: pa.Table  # one row per time of the data
    indexes: list[str]
    columns: list[Column]
    windows: list[tuple[int, int]]
    filled_suppliers: list[list] = field(default_factory=list)  # per filled row
    unfilled_suppliers: list[list] = field(default_factory=list)  # per unfilled row
    cache: dict = field(default_factory=dict)

    def cells(self, table: str, col: Column) -> list:
        """The column's cells of the filled or unfilled table, canonical (computed once)."""
        key = (table, col.name)
        if key not in self.cache:
            values = column_values(getattr(self, table).column(col.name))
            self.cache[key] = [canon(col.type, v, "reader") for v in values]
        return self.cache[key]


def check_recording(tool: Path, rrd: Path, layout: list[str], tamper=None) -> Counts:
    """Compares everything for one recording. `tamper(stage, plan, answers)` may change
    Reel's answers before they are compared (the sanity test)."""
    rerun = Rerun(rrd)
    rng = random.Random(rrd.name)
    counts = Counts()
    static_table = rerun.table(None)
    timelines, static_columns = reader_columns(static_table)
    chunk_rows = rerun.chunk_rows()

    # Every query goes to one tool run: (kind, details) in `plan` per query.
    plan: list[tuple] = [("entities", None)]
    queries: list[list] = [["entities"]]
    for col in static_columns:
        plan.append(("static", col))
        queries.append(["latest", col.entity, "", col.component, 0])
    views: dict[str, View] = {}
    for timeline in timelines:
        logged = sorted({times[timeline] for rows in chunk_rows.values()
                         for times, _, _ in rows if times is not None and timeline in times})
        times = query_times(logged, rng)
        filled = rerun.table(timeline, times)
        unfilled = rerun.table(timeline)
        assert column_values(filled.column(timeline)) == times, \
            f"{timeline}: the reader resampled at other times"
        indexes, columns = reader_columns(filled)
        view = views[timeline] = View(times, filled, unfilled, indexes, columns,
                                      windows(logged, rng))
        view.filled_suppliers = [[] for _ in times]
        view.unfilled_suppliers = [[] for _ in range(unfilled.num_rows)]
        for col in columns:
            plan.append(("latest", (timeline, col)))
            queries.append(["latest", col.entity, timeline, col.component, *times])
            for w in view.windows:
                plan.append(("range", (timeline, col, w)))
                queries.append(["range", col.entity, timeline, col.component, *w])
    # The reader's columns on every timeline are the entity's components on any timeline,
    # its static-only view the static ones.
    view_entities = sorted({c.entity for v in views.values() for c in v.columns}
                           | {c.entity for c in static_columns})
    for entity in view_entities:
        for timeline in ["", *timelines]:
            plan.append(("components", (timeline, entity)))
            queries.append(["components", entity, timeline])
    answers = run_queries(tool, rrd, layout, queries)
    if tamper is not None:
        tamper("queries", plan, answers)

    # The Clear rows of every entity on every timeline (a second run: it needs the entities).
    all_entities = answers[0]["entities"]
    clear_plan = [("range", (timeline, e)) for timeline in timelines for e in all_entities]
    clear_answers = run_queries(tool, rrd, layout,
                                [["range", e, timeline, CLEAR, TIME_MIN, TIME_MAX]
                                 for (_, (timeline, e)) in clear_plan])
    if tamper is not None:
        tamper("clears", clear_plan, clear_answers)
    clear_rows: dict[str, dict[str, list[Row]]] = {tl: {} for tl in timelines}
    for (_, (timeline, e)), answer in zip(clear_plan, clear_answers):
        rows = [Row.from_json(r, pa.list_(pa.bool_())) for r in answer["rows"]]
        clear_rows[timeline][e] = [r for r in rows if r.time is not None]  # static: none
    tombstones = {tl: Tombstones(rows) for tl, rows in clear_rows.items()}

    static_cells = {}
    if static_table.num_rows:
        static_cells = {(c.entity, c.component): column_values(static_table.column(c.name))[0]
                        for c in static_columns}
    unfilled_times = {tl: column_values(v.unfilled.column(tl)) for tl, v in views.items()}
    for timeline, times in unfilled_times.items():
        assert times == sorted(set(times)), f"{timeline}: the reader's rows are not by time"
    reel_components: dict[str, dict[str, set]] = {}
    for (kind, details), answer in zip(plan, answers):
        if kind == "static":
            col = details
            result = answer["results"][0]
            want = None
            if result["state"] != "none":
                row = Row.from_json(result["value"], col.type)
                want = row.cell if row.time is None else "a temporal row"
            got = canon(col.type, static_cells.get((col.entity, col.component)), "reader")
            counts.static_cells += 1
            if got != want:
                counts.fail(f"static {col.entity} {col.component}: reader {got!r}, Reel {want!r}")
        elif kind == "latest":
            timeline, col = details
            view = views[timeline]
            compare_latest(counts, col, timeline, view.times,
                           view.cells("filled", col), answer["results"],
                           tombstones[timeline], view.filled_suppliers)
        elif kind == "range":
            timeline, col, w = details
            view = views[timeline]
            everything = w == (TIME_MIN, TIME_MAX)
            compare_range(counts, col, timeline, w, unfilled_times[timeline],
                          view.cells("unfilled", col), answer,
                          tombstones[timeline], view.unfilled_suppliers if everything else None)
            if everything:
                compare_with_chunks(counts, col, timeline, answer,
                                    chunk_rows.get((col.entity, col.component), []))
        elif kind == "components":
            timeline, entity = details
            reel_components.setdefault(entity, {})[timeline] = set(answer["components"])
    for entity, per in reel_components.items():
        any_timeline = set().union(*per.values())
        for timeline in ["", *timelines]:
            columns = static_columns if timeline == "" else views[timeline].columns
            got = {c.component for c in columns if c.entity == entity}
            want = per[""] if timeline == "" else any_timeline
            counts.components += 1
            if got != want:
                counts.fail(f"columns of {entity} in the reader's view of "
                            f"{timeline or 'static data'}: {sorted(got)}, Reel's components "
                            f"{sorted(want)}")
    for timeline, view in views.items():
        compare_index_columns(counts, timeline, view.times, view.filled, view.indexes,
                              view.filled_suppliers, "filled reader")
        compare_index_columns(counts, timeline, unfilled_times[timeline], view.unfilled,
                              view.indexes, view.unfilled_suppliers, "unfilled reader")
    return counts


# ---------------------------------------------------------------- tests


@pytest.fixture(scope="session")
def recordings(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("store_oracle")
    proc = subprocess.run([sys.executable, str(HERE / "store_oracle_recordings.py"), str(out)],
                          capture_output=True, text=True, env={**os.environ, "CI": "1"},
                          timeout=300)
    if proc.returncode != 0:
        pytest.fail(f"store_oracle_recordings.py failed ({proc.returncode}):\n{proc.stderr}",
                    pytrace=False)
    return out


# Lower bounds on what each recording must exercise, so a comparison that silently compares
# nothing fails.
MINIMUMS = {
    "clears": {"tombstones": 20, "cleared_at_time": 10, "cleared_later": 20},
    "random": {"latest_values": 20000, "tombstones": 50, "cleared_later": 200},
    "static_over_temporal": {"static_cells": 5},
    "empty_lists": {"latest_values": 50},
}


@pytest.mark.parametrize("name,layout", CASES, ids=[f"{n}-{l}" for n, l in CASES])
def test_store_answers_as_rerun(recordings, query_tool, name, layout):
    counts = check_recording(query_tool, recordings / f"{name}.rrd", LAYOUTS[layout])
    assert not counts.mismatches, "\n".join(counts.mismatches)
    assert counts.latest_cells > 100 and counts.latest_values > 20, counts
    assert counts.range_cells > 20 and counts.range_rows > 5 and counts.index_cells > 50, counts
    for key, least in MINIMUMS.get(name, {}).items():
        assert getattr(counts, key) >= least, f"{key}: {getattr(counts, key)} < {least}"


def tamper_value(stage, plan, answers):
    """One value of one latest-at answer loses its last instance."""
    if stage != "queries":
        return
    for (kind, _), answer in zip(plan, answers):
        for result in answer.get("results", []) if kind == "latest" else []:
            if result["state"] == "value" and result["value"]["time"] == result["t"]:
                result["value"]["cell"] = result["value"]["cell"][:-1]
                return
    raise AssertionError("nothing to tamper with")


def tamper_state(stage, plan, answers):
    """One latest-at answer says "nothing logged" instead of its value."""
    if stage != "queries":
        return
    for (kind, _), answer in zip(plan, answers):
        for result in answer.get("results", []) if kind == "latest" else []:
            if result["state"] == "value" and result["value"]["time"] == result["t"]:
                result["state"] = "none"
                return
    raise AssertionError("nothing to tamper with")


def tamper_row(stage, plan, answers):
    """The latest-at answers name rows logged a nanosecond later (an equal value from
    another row): only the index columns can tell."""
    if stage != "queries":
        return
    for (kind, _), answer in zip(plan, answers):
        for result in answer.get("results", []) if kind == "latest" else []:
            if "value" in result and "log_time" in result["value"]["times"]:
                result["value"]["times"]["log_time"] += 1


def tamper_range(stage, plan, answers):
    """One range answer over everything loses its first row."""
    if stage != "queries":
        return
    for (kind, details), answer in zip(plan, answers):
        if kind == "range" and details[2] == (TIME_MIN, TIME_MAX) and len(answer["rows"]) > 1:
            del answer["rows"][0]
            return
    raise AssertionError("nothing to tamper with")


def tamper_clear(stage, plan, answers):
    """One temporal Clear row is forgotten."""
    if stage != "clears":
        return
    for answer in answers:
        if any(r["time"] is not None for r in answer["rows"]):
            answer["rows"] = [r for r in answer["rows"] if r["time"] is None] + \
                [r for r in answer["rows"] if r["time"] is not None][1:]
            return
    raise AssertionError("nothing to tamper with")


@pytest.mark.parametrize("tamper", [tamper_value, tamper_state, tamper_row, tamper_range,
                                    tamper_clear], ids=lambda f: f.__name__)
def test_a_wrong_answer_is_detected(recordings, query_tool, tamper):
    counts = check_recording(query_tool, recordings / "clears.rrd", [], tamper=tamper)
    assert counts.mismatches, f"{tamper.__name__}: {tamper.__doc__.strip()} went unnoticed"


def test_tool_rejects_bad_input(recordings, query_tool, tmp_path):
    rrd = recordings / "clears.rrd"
    for args, stdin, code in [([], "", 2), ([str(tmp_path / "missing.rrd")], "", 1),
                              ([str(rrd), "--recording", "nope"], "", 1),
                              ([str(rrd)], "latest\t/a\tframe\tX\tnot-a-time\n", 2),
                              ([str(rrd)], "range\t/a\tframe\tX\t1\n", 2),
                              ([str(rrd)], "what\n", 2), ([str(rrd), "--bogus"], "", 2)]:
        proc = subprocess.run([str(query_tool), *args], input=stdin.encode(),
                              capture_output=True, timeout=60)
        stderr = proc.stderr.decode(errors="replace")
        assert proc.returncode == code, f"{args} {stdin!r}: exit {proc.returncode}\n{stderr}"
        assert stderr.startswith(("store_query_tool: ", "usage: ")), stderr
        for marker in CRASH_MARKERS:
            assert marker not in stderr, stderr
