/* db.h — one MariaDB connection per worker: prepared statements only, cached per
 * connection, reconnect after a server restart, transactions with retry. */
#ifndef CRM_DB_H
#define CRM_DB_H

#include <stddef.h>

struct config;

enum db_rc {
	DB_OK = 0,
	DB_ERR = -1,		/* unexpected database error (logged) */
	DB_GONE = -2,		/* server unreachable: answer 503 */
	DB_DUP = -3,		/* unique key violated: an expected result */
	DB_RETRY = -4,		/* deadlock / lock timeout / certification conflict */
	DB_CONSTRAINT = -5	/* foreign key or check constraint */
};

enum db_argtype { DBA_NULL, DBA_INT, DBA_STR };

struct db_arg {
	enum db_argtype type;
	long long       i;
	const char     *s;	/* NUL-terminated; NULL binds SQL NULL */
};

#define A_INT(x)  ((struct db_arg){ DBA_INT, (long long)(x), NULL })
#define A_STR(x)  ((struct db_arg){ DBA_STR, 0, (x) })
#define A_NULL    ((struct db_arg){ DBA_NULL, 0, NULL })
#define DB_ARGS(...) ((const struct db_arg[]){ __VA_ARGS__ }), \
	(sizeof((const struct db_arg[]){ __VA_ARGS__ }) / sizeof(struct db_arg))
#define DB_NOARGS NULL, 0

/* A fully fetched result: every cell as a string (NULL for SQL NULL). */
struct db_res {
	size_t   nrows, ncols;
	char   **cells;
	unsigned long long affected, insert_id;
};

int   db_open(const struct config *cfg);
/* For crmctl migrate only: migrations are multi-statement SQL files. */
void  db_allow_multi_statements(void);
void  db_close(void);
int   db_connected(void);
/* Prepares (cached by the sql pointer), binds, executes; when out is not NULL
 * and the statement yields rows, fetches them all into out (caller frees). */
int   db_exec(const char *sql, const struct db_arg *args, size_t nargs, struct db_res *out);
/* Runs a statement without parameters through the text protocol (DDL, migrations). */
int   db_exec_text(const char *sql);
const char *db_val(const struct db_res *r, size_t row, size_t col);
long long   db_ll(const struct db_res *r, size_t row, size_t col);
void  db_res_free(struct db_res *r);

/* A result read row by row as the server sends it (the export: constant memory at any size). Until
 * db_stream_end no other statement may run on this connection; ending a stream before its last row
 * closes the connection (the next statement reconnects). */
struct db_stream;
struct db_stream *db_stream_begin(const char *sql, const struct db_arg *args, size_t nargs, int *rc);
/* 1: the next row is read; 0: no more rows; < 0: a db_rc. */
int   db_stream_next(struct db_stream *s);
/* A cell of the current row (NULL for SQL NULL), valid until the next db_stream_next. */
const char *db_stream_val(const struct db_stream *s, size_t col);
void  db_stream_end(struct db_stream *s);

int   db_begin(void);
int   db_commit(void);
void  db_rollback(void);
int   db_in_txn(void);
/* Runs fn inside one transaction; retries the whole transaction up to three
 * times on deadlock or certification conflict. fn returns a db_rc. Called
 * inside a transaction, fn simply joins it (the outer one commits or retries). */
int   db_txn(int (*fn)(void *ctx), void *ctx);
/* Statements run by this process and the time spent in them (timing logs of long jobs). */
void  db_stats(unsigned long *calls, double *seconds);
/* Last server error text (for logs only, never for clients). */
const char *db_error(void);
unsigned    db_errno(void);

#endif
