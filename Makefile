# Front door of the project. Every target installs what it needs (scripts/setup.sh is
# idempotent and fast when nothing is missing).
SHELL := /bin/bash
.DEFAULT_GOAL := help

PY := $(CURDIR)/.venv/bin/python
export PYTHONPATH := $(CURDIR)/host
export PATH := $(CURDIR)/.venv/bin:$(PATH)
HOST_BUILD := build/host
RV32_BUILD := build/rv32
# One sanitized build serves the ASan+UBSan unit tests and the libFuzzer targets.
ASAN_BUILD := build/host-asan
FUZZ_BUILD := $(ASAN_BUILD)
CMAKE_HOST := CC=clang-22 CXX=clang++-22 cmake -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
PYTEST := $(PY) -m pytest -q -rs
SECONDS ?= 60

.PHONY: help setup host firmware asan test test-unit test-py smoke demo \
        test-protocol test-vm test-models fuzz fuzz-smoke profile bench clean

help:
	@echo "make demo      evaluate the magic-wand model on the simulated accelerator (the main job)"
	@echo "make test      the whole test suite (host unit tests, simulator and end-to-end tests)"
	@echo "make firmware  build the rv32 firmware        make smoke   boot it and run its self-test"
	@echo "make test-protocol | test-vm | test-models | fuzz-smoke | fuzz SECONDS=N | profile | bench"

setup:
	@scripts/setup.sh

$(HOST_BUILD)/build.ninja: | setup
	$(CMAKE_HOST) -S . -B $(HOST_BUILD)

host: setup $(HOST_BUILD)/build.ninja
	cmake --build $(HOST_BUILD)

$(RV32_BUILD)/build.ninja: | setup
	cmake -G Ninja -S . -B $(RV32_BUILD) -DCMAKE_TOOLCHAIN_FILE=cmake/rv32-clang.cmake \
	      -DCMAKE_BUILD_TYPE=Release

firmware: setup $(RV32_BUILD)/build.ninja
	cmake --build $(RV32_BUILD)

$(ASAN_BUILD)/build.ninja: | setup
	$(CMAKE_HOST) -S . -B $(ASAN_BUILD) -DBMRT_SANITIZE=ON -DBMRT_FUZZ=ON

asan: setup $(ASAN_BUILD)/build.ninja
	cmake --build $(ASAN_BUILD)

test-unit: host asan
	ctest --test-dir $(HOST_BUILD) --output-on-failure
	ctest --test-dir $(ASAN_BUILD) --output-on-failure

test-py: host firmware
	$(PYTEST) tests/py

# pytest runs last so that its summary closes the output.
test: test-unit fuzz-smoke test-py

smoke: firmware
	$(PY) -m bmrt smoke --firmware $(RV32_BUILD)/platform/qemu-virt-rv32/bmrt-firmware.elf

demo: host firmware
	$(PY) -m bmrt evaluate

test-protocol: host firmware
	ctest --test-dir $(HOST_BUILD) --output-on-failure -L protocol
	$(PYTEST) tests/py/protocol

test-vm: host
	ctest --test-dir $(HOST_BUILD) --output-on-failure -L vm
	$(PYTEST) tests/py/vm

test-models: host firmware
	$(PYTEST) tests/py/models

fuzz-smoke: setup $(ASAN_BUILD)/build.ninja
	cmake --build $(FUZZ_BUILD) --target bmrt_fuzzers
	$(PY) -m bmrt.fuzz --build $(FUZZ_BUILD) --seconds 60

fuzz: setup $(ASAN_BUILD)/build.ninja
	cmake --build $(FUZZ_BUILD) --target bmrt_fuzzers
	$(PY) -m bmrt.fuzz --build $(FUZZ_BUILD) --seconds $(SECONDS)

profile: host firmware
	$(PY) -m bmrt evaluate --profile

bench: host firmware
	$(PY) -m bmrt.bench

clean:
	rm -rf build
