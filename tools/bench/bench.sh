#!/usr/bin/env bash
# make bench: loads N contacts into a private stack, measures what users feel with wrk, writes build/bench/report.md.
#
# Environment (make bench passes the first three):
#   BENCH_N            contacts (default 1000000); customers and leads are N/10, at most 100,000 each
#   BENCH_DURATION     seconds per wrk run (default 5)
#   BENCH_CONCURRENCY  connection counts (default "1 16 64")
#   BENCH_REPEAT       runs per scenario and concurrency, the median is reported (default 3)
#   BENCH_FRESH=1      reload the data even when the database in BENCH_DIR already holds this data set
#   BENCH_DIR          where state, data and report go (default build/bench)
#   BENCH_ONLY         space-separated scenario names to run (default: all)
#   BENCH_DB_POOL      InnoDB buffer pool (default 2G from 200,000 contacts on, else 256M)
#   BENCH_SLOW         seconds: a scenario whose one request takes longer is timed one request at a time only
#                      (default: half of BENCH_DURATION)
#   BENCH_WARMUP=0     no 1 s warm-up run of each scenario before measuring (make test's quick run)
# Every process it starts (MariaDB, the programs, the hello baseline, nginx) is stopped at the end; the
# database stays in BENCH_DIR/state/mysql with a marker of what it holds, for the next run.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BENCH_DIR=${BENCH_DIR:-$ROOT/build/bench}
mkdir -p "$BENCH_DIR"
BENCH_DIR=$(cd "$BENCH_DIR" && pwd)
N=${BENCH_N:-1000000}
DURATION=${BENCH_DURATION:-5}
CONCURRENCY=${BENCH_CONCURRENCY:-1 16 64}
REPEAT=${BENCH_REPEAT:-3}
[[ "$N" =~ ^[0-9]+$ && "$N" -ge 100 ]] || { echo "bench: BENCH_N must be a number >= 100" >&2; exit 2; }
[[ "$DURATION" =~ ^[0-9]+$ && "$DURATION" -ge 1 ]] || { echo "bench: BENCH_DURATION must be whole seconds >= 1" >&2; exit 2; }
[[ "$REPEAT" =~ ^[0-9]+$ && "$REPEAT" -ge 1 ]] || { echo "bench: BENCH_REPEAT must be >= 1" >&2; exit 2; }
for c in $CONCURRENCY; do [[ "$c" =~ ^[0-9]+$ && "$c" -ge 1 ]] || { echo "bench: bad concurrency $c" >&2; exit 2; }; done
NCUST=$((N / 10)); ((NCUST > 100000)) && NCUST=100000; ((NCUST < 20)) && NCUST=20
NLEAD=$NCUST
if [[ -z "${BENCH_DB_POOL:-}" ]]; then
	if ((N >= 200000)); then BENCH_DB_POOL=2G; else BENCH_DB_POOL=256M; fi
fi
for tool in wrk gnuplot curl; do
	command -v "$tool" >/dev/null || { echo "bench: $tool not found: run tools/deps.sh bench" >&2; exit 1; }
done
GEN=$ROOT/build/bench/gen
HELLO=$ROOT/build/bench/hello
CRMCTL=$ROOT/build/crmctl
for exe in "$GEN" "$HELLO" "$CRMCTL" "$ROOT/build/contacts.fcgi"; do
	[[ -x "$exe" ]] || { echo "bench: $exe not built: run make all bench-tools" >&2; exit 1; }
done
PY=/usr/bin/python3
LUA=$ROOT/tools/bench/wrk.lua
WORK=$BENCH_DIR/work		# per-run files: cookies, paths, raw wrk output
RESULTS=$WORK/results.tsv
FIGURES=$WORK/figures.tsv
rm -rf "$WORK"
mkdir -p "$WORK"
: >"$RESULTS"
: >"$FIGURES"

unset CRM_SMTP_URL CRM_HTTP_PORT
export CRM_ROOT=$ROOT
export CRM_STATE=$BENCH_DIR/state
export CRM_CONFIG=$CRM_STATE/crm.conf
export CRM_WORKERS=${CRM_WORKERS:-2}
# a private tmpdir: the common-term search spills temporary tables to disk, and a shared /tmp being cleaned
# under the server made three of its requests fail with "Error on delete of /tmp/#sql-temptable-…"
mkdir -p "$BENCH_DIR/state/tmp"
export CRM_DB_OPTS="--innodb-buffer-pool-size=$BENCH_DB_POOL --innodb-log-file-size=512M --local-infile=1 --tmpdir=$BENCH_DIR/state/tmp"
# shellcheck source=tools/stack.sh
source "$ROOT/tools/stack.sh"
stack_need_state

say() { printf 'bench: %s\n' "$*" >&2; }
figure() { printf '%s\t%s\n' "$1" "$2" >>"$FIGURES"; }	# figure KEY VALUE (report.py reads them)
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

if running=$(stack_running); then
	say "$CRM_STATE is in use by another benchmark:"
	printf '  %s\n' "$running" >&2
	exit 1
fi
cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	stack_stop_all || true
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# fresh ports each run (the recorded ones may be taken now)
mapfile -t ports < <(stack_free_ports 5)
export CRM_DB_PORT=${ports[0]} CRM_SMTP_PORT=${ports[1]} CRM_STAFF_PORT=${ports[2]} CRM_PORTAL_PORT=${ports[3]}
BASE_PORT=${ports[4]}
STAFF=http://127.0.0.1:$CRM_STAFF_PORT
PORTAL=http://127.0.0.1:$CRM_PORTAL_PORT
BASE=http://127.0.0.1:$BASE_PORT

# --- the database: reuse the loaded one when it holds this data set ---------------------------------
LOAD_FORMAT=1	# bump when the loading below changes what the database holds
marker_want="n=$N customers=$NCUST leads=$NLEAD load=$LOAD_FORMAT gen=$(sha1sum <"$ROOT/tools/bench/gen.c" | cut -c1-12) sql=$(cat "$ROOT"/sql/*.sql | sha1sum | cut -c1-12)"
marker=$CRM_STATE/bench-loaded
load=1
if [[ "${BENCH_FRESH:-0}" != 1 && -f "$marker" && -d "$CRM_STATE/mysql/mysql" && "$(<"$marker")" == "$marker_want" ]]; then
	load=0
	say "reusing the database loaded earlier ($marker_want); BENCH_FRESH=1 reloads"
else
	rm -rf "$CRM_STATE/mysql" "$marker" "$CRM_STATE/crm.conf"
fi
stack_db_init
stack_db_start
stack_db_setup
"$CRMCTL" --config "$CRM_CONFIG" migrate >/dev/null
DB=$(stack_conf_get db.name)
DB_USER=$(stack_conf_get db.user)
sqlq() { stack_sql -N -D "$DB" "$@"; }

password=$(head -c 12 /dev/urandom | base64 | tr -d '/+=\n')
if ! printf '%s\n' "$password" | "$CRMCTL" --config "$CRM_CONFIG" user add bench --role crm_sales \
	--name "Bench User" --password-stdin >/dev/null 2>&1; then
	printf '%s\n' "$password" | "$CRMCTL" --config "$CRM_CONFIG" user passwd bench --password-stdin >/dev/null
fi
USER_ID=$(sqlq -e "SELECT id FROM users WHERE login = 'bench'")
TOKEN=$("$CRMCTL" --config "$CRM_CONFIG" token create bench --label bench | tail -n 1)

# Custom fields and consents (sql/007) are filled only when their tables exist.
has_extra=$(sqlq -e "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name IN
	('custom_fields', 'custom_field_options', 'contact_custom', 'consents', 'consent_versions', 'contact_consents', 'consent_events')")
gen_extra=()
extra_note="not loaded: the tables of sql/007_custom_fields.sql do not exist in this tree"
if ((has_extra == 7)); then
	if sqlq 2>"$WORK/extra.err" <<-'EOF'
		INSERT IGNORE INTO custom_fields (field_key, label_en, label_it, type, sort_order, ctx_list, ctx_export) VALUES
		  ('industry', 'Industry', 'Settore', 'picklist', 1, 1, 1), ('vip', 'VIP', 'VIP', 'checkbox', 2, 1, 1),
		  ('employees', 'Employees', 'Dipendenti', 'number', 3, 0, 1),
		  ('customer_since', 'Customer since', 'Cliente dal', 'date', 4, 0, 1);
		INSERT IGNORE INTO custom_field_options (field_id, option_key, label_en, label_it, sort_order)
		  SELECT f.id, o.k, o.en, o.it, o.n FROM custom_fields f JOIN (
		    SELECT 'manufacturing' k, 'Manufacturing' en, 'Manifattura' it, 1 n UNION ALL SELECT 'retail', 'Retail', 'Commercio', 2
		    UNION ALL SELECT 'services', 'Services', 'Servizi', 3 UNION ALL SELECT 'public', 'Public sector', 'Pubblica amministrazione', 4
		    UNION ALL SELECT 'healthcare', 'Healthcare', 'Sanità', 5 UNION ALL SELECT 'logistics', 'Logistics', 'Logistica', 6
		    UNION ALL SELECT 'software', 'Software', 'Software', 7 UNION ALL SELECT 'food', 'Food', 'Alimentare', 8) o
		  WHERE f.field_key = 'industry';
		INSERT IGNORE INTO consents (code, title_en, title_it, version, sort_order) VALUES
		  ('newsletter', 'Newsletter', 'Newsletter', 1, 1), ('profiling', 'Profiling', 'Profilazione', 1, 2);
		INSERT IGNORE INTO consent_versions (consent_id, version, text_en, text_it)
		  SELECT id, 1, CONCAT('I agree to ', title_en, '.'), CONCAT('Acconsento: ', title_it, '.') FROM consents
		  WHERE code IN ('newsletter', 'profiling');
	EOF
	then
		f=$(sqlq -e "SELECT GROUP_CONCAT(id ORDER BY FIELD(field_key, 'industry', 'vip', 'employees', 'customer_since'))
			FROM custom_fields WHERE field_key IN ('industry', 'vip', 'employees', 'customer_since')")
		c=$(sqlq -e "SELECT GROUP_CONCAT(id ORDER BY FIELD(code, 'newsletter', 'profiling')) FROM consents
			WHERE code IN ('newsletter', 'profiling')")
		gen_extra=(--fields "$f" --consents "$c")
		extra_note="4 additional fields (picklist, checkbox, number, date) and 2 consents with their events"
	else
		extra_note="not loaded: the schema of sql/007 differs from what the generator knows ($(head -c 200 "$WORK/extra.err"))"
	fi
fi

# --- loading -------------------------------------------------------------------------------------
# load_file SESSION_SQL TABLE FILE COLUMNS: LOAD DATA LOCAL of one TSV file, in its own session.
load_file() {
	local pre=$1 table=$2 file=$3 cols=$4
	[[ -f "$file" ]] || return 0
	stack_sql --local-infile=1 -D "$DB" -e "$pre LOAD DATA LOCAL INFILE '$file' IGNORE INTO TABLE $table
		CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\t' ($cols)"
}

if ((load)); then
	data=$BENCH_DIR/data
	rm -rf "$data"
	mkdir -p "$data"
	say "generating $N contacts, $NCUST customers, $NLEAD leads"
	t0=$(now)
	"$GEN" "$data" "$N" "$NCUST" "$NLEAD" --user "$USER_ID" "${gen_extra[@]}" >&2
	figure gen_seconds "$(elapsed "$t0")"
	say "loading with LOAD DATA (foreign and unique checks off, two sessions in parallel)"
	t0=$(now)
	stack_sql -e "SET GLOBAL innodb_flush_log_at_trx_commit = 2"
	fast="SET SESSION foreign_key_checks = 0, unique_checks = 0;"
	# search_words keeps its unique check: IGNORE drops the suffixes equal under the folding collation
	safe="SET SESSION foreign_key_checks = 0;"
	(
		load_file "$fast" contacts "$data/contacts.tsv" "id, first_name, middle_name, last_name, birthday, contact_type,
			reports_to_id, job_title, timezone, language, mobile_phone, mobile_phone_norm, work_phone, work_phone_norm,
			email, email_2, contact_preference, do_not_call, do_not_email, block_auto_emails, receives_newsletter,
			source, notes, active, status, owner_id, created_at, created_by, updated_at, updated_by, version,
			deleted_at, deleted_by"
		load_file "$fast" comments "$data/comments.tsv" "contact_id, user_id, actor, body, created_at"
		load_file "$fast" contact_custom "$data/contact_custom.tsv" "contact_id, field_id, v_text, v_num, v_date, v_long"
	) &
	first_half=$!
	load_file "$fast" customers "$data/customers.tsv" "id, name, type, email, phone, phone_norm, website, vat, street,
		city, postal_code, country, active, owner_id, created_at, updated_at"
	load_file "$fast" leads "$data/leads.tsv" "id, first_name, last_name, company, email, phone, phone_norm, language,
		source, status, owner_id, created_at, updated_at"
	load_file "$safe" search_words "$data/words.tsv" "kind, word, target_id, names"
	load_file "$fast" connections "$data/connections.tsv" "id, contact_id, customer_id, lead_id, is_primary, created_at"
	load_file "$fast" history "$data/history.tsv" "id, entity, entity_id, at, user_id, actor, action, field, old_value, new_value"
	load_file "$fast" contact_consents "$data/contact_consents.tsv" "contact_id, consent_id, granted, version, changed_at"
	load_file "$fast" consent_events "$data/consent_events.tsv" "id, contact_id, consent_id, granted, version, at,
		actor_user_id, actor_contact_id, actor, source"
	wait "$first_half"
	stack_sql -e "SET GLOBAL innodb_flush_log_at_trx_commit = 1"
	load_seconds=$(elapsed "$t0")
	t0=$(now)
	sqlq -e "ANALYZE TABLE contacts, customers, leads, connections, search_words, history, comments" >/dev/null
	figure load_seconds "$load_seconds"
	figure analyze_seconds "$(elapsed "$t0")"
	rows=$(cat "$data"/*.tsv | wc -l)
	figure load_rows "$rows"
	rm -rf "$data"
	printf '%s\n' "$marker_want" >"$marker"
	say "loaded $rows rows in $load_seconds s"
else
	figure load_seconds reused
	[[ -f "$CRM_STATE/bench-load-figures" ]] && cat "$CRM_STATE/bench-load-figures" >>"$FIGURES"
fi
((load)) && grep -E '^(gen_seconds|load_seconds|analyze_seconds|load_rows)' "$FIGURES" >"$CRM_STATE/bench-load-figures"
figure extra_note "$extra_note"
figure n "$N"
figure customers "$NCUST"
figure leads "$NLEAD"
figure contacts_now "$(sqlq -e "SELECT COUNT(*) FROM contacts")"
figure db_bytes "$(sqlq -e "SELECT SUM(data_length + index_length) FROM information_schema.tables WHERE table_schema = DATABASE()")"
figure db_dir_bytes "$(du -sb "$CRM_STATE/mysql" | cut -f1)"
sqlq -e "SELECT table_name, table_rows, data_length + index_length FROM information_schema.tables
	WHERE table_schema = DATABASE() AND data_length + index_length > 1048576 ORDER BY 3 DESC" >"$WORK/tables.tsv"

# --- the web stack and the baselines --------------------------------------------------------------
stack_app_start
RUN=$(stack_run_dir)
rm -f "$RUN/hello.sock"
stack_spawn hello "$CRM_STATE/log/hello.log" "$HELLO" --listen "unix:$RUN/hello.sock" --workers "$CRM_WORKERS" >/dev/null
for ((i = 0; i < 100; i++)); do [[ -S "$RUN/hello.sock" ]] && break; sleep 0.05; done
[[ -S "$RUN/hello.sock" ]] || { say "hello did not start"; exit 1; }
mkdir -p "$CRM_STATE/nginx/extra.d"
cat >"$CRM_STATE/nginx/extra.d/bench.conf" <<EOF
# The benchmark's FastCGI baseline: the same nginx, worker count and FastCGI settings as the staff host.
server {
    listen 127.0.0.1:$BASE_PORT;
    server_name 127.0.0.1;
    server_tokens off;
    location = /hello {
        include fastcgi_params;
        fastcgi_param HTTP_PROXY "";
        fastcgi_pass unix:$RUN/hello.sock;
    }
}
EOF
stack_nginx_start

# --- a staff session, a CSRF token, and the scenarios' parameters ------------------------------------
jar=$WORK/cookies
curl -s -c "$jar" -b "$jar" "$STAFF/login" >"$WORK/login.html"
form_csrf=$(grep -o 'name="csrf_token" value="[^"]*"' "$WORK/login.html" | head -n 1 | sed 's/.*value="//; s/"$//')
code=$(curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{http_code}' --data-urlencode login=bench \
	--data-urlencode "password=$password" --data-urlencode "csrf_token=$form_csrf" "$STAFF/login")
session=$(awk '$6 == "crm_session" { print $7 }' "$jar")
[[ "$code" == 303 || "$code" == 302 ]] && [[ -n "$session" ]] || { say "login failed (HTTP $code)"; exit 1; }
COOKIE="crm_session=$session; crm_lang=en"
CSRF=$(curl -s -H "Cookie: $COOKIE" "$STAFF/contacts/new" | grep -o 'name="csrf_token" value="[^"]*"' | head -n 1 |
	sed 's/.*value="//; s/"$//')
[[ -n "$CSRF" ]] || { say "no CSRF token on /contacts/new"; exit 1; }

sample=$((N < 5000 ? N : 5000))
# contact ids for the contact page and the connect search (alive, random)
sqlq -e "SELECT id FROM contacts WHERE deleted_at IS NULL AND anonymized_at IS NULL ORDER BY RAND() LIMIT $sample" \
	>"$WORK/contact_ids"
sed 's|^|/contacts/|' "$WORK/contact_ids" >"$WORK/paths.contact"
# customers as users click them in the Customer column: a random connection's customer
sqlq -e "SELECT customer_id FROM connections WHERE customer_id IS NOT NULL ORDER BY RAND() LIMIT 1000" |
	sed 's|^|/contacts?customer_id=|' >"$WORK/paths.filter"
# page 500 of the default list: the keyset cursor after row 24,950 (or the middle of a small table)
alive=$(sqlq -e "SELECT COUNT(*) FROM contacts WHERE active = 1 AND deleted_at IS NULL")
deep=$((alive > 25000 ? 24949 : alive / 2))
cursor=$(sqlq -e "SELECT HEX(CONCAT('n', CHAR(31), last_name, CHAR(31), first_name, CHAR(31), id)) FROM contacts
	WHERE active = 1 AND deleted_at IS NULL ORDER BY last_name, first_name, id LIMIT 1 OFFSET $deep")
echo "/contacts?after=$cursor" >"$WORK/paths.deep"
echo "/contacts" >"$WORK/paths.list"
echo "/login" >"$WORK/paths.login"
echo "/api/v1/contacts?limit=50" >"$WORK/paths.api"
echo "/static/crm.css" >"$WORK/paths.static"

# --- a portal user with tickets: access granted through the staff API, the password chosen through the
# link of the portal_access mail (read from the outbox: no SMTP server is needed), 25 tickets opened in the
# portal itself ------------------------------------------------------------------------------------------
portal_setup() {
	local email="bench-portal-$RANDOM$RANDOM@example.test" pw cid token pjar=$WORK/portal.cookies pcsrf code i
	pw=$(head -c 12 /dev/urandom | base64 | tr -d '/+=\n')
	cid=$(curl -s -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
		-d "{\"first_name\":\"Paola\",\"last_name\":\"Portale\",\"email\":\"$email\",\"portal_user\":true,\"create_anyway\":true}" \
		"$STAFF/api/v1/contacts" | "$PY" -c 'import json, sys; print(json.load(sys.stdin)["id"])') || return 1
	token=$(sqlq -e "SELECT body FROM outbox WHERE contact_id = $cid AND template = 'portal_access' ORDER BY id DESC LIMIT 1" |
		grep -o 'password?token=[0-9a-f]\{64\}' | head -n 1 | cut -d= -f2)
	[[ -n "$token" ]] || return 1
	rm -f "$pjar"
	pcsrf=$(curl -s -c "$pjar" -b "$pjar" "$PORTAL/password?token=$token" | grep -o 'name="csrf_token" value="[^"]*"' |
		head -n 1 | sed 's/.*value="//; s/"$//')
	code=$(curl -s -c "$pjar" -b "$pjar" -o /dev/null -w '%{http_code}' --data-urlencode "csrf_token=$pcsrf" \
		--data-urlencode "token=$token" --data-urlencode "password=$pw" --data-urlencode "password2=$pw" "$PORTAL/password")
	[[ "$code" == 303 ]] || return 1
	pcsrf=$(curl -s -c "$pjar" -b "$pjar" "$PORTAL/login" | grep -o 'name="csrf_token" value="[^"]*"' | head -n 1 |
		sed 's/.*value="//; s/"$//')
	code=$(curl -s -c "$pjar" -b "$pjar" -o /dev/null -w '%{http_code}' --data-urlencode "csrf_token=$pcsrf" \
		--data-urlencode "email=$email" --data-urlencode "password=$pw" "$PORTAL/login")
	[[ "$code" == 303 ]] || return 1
	# the jar marks HttpOnly cookies with a "#HttpOnly_" prefix: those are cookies too, not comments
	PCOOKIE=$(awk '{ sub(/^#HttpOnly_/, "") } !/^#/ && NF >= 7 { printf "%s%s=%s", sep, $6, $7; sep = "; " }' "$pjar")
	pcsrf=$(curl -s -H "Cookie: $PCOOKIE" "$PORTAL/tickets/new" | grep -o 'name="csrf_token" value="[^"]*"' | head -n 1 |
		sed 's/.*value="//; s/"$//')
	for ((i = 1; i <= 25; i++)); do
		code=$(curl -s -H "Cookie: $PCOOKIE" -o /dev/null -w '%{http_code}' --data-urlencode "csrf_token=$pcsrf" \
			--data-urlencode "subject=Printer $i does not print" --data-urlencode "description=Paper jam, tray $i." \
			--data-urlencode category=problem --data-urlencode priority=normal "$PORTAL/tickets")
		[[ "$code" == 303 ]] || return 1
	done
	echo "/tickets" >"$WORK/paths.portal_tickets"
}
PCOOKIE=
PORTAL_NOTE=
if [[ -z "${BENCH_ONLY:-}" || " $BENCH_ONLY " == *" portal_tickets "* ]] && ! portal_setup; then
	say "portal set-up failed: the portal ticket list is not measured"
	PCOOKIE=
	PORTAL_NOTE="portal_tickets|Portal ticket list|not measured: the benchmark could not set up a portal user (see the log)"
fi
echo "/hello" >"$WORK/paths.hello"
common=$(sqlq -e "SELECT last_name FROM contacts GROUP BY last_name ORDER BY COUNT(*) DESC LIMIT 1")
rare=$(sqlq -e "SELECT last_name FROM contacts WHERE last_name LIKE '%-%' GROUP BY last_name HAVING COUNT(*) BETWEEN 1 AND 5
	ORDER BY last_name LIMIT 1")
[[ -n "$rare" ]] || rare=$(sqlq -e "SELECT last_name FROM contacts GROUP BY last_name ORDER BY COUNT(*), last_name LIMIT 1")
urlq() { "$PY" -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }
echo "/contacts?q=$(urlq "$common")" >"$WORK/paths.search_common"
echo "/contacts?q=$(urlq "$rare")" >"$WORK/paths.search_rare"
figure term_common "$common ($(sqlq -e "SELECT COUNT(*) FROM contacts WHERE last_name LIKE '$common%'") contacts)"
figure term_rare "$rare ($(sqlq -e "SELECT COUNT(*) FROM contacts WHERE last_name LIKE '${rare//\'/\'\'}%'") contacts)"
figure deep_offset "$((deep + 1))"
# connect search: what people type to find a company or a lead, short prefixes to whole names
{
	printf '%s\n' ros bian smi "offic" "north" "ferr co" "acme ross"
	sqlq -e "SELECT name FROM customers ORDER BY RAND() LIMIT 3"
	sqlq -e "SELECT CONCAT(first_name, ' ', last_name) FROM leads ORDER BY RAND() LIMIT 2"
} >"$WORK/connect_terms"
figure connect_terms "$(paste -sd '|' "$WORK/connect_terms")"
# the hard case on its own: several words, each of them common, in either order
{
	printf '%s\n' "ferr co" "co ferr" "acme ross" "ross acme" "mar ro" "costruzioni bernardi"
	sqlq -e "SELECT name FROM customers WHERE name LIKE '% % %' ORDER BY RAND() LIMIT 2"
} >"$WORK/connect_multi_terms"
figure connect_multi_terms "$(paste -sd '|' "$WORK/connect_multi_terms")"
connect_paths() {
	"$PY" - "$WORK/contact_ids" "$1" <<'PY'
import random, sys, urllib.parse
ids = open(sys.argv[1]).read().split()
terms = [t for t in open(sys.argv[2]).read().split("\n") if t]
random.seed(7)
for _ in range(2000):
    print("/connections/search?contact_id=%s&q=%s" % (random.choice(ids), urllib.parse.quote(random.choice(terms))))
PY
}
connect_paths "$WORK/connect_terms" >"$WORK/paths.connect"
connect_paths "$WORK/connect_multi_terms" >"$WORK/paths.connect_multi"

# update: contacts of a region that moves with every run, with their current versions
update_rows() {
	local off=$1 lim=$2
	sqlq -e "SELECT 'id', 'version', 'first_name', 'middle_name', 'last_name', 'birthday', 'contact_type', 'job_title',
		'timezone', 'language', 'mobile_phone', 'work_phone', 'email', 'email_2', 'do_not_call', 'do_not_email',
		'receives_newsletter', 'source', 'notes'
		UNION ALL (SELECT id, version, first_name, middle_name, last_name, IFNULL(birthday, ''), IFNULL(contact_type, ''),
		IFNULL(job_title, ''), IFNULL(timezone, ''), IFNULL(language, ''), IFNULL(mobile_phone, ''), IFNULL(work_phone, ''),
		IFNULL(email, ''), IFNULL(email_2, ''), IF(do_not_call, '1', ''), IF(do_not_email, '1', ''),
		IF(receives_newsletter, '1', ''), IFNULL(source, ''), IFNULL(notes, '') FROM contacts
		WHERE deleted_at IS NULL AND anonymized_at IS NULL AND id > $off ORDER BY id LIMIT $lim)"
}

# --- scenarios -----------------------------------------------------------------------------------
# name|target|mode|paths|auth|title
SCENARIOS=(
	"static|staff|get|static|none|nginx static file (/static/crm.css, 6 KB)"
	"hello|base|get|hello|none|FastCGI hello (no database)"
	"login|staff|get|login|none|Login page"
	"list|staff|get|list|session|Contact list, default page"
	"deep|staff|get|deep|session|Contact list, page 500 (keyset)"
	"search_common|staff|get|search_common|session|Phrase search, common term"
	"search_rare|staff|get|search_rare|session|Phrase search, rare term"
	"filter_customer|staff|get|filter|session|Filter by customer"
	"contact|staff|get|contact|session|Contact page"
	"connect|staff|get|connect|session|Connect search (customers and leads)"
	"connect_multi|staff|get|connect_multi|session|Connect search, several common words"
	"create|staff|create|-|session|Create contact (POST with CSRF)"
	"update|staff|update|-|session|Update contact (POST with CSRF)"
	"api_list|staff|get|api|token|JSON API list"
	"portal_tickets|portal|get|portal_tickets|portal|Portal ticket list (25 tickets)"
)
NOT_BUILT=(
	${PORTAL_NOTE:+"$PORTAL_NOTE"}
)
selected() {
	[[ "$1" == portal_tickets && -z "$PCOOKIE" ]] && return 1
	[[ -z "${BENCH_ONLY:-}" || " $BENCH_ONLY " == *" $1 "* || "$1" == static || "$1" == hello ]]
}

# statements = QUESTIONS (each COM_QUERY and each prepared-statement execution once; COM_SELECT would count
# an executed prepared SELECT a second time)
status_counts() {
	stack_sql -N -e "SELECT variable_name, variable_value FROM information_schema.global_status WHERE variable_name IN
		('QUESTIONS', 'COM_STMT_EXECUTE', 'COM_SELECT', 'HANDLER_READ_KEY', 'HANDLER_READ_NEXT', 'HANDLER_READ_PREV',
		 'HANDLER_READ_FIRST', 'HANDLER_READ_RND', 'HANDLER_READ_RND_NEXT')" |
		awk '{ v[$1] = $2 } END { printf "%d %d\n", v["QUESTIONS"] + 0, v["HANDLER_READ_KEY"] + v["HANDLER_READ_NEXT"] + v["HANDLER_READ_PREV"] + v["HANDLER_READ_FIRST"] + v["HANDLER_READ_RND"] + v["HANDLER_READ_RND_NEXT"] }'
}

# drain: waits until no FastCGI socket has a queued connection and MariaDB runs no statement of the programs,
# so that requests a slow run left queued (wrk has gone, nginx and the workers have not) never weigh on the next
# run; at most 120 s. Prints the seconds waited.
drain() {
	local i queued busy t0
	t0=$(now)
	for ((i = 0; i < 2400; i++)); do
		queued=$(ss -xlnH 2>/dev/null | awk -v run="$RUN/" 'index($5, run) == 1 { s += $3 } END { print s + 0 }')
		if ((queued == 0)); then
			busy=$(stack_sql -N -e "SELECT COUNT(*) FROM information_schema.processlist WHERE user = '$DB_USER'
				AND command IN ('Query', 'Execute')")
			((busy == 0)) && break
		fi
		sleep 0.05
	done
	elapsed "$t0"
}

run_count=0
# CPU time (clock ticks, all threads) of MariaDB, of the FastCGI programs (masters and workers) and of nginx:
# sampled around each run, so that each request's CPU demand per tier shows where the time goes
TICK=$(getconf CLK_TCK)
proc_ticks() { local t=0 p; for p in "$@"; do [[ -r /proc/$p/stat ]] && t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo "$t"; }
tier_pids() {	# tier_pids db|app|web
	local m mp
	case $1 in
	db) stack_pid db ;;
	app) for m in contacts connections settings portal hello; do mp=$(stack_pid "$m") && echo "$mp" $(pgrep -P "$mp"); done ;;
	web) mp=$(stack_pid nginx) && echo "$mp" $(pgrep -P "$mp") ;;
	esac
}
cpu_sample() { echo "$(proc_ticks $(tier_pids db)) $(proc_ticks $(tier_pids app)) $(proc_ticks $(tier_pids web))"; }

# run_wrk SCENARIO CONCURRENCY DURATION REP: one wrk run; appends a line to results.tsv (REP 0 = warm-up)
run_wrk() {
	local spec=$1 conc=$2 dur=$3 rep=$4 name target mode paths auth title url threads env=() out before after line drained
	IFS='|' read -r name target mode paths auth title <<<"$spec"
	url=$STAFF
	[[ $target == base ]] && url=$BASE
	[[ $target == portal ]] && url=$PORTAL
	threads=$((conc < 2 ? conc : 2))
	env=(BENCH_MODE="$mode" BENCH_THREADS="$threads" BENCH_CSRF="$CSRF")
	[[ $paths != - ]] && env+=(BENCH_PATHS="$WORK/paths.$paths")
	[[ $auth == session ]] && env+=(BENCH_COOKIE="$COOKIE")
	[[ $auth == token ]] && env+=(BENCH_AUTH="Bearer $TOKEN")
	[[ $auth == portal ]] && env+=(BENCH_COOKIE="$PCOOKIE")
	if [[ $mode == update ]]; then
		run_count=$((run_count + 1))
		update_rows "$(((run_count * 20000) % (N > 40000 ? N - 20000 : 1)))" 20000 >"$WORK/rows.update"
		env+=(BENCH_ROWS="$WORK/rows.update")
	fi
	out=$WORK/wrk.$name.$conc.$rep.out
	local cpu0 cpu1
	cpu0=$(cpu_sample)
	before=$(status_counts)
	env "${env[@]}" wrk -t "$threads" -c "$conc" -d "${dur}s" --timeout 30s -s "$LUA" "$url" >"$out" 2>&1 || true
	drained=$(drain)
	cpu1=$(cpu_sample)
	after=$(status_counts)
	line=$(grep '^BENCH' "$out" | tail -n 1 || true)
	if [[ -z "$line" ]]; then
		say "wrk failed for $name at $conc connections:"
		cat "$out" >&2
		line="BENCH	0	0	0	0	0	-1	0	0	0	0"
	fi
	# CPU milliseconds per request of each tier (db, app, web) over the run and its drain
	local cpums
	cpums=$(awk -v a="$cpu0" -v b="$cpu1" -v n="$(cut -f2 <<<"$line")" -v tick="$TICK" 'BEGIN {
		split(a, x, " "); split(b, y, " ");
		for (i = 1; i <= 3; i++) printf "%s%.3f", (i > 1 ? " " : ""), (n > 0 ? (y[i] - x[i]) * 1000 / tick / n : 0) }')
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$rep" "$name" "$conc" "${line#BENCH	}" "$before" "$after" "$drained" "$cpums" |
		tr ' ' '\t' >>"$RESULTS"
}

# check SCENARIO: one request by curl answers as expected (GET 200, POST 303), so that a run of
# redirects to the login page can never pass for a fast page
check() {
	local spec=$1 name target mode paths auth title url path code want=200 hdr=() secs=0
	IFS='|' read -r name target mode paths auth title <<<"$spec"
	url=$STAFF
	[[ $target == base ]] && url=$BASE
	[[ $target == portal ]] && url=$PORTAL
	[[ $auth == session ]] && hdr=(-H "Cookie: $COOKIE")
	[[ $auth == portal ]] && hdr=(-H "Cookie: $PCOOKIE")
	[[ $auth == token ]] && hdr=(-H "Authorization: Bearer $TOKEN")
	case $mode in
	get)
		path=$(head -n 1 "$WORK/paths.$paths")
		read -r code secs < <(curl -s -o "$WORK/check.$name" -w '%{http_code} %{time_total}\n' "${hdr[@]}" "$url$path")
		;;
	create)
		want=303
		code=$(curl -s -o /dev/null -w '%{http_code}' "${hdr[@]}" --data-urlencode "csrf_token=$CSRF" \
			--data-urlencode first_name=Check --data-urlencode last_name=Bench --data-urlencode active=1 "$url/contacts")
		;;
	update)
		want=303
		local id version
		read -r id version < <(sqlq -e "SELECT id, version FROM contacts WHERE deleted_at IS NULL ORDER BY id DESC LIMIT 1")
		code=$(curl -s -o /dev/null -w '%{http_code}' "${hdr[@]}" --data-urlencode "csrf_token=$CSRF" \
			--data-urlencode "version=$version" --data-urlencode first_name=Check --data-urlencode last_name=Bench \
			--data-urlencode active=1 "$url/contacts/$id")
		;;
	esac
	printf '%s\t%s\t%s\t%s\n' "$name" "$want" "$code" "$secs" >>"$WORK/checks.tsv"
	[[ "$code" == "$want" ]] || say "check: $name answered $code, expected $want"
}

worker_rss() {	# worker_rss PROGRAM FIELD: the largest FIELD (VmRSS, VmHWM) in kB among its workers
	local master kids k v max=0
	master=$(stack_pid "$1") || { echo 0; return; }
	kids=$(pgrep -P "$master" || true)
	for k in $kids; do
		v=$(awk -v f="$2:" '$1 == f { print $2 }' "/proc/$k/status" 2>/dev/null || echo 0)
		((v > max)) && max=$v
	done
	echo "$max"
}

: >"$WORK/checks.tsv"
: >"$WORK/slow.tsv"
for spec in "${SCENARIOS[@]}"; do
	selected "${spec%%|*}" && check "$spec"
done
# A scenario whose single request takes longer than BENCH_SLOW seconds (default: half a run) is not run under
# load: each connection would hold a worker that long, and the queue would take minutes to drain. Three
# requests one after the other (different parameters) give its latency instead.
slow_limit=${BENCH_SLOW:-$(awk -v d="$DURATION" 'BEGIN { print d / 2 }')}
SLOW=" "
while IFS=$'\t' read -r name _ _ secs; do
	awk -v s="$secs" -v l="$slow_limit" 'BEGIN { exit !(s > l) }' || continue
	SLOW+="$name "
	times=()
	for path in $(head -n 3 "$WORK/paths.$(grep "^$name|" <<<"$(printf '%s\n' "${SCENARIOS[@]}")" | cut -d'|' -f4)"); do
		times+=("$(curl -s -o /dev/null -w '%{time_total}' -H "Cookie: $COOKIE" "$STAFF$path")")
	done
	printf '%s\t%s\n' "$name" "${times[*]}" >>"$WORK/slow.tsv"
	say "$name: one request took $secs s: measured one request at a time only (${times[*]} s)"
done <"$WORK/checks.tsv"
measured() { selected "$1" && [[ "$SLOW" != *" $1 "* ]]; }

figure rss_idle_start_kb "$(worker_rss contacts VmRSS)"
if [[ "${BENCH_WARMUP:-1}" != 0 ]]; then
	say "warming up (1 s per scenario at 16 connections)"
	for spec in "${SCENARIOS[@]}"; do
		measured "${spec%%|*}" && run_wrk "$spec" 16 1 0
	done
fi
figure rss_idle_kb "$(worker_rss contacts VmRSS)"
load_start=$(cut -d' ' -f1 /proc/loadavg)
t0=$(now)
total=0
for spec in "${SCENARIOS[@]}"; do measured "${spec%%|*}" && total=$((total + 1)); done
say "measuring $total scenarios x concurrency ($CONCURRENCY) x $REPEAT runs of $DURATION s"
# the busy workers: the largest RSS of any contacts or connections worker, sampled twice a second while measuring
: >"$WORK/sampling"
(
	max=0
	while [[ -f "$WORK/sampling" ]]; do
		for m in contacts connections; do
			v=$(worker_rss "$m" VmRSS)
			((v > max)) && max=$v && echo "$max" >"$WORK/rss_busy"
		done
		sleep 0.5
	done
) &
sampler=$!
for ((rep = 1; rep <= REPEAT; rep++)); do
	for conc in $CONCURRENCY; do
		for spec in "${SCENARIOS[@]}"; do
			measured "${spec%%|*}" || continue
			run_wrk "$spec" "$conc" "$DURATION" "$rep"
		done
		say "run $rep, $conc connections done ($(elapsed "$t0") s)"
	done
done
rm -f "$WORK/sampling"
wait "$sampler" || true
figure measure_seconds "$(elapsed "$t0")"
figure loadavg_start "$load_start"
figure loadavg_end "$(cut -d' ' -f1 /proc/loadavg)"
figure rss_busy_kb "$(cat "$WORK/rss_busy" 2>/dev/null || echo 0)"
for m in contacts connections settings portal hello; do
	figure "hwm_${m}_kb" "$(worker_rss "$m" VmHWM)"
done
figure contacts_after "$(sqlq -e "SELECT COUNT(*) FROM contacts")"

# --- exports of every contact (active and inactive) through the API, one at a time: time, size, rows, and
# the largest RSS of any contacts worker sampled every 0.2 s while it streams ---------------------------
export_measure() {	# export_measure NAME QUERY
	local name=$1 query=$2 out=$WORK/export.$1 t0 code rss=0 v
	t0=$(now)
	curl -s -o "$out" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$STAFF/api/v1/contacts/export?$query" \
		>"$WORK/export.$name.code" &
	local pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		v=$(worker_rss contacts VmRSS)
		((v > rss)) && rss=$v
		sleep 0.2
	done
	wait "$pid" || true
	figure "${name}_seconds" "$(elapsed "$t0")"
	figure "${name}_code" "$(cat "$WORK/export.$name.code")"
	figure "${name}_bytes" "$(stat -c %s "$out" 2>/dev/null || echo 0)"
	figure "${name}_rss_kb" "$rss"
}
# --- CSV import of new contacts through the staged import (the real path: validation, duplicate keys,
# batches), by a crm_manager over the API, then reverted through the web page so the data set stays the
# same from run to run ------------------------------------------------------------------------------
IMPORT_ROWS=${BENCH_IMPORT_ROWS:-$((N >= 100000 ? 100000 : N))}
import_measure() {
	local mgr_pw mtoken job t0 st mjar mcsrf code i
	mgr_pw=$(head -c 12 /dev/urandom | base64 | tr -d '/+=\n')
	if ! printf '%s\n' "$mgr_pw" | "$CRMCTL" --config "$CRM_CONFIG" user add bench_import --role crm_manager \
		--name "Bench Import" --password-stdin >/dev/null 2>&1; then
		printf '%s\n' "$mgr_pw" | "$CRMCTL" --config "$CRM_CONFIG" user passwd bench_import --password-stdin >/dev/null
	fi
	mtoken=$("$CRMCTL" --config "$CRM_CONFIG" token create bench_import --label bench | tail -n 1)
	"$PY" - "$WORK/import.csv" "$IMPORT_ROWS" <<'PY'
import csv, random, sys, time
# every row a different person: first name x surname x second surname (40 x 50 x 50 = 100,000 combinations),
# so the duplicate keys (e-mail, phone, first + last name) are all looked up and, in a fresh data set, find nothing
first = ["Marco", "Giulia", "Luca", "Francesca", "Matteo", "Chiara", "Andrea", "Sara", "Niccolò", "Zoë", "Seán", "Aoife",
         "James", "Emma", "Oliver", "Sophie", "Élodie", "Jürgen", "Bartholomew", "Anna Maria", "Paolo", "Elena",
         "Giorgio", "Federica", "Stefano", "Valentina", "Davide", "Martina", "Simone", "Alessia", "Liam", "Grace",
         "Thomas", "Charlotte", "Daniel", "Hannah", "Ciarán", "Niamh", "Benedetta", "Tommaso"]
last = ["Rossi", "Bianchi", "Esposito", "D'Angelo", "Müller", "Ó Briain", "Smith", "Colombo", "Ricci", "Marino",
        "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Costa", "Fontana", "O'Connor", "Walsh", "Byrne", "Moretti",
        "Barbieri", "Lombardi", "Giordano", "Rinaldi", "Caruso", "Ferrara", "Galli", "Martini", "Leone", "Longo",
        "Gentile", "Martinelli", "Vitale", "Serra", "Coppola", "De Santis", "Doyle", "Kennedy", "Lynch", "Murphy",
        "Quinn", "Brennan", "Hughes", "Taylor", "Brown", "Wilson", "Evans", "Roberts", "Baker"]
second = ["Abbondanza", "Bellomo", "Cancelliere", "Dall'Acqua", "Esterházy", "Fabbrocino", "Guarnaccia", "Iacovelli",
          "Lanfranchi", "Mastrogiacomo", "Nardecchia", "Ognibene", "Pietrangeli", "Quattrocchi", "Rapisarda",
          "Scaramuzza", "Tagliaferri", "Urbinati", "Vallarsa", "Zampolli", "Ashworth", "Blackwood", "Cartwright",
          "Drinkwater", "Entwistle", "Fairweather", "Gatenby", "Hathersage", "Illingworth", "Jobling", "Kettlewell",
          "Lightfoot", "Mawdsley", "Nettleship", "Oddie", "Pickersgill", "Quarmby", "Rawnsley", "Sowerbutts",
          "Thistlethwaite", "Uttley", "Vavasour", "Wigglesworth", "Yeadon", "Ó Muircheartaigh", "Mac Giolla",
          "Ní Bhriain", "Uí Néill", "Ó Séaghdha", "Mhic Aodha"]
jobs = ["Buyer", "Office manager", "CTO", "Sales director", "Responsabile acquisti", "Amministrazione", ""]
random.seed(11)
run = "%x" % int(time.time())
with open(sys.argv[1], "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["first_name", "last_name", "email", "mobile_phone", "job_title", "language"])
    for i in range(int(sys.argv[2])):
        fn = first[i % len(first)]
        ln = last[i // len(first) % len(last)] + " " + second[i // (len(first) * len(last)) % len(second)]
        w.writerow([fn, ln, "imp%s.%d@bench.example" % (run, i), "+39 3%02d %07d" % (random.randint(20, 99), i),
                    random.choice(jobs), random.choice(["it", "en"])])
PY
	t0=$(now)
	job=$(curl -s -H "Authorization: Bearer $mtoken" -H 'Content-Type: text/csv' --data-binary "@$WORK/import.csv" \
		"$STAFF/api/v1/contacts/import?staged=1&on_duplicate=skip" | "$PY" -c 'import json, sys; print(json.load(sys.stdin)["id"])') ||
		{ say "import: the upload was refused"; return 1; }
	for ((i = 0; i < 3600; i++)); do
		st=$(curl -s -H "Authorization: Bearer $mtoken" "$STAFF/api/v1/contacts/imports/$job")
		case $("$PY" -c 'import json, sys; print(json.load(sys.stdin)["status"])' <<<"$st") in
		done|failed) break ;;
		esac
		sleep 0.5
	done
	figure csv_import_seconds "$(elapsed "$t0")"
	figure csv_import_rows "$IMPORT_ROWS"
	figure csv_import_result "$("$PY" -c 'import json, sys; j = json.load(sys.stdin); print("%s: %d created, %d updated, %d skipped, %d refused" % (j["status"], j["created"], j["updated"], j["skipped"], j["refused"]))' <<<"$st")"
	figure csv_import_created "$("$PY" -c 'import json, sys; print(json.load(sys.stdin)["created"])' <<<"$st")"
	# revert through the page, as a manager would
	mjar=$WORK/import.cookies
	rm -f "$mjar"
	mcsrf=$(curl -s -c "$mjar" -b "$mjar" "$STAFF/login" | grep -o 'name="csrf_token" value="[^"]*"' | head -n 1 |
		sed 's/.*value="//; s/"$//')
	curl -s -c "$mjar" -b "$mjar" -o /dev/null --data-urlencode login=bench_import --data-urlencode "password=$mgr_pw" \
		--data-urlencode "csrf_token=$mcsrf" "$STAFF/login"
	mcsrf=$(curl -s -c "$mjar" -b "$mjar" "$STAFF/contacts/import/$job/revert" | grep -o 'name="csrf_token" value="[^"]*"' |
		head -n 1 | sed 's/.*value="//; s/"$//')
	t0=$(now)
	code=$(curl -s -c "$mjar" -b "$mjar" -o /dev/null -w '%{http_code}' --data-urlencode "csrf_token=$mcsrf" \
		"$STAFF/contacts/import/$job/revert")
	for ((i = 0; i < 3600; i++)); do
		st=$(curl -s -H "Authorization: Bearer $mtoken" "$STAFF/api/v1/contacts/imports/$job")
		case $("$PY" -c 'import json, sys; print(json.load(sys.stdin)["status"])' <<<"$st") in
		reverted|failed) break ;;
		esac
		sleep 0.5
	done
	figure csv_import_revert_seconds "$(elapsed "$t0")"
	figure csv_import_revert_result "HTTP $code, $("$PY" -c 'import json, sys; print(json.load(sys.stdin)["status"])' <<<"$st")"
	rm -f "$WORK/import.csv"
}
if [[ -z "${BENCH_ONLY:-}" || " $BENCH_ONLY " == *" import "* ]]; then
	say "importing $IMPORT_ROWS new contacts (staged CSV import), then reverting it"
	import_measure || figure csv_import_result "failed: see the log"
fi

if [[ -z "${BENCH_ONLY:-}" || " $BENCH_ONLY " == *" export "* ]]; then
	say "exporting every contact as CSV, then as vCard"
	export_measure csv_export "format=csv&active=all"
	figure csv_export_rows "$("$PY" -c 'import csv, sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], newline="", encoding="utf-8"))) - 1)' "$WORK/export.csv_export")"
	export_measure vcard_export "format=vcf&active=all"
	figure vcard_export_rows "$(grep -c '^BEGIN:VCARD' "$WORK/export.vcard_export" || true)"
	figure export_expected_rows "$(sqlq -e "SELECT COUNT(*) FROM contacts WHERE deleted_at IS NULL")"
	rm -f "$WORK/export.csv_export" "$WORK/export.vcard_export"
fi

# --- the machine -----------------------------------------------------------------------------------
figure cpu "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo) × $(nproc)"
figure mem "$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
figure kernel "$(uname -sr)"
figure os "$(. /etc/os-release && echo "$PRETTY_NAME")"
figure nginx "$( (nginx -v 2>&1 || /usr/sbin/nginx -v 2>&1) | sed 's/.*version: //')"
figure mariadb "$(mariadbd --version 2>/dev/null | awk '{ print $3 }' || true)"
figure wrk "$(wrk --version 2>&1 | head -n 1 | awk '{ print $2 }')"
figure workers "$CRM_WORKERS"
figure duration "$DURATION"
figure repeat "$REPEAT"
figure concurrency "$CONCURRENCY"
figure db_pool "$BENCH_DB_POOL"
figure date "$(date -u '+%Y-%m-%d %H:%M UTC')"
figure commit "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
for s in "${SCENARIOS[@]}"; do printf '%s\n' "$s"; done >"$WORK/scenarios"
printf '%s\n' "${NOT_BUILT[@]}" >"$WORK/not_built"

stack_stop_all
trap - EXIT
"$PY" "$ROOT/tools/bench/report.py" "$BENCH_DIR"
say "report: $BENCH_DIR/report.md"
