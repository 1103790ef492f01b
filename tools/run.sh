#!/usr/bin/env bash
# make run: a complete local CRM (MariaDB, the programs, nginx, a mail catcher) in the foreground, data in var/.
#
# Staff UI on http://127.0.0.1:${CRM_HTTP_PORT:-8080}, portal on http://127.0.0.1:${CRM_PORTAL_PORT:-8081}.
# Mail goes to $CRM_SMTP_URL when set, else to a local catcher keeping each message under var/mail/new/.
# Ctrl-C or SIGTERM stops every process it started.  var/ keeps the data between runs.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
staff_port=${CRM_HTTP_PORT:-8080}
portal_port=${CRM_PORTAL_PORT:-8081}
for p in "$staff_port" "$portal_port"; do
	[[ "$p" =~ ^[0-9]+$ ]] || { echo "run: not a port number: $p" >&2; exit 2; }
done

bash "$ROOT/tools/deps.sh" run
"${MAKE:-make}" -s --no-print-directory -C "$ROOT"

export CRM_ROOT=$ROOT
export CRM_STATE=$ROOT/var
export CRM_CONFIG=$CRM_STATE/crm.conf
# shellcheck source=tools/stack.sh
source "$ROOT/tools/stack.sh"
stack_need_state
crmctl=$ROOT/build/crmctl

if running=$(stack_running); then
	echo "run: var/ is in use by processes of another 'make run':" >&2
	printf '  %s\n' "$running" >&2
	echo "run: stop that one first (Ctrl-C in its terminal, or: CRM_STATE=var tools/stack.sh stop-all)" >&2
	exit 1
fi
for p in "$staff_port" "$portal_port"; do
	stack_port_free "$p" || {
		echo "run: port $p on 127.0.0.1 is busy: free it or choose others with CRM_HTTP_PORT=... CRM_PORTAL_PORT=..." >&2
		exit 1
	}
done

export CRM_STAFF_PORT=$staff_port CRM_PORTAL_PORT=$portal_port
# database and mail catcher: new free ports each run (crm.conf is updated)
mapfile -t ports < <(stack_free_ports 2 "$staff_port" "$portal_port")
export CRM_DB_PORT=${ports[0]} CRM_SMTP_PORT=${ports[1]}

sleeper=
cleanup() {
	local rc=$?
	# a signal to the whole process group (make and this script) may come twice (make passes it on):
	# the second one must not cut the stopping short
	trap - EXIT
	trap '' INT TERM
	[[ -n "$sleeper" ]] && kill "$sleeper" 2>/dev/null
	echo
	echo "run: stopping..." >&2
	stack_stop_all
	echo "run: stopped" >&2
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 0' INT TERM

stack_db_init
stack_db_start
stack_db_setup
"$crmctl" --config "$CRM_CONFIG" migrate

login_file=$CRM_STATE/demo-login.txt
if [[ ! -f "$login_file" ]]; then
	password=$(head -c 12 /dev/urandom | base64 | tr -d '/+=\n')
	if ! printf '%s\n' "$password" | "$crmctl" --config "$CRM_CONFIG" user add admin --role crm_admin \
		--name "Demo Admin" --password-stdin; then
		echo "run: user admin exists already: giving it a new password" >&2
		printf '%s\n' "$password" | "$crmctl" --config "$CRM_CONFIG" user passwd admin --password-stdin
	fi
	(
		umask 077
		printf 'login: admin\npassword: %s\n' "$password" >"$login_file"
	)
fi
# instances from before the word index (migration 005) get their customers' and leads' words once
if [[ -f "$CRM_STATE/demo-seeded" && ! -f "$CRM_STATE/words-indexed" ]]; then
	"$crmctl" --config "$CRM_CONFIG" reindex
fi
: >"$CRM_STATE/words-indexed"
if [[ ! -f "$CRM_STATE/demo-seeded" ]]; then
	"$crmctl" --config "$CRM_CONFIG" demo
	: >"$CRM_STATE/demo-seeded"
fi

if [[ -z "${CRM_SMTP_URL:-}" ]]; then
	stack_smtp_start
	mail_note="local catcher: each message is a file in var/mail/new/"
else
	mail_note="sent to $CRM_SMTP_URL"
fi
stack_app_start
stack_nginx_start

password=$(sed -n 's/^password: //p' "$login_file")
cat <<EOF

  CRM is running; Ctrl-C stops it.
    staff UI   http://127.0.0.1:$staff_port/     login: admin   password: $password
    portal     http://127.0.0.1:$portal_port/
    mail       $mail_note
    logs       var/log/       database socket $(stack_conf_get db.socket)
    crmctl     build/crmctl (uses var/crm.conf), e.g. build/crmctl outbox flush

EOF

# Stay in the foreground: deliver queued mail every minute (as crm-outbox.timer does in
# production) and stop everything if one of the processes dies.
expected=(db nginx "${MODULES[@]}")
[[ -z "${CRM_SMTP_URL:-}" ]] && expected+=(smtp)
ticks=0
while :; do
	sleep 2 &
	sleeper=$!
	wait "$sleeper" || true
	sleeper=
	for name in "${expected[@]}"; do
		if ! stack_pid "$name" >/dev/null; then
			echo "run: $name stopped unexpectedly: see var/log/ (stopping the rest)" >&2
			exit 1
		fi
	done
	if ((++ticks % 30 == 0)); then
		"$crmctl" --config "$CRM_CONFIG" outbox flush >>"$CRM_STATE/log/outbox.log" 2>&1 ||
			echo "run: crmctl outbox flush failed: see var/log/outbox.log" >&2
	fi
done
