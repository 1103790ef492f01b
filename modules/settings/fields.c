/* fields.c — settings of the additional contact fields (crm_admin): list, create, edit, reorder, deactivate,
 * confirmed deletion, the examples tab, and /api/v1/settings/fields. Every change is logged in the admin history. */
#include "settings.h"
#include "adminlog.h"
#include "contact.h"
#include "custom.h"
#include "db.h"
#include "render.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum stmt {
	STMT_ONE, STMT_INSERT, STMT_UPDATE, STMT_SET_ACTIVE, STMT_OPT_INSERT, STMT_OPT_UPDATE, STMT_OPT_DELETE,
	STMT_OPT_IN_USE, STMT_VALUE_COUNT, STMT_MAX_ORDER, STMT_ORDER, STMT_SET_ORDER, STMT_DELETE_VALUES,
	STMT_DELETE, STMT__MAX
};

static const char *const stmts[STMT__MAX] = {
	[STMT_ONE] = "SELECT id FROM custom_fields WHERE id = ?",
	[STMT_INSERT] =
	    "INSERT INTO custom_fields (field_key, label_en, label_it, type, required, default_value, sort_order, "
	    "ctx_backoffice, ctx_list, ctx_portal, ctx_export, active, created_by, updated_by) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[STMT_UPDATE] =
	    "UPDATE custom_fields SET label_en = ?, label_it = ?, required = ?, default_value = ?, sort_order = ?, "
	    "ctx_backoffice = ?, ctx_list = ?, ctx_portal = ?, ctx_export = ?, active = ?, updated_by = ?, "
	    "updated_at = NOW() WHERE id = ?",
	[STMT_SET_ACTIVE] = "UPDATE custom_fields SET active = ?, updated_by = ?, updated_at = NOW() WHERE id = ?",
	[STMT_OPT_INSERT] =
	    "INSERT INTO custom_field_options (field_id, option_key, label_en, label_it, sort_order, active) "
	    "VALUES (?, ?, ?, ?, ?, ?)",
	[STMT_OPT_UPDATE] =
	    "UPDATE custom_field_options SET label_en = ?, label_it = ?, sort_order = ?, active = ? "
	    "WHERE field_id = ? AND option_key = ?",
	/* an option some contact holds is never deleted (it can be made inactive instead) */
	[STMT_OPT_DELETE] =
	    "DELETE FROM custom_field_options WHERE field_id = ? AND option_key = ? AND NOT EXISTS "
	    "(SELECT 1 FROM contact_custom x WHERE x.field_id = ? AND x.v_text = ?)",
	[STMT_OPT_IN_USE] = "SELECT EXISTS (SELECT 1 FROM contact_custom WHERE field_id = ? AND v_text = ?)",
	[STMT_VALUE_COUNT] = "SELECT COUNT(*) FROM contact_custom WHERE field_id = ?",
	[STMT_MAX_ORDER] = "SELECT COALESCE(MAX(sort_order), 0) FROM custom_fields",
	[STMT_ORDER] = "SELECT id FROM custom_fields ORDER BY sort_order, id FOR UPDATE",
	[STMT_SET_ORDER] = "UPDATE custom_fields SET sort_order = ? WHERE id = ?",
	[STMT_DELETE_VALUES] = "DELETE FROM contact_custom WHERE field_id = ?",
	[STMT_DELETE] = "DELETE FROM custom_fields WHERE id = ? AND active = 0",
};

int settings_log(struct req *r, const char *area, long long item_id, const char *action, const char *detail)
{
	char target[24];

	/* the one admin history of the settings program (settings/history page) */
	snprintf(target, sizeof target, "#%lld", item_id);
	return adminlog_add(r, area, action, item_id, target, detail);
}

/* Names a field key must not take: the record's own fields and the JSON keys of a contact. */
static int key_reserved(const char *key)
{
	static const char *const meta[] = { "id", "status", "owner_id", "created_at", "created_by", "updated_at",
		"updated_by", "version", "anonymized_at", "deleted_at", "deleted_by", "in_recycle_bin", "custom",
		"consents", "customer", "customer_id", "lead_id", "mobile_phone_norm", "mobile_phone_2_norm",
		"work_phone_norm", NULL };
	for (int i = 0; i < CF__MAX; i++)
		if (!strcmp(contact_fields[i].name, key))
			return 1;
	for (int i = 0; meta[i]; i++)
		if (!strcmp(meta[i], key))
			return 1;
	return 0;
}

/* ------------------------------------------------------------------ one definition being written */

#define MAX_OPTIONS 200

struct opt_in {
	char *key, *en, *it;
	int   active, remove, existing;
};

struct field_in {
	long long     id;		/* 0: new */
	char         *key, *label_en, *label_it, *def_raw, *def_value;
	int           type, required, sort_order, has_order, active;
	unsigned      ctx;
	struct opt_in opts[MAX_OPTIONS];
	int           nopts, options_given;
	struct ferr   e[MAX_FORM_ERRORS];
	int           n;
	char          ename[8][64];
	int           nename;
};

static void fin_free(struct field_in *f)
{
	free(f->key);
	free(f->label_en);
	free(f->label_it);
	free(f->def_raw);
	free(f->def_value);
	for (int i = 0; i < f->nopts; i++) {
		free(f->opts[i].key);
		free(f->opts[i].en);
		free(f->opts[i].it);
	}
	memset(f, 0, sizeof *f);
}

static void ferr_add(struct field_in *f, const char *field, const char *msg)
{
	if (f->n < MAX_FORM_ERRORS) {
		f->e[f->n].field = field;
		f->e[f->n].msg = msg;
	}
	f->n++;
}

/* A trimmed copy, NULL when blank. */
static char *clean(const char *s)
{
	size_t b = 0, e;
	if (!s)
		return NULL;
	while (s[b] == ' ' || s[b] == '\t')
		b++;
	e = strlen(s);
	while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t'))
		e--;
	return e > b ? xstrndup(s + b, e - b) : NULL;
}

static void text_check(struct field_in *f, const char *name, const char *v, int required, size_t max)
{
	if (!v) {
		if (required)
			ferr_add(f, name, "Required");
	} else if (!utf8_valid_text(v, strlen(v), 0)) {
		ferr_add(f, name, "Text");
	} else if (strlen(v) > max) {
		ferr_add(f, name, "TooLong");
	}
}

/* Fills f from the stored definition (edits start from it). */
static void fin_from_def(struct field_in *f, const struct custom_def *d)
{
	memset(f, 0, sizeof *f);
	f->id = d->id;
	f->key = xstrdup(d->key);
	f->label_en = xstrdup(d->label_en ? d->label_en : "");
	f->label_it = d->label_it && *d->label_it ? xstrdup(d->label_it) : NULL;
	f->def_raw = d->def_value ? xstrdup(d->def_value) : NULL;
	f->type = (int)d->type;
	f->required = d->required;
	f->sort_order = d->sort_order;
	f->has_order = 1;
	f->active = d->active;
	f->ctx = d->ctx;
	for (size_t k = 0; k < d->nopts && f->nopts < MAX_OPTIONS; k++) {
		struct opt_in *o = &f->opts[f->nopts++];
		o->key = xstrdup(d->opts[k].key);
		o->en = xstrdup(d->opts[k].label_en ? d->opts[k].label_en : "");
		o->it = d->opts[k].label_it && *d->opts[k].label_it ? xstrdup(d->opts[k].label_it) : NULL;
		o->active = d->opts[k].active;
		o->existing = 1;
	}
}

static int bool_param(const char *v)
{
	return v && *v && strcmp(v, "0") && strcmp(v, "false") && strcmp(v, "off");
}

/* The HTML form: key and type only when creating; options as rows opt_key_N, opt_en_N, opt_it_N, opt_active_N,
 * opt_remove_N (existing rows carry their key in a hidden input). */
static void fin_from_form(struct field_in *f, struct req *r, const struct custom_def *stored)
{
	static const char *const ctx_params[CTX__COUNT] = { "ctx_backoffice", "ctx_list", "ctx_portal", "ctx_export" };
	const char *v;
	long long n = 0;
	char name[40];

	if (stored) {
		fin_from_def(f, stored);
		for (int i = 0; i < f->nopts; i++) {
			free(f->opts[i].key);
			free(f->opts[i].en);
			free(f->opts[i].it);
		}
		f->nopts = 0;
	} else {
		memset(f, 0, sizeof *f);
		f->key = clean(req_param(r, "key"));
		v = req_param(r, "type");
		f->type = v ? custom_type_from_name(v) : -1;
		f->active = 1;
	}
	free(f->label_en);
	free(f->label_it);
	free(f->def_raw);
	f->label_en = clean(req_param(r, "label_en"));
	f->label_it = clean(req_param(r, "label_it"));
	f->def_raw = clean(req_param(r, "default_value"));
	f->required = bool_param(req_param(r, "required"));
	f->ctx = 0;
	for (int c = 0; c < CTX__COUNT; c++)
		if (bool_param(req_param(r, ctx_params[c])))
			f->ctx |= 1u << c;
	v = req_param(r, "sort_order");
	if (v && *v) {
		if (parse_ll(v, -1000000, 1000000, &n) < 0)
			ferr_add(f, "sort_order", "Int");
		f->sort_order = (int)n;
		f->has_order = 1;
	}
	f->options_given = 1;
	if (parse_ll(req_param(r, "opt_n"), 0, MAX_OPTIONS, &n) < 0)
		n = 0;
	for (long long i = 0; i < n && f->nopts < MAX_OPTIONS; i++) {
		struct opt_in *o = &f->opts[f->nopts];
		snprintf(name, sizeof name, "opt_key_%lld", i);
		o->key = clean(req_param(r, name));
		snprintf(name, sizeof name, "opt_en_%lld", i);
		o->en = clean(req_param(r, name));
		snprintf(name, sizeof name, "opt_it_%lld", i);
		o->it = clean(req_param(r, name));
		snprintf(name, sizeof name, "opt_active_%lld", i);
		o->active = bool_param(req_param(r, name));
		snprintf(name, sizeof name, "opt_remove_%lld", i);
		o->remove = bool_param(req_param(r, name));
		snprintf(name, sizeof name, "opt_existing_%lld", i);
		o->existing = bool_param(req_param(r, name));
		if (!o->key && !o->en && !o->it && !o->existing) {
			free(o->key);
			free(o->en);
			free(o->it);
			memset(o, 0, sizeof *o);
			continue;	/* an empty new row */
		}
		f->nopts++;
	}
}

static char *json_text(json_object *o)
{
	if (!o || json_object_is_type(o, json_type_null))
		return NULL;
	if (json_object_is_type(o, json_type_object) || json_object_is_type(o, json_type_array))
		return xstrdup("\x01");	/* refused as Text by the checks */
	if (json_object_is_type(o, json_type_string) &&
	    strlen(json_object_get_string(o)) != (size_t)json_object_get_string_len(o))
		return xstrdup("\x01");
	return clean(json_object_get_string(o));
}

/* "label": {"en": …, "it": …} into *en / *it (keys present only). */
static void json_labels(json_object *lab, char **en, char **it, struct field_in *f, const char *name)
{
	json_object *v;
	if (!json_object_is_type(lab, json_type_object)) {
		ferr_add(f, name, "Object");
		return;
	}
	if (json_object_object_get_ex(lab, "en", &v)) {
		free(*en);
		*en = json_text(v);
	}
	if (json_object_object_get_ex(lab, "it", &v)) {
		free(*it);
		*it = json_text(v);
	}
}

/* The API body: every key optional on PATCH (stored values stay); key and type only on create. */
static void fin_from_json(struct field_in *f, json_object *j, const struct custom_def *stored)
{
	json_object *v;

	if (stored) {
		fin_from_def(f, stored);
		if (json_object_object_get_ex(j, "key", &v) && !str_eq(json_object_get_string(v), stored->key))
			ferr_add(f, "key", "Immutable");
		if (json_object_object_get_ex(j, "type", &v) && !str_eq(json_object_get_string(v), custom_type_names[stored->type]))
			ferr_add(f, "type", "Immutable");
	} else {
		memset(f, 0, sizeof *f);
		f->active = 1;
		f->ctx = CTX_BACKOFFICE;
		f->key = json_object_object_get_ex(j, "key", &v) ? json_text(v) : NULL;
		f->type = json_object_object_get_ex(j, "type", &v) && json_object_is_type(v, json_type_string) ?
		    custom_type_from_name(json_object_get_string(v)) : -1;
	}
	if (json_object_object_get_ex(j, "label", &v))
		json_labels(v, &f->label_en, &f->label_it, f, "label");
	if (json_object_object_get_ex(j, "required", &v)) {
		if (!json_object_is_type(v, json_type_boolean))
			ferr_add(f, "required", "Bool");
		f->required = json_object_get_boolean(v);
	}
	if (json_object_object_get_ex(j, "active", &v)) {
		if (!json_object_is_type(v, json_type_boolean))
			ferr_add(f, "active", "Bool");
		f->active = json_object_get_boolean(v);
	}
	if (json_object_object_get_ex(j, "default", &v)) {
		free(f->def_raw);
		f->def_raw = json_object_is_type(v, json_type_boolean) ? xstrdup(json_object_get_boolean(v) ? "1" : "0") :
		    json_text(v);
	}
	if (json_object_object_get_ex(j, "order", &v)) {
		if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) < -1000000 || json_object_get_int64(v) > 1000000)
			ferr_add(f, "order", "Int");
		f->sort_order = (int)json_object_get_int64(v);
		f->has_order = 1;
	}
	if (json_object_object_get_ex(j, "contexts", &v)) {
		f->ctx = 0;
		if (!json_object_is_type(v, json_type_array)) {
			ferr_add(f, "contexts", "Choice");
		} else {
			for (size_t i = 0; i < json_object_array_length(v); i++) {
				const char *name = json_object_get_string(json_object_array_get_idx(v, i));
				int found = 0;
				for (int c = 0; c < CTX__COUNT; c++)
					if (str_eq(name, custom_ctx_names[c])) {
						f->ctx |= 1u << c;
						found = 1;
					}
				if (!found)
					ferr_add(f, "contexts", "Choice");
			}
		}
	}
	if (json_object_object_get_ex(j, "options", &v)) {
		/* the whole list: existing options missing from it are removed (refused when in use) */
		struct opt_in keep[MAX_OPTIONS];
		int nkeep = f->nopts;
		memcpy(keep, f->opts, sizeof keep);
		f->nopts = 0;
		f->options_given = 1;
		if (!json_object_is_type(v, json_type_array)) {
			ferr_add(f, "options", "Choice");
		} else {
			for (size_t i = 0; i < json_object_array_length(v) && f->nopts < MAX_OPTIONS; i++) {
				json_object *o = json_object_array_get_idx(v, i), *x;
				struct opt_in *oi = &f->opts[f->nopts++];
				memset(oi, 0, sizeof *oi);
				oi->active = 1;
				if (!json_object_is_type(o, json_type_object)) {
					ferr_add(f, "options", "Object");
					continue;
				}
				if (json_object_object_get_ex(o, "key", &x))
					oi->key = json_text(x);
				if (json_object_object_get_ex(o, "label", &x))
					json_labels(x, &oi->en, &oi->it, f, "options");
				if (json_object_object_get_ex(o, "active", &x))
					oi->active = json_object_get_boolean(x);
				for (int k = 0; k < nkeep; k++)
					if (oi->key && str_eq(keep[k].key, oi->key)) {
						oi->existing = 1;
						if (!oi->en)
							oi->en = keep[k].en ? xstrdup(keep[k].en) : NULL;
					}
			}
		}
		/* stored options not in the list: removals */
		for (int k = 0; k < nkeep; k++) {
			int listed = 0;
			for (int i = 0; i < f->nopts; i++)
				if (str_eq(f->opts[i].key, keep[k].key))
					listed = 1;
			if (!listed && f->nopts < MAX_OPTIONS) {
				struct opt_in *oi = &f->opts[f->nopts++];
				*oi = keep[k];
				oi->remove = 1;
				keep[k].key = keep[k].en = keep[k].it = NULL;
			}
			free(keep[k].key);
			free(keep[k].en);
			free(keep[k].it);
		}
	}
}

static const char *opt_err_name(struct field_in *f, int form, int i, const char *what)
{
	if (!form)
		return "options";
	if (f->nename >= 8)
		return "options";
	snprintf(f->ename[f->nename], sizeof f->ename[0], "opt_%s_%d", what, i);
	return f->ename[f->nename++];
}

/* Validates everything but the key's uniqueness (the insert finds that). Returns a db_rc. */
static int fin_validate(struct field_in *f, int form)
{
	struct custom_def d;
	struct custom_option opts[MAX_OPTIONS];
	int rc;

	if (!f->id) {
		if (!f->key)
			ferr_add(f, "key", "Required");
		else if (!custom_key_valid(f->key))
			ferr_add(f, "key", "KeyFormat");
		else if (key_reserved(f->key))
			ferr_add(f, "key", "KeyReserved");
		if (f->type < 0)
			ferr_add(f, "type", "Choice");
	}
	text_check(f, form ? "label_en" : "label", f->label_en, 1, 200);
	text_check(f, form ? "label_it" : "label", f->label_it, 0, 200);
	if (f->type == CFT_PICKLIST) {
		int live = 0;
		for (int i = 0; i < f->nopts; i++) {
			struct opt_in *o = &f->opts[i];
			if (o->remove) {
				struct db_res res;
				if (!o->existing || !o->key)
					continue;
				if ((rc = db_exec(stmts[STMT_OPT_IN_USE], DB_ARGS(A_INT(f->id), A_STR(o->key)), &res)) != DB_OK)
					return rc;
				if (db_ll(&res, 0, 0))
					ferr_add(f, opt_err_name(f, form, i, "key"), "OptionInUse");
				db_res_free(&res);
				continue;
			}
			if (!o->key)
				ferr_add(f, opt_err_name(f, form, i, "key"), "Required");
			else if (!custom_key_valid(o->key))
				ferr_add(f, opt_err_name(f, form, i, "key"), "KeyFormat");
			else
				for (int k = 0; k < i; k++)
					if (!f->opts[k].remove && str_eq(f->opts[k].key, o->key))
						ferr_add(f, opt_err_name(f, form, i, "key"), "KeyTaken");
			text_check(f, opt_err_name(f, form, i, "en"), o->en, 1, 200);
			text_check(f, opt_err_name(f, form, i, "it"), o->it, 0, 200);
			live += o->active;
		}
		if (!live)
			ferr_add(f, form ? "opt_key_0" : "options", "OptionsNeeded");
	}
	/* the default value, checked as a value of this very definition */
	free(f->def_value);
	f->def_value = NULL;
	if (f->def_raw && f->type >= 0 && f->type < CFT__MAX) {
		const char *msg;
		size_t no = 0;
		memset(&d, 0, sizeof d);
		d.type = (enum cf_type)f->type;
		for (int i = 0; i < f->nopts; i++)
			if (!f->opts[i].remove && f->opts[i].active && f->opts[i].key) {
				memset(&opts[no], 0, sizeof opts[no]);
				opts[no].key = f->opts[i].key;
				opts[no].active = 1;
				no++;
			}
		d.opts = opts;
		d.nopts = no;
		msg = f->type == CFT_LONGTEXT ? NULL : custom_value_check(&d, f->def_raw, &f->def_value);
		if (f->type == CFT_LONGTEXT && strlen(f->def_raw) <= 255 && utf8_valid_text(f->def_raw, strlen(f->def_raw), 0))
			f->def_value = xstrdup(f->def_raw);
		else if (f->type == CFT_LONGTEXT)
			msg = "TooLong";
		if (msg)
			ferr_add(f, form ? "default_value" : "default", msg);
	}
	return DB_OK;
}

struct save_ctx {
	struct req      *r;
	struct field_in *f;
	int              status;	/* 409: key taken, 422: option in use meanwhile */
};

static int save_options(struct save_ctx *c)
{
	struct field_in *f = c->f;
	int rc, order = 0;

	if (!f->options_given)
		return DB_OK;
	for (int i = 0; i < f->nopts; i++) {
		struct opt_in *o = &f->opts[i];
		struct db_res res;
		if (!o->key)
			continue;
		if (o->remove) {
			if (!o->existing)
				continue;
			rc = db_exec(stmts[STMT_OPT_DELETE], DB_ARGS(A_INT(f->id), A_STR(o->key), A_INT(f->id), A_STR(o->key)), &res);
			if (rc != DB_OK)
				return rc;
			if (res.affected == 0) {
				c->status = 422;	/* a contact took the option meanwhile */
				return DB_ERR;
			}
			continue;
		}
		order += 10;
		if (o->existing) {
			rc = db_exec(stmts[STMT_OPT_UPDATE], DB_ARGS(A_STR(o->en), A_STR(o->it ? o->it : ""), A_INT(order),
			    A_INT(o->active), A_INT(f->id), A_STR(o->key)), &res);
			if (rc != DB_OK)
				return rc;
			if (res.affected > 0 || res.nrows > 0)
				continue;
			/* matched nothing: the key is new after all (or the row is unchanged: the insert then finds a duplicate) */
		}
		rc = db_exec(stmts[STMT_OPT_INSERT], DB_ARGS(A_INT(f->id), A_STR(o->key), A_STR(o->en), A_STR(o->it ? o->it : ""),
		    A_INT(order), A_INT(o->active)), NULL);
		if (rc == DB_DUP)
			continue;
		if (rc != DB_OK)
			return rc;
	}
	return DB_OK;
}

static void detail_of(struct buf *b, const struct field_in *f)
{
	buf_printf(b, "key=%s type=%s label_en=%s", f->key ? f->key : "",
	    f->type >= 0 && f->type < CFT__MAX ? custom_type_names[f->type] : "?", f->label_en ? f->label_en : "");
}

static int create_txn(void *p)
{
	struct save_ctx *c = p;
	struct field_in *f = c->f;
	struct db_res res;
	struct buf d = { 0 };
	int rc;

	if (!f->has_order) {
		if ((rc = db_exec(stmts[STMT_MAX_ORDER], DB_NOARGS, &res)) != DB_OK)
			return rc;
		f->sort_order = (int)db_ll(&res, 0, 0) + 10;
		db_res_free(&res);
	}
	rc = db_exec(stmts[STMT_INSERT], DB_ARGS(A_STR(f->key), A_STR(f->label_en), A_STR(f->label_it ? f->label_it : ""),
	    A_STR(custom_type_names[f->type]), A_INT(f->required), A_STR(f->def_value), A_INT(f->sort_order),
	    A_INT((f->ctx & CTX_BACKOFFICE) != 0), A_INT((f->ctx & CTX_LIST) != 0), A_INT((f->ctx & CTX_PORTAL) != 0),
	    A_INT((f->ctx & CTX_EXPORT) != 0), A_INT(f->active), A_INT(c->r->who.user_id), A_INT(c->r->who.user_id)), &res);
	if (rc == DB_DUP) {
		c->status = 409;
		return DB_ERR;
	}
	if (rc != DB_OK)
		return rc;
	f->id = (long long)res.insert_id;
	db_res_free(&res);
	if (f->type == CFT_PICKLIST && (rc = save_options(c)) != DB_OK)
		return rc;
	detail_of(&d, f);
	rc = settings_log(c->r, "field", f->id, "create", d.data);
	buf_free(&d);
	return rc;
}

static int update_txn(void *p)
{
	struct save_ctx *c = p;
	struct field_in *f = c->f;
	struct buf d = { 0 };
	int rc;

	rc = db_exec(stmts[STMT_UPDATE], DB_ARGS(A_STR(f->label_en), A_STR(f->label_it ? f->label_it : ""), A_INT(f->required),
	    A_STR(f->def_value), A_INT(f->sort_order), A_INT((f->ctx & CTX_BACKOFFICE) != 0),
	    A_INT((f->ctx & CTX_LIST) != 0), A_INT((f->ctx & CTX_PORTAL) != 0), A_INT((f->ctx & CTX_EXPORT) != 0),
	    A_INT(f->active), A_INT(c->r->who.user_id), A_INT(f->id)), NULL);
	if (rc != DB_OK)
		return rc;
	if (f->type == CFT_PICKLIST && (rc = save_options(c)) != DB_OK)
		return rc;
	detail_of(&d, f);
	buf_printf(&d, " required=%d contexts=%u active=%d", f->required, f->ctx, f->active);
	rc = settings_log(c->r, "field", f->id, "update", d.data);
	buf_free(&d);
	return rc;
}

/* Validates and saves (create when f->id is 0). Returns a db_rc, or 409 (key taken) / 422 (errors in f). */
static int fin_save(struct req *r, struct field_in *f, int form)
{
	struct save_ctx c = { r, f, 0 };
	int rc = fin_validate(f, form);
	if (rc != DB_OK)
		return rc;
	if (f->n)
		return 422;
	rc = db_txn(f->id ? update_txn : create_txn, &c);
	if (c.status == 409) {
		ferr_add(f, "key", "KeyTaken");
		return 422;
	}
	if (c.status == 422) {
		ferr_add(f, form ? "opt_key_0" : "options", "OptionInUse");
		return 422;
	}
	return rc;
}

/* ------------------------------------------------------------------ loading */

/* Every definition (active and inactive) and the one with id (NULL when absent). */
static int load_defs(struct custom_defs *defs, long long id, const struct custom_def **one)
{
	int rc = custom_defs_load(defs, 1);
	*one = NULL;
	if (rc != DB_OK)
		return rc;
	for (size_t i = 0; i < defs->n; i++)
		if (defs->v[i].id == id)
			*one = &defs->v[i];
	return DB_OK;
}

static long long value_count(long long id)
{
	struct db_res res;
	long long n = -1;
	if (db_exec(stmts[STMT_VALUE_COUNT], DB_ARGS(A_INT(id)), &res) == DB_OK) {
		n = db_ll(&res, 0, 0);
		db_res_free(&res);
	}
	return n;
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

static void def_hdf(struct req *r, const char *prefix, const struct custom_def *f)
{
	char num[24];
	setf(r, f->key, "%s.key", prefix);
	snprintf(num, sizeof num, "%lld", f->id);
	setf(r, num, "%s.id", prefix);
	setf(r, f->label_en, "%s.label_en", prefix);
	setf(r, f->label_it, "%s.label_it", prefix);
	setf(r, custom_label(f, r->lang), "%s.label", prefix);
	setf(r, custom_type_names[f->type], "%s.type", prefix);
	setf(r, f->required ? "1" : "0", "%s.required", prefix);
	setf(r, f->active ? "1" : "0", "%s.active", prefix);
	setf(r, f->def_value ? (f->type == CFT_PICKLIST ? custom_option_label(f, f->def_value, r->lang) : f->def_value) : "",
	    "%s.default", prefix);
	snprintf(num, sizeof num, "%d", f->sort_order);
	setf(r, num, "%s.order", prefix);
	for (int c = 0; c < CTX__COUNT; c++)
		setf(r, (f->ctx & (1u << c)) ? "1" : "0", "%s.ctx.%d", prefix, c);
	for (size_t k = 0; k < f->nopts; k++) {
		setf(r, f->opts[k].key, "%s.options.%lu.key", prefix, (unsigned long)k);
		setf(r, custom_option_label(f, f->opts[k].key, r->lang), "%s.options.%lu.label", prefix, (unsigned long)k);
		setf(r, f->opts[k].active ? "1" : "0", "%s.options.%lu.active", prefix, (unsigned long)k);
	}
}

static void tabs(struct req *r, const char *current)
{
	page_set(r, "Settings.Tab", current);
}

int settings_fields_page(struct req *r)
{
	struct custom_defs defs;
	const struct custom_def *none;
	char prefix[48];
	int rc;

	if ((rc = load_defs(&defs, 0, &none)) != DB_OK)
		return rc;
	for (size_t i = 0; i < defs.n; i++) {
		snprintf(prefix, sizeof prefix, "Fields.%lu", (unsigned long)i);
		def_hdf(r, prefix, &defs.v[i]);
		if (i == 0)
			setf(r, "1", "%s.first", prefix);
		if (i + 1 == defs.n)
			setf(r, "1", "%s.last", prefix);
	}
	custom_defs_free(&defs);
	{
		static const char *const notices[] = { "created", "saved", "deleted", "added", "deactivated", "reactivated", NULL };
		const char *n = req_param(r, "done");
		for (int i = 0; n && notices[i]; i++)
			if (!strcmp(n, notices[i])) {
				char k[64];
				snprintf(k, sizeof k, "Fields.Done.%s", notices[i]);
				page_set(r, "Settings.Notice", lang_str(r, k));
			}
	}
	tabs(r, "fields");
	page_set(r, "Page.Title", lang_str(r, "Fields.Title"));
	return page_render(r, 200, "settings/fields.cs");
}

/* The form for f (new when f->id is 0), with errors. */
static int form_page(struct req *r, int status, const struct field_in *f, const struct custom_def *stored)
{
	static const char *const ctx_params[CTX__COUNT] = { "ctx_backoffice", "ctx_list", "ctx_portal", "ctx_export" };
	char num[24];
	int row = 0;

	if (f->id) {
		snprintf(num, sizeof num, "%lld", f->id);
		page_set(r, "Form.Id", num);
	}
	page_set(r, "Form.key", f->key);
	page_set(r, "Form.type", f->type >= 0 && f->type < CFT__MAX ? custom_type_names[f->type] : "");
	page_set(r, "Form.label_en", f->label_en);
	page_set(r, "Form.label_it", f->label_it);
	page_set(r, "Form.default_value", f->def_raw);
	page_set(r, "Form.required", f->required ? "1" : "0");
	if (f->has_order) {
		snprintf(num, sizeof num, "%d", f->sort_order);
		page_set(r, "Form.sort_order", num);
	}
	for (int c = 0; c < CTX__COUNT; c++)
		setf(r, (f->ctx & (1u << c)) ? "1" : "0", "Form.%s", ctx_params[c]);
	for (int i = 0; i < CFT__MAX; i++)
		setf(r, custom_type_names[i], "Form.Types.%d", i);
	for (int i = 0; i < f->nopts; i++, row++) {
		const struct opt_in *o = &f->opts[i];
		setf(r, o->key, "Form.Options.%d.key", row);
		setf(r, o->en, "Form.Options.%d.en", row);
		setf(r, o->it, "Form.Options.%d.it", row);
		setf(r, o->active ? "1" : "0", "Form.Options.%d.active", row);
		setf(r, o->existing ? "1" : "0", "Form.Options.%d.existing", row);
		setf(r, o->remove ? "1" : "0", "Form.Options.%d.remove", row);
	}
	for (int k = 0; k < 3; k++, row++) {	/* blank rows for new options (save, then edit again for more) */
		setf(r, "", "Form.Options.%d.key", row);
		setf(r, "1", "Form.Options.%d.active", row);
		setf(r, "0", "Form.Options.%d.existing", row);
	}
	snprintf(num, sizeof num, "%d", row);
	page_set(r, "Form.OptionRows", num);
	if (stored) {
		long long n = value_count(stored->id);
		snprintf(num, sizeof num, "%lld", n < 0 ? 0 : n);
		page_set(r, "Form.Values", num);
		page_set(r, "Form.active", stored->active ? "1" : "0");
	}
	if (f->n)
		page_set_errors(r, f->e, f->n);
	tabs(r, "fields");
	page_set(r, "Page.Title", lang_str(r, f->id ? "Fields.Edit" : "Fields.New"));
	return page_render(r, status, "settings/field_form.cs");
}

int settings_field_new_page(struct req *r)
{
	struct field_in f;
	int rc;
	memset(&f, 0, sizeof f);
	f.type = CFT_TEXT;
	f.ctx = CTX_BACKOFFICE;
	f.active = 1;
	rc = form_page(r, 200, &f, NULL);
	fin_free(&f);
	return rc;
}

int settings_field_create_post(struct req *r)
{
	struct field_in f;
	char loc[80];
	int rc;

	fin_from_form(&f, r, NULL);
	rc = fin_save(r, &f, 1);
	if (rc == 422) {
		rc = form_page(r, 422, &f, NULL);
	} else if (rc == DB_OK) {
		log_msg(LOG_INFO, "custom field %lld (%s) created by %s", f.id, f.key, r->who.login);
		snprintf(loc, sizeof loc, "/settings/fields?done=created");
		resp_redirect(r, loc);
	}
	fin_free(&f);
	return rc;
}

int settings_field_edit_page(struct req *r)
{
	struct custom_defs defs;
	const struct custom_def *d;
	struct field_in f;
	int rc;

	if ((rc = load_defs(&defs, r->ids[0], &d)) != DB_OK)
		return rc;
	if (!d) {
		custom_defs_free(&defs);
		return 404;
	}
	fin_from_def(&f, d);
	rc = form_page(r, 200, &f, d);
	fin_free(&f);
	custom_defs_free(&defs);
	return rc;
}

int settings_field_update_post(struct req *r)
{
	struct custom_defs defs;
	const struct custom_def *d;
	struct field_in f;
	int rc;

	if ((rc = load_defs(&defs, r->ids[0], &d)) != DB_OK)
		return rc;
	if (!d) {
		custom_defs_free(&defs);
		return 404;
	}
	fin_from_form(&f, r, d);
	rc = fin_save(r, &f, 1);
	if (rc == 422)
		rc = form_page(r, 422, &f, d);
	else if (rc == DB_OK)
		resp_redirect(r, "/settings/fields?done=saved");
	fin_free(&f);
	custom_defs_free(&defs);
	return rc;
}

struct move_ctx {
	struct req *r;
	long long   id;
	int         up, found;
};

static int move_txn(void *p)
{
	struct move_ctx *c = p;
	struct db_res res;
	int rc, at = -1;

	if ((rc = db_exec(stmts[STMT_ORDER], DB_NOARGS, &res)) != DB_OK)
		return rc;
	for (size_t i = 0; i < res.nrows; i++)
		if (db_ll(&res, i, 0) == c->id)
			at = (int)i;
	c->found = at >= 0;
	/* renumber 10, 20, … with the field swapped with its neighbour */
	for (size_t i = 0; at >= 0 && i < res.nrows; i++) {
		size_t src = i;
		int other = c->up ? at - 1 : at + 1;
		if (other >= 0 && (size_t)other < res.nrows) {
			if ((int)i == at)
				src = (size_t)other;
			else if ((int)i == other)
				src = (size_t)at;
		}
		if ((rc = db_exec(stmts[STMT_SET_ORDER], DB_ARGS(A_INT((long long)(i + 1) * 10), A_INT(db_ll(&res, src, 0))), NULL)) != DB_OK) {
			db_res_free(&res);
			return rc;
		}
	}
	db_res_free(&res);
	if (!c->found)
		return DB_OK;
	return settings_log(c->r, "field", c->id, c->up ? "move_up" : "move_down", NULL);
}

int settings_field_move_post(struct req *r)
{
	const char *dir = req_param(r, "direction");
	struct move_ctx c = { r, r->ids[0], 0, 0 };
	int rc;

	if (!str_eq(dir, "up") && !str_eq(dir, "down"))
		return 422;
	c.up = str_eq(dir, "up");
	if ((rc = db_txn(move_txn, &c)) != DB_OK)
		return rc;
	if (!c.found)
		return 404;
	resp_redirect(r, "/settings/fields");
	return 0;
}

struct active_ctx {
	struct req *r;
	long long   id;
	int         active, found;
};

static int active_txn(void *p)
{
	struct active_ctx *c = p;
	struct db_res res;
	int rc = db_exec(stmts[STMT_ONE], DB_ARGS(A_INT(c->id)), &res);
	if (rc != DB_OK)
		return rc;
	c->found = res.nrows > 0;
	db_res_free(&res);
	if (!c->found)
		return DB_OK;
	if ((rc = db_exec(stmts[STMT_SET_ACTIVE], DB_ARGS(A_INT(c->active), A_INT(c->r->who.user_id), A_INT(c->id)), NULL)) != DB_OK)
		return rc;
	return settings_log(c->r, "field", c->id, c->active ? "reactivate" : "deactivate", NULL);
}

int settings_field_active_post(struct req *r)
{
	const char *a = req_param(r, "active");
	struct active_ctx c = { r, r->ids[0], 0, 0 };
	int rc;

	if (!str_eq(a, "1") && !str_eq(a, "0"))
		return 422;
	c.active = str_eq(a, "1");
	if ((rc = db_txn(active_txn, &c)) != DB_OK)
		return rc;
	if (!c.found)
		return 404;
	resp_redirect(r, c.active ? "/settings/fields?done=reactivated" : "/settings/fields?done=deactivated");
	return 0;
}

/* Deletion asks first, names the field and how many contacts hold a value; only an inactive field is deleted. */
static int delete_page(struct req *r, int status, const struct custom_def *d, const char *error)
{
	long long n = value_count(d->id);
	char num[24];

	def_hdf(r, "Field", d);
	snprintf(num, sizeof num, "%lld", n < 0 ? 0 : n);
	page_set(r, "Field.values", num);
	if (error)
		page_set(r, "Form.Errors.confirm", lang_str(r, error));
	tabs(r, "fields");
	page_set(r, "Page.Title", lang_str(r, "Fields.DeleteTitle"));
	return page_render(r, status, "settings/field_delete.cs");
}

int settings_field_delete_page(struct req *r)
{
	struct custom_defs defs;
	const struct custom_def *d;
	int rc;

	if ((rc = load_defs(&defs, r->ids[0], &d)) != DB_OK)
		return rc;
	rc = d ? delete_page(r, d->active ? 409 : 200, d, NULL) : 404;
	custom_defs_free(&defs);
	return rc;
}

struct delete_ctx {
	struct req *r;
	long long   id;
	const char *key;
	long long   removed;
	int         found;
};

static int delete_txn(void *p)
{
	struct delete_ctx *c = p;
	struct db_res res;
	struct buf d = { 0 };
	int rc;

	if ((rc = db_exec(stmts[STMT_DELETE_VALUES], DB_ARGS(A_INT(c->id)), &res)) != DB_OK)
		return rc;
	c->removed = (long long)res.affected;
	db_res_free(&res);
	if ((rc = db_exec(stmts[STMT_DELETE], DB_ARGS(A_INT(c->id)), &res)) != DB_OK)
		return rc;
	c->found = res.affected > 0;
	db_res_free(&res);
	if (!c->found)
		return DB_ERR;	/* active again meanwhile: keep the values */
	buf_printf(&d, "key=%s values_removed=%lld", c->key, c->removed);
	rc = settings_log(c->r, "field", c->id, "delete", d.data);
	buf_free(&d);
	return rc;
}

int settings_field_delete_post(struct req *r)
{
	struct custom_defs defs;
	const struct custom_def *d;
	struct delete_ctx c = { r, r->ids[0], NULL, 0, 0 };
	int rc;

	if ((rc = load_defs(&defs, r->ids[0], &d)) != DB_OK)
		return rc;
	if (!d) {
		custom_defs_free(&defs);
		return 404;
	}
	if (d->active) {
		rc = delete_page(r, 409, d, "Valid.FieldActive");
	} else if (!str_eq(req_param(r, "confirm"), d->key)) {
		rc = delete_page(r, 422, d, "Valid.ConfirmKey");
	} else {
		c.key = d->key;
		rc = db_txn(delete_txn, &c);
		if (!c.found && rc != DB_GONE)
			rc = delete_page(r, 409, d, "Valid.FieldActive");
		else if (rc == DB_OK) {
			log_msg(LOG_INFO, "custom field %lld (%s) deleted by %s with %lld values", c.id, d->key, r->who.login, c.removed);
			resp_redirect(r, "/settings/fields?done=deleted");
		}
	}
	custom_defs_free(&defs);
	return rc;
}

/* ------------------------------------------------------------------ examples */

struct example {
	const char *key;
	enum cf_type type;
	unsigned ctx;
	const char *const *options;
};

static const char *const industry_options[] = { "manufacturing", "retail", "services", "technology", "public_sector",
	"other", NULL };

static const struct example examples[] = {
	{ "customer_code", CFT_TEXT, CTX_BACKOFFICE | CTX_LIST | CTX_EXPORT, NULL },
	{ "annual_revenue", CFT_DECIMAL, CTX_BACKOFFICE | CTX_EXPORT, NULL },
	{ "industry", CFT_PICKLIST, CTX_BACKOFFICE | CTX_LIST | CTX_EXPORT, industry_options },
	{ "contract_end", CFT_DATE, CTX_BACKOFFICE | CTX_EXPORT, NULL },
	{ "vip", CFT_CHECKBOX, CTX_BACKOFFICE | CTX_LIST, NULL },
	{ "linkedin", CFT_URL, CTX_BACKOFFICE | CTX_PORTAL, NULL },
	{ "preferred_contact_time", CFT_TEXT, CTX_BACKOFFICE | CTX_PORTAL, NULL },
};
#define NEXAMPLES (sizeof examples / sizeof examples[0])

/* A string of the examples in one language (0 en, 1 it), from the language files. */
static const char *example_str(struct req *r, int lang, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static const char *example_str(struct req *r, int lang, const char *fmt, ...)
{
	char key[160];
	const char *v;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(key, sizeof key, fmt, ap);
	va_end(ap);
	v = r->app && r->app->lang[lang] ? hdf_get_valuef(r->app->lang[lang], "Lang.%s", key) : NULL;
	return v ? v : "";
}

static int examples_page(struct req *r, int status, const char *error_key)
{
	struct custom_defs defs;
	int rc, li = str_eq(r->lang, "it");

	if ((rc = custom_defs_load(&defs, 1)) != DB_OK)
		return rc;
	for (size_t i = 0; i < NEXAMPLES; i++) {
		const struct example *e = &examples[i];
		setf(r, e->key, "Examples.%lu.key", (unsigned long)i);
		setf(r, custom_type_names[e->type], "Examples.%lu.type", (unsigned long)i);
		setf(r, example_str(r, li, "Fields.Examples.%s.Label", e->key), "Examples.%lu.label", (unsigned long)i);
		setf(r, custom_def_find(&defs, e->key) ? "1" : "0", "Examples.%lu.exists", (unsigned long)i);
		for (int c = 0; c < CTX__COUNT; c++)
			setf(r, (e->ctx & (1u << c)) ? "1" : "0", "Examples.%lu.ctx.%d", (unsigned long)i, c);
		for (int k = 0; e->options && e->options[k]; k++)
			setf(r, example_str(r, li, "Fields.Examples.%s.Options.%s", e->key, e->options[k]),
			    "Examples.%lu.options.%d", (unsigned long)i, k);
	}
	custom_defs_free(&defs);
	if (error_key)
		page_set(r, "Settings.Error", lang_str(r, error_key));
	tabs(r, "examples");
	page_set(r, "Page.Title", lang_str(r, "Fields.ExamplesTitle"));
	return page_render(r, status, "settings/field_examples.cs");
}

int settings_field_examples_page(struct req *r)
{
	return examples_page(r, 200, NULL);
}

int settings_field_example_post(struct req *r)
{
	const char *want = req_param(r, "example");
	const struct example *e = NULL;
	struct field_in f;
	int rc;

	for (size_t i = 0; i < NEXAMPLES; i++)
		if (str_eq(want, examples[i].key))
			e = &examples[i];
	if (!e)
		return examples_page(r, 422, "Valid.Choice");
	memset(&f, 0, sizeof f);
	f.key = xstrdup(e->key);
	f.type = (int)e->type;
	f.ctx = e->ctx;
	f.active = 1;
	f.label_en = xstrdup(example_str(r, 0, "Fields.Examples.%s.Label", e->key));
	f.label_it = xstrdup(example_str(r, 1, "Fields.Examples.%s.Label", e->key));
	for (int k = 0; e->options && e->options[k] && f.nopts < MAX_OPTIONS; k++) {
		struct opt_in *o = &f.opts[f.nopts++];
		o->key = xstrdup(e->options[k]);
		o->en = xstrdup(example_str(r, 0, "Fields.Examples.%s.Options.%s", e->key, e->options[k]));
		o->it = xstrdup(example_str(r, 1, "Fields.Examples.%s.Options.%s", e->key, e->options[k]));
		o->active = 1;
	}
	f.options_given = 1;
	rc = fin_save(r, &f, 0);
	if (rc == 422 && f.n == 1 && str_eq(f.e[0].msg, "KeyTaken"))
		rc = examples_page(r, 409, "Valid.KeyTaken");	/* refused cleanly: a field with this key exists */
	else if (rc == 422)
		rc = examples_page(r, 422, "Valid.Choice");
	else if (rc == DB_OK)
		resp_redirect(r, "/settings/fields?done=added");
	fin_free(&f);
	return rc;
}

/* ------------------------------------------------------------------ API */

static json_object *labels_json(const char *en, const char *it)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "en", json_object_new_string(en ? en : ""));
	json_object_object_add(o, "it", json_object_new_string(it ? it : ""));
	return o;
}

static json_object *def_json(const struct custom_def *f, long long values)
{
	json_object *o = json_object_new_object(), *ctx = json_object_new_array(), *opts = json_object_new_array();

	json_object_object_add(o, "id", json_object_new_int64(f->id));
	json_object_object_add(o, "key", json_object_new_string(f->key));
	json_object_object_add(o, "type", json_object_new_string(custom_type_names[f->type]));
	json_object_object_add(o, "label", labels_json(f->label_en, f->label_it));
	json_object_object_add(o, "required", json_object_new_boolean(f->required));
	json_object_object_add(o, "default", f->def_value ? json_object_new_string(f->def_value) : NULL);
	json_object_object_add(o, "order", json_object_new_int(f->sort_order));
	for (int c = 0; c < CTX__COUNT; c++)
		if (f->ctx & (1u << c))
			json_object_array_add(ctx, json_object_new_string(custom_ctx_names[c]));
	json_object_object_add(o, "contexts", ctx);
	json_object_object_add(o, "active", json_object_new_boolean(f->active));
	for (size_t k = 0; k < f->nopts; k++) {
		json_object *x = json_object_new_object();
		json_object_object_add(x, "key", json_object_new_string(f->opts[k].key));
		json_object_object_add(x, "label", labels_json(f->opts[k].label_en, f->opts[k].label_it));
		json_object_object_add(x, "active", json_object_new_boolean(f->opts[k].active));
		json_object_array_add(opts, x);
	}
	json_object_object_add(o, "options", opts);
	if (values >= 0)
		json_object_object_add(o, "values", json_object_new_int64(values));
	return o;
}

static int answer_field(struct req *r, long long id, int status)
{
	struct custom_defs defs;
	const struct custom_def *d;
	int rc = load_defs(&defs, id, &d);
	if (rc != DB_OK)
		return rc;
	if (!d) {
		custom_defs_free(&defs);
		return 404;
	}
	resp_json(r, status, def_json(d, value_count(id)));
	custom_defs_free(&defs);
	return 0;
}

int settings_api_fields(struct req *r)
{
	struct custom_defs defs;
	json_object *root, *items;
	int rc = custom_defs_load(&defs, 1);
	if (rc != DB_OK)
		return rc;
	root = json_object_new_object();
	items = json_object_new_array();
	for (size_t i = 0; i < defs.n; i++)
		json_object_array_add(items, def_json(&defs.v[i], -1));
	json_object_object_add(root, "items", items);
	custom_defs_free(&defs);
	resp_json(r, 200, root);
	return 0;
}

int settings_api_field_get(struct req *r)
{
	return answer_field(r, r->ids[0], 200);
}

int settings_api_field_create(struct req *r)
{
	struct field_in f;
	int rc;

	if (!r->json)
		return 415;
	fin_from_json(&f, r->json, NULL);
	rc = f.n ? 422 : fin_save(r, &f, 0);
	if (rc == 422) {
		resp_json_invalid(r, f.e, f.n);
		rc = 0;
	} else if (rc == DB_OK) {
		char loc[80];
		snprintf(loc, sizeof loc, "/api/v1/settings/fields/%lld", f.id);
		resp_header(r, "Location: %s", loc);
		rc = answer_field(r, f.id, 201);
	}
	fin_free(&f);
	return rc;
}

int settings_api_field_patch(struct req *r)
{
	struct custom_defs defs;
	const struct custom_def *d;
	struct field_in f;
	int rc;

	if (!r->json)
		return 415;
	if ((rc = load_defs(&defs, r->ids[0], &d)) != DB_OK)
		return rc;
	if (!d) {
		custom_defs_free(&defs);
		return 404;
	}
	fin_from_json(&f, r->json, d);
	custom_defs_free(&defs);
	rc = f.n ? 422 : fin_save(r, &f, 0);
	if (rc == 422) {
		resp_json_invalid(r, f.e, f.n);
		rc = 0;
	} else if (rc == DB_OK) {
		rc = answer_field(r, f.id, 200);
	}
	fin_free(&f);
	return rc;
}
