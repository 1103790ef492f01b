#!/usr/bin/env bash
# Starts and stops a private CRM stack (MariaDB, SMTP sink, FastCGI programs, nginx, Apache) in one state dir.
#
# Usage: CRM_STATE=DIR tools/stack.sh COMMAND [ARGS]   (or source it and call the stack_* functions)
#   db-init db-start db-stop db-setup   smtp-start smtp-stop   app-start app-stop
#   nginx-start nginx-stop   apache-start apache-stop   stop-all   status
#   running                  print the recorded processes still running; exit 1 if none
#   free-port [N]            print N (default 1) distinct free loopback TCP ports (CRM_PORT_RANGE=LO-HI)
#   port-free PORT           exit 0 if PORT can be bound on 127.0.0.1
#   conf-set KEY VALUE       set one key in $CRM_STATE/crm.conf
#   render SRC DST KEY=VALUE...   copy a conf/ template replacing @KEY@ tokens (also for installs)
#
# Environment: CRM_STATE (required except for free-port, port-free, render), CRM_ROOT (default: this
# script's project), ports CRM_DB_PORT CRM_SMTP_PORT CRM_STAFF_PORT CRM_PORTAL_PORT
# CRM_APACHE_STAFF_PORT CRM_APACHE_PORTAL_PORT (default: the ones recorded in $CRM_STATE/stack.env, else
# free ones, then recorded), CRM_SMTP_URL (mail.smtp_url instead of the local sink), CRM_WORKERS (2),
# CRM_BIN (directory of the .fcgi programs, default build/; make test-sanitize uses build/san),
# CRM_DB_OPTS (extra mariadbd options, split on spaces; make bench sizes the buffer pool with it),
# CRM_APP_WRAP (a command the programs are started under, split on spaces: make test-valgrind's valgrind).
# nginx also loads $CRM_STATE/nginx/extra.d/*.conf (server blocks of the benchmark's baselines).
# Every process started gets $CRM_STATE/pids/NAME.pid (and NAME.start, its start time, so a reused
# PID is never signalled); logs go to $CRM_STATE/log/.  Processes run in their own session so a
# Ctrl-C in the terminal does not reach them: the caller stops them (stop-all) in order.
set -euo pipefail
shopt -u patsub_replacement 2>/dev/null || true

STACK_SELF=$(readlink -f "${BASH_SOURCE[0]}")
ROOT=$(readlink -f "${CRM_ROOT:-$(dirname "$STACK_SELF")/..}")
STATE=${CRM_STATE:-}
MODULES=(contacts connections settings portal)
PY=/usr/bin/python3

stack_say() { printf 'stack: %s\n' "$*" >&2; }
stack_die() { printf 'stack: error: %s\n' "$*" >&2; exit 1; }

stack_need_state() {
	[[ -n "$STATE" ]] || stack_die "CRM_STATE is not set"
	mkdir -p "$STATE"
	STATE=$(readlink -f "$STATE")
	mkdir -p "$STATE/pids" "$STATE/log" "$STATE/uploads"
	chmod 0755 "$STATE"
}

# Finds a system program also when /usr/sbin is not on PATH (non-root users).
stack_prog() {
	local p
	p=$(command -v "$1" 2>/dev/null) || p=/usr/sbin/$1
	[[ -x "$p" ]] || stack_die "$1 not found: run tools/deps.sh"
	printf '%s\n' "$p"
}

# --- recorded settings: $STATE/stack.env holds KEY=VALUE lines ---------------------------

stack_get() {
	local f="$STATE/stack.env"
	[[ -f "$f" ]] || return 0
	sed -n "s/^$1=//p" "$f" | tail -n 1
}

stack_set() {
	local f="$STATE/stack.env" tmp
	tmp=$(mktemp "$STATE/.stack.env.XXXXXX")
	if [[ -f "$f" ]]; then grep -v "^$1=" "$f" >"$tmp" || true; fi
	printf '%s=%s\n' "$1" "$2" >>"$tmp"
	mv -f "$tmp" "$f"
}

# --- ports --------------------------------------------------------------------------------

# Prints N distinct ports that can be bound on 127.0.0.1, below Linux's ephemeral range so that
# outgoing connections never take them; further arguments are ports not to return.
stack_free_ports() {
	local n=${1:-1}
	shift || true
	local range=${CRM_PORT_RANGE:-20000-32000}
	[[ "$range" =~ ^[0-9]+-[0-9]+$ ]] || stack_die "CRM_PORT_RANGE must look like 20000-32000"
	"$PY" - "${range%-*}" "${range#*-}" "$n" "$@" <<'PY'
import random, socket, sys
lo, hi, n = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
taken = set(int(p) for p in sys.argv[4:])
got = []
for _ in range(5000):
    if len(got) == n:
        break
    p = random.randint(lo, hi)
    if p in taken or p in got:
        continue
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", p))
    except OSError:
        continue
    finally:
        s.close()
    got.append(p)
if len(got) < n:
    sys.exit("no free ports found")
print("\n".join(map(str, got)))
PY
}

stack_port_free() {
	"$PY" - "$1" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
finally:
    s.close()
PY
}

# stack_port KEY ENVVAR: the port from $ENVVAR, else the recorded one, else a new free one; recorded.
stack_port() {
	local key=$1 envvar=$2 port
	port=${!envvar:-}
	[[ -n "$port" ]] || port=$(stack_get "$key")
	if [[ -z "$port" ]]; then
		local taken
		taken=$(sed -n 's/^[A-Z_]*_PORT=//p' "$STATE/stack.env" 2>/dev/null || true)
		# shellcheck disable=SC2086 # one port per word
		port=$(stack_free_ports 1 $taken)
	fi
	[[ "$port" =~ ^[0-9]+$ ]] || stack_die "$envvar: not a port number: $port"
	[[ "$(stack_get "$key")" == "$port" ]] || stack_set "$key" "$port"
	printf '%s\n' "$port"
}

stack_wait_port() {
	local port=$1 what=$2 pid=$3 i
	for ((i = 0; i < 200; i++)); do
		if (: <"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
		stack_alive_pid "$pid" || return 1
		sleep 0.05
	done
	stack_say "$what: nothing listens on port $port after 10 s"
	return 1
}

# --- processes ----------------------------------------------------------------------------

stack_starttime() {
	local s f
	{ read -r s <"/proc/$1/stat"; } 2>/dev/null || return 1
	s=${s##*) }
	read -ra f <<<"$s"
	printf '%s\n' "${f[19]}"
}

# True if PID runs and is not a zombie.  (Files are read with `read`, not $(<file): under
# set -e a failed $(<file) ends the script even on the left of ||.)
stack_alive_pid() {
	local s
	[[ -n "$1" ]] || return 1
	{ read -r s <"/proc/$1/stat"; } 2>/dev/null || return 1
	s=${s##*) }
	[[ "${s%% *}" != Z ]]
}

# Prints the PID recorded for NAME if that very process still runs.
stack_pid() {
	local name=$1 pid start
	[[ -f "$STATE/pids/$name.pid" ]] || return 1
	pid=
	{ read -r pid <"$STATE/pids/$name.pid" || [[ -n "$pid" ]]; } 2>/dev/null || return 1
	pid=${pid//[!0-9]/}
	stack_alive_pid "$pid" || return 1
	if [[ -f "$STATE/pids/$name.start" ]]; then
		start=
		{ read -r start <"$STATE/pids/$name.start" || [[ -n "$start" ]]; } 2>/dev/null || return 1
		[[ "$(stack_starttime "$pid" 2>/dev/null)" == "$start" ]] || return 1
	fi
	printf '%s\n' "$pid"
}

stack_record() {
	printf '%s\n' "$2" >"$STATE/pids/$1.pid"
	stack_starttime "$2" >"$STATE/pids/$1.start" 2>/dev/null || rm -f "$STATE/pids/$1.start"
}

# Starts a background process NAME with stdio to a log, in its own session; prints its PID.
stack_spawn() {
	local name=$1 log=$2
	shift 2
	setsid "$@" </dev/null >>"$log" 2>&1 &
	local pid=$!
	stack_record "$name" "$pid"
	printf '%s\n' "$pid"
}

# stack_stop NAME [TIMEOUT]: SIGTERM, wait, SIGKILL after TIMEOUT seconds; forgets the PID.
stack_stop() {
	local name=$1 timeout=${2:-15} pid i
	if pid=$(stack_pid "$name"); then
		kill -TERM "$pid" 2>/dev/null || true
		for ((i = 0; i < timeout * 20; i++)); do
			stack_alive_pid "$pid" || break
			sleep 0.05
		done
		if stack_alive_pid "$pid"; then
			stack_say "$name (pid $pid) did not stop in ${timeout} s: killing it"
			kill -KILL "$pid" 2>/dev/null || true
			sleep 0.2
		fi
	fi
	rm -f "$STATE/pids/$name.pid" "$STATE/pids/$name.start"
}

stack_fail_log() {
	local log=$1
	if grep -q -i 'error' "$log" 2>/dev/null; then
		stack_say "errors in $log:"
		grep -i -m 10 'error' "$log" >&2 || true
	fi
	stack_say "last lines of $log:"
	tail -n 25 "$log" >&2 2>/dev/null || true
}

# --- directories --------------------------------------------------------------------------

stack_web_user() { if [[ $EUID -eq 0 ]]; then echo www-data; else id -un; fi; }
stack_web_group() { if [[ $EUID -eq 0 ]]; then echo www-data; else id -gn; fi; }

# True if the web server's worker user may do `test OP PATH`.
stack_web_can() {
	[[ $EUID -eq 0 ]] || return 0
	runuser -u "$(stack_web_user)" -- test "$1" "$2" 2>/dev/null
}

# The directory for sockets and pid files: $STATE/run, unless its path is too long for a unix
# socket name or, when run as root, the web server's user cannot reach it (e.g. a clone under
# /root); then a private directory under /tmp that $STATE/run links to.
stack_run_dir() {
	local dir
	dir=$(stack_get RUN_DIR)
	if [[ -n "$dir" && -d "$dir" ]]; then
		printf '%s\n' "$dir"
		return 0
	fi
	dir=$STATE/run
	[[ -L "$dir" ]] && rm -f "$dir"
	mkdir -p "$dir"
	chmod 0755 "$dir"
	if ((${#dir} > 90)) || ! stack_web_can -x "$dir"; then
		rmdir "$dir" 2>/dev/null || stack_die "$dir must be moved away: sockets cannot live there"
		dir=$(mktemp -d /tmp/crm-run.XXXXXX)
		chmod 0755 "$dir"
		ln -s "$dir" "$STATE/run"
		stack_set RUN_DIR_TMP 1
		stack_say "sockets in $dir ($STATE/run is out of the web server's reach or too long)"
	else
		stack_set RUN_DIR_TMP 0
	fi
	stack_set RUN_DIR "$dir"
	[[ -f "$STATE/crm.conf" ]] && stack_conf_set db.socket "$dir/mysqld.sock"
	printf '%s\n' "$dir"
}

# The root the web servers serve /static/ from: ROOT, or a copy of the static files when the
# web server's user cannot read ROOT (root running a clone under /root).
stack_web_root() {
	local run=$1
	if stack_web_can -r "$ROOT/templates/static/." && stack_web_can -x "$ROOT/templates/static"; then
		printf '%s\n' "$ROOT"
		return 0
	fi
	rm -rf "$run/webroot"
	mkdir -p "$run/webroot/templates"
	cp -R "$ROOT/templates/static" "$run/webroot/templates/static"
	chmod -R a+rX "$run/webroot"
	printf '%s\n' "$run/webroot"
}

# --- templates ----------------------------------------------------------------------------

# stack_render SRC DST KEY=VALUE...: replaces every @KEY@; fails if a token is left.
stack_render() {
	local src=$1 dst=$2 text pair key value left
	shift 2
	[[ -f "$src" ]] || stack_die "template $src not found"
	text=$(<"$src")
	for pair in "$@"; do
		key=${pair%%=*}
		value=${pair#*=}
		text=${text//"@$key@"/"$value"}
	done
	left=$(grep -o '@[A-Z][A-Z_]*@' <<<"$text" | sort -u | tr '\n' ' ' || true)
	[[ -z "$left" ]] || stack_die "$src: no value for $left"
	mkdir -p "$(dirname "$dst")"
	printf '%s\n' "$text" >"$dst"
}

# --- MariaDB ------------------------------------------------------------------------------

stack_db_init() {
	stack_need_state
	[[ -d "$STATE/mysql/mysql" ]] && return 0
	local user=() try log="$STATE/log/mariadb-install.log"
	[[ $EUID -eq 0 ]] && user=(--user=root)
	# two tries: a bootstrap failed once, unexplained and not reproduced, on a busy machine
	for try in 1 2; do
		rm -rf "$STATE/mysql"
		if "$(stack_prog mariadb-install-db)" --no-defaults --datadir="$STATE/mysql" "${user[@]}" \
			--auth-root-authentication-method=normal --skip-test-db >"$log" 2>&1; then
			return 0
		fi
		stack_fail_log "$log"
		cp "$log" "$STATE/log/mariadb-install-failed-$try.log"
		stack_say "mariadb-install-db failed (try $try)"
	done
	stack_die "mariadb-install-db failed"
}

stack_db_start() {
	stack_need_state
	[[ -d "$STATE/mysql/mysql" ]] || stack_die "no database in $STATE/mysql: run db-init first"
	local run port pid user=() i
	run=$(stack_run_dir)
	port=$(stack_port DB_PORT CRM_DB_PORT)
	if pid=$(stack_pid db); then
		stack_say "mariadb already running (pid $pid)"
		return 0
	fi
	[[ $EUID -eq 0 ]] && user=(--user=root)
	local extra=()
	# shellcheck disable=SC2206 # options split on spaces
	[[ -n "${CRM_DB_OPTS:-}" ]] && extra=($CRM_DB_OPTS)
	rm -f "$run/mysqld.sock" "$run/mysqld.pid"
	pid=$(stack_spawn db "$STATE/log/mariadb.out" "$(stack_prog mariadbd)" --no-defaults "${user[@]}" \
		--datadir="$STATE/mysql" --socket="$run/mysqld.sock" --pid-file="$run/mysqld.pid" \
		--port="$port" --bind-address=127.0.0.1 --log-error="$STATE/log/mariadb.log" \
		--skip-name-resolve --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
		--max-allowed-packet=64M "${extra[@]}")
	for ((i = 0; i < 600; i++)); do
		if [[ -S "$run/mysqld.sock" ]] && "$(stack_prog mariadb-admin)" --no-defaults \
			--socket="$run/mysqld.sock" -uroot ping >/dev/null 2>&1; then
			stack_say "mariadb started (pid $pid, port $port)"
			return 0
		fi
		if ! stack_alive_pid "$pid"; then
			stack_fail_log "$STATE/log/mariadb.log"
			stack_die "mariadbd exited during start-up"
		fi
		sleep 0.1
	done
	stack_fail_log "$STATE/log/mariadb.log"
	stack_die "mariadbd not ready after 60 s"
}

stack_db_stop() {
	stack_need_state
	stack_stop db 120
}

# stack_sql [OPTION...]: the mariadb client as root over the socket (SQL on stdin or -e).
stack_sql() {
	local run
	run=$(stack_run_dir)
	"$(stack_prog mariadb)" --no-defaults --socket="$run/mysqld.sock" -uroot --batch "$@"
}

# conf_get KEY: value of KEY in crm.conf (empty if absent).
stack_conf_get() {
	local conf="$STATE/crm.conf"
	[[ -f "$conf" ]] || return 0
	sed -n "s/^[[:space:]]*${1//./\\.}[[:space:]]*=[[:space:]]*//p" "$conf" | tail -n 1
}

# conf_set KEY VALUE: replaces the KEY line of crm.conf in place, or appends one.
stack_conf_set() {
	local conf="$STATE/crm.conf" tmp
	tmp=$(mktemp "$STATE/.crm.conf.XXXXXX")
	chmod 0600 "$tmp"
	[[ -f "$conf" ]] || : >"$conf"
	awk -v key="$1" -v value="$2" '
		{ line = $0; sub(/^[ \t]+/, "", line) }
		index(line, key) == 1 && substr(line, length(key) + 1) ~ /^[ \t]*=/ {
			if (!done) print key " = " value
			done = 1
			next
		}
		{ print }
		END { if (!done) print key " = " value }
	' "$conf" >"$tmp"
	mv -f "$tmp" "$conf"
}

# Creates database and user (idempotent) and writes crm.conf: a new one with a random password,
# or the existing one with its password and other keys kept and the addresses of this run updated.
stack_db_setup() {
	stack_need_state
	local conf="$STATE/crm.conf" run db_port staff_port portal_port smtp_url pass name user
	run=$(stack_run_dir)
	db_port=$(stack_port DB_PORT CRM_DB_PORT)
	staff_port=$(stack_port STAFF_PORT CRM_STAFF_PORT)
	portal_port=$(stack_port PORTAL_PORT CRM_PORTAL_PORT)
	if [[ -n "${CRM_SMTP_URL:-}" ]]; then
		smtp_url=$CRM_SMTP_URL
	else
		smtp_url=smtp://127.0.0.1:$(stack_port SMTP_PORT CRM_SMTP_PORT)
	fi
	if [[ ! -f "$conf" ]]; then
		pass=$(head -c 24 /dev/urandom | base64 | tr -d '/+=\n')
		(
			umask 077
			cat >"$conf" <<-EOF
				# CRM configuration of this private instance, written by tools/stack.sh (keys: conf/crm.conf.sample).
				db.socket = $run/mysqld.sock
				db.host = 127.0.0.1
				db.port = $db_port
				db.name = crm
				db.user = crm
				db.password = $pass
				app.root = $ROOT
				app.staff_url = http://127.0.0.1:$staff_port
				app.portal_url = http://127.0.0.1:$portal_port
				app.uploads = $STATE/uploads
				app.secure_cookies = 0
				mail.smtp_url = $smtp_url
				mail.from = crm@localhost
				session.ttl = 28800
			EOF
		)
	else
		stack_conf_set db.socket "$run/mysqld.sock"
		stack_conf_set db.port "$db_port"
		stack_conf_set app.root "$ROOT"
		stack_conf_set app.staff_url "http://127.0.0.1:$staff_port"
		stack_conf_set app.portal_url "http://127.0.0.1:$portal_port"
		stack_conf_set app.uploads "$STATE/uploads"
		stack_conf_set mail.smtp_url "$smtp_url"
	fi
	pass=$(stack_conf_get db.password)
	name=$(stack_conf_get db.name)
	user=$(stack_conf_get db.user)
	[[ "$pass" =~ ^[A-Za-z0-9._-]+$ ]] || stack_die "$conf: db.password must be letters, digits, . _ -"
	[[ "$name" =~ ^[A-Za-z0-9_]+$ ]] || stack_die "$conf: db.name must be letters, digits, _"
	[[ "$user" =~ ^[A-Za-z0-9_]+$ ]] || stack_die "$conf: db.user must be letters, digits, _"
	stack_sql <<-EOF
		CREATE DATABASE IF NOT EXISTS \`$name\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
		CREATE USER IF NOT EXISTS '$user'@'localhost' IDENTIFIED BY '$pass';
		ALTER USER '$user'@'localhost' IDENTIFIED BY '$pass';
		GRANT ALL PRIVILEGES ON \`$name\`.* TO '$user'@'localhost';
		CREATE USER IF NOT EXISTS '$user'@'127.0.0.1' IDENTIFIED BY '$pass';
		ALTER USER '$user'@'127.0.0.1' IDENTIFIED BY '$pass';
		GRANT ALL PRIVILEGES ON \`$name\`.* TO '$user'@'127.0.0.1';
	EOF
	# root without a password stays reachable through the socket only, not over TCP
	local host
	while read -r host; do
		stack_sql -e "DROP USER IF EXISTS 'root'@'$host'"
	done < <(stack_sql -N -e "SELECT host FROM mysql.user WHERE user = 'root' AND host <> 'localhost'")
}

# --- SMTP sink ----------------------------------------------------------------------------

stack_smtp_start() {
	stack_need_state
	local port pid mail="$STATE/mail"
	port=$(stack_port SMTP_PORT CRM_SMTP_PORT)
	if pid=$(stack_pid smtp); then
		stack_say "smtp sink already running (pid $pid)"
		return 0
	fi
	# aiosmtpd's Mailbox handler opens DIR as a Maildir: it creates it with cur/new/tmp when it
	# is absent, and uses it as it is otherwise, so an existing DIR needs the three subdirs.
	if [[ -e "$mail" ]]; then mkdir -p "$mail/cur" "$mail/new" "$mail/tmp"; fi
	pid=$(stack_spawn smtp "$STATE/log/smtp.log" env PYTHONUNBUFFERED=1 "$PY" -m aiosmtpd -n \
		-l "127.0.0.1:$port" -c aiosmtpd.handlers.Mailbox "$mail")
	if ! stack_wait_port "$port" "smtp sink" "$pid"; then
		stack_fail_log "$STATE/log/smtp.log"
		stack_die "smtp sink did not start"
	fi
	stack_say "smtp sink started (pid $pid, port $port, mail in $mail/new)"
}

stack_smtp_stop() {
	stack_need_state
	stack_stop smtp 10
}

# --- FastCGI programs ---------------------------------------------------------------------

stack_app_start() {
	stack_need_state
	local run m exe pid i pending wrap=() wait=200
	run=$(stack_run_dir)
	[[ -f "$STATE/crm.conf" ]] || stack_die "$STATE/crm.conf missing: run db-setup first"
	# under valgrind the start-up is ~30x slower: 120 s instead of 10 for the sockets
	# shellcheck disable=SC2206 # the wrapper command is split on spaces
	[[ -n "${CRM_APP_WRAP:-}" ]] && wrap=($CRM_APP_WRAP) && wait=2400
	for m in "${MODULES[@]}"; do
		exe=${CRM_BIN:-$ROOT/build}/$m.fcgi
		[[ -x "$exe" ]] || stack_die "$exe not built: run make"
		if pid=$(stack_pid "$m"); then continue; fi
		rm -f "$run/$m.sock"
		stack_spawn "$m" "$STATE/log/$m.log" "${wrap[@]}" "$exe" --config "$STATE/crm.conf" \
			--listen "unix:$run/$m.sock" --workers "${CRM_WORKERS:-2}" >/dev/null
	done
	for ((i = 0; i < wait; i++)); do
		pending=0
		for m in "${MODULES[@]}"; do
			[[ -S "$run/$m.sock" ]] && continue
			pending=1
			if ! stack_pid "$m" >/dev/null; then
				stack_fail_log "$STATE/log/$m.log"
				stack_die "$m.fcgi exited during start-up"
			fi
		done
		((pending)) || break
		sleep 0.05
	done
	((pending == 0)) || stack_die "sockets not created after $((wait / 20)) s (see $STATE/log/*.log)"
	stack_say "programs started (${MODULES[*]}; sockets in $run)"
}

# Seconds a program gets to stop: its workers' exit (valgrind's leak check) must not be cut short.
stack_app_stop_timeout() { if [[ -n "${CRM_APP_WRAP:-}" ]]; then echo 120; else echo 15; fi; }

stack_app_stop() {
	stack_need_state
	local m run
	run=$(stack_run_dir)
	for ((m = ${#MODULES[@]} - 1; m >= 0; m--)); do
		stack_stop "${MODULES[m]}" "$(stack_app_stop_timeout)"
		rm -f "$run/${MODULES[m]}.sock"
	done
}

# --- nginx --------------------------------------------------------------------------------

stack_nginx_start() {
	stack_need_state
	local run web staff portal dir="$STATE/nginx" nginx pid user_line="" f
	run=$(stack_run_dir)
	staff=$(stack_port STAFF_PORT CRM_STAFF_PORT)
	portal=$(stack_port PORTAL_PORT CRM_PORTAL_PORT)
	if pid=$(stack_pid nginx); then
		stack_say "nginx already running (pid $pid)"
		return 0
	fi
	nginx=$(stack_prog nginx)
	web=$(stack_web_root "$run")
	mkdir -p "$dir" "$dir/extra.d" "$run/nginx-tmp"
	for f in mime.types fastcgi_params; do
		[[ -f "/etc/nginx/$f" ]] || stack_die "/etc/nginx/$f missing: run tools/deps.sh"
		cp "/etc/nginx/$f" "$dir/$f"
	done
	[[ $EUID -eq 0 ]] && user_line="user $(stack_web_user) $(stack_web_group);"
	stack_render "$ROOT/conf/nginx/crm-staff.conf" "$dir/crm-staff.conf" \
		"LISTEN=127.0.0.1:$staff" SERVER_NAME=127.0.0.1 "RUN_DIR=$run" "ROOT=$web"
	stack_render "$ROOT/conf/nginx/crm-portal.conf" "$dir/crm-portal.conf" \
		"LISTEN=127.0.0.1:$portal" SERVER_NAME=127.0.0.1 "RUN_DIR=$run" "ROOT=$web"
	stack_render "$ROOT/conf/nginx/local-main.conf" "$dir/nginx.conf" \
		"STATE=$STATE" "CONF_DIR=$dir" "USER_LINE=$user_line" "TEMP_DIR=$run/nginx-tmp"
	if ! "$nginx" -q -t -p "$dir/" -c "$dir/nginx.conf" -e "$STATE/log/nginx-error.log" \
		>"$STATE/log/nginx-test.log" 2>&1; then
		stack_fail_log "$STATE/log/nginx-test.log"
		stack_die "nginx configuration test failed"
	fi
	pid=$(stack_spawn nginx "$STATE/log/nginx.out" "$nginx" -p "$dir/" -c "$dir/nginx.conf" \
		-e "$STATE/log/nginx-error.log")
	if ! stack_wait_port "$staff" nginx "$pid" || ! stack_wait_port "$portal" nginx "$pid"; then
		stack_fail_log "$STATE/log/nginx-error.log"
		stack_stop nginx 5
		stack_die "nginx did not start (ports $staff, $portal)"
	fi
	stack_say "nginx started (pid $pid): staff http://127.0.0.1:$staff portal http://127.0.0.1:$portal"
}

stack_nginx_stop() {
	stack_need_state
	stack_stop nginx 15
}

# --- Apache -------------------------------------------------------------------------------

stack_apache_start() {
	stack_need_state
	local run web staff portal dir="$STATE/apache" apache pid moddir=/usr/lib/apache2/modules
	run=$(stack_run_dir)
	staff=$(stack_port APACHE_STAFF_PORT CRM_APACHE_STAFF_PORT)
	portal=$(stack_port APACHE_PORTAL_PORT CRM_APACHE_PORTAL_PORT)
	if pid=$(stack_pid apache); then
		stack_say "apache already running (pid $pid)"
		return 0
	fi
	apache=$(stack_prog apache2)
	[[ -f "$moddir/mod_proxy_fcgi.so" ]] || stack_die "$moddir/mod_proxy_fcgi.so missing: run tools/deps.sh"
	web=$(stack_web_root "$run")
	mkdir -p "$dir/run"
	stack_render "$ROOT/conf/apache/crm-staff.conf" "$dir/crm-staff.conf" \
		"LISTEN=127.0.0.1:$staff" SERVER_NAME=127.0.0.1 "RUN_DIR=$run" "ROOT=$web"
	stack_render "$ROOT/conf/apache/crm-portal.conf" "$dir/crm-portal.conf" \
		"LISTEN=127.0.0.1:$portal" SERVER_NAME=127.0.0.1 "RUN_DIR=$run" "ROOT=$web"
	stack_render "$ROOT/conf/apache/local-main.conf" "$dir/httpd.conf" \
		"STATE=$STATE" "CONF_DIR=$dir" "MODULES_DIR=$moddir" \
		"USER=$(stack_web_user)" "GROUP=$(stack_web_group)" \
		"STAFF_LISTEN=127.0.0.1:$staff" "PORTAL_LISTEN=127.0.0.1:$portal"
	if ! "$apache" -t -f "$dir/httpd.conf" >"$STATE/log/apache-test.log" 2>&1; then
		stack_fail_log "$STATE/log/apache-test.log"
		stack_die "apache configuration test failed"
	fi
	rm -f "$dir/run/httpd.pid"
	pid=$(stack_spawn apache "$STATE/log/apache.out" "$apache" -f "$dir/httpd.conf" -D FOREGROUND)
	if ! stack_wait_port "$staff" apache "$pid" || ! stack_wait_port "$portal" apache "$pid"; then
		stack_fail_log "$STATE/log/apache-error.log"
		stack_stop apache 5
		stack_die "apache did not start (ports $staff, $portal)"
	fi
	stack_say "apache started (pid $pid): staff http://127.0.0.1:$staff portal http://127.0.0.1:$portal"
}

stack_apache_stop() {
	stack_need_state
	stack_stop apache 15
}

# --- everything ---------------------------------------------------------------------------

# Stops every recorded process: front ends first, the database last; unknown names before all.
stack_stop_all() {
	stack_need_state
	local order=(apache nginx portal settings connections contacts smtp db) f name n known
	for f in "$STATE"/pids/*.pid; do
		[[ -e "$f" ]] || continue
		name=$(basename "$f" .pid)
		known=0
		for n in "${order[@]}"; do [[ "$n" == "$name" ]] && known=1; done
		((known)) || stack_stop "$name" 15
	done
	for name in "${order[@]}"; do
		case $name in
		db) stack_stop db 120 ;;
		contacts | connections | settings | portal) stack_stop "$name" "$(stack_app_stop_timeout)" ;;
		*) stack_stop "$name" 15 ;;
		esac
	done
	local run
	run=$(stack_get RUN_DIR)
	if [[ -n "$run" && -d "$run" ]]; then
		rm -f "$run"/*.sock
		if [[ "$(stack_get RUN_DIR_TMP)" == 1 ]]; then
			rm -rf "$run"
			rm -f "$STATE/run"
		fi
	fi
}

stack_running() {
	stack_need_state
	local f name pid any=1
	for f in "$STATE"/pids/*.pid; do
		[[ -e "$f" ]] || continue
		name=$(basename "$f" .pid)
		if pid=$(stack_pid "$name"); then
			echo "$name $pid"
			any=0
		fi
	done
	return "$any"
}

stack_status() {
	stack_need_state
	local f name pid
	for f in "$STATE"/pids/*.pid; do
		[[ -e "$f" ]] || continue
		name=$(basename "$f" .pid)
		if pid=$(stack_pid "$name"); then echo "$name: running (pid $pid)"; else echo "$name: stopped"; fi
	done
	[[ -f "$STATE/stack.env" ]] && cat "$STATE/stack.env"
	return 0
}

stack_main() {
	local cmd=${1:-}
	shift || true
	case $cmd in
	db-init) stack_db_init ;;
	db-start) stack_db_start ;;
	db-stop) stack_db_stop ;;
	db-setup) stack_db_setup ;;
	smtp-start) stack_smtp_start ;;
	smtp-stop) stack_smtp_stop ;;
	app-start) stack_app_start ;;
	app-stop) stack_app_stop ;;
	nginx-start) stack_nginx_start ;;
	nginx-stop) stack_nginx_stop ;;
	apache-start) stack_apache_start ;;
	apache-stop) stack_apache_stop ;;
	stop-all) stack_stop_all ;;
	status) stack_status ;;
	running) stack_running ;;
	free-port) stack_free_ports "${1:-1}" ;;
	port-free) stack_port_free "${1:?port-free PORT}" ;;
	conf-set) stack_need_state && stack_conf_set "${1:?conf-set KEY VALUE}" "${2?conf-set KEY VALUE}" ;;
	render) stack_render "$@" ;;
	*)
		awk 'NR > 2 && /^#/ { sub(/^# ?/, ""); print; next } NR > 2 { exit }' "$STACK_SELF" >&2
		exit 2
		;;
	esac
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
	stack_main "$@"
fi
