/* documents.c — staff documents: upload for a contact, a customer or a ticket, download, share and unshare
 * with the contact or the whole customer (the customer profile's Documents tab posts here too). */
#include "contacts.h"
#include "document.h"
#include "render.h"
#include "ticket.h"

#include <stdio.h>
#include <string.h>

enum stmt { STMT_CUSTOMER, STMT_DOCUMENT, STMT__MAX };

static const char *const stmts[STMT__MAX] = {
	[STMT_CUSTOMER] = "SELECT 1 FROM customers WHERE id = ? AND deleted_at IS NULL",
	[STMT_DOCUMENT] = "SELECT 1 FROM documents WHERE id = ?",
};

static const struct field upload_fields[] = {
	{ "contact_id", V_ID, 0, 0, 0, NULL },
	{ "customer_id", V_ID, 0, 0, 0, NULL },
	{ "ticket_id", V_ID, 0, 0, 0, NULL },
	{ "share", V_BOOL, 0, 0, 0, NULL },
	{ "next", V_LOCALPATH, 0, 0, 0, NULL },
};

static const struct field share_fields[] = {
	{ "contact_id", V_ID, 0, 0, 0, NULL },
	{ "customer_id", V_ID, 0, 0, 0, NULL },
	{ "share", V_BOOL, 0, 0, 0, NULL },
	{ "next", V_LOCALPATH, 0, 0, 0, NULL },
};

/* A refused upload: the error page with the reason (the form is on another page). */
static int refused(struct req *r, int status, const char *key)
{
	char k[64];
	snprintf(k, sizeof k, "Valid.%s", key);
	page_set(r, "Error.Code", "invalid");
	page_set_int(r, "Error.Status", status);
	page_set(r, "Error.Message", lang_str(r, k));
	page_set(r, "Page.Title", lang_str(r, "Error.Title"));
	return page_render(r, status, "error.cs");
}

static int exists(enum stmt s, long long id)
{
	struct db_res res;
	int rc = db_exec(stmts[s], DB_ARGS(A_INT(id)), &res);
	if (rc != DB_OK)
		return rc;
	rc = res.nrows ? DB_OK : 404;
	db_res_free(&res);
	return rc;
}

int document_upload_post(struct req *r)
{
	const struct param *file = params_get(&r->params, "file");
	struct fval v[5];
	struct ferr errs[MAX_FORM_ERRORS];
	struct doc_new d = { 0 };
	const char *err;
	char loc[64];
	long long id;
	int rc;

	if (validate_fields(r, upload_fields, 5, v, errs))
		return 422;
	if (v[2].present) {
		struct db_res row;
		if ((rc = ticket_load(v[2].i, 0, &row)) != DB_OK)
			return rc;
		if (row.nrows == 0) {
			db_res_free(&row);
			return 404;
		}
		d.ticket_id = v[2].i;
		d.contact_id = db_ll(&row, 0, TC_CONTACT_ID);
		db_res_free(&row);
	} else if (v[0].present) {
		struct db_res row;
		if ((rc = contact_load(v[0].i, 0, &row)) != DB_OK)
			return rc;
		rc = row.nrows ? DB_OK : 404;
		db_res_free(&row);
		if (rc)
			return rc;
		d.contact_id = v[0].i;
		d.share_contact = v[3].i != 0;
	} else if (v[1].present) {
		if ((rc = exists(STMT_CUSTOMER, v[1].i)) != DB_OK)
			return rc;
		d.customer_id = v[1].i;
		d.share_customer = v[3].i != 0;
	} else {
		return 422;
	}
	if (!file || !file->filename)
		return refused(r, 422, "FileEmpty");
	d.data = file->value;
	d.len = file->value_len;
	d.filename = file->filename;
	if ((rc = doc_store(r, &d, &id, &err)) != DB_OK)
		return rc;
	if (err)
		return refused(r, doc_error_status(err), err);
	if (v[4].present) {
		resp_redirect(r, v[4].s);
	} else {
		if (d.ticket_id)
			snprintf(loc, sizeof loc, "/contacts/tickets/%lld", d.ticket_id);
		else if (d.contact_id)
			snprintf(loc, sizeof loc, "/contacts/%lld#documents", d.contact_id);
		else
			snprintf(loc, sizeof loc, "/connections/customers/%lld?tab=documents", d.customer_id);
		resp_redirect(r, loc);
	}
	return 0;
}

int document_download_page(struct req *r)
{
	return doc_send(r, r->ids[0]);
}

struct share_ctx {
	struct req *r;
	long long   id, contact_id, customer_id;
	int         on;
};

static int share_txn(void *p)
{
	struct share_ctx *c = p;
	return doc_share(c->r, c->id, c->contact_id, c->customer_id, c->on);
}

int document_share_post(struct req *r)
{
	struct fval v[4];
	struct ferr errs[MAX_FORM_ERRORS];
	struct share_ctx c = { r, r->ids[0], 0, 0, 0 };
	int rc;

	if (validate_fields(r, share_fields, 4, v, errs) || v[0].present == v[1].present)
		return 422;
	if ((rc = exists(STMT_DOCUMENT, r->ids[0])) != DB_OK)
		return rc;
	c.contact_id = v[0].present ? v[0].i : 0;
	c.customer_id = v[1].present ? v[1].i : 0;
	c.on = v[2].i != 0;
	if ((rc = db_txn(share_txn, &c)) != DB_OK)
		return rc;
	if (v[3].present) {
		resp_redirect(r, v[3].s);
	} else {
		char loc[80];
		if (c.contact_id)
			snprintf(loc, sizeof loc, "/contacts/%lld#documents", c.contact_id);
		else
			snprintf(loc, sizeof loc, "/connections/customers/%lld?tab=documents", c.customer_id);
		resp_redirect(r, loc);
	}
	return 0;
}
