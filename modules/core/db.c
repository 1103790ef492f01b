/* db.c — MariaDB Connector/C wrapper: statement cache, string results, reconnect, transactions. */
#include "db.h"
#include "config.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>

#define STMT_CACHE 512
#define MAX_PARAMS 4096	/* an import batch binds up to 128 history rows of 8 (every round trip costs) */
#define STACK_PARAMS 256	/* more than this are bound from the heap */

static MYSQL *conn;
static const struct config *dbcfg;
static int in_txn;
static unsigned last_errno;
static char last_error[512];
static time_t last_attempt;
static unsigned long client_flags;

void db_allow_multi_statements(void)
{
	client_flags |= CLIENT_MULTI_STATEMENTS;
}

static struct {
	const char *sql;
	MYSQL_STMT *st;
} cache[STMT_CACHE];
static size_t ncache;

static void cache_clear(void)
{
	for (size_t i = 0; i < ncache; i++)
		if (cache[i].st && conn)
			mysql_stmt_close(cache[i].st);
	ncache = 0;
}

/* Ends the connection without another word to the server (it may be gone, or sending rows nobody
 * wants): statements of a closed connection are detached, and closing them then only frees their memory. */
static void conn_drop(void)
{
	if (conn)
		mysql_close(conn);
	conn = NULL;
	for (size_t i = 0; i < ncache; i++)
		mysql_stmt_close(cache[i].st);
	ncache = 0;
	in_txn = 0;
}

static int classify(unsigned e)
{
	switch (e) {
	case 0:
		return DB_OK;
	case CR_SERVER_GONE_ERROR: case CR_SERVER_LOST: case CR_CONNECTION_ERROR:
	case CR_CONN_HOST_ERROR: case CR_SERVER_LOST_EXTENDED: case 1927 /* ER_CONNECTION_KILLED */:
	case 4031 /* client timeout */: case ER_SERVER_SHUTDOWN:
		return DB_GONE;
	case ER_DUP_ENTRY: case ER_DUP_ENTRY_WITH_KEY_NAME:
		return DB_DUP;
	case ER_LOCK_DEADLOCK: case ER_LOCK_WAIT_TIMEOUT: case 1047 /* WSREP not ready */:
		return DB_RETRY;
	case ER_ROW_IS_REFERENCED_2: case ER_NO_REFERENCED_ROW_2: case ER_ROW_IS_REFERENCED:
	case ER_NO_REFERENCED_ROW: case 4025 /* ER_CONSTRAINT_FAILED */:
		return DB_CONSTRAINT;
	default:
		return DB_ERR;
	}
}

static int fail(unsigned e, const char *msg, const char *sql)
{
	int rc = classify(e);
	last_errno = e;
	snprintf(last_error, sizeof last_error, "%s", msg ? msg : "");
	if (rc == DB_ERR)
		log_msg(LOG_ERR, "db: %u %s [%.120s]", e, last_error, sql ? sql : "");
	else if (rc == DB_GONE) {
		log_msg(LOG_WARN, "db: connection lost: %u %s", e, last_error);
		conn_drop();
	}
	return rc;
}

static int connect_now(void)
{
	unsigned timeout = 2, rw = 30;
	my_bool off = 0;

	if (conn)
		return DB_OK;
	last_attempt = time(NULL);
	if ((conn = mysql_init(NULL)) == NULL)
		return DB_ERR;
	mysql_options(conn, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	mysql_options(conn, MYSQL_OPT_READ_TIMEOUT, &rw);
	mysql_options(conn, MYSQL_OPT_WRITE_TIMEOUT, &rw);
	mysql_options(conn, MYSQL_OPT_RECONNECT, &off);
	mysql_options(conn, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	mysql_options(conn, MYSQL_INIT_COMMAND,
	    "SET time_zone='+00:00', sql_mode='STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ENGINE_SUBSTITUTION,ERROR_FOR_DIVISION_BY_ZERO'");
	if (!mysql_real_connect(conn, dbcfg->db_socket ? NULL : dbcfg->db_host, dbcfg->db_user,
	    dbcfg->db_password, dbcfg->db_name, dbcfg->db_socket ? 0 : (unsigned)dbcfg->db_port,
	    dbcfg->db_socket, client_flags)) {
		last_errno = mysql_errno(conn);
		snprintf(last_error, sizeof last_error, "%s", mysql_error(conn));
		log_msg(LOG_WARN, "db: cannot connect: %u %s", last_errno, last_error);
		mysql_close(conn);
		conn = NULL;
		return DB_GONE;
	}
	return DB_OK;
}

int db_open(const struct config *cfg)
{
	dbcfg = cfg;
	return connect_now();
}

void db_close(void)
{
	cache_clear();
	if (conn)
		mysql_close(conn);
	conn = NULL;
	in_txn = 0;
}

int db_connected(void)
{
	return conn != NULL;
}

const char *db_error(void) { return last_error; }
unsigned db_errno(void) { return last_errno; }

static MYSQL_STMT *prepare(const char *sql, int *rc)
{
	MYSQL_STMT *st;

	for (size_t i = 0; i < ncache; i++)
		if (cache[i].sql == sql)
			return cache[i].st;
	/* A full cache starts over: a statement that is neither cached nor closed would stay
	 * prepared on the server until max_prepared_stmt_count refuses everyone's statements. */
	if (ncache == STMT_CACHE) {
		log_msg(LOG_WARN, "db: statement cache full (%d): cleared", STMT_CACHE);
		cache_clear();
	}
	if ((st = mysql_stmt_init(conn)) == NULL) {
		*rc = fail(mysql_errno(conn), mysql_error(conn), sql);
		return NULL;
	}
	if (mysql_stmt_prepare(st, sql, strlen(sql))) {
		*rc = fail(mysql_stmt_errno(st), mysql_stmt_error(st), sql);
		if (conn)
			mysql_stmt_close(st);
		return NULL;
	}
	{
		my_bool on = 1;
		mysql_stmt_attr_set(st, STMT_ATTR_UPDATE_MAX_LENGTH, &on);
	}
	cache[ncache].sql = sql;
	cache[ncache].st = st;
	ncache++;
	return st;
}

static int fetch_all(MYSQL_STMT *st, MYSQL_RES *meta, struct db_res *out, const char *sql)
{
	size_t nc = mysql_num_fields(meta), cap = 0;
	MYSQL_FIELD *f = mysql_fetch_fields(meta);
	MYSQL_BIND *rb = calloc(nc ? nc : 1, sizeof *rb);
	unsigned long *lens = calloc(nc ? nc : 1, sizeof *lens);
	my_bool *nulls = calloc(nc ? nc : 1, sizeof *nulls);
	my_bool *errs = calloc(nc ? nc : 1, sizeof *errs);
	char **bufs = calloc(nc ? nc : 1, sizeof *bufs);
	int rc = DB_OK, r;

	out->ncols = nc;
	if (!rb || !lens || !nulls || !errs || !bufs) {
		rc = DB_ERR;
		goto out;
	}
	if (mysql_stmt_store_result(st)) {
		rc = fail(mysql_stmt_errno(st), mysql_stmt_error(st), sql);
		goto out;
	}
	for (size_t i = 0; i < nc; i++) {
		size_t sz = f[i].max_length > 64 ? f[i].max_length + 1 : 65;
		bufs[i] = malloc(sz);
		rb[i].buffer_type = MYSQL_TYPE_STRING;
		rb[i].buffer = bufs[i];
		rb[i].buffer_length = sz;
		rb[i].length = &lens[i];
		rb[i].is_null = &nulls[i];
		rb[i].error = &errs[i];
	}
	if (mysql_stmt_bind_result(st, rb)) {
		rc = fail(mysql_stmt_errno(st), mysql_stmt_error(st), sql);
		goto out;
	}
	while ((r = mysql_stmt_fetch(st)) == 0 || r == MYSQL_DATA_TRUNCATED) {
		if ((out->nrows + 1) * nc > cap) {
			size_t ncap = cap ? cap * 2 : nc * 16;
			char **nv = realloc(out->cells, ncap * sizeof *nv);
			if (!nv) { rc = DB_ERR; break; }
			out->cells = nv;
			cap = ncap;
		}
		for (size_t i = 0; i < nc; i++) {
			char *cell = NULL;
			if (!nulls[i]) {
				if (lens[i] >= rb[i].buffer_length) {
					MYSQL_BIND one;
					memset(&one, 0, sizeof one);
					cell = malloc(lens[i] + 1);
					one.buffer_type = MYSQL_TYPE_STRING;
					one.buffer = cell;
					one.buffer_length = lens[i] + 1;
					mysql_stmt_fetch_column(st, &one, (unsigned)i, 0);
					cell[lens[i]] = '\0';
				} else {
					cell = xstrndup(bufs[i], lens[i]);
				}
			}
			out->cells[out->nrows * nc + i] = cell;
		}
		out->nrows++;
	}
	if (r == 1)
		rc = fail(mysql_stmt_errno(st), mysql_stmt_error(st), sql);
out:
	if (conn)
		mysql_stmt_free_result(st);
	for (size_t i = 0; bufs && i < nc; i++)
		free(bufs[i]);
	free(bufs); free(rb); free(lens); free(nulls); free(errs);
	return rc;
}

/* Prepares (or finds) sql, binds args and executes it: the statement, or NULL with *rc set. */
static MYSQL_STMT *run_stmt(const char *sql, const struct db_arg *args, size_t nargs, int *rc)
{
	MYSQL_BIND spb[STACK_PARAMS], *pb = spb;
	unsigned long splen[STACK_PARAMS], *plen = splen;
	MYSQL_STMT *st;
	int bad;

	*rc = DB_OK;
	if (!conn && connect_now() != DB_OK) {
		*rc = DB_GONE;
		return NULL;
	}
	if (nargs > MAX_PARAMS) {
		log_msg(LOG_ERR, "db: %lu parameters, more than %d [%.120s]", (unsigned long)nargs, MAX_PARAMS, sql);
		*rc = DB_ERR;
		return NULL;
	}
	if ((st = prepare(sql, rc)) == NULL) {
		if (*rc == DB_OK)
			*rc = DB_ERR;
		return NULL;
	}
	if (mysql_stmt_param_count(st) != nargs) {
		log_msg(LOG_ERR, "db: statement wants %lu parameters, got %lu [%.120s]",
		    (unsigned long)mysql_stmt_param_count(st), (unsigned long)nargs, sql);
		*rc = DB_ERR;
		return NULL;
	}
	if (nargs > STACK_PARAMS &&
	    ((pb = calloc(nargs, sizeof *pb)) == NULL || (plen = calloc(nargs, sizeof *plen)) == NULL)) {
		if (pb != spb)
			free(pb);
		*rc = DB_ERR;
		return NULL;
	}
	memset(pb, 0, (nargs > STACK_PARAMS ? nargs : STACK_PARAMS) * sizeof *pb);
	for (size_t i = 0; i < nargs; i++) {
		if (args[i].type == DBA_INT) {
			pb[i].buffer_type = MYSQL_TYPE_LONGLONG;
			pb[i].buffer = (void *)&args[i].i;
		} else if (args[i].type == DBA_STR && args[i].s) {
			plen[i] = strlen(args[i].s);
			pb[i].buffer_type = MYSQL_TYPE_STRING;
			pb[i].buffer = (void *)args[i].s;
			pb[i].buffer_length = plen[i];
			pb[i].length = &plen[i];
		} else {
			pb[i].buffer_type = MYSQL_TYPE_NULL;
		}
	}
	/* the binds are copied by bind_param and the values read by execute: not needed after */
	bad = (nargs && mysql_stmt_bind_param(st, pb)) || mysql_stmt_execute(st);
	if (pb != spb) {
		free(pb);
		free(plen);
	}
	if (bad) {
		*rc = fail(mysql_stmt_errno(st), mysql_stmt_error(st), sql);
		return NULL;
	}
	return st;
}

static int exec_once(const char *sql, const struct db_arg *args, size_t nargs, struct db_res *out)
{
	MYSQL_STMT *st;
	MYSQL_RES *meta;
	int rc;

	if ((st = run_stmt(sql, args, nargs, &rc)) == NULL)
		return rc;
	if (out) {
		memset(out, 0, sizeof *out);
		out->affected = mysql_stmt_affected_rows(st);
		out->insert_id = mysql_stmt_insert_id(st);
	}
	meta = mysql_stmt_result_metadata(st);
	if (meta) {
		if (out)
			rc = fetch_all(st, meta, out, sql);
		else
			mysql_stmt_free_result(st);
		mysql_free_result(meta);
		if (out)
			out->affected = out->nrows;
	}
	return rc;
}

static unsigned long stat_calls;
static double        stat_seconds;

void db_stats(unsigned long *calls, double *seconds)
{
	*calls = stat_calls;
	*seconds = stat_seconds;
}

int db_exec(const char *sql, const struct db_arg *args, size_t nargs, struct db_res *out)
{
	struct timespec t0, t1;
	int rc;

	if (out)
		memset(out, 0, sizeof *out);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = exec_once(sql, args, nargs, out);

	/* A restarted server shows up as a lost connection on the first statement:
	 * reconnect and re-prepare once, unless a transaction was open. */
	if (rc == DB_GONE && !in_txn && connect_now() == DB_OK) {
		if (out)
			db_res_free(out);
		rc = exec_once(sql, args, nargs, out);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	stat_calls++;
	stat_seconds += (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (rc != DB_OK && out)
		db_res_free(out);
	return rc;
}

int db_exec_text(const char *sql)
{
	if (!conn && connect_now() != DB_OK)
		return DB_GONE;
	if (mysql_query(conn, sql))
		return fail(mysql_errno(conn), mysql_error(conn), sql);
	do {
		MYSQL_RES *r = mysql_store_result(conn);
		if (r)
			mysql_free_result(r);
		else if (mysql_field_count(conn))
			return fail(mysql_errno(conn), mysql_error(conn), sql);
	} while (mysql_next_result(conn) == 0);
	if (mysql_errno(conn))
		return fail(mysql_errno(conn), mysql_error(conn), sql);
	return DB_OK;
}

const char *db_val(const struct db_res *r, size_t row, size_t col)
{
	if (!r || row >= r->nrows || col >= r->ncols)
		return NULL;
	return r->cells[row * r->ncols + col];
}

long long db_ll(const struct db_res *r, size_t row, size_t col)
{
	const char *v = db_val(r, row, col);
	return v ? strtoll(v, NULL, 10) : 0;
}

void db_res_free(struct db_res *r)
{
	if (!r)
		return;
	for (size_t i = 0; r->cells && i < r->nrows * r->ncols; i++)
		free(r->cells[i]);
	free(r->cells);
	memset(r, 0, sizeof *r);
}

/* --- streamed results ----------------------------------------------------------------------- */

struct db_stream {
	MYSQL_STMT    *st;
	const char    *sql;
	size_t         nc;
	MYSQL_BIND    *rb;
	unsigned long *lens;
	my_bool       *nulls, *errs;
	char         **bufs;	/* NUL-terminated cells of the current row; each grows to its longest value */
	int            finished;
};

void db_stream_end(struct db_stream *s)
{
	if (!s)
		return;
	if (conn && !s->finished) {
		/* rows still unread: freeing the result would read them all (a whole export's worth);
		 * closing the connection ends the statement on the server */
		conn_drop();
	} else if (conn) {
		mysql_stmt_free_result(s->st);
	}
	for (size_t i = 0; s->bufs && i < s->nc; i++)
		free(s->bufs[i]);
	free(s->bufs); free(s->rb); free(s->lens); free(s->nulls); free(s->errs);
	free(s);
}

struct db_stream *db_stream_begin(const char *sql, const struct db_arg *args, size_t nargs, int *rc)
{
	struct db_stream *s;
	MYSQL_STMT *st = run_stmt(sql, args, nargs, rc);
	MYSQL_RES *meta;

	if (!st && *rc == DB_GONE && !in_txn && connect_now() == DB_OK)
		st = run_stmt(sql, args, nargs, rc);
	if (!st)
		return NULL;
	if ((meta = mysql_stmt_result_metadata(st)) == NULL || (s = calloc(1, sizeof *s)) == NULL) {
		if (meta)
			mysql_free_result(meta);
		mysql_stmt_free_result(st);
		*rc = DB_ERR;
		return NULL;
	}
	s->st = st;
	s->sql = sql;
	s->nc = mysql_num_fields(meta);
	mysql_free_result(meta);
	s->rb = calloc(s->nc, sizeof *s->rb);
	s->lens = calloc(s->nc, sizeof *s->lens);
	s->nulls = calloc(s->nc, sizeof *s->nulls);
	s->errs = calloc(s->nc, sizeof *s->errs);
	s->bufs = calloc(s->nc, sizeof *s->bufs);
	for (size_t i = 0; s->bufs && i < s->nc; i++)
		if ((s->bufs[i] = malloc(256)) == NULL)
			break;
	if (!s->rb || !s->lens || !s->nulls || !s->errs || !s->bufs || (s->nc && !s->bufs[s->nc - 1])) {
		db_stream_end(s);
		*rc = DB_ERR;
		return NULL;
	}
	for (size_t i = 0; i < s->nc; i++) {
		s->rb[i].buffer_type = MYSQL_TYPE_STRING;
		s->rb[i].buffer = s->bufs[i];
		s->rb[i].buffer_length = 255;	/* a byte left for the NUL */
		s->rb[i].length = &s->lens[i];
		s->rb[i].is_null = &s->nulls[i];
		s->rb[i].error = &s->errs[i];
	}
	if (mysql_stmt_bind_result(st, s->rb)) {
		*rc = fail(mysql_stmt_errno(st), mysql_stmt_error(st), sql);
		s->finished = 1;
		db_stream_end(s);
		return NULL;
	}
	*rc = DB_OK;
	return s;
}

int db_stream_next(struct db_stream *s)
{
	int r = mysql_stmt_fetch(s->st), rebind = 0;

	if (r == MYSQL_NO_DATA) {
		s->finished = 1;
		return 0;
	}
	if (r == 1) {
		s->finished = 1;
		return fail(mysql_stmt_errno(s->st), mysql_stmt_error(s->st), s->sql);
	}
	for (size_t i = 0; i < s->nc; i++) {
		if (s->nulls[i])
			continue;
		if (s->lens[i] > s->rb[i].buffer_length) {
			/* longer than any value before: grow the buffer and read the whole value again */
			unsigned long want = s->lens[i];
			char *nb = realloc(s->bufs[i], want + 1);
			MYSQL_BIND one;
			if (!nb)
				return DB_ERR;
			s->bufs[i] = nb;
			s->rb[i].buffer = nb;
			s->rb[i].buffer_length = want;
			memset(&one, 0, sizeof one);
			one.buffer_type = MYSQL_TYPE_STRING;
			one.buffer = nb;
			one.buffer_length = want;
			one.length = &s->lens[i];
			if (mysql_stmt_fetch_column(s->st, &one, (unsigned)i, 0))
				return fail(mysql_stmt_errno(s->st), mysql_stmt_error(s->st), s->sql);
			rebind = 1;
		}
		s->bufs[i][s->lens[i]] = '\0';
	}
	if (rebind && mysql_stmt_bind_result(s->st, s->rb))
		return fail(mysql_stmt_errno(s->st), mysql_stmt_error(s->st), s->sql);
	return 1;
}

const char *db_stream_val(const struct db_stream *s, size_t col)
{
	return col < s->nc && !s->nulls[col] ? s->bufs[col] : NULL;
}

static const char SQL_BEGIN[] = "START TRANSACTION";
static const char SQL_COMMIT[] = "COMMIT";
static const char SQL_ROLLBACK[] = "ROLLBACK";

int db_begin(void)
{
	int rc = db_exec(SQL_BEGIN, DB_NOARGS, NULL);
	if (rc == DB_OK)
		in_txn = 1;
	return rc;
}

int db_commit(void)
{
	int rc = db_exec(SQL_COMMIT, DB_NOARGS, NULL);
	in_txn = 0;
	return rc;
}

void db_rollback(void)
{
	if (conn && in_txn)
		(void)db_exec(SQL_ROLLBACK, DB_NOARGS, NULL);
	in_txn = 0;
}

int db_in_txn(void)
{
	return in_txn;
}

int db_txn(int (*fn)(void *ctx), void *ctx)
{
	int rc = DB_ERR;

	/* Nested: the outer transaction owns commit, rollback and retry. */
	if (in_txn)
		return fn(ctx);
	for (int attempt = 0; attempt < 3; attempt++) {
		if ((rc = db_begin()) != DB_OK)
			return rc;
		rc = fn(ctx);
		if (rc == DB_OK)
			rc = db_commit();
		else
			db_rollback();
		if (rc != DB_RETRY)
			return rc;
		log_msg(LOG_WARN, "db: transaction conflict, retrying (%d)", attempt + 1);
	}
	return rc;
}
