# Makefile — builds the four FastCGI programs and crmctl into build/; run, test, install.
# Quiet unless V=1. Override PREFIX, DESTDIR, CC, CFLAGS here or in config.mk.
-include config.mk

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
CFLAGS  ?= -O2 -g
SANITIZE ?=

ifeq ($(V),1)
Q :=
else
Q := @
endif

PKGS     := fcgi libmariadb libcurl libsodium json-c
CS_FLAGS := -I/usr/include/ClearSilver
CS_LIBS  := -lneo_cgi -lneo_cs -lneo_utl -lz

WARN     := -Wall -Wextra -Wformat=2 -Wshadow -Wpointer-arith -Wstrict-prototypes -Wno-unused-parameter
HARDEN   := -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
ifeq ($(SANITIZE),1)
HARDEN   := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDSAN    := -fsanitize=address,undefined
endif

ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(HARDEN) $(CFLAGS) $(CS_FLAGS) \
	$(shell pkg-config --cflags $(PKGS) 2>/dev/null) -Imodules/core -Imodules/contacts -MMD -MP
ALL_LDFLAGS = -pie $(LDSAN) $(LDFLAGS)
LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) $(CS_LIBS)

B ?= build
CORE_SRC := $(wildcard modules/core/*.c)
CORE_OBJ := $(CORE_SRC:%.c=$(B)/obj/%.o)
MODULES  := contacts connections settings portal
PROGRAMS := $(MODULES:%=$(B)/%.fcgi) $(B)/crmctl

UNIT_SRC := $(wildcard tests/unit/*.c)
UNIT_OBJ := $(UNIT_SRC:%.c=$(B)/obj/%.o)

.PHONY: all run test test-sanitize test-valgrind check-deep unit install clean deps bench bench-tools
all: $(PROGRAMS)

$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/libcrm.a: $(CORE_OBJ)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

define program
$(B)/$(1).fcgi: $(B)/obj/cgi-bin/$(1).o $(patsubst %.c,$(B)/obj/%.o,$(wildcard modules/$(1)/*.c)) $(B)/libcrm.a
	@$$(if $$(Q),echo "  LD      $$@")
	$$(Q)$$(CC) $$(ALL_LDFLAGS) -o $$@ $$^ $$(LIBS)
endef
$(foreach m,$(MODULES),$(eval $(call program,$(m))))

$(B)/crmctl: $(patsubst %.c,$(B)/obj/%.o,$(wildcard modules/crmctl/*.c)) $(B)/libcrm.a
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

# Unit tests link the core and the module objects (not their main()).
$(B)/tests/unit: $(UNIT_OBJ) $(patsubst %.c,$(B)/obj/%.o,$(wildcard modules/contacts/*.c)) $(B)/libcrm.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

unit: $(B)/tests/unit

# make bench: the load generator and the FastCGI baseline of tools/bench/ (see README, "make bench").
$(B)/bench/gen: $(B)/obj/tools/bench/gen.o $(B)/libcrm.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS) -lm

$(B)/bench/hello: $(B)/obj/tools/bench/hello.o
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

bench-tools: $(B)/bench/gen $(B)/bench/hello

BENCH_N ?= 1000000
BENCH_DURATION ?= 5
BENCH_CONCURRENCY ?= 1 16 64
bench:
	$(Q)bash tools/deps.sh bench
	$(Q)$(MAKE) --no-print-directory all bench-tools
	$(Q)BENCH_N="$(BENCH_N)" BENCH_DURATION="$(BENCH_DURATION)" BENCH_CONCURRENCY="$(BENCH_CONCURRENCY)" \
		bash tools/bench/bench.sh

deps:
	$(Q)bash tools/deps.sh build

run:
	$(Q)bash tools/run.sh

test:
	$(Q)bash tools/deps.sh test
	$(Q)$(MAKE) --no-print-directory all unit bench-tools
	$(Q)bash tests/run.sh

# The integration suite against an AddressSanitizer/UBSan build kept apart in build/san
# (so the normal and the sanitized objects never mix); any report fails the run.
test-sanitize:
	$(Q)bash tools/deps.sh test
	$(Q)$(MAKE) --no-print-directory B=build/san SANITIZE=1 all
	$(Q)CRM_BIN=$(CURDIR)/build/san CRM_SANITIZE=1 TESTS=integration bash tests/run.sh

# A subset of the integration suite through nginx with every program (master and worker) under
# valgrind memcheck: any invalid access, use of uninitialised memory or definite leak fails the run.
# VALGRIND_TESTS (a CRM_TEST_ONLY regex) chooses the tests; valgrind makes the programs ~30x slower.
# VALGRIND_ALL (make check-deep): the whole nginx suite but the tests that SIGKILL workers, stop the
# database or measure a worker's RSS (valgrind's own memory).
VALGRIND_TESTS ?= ^\[nginx\] (login (page|with right|honours|ignores)|wrong password|logout redirects|contact list|search q|paging via|API (list|next|limit)|malformed|30 MB|5 MB|contact: (Save creates|stale version gets|the conflict view|an edit writes|delete moves|restore brings|every field entered)|connections: (customer form Save|connect search finds|API lead convert)|settings: (crm_admin creates|the template list|the outbox lists)|injection: (setup|(GET|POST) /contacts:|POST /api/v1/contacts:)|portal injection: (setup|GET /tickets/\#:|POST /tickets:|POST /profile:|POST /documents:|afterwards)|portal isolation|a 64 KB|path traversal|login next)|^portal: |^outbox: a queued|^\[data\] (CSV export: the filtered|import: a CSV with a BOM|vCard import)
VALGRIND_ALL := ^(?!.*(\[apache\]|faults|soak|worker killed|database stopped|memory stays flat))
test-valgrind:
	$(Q)bash tools/deps.sh test
	$(Q)$(MAKE) --no-print-directory all
	$(Q)CRM_VALGRIND=1 CRM_TEST_ONLY='$(VALGRIND_TESTS)' CRM_TEST_RUNNER_TIMEOUT=$${CRM_TEST_RUNNER_TIMEOUT:-3600} \
		TESTS=integration bash tests/run.sh

# The long versions of the security and reliability proof (not part of make test): every fuzz
# harness for DEEP_FUZZ_SECONDS, a 10-minute soak through nginx, the sanitizer suite, then the
# valgrind run over the whole nginx suite.
DEEP_FUZZ_SECONDS ?= 120
DEEP_SOAK_SECONDS ?= 600
check-deep:
	$(Q)bash tools/deps.sh test
	$(Q)$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(DEEP_FUZZ_SECONDS)
	$(Q)$(MAKE) --no-print-directory all
	$(Q)CRM_SOAK_SECONDS=$(DEEP_SOAK_SECONDS) CRM_TEST_ONLY='soak' TESTS=integration bash tests/run.sh
	$(Q)$(MAKE) --no-print-directory test-sanitize
	$(Q)$(MAKE) --no-print-directory test-valgrind VALGRIND_TESTS='$(VALGRIND_ALL)'

install: all
	install -d $(DESTDIR)$(PREFIX)/lib/crm/cgi-bin $(DESTDIR)$(PREFIX)/bin \
		$(DESTDIR)$(PREFIX)/share/crm $(DESTDIR)$(PREFIX)/share/doc/crm/conf
	install -m 0755 $(MODULES:%=$(B)/%.fcgi) $(DESTDIR)$(PREFIX)/lib/crm/cgi-bin/
	install -m 0755 $(B)/crmctl $(DESTDIR)$(PREFIX)/bin/crmctl
	cp -R templates sql $(DESTDIR)$(PREFIX)/share/crm/
	cp -R conf/. $(DESTDIR)$(PREFIX)/share/doc/crm/conf/

clean:
	rm -rf $(B)/obj $(B)/libcrm.a $(PROGRAMS) $(B)/tests

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)

# libFuzzer harnesses: make fuzz-quick (part of make test), make fuzz (FUZZ_SECONDS each)
-include tests/fuzz/fuzz.mk
