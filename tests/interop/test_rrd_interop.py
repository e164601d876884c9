"""Recordings on disk: Reel's `reel rrd` CLI and rrd writer against the real Rerun 0.41.

(a) Files written by the real SDK (tests/interop/rrd_scripts/*.py: every core archetype,
    static and temporal data, sequence/duration/timestamp timelines, send_columns, blueprints,
    several stores) pass `reel rrd verify`; `reel rrd stats --json` agrees with what the
    scripts logged (entities, rows, components, instances, timelines and their ranges); and
    the values `reel rrd print -v` shows are the logged values, row by row.
(b) Files Reel writes (tests/tools/rrd_sample_tool.c: sample values for every field of every
    core archetype, compressed and not) pass the real `rerun rrd verify` with its footer
    check, and the real SDK's reader (rerun.chunk.RrdReader) returns the values Reel wrote,
    through a linear scan and through the footer manifest.
(c) `reel rrd merge` of real files gives files the real tool verifies and reads back with the
    same content; merging several inputs (one with several stores) keeps every store.
(d) Hostile input through the CLI: truncated files, corrupted ArrowMsg payloads, standard
    input, wrong arguments and garbage never crash it, and errors name message and offset.

Known disagreements with Rerun are xfail(strict=True) tests, so fixing one shows up (merge
writing a repeated chunk twice). User columns of Arrow types Reel does not decode (views,
run-end encoding, intervals) cost only their chunks; maps, decimals and dictionaries are
read like any other type. Where Rerun itself is at fault (footers of concatenated
streams, `rrd compare` calling NaN unequal to NaN) the test works around it and says so.
Reel is stricter than Rerun about files cut inside a message: it exits 2, Rerun says ok.

Everything is generated once per session into a temporary directory; the SDK scripts run in
parallel. CI=1 keeps Rerun's analytics off.
"""

from __future__ import annotations

import json
import re
import struct
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pytest

from conftest import REPO, ToolRun, build_dir, sdk_env, tool_env

sys.path.insert(0, str(Path(__file__).resolve().parent / "rrd_scripts"))
from _common import scalar_json, values_equal  # noqa: E402

SCRIPTS_DIR = Path(__file__).resolve().parent / "rrd_scripts"
DEF_FILE = REPO / "src" / "types" / "rerun_types.def"
SCRIPTS = sorted(p for p in SCRIPTS_DIR.glob("*.py") if not p.name.startswith("_"))
# What the scripts write (the test fails if one is missing).
SDK_FILES = ["core_archetypes.rrd", "timelines_columns.rrd", "any_values.rrd",
             "any_values_user_types.rrd", "with_blueprint.rrd",
             "layout.rbl", "two_recordings.rrd", "two_recordings_merged.rrd"]
# Files of several concatenated streams: the real tool reads their footers as if offsets
# were file offsets (they are per stream, rrd-format.md 2.5), so its footer check and its
# RrdReader fail on them. Reel reads them; the real side is checked without footers.
CONCATENATED = {"two_recordings.rrd"}


def core_archetypes() -> list[str]:
    text = DEF_FILE.read_text()
    return sorted(re.findall(r'REEL_ARCHETYPE_BEGIN\((\w+), \w+, "[^"]+", CORE\)', text))


def core_fields() -> dict[str, list[str]]:
    """Archetype short name -> its fields' components ("Points3D:positions")."""
    text = DEF_FILE.read_text()
    core = set(core_archetypes())
    fields: dict[str, list[str]] = {}
    for arch, name in re.findall(r"REEL_ARCHETYPE_FIELD\((\w+), (\w+),", text):
        if arch in core:
            fields.setdefault(arch, []).append(f"{arch}:{name}")
    return fields


# ---------------------------------------------------------------- running things


@pytest.fixture(scope="session")
def run_reel(reel):
    def run(*args, stdin: bytes | None = None, timeout: float = 120) -> ToolRun:
        proc = subprocess.run([str(reel), *map(str, args)], input=stdin, capture_output=True,
                              env=tool_env(), timeout=timeout)
        return ToolRun(proc)

    return run


@pytest.fixture(scope="session")
def run_rerun(rerun_cli):
    def run(*args, timeout: float = 120) -> ToolRun:
        proc = subprocess.run([str(rerun_cli), *map(str, args)], capture_output=True,
                              env=sdk_env(), timeout=timeout)
        return ToolRun(proc)

    return run


@pytest.fixture(scope="session")
def sdk_dir(tmp_path_factory) -> Path:
    """Runs every rrd_scripts/*.py once (in parallel) into one directory."""
    out = tmp_path_factory.mktemp("sdk_rrd")

    def run(script: Path) -> tuple[Path, subprocess.CompletedProcess]:
        return script, subprocess.run([sys.executable, str(script), str(out)], cwd=SCRIPTS_DIR,
                                      capture_output=True, text=True, env=sdk_env(), timeout=300)

    with ThreadPoolExecutor(max_workers=len(SCRIPTS)) as pool:
        for script, proc in pool.map(run, SCRIPTS):
            if proc.returncode != 0:
                pytest.fail(f"{script.name} failed ({proc.returncode}):\n{proc.stderr}",
                            pytrace=False)
    return out


def load_expected(sdk_dir: Path, name: str) -> dict:
    path = sdk_dir / f"{name}.expected.json"
    assert path.is_file(), f"the rrd_scripts did not write {path.name}"
    return json.loads(path.read_text())


# ---------------------------------------------------------------- reading Reel's output


@dataclass
class Row:
    row_id: str
    times: dict[str, int]
    values: dict[str, object]


@dataclass
class Message:
    index: int
    offset: int
    kind: str
    rest: str
    store: tuple[str, str, str] | None = None  # (kind, application id, recording id)
    entity: str | None = None
    rows: int = 0
    static: bool = False
    timelines: list[str] = field(default_factory=list)
    components: list[str] = field(default_factory=list)
    row_lines: list[Row] = field(default_factory=list)


MESSAGE_LINE = re.compile(r"^#(\d+)\s+@(\d+)\s+(\S+)\s*(.*)$")


def parse_store(text: str) -> tuple[str, str, str]:
    kind, ids = text.split(" ", 1)
    app, recording = ids.split("/", 1)
    return kind, app, recording


def parse_row(line: str, timelines: list[str]) -> Row:
    """'    row_X  frame=3  Points3D:positions=[[1,2,3]]': names up to '=', values as JSON."""
    decoder = json.JSONDecoder()
    text = line.strip()
    end = text.find("  ")
    row = Row(text if end < 0 else text[:end], {}, {})
    pos = len(row.row_id)
    while pos < len(text):
        assert text.startswith("  ", pos), f"bad row line at {pos}: {line!r}"
        eq = text.index("=", pos + 2)
        name = text[pos + 2:eq]
        value, pos = decoder.raw_decode(text, eq + 1)
        if name in timelines:
            row.times[name] = value
        else:
            row.values[name] = value
    return row


def parse_print(stdout: str) -> list[Message]:
    messages: list[Message] = []
    for line in stdout.split("\n"):  # not splitlines(): values may hold U+2028
        if line.startswith("    row_"):
            msg = messages[-1]
            msg.row_lines.append(parse_row(line, msg.timelines))
            continue
        m = MESSAGE_LINE.match(line)
        if not m:
            continue  # "FILE: stream N at offset ..." lines
        msg = Message(int(m[1]), int(m[2]), m[3], m[4])
        parts = msg.rest.split("  ")
        if msg.kind in ("SetStoreInfo", "ArrowMsg", "BlueprintActivationCommand"):
            msg.store = parse_store(parts[0])
        if msg.kind == "ArrowMsg" and len(parts) > 2 and parts[2].startswith("rows="):
            msg.entity = parts[1]
            msg.rows = int(parts[2][5:])
            for part in parts[3:]:
                if part == "static":
                    msg.static = True
                elif part.startswith("timelines=["):
                    msg.timelines = part[len("timelines=["):-1].split(", ")
                elif part.startswith("components=["):
                    msg.components = part[len("components=["):-1].split(", ")
        messages.append(msg)
    return messages


def store_matches(expected: dict, kind: str, app: str | None, recording: str) -> bool:
    return (expected["kind"] == kind and expected["application_id"] == app
            and expected["recording_id"] in (None, recording))


def rows_by_entity(messages: list[Message], store: tuple) -> dict[str, list[tuple[Message, Row]]]:
    """Every row of a store per entity, in RowId order (= logging order in one process)."""
    out: dict[str, list[tuple[Message, Row]]] = {}
    for msg in messages:
        if msg.kind == "ArrowMsg" and msg.store == store:
            for row in msg.row_lines:
                out.setdefault(msg.entity, []).append((msg, row))
    for rows in out.values():
        rows.sort(key=lambda item: item[1].row_id)
    return out


# ---------------------------------------------------------------- reading with the real SDK


def tuid_text(raw: bytes) -> str:
    """Rerun's TUID string: upper-case hex time, lower-case hex counter."""
    return "row_" + raw[:8].hex().upper() + raw[8:].hex()


def sdk_read(path: Path, use_footer: bool = False) -> dict[tuple, dict[str, dict]]:
    """Every store of `path` as read by rerun.chunk.RrdReader: {(kind, app, recording):
    {row_id: {"entity", "static", "times", "values"}}}. use_footer reads chunks through the
    footer manifest (LazyStore) instead of a linear scan."""
    from rerun.chunk import RrdReader

    reader = RrdReader(path)
    out: dict[tuple, dict[str, dict]] = {}
    for store in reader.recordings() + reader.blueprints():
        key = (store.kind, store.application_id, store.recording_id)
        stream = reader.store(store=store).stream() if use_footer else reader.stream(store=store)
        rows = out.setdefault(key, {})
        for chunk in stream.to_chunks():
            batch = chunk.to_record_batch()
            kinds = {f.name: (f.metadata or {}).get(b"rerun:kind", b"data").decode()
                     for f in batch.schema}
            row_ids = [c for c in batch.schema.names if kinds[c] == "control"]
            assert len(row_ids) == 1, batch.schema
            ids = batch.column(row_ids[0]).to_pylist()
            times = {name: batch.column(name).cast(pa.int64()).to_pylist()
                     for name in batch.schema.names if kinds[name] == "index"}
            data = [name for name in batch.schema.names if kinds[name] == "data"]
            for i, raw in enumerate(ids):
                values = {}
                for name in data:
                    cell = batch.column(name)[i]
                    if cell.is_valid:
                        values[name] = scalar_json(cell)
                rows[tuid_text(raw)] = {"entity": chunk.entity_path, "static": chunk.is_static,
                                        "times": {n: t[i] for n, t in times.items()},
                                        "values": values}
    return out


def assert_same_content(expected: dict, actual: dict, what: str) -> None:
    assert sorted(expected) == sorted(actual), f"{what}: stores differ"
    for store, rows in expected.items():
        other = actual[store]
        missing = sorted(set(rows) - set(other))[:5]
        extra = sorted(set(other) - set(rows))[:5]
        assert not missing and not extra, f"{what}: {store}: rows missing {missing}, extra {extra}"
        for row_id, row in rows.items():
            got = other[row_id]
            assert (row["entity"], row["static"], row["times"]) == \
                (got["entity"], got["static"], got["times"]), f"{what}: {row_id}"
            diff = values_equal(row["values"], got["values"], f"{row['entity']} {row_id}")
            assert diff is None, f"{what}: {diff}"


# ---------------------------------------------------------------- (a) real files -> Reel


def test_scripts_cover_every_core_archetype(sdk_dir):
    logged = load_expected(sdk_dir, "core_archetypes.rrd")["stores"][0]["archetypes"]
    assert sorted(logged) == core_archetypes()
    assert len(logged) == 36


@pytest.mark.parametrize("name", SDK_FILES)
def test_reel_verifies_sdk_file(sdk_dir, run_reel, name):
    run = run_reel("rrd", "verify", sdk_dir / name).assert_ok()
    assert ": ok:" in run.stdout


@pytest.mark.parametrize("name", SDK_FILES)
def test_rerun_verifies_sdk_file(sdk_dir, run_rerun, name):
    """The reference itself: what the real tool says about the SDK's files."""
    args = ["--check-footers=false"] if name in CONCATENATED else []
    run = run_rerun("rrd", "verify", *args, sdk_dir / name)
    assert run.returncode == 0, run.stderr


def expected_components(store: dict) -> dict[str, dict]:
    """Per component (across entities): archetype, type, rows that logged it, instances."""
    out: dict[str, dict] = {}
    for entity in store["entities"].values():
        for row in entity["rows"]:
            for name, cell in row["components"].items():
                c = out.setdefault(name, {"archetype": cell["archetype"],
                                          "component_type": cell["component_type"],
                                          "rows": 0, "instances": 0})
                c["rows"] += 1
                c["instances"] += cell["instances"]
    return out


@pytest.mark.parametrize("name", SDK_FILES)
def test_stats_agree_with_what_was_logged(sdk_dir, run_reel, name):
    expected = load_expected(sdk_dir, name)
    stats = json.loads(run_reel("rrd", "stats", "--json", sdk_dir / name).assert_ok().stdout)
    (file_stats,) = stats["files"]
    assert file_stats["errors"] == 0
    stores = file_stats["stores"]
    assert len(stores) == len(expected["stores"]), [(s["kind"], s["recording_id"]) for s in stores]
    printed = parse_print(run_reel("rrd", "print", sdk_dir / name).assert_ok().stdout)
    for exp in expected["stores"]:
        matches = [s for s in stores
                   if store_matches(exp, s["kind"], s["application_id"], s["recording_id"])]
        assert len(matches) == 1, f"store {exp['kind']} {exp['recording_id']} not in {stores}"
        got = matches[0]
        if exp["kind"] == "blueprint":
            assert got["chunks"] > 0 and got["rows"] > 0
            continue
        # Entities and their rows; the SDK adds /__properties by itself.
        auto = set(exp["auto_entities"])
        assert set(exp["entities"]) <= set(got["entities"]) <= set(exp["entities"]) | auto
        for path, entity in exp["entities"].items():
            assert got["entities"][path]["rows"] == len(entity["rows"]), path
        auto_rows = sum(got["entities"][p]["rows"] for p in auto & set(got["entities"]))
        assert got["rows"] == auto_rows + sum(len(e["rows"]) for e in exp["entities"].values())
        any_static = any(r["static"] for e in exp["entities"].values() for r in e["rows"])
        assert (got["static_chunks"] > 0) == (any_static or bool(auto_rows))
        # Timelines: type, range and rows; the SDK adds log_time.
        for tl_name, tl in exp["timelines"].items():
            g = got["timelines"].get(tl_name)
            assert g is not None, f"timeline {tl_name} missing"
            assert (g["type"], g["min"], g["max"], g["rows"]) == \
                (tl["type"], tl["min"], tl["max"], tl["rows"]), tl_name
        for tl_name in set(got["timelines"]) - set(exp["timelines"]):
            assert tl_name in exp["auto_timelines"], f"unexpected timeline {tl_name}"
            assert got["timelines"][tl_name]["type"] == "timestamp"
        # Components: rows, instances, archetype and component type.
        store_key = (exp["kind"], exp["application_id"], got["recording_id"])
        auto_components = {c for m in printed if m.store == store_key and m.entity in auto
                           for c in m.components}
        want = expected_components(exp)
        assert set(want) <= set(got["components"]) <= set(want) | auto_components
        for comp_name, comp in want.items():
            g = got["components"][comp_name]
            assert {k: g[k] for k in comp} == comp, comp_name


def rerun_stats(run_rerun, path: Path) -> dict[str, dict[str, int]]:
    """`rerun rrd stats` as {section: {key: number}} ("Overview", "Num chunks per entity"...)."""
    run = run_rerun("rrd", "stats", path)
    assert run.returncode == 0, run.stderr
    sections: dict[str, dict[str, int]] = {}
    lines = run.stdout.splitlines()
    current = None
    for i, line in enumerate(lines):
        if i + 1 < len(lines) and lines[i + 1] and set(lines[i + 1]) == {"-"}:
            current = sections.setdefault(line.strip(), {})
            continue
        m = re.match(r"^(.*?)(?: =|:) (-?\d+)", line)
        if current is not None and m:
            current[m[1]] = int(m[2])
    return sections


def check_stats_against_rerun(run_reel, run_rerun, path: Path) -> None:
    theirs = rerun_stats(run_rerun, path)
    stats = json.loads(run_reel("rrd", "stats", "--json", path).assert_ok().stdout)
    stores = stats["files"][0]["stores"]
    per: dict[str, dict[str, int]] = {"entities": {}, "timelines": {}, "components": {}}
    for store in stores:
        for what, table in per.items():
            for key, row in store[what].items():
                table[key] = table.get(key, 0) + row["chunks"]
    overview = theirs["Overview"]
    assert overview["num_chunks"] == sum(s["chunks"] for s in stores)
    assert overview["num_rows"] == sum(s["rows"] for s in stores)
    assert overview["num_static"] == sum(s["static_chunks"] for s in stores)
    assert theirs["Num chunks per entity"] == per["entities"]
    assert theirs.get("Num chunks per index", {}) == per["timelines"]
    assert theirs["Num chunks per component"] == per["components"]


@pytest.mark.parametrize("name", SDK_FILES)
def test_stats_agree_with_rerun_stats(sdk_dir, run_reel, run_rerun, name):
    """Chunks, rows, static chunks, and chunks per entity, timeline and component, as the
    real `rerun rrd stats` counts them (summed over stores, as it does)."""
    check_stats_against_rerun(run_reel, run_rerun, sdk_dir / name)


@pytest.mark.parametrize("name", SDK_FILES)
def test_print_shows_the_logged_values(sdk_dir, run_reel, name):
    """Row by row (RowId order = logging order): times, components, instance counts and
    every value as `reel rrd print -v` prints it."""
    expected = load_expected(sdk_dir, name)
    messages = parse_print(run_reel("rrd", "print", "-v", sdk_dir / name).assert_ok().stdout)
    for msg in messages:
        assert msg.kind != "ArrowMsg" or len(msg.row_lines) == msg.rows, msg.index
    checked_values = 0
    for exp in expected["stores"]:
        stores = {m.store for m in messages if m.store is not None
                  and store_matches(exp, *m.store)}
        assert len(stores) == 1, f"{exp['kind']} {exp['recording_id']}: {stores}"
        store = stores.pop()
        if exp["kind"] == "blueprint":
            check_blueprint(messages, store, exp["blueprint"])
            continue
        by_entity = rows_by_entity(messages, store)
        assert set(exp["entities"]) <= set(by_entity)
        for path, entity in exp["entities"].items():
            got_rows = by_entity[path]
            assert len(got_rows) == len(entity["rows"]), path
            # Per entity: components with their archetype, type, rows and instances.
            summary: dict[str, dict] = {}
            for msg, row in got_rows:
                for comp_name, value in row.values.items():
                    s = summary.setdefault(comp_name, {"rows": 0, "instances": 0})
                    s["rows"] += 1
                    s["instances"] += len(value)
            want_summary = {k: {"rows": v["rows"], "instances": v["instances"]}
                            for k, v in entity["components"].items()}
            assert summary == want_summary, path
            for i, (want, (msg, got)) in enumerate(zip(entity["rows"], got_rows)):
                where = f"{path} row {i} ({got.row_id})"
                assert msg.static == want["static"], where
                times = {k: v for k, v in got.times.items() if k not in exp["auto_timelines"]}
                assert times == want["times"], where
                assert sorted(got.values) == sorted(want["components"]), where
                for comp_name, cell in want["components"].items():
                    value = got.values[comp_name]
                    assert len(value) == cell["instances"], f"{where} {comp_name}"
                    diff = values_equal(cell["value"], value, f"{where} {comp_name}")
                    assert diff is None, diff
                    checked_values += 1
    assert checked_values > 0 or all(s["kind"] == "blueprint" for s in expected["stores"])


def check_blueprint(messages: list[Message], store: tuple, want: dict) -> None:
    views, containers = [], set()
    for msg, row in (item for rows in rows_by_entity(messages, store).values() for item in rows):
        if "ViewBlueprint:class_identifier" in row.values:
            views.append({k: row.values.get(f"ViewBlueprint:{k}", [None])[0]
                          for k in ("class_identifier", "space_origin", "display_name")})
        if "ContainerBlueprint:container_kind" in row.values:
            containers.add(msg.entity)
    key = lambda v: json.dumps(v, sort_keys=True)  # noqa: E731
    assert sorted(views, key=key) == sorted(want["views"], key=key)
    assert len(containers) == want["containers"]
    activations = [m for m in messages
                   if m.kind == "BlueprintActivationCommand" and m.store == store]
    assert len(activations) == 1
    assert ("make_active" in activations[0].rest) == want["make_active"]
    assert ("make_default" in activations[0].rest) == want["make_default"]


def test_unsupported_user_arrow_types_cost_only_their_chunks(sdk_dir, run_reel):
    """View, run-end encoded and interval columns (user data via AnyValues) are reported with
    message and offset; the other chunks are still printed."""
    path = sdk_dir / "any_values_unsupported.rrd"
    run = run_reel("rrd", "print", "-v", path)
    run.assert_no_crash()
    assert run.returncode == 2
    for what in ("Utf8View", "RunEndEncoded", "Interval"):
        assert re.search(rf"message \d+ at offset \d+: .*{what}", run.stderr), run.stderr
    messages = parse_print(run.stdout)
    plain = [row for m in messages if m.entity == "/odd/plain" for row in m.row_lines]
    assert [row.values["Scalars:scalars"] for row in plain] == [[1.0]]


def test_reel_accepts_user_arrow_types_that_rerun_accepts(sdk_dir, run_reel, run_rerun):
    """Map, dictionary and decimal columns (user data via AnyValues): both tools verify the
    file, and Reel prints the values as they were logged (the SDK_FILES tests check every
    value, stat and merge of this file too)."""
    path = sdk_dir / "any_values_user_types.rrd"
    assert run_rerun("rrd", "verify", path).returncode == 0
    run_reel("rrd", "verify", path).assert_ok()
    messages = parse_print(run_reel("rrd", "print", "-v", path).assert_ok().stdout)
    rows = {m.entity: row.values for m in messages for row in m.row_lines}
    assert rows["/odd/map"]["settings"] == [[{"key": "gain", "value": 3},
                                             {"key": "offset", "value": -1}]]
    assert rows["/odd/dictionary"]["label"] == ["cat", "dog", "cat"]
    assert rows["/odd/decimal"]["price"] == ["1.00", "250.00"]
    assert rows["/odd/more"]["coarse"] == ["12000", "-3000"]
    assert rows["/odd/more"]["small"] == ["x", None, "y", "y"]


def test_print_from_stdin_matches_print_from_file(sdk_dir, run_reel):
    path = sdk_dir / "with_blueprint.rrd"
    from_file = run_reel("rrd", "print", "-v", path).assert_ok().stdout.split("\n")
    from_stdin = run_reel("rrd", "print", "-v", "-", stdin=path.read_bytes()).assert_ok()
    lines = from_stdin.stdout.split("\n")
    assert lines[0].startswith("-: stream 0 at offset 0")
    assert lines[1:] == from_file[1:]
    stats = json.loads(run_reel("rrd", "stats", "--json", "-", stdin=path.read_bytes())
                       .assert_ok().stdout)
    assert len(stats["files"][0]["stores"]) == 2
    run_reel("rrd", "verify", "-", stdin=path.read_bytes()).assert_ok()


# ---------------------------------------------------------------- (b) Reel -> real Rerun


SAMPLE_VARIANTS = {"lz4": [], "uncompressed": ["--no-compress"], "no_footer": ["--no-footer"]}


@pytest.fixture(scope="session", params=sorted(SAMPLE_VARIANTS))
def sample_file(request, tmp_path_factory):
    """(path, dump, variant): rrd_sample_tool's file and the JSON of what it wrote."""
    tool = build_dir() / "rrd_sample_tool"
    if not tool.is_file():
        pytest.fail(f"{tool} is missing: it is built from tests/tools/rrd_sample_tool.c",
                    pytrace=False)
    out = tmp_path_factory.mktemp(f"reel_samples_{request.param}")
    rrd, values = out / "samples.rrd", out / "samples.json"
    ToolRun(subprocess.run([str(tool), str(rrd), str(values), *SAMPLE_VARIANTS[request.param]],
                           capture_output=True, env=tool_env(), timeout=120)).assert_ok()
    return rrd, json.loads(values.read_text()), request.param


def test_sample_tool_covers_every_field_of_every_core_archetype(sample_file):
    _, dump, _ = sample_file
    logged: dict[str, set[str]] = {}
    for entity in dump["entities"]:
        arch = entity["archetype"].rsplit(".", 1)[1]
        for row in entity["rows"]:
            logged.setdefault(arch, set()).update(row["components"])
    fields = core_fields()
    assert sorted(logged) == core_archetypes()
    for arch, components in fields.items():
        assert logged[arch] == set(components), arch
    kinds = {(e["static"]) for e in dump["entities"]}
    assert kinds == {True, False}


def test_rerun_verifies_reel_file(sample_file, run_rerun, run_reel):
    rrd, dump, variant = sample_file
    # The default checks footers; a footer-less file is valid only without that check.
    args = ["--check-footers=false"] if variant == "no_footer" else []
    run = run_rerun("rrd", "verify", *args, rrd)
    assert run.returncode == 0, run.stderr
    run_reel("rrd", "verify", rrd).assert_ok()
    printed = parse_print(run_reel("rrd", "print", rrd).assert_ok().stdout)
    compressed = [m for m in printed if m.kind == "ArrowMsg" and " lz4 " in m.rest]
    arrow = [m for m in printed if m.kind == "ArrowMsg"]
    assert len(compressed) == (len(arrow) if dump["compression"] == "lz4" else 0)
    assert (printed[-1].kind == "End") == (variant != "no_footer")


@pytest.mark.parametrize("use_footer", [False, True], ids=["scan", "footer"])
@pytest.mark.filterwarnings("ignore:RRD file has no footer")
def test_rerun_reads_the_values_reel_wrote(sample_file, use_footer):
    rrd, dump, variant = sample_file
    if use_footer and variant == "no_footer":
        with pytest.raises(Exception):  # LazyStore needs the manifest; a scan is the way
            sdk_read(rrd, use_footer=True)
        return
    stores = sdk_read(rrd, use_footer=use_footer)
    key = ("recording", dump["application_id"], dump["recording_id"])
    assert list(stores) == [key]
    rows = stores[key]
    expected = {}
    for entity in dump["entities"]:
        for row in entity["rows"]:
            expected[row["row_id"]] = {"entity": entity["entity_path"],
                                       "static": entity["static"], "times": row["times"],
                                       "values": row["components"]}
    assert len(expected) == 36 * 4
    assert_same_content({key: expected}, {key: rows}, f"{rrd.name} read by rerun")
    # Every required field of every archetype was compared, in every row.
    required = re.findall(r"REEL_ARCHETYPE_FIELD\((\w+), (\w+), \w+, REQUIRED",
                          DEF_FILE.read_text())
    core = set(core_archetypes())
    for arch, fld in required:
        if arch in core:
            assert any(f"{arch}:{fld}" in r["values"] for r in rows.values()), f"{arch}:{fld}"


def test_rerun_stats_of_reel_file(sample_file, run_reel, run_rerun):
    check_stats_against_rerun(run_reel, run_rerun, sample_file[0])


def test_rerun_prints_reel_file(sample_file, run_rerun):
    rrd, _, _ = sample_file
    run = run_rerun("rrd", "print", "-vvv", rrd)
    assert run.returncode == 0, run.stderr
    assert "/samples/points3d/temporal" in run.stdout


# ---------------------------------------------------------------- (c) merge


@pytest.mark.parametrize("name", SDK_FILES)
def test_merge_of_a_real_file_reads_the_same_in_rerun(sdk_dir, tmp_path, run_reel, run_rerun,
                                                      name):
    src = sdk_dir / name
    out = tmp_path / f"merged_{name}"
    run = run_reel("rrd", "merge", src, "-o", out).assert_ok()
    assert out.is_file() and "chunk(s)" in run.stdout
    verify = run_rerun("rrd", "verify", out)  # with the footer check: Reel wrote one stream
    assert verify.returncode == 0, verify.stderr
    # The reference content: the SDK reading the original (a concatenated file through the
    # real CLI's merge of the same streams, which it can read).
    reference = sdk_dir / ("two_recordings_merged.rrd" if name in CONCATENATED else name)
    assert_same_content(sdk_read(reference), sdk_read(out), f"reel rrd merge {name}")
    assert_same_content(sdk_read(reference), sdk_read(out, use_footer=True),
                        f"reel rrd merge {name} (footer)")
    # Rerun's own comparison. It handles files with exactly one recording, and calls NaN
    # unequal to NaN (it fails comparing such a file with itself), so it judges only files
    # it says equal to themselves.
    if len([k for k in sdk_read(reference) if k[0] == "recording"]) == 1 and \
            run_rerun("rrd", "compare", reference, reference).returncode == 0:
        compare = run_rerun("rrd", "compare", reference, out)
        assert compare.returncode == 0, compare.stderr
    check_stats_against_rerun(run_reel, run_rerun, out)


def test_merge_of_several_inputs_keeps_every_store(sdk_dir, tmp_path, run_reel, run_rerun):
    inputs = ["core_archetypes.rrd", "with_blueprint.rrd", "two_recordings.rrd", "layout.rbl"]
    out = tmp_path / "all.rrd"
    run_reel("rrd", "merge", *(sdk_dir / n for n in inputs), "-o", out).assert_ok()
    verify = run_rerun("rrd", "verify", out)
    assert verify.returncode == 0, verify.stderr
    want: dict[tuple, dict] = {}
    for name in inputs:
        source = "two_recordings_merged.rrd" if name in CONCATENATED else name
        for key, rows in sdk_read(sdk_dir / source).items():
            assert key not in want, f"store {key} in two inputs"
            want[key] = rows
    assert len(want) == 6  # 4 recordings and 2 blueprints
    got = sdk_read(out)
    assert_same_content(want, got, "reel rrd merge of 4 inputs")
    stats = json.loads(run_reel("rrd", "stats", "--json", out).assert_ok().stdout)
    kinds = sorted(s["kind"] for s in stats["files"][0]["stores"])
    assert kinds == ["blueprint", "blueprint", "recording", "recording", "recording", "recording"]
    printed = parse_print(run_reel("rrd", "print", out).assert_ok().stdout)
    assert len([m for m in printed if m.kind == "BlueprintActivationCommand"]) == 2
    assert printed[-1].kind == "End" and "6 manifest(s)" in printed[-1].rest


def test_merge_of_the_same_recording_twice_keeps_one_copy(sdk_dir, tmp_path, run_reel, run_rerun):
    src = sdk_dir / "timelines_columns.rrd"
    ours, theirs = tmp_path / "ours.rrd", tmp_path / "theirs.rrd"
    run_reel("rrd", "merge", src, src, "-o", ours).assert_ok()
    with theirs.open("wb") as out:
        subprocess.run([str(Path(sys.executable).parent / "rerun"), "rrd", "merge", str(src),
                        str(src)], stdout=out, stderr=subprocess.DEVNULL, env=sdk_env(),
                       check=True, timeout=120)
    count = lambda p: sum(s["rows"] for s in json.loads(run_reel(  # noqa: E731
        "rrd", "stats", "--json", p).assert_ok().stdout)["files"][0]["stores"])
    assert count(ours) == count(theirs) == count(src)


def test_merge_without_compression(sdk_dir, tmp_path, run_reel, run_rerun):
    out = tmp_path / "plain.rrd"
    src = sdk_dir / "core_archetypes.rrd"
    run_reel("rrd", "merge", "--no-compress", src, "-o", out).assert_ok()
    printed = parse_print(run_reel("rrd", "print", out).assert_ok().stdout)
    assert not any(" lz4 " in m.rest for m in printed if m.kind == "ArrowMsg")
    assert run_rerun("rrd", "verify", out).returncode == 0
    assert_same_content(sdk_read(sdk_dir / "core_archetypes.rrd"), sdk_read(out), "no-compress")


# ---------------------------------------------------------------- (d) hostile input


def frame_messages(data: bytes) -> list[tuple[int, int, int]]:
    """(offset, kind, payload length) of each message of a one-stream file."""
    out, offset = [], 12
    while offset + 16 <= len(data):
        kind, length = struct.unpack_from("<QQ", data, offset)
        out.append((offset, kind, length))
        offset += 16 + length
        if kind == 0:
            break
    return out


def printed_indices(stdout: str) -> list[int]:
    return [m.index for m in parse_print(stdout)]


def test_truncated_file_prints_every_complete_message(sdk_dir, tmp_path, run_reel):
    data = (sdk_dir / "core_archetypes.rrd").read_bytes()
    frames = frame_messages(data)
    assert len(frames) > 20
    cut_file = tmp_path / "cut.rrd"
    checked = 0
    for k, (offset, kind, length) in enumerate(frames):
        # In the message header, and in the payload (every other message, to stay fast).
        cuts = [offset + 7] + ([offset + 16 + length // 2] if k % 2 == 0 or kind == 0 else [])
        for cut in cuts:
            cut_file.write_bytes(data[:cut])
            run = run_reel("rrd", "print", "-v", cut_file)
            run.assert_no_crash()
            assert run.returncode == 2, f"cut at {cut}: exit {run.returncode}"
            assert printed_indices(run.stdout) == list(range(k)), f"cut at {cut}"
            assert f"message {k} at offset {offset}" in run.stderr, run.stderr
            assert "truncated" in run.stderr
            checked += 1
    assert checked > 30
    # Inside the stream header, and inside the stream footer.
    for cut, what in [(5, "offset 0"), (len(data) - 10, f"offset {len(data) - 32}")]:
        cut_file.write_bytes(data[:cut])
        run = run_reel("rrd", "print", cut_file)
        run.assert_no_crash()
        assert run.returncode == 2 and what in run.stderr, run.stderr


def test_file_cut_at_a_message_boundary_is_a_valid_footerless_file(sdk_dir, tmp_path, run_reel):
    """Footer-less files are valid (rrd-format.md 2.4), so a cut between two messages
    cannot be told from one: everything is printed and the exit code is 0."""
    data = (sdk_dir / "core_archetypes.rrd").read_bytes()
    frames = frame_messages(data)
    cut_file = tmp_path / "cut.rrd"
    for k in (3, len(frames) // 2, len(frames) - 1):
        cut_file.write_bytes(data[:frames[k][0]])
        run = run_reel("rrd", "print", cut_file)
        run.assert_ok()
        assert printed_indices(run.stdout) == list(range(k))


@pytest.mark.parametrize("damage", ["lz4", "protobuf"])
def test_corrupt_arrow_msg_is_reported_and_printing_goes_on(sdk_dir, tmp_path, run_reel,
                                                            run_rerun, damage):
    data = bytearray((sdk_dir / "core_archetypes.rrd").read_bytes())
    frames = frame_messages(bytes(data))
    arrow = [i for i, (_, kind, _) in enumerate(frames) if kind == 2]
    k = arrow[len(arrow) // 2]
    offset, _, length = frames[k]
    payload = offset + 16
    if damage == "lz4":  # garbage in the middle of the compressed Arrow stream
        data[payload + length // 3:payload + length // 3 + 64] = b"\xff" * 64
    else:  # an invalid protobuf tag at the start of the ArrowMsg
        data[payload:payload + 2] = b"\xff\xff"
    bad = tmp_path / "bad.rrd"
    bad.write_bytes(bytes(data))
    run = run_reel("rrd", "print", bad)
    run.assert_no_crash()
    assert run.returncode == 2
    assert f"message {k} at offset {offset}" in run.stderr, run.stderr
    assert printed_indices(run.stdout) == [i for i in range(len(frames)) if i != k]
    for command in (["verify"], ["stats", "--json"]):
        other = run_reel("rrd", *command, bad)
        other.assert_no_crash()
        assert other.returncode == 2 and f"message {k} at offset {offset}" in other.stderr
    # merge keeps the good messages; the real tool accepts the result.
    out = tmp_path / "salvaged.rrd"
    merge = run_reel("rrd", "merge", bad, "-o", out)
    merge.assert_no_crash()
    assert merge.returncode == 2 and "skipped" in merge.stderr
    assert run_rerun("rrd", "verify", out).returncode == 0
    assert len([m for m in parse_print(run_reel("rrd", "print", out).assert_ok().stdout)
                if m.kind == "ArrowMsg"]) == len(arrow) - 1


def test_random_damage_never_crashes(sdk_dir, tmp_path, run_reel):
    """Bytes flipped anywhere (headers, protobuf, LZ4, footer): exit 0 or 2, never a crash,
    and every error line names a message or an offset."""
    import random

    data = (sdk_dir / "timelines_columns.rrd").read_bytes()
    rng = random.Random(1234)
    bad = tmp_path / "damaged.rrd"
    for variant in range(16):
        damaged = bytearray(data)
        for _ in range(1 + variant % 4):
            pos = rng.randrange(len(damaged))
            damaged[pos] ^= 1 << rng.randrange(8)
        bad.write_bytes(bytes(damaged))
        for args in (["print", "-v", bad], ["merge", bad, "-o", tmp_path / "out.rrd"]):
            run = run_reel("rrd", *args)
            run.assert_no_crash()
            assert run.returncode in (0, 2), f"variant {variant} {args[0]}: {run.returncode}"
            for line in run.stderr.splitlines():
                assert re.search(r"offset \d+", line) or "INVALID" in line, line


def test_merge_from_stdin(sdk_dir, tmp_path, run_reel, run_rerun):
    out = tmp_path / "from_stdin.rrd"
    src = sdk_dir / "with_blueprint.rrd"
    run_reel("rrd", "merge", "-", "-o", out, stdin=src.read_bytes()).assert_ok()
    assert run_rerun("rrd", "verify", out).returncode == 0
    assert_same_content(sdk_read(src), sdk_read(out), "merge from stdin")


def test_truncated_stdin(sdk_dir, run_reel):
    data = (sdk_dir / "core_archetypes.rrd").read_bytes()
    offset, _, length = frame_messages(data)[5]
    run = run_reel("rrd", "print", "-", stdin=data[:offset + 16 + length // 2])
    run.assert_no_crash()
    assert run.returncode == 2
    assert printed_indices(run.stdout) == list(range(5))
    assert f"<stdin>: message 5 at offset {offset}" in run.stderr


@pytest.mark.parametrize("args", [
    [], ["rrd"], ["rrd", "nope"], ["rrd", "print"], ["rrd", "print", "--bogus", "x.rrd"],
    ["rrd", "stats"], ["rrd", "stats", "--csv", "x.rrd"], ["rrd", "verify"],
    ["rrd", "verify", "-q", "x.rrd"], ["rrd", "merge", "x.rrd"], ["rrd", "merge", "-o"],
    ["rrd", "merge", "-o", "out.rrd"], ["nope"],
], ids=lambda a: " ".join(a) or "<none>")
def test_wrong_arguments_exit_1_with_usage(run_reel, args, tmp_path):
    run = run_reel(*args)
    run.assert_no_crash()
    assert run.returncode == 1, run.stderr
    assert "usage" in run.stderr or "--help" in run.stderr, run.stderr
    assert run.stdout == ""


def test_help_exits_0(run_reel):
    for args in (["--help"], ["rrd", "--help"], ["rrd", "print", "--help"],
                 ["rrd", "merge", "-h"]):
        run = run_reel(*args).assert_ok()
        assert "usage" in run.stdout


GARBAGE = {
    "empty": b"",
    "text": b"this is not a recording\n" * 10,
    "random": bytes((i * 131 + 7) % 256 for i in range(4096)),
    "header_only": b"RRF2\x00\x29\x00\x00\x01\x02\x00\x00",
    "header_then_garbage": b"RRF2\x00\x29\x00\x00\x01\x02\x00\x00" + b"\xff" * 100,
    "huge_length": b"RRF2\x00\x29\x00\x00\x01\x02\x00\x00" + struct.pack("<QQ", 2, 1 << 62),
    "old_format": b"RRF0\x00\x10\x00\x00\x01\x00\x00\x00" + b"\x00" * 32,
}


@pytest.mark.parametrize("name", sorted(GARBAGE))
def test_garbage_is_rejected_without_crashing(tmp_path, run_reel, name):
    path = tmp_path / f"{name}.rrd"
    path.write_bytes(GARBAGE[name])
    for command in (["print", "-v"], ["stats", "--json"], ["verify"]):
        run = run_reel("rrd", *command, path)
        run.assert_no_crash()
        if name == "header_only":
            continue  # a stream with no messages; either verdict is defensible
        assert run.returncode == 2, f"{command}: exit {run.returncode}"
        assert str(path) in run.stderr or "<stdin>" in run.stderr, run.stderr
    run = run_reel("rrd", "merge", path, "-o", tmp_path / "out.rrd")
    run.assert_no_crash()
    assert run.returncode in (0, 2)


def test_missing_file_exits_2(run_reel, tmp_path):
    for command in (["print"], ["stats"], ["verify"]):
        run = run_reel("rrd", *command, tmp_path / "missing.rrd")
        run.assert_no_crash()
        assert run.returncode == 2 and "missing.rrd" in run.stderr


# ---------------------------------------------------------------- reel rrd filter


def stats_json(run_reel, path: Path) -> dict:
    return json.loads(run_reel("rrd", "stats", "--json", path).assert_ok().stdout)["files"][0]


def recording_store(stats: dict) -> dict:
    (store,) = [s for s in stats["stores"] if s["kind"] == "recording"]
    return store


def test_filter_keeps_an_entity_subtree(sdk_dir, tmp_path, run_reel, run_rerun):
    src, out = sdk_dir / "core_archetypes.rrd", tmp_path / "subtree.rrd"
    before = recording_store(stats_json(run_reel, src))
    prefix = sorted(e for e in before["entities"] if e.count("/") >= 2)[0].rsplit("/", 1)[0]
    run_reel("rrd", "filter", src, "-o", out, "--entity", prefix + "/**").assert_ok()
    after = recording_store(stats_json(run_reel, out))
    kept = {e: v for e, v in before["entities"].items() if e == prefix or e.startswith(prefix + "/")}
    assert kept and {e: v["rows"] for e, v in after["entities"].items()} == \
        {e: v["rows"] for e, v in kept.items()}
    assert run_rerun("rrd", "verify", out).returncode == 0


def test_filter_keeps_one_timeline_and_drops_static(sdk_dir, tmp_path, run_reel, run_rerun):
    src, out = sdk_dir / "timelines_columns.rrd", tmp_path / "one_timeline.rrd"
    before = recording_store(stats_json(run_reel, src))
    timeline = sorted(t for t in before["timelines"] if t != "log_time")[0]
    run_reel("rrd", "filter", src, "-o", out, "--timeline", timeline, "--drop-static").assert_ok()
    after = recording_store(stats_json(run_reel, out))
    assert list(after["timelines"]) == [timeline]
    assert after["static_chunks"] == 0
    # Every row that had a time on the kept timeline is still there, with the same range.
    assert after["timelines"][timeline]["rows"] == before["timelines"][timeline]["rows"]
    assert after["rows"] == before["timelines"][timeline]["rows"]
    for key in ("min", "max"):
        assert after["timelines"][timeline][key] == before["timelines"][timeline][key]
    assert run_rerun("rrd", "verify", out).returncode == 0


def test_filter_rejects_bad_arguments(sdk_dir, tmp_path, run_reel):
    src = sdk_dir / "timelines_columns.rrd"
    assert run_reel("rrd", "filter", src).returncode == 1  # no -o
    bad = run_reel("rrd", "filter", src, "-o", tmp_path / "x.rrd", "--entity", "a\\q")
    assert bad.returncode == 1 and "byte offset" in bad.stderr
