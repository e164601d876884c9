#!/usr/bin/env python3
"""Writes include/reel/archetype_list.h: every archetype struct of src/types/rerun_types.def
with its id, as the X-macro list that reel_log's _Generic needs (a _Generic cannot #include
the .def file). Run from the repository root after regenerating rerun_types.def:
    python3 src/sdk/gen_archetype_list.py
include/reel/reel.h statically asserts that the list and the .def file agree in length."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
entries = []
for line in (ROOT / "src/types/rerun_types.def").read_text().splitlines():
    m = re.match(r'REEL_ARCHETYPE_BEGIN\((\w+), (\w+), "[^"]+", (\w+)\)', line)
    if m:
        ident, snake, tier = m.groups()
        prefix = "reel_blueprint_" if tier == "BLUEPRINT" else "reel_"
        entries.append(f"    X({prefix}{snake}, {ident})")
body = " \\\n".join(entries)
(ROOT / "include/reel/archetype_list.h").write_text(f"""/* GENERATED from src/types/rerun_types.def by src/sdk/gen_archetype_list.py; do not edit.
 * Every archetype struct and its id, in the .def file's order, as one X-macro list, so that
 * reel_log's _Generic can name every struct type. reel.h statically asserts that the list
 * has as many entries as the .def file has archetypes. */
#ifndef REEL_ARCHETYPE_LIST_H
#define REEL_ARCHETYPE_LIST_H

/* clang-format off */
#define REEL__ARCHETYPE_LIST(X) \\
{body}
/* clang-format on */

#endif
""")
