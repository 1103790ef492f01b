/* entity.c — customers and leads: field tables, statements and the record operations they drive. */
#include "entity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contact.h"
#include "render.h"
#include "util.h"

/* ---- customers ---- */

static const char *const customer_types[] = { "customer", "partner", "vendor", "other", NULL };

static const struct field customer_fields[CU__MAX] = {
	[CU_NAME]        = { "name", V_TEXT, F_REQUIRED, 0, 200, NULL },
	[CU_TYPE]        = { "type", V_ENUM, 0, 0, 0, customer_types },
	[CU_EMAIL]       = { "email", V_EMAIL, 0, 0, 254, NULL },
	[CU_PHONE]       = { "phone", V_PHONE, 0, 0, 40, NULL },
	[CU_WEBSITE]     = { "website", V_URL, 0, 0, 255, NULL },
	[CU_VAT]         = { "vat", V_TEXT, 0, 0, 40, NULL },
	[CU_STREET]      = { "street", V_TEXT, 0, 0, 200, NULL },
	[CU_CITY]        = { "city", V_TEXT, 0, 0, 100, NULL },
	[CU_POSTAL_CODE] = { "postal_code", V_TEXT, 0, 0, 20, NULL },
	[CU_PROVINCE]    = { "province", V_TEXT, 0, 0, 100, NULL },
	[CU_COUNTRY]     = { "country", V_TEXT, 0, 0, 100, NULL },
	[CU_NOTES]       = { "notes", V_LONGTEXT, 0, 0, 65535, NULL },
	[CU_ACTIVE]      = { "active", V_BOOL, 0, 0, 0, NULL },
};

static const int customer_words[] = { CU_NAME };

#define CU_COLS "name, type, email, phone, website, vat, street, city, postal_code, province, country, notes, active"

static int customer_check(const struct entity_in *in, const struct db_res *old, struct ferr *errs, int n)
{
	(void)in;
	(void)old;
	(void)errs;
	return n;
}

const struct entity customer_entity = {
	"customer", WORDS_CUSTOMER, customer_fields, CU__MAX, customer_words, 1, CU_PHONE, customer_check,
	"SELECT " CU_COLS ", id, version, created_at, created_by, updated_at, updated_by, deleted_at, "
	"(SELECT COUNT(*) FROM connections x JOIN contacts c ON c.id = x.contact_id "
	" WHERE x.customer_id = customers.id AND c.deleted_at IS NULL) "
	"FROM customers WHERE id = ? AND (? = 1 OR deleted_at IS NULL)",
	"INSERT INTO customers (" CU_COLS ", phone_norm, created_by, updated_by, owner_id) "
	"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	"UPDATE customers SET name = ?, type = ?, email = ?, phone = ?, website = ?, vat = ?, street = ?, "
	"city = ?, postal_code = ?, province = ?, country = ?, notes = ?, active = ?, phone_norm = ?, "
	"updated_by = ?, updated_at = NOW(), version = version + 1 WHERE id = ? AND version = ? AND deleted_at IS NULL",
	"SELECT version FROM customers WHERE id = ? AND deleted_at IS NULL",
	"UPDATE customers SET deleted_at = NOW(), deleted_by = ?, version = version + 1 WHERE id = ? AND deleted_at IS NULL",
	"UPDATE customers SET deleted_at = NULL, deleted_by = NULL, version = version + 1 WHERE id = ? AND deleted_at IS NOT NULL",
	"SELECT contact_id FROM connections WHERE customer_id = ?",
	"DELETE FROM customers WHERE id = ? AND deleted_at IS NOT NULL",
};

/* ---- leads ---- */

static const char *const lead_statuses[] = { "new", "contacted", "qualified", "lost", "converted", NULL };
static const char *const lead_sources[] = { "web", "referral", "event", "advertising", "cold_call",
	"partner", "email", "other", NULL };

static const struct field lead_fields[LF__MAX] = {
	[LF_FIRST_NAME] = { "first_name", V_TEXT, 0, 0, 100, NULL },
	[LF_LAST_NAME]  = { "last_name", V_TEXT, 0, 0, 100, NULL },
	[LF_COMPANY]    = { "company", V_TEXT, 0, 0, 200, NULL },
	[LF_EMAIL]      = { "email", V_EMAIL, 0, 0, 254, NULL },
	[LF_PHONE]      = { "phone", V_PHONE, 0, 0, 40, NULL },
	[LF_LANGUAGE]   = { "language", V_LANG, 0, 0, 0, NULL },
	[LF_SOURCE]     = { "source", V_ENUM, 0, 0, 0, lead_sources },
	[LF_STATUS]     = { "status", V_ENUM, 0, 0, 0, lead_statuses },
	[LF_NOTES]      = { "notes", V_LONGTEXT, 0, 0, 65535, NULL },
};

static const int lead_words[] = { LF_FIRST_NAME, LF_LAST_NAME, LF_COMPANY };

#define LEAD_COLS "first_name, last_name, company, email, phone, language, source, status, notes"

/* A lead needs someone or some company; "converted" is a state only the conversion sets. */
static int lead_check(const struct entity_in *in, const struct db_res *old, struct ferr *errs, int n)
{
	const char *was = old ? db_val(old, 0, LF_STATUS) : NULL;
	int converted = str_eq(was, "converted");

	if (!in->v[LF_FIRST_NAME] && !in->v[LF_LAST_NAME] && !in->v[LF_COMPANY] && n < MAX_FORM_ERRORS)
		errs[n++] = (struct ferr){ "last_name", "LeadNeedsName" };
	if (str_eq(in->v[LF_STATUS], "converted") != converted && n < MAX_FORM_ERRORS)
		errs[n++] = (struct ferr){ "status", converted ? "LeadConvertedFixed" : "LeadConvertOnly" };
	return n;
}

const struct entity lead_entity = {
	"lead", WORDS_LEAD, lead_fields, LF__MAX, lead_words, 3, LF_PHONE, lead_check,
	"SELECT " LEAD_COLS ", id, version, created_at, created_by, updated_at, updated_by, deleted_at, "
	"converted_contact_id, converted_at, converted_customer_id, anonymized_at "
	"FROM leads WHERE id = ? AND (? = 1 OR deleted_at IS NULL)",
	"INSERT INTO leads (" LEAD_COLS ", phone_norm, created_by, updated_by, owner_id) "
	"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	"UPDATE leads SET first_name = ?, last_name = ?, company = ?, email = ?, phone = ?, language = ?, "
	"source = ?, status = ?, notes = ?, phone_norm = ?, updated_by = ?, updated_at = NOW(), "
	"version = version + 1 WHERE id = ? AND version = ? AND deleted_at IS NULL",
	"SELECT version FROM leads WHERE id = ? AND deleted_at IS NULL",
	"UPDATE leads SET deleted_at = NOW(), deleted_by = ?, version = version + 1 WHERE id = ? AND deleted_at IS NULL",
	"UPDATE leads SET deleted_at = NULL, deleted_by = NULL, version = version + 1 WHERE id = ? AND deleted_at IS NOT NULL",
	"SELECT contact_id FROM connections WHERE lead_id = ?",
	"DELETE FROM leads WHERE id = ? AND deleted_at IS NOT NULL",
};

/* ---- operations ---- */


int entity_load(const struct entity *e, long long id, int with_deleted, struct db_res *out)
{
	return db_exec(e->sql_load, DB_ARGS(A_INT(id), A_INT(with_deleted ? 1 : 0)), out);
}

static int is_flag(const struct entity *e, int i)
{
	return e->fields[i].type == V_BOOL;
}

static char *trimmed(const char *s, int keep_newlines)
{
	size_t b = 0, end;

	if (!s)
		return NULL;
	while (s[b] == ' ' || s[b] == '\t' || (keep_newlines && (s[b] == '\r' || s[b] == '\n')))
		b++;
	end = strlen(s);
	while (end > b && (s[end - 1] == ' ' || s[end - 1] == '\t' || (keep_newlines && (s[end - 1] == '\n' || s[end - 1] == '\r'))))
		end--;
	return end > b ? xstrndup(s + b, end - b) : NULL;
}

int entity_validate(const struct entity *e, struct entity_in *in, const struct db_res *old, struct ferr *errs)
{
	int n = 0;

	in->norm[0] = '\0';
	for (int i = 0; i < e->nfields; i++) {
		struct fval fv;
		const char *msg;

		memset(&fv, 0, sizeof fv);
		if (!in->v[i]) {
			if ((e->fields[i].flags & F_REQUIRED) && n < MAX_FORM_ERRORS)
				errs[n++] = (struct ferr){ e->fields[i].name, "Required" };
			continue;
		}
		if ((msg = validate_one(&e->fields[i], in->v[i], &fv)) != NULL) {
			if (n < MAX_FORM_ERRORS)
				errs[n++] = (struct ferr){ e->fields[i].name, msg };
			continue;
		}
		if (is_flag(e, i)) {
			free(in->v[i]);
			in->v[i] = xstrdup(fv.i ? "1" : "0");
		}
		if (i == e->phone_field)
			snprintf(in->norm, sizeof in->norm, "%s", fv.norm);
	}
	return e->check(in, old, errs, n);
}

int entity_in_from_request(const struct entity *e, struct req *r, const struct db_res *base,
    int only_present, struct entity_in *in, struct ferr *errs)
{
	memset(in, 0, sizeof *in);
	for (int i = 0; i < e->nfields; i++) {
		const char *v = req_param(r, e->fields[i].name);
		int present = v != NULL;

		if (r->json && !present) {
			json_object *o;
			present = json_object_object_get_ex(r->json, e->fields[i].name, &o);
		}
		if (only_present && !present) {
			const char *old = base ? db_val(base, 0, (size_t)i) : NULL;
			in->v[i] = old && *old ? xstrdup(old) : NULL;
			continue;
		}
		if (is_flag(e, i) && !v) {
			/* unchecked box: not sent; a JSON create without the key makes it active */
			in->v[i] = xstrdup(r->json && !present ? "1" : "0");
			continue;
		}
		in->v[i] = trimmed(v, e->fields[i].type == V_LONGTEXT);
	}
	/* a new lead starts as "new"; a form never changes a converted lead's state */
	if (e == &lead_entity && !in->v[LF_STATUS])
		in->v[LF_STATUS] = xstrdup(base ? db_val(base, 0, LF_STATUS) : "new");
	if (e == &customer_entity && !in->v[CU_TYPE])
		in->v[CU_TYPE] = xstrdup("customer");
	return entity_validate(e, in, base, errs);
}

void entity_in_free(struct entity_in *in)
{
	for (int i = 0; i < ENT_MAX_FIELDS; i++)
		free(in->v[i]);
	memset(in, 0, sizeof *in);
}

/* Binds the fields, then the phone norm when the entity has one; returns the count. */
static size_t bind_in(const struct entity *e, const struct entity_in *in, struct db_arg *a)
{
	size_t n = 0;

	for (int i = 0; i < e->nfields; i++) {
		const char *v = in->v[i];
		if (is_flag(e, i))
			a[n++] = A_INT(v ? strtoll(v, NULL, 10) : 1);
		else if (!v && (e == &lead_entity) && (i == LF_FIRST_NAME || i == LF_LAST_NAME || i == LF_COMPANY))
			a[n++] = A_STR("");	/* NOT NULL DEFAULT '' columns */
		else
			a[n++] = A_STR(v);
	}
	if (e->phone_field >= 0)
		a[n++] = in->norm[0] ? A_STR(in->norm) : A_NULL;
	return n;
}

static int index_words(const struct entity *e, long long id, const struct entity_in *in)
{
	const char *texts[ENT_MAX_FIELDS];
	char person[256];

	if (e == &lead_entity) {
		/* "Mario Rossi" is one phrase; the company another */
		snprintf(person, sizeof person, "%s %s", in->v[LF_FIRST_NAME] ? in->v[LF_FIRST_NAME] : "",
		    in->v[LF_LAST_NAME] ? in->v[LF_LAST_NAME] : "");
		texts[0] = person;
		texts[1] = in->v[LF_COMPANY];
		return words_index(e->words, id, texts, 2);
	}
	for (int w = 0; w < e->nword_fields; w++)
		texts[w] = in->v[e->word_fields[w]];
	return words_index(e->words, id, texts, (size_t)e->nword_fields);
}

static int refresh_contacts(const struct entity *e, long long id)
{
	struct db_res res;
	int rc;

	if ((rc = db_exec(e->sql_contacts, DB_ARGS(A_INT(id)), &res)) != DB_OK)
		return rc;
	for (size_t i = 0; i < res.nrows && rc == DB_OK; i++)
		rc = contact_status_refresh(db_ll(&res, i, 0));
	db_res_free(&res);
	return rc;
}

struct write_ctx {
	const struct entity   *e;
	struct req            *r;
	struct entity_in      *in;
	const struct db_res   *old;
	long long              id, version;
	int                    status;
};

static int create_txn(void *p)
{
	struct write_ctx *c = p;
	struct db_arg a[ENT_MAX_FIELDS + 4];
	struct db_res res;
	size_t n = bind_in(c->e, c->in, a);
	int rc;

	a[n++] = A_INT(c->r->who.user_id);
	a[n++] = A_INT(c->r->who.user_id);
	a[n++] = A_INT(c->r->who.user_id);
	if ((rc = db_exec(c->e->sql_insert, a, n, &res)) != DB_OK)
		return rc;
	c->id = (long long)res.insert_id;
	db_res_free(&res);
	if ((rc = history_add(c->r, c->e->name, c->id, "create", NULL, NULL, NULL)) != DB_OK)
		return rc;
	for (int i = 0; i < c->e->nfields; i++)
		if (c->in->v[i] && !(is_flag(c->e, i) && !strcmp(c->in->v[i], "1")))
			if ((rc = history_add(c->r, c->e->name, c->id, "create", c->e->fields[i].name, NULL, c->in->v[i])) != DB_OK)
				return rc;
	return index_words(c->e, c->id, c->in);
}

int entity_create(const struct entity *e, struct req *r, struct entity_in *in, long long *id)
{
	struct write_ctx c = { e, r, in, NULL, 0, 0, 0 };
	int rc = db_txn(create_txn, &c);

	*id = c.id;
	return rc;
}

static int update_txn(void *p)
{
	struct write_ctx *c = p;
	struct db_arg a[ENT_MAX_FIELDS + 4];
	struct db_res res;
	size_t n = bind_in(c->e, c->in, a);
	int rc, words_changed = 0;

	c->status = 0;
	a[n++] = A_INT(c->r->who.user_id);
	a[n++] = A_INT(c->id);
	a[n++] = A_INT(c->version);
	if ((rc = db_exec(c->e->sql_update, a, n, &res)) != DB_OK)
		return rc;
	if (res.affected == 0) {
		db_res_free(&res);
		if ((rc = db_exec(c->e->sql_exists, DB_ARGS(A_INT(c->id)), &res)) != DB_OK)
			return rc;
		c->status = res.nrows ? 409 : 404;
		db_res_free(&res);
		return DB_ERR;	/* nothing written */
	}
	db_res_free(&res);
	for (int i = 0; i < c->e->nfields; i++) {
		const char *o = db_val(c->old, 0, (size_t)i), *nv = c->in->v[i];
		if (o && !*o)
			o = NULL;
		if ((o || nv) && !(o && nv && !strcmp(o, nv))) {
			if ((rc = history_add(c->r, c->e->name, c->id, "update", c->e->fields[i].name, o, nv)) != DB_OK)
				return rc;
			for (int w = 0; w < c->e->nword_fields; w++)
				words_changed |= c->e->word_fields[w] == i;
		}
	}
	if (words_changed && (rc = index_words(c->e, c->id, c->in)) != DB_OK)
		return rc;
	/* an inactive customer still counts as a connection; only the recycle bin removes it */
	return DB_OK;
}

int entity_update(const struct entity *e, struct req *r, long long id, long long version,
    struct entity_in *in, const struct db_res *old)
{
	struct write_ctx c = { e, r, in, old, id, version, 0 };
	int rc = db_txn(update_txn, &c);

	return c.status ? c.status : rc;
}

static int bin_txn(void *p)
{
	struct write_ctx *c = p;
	struct db_res res;
	int rc;

	c->status = 0;
	if (c->version)	/* delete */
		rc = db_exec(c->e->sql_delete, DB_ARGS(A_INT(c->r->who.user_id), A_INT(c->id)), &res);
	else
		rc = db_exec(c->e->sql_restore, DB_ARGS(A_INT(c->id)), &res);
	if (rc != DB_OK)
		return rc;
	if (res.affected == 0) {
		db_res_free(&res);
		c->status = 404;
		return DB_ERR;
	}
	db_res_free(&res);
	if ((rc = words_hide(c->e->words, c->id, c->version != 0)) != DB_OK)
		return rc;
	if ((rc = history_add(c->r, c->e->name, c->id, c->version ? "delete" : "restore", NULL, NULL, NULL)) != DB_OK)
		return rc;
	/* a contact whose only link went to the bin is a draft again, and back on restore */
	return refresh_contacts(c->e, c->id);
}

int entity_delete(const struct entity *e, struct req *r, long long id)
{
	struct write_ctx c = { e, r, NULL, NULL, id, 1, 0 };
	int rc = db_txn(bin_txn, &c);

	return c.status ? c.status : rc;
}

int entity_restore(const struct entity *e, struct req *r, long long id)
{
	struct write_ctx c = { e, r, NULL, NULL, id, 0, 0 };
	int rc = db_txn(bin_txn, &c);

	return c.status ? c.status : rc;
}

static const char *const SQL_PURGE_HISTORY = "DELETE FROM history WHERE entity = ? AND entity_id = ?";

static int purge_txn(void *p)
{
	struct write_ctx *c = p;
	struct db_res contacts, res;
	int rc;

	c->status = 0;
	/* the contacts first: the links go with the row (ON DELETE CASCADE) */
	if ((rc = db_exec(c->e->sql_contacts, DB_ARGS(A_INT(c->id)), &contacts)) != DB_OK)
		return rc;
	if ((rc = db_exec(c->e->sql_purge, DB_ARGS(A_INT(c->id)), &res)) != DB_OK)
		goto out;
	if (res.affected == 0) {
		db_res_free(&res);
		c->status = 404;
		rc = DB_ERR;
		goto out;
	}
	db_res_free(&res);
	if ((rc = db_exec(SQL_PURGE_HISTORY, DB_ARGS(A_STR(c->e->name), A_INT(c->id)), NULL)) != DB_OK)
		goto out;
	if ((rc = words_drop(c->e->words, c->id)) != DB_OK)
		goto out;
	for (size_t i = 0; i < contacts.nrows && rc == DB_OK; i++)
		rc = contact_status_refresh(db_ll(&contacts, i, 0));
out:
	db_res_free(&contacts);
	return rc;
}

int entity_purge(const struct entity *e, struct req *r, long long id)
{
	struct write_ctx c = { e, r, NULL, NULL, id, 0, 0 };
	int rc = db_txn(purge_txn, &c);

	return c.status ? c.status : rc;
}

static const char *field_kind(const struct field *f)
{
	switch (f->type) {
	case V_BOOL: return "checkbox";
	case V_EMAIL: return "email";
	case V_PHONE: return "tel";
	case V_ENUM: return "select";
	case V_LONGTEXT: return "textarea";
	case V_URL: return "url";
	default: return "text";
	}
}

void entity_form_fields(const struct entity *e, struct req *r, const struct db_res *row, const struct entity_in *in)
{
	char key[96];

	for (int i = 0; i < e->nfields; i++) {
		const char *v = in ? in->v[i] : row ? db_val(row, 0, (size_t)i) : NULL;

		if (!in && !row && is_flag(e, i))
			v = "1";	/* a new record starts active */
		if (!in && !row && e == &customer_entity && i == CU_TYPE)
			v = "customer";
		snprintf(key, sizeof key, "Form.Fields.%d.name", i);
		page_set(r, key, e->fields[i].name);
		snprintf(key, sizeof key, "Form.Fields.%d.kind", i);
		page_set(r, key, field_kind(&e->fields[i]));
		snprintf(key, sizeof key, "Form.Fields.%d.value", i);
		page_set(r, key, v ? v : "");
		if (e->fields[i].choices)
			for (int k = 0; e->fields[i].choices[k]; k++) {
				snprintf(key, sizeof key, "Form.Fields.%d.options.%d", i, k);
				page_set(r, key, e->fields[i].choices[k]);
			}
	}
}

void entity_page_row(const struct entity *e, struct req *r, const char *prefix, const struct db_res *row)
{
	static const char *const meta[EM__N] = { "id", "version", "created_at", "created_by", "updated_at",
		"updated_by", "deleted_at" };
	char key[128];

	for (int i = 0; i < e->nfields; i++) {
		snprintf(key, sizeof key, "%s.%s", prefix, e->fields[i].name);
		page_set(r, key, db_val(row, 0, (size_t)i));
	}
	for (int m = 0; m < EM__N; m++) {
		snprintf(key, sizeof key, "%s.%s", prefix, meta[m]);
		page_set(r, key, db_val(row, 0, (size_t)(e->nfields + m)));
	}
}

json_object *entity_json(const struct entity *e, const struct db_res *row)
{
	static const struct { const char *name; int is_int; } meta[EM__N] = {
		{ "id", 1 }, { "version", 1 }, { "created_at", 0 }, { "created_by", 1 },
		{ "updated_at", 0 }, { "updated_by", 1 }, { "deleted_at", 0 },
	};
	json_object *o = json_object_new_object();

	for (int m = 0; m < EM__N; m++) {
		const char *v = db_val(row, 0, (size_t)(e->nfields + m));
		json_object_object_add(o, meta[m].name, !v ? NULL :
		    meta[m].is_int ? json_object_new_int64(strtoll(v, NULL, 10)) : json_object_new_string(v));
	}
	for (int i = 0; i < e->nfields; i++) {
		const char *v = db_val(row, 0, (size_t)i);
		json_object_object_add(o, e->fields[i].name, is_flag(e, i) ? json_object_new_boolean(str_eq(v, "1")) :
		    v && *v ? json_object_new_string(v) : NULL);
	}
	json_object_object_add(o, "in_recycle_bin", json_object_new_boolean(db_val(row, 0, (size_t)(e->nfields + EM_DELETED_AT)) != NULL));
	if (e == &customer_entity) {
		json_object_object_add(o, "contact_count", json_object_new_int64(db_ll(row, 0, CX_CONTACTS)));
	} else {
		const char *cc = db_val(row, 0, LX_CONVERTED_CONTACT), *cu = db_val(row, 0, LX_CONVERTED_CUSTOMER);
		json_object_object_add(o, "converted_contact_id", cc ? json_object_new_int64(strtoll(cc, NULL, 10)) : NULL);
		json_object_object_add(o, "converted_customer_id", cu ? json_object_new_int64(strtoll(cu, NULL, 10)) : NULL);
		json_object_object_add(o, "converted_at", db_val(row, 0, LX_CONVERTED_AT) ?
		    json_object_new_string(db_val(row, 0, LX_CONVERTED_AT)) : NULL);
		json_object_object_add(o, "anonymized_at", db_val(row, 0, LX_ANONYMIZED_AT) ?
		    json_object_new_string(db_val(row, 0, LX_ANONYMIZED_AT)) : NULL);
	}
	return o;
}
