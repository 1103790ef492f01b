/* documents.c — the portal's documents: those shared with the contact or its customer and its own uploads;
 * upload (optionally to one of its tickets) and download as an attachment. Any other id is a 404. */
#include "portal.h"
#include "app.h"
#include "db.h"
#include "document.h"
#include "render.h"
#include "ticket.h"
#include "validate.h"

#include <stdio.h>
#include <string.h>

static const struct field upload_fields[] = {
	{ "ticket_id", V_ID, 0, 0, 0, NULL },
};

static int docs_page(struct req *r, int status, const char *err)
{
	int rc = doc_list_portal(r, r->who.contact_id, "Documents");
	if (rc != DB_OK)
		return rc;
	if (err) {
		char key[64];
		snprintf(key, sizeof key, "Valid.%s", err);
		page_set(r, "Form.Errors.file", lang_str(r, key));
	}
	page_set_int(r, "MaxUploadMB", r->app->cfg.max_upload / (1024 * 1024));
	page_set(r, "Page.Title", lang_str(r, "Document.Title"));
	page_set(r, "Page.Tab", "documents");
	return page_render(r, status, "portal/documents.cs");
}

int h_documents(struct req *r)
{
	return docs_page(r, 200, NULL);
}

int h_document_upload(struct req *r)
{
	const struct param *file = params_get(&r->params, "file");
	struct fval v[1];
	struct ferr errs[MAX_FORM_ERRORS];
	struct doc_new d = { 0 };
	const char *err;
	char loc[64];
	long long id;
	int rc;

	if (validate_fields(r, upload_fields, 1, v, errs))
		return 404;
	if (v[0].present) {
		/* Only to one of the contact's own tickets. */
		struct db_res row;
		if ((rc = ticket_load(v[0].i, r->who.contact_id, &row)) != DB_OK)
			return rc;
		rc = row.nrows ? DB_OK : 404;
		db_res_free(&row);
		if (rc)
			return rc;
		d.ticket_id = v[0].i;
	}
	if (!file || !file->filename)
		return docs_page(r, 422, "FileEmpty");
	d.data = file->value;
	d.len = file->value_len;
	d.filename = file->filename;
	d.contact_id = r->who.contact_id;
	if ((rc = doc_store(r, &d, &id, &err)) != DB_OK)
		return rc;
	if (err)
		return docs_page(r, doc_error_status(err), err);
	if (d.ticket_id)
		snprintf(loc, sizeof loc, "/tickets/%lld", d.ticket_id);
	else
		snprintf(loc, sizeof loc, "/documents");
	resp_redirect(r, loc);
	return 0;
}

int h_document_download(struct req *r)
{
	int visible, rc = doc_portal_visible(r->ids[0], r->who.contact_id, &visible);
	if (rc != DB_OK)
		return rc;
	if (!visible)
		return 404;
	return doc_send(r, r->ids[0]);
}
