/* tickets.c — the staff ticket page (from the contact page): details, thread, reply, status, assignment and
 * priority. Tickets are opened by contacts in the portal; changes notify through ticket.c. */
#include "contacts.h"
#include "document.h"
#include "render.h"
#include "ticket.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum stmt { STMT_STAFF, STMT_STAFF_ONE, STMT__MAX };

static const char *const stmts[STMT__MAX] = {
	/* Anyone who can work on contacts can take a ticket. */
	[STMT_STAFF] =
	    "SELECT u.id, COALESCE(NULLIF(u.display_name, ''), u.login) FROM users u WHERE u.active = 1 "
	    "AND EXISTS (SELECT 1 FROM user_roles ur WHERE ur.user_id = u.id) ORDER BY 2, u.id LIMIT 500",
	[STMT_STAFF_ONE] =
	    "SELECT 1 FROM users u WHERE u.id = ? AND u.active = 1 "
	    "AND EXISTS (SELECT 1 FROM user_roles ur WHERE ur.user_id = u.id)",
};

static const struct field reply_fields[] = {
	{ "body", V_LONGTEXT, F_REQUIRED, 0, 20000, NULL },
};

static const struct field change_fields[] = {
	{ "status", V_ENUM, 0, 0, 0, ticket_statuses },
	{ "priority", V_ENUM, 0, 0, 0, ticket_priorities },
	{ "assigned_user_id", V_INT, 0, 0, 9007199254740991LL, NULL },	/* 0 or empty = nobody */
};

static int ticket_page(struct req *r, int status, const struct ferr *errs, int n)
{
	static const char *const ucols[] = { "id", "name" };
	struct db_res row, res;
	char key[64];
	int rc = ticket_load(r->ids[0], 0, &row);

	if (rc != DB_OK)
		return rc;
	if (row.nrows == 0) {
		db_res_free(&row);
		return 404;
	}
	for (int i = 0; i < TC__MAX; i++) {
		snprintf(key, sizeof key, "Ticket.%s", ticket_cols[i]);
		page_set(r, key, db_val(&row, 0, (size_t)i));
	}
	page_set(r, "Page.Title", db_val(&row, 0, TC_SUBJECT));
	db_res_free(&row);
	for (int i = 0; ticket_statuses[i]; i++) {
		snprintf(key, sizeof key, "Choices.status.%d", i);
		page_set(r, key, ticket_statuses[i]);
	}
	for (int i = 0; ticket_priorities[i]; i++) {
		snprintf(key, sizeof key, "Choices.priority.%d", i);
		page_set(r, key, ticket_priorities[i]);
	}
	if ((rc = db_exec(stmts[STMT_STAFF], DB_NOARGS, &res)) != DB_OK)
		return rc;
	page_set_rows(r, "Staff", &res, ucols, 2);
	db_res_free(&res);
	if (n) {
		page_set_errors(r, errs, n);
		page_set(r, "Form.body", req_param(r, "body"));
	}
	if ((rc = ticket_thread_page(r, r->ids[0], "Thread")) != DB_OK)
		return rc;
	if ((rc = doc_list_ticket(r, r->ids[0], "Attachments")) != DB_OK)
		return rc;
	return page_render(r, status, "contacts/ticket.cs");
}

int ticket_view_page(struct req *r)
{
	return ticket_page(r, 200, NULL, 0);
}

static int exists(struct req *r)
{
	struct db_res row;
	int rc = ticket_load(r->ids[0], 0, &row), found;
	if (rc != DB_OK)
		return rc;
	found = row.nrows > 0;
	db_res_free(&row);
	return found ? DB_OK : 404;
}

static int back(struct req *r)
{
	char loc[64];
	snprintf(loc, sizeof loc, "/contacts/tickets/%lld", r->ids[0]);
	resp_redirect(r, loc);
	return 0;
}

int ticket_reply_post(struct req *r)
{
	struct fval v[1];
	struct ferr errs[MAX_FORM_ERRORS];
	int rc = exists(r), n;

	if (rc != DB_OK)
		return rc;
	if ((n = validate_fields(r, reply_fields, 1, v, errs)) != 0)
		return ticket_page(r, 422, errs, n);
	if ((rc = ticket_comment(r, r->ids[0], v[0].s)) != DB_OK)
		return rc;
	return back(r);
}

int ticket_change_post(struct req *r)
{
	struct fval v[3];
	struct ferr errs[MAX_FORM_ERRORS];
	int rc = exists(r), n;
	long long assigned = -1;

	if (rc != DB_OK)
		return rc;
	n = validate_fields(r, change_fields, 3, v, errs);
	if (!n && req_param(r, "assigned_user_id")) {
		assigned = v[2].present ? v[2].i : 0;
		if (assigned > 0) {
			struct db_res res;
			if ((rc = db_exec(stmts[STMT_STAFF_ONE], DB_ARGS(A_INT(assigned)), &res)) != DB_OK)
				return rc;
			if (res.nrows == 0)
				errs[n++] = (struct ferr){ "assigned_user_id", "NoSuchUser" };
			db_res_free(&res);
		}
	}
	if (n)
		return ticket_page(r, 422, errs, n);
	rc = ticket_change(r, r->ids[0], v[0].present ? v[0].s : NULL, assigned, v[1].present ? v[1].s : NULL);
	if (rc != DB_OK)
		return rc;
	return back(r);
}
