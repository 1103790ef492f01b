/* tickets.c — the portal's ticket pages: the contact's own tickets only (any other id is a 404), open one,
 * read its thread, comment, close. */
#include "portal.h"
#include "app.h"
#include "db.h"
#include "document.h"
#include "render.h"
#include "ticket.h"
#include "validate.h"

#include <stdio.h>
#include <string.h>

static const struct field new_fields[] = {
	{ "subject", V_TEXT, F_REQUIRED, 0, 200, NULL },
	{ "description", V_LONGTEXT, F_REQUIRED, 0, 20000, NULL },
	{ "category", V_ENUM, 0, 0, 0, ticket_categories },
	{ "priority", V_ENUM, 0, 0, 0, ticket_priorities },
};

static const struct field comment_fields[] = {
	{ "body", V_LONGTEXT, F_REQUIRED, 0, 20000, NULL },
};

static void choices(struct req *r, const char *prefix, const char *const *v)
{
	char key[64];
	for (int i = 0; v[i]; i++) {
		snprintf(key, sizeof key, "%s.%d", prefix, i);
		page_set(r, key, v[i]);
	}
}

int h_tickets(struct req *r)
{
	int rc = ticket_list_page(r, r->who.contact_id, "Tickets");
	if (rc != DB_OK)
		return rc;
	page_set(r, "Page.Title", lang_str(r, "Ticket.Title"));
	page_set(r, "Page.Tab", "tickets");
	return page_render(r, 200, "portal/tickets.cs");
}

static int new_page(struct req *r, int status, const struct ferr *errs, int n)
{
	page_set(r, "Page.Title", lang_str(r, "Ticket.New"));
	page_set(r, "Page.Tab", "tickets");
	choices(r, "Choices.category", ticket_categories);
	choices(r, "Choices.priority", ticket_priorities);
	for (size_t i = 0; i < sizeof new_fields / sizeof new_fields[0]; i++) {
		char key[64];
		snprintf(key, sizeof key, "Form.%s", new_fields[i].name);
		page_set(r, key, req_param(r, new_fields[i].name));
	}
	if (n)
		page_set_errors(r, errs, n);
	return page_render(r, status, "portal/ticket_new.cs");
}

int h_ticket_new(struct req *r)
{
	return new_page(r, 200, NULL, 0);
}

int h_ticket_create(struct req *r)
{
	struct fval v[4];
	struct ferr errs[MAX_FORM_ERRORS];
	struct ticket_new t = { 0 };
	char loc[64];
	long long id;
	int n = validate_fields(r, new_fields, 4, v, errs), rc;

	if (n)
		return new_page(r, 422, errs, n);
	t.contact_id = r->who.contact_id;
	t.subject = v[0].s;
	t.description = v[1].s;
	t.category = v[2].present ? v[2].s : NULL;
	t.priority = v[3].present ? v[3].s : NULL;
	if ((rc = ticket_create(r, &t, &id)) != DB_OK)
		return rc;
	if (!id)
		return 404;
	snprintf(loc, sizeof loc, "/tickets/%lld", id);
	resp_redirect(r, loc);
	return 0;
}

/* The ticket of the path, only when it is the signed-in contact's: 404 otherwise. */
static int own_ticket(struct req *r, struct db_res *row)
{
	int rc = ticket_load(r->ids[0], r->who.contact_id, row);
	if (rc != DB_OK)
		return rc;
	if (row->nrows == 0) {
		db_res_free(row);
		return 404;
	}
	return DB_OK;
}

static int view_page(struct req *r, int status, const struct ferr *errs, int n)
{
	struct db_res row;
	char key[64];
	int rc = own_ticket(r, &row);

	if (rc != DB_OK)
		return rc;
	for (int i = 0; i < TC__MAX; i++) {
		snprintf(key, sizeof key, "Ticket.%s", ticket_cols[i]);
		page_set(r, key, db_val(&row, 0, (size_t)i));
	}
	page_set(r, "Page.Title", db_val(&row, 0, TC_SUBJECT));
	page_set(r, "Page.Tab", "tickets");
	db_res_free(&row);
	if (n) {
		page_set_errors(r, errs, n);
		page_set(r, "Form.body", req_param(r, "body"));
	}
	if ((rc = ticket_thread_page(r, r->ids[0], "Thread")) != DB_OK)
		return rc;
	if ((rc = doc_list_ticket(r, r->ids[0], "Attachments")) != DB_OK)
		return rc;
	return page_render(r, status, "portal/ticket.cs");
}

int h_ticket_view(struct req *r)
{
	return view_page(r, 200, NULL, 0);
}

int h_ticket_comment(struct req *r)
{
	struct fval v[1];
	struct ferr errs[MAX_FORM_ERRORS];
	struct db_res row;
	char loc[64];
	int rc = own_ticket(r, &row), n;

	if (rc != DB_OK)
		return rc;
	db_res_free(&row);
	if ((n = validate_fields(r, comment_fields, 1, v, errs)) != 0)
		return view_page(r, 422, errs, n);
	if ((rc = ticket_comment(r, r->ids[0], v[0].s)) != DB_OK)
		return rc;
	snprintf(loc, sizeof loc, "/tickets/%lld", r->ids[0]);
	resp_redirect(r, loc);
	return 0;
}

int h_ticket_close(struct req *r)
{
	struct db_res row;
	char loc[64];
	int rc = own_ticket(r, &row);

	if (rc != DB_OK)
		return rc;
	db_res_free(&row);
	if ((rc = ticket_change(r, r->ids[0], "closed", -1, NULL)) != DB_OK)
		return rc;
	snprintf(loc, sizeof loc, "/tickets/%lld", r->ids[0]);
	resp_redirect(r, loc);
	return 0;
}
