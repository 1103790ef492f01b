/* templates.c — email templates (crm_admin): list, edit with validation of the {{placeholders}}, and a
 * preview filled from a sample contact. The checks and the write are shared with the API (api.c). */
#include "settings.h"
#include "adminlog.h"
#include "mailtmpl.h"
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum stmt { STMT_LIST, STMT_ALL, STMT_LOAD, STMT_SAVE, STMT_SAMPLE_FIRST, STMT_SAMPLE_ID, STMT__MAX };

static const char *const stmts[STMT__MAX] = {
	[STMT_LIST] =
	    "SELECT t.id, t.code, t.language, t.subject, t.updated_at, u.login FROM mail_templates t "
	    "LEFT JOIN users u ON u.id = t.updated_by "
	    "ORDER BY FIELD(t.code, 'portal_access', 'ticket_created', 'ticket_updated', 'password_reset'), "
	    "t.code, t.language LIMIT 200",
	[STMT_ALL] =
	    "SELECT t.id, t.code, t.language, t.subject, t.body, t.updated_at, u.login FROM mail_templates t "
	    "LEFT JOIN users u ON u.id = t.updated_by "
	    "ORDER BY FIELD(t.code, 'portal_access', 'ticket_created', 'ticket_updated', 'password_reset'), "
	    "t.code, t.language LIMIT 200",
	[STMT_LOAD] =
	    "SELECT t.id, t.code, t.language, t.subject, t.body, t.updated_at, u.login FROM mail_templates t "
	    "LEFT JOIN users u ON u.id = t.updated_by WHERE t.id = ?",
	[STMT_SAVE] =
	    "UPDATE mail_templates SET subject = ?, body = ?, updated_by = ?, updated_at = NOW() WHERE id = ?",
	/* The preview's sample: the first active contact with personal data, unless one is asked for. */
	[STMT_SAMPLE_FIRST] =
	    "SELECT id, first_name, last_name, email FROM contacts WHERE active = 1 AND anonymized_at IS NULL "
	    "AND deleted_at IS NULL ORDER BY id LIMIT 1",
	[STMT_SAMPLE_ID] =
	    "SELECT id, first_name, last_name, email FROM contacts WHERE id = ? AND anonymized_at IS NULL "
	    "AND deleted_at IS NULL",
};

int tmpl_load(long long id, struct db_res *out)
{
	return db_exec(stmts[STMT_LOAD], DB_ARGS(A_INT(id)), out);
}

int tmpl_list(struct db_res *out)
{
	return db_exec(stmts[STMT_ALL], DB_NOARGS, out);
}

json_object *tmpl_placeholders_json(const char *code)
{
	const struct mailtmpl_code *c = mailtmpl_find(code);
	json_object *a = json_object_new_array();
	for (const char *const *p = c ? c->placeholders : NULL; p && *p; p++)
		json_object_array_add(a, json_object_new_string(*p));
	return a;
}

static void one_error(const struct req *r, struct tmpl_err *e, const char *field, int rc, const char *bad)
{
	const char *msg;
	e->field = field;
	switch (rc) {
	case MT_EMPTY: msg = sett_msg(r, "Required"); break;
	case MT_NEWLINE: msg = sett_msg(r, "Settings.Err.SubjectNewline"); break;
	case MT_TOOLONG: msg = sett_msg(r, "TooLong"); break;
	case MT_TEXT: msg = sett_msg(r, "Text"); break;
	case MT_UNBALANCED: msg = sett_msg(r, "Settings.Err.Unbalanced"); break;
	case MT_BADNAME: msg = sett_msg(r, "Settings.Err.BadPlaceholder"); break;
	default: msg = sett_msg(r, "Settings.Err.UnknownPlaceholder"); break;
	}
	if (rc == MT_BADNAME || rc == MT_UNKNOWN)
		snprintf(e->text, sizeof e->text, "%s {{%s}}", msg, bad);
	else
		snprintf(e->text, sizeof e->text, "%s", msg);
}

int tmpl_validate(const struct req *r, const char *code, const char *subject, const char *body,
    struct tmpl_err errs[2])
{
	char bad[MAILTMPL_MAX_NAME + 8];
	int n = 0, rc;

	if ((rc = mailtmpl_check(code, subject, 1, bad, sizeof bad)) != MT_OK)
		one_error(r, &errs[n++], "subject", rc, bad);
	if ((rc = mailtmpl_check(code, body, 0, bad, sizeof bad)) != MT_OK)
		one_error(r, &errs[n++], "body", rc, bad);
	return n;
}

struct save_ctx {
	struct req          *r;
	const struct db_res *row;
	const char          *subject, *body;
	int                  found;
};

static int save_txn(void *p)
{
	struct save_ctx *c = p;
	struct db_res res;
	struct buf target = { 0 }, d = { 0 };
	const char *old_subject = db_val(c->row, 0, TC_SUBJECT), *old_body = db_val(c->row, 0, TC_BODY);
	int rc;

	if ((rc = db_exec(stmts[STMT_SAVE], DB_ARGS(A_STR(c->subject), A_STR(c->body), A_INT(c->r->who.user_id),
	    A_INT(db_ll(c->row, 0, TC_ID))), &res)) != DB_OK)
		return rc;
	c->found = res.affected > 0;
	db_res_free(&res);
	if (!c->found)
		return DB_OK;
	buf_printf(&target, "%s (%s)", db_val(c->row, 0, TC_CODE), db_val(c->row, 0, TC_LANG));
	if (!str_eq(old_subject, c->subject))
		buf_printf(&d, "subject: %s → %s", old_subject ? old_subject : "", c->subject);
	if (!str_eq(old_body, c->body))
		buf_printf(&d, "%sbody changed (%lu → %lu characters)", d.len ? "; " : "",
		    (unsigned long)strlen(old_body ? old_body : ""), (unsigned long)strlen(c->body));
	if (!d.len)
		buf_puts(&d, "saved unchanged");
	rc = adminlog_add(c->r, "templates", "update", db_ll(c->row, 0, TC_ID), target.data, d.data);
	buf_free(&target);
	buf_free(&d);
	return rc;
}

int tmpl_save(struct req *r, const struct db_res *row, const char *subject, const char *body)
{
	struct save_ctx c = { r, row, subject, body, 0 };
	int rc = db_txn(save_txn, &c);
	if (rc != DB_OK)
		return rc;
	return c.found ? DB_OK : 404;
}

/* ------------------------------------------------------------------ preview */

struct sample {
	char first[128], last[128], email[256], id[24];
	char portal_link[400], reset_link[400], ticket_link[400], expires[40];
	int  builtin;
};

/* Loads the sample contact (contact_id when given and usable, else the first active one, else the
 * built-in Anna Rossi) and the example links and dates. Returns a db_rc. */
static int sample_load(struct req *r, long long contact_id, struct sample *s)
{
	struct db_res res;
	const char *base = r->app && r->app->cfg.portal_url && *r->app->cfg.portal_url ?
	    r->app->cfg.portal_url : "https://portal.example.com";
	time_t t = time(NULL) + 72 * 3600;
	struct tm tm;
	int rc = DB_OK;

	memset(s, 0, sizeof *s);
	if (contact_id > 0)
		rc = db_exec(stmts[STMT_SAMPLE_ID], DB_ARGS(A_INT(contact_id)), &res);
	if (rc == DB_OK && (contact_id <= 0 || res.nrows == 0)) {
		if (contact_id > 0)
			db_res_free(&res);
		rc = db_exec(stmts[STMT_SAMPLE_FIRST], DB_NOARGS, &res);
	}
	if (rc != DB_OK)
		return rc;
	if (res.nrows) {
		snprintf(s->id, sizeof s->id, "%s", db_val(&res, 0, 0));
		snprintf(s->first, sizeof s->first, "%s", db_val(&res, 0, 1) ? db_val(&res, 0, 1) : "");
		snprintf(s->last, sizeof s->last, "%s", db_val(&res, 0, 2) ? db_val(&res, 0, 2) : "");
		snprintf(s->email, sizeof s->email, "%s", db_val(&res, 0, 3) ? db_val(&res, 0, 3) : "");
	} else {
		s->builtin = 1;
		snprintf(s->first, sizeof s->first, "Anna");
		snprintf(s->last, sizeof s->last, "Rossi");
		snprintf(s->email, sizeof s->email, "anna.rossi@example.com");
	}
	db_res_free(&res);
	snprintf(s->portal_link, sizeof s->portal_link, "%s/password?token=EXAMPLE-TOKEN", base);
	snprintf(s->reset_link, sizeof s->reset_link, "%s/password/reset?token=EXAMPLE-TOKEN", base);
	snprintf(s->ticket_link, sizeof s->ticket_link, "%s/tickets/1042", base);
	gmtime_r(&t, &tm);
	strftime(s->expires, sizeof s->expires, "%Y-%m-%d %H:%M UTC", &tm);
	return DB_OK;
}

/* Renders subject and body with the sample into Preview.*; the template escapes them like any value. */
static int preview(struct req *r, const char *code, const char *subject, const char *body)
{
	struct sample s;
	struct buf sub = { 0 }, bod = { 0 };
	long long cid = 0;
	int rc;

	if (parse_ll(req_param(r, "contact_id"), 1, 9007199254740991LL, &cid) < 0)
		cid = 0;
	if ((rc = sample_load(r, cid, &s)) != DB_OK)
		return rc;
	{
		const struct mailtmpl_var vars[] = {
			{ "contact.first_name", s.first }, { "contact.last_name", s.last },
			{ "contact.email", s.email }, { "portal.login", s.email[0] ? s.email : "anna.rossi@example.com" },
			{ "portal.link", s.portal_link }, { "portal.expires", s.expires },
			{ "site.name", lang_str(r, "App.Name") },
			{ "ticket.number", "T-1042" }, { "ticket.subject", lang_str(r, "Settings.Sample.TicketSubject") },
			{ "ticket.status", lang_str(r, "Settings.Sample.TicketStatus") },
			{ "ticket.link", s.ticket_link }, { "comment.body", lang_str(r, "Settings.Sample.Comment") },
			{ "reset.link", s.reset_link }, { "reset.expires", s.expires },
		};
		size_t n = sizeof vars / sizeof vars[0];
		if (mailtmpl_expand(code, subject, 1, vars, n, &sub) < 0 || mailtmpl_expand(code, body, 0, vars, n, &bod) < 0) {
			buf_free(&sub);
			buf_free(&bod);
			return DB_OK;	/* invalid text: the errors say why, no preview */
		}
	}
	page_set(r, "Preview.Subject", sub.data ? sub.data : "");
	page_set(r, "Preview.Body", bod.data ? bod.data : "");
	page_set(r, "Preview.ContactId", s.id);
	page_set(r, "Preview.ContactName", s.builtin ? "" : s.first);
	page_set(r, "Preview.ContactLast", s.builtin ? "" : s.last);
	page_set_int(r, "Preview.Builtin", s.builtin);
	page_set_int(r, "Preview.Shown", 1);
	buf_free(&sub);
	buf_free(&bod);
	return DB_OK;
}

/* ------------------------------------------------------------------ HTML pages */

int templates_list_page(struct req *r)
{
	static const char *const cols[] = { "id", "code", "language", "subject", "updated_at", "updated_by" };
	struct db_res res;
	int rc;

	if ((rc = db_exec(stmts[STMT_LIST], DB_NOARGS, &res)) != DB_OK)
		return rc;
	page_set_rows(r, "Templates", &res, cols, 6);
	db_res_free(&res);
	sett_page(r, "templates", "Settings.Templates");
	return page_render(r, 200, "settings/templates.cs");
}

/* The edit page of a loaded row, with the given texts (stored or submitted) and errors. */
static int edit_page(struct req *r, int status, const struct db_res *row, const char *subject, const char *body,
    const struct tmpl_err *errs, int nerr, int with_preview)
{
	const struct mailtmpl_code *c = mailtmpl_find(db_val(row, 0, TC_CODE));
	char key[96];
	int rc, i = 0;

	page_set(r, "Tmpl.id", db_val(row, 0, TC_ID));
	page_set(r, "Tmpl.code", db_val(row, 0, TC_CODE));
	page_set(r, "Tmpl.language", db_val(row, 0, TC_LANG));
	page_set(r, "Tmpl.updated_at", db_val(row, 0, TC_UPDATED_AT));
	page_set(r, "Tmpl.updated_by", db_val(row, 0, TC_UPDATED_BY));
	page_set(r, "Form.subject", subject);
	page_set(r, "Form.body", body);
	for (const char *const *p = c->placeholders; *p; p++, i++) {
		snprintf(key, sizeof key, "Placeholders.%d", i);
		page_set(r, key, *p);
	}
	for (int e = 0; e < nerr; e++) {
		snprintf(key, sizeof key, "Form.Errors.%s", errs[e].field);
		page_set(r, key, errs[e].text);
	}
	if (nerr)
		page_set_int(r, "Form.ErrorCount", nerr);
	if (with_preview && !nerr && (rc = preview(r, db_val(row, 0, TC_CODE), subject, body)) != DB_OK)
		return rc;
	if (str_eq(req_param(r, "saved"), "1"))
		page_set(r, "Notice", lang_str(r, "Settings.Saved"));
	{
		long long cid;
		if (parse_ll(req_param(r, "contact_id"), 1, 9007199254740991LL, &cid) == 0)
			page_set_int(r, "Form.contact_id", cid);
	}
	sett_page(r, "templates", "Settings.EditTemplate");
	return page_render(r, status, "settings/template_form.cs");
}

/* Loads the row of r->ids[0]; 404 when absent or of a code this version does not know. */
static int load_known(struct req *r, struct db_res *row)
{
	int rc = tmpl_load(r->ids[0], row);
	if (rc != DB_OK)
		return rc;
	if (row->nrows == 0 || !mailtmpl_find(db_val(row, 0, TC_CODE))) {
		db_res_free(row);
		return 404;
	}
	return DB_OK;
}

int template_edit_page(struct req *r)
{
	struct db_res row;
	int rc = load_known(r, &row);
	if (rc != DB_OK)
		return rc;
	rc = edit_page(r, 200, &row, db_val(&row, 0, TC_SUBJECT), db_val(&row, 0, TC_BODY), NULL, 0, 1);
	db_res_free(&row);
	return rc;
}

int template_update_post(struct req *r)
{
	struct db_res row;
	struct tmpl_err errs[2];
	const char *subject = req_param(r, "subject"), *body = req_param(r, "body");
	int nerr, rc;
	char loc[80];

	if ((rc = load_known(r, &row)) != DB_OK)
		return rc;
	if (!subject)
		subject = "";
	if (!body)
		body = "";
	nerr = tmpl_validate(r, db_val(&row, 0, TC_CODE), subject, body, errs);
	if (nerr || str_eq(req_param(r, "action"), "preview")) {
		/* Preview shows the unsaved input; with errors nothing is saved and nothing previewed. */
		rc = edit_page(r, nerr ? 422 : 200, &row, subject, body, errs, nerr, 1);
	} else if ((rc = tmpl_save(r, &row, subject, body)) == DB_OK) {
		log_msg(LOG_INFO, "mail template %s (%s) changed by %s", db_val(&row, 0, TC_CODE), db_val(&row, 0, TC_LANG), r->who.login);
		snprintf(loc, sizeof loc, "/settings/email-templates/%lld?saved=1", r->ids[0]);
		resp_redirect(r, loc);
	}
	db_res_free(&row);
	return rc;
}
