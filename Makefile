# Front door for building and testing Reel; CMake does the real work. `make` builds
# build/ (Release), `make test` runs everything CI runs, `make demo` shows what works.
# Other targets: install (PREFIX=/usr/local), bench, fuzz (FUZZ_SECONDS=60 per target),
# web (the WebAssembly build in build-web), format, setup, clean.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

BUILD_DIR := build
ASAN_DIR := build-asan
FUZZ_DIR := build-fuzz
WEB_DIR := build-web
FUZZ_SECONDS ?= 60
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
PYTHON := .venv/bin/python
FUZZ_CC ?= $(shell command -v clang-14 2>/dev/null || command -v clang 2>/dev/null)
CLANG_FORMAT ?= clang-format-14
FORMAT_DIRS := $(wildcard src include tests fuzz bench)

# $(call configure,DIR,CMAKE ARGS...): (re)configure DIR, choosing Ninja when available
# and the directory is new (an existing build keeps its generator).
define configure
	gen=(); if [ ! -f $(1)/CMakeCache.txt ] && command -v ninja >/dev/null; then gen=(-G Ninja); fi; \
	cmake -S . -B $(1) "$${gen[@]}" $(2)
endef

# $(call ctest,DIR)
define ctest
	ctest --test-dir $(1) --output-on-failure --parallel $(JOBS)
endef

.PHONY: all build build-asan web test demo bench fuzz format setup clean distclean install size \
	bench-rust

all: build

build:
	$(call configure,$(BUILD_DIR),-DCMAKE_BUILD_TYPE=Release -DREEL_SANITIZE=OFF)
	cmake --build $(BUILD_DIR) --parallel $(JOBS)

build-asan:
	$(call configure,$(ASAN_DIR),-DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS_DEBUG="-O1 -g" -DREEL_SANITIZE=ON)
	cmake --build $(ASAN_DIR) --parallel $(JOBS)

# The browser build: emscripten (Debian's 3.1.6) through emcmake, the modules that have no
# native-only dependency, and the web app build-web/web/index.{html,js,wasm}. NODE_PATH lets
# emcc's optimiser find Debian's acorn (shared/reference/toolchain.md (d)).
web:
	@command -v emcmake >/dev/null || { echo "make web: emcmake not found (run scripts/setup)"; exit 1; }
	export NODE_PATH=/usr/share/nodejs; \
	gen=(); if [ ! -f $(WEB_DIR)/CMakeCache.txt ] && command -v ninja >/dev/null; then gen=(-G Ninja); fi; \
	emcmake cmake -S . -B $(WEB_DIR) "$${gen[@]}" -DCMAKE_BUILD_TYPE=Release; \
	cmake --build $(WEB_DIR) --parallel $(JOBS)
	@ls -l $(WEB_DIR)/web/index.html $(WEB_DIR)/web/index.js $(WEB_DIR)/web/index.wasm

setup:
	scripts/setup

# Installs headers, libreel.a/.so, reel.pc, the CMake package and the `reel` binary.
PREFIX ?= /usr/local
install: build
	cmake --install $(BUILD_DIR) --prefix $(PREFIX)

test: setup
	$(MAKE) --no-print-directory build build-asan web
	@echo "== unit + fuzz replay tests (Release) =="
	$(call ctest,$(BUILD_DIR))
	@echo "== unit + fuzz replay tests (ASan + UBSan) =="
	$(call ctest,$(ASAN_DIR))
	@if compgen -G 'tests/interop/test_*.py' >/dev/null || compgen -G 'tests/interop/*_test.py' >/dev/null; then \
		echo "== interop tests (pytest) =="; \
		REEL_BUILD_DIR=$(CURDIR)/$(BUILD_DIR) $(PYTHON) -m pytest -q -p no:cacheprovider tests/interop; \
		echo "== interop tests (pytest) with the ASan + UBSan tools =="; \
		REEL_BUILD_DIR=$(CURDIR)/$(ASAN_DIR) REEL_CTYPES_DIR=$(CURDIR)/$(BUILD_DIR) \
			$(PYTHON) -m pytest -q -p no:cacheprovider tests/interop; \
	else \
		echo "== no interop tests in tests/interop yet: pytest skipped =="; \
	fi

demo: setup
	$(MAKE) --no-print-directory build
	scripts/demo

bench: setup build
	@found=0; for exe in $(BUILD_DIR)/bench_*; do \
		[ -f "$$exe" ] && [ -x "$$exe" ] || continue; \
		found=1; echo "== $$exe =="; "$$exe"; \
	done; \
	[ $$found = 1 ] || echo "no benchmarks built (bench/bench_*.c)"; \
	for script in bench/*.py; do \
		[ -f "$$script" ] || continue; \
		echo "== $$script =="; $(PYTHON) "$$script"; \
	done; \
	echo "== scripts/lib_size =="; scripts/lib_size

# The Rust `rerun` crate for bench/log_bench.py's third column (optional, slow).
bench-rust:
	scripts/build_rust_bench

# The installed libreel.a against DESIGN.md's 1 MiB budget, by ELF section.
size: build
	scripts/lib_size --members 10

# Each target fuzzes for FUZZ_SECONDS. New corpus entries go to build-fuzz/corpus-<name>
# (copy the useful ones into fuzz/corpus/<name> deliberately); crashes land in
# fuzz/crashes/<name>/, where ctest replays them until they are fixed.
fuzz: setup
	@[ -n "$(FUZZ_CC)" ] || { echo "make fuzz: clang-14 or clang not found (run scripts/setup)"; exit 1; }
	$(call configure,$(FUZZ_DIR),-DCMAKE_C_COMPILER=$(FUZZ_CC) -DCMAKE_BUILD_TYPE=Release -DREEL_FUZZ=ON)
	cmake --build $(FUZZ_DIR) --parallel $(JOBS)
	@failed=(); for src in fuzz/fuzz_*.c; do \
		[ -f "$$src" ] || { echo "no fuzz targets (fuzz/fuzz_*.c)"; break; }; \
		name=$$(basename "$$src" .c); name=$${name#fuzz_}; \
		mkdir -p fuzz/corpus/$$name fuzz/crashes/$$name $(FUZZ_DIR)/corpus-$$name; \
		echo "== fuzz_$$name for $(FUZZ_SECONDS) s =="; \
		./$(FUZZ_DIR)/fuzz_$$name -max_total_time=$(FUZZ_SECONDS) \
			-artifact_prefix=fuzz/crashes/$$name/ \
			$(FUZZ_DIR)/corpus-$$name fuzz/corpus/$$name || failed+=($$name); \
	done; \
	if [ $${#failed[@]} -gt 0 ]; then echo "fuzz: failures in: $${failed[*]} (see fuzz/crashes/)"; exit 1; fi

format:
	$(if $(FORMAT_DIRS),find $(FORMAT_DIRS) -type f \( -name '*.c' -o -name '*.h' \) -print0 \
		| xargs -0 -r $(CLANG_FORMAT) -i)
	$(if $(wildcard *.c *.h),$(CLANG_FORMAT) -i $(wildcard *.c *.h))

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR) $(FUZZ_DIR) $(WEB_DIR)

# Also drops the Python venv (scripts/setup recreates it).
distclean: clean
	rm -rf .venv
