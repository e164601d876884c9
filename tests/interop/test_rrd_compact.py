"""`reel rrd compact` against the real Rerun 0.41 (`rerun rrd optimize --profile live`, the
command `rerun rrd compact` was renamed to; `live` has the viewer store's thresholds, which
are Reel's defaults).

Inputs are written by the real SDK: tests/interop/rrd_compact_inputs.py (one chunk per log
call: scalars on several entities and timelines, shuffled times, points, text logs, static
data overwritten in full and in part, a file with a blueprint store) and the rrd_scripts
test_rrd_interop.py uses (every core archetype, send_columns, user Arrow types, several
stores, concatenated streams). For each:
- `rerun rrd verify` (with its footer check) passes on Reel's output;
- read back through the real reader (rerun.chunk.RrdReader), every entity/component has the
  same temporal rows as (RowId, times, value) sets as the input; static rows are the ones
  Rerun's own optimize keeps (both drop a static chunk whose every component newer static
  data overwrote), and the latest static value of every entity/component is the input's;
- the chunk count is below the input's where the input has small chunks, and within a
  chunk or two per store of what `rerun rrd optimize` makes of the same file.
Then bad input (truncated, corrupt, standard input), the options and the report.

CI=1 keeps Rerun's analytics off.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from conftest import ToolRun, sdk_env, tool_env

sys.path.insert(0, str(Path(__file__).resolve().parent / "rrd_scripts"))
from _common import scalar_json  # noqa: E402
from test_rrd_interop import frame_messages, tuid_text  # noqa: E402

HERE = Path(__file__).resolve().parent
INPUTS_SCRIPT = HERE / "rrd_compact_inputs.py"
SCRIPTS_DIR = HERE / "rrd_scripts"
# Files with many small chunks (rrd_compact_inputs.py): compaction must shrink them.
SMALL_CHUNK_FILES = ["many_small.rrd", "small_with_blueprint.rrd"]
# Files of the rrd_scripts (written with the SDK's default batching: few chunks to merge).
SCRIPT_FILES = ["core_archetypes.rrd", "timelines_columns.rrd", "any_values.rrd",
                "any_values_user_types.rrd", "with_blueprint.rrd", "layout.rbl",
                "two_recordings.rrd"]
# Concatenated streams: the real reader misreads their footers (see test_rrd_interop.py);
# their content is read from the real CLI's merge of the same streams.
READ_INSTEAD = {"two_recordings.rrd": "two_recordings_merged.rrd"}


@pytest.fixture(scope="module")
def run_reel(reel):
    def run(*args, stdin: bytes | None = None, env: dict[str, str] | None = None) -> ToolRun:
        proc = subprocess.run([str(reel), *map(str, args)], input=stdin, capture_output=True,
                              env=env or tool_env(), timeout=300)
        return ToolRun(proc)

    return run


def rerun_verify(rerun_cli: Path, path: Path) -> None:
    proc = subprocess.run([str(rerun_cli), "rrd", "verify", str(path)], capture_output=True,
                          text=True, env=sdk_env(), timeout=300)
    assert proc.returncode == 0, f"rerun rrd verify {path.name}:\n{proc.stderr}"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    """Every input file, written by the real SDK into one directory."""
    out = tmp_path_factory.mktemp("compact_inputs")
    scripts = [INPUTS_SCRIPT] + [SCRIPTS_DIR / n for n in
                                 ("core_archetypes.py", "timelines_columns.py",
                                  "any_values.py", "blueprint_stores.py")]
    procs = [(s, subprocess.Popen([sys.executable, str(s), str(out)], cwd=s.parent,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=sdk_env()))
             for s in scripts]
    for script, proc in procs:
        _, err = proc.communicate(timeout=300)
        if proc.returncode != 0:
            pytest.fail(f"{script.name} failed ({proc.returncode}):\n{err.decode()}",
                        pytrace=False)
    return out


@pytest.fixture(scope="module")
def rerun_optimized(inputs, rerun_cli):
    """`rerun rrd optimize --profile live` of an input, made once."""
    made: dict[str, Path] = {}

    def get(name: str) -> Path:
        if name not in made:
            out = inputs / f"{name}.rerun_optimized.rrd"
            proc = subprocess.run([str(rerun_cli), "rrd", "optimize", "--profile", "live",
                                   str(inputs / name), "-o", str(out)], capture_output=True,
                                  text=True, env=sdk_env(), timeout=300)
            assert proc.returncode == 0, proc.stderr
            made[name] = out
        return made[name]

    return get


# ---------------------------------------------------------------- reading with the real SDK

Cells = dict[tuple[str, str], set[tuple]]  # (entity, component) -> {(row id, times, value)}


def content(path: Path) -> dict[tuple, dict[str, Cells]]:
    """Every store of `path` through rerun.chunk.RrdReader (a linear scan): {(kind, app,
    recording): {"temporal": Cells, "static": Cells}}; times are sorted (name, value) pairs,
    values JSON text."""
    import pyarrow as pa
    from rerun.chunk import RrdReader

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # footer-less files are read by a scan, as wanted
        reader = RrdReader(path)
    out: dict[tuple, dict[str, Cells]] = {}
    for store in reader.recordings() + reader.blueprints():
        key = (store.kind, store.application_id, store.recording_id)
        cells = out.setdefault(key, {"temporal": {}, "static": {}})
        for chunk in reader.stream(store=store).to_chunks():
            batch = chunk.to_record_batch()
            kinds = {f.name: (f.metadata or {}).get(b"rerun:kind", b"data").decode()
                     for f in batch.schema}
            (row_id_column,) = [c for c in batch.schema.names if kinds[c] == "control"]
            ids = batch.column(row_id_column).to_pylist()
            times = {name: batch.column(name).cast(pa.int64()).to_pylist()
                     for name in batch.schema.names if kinds[name] == "index"}
            target = cells["static" if chunk.is_static else "temporal"]
            for name in (n for n in batch.schema.names if kinds[n] == "data"):
                column = batch.column(name)
                rows = target.setdefault((chunk.entity_path, name), set())
                for i, raw in enumerate(ids):
                    if column[i].is_valid:
                        row_times = tuple(sorted((n, t[i]) for n, t in times.items()))
                        rows.add((tuid_text(raw), row_times,
                                  json.dumps(scalar_json(column[i]), sort_keys=True)))
    return out


def latest_static(cells: Cells) -> dict[tuple[str, str], tuple]:
    """The static value in effect per entity/component: the row with the largest RowId."""
    return {key: max(rows) for key, rows in cells.items() if rows}


def assert_compacted_content(source: dict, compacted: dict, what: str,
                             rerun_kept: dict | None = None) -> None:
    assert sorted(source) == sorted(compacted), f"{what}: stores differ"
    for store, cells in source.items():
        got = compacted[store]
        want_temporal = {k: v for k, v in cells["temporal"].items() if v}
        got_temporal = {k: v for k, v in got["temporal"].items() if v}
        assert sorted(want_temporal) == sorted(got_temporal), \
            f"{what}: {store}: temporal entity/components differ"
        for key, rows in want_temporal.items():
            missing = sorted(rows - got_temporal[key])[:3]
            extra = sorted(got_temporal[key] - rows)[:3]
            assert not missing and not extra, \
                f"{what}: {store} {key}: rows missing {missing}, extra {extra}"
        assert latest_static(cells["static"]) == latest_static(got["static"]), \
            f"{what}: {store}: the static values in effect differ"
        for key, rows in got["static"].items():
            assert rows <= cells["static"].get(key, set()), f"{what}: {store} {key}: new static"
        if rerun_kept is not None:
            theirs = {k: v for k, v in rerun_kept[store]["static"].items() if v}
            ours = {k: v for k, v in got["static"].items() if v}
            assert ours == theirs, f"{what}: {store}: static rows differ from rerun's optimize"


def stats(run_reel, path: Path) -> list[dict]:
    return json.loads(run_reel("rrd", "stats", "--json", path).assert_ok().stdout)["files"][0][
        "stores"]


def chunks_per_store(run_reel, path: Path) -> dict[tuple, int]:
    return {(s["kind"], s["application_id"], s["recording_id"]): s["chunks"]
            for s in stats(run_reel, path)}


# ---------------------------------------------------------------- compacting real files


@pytest.mark.parametrize("name", SMALL_CHUNK_FILES + SCRIPT_FILES)
def test_compact_keeps_every_row_and_rerun_reads_it(inputs, tmp_path, run_reel, rerun_cli,
                                                    rerun_optimized, name):
    src, out = inputs / name, tmp_path / f"compacted_{name}"
    run = run_reel("rrd", "compact", src, "-o", out).assert_ok()
    assert "->" in run.stderr and run.stdout == ""
    rerun_verify(rerun_cli, out)
    reference = inputs / READ_INSTEAD.get(name, name)
    theirs = rerun_optimized(name)
    assert_compacted_content(content(reference), content(out), f"reel rrd compact {name}",
                             rerun_kept=content(theirs))
    # Chunk counts: fewer than the input when it has small chunks, and comparable with
    # Rerun's optimize of the same file (within a chunk, or 10 %, per store).
    before, ours, rerun_counts = (chunks_per_store(run_reel, p) for p in (src, out, theirs))
    assert sorted(ours) == sorted(rerun_counts)
    for store, count in ours.items():
        assert count <= before[store], f"{store}: {before[store]} -> {count} chunks"
        assert count <= max(rerun_counts[store] + 1, rerun_counts[store] * 1.1), \
            f"{store}: reel {count} chunks, rerun {rerun_counts[store]}"
    if name in SMALL_CHUNK_FILES:
        recording = [k for k in ours if k[0] == "recording"]
        assert recording and all(ours[k] * 10 < before[k] for k in recording), (before, ours)
    print(f"{name}: chunks in {sum(before.values())}, reel {sum(ours.values())}, "
          f"rerun {sum(rerun_counts.values())}")


def test_blueprint_first_with_its_activation_after_it(inputs, tmp_path, run_reel):
    out = tmp_path / "bp.rrd"
    run_reel("rrd", "compact", inputs / "small_with_blueprint.rrd", "-o", out).assert_ok()
    lines = run_reel("rrd", "print", out).assert_ok().stdout.splitlines()[1:]
    kinds = [(line.split()[2], line.split()[3]) for line in lines]
    assert kinds[0] == ("SetStoreInfo", "blueprint")
    activation = kinds.index(("BlueprintActivationCommand", "blueprint"))
    assert all(k == ("ArrowMsg", "blueprint") for k in kinds[1:activation])
    assert kinds[activation + 1] == ("SetStoreInfo", "recording")
    assert kinds[-1][0] == "End"
    # The activation as the SDK sent it (Rerun's optimize rewrites it as make_active too).
    assert lines[activation].rstrip().endswith("make_default")
    # Each store's info once, although the SDK wrote it twice.
    assert [k[0] for k in kinds].count("SetStoreInfo") == 2


def test_several_inputs_keep_every_store(inputs, tmp_path, run_reel, rerun_cli):
    names = ["many_small.rrd", "small_with_blueprint.rrd", "layout.rbl"]
    out = tmp_path / "all.rrd"
    run_reel("rrd", "compact", *(inputs / n for n in names), "-o", out).assert_ok()
    rerun_verify(rerun_cli, out)
    want: dict = {}
    for name in names:
        want.update(content(inputs / name))
    assert len(want) == 4  # two recordings and two blueprints
    assert_compacted_content(want, content(out), "compact of 3 inputs")


def test_extra_passes_never_lose_rows(inputs, tmp_path, run_reel):
    """--num-pass 0 (the store's compaction alone) and the default agree on content, and the
    passes never leave more chunks."""
    src = inputs / "many_small.rrd"
    counts = {}
    for passes in ("0", "50"):
        out = tmp_path / f"passes_{passes}.rrd"
        run_reel("rrd", "compact", src, "-o", out, "--num-pass", passes).assert_ok()
        assert_compacted_content(content(src), content(out), f"--num-pass {passes}")
        counts[passes] = sum(chunks_per_store(run_reel, out).values())
    assert counts["50"] <= counts["0"]


# ---------------------------------------------------------------- bad input


def test_truncated_input_keeps_the_good_part(inputs, tmp_path, run_reel, rerun_cli):
    data = (inputs / "many_small.rrd").read_bytes()
    frames = frame_messages(data)
    k = len(frames) * 2 // 3
    offset, kind, length = frames[k]
    assert kind == 2  # an ArrowMsg
    cut, good = tmp_path / "cut.rrd", tmp_path / "good_part.rrd"
    cut.write_bytes(data[:offset + 16 + length // 2])
    good.write_bytes(data[:offset])  # a valid footer-less file: what came before the cut
    out = tmp_path / "from_cut.rrd"
    run = run_reel("rrd", "compact", cut, "-o", out)
    run.assert_no_crash()
    assert run.returncode == 2, run.stderr
    assert f"{cut}: message {k} at offset {offset}" in run.stderr, run.stderr
    assert "truncated" in run.stderr
    assert out.is_file() and "->" in run.stderr
    rerun_verify(rerun_cli, out)
    assert_compacted_content(content(good), content(out), "compact of a truncated file")


def test_corrupt_message_is_skipped_and_the_rest_kept(inputs, tmp_path, run_reel, rerun_cli):
    data = bytearray((inputs / "many_small.rrd").read_bytes())
    frames = frame_messages(bytes(data))
    k = len(frames) // 2
    offset, kind, length = frames[k]
    assert kind == 2
    data[offset + 16:offset + 18] = b"\xff\xff"  # an invalid protobuf tag
    bad, without = tmp_path / "bad.rrd", tmp_path / "without.rrd"
    bad.write_bytes(bytes(data))
    without.write_bytes(bytes(data[:offset] + data[offset + 16 + length:frames[-1][0]]))
    out = tmp_path / "from_bad.rrd"
    run = run_reel("rrd", "compact", bad, "-o", out)
    run.assert_no_crash()
    assert run.returncode == 2
    assert f"message {k} at offset {offset}" in run.stderr and "skipped" in run.stderr
    rerun_verify(rerun_cli, out)
    assert_compacted_content(content(without), content(out), "compact of a damaged file")


def test_standard_input(inputs, tmp_path, run_reel, rerun_cli):
    src, out = inputs / "small_with_blueprint.rrd", tmp_path / "from_stdin.rrd"
    run_reel("rrd", "compact", "-", "-o", out, stdin=src.read_bytes()).assert_ok()
    rerun_verify(rerun_cli, out)
    assert_compacted_content(content(src), content(out), "compact from stdin")
    cut = src.read_bytes()[:frame_messages(src.read_bytes())[40][0] + 20]
    run = run_reel("rrd", "compact", "-", "-o", out, stdin=cut)
    run.assert_no_crash()
    assert run.returncode == 2 and "<stdin>: message 40 at offset" in run.stderr, run.stderr
    rerun_verify(rerun_cli, out)


def test_garbage_input_exits_2(tmp_path, run_reel):
    for name, data in {"empty": b"", "text": b"not a recording\n" * 8}.items():
        path = tmp_path / f"{name}.rrd"
        path.write_bytes(data)
        run = run_reel("rrd", "compact", path, "-o", tmp_path / "out.rrd")
        run.assert_no_crash()
        assert run.returncode == 2 and str(path) in run.stderr, run.stderr
    run = run_reel("rrd", "compact", tmp_path / "missing.rrd", "-o", tmp_path / "out.rrd")
    run.assert_no_crash()
    assert run.returncode == 2 and "missing.rrd" in run.stderr


# ---------------------------------------------------------------- options and report


def max_rows_per_chunk(run_reel, path: Path, static: bool = False) -> int:
    printed = run_reel("rrd", "print", path).assert_ok().stdout
    rows = [int(m[1]) for m in re.finditer(r"ArrowMsg\s.*?rows=(\d+)(\s+static)?", printed)
            if bool(m[2]) == static]
    return max(rows)


def test_thresholds_from_flags_and_environment(inputs, tmp_path, run_reel, rerun_cli):
    src = inputs / "many_small.rrd"
    flag, env = tmp_path / "flag.rrd", tmp_path / "env.rrd"
    run_reel("rrd", "compact", src, "-o", flag, "--max-rows", "32").assert_ok()
    run_reel("rrd", "compact", src, "-o", env,
             env=tool_env(RERUN_CHUNK_MAX_ROWS="32")).assert_ok()
    assert max_rows_per_chunk(run_reel, flag) == 32
    assert chunks_per_store(run_reel, flag) == chunks_per_store(run_reel, env)
    # Unsorted chunks (plots/shuffled) have their own limit.
    unsorted = tmp_path / "unsorted.rrd"
    run_reel("rrd", "compact", src, "-o", unsorted, "--max-rows-if-unsorted", "16").assert_ok()
    printed = run_reel("rrd", "print", unsorted).assert_ok().stdout
    shuffled = [int(m[1]) for m in re.finditer(r"/plots/shuffled\s+rows=(\d+)", printed)]
    assert max(shuffled) == 16 and len(shuffled) == 240 // 16
    # A flag wins over the environment; sizes take Rerun's units.
    small = tmp_path / "small.rrd"
    run = run_reel("rrd", "compact", src, "-o", small, "--max-size", "2KiB", "--json",
                   env=tool_env(RERUN_CHUNK_MAX_BYTES="100000000"))
    report = json.loads(run.assert_ok().stdout)
    assert report["thresholds"]["max_bytes"] == 2048
    assert sum(s["after"]["chunks"] for s in report["stores"]) > \
        sum(chunks_per_store(run_reel, flag).values())
    rerun_verify(rerun_cli, small)
    assert_compacted_content(content(src), content(small), "--max-size 2KiB")


def test_profiles(inputs, tmp_path, run_reel):
    src = inputs / "many_small.rrd"
    out = tmp_path / "object_store.rrd"
    report = json.loads(run_reel("rrd", "compact", src, "-o", out, "--profile", "object-store",
                                 "--json").assert_ok().stdout)
    assert report["thresholds"] == {"max_bytes": 2 * 1024 * 1024, "max_rows": 65536,
                                    "max_rows_if_unsorted": 8192}
    report = json.loads(run_reel("rrd", "compact", src, "-o", out, "--json",
                                 env=tool_env(RERUN_CHUNK_MAX_BYTES="", RERUN_CHUNK_MAX_ROWS="",
                                              RERUN_CHUNK_MAX_ROWS_IF_UNSORTED="")
                                 ).assert_ok().stdout)
    assert report["thresholds"] == {"max_bytes": 384 * 1024, "max_rows": 4096,
                                    "max_rows_if_unsorted": 1024}


def test_json_report_agrees_with_stats(inputs, tmp_path, run_reel):
    src, out = inputs / "small_with_blueprint.rrd", tmp_path / "report.rrd"
    run = run_reel("rrd", "compact", src, "-o", out, "--json").assert_ok()
    report = json.loads(run.stdout)
    assert report["written"] is True and report["errors"] == 0
    assert report["bytes"] == out.stat().st_size
    before = {(s["kind"], s["recording_id"]): s for s in stats(run_reel, src)}
    after = {(s["kind"], s["recording_id"]): s for s in stats(run_reel, out)}
    assert len(report["stores"]) == 2
    for store in report["stores"]:
        key = (store["kind"], store["recording_id"])
        for side, table in (("before", before), ("after", after)):
            assert store[side]["chunks"] == table[key]["chunks"], (side, key)
            assert store[side]["static_chunks"] == table[key]["static_chunks"], (side, key)
            assert store[side]["rows"] == table[key]["rows"], (side, key)
            assert store[side]["bytes"] > table[key]["compressed_bytes"], (side, key)
        # The per-store text line says the same.
        assert f"chunks {store['before']['chunks']} -> {store['after']['chunks']}" in run.stderr
    # Bytes: the ArrowMsg messages, headers included, of each side.
    for side, path in (("before", src), ("after", out)):
        framed = sum(16 + length for _, kind, length in frame_messages(path.read_bytes())
                     if kind == 2)
        assert sum(s[side]["bytes"] for s in report["stores"]) == framed, side


@pytest.mark.parametrize("args", [
    ["x.rrd"], ["-o"], ["-o", "out.rrd"], ["x.rrd", "-o", "out.rrd", "--bogus"],
    ["x.rrd", "-o", "out.rrd", "--max-rows", "many"],
    ["x.rrd", "-o", "out.rrd", "--max-rows", "-3"],
    ["x.rrd", "-o", "out.rrd", "--max-size", "2 parsecs"],
    ["x.rrd", "-o", "out.rrd", "--max-size"],
    ["x.rrd", "-o", "out.rrd", "--profile", "fast"],
    ["x.rrd", "-o", "out.rrd", "--num-pass", "x"],
], ids=lambda a: " ".join(a))
def test_wrong_arguments_exit_1(run_reel, args):
    run = run_reel("rrd", "compact", *args)
    run.assert_no_crash()
    assert run.returncode == 1, run.stderr
    assert "rrd compact" in run.stderr and run.stdout == ""


def test_help(run_reel):
    for flag in ("--help", "-h"):
        run = run_reel("rrd", "compact", flag).assert_ok()
        assert "usage: reel rrd compact" in run.stdout
        for option in ("--max-size", "--max-rows", "--max-rows-if-unsorted", "--profile",
                       "--num-pass", "--json"):
            assert option in run.stdout
