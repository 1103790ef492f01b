# tests/fuzz/fuzz.mk — libFuzzer harnesses (clang, ASan + UBSan) for every parser, built into build/fuzz/.
# Included from the Makefile, or run alone from the tree's root: make -f tests/fuzz/fuzz.mk fuzz-quick
#   fuzz-build   builds build/fuzz/<harness> (the core compiled again with clang and sanitizers)
#   fuzz-quick   each harness over its committed corpus, then -runs=FUZZ_RUNS (20000) with -seed=1
#                (FUZZ_RUNS_<harness> for one); fails on any crash, leak, sanitizer report or broken invariant
#   fuzz         each harness for FUZZ_SECONDS (60); new inputs go to build/fuzz/corpus-<harness>/
#   fuzz-quick-<harness>, fuzz-long-<harness>: one harness; fuzz-list names them; fuzz-clean
# tests/fuzz/run.sh runs fuzz-quick as a test suite (ok/not ok per harness, "N passed, N failed").
# A crash leaves its input in build/fuzz/artifacts/; replay it with build/fuzz/<harness> FILE.
# Paths are relative to the tree's root; every variable here starts with FUZZ_ so as not to clash.

FUZZ_STANDALONE := $(if $(filter $(lastword $(MAKEFILE_LIST)),$(firstword $(MAKEFILE_LIST))),1,)
FUZZ_SAVED_GOAL := $(.DEFAULT_GOAL)

FUZZ_CC      ?= clang
FUZZ_RUNS    ?= 20000
FUZZ_SECONDS ?= 60
FUZZ_B       := build/fuzz
FUZZ_DIR     := tests/fuzz
FUZZ_HARNESSES := urlencoded cookies multipart validate json_body request render words mailtmpl document csv vcard
FUZZ_Q       := $(if $(filter 1,$(V)),,@)

FUZZ_PKGS    := fcgi libmariadb libcurl libsodium json-c
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS  := -std=c11 -g -O1 -D_GNU_SOURCE -Wall -Wextra -Wno-unused-parameter $(FUZZ_SAN) \
	-I/usr/include/ClearSilver $(shell pkg-config --cflags $(FUZZ_PKGS) 2>/dev/null) \
	-Imodules/core -DFUZZ_ROOT='"$(CURDIR)"' -MMD -MP
FUZZ_LIBS    := $(shell pkg-config --libs $(FUZZ_PKGS) 2>/dev/null) -lneo_cgi -lneo_cs -lneo_utl -lz

FUZZ_CORE_OBJ := $(patsubst modules/core/%.c,$(FUZZ_B)/obj/core/%.o,$(wildcard modules/core/*.c))
FUZZ_BINS     := $(FUZZ_HARNESSES:%=$(FUZZ_B)/fuzz_%)

# libFuzzer options shared by both runs; a harness's dictionary is used when it exists.
FUZZ_OPTS = -timeout=10 -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 \
	-artifact_prefix=$(FUZZ_B)/artifacts/$(1)- \
	$(if $(wildcard $(FUZZ_DIR)/fuzz_$(1).dict),-dict=$(FUZZ_DIR)/fuzz_$(1).dict,)
# Sanitizer settings for the fuzz runs only (a caller's own ASAN_OPTIONS/UBSAN_OPTIONS win).
FUZZ_ENV = ASAN_OPTIONS=$${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1} \
	UBSAN_OPTIONS=$${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

.PHONY: fuzz-build fuzz-quick fuzz fuzz-list fuzz-clean $(FUZZ_HARNESSES:%=fuzz-quick-%) $(FUZZ_HARNESSES:%=fuzz-long-%)

fuzz-build: $(FUZZ_BINS)

fuzz-list:
	@echo $(FUZZ_HARNESSES)

fuzz-clean:
	rm -rf $(FUZZ_B)

# Coverage instrumentation for the core; the harness link adds libFuzzer's main.
$(FUZZ_B)/obj/core/%.o: modules/core/%.c
	@mkdir -p $(dir $@)
	@$(if $(FUZZ_Q),echo "  CC      $@")
	$(FUZZ_Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_B)/obj/fuzz/%.o: $(FUZZ_DIR)/%.c
	@mkdir -p $(dir $@)
	@$(if $(FUZZ_Q),echo "  CC      $@")
	$(FUZZ_Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_B)/libcrm-fuzz.a: $(FUZZ_CORE_OBJ)
	@$(if $(FUZZ_Q),echo "  AR      $@")
	$(FUZZ_Q)rm -f $@ && ar rcs $@ $^

$(FUZZ_B)/fuzz_%: $(FUZZ_B)/obj/fuzz/fuzz_%.o $(FUZZ_B)/libcrm-fuzz.a
	@$(if $(FUZZ_Q),echo "  LD      $@")
	$(FUZZ_Q)$(FUZZ_CC) -fsanitize=fuzzer $(FUZZ_SAN) -o $@ $^ $(FUZZ_LIBS)

# Quick run: a scratch directory comes first, so new inputs never land in the committed corpus.
$(FUZZ_HARNESSES:%=fuzz-quick-%): fuzz-quick-%: $(FUZZ_B)/fuzz_%
	@rm -rf $(FUZZ_B)/quick-$* && mkdir -p $(FUZZ_B)/quick-$* $(FUZZ_B)/artifacts
	$(FUZZ_Q)if $(FUZZ_ENV) $(FUZZ_B)/fuzz_$* $(call FUZZ_OPTS,$*) -seed=1 -runs=$(or $(FUZZ_RUNS_$*),$(FUZZ_RUNS)) \
		$(FUZZ_B)/quick-$* $(FUZZ_DIR)/corpus/$* >$(FUZZ_B)/quick-$*.log 2>&1; then \
		echo "fuzz: $*: $$(sed -n 's/^stat::number_of_executed_units: *//p' $(FUZZ_B)/quick-$*.log) runs, no finding"; \
	else \
		tail -n 60 $(FUZZ_B)/quick-$*.log; \
		echo "fuzz: $*: FAILED (log: $(FUZZ_B)/quick-$*.log, input: $(FUZZ_B)/artifacts/$*-*)"; \
		exit 1; \
	fi

fuzz-quick: $(FUZZ_HARNESSES:%=fuzz-quick-%)

# Long run: new corpus entries go to build/fuzz/corpus-<harness>/ (merge them by hand if worth keeping).
$(FUZZ_HARNESSES:%=fuzz-long-%): fuzz-long-%: $(FUZZ_B)/fuzz_%
	@mkdir -p $(FUZZ_B)/corpus-$* $(FUZZ_B)/artifacts
	$(FUZZ_Q)if $(FUZZ_ENV) $(FUZZ_B)/fuzz_$* $(call FUZZ_OPTS,$*) -max_total_time=$(FUZZ_SECONDS) \
		$(FUZZ_B)/corpus-$* $(FUZZ_DIR)/corpus/$* >$(FUZZ_B)/long-$*.log 2>&1; then \
		echo "fuzz: $*: $$(sed -n 's/^stat::number_of_executed_units: *//p' $(FUZZ_B)/long-$*.log) runs in $(FUZZ_SECONDS) s, no finding"; \
	else \
		tail -n 60 $(FUZZ_B)/long-$*.log; \
		echo "fuzz: $*: FAILED (log: $(FUZZ_B)/long-$*.log, input: $(FUZZ_B)/artifacts/$*-*)"; \
		exit 1; \
	fi

fuzz: $(FUZZ_HARNESSES:%=fuzz-long-%)

# Keep the objects between runs (they would otherwise count as intermediate files).
.SECONDARY: $(FUZZ_CORE_OBJ) $(FUZZ_HARNESSES:%=$(FUZZ_B)/obj/fuzz/fuzz_%.o)

-include $(wildcard $(FUZZ_B)/obj/core/*.d $(FUZZ_B)/obj/fuzz/*.d)

# Included: leave the Makefile's default goal alone. Alone: default to fuzz-build.
ifeq ($(FUZZ_STANDALONE),1)
.DEFAULT_GOAL := fuzz-build
else
.DEFAULT_GOAL := $(FUZZ_SAVED_GOAL)
endif
