/* refresh.c — batch re-evaluation of the contacts' derived status (draft / contact) after a rule change. */
#include "refresh.h"
#include "contact.h"
#include "db.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The editable columns in the order of enum cfield (contact.h), so that the row's first CF__MAX
 * cells index like contact_fields[]; then id, status, anonymized_at and whether it is connected. */
#define BATCH_COLS \
	"first_name, middle_name, last_name, birthday, contact_type, reports_to_id, job_title, " \
	"certificate, timezone, language, mobile_phone, mobile_phone_2, work_phone, email, email_2, " \
	"other_contacts, contact_preference, do_not_call, do_not_email, block_auto_emails, " \
	"receives_newsletter, portal_user, support_start_date, support_end_date, is_user, user_id, " \
	"source, notes, active"

enum stmt { STMT_BATCH, STMT_SET, STMT_RULE, STMT_PROGRESS, STMT_MAX_ID, STMT__MAX };

static const char *const stmts[STMT__MAX] = {
	[STMT_BATCH] =
	    "SELECT " BATCH_COLS ", id, status, anonymized_at, "
	    "EXISTS (SELECT 1 FROM connections cn WHERE cn.contact_id = contacts.id) "
	    "FROM contacts WHERE id > ? ORDER BY id LIMIT ? FOR UPDATE",
	[STMT_SET] = "UPDATE contacts SET status = ? WHERE id = ? AND status <> ?",
	[STMT_RULE] = "SELECT v FROM settings WHERE k = 'contact.complete'",
	[STMT_PROGRESS] =
	    "INSERT INTO settings (k, v) VALUES ('contact.status_refresh', ?) "
	    "ON DUPLICATE KEY UPDATE v = VALUES(v), updated_at = NOW()",
	[STMT_MAX_ID] = "SELECT IFNULL(MAX(id), 0) FROM contacts",
};

struct batch_ctx {
	long long after, last, changed, max;
	int       limit, record;	/* record: write the progress row in the same transaction */
};

static int batch_txn(void *p)
{
	struct batch_ctx *c = p;
	struct db_res rule, rows;
	char *r = NULL;
	int rc;

	c->last = c->after;
	c->changed = 0;
	/* The rule is read in every batch: a change made meanwhile applies to the rest at once. */
	if ((rc = db_exec(stmts[STMT_RULE], DB_NOARGS, &rule)) != DB_OK)
		return rc;
	if (rule.nrows && db_val(&rule, 0, 0))
		r = xstrdup(db_val(&rule, 0, 0));
	db_res_free(&rule);
	if ((rc = db_exec(stmts[STMT_BATCH], DB_ARGS(A_INT(c->after), A_INT(c->limit)), &rows)) != DB_OK) {
		free(r);
		return rc;
	}
	for (size_t i = 0; i < rows.nrows && rc == DB_OK; i++) {
		const char *vals[CF__MAX], *status;
		long long id = db_ll(&rows, i, CF__MAX);
		for (int f = 0; f < CF__MAX; f++)
			vals[f] = db_val(&rows, i, (size_t)f);
		c->last = id;
		if (db_val(&rows, i, CF__MAX + 2))
			continue;	/* anonymized: stays a draft */
		status = contact_complete(r, vals) && db_ll(&rows, i, CF__MAX + 3) ? "contact" : "draft";
		if (str_eq(status, db_val(&rows, i, CF__MAX + 1)))
			continue;
		rc = db_exec(stmts[STMT_SET], DB_ARGS(A_STR(status), A_INT(id), A_STR(status)), NULL);
		c->changed++;
	}
	db_res_free(&rows);
	free(r);
	if (rc == DB_OK && c->record) {
		char text[80];
		snprintf(text, sizeof text, "running %lld %lld", c->last, c->max);
		rc = db_exec(stmts[STMT_PROGRESS], DB_ARGS(A_STR(text)), NULL);
	}
	return rc;
}

int status_refresh_batch(long long after, int limit, long long *last, long long *changed)
{
	struct batch_ctx c;
	int rc;

	memset(&c, 0, sizeof c);
	c.after = after;
	c.limit = limit;
	rc = db_txn(batch_txn, &c);
	*last = rc == DB_OK ? c.last : after;
	if (rc == DB_OK && changed)
		*changed += c.changed;
	return rc;
}

static int progress(const char *text)
{
	return db_exec(stmts[STMT_PROGRESS], DB_ARGS(A_STR(text)), NULL);
}

int status_refresh_queue(void)
{
	return progress("queued");
}

int status_refresh_all(int (*stop)(void), long long *seen, long long *changed)
{
	struct db_res res;
	long long after = 0, max, total = 0, n = 0;
	char text[80];
	int rc;

	if ((rc = db_exec(stmts[STMT_MAX_ID], DB_NOARGS, &res)) != DB_OK)
		return rc;
	max = db_ll(&res, 0, 0);
	db_res_free(&res);
	log_msg(LOG_INFO, "contact status re-evaluation started (ids up to %lld)", max);
	snprintf(text, sizeof text, "running 0 %lld", max);
	if ((rc = progress(text)) != DB_OK)
		return rc;
	for (;;) {
		struct batch_ctx c;
		if (stop && stop()) {
			log_msg(LOG_WARN, "contact status re-evaluation stopped after id %lld", after);
			return DB_OK;	/* the "running" row says how far it came */
		}
		memset(&c, 0, sizeof c);
		c.after = after;
		c.limit = REFRESH_BATCH;
		/* Progress goes in with the batch itself, so it never claims more than was written. */
		c.max = max;
		c.record = 1;
		if ((rc = db_txn(batch_txn, &c)) != DB_OK)
			return rc;
		total += c.changed;
		if (c.last == after)
			break;
		n += 1;
		after = c.last;
	}
	snprintf(text, sizeof text, "done %lld", total);
	rc = progress(text);
	log_msg(LOG_INFO, "contact status re-evaluation done: %lld batch(es), %lld status(es) changed", n, total);
	if (seen)
		*seen = after;
	if (changed)
		*changed = total;
	return rc;
}
