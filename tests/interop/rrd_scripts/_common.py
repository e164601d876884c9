"""Shared by the rrd_scripts (which write recordings with the REAL Rerun SDK) and by
tests/interop/test_rrd_interop.py: a Recorder that logs through a RecordingStream while
writing down what it logged (the "expected" JSON), and the conversion of Arrow values to
the JSON form `reel rrd print -v` and rrd_sample_tool print (reel_arrow_value_to_json).

Expected JSON (one per .rrd, next to it as <name>.expected.json):

    {"file": "x.rrd", "stores": [{
        "kind": "recording", "application_id": ..., "recording_id": ...,
        "auto_entities": ["/__properties"], "auto_timelines": ["log_time"],
        "entities": {"/path": {"rows": [ROW, ...],       # rows in logging order
                               "components": {"Points3D:positions": {"archetype": ...,
                                   "component_type": ..., "rows": 3, "instances": 12}}}},
        "timelines": {"frame": {"type": "sequence", "min": 0, "max": 9, "rows": 12}},
        "blueprint": {...}                                  # blueprint stores only
    }]}
    ROW = {"static": bool, "times": {"frame": 3, ...}, "components": {
        "Points3D:positions": {"archetype": ..., "component_type": ...,
                               "instances": 2, "value": [[1.0, 2.0, 3.0], ...]}}}

Times are integers: sequence numbers, or nanoseconds for duration and timestamp. Every
logged value is kept (the files are small), so the test compares all of them.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, Iterable

import pyarrow as pa

# ---------------------------------------------------------------- Arrow values as JSON


def scalar_json(scalar: pa.Scalar) -> Any:
    """One Arrow value in reel_arrow_value_to_json's form: null, bools, exact integers,
    floats (NaN/inf as strings), strings, binary as lower-case hex, lists, structs as
    objects, unions as [type_code, value], temporal types as their integer."""
    t = scalar.type
    if pa.types.is_union(t):
        value = scalar.value
        return [int(scalar.type_code), None if value is None else scalar_json(value)]
    if not scalar.is_valid or pa.types.is_null(t):
        return None
    if pa.types.is_boolean(t) or pa.types.is_integer(t):
        return scalar.as_py()
    if pa.types.is_floating(t):
        value = float(scalar.as_py())
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return value
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return scalar.as_py()
    if pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_fixed_size_binary(t):
        return scalar.as_py().hex()
    if (pa.types.is_timestamp(t) or pa.types.is_duration(t) or pa.types.is_date(t)
            or pa.types.is_time(t)):
        return scalar.value
    if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t):
        return [scalar_json(item) for item in scalar.values]
    if pa.types.is_struct(t):
        return {t.field(i).name: scalar_json(scalar[i]) for i in range(t.num_fields)}
    # User data types: maps as lists of entry objects, dictionaries as the values they
    # index, decimals as exact positional text ("-0.05", "12000" for a negative scale).
    if pa.types.is_map(t):
        return [{"key": scalar_json(k), "value": scalar_json(v)}
                for k, v in zip(scalar.values.field(0), scalar.values.field(1))]
    if pa.types.is_dictionary(t):
        return scalar_json(scalar.value)
    if pa.types.is_decimal(t):
        return format(scalar.as_py(), "f")
    # Types Reel does not decode: a readable form for the expected JSON.
    if pa.types.is_string_view(t):
        return scalar.as_py()
    if pa.types.is_run_end_encoded(t):
        return scalar_json(scalar.value)
    if pa.types.is_interval(t):
        return list(scalar.as_py())
    raise TypeError(f"no JSON form for Arrow type {t}")


def array_json(array: pa.Array) -> list:
    """Every element of `array` as scalar_json."""
    return [scalar_json(array[i]) for i in range(len(array))]


def values_equal(expected: Any, actual: Any, path: str = "") -> str | None:
    """None when equal, else a description of the first difference. Floats compare exactly
    (both sides print float32 widened to double with round-trip precision) with a relative
    1e-6 fallback for text forms that lose digits; ints equal floats of the same value."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return None if expected is actual else f"{path}: {expected!r} != {actual!r}"
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        if expected == actual or math.isclose(expected, actual, rel_tol=1e-6, abs_tol=1e-12):
            return None
        return f"{path}: {expected!r} != {actual!r}"
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return f"{path}: length {len(expected)} != {len(actual)}"
        for i, (e, a) in enumerate(zip(expected, actual)):
            diff = values_equal(e, a, f"{path}[{i}]")
            if diff:
                return diff
        return None
    if isinstance(expected, dict) and isinstance(actual, dict):
        if list(expected) != list(actual):
            return f"{path}: keys {list(expected)} != {list(actual)}"
        for key in expected:
            diff = values_equal(expected[key], actual[key], f"{path}.{key}")
            if diff:
                return diff
        return None
    return None if expected == actual else f"{path}: {expected!r} != {actual!r}"


# ---------------------------------------------------------------- recording what is logged


def entity_path(path: str | Iterable[str]) -> str:
    """The canonical form Rerun stores: a list of parts is escaped part by part."""
    import rerun as rr

    if isinstance(path, str):
        return "/" + path.strip("/") if path.strip("/") else "/"
    return "/" + "/".join(rr.escape_entity_path_part(part) for part in path)


class Recorder:
    """Logs through `rec` (a rerun.RecordingStream) and remembers every row for the
    expected JSON. Only the calls made through it are known; the SDK's own additions
    (/__properties, log_time) are listed as auto_entities / auto_timelines."""

    def __init__(self, rec, *, application_id: str, recording_id: str):
        self.rec = rec
        self.store = {"kind": "recording", "application_id": application_id,
                      "recording_id": recording_id, "auto_entities": ["/__properties"],
                      "auto_timelines": ["log_time"], "entities": {}, "timelines": {}}
        self.current: dict[str, tuple[str, int]] = {}

    # -- time
    def set_time(self, name: str, *, sequence: int | None = None, duration_ns: int | None = None,
                 timestamp_ns: int | None = None) -> None:
        import numpy as np

        if sequence is not None:
            self.rec.set_time(name, sequence=sequence)
            self.current[name] = ("sequence", int(sequence))
        elif duration_ns is not None:
            self.rec.set_time(name, duration=np.timedelta64(int(duration_ns), "ns"))
            self.current[name] = ("duration", int(duration_ns))
        else:
            self.rec.set_time(name, timestamp=np.datetime64(int(timestamp_ns), "ns"))
            self.current[name] = ("timestamp", int(timestamp_ns))

    def disable_timeline(self, name: str) -> None:
        self.rec.disable_timeline(name)
        self.current.pop(name, None)

    def reset_time(self) -> None:
        self.rec.reset_time()
        self.current.clear()

    # -- data
    def _note_row(self, path: str, static: bool, times: dict[str, tuple[str, int]],
                  cells: dict[str, dict]) -> None:
        entity = self.store["entities"].setdefault(path, {"rows": []})
        entity["rows"].append({"static": static,
                               "times": {name: value for name, (_, value) in times.items()},
                               "components": cells})
        if not static:
            for name, (kind, value) in times.items():
                tl = self.store["timelines"].setdefault(
                    name, {"type": kind, "min": value, "max": value, "rows": 0})
                assert tl["type"] == kind, f"timeline {name} used as {tl['type']} and {kind}"
                tl["min"] = min(tl["min"], value)
                tl["max"] = max(tl["max"], value)
                tl["rows"] += 1

    def log(self, path, *items, static: bool = False) -> None:
        batches = []
        for item in items:
            if hasattr(item, "as_component_batches"):
                batches.extend(item.as_component_batches())
            else:
                batches.append(item)
        self.rec.log(path, *items, static=static)
        cells = {}
        for batch in batches:
            descr = batch.component_descriptor()
            array = batch.as_arrow_array()
            cells[descr.component] = {"archetype": descr.archetype,
                                      "component_type": descr.component_type,
                                      "instances": len(array), "value": array_json(array)}
        self._note_row(entity_path(path), static, {} if static else dict(self.current), cells)

    def send_columns(self, path, indexes: list[tuple[str, str, list[int]]], columns) -> None:
        """indexes: (timeline, "sequence" | "duration" | "timestamp", integer values)."""
        import numpy as np
        import rerun as rr

        time_columns = []
        for name, kind, values in indexes:
            if kind == "sequence":
                time_columns.append(rr.TimeColumn(name, sequence=values))
            elif kind == "duration":
                time_columns.append(
                    rr.TimeColumn(name, duration=np.array(values, "timedelta64[ns]")))
            else:
                time_columns.append(
                    rr.TimeColumn(name, timestamp=np.array(values, "datetime64[ns]")))
        columns = list(columns)
        self.rec.send_columns(path, indexes=time_columns, columns=columns)
        lists = [(col.component_descriptor(), col.as_arrow_array()) for col in columns]
        n_rows = len(indexes[0][2])
        for row in range(n_rows):
            cells = {}
            for descr, array in lists:
                value = array[row]
                if not value.is_valid:
                    continue
                items = value.values
                cells[descr.component] = {"archetype": descr.archetype,
                                          "component_type": descr.component_type,
                                          "instances": len(items), "value": array_json(items)}
            times = {name: (kind, int(values[row])) for name, kind, values in indexes}
            self._note_row(entity_path(path), False, times, cells)


def summarize(store: dict) -> dict:
    """Adds per entity "components": {component: {archetype, component_type, rows,
    instances}} (rows that logged it, instances over those rows), derived from its rows."""
    for entity in store.get("entities", {}).values():
        summary: dict[str, dict] = {}
        for row in entity["rows"]:
            for name, cell in row["components"].items():
                s = summary.setdefault(name, {"archetype": cell["archetype"],
                                              "component_type": cell["component_type"],
                                              "rows": 0, "instances": 0})
                s["rows"] += 1
                s["instances"] += cell["instances"]
        entity["components"] = dict(sorted(summary.items()))
    return store


def write_expected(rrd_path: Path, stores: list[dict]) -> None:
    rrd_path = Path(rrd_path)
    stores = [summarize(store) for store in stores]
    expected = {"file": rrd_path.name, "stores": stores}
    out = rrd_path.with_name(rrd_path.name + ".expected.json")
    out.write_text(json.dumps(expected, indent=1, sort_keys=False) + "\n")
