# Harrier build. `make` builds build/harrier-inspect (and the other tools);
# `make test` runs the whole suite; `make bench` prints benchmark figures.
# Every .c under src/ is part of the core library except src/cli/*_main.c,
# each of which becomes one program.

SPEC     ?= ../shared/spec
BUILD    ?= build
CC       ?= cc
PYTHON   ?= python3
OPT      ?= -O2 -g
SANITIZE ?=
CFLAGS   += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror $(OPT) $(SANITIZE) -Isrc -I$(BUILD)/gen
LDLIBS   += -lz -lpcre2-8 -lyaml -lm $(SANITIZE)

LIB_SRC  := $(filter-out src/cli/%_main.c %.bpf.c,$(shell find src -name '*.c' | sort))
MAIN_SRC := $(wildcard src/cli/*_main.c)
GEN_SRC  := $(BUILD)/gen/event_table.c
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/event_table.o $(BUILD)/obj/gen/event_merge_table.o
PROGRAMS := $(patsubst src/cli/%_main.c,$(BUILD)/%,$(MAIN_SRC))
TEST_SRC := $(wildcard tests/unit/*.c)

.SECONDARY:
.PHONY: all clean test test-asan asan deps run bench fuzz
all: $(PROGRAMS) $(BUILD)/unit-tests

$(GEN_SRC): tools/gen_event_table.py $(SPEC)/event_table.tsv $(SPEC)/flags_tables.tsv $(SPEC)/ppm_sc.tsv
	@mkdir -p $(dir $@)
	$(PYTHON) tools/gen_event_table.py $(SPEC) $@

$(BUILD)/obj/gen/event_table.o: $(GEN_SRC)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

# The newest libs' conversion rules for old event layouts (src/event/event_merge.c).
$(BUILD)/gen/event_merge_table.c: tools/gen_event_merge.py $(SPEC)/event_table.tsv
	@mkdir -p $(dir $@)
	$(PYTHON) tools/gen_event_merge.py $(SPEC) $@

$(BUILD)/obj/gen/event_merge_table.o: $(BUILD)/gen/event_merge_table.c src/event/event_merge_rules.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libharrier.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/%: $(BUILD)/obj/src/cli/%_main.o $(BUILD)/libharrier.a
	$(CC) $(CFLAGS) $^ -o $@ $(LDLIBS)

$(BUILD)/unit-tests: $(TEST_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/libharrier.a
	$(CC) $(CFLAGS) $^ -o $@ $(LDLIBS)

# Live capture: the eBPF probe is compiled by clang against the running
# kernel's BTF (CO-RE, no kernel headers) and embedded through its libbpf
# skeleton, which src/capture/live/live_source.c includes.
BPF_CLANG ?= clang
BPFTOOL   ?= bpftool
BPF_ARCH  ?= x86
LDLIBS    += -lbpf -lelf

# Container metadata comes from the runtimes' APIs over unix sockets
# (src/state/container_runtime.c) through libcurl, which is opened with
# dlopen at its first use (src/state/lazy_curl.c), so it is not linked.
LDLIBS    += -lpthread

$(BUILD)/gen/vmlinux.h:
	@mkdir -p $(dir $@)
	$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/probe.bpf.o: src/capture/live/probe.bpf.c src/capture/live/probe_shared.h $(BUILD)/gen/vmlinux.h
	$(BPF_CLANG) -target bpf -D__TARGET_ARCH_$(BPF_ARCH) -g -O2 -Wall -Werror -I$(BUILD)/gen -Isrc/capture/live -c $< -o $@

$(BUILD)/gen/probe.skel.h: $(BUILD)/gen/probe.bpf.o
	$(BPFTOOL) gen skeleton $< name hr_probe > $@.tmp && mv $@.tmp $@

# x86_64 syscall numbers to names, for generic events (ID = PPM_SC code by name).
SYSCALL_HDR ?= /usr/include/x86_64-linux-gnu/asm/unistd_64.h
$(BUILD)/gen/syscall_names_native.h: $(SYSCALL_HDR)
	@mkdir -p $(dir $@)
	awk '/^#define __NR_/ { printf "\t[%s] = \"%s\",\n", $$3, substr($$2, 6) }' $< > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/src/capture/live/live_source.o: $(BUILD)/gen/probe.skel.h $(BUILD)/gen/syscall_names_native.h

# The kernel types the probe's CO-RE relocations use, cut from this kernel's
# BTF, with the kernel's notes (its build id): on the same kernel the load
# relocates against these few types instead of searching the whole BTF.
$(BUILD)/gen/probe_btf.h: $(BUILD)/gen/probe.bpf.o tools/embed_probe_btf.py
	$(BPFTOOL) gen min_core_btf /sys/kernel/btf/vmlinux $(BUILD)/gen/probe.min.btf $<
	cat /sys/kernel/notes > $(BUILD)/gen/kernel.notes
	$(PYTHON) tools/embed_probe_btf.py $(BUILD)/gen/probe.min.btf $(BUILD)/gen/kernel.notes > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/src/capture/live/live_source.o: $(BUILD)/gen/probe_btf.h

# Benchmark helpers built by bench/live_bench.py: bench/NAME.c linked with the library.
$(BUILD)/bench/%: bench/%.c $(BUILD)/libharrier.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $^ -o $@ $(LDLIBS)

# The same programs with AddressSanitizer + UndefinedBehaviorSanitizer.
asan:
	$(MAKE) BUILD=build/asan OPT="-O1 -g -fno-omit-frame-pointer" \
	    SANITIZE="-fsanitize=address,undefined -fno-sanitize-recover=all" all

deps:
	@tools/install-deps.sh

# Quick start: build, then show Harrier at work on this machine.
run: deps all
	tools/quickstart-run.sh

# The whole suite: normal build, then again under ASan+UBSan.
test: deps all asan
	$(PYTHON) tests/run.py

# Capture reading and filters, the rules (replay and scaling), then live
# capture (needs root): each prints its figures next to its reference.
bench: deps all
	$(PYTHON) bench/run.py --build $(BUILD)
	$(PYTHON) bench/rules_bench.py --build $(BUILD)
	$(PYTHON) bench/live_bench.py --build $(BUILD)

fuzz: deps
	$(MAKE) -f fuzz/Makefile

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
