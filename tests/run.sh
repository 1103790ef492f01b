#!/usr/bin/env bash
# make test: runs the unit, integration and browser tests against a throwaway stack on free loopback ports.
#
# The stack (MariaDB, SMTP sink, the four programs, nginx and Apache) lives in build/test-run.PID/
# and is stopped and removed at the end (KEEP=1 keeps the directory, logs included).
# TESTS="unit fuzz integration browser bench" (the default) or a subset, separated by spaces or commas
# (bench: make bench's quick version at 2,000 contacts, on a private stack of its own).
# Each runner prints "N passed, N failed" as its last line; the sum is printed last.
# CRM_TEST_RUNNER_TIMEOUT: seconds one runner may take (default 1200).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
suites=${TESTS:-unit fuzz integration browser bench}
suites=${suites//,/ }
for s in $suites; do
	case $s in
	unit | fuzz | integration | browser | bench) ;;
	*) echo "tests: unknown suite '$s' in TESTS (unit, fuzz, integration, browser, bench)" >&2; exit 2 ;;
	esac
done

bash "$ROOT/tools/deps.sh" test

# settings of a developer's 'make run' must not leak into the tests
unset CRM_SMTP_URL CRM_HTTP_PORT CRM_WORKERS CRM_APP_WRAP
export CRM_ROOT=$ROOT
export CRM_STATE=$ROOT/build/test-run.$$
export CRM_CONFIG=$CRM_STATE/crm.conf
export CRM_STACK=$ROOT/tools/stack.sh
if [[ "${CRM_SANITIZE:-0}" == 1 ]]; then
	# make test-sanitize: the programs come from CRM_BIN (build/san); reports go to files
	export ASAN_OPTIONS="log_path=$CRM_STATE/log/san:detect_leaks=0:abort_on_error=0"
	export UBSAN_OPTIONS="log_path=$CRM_STATE/log/san:print_stacktrace=1"
fi
if [[ "${CRM_VALGRIND:-0}" == 1 ]]; then
	# make test-valgrind: every program (master and its forked workers) under memcheck, one
	# worker each; one log per process in log/vg.PID; a definite leak or an invalid access is
	# an error there.  Requests are ~30x slower: longer client and test timeouts.
	export CRM_APP_WRAP="valgrind --tool=memcheck --leak-check=full --errors-for-leak-kinds=definite \
--show-leak-kinds=definite --track-origins=yes --num-callers=30 --error-exitcode=99 \
--suppressions=$ROOT/tests/valgrind.supp --log-file=$CRM_STATE/log/vg.%p"
	export CRM_WORKERS=1
	export CRM_HTTP_TIMEOUT_MS=${CRM_HTTP_TIMEOUT_MS:-180000}
	export CRM_TEST_TIMEOUT_MS=${CRM_TEST_TIMEOUT_MS:-600000}
fi
mkdir -p "$ROOT/build"
rm -rf "$CRM_STATE"
# shellcheck source=tools/stack.sh
source "$CRM_STACK"
stack_need_state

passed=0
failed=0
summary_printed=0

# make test-valgrind: every process's log must end with "ERROR SUMMARY: 0 errors"; a log
# without a summary is a process killed before valgrind could check it (also a failure).
valgrind_verdict() {
	local log logs bad=() n=0
	logs=$(find "$CRM_STATE/log" -maxdepth 1 -name 'vg.*' 2>/dev/null | sort)
	for log in $logs; do
		n=$((n + 1))
		if ! grep -q 'ERROR SUMMARY: 0 errors' "$log"; then bad+=("$log"); fi
	done
	if ((n == 0)); then
		echo "not ok - valgrind: no valgrind log (were the programs started under valgrind?)"
		failed=$((failed + 1))
	elif ((${#bad[@]})); then
		echo "not ok - valgrind: ${#bad[@]} of $n process(es) with errors, a definite leak or no summary"
		for log in "${bad[@]}"; do
			echo "----- ${log#"$ROOT"/} -----"
			grep -v '^==[0-9]*== *$' "$log" | sed -n '/Command:/p;/ERROR SUMMARY/p;/Invalid\|uninitialised\|Mismatched\|overlap\|definitely lost in/,+14p' | head -n 80
			grep -q 'ERROR SUMMARY' "$log" || echo "(no ERROR SUMMARY: the process was killed before its exit)"
		done
		failed=$((failed + 1))
	else
		echo "ok - valgrind: $n processes (masters and workers) exited without an invalid access or a definite leak"
		passed=$((passed + 1))
	fi
}

# Stops the stack, shows the logs' ends if something failed, and prints the summary last.
finish() {
	local log reports
	summary_printed=1
	stack_stop_all || true
	if [[ "${CRM_SANITIZE:-0}" == 1 ]]; then
		# every sanitizer report of every program lands in log/san.*: one is a failure
		reports=$(find "$CRM_STATE/log" -maxdepth 1 -name 'san.*' -size +0 2>/dev/null | sort)
		if [[ -n "$reports" ]]; then
			echo "not ok - sanitizer: $(wc -l <<<"$reports") report(s)"
			for log in $reports; do head -n 40 "$log"; done
			failed=$((failed + 1))
		else
			echo "ok - sanitizer: no AddressSanitizer/UBSan report from any program"
			passed=$((passed + 1))
		fi
	fi
	if [[ "${CRM_VALGRIND:-0}" == 1 ]]; then
		valgrind_verdict
	fi
	if ((failed != 0)) && [[ "${KEEP:-0}" != 1 ]]; then
		for log in "$CRM_STATE"/log/*.log; do
			[[ -s "$log" ]] || continue
			case $log in *-install.log | *-test.log | *-access.log) continue ;; esac
			echo "----- last lines of ${log#"$ROOT"/} -----"
			tail -n 15 "$log"
		done
	fi
	[[ "${KEEP:-0}" == 1 ]] && echo "tests: kept $CRM_STATE (logs in log/)"
	echo "$passed passed, $failed failed"
}

cleanup() {
	local rc=$?
	trap - EXIT
	trap '' INT TERM	# a second signal (make passes it on to the group) must not cut the stopping short
	if ((summary_printed == 0)); then
		echo "tests: stopped before all suites ran (see the messages above)"
		failed=$((failed + 1))
		finish
		((rc != 0)) || rc=1
	fi
	[[ "${KEEP:-0}" == 1 ]] || rm -rf "$CRM_STATE"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- the stack ----------------------------------------------------------------------------
mapfile -t ports < <(stack_free_ports 6)
export CRM_DB_PORT=${ports[0]} CRM_SMTP_PORT=${ports[1]}
export CRM_STAFF_PORT=${ports[2]} CRM_PORTAL_PORT=${ports[3]}
export CRM_APACHE_STAFF_PORT=${ports[4]} CRM_APACHE_PORTAL_PORT=${ports[5]}

crmctl=$ROOT/build/crmctl
stack_db_init
stack_db_start
stack_db_setup
"$crmctl" --config "$CRM_CONFIG" migrate
export CRM_ADMIN_LOGIN=admin
CRM_ADMIN_PASSWORD=$(head -c 12 /dev/urandom | base64 | tr -d '/+=\n')
export CRM_ADMIN_PASSWORD
printf '%s\n' "$CRM_ADMIN_PASSWORD" | "$crmctl" --config "$CRM_CONFIG" user add "$CRM_ADMIN_LOGIN" \
	--role crm_admin --name "Test Admin" --password-stdin
"$crmctl" --config "$CRM_CONFIG" demo
stack_smtp_start
stack_app_start
stack_nginx_start
stack_apache_start

export CRM_STAFF_URL=http://127.0.0.1:$CRM_STAFF_PORT
export CRM_PORTAL_URL=http://127.0.0.1:$CRM_PORTAL_PORT
export CRM_APACHE_STAFF_URL=http://127.0.0.1:$CRM_APACHE_STAFF_PORT
export CRM_APACHE_PORTAL_URL=http://127.0.0.1:$CRM_APACHE_PORTAL_PORT
export CRM_MAIL_DIR=$CRM_STATE/mail
CRM_DB_SOCKET=$(stack_conf_get db.socket)
export CRM_DB_SOCKET
export CRM_CRMCTL=$crmctl

# --- the runners --------------------------------------------------------------------------

# run_suite NAME FILE CMD...: runs one test program, adds its last line "N passed, N failed"
# to the totals; a runner that exits non-zero without failures, or prints no summary, counts
# as one failure.
run_suite() {
	local name=$1 file=$2 out rc last p f
	shift 2
	echo "=== $name: ${file#"$ROOT"/}"
	if [[ ! -f "$file" ]]; then
		echo "tests: $name: ${file#"$ROOT"/} not found"
		failed=$((failed + 1))
		return 0
	fi
	out=$CRM_STATE/log/$name.out
	set +e
	(cd "$ROOT" && timeout -k 10 "${CRM_TEST_RUNNER_TIMEOUT:-1200}" "$@" </dev/null 2>&1) | tee "$out"
	rc=${PIPESTATUS[0]}
	set -e
	last=$(sed -e 's/\x1b\[[0-9;]*m//g' -e 's/\r$//' "$out" | grep -v '^[[:space:]]*$' | tail -n 1 || true)
	if [[ "$last" =~ ^([A-Za-z]+:[[:space:]]*)?([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
		p=${BASH_REMATCH[2]}
		f=${BASH_REMATCH[3]}
		passed=$((passed + p))
		failed=$((failed + f))
		if ((rc != 0 && f == 0)); then
			echo "tests: $name exited with status $rc after reporting no failure"
			failed=$((failed + 1))
		fi
	else
		((rc == 124)) && echo "tests: $name timed out"
		echo "tests: $name crashed or printed no summary (exit status $rc)"
		failed=$((failed + 1))
	fi
}

for s in $suites; do
	case $s in
	unit) run_suite unit "$ROOT/build/tests/unit" "$ROOT/build/tests/unit" ;;
	fuzz) run_suite fuzz "$ROOT/tests/fuzz/run.sh" bash tests/fuzz/run.sh ;;
	integration) run_suite integration "$ROOT/tests/integration/run.mjs" node tests/integration/run.mjs ;;
	browser) run_suite browser "$ROOT/tests/browser/run.mjs" node tests/browser/run.mjs ;;
	bench) run_suite bench "$ROOT/tests/bench/run.sh" bash tests/bench/run.sh ;;
	esac
done

echo "=== total ($suites)"
finish
((failed == 0))
