#!/usr/bin/env bash
# tests/fuzz/run.sh — the fuzz suite of make test: builds the libFuzzer harnesses and runs fuzz-quick,
# one "ok - fuzz: NAME (N runs)" / "not ok - fuzz: NAME" line per harness and "N passed, N failed" last.
# FUZZ_JOBS harnesses run at once (default: the number of CPUs); FUZZ_RUNS overrides the 20000 runs.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT" || exit 1
mk=(make --no-print-directory -f tests/fuzz/fuzz.mk)
out=build/fuzz
mkdir -p "$out"

if ! harnesses=$("${mk[@]}" -s fuzz-list) || [[ -z "$harnesses" ]]; then
	echo "not ok - fuzz: cannot list the harnesses (tests/fuzz/fuzz.mk)"
	echo "0 passed, 1 failed"
	exit 1
fi
if ! "${mk[@]}" fuzz-build >"$out/build.log" 2>&1; then
	tail -n 30 "$out/build.log" | sed 's/^/    /'
	echo "not ok - fuzz: build (clang with libFuzzer: tools/deps.sh test installs it; log: $out/build.log)"
	echo "0 passed, 1 failed"
	exit 1
fi

"${mk[@]}" -k -j"${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}" fuzz-quick >"$out/quick.out" 2>&1

passed=0
failed=0
for h in $harnesses; do
	runs=$(sed -n "s/^fuzz: $h: \([0-9][0-9]*\) runs, no finding\$/\1/p" "$out/quick.out")
	if [[ -n "$runs" ]]; then
		echo "ok - fuzz: $h ($runs runs)"
		passed=$((passed + 1))
	else
		echo "not ok - fuzz: $h (log: $out/quick-$h.log; crashing input: $out/artifacts/$h-*)"
		[[ -f "$out/quick-$h.log" ]] &&
			grep -E 'ERROR|SUMMARY|invariant|fuzz_render:|^ +#[0-9]+ .* in [^_]' "$out/quick-$h.log" |
			grep -vE 'fuzzer::|libc_start|in _start|in main ' | head -n 20 | sed 's/^/    /'
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
((failed == 0))
