/* consents.c — settings of the consents (crm_admin): list, create, edit (a changed text makes a new version, a
 * changed title or active flag does not), the version history, and /api/v1/settings/consents. */
#include "settings.h"
#include "consent.h"
#include "custom.h"
#include "db.h"
#include "render.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum stmt {
	STMT_ONE, STMT_LIST, STMT_VERSIONS, STMT_INSERT, STMT_INSERT_VERSION, STMT_UPDATE, STMT_NEW_VERSION,
	STMT_MAX_ORDER, STMT_GRANTS, STMT__MAX
};

static const char *const stmts[STMT__MAX] = {
	[STMT_ONE] =
	    "SELECT c.id, c.code, c.title_en, c.title_it, v.text_en, v.text_it, c.version, c.active, c.sort_order "
	    "FROM consents c LEFT JOIN consent_versions v ON v.consent_id = c.id AND v.version = c.version WHERE c.id = ?",
	[STMT_LIST] =
	    "SELECT c.id, c.code, c.title_en, c.title_it, v.text_en, v.text_it, c.version, c.active, c.sort_order "
	    "FROM consents c LEFT JOIN consent_versions v ON v.consent_id = c.id AND v.version = c.version "
	    "ORDER BY c.sort_order, c.id",
	[STMT_VERSIONS] =
	    "SELECT v.version, v.created_at, COALESCE(u.login, ''), v.text_en, v.text_it FROM consent_versions v "
	    "LEFT JOIN users u ON u.id = v.created_by WHERE v.consent_id = ? ORDER BY v.version DESC",
	[STMT_INSERT] =
	    "INSERT INTO consents (code, title_en, title_it, version, sort_order, active, created_by, updated_by) "
	    "VALUES (?, ?, ?, 1, ?, ?, ?, ?)",
	[STMT_INSERT_VERSION] =
	    "INSERT INTO consent_versions (consent_id, version, text_en, text_it, created_by) VALUES (?, ?, ?, ?, ?)",
	[STMT_UPDATE] =
	    "UPDATE consents SET title_en = ?, title_it = ?, sort_order = ?, active = ?, updated_by = ?, "
	    "updated_at = NOW() WHERE id = ?",
	[STMT_NEW_VERSION] = "UPDATE consents SET version = ? WHERE id = ? AND version = ?",
	[STMT_MAX_ORDER] = "SELECT COALESCE(MAX(sort_order), 0) FROM consents",
	[STMT_GRANTS] = "SELECT COUNT(*) FROM contact_consents WHERE consent_id = ? AND granted = 1",
};

enum { C_ID, C_CODE, C_TITLE_EN, C_TITLE_IT, C_TEXT_EN, C_TEXT_IT, C_VERSION, C_ACTIVE, C_ORDER };

/* One consent being written. */
struct consent_form {
	long long   id;
	int         version;		/* stored version (0: new) */
	char       *code, *title_en, *title_it, *text_en, *text_it;
	char       *old_text_en, *old_text_it;
	int         active, sort_order, has_order;
	struct ferr e[16];
	int         n;
	int         new_version;	/* set by save: the text changed */
};

static void cf_free(struct consent_form *c)
{
	free(c->code);
	free(c->title_en);
	free(c->title_it);
	free(c->text_en);
	free(c->text_it);
	free(c->old_text_en);
	free(c->old_text_it);
	memset(c, 0, sizeof *c);
}

static void cerr(struct consent_form *c, const char *field, const char *msg)
{
	if (c->n < 16) {
		c->e[c->n].field = field;
		c->e[c->n].msg = msg;
		c->n++;
	}
}

static char *dup_val(const struct db_res *res, size_t row, size_t col)
{
	const char *v = db_val(res, row, col);
	return v && *v ? xstrdup(v) : NULL;
}

/* Trimmed (single line) or with only trailing blanks removed (text); NULL when blank. */
static char *clean(const char *s, int multiline)
{
	size_t b = 0, e;
	if (!s)
		return NULL;
	if (!multiline)
		while (s[b] == ' ' || s[b] == '\t')
			b++;
	e = strlen(s);
	while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r' || s[e - 1] == '\n'))
		e--;
	if (s[b + strspn(s + b, " \t\r\n")] == '\0')
		return NULL;
	return xstrndup(s + b, e - b);
}

/* Loads consent id into c (the edit's starting point). Returns a db_rc; c->id stays 0 when absent. */
static int cf_load(struct consent_form *c, long long id)
{
	struct db_res res;
	int rc;

	memset(c, 0, sizeof *c);
	if ((rc = db_exec(stmts[STMT_ONE], DB_ARGS(A_INT(id)), &res)) != DB_OK)
		return rc;
	if (res.nrows) {
		c->id = db_ll(&res, 0, C_ID);
		c->code = dup_val(&res, 0, C_CODE);
		c->title_en = dup_val(&res, 0, C_TITLE_EN);
		c->title_it = dup_val(&res, 0, C_TITLE_IT);
		c->text_en = dup_val(&res, 0, C_TEXT_EN);
		c->text_it = dup_val(&res, 0, C_TEXT_IT);
		c->old_text_en = dup_val(&res, 0, C_TEXT_EN);
		c->old_text_it = dup_val(&res, 0, C_TEXT_IT);
		c->version = (int)db_ll(&res, 0, C_VERSION);
		c->active = db_ll(&res, 0, C_ACTIVE) != 0;
		c->sort_order = (int)db_ll(&res, 0, C_ORDER);
		c->has_order = 1;
	}
	db_res_free(&res);
	return DB_OK;
}

static void replace(char **dst, char *v)
{
	free(*dst);
	*dst = v;
}

static void cf_from_form(struct consent_form *c, struct req *r)
{
	const char *v;
	long long n;

	if (!c->id) {
		c->code = clean(req_param(r, "code"), 0);
		c->active = 1;
	}
	replace(&c->title_en, clean(req_param(r, "title_en"), 0));
	replace(&c->title_it, clean(req_param(r, "title_it"), 0));
	replace(&c->text_en, clean(req_param(r, "text_en"), 1));
	replace(&c->text_it, clean(req_param(r, "text_it"), 1));
	c->active = (v = req_param(r, "active")) != NULL && *v && strcmp(v, "0");
	v = req_param(r, "sort_order");
	if (v && *v) {
		if (parse_ll(v, -1000000, 1000000, &n) < 0)
			cerr(c, "sort_order", "Int");
		else
			c->sort_order = (int)n, c->has_order = 1;
	}
}

static char *jtext(json_object *o, int multiline, int *bad)
{
	if (!o || json_object_is_type(o, json_type_null))
		return NULL;
	if (!json_object_is_type(o, json_type_string) ||
	    strlen(json_object_get_string(o)) != (size_t)json_object_get_string_len(o)) {
		*bad = 1;
		return NULL;
	}
	return clean(json_object_get_string(o), multiline);
}

static void jpair(json_object *o, char **en, char **it, int multiline, struct consent_form *c, const char *name)
{
	json_object *v;
	int bad = 0;
	if (!json_object_is_type(o, json_type_object)) {
		cerr(c, name, "Object");
		return;
	}
	if (json_object_object_get_ex(o, "en", &v))
		replace(en, jtext(v, multiline, &bad));
	if (json_object_object_get_ex(o, "it", &v))
		replace(it, jtext(v, multiline, &bad));
	if (bad)
		cerr(c, name, "Text");
}

static void cf_from_json(struct consent_form *c, json_object *j)
{
	json_object *v;
	int bad = 0;

	if (!c->id) {
		c->active = 1;
		if (json_object_object_get_ex(j, "code", &v))
			c->code = jtext(v, 0, &bad);
		if (bad)
			cerr(c, "code", "Text");
	} else if (json_object_object_get_ex(j, "code", &v) && !str_eq(json_object_get_string(v), c->code)) {
		cerr(c, "code", "Immutable");
	}
	if (json_object_object_get_ex(j, "title", &v))
		jpair(v, &c->title_en, &c->title_it, 0, c, "title");
	if (json_object_object_get_ex(j, "text", &v))
		jpair(v, &c->text_en, &c->text_it, 1, c, "text");
	if (json_object_object_get_ex(j, "active", &v)) {
		if (!json_object_is_type(v, json_type_boolean))
			cerr(c, "active", "Bool");
		c->active = json_object_get_boolean(v);
	}
	if (json_object_object_get_ex(j, "order", &v)) {
		if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) < -1000000 || json_object_get_int64(v) > 1000000)
			cerr(c, "order", "Int");
		c->sort_order = (int)json_object_get_int64(v);
		c->has_order = 1;
	}
}

static void check_text(struct consent_form *c, const char *name, const char *v, int required, size_t max, int multiline)
{
	if (!v) {
		if (required)
			cerr(c, name, "Required");
	} else if (!utf8_valid_text(v, strlen(v), multiline)) {
		cerr(c, name, "Text");
	} else if (strlen(v) > max) {
		cerr(c, name, "TooLong");
	}
}

static void cf_validate(struct consent_form *c, int form)
{
	if (!c->id) {
		if (!c->code)
			cerr(c, "code", "Required");
		else if (!custom_key_valid(c->code))
			cerr(c, "code", "KeyFormat");
	}
	check_text(c, form ? "title_en" : "title", c->title_en, 1, 200, 0);
	check_text(c, form ? "title_it" : "title", c->title_it, 0, 200, 0);
	check_text(c, form ? "text_en" : "text", c->text_en, 1, 60000, 1);
	check_text(c, form ? "text_it" : "text", c->text_it, 0, 60000, 1);
}

struct save_ctx {
	struct req          *r;
	struct consent_form *c;
	int                  dup, stale;
};

static int save_txn(void *p)
{
	struct save_ctx *s = p;
	struct consent_form *c = s->c;
	struct db_res res;
	struct buf d = { 0 };
	long long uid = s->r->who.user_id;
	int rc;

	c->new_version = 0;
	if (!c->has_order) {
		if ((rc = db_exec(stmts[STMT_MAX_ORDER], DB_NOARGS, &res)) != DB_OK)
			return rc;
		c->sort_order = (int)db_ll(&res, 0, 0) + 10;
		db_res_free(&res);
	}
	if (!c->version) {
		rc = db_exec(stmts[STMT_INSERT], DB_ARGS(A_STR(c->code), A_STR(c->title_en), A_STR(c->title_it ? c->title_it : ""),
		    A_INT(c->sort_order), A_INT(c->active), A_INT(uid), A_INT(uid)), &res);
		if (rc == DB_DUP) {
			s->dup = 1;
			return DB_ERR;
		}
		if (rc != DB_OK)
			return rc;
		c->id = (long long)res.insert_id;
		db_res_free(&res);
		rc = db_exec(stmts[STMT_INSERT_VERSION], DB_ARGS(A_INT(c->id), A_INT(1), A_STR(c->text_en),
		    A_STR(c->text_it ? c->text_it : ""), A_INT(uid)), NULL);
		if (rc != DB_OK)
			return rc;
		buf_printf(&d, "code=%s version=1", c->code);
		rc = settings_log(s->r, "consent", c->id, "create", d.data);
		buf_free(&d);
		return rc;
	}
	rc = db_exec(stmts[STMT_UPDATE], DB_ARGS(A_STR(c->title_en), A_STR(c->title_it ? c->title_it : ""),
	    A_INT(c->sort_order), A_INT(c->active), A_INT(uid), A_INT(c->id)), NULL);
	if (rc != DB_OK)
		return rc;
	/* a different text in either language is a new version; the old ones stay */
	if (!str_eq(c->text_en ? c->text_en : "", c->old_text_en ? c->old_text_en : "") ||
	    !str_eq(c->text_it ? c->text_it : "", c->old_text_it ? c->old_text_it : "")) {
		rc = db_exec(stmts[STMT_NEW_VERSION], DB_ARGS(A_INT(c->version + 1), A_INT(c->id), A_INT(c->version)), &res);
		if (rc != DB_OK)
			return rc;
		if (res.affected == 0) {
			db_res_free(&res);
			s->stale = 1;	/* someone else made a version meanwhile */
			return DB_ERR;
		}
		db_res_free(&res);
		rc = db_exec(stmts[STMT_INSERT_VERSION], DB_ARGS(A_INT(c->id), A_INT(c->version + 1), A_STR(c->text_en),
		    A_STR(c->text_it ? c->text_it : ""), A_INT(uid)), NULL);
		if (rc != DB_OK)
			return rc;
		c->new_version = 1;
	}
	buf_printf(&d, "code=%s version=%d active=%d%s", c->code, c->version + c->new_version, c->active,
	    c->new_version ? " new text version" : "");
	rc = settings_log(s->r, "consent", c->id, "update", d.data);
	buf_free(&d);
	return rc;
}

/* Returns a db_rc, or 422 with the errors in c. */
static int cf_save(struct req *r, struct consent_form *c, int form)
{
	struct save_ctx s = { r, c, 0, 0 };
	int rc;

	cf_validate(c, form);
	if (c->n)
		return 422;
	rc = db_txn(save_txn, &s);
	if (s.dup) {
		cerr(c, "code", "KeyTaken");
		return 422;
	}
	if (s.stale) {
		cerr(c, form ? "text_en" : "text", "Stale");
		return 422;
	}
	return rc;
}

/* ------------------------------------------------------------------ HTML */

static void setf(struct req *r, const char *value, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void setf(struct req *r, const char *value, const char *fmt, ...)
{
	char key[160];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(key, sizeof key, fmt, ap);
	va_end(ap);
	page_set(r, key, value);
}

int settings_consents_page(struct req *r)
{
	static const char *const cols[] = { "id", "code", "title_en", "title_it", "text_en", "text_it", "version", "active", "order" };
	struct db_res res;
	int rc;

	if ((rc = db_exec(stmts[STMT_LIST], DB_NOARGS, &res)) != DB_OK)
		return rc;
	page_set_rows(r, "Consents", &res, cols, 9);
	for (size_t i = 0; i < res.nrows; i++) {
		const char *it = db_val(&res, i, C_TITLE_IT);
		setf(r, str_eq(r->lang, "it") && it && *it ? it : db_val(&res, i, C_TITLE_EN), "Consents.%lu.title", (unsigned long)i);
	}
	db_res_free(&res);
	{
		const char *n = req_param(r, "done");
		if (str_eq(n, "created") || str_eq(n, "saved") || str_eq(n, "versioned")) {
			char k[64];
			snprintf(k, sizeof k, "Consents.Done.%s", n);
			page_set(r, "Settings.Notice", lang_str(r, k));
		}
	}
	page_set(r, "Settings.Tab", "consents");
	page_set(r, "Page.Title", lang_str(r, "Consents.Title"));
	return page_render(r, 200, "settings/consents.cs");
}

static int form_page(struct req *r, int status, const struct consent_form *c)
{
	char num[24];

	if (c->id) {
		static const char *const vcols[] = { "version", "at", "by", "text_en", "text_it" };
		struct db_res res;
		int rc;
		snprintf(num, sizeof num, "%lld", c->id);
		page_set(r, "Form.Id", num);
		snprintf(num, sizeof num, "%d", c->version);
		page_set(r, "Form.version", num);
		if ((rc = db_exec(stmts[STMT_VERSIONS], DB_ARGS(A_INT(c->id)), &res)) != DB_OK)
			return rc;
		page_set_rows(r, "Versions", &res, vcols, 5);
		db_res_free(&res);
		if ((rc = db_exec(stmts[STMT_GRANTS], DB_ARGS(A_INT(c->id)), &res)) != DB_OK)
			return rc;
		page_set(r, "Form.grants", db_val(&res, 0, 0));
		db_res_free(&res);
	}
	page_set(r, "Form.code", c->code);
	page_set(r, "Form.title_en", c->title_en);
	page_set(r, "Form.title_it", c->title_it);
	page_set(r, "Form.text_en", c->text_en);
	page_set(r, "Form.text_it", c->text_it);
	page_set(r, "Form.active", c->active ? "1" : "0");
	if (c->has_order) {
		snprintf(num, sizeof num, "%d", c->sort_order);
		page_set(r, "Form.sort_order", num);
	}
	if (c->n)
		page_set_errors(r, c->e, c->n);
	page_set(r, "Settings.Tab", "consents");
	page_set(r, "Page.Title", lang_str(r, c->id ? "Consents.Edit" : "Consents.New"));
	return page_render(r, status, "settings/consent_form.cs");
}

int settings_consent_new_page(struct req *r)
{
	struct consent_form c;
	int rc;
	memset(&c, 0, sizeof c);
	c.active = 1;
	rc = form_page(r, 200, &c);
	cf_free(&c);
	return rc;
}

int settings_consent_create_post(struct req *r)
{
	struct consent_form c;
	int rc;

	memset(&c, 0, sizeof c);
	cf_from_form(&c, r);
	rc = cf_save(r, &c, 1);
	if (rc == 422)
		rc = form_page(r, 422, &c);
	else if (rc == DB_OK)
		resp_redirect(r, "/settings/consents?done=created");
	cf_free(&c);
	return rc;
}

int settings_consent_edit_page(struct req *r)
{
	struct consent_form c;
	int rc = cf_load(&c, r->ids[0]);
	if (rc == DB_OK)
		rc = c.id ? form_page(r, 200, &c) : 404;
	cf_free(&c);
	return rc;
}

int settings_consent_update_post(struct req *r)
{
	struct consent_form c;
	int rc = cf_load(&c, r->ids[0]);

	if (rc == DB_OK && !c.id)
		rc = 404;
	if (rc == DB_OK) {
		cf_from_form(&c, r);
		rc = cf_save(r, &c, 1);
		if (rc == 422)
			rc = form_page(r, 422, &c);
		else if (rc == DB_OK)
			resp_redirect(r, c.new_version ? "/settings/consents?done=versioned" : "/settings/consents?done=saved");
	}
	cf_free(&c);
	return rc;
}

/* ------------------------------------------------------------------ API */

static json_object *pair_json(const char *en, const char *it)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "en", json_object_new_string(en ? en : ""));
	json_object_object_add(o, "it", json_object_new_string(it ? it : ""));
	return o;
}

static json_object *row_json(const struct db_res *res, size_t i)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(db_ll(res, i, C_ID)));
	json_object_object_add(o, "code", json_object_new_string(db_val(res, i, C_CODE)));
	json_object_object_add(o, "title", pair_json(db_val(res, i, C_TITLE_EN), db_val(res, i, C_TITLE_IT)));
	json_object_object_add(o, "text", pair_json(db_val(res, i, C_TEXT_EN), db_val(res, i, C_TEXT_IT)));
	json_object_object_add(o, "version", json_object_new_int64(db_ll(res, i, C_VERSION)));
	json_object_object_add(o, "active", json_object_new_boolean(db_ll(res, i, C_ACTIVE) != 0));
	json_object_object_add(o, "order", json_object_new_int64(db_ll(res, i, C_ORDER)));
	return o;
}

static int answer_consent(struct req *r, long long id, int status)
{
	struct db_res res, ver;
	json_object *o, *versions;
	int rc;

	if ((rc = db_exec(stmts[STMT_ONE], DB_ARGS(A_INT(id)), &res)) != DB_OK)
		return rc;
	if (res.nrows == 0) {
		db_res_free(&res);
		return 404;
	}
	o = row_json(&res, 0);
	db_res_free(&res);
	if ((rc = db_exec(stmts[STMT_VERSIONS], DB_ARGS(A_INT(id)), &ver)) != DB_OK) {
		json_object_put(o);
		return rc;
	}
	versions = json_object_new_array();
	for (size_t i = 0; i < ver.nrows; i++) {
		json_object *v = json_object_new_object();
		json_object_object_add(v, "version", json_object_new_int64(db_ll(&ver, i, 0)));
		json_object_object_add(v, "created_at", json_object_new_string(db_val(&ver, i, 1) ? db_val(&ver, i, 1) : ""));
		json_object_object_add(v, "text", pair_json(db_val(&ver, i, 3), db_val(&ver, i, 4)));
		json_object_array_add(versions, v);
	}
	db_res_free(&ver);
	json_object_object_add(o, "versions", versions);
	resp_json(r, status, o);
	return 0;
}

int settings_api_consents(struct req *r)
{
	struct db_res res;
	json_object *root, *items;
	int rc = db_exec(stmts[STMT_LIST], DB_NOARGS, &res);
	if (rc != DB_OK)
		return rc;
	root = json_object_new_object();
	items = json_object_new_array();
	for (size_t i = 0; i < res.nrows; i++)
		json_object_array_add(items, row_json(&res, i));
	db_res_free(&res);
	json_object_object_add(root, "items", items);
	resp_json(r, 200, root);
	return 0;
}

int settings_api_consent_get(struct req *r)
{
	return answer_consent(r, r->ids[0], 200);
}

int settings_api_consent_create(struct req *r)
{
	struct consent_form c;
	int rc;

	if (!r->json)
		return 415;
	memset(&c, 0, sizeof c);
	cf_from_json(&c, r->json);
	rc = c.n ? 422 : cf_save(r, &c, 0);
	if (rc == 422) {
		resp_json_invalid(r, c.e, c.n);
		rc = 0;
	} else if (rc == DB_OK) {
		char loc[80];
		snprintf(loc, sizeof loc, "/api/v1/settings/consents/%lld", c.id);
		resp_header(r, "Location: %s", loc);
		rc = answer_consent(r, c.id, 201);
	}
	cf_free(&c);
	return rc;
}

int settings_api_consent_patch(struct req *r)
{
	struct consent_form c;
	int rc;

	if (!r->json)
		return 415;
	if ((rc = cf_load(&c, r->ids[0])) != DB_OK)
		return rc;
	if (!c.id) {
		cf_free(&c);
		return 404;
	}
	cf_from_json(&c, r->json);
	rc = c.n ? 422 : cf_save(r, &c, 0);
	if (rc == 422) {
		resp_json_invalid(r, c.e, c.n);
		rc = 0;
	} else if (rc == DB_OK) {
		rc = answer_consent(r, c.id, 200);
	}
	cf_free(&c);
	return rc;
}
