# Thin wrapper over the CMake presets (CMakePresets.json). Everything real lives in CMake.
#   make demo    install dependencies if missing, build, render the demo scene
#   make test    install dependencies if missing, build, run every test with ctest
#   make bench   run pavilion-bench (Google Benchmark)
#   make asan    build and test under AddressSanitizer + UBSan
# PRESET=debug|release|asan picks the preset for build/test (default: release, in build/).

PRESET ?= release
JOBS ?= $(shell nproc)
BUILD_DIR_release := build
BUILD_DIR_debug := build-debug
BUILD_DIR_asan := build-asan
BUILD_DIR := $(BUILD_DIR_$(PRESET))

export XDG_RUNTIME_DIR ?= $(CURDIR)/$(BUILD_DIR)/.xdg-runtime

.PHONY: all deps configure build demo test bench asan clean

all: build

deps:
	@tools/install-deps.sh

$(BUILD_DIR)/CMakeCache.txt: | deps
	cmake --preset $(PRESET)

configure: deps
	cmake --preset $(PRESET)

build: deps $(BUILD_DIR)/CMakeCache.txt
	@mkdir -p $(XDG_RUNTIME_DIR) && chmod 700 $(XDG_RUNTIME_DIR)
	cmake --build --preset $(PRESET) -j $(JOBS)

demo: build
	$(BUILD_DIR)/bin/pavilion demo --out $(BUILD_DIR)/demo

test: build
	ctest --preset $(PRESET) -j $(JOBS)

bench:
	$(MAKE) build PRESET=release
	build/bin/pavilion-bench

asan:
	$(MAKE) test PRESET=asan

clean:
	rm -rf build build-debug build-asan
