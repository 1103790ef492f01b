/* outbox.c — the outgoing mail as admins see it (SPEC §5): newest first, filtered by status, with
 * attempts and the last error; Retry puts a failed or waiting mail back in the queue for now. */
#include "settings.h"
#include "adminlog.h"
#include "render.h"

#include <stdio.h>
#include <string.h>

#define PAGE_ROWS 50

enum stmt { STMT_ALL, STMT_BY_STATUS, STMT_RETRY, STMT_FIND, STMT__MAX };

#define OUTBOX_COLS "id, created_at, to_addr, subject, template, status, attempts, next_attempt_at, last_error, sent_at"

static const char *const stmts[STMT__MAX] = {
	[STMT_ALL] = "SELECT " OUTBOX_COLS " FROM outbox WHERE id < ? ORDER BY id DESC LIMIT 51",
	[STMT_BY_STATUS] = "SELECT " OUTBOX_COLS " FROM outbox WHERE status = ? AND id < ? ORDER BY id DESC LIMIT 51",
	[STMT_RETRY] =
	    "UPDATE outbox SET status = 'queued', next_attempt_at = NOW(), claimed_at = NULL "
	    "WHERE id = ? AND status IN ('failed', 'queued')",
	[STMT_FIND] = "SELECT to_addr, status FROM outbox WHERE id = ?",
};

static const char *const statuses[] = { "queued", "sending", "sent", "failed", NULL };
static const struct field filter_fields[] = {
	{ "status", V_ENUM, 0, 0, 0, statuses },
	{ "before", V_ID, 0, 0, 0, NULL },
};

int outbox_page(struct req *r)
{
	static const char *const cols[] = { "id", "created_at", "to", "subject", "template", "status", "attempts",
		"next_attempt_at", "last_error", "sent_at" };
	struct fval v[2];
	struct ferr errs[2];
	struct db_res res;
	const char *status = NULL;
	long long before = 9007199254740991LL;
	int nerr, rc;

	nerr = validate_fields(r, filter_fields, 2, v, errs);
	/* A bad filter is shown next to its field; the page then lists everything. */
	for (int i = 0; i < 2; i++) {
		int bad = 0;
		for (int e = 0; e < nerr && e < 2; e++)
			bad |= errs[e].field == filter_fields[i].name;
		if (bad || !v[i].present)
			continue;
		if (i == 0)
			status = v[0].s;
		else
			before = v[1].i;
	}
	if (status)
		rc = db_exec(stmts[STMT_BY_STATUS], DB_ARGS(A_STR(status), A_INT(before)), &res);
	else
		rc = db_exec(stmts[STMT_ALL], DB_ARGS(A_INT(before)), &res);
	if (rc != DB_OK)
		return rc;
	{
		/* The 51st row only says that there is a next page. */
		size_t all = res.nrows, shown = all > PAGE_ROWS ? PAGE_ROWS : all;
		struct buf link = { 0 };
		if (all > PAGE_ROWS) {
			buf_printf(&link, "/settings/outbox?before=%s%s%s", db_val(&res, PAGE_ROWS - 1, 0),
			    status ? "&status=" : "", status ? status : "");
			page_set(r, "Outbox.Next", link.data);
		}
		res.nrows = shown;
		page_set_rows(r, "Outbox.Rows", &res, cols, 10);
		page_set_int(r, "Outbox.Shown", (long long)shown);
		res.nrows = all;
		buf_reset(&link);
		buf_printf(&link, "/settings/outbox%s%s", status ? "?status=" : "", status ? status : "");
		page_set(r, "Outbox.First", link.data);
		buf_free(&link);
	}
	db_res_free(&res);
	page_set(r, "Outbox.Status", status);
	page_set_int(r, "Outbox.Paged", before < 9007199254740991LL);
	sett_errors(r, errs, nerr > 2 ? 2 : nerr);
	if (str_eq(req_param(r, "retried"), "1"))
		page_set(r, "Notice", lang_str(r, "Settings.Retried"));
	sett_page(r, "outbox", "Settings.Outbox");
	return page_render(r, 200, "settings/outbox.cs");
}

struct retry_ctx {
	struct req *r;
	long long   id;
	int         status;
};

static int retry_txn(void *p)
{
	struct retry_ctx *c = p;
	struct db_res res, row;
	struct buf t = { 0 };
	int rc;

	c->status = 0;
	if ((rc = db_exec(stmts[STMT_FIND], DB_ARGS(A_INT(c->id)), &row)) != DB_OK)
		return rc;
	if (row.nrows == 0) {
		db_res_free(&row);
		c->status = 404;
		return DB_ERR;
	}
	if ((rc = db_exec(stmts[STMT_RETRY], DB_ARGS(A_INT(c->id)), &res)) != DB_OK) {
		db_res_free(&row);
		return rc;
	}
	if (res.affected == 0 && !str_eq(db_val(&row, 0, 1), "queued")) {
		/* Sent, or being sent right now: nothing to retry. */
		db_res_free(&res);
		db_res_free(&row);
		c->status = 409;
		return DB_ERR;
	}
	db_res_free(&res);
	buf_printf(&t, "mail #%lld to %s", c->id, db_val(&row, 0, 0));
	rc = adminlog_add(c->r, "outbox", "retry", c->id, t.data, db_val(&row, 0, 1));
	buf_free(&t);
	db_res_free(&row);
	return rc;
}

int outbox_retry_post(struct req *r)
{
	struct retry_ctx c = { r, r->ids[0], 0 };
	int rc = db_txn(retry_txn, &c);
	if (c.status)
		return c.status;
	if (rc != DB_OK)
		return rc;
	log_msg(LOG_INFO, "mail %lld queued again by %s", c.id, r->who.login);
	r->mail_queued = 1;	/* delivered right after this response */
	resp_redirect(r, "/settings/outbox?retried=1");
	return 0;
}
