#!/usr/bin/env bash
# The quick benchmark of make test: tools/bench/bench.sh at 2,000 contacts, every scenario once for 1 s, so that
# make bench keeps working; then the generator's name-search words are compared with what crmctl reindex writes.
# Runs its own private stack under $CRM_STATE/bench (or build/bench-test); prints "N passed, N failed" last.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
dir=${CRM_STATE:-$ROOT/build/bench-test.$$}/bench
rm -rf "$dir"
mkdir -p "$dir"
passed=0
failed=0
ok() { echo "ok - $1"; passed=$((passed + 1)); }
not_ok() { echo "not ok - $1"; failed=$((failed + 1)); }

start=$(date +%s)
if BENCH_DIR=$dir BENCH_N=2000 BENCH_DURATION=1 BENCH_CONCURRENCY=4 BENCH_REPEAT=1 BENCH_WARMUP=0 \
	bash "$ROOT/tools/bench/bench.sh" >"$dir/bench.log" 2>&1; then
	ok "bench_runs_at_2000_contacts ($(($(date +%s) - start)) s)"
else
	not_ok "bench_runs_at_2000_contacts: bench.sh failed, last lines:"
	tail -n 30 "$dir/bench.log" | sed 's/^/#   /'
fi

if [[ -s "$dir/report.md" ]] && grep -q '^## Targets' "$dir/report.md"; then
	ok "bench_writes_report_md"
else
	not_ok "bench_writes_report_md: $dir/report.md missing or incomplete"
fi
for png in latency.png throughput.png; do
	if [[ -s "$dir/$png" ]] && [[ "$(head -c 4 "$dir/$png" | tail -c 3)" == PNG ]]; then
		ok "bench_draws_$png"
	else
		not_ok "bench_draws_$png"
	fi
done

# every scenario ran, answered only 2xx/3xx, without socket errors, and its curl check got the expected status
scenarios=$(cut -d'|' -f1 "$dir/work/scenarios" 2>/dev/null)
[[ -n "$scenarios" ]] || not_ok "bench_lists_its_scenarios: $dir/work/scenarios missing"
for s in $scenarios; do
	line=$(awk -F'\t' -v s="$s" '$1 == s' "$dir/summary.tsv" 2>/dev/null | head -n 1)
	if [[ -z "$line" ]]; then
		not_ok "bench_scenario_$s: no result"
		continue
	fi
	IFS=$'\t' read -r _ _ rps _ _ bad sock <<<"$line"
	check=$(awk -F'\t' -v s="$s" '$1 == s { print ($2 == $3) ? "ok" : "got " $3 " want " $2 }' "$dir/work/checks.tsv")
	if [[ "$bad" == 0 && "$sock" == 0 && "$check" == ok ]] && awk -v r="$rps" 'BEGIN { exit !(r > 0) }'; then
		ok "bench_scenario_${s}_answers_2xx_3xx ($rps req/s)"
	else
		not_ok "bench_scenario_${s}_answers_2xx_3xx: $bad non-2xx/3xx, $sock socket errors, $rps req/s, check ${check:-missing}"
	fi
done

# the portal scenario was set up (a portal user signed in through the mailed link, with tickets), and both
# exports streamed every contact
if awk -F'\t' '$1 == "portal_tickets" && $3 == 200 { f = 1 } END { exit !f }' "$dir/work/checks.tsv" 2>/dev/null; then
	ok "bench_sets_up_a_portal_user_with_tickets"
else
	not_ok "bench_sets_up_a_portal_user_with_tickets:"
	grep -i portal "$dir/bench.log" | tail -n 5 | sed 's/^/#   /'
fi
fig() { awk -F'\t' -v k="$1" '$1 == k { v = $2 } END { print v }' "$dir/work/figures.tsv" 2>/dev/null; }
want=$(fig export_expected_rows)
for e in csv_export vcard_export; do
	if [[ -n "$want" && "$want" -gt 0 && "$(fig ${e}_code)" == 200 && "$(fig ${e}_rows)" == "$want" ]]; then
		ok "bench_${e}_streams_every_contact ($want rows in $(fig ${e}_seconds) s)"
	else
		not_ok "bench_${e}_streams_every_contact: HTTP $(fig ${e}_code), $(fig ${e}_rows) rows, want ${want:-?}"
	fi
done

# the staged CSV import created every row, and its revert removed them again
res=$(fig csv_import_result)
if [[ "$res" == "done: $(fig csv_import_rows) created, 0 updated, 0 skipped, 0 refused" && "$(fig csv_import_revert_result)" == "HTTP 303, reverted" ]]; then
	ok "bench_csv_import_creates_every_row_and_reverts ($(fig csv_import_rows) rows in $(fig csv_import_seconds) s, reverted in $(fig csv_import_revert_seconds) s)"
else
	not_ok "bench_csv_import_creates_every_row_and_reverts: import '$res', revert '$(fig csv_import_revert_result)'"
fi

# the generator's search_words rows are the ones crmctl reindex (modules/core/words.c) writes
(
	set -e
	export CRM_ROOT=$ROOT CRM_STATE=$dir/state CRM_DB_OPTS="--innodb-buffer-pool-size=64M"
	# shellcheck source=tools/stack.sh
	source "$ROOT/tools/stack.sh"
	trap 'stack_stop_all >/dev/null 2>&1 || true' EXIT
	CRM_DB_PORT=$(stack_free_ports 1)
	export CRM_DB_PORT
	stack_db_start >/dev/null 2>&1
	q="SELECT kind, target_id, word, HEX(word), HEX(names) FROM search_words ORDER BY kind, target_id, HEX(word)"
	stack_sql -N -D crm -e "$q" >"$dir/words.gen"
	"$ROOT/build/crmctl" --config "$CRM_STATE/crm.conf" reindex >/dev/null
	stack_sql -N -D crm -e "$q" >"$dir/words.reindex"
) >"$dir/words.log" 2>&1
if [[ -s "$dir/words.gen" ]] && cmp -s "$dir/words.gen" "$dir/words.reindex"; then
	ok "bench_generator_words_equal_crmctl_reindex ($(wc -l <"$dir/words.gen") rows)"
else
	not_ok "bench_generator_words_equal_crmctl_reindex:"
	diff "$dir/words.gen" "$dir/words.reindex" 2>&1 | head -n 10 | sed 's/^/#   /'
	tail -n 5 "$dir/words.log" | sed 's/^/#   /'
fi

echo "$passed passed, $failed failed"
((failed == 0))
